# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a real Ansible command line (``ansible-inventory``, ``ansible-playbook``) with the switch I/O
replaced at the one seam, in a process of its own.

    python tests/unit/seam_cli.py ansible-playbook -i inv/ playbook.yml ...

Everything is the real code (Ansible's CLI, inventory manager, strategy and forked workers, the
collection's plugins, modules and role) except ``open_transport``: every target a switch would be
connected to is appended to the JSON-lines file ``$CAMGUARD_SEAM_LOG`` (name, host, port,
username, key file, known_hosts file, backend, who asked - ``collect`` for the inventory and
``mac_table_info``, ``isolate`` for ``port_isolation`` - and the SHA-256 of the password, never the
password), then the switch answers from ``$CAMGUARD_SEAM_OUTPUTS`` (a JSON file: switch name to
recorded command outputs) or, when it has none there, refuses the connection.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any, Dict

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(REPO, ".build", "collections")


def _outputs() -> Dict[str, Dict[str, str]]:
    path = os.environ.get("CAMGUARD_SEAM_OUTPUTS")
    if not path:
        return {}
    with open(path, encoding="utf-8") as fh:
        data: Dict[str, Dict[str, str]] = json.load(fh)
    return data


def _patch() -> None:
    from ansible_collections.camguard.network.plugins.module_utils import _collect
    from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport
    from ansible_collections.camguard.network.plugins.module_utils._isolate import task as isolate_task
    from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

    outputs = _outputs()
    log = os.environ["CAMGUARD_SEAM_LOG"]

    def seam(who: str) -> Any:
        def open_transport(target: Any) -> Any:
            c = target.credentials
            record = {
                "who": who,
                "switch": target.name,
                "host": target.host,
                "port": target.port,
                "username": c.username,
                "password_sha256": hashlib.sha256(c.password.encode()).hexdigest() if c.password else None,
                "private_key_file": c.private_key_file,
                "known_hosts_file": target.known_hosts_file,
                "backend": target.backend,
            }
            with open(log, "a", encoding="utf-8") as fh:  # one line per write: forked workers append
                fh.write(json.dumps(record) + "\n")
            if target.name in outputs:
                return ReplayTransport(target.name, outputs[target.name])
            raise DeviceError(target.name, f"cannot connect to {target.host}:{target.port}: connection refused")

        return open_transport

    _collect.open_transport = seam("collect")
    isolate_task.open_transport = seam("isolate")


def main() -> int:
    os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", COLLECTIONS)  # before Ansible reads its configuration
    import ansible.cli

    original_run = ansible.cli.CLI.run

    def run(self: Any) -> Any:
        result = original_run(self)  # sets up the collection loader; the seam is patched right after
        _patch()
        return result

    ansible.cli.CLI.run = run  # type: ignore[method-assign]
    program, args = sys.argv[1], sys.argv[2:]
    if program == "ansible-inventory":
        from ansible.cli.inventory import InventoryCLI as cli_class
    elif program == "ansible-playbook":
        from ansible.cli.playbook import PlaybookCLI as cli_class  # type: ignore[assignment]
    else:
        raise SystemExit(f"seam_cli: unknown program {program}")
    cli_class.cli_executor([program, *args])  # exits with the command's status, errors printed as Ansible does
    return 0


if __name__ == "__main__":
    sys.exit(main())
