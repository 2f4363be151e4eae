# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SNMP tables in, the same records as the CLI parsers out (pure decoders, no I/O).

The SNMP seam (``_collect.snmp``) walks the columns named in ``COLUMNS`` and hands them here as a
``Walk``: column name -> list of ``(index, value)``, where ``index`` is the OID suffix after the
column (a tuple of ints) and ``value`` a plain Python value (``int`` for INTEGER, Counter, Gauge and
TimeTicks; ``bytes`` for OCTET STRING and IpAddress; a tuple of ints for an OBJECT IDENTIFIER).
Recorded walks (snmpsim ``.snmprec``) decode to the same form (``parse_snmprec``, ``walk_from_varbinds``),
so tests, the lab and the live poll share every line below.

Tables read (and what each gives):

* IF-MIB ``ifTable`` / ``ifXTable``: interface names (``ifName``, else ``ifDescr``), descriptions
  (``ifAlias``), admin state, type (a LAG is ``ieee8023adLag``).
* BRIDGE-MIB ``dot1dBasePortIfIndex`` (bridge port -> ifIndex) and ``dot1dTpFdbTable``; Q-BRIDGE-MIB
  ``dot1qTpFdbTable`` (index: FDB id + MAC; the FDB id becomes a VLAN through ``dot1qVlanFdbId``, else
  it is taken as the VLAN itself, as most agents number them), ``dot1qPvid`` and the current/static
  egress and untagged port lists (access vs trunk). Cisco: per-VLAN BRIDGE-MIB (one ``Walk`` per VLAN
  context), ``CISCO-VTP-MIB`` trunk state and ``CISCO-VLAN-MEMBERSHIP-MIB`` access VLAN.
* IEEE8023-LAG-MIB ``dot3adAggPortAttachedAggID`` (member -> aggregate).
* LLDP-MIB ``lldpRemTable`` (mapped to local ports through ``lldpLocPortTable``), CISCO-CDP-MIB
  ``cdpCacheTable``.
* IP-MIB ``ipNetToPhysicalTable`` and the legacy ``ipNetToMediaTable`` (ARP).

Device data is untrusted: every row that does not fit (wrong type, short index, port 0, a MAC
that is not 6 octets) is skipped and counted, never raised; text is cleaned of control
characters and bounded in length. What SNMP could not say that a CLI would have (no VLAN port
lists, so access vs trunk is unknown; no LLDP-MIB, so "no neighbour" would be a guess) is returned
as ``limits``: phrases that the locate stage quotes in the edge-port evidence.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    MacEntry,
    Neighbor,
    PortInfo,
    SwitchData,
)

Oid = Tuple[int, ...]
Row = Tuple[Oid, Any]
Walk = Mapping[str, Sequence[Row]]

GENERIC_PLATFORM = "snmp"
"""The platform key of a switch read over SNMP only (no CLI platform named): names stay as the agent spells them."""

CISCO_ENTERPRISE: Oid = (1, 3, 6, 1, 4, 1, 9)
MAX_TEXT = 255  # characters kept of any text value
MAX_WARNINGS = 20


def oid(text: str) -> Oid:
    return tuple(int(p) for p in text.strip(".").split("."))


# Scalars (read with GET), then columns (read with GETBULK walks).
SCALARS: Dict[str, Oid] = {
    "sysDescr": oid("1.3.6.1.2.1.1.1.0"),
    "sysObjectID": oid("1.3.6.1.2.1.1.2.0"),
    "sysName": oid("1.3.6.1.2.1.1.5.0"),
    "dot1dBaseBridgeAddress": oid("1.3.6.1.2.1.17.1.1.0"),
}

