# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cisco NX-OS (Nexus 9000, 9.3): renderers and the CLI (``ip access-list NAME``,
``ip port access-group NAME in``)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from lab.nos.base import (
    CAP_LETTERS,
    Cfg,
    Session,
    Switch,
    View,
    caret_line,
    connected,
    first_bad_token,
    learned_macs,
    live_neighbors,
    mac_dot,
    one_line,
    vlan_compress,
)
from lab.nos.ciscolike import ALL, EXEC, IFC, CiscoLike


def short(name: str) -> str:
    m = re.match(r"^([A-Za-z-]+)(\d.*)$", name)
    if not m:
        return name
    return {"Ethernet": "Eth", "port-channel": "Po", "Vlan": "Vlan"}.get(m.group(1), m.group(1)) + m.group(2)


def _ports(view: View) -> List[Dict[str, Any]]:
    return [i for i in Cfg(view).interfaces if i["name"].startswith(("Ethernet", "port-channel"))]


def _status(view: View, i: Dict[str, Any]) -> str:
    if not i.get("enabled", True):
        return "disabled"
    return "connected" if connected(view, i) else "notconnec"


def render_mac_table(view: View) -> str:
    out = [
        "Legend: ",
        "        * - primary entry, G - Gateway MAC, (R) - Routed MAC, O - Overlay MAC",
        "        age - seconds since last seen,+ - primary entry using vPC Peer-Link,",
        "        (T) - True, (F) - False, C - ControlPlane MAC, ~ - vsan",
        "   VLAN     MAC Address      Type      age     Secure NTFY Ports",
        "---------+-----------------+--------+---------+------+----+------------------",
    ]
    base = view.get("base_mac") or "00:1e:bd:00:00:01"
    for vid in sorted({int(e.get("access_vlan") or 1) for e in _ports(view)} | set(Cfg(view).vlan_ids())):
        out.append(f"G {vid:>5}     {mac_dot(base)}   static   -         F      F    sup-eth1(R)")
    for mac, vlan, ifname, kind in sorted(learned_macs(view), key=lambda e: (e[1], e[0])):
        age = "0" if kind == "dynamic" else "-"
        out.append(f"* {vlan:>5}     {mac_dot(mac)}   {kind:<8} {age:<9} F      F    {short(ifname)}")
    return "\n".join(out)


_ARP_FLAGS = [
    "",
    "Flags: * - Adjacencies learnt on non-active FHRP router",
    "       + - Adjacencies synced via CFSoE",
    "       # - Adjacencies Throttled for Glean",
    "       CP - Added via L2RIB, Control plane Adjacencies",
    "       PS - Added via L2RIB, Peer Sync",
    "       RO - Re-Originated Peer Sync Entry",
    "",
]


def render_arp(view: View, detail: bool = False) -> str:
    arp = view.get("arp", [])
    macs = {m: i for m, _v, i, _k in learned_macs(view)}
    out = [*list(_ARP_FLAGS), "IP ARP Table for all contexts", f"Total number of entries: {len(arp)}"]
    if detail:
        out.append("Address         Age       MAC Address     Interface        Physical Interface  Flags")
    else:
        out.append("Address         Age       MAC Address     Interface       Flags")
    for e in arp:
        ifname = one_line(e.get("interface") or "", 40)
        phys = macs.get(e["mac"].lower(), ifname)
        if detail:
            out.append(f"{e['ip']:<16}{'00:01:12':<10}{mac_dot(e['mac']):<16}{ifname:<17}{phys:<20}")
        else:
            out.append(f"{e['ip']:<16}{'00:01:12':<10}{mac_dot(e['mac']):<16}{ifname:<16}")
    return "\n".join(out)


def render_interfaces_status(view: View) -> str:
    sep = "-" * 80
    out = ["", sep, "Port          Name               Status    Vlan      Duplex  Speed   Type", sep]
    for i in _ports(view):
        st = _status(view, i)
        vlan = (
            "trunk"
            if i.get("mode") == "trunk" or i.get("lag")
            else ("routed" if i.get("mode") == "routed" else str(i.get("access_vlan") or 1))
        )
        up = st == "connected"
        name = one_line(i.get("description"), 18) or "--"
        speed = str(i.get("speed") or "1000") if up else "auto"
        typ = "--" if i.get("is_lag") else "1000base-T"
        out.append(f"{short(i['name']):<14}{name:<19}{st:<10}{vlan:<10}{'full' if up else 'auto':<8}{speed:<8}{typ}")
    return "\n".join(out)


