# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Aruba AOS-CX and HPE Aruba ProCurve / AOS-Switch parsers.

Both families name ports by number (``1/1/5`` on AOS-CX, ``5``, ``A5`` or ``2/5`` on stacked
ProCurve) and aggregates ``lag1`` (AOS-CX) or ``Trk1`` (ProCurve).

AOS-CX: ``show mac-address-table``, ``show arp all-vrfs``, ``show lldp neighbor-info detail``,
``show interface brief`` + ``show lacp aggregates``.

ProCurve: ``show mac-address``, ``show arp``, ``show lldp info remote-device all``,
``show interfaces brief`` (admin state, ``1/28-Trk1`` membership) + ``show interfaces status``
(16.x: name, tagged/untagged VLANs -> access/trunk) + ``show trunks`` (full membership, since
the port column of the other tables truncates ``1/51-Trk10`` to ``1/51-...``). The AOS-Switch
REST API JSON (``mac-table``, ``lldp/remote-device``, ``ports`` collections) is accepted too.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    apply_lag_membership,
    capability_words,
    entry_kind,
    is_num,
    load_json,
    looks_like_json,
    mac_or_none,
    make_mac_entry,
    output_of,
    parse_vlan_list,
    placed_neighbors,
    require_usable,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import is_mac, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
)

AOSCX = "aruba_aoscx"
PROCURVE = "hp_procurve"

CX_MAC = "show mac-address-table"
CX_ARP = "show arp all-vrfs"
CX_LLDP = "show lldp neighbor-info detail"
CX_BRIEF = "show interface brief"
CX_LACP = "show lacp aggregates"

PC_MAC = "show mac-address"
PC_ARP = "show arp"
PC_LLDP = "show lldp info remote-device all"
PC_BRIEF = "show interfaces brief"
PC_STATUS = "show interfaces status"
PC_TRUNKS = "show trunks"

# Both OSes answer an unknown command with "Invalid input: <word>" (no leading %): one of the
# wordings that ``output_of`` refuses (``common.device_error``).
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _rest_elements(data: Any, key: str, command: str) -> List[Mapping[str, Any]]:
    """Elements of an AOS-Switch REST collection (``{"<key>": [...]}``)."""
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        raise ParseError(f"{command!r}: JSON output has no {key!r} collection")
    return [e for e in data[key] if isinstance(e, Mapping)]


def _prompt(line: str) -> bool:
    """``sw-01# show lldp ...``: the echoed command line of a captured session."""
    return bool(re.match(r"^\S+[#>]\s*(show|sh)\b", line))


# --------------------------------------------------------------------------------------------
# MAC table
# --------------------------------------------------------------------------------------------


def _mac_rows(
    text: str, platform: str, switch: str, header_rx: re.Pattern[str], row_rx: re.Pattern[str], command: str
) -> ParseResult[MacEntry]:
    result: ParseResult[MacEntry] = ParseResult()
    header = False
    for line in text.splitlines():
        if not line.strip() or _prompt(line):
            continue
        if header_rx.match(line):
            header = True
            continue
        m = row_rx.match(line)
        if not m or not is_mac(m.group("mac")):
            result.skip("unrecognised MAC table line", line)
            continue
        gd = m.groupdict()
        kind = entry_kind(gd.get("type") or "dynamic")[0]
        result.records.append(
            make_mac_entry(m.group("mac"), gd.get("vlan") or "", m.group("port"), kind, switch, platform)
        )
    require_usable(result, header, command)
    return result


_CX_MAC_HEADER = re.compile(r"^\s*(MAC age-time|Number of MAC|MAC Address\s+VLAN|-{4})", re.I)
_CX_MAC_ROW = re.compile(r"^\s*(?P<mac>\S+)\s+(?P<vlan>\d+|All|-)\s+(?P<type>\S+)\s+(?P<port>\S+)\s*$")


def parse_cx_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    text = output_of(outputs, CX_MAC, switch)
    if text is None:
        return ParseResult()
    return _mac_rows(text, AOSCX, switch, _CX_MAC_HEADER, _CX_MAC_ROW, CX_MAC)


