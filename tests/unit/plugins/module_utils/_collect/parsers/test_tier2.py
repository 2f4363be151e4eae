# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tier-2 parsers over EVERY recorded case of hp_comware, huawei_vrp, dell_os10,
ruckus_fastiron (and brocade_fastiron) and extreme_exos in tests/fixtures/recorded/MANIFEST.tsv.

Each case is parsed with the getter that uses its command and checked twice:
* against our golden records (golden/<platform>/<case>.json, regenerate with --update-golden);
* against the upstream expected output (ntc-templates YAML, napalm-community JSON) normalised
  into record form. A difference must be declared in differences_tier2.yml with its reason, and a
  declared difference that no longer occurs fails too (stale declaration).
Cases of commands no getter uses are listed under ``not_parsed`` in the same file, with reasons.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
import yaml

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import comware as _parse_comware
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import exos as _parse_exos
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import fastiron as _parse_fastiron
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import os10 as _parse_os10
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import vrp as _parse_vrp
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import parse_vlan_list
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS as _ALL_PLATFORMS

TIER2_SPECS = {k: spec for k, spec in PARSERS.items() if _ALL_PLATFORMS[k].tier == 2}

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[5]
RECORDED = REPO / "tests" / "fixtures" / "recorded"
GOLDEN = HERE / "golden"
DIFFS = yaml.safe_load((HERE / "differences_tier2.yml").read_text(encoding="utf-8"))
PLATFORM_OF = {
    "hp_comware": "hp_comware",
    "huawei_vrp": "huawei_vrp",
    "dell_os10": "dell_os10",
    "ruckus_fastiron": "ruckus_fastiron",
    "brocade_fastiron": "ruckus_fastiron",
    "extreme_exos": "extreme_exos",
}
SWITCH = "sw-test"

Rows = List[Dict[str, Any]]


def _mac(v: str) -> str:
    m = re.match(r"^([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})$", v)  # Comware/VRP spelling
    return normalize_mac(".".join(m.groups()) if m else v)


def _vlan(v: Any) -> Optional[int]:
    s = str(v or "").strip()
    return int(s) if s.isdigit() and 1 <= int(s) <= 4094 else None


# ---- upstream normalisers: upstream rows -> comparable dicts; projections: our records -> the same keys


def _proj(*keys: str, where: Optional[Callable[[Dict[str, Any]], bool]] = None) -> Callable[[Rows], Rows]:
    def project(records: Rows) -> Rows:
        return [{k: r[k] for k in keys} for r in records if where is None or where(r)]

    return project


def _comware_brief(rows: Rows) -> Rows:
    out = []
    for r in rows:
        typ = r["type"]
        desc = r["description"].strip()
        out.append(
            {
                "name": _parse_comware.canon(r["interface"]),
                "enabled": r["link"] != "ADM",
                "mode": {"A": "access", "T": "trunk", "H": "trunk", "": "routed"}[typ],
                "access_vlan": _vlan(r["vlan_id"]) if typ == "A" else None,
                "description": "" if desc == "--" else desc,
            }
        )
    return out


def _vrp_port_vlan(rows: Rows) -> Rows:
    out = []
    for r in rows:
        # the template leaves link type "-" (a layer-3 port) empty
        mode = {"access": "access", "trunk": "trunk", "hybrid": "trunk", "": "routed"}.get(r["link_type"], "unknown")
        vlans = parse_vlan_list(" ".join(v for v in r["trunk_vlan_list"] if v != "-"))
        out.append(
            {
                "name": _parse_vrp.canon(r["interface"]),
                "mode": mode,
                "access_vlan": _vlan(r["vlan_id"]) if mode == "access" else None,
                "trunk_vlans": sorted(set(vlans)) if mode == "trunk" else [],
            }
        )
    return out


def _fastiron_brief(rows: Rows) -> Rows:
    out = []
    for r in rows:
        port = str(r.get("port") or r.get("interface"))
        name = _parse_fastiron.canon(port)
        tag = r.get("tag") or r.get("tagonly")
        trunk = str(r.get("trunk") or r.get("trunkid"))
        pvid = r.get("vlan_id") or r.get("pvid")
        physical = bool(re.match(r"^\d+(/\d+)*$", name)) or name.startswith("lag")
        mode = ("trunk" if tag == "Yes" else "access") if physical else "routed"
        lag = f"lag{int(trunk)}" if trunk.isdigit() and f"lag{int(trunk)}" != name else None
        out.append(
            {
                "name": name,
                "enabled": not str(r.get("link") or r.get("linkstate")).lower().startswith("disable"),
                "mode": mode,
                "access_vlan": _vlan(pvid) if mode == "access" else None,
                "description": r["name"].strip(),
                "lag": lag,
            }
        )
    return out


