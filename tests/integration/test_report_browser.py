# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML compliance report opens in a real browser and shows every camera of the lab.

``ansible-playbook`` runs ``camguard.network.compliance_report`` on localhost with the findings of
three lab-like cameras (device text tagged ``!unsafe``, as the inventory plugin marks device data,
including hostile LLDP-style strings), then headless Chromium loads the page from disk and the
test reads the DOM Chromium built (``--dump-dom``, after any script would have run) and a
screenshot.

Chromium comes from the Debian packages: the session fixture runs ``apt-get install -y chromium``
as root when it is missing, and skips with the reason when it is not root or the install fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml
from browser import _browser

from ansible_collections.camguard.network.plugins.module_utils._records import Finding, Verdict, Waiver

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".build" / "collections"
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")
HOSTILE_LLDP = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
HOSTILE_TEMPLATE = "{{ 7*7 }}"


def _camera(
    mac: str,
    switch: str,
    interface: str,
    vlan: int,
    ip: str,
    vendor: str,
    name: str,
    evidence: List[str],
    waiver: Optional[Waiver] = None,
) -> Dict[str, Any]:
    verdict = Verdict(
        mac=mac,
        status="named",
        vendor_key=vendor,
        vendor_name=name,
        basis=("us_ndaa_fy2019_s889", "us_fcc_covered_list", "uk_wms_2022_11_24"),
        matched_prefix=mac[:8].upper(),
        prefix_bits=24,
        source="policy",
        registry_org=name,
        waiver=waiver,
        default_action="isolate",
    )
    return Finding(
        mac=mac,
        switch=switch,
        interface=interface,
        vlan=vlan,
        verdict=verdict,
        ip=ip,
        location_confidence="edge",
        evidence=evidence,
        seen_on=[(switch, interface), ("lab-core", "vxlan10")],
        first_seen="2026-11-30T09:00:00Z",
        last_seen="2026-11-30T09:10:00Z",
    ).to_dict()


CAMERAS = [
    _camera(
        "44:19:b6:3a:10:01",
        "lab-sw1",
        "swp3",
        10,
        "10.66.10.21",
        "hikvision",
        "Hangzhou Hikvision Digital Technology Co.,Ltd.",
        ["swp3: access port in br10, 1 MAC, no LLDP neighbour", "vxlan10 on lab-core: uplink (sees lab-sw1's own MAC)"],
    ),
    _camera(
        "e0:50:8b:3a:20:02",
        "lab-sw2",
        "swp4",
        10,
        "10.66.10.22",
        "dahua",
        "Zhejiang Dahua Technology Co., Ltd.",
        [f"swp4: access port in br10, 1 MAC, LLDP neighbour {HOSTILE_LLDP} (station)", HOSTILE_TEMPLATE],
    ),
    _camera(
        "00:18:82:3a:30:03",
        "lab-sw2",
        "swp5",
        20,
        "10.66.20.23",
        "huawei",
        "HUAWEI TECHNOLOGIES CO.,LTD",
        ["swp5: access port in br20, 1 MAC, no LLDP neighbour"],
        waiver=Waiver(
            owner="facilities", reason="door controller, replacement ordered", ticket="RISK-17", expires="2099-03-31"
        ),
    ),
]
RESULTS = [
    {
        "switch": "lab-sw1",
        "interface": "swp3",
        "mac": "44:19:b6:3a:10:01",
        "mode": "vlan",
        "action": "isolated",
        "reason": "",
        "change_id": "CHG0042",
        "time": "2026-11-30T09:20:00Z",
    },
    {
        "switch": "lab-sw2",
        "interface": "swp4",
        "mac": "e0:50:8b:3a:20:02",
        "mode": "acl",
        "action": "refused",
        "reason": "port description matches the exception pattern",
        "change_id": "CHG0042",
        "time": "2026-11-30T09:20:01Z",
    },
]


class _UnsafeDumper(yaml.SafeDumper):
    """Writes every string as ``!unsafe``: Ansible must never template device data."""


