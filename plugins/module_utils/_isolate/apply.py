# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply an isolation plan to one switch through the ``Transport`` seam, in one config session.

Sequence (``run_isolation``): lock the switch's state directory; read the live state
(``readback``); plan (``plan.build_plan``); render (``render``); in check mode stop there.
Otherwise save the running config and the plan, apply all lines in one session with the
platform's commit model (``session``), read back and verify every port, make the change
permanent; on any failure roll back to the saved state (the platform's native rollback, or the
inverse plan re-rendered), read back again and report what happened. Every port change appends
an audit record (``state``).

Nothing here knows a platform: the facts come from ``_platforms`` through ``readback`` and
``session``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence, Set

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULT_CONFIG_BATCH_LINES,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULTS,
    Options,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    Plan,
    PortChange,
    PortConfig,
    PortTarget,
    build_plan,
    saved_after_apply,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (
    LiveState,
    Reader,
    default_reader,
    quarantine_vlan_defined,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.render import render_plan
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import (
    ApplyError,
    Session,
    check_batch_lines,
    open_session,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore, audit_record
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError, DeviceError

# --------------------------------------------------------------------------- verification


def verify_changes(live: LiveState, changes: Sequence[PortChange], want_before: bool = False) -> List[str]:
    """Problems (empty = verified): every changed port must read back as its after (or before)."""
    got = live.port_configs()
    problems = []
    for c in changes:
        want = c.before if want_before else c.after
        have = got.get(c.interface)
        if have is None:
            problems.append(f"{c.interface}: not found when reading back")
        elif have != want:
            problems.append(f"{c.interface}: expected {_cfg(want)}, read back {_cfg(have)}")
    return problems


def _cfg(c: PortConfig) -> str:
    vlan = "-" if c.access_vlan is None else str(c.access_vlan)
    return f"vlan={vlan} enabled={'yes' if c.enabled else 'no'} acl={'yes' if c.acl else 'no'}"


def inverse_plan(plan: Plan, acl_ports_before: Set[str], saved_peers: Sequence[str]) -> Plan:
    """The plan that takes the switch from ``plan``'s after back to its before."""
    inv = dataclasses.replace(
        plan,
        changes=[
            dataclasses.replace(
                c, before=c.after, after=c.before, action="release" if c.action == "isolate" else "isolate"
            )
            for c in plan.changes
        ],
        acl_ports_after=tuple(sorted(acl_ports_before)),
        allowed_peers=tuple(saved_peers) if plan.acl_define and saved_peers else plan.allowed_peers,
        acl_define=bool(plan.acl_define and acl_ports_before),
        blocked=[],
    )
    return inv


def diff_text(plan: Plan, lines: Sequence[str]) -> Dict[str, str]:
    before = [f"# {plan.switch}"] + [f"{c.interface}: {_cfg(c.before)}" for c in plan.changes]
    after = [f"# {plan.switch}"] + [f"{c.interface}: {_cfg(c.after)}  ({c.action} {c.mode})" for c in plan.changes]
    if lines:
        after += ["# configuration sent in one session:"] + [f"#   {ln}" for ln in lines]
    return {
        "before_header": f"{plan.switch} (running)",
        "after_header": f"{plan.switch} (planned)",
        "before": "\n".join(before) + "\n",
        "after": "\n".join(after) + "\n",
    }


# --------------------------------------------------------------------------- orchestration


@dataclass
class RunResult:
    switch: str
    plan: Plan
    config: List[str] = field(default_factory=list)
    changed: bool = False
    applied: bool = False
    verified: Optional[bool] = None
    rolled_back: bool = False
    rollback_verified: Optional[bool] = None
    failed: bool = False
    msg: str = ""
    audit_records: List[Dict[str, Any]] = field(default_factory=list)
    running_config_file: Optional[str] = None
    plan_file: Optional[str] = None
    diff: Dict[str, str] = field(default_factory=dict)
    problems: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "switch": self.switch,
            "changed": self.changed,
            "failed": self.failed,
            "msg": self.msg,
            "plan": self.plan.to_dict(),
            "plan_digest": self.plan.digest(),
            "refused": [r.to_dict() for r in self.plan.refusals + self.plan.blocked],
            "config": list(self.config),
            "applied": self.applied,
            "verified": self.verified,
            "rolled_back": self.rolled_back,
            "rollback_verified": self.rollback_verified,
            "audit_records": list(self.audit_records),
            "running_config_file": self.running_config_file,
            "plan_file": self.plan_file,
            "problems": list(self.problems),
        }


def plan_audit_records(plan: Plan, result: str, now: datetime, user: str, detail: str = "") -> List[Dict[str, Any]]:
    """One audit record per port change (with ``result``) and per refusal of ``plan``."""
    out = []
    for c in plan.changes:
        out.append(
            audit_record(
                now=now,
                user=user,
                change_id=plan.change_id,
                switch=plan.switch,
                port=c.interface,
                mac=",".join(c.macs) or None,
                vendor=c.vendor_key,
                mode=c.mode,
                action=c.action,
                before=c.before.to_dict(),
                after=c.after.to_dict(),
                result=result,
                detail=detail,
            )
        )
    for r in plan.refusals + plan.blocked:
        out.append(
            audit_record(
                now=now,
                user=user,
                change_id=plan.change_id,
                switch=plan.switch,
                port=r.interface,
                mac=r.mac,
                vendor=None,
                mode=plan.mode,
                action="refuse",
                before=None,
                after=None,
                result=f"refused:{r.code}",
                detail=r.reason,
            )
        )
    return out


@dataclass
class _Run:
    """What one run of ``run_isolation`` works with once the plan is made."""

    transport: Transport
    platform: str
    switch: str
    store: StateStore
    templates_dir: str
    read: Reader
    root: bool
    batch_lines: int
    reconnect: Optional[Callable[[], Transport]]
    quarantine_name: str
    now: datetime
    user: str


def run_isolation(
    transport: Transport,
    platform: str,
    switch: str,
    targets: Sequence[PortTarget],
    options: Options,
    store: StateStore,
    templates_dir: str,
    *,
    verify: bool = DEFAULTS["verify"],
    user: str = "unknown",
    quarantine_name: Optional[str] = None,
    create_vlan: Optional[bool] = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    approved_digest: Optional[str] = None,
    reader: Optional[Reader] = None,
    root: bool = True,
    reconnect: Optional[Callable[[], Transport]] = None,
    config_batch_lines: int = DEFAULT_CONFIG_BATCH_LINES,
) -> RunResult:
    """Plan, and outside check mode apply, verify and record, for one switch.

    ``quarantine_name`` and ``create_vlan`` default to the options' ``quarantine_name`` and
    ``create_quarantine_vlan``.

    ``config_batch_lines``: how many configuration lines are typed before reading the switch's
    answers (``1``: one at a time, each echo awaited); see ``session``.

    ``reconnect`` opens a fresh session to the same switch: when the connection drops or stalls
    in the middle of the change, the rollback and its verification run over a new session
    instead of the dead one.
    """
    batch_lines = check_batch_lines(config_batch_lines)
    read = reader or default_reader(platform, switch, root)
    now = options.now if options.now.tzinfo else options.now.replace(tzinfo=timezone.utc)
    run = _Run(
        transport=transport,
        platform=platform,
        switch=switch,
        store=store,
        templates_dir=templates_dir,
        read=read,
        root=root,
        batch_lines=batch_lines,
        reconnect=reconnect,
        quarantine_name=options.quarantine_name if quarantine_name is None else quarantine_name,
        now=now,
        user=user,
    )
    if create_vlan is None:
        create_vlan = options.create_quarantine_vlan
    with store.lock(lock_timeout):
        saved = store.load_ports()
        live = read(transport, True)
        plan = build_plan(switch, live.ports, live.macs, live.neighbors, live.acl_ports, saved, targets, options)
        if create_vlan and quarantine_vlan_defined(platform, live.running_config, plan.quarantine_vlan):
            create_vlan = False
        lines = render_plan(plan, platform, templates_dir, run.quarantine_name, create_vlan) if plan.has_changes else []
        res = RunResult(switch=switch, plan=plan, config=lines, diff=diff_text(plan, lines))
        if options.state == "planned" and not options.check_mode:
            res.plan_file = store.write_plan(
                plan.change_id, {**plan.to_dict(), "digest": plan.digest(), "config": lines}
            )
        if not options.applying:
            res.changed = plan.has_changes and not plan.blocked
            res.msg = "check mode: nothing sent" if options.check_mode else "plan written, nothing sent"
            return res
        if plan.blocked:
            res.failed = True
            res.msg = "refused: " + "; ".join(r.reason for r in plan.blocked)
            res.audit_records = plan_audit_records(plan, "refused", now, user)
            store.append_audit(res.audit_records)
            return res
        if approved_digest and approved_digest != plan.digest():
            res.failed = True
            res.msg = f"refused: the plan for {switch} changed since it was approved (digest {approved_digest[:12]}...)"
            return res
        if not plan.has_changes:
            if plan.refusals:
                res.audit_records = plan_audit_records(plan, "refused", now, user)
                store.append_audit(res.audit_records)
            res.msg = "nothing to change"
            return res
        _apply_and_verify(run, res, live, saved, lines, verify)
        return res


def _apply_and_verify(
    run: _Run, res: RunResult, live: LiveState, saved: Dict[str, Any], lines: List[str], verify: bool
) -> None:
    """Send the plan in one session, verify, make it permanent; roll back on any failure."""
    plan, store = res.plan, run.store
    res.running_config_file = store.save_running_config(live.running_config, run.now)
    res.plan_file = store.write_plan(plan.change_id, {**plan.to_dict(), "digest": plan.digest(), "config": lines})
    session = open_session(run.transport, run.platform, run.switch, plan.change_id, run.root, run.batch_lines)
    error: Optional[str] = None
    io_failure = False
    try:
        res.applied = True
        session.apply(lines)
        if verify:
            problems = verify_changes(run.read(run.transport, False), plan.changes)
            res.problems = problems
            res.verified = not problems
            if problems:
                raise ApplyError(f"{run.switch}: verify failed: " + "; ".join(problems))
        session.confirm()
    except (CamguardError, DeviceError) as exc:
        error = str(exc)
        io_failure = isinstance(exc, DeviceError)  # the session failed, not the verification
    if error is None:
        res.changed = True
        store.save_ports(saved_after_apply(saved, plan, run.now))
        res.audit_records = plan_audit_records(plan, "applied" if verify else "applied-unverified", run.now, run.user)
        store.append_audit(res.audit_records)
        res.msg = f"{len(plan.changes)} port(s) changed on {run.switch}"
        return
    _roll_back(run, res, session, live, saved, error, io_failure)


def _roll_back(
    run: _Run,
    res: RunResult,
    session: Session,
    live: LiveState,
    saved: Dict[str, Any],
    error: str,
    io_failure: bool,
) -> None:
    """Back to the saved state: nothing when the session was discarded, else the platform's native
    rollback or the inverse plan; then read back and verify, over a new session when the old one died."""
    plan = res.plan
    res.failed = True
    res.changed = True  # something may have been sent
    rb_error = None
    transport = run.transport
    fresh: Optional[Transport] = None
    try:
        alive = getattr(transport, "alive", None)
        if run.reconnect is not None and (io_failure or (callable(alive) and not alive())):
            # the session died or stalled mid-change: continue over a new one
            fresh = run.reconnect()
            pending = session.pending_confirm
            session = open_session(fresh, run.platform, run.switch, plan.change_id, run.root, run.batch_lines)
            session.pending_confirm = pending
            transport = fresh
            error += " (session failed; rolled back over a new session)"
        if session.discarded:
            error += " (nothing was committed: the session was discarded)"
        elif not session.native_rollback():
            inv = inverse_plan(plan, live.acl_ports, list(saved.get("acl_peers", [])))
            rb_lines = render_plan(inv, run.platform, run.templates_dir, run.quarantine_name, create_vlan=False)
            rb_session = open_session(transport, run.platform, run.switch, plan.change_id, run.root, run.batch_lines)
            rb_session.apply(rb_lines)
        res.rolled_back = True
        back = verify_changes(run.read(transport, False), plan.changes, want_before=True)
        res.rollback_verified = not back
        if back:
            rb_error = "state after rollback differs: " + "; ".join(back)
    except (CamguardError, DeviceError) as exc:
        rb_error = f"rollback failed: {exc}"
        res.rollback_verified = False
    finally:
        if fresh is not None:
            fresh.close()
    res.msg = f"{error}; " + (rb_error or "rolled back to the saved state and verified")
    res.audit_records = plan_audit_records(
        plan, "failed-rolled-back" if not rb_error else "failed-rollback-failed", run.now, run.user, error
    )
    run.store.append_audit(res.audit_records)
