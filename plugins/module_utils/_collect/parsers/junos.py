# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Juniper Junos parsers (EX/QFX, ELS and non-ELS; MX bridge domains) for text, ``| display xml``
and ``| display json`` output.

Formats handled on purpose:

* ``show ethernet-switching table``: ELS (``Vlan name / MAC / flags / Age / Logical interface``)
  and non-ELS (``VLAN / MAC / Type / Age / Interfaces``, ``*`` flood rows ignored), VLAN *names*
  (kept in ``vlan_name``; the id comes from ``show vlans`` when that output is given, never
  guessed from the name), ``Router`` rows as ``self``, logical units ``ge-0/0/5.0`` ->
  ``ge-0/0/5``. The XML form (``get-ethernet-switching-table-information``, ELS brief/extensive,
  non-ELS, MX ``get-bridge-mac-table``) and the JSON form are parsed too.
* ``show arp no-resolve`` (and ``show arp``): ``irb.10 [ge-0/0/1.0]`` uses the physical port.
* ``show lldp neighbors`` (summary) and ``show lldp neighbors detail`` (text, XML or JSON; the
  detail output carries the capabilities).
* ``show ethernet-switching interface`` (ELS) or the older ``show ethernet-switching interfaces``
  table, ``show lacp interfaces`` for aggregate membership, ``show interfaces descriptions`` for
  admin state and descriptions.

XML is parsed with ``xml.etree.ElementTree`` after refusing any ``<!DOCTYPE``/``<!ENTITY``: no DTD,
hence no entity expansion, ever; characters XML forbids (a neighbour's control character) are
replaced first (``common.xml_safe``).

The collector sends the ``| display xml`` form of the commands whose parsers read XML first
(``ParserSpec.structured``) and the text command when the switch rejects it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    apply_lag_membership,
    capability_words,
    is_num,
    is_self_port,
    load_json,
    looks_like_json,
    mac_or_none,
    output_of,
    placed_neighbors,
    require_usable,
    to_vlan,
    xml_safe,
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

PLATFORM = "juniper_junos"

CMD_MAC = "show ethernet-switching table"
CMD_VLANS = "show vlans"
CMD_ARP = "show arp no-resolve"
CMD_LLDP = "show lldp neighbors"
CMD_LLDP_DETAIL = "show lldp neighbors detail"
CMD_SWITCHPORT = "show ethernet-switching interface"
CMD_LACP = "show lacp interfaces"
CMD_DESCR = "show interfaces descriptions"

_MAX_XML = 64 * 1024 * 1024


# --------------------------------------------------------------------------------------------
# XML / JSON plumbing
# --------------------------------------------------------------------------------------------


def looks_like_xml(text: str) -> bool:
    return text.lstrip().startswith("<")


def parse_xml(text: str, command: str) -> ET.Element:
    """Parse Junos ``| display xml`` output safely; namespaces are stripped from tags.

    Any DTD (``<!DOCTYPE``) or entity declaration is refused: without a DTD the parser knows only
    the five predefined entities, so nothing can expand.
    """
    if len(text) > _MAX_XML:
        raise ParseError(f"{command!r}: XML output too large ({len(text)} characters)")
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.I):
        raise ParseError(f"{command!r}: XML output with a DOCTYPE or ENTITY declaration is refused")
    start, end = text.find("<"), text.rfind(">")
    if start < 0 or end < start:
        raise ParseError(f"{command!r}: no XML document in the output")
    body = xml_safe(text[start : end + 1])  # a neighbour's control character must not void the document
    try:
        # S314: defusedxml is not a dependency; the DOCTYPE/ENTITY refusal above removes the
        # entity-expansion and external-entity attacks it guards against.
        root = ET.fromstring(body)  # noqa: S314
    except ET.ParseError as exc:
        raise ParseError(f"{command!r}: invalid XML output: {exc}") from exc
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.rsplit("}", 1)[1]
    return root


