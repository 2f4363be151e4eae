# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation planning and guardrails: a pure function from what a switch looks like now (ports,
MAC table, neighbours, the ports carrying the camguard ACL), what was isolated before (the saved
prior state) and what is requested (port targets + ``Options``) to an exact ``Plan``.

A plan holds one ``PortChange`` per port that needs a change (with the port's config before, after
and the prior state that ``release`` restores), the per-port ``Refusal`` list (guardrails, with the
reason) and the switch-wide ``blocked`` list (too many ports, no change ID, outside the change
window). A blocked plan is never applied at all: no half-apply.

``build_plan`` goes by the requested state: ``isolated`` / ``planned`` isolate the targets' ports
(``_plan_isolated``: per-target refusals, devices followed to the port they moved to, per-port
guardrails) and release the saved ports whose devices moved away (``_release_moved``);
``released`` restores saved ports (``_plan_released``). Every release goes through ``_release``.
Then the ACL bookkeeping and the switch-wide guardrails.

Nothing here talks to a device or the file system; ``now`` is injected.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional, Pattern, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULTS,
    MODES,
    IsolationError,
    Options,
    check_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._locate import is_recorder_name
from ansible_collections.camguard.network.plugins.module_utils._mac import is_mac, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    MacEntry,
    Neighbor,
    PortInfo,
    RecordError,
    Verdict,
    Waiver,
)

ACL_NAME = "CAMGUARD-QUARANTINE"  # the camguard port ACL (a fixed name, not an option)


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
class PortTarget:
    """One restricted device to isolate on one port of this switch (from a ``Finding``)."""

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
    quarantine_vlan: int = DEFAULTS["quarantine_vlan"]
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


