# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAPALM getter results -> records (``_collect/napalm.py``) over every recorded NAPALM case.

Every ``expected_result.json`` of NAPALM's own test suite (ios, nxos, nxos_ssh, eos, junos) for
get_mac_address_table, get_arp_table, get_lldp_neighbors(_detail), get_interfaces and get_vlans is
converted; the records match ``golden/napalm/<case>.json`` (``--update-golden``) and the expected
data normalised independently (below). Whether our CLI parser agrees with NAPALM on the same raw
output is checked in ``parsers/test_cisco.py`` (``test_cli_parser_agrees_with_napalm``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_contract import check_record

sys.path.insert(0, str(Path(__file__).resolve().parent / "parsers"))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect import napalm as _napalm
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import MacEntry, Neighbor

GOLDEN = Path(__file__).resolve().parent / "golden" / "napalm"

DRIVER_PLATFORM = {
    "ios": "cisco_ios",
    "nxos": "cisco_nxos",
    "nxos_ssh": "cisco_nxos",
    "eos": "arista_eos",
    "junos": "juniper_junos",
}
GETTERS = {
    "test_get_mac_address_table": "mac_table",
    "test_get_arp_table": "arp",
    "test_get_lldp_neighbors_detail": "lldp",
    "test_get_lldp_neighbors": "lldp",
    "test_get_interfaces": "interfaces",
    "test_get_vlans": "vlans",
}


def _discover() -> List[Tuple[str, str, str, Path]]:
    """(case_id, driver, getter kind, expected path) for every NAPALM expected result."""
    out = []
    for case in C.MANIFEST.values():
        if case.source != "napalm" or case.expected is None:
            continue
        driver = case.expected.relative_to(C.RECORDED).parts[1]
        if driver not in DRIVER_PLATFORM:
            continue
        assert case.command in GETTERS, f"unmapped NAPALM getter {case.command} ({case.expected})"
        out.append((case.case_id, driver, GETTERS[case.command], case.expected))
    return sorted(out)


CASES = _discover()

_SELF = re.compile(
    r"^(cpu|router|switch|stby-switch|drop|self|sup-eth\d*|vpc[ -]peer-link|vl\d+|vlan\d+|irb(\.\d+)?)?$", re.I
)


def _expected_tuples(kind: str, platform: str, data: Any) -> List[Tuple[Any, ...]]:
    """NAPALM expected result -> comparable tuples, written from NAPALM's getter contract."""
    out: List[Tuple[Any, ...]] = []
    if kind == "mac_table":
        for r in data:
            base = re.sub(r"\(.*?\)", "", r["interface"]).strip()
            iface = "" if _SELF.match(base) else canonical_interface(base, platform)
            vlan = r["vlan"] if 1 <= r["vlan"] <= 4094 else None
            out.append((normalize_mac(r["mac"]), vlan, iface, bool(r["static"])))
    elif kind == "arp":
        for r in data:
            out.append((r["ip"], normalize_mac(r["mac"]), canonical_interface(r["interface"], platform)))
    elif kind == "lldp":
        for local, rows in data.items():
            for r in rows:
                name = r.get("remote_system_name") or r.get("hostname") or r.get("remote_chassis_id")
                out.append((canonical_interface(local, platform), name))
    elif kind == "interfaces":
        for name, d in data.items():
            out.append((canonical_interface(name, platform), d["description"], d["is_enabled"]))
    elif kind == "vlans":
        members: Dict[str, set] = {}
        for vid, d in data.items():
            if not 1 <= int(vid) <= 4094:
                continue  # Junos reports the untagged "default" VLAN as id 0: not a VLAN
            for m in d["interfaces"]:
                if not m:
                    continue  # NX-OS lists VLANs without member ports as [""]
                members.setdefault(canonical_interface(m, platform), set()).add(int(vid))
        for name, vids in members.items():
            out.append((name, "trunk" if len(vids) > 1 else "unknown", min(vids) if len(vids) == 1 else None))
    return sorted(out, key=repr)


def _convert(kind: str, platform: str, data: Any) -> Any:
    if kind == "mac_table":
        return _napalm.mac_table_from_napalm(data, platform, "sw1")
    if kind == "arp":
        return _napalm.arp_from_napalm(data, platform)
    if kind == "lldp":
        return _napalm.neighbors_from_napalm(data, platform)
    if kind == "interfaces":
        return _napalm.ports_from_napalm(data, None, platform)
    return _napalm.ports_from_napalm({}, data, platform)


def _ours(kind: str, records: List[Any]) -> List[Tuple[Any, ...]]:
    if kind == "mac_table":
        out = [(r.mac, r.vlan, r.interface, r.static) for r in records]
    elif kind == "arp":
        out = [(r.ip, r.mac, r.interface) for r in records]
    elif kind == "lldp":
        out = [(r.local_interface, r.remote_name) for r in records]
    elif kind == "interfaces":
        out = [(r.name, r.description, r.enabled) for r in records]
    else:
        out = [(r.name, r.mode, r.access_vlan) for r in records]
    return sorted(out, key=repr)


@pytest.mark.parametrize("case_id,driver,kind,expected", CASES, ids=[c[0] for c in CASES])
def test_napalm_case(case_id: str, driver: str, kind: str, expected: Path, update_golden: bool) -> None:
    platform = DRIVER_PLATFORM[driver]
    data = json.loads(expected.read_text(encoding="utf-8"))
    result = _convert(kind, platform, data)
    bad_vlans = [v for v in data if kind == "vlans" and not 1 <= int(v) <= 4094]
    assert result.skipped == len(bad_vlans), result.warnings
    C.check_golden(GOLDEN / f"{C.MANIFEST[case_id].slug}.json", C.result_doc(result), update_golden, indent=1)
    assert _ours(kind, result.records) == _expected_tuples(kind, platform, data)


def test_all_drivers_covered() -> None:
    drivers = {c[1] for c in CASES}
    assert {"ios", "nxos_ssh", "eos", "junos"} <= drivers


def test_self_and_vlan_mapping() -> None:
    rows = [
        {"mac": "2C:C2:60:5E:5D:E8", "interface": "sup-eth1(R)", "vlan": 0, "static": True, "active": False},
        {"mac": "00:0F:53:0C:96:2D", "interface": "ae7.0", "vlan": 10, "static": False, "active": True},
        {"mac": "not-a-mac", "interface": "ge-0/0/1.0", "vlan": 10, "static": False, "active": True},
    ]
    res = _napalm.mac_table_from_napalm(rows, "juniper_junos", "ex1")
    assert [(r.interface, r.kind, r.vlan) for r in res.records] == [("", "self", None), ("ae7", "dynamic", 10)]
    assert res.skipped == 1


def test_capabilities_and_port_choice() -> None:
    data = {
        "Ethernet1": [
            {
                "remote_system_name": "",
                "remote_chassis_id": "1C:E7:10:03:54:13",
                "remote_port": "1ce7.1003.5413",
                "remote_port_description": "eth0",
                "remote_system_enable_capab": ["telephone", "bridge"],
            }
        ]
    }
    (n,) = _napalm.neighbors_from_napalm(data, "arista_eos").records
    assert n.remote_name == "1C:E7:10:03:54:13" and n.remote_port == "eth0"
    assert n.capabilities == ("bridge", "phone") and n.remote_mac == "1c:e7:10:03:54:13"


def test_ports_from_interfaces_and_vlans() -> None:
    interfaces = {
        "Ethernet1": {"description": "cam", "is_enabled": True},
        "Port-Channel7": {"description": "", "is_enabled": False},
    }
    vlans = {"10": {"name": "a", "interfaces": ["Ethernet1", "Port-Channel7"]}, 20: {"interfaces": ["Port-Channel7"]}}
    ports = {p.name: p for p in _napalm.ports_from_napalm(interfaces, vlans, "arista_eos").records}
    assert ports["Ethernet1"].mode == "unknown" and ports["Ethernet1"].access_vlan == 10
    assert ports["Port-Channel7"].mode == "trunk" and ports["Port-Channel7"].is_lag
    assert ports["Port-Channel7"].trunk_vlans == (10, 20) and not ports["Port-Channel7"].enabled


# --------------------------------------------------------------------------------------------
# Robustness: whatever NAPALM returns, the converters give records that meet the data contract
# --------------------------------------------------------------------------------------------


def _check(rec: Any, platform: str) -> None:
    check_record(rec, platform)
    if isinstance(rec, MacEntry):
        assert (rec.interface == "") == (rec.kind == "self"), rec
    elif isinstance(rec, Neighbor):
        assert rec.remote_name, rec


@settings(
    max_examples=C.FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(("mac", "interface", "vlan", "static", "ip", "remote_system_name", "remote_port")),
            st.one_of(st.text(max_size=20), st.integers(-5, 5000), st.booleans(), st.none()),
        ),
        max_size=8,
    )
)
def test_napalm_converters_never_crash(rows: List[Dict[str, Any]]) -> None:
    for platform in ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"):
        for rec in _napalm.mac_table_from_napalm(rows, platform, "fuzz-sw").records:
            _check(rec, platform)
        for rec in _napalm.arp_from_napalm(rows, platform).records:
            _check(rec, platform)
        for rec in _napalm.neighbors_from_napalm({"Ethernet1": rows}, platform).records:
            _check(rec, platform)
