# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cisco IOS (Catalyst 2960-X / 15.2 style): renderers of the ``show`` outputs and the CLI."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from lab.nos.base import (
    CAP_LETTERS,
    Cfg,
    Session,
    Switch,
    View,
    connected,
    learned_macs,
    live_neighbors,
    mac_dot,
    one_line,
    vlan_compress,
)
from lab.nos.ciscolike import ALL, EXEC, IFC, CiscoLike

_SHORT = {
    "GigabitEthernet": "Gi",
    "FastEthernet": "Fa",
    "TenGigabitEthernet": "Te",
    "TwoGigabitEthernet": "Tw",
    "FiveGigabitEthernet": "Fi",
    "TwentyFiveGigE": "Twe",
    "FortyGigabitEthernet": "Fo",
    "HundredGigE": "Hu",
    "Port-channel": "Po",
    "Vlan": "Vl",
}


def short(name: str) -> str:
    m = re.match(r"^([A-Za-z-]+)(\d.*)$", name)
    if not m:
        return name
    return _SHORT.get(m.group(1), m.group(1)) + m.group(2)


def _speed(ifc: Dict[str, Any]) -> str:
    return str(ifc.get("speed") or "1000")


def _ports(view: View) -> List[Dict[str, Any]]:
    return [i for i in Cfg(view).interfaces if not i["name"].startswith(("Vlan", "Loopback"))]


# -- renderers ---------------------------------------------------------------------------------


def render_mac_table(
    view: View,
    vlan: Optional[int] = None,
    iface: Optional[str] = None,
    dynamic_only: bool = False,
    mac: Optional[str] = None,
) -> str:
    rows = []
    if not (vlan or iface or dynamic_only or mac):
        for cpu in ("0100.0ccc.cccc", "0100.0ccc.cccd", "0180.c200.0000", "0180.c200.0002", "ffff.ffff.ffff"):
            rows.append(f" All    {cpu}    {'STATIC':<8}    CPU")
    n = 0
    for m, v, ifname, kind in sorted(learned_macs(view), key=lambda e: (e[1], e[0])):
        if vlan is not None and v != vlan:
            continue
        if iface is not None and ifname != iface:
            continue
        if dynamic_only and kind != "dynamic":
            continue
        if mac is not None and mac_dot(m) != mac_dot(mac):
            continue
        rows.append(f"{v:>4}    {mac_dot(m)}    {kind.upper():<8}    {short(ifname)}")
        n += 1
    total = len(rows)
    head = [
        "          Mac Address Table",
        "-------------------------------------------",
        "",
        "Vlan    Mac Address       Type        Ports",
        "----    -----------       --------    -----",
    ]
    return "\n".join(head + rows + [f"Total Mac Addresses for this criterion: {total}"])


def render_arp(view: View) -> str:
    lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    for e in view.get("arp", []):
        age = str(e.get("age", "0"))
        ifname = one_line(e.get("interface") or "", 40)
        lines.append(f"Internet  {e['ip']:<15}  {age:>8}   {mac_dot(e['mac'])}  ARPA   {ifname}")
    return "\n".join(lines)


def _caps(n: Dict[str, Any]) -> str:
    return ",".join(CAP_LETTERS.get(c, "O") for c in n.get("capabilities") or []) or "S"


def render_lldp_detail(view: View) -> str:
    out = []
    nbrs = live_neighbors(view)
    for n in nbrs:
        rmac = mac_dot(n["remote_mac"]) if n.get("remote_mac") else "0000.0000.0000"
        port = one_line(n.get("remote_port"), 64)
        out += [
            "------------------------------------------------",
            f"Local Intf: {short(n['local_interface'])}",
            f"Chassis id: {rmac}",
            f"Port id: {port}",
            f"Port Description: {one_line(n.get('remote_port_description') or port, 64)}",
            f"System Name: {one_line(n.get('remote_name'), 64)}",
            "",
            "System Description: ",
            one_line(n.get("remote_description") or "Linux", 200),
            "",
            "Time remaining: 101 seconds",
            f"System Capabilities: {_caps(n)}",
            f"Enabled Capabilities: {_caps(n)}",
            "Management Addresses - not advertised",
            "Auto Negotiation - not supported",
            "Physical media capabilities - not advertised",
            "Media Attachment Unit type - not advertised",
            "Vlan ID: - not advertised",
            "",
        ]
    out.append(f"\nTotal entries displayed: {len(nbrs)}")
    return "\n".join(out)


