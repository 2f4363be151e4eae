# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The configuration-mode state machine shared by the industry-standard CLIs (IOS, NX-OS, EOS,
AOS-CX): ``configure terminal`` -> ``interface X`` / ``ip access-list ...`` / ``vlan N`` ->
``end``. Each platform registers its own spellings and renders its own outputs; the changes
go through ``Cfg`` so that later ``show`` commands (in any session) see them.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from lab.nos.base import Cfg, CloseSession, Platform, Session, Switch, caret_line, first_bad_token, one_line

EXEC = ("exec",)
CONF = ("config",)
IFC = ("config-if",)
ACL = ("config-acl",)
VLAN = ("config-vlan",)
ANYCONF = ("config", "config-if", "config-acl", "config-vlan")
ALL = ("exec", *ANYCONF)

# one ACE as the lab accepts it: action, protocol, source with an optional source-port match (as in
# "permit udp any eq bootpc any eq bootps"), destination, optional destination-port/log tail
_ACE_ADDR = r"(any|host \d+\.\d+\.\d+\.\d+|\d+\.\d+\.\d+\.\d+(?:/\d+| \d+\.\d+\.\d+\.\d+))"
_ACE_PORT = r"(?: (?:eq|gt|lt|neq) [A-Za-z0-9-]+| range [A-Za-z0-9-]+ [A-Za-z0-9-]+)"
ACE_RE = re.compile(
    rf"^(permit|deny) (ip|tcp|udp|icmp|\d{{1,3}}) {_ACE_ADDR}({_ACE_PORT}?) {_ACE_ADDR}"
    rf"((?:{_ACE_PORT}| log| established)*)$",
    re.IGNORECASE,
)


