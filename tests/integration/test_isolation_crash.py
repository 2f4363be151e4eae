# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs killed at every step of their session, on every vendor-CLI platform, over real SSH.

One FakeNOS fleet (``lab/fakenos_fleet.py``) serves one switch per platform. For each platform and
mode the isolation runs in a subprocess (``killrun.py``: ``run_isolation`` over netmiko, the code
the module runs) that SIGKILLs itself after the Nth line reached the switch, for every N from 0 to
the last line of a clean run. Then, each time:

- the killed run's intent is on disk, complete (plan, lines, saved state); no state file is torn;
- the next run (in this process) repairs it (completes or rolls back, says which) and applies its
  own plan: the switch's whole running configuration is the one a clean run leaves, the saved
  state is a clean run's, the intent is closed, the audit log records the repair and its chain
  verifies, no EOS session is left pending;
- release then leaves the running configuration as a clean isolate-and-release does.

Also: the EOS ``commit`` typed and the run killed before the answer; a Junos run killed between
``commit confirmed`` and the confirming commit, repaired before and after Junos rolled it back by
itself; the allowed addresses of the ACL changed with a kill after every line (the bound ACL is
never missing, empty or open); and the role's audit entry point failing on an audit log whose
hash chain breaks.

Run: .venv/bin/python -m pytest -q tests/integration/test_isolation_crash.py
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for p in (str(REPO), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

pytest.importorskip("netmiko")
pytest.importorskip("fakenos")

from killrun import KillAfter  # noqa: E402

from ansible_collections.camguard.network.plugins.module_utils._collect import (  # noqa: E402
    open_transport,
    target_from_params,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import (  # noqa: E402
    RunResult,
    config_lines,
    run_isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (  # noqa: E402
    LiveState,
    default_reader,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import pending_sessions  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import (  # noqa: E402
    StateStore,
    verify_audit_log,
)
from lab.fakenos_fleet import FleetHandle, _free_ports, start_fleet, stop_fleet  # noqa: E402
from lab.nos import PLATFORMS, make_view, port_name  # noqa: E402

pytestmark = pytest.mark.fakenos

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
MODES = ("vlan", "acl", "shutdown")
CAM = "bc:ad:28:01:02:03"
ENDPOINTS = [
    {"mac": "02:00:5e:10:00:01", "port": 1, "vlan": 20, "ip": "10.66.20.50"},
    {"mac": "00:04:f2:00:00:09", "port": 2, "vlan": 10, "ip": "10.66.10.12"},
    {"mac": CAM, "port": 3, "vlan": 10, "ip": "10.66.10.11"},
]
A = ("10.66.10.20/32",)
B = ("10.66.10.21/32", "10.66.30.0/24")
MINUTE = 10.0  # seconds per Junos "commit confirmed" minute in this fleet


class Switch:
    def __init__(self, plat: str, handle: FleetHandle, password: str, known_hosts: str, root: Path) -> None:
        self.plat = plat
        self.name = f"cg-{plat.replace('_', '-')}"
        self.port = handle.ports[self.name]
        self.password = password
        self.known_hosts = known_hosts
        self.root = root

    def transport(self) -> Transport:
        target = target_from_params(
            name=self.name,
            host="127.0.0.1",
            platform=self.plat,
            port=self.port,
            username="camguard",
            password=self.password,
            known_hosts_file=self.known_hosts,
            connect_timeout=20,
            command_timeout=30,
        )
        return open_transport(target)

    def live(self) -> LiveState:
        t = self.transport()
        try:
            return default_reader(self.plat, self.name)(t, True)
        finally:
            t.close()

    def config(self) -> List[str]:
        return config_lines(self.live().running_config)

    def pending_sessions(self) -> List[str]:
        if self.plat != "arista_eos":
            return []
        t = self.transport()
        try:
            return pending_sessions(t.send_command("show configuration sessions"))
        finally:
            t.close()

    def go(
        self, state: Path, mode: str, run_state: str = "isolated", peers: Tuple[str, ...] = A, change_id: str = "CHG-2"
    ) -> Tuple[RunResult, int]:
        t = KillAfter(self.transport(), None)
        try:
            res = run_isolation(
                t,
                self.plat,
                self.name,
                [PortTarget(CAM, port_name(self.plat, 3), 10, "hikvision")],
                Options(mode=mode, state=run_state, change_id=change_id, allowed_peers=peers),
                StateStore(str(state), self.name),
                TEMPLATES,
                user="pytest",
            )
        finally:
            t.close()
        return res, t.count

    def kill(
        self, state: Path, mode: str, n: int, peers: Tuple[str, ...] = A, kill_mode: str = "answered"
    ) -> subprocess.CompletedProcess[str]:
        args = {
            "platform": self.plat,
            "name": self.name,
            "port": self.port,
            "password": self.password,
            "known_hosts": self.known_hosts,
            "mode": mode,
            "change_id": "CHG-1",
            "peers": list(peers),
            "state_dir": str(state),
            "port_name": port_name(self.plat, 3),
            "mac": CAM,
            "kill_after": n,
            "kill_mode": kill_mode,
        }
        return subprocess.run(
            [sys.executable, str(HERE / "killrun.py"), json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def _state_files_whole(state: Path, name: str) -> Optional[Dict[str, Any]]:
    """Every state file of the switch is whole JSON; returns the intent."""
    sw = state / name
    for f in sw.glob("*.json"):
        json.loads(f.read_text())  # never an empty or half-written file
    intent = sw / "intent.json"
    return json.loads(intent.read_text()) if intent.exists() else None


def _saved(state: Path, name: str) -> Dict[str, Any]:
    path = state / name / "ports.json"
    data = json.loads(path.read_text()) if path.exists() else {"ports": {}}
    return {k: {f: v for f, v in e.items() if f not in ("change_id", "isolated_at")} for k, e in data["ports"].items()}


def crash_matrix(sw: Switch, mode: str) -> Dict[str, Any]:
    """Every kill point of one platform and mode; returns what each case observed."""
    base = sw.root / "state" / sw.plat / mode
    ref_state = base / "ref"
    # a first clean isolate and release, then the reference: what the first run creates and a
    # release keeps (the quarantine VLAN) is there for every later run too
    for _unused in range(2):
        res, typed = sw.go(ref_state, mode)
        assert res.verified and not res.failed, res.msg
        if _unused == 0:
            assert sw.go(ref_state, mode, "released")[0].verified
    isolated, saved = sw.config(), _saved(ref_state, sw.name)
    rel, _unused = sw.go(ref_state, mode, "released")
    assert rel.verified, rel.msg
    released = sw.config()
    cases = []
    for n in range(typed):
        state = base / f"kill-{n}"
        proc = sw.kill(state, mode, n)
        case: Dict[str, Any] = {"n": n, "returncode": proc.returncode, "stderr": proc.stderr[-2000:]}
        case["intent"] = _state_files_whole(state, sw.name)
        again, _unused = sw.go(state, mode)
        case.update(
            failed=again.failed,
            msg=again.msg,
            recovered=again.recovered,
            config_ok=sw.config() == isolated,
            saved_ok=_saved(state, sw.name) == saved,
            intent_after=(state / sw.name / "intent.json").exists(),
            pending=sw.pending_sessions(),
        )
        store = StateStore(str(state), sw.name)
        chain = verify_audit_log(store.audit_path)
        case["chain_ok"] = chain["ok"]
        case["recorded"] = sorted(
            {r["result"] for r in store.read_audit() if case["intent"] and r.get("run_id") == case["intent"]["run_id"]}
        )
        rel, _unused = sw.go(state, mode, "released", change_id="CHG-3")
        case["released_ok"] = rel.verified is True and sw.config() == released
        cases.append(case)
    return {"typed": typed, "cases": cases}


def _known_hosts(views: Path, ports: Dict[str, int]) -> str:
    key = (views / "host_key.pub").read_text(encoding="utf-8").strip()
    path = views.parent / "known_hosts"
    path.write_text("".join(f"[127.0.0.1]:{port} {key}\n" for port in ports.values()), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Switch]]:
    root = tmp_path_factory.mktemp("crash")
    views = root / "views"
    views.mkdir()
    password = secrets.token_urlsafe(16)
    for plat, port in zip(PLATFORMS, _free_ports(len(PLATFORMS))):
        view = make_view(
            plat,
            f"cg-{plat.replace('_', '-')}",
            port=port,
            password=password,
            access_ports=4,
            vlans={10: "cameras", 20: "users"},
            endpoints=ENDPOINTS,
            uplink_macs=3,
        )
        (views / f"{view['name']}.json").write_text(json.dumps(view), encoding="utf-8")
    handle = start_fleet(str(views), timeout=60, minute_seconds=MINUTE)
    try:
        known_hosts = _known_hosts(views, handle.ports)
        yield {p: Switch(p, handle, password, known_hosts, root) for p in PLATFORMS}
    finally:
        stop_fleet(handle)
        log = Path(handle.log_file).read_text(encoding="utf-8", errors="replace")
        assert password not in log


@pytest.fixture(scope="module")
def matrix(fleet: Dict[str, Switch]) -> Dict[Tuple[str, str], Any]:
    def one(plat: str) -> Dict[Tuple[str, str], Any]:
        out: Dict[Tuple[str, str], Any] = {}
        for mode in MODES:
            try:
                out[(plat, mode)] = crash_matrix(fleet[plat], mode)
            except Exception as exc:  # reported by the test of this platform and mode
                out[(plat, mode)] = exc
        return out

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(PLATFORMS)) as pool:
        results: Dict[Tuple[str, str], Any] = {}
        for part in pool.map(one, list(PLATFORMS)):
            results.update(part)
    return results


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("plat", sorted(PLATFORMS))
def test_a_run_killed_after_any_line_is_repaired_by_the_next(
    matrix: Dict[Tuple[str, str], Any], plat: str, mode: str
) -> None:
    got = matrix[(plat, mode)]
    if isinstance(got, Exception):
        raise AssertionError(f"{plat} {mode}: the matrix raised {type(got).__name__}: {got}")
    assert got["typed"] >= 3
    assert len(got["cases"]) == got["typed"]
    for c in got["cases"]:
        where = f"{plat} {mode} killed after {c['n']} line(s)"
        assert c["returncode"] == -9, f"{where}: the run was not killed ({c['returncode']}): {c['stderr']}"
        assert c["intent"] is not None, f"{where}: no intent on disk"
        assert c["intent"]["lines"] and c["intent"]["plan"]["changes"], where
        assert not c["failed"], f"{where}: the next run failed: {c['msg']}"
        rec = c["recovered"]
        assert rec and rec["run_id"] == c["intent"]["run_id"], f"{where}: no repair reported: {c['msg']}"
        assert rec["action"] in ("completed", "rolled-back"), f"{where}: {rec}"
        assert "repaired an interrupted run" in c["msg"], where
        assert c["recorded"] in (["applied-recovered"], ["rolled-back-recovered"]), f"{where}: {c['recorded']}"
        assert c["config_ok"], f"{where}: the running configuration is not a clean run's"
        assert c["saved_ok"], f"{where}: the saved state is not a clean run's"
        assert not c["intent_after"], f"{where}: the intent was not closed"
        assert c["pending"] == [], f"{where}: sessions left pending: {c['pending']}"
        assert c["chain_ok"], f"{where}: the audit chain breaks"
        assert c["released_ok"], f"{where}: release did not leave a clean release's configuration"
    # both branches of the repair happen: early kills roll back, late ones complete
    actions = [c["recovered"]["action"] for c in got["cases"]]
    assert actions[0] == "rolled-back" and actions[-1] == "completed", actions


def test_eos_killed_while_the_switch_works_on_commit(fleet: Dict[str, Switch], tmp_path: Path) -> None:
    """``commit`` typed, the run killed before the answer: whether the switch committed or not,
    the next run finds out from the switch and repairs it; no session stays pending."""
    sw = fleet["arista_eos"]
    _unused, typed = sw.go(tmp_path / "ref", "vlan")
    sw.go(tmp_path / "ref", "vlan", "released")
    isolated = None
    # find the commit: the line after the session's lines
    for n in range(typed):
        state = tmp_path / f"commit-{n}"
        proc = sw.kill(state, "vlan", n, kill_mode="typed")
        intent = _state_files_whole(state, sw.name)
        assert proc.returncode == -9 and intent is not None
        if n != len(intent["lines"]) + 1:  # "configure session", the lines, then "commit"
            sw.go(state, "vlan")
            sw.go(state, "vlan", "released", change_id="CHG-3")
            continue
        res, _unused = sw.go(state, "vlan")
        assert not res.failed and res.recovered and res.recovered["action"] in ("completed", "rolled-back"), res.msg
        assert sw.pending_sessions() == []
        isolated = sw.live().port_configs()[port_name("arista_eos", 3)]
        break
    assert isolated is not None and isolated.access_vlan == 999


@pytest.mark.parametrize("wait", [False, True], ids=["before-junos-rolls-back", "after-junos-rolled-back"])
def test_junos_killed_between_commit_confirmed_and_the_confirm(
    fleet: Dict[str, Switch], tmp_path: Path, wait: bool
) -> None:
    sw = fleet["juniper_junos"]
    port = port_name("juniper_junos", 3)
    assert sw.live().port_configs()[port].enabled is True
    _unused, typed = sw.go(tmp_path / "ref", "shutdown")
    sw.go(tmp_path / "ref", "shutdown", "released")
    before = sw.config()
    state = tmp_path / "state"
    # everything up to and including "commit confirmed", then dead before the confirming commit
    proc = sw.kill(state, "shutdown", typed - 2)
    assert proc.returncode == -9
    assert sw.live().port_configs()[port].enabled is False, "commit confirmed took effect"
    if wait:
        deadline = time.monotonic() + 2 * MINUTE + 30
        while sw.live().port_configs()[port].enabled is False:
            assert time.monotonic() < deadline, "Junos never rolled the unconfirmed commit back"
            time.sleep(2)
        assert sw.config() == before
    res, _unused = sw.go(state, "shutdown")
    assert not res.failed and res.recovered, res.msg
    assert res.recovered["action"] == ("rolled-back" if wait else "completed"), res.recovered
    time.sleep(2 * MINUTE + 5)  # past the rollback Junos would have done for an unconfirmed commit
    assert sw.live().port_configs()[port].enabled is False, "the port is isolated, and stays isolated"
    rel, _unused = sw.go(state, "shutdown", "released", change_id="CHG-3")
    assert rel.verified and sw.config() == before, rel.msg


def acl_kill_matrix(sw: Switch) -> List[Dict[str, Any]]:
    base = sw.root / "acl" / sw.plat
    ref = base / "ref"
    assert sw.go(ref, "acl", peers=A)[0].verified
    res, typed = sw.go(ref, "acl", peers=B)
    assert res.verified, res.msg
    assert sw.go(ref, "acl", peers=A)[0].verified
    out = []
    for n in range(typed):
        proc = sw.kill(ref, "acl", n, peers=B)
        live = sw.live()
        c = live.acl
        entries = list(c.entries) if c is not None else []
        kinds = [e.kind for e in entries]
        effective = entries[: kinds.index("deny")] if "deny" in kinds else entries
        again, _unused = sw.go(ref, "acl", peers=A)
        final = sw.live().acl
        out.append(
            {
                "n": n,
                "killed": proc.returncode == -9,
                "exists": bool(c is not None and c.exists),
                "entries": [(e.kind, e.value) for e in entries],
                "effective": sorted({(e.kind, e.value) for e in effective}),
                "bound": port_name(sw.plat, 3) in live.acl_ports,
                "repaired": not again.failed,
                "msg": again.msg,
                "final": sorted(e.value for e in (final.entries if final else ()) if e.kind == "peer"),
            }
        )
    return out


@pytest.fixture(scope="module")
def acl_matrix(fleet: Dict[str, Switch], matrix: Dict[Tuple[str, str], Any]) -> Dict[str, Any]:
    def one(plat: str) -> Any:
        try:
            return acl_kill_matrix(fleet[plat])
        except Exception as exc:
            return exc

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(PLATFORMS)) as pool:
        return dict(zip(PLATFORMS, pool.map(one, list(PLATFORMS))))


@pytest.mark.parametrize("plat", sorted(PLATFORMS))
def test_changing_the_allowed_addresses_never_opens_or_empties_the_bound_acl(
    acl_matrix: Dict[str, Any], plat: str
) -> None:
    got = acl_matrix[plat]
    if isinstance(got, Exception):
        raise AssertionError(f"{plat}: {type(got).__name__}: {got}")
    allowed = {("dhcp", ""), ("arp", "")} | {("peer", p) for p in A + B}
    for c in got:
        where = f"{plat} killed after {c['n']} line(s) of the address change"
        assert c["killed"], where
        assert c["exists"] and c["entries"], f"{where}: the bound ACL is missing or empty"
        assert c["effective"] and set(map(tuple, c["effective"])) <= allowed, f"{where}: {c['entries']}"
        assert c["bound"], f"{where}: the port lost its ACL"
        assert c["repaired"], f"{where}: {c['msg']}"
        assert c["final"] == sorted(A), f"{where}: {c['final']}"


# ----------------------------------------------------------------- the audit entry point


def _role_play(sw: Switch, state: Path, tmp: Path) -> Path:
    inv = {
        "all": {
            "hosts": {
                sw.name: {
                    "ansible_host": "127.0.0.1",
                    "ansible_port": sw.port,
                    "camguard_platform": sw.plat,
                    "camguard_username": "camguard",
                    "camguard_password_env": "CAMGUARD_PASSWORD",
                    "camguard_known_hosts_file": sw.known_hosts,
                    "camguard_findings": [
                        {"mac": CAM, "interface": port_name(sw.plat, 3), "vlan": 10, "vendor_key": "hikvision"}
                    ],
                }
            }
        }
    }
    (tmp / "inventory.yml").write_text(yaml.safe_dump(inv), encoding="utf-8")
    play = [
        {
            "name": "audit",
            "hosts": "all",
            "gather_facts": False,
            "connection": "local",
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            "tasks": [
                {
                    "name": "audit",
                    "ansible.builtin.include_role": {
                        "name": "camguard.network.camera_isolation",
                        "tasks_from": "audit",
                    },
                    "vars": {"camera_isolation_state_dir": str(state), "camera_isolation_mode": "shutdown"},
                }
            ],
        }
    ]
    path = tmp / "audit.yml"
    path.write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
    return path


def test_the_audit_entry_point_fails_on_a_broken_audit_chain(fleet: Dict[str, Switch], tmp_path: Path) -> None:
    sw = fleet["cisco_ios"]
    state = tmp_path / "state"
    res, _unused = sw.go(state, "shutdown", change_id="CHG-AUDIT")
    assert res.verified and res.audit_head, res.msg
    play = _role_play(sw, state, tmp_path)
    env = dict(
        os.environ,
        CAMGUARD_PASSWORD=sw.password,
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        ANSIBLE_ROLES_PATH=str(REPO / "roles"),
        ANSIBLE_NOCOLOR="true",
        ANSIBLE_HOST_KEY_CHECKING="false",
    )
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(tmp_path / "inventory.yml"), str(play)]
    ok = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert ok.returncode == 0, (ok.stdout + ok.stderr)[-3000:]
    # an audit record changed afterwards: the audit fails and names the line
    log = state / "audit.jsonl"
    lines = log.read_text().splitlines()
    rec = json.loads(lines[0])
    rec["result"] = "refused:waived"
    lines[0] = json.dumps(rec, sort_keys=True, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n")
    bad = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out[-3000:]
    assert re.search(r"hash chain breaks at\s+line 1 \(record seq 0: its hash does not match", out), out[-3000:]