def json_to_xml(data: Any, command: str) -> ET.Element:
    """Junos ``| display json`` is XML in disguise (``{"tag": [{"data": "text"}]}``): rebuild the tree
    so the XML parsers serve both forms."""
    root = ET.Element("json-root")

    def build(parent: ET.Element, value: Any, depth: int) -> None:
        if depth > 64:
            raise ParseError(f"{command!r}: JSON output nested too deeply")
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "attributes":
                    continue
                if key == "data":
                    parent.text = str(item)
                    continue
                for elem in item if isinstance(item, list) else [item]:
                    child = ET.SubElement(parent, str(key))
                    build(child, elem, depth + 1)
        elif isinstance(value, list):
            for elem in value:
                build(parent, elem, depth + 1)
        elif value is not None:
            parent.text = str(value)

    build(root, data, 0)
    return root


def structured(text: str, command: str) -> Optional[ET.Element]:
    """The XML tree for XML or JSON output, None for plain text."""
    if looks_like_xml(text):
        return parse_xml(text, command)
    if looks_like_json(text):
        return json_to_xml(load_json(text, command), command)
    return None


def _child_text(el: ET.Element, *tags: str) -> str:
    for tag in tags:
        found = el.find(tag)
        if found is not None and found.text and found.text.strip():
            return found.text.strip()
    return ""


def _deep_text(el: ET.Element, *tags: str) -> str:
    for tag in tags:
        for found in el.iter(tag):
            if found.text and found.text.strip():
                return found.text.strip()
    return ""


# --------------------------------------------------------------------------------------------
# VLAN name -> id
# --------------------------------------------------------------------------------------------

_VLAN_XML_ITEMS = (
    ("l2ng-l2rtb-vlan-name", "l2ng-l2rtb-vlan-tag"),
    ("vlan-name", "vlan-tag"),
    ("l2rtb-bridging-domain", "l2rtb-bridge-vlan"),
)


def parse_vlan_map(outputs: Mapping[str, str], switch: str) -> Dict[str, Optional[int]]:
    """``show vlans`` (text, XML or JSON) -> {VLAN name: tag or None}."""
    text = output_of(outputs, CMD_VLANS, switch)
    result: Dict[str, Optional[int]] = {}
    if text is None:
        return result
    root = structured(text, CMD_VLANS)
    if root is not None:
        for el in root.iter():
            for name_tag, id_tag in _VLAN_XML_ITEMS:
                name = _child_text(el, name_tag)
                if name:
                    result[name] = to_vlan(_child_text(el, id_tag))
        return result
    els = False
    for line in text.splitlines():
        if re.match(r"^\s*Routing instance\s+VLAN name", line, re.I):
            els = True
            continue
        if not line.strip() or line[:1].isspace() or re.match(r"^\s*(Name\s+Tag|\{master|Total)", line):
            continue
        tokens = line.split()
        if els and len(tokens) >= 2:
            name, tag = tokens[1], tokens[2] if len(tokens) > 2 else ""
        else:
            name, tag = tokens[0], tokens[1] if len(tokens) > 1 else ""
        result[name] = to_vlan(tag)
    return result


# --------------------------------------------------------------------------------------------
# MAC table
# --------------------------------------------------------------------------------------------

_MAC_TEXT_ROW = re.compile(
    r"^\s*(?P<vlan>\S+)\s+(?P<mac>[0-9A-Fa-f:]{11,17}|\*)\s+(?P<flags>\S+)\s+(?P<age>\S+)\s+(?P<iface>\S+)"
    r"(?:\s+\d+\s+\d+)?\s*$"
)
_MAC_HEADER = re.compile(
    r"^\s*(MAC flags|SE - |Ethernet-switching table|Ethernet switching table|Routing instance|Vlan\s+MAC|"
    r"name\s+address|VLAN\s+MAC address|\{master|\S+ - |Total)",
    re.I,
)


def _junos_kind(flags: str) -> Optional[str]:
    """ELS flags (``D``, ``DL``, ``S``, ``P``, ``C``...) or non-ELS types (``Learn``, ``Static``);
    None for flood entries."""
    f = flags.strip()
    low = f.lower()
    if low in ("flood",):
        return None
    if low in ("learn", "learned", "dynamic"):
        return "dynamic"
    if low in ("static", "persistent", "permanent"):
        return "static"
    if low == "self":
        return "self"
    letters = set(re.findall(r"SE|NM|[A-Z]", f))
    if "D" in letters:
        return "dynamic"
    if "S" in letters or "P" in letters:
        return "static"
    if "C" in letters:
        return "self"
    return "dynamic"


