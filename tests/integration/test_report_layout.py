# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report fits the window and the printed page, in headless Chromium.

* On screen (1280, 1400 and 1920 px wide): the page never scrolls sideways, no part of the device
  table is clipped or hidden behind a scrollbar, the Outcome of every device is inside the
  window, vendor names are shown whole (table cells and chart labels). Chromium measures the page:
  the report is loaded with its CSP meta tag removed (it forbids scripts) and a script appended
  that writes what it measured into the DOM, read with ``--dump-dom``. The markup and the stylesheet
  are the report's own.
* Printed to PDF (the report as written, unchanged): A4 landscape; ``pdftotext -bbox`` shows every
  column heading, every device's MAC, vendor and outcome, all inside the page, each device's
  row on one page and the headings repeated on every page of the table; ``pdftoppm`` renders the
  pages and the outcome badges' colours are on them.

Chromium and poppler-utils come from Debian's packages (``tools/sysdeps.sh``, or the ``chromium``
fixture as root).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from browser import _browser

from ansible_collections.camguard.network.plugins.module_utils._records import Finding, Verdict, Waiver
from ansible_collections.camguard.network.plugins.module_utils._report.html import COLUMNS, render_html
from ansible_collections.camguard.network.plugins.module_utils._report.model import build_report, shipped_legal_bases

pytestmark = pytest.mark.browser

VENDORS = [
    ("hikvision", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "44:19:b6"),
    ("dahua", "Zhejiang Dahua Technology Co., Ltd.", "e0:50:8b"),
    ("huawei", "HUAWEI TECHNOLOGIES CO.,LTD", "00:18:82"),
    ("uniview", "Zhejiang Uniview Technologies Co., Ltd.", "48:ea:63"),
    ("zte", "zte corporation", "00:15:eb"),
]
WIDTHS = (1280, 1400, 1920)


def _findings(n: int) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """``n`` devices over long switch and interface names, every outcome, long evidence."""
    findings: List[Dict[str, Any]] = []
    results: List[Dict[str, Any]] = []
    for i in range(n):
        key, name, oui = VENDORS[i % len(VENDORS)]
        mac = f"{oui}:{i // 256:02x}:{i % 256:02x}:{i % 7:02x}"
        switch = f"access-building-{i % 4}-floor-{i % 3}-{i:02d}"
        interface = f"GigabitEthernet{i % 2 + 1}/0/{i % 48 + 1}"
        waiver = (
            Waiver(
                owner="facilities",
                reason="lift controller, replacement ordered",
                ticket=f"RISK-{i}",
                expires="2099-03-31",
            )
            if i % 5 == 3
            else None
        )
        verdict = Verdict(
            mac=mac,
            status="named" if i % 3 else "affiliate",
            vendor_key=key,
            vendor_name=name,
            basis=("us_ndaa_fy2019_s889", "us_fcc_covered_list", "uk_wms_2022_11_24"),
            matched_prefix=oui.upper(),
            prefix_bits=24,
            source="policy",
            registry_org=name,
            waiver=waiver,
            default_action="isolate",
        )
        findings.append(
            Finding(
                mac=mac,
                switch=switch,
                interface=interface,
                vlan=10 + i % 3,
                verdict=verdict,
                ip=f"10.66.{10 + i % 3}.{20 + i}",
                location_confidence="edge" if i % 6 else "ambiguous",
                evidence=[
                    f"{interface}: access port in VLAN {10 + i % 3}, 1 MAC, LLDP neighbour camera-{i}.site.example (station)",
                    f"uplink Port-channel1 on {switch} sees the core's own MAC",
                ],
                seen_on=[(switch, interface)],
                first_seen="2026-11-30T09:00:00Z",
                last_seen="2026-11-30T09:10:00Z",
            ).to_dict()
        )
        if i % 5 == 0:
            results.append(
                {
                    "switch": switch,
                    "interface": interface,
                    "mac": mac,
                    "mode": "vlan",
                    "action": "isolated",
                    "change_id": "CHG0042",
                    "time": "2026-11-30T09:20:00Z",
                }
            )
        elif i % 5 == 1:
            results.append(
                {
                    "switch": switch,
                    "interface": interface,
                    "mac": mac,
                    "mode": "acl",
                    "action": "refused",
                    "reason": "port description matches the exception pattern",
                    "change_id": "CHG0042",
                }
            )
    return findings, results


