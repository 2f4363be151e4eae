# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Batched configuration over real SSH: 20 ports on one switch of every vendor-CLI platform.

One FakeNOS fleet (``lab/fakenos_fleet.py``) serves one switch per platform (cisco_ios, cisco_nxos,
arista_eos, juniper_junos, aruba_aoscx, hp_procurve) with 24 access ports and a Hikvision camera on
each of the first 20. ``run_isolation`` over ``NetmikoTransport`` (the code ``port_isolation``
runs) with ``config_batch_lines=16``, per platform and mode (vlan, acl):

- isolate all 20 ports in one configuration session typed in batches of at most 16 lines: every
  port reads back isolated through the collection's parsers of the switch's ``show`` output;
- release: the switch reads back exactly as before;
- a line the switch really rejects, inserted in the middle of the second batch: the session fails
  on it, the change is rolled back (EOS/Junos: the session/candidate is discarded) and the switch
  is exactly as before, down to its running configuration and its persisted state.

What the client typed is observed on the netmiko connection (a recording wrapper of its
``write_channel``, which still writes): the batches really went over the wire as batches.

Run: .venv/bin/python -m pytest -q tests/integration/test_isolation_batched.py
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
for _path in (REPO, Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

pytest.importorskip("netmiko")
pytest.importorskip("fakenos")

from test_isolation_vendor_cli import Snapshot, _known_hosts  # noqa: E402
from test_isolation_vendor_cli import Switch as CliSwitch  # noqa: E402

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (  # noqa: E402
    Transport,
    config_batches,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import (  # noqa: E402
    RunResult,
    run_isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore  # noqa: E402
from lab.fakenos_fleet import FleetHandle, _free_ports, start_fleet, stop_fleet  # noqa: E402
from lab.nos import PLATFORMS, make_view, port_name  # noqa: E402

pytestmark = pytest.mark.fakenos

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
MODES = ("vlan", "acl")
PORTS = 20
BATCH = 16
NVR = "10.66.10.20/32"
CAMS = [f"bc:ad:28:01:00:{n:02x}" for n in range(1, PORTS + 1)]  # Hikvision
# A line the switch rejects as it is typed (an interface that does not exist), in its own words.
REJECTED = {
    "cisco_ios": "interface GigabitEthernet1/0/99",
    "cisco_nxos": "interface Ethernet1/99",
    "arista_eos": "interface Ethernet99",
    "aruba_aoscx": "interface 1/1/99",
    "hp_procurve": "interface 99",
    "juniper_junos": "set interfaces ge-0/0/99 unit 0 family ethernet-switching vlan members 999",
}


def fault_at(lines: Sequence[str]) -> int:
    """Where the rejected line goes among the rendered ``lines``: in the middle of the second batch
    (batches are cut at 16 lines or 1 KiB, whichever comes first)."""
    first, second = config_batches(lines, BATCH)[:2]
    return len(first) + len(second) // 2


class Recorder(Transport):
    """The real transport; records the configuration sets, and what netmiko's channel was given to
    write. ``fault`` is inserted at ``FAULT_AT`` into the first configuration set."""

    def __init__(self, inner: Any, fault: Optional[str] = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.fault = fault
        self.config_sets: List[Tuple[List[str], Dict[str, Any]]] = []
        self.writes: List[List[str]] = [[]]  # per configuration set (the first list: before any)
        conn = inner.connection
        write = conn.write_channel

        def recording_write(data: str) -> None:
            self.writes[-1].append(data)
            write(data)

        conn.write_channel = recording_write

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        return str(self.inner.send_command(command, timeout))

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        lines = list(lines)
        if self.fault and not self.config_sets:
            at = fault_at(lines)
            lines = [*lines[:at], self.fault, *lines[at:]]
        self.config_sets.append((lines, dict(kwargs)))
        self.writes.append([])
        return str(self.inner.send_config_set(lines, **kwargs))

    def alive(self) -> bool:
        return bool(self.inner.alive())

    def close(self) -> None:
        self.inner.close()


@dataclass
class Run:
    result: RunResult
    config_sets: List[Tuple[List[str], Dict[str, Any]]]
    writes: List[List[str]]  # what netmiko's channel was given to write, per configuration set


@dataclass
class Observed:
    before: Snapshot
    isolate: Run
    isolated: Snapshot
    release: Run
    released: Snapshot
    fault: Run
    after_fault: Snapshot


class Switch(CliSwitch):
    """The vendor-CLI tests' switch (transport, read-back snapshot), with 20 cameras and batches."""

    modes = MODES

    def __init__(self, plat: str, handle: FleetHandle, views: Path, password: str, known_hosts: str, state: Path):
        super().__init__(plat, handle, views, password, known_hosts, state, prefix="cgb")

    def run(self, mode: str, state: str = "isolated", fault: Any = None) -> Run:  # type: ignore[override]
        rec = Recorder(self.transport(), fault)
        targets = [PortTarget(mac, port_name(self.plat, n), 10, "hikvision") for n, mac in enumerate(CAMS, start=1)]
        try:
            result = run_isolation(
                rec,
                self.plat,
                self.name,
                targets,
                Options(mode=mode, state=state, change_id="CHG-BATCH", allowed_peers=(NVR,), max_ports=PORTS),
                StateStore(str(self.state / mode), self.name),
                TEMPLATES,
                user="pytest",
                config_batch_lines=BATCH,
            )
        finally:
            rec.close()
        return Run(result, rec.config_sets, rec.writes[1:])

    def scenario(self, mode: str) -> Observed:
        before = self.snapshot()
        isolate = self.run(mode)
        isolated = self.snapshot()
        release = self.run(mode, "released")
        released = self.snapshot()
        fault = self.run(mode, fault=REJECTED[self.plat])
        after_fault = self.snapshot()
        return Observed(before, isolate, isolated, release, released, fault, after_fault)


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Dict[str, Any]]]:
    root = tmp_path_factory.mktemp("batched")
    views = root / "views"
    views.mkdir()
    password = secrets.token_urlsafe(16)
    for plat, port in zip(PLATFORMS, _free_ports(len(PLATFORMS))):
        view = make_view(
            plat,
            f"cgb-{plat.replace('_', '-')}",
            port=port,
            password=password,
            access_ports=PORTS + 4,
            vlans={10: "cameras", 20: "users"},
            endpoints=[{"mac": mac, "port": n, "vlan": 10} for n, mac in enumerate(CAMS, start=1)],
            uplink_macs=2,
        )
        (views / f"{view['name']}.json").write_text(json.dumps(view), encoding="utf-8")
    handle = start_fleet(str(views), timeout=60, minute_seconds=20.0)
    try:
        known_hosts = _known_hosts(views, handle.ports)
        switches = [Switch(p, handle, views, password, known_hosts, root / "state") for p in PLATFORMS]
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(switches)) as pool:
            results = dict(zip(PLATFORMS, pool.map(Switch.all_modes, switches)))
        yield results
    finally:
        stop_fleet(handle)
        assert password not in Path(handle.log_file).read_text(encoding="utf-8", errors="replace")


def _get(observed: Dict[str, Dict[str, Any]], plat: str, mode: str) -> Observed:
    got = observed[plat][mode]
    if isinstance(got, Exception):
        raise AssertionError(f"{plat} {mode}: the scenario raised {type(got).__name__}: {got}")
    return got  # type: ignore[no-any-return]


def _split(write: str) -> List[str]:
    """The lines of one write (netmiko ends lines with ``\n``, or ``\r`` on AOS-CX)."""
    return re.split(r"\r\n|\r|\n", write)[:-1]


def _typed_lines(writes: List[str]) -> List[int]:
    """Lines per write (netmiko's own mode changes are single lines)."""
    return [len(_split(w)) for w in writes]


PARAMS = [pytest.param(p, m, id=f"{p}-{m}") for p in PLATFORMS for m in MODES]


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_twenty_ports_isolate_in_batches_and_read_back_isolated(
    observed: Dict[str, Dict[str, Any]], plat: str, mode: str
) -> None:
    o = _get(observed, plat, mode)
    res = o.isolate.result
    assert res.changed and res.applied and res.verified and not res.failed, res.msg
    assert len(res.plan.changes) == PORTS
    lines, kwargs = o.isolate.config_sets[0]
    assert lines == res.config and len(lines) > BATCH
    assert kwargs["batch_lines"] == BATCH
    # on the wire: every rendered line, in batches of at most 16 lines (and 1 KiB), more than one of them
    writes = o.isolate.writes[0]
    per_write = _typed_lines(writes)
    assert max(per_write) <= BATCH and sum(1 for n in per_write if n > 1) >= 2, per_write
    assert all(len(w.encode()) <= 1024 for w in writes)
    typed = [ln for w in writes for ln in _split(w)]
    want = [ln.rstrip() for ln in lines]
    assert any(typed[i : i + len(want)] == want for i in range(len(typed))), "the rendered lines, in order"
    for n in range(1, PORTS + 1):
        port = port_name(plat, n)
        _m, vlan, enabled = o.isolated.ports[port][:3]
        assert o.before.ports[port][:3] == ("access", 10, True)
        if mode == "vlan":
            assert (vlan, enabled) == (999, True), port
        else:
            assert (vlan, enabled) == (10, True) and port in o.isolated.acl_ports, port
    for n in range(PORTS + 1, PORTS + 5):
        assert o.isolated.ports[port_name(plat, n)] == o.before.ports[port_name(plat, n)]


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_twenty_ports_release_in_batches_restores_the_switch(
    observed: Dict[str, Dict[str, Any]], plat: str, mode: str
) -> None:
    o = _get(observed, plat, mode)
    res = o.release.result
    assert res.changed and res.verified and not res.failed, res.msg
    assert len(res.plan.changes) == PORTS
    assert o.released.ports == o.before.ports
    assert o.released.acl_ports == o.before.acl_ports
    assert o.released.view["interfaces"] == o.before.view["interfaces"]
    assert o.released.view["acls"] == o.before.view["acls"]


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_a_line_rejected_mid_batch_fails_the_session_and_is_rolled_back_exactly(
    observed: Dict[str, Dict[str, Any]], plat: str, mode: str
) -> None:
    o = _get(observed, plat, mode)
    res = o.fault.result
    assert res.failed and res.applied, res.msg
    assert res.rolled_back and res.rollback_verified, res.msg
    lines, _kwargs = o.fault.config_sets[0]
    assert REJECTED[plat] in config_batches(lines, BATCH)[1][1:-1], "in the middle of the second batch"
    # the switch's own rejection failed the session (not a timeout, not a failed read-back)
    assert "rejected" in res.msg and "verify failed" not in res.msg and "session failed" not in res.msg, res.msg
    # exactly as before the run: parsed show output, running configuration, the switch's own state
    assert o.after_fault.ports == o.released.ports
    assert o.after_fault.acl_ports == o.released.acl_ports
    assert o.after_fault.running_config == o.released.running_config
    assert o.after_fault.view == o.released.view
    if plat in ("arista_eos", "juniper_junos"):
        assert "nothing was committed" in res.msg
    else:
        assert "rolled back to the saved state and verified" in res.msg
        # the second configuration set is the re-rendered rollback, batched as well
        assert len(o.fault.config_sets) == 2 and o.fault.config_sets[1][1]["batch_lines"] == BATCH
