# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPE Comware (H3C) 5 and 7 parsers: ``display mac-address``, ``display arp``,
``display lldp neighbor-information list``, ``display interface brief``,
``display link-aggregation member-port`` and ``display vlan all``.

Canonical interface names are Comware's long names (``GigabitEthernet1/0/1``,
``Ten-GigabitEthernet1/0/49``, ``Bridge-Aggregation1``, ``M-GigabitEthernet0/0/0``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Dict, List, Mapping, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    Ports,
    add_mac,
    canon_with,
    entry_kind,
    mac_or_none,
    outputs_for,
    placed_neighbors,
    strip_lines,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._records import ArpEntry, MacEntry, Neighbor, PortInfo

PLATFORM = "hp_comware"
CMD_MAC = "display mac-address"
CMD_ARP = "display arp"
CMD_LLDP = "display lldp neighbor-information list"
CMD_BRIEF = "display interface brief"
CMD_LAGS = "display link-aggregation member-port"
CMD_VLANS = "display vlan all"

canon = canon_with(
    {
        "m-ge": "M-GigabitEthernet",
        "wge": "Twenty-FiveGigE",
        "twenty-fivegige": "Twenty-FiveGigE",
        "loop": "LoopBack",
        "vlan": "Vlan-interface",
        "fge": "FortyGigE",
        "hge": "HundredGigE",
        "xge": "Ten-GigabitEthernet",
    },
    PLATFORM,
)

_MAC = r"[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
_MAC_ROW = re.compile(
    rf"^\s*(?P<mac>{_MAC})\s+(?P<vlan>\S+)\s+"
    r"(?P<state>[A-Za-z][A-Za-z-]*(?: (?:static|dynamic|multiport))?)\s+(?P<port>\S+)(?:\s+(?P<aging>\S+))?\s*$",
    re.IGNORECASE,
)
_ARP_ROW = re.compile(
    rf"^\s*(?P<ip>\d{{1,3}}(?:\.\d{{1,3}}){{3}})\s+(?P<mac>{_MAC})\s+(?P<vlan>\S+)\s+(?P<iface>\S+)(?:\s+(?P<rest>.*))?$"
)
_SKIP = re.compile(
    r"^\s*(MAC\s+ADDR|MAC Address|IP address|Type:|Total|---|=+|\s*Chassis ID|#|Default --|"
    r"The brief|Brief information|Link:|Protocol:|Speed|Type:|Duplex|Flags:|\s+[A-H] --|Interface\s)",
    re.IGNORECASE,
)


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    res: ParseResult[MacEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_MAC]).get(CMD_MAC, "")
    for line in strip_lines(text):
        m = _MAC_ROW.match(line)
        if not m:
            if not _SKIP.match(line):
                res.skip("unrecognised mac-address row", line)
            continue
        kind, static = entry_kind(m.group("state"))
        if m.group("state").lower() == "config dynamic":
            kind, static = "static", True
        port = m.group("port")
        iface = "" if port.upper() in ("N/A", "-") else canon(port)
        vlan_tok = m.group("vlan")
        add_mac(
            res,
            mac_token=m.group("mac"),
            vlan=to_vlan(vlan_tok),
            interface=iface,
            switch=switch,
            kind="self" if not iface else kind,
            static=static,
            line=line,
            vlan_name=None if to_vlan(vlan_tok) else vlan_tok,
        )
    return res


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    res: ParseResult[ArpEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_ARP]).get(CMD_ARP, "")
    for line in strip_lines(text):
        m = _ARP_ROW.match(line)
        if not m:
            if not _SKIP.match(line):
                res.skip("unrecognised arp row", line)
            continue
        mac = mac_or_none(m.group("mac"))
        if mac is None:
            res.skip("invalid MAC address", line)
            continue
        try:
            ip = str(ipaddress.ip_address(m.group("ip")))
        except ValueError:
            res.skip("invalid IP address", line)
            continue
        res.records.append(ArpEntry(ip=ip, mac=mac, interface=canon(m.group("iface"))))
    return res


_LLDP_TITLES = ("System Name", "Local Interface", "Chassis ID", "Port ID")


