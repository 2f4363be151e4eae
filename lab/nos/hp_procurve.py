# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HP/Aruba ProCurve (K/KB/YA/WC 16.x): renderers and the CLI. VLAN membership is set from the
VLAN (``vlan 999 untagged 3``), ports are ``disable``d / ``enable``d and ``name``d from
``interface 3`` (also as one line: ``interface 3 disable``)."""

from __future__ import annotations

import re
import shlex
from typing import Any, Dict, List

from lab.nos.base import (
    Cfg,
    CloseSession,
    Platform,
    Result,
    Session,
    Switch,
    View,
    connected,
    learned_macs,
    live_neighbors,
    mac_hp,
    one_line,
)
from lab.nos.ciscolike import ACE_RE


def _ports(view: View) -> List[Dict[str, Any]]:
    return [i for i in Cfg(view).interfaces if re.match(r"^(?:[A-Z]?\d+(?:/\d+)?|Trk\d+)$", i["name"])]


def _phys(view: View) -> List[Dict[str, Any]]:
    return [i for i in _ports(view) if not i.get("is_lag")]


def _range(names: List[str]) -> str:
    nums = sorted(int(n) for n in names if n.isdigit())
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ",".join(parts + [n for n in names if not n.isdigit()])


def _expand(spec: str) -> List[str]:
    out: List[str] = []
    for part in spec.split(","):
        m = re.fullmatch(r"(\d+)-(\d+)", part)
        if m:
            out += [str(k) for k in range(int(m.group(1)), int(m.group(2)) + 1)]
        elif part:
            out.append(part[0].upper() + part[1:] if part.lower().startswith("trk") else part)
    return out


def render_mac_table(view: View) -> str:
    out = [
        "",
        " Status and Counters - Port Address Table",
        "",
        "  MAC Address       Port                            VLAN",
        "  ----------------- ------------------------------- ----",
    ]
    for mac, vlan, ifname, _k in sorted(learned_macs(view), key=lambda e: (e[1], e[0])):
        out.append(f"  {mac_hp(mac):<18}{ifname:<32}{vlan}")
    return "\n".join(out)


def render_arp(view: View) -> str:
    macs = {m: i for m, _v, i, _k in learned_macs(view)}
    out = [
        "",
        " IP ARP table",
        "",
        "  IP Address      MAC Address       Type    Port",
        "  --------------- ----------------- ------- ----",
    ]
    for e in view.get("arp", []):
        from lab.nos.base import mac_colon

        out.append(f"  {e['ip']:<16}{mac_hp(e['mac']):<18}{'dynamic':<8}{macs.get(mac_colon(e['mac']), '')}")
    return "\n".join(out)


def render_lldp(view: View) -> str:
    out = [
        "",
        " LLDP Remote Devices Information",
        "",
        "  LocalPort | ChassisId                 PortId PortDescr SysName               ",
        "  --------- + ------------------------- ------ --------- ----------------------",
    ]
    for n in live_neighbors(view):
        cid = " ".join(re.findall("..", re.sub(r"[^0-9a-f]", "", (n.get("remote_mac") or "0" * 12).lower())))
        port = one_line(n.get("remote_port"), 6)
        out.append(f"  {n['local_interface']:<9} | {cid:<25} {port:<6} {port:<9} {one_line(n.get('remote_name'), 22)}")
    return "\n".join(out)


def render_lldp_detail(view: View) -> str:
    out = ["", " LLDP Remote Device Information Detail", ""]
    first = True
    for n in live_neighbors(view):
        if not first:
            out += ["-" * 78]
        first = False
        caps = ", ".join(n.get("capabilities") or [])
        out += [
            f"  Local Port   : {n['local_interface']}",
            "  ChassisType  : mac-address",
            f"  ChassisId    : {mac_hp(n['remote_mac']) if n.get('remote_mac') else '000000-000000'}",
            "  PortType     : local",
            f"  PortId       : {one_line(n.get('remote_port'), 64)}",
            f"  SysName      : {one_line(n.get('remote_name'), 64)}",
            f"  System Descr : {one_line(n.get('remote_description') or 'Linux', 200)}",
            f"  PortDescr    : {one_line(n.get('remote_port'), 64)}",
            "  Pvid         : 1",
            "",
            f"  System Capabilities Supported  : {caps}",
            f"  System Capabilities Enabled    : {caps}",
            "",
            "  Remote Management Address",
            "",
        ]
    return "\n".join(out)


def render_interfaces_brief(view: View) -> str:
    out = [
        " Status and Counters - Port Status",
        "",
        "                          | Intrusion                           MDI  Flow Bcast",
        "  Port         Type       | Alert     Enabled Status Mode       Mode Ctrl Limit",
        "  ------------ ---------- + --------- ------- ------ ---------- ---- ---- -----",
    ]
    for i in _phys(view):
        port = f"{i['name']}-{i['lag']}" if i.get("lag") else i["name"]
        up = connected(view, i)
        en = "Yes" if i.get("enabled", True) else "No"
        out.append(
            f"  {port:<13}{'100/1000T':<11}| No        {en:<8}{'Up' if up else 'Down':<7}{'1000FDx':<11}"
            f"{'MDIX' if up else 'Auto':<5}off  0"
        )
    return "\n".join(out)


def render_interfaces_status(view: View) -> str:
    """``show interfaces status`` (16.x): name cut to 10 characters, port to 8, VLANs as the
    switch prints them (``No``, one VLAN ID, or ``multi``)."""
    out = [
        "  Port     Name       Status  Config-mode   Speed    Type       Tagged Untagged",
        "  -------- ---------- ------- ------------- -------- ---------- ------ --------",
    ]
    cfg = Cfg(view)
    for i in _phys(view):
        port = f"{i['name']}-{i['lag']}" if i.get("lag") else i["name"]
        if len(port) > 8:
            port = port[:5] + "..."
        name = one_line(i.get("description"), 64)
        if len(name) > 10:
            name = name[:7] + "..."
        src = cfg.iface(i["lag"]) if i.get("lag") else i
        src = src if src is not None else i
        if src.get("mode") == "trunk":
            tv = [int(v) for v in src.get("trunk_vlans") or []] or cfg.vlan_ids()
            tagged = "multi" if len(tv) > 1 else (str(tv[0]) if tv else "No")
            untagged = "No"
        else:
            tagged, untagged = "No", str(int(src.get("access_vlan") or 1))
        up = connected(view, i)
        mode, speed, typ = ("Auto", "1000FDx", "100/1000T") if up or i.get("enabled", True) else ("", "", "")
        out.append(
            f"  {port:<9}{name:<11}{'Up' if up else 'Down':<8}{mode:<14}{speed:<9}{typ:<11}{tagged:<7}{untagged}"
        )
    return "\n".join(out)


def _untagged(view: View, vid: int) -> List[str]:
    return [
        i["name"]
        for i in _ports(view)
        if not i.get("lag") and i.get("mode", "access") == "access" and int(i.get("access_vlan") or 1) == vid
    ]


def _tagged(view: View, vid: int) -> List[str]:
    return [
        i["name"]
        for i in _ports(view)
        if not i.get("lag")
        and i.get("mode") == "trunk"
        and (not i.get("trunk_vlans") or vid in [int(v) for v in i["trunk_vlans"]])
    ]


def render_vlans(view: View) -> str:
    cfg = Cfg(view)
    out = [
        " Status and Counters - VLAN Information",
        "",
        "  Maximum VLANs to support : 256",
        "  Primary VLAN : DEFAULT_VLAN",
        "  Management VLAN :",
        "",
        "  VLAN ID Name                             | Status     Voice Jumbo",
        "  ------- -------------------------------- + ---------- ----- -----",
    ]
    for vid in sorted(set([1, *cfg.vlan_ids()])):
        name = "DEFAULT_VLAN" if vid == 1 else cfg.vlan_name(vid)
        out.append(f"  {vid:<8}{name:<33}| {'Port-based':<11}No    No")
    return "\n".join(out)


def render_vlan(view: View, vid: int) -> str:
    cfg = Cfg(view)
    if vid != 1 and vid not in cfg.vlan_ids():
        return f"VLAN {vid} not configured"
    name = "DEFAULT_VLAN" if vid == 1 else cfg.vlan_name(vid)
    out = [
        "",
        f" Status and Counters - VLAN Information - VLAN {vid}",
        "",
        f"  VLAN ID : {vid}",
        f"  Name : {name}",
        "  Status : Port-based",
        "  Voice : No",
        "  Jumbo : No",
        "",
        "  Port Information Mode     Unknown VLAN Status    ",
        "  ---------------- -------- ------------ ----------",
    ]
    for p in _untagged(view, vid):
        i = Cfg(view).iface(p) or {}
        out.append(f"  {p:<17}{'Untagged':<9}{'Learn':<13}{'Up' if connected(view, i) else 'Down'}")
    for p in _tagged(view, vid):
        i = Cfg(view).iface(p) or {}
        out.append(f"  {p:<17}{'Tagged':<9}{'Learn':<13}{'Up' if connected(view, i) else 'Down'}")
    return "\n".join(out)


def render_trunks(view: View) -> str:
    out = [
        "",
        " Load Balancing Method:  L3-based (default)",
        "",
        "  Port   | Name                             Type       | Group  Type    ",
        "  ------ + -------------------------------- ---------- + ------ --------",
    ]
    for i in _phys(view):
        if i.get("lag"):
            out.append(f"  {i['name']:<6} | {one_line(i.get('description'), 32):<32} 100/1000T  | {i['lag']:<6} LACP")
    return "\n".join(out)


def _acl_ace(text: str) -> str:
    def wild(a: str) -> str:
        if a == "any":
            return "0.0.0.0 255.255.255.255"
        if a.startswith("host "):
            return f"{a[5:]} 0.0.0.0"
        return a

    m = re.match(r"^(permit|deny) (\S+) (any|host \S+|\S+ \S+|\S+/\d+) (any|host \S+|\S+ \S+|\S+/\d+)(.*)$", text)
    if not m:
        return text
    return f"{m.group(1)} {m.group(2)} {wild(m.group(3))} {wild(m.group(4))}{m.group(5)}"


def render_running(data: View, version: str = "YA.16.10.0009") -> str:
    cfg = Cfg(data)
    out = [
        "",
        "Running configuration:",
        "",
        f"; J9772A Configuration Editor; Created on release #{version}",
        "; Ver #14:01.4f.f8.1d.9b.3f.bf.bb.ef.7c.59.fc.6b.fb.9f.fc.ff.ff.37.ef:91",
        f'hostname "{one_line(data.get("hostname"), 63)}"',
    ]
    lags: Dict[str, List[str]] = {}
    for i in _phys(data):
        if i.get("lag"):
            lags.setdefault(i["lag"], []).append(i["name"])
    for lag, mem in sorted(lags.items()):
        out.append(f"trunk {_range(mem)} {lag.lower()} lacp")
    for i in _ports(data):
        lines = []
        if i.get("description"):
            lines.append(f'   name "{one_line(i["description"]).replace(chr(34), chr(39))}"')
        if not i.get("enabled", True):
            lines.append("   disable")
        if i.get("acl_in"):
            lines.append(f'   ip access-group "{one_line(i["acl_in"], 64)}" in')
        if lines:
            out += [f"interface {i['name']}", *lines, "   exit"]
    for name, acl in sorted((data.get("acls") or {}).items()):
        if isinstance(acl, dict):
            out.append(f'ip access-list extended "{one_line(name, 64)}"')
            out += [f"   {int(e['seq'])} {_acl_ace(one_line(e['text'], 200))}" for e in acl.get("entries", [])]
            out.append("   exit")
    for vid in sorted(set([1, *cfg.vlan_ids()])):
        out += [f"vlan {vid}", f'   name "{"DEFAULT_VLAN" if vid == 1 else cfg.vlan_name(vid)}"']
        u, t = _untagged(data, vid), _tagged(data, vid)
        if u:
            out.append(f"   untagged {_range(u)}")
        if t:
            out.append(f"   tagged {_range(t)}")
        if vid == 1:
            out.append("   ip address dhcp-bootp")
        out.append("   exit")
    return "\n".join(out)


def render_version(view: View) -> str:
    ver = one_line(view.get("version") or "YA.16.10.0009", 40)
    return "\n".join(
        [
            "Image stamp:    /ws/swbuildm/rel_yakima_qaoff/code/build/lvm(swbuildm_rel_yakima_qaoff_rel_yakima)",
            "                Jun 14 2021 10:18:49",
            f"                {ver}",
            "                2158",
            "Boot Image:     Primary",
            "",
            "Boot ROM Version:    YA.15.20",
            "Active Boot ROM:     Primary",
        ]
    )


_CONF = ("config", "eth", "vlan", "acl")


class HPProcurve(Platform):
    name = "hp_procurve"
    ssh_banner = ""

    def banner(self, sw: Switch) -> str:
        return (
            "HP J9772A 2530-48G-PoEP Switch\nSoftware revision YA.16.10.0009\n\n"
            "(C) Copyright 2021 Hewlett Packard Enterprise Development LP\n\n"
            "                       RESTRICTED RIGHTS LEGEND\n"
            " Confidential computer software. Valid license from HPE required for possession,\n"
            " use or copying.\n\n"
            "Press any key to continue"
        )

    def start_session(self, sw: Switch, s: Session) -> None:
        # the banner waits for a key before the first prompt; what "startup-config" holds when the
        # session starts decides whether logout asks to save
        s.data["pending"] = "anykey"
        sw.runtime.setdefault("boot_config", render_running(sw.view, self._version(sw)))

    @staticmethod
    def _version(sw: Switch) -> str:
        return str(sw.view.get("version") or "YA.16.10.0009")

    def _unsaved(self, sw: Switch) -> bool:
        saved = sw.view.get("startup_config") or sw.runtime.get("boot_config")
        return saved is not None and saved != render_running(sw.view, self._version(sw))

    def answer(self, sw: Switch, s: Session, line: str) -> Result:
        """A line typed at one of the switch's questions (not a command)."""
        pending = s.data.pop("pending", None)
        word = line.strip().lower()
        if pending == "save":
            if word in ("y", "yes"):
                self.save(sw)
            if word in ("y", "yes", "n", "no"):
                s.data["pending"] = "logout"
            return Result("")
        if pending == "logout" and word in ("y", "yes"):
            return Result("", close=True)
        return Result("")

    def prompt(self, sw: Switch, s: Session) -> str:
        pending = s.data.get("pending")
        if pending == "anykey":
            return ""
        if pending == "save":
            return "Do you want to save current configuration [y/n/^C]? "
        if pending == "logout":
            return "Do you want to log out [y/n]? "
        ctx = {
            "exec": "",
            "config": "(config)",
            "eth": f"(eth-{s.ctx})",
            "vlan": f"(vlan-{s.ctx})",
            "acl": "(config-ext-nacl)",
        }.get(s.mode, "(config)")
        return f"{sw.hostname}{ctx}#"

    def invalid(self, line: str, s: Session) -> str:
        return f"Invalid input: {one_line(line.split()[0] if line.split() else line, 80)}"

    def save(self, sw: Switch) -> str:
        sw.view["startup_config"] = render_running(sw.view, self._version(sw))
        sw.persist()
        return ""

    def dispatch(self, sw: Switch, s: Session, raw: str) -> Result:
        line = " ".join(raw.split())
        if s.data.get("pending"):
            with sw.lock:
                return self.answer(sw, s, line)
        if not line:
            return Result("")
        base, _unused, pipe = line.partition(" | ")
        with sw.lock:
            try:
                out = self.cmd(sw, s, base, raw.strip())
            except CloseSession:
                return Result("", close=True)
            if pipe:
                piped = self.apply_pipes(out, [tuple(([*pipe.split(" ", 1), ""])[:2])], s)  # type: ignore[list-item]
                out = piped if piped is not None else self.invalid(pipe, s)
            return Result(out)

    def cmd(self, sw: Switch, s: Session, line: str, raw: str) -> str:
        w = line.split()
        lw = [x.lower() for x in w]
        cfg = sw.cfg
        if lw[0] in ("show", "sh"):
            return self.show(sw, s, lw[1:], line)
        if lw == ["no", "page"] or (lw[:1] == ["terminal"] and len(lw) == 3 and lw[2].isdigit()):
            return ""
        if lw == ["enable"] and s.mode == "exec":
            return ""
        if lw in (["write", "memory"], ["write", "mem"], ["wr", "mem"]):
            return self.save(sw)
        if lw[0] in ("exit", "logout"):
            if s.mode == "exec" or lw[0] == "logout":
                # ProCurve asks before it logs out (and first whether to save unsaved changes)
                s.mode, s.ctx = "exec", None
                s.data["pending"] = "save" if self._unsaved(sw) else "logout"
                return ""
            s.mode, s.ctx = ("exec" if s.mode == "config" else "config"), None
            return ""
        if lw[0] == "end" and s.mode != "exec":
            s.mode, s.ctx = "exec", None
            return ""
        if lw[0] in ("configure", "config", "conf") and len(lw) <= 2 and s.mode == "exec":
            s.mode = "config"
            return ""
        if s.mode == "exec":
            return self.invalid(line, s)
        # -- configuration
        if lw[0] == "interface" and len(w) >= 2:
            ifc = cfg.find_iface(w[1])
            if ifc is None:
                return f"Module not present for port or invalid port: {one_line(w[1], 20)}"
            if len(w) == 2:
                s.mode, s.ctx = "eth", ifc["name"]
                return ""
            return self.if_cmd(sw, ifc, w[2:], raw.split(None, 2)[2] if len(raw.split(None, 2)) > 2 else "", line, s)
        if s.mode == "eth":
            ifc = cfg.iface(s.ctx)
            if ifc is not None:
                return self.if_cmd(sw, ifc, w, raw, line, s)
        if lw[0] == "vlan" and len(w) >= 2 and w[1].isdigit():
            vid = int(w[1])
            if not 1 <= vid <= 4094:
                return self.invalid(line, s)
            cfg.ensure_vlan(vid)
            if len(w) == 2:
                s.mode, s.ctx = "vlan", str(vid)
                sw.persist()
                return ""
            return self.vlan_cmd(sw, vid, w[2:], raw, line, s)
        if s.mode == "vlan":
            return self.vlan_cmd(sw, int(str(s.ctx)), w, raw, line, s)
        if lw[:2] == ["no", "vlan"] and len(w) == 3 and w[2].isdigit():
            cfg.remove_vlan(int(w[2]))
            sw.persist()
            return ""
        if lw[:4] == ["no", "ip", "access-list", "extended"] and len(w) == 5 and s.mode == "config":
            cfg.data["acls"].pop(w[4].strip('"'), None)
            sw.persist()
            return ""
        if lw[:3] == ["ip", "access-list", "extended"] and len(w) == 4:
            name = w[3].strip('"')
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{0,63}", name):
                return self.invalid(line, s)
            cfg.define_acl(name, "ip")
            s.mode, s.ctx = "acl", name
            sw.persist()
            return ""
        if s.mode == "acl":
            m = re.fullmatch(r"no (\d+)", line)
            if m:  # remove the entry with that sequence number
                acl = cfg.acl(str(s.ctx))
                if acl is not None:
                    acl["entries"] = [e for e in acl["entries"] if int(e["seq"]) != int(m.group(1))]
                    sw.persist()
                return ""
            m = re.fullmatch(r"(?:(\d+) )?((?:permit|deny) .+)", line)
            if m:
                body = m.group(2)
                # ProCurve wildcard form "A 0.0.0.0" == "host A"; "0.0.0.0 255.255.255.255" == any
                body = body.replace("0.0.0.0 255.255.255.255", "any")
                body = re.sub(r"(\d+\.\d+\.\d+\.\d+) 0\.0\.0\.0", r"host \1", body)
                if ACE_RE.match(body):
                    cfg.add_ace(str(s.ctx), body, int(m.group(1)) if m.group(1) else None)
                    sw.persist()
                    return ""
            return self.invalid(line, s)
        if lw[0] == "hostname" and len(w) == 2:
            name = w[1].strip('"')
            if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,62}", name):
                cfg.data["hostname"] = name
                sw.persist()
                return ""
        return self.invalid(line, s)

    def if_cmd(self, sw: Switch, ifc: Dict[str, Any], w: List[str], rest: str, line: str, s: Session) -> str:
        lw = [x.lower() for x in w]
        if lw == ["disable"]:
            ifc["enabled"] = False
        elif lw == ["enable"]:
            ifc["enabled"] = True
        elif lw[:1] == ["name"] and len(w) >= 2:
            try:
                text = " ".join(shlex.split(rest.split(None, 1)[1]))
            except (ValueError, IndexError):
                return self.invalid(line, s)
            ifc["description"] = one_line(text, 64)
        elif lw == ["no", "name"]:
            ifc["description"] = ""
        elif lw[:2] == ["ip", "access-group"] and len(w) == 4 and lw[3] in ("in", "out"):
            name = w[2].strip('"')
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{0,63}", name):
                return self.invalid(line, s)
            ifc["acl_in" if lw[3] == "in" else "acl_out"] = name
        elif lw[:3] == ["no", "ip", "access-group"] and lw[-1] in ("in", "out"):
            ifc["acl_in" if lw[-1] == "in" else "acl_out"] = None
        elif lw == ["exit"]:
            s.mode, s.ctx = "config", None
            return ""
        else:
            return self.invalid(line, s)
        sw.persist()
        return ""

    def vlan_cmd(self, sw: Switch, vid: int, w: List[str], raw: str, line: str, s: Session) -> str:
        lw = [x.lower() for x in w]
        cfg = sw.cfg
        if lw[:1] == ["name"] and len(w) == 2:
            name = w[1].strip('"')
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", name):
                return self.invalid(line, s)
            cfg.ensure_vlan(vid, name)
        elif lw[:1] in (["untagged"], ["tagged"]) and len(w) == 2:
            ports = []
            for p in _expand(w[1]):
                ifc = cfg.find_iface(p)
                if ifc is None:
                    return f"Module not present for port or invalid port: {one_line(p, 20)}"
                ports.append(ifc)
            for ifc in ports:
                if lw[0] == "untagged":
                    ifc["mode"] = "access" if ifc.get("mode") != "trunk" else "trunk"
                    if ifc["mode"] == "access":
                        ifc["access_vlan"] = vid
                else:
                    ifc["mode"] = "trunk"
                    tv = set(int(v) for v in ifc.get("trunk_vlans") or [])
                    ifc["trunk_vlans"] = sorted(tv | {vid})
        elif lw[:2] in (["no", "untagged"], ["no", "tagged"]) and len(w) == 3:
            for p in _expand(w[2]):
                ifc = cfg.find_iface(p)
                if ifc is None:
                    return f"Module not present for port or invalid port: {one_line(p, 20)}"
                if lw[1] == "untagged" and int(ifc.get("access_vlan") or 1) == vid:
                    ifc["access_vlan"] = 1
                if lw[1] == "tagged":
                    ifc["trunk_vlans"] = [v for v in ifc.get("trunk_vlans") or [] if int(v) != vid]
        elif lw == ["exit"]:
            s.mode, s.ctx = "config", None
            return ""
        else:
            return self.invalid(line, s)
        sw.persist()
        return ""

    def show(self, sw: Switch, s: Session, w: List[str], line: str) -> str:
        v = sw.view
        j = " ".join(w)
        if re.fullmatch(r"mac-a[a-z]*", j):
            return render_mac_table(v)
        if j == "arp":
            return render_arp(v)
        # with a port list (e.g. "all", "1-24", "A1,Trk1") ProCurve prints the detail form
        if re.fullmatch(r"ll[a-z]* i[a-z]* r[a-z-]* (?:detail|d[a-z]*|all|[A-Za-z]*\d[\w,/-]*)", j):
            return render_lldp_detail(v)
        if re.fullmatch(r"ll[a-z]* i[a-z]* r[a-z-]*", j):
            return render_lldp(v)
        if re.fullmatch(r"int[a-z]* b[a-z]*", j):
            return render_interfaces_brief(v)
        if re.fullmatch(r"int[a-z]* st[a-z]*", j):
            return render_interfaces_status(v)
        if re.fullmatch(r"vlans?", j):
            return render_vlans(v)
        m = re.fullmatch(r"vlans? (\d+)", j)
        if m:
            return render_vlan(v, int(m.group(1)))
        if re.fullmatch(r"tr[a-z]*", j):
            return render_trunks(v)
        if re.fullmatch(r"ru[a-z-]*", j):
            return render_running(v, str(v.get("version") or "YA.16.10.0009"))
        if re.fullmatch(r"ver[a-z]*", j):
            return render_version(v)
        return self.invalid(line.split(" ", 1)[1] if " " in line else line, s)