COLUMNS: Dict[str, Oid] = {
    # IF-MIB
    "ifDescr": oid("1.3.6.1.2.1.2.2.1.2"),
    "ifType": oid("1.3.6.1.2.1.2.2.1.3"),
    "ifPhysAddress": oid("1.3.6.1.2.1.2.2.1.6"),
    "ifAdminStatus": oid("1.3.6.1.2.1.2.2.1.7"),
    "ifOperStatus": oid("1.3.6.1.2.1.2.2.1.8"),
    "ifName": oid("1.3.6.1.2.1.31.1.1.1.1"),
    "ifAlias": oid("1.3.6.1.2.1.31.1.1.1.18"),
    # BRIDGE-MIB
    "dot1dBasePortIfIndex": oid("1.3.6.1.2.1.17.1.4.1.2"),
    "dot1dTpFdbPort": oid("1.3.6.1.2.1.17.4.3.1.2"),
    "dot1dTpFdbStatus": oid("1.3.6.1.2.1.17.4.3.1.3"),
    # Q-BRIDGE-MIB
    "dot1qTpFdbPort": oid("1.3.6.1.2.1.17.7.1.2.2.1.2"),
    "dot1qTpFdbStatus": oid("1.3.6.1.2.1.17.7.1.2.2.1.3"),
    "dot1qVlanFdbId": oid("1.3.6.1.2.1.17.7.1.4.2.1.3"),
    "dot1qVlanCurrentEgressPorts": oid("1.3.6.1.2.1.17.7.1.4.2.1.4"),
    "dot1qVlanCurrentUntaggedPorts": oid("1.3.6.1.2.1.17.7.1.4.2.1.5"),
    "dot1qVlanStaticEgressPorts": oid("1.3.6.1.2.1.17.7.1.4.3.1.2"),
    "dot1qVlanStaticUntaggedPorts": oid("1.3.6.1.2.1.17.7.1.4.3.1.4"),
    "dot1qPvid": oid("1.3.6.1.2.1.17.7.1.4.5.1.1"),
    # IEEE8023-LAG-MIB
    "dot3adAggPortAttachedAggID": oid("1.2.840.10006.300.43.1.2.1.1.13"),
    # LLDP-MIB
    "lldpLocPortIdSubtype": oid("1.0.8802.1.1.2.1.3.7.1.2"),
    "lldpLocPortId": oid("1.0.8802.1.1.2.1.3.7.1.3"),
    "lldpLocPortDesc": oid("1.0.8802.1.1.2.1.3.7.1.4"),
    "lldpRemChassisIdSubtype": oid("1.0.8802.1.1.2.1.4.1.1.4"),
    "lldpRemChassisId": oid("1.0.8802.1.1.2.1.4.1.1.5"),
    "lldpRemPortIdSubtype": oid("1.0.8802.1.1.2.1.4.1.1.6"),
    "lldpRemPortId": oid("1.0.8802.1.1.2.1.4.1.1.7"),
    "lldpRemPortDesc": oid("1.0.8802.1.1.2.1.4.1.1.8"),
    "lldpRemSysName": oid("1.0.8802.1.1.2.1.4.1.1.9"),
    "lldpRemSysCapSupported": oid("1.0.8802.1.1.2.1.4.1.1.11"),
    "lldpRemSysCapEnabled": oid("1.0.8802.1.1.2.1.4.1.1.12"),
    # IP-MIB
    "ipNetToPhysicalPhysAddress": oid("1.3.6.1.2.1.4.35.1.4"),
    "ipNetToPhysicalType": oid("1.3.6.1.2.1.4.35.1.6"),
    "ipNetToMediaPhysAddress": oid("1.3.6.1.2.1.4.22.1.2"),
    "ipNetToMediaType": oid("1.3.6.1.2.1.4.22.1.4"),
    # Cisco
    "vtpVlanState": oid("1.3.6.1.4.1.9.9.46.1.3.1.1.2"),
    "vlanTrunkPortNativeVlan": oid("1.3.6.1.4.1.9.9.46.1.6.1.1.5"),
    "vlanTrunkPortDynamicStatus": oid("1.3.6.1.4.1.9.9.46.1.6.1.1.14"),
    "vlanTrunkPortEncapsulationOperType": oid("1.3.6.1.4.1.9.9.46.1.6.1.1.16"),
    "vmVlan": oid("1.3.6.1.4.1.9.9.68.1.2.2.1.2"),
    "cdpCacheDeviceId": oid("1.3.6.1.4.1.9.9.23.1.2.1.1.6"),
    "cdpCacheDevicePort": oid("1.3.6.1.4.1.9.9.23.1.2.1.1.7"),
    "cdpCacheCapabilities": oid("1.3.6.1.4.1.9.9.23.1.2.1.1.9"),
}

_IF = ("ifDescr", "ifType", "ifPhysAddress", "ifAdminStatus", "ifName", "ifAlias")
_BRIDGE = ("dot1dBasePortIfIndex",)
_FDB = ("dot1qTpFdbPort", "dot1qTpFdbStatus", "dot1qVlanFdbId", "dot1dTpFdbPort", "dot1dTpFdbStatus")
_VLANS = (
    "dot1qPvid",
    "dot1qVlanCurrentEgressPorts",
    "dot1qVlanCurrentUntaggedPorts",
    "dot1qVlanStaticEgressPorts",
    "dot1qVlanStaticUntaggedPorts",
)
_LLDP = (
    "lldpLocPortIdSubtype",
    "lldpLocPortId",
    "lldpLocPortDesc",
    "lldpRemChassisIdSubtype",
    "lldpRemChassisId",
    "lldpRemPortIdSubtype",
    "lldpRemPortId",
    "lldpRemPortDesc",
    "lldpRemSysName",
    "lldpRemSysCapSupported",
    "lldpRemSysCapEnabled",
)
_CISCO_PORTS = ("vlanTrunkPortDynamicStatus", "vlanTrunkPortEncapsulationOperType", "vlanTrunkPortNativeVlan", "vmVlan")
_CDP = ("cdpCacheDeviceId", "cdpCacheDevicePort", "cdpCacheCapabilities")
_ARP = ("ipNetToPhysicalPhysAddress", "ipNetToPhysicalType", "ipNetToMediaPhysAddress", "ipNetToMediaType")

