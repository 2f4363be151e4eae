# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation on the vendor-CLI lab switches over real SSH (netmiko), verified through ``show`` output.

One FakeNOS fleet (``lab/fakenos_fleet.py``) serves one switch per platform (cisco_ios, cisco_nxos,
arista_eos, juniper_junos, aruba_aoscx, hp_procurve), with host-key checking on. For each platform
and mode (vlan, acl, shutdown) the apply path of ``port_isolation`` (``run_isolation`` over
``NetmikoTransport``, the code the module runs) goes through:

- check mode: only ``show`` commands are sent and the switch reads back unchanged;
- isolate: all lines in one configuration session (EOS configure session, Junos commit confirmed +
  confirm), verified by reading ``show`` output back through the collection's own parsers;
- a second run changes nothing;
- release: the switch reads back exactly as before isolation (ports, ACL bindings, MAC table; the
  running configuration differs at most by the quarantine VLAN's definition);
- an injected failure in the middle of the session (a line the switch really rejects: an interface
  that does not exist; on Junos a commit check failure, a filter that is not defined) leaves the
  switch exactly as it was, and the audit log records it.

The platforms run in parallel threads (one switch each) while the fleet serves them all; each test
then checks one platform x mode from what was observed.

Run: .venv/bin/python -m pytest -q -m fakenos tests/integration/test_isolation_vendor_cli.py
"""

from __future__ import annotations

import concurrent.futures
import difflib
import json
import re
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytest.importorskip("netmiko")
pytest.importorskip("fakenos")

from ansible_collections.camguard.network.plugins.module_utils._collect import (  # noqa: E402
    open_transport,
    target_from_params,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import RunResult, run_isolation  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import LiveState, default_reader  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore  # noqa: E402
from lab.fakenos_fleet import FleetHandle, _free_ports, start_fleet, stop_fleet  # noqa: E402
from lab.nos import PLATFORMS, make_view, port_name  # noqa: E402
from lab.nos.base import CONFIG_KEYS  # noqa: E402

pytestmark = pytest.mark.fakenos

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
MODES = ("vlan", "acl", "shutdown")
CAM = "bc:ad:28:01:02:03"  # Hikvision, edge port 3, VLAN 10
ENDPOINTS = [
    {"mac": "02:00:5e:10:00:01", "port": 1, "vlan": 20, "ip": "10.66.20.50"},
    {"mac": "00:04:f2:00:00:09", "port": 2, "vlan": 10, "ip": "10.66.10.12"},
    {"mac": CAM, "port": 3, "vlan": 10, "ip": "10.66.10.11"},
]
NVR = "10.66.10.20/32"
# A line the switch really rejects, added after the rendered lines of the session: an interface
# that does not exist (in the platform's own error), or on Junos a commit check failure.
FAULT_LINES = {
    "cisco_ios": ["interface GigabitEthernet1/0/99"],
    "cisco_nxos": ["interface Ethernet1/99"],
    "arista_eos": ["interface Ethernet99"],
    "aruba_aoscx": ["interface 1/1/99"],
    "hp_procurve": ["interface 99"],
    "juniper_junos": ["set interfaces ge-0/0/3 unit 0 family ethernet-switching filter input CAMGUARD-MISSING"],
}
# running-config lines that may differ after release: the quarantine VLAN the first isolation created
QUARANTINE_LINE = re.compile(r"999|CAMGUARD-QUARANTINE|^\s*(?:exit|!)\s*$|^Current configuration : \d+ bytes$")


class Recorder(Transport):
    """The real transport, recording what is sent; optionally adds ``fault`` to the first session."""

    def __init__(self, inner: Transport, fault: Sequence[str] = ()) -> None:
        self.inner = inner
        self.name = inner.name
        self.fault = list(fault)
        self.commands: List[str] = []
        self.config_sets: List[List[str]] = []

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        self.commands.append(command)
        return self.inner.send_command(command, timeout)

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        lines = list(lines)
        if self.fault and not self.config_sets:
            lines = lines + self.fault
        self.config_sets.append(lines)
        return self.inner.send_config_set(lines, **kwargs)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Snapshot:
    """What the switch looks like: read back through ``show`` output and the collection's parsers,
    and (independently) the fleet's persisted state of the switch."""

    ports: Dict[str, Tuple[Any, ...]]
    acl_ports: List[str]
    macs: List[Tuple[str, Optional[int], Optional[str]]]
    running_config: str
    view: Dict[str, Any]


@dataclass
class Run:
    result: RunResult
    commands: List[str]
    config_sets: List[List[str]]


@dataclass
class ModeRun:
    before: Snapshot
    check: Run
    after_check: Snapshot
    isolate: Run
    isolated: Snapshot
    again: Run
    release: Run
    released: Snapshot
    fault: Run
    after_fault: Snapshot
    audit: List[Dict[str, Any]] = field(default_factory=list)


class Switch:
    modes: Sequence[str] = MODES

    def __init__(
        self,
        plat: str,
        handle: FleetHandle,
        views: Path,
        password: str,
        known_hosts: str,
        state: Path,
        prefix: str = "cg",
    ):
        self.plat = plat
        self.name = f"{prefix}-{plat.replace('_', '-')}"
        self.handle = handle
        self.views = views
        self.password = password
        self.known_hosts = known_hosts
        self.state = state

    def transport(self) -> Transport:
        target = target_from_params(
            name=self.name,
            host="127.0.0.1",
            platform=self.plat,
            port=self.handle.ports[self.name],
            username="camguard",
            password=self.password,
            known_hosts_file=self.known_hosts,
            connect_timeout=20,
            command_timeout=30,
        )
        return open_transport(target)

    def view_config(self) -> Dict[str, Any]:
        view = json.loads((self.views / f"{self.name}.json").read_text(encoding="utf-8"))
        out = {k: view.get(k) for k in CONFIG_KEYS}
        # an attribute set back to its default (e.g. "acl_in": null) is the same configuration
        out["interfaces"] = [{k: v for k, v in i.items() if v not in (None, "")} for i in view["interfaces"]]
        out["acls"] = {k: v for k, v in (view.get("acls") or {}).items() if v}
        return out

    def snapshot(self) -> Snapshot:
        transport = self.transport()
        try:
            live: LiveState = default_reader(self.plat, self.name)(transport, True)
        finally:
            transport.close()
        return Snapshot(
            ports={
                p.name: (p.mode, p.access_vlan, p.enabled, tuple(p.trunk_vlans), p.lag, p.description)
                for p in live.ports
            },
            acl_ports=sorted(live.acl_ports),
            macs=sorted((m.mac, m.vlan, m.interface) for m in live.macs),
            running_config=live.running_config,
            view=self.view_config(),
        )

    def run(self, mode: str, state: str = "isolated", check: bool = False, fault: Sequence[str] = ()) -> Run:
        rec = Recorder(self.transport(), fault)
        try:
            result = run_isolation(
                rec,
                self.plat,
                self.name,
                [PortTarget(CAM, port_name(self.plat, 3), 10, "hikvision")],
                Options(mode=mode, state=state, change_id="CHG-4711", allowed_peers=(NVR,), check_mode=check),
                StateStore(str(self.state / mode), self.name),
                TEMPLATES,
                user="pytest",
            )
        finally:
            rec.close()
        return Run(result, rec.commands, rec.config_sets)

    def scenario(self, mode: str) -> ModeRun:
        before = self.snapshot()
        check = self.run(mode, check=True)
        after_check = self.snapshot()
        isolate = self.run(mode)
        isolated = self.snapshot()
        again = self.run(mode)
        release = self.run(mode, "released")
        released = self.snapshot()
        fault = self.run(mode, fault=FAULT_LINES[self.plat])
        after_fault = self.snapshot()
        audit = [r for r in StateStore(str(self.state / mode), self.name).read_audit() if r["switch"] == self.name]
        return ModeRun(
            before, check, after_check, isolate, isolated, again, release, released, fault, after_fault, audit
        )

    def all_modes(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for mode in self.modes:
            try:
                out[mode] = self.scenario(mode)
            except Exception as exc:  # reported by every test of this platform and mode
                out[mode] = exc
        return out


def _known_hosts(views: Path, ports: Dict[str, int]) -> str:
    key = (views / "host_key.pub").read_text(encoding="utf-8").strip()
    path = views.parent / "known_hosts"
    path.write_text("".join(f"[127.0.0.1]:{port} {key}\n" for port in ports.values()), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Dict[str, Any]]]:
    root = tmp_path_factory.mktemp("vendor_cli")
    views = root / "views"
    views.mkdir()
    password = secrets.token_urlsafe(16)
    names = {plat: f"cg-{plat.replace('_', '-')}" for plat in PLATFORMS}
    for plat, port in zip(PLATFORMS, _free_ports(len(PLATFORMS))):
        # no VLAN 999 yet: the first isolation creates the quarantine VLAN
        view = make_view(
            plat,
            names[plat],
            port=port,
            password=password,
            access_ports=4,
            vlans={10: "cameras", 20: "users"},
            endpoints=ENDPOINTS,
            uplink_macs=3,
        )
        (views / f"{names[plat]}.json").write_text(json.dumps(view), encoding="utf-8")
    # a "minute" of Junos commit confirmed: long enough for the read-back between commit and confirm
    handle = start_fleet(str(views), timeout=60, minute_seconds=20.0)
    try:
        known_hosts = _known_hosts(views, handle.ports)
        switches = [Switch(p, handle, views, password, known_hosts, root / "state") for p in PLATFORMS]
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(switches)) as pool:
            results = dict(zip(PLATFORMS, pool.map(Switch.all_modes, switches)))
        yield results
    finally:
        stop_fleet(handle)
        log = Path(handle.log_file).read_text(encoding="utf-8", errors="replace")
        assert password not in log


