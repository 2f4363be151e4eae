# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arista EOS (4.2x): renderers, ``| json`` variants, and the CLI with configure sessions
(``configure session NAME`` ... ``show session-config diffs`` ... ``commit`` / ``abort``)."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from lab.nos.base import (
    CAP_LETTERS,
    Cfg,
    Result,
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
from lab.nos.ciscolike import ALL, ANYCONF, EXEC, IFC, CiscoLike

_SHORT = {"Ethernet": "Et", "Port-Channel": "Po", "Management": "Ma", "Vlan": "Vl", "Loopback": "Lo"}


def short(name: str) -> str:
    m = re.match(r"^([A-Za-z-]+)(\d.*)$", name)
    return (_SHORT.get(m.group(1), m.group(1)) + m.group(2)) if m else name


def _ports(view: View) -> List[Dict[str, Any]]:
    return [i for i in Cfg(view).interfaces if not i["name"].startswith(("Vlan", "Loopback", "Management"))]


def _status(view: View, i: Dict[str, Any]) -> str:
    if not i.get("enabled", True):
        return "disabled"
    return "connected" if connected(view, i) else "notconnect"


def _speed_g(i: Dict[str, Any]) -> str:
    mb = int(str(i.get("speed") or "1000"))
    return f"{mb // 1000}G" if mb >= 1000 else f"{mb}M"


def render_mac_table(view: View) -> str:
    rows = sorted(learned_macs(view), key=lambda e: (e[1], e[0]))
    out = [
        "          Mac Address Table",
        "------------------------------------------------------------------",
        "",
        "Vlan    Mac Address       Type        Ports      Moves   Last Move",
        "----    -----------       ----        -----      -----   ---------",
    ]
    for mac, vlan, ifname, kind in rows:
        last = "0:00:42 ago" if kind == "dynamic" else ""
        moves = "1" if kind == "dynamic" else ""
        out.append(
            f"{vlan:>4}    {mac_dot(mac)}    {kind.upper():<8}    {short(ifname):<10} {moves:<7} {last}".rstrip()
        )
    out += [
        f"Total Mac Addresses for this criterion: {len(rows)}",
        "",
        "          Multicast Mac Address Table",
        "------------------------------------------------------------------",
        "",
        "Vlan    Mac Address       Type        Ports",
        "----    -----------       ----        -----",
        "Total Mac Addresses for this criterion: 0",
    ]
    return "\n".join(out)


def json_mac_table(view: View) -> Dict[str, Any]:
    return {
        "unicastTable": {
            "tableEntries": [
                {
                    "vlanId": vlan,
                    "macAddress": mac,
                    "entryType": kind,
                    "interface": ifname,
                    "moves": 1,
                    "lastMove": 1764490000.0,
                }
                for mac, vlan, ifname, kind in sorted(learned_macs(view), key=lambda e: (e[1], e[0]))
            ]
        },
        "multicastTable": {"tableEntries": []},
    }


def _arp_port(view: View, mac: str) -> Optional[str]:
    for m, _v, ifname, _k in learned_macs(view):
        if m == mac:
            return ifname
    return None


def render_arp(view: View) -> str:
    out = ["Address         Age (sec)  Hardware Addr   Interface"]
    for e in view.get("arp", []):
        out.append(f"{e['ip']:<15}  {'0:00:12':>8}  {mac_dot(e['mac'])}  {_arp_interface(view, e)}")
    return "\n".join(out)


def _arp_interface(view: View, e: Dict[str, Any]) -> str:
    """``Vlan10, Ethernet3``: an SVI's entry names the port it was learned on (text and JSON)."""
    ifname = one_line(e.get("interface") or "", 40)
    port = _arp_port(view, e["mac"].lower())
    return f"{ifname}, {port}" if port and ifname.startswith("Vlan") else ifname


def json_arp(view: View) -> Dict[str, Any]:
    return {
        "dynamicEntries": len(view.get("arp", [])),
        "ipV4Neighbors": [
            {
                "address": e["ip"],
                "age": 12,
                "hwAddress": mac_dot(e["mac"]),
                "interface": _arp_interface(view, e),
            }
            for e in view.get("arp", [])
        ],
        "notLearnedEntries": 0,
        "totalEntries": len(view.get("arp", [])),
        "staticEntries": 0,
    }


