# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type, applied the way AWX applies it, in an ansible-runner run (AWX's engine).

``awx/credential_type.yml``'s injectors are rendered as AWX renders them for a job
(``test_awx.awx_inject``: files in the private data dir, env vars, extra vars); ansible-runner then
runs ``camguard.network.audit`` with that env and those extra vars, through
``tests/unit/seam_cli.py`` as its ``ansible-playbook`` binary (switch I/O replaced at the seam).
The inventory's poll and the role's ``port_isolation`` task get the credential's login name,
password and files, the set_stats artifacts carry the figures, and no secret is in the events.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

ansible_runner = pytest.importorskip("ansible_runner")

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "unit"))
sys.path.insert(0, str(REPO / "tests" / "unit" / "plugins" / "inventory"))
from test_awx import FAKE_KEY, KNOWN_HOSTS, SECRET_PASSWORD, awx_inject  # noqa: E402
from test_mac_table import sw2_outputs  # noqa: E402


def test_credential_type_reaches_inventory_and_role_in_a_runner_job(tmp_path: Path) -> None:
    cred = yaml.safe_load((REPO / "awx" / "credential_type.yml").read_text())
    injected = awx_inject(
        cred,
        {"username": "netops", "password": SECRET_PASSWORD, "ssh_private_key": FAKE_KEY, "known_hosts": KNOWN_HOSTS},
        tmp_path / "private_data_dir",
    )
    inv = tmp_path / "inventory"
    inv.mkdir()
    (inv / "site.mac_table.yml").write_text(
        textwrap.dedent(
            """\
            plugin: camguard.network.mac_table
            switches:
              - {name: access-01, host: 192.0.2.11, platform: cisco_ios}
              - {name: access-02, host: 192.0.2.12, platform: cisco_ios}
            use_registry: false
            """
        )
    )
    log = tmp_path / "seam.jsonl"
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"access-01": sw2_outputs(), "access-02": sw2_outputs()}))
    binary = tmp_path / "ansible-playbook"
    binary.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{REPO / "tests" / "unit" / "seam_cli.py"}" ansible-playbook "$@"\n'
    )
    binary.chmod(0o755)
    env = dict(injected["env"])
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
        CAMGUARD_REPORT_DIR=str(tmp_path / "reports"),
        CAMGUARD_STATE_DIR=str(tmp_path / "state"),
        CAMGUARD_SEAM_LOG=str(log),
        CAMGUARD_SEAM_OUTPUTS=str(outputs),
        PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    )
    for k in list(os.environ):  # the runner's child inherits this process's env: no stray credentials
        if k.startswith(("CAMGUARD_", "ANSIBLE_NET_")) and k not in env:
            env[k] = ""
    (tmp_path / "runner").mkdir()
    r = ansible_runner.run(
        private_data_dir=str(tmp_path / "runner"),
        playbook="camguard.network.audit",
        inventory=str(inv),
        envvars=env,
        extravars=injected["extra_vars"],
        binary=str(binary),  # with a binary, the runner passes the playbook only in cmdline
        cmdline="-u root camguard.network.audit",  # AWX passes -u root when the job has no Machine credential
        quiet=True,
    )
    records: List[Dict[str, Any]] = [json.loads(line) for line in log.read_text().splitlines()]
    stdout = r.stdout.read()
    key_file = injected["env"]["CAMGUARD_PRIVATE_KEY_FILE"]
    known_hosts = injected["env"]["CAMGUARD_KNOWN_HOSTS_FILE"]
    want = hashlib.sha256(SECRET_PASSWORD.encode()).hexdigest()
    for who in ("collect", "isolate"):
        got = {x["switch"]: x for x in records if x["who"] == who}
        assert set(got) == {"access-01", "access-02"}, (who, stdout[-3000:])
        for x in got.values():
            assert (x["username"], x["password_sha256"]) == ("netops", want), (who, x)  # not AWX's -u root
            assert x["private_key_file"] == key_file and x["known_hosts_file"] == known_hosts, (who, x)

    stats: Dict[str, Any] = {}
    events = list(r.events)
    for ev in events:
        if ev.get("event") == "playbook_on_stats":
            stats = ev.get("event_data", {}).get("artifact_data") or {}
    summary = stats["camguard_summary"]
    assert summary["switches"] == 2 and summary["polled"] == 2
    assert summary["failed_switches"] == {}, summary  # both switches were read by the role too
    assert not any("not polled" in reason for reason in summary["reasons"]), summary
    assert r.rc == (0 if summary["ok"] else 2)  # the job's verdict is the artifact's
    assert SECRET_PASSWORD not in json.dumps(events) + stdout
    assert "OPENSSH PRIVATE KEY" not in json.dumps(events) + stdout
