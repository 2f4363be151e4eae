# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab/topology.py: validation names the key, MACs come from real prefixes, ground truth."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict

import netns
import pytest
import topology as T
import views as V
import yaml

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface

LAB = Path(T.__file__).resolve().parent
SHIPPED = sorted((LAB / "topologies").glob("*.yml"))
SMALL: Dict[str, Any] = yaml.safe_load((LAB / "topologies" / "small.yml").read_text(encoding="utf-8"))


def parse(data: Dict[str, Any], **kw: Any) -> T.Topology:
    return T.parse_topology(data, "t.yml", **kw)


def small(**changes: Any) -> Dict[str, Any]:
    d = copy.deepcopy(SMALL)
    d.update(changes)
    return d


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_topologies_load(path: Path) -> None:
    topo = T.load_topology(path)
    gt = T.ground_truth(topo)
    assert gt["endpoints"] and json.dumps(gt)
    assert len({e["mac"] for e in gt["endpoints"]}) == len(gt["endpoints"])


def test_shipped_topologies_have_what_the_issue_asks() -> None:
    small_t = T.load_topology(LAB / "topologies" / "small.yml")
    assert [s.platform for s in small_t.switches] == ["linux_bridge", "linux_bridge"] and len(small_t.links) == 1
    assert {"hikvision", "dahua", "ezviz"} <= {e.vendor for e in small_t.endpoints if e.role == "camera"}
    assert {"nvr", "workstation"} <= {e.role for e in small_t.endpoints}
    mv = T.load_topology(LAB / "topologies" / "multivendor.yml")
    assert {s.platform for s in mv.switches} == set(T.PLATFORMS)
    campus = T.load_topology(LAB / "topologies" / "campus.yml")
    assert 18 <= len(campus.switches) <= 24
    assert any(lk.lag > 1 for lk in campus.links)
    assert any(e.hidden_behind for e in campus.endpoints)
    assert any(e.behind_unmanaged and e.role == "camera" for e in campus.endpoints)
    assert any(e.moved_to for e in campus.endpoints)


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"name": "bad name"}, "name", "invalid name"),
        ({"vlans": {10: "cams", 5000: "x"}}, "vlans.5000", "1..4094"),
        ({"frobnicate": 1}, "frobnicate", "unknown key"),
        ({"switches": []}, "switches", "non-empty list"),
        ({"quarantine_vlan": 30}, "quarantine_vlan", "not declared"),
    ],
)
def test_top_level_errors_name_the_key(change: Dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(T.TopologyError) as exc:
        parse(small(**change))
    assert f"t.yml: {key}:" in str(exc.value) and words in str(exc.value)


def _mutate(path: str, value: Any) -> Dict[str, Any]:
    d = copy.deepcopy(SMALL)
    node: Any = d
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    last = parts[-1]
    if value is KeyError:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return d


@pytest.mark.parametrize(
    ("path", "value", "key", "words"),
    [
        ("switches.0.platform", "cisco_xr", "switches[0].platform", "unknown platform 'cisco_xr'"),
        ("switches.1.name", "sw1", "switches[1].name", "duplicate name"),
        ("switches.0.platfrom", "x", "switches[0].platfrom", "unknown key"),
        ("switches.0.access_ports", 0, "switches[0].access_ports", "1..96"),
        ("switches.0.vlans", [10, 77], "switches[0].vlans[1]", "VLAN 77 is not declared"),
        ("links.0.b", "sw9", "links[0].b", "unknown switch 'sw9'"),
        ("links.0.b", "sw1", "links[0].b", "to itself"),
        ("links.0.lag", 9, "links[0].lag", "1..8"),
        ("endpoints.0.role", "toaster", "endpoints[0].role", "unknown role 'toaster'"),
        ("endpoints.0.vendor", "acme", "endpoints[0].vendor", "unknown vendor 'acme'"),
        ("endpoints.0.mac", "00:11:22:33:44:55", "endpoints[0]", "exactly one of 'vendor'"),
        ("endpoints.0.port", 9, "endpoints[0].port", "1..8"),
        ("endpoints.1.port", 1, "endpoints[1].port", "port 1 of 'sw1' is already used by 'ws1'"),
        ("endpoints.0.vlan", 30, "endpoints[0].vlan", "not configured on switch"),
        ("endpoints.0.ip", "192.0.2.5/24", "endpoints[0].ip", "outside the lab range"),
        ("endpoints.1.ip", "10.66.10.50/24", "endpoints[1].ip", "address 10.66.10.50 is already used by 'ws1'"),
        ("endpoints.0.ip", "10.66.10.0/24", "endpoints[0].ip", "network or broadcast"),
        ("endpoints.0.switch", KeyError, "endpoints[0].switch", "required key is missing"),
        (
            "endpoints.0.cameras",
            [{"name": "c9", "vendor": "dahua", "ip": "10.66.99.9/24"}],
            "endpoints[0].cameras",
            "only an endpoint with role 'nvr'",
        ),
    ],
)
def test_nested_errors_name_the_key(path: str, value: Any, key: str, words: str) -> None:
    with pytest.raises(T.TopologyError) as exc:
        parse(_mutate(path, value))
    assert f"t.yml: {key}:" in str(exc.value), str(exc.value)
    assert words in str(exc.value), str(exc.value)


def test_loops_and_vlan_subnets_are_refused() -> None:
    d = small()
    d["switches"].append({"name": "sw3", "platform": "cisco_ios"})
    d["links"] += [{"a": "sw2", "b": "sw3"}, {"a": "sw3", "b": "sw1"}]
    with pytest.raises(T.TopologyError, match=r"links\[2\]: link sw3-sw1 closes a loop"):
        parse(d)
    d = small()
    d["endpoints"][0]["vlan"] = 20  # ws1 in VLAN 20 but in the 10.66.10.0/24 of VLAN 10
    d["endpoints"][0]["ip"] = "10.66.10.51/24"
    with pytest.raises(T.TopologyError, match="already used in VLAN"):
        parse(d)


def test_file_errors() -> None:
    with pytest.raises(T.TopologyError, match="cannot read the topology file"):
        T.load_topology("/nonexistent/x.yml")
    with pytest.raises(T.TopologyError, match="--scale 5 given"):
        parse(small(), scale=5)


def test_macs_are_deterministic_and_from_real_prefixes() -> None:
    prefixes = T.load_vendor_prefixes()
    a, b = parse(small()), parse(small())
    assert [e.mac for e in a.endpoints] == [e.mac for e in b.endpoints]
    for ep in a.endpoints:
        assert ep.vendor is not None
        assert ep.mac[:8] in prefixes[ep.vendor], (ep.name, ep.mac)
        assert not int(ep.mac[:2], 16) & 3  # globally unique unicast, like a real device
    other = parse(small(name="small2"))
    assert [e.mac for e in other.endpoints] != [e.mac for e in a.endpoints]  # seeded by topology name
    d = small()
    d["endpoints"][0] = {**d["endpoints"][0], "mac": "0200.5e10.0001"}
    del d["endpoints"][0]["vendor"]
    assert parse(d).endpoints[0].mac == "02:00:5e:10:00:01"


def test_vendor_prefix_table_is_real_registry_data() -> None:
    prefixes = T.load_vendor_prefixes()
    # a few well-known registry assignments (IEEE MA-L)
    assert "00:40:8c" in prefixes["axis"]
    assert "00:00:0c" in prefixes["cisco"]
    assert all(len(p) == 8 for ps in prefixes.values() for p in ps)
    assert {"hikvision", "dahua", "ezviz", "huawei", "zte", "hytera", "axis", "dell", "apple", "polycom"} <= set(
        prefixes
    )


def test_ground_truth_small() -> None:
    topo = parse(small())
    gt = T.ground_truth(topo)
    by = {e["name"]: e for e in gt["endpoints"]}
    assert by["cam1"]["learned_on"] == [{"switch": "sw2", "interface": "swp3"}, {"switch": "sw1", "interface": "up1"}]
    assert by["ws1"]["learned_on"] == [{"switch": "sw1", "interface": "swp1"}, {"switch": "sw2", "interface": "up1"}]
    assert by["cam1"]["port"] == "swp3" and by["cam1"]["vlan"] == 10 and by["cam1"]["ip"] == "10.66.10.11"
    assert by["cam2"]["moved_to"] == {"switch": "sw1", "port": "swp7"}
    assert gt["gateways"] == [
        {"switch": "sw1", "vlan": 10, "ip": "10.66.10.1/24"},
        {"switch": "sw1", "vlan": 20, "ip": "10.66.20.1/24"},
    ]


def test_ground_truth_vlan_pruning_lags_hubs_and_nvr() -> None:
    topo = T.load_topology(LAB / "topologies" / "campus.yml")
    gt = {e["name"]: e for e in T.ground_truth(topo)["endpoints"]}
    # a camera on an IOS switch behind a 2-member LAG is learned on the aggregate of dist-b
    hops = {h["switch"]: h["interface"] for h in gt["cam-ios2"]["learned_on"]}
    assert hops["acc-ios2"] == "GigabitEthernet1/0/7"
    assert hops["dist-b"] == "port-channel1" and hops["core1"] == "up2" and hops["dist-a"] == "up1"
    assert hops["acc-eos1"] == "Ethernet25" and hops["acc-junos2"] == "ae0"
    # VLAN 30 is pruned from the dist-b -- acc-pc3 LAG: acc-pc3 never learns voice MACs
    assert "acc-pc3" not in {h["switch"] for h in gt["ph-lnx1"]["learned_on"]}
    assert "acc-pc3" in {h["switch"] for h in gt["cam-lnx1"]["learned_on"]}
    # NVR cameras are hidden; hub endpoints share the hub's port
    assert gt["cam-poe1"]["learned_on"] == [] and gt["cam-poe1"]["hidden_behind"] == "nvr-core"
    assert gt["cam-hub1"]["learned_on"][0] == {"switch": "acc-lnx1", "interface": "swp9"}
    assert gt["cam-hub1"]["behind_unmanaged"] == "hub-lnx1"


def test_move() -> None:
    topo = parse(small())
    T.apply_move(topo, "cam2")
    gt = {e["name"]: e for e in T.ground_truth(topo)["endpoints"]}
    assert gt["cam2"]["learned_on"][0] == {"switch": "sw1", "interface": "swp7"}
    assert gt["cam2"]["moved_from"] == {"switch": "sw2", "port": "swp4"}
    with pytest.raises(T.TopologyError, match="has no 'moved_to'"):
        T.apply_move(topo, "cam2")


@pytest.mark.parametrize("platform", T.PLATFORMS)
def test_port_names_are_canonical(platform: str) -> None:
    for n in (1, 7, 48):
        name = T.port_name(platform, n)
        assert canonical_interface(name, platform) == name
    for n in (1, 2):
        name = T.lag_name(platform, n)
        assert canonical_interface(name, platform) == name


def test_scale_generation() -> None:
    topo = T.load_topology(LAB / "topologies" / "scale.yml", scale=12)
    assert len(topo.switches) == 12 and not topo.has_linux
    gt = T.ground_truth(topo)
    per: Dict[str, int] = {}
    for e in gt["endpoints"]:
        per[e["learned_on"][0]["switch"]] = per.get(e["learned_on"][0]["switch"], 0) + 1
    assert set(per.values()) == {50}
    assert any(e["behind_unmanaged"] for e in gt["endpoints"])
    with pytest.raises(T.TopologyError, match=r"scale.switches: must be an integer 1..5000"):
        T.load_topology(LAB / "topologies" / "scale.yml", scale=0)


def test_views_for_vendor_switches() -> None:
    topo = T.load_topology(LAB / "topologies" / "campus.yml")
    ports = {s.name: 20000 + i for i, s in enumerate(topo.switches)}
    views = V.build_views(topo, "camguard", "pw", ports)
    assert set(views) == {s.name for s in topo.switches if not s.is_linux}
    ios2 = views["acc-ios2"]
    names = {i["name"]: i for i in ios2["interfaces"]}
    assert names["Port-channel1"]["is_lag"] and names["GigabitEthernet1/0/25"]["lag"] == "Port-channel1"
    assert {
        "mac": topo.endpoint("cam-ios2").mac,
        "vlan": 10,
        "interface": "GigabitEthernet1/0/7",
        "type": "dynamic",
    } in ios2["mac_table"]
    # what dist-b learns from core1's side arrives on its uplink to acc-ios2
    assert any(
        r["mac"] == topo.endpoint("cam-lnx1").mac and r["interface"] == "Port-channel1" for r in ios2["mac_table"]
    )
    assert [n["remote_name"] for n in ios2["lldp"]] == ["dist-b", "dist-b"]
    assert ios2["arp"] and all(a["interface"].startswith("Vlan") for a in ios2["arp"])
    assert views["acc-junos1"]["arp"][0]["interface"].startswith("irb.")
    hidden = {e.mac for e in topo.endpoints if e.hidden_behind}
    assert not any(r["mac"] in hidden for v in views.values() for r in v["mac_table"])


def test_prerequisites_name_root_and_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netns, "which", lambda cmd: None if cmd in ("lldpd", "lldpcli", "nft") else "/usr/bin/" + cmd)
    problems = netns.missing_prerequisites(euid=1000)
    assert problems[0].startswith("root privileges")
    assert "Debian packages lldpd nftables" in problems[1]
    assert "apt-get install -y lldpd nftables" in problems[1]
    monkeypatch.setattr(netns, "which", lambda cmd: "/usr/bin/" + cmd)
    assert netns.missing_prerequisites(euid=0) == []