def render_lldp(view: View) -> str:
    nbrs = live_neighbors(view)
    out = [
        "Last table change time   : 0:10:02 ago",
        f"Number of table inserts  : {len(nbrs)}",
        "Number of table deletes  : 0",
        "Number of table drops    : 0",
        "Number of table age-outs : 0",
        "",
        "Port          Neighbor Device ID       Neighbor Port ID    TTL",
        "---------- ------------------------ ---------------------- ---",
    ]
    for n in nbrs:
        out.append(
            f"{short(n['local_interface']):<14}{one_line(n.get('remote_name'), 24):<25}"
            f"{one_line(n.get('remote_port'), 20):<20}120"
        )
    return "\n".join(out)


def json_lldp(view: View) -> Dict[str, Any]:
    return {
        "tablesLastChangeTime": 1764490000.0,
        "tablesAgeOuts": 0,
        "tablesInserts": len(view.get("lldp", [])),
        "lldpNeighbors": [
            {
                "port": n["local_interface"],
                "neighborDevice": one_line(n.get("remote_name"), 64),
                "neighborPort": one_line(n.get("remote_port"), 64),
                "ttl": 120,
            }
            for n in live_neighbors(view)
        ],
        "tablesDeletes": 0,
        "tablesDrops": 0,
    }


def render_lldp_detail(view: View) -> str:
    by_if: Dict[str, List[Dict[str, Any]]] = {}
    for n in live_neighbors(view):
        by_if.setdefault(n["local_interface"], []).append(n)
    out = []
    for i in _ports(view):
        nbrs = by_if.get(i["name"], [])
        if not nbrs:
            continue
        out.append(f"Interface {i['name']} detected {len(nbrs)} LLDP neighbors:")
        out.append("")
        for n in nbrs:
            rmac = mac_dot(n["remote_mac"]) if n.get("remote_mac") else "0000.0000.0000"
            port = one_line(n.get("remote_port"), 64)
            caps = ", ".join(c.capitalize() for c in n.get("capabilities") or ["station"] if c in CAP_LETTERS)
            out += [
                f'  Neighbor {rmac}/"{port}", age 12 seconds',
                "  Discovered 0:10:11 ago; Last changed 0:10:11 ago",
                "  - Chassis ID type: MAC address (4)",
                f"    Chassis ID     : {rmac}",
                "  - Port ID type: Interface name (5)",
                f'    Port ID     : "{port}"',
                "  - Time To Live: 120 seconds",
                f'  - Port Description: "{port}"',
                f'  - System Name: "{one_line(n.get("remote_name"), 64)}"',
                f'  - System Description: "{one_line(n.get("remote_description") or "Linux", 200)}"',
                f"  - System Capabilities : {caps}",
                f"    Enabled Capabilities: {caps}",
                "  - IEEE802.1 Port VLAN ID: 1",
                "  - IEEE802.3 Maximum Frame Size: 1518 bytes",
                "",
            ]
    return "\n".join(out)


def json_lldp_detail(view: View) -> Dict[str, Any]:
    """``show lldp neighbors detail | json``: eAPI's model of the detail text above."""
    by_if: Dict[str, List[Dict[str, Any]]] = {}
    for n in live_neighbors(view):
        by_if.setdefault(n["local_interface"], []).append(n)
    out: Dict[str, Any] = {}
    for i in _ports(view):
        nbrs = by_if.get(i["name"], [])
        if not nbrs:
            continue
        infos = []
        for n in nbrs:
            port = one_line(n.get("remote_port"), 64)
            caps = [c for c in n.get("capabilities") or ["station"] if c in CAP_LETTERS]
            infos.append(
                {
                    "chassisIdType": "macAddress",
                    "chassisId": mac_dot(n["remote_mac"]) if n.get("remote_mac") else "0000.0000.0000",
                    "systemName": one_line(n.get("remote_name"), 64),
                    "systemDescription": one_line(n.get("remote_description") or "Linux", 200),
                    "systemCapabilities": {c: True for c in caps},
                    "ttl": 120,
                    "neighborInterfaceInfo": {
                        "interfaceIdType": "interfaceName",
                        "interfaceId": f'"{port}"',
                        "interfaceId_v2": port,
                        "interfaceDescription": port,
                    },
                }
            )
        out[i["name"]] = {"lldpNeighborInfo": infos}
    return {"lldpNeighbors": out}


def _vlan_col(i: Dict[str, Any]) -> str:
    if i.get("lag"):
        return f"in {short(i['lag'])}"
    if i.get("mode") == "trunk":
        return "trunk"
    if i.get("mode") == "routed":
        return "routed"
    return str(i.get("access_vlan") or 1)


