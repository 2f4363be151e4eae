# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compliance report: findings + isolation results -> JSON, CSV, HTML and JUnit XML.

Pure core of the ``camguard.network.compliance_report`` module. Inputs are plain dicts
(``Finding.to_dict()`` output, ``port_isolation`` results, unreachable switches); they are
validated here and every error names the list, the index and the key.

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

All text read from devices is untrusted: control characters are replaced on input, the HTML
page escapes every value, the CSV neutralises spreadsheet formulas and the XML is built with
ElementTree. Nothing here is ever passed to a template engine.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._files import atomic_write
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CONFIDENCES,
    RESTRICTED_STATUSES,
    VERDICT_STATUSES,
    CamguardError,
    InvalidMacError,
)
from ansible_collections.camguard.network.plugins.module_utils._report.html import render_html

try:
    from ansible_collections.camguard.network.plugins.module_utils._classify import policy_data as _policy_data

    HAS_POLICY_DATA = True
except ImportError:  # pragma: no cover - the policy data ships with the collection
    HAS_POLICY_DATA = False

SCHEMA = "camguard.network/compliance-report/1"
FORMATS = ("json", "csv", "html", "junit")
FILE_NAMES = {
    "json": "camguard-report.json",
    "csv": "camguard-report.csv",
    "html": "camguard-report.html",
    "junit": "camguard-report.junit.xml",
}
ACTIONS = ("isolated", "released", "refused", "failed", "planned", "unchanged")
MODES = ("vlan", "acl", "shutdown")
OUTCOMES = ("isolated", "waived", "open")
NO_ACTION = "none"
DEFAULT_TITLE = "camguard compliance report"

#: The CSV header, in order. Multi-valued cells (legal basis, evidence) are joined with "; ".
CSV_COLUMNS = (
    "mac",
    "ip",
    "vendor",
    "vendor_key",
    "status",
    "legal_basis",
    "switch",
    "interface",
    "vlan",
    "location_confidence",
    "evidence",
    "action",
    "mode",
    "action_reason",
    "change_id",
    "action_time",
    "waiver_owner",
    "waiver_ticket",
    "waiver_expires",
    "waiver_expired",
    "waiver_reason",
    "outcome",
    "outcome_reason",
    "first_seen",
    "last_seen",
)

