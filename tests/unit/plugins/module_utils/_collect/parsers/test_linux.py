# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""linux_bridge parsers (``parsers/linux.py``) over outputs recorded from our own lab
(tests/fixtures/lab/linux_bridge).

Three checks per recorded switch: the golden output (``--update-golden`` rewrites it), the
ground truth recomputed from the topology the lab ran with (MACs are drawn deterministically,
so the test knows which MAC must be learned on which port), and robustness properties under
hypothesis over the JSON structure. The spec's shape, missing and unusable output are the
contract suite's (``test_contract.py``); a shell error is found by ``run_parser`` (below).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._collect import parse_outputs
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import linux as L
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import run_parser
from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    DeviceError,
    MacEntry,
    ParseError,
    PortInfo,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

DATA = C.REPO / "tests" / "fixtures" / "lab" / "linux_bridge"
sys.path.insert(0, str(C.REPO / "lab"))
import topology as T  # noqa: E402

FUZZ = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))
FILES = {
    L.FDB: "bridge_fdb.json",
    L.LINK: "ip_link.json",
    L.VLANS: "bridge_vlan.json",
    L.NEIGH: "ip_neigh.json",
    L.LLDP: "lldpcli_neighbors.json",
}
CASES = sorted(p.name for p in DATA.iterdir() if (p / "bridge_fdb.json").exists())
SPEC = L.SPECS["linux_bridge"]


def outputs(case: str) -> Dict[str, str]:
    return {cmd: (DATA / case / name).read_text(encoding="utf-8") for cmd, name in FILES.items()}


def topo_for(case: str) -> T.Topology:
    name = case.split("_", 1)[0]
    prefixes = T.load_vendor_prefixes(DATA / "vendor_prefixes.yml")
    data = yaml.safe_load((DATA / f"topology_{name}.yml").read_text(encoding="utf-8"))
    return T.parse_topology(data, f"topology_{name}.yml", vendor_prefixes=prefixes)


def switch_of(case: str) -> str:
    return case.split("_", 1)[1]


def doc(case: str) -> Dict[str, Any]:
    out = outputs(case)
    sw = switch_of(case)
    result: Dict[str, Any] = {}
    for getter, fn in (
        ("mac_table", SPEC.parse_mac_table),
        ("arp", SPEC.parse_arp),
        ("neighbors", SPEC.parse_neighbors),
        ("ports", SPEC.parse_ports),
    ):
        r = fn(out, sw)
        result[getter] = {"records": [x.to_dict() for x in r.records], "skipped": r.skipped}
    return result


def test_cases_exist() -> None:
    assert {"small_sw1", "small_sw2", "campus_core1", "campus_dist-a", "campus_acc-lnx1"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, update_golden: bool) -> None:
    C.check_golden(DATA / case / "expected.json", doc(case), update_golden, indent=1)


@pytest.mark.parametrize("case", CASES)
def test_mac_table_matches_ground_truth(case: str) -> None:
    """Every MAC the topology says this switch learns is there, on the right port and VLAN."""
    topo = topo_for(case)
    sw = switch_of(case)
    macs = SPEC.parse_mac_table(outputs(case), sw).records
    learned = {(m.mac, m.vlan): m.interface for m in macs if m.kind == "dynamic"}
    expected = {}
    for ep in topo.endpoints:
        for hop in T.learned_on(topo, ep):
            if hop["switch"] == sw:
                expected[(ep.mac, ep.vlan)] = hop["interface"]
    assert expected, "the topology puts no MAC on this switch"
    for key, interface in expected.items():
        assert learned.get(key) == interface, f"{key} expected on {interface}, parsed {learned.get(key)}"
    # nothing that belongs to an endpoint is reported anywhere else
    ep_macs = {ep.mac for ep in topo.endpoints}
    for (mac, vlan), interface in learned.items():
        if mac in ep_macs:
            assert expected.get((mac, vlan)) == interface
    # own addresses are kind "self" with no interface; all MACs canonical, all VLANs known
    for m in macs:
        assert normalize_mac(m.mac) == m.mac and m.switch == sw
        assert m.vlan in topo.vlans
        if m.kind == "self":
            assert m.interface == "" and m.static