# The columns each getter needs; every getter needs the interface names and the bridge ports.
GETTER_COLUMNS: Dict[str, Tuple[str, ...]] = {
    "mac_table": _IF + _BRIDGE + _FDB,
    "arp": _IF + _ARP,
    "neighbors": _IF + _BRIDGE + _LLDP,
    "ports": _IF + _BRIDGE + _VLANS + ("dot3adAggPortAttachedAggID",),
}
CISCO_COLUMNS: Dict[str, Tuple[str, ...]] = {
    "mac_table": ("vtpVlanState",),
    "neighbors": _CDP,
    "ports": _CISCO_PORTS,
}
# Walked once per VLAN context on Cisco (``community@vlan`` / SNMPv3 context ``vlan-N``).
VLAN_CONTEXT_COLUMNS: Tuple[str, ...] = ("dot1dBasePortIfIndex", "dot1dTpFdbPort", "dot1dTpFdbStatus")


def columns_for(getters: Sequence[str], cisco: bool) -> List[str]:
    """The columns to walk for ``getters`` (in walk order, each once)."""
    out: List[str] = []
    for g in getters:
        for c in GETTER_COLUMNS.get(g, ()) + (CISCO_COLUMNS.get(g, ()) if cisco else ()):
            if c not in out:
                out.append(c)
    return out


# --------------------------------------------------------------------------- value helpers

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def as_int(v: Any) -> Optional[int]:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def as_bytes(v: Any) -> Optional[bytes]:
    return bytes(v) if isinstance(v, (bytes, bytearray)) else None


def as_text(v: Any) -> str:
    """Printable text of an OCTET STRING (UTF-8, else Latin-1), control characters removed, bounded."""
    if isinstance(v, (bytes, bytearray)):
        b = bytes(v[: MAX_TEXT * 4]).split(b"\x00", 1)[0]  # C-string padding: the text ends at the first NUL
        try:
            s = b.decode("utf-8")
        except UnicodeDecodeError:
            s = b.decode("latin-1")
    elif isinstance(v, str):
        s = v[: MAX_TEXT * 4]
    elif isinstance(v, int) and not isinstance(v, bool):
        s = str(v)
    else:
        return ""
    return _CONTROL.sub(" ", s).strip()[:MAX_TEXT]


def mac_text(b: Optional[bytes]) -> Optional[str]:
    """Canonical ``aa:bb:cc:dd:ee:ff`` of 6 octets, else None."""
    if b is None or len(b) != 6:
        return None
    return ":".join(f"{x:02x}" for x in b)


def mac_from_index(idx: Sequence[int]) -> Optional[str]:
    if len(idx) != 6 or any(not isinstance(x, int) or not 0 <= x <= 255 for x in idx):
        return None
    return ":".join(f"{x:02x}" for x in idx)


def port_list(b: Optional[bytes]) -> Set[int]:
    """Bridge ports set in a Q-BRIDGE ``PortList`` (the first octet's top bit is port 1)."""
    out: Set[int] = set()
    if not b:
        return out
    for i, octet in enumerate(b[:512]):  # 4096 ports at most
        if octet:
            for bit in range(8):
                if octet & (0x80 >> bit):
                    out.add(i * 8 + bit + 1)
    return out


def rows(walk: Walk, column: str) -> Iterable[Row]:
    """The rows of one column (nothing when the agent did not serve it), well-formed indexes only."""
    for r in walk.get(column) or ():
        if isinstance(r, tuple) and len(r) == 2 and isinstance(r[0], tuple) and r[0]:
            yield r


def by_int_index(walk: Walk, column: str) -> Dict[int, Any]:
    """Rows of a column indexed by one integer (ifIndex, bridge port), first value wins."""
    out: Dict[int, Any] = {}
    for idx, v in rows(walk, column):
        if len(idx) == 1 and isinstance(idx[0], int) and idx[0] not in out:
            out[idx[0]] = v
    return out


def is_cisco(sys_object_id: Any) -> bool:
    return isinstance(sys_object_id, tuple) and sys_object_id[: len(CISCO_ENTERPRISE)] == CISCO_ENTERPRISE


# --------------------------------------------------------------------------- decoded switch


@dataclass
class Decoded:
    """What the decoders read from one switch's walks."""

    data: SwitchData
    limits: Dict[str, str] = field(default_factory=dict)  # key (mode, neighbors) -> phrase for the evidence

    def skip(self, what: str, detail: str = "") -> None:
        self.data.skipped_rows += 1
        if len(self.data.warnings) < MAX_WARNINGS:
            self.data.warnings.append(f"{self.data.switch}: snmp: {what}" + (f": {detail}" if detail else ""))

    def warn(self, text: str) -> None:
        if len(self.data.warnings) < MAX_WARNINGS:
            self.data.warnings.append(f"{self.data.switch}: snmp: {text}")