_PC_MAC_HEADER = re.compile(r"^\s*(Status and Counters|MAC Address\s+(Port|Located)|-{4}|Port Address Table)", re.I)
_PC_MAC_ROW = re.compile(r"^\s*(?P<mac>[0-9A-Fa-f]{6}-[0-9A-Fa-f]{6})\s+(?P<port>\S+)(?:\s+(?P<vlan>\d+|All))?\s*$")


def parse_pc_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    text = output_of(outputs, PC_MAC, switch)
    if text is None:
        return ParseResult()
    if looks_like_json(text):
        result: ParseResult[MacEntry] = ParseResult()
        for e in _rest_elements(load_json(text, PC_MAC), "mac_table_entry_element", PC_MAC):
            mac = str(e.get("mac_address", ""))
            if not is_mac(mac):
                result.skip("invalid MAC address", mac)
                continue
            result.records.append(
                make_mac_entry(mac, e.get("vlan_id"), str(e.get("port_id", "")), "dynamic", switch, PROCURVE)
            )
        return result
    return _mac_rows(text, PROCURVE, switch, _PC_MAC_HEADER, _PC_MAC_ROW, PC_MAC)


# --------------------------------------------------------------------------------------------
# ARP
# --------------------------------------------------------------------------------------------

_CX_ARP_STATES = {"reachable", "stale", "failed", "incomplete", "permanent", "delay", "probe", "static"}


def parse_cx_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    result: ParseResult[ArpEntry] = ParseResult()
    text = output_of(outputs, CX_ARP, switch)
    if text is None:
        text = output_of(outputs, PC_ARP, switch)  # the same command: AOS-CX's default VRF only
        if text is None:
            return result
    header = False
    for line in text.splitlines():
        if not line.strip() or _prompt(line):
            continue
        if re.match(r"^\s*(IPv4 Address\s+MAC|-{4}|Total Number)", line, re.I):
            header = True
            continue
        tokens = line.split()
        state_idx = next((i for i, t in enumerate(tokens) if i >= 2 and t.lower() in _CX_ARP_STATES), None)
        if len(tokens) < 4 or not _IPV4.match(tokens[0]) or not is_mac(tokens[1]) or state_idx is None:
            result.skip("unrecognised ARP line", line)
            continue
        ports = tokens[2:state_idx]
        vrf = tokens[state_idx + 1] if len(tokens) > state_idx + 1 else "default"
        port = ports[-1] if ports else ""
        result.records.append(
            ArpEntry(ip=tokens[0], mac=normalize_mac(tokens[1]), interface=canonical_interface(port, AOSCX), vrf=vrf)
        )
    require_usable(result, header, CX_ARP)
    return result


_PC_ARP_ROW = re.compile(
    r"^\s*(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s+(?P<mac>\S+)\s+(?P<type>dynamic|static)\s*(?P<port>\S+)?\s*$", re.I
)


def parse_pc_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    result: ParseResult[ArpEntry] = ParseResult()
    text = output_of(outputs, PC_ARP, switch)
    if text is None:
        return result
    header = False
    for line in text.splitlines():
        if not line.strip() or _prompt(line):
            continue
        if re.match(r"^\s*(IP ARP table|IP Address\s+MAC|-{4})", line, re.I):
            header = True
            continue
        m = _PC_ARP_ROW.match(line)
        if not m or not is_mac(m.group("mac")):
            result.skip("unrecognised ARP line", line)
            continue
        result.records.append(
            ArpEntry(
                ip=m.group("ip"),
                mac=normalize_mac(m.group("mac")),
                interface=canonical_interface(m.group("port") or "", PROCURVE),
            )
        )
    require_usable(result, header, PC_ARP)
    return result


# --------------------------------------------------------------------------------------------
# LLDP
# --------------------------------------------------------------------------------------------


def _kv_blocks(text: str, start_key: str) -> List[Dict[str, str]]:
    """``Key : value`` blocks, a new block at each ``start_key`` (keys lower-cased, first wins)."""
    blocks: List[Dict[str, str]] = []
    for line in text.splitlines():
        m = re.match(r"^\s*([A-Za-z][A-Za-z0-9 ._/()-]*?)\s*:\s?(.*)$", line)
        if not m:
            continue
        key, value = m.group(1).strip().lower(), m.group(2).strip()
        if key == start_key:
            blocks.append({})
        if blocks and key not in blocks[-1]:
            blocks[-1][key] = value
    return blocks


