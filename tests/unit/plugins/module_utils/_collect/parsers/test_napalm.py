# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAPALM getter results -> records (``_napalm.py``) over every recorded NAPALM case.

* Every ``expected_result.json`` of NAPALM's own test suite (ios, nxos, nxos_ssh, eos, junos)
  for get_mac_address_table, get_arp_table, get_lldp_neighbors(_detail), get_interfaces and
  get_vlans is converted; the records match ``golden/napalm/<case>.json`` (``--update-golden``)
  and the expected data normalised independently (below).
* Cross-check: for the ios and nxos_ssh MAC tables, our CLI parser on the same raw output must
  agree with NAPALM's result (as converted here), except the differences declared in
  ``differences_cisco.yml`` under ``crosscheck/<case_id>``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_cisco as H

from ansible_collections.camguard.network.plugins.module_utils._collect import napalm as _napalm
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import cisco as _parse_cisco
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac

HERE = Path(__file__).resolve().parent
RECORDED = HERE.parents[4] / "fixtures" / "recorded"
GOLDEN = HERE / "golden" / "napalm"
DIFFERENCES = yaml.safe_load((HERE / "differences_cisco.yml").read_text(encoding="utf-8")) or {}

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
    with (RECORDED / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["source"] != "napalm" or row["kind"] != "expected":
                continue
            driver = row["path"].split("/")[1]
            if driver not in DRIVER_PLATFORM:
                continue
            assert row["command"] in GETTERS, f"unmapped NAPALM getter {row['command']} ({row['path']})"
            out.append((row["case_id"], driver, GETTERS[row["command"]], RECORDED / row["path"]))
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
    payload = {"records": [r.to_dict() for r in result.records], "skipped": result.skipped}
    golden = GOLDEN / f"{re.sub(r'[^A-Za-z0-9_.-]+', '__', case_id)}.json"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run pytest --update-golden and review the diff"
    assert json.loads(golden.read_text(encoding="utf-8")) == payload
    assert _ours(kind, result.records) == _expected_tuples(kind, platform, data)


CROSS = [c for c in CASES if c[2] == "mac_table" and c[1] in ("ios", "nxos_ssh")]


@pytest.mark.parametrize("case_id,driver,kind,expected", CROSS, ids=[c[0] for c in CROSS])
def test_cli_parser_agrees_with_napalm(case_id: str, driver: str, kind: str, expected: Path) -> None:
    platform = DRIVER_PLATFORM[driver]
    napalm_records = _convert(kind, platform, json.loads(expected.read_text(encoding="utf-8"))).records
    raw = (expected.parent / "show_mac_address_table.txt").read_text(encoding="utf-8")
    spec = _parse_cisco.SPECS[platform]
    cli_records = spec.parse_mac_table({"show mac address-table": raw}, "sw1").records
    ours = sorted(((r.mac, r.vlan, r.interface, r.kind == "self") for r in cli_records), key=repr)
    theirs = sorted(((r.mac, r.vlan, r.interface, r.kind == "self") for r in napalm_records), key=repr)
    declared: Optional[str] = DIFFERENCES.get(f"crosscheck/{case_id}")
    if ours == theirs:
        assert declared is None, f"crosscheck/{case_id} declared different but agrees now: remove it"
    else:
        assert declared, (
            f"CLI parser and NAPALM disagree on {case_id}:\n"
            f" ours-only {sorted(set(ours) - set(theirs))[:10]}\n napalm-only {sorted(set(theirs) - set(ours))[:10]}"
        )


def test_crosscheck_declarations_name_real_cases() -> None:
    known = {f"crosscheck/{c[0]}" for c in CROSS}
    stale = sorted(k for k in DIFFERENCES if k.startswith("crosscheck/") and k not in known)
    assert not stale, stale


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


def test_helpers_module_is_shared() -> None:
    # the Cisco helper's MAC normaliser and ours agree on NAPALM's upper-case spelling
    assert H._mac("A4:93:4C:C1:67:A7") == "a4:93:4c:c1:67:a7"
