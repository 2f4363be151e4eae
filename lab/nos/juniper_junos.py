# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Juniper Junos (EX, ELS): operational renderers and the candidate-configuration CLI:
``configure`` -> ``set`` / ``delete`` / ``edit`` -> ``show | compare`` -> ``commit`` /
``commit confirmed N`` (rolled back after N minutes unless confirmed) / ``rollback N``.

The candidate is shared by every ``configure`` session of the switch, as on Junos
(``configure private`` gets its own). The last 50 committed configurations are kept for
``rollback``.
"""

from __future__ import annotations

import copy
import difflib
import re
import shlex
import threading
from typing import Any, Dict, List, Optional, Tuple
from xml.sax.saxutils import escape

from lab.nos.base import (
    Cfg,
    CloseSession,
    Platform,
    Result,
    Session,
    Switch,
    View,
    caret_line,
    connected,
    learned_macs,
    live_neighbors,
    mac_colon,
    one_line,
)

HISTORY = 50
# family ethernet-switching filter match conditions: the ELS names (ip-*, ether-type) and the
# legacy EX ones (source-address, protocol)
FILTER_ADDRESS_MATCHES = ("source-address", "destination-address", "ip-source-address", "ip-destination-address")
FILTER_VALUE_MATCHES = ("protocol", "ip-protocol", "ether-type", "source-port", "destination-port")


def _ports(view: View) -> List[Dict[str, Any]]:
    return [i for i in Cfg(view).interfaces if re.match(r"^(?:[a-z]{2}-\d|ae\d)", i["name"])]


def _unit(name: str) -> str:
    return name if "." in name else f"{name}.0"


def _irb(name: str) -> str:
    m = re.match(r"^[Vv]lan(\d+)$", name or "")
    return f"irb.{m.group(1)}" if m else (name or "irb.0")


def members_of(cfg: Cfg, i: Dict[str, Any]) -> List[str]:
    """VLAN member names of a port, as its configuration lists them."""
    if "_members" in i:
        return list(i["_members"])
    if i.get("lag") or i.get("mode") == "routed":
        return []
    if i.get("mode") == "trunk":
        return [cfg.vlan_name(int(v)) for v in i.get("trunk_vlans") or []]
    vid = int(i.get("access_vlan") or 1)
    return [] if vid == 1 else [cfg.vlan_name(vid)]


# -- operational renderers ---------------------------------------------------------------------


def render_mac_table(view: View) -> str:
    cfg = Cfg(view)
    rows = sorted(learned_macs(view), key=lambda e: (e[1], e[0]))
    out = [
        "",
        "MAC flags (S - static MAC, D - dynamic MAC, L - locally learned, P - Persistent static",
        "           SE - statistics enabled, NM - non configured MAC, R - remote PE MAC, O - ovsdb MAC)",
        "",
        "",
        f"Ethernet switching table : {len(rows)} entries, {len(rows)} learned",
        "Routing instance : default-switch",
        "    Vlan                MAC                 MAC         Age    Logical                NH        RTR ",
        "    name                address             flags              interface              Index     ID",
    ]
    for mac, vlan, ifname, kind in rows:
        flags = "D" if kind == "dynamic" else "S"
        out.append(f"    {cfg.vlan_name(vlan):<20}{mac:<20}{flags:<12}  -   {_unit(ifname):<23}0         0")
    out += [""]
    return "\n".join(out)


def xml_mac_table(view: View) -> str:
    cfg = Cfg(view)
    rows = sorted(learned_macs(view), key=lambda e: (e[1], e[0]))
    out = [
        '<rpc-reply xmlns:junos="http://xml.juniper.net/junos/20.4R0/junos">',
        "    <l2ng-l2ald-rtb-macdb>",
        '        <l2ng-l2ald-mac-entry-vlan junos:style="brief-rtb">',
        f"            <l2ng-l2-mac-total-count>{len(rows)}</l2ng-l2-mac-total-count>",
        f"            <l2ng-l2-mac-learned-count>{len(rows)}</l2ng-l2-mac-learned-count>",
        "            <l2ng-l2-mac-routing-instance>default-switch</l2ng-l2-mac-routing-instance>",
    ]
    for mac, vlan, ifname, kind in rows:
        out += [
            "            <l2ng-mac-entry>",
            f"                <l2ng-l2-mac-vlan-name>{escape(cfg.vlan_name(vlan))}</l2ng-l2-mac-vlan-name>",
            f"                <l2ng-l2-mac-address>{mac}</l2ng-l2-mac-address>",
            f"                <l2ng-l2-mac-flags>{'D' if kind == 'dynamic' else 'S'}</l2ng-l2-mac-flags>",
            "                <l2ng-l2-mac-age>-</l2ng-l2-mac-age>",
            f"                <l2ng-l2-mac-logical-interface>{escape(_unit(ifname))}</l2ng-l2-mac-logical-interface>",
            "                <l2ng-l2-mac-fwd-next-hop>0</l2ng-l2-mac-fwd-next-hop>",
            "                <l2ng-l2-mac-rtr-id>0</l2ng-l2-mac-rtr-id>",
            "            </l2ng-mac-entry>",
        ]
    out += [
        "        </l2ng-l2ald-mac-entry-vlan>",
        "    </l2ng-l2ald-rtb-macdb>",
        "    <cli>",
        "        <banner>{master:0}</banner>",
        "    </cli>",
        "</rpc-reply>",
    ]
    return "\n".join(out)


def render_arp(view: View) -> str:
    out = ["MAC Address       Address         Interface                Flags"]
    arp = view.get("arp", [])
    for e in arp:
        out.append(f"{mac_colon(e['mac'])} {e['ip']:<15} {_irb(one_line(e.get('interface'), 40)):<24} none")
    out.append(f"Total entries: {len(arp)}")
    return "\n".join(out)


def render_lldp(view: View) -> str:
    cfg = Cfg(view)
    out = ["Local Interface    Parent Interface    Chassis Id          Port info          System Name"]
    for n in live_neighbors(view):
        ifc = cfg.iface(n["local_interface"]) or {}
        parent = ifc.get("lag") or "-"
        chassis = mac_colon(n["remote_mac"]) if n.get("remote_mac") else "00:00:00:00:00:00"
        out.append(
            f"{n['local_interface']:<19}{parent:<20}{chassis:<20}{one_line(n.get('remote_port'), 18):<19}"
            f"{one_line(n.get('remote_name'), 64)}"
        )
    return "\n".join(out)


def render_es_interfaces(view: View) -> str:
    cfg = Cfg(view)
    out = ["Interface    State  VLAN members        Tag   Tagging  Blocking ", ""]
    for i in _ports(view):
        if i.get("lag") or i.get("mode") == "routed":
            continue
        state = "up" if connected(view, i) else "down"
        trunk = i.get("mode") == "trunk"
        vids = [int(v) for v in i.get("trunk_vlans") or []] if trunk else [int(i.get("access_vlan") or 1)]
        tagging = "tagged" if trunk else "untagged"
        first = True
        for vid in vids:
            name = "default" if vid == 1 else cfg.vlan_name(vid)
            left = f"{_unit(i['name']):<13}{state:<8}" if first else " " * 21
            out.append(f"{left}{name:<20}{vid:<6} {tagging:<8} unblocked")
            first = False
    return "\n".join(out)


def render_vlans(view: View) -> str:
    cfg = Cfg(view)
    out = ["", "Routing instance        VLAN name             Tag          Interfaces"]
    for vid in sorted(set([1, *cfg.vlan_ids()])):
        name = "default" if vid == 1 else cfg.vlan_name(vid)
        out.append(f"{'default-switch':<24}{name:<22}{vid}")
        for i in _ports(view):
            if i.get("lag") or i.get("mode") == "routed":
                continue
            trunk = i.get("mode") == "trunk"
            vids = [int(v) for v in i.get("trunk_vlans") or []] if trunk else [int(i.get("access_vlan") or 1)]
            if vid in vids:
                star = "*" if connected(view, i) else ""
                out.append(" " * 59 + _unit(i["name"]) + star)
    return "\n".join(out)


def render_lacp(view: View) -> str:
    cfg = Cfg(view)
    out = []
    for lag in [i for i in cfg.interfaces if i.get("is_lag")]:
        mems = cfg.members(lag["name"])
        out += [
            f"Aggregated interface: {lag['name']}",
            "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity",
        ]
        for m in mems:
            up = "Yes" if m.get("enabled", True) else "No"
            for role in ("Actor", "Partner"):
                out.append(
                    f"      {m['name']:<12}{role:>7}    No    No   {up:>3}  {up:>3}  {up:>3}   Yes     Fast    Active"
                )
        out.append("    LACP protocol:        Receive State  Transmit State          Mux State ")
        for m in mems:
            out.append(f"      {m['name']:<22}Current   Fast periodic Collecting distributing")
        out.append("")
    return "\n".join(out)


def render_terse(view: View) -> str:
    out = ["Interface               Admin Link Proto    Local                 Remote"]
    for i in _ports(view):
        admin = "up" if i.get("enabled", True) else "down"
        link = "up" if connected(view, i) else "down"
        out.append(f"{i['name']:<24}{admin:<6}{link}")
        if not i.get("lag"):
            out.append(
                f"{_unit(i['name']):<24}{admin:<6}{link:<5}{'eth-switch' if i.get('mode') != 'routed' else 'inet'}"
            )
    return "\n".join(out)


def render_descriptions(view: View) -> str:
    """``show interfaces descriptions``: only the interfaces that have a description, as on Junos."""
    rows = [i for i in _ports(view) if i.get("description")]
    if not rows:
        return ""
    out = ["Interface       Admin Link Description"]
    for i in rows:
        admin = "up" if i.get("enabled", True) else "down"
        link = "up" if connected(view, i) else "down"
        out.append(f"{i['name']:<16}{admin:<6}{link:<5}{one_line(i['description'], 200)}")
    return "\n".join(out)


def render_version(view: View) -> str:
    ver = one_line(view.get("version") or "20.4R3.8", 40)
    host = one_line(view.get("hostname") or view.get("name"), 63)
    return "\n".join(
        [
            "fpc0:",
            "--------------------------------------------------------------------------",
            f"Hostname: {host}",
            "Model: ex3400-48p",
            f"Junos: {ver}",
            "JUNOS OS Kernel 64-bit  [20210902.2b4d5d5_builder_stable_11-204ab]",
            "JUNOS OS libs [20210902.2b4d5d5_builder_stable_11-204ab]",
            "JUNOS OS runtime [20210902.2b4d5d5_builder_stable_11-204ab]",
            f"JUNOS Base OS boot [{ver}]",
            f"JUNOS EX  Software Suite [{ver}]",
            f"JUNOS Online Documentation [{ver}]",
            "",
        ]
    )


# -- configuration text ------------------------------------------------------------------------


def _q(text: str) -> str:
    t = one_line(text, 240).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{t}"' if (not t or re.search(r"[\s;{}#\"]", t)) else t


def render_config(data: View) -> str:
    cfg = Cfg(data)
    out = [
        "## Last commit: 2026-11-30 09:00:00 UTC by camguard",
        "version 20.4R3.8;",
        "system {",
        f"    host-name {one_line(data.get('hostname'), 63)};",
        "}",
        "interfaces {",
    ]
    for i in _ports(data):
        out.append(f"    {i['name']} {{")
        if i.get("description"):
            out.append(f"        description {_q(i['description'])};")
        if not i.get("enabled", True):
            out.append("        disable;")
        if i.get("lag"):
            out += ["        ether-options {", f"            802.3ad {i['lag']};", "        }"]
        else:
            if i.get("is_lag"):
                out += [
                    "        aggregated-ether-options {",
                    "            lacp {",
                    "                active;",
                    "            }",
                    "        }",
                ]
            mems = members_of(cfg, i)
            out += ["        unit 0 {", "            family ethernet-switching {"]
            if i.get("mode") == "trunk":
                out.append("                interface-mode trunk;")
            if mems:
                out.append("                vlan {")
                if len(mems) == 1:
                    out.append(f"                    members {_q(mems[0])};")
                else:
                    out.append(f"                    members [ {' '.join(_q(x) for x in mems)} ];")
                out.append("                }")
            if i.get("acl_in") or i.get("acl_out"):
                out.append("                filter {")
                if i.get("acl_in"):
                    out.append(f"                    input {_q(i['acl_in'])};")
                if i.get("acl_out"):
                    out.append(f"                    output {_q(i['acl_out'])};")
                out.append("                }")
            out += ["            }", "        }"]
        out.append("    }")
    out.append("}")
    filters = {k: v for k, v in sorted((data.get("acls") or {}).items()) if isinstance(v, dict)}
    if filters:
        out += ["firewall {", "    family ethernet-switching {"]
        for name, acl in filters.items():
            out.append(f"        filter {_q(name)} {{")
            for t in acl.get("entries", []):
                out.append(f"            term {_q(t.get('term') or 't' + str(t['seq']))} {{")
                frm = t.get("from") or {}
                if frm:
                    out.append("                from {")
                    for k in FILTER_ADDRESS_MATCHES:
                        if frm.get(k):
                            out.append(f"                    {k} {{")
                            out += [f"                        {_q(a)};" for a in frm[k]]
                            out.append("                    }")
                    for k in FILTER_VALUE_MATCHES:
                        if frm.get(k):
                            out.append(f"                    {k} {_q(frm[k])};")
                    out.append("                }")
                if t.get("then"):
                    out.append(f"                then {_q(t['then'])};")
                out.append("            }")
            out.append("        }")
        out += ["    }", "}"]
    out.append("vlans {")
    for vid in cfg.vlan_ids():
        if vid != 1:
            out += [f"    {_q(cfg.vlan_name(vid))} {{", f"        vlan-id {vid};", "    }"]
    out.append("}")
    return "\n".join(out)


def render_set(data: View) -> str:
    """``show configuration | display set``: rebuild the set commands from the curly text."""
    out: List[str] = []
    path: List[str] = []
    for line in render_config(data).split("\n"):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.endswith("{"):
            path.append(s[:-1].strip())
        elif s == "}":
            path.pop()
        else:
            stmt = s.rstrip(";")
            m = re.match(r"^(.*?)\[ (.*) \]$", stmt)
            if m:
                out += [" ".join(["set", *path, m.group(1).strip(), x]) for x in m.group(2).split()]
            else:
                out.append(" ".join(["set", *path, stmt]))
    return "\n".join(out)


def _paths(text: str) -> List[Tuple[Tuple[str, ...], str]]:
    stack: List[str] = []
    res = []
    for line in text.split("\n"):
        s = line.strip()
        res.append((tuple(stack), line))
        if s.endswith("{"):
            stack.append(s[:-1].strip())
        elif s == "}" and stack:
            stack.pop()
    return res


def render_compare(old: str, new: str) -> str:
    a, b = _paths(old), _paths(new)
    sm = difflib.SequenceMatcher(a=[x[1] for x in a], b=[x[1] for x in b], autojunk=False)
    out: List[str] = []
    header: Optional[Tuple[str, ...]] = None
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        for sign, seq in (("-", a[i1:i2]), ("+", b[j1:j2])):
            for path, line in seq:
                if line.startswith("## Last commit"):
                    continue
                if path != header:
                    out.append("[edit" + ("".join(" " + p for p in path)) + "]")
                    header = path
                depth = len(line) - len(line.lstrip(" "))
                rel = max(depth - 4 * len(path), 0)
                out.append(f"{sign}  {' ' * rel}{line.strip()}")
    return "\n".join(out)


# -- the CLI -----------------------------------------------------------------------------------


class CommitError(Exception):
    pass


class JuniperJunos(Platform):
    name = "juniper_junos"
    intro = "--- JUNOS 20.4R3.8 Kernel 64-bit  JNPR-12.1-20210902.2b4d5d5_buil"

    def prompt(self, sw: Switch, s: Session) -> str:
        if s.data.get("pending") == "exit":
            return "Exit with uncommitted changes? [yes,no] (yes) "
        user = one_line(sw.view.get("username") or "user", 32)
        p = f"{user}@{sw.hostname}{'#' if s.mode == 'config' else '>'} "
        s.data["prompt"] = p
        return p

    def after(self, sw: Switch, s: Session, output: str) -> str:
        if s.mode != "config" or s.data.get("pending"):
            return output
        edit = " ".join(s.data.get("edit", []))
        lines = [output.rstrip("\n")] if output else []
        lines.append("")
        note = s.data.pop("note", "")
        if note:
            lines.append(note)
        lines.append(f"[edit{(' ' + edit) if edit else ''}]")
        return "\n".join(lines)

    def _error(self, s: Session, line: str, bad: int, msg: str) -> str:
        return caret_line(str(s.data.get("prompt", "")), line, bad) + "\n" + msg

    # -- history and candidate
    def _history(self, sw: Switch) -> List[View]:
        hist: List[View] = sw.runtime.setdefault("history", [])
        if not hist:
            hist.append(sw.snapshot())
        return hist

    def _cand(self, sw: Switch, s: Session) -> View:
        if s.data.get("private"):
            if "candidate" not in s.data:
                s.data["candidate"] = sw.snapshot()
            return s.data["candidate"]  # type: ignore[no-any-return]
        if sw.runtime.get("candidate") is None:
            sw.runtime["candidate"] = sw.snapshot()
        return sw.runtime["candidate"]  # type: ignore[no-any-return]

    def _drop_cand(self, sw: Switch, s: Session) -> None:
        if s.data.get("private"):
            s.data.pop("candidate", None)
        else:
            sw.runtime["candidate"] = None

    def _full(self, sw: Switch, data: View) -> View:
        merged = dict(sw.view)
        merged.update(data)
        return merged

    def _dirty(self, sw: Switch, s: Session) -> bool:
        cand = sw.runtime.get("candidate") if not s.data.get("private") else s.data.get("candidate")
        if cand is None:
            return False
        return render_config(self._full(sw, cand)) != render_config(sw.view)

    def _validate(self, sw: Switch, cand: View) -> View:
        """Normalise a candidate (VLAN member names -> ids); raise CommitError like Junos."""
        data = copy.deepcopy(cand)
        cfg = Cfg(data)
        errors = []
        for i in cfg.interfaces:
            mems = i.pop("_members", None)
            if mems is None:
                continue
            ids = []
            for name in mems:
                vid = cfg.vlan_by_name(name)
                if vid is None and name.isdigit() and int(name) in cfg.vlan_ids():
                    vid = int(name)
                if vid is None:
                    errors.append(
                        f"[edit interfaces {i['name']} unit 0 family ethernet-switching vlan]\n  'members {name}'\n"
                        f"    Referenced vlan {name} is not defined"
                    )
                    continue
                ids.append(vid)
            if i.get("mode") == "trunk":
                i["trunk_vlans"] = sorted(set(ids))
            else:
                if len(ids) > 1:
                    errors.append(
                        f"[edit interfaces {i['name']} unit 0 family ethernet-switching]\n"
                        f"  'vlan'\n    Access interface <{_unit(i['name'])}> has more than one vlan member: "
                        + " and ".join(f"<{m}>" for m in mems)
                    )
                i["access_vlan"] = ids[0] if ids else 1
        seen: Dict[int, str] = {}
        for v in cfg.data["vlans"]:
            vid, vname = int(v["id"]), str(v.get("name"))
            if vid in seen:
                errors.append(
                    f"[edit vlans]\n  '{one_line(vname, 64)}'\n    l2ald: Duplicate vlan-id exists for vlan {seen[vid]}"
                )
            else:
                seen[vid] = one_line(vname, 64)
        for i in cfg.interfaces:
            for key in ("acl_in", "acl_out"):
                if i.get(key) and cfg.acl(i[key]) is None:
                    errors.append(
                        f"[edit interfaces {i['name']} unit 0 family ethernet-switching filter]\n"
                        f"  '{'input' if key == 'acl_in' else 'output'} {i[key]}'\n"
                        f"    Referenced filter '{i[key]}' is not defined"
                    )
        if errors:
            raise CommitError("\n".join(errors) + "\nerror: configuration check-out failed")
        return data

    def _commit(self, sw: Switch, s: Session) -> None:
        hist = self._history(sw)  # records the running configuration before the first commit
        cand = self._cand(sw, s)
        data = self._validate(sw, cand)
        sw.restore(data)
        sw.persist()
        hist.insert(0, sw.snapshot())
        del hist[HISTORY:]
        self._drop_cand(sw, s)

    def _cancel_confirm(self, sw: Switch) -> bool:
        timer = sw.runtime.pop("confirm_timer", None)
        if timer is not None:
            timer.cancel()
            return True
        return False

    def _auto_rollback(self, sw: Switch, token: object) -> None:
        with sw.lock:
            if sw.runtime.get("confirm_token") is not token:
                return
            sw.runtime.pop("confirm_timer", None)
            sw.runtime.pop("confirm_token", None)
            hist = self._history(sw)
            if len(hist) < 2:
                return
            sw.restore(hist[1])
            sw.persist()
            hist.insert(0, sw.snapshot())
            del hist[HISTORY:]
            sw.runtime["candidate"] = None
            sw.runtime["rolled_back"] = sw.runtime.get("rolled_back", 0) + 1

    # -- dispatch
    def dispatch(self, sw: Switch, s: Session, raw: str) -> Result:
        line = raw.strip()
        with sw.lock:
            if s.data.get("pending") == "exit":
                s.data.pop("pending")
                if line.lower() in ("", "y", "ye", "yes"):
                    s.mode = "exec"
                    s.data.pop("edit", None)
                    return Result("Exiting configuration mode")
                return Result(self.after(sw, s, ""))
            if not line:
                return Result(self.after(sw, s, ""))
            base, pipe = ([*line.split("|", 1), ""])[:2]
            base, pipe = " ".join(base.split()), " ".join(pipe.split())
            try:
                if s.mode == "config":
                    out = self.config_cmd(sw, s, base, pipe, line)
                else:
                    out = self.op_cmd(sw, s, base, pipe, line)
            except CloseSession:
                return Result("", close=True)
            return Result(self.after(sw, s, out))

    def op_cmd(self, sw: Switch, s: Session, base: str, pipe: str, line: str) -> str:
        toks = base.split()
        w = [t.lower() for t in toks]

        def kw(i: int, word: str, n: int = 2) -> bool:
            return len(w) > i and len(w[i]) >= min(n, len(word)) and word.startswith(w[i])

        if kw(0, "set", 3) and kw(1, "cli"):
            if kw(2, "screen-length", 8) and len(w) == 4 and w[3].isdigit():
                return f"Screen length set to {w[3]}"
            if kw(2, "screen-width", 8) and len(w) == 4 and w[3].isdigit():
                return f"Screen width set to {w[3]}"
            if kw(2, "complete-on-space") and w[3:] == ["off"]:
                return "Disabling complete-on-space"
            return self._error(s, line, min(len(toks) - 1, 2), "syntax error.")
        if kw(0, "configure", 4) or kw(0, "edit", 2):
            if len(w) > 1 and not (kw(1, "private") or kw(1, "exclusive")):
                return self._error(s, line, 1, "syntax error, expecting <command>.")
            exclusive = len(w) > 1 and kw(1, "exclusive")
            if exclusive and self._dirty(sw, s):
                # the shared candidate holds someone's uncommitted changes: no exclusive lock
                return "error: configuration database modified"
            s.mode = "config"
            s.data["edit"] = []
            # configure exclusive: as on Junos, what the session leaves uncommitted is discarded
            # when it ends (exit, or the SSH session going away): its own candidate here
            s.data["private"] = len(w) > 1 and (kw(1, "private") or exclusive)
            msg = "Entering configuration mode"
            if exclusive:
                msg = "warning: uncommitted changes will be discarded on exit\n" + msg
            if not s.data["private"] and self._dirty(sw, s):
                msg += "\nThe configuration has been changed but not committed"
            return msg
        if kw(0, "exit", 3) or kw(0, "quit", 1):
            raise CloseSession()
        if kw(0, "show", 2):
            out = self.show(sw, s, w[1:], pipe, line, config=False)
            if out is not None:
                return out
            return self._error(s, line, 1, "syntax error, expecting <command>.")
        if kw(0, "request", 3) or kw(0, "clear", 2) or kw(0, "ping", 2):
            return self._error(s, line, 1, "syntax error, expecting <command>.")
        return self._error(s, line, 0, "unknown command.")

    def show(self, sw: Switch, s: Session, w: List[str], pipe: str, line: str, config: bool) -> Optional[str]:
        v = sw.view
        j = " ".join(w)
        table = [
            (r"eth[a-z-]* t[a-z]*(?: b[a-z]*)?", lambda: render_mac_table(v), lambda: xml_mac_table(v)),
            (r"ar[a-z]* n[a-z-]*", lambda: render_arp(v), None),
            (r"ar[a-z]*", lambda: render_arp(v), None),
            (r"ll[a-z]* n[a-z]*", lambda: render_lldp(v), None),
            (r"eth[a-z-]* i[a-z]*", lambda: render_es_interfaces(v), None),
            (r"vl[a-z]*", lambda: render_vlans(v), None),
            (r"lac[a-z]* i[a-z]*", lambda: render_lacp(v), None),
            (r"int[a-z]* t[a-z]*", lambda: render_terse(v), None),
            (r"int[a-z]* des[a-z]*", lambda: render_descriptions(v), None),
            (r"ver[a-z]*", lambda: render_version(v), None),
            (r"conf[a-z]*", lambda: render_config(v), None),
        ]
        for pat, fn, xml in table:
            if re.fullmatch(pat, j):
                if pipe:
                    pw = pipe.split()
                    if pw[:2] in (["display", "xml"], ["dis", "xml"]) and xml is not None:
                        return xml()
                    if pw[:2] in (["display", "set"], ["dis", "set"]) and pat.startswith("conf"):
                        return render_set(v)
                    if pw and pw[0] in ("no-more", "except", "match", "count"):
                        text = fn()
                        if pw[0] == "no-more":
                            return text
                        arg = " ".join(pw[1:]).strip('"')
                        rx = re.compile(re.escape(arg))
                        if pw[0] == "match":
                            return "\n".join(x for x in text.split("\n") if rx.search(x))
                        if pw[0] == "except":
                            return "\n".join(x for x in text.split("\n") if not rx.search(x))
                        return f"Count: {len(text.splitlines())} lines"
                    return self._error(s, line, len(line.split("|")[0].split()) + 1, "syntax error.")
                return fn()
        return None

    # -- configuration mode
    def config_cmd(self, sw: Switch, s: Session, base: str, pipe: str, line: str) -> str:
        try:
            toks = shlex.split(base)
        except ValueError:
            return self._error(s, line, 0, "syntax error.")
        if not toks:
            return ""
        verb = toks[0].lower()
        edit: List[str] = s.data.setdefault("edit", [])
        if verb == "show":
            if pipe.startswith("compare") or pipe.startswith("comp"):
                return render_compare(render_config(sw.view), render_config(self._full(sw, self._cand(sw, s))))
            if len(toks) == 1:
                return render_config(self._full(sw, self._cand(sw, s)))
            return self._error(s, line, 1, "syntax error.")
        if verb == "run":
            return self.op_cmd(sw, s, " ".join(toks[1:]), pipe, line) if len(toks) > 1 else ""
        if verb in ("set", "delete", "del"):
            path = edit + toks[1:]
            err = self.apply(sw, s, path, delete=verb != "set")
            return self._error(s, line, len(toks) - 1, err) if err else ""
        if verb == "edit":
            s.data["edit"] = edit + toks[1:]
            return ""
        if verb in ("top",):
            s.data["edit"] = []
            return ""
        if verb in ("up",):
            s.data["edit"] = edit[:-1]
            return ""
        if verb == "rollback":
            n = int(toks[1]) if len(toks) > 1 and toks[1].isdigit() else 0
            hist = self._history(sw)
            if n >= len(hist):
                return f"error: Requested rollback configuration does not exist: {n}"
            if s.data.get("private"):
                s.data["candidate"] = copy.deepcopy(hist[n])
            else:
                sw.runtime["candidate"] = copy.deepcopy(hist[n])
            return "load complete"
        if verb == "commit":
            return self.h_commit(sw, s, [t.lower() for t in toks[1:]], line)
        if verb in ("exit", "quit"):
            if edit and toks[1:] != ["configuration-mode"]:
                s.data["edit"] = edit[:-1]
                return ""
            if self._dirty(sw, s) and not s.data.get("private"):
                s.data["pending"] = "exit"
                return "The configuration has been changed but not committed"
            s.mode = "exec"
            s.data.pop("edit", None)
            self._drop_cand(sw, s) if s.data.get("private") else None
            return "Exiting configuration mode"
        return self._error(s, line, 0, "unknown command.")

    def h_commit(self, sw: Switch, s: Session, args: List[str], line: str) -> str:
        and_quit = "and-quit" in args
        args = [a for a in args if a != "and-quit"]
        if "comment" in args:
            args = args[: args.index("comment")]
        if args[:1] == ["check"]:
            try:
                self._validate(sw, self._cand(sw, s))
            except CommitError as e:
                return str(e)
            return "configuration check succeeds"
        minutes = None
        if args[:1] == ["confirmed"]:
            minutes = int(args[1]) if len(args) > 1 and args[1].isdigit() else 10
            if not 1 <= minutes <= 65535:
                return self._error(s, line, 2, "syntax error.")
        elif args:
            return self._error(s, line, 1, "syntax error.")
        try:
            self._validate(sw, self._cand(sw, s))
        except CommitError as e:
            return str(e)
        confirmed_pending = self._cancel_confirm(sw)
        sw.runtime.pop("confirm_token", None)
        self._commit(sw, s)
        out = ["configuration check succeeds"]
        if minutes is not None:
            token = object()
            timer = threading.Timer(minutes * self.minute_seconds, self._auto_rollback, args=(sw, token))
            timer.daemon = True
            sw.runtime["confirm_timer"] = timer
            sw.runtime["confirm_token"] = token
            timer.start()
            out.append(f"commit confirmed will be automatically rolled back in {minutes} minutes unless confirmed")
            s.data["note"] = f"# commit confirmed will be rolled back in {minutes} minutes"
        elif confirmed_pending:
            pass
        out.append("commit complete")
        if and_quit:
            s.mode = "exec"
            s.data.pop("edit", None)
            out.append("Exiting configuration mode")
        return "\n".join(out)

    def apply(self, sw: Switch, s: Session, path: List[str], delete: bool) -> Optional[str]:
        cand = self._cand(sw, s)
        cfg = Cfg(cand)
        p = path
        if not p:
            return "syntax error."
        if p[0] == "interfaces" and len(p) >= 3:
            ifc = cfg.iface(p[1])
            if ifc is None:
                return "syntax error."
            rest = p[2:]
            if rest[0] == "description":
                if delete:
                    ifc["description"] = ""
                    return None
                if len(rest) < 2:
                    return "syntax error, expecting <data>."
                ifc["description"] = one_line(" ".join(rest[1:]), 240)
                return None
            if rest == ["disable"]:
                ifc["enabled"] = delete
                return None
            if rest[:4] != ["unit", "0", "family", "ethernet-switching"]:
                return "syntax error."
            r = rest[4:]
            if delete and not r:
                ifc["_members"] = []
                ifc["acl_in"] = ifc["acl_out"] = None
                return None
            if r[:1] == ["interface-mode"] or r[:1] == ["port-mode"]:
                if delete:
                    ifc["mode"] = "access"
                    return None
                if len(r) != 2 or r[1] not in ("access", "trunk"):
                    return "syntax error."
                mems = members_of(cfg, ifc)
                ifc["mode"] = r[1]
                ifc["_members"] = mems
                return None
            if r[:2] == ["vlan", "members"] or r[:1] == ["vlan"]:
                mems = members_of(cfg, ifc)
                vals = [x for x in r[2:] if x not in ("[", "]")]
                if delete:
                    ifc["_members"] = [m for m in mems if vals and m not in vals]
                    return None
                if not vals or r[:2] != ["vlan", "members"]:
                    return "syntax error, expecting <data>."
                for x in vals:
                    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", x):
                        return "syntax error."
                    if x not in mems:
                        mems.append(x)
                ifc["_members"] = mems
                return None
            if r[:1] == ["filter"]:
                if delete:
                    if len(r) == 1:
                        ifc["acl_in"] = ifc["acl_out"] = None
                    elif r[1] in ("input", "output"):
                        ifc["acl_in" if r[1] == "input" else "acl_out"] = None
                    return None
                if len(r) != 3 or r[1] not in ("input", "output") or not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", r[2]):
                    return "syntax error."
                ifc["acl_in" if r[1] == "input" else "acl_out"] = r[2]
                return None
            return "syntax error."
        if p[0] == "vlans" and len(p) >= 2:
            name = p[1]
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
                return "syntax error."
            if delete and len(p) == 2:
                vid = cfg.vlan_by_name(name)
                if vid is not None:
                    cfg.remove_vlan(vid)
                return None
            if len(p) == 4 and p[2] == "vlan-id" and p[3].isdigit() and 1 <= int(p[3]) <= 4094:
                vid = int(p[3])
                for v in cand["vlans"]:
                    if str(v.get("name")) == name:
                        v["id"] = vid
                        break
                else:  # a new VLAN name; its ID may clash with another name's (checked at commit)
                    cand["vlans"].append({"id": vid, "name": name})
                    cand["vlans"].sort(key=lambda v: int(v["id"]))
                return None
            return "syntax error."
        if p[:3] == ["firewall", "family", "ethernet-switching"] and len(p) >= 5 and p[3] == "filter":
            name = p[4]
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
                return "syntax error."
            if delete and len(p) == 5:
                cand["acls"].pop(name, None)
                return None
            acl = cfg.define_acl(name, "junos-filter")
            if len(p) < 7 or p[5] != "term":
                return "syntax error."
            term = p[6]
            entries: List[Dict[str, Any]] = acl["entries"]
            ent = next((e for e in entries if e.get("term") == term), None)
            if delete:
                acl["entries"] = [e for e in entries if e.get("term") != term]
                return None
            if ent is None:
                ent = {"seq": (len(entries) + 1) * 10, "term": term, "from": {}, "then": ""}
                entries.append(ent)
            r = p[7:]
            if r[:1] == ["from"] and len(r) == 3 and r[1] in FILTER_ADDRESS_MATCHES:
                if not re.fullmatch(r"\d+\.\d+\.\d+\.\d+(?:/\d+)?", r[2]):
                    return "syntax error."
                if r[2] not in ent["from"].setdefault(r[1], []):
                    ent["from"][r[1]].append(r[2])
            elif r[:1] == ["from"] and len(r) == 3 and r[1] in FILTER_VALUE_MATCHES:
                if not re.fullmatch(r"[A-Za-z0-9-]{1,32}", r[2]):
                    return "syntax error."
                ent["from"][r[1]] = r[2]
            elif r[:1] == ["then"] and len(r) == 2 and r[1] in ("accept", "discard", "reject"):
                ent["then"] = r[1]
            else:
                return "syntax error."
            frm = ent["from"]
            ent["text"] = " ".join(
                [f"term {term}"]
                + [f"from {k} {' '.join(frm[k])}" for k in FILTER_ADDRESS_MATCHES if frm.get(k)]
                + [f"from {k} {frm[k]}" for k in FILTER_VALUE_MATCHES if frm.get(k)]
                + ([f"then {ent['then']}"] if ent["then"] else [])
            )
            return None
        if p[:2] == ["system", "host-name"] and len(p) == 3:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,62}", p[2]):
                return "syntax error."
            cand["hostname"] = p[2]
            return None
        return "syntax error."
