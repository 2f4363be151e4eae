# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dell EMC (SmartFabric) OS10 parsers: ``show mac address-table``, ``show ip arp``,
``show lldp neighbors | display-xml`` and ``show running-configuration interface``.

Canonical interface names are OS10's own (``ethernet1/1/1``, ``ethernet1/1/12:1``,
``port-channel10``, ``vlan10``, ``mgmt1/1/1``). LLDP comes from the XML form, whose chassis and
port IDs are base64-encoded; untrusted XML is parsed only after refusing DTDs and entities.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
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
    xml_safe,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import int_to_mac
from ansible_collections.camguard.network.plugins.module_utils._records import ArpEntry, MacEntry, Neighbor, PortInfo

PLATFORM = "dell_os10"
CMD_MAC = "show mac address-table"
CMD_ARP = "show ip arp"
CMD_LLDP = "show lldp neighbors | display-xml"
CMD_CONFIG = "show running-configuration interface"

canon = canon_with({"eth": "ethernet", "po": "port-channel", "vl": "vlan"}, PLATFORM)

_MAC = r"(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}"
_MAC_ROW = re.compile(rf"^\s*(?:pv\s+)?(?P<vlan>\d+)\s+(?P<mac>{_MAC})\s+(?P<type>\S+)\s+(?P<iface>\S+)")
_ARP_ROW = re.compile(
    rf"^\s*(?P<ip>\d{{1,3}}(?:\.\d{{1,3}}){{3}})\s+(?P<mac>{_MAC}|\S+)\s+(?P<iface>\S+)(?:\s+(?P<egress>\S+))?"
)


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    res: ParseResult[MacEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_MAC]).get(CMD_MAC, "")
    for line in strip_lines(text):
        m = _MAC_ROW.match(line)
        if not m:
            if re.search(_MAC, line) or re.match(r"^\s*(?:pv\s+)?\d+\s+\S+\s+\S+\s+\S+", line):
                res.skip("unrecognised mac address-table row", line)
            continue  # codes legend, header, ruler
        kind, static = entry_kind(m.group("type"))
        add_mac(
            res,
            mac_token=m.group("mac"),
            vlan=to_vlan(m.group("vlan")),
            interface=canon(m.group("iface")),
            switch=switch,
            kind=kind,
            static=static,
            line=line,
        )
    return res


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    res: ParseResult[ArpEntry] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_ARP]).get(CMD_ARP, "")
    for line in strip_lines(text):
        m = _ARP_ROW.match(line)
        if not m:
            continue  # codes legend, header, ruler
        mac = mac_or_none(m.group("mac"))
        if mac is None:
            res.skip("invalid MAC address", line)
            continue
        res.records.append(ArpEntry(ip=m.group("ip"), mac=mac, interface=canon(m.group("iface"))))
    return res


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(elem: ET.Element, name: str) -> str:
    for child in elem:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _decode_id(value: str, subtype: str) -> str:
    """OS10 prints LLDP IDs base64-encoded; MAC subtypes become canonical MACs."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return value.strip()
    if "mac" in subtype and len(raw) == 6:
        return int_to_mac(int.from_bytes(raw, "big"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return text if text.isprintable() else raw.hex()


def xml_documents(text: str, res: ParseResult[Any]) -> List[ET.Element]:
    """Parse every ``<rpc-reply>`` document in ``text`` (OS10 pages long outputs)."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        res.skip("XML with a DTD or entity declaration refused")
        return []
    docs: List[ET.Element] = []
    for chunk in re.findall(r"<rpc-reply\b.*?</rpc-reply>", text, re.DOTALL):
        try:
            docs.append(ET.fromstring(xml_safe(chunk)))  # noqa: S314 - no DTD/entities (checked above)
        except ET.ParseError as exc:
            res.skip(f"malformed XML document: {exc}")
    return docs


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    res: ParseResult[Neighbor] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_LLDP]).get(CMD_LLDP, "")
    for doc in xml_documents(text, res):
        for iface in doc.iter():
            if _local(iface.tag) != "interface":
                continue
            local = canon(_text(iface, "name"))
            for info in iface.iter():
                if _local(info.tag) != "info":
                    continue
                chassis = _decode_id(_text(info, "rem-lldp-chassis-id"), _text(info, "rem-lldp-chassis-id-subtype"))
                subtype = _text(info, "rem-lldp-port-subtype")
                port = _decode_id(_text(info, "rem-lldp-port-id"), subtype)
                if "mac" in subtype and _text(info, "rem-port-desc"):
                    port = _text(info, "rem-port-desc")  # a MAC says less than the port's own name
                if not local:
                    res.skip("neighbour without a local interface", port)
                    continue
                caps = _text(info, "rem-sys-cap-enabled") or _text(info, "rem-sys-cap-supported")
                res.records.append(
                    Neighbor(
                        local_interface=local,
                        remote_name=_text(info, "rem-system-name"),
                        remote_port=port,
                        capabilities=capabilities_as_listed(caps),
                        protocol="lldp",
                        remote_mac=mac_or_none(chassis),
                    )
                )
    return res


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    res: ParseResult[PortInfo] = ParseResult()
    text = outputs_for(outputs, switch, [CMD_CONFIG]).get(CMD_CONFIG, "")
    ports = Ports()
    lags: Dict[str, str] = {}
    row: Optional[Dict[str, Any]] = None
    for line in strip_lines(text):
        m = re.match(r"^interface\s+(\S+(?:\s+\d\S*)?)\s*$", line)
        if m:
            name = canon(m.group(1).replace(" ", ""))
            row = ports.get(name)
            layer2 = name.startswith(("ethernet", "port-channel"))
            row.update(mode="access" if layer2 else "routed", access_vlan=1 if layer2 else None)
            row["trunk_vlans"] = []
            continue
        if line.startswith("!") or not line.startswith(" "):
            row = None
            continue
        if row is None:
            continue
        s = line.strip()
        if s == "shutdown":
            row["enabled"] = False
        elif s == "no shutdown":
            row["enabled"] = True
        elif s.startswith("description "):
            row["description"] = s[len("description ") :].strip().strip('"')
        elif s == "no switchport":
            row.update(mode="routed", access_vlan=None)
        elif s == "switchport mode trunk":
            row["mode"] = "trunk"
        elif s.startswith("switchport access vlan "):
            row["access_vlan"] = to_vlan(s.rsplit(" ", 1)[-1])
        elif s.startswith("switchport trunk allowed vlan "):
            row["trunk_vlans"] = row["trunk_vlans"] + parse_vlan_list(s.rsplit(" ", 1)[-1])
        elif s.startswith("channel-group "):
            num = s.split()[1]
            if num.isdecimal():
                lags[row["name"]] = f"port-channel{int(num)}"
    ports.set_lags(lags)
    ports.records(res)
    return res


SPECS: Dict[str, ParserSpec] = {
    "dell_os10": ParserSpec(
        commands={
            "mac_table": [CMD_MAC],
            "arp": [CMD_ARP],
            "neighbors": [CMD_LLDP],
            "ports": [CMD_CONFIG],
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
    ),
}