@dataclass
class Interfaces:
    names: Dict[int, str]  # ifIndex -> canonical name
    types: Dict[int, int]
    alias: Dict[int, str]
    admin: Dict[int, int]
    phys: Dict[int, bytes]
    baseport: Dict[int, int]  # bridge port -> ifIndex
    by_name: Dict[str, int]  # lower-case ifName / ifDescr / ifAlias -> ifIndex

    def of_port(self, bp: int) -> Optional[int]:
        """The ifIndex of bridge port ``bp`` (agents without dot1dBasePortIfIndex number them alike)."""
        if bp in self.baseport:
            return self.baseport[bp]
        if not self.baseport and bp in self.names:
            return bp
        return None


def decode_interfaces(walk: Walk, platform: str) -> Interfaces:
    descr = {k: as_text(v) for k, v in by_int_index(walk, "ifDescr").items()}
    names_raw = {k: as_text(v) for k, v in by_int_index(walk, "ifName").items()}
    alias = {k: as_text(v) for k, v in by_int_index(walk, "ifAlias").items()}
    names: Dict[int, str] = {}
    by_name: Dict[str, int] = {}
    for i in sorted(set(descr) | set(names_raw)):
        raw = names_raw.get(i) or descr.get(i) or f"ifIndex{i}"
        try:
            names[i] = canonical_interface(raw, platform) or raw
        except Exception:
            names[i] = raw
        for spelt in (names_raw.get(i), descr.get(i), names[i]):
            if spelt:
                by_name.setdefault(spelt.lower(), i)
    for i, a in alias.items():
        if a and i in names:
            by_name.setdefault(a.lower(), i)
    baseport: Dict[int, int] = {}
    for bp, v in by_int_index(walk, "dot1dBasePortIfIndex").items():
        ifindex = as_int(v)
        if ifindex is not None and ifindex > 0:
            baseport[bp] = ifindex
    return Interfaces(
        names=names,
        types={k: t for k, v in by_int_index(walk, "ifType").items() if (t := as_int(v)) is not None},
        alias=alias,
        admin={k: st for k, v in by_int_index(walk, "ifAdminStatus").items() if (st := as_int(v)) is not None},
        phys={k: b for k, v in by_int_index(walk, "ifPhysAddress").items() if (b := as_bytes(v)) is not None},
        baseport=baseport,
        by_name=by_name,
    )


# --------------------------------------------------------------------------- MAC table

# dot1dTpFdbStatus / dot1qTpFdbStatus: other(1) invalid(2) learned(3) self(4) mgmt(5)
_FDB_KIND = {1: "dynamic", 3: "dynamic", 4: "self", 5: "static"}


def fdb_vlans(walk: Walk) -> Dict[int, Optional[int]]:
    """FDB id -> VLAN from ``dot1qVlanFdbId`` (index: time mark, VLAN). An FDB id shared by several
    VLANs (shared VLAN learning) maps to None: the entry's VLAN cannot be told."""
    out: Dict[int, Optional[int]] = {}
    for idx, v in rows(walk, "dot1qVlanFdbId"):
        fid = as_int(v)
        vlan = idx[-1]
        if fid is None or not 1 <= vlan <= 4094:
            continue
        if fid in out and out[fid] != vlan:
            out[fid] = None
        else:
            out[fid] = vlan
    return out


def _fdb_rows(
    dec: Decoded,
    ifs: Interfaces,
    port_rows: Iterable[Row],
    status: Mapping[Oid, Any],
    vlan_of: Any,
    seen: Set[Tuple[str, Optional[int], str]],
    limit: int,
    head_len: int,
) -> None:
    out = dec.data.macs
    for idx, v in port_rows:
        if len(out) >= limit:
            dec.warn(f"MAC table truncated at {limit} entries")
            return
        mac = mac_from_index(idx[-6:]) if len(idx) == head_len + 6 else None
        head = idx[:-6]
        port = as_int(v)
        if mac is None or port is None or port < 0:
            dec.skip("FDB row with a malformed index or port", ".".join(map(str, idx[:12])))
            continue
        st = as_int(status.get(idx))
        if st == 2:
            continue  # invalid: being aged out
        kind = _FDB_KIND.get(st if st is not None else 3, "dynamic")
        vlan = vlan_of(head)
        if port == 0:
            if kind != "self":
                dec.skip("FDB row on port 0 (no port learned)", mac)
                continue
            name = ""
        elif not ifs.names:
            name = str(port)  # an agent without IF-MIB: the bridge port number is all there is
        else:
            ifindex = ifs.of_port(port)
            if ifindex is None or ifindex not in ifs.names:
                dec.skip(f"FDB row on bridge port {port} without an interface", mac)
                continue
            name = ifs.names[ifindex]
        key = (mac, vlan, name)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            MacEntry(mac=mac, vlan=vlan, interface=name, static=kind == "static", switch=dec.data.switch, kind=kind)
        )


