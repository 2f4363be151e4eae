# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tier-2 family of the parser contract: hp_comware, huawei_vrp, dell_os10, ruckus_fastiron
(and brocade_fastiron) and extreme_exos. How each recorded command is parsed (with the getter
that uses it) and how its upstream expectation (ntc-templates YAML, napalm-community JSON) reads,
normalised into record form; the authored bundles of ``tests/fixtures/authored`` are fuzz seeds.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import comware as _parse_comware
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import exos as _parse_exos
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import fastiron as _parse_fastiron
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import os10 as _parse_os10
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import vrp as _parse_vrp
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    parse_vlan_list,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS

TIER2 = tuple(sorted(k for k in C.PARSERS if PLATFORMS[k].tier == 2))

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


class Recipe:
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


RECIPES: Dict[Tuple[str, str], Recipe] = {
    ("hp_comware", "display_arp"): Recipe(
        "arp",
        _parse_comware.CMD_ARP,
        lambda rows: [
            {"ip": r["ip_address"], "mac": _mac(r["mac_address"]), "interface": _parse_comware.canon(r["interface"])}
            for r in rows
        ],
        _proj("ip", "mac", "interface"),
    ),
    ("hp_comware", "display_interface_brief"): Recipe(
        "ports",
        _parse_comware.CMD_BRIEF,
        _comware_brief,
        _proj("name", "enabled", "mode", "access_vlan", "description"),
    ),
    ("hp_comware", "display_link-aggregation_member-port"): Recipe(
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
    ("hp_comware", "display_lldp_neighbor-information_list"): Recipe(
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
    ("hp_comware", "display_vlan_all"): Recipe(
        "vlans",
        _parse_comware.CMD_VLANS,
        lambda rows: [{"vlan": int(r["vlan_id"])} for r in rows],
        lambda rec: [{"vlan": v} for v in rec[0]["vlans"]],
        parse=_comware_vlans,
    ),
    ("huawei_vrp", "display_arp_all"): Recipe(
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
    ("huawei_vrp", "display_arp_brief"): Recipe(
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
    ("huawei_vrp", "display_interface_brief"): Recipe(
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
    ("huawei_vrp", "display_lldp_neighbor"): Recipe(
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
    ("huawei_vrp", "display_mac-address"): Recipe(
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
    ("huawei_vrp", "display_port_vlan"): Recipe(
        "ports",
        _parse_vrp.CMD_PORTVLAN,
        _vrp_port_vlan,
        _proj("name", "mode", "access_vlan", "trunk_vlans"),
    ),
    ("dell_os10", "test_get_lldp_neighbors"): Recipe("neighbors", _parse_os10.CMD_LLDP, _os10_napalm, _NEIGHBOR_KEYS),
    ("dell_os10", "test_get_lldp_neighbors_detail"): Recipe(
        "neighbors", _parse_os10.CMD_LLDP, _os10_napalm, _NEIGHBOR_KEYS
    ),
    ("ruckus_fastiron", "show_arp"): Recipe(
        "arp",
        _parse_fastiron.CMD_ARP,
        lambda rows: [
            {"ip": r["ip_address"], "mac": _mac(r["mac_address"]), "interface": _parse_fastiron.canon(r["port"])}
            for r in rows
            if r["mac_address"] != "None"
        ],
        _proj("ip", "mac", "interface"),
    ),
    ("ruckus_fastiron", "show_mac-address"): Recipe(
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
    ("ruckus_fastiron", "show_interfaces_brief"): Recipe(
        "ports",
        _parse_fastiron.CMD_BRIEF,
        _fastiron_brief,
        _proj("name", "enabled", "mode", "access_vlan", "description", "lag"),
    ),
    ("ruckus_fastiron", "show_lldp_neighbors_detail"): Recipe(
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
    ("extreme_exos", "show_iparp"): Recipe(
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
    ("extreme_exos", "show_ports_information"): Recipe(
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
    ("extreme_exos", "show_ports_information_detail"): Recipe(
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
    ("extreme_exos", "show_sharing"): Recipe(
        "ports",
        _parse_exos.CMD_SHARING,
        _exos_sharing,
        _proj("name", "lag", where=lambda r: r["lag"] is not None),
    ),
}
RECIPES[("brocade_fastiron", "show_arp")] = Recipe(
    "arp",
    _parse_fastiron.CMD_ARP,
    lambda rows: [
        {"ip": r["ip_address"], "mac": _mac(r["mac_address"]), "interface": _parse_fastiron.canon(r["port"])}
        for r in rows
    ],
    _proj("ip", "mac", "interface"),
)

for _cmd in ("show_mac-address", "show_interfaces_brief", "show_lldp_neighbors_detail"):
    RECIPES[("brocade_fastiron", _cmd)] = RECIPES[("ruckus_fastiron", _cmd)]


@dataclass(frozen=True)
class _Doc:
    """A non-record parse (the VLAN table) as a record, so that it goes through the same checks."""

    data: Dict[str, Any]

    def to_dict(self) -> Dict[str, Any]:
        return self.data


def _adapter(recipe: Recipe) -> C.Parser:
    parse = recipe.parse
    assert parse is not None

    def parser(outputs: Mapping[str, str], switch: str) -> ParseResult[Any]:
        return ParseResult(records=[_Doc(parse(outputs[recipe.command]))])

    return parser


_ADAPTERS = {key: _adapter(r) for key, r in RECIPES.items() if r.parse is not None}


def _upstream(case: C.Case) -> Any:
    data = case.read_expected()
    if case.expected is not None and case.expected.suffix == ".json":
        return data
    return data["parsed_sample"] or []


def build(case: C.Case) -> C.Built:
    recipe = RECIPES[(case.platform, case.command)]
    assert len(case.raw) == 1, f"{case.case_id}: one raw file expected"
    text = case.raw[0].read_text(encoding="utf-8", errors="replace")
    adapter = _ADAPTERS.get((case.platform, case.command))
    parser = adapter or C.getter_parser(case.key, recipe.getter)
    return C.Built(
        parser,
        {recipe.command: text},
        recipe.normalise(_upstream(case)),
        lambda records: recipe.project([r.to_dict() for r in records]),
    )


TIER2_FAMILY = C.Family(
    name="tier2",
    platforms=TIER2,
    switch="sw-test",
    builders={key: build for key in RECIPES},
    key=lambda case: (case.platform, case.command),
    golden_indent=1,
    golden_full=True,
    authored=tuple(s for p in TIER2 for s in C.authored_seeds(p)),
)
