# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report model: validated input, the join of findings with isolation results, outcomes, summary.

Inputs are plain dicts (``Finding.to_dict()`` output, ``port_isolation`` results, unreachable
switches); they are validated here (findings by ``Finding.from_dict``) and every error names the
list, the index and the key. ``build_report`` returns the ``Report`` that the renderers in
``formats`` and ``html`` turn into files.

Join: a finding's isolation result is the result with the same ``switch`` and ``interface``
whose ``mac`` equals the finding's MAC, else one with no ``mac``; when several match, the
last one in the list wins (results are appended in the order they were applied).

Outcome of a restricted device (one JUnit test case each):

``isolated``
    the result's ``isolated`` flag is true, or its ``action`` is ``isolated``, or it is
    ``unchanged`` (the port was already in the requested state) and its ``state`` is not
    ``released``.
``waived``
    not isolated, and the verdict carries a waiver that has not expired.
``open``
    anything else: the JUnit test case fails and the message says why.

The report is compliant when no device is ``open``, no restricted device carries an expired
waiver and no switch was unreachable.

All text read from devices is untrusted: control characters are replaced on input (``clean``);
the renderers escape or neutralise the rest. Nothing here is ever passed to a template engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    RESTRICTED_STATUSES,
    CamguardError,
    Finding,
    InvalidMacError,
    RecordError,
    Waiver,
)

try:
    from ansible_collections.camguard.network.plugins.module_utils._classify import policy_data as _policy_data

    HAS_POLICY_DATA = True
except ImportError:  # pragma: no cover - the policy data ships with the collection
    HAS_POLICY_DATA = False

ACTIONS = ("isolated", "released", "refused", "failed", "planned", "unchanged")
MODES = ("vlan", "acl", "shutdown")
OUTCOMES = ("isolated", "waived", "open")
NO_ACTION = "none"
DEFAULT_TITLE = "camguard compliance report"

# Characters XML 1.0 cannot carry (and that have no business in a report): replaced by U+FFFD.
_BAD_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DIGITS = re.compile(r"(\d+)")


class ReportError(CamguardError, ValueError):
    """Bad report input; the message names the list, index and key."""


# --------------------------------------------------------------------------- records


@dataclass
class IsolationResult:
    switch: str
    interface: str
    action: str
    mac: Optional[str] = None
    mode: Optional[str] = None
    reason: str = ""
    change_id: str = ""
    time: str = ""
    state: Optional[str] = None
    isolated: Optional[bool] = None

    @property
    def is_isolated(self) -> bool:
        if self.isolated is not None:
            return self.isolated
        if self.action == "isolated":
            return True
        return self.action == "unchanged" and self.state != "released"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "switch": self.switch,
            "interface": self.interface,
            "mac": self.mac,
            "action": self.action,
            "mode": self.mode,
            "reason": self.reason,
            "change_id": self.change_id,
            "time": self.time,
        }


@dataclass
class Unreachable:
    switch: str
    error: str

    def to_dict(self) -> Dict[str, Any]:
        return {"switch": self.switch, "error": self.error}


@dataclass
class DeviceRow:
    """One restricted device with its isolation result and outcome."""

    mac: str
    switch: str
    interface: str
    vlan: Optional[int]
    status: str
    ip: Optional[str] = None
    vendor: str = ""
    vendor_key: Optional[str] = None
    registry_org: Optional[str] = None
    basis: List[str] = field(default_factory=list)
    matched_prefix: Optional[str] = None
    default_action: str = "report"
    confidence: str = "edge"
    evidence: List[str] = field(default_factory=list)
    first_seen: Optional[str] = None
    last_seen: Optional[str] = None
    waiver: Optional[Dict[str, Any]] = None
    result: Optional[IsolationResult] = None
    outcome: str = "open"
    outcome_reason: str = ""

    @property
    def action(self) -> str:
        return self.result.action if self.result else NO_ACTION

    @property
    def waiver_expired(self) -> bool:
        return bool(self.waiver and self.waiver.get("expired"))

    def to_dict(self) -> Dict[str, Any]:
        r = self.result
        return {
            "mac": self.mac,
            "ip": self.ip,
            "vendor": self.vendor,
            "vendor_key": self.vendor_key,
            "registry_org": self.registry_org,
            "status": self.status,
            "basis": list(self.basis),
            "matched_prefix": self.matched_prefix,
            "default_action": self.default_action,
            "switch": self.switch,
            "interface": self.interface,
            "vlan": self.vlan,
            "location_confidence": self.confidence,
            "evidence": list(self.evidence),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "waiver": dict(self.waiver) if self.waiver else None,
            "action": self.action,
            "mode": r.mode if r else None,
            "action_reason": r.reason if r else "",
            "change_id": r.change_id if r else "",
            "action_time": r.time if r else "",
            "outcome": self.outcome,
            "outcome_reason": self.outcome_reason,
        }