def _slice(line: str, starts: List[int]) -> List[str]:
    """Cut ``line`` at the header positions; a value that overflows its column pushes the cut."""
    cuts = [0]
    for b in starts[1:]:
        b = max(b, cuts[-1])
        if 0 < b < len(line) and line[b - 1] != " " and line[b] != " ":
            while b < len(line) and line[b] != " ":
                b += 1
        cuts.append(b)
    cuts.append(len(line))
    return [line[cuts[i] : cuts[i + 1]].strip() for i in range(len(starts))]


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    res: ParseResult[Neighbor] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_LLDP]).get(CMD_LLDP, "")
    order: List[str] = []
    starts: List[int] = []
    rows: List[Dict[str, str]] = []
    for line in strip_lines(text):
        if all(t in line for t in _LLDP_TITLES):
            pos = sorted((line.index(t), t) for t in _LLDP_TITLES)
            starts = [p for p, _unused in pos]
            order = [t for _unused, t in pos]
            continue
        if not starts:
            continue  # the legend above the table
        values = dict(zip(order, _slice(line, starts)))
        if not values.get("Local Interface"):
            if rows:  # wrapped line: continue each non-empty column of the previous row
                for k, v in values.items():
                    if v:
                        rows[-1][k] += v
            else:
                res.skip("continuation without a row", line)
            continue
        rows.append(values)
    for rec in rows:
        local = canon(rec["Local Interface"])
        if not re.search(r"\d", local):
            res.skip("invalid local interface", local)
            continue
        chassis = rec.get("Chassis ID", "")
        name = rec.get("System Name", "")
        res.records.append(
            Neighbor(
                local_interface=local,
                remote_name="" if name == "-" else name,
                remote_port=rec.get("Port ID", ""),
                capabilities=(),
                protocol="lldp",
                remote_mac=mac_or_none(chassis),
            )
        )
    return res


_BRIDGE_ROW = re.compile(
    r"^(?P<name>\S+)\s+(?P<link>UP|DOWN|ADM|Stby)\s+\S+\s+\S+\s+(?P<type>[ATH]|access|trunk|hybrid)\s+(?P<pvid>\d+)\s*(?P<desc>.*)$"
)
_ROUTE_ROW = re.compile(r"^(?P<name>\S+)\s+(?P<link>UP|DOWN|ADM|Stby)\s+\S+\s+\S+\s*(?P<desc>.*)$")


def parse_vlan_all(text: str) -> Tuple[List[int], Dict[str, Tuple[Set[int], Set[int]]]]:
    """``display vlan all`` -> (VLAN IDs, {port: (tagged VLANs, untagged VLANs)})."""
    vlans: List[int] = []
    out: Dict[str, Tuple[Set[int], Set[int]]] = {}
    vlan = None
    which = -1
    for line in strip_lines(text):
        s = line.strip()
        m = re.match(r"^VLAN ID:\s*(\d+)", s, re.IGNORECASE)
        if m:
            vlan, which = to_vlan(m.group(1)), -1
            if vlan is not None:
                vlans.append(vlan)
            continue
        m = re.match(r"^(Tagged|Untagged)\s+Ports:\s*(.*)$", s, re.IGNORECASE)
        if m:
            which = 0 if m.group(1).lower() == "tagged" else 1
            s = m.group(2)
        elif ":" in s:
            which = -1
            continue
        if which < 0 or vlan is None or s.lower() in ("none", ""):
            continue
        for tok in s.split():
            if re.search(r"\d", tok):
                out.setdefault(canon(tok), (set(), set()))[which].add(vlan)
    return vlans, out


def parse_lag_members(text: str) -> Dict[str, str]:
    members: Dict[str, str] = {}
    port = None
    for line in strip_lines(text):
        m = re.match(r"^\s*(\S+\d):\s*$", line)
        if m:
            port = canon(m.group(1))
            continue
        # Comware 7 "Aggregate Interface:", Comware 5 "Aggregation Interface:"
        m = re.match(r"^\s*Aggregat(?:e|ion) Interface:\s*(\S+)", line, re.IGNORECASE)
        if m and port:
            members[port] = canon(m.group(1))
            port = None
    return members


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    res: ParseResult[PortInfo] = ParseResult()
    got = outputs_for(outputs, switch, [CMD_BRIEF, CMD_LAGS], [CMD_VLANS], result=res)
    ports = Ports()
    bridge = False
    for line in strip_lines(got.get(CMD_BRIEF, "")):
        if line.startswith("Interface "):
            bridge = "PVID" in line
            continue
        m = (_BRIDGE_ROW if bridge else _ROUTE_ROW).match(line)
        if not m or not re.search(r"\d", m.group("name")):
            if not _SKIP.match(line):
                res.skip("unrecognised interface row", line)
            continue
        row = ports.get(canon(m.group("name")))
        row["enabled"] = m.group("link") != "ADM"
        desc = m.group("desc").strip()
        row["description"] = "" if desc == "--" else desc
        if bridge:
            typ = m.group("type")
            row["mode"] = "access" if typ in ("A", "access") else "trunk"
            row["access_vlan"] = to_vlan(m.group("pvid"))
        else:
            row["mode"] = "routed"
    for port, (tagged, untagged) in parse_vlan_all(got.get(CMD_VLANS, ""))[1].items():
        if port in ports:
            row = ports.get(port)
            row["trunk_vlans"] = sorted(set(row.get("trunk_vlans", [])) | tagged | untagged)
    lags = parse_lag_members(got.get(CMD_LAGS, ""))
    ports.set_lags(lags)
    ports.records(res)
    return res


SPECS: Dict[str, ParserSpec] = {
    "hp_comware": ParserSpec(
        commands={
            "mac_table": [CMD_MAC],
            "arp": [CMD_ARP],
            "neighbors": [CMD_LLDP],
            "ports": [CMD_BRIEF, CMD_LAGS, CMD_VLANS],
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
        optional=[CMD_VLANS],
    ),
}
