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
.chart svg { width:100%; max-width:640px; height:auto; display:block; }
.chart text { font:11.5px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; fill:#1f2933; }
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
.badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:11.5px; font-weight:600;
  color:#fff; white-space:nowrap; }
.b-isolated { background:var(--ok); } .b-waived { background:var(--info); } .b-open { background:var(--bad); }
.b-expired { background:var(--warn); } .b-status { background:#52606d; }
/* The device table: each row is a grid, so that its fourteen columns fit the window with
   Outcome first (the DOM keeps the reading order of the CSV). Below 1800 px a device takes two
   lines (the device and where it is; then what was done and why), from 1800 px one line, below
   900 px it is a card whose cells carry their own labels. Printed: A4 landscape, two lines. */
#devices-wrap { border:1px solid var(--line); border-radius:6px; background:#fff; }
#device-table, #device-table thead, #device-table tbody { display:block; width:100%; }
#device-table tr { display:grid; column-gap:0; grid-template-columns:
  150px 140px 118px minmax(140px,1.5fr) 110px minmax(110px,1fr) minmax(110px,1fr) 54px;
  grid-template-areas:
    "outcome mac ip vendor status switch iface vlan"
    "outcome action change basis conf waiver evidence evidence";
  border-bottom:1px solid var(--line); }
#device-table thead tr { background:#e4e7eb; position:sticky; top:0; z-index:1; }
#device-table th { position:static; background:none; padding:4px 8px; overflow-wrap:normal; white-space:nowrap; }
#device-table td, #device-table th { border-bottom:0; min-width:0; overflow-wrap:anywhere; }
#device-table td { padding:4px 8px; }
#device-table tr > :nth-child(n+9):not(.c-outcome) { padding-top:0; }
#device-table td.mono { white-space:normal; }
#device-table td.c-mac, #device-table td.c-ip, #device-table td.c-vlan { white-space:nowrap; overflow-wrap:normal; }
#device-table td ul { list-style:none; padding-left:0; }
#device-table tbody tr.outcome-open { box-shadow:inset 4px 0 0 var(--bad); }
#device-table tbody tr.outcome-isolated { box-shadow:inset 4px 0 0 var(--ok); }
#device-table tbody tr.outcome-waived { box-shadow:inset 4px 0 0 var(--info); }
.c-mac { grid-area:mac; } .c-ip { grid-area:ip; } .c-vendor { grid-area:vendor; } .c-status { grid-area:status; }
.c-basis { grid-area:basis; } .c-switch { grid-area:switch; } .c-iface { grid-area:iface; } .c-vlan { grid-area:vlan; }
.c-conf { grid-area:conf; } .c-evidence { grid-area:evidence; } .c-action { grid-area:action; }
.c-change { grid-area:change; } .c-waiver { grid-area:waiver; } .c-outcome { grid-area:outcome; }
#device-table td.c-outcome { padding-left:12px; }
#device-table th.c-outcome { padding-left:12px; }
@media screen and (min-width:1800px) {
  main { max-width:none; }
  #device-table tr { grid-template-columns:
    120px 140px 118px minmax(120px,1.3fr) 108px minmax(90px,1fr) minmax(90px,1fr) 52px
    116px 104px minmax(120px,1.2fr) 104px 168px minmax(160px,2fr);
    grid-template-areas: "outcome mac ip vendor status switch iface vlan action change waiver conf basis evidence"; }
  #device-table tr > :nth-child(n+9):not(.c-outcome) { padding-top:4px; }
}
@media screen and (max-width:899px) {
  header, main { padding-left:12px; padding-right:12px; }
  #device-table thead { display:none; }
  #device-table tr { grid-template-columns:1fr 1fr; grid-template-areas:
    "outcome outcome" "mac ip" "vendor status" "switch iface" "vlan conf" "basis basis" "evidence evidence"
    "action change" "waiver waiver"; padding:6px 0; }
  #device-table td::before { content:attr(data-label); display:block; color:var(--muted); font-size:11px;
    text-transform:uppercase; letter-spacing:.03em; }
  #device-table tr > :nth-child(n+9):not(.c-outcome) { padding-top:4px; }
}
footer { color:var(--muted); font-size:12px; padding:0 32px 24px; }
@page { size:A4 landscape; margin:10mm; }
@media print {
  body { background:#fff; font-size:11px; }
  header { background:#fff; color:#000; padding:0 0 8px; } header .meta { color:#333; }
  main { padding:0; max-width:none; }
  th { position:static; }
  h2 { break-after:avoid; }
  .scroll, #devices-wrap { overflow:visible; border:0; }
  .charts, .cards, .verdict { break-inside:avoid; }
  .charts { grid-template-columns:repeat(3,1fr); }
  td { overflow-wrap:anywhere; }
  #device-table { display:table; table-layout:fixed; }
  #device-table thead { display:table-header-group; }
  #device-table tbody { display:table-row-group; }
  #device-table thead tr { position:static; }
  #device-table tr { break-inside:avoid; font-size:10.5px; grid-template-columns:
    120px 122px 100px minmax(120px,1.5fr) 96px minmax(100px,1fr) minmax(100px,1fr) 44px; }
  #device-table td.mono, #device-table .mono { font-size:10px; }
  #device-table th { font-size:9px; }
  footer { padding:8px 0 0; }
}
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


LABEL_CHARS = 26
LABEL_LINES = 3


def label_lines(label: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> List[str]:
    """``label`` wrapped at word boundaries into exactly ``lines`` lines of about ``width`` characters
    (the unused ones empty), so that every bar has the same elements whatever its label. Only a
    label longer than the lines hold is cut (with an ellipsis); the bar's tooltip has it whole.

    >>> label_lines("Hangzhou Hikvision Digital Technology Co.,Ltd.")
    ['Hangzhou Hikvision Digital', 'Technology Co.,Ltd.', '']
    """
    out: List[str] = []
    cur = ""
    for word in label.split():
        while len(word) > width:  # a word longer than a line is cut into line-sized pieces
            if cur:
                out.append(cur)
                cur = ""
            out.append(word[:width])
            word = word[width:]
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur or not out:
        out.append(cur)
    if len(out) > lines:
        last = out[lines - 1]
        out = [*out[: lines - 1], (last[: width - 1] if len(last) >= width else last) + "\u2026"]
    return out + [""] * (lines - len(out))


def bar_chart(title: str, series: List[Tuple[str, Dict[str, int]]]) -> str:
    """A horizontal stacked bar chart (isolated / waived / open) as inline SVG; labels wrap onto up to
    three lines beside their bar."""
    if not series:
        return f'<div class="chart"><h3>{_e(title)}</h3><p class="empty">No restricted devices.</p></div>'
    label_w, bar_w, line_h, width = 206, 184, 14, 430
    top = max(sum(c.values()) for _label, c in series)
    rows = []
    y = 4
    for label, counts in series:
        lines = label_lines(label)
        used = max(1, sum(1 for ln in lines if ln))
        row_h = max(24, used * line_h + 10)
        rows.append((label, counts, lines, y, row_h))
        y += row_h
    height = y + 2
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for label, counts, lines, y, row_h in rows:
        total = sum(counts.values())
        bar_y = y + (row_h - 16) // 2
        used = max(1, sum(1 for ln in lines if ln))
        first = bar_y + 12 - (used - 1) * line_h // 2
        tspans = "".join(
            f'<tspan x="{label_w - 8}" y="{first + i * line_h}">{_e(ln)}</tspan>' for i, ln in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end"><title>{_e(label)}</title>{tspans}</text>')
        x = float(label_w)
        for outcome, name in OUTCOME_LABELS:
            n = counts.get(outcome, 0)
            if not n:
                continue
            w = bar_w * n / top
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="16" rx="2" fill="{OUTCOME_COLORS[outcome]}">'
                f"<title>{_e(label)}: {n} {_e(name.lower())}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{bar_y + 12}">{total}</text>')
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


#: The device table's columns in DOM (and CSV) order: grid area class and header label. The
#: stylesheet places them on screen and paper (Outcome first); tests read the cells in this order.
COLUMN_KEYS = (
    ("c-mac", "MAC"),
    ("c-ip", "IP"),
    ("c-vendor", "Vendor"),
    ("c-status", "Status"),
    ("c-basis", "Legal basis"),
    ("c-switch", "Switch"),
    ("c-iface", "Interface"),
    ("c-vlan", "VLAN"),
    ("c-conf", "Confidence"),
    ("c-evidence", "Evidence"),
    ("c-action", "Action"),
    ("c-change", "Change ID"),
    ("c-waiver", "Waiver"),
    ("c-outcome", "Outcome"),
)
COLUMNS = tuple(label for _key, label in COLUMN_KEYS)
_MONO = frozenset({"c-mac", "c-ip", "c-switch", "c-iface", "c-vlan", "c-change"})


def _row(report: Report, d: DeviceRow) -> str:
    r = d.result
    action = _e(d.action) + (f" <small>mode {_e(r.mode)}</small>" if r and r.mode else "")
    if r and r.reason:
        action += f"<small>{_e(r.reason)}</small>"
    if r and r.time:
        action += f"<small>{_e(r.time)}</small>"
    evidence = f"<ul>{''.join(f'<li>{_e(x)}</li>' for x in d.evidence)}</ul>" if d.evidence else "&ndash;"
    vendor = _e(d.vendor) + (f"<small>prefix {_e(d.matched_prefix)}</small>" if d.matched_prefix else "")
    values = [
        _e(d.mac),
        _e(d.ip or "") or "&ndash;",
        vendor,
        f'<span class="badge b-status">{_e(d.status)}</span>',
        _basis_cell(report, d.basis),
        _e(d.switch),
        _e(d.interface) or "&ndash;",
        _e(d.vlan) if d.vlan is not None else "&ndash;",
        _e(d.confidence),
        evidence,
        action,
        _e(r.change_id) if r and r.change_id else "&ndash;",
        _waiver_cell(d.waiver),
        f'<span class="badge b-{_e(d.outcome)}">{_e(d.outcome)}</span><small>{_e(d.outcome_reason)}</small>',
    ]
    tds = "".join(
        f'<td class="{key}{" mono" if key in _MONO else ""}" data-label="{_e(label)}">{v}</td>'
        for (key, label), v in zip(COLUMN_KEYS, values)
    )
    return f'<tr class="device outcome-{_e(d.outcome)}" data-mac="{_e(d.mac)}">{tds}</tr>'


def _table(report: Report) -> str:
    if not report.devices:
        return '<p class="empty">No restricted device was found.</p>'
    head = "".join(f'<th class="{key}" scope="col">{_e(label)}</th>' for key, label in COLUMN_KEYS)
    body = "\n".join(_row(report, d) for d in report.devices)
    return (
        f'<div id="devices-wrap"><table id="device-table"><thead><tr>{head}</tr></thead><tbody>\n{body}\n'
        "</tbody></table></div>"
    )


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