def _mac_entry(mac: str, vlan_name: str, vlan: Optional[int], iface: str, kind: str, switch: str) -> MacEntry:
    name = vlan_name or None
    if iface.strip() == "" or is_self_port(iface):
        kind, iface = "self", ""
    else:
        iface = canonical_interface(iface, PLATFORM)
    return MacEntry(
        mac=normalize_mac(mac),
        vlan=vlan,
        interface=iface,
        static=kind in ("static", "secure"),
        switch=switch,
        kind=kind,
        vlan_name=name,
    )


def _resolve(name: str, explicit: str, vmap: Mapping[str, Optional[int]]) -> Optional[int]:
    if explicit:
        return to_vlan(explicit)
    if name in vmap:
        return vmap[name]
    return None


def _chain_text(chain: List[ET.Element], *tags: str) -> str:
    """First value of ``tags`` on the entry or its nearest ancestor (ELS brief output keeps the
    VLAN id on the parent of the entries)."""
    for node in chain:
        v = _child_text(node, *tags)
        if v:
            return v
    return ""


def _mac_xml(root: ET.Element, vmap: Mapping[str, Optional[int]], switch: str, result: ParseResult[MacEntry]) -> None:
    parents = {c: p for p in root.iter() for c in p}
    mac_tags = ("l2ng-l2-mac-address", "l2-mac-address", "mac-address")
    for el in root.iter():
        mac = _child_text(el, *mac_tags)
        if not mac:
            continue
        if mac == "*" or not is_mac(mac):
            if mac != "*":
                result.skip("invalid MAC address", mac)
            continue
        chain = [el]
        p = parents.get(el)
        while p is not None and len(chain) < 4:
            chain.append(p)
            p = parents.get(p)
        vname = _chain_text(chain, "l2ng-l2-mac-vlan-name", "l2-mac-bridging-domain", "mac-vlan")
        vid = _chain_text(chain, "l2ng-l2-vlan-id", "l2-bridge-vlan", "mac-vlan-tag")
        iface = _child_text(el, "l2ng-l2-mac-logical-interface", "l2-mac-logical-interface", "mac-interface")
        if not iface:
            iface = _deep_text(el, "mac-interfaces", "l2ng-l2-mac-logical-interface")
        flags = _child_text(el, "l2ng-l2-mac-flags", "l2-mac-flags", "mac-type")
        kind = _junos_kind(flags) if flags else "dynamic"
        if kind is None:
            continue
        resolved = _resolve(vname, vid, vmap)
        if vname and to_vlan(vid) is not None and is_num(vname):
            vname = ""
        result.records.append(_mac_entry(mac, vname, resolved, iface, kind, switch))


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    result: ParseResult[MacEntry] = ParseResult()
    text = output_of(outputs, CMD_MAC, switch)
    if text is None:
        return result
    vmap = parse_vlan_map(outputs, switch)
    root = structured(text, CMD_MAC)
    if root is not None:
        _mac_xml(root, vmap, switch, result)
        return result
    header = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if _MAC_HEADER.match(line):
            header = True
            continue
        m = _MAC_TEXT_ROW.match(line)
        if not m:
            result.skip("unrecognised MAC table line", line)
            continue
        mac = m.group("mac")
        kind = _junos_kind(m.group("flags"))
        if mac == "*" or kind is None:
            continue  # flood entry of the non-ELS table: not a MAC address
        if not is_mac(mac):
            result.skip("invalid MAC address", line)
            continue
        vname = m.group("vlan")
        vid = vname if is_num(vname) else ""
        result.records.append(
            _mac_entry(mac, "" if vid else vname, _resolve(vname, vid, vmap), m.group("iface"), kind, switch)
        )
    require_usable(result, header, CMD_MAC)
    return result


# --------------------------------------------------------------------------------------------
# ARP
# --------------------------------------------------------------------------------------------

