# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a lab switch answers over SNMP, as snmpsim ``.snmprec`` records (pure code, no I/O).

``Agent`` is one switch as its SNMP agent describes it: IF-MIB interfaces, BRIDGE-MIB bridge
ports, Q-BRIDGE-MIB VLANs and FDB, IEEE8023-LAG-MIB aggregates, LLDP-MIB remote systems, IP-MIB
ARP and, on Cisco, CISCO-VTP-MIB / CISCO-VLAN-MEMBERSHIP-MIB. Two readers build one:

* ``from_view``: a vendor-CLI switch from its FakeNOS view (the running configuration the fleet
  persists, its MAC table as the CLI renders it: ``lab.nos.base.learned_macs``, the same rules
  as every ``show mac address-table``);
* ``from_linux``: a linux_bridge switch from its kernel (``ip -j -d link``, ``bridge -j fdb``,
  ``bridge -j vlan``, ``ip -j neigh`` and ``lldpcli -f json show neighbors`` documents), modelled
  as a VLAN-aware switch: a MAC learned on a VXLAN device is learned on its underlay (the trunk
  port ``up<link>``), as the linux_bridge collector reports it.

``records(agent, context)`` gives the sorted ``(oid, tag, value)`` triples an agent serves in a
context (``""``, or a VLAN id for the per-VLAN BRIDGE-MIB of a Cisco IOS switch) and
``render`` the ``.snmprec`` text (``OID|TAG|VALUE``, the format ``parsers.mib.parse_snmprec`` and
snmpsim read). ``lab/snmp_agent.py`` serves them live.

How the platforms differ (as their real agents do):

* ``cisco_ios``: no Q-BRIDGE-MIB; the MAC table per VLAN through ``community@vlan`` / SNMPv3
  context ``vlan-N`` (BRIDGE-MIB ``dot1dTpFdbTable``); port modes from CISCO-VTP-MIB
  ``vlanTrunkPortDynamicStatus`` and CISCO-VLAN-MEMBERSHIP-MIB ``vmVlan`` / ``vmVoiceVlanId``;
  ``ifName`` short (``Gi1/0/3``, ``Po1``), ``ifDescr`` long.
* ``cisco_nxos``: Q-BRIDGE-MIB FDB and VLAN lists, and the Cisco VTP/membership tables.
* ``juniper_junos``: the Q-BRIDGE FDB id is an internal VLAN index (not the VLAN id), mapped by
  ``dot1qVlanFdbId``.
* everything else: Q-BRIDGE FDB id = VLAN id.

Bridge ports are numbered apart from ifIndexes on vendor-CLI switches (``dot1dBasePortIfIndex``
maps them); a LAG member is no bridge port (its aggregate is). An access port is an untagged
member of its access VLAN (``dot1qPvid`` = it) and a tagged member of its voice VLAN (so a port
with a voice VLAN looks like a trunk in the Q-BRIDGE lists, as on real switches); a trunk is a
tagged member of the VLANs it carries.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

Oid = Tuple[int, ...]
Record = Tuple[Oid, str, str]  # (oid, snmprec tag, value text)


def oid(text: str) -> Oid:
    return tuple(int(p) for p in text.strip(".").split("."))


# -- OIDs ------------------------------------------------------------------------------------

SYS = oid("1.3.6.1.2.1.1")
IF_NUMBER = oid("1.3.6.1.2.1.2.1.0")
IF_ENTRY = oid("1.3.6.1.2.1.2.2.1")
IFX_ENTRY = oid("1.3.6.1.2.1.31.1.1.1")
IP_NET_TO_MEDIA = oid("1.3.6.1.2.1.4.22.1")
IP_NET_TO_PHYSICAL = oid("1.3.6.1.2.1.4.35.1")
DOT1D_BASE = oid("1.3.6.1.2.1.17.1")
DOT1D_BASE_PORT = oid("1.3.6.1.2.1.17.1.4.1")
DOT1D_TP_FDB = oid("1.3.6.1.2.1.17.4.3.1")
DOT1Q_BASE = oid("1.3.6.1.2.1.17.7.1.1")
DOT1Q_TP_FDB = oid("1.3.6.1.2.1.17.7.1.2.2.1")
DOT1Q_VLAN_CURRENT = oid("1.3.6.1.2.1.17.7.1.4.2.1")
DOT1Q_VLAN_STATIC = oid("1.3.6.1.2.1.17.7.1.4.3.1")
DOT1Q_PORT_VLAN = oid("1.3.6.1.2.1.17.7.1.4.5.1")
LAG_PORT = oid("1.2.840.10006.300.43.1.2.1.1")
LLDP_LOC = oid("1.0.8802.1.1.2.1.3")
LLDP_LOC_PORT = oid("1.0.8802.1.1.2.1.3.7.1")
LLDP_REM = oid("1.0.8802.1.1.2.1.4.1.1")
VTP_VLAN = oid("1.3.6.1.4.1.9.9.46.1.3.1.1")
VTP_TRUNK_PORT = oid("1.3.6.1.4.1.9.9.46.1.6.1.1")
VM_MEMBERSHIP = oid("1.3.6.1.4.1.9.9.68.1.2.2.1")
VM_VOICE = oid("1.3.6.1.4.1.9.9.68.1.5.1.1")

