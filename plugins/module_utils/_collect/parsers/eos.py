# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arista EOS parsers (text and ``| json`` output) for ``mac_table``, ``arp``, ``neighbors``, ``ports``.

Formats handled on purpose:

* ``show mac address-table``: unicast and multicast sections, several ports per row (one record
  per port), rows wrapped onto continuation lines, ``Router``/``Cpu`` rows kept as ``self``,
  VLAN ``All``/``N/A`` (``vlan=None``), junk rows (skipped and counted). Also the ``| json`` form.
* ``show ip arp``: ``VRF:`` sections, ``Vlan10, Ethernet1`` (the layer-2 port wins),
  ``not learned`` entries. Also ``show ip arp vrf all | json`` / ``show arp | json``.
* ``show lldp neighbors detail`` (text or ``| json``) and the summary ``show lldp neighbors``.
* ``show interfaces status`` (``trunk``/``routed``/VLAN/``in Po1`` in the Vlan column) plus
  ``show port-channel summary`` for membership; ``show interfaces status | json`` and
  ``show interfaces | json`` are accepted too.

The collector sends the ``| json`` form of the MAC table, ARP, LLDP and interface status commands
first (``ParserSpec.structured``) and the text command when the switch rejects it.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    apply_lag_membership,
    capability_words,
    entry_kind,
    load_json,
    looks_like_json,
    mac_or_none,
    make_mac_entry,
    output_of,
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

PLATFORM = "arista_eos"

# --------------------------------------------------------------------------------------------
# MAC table
# --------------------------------------------------------------------------------------------

CMD_MAC = "show mac address-table"
CMD_ARP = "show ip arp"
CMD_LLDP = "show lldp neighbors detail"
CMD_STATUS = "show interfaces status"
CMD_PO = "show port-channel summary"

_IFTOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9_./:-]*$")
_EOS_MAC_ROW = re.compile(
    r"^\s*(?P<vlan>\d+|All|N/A|-)\s+(?P<mac>\S+)\s+(?P<type>[A-Za-z][A-Za-z_-]*)\s+(?P<rest>\S.*)$"
)
_EOS_MOVES = re.compile(r"\s+(?P<moves>\d+)\s+(?P<last>.*ago)\s*$")
_EOS_MAC_HEADER = re.compile(
    r"^\s*(Mac Address Table|Multicast Mac Address Table|Vlan\s+Mac Address|-{4}|Total Mac Addresses)", re.I
)


def _eos_mac_json(data: Any, switch: str, result: ParseResult[MacEntry]) -> None:
    if not isinstance(data, Mapping):
        raise ParseError(f"{CMD_MAC!r}: JSON output is not an object")
    for table in ("unicastTable", "multicastTable"):
        entries = data.get(table, {})
        entries = entries.get("tableEntries", []) if isinstance(entries, Mapping) else []
        for e in entries if isinstance(entries, list) else []:
            if not isinstance(e, Mapping):
                result.skip("MAC table entry is not an object")
                continue
            mac = e.get("macAddress")
            if not is_mac(mac):
                result.skip("invalid MAC address", str(mac))
                continue
            ports = e.get("interfaces") if "interfaces" in e else [e.get("interface", "")]
            if isinstance(ports, Mapping):
                ports = list(ports)
            kind = entry_kind(str(e.get("entryType", "dynamic")))[0]
            vlan = e.get("vlanId")
            for port in ports if isinstance(ports, list) else []:
                result.records.append(make_mac_entry(str(mac), vlan, str(port), kind, switch, PLATFORM))


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    result: ParseResult[MacEntry] = ParseResult()
    text = output_of(outputs, CMD_MAC, switch)
    if text is None:
        return result
    if looks_like_json(text):
        _eos_mac_json(load_json(text, CMD_MAC), switch, result)
        return result
    header = False
    last: Optional[Tuple[str, str, str]] = None  # (mac, vlan, kind) of the previous row, for wrapped port lists
    for line in text.splitlines():
        if not line.strip():
            last = None
            continue
        if _EOS_MAC_HEADER.match(line):
            header = True
            last = None
            continue
        m = _EOS_MAC_ROW.match(line)
        if m:
            mac = m.group("mac")
            if not is_mac(mac):
                result.skip("invalid MAC address", line)
                last = None
                continue
            rest = _EOS_MOVES.sub("", m.group("rest"))
            ports = rest.split()
            if not ports or not all(_IFTOKEN.match(p) for p in ports):
                result.skip("unrecognised port list", line)
                last = None
                continue
            kind = entry_kind(m.group("type"))[0]
            vlan = m.group("vlan")
            for p in ports:
                result.records.append(make_mac_entry(mac, vlan, p, kind, switch, PLATFORM))
            last = (mac, vlan, kind)
            continue
        tokens = line.split()
        if last is not None and line[:1].isspace() and all(_IFTOKEN.match(t) for t in tokens):
            for p in tokens:  # wrapped continuation of the previous row's port list
                result.records.append(make_mac_entry(last[0], last[1], p, last[2], switch, PLATFORM))
            continue
        result.skip("unrecognised MAC table line", line)
        last = None
    require_usable(result, header, CMD_MAC)
    return result


