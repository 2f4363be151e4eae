# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Concurrency: two isolation runs against one switch never interleave (the second waits for
the per-switch lock, or refuses when its lock timeout is up); runs against different switches
proceed in parallel (AWX job slicing by switch is safe); concurrent audit appends from many
processes never tear a line.

Each run is a real process (``multiprocessing``, fork) executing ``_isolate.apply.run_isolation`` with a
shared state directory. The switch is a JSON file behind the Transport seam: its config
sessions interpret the rendered IOS lines, so a second run sees the first run's change.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import LiveState
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import (
    LockTimeout,
    StateStore,
    audit_record,
)
from ansible_collections.camguard.network.plugins.module_utils._records import MacEntry, PortInfo

REPO = Path(__file__).resolve().parents[3]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
CTX = mp.get_context("fork")
WAIT = 30.0  # generous upper bound for a peer process to reach a rendezvous (never asserted)


def port(n: int) -> str:
    return f"GigabitEthernet1/0/{n}"


def cam(n: int) -> str:
    return f"bc:ad:28:00:00:{n:02x}"


def write_switch(path: Path, ports: int = 8) -> None:
    state = {
        "ports": {port(n): {"vlan": 10, "enabled": True} for n in range(1, ports + 1)},
        "macs": [[cam(n), port(n)] for n in range(1, ports + 1)],
    }
    path.write_text(json.dumps(state), encoding="utf-8")


