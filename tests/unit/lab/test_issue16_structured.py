# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 16, item 8: EOS and Junos are collected from structured output (``| json``,
``| display xml``) where the switch offers it, from text where it refuses it, with the same
records either way.

The switches are the lab's vendor-CLI state machines (lab/nos), driven without SSH: the EOS one
answers ``| json`` for the MAC table, ARP, LLDP detail and interface status; the Junos one
``| display xml`` for the MAC table only (every other command falls back to text).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ansible_collections.camguard.network.plugins.module_utils._collect import collect  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (  # noqa: E402
    ReplayTransport,
    Transport,
)
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, SwitchData  # noqa: E402
from lab.nos import make_view, platform, port_name  # noqa: E402
from lab.nos.base import Session, Switch  # noqa: E402

ENDPOINTS = [
    {"mac": "02:00:5e:10:00:01", "port": 1, "vlan": 20, "ip": "10.66.20.50"},
    {"mac": "bc:ad:28:01:02:03", "port": 3, "vlan": 10, "ip": "10.66.10.11"},
]


class LabCLI(Transport):
    """The lab's CLI of one switch as a transport; ``refuse`` makes it reject some commands."""

    def __init__(self, plat: str, refuse: Callable[[str], bool] = lambda c: False) -> None:
        view = make_view(plat, "sw-s", access_ports=4, endpoints=ENDPOINTS, uplink_macs=3)
        for i in view["interfaces"]:
            if i["name"] == port_name(plat, 2):
                i["description"] = "desk 2"
        view["lldp"] = [
            {
                "local_interface": port_name(plat, 4),
                "remote_name": "SEP0004F2000041",
                "remote_port": "eth0",
                "remote_mac": "00:04:f2:00:00:41",
                "capabilities": ["bridge", "telephone"],
            }
        ]
        self.sw, self.session, self.plat = Switch(view, None), Session(), platform(plat)
        self.refuse = refuse
        self.sent: List[str] = []

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        self.sent.append(command)
        if self.refuse(command):
            return "% Invalid input (at token 4: '|')"
        return str(self.plat.dispatch(self.sw, self.session, command).output)

    def send_config_set(self, lines: Any, **kwargs: Any) -> str:  # pragma: no cover - not used here
        raise NotImplementedError

    def close(self) -> None:
        pass


def _records(data: SwitchData) -> Dict[str, Any]:
    return {
        "macs": sorted(m.to_dict().items() for m in data.macs),
        "arp": sorted(a.to_dict().items() for a in data.arp),
        "neighbors": sorted(tuple(sorted((k, str(v)) for k, v in n.to_dict().items())) for n in data.neighbors),
        "ports": sorted(tuple(sorted((k, str(v)) for k, v in p.to_dict().items())) for p in data.ports),
    }


@pytest.mark.parametrize("plat", ["arista_eos", "juniper_junos"])
def test_structured_first_text_when_refused_same_records(plat: str) -> None:
    spec = PARSERS[plat]
    structured = LabCLI(plat)
    data_s = collect(structured, plat, "sw-s")
    text = LabCLI(plat, refuse=lambda c: "| json" in c or "| display" in c)
    data_t = collect(text, plat, "sw-s")
    # every structured form was tried first, then the text command where it was refused
    for cmd, alt in spec.structured.items():
        assert alt in structured.sent and alt in text.sent
        assert text.sent.index(alt) + 1 == text.sent.index(cmd)
    answered = [c for c in structured.sent if c in spec.structured.values()]
    assert data_s.macs and data_s.ports
    assert _records(data_s) == _records(data_t)
    if plat == "arista_eos":  # the lab's EOS answers | json for all four, the text commands are never sent
        assert set(answered) == set(spec.structured.values())
        assert not set(spec.structured) & set(structured.sent)
        assert {n.capabilities for n in data_s.neighbors} == {("bridge", "phone")}
    else:  # the lab's Junos answers | display xml for the MAC table only
        assert "show ethernet-switching table" not in structured.sent
        assert "show arp no-resolve" in structured.sent


def test_replay_without_structured_outputs_falls_back() -> None:
    """A recorded text-only EOS switch (ReplayTransport answers '% Invalid input' to anything
    else) is collected exactly as before."""
    lab = LabCLI("arista_eos", refuse=lambda c: "| json" in c)
    outputs = {c: lab.send_command(c) for c in ("show mac address-table", "show ip arp", "show interfaces status")}
    t = ReplayTransport("sw-r", outputs)
    data = collect(t, "arista_eos", "sw-r")
    assert data.macs and data.ports
    assert t.sent[:2] == ["show mac address-table | json", "show mac address-table"]


def test_a_seam_that_raises_on_the_structured_form_falls_back() -> None:
    """The NAPALM seam raises DeviceError where a CLI prints the error."""
    lab = LabCLI("juniper_junos")

    class Raising(ReplayTransport):
        def send_command(self, command: str, timeout: Optional[float] = None) -> str:
            self.sent.append(command)
            if "| display" in command:
                raise DeviceError("sw-j", "RpcError: syntax error", command=command)
            return lab.send_command(command)

    t = Raising("sw-j")
    data = collect(t, "juniper_junos", "sw-j")
    assert data.macs
    assert t.sent[:2] == ["show ethernet-switching table | display xml", "show ethernet-switching table"]


def test_mac_table_refused_in_both_forms_is_fatal() -> None:
    t = ReplayTransport("sw-x", {})
    with pytest.raises(DeviceError, match="show mac address-table"):
        collect(t, "arista_eos", "sw-x")


def test_eos_refuses_json_for_a_command_without_a_model() -> None:
    """EOS answers ``| json`` on a command without a JSON model with this line: a refusal."""
    from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import device_error

    assert device_error("% This is an unconverted command") == "% This is an unconverted command"
    lab = LabCLI("arista_eos")
    t = ReplayTransport(
        "sw-u", handler=lambda c: "% This is an unconverted command" if "| json" in c else lab.send_command(c)
    )
    data = collect(t, "arista_eos", "sw-u")
    assert data.macs and data.ports
    assert t.sent[:2] == ["show mac address-table | json", "show mac address-table"]
    assert not any("unconverted" in w for w in data.warnings)
