# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ruckus / Brocade FastIron (ICX, FCX) parsers: ``show mac-address``, ``show arp``,
``show lldp neighbors detail`` and ``show interfaces brief``.

Canonical interface names: bare ``unit/module/port`` for Ethernet ports (``1/1/5``; old
two-level ``2/1`` kept as printed), ``lagN`` for aggregates (``lg7`` in tables, ``lag 7`` in
config), ``veN`` for virtual routing interfaces. A LAG's ID is the ``Trunk`` column of
``show interfaces brief``; on releases that list MACs on the LAG's primary port, that port is a
LAG member and therefore never an edge port.
"""

from __future__ import annotations

import re
from typing import Dict, List, Mapping, Optional

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
    placed_neighbors,
    strip_lines,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._records import ArpEntry, MacEntry, Neighbor, PortInfo

PLATFORM = "ruckus_fastiron"
CMD_MAC = "show mac-address"
CMD_ARP = "show arp"
CMD_LLDP = "show lldp neighbors detail"
CMD_BRIEF = "show interfaces brief"

canon = canon_with({"lg": "lag", "lag": "lag", "v": "ve", "ve": "ve"}, PLATFORM)

_CMAC = r"[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}"
_ARP_RUCKUS = re.compile(
    r"^\s*\d+\s+(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s+(?P<mac>\S+)\s+(?P<type>\S+)\s+(?P<age>\S+)\s+(?P<port>\S+)"
    r"(?:\s+(?P<status>\S+))?(?:\s+(?P<vlan>\d+))?\s*$"
)
_ARP_BROCADE = re.compile(
    r"^\s*Internet\s+(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s+(?P<age>\S+)\s+(?P<mac>\S+)\s+(?P<type>\S+)\s+(?P<port>\S+)\s*$"
)


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    res: ParseResult[MacEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_MAC]).get(CMD_MAC, "")
    titles: List[str] = []
    for line in strip_lines(text):
        if re.match(r"^\s*MAC[- ]Address\s", line, re.IGNORECASE):
            titles = re.sub(r"MAC[- ]Address", "MAC", line, flags=re.IGNORECASE).lower().split()
            continue
        tokens = line.split()
        if not re.match(rf"^{_CMAC}$", tokens[0]):
            if titles and len(tokens) == len(titles) and not line.lstrip().startswith("Total"):
                res.skip("invalid MAC address", line)
            continue  # totals, blank-ish decoration
        if not titles or "port" not in titles or "vlan" not in titles or len(tokens) < len(titles) - 1:
            res.skip("unrecognised mac-address row", line)
            continue
        port = tokens[titles.index("port")]
        vlan_tok = tokens[titles.index("vlan")] if titles.index("vlan") < len(tokens) else ""
        type_idx = titles.index("type") if "type" in titles else -1
        typ = tokens[type_idx] if 0 <= type_idx < len(tokens) else "Dynamic"
        kind, static = entry_kind(typ)
        vlan = to_vlan(vlan_tok)
        add_mac(
            res,
            mac_token=tokens[0],
            vlan=vlan,
            interface=canon(port),
            switch=switch,
            kind=kind,
            static=static,
            line=line,
            vlan_name=None if vlan or not vlan_tok else vlan_tok,
        )
    return res


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    res: ParseResult[ArpEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_ARP]).get(CMD_ARP, "")
    for line in strip_lines(text):
        m = _ARP_RUCKUS.match(line) or _ARP_BROCADE.match(line)
        if not m:
            if re.search(r"\d{1,3}(\.\d{1,3}){3}", line):
                res.skip("unrecognised arp row", line)
            continue
        if m.group("mac").lower() in ("none", "incomplete"):
            continue  # pending resolution: no MAC to report
        mac = mac_or_none(m.group("mac"))
        if mac is None:
            res.skip("invalid MAC address", line)
            continue
        res.records.append(ArpEntry(ip=m.group("ip"), mac=mac, interface=canon(m.group("port"))))
    return res


_KV = re.compile(r"^\s*\+?\s*(?P<key>[A-Za-z][^:]*?)\s*:\s*(?P<val>.*?)\s*$")


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    res: ParseResult[Neighbor] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_LLDP]).get(CMD_LLDP, "")
    local: Optional[str] = None
    cur: Optional[Dict[str, str]] = None
    blocks: List[Dict[str, str]] = []
    for line in strip_lines(text):
        m = _KV.match(line)
        if not m:
            continue
        raw_key = m.group("key").lower()
        key = re.sub(r"\s*\(.*\)$", "", raw_key)
        val = m.group("val").strip().strip('"')
        if key == "local port":
            local, cur = canon(val), None
        elif key == "neighbor":
            if local is None:
                res.skip("neighbour without a local port", line)
                continue
            cur = {"local": local}
            blocks.append(cur)
        elif cur is not None and key not in cur:
            cur[key] = val
            if key in ("chassis id", "port id"):
                cur[key + " type"] = raw_key
    for b in blocks:
        port = b.get("port id", "")
        if "mac address" in b.get("port id type", "") and b.get("port description"):
            port = b["port description"]
        chassis = b.get("chassis id", "")
        res.records.append(
            Neighbor(
                local_interface=b["local"],
                remote_name=b.get("system name", ""),
                remote_port=port,
                capabilities=capabilities_as_listed(b.get("enabled capabilities") or b.get("system capabilities", "")),
                protocol="lldp",
                remote_mac=mac_or_none(chassis) if "mac" in b.get("chassis id type", "") else None,
            )
        )
    return res


_BRIEF_ROW = re.compile(
    r"^(?P<port>\S+)\s+(?P<link>\S+)\s+(?P<state>\S+)\s+(?P<dupl>\S+)\s+(?P<speed>\S+)\s+(?P<trunk>\S+)\s+"
    r"(?P<tag>Yes|No|N/A)\s+(?P<pvid>\S+)\s+(?P<pri>\S+)\s+(?P<mac>\S+)(?:\s+(?P<name>.*))?$"
)


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    res: ParseResult[PortInfo] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_BRIEF]).get(CMD_BRIEF, "")
    ports = Ports()
    lags: Dict[str, str] = {}
    for line in strip_lines(text):
        if line.startswith("Port "):
            continue
        m = _BRIEF_ROW.match(line)
        if not m:
            res.skip("unrecognised interface row", line)
            continue
        name = canon(m.group("port"))
        row = ports.get(name)
        row["enabled"] = not m.group("link").lower().startswith("disable")
        row["description"] = (m.group("name") or "").strip()
        pvid = m.group("pvid")
        if re.match(r"^\d+(/\d+)*$", name) or name.startswith("lag"):
            row["mode"] = "trunk" if m.group("tag") == "Yes" else "access"
            row["access_vlan"] = to_vlan(pvid)
        else:
            row["mode"] = "routed"  # ve, mgmt, loopback, tunnel
        trunk = m.group("trunk")
        if trunk.isdecimal():
            agg = f"lag{int(trunk)}"
            if name == agg:
                row["is_lag"] = True
            else:
                lags[name] = agg
    ports.set_lags(lags)
    ports.records(res)
    return res


SPECS: Dict[str, ParserSpec] = {
    "ruckus_fastiron": ParserSpec(
        commands={
            "mac_table": [CMD_MAC],
            "arp": [CMD_ARP],
            "neighbors": [CMD_LLDP],
            "ports": [CMD_BRIEF],
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
    ),
}
