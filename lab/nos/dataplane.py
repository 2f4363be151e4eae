# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel data plane of a vendor-CLI lab switch: its CLI state drives it, its FDB feeds the
MAC table the CLI shows.

A vendor-CLI switch of a lab with namespaces has a data-plane namespace built by ``netns.py``
like a linux_bridge switch's: one bridge per VLAN (``br<vid>``, or one VLAN-aware ``br0``), its
access ports ``p<n>`` (veths to the endpoints; a phone's tagged voice VLAN is the sub-port
``p<n>.<vid>``, see lab/README.md) and one VXLAN device per trunked VLAN of each link
(``vx<link>v<vid>``). The view names them in its ``dataplane`` block::

    {"netns": "cg12ab-sw-ios1", "model": "per_vlan",
     "ports": {"GigabitEthernet1/0/3": "p3", ...},          # every access port (cabled or not)
     "uplinks": [{"interface": "GigabitEthernet1/0/25", "members": ["GigabitEthernet1/0/25"],
                  "devices": {"10": "vx2v10", ...}}]}

``DataPlane.sync(view)`` makes the kernel follow the running configuration (the fleet calls it
whenever a switch's configuration changes):

* an access port is enslaved to the bridge of its access VLAN (a VLAN the switch does not have
  leaves the port in no bridge: inactive, as on a real switch); trunk or routed edge ports are
  in no bridge; ``shutdown`` / ``disable`` sets the port (and its voice sub-port) down;
* an uplink's VXLAN device of VLAN ``v`` is up while the uplink (its aggregate and at least one
  member) is enabled and its trunk carries ``v``;
* an ACL bound to a port becomes a chain of the nftables bridge table ``lab_acl``, in the ACL's
  order, first match wins: ``permit`` accepts, ``deny`` drops, and the implicit deny at the end
  drops. An IP ACL (IOS, EOS, NX-OS, AOS-CX, ProCurve) filters IPv4 only, so ARP and other
  non-IP frames pass, as on those switches; a Junos ``family ethernet-switching`` filter sees
  every frame (its ``ether-type arp`` term is what lets ARP through). ``in`` filters what the
  port receives, ``out`` what it sends.

``DataPlane.fdb_rows()`` / ``link_state()`` read the bridge FDB and the ports' carrier back:
the MAC table shows what the kernel learned, on the vendor port names (an uplink's VXLAN
devices are the uplink port), in the VLAN of the bridge that learned it.

Commands run through ``runner`` (``subprocess`` by default); the fleet runs as root.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import subprocess
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from lab.nos.base import Cfg, View
from lab.nos.ciscolike import ACE_RE

log = logging.getLogger("camguard.fakenos_fleet.dataplane")

SBIN = "/usr/sbin"
TABLE = "lab_acl"
AGEING_CS = 6_000_000  # as netns.AGEING_CS: entries stay while the lab is up

# argv, stdin -> (returncode, stdout, stderr)
Runner = Callable[[Sequence[str], Optional[str]], Tuple[int, str, str]]

# IANA service names the switch CLIs accept in ACEs (and the Junos port names)
PORT_NAMES = {
    "bootps": 67,
    "bootpc": 68,
    "dhcp": 67,
    "domain": 53,
    "dns": 53,
    "echo": 7,
    "ftp": 21,
    "ftp-data": 20,
    "ssh": 22,
    "telnet": 23,
    "smtp": 25,
    "tftp": 69,
    "www": 80,
    "http": 80,
    "ntp": 123,
    "snmp": 161,
    "snmptrap": 162,
    "https": 443,
    "syslog": 514,
    "rtsp": 554,
}
ETHER_TYPES = {"arp": "arp", "ipv4": "ip", "ip": "ip", "ipv6": "ip6", "vlan": "vlan"}


class DataPlaneError(RuntimeError):
    """A data-plane command failed, or an ACL cannot be expressed in nftables."""


def subprocess_runner(argv: Sequence[str], stdin: Optional[str] = None) -> Tuple[int, str, str]:
    proc = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, timeout=30, check=False)
    return proc.returncode, proc.stdout, proc.stderr


# -- what the configuration asks for -----------------------------------------------------------