_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    result: ParseResult[ArpEntry] = ParseResult()
    text = output_of(outputs, CMD_ARP, switch)
    if text is None:
        text = output_of(outputs, "show arp", switch)
        if text is None:
            return result
    root = structured(text, CMD_ARP)
    if root is not None:
        for el in root.iter("arp-table-entry"):
            mac, ip = _child_text(el, "mac-address"), _child_text(el, "ip-address")
            if not is_mac(mac) or not _IPV4.match(ip):
                result.skip("invalid ARP entry", f"{ip} {mac}")
                continue
            iface = _child_text(el, "interface-name")
            result.records.append(ArpEntry(ip=ip, mac=normalize_mac(mac), interface=_arp_iface(iface)))
        return result
    header = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if re.match(r"^\s*(MAC Address\s+Address|Total entries|\{master)", line, re.I):
            header = True
            continue
        tokens = line.split()
        if len(tokens) < 4 or not is_mac(tokens[0]) or not _IPV4.match(tokens[1]):
            result.skip("unrecognised ARP line", line)
            continue
        middle = tokens[2:-1]
        iface = " ".join(middle[-2:]) if len(middle) >= 2 and middle[-1].startswith("[") else middle[-1]
        result.records.append(ArpEntry(ip=tokens[1], mac=normalize_mac(tokens[0]), interface=_arp_iface(iface)))
    require_usable(result, header, CMD_ARP)
    return result


def _arp_iface(text: str) -> str:
    """``irb.10 [ge-0/0/1.0]`` -> ``ge-0/0/1``; ``vlan.20`` stays (an SVI)."""
    m = re.search(r"\[([^\]]+)\]", text)
    name = m.group(1) if m else text.split()[0] if text.split() else ""
    return canonical_interface(name.strip(), PLATFORM)


# --------------------------------------------------------------------------------------------
# LLDP
# --------------------------------------------------------------------------------------------


def _lldp_xml(root: ET.Element, result: ParseResult[Neighbor]) -> None:
    for el in root.iter("lldp-neighbor-information"):
        local = _child_text(el, "lldp-local-interface") or _child_text(el, "lldp-local-port-id")
        if not local:
            result.skip("LLDP entry without a local interface")
            continue
        caps = _child_text(el, "lldp-remote-system-capabilities-enabled")
        if not caps and el.find("lldp-remote-system-capabilities-enabled") is None:
            caps = _child_text(el, "lldp-remote-system-capabilities-supported")
        result.records.append(
            Neighbor(
                local_interface=canonical_interface(local, PLATFORM),
                remote_name=_child_text(el, "lldp-remote-system-name"),
                remote_port=_child_text(el, "lldp-remote-port-id") or _child_text(el, "lldp-remote-port-description"),
                capabilities=capability_words(caps),
                remote_mac=mac_or_none(_child_text(el, "lldp-remote-chassis-id")),
            )
        )


_DETAIL_KEYS = (
    (re.compile(r"^\s*Local Interface\s*:\s*(.*)$", re.I), "local"),
    (re.compile(r"^\s*Chassis ID\s*:\s*(.*)$", re.I), "chassis"),
    (re.compile(r"^\s*Port ID\s*:\s*(.*)$", re.I), "port_id"),
    (re.compile(r"^\s*Port description\s*:\s*(.*)$", re.I), "port_desc"),
    (re.compile(r"^\s*System name\s*:\s*(.*)$", re.I), "name"),
    (re.compile(r"^\s*Supported\s*:\s*(.*)$", re.I), "supported"),
    (re.compile(r"^\s*Enabled\s*:\s*(.*)$", re.I), "enabled"),
)


def _lldp_detail_text(text: str, result: ParseResult[Neighbor]) -> None:
    blocks: List[Dict[str, str]] = []
    for line in text.splitlines():
        for rx, key in _DETAIL_KEYS:
            m = rx.match(line)
            if not m:
                continue
            if key == "local":
                blocks.append({})
            if blocks and key not in blocks[-1]:
                blocks[-1][key] = m.group(1).strip()
            break
    for b in blocks:
        if not b.get("local"):
            continue
        caps = b["enabled"] if "enabled" in b else b.get("supported", "")
        result.records.append(
            Neighbor(
                local_interface=canonical_interface(b["local"], PLATFORM),
                remote_name=b.get("name", ""),
                remote_port=b.get("port_id", "") or b.get("port_desc", ""),
                capabilities=capability_words(caps),
                remote_mac=mac_or_none(b.get("chassis", "")),
            )
        )