_UnsafeDumper.add_representer(str, lambda d, s: d.represent_scalar("!unsafe", s))


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: List[Tuple[str, List[str]]] = []
        self.tags: List[str] = []
        self.title = ""
        self._in_row = False
        self._in_cell = False
        self._cells: List[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "tr" and "device" in (a.get("class") or "").split():
            self._in_row, self._cells = True, []
            self.rows.append((a.get("data-mac") or "", self._cells))
        elif tag == "td" and self._in_row:
            self._in_cell = True
            self._cells.append("")
        elif tag == "title" and "svg" not in self.tags:  # the document title, not an SVG tooltip
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._in_row = False
        elif tag == "td":
            self._in_cell = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_cell and self._cells:
            self._cells[-1] += data
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the module through ansible-playbook, twice (the second run must change nothing)."""
    work = tmp_path_factory.mktemp("camguard-report-browser")
    dest = work / "reports"
    (work / "input.yml").write_text(yaml.dump({"findings": CAMERAS, "results": RESULTS}, Dumper=_UnsafeDumper))
    playbook = [
        {
            "name": "compliance report",
            "hosts": "localhost",
            "gather_facts": False,
            "vars_files": ["input.yml"],
            "tasks": [
                {
                    "name": "Write the report",
                    "camguard.network.compliance_report": {
                        "findings": "{{ findings }}",
                        "results": "{{ results }}",
                        "unreachable": [],
                        "dest": str(dest),
                        "title": "Lab compliance report",
                        "policy_version": "2026.11.30",
                        "registry_date": "2026-10-24",
                    },
                    "register": "report",
                },
                {"name": "Publish", "ansible.builtin.set_stats": {"data": "{{ report.stats }}", "aggregate": False}},
                {
                    "name": "Keep the result",
                    "ansible.builtin.copy": {"content": "{{ report | to_json }}", "dest": "{{ out }}", "mode": "0644"},
                },
            ],
        }
    ]
    (work / "site.yml").write_text(yaml.safe_dump(playbook))
    env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_HOME": str(work / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(work / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
    }
    runs = []
    for n in range(2):
        out = work / f"run{n}.json"
        proc = subprocess.run(
            [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", "-c", "local", "-e", f"out={out}", "site.yml"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        runs.append(json.loads(out.read_text()))
    first, second = runs
    assert first["changed"] is True and second["changed"] is False
    assert first["summary"] == second["summary"]
    stats = first["stats"]
    assert (
        stats["camguard_restricted"],
        stats["camguard_isolated"],
        stats["camguard_waived"],
        stats["camguard_open"],
    ) == (3, 1, 1, 1)
    return dest


def test_html_report_shows_every_camera_in_chromium(chromium: str, report_dir: Path, tmp_path: Path) -> None:
    page = report_dir / "camguard-report.html"
    proc = _browser(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = _Dom()
    dom.feed(proc.stdout)
    dom.close()

    assert dom.title == "Lab compliance report"  # no script ran and renamed it
    assert "script" not in dom.tags and "img" not in dom.tags
    macs = [mac for mac, _cells in dom.rows]
    assert macs == [c["mac"] for c in CAMERAS]
    cells = dict(dom.rows)
    # MAC, IP, vendor, status, basis, switch, interface, VLAN, confidence, evidence, action, change ID, waiver, outcome
    hik = cells["44:19:b6:3a:10:01"]
    assert (hik[0], hik[1], hik[5], hik[6], hik[7]) == ("44:19:b6:3a:10:01", "10.66.10.21", "lab-sw1", "swp3", "10")
    assert hik[10].startswith("isolated") and hik[11] == "CHG0042" and hik[13].startswith("isolated")
    dahua = cells["e0:50:8b:3a:20:02"]
    assert HOSTILE_LLDP in dahua[9] and HOSTILE_TEMPLATE in dahua[9]  # device text shown as text
    assert dahua[10].startswith("refused") and dahua[13].startswith("open")
    huawei = cells["00:18:82:3a:30:03"]
    assert huawei[12].startswith("RISK-17") and huawei[13].startswith("waived")
    assert "us_ndaa_fy2019_s889" in hik[4]


def test_html_report_screenshot(chromium: str, report_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    proc = _browser(
        chromium,
        tmp_path / "profile",
        "--window-size=1400,1200",
        f"--screenshot={shot}",
        (report_dir / "camguard-report.html").as_uri(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 1200)


def test_other_formats_from_the_same_run(report_dir: Path) -> None:
    import csv

    with open(report_dir / "camguard-report.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["mac"] for r in rows] == [c["mac"] for c in CAMERAS]
    root = ET.parse(report_dir / "camguard-report.junit.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    assert len(root.findall(".//testcase")) == 3 and len(root.findall(".//failure")) == 1
    doc = json.loads((report_dir / "camguard-report.json").read_text())
    assert HOSTILE_TEMPLATE in doc["devices"][1]["evidence"]  # Ansible did not template device data
