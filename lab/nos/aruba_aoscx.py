# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Aruba AOS-CX (10.x): renderers and the CLI (``vlan access N``, ``access-list ip NAME``,
``apply access-list ip NAME in``, ``write memory``)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Dict, List, Optional

from lab.nos.base import (
    Cfg,
    Session,
    Switch,
    View,
    connected,
    learned_macs,
    live_neighbors,
    mac_colon,
    one_line,
    vlan_compress,
)
from lab.nos.ciscolike import ACE_RE, ACL, ALL, CONF, IFC, CiscoLike


def _ports(view: View) -> List[Dict[str, Any]]:
    return [i for i in Cfg(view).interfaces if re.match(r"^(?:\d+/\d+/\d+|lag\d+)$", i["name"])]


def _svi(name: str) -> str:
    m = re.match(r"^[Vv]lan\s*(\d+)$", name or "")
    return f"vlan{m.group(1)}" if m else (name or "")


def render_mac_table(view: View) -> str:
    rows = sorted(learned_macs(view), key=lambda e: (e[1], e[0]))
    out = [
        "MAC age-time            : 300 seconds",
        f"Number of MAC addresses : {len(rows)}",
        "",
        "MAC Address          VLAN     Type                      Port",
        "--------------------------------------------------------------",
    ]
    for mac, vlan, ifname, kind in rows:
        out.append(f"{mac:<21}{vlan:<9}{kind:<26}{ifname}")
    return "\n".join(out)


def render_arp(view: View) -> str:
    macs = {m: i for m, _v, i, _k in learned_macs(view)}
    arp = view.get("arp", [])
    out = [
        "",
        "IPv4 Address     MAC                Port         Physical Port                                      State"
        "       VRF",
        "-" * 118,
    ]
    for e in arp:
        port = _svi(one_line(e.get("interface"), 40))
        phys = macs.get(mac_colon(e["mac"]), port)
        out.append(f"{e['ip']:<17}{mac_colon(e['mac']):<19}{port:<13}{phys:<51}{'reachable':<11}default")
    out += ["", f"Total Number Of ARP Entries Listed: {len(arp)}.", "-" * 118]
    return "\n".join(out)


def render_lldp(view: View) -> str:
    nbrs = live_neighbors(view)
    out = [
        "",
        "LLDP Neighbor Information",
        "=========================",
        "",
        f"Total Neighbor Entries          : {len(nbrs)}",
        "Total Neighbor Entries Deleted  : 0",
        "Total Neighbor Entries Dropped  : 0",
        "Total Neighbor Entries Aged-Out : 0",
        "",
        "LOCAL-PORT  CHASSIS-ID         PORT-ID                   PORT-DESC                 TTL      SYS-NAME",
        "-" * 100,
    ]
    for n in nbrs:
        cid = mac_colon(n["remote_mac"]) if n.get("remote_mac") else "00:00:00:00:00:00"
        port = one_line(n.get("remote_port"), 24)
        out.append(
            f"{n['local_interface']:<12}{cid:<19}{port:<26}{port:<26}{120:<9}{one_line(n.get('remote_name'), 64)}"
        )
    return "\n".join(out)


def render_lldp_detail(view: View) -> str:
    nbrs = live_neighbors(view)
    out = [
        "LLDP Neighbor Information ",
        "=========================",
        f"Total Neighbor Entries          : {len(nbrs)}",
        "Total Neighbor Entries Deleted  : 0",
        "Total Neighbor Entries Dropped  : 0",
        "Total Neighbor Entries Aged-Out : 0",
    ]
    for n in nbrs:
        cid = mac_colon(n["remote_mac"]) if n.get("remote_mac") else "00:00:00:00:00:00"
        caps = ", ".join(c.capitalize() for c in n.get("capabilities") or [])
        out += [
            "-" * 80,
            f"Port                           : {n['local_interface']}",
            "Neighbor Entries               : 1",
            "Neighbor Entries Deleted       : 0",
            "Neighbor Entries Dropped       : 0",
            "Neighbor Entries Aged-Out      : 0",
            f"Neighbor Chassis-Name          : {one_line(n.get('remote_name'), 64)}",
            f"Neighbor Chassis-Description   : {one_line(n.get('remote_description') or 'Linux', 200)}",
            f"Neighbor Chassis-ID            : {cid}",
            f"Neighbor Management-Address    : {one_line(n.get('remote_ip') or '', 40)}",
            f"Chassis Capabilities Available : {caps}",
            f"Chassis Capabilities Enabled   : {caps}",
            f"Neighbor Port-ID               : {one_line(n.get('remote_port'), 64)}",
            f"Neighbor Port-Desc             : {one_line(n.get('remote_port'), 64)}",
            "Neighbor Port VLAN ID          : ",
            "TTL                            : 120",
            "",
        ]
    return "\n".join(out)