def _page(tmp: Path, n: int) -> Tuple[Path, List[Dict[str, Any]]]:
    findings, results = _findings(n)
    report = build_report(
        findings,
        results,
        [{"switch": "access-building-9-floor-9-99", "error": "cannot connect to 10.0.9.99:22: connection timed out"}],
        None,
        "Site compliance report",
        "2026.11.30",
        "2026-10-24",
        shipped_legal_bases(),
    )
    page = tmp / "camguard-report.html"
    page.write_text(render_html(report, "2026-11-30T09:30:00Z"), encoding="utf-8")
    return page, [d.to_dict() for d in report.devices]


MEASURE = r"""
<script>
(function () {
  var W = window.innerWidth, doc = document.documentElement, out = {width: W};
  out.page_overflow = doc.scrollWidth - doc.clientWidth;
  var wrap = document.getElementById('devices-wrap');
  out.wrap_overflow = wrap.scrollWidth - wrap.clientWidth;
  out.wrap_right = wrap.getBoundingClientRect().right;
  out.clipped = [];
  wrap.querySelectorAll('td, th').forEach(function (c) {
    if (c.scrollWidth > c.clientWidth + 1) out.clipped.push(c.className + ': ' + c.textContent.slice(0, 40));
  });
  out.outcome_heading = document.querySelector('#device-table th.c-outcome').getBoundingClientRect().right;
  out.outcomes = [];
  document.querySelectorAll('#device-table tr.device').forEach(function (tr) {
    var r = tr.querySelector('td.c-outcome').getBoundingClientRect(), row = tr.getBoundingClientRect();
    var inside = true;
    tr.querySelectorAll('td').forEach(function (td) {
      var b = td.getBoundingClientRect();
      if (b.left < row.left - 1 || b.right > row.right + 1) inside = false;
    });
    out.outcomes.push({mac: tr.getAttribute('data-mac'), left: r.left, right: r.right, width: r.width,
                       text: tr.querySelector('td.c-outcome .badge').textContent,
                       vendor: tr.querySelector('td.c-vendor').firstChild.textContent, cells_inside: inside});
  });
  out.chart_labels = [];
  document.querySelectorAll('.chart svg').forEach(function (svg) {
    var box = svg.viewBox.baseVal;
    svg.querySelectorAll('text[text-anchor="end"]').forEach(function (t) {
      var b = t.getBBox(), lines = [];
      t.querySelectorAll('tspan').forEach(function (s) { if (s.textContent) lines.push(s.textContent); });
      out.chart_labels.push({label: t.querySelector('title').textContent, shown: lines.join(' '),
                             left: b.x, right: b.x + b.width, view_left: box.x});
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'camguard-layout';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _measure(chromium: str, page: Path, width: int, tmp: Path) -> Dict[str, Any]:
    text = page.read_text(encoding="utf-8")
    text, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    assert n == 1, "the report's CSP meta tag moved; update the harness"
    probe = tmp / f"probe-{width}.html"
    probe.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    proc = _browser(chromium, tmp / f"profile-{width}", f"--window-size={width},1000", "--dump-dom", probe.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="camguard-layout">(.*?)</pre>', proc.stdout, re.S)
    assert m, "the measuring script did not run:\n" + proc.stdout[-2000:]
    data: Dict[str, Any] = json.loads(html.unescape(m.group(1)))
    return data


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, List[Dict[str, Any]]]:
    return _page(tmp_path_factory.mktemp("layout"), 24)


@pytest.mark.parametrize("width", WIDTHS)
def test_device_table_fits_the_window(
    chromium: str, report_page: Tuple[Path, List[Dict[str, Any]]], width: int, tmp_path: Path
) -> None:
    page, devices = report_page
    m = _measure(chromium, page, width, tmp_path)
    assert m["width"] <= width and m["width"] > width - 40  # the viewport (less a scrollbar)
    assert m["page_overflow"] <= 0, f"the page scrolls sideways by {m['page_overflow']} px"
    assert m["wrap_overflow"] <= 0, f"the device table overflows its box by {m['wrap_overflow']} px"
    assert m["wrap_right"] <= m["width"]
    assert m["clipped"] == [], m["clipped"][:5]
    assert m["outcome_heading"] <= m["width"]
    assert [o["mac"] for o in m["outcomes"]] == [d["mac"] for d in devices]
    for o, d in zip(m["outcomes"], devices):
        assert o["left"] >= 0 and o["right"] <= m["width"] and o["width"] > 60, o
        assert o["text"] == d["outcome"]
        assert o["vendor"] == d["vendor"], "vendor name shown whole in the table"
        assert o["cells_inside"], f"a cell of {o['mac']} sticks out of its row"
    names = {name for _k, name, _o in VENDORS}
    labels = [c for c in m["chart_labels"] if c["label"] in names]
    assert {c["label"] for c in labels} == names
    for c in m["chart_labels"]:
        assert c["left"] >= c["view_left"] - 0.5, f"chart label {c['label']!r} is cut off on the left"
    for c in labels:
        assert c["shown"] == c["label"], f"vendor name truncated in the chart: {c['shown']!r}"


def _pdf_words(pdf: Path) -> List[Dict[str, Any]]:
    """Every word of the PDF with its page and box (``pdftotext -bbox``)."""
    proc = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60)
    root = ET.fromstring(
        re.sub(r"<!DOCTYPE[^>]*>", "", proc.stdout).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    )
    words = []
    for n, pg in enumerate(root.iter("page"), start=1):
        pw, ph = float(pg.get("width") or 0), float(pg.get("height") or 0)
        for w in pg.iter("word"):
            words.append(
                {
                    "page": n,
                    "text": w.text or "",
                    "x0": float(w.get("xMin") or 0),
                    "x1": float(w.get("xMax") or 0),
                    "y0": float(w.get("yMin") or 0),
                    "page_w": pw,
                    "page_h": ph,
                }
            )
    return words


def _ppm(path: Path) -> Tuple[int, int, bytes]:
    data = path.read_bytes()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert m, f"{path}: not a binary PPM"
    return int(m.group(1)), int(m.group(2)), data[m.end() :]


def _has_colour(pixels: bytes, rgb: Tuple[int, int, int], at_least: int = 30) -> bool:
    hits = 0
    r0, g0, b0 = rgb
    for i in range(0, len(pixels) - 2, 3):
        if abs(pixels[i] - r0) < 24 and abs(pixels[i + 1] - g0) < 24 and abs(pixels[i + 2] - b0) < 24:
            hits += 1
            if hits >= at_least:
                return True
    return False


def test_printed_report_is_complete_on_a4_landscape(chromium: str, tmp_path: Path) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils is not installed (tools/sysdeps.sh installs it)")
    page, devices = _page(tmp_path, 40)  # several pages of devices
    pdf = tmp_path / "report.pdf"
    proc = _browser(chromium, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr[-2000:]
    words = _pdf_words(pdf)
    assert words, "no text in the PDF"
    w0 = words[0]
    assert w0["page_w"] > w0["page_h"], "not landscape"
    assert abs(w0["page_w"] - 841.9) < 2 and abs(w0["page_h"] - 595.3) < 2, "not A4"
    for w in words:
        assert w["x0"] >= 0 and w["x1"] <= w["page_w"] + 0.5, f"{w['text']!r} runs off page {w['page']}"

    text_by_page: Dict[int, str] = {}
    for w in words:
        text_by_page[w["page"]] = text_by_page.get(w["page"], "") + " " + w["text"]
    headings = [c.upper() for c in COLUMNS]
    table_pages = sorted({w["page"] for w in words if w["text"] in {d["mac"] for d in devices}})
    assert len(table_pages) >= 2, "40 devices should take more than one page"
    for n in table_pages:  # the column headings are repeated on every page of the table
        for h in headings:
            assert all(part in text_by_page[n] for part in h.split()), f"heading {h} missing on page {n}"
    all_text = " ".join(text_by_page.values())
    joined = re.sub(r"\s+", " ", all_text)
    for d in devices:
        [mac_word] = [w for w in words if w["text"] == d["mac"]]
        # its outcome badge is on the same page as its MAC, level with it (the row is not split)
        near = [
            w
            for w in words
            if w["page"] == mac_word["page"] and w["text"] == d["outcome"] and abs(w["y0"] - mac_word["y0"]) < 12
        ]
        assert near, f"{d['mac']}: outcome {d['outcome']} not on its row"
        assert d["vendor"] in joined, f"vendor {d['vendor']!r} not printed whole"
        assert d["interface"] in joined or d["interface"].replace("/", "/ ") in joined

    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", str(pdf), str(out)], check=True, timeout=120)
    shots = sorted(tmp_path.glob("page-*.ppm"))
    assert len(shots) == max(w["page"] for w in words)
    colours = {"open": (0xC6, 0x28, 0x28), "isolated": (0x2E, 0x7D, 0x32), "waived": (0x15, 0x65, 0xC0)}
    macs = {d["mac"]: d["outcome"] for d in devices}
    for n in table_pages:  # each page shows the badge colour of every outcome printed on it
        width, height, pixels = _ppm(shots[n - 1])
        assert width > height
        on_page = {macs[w["text"]] for w in words if w["page"] == n and w["text"] in macs}
        for outcome in on_page:
            assert _has_colour(pixels, colours[outcome]), f"page {n}: no {outcome} badge drawn"
