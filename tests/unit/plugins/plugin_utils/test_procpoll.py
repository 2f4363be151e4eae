# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The poll spread over forked processes (``_procpoll``) returns what the threaded poll returns.

The switches are replayed at the one I/O seam (``_collect.open_transport``) from a recorded-style
IOS output set, so the children parse real CLI text; the fork inherits the seam.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from ansible_collections.camguard.network.plugins.module_utils import _collect
from ansible_collections.camguard.network.plugins.module_utils._collect import collect_target, target_from_params
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport, Target
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, SwitchData
from ansible_collections.camguard.network.plugins.plugin_utils import _procpoll
from ansible_collections.camguard.network.plugins.plugin_utils._discovery import poll

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins" / "inventory"))

from test_mac_table import SW1

SECRET = "pp-secret-never-in-errors"


@pytest.fixture
def switches(monkeypatch: pytest.MonkeyPatch) -> List[Target]:
    def fake_open(target: Target) -> ReplayTransport:
        if target.name.endswith("-down"):
            raise DeviceError(target.name, f"cannot connect to {target.host}:22: auth failed for {SECRET}")
        n = int(target.name[2:].split("-")[0])
        outputs = dict(SW1)
        # one camera MAC per switch, so that every switch's data differs
        outputs["show mac address-table"] = SW1["show mac address-table"].replace(
            "bcad.2800.0001", f"bcad.28{n:02x}.0001"
        )
        return ReplayTransport(target.name, outputs)

    monkeypatch.setattr(_collect, "open_transport", fake_open)
    names = [f"sw{i}" for i in range(1, 31)] + ["sw31-down"]
    return [target_from_params(n, "192.0.2.1", "cisco_ios", username="u", password=SECRET) for n in names]


def with_pid(t: Target) -> Tuple[SwitchData, float]:
    data, secs = collect_target(t)
    data.warnings = [*data.warnings, f"pid={os.getpid()}"]
    return data, secs


def _strip(results: Dict[str, SwitchData]) -> Tuple[Dict[str, Any], set]:  # type: ignore[type-arg]
    pids = set()
    out = {}
    for name, data in results.items():
        d = data.to_dict()
        pids.update(w for w in d["warnings"] if w.startswith("pid="))
        d["warnings"] = [w for w in d["warnings"] if not w.startswith("pid=")]
        out[name] = d
    return out, pids


def test_sharded_poll_returns_what_the_threaded_poll_returns(switches: List[Target]) -> None:
    progress: List[Tuple[int, int, str]] = []
    one, err1, _t1 = poll(switches, 8, collector=with_pid)
    many, err2, t2 = poll(
        switches, 8, collector=with_pid, processes=3, progress=lambda d, n, r: progress.append((d, n, r.switch))
    )
    a, pids_one = _strip(one)
    b, pids_many = _strip(many)
    assert len(a) == 30 and a == b
    assert pids_one == {f"pid={os.getpid()}"}
    assert len(pids_many) == 3 and f"pid={os.getpid()}" not in pids_many, "the switches were not polled in 3 children"
    assert err1 == err2 and set(err2) == {"sw31-down"}
    assert SECRET not in err2["sw31-down"] and "auth failed" in err2["sw31-down"]
    assert sorted(t2) == sorted(t.name for t in switches)
    # progress is reported in the parent, once per switch, in order of arrival
    assert [d for d, _n, _s in progress] == list(range(1, 32))
    assert {n for _d, n, _s in progress} == {31}
    assert sorted(s for _d, _n, s in progress) == sorted(t.name for t in switches)


def test_a_child_that_dies_costs_only_its_unreported_switches(switches: List[Target]) -> None:
    def dies_on_sw7(t: Target) -> Tuple[SwitchData, float]:
        if t.name == "sw7":
            os._exit(3)  # the child is killed in the middle of its shard
        return collect_target(t)

    ok, errors, timings = poll(switches, 4, collector=dies_on_sw7, processes=2)
    assert set(ok) | set(errors) == {t.name for t in switches}, "a switch was lost"
    assert not set(ok) & set(errors)
    assert "sw7" in errors and "exit status 3" in errors["sw7"] and "sw7" in errors["sw7"]
    # sw7 is in the first shard (targets dealt round-robin): every switch of the other shard is fine
    other_shard = [t.name for t in switches[1::2] if not t.name.endswith("-down")]
    assert set(other_shard) <= set(ok)
    assert all(SECRET not in e for e in errors.values())
    assert len(timings) == len(switches)


def test_poll_sharded_spreads_the_threads() -> None:
    seen: List[Any] = list(
        _procpoll.poll_sharded(
            list(range(12)),
            concurrency=6,
            processes=3,
            one=lambda i: (i, os.getpid()),
            name_of=str,
            failed=lambda t, msg: (t, msg),
        )
    )
    assert sorted(i for i, _pid in seen) == list(range(12))
    pids = {pid for _i, pid in seen}
    assert len(pids) == 3 and os.getpid() not in pids
    # round-robin: item i goes to child i % 3
    by_pid: Dict[int, List[int]] = {}
    for i, pid in seen:
        by_pid.setdefault(pid, []).append(i)
    assert sorted(sorted(v) for v in by_pid.values()) == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]


@pytest.mark.parametrize(
    ("total", "concurrency", "cpus", "expected"),
    [(10, 20, 8, 1), (100, 20, 2, 2), (100, 20, 8, 4), (1000, 50, 16, 12), (1000, 4, 16, 1), (500, 20, 1, 1)],
)
def test_default_processes(
    monkeypatch: pytest.MonkeyPatch, total: int, concurrency: int, cpus: int, expected: int
) -> None:
    monkeypatch.setattr(_procpoll.os, "sched_getaffinity", lambda _pid: set(range(cpus)))
    assert _procpoll.default_processes(total, concurrency) == expected