# Characters XML 1.0 cannot carry (and that have no business in a report): replaced by U+FFFD.
_BAD_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TIMESTAMP = re.compile(r"^[0-9A-Za-z:.+\- ]{1,40}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


def _str_list(d: Mapping[str, Any], key: str, where: str) -> List[str]:
    value = d.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [clean(value)]
    if not isinstance(value, (list, tuple)):
        raise ReportError(f"{where}.{key}: expected a list of strings, got {type(value).__name__}")
    return [clean(v) for v in value]


def _choice(value: Optional[str], choices: Sequence[str], where: str) -> Optional[str]:
    if value is not None and value not in choices:
        raise ReportError(f"{where}: {value!r} is not one of {', '.join(choices)}")
    return value


def _mac(value: object, where: str) -> str:
    try:
        return normalize_mac(value)  # type: ignore[arg-type]
    except InvalidMacError as e:
        raise ReportError(f"{where}: {e}") from e


def _vlan(value: object, where: str) -> Optional[int]:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ReportError(f"{where}: expected a VLAN number, got {value!r}")
    try:
        vlan = int(value)
    except ValueError as e:
        raise ReportError(f"{where}: expected a VLAN number, got {value!r}") from e
    if not 1 <= vlan <= 4094:
        raise ReportError(f"{where}: VLAN {vlan} is outside 1..4094")
    return vlan


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


def waiver_expired(expired: bool, expires: str, today: Optional[date]) -> bool:
    """Expired when flagged by the classifier, or (given ``today``) when ``expires`` is past or unreadable.

    Same rule as ``_isolation.waiver_active``: the expiry date is inclusive; no date never expires.
    """
    if expired or today is None or not expires:
        return expired
    try:
        return date.fromisoformat(expires[:10]) < today
    except ValueError:
        return True


def _waiver(value: object, where: str, today: Optional[date] = None) -> Optional[Dict[str, Any]]:
    if value is None:
        return None
    w = _dict(value, where)
    expired = w.get("expired", False)
    if not isinstance(expired, bool):
        raise ReportError(f"{where}.expired: expected true or false, got {expired!r}")
    expires = _opt_str(w, "expires", where) or ""
    return {
        "owner": _opt_str(w, "owner", where) or "",
        "reason": _opt_str(w, "reason", where) or "",
        "ticket": _opt_str(w, "ticket", where) or "",
        "expires": expires,
        "mac": _opt_str(w, "mac", where),
        "switch": _opt_str(w, "switch", where),
        "interface": _opt_str(w, "interface", where),
        "expired": waiver_expired(expired, expires, today),
    }


def parse_finding(raw: object, where: str, today: Optional[date] = None) -> DeviceRow:
    """Validate one ``Finding.to_dict()`` and return it as a row (outcome still unset)."""
    f = _dict(raw, where)
    v = _dict(f.get("verdict"), f"{where}.verdict")
    mac = _mac(f.get("mac"), f"{where}.mac")
    status = _choice(_req_str(v, "status", f"{where}.verdict"), VERDICT_STATUSES, f"{where}.verdict.status")
    confidence = _choice(
        _opt_str(f, "location_confidence", where) or "edge", CONFIDENCES, f"{where}.location_confidence"
    )
    vendor_key = _opt_str(v, "vendor_key", f"{where}.verdict")
    vendor_name = _opt_str(v, "vendor_name", f"{where}.verdict")
    registry_org = _opt_str(v, "registry_org", f"{where}.verdict")
    return DeviceRow(
        mac=mac,
        switch=_req_str(f, "switch", where),
        interface=_opt_str(f, "interface", where) or "",
        vlan=_vlan(f.get("vlan"), f"{where}.vlan"),
        status=str(status),
        ip=_opt_str(f, "ip", where),
        vendor=vendor_name or vendor_key or registry_org or "unknown",
        vendor_key=vendor_key,
        registry_org=registry_org,
        basis=_str_list(v, "basis", f"{where}.verdict"),
        matched_prefix=_opt_str(v, "matched_prefix", f"{where}.verdict"),
        default_action=_opt_str(v, "default_action", f"{where}.verdict") or "report",
        confidence=str(confidence),
        evidence=_str_list(f, "evidence", where),
        first_seen=_opt_str(f, "first_seen", where),
        last_seen=_opt_str(f, "last_seen", where),
        waiver=_waiver(v.get("waiver"), f"{where}.verdict.waiver", today),
    )


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
    """Legal-basis titles of the shipped policy (``_policy_data``), as ``key -> {title, citation, url}``."""
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


# --------------------------------------------------------------------------- renderers


def render_json(report: Report, generated_at: str) -> str:
    used = sorted({b for d in report.devices for b in d.basis})
    doc = {
        "schema": SCHEMA,
        "title": report.title,
        "generated_at": generated_at,
        "policy_version": report.policy_version,
        "registry_date": report.registry_date,
        "summary": report.summary,
        "devices": [d.to_dict() for d in report.devices],
        "unreachable": [u.to_dict() for u in report.unreachable],
        "unmatched_results": [r.to_dict() for r in report.unmatched_results],
        "legal_bases": {k: report.legal_bases.get(k, {"title": "", "citation": "", "url": ""}) for k in used},
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(d: DeviceRow) -> List[str]:
    r = d.result
    w = d.waiver or {}
    values: Dict[str, object] = {
        "mac": d.mac,
        "ip": d.ip,
        "vendor": d.vendor,
        "vendor_key": d.vendor_key,
        "status": d.status,
        "legal_basis": "; ".join(d.basis),
        "switch": d.switch,
        "interface": d.interface,
        "vlan": d.vlan,
        "location_confidence": d.confidence,
        "evidence": "; ".join(d.evidence),
        "action": d.action,
        "mode": r.mode if r else None,
        "action_reason": r.reason if r else None,
        "change_id": r.change_id if r else None,
        "action_time": r.time if r else None,
        "waiver_owner": w.get("owner"),
        "waiver_ticket": w.get("ticket"),
        "waiver_expires": w.get("expires"),
        "waiver_expired": w.get("expired") if d.waiver else None,
        "waiver_reason": w.get("reason"),
        "outcome": d.outcome,
        "outcome_reason": d.outcome_reason,
        "first_seen": d.first_seen,
        "last_seen": d.last_seen,
    }
    return [csv_cell(values[c]) for c in CSV_COLUMNS]


def render_csv(report: Report, generated_at: str = "") -> str:
    """One row per restricted device under the stable ``CSV_COLUMNS`` header (no timestamp)."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for d in report.devices:
        writer.writerow(csv_row(d))
    return buf.getvalue()


def _details(d: DeviceRow) -> str:
    lines = [
        f"vendor: {d.vendor} ({d.status})",
        f"legal basis: {', '.join(d.basis) or '-'}",
        f"location: {d.switch} {d.interface} vlan {d.vlan if d.vlan is not None else '-'} ({d.confidence})",
        f"ip: {d.ip or '-'}",
        f"action: {d.action}" + (f" ({d.result.mode})" if d.result and d.result.mode else ""),
    ]
    if d.result and d.result.change_id:
        lines.append(f"change id: {d.result.change_id}")
    if d.result and d.result.reason:
        lines.append(f"reason: {d.result.reason}")
    if d.waiver:
        w = d.waiver
        state = "expired" if w["expired"] else "active"
        lines.append(
            f"waiver: {state}, owner {w['owner']}, ticket {w['ticket']}, expires {w['expires']}: {w['reason']}"
        )
    lines.extend(f"evidence: {e}" for e in d.evidence)
    return "\n".join(lines)


def render_junit(report: Report, generated_at: str) -> str:
    """One ``testsuite`` per switch, one ``testcase`` per restricted device.

    Passed when isolated or waived; ``failure`` otherwise. Unreachable switches come last as
    a ``camguard.unreachable`` suite with one ``error`` test case per switch.
    """
    devices = report.devices
    failures = sum(1 for d in devices if d.outcome == "open")
    errors = len(report.unreachable)
    root = ET.Element(
        "testsuites",
        {
            "name": report.title,
            "tests": str(len(devices) + errors),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": "0",
            "time": "0",
            "timestamp": generated_at,
        },
    )
    switches: Dict[str, List[DeviceRow]] = {}
    for d in devices:
        switches.setdefault(d.switch, []).append(d)
    for switch, rows in sorted(switches.items(), key=lambda kv: natural_key(kv[0])):
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": switch,
                "tests": str(len(rows)),
                "failures": str(sum(1 for d in rows if d.outcome == "open")),
                "errors": "0",
                "skipped": "0",
                "time": "0",
                "timestamp": generated_at,
            },
        )
        for d in rows:
            case = ET.SubElement(
                suite,
                "testcase",
                {"classname": f"camguard.{switch}", "name": f"{d.mac} on {d.interface or '?'}", "time": "0"},
            )
            if d.outcome == "open":
                failure = ET.SubElement(case, "failure", {"message": d.outcome_reason, "type": "NotIsolated"})
                failure.text = _details(d)
            else:
                out = ET.SubElement(case, "system-out")
                out.text = d.outcome_reason + "\n" + _details(d)
    if report.unreachable:
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": "camguard.unreachable",
                "tests": str(errors),
                "failures": "0",
                "errors": str(errors),
                "skipped": "0",
                "time": "0",
                "timestamp": generated_at,
            },
        )
        for u in report.unreachable:
            case = ET.SubElement(
                suite, "testcase", {"classname": "camguard.unreachable", "name": u.switch, "time": "0"}
            )
            err = ET.SubElement(
                case, "error", {"message": f"switch {u.switch} could not be polled", "type": "Unreachable"}
            )
            err.text = u.error
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


RENDERERS = {"json": render_json, "csv": render_csv, "html": render_html, "junit": render_junit}


def render(fmt: str, report: Report, generated_at: str) -> str:
    if fmt not in RENDERERS:
        raise ReportError(f"formats: {fmt!r} is not one of {', '.join(FORMATS)}")
    if not _TIMESTAMP.match(generated_at):
        raise ReportError(f"generated_at: {generated_at!r} is not a timestamp (e.g. 2026-11-30T12:00:00Z)")
    return RENDERERS[fmt](report, generated_at)


# --------------------------------------------------------------------------- files (the only I/O)

_TS_IN_FILE = {
    "json": re.compile(r'^  "generated_at": "([^"]*)",$', re.MULTILINE),
    "html": re.compile(r'<meta name="generated-at" content="([^"]*)">'),
    "junit": re.compile(r'<testsuites [^>]*timestamp="([^"]*)"'),
}


def same_report(fmt: str, report: Report, existing: str, new: str) -> bool:
    """True when ``existing`` is this report apart from its generated-at timestamp."""
    if existing == new:
        return True
    pattern = _TS_IN_FILE.get(fmt)
    m = pattern.search(existing) if pattern else None
    if m is None or not _TIMESTAMP.match(m.group(1)):
        return False
    return render(fmt, report, m.group(1)) == existing


@dataclass
class FilePlan:
    fmt: str
    path: str
    content: str
    changed: bool


def plan_files(report: Report, dest: str, formats: Sequence[str], generated_at: str) -> List[FilePlan]:
    """What each report file would contain and whether it differs from what is on disk."""
    plans = []
    for fmt in dict.fromkeys(formats):
        path = os.path.join(dest, FILE_NAMES.get(fmt, fmt))
        new = render(fmt, report, generated_at)
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                existing: Optional[str] = fh.read()
        except FileNotFoundError:
            existing = None
        except (UnicodeDecodeError, IsADirectoryError):
            existing = None
        changed = existing is None or not same_report(fmt, report, existing, new)
        plans.append(FilePlan(fmt=fmt, path=path, content=new, changed=changed))
    return plans


def write_atomic(path: str, content: str, mode: int = 0o644) -> None:
    """Write one report file atomically, line endings exactly as rendered (CSV uses CRLF)."""
    atomic_write(path, content, mode, newline="")
