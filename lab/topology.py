# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lab topology files: load, validate, draw MACs and compute the ground truth.

Pure code (no processes, no network): ``labctl.py`` builds the lab from a ``Topology``; the unit
tests check validation errors, MAC draws and which port of which switch learns which MAC.

The schema is documented in ``lab/README.md``. Every validation error names the file and the
key path (``switches[1].platform``) and the bad value.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

LAB_DIR = Path(__file__).resolve().parent
VENDOR_PREFIXES_FILE = LAB_DIR / "vendor_prefixes.yml"

ROLES = ("camera", "nvr", "workstation", "phone", "ap", "printer")
PLATFORMS = (
    "linux_bridge",
    "cisco_ios",
    "arista_eos",
    "cisco_nxos",
    "juniper_junos",
    "aruba_aoscx",
    "hp_procurve",
)
VENDOR_CLI_PLATFORMS = tuple(p for p in PLATFORMS if p != "linux_bridge")
# The vendor whose registry prefix a switch's own (base) MAC is drawn from.
PLATFORM_VENDOR = {
    "linux_bridge": None,
    "cisco_ios": "cisco",
    "cisco_nxos": "cisco",
    "arista_eos": "arista",
    "juniper_junos": "juniper",
    "aruba_aoscx": "hpe",
    "hp_procurve": "hp",
}
# System names real recorders advertise over LLDP (model strings), so that the collection can tell
# an NVR (which hides the cameras on its own PoE ports) from a camera.
NVR_MODELS = {"hikvision": "DS-7608NI-K2-8P", "dahua": "DHI-NVR4108HS-8P-4KS2"}
LAB_NET = ipaddress.ip_network("10.66.0.0/16")
MAX_ACCESS_PORTS = 96
MAX_LAG = 8
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")

_TOP_KEYS = ("name", "description", "vlans", "quarantine_vlan", "switches", "links", "endpoints", "unmanaged", "scale")
_SWITCH_KEYS = ("name", "platform", "access_ports", "vlans")
_LINK_KEYS = ("a", "b", "vlans", "lag")
_ENDPOINT_KEYS = (
    "name",
    "role",
    "vendor",
    "mac",
    "switch",
    "port",
    "vlan",
    "ip",
    "moved_to",
    "cameras",
    "voice_vlan",
    "behind",
    "port_description",
    "lldp",
    "dhcp_hostname",
)
_CAMERA_KEYS = ("name", "role", "vendor", "mac", "ip", "dhcp_hostname")
_HUB_KEYS = ("name", "switch", "port", "vlan", "endpoints", "port_description")
_HUB_EP_KEYS = ("name", "role", "vendor", "mac", "ip", "dhcp_hostname")
_BEHIND_KEYS = ("name", "role", "vendor", "mac", "ip", "dhcp_hostname")
_LLDP_KEYS = ("system_name", "system_description", "inventory", "capabilities", "med_class")
# LLDP-MED inventory TLVs (ANSI/TIA-1057 10.2.6) as lldpcli 'configure inventory <key>' names them
LLDP_INVENTORY_KEYS = (
    "hardware_revision",
    "software_revision",
    "firmware_revision",
    "serial_number",
    "manufacturer",
    "model",
    "asset",
)
# system capabilities (IEEE 802.1AB 8.5.8) as lldpcli 'configure system capabilities enabled' names them
LLDP_CAPABILITIES = ("other", "repeater", "bridge", "wlan", "router", "telephone", "docsis", "station")
LLDP_TEXT_MAX = 255  # octets of a System Name / System Description TLV
LLDP_INVENTORY_MAX = 32  # octets of an LLDP-MED inventory TLV
PORT_DESCRIPTION_MAX = 240
DHCP_HOSTNAME_MAX = 255
_MOVED_KEYS = ("switch", "port")
_SCALE_KEYS = ("switches", "platforms", "access_ports", "macs_per_switch", "vlans", "mix")


class TopologyError(ValueError):
    """A topology file that cannot be used; the message names the file and the key."""


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass
class Switch:
    name: str
    platform: str
    access_ports: int
    vlans: List[int]
    base_mac: str = ""

    @property
    def is_linux(self) -> bool:
        return self.platform == "linux_bridge"


@dataclass
class LinkEnd:
    switch: str
    port: str  # the logical port (the aggregate when lag > 1), canonical name
    members: List[str]  # physical member ports (== [port] when lag == 1)


@dataclass
class Link:
    index: int  # 1-based, global
    a: LinkEnd
    b: LinkEnd
    vlans: List[int]
    lag: int

    def end(self, switch: str) -> LinkEnd:
        return self.a if self.a.switch == switch else self.b

    def other(self, switch: str) -> LinkEnd:
        return self.b if self.a.switch == switch else self.a


@dataclass
class Endpoint:
    name: str
    role: str
    mac: str
    vendor: Optional[str]
    ip: Optional[str]  # "10.66.10.11/24"
    vlan: Optional[int]
    switch: Optional[str]  # edge switch (None when hidden behind an NVR)
    port: Optional[int]  # access port number on the edge switch (the hub's port when behind one)
    hidden_behind: Optional[str] = None
    behind_unmanaged: Optional[str] = None
    moved_to: Optional[Tuple[str, int]] = None
    moved_from: Optional[Tuple[str, int]] = None
    # a phone: the VLAN it tags its own frames with (``vlan`` is then the port's access VLAN, in
    # which the devices behind the phone's PC port are learned)
    voice_vlan: Optional[int] = None
    behind_phone: Optional[str] = None  # on the PC port of this phone
    port_description: Optional[str] = None  # of the switch port the endpoint is cabled to
    lldp: Optional[Dict[str, Any]] = None  # what the endpoint's lldpd advertises (see LLDP_KEYS)
    dhcp_hostname: Optional[str] = None  # DHCP option 12 (ground truth only for now)

    @property
    def learned_vlan(self) -> Optional[int]:
        """The VLAN in which switches learn this endpoint's MAC (a phone's voice VLAN)."""
        return self.voice_vlan if self.voice_vlan is not None else self.vlan

    @property
    def cabled(self) -> bool:
        """On a switch port of its own (not hidden behind an NVR, a hub or a phone)."""
        return self.hidden_behind is None and self.behind_unmanaged is None and self.behind_phone is None