def _exos_sharing(rows: Rows) -> Rows:
    out = []
    for r in rows:
        for member in r["ld_share_group"]:
            out.append({"name": member, "lag": r["config_master"]})
    return out


def _os10_napalm(expected: Any) -> Rows:
    out = []
    for local, neighbors in expected.items():
        for n in neighbors:
            out.append(
                {
                    "local_interface": local,
                    "remote_name": n.get("hostname", n.get("remote_system_name", "")),
                    "remote_port": n.get("port", n.get("remote_port", "")),
                }
            )
    return out


_NEIGHBOR_KEYS = _proj("local_interface", "remote_name", "remote_port")
_MAC_KEYS = _proj("mac", "vlan", "interface")
_ARP_KEYS = _proj("ip", "mac", "interface", "vrf")


class Case:
    """How one recorded command is parsed and compared."""

    def __init__(
        self,
        getter: str,
        command: str,
        normalise: Callable[[Any], Rows],
        project: Callable[[Rows], Rows],
        parse: Optional[Callable[[str], Dict[str, Any]]] = None,
    ) -> None:
        self.getter = getter
        self.command = command
        self.normalise = normalise
        self.project = project
        self.parse = parse


def _comware_vlans(text: str) -> Dict[str, Any]:
    vlan_ids, membership = _parse_comware.parse_vlan_all(text)
    return {
        "vlans": vlan_ids,
        "membership": {p: {"tagged": sorted(t), "untagged": sorted(u)} for p, (t, u) in sorted(membership.items())},
    }