@dataclass(frozen=True)
class PortWant:
    """Desired state of one data-plane device."""

    vlan: Optional[int]  # bridge membership (None: in no bridge)
    up: bool


def _enabled(ifc: Optional[Mapping[str, Any]]) -> bool:
    return bool(ifc is not None and ifc.get("enabled", True))


def wanted_ports(view: View, spec: Mapping[str, Any], devices: Sequence[str]) -> Dict[str, PortWant]:
    """Device -> desired state, for the devices that exist (``devices``) in the namespace."""
    cfg = Cfg(view)
    vlans = set(cfg.vlan_ids()) | {1}
    present = set(devices)
    out: Dict[str, PortWant] = {}
    for ifname, dev in (spec.get("ports") or {}).items():
        ifc = cfg.iface(ifname)
        if ifc is None:
            continue
        up = _enabled(ifc)
        vid: Optional[int] = None
        if ifc.get("mode", "access") == "access":
            vid = int(ifc.get("access_vlan") or 1)
            if vid not in vlans:
                vid = None  # the access VLAN does not exist: the port is inactive
        if dev in present:
            out[dev] = PortWant(vid, up)
        for sub in present:  # a phone's voice sub-port p<n>.<vid>
            m = re.fullmatch(re.escape(dev) + r"\.(\d+)", sub)
            if m:
                voice = int(m.group(1))
                out[sub] = PortWant(voice if voice in vlans else None, up)
    for up_link in spec.get("uplinks") or []:
        logical = cfg.iface(up_link.get("interface"))
        members = [cfg.iface(m) for m in up_link.get("members") or []]
        enabled = _enabled(logical) and (not members or any(_enabled(m) for m in members))
        allowed = {int(x) for x in (logical or {}).get("trunk_vlans") or []}
        mode = (logical or {}).get("mode", "trunk")
        for vid_s, dev in (up_link.get("devices") or {}).items():
            if dev not in present:
                continue
            vid = int(vid_s)
            carried = mode == "trunk" and (not allowed or vid in allowed) and vid in vlans
            out[dev] = PortWant(vid, enabled and carried)
    return out


# -- ACLs -> nftables --------------------------------------------------------------------------


def _port_value(token: str) -> int:
    t = token.lower()
    if t.isdigit() and 0 <= int(t) <= 65535:
        return int(t)
    if t in PORT_NAMES:
        return PORT_NAMES[t]
    raise DataPlaneError(f"unknown port name {token!r}")


def _port_match(proto: str, direction: str, text: str) -> str:
    """``eq bootpc`` / ``range 1 2`` / ``gt 1023`` -> ``udp sport 68``..."""
    words = text.split()
    if not words:
        return ""
    if proto not in ("tcp", "udp"):
        raise DataPlaneError(f"a port match needs tcp or udp, not {proto!r}")
    op = words[0].lower()
    if op == "range":
        return f"{proto} {direction} {_port_value(words[1])}-{_port_value(words[2])}"
    sym = {"eq": "", "gt": "> ", "lt": "< ", "neq": "!= "}[op]
    return f"{proto} {direction} {sym}{_port_value(words[1])}"