def _vlan_info(i: Dict[str, Any]) -> tuple:  # type: ignore[type-arg]
    if i.get("mode") == "trunk":
        return "1", "trunk"
    if i.get("mode") == "routed":
        return "--", "routed"
    return str(i.get("access_vlan") or 1), "access"


def render_interface_brief(view: View) -> str:
    sep = "-" * 104
    out = [
        sep,
        "Port       Native  Mode   Type           Enabled Status  Reason                  Speed   Description",
        "           VLAN                                                                  (Mb/s)",
        sep,
    ]
    for i in _ports(view):
        if i.get("lag"):
            native, mode = "--", "--"
        else:
            native, mode = _vlan_info(i)
        enabled = "yes" if i.get("enabled", True) else "no"
        up = connected(view, i)
        status = "up" if up else "down"
        reason = "" if up else ("Administratively down" if not i.get("enabled", True) else "Waiting for link")
        typ = "--" if i.get("is_lag") else "1GbT"
        speed = str(i.get("speed") or "1000") if up else "--"
        out.append(
            f"{i['name']:<11}{native:<8}{mode:<7}{typ:<15}{enabled:<8}{status:<8}{reason:<24}{speed:<8}"
            f"{one_line(i.get('description'), 40) or '--'}"
        )
    return "\n".join(out)


def render_interface(view: View) -> str:
    cfg = Cfg(view)
    out = []
    for i in _ports(view):
        up = connected(view, i)
        word = "Aggregate" if i.get("is_lag") else "Interface"
        out += [
            f"{word} {i['name']} is {'up' if up else 'down'}",
            f" Admin state is {'up' if i.get('enabled', True) else 'down'}",
        ]
        if i.get("description"):
            out.append(f" Description: {one_line(i['description'])}")
        out += [
            " Hardware: Ethernet, MAC Address: " + mac_colon(view.get("base_mac") or "00:1e:bd:00:00:01"),
            " MTU 1500",
            " Type 1GbT",
            " Full-duplex",
            " qos trust none",
            f" Speed {i.get('speed') or 1000} Mb/s",
            " Auto-negotiation is on",
            " Flow-control: off",
            " Error-control: off",
        ]
        if i.get("is_lag"):
            out.append(" Aggregated-interfaces : " + " ".join(m["name"] for m in cfg.members(i["name"])))
        if i.get("mode") == "trunk":
            tv = i.get("trunk_vlans") or []
            out += [
                " VLAN Mode: native-untagged",
                " Native VLAN: 1",
                f" Allowed VLAN List: {vlan_compress(tv) if tv else 'all'}",
            ]
        elif i.get("mode", "access") == "access" and not i.get("lag"):
            out += [" VLAN Mode: access", f" Access VLAN: {int(i.get('access_vlan') or 1)}"]
        out += [" Rate collection interval: 300 seconds", ""]
    return "\n".join(out)


def render_vlan(view: View) -> str:
    cfg = Cfg(view)
    sep = "-" * 114
    out = [sep, "VLAN  Name                              Status  Reason                  Type        Interfaces", sep]
    for vid in sorted(set([1, *cfg.vlan_ids()])):
        ports = []
        for i in _ports(view):
            if i.get("lag"):
                continue
            if (i.get("mode") == "trunk" and (not i.get("trunk_vlans") or vid in i["trunk_vlans"])) or (
                i.get("mode", "access") == "access" and int(i.get("access_vlan") or 1) == vid
            ):
                ports.append(i["name"])
        name = "DEFAULT_VLAN_1" if vid == 1 else cfg.vlan_name(vid)
        out.append(f"{vid:<6}{name:<34}{'up':<8}{'ok':<24}{'default' if vid == 1 else 'static':<12}{','.join(ports)}")
    return "\n".join(out)


def render_lacp(view: View) -> str:
    cfg = Cfg(view)
    out = []
    for lag in [i for i in cfg.interfaces if i.get("is_lag")]:
        out += [
            f"Aggregate name                  : {lag['name']}",
            f"Interfaces                      : {' '.join(m['name'] for m in cfg.members(lag['name']))}",
            "Heartbeat rate                  : Slow",
            "Hash                            : l3-src-dst",
            "Aggregate mode                  : Active",
            "",
        ]
    return "\n".join(out)


