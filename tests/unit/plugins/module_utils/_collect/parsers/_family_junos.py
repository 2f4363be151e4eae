# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Juniper Junos family of the parser contract: how each recorded ``juniper_junos`` case
(ntc-templates text, NAPALM mocked XML, genieparser text, ttp_templates ``| display json``) is fed
to our parser, and how its upstream expectation reads; and the authored ELS samples that the
fuzz tests mutate besides the recorded outputs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import junos as J
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParseResult

P = "juniper_junos"


@dataclass(frozen=True)
class VlanRow:
    name: str
    vlan: Optional[int]

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def parse_vlans(outputs: Mapping[str, str], switch: str) -> ParseResult[VlanRow]:
    """Adapter: the VLAN name -> id map as records, so it goes through the same golden checks."""
    return ParseResult(records=[VlanRow(k, v) for k, v in J.parse_vlan_map(outputs, switch).items()])


def _flag_kind(flags: str) -> str:
    return "dynamic" if "D" in flags else "static" if ("S" in flags or "P" in flags) else "dynamic"


def _read(case: C.Case) -> Tuple[C.Parser, Dict[str, str], List[Dict[str, Any]]]:
    key = (case.source, case.category)
    raw = case.raw[0].read_text(encoding="utf-8")
    if key == ("ntc-templates", "mac_table"):
        exp = [
            {
                "mac": C.n_mac(r["mac_address"]),
                "vlan": C.n_vlan(r["vlan_id"]),
                "interface": C.n_if(r["logical_interface"], P),
                "kind": _flag_kind(r["mac_flag"]),
            }
            for r in C.ntc_rows(case)
        ]
        return J.parse_mac_table, {J.CMD_MAC: raw}, exp
    if key == ("napalm", "mac_table"):
        exp = [
            {
                "mac": C.n_mac(r["mac"]),
                "vlan": C.n_vlan(r["vlan"]),
                "interface": C.n_if(r["interface"], P),
                "static": r["static"],
            }
            for r in case.read_expected()
        ]
        return J.parse_mac_table, {J.CMD_MAC + " | display xml": raw}, exp
    if key == ("ntc-templates", "arp"):
        exp = [
            {"ip": r["ip_address"], "mac": C.n_mac(r["mac_address"]), "interface": C.n_if(r["interface"], P)}
            for r in C.ntc_rows(case)
        ]
        return J.parse_arp, {J.CMD_ARP: raw}, exp
    if key == ("genieparser", "arp"):
        raw = case.raw_named("_output.txt").read_text(encoding="utf-8")
        rows = case.read_expected()["arp-table-information"]["arp-table-entry"]
        exp = [
            {"ip": r["ip-address"], "mac": C.n_mac(r["mac-address"]), "interface": C.n_if(r["interface-name"], P)}
            for r in rows
        ]
        cmd = J.CMD_ARP if "NoResolve" in case.case_id else "show arp"
        return J.parse_arp, {cmd: raw}, exp
    if key == ("ntc-templates", "lldp"):
        exp = [
            {
                "local_interface": C.n_if(r["local_interface"], P),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
                "remote_mac": C.n_mac_opt(r["chassis_id"]),
            }
            for r in C.ntc_rows(case)
        ]
        return J.parse_neighbors, {J.CMD_LLDP: raw}, exp
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
        return J.parse_neighbors, {J.CMD_LLDP_DETAIL: raw}, exp
    if key == ("napalm", "lldp") and "detail" not in case.command:
        exp = [
            {"local_interface": C.n_if(local, P), "remote_name": n["hostname"], "remote_port": n["port"]}
            for local, ns in case.read_expected().items()
            for n in ns
        ]
        return J.parse_neighbors, {J.CMD_LLDP + " | display xml": raw}, exp
    if key == ("napalm", "lldp"):
        summary = case.raw_named("get-lldp-neighbors-information.xml").read_text(encoding="utf-8")
        detail_path = next(p for p in case.raw if "interface-neighbors" in p.name)
        detail = detail_path.read_text(encoding="utf-8")
        # NAPALM's mock answers the per-interface detail RPC with this one file for every
        # interface of the summary; the truth for a port is the entry of the port it names.
        locals_in_detail = set(re.findall(r"<lldp-local-interface>([^<]+)<", detail))
        exp = [
            {
                "local_interface": C.n_if(local, P),
                "remote_name": n["remote_system_name"],
                "remote_port": n["remote_port"] or n["remote_port_description"],
                "capabilities": C.n_caps(n["remote_system_enable_capab"]),
                "remote_mac": C.n_mac_opt(n["remote_chassis_id"]),
            }
            for local, ns in case.read_expected().items()
            if local in locals_in_detail
            for n in ns
        ]
        return J.parse_neighbors, {J.CMD_LLDP: summary, J.CMD_LLDP_DETAIL: detail}, exp
    if key == ("ntc-templates", "switchport"):
        exp = []
        for r in C.ntc_rows(case):
            tagged = "tagged" in r["tagging"]
            mode = "trunk" if tagged else "access" if len(r["vlan_member"]) == 1 else "unknown"
            access = C.n_vlan(r["vlan_id"][0]) if mode == "access" and r["vlan_id"] else None
            exp.append({"name": C.n_if(r["interface"], P), "mode": mode, "access_vlan": access})
        return J.parse_ports, {J.CMD_SWITCHPORT: raw}, exp
    if key == ("ntc-templates", "trunk_lag"):
        exp = []
        for r in C.ntc_rows(case):
            agg = C.n_if(r["bundle_name"], P)
            exp.append({"name": agg, "lag": None, "is_lag": True})
            exp.extend({"name": C.n_if(m, P), "lag": agg, "is_lag": False} for m in r["member_interface"])
        return J.parse_ports, {J.CMD_LACP: raw}, exp
    if key == ("ntc-templates", "vlan"):
        exp = [{"name": r["vlan_name"], "vlan": C.n_vlan(r["tag"])} for r in C.ntc_rows(case)]
        return parse_vlans, {J.CMD_VLANS: raw}, exp
    if key == ("napalm", "vlan"):
        exp = [{"name": v["name"], "vlan": C.n_vlan(k)} for k, v in case.read_expected().items()]
        return parse_vlans, {J.CMD_VLANS + " | display xml": raw}, exp
    raise AssertionError(f"{case.case_id}: no reader for {key}")


