# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON, CSV and JUnit renderings, the file plan and the atomic write."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from _report_builders import HIK, HOSTILE, TS, csv_rows, finding, html_page, junit_root, result
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._report import formats as F
from ansible_collections.camguard.network.plugins.module_utils._report import model as R

# --------------------------------------------------------------------------- JSON


def test_json_report(mixed: R.Report) -> None:
    doc = json.loads(F.render("json", mixed, TS))
    assert doc["schema"] == F.SCHEMA
    assert doc["generated_at"] == TS and doc["title"] == "Lab audit" and doc["policy_version"] == "2026.11.30"
    assert doc["summary"] == mixed.summary
    assert [d["mac"] for d in doc["devices"]] == [d.mac for d in mixed.devices]
    first = doc["devices"][0]
    assert first["action"] == "isolated" and first["change_id"] == "CHG001" and first["ip"] == "10.10.10.21"
    assert doc["unreachable"] == [{"switch": "lab-sw3", "error": "timeout after 30 s"}]
    assert [r["switch"] for r in doc["unmatched_results"]] == ["lab-sw9"]


# --------------------------------------------------------------------------- CSV


def test_csv_columns_and_rows(mixed: R.Report) -> None:
    header, rows = csv_rows(mixed)
    assert header == [
        "mac", "ip", "vendor", "vendor_key", "status", "legal_basis", "switch", "interface", "vlan",
        "location_confidence", "evidence", "action", "mode", "action_reason", "change_id", "action_time",
        "waiver_owner", "waiver_ticket", "waiver_expires", "waiver_expired", "waiver_reason", "outcome",
        "outcome_reason", "first_seen", "last_seen",
    ]  # fmt: skip
    assert len(rows) == mixed.summary["restricted"]
    first = rows[0]
    assert first["mac"] == "44:19:b6:00:00:01" and first["vendor"] == HIK  # comma inside a quoted cell
    assert (first["action"], first["mode"], first["change_id"], first["outcome"]) == (
        "isolated",
        "vlan",
        "CHG001",
        "isolated",
    )
    waived = next(r for r in rows if r["outcome"] == "waived")
    assert (waived["waiver_owner"], waived["waiver_ticket"], waived["waiver_expired"]) == (
        "facilities",
        "RISK-17",
        "false",
    )
    assert rows[1]["action"] == "refused" and rows[1]["action_reason"] == "trunk port"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"])
def test_csv_formula_injection_is_neutralised(value: str) -> None:
    f = finding("44:19:b6:00:00:01", vendor_name=value, evidence=[value], ip=value)
    rep = R.build_report([f], [result("lab-sw1", "swp3", "refused", reason=value, change_id=value)])
    _header, rows = csv_rows(rep)
    for col in ("vendor", "evidence", "ip", "action_reason", "change_id"):
        assert rows[0][col] == "'" + value


@pytest.mark.parametrize("value", ["\t=1+2", "\r=1+2"])
def test_csv_formula_guard_covers_leading_tab_and_cr(value: str) -> None:
    # scalar values are stripped on input; list items such as evidence keep their white space
    _header, rows = csv_rows(R.build_report([finding("44:19:b6:00:00:01", evidence=[value])]))
    assert rows[0]["evidence"] == "'" + value
    assert F.csv_cell(value) == "'" + value
    assert F.csv_cell("a=b") == "a=b" and F.csv_cell(None) == "" and F.csv_cell(True) == "true"


def test_csv_multiline_and_quotes_round_trip() -> None:
    tricky = 'line1\nline2, "quoted"; semi'
    _header, rows = csv_rows(R.build_report([finding("44:19:b6:00:00:01", evidence=[tricky, "second"])]))
    assert rows[0]["evidence"] == tricky + "; second"


# --------------------------------------------------------------------------- JUnit XML


def test_junit_is_valid_and_counts_match(mixed: R.Report) -> None:
    root = junit_root(mixed)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["lab-sw1", "lab-sw2", "lab-sw10", "camguard.unreachable"]
    for s in suites:
        cases = s.findall("testcase")
        assert int(s.get("tests", "-1")) == len(cases)
        assert int(s.get("failures", "-1")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("errors", "-1")) == sum(1 for c in cases if c.find("error") is not None)
        assert s.get("timestamp") == TS
    cases = root.findall("./testsuite/testcase")
    assert (
        int(root.get("tests", "-1"))
        == len(cases)
        == mixed.summary["restricted"] + mixed.summary["unreachable_switches"]
    )
    assert int(root.get("failures", "-1")) == len(root.findall(".//failure")) == mixed.summary["open"]
    assert int(root.get("errors", "-1")) == len(root.findall(".//error")) == 1
    device_cases = [c for c in cases if c.get("classname") != "camguard.unreachable"]
    assert [c.get("name") for c in device_cases] == [f"{d.mac} on {d.interface}" for d in mixed.devices]
    failure = root.find("./testsuite[@name='lab-sw1']/testcase[2]/failure")
    assert failure is not None
    assert failure.get("message") == "not isolated and not waived: isolation refused: trunk port"
    assert "legal basis: us_ndaa_fy2019_s889" in (failure.text or "")
    passed = root.find("./testsuite[@name='lab-sw2']/testcase[2]")
    assert passed is not None and passed.find("failure") is None
    assert (passed.findtext("system-out") or "").startswith("waived by facilities")