def _addr_match(field: str, text: str) -> str:
    """``any`` / ``host A`` / ``A/len`` / ``A WILDCARD`` -> an nftables address match."""
    t = text.strip().lower()
    if t == "any":
        return ""
    if t.startswith("host "):
        return f"ip {field} {ipaddress.IPv4Address(t[5:].strip())}"
    if "/" in t:
        return f"ip {field} {ipaddress.IPv4Network(t, strict=False)}"
    base_s, wild_s = t.split()
    base, wild = int(ipaddress.IPv4Address(base_s)), int(ipaddress.IPv4Address(wild_s))
    mask = ~wild & 0xFFFFFFFF
    prefix = bin(mask).count("1")
    if mask == (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF:
        return f"ip {field} {ipaddress.IPv4Network((base & mask, prefix))}"
    return f"ip {field} & {ipaddress.IPv4Address(mask)} == {ipaddress.IPv4Address(base & mask)}"


_ACE_TAIL_PORT = re.compile(r"(?:eq|gt|lt|neq) \S+|range \S+ \S+")


def ace_rule(text: str) -> Optional[str]:
    """One ACE in the common stored form (``permit udp any eq bootpc any eq bootps``) as an
    nftables rule; None for a remark."""
    t = " ".join(text.split()).lower()
    if t.startswith("remark"):
        return None
    m = ACE_RE.match(t)
    if not m:
        raise DataPlaneError(f"unsupported access-list entry {text!r}")
    action, proto, src, sport, dst, tail = m.groups()
    parts = ["ether type ip"]
    if proto in ("tcp", "udp"):
        parts.append(f"meta l4proto {proto}")
    elif proto == "icmp":
        parts.append("ip protocol icmp")
    elif proto.isdigit():
        parts.append(f"ip protocol {int(proto)}")
    parts += [_addr_match("saddr", src), _port_match(proto, "sport", sport or "")]
    parts.append(_addr_match("daddr", dst))
    rest = tail or ""
    for pm in _ACE_TAIL_PORT.finditer(rest):
        parts.append(_port_match(proto, "dport", pm.group(0)))
    if "established" in rest.split():
        parts.append("tcp flags & (ack | rst) != 0")
    parts.append("accept" if action == "permit" else "drop")
    return " ".join(p for p in parts if p)


IP_PROTOCOLS = ("icmp", "igmp", "tcp", "udp", "gre", "esp", "ah", "ospf", "pim", "vrrp", "sctp")


def _junos_value(key: str, value: str) -> str:
    v = value.lower()
    if key == "ether-type":
        if v in ETHER_TYPES:
            return f"ether type {ETHER_TYPES[v]}"
        if re.fullmatch(r"0x[0-9a-f]{1,4}|\d{1,5}", v):
            return f"ether type {int(v, 16) if v.startswith('0x') else int(v)}"
    elif key in ("protocol", "ip-protocol"):
        if v.isdigit() and int(v) <= 255:
            return f"ip protocol {int(v)}"
        if v in IP_PROTOCOLS:
            return f"ip protocol {v}"
    raise DataPlaneError(f"unsupported filter match {key} {value}")


def junos_term_rule(term: Mapping[str, Any]) -> str:
    """One term of a Junos ``family ethernet-switching`` filter as an nftables rule."""
    frm = term.get("from") or {}
    parts: List[str] = []
    proto = str(frm.get("ip-protocol") or frm.get("protocol") or "").lower()
    for key in ("ether-type", "ip-protocol", "protocol"):
        if frm.get(key):
            parts.append(_junos_value(key, str(frm[key])))
    for key, field in (
        ("source-address", "saddr"),
        ("ip-source-address", "saddr"),
        ("destination-address", "daddr"),
        ("ip-destination-address", "daddr"),
    ):
        addrs = frm.get(key) or []
        if addrs:
            nets = ", ".join(str(ipaddress.IPv4Network(a, strict=False)) for a in addrs)
            parts.append(f"ip {field} {{ {nets} }}")
    for key, direction in (("source-port", "sport"), ("destination-port", "dport")):
        if frm.get(key):
            port = _port_value(str(frm[key]))
            if proto in ("tcp", "udp"):
                parts.append(f"{proto} {direction} {port}")
            else:
                parts.append(f"meta l4proto {{ tcp, udp }} th {direction} {port}")
    then = str(term.get("then") or "accept").lower()
    parts.append("accept" if then == "accept" else "drop")
    return " ".join(parts)


def acl_rules(acl: Mapping[str, Any]) -> List[str]:
    """The chain body for one ACL (ending in its implicit deny)."""
    rules: List[str] = []
    if acl.get("type") == "junos-filter":
        rules += [junos_term_rule(t) for t in acl.get("entries", [])]
    else:
        rules.append("ether type != ip accept")  # an IP ACL does not filter non-IP frames (ARP)
        for e in acl.get("entries", []):
            r = ace_rule(str(e.get("text", "")))
            if r:
                rules.append(r)
    rules.append("drop")
    return rules


def ruleset(view: View, spec: Mapping[str, Any], devices: Sequence[str]) -> str:
    """The whole ``bridge lab_acl`` table for the ACLs bound to ports ('' when there are none)."""
    cfg = Cfg(view)
    present = set(devices)
    chains: List[Tuple[str, List[str]]] = []
    jumps: List[str] = []
    for ifname, dev in sorted((spec.get("ports") or {}).items(), key=lambda kv: kv[1]):
        ifc = cfg.iface(ifname)
        if ifc is None:
            continue
        devs = sorted(d for d in present if d == dev or re.fullmatch(re.escape(dev) + r"\.\d+", d))
        if not devs:
            continue
        names = ", ".join(f'"{d}"' for d in devs)
        for key, direction, match in (("acl_in", "in", "iifname"), ("acl_out", "out", "oifname")):
            name = ifc.get(key)
            if not name:
                continue
            acl = cfg.acl(str(name))
            chain = f"{direction}_{dev}"
            # a bound ACL that is not defined: IOS/EOS permit everything, Junos refuses the commit
            chains.append((chain, acl_rules(acl) if acl is not None else ["accept"]))
            jumps.append(f"{match} {{ {names} }} jump {chain}")
    if not chains:
        return ""
    lines = [f"table bridge {TABLE} {{", "  chain forward {", "    type filter hook forward priority 0; policy accept;"]
    lines += [f"    {j}" for j in jumps]
    lines.append("  }")
    for chain, rules in chains:
        lines.append(f"  chain {chain} {{")
        lines += [f"    {r}" for r in rules]
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- the FDB as the MAC table ------------------------------------------------------------------


def device_ports(spec: Mapping[str, Any]) -> Dict[str, str]:
    """Data-plane device -> vendor interface (access ports and uplink VXLAN devices)."""
    out = {dev: ifname for ifname, dev in (spec.get("ports") or {}).items()}
    for up_link in spec.get("uplinks") or []:
        for dev in (up_link.get("devices") or {}).values():
            out[dev] = up_link["interface"]
    return out


def fdb_rows(entries: Sequence[Mapping[str, Any]], spec: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """``bridge -j fdb show`` -> MAC-table rows ``{mac, vlan, interface, type}`` of learned MACs."""
    ports = device_ports(spec)
    rows: Dict[Tuple[str, int, str], Dict[str, Any]] = {}
    for e in entries:
        if not e.get("master") or e.get("state") == "permanent" or "self" in (e.get("flags") or []):
            continue
        dev = str(e.get("ifname") or "")
        base = dev.split(".", 1)[0] if re.fullmatch(r"p\d+\.\d+", dev) else dev
        ifname = ports.get(base)
        if ifname is None:
            continue
        if e.get("vlan") is not None:
            vlan = int(e["vlan"])
        else:
            m = re.fullmatch(r"br(\d+)", str(e.get("master")))
            if not m:
                continue
            vlan = int(m.group(1))
        mac = str(e.get("mac", "")).lower()
        rows[(mac, vlan, ifname)] = {"mac": mac, "vlan": vlan, "interface": ifname, "type": "dynamic"}
    return sorted(rows.values(), key=lambda r: (r["vlan"], r["mac"], r["interface"]))


# -- the data plane of one switch --------------------------------------------------------------


class DataPlane:
    """The data plane of one switch (``spec``: the view's ``dataplane`` block)."""

    def __init__(self, spec: Mapping[str, Any], runner: Runner = subprocess_runner) -> None:
        for key in ("netns", "ports"):
            if key not in spec:
                raise DataPlaneError(f"dataplane block without {key!r}")
        self.spec = dict(spec)
        self.ns = str(spec["netns"])
        self.model = str(spec.get("model") or "per_vlan")
        self.runner = runner
        self._applied: Optional[Tuple[Dict[str, PortWant], str]] = None
        self._ruleset = ""

    # commands
    def _run(self, *argv: str, stdin: Optional[str] = None, check: bool = True) -> str:
        rc, out, err = self.runner(list(argv), stdin)
        if check and rc != 0:
            raise DataPlaneError(f"{self.ns}: {' '.join(argv)}: {(err or out).strip()[-300:] or f'exit {rc}'}")
        return out

    def ip(self, *args: str, check: bool = True) -> str:
        return self._run(f"{SBIN}/ip", "-n", self.ns, *args, check=check)

    def links(self) -> List[Dict[str, Any]]:
        return list(json.loads(self.ip("-j", "link", "show") or "[]", strict=False))

    # state -> kernel
    def sync(self, view: View, force: bool = False) -> List[str]:
        """Make the kernel follow ``view``'s running configuration. Returns the commands run."""
        links = self.links()
        names = [str(d.get("ifname")) for d in links]
        want = wanted_ports(view, self.spec, names)
        rules = ruleset(view, self.spec, names)
        if not force and self._applied == (want, rules):
            return []
        done: List[str] = []
        by_name = {str(d.get("ifname")): d for d in links}
        bridges = {n for n in names if re.fullmatch(r"br\d+", n)}
        for dev, w in sorted(want.items()):
            cur = by_name.get(dev, {})
            if self.model == "vlan_aware":
                done += self._sync_vlan_aware(dev, w, cur)
            else:
                master = f"br{w.vlan}" if w.vlan is not None else None
                if master and master not in bridges:
                    self.ip(
                        "link",
                        "add",
                        master,
                        "type",
                        "bridge",
                        "ageing_time",
                        str(AGEING_CS),
                        "stp_state",
                        "0",
                        "mcast_snooping",
                        "0",
                    )
                    self.ip("link", "set", master, "up")
                    bridges.add(master)
                    done.append(f"create {master}")
                if cur.get("master") != master:
                    self.ip("link", "set", dev, *(["master", master] if master else ["nomaster"]))
                    done.append(f"{dev} {'master ' + master if master else 'nomaster'}")
            is_up = "UP" in (cur.get("flags") or [])
            if is_up != w.up:
                self.ip("link", "set", dev, "up" if w.up else "down")
                done.append(f"{dev} {'up' if w.up else 'down'}")
        if force or rules != self._ruleset:
            script = f"add table bridge {TABLE}\ndelete table bridge {TABLE}\n" + rules
            self._run(f"{SBIN}/ip", "netns", "exec", self.ns, f"{SBIN}/nft", "-f", "-", stdin=script)
            self._ruleset = rules
            done.append(f"nft table {TABLE}: {len(rules.splitlines())} lines")
        self._applied = (want, rules)
        if done:
            log.info("%s: %s", self.ns, "; ".join(done))
        return done

    def _sync_vlan_aware(self, dev: str, w: PortWant, cur: Mapping[str, Any]) -> List[str]:
        done: List[str] = []
        if cur.get("master") != "br0":
            self.ip("link", "set", dev, "master", "br0")
            done.append(f"{dev} master br0")
        out = self._run(f"{SBIN}/bridge", "-n", self.ns, "-j", "vlan", "show", "dev", dev)
        have = set()
        for item in json.loads(out or "[]", strict=False):
            for v in item.get("vlans", []):
                have.add(int(v["vlan"]))
        want = {w.vlan} if w.vlan is not None else set()
        for vid in sorted(have - want):
            self._run(f"{SBIN}/bridge", "-n", self.ns, "vlan", "del", "dev", dev, "vid", str(vid))
            done.append(f"{dev} vlan del {vid}")
        for vid in sorted(want - have):
            self._run(f"{SBIN}/bridge", "-n", self.ns, "vlan", "add", "dev", dev, "vid", str(vid), "pvid", "untagged")
            done.append(f"{dev} vlan {vid} pvid untagged")
        return done

    # kernel -> state
    def fdb_rows(self) -> List[Dict[str, Any]]:
        out = self._run(f"{SBIN}/bridge", "-n", self.ns, "-j", "fdb", "show")
        return fdb_rows(json.loads(out or "[]", strict=False), self.spec)

    def link_state(self, links: Optional[List[Dict[str, Any]]] = None) -> Dict[str, bool]:
        """Access port -> carrier (a port with no cable, or whose peer is down, is not connected)."""
        by_name = {str(d.get("ifname")): d for d in (links if links is not None else self.links())}
        return {
            ifname: "LOWER_UP" in (by_name.get(dev, {}).get("flags") or [])
            for ifname, dev in (self.spec.get("ports") or {}).items()
        }
