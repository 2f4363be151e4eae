# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared machinery of the vendor-CLI lab switches.

A *view* (JSON, written by lab-core, see ``lab_contract``) is the state of one switch. A
``Switch`` wraps it with a lock and persists every accepted change back to its file. A platform
(``lab/nos/<platform>.py``) renders every ``show`` output from the view and interprets the
commands typed in a session (``Session``) as that platform's CLI would. ``FleetShell`` is the
FakeNOS shell plugin that connects the two: one instance per SSH session.

Rendering rules shared by every platform:

* MAC learning follows the state: a shut port (or a shut LAG) learns nothing; a MAC learned on
  an access port is shown in the port's *current* access VLAN; a MAC learned on a LAG member is
  shown on the LAG; a trunk shows only the VLANs it carries.
* Text typed by a user (descriptions, ACL names) is stored as typed, but rendered only up to its
  first line break and without control characters, so that it can never forge extra lines.
* A phone's voice VLAN (``voice_vlan`` of an access port) is learned in that VLAN, not remapped.

A switch with a ``dataplane`` (``lab/nos/dataplane.py``) drives a kernel data plane: every
change of its running configuration is applied to it (``Switch.sync_dataplane``), and its MAC
table and its ports' link state are read from it (``Switch.refresh_live``) instead of being the
view's static ``mac_table``.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import tempfile
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Pattern, Tuple

from fakenos.plugins.shell.cmd_shell import CMDShell

View = Dict[str, Any]
Iface = Dict[str, Any]
# The configurable part of a view: what a running/candidate configuration holds.
CONFIG_KEYS = ("hostname", "interfaces", "vlans", "acls")

log = logging.getLogger("camguard.fakenos_fleet")
# how long a MAC table read from the data plane is reused (any configuration change re-reads it)
LIVE_TTL = 1.0

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def one_line(text: object, limit: int = 240) -> str:
    """``text`` up to its first line break, control characters removed, at most ``limit`` chars."""
    s = "" if text is None else str(text)
    s = _LINE_BREAKS.split(s, maxsplit=1)[0]
    return _CONTROL.sub("", s)[:limit]


def abbr(spec: str) -> str:
    """Turn ``sh[[ow]] mac[[-address-table]]`` into a regex accepting every abbreviation."""

    def repl(m: re.Match[str]) -> str:
        out = ""
        for ch in reversed(m.group(1)):
            out = f"(?:{re.escape(ch)}{out})?"
        return out

    return re.sub(r"\[\[([^\]]+)\]\]", repl, spec)


def rx(spec: str) -> Pattern[str]:
    return re.compile(abbr(spec), re.IGNORECASE)


# -- MAC spellings ---------------------------------------------------------------------------


def mac_hex(mac: str) -> str:
    h = re.sub(r"[^0-9a-fA-F]", "", mac).lower()
    if len(h) != 12:
        raise ValueError(f"invalid MAC address {mac!r} in view")
    return h


def mac_colon(mac: str) -> str:
    h = mac_hex(mac)
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def mac_dot(mac: str) -> str:
    h = mac_hex(mac)
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def mac_hp(mac: str) -> str:
    h = mac_hex(mac)
    return f"{h[0:6]}-{h[6:12]}"


CAP_LETTERS = {
    "other": "O",
    "repeater": "P",
    "bridge": "B",
    "wlan-access-point": "W",
    "router": "R",
    "telephone": "T",
    "docsis-cable-device": "C",
    "station": "S",
}


# -- the configurable state ------------------------------------------------------------------


