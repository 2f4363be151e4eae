# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One isolation run over real SSH that SIGKILLs itself after the Nth line reached the switch.

    python killrun.py '<json>'

The JSON names the switch (``platform``, ``name``, ``port``, ``password``, ``known_hosts``), the run
(``mode``, ``state``, ``change_id``, ``peers``, ``state_dir``, ``port_name``, ``mac``) and the kill:
``kill_after`` lines, counting every line typed into the switch (the configuration-mode command,
each configuration line, ``commit``, ``write memory``; not the ``show`` commands). The lines of a
batch up to the Nth are sent and answered, then the process kills itself (``SIGKILL``: no
``finally``, no ``atexit``, sockets closed by the kernel), in the middle of its session.
``kill_mode: "typed"`` instead writes line N+1 to the channel and dies without waiting for the
answer (a kill while the switch works on it, e.g. on ``commit``). Without ``kill_after`` it runs
to the end and prints the result as JSON.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / ".build" / "collections"))

from ansible_collections.camguard.network.plugins.module_utils._collect import (  # noqa: E402
    open_transport,
    target_from_params,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore  # noqa: E402

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class KillAfter(Transport):
    """The real transport; the process dies instead of typing line ``n + 1``."""

    def __init__(self, inner: Transport, n: Optional[int], mode: str = "answered") -> None:
        self.inner = inner
        self.name = inner.name
        self.n = n
        self.mode = mode
        self.count = 0

    def _typed_and_die(self, line: str) -> None:
        conn = getattr(self.inner, "connection", None)
        if self.mode == "typed" and conn is not None:
            conn.write_channel(line + "\n")
        die()

    @staticmethod
    def typed(command: str) -> bool:
        """A line that changes something: not a ``show`` (vendor CLIs) nor a read of a Linux
        switch (the session's commands carry their exit-status marker)."""
        return "__CAMGUARD_RC" in command or not command.startswith(("show ", "sudo ", "/"))

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        if self.typed(command):
            if self.n is not None and self.count >= self.n:
                self._typed_and_die(command)
            self.count += 1
        return self.inner.send_command(command, timeout)

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        lines = list(lines)
        typed: List[str] = []
        if kwargs.get("enter_config_mode", True):
            typed.append(str(kwargs.get("config_mode_command") or "configure"))
        typed += lines
        if self.n is None or self.count + len(typed) <= self.n:
            self.count += len(typed)
            return self.inner.send_config_set(lines, **kwargs)
        allowed = self.n - self.count
        if allowed <= 0:
            self._typed_and_die(typed[0])
        # the lines up to the Nth, answered; the session stays where it is (config mode)
        part = lines[: allowed - (1 if kwargs.get("enter_config_mode", True) else 0)]
        try:
            self.inner.send_config_set(part, **{**kwargs, "exit_config_mode": False})
        finally:
            self._typed_and_die(typed[allowed])
        return ""

    def close(self) -> None:
        self.inner.close()


def main(args: Dict[str, Any]) -> int:
    target = target_from_params(
        name=args["name"],
        host=args.get("host", "127.0.0.1"),
        platform=args["platform"],
        port=args["port"],
        username="camguard",
        password=args.get("password"),
        private_key_file=args.get("private_key_file"),
        known_hosts_file=args["known_hosts"],
        backend=args.get("backend"),
        connect_timeout=20,
        command_timeout=30,
    )
    transport = KillAfter(open_transport(target), args.get("kill_after"), args.get("kill_mode", "answered"))
    try:
        res = run_isolation(
            transport,
            args["platform"],
            args["name"],
            [PortTarget(args["mac"], args["port_name"], 10, "hikvision")],
            Options(
                mode=args["mode"],
                state=args.get("state", "isolated"),
                change_id=args["change_id"],
                allowed_peers=tuple(args.get("peers", ())),
            ),
            StateStore(args["state_dir"], args["name"]),
            TEMPLATES,
            user="killrun",
            root=bool(args.get("root", True)),
        )
    finally:
        transport.close()
    print(json.dumps({"typed": transport.count, **res.to_dict()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