# --------------------------------------------------------------------------------------------
# ARP
# --------------------------------------------------------------------------------------------

_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_EOS_ARP_ROW = re.compile(rf"^\s*(?P<ip>{_IPV4})\s+(?P<age>\S+)\s+(?P<mac>\S+)\s+(?P<iface>\S.*?)\s*$")
_EOS_ARP_HEADER = re.compile(r"^\s*(Address\s+Age|VRF:|Codes:|Total)", re.I)


def arp_interface(text: str, platform: str) -> str:
    """``Vlan10, Ethernet1`` -> ``Ethernet1``; ``Vlan1, not learned`` -> ``Vlan1``."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    parts = [p for p in parts if not p.lower().startswith("not learned") and " " not in p]
    if not parts:
        return ""
    return canonical_interface(parts[-1], platform)


def _eos_arp_json(data: Any, result: ParseResult[ArpEntry]) -> None:
    if not isinstance(data, Mapping):
        raise ParseError(f"{CMD_ARP!r}: JSON output is not an object")
    vrfs_raw = data.get("vrfs")
    vrfs: Mapping[str, Any] = vrfs_raw if isinstance(vrfs_raw, Mapping) else {"default": data}
    for vrf, body in vrfs.items():
        rows = body.get("ipV4Neighbors", []) if isinstance(body, Mapping) else []
        for r in rows if isinstance(rows, list) else []:
            if not isinstance(r, Mapping):
                result.skip("ARP entry is not an object")
                continue
            mac, ip = r.get("hwAddress"), r.get("address")
            if not is_mac(mac) or not isinstance(ip, str) or not re.fullmatch(_IPV4, ip):
                result.skip("invalid ARP entry", f"{ip} {mac}")
                continue
            result.records.append(
                ArpEntry(
                    ip=ip,
                    mac=normalize_mac(str(mac)),
                    interface=arp_interface(str(r.get("interface", "")), PLATFORM),
                    vrf=str(vrf),
                )
            )


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    result: ParseResult[ArpEntry] = ParseResult()
    text = output_of(outputs, CMD_ARP, switch)
    if text is None:
        return result
    if looks_like_json(text):
        _eos_arp_json(load_json(text, CMD_ARP), result)
        return result
    vrf = "default"
    header = False
    for line in text.splitlines():
        if not line.strip():
            continue
        mv = re.match(r"^\s*VRF:\s*(\S+)", line)
        if mv:
            vrf, header = mv.group(1), True
            continue
        if _EOS_ARP_HEADER.match(line):
            header = True
            continue
        m = _EOS_ARP_ROW.match(line)
        if not m or not is_mac(m.group("mac")):
            result.skip("unrecognised ARP line", line)
            continue
        result.records.append(
            ArpEntry(
                ip=m.group("ip"),
                mac=normalize_mac(m.group("mac")),
                interface=arp_interface(m.group("iface"), PLATFORM),
                vrf=vrf,
            )
        )
    require_usable(result, header, CMD_ARP)
    return result


# --------------------------------------------------------------------------------------------
# LLDP
# --------------------------------------------------------------------------------------------


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return s[1:-1]
    return s


def _eos_lldp_json(data: Any, result: ParseResult[Neighbor]) -> None:
    if not isinstance(data, Mapping):
        raise ParseError(f"{CMD_LLDP!r}: JSON output is not an object")
    neighbors = data.get("lldpNeighbors")
    if isinstance(neighbors, list):  # summary form: show lldp neighbors | json
        for n in neighbors:
            if not isinstance(n, Mapping) or not n.get("port"):
                result.skip("LLDP entry without a local port")
                continue
            result.records.append(
                Neighbor(
                    local_interface=canonical_interface(str(n["port"]), PLATFORM),
                    remote_name=str(n.get("neighborDevice", "")),
                    remote_port=str(n.get("neighborPort", "")),
                )
            )
        return
    if not isinstance(neighbors, Mapping):
        raise ParseError(f"{CMD_LLDP!r}: JSON output has no lldpNeighbors")
    for port, body in neighbors.items():
        infos = body.get("lldpNeighborInfo", []) if isinstance(body, Mapping) else []
        for n in infos if isinstance(infos, list) else []:
            if not isinstance(n, Mapping):
                result.skip("LLDP entry is not an object")
                continue
            info = n.get("neighborInterfaceInfo")
            iface: Mapping[str, Any] = info if isinstance(info, Mapping) else {}
            rport = _unquote(str(iface.get("interfaceId_v2") or iface.get("interfaceId") or ""))
            if not rport:
                rport = str(iface.get("interfaceDescription", ""))
            result.records.append(
                Neighbor(
                    local_interface=canonical_interface(str(port), PLATFORM),
                    remote_name=str(n.get("systemName", "")),
                    remote_port=rport,
                    capabilities=capability_words(n.get("systemCapabilities", {})),
                    remote_mac=mac_or_none(str(n.get("chassisId", ""))),
                )
            )


_EOS_LLDP_SUMMARY_ROW = re.compile(r"^\s*(?P<port>\S+)\s+(?P<name>\S+)\s+(?P<rport>\S+)\s+(?P<ttl>\d+)\s*$")


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    result: ParseResult[Neighbor] = ParseResult()
    text = output_of(outputs, CMD_LLDP, switch)
    if text is None:
        text = output_of(outputs, "show lldp neighbors", switch)
        if text is None:
            return result
    if looks_like_json(text):
        _eos_lldp_json(load_json(text, CMD_LLDP), result)
        return result
    if re.search(r"^Interface \S+ detected \d+ LLDP neighbors", text, re.M):
        _eos_lldp_detail(text, result)
        return result
    header = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if re.match(r"^\s*(Last table|Number of table|Port\s+Neighbor|-{3})", line):
            header = True
            continue
        m = _EOS_LLDP_SUMMARY_ROW.match(line)
        if not m:
            result.skip("unrecognised LLDP line", line)
            continue
        result.records.append(
            Neighbor(
                local_interface=canonical_interface(m.group("port"), PLATFORM),
                remote_name=m.group("name"),
                remote_port=m.group("rport"),
            )
        )
    require_usable(result, header, CMD_LLDP)
    return result


def _eos_lldp_detail(text: str, result: ParseResult[Neighbor]) -> None:
    local = ""
    cur: Optional[Dict[str, str]] = None

    def flush() -> None:
        if cur is None:
            return
        caps = cur.get("enabled", cur.get("supported", ""))
        rport = cur.get("port_id", "") or cur.get("port_desc", "")
        result.records.append(
            Neighbor(
                local_interface=canonical_interface(local, PLATFORM),
                remote_name=cur.get("name", ""),
                remote_port=rport,
                capabilities=capability_words(caps),
                remote_mac=mac_or_none(cur.get("chassis", "")),
            )
        )

    keys = (
        (re.compile(r"^\s*Chassis ID\s*:\s*(.*)$"), "chassis"),
        (re.compile(r"^\s*Port ID\s*:\s*(.*)$"), "port_id"),
        (re.compile(r"^\s*-\s*Port Description:\s*(.*)$"), "port_desc"),
        (re.compile(r"^\s*-\s*System Name:\s*(.*)$"), "name"),
        (re.compile(r"^\s*-\s*System Capabilities\s*:\s*(.*)$"), "supported"),
        (re.compile(r"^\s*Enabled Capabilities\s*:\s*(.*)$"), "enabled"),
    )
    in_lag_tlv = False
    for line in text.splitlines():
        m = re.match(r"^Interface (\S+) detected \d+ LLDP neighbors", line)
        if m:
            flush()
            cur, local = None, m.group(1)
            continue
        if re.match(r"^\s*Neighbor \S+", line) and local:
            flush()
            cur, in_lag_tlv = {}, False
            continue
        if cur is None:
            continue
        if re.match(r"^\s*-\s", line):
            in_lag_tlv = "Link Aggregation" in line
        if in_lag_tlv:
            continue  # its "Port ID" is the LAG port number, not the neighbour's port
        for rx, key in keys:
            mk = rx.match(line)
            if mk and key not in cur:
                cur[key] = _unquote(mk.group(1))
                break
    flush()


# --------------------------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------------------------

_EOS_STATUS_ROW = re.compile(
    r"^(?P<port>(?i:Et|Eth|Ethernet|Po|Port-Channel|Ma|Management|Vx|Vl|Lo|Sw|Re|Tu|Ap|Fa|Gi|Te)[A-Za-z-]*\d[\d/.:]*)"
    r"\s+(?P<name>.*?)\s*(?P<status>connected|notconnect|disabled|errdisabled|inactive|sfpAbsent|up|down|"
    r"monitoring|lowerLayerDown|notPresent|adminDown)"
    r"\s+(?P<vlan>in Po\d+|in Port-Channel\d+|trunk|routed|dot1q-tunnel|\d+|-)\s+(?P<rest>.*)$",
)


def _po_members(text: Optional[str], result: ParseResult[PortInfo]) -> Dict[str, str]:
    members: Dict[str, str] = {}
    if not text:
        return members
    current = ""
    for line in text.splitlines():
        m = re.match(r"^\s*(Po(?:rt-Channel)?\d+)\(\S*\)\s+\S+\s*(.*)$", line, re.I)
        if m:
            current = canonical_interface(m.group(1), PLATFORM)
            rest = m.group(2)
        elif current and re.match(r"^\s{10,}\S+\(", line):
            rest = line
        else:
            if not re.match(r"^\s*$|^\s*(Flags|Number of|Port-Channel\s+Protocol|-{3}|\S \- |.* - )", line):
                result.skip("unrecognised port-channel line", line)
            if not line.strip():
                current = ""
            continue
        for tok in re.findall(r"([A-Za-z][\w/.:-]*)\([^)]*\)", rest):
            members[canonical_interface(tok, PLATFORM)] = current
    return members


def _ports_json(data: Any, result: ParseResult[PortInfo]) -> None:
    if not isinstance(data, Mapping):
        raise ParseError(f"{CMD_STATUS!r}: JSON output is not an object")
    if isinstance(data.get("interfaceStatuses"), Mapping):
        statuses = data["interfaceStatuses"]
        for name, st in statuses.items():
            if not isinstance(st, Mapping):
                continue
            vlan_info = st.get("vlanInformation")
            vinfo: Mapping[str, Any] = vlan_info if isinstance(vlan_info, Mapping) else {}
            imode = str(vinfo.get("interfaceMode", "") or vinfo.get("interfaceForwardingModel", "")).lower()
            lag = vinfo.get("vlanExplanation", "")
            cname = canonical_interface(str(name), PLATFORM)
            mode = {"bridged": "access", "trunk": "trunk", "routed": "routed"}.get(imode, "unknown")
            lag_name = None
            mlag = re.match(r"^in (Po\S+|Port-Channel\S+)", str(lag))
            if mlag:
                lag_name, mode = canonical_interface(mlag.group(1), PLATFORM), "unknown"
            result.records.append(
                PortInfo(
                    name=cname,
                    mode=mode,
                    access_vlan=to_vlan(vinfo.get("vlanId")) if mode == "access" else None,
                    description=str(st.get("description", "")),
                    enabled=str(st.get("linkStatus", "")).lower() != "disabled",
                    lag=lag_name,
                    is_lag=cname.startswith("Port-Channel"),
                )
            )
        return
    interfaces = data.get("interfaces")
    if not isinstance(interfaces, Mapping):
        raise ParseError(f"{CMD_STATUS!r}: JSON output has neither interfaceStatuses nor interfaces")
    for name, st in interfaces.items():
        if not isinstance(st, Mapping):
            continue
        cname = canonical_interface(str(name), PLATFORM)
        fwd = str(st.get("forwardingModel", "")).lower()
        mode = {"routed": "routed"}.get(fwd, "unknown")
        lag_name = None
        membership = str(st.get("interfaceMembership", ""))
        mm = re.search(r"(Port-Channel\d+)", membership)
        if mm:
            lag_name = canonical_interface(mm.group(1), PLATFORM)
        result.records.append(
            PortInfo(
                name=cname,
                mode=mode,
                description=str(st.get("description", "")),
                enabled=str(st.get("interfaceStatus", "")).lower() != "disabled",
                lag=lag_name,
                is_lag=cname.startswith("Port-Channel"),
            )
        )


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    result: ParseResult[PortInfo] = ParseResult()
    text = output_of(outputs, CMD_STATUS, switch)
    po_text = output_of(outputs, CMD_PO, switch)
    members = _po_members(po_text, result)
    if text is None:
        text = output_of(outputs, "show interfaces", switch)
    if text is not None and looks_like_json(text):
        _ports_json(load_json(text, CMD_STATUS), result)
    elif text is not None:
        header = False
        for line in text.splitlines():
            if not line.strip():
                continue
            if re.match(r"^\s*Port\s+Name\s+Status", line):
                header = True
                continue
            m = _EOS_STATUS_ROW.match(line)
            if not m:
                result.skip("unrecognised interface status line", line)
                continue
            name = canonical_interface(m.group("port"), PLATFORM)
            vlan = m.group("vlan")
            lag = None
            if vlan.lower().startswith("in "):
                lag, mode, access = canonical_interface(vlan[3:], PLATFORM), "unknown", None
            elif vlan.lower() in ("trunk", "dot1q-tunnel"):
                mode, access = "trunk", None
            elif vlan.lower() == "routed":
                mode, access = "routed", None
            else:
                access = to_vlan(vlan)
                mode = "access" if access is not None else "unknown"
            result.records.append(
                PortInfo(
                    name=name,
                    mode=mode,
                    access_vlan=access,
                    description=m.group("name").strip(),
                    enabled=m.group("status").lower() not in ("disabled", "admindown"),
                    lag=lag,
                    is_lag=name.startswith("Port-Channel"),
                )
            )
        require_usable(result, header, CMD_STATUS)
    return apply_lag_membership(result, members, lambda n: n.startswith("Port-Channel"))


SPECS: Dict[str, ParserSpec] = {
    PLATFORM: ParserSpec(
        commands={
            "mac_table": (CMD_MAC,),
            "arp": (CMD_ARP,),
            "neighbors": (CMD_LLDP,),
            "ports": (CMD_STATUS, CMD_PO),
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
        optional=(CMD_PO,),
        # eAPI's JSON models, read by the same parsers; ``show port-channel summary`` stays text
        structured={c: f"{c} | json" for c in (CMD_MAC, CMD_ARP, CMD_LLDP, CMD_STATUS)},
    )
}
