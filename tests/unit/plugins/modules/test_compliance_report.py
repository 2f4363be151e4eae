# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camguard.network.compliance_report run in-process through AnsibleModule (see conftest.run_module)."""

from __future__ import annotations

import csv
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from builders import finding_dict

from ansible_collections.camguard.network.plugins.module_utils._records import Waiver
from ansible_collections.camguard.network.plugins.modules import compliance_report

TS = "2026-11-30T12:00:00Z"
FILES = ["camguard-report.json", "camguard-report.csv", "camguard-report.html", "camguard-report.junit.xml"]


def _finding(
    mac: str, switch: str, interface: str, vendor: str, name: str, waiver: Optional[Waiver] = None
) -> Dict[str, Any]:
    return finding_dict(
        mac,
        switch,
        interface,
        vendor_key=vendor,
        vendor_name=name,
        basis=("us_ndaa_fy2019_s889", "uk_wms_2022_11_24"),
        by_policy=True,
        waiver=waiver,
        ip="10.10.10.21",
    )


FINDINGS: List[Dict[str, Any]] = [
    _finding("44:19:b6:10:20:30", "lab-sw1", "swp3", "hikvision", "Hangzhou Hikvision Digital Technology Co.,Ltd."),
    _finding("e0:50:8b:aa:bb:01", "lab-sw2", "swp4", "dahua", "Zhejiang Dahua Technology Co., Ltd."),
    _finding(
        "00:18:82:12:34:56",
        "lab-sw2",
        "swp5",
        "huawei",
        "HUAWEI TECHNOLOGIES CO.,LTD",
        waiver=Waiver(owner="facilities", reason="lift controller", ticket="RISK-17", expires="2099-03-31"),
    ),
]
RESULTS = [
    {
        "switch": "lab-sw1",
        "interface": "swp3",
        "mac": "44:19:b6:10:20:30",
        "mode": "vlan",
        "action": "isolated",
        "change_id": "CHG0012345",
    },
    {"switch": "lab-sw2", "interface": "swp4", "mode": "acl", "action": "isolated", "change_id": "CHG0012345"},
]


def _args(dest: Path, **extra: Any) -> Dict[str, Any]:
    args: Dict[str, Any] = {"findings": FINDINGS, "results": RESULTS, "dest": str(dest), "policy_version": "2026.11.30"}
    args.update(extra)
    return args


def _snapshot(dest: Path) -> Dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dest.iterdir())}


def test_writes_all_formats_then_second_run_is_unchanged(run_module: Any, tmp_path: Path) -> None:
    dest = tmp_path / "reports" / "nested"
    first = run_module(compliance_report.main, _args(dest, generated_at=TS))
    assert first["failed"] is False, first
    assert first["changed"] is True
    assert [f["changed"] for f in first["files"]] == [True] * 4
    assert sorted(os.listdir(dest)) == sorted(FILES)
    assert first["summary"]["compliant"] is True
    assert (first["summary"]["restricted"], first["summary"]["isolated"], first["summary"]["waived"]) == (3, 2, 1)
    assert first["stats"]["camguard_compliant"] is True
    assert first["stats"]["camguard_report_files"] == [str(dest / f) for f in FILES]
    assert first["generated_at"] == TS
    before = _snapshot(dest)

    # idempotency twin: same input, a later clock; nothing changes, nothing is rewritten
    second = run_module(compliance_report.main, _args(dest))
    assert second["failed"] is False
    assert second["changed"] is False
    assert [f["changed"] for f in second["files"]] == [False] * 4
    assert _snapshot(dest) == before
    assert json.loads(before["camguard-report.json"])["generated_at"] == TS


def test_check_mode_writes_nothing(run_module: Any, tmp_path: Path) -> None:
    dest = tmp_path / "r"
    result = run_module(compliance_report.main, _args(dest), check_mode=True)
    assert result["failed"] is False and result["changed"] is True
    assert result["summary"]["restricted"] == 3
    assert not dest.exists()

    run_module(compliance_report.main, _args(dest, generated_at=TS))
    before = _snapshot(dest)
    changed_input = _args(dest, results=RESULTS[:1])
    check = run_module(compliance_report.main, changed_input, check_mode=True)
    assert check["changed"] is True
    assert check["summary"]["compliant"] is False
    assert _snapshot(dest) == before