def test_junit_escapes_hostile_text_and_control_characters() -> None:
    hostile = "<x>&\"'" + "]]>" + "\x00\x1b[31m"
    f = finding("44:19:b6:00:00:01", switch="sw<1>", vendor_name=hostile, evidence=list(HOSTILE))
    rep = R.build_report([f], [result("sw<1>", "swp3", "refused", reason=hostile)])
    root = junit_root(rep)
    failure = root.find(".//failure")
    assert failure is not None
    cleaned = "<x>&\"'" + "]]>" + "\ufffd\ufffd[31m"
    assert failure.get("message") == "not isolated and not waived: isolation refused: " + cleaned
    assert f"vendor: {cleaned} (named)" in (failure.text or "")
    for h in HOSTILE:
        assert f"evidence: {h}" in (failure.text or "")
    assert root.find("testsuite").get("name") == "sw<1>"  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_device_text_is_inert_in_html_and_xml(text: str) -> None:
    cleaned = R.clean(text.strip())
    assume(cleaned)
    f = finding("44:19:b6:00:00:01", vendor_name=text, evidence=[text])
    rep = R.build_report([f], [result("lab-sw1", "swp3", "failed", reason=text)])
    _text, page = html_page(rep)
    assert page.rows == ["44:19:b6:00:00:01"]
    assert "script" not in page.tags
    assert cleaned in "".join(page.text)
    root = junit_root(rep)
    assert (root.find(".//failure").get("message") or "").endswith(cleaned)  # type: ignore[union-attr]
    _header, rows = csv_rows(rep)
    assert rows[0]["vendor"] in (cleaned, "'" + cleaned)


# --------------------------------------------------------------------------- files


def test_plan_and_write_are_idempotent_apart_from_the_timestamp(tmp_path: Any, mixed: R.Report) -> None:
    dest = str(tmp_path)
    plans = F.plan_files(mixed, dest, F.FORMATS, TS)
    assert [p.changed for p in plans] == [True] * 4
    assert [os.path.basename(p.path) for p in plans] == [
        "camguard-report.json",
        "camguard-report.csv",
        "camguard-report.html",
        "camguard-report.junit.xml",
    ]
    for p in plans:
        F.write_atomic(p.path, p.content)
    assert sorted(os.listdir(dest)) == sorted(os.path.basename(p.path) for p in plans)  # no temp files left
    before = {p.path: Path(p.path).read_bytes() for p in plans}

    later = F.plan_files(mixed, dest, F.FORMATS, "2026-12-01T08:00:00Z")
    assert [p.changed for p in later] == [False] * 4

    other = R.build_report([finding("44:19:b6:00:00:01")])
    changed = F.plan_files(other, dest, F.FORMATS, "2026-12-01T08:00:00Z")
    assert [p.changed for p in changed] == [True] * 4
    assert "2026-12-01T08:00:00Z" in changed[2].content
    assert {p.path: Path(p.path).read_bytes() for p in plans} == before  # planning writes nothing


def test_edited_file_is_changed(tmp_path: Any, mixed: R.Report) -> None:
    (plan,) = F.plan_files(mixed, str(tmp_path), ["html"], TS)
    F.write_atomic(plan.path, plan.content.replace("Lab audit", "Lab audit (edited)"))
    assert F.plan_files(mixed, str(tmp_path), ["html"], TS)[0].changed is True
    with open(plan.path, "wb") as fh:
        fh.write(b"\xff\xfe not utf-8")
    assert F.plan_files(mixed, str(tmp_path), ["html"], TS)[0].changed is True


def test_write_atomic_mode_and_cleanup_on_error(tmp_path: Any) -> None:
    path = str(tmp_path / "r.csv")
    F.write_atomic(path, "a\r\nb\r\n")
    assert Path(path).read_bytes() == b"a\r\nb\r\n"
    assert os.stat(path).st_mode & 0o777 == 0o644
    with pytest.raises(OSError):
        F.write_atomic(str(tmp_path / "missing" / "r.csv"), "x")
    os.mkdir(tmp_path / "adir")
    with pytest.raises(OSError):
        F.write_atomic(str(tmp_path / "adir"), "x")
    assert sorted(os.listdir(tmp_path)) == ["adir", "r.csv"]