class Cfg:
    """Operations on a configuration dict (a live view, or a candidate copy of one)."""

    def __init__(self, data: View) -> None:
        self.data = data
        data.setdefault("interfaces", [])
        data.setdefault("vlans", [])
        data.setdefault("acls", {})

    @property
    def interfaces(self) -> List[Iface]:
        return self.data["interfaces"]  # type: ignore[no-any-return]

    def iface(self, name: Optional[str]) -> Optional[Iface]:
        if not name:
            return None
        for i in self.interfaces:
            if i["name"] == name:
                return i
        return None

    def find_iface(self, typed: str) -> Optional[Iface]:
        """Resolve a typed interface name (any unique abbreviation of the type word)."""
        s = typed.replace(" ", "")
        for i in self.interfaces:
            if i["name"].lower() == s.lower():
                return i
        m = re.match(r"^([A-Za-z-]*)(\d[\d/:.]*)$", s)
        if not m:
            return None
        word, num = m.group(1).lower(), m.group(2)
        hits = []
        for i in self.interfaces:
            m2 = re.match(r"^([A-Za-z-]*)(\d[\d/:.]*)$", i["name"])
            if m2 and m2.group(2) == num and m2.group(1).lower().startswith(word):
                hits.append(i)
        return hits[0] if len(hits) == 1 else None

    def vlan_ids(self) -> List[int]:
        return sorted(int(v["id"]) for v in self.data["vlans"])

    def vlan_name(self, vid: int) -> str:
        for v in self.data["vlans"]:
            if int(v["id"]) == vid:
                return one_line(v.get("name") or f"VLAN{vid:04d}", 32)
        return f"VLAN{vid:04d}"

    def vlan_by_name(self, name: str) -> Optional[int]:
        for v in self.data["vlans"]:
            if str(v.get("name")) == name:
                return int(v["id"])
        return None

    def ensure_vlan(self, vid: int, name: Optional[str] = None) -> None:
        for v in self.data["vlans"]:
            if int(v["id"]) == vid:
                if name is not None:
                    v["name"] = name
                return
        self.data["vlans"].append({"id": vid, "name": name if name is not None else f"VLAN{vid:04d}"})
        self.data["vlans"].sort(key=lambda v: int(v["id"]))

    def remove_vlan(self, vid: int) -> None:
        self.data["vlans"] = [v for v in self.data["vlans"] if int(v["id"]) != vid]

    def acl(self, name: str) -> Optional[Dict[str, Any]]:
        acl = self.data["acls"].get(name)
        return acl if isinstance(acl, dict) else None

    def define_acl(self, name: str, kind: str) -> Dict[str, Any]:
        acls = self.data["acls"]
        if name not in acls or not isinstance(acls[name], dict):
            acls[name] = {"type": kind, "entries": []}
        return acls[name]  # type: ignore[no-any-return]

    def add_ace(self, name: str, text: str, seq: Optional[int] = None) -> None:
        acl = self.define_acl(name, "ip")
        entries: List[Dict[str, Any]] = acl["entries"]
        if seq is None:
            seq = (max((int(e["seq"]) for e in entries), default=0) // 10 + 1) * 10
        entries[:] = [e for e in entries if int(e["seq"]) != seq]
        entries.append({"seq": seq, "text": text})
        entries.sort(key=lambda e: int(e["seq"]))

    def members(self, lag: str) -> List[Iface]:
        return [i for i in self.interfaces if i.get("lag") == lag]


def connected(view: View, ifc: Iface) -> bool:
    """Link state: enabled and something is plugged in (a learned MAC, a neighbour, a LAG)."""
    if not ifc.get("enabled", True):
        return False
    name = ifc["name"]
    if ifc.get("is_lag"):
        return any(m.get("enabled", True) for m in Cfg(view).members(name))
    if ifc.get("lag"):
        return True
    if ifc.get("link") is not None:
        return bool(ifc["link"])
    live = view.get("link_state")
    if isinstance(live, dict) and name in live:
        return bool(live[name])
    return any(e.get("interface") == name for e in view.get("mac_table", [])) or any(
        n.get("local_interface") == name for n in view.get("lldp", [])
    )


def learned_macs(view: View) -> List[Tuple[str, int, str, str]]:
    """(mac, vlan, interface, type) as the switch would show them now."""
    cfg = Cfg(view)
    out: List[Tuple[str, int, str, str]] = []
    for e in view.get("mac_table", []):
        name = e.get("interface", "")
        vlan = int(e.get("vlan") or 1)
        kind = str(e.get("type") or "dynamic")
        ifc = cfg.iface(name)
        if ifc is not None:
            if not ifc.get("enabled", True):
                continue
            if ifc.get("lag"):
                lag = cfg.iface(ifc["lag"])
                if lag is not None and not lag.get("enabled", True):
                    continue
                name = ifc["lag"]
                ifc = lag if lag is not None else ifc
            mode = ifc.get("mode", "access")
            if mode == "access" and ifc.get("voice_vlan") is not None and vlan == int(ifc["voice_vlan"]):
                pass  # a phone, tagged in the port's voice VLAN
            elif mode == "access":
                vlan = int(ifc.get("access_vlan") or 1)
            elif mode == "trunk":
                allowed = ifc.get("trunk_vlans") or []
                if allowed and vlan not in [int(v) for v in allowed]:
                    continue
            elif mode == "routed":
                continue
        out.append((mac_colon(e["mac"]), vlan, name, kind))
    return out


def live_neighbors(view: View) -> List[Dict[str, Any]]:
    cfg = Cfg(view)
    out = []
    for n in view.get("lldp", []):
        ifc = cfg.iface(n.get("local_interface"))
        if ifc is not None and not ifc.get("enabled", True):
            continue
        out.append(n)
    return out


def vlan_compress(vids: Iterable[int]) -> str:
    """[1,2,3,5] -> '1-3,5'."""
    v = sorted(set(int(x) for x in vids))
    parts: List[str] = []
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[j + 1] == v[j] + 1:
            j += 1
        parts.append(str(v[i]) if i == j else f"{v[i]}-{v[j]}")
        i = j + 1
    return ",".join(parts)


def parse_vlan_list(text: str) -> List[int]:
    out: List[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    for vid in out:
        if not 1 <= vid <= 4094:
            raise ValueError(vid)
    return out


# -- switches and sessions -------------------------------------------------------------------


class Switch:
    """One switch: its view, a lock, and where to persist it."""

    def __init__(self, view: View, path: Optional[str] = None, dataplane: Optional[Any] = None) -> None:
        self.view = view
        self.path = path
        self.lock = threading.RLock()
        self.cfg = Cfg(view)
        # platform-private state that lives as long as the process (EOS sessions, Junos timers)
        self.runtime: Dict[str, Any] = {}
        # lab.nos.dataplane.DataPlane, or None: the view's mac_table is then the MAC table
        self.dataplane = dataplane
        self._synced: Optional[str] = None  # the configuration the data plane follows
        self._live_at = 0.0  # when the MAC table was last read from the data plane

    def _config_key(self) -> str:
        return json.dumps({k: self.view.get(k) for k in CONFIG_KEYS}, sort_keys=True, default=str)

    def sync_dataplane(self, force: bool = False) -> None:
        """Apply the running configuration to the data plane (when it changed, or ``force``)."""
        if self.dataplane is None:
            return
        with self.lock:
            key = self._config_key()
            if not force and key == self._synced:
                return
            try:
                done = self.dataplane.sync(self.view, force=force)
            except Exception as exc:  # the CLI keeps working; the log says why
                log.warning("%s: data plane not updated: %s", self.name, exc)
                self._synced = None
                return
            self._synced = key
            if done:
                self._live_at = 0.0

    def refresh_live(self, force: bool = False) -> None:
        """Read the MAC table and the link state from the data plane (at most every LIVE_TTL s)."""
        if self.dataplane is None:
            return
        with self.lock:
            now = time.monotonic()
            if not force and now - self._live_at < LIVE_TTL:
                return
            try:
                links = self.dataplane.links()
                rows = self.dataplane.fdb_rows()
                state = self.dataplane.link_state(links)
            except Exception as exc:  # keep the last table; the log says why
                log.warning("%s: MAC table not read from the data plane: %s", self.name, exc)
                return
            # rows the data plane cannot learn (a linked vendor switch's own MAC) stay
            keep = [r for r in self.view.get("mac_table", []) if r.get("origin") == "neighbor"]
            self.view["mac_table"] = keep + rows
            self.view["link_state"] = state
            self._live_at = now

    @property
    def name(self) -> str:
        return str(self.view["name"])

    @property
    def hostname(self) -> str:
        return one_line(self.view.get("hostname") or self.view["name"], 63)

    def snapshot(self) -> View:
        return {k: copy.deepcopy(self.view.get(k)) for k in CONFIG_KEYS}

    def restore(self, snap: View) -> None:
        for k in CONFIG_KEYS:
            if snap.get(k) is not None:
                self.view[k] = copy.deepcopy(snap[k])
        self.cfg = Cfg(self.view)

    def persist(self) -> None:
        """Write the view back to its file and apply the configuration to the data plane."""
        if not self.path:
            self.sync_dataplane()
            return
        d = os.path.dirname(self.path) or "."
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=d)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.view, f, indent=1, sort_keys=True)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        finally:
            self.sync_dataplane()


