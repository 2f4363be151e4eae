# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import multiprocessing
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from ansible_collections.camguard.network.plugins.module_utils._isolate.state import (
    LockTimeout,
    StateError,
    StateStore,
    audit_record,
)

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)


def _hold(root: str, ready: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event) -> None:
    with StateStore(root, "sw1").lock(5):
        ready.set()
        release.wait(10)


def test_second_run_waits_then_refuses(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    p = ctx.Process(target=_hold, args=(str(tmp_path), ready, release))
    p.start()
    try:
        assert ready.wait(10)
        with (
            pytest.raises(LockTimeout, match="another isolation run"),
            StateStore(str(tmp_path), "sw1").lock(0.2, poll=0.05),
        ):
            pass
        with StateStore(str(tmp_path), "sw2").lock(0.2):  # other switches are independent
            pass
    finally:
        release.set()
        p.join(10)
    with StateStore(str(tmp_path), "sw1").lock(1):
        pass


def test_audit_is_append_only_json_lines(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    rec = audit_record(
        now=NOW,
        user="u",
        change_id="C1",
        switch="sw1",
        port="swp3",
        mac="bc:ad:28:00:00:01",
        vendor="hikvision",
        mode="vlan",
        action="isolate",
        before={"access_vlan": 10},
        after={"access_vlan": 999},
        result="applied",
    )
    assert s.append_audit([rec]) == 1
    assert s.append_audit([dict(rec, port="swp4\nfake"), rec]) == 2
    lines = Path(s.audit_path).read_text().splitlines()
    assert len(lines) == 3 and all(json.loads(x)["switch"] == "sw1" for x in lines)
    assert json.loads(lines[1])["port"] == "swp4\nfake"  # JSON-escaped: one record per line
    assert [r["time"] for r in s.read_audit()] == ["2026-12-02T10:30:00+00:00"] * 3


def test_ports_state_roundtrip_and_corruption(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    assert s.load_ports()["ports"] == {}
    s.save_ports({"version": 1, "ports": {"swp3": {"prior": {"access_vlan": 10, "enabled": True}}}})
    assert s.load_ports()["ports"]["swp3"]["prior"]["access_vlan"] == 10
    assert not [f for f in os.listdir(s.switch_dir) if f.endswith(".tmp")]
    Path(s.ports_path).write_text("{not json")
    with pytest.raises(StateError, match=r"ports\.json"):
        s.load_ports()


def test_running_config_and_plan_files(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    path = s.save_running_config("hostname sw1", NOW)
    assert Path(path).read_text() == "hostname sw1\n" and "running-config-20261202T103000" in path
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    pp = s.write_plan("CHG-1", {"changes": []})
    assert pp.endswith("plans/CHG-1-sw1.json") and s.read_plan("CHG-1") == {"changes": []}


@pytest.mark.parametrize("bad", ["../etc", "a/b", "", ".", "sw 1", "sw1\n"])
def test_unsafe_names_never_become_paths(tmp_path: Path, bad: str) -> None:
    with pytest.raises(StateError):
        StateStore(str(tmp_path), bad)
    with pytest.raises(StateError):
        StateStore(str(tmp_path), "sw1").plan_path(bad or "x/y")
