# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MIB decoders over every recorded walk (LibreNMS's test suite), offline, against LibreNMS's
own answers: the MAC table for the "fdb" tier, ports, VLAN membership and neighbours for all.
Deliberate differences are declared, with reasons, in differences_snmp.yml. Plus authored walks
for what the recordings lack (LAG, Cisco per-VLAN contexts, ARP index forms, limits)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_snmp as H

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib
from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, locate
from ansible_collections.camguard.network.plugins.module_utils._records import Verdict

CASES = H.load_cases()
ALL = ("mac_table", "arp", "neighbors", "ports")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_copy_matches_the_manifest(case: Dict[str, Any]) -> None:
    data = (H.ROOT / case["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == case["sha256_trimmed"]
    assert case["licence"] == "GPL-3.0-or-later"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_records_match_librenms_or_declared(case: Dict[str, Any]) -> None:
    scalars, walk = H.read_walk(case)
    dec = mib.decode_switch(case["name"], "snmp", scalars, walk, ALL)
    diff = H.compare(case, dec.data, walk)
    declared = H.declared(case["name"]) or {}
    assert sorted(diff) == sorted(declared), f"undeclared or vanished differences: {diff}"


def test_fdb_tier_counts() -> None:
    """The fdb tier: every LibreNMS entry, and the rows the walk holds but LibreNMS drops are the ones
    we skip too (port 0 without status self, bridge ports without an interface)."""
    for case in CASES:
        if case["tier"] != "fdb" or case["name"] == "ciscosb_cbs220-48t-4x":
            continue
        scalars, walk = H.read_walk(case)
        dec = mib.decode_switch(case["name"], "snmp", scalars, walk, ("mac_table",))
        assert len(dec.data.macs) == int(case["fdb_rows_expected"])
        assert dec.data.skipped_rows == int(case["fdb_rows_walk"]) - int(case["fdb_rows_expected"])


def _authored() -> Tuple[Dict[str, Any], Dict[str, List[mib.Row]]]:
    vb: List[Tuple[mib.Oid, Any]] = [
        (mib.SCALARS["sysObjectID"], (1, 3, 6, 1, 4, 1, 8072)),
        (mib.SCALARS["dot1dBaseBridgeAddress"], bytes.fromhex("02aabbccdd00")),
    ]
    names = {1: "ge1", 2: "ge2", 3: "ge3", 10: "ae1", 100: "vlan10"}
    for i, n in names.items():
        vb.append((mib.COLUMNS["ifName"] + (i,), n.encode()))
        vb.append((mib.COLUMNS["ifDescr"] + (i,), n.encode()))
        vb.append((mib.COLUMNS["ifType"] + (i,), {10: 161, 100: 136}.get(i, 6)))
        vb.append((mib.COLUMNS["ifAdminStatus"] + (i,), 1 if i != 3 else 2))
    vb.append((mib.COLUMNS["ifPhysAddress"] + (100,), bytes.fromhex("02aabbccdd10")))
    vb.append((mib.COLUMNS["ifAlias"] + (1,), b"camera\x01 lobby"))
    for bp, i in {1: 1, 2: 2, 3: 3, 4: 10}.items():
        vb.append((mib.COLUMNS["dot1dBasePortIfIndex"] + (bp,), i))
    vb.append((mib.COLUMNS["dot3adAggPortAttachedAggID"] + (2,), 10))
    vb.append((mib.COLUMNS["dot3adAggPortAttachedAggID"] + (1,), 0))
    # VLAN 10: ports 1 (untagged) and 4 (tagged); VLAN 20: port 4 tagged
    vb += [
        (mib.COLUMNS["dot1qVlanCurrentEgressPorts"] + (0, 10), bytes([0b10010000])),
        (mib.COLUMNS["dot1qVlanCurrentUntaggedPorts"] + (0, 10), bytes([0b10000000])),
        (mib.COLUMNS["dot1qVlanCurrentEgressPorts"] + (0, 20), bytes([0b00010000])),
        (mib.COLUMNS["dot1qVlanCurrentUntaggedPorts"] + (0, 20), bytes([0])),
        (mib.COLUMNS["dot1qVlanFdbId"] + (0, 10), 5),
        (mib.COLUMNS["dot1qPvid"] + (1,), 10),
    ]
    mac = (0xBC, 0xAD, 0x28, 1, 2, 3)
    vb += [
        (mib.COLUMNS["dot1qTpFdbPort"] + (5,) + mac, 1),
        (mib.COLUMNS["dot1qTpFdbStatus"] + (5,) + mac, 3),
        (mib.COLUMNS["dot1qTpFdbPort"] + (5, 2, 0xAA, 0xBB, 0xCC, 0xDD, 0), 0),
        (mib.COLUMNS["dot1qTpFdbStatus"] + (5, 2, 0xAA, 0xBB, 0xCC, 0xDD, 0), 4),
        (mib.COLUMNS["dot1qTpFdbPort"] + (20, 0, 1, 2, 3, 4, 5), 4),
        (mib.COLUMNS["dot1qTpFdbPort"] + (20, 0, 1, 2, 3, 4), 4),  # short index: skipped
        (mib.COLUMNS["ipNetToPhysicalPhysAddress"] + (100, 1, 4, 10, 0, 0, 5), bytes(mac)),
        (mib.COLUMNS["ipNetToPhysicalPhysAddress"] + (100, 1, 10, 0, 0, 6), bytes(mac)),  # no length
        (mib.COLUMNS["ipNetToMediaPhysAddress"] + (100, 10, 0, 0, 5), bytes(mac)),  # duplicate of the first
        (mib.COLUMNS["ipNetToMediaPhysAddress"] + (100, 10, 0, 0, 7), bytes(mac)),
        (mib.COLUMNS["ipNetToMediaType"] + (100, 10, 0, 0, 7), 2),  # invalid: left out
    ]
    return mib.walk_from_varbinds(vb)


def test_authored_walk_ports_lag_fdb_arp() -> None:
    scalars, walk = _authored()
    dec = mib.decode_switch("sw1", "snmp", scalars, walk, ALL)
    d = dec.data
    ports = {p.name: p for p in d.ports}
    assert ports["ge1"].mode == "access" and ports["ge1"].access_vlan == 10
    assert ports["ge1"].description == "camera  lobby"  # control characters never reach a record
    assert ports["ae1"].mode == "trunk" and ports["ae1"].trunk_vlans == (10, 20) and ports["ae1"].is_lag
    assert ports["ge2"].lag == "ae1" and ports["ge1"].lag is None
    assert ports["ge3"].enabled is False and ports["ge3"].mode == "unknown"
    assert {(m.mac, m.vlan, m.interface, m.kind) for m in d.macs} == {
        ("bc:ad:28:01:02:03", 10, "ge1", "dynamic"),
        ("02:aa:bb:cc:dd:00", 10, "", "self"),
        ("00:01:02:03:04:05", 20, "ae1", "dynamic"),
    }
    assert d.skipped_rows == 1
    assert d.own_macs == ["02:aa:bb:cc:dd:00", "02:aa:bb:cc:dd:10"]
    assert sorted(a.ip for a in d.arp) == ["10.0.0.5", "10.0.0.6"]
    assert {a.interface for a in d.arp} == {"vlan10"}
    assert dec.limits == {
        "mode": dec.limits["mode"],
        "neighbors": dec.limits["neighbors"],
    }  # ge3 is a bridge port in no VLAN list; no LLDP-MIB at all


def test_limits_reach_the_evidence() -> None:
    """Where SNMP cannot say what a CLI could, the finding's evidence says so instead of guessing."""
    scalars, walk = _authored()
    walk = {k: v for k, v in walk.items() if not k.startswith("dot1qVlan")}
    dec = mib.decode_switch("sw1", "snmp", scalars, walk, ALL)
    verdict = Verdict(mac="bc:ad:28:01:02:03", status="named", vendor_key="hikvision")
    findings = locate([dec.data], lambda m, s, i: verdict if m == verdict.mac else Verdict(mac=m, status="unknown"))
    (f,) = findings
    text = " ".join(f.evidence)
    assert "access/trunk unknown over SNMP" in text
    assert "LLDP/CDP neighbours unknown over SNMP" in text
    assert "no LLDP/CDP neighbour" not in text
    _ = LocateOptions


def test_cisco_per_vlan_contexts() -> None:
    scalars = {"sysObjectID": (1, 3, 6, 1, 4, 1, 9, 1, 1208)}
    names = {10101: b"Gi1/0/1", 10102: b"Gi1/0/2"}
    vb = [(mib.COLUMNS["ifName"] + (i,), n) for i, n in names.items()]
    vb += [
        (mib.COLUMNS["vtpVlanState"] + (1, 1), 1),
        (mib.COLUMNS["vtpVlanState"] + (1, 30), 1),
        (mib.COLUMNS["vtpVlanState"] + (1, 1002), 1),
        (mib.COLUMNS["vlanTrunkPortDynamicStatus"] + (10102,), 1),
        (mib.COLUMNS["vmVlan"] + (10101,), 30),
    ]
    _sc, walk = mib.walk_from_varbinds(vb)
    assert mib.cisco_vlans(walk, 10) == [1, 30]
    _s, v30 = mib.walk_from_varbinds(
        [
            (mib.COLUMNS["dot1dBasePortIfIndex"] + (1,), 10101),
            (mib.COLUMNS["dot1dTpFdbPort"] + (0xBC, 0xAD, 0x28, 9, 9, 9), 1),
            (mib.COLUMNS["dot1dTpFdbStatus"] + (0xBC, 0xAD, 0x28, 9, 9, 9), 3),
        ]
    )
    dec = mib.decode_switch("c1", "cisco_ios", scalars, walk, ALL, vlan_walks={30: v30, 1: {}})
    assert [(m.mac, m.vlan, m.interface) for m in dec.data.macs] == [("bc:ad:28:09:09:09", 30, "GigabitEthernet1/0/1")]
    ports = {p.name: p for p in dec.data.ports}
    assert ports["GigabitEthernet1/0/1"].mode == "access" and ports["GigabitEthernet1/0/1"].access_vlan == 30
    assert ports["GigabitEthernet1/0/2"].mode == "trunk"


def test_huge_table_is_bounded() -> None:
    _sc, walk = mib.walk_from_varbinds(
        [(mib.COLUMNS["ifName"] + (1,), b"p1"), (mib.COLUMNS["dot1dBasePortIfIndex"] + (1,), 1)]
        + [(mib.COLUMNS["dot1dTpFdbPort"] + (0, 0, 0, 0, i // 256, i % 256), 1) for i in range(5000)]
    )
    dec = mib.decode_switch("sw", "snmp", {}, walk, ("mac_table",), max_rows=1000)
    assert len(dec.data.macs) == 1000
    assert any("truncated" in w for w in dec.data.warnings)


def test_snmprec_reader_tags() -> None:
    text = "1.3.6.1.2.1.1.1.0|4|text|with bar\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9\n1.3.6.1.2.1.4.20.1.1.1|64|10.0.0.1\n"
    text += "1.3.6.1.2.1.2.2.1.6.1|4x|00AA\nbroken line\n1.3.6.1.2.1.2.2.1.10.1|65|42\n1.3.x|2|1\n"
    assert mib.parse_snmprec(text) == [
        ((1, 3, 6, 1, 2, 1, 1, 1, 0), b"text|with bar"),
        ((1, 3, 6, 1, 2, 1, 1, 2, 0), (1, 3, 6, 1, 4, 1, 9)),
        ((1, 3, 6, 1, 2, 1, 4, 20, 1, 1, 1), b"\n\x00\x00\x01"),
        ((1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1), b"\x00\xaa"),
        ((1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 1), 42),
    ]