def _lldp_summary_text(text: str, result: ParseResult[Neighbor]) -> None:
    name_col: Optional[int] = None
    header = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if re.match(r"^\s*Local Interface\s+Parent Interface", line, re.I):
            header = True
            idx = line.find("System Name")
            name_col = idx if idx >= 0 else None
            continue
        if re.match(r"^\s*\{master", line):
            continue
        m = re.match(r"^\s*(?P<local>\S+)\s+(?P<parent>\S+)\s+(?P<chassis>\S+)\s+(?P<rest>\S.*)$", line)
        if not m or not re.match(r"^[a-z]", m.group("local")):
            result.skip("unrecognised LLDP line", line)
            continue
        rest = m.group("rest").rstrip()
        start = m.start("rest")
        if name_col is not None and name_col > start and len(line) > name_col and line[name_col - 1] == " ":
            port, name = line[start:name_col].strip(), line[name_col:].strip()
        else:
            parts = rest.split(None, 1)
            port, name = parts[0], parts[1] if len(parts) > 1 else ""
        result.records.append(
            Neighbor(
                local_interface=canonical_interface(m.group("local"), PLATFORM),
                remote_name=name,
                remote_port=port,
                remote_mac=mac_or_none(m.group("chassis")),
            )
        )
    require_usable(result, header, CMD_LLDP)


def _parse_lldp_text(text: str, command: str) -> ParseResult[Neighbor]:
    result: ParseResult[Neighbor] = ParseResult()
    root = structured(text, command)
    if root is not None:
        _lldp_xml(root, result)
    elif re.search(r"^\s*Local Interface\s*:", text, re.M | re.I):
        _lldp_detail_text(text, result)
    else:
        _lldp_summary_text(text, result)
    return result


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    """The detail output (it carries the capabilities) when the device answered it, else the summary."""
    detail_text = output_of(outputs, CMD_LLDP_DETAIL, switch)
    if detail_text is not None and detail_text.strip():
        return _parse_lldp_text(detail_text, CMD_LLDP_DETAIL)
    summary_text = output_of(outputs, CMD_LLDP, switch)
    if summary_text is None:
        return ParseResult()
    return _parse_lldp_text(summary_text, CMD_LLDP)


# --------------------------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------------------------

_SWITCHPORT_HEADER = re.compile(
    r"^\s*(Interface\s+State|Logical\s+Vlan|interface\s+members|Routing Instance|flags\s*$|"
    r"Logical Interface flags|\S+ - |\{master)",
    re.I,
)
_IFNAME = re.compile(r"^(?:[a-z]{2,4}-\d+/\d+/\d+(?::\d+)?|ae\d+|reth\d+)(?:\.\d+)?$")


def _lacp_members(text: Optional[str], result: ParseResult[PortInfo]) -> Dict[str, str]:
    members: Dict[str, str] = {}
    if not text:
        return members
    root = structured(text, CMD_LACP)
    if root is not None:
        for el in root.iter("lacp-interface-information"):
            agg = _deep_text(el, "aggregate-name")
            for node in el.iter("name"):
                if agg and node.text and node.text.strip() != agg:
                    members[canonical_interface(node.text.strip(), PLATFORM)] = canonical_interface(agg, PLATFORM)
        return members
    agg = ""
    for line in text.splitlines():
        m = re.match(r"^\s*Aggregated interface:\s*(\S+)", line)
        if m:
            agg = canonical_interface(m.group(1), PLATFORM)
            continue
        tokens = line.split()
        if agg and tokens and _IFNAME.match(tokens[0]) and not tokens[0].startswith("ae"):
            members[canonical_interface(tokens[0], PLATFORM)] = agg
        elif tokens and not re.match(r"^\s*(LACP|\{master)", line) and not agg:
            result.skip("unrecognised LACP line", line)
    return members