def render_switchport(view: View) -> str:
    cfg = Cfg(view)
    out = []
    for i in _ports(view):
        if i.get("mode") == "routed":
            continue
        av = int(i.get("access_vlan") or 1)
        tv = i.get("trunk_vlans") or []
        out += [
            f"Name: {i['name']}",
            "  Switchport: Enabled",
            "  Switchport Monitor: Not enabled ",
            "  Switchport Isolated : Disabled ",
            "  Switchport Block Multicast: Not enabled ",
            "  Switchport Block Unicast: Not enabled ",
            f"  Operational Mode: {'trunk' if i.get('mode') == 'trunk' else 'access'}",
            f"  Access Mode VLAN: {av} ({'default' if av == 1 else cfg.vlan_name(av)})",
            "  Trunking Native Mode VLAN: 1 (default)",
            f"  Trunking VLANs Allowed: {vlan_compress(tv) if tv else '1-4094'}",
            "  Administrative private-vlan primary host-association: none",
            "  Administrative private-vlan secondary host-association: none",
            "  Administrative private-vlan primary mapping: none",
            "  Administrative private-vlan secondary mapping: none",
            "  Administrative private-vlan trunk native VLAN: none",
            "  Administrative private-vlan trunk encapsulation: dot1q",
            "  Administrative private-vlan trunk normal VLANs: none",
            "  Administrative private-vlan trunk private VLANs: none",
            "  Operational private-vlan: none",
        ]
    return "\n".join(out)


def render_port_channel(view: View) -> str:
    cfg = Cfg(view)
    sep = "-" * 80
    out = [
        "Flags:  D - Down        P - Up in port-channel (members)",
        "        I - Individual  H - Hot-standby (LACP only)",
        "        s - Suspended   r - Module-removed",
        "        b - BFD Session Wait",
        "        S - Switched    R - Routed",
        "        U - Up (port-channel)",
        "        p - Up in delay-lacp mode (member)",
        "        M - Not in use. Min-links not met",
        sep,
        "Group Port-       Type     Protocol  Member Ports",
        "      Channel",
        sep,
    ]
    for lag in [i for i in cfg.interfaces if i.get("is_lag")]:
        up = connected(view, lag)
        num = re.sub(r"\D", "", lag["name"])
        mem = "    ".join(
            f"{short(m['name'])}({'P' if up and m.get('enabled', True) else 'D'})" for m in cfg.members(lag["name"])
        )
        out.append(f"{num:<6}{short(lag['name']) + ('(SU)' if up else '(SD)'):<12}{'Eth':<9}{'LACP':<10}{mem}")
    return "\n".join(out)


def _caps(n: Dict[str, Any]) -> str:
    return ", ".join(CAP_LETTERS.get(c, "O") for c in n.get("capabilities") or []) or "S"


def render_lldp_detail(view: View) -> str:
    out = [
        "Capability codes:",
        "  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "Device ID            Local Intf      Hold-time  Capability  Port ID  ",
        "",
    ]
    nbrs = live_neighbors(view)
    for n in nbrs:
        port = one_line(n.get("remote_port"), 64)
        out += [
            f"Chassis id: {mac_dot(n['remote_mac']) if n.get('remote_mac') else '0000.0000.0000'}",
            f"Port id: {port}",
            f"Local Port id: {short(n['local_interface'])}",
            f"Port Description: {port}",
            f"System Name: {one_line(n.get('remote_name'), 64)}",
            f"System Description: {one_line(n.get('remote_description') or 'Linux', 200)}",
            "Time remaining: 101 seconds",
            f"System Capabilities: {_caps(n)}",
            f"Enabled Capabilities: {_caps(n)}",
            "Management Address: not advertised",
            "Management Address IPV6: not advertised",
            "Vlan ID: not advertised",
            "",
        ]
    out.append(f"\nTotal entries displayed: {len(nbrs)}")
    return "\n".join(out)


def render_lldp(view: View) -> str:
    nbrs = live_neighbors(view)
    out = [
        "Capability codes:",
        "  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "Device ID            Local Intf      Hold-time  Capability  Port ID  ",
    ]
    for n in nbrs:
        caps = "".join(CAP_LETTERS.get(c, "O") for c in n.get("capabilities") or [])
        out.append(
            f"{one_line(n.get('remote_name'), 20):<21}{short(n['local_interface']):<16}{120:<11}{caps:<12}"
            f"{one_line(n.get('remote_port'), 40)}"
        )
    out += ["", f"Total entries displayed: {len(nbrs)}"]
    return "\n".join(out)


