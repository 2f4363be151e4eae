# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei VRP (S-series VRP5, CloudEngine VRP8) parsers: ``display mac-address``,
``display arp all``, ``display lldp neighbor``, ``display interface brief``,
``display port vlan`` and ``display interface description``.

Canonical interface names are VRP's long names (``GigabitEthernet0/0/1``,
``XGigabitEthernet0/0/1``, ``Eth-Trunk1``, ``Vlanif10``). Eth-Trunk membership comes from the
indentation of ``display interface brief`` (members are listed under their trunk).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    Ports,
    add_mac,
    canon_with,
    capabilities_as_listed,
    entry_kind,
    mac_or_none,
    outputs_for,
    parse_vlan_list,
    placed_neighbors,
    strip_lines,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._records import ArpEntry, MacEntry, Neighbor, PortInfo

PLATFORM = "huawei_vrp"
CMD_MAC = "display mac-address"
CMD_ARP = "display arp all"
CMD_LLDP = "display lldp neighbor"
CMD_BRIEF = "display interface brief"
CMD_PORTVLAN = "display port vlan"
CMD_DESC = "display interface description"

canon = canon_with({"multige": "MultiGE", "10ge": "10GE"}, PLATFORM)

_MAC = r"[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
_MAC_START = re.compile(rf"^\s*({_MAC})\s+(.*)$")
_TYPES = re.compile(
    r"^(dynamic|static|blackhole|sticky|security|sec-config|sec-dynamic|authen|snooping|mux|pre-dynamic|evpn)$",
    re.IGNORECASE,
)
_ARP_ROW = re.compile(
    rf"^\s*(?P<ip>\d{{1,3}}(?:\.\d{{1,3}}){{3}})\s+(?P<mac>{_MAC}|\S+)\s+(?:(?P<exp>\d+)\s+)?"
    r"(?P<type>[A-Za-z]+(?:-\d*|\s+-(?=\s))?)\s+(?P<iface>\S+)(?:\s+(?P<extra>\S+))?\s*$"
)


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    res: ParseResult[MacEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_MAC]).get(CMD_MAC, "")
    for line in strip_lines(text):
        m = _MAC_START.match(line)
        if not m:
            continue  # headers, rulers, totals
        tokens = m.group(2).split()
        idx = next((i for i, t in enumerate(tokens) if _TYPES.match(t)), None)
        if idx is None or idx < 2:
            res.skip("unrecognised mac-address row", line)
            continue
        vlan_tok, port = tokens[0], tokens[idx - 1]
        kind, static = entry_kind(tokens[idx])
        vlan = to_vlan(vlan_tok.split("/", 1)[0])  # 10, 10/-/- (VLAN/VSI/SI), 0010
        iface = "" if port in ("-", "--") else canon(port)
        add_mac(
            res,
            mac_token=m.group(1),
            vlan=vlan,
            interface=iface,
            switch=switch,
            kind="self" if not iface else kind,
            static=static,
            line=line,
            vlan_name=None if vlan else vlan_tok,
        )
    return res


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    res: ParseResult[ArpEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_ARP]).get(CMD_ARP, "")
    for line in strip_lines(text):
        if not re.match(r"^\s*\d{1,3}(\.\d{1,3}){3}\s", line):
            continue  # headers, rulers, totals and the wrapped VLAN/CEVLAN lines
        m = _ARP_ROW.match(line)
        mac = mac_or_none(m.group("mac")) if m else None
        if not m or mac is None:
            res.skip("unrecognised arp row", line)
            continue
        extra = m.group("extra") or ""
        vrf = extra if extra and not re.match(r"^\d+/", extra) else "default"
        res.records.append(ArpEntry(ip=m.group("ip"), mac=mac, interface=canon(m.group("iface")), vrf=vrf))
    return res