class Session:
    """Per-SSH-session CLI state."""

    def __init__(self) -> None:
        self.mode = "exec"
        self.ctx: Optional[str] = None  # interface or ACL being configured
        self.data: Dict[str, Any] = {}


Handler = Callable[["Switch", Session, "re.Match[str]", str], Optional[str]]


class Command:
    def __init__(self, spec: str, handler: Handler, modes: Tuple[str, ...]) -> None:
        self.spec = spec
        self.regex = re.compile(abbr(spec), re.IGNORECASE)
        self.handler = handler
        self.modes = modes


class Result:
    """What a typed line produced."""

    def __init__(self, output: str = "", close: bool = False) -> None:
        self.output = output
        self.close = close


class CloseSession(Exception):
    """Raised by a handler to end the SSH session (``exit`` at the top level)."""


class Platform:
    """Base of every platform: a table of (regex, handler, modes) and the pipe filters."""

    name = "generic"
    intro = ""
    ssh_banner = ""
    minute_seconds = 60.0
    pipes_allowed = ("include", "exclude", "begin", "section", "count")

    def __init__(self) -> None:
        self.commands: List[Command] = []
        self.setup()

    def setup(self) -> None:
        """Register the platform's commands (``self.add``)."""

    def add(self, spec: str, modes: Tuple[str, ...]) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.commands.append(Command(spec, fn, modes))
            return fn

        return deco

    def vocabulary(self) -> List[Tuple[str, ...]]:
        """Known command words, for placing the caret under the first unknown token."""
        vocab = []
        for c in self.commands:
            for alt in c.spec.split("|"):
                words = []
                for tok in alt.split(" "):
                    plain = re.sub(r"\[\[([^\]]+)\]\]", r"\1", tok)
                    words.append(plain if re.fullmatch(r"[A-Za-z][A-Za-z-]*", plain) else "*")
                vocab.append(tuple(words))
        return vocab

    # -- hooks for the platforms
    def prompt(self, sw: Switch, s: Session) -> str:
        return f"{sw.hostname}#"

    def invalid(self, line: str, s: Session) -> str:
        return "% Invalid input"

    def banner(self, sw: Switch) -> str:
        return self.intro

    def start_session(self, sw: Switch, s: Session) -> None:
        """A new SSH session begins (before its first prompt)."""

    def after(self, sw: Switch, s: Session, output: str) -> str:
        """Post-process every command's output (Junos prints ``[edit]`` in configuration mode)."""
        return output

    # -- dispatch
    def split_pipes(self, line: str) -> Tuple[str, List[Tuple[str, str]]]:
        parts = line.split(" | ")
        return parts[0], [([*p.strip().split(" ", 1), ""])[:2] for p in parts[1:]]  # type: ignore[misc]

    def apply_pipes(self, out: str, pipes: List[Tuple[str, str]], s: Session) -> Optional[str]:
        lines = out.split("\n")
        for word, arg in pipes:
            w = word.lower()
            arg = arg.strip()
            try:
                pat: Pattern[str] = re.compile(arg)
            except re.error:
                pat = re.compile(re.escape(arg))
            if w in ("i", "in", "inc", "incl", "inclu", "includ", "include", "match"):
                lines = [ln for ln in lines if pat.search(ln)]
            elif w in ("e", "ex", "exc", "excl", "exclu", "exclud", "exclude", "except"):
                lines = [ln for ln in lines if not pat.search(ln)]
            elif w in ("b", "be", "beg", "begi", "begin"):
                for idx, ln in enumerate(lines):
                    if pat.search(ln):
                        lines = lines[idx:]
                        break
                else:
                    lines = []
            elif w in ("count",):
                lines = [f"Count: {len([ln for ln in lines if ln.strip()])} lines"]
            elif w in ("no-more", "nomore"):
                continue
            else:
                return None
        return "\n".join(lines)

    def dispatch(self, sw: Switch, s: Session, raw: str) -> Result:
        line = raw.strip()
        if not line:
            return Result(self.after(sw, s, ""))
        norm = " ".join(line.split())
        base, pipes = self.split_pipes(norm)
        with sw.lock:
            for cmd in self.commands:
                if s.mode not in cmd.modes and "*" not in cmd.modes:
                    continue
                m = cmd.regex.fullmatch(base)
                if not m:
                    continue
                try:
                    out = cmd.handler(sw, s, m, line)
                except CloseSession:
                    return Result("", close=True)
                text = out or ""
                if pipes:
                    piped = self.apply_pipes(text, pipes, s)
                    if piped is None:
                        return Result(self.after(sw, s, self.invalid(line, s)))
                    text = piped
                return Result(self.after(sw, s, text))
            return Result(self.after(sw, s, self.invalid(line, s)))


