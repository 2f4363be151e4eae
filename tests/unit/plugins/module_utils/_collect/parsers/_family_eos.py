# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Arista EOS family of the parser contract: how each recorded ``arista_eos`` case
(ntc-templates, NAPALM mocked_data, ttp_templates ``| json``) is fed to our parser, and how its
upstream expectation reads (normalised into record fields, compared on the upstream's fields).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import eos as E

P = "arista_eos"


def _kind(t: str) -> str:
    return "static" if "STATIC" in t.upper() else "dynamic"


def _arp_iface(text: str) -> str:
    parts = [p.strip() for p in str(text).split(",")]
    parts = [p for p in parts if p and p != "not learned"]
    return C.n_if(parts[-1], P) if parts else ""


def _read(case: C.Case) -> Tuple[C.Parser, Dict[str, str], List[Dict[str, Any]]]:
    raw = case.raw[0].read_text(encoding="utf-8")
    key = (case.source, case.category)
    if key == ("ntc-templates", "mac_table"):
        exp = [
            {
                "mac": C.n_mac(r["mac_address"]),
                "vlan": C.n_vlan(r["vlan_id"]),
                "interface": C.n_if(p, P),
                "kind": _kind(r["type"]),
            }
            for r in C.ntc_rows(case)
            for p in r["destination_port"]
        ]
        return E.parse_mac_table, {E.CMD_MAC: raw}, exp
    if key == ("ntc-templates", "arp"):
        exp = [
            {
                "ip": r["ip_address"],
                "mac": C.n_mac(r["mac_address"]),
                "interface": _arp_iface(r["interface"]),
                "vrf": r["vrf"],
            }
            for r in C.ntc_rows(case)
        ]
        return E.parse_arp, {E.CMD_ARP: raw}, exp
    if key == ("napalm", "arp"):
        exp = [
            {"ip": r["ip"], "mac": C.n_mac(r["mac"]), "interface": C.n_if(r["interface"], P)}
            for r in case.read_expected()
        ]
        return E.parse_arp, {E.CMD_ARP: raw}, exp
    if key == ("ntc-templates", "lldp"):
        rows = C.ntc_rows(case)
        exp = [
            {
                "local_interface": C.n_if(r["local_interface"], P),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
                **({"remote_mac": C.n_mac_opt(r["chassis_id"])} if "chassis_id" in r else {}),
            }
            for r in rows
        ]
        cmd = E.CMD_LLDP if "detail" in case.command else "show lldp neighbors"
        return E.parse_neighbors, {cmd: raw}, exp
    if key == ("napalm", "lldp"):
        data = case.read_expected()
        if "detail" in case.command:
            exp = [
                {
                    "local_interface": C.n_if(local, P),
                    "remote_name": n["remote_system_name"],
                    "remote_port": n["remote_port"],
                    "capabilities": C.n_caps(n["remote_system_enable_capab"]),
                    "remote_mac": C.n_mac_opt(n["remote_chassis_id"]),
                }
                for local, ns in data.items()
                for n in ns
            ]
            return E.parse_neighbors, {E.CMD_LLDP: raw}, exp
        exp = [
            {"local_interface": C.n_if(local, P), "remote_name": n["hostname"], "remote_port": n["port"]}
            for local, ns in data.items()
            for n in ns
        ]
        return E.parse_neighbors, {"show lldp neighbors": raw}, exp
    if key == ("ttp_templates", "lldp"):
        exp = [
            {
                "local_interface": C.n_if(r["interface"], P),
                "remote_name": r["remote_device"],
                "remote_port": r["remote_interface"],
                "remote_mac": C.n_mac_opt(r["remote_chassi_id"]),
            }
            for r in case.read_expected()
        ]
        return E.parse_neighbors, {E.CMD_LLDP: raw}, exp
    if key == ("ntc-templates", "interface_status"):
        exp = []
        for r in C.ntc_rows(case):
            vlan = r["vlan_id"]
            # ntc keeps "Po49" of the Vlan column "in Po49" (member of that port-channel)
            lag = C.n_if(vlan.replace("in ", ""), P) if vlan.replace("in ", "").startswith("Po") else None
            mode = {"trunk": "trunk", "routed": "routed"}.get(vlan, "access" if vlan.isdigit() else "unknown")
            exp.append(
                {
                    "name": C.n_if(r["port"], P),
                    "description": r["name"],
                    "mode": mode,
                    "access_vlan": C.n_vlan(vlan) if mode == "access" else None,
                    "enabled": r["status"] != "disabled",
                    "lag": lag,
                }
            )
        return E.parse_ports, {E.CMD_STATUS: raw}, exp
    if key == ("napalm", "interface_status"):
        exp = [
            {"name": C.n_if(name, P), "description": i["description"], "enabled": i["is_enabled"]}
            for name, i in case.read_expected().items()
        ]
        return E.parse_ports, {"show interfaces": raw}, exp
    if key == ("ntc-templates", "trunk_lag"):
        exp = []
        for r in C.ntc_rows(case):
            agg = C.n_if(r["bundle_name"], P)
            exp.append({"name": agg, "lag": None, "is_lag": True})
            exp.extend({"name": C.n_if(m, P), "lag": agg, "is_lag": False} for m in r["member_interface"])
        return E.parse_ports, {E.CMD_PO: raw}, exp
    raise AssertionError(f"{case.case_id}: no reader for {key}")


KEYS = (
    ("napalm", "arp"),
    ("napalm", "interface_status"),
    ("napalm", "lldp"),
    ("ntc-templates", "arp"),
    ("ntc-templates", "interface_status"),
    ("ntc-templates", "lldp"),
    ("ntc-templates", "mac_table"),
    ("ntc-templates", "trunk_lag"),
    ("ttp_templates", "lldp"),
)


def build(case: C.Case) -> C.Built:
    parser, outputs, expected = _read(case)
    return C.Built(parser, outputs, expected, C.project_on_expected(expected))


EOS = C.Family(
    name=P,
    platforms=(P,),
    switch="sw-eos",
    builders={key: build for key in KEYS},
    key=lambda case: (case.source, case.category),
    min_cases=15,
    golden_indent=2,
)
