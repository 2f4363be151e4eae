# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 16, item 1: nothing a device sends can hide it.

One LLDP frame whose system name holds BEL and SOH made ``lldpcli -f json`` print raw control
characters; the strict JSON decoding failed and the whole switch was dropped. The rule now: only
the MAC table is fatal; every other getter (ARP, neighbours, ports) degrades with a warning and
a limit that the edge-port evidence quotes, and device text in the records is printable.

The hostile outputs are AUTHORED (tests/fixtures/authored/linux_bridge, from the lab's hostile
topology); the rest are the lab recordings of tests/fixtures/lab/linux_bridge.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect import collect, parse_outputs
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS, junos, linux
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    load_json,
    printable,
    xml_safe,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport
from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, locate
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    DeviceError,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
    SwitchData,
    Verdict,
)

FIXTURES = Path(__file__).resolve().parents[4] / "fixtures"
LAB = FIXTURES / "lab" / "linux_bridge" / "small_sw1"
AUTHORED = FIXTURES / "authored" / "linux_bridge"
FILES = {
    "bridge_fdb.json": linux.FDB,
    "ip_link.json": linux.LINK,
    "bridge_vlan.json": linux.VLANS,
    "ip_neigh.json": linux.NEIGH,
    "lldpcli_neighbors.json": linux.LLDP,
}
LINUX = get_platform("linux_bridge")


def lab_outputs() -> Dict[str, str]:
    return {cmd: (LAB / f).read_text(encoding="utf-8") for f, cmd in FILES.items() if (LAB / f).exists()}