def render_interfaces_status(view: View) -> str:
    out = [
        "Port       Name                   Status       Vlan        Duplex  Speed Type            Flags Encapsulation"
    ]
    for i in _ports(view):
        st = _status(view, i)
        up = st == "connected"
        lag = i.get("is_lag")
        duplex = ("full" if lag else "a-full") if up else ("full" if lag else "auto")
        speed = (_speed_g(i) if lag else f"a-{_speed_g(i)}") if up else ("unconf" if lag else "auto")
        typ = "N/A" if lag else "1000BASE-T"
        out.append(
            f"{short(i['name']):<11}{one_line(i.get('description'), 22):<23}{st:<13}{_vlan_col(i):<12}"
            f"{duplex:<8}{speed:<6}{typ}"
        )
    return "\n".join(out)


def json_interfaces_status(view: View) -> Dict[str, Any]:
    res = {}
    for i in _ports(view):
        st = _status(view, i)
        vi: Dict[str, Any] = {"interfaceForwardingModel": "bridged"}
        if i.get("lag"):
            vi.update({"interfaceMode": "inactive", "vlanExplanation": f"in {i['lag']}"})
        elif i.get("mode") == "trunk":
            vi.update({"interfaceMode": "trunk", "vlanExplanation": "trunk"})
        elif i.get("mode") == "routed":
            vi.update({"interfaceForwardingModel": "routed", "interfaceMode": "routed"})
        else:
            vi.update({"interfaceMode": "bridged", "vlanId": int(i.get("access_vlan") or 1)})
        res[i["name"]] = {
            "description": one_line(i.get("description")),
            "linkStatus": st,
            "vlanInformation": vi,
            "bandwidth": int(str(i.get("speed") or "1000")) * 1000000,
            "duplex": "duplexFull",
            "interfaceType": "N/A" if i.get("is_lag") else "1000BASE-T",
            "autoNegotiateActive": not i.get("is_lag"),
        }
    return {"interfaceStatuses": res}


def render_switchport(view: View) -> str:
    cfg = Cfg(view)
    blocks = []
    for i in _ports(view):
        if i.get("mode") == "routed":
            blocks.append(f"Name: {short(i['name'])}\nSwitchport: Disabled\n")
            continue
        trunk = i.get("mode") == "trunk"
        av = int(i.get("access_vlan") or 1)
        tv = i.get("trunk_vlans") or []
        admin = "trunk" if trunk else "static access"
        oper = admin if _status(view, i) == "connected" else "down"
        blocks.append(
            "\n".join(
                [
                    f"Name: {short(i['name'])}",
                    "Switchport: Enabled",
                    f"Administrative Mode: {admin}",
                    f"Operational Mode: {oper}",
                    "MAC Address Learning: enabled",
                    "Dot1q ethertype/TPID: 0x8100 (active)",
                    "Dot1q Vlan Tag Required (Administrative/Operational): No/No",
                    f"Access Mode VLAN: {av} ({'default' if av == 1 else cfg.vlan_name(av)})",
                    "Trunking Native Mode VLAN: 1 (default)",
                    "Administrative Native VLAN tagging: disabled",
                    f"Trunking VLANs Enabled: {vlan_compress(tv) if tv else 'ALL'}",
                    "Static Trunk Groups:",
                    "Dynamic Trunk Groups:",
                    "Source interface filtering: enabled",
                    "",
                ]
            )
        )
    return "\n".join(blocks)


def render_port_channel(view: View) -> str:
    cfg = Cfg(view)
    lags = [i for i in cfg.interfaces if i.get("is_lag")]
    out = [
        "                 Flags                                                            ",
        "-------------------------- ----------------------------- ------------------------- ",
        "   a - LACP Active            p - LACP Passive           * - static fallback       ",
        "   F - Fallback enabled       f - Fallback configured    ^ - individual fallback   ",
        "   U - In Use                 D - Down                                             ",
        "   + - In-Sync                - - Out-of-Sync            i - incompatible with agg ",
        "   P - bundled in Po          s - suspended              G - Aggregable            ",
        "   I - Individual             S - ShortTimeout           w - wait for agg          ",
        "",
        f"Number of channels in use: {len(lags)}",
        f"Number of aggregators: {len(lags)}",
        "",
        "   Port-Channel       Protocol     Ports                            ",
        "------------------ --------------- -------------------------------- ",
    ]
    for lag in lags:
        up = connected(view, lag)
        members = " ".join(
            f"{short(m['name'])}({'PG+' if up and m.get('enabled', True) else 'D'})" for m in cfg.members(lag["name"])
        )
        out.append(f"   {short(lag['name']) + ('(U)' if up else '(D)'):<19}{'LACP(a)':<13}{members}")
    return "\n".join(out)