def _acl_ace(text: str) -> str:
    # stored as "permit ip host A any"; AOS-CX prints "permit any A any"
    m = re.match(r"^(permit|deny) (\S+) (.*)$", text)
    if not m:
        return text
    proto = "any" if m.group(2) == "ip" else m.group(2)
    rest = re.sub(r"host (\d+\.\d+\.\d+\.\d+)", r"\1", m.group(3))
    rest = re.sub(
        r"(\d+\.\d+\.\d+\.\d+)/(\d{1,2})\b",
        lambda x: f"{x.group(1)}/{ipaddress.ip_network(f'0.0.0.0/{x.group(2)}').netmask}",
        rest,
    )
    return f"{m.group(1)} {proto} {rest}"


def render_running(data: View, version: str = "FL.10.10.1010") -> str:
    cfg = Cfg(data)
    out = [
        "Current configuration:",
        "!",
        f"!Version ArubaOS-CX {version}",
        "!export-password: default",
        f"hostname {one_line(data.get('hostname'), 63)}",
        "!",
        "ssh server vrf mgmt",
        "!",
    ]
    for name, acl in sorted((data.get("acls") or {}).items()):
        if isinstance(acl, dict):
            out.append(f"access-list ip {one_line(name, 64)}")
            out += [f"    {int(e['seq'])} {_acl_ace(one_line(e['text'], 200))}" for e in acl.get("entries", [])]
    out.append(f"vlan {vlan_compress([1, *cfg.vlan_ids()])}")
    for vid in cfg.vlan_ids():
        if vid != 1:
            out += [f"vlan {vid}", f"    name {cfg.vlan_name(vid)}"]
    for i in [x for x in _ports(data) if x.get("is_lag")] + [x for x in _ports(data) if not x.get("is_lag")]:
        name = i["name"].replace("lag", "lag ") if i.get("is_lag") else i["name"]
        out.append(f"interface {name}")
        out.append("    no shutdown" if i.get("enabled", True) else "    shutdown")
        if i.get("description"):
            out.append(f"    description {one_line(i['description'])}")
        if i.get("lag"):
            out.append(f"    lag {re.sub(r'[^0-9]', '', i['lag'])}")
        elif i.get("mode") == "trunk":
            out += ["    no routing", "    vlan trunk native 1"]
            if i.get("trunk_vlans"):
                out.append(f"    vlan trunk allowed {vlan_compress(i['trunk_vlans'])}")
            if i.get("is_lag"):
                out.append("    lacp mode active")
        elif i.get("mode", "access") == "access":
            out += ["    no routing", f"    vlan access {int(i.get('access_vlan') or 1)}"]
        if i.get("acl_in"):
            out.append(f"    apply access-list ip {one_line(i['acl_in'], 64)} in")
        out.append("    exit")
    out += ["!", "https-server vrf mgmt"]
    return "\n".join(out)


def render_version(view: View) -> str:
    ver = one_line(view.get("version") or "FL.10.10.1010", 40)
    return "\n".join(
        [
            "-----------------------------------------------------------------------------",
            "ArubaOS-CX",
            "(c) Copyright 2017-2022 Hewlett Packard Enterprise Development LP",
            "-----------------------------------------------------------------------------",
            f"Version      : {ver}",
            "Build Date   : 2022-06-07 17:39:11 UTC",
            "Build ID     : ArubaOS-CX:FL.10.10.1010:1a8ec6d4d3b5:202206071719",
            "Build SHA    : 1a8ec6d4d3b5c7c6c8d0a8f1e9b3e7f1b2a0c4d5",
            "Active Image : primary",
            "",
            "Service OS Version : FL.01.09.0003",
            "BIOS Version       : FL.01.0002",
        ]
    )


_CX_ADDR = r"any|\d+\.\d+\.\d+\.\d+(?:/(?:\d{1,2}|\d+\.\d+\.\d+\.\d+))?"
_CX_PORT = r"(?: (?:eq|gt|lt|neq) \S+| range \S+ \S+)"
_CX_ACE = re.compile(
    rf"(?P<act>permit|deny) (?P<proto>any|ip|tcp|udp|icmp|\d{{1,3}}) (?P<src>{_CX_ADDR})(?P<sport>{_CX_PORT})? "
    rf"(?P<dst>{_CX_ADDR})(?P<tail>(?:{_CX_PORT}| count| log)*)",
    re.IGNORECASE,
)


def _cx_addr(a: str) -> Optional[str]:
    """An AOS-CX address (``any``, ``A``, ``A/24``, ``A/255.255.255.0``) in the common form."""
    if a.lower() == "any":
        return "any"
    ip, _unused, mask = a.partition("/")
    try:
        net = ipaddress.ip_network(f"{ip}/{mask or 32}", strict=False)
    except ValueError:
        return None
    return f"host {ip}" if net.prefixlen == 32 else f"{net.network_address}/{net.prefixlen}"