def render_cdp_detail(view: View) -> str:
    out = []
    for n in live_neighbors(view):
        caps = " ".join({"bridge": "Switch", "router": "Router"}.get(c, "Host") for c in n.get("capabilities") or [])
        out += [
            "----------------------------------------",
            f"Device ID:{one_line(n.get('remote_name'), 64)}",
            f"System Name: {one_line(n.get('remote_name'), 64)}",
            "",
            "Interface address(es):",
            f"    IPv4 Address: {one_line(n.get('remote_ip') or '0.0.0.0', 40)}",  # noqa: S104 - text, not a bind
            f"Platform: Linux, Capabilities: {caps}",
            f"Interface: {n['local_interface']}, Port ID (outgoing port): {one_line(n.get('remote_port'), 64)}",
            "Holdtime: 150 sec",
            "",
            "Version:",
            one_line(n.get("remote_description") or "Linux", 200),
            "",
            "Advertisement Version: 2",
            "",
            "Native VLAN: 1",
            "Duplex: full",
            "",
        ]
    return "\n".join(out)


def render_vlan(view: View) -> str:
    cfg = Cfg(view)
    out = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    for vid in sorted(set([1, *cfg.vlan_ids()])):
        ports = [
            short(i["name"])
            for i in _ports(view)
            if (i.get("mode") == "trunk" and not i.get("lag") and (not i.get("trunk_vlans") or vid in i["trunk_vlans"]))
            or (i.get("mode", "access") == "access" and not i.get("lag") and int(i.get("access_vlan") or 1) == vid)
        ]
        name = "default" if vid == 1 else cfg.vlan_name(vid)
        chunks = [", ".join(ports[k : k + 4]) for k in range(0, len(ports), 4)] or [""]
        out.append(f"{vid:<5}{name:<33}{'active':<10}{chunks[0]}".rstrip())
        out += [" " * 48 + c for c in chunks[1:]]
    return "\n".join(out)


def render_running(data: View, version: str = "9.3(9)") -> str:
    cfg = Cfg(data)
    out = [
        "",
        "!Command: show running-config",
        "!Running configuration last done at: Mon Nov 30 09:00:00 2026",
        "!Time: Mon Nov 30 09:00:00 2026",
        "",
        f"version {version} Bios:version 07.69",
        f"hostname {one_line(data.get('hostname'), 63)}",
        "feature lacp",
        "feature lldp",
        "",
    ]
    for name, acl in sorted((data.get("acls") or {}).items()):
        if isinstance(acl, dict):
            out.append(f"ip access-list {one_line(name, 64)}")
            out += [f"  {int(e['seq'])} {one_line(e['text'], 200)}" for e in acl.get("entries", [])]
    out.append(f"vlan {vlan_compress([1, *cfg.vlan_ids()])}")
    for vid in cfg.vlan_ids():
        if vid != 1:
            out += [f"vlan {vid}", f"  name {cfg.vlan_name(vid)}"]
    out.append("")
    for i in [x for x in cfg.interfaces if x.get("is_lag")] + [x for x in cfg.interfaces if not x.get("is_lag")]:
        out.append(f"interface {i['name']}")
        if i.get("description"):
            out.append(f"  description {one_line(i['description'])}")
        if i.get("mode") == "trunk":
            out.append("  switchport mode trunk")
            if i.get("trunk_vlans"):
                out.append(f"  switchport trunk allowed vlan {vlan_compress(i['trunk_vlans'])}")
        elif i.get("mode") == "routed":
            out.append("  no switchport")
        elif int(i.get("access_vlan") or 1) != 1:
            out.append(f"  switchport access vlan {int(i['access_vlan'])}")
        if i.get("acl_in"):
            out.append(f"  ip port access-group {one_line(i['acl_in'], 64)} in")
        if i.get("lag"):
            out.append(f"  channel-group {re.sub(r'[^0-9]', '', i['lag'])} mode active")
        if not i.get("enabled", True):
            out.append("  shutdown")
        out.append("")
    out += ["line console", "line vty", ""]
    return "\n".join(out)