def _neighbor(local: str, platform: str, name: str, port_id: str, port_desc: str, caps: Any, chassis: str) -> Neighbor:
    return Neighbor(
        local_interface=canonical_interface(local, platform),
        remote_name=name,
        remote_port=port_id or port_desc,
        capabilities=capability_words(caps),
        remote_mac=mac_or_none(chassis),
    )


@placed_neighbors
def parse_cx_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    result: ParseResult[Neighbor] = ParseResult()
    text = output_of(outputs, CX_LLDP, switch)
    if text is None:
        return result
    blocks = _kv_blocks(text, "port")
    if not blocks and re.search(r"\S", text) and "LLDP Neighbor Information" not in text:
        raise ParseError(f"{CX_LLDP!r}: output not recognised (no 'Port :' blocks)")
    for b in blocks:
        # 10.0x-10.08 print "Neighbor Chassis-Name", 10.10 and later "Neighbor System-Name"
        name = b.get("neighbor system-name") or b.get("neighbor chassis-name") or ""
        if not (b.get("neighbor chassis-id") or name):
            continue  # a port without a neighbour
        if not b.get("port"):
            result.skip("neighbour without a local port")
            continue
        caps = b.get("chassis capabilities enabled", b.get("system capabilities enabled"))
        if caps is None:
            caps = b.get("chassis capabilities available", b.get("system capabilities available", ""))
        result.records.append(
            _neighbor(
                b.get("port", ""),
                AOSCX,
                name,
                b.get("neighbor port-id", ""),
                b.get("neighbor port-desc", ""),
                caps,
                b.get("neighbor chassis-id", ""),
            )
        )
    return result


@placed_neighbors
def parse_pc_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    result: ParseResult[Neighbor] = ParseResult()
    text = output_of(outputs, PC_LLDP, switch)
    if text is None:
        return result
    if looks_like_json(text):
        for e in _rest_elements(load_json(text, PC_LLDP), "lldp_remote_device_element", PC_LLDP):
            if not str(e.get("local_port", "") or "").strip():
                result.skip("neighbour without a local port")
                continue
            chassis = str(e.get("chassis_id", ""))
            result.records.append(
                _neighbor(
                    str(e.get("local_port", "")),
                    PROCURVE,
                    str(e.get("system_name", "") or ""),
                    str(e.get("port_id", "") or ""),
                    str(e.get("port_description", "") or ""),
                    e.get("capabilities_enabled", {}),
                    chassis,
                )
            )
        return result
    blocks = _kv_blocks(text, "local port")
    if not blocks and re.search(r"\S", text) and "LLDP Remote Device" not in text:
        raise ParseError(f"{PC_LLDP!r}: output not recognised (no 'Local Port :' blocks)")
    for b in blocks:
        if not b.get("local port"):
            result.skip("neighbour without a local port")
            continue
        caps = b.get("system capabilities enabled")
        if caps is None:
            caps = b.get("system capabilities supported", "")
        result.records.append(
            _neighbor(
                b.get("local port", ""),
                PROCURVE,
                b.get("sysname", ""),
                b.get("portid", ""),
                b.get("portdescr", ""),
                caps,
                b.get("chassisid", ""),
            )
        )
    return result


# --------------------------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------------------------

_CX_BRIEF_ROW = re.compile(
    r"^\s*(?P<port>\d+/\d+/\d+|lag\s?\d+|vlan\d+|loopback\d+|mgmt)\s+(?P<vlan>\d+|--)\s+(?P<mode>access|trunk|routed|--)"
    r"\s+(?P<type>\S+)\s+(?P<enabled>yes|no)\s+(?P<status>up|down)\s*(?P<rest>.*)$",
    re.I,
)


def _cx_lacp(text: Optional[str]) -> Dict[str, str]:
    members: Dict[str, str] = {}
    if not text:
        return members
    agg = ""
    for line in text.splitlines():
        m = re.match(r"^\s*Aggregate name\s*:\s*(\S+)", line, re.I)
        if m:
            agg = canonical_interface(m.group(1), AOSCX)
            continue
        m = re.match(r"^\s*Interfaces\s*:\s*(.*)$", line, re.I)
        if m and agg:
            for tok in m.group(1).split():
                members[canonical_interface(tok, AOSCX)] = agg
    return members