KEYS = (
    ("genieparser", "arp"),
    ("napalm", "lldp"),
    ("napalm", "mac_table"),
    ("napalm", "vlan"),
    ("ntc-templates", "arp"),
    ("ntc-templates", "lldp"),
    ("ntc-templates", "mac_table"),
    ("ntc-templates", "switchport"),
    ("ntc-templates", "trunk_lag"),
    ("ntc-templates", "vlan"),
    ("ttp_templates", "lldp"),
)


def build(case: C.Case) -> C.Built:
    parser, outputs, expected = _read(case)
    return C.Built(parser, outputs, expected, C.project_on_expected(expected))


# Authored samples (NOT recorded from a device; written from the Junos CLI / XML formats).

AUTHORED_ELS_XML = """\
<rpc-reply xmlns:junos="http://xml.juniper.net/junos/18.4R2/junos">
    <l2ng-l2ald-rtb-macdb>
        <l2ng-l2ald-mac-entry-vlan junos:style="brief-rtb">
            <mac-count-global>2</mac-count-global>
            <l2ng-l2-mac-routing-instance>default-switch</l2ng-l2-mac-routing-instance>
            <l2ng-l2-vlan-id>110</l2ng-l2-vlan-id>
            <l2ng-mac-entry>
                <l2ng-l2-mac-vlan-name>cameras</l2ng-l2-mac-vlan-name>
                <l2ng-l2-mac-address>4c:bd:8f:00:00:01</l2ng-l2-mac-address>
                <l2ng-l2-mac-flags>D</l2ng-l2-mac-flags>
                <l2ng-l2-mac-age>-</l2ng-l2-mac-age>
                <l2ng-l2-mac-logical-interface>ge-0/0/5.0</l2ng-l2-mac-logical-interface>
            </l2ng-mac-entry>
            <l2ng-mac-entry>
                <l2ng-l2-mac-vlan-name>cameras</l2ng-l2-mac-vlan-name>
                <l2ng-l2-mac-address>a4:14:37:00:00:02</l2ng-l2-mac-address>
                <l2ng-l2-mac-flags>S</l2ng-l2-mac-flags>
                <l2ng-l2-mac-age>-</l2ng-l2-mac-age>
                <l2ng-l2-mac-logical-interface>ge-0/0/6.0</l2ng-l2-mac-logical-interface>
            </l2ng-mac-entry>
        </l2ng-l2ald-mac-entry-vlan>
    </l2ng-l2ald-rtb-macdb>
</rpc-reply>
{master:0}
"""
AUTHORED_ELS_SWITCHPORT = """\
Routing Instance Name : default-switch
Logical Interface flags (DL - disable learning, AD - packet action drop,
                         LH - MAC limit hit, DN - interface down,
                         MMAS - Mac-move action shutdown, AS - Autostate-exclude enabled,
                         SCTL - shutdown by Storm-control, MI - MAC+IP limit hit)

Logical         Vlan          TAG     MAC         MAC+IP    STP         Logical           Tagging
interface       members               limit       limit     state       interface flags
ge-0/0/5.0                            65535       0                                       untagged
                cameras       110     65535       0         Forwarding                    untagged
ae0.0                                 65535       0                                       tagged
                cameras       110     65535       0         Forwarding                    tagged
                default       1       65535       0         Forwarding                    untagged
xe-0/1/0.0                            65535       0                     DN                untagged
"""


JUNOS = C.Family(
    name=P,
    platforms=(P,),
    switch="sw-junos",
    builders={key: build for key in KEYS},
    key=lambda case: (case.source, case.category),
    min_cases=20,
    golden_indent=2,
    authored=(
        C.Seed(P, AUTHORED_ELS_XML, J.CMD_MAC, J.parse_mac_table),
        C.Seed(P, AUTHORED_ELS_SWITCHPORT, J.CMD_SWITCHPORT, J.parse_ports),
    ),
)
