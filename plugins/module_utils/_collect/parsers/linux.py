# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsers for ``linux_bridge`` switches (Cumulus, SONiC-like boxes, the camguard lab).

All commands are iproute2 / lldpd JSON outputs, run by full path (a non-root ``PATH`` lacks
``/usr/sbin``) and without root:

``bridge -j fdb show``
    Learned entries have ``master`` set, no ``permanent`` state and no ``self`` flag. Entries
    with ``master`` and ``state: permanent`` are the switch's own port/bridge addresses
    (``kind="self"``, empty interface). ``self`` entries are device-level (VXLAN remote
    VTEP entries, multicast) and are not bridge MAC table rows.
``ip -j -d link show``
    Port roles: a port enslaved to a bridge is an access port (VLAN from the bridge's name
    ``br10`` when bridges are per VLAN, from ``bridge vlan show`` when the bridge is VLAN-aware);
    a VXLAN device is a trunk member and a MAC learned on it is reported on its underlay
    device (``vx1v10`` over ``up1`` -> ``up1``), as a hardware switch reports the trunk port;
    a bond is an aggregate (``is_lag``) and its members carry ``lag``.
``bridge -j vlan show``
    VLAN membership of VLAN-aware bridges (``PVID`` + ``Egress Untagged`` -> access VLAN);
    both the iproute2 >= 5.x list form and the older mapping form are read.
``ip -j neigh show``
    IPv4 neighbours with a link-layer address -> ``ArpEntry``.
``lldpcli -f json show neighbors``
    lldpd's JSON (``interface`` is a mapping for one neighbour, a list of one-key mappings
    for several) -> ``Neighbor`` with enabled capabilities.

Device output is untrusted: anything that is not the expected JSON shape is skipped and
counted, interface names must pass the strict interface validator, and no value is ever used
as anything but data.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    capability_words,
    load_json,
    mac_or_none,
    placed_neighbors,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
)

FDB = "/usr/sbin/bridge -j fdb show"
LINK = "/usr/sbin/ip -j -d link show"
VLANS = "/usr/sbin/bridge -j vlan show"
NEIGH = "/usr/sbin/ip -j neigh show"
LLDP = "/usr/sbin/lldpcli -f json show neighbors"

_BRIDGE_VLAN = re.compile(r"^(?:br|bridge|vlan|vmbr|br-vlan|br_vlan)[-_.]?(\d{1,4})$", re.IGNORECASE)


def _list_of_dicts(doc: Any, command: str) -> List[Dict[str, Any]]:
    if isinstance(doc, dict) and not doc:
        return []
    if not isinstance(doc, list):
        raise ParseError(f"{command!r}: expected a JSON list, got {type(doc).__name__}")
    return [d for d in doc if isinstance(d, dict)]