def render_vlan(view: View) -> str:
    cfg = Cfg(view)
    out = [
        "VLAN  Name                             Status    Ports",
        "----- -------------------------------- --------- -------------------------------",
    ]
    for vid in sorted(set([1, *cfg.vlan_ids()])):
        ports = []
        for i in _ports(view):
            if i.get("lag"):
                continue
            if i.get("mode") == "trunk":
                if not i.get("trunk_vlans") or vid in [int(v) for v in i["trunk_vlans"]]:
                    ports.append(short(i["name"]))
            elif i.get("mode", "access") == "access" and int(i.get("access_vlan") or 1) == vid:
                ports.append(short(i["name"]))
        name = "default" if vid == 1 else cfg.vlan_name(vid)
        first, rest = ", ".join(ports[:4]), [", ".join(ports[k : k + 4]) for k in range(4, len(ports), 4)]
        out.append(f"{vid:<6}{name:<33}{'active':<10}{first}".rstrip())
        out += [" " * 49 + r for r in rest]
    return "\n".join(out)


def _iface_lines(i: Dict[str, Any]) -> List[str]:
    out = [f"interface {i['name']}"]
    if i.get("description"):
        out.append(f"   description {one_line(i['description'])}")
    if not i.get("enabled", True):
        out.append("   shutdown")
    if i.get("lag"):
        out.append(f"   channel-group {re.sub(r'[^0-9]', '', i['lag'])} mode active")
    elif i.get("mode") == "trunk":
        if i.get("trunk_vlans"):
            out.append(f"   switchport trunk allowed vlan {vlan_compress(i['trunk_vlans'])}")
        out.append("   switchport mode trunk")
    elif i.get("mode") == "routed":
        out.append("   no switchport")
    elif int(i.get("access_vlan") or 1) != 1:
        out.append(f"   switchport access vlan {int(i['access_vlan'])}")
    if i.get("acl_in"):
        out.append(f"   ip access-group {one_line(i['acl_in'], 64)} in")
    if i.get("acl_out"):
        out.append(f"   ip access-group {one_line(i['acl_out'], 64)} out")
    return out


def render_running(data: View, version: str = "4.28.3M") -> str:
    cfg = Cfg(data)
    host = one_line(data.get("hostname"), 63)
    out = [
        "! Command: show running-config",
        f"! device: {host} (DCS-7050TX-64, EOS-{version})",
        "!",
        f"! boot system flash:/EOS-{version}.swi",
        "!",
        "no aaa root",
        "!",
        "transceiver qsfp default-mode 4x10G",
        "!",
        f"hostname {host}",
        "!",
        "spanning-tree mode mstp",
        "!",
    ]
    for vid in cfg.vlan_ids():
        if vid != 1:
            out += [f"vlan {vid}", f"   name {cfg.vlan_name(vid)}", "!"]
    lags = [i for i in cfg.interfaces if i.get("is_lag")]
    for i in lags + [i for i in cfg.interfaces if not i.get("is_lag")]:
        out += [*_iface_lines(i), "!"]
    for name, acl in sorted((data.get("acls") or {}).items()):
        if not isinstance(acl, dict):
            continue
        out.append(f"ip access-list {one_line(name, 64)}")
        out += [f"   {int(e['seq'])} {one_line(e['text'], 200)}" for e in acl.get("entries", [])]
        out.append("!")
    out += ["ip routing", "!", "end"]
    return "\n".join(out)


def render_version(view: View) -> str:
    ver = one_line(view.get("version") or "4.28.3M", 40)
    base = mac_dot(view.get("base_mac") or "00:1c:73:00:00:01")
    return "\n".join(
        [
            "Arista DCS-7050TX-64-R",
            "Hardware version: 01.11",
            "Serial number: JPE14080457",
            f"Hardware MAC address: {base}",
            f"System MAC address: {base}",
            "",
            f"Software image version: {ver}",
            "Architecture: x86_64",
            f"Internal build version: {ver}-28980017.4283M",
            "Internal build ID: 1b6b4c6b-2b0e-4a8b-9c3f-5a3b7c1d2e4f",
            "Image format version: 2.0",
            "Image optimization: Default",
            "",
            "Uptime: 1 week, 2 days, 3 hours and 4 minutes",
            "Total memory: 8099732 kB",
            "Free memory: 6212212 kB",
            "",
        ]
    )