def decode_mac_table(
    dec: Decoded,
    walk: Walk,
    ifs: Interfaces,
    vlan_walks: Optional[Mapping[int, Walk]] = None,
    limit: int = 200_000,
) -> None:
    """Q-BRIDGE FDB (with VLANs) when the agent has one, else BRIDGE-MIB (per VLAN context on Cisco)."""
    seen: Set[Tuple[str, Optional[int], str]] = set()
    fids = fdb_vlans(walk)

    def q_vlan(head: Oid) -> Optional[int]:
        if len(head) != 1:
            return None
        fid = head[0]
        if fid in fids:
            return fids[fid]
        return fid if 1 <= fid <= 4094 else None

    qrows = list(rows(walk, "dot1qTpFdbPort"))
    if qrows:
        status = dict(rows(walk, "dot1qTpFdbStatus"))
        _fdb_rows(dec, ifs, qrows, status, q_vlan, seen, limit, 1)
    if vlan_walks:
        for vlan in sorted(vlan_walks):
            vw = vlan_walks[vlan]
            vifs = ifs
            own_ports = {bp: n for bp, n in by_int_index(vw, "dot1dBasePortIfIndex").items() if as_int(n)}
            if own_ports:
                vifs = Interfaces(
                    ifs.names, ifs.types, ifs.alias, ifs.admin, ifs.phys, {k: int(v) for k, v in own_ports.items()}, {}
                )
            status = dict(rows(vw, "dot1dTpFdbStatus"))
            _fdb_rows(dec, vifs, rows(vw, "dot1dTpFdbPort"), status, lambda _h, _v=vlan: _v, seen, limit, 0)
    elif not qrows:
        status = dict(rows(walk, "dot1dTpFdbStatus"))
        _fdb_rows(dec, ifs, rows(walk, "dot1dTpFdbPort"), status, lambda _h: None, seen, limit, 0)


def cisco_vlans(walk: Walk, limit: int) -> List[int]:
    """Operational Ethernet VLANs from CISCO-VTP-MIB ``vtpVlanState`` (index: domain, VLAN), without
    the reserved 1002-1005; at most ``limit``."""
    out: Set[int] = set()
    for idx, v in rows(walk, "vtpVlanState"):
        vlan = idx[-1]
        if as_int(v) == 1 and 1 <= vlan <= 4094 and not 1002 <= vlan <= 1005:
            out.add(vlan)
    return sorted(out)[:limit]


# --------------------------------------------------------------------------- ports

_LAG_TYPES = {161}  # ieee8023adLag
_TRUNK_ENCAPS = {1, 2, 4}  # isl, dot10, dot1Q (vlanTrunkPortEncapsulationOperType); 6 = notApplicable


def _vlan_lists(walk: Walk) -> Tuple[Dict[int, Set[int]], Dict[int, Set[int]], bool]:
    """Per bridge port: egress VLANs and untagged VLANs (current table, else static table)."""
    egress: Dict[int, Set[int]] = {}
    untagged: Dict[int, Set[int]] = {}
    have = False
    for eg_col, un_col in (
        ("dot1qVlanCurrentEgressPorts", "dot1qVlanCurrentUntaggedPorts"),
        ("dot1qVlanStaticEgressPorts", "dot1qVlanStaticUntaggedPorts"),
    ):
        eg_rows = list(rows(walk, eg_col))
        if not eg_rows:
            continue
        have = True
        for idx, v in eg_rows:
            vlan = idx[-1]
            if 1 <= vlan <= 4094:
                for bp in port_list(as_bytes(v)):
                    egress.setdefault(bp, set()).add(vlan)
        for idx, v in rows(walk, un_col):
            vlan = idx[-1]
            if 1 <= vlan <= 4094:
                for bp in port_list(as_bytes(v)):
                    untagged.setdefault(bp, set()).add(vlan)
        break
    return egress, untagged, have