class CiscoLike(Platform):
    """Common handlers; subclasses register the commands with their spellings."""

    config_banner = "Enter configuration commands, one per line.  End with CNTL/Z."
    acl_kind = "extended"

    # -- hooks
    def short(self, name: str) -> str:
        return name

    def cfg(self, sw: Switch, s: Session) -> Cfg:
        return sw.cfg

    def changed(self, sw: Switch, s: Session) -> None:
        sw.persist()

    def invalid(self, line: str, s: Session) -> str:
        bad = first_bad_token(line, self._vocab)
        return caret_line(str(s.data.get("prompt", "")), line, bad) + "\n% Invalid input detected at '^' marker.\n"

    def setup(self) -> None:
        self._vocab: List[Tuple[str, ...]] = []
        self.setup_commands()
        self._vocab = self.vocabulary()

    def setup_commands(self) -> None:
        raise NotImplementedError

    def prompt(self, sw: Switch, s: Session) -> str:
        p = self.mode_prompt(sw, s)
        s.data["prompt"] = p
        return p

    def mode_prompt(self, sw: Switch, s: Session) -> str:
        host = sw.hostname[:20]
        suffix = {
            "exec": "",
            "config": "(config)",
            "config-if": "(config-if)",
            "config-acl": "(config-ext-nacl)",
            "config-vlan": "(config-vlan)",
        }.get(s.mode, "(config)")
        return f"{host}{suffix}#"

    # -- shared handlers
    def h_noop(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        return ""

    def h_close(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        raise CloseSession()

    def h_configure(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        s.mode, s.ctx = "config", None
        return self.config_banner

    def h_end(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        s.mode, s.ctx = "exec", None
        return ""

    def h_exit(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        if s.mode == "exec":
            raise CloseSession()
        s.mode, s.ctx = ("exec" if s.mode == "config" else "config"), None
        return ""

    def h_do(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        mode, ctx = s.mode, s.ctx
        s.mode = "exec"
        try:
            res = self.dispatch(sw, s, m.group("cmd"))
        finally:
            s.mode, s.ctx = mode, ctx
        return res.output

    def h_interface(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        ifc = self.cfg(sw, s).find_iface(m.group("ifname"))
        if ifc is None:
            return self.invalid(raw.strip(), s)
        s.mode, s.ctx = "config-if", ifc["name"]
        return ""

    def _ifc(self, sw: Switch, s: Session) -> dict:  # type: ignore[type-arg]
        ifc = self.cfg(sw, s).iface(s.ctx)
        if ifc is None:
            raise ValueError(f"interface {s.ctx} vanished")
        return ifc

    def h_access_vlan(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        vid = int(m.group("vid"))
        if not 1 <= vid <= 4094:
            return self.invalid(raw.strip(), s)
        cfg = self.cfg(sw, s)
        out = ""
        if vid not in cfg.vlan_ids():
            cfg.ensure_vlan(vid)
            out = self.vlan_created_message(vid)
        self._ifc(sw, s)["access_vlan"] = vid
        self.changed(sw, s)
        return out

    def vlan_created_message(self, vid: int) -> str:
        return f"% Access VLAN does not exist. Creating vlan {vid}"

    def h_no_access_vlan(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        self._ifc(sw, s)["access_vlan"] = 1
        self.changed(sw, s)
        return ""

    def h_mode(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        word = m.group("mode").lower()
        ifc = self._ifc(sw, s)
        ifc["mode"] = "trunk" if "trunk".startswith(word) else "access"
        if ifc["mode"] == "access" and not ifc.get("access_vlan"):
            ifc["access_vlan"] = 1
        self.changed(sw, s)
        return ""

    def h_trunk_allowed(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        from lab.nos.base import parse_vlan_list

        try:
            vids = parse_vlan_list(m.group("vids"))
        except ValueError:
            return self.invalid(raw.strip(), s)
        ifc = self._ifc(sw, s)
        op = (m.group("op") or "").lower()
        cur = [int(v) for v in ifc.get("trunk_vlans") or []]
        if op.startswith("a"):
            cur = sorted(set(cur) | set(vids))
        elif op.startswith("r"):
            cur = [v for v in cur if v not in vids]
        else:
            cur = sorted(set(vids))
        ifc["trunk_vlans"] = cur
        self.changed(sw, s)
        return ""

    def h_shutdown(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        self._ifc(sw, s)["enabled"] = False
        self.changed(sw, s)
        return ""

    def h_no_shutdown(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        self._ifc(sw, s)["enabled"] = True
        self.changed(sw, s)
        return ""

    def h_description(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        # the description is the rest of the raw line, spaces kept, as the device stores it
        mm = re.match(r"^\s*\S+\s+(.*?)\s*$", raw)
        text = mm.group(1) if mm else ""
        self._ifc(sw, s)["description"] = one_line(text, 240)
        self.changed(sw, s)
        return ""

    def h_no_description(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        self._ifc(sw, s)["description"] = ""
        self.changed(sw, s)
        return ""

    def h_access_group(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        direction = "acl_out" if m.group("dir").lower().startswith("o") else "acl_in"
        self._ifc(sw, s)[direction] = m.group("name")
        self.changed(sw, s)
        return ""

    def h_no_access_group(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        direction = "acl_out" if m.group("dir").lower().startswith("o") else "acl_in"
        ifc = self._ifc(sw, s)
        name = m.groupdict().get("name")
        if name and ifc.get(direction) not in (None, name):
            return ""
        ifc[direction] = None
        self.changed(sw, s)
        return ""

    def h_acl(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        name = m.group("name")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{0,63}", name):
            return self.invalid(raw.strip(), s)
        self.cfg(sw, s).define_acl(name, "ip")
        s.mode, s.ctx = "config-acl", name
        self.changed(sw, s)
        return ""

    def h_no_acl(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        self.cfg(sw, s).data["acls"].pop(m.group("name"), None)
        self.changed(sw, s)
        return ""

    def h_ace(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        body = m.group("body")
        if not ACE_RE.match(body):
            return self.invalid(raw.strip(), s)
        seq = m.group("seq")
        self.cfg(sw, s).add_ace(str(s.ctx), body.lower(), int(seq) if seq else None)
        self.changed(sw, s)
        return ""

    def h_remark(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        mm = re.match(r"^\s*(?:\d+\s+)?\S+\s+(.*?)\s*$", raw)
        self.cfg(sw, s).add_ace(str(s.ctx), "remark " + one_line(mm.group(1) if mm else "", 100))
        self.changed(sw, s)
        return ""

    def h_no_ace(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        acl = self.cfg(sw, s).acl(str(s.ctx))
        if acl is not None:
            seq = int(m.group("seq"))
            acl["entries"] = [e for e in acl["entries"] if int(e["seq"]) != seq]
            self.changed(sw, s)
        return ""

    def h_no_ace_text(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        # "no permit ..." in an ACL removes the entry with that text, as IOS does
        acl = self.cfg(sw, s).acl(str(s.ctx))
        body = " ".join(m.group("body").lower().split())
        if acl is not None:
            for e in acl["entries"]:
                if " ".join(str(e["text"]).lower().split()) == body:
                    acl["entries"].remove(e)
                    self.changed(sw, s)
                    break
        return ""

    def h_vlan(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        vid = int(m.group("vid"))
        if not 1 <= vid <= 4094:
            return self.invalid(raw.strip(), s)
        self.cfg(sw, s).ensure_vlan(vid)
        s.mode, s.ctx = "config-vlan", str(vid)
        self.changed(sw, s)
        return ""

    def h_no_vlan(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        self.cfg(sw, s).remove_vlan(int(m.group("vid")))
        self.changed(sw, s)
        return ""

    def h_vlan_name(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        name = m.group("name")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", name):
            return self.invalid(raw.strip(), s)
        self.cfg(sw, s).ensure_vlan(int(str(s.ctx)), name)
        self.changed(sw, s)
        return ""

    def h_hostname(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        name = m.group("name")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,62}", name):
            return self.invalid(raw.strip(), s)
        self.cfg(sw, s).data["hostname"] = name
        self.changed(sw, s)
        return ""

    def h_save(self, sw: Switch, s: Session, m: re.Match[str], raw: str) -> Optional[str]:
        sw.view["startup_config"] = self.render_running(sw.view, sw)
        sw.persist()
        return "Building configuration...\n[OK]"

    def render_running(self, data: dict, sw: Switch) -> str:  # type: ignore[type-arg]
        raise NotImplementedError

    def register_common_config(self, acl_spec: str, ifname_spec: str = r"(?P<ifname>\S+(?: \S+)?)") -> None:
        """Register the config-mode commands whose spelling IOS, NX-OS and EOS share."""
        a = self.add
        a(r"conf[[igure]] t[[erminal]]|conf[[igure]]", EXEC)(self.h_configure)
        a(r"end", ANYCONF)(self.h_end)
        a(r"exit|quit", ALL)(self.h_exit)
        a(r"do (?P<cmd>.+)", ANYCONF)(self.h_do)
        a(r"int[[erface]] " + ifname_spec, ANYCONF)(self.h_interface)
        a(r"host[[name]] (?P<name>\S+)", CONF)(self.h_hostname)
        a(r"vl[[an]] (?P<vid>\d+)", ANYCONF)(self.h_vlan)
        a(r"no vl[[an]] (?P<vid>\d+)", CONF)(self.h_no_vlan)
        a(r"na[[me]] (?P<name>\S+)", VLAN)(self.h_vlan_name)
        a(r"sw[[itchport]] m[[ode]] (?P<mode>a[[ccess]]|t[[runk]])", IFC)(self.h_mode)
        a(r"sw[[itchport]] a[[ccess]] v[[lan]] (?P<vid>\d+)", IFC)(self.h_access_vlan)
        a(r"no sw[[itchport]] a[[ccess]] v[[lan]](?: \d+)?", IFC)(self.h_no_access_vlan)
        a(
            r"sw[[itchport]] t[[runk]] a[[llowed]] v[[lan]] (?:(?P<op>a[[dd]]|r[[emove]]) )?(?P<vids>[\d,-]+)",
            IFC,
        )(self.h_trunk_allowed)
        a(r"shu[[tdown]]", IFC)(self.h_shutdown)
        a(r"no shu[[tdown]]", IFC)(self.h_no_shutdown)
        a(r"desc[[ription]] .+", IFC)(self.h_description)
        a(r"no desc[[ription]](?: .*)?", IFC)(self.h_no_description)
        a(acl_spec, ANYCONF)(self.h_acl)
        a(r"(?:(?P<seq>\d+) )?(?P<body>(?:permit|deny) .+)", ACL)(self.h_ace)
        a(r"(?:\d+ )?rem[[ark]] .+", ACL)(self.h_remark)
        a(r"no (?P<seq>\d+)", ACL)(self.h_no_ace)
        a(r"no (?P<body>(?:permit|deny) .+)", ACL)(self.h_no_ace_text)