@dataclass
class Unmanaged:
    name: str
    switch: str
    port: int
    vlan: int
    endpoints: List[str]
    port_description: Optional[str] = None


@dataclass
class Topology:
    name: str
    source: str
    vlans: Dict[int, str]
    quarantine_vlan: Optional[int]
    switches: List[Switch]
    links: List[Link]
    endpoints: List[Endpoint]
    unmanaged: List[Unmanaged]
    description: str = ""
    _by_switch: Dict[str, Switch] = field(default_factory=dict, repr=False)

    def switch(self, name: str) -> Switch:
        return self._by_switch[name]

    def endpoint(self, name: str) -> Endpoint:
        for ep in self.endpoints:
            if ep.name == name:
                return ep
        raise KeyError(name)

    def links_of(self, switch: str) -> List[Link]:
        return [lk for lk in self.links if switch in (lk.a.switch, lk.b.switch)]

    @property
    def has_linux(self) -> bool:
        return any(s.is_linux for s in self.switches)


# --------------------------------------------------------------------------------------------
# Port names per platform (canonical long names, as _ifname.canonical_interface returns them)
# --------------------------------------------------------------------------------------------


def port_name(platform: str, n: int) -> str:
    """Canonical name of front-panel port ``n`` (1-based) on ``platform``."""
    if platform == "linux_bridge":
        return f"swp{n}"
    if platform == "cisco_ios":
        return f"GigabitEthernet1/0/{n}"
    if platform == "arista_eos":
        return f"Ethernet{n}"
    if platform == "cisco_nxos":
        return f"Ethernet1/{n}"
    if platform == "juniper_junos":
        return f"ge-0/0/{n - 1}"
    if platform == "aruba_aoscx":
        return f"1/1/{n}"
    if platform == "hp_procurve":
        return str(n)
    raise TopologyError(f"no port naming for platform {platform!r}")


def lag_name(platform: str, n: int) -> str:
    """Canonical name of aggregate ``n`` (1-based) on ``platform``."""
    names = {
        "linux_bridge": f"bond{n}",
        "cisco_ios": f"Port-channel{n}",
        "arista_eos": f"Port-Channel{n}",
        "cisco_nxos": f"port-channel{n}",
        "juniper_junos": f"ae{n - 1}",
        "aruba_aoscx": f"lag{n}",
        "hp_procurve": f"Trk{n}",
    }
    try:
        return names[platform]
    except KeyError:
        raise TopologyError(f"no aggregate naming for platform {platform!r}") from None


def linux_uplink_name(link_index: int, member: Optional[int] = None) -> str:
    """Interface name of a linux_bridge switch's end of link ``link_index`` (<= 15 chars)."""
    if member is None:
        return f"up{link_index}"
    return f"up{link_index}{chr(ord('a') + member)}"


# --------------------------------------------------------------------------------------------
# Vendor prefixes and MAC draws
# --------------------------------------------------------------------------------------------