def parse_cx_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    result: ParseResult[PortInfo] = ParseResult()
    text = output_of(outputs, CX_BRIEF, switch)
    members = _cx_lacp(output_of(outputs, CX_LACP, switch))
    if text is not None:
        header = False
        for line in text.splitlines():
            if not line.strip() or _prompt(line):
                continue
            if re.match(r"^\s*(-{4}|Port\s+Native|VLAN\s+|\(Mb/s\))", line, re.I) or re.match(r"^\s+VLAN\s", line):
                header = True
                continue
            m = _CX_BRIEF_ROW.match(line)
            if not m:
                result.skip("unrecognised interface line", line)
                continue
            rest = m.group("rest")
            mr = re.match(r"^(?P<reason>.*?)\s*(?P<speed>\b\d+\b|--|auto)(?:\s+(?P<desc>.*))?$", rest)
            desc = (mr.group("desc") or "").strip() if mr else ""
            if desc == "--":
                desc = ""
            name = canonical_interface(m.group("port"), AOSCX)
            mode = m.group("mode").lower()
            mode = mode if mode in ("access", "trunk", "routed") else "unknown"
            result.records.append(
                PortInfo(
                    name=name,
                    mode=mode,
                    access_vlan=to_vlan(m.group("vlan")) if mode == "access" else None,
                    description=desc,
                    enabled=m.group("enabled").lower() == "yes",
                    is_lag=name.startswith("lag"),
                )
            )
        require_usable(result, header, CX_BRIEF)
    return apply_lag_membership(result, members, lambda n: str(n).startswith("lag"))


# A port: ``5``, ``A5`` (a module letter), ``2/5`` (a stack member), ``1/A5`` (a VSF member's
# module); a trailing ``*`` marks a port in some releases (a third-party transceiver, explained
# under the table) and is not part of its name.
_PC_PORT = r"(?P<port>(?:\d+/)?[A-Za-z]?\d+(?:/\d+)?)\*?"
_PC_BRIEF_ROW = re.compile(
    rf"^\s*{_PC_PORT}(?:-(?P<trk>Trk\d+|\.\.\.|\S*?))?\*?\s+(?P<type>[^|]*?)\s*\|\s*(?P<alert>\S+)\s+"
    r"(?P<enabled>Yes|No)\s+(?P<status>Up|Down)\b.*$",
    re.I,
)
_PC_STATUS_ROW = re.compile(
    rf"^\s*{_PC_PORT}(?:-(?P<trk>\S+?))?\*?\s+(?P<name>.*?)\s*\b(?P<status>Up|Down)\s+(?P<mid>.*?)\s*"
    r"\b(?P<tagged>No|multi|\d+)\s+(?P<untagged>No|\d+)\s*$"
)


def _pc_trunks(text: Optional[str], result: ParseResult[PortInfo]) -> Dict[str, str]:
    members: Dict[str, str] = {}
    if not text:
        return members
    for line in text.splitlines():
        m = re.match(rf"^\s*{_PC_PORT}\s*\|.*\|\s*(?P<trk>Trk\d+)\b", line, re.I)
        if m:
            members[canonical_interface(m.group("port"), PROCURVE)] = canonical_interface(m.group("trk"), PROCURVE)
        elif line.strip() and not re.match(r"^\s*(Load Balancing|Port\s*\||-{3}|\S+#)", line, re.I):
            result.skip("unrecognised show trunks line", line)
    return members


def _pc_rest_ports(text: str, result: ParseResult[PortInfo]) -> None:
    for e in _rest_elements(load_json(text, PC_BRIEF), "port_element", PC_BRIEF):
        name = canonical_interface(str(e.get("id", "")), PROCURVE)
        if not name:
            result.skip("port without an id")
            continue
        trunk = str(e.get("trunk_group", "") or "")
        result.records.append(
            PortInfo(
                name=name,
                description=str(e.get("name", "") or ""),
                enabled=e.get("is_port_enabled") is not False,
                lag=canonical_interface(trunk, PROCURVE) if trunk else None,
            )
        )