def targets_from_dicts(items: Sequence[Mapping[str, Any]]) -> List[PortTarget]:
    """Accept the module's ``ports`` items or ``Finding.to_dict()`` output; errors name the item.

    A port item's own ``status``, ``vendor_key`` and ``waiver`` win over its ``verdict``'s. The
    ``verdict`` is read by ``Verdict.from_dict`` and a waiver by ``Waiver.from_dict``.
    """
    out: List[PortTarget] = []
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
            PortTarget(
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


@dataclass
class _Switch:
    """The switch as the planner sees it: its live state indexed, and its saved isolation state."""

    name: str
    by_name: Dict[str, PortInfo]
    acl: Set[str]  # ports carrying the camguard ACL now
    neighbors: Dict[str, List[Neighbor]]
    port_macs: Dict[str, Set[str]]  # port -> MACs learned there
    mac_ports: Dict[str, Set[str]]  # MAC -> ports it is learned on
    saved_ports: Mapping[str, Any]  # port -> saved isolation state (prior, mode, macs, ...)

    @classmethod
    def index(
        cls,
        switch: str,
        ports: Sequence[PortInfo],
        macs: Sequence[MacEntry],
        neighbors: Sequence[Neighbor],
        acl_ports: Iterable[str],
        saved: Mapping[str, Any],
    ) -> _Switch:
        nbrs: Dict[str, List[Neighbor]] = {}
        for n in neighbors:
            nbrs.setdefault(n.local_interface, []).append(n)
        port_macs = _port_macs(macs)
        mac_ports: Dict[str, Set[str]] = {}
        for iface, ms in port_macs.items():
            for m in ms:
                mac_ports.setdefault(m, set()).add(iface)
        return cls(
            name=switch,
            by_name={p.name: p for p in ports},
            acl=set(acl_ports),
            neighbors=nbrs,
            port_macs=port_macs,
            mac_ports=mac_ports,
            saved_ports=saved.get("ports", {}) if isinstance(saved, Mapping) else {},
        )

    def current(self, iface: str) -> PortConfig:
        return current_config(self.by_name[iface], self.acl)

    def prior(self, iface: str, current: PortConfig) -> PortConfig:
        """What release restores: the saved prior state, or (never isolated) the current one."""
        entry = self.saved_ports.get(iface)
        if isinstance(entry, Mapping) and "prior" in entry:
            return PortConfig.from_dict(entry["prior"], f"saved state of {self.name} {iface}")
        return current


def build_plan(
    switch: str,
    ports: Sequence[PortInfo],
    macs: Sequence[MacEntry],
    neighbors: Sequence[Neighbor],
    acl_ports: Iterable[str],
    saved: Mapping[str, Any],
    targets: Sequence[PortTarget],
    options: Options,
) -> Plan:
    """Compute the exact per-port change for one switch. ``saved`` is the switch's saved state
    (``{"ports": {iface: {"prior": {...}, "mode": ..., "macs": [...]}}, "acl_peers": [...]}``);
    ``options`` were checked when they were made."""
    sw = _Switch.index(switch, ports, macs, neighbors, acl_ports, saved)
    plan = Plan(
        switch=switch,
        mode=options.mode,
        state=options.state,
        quarantine_vlan=options.quarantine_vlan,
        allowed_peers=options.allowed_peers,
        change_id=options.change_id,
    )
    if options.state == "released":
        plan.changes = _plan_released(sw, options, plan)
    else:  # isolated, planned
        plan.changes = _plan_isolated(sw, targets, options, plan)
    _plan_acl(plan, sw, saved, options)
    _switch_guardrails(plan, options)
    return plan


# ----------------------------------------------------------------- state isolated / planned


def _plan_isolated(sw: _Switch, targets: Sequence[PortTarget], opt: Options, plan: Plan) -> List[PortChange]:
    """Isolate the targets' ports; release the saved ports whose devices moved away."""
    today = opt.now.astimezone(timezone.utc).date()
    target_macs = {t.mac for t in targets}
    wanted: Dict[str, List[PortTarget]] = {}
    for t in targets:
        refusal = _target_refusal(t, opt, today)
        if refusal is not None:
            plan.refusals.append(refusal)
            continue
        iface = _live_port(sw, t, target_macs, plan)
        if iface is not None:
            wanted.setdefault(iface, []).append(t)
    changes: List[PortChange] = []
    exc_re = opt.exception_re
    for iface in sorted(wanted):
        change = _isolate_port(sw, iface, wanted[iface], opt, exc_re, plan)
        if change is not None:
            changes.append(change)
    changes.extend(_release_moved(sw, set(wanted), target_macs, opt, plan))
    return changes


def _target_refusal(t: PortTarget, opt: Options, today: date) -> Optional[Refusal]:
    """Why this target is not isolated at all, whatever its port (None: it is a candidate)."""
    if not safe_ifname(t.interface):
        return Refusal("unsafe_interface", f"interface name {t.interface!r} fails validation", None, t.mac)
    if t.status not in opt.statuses:
        return Refusal(
            "not_targeted",
            f"status {t.status!r} is not one of the statuses to isolate ({', '.join(opt.statuses)})",
            t.interface,
            t.mac,
        )
    if waiver_active(t.waiver, today):
        w = t.waiver or {}
        return Refusal(
            "waived",
            f"waived until {w.get('expires') or 'further notice'} (owner {w.get('owner')!r}, ticket {w.get('ticket')!r})",
            t.interface,
            t.mac,
        )
    if t.confidence != "edge":
        return Refusal(
            "ambiguous_location",
            f"location confidence is {t.confidence!r}, not 'edge': isolating {t.interface} could cut other devices",
            t.interface,
            t.mac,
        )
    return None


def _live_port(sw: _Switch, t: PortTarget, target_macs: Set[str], plan: Plan) -> Optional[str]:
    """The port to isolate ``t`` on: the discovered one, or the edge port it moved to since
    discovery (None: refused, the refusal is in the plan)."""
    iface = t.interface
    live = sorted(sw.mac_ports.get(t.mac, set()))
    if not live:
        plan.notes.append(f"{t.mac} is not in the live MAC table; using the discovered port {iface}")
        return iface
    if iface in live:
        return iface
    live_edge = [i for i in live if i in sw.by_name and _uplink_reason(sw.by_name[i], sw.neighbors) is None]
    others = sorted(sw.port_macs.get(live_edge[0], set()) - target_macs) if len(live_edge) == 1 else []
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
        return None
    if len(live_edge) == 1:
        plan.notes.append(f"{t.mac} moved from {iface} to {live_edge[0]} since discovery")
        return live_edge[0]
    if not live_edge:
        plan.refusals.append(
            Refusal(
                "moved_off_edge",
                f"{t.mac} is now learned only on {', '.join(live)} (not an edge port of this switch)",
                t.interface,
                t.mac,
            )
        )
        return None
    return iface  # learned on several edge ports: the discovered port stands


def _port_refusal(
    sw: _Switch, port: PortInfo, ts: Sequence[PortTarget], opt: Options, exc_re: Optional[Pattern[str]]
) -> Optional[Refusal]:
    """The per-port guardrails: uplinks (LAG, trunk, network neighbour), too many MACs, the
    exception description."""
    iface, mac0 = port.name, ts[0].mac
    up = _uplink_reason(port, sw.neighbors)
    if up is not None:
        return Refusal(up[0], up[1], iface, mac0)
    count = len(sw.port_macs.get(iface, set()) | {t.mac for t in ts})
    if count > opt.max_macs_per_port:
        return Refusal(
            "too_many_macs",
            f"{iface} has {count} MAC addresses, more than max_macs_per_port={opt.max_macs_per_port}",
            iface,
            mac0,
        )
    if exc_re is not None and exc_re.search(port.description or ""):
        return Refusal(
            "exception_description",
            f"{iface} description matches the exception pattern {opt.exception_pattern!r}",
            iface,
            mac0,
        )
    return None


def _isolate_port(
    sw: _Switch, iface: str, ts: Sequence[PortTarget], opt: Options, exc_re: Optional[Pattern[str]], plan: Plan
) -> Optional[PortChange]:
    """The isolating change of one port for its targets ``ts`` (None: refused or unchanged)."""
    port = sw.by_name.get(iface)
    mac0 = ts[0].mac
    if port is None:
        plan.refusals.append(Refusal("unknown_port", f"interface {iface} not found on {sw.name}", iface, mac0))
        return None
    refusal = _port_refusal(sw, port, ts, opt, exc_re)
    if refusal is not None:
        plan.refusals.append(refusal)
        return None
    current = current_config(port, sw.acl)
    prior = sw.prior(iface, current)
    if opt.mode == "vlan" and prior.access_vlan is None:
        plan.refusals.append(
            Refusal("unknown_vlan", f"{iface} has no known access VLAN: release could not restore it", iface, mac0)
        )
        return None
    if iface not in sw.saved_ports and opt.mode == "vlan" and current.access_vlan == opt.quarantine_vlan:
        plan.notes.append(f"{iface} is already in the quarantine VLAN and has no saved prior state")
    desired = isolated_config(prior, opt.mode, opt.quarantine_vlan)
    vendor = next((t.vendor_key for t in ts if t.vendor_key), None)
    if current == desired:
        plan.unchanged.append(iface)
        return None
    return PortChange(
        interface=iface,
        action="isolate",
        mode=opt.mode,
        before=current,
        after=desired,
        prior=prior,
        macs=tuple(sorted({t.mac for t in ts})),
        vendor_key=vendor,
    )


def _release_moved(sw: _Switch, handled: Set[str], target_macs: Set[str], opt: Options, plan: Plan) -> List[PortChange]:
    """Moved devices: release a saved port where nothing restricted remains and whose devices
    are all seen elsewhere (on another port here, or on another switch: ``seen_elsewhere``)."""
    elsewhere = {normalize_mac(m) for m in opt.seen_elsewhere if is_mac(m)}
    changes: List[PortChange] = []
    for iface in sorted(sw.saved_ports):
        if iface in handled or iface not in sw.by_name:
            continue
        entry = sw.saved_ports[iface]
        old_macs = {normalize_mac(m) for m in entry.get("macs", []) if is_mac(m)}
        if sw.port_macs.get(iface, set()) & target_macs:
            continue
        moved_to = {
            m: sorted(sw.mac_ports.get(m, set()) - {iface}) or (["another switch"] if m in elsewhere else [])
            for m in old_macs
        }
        if not old_macs or not all(moved_to.values()):
            continue
        where = "; ".join(f"{m} now on {', '.join(v)}" for m, v in sorted(moved_to.items()))
        change = _release(sw, iface, entry, opt, plan, f"device moved: {where}", tuple(sorted(old_macs)))
        if change is not None:
            changes.append(change)
    return changes


# ----------------------------------------------------------------- state released


def _plan_released(sw: _Switch, opt: Options, plan: Plan) -> List[PortChange]:
    """Restore the saved prior state of every isolated port (or of ``release_interfaces``)."""
    only = set(opt.release_interfaces)
    changes: List[PortChange] = []
    for iface in sorted(sw.saved_ports):
        if only and iface not in only:
            continue
        entry = sw.saved_ports[iface]
        if iface not in sw.by_name:
            plan.refusals.append(Refusal("unknown_port", f"interface {iface} not found on {sw.name}", iface, None))
            continue
        change = _release(sw, iface, entry, opt, plan, "release requested")
        if change is not None:
            changes.append(change)
    for iface in sorted(only - set(sw.saved_ports)):
        plan.refusals.append(
            Refusal("not_isolated", f"{iface} has no saved isolation state on {sw.name}: nothing to restore", iface)
        )
    return changes


def _release(
    sw: _Switch,
    iface: str,
    entry: Any,
    opt: Options,
    plan: Plan,
    reason: str,
    macs: Optional[Tuple[str, ...]] = None,
) -> Optional[PortChange]:
    """The change that restores ``iface``'s prior state (None: it has it already). ``macs``: the
    devices released (default: as saved)."""
    current = sw.current(iface)
    prior = sw.prior(iface, current)
    if current == prior:
        plan.unchanged.append(iface)
        return None
    return PortChange(
        interface=iface,
        action="release",
        mode=str(entry.get("mode", opt.mode)),
        before=current,
        after=prior,
        prior=prior,
        macs=macs if macs is not None else tuple(entry.get("macs", [])),
        vendor_key=entry.get("vendor_key"),
        reason=reason,
    )


# ----------------------------------------------------------------- every state


def _plan_acl(plan: Plan, sw: _Switch, saved: Mapping[str, Any], opt: Options) -> None:
    """ACL bookkeeping: which ports carry the ACL afterwards, and whether it must be (re)defined."""
    changes = plan.changes
    after_acl = set(sw.acl)
    for c in changes:
        if c.after.acl:
            after_acl.add(c.interface)
        else:
            after_acl.discard(c.interface)
    plan.acl_ports_after = tuple(sorted(after_acl))
    saved_peers = tuple(saved.get("acl_peers", ())) if isinstance(saved, Mapping) else ()
    new_acl = any(c.after.acl and not c.before.acl for c in changes)
    if opt.state != "released" and after_acl:
        if new_acl and not sw.acl:
            plan.acl_define = True
        elif opt.mode == "acl" and saved_peers != opt.allowed_peers:
            plan.acl_define = True
            plan.notes.append("allowed_peers differ from the saved ACL: the quarantine ACL is redefined")
    if opt.mode == "acl" and opt.state != "released" and any(c.after.acl for c in changes) and not opt.allowed_peers:
        plan.notes.append("acl mode without allowed_peers: the port may only use DHCP and ARP")


def _switch_guardrails(plan: Plan, opt: Options) -> None:
    """Switch-wide guardrails: never half-apply. Outside check mode they block the whole plan;
    in check mode and for ``state=planned`` they are notes."""
    if len(plan.changes) > opt.max_ports:
        plan.blocked.append(
            Refusal(
                "max_ports",
                f"{len(plan.changes)} ports would change on {plan.switch}, more than max_ports={opt.max_ports}",
            )
        )
    if plan.has_changes and not opt.change_id:
        if opt.applying:
            plan.blocked.append(Refusal("change_id", "no change_id given: changes need a change ID outside check mode"))
        else:
            plan.notes.append("no change_id: applying this plan will be refused")
    if plan.has_changes and opt.change_window is not None and not opt.change_window.is_open(opt.now):
        msg = f"outside the change window {opt.change_window.text!r} (now {opt.now.isoformat(timespec='minutes')})"
        if opt.applying:
            plan.blocked.append(Refusal("change_window", msg))
        else:
            plan.notes.append(msg + ": applying this plan will be refused")


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
