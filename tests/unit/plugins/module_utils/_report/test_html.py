# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML page: every device row, escaping, citations, charts."""

from __future__ import annotations

from _report_builders import HOSTILE, finding, html_page, result

from ansible_collections.camguard.network.plugins.module_utils._records import Waiver
from ansible_collections.camguard.network.plugins.module_utils._report import model as R
from ansible_collections.camguard.network.plugins.module_utils._report.html import MAX_BARS, bar_chart

# --------------------------------------------------------------------------- HTML


def test_html_has_every_device_row_charts_and_sections(mixed: R.Report) -> None:
    text, page = html_page(mixed)
    assert page.rows == [d.mac for d in mixed.devices]
    assert page.tags.count("svg") == 3
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    body = "".join(page.text)
    for needle in (
        "Not compliant",
        "Lab audit",
        "2026.11.30",
        "lab-sw3",
        "timeout after 30 s",
        "CHG001",
        "RISK-17",
        "trunk port",
    ):
        assert needle in body
    assert '<meta name="generated-at" content="2026-11-30T12:00:00Z">' in text


def test_html_escapes_every_device_value() -> None:
    f = finding(
        "44:19:b6:00:00:01",
        switch="sw-<b>1</b>",
        interface="swp3",
        vendor_name=HOSTILE[0],
        basis=[HOSTILE[2]],
        ip=HOSTILE[1],
        evidence=list(HOSTILE),
        waiver=Waiver(owner=HOSTILE[0], reason=HOSTILE[3], ticket=HOSTILE[2], expires="2099-01-01"),
    )
    rep = R.build_report(
        [f],
        [result("sw-<b>1</b>", "swp3", "refused", reason=HOSTILE[0], change_id=HOSTILE[1])],
        [{"switch": HOSTILE[0], "error": HOSTILE[3]}],
        title=HOSTILE[1],
    )
    text, page = html_page(rep)
    assert "<script" not in text.lower()
    assert "onmouseover" not in [k for k, _v in page.attrs]
    # the hostile page has exactly the element structure of the same page with harmless values
    benign = R.build_report(
        [
            finding(
                "44:19:b6:00:00:01",
                switch="sw-1",
                interface="swp3",
                vendor_name="v",
                basis=["k"],
                ip="i",
                evidence=["a", "b", "c", "d", "e"],
                waiver=Waiver(owner="o", reason="r", ticket="t", expires="2099-01-01"),
            )
        ],
        [result("sw-1", "swp3", "refused", reason="r", change_id="c")],
        [{"switch": "s", "error": "e"}],
        title="t",
    )
    assert page.tags == html_page(benign)[1].tags
    body = "".join(page.text)
    for h in HOSTILE:
        assert h in body  # shown as text, exactly as received
    assert "49" not in body  # nothing evaluated {{ 7*7 }}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert page.rows == ["44:19:b6:00:00:01"]


def test_html_links_only_http_citations() -> None:
    f = finding("44:19:b6:00:00:01", basis=["a", "b"])
    rep = R.build_report(
        [f],
        legal_bases={
            "a": {"title": "A", "url": "javascript:alert(1)"},
            "b": {"title": "B", "url": "https://example.org/b?x=1&y=2"},
        },
    )
    text, page = html_page(rep)
    hrefs = [v for k, v in page.attrs if k == "href"]
    assert "javascript:alert(1)" not in hrefs
    assert "https://example.org/b?x=1&y=2" in hrefs
    assert 'href="https://example.org/b?x=1&amp;y=2"' in text


def test_bar_chart_folds_the_long_tail() -> None:
    series = [(f"sw-{i:02d}", {"isolated": 0, "waived": 0, "open": i + 1}) for i in range(MAX_BARS + 5)]
    rep_switches = R.build_report(
        [finding(f"44:19:b6:00:00:{i:02x}", switch=f"sw-{i:02d}") for i in range(MAX_BARS + 5)]
    )
    _text, page = html_page(rep_switches)
    assert "6 others" in "".join(page.text)
    svg = bar_chart("t", series)
    assert svg.count("<rect") == len(series)
    assert "No restricted devices." in bar_chart("t", [])