def test_hub_port_has_every_mac_behind_it() -> None:
    topo = topo_for("campus_acc-lnx1")
    hub = next(h for h in topo.unmanaged if h.name == "hub-lnx1")
    macs = SPEC.parse_mac_table(outputs("campus_acc-lnx1"), "acc-lnx1").records
    on_port = sorted(m.mac for m in macs if m.interface == f"swp{hub.port}")
    assert on_port == sorted(topo.endpoint(n).mac for n in hub.endpoints)
    assert len(on_port) == 3


def test_hidden_cameras_are_nowhere() -> None:
    topo = topo_for("campus_core1")
    hidden = {ep.mac for ep in topo.endpoints if ep.hidden_behind}
    assert len(hidden) == 2
    for case in ("campus_core1", "campus_dist-a", "campus_acc-lnx1"):
        macs = SPEC.parse_mac_table(outputs(case), switch_of(case)).records
        assert not hidden & {m.mac for m in macs}


@pytest.mark.parametrize("case", CASES)
def test_ports_match_topology(case: str) -> None:
    topo = topo_for(case)
    sw = switch_of(case)
    ports = {p.name: p for p in SPEC.parse_ports(outputs(case), sw).records}
    for ep in topo.endpoints:
        if ep.switch == sw and ep.port and ep.hidden_behind is None:
            p = ports[f"swp{ep.port}"]
            assert (p.mode, p.access_vlan, p.lag, p.is_lag) == ("access", ep.vlan, None, False)
    for lk in topo.links_of(sw):
        p = ports[lk.end(sw).port]
        assert p.mode == "trunk" and sorted(p.trunk_vlans) == sorted(lk.vlans)
    assert ports["mgmt0"].mode == "routed"
    assert not any(name.startswith("br") for name in ports), "bridges are VLANs, not ports"


@pytest.mark.parametrize("case", CASES)
def test_neighbors_are_the_linked_switches(case: str) -> None:
    topo = topo_for(case)
    sw = switch_of(case)
    nbrs = {n.local_interface: n for n in SPEC.parse_neighbors(outputs(case), sw).records}
    for lk in topo.links_of(sw):
        other = lk.other(sw)
        n = nbrs[lk.end(sw).port]
        assert n.remote_name == other.switch
        assert n.remote_port == other.members[0] if topo.switch(other.switch).is_linux else True
        assert "bridge" in n.capabilities and n.is_network_device
        assert n.remote_mac is None or normalize_mac(n.remote_mac) == n.remote_mac
    assert set(nbrs) == {lk.end(sw).port for lk in topo.links_of(sw)}


def test_arp_on_the_gateway_switch() -> None:
    topo = topo_for("campus_core1")
    arp = {a.ip: a for a in SPEC.parse_arp(outputs("campus_core1"), "core1").records}
    gws = [g for g in T.gateways(topo) if g["switch"] == "core1"]
    assert {g["vlan"] for g in gws} == {10, 20, 30}
    for ep in topo.endpoints:
        if ep.ip and ep.hidden_behind is None:
            a = arp[ep.ip.split("/")[0]]
            assert a.mac == ep.mac and a.interface == f"br{ep.vlan}" and a.vrf == "default"


def test_collector_pipeline_and_own_macs() -> None:
    data = parse_outputs(get_platform("linux_bridge"), "sw1", outputs("small_sw1"))
    assert data.own_macs and all(m.kind == "self" for m in data.macs if m.mac in data.own_macs)
    assert data.neighbors[0].remote_name == "sw2"
    assert data.skipped_rows == 0


# --------------------------------------------------------------------------------------------
# Shapes the kernel here cannot produce. AUTHORED samples (not recorded): written from the
# iproute2 JSON formats of a VLAN-aware bridge (bridge vlan show in the iproute2 >= 5.x list
# form and the older mapping form) and lldpd's multi-interface list form.
# --------------------------------------------------------------------------------------------

