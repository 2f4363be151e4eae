# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A failed isolation leaves no configuration behind, and every run has sessions of its own.

Rollback covers everything the session created, not only the ports: on every vendor-CLI platform
of the lab and in every mode, a switch without the quarantine VLAN (and without the ACL) that
rejects a line in the middle of the session reads back, after the rollback, with a running
configuration identical line for line to the one before the run.

Reproduced first: before, the rollback re-rendered only the ports; ``vlan 999`` (and the ACL,
when the failure came before a port was bound) stayed in the configuration while the result
said "rolled back to the saved state and verified".

Session names: EOS configure sessions and Junos commit comments carry the run's own id; a
session an earlier (killed) run left pending is aborted before the next run sends anything, and
the result says so; a Junos run killed in the middle leaves no candidate, and a shared candidate
with someone else's uncommitted changes makes the run fail before it sends a line.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, List, Optional, Sequence

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labcli import CAM, Killed, LabCLI, LabSwitch

from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import (
    RunResult,
    config_lines,
    run_isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import default_reader
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore

REPO = Path(__file__).resolve().parents[5]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve")
MODES = ("vlan", "acl", "shutdown")
# a line the switch really rejects (an interface that does not exist; on Junos a commit check
# failure: a filter that is not defined), typed after the line that matches the trigger
FAULT = {
    "cisco_ios": "interface GigabitEthernet1/0/99",
    "cisco_nxos": "interface Ethernet1/99",
    "arista_eos": "interface Ethernet99",
    "aruba_aoscx": "interface 1/1/99",
    "hp_procurve": "interface 99",
    "juniper_junos": "set interfaces ge-0/0/0 unit 0 family ethernet-switching filter input CAMGUARD-MISSING",
}


@pytest.fixture(autouse=True)
def _no_disk_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.fsync", lambda fd: None)


class Faulty(LabCLI):
    """The lab CLI that types a rejected line right after the first line matching ``after``."""

    def __init__(self, lab: LabSwitch, fault: str, after: str) -> None:
        super().__init__(lab, None)
        self.fault, self.after, self.done = fault, re.compile(after), False

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        lines = list(lines)
        if not self.done:
            for i, ln in enumerate(lines):
                if self.after.search(ln):
                    lines.insert(i + 1, self.fault)
                    self.done = True
                    break
        return super().send_config_set(lines, **kwargs)


def go(lab: LabSwitch, state: Path, mode: str, t: Optional[LabCLI] = None, **opts: Any) -> RunResult:
    o = {"mode": mode, "change_id": "CHG-1", "allowed_peers": ("10.66.10.20/32",), "now": NOW}
    o.update(opts)
    return run_isolation(
        t or lab.transport(),
        lab.platform,
        "sw1",
        [PortTarget(CAM, lab.port(3), 10, "hikvision")],
        Options(**o),
        StateStore(str(state), "sw1"),
        TEMPLATES,
        user="pytest",
    )


# where the rejected line goes: right after the session created its objects, before any port
# changed (the case the old rollback missed), and after the port's own line
TRIGGERS = {
    "objects": r"^(?:vlan 999|set vlans|\s*name|(?:ip )?access-list|set firewall|no ip access-list|\s+10 permit|\s+permit)",
    "port": (
        r"^(?:\s*switchport access vlan 999|\s*vlan access 999|\s*untagged|\s*shutdown|\s*disable|"
        r"set interfaces \S+ (?:disable|unit 0 family ethernet-switching (?:vlan members 999|filter))|"
        r"\s*(?:ip (?:port )?)?access-group|\s*apply access-list)"
    ),
}


FAILURES = [
    pytest.param(p, m, w, id=f"{p}-{m}-{w}")
    for p in PLATFORMS
    for m in MODES
    for w in sorted(TRIGGERS)
    if not (m == "shutdown" and w == "objects")  # shutting a port creates nothing
]


@pytest.mark.parametrize(("plat", "mode", "where"), FAILURES)
def test_a_failed_run_leaves_the_running_configuration_as_it_was(
    tmp_path: Path, plat: str, mode: str, where: str
) -> None:
    lab = LabSwitch.make(plat)  # no VLAN 999, no ACL
    before = config_lines(lab.running_config())
    t = Faulty(lab, FAULT[plat], TRIGGERS[where])
    res = go(lab, tmp_path, mode, t)
    assert t.done, "the rejected line was typed"
    assert res.failed and res.rolled_back, res.msg
    assert res.rollback_verified, res.msg
    assert config_lines(lab.running_config()) == before, "the rollback left configuration behind"
    assert StateStore(str(tmp_path), "sw1").read_intent() is None
    audit = StateStore(str(tmp_path), "sw1").read_audit()
    assert {r["result"] for r in audit} == {"failed-rolled-back"}


def test_the_rollback_check_names_what_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When something the session made cannot be taken back, the rollback is not called verified:
    the result names the configuration lines that differ from before."""
    lab = LabSwitch.make("cisco_ios")
    from ansible_collections.camguard.network.plugins.module_utils._isolate import apply

    monkeypatch.setattr(apply, "_cleanup", lambda *a, **k: [])
    res = go(lab, tmp_path, "vlan", Faulty(lab, FAULT["cisco_ios"], TRIGGERS["port"]))
    assert res.failed and res.rolled_back and res.rollback_verified is False
    assert "+vlan 999" in res.msg and "differs from before the change" in res.msg
    assert StateStore(str(tmp_path), "sw1").read_intent() is not None, "kept for the next run to repair"


# ----------------------------------------------------------------- session names


def test_every_run_has_its_own_eos_session_and_aborts_what_a_killed_run_left(tmp_path: Path) -> None:
    lab = LabSwitch.make("arista_eos")
    with pytest.raises(Killed):
        go(lab, tmp_path, "vlan", lab.transport(kill_after=4))
    left = lab.pending()["sessions"]
    assert len(left) == 1 and left[0].startswith("camguard-CHG-1-"), left
    # a retry with the same change ID in another mode: its own session, the old one aborted first
    t = lab.transport()
    res = go(lab, tmp_path, "shutdown", t)
    assert not res.failed and res.verified, res.msg
    assert res.run_id not in left[0]
    assert f"configure session camguard-CHG-1-{res.run_id}" in t.typed
    assert any(f"aborted configure session {left[0]}" in n for n in res.notes), res.notes
    assert lab.pending()["sessions"] == []
    live = default_reader("arista_eos", "sw1")(lab.transport(), False)
    port = next(p for p in live.ports if p.name == lab.port(3))
    # the old session's lines (VLAN 999) were never committed by the shutdown run
    assert (port.access_vlan, port.enabled) == (10, False)


def test_check_mode_only_reports_a_pending_session(tmp_path: Path) -> None:
    lab = LabSwitch.make("arista_eos")
    with pytest.raises(Killed):
        go(lab, tmp_path, "vlan", lab.transport(kill_after=4))
    t = lab.transport()
    res = go(lab, tmp_path, "vlan", t, check_mode=True)
    assert any("is pending" in n and "next run aborts it" in n for n in res.notes), res.notes
    assert t.typed == [] and len(lab.pending()["sessions"]) == 1


def test_a_session_someone_else_named_is_left_alone(tmp_path: Path) -> None:
    lab = LabSwitch.make("arista_eos")
    t = lab.transport()
    t.send_config_set(
        ["interface Ethernet4", "shutdown"], config_mode_command="configure session ops-change", exit_config_mode=False
    )
    res = go(lab, tmp_path, "shutdown")
    assert res.verified
    assert lab.pending()["sessions"] == ["ops-change"]


@pytest.mark.parametrize("step", range(1, 5))
def test_a_killed_junos_run_leaves_no_candidate(tmp_path: Path, step: int) -> None:
    lab = LabSwitch.make("juniper_junos")
    with pytest.raises(Killed):
        go(lab, tmp_path, "vlan", lab.transport(kill_after=step))
    assert lab.pending()["candidate"] is False
    res = go(lab, tmp_path, "shutdown", change_id="CHG-1")
    assert res.verified and not res.failed, res.msg
    live = default_reader("juniper_junos", "sw1")(lab.transport(), False)
    port = next(p for p in live.ports if p.name == lab.port(3))
    assert (port.access_vlan, port.enabled) == (10, False), "nothing of the killed run was committed"


def test_junos_refuses_to_commit_someone_elses_uncommitted_changes(tmp_path: Path) -> None:
    lab = LabSwitch.make("juniper_junos")
    ops = lab.transport()
    ops.send_config_set(["set interfaces ge-0/0/3 disable"], exit_config_mode=False)  # left uncommitted
    before = config_lines(lab.running_config())
    t = lab.transport()
    res = go(lab, tmp_path, "vlan", t)
    assert res.failed and "configure exclusive refused" in res.msg and "nothing was committed" in res.msg
    assert t.typed == ["configure exclusive"], "nothing but the attempt to lock the candidate"
    assert config_lines(lab.running_config()) == before


def _names(t: LabCLI) -> List[str]:
    return [ln for ln in t.typed if "camguard-" in ln]


def test_junos_commit_comments_name_the_run(tmp_path: Path) -> None:
    lab = LabSwitch.make("juniper_junos")
    t = lab.transport()
    res = go(lab, tmp_path, "shutdown", t)
    assert res.verified
    assert _names(t) == [
        f"commit confirmed 2 comment camguard-CHG-1-{res.run_id} and-quit",
        f"commit comment camguard-confirm-CHG-1-{res.run_id} and-quit",
    ]