def decode_ports(dec: Decoded, walk: Walk, ifs: Interfaces, cisco: bool) -> None:
    port_of_if = {ifindex: bp for bp, ifindex in ifs.baseport.items()}
    if not ifs.baseport:
        port_of_if = {i: i for i in ifs.names}
    egress, untagged, have_lists = _vlan_lists(walk)
    pvid = {bp: p for bp, v in by_int_index(walk, "dot1qPvid").items() if (p := as_int(v)) is not None}
    trunk_status = by_int_index(walk, "vlanTrunkPortDynamicStatus") if cisco else {}
    encaps = by_int_index(walk, "vlanTrunkPortEncapsulationOperType") if cisco else {}
    vm_vlan = by_int_index(walk, "vmVlan") if cisco else {}
    native = by_int_index(walk, "vlanTrunkPortNativeVlan") if cisco else {}
    agg_of: Dict[int, int] = {}
    for i, v in by_int_index(walk, "dot3adAggPortAttachedAggID").items():
        a = as_int(v)
        if a and a != i and a in ifs.names:
            agg_of[i] = a
    aggregates = set(agg_of.values()) | {i for i, t in ifs.types.items() if t in _LAG_TYPES}
    unknown_mode = 0
    for i in sorted(ifs.names):
        name = ifs.names[i]
        mode = "unknown"
        access_vlan: Optional[int] = None
        trunk_vlans: Tuple[int, ...] = ()
        bp = port_of_if.get(i)
        cisco_state = as_int(trunk_status.get(i))
        encap = as_int(encaps.get(i))
        if cisco_state in (1, 2) or encap is not None or i in vm_vlan:
            trunking = cisco_state == 1 or (cisco_state is None and encap in _TRUNK_ENCAPS)
            if trunking:
                mode = "trunk"
                nv = as_int(native.get(i))
                access_vlan = nv if nv is not None and 1 <= nv <= 4094 else None
            elif i in vm_vlan or cisco_state == 2 or encap == 6:
                mode = "access"
                vv = as_int(vm_vlan.get(i, native.get(i)))  # no VLAN membership row: the native VLAN
                access_vlan = vv if vv is not None and 1 <= vv <= 4094 else None
        if mode == "unknown" and bp is not None and have_lists:
            eg = egress.get(bp, set())
            un = untagged.get(bp, set())
            if eg - un or len(eg) > 1:
                mode = "trunk"
                trunk_vlans = tuple(sorted(eg))
            elif len(eg) == 1:
                mode = "access"
                access_vlan = next(iter(eg))
        if access_vlan is None and bp is not None and mode != "trunk":
            p = pvid.get(bp)
            access_vlan = p if p is not None and 1 <= p <= 4094 else None
        if mode == "unknown" and bp is not None:
            unknown_mode += 1
        dec.data.ports.append(
            PortInfo(
                name=name,
                mode=mode,
                access_vlan=access_vlan,
                description=ifs.alias.get(i, ""),
                enabled=ifs.admin.get(i, 1) == 1,
                lag=ifs.names.get(agg_of[i]) if i in agg_of else None,
                is_lag=i in aggregates,
                trunk_vlans=trunk_vlans,
            )
        )
    if unknown_mode:
        dec.limits["mode"] = (
            "access/trunk unknown over SNMP (the agent serves no Q-BRIDGE VLAN port lists or CISCO-VTP "
            "trunk state for this port; the CLI would show the switchport mode)"
        )


# --------------------------------------------------------------------------- neighbours

# LldpSystemCapabilitiesMap BITS: other(0) repeater(1) bridge(2) wlanAccessPoint(3) router(4)
# telephone(5) docsisCableDevice(6) stationOnly(7) cVLAN(8) sVLAN(9) tpmr(10)
_LLDP_CAP_BITS = {0: "other", 1: "other", 2: "bridge", 3: "wlan", 4: "router", 5: "phone", 6: "other", 7: "station"}
# cdpCacheCapabilities (CISCO-CDP-MIB): router 0x01, trans-bridge 0x02, source-route bridge 0x04,
# switch 0x08, host 0x10, IGMP 0x20, repeater 0x40, phone 0x80, remotely managed 0x100, ...
_CDP_CAP_BITS = {0x01: "router", 0x02: "bridge", 0x04: "bridge", 0x08: "bridge", 0x10: "station", 0x80: "phone"}
_CAP_ORDER = ("bridge", "router", "wlan", "phone", "station", "other")


