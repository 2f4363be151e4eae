# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Crash consistency: a run killed at any step of its session, on every vendor-CLI platform of the
lab (in-process, ``_labcli``), is repaired by the next run, which says so.

For each platform and mode the controller dies after the Nth line reached the switch, for every
N from 0 (the intent is written, nothing sent) to the last line, and at each step after the last
line (before the saved state, the audit records, the closing of the intent are written). Then:

- the intent of the killed run was on disk before its first line;
- the next run repairs it (completes it when everything took effect, else rolls back what did),
  records that in the audit log, and then applies its own plan: the switch's whole running
  configuration is what a run that was never killed leaves, and so is the saved state;
- a release afterwards leaves the running configuration as the clean isolate-and-release does.

Reproduced first: before the intent and the repair, the run after a kill reported "already in
the quarantine VLAN and has no saved prior state" and release left the port in VLAN 999.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labcli import CAM, Killed, LabSwitch

from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import (
    RunResult,
    config_lines,
    run_isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import (
    StateStore,
    verify_audit_log,
)

REPO = Path(__file__).resolve().parents[5]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve")
NVR = "10.66.10.20/32"
OUTCOME_STEPS = ("save_ports", "append_audit", "finish_intent")


@pytest.fixture(autouse=True)
def _no_disk_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests kill the controller, not the machine: what a dead process wrote is there for the
    next one whether or not it reached the disk, so skip the (slow) flushes."""
    monkeypatch.setattr("os.fsync", lambda fd: None)


def go(
    lab: LabSwitch,
    state: Path,
    mode: str,
    kill: Optional[int] = None,
    run_state: str = "isolated",
    peers: Tuple[str, ...] = (NVR,),
    change_id: str = "CHG-1",
) -> RunResult:
    return run_isolation(
        lab.transport(kill),
        lab.platform,
        "sw1",
        [PortTarget(CAM, lab.port(3), 10, "hikvision")],
        Options(mode=mode, state=run_state, change_id=change_id, allowed_peers=peers, now=NOW),
        StateStore(str(state), "sw1"),
        TEMPLATES,
        user="pytest",
    )


def config(lab: LabSwitch) -> List[str]:
    return config_lines(lab.running_config())


def saved_ports(state: Path) -> Dict[str, Any]:
    path = state / "sw1" / "ports.json"
    data = json.loads(path.read_text()) if path.exists() else {"ports": {}}
    return {k: {f: v for f, v in e.items() if f not in ("change_id", "isolated_at")} for k, e in data["ports"].items()}


_REFERENCE: Dict[Tuple[str, str], Dict[str, Any]] = {}


def reference(plat: str, mode: str, tmp: Path) -> Dict[str, Any]:
    """What runs that are never killed do: the lines they type, the configuration and saved state
    after isolate, and the configuration after release."""
    key = (plat, mode)
    if key not in _REFERENCE:
        lab = LabSwitch.make(plat)
        state = tmp / f"ref-{plat}-{mode}"
        t0 = len(lab.sessions)
        res = go(lab, state, mode)
        assert res.verified and not res.failed, res.msg
        typed = [line for t in lab.sessions[t0:] for line in t.typed]
        _REFERENCE[key] = {
            "typed": typed,
            "isolated": config(lab),
            "saved": saved_ports(state),
            "released": None,
        }
        rel = go(lab, state, mode, run_state="released")
        assert rel.verified and not rel.failed, rel.msg
        _REFERENCE[key]["released"] = config(lab)
    return _REFERENCE[key]


def _steps(plat: str, mode: str) -> List[Any]:
    """Kill points: after 0 .. N-1 of the N lines a clean run types, then each outcome write."""
    lab = LabSwitch.make(plat)
    with mock.patch("os.fsync"):
        res = go(lab, Path(tempfile.mkdtemp(prefix="cg-steps-")), mode)
    assert res.verified, res.msg
    return list(range(sum(len(t.typed) for t in lab.sessions))) + list(OUTCOME_STEPS)


CASES = [
    pytest.param(p, m, k, id=f"{p}-{m}-{k}")
    for p in PLATFORMS
    for m in ("vlan", "acl", "shutdown")
    for k in _steps(p, m)
]


@pytest.mark.parametrize(("plat", "mode", "step"), CASES)
def test_a_run_killed_at_any_step_is_repaired_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plat: str, mode: str, step: Any
) -> None:
    ref = reference(plat, mode, tmp_path)
    lab = LabSwitch.make(plat)
    before = config(lab)
    state = tmp_path / "state"
    if isinstance(step, int):
        with pytest.raises(Killed):
            go(lab, state, mode, kill=step)
    else:
        real = getattr(StateStore, step)

        def die(self: StateStore, *a: Any, **k: Any) -> Any:
            if self.read_intent() is not None:
                raise Killed(f"killed in {step}")
            return real(self, *a, **k)

        monkeypatch.setattr(StateStore, step, die)
        with pytest.raises(Killed):
            go(lab, state, mode)
        monkeypatch.setattr(StateStore, step, real)
    store = StateStore(str(state), "sw1")
    intent = store.read_intent()
    assert intent is not None, "the intent is on disk before the first line and until the outcome is"
    assert intent["lines"] and intent["saved_before"]["ports"] == {} and intent["plan"]["changes"]

    again = go(lab, state, mode, change_id="CHG-2")
    assert not again.failed, again.msg
    rec = again.recovered
    assert rec is not None and rec["run_id"] == intent["run_id"], again.to_dict()
    assert rec["action"] in ("completed", "rolled-back", "closed"), rec
    assert "repaired an interrupted run" in again.msg or rec["action"] == "closed"
    assert store.read_intent() is None, "the repaired run's intent is closed"
    audit = store.read_audit()
    mine = [r for r in audit if r.get("run_id") == intent["run_id"]]
    assert mine, "the killed run's outcome is on record"
    if rec["action"] != "closed":
        assert {r["result"] for r in mine} <= {"applied-recovered", "rolled-back-recovered"}, mine
    assert verify_audit_log(store.audit_path)["ok"]
    # the switch and the saved state are what a run that was never killed leaves
    assert config(lab) == ref["isolated"]
    assert saved_ports(state) == ref["saved"]
    assert lab.pending() == {"sessions": [], "candidate": False}
    # and release restores what the clean isolate-and-release restores
    rel = go(lab, state, mode, run_state="released", change_id="CHG-3")
    assert rel.verified and not rel.failed, rel.msg
    assert config(lab) == ref["released"]
    if mode == "shutdown":
        assert config(lab) == before


@pytest.mark.parametrize("plat", PLATFORMS)
def test_a_release_after_a_kill_restores_the_port(tmp_path: Path, plat: str) -> None:
    """The issue's case: the isolate killed after one port's lines, then a release: it must not
    exit 0 with the port still in the quarantine VLAN."""
    ref = reference(plat, "vlan", tmp_path)
    lab = LabSwitch.make(plat)
    before = lab.running_config()
    state = tmp_path / "state"
    # killed just before the save (config mode) / the confirming commit: every line applied
    with pytest.raises(Killed):
        go(lab, state, "vlan", kill=len(ref["typed"]) - 1)
    rel = go(lab, state, "vlan", run_state="released", change_id="CHG-2")
    assert not rel.failed and rel.recovered and rel.recovered["action"] in ("completed", "rolled-back"), rel.msg
    live = {p.name: (p.access_vlan, p.enabled) for p in _ports(lab)}
    assert live[lab.port(3)] == (10, True), "the camera port is back in its VLAN"
    if rel.recovered["action"] == "rolled-back":
        assert config_lines(lab.running_config()) == config_lines(before)
    else:
        assert config(lab) == ref["released"]


def _ports(lab: LabSwitch) -> List[Any]:
    from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import default_reader

    return list(default_reader(lab.platform, "sw1")(lab.transport(), False).ports)


@pytest.mark.parametrize("plat", PLATFORMS)
def test_check_mode_reports_an_unfinished_run_and_leaves_it(tmp_path: Path, plat: str) -> None:
    lab = LabSwitch.make(plat)
    state = tmp_path / "state"
    with pytest.raises(Killed):
        go(lab, state, "vlan", kill=3)
    store = StateStore(str(state), "sw1")
    intent = store.read_intent()
    assert intent is not None
    opts = Options(mode="vlan", change_id="CHG-2", now=NOW, check_mode=True)
    t = lab.transport()
    res = run_isolation(t, plat, "sw1", [PortTarget(CAM, lab.port(3), 10, "hikvision")], opts, store, TEMPLATES)
    assert res.recovered and res.recovered["action"] == "pending" and res.recovered["run_id"] == intent["run_id"]
    assert any("never recorded its outcome" in n for n in res.notes)
    assert t.typed == [], "check mode repairs nothing"
    assert store.read_intent() == intent