def render_lldp(view: View) -> str:
    nbrs = live_neighbors(view)
    out = [
        "Capability codes:",
        "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "",
        "Device ID           Local Intf     Hold-time  Capability      Port ID",
    ]
    for n in nbrs:
        out.append(
            f"{one_line(n.get('remote_name'), 20):<20}{short(n['local_interface']):<15}"
            f"{120:<11}{_caps(n):<16}{one_line(n.get('remote_port'), 40)}"
        )
    out += ["", f"Total entries displayed: {len(nbrs)}"]
    return "\n".join(out)


def render_cdp_detail(view: View) -> str:
    out = []
    for n in live_neighbors(view):
        caps = " ".join(
            {"bridge": "Switch", "router": "Router", "telephone": "Phone", "station": "Host"}.get(c, "Host")
            for c in n.get("capabilities") or ["station"]
        )
        out += [
            "-------------------------",
            f"Device ID: {one_line(n.get('remote_name'), 64)}",
            "Entry address(es): ",
            f"  IP address: {one_line(n.get('remote_ip') or '0.0.0.0', 40)}",  # noqa: S104 - text, not a bind
            f"Platform: {one_line(n.get('remote_platform') or 'Linux', 60)},  Capabilities: {caps} ",
            f"Interface: {n['local_interface']},  Port ID (outgoing port): {one_line(n.get('remote_port'), 64)}",
            "Holdtime : 150 sec",
            "",
            "Version :",
            one_line(n.get("remote_description") or "Linux", 200),
            "",
            "advertisement version: 2",
            "Native VLAN: 1",
            "Duplex: full",
            "",
        ]
    return "\n".join(out)


def render_cdp(view: View) -> str:
    out = [
        "Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge",
        "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone, ",
        "                  D - Remote, C - CVTA, M - Two-port Mac Relay ",
        "",
        "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID",
    ]
    nbrs = live_neighbors(view)
    for n in nbrs:
        caps = " ".join({"bridge": "S", "router": "R"}.get(c, "H") for c in n.get("capabilities") or [])
        out.append(
            f"{one_line(n.get('remote_name'), 16):<17}{short(n['local_interface']):<18}150{'':<8}"
            f"{caps:<12}{'Linux':<10}{one_line(n.get('remote_port'), 30)}"
        )
    out += ["", f"Total cdp entries displayed : {len(nbrs)}"]
    return "\n".join(out)


def _status(view: View, ifc: Dict[str, Any]) -> str:
    if not ifc.get("enabled", True):
        return "disabled"
    return "connected" if connected(view, ifc) else "notconnect"


def render_interfaces_status(view: View) -> str:
    out = ["Port         Name               Status       Vlan       Duplex  Speed Type "]
    for i in _ports(view):
        st = _status(view, i)
        up = st == "connected"
        vlan = (
            "trunk"
            if i.get("mode") == "trunk" or i.get("lag")
            else ("routed" if i.get("mode") == "routed" else str(i.get("access_vlan") or 1))
        )
        duplex = "a-full" if up else "auto"
        speed = f"a-{_speed(i)}" if up else "auto"
        typ = "" if i.get("is_lag") else "10/100/1000BaseTX"
        name = one_line(i.get("description"), 18)
        out.append(f"{short(i['name']):<13}{name:<19}{st:<13}{vlan:<11}{duplex:>6} {speed:>6} {typ}")
    return "\n".join(out)


