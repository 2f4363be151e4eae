# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply an isolation plan to one switch through the ``Transport`` seam, in one config session.

Sequence (``run_isolation``): lock the switch's state directory; repair a run that was
interrupted (below); clear what earlier runs left pending on the switch (``Session.prepare``);
read the live state (``readback``); plan (``plan.build_plan``), and check that the camguard ACL
holds what camguard defined (a bound ACL found empty or different is repaired in this run, and
its ports do not count as isolated until it is); render (``render``); in check mode stop there.
Otherwise save the running config and the plan, write the run's intent durably (the plan, the
lines, the saved prior state before and after, what the session creates), apply all lines in one
session with the platform's commit model (``session``), read back and verify every port and every
object the session made (the quarantine VLAN, the ACL and its entries), make the change
permanent, record the outcome (saved state, audit), and close the intent. On any failure roll
back to the saved state (the platform's native rollback, or the inverse plan re-rendered, plus
removing what the session created), read back again and compare every port and, where the
configuration is read on every read-back, the whole running configuration with the pre-change
copy.

Crash consistency: ``intent.json`` is written (fsync) before the first line is sent and removed
only after the outcome is written. A run that finds an intent without an outcome (the earlier run
was killed) repairs it before it does anything else (``_recover``): when every port and object
reads back as planned it completes the change (the save, or the Junos confirming commit) and
records it; otherwise it rolls back what took effect to the saved prior state. Either way it says
so in the result (``recovered``) and in the audit log (``applied-recovered`` /
``rolled-back-recovered``); if the repair fails, the intent stays and the run changes nothing
else.

A bound ACL is changed in place, never deleted and rebuilt (``acl_edit``): new entries first,
then the ones no longer wanted, by sequence number where the configuration shows them, by their
text on IOS (the closing deny moved behind the new entries); Junos replaces the filter inside one
commit and Linux inside one nftables transaction, both atomic.

