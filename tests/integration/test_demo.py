"""`make demo` end to end: the lab, discover -> isolate -> audit, traffic proof, reports.

tools/demo.py exits 0 only when the audit failed before isolation for the right reason, passed
after it, and every traffic check matched; this test runs it as `make demo` does and then opens
the HTML report in headless Chromium and checks every restricted device of the lab is a row, the
JUnit file is valid with matching counts and the CSV has the documented columns.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import _browser

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / ".build" / "demo"

pytestmark = [pytest.mark.lab, pytest.mark.browser]


@pytest.fixture(scope="module")
def demo(lab_root: None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"))
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    print(proc.stdout[-4000:], proc.stderr[-4000:])
    return proc


@pytest.fixture(scope="module")
def lab_root() -> None:
    from conftest import need_root

    need_root()


def test_demo_passes_and_leaves_nothing(demo: subprocess.CompletedProcess[str]) -> None:
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    out = demo.stdout
    assert "audit before isolation failed as it must" in out
    assert "audit after isolation passed" in out
    assert out.count("[ok ]") == 5 and "[BAD]" not in out
    m = re.search(r"run (cg[0-9a-f]+)", out)
    assert m, "the demo did not print its lab run prefix"
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert not [n for n in names.splitlines() if n.startswith(m.group(1) + "-")], "demo namespaces left behind"
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    assert m.group(1) not in links, "demo veths left behind"
    report = json.loads((WORK / "reports" / "camguard-report.json").read_text())
    assert report["summary"]["compliant"] is True
    assert report["summary"]["isolated"] == 3 and report["summary"]["waived"] == 1


def test_demo_report_shows_every_camera_in_chromium(
    demo: subprocess.CompletedProcess[str], chromium: str, tmp_path: Path
) -> None:
    assert demo.returncode == 0
    report = json.loads((WORK / "reports" / "camguard-report.json").read_text())
    macs = {d["mac"] for d in report["devices"]}
    assert len(macs) == 4  # three cameras and the NVR of the small lab
    proc = _browser(chromium, tmp_path / "profile", "--dump-dom", (WORK / "reports" / "camguard-report.html").as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    for mac in macs:
        assert mac in dom, f"{mac} missing from the rendered report"
    assert "Compliant" in dom


def test_demo_junit_and_csv(demo: subprocess.CompletedProcess[str]) -> None:
    assert demo.returncode == 0
    report = json.loads((WORK / "reports" / "camguard-report.json").read_text())
    root = ET.parse(WORK / "reports" / "camguard-report.junit.xml").getroot()
    cases = root.findall(".//testcase")
    # one case per restricted device (no switch was unreachable), none failing after isolation
    assert len(cases) == len(report["devices"]) == 4
    assert root.findall(".//failure") == [] and root.findall(".//error") == []
    assert sum(int(s.get("tests", "0")) for s in root.iter("testsuite")) == len(cases)
    with open(WORK / "reports" / "camguard-report.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {"mac", "ip", "vendor", "switch", "interface"} <= set(rows[0])
    assert {r["mac"] for r in rows} == {d["mac"] for d in report["devices"]}