def render_switchport(view: View, only: Optional[str] = None) -> str:
    cfg = Cfg(view)
    blocks = []
    for i in _ports(view):
        if only and i["name"] != only:
            continue
        if i.get("mode") == "routed":
            blocks.append(f"Name: {short(i['name'])}\nSwitchport: Disabled\n")
            continue
        trunk = i.get("mode") == "trunk"
        up = _status(view, i) == "connected"
        admin = "trunk" if trunk else "static access"
        if not up:
            oper = "down"
        elif i.get("lag"):
            oper = f"{admin} (member of bundle {short(i['lag'])})"
        else:
            oper = admin
        av = int(i.get("access_vlan") or 1)
        tv = i.get("trunk_vlans") or []
        vv = i.get("voice_vlan")
        voice = f"{int(vv)} ({cfg.vlan_name(int(vv))})" if vv is not None else "none"
        blocks.append(
            "\n".join(
                [
                    f"Name: {short(i['name'])}",
                    "Switchport: Enabled",
                    f"Administrative Mode: {admin}",
                    f"Operational Mode: {oper}",
                    "Administrative Trunking Encapsulation: dot1q",
                    f"Operational Trunking Encapsulation: {'dot1q' if trunk and up else 'native'}",
                    "Negotiation of Trunking: Off",
                    f"Access Mode VLAN: {av} ({cfg.vlan_name(av) if av != 1 else 'default'})",
                    "Trunking Native Mode VLAN: 1 (default)",
                    "Administrative Native VLAN tagging: enabled",
                    f"Voice VLAN: {voice}",
                    "Administrative private-vlan host-association: none ",
                    "Administrative private-vlan mapping: none ",
                    "Administrative private-vlan trunk native VLAN: none",
                    "Administrative private-vlan trunk Native VLAN tagging: enabled",
                    "Administrative private-vlan trunk encapsulation: dot1q",
                    "Administrative private-vlan trunk normal VLANs: none",
                    "Administrative private-vlan trunk associations: none",
                    "Administrative private-vlan trunk mappings: none",
                    "Operational private-vlan: none",
                    f"Trunking VLANs Enabled: {vlan_compress(tv) if tv else 'ALL'}",
                    "Pruning VLANs Enabled: 2-1001",
                    "Capture Mode Disabled",
                    "Capture VLANs Allowed: ALL",
                    "",
                    "Protected: false",
                    "Unknown unicast blocked: disabled",
                    "Unknown multicast blocked: disabled",
                    "Appliance trust: none",
                    "",
                ]
            )
        )
    return "\n".join(blocks)


def render_etherchannel(view: View) -> str:
    cfg = Cfg(view)
    lags = [i for i in cfg.interfaces if i.get("is_lag")]
    out = [
        "Flags:  D - down        P - bundled in port-channel",
        "        I - stand-alone s - suspended",
        "        H - Hot-standby (LACP only)",
        "        R - Layer3      S - Layer2",
        "        U - in use      f - failed to allocate aggregator",
        "",
        "        M - not in use, minimum links not met",
        "        u - unsuitable for bundling",
        "        w - waiting to be aggregated",
        "        d - default port",
        "",
        "        A - formed by Auto LAG",
        "",
        "",
        f"Number of channel-groups in use: {len(lags)}",
        f"Number of aggregators:           {len(lags)}",
        "",
        "Group  Port-channel  Protocol    Ports",
        "------+-------------+-----------+-----------------------------------------------",
    ]
    for lag in lags:
        num = re.sub(r"\D", "", lag["name"])
        up = connected(view, lag)
        flag = "SU" if up else "SD"
        members = " ".join(
            f"{short(m['name'])}({'P' if m.get('enabled', True) and up else 'D'})" for m in cfg.members(lag["name"])
        )
        out.append(f"{num:<7}{short(lag['name']) + '(' + flag + ')':<16}LACP      {members}")
    return "\n".join(out)


