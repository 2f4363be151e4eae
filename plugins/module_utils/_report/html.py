# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The self-contained HTML page of the compliance report.

One file: inline CSS, server-side inline SVG bar charts, no JavaScript, no external fonts,
images or links other than the legal-basis citations. Every value is passed through
``html.escape`` (``_e``) on its way into the page, whatever its source: device-provided text
such as ``<script>`` or ``{{ 7*7 }}`` renders as text. The page skeleton is a
``string.Template``: substitution is single-pass, so placeholders inside values are never
expanded.
"""

from __future__ import annotations

import html
import string
from typing import Dict, Iterable, List, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._report.model import OUTCOMES, DeviceRow, Report

OUTCOME_LABELS = (("isolated", "Isolated"), ("waived", "Waived"), ("open", "Open"))
OUTCOME_COLORS = {"isolated": "#2e7d32", "waived": "#1565c0", "open": "#c62828"}
MAX_BARS = 15

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#f5f7fa; --ok:#2e7d32; --warn:#b26a00;
  --bad:#c62828; --info:#1565c0; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  color:var(--ink); background:var(--bg); }
header { background:#102a43; color:#fff; padding:20px 32px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header .meta { color:#bcccdc; font-size:13px; }
header .meta span { margin-right:18px; }
main { padding:20px 32px 40px; max-width:1600px; }
h2 { font-size:17px; margin:28px 0 10px; }
.verdict { border-radius:6px; padding:12px 16px; font-weight:600; border-left:6px solid; background:#fff; }
.verdict.ok { border-color:var(--ok); color:var(--ok); }
.verdict.bad { border-color:var(--bad); color:var(--bad); }
.verdict ul { margin:6px 0 0 18px; padding:0; font-weight:400; color:var(--ink); }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin-top:16px; }
.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px 16px; min-width:150px; flex:1; }
.card .n { font-size:26px; font-weight:700; }
.card .l { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.card.bad .n { color:var(--bad); } .card.ok .n { color:var(--ok); } .card.info .n { color:var(--info); }
.charts { display:grid; grid-template-columns:repeat(auto-fit,minmax(380px,1fr)); gap:12px; }
.chart { background:#fff; border:1px solid var(--line); border-radius:6px; padding:10px 14px; }
.chart h3 { margin:0 0 6px; font-size:14px; }
.chart svg { width:100%; height:auto; display:block; }
.chart text { font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; fill:#1f2933; }
.legend { margin:8px 0 0; color:var(--muted); font-size:12px; }
.legend i { display:inline-block; width:10px; height:10px; margin:0 4px 0 12px; border-radius:2px; }
.empty { color:var(--muted); font-style:italic; }
.scroll { overflow-x:auto; border:1px solid var(--line); border-radius:6px; background:#fff; }
table { border-collapse:collapse; width:100%; background:#fff; font-size:13px; }
th, td { text-align:left; vertical-align:top; padding:6px 8px; border-bottom:1px solid var(--line); }
th { background:#e4e7eb; font-size:12px; text-transform:uppercase; letter-spacing:.03em; position:sticky; top:0; }
td.mono, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; white-space:nowrap; }
td ul { margin:0; padding-left:16px; }
td small { color:var(--muted); display:block; font-size:11.5px; }
td.outcome { min-width:170px; }
td.wide { min-width:180px; }
tr.outcome-open td:first-child { box-shadow:inset 4px 0 0 var(--bad); }
tr.outcome-isolated td:first-child { box-shadow:inset 4px 0 0 var(--ok); }
tr.outcome-waived td:first-child { box-shadow:inset 4px 0 0 var(--info); }
.badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:11.5px; font-weight:600;
  color:#fff; white-space:nowrap; }
.b-isolated { background:var(--ok); } .b-waived { background:var(--info); } .b-open { background:var(--bad); }
.b-expired { background:var(--warn); } .b-status { background:#52606d; }
footer { color:var(--muted); font-size:12px; padding:0 32px 24px; }
@media print { header { background:#fff; color:#000; } header .meta { color:#333; } th { position:static; } }
"""