CASES: Dict[Tuple[str, str], Case] = {
    ("hp_comware", "display_arp"): Case(
        "arp",
        _parse_comware.CMD_ARP,
        lambda rows: [
            {"ip": r["ip_address"], "mac": _mac(r["mac_address"]), "interface": _parse_comware.canon(r["interface"])}
            for r in rows
        ],
        _proj("ip", "mac", "interface"),
    ),
    ("hp_comware", "display_interface_brief"): Case(
        "ports",
        _parse_comware.CMD_BRIEF,
        _comware_brief,
        _proj("name", "enabled", "mode", "access_vlan", "description"),
    ),
    ("hp_comware", "display_link-aggregation_member-port"): Case(
        "ports",
        _parse_comware.CMD_LAGS,
        lambda rows: [
            {
                "name": _parse_comware.canon(r["member_port"]),
                "lag": _parse_comware.canon(r["aggregate_interface"]),
            }
            for r in rows
        ],
        _proj("name", "lag", where=lambda r: r["lag"] is not None),
    ),
    ("hp_comware", "display_lldp_neighbor-information_list"): Case(
        "neighbors",
        _parse_comware.CMD_LLDP,
        lambda rows: [
            {
                "local_interface": _parse_comware.canon(r["local_interface"]),
                "remote_name": "" if r["neighbor_name"] == "-" else r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
            }
            for r in rows
        ],
        _NEIGHBOR_KEYS,
    ),
    ("hp_comware", "display_vlan_all"): Case(
        "vlans",
        _parse_comware.CMD_VLANS,
        lambda rows: [{"vlan": int(r["vlan_id"])} for r in rows],
        lambda rec: [{"vlan": v} for v in rec[0]["vlans"]],
        parse=_comware_vlans,
    ),
    ("huawei_vrp", "display_arp_all"): Case(
        "arp",
        _parse_vrp.CMD_ARP,
        lambda rows: [
            {
                "ip": r["ip_address"],
                "mac": _mac(r["mac_address"]),
                "interface": _parse_vrp.canon(r["interface"]),
                "vrf": r.get("vpn_instance") or "default",
            }
            for r in rows
        ],
        _ARP_KEYS,
    ),
    ("huawei_vrp", "display_arp_brief"): Case(
        "arp",
        _parse_vrp.CMD_ARP,
        lambda rows: [
            {
                "ip": r["ip_address"],
                "mac": _mac(r["mac_address"]),
                "interface": _parse_vrp.canon(r["interface"]),
                "vrf": "default",
            }
            for r in rows
        ],
        _ARP_KEYS,
    ),
    ("huawei_vrp", "display_interface_brief"): Case(
        "ports",
        _parse_vrp.CMD_BRIEF,
        lambda rows: [
            {
                "name": _parse_vrp.canon(re.sub(r"\(.*\)$", "", r["interface"])),
                "enabled": not r["phy"].startswith("*"),
            }
            for r in rows
        ],
        _proj("name", "enabled"),
    ),
    ("huawei_vrp", "display_lldp_neighbor"): Case(
        "neighbors",
        _parse_vrp.CMD_LLDP,
        lambda rows: [
            {
                "local_interface": _parse_vrp.canon(r["local_interface"]),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_port_id"],
            }
            for r in rows
        ],
        _NEIGHBOR_KEYS,
    ),
    ("huawei_vrp", "display_mac-address"): Case(
        "mac_table",
        _parse_vrp.CMD_MAC,
        lambda rows: [
            {
                "mac": _mac(r["destination_address"]),
                "vlan": _vlan(r["vlan_id"]),
                "interface": _parse_vrp.canon(r["destination_port"]),
            }
            for r in rows
        ],
        _MAC_KEYS,
    ),
    ("huawei_vrp", "display_port_vlan"): Case(
        "ports",
        _parse_vrp.CMD_PORTVLAN,
        _vrp_port_vlan,
        _proj("name", "mode", "access_vlan", "trunk_vlans"),
    ),
    ("dell_os10", "test_get_lldp_neighbors"): Case("neighbors", _parse_os10.CMD_LLDP, _os10_napalm, _NEIGHBOR_KEYS),
    ("dell_os10", "test_get_lldp_neighbors_detail"): Case(
        "neighbors", _parse_os10.CMD_LLDP, _os10_napalm, _NEIGHBOR_KEYS
    ),
    ("ruckus_fastiron", "show_arp"): Case(
        "arp",
        _parse_fastiron.CMD_ARP,
        lambda rows: [
            {"ip": r["ip_address"], "mac": _mac(r["mac_address"]), "interface": _parse_fastiron.canon(r["port"])}
            for r in rows
            if r["mac_address"] != "None"
        ],
        _proj("ip", "mac", "interface"),
    ),
    ("ruckus_fastiron", "show_mac-address"): Case(
        "mac_table",
        _parse_fastiron.CMD_MAC,
        lambda rows: [
            {
                "mac": _mac(r["mac_address"]),
                "vlan": _vlan(r["vlan_id"]),
                "interface": _parse_fastiron.canon(r.get("port") or r.get("destination_port")),
            }
            for r in rows
        ],
        _MAC_KEYS,
    ),
    ("ruckus_fastiron", "show_interfaces_brief"): Case(
        "ports",
        _parse_fastiron.CMD_BRIEF,
        _fastiron_brief,
        _proj("name", "enabled", "mode", "access_vlan", "description", "lag"),
    ),
    ("ruckus_fastiron", "show_lldp_neighbors_detail"): Case(
        "neighbors",
        _parse_fastiron.CMD_LLDP,
        lambda rows: [
            {
                "local_interface": _parse_fastiron.canon(r["local_interface"]),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"] or r["neighbor_port_id"],
            }
            for r in rows
        ],
        _NEIGHBOR_KEYS,
    ),
    ("extreme_exos", "show_iparp"): Case(
        "arp",
        _parse_exos.CMD_ARP,
        lambda rows: [
            {
                "ip": r["destination"],
                "mac": _mac(r["mac_address"]),
                "interface": r["port"] or r["vlan_name"],
                "vrf": "default" if r["vr"] == "VR-Default" else r["vr"],
            }
            for r in rows
        ],
        _ARP_KEYS,
    ),
    ("extreme_exos", "show_ports_information"): Case(
        "ports",
        _parse_exos.CMD_INFO,
        lambda rows: [
            {
                "name": r["interface"],
                "enabled": r["flags"].startswith("E"),
                "lag": r["load_master"].split()[0] if r["load_master"] else None,
            }
            for r in rows
        ],
        _proj("name", "enabled", "lag"),
    ),
    ("extreme_exos", "show_ports_information_detail"): Case(
        "ports",
        _parse_exos.CMD_PORTS,
        lambda rows: [
            {
                "name": r["interface"],
                "enabled": r["admin_state"].startswith("Enabled"),
                "description": r["description"],
            }
            for r in rows
        ],
        _proj("name", "enabled", "description"),
    ),
    ("extreme_exos", "show_sharing"): Case(
        "ports",
        _parse_exos.CMD_SHARING,
        _exos_sharing,
        _proj("name", "lag", where=lambda r: r["lag"] is not None),
    ),
}
CASES[("brocade_fastiron", "show_arp")] = Case(
    "arp",
    _parse_fastiron.CMD_ARP,
    lambda rows: [
        {"ip": r["ip_address"], "mac": _mac(r["mac_address"]), "interface": _parse_fastiron.canon(r["port"])}
        for r in rows
    ],
    _proj("ip", "mac", "interface"),
)