@dataclass
class Report:
    devices: List[DeviceRow]
    unreachable: List[Unreachable]
    unmatched_results: List[IsolationResult]
    legal_bases: Dict[str, Dict[str, str]]
    summary: Dict[str, Any]
    title: str = DEFAULT_TITLE
    policy_version: Optional[str] = None
    registry_date: Optional[str] = None


# --------------------------------------------------------------------------- input parsing


def clean(value: object) -> str:
    """Text form of an untrusted value with control characters replaced."""
    return _BAD_CHARS.sub("\ufffd", value if isinstance(value, str) else str(value))


def _req_str(d: Mapping[str, Any], key: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReportError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return clean(value.strip())


def _opt_str(d: Mapping[str, Any], key: str, where: str) -> Optional[str]:
    value = d.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ReportError(f"{where}.{key}: expected a string, got {type(value).__name__} {value!r}")
    return clean(str(value).strip())


def _choice(value: Optional[str], choices: Sequence[str], where: str) -> Optional[str]:
    if value is not None and value not in choices:
        raise ReportError(f"{where}: {value!r} is not one of {', '.join(choices)}")
    return value


def _mac(value: object, where: str) -> str:
    try:
        return normalize_mac(value)  # type: ignore[arg-type]
    except InvalidMacError as e:
        raise ReportError(f"{where}: {e}") from e


def _dict(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ReportError(f"{where}: expected a dict, got {type(value).__name__}")
    return value


def _list(value: object, where: str) -> Sequence[Any]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ReportError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _clean_opt(value: Optional[str]) -> Optional[str]:
    return None if value is None else clean(value)


def _waiver_row(w: Optional[Waiver], today: Optional[date]) -> Optional[Dict[str, Any]]:
    """The waiver as the report shows it; with ``today``, expired when it no longer protects on that day."""
    if w is None:
        return None
    return {
        "owner": clean(w.owner),
        "reason": clean(w.reason),
        "ticket": clean(w.ticket),
        "expires": clean(w.expires),
        "mac": _clean_opt(w.mac),
        "switch": _clean_opt(w.switch),
        "interface": _clean_opt(w.interface),
        "expired": w.expired if today is None else not w.active_on(today),
    }


def device_row(f: Finding, today: Optional[date] = None) -> DeviceRow:
    """One finding as a report row, its text cleaned (outcome still unset)."""
    v = f.verdict
    vendor_key = _clean_opt(v.vendor_key)
    vendor_name = _clean_opt(v.vendor_name)
    registry_org = _clean_opt(v.registry_org)
    return DeviceRow(
        mac=f.mac,
        switch=clean(f.switch),
        interface=clean(f.interface),
        vlan=f.vlan,
        status=v.status,
        ip=_clean_opt(f.ip),
        vendor=vendor_name or vendor_key or registry_org or "unknown",
        vendor_key=vendor_key,
        registry_org=registry_org,
        basis=[clean(b) for b in v.basis],
        matched_prefix=_clean_opt(v.matched_prefix),
        default_action=clean(v.default_action),
        confidence=f.location_confidence,
        evidence=[clean(e) for e in f.evidence],
        first_seen=_clean_opt(f.first_seen),
        last_seen=_clean_opt(f.last_seen),
        waiver=_waiver_row(v.waiver, today),
    )


def parse_finding(raw: object, where: str, today: Optional[date] = None) -> DeviceRow:
    """Read one ``Finding.to_dict()`` with ``Finding.from_dict`` and return it as a row."""
    try:
        finding = Finding.from_dict(raw, where)
    except RecordError as e:
        raise ReportError(str(e)) from e
    return device_row(finding, today)


def parse_result(raw: object, where: str) -> IsolationResult:
    r = _dict(raw, where)
    mac = r.get("mac")
    isolated = r.get("isolated")
    if isolated is not None and not isinstance(isolated, bool):
        raise ReportError(f"{where}.isolated: expected true or false, got {isolated!r}")
    return IsolationResult(
        switch=_req_str(r, "switch", where),
        interface=_req_str(r, "interface", where),
        action=str(_choice(_req_str(r, "action", where), ACTIONS, f"{where}.action")),
        mac=_mac(mac, f"{where}.mac") if mac not in (None, "") else None,
        mode=_choice(_opt_str(r, "mode", where), MODES, f"{where}.mode"),
        reason=_opt_str(r, "reason", where) or "",
        change_id=_opt_str(r, "change_id", where) or "",
        time=_opt_str(r, "time", where) or "",
        state=_opt_str(r, "state", where),
        isolated=isolated,
    )


def parse_unreachable(raw: object, where: str) -> Unreachable:
    if isinstance(raw, str):
        return Unreachable(switch=_req_str({"switch": raw}, "switch", where), error="")
    u = _dict(raw, where)
    return Unreachable(switch=_req_str(u, "switch", where), error=_opt_str(u, "error", where) or "")


def parse_legal_bases(raw: object, where: str = "legal_bases") -> Dict[str, Dict[str, str]]:
    """``key -> {title, citation, url}``; a plain string value is taken as the title."""
    if raw is None:
        return {}
    out: Dict[str, Dict[str, str]] = {}
    for key, value in _dict(raw, where).items():
        here = f"{where}.{key}"
        if isinstance(value, str):
            out[clean(key)] = {"title": clean(value), "citation": "", "url": ""}
            continue
        d = _dict(value, here)
        out[clean(key)] = {
            "title": _opt_str(d, "title", here) or "",
            "citation": _opt_str(d, "citation", here) or "",
            "url": _opt_str(d, "url", here) or "",
        }
    return out


# --------------------------------------------------------------------------- join + outcome


def _outcome(row: DeviceRow) -> Tuple[str, str]:
    r = row.result
    w = row.waiver
    if r is not None and r.is_isolated:
        how = f"isolated ({r.mode})" if r.mode else "isolated"
        return "isolated", how + (f" under change {r.change_id}" if r.change_id else "")
    if w is not None and not w["expired"]:
        return (
            "waived",
            f"waived by {w['owner'] or 'unknown owner'} until {w['expires'] or '?'} (ticket {w['ticket'] or '?'})",
        )
    if r is None:
        why = "no isolation result for this port"
    elif r.action == "refused":
        why = "isolation refused" + (f": {r.reason}" if r.reason else "")
    elif r.action == "failed":
        why = "isolation failed" + (f": {r.reason}" if r.reason else "")
    elif r.action == "planned":
        why = "isolation planned (check mode) but not applied"
    elif r.action == "released":
        why = "port was released from isolation"
    else:
        why = f"port is not isolated (action {r.action}" + (f", state {r.state})" if r.state else ")")
    if w is not None:
        why = f"waiver {w['ticket'] or '?'} of {w['owner'] or 'unknown owner'} expired on {w['expires'] or '?'}; {why}"
    return "open", "not isolated and not waived: " + why


def natural_key(text: str) -> Tuple[Tuple[int, int, str], ...]:
    """Sort key that orders ``swp2`` before ``swp10`` and ``Gi1/0/2`` before ``Gi1/0/10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _DIGITS.split(text) if p)


def _count(values: Iterable[str]) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def summarize(
    devices: Sequence[DeviceRow], findings_total: int, unreachable: Sequence[Unreachable], unmatched: int
) -> Dict[str, Any]:
    """Counts over the restricted devices (``findings`` counts every finding given)."""
    by_outcome = {o: 0 for o in OUTCOMES}
    for d in devices:
        by_outcome[d.outcome] += 1
    expired = sum(1 for d in devices if d.waiver_expired)
    reasons: List[str] = []
    if by_outcome["open"]:
        reasons.append(f"{by_outcome['open']} restricted device(s) neither isolated nor waived")
    if expired:
        reasons.append(f"{expired} restricted device(s) with an expired waiver")
    if unreachable:
        reasons.append(f"{len(unreachable)} switch(es) could not be polled")
    return {
        "findings": findings_total,
        "restricted": len(devices),
        "isolated": by_outcome["isolated"],
        "waived": by_outcome["waived"],
        "open": by_outcome["open"],
        "expired_waivers": expired,
        "unreachable_switches": len(unreachable),
        "unmatched_results": unmatched,
        "by_vendor": _count(d.vendor for d in devices),
        "by_status": _count(d.status for d in devices),
        "by_switch": _count(d.switch for d in devices),
        "by_confidence": _count(d.confidence for d in devices),
        "by_action": _count(d.action for d in devices),
        "by_outcome": by_outcome,
        "compliant": not reasons,
        "noncompliance": reasons,
    }


def build_report(
    findings: object,
    results: object = None,
    unreachable: object = None,
    legal_bases: object = None,
    title: Optional[str] = None,
    policy_version: Optional[str] = None,
    registry_date: Optional[str] = None,
    default_legal_bases: Optional[Mapping[str, Mapping[str, str]]] = None,
    today: Optional[date] = None,
) -> Report:
    """Validate the inputs, join findings with results and compute outcomes and summary.

    ``legal_bases`` (user input) override ``default_legal_bases`` key by key. With ``today``,
    a waiver whose expiry date has passed counts as expired even if the finding predates it.
    """
    all_rows = [parse_finding(f, f"findings[{i}]", today) for i, f in enumerate(_list(findings, "findings"))]
    parsed_results = [parse_result(r, f"results[{i}]") for i, r in enumerate(_list(results, "results"))]
    down = [parse_unreachable(u, f"unreachable[{i}]") for i, u in enumerate(_list(unreachable, "unreachable"))]
    merged: Dict[str, List[str]] = {}
    for u in down:  # one entry per switch; distinct errors kept in order
        errors = merged.setdefault(u.switch, [])
        if u.error and u.error not in errors:
            errors.append(u.error)
    down = [
        Unreachable(switch=k, error="; ".join(v)) for k, v in sorted(merged.items(), key=lambda kv: natural_key(kv[0]))
    ]

    seen = set()
    devices: List[DeviceRow] = []
    for row in all_rows:
        key = (row.mac, row.switch, row.interface)
        if row.status in RESTRICTED_STATUSES and key not in seen:
            seen.add(key)
            devices.append(row)
    devices.sort(key=lambda d: (natural_key(d.switch), natural_key(d.interface), d.mac))

    by_port: Dict[Tuple[str, str], List[int]] = {}
    for i, r in enumerate(parsed_results):
        by_port.setdefault((r.switch, r.interface), []).append(i)
    used: Set[int] = set()
    for d in devices:
        idx = by_port.get((d.switch, d.interface), [])
        exact = [i for i in idx if parsed_results[i].mac == d.mac]
        generic = [i for i in idx if parsed_results[i].mac is None]
        candidates = exact or generic
        if candidates:
            chosen = candidates[-1]
            d.result = parsed_results[chosen]
            used.add(chosen)
        d.outcome, d.outcome_reason = _outcome(d)
    unmatched = [r for i, r in enumerate(parsed_results) if i not in used]

    bases: Dict[str, Dict[str, str]] = {
        str(k): {"title": str(v.get("title", "")), "citation": str(v.get("citation", "")), "url": str(v.get("url", ""))}
        for k, v in (default_legal_bases or {}).items()
    }
    bases.update(parse_legal_bases(legal_bases))
    return Report(
        devices=devices,
        unreachable=down,
        unmatched_results=unmatched,
        legal_bases=bases,
        summary=summarize(devices, len(all_rows), down, len(unmatched)),
        title=clean(title) if title else DEFAULT_TITLE,
        policy_version=clean(policy_version) if policy_version else None,
        registry_date=clean(registry_date) if registry_date else None,
    )


def shipped_legal_bases() -> Dict[str, Dict[str, str]]:
    """Legal-basis titles of the shipped policy (``_classify.policy_data``), as ``key -> {title, citation, url}``."""
    if not HAS_POLICY_DATA:  # pragma: no cover
        return {}
    out: Dict[str, Dict[str, str]] = {}
    bases = getattr(_policy_data, "POLICY", {}).get("legal_bases", [])
    for b in bases if isinstance(bases, list) else []:
        if isinstance(b, Mapping) and isinstance(b.get("key"), str):
            urls = b.get("urls") or []
            out[b["key"]] = {
                "title": str(b.get("title", "")),
                "citation": str(b.get("citation", "")),
                "url": str(urls[0]) if isinstance(urls, list) and urls else str(b.get("url", "")),
            }
    return out


def set_stats_data(report: Report, files: Sequence[str] = ()) -> Dict[str, Any]:
    """Flat ``camguard_*`` keys for ``ansible.builtin.set_stats`` (use ``aggregate: false``)."""
    s = report.summary
    return {
        "camguard_compliant": s["compliant"],
        "camguard_restricted": s["restricted"],
        "camguard_isolated": s["isolated"],
        "camguard_waived": s["waived"],
        "camguard_open": s["open"],
        "camguard_expired_waivers": s["expired_waivers"],
        "camguard_unreachable_switches": s["unreachable_switches"],
        "camguard_by_vendor": dict(s["by_vendor"]),
        "camguard_by_switch": dict(s["by_switch"]),
        "camguard_report_files": list(files),
    }
