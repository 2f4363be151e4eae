# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recorded SNMP walks (tests/fixtures/recorded/snmp, from LibreNMS's test suite) and how our
records compare with LibreNMS's own answers. Shared by test_mib.py (offline decode) and
test_snmp_live.py (the same walks served by a real snmpsim agent)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

import yaml

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib
from ansible_collections.camguard.network.plugins.module_utils._records import SwitchData

ROOT = Path(__file__).resolve().parents[6] / "tests" / "fixtures" / "recorded" / "snmp"
DIFFERENCES = Path(__file__).resolve().parent / "differences_snmp.yml"


def load_cases() -> List[Dict[str, Any]]:
    with (ROOT / "MANIFEST.tsv").open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for r in rows:
        exp = json.loads((ROOT / r["expected_path"]).read_text())
        out.append({**r, "name": exp["name"], "expected": exp, "community": r["path"][: -len(".snmprec")]})
    return out


def read_walk(case: Mapping[str, Any]) -> Tuple[Dict[str, Any], Dict[str, List[mib.Row]]]:
    text = (ROOT / case["path"]).read_text(encoding="utf-8", errors="surrogateescape")
    return mib.walk_from_varbinds(mib.parse_snmprec(text))


def baseports(walk: Mapping[str, Any]) -> Dict[int, int]:
    return {idx[0]: v for idx, v in walk.get("dot1dBasePortIfIndex", []) if len(idx) == 1 and isinstance(v, int)}


def compare(case: Mapping[str, Any], data: SwitchData, walk: Mapping[str, Any]) -> Dict[str, List[str]]:
    """Getter -> what differs from LibreNMS's answer (empty: nothing)."""
    exp = case["expected"]
    out: Dict[str, List[str]] = {}
    if exp.get("fdb") is not None:
        ours = {(m.mac.replace(":", ""), m.vlan, m.interface or None) for m in data.macs if m.kind != "self"}
        theirs = {(e["mac"], e["vlan"], e["ifName"] or e["ifDescr"]) for e in exp["fdb"]}
        d = [f"only ours: {x}" for x in sorted(ours - theirs, key=str)[:5]]
        d += [f"only LibreNMS: {x}" for x in sorted(theirs - ours, key=str)[:5]]
        if d:
            out["mac_table"] = d
    if exp.get("ports"):
        by_name = {p.name: p for p in data.ports}
        d = []
        for p in exp["ports"]:
            name = p["ifName"] or p["ifDescr"]
            if name not in by_name:
                d.append(f"port {name!r} missing")
            elif p.get("ifAlias") not in (None, by_name[name].description) and not (
                # LibreNMS shows ifDescr (or ifName) where the agent's ifAlias is empty
                by_name[name].description == "" and p["ifAlias"] in (p.get("ifDescr"), p.get("ifName"))
            ):
                d.append(f"port {name!r}: description {by_name[name].description!r} != {p['ifAlias']!r}")
        if d:
            out["ports"] = d[:8]
    if exp.get("neighbours") is not None:
        ours_n = {(n.protocol, n.local_interface, n.remote_name) for n in data.neighbors}
        theirs_n = {
            (n["protocol"], n["local_ifName"] or n["local_ifDescr"], n["remote_hostname"]) for n in exp["neighbours"]
        }
        d = [f"only ours: {x}" for x in sorted(ours_n - theirs_n)[:5]]
        d += [f"only LibreNMS: {x}" for x in sorted(theirs_n - ours_n)[:5]]
        if d:
            out["neighbors"] = d
    if exp.get("ports_vlans"):
        # LibreNMS's VLAN membership per bridge port: one untagged VLAN and nothing tagged = access
        names = {i: n for i, n in ((p[0][0], mib.as_text(p[1])) for p in walk.get("ifName", []))}
        bp = baseports(walk)
        member: Dict[int, Set[Tuple[int, int]]] = {}
        for pv in exp["ports_vlans"]:
            if pv["baseport"]:
                member.setdefault(int(pv["baseport"]), set()).add((int(pv["vlan"]), int(pv["untagged"])))
        by_name = {p.name: p for p in data.ports}
        d = []
        for port, vl in sorted(member.items()):
            name = names.get(bp.get(port, port))
            ours_p = by_name.get(name or "")
            if ours_p is None:
                continue
            tagged = {v for v, u in vl if not u}
            untagged = {v for v, u in vl if u}
            want = "trunk" if tagged or len(untagged) > 1 else "access"
            if ours_p.mode != want or (want == "access" and ours_p.access_vlan not in untagged):
                d.append(f"{name}: ours {ours_p.mode}/{ours_p.access_vlan}, LibreNMS {sorted(vl)}")
        if d:
            out["vlans"] = d[:8]
    return out


def load_differences() -> Dict[str, Dict[str, str]]:
    data = yaml.safe_load(DIFFERENCES.read_text()) or {}
    return {k: dict(v) for k, v in data.items()}


def declared(name: str) -> Optional[Dict[str, str]]:
    return load_differences().get(name)
