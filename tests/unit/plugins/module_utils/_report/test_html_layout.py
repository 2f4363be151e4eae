# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML page's layout contract: every device cell has its grid area and label, every layout of
the stylesheet places all fourteen columns (Outcome first), chart labels wrap instead of being cut.
What the browser makes of it is tests/integration/test_report_layout.py."""

from __future__ import annotations

import re

import pytest
from _report_builders import html_page

from ansible_collections.camguard.network.plugins.module_utils._report import model as R
from ansible_collections.camguard.network.plugins.module_utils._report.html import (
    COLUMN_KEYS,
    CSS,
    LABEL_CHARS,
    LABEL_LINES,
    bar_chart,
    label_lines,
)

AREAS = {key[2:] for key, _label in COLUMN_KEYS}


def _templates() -> list:
    """Every ``grid-template-areas`` of the device table, as lists of rows of area names."""
    out = []
    for m in re.finditer(r"grid-template-areas:\s*((?:\"[^\"]*\"\s*)+);", CSS):
        out.append([row.split() for row in re.findall(r'"([^"]*)"', m.group(1))])
    return out


def test_every_layout_places_every_column_once_outcome_first() -> None:
    layouts = _templates()
    assert len(layouts) == 3  # two lines (default and print), one line (wide screens), cards (narrow)
    for rows in layouts:
        names = [a for row in rows for a in row]
        assert set(names) == AREAS, rows
        assert rows[0][0] == "outcome", rows
        for area in AREAS:  # an area spanning cells must be a rectangle: contiguous in each row it is in
            cells = [(r, c) for r, row in enumerate(rows) for c, a in enumerate(row) if a == area]
            rs = sorted({r for r, _c in cells})
            cs = sorted({c for _r, c in cells})
            assert rs == list(range(rs[0], rs[-1] + 1)) and cs == list(range(cs[0], cs[-1] + 1)), (area, rows)
            assert len(cells) == len(rs) * len(cs), (area, rows)
    for key, _label in COLUMN_KEYS:
        assert re.search(r"\." + key + r" \{ grid-area:" + key[2:] + "; \\}", CSS), key


def test_print_stylesheet_is_a4_landscape_and_unclipped() -> None:
    assert "@page { size:A4 landscape;" in CSS
    print_css = CSS[CSS.index("@media print") :]
    assert "overflow:visible" in print_css and "display:table-header-group" in print_css
    assert "break-inside:avoid" in print_css


def test_device_cells_carry_their_area_and_label(mixed: R.Report) -> None:
    text, _page = html_page(mixed)
    rows = re.findall(r'<tr class="device[^"]*"[^>]*>(.*?)</tr>', text)
    assert len(rows) == len(mixed.devices)
    for row in rows:
        cells = re.findall(r'<td class="(c-[a-z]+)[^"]*" data-label="([^"]*)">', row)
        assert cells == list(COLUMN_KEYS)
    heads = re.findall(r'<th class="(c-[a-z]+)" scope="col">([^<]*)</th>', text)
    assert heads == list(COLUMN_KEYS)


@pytest.mark.parametrize(
    "label, lines",
    [
        ("Hangzhou Hikvision Digital Technology Co.,Ltd.", ["Hangzhou Hikvision Digital", "Technology Co.,Ltd.", ""]),
        ("HUAWEI TECHNOLOGIES CO.,LTD", ["HUAWEI TECHNOLOGIES", "CO.,LTD", ""]),
        ("lab-sw1", ["lab-sw1", "", ""]),
        ("", ["", "", ""]),
        ("x" * 60, ["x" * 26, "x" * 26, "x" * 8]),
    ],
)
def test_label_lines_wrap_without_losing_text(label: str, lines: list) -> None:
    got = label_lines(label)
    assert got == lines
    assert len(got) == LABEL_LINES and all(len(ln) <= LABEL_CHARS for ln in got)


def test_label_lines_cut_only_what_three_lines_cannot_hold() -> None:
    long = " ".join(["Technologies"] * 12)
    got = label_lines(long)
    assert len(got) == LABEL_LINES and got[-1].endswith("\u2026")
    assert all(len(ln) <= LABEL_CHARS for ln in got)


def test_chart_bars_have_the_same_elements_whatever_the_label() -> None:
    short = bar_chart("t", [("a", {"isolated": 1, "waived": 0, "open": 0})])
    long = bar_chart("t", [("Zhejiang Uniview Technologies Co., Ltd. (OEM)", {"isolated": 1, "waived": 0, "open": 0})])

    def tags(s: str) -> list:  # type: ignore[type-arg]
        return re.findall(r"<(/?[a-z]+)", s)

    assert tags(short) == tags(long)
    assert "Zhejiang Uniview</tspan>" in long and "(OEM)</tspan>" in long