def caret_line(prompt: str, line: str, bad_token: int = 1) -> str:
    """A caret under token number ``bad_token`` (0-based) of ``line`` as echoed after ``prompt``."""
    toks = list(re.finditer(r"\S+", line))
    idx = toks[min(bad_token, len(toks) - 1)].start() if toks else 0
    return " " * (len(prompt) + idx) + "^"


def first_bad_token(line: str, vocabulary: Iterable[Tuple[str, ...]]) -> int:
    """Index of the first token of ``line`` that no known command accepts at that position."""
    toks = line.split()
    best = 0
    for words in vocabulary:
        n = 0
        for i, t in enumerate(toks):
            if i >= len(words):
                break
            w = words[i]
            if w == "*":
                continue
            if w.lower().startswith(t.lower()):
                n = i + 1
            else:
                break
        best = max(best, n)
    return min(best, max(len(toks) - 1, 0))


# -- the FakeNOS shell -----------------------------------------------------------------------

# switch name -> (platform, switch); filled by the fleet before the hosts start.
REGISTRY: Dict[str, Tuple[Platform, Switch]] = {}


class FleetShell(CMDShell):  # type: ignore[misc]
    """FakeNOS shell plugin: every typed line goes to the switch's platform."""

    def __init__(self, *args: Any, switch: str = "", **kwargs: Any) -> None:
        kwargs.pop("intro", None)
        platform, sw = REGISTRY[switch]
        super().__init__(*args, intro=platform.banner(sw), **kwargs)
        self.platform = platform
        self.sw = sw
        self.session = Session()
        with sw.lock:
            platform.start_session(sw, self.session)
        self.prompt = platform.prompt(sw, self.session)

    def writeline(self, value: Any) -> None:
        # Split on "\n" only: str.splitlines() would also split on \x0b, \x85, \u2028...
        text = str(value).replace("\r\n", "\n")
        for line in text.split("\n"):
            self.stdout.write(line + self.newline)

    def cmdloop(self, intro: Any = None) -> None:
        if self.intro:
            self.writeline(self.intro)
        while self.is_running.is_set():
            self.stdout.write(self.prompt)
            line = self.stdin.readline()
            if line is None:
                break
            if self.onecmd(line.rstrip("\r\n")):
                break

    def onecmd(self, line: str) -> bool:
        if not self.is_running.is_set():
            return True
        self.sw.refresh_live()
        res = self.platform.dispatch(self.sw, self.session, line)
        self.sw.sync_dataplane()
        if res.close:
            return True
        if res.output:
            self.writeline(res.output)
        self.prompt = self.platform.prompt(self.sw, self.session)
        return False