def _str_list(value: Any) -> List[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _safe_name(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and is_safe_interface(value) else None


class Links:
    """What ``ip -j -d link show`` says about each interface."""

    def __init__(self, rows: List[Dict[str, Any]]) -> None:
        self.rows: Dict[str, Dict[str, Any]] = {}
        for r in rows:
            name = _safe_name(r.get("ifname"))
            if name:
                self.rows[name] = r

    @classmethod
    def from_outputs(cls, outputs: Mapping[str, str]) -> Links:
        if LINK not in outputs:
            return cls([])
        return cls(_list_of_dicts(load_json(outputs[LINK], LINK), LINK))

    def info(self, name: str) -> Dict[str, Any]:
        li = self.rows.get(name, {}).get("linkinfo")
        return li if isinstance(li, dict) else {}

    def kind(self, name: str) -> str:
        k = self.info(name).get("info_kind")
        return k if isinstance(k, str) else ""

    def slave_kind(self, name: str) -> str:
        k = self.info(name).get("info_slave_kind")
        return k if isinstance(k, str) else ""

    def master(self, name: str) -> Optional[str]:
        return _safe_name(self.rows.get(name, {}).get("master"))

    def is_vlan_aware(self, bridge: str) -> bool:
        data = self.info(bridge).get("info_data")
        return isinstance(data, dict) and data.get("vlan_filtering") in (1, True, "1")

    def vxlan(self, name: str) -> Optional[Tuple[Optional[str], Optional[int]]]:
        """(underlay device, VNI) of a VXLAN device, None for other kinds."""
        if self.kind(name) != "vxlan":
            return None
        data = self.info(name).get("info_data")
        data = data if isinstance(data, dict) else {}
        vni = data.get("id")
        return _safe_name(data.get("link")), vni if isinstance(vni, int) else None

    def trunk_port(self, name: str) -> str:
        """The port a hardware switch would report: a VXLAN device's underlay (or its bond)."""
        vx = self.vxlan(name)
        if vx is None or vx[0] is None:
            return name
        under = vx[0]
        if self.slave_kind(under) == "bond":
            return self.master(under) or under
        return under


def bridge_vlan(master: Optional[str], links: Links) -> Tuple[Optional[int], Optional[str]]:
    """(VLAN id, VLAN name) implied by a per-VLAN bridge's name (``br10`` -> 10)."""
    if not master:
        return None, None
    m = _BRIDGE_VLAN.match(master)
    if m:
        vid = to_vlan(m.group(1))
        if vid is not None:
            return vid, None
    return None, master


# --------------------------------------------------------------------------------------------
# MAC table
# --------------------------------------------------------------------------------------------


def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
    result: ParseResult[MacEntry] = ParseResult()
    if FDB not in outputs:
        raise ParseError(f"no output for {FDB!r}")
    rows = _list_of_dicts(load_json(outputs[FDB], FDB), FDB)
    try:
        links = Links.from_outputs(outputs)
    except ParseError as exc:
        result.warnings.append(f"port roles unknown, reporting VXLAN devices as they are: {exc}")
        links = Links([])
    seen: Dict[Tuple[str, Optional[int], str], int] = {}
    for row in rows:
        flags = _str_list(row.get("flags"))
        master = row.get("master")
        if "self" in flags or not master:
            continue  # device-level entries (VXLAN remote VTEPs, multicast): not bridge rows
        raw_mac = row.get("mac")
        mac = mac_or_none(raw_mac)
        if mac is None:
            result.skip("invalid MAC", str(raw_mac))
            continue
        if (mac_to_int(mac) >> 40) & 1:
            continue  # multicast group entries
        ifname = _safe_name(row.get("ifname"))
        master_name = _safe_name(master)
        if ifname is None or master_name is None:
            result.skip("unsafe interface name", f"{row.get('ifname')!r} master {master!r}")
            continue
        vlan = to_vlan(row.get("vlan")) if row.get("vlan") is not None else None
        vlan_name: Optional[str] = None
        if vlan is None and row.get("vlan") is None:
            vlan, vlan_name = bridge_vlan(master_name, links)
        state = row.get("state") if isinstance(row.get("state"), str) else ""
        if state == "permanent":
            entry = MacEntry(mac, vlan, "", static=True, switch=switch, kind="self", vlan_name=vlan_name)
        else:
            static = state == "static" or "sticky" in flags
            entry = MacEntry(
                mac,
                vlan,
                links.trunk_port(ifname),
                static=static,
                switch=switch,
                kind="static" if static else "dynamic",
                vlan_name=vlan_name,
            )
        key = (entry.mac, entry.vlan, entry.kind)
        if key in seen:
            continue  # a MAC on the same VLAN twice (e.g. per-VLAN VXLAN + bridge) is one row
        seen[key] = len(result.records)
        result.records.append(entry)
    return result


# --------------------------------------------------------------------------------------------
# ARP
# --------------------------------------------------------------------------------------------

_IPV4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


def parse_arp(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
    result: ParseResult[ArpEntry] = ParseResult()
    if NEIGH not in outputs:
        raise ParseError(f"no output for {NEIGH!r}")
    for row in _list_of_dicts(load_json(outputs[NEIGH], NEIGH), NEIGH):
        dst = row.get("dst")
        if not isinstance(dst, str):
            result.skip("neighbour without address", str(row)[:60])
            continue
        m = _IPV4.match(dst)
        if not m:
            continue  # IPv6 neighbours are not ARP entries
        if any(int(o) > 255 for o in m.groups()):
            result.skip("invalid IPv4 address", dst)
            continue
        lladdr = row.get("lladdr")
        if lladdr is None:
            continue  # INCOMPLETE / FAILED: no MAC yet
        mac = mac_or_none(lladdr)
        if mac is None:
            result.skip("invalid MAC", str(lladdr))
            continue
        dev = _safe_name(row.get("dev"))
        if row.get("dev") is not None and dev is None:
            result.skip("unsafe interface name", str(row.get("dev")))
            continue
        result.records.append(ArpEntry(dst, mac, dev or ""))
    return result


# --------------------------------------------------------------------------------------------
# LLDP
# --------------------------------------------------------------------------------------------


def _iter_interfaces(doc: Any) -> Iterator[Tuple[str, Dict[str, Any]]]:
    lldp = doc.get("lldp") if isinstance(doc, dict) else None
    if not isinstance(lldp, dict):
        return
    ifs = lldp.get("interface")
    items: List[Any] = ifs if isinstance(ifs, list) else [ifs] if isinstance(ifs, dict) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        # {"up1": {...}} (lldpd JSON) or {"name": "up1", ...} (json0 format)
        if isinstance(item.get("name"), str) and isinstance(item.get("chassis"), (dict, list)):
            yield item["name"], item
            continue
        for name, body in item.items():
            if isinstance(name, str) and isinstance(body, dict):
                yield name, body


def _chassis(body: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    ch = body.get("chassis")
    if isinstance(ch, list):
        ch = ch[0] if ch and isinstance(ch[0], dict) else {}
    if not isinstance(ch, dict):
        return "", {}
    if "id" in ch or "descr" in ch or "capability" in ch:
        name = ch.get("name")
        if isinstance(name, list):
            name = name[0].get("value") if name and isinstance(name[0], dict) else ""
        return (name if isinstance(name, str) else ""), ch
    for name, inner in ch.items():
        if isinstance(inner, dict):
            return str(name), inner
    return "", {}


def _value(node: Any) -> Optional[str]:
    if isinstance(node, dict):
        v = node.get("value")
        return v if isinstance(v, str) else None
    if isinstance(node, list) and node:
        return _value(node[0])
    return node if isinstance(node, str) else None


def _type(node: Any) -> str:
    if isinstance(node, list) and node:
        node = node[0]
    t = node.get("type") if isinstance(node, dict) else None
    return t if isinstance(t, str) else ""


@placed_neighbors
def parse_neighbors(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
    result: ParseResult[Neighbor] = ParseResult()
    if LLDP not in outputs:
        return result
    doc = load_json(outputs[LLDP], LLDP)
    for local, body in _iter_interfaces(doc):
        local_if = _safe_name(local)
        if local_if is None:
            result.skip("unsafe interface name", local)
            continue
        name, ch = _chassis(body)
        raw_caps = ch.get("capability")
        cap_list = raw_caps if isinstance(raw_caps, list) else [raw_caps] if isinstance(raw_caps, dict) else []
        enabled = [
            str(c.get("type", "")) for c in cap_list if isinstance(c, dict) and c.get("enabled") in (True, "true", "on")
        ]
        remote_mac: Optional[str] = None
        cid = ch.get("id")
        if _type(cid) == "mac":
            remote_mac = mac_or_none(_value(cid))
        port = body.get("port")
        port = port[0] if isinstance(port, list) and port else port
        remote_port = ""
        if isinstance(port, dict):
            pid = port.get("id")
            descr = _value(port.get("descr"))
            if _type(pid) in ("ifname", "local", "ifalias") and _value(pid):
                remote_port = _value(pid) or ""
            else:
                remote_port = descr or _value(pid) or ""
        if not name:
            name = remote_mac or ""
        if not name:
            result.skip("neighbour without a name or chassis id", local)
            continue
        result.records.append(
            Neighbor(
                local_interface=local_if,
                remote_name=name[:255],
                remote_port=remote_port[:255],
                capabilities=capability_words(enabled),
                protocol="lldp",
                remote_mac=remote_mac,
            )
        )
    return result


# --------------------------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------------------------


def _vlan_membership(outputs: Mapping[str, str], result: ParseResult[Any]) -> Dict[str, List[Tuple[int, bool, bool]]]:
    """port -> [(vid, pvid, untagged)] from ``bridge -j vlan show`` (both JSON shapes)."""
    out: Dict[str, List[Tuple[int, bool, bool]]] = {}
    if VLANS not in outputs:
        return out
    try:
        doc = load_json(outputs[VLANS], VLANS)
    except ParseError as exc:
        result.warnings.append(str(exc))
        return out
    pairs: List[Tuple[Any, Any]] = []
    if isinstance(doc, list):
        pairs = [(d.get("ifname"), d.get("vlans")) for d in doc if isinstance(d, dict)]
    elif isinstance(doc, dict):
        pairs = list(doc.items())
    for name, vlans in pairs:
        port = _safe_name(name)
        if port is None or not isinstance(vlans, list):
            continue
        for v in vlans:
            if not isinstance(v, dict):
                continue
            start, end = to_vlan(v.get("vlan")), to_vlan(v.get("vlanEnd", v.get("vlan")))
            if start is None or end is None or end < start:
                continue
            flags = [str(f).lower() for f in v.get("flags", []) if isinstance(f, str)]
            for vid in range(start, min(end, start + 4094) + 1):
                out.setdefault(port, []).append((vid, "pvid" in flags, "egress untagged" in flags))
    return out


def parse_ports(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
    result: ParseResult[PortInfo] = ParseResult()
    if LINK not in outputs:
        raise ParseError(f"no output for {LINK!r}")
    rows = _list_of_dicts(load_json(outputs[LINK], LINK), LINK)
    links = Links(rows)
    for r in rows:
        if _safe_name(r.get("ifname")) is None:
            result.skip("unsafe interface name", str(r.get("ifname")))
    membership = _vlan_membership(outputs, result)
    # underlay device -> VLANs of the VXLAN devices riding on it
    trunk_vlans: Dict[str, List[int]] = {}
    for name in links.rows:
        vx = links.vxlan(name)
        if vx is None:
            continue
        vid, _unused = bridge_vlan(links.master(name), links)
        vids = [vid] if vid is not None else [v for v, _unused, _unused in membership.get(name, [])]
        holder = links.trunk_port(name)
        for v in vids:
            for port in sorted({holder, name}):
                if v not in trunk_vlans.setdefault(port, []):
                    trunk_vlans[port].append(v)
    for name, row in links.rows.items():
        kind = links.kind(name)
        if name == "lo" or kind == "bridge":
            continue  # bridges are the VLANs themselves, not ports
        enabled = "UP" in _str_list(row.get("flags"))
        alias = row.get("ifalias")
        descr = alias if isinstance(alias, str) else ""
        master = links.master(name)
        lag = master if master and links.slave_kind(name) == "bond" else None
        carried = trunk_vlans.get(name) or (trunk_vlans.get(lag, []) if lag else [])
        mode, access_vlan, tvlans = "unknown", None, tuple(sorted(carried))
        if tvlans:
            mode = "trunk"
        elif master and links.slave_kind(name) == "bridge":
            if links.is_vlan_aware(master):
                mem = membership.get(name, [])
                pvid = [v for v, p, u in mem if p and u]
                tagged = sorted(v for v, p, u in mem if not u)
                if tagged:
                    mode, tvlans = "trunk", tuple(sorted({v for v, _unused, _unused in mem}))
                elif pvid:
                    mode, access_vlan = "access", pvid[0]
            else:
                vid, _unused = bridge_vlan(master, links)
                mode, access_vlan = "access", vid
        elif lag is None and kind != "vxlan":
            mode = "routed"
        result.records.append(
            PortInfo(
                name=name,
                mode=mode,
                access_vlan=access_vlan,
                description=descr[:240],
                enabled=enabled,
                lag=lag,
                is_lag=kind == "bond",
                trunk_vlans=tvlans,
            )
        )
    return result


SPECS: Dict[str, ParserSpec] = {
    "linux_bridge": ParserSpec(
        commands={
            "mac_table": (FDB, LINK),
            "arp": (NEIGH,),
            "neighbors": (LLDP,),
            "ports": (LINK, VLANS),
        },
        parse_mac_table=parse_mac_table,
        parse_arp=parse_arp,
        parse_neighbors=parse_neighbors,
        parse_ports=parse_ports,
        optional=(LLDP, VLANS),
    )
}
