# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Topology schema for the second-signal and hostile-input cases (issue 16, item 11): a phone's
voice VLAN with a camera behind it, port descriptions, an endpoint's LLDP identity (system name,
description, capabilities, LLDP-MED inventory) and DHCP hostname; how the views, the ground
truth and the lab's lldpcli commands carry them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Dict

import netns
import pytest
import topology as T
import views as V
import yaml

LAB = Path(T.__file__).resolve().parent
HOSTILE = LAB / "topologies" / "hostile.yml"

BASE: Dict[str, Any] = {
    "name": "sig",
    "vlans": {10: "cameras", 30: "voice", 999: "quarantine"},
    "switches": [{"name": "sw1", "platform": "linux_bridge"}, {"name": "sw2", "platform": "cisco_ios"}],
    "links": [{"a": "sw1", "b": "sw2"}],
    "endpoints": [
        {
            "name": "ph1",
            "role": "phone",
            "vendor": "polycom",
            "switch": "sw2",
            "port": 4,
            "vlan": 10,
            "voice_vlan": 30,
            "ip": "10.66.30.4/24",
            "port_description": "desk 4 phone + camera",
            "dhcp_hostname": "SEP0004F2000004",
            "lldp": {"system_name": "SEP0004F2000004", "capabilities": ["bridge", "telephone"]},
            "behind": [{"name": "cam1", "role": "camera", "vendor": "hikvision", "ip": "10.66.10.44/24"}],
            "moved_to": {"switch": "sw1", "port": 6},
        },
        {
            "name": "nvr1",
            "role": "nvr",
            "vendor": "dahua",
            "switch": "sw1",
            "port": 1,
            "vlan": 10,
            "ip": "10.66.10.20/24",
            "lldp": {
                "system_name": "X\aEVIL\x01",
                "system_description": "{{ lookup('pipe', 'id') }}\nend",
                "inventory": {"manufacturer": "Dahua", "serial_number": "S\x07N"},
            },
        },
    ],
    "unmanaged": [
        {
            "name": "hub1",
            "switch": "sw2",
            "port": 5,
            "vlan": 10,
            "port_description": "hub under the desk",
            "endpoints": [{"name": "cam2", "role": "camera", "vendor": "dahua", "dhcp_hostname": "cam2"}],
        }
    ],
}


def parse(data: Dict[str, Any]) -> T.Topology:
    return T.parse_topology(data, "t.yml")


