# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report's output formats and files: JSON, CSV and JUnit XML here, HTML in ``html``.

``render(fmt, report, generated_at)`` gives one format's text; ``plan_files`` says what each
report file would contain and whether it differs from the file on disk apart from its
generated-at timestamp (so a second run with the same input changes nothing);
``write_atomic`` writes one file through ``_files.atomic_write``.

Device text arrives cleaned of control characters (``model.clean``); here the CSV neutralises
spreadsheet formulas and the XML is built with ElementTree. Nothing here is ever passed to a
template engine.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from ansible_collections.camguard.network.plugins.module_utils._files import atomic_write
from ansible_collections.camguard.network.plugins.module_utils._report.html import render_html
from ansible_collections.camguard.network.plugins.module_utils._report.model import (
    DeviceRow,
    Report,
    ReportError,
    natural_key,
)

SCHEMA = "camguard.network/compliance-report/1"
FORMATS = ("json", "csv", "html", "junit")
FILE_NAMES = {
    "json": "camguard-report.json",
    "csv": "camguard-report.csv",
    "html": "camguard-report.html",
    "junit": "camguard-report.junit.xml",
}

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

_TIMESTAMP = re.compile(r"^[0-9A-Za-z:.+\- ]{1,40}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
