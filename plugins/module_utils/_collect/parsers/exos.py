# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Extreme EXOS parsers: ``show fdb``, ``show iparp``, ``show lldp neighbors``,
``show ports information detail`` and ``show sharing``.

Canonical interface names are EXOS port numbers as printed (``12`` standalone, ``1:12`` in a
stack). A load-sharing group (LAG) is named after its master port, as EXOS does itself: FDB
entries learned on the LAG show the master port, which is marked ``is_lag`` and, like every
other member, has ``lag`` set to the master.
"""

from __future__ import annotations

import re
from typing import Dict, List, Mapping, Optional, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    Ports,
    add_mac,
    mac_or_none,
    outputs_for,
    placed_neighbors,
    strip_lines,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._records import ArpEntry, MacEntry, Neighbor, PortInfo

PLATFORM = "extreme_exos"
CMD_FDB = "show fdb"
CMD_ARP = "show iparp"
CMD_LLDP = "show lldp neighbors"
CMD_PORTS = "show ports information detail"
CMD_SHARING = "show sharing"
CMD_INFO = "show ports information"

_COLON_MAC = r"(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}"
_PORT = r"\d+(?::\d+)?"
_PORT_ONLY = re.compile(rf"^{_PORT}$", re.ASCII)
_FDB_ROW = re.compile(r"^\s*(?P<mac>\S+)\s+(?P<vname>.*?)\((?P<tag>\d+)\)\s+(?P<age>\d+)\s+(?P<rest>.*)$")
_ARP_ROW = re.compile(
    rf"^\s*(?P<vr>\S+)\s+(?P<ip>\d{{1,3}}(?:\.\d{{1,3}}){{3}})\s+(?P<mac>\(?{_COLON_MAC}\)?|\S+)\s+(?P<age>\d+)\s+"
    rf"(?P<static>YES|NO)\s+(?P<vlan>\S+)\s+(?P<vid>\d+)(?:\s+(?P<port>{_PORT}))?\s*$",
    re.IGNORECASE,
)
_LLDP_ROW = re.compile(
    rf"^\s*(?P<port>{_PORT})\s+(?P<chassis>\S+)\s+(?P<pid>.+?)\s+(?P<ttl>\d+)\s+(?P<age>\d+)(?:\s+(?P<name>.*))?$"
)


def expand_ports(text: str) -> List[str]:
    """``1-4`` -> 1,2,3,4; ``1:1-1:3`` / ``1:1-3`` -> 1:1,1:2,1:3; ``1,5`` -> 1,5."""
    out: List[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        m = re.match(r"^(?:(\d+):)?(\d+)(?:-(?:(\d+):)?(\d+))?$", part)
        if not m:
            continue
        slot, a, slot2, b = m.groups()
        if slot2 is not None and slot2 != slot:
            continue  # a range across stack slots is not a port list EXOS prints
        first, last = int(a), int(b) if b else int(a)
        if last - first > 1024:
            continue
        out.extend(f"{slot}:{n}" if slot else str(n) for n in range(first, last + 1))
    return out


def _fdb_kind(flags: Set[str]) -> Tuple[str, bool]:
    if flags & {"b", "B", "D"}:
        return "self", True
    if flags & {"l", "L"}:
        return "secure", True
    if flags & {"s", "p"}:
        return "static", True
    return "dynamic", False


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    res: ParseResult[MacEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_FDB]).get(CMD_FDB, "")
    for line in strip_lines(text):
        m = _FDB_ROW.match(line)
        if not m:
            if re.match(rf"^\s*{_COLON_MAC}\s", line):
                res.skip("unrecognised fdb row", line)
            continue  # header, ruler, flag legend, totals
        # The flag column is a row of one-letter flags at fixed positions; neighbouring flags
        # print as one word ("d miM": MAC, IP, Mirror). A word of letters is flags, a port is a
        # number (or slot:port); anything else (a VPLS or VXLAN virtual port) is not a local port.
        tokens = [t for t in m.group("rest").replace(",", " ").split() if t]
        flags = {c for t in tokens if t.isalpha() and t.isascii() for c in t}
        ports = [t for t in tokens if _PORT_ONLY.match(t)]
        if any(not (t.isalpha() and t.isascii()) and not _PORT_ONLY.match(t) for t in tokens):
            res.skip("fdb row with a port that is not a local port", line)
            continue
        kind, static = _fdb_kind(flags)
        vlan = to_vlan(m.group("tag"))
        vname = m.group("vname").strip() or None
        if not ports:
            ports = [""] if kind == "self" else []
        if not ports:
            res.skip("fdb row without a port", line)
        for port in ports:
            add_mac(
                res,
                mac_token=m.group("mac"),
                vlan=vlan,
                interface=port,
                switch=switch,
                kind=kind,
                static=static,
                line=line,
                vlan_name=vname,
            )
    return res


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    res: ParseResult[ArpEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_ARP]).get(CMD_ARP, "")
    for line in strip_lines(text):
        m = _ARP_ROW.match(line)
        if not m:
            if re.match(r"^\s*\S+\s+\d{1,3}(\.\d{1,3}){3}\s", line):
                res.skip("unrecognised iparp row", line)
            continue
        mac = mac_or_none(m.group("mac"))
        if mac is None:
            continue  # incomplete entry: no MAC yet
        vr = m.group("vr")
        res.records.append(
            ArpEntry(
                ip=m.group("ip"),
                mac=mac,
                interface=m.group("port") or m.group("vlan"),
                vrf="default" if vr.lower() == "vr-default" else vr,
            )
        )
    return res


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    res: ParseResult[Neighbor] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_LLDP]).get(CMD_LLDP, "")
    for line in strip_lines(text):
        if not re.match(rf"^\s*{_PORT}\s", line):
            continue  # header, legend, ruler, notes
        m = _LLDP_ROW.match(line)
        if not m:
            res.skip("unrecognised lldp row", line)
            continue
        chassis = m.group("chassis")
        res.records.append(
            Neighbor(
                local_interface=m.group("port"),
                remote_name=(m.group("name") or "").strip(),
                remote_port=m.group("pid").strip(),
                capabilities=(),
                protocol="lldp",
                remote_mac=mac_or_none(chassis),
            )
        )
    return res


_SHARING_ROW = re.compile(
    rf"^\s*(?P<cm>{_PORT})?\s+(?:(?P<cur>{_PORT})\s+)?(?:(?P<ctl>LACP|Static|Health-Check)\s+)?"
    rf"(?P<alg>[A-Za-z][\w-]*)\s+(?P<member>{_PORT})\s+(?P<mbr>\S+)\s+(?P<state>\S+)\s+(?P<trans>\d+)\s*$",
    re.IGNORECASE,
)


def parse_sharing(text: str) -> Dict[str, str]:
    """``show sharing`` -> {member port: master port} (the master maps to itself)."""
    members: Dict[str, str] = {}
    master: Optional[str] = None
    for line in strip_lines(text):
        m = _SHARING_ROW.match(line)
        if not m:
            continue
        if m.group("cm"):
            master = m.group("cm")
            members[master] = master
        if master is not None:
            members[m.group("member")] = master
    return members


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    res: ParseResult[PortInfo] = ParseResult()
    got = outputs_for(outputs, switch, [CMD_PORTS, CMD_SHARING], [CMD_INFO], result=res)
    ports = Ports()
    detail_lags: Dict[str, str] = {}
    row: Optional[Dict[str, object]] = None
    tagged: Set[int] = set()
    untagged: List[int] = []

    def finish() -> None:
        if row is None:
            return
        if tagged:
            row["mode"] = "trunk"
            row["trunk_vlans"] = sorted(tagged | set(untagged))
        elif untagged:
            row["mode"] = "access"
            row["access_vlan"] = untagged[0]

    for line in strip_lines(got.get(CMD_PORTS, "")):
        s = line.strip()
        m = re.match(rf"^Port:\s*({_PORT})\s*$", s)
        if m:
            finish()
            row, tagged, untagged = ports.get(m.group(1)), set(), []
            continue
        if row is None:
            continue
        m = re.match(r'^Description String:\s*"(.*)"\s*$', s)
        if m:
            row["description"] = m.group(1)
            continue
        m = re.match(r"^Admin state:\s*(Enabled|Disabled)", s, re.IGNORECASE)
        if m:
            row["enabled"] = m.group(1).lower() == "enabled"
            continue
        m = re.match(r"^Name:\s*[^,]*,\s*(Internal|802\.1Q)\s+Tag\s*=\s*(\d+)", s, re.IGNORECASE)
        if m:
            vid = to_vlan(m.group(2))
            if vid is not None:
                if m.group(1).lower() == "internal":
                    untagged.append(vid)
                else:
                    tagged.add(vid)
            continue
        m = re.match(r"^Members:\s*(\S.*)$", s)
        if m:
            group = expand_ports(m.group(1))
            for p in group:
                detail_lags.setdefault(p, group[0])
    finish()
    info_lags: Dict[str, str] = {}
    for line in strip_lines(got.get(CMD_INFO, "")):
        # Port Flags Link-State ELSM/OAM Link-Ups STP VLAN Proto Jumbo QoS-profile [Load-Master algorithm]
        tokens = line.split()
        if len(tokens) < 4 or not re.match(rf"^{_PORT}$", tokens[0]) or not re.match(r"^[A-Za-z-]{8,}$", tokens[1]):
            continue
        row = ports.get(tokens[0])
        row.setdefault("enabled", tokens[1][0] != "D")
        if re.match(r"^[a-zA-Z]$", tokens[-1]) and re.match(rf"^{_PORT}$", tokens[-2]):
            info_lags[tokens[0]] = tokens[-2]
    lags = parse_sharing(got.get(CMD_SHARING, "")) or detail_lags or info_lags
    for member, master in lags.items():
        ports.get(member)["lag"] = master
        ports.get(master)["is_lag"] = True
    ports.records(res)
    return res


SPECS: Dict[str, ParserSpec] = {
    "extreme_exos": ParserSpec(
        commands={
            "mac_table": [CMD_FDB],
            "arp": [CMD_ARP],
            "neighbors": [CMD_LLDP],
            "ports": [CMD_PORTS, CMD_SHARING, CMD_INFO],
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
        optional=[CMD_INFO],
    ),
}