class FileSwitch(Transport):
    """A switch whose state is a JSON file; its config session applies IOS interface lines."""

    def __init__(self, name: str, path: Path, trace: Path, hooks: Dict[str, Any]) -> None:
        self.name = name
        self.path = path
        self.trace = trace
        self.hooks = hooks

    def log(self, what: str) -> None:
        fd = os.open(self.trace, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{what} {self.name} {self.hooks['run']}\n".encode())
        finally:
            os.close(fd)

    def state(self) -> Dict[str, Any]:
        return json.loads(self.path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        if command == "write memory":
            return "Building configuration...\n[OK]"
        if command == "show running-config":
            return "\n".join(
                f"interface {p}\n switchport access vlan {v['vlan']}" for p, v in self.state()["ports"].items()
            )
        raise AssertionError(f"unexpected command {command!r}")

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        self.log("enter")
        inside = self.hooks.get("inside")
        if inside is not None:
            inside()
        st = self.state()
        cur = None
        for line in lines:
            m = re.match(r"^interface (\S+)$", line)
            if m:
                cur = m.group(1)
                continue
            m = re.match(r"^ switchport access vlan (\d+)$", line)
            if m and cur:
                st["ports"][cur]["vlan"] = int(m.group(1))
            elif line == " shutdown" and cur:
                st["ports"][cur]["enabled"] = False
            elif line == "exit":
                cur = None
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(st), encoding="utf-8")
        os.replace(tmp, self.path)
        self.log("exit")
        return "\n".join(lines)


def reader_for(sw: FileSwitch) -> Any:
    def read(transport: Transport, with_config: bool) -> LiveState:
        st = sw.state()
        sw.log("read")
        ports = [PortInfo(p, "access", v["vlan"], "", v["enabled"]) for p, v in st["ports"].items()]
        macs = [MacEntry(m, 10, p, switch=sw.name) for m, p in st["macs"]]
        return LiveState(ports=ports, macs=macs, neighbors=[], acl_ports=set(), running_config="")

    return read


def run(
    state_dir: str,
    switch: str,
    switch_file: str,
    trace: str,
    run_id: str,
    ports: List[int],
    lock_timeout: float,
    inside: Any,
    out: Any,
) -> None:
    """One isolation run in its own process; reports a small result dict through ``out``."""
    try:
        sw = FileSwitch(switch, Path(switch_file), Path(trace), {"run": run_id, "inside": inside})
        targets = [PortTarget(mac=cam(n), interface=port(n), vlan=10, vendor_key="hikvision") for n in ports]
        res = run_isolation(
            sw,
            "cisco_ios",
            switch,
            targets,
            Options(mode="vlan", change_id=run_id, now=NOW, max_ports=20),
            StateStore(state_dir, switch),
            TEMPLATES,
            user=run_id,
            lock_timeout=lock_timeout,
            reader=reader_for(sw),
        )
        out.put({"run": run_id, "ok": not res.failed, "changed": [c.interface for c in res.plan.changes]})
    except LockTimeout as exc:
        out.put({"run": run_id, "ok": False, "lock_timeout": str(exc)})
    except BaseException as exc:  # the parent must see any failure, not a hang
        out.put({"run": run_id, "ok": False, "error": f"{type(exc).__name__}: {exc}"})


def _join(*procs: Any) -> None:
    for p in procs:
        p.join(WAIT * 2)
        if p.is_alive():
            p.kill()
            p.join()
            raise AssertionError(f"process {p.pid} hung")


def _trace(path: Path) -> List[List[str]]:
    return [ln.split() for ln in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def env(tmp_path: Path) -> Dict[str, Any]:
    for name in ("sw1", "sw2"):
        write_switch(tmp_path / f"{name}.json")
    return {"state": str(tmp_path / "state"), "trace": tmp_path / "trace.log", "dir": tmp_path}


def test_second_run_on_the_same_switch_waits_and_never_interleaves(env: Dict[str, Any]) -> None:
    a_inside, b_starting = CTX.Event(), CTX.Event()

    def hold() -> None:  # run A, inside its config session: let B start, give it time to collide
        a_inside.set()
        b_starting.wait(WAIT)
        time.sleep(0.5)

    out = CTX.Queue()
    sw = str(env["dir"] / "sw1.json")
    pa = CTX.Process(target=run, args=(env["state"], "sw1", sw, str(env["trace"]), "CHG-A", [1, 2, 3], 30.0, hold, out))
    pa.start()
    assert a_inside.wait(WAIT), "run A never reached its config session"
    pb = CTX.Process(target=run, args=(env["state"], "sw1", sw, str(env["trace"]), "CHG-B", [3, 4, 5], 30.0, None, out))
    pb.start()
    b_starting.set()
    _join(pa, pb)
    results = {r["run"]: r for r in (out.get(timeout=WAIT), out.get(timeout=WAIT))}
    assert results["CHG-A"] == {"run": "CHG-A", "ok": True, "changed": [port(1), port(2), port(3)]}
    # B waited for A and read the switch after A's change: port 3 is already isolated
    assert results["CHG-B"] == {"run": "CHG-B", "ok": True, "changed": [port(4), port(5)]}

    events = [(e[0], e[2]) for e in _trace(env["trace"])]
    first_b = events.index(("read", "CHG-B"))
    assert ("exit", "CHG-A") in events[:first_b], f"B read the switch while A was in its session: {events}"
    assert [e for e in events if e[0] != "read"] == [
        ("enter", "CHG-A"),
        ("exit", "CHG-A"),
        ("enter", "CHG-B"),
        ("exit", "CHG-B"),
    ]

    audit = StateStore(env["state"], "sw1").read_audit()
    assert [r["change_id"] for r in audit] == ["CHG-A"] * 3 + ["CHG-B"] * 2, "audit records interleaved"
    assert [r["port"] for r in audit] == [port(1), port(2), port(3), port(4), port(5)]
    assert all(r["result"] == "applied" for r in audit)


def test_second_run_refuses_when_its_lock_timeout_is_up(env: Dict[str, Any]) -> None:
    a_inside, b_done = CTX.Event(), CTX.Event()

    def hold() -> None:
        a_inside.set()
        b_done.wait(WAIT)

    out = CTX.Queue()
    sw = str(env["dir"] / "sw1.json")
    pa = CTX.Process(target=run, args=(env["state"], "sw1", sw, str(env["trace"]), "CHG-A", [1], 30.0, hold, out))
    pa.start()
    assert a_inside.wait(WAIT)
    pb = CTX.Process(target=run, args=(env["state"], "sw1", sw, str(env["trace"]), "CHG-B", [2], 0.0, None, out))
    pb.start()
    rb = out.get(timeout=WAIT)
    b_done.set()
    _join(pa, pb)
    ra = out.get(timeout=WAIT)
    assert rb["run"] == "CHG-B" and not rb["ok"]
    assert "sw1" in rb["lock_timeout"] and "refusing to run concurrently" in rb["lock_timeout"]
    assert ra == {"run": "CHG-A", "ok": True, "changed": [port(1)]}
    assert all(e[2] == "CHG-A" for e in _trace(env["trace"])), "the refused run touched the switch"
    assert json.loads((env["dir"] / "sw1.json").read_text())["ports"][port(2)]["vlan"] == 10
    assert [r["change_id"] for r in StateStore(env["state"], "sw1").read_audit()] == ["CHG-A"]


def test_runs_on_different_switches_proceed_in_parallel(env: Dict[str, Any]) -> None:
    """Job slicing by switch: both runs are inside their config sessions at the same time (the
    barrier only opens when both arrive), so there is no lock across switches."""
    barrier = CTX.Barrier(2, timeout=WAIT)

    def meet() -> None:
        barrier.wait()

    out = CTX.Queue()
    procs = [
        CTX.Process(
            target=run,
            args=(
                env["state"],
                name,
                str(env["dir"] / f"{name}.json"),
                str(env["trace"]),
                f"CHG-{name}",
                [1, 2],
                30.0,
                meet,
                out,
            ),
        )
        for name in ("sw1", "sw2")
    ]
    for p in procs:
        p.start()
    _join(*procs)
    results = {r["run"]: r for r in (out.get(timeout=WAIT), out.get(timeout=WAIT))}
    assert all(r["ok"] for r in results.values()), results
    audit = StateStore(env["state"], "sw1").read_audit()  # one audit log for the whole state dir
    assert sorted((r["switch"], r["port"]) for r in audit) == sorted(
        (s, port(n)) for s in ("sw1", "sw2") for n in (1, 2)
    )
    for s in ("sw1", "sw2"):
        assert StateStore(env["state"], s).load_ports()["ports"].keys() == {port(1), port(2)}


def _append_many(state_dir: str, switch: str, count: int) -> None:
    store = StateStore(state_dir, switch)
    for i in range(count):
        rec = audit_record(
            now=NOW,
            user="slice",
            change_id=f"CHG-{switch}",
            switch=switch,
            port=port(i % 48 + 1),
            mac=cam(i % 200),
            vendor="hikvision",
            mode="vlan",
            action="isolate",
            before={"access_vlan": 10, "enabled": True, "acl": False},
            after={"access_vlan": 999, "enabled": True, "acl": False},
            result="applied",
            detail="x" * (i % 4000),
        )
        store.append_audit([rec, dict(rec, action="verify")])


def test_concurrent_audit_appends_never_tear_a_line(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    procs = [CTX.Process(target=_append_many, args=(state, f"sw{i}", 150)) for i in range(4)]
    for p in procs:
        p.start()
    _join(*procs)
    for p in procs:
        assert p.exitcode == 0
    records = StateStore(state, "sw0").read_audit()  # raises on any torn (non-JSON) line
    assert len(records) == 4 * 150 * 2
    for i in range(4):
        mine = [r for r in records if r["switch"] == f"sw{i}"]
        assert len(mine) == 300
        # each batch (isolate + verify) is one write: its two lines stay adjacent
        idx = [n for n, r in enumerate(records) if r["switch"] == f"sw{i}"]
        assert all(idx[k + 1] == idx[k] + 1 for k in range(0, len(idx), 2))