def lldp_capabilities(b: Optional[bytes]) -> Tuple[str, ...]:
    found: Set[str] = set()
    if b:
        for bit in range(min(len(b) * 8, 16)):
            if b[bit // 8] & (0x80 >> (bit % 8)):
                found.add(_LLDP_CAP_BITS.get(bit, "other"))
    return tuple(c for c in _CAP_ORDER if c in found)


def cdp_capabilities(b: Optional[bytes]) -> Tuple[str, ...]:
    found: Set[str] = set()
    if b:
        n = int.from_bytes(b[-4:], "big")
        for bit, word in _CDP_CAP_BITS.items():
            if n & bit:
                found.add(word)
        if n & ~sum(_CDP_CAP_BITS):
            found.add("other")
    return tuple(c for c in _CAP_ORDER if c in found)


def _id_text(subtype: Optional[int], raw: Any) -> str:
    """A chassis/port id as text: a MAC for the macAddress subtypes, else printable text."""
    b = as_bytes(raw)
    if b is not None and len(b) == 6 and (subtype in (3, 4) or not _printable(b)):
        return mac_text(b) or ""
    return as_text(raw)


def _printable(b: bytes) -> bool:
    return all(32 <= x < 127 for x in b)


def _lldp_local_ports(walk: Walk, ifs: Interfaces) -> Dict[int, int]:
    """lldpLocPortNum -> ifIndex: by the local port id or description naming an interface, else the
    number as a bridge port, else as an ifIndex (agents number LLDP ports all three ways)."""
    out: Dict[int, int] = {}
    ids = by_int_index(walk, "lldpLocPortId")
    descs = by_int_index(walk, "lldpLocPortDesc")
    for num in set(ids) | set(descs):
        for v in (ids.get(num), descs.get(num)):
            t = as_text(v).lower()
            if t and t in ifs.by_name:
                out[num] = ifs.by_name[t]
                break
    return out


def decode_neighbors(dec: Decoded, walk: Walk, ifs: Interfaces, cisco: bool, lldp_served: bool) -> None:
    local = _lldp_local_ports(walk, ifs)
    table: Dict[Tuple[int, int], Dict[str, Any]] = {}
    for col in _LLDP[3:]:
        for idx, v in rows(walk, col):
            if len(idx) != 3:
                dec.skip(f"{col} row with a malformed index", ".".join(map(str, idx[:8])))
                continue
            table.setdefault((idx[1], idx[2]), {})[col] = v
    for (num, _rem), r in sorted(table.items()):
        ifindex = local.get(num)
        if ifindex is None:
            ifindex = ifs.of_port(num) if ifs.baseport else None
        if ifindex is None and num in ifs.names:
            ifindex = num
        if ifindex is None or ifindex not in ifs.names:
            dec.skip(f"LLDP neighbour on local port {num} without an interface")
            continue
        chassis_sub = as_int(r.get("lldpRemChassisIdSubtype"))
        chassis = _id_text(chassis_sub, r.get("lldpRemChassisId"))
        name = as_text(r.get("lldpRemSysName")) or chassis
        if not name:
            dec.skip("LLDP neighbour without a system name or chassis id")
            continue
        port = _id_text(as_int(r.get("lldpRemPortIdSubtype")), r.get("lldpRemPortId")) or as_text(
            r.get("lldpRemPortDesc")
        )
        caps = as_bytes(r.get("lldpRemSysCapEnabled"))
        if not caps or not any(caps):
            caps = as_bytes(r.get("lldpRemSysCapSupported"))
        remote_mac = mac_text(as_bytes(r.get("lldpRemChassisId"))) if chassis_sub == 4 else None
        dec.data.neighbors.append(
            Neighbor(
                local_interface=ifs.names[ifindex],
                remote_name=name,
                remote_port=port,
                capabilities=lldp_capabilities(caps),
                protocol="lldp",
                remote_mac=remote_mac,
            )
        )
    if cisco:
        cdp: Dict[Tuple[int, int], Dict[str, Any]] = {}
        for col in _CDP:
            for idx, v in rows(walk, col):
                if len(idx) != 2:
                    dec.skip(f"{col} row with a malformed index", ".".join(map(str, idx[:8])))
                    continue
                cdp.setdefault((idx[0], idx[1]), {})[col] = v
        for (ifindex, _dev), r in sorted(cdp.items()):
            name = as_text(r.get("cdpCacheDeviceId"))
            if ifindex not in ifs.names or not name:
                dec.skip(f"CDP neighbour on ifIndex {ifindex} without an interface or device id")
                continue
            dec.data.neighbors.append(
                Neighbor(
                    local_interface=ifs.names[ifindex],
                    remote_name=name,
                    remote_port=as_text(r.get("cdpCacheDevicePort")),
                    capabilities=cdp_capabilities(as_bytes(r.get("cdpCacheCapabilities"))),
                    protocol="cdp",
                )
            )
    if not lldp_served and not (cisco and any(n.protocol == "cdp" for n in dec.data.neighbors)):
        dec.limits["neighbors"] = (
            "LLDP/CDP neighbours unknown over SNMP (the agent serves no LLDP-MIB; the CLI could list them)"
        )


# --------------------------------------------------------------------------- ARP


def _ip_text(kind: int, octets: Sequence[int]) -> Optional[str]:
    if any(not 0 <= x <= 255 for x in octets):
        return None
    if kind == 1 and len(octets) == 4:
        return ".".join(map(str, octets))
    if kind == 2 and len(octets) == 16:
        return str(ipaddress.IPv6Address(bytes(octets)))
    return None


def decode_arp(dec: Decoded, walk: Walk, ifs: Interfaces) -> None:
    seen: Set[Tuple[str, str]] = set()
    types = dict(rows(walk, "ipNetToPhysicalType"))
    for idx, v in rows(walk, "ipNetToPhysicalPhysAddress"):
        # index: ifIndex, address type, then the address (length-prefixed; some agents omit the length)
        ip: Optional[str] = None
        if len(idx) >= 3:
            kind, rest = idx[1], idx[2:]
            if rest and rest[0] == len(rest) - 1:
                rest = rest[1:]
            ip = _ip_text(kind, rest)
        mac = mac_text(as_bytes(v))
        if ip is None or mac is None:
            dec.skip("ipNetToPhysical row with a malformed index or address", ".".join(map(str, idx[:20])))
            continue
        if as_int(types.get(idx)) == 2:
            continue
        if (ip, mac) in seen:
            continue
        seen.add((ip, mac))
        dec.data.arp.append(ArpEntry(ip=ip, mac=mac, interface=ifs.names.get(idx[0], "")))
    types = dict(rows(walk, "ipNetToMediaType"))
    for idx, v in rows(walk, "ipNetToMediaPhysAddress"):
        ip = _ip_text(1, idx[1:]) if len(idx) == 5 else None
        mac = mac_text(as_bytes(v))
        if ip is None or mac is None:
            dec.skip("ipNetToMedia row with a malformed index or address", ".".join(map(str, idx[:20])))
            continue
        if as_int(types.get(idx)) == 2 or (ip, mac) in seen:
            continue
        seen.add((ip, mac))
        dec.data.arp.append(ArpEntry(ip=ip, mac=mac, interface=ifs.names.get(idx[0], "")))


# --------------------------------------------------------------------------- one switch

_SVI_TYPES = {53, 136}  # propVirtual, l3ipvlan: the switch's own routed interfaces


def own_macs(data: SwitchData, bridge_address: Optional[bytes], ifs: Interfaces) -> List[str]:
    """The switch's own unicast MACs: FDB ``self`` rows, the bridge address, VLAN interfaces' MACs."""
    out: Set[str] = set()
    for m in data.macs:
        if m.kind == "self":
            out.add(m.mac)
    for b in [bridge_address] + [ifs.phys.get(i) for i, t in ifs.types.items() if t in _SVI_TYPES]:
        t = mac_text(b)
        if t is not None:
            out.add(t)
    return sorted(m for m in out if not int(m[:2], 16) & 0x01 and m != "00:00:00:00:00:00")


def decode_switch(
    switch: str,
    platform: str,
    scalars: Mapping[str, Any],
    walk: Walk,
    getters: Sequence[str],
    vlan_walks: Optional[Mapping[int, Walk]] = None,
    served: Optional[Set[str]] = None,
    max_rows: int = 200_000,
) -> Decoded:
    """Every getter's records for one switch. ``served`` names the columns the agent answered
    (None: every column in ``walk`` counts as served, as with a recorded walk)."""
    dec = Decoded(SwitchData(switch=switch, platform=platform))
    served_cols = set(walk) if served is None else served
    cisco = is_cisco(scalars.get("sysObjectID"))
    ifs = decode_interfaces(walk, platform)
    if not ifs.names:
        dec.warn("the agent serves no IF-MIB interface names: no port can be named")
    if "mac_table" in getters:
        decode_mac_table(dec, walk, ifs, vlan_walks, limit=max_rows)
    if "arp" in getters:
        decode_arp(dec, walk, ifs)
    if "neighbors" in getters:
        lldp = any(c in served_cols and walk.get(c) for c in _LLDP[3:]) or bool(walk.get("lldpLocPortId"))
        decode_neighbors(dec, walk, ifs, cisco, lldp)
    if "ports" in getters:
        decode_ports(dec, walk, ifs, cisco)
    dec.data.own_macs = own_macs(dec.data, as_bytes(scalars.get("dot1dBaseBridgeAddress")), ifs)
    dec.data.limits = dec.limits
    return dec


# --------------------------------------------------------------------------- recorded walks


def walk_from_varbinds(varbinds: Iterable[Tuple[Oid, Any]]) -> Tuple[Dict[str, Any], Dict[str, List[Row]]]:
    """Split full ``(oid, value)`` pairs into scalars and the ``COLUMNS`` they belong to (the first
    value of an OID that occurs twice)."""
    scalars: Dict[str, Any] = {}
    walk: Dict[str, List[Row]] = {}
    by_oid = {v: k for k, v in SCALARS.items()}
    cols = sorted(COLUMNS.items(), key=lambda kv: -len(kv[1]))
    seen: Set[Oid] = set()
    for o, v in varbinds:
        if o in seen:
            continue  # a recording with the same OID twice: an agent serves the first
        seen.add(o)
        if o in by_oid:
            scalars.setdefault(by_oid[o], v)
            continue
        for name, prefix in cols:
            if o[: len(prefix)] == prefix and len(o) > len(prefix):
                walk.setdefault(name, []).append((o[len(prefix) :], v))
                break
    return scalars, walk


_INT_TAGS = {"2", "65", "66", "67", "70"}


def parse_snmprec(text: str) -> List[Tuple[Oid, Any]]:
    """snmpsim ``.snmprec`` lines (``OID|TAG|VALUE``) -> ``(oid, value)``; lines that do not parse are left out."""
    out: List[Tuple[Oid, Any]] = []
    for line in text.splitlines():
        parts = line.split("|", 2)
        if len(parts) != 3:
            continue
        o, tag, value = parts
        try:
            key = oid(o)
            if tag in _INT_TAGS:
                out.append((key, int(value)))
            elif tag == "4":
                out.append((key, value.encode("utf-8", "surrogateescape")))
            elif tag == "4x":
                out.append((key, bytes.fromhex(value)))
            elif tag == "6":
                out.append((key, oid(value)))
            elif tag == "64":
                out.append((key, bytes(int(p) for p in value.split("."))))
            elif tag == "64x":
                out.append((key, bytes.fromhex(value)))
        except ValueError:
            continue
    return out