# ifType
ETHERNET, SOFTWARE_LOOPBACK, PROP_VIRTUAL, L3_IPVLAN, IEEE8023AD_LAG, BRIDGE = 6, 24, 53, 136, 161, 209
# dot1dTpFdbStatus / dot1qTpFdbStatus
LEARNED, SELF, MGMT = 3, 4, 5
# LldpSystemCapabilitiesMap bit numbers (bit 0 is the top bit of the first octet)
LLDP_CAPS = {
    "other": 0,
    "repeater": 1,
    "bridge": 2,
    "wlan": 3,
    "wlan-access-point": 3,
    "router": 4,
    "telephone": 5,
    "tel": 5,
    "docsis": 6,
    "docsis-cable-device": 6,
    "station": 7,
}

SYS_OBJECT_IDS = {
    "cisco_ios": "1.3.6.1.4.1.9.1.1208",  # WS-C2960X-48FPD-L
    "cisco_nxos": "1.3.6.1.4.1.9.12.3.1.3.1812",  # N9K-C93180YC-EX
    "arista_eos": "1.3.6.1.4.1.30065.1.3011.7050.3741.32",  # DCS-7050SX-64
    "juniper_junos": "1.3.6.1.4.1.2636.1.1.1.2.132",  # EX2300-24P
    "aruba_aoscx": "1.3.6.1.4.1.47196.4.1.1.1.300",  # 6300M
    "hp_procurve": "1.3.6.1.4.1.11.2.3.7.11.181",  # J9773A 2530-24G-PoEP
    "linux_bridge": "1.3.6.1.4.1.8072.3.2.10",  # Net-SNMP Linux
}
SYS_DESCR = {
    "cisco_ios": "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version {v}, RELEASE SOFTWARE (fc1)",
    "cisco_nxos": "Cisco NX-OS(tm) nxos.{v}.bin, Software (nxos), Version {v}, RELEASE SOFTWARE",
    "arista_eos": "Arista Networks EOS version {v} running on an Arista Networks DCS-7050SX-64",
    "juniper_junos": "Juniper Networks, Inc. ex2300-24p Ethernet Switch, kernel JUNOS {v}",
    "aruba_aoscx": "Aruba JL660A 6300M 24SR5 CL6 PoE 4SFP56 Swch FL.{v}",
    "hp_procurve": "HP J9773A 2530-24G-PoEP Switch, revision YA.{v}, ROM YA.15.20 (/ws/swbuildm/rel_yakima_qaoff/code/build/lakes(swbuildm_rel_yakima_qaoff_rel_yakima))",
    "linux_bridge": "Linux {name} {v} #1 SMP x86_64 (camguard lab linux_bridge switch)",
}
SVI_TYPE = {"linux_bridge": PROP_VIRTUAL}  # others: l3ipvlan


# -- the model ---------------------------------------------------------------------------------


@dataclass
class Interface:
    index: int  # ifIndex
    name: str  # ifName
    descr: str  # ifDescr
    alias: str = ""  # ifAlias (the port description)
    type: int = ETHERNET
    mac: str = ""  # ifPhysAddress
    admin_up: bool = True
    oper_up: bool = True
    speed_mbps: int = 1000
    bridge_port: Optional[int] = None  # dot1dBasePort, None: not a bridge port
    lag: Optional[int] = None  # ifIndex of the aggregate this interface is a member of
    pvid: Optional[int] = None
    untagged: Tuple[int, ...] = ()  # VLANs it is an untagged member of
    tagged: Tuple[int, ...] = ()  # VLANs it is a tagged member of
    trunk: bool = False  # CISCO-VTP-MIB: trunking
    access_vlan: Optional[int] = None  # CISCO-VLAN-MEMBERSHIP-MIB vmVlan (static access ports)
    voice_vlan: Optional[int] = None


@dataclass(frozen=True)
class FdbEntry:
    mac: str  # aa:bb:cc:dd:ee:ff
    vlan: int
    port: int  # bridge port, 0 for the switch's own addresses
    status: int = LEARNED


@dataclass(frozen=True)
class Remote:
    """One LLDP-MIB lldpRemEntry (index: time mark 0, local port number, remote index)."""

    local_port: int  # lldpLocPortNum: the ifIndex of the local physical port
    index: int
    chassis_subtype: int  # 4 macAddress, 7 local
    chassis_id: bytes
    port_subtype: int  # 3 macAddress, 5 interfaceName, 7 local
    port_id: bytes
    port_desc: bytes = b""
    sys_name: bytes = b""
    sys_desc: bytes = b""
    caps: bytes = b"\x00\x00"  # supported = enabled


@dataclass(frozen=True)
class ArpRow:
    ifindex: int
    ip: str
    mac: str