Nothing here knows a platform: the facts come from ``_platforms`` through ``readback`` and
``session``.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULT_CONFIG_BATCH_LINES,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULTS,
    Options,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    ACL_NAME,
    Plan,
    PortChange,
    PortConfig,
    PortTarget,
    build_plan,
    saved_after_apply,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (
    CONFIG_READERS,
    AclContent,
    AclEntry,
    LiveState,
    Reader,
    acl_content,
    default_reader,
    quarantine_vlan_defined,
    vlan_exists,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.render import (
    base_context,
    peer_context,
    render_plan,
    render_template,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import (
    ApplyError,
    Session,
    check_batch_lines,
    isolation_facts,
    new_run_id,
    open_session,
    session_name,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore, audit_record
from ansible_collections.camguard.network.plugins.module_utils._platforms import COMMIT_CONFIRMED
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


# lines of a running configuration that change without a configuration change (byte counts, times)
_VOLATILE = re.compile(
    r"^(?:Building configuration|Current configuration\s*:|!\s*Last configuration change|!\s*NVRAM config last"
    r"|!Time:|!Running configuration last done|## Last (?:commit|changed))",
    re.IGNORECASE,
)


def config_lines(text: str) -> List[str]:
    """The configuration lines of a running configuration, without blank and volatile lines."""
    out = []
    for raw in text.replace("\r", "").split("\n"):
        line = raw.rstrip()
        if line.strip() and not _VOLATILE.match(line.strip()):
            out.append(line)
    return out


def config_differences(before: str, after: str, limit: int = 20) -> List[str]:
    """``-``/``+`` lines between two running configurations (volatile lines ignored)."""
    diff = [
        ln
        for ln in difflib.unified_diff(config_lines(before), config_lines(after), lineterm="", n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]
    if len(diff) > limit:
        diff = [*diff[:limit], f"... and {len(diff) - limit} more"]
    return diff


def compares_config(platform: str) -> bool:
    """Whether every read-back of ``platform`` holds its whole configuration (then a rollback is
    verified against the pre-change copy, line by line)."""
    return CONFIG_READERS[isolation_facts(platform).config_format].read_on_verify


# --------------------------------------------------------------------------- the camguard ACL


def _describe(key: Tuple[str, str]) -> str:
    kind, value = key
    return {
        "dhcp": "permit DHCP",
        "arp": "permit ARP",
        "peer": f"permit to {value}",
        "deny": "deny all",
    }.get(kind, repr(value[:80]))


def acl_problems(have: Optional[AclContent], want: Optional[AclContent]) -> List[str]:
    """How the camguard ACL on the switch (``have``) differs from what camguard defines
    (``want``); empty when it matches or when the configuration layout does not show it."""
    if have is None or want is None:
        return []
    if not have.exists:
        return [f"ACL {ACL_NAME} is not defined"]
    if not have.entries:
        return [f"ACL {ACL_NAME} is empty"]
    h, w = Counter(have.key()), Counter(want.key())
    problems = []
    missing = sorted((w - h).elements())
    extra = sorted((h - w).elements())
    if missing:
        problems.append(f"ACL {ACL_NAME} lacks: " + ", ".join(_describe(k) for k in missing))
    if extra:
        problems.append(
            f"ACL {ACL_NAME} holds entries camguard did not define: " + ", ".join(_describe(k) for k in extra)
        )
    if want.entries and want.entries[-1].kind == "deny" and have.entries[-1].kind != "deny":
        problems.append(f"ACL {ACL_NAME} does not end with its deny-all entry")
    return problems


def _free_seq(used: Set[int], below: Optional[int], prefer: Optional[int]) -> Optional[int]:
    """A free sequence number: ``prefer`` (the template's own) when it is free and below ``below``
    (the closing deny), else the next free multiple of 10 below it, else any free one below it;
    without a deny to stay below, one after all."""
    if prefer is not None and prefer not in used and (below is None or prefer < below):
        return prefer
    if below is None:
        return max(used | {0}) + 10
    candidates: List[int] = list(range(10, below, 10)) + list(range(below - 1, 0, -1))
    for n in candidates:
        if n not in used:
            return n
    return None


def acl_edit(have: Optional[AclContent], want: AclContent) -> Dict[str, Any]:
    """The in-place change from the ACL as it is (``have``) to ``want``, for the templates:
    ``add`` (entries to add, each with a free sequence number below the closing deny),
    ``remove`` (entries no longer wanted, removed after the additions), ``reopen_deny`` (IOS: the
    closing deny is removed and added again behind the new entries) and ``foreign`` (entries
    camguard cannot remove by text). At no point of it is the ACL empty or without a deny."""
    entries = list(have.entries) if have is not None and have.exists else []
    need = Counter((e.kind, e.value) for e in want.entries)
    kept: List[AclEntry] = []
    remove: List[AclEntry] = []
    for i, e in enumerate(entries):
        k = (e.kind, e.value)
        if need[k] > 0 and not (e.kind == "deny" and i != len(entries) - 1):
            need[k] -= 1
            kept.append(e)
        else:
            remove.append(e)
    missing = []
    for w in want.entries:
        k = (w.kind, w.value)
        if need[k] > 0:
            need[k] -= 1
            missing.append(w)
    used = {e.seq for e in entries if e.seq is not None}
    deny = next((e for e in kept if e.kind == "deny"), None)
    limit = deny.seq if deny is not None else None
    add: List[Dict[str, Any]] = []
    for w in list(missing):  # a moved deny is appended below and handled after the loop
        if w.kind == "deny":
            continue
        seq = _free_seq(used, limit, w.seq)
        if seq is None and deny is not None:
            # no room below the deny: a new deny goes behind everything, the old one after it
            kept.remove(deny)
            remove.append(deny)
            missing.append(AclEntry("deny", "", None))
            limit = None
            seq = _free_seq(used, None, None)
        used.add(int(seq or 0))
        add.append(_ace_ctx(w, seq))
    if any(w.kind == "deny" for w in missing):
        want_deny = next((w for w in want.entries if w.kind == "deny"), AclEntry("deny"))
        top = max(used | {0})
        seq = want_deny.seq if want_deny.seq is not None and want_deny.seq > top else top + 10
        add.append(_ace_ctx(AclEntry("deny"), seq))
    foreign = [e.value for e in remove if e.kind == "other"]
    return {
        "add": add,
        "remove": [_ace_ctx(e, e.seq) for e in remove if e.kind != "other" or e.seq is not None],
        "reopen_deny": deny is not None and deny in kept and any(a["kind"] != "deny" for a in add),
        "foreign": foreign,
    }


def _ace_ctx(e: AclEntry, seq: Optional[int]) -> Dict[str, Any]:
    return {"kind": e.kind, "seq": seq, "peer": peer_context(e.value) if e.kind == "peer" else None}


# --------------------------------------------------------------------------- plans


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


def _plan_from_dict(d: Mapping[str, Any]) -> Plan:
    """The plan an intent saved (``Plan.to_dict()``), for its repair."""
    changes = [
        PortChange(
            interface=str(c["interface"]),
            action=str(c["action"]),
            mode=str(c["mode"]),
            before=PortConfig.from_dict(c["before"], "intent"),
            after=PortConfig.from_dict(c["after"], "intent"),
            prior=PortConfig.from_dict(c["prior"], "intent"),
            macs=tuple(c.get("macs") or ()),
            vendor_key=c.get("vendor_key"),
            reason=str(c.get("reason") or ""),
        )
        for c in d.get("changes", [])
    ]
    return Plan(
        switch=str(d["switch"]),
        mode=str(d["mode"]),
        state=str(d["state"]),
        changes=changes,
        quarantine_vlan=int(d["quarantine_vlan"]),
        allowed_peers=tuple(d.get("allowed_peers") or ()),
        acl_define=bool(d.get("acl_define")),
        acl_ports_after=tuple(d.get("acl_ports_after") or ()),
        change_id=d.get("change_id"),
    )


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
    run_id: str = ""
    # what this run did before its own change: an interrupted run repaired, stale sessions aborted
    recovered: Optional[Dict[str, Any]] = None
    notes: List[str] = field(default_factory=list)
    # the ports whose camguard ACL was found empty or different (not isolated until repaired)
    acl_problems: List[str] = field(default_factory=list)
    audit_head: Optional[Dict[str, Any]] = None

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
            "run_id": self.run_id,
            "recovered": dict(self.recovered) if self.recovered else None,
            "notes": list(self.notes),
            "acl_problems": list(self.acl_problems),
            "audit_head": dict(self.audit_head) if self.audit_head else None,
        }


def plan_audit_records(
    plan: Plan, result: str, now: datetime, user: str, detail: str = "", run_id: Optional[str] = None
) -> List[Dict[str, Any]]:
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
    if run_id:
        for rec in out:
            rec["run_id"] = run_id
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
    run_id: str = ""

    def session(self, transport: Transport, change_id: Optional[str], run_id: Optional[str] = None) -> Session:
        return open_session(
            transport, self.platform, self.switch, change_id, self.root, self.batch_lines, run_id or self.run_id
        )

    def expected_acl(self, plan: Plan, peers: Sequence[str]) -> Optional[AclContent]:
        """What the camguard ACL holds when camguard defines it for ``peers``: the platform's own
        template, rendered as a new definition, read back with the platform's reader (None: the
        configuration layout does not show ACL entries)."""
        fresh = dataclasses.replace(plan, allowed_peers=tuple(peers), acl_define=True, acl_ports_after=())
        ctx = {**base_context(fresh, self.quarantine_name, False), "ports": [], "acl_rendered_in_session": True}
        # a layout that keeps the ACL per port (a chain per port on Linux) renders it for one port
        ctx["acl_ports"] = [{"interface": "cgx0", "access_vlan": None, "enabled": True, "chain": "cg_cgx0"}]
        lines = render_template(self.templates_dir, self.platform, "acl", "isolate", ctx)
        return acl_content(self.platform, "\n".join(lines) + "\n")

    def render(self, plan: Plan, create_vlan: bool, live_acl: Optional[AclContent]) -> List[str]:
        extra: Dict[str, Any] = {}
        if plan.acl_define and live_acl is not None:
            want = self.expected_acl(plan, plan.allowed_peers)
            if want is not None:
                extra["acl_edit"] = acl_edit(live_acl, want)
        return render_plan(plan, self.platform, self.templates_dir, self.quarantine_name, create_vlan, extra)

    def cleanup_lines(self, plan: Plan, vlan: bool, acl: bool) -> List[str]:
        """Lines that remove what a session created and nothing holds any more: the quarantine
        VLAN, the ACL."""
        ctx = {**base_context(plan, self.quarantine_name, False), "ports": [], "acl_rendered_in_session": False}
        lines: List[str] = []
        if acl:
            lines += render_template(
                self.templates_dir, self.platform, "acl", "release", {**ctx, "remove_acl": True, "acl_ports": []}
            )
        if vlan:
            lines += render_template(self.templates_dir, self.platform, "vlan", "release", {**ctx, "remove_vlan": True})
        return lines


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
        run_id=new_run_id(),
    )
    if create_vlan is None:
        create_vlan = options.create_quarantine_vlan
    with store.lock(lock_timeout):
        notes: List[str] = []
        recovered: Optional[Dict[str, Any]] = None
        intent = store.read_intent()
        if intent is not None:
            what = _intent_text(intent)
            if not options.applying:
                recovered = {**_intent_summary(intent), "action": "pending"}
                notes.append(f"{what} never recorded its outcome: the next applying run repairs it")
            else:
                recovered = _recover(run, intent)
                notes.append(f"{what} never recorded its outcome: {recovered['msg']}")
                if recovered["action"] == "failed":
                    empty = Plan(switch=switch, mode=options.mode, state=options.state, change_id=options.change_id)
                    res = RunResult(switch=switch, plan=empty, run_id=run.run_id, recovered=recovered, notes=notes)
                    res.failed = True
                    res.changed = True
                    res.msg = f"{switch}: {notes[-1]}; nothing else was changed"
                    res.audit_head = store.audit_head()
                    return res
        notes += run.session(transport, options.change_id).prepare(check_mode=not options.applying)
        saved = store.load_ports()
        live = read(transport, True)
        plan = build_plan(switch, live.ports, live.macs, live.neighbors, live.acl_ports, saved, targets, options)
        acl_issues = _check_acl(run, plan, live, saved, options)
        if create_vlan and quarantine_vlan_defined(platform, live.running_config, plan.quarantine_vlan):
            create_vlan = False
        lines = run.render(plan, create_vlan, live.acl) if plan.has_changes else []
        res = RunResult(
            switch=switch,
            plan=plan,
            config=lines,
            diff=diff_text(plan, lines),
            run_id=run.run_id,
            recovered=recovered,
            notes=notes + list(store.audit_notes),
            acl_problems=acl_issues,
        )
        try:
            _run_plan(run, res, live, saved, lines, verify, create_vlan, options, approved_digest)
        finally:
            res.notes += [n for n in store.audit_notes if n not in res.notes]
            res.audit_head = store.audit_head()
        if recovered and recovered.get("action") not in (None, "pending"):
            res.changed = True
            res.msg = f"repaired an interrupted run ({recovered['msg']}); {res.msg}"
        return res


def _run_plan(
    run: _Run,
    res: RunResult,
    live: LiveState,
    saved: Dict[str, Any],
    lines: List[str],
    verify: bool,
    create_vlan: bool,
    options: Options,
    approved_digest: Optional[str],
) -> None:
    plan, store, now, user = res.plan, run.store, run.now, run.user
    if options.state == "planned" and not options.check_mode:
        res.plan_file = store.write_plan(plan.change_id, {**plan.to_dict(), "digest": plan.digest(), "config": lines})
    if not options.applying:
        res.changed = plan.has_changes and not plan.blocked
        res.msg = "check mode: nothing sent" if options.check_mode else "plan written, nothing sent"
        return
    if plan.blocked:
        res.failed = True
        res.msg = "refused: " + "; ".join(r.reason for r in plan.blocked)
        res.audit_records = plan_audit_records(plan, "refused", now, user, run_id=run.run_id)
        store.append_audit(res.audit_records)
        return
    if approved_digest and approved_digest != plan.digest():
        res.failed = True
        res.msg = f"refused: the plan for {run.switch} changed since it was approved (digest {approved_digest[:12]}...)"
        return
    if not plan.has_changes:
        if plan.refusals:
            res.audit_records = plan_audit_records(plan, "refused", now, user, run_id=run.run_id)
            store.append_audit(res.audit_records)
        res.msg = "nothing to change"
        return
    _apply_and_verify(run, res, live, saved, lines, verify, create_vlan)


def _check_acl(run: _Run, plan: Plan, live: LiveState, saved: Mapping[str, Any], options: Options) -> List[str]:
    """The camguard ACL must hold what camguard defined wherever it stays bound. When it does not
    (empty after a killed run, edited by hand), the plan repairs it in place and its ports are not
    isolated until then: they are changes of the plan (``reason`` says why), not ``unchanged``."""
    if options.state == "released" or not live.acl_ports or live.acl is None:
        return []
    saved_peers = tuple(saved.get("acl_peers", ())) if isinstance(saved, Mapping) else ()
    want = run.expected_acl(plan, saved_peers)
    problems = acl_problems(live.acl, want)
    if problems and plan.acl_define:
        # redefined in this run anyway: the content it ends up with is what counts
        want = run.expected_acl(plan, plan.allowed_peers)
        if not acl_problems(live.acl, want):
            return []
    if not problems:
        return []
    why = "; ".join(problems)
    plan.notes.append(f"{why}: its ports are not isolated; the ACL is repaired in place")
    if not plan.acl_define:
        plan.acl_define = True
        if options.mode != "acl" or not plan.allowed_peers:
            plan.allowed_peers = saved_peers
    saved_ports = saved.get("ports", {}) if isinstance(saved, Mapping) else {}
    current = live.port_configs()
    for iface in sorted(live.acl_ports & set(plan.unchanged)):
        entry = saved_ports.get(iface) if isinstance(saved_ports, Mapping) else None
        cur = current.get(iface)
        if cur is None:
            continue
        prior = cur
        if isinstance(entry, Mapping) and "prior" in entry:
            prior = PortConfig.from_dict(entry["prior"], f"saved state of {plan.switch} {iface}")
        plan.unchanged.remove(iface)
        plan.changes.append(
            PortChange(
                interface=iface,
                action="isolate",
                mode=str(entry.get("mode", "acl")) if isinstance(entry, Mapping) else "acl",
                before=cur,
                after=cur,
                prior=prior,
                macs=tuple(entry.get("macs", ())) if isinstance(entry, Mapping) else (),
                vendor_key=entry.get("vendor_key") if isinstance(entry, Mapping) else None,
                reason=f"re-isolate: {why}",
            )
        )
    return problems


def _intent_summary(intent: Mapping[str, Any]) -> Dict[str, Any]:
    return {
        "run_id": intent.get("run_id"),
        "change_id": intent.get("change_id"),
        "started": intent.get("started"),
        "user": intent.get("user"),
        "session": intent.get("session"),
    }


def _intent_text(intent: Mapping[str, Any]) -> str:
    return (
        f"run {intent.get('run_id')} (change {intent.get('change_id')}, started {intent.get('started')} "
        f"by {intent.get('user')})"
    )


def _apply_and_verify(
    run: _Run,
    res: RunResult,
    live: LiveState,
    saved: Dict[str, Any],
    lines: List[str],
    verify: bool,
    create_vlan: bool,
) -> None:
    """Record the intent, send the plan in one session, verify, make it permanent, record the
    outcome; roll back on any failure."""
    plan, store = res.plan, run.store
    res.running_config_file = store.save_running_config(live.running_config, run.now)
    res.plan_file = store.write_plan(plan.change_id, {**plan.to_dict(), "digest": plan.digest(), "config": lines})
    created_vlan = bool(
        create_vlan
        and any(
            c.after.access_vlan == plan.quarantine_vlan and c.before.access_vlan != c.after.access_vlan
            for c in plan.changes
        )
        and vlan_exists(run.platform, live.running_config, plan.quarantine_vlan) is False
    )
    saved_after = saved_after_apply(saved, plan, run.now)
    intent = {
        "version": 1,
        "run_id": run.run_id,
        "change_id": plan.change_id,
        "switch": run.switch,
        "platform": run.platform,
        "user": run.user,
        "started": run.now.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "session": session_name(plan.change_id, run.run_id),
        "plan": plan.to_dict(),
        "digest": plan.digest(),
        "lines": list(lines),
        "saved_before": saved,
        "saved_after": saved_after,
        "acl_ports_before": sorted(live.acl_ports),
        "acl_existed_before": bool(live.acl is not None and live.acl.exists) or bool(live.acl_ports),
        "created": {
            "vlan": plan.quarantine_vlan if created_vlan else None,
            "vlan_existed_before": vlan_exists(run.platform, live.running_config, plan.quarantine_vlan) is not False,
        },
        "quarantine_name": run.quarantine_name,
        "running_config_file": res.running_config_file,
    }
    store.write_intent(intent)  # durable before the first line is sent
    session = run.session(run.transport, plan.change_id)
    error: Optional[str] = None
    io_failure = False
    try:
        res.applied = True
        session.apply(lines)
        if verify:
            problems = _verify_after(run, plan, run.read(run.transport, False))
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
        store.save_ports(saved_after)
        res.audit_records = plan_audit_records(
            plan, "applied" if verify else "applied-unverified", run.now, run.user, run_id=run.run_id
        )
        store.append_audit(res.audit_records)
        store.finish_intent(intent, {"result": "applied", "verified": res.verified})
        res.msg = f"{len(plan.changes)} port(s) changed on {run.switch}"
        return
    _roll_back(run, res, session, live, saved, error, io_failure, intent)


def _verify_after(run: _Run, plan: Plan, live: LiveState) -> List[str]:
    """Every changed port, and the ACL's entries wherever it stays bound."""
    problems = verify_changes(live, plan.changes)
    if plan.acl_ports_after and live.acl is not None:
        problems += acl_problems(live.acl, run.expected_acl(plan, plan.allowed_peers))
    return problems


def _roll_back(
    run: _Run,
    res: RunResult,
    session: Session,
    live: LiveState,
    saved: Dict[str, Any],
    error: str,
    io_failure: bool,
    intent: Dict[str, Any],
) -> None:
    """Back to the saved state: nothing when the session was discarded, else the platform's native
    rollback or the inverse plan (and what the session created removed); then read back and
    verify, over a new session when the old one died. The intent stays when the rollback cannot
    be verified: the next run repairs it."""
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
            session = run.session(fresh, plan.change_id)
            session.pending_confirm = pending
            transport = fresh
            error += " (session failed; rolled back over a new session)"
        if session.discarded:
            error += " (nothing was committed: the session was discarded)"
        elif not session.native_rollback():
            now = run.read(transport, True)
            inv = inverse_plan(plan, live.acl_ports, list(saved.get("acl_peers", [])))
            rb_lines = run.render(inv, False, now.acl)
            created = intent.get("created") or {}
            rb_lines += _cleanup(
                run, inv, now, bool(created.get("vlan_existed_before")), bool(intent.get("acl_existed_before"))
            )
            if rb_lines:
                rb_session = run.session(transport, plan.change_id)
                rb_session.apply(rb_lines)
                if rb_session.pending_confirm:
                    rb_session.confirm()
        res.rolled_back = True
        back = _verify_before(run, plan, run.read(transport, True), live)
        res.rollback_verified = not back
        if back:
            res.problems += back
            rb_error = "state after rollback differs: " + "; ".join(back)
    except (CamguardError, DeviceError) as exc:
        rb_error = f"rollback failed: {exc}"
        res.rollback_verified = False
    finally:
        if fresh is not None:
            fresh.close()
    res.msg = f"{error}; " + (rb_error or "rolled back to the saved state and verified")
    if rb_error:
        res.msg += "; the next run repairs it from the saved state"
    res.audit_records = plan_audit_records(
        plan, "failed-rolled-back" if not rb_error else "failed-rollback-failed", run.now, run.user, error, run.run_id
    )
    run.store.append_audit(res.audit_records)
    if not rb_error:
        run.store.finish_intent(intent, {"result": "rolled-back", "error": error})


def _cleanup(run: _Run, plan: Plan, now: LiveState, vlan_existed: bool, acl_existed: bool) -> List[str]:
    """Remove what the failed session created and nothing holds: the quarantine VLAN (only when
    it did not exist before: created by camguard or by the switch itself), the ACL (only when it
    did not exist before and no port keeps it)."""
    if not now.running_config:
        return []
    vlan = bool(not vlan_existed and vlan_exists(run.platform, now.running_config, plan.quarantine_vlan))
    acl_removed_by_plan = any(c.before.acl and not c.after.acl for c in plan.changes) and not plan.acl_ports_after
    acl = bool(
        not acl_existed
        and not plan.acl_ports_after
        and not acl_removed_by_plan
        and now.acl is not None
        and now.acl.exists
    )
    return run.cleanup_lines(plan, vlan, acl) if (vlan or acl) else []


def _verify_before(run: _Run, plan: Plan, now: LiveState, before: LiveState) -> List[str]:
    """After a rollback: every port as before and, where every read holds the whole
    configuration, the running configuration line for line as the pre-change copy."""
    problems = verify_changes(now, plan.changes, want_before=True)
    if compares_config(run.platform) and before.running_config and now.running_config:
        diff = config_differences(before.running_config, now.running_config)
        if diff:
            problems.append("the running configuration differs from before the change: " + " | ".join(diff))
    return problems


# --------------------------------------------------------------------------- repair of an interrupted run


def _recover(run: _Run, intent: Dict[str, Any]) -> Dict[str, Any]:
    """Repair the run an intent describes (it was killed before it recorded its outcome): complete
    it when everything it planned reads back as planned, else roll back what took effect, from
    the saved prior state. Records the outcome (saved state, audit) and closes the intent; returns
    the summary for the result (``action``: ``completed``, ``rolled-back``, ``closed`` or ``failed``)."""
    store = run.store
    out = _intent_summary(intent)
    rid = str(intent.get("run_id") or "")
    try:
        plan = _plan_from_dict(intent["plan"])
        saved_before = dict(intent.get("saved_before") or {})
        saved_after = dict(intent.get("saved_after") or {})
        prep = run.session(run.transport, plan.change_id).prepare()
        live = run.read(run.transport, True)
        if _outcome_recorded(store, rid):
            # killed after its audit records were written, before the intent was closed
            if not verify_changes(live, plan.changes):
                store.save_ports(saved_after)
            store.finish_intent(intent, {"result": "closed-by-recovery", "by_run": run.run_id})
            return {
                **out,
                "action": "closed",
                "msg": f"its outcome was on record; its intent is closed ({'; '.join(prep) or 'nothing pending'})",
            }
        problems = _verify_after(run, plan, live)
        if not problems:
            session = run.session(run.transport, plan.change_id, rid)
            if isolation_facts(run.platform).commit_model == COMMIT_CONFIRMED:
                session.pending_confirm = True  # confirm a commit that may still wait for it
            session.confirm()
            again = _verify_after(run, plan, run.read(run.transport, False))
            if not again:
                store.save_ports(saved_after)
                detail = f"completed by run {run.run_id}: every port read back as planned"
                recs = plan_audit_records(plan, "applied-recovered", run.now, run.user, detail, rid)
                store.append_audit(recs)
                store.finish_intent(intent, {"result": "completed-by-recovery", "by_run": run.run_id})
                return {
                    **out,
                    "action": "completed",
                    "msg": f"completed it: every port read back as planned, saved ({len(plan.changes)} port(s))",
                    "audit_records": recs,
                }
            live = run.read(run.transport, True)
        return _recover_roll_back(run, intent, plan, live, saved_before, out, prep)
    except (CamguardError, DeviceError, KeyError, TypeError, ValueError) as exc:
        msg = f"the repair failed: {exc}; the intent is kept for the next run"
        try:
            plan = _plan_from_dict(intent["plan"])
            store.append_audit(plan_audit_records(plan, "failed-recovery", run.now, run.user, msg, rid))
        except (CamguardError, KeyError, TypeError, ValueError):
            pass
        return {**out, "action": "failed", "msg": msg}


def _recover_roll_back(
    run: _Run,
    intent: Mapping[str, Any],
    plan: Plan,
    live: LiveState,
    saved_before: Dict[str, Any],
    out: Dict[str, Any],
    prep: List[str],
) -> Dict[str, Any]:
    """Take every port and object the interrupted run touched back to its saved prior state."""
    store = run.store
    rid = str(intent.get("run_id") or "")
    current = live.port_configs()
    acl_before = set(intent.get("acl_ports_before") or ())
    peers_before = list(saved_before.get("acl_peers") or [])
    changes = [
        dataclasses.replace(
            c,
            before=current[c.interface],
            after=c.before,
            action="release" if c.action == "isolate" else "isolate",
        )
        for c in plan.changes
        if c.interface in current and current[c.interface] != c.before
    ]
    repair = dataclasses.replace(
        plan,
        changes=changes,
        acl_ports_after=tuple(sorted(acl_before)),
        allowed_peers=tuple(peers_before),
        acl_define=False,
        blocked=[],
    )
    if acl_before and live.acl is not None and acl_problems(live.acl, run.expected_acl(repair, peers_before)):
        repair.acl_define = True
    lines = run.render(repair, False, live.acl) if repair.has_changes else []
    created = intent.get("created") or {}
    lines += _cleanup(
        run, repair, live, bool(created.get("vlan_existed_before", True)), bool(intent.get("acl_existed_before", True))
    )
    if lines:
        session = run.session(run.transport, plan.change_id)
        session.apply(lines)
        if session.pending_confirm:
            session.confirm()
    now = run.read(run.transport, True)
    problems = verify_changes(now, plan.changes, want_before=True)
    if acl_before and now.acl is not None:
        problems += acl_problems(now.acl, run.expected_acl(repair, peers_before))
    if problems:
        raise ApplyError("the rollback did not verify: " + "; ".join(problems))
    # what else differs from the configuration before that run (the operators' changes since
    # then are theirs, so this is reported, not undone)
    before_text = _read_text(intent.get("running_config_file"))
    if compares_config(run.platform) and before_text and now.running_config:
        diff = config_differences(before_text, now.running_config)
        if diff:
            prep = [*prep, "differences from the configuration before that run: " + " | ".join(diff)]
    store.save_ports(saved_before)
    took = [c.interface for c in changes]
    detail = (
        f"rolled back by run {run.run_id}: "
        + (f"{', '.join(took)} had taken effect" if took else "no port had taken effect")
        + (f"; {len(lines)} line(s) sent" if lines else "")
    )
    recs = plan_audit_records(plan, "rolled-back-recovered", run.now, run.user, detail, rid)
    store.append_audit(recs)
    store.finish_intent(intent, {"result": "rolled-back-by-recovery", "by_run": run.run_id, "lines": lines})
    what = (
        f"rolled it back to the saved state ({', '.join(took)} had taken effect)"
        if took
        else ("nothing of it had taken effect" + ("; removed what it created" if lines else ""))
    )
    if prep:
        what += "; " + "; ".join(prep)
    return {**out, "action": "rolled-back", "msg": what, "lines": lines, "audit_records": recs}


def _outcome_recorded(store: StateStore, run_id: str) -> bool:
    """The audit log already holds an outcome of run ``run_id``."""
    if not run_id:
        return False
    try:
        with open(store.audit_path, encoding="utf-8") as fh:
            for line in fh:
                if run_id not in line:
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and rec.get("run_id") == run_id and rec.get("action") != "refuse":
                    return True
    except OSError:
        return False
    return False


def _read_text(path: Any) -> str:
    if not isinstance(path, str) or not path:
        return ""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return ""