for _cmd in ("show_mac-address", "show_interfaces_brief", "show_lldp_neighbors_detail"):
    CASES[("brocade_fastiron", _cmd)] = CASES[("ruckus_fastiron", _cmd)]


def _manifest() -> Dict[str, Dict[str, Any]]:
    cases: Dict[str, Dict[str, Any]] = {}
    with (RECORDED / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["platform"] not in PLATFORM_OF:
                continue
            case = cases.setdefault(row["case_id"], {"platform": row["platform"], "command": row["command"]})
            case[row["kind"]] = RECORDED / row["path"]
    return cases


MANIFEST = _manifest()
PARSED = sorted(c for c, v in MANIFEST.items() if c not in DIFFS["not_parsed"])


def _parse_case(case_id: str) -> Tuple[Case, Dict[str, Any]]:
    info = MANIFEST[case_id]
    case = CASES[(info["platform"], info["command"])]
    text = info["raw"].read_text(encoding="utf-8", errors="replace")
    if case.parse is not None:
        return case, {"records": [case.parse(text)], "skipped": 0, "warnings": []}
    spec = TIER2_SPECS[PLATFORM_OF[info["platform"]]]
    parser = getattr(spec, f"parse_{case.getter}")
    res = parser({case.command: text}, SWITCH)
    return case, {"records": [r.to_dict() for r in res.records], "skipped": res.skipped, "warnings": res.warnings}


def _upstream(case_id: str) -> Any:
    path: Path = MANIFEST[case_id]["expected"]
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))["parsed_sample"] or []


def _key(d: Dict[str, Any]) -> str:
    return json.dumps(d, sort_keys=True)


def test_every_recorded_case_is_parsed_or_declared() -> None:
    assert MANIFEST, "no tier-2 cases found in MANIFEST.tsv"
    for case_id, info in MANIFEST.items():
        mapped = (info["platform"], info["command"]) in CASES
        declared = case_id in DIFFS["not_parsed"]
        assert mapped != declared, f"{case_id}: must be either parsed or listed under not_parsed (not both)"
        assert "raw" in info and "expected" in info, f"{case_id}: raw or expected file missing"
    for case_id in list(DIFFS["not_parsed"]) + list(DIFFS["differences"]):
        assert case_id in MANIFEST, f"differences_tier2.yml names unknown case {case_id}"


@pytest.mark.parametrize("case_id", PARSED, ids=PARSED)
def test_golden(case_id: str, update_golden: bool) -> None:
    _unused, got = _parse_case(case_id)
    path = GOLDEN / PLATFORM_OF[MANIFEST[case_id]["platform"]] / (case_id.replace("/", "__") + ".json")
    rendered = json.dumps({"case": case_id, **got}, indent=1, sort_keys=True) + "\n"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file for {case_id}: run pytest --update-golden and read the diff"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(rendered)


@pytest.mark.parametrize("case_id", PARSED, ids=PARSED)
def test_matches_upstream(case_id: str) -> None:
    case, got = _parse_case(case_id)
    ours = sorted(_key(d) for d in case.project(got["records"]))
    theirs = sorted(_key(d) for d in case.normalise(_upstream(case_id)))
    declared = DIFFS["differences"].get(case_id)
    if declared is None:
        assert ours == theirs, f"{case_id}: undeclared difference from upstream:\n" + "\n".join(
            [f"- {x}" for x in sorted(set(theirs) - set(ours))] + [f"+ {x}" for x in sorted(set(ours) - set(theirs))]
        )
    else:
        assert ours != theirs, f"{case_id}: declared difference no longer occurs (remove it): {declared}"
        assert got["records"], f"{case_id}: declared difference but nothing parsed"
