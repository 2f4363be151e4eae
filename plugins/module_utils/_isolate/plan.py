# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation planning and guardrails: a pure function from what a switch looks like now (ports,
MAC table, neighbours, the ports carrying the camguard ACL), what was isolated before (the saved
prior state) and what is requested (findings + options) to an exact ``Plan``.

A plan holds one ``PortChange`` per port that needs a change (with the port's config before, after
and the prior state that ``release`` restores), the per-port ``Refusal`` list (guardrails, with the
reason) and the switch-wide ``blocked`` list (too many ports, no change ID, outside the change
window). A blocked plan is never applied at all: no half-apply.

Nothing here talks to a device or the file system; ``now`` is injected.
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._locate import is_recorder_name
from ansible_collections.camguard.network.plugins.module_utils._mac import is_mac, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    MacEntry,
    Neighbor,
    PortInfo,
    RecordError,
    Verdict,
    Waiver,
)

MODES = ("vlan", "acl", "shutdown")
STATES = ("isolated", "released", "planned")
DEFAULT_STATUSES = ("named", "affiliate", "other_prc_cctv")
DEFAULT_EXCEPTION_PATTERN = r"(?i)(camguard[-_ ]?exempt|no[-_ ]?isolat)"
ACL_NAME = "CAMGUARD-QUARANTINE"
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
_CHANGE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class IsolationError(CamguardError, ValueError):
    """Bad isolation input (option, finding or saved state); the message names the value."""


def safe_ifname(name: object) -> bool:
    """``_ifname.is_safe_interface`` plus no trailing newline (its ``$`` anchor lets one through)."""
    return isinstance(name, str) and is_safe_interface(name) and "\n" not in name


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class PortConfig:
    """The part of a port's configuration that isolation changes (and release restores)."""

    access_vlan: Optional[int]
    enabled: bool
    acl: bool = False

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str = "") -> PortConfig:
        try:
            vlan = d.get("access_vlan")
            if vlan is not None:
                vlan = check_vlan(vlan, f"{where}.access_vlan")
            return cls(access_vlan=vlan, enabled=bool(d["enabled"]), acl=bool(d.get("acl", False)))
        except (KeyError, TypeError, AttributeError) as exc:
            raise IsolationError(f"invalid port state {where or ''}: {exc!r}") from None


@dataclass(frozen=True)
class Target:
    """One restricted device to isolate (from a ``Finding`` of this switch)."""

    mac: str
    interface: str
    vlan: Optional[int] = None
    vendor_key: Optional[str] = None
    status: str = "named"
    waiver: Optional[Mapping[str, Any]] = None
    confidence: str = "edge"

    def to_dict(self) -> Dict[str, Any]:
        d = dataclasses.asdict(self)
        d["waiver"] = dict(self.waiver) if self.waiver else None
        return d


@dataclass(frozen=True)
class ChangeWindow:
    days: Tuple[int, ...]  # 0 = Monday
    start: time
    end: time
    tz: str = "UTC"
    text: str = ""

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(_zone(self.tz))
        t = local.time().replace(tzinfo=None)
        today = local.weekday()
        yesterday = (today - 1) % 7
        if self.start <= self.end:
            return today in self.days and self.start <= t < self.end
        # over midnight: the window belongs to the day it starts on
        return (today in self.days and t >= self.start) or (yesterday in self.days and t < self.end)


@dataclass(frozen=True)
class Options:
    mode: str = "vlan"
    state: str = "isolated"
    quarantine_vlan: int = 999
    quarantine_name: str = "CAMGUARD-QUARANTINE"
    create_quarantine_vlan: bool = True
    allowed_peers: Tuple[str, ...] = ()
    change_id: Optional[str] = None
    change_window: Optional[ChangeWindow] = None
    max_ports: int = 10
    max_macs_per_port: int = 1
    exception_pattern: Optional[str] = DEFAULT_EXCEPTION_PATTERN
    statuses: Tuple[str, ...] = DEFAULT_STATUSES
    check_mode: bool = False
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    seen_elsewhere: Tuple[str, ...] = ()  # restricted MACs seen on other switches' edge ports
    release_interfaces: Tuple[str, ...] = ()  # state=released: only these ports (empty: all)