def render_vlan_brief(view: View) -> str:
    cfg = Cfg(view)
    out = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    vids = sorted(set([1, *cfg.vlan_ids()]))
    for vid in vids:
        ports = [
            short(i["name"])
            for i in _ports(view)
            if i.get("mode", "access") == "access"
            and not i.get("lag")
            and not i.get("is_lag")
            and int(i.get("access_vlan") or 1) == vid
        ]
        name = "default" if vid == 1 else cfg.vlan_name(vid)
        chunks: List[str] = []
        cur = ""
        for p in ports:
            cand = f"{cur}, {p}" if cur else p
            if len(cand) > 31 and cur:
                chunks.append(cur + ",")
                cur = p
            else:
                cur = cand
        if cur:
            chunks.append(cur)
        first = chunks[0] if chunks else ""
        out.append(f"{vid:<5}{name:<33}{'active':<10}{first}".rstrip() + (" " if not first else ""))
        for c in chunks[1:]:
            out.append(" " * 48 + c)
    for vid, name in (
        (1002, "fddi-default"),
        (1003, "token-ring-default"),
        (1004, "fddinet-default"),
        (1005, "trnet-default"),
    ):
        out.append(f"{vid:<5}{name:<33}act/unsup ")
    return "\n".join(out)


def _acl_lines(data: View) -> List[str]:
    out = []
    for name, acl in sorted((data.get("acls") or {}).items()):
        if not isinstance(acl, dict):
            continue
        out.append(f"ip access-list extended {one_line(name, 64)}")
        for e in acl.get("entries", []):
            text = one_line(e["text"], 200)
            action, _unused, rest = text.partition(" ")
            out.append(f" {action:<6} {rest}" if action in ("permit", "deny") else f" {text}")
    return out


def render_interface_config(ifc: Dict[str, Any]) -> List[str]:
    out = [f"interface {ifc['name']}"]
    if ifc.get("description"):
        out.append(f" description {one_line(ifc['description'])}")
    mode = ifc.get("mode", "access")
    if mode == "routed":
        out.append(" no switchport")
        out.append(" no ip address")
    elif mode == "trunk":
        if ifc.get("trunk_vlans"):
            out.append(f" switchport trunk allowed vlan {vlan_compress(ifc['trunk_vlans'])}")
        out.append(" switchport mode trunk")
    else:
        if int(ifc.get("access_vlan") or 1) != 1:
            out.append(f" switchport access vlan {int(ifc['access_vlan'])}")
        out.append(" switchport mode access")
        if ifc.get("voice_vlan") is not None:
            out.append(f" switchport voice vlan {int(ifc['voice_vlan'])}")
    if ifc.get("lag"):
        out.append(f" channel-group {re.sub(r'[^0-9]', '', ifc['lag'])} mode active")
    if ifc.get("acl_in"):
        out.append(f" ip access-group {one_line(ifc['acl_in'], 64)} in")
    if ifc.get("acl_out"):
        out.append(f" ip access-group {one_line(ifc['acl_out'], 64)} out")
    if not ifc.get("enabled", True):
        out.append(" shutdown")
    return out


def render_running(data: View, version: str = "15.2", base_mac: str = "") -> str:
    cfg = Cfg(data)
    body = [
        "!",
        f"version {'.'.join(version.split('.')[:2]).split('(', maxsplit=1)[0]}",
        "no service pad",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "no service password-encryption",
        "!",
        f"hostname {one_line(data.get('hostname'), 63)}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        "no aaa new-model",
        "switch 1 provision ws-c2960x-48fpd-l",
        "!",
        "spanning-tree mode rapid-pvst",
        "spanning-tree extend system-id",
        "!",
        "vlan internal allocation policy ascending",
        "!",
    ]
    for vid in cfg.vlan_ids():
        if vid == 1:
            continue
        body += [f"vlan {vid}", f" name {cfg.vlan_name(vid)}", "!"]
    for i in sorted(cfg.interfaces, key=lambda x: (not x["name"].startswith("Port-channel"),)):
        body += [*render_interface_config(i), "!"]
    body += ["interface Vlan1", " no ip address", "!", "ip forward-protocol nd", "!", "no ip http server", "!"]
    acl = _acl_lines(data)
    if acl:
        body += [*acl, "!"]
    body += [
        "line con 0",
        "line vty 0 4",
        " login local",
        " transport input ssh",
        "line vty 5 15",
        " login local",
        " transport input ssh",
        "!",
        "end",
    ]
    text = "\n".join(body)
    return f"Building configuration...\n\nCurrent configuration : {len(text)} bytes\n{text}"