_KV = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9 ()/.-]*?)\s*:\s*(?P<val>.*?)\s*$")
_HAS = re.compile(r"^\s*(?P<local>\S+)\s+has\s+(?P<n>\d+)\s+neighbou?r", re.IGNORECASE)


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    res: ParseResult[Neighbor] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_LLDP]).get(CMD_LLDP, "")
    local: Optional[str] = None
    cur: Optional[Dict[str, str]] = None
    blocks: List[Dict[str, str]] = []
    for line in strip_lines(text):
        m = _HAS.match(line)
        if m:
            local, cur = canon(m.group("local")), None
            continue
        kv = _KV.match(line)
        if not kv:
            continue  # continuation of a multi-line system description
        key = re.sub(r"\s+", " ", kv.group("key").lower())
        if key == "neighbor index":
            if local is None:
                res.skip("neighbour without a local interface", line)
                cur = None
                continue
            cur = {"local": local}
            blocks.append(cur)
        elif cur is not None and key not in cur:
            cur[key] = kv.group("val")
    for b in blocks:
        caps = b.get("system capabilities enabled") or b.get("system capabilities supported", "")
        chassis = b.get("chassis id", "")
        res.records.append(
            Neighbor(
                local_interface=b["local"],
                remote_name=b.get("system name", ""),
                remote_port=b.get("port id", ""),
                capabilities=capabilities_as_listed(caps),
                protocol="lldp",
                remote_mac=mac_or_none(chassis) if "mac" in b.get("chassis type", "mac").lower() else None,
            )
        )
    return res


_BRIEF_ROW = re.compile(
    r"^(?P<indent>\s*)(?P<name>[A-Za-z0-9][\w./:-]*\d)(?:\([^)]*\))?\s+(?P<phy>[*^]?(?:up|down)(?:\(\w\))?)\s+\S+"
)
_PORTVLAN_ROW = re.compile(r"^(?P<name>[A-Za-z0-9][\w./:-]*\d)\s+(?P<type>\S+)\s+(?P<pvid>\d+)\s*(?P<vlans>.*)$")
_MODES = {"access": "access", "trunk": "trunk", "hybrid": "trunk", "-": "routed"}


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    res: ParseResult[PortInfo] = ParseResult()
    got = outputs_for(outputs, switch, [CMD_BRIEF, CMD_PORTVLAN], [CMD_DESC], result=res)
    ports = Ports()
    lags: Dict[str, str] = {}
    trunk: Optional[str] = None
    for line in strip_lines(got.get(CMD_BRIEF, "")):
        m = _BRIEF_ROW.match(line)
        if not m:
            continue  # legend and header
        name = canon(m.group("name"))
        row = ports.get(name)
        row["enabled"] = not m.group("phy").startswith("*")
        row.setdefault("mode", "routed" if "." in name else "unknown")
        if m.group("indent"):
            if trunk is None:
                res.skip("indented member without an Eth-Trunk", line)
            else:
                lags[name] = trunk
        else:
            trunk = name if name.startswith("Eth-Trunk") and "." not in name else None
    last: Optional[Dict[str, Any]] = None
    seen_vlan_rows = False
    for line in strip_lines(got.get(CMD_PORTVLAN, "")):
        m = _PORTVLAN_ROW.match(line)
        if m and not line.startswith("Port "):
            seen_vlan_rows = True
            row = ports.get(canon(m.group("name")))
            typ = m.group("type").lower()
            row["mode"] = _MODES.get(typ, "unknown")
            pvid = int(m.group("pvid"))
            row["access_vlan"] = pvid if 1 <= pvid <= 4094 else None
            row["trunk_vlans"] = parse_vlan_list(m.group("vlans").strip(" -"))
            last = row
        elif last is not None and re.match(r"^\s+[\d\s-]+$", line):
            last["trunk_vlans"] = list(last["trunk_vlans"]) + parse_vlan_list(line)
        elif not re.match(r"^\s*(Port\s|-{5,})", line):
            res.skip("unrecognised port vlan row", line)
            last = None
    if seen_vlan_rows:  # interfaces that are not switch ports at all are routed (Vlanif, LoopBack, ...)
        for name in ports.names():
            row = ports.get(name)
            if row.get("mode", "unknown") == "unknown" and "trunk_vlans" not in row:
                row["mode"] = "routed"
    for line in strip_lines(got.get(CMD_DESC, "")):
        m = re.match(
            r"^(?P<name>[A-Za-z0-9][\w./:-]*\d)(?:\([^)]*\))?\s+[*^]?(?:up|down)\S*\s+\S+\s*(?P<desc>.*)$", line
        )
        if m:
            name = canon(m.group("name"))
            if name in ports:
                ports.get(name)["description"] = m.group("desc").strip()
    ports.set_lags(lags)
    ports.records(res)
    return res


SPECS: Dict[str, ParserSpec] = {
    "huawei_vrp": ParserSpec(
        commands={
            "mac_table": [CMD_MAC],
            "arp": [CMD_ARP],
            "neighbors": [CMD_LLDP],
            "ports": [CMD_BRIEF, CMD_PORTVLAN, CMD_DESC],
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
        optional=[CMD_DESC],
    ),
}