@dataclass(frozen=True)
class PortChange:
    interface: str
    action: str  # isolate | release
    mode: str  # the isolation mode applied (isolate) or undone (release)
    before: PortConfig
    after: PortConfig
    prior: PortConfig  # what release restores
    macs: Tuple[str, ...] = ()
    vendor_key: Optional[str] = None
    reason: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return {
            "interface": self.interface,
            "action": self.action,
            "mode": self.mode,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "prior": self.prior.to_dict(),
            "macs": list(self.macs),
            "vendor_key": self.vendor_key,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str
    interface: Optional[str] = None
    mac: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Plan:
    switch: str
    mode: str
    state: str
    changes: List[PortChange] = field(default_factory=list)
    refusals: List[Refusal] = field(default_factory=list)
    blocked: List[Refusal] = field(default_factory=list)
    unchanged: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    quarantine_vlan: int = 999
    allowed_peers: Tuple[str, ...] = ()
    acl_define: bool = False
    acl_ports_after: Tuple[str, ...] = ()
    change_id: Optional[str] = None

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or self.acl_define

    @property
    def applicable(self) -> bool:
        return self.has_changes and not self.blocked

    def to_dict(self) -> Dict[str, Any]:
        return {
            "switch": self.switch,
            "mode": self.mode,
            "state": self.state,
            "change_id": self.change_id,
            "quarantine_vlan": self.quarantine_vlan,
            "allowed_peers": list(self.allowed_peers),
            "acl_define": self.acl_define,
            "acl_ports_after": list(self.acl_ports_after),
            "changes": [c.to_dict() for c in self.changes],
            "refusals": [r.to_dict() for r in self.refusals],
            "blocked": [r.to_dict() for r in self.blocked],
            "unchanged": list(self.unchanged),
            "notes": list(self.notes),
        }

    def digest(self) -> str:
        """Stable digest of what would be sent (for the approval step)."""
        core = {
            "switch": self.switch,
            "changes": [c.to_dict() for c in self.changes],
            "acl_define": self.acl_define,
            "allowed_peers": list(self.allowed_peers),
            "quarantine_vlan": self.quarantine_vlan,
        }
        return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()


# --------------------------------------------------------------------------- validation


def check_vlan(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise IsolationError(f"{where}: VLAN must be an integer 1-4094, got {value!r}")
    s = str(value).strip()
    if not s.isdigit() or not 1 <= int(s) <= 4094:
        raise IsolationError(f"{where}: VLAN must be an integer 1-4094, got {value!r}")
    return int(s)


def check_name(value: str, where: str) -> str:
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise IsolationError(f"{where}: {value!r} is not a valid name (letter, then letters, digits, _ or -; max 32)")
    return value


def check_change_id(value: Optional[str]) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _CHANGE_ID_RE.fullmatch(value):
        raise IsolationError(f"change_id {value!r} is invalid: letters, digits, '.', '_' and '-' only, 1-64 characters")
    return value


def check_peers(values: Iterable[Any]) -> Tuple[str, ...]:
    out: List[str] = []
    for v in values:
        try:
            net = ipaddress.ip_network(str(v).strip(), strict=True)
        except ValueError as exc:
            raise IsolationError(f"allowed_peers: {v!r} is not an IPv4 address or network: {exc}") from None
        if net.version != 4:
            raise IsolationError(f"allowed_peers: {v!r}: only IPv4 peers are supported by the ACL templates")
        out.append(str(net))
    return tuple(sorted(set(out), key=lambda s: (ipaddress.ip_network(s).network_address, s)))


def _zone(name: str) -> Any:
    if name.upper() in ("UTC", "Z"):
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception as exc:
        raise IsolationError(f"change_window: unknown time zone {name!r}: {exc}") from None


def _parse_days(text: str) -> Tuple[int, ...]:
    days: Set[int] = set()
    for part in text.lower().split(","):
        part = part.strip()
        if "-" in part:
            a, _unused, b = part.partition("-")
            if a[:3] not in _DAYS or b[:3] not in _DAYS:
                raise IsolationError(f"change_window: bad day range {part!r} (use Mon-Fri)")
            i, j = _DAYS.index(a[:3]), _DAYS.index(b[:3])
            k = i
            while True:
                days.add(k)
                if k == j:
                    break
                k = (k + 1) % 7
        elif part[:3] in _DAYS and len(part) in (3, len(_day_full(part[:3]))):
            days.add(_DAYS.index(part[:3]))
        else:
            raise IsolationError(f"change_window: bad day {part!r} (use Mon, Tue, ... Sun)")
    return tuple(sorted(days))


def _day_full(short: str) -> str:
    return {
        "mon": "monday",
        "tue": "tuesday",
        "wed": "wednesday",
        "thu": "thursday",
        "fri": "friday",
        "sat": "saturday",
        "sun": "sunday",
    }[short]


_WINDOW_RE = re.compile(
    r"^\s*(?:(?P<days>[A-Za-z]{3,9}(?:\s*[-,]\s*[A-Za-z]{3,9})*)\s+)?"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
    r"(?:\s+(?P<tz>[A-Za-z][A-Za-z0-9_+/-]*))?\s*$"
)


def parse_change_window(text: Optional[str]) -> Optional[ChangeWindow]:
    """``"[Mon-Fri ]HH:MM-HH:MM[ Area/City]"`` -> ChangeWindow; empty -> None (always open)."""
    if text is None or not str(text).strip():
        return None
    m = _WINDOW_RE.match(str(text))
    if not m:
        raise IsolationError(
            f"change_window {text!r} is invalid: expected '[Days ]HH:MM-HH:MM[ Time/Zone]', "
            "e.g. 'Sat,Sun 01:00-05:00 Europe/London' or '22:00-04:00'"
        )

    def _t(s: str) -> time:
        h, _unused, mi = s.partition(":")
        if not (0 <= int(h) <= 23 and 0 <= int(mi) <= 59):
            raise IsolationError(f"change_window {text!r}: {s!r} is not a time of day")
        return time(int(h), int(mi))

    days = _parse_days(re.sub(r"\s+", "", m.group("days"))) if m.group("days") else tuple(range(7))
    tz = m.group("tz") or "UTC"
    _zone(tz)
    start, end = _t(m.group("start")), _t(m.group("end"))
    if start == end:
        raise IsolationError(f"change_window {text!r}: start and end are equal")
    return ChangeWindow(days=days, start=start, end=end, tz=tz, text=str(text).strip())


def targets_from_dicts(items: Sequence[Mapping[str, Any]]) -> List[Target]:
    """Accept the module's ``ports`` items or ``Finding.to_dict()`` output; errors name the item.

    A port item's own ``status``, ``vendor_key`` and ``waiver`` win over its ``verdict``'s. The
    ``verdict`` is read by ``Verdict.from_dict`` and a waiver by ``Waiver.from_dict``.
    """
    out: List[Target] = []
    for i, d in enumerate(items):
        where = f"ports[{i}]"
        if not isinstance(d, Mapping):
            raise IsolationError(f"{where}: expected a mapping, got {type(d).__name__}")
        raw_verdict = d.get("verdict")
        verdict_map: Mapping[str, Any] = raw_verdict if isinstance(raw_verdict, Mapping) else {}
        mac = d.get("mac")
        if not is_mac(mac):
            raise IsolationError(f"{where}.mac: {mac!r} is not a MAC address")
        iface = d.get("interface")
        if not isinstance(iface, str) or not iface:
            raise IsolationError(f"{where}.interface: missing or not a string")
        vlan = d.get("vlan")
        vlan = check_vlan(vlan, f"{where}.vlan") if vlan not in (None, "") else None
        own_waiver = d.get("waiver") is not None
        waiver = d.get("waiver") if own_waiver else verdict_map.get("waiver")
        if waiver is not None and not isinstance(waiver, Mapping):
            raise IsolationError(f"{where}.waiver: expected a mapping, got {type(waiver).__name__}")
        canonical = normalize_mac(str(mac))
        try:
            verdict = Verdict.from_dict(raw_verdict, f"{where}.verdict", mac=canonical) if verdict_map else None
            if own_waiver:
                Waiver.from_dict(waiver, f"{where}.waiver")
        except RecordError as e:
            raise IsolationError(str(e)) from e
        status = d.get("status") or (verdict.status if verdict else None) or "named"
        out.append(
            Target(
                mac=canonical,
                interface=iface,
                vlan=vlan,
                vendor_key=d.get("vendor_key") or (verdict.vendor_key if verdict else None),
                status=str(status),
                waiver=dict(waiver) if waiver else None,
                confidence=str(d.get("location_confidence") or d.get("confidence") or "edge"),
            )
        )
    return out


def waiver_active(waiver: Optional[Mapping[str, Any]], today: date) -> bool:
    """Whether ``waiver`` protects its port on ``today`` (``Waiver.active_on``); an unreadable one does not."""
    if not waiver:
        return False
    try:
        return Waiver.from_dict(waiver).active_on(today)
    except RecordError:
        return False


# --------------------------------------------------------------------------- planning


def current_config(port: PortInfo, acl_ports: Set[str]) -> PortConfig:
    return PortConfig(access_vlan=port.access_vlan, enabled=port.enabled, acl=port.name in acl_ports)


def isolated_config(prior: PortConfig, mode: str, quarantine_vlan: int) -> PortConfig:
    if mode == "vlan":
        return PortConfig(access_vlan=quarantine_vlan, enabled=prior.enabled, acl=False)
    if mode == "shutdown":
        return PortConfig(access_vlan=prior.access_vlan, enabled=False, acl=False)
    if mode == "acl":
        return PortConfig(access_vlan=prior.access_vlan, enabled=prior.enabled, acl=True)
    raise IsolationError(f"mode {mode!r} is invalid; expected one of {', '.join(MODES)}")


def _uplink_reason(port: PortInfo, neighbors: Mapping[str, List[Neighbor]]) -> Optional[Tuple[str, str]]:
    if port.is_lag or port.lag:
        agg = port.name if port.is_lag else port.lag
        return "lag", f"{port.name} is a link aggregate or a member of {agg}"
    if port.mode != "access":
        return "trunk", f"{port.name} is not an access port (mode {port.mode})"
    for n in neighbors.get(port.name, []):
        if n.is_network_device and not is_recorder_name(n.remote_name):
            caps = ",".join(n.capabilities)
            return "neighbor", f"{port.name} has an {n.protocol.upper()} neighbour that is a network device ({caps})"
    return None


def _port_macs(macs: Iterable[MacEntry]) -> Dict[str, Set[str]]:
    out: Dict[str, Set[str]] = {}
    for m in macs:
        if m.kind == "self" or not m.interface:
            continue
        out.setdefault(m.interface, set()).add(m.mac)
    return out


def build_plan(
    switch: str,
    ports: Sequence[PortInfo],
    macs: Sequence[MacEntry],
    neighbors: Sequence[Neighbor],
    acl_ports: Iterable[str],
    saved: Mapping[str, Any],
    targets: Sequence[Target],
    options: Options,
) -> Plan:
    """Compute the exact per-port change for one switch. ``saved`` is the switch's saved state
    (``{"ports": {iface: {"prior": {...}, "mode": ..., "macs": [...]}}, "acl_peers": [...]}``)."""
    opt = options
    if opt.mode not in MODES:
        raise IsolationError(f"mode {opt.mode!r} is invalid; expected one of {', '.join(MODES)}")
    if opt.state not in STATES:
        raise IsolationError(f"state {opt.state!r} is invalid; expected one of {', '.join(STATES)}")
    check_vlan(opt.quarantine_vlan, "quarantine_vlan")
    if opt.max_ports < 1 or opt.max_macs_per_port < 1:
        raise IsolationError("max_ports and max_macs_per_port must be at least 1")
    try:
        exc_re = re.compile(opt.exception_pattern) if opt.exception_pattern else None
    except re.error as exc:
        raise IsolationError(f"exception_pattern {opt.exception_pattern!r} is not a valid regex: {exc}") from None

    plan = Plan(
        switch=switch,
        mode=opt.mode,
        state=opt.state,
        quarantine_vlan=opt.quarantine_vlan,
        allowed_peers=opt.allowed_peers,
        change_id=opt.change_id,
    )
    by_name = {p.name: p for p in ports}
    acl_set = set(acl_ports)
    nbrs: Dict[str, List[Neighbor]] = {}
    for n in neighbors:
        nbrs.setdefault(n.local_interface, []).append(n)
    port_macs = _port_macs(macs)
    mac_ports: Dict[str, Set[str]] = {}
    for iface, ms in port_macs.items():
        for m in ms:
            mac_ports.setdefault(m, set()).add(iface)
    saved_ports: Mapping[str, Any] = saved.get("ports", {}) if isinstance(saved, Mapping) else {}
    today = opt.now.astimezone(timezone.utc).date()

    def prior_of(iface: str, current: PortConfig) -> PortConfig:
        entry = saved_ports.get(iface)
        if isinstance(entry, Mapping) and "prior" in entry:
            return PortConfig.from_dict(entry["prior"], f"saved state of {switch} {iface}")
        return current

    changes: List[PortChange] = []

    if opt.state in ("isolated", "planned"):
        wanted: Dict[str, List[Target]] = {}
        target_macs = {t.mac for t in targets}
        for t in targets:
            if not safe_ifname(t.interface):
                plan.refusals.append(
                    Refusal("unsafe_interface", f"interface name {t.interface!r} fails validation", None, t.mac)
                )
                continue
            if t.status not in opt.statuses:
                plan.refusals.append(
                    Refusal(
                        "not_targeted",
                        f"status {t.status!r} is not one of the statuses to isolate ({', '.join(opt.statuses)})",
                        t.interface,
                        t.mac,
                    )
                )
                continue
            if waiver_active(t.waiver, today):
                w = t.waiver or {}
                plan.refusals.append(
                    Refusal(
                        "waived",
                        f"waived until {w.get('expires') or 'further notice'} (owner {w.get('owner')!r}, ticket {w.get('ticket')!r})",
                        t.interface,
                        t.mac,
                    )
                )
                continue
            if t.confidence != "edge":
                plan.refusals.append(
                    Refusal(
                        "ambiguous_location",
                        f"location confidence is {t.confidence!r}, not 'edge': isolating {t.interface} could cut other devices",
                        t.interface,
                        t.mac,
                    )
                )
                continue
            iface = t.interface
            live = sorted(mac_ports.get(t.mac, set()))
            live_edge = [i for i in live if i in by_name and _uplink_reason(by_name[i], nbrs) is None]
            if live and iface not in live:
                others = sorted(port_macs.get(live_edge[0], set()) - target_macs) if len(live_edge) == 1 else []
                if others:
                    # This switch alone cannot tell a new edge port from an access-mode uplink that
                    # learns the device behind another switch: follow a move only to a port where
                    # nothing else is learned, and leave the rest to a new discovery.
                    plan.refusals.append(
                        Refusal(
                            "moved_unverified",
                            f"{t.mac} moved from {iface} to {live_edge[0]}, which also learns {len(others)} other "
                            "MAC address(es) (possibly an uplink): run discovery again",
                            t.interface,
                            t.mac,
                        )
                    )
                    continue
                if len(live_edge) == 1:
                    plan.notes.append(f"{t.mac} moved from {iface} to {live_edge[0]} since discovery")
                    iface = live_edge[0]
                elif not live_edge:
                    plan.refusals.append(
                        Refusal(
                            "moved_off_edge",
                            f"{t.mac} is now learned only on {', '.join(live)} (not an edge port of this switch)",
                            t.interface,
                            t.mac,
                        )
                    )
                    continue
            elif not live:
                plan.notes.append(f"{t.mac} is not in the live MAC table; using the discovered port {iface}")
            wanted.setdefault(iface, []).append(t)

        for iface in sorted(wanted):
            ts = wanted[iface]
            port = by_name.get(iface)
            mac0 = ts[0].mac
            if port is None:
                plan.refusals.append(Refusal("unknown_port", f"interface {iface} not found on {switch}", iface, mac0))
                continue
            up = _uplink_reason(port, nbrs)
            if up is not None:
                plan.refusals.append(Refusal(up[0], up[1], iface, mac0))
                continue
            count = len(port_macs.get(iface, set()) | {t.mac for t in ts})
            if count > opt.max_macs_per_port:
                plan.refusals.append(
                    Refusal(
                        "too_many_macs",
                        f"{iface} has {count} MAC addresses, more than max_macs_per_port={opt.max_macs_per_port}",
                        iface,
                        mac0,
                    )
                )
                continue
            if exc_re is not None and exc_re.search(port.description or ""):
                plan.refusals.append(
                    Refusal(
                        "exception_description",
                        f"{iface} description matches the exception pattern {opt.exception_pattern!r}",
                        iface,
                        mac0,
                    )
                )
                continue
            current = current_config(port, acl_set)
            prior = prior_of(iface, current)
            if opt.mode == "vlan" and prior.access_vlan is None:
                plan.refusals.append(
                    Refusal(
                        "unknown_vlan", f"{iface} has no known access VLAN: release could not restore it", iface, mac0
                    )
                )
                continue
            if iface not in saved_ports and opt.mode == "vlan" and current.access_vlan == opt.quarantine_vlan:
                plan.notes.append(f"{iface} is already in the quarantine VLAN and has no saved prior state")
            desired = isolated_config(prior, opt.mode, opt.quarantine_vlan)
            vendor = next((t.vendor_key for t in ts if t.vendor_key), None)
            if current == desired:
                plan.unchanged.append(iface)
                continue
            changes.append(
                PortChange(
                    interface=iface,
                    action="isolate",
                    mode=opt.mode,
                    before=current,
                    after=desired,
                    prior=prior,
                    macs=tuple(sorted({t.mac for t in ts})),
                    vendor_key=vendor,
                )
            )

        # moved devices: a saved port where nothing restricted remains, and whose devices are seen elsewhere
        handled = set(wanted)
        elsewhere = {normalize_mac(m) for m in opt.seen_elsewhere if is_mac(m)}
        for iface in sorted(saved_ports):
            if iface in handled or iface not in by_name:
                continue
            entry = saved_ports[iface]
            old_macs = {normalize_mac(m) for m in entry.get("macs", []) if is_mac(m)}
            if port_macs.get(iface, set()) & target_macs:
                continue
            moved_to = {
                m: sorted(mac_ports.get(m, set()) - {iface}) or (["another switch"] if m in elsewhere else [])
                for m in old_macs
            }
            if not old_macs or not all(moved_to.values()):
                continue
            current = current_config(by_name[iface], acl_set)
            prior = prior_of(iface, current)
            where = "; ".join(f"{m} now on {', '.join(v)}" for m, v in sorted(moved_to.items()))
            if current == prior:
                plan.unchanged.append(iface)
                continue
            changes.append(
                PortChange(
                    interface=iface,
                    action="release",
                    mode=str(entry.get("mode", opt.mode)),
                    before=current,
                    after=prior,
                    prior=prior,
                    macs=tuple(sorted(old_macs)),
                    vendor_key=entry.get("vendor_key"),
                    reason=f"device moved: {where}",
                )
            )
    else:  # released
        only = set(opt.release_interfaces)
        for iface in sorted(saved_ports):
            if only and iface not in only:
                continue
            entry = saved_ports[iface]
            if iface not in by_name:
                plan.refusals.append(Refusal("unknown_port", f"interface {iface} not found on {switch}", iface, None))
                continue
            current = current_config(by_name[iface], acl_set)
            prior = prior_of(iface, current)
            if current == prior:
                plan.unchanged.append(iface)
                continue
            changes.append(
                PortChange(
                    interface=iface,
                    action="release",
                    mode=str(entry.get("mode", opt.mode)),
                    before=current,
                    after=prior,
                    prior=prior,
                    macs=tuple(entry.get("macs", [])),
                    vendor_key=entry.get("vendor_key"),
                    reason="release requested",
                )
            )
        for iface in sorted(only - set(saved_ports)):
            plan.refusals.append(
                Refusal("not_isolated", f"{iface} has no saved isolation state on {switch}: nothing to restore", iface)
            )

    plan.changes = changes
    # ACL bookkeeping: which ports carry the ACL afterwards, and whether the ACL must be (re)defined
    after_acl = set(acl_set)
    for c in changes:
        if c.after.acl:
            after_acl.add(c.interface)
        else:
            after_acl.discard(c.interface)
    plan.acl_ports_after = tuple(sorted(after_acl))
    saved_peers = tuple(saved.get("acl_peers", ())) if isinstance(saved, Mapping) else ()
    new_acl = any(c.after.acl and not c.before.acl for c in changes)
    if opt.state != "released" and after_acl:
        if new_acl and not acl_set:
            plan.acl_define = True
        elif opt.mode == "acl" and saved_peers != opt.allowed_peers:
            plan.acl_define = True
            plan.notes.append("allowed_peers differ from the saved ACL: the quarantine ACL is redefined")
    if opt.mode == "acl" and opt.state != "released" and any(c.after.acl for c in changes) and not opt.allowed_peers:
        plan.notes.append("acl mode without allowed_peers: the port may only use DHCP and ARP")

    # switch-wide guardrails: never half-apply
    if len(changes) > opt.max_ports:
        plan.blocked.append(
            Refusal(
                "max_ports",
                f"{len(changes)} ports would change on {switch}, more than max_ports={opt.max_ports}",
            )
        )
    applying = not opt.check_mode and opt.state != "planned"
    if plan.has_changes and not opt.change_id:
        if applying:
            plan.blocked.append(Refusal("change_id", "no change_id given: changes need a change ID outside check mode"))
        else:
            plan.notes.append("no change_id: applying this plan will be refused")
    if plan.has_changes and opt.change_window is not None and not opt.change_window.is_open(opt.now):
        msg = f"outside the change window {opt.change_window.text!r} (now {opt.now.isoformat(timespec='minutes')})"
        if applying:
            plan.blocked.append(Refusal("change_window", msg))
        else:
            plan.notes.append(msg + ": applying this plan will be refused")
    return plan


def saved_after_apply(saved: Mapping[str, Any], plan: Plan, now: datetime) -> Dict[str, Any]:
    """The new saved state once ``plan`` was applied and verified."""
    ports: Dict[str, Any] = {k: dict(v) for k, v in dict(saved.get("ports", {})).items()}
    for c in plan.changes:
        if c.action == "release":
            ports.pop(c.interface, None)
        else:
            old = ports.get(c.interface, {})
            ports[c.interface] = {
                "prior": c.prior.to_dict(),
                "mode": c.mode,
                "macs": sorted(set(old.get("macs", [])) | set(c.macs)),
                "vendor_key": c.vendor_key,
                "change_id": plan.change_id,
                "isolated_at": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
            }
    out: Dict[str, Any] = {"version": 1, "switch": plan.switch, "ports": ports}
    if not plan.acl_ports_after:
        out["acl_peers"] = []
    elif plan.acl_define:
        out["acl_peers"] = list(plan.allowed_peers)
    else:
        out["acl_peers"] = list(saved.get("acl_peers", []))
    return out