@dataclass
class Agent:
    """One switch as its SNMP agent serves it."""

    name: str
    platform: str
    sys_descr: str
    sys_object_id: str
    bridge_address: str = ""
    uptime: int = 0  # sysUpTime, hundredths of a second
    interfaces: List[Interface] = field(default_factory=list)
    vlans: Dict[int, str] = field(default_factory=dict)
    fdb: List[FdbEntry] = field(default_factory=list)
    remotes: List[Remote] = field(default_factory=list)
    arp: List[ArpRow] = field(default_factory=list)
    fdb_ids: Dict[int, int] = field(default_factory=dict)  # VLAN -> FDB id (default: the VLAN id)
    qbridge: bool = True  # Q-BRIDGE-MIB (FDB, VLAN lists, PVIDs)
    vlan_lists: bool = True  # Q-BRIDGE VLAN port lists and PVIDs (an old agent may serve only the FDB)
    vlan_contexts: bool = False  # Cisco IOS: the MAC table per VLAN context only
    cisco: bool = False  # CISCO-VTP-MIB and CISCO-VLAN-MEMBERSHIP-MIB
    lldp: bool = True  # LLDP-MIB
    lag_mib: bool = True  # IEEE8023-LAG-MIB
    ip_mib: bool = True  # IP-MIB ARP tables

    def omit(self, groups: Iterable[str]) -> None:
        """Serve less, as an older or smaller agent would: ``groups`` from ``OMITTABLE``."""
        for g in groups:
            if g not in OMITTABLE:
                raise ValueError(f"unknown MIB group {g!r}; known: {', '.join(sorted(OMITTABLE))}")
            setattr(self, OMITTABLE[g], False)

    def fdb_id(self, vlan: int) -> int:
        return self.fdb_ids.get(vlan, vlan)

    def by_port(self) -> Dict[int, Interface]:
        return {i.bridge_port: i for i in self.interfaces if i.bridge_port is not None}


# what ``Agent.omit`` can leave out -> the Agent flag
OMITTABLE = {"vlans": "vlan_lists", "lldp": "lldp", "lag": "lag_mib", "arp": "ip_mib", "cisco": "cisco"}


# -- value encoding ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9][\x20-\x7e]*")


def at(*parts: Any) -> Oid:
    """An OID from OIDs and numbers: ``at(IF_ENTRY, 2, index)``."""
    out: List[int] = []
    for p in parts:
        out.extend(p if isinstance(p, tuple) else (int(p),))
    return tuple(out)


def mac_bytes(mac: str) -> bytes:
    h = re.sub(r"[^0-9a-fA-F]", "", mac)
    if len(h) != 12:
        raise ValueError(f"not a MAC address: {mac!r}")
    return bytes.fromhex(h)


def octets(value: Any) -> Tuple[str, str]:
    """An OCTET STRING: plain text when snmpsim keeps it as is, else hex (``4x``)."""
    b = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogateescape")
    try:
        text = b.decode("ascii")
    except UnicodeDecodeError:
        return "4x", b.hex()
    if text == "" or (_PLAIN.fullmatch(text) and text == text.strip()):
        return "4", text
    return "4x", b.hex()