def render_version(view: View) -> str:
    ver = one_line(view.get("version") or "9.3(9)", 40)
    host = one_line(view.get("hostname") or view.get("name"), 63)
    return "\n".join(
        [
            "Cisco Nexus Operating System (NX-OS) Software",
            "TAC support: http://www.cisco.com/tac",
            "Copyright (C) 2002-2021, Cisco and/or its affiliates.",
            "All rights reserved.",
            "",
            "Software",
            "  BIOS: version 07.69",
            f" NXOS: version {ver}",
            "  BIOS compile time:  04/08/2021",
            f"  NXOS image file is: bootflash:///nxos.{ver.replace('(', '.').replace(')', '')}.bin",
            "  NXOS compile time:  12/22/2021 2:00:00 [12/22/2021 10:35:03]",
            "",
            "",
            "Hardware",
            "  cisco Nexus9000 C93180YC-FX Chassis",
            "  Intel(R) Xeon(R) CPU  D-1528 @ 1.90GHz with 24632080 kB of memory.",
            "  Processor Board ID FDO22281234",
            "",
            f"  Device name: {host}",
            "  bootflash:  115805708 kB",
            "Kernel uptime is 9 day(s), 3 hour(s), 4 minute(s), 5 second(s)",
            "",
            "Last reset ",
            "  Reason: Unknown",
            "",
        ]
    )


class CiscoNXOS(CiscoLike):
    name = "cisco_nxos"
    config_banner = "Enter configuration commands, one per line. End with CNTL/Z."

    def short(self, name: str) -> str:
        return short(name)

    def render_running(self, data: View, sw: Switch) -> str:
        return render_running(data, str(sw.view.get("version") or "9.3(9)"))

    def mode_prompt(self, sw: Switch, s: Session) -> str:
        suffix = {
            "exec": "",
            "config": "(config)",
            "config-if": "(config-if)",
            "config-acl": "(config-acl)",
            "config-vlan": "(config-vlan)",
        }.get(s.mode, "(config)")
        return f"{sw.hostname}{suffix}#"

    def invalid(self, line: str, s: Session) -> str:
        bad = first_bad_token(line, self._vocab)
        return caret_line(str(s.data.get("prompt", "")), line, bad) + "\n% Invalid command at '^' marker."

    def vlan_created_message(self, vid: int) -> str:
        return ""

    def h_save(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        sw.view["startup_config"] = self.render_running(sw.view, sw)
        sw.persist()
        return "[########################################] 100%\nCopy complete, now saving to disk (please wait)...\nCopy complete."

    def setup_commands(self) -> None:
        a = self.add
        a(r"ter[[minal]] (?:len[[gth]]|wid[[th]]) \d+", ALL)(self.h_noop)
        a(r"cop[[y]] ru[[nning-config]] st[[artup-config]]", EXEC)(self.h_save)
        self.register_common_config(r"ip access-l[[ist]] (?P<name>\S+)")
        a(r"no ip access-l[[ist]] (?P<name>\S+)", ("config",))(self.h_no_acl)
        a(r"ip port access-g[[roup]] (?P<name>\S+) (?P<dir>in)", IFC)(self.h_access_group)
        a(r"no ip port access-g[[roup]](?: (?P<name>\S+))? (?P<dir>in)", IFC)(self.h_no_access_group)
        sh = r"sh[[ow]] "
        for spec, fn in (
            (r"mac address-t[[able]]", render_mac_table),
            (r"ip ar[[p]](?: vrf all)?", render_arp),
            (r"ip ar[[p]] det[[ail]](?: vrf all)?", lambda v: render_arp(v, detail=True)),
            (r"ll[[dp]] n[[eighbors]] d[[etail]]", render_lldp_detail),
            (r"ll[[dp]] n[[eighbors]]", render_lldp),
            (r"cd[[p]] n[[eighbors]] d[[etail]]", render_cdp_detail),
            (r"int[[erface]] st[[atus]]", render_interfaces_status),
            (r"int[[erface]] sw[[itchport]]", render_switchport),
            (r"port-c[[hannel]] s[[ummary]]", render_port_channel),
            (r"vl[[an]](?: b[[rief]])?", render_vlan),
            (r"ver[[sion]]", render_version),
        ):
            a(sh + spec, ALL)(lambda sw, s, m, r, fn=fn: fn(sw.view))
        a(sh + r"ru[[nning-config]]", ALL)(lambda sw, s, m, r: self.render_running(sw.view, sw))
        a(sh + r"star[[tup-config]]", ALL)(lambda sw, s, m, r: str(sw.view.get("startup_config") or ""))