def mutate(path: str, value: Any) -> Dict[str, Any]:
    d = copy.deepcopy(BASE)
    node: Any = d
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    if value is KeyError:
        del node[parts[-1]]
    else:
        node[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = value
    return d


def test_the_base_case_loads_and_the_ground_truth_says_where_each_mac_is() -> None:
    topo = parse(copy.deepcopy(BASE))
    gt = {e["name"]: e for e in T.ground_truth(topo)["endpoints"]}
    ph, cam = gt["ph1"], gt["cam1"]
    # the phone is learned in its voice VLAN, the camera behind it in the port's access VLAN
    assert (ph["port"], ph["vlan"], ph["port_vlan"], ph["voice_vlan"]) == ("GigabitEthernet1/0/4", 30, 10, 30)
    assert (cam["port"], cam["vlan"], cam["behind_phone"]) == ("GigabitEthernet1/0/4", 10, "ph1")
    assert [h["switch"] for h in ph["learned_on"]] == ["sw2", "sw1"] and ph["learned_on"][1]["interface"] == "up1"
    assert ph["port_description"] == "desk 4 phone + camera" and ph["dhcp_hostname"] == "SEP0004F2000004"
    assert ph["lldp"] == {
        "system_name": "SEP0004F2000004",
        "system_description": None,
        "inventory": {},
        "capabilities": ["bridge", "telephone"],
        "med_class": 3,
    }
    assert gt["nvr1"]["lldp"]["system_name"] == "X\aEVIL\x01" and gt["nvr1"]["lldp"]["med_class"] == 1
    assert gt["cam1"]["lldp"] is None  # behind the phone: LLDP does not cross its bridge
    assert gt["cam2"]["dhcp_hostname"] == "cam2"
    assert T.ground_truth(topo)["unmanaged"][0]["port_description"] == "hub under the desk"


def test_an_nvr_without_an_lldp_block_advertises_its_model() -> None:
    topo = T.load_topology(LAB / "topologies" / "small.yml")
    ident = T.lldp_identity(topo.endpoint("nvr1"))
    assert ident is not None and ident["system_name"] == "DS-7608NI-K2-8P"
    assert T.lldp_identity(topo.endpoint("cam1")) is None


def test_moving_a_phone_moves_what_is_behind_it() -> None:
    topo = parse(copy.deepcopy(BASE))
    T.apply_move(topo, "ph1")
    gt = {e["name"]: e for e in T.ground_truth(topo)["endpoints"]}
    assert (gt["ph1"]["switch"], gt["ph1"]["port"]) == ("sw1", "swp6")
    assert (gt["cam1"]["switch"], gt["cam1"]["port"]) == ("sw1", "swp6")
    assert gt["cam1"]["moved_from"] == {"switch": "sw2", "port": "GigabitEthernet1/0/4"}


@pytest.mark.parametrize(
    ("path", "value", "key", "words"),
    [
        ("endpoints.1.voice_vlan", 30, "endpoints[1].voice_vlan", "only an endpoint with role 'phone'"),
        ("endpoints.0.voice_vlan", 20, "endpoints[0].voice_vlan", "VLAN 20 is not configured on switch 'sw2'"),
        ("endpoints.0.voice_vlan", 10, "endpoints[0].voice_vlan", "must differ from the port's access VLAN 10"),
        ("endpoints.0.voice_vlan", "thirty", "endpoints[0].voice_vlan", "must be an integer 1..4094"),
        # the phone's address is in its voice VLAN: the camera behind it cannot share that subnet
        ("endpoints.0.ip", "10.66.10.4/24", "endpoints[0].behind[0].ip", "already used in VLAN 30 (by 'ph1')"),
        ("endpoints.0.voice_vlan", KeyError, "endpoints[0].behind", "only a phone with a 'voice_vlan'"),
        ("endpoints.0.behind", [], "endpoints[0].behind", "must be a non-empty list"),
        ("endpoints.0.behind.0.switch", "sw1", "endpoints[0].behind[0].switch", "unknown key"),
        ("endpoints.0.behind.0.ip", "10.66.30.9/24", "endpoints[0].behind[0].ip", "already used in VLAN 30"),
        ("endpoints.0.behind.0.name", "nvr1", "endpoints[1].name", "duplicate name 'nvr1'"),
        ("endpoints.0.port_description", "", "endpoints[0].port_description", "non-empty string"),
        ("endpoints.0.port_description", "a\x00b", "endpoints[0].port_description", "must not contain NUL"),
        ("endpoints.0.port_description", "x" * 241, "endpoints[0].port_description", "at most 240 allowed"),
        ("unmanaged.0.port_description", 7, "unmanaged[0].port_description", "non-empty string, got 7"),
        ("endpoints.0.dhcp_hostname", ["a"], "endpoints[0].dhcp_hostname", "non-empty string"),
        ("unmanaged.0.endpoints.0.dhcp_hostname", "a\x00", "unmanaged[0].endpoints[0].dhcp_hostname", "NUL"),
        ("endpoints.0.lldp", "SEP1", "endpoints[0].lldp", "must be a mapping"),
        ("endpoints.0.lldp.sysname", "x", "endpoints[0].lldp.sysname", "unknown key"),
        ("endpoints.0.lldp.system_name", "x" * 256, "endpoints[0].lldp.system_name", "256 octets long, at most 255"),
        ("endpoints.0.lldp.capabilities", ["phone"], "endpoints[0].lldp.capabilities[0]", "unknown capability 'phone'"),
        ("endpoints.0.lldp.capabilities", [], "endpoints[0].lldp.capabilities", "non-empty list"),
        ("endpoints.0.lldp.med_class", 5, "endpoints[0].lldp.med_class", "must be an integer 1..4"),
        ("endpoints.1.lldp.inventory.serial", "x", "endpoints[1].lldp.inventory.serial", "unknown key"),
        (
            "endpoints.1.lldp.inventory.serial_number",
            "é" * 17,
            "endpoints[1].lldp.inventory.serial_number",
            "34 octets long, at most 32",
        ),
        ("endpoints.0.moved_to.port", 4, "endpoints[0].moved_to", "the new port is the current port"),
    ],
)
def test_errors_name_file_key_and_value(path: str, value: Any, key: str, words: str) -> None:
    if path == "endpoints.0.moved_to.port":
        d = mutate("endpoints.0.moved_to.switch", "sw2")
        d["endpoints"][0]["moved_to"]["port"] = value
    else:
        d = mutate(path, value)
    with pytest.raises(T.TopologyError) as exc:
        parse(d)
    assert f"t.yml: {key}:" in str(exc.value), str(exc.value)
    assert words in str(exc.value), str(exc.value)


def test_a_moved_phone_needs_its_voice_vlan_at_the_new_switch() -> None:
    d = copy.deepcopy(BASE)
    d["switches"][0]["vlans"] = [10, 999]
    d["links"][0]["vlans"] = [10]
    with pytest.raises(
        T.TopologyError, match=r"endpoints\[0\].moved_to.switch: VLAN 30 is not configured on switch 'sw1'"
    ):
        parse(d)


def test_views_carry_voice_vlan_descriptions_lldp_and_the_moved_to_port() -> None:
    topo = parse(copy.deepcopy(BASE))
    view = V.build_views(topo, "camguard", "pw", {"sw2": 2222}, {"sw1": "02:00:00:00:00:01"})["sw2"]
    ifs = {i["name"]: i for i in view["interfaces"]}
    assert ifs["GigabitEthernet1/0/4"]["voice_vlan"] == 30 and ifs["GigabitEthernet1/0/4"]["access_vlan"] == 10
    assert ifs["GigabitEthernet1/0/4"]["description"] == "desk 4 phone + camera"
    assert ifs["GigabitEthernet1/0/5"]["description"] == "hub under the desk"
    assert "voice_vlan" not in ifs["GigabitEthernet1/0/3"]
    rows = {(r["mac"], r["vlan"], r["interface"]) for r in view["mac_table"]}
    assert (topo.endpoint("ph1").mac, 30, "GigabitEthernet1/0/4") in rows
    assert (topo.endpoint("cam1").mac, 10, "GigabitEthernet1/0/4") in rows
    phone = next(n for n in view["lldp"] if n["local_interface"] == "GigabitEthernet1/0/4")
    assert phone["remote_name"] == "SEP0004F2000004" and phone["capabilities"] == ["bridge", "telephone"]
    assert phone["remote_port"] == "eth0" and phone["remote_mac"] == topo.endpoint("ph1").mac
    # a data-plane block is passed through as given
    dp = {"netns": "cg00-sw2", "ports": {}}
    assert V.build_views(topo, "u", "p", {"sw2": 1}, None, {"sw2": dp})["sw2"]["dataplane"] == dp


def test_a_moved_to_port_is_configured_for_the_endpoint_beforehand() -> None:
    topo = T.load_topology(LAB / "topologies" / "multivendor.yml")
    views = V.build_views(topo, "u", "p", {s.name: 1 for s in topo.switches})
    ifs = {i["name"]: i for i in views["sw-cx1"]["interfaces"]}
    assert ifs["1/1/10"]["access_vlan"] == topo.endpoint("cam-mv1").vlan


def test_lldp_commands_pass_hostile_text_as_one_argument_each() -> None:
    topo = parse(copy.deepcopy(BASE))
    ident = T.lldp_identity(topo.endpoint("nvr1"))
    assert ident is not None
    assert netns.lldp_commands(ident) == [
        ["configure", "system", "hostname", "X\aEVIL\x01"],
        ["configure", "system", "description", "{{ lookup('pipe', 'id') }}\nend"],
        ["configure", "inventory", "manufacturer", "Dahua"],
        ["configure", "inventory", "serial-number", "S\x07N"],
        ["update"],
    ]
    phone = T.lldp_identity(topo.endpoint("ph1"))
    assert phone is not None
    assert ["configure", "system", "capabilities", "enabled", "bridge,telephone"] in netns.lldp_commands(phone)


def test_hostile_topology_has_what_issue_16_asks() -> None:
    raw = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    topo = T.load_topology(HOSTILE)
    names = {e.name: T.lldp_identity(e) for e in topo.endpoints}
    nvr = names["nvr-evil"]
    assert nvr is not None and "\a" in nvr["system_name"] and "\x01" in nvr["system_name"]
    assert "{{" in str(nvr["system_description"]) and "\nconfigure terminal" in str(nvr["system_description"])
    assert any(e.voice_vlan and T.Topology.switch(topo, e.switch or "").is_linux for e in topo.endpoints)
    assert any(e.voice_vlan and not T.Topology.switch(topo, e.switch or "").is_linux for e in topo.endpoints)
    assert {e.behind_phone for e in topo.endpoints if e.behind_phone} == {"ph1", "ph-ios1"}
    assert raw["name"] == "hostile"