def render_version(view: View, uptime: str = "1 week, 2 days, 3 hours, 4 minutes") -> str:
    ver = one_line(view.get("version") or "15.2(7)E4", 40)
    host = one_line(view.get("hostname") or view.get("name"), 63)
    base_mac = (view.get("base_mac") or "00:1e:bd:00:00:01").upper()
    nports = len([i for i in _ports(view) if not i.get("is_lag")])
    return "\n".join(
        [
            f"Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version {ver}, RELEASE SOFTWARE (fc2)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2021 by Cisco Systems, Inc.",
            "Compiled Mon 22-Mar-21 16:08 by prod_rel_team",
            "",
            "ROM: Bootstrap program is C2960X boot loader",
            "BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(3r)E1, RELEASE SOFTWARE (fc1)",
            "",
            f"{host} uptime is {uptime}",
            "System returned to ROM by power-on",
            'System image file is "flash:/c2960x-universalk9-mz.152-7.E4/c2960x-universalk9-mz.152-7.E4.bin"',
            "Last reload reason: power-on",
            "",
            "cisco WS-C2960X-48FPD-L (APM86XXX) processor (revision D0) with 524288K bytes of memory.",
            "Processor board ID FOC2031X0LB",
            "Last reset from power-on",
            "1 Virtual Ethernet interface",
            f"{nports} Gigabit Ethernet interfaces",
            "The password-recovery mechanism is enabled.",
            "",
            "512K bytes of flash-simulated non-volatile configuration memory.",
            f"Base ethernet MAC Address       : {base_mac}",
            "Motherboard assembly number     : 73-16323-04",
            "Model number                    : WS-C2960X-48FPD-L",
            "System serial number            : FOC2031X0LB",
            "",
            "Switch Ports Model                     SW Version            SW Image",
            "------ ----- -----                     ----------            ----------",
            f"*    1 {nports:<5} WS-C2960X-48FPD-L         {ver:<21} C2960X-UNIVERSALK9-M",
            "",
            "Configuration register is 0xF",
        ]
    )


def render_interfaces(view: View, only: Optional[str] = None) -> str:
    out = []
    base = view.get("base_mac") or "00:1e:bd:00:00:01"
    for n, i in enumerate(_ports(view), start=1):
        if only and i["name"] != only:
            continue
        st = _status(view, i)
        if st == "disabled":
            line = f"{i['name']} is administratively down, line protocol is down (disabled)"
        elif st == "connected":
            line = f"{i['name']} is up, line protocol is up (connected)"
        else:
            line = f"{i['name']} is down, line protocol is down (notconnect)"
        h = int(re.sub(r"[^0-9a-f]", "", base.lower()), 16) + n
        hw = mac_dot(f"{h:012x}")
        kind = "EtherChannel" if i.get("is_lag") else "Gigabit Ethernet"
        out += [line, f"  Hardware is {kind}, address is {hw} (bia {hw})"]
        if i.get("description"):
            out.append(f"  Description: {one_line(i['description'])}")
        out += [
            f"  MTU 1500 bytes, BW {int(_speed(i)) * 1000} Kbit/sec, DLY 10 usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            "  Encapsulation ARPA, loopback not set",
            "  Keepalive set (10 sec)",
            f"  Full-duplex, {_speed(i)}Mb/s, media type is 10/100/1000BaseTX",
            "  input flow-control is off, output flow-control is unsupported ",
            "  ARP type: ARPA, ARP Timeout 04:00:00",
            "  Last input never, output 00:00:01, output hang never",
            '  Last clearing of "show interface" counters never',
            "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
            "  Queueing strategy: fifo",
            "  Output queue: 0/40 (size/max)",
            "  5 minute input rate 0 bits/sec, 0 packets/sec",
            "  5 minute output rate 0 bits/sec, 0 packets/sec",
            "     0 packets input, 0 bytes, 0 no buffer",
            "     Received 0 broadcasts (0 multicasts)",
            "     0 runts, 0 giants, 0 throttles ",
            "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
            "     0 watchdog, 0 multicast, 0 pause input",
            "     0 input packets with dribble condition detected",
            "     0 packets output, 0 bytes, 0 underruns",
            "     0 output errors, 0 collisions, 0 interface resets",
            "     0 unknown protocol drops",
            "     0 babbles, 0 late collision, 0 deferred",
            "     0 lost carrier, 0 no carrier, 0 pause output",
            "     0 output buffer failures, 0 output buffers swapped out",
        ]
    return "\n".join(out)


