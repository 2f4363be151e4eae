"""The collection playbooks always end with the report play: it writes every report and the AWX
artifacts, prints the one-screen summary, and only then fails the job, naming why.

Run through ansible-runner (the engine AWX uses), so that the ``set_stats`` artifacts are read the
way AWX reads them (``artifact_data`` of the ``playbook_on_stats`` event). The inventories are
static: these runs touch no switch (switches are unreachable, or the playbook is ``discover``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

ansible_runner = pytest.importorskip("ansible_runner")

REPO = Path(__file__).resolve().parents[3]
COLLECTIONS = REPO / ".build" / "collections"

CAM = "c0:56:e3:11:22:33"


def _finding(switch: str, interface: str, mac: str = CAM) -> Dict[str, Any]:
    return {
        "mac": mac,
        "ip": None,
        "switch": switch,
        "interface": interface,
        "vlan": 10,
        "location_confidence": "edge",
        "evidence": [f"{mac} learned on {interface}, an access port"],
        "seen_on": [[switch, interface]],
        "first_seen": None,
        "last_seen": None,
        "verdict": {
            "mac": mac,
            "status": "named",
            "vendor_key": "hikvision",
            "vendor_name": "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "basis": [],
            "matched_prefix": "C056E3",
            "prefix_bits": 24,
            "source": "policy",
            "registry_org": None,
            "waiver": None,
            "default_action": "isolate",
            "restricted": True,
        },
    }


def _run(
    tmp_path: Path,
    playbook: str,
    inventory: Dict[str, Any],
    extravars: Optional[Dict[str, Any]] = None,
    limit: Optional[str] = None,
) -> Dict[str, Any]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "runner").mkdir(exist_ok=True)
    inv = tmp_path / "inventory.yml"
    inv.write_text(yaml.safe_dump(inventory), encoding="utf-8")
    reports = tmp_path / "reports"
    env = {
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "CAMGUARD_REPORT_DIR": str(reports),
        "CAMGUARD_STATE_DIR": str(tmp_path / "state"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    }
    r = ansible_runner.run(
        private_data_dir=str(tmp_path / "runner"),
        playbook=f"camguard.network.{playbook}",
        inventory=str(inv),
        envvars=env,
        extravars=extravars or {},
        limit=limit,
        quiet=True,
    )
    stats: Dict[str, Any] = {}
    for ev in r.events:
        if ev.get("event") == "playbook_on_stats":
            stats = ev.get("event_data", {}).get("artifact_data") or {}
    out = r.stdout.read()
    return {"rc": r.rc, "stats": stats, "stdout": out, "reports": reports}


def _report(res: Dict[str, Any]) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads((res["reports"] / "camguard-report.json").read_text(encoding="utf-8"))
    return data


def _inventory(polled: Dict[str, List[Dict[str, Any]]], unreachable: Dict[str, str]) -> Dict[str, Any]:
    hosts: Dict[str, Any] = {name: {"camguard_findings": f} for name, f in polled.items()}
    hosts.update({name: {"camguard_error": err} for name, err in unreachable.items()})
    groups: Dict[str, Any] = {"camguard_switches": {"hosts": hosts}}
    if unreachable:
        groups["camguard_unreachable"] = {"hosts": {h: None for h in unreachable}}
    return {"all": {"children": groups}}


def test_audit_with_no_switch_polled_fails_after_writing_report_and_artifacts(tmp_path: Path) -> None:
    inv = _inventory({}, {"access-01": "timed out", "access-02": "no answer"})
    res = _run(tmp_path, "audit", inv)
    assert res["rc"] != 0
    assert "not polled: access-01, access-02" in res["stdout"]
    report = _report(res)
    assert {u["switch"] for u in report["unreachable"]} == {"access-01", "access-02"}
    for name in ("camguard-report.csv", "camguard-report.html", "camguard-report.junit.xml"):
        assert (res["reports"] / name).is_file()
    summary = res["stats"]["camguard_summary"]
    assert summary["ok"] is False
    assert summary["polled"] == 0 and summary["unreachable"] == ["access-01", "access-02"]
    assert any("not polled" in r for r in summary["reasons"])
    assert res["stats"]["camguard_unreachable_switches"] == 2
    assert str(res["reports"]) == summary["report_dir"]


def test_unpolled_switches_reported_as_not_checked_when_asked(tmp_path: Path) -> None:
    inv = _inventory({}, {"access-01": "timed out"})
    res = _run(tmp_path, "audit", inv, {"camguard_unpolled": "report"})
    assert res["rc"] == 0, res["stdout"]
    assert [u["switch"] for u in _report(res)["unreachable"]] == ["access-01"]
    assert res["stats"]["camguard_summary"]["ok"] is True
    assert "1 not polled: access-01" in res["stdout"]


def test_audit_fails_on_open_devices_even_when_unpolled_switches_are_allowed(tmp_path: Path) -> None:
    # the audit's own fail-on-noncompliance must win over the playbooks' vars file default (false)
    inv = _inventory({}, {"access-01": "timed out"})
    inv["all"]["children"]["camguard_switches"]["hosts"]["access-01"]["camguard_findings"] = [
        _finding("access-01", "Gi1/0/5")
    ]
    res = _run(tmp_path, "audit", inv, {"camguard_unpolled": "report"})
    assert res["rc"] != 0
    assert "not compliant: 1 restricted device(s) open" in res["stdout"]
    assert f"{CAM} on access-01 Gi1/0/5" in res["stdout"]


def test_an_inventory_without_switches_fails_every_playbook(tmp_path: Path) -> None:
    for pb in ("discover", "isolate", "audit", "release"):
        res = _run(tmp_path / pb, pb, {"all": {"hosts": {}}}, {"camera_isolation_change_id": "CHG1"})
        assert res["rc"] != 0, pb
        assert "holds no switch" in res["stdout"], pb
        assert (res["reports"] / "camguard-report.json").is_file(), pb
        assert res["stats"]["camguard_summary"]["switches"] == 0, pb


def test_noncompliance_names_the_devices_and_switches(tmp_path: Path) -> None:
    inv = _inventory({"access-01": [_finding("access-01", "Gi1/0/5")]}, {})
    res = _run(tmp_path, "discover", inv, {"camguard_fail_on_noncompliance": True})
    assert res["rc"] != 0
    assert f"{CAM} on access-01 Gi1/0/5" in res["stdout"]
    assert res["stats"]["camguard_open"] == 1
    assert res["stats"]["camguard_summary"]["open"] == 1
    assert _report(res)["summary"]["open"] == 1


def test_discover_passes_and_summarises(tmp_path: Path) -> None:
    inv = _inventory({"access-01": [_finding("access-01", "Gi1/0/5")], "access-02": []}, {})
    res = _run(tmp_path, "discover", inv)
    assert res["rc"] == 0, res["stdout"]
    assert "2 in the inventory, 2 polled, 0 not polled" in res["stdout"]
    assert "1 found, 0 isolated, 0 waived, 1 open" in res["stdout"]
    # discover does not fail on non-compliance by default, but says which devices are open
    assert f"open (neither isolated nor waived): {CAM} on access-01 Gi1/0/5" in res["stdout"]
    assert res["stats"]["camguard_summary"]["ok"] is True


def test_report_play_runs_under_limit(tmp_path: Path) -> None:
    # --limit leaves implicit localhost out; the report play still runs on the limited switch
    inv = _inventory({"access-02": []}, {"access-01": "timed out"})
    res = _run(tmp_path, "release", inv, {"camera_isolation_change_id": "CHG2"}, limit="access-01")
    assert res["rc"] != 0
    assert "not polled: access-01" in res["stdout"]
    assert (res["reports"] / "camguard-report.json").is_file()