def test_content_change_rewrites_only_changed_formats(run_module: Any, tmp_path: Path) -> None:
    run_module(compliance_report.main, _args(tmp_path, generated_at=TS))
    result = run_module(
        compliance_report.main, _args(tmp_path, title="Site B audit", generated_at="2026-12-01T00:00:00Z")
    )
    assert result["changed"] is True
    # the CSV has no title: unchanged; the others carry it
    assert {f["format"]: f["changed"] for f in result["files"]} == {
        "json": True,
        "csv": False,
        "html": True,
        "junit": True,
    }
    assert "2026-12-01T00:00:00Z" in (tmp_path / "camguard-report.html").read_text()


def test_outputs_are_consistent(run_module: Any, tmp_path: Path) -> None:
    unreachable = [{"switch": "lab-sw3", "error": "SSH timeout"}]
    result = run_module(compliance_report.main, _args(tmp_path, results=RESULTS[:1], unreachable=unreachable))
    s = result["summary"]
    assert (s["isolated"], s["waived"], s["open"], s["unreachable_switches"]) == (1, 1, 1, 1)
    assert s["compliant"] is False
    with open(tmp_path / "camguard-report.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["mac"] for r in rows] == ["44:19:b6:10:20:30", "e0:50:8b:aa:bb:01", "00:18:82:12:34:56"]
    root = ET.parse(tmp_path / "camguard-report.junit.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    doc = json.loads((tmp_path / "camguard-report.json").read_text())
    assert doc["summary"] == s
    # the shipped policy's legal-basis titles are used by default
    assert doc["legal_bases"]["uk_wms_2022_11_24"]["title"].startswith("UK Written Ministerial Statement")
    assert "UK Written Ministerial Statement" in (tmp_path / "camguard-report.html").read_text()


def test_formats_subset(run_module: Any, tmp_path: Path) -> None:
    result = run_module(compliance_report.main, _args(tmp_path, formats=["junit", "csv"]))
    assert [f["format"] for f in result["files"]] == ["junit", "csv"]
    assert sorted(os.listdir(tmp_path)) == ["camguard-report.csv", "camguard-report.junit.xml"]


def test_fail_on_noncompliance_still_writes(run_module: Any, tmp_path: Path) -> None:
    result = run_module(compliance_report.main, _args(tmp_path, results=[], fail_on_noncompliance=True))
    assert result["failed"] is True and result["rc"] == 1
    assert result["msg"] == "not compliant: 2 restricted device(s) neither isolated nor waived"
    assert result["summary"]["open"] == 2
    assert sorted(os.listdir(tmp_path)) == sorted(FILES)


def test_expired_waiver_by_today(run_module: Any, tmp_path: Path) -> None:
    result = run_module(compliance_report.main, _args(tmp_path, today="2099-04-01"), check_mode=True)
    assert result["summary"]["expired_waivers"] == 1 and result["summary"]["compliant"] is False
    result = run_module(compliance_report.main, _args(tmp_path, today="2099-03-31"), check_mode=True)
    assert result["summary"]["expired_waivers"] == 0 and result["summary"]["compliant"] is True


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"findings": [{"mac": "nope", "switch": "s", "interface": "p", "verdict": {"status": "named"}}]},
            "findings[0].mac: invalid MAC address 'nope'",
        ),
        ({"results": [{"switch": "s", "interface": "p", "action": "zap"}]}, "results[0].action: 'zap' is not one of"),
        ({"unreachable": [42]}, "unreachable[0]: expected a dict, got int"),
        ({"generated_at": "<now>"}, "generated_at: '<now>' is not a timestamp"),
        ({"today": "tomorrow"}, "today: 'tomorrow' is not an ISO date"),
        ({"formats": ["pdf"]}, "value of formats must be one or more of"),
    ],
)
def test_bad_arguments_fail_clearly(run_module: Any, tmp_path: Path, extra: Dict[str, Any], message: str) -> None:
    result = run_module(compliance_report.main, _args(tmp_path, **extra))
    assert result["failed"] is True
    assert message in result["msg"]
    assert not any(tmp_path.iterdir())


def test_dest_is_a_file(run_module: Any, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = run_module(compliance_report.main, _args(target))
    assert result["failed"] is True and result["msg"] == f"dest: {target} exists and is not a directory"


def test_unwritable_dest_fails_with_path(run_module: Any, tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    (parent / "camguard-report.html").mkdir()  # a directory where the file should go
    result = run_module(compliance_report.main, _args(parent, formats=["html"]))
    assert result["failed"] is True
    assert result["msg"].startswith(f"cannot write the report into {parent}:")