def render_access_lists(data: View) -> str:
    out = []
    for name, acl in sorted((data.get("acls") or {}).items()):
        if not isinstance(acl, dict):
            continue
        out.append(f"Extended IP access list {one_line(name, 64)}")
        for e in acl.get("entries", []):
            out.append(f"    {int(e['seq'])} {one_line(e['text'], 200)}")
    return "\n".join(out)


# -- the CLI -----------------------------------------------------------------------------------


class CiscoIOS(CiscoLike):
    name = "cisco_ios"

    def banner(self, sw: Switch) -> str:
        return ""

    def short(self, name: str) -> str:
        return short(name)

    def render_running(self, data: View, sw: Switch) -> str:
        return render_running(data, str(sw.view.get("version") or "15.2"))

    def mode_prompt(self, sw: Switch, s: Session) -> str:
        if s.data.get("pending") == "copy":
            return "Destination filename [startup-config]? "
        return super().mode_prompt(sw, s)

    def dispatch(self, sw: Switch, s: Session, raw: str):  # type: ignore[no-untyped-def]
        if s.data.get("pending") == "copy":
            from lab.nos.base import Result

            s.data.pop("pending")
            if raw.strip() not in ("", "startup-config"):
                return Result("%Error opening " + one_line(raw.strip(), 60) + " (Permission denied)")
            with sw.lock:
                return Result(str(self.h_save(sw, s, None, raw)))  # type: ignore[arg-type]
        return super().dispatch(sw, s, raw)

    def setup_commands(self) -> None:
        a = self.add
        a(r"ter[[minal]] (?:len[[gth]]|wid[[th]]) \d+|ter[[minal]] no mon[[itor]]", ALL)(self.h_noop)
        a(r"en[[able]]", EXEC)(self.h_noop)
        a(r"logout|disc[[onnect]]", EXEC)(self.h_close)
        a(r"wr[[ite]](?: m[[emory]])?", EXEC)(self.h_save)
        a(r"cop[[y]] ru[[nning-config]] st[[artup-config]]", EXEC)(self.h_copy)
        self.register_common_config(r"ip access-l[[ist]] e[[xtended]] (?P<name>\S+)")
        a(r"no ip access-l[[ist]] e[[xtended]] (?P<name>\S+)", ("config",))(self.h_no_acl)
        a(r"ip access-g[[roup]] (?P<name>\S+) (?P<dir>in|out)", IFC)(self.h_access_group)
        a(r"no ip access-g[[roup]](?: (?P<name>\S+))? (?P<dir>in|out)", IFC)(self.h_no_access_group)
        sh = r"sh[[ow]] "
        a(sh + r"mac[[-address-table]]|" + sh + r"mac a[[ddress-table]]", EXEC)(self.s_mac)
        a(sh + r"mac(?:-address-table| a[[ddress-table]]) d[[ynamic]]", EXEC)(self.s_mac_dyn)
        a(sh + r"mac(?:-address-table| a[[ddress-table]])(?P<dyn> d[[ynamic]])? vl[[an]] (?P<vid>\d+)", EXEC)(
            self.s_mac_vlan
        )
        a(sh + r"mac(?:-address-table| a[[ddress-table]])(?: d[[ynamic]])? int[[erface]] (?P<ifname>\S+)", EXEC)(
            self.s_mac_if
        )
        a(sh + r"mac(?:-address-table| a[[ddress-table]]) add[[ress]] (?P<mac>\S+)", EXEC)(self.s_mac_addr)
        a(sh + r"ip ar[[p]]|" + sh + r"ar[[p]]", EXEC)(lambda sw, s, m, r: render_arp(sw.view))
        a(sh + r"ll[[dp]] n[[eighbors]] d[[etail]]", EXEC)(lambda sw, s, m, r: render_lldp_detail(sw.view))
        a(sh + r"ll[[dp]] n[[eighbors]]", EXEC)(lambda sw, s, m, r: render_lldp(sw.view))
        a(sh + r"cd[[p]] n[[eighbors]] d[[etail]]", EXEC)(lambda sw, s, m, r: render_cdp_detail(sw.view))
        a(sh + r"cd[[p]] n[[eighbors]]", EXEC)(lambda sw, s, m, r: render_cdp(sw.view))
        a(sh + r"int[[erfaces]] st[[atus]]", EXEC)(lambda sw, s, m, r: render_interfaces_status(sw.view))
        a(sh + r"int[[erfaces]] sw[[itchport]]", EXEC)(lambda sw, s, m, r: render_switchport(sw.view))
        a(sh + r"int[[erfaces]] (?P<ifname>\S+) sw[[itchport]]", EXEC)(self.s_switchport_if)
        a(sh + r"int[[erfaces]]", EXEC)(lambda sw, s, m, r: render_interfaces(sw.view))
        a(sh + r"int[[erfaces]] (?P<ifname>\S+)", EXEC)(self.s_interfaces_if)
        a(sh + r"eth[[erchannel]] s[[ummary]]", EXEC)(lambda sw, s, m, r: render_etherchannel(sw.view))
        a(sh + r"vl[[an]](?: b[[rief]])?", EXEC)(lambda sw, s, m, r: render_vlan_brief(sw.view))
        a(sh + r"ru[[nning-config]]", EXEC)(lambda sw, s, m, r: self.render_running(sw.view, sw))
        a(sh + r"ru[[nning-config]] int[[erface]] (?P<ifname>\S+)", EXEC)(self.s_run_if)
        a(sh + r"star[[tup-config]]", EXEC)(self.s_startup)
        a(sh + r"ver[[sion]]", EXEC)(lambda sw, s, m, r: render_version(sw.view))
        a(sh + r"(?:ip )?access-l[[ists]]", EXEC)(lambda sw, s, m, r: render_access_lists(sw.view))

    def h_copy(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        s.data["pending"] = "copy"
        return ""

    def s_mac(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        return render_mac_table(sw.view)

    def s_mac_dyn(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        return render_mac_table(sw.view, dynamic_only=True)

    def s_mac_vlan(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        return render_mac_table(sw.view, vlan=int(m.group("vid")), dynamic_only=bool(m.group("dyn")))

    def s_mac_if(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        ifc = sw.cfg.find_iface(m.group("ifname"))
        if ifc is None:
            return self.invalid(raw.strip(), s)
        return render_mac_table(sw.view, iface=ifc["name"])

    def s_mac_addr(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        try:
            return render_mac_table(sw.view, mac=m.group("mac"))
        except ValueError:
            return self.invalid(raw.strip(), s)

    def s_switchport_if(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        ifc = sw.cfg.find_iface(m.group("ifname"))
        if ifc is None:
            return self.invalid(raw.strip(), s)
        return render_switchport(sw.view, only=ifc["name"])

    def s_interfaces_if(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        ifc = sw.cfg.find_iface(m.group("ifname"))
        if ifc is None:
            return self.invalid(raw.strip(), s)
        return render_interfaces(sw.view, only=ifc["name"])

    def s_run_if(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        ifc = sw.cfg.find_iface(m.group("ifname"))
        if ifc is None:
            return self.invalid(raw.strip(), s)
        text = "\n".join([*render_interface_config(ifc), "end"])
        return f"Building configuration...\n\nCurrent configuration : {len(text)} bytes\n!\n{text}\n"

    def s_startup(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        saved = sw.view.get("startup_config")
        if not saved:
            return "startup-config is not present"
        return str(saved).replace("Building configuration...\n\nCurrent configuration", "Using", 1)