def parse_pc_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    result: ParseResult[PortInfo] = ParseResult()
    brief = output_of(outputs, PC_BRIEF, switch)
    status = output_of(outputs, PC_STATUS, switch)
    members = _pc_trunks(output_of(outputs, PC_TRUNKS, switch), result)
    if brief is not None and looks_like_json(brief):
        _pc_rest_ports(brief, result)
        return apply_lag_membership(result, members, lambda n: str(n).startswith("Trk"))
    ports: Dict[str, Dict[str, Any]] = {}
    truncated: List[str] = []

    def port(name: str, trk: Optional[str]) -> Dict[str, Any]:
        p = ports.setdefault(canonical_interface(name, PROCURVE), {})
        if trk and trk.lower().startswith("trk"):
            p["lag"] = canonical_interface(trk, PROCURVE)
        elif trk:
            truncated.append(name)
        return p

    for text, row_rx, command, header_rx in (
        (brief, _PC_BRIEF_ROW, PC_BRIEF, r"^\s*(Status and Counters|\|\s*Intrusion|Port\s+Type|-{4}|\*)"),
        (status, _PC_STATUS_ROW, PC_STATUS, r"^\s*(Port\s+Name\s+Status|-{4})"),
    ):
        if text is None:
            continue
        header = False
        seen = 0
        for line in text.splitlines():
            if not line.strip() or _prompt(line):
                continue
            if re.match(header_rx, line, re.I) or re.match(r"^\s+\|\s*Intrusion", line):
                header = True
                continue
            m = row_rx.match(line)
            if not m:
                result.skip(f"unrecognised {command} line", line)
                continue
            seen += 1
            p = port(m.group("port"), m.group("trk"))
            if command == PC_BRIEF:
                p["enabled"] = m.group("enabled").lower() == "yes"
            else:
                p["description"] = m.group("name").strip()
                p["tagged"], p["untagged"] = m.group("tagged"), m.group("untagged")
        if not seen and result.skipped and not header:
            raise ParseError(f"{command!r}: output not recognised")
    for name in sorted(set(truncated)):
        if name not in members:
            result.warnings.append(
                f"port {name} is a trunk member but its trunk name is truncated; add {PC_TRUNKS!r} to resolve it"
            )
    for name, p in ports.items():
        if p.get("lag") and name not in members:
            members[name] = p["lag"]
        tagged, untagged = p.get("tagged"), p.get("untagged")
        mode: str = "unknown"
        access: Optional[int] = None
        trunk_vlans: Tuple[int, ...] = ()
        if tagged is not None:
            if tagged == "No" and untagged not in (None, "No"):
                mode, access = "access", to_vlan(untagged)
            elif tagged != "No":
                mode = "trunk"
                trunk_vlans = tuple(parse_vlan_list(tagged)) if is_num(tagged) else ()
        result.records.append(
            PortInfo(
                name=name,
                mode=mode,
                access_vlan=access,
                description=p.get("description", ""),
                enabled=p.get("enabled", True),
                lag=p.get("lag"),
                is_lag=name.startswith("Trk"),
                trunk_vlans=trunk_vlans,
            )
        )
    return apply_lag_membership(result, members, lambda n: str(n).startswith("Trk"))


SPECS: Dict[str, ParserSpec] = {
    AOSCX: ParserSpec(
        commands={
            "mac_table": (CX_MAC,),
            "arp": (CX_ARP,),
            "neighbors": (CX_LLDP,),
            "ports": (CX_BRIEF, CX_LACP),
        },
        parse_mac_table=parse_cx_mac_table,
        parse_arp=parse_cx_arp,
        parse_neighbors=parse_cx_neighbors,
        parse_ports=parse_cx_ports,
        optional=(CX_LACP,),
    ),
    PROCURVE: ParserSpec(
        commands={
            "mac_table": (PC_MAC,),
            "arp": (PC_ARP,),
            "neighbors": (PC_LLDP,),
            "ports": (PC_BRIEF, PC_STATUS, PC_TRUNKS),
        },
        parse_mac_table=parse_pc_mac_table,
        parse_arp=parse_pc_arp,
        parse_neighbors=parse_pc_neighbors,
        parse_ports=parse_pc_ports,
        optional=(PC_STATUS, PC_TRUNKS),
    ),
}