def load_vendor_prefixes(path: Path = VENDOR_PREFIXES_FILE) -> Dict[str, List[str]]:
    """vendor key -> list of real registry prefixes ``AA:BB:CC``."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    vendors = data.get("vendors") if isinstance(data, dict) else None
    if not isinstance(vendors, dict) or not vendors:
        raise TopologyError(f"{path}: key 'vendors' must be a non-empty mapping")
    out: Dict[str, List[str]] = {}
    for key, entry in vendors.items():
        prefixes = entry.get("prefixes") if isinstance(entry, dict) else None
        if not isinstance(prefixes, list) or not prefixes:
            raise TopologyError(f"{path}: vendors.{key}.prefixes must be a non-empty list")
        for p in prefixes:
            if not isinstance(p, str) or not re.fullmatch(r"[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){2}", p):
                raise TopologyError(f"{path}: vendors.{key}.prefixes: {p!r} is not an AA:BB:CC prefix")
        out[str(key)] = [p.lower() for p in prefixes]
    return out


def normalize_mac(value: object) -> Optional[str]:
    """``aa:bb:cc:dd:ee:ff`` for the usual spellings, else None."""
    if not isinstance(value, str):
        return None
    digits = re.sub(r"[.:-]", "", value.strip()).lower()
    if len(digits) != 12 or not re.fullmatch(r"[0-9a-f]{12}", digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def draw_mac(prefixes: Sequence[str], topology: str, name: str, taken: Set[str]) -> str:
    """A deterministic MAC from one of ``prefixes``, seeded by topology and endpoint name."""
    for attempt in range(1000):
        seed = f"{topology}\x00{name}\x00{attempt}".encode()
        h = hashlib.sha256(seed).digest()
        prefix = prefixes[h[0] % len(prefixes)]
        mac = f"{prefix}:{h[1]:02x}:{h[2]:02x}:{h[3]:02x}"
        if mac not in taken:
            return mac
    raise TopologyError(f"cannot draw a unique MAC for {name!r}")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


class _V:
    """Collects the file name so every message says where."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, msg: str) -> TopologyError:
        return TopologyError(f"{self.source}: {where}: {msg}")

    def mapping(self, value: Any, where: str, allowed: Sequence[str], required: Sequence[str]) -> Dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a mapping, got {type(value).__name__}")
        for k in value:
            if k not in allowed:
                raise self.fail(f"{where}.{k}" if where else str(k), f"unknown key (allowed: {', '.join(allowed)})")
        for k in required:
            if k not in value or value[k] is None:
                raise self.fail(f"{where}.{k}" if where else k, "required key is missing")
        return value

    def name(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _NAME.match(value):
            raise self.fail(
                where, f"invalid name {value!r} (letters, digits, '_' and '-', 1-32 chars, starts with a letter)"
            )
        return value

    def integer(self, value: Any, where: str, lo: int, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(where, f"must be an integer {lo}..{hi}, got {value!r}")
        return value

    def ip(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or "/" not in value:
            raise self.fail(where, f"must be an IPv4 address with prefix length like 10.66.10.11/24, got {value!r}")
        try:
            iface = ipaddress.IPv4Interface(value)
        except ValueError as exc:
            raise self.fail(where, f"invalid address {value!r}: {exc}") from None
        if iface.ip not in LAB_NET or iface.network.prefixlen < 16:
            raise self.fail(
                where, f"{value!r} is outside the lab range {LAB_NET} (lab addresses live in namespaces only)"
            )
        if iface.ip in (iface.network.network_address, iface.network.broadcast_address):
            raise self.fail(where, f"{value!r} is the network or broadcast address")
        return str(iface)

    def text(self, value: Any, where: str, limit: int) -> str:
        """A free-text value (hostile text welcome: control characters, quotes, template syntax),
        except NUL, which no tool that sets it (argv, netlink) can carry."""
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"must be a non-empty string, got {value!r}")
        if "\x00" in value:
            raise self.fail(where, f"must not contain NUL (no tool can pass it on): {value!r}")
        n = len(value.encode("utf-8"))
        if n > limit:
            raise self.fail(where, f"is {n} octets long, at most {limit} allowed: {value!r}")
        return value


def _lldp(v: _V, raw: Any, where: str, role: str) -> Dict[str, Any]:
    """An endpoint's ``lldp`` block: what its lldpd advertises."""
    lb = v.mapping(raw, where, _LLDP_KEYS, ())
    out: Dict[str, Any] = {}
    for key in ("system_name", "system_description"):
        if lb.get(key) is not None:
            out[key] = v.text(lb[key], f"{where}.{key}", LLDP_TEXT_MAX)
    if lb.get("inventory") is not None:
        inv = v.mapping(lb["inventory"], f"{where}.inventory", LLDP_INVENTORY_KEYS, ())
        out["inventory"] = {
            k: v.text(inv[k], f"{where}.inventory.{k}", LLDP_INVENTORY_MAX)
            for k in LLDP_INVENTORY_KEYS
            if inv.get(k) is not None
        }
    if lb.get("capabilities") is not None:
        caps = lb["capabilities"]
        if not isinstance(caps, list) or not caps:
            raise v.fail(f"{where}.capabilities", f"must be a non-empty list, got {caps!r}")
        for i, c in enumerate(caps):
            if c not in LLDP_CAPABILITIES:
                raise v.fail(
                    f"{where}.capabilities[{i}]",
                    f"unknown capability {c!r} (expected one of {', '.join(LLDP_CAPABILITIES)})",
                )
        out["capabilities"] = list(dict.fromkeys(caps))
    default_class = 3 if role == "phone" else 1
    out["med_class"] = v.integer(lb.get("med_class", default_class), f"{where}.med_class", 1, 4)
    return out


def _vlan_list(v: _V, value: Any, where: str, known: Mapping[int, str]) -> List[int]:
    if not isinstance(value, list) or not value:
        raise v.fail(where, f"must be a non-empty list of VLAN ids, got {value!r}")
    out: List[int] = []
    for i, item in enumerate(value):
        vid = v.integer(item, f"{where}[{i}]", 1, 4094)
        if vid not in known:
            raise v.fail(f"{where}[{i}]", f"VLAN {vid} is not declared in the top-level 'vlans' mapping")
        if vid not in out:
            out.append(vid)
    return out


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_topology(path: str | Path, scale: Optional[int] = None) -> Topology:
    """Read and validate a topology file (``scale`` overrides ``scale.switches``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise TopologyError(f"{p}: cannot read the topology file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TopologyError(f"{p}: not valid YAML: {exc}") from None
    return parse_topology(data, str(p), scale=scale)


def parse_topology(
    data: Any,
    source: str = "<topology>",
    scale: Optional[int] = None,
    vendor_prefixes: Optional[Dict[str, List[str]]] = None,
) -> Topology:
    v = _V(source)
    prefixes = vendor_prefixes if vendor_prefixes is not None else load_vendor_prefixes()
    top = v.mapping(data, "", _TOP_KEYS, ("name", "vlans"))
    name = v.name(top["name"], "name")
    description = top.get("description") or ""
    if not isinstance(description, str):
        raise v.fail("description", "must be a string")

    vl = top["vlans"]
    if not isinstance(vl, dict) or not vl:
        raise v.fail("vlans", "must be a non-empty mapping of VLAN id -> name, e.g. {10: cameras}")
    vlans: Dict[int, str] = {}
    for k, nm in vl.items():
        vid = v.integer(k, f"vlans.{k}", 1, 4094)
        if not isinstance(nm, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", nm):
            raise v.fail(f"vlans.{k}", f"VLAN name must be 1-32 letters, digits, '_' or '-', got {nm!r}")
        vlans[vid] = nm
    quarantine: Optional[int] = top.get("quarantine_vlan", 999 if 999 in vlans else None)
    if quarantine is not None:
        quarantine = v.integer(quarantine, "quarantine_vlan", 1, 4094)
        if quarantine not in vlans:
            raise v.fail("quarantine_vlan", f"VLAN {quarantine} is not declared in 'vlans'")

    if "scale" in top and top["scale"] is not None:
        if top.get("switches") or top.get("endpoints") or top.get("links") or top.get("unmanaged"):
            raise v.fail("scale", "a scale topology generates its switches; drop 'switches', 'links', 'endpoints'")
        top = dict(top)
        top.update(_generate_scale(v, top["scale"], vlans, scale))
    elif scale is not None:
        raise v.fail("scale", f"--scale {scale} given but the topology has no 'scale' block")

    # ---- switches
    raw_switches = top.get("switches")
    if not isinstance(raw_switches, list) or not raw_switches:
        raise v.fail("switches", "must be a non-empty list")
    names: Set[str] = set()
    switches: List[Switch] = []
    for i, raw in enumerate(raw_switches):
        w = f"switches[{i}]"
        sw = v.mapping(raw, w, _SWITCH_KEYS, ("name", "platform"))
        sname = v.name(sw["name"], f"{w}.name")
        if sname in names:
            raise v.fail(f"{w}.name", f"duplicate name {sname!r}")
        names.add(sname)
        platform = sw["platform"]
        if platform not in PLATFORMS:
            raise v.fail(f"{w}.platform", f"unknown platform {platform!r} (expected one of {', '.join(PLATFORMS)})")
        nports = v.integer(sw.get("access_ports", 8), f"{w}.access_ports", 1, MAX_ACCESS_PORTS)
        svlans = _vlan_list(v, sw["vlans"], f"{w}.vlans", vlans) if "vlans" in sw else sorted(vlans)
        switches.append(Switch(sname, platform, nports, svlans))
    by_switch = {s.name: s for s in switches}

    # ---- links
    raw_links = top.get("links") or []
    if not isinstance(raw_links, list):
        raise v.fail("links", "must be a list")
    links: List[Link] = []
    used_pairs: Set[Tuple[str, str]] = set()
    uf: Dict[str, str] = {s.name: s.name for s in switches}

    def find(x: str) -> str:
        while uf[x] != x:
            uf[x] = uf[uf[x]]
            x = uf[x]
        return x

    lag_counter: Dict[str, int] = {s.name: 0 for s in switches}
    member_counter: Dict[str, int] = {s.name: 0 for s in switches}
    for i, raw in enumerate(raw_links):
        w = f"links[{i}]"
        lk = v.mapping(raw, w, _LINK_KEYS, ("a", "b"))
        ends = []
        for side in ("a", "b"):
            sname = lk[side]
            if sname not in by_switch:
                raise v.fail(f"{w}.{side}", f"unknown switch {sname!r} (declared: {', '.join(sorted(by_switch))})")
            ends.append(sname)
        if ends[0] == ends[1]:
            raise v.fail(f"{w}.b", f"a link cannot connect {ends[0]!r} to itself")
        pair = (min(ends), max(ends))
        if pair in used_pairs:
            raise v.fail(w, f"a second link between {pair[0]!r} and {pair[1]!r}: use 'lag' for parallel members")
        used_pairs.add(pair)
        ra, rb = find(ends[0]), find(ends[1])
        if ra == rb:
            raise v.fail(
                w, f"link {ends[0]}-{ends[1]} closes a loop (the lab has no spanning tree: links must form a tree)"
            )
        uf[ra] = rb
        common = [x for x in by_switch[ends[0]].vlans if x in by_switch[ends[1]].vlans]
        lvlans = _vlan_list(v, lk["vlans"], f"{w}.vlans", vlans) if "vlans" in lk else common
        for vid in lvlans:
            for sname in ends:
                if vid not in by_switch[sname].vlans:
                    raise v.fail(f"{w}.vlans", f"VLAN {vid} is not in the VLANs of switch {sname!r}")
        if not lvlans:
            raise v.fail(f"{w}.vlans", f"{ends[0]} and {ends[1]} share no VLAN")
        lag = v.integer(lk.get("lag", 1), f"{w}.lag", 1, MAX_LAG)
        index = i + 1
        link_ends: List[LinkEnd] = []
        for sname in ends:
            sw_ = by_switch[sname]
            if sw_.is_linux:
                if lag == 1:
                    link_ends.append(LinkEnd(sname, linux_uplink_name(index), [linux_uplink_name(index)]))
                else:
                    mem = [linux_uplink_name(index, m) for m in range(lag)]
                    link_ends.append(LinkEnd(sname, lag_name("linux_bridge", index), mem))
            else:
                mem = []
                for _unused in range(lag):
                    member_counter[sname] += 1
                    mem.append(port_name(sw_.platform, sw_.access_ports + member_counter[sname]))
                if lag == 1:
                    link_ends.append(LinkEnd(sname, mem[0], mem))
                else:
                    lag_counter[sname] += 1
                    link_ends.append(LinkEnd(sname, lag_name(sw_.platform, lag_counter[sname]), mem))
        links.append(Link(index, link_ends[0], link_ends[1], lvlans, lag))

    # ---- endpoints
    all_names: Set[str] = set(names)
    endpoints: List[Endpoint] = []
    taken_macs: Set[str] = set()
    taken_ips: Dict[str, str] = {}
    occupied: Dict[Tuple[str, int], str] = {}

    def claim_port(where: str, sname: str, port: int, who: str) -> None:
        key = (sname, port)
        if key in occupied:
            raise v.fail(where, f"port {port} of {sname!r} is already used by {occupied[key]!r}")
        occupied[key] = who

    def mac_of(raw: Dict[str, Any], where: str, ename: str) -> Tuple[str, Optional[str]]:
        has_vendor, has_mac = raw.get("vendor") is not None, raw.get("mac") is not None
        if has_vendor == has_mac:
            raise v.fail(where, "give exactly one of 'vendor' (draws a real registry prefix) or 'mac'")
        if has_mac:
            mac = normalize_mac(raw["mac"])
            if mac is None:
                raise v.fail(f"{where}.mac", f"not a MAC address: {raw['mac']!r}")
            if int(mac[:2], 16) & 1:
                raise v.fail(f"{where}.mac", f"{mac} is a multicast address")
            vendor = None
        else:
            vendor = raw["vendor"]
            if vendor not in prefixes:
                raise v.fail(f"{where}.vendor", f"unknown vendor {vendor!r} (known: {', '.join(sorted(prefixes))})")
            mac = draw_mac(prefixes[vendor], name, ename, taken_macs)
        if mac in taken_macs:
            raise v.fail(f"{where}.mac", f"{mac} is used twice")
        taken_macs.add(mac)
        return mac, vendor

    def claim_name(value: Any, where: str) -> str:
        ename = v.name(value, where)
        if ename in all_names:
            raise v.fail(where, f"duplicate name {ename!r} (names are unique across switches, endpoints and hubs)")
        all_names.add(ename)
        return ename

    def claim_ip(value: Any, where: str, ename: str) -> str:
        ip = v.ip(value, where)
        addr = ip.split("/", maxsplit=1)[0]
        if addr in taken_ips:
            raise v.fail(where, f"address {addr} is already used by {taken_ips[addr]!r}")
        taken_ips[addr] = ename
        return ip

    def role_of(raw: Dict[str, Any], where: str, default: Optional[str] = None) -> str:
        role = raw.get("role", default)
        if role not in ROLES:
            raise v.fail(f"{where}.role", f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
        return str(role)

    def edge(raw: Dict[str, Any], where: str) -> Tuple[str, int, int]:
        sname = raw["switch"]
        if sname not in by_switch:
            raise v.fail(f"{where}.switch", f"unknown switch {sname!r}")
        sw_ = by_switch[sname]
        port = v.integer(raw["port"], f"{where}.port", 1, sw_.access_ports)
        vlan = v.integer(raw["vlan"], f"{where}.vlan", 1, 4094)
        if vlan not in sw_.vlans:
            raise v.fail(f"{where}.vlan", f"VLAN {vlan} is not configured on switch {sname!r}")
        return sname, port, vlan

    subnet_vlan: Dict[str, Tuple[int, str]] = {}

    def check_subnet(ip: Optional[str], vlan: int, where: str, ename: str) -> None:
        if ip is None:
            return
        net = str(ipaddress.IPv4Interface(ip).network)
        other = subnet_vlan.setdefault(net, (vlan, ename))
        if other[0] != vlan:
            raise v.fail(where, f"subnet {net} is already used in VLAN {other[0]} (by {other[1]!r})")

    raw_eps = top.get("endpoints") or []
    if not isinstance(raw_eps, list):
        raise v.fail("endpoints", "must be a list")

    def extras(raw: Dict[str, Any], where: str) -> Dict[str, Any]:
        """The optional free-text keys every endpoint may have."""
        out: Dict[str, Any] = {}
        if raw.get("dhcp_hostname") is not None:
            out["dhcp_hostname"] = v.text(raw["dhcp_hostname"], f"{where}.dhcp_hostname", DHCP_HOSTNAME_MAX)
        return out

    for i, raw in enumerate(raw_eps):
        w = f"endpoints[{i}]"
        ep = v.mapping(raw, w, _ENDPOINT_KEYS, ("name", "role", "switch", "port", "vlan"))
        ename = claim_name(ep["name"], f"{w}.name")
        role = role_of(ep, w)
        sname, port, vlan = edge(ep, w)
        claim_port(f"{w}.port", sname, port, ename)
        voice: Optional[int] = None
        if ep.get("voice_vlan") is not None:
            if role != "phone":
                raise v.fail(
                    f"{w}.voice_vlan", f"only an endpoint with role 'phone' tags a voice VLAN (role is {role!r})"
                )
            voice = v.integer(ep["voice_vlan"], f"{w}.voice_vlan", 1, 4094)
            if voice not in by_switch[sname].vlans:
                raise v.fail(f"{w}.voice_vlan", f"VLAN {voice} is not configured on switch {sname!r}")
            if voice == vlan:
                raise v.fail(f"{w}.voice_vlan", f"the voice VLAN must differ from the port's access VLAN {vlan}")
        ip = claim_ip(ep["ip"], f"{w}.ip", ename) if ep.get("ip") is not None else None
        check_subnet(ip, voice if voice is not None else vlan, f"{w}.ip", ename)
        mac, vendor = mac_of(ep, w, ename)
        moved: Optional[Tuple[str, int]] = None
        if ep.get("moved_to") is not None:
            mv = v.mapping(ep["moved_to"], f"{w}.moved_to", _MOVED_KEYS, _MOVED_KEYS)
            msw = mv["switch"]
            if msw not in by_switch:
                raise v.fail(f"{w}.moved_to.switch", f"unknown switch {msw!r}")
            mport = v.integer(mv["port"], f"{w}.moved_to.port", 1, by_switch[msw].access_ports)
            for need in (vlan, voice):
                if need is not None and need not in by_switch[msw].vlans:
                    raise v.fail(f"{w}.moved_to.switch", f"VLAN {need} is not configured on switch {msw!r}")
            if (msw, mport) == (sname, port):
                raise v.fail(f"{w}.moved_to", "the new port is the current port")
            claim_port(f"{w}.moved_to.port", msw, mport, f"{ename} (moved)")
            moved = (msw, mport)
        pdesc = (
            v.text(ep["port_description"], f"{w}.port_description", PORT_DESCRIPTION_MAX)
            if ep.get("port_description") is not None
            else None
        )
        lldp = _lldp(v, ep["lldp"], f"{w}.lldp", role) if ep.get("lldp") is not None else None
        endpoints.append(
            Endpoint(
                ename,
                role,
                mac,
                vendor,
                ip,
                vlan,
                sname,
                port,
                moved_to=moved,
                voice_vlan=voice,
                port_description=pdesc,
                lldp=lldp,
                **extras(ep, w),
            )
        )
        behind = ep.get("behind")
        if behind is not None:
            if voice is None:
                raise v.fail(
                    f"{w}.behind",
                    "only a phone with a 'voice_vlan' has a PC port (its own frames are tagged, the PC port's untagged)",
                )
            if not isinstance(behind, list) or not behind:
                raise v.fail(f"{w}.behind", "must be a non-empty list")
            for j, rb in enumerate(behind):
                bw = f"{w}.behind[{j}]"
                be = v.mapping(rb, bw, _BEHIND_KEYS, ("name", "role"))
                bname = claim_name(be["name"], f"{bw}.name")
                brole = role_of(be, bw)
                bip = claim_ip(be["ip"], f"{bw}.ip", bname) if be.get("ip") is not None else None
                check_subnet(bip, vlan, f"{bw}.ip", bname)
                bmac, bvendor = mac_of(be, bw, bname)
                endpoints.append(
                    Endpoint(bname, brole, bmac, bvendor, bip, vlan, sname, port, behind_phone=ename, **extras(be, bw))
                )
        cams = ep.get("cameras")
        if cams is not None:
            if role != "nvr":
                raise v.fail(f"{w}.cameras", f"only an endpoint with role 'nvr' has PoE cameras (role is {role!r})")
            if not isinstance(cams, list) or not cams:
                raise v.fail(f"{w}.cameras", "must be a non-empty list")
            poe_net: Optional[ipaddress.IPv4Network] = None
            for j, rc in enumerate(cams):
                cw = f"{w}.cameras[{j}]"
                cam = v.mapping(rc, cw, _CAMERA_KEYS, ("name", "ip"))
                cname = claim_name(cam["name"], f"{cw}.name")
                crole = role_of(cam, cw, "camera")
                cip = claim_ip(cam["ip"], f"{cw}.ip", cname)
                net = ipaddress.IPv4Interface(cip).network
                if poe_net is None:
                    poe_net = net
                elif net != poe_net:
                    raise v.fail(f"{cw}.ip", f"cameras behind one NVR share one subnet ({poe_net}), got {cip}")
                if ip is not None and ipaddress.IPv4Interface(ip).network == net:
                    raise v.fail(f"{cw}.ip", f"the NVR's PoE subnet must differ from its LAN subnet {net}")
                cmac, cvendor = mac_of(cam, cw, cname)
                endpoints.append(
                    Endpoint(cname, crole, cmac, cvendor, cip, None, None, None, hidden_behind=ename, **extras(cam, cw))
                )

    # ---- unmanaged switches / hubs
    hubs: List[Unmanaged] = []
    raw_hubs = top.get("unmanaged") or []
    if not isinstance(raw_hubs, list):
        raise v.fail("unmanaged", "must be a list")
    for i, raw in enumerate(raw_hubs):
        w = f"unmanaged[{i}]"
        hb = v.mapping(raw, w, _HUB_KEYS, ("name", "switch", "port", "vlan", "endpoints"))
        hname = claim_name(hb["name"], f"{w}.name")
        sname, port, vlan = edge(hb, w)
        claim_port(f"{w}.port", sname, port, hname)
        hdesc = (
            v.text(hb["port_description"], f"{w}.port_description", PORT_DESCRIPTION_MAX)
            if hb.get("port_description") is not None
            else None
        )
        heps = hb["endpoints"]
        if not isinstance(heps, list) or not heps:
            raise v.fail(f"{w}.endpoints", "must be a non-empty list")
        members: List[str] = []
        for j, re_ in enumerate(heps):
            ew = f"{w}.endpoints[{j}]"
            he = v.mapping(re_, ew, _HUB_EP_KEYS, ("name", "role"))
            ename = claim_name(he["name"], f"{ew}.name")
            role = role_of(he, ew)
            ip = claim_ip(he["ip"], f"{ew}.ip", ename) if he.get("ip") is not None else None
            check_subnet(ip, vlan, f"{ew}.ip", ename)
            mac, vendor = mac_of(he, ew, ename)
            endpoints.append(
                Endpoint(ename, role, mac, vendor, ip, vlan, sname, port, behind_unmanaged=hname, **extras(he, ew))
            )
            members.append(ename)
        hubs.append(Unmanaged(hname, sname, port, vlan, members, hdesc))

    # ---- switch base MACs (vendor switches: the platform vendor's registry prefix)
    for sw_ in switches:
        vendor_key = PLATFORM_VENDOR.get(sw_.platform)
        if vendor_key and vendor_key in prefixes:
            sw_.base_mac = draw_mac(prefixes[vendor_key], name, f"switch:{sw_.name}", taken_macs)
            taken_macs.add(sw_.base_mac)

    topo = Topology(name, source, vlans, quarantine, switches, links, endpoints, hubs, description)
    topo._by_switch = by_switch
    return topo


# --------------------------------------------------------------------------------------------
# Scale topologies
# --------------------------------------------------------------------------------------------

_SCALE_ROLES = ("camera", "camera", "workstation", "phone", "printer", "ap")


def _generate_scale(v: _V, raw: Any, vlans: Dict[int, str], override: Optional[int]) -> Dict[str, Any]:
    sc = v.mapping(raw, "scale", _SCALE_KEYS, ("switches",))
    count = v.integer(override if override is not None else sc["switches"], "scale.switches", 1, 5000)
    plats = sc.get("platforms", list(VENDOR_CLI_PLATFORMS))
    if not isinstance(plats, list) or not plats:
        raise v.fail("scale.platforms", "must be a non-empty list")
    for i, p in enumerate(plats):
        if p not in VENDOR_CLI_PLATFORMS:
            raise v.fail(f"scale.platforms[{i}]", f"scale mode serves vendor-CLI platforms only, got {p!r}")
    nports = v.integer(sc.get("access_ports", 48), "scale.access_ports", 1, MAX_ACCESS_PORTS)
    per = v.integer(sc.get("macs_per_switch", 50), "scale.macs_per_switch", 1, 4 * MAX_ACCESS_PORTS)
    svlans = _vlan_list(v, sc.get("vlans", sorted(vlans)), "scale.vlans", vlans)
    mix = sc.get("mix", {"hikvision": 2, "dahua": 2, "axis": 3, "dell": 6, "polycom": 2, "hp": 2})
    if not isinstance(mix, dict) or not mix:
        raise v.fail("scale.mix", "must be a mapping vendor -> weight")
    bag: List[str] = []
    for vendor, weight in mix.items():
        bag.extend([str(vendor)] * v.integer(weight, f"scale.mix.{vendor}", 1, 1000))
    switches: List[Dict[str, Any]] = []
    endpoints: List[Dict[str, Any]] = []
    hubs: List[Dict[str, Any]] = []
    # one /18 per VLAN (the first three VLANs get addresses; 16k hosts each)
    ip_next: Dict[int, int] = {vid: 0 for vid in svlans[:3]}
    for s in range(count):
        sname = f"sw{s + 1:04d}"
        switches.append({"name": sname, "platform": plats[s % len(plats)], "access_ports": nports, "vlans": svlans})
        # one port holds an unmanaged switch with 3 endpoints; the rest one endpoint per port,
        # and, beyond the port count, more hubs
        remaining = per
        port = 1
        e = 0
        while remaining > 0 and port <= nports:
            behind = remaining > (nports - port + 1) or port == nports // 2
            group = min(3, remaining) if behind else 1
            eps = []
            for _unused in range(group):
                e += 1
                vendor = bag[(s * 7919 + e * 104729) % len(bag)]
                vlan = svlans[port % len(svlans)]
                ip = None
                if vlan in ip_next and ip_next[vlan] < 16000:
                    base = 64 * svlans.index(vlan) * 256 + ip_next[vlan] + 10
                    ip = f"10.66.{base // 256}.{base % 256}/18"
                    ip_next[vlan] += 1
                eps.append(
                    {
                        "name": f"{sname}e{e:03d}",
                        "role": _SCALE_ROLES[e % len(_SCALE_ROLES)],
                        "vendor": vendor,
                        "ip": ip,
                    }
                )
            vlan = svlans[port % len(svlans)]
            if group == 1 and not behind:
                endpoints.append({**eps[0], "switch": sname, "port": port, "vlan": vlan})
            else:
                hubs.append(
                    {"name": f"{sname}h{port:02d}", "switch": sname, "port": port, "vlan": vlan, "endpoints": eps}
                )
            remaining -= group
            port += 1
    return {"switches": switches, "endpoints": endpoints, "unmanaged": hubs, "links": []}


# --------------------------------------------------------------------------------------------
# Ground truth: which port of which switch learns which MAC
# --------------------------------------------------------------------------------------------


def learned_on(topo: Topology, ep: Endpoint) -> List[Dict[str, str]]:
    """The edge port, then every uplink (in BFS order) that learns ``ep``'s MAC.

    Frames flood through the tree of links that carry the endpoint's VLAN: each switch that has
    the VLAN and is reached over such links learns the MAC on its port towards the edge switch.
    """
    vlan = ep.learned_vlan
    if ep.switch is None or ep.port is None or vlan is None:
        return []
    start = topo.switch(ep.switch)
    out = [{"switch": start.name, "interface": port_name(start.platform, ep.port)}]
    seen = {start.name}
    queue = deque([start.name])
    while queue:
        cur = queue.popleft()
        for lk in topo.links_of(cur):
            if vlan not in lk.vlans:
                continue
            nxt = lk.other(cur)
            if nxt.switch in seen or vlan not in topo.switch(nxt.switch).vlans:
                continue
            seen.add(nxt.switch)
            out.append({"switch": nxt.switch, "interface": nxt.port})
            queue.append(nxt.switch)
    return out


def lldp_identity(ep: Endpoint) -> Optional[Dict[str, Any]]:
    """What ``ep``'s lldpd advertises, or None when it runs none.

    NVRs and endpoints with an ``lldp`` block run lldpd, if they sit on a switch port of their
    own (LLDP frames do not cross the hub's or the phone's bridge). The system name defaults to
    the recorder's model for an NVR, else the endpoint's name; the system description to
    lldpd's own (the kernel's ``uname``)."""
    if not ep.cabled or (ep.role != "nvr" and ep.lldp is None):
        return None
    lldp = dict(ep.lldp or {})
    default_name = NVR_MODELS.get(ep.vendor or "", f"NVR-{ep.name}") if ep.role == "nvr" else ep.name
    return {
        "system_name": lldp.get("system_name", default_name),
        "system_description": lldp.get("system_description"),
        "inventory": dict(lldp.get("inventory") or {}),
        "capabilities": list(lldp.get("capabilities") or []),
        "med_class": int(lldp.get("med_class") or (3 if ep.role == "phone" else 1)),
    }


def gateways(topo: Topology) -> List[Dict[str, Any]]:
    """One SVI per (VLAN, subnet) on the first linux_bridge switch that carries the VLAN.

    Its address is the first free host of the subnet. It answers the endpoints' broadcast pings,
    so that switch's ARP table holds every endpoint of the subnet (as a core switch's would).
    """
    out: List[Dict[str, Any]] = []
    linux = [s for s in topo.switches if s.is_linux]
    nets: Dict[Tuple[int, str], Set[ipaddress.IPv4Address]] = {}
    for ep in topo.endpoints:
        if ep.ip and ep.learned_vlan is not None and ep.hidden_behind is None:
            iface = ipaddress.IPv4Interface(ep.ip)
            nets.setdefault((ep.learned_vlan, str(iface.network)), set()).add(iface.ip)
    for (vlan, net_s), used in sorted(nets.items()):
        sw = next((s for s in linux if vlan in s.vlans), None)
        if sw is None:
            continue
        net = ipaddress.IPv4Network(net_s)
        host = next((h for h in net.hosts() if h not in used), None)
        if host is None:
            continue
        out.append({"switch": sw.name, "vlan": vlan, "ip": f"{host}/{net.prefixlen}"})
    return out


def ground_truth(topo: Topology) -> Dict[str, Any]:
    """The facts the lab guarantees (without run-time details such as hosts and ports)."""
    eps = []
    for ep in topo.endpoints:
        sw = topo.switch(ep.switch) if ep.switch else None
        eps.append(
            {
                "name": ep.name,
                "mac": ep.mac,
                "role": ep.role,
                "vendor": ep.vendor,
                "switch": ep.switch,
                "port": port_name(sw.platform, ep.port) if sw and ep.port else None,
                "vlan": ep.learned_vlan,
                # a phone's port: the access VLAN of the devices behind it, the phone tags voice_vlan
                "port_vlan": ep.vlan,
                "voice_vlan": ep.voice_vlan,
                "behind_phone": ep.behind_phone,
                "port_description": ep.port_description,
                "lldp": lldp_identity(ep),
                "dhcp_hostname": ep.dhcp_hostname,
                "ip": ep.ip.split("/")[0] if ep.ip else None,
                "hidden_behind": ep.hidden_behind,
                "behind_unmanaged": ep.behind_unmanaged,
                "moved_to": (
                    {
                        "switch": ep.moved_to[0],
                        "port": port_name(topo.switch(ep.moved_to[0]).platform, ep.moved_to[1]),
                    }
                    if ep.moved_to
                    else None
                ),
                "moved_from": (
                    {
                        "switch": ep.moved_from[0],
                        "port": port_name(topo.switch(ep.moved_from[0]).platform, ep.moved_from[1]),
                    }
                    if ep.moved_from
                    else None
                ),
                "learned_on": learned_on(topo, ep),
            }
        )
    switches = {
        s.name: {
            "platform": s.platform,
            "vlans": list(s.vlans),
            "own_macs": [s.base_mac] if s.base_mac else [],
            "uplinks": [lk.end(s.name).port for lk in topo.links_of(s.name)],
        }
        for s in topo.switches
    }
    return {
        "topology": topo.name,
        "gateways": gateways(topo),
        "vlans": {str(k): nm for k, nm in sorted(topo.vlans.items())},
        "quarantine_vlan": topo.quarantine_vlan,
        "switches": switches,
        "endpoints": eps,
        "unmanaged": [
            {
                "name": h.name,
                "switch": h.switch,
                "port": port_name(topo.switch(h.switch).platform, h.port),
                "vlan": h.vlan,
                "endpoints": list(h.endpoints),
                "port_description": h.port_description,
            }
            for h in topo.unmanaged
        ],
        "links": [
            {
                "a": {"switch": lk.a.switch, "port": lk.a.port, "members": lk.a.members},
                "b": {"switch": lk.b.switch, "port": lk.b.port, "members": lk.b.members},
                "vlans": list(lk.vlans),
                "lag": lk.lag,
            }
            for lk in topo.links
        ],
    }


def apply_move(topo: Topology, name: str) -> Endpoint:
    """Move endpoint ``name`` to its ``moved_to`` port (in the model); returns the endpoint."""
    ep = topo.endpoint(name)
    if ep.moved_to is None:
        raise TopologyError(f"{topo.source}: endpoint {name!r} has no 'moved_to'")
    ep.moved_from = (ep.switch or "", ep.port or 0)
    ep.switch, ep.port = ep.moved_to
    ep.moved_to = None
    for other in topo.endpoints:  # what sits on the phone's PC port moves with it
        if other.behind_phone == ep.name:
            other.moved_from = ep.moved_from
            other.switch, other.port = ep.switch, ep.port
    return ep