def _descriptions(text: Optional[str]) -> Dict[str, Tuple[bool, str]]:
    out: Dict[str, Tuple[bool, str]] = {}
    if not text:
        return out
    for line in text.splitlines():
        m = re.match(r"^(\S+)\s+(up|down)\s+(up|down)\s*(.*)$", line)
        if m:
            out[canonical_interface(m.group(1), PLATFORM)] = (m.group(2) == "up", m.group(4).strip())
    return out


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    result: ParseResult[PortInfo] = ParseResult()
    text = output_of(outputs, CMD_SWITCHPORT, switch)
    if text is None:
        text = output_of(outputs, CMD_SWITCHPORT + "s", switch)
    members = _lacp_members(output_of(outputs, CMD_LACP, switch), result)
    descr = _descriptions(output_of(outputs, CMD_DESCR, switch))
    vmap = parse_vlan_map(outputs, switch)
    # interface -> list of (vlan name, tag text, tagging) ; order kept
    table: Dict[str, List[Tuple[str, str, str]]] = {}
    header = False
    if text is not None:
        current = ""
        for line in text.splitlines():
            if not line.strip():
                continue
            if _SWITCHPORT_HEADER.match(line):
                header = True
                continue
            tokens = line.split()
            if not line[:1].isspace() and _IFNAME.match(tokens[0]):
                current = canonical_interface(tokens[0], PLATFORM)
                table.setdefault(current, [])
                rest = tokens[1:]
                if rest and rest[0] in ("up", "down"):
                    rest = rest[1:]  # non-ELS: State column, then the first VLAN on the same line
                    if rest:
                        table[current].append(_member(rest))
                elif (
                    rest
                    and any(t in ("tagged", "untagged") for t in rest)
                    and not any(re.match(r"^[A-Za-z]", t) and t not in ("tagged", "untagged") for t in rest)
                ):
                    table[current].append(("", "", "tagged" if "tagged" in rest else "untagged"))
                continue
            if current and line[:1].isspace() and tokens and re.match(r"^[A-Za-z0-9_.-]+$", tokens[0]):
                table[current].append(_member(tokens))
                continue
            result.skip("unrecognised switchport line", line)
    for name, rows in table.items():
        vlan_rows = [r for r in rows if r[0]]
        taggings = {r[2] for r in rows if r[2]}
        ids = [to_vlan(r[1]) if r[1] else vmap.get(r[0]) for r in vlan_rows]
        if "tagged" in taggings:
            mode = "trunk"
            untagged = [i for r, i in zip(vlan_rows, ids) if r[2] == "untagged"]
            access = untagged[0] if untagged else None
            trunk = tuple(sorted({i for r, i in zip(vlan_rows, ids) if r[2] == "tagged" and i is not None}))
        elif len(vlan_rows) == 1:
            mode, access, trunk = "access", ids[0], ()
        else:
            mode, access, trunk = "unknown", None, ()
        enabled, description = descr.get(name, (True, ""))
        result.records.append(
            PortInfo(
                name=name,
                mode=mode,
                access_vlan=access if mode == "access" else None,
                description=description,
                enabled=enabled,
                trunk_vlans=trunk,
                is_lag=name.startswith("ae"),
            )
        )
    if text is not None:
        require_usable(result, header, CMD_SWITCHPORT)
    return apply_lag_membership(result, members, lambda n: str(n).startswith(("ae", "reth")))


def _member(tokens: List[str]) -> Tuple[str, str, str]:
    """(vlan name, tag, tagging) from a VLAN member row of either switchport table."""
    name = tokens[0]
    tag = tokens[1] if len(tokens) > 1 and is_num(tokens[1]) else ""
    tagging = next((t for t in tokens[1:] if t in ("tagged", "untagged")), "")
    return name, tag, tagging


SPECS: Dict[str, ParserSpec] = {
    PLATFORM: ParserSpec(
        commands={
            "mac_table": (CMD_MAC, CMD_VLANS),
            "arp": (CMD_ARP,),
            "neighbors": (CMD_LLDP, CMD_LLDP_DETAIL),
            "ports": (CMD_SWITCHPORT, CMD_LACP, CMD_DESCR, CMD_VLANS),
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
        optional=(CMD_LLDP_DETAIL, CMD_LACP, CMD_DESCR, CMD_VLANS),
        # the XML every Junos release offers (``| display json`` came with 14.2), for the commands
        # whose parsers read it; the switchport and description tables stay text
        structured={
            c: f"{c} | display xml" for c in (CMD_MAC, CMD_VLANS, CMD_ARP, CMD_LLDP, CMD_LLDP_DETAIL, CMD_LACP)
        },
    )
}