def port_list(ports: Iterable[int], size: int) -> bytes:
    """A Q-BRIDGE PortList: bridge port 1 is the top bit of the first octet."""
    out = bytearray(max(1, (size + 7) // 8))
    for p in ports:
        if 1 <= p <= len(out) * 8:
            out[(p - 1) // 8] |= 0x80 >> ((p - 1) % 8)
    return bytes(out)


def caps_bits(names: Iterable[str]) -> bytes:
    out = bytearray(2)
    for n in names:
        bit = LLDP_CAPS.get(str(n).strip().lower())
        if bit is not None:
            out[bit // 8] |= 0x80 >> (bit % 8)
    return bytes(out)


class _Out:
    def __init__(self) -> None:
        self.rows: Dict[Oid, Tuple[str, str]] = {}

    def add(self, o: Oid, tag: str, value: Any) -> None:
        self.rows.setdefault(o, (tag, str(value)))

    def integer(self, o: Oid, value: int) -> None:
        self.add(o, "2", int(value))

    def gauge(self, o: Oid, value: int) -> None:
        self.add(o, "66", int(value))

    def text(self, o: Oid, value: Any) -> None:
        self.add(o, *octets(value))

    def hex(self, o: Oid, value: bytes) -> None:
        self.add(o, "4x", value.hex())

    def oid(self, o: Oid, value: str) -> None:
        self.add(o, "6", value)

    def ip(self, o: Oid, value: str) -> None:
        self.add(o, "64", value)

    def sorted(self) -> List[Record]:
        return [(o, t, v) for o, (t, v) in sorted(self.rows.items())]


# -- records ------------------------------------------------------------------------------------


def _system(out: _Out, a: Agent) -> None:
    out.text(at(SYS, 1, 0), a.sys_descr)
    out.oid(at(SYS, 2, 0), a.sys_object_id)
    out.add(at(SYS, 3, 0), "67", a.uptime)
    out.text(at(SYS, 4, 0), "camguard lab")
    out.text(at(SYS, 5, 0), a.name)
    out.text(at(SYS, 6, 0), "camguard lab")
    out.integer(at(SYS, 7, 0), 6)  # datalink + internet


def _bridge_base(out: _Out, a: Agent, ports: Sequence[Interface]) -> None:
    if a.bridge_address:
        out.hex(at(DOT1D_BASE, 1, 0), mac_bytes(a.bridge_address))
    out.integer(at(DOT1D_BASE, 2, 0), len(ports))
    out.integer(at(DOT1D_BASE, 3, 0), 2)  # transparent-only
    for i in ports:
        assert i.bridge_port is not None
        out.integer(at(DOT1D_BASE_PORT, 1, i.bridge_port), i.bridge_port)
        out.integer(at(DOT1D_BASE_PORT, 2, i.bridge_port), i.index)


def _interfaces(out: _Out, a: Agent) -> None:
    out.integer(IF_NUMBER, len(a.interfaces))
    for i in a.interfaces:
        x = (i.index,)
        out.integer(at(IF_ENTRY, 1, x), i.index)
        out.text(at(IF_ENTRY, 2, x), i.descr)
        out.integer(at(IF_ENTRY, 3, x), i.type)
        out.integer(at(IF_ENTRY, 4, x), 1500)
        out.gauge(at(IF_ENTRY, 5, x), min(i.speed_mbps * 1_000_000, 4_294_967_295))
        out.hex(at(IF_ENTRY, 6, x), mac_bytes(i.mac) if i.mac else b"")
        out.integer(at(IF_ENTRY, 7, x), 1 if i.admin_up else 2)
        out.integer(at(IF_ENTRY, 8, x), 1 if i.admin_up and i.oper_up else 2)
        out.text(at(IFX_ENTRY, 1, x), i.name)
        out.gauge(at(IFX_ENTRY, 15, x), i.speed_mbps)
        out.text(at(IFX_ENTRY, 18, x), i.alias)


def _qbridge(out: _Out, a: Agent, ports: Sequence[Interface]) -> None:
    size = max((i.bridge_port or 0 for i in ports), default=0)
    out.integer(at(DOT1Q_BASE, 1, 0), 1)  # dot1qVlanVersionNumber
    out.gauge(at(DOT1Q_BASE, 4, 0), len(a.vlans))
    by_port = a.by_port()
    for e in a.fdb:
        if e.vlan not in a.vlans and e.vlan != 1:
            continue
        idx = (a.fdb_id(e.vlan), *mac_bytes(e.mac))
        out.integer(at(DOT1Q_TP_FDB, 2, idx), e.port if e.port == 0 or e.port in by_port else 0)
        out.integer(at(DOT1Q_TP_FDB, 3, idx), e.status)
    if not a.vlan_lists:
        return
    for vid, vname in sorted(a.vlans.items()):
        egress = [i.bridge_port for i in ports if vid in i.untagged or vid in i.tagged]
        untagged = [i.bridge_port for i in ports if vid in i.untagged]
        eg, un = port_list(egress, size), port_list(untagged, size)  # type: ignore[arg-type]
        cur = (0, vid)
        out.gauge(at(DOT1Q_VLAN_CURRENT, 3, cur), a.fdb_id(vid))
        out.hex(at(DOT1Q_VLAN_CURRENT, 4, cur), eg)
        out.hex(at(DOT1Q_VLAN_CURRENT, 5, cur), un)
        out.integer(at(DOT1Q_VLAN_CURRENT, 6, cur), 2)  # permanent
        out.text(at(DOT1Q_VLAN_STATIC, 1, vid), vname)
        out.hex(at(DOT1Q_VLAN_STATIC, 2, vid), eg)
        out.hex(at(DOT1Q_VLAN_STATIC, 3, vid), port_list((), size))
        out.hex(at(DOT1Q_VLAN_STATIC, 4, vid), un)
        out.integer(at(DOT1Q_VLAN_STATIC, 5, vid), 1)  # active
    for i in ports:
        if i.pvid is not None:
            out.gauge(at(DOT1Q_PORT_VLAN, 1, i.bridge_port), i.pvid)


def _bridge_fdb(out: _Out, entries: Iterable[FdbEntry]) -> None:
    for e in entries:
        idx = tuple(mac_bytes(e.mac))
        out.hex(at(DOT1D_TP_FDB, 1, idx), mac_bytes(e.mac))
        out.integer(at(DOT1D_TP_FDB, 2, idx), e.port)
        out.integer(at(DOT1D_TP_FDB, 3, idx), e.status)


def _lag(out: _Out, a: Agent) -> None:
    for i in a.interfaces:
        if i.lag is not None:
            out.integer(at(LAG_PORT, 12, i.index), i.lag)  # dot3adAggPortSelectedAggID
            out.integer(at(LAG_PORT, 13, i.index), i.lag)  # dot3adAggPortAttachedAggID


def _lldp(out: _Out, a: Agent) -> None:
    if a.bridge_address:
        out.integer(at(LLDP_LOC, 1, 0), 4)
        out.hex(at(LLDP_LOC, 2, 0), mac_bytes(a.bridge_address))
    out.text(at(LLDP_LOC, 3, 0), a.name)
    for i in a.interfaces:
        if i.type != ETHERNET:
            continue  # LLDP runs on physical ports (a LAG's members), numbered by ifIndex
        n = (i.index,)
        out.integer(at(LLDP_LOC_PORT, 2, n), 5)  # interfaceName
        out.text(at(LLDP_LOC_PORT, 3, n), i.name)
        out.text(at(LLDP_LOC_PORT, 4, n), i.descr)
    for r in a.remotes:
        x = (0, r.local_port, r.index)
        out.integer(at(LLDP_REM, 4, x), r.chassis_subtype)
        out.text(at(LLDP_REM, 5, x), r.chassis_id)
        out.integer(at(LLDP_REM, 6, x), r.port_subtype)
        out.text(at(LLDP_REM, 7, x), r.port_id)
        out.text(at(LLDP_REM, 8, x), r.port_desc)
        out.text(at(LLDP_REM, 9, x), r.sys_name)
        out.text(at(LLDP_REM, 10, x), r.sys_desc)
        out.hex(at(LLDP_REM, 11, x), r.caps)
        out.hex(at(LLDP_REM, 12, x), r.caps)


def _arp(out: _Out, a: Agent) -> None:
    for r in a.arp:
        ip = tuple(int(p) for p in r.ip.split("."))
        m = (r.ifindex, *ip)
        out.integer(at(IP_NET_TO_MEDIA, 1, m), r.ifindex)
        out.hex(at(IP_NET_TO_MEDIA, 2, m), mac_bytes(r.mac))
        out.ip(at(IP_NET_TO_MEDIA, 3, m), r.ip)
        out.integer(at(IP_NET_TO_MEDIA, 4, m), 3)  # dynamic
        p = (r.ifindex, 1, 4, *ip)
        out.hex(at(IP_NET_TO_PHYSICAL, 4, p), mac_bytes(r.mac))
        out.integer(at(IP_NET_TO_PHYSICAL, 6, p), 3)  # dynamic
        out.integer(at(IP_NET_TO_PHYSICAL, 7, p), 1)  # reachable


def _cisco(out: _Out, a: Agent) -> None:
    for vid in sorted({1, *a.vlans, 1002, 1003, 1004, 1005}):
        out.integer(at(VTP_VLAN, 2, 1, vid), 1)  # operational
        out.integer(at(VTP_VLAN, 3, 1, vid), 1 if vid < 1002 else 2)
        out.text(at(VTP_VLAN, 4, 1, vid), a.vlans.get(vid) or ("default" if vid == 1 else f"VLAN{vid:04d}"))
    for i in a.interfaces:
        if i.type not in (ETHERNET, IEEE8023AD_LAG):
            continue
        x = (i.index,)
        out.integer(at(VTP_TRUNK_PORT, 5, x), 1)  # native VLAN
        out.integer(at(VTP_TRUNK_PORT, 14, x), 1 if i.trunk else 2)  # trunking / notTrunking
        out.integer(at(VTP_TRUNK_PORT, 16, x), 4 if i.trunk else 6)  # dot1Q / notApplicable
        if not i.trunk and i.access_vlan is not None and i.lag is None:
            out.integer(at(VM_MEMBERSHIP, 1, x), 1)  # static
            out.integer(at(VM_MEMBERSHIP, 2, x), i.access_vlan)
            if i.voice_vlan is not None:
                out.integer(at(VM_VOICE, 1, x), i.voice_vlan)


def records(a: Agent, context: Optional[int] = None) -> List[Record]:
    """Every record ``a`` serves in ``context``: None for the default context, a VLAN id for the
    per-VLAN BRIDGE-MIB of a switch with ``vlan_contexts`` (Cisco IOS)."""
    out = _Out()
    _system(out, a)
    ports = sorted((i for i in a.interfaces if i.bridge_port is not None), key=lambda i: i.bridge_port or 0)
    if context is not None:
        members = [i for i in ports if context in i.untagged or context in i.tagged]
        _bridge_base(out, a, members)
        member_ports = {i.bridge_port for i in members}
        _bridge_fdb(out, (e for e in a.fdb if e.vlan == context and (e.port in member_ports or e.port == 0)))
        return out.sorted()
    _interfaces(out, a)
    _bridge_base(out, a, ports)
    if a.qbridge:
        _qbridge(out, a, ports)
    if a.lag_mib:
        _lag(out, a)
    if a.lldp:
        _lldp(out, a)
    if a.ip_mib:
        _arp(out, a)
    if a.cisco:
        _cisco(out, a)
    return out.sorted()


def render(a: Agent, context: Optional[int] = None) -> str:
    """The ``.snmprec`` text of ``records(a, context)``."""
    return "".join(f"{'.'.join(map(str, o))}|{t}|{v}\n" for o, t, v in records(a, context))


# -- vendor-CLI switches: from the view -------------------------------------------------------------


def short_name(platform: str, name: str) -> str:
    """``ifName`` as the platform's agent spells it (Cisco IOS abbreviates)."""
    if platform == "cisco_ios":
        for long, short in (("GigabitEthernet", "Gi"), ("TenGigabitEthernet", "Te"), ("Port-channel", "Po")):
            if name.startswith(long):
                return short + name[len(long) :]
    return name


def svi_name(platform: str, vlan: int) -> str:
    if platform == "juniper_junos":
        return f"irb.{vlan}"
    if platform == "aruba_aoscx":
        return f"vlan{vlan}"
    return f"Vlan{vlan}"


def from_view(view: Mapping[str, Any], uptime: int = 0) -> Agent:
    """A vendor-CLI switch from its view: the configuration and the MAC table the CLI shows (a
    view whose ``mac_table`` / ``link_state`` the data plane just refreshed, as the fleet does)."""
    from lab.nos.base import Cfg, connected, learned_macs, live_neighbors, one_line

    plat = str(view["platform"])
    cfg = Cfg(dict(view))
    existing = set(cfg.vlan_ids())
    a = Agent(
        name=one_line(view.get("hostname") or view["name"], 63),
        platform=plat,
        sys_descr=SYS_DESCR[plat].format(v=view.get("version") or "", name=view["name"]),
        sys_object_id=SYS_OBJECT_IDS[plat],
        bridge_address=str(view.get("base_mac") or ""),
        uptime=uptime,
        vlans={int(v["id"]): one_line(v.get("name") or f"VLAN{int(v['id']):04d}", 32) for v in view.get("vlans", [])},
        qbridge=plat != "cisco_ios",
        vlan_contexts=plat == "cisco_ios",
        cisco=plat in ("cisco_ios", "cisco_nxos"),
    )
    if plat == "juniper_junos":  # Junos numbers its FDBs by an internal VLAN index
        a.fdb_ids = {vid: 2 + n for n, vid in enumerate(sorted(a.vlans))}
    index_of: Dict[str, int] = {}
    port_of: Dict[str, int] = {}
    bp = 0
    ifaces = list(view.get("interfaces", []))
    for pos, ifc in enumerate(ifaces, start=1):
        index_of[ifc["name"]] = 1000 + pos
    for ifc in ifaces:
        name = str(ifc["name"])
        mode = ifc.get("mode", "access")
        i = Interface(
            index=index_of[name],
            name=short_name(plat, name),
            descr=name,
            alias=one_line(ifc.get("description") or "", 240),
            type=IEEE8023AD_LAG if ifc.get("is_lag") else ETHERNET,
            mac=a.bridge_address,
            admin_up=bool(ifc.get("enabled", True)),
            oper_up=connected(dict(view), ifc),
            speed_mbps=int(str(ifc.get("speed") or "1000")) if str(ifc.get("speed") or "1000").isdigit() else 1000,
            lag=index_of.get(ifc["lag"]) if ifc.get("lag") else None,
        )
        if mode != "routed" and not ifc.get("lag"):
            bp += 1
            i.bridge_port = bp
            port_of[name] = bp
            if mode == "trunk":
                allowed = [int(v) for v in ifc.get("trunk_vlans") or []] or sorted(existing)
                i.tagged = tuple(v for v in allowed if v in existing)
                i.pvid = 1
                i.trunk = True
            else:
                vid = int(ifc.get("access_vlan") or 1)
                i.pvid = vid
                i.access_vlan = vid
                i.untagged = (vid,) if vid in existing or vid == 1 else ()
                if ifc.get("voice_vlan") is not None and int(ifc["voice_vlan"]) in existing:
                    i.voice_vlan = int(ifc["voice_vlan"])
                    i.tagged = (i.voice_vlan,)
        a.interfaces.append(i)
    svis: Dict[str, int] = {}
    next_index = 1000 + len(ifaces) + 1
    for vid in sorted(existing):
        svis[svi_name(plat, vid)] = next_index
        a.interfaces.append(
            Interface(
                index=next_index,
                name=svi_name(plat, vid),
                descr=svi_name(plat, vid),
                type=L3_IPVLAN,
                mac=a.bridge_address,
                speed_mbps=1000,
            )
        )
        next_index += 1
    seen: Set[Tuple[str, int]] = set()
    for mac, vlan, ifname, kind in learned_macs(dict(view)):
        port = port_of.get(ifname)
        if port is None or (mac, vlan) in seen:
            continue
        seen.add((mac, vlan))
        a.fdb.append(FdbEntry(mac, vlan, port, MGMT if kind == "static" else LEARNED))
    for n, nb in enumerate(live_neighbors(dict(view)), start=1):
        local = index_of.get(str(nb.get("local_interface")))
        if local is not None:
            a.remotes.append(_remote_from_view(local, n, nb))
    for row in view.get("arp", []):
        ifindex = svis.get(str(row.get("interface"))) or index_of.get(str(row.get("interface")))
        if ifindex is None:
            continue
        try:
            ip = str(ipaddress.IPv4Address(str(row.get("ip"))))
            a.arp.append(ArpRow(ifindex, ip, str(row["mac"]).lower()))
        except (ValueError, KeyError):
            continue
    return a


def _text(value: Any) -> bytes:
    return ("" if value is None else str(value)).encode("utf-8", "surrogateescape")[:255]


def _remote_from_view(local: int, index: int, nb: Mapping[str, Any]) -> Remote:
    """A view's LLDP neighbour (raw text: an agent passes the octets the neighbour sent)."""
    mac = nb.get("remote_mac")
    chassis: Tuple[int, bytes] = (4, mac_bytes(str(mac))) if mac else (7, _text(nb.get("remote_name")))
    return Remote(
        local_port=local,
        index=index,
        chassis_subtype=chassis[0],
        chassis_id=chassis[1],
        port_subtype=5,
        port_id=_text(nb.get("remote_port")),
        port_desc=_text(nb.get("remote_port_description") or nb.get("remote_port")),
        sys_name=_text(nb.get("remote_name")),
        sys_desc=_text(nb.get("remote_description")),
        caps=caps_bits(nb.get("capabilities") or ()),
    )


# -- linux_bridge switches: from the kernel ---------------------------------------------------------

_BR = re.compile(r"^br(\d{1,4})$")


def _flags(d: Mapping[str, Any]) -> List[str]:
    f = d.get("flags")
    return [x for x in f if isinstance(x, str)] if isinstance(f, list) else []


def _kind(d: Mapping[str, Any]) -> str:
    li = d.get("linkinfo")
    return str(li.get("info_kind") or "") if isinstance(li, dict) else ""


def _vxlan_link(d: Mapping[str, Any]) -> Optional[str]:
    li = d.get("linkinfo")
    data = li.get("info_data") if isinstance(li, dict) else None
    link = data.get("link") if isinstance(data, dict) else None
    return str(link) if link else None


def _vlan_of_master(master: Optional[str]) -> Optional[int]:
    m = _BR.match(master or "")
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 4094 else None  # br0: the VLAN-aware bridge


def from_linux(
    name: str,
    links: Sequence[Mapping[str, Any]],
    fdb: Sequence[Mapping[str, Any]],
    neigh: Sequence[Mapping[str, Any]] = (),
    lldp: Optional[Mapping[str, Any]] = None,
    vlans: Optional[Any] = None,
    vlan_names: Optional[Mapping[int, str]] = None,
    kernel: str = "",
    uptime: int = 0,
) -> Agent:
    """A linux_bridge switch from its kernel's JSON documents (``vlans``: ``bridge -j vlan show``,
    needed for a VLAN-aware bridge). Interfaces keep their kernel ifIndex; a bridge port's number
    is its ifIndex; VXLAN devices are no interfaces of their own: their underlay is the trunk."""
    by_name = {str(d.get("ifname")): d for d in links if d.get("ifname")}
    membership = _bridge_vlans(vlans)
    vx_vlans: Dict[str, Set[int]] = {}  # underlay -> VLANs of the VXLAN devices on it
    vx_under: Dict[str, str] = {}
    for n, d in by_name.items():
        if _kind(d) == "vxlan":
            under = _vxlan_link(d)
            if not under:
                continue
            vx_under[n] = under
            vid = _vlan_of_master(d.get("master"))
            vids = {vid} if vid is not None else {v for v, _p, _u in membership.get(n, [])}
            if "UP" in _flags(d):
                vx_vlans.setdefault(under, set()).update(vids)
            else:
                vx_vlans.setdefault(under, set())
    own = sorted(
        {str(d.get("address")).lower() for n, d in by_name.items() if n != "lo" and d.get("address")}
        - {"00:00:00:00:00:00"}
    )
    bridges = {n for n, d in by_name.items() if _kind(d) == "bridge"}
    known_vlans: Set[int] = {v for v in (_vlan_of_master(b) for b in bridges) if v is not None}
    for mem in membership.values():
        known_vlans |= {v for v, _p, _u in mem}
    names = dict(vlan_names or {})
    a = Agent(
        name=name,
        platform="linux_bridge",
        sys_descr=SYS_DESCR["linux_bridge"].format(v=kernel, name=name),
        sys_object_id=SYS_OBJECT_IDS["linux_bridge"],
        bridge_address=own[0] if own else "",
        uptime=uptime,
        vlans={v: names.get(v, f"VLAN{v:04d}") for v in sorted(known_vlans - {1}) or sorted(known_vlans)},
    )
    for n, d in sorted(by_name.items(), key=lambda kv: int(kv[1].get("ifindex") or 0)):
        kind = _kind(d)
        if n == "lo" or kind == "vxlan" or not isinstance(d.get("ifindex"), int):
            continue
        flags = _flags(d)
        i = Interface(
            index=int(d["ifindex"]),
            name=n,
            descr=n,
            alias=str(d.get("ifalias") or ""),
            type=PROP_VIRTUAL if kind == "bridge" else ETHERNET,
            mac=str(d.get("address") or ""),
            admin_up="UP" in flags,
            oper_up="LOWER_UP" in flags,
            speed_mbps=10000 if n in vx_vlans else 1000,
        )
        master = d.get("master")
        if n in vx_vlans:
            i.bridge_port = i.index
            i.tagged = tuple(sorted(vx_vlans[n]))
            i.pvid = 1
            i.trunk = True
        elif master in bridges:
            i.bridge_port = i.index
            vid = _vlan_of_master(str(master))
            if vid is not None:
                i.untagged, i.pvid = (vid,), vid
            else:
                mem = membership.get(n, [])
                i.untagged = tuple(sorted(v for v, _p, u in mem if u))
                i.tagged = tuple(sorted(v for v, _p, u in mem if not u))
                pvid = [v for v, p, _u in mem if p]
                i.pvid = pvid[0] if pvid else None
        a.interfaces.append(i)
    index_of = {i.name: i.index for i in a.interfaces}
    seen: Set[Tuple[str, int]] = set()
    for e in fdb:
        if not e.get("master") or "self" in _flags(e):
            continue
        mac = str(e.get("mac") or "").lower()
        try:
            if len(mac_bytes(mac)) != 6 or int(mac[:2], 16) & 0x01:
                continue
        except ValueError:
            continue
        vid = int(e["vlan"]) if isinstance(e.get("vlan"), int) else _vlan_of_master(str(e.get("master")))
        if vid is None or (mac, vid) in seen:
            continue
        if e.get("state") == "permanent":
            seen.add((mac, vid))
            a.fdb.append(FdbEntry(mac, vid, 0, SELF))
            continue
        dev = str(e.get("ifname") or "")
        port = index_of.get(vx_under.get(dev, dev))
        if port is None:
            continue
        seen.add((mac, vid))
        a.fdb.append(FdbEntry(mac, vid, port, MGMT if e.get("state") == "static" else LEARNED))
    for row in neigh:
        dst, lladdr, ndev = row.get("dst"), row.get("lladdr"), row.get("dev")
        if not isinstance(dst, str) or not isinstance(lladdr, str) or str(ndev) not in index_of:
            continue
        try:
            ipaddress.IPv4Address(dst)
        except ValueError:
            continue
        a.arp.append(ArpRow(index_of[str(ndev)], dst, lladdr.lower()))
    a.remotes = lldp_remotes(lldp or {}, index_of)
    return a


def _bridge_vlans(doc: Any) -> Dict[str, List[Tuple[int, bool, bool]]]:
    """``bridge -j vlan show`` (both JSON shapes) -> port -> [(vid, pvid, untagged)]."""
    out: Dict[str, List[Tuple[int, bool, bool]]] = {}
    pairs: List[Tuple[Any, Any]] = []
    if isinstance(doc, list):
        pairs = [(d.get("ifname"), d.get("vlans")) for d in doc if isinstance(d, dict)]
    elif isinstance(doc, dict):
        pairs = list(doc.items())
    for port, items in pairs:
        if not isinstance(port, str) or not isinstance(items, list):
            continue
        for v in items:
            if isinstance(v, dict) and isinstance(v.get("vlan"), int):
                flags = [str(f).lower() for f in v.get("flags") or []]
                out.setdefault(port, []).append((int(v["vlan"]), "pvid" in flags, "egress untagged" in flags))
    return out


def _lldp_value(node: Any) -> str:
    if isinstance(node, list):
        node = node[0] if node else None
    if isinstance(node, dict):
        node = node.get("value")
    return node if isinstance(node, str) else ""


def _lldp_type(node: Any) -> str:
    if isinstance(node, list):
        node = node[0] if node else None
    return str(node.get("type") or "") if isinstance(node, dict) else ""


def lldp_remotes(doc: Mapping[str, Any], index_of: Mapping[str, int]) -> List[Remote]:
    """``lldpcli -f json show neighbors`` -> LLDP-MIB remote rows on the switch's local ports."""
    lldp = doc.get("lldp") if isinstance(doc, dict) else None
    ifs = lldp.get("interface") if isinstance(lldp, dict) else None
    items: List[Any] = ifs if isinstance(ifs, list) else [ifs] if isinstance(ifs, dict) else []
    pairs: List[Tuple[str, Mapping[str, Any]]] = []
    for item in items:
        if isinstance(item, dict):
            pairs += [(k, v) for k, v in item.items() if isinstance(v, dict)]
    out: List[Remote] = []
    count: Dict[int, int] = {}
    for local, body in pairs:
        port_num = index_of.get(local)
        if port_num is None:
            continue
        chassis = body.get("chassis")
        chassis = chassis[0] if isinstance(chassis, list) and chassis else chassis
        if not isinstance(chassis, dict):
            continue
        sys_name, ch = next(((k, v) for k, v in chassis.items() if isinstance(v, dict)), ("", chassis))
        if "id" in chassis:  # the json0 shape: the chassis holds its fields itself
            sys_name, ch = _lldp_value(chassis.get("name")), chassis
        cid_type, cid = _lldp_type(ch.get("id")), _lldp_value(ch.get("id"))
        if cid_type == "mac" and cid:
            chassis_id: Tuple[int, bytes] = (4, mac_bytes(cid))
        else:
            chassis_id = (7, _text(cid or sys_name))
        port = body.get("port")
        port = port[0] if isinstance(port, list) and port else port
        port = port if isinstance(port, dict) else {}
        pid_type, pid = _lldp_type(port.get("id")), _lldp_value(port.get("id"))
        if pid_type == "mac" and pid:
            port_id: Tuple[int, bytes] = (3, mac_bytes(pid))
        else:
            port_id = ({"ifname": 5, "ifalias": 1, "local": 7}.get(pid_type, 7), _text(pid))
        caps = ch.get("capability")
        cap_list = caps if isinstance(caps, list) else [caps] if isinstance(caps, dict) else []
        enabled = [
            str(c.get("type")) for c in cap_list if isinstance(c, dict) and c.get("enabled") in (True, "true", "on")
        ]
        count[port_num] = count.get(port_num, 0) + 1
        out.append(
            Remote(
                local_port=port_num,
                index=count[port_num],
                chassis_subtype=chassis_id[0],
                chassis_id=chassis_id[1],
                port_subtype=port_id[0],
                port_id=port_id[1],
                port_desc=_text(_lldp_value(port.get("descr"))),
                sys_name=_text(sys_name),
                sys_desc=_text(_lldp_value(ch.get("descr"))),
                caps=caps_bits(enabled),
            )
        )
    return out
