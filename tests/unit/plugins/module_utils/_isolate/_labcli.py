# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's vendor CLIs in-process, as the isolation code meets them through netmiko.

``LabSwitch`` is one switch of the lab (``lab/nos/<platform>.py``: real-format ``show`` output,
the platform's configuration semantics, EOS configure sessions, Junos candidates and commit
confirmed); every ``transport()`` is a new SSH session to it. ``LabCLI.send_config_set`` does what
netmiko's does (enter configuration mode with the platform's command or ``config_mode_command``,
type each line, leave configuration mode), so the isolation code runs unchanged.

``kill_after=N``: the session dies (``Killed``, a ``BaseException`` nothing catches, like a
SIGKILL of the controller) instead of typing its line N+1: N lines reached the switch, nothing
else did, and the next ``transport()`` is a fresh session (a pending EOS session stays, a Junos
private/exclusive candidate is gone, as on the real switches).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

REPO = Path(__file__).resolve().parents[5]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS  # noqa: E402
from lab.nos import make_view, platform, port_name  # noqa: E402
from lab.nos.base import Session, Switch  # noqa: E402

CONFIG_MODE = {
    "cisco_ios": "configure terminal",
    "cisco_nxos": "configure terminal",
    "arista_eos": "configure terminal",
    "aruba_aoscx": "configure terminal",
    "hp_procurve": "configure terminal",
    "juniper_junos": "configure",
}
CAM = "bc:ad:28:01:02:03"  # Hikvision, edge port 3, VLAN 10
PC = "02:00:5e:10:00:01"


class Killed(BaseException):
    """The controller died here: nothing after this point ran."""


class LabSwitch:
    def __init__(self, view: Dict[str, Any]) -> None:
        self.view = view
        self.sw = Switch(view)
        self.cli = platform(view["platform"])
        self.platform = str(view["platform"])
        self.name = str(view["name"])
        self.sessions: List[LabCLI] = []

    @classmethod
    def make(cls, plat: str, vlans: Optional[Dict[int, str]] = None, **kw: Any) -> LabSwitch:
        view = make_view(
            plat,
            "sw1",
            access_ports=4,
            vlans=vlans if vlans is not None else {10: "cameras", 20: "users"},
            endpoints=[
                {"mac": PC, "port": 1, "vlan": 20, "ip": "10.66.20.50"},
                {"mac": "00:04:f2:00:00:09", "port": 2, "vlan": 10, "ip": "10.66.10.12"},
                {"mac": CAM, "port": 3, "vlan": 10, "ip": "10.66.10.11"},
            ],
            uplink_macs=3,
            **kw,
        )
        view["hostname"] = "sw1"
        return cls(view)

    def port(self, n: int) -> str:
        return port_name(self.platform, n)

    def transport(self, kill_after: Optional[int] = None) -> LabCLI:
        t = LabCLI(self, kill_after)
        self.sessions.append(t)
        return t

    def running_config(self) -> str:
        """The full running configuration, read as the isolation code reads it."""
        facts = PLATFORMS[self.platform].isolation
        assert facts is not None
        t = LabCLI(self, None)
        return "\n".join(t.send_command(c) for c in facts.running_config)

    def pending(self) -> Dict[str, Any]:
        """Platform state that lives outside the configuration (pending EOS sessions, the shared Junos candidate)."""
        rt = self.sw.runtime
        return {"sessions": sorted(rt.get("sessions", {})), "candidate": rt.get("candidate") is not None}


class LabCLI(Transport):
    def __init__(self, lab: LabSwitch, kill_after: Optional[int]) -> None:
        self.lab = lab
        self.name = lab.name
        self.kill_after = kill_after
        self.session = Session()
        self.typed: List[str] = []  # every line that is not a read (counted for kill_after)
        self.reads: List[str] = []
        self.dead = False
        with lab.sw.lock:
            lab.cli.start_session(lab.sw, self.session)
        if self.session.data.get("pending") == "anykey":  # ProCurve's banner
            self._do("")

    def _do(self, line: str) -> str:
        res = self.lab.cli.dispatch(self.lab.sw, self.session, line)
        return res.output

    def _type(self, line: str) -> str:
        if self.dead:
            raise Killed("this session died before")
        if self.kill_after is not None and len(self.typed) >= self.kill_after:
            self.dead = True
            raise Killed(f"killed before line {len(self.typed) + 1}: {line!r}")
        self.typed.append(line)
        return self._do(line)

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        if command.startswith("show ") or command.startswith("sh "):
            if self.dead:
                raise Killed("this session died before")
            self.reads.append(command)
            return self._do(command)
        return self._type(command)

    def _in_config(self) -> bool:
        return self.session.mode != "exec"

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        enter = kwargs.get("enter_config_mode", True)
        leave = kwargs.get("exit_config_mode", True)
        out: List[str] = []
        if enter and not self._in_config():
            cmd = kwargs.get("config_mode_command") or CONFIG_MODE[self.lab.platform]
            out.append(cmd)
            out.append(self._type(cmd))
        for line in lines:
            out.append(line)
            out.append(self._type(line))
        if leave and self._in_config():
            if self.lab.platform == "juniper_junos":
                out.append(self._type("exit configuration-mode"))
                if self.session.data.get("pending") == "exit":
                    out.append(self._type("yes"))
            else:
                out.append(self._type("end"))
        return "\n".join(x for x in out if x)

    def close(self) -> None:
        pass