class ArubaAOSCX(CiscoLike):
    name = "aruba_aoscx"
    config_banner = ""

    def render_running(self, data: View, sw: Switch) -> str:
        return render_running(data, str(sw.view.get("version") or "FL.10.10.1010"))

    def mode_prompt(self, sw: Switch, s: Session) -> str:
        suffix = {
            "exec": "",
            "config": "(config)",
            "config-if": "(config-if)",
            "config-acl": "(config-acl-ip)",
            "config-vlan": f"(config-vlan-{s.ctx})",
        }.get(s.mode, "(config)")
        return f"{sw.hostname}{suffix}#"

    def invalid(self, line: str, s: Session) -> str:
        from lab.nos.base import first_bad_token

        toks = line.split()
        bad = first_bad_token(line, self._vocab)
        return f"Invalid input: {one_line(toks[bad] if toks else line, 80)}"

    def vlan_created_message(self, vid: int) -> str:
        return ""

    def h_save(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        sw.view["startup_config"] = self.render_running(sw.view, sw)
        sw.persist()
        return "Copying configuration: [Success]"

    def h_aoscx_ace(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        # AOS-CX: "10 permit udp any eq 68 any eq 67", "20 permit any any 10.66.10.20/255.255.255.255"
        # -> stored in the common form ("permit udp any eq 68 any eq 67", "permit ip any host 10.66.10.20")
        mm = _CX_ACE.fullmatch(m.group("body"))
        if not mm:
            return self.invalid(raw.strip(), s)
        src, dst = _cx_addr(mm.group("src")), _cx_addr(mm.group("dst"))
        if src is None or dst is None:
            return self.invalid(raw.strip(), s)
        proto = "ip" if mm.group("proto").lower() == "any" else mm.group("proto").lower()
        text = f"{mm.group('act').lower()} {proto} {src}{mm.group('sport') or ''} {dst}{mm.group('tail') or ''}"
        if not ACE_RE.match(text):
            return self.invalid(raw.strip(), s)
        seq = m.group("seq")
        self.cfg(sw, s).add_ace(str(s.ctx), text, int(seq) if seq else None)
        self.changed(sw, s)
        return ""

    def setup_commands(self) -> None:
        a = self.add
        a(r"no page|ter[[minal]] (?:len[[gth]]|wid[[th]]) \d+|ter[[minal-length]] \d+", ALL)(self.h_noop)
        a(r"wr[[ite]] m[[emory]]|cop[[y]] ru[[nning-config]] st[[artup-config]]", ALL)(self.h_save)
        a(r"(?:(?P<seq>\d+) )?(?P<body>(?:permit|deny) .+)", ACL)(self.h_aoscx_ace)
        self.register_common_config(r"access-l[[ist]] ip (?P<name>\S+)")
        a(r"no access-l[[ist]] ip (?P<name>\S+)", CONF)(self.h_no_acl)
        a(r"vlan acc[[ess]] (?P<vid>\d+)", IFC)(self.h_access_vlan)
        a(r"no vlan acc[[ess]](?: \d+)?", IFC)(self.h_no_access_vlan)
        a(r"vlan trunk allowed (?:(?P<op>add|remove) )?(?P<vids>[\d,-]+)", IFC)(self.h_trunk_allowed)
        a(r"no routing|routing", IFC)(self.h_noop)
        a(r"apply access-l[[ist]] ip (?P<name>\S+) (?P<dir>in|out)", IFC)(self.h_access_group)
        a(r"no apply access-l[[ist]] ip(?: (?P<name>\S+))? (?P<dir>in|out)", IFC)(self.h_no_access_group)
        sh = r"sh[[ow]] "
        for spec, fn in (
            (r"mac-a[[ddress-table]]", render_mac_table),
            (r"ar[[p]](?: a[[ll-vrfs]])?", render_arp),
            (r"ll[[dp]] n[[eighbor-info]] d[[etail]]|ll[[dp]] neighbors?-info d[[etail]]", render_lldp_detail),
            (r"ll[[dp]] n[[eighbor-info]]", render_lldp),
            (r"int[[erface]] b[[rief]]", render_interface_brief),
            (r"int[[erface]]", render_interface),
            (r"vl[[an]]", render_vlan),
            (r"lac[[p]] a[[ggregates]]", render_lacp),
            (r"ver[[sion]]", render_version),
        ):
            a(sh + spec, ALL)(lambda sw, s, m, r, fn=fn: fn(sw.view))
        a(sh + r"ru[[nning-config]]", ALL)(lambda sw, s, m, r: self.render_running(sw.view, sw))