AUTHORED_FDB = json.dumps(
    [
        {"mac": "bc:ad:28:01:02:03", "ifname": "swp3", "vlan": 10, "flags": [], "master": "br0", "state": ""},
        {"mac": "bc:ad:28:01:02:04", "ifname": "vxlan10", "vlan": 10, "flags": [], "master": "br0", "state": ""},
        {"mac": "bc:ad:28:01:02:04", "ifname": "vxlan10", "dst": "10.0.0.2", "flags": ["self"], "state": ""},
        {"mac": "00:11:22:33:44:55", "ifname": "bond1", "vlan": 20, "flags": ["sticky"], "master": "br0"},
        {"mac": "02:00:00:00:00:01", "ifname": "br0", "vlan": 10, "flags": [], "master": "br0", "state": "permanent"},
        {"mac": "01:00:5e:00:00:01", "ifname": "swp3", "flags": [], "master": "br0", "state": "permanent"},
        {"mac": "not-a-mac", "ifname": "swp4", "flags": [], "master": "br0"},
        {"mac": "00:11:22:33:44:66", "ifname": "swp5; reload", "flags": [], "master": "br0"},
    ]
)
AUTHORED_LINK = json.dumps(
    [
        {"ifname": "br0", "flags": ["UP"], "linkinfo": {"info_kind": "bridge", "info_data": {"vlan_filtering": 1}}},
        {
            "ifname": "swp3",
            "flags": ["UP"],
            "master": "br0",
            "ifalias": "cam lobby",
            "linkinfo": {"info_kind": "veth", "info_slave_kind": "bridge"},
        },
        {
            "ifname": "swp9",
            "flags": [],
            "master": "br0",
            "linkinfo": {"info_kind": "veth", "info_slave_kind": "bridge"},
        },
        {
            "ifname": "bond1",
            "flags": ["UP"],
            "master": "br0",
            "linkinfo": {"info_kind": "bond", "info_slave_kind": "bridge"},
        },
        {
            "ifname": "swp51",
            "flags": ["UP"],
            "master": "bond1",
            "linkinfo": {"info_kind": "veth", "info_slave_kind": "bond"},
        },
        {
            "ifname": "swp52",
            "flags": ["UP"],
            "master": "bond1",
            "linkinfo": {"info_kind": "veth", "info_slave_kind": "bond"},
        },
        {
            "ifname": "vxlan10",
            "flags": ["UP"],
            "master": "br0",
            "linkinfo": {"info_kind": "vxlan", "info_data": {"id": 10}, "info_slave_kind": "bridge"},
        },
    ]
)
AUTHORED_VLANS_NEW = json.dumps(
    [
        {"ifname": "swp3", "vlans": [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}]},
        {"ifname": "swp9", "vlans": [{"vlan": 999, "flags": ["PVID", "Egress Untagged"]}]},
        {"ifname": "bond1", "vlans": [{"vlan": 1, "flags": ["PVID", "Egress Untagged"]}, {"vlan": 10, "vlanEnd": 12}]},
        {"ifname": "vxlan10", "vlans": [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}]},
    ]
)
AUTHORED_VLANS_OLD = json.dumps(
    {
        "swp3": [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}],
        "swp9": [{"vlan": 999, "flags": ["PVID", "Egress Untagged"]}],
        "bond1": [{"vlan": 1, "flags": ["PVID", "Egress Untagged"]}, {"vlan": 10, "vlanEnd": 12}],
        "vxlan10": [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}],
    }
)
AUTHORED_LLDP = json.dumps(
    {
        "lldp": {
            "interface": [
                {
                    "swp51": {
                        "chassis": {
                            "leaf1": {
                                "id": {"type": "mac", "value": "44:38:39:00:00:01"},
                                "capability": [
                                    {"type": "Bridge", "enabled": True},
                                    {"type": "Router", "enabled": True},
                                ],
                            }
                        },
                        "port": {"id": {"type": "ifname", "value": "swp1"}, "descr": "to spine"},
                    }
                },
                {
                    "swp3": {
                        "chassis": {
                            "id": {"type": "mac", "value": "bc:ad:28:01:02:03"},
                            "capability": {"type": "Station", "enabled": True},
                        },
                        "port": {"id": {"type": "mac", "value": "bc:ad:28:01:02:03"}, "descr": "eth0"},
                    }
                },
            ]
        }
    }
)


def test_vlan_aware_mac_table() -> None:
    out = {L.FDB: AUTHORED_FDB, L.LINK: AUTHORED_LINK}
    r = L.parse_mac_table(out, "leaf9")
    assert [m for m in r.records if m.kind == "dynamic"] == [
        MacEntry("bc:ad:28:01:02:03", 10, "swp3", switch="leaf9"),
        MacEntry("bc:ad:28:01:02:04", 10, "vxlan10", switch="leaf9"),
    ]
    assert MacEntry("00:11:22:33:44:55", 20, "bond1", True, "leaf9", "static") in r.records
    assert MacEntry("02:00:00:00:00:01", 10, "", True, "leaf9", "self") in r.records
    assert r.skipped == 2  # the invalid MAC and the unsafe interface name