def _get(observed: Dict[str, Dict[str, Any]], plat: str, mode: str) -> ModeRun:
    got = observed[plat][mode]
    if isinstance(got, Exception):
        raise AssertionError(f"{plat} {mode}: the scenario raised {type(got).__name__}: {got}")
    return got  # type: ignore[no-any-return]


def _without_quarantine_vlan(text: str) -> List[str]:
    """The running configuration without the quarantine VLAN's definition (``vlan 1,10,20,999`` ->
    ``vlan 1,10,20``; its ``vlan 999`` block and name dropped)."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^(\s*vlan [\d,-]*?),999\b", r"\1", line)
        if not QUARANTINE_LINE.search(line):
            out.append(line)
    return out


def _config_diff(before: str, after: str) -> List[str]:
    a, b = _without_quarantine_vlan(before), _without_quarantine_vlan(after)
    return [ln for ln in difflib.ndiff(a, b) if ln[:2] in ("- ", "+ ")]


def _learned(macs: List[Tuple[str, Optional[int], Optional[str]]]) -> List[Tuple[str, Optional[int], Optional[str]]]:
    """MAC entries learned on ports (a new VLAN adds the switch's own MAC in it on some platforms)."""
    return [m for m in macs if m[2]]


def _port(plat: str) -> str:
    return port_name(plat, 3)


PARAMS = [pytest.param(p, m, id=f"{p}-{m}") for p in PLATFORMS for m in MODES]


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_check_mode_sends_nothing(observed: Dict[str, Dict[str, Any]], plat: str, mode: str) -> None:
    o = _get(observed, plat, mode)
    res = o.check.result
    assert res.changed and not res.applied and not res.failed, res.msg
    assert res.config, "check mode must return the exact configuration it would send"
    assert o.check.config_sets == [], "check mode opened a configuration session"
    assert all(c.startswith("show ") for c in o.check.commands), o.check.commands
    assert o.after_check == o.before, "check mode changed the switch"


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_isolate_in_one_session_verified_through_show_output(
    observed: Dict[str, Dict[str, Any]], plat: str, mode: str
) -> None:
    o = _get(observed, plat, mode)
    res = o.isolate.result
    assert res.changed and res.applied and res.verified and not res.failed, res.msg
    # every rendered line went to the switch in the first (and only) configuration session
    assert o.isolate.config_sets[0] == res.config
    assert not [c for c in o.isolate.config_sets[1:] if not re.match(r"^(?:commit|configure session)", c[0])]
    # what the parsers read back from the switch's show output is the isolation
    port = _port(plat)
    _mode, vlan, enabled = o.isolated.ports[port][:3]
    was = o.before.ports[port]
    assert was[1] == 10 and was[2] is True
    if mode == "vlan":
        assert (vlan, enabled) == (999, True)
        assert (CAM, 999, port) in o.isolated.macs, "the camera is learned in the quarantine VLAN now"
    elif mode == "shutdown":
        assert (vlan, enabled) == (10, False)
        assert not [m for m in o.isolated.macs if m[0] == CAM], "a shut port learns nothing"
    else:
        assert (vlan, enabled) == (10, True)
        assert o.isolated.acl_ports == [port]
    # nothing else on the switch changed
    others = {k: v for k, v in o.isolated.ports.items() if k != port}
    assert others == {k: v for k, v in o.before.ports.items() if k != port}
    assert {r["result"] for r in o.audit if r["action"] == "isolate"} >= {"applied"}


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_second_run_changes_nothing(observed: Dict[str, Dict[str, Any]], plat: str, mode: str) -> None:
    o = _get(observed, plat, mode)
    res = o.again.result
    assert not res.changed and not res.applied and not res.failed, res.msg
    assert o.again.config_sets == []


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_release_restores_the_previous_state(observed: Dict[str, Dict[str, Any]], plat: str, mode: str) -> None:
    o = _get(observed, plat, mode)
    res = o.release.result
    assert res.changed and res.verified and not res.failed, res.msg
    assert o.released.ports == o.before.ports
    assert o.released.acl_ports == o.before.acl_ports
    assert _learned(o.released.macs) == _learned(o.before.macs)
    assert _config_diff(o.before.running_config, o.released.running_config) == []
    assert o.released.view["interfaces"] == o.before.view["interfaces"]
    assert o.released.view["acls"] == o.before.view["acls"]


@pytest.mark.parametrize(("plat", "mode"), PARAMS)
def test_failure_mid_session_leaves_the_switch_as_before(
    observed: Dict[str, Dict[str, Any]], plat: str, mode: str
) -> None:
    o = _get(observed, plat, mode)
    res = o.fault.result
    assert res.failed and res.applied, res.msg
    assert res.rolled_back and res.rollback_verified, res.msg
    # the switch's own rejection is what failed the session
    assert FAULT_LINES[plat][0] in o.fault.config_sets[0]
    # exactly as before: the parsed show output, the running configuration and the switch's state
    assert o.after_fault.ports == o.released.ports
    assert o.after_fault.acl_ports == o.released.acl_ports
    assert o.after_fault.macs == o.released.macs
    assert o.after_fault.running_config == o.released.running_config
    assert o.after_fault.view == o.released.view
    failed = [r for r in o.audit if r["result"].startswith("failed")]
    assert failed and {r["result"] for r in failed} == {"failed-rolled-back"}
    assert all(r["change_id"] == "CHG-4711" and r["port"] == _port(plat) for r in failed), [
        (r["change_id"], r["port"]) for r in failed
    ]
    if plat in ("arista_eos", "juniper_junos"):
        # configure session abort / rollback 0: nothing was committed, nothing had to be undone
        assert "nothing was committed" in res.msg
        assert len(o.fault.config_sets) <= 3
    else:
        # the lines before the rejected one took effect at once: a second session undid them
        assert len(o.fault.config_sets) == 2, o.fault.config_sets
        assert "rolled back to the saved state and verified" in res.msg