def hostile(name: str) -> str:
    with (AUTHORED / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


CLEAN = parse_outputs(LINUX, "edge1", lab_outputs())


# ------------------------------------------------------------------ the reported fault


def test_raw_control_characters_in_lldp_names_hide_nothing() -> None:
    """Reproduced first: before the fix this raised DeviceError ("Invalid control character")."""
    outputs = {**lab_outputs(), linux.LLDP: hostile("lldpcli_neighbors_hostile.json")}
    data = parse_outputs(LINUX, "edge1", outputs)
    assert data.macs == CLEAN.macs and data.ports == CLEAN.ports
    names = {n.local_interface: n for n in data.neighbors}
    assert names["swp1"].remote_name == "X\ufffdEVIL\ufffd"
    assert names["swp2"].remote_name == "cam\ufffd[2J\ufffd[31mEVIL"
    assert names["swp4"].capabilities == ("bridge", "phone")
    assert not data.limits


def test_raw_control_characters_in_port_aliases_hide_nothing() -> None:
    outputs = {**lab_outputs(), linux.LINK: hostile("ip_link_hostile_alias.json")}
    data = parse_outputs(LINUX, "edge1", outputs)
    assert data.macs == CLEAN.macs
    descr = {p.name: p.description for p in data.ports}
    assert descr["swp1"] == "NVR {{ lookup('pipe', 'touch /tmp/camguard-hostile-pwned') }}\ufffdend"
    assert descr["swp2"] == "'; DROP TABLE macs; -- \ufffd[2J\ufffd"
    assert not data.warnings


def test_a_backspace_inside_a_json_string_is_data() -> None:
    doc = load_json('{"lldp": {"interface": {"swp1": {"chassis": {"A\x08B": {"id": {"type": "mac"}}}}}}}', "x")
    assert list(doc["lldp"]["interface"]["swp1"]["chassis"]) == ["A\x08B"]
    assert printable("A\x08B\tC\u2028") == "A\ufffdB C\ufffd"


def test_xml_with_control_characters_raw_or_referenced() -> None:
    assert xml_safe("<a>X\x07&#7;&#x1;&#65;&amp;</a>") == "<a>X\ufffd\ufffd\ufffd&#65;&amp;</a>"
    xml = (
        "<rpc-reply><lldp-neighbors-information><lldp-neighbor-information>"
        "<lldp-local-port-id>ge-0/0/1</lldp-local-port-id>"
        "<lldp-remote-chassis-id>bc:ad:28:00:00:01</lldp-remote-chassis-id>"
        "<lldp-remote-port-description>eth0</lldp-remote-port-description>"
        "<lldp-remote-system-name>X\x07EVIL&#1;</lldp-remote-system-name>"
        "</lldp-neighbor-information></lldp-neighbors-information></rpc-reply>"
    )
    res = junos.parse_neighbors({junos.CMD_LLDP: xml}, "sw1")
    assert [n.remote_name for n in res.records] == ["X\ufffdEVIL\ufffd"]


# ------------------------------------------------------------------ the rule, every getter but the MAC table


@pytest.mark.parametrize("getter", ["arp", "neighbors", "ports"])
@pytest.mark.parametrize("how", ["garbage", "rejected", "missing"])
def test_a_bad_optional_output_degrades_its_getter_only(getter: str, how: str) -> None:
    outputs = lab_outputs()
    spec = PARSERS["linux_bridge"]
    for cmd in spec.commands[getter]:
        if cmd in spec.commands["mac_table"]:
            continue  # shared with the MAC table: that one must be readable
        if how == "garbage":
            outputs[cmd] = '{"lldp": [ {"broken'
        elif how == "rejected":
            outputs[cmd] = "-bash: /usr/sbin/lldpcli: command not found"
        else:
            outputs.pop(cmd, None)
    data = parse_outputs(LINUX, "edge1", outputs)
    assert data.macs == CLEAN.macs
    changed = [c for c in spec.commands[getter] if c not in spec.commands["mac_table"]]
    if how == "missing" and all(c in spec.optional for c in changed):
        return  # an optional command the device does not have (lldpd not running): nothing to say
    assert [w for w in data.warnings if f": {getter}: " in w], data.warnings
    if getter == "neighbors":
        assert data.neighbors == [] and "neighbors" in data.limits
    if getter == "arp":
        assert data.arp == []


def test_the_mac_table_stays_fatal() -> None:
    outputs = {**lab_outputs(), linux.FDB: '[{"broken'}
    with pytest.raises(DeviceError, match="cannot parse mac_table output"):
        parse_outputs(LINUX, "edge1", outputs)
    outputs.pop(linux.FDB)
    with pytest.raises(DeviceError, match="no output for required command"):
        parse_outputs(LINUX, "edge1", outputs)


def test_a_parser_fault_on_an_optional_getter_does_not_hide_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(outputs: object, switch: str) -> None:
        raise TypeError("unexpected shape")

    spec = PARSERS["linux_bridge"]
    monkeypatch.setitem(PARSERS, "linux_bridge", type(spec)(**{**spec.__dict__, "parse_arp": broken}))
    data = parse_outputs(LINUX, "edge1", lab_outputs())
    assert data.macs == CLEAN.macs and data.arp == []
    assert any("arp: not read" in w and "TypeError" in w for w in data.warnings)


def test_a_rejected_optional_getter_command_is_a_warning_on_the_wire() -> None:
    """Over the seam: a Cisco switch that rejects ``show ip arp`` is still collected."""
    outputs = {
        "show mac address-table": (
            "          Mac Address Table\n-------------------------------------------\n\n"
            "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n"
            "  10    bcad.2800.0001    DYNAMIC     Gi1/0/3\nTotal Mac Addresses for this criterion: 1\n"
        ),
    }
    t = ReplayTransport("sw1", outputs)  # every other command: "% Invalid input"
    data = collect(t, "cisco_ios", "sw1")
    assert [m.interface for m in data.macs] == ["GigabitEthernet1/0/3"]
    assert any("show ip arp" in w for w in data.warnings)
    assert data.limits["mode"].startswith("port mode unreadable")
    t2 = ReplayTransport("sw1", {})
    with pytest.raises(DeviceError, match="device rejected the command"):
        collect(t2, "cisco_ios", "sw1")


def test_a_degraded_getter_is_quoted_in_the_evidence() -> None:
    outputs = {**lab_outputs(), linux.LLDP: "garbage {"}
    data = parse_outputs(LINUX, "sw1", outputs)
    cam = next(m for m in data.macs if m.kind != "self" and m.interface.startswith("swp"))

    def verdict(mac: str, switch: str = "", interface: str = "") -> Verdict:
        return Verdict(mac=mac, status="named" if mac == cam.mac else "unrestricted", vendor_key="x", basis=("t",))

    found = [f for f in locate([data], verdict) if f.mac == cam.mac]
    assert found and "LLDP/CDP neighbours unreadable" in found[0].evidence[0], found[0].evidence


def test_cache_round_trip_keeps_limits() -> None:
    data = parse_outputs(LINUX, "sw1", {**lab_outputs(), linux.LLDP: "garbage {"})
    assert SwitchData.from_dict(json.loads(json.dumps(data.to_dict()))).limits == data.limits
    with pytest.raises(ParseError):
        load_json("garbage {", "x")


# ------------------------------------------------------------------ a camera behind an IP phone


HIK = "bc:ad:28:00:00:44"
PHONE = "00:04:f2:00:00:41"


def _verdict(mac: str, switch: str = "", interface: str = "") -> Verdict:
    if mac.startswith("bc:ad:28"):
        return Verdict(mac=mac, status="named", vendor_key="hikvision", vendor_name="Hikvision", basis=("us_ndaa",))
    return Verdict(mac=mac, status="unrestricted")


def _phone_switch(caps: tuple, chassis: str = PHONE) -> SwitchData:
    return SwitchData(
        switch="sw1",
        platform="cisco_ios",
        macs=[MacEntry(PHONE, 30, "GigabitEthernet1/0/4"), MacEntry(HIK, 10, "GigabitEthernet1/0/4")],
        ports=[PortInfo("GigabitEthernet1/0/4", mode="access", access_vlan=10)],
        neighbors=[Neighbor("GigabitEthernet1/0/4", "SEP0004F2000041", "Port 1", caps, remote_mac=chassis)],
    )


@pytest.mark.parametrize("caps", [("bridge", "phone"), ("phone",), ("bridge", "phone", "station")])
def test_a_camera_behind_a_phone_is_located_on_the_phone_port(caps: tuple) -> None:
    """Reproduced first: before the fix the port was an uplink and the camera 'uplink-only'."""
    (f,) = locate([_phone_switch(caps)], _verdict)
    assert (f.switch, f.interface, f.vlan, f.location_confidence) == ("sw1", "GigabitEthernet1/0/4", 10, "edge")
    assert f.evidence[0] == "sw1 Gi1/0/4: access, 1 MAC, LLDP/CDP neighbour SEP0004F2000041"
    assert any("IP phone SEP0004F2000041" in e for e in f.evidence)


def test_a_phone_without_a_chassis_mac_counts_as_a_device() -> None:
    (f,) = locate([_phone_switch(("bridge", "phone"), chassis="")], _verdict)
    assert (f.interface, f.location_confidence) == ("GigabitEthernet1/0/4", "ambiguous")


def test_a_bridge_that_is_not_a_phone_is_still_an_uplink() -> None:
    (f,) = locate([_phone_switch(("bridge",))], _verdict)
    assert f.location_confidence == "uplink-only"
    (f,) = locate([_phone_switch(("bridge", "phone"))], _verdict, LocateOptions(trust_lldp=False))
    assert f.location_confidence == "edge"