PAGE = string.Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="camguard.network compliance_report">
<meta name="generated-at" content="$generated_at">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>$title</title>
<style>$css</style>
</head>
<body>
<header>
<h1>$title</h1>
<div class="meta">$meta</div>
</header>
<main>
$verdict
<div class="cards">$cards</div>
<h2>Restricted devices by vendor, status and switch</h2>
<div class="charts">$charts</div>
<p class="legend">$legend</p>
<h2 id="devices">Restricted devices ($device_count)</h2>
$table
<h2 id="unreachable">Unreachable switches ($unreachable_count)</h2>
$unreachable
<h2 id="legal-bases">Legal bases</h2>
$bases
</main>
<footer>Generated by camguard.network compliance_report at $generated_at. Device-provided values are shown as received.</footer>
</body>
</html>
""")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _meta(report: Report, generated_at: str) -> str:
    items = [("Generated", generated_at)]
    if report.policy_version:
        items.append(("Policy", report.policy_version))
    if report.registry_date:
        items.append(("Vendor registry", report.registry_date))
    s = report.summary
    items.append(("Findings", str(s["findings"])))
    return "".join(f"<span>{_e(k)}: <b>{_e(v)}</b></span>" for k, v in items)


def _verdict(report: Report) -> str:
    s = report.summary
    if s["compliant"]:
        return '<div class="verdict ok">Compliant: every restricted device is isolated or waived, and every switch was polled.</div>'
    reasons = "".join(f"<li>{_e(r)}</li>" for r in s["noncompliance"])
    return f'<div class="verdict bad">Not compliant<ul>{reasons}</ul></div>'


def _cards(report: Report) -> str:
    s = report.summary
    cards = [
        ("Restricted devices", s["restricted"], "info" if s["restricted"] else "ok"),
        ("Isolated", s["isolated"], "ok"),
        ("Waived", s["waived"], "info"),
        ("Open", s["open"], "bad" if s["open"] else "ok"),
        ("Expired waivers", s["expired_waivers"], "bad" if s["expired_waivers"] else "ok"),
        ("Unreachable switches", s["unreachable_switches"], "bad" if s["unreachable_switches"] else "ok"),
    ]
    return "".join(
        f'<div class="card {cls}"><div class="n">{_e(n)}</div><div class="l">{_e(label)}</div></div>'
        for label, n, cls in cards
    )


def _series(devices: Iterable[DeviceRow], key: str) -> List[Tuple[str, Dict[str, int]]]:
    groups: Dict[str, Dict[str, int]] = {}
    for d in devices:
        label = str(getattr(d, key))
        counts = groups.setdefault(label, dict.fromkeys(OUTCOMES, 0))
        counts[d.outcome] += 1
    ordered = sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(ordered) > MAX_BARS:
        rest: Dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        for _label, counts in ordered[MAX_BARS - 1 :]:
            for o, n in counts.items():
                rest[o] += n
        ordered = [*ordered[: MAX_BARS - 1], (f"{len(ordered) - MAX_BARS + 1} others", rest)]
    return ordered


def _short(label: str, limit: int = 19) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def bar_chart(title: str, series: List[Tuple[str, Dict[str, int]]]) -> str:
    """A horizontal stacked bar chart (isolated / waived / open) as inline SVG."""
    if not series:
        return f'<div class="chart"><h3>{_e(title)}</h3><p class="empty">No restricted devices.</p></div>'
    label_w, bar_w, row_h, width = 178, 212, 24, 430
    top = max(sum(c.values()) for _label, c in series)
    height = row_h * len(series) + 6
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, counts) in enumerate(series):
        y = i * row_h + 4
        total = sum(counts.values())
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end"><title>{_e(label)}</title>{_e(_short(label))}</text>'
        )
        x = float(label_w)
        for outcome, name in OUTCOME_LABELS:
            n = counts.get(outcome, 0)
            if not n:
                continue
            w = bar_w * n / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" rx="2" fill="{OUTCOME_COLORS[outcome]}">'
                f"<title>{_e(label)}: {n} {_e(name.lower())}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{total}</text>')
    parts.append("</svg>")
    return f'<div class="chart"><h3>{_e(title)}</h3>{"".join(parts)}</div>'


def _legend() -> str:
    return "".join(f'<i style="background:{OUTCOME_COLORS[o]}"></i>{_e(name)}' for o, name in OUTCOME_LABELS)


def _basis_cell(report: Report, keys: List[str]) -> str:
    if not keys:
        return "&ndash;"
    items = []
    for k in keys:
        title = report.legal_bases.get(k, {}).get("title", "")
        if title:
            items.append(f'<li><a href="#basis-{_e(k)}" title="{_e(title)}">{_e(k)}</a></li>')
        else:
            items.append(f"<li>{_e(k)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _waiver_cell(w: Optional[Dict[str, object]]) -> str:
    if not w:
        return "&ndash;"
    badge = '<span class="badge b-expired">expired</span> ' if w.get("expired") else ""
    return (
        f"{badge}{_e(w.get('ticket') or '?')}<small>owner {_e(w.get('owner') or '?')}, "
        f"until {_e(w.get('expires') or '?')}</small><small>{_e(w.get('reason'))}</small>"
    )


def _row(report: Report, d: DeviceRow) -> str:
    r = d.result
    action = _e(d.action) + (f" <small>mode {_e(r.mode)}</small>" if r and r.mode else "")
    if r and r.reason:
        action += f"<small>{_e(r.reason)}</small>"
    if r and r.time:
        action += f"<small>{_e(r.time)}</small>"
    evidence = f"<ul>{''.join(f'<li>{_e(x)}</li>' for x in d.evidence)}</ul>" if d.evidence else "&ndash;"
    vendor = _e(d.vendor) + (f"<small>prefix {_e(d.matched_prefix)}</small>" if d.matched_prefix else "")
    cells = [
        ("mono", _e(d.mac)),
        ("mono", _e(d.ip or "") or "&ndash;"),
        ("", vendor),
        ("", f'<span class="badge b-status">{_e(d.status)}</span>'),
        ("", _basis_cell(report, d.basis)),
        ("mono", _e(d.switch)),
        ("mono", _e(d.interface) or "&ndash;"),
        ("mono", _e(d.vlan) if d.vlan is not None else "&ndash;"),
        ("", _e(d.confidence)),
        ("wide", evidence),
        ("", action),
        ("mono", _e(r.change_id) if r and r.change_id else "&ndash;"),
        ("wide", _waiver_cell(d.waiver)),
        (
            "outcome",
            f'<span class="badge b-{_e(d.outcome)}">{_e(d.outcome)}</span><small>{_e(d.outcome_reason)}</small>',
        ),
    ]
    tds = "".join(f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>" for c, v in cells)
    return f'<tr class="device outcome-{_e(d.outcome)}" data-mac="{_e(d.mac)}">{tds}</tr>'


COLUMNS = (
    "MAC",
    "IP",
    "Vendor",
    "Status",
    "Legal basis",
    "Switch",
    "Interface",
    "VLAN",
    "Confidence",
    "Evidence",
    "Action",
    "Change ID",
    "Waiver",
    "Outcome",
)


def _table(report: Report) -> str:
    if not report.devices:
        return '<p class="empty">No restricted device was found.</p>'
    head = "".join(f"<th>{_e(c)}</th>" for c in COLUMNS)
    body = "\n".join(_row(report, d) for d in report.devices)
    return f'<div class="scroll"><table id="device-table"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>'


def _unreachable(report: Report) -> str:
    if not report.unreachable:
        return '<p class="empty">Every switch was polled.</p>'
    rows = "".join(
        f'<tr class="unreachable"><td class="mono">{_e(u.switch)}</td><td>{_e(u.error) or "&ndash;"}</td></tr>'
        for u in report.unreachable
    )
    return f'<div class="scroll"><table><thead><tr><th>Switch</th><th>Error</th></tr></thead><tbody>{rows}</tbody></table></div>'


def _bases(report: Report) -> str:
    used = sorted({b for d in report.devices for b in d.basis})
    if not used:
        return '<p class="empty">No legal basis is referenced by this report.</p>'
    rows = []
    for k in used:
        b = report.legal_bases.get(k, {})
        url = b.get("url", "")
        cite = _e(b.get("citation", ""))
        if url.startswith(("https://", "http://")):
            cite = f'{cite} <a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a>'
        rows.append(
            f'<tr id="basis-{_e(k)}"><td class="mono">{_e(k)}</td><td>{_e(b.get("title", ""))}</td><td>{cite}</td></tr>'
        )
    head = "<thead><tr><th>Key</th><th>Title</th><th>Citation</th></tr></thead>"
    return f'<div class="scroll"><table>{head}<tbody>{"".join(rows)}</tbody></table></div>'


def render_html(report: Report, generated_at: str) -> str:
    devices = report.devices
    charts = "".join(
        [
            bar_chart("By vendor", _series(devices, "vendor")),
            bar_chart("By status", _series(devices, "status")),
            bar_chart("By switch", _series(devices, "switch")),
        ]
    )
    return PAGE.substitute(
        title=_e(report.title),
        generated_at=_e(generated_at),
        css=CSS,
        meta=_meta(report, generated_at),
        verdict=_verdict(report),
        cards=_cards(report),
        charts=charts,
        legend=_legend(),
        device_count=len(devices),
        table=_table(report),
        unreachable_count=len(report.unreachable),
        unreachable=_unreachable(report),
        bases=_bases(report),
    )