def json_version(view: View) -> Dict[str, Any]:
    return {
        "modelName": "DCS-7050TX-64-R",
        "hardwareRevision": "01.11",
        "serialNumber": "JPE14080457",
        "systemMacAddress": view.get("base_mac") or "00:1c:73:00:00:01",
        "version": one_line(view.get("version") or "4.28.3M", 40),
        "architecture": "x86_64",
        "uptime": 788640.0,
        "memTotal": 8099732,
        "memFree": 6212212,
    }


class AristaEOS(CiscoLike):
    name = "arista_eos"
    config_banner = ""

    def short(self, name: str) -> str:
        return short(name)

    def render_running(self, data: View, sw: Switch) -> str:
        return render_running(data, str(sw.view.get("version") or "4.28.3M"))

    def invalid(self, line: str, s: Session) -> str:
        from lab.nos.base import first_bad_token

        toks = line.split()
        bad = first_bad_token(line, self._vocab)
        if toks and bad >= len(toks) - 1 and self._incomplete(line):
            return "% Incomplete command"
        return f"% Invalid input (at token {bad}: '{one_line(toks[bad] if toks else '', 80)}')"

    def _incomplete(self, line: str) -> bool:
        words = tuple(w.lower() for w in line.split())
        return any(
            len(v) > len(words) and all(v[k].lower().startswith(words[k]) for k in range(len(words)))
            for v in self._vocab
            if "*" not in v[: len(words)]
        )

    # -- sessions
    def cfg(self, sw: Switch, s: Session) -> Cfg:
        name = s.data.get("session")
        if name:
            return Cfg(sw.runtime.setdefault("sessions", {})[name])
        return sw.cfg

    def changed(self, sw: Switch, s: Session) -> None:
        if not s.data.get("session"):
            sw.persist()

    def mode_prompt(self, sw: Switch, s: Session) -> str:
        host = sw.hostname
        if s.mode == "exec":
            return f"{host}#"
        sess = f"-s-{s.data['session'][:6]}" if s.data.get("session") else ""
        tail = {
            "config": "",
            "config-if": f"-if-{short(str(s.ctx))}",
            "config-acl": f"-acl-{s.ctx}",
            "config-vlan": f"-vlan-{s.ctx}",
        }.get(s.mode, "")
        return f"{host}(config{sess}{tail})#"

    def h_session(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        name = m.group("name")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
            return self.invalid(raw.strip(), s)
        sessions = sw.runtime.setdefault("sessions", {})
        if name not in sessions:
            sessions[name] = sw.snapshot()
        s.data["session"] = name
        s.mode, s.ctx = "config", None
        return ""

    def h_end(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        s.data.pop("session", None)  # the session stays pending, as on EOS
        return super().h_end(sw, s, m, raw)

    def h_exit(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        if s.mode == "config":
            s.data.pop("session", None)
        return super().h_exit(sw, s, m, raw)

    def h_commit(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        name = s.data.pop("session", None)
        if not name:
            return self.invalid(raw.strip(), s)
        cand = sw.runtime.setdefault("sessions", {}).pop(name)
        sw.restore(cand)
        sw.persist()
        s.mode, s.ctx = "exec", None
        return ""

    def h_abort(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        name = s.data.pop("session", None)
        if not name:
            return self.invalid(raw.strip(), s)
        sw.runtime.setdefault("sessions", {}).pop(name, None)
        s.mode, s.ctx = "exec", None
        return ""

    def _diff(self, sw: Switch, name: str) -> str:
        cand = sw.runtime.get("sessions", {}).get(name)
        if cand is None:
            return f"% Session {one_line(name, 64)} does not exist"
        merged = dict(sw.view)
        merged.update(cand)
        a = self.render_running(sw.view, sw).split("\n")
        b = self.render_running(merged, sw).split("\n")
        return "\n".join(
            difflib.unified_diff(a, b, "system:/running-config", f"session:/{name}-session-config", lineterm="")
        )

    def s_diffs(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        name = m.groupdict().get("name") or s.data.get("session")
        if not name:
            return self.invalid(raw.strip(), s)
        return self._diff(sw, name)

    def s_sessions(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        out = [
            "Maximum number of completed sessions: 1",
            "Maximum number of pending sessions: 5",
            "",
            "   Name                 State         User       Terminal",
            "   -------------------- ------------- ---------- --------",
        ]
        for name in sorted(sw.runtime.get("sessions", {})):
            mark = "*" if s.data.get("session") == name else " "
            out.append(f"{mark}  {name:<20} pending")
        return "\n".join(out)

    def s_running(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> str:
        return self.render_running(sw.view, sw)

    def setup_commands(self) -> None:
        a = self.add
        a(r"ter[[minal]] len[[gth]] \d+", ALL)(lambda sw, s, m, r: "Pagination disabled.")
        a(r"ter[[minal]] w[[idth]] (?P<w>\d+)", ALL)(lambda sw, s, m, r: f"Width set to {m.group('w')} columns.")
        a(r"en[[able]]", EXEC)(self.h_noop)
        a(r"logout", EXEC)(self.h_close)
        a(r"wr[[ite]](?: m[[emory]])?|cop[[y]] ru[[nning-config]] st[[artup-config]]", ANYCONF + EXEC)(self.h_save)
        a(r"conf[[igure]] s[[ession]] (?P<name>\S+)", EXEC + ANYCONF)(self.h_session)
        a(r"com[[mit]]", ANYCONF)(self.h_commit)
        a(r"abo[[rt]]", ANYCONF)(self.h_abort)
        self.register_common_config(r"ip access-l[[ist]] (?P<name>\S+)")
        a(r"no ip access-l[[ist]] (?P<name>\S+)", ("config",))(self.h_no_acl)
        a(r"ip access-g[[roup]] (?P<name>\S+) (?P<dir>in|out)", IFC)(self.h_access_group)
        a(r"no ip access-g[[roup]](?: (?P<name>\S+))? (?P<dir>in|out)", IFC)(self.h_no_access_group)
        sh = r"sh[[ow]] "
        show: List[Tuple[str, Callable[[View], str]]] = [
            (r"mac a[[ddress-table]]", render_mac_table),
            (r"(?:ip )?ar[[p]]", render_arp),
            (r"ll[[dp]] n[[eighbors]] d[[etail]]", render_lldp_detail),
            (r"ll[[dp]] n[[eighbors]]", render_lldp),
            (r"int[[erfaces]] st[[atus]]", render_interfaces_status),
            (r"int[[erfaces]] sw[[itchport]]", render_switchport),
            (r"port-c[[hannel]] s[[ummary]]", render_port_channel),
            (r"vl[[an]](?: b[[rief]])?", render_vlan),
            (r"ver[[sion]]", render_version),
        ]
        for spec, fn in show:
            a(sh + spec, ALL)(lambda sw, s, m, r, fn=fn: fn(sw.view))
        a(sh + r"ru[[nning-config]]", ALL)(self.s_running)
        a(sh + r"star[[tup-config]]", ALL)(
            lambda sw, s, m, r: str(sw.view.get("startup_config") or "% startup-config is not present")
        )
        a(sh + r"session-c[[onfig]] d[[iffs]]", ANYCONF)(self.s_diffs)
        a(sh + r"session-c[[onfig]] n[[amed]] (?P<name>\S+) d[[iffs]]", ALL)(self.s_diffs)
        a(sh + r"conf[[iguration]] s[[essions]]", ALL)(self.s_sessions)
        self.json_cmds: List[Tuple[re.Pattern[str], Callable[[View], Dict[str, Any]]]] = [
            (re.compile(r"^show mac address-table$"), json_mac_table),
            (re.compile(r"^show (?:ip )?arp(?: vrf all)?$"), json_arp),
            (re.compile(r"^show lldp neighbors$"), json_lldp),
            (re.compile(r"^show lldp neighbors detail$"), json_lldp_detail),
            (re.compile(r"^show interfaces status$"), json_interfaces_status),
            (re.compile(r"^show version$"), json_version),
        ]

    def h_save(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        sw.view["startup_config"] = self.render_running(sw.view, sw)
        sw.persist()
        return "Copy completed successfully."

    def dispatch(self, sw: Switch, s: Session, raw: str) -> Result:
        norm = " ".join(raw.split())
        if norm.endswith("| json"):
            base = norm[: -len("| json")].strip()
            for pat, fn in self.json_cmds:
                if pat.match(base):
                    with sw.lock:
                        return Result(json.dumps(fn(sw.view), indent=2))
            return Result(self.invalid(norm, s))
        return super().dispatch(sw, s, raw)