@pytest.mark.parametrize("vlans", [AUTHORED_VLANS_NEW, AUTHORED_VLANS_OLD])
def test_vlan_aware_ports(vlans: str) -> None:
    ports = {p.name: p for p in L.parse_ports({L.LINK: AUTHORED_LINK, L.VLANS: vlans}, "leaf9").records}
    assert ports["swp3"] == PortInfo("swp3", "access", 10, "cam lobby", True)
    assert ports["swp9"] == PortInfo("swp9", "access", 999, "", False)
    assert ports["bond1"].is_lag and ports["bond1"].mode == "trunk" and ports["bond1"].trunk_vlans == (1, 10, 11, 12)
    assert ports["swp51"].lag == "bond1" and ports["swp52"].lag == "bond1"
    assert ports["vxlan10"].mode == "trunk" and ports["vxlan10"].trunk_vlans == (10,)


def test_lldp_list_form() -> None:
    r = L.parse_neighbors({L.LLDP: AUTHORED_LLDP}, "leaf9").records
    assert [(n.local_interface, n.remote_name, n.remote_port, n.capabilities) for n in r] == [
        ("swp51", "leaf1", "swp1", ("bridge", "router")),
        ("swp3", "bc:ad:28:01:02:03", "eth0", ("station",)),
    ]
    assert not r[1].is_network_device


def test_per_vlan_bridge_names() -> None:
    links = L.Links([])
    assert L.bridge_vlan("br10", links) == (10, None)
    assert L.bridge_vlan("vmbr0", links) == (None, "vmbr0")  # 0 is not a VLAN
    assert L.bridge_vlan("bridge-users", links) == (None, "bridge-users")


def test_errors() -> None:
    # unusable JSON and missing outputs: test_contract.py (UNUSABLE, NEEDS_OUTPUT)
    with pytest.raises(DeviceError, match="command not found"):
        run_parser(L.parse_mac_table, {L.FDB: "-bash: /usr/sbin/bridge: command not found"}, "sw1", [L.FDB])
    assert L.parse_mac_table({L.FDB: "[]"}, "sw1").records == []


def test_prompt_echo_before_json_is_ignored() -> None:
    text = "camguard@sw1:~$ /usr/sbin/ip -j neigh show\n" + outputs("small_sw1")[L.NEIGH]
    assert L.parse_arp({L.NEIGH: text}, "sw1").records == L.parse_arp(outputs("small_sw1"), "sw1").records


# --------------------------------------------------------------------------------------------
# Robustness: arbitrary JSON, and recorded rows with fields replaced by junk
# --------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=25,
)
FIELDS = ["mac", "ifname", "master", "state", "flags", "vlan", "dst", "dev", "lladdr", "linkinfo", "chassis", "port"]


def check_records(result: Any) -> None:
    for rec in result.records:
        d = rec.to_dict()
        if "mac" in d:
            assert normalize_mac(d["mac"]) == d["mac"]
        for key in ("interface", "local_interface", "name", "lag"):
            v = d.get(key)
            if v:
                assert is_safe_interface(v), v
        if d.get("vlan") is not None:
            assert 1 <= d["vlan"] <= 4094


PARSERS = [L.parse_mac_table, L.parse_arp, L.parse_neighbors, L.parse_ports]


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=json_values, which=st.integers(0, 4))
def test_fuzz_arbitrary_json(doc: Any, which: int) -> None:
    cmd = list(FILES)[which]
    out = {c: "[]" for c in FILES}
    out[cmd] = json.dumps(doc)
    for fn in PARSERS:
        with contextlib.suppress(ParseError):
            check_records(fn(out, "sw1"))


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.sampled_from(CASES),
    which=st.integers(0, 4),
    row=st.integers(0, 200),
    field=st.sampled_from(FIELDS),
    junk=json_values,
)
def test_fuzz_mutated_recordings(case: str, which: int, row: int, field: str, junk: Any) -> None:
    out = outputs(case)
    cmd = list(FILES)[which]
    data = json.loads(out[cmd])
    rows: List[Any] = data if isinstance(data, list) else [data]
    if rows:
        target = rows[row % len(rows)]
        if isinstance(target, dict):
            target[field] = junk
    out[cmd] = json.dumps(data)
    for fn in PARSERS:
        with contextlib.suppress(ParseError):
            check_records(fn(out, "sw1"))
