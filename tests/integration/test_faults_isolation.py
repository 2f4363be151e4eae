# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation fault matrix over real SSH: ``camguard.network.port_isolation`` run by
``ansible-playbook`` against a Cisco IOS switch (``faultserver``: the lab's IOS CLI behind a real
SSH server) that fails on purpose — the connection drops in the middle of the config session,
the session stalls, the commit (``write memory``) fails, a line is rejected, the switch cannot
be reached or refuses the password, the read-back before planning is garbage.

Whatever happens: the switch's configuration, read back afterwards, is exactly what it was
before (untouched, or fully rolled back); the audit log records the failure; the play fails
with a message naming the switch.

Run: .venv/bin/python -m pytest -q tests/integration/test_faults_isolation.py
"""

from __future__ import annotations

import copy
import inspect
import json
import secrets
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultserver import Fault, FaultServer, ansible_env, dead_port, run_ansible

from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
from lab.nos import make_view
from lab.nos.base import CONFIG_KEYS

pytest.importorskip("netmiko")
pytestmark = pytest.mark.fakenos

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "roles" / "camera_isolation" / "templates"
CAMS = ["bc:ad:28:01:02:03", "bc:ad:28:01:02:04", "bc:ad:28:01:02:05"]
PORTS = ["GigabitEthernet1/0/2", "GigabitEthernet1/0/3", "GigabitEthernet1/0/4"]


def switch_view(name: str, password: str) -> Dict[str, Any]:
    view = make_view(
        "cisco_ios",
        name,
        password=password,
        access_ports=5,
        vlans={10: "cameras", 20: "users", 999: "CAMGUARD-QUARANTINE"},
        endpoints=[{"mac": m, "port": n, "vlan": 10} for m, n in zip(CAMS, (2, 3, 4))],
        uplink_macs=2,
    )
    return view


def config_of(server: FaultServer) -> Dict[str, Any]:
    with server.switch.lock:
        return copy.deepcopy({k: server.switch.view.get(k) for k in CONFIG_KEYS})


class Run:
    def __init__(self, tmp: Path, server: Optional[FaultServer], name: str, password: str, port: Optional[int] = None):
        self.tmp = tmp
        self.server = server
        self.name = name
        self.password = password
        self.port = port if port is not None else (server.port if server else dead_port())
        self.state_dir = tmp / "state"
        self.known_hosts = tmp / "known_hosts"
        self.known_hosts.write_text(server.known_hosts() if server else "", encoding="utf-8")

    def playbook(self, password_env: str = "CAMGUARD_PASSWORD", **extra: Any) -> Path:
        task: Dict[str, Any] = {
            "switch": self.name,
            "host": "127.0.0.1",
            "port": self.port,
            "platform": "cisco_ios",
            "username": "camguard",
            "password_env": password_env,
            "known_hosts_file": str(self.known_hosts),
            "connect_timeout": 5,
            "command_timeout": 6,
            "ports": [{"mac": m, "interface": p, "vlan": 10, "vendor_key": "hikvision"} for m, p in zip(CAMS, PORTS)],
            "mode": "vlan",
            "quarantine_vlan": 999,
            "change_id": "CHG-FAULT-1",
            "state_dir": str(self.state_dir),
            "templates_dir": str(TEMPLATES),
            "lock_timeout": 30,
        }
        task.update(extra)
        play = [
            {
                "name": "isolate",
                "hosts": "localhost",
                "connection": "local",
                "gather_facts": False,
                "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                "tasks": [{"name": "isolate the cameras", "camguard.network.port_isolation": task, "register": "r"}],
            }
        ]
        path = self.tmp / f"isolate-{secrets.token_hex(3)}.yml"
        path.write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
        return path

    def run(self, check: bool = False, wrong_password: bool = False, **extra: Any) -> Any:
        args = ["-i", "localhost,", str(self.playbook(**extra))]
        if check:
            args.append("--check")
        env = ansible_env(self.tmp, CAMGUARD_PASSWORD=("not-" if wrong_password else "") + self.password)
        return run_ansible("ansible-playbook", args, env)

    def audit(self) -> List[Dict[str, Any]]:
        path = self.state_dir / "audit.jsonl"
        if not path.exists():
            return []
        return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _fails_naming_switch(proc: Any, name: str) -> str:
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the play did not fail:\n{out[-3000:]}"
    assert "fatal: [localhost]" in out, out[-3000:]
    fatal = out[out.index("fatal: [localhost]") :]
    assert name in fatal, f"the failure does not name the switch {name}: {fatal[:1500]}"
    return fatal


@pytest.fixture
def password() -> str:
    return "Cg-" + secrets.token_urlsafe(18)


def _server(name: str, password: str, faults: List[Fault]) -> FaultServer:
    return FaultServer(switch_view(name, password), faults).start()


# A session that died (dropped or stalled) cannot carry its own rollback: run_isolation needs a
# way to open a new session for it. Until it has one, these two cases are known failures.
NEEDS_RECONNECT = pytest.mark.xfail(
    "reconnect" not in inspect.signature(run_isolation).parameters,
    reason="run_isolation cannot open a new session to roll back after the connection is lost",
    strict=True,
)


@pytest.mark.parametrize(
    ("case", "faults", "words"),
    [
        # the TCP connection goes away after the first port's VLAN line: one port already changed
        pytest.param(
            "drop-mid-session",
            [Fault("drop", r"^ switchport access vlan 999$", nth=2)],
            "connection lost",
            marks=NEEDS_RECONNECT,
        ),
        # the switch stops answering in the middle of the session (no prompt, ever)
        pytest.param(
            "stall-mid-session",
            [Fault("stall", r"^interface GigabitEthernet1/0/4$")],
            "configuration session failed",
            marks=NEEDS_RECONNECT,
        ),
        # every line is accepted and applied, then saving the configuration fails
        (
            "commit-fails",
            [Fault("reject", r"^write memory$", message="% Error: NVRAM write failed (device busy)")],
            "write memory",
        ),
        # the switch rejects one line: everything before it is applied
        (
            "line-rejected",
            [Fault("reject", r"^interface GigabitEthernet1/0/4$", message="% Invalid input detected at '^' marker.")],
            "rejected",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_failure_mid_change_leaves_the_switch_as_before(
    tmp_path: Path, password: str, case: str, faults: List[Fault], words: str
) -> None:
    name = f"sw-{case}"
    server = _server(name, password, faults)
    try:
        before = config_of(server)
        run = Run(tmp_path, server, name, password)
        proc = run.run()
        fatal = _fails_naming_switch(proc, name)
        assert words in fatal, fatal[:2000]
        after = config_of(server)
        assert after == before, f"{case}: the switch was left changed"
        audit = run.audit()
        assert audit, "no audit record of the failed run"
        assert {r["result"] for r in audit} == {"failed-rolled-back"}, audit
        assert {r["switch"] for r in audit} == {name} and {r["change_id"] for r in audit} == {"CHG-FAULT-1"}
        assert sorted(r["port"] for r in audit) == PORTS
        assert all(words.split()[0] in r.get("detail", "") or r.get("detail") for r in audit)
        # the saved prior state (what release restores) must not claim an isolation that did not happen
        ports_file = run.state_dir / name / "ports.json"
        assert not ports_file.exists() or json.loads(ports_file.read_text())["ports"] == {}
    finally:
        server.stop()
    # and a second run on a healthy switch applies cleanly from that state (idempotency twin below)


def test_healthy_run_applies_and_its_twin_changes_nothing(tmp_path: Path, password: str) -> None:
    """The control: the same play against the same switch without a fault applies, verifies and
    records; run again it changes nothing. Without this the matrix above could pass vacuously."""
    name = "sw-healthy"
    server = _server(name, password, [])
    try:
        run = Run(tmp_path, server, name, password)
        proc = run.run()
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
        after = {i["name"]: i["access_vlan"] for i in config_of(server)["interfaces"]}
        assert [after[p] for p in PORTS] == [999, 999, 999]
        assert {r["result"] for r in run.audit()} == {"applied"}
        again = run.run()
        assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-2000:]
    finally:
        server.stop()


@pytest.mark.parametrize("case", ["unreachable", "wrong-password", "garbage-read"])
def test_failure_before_any_change_sends_nothing(tmp_path: Path, password: str, case: str) -> None:
    name = f"sw-{case}"
    faults = [Fault("garbage", r"^show interfaces switchport$", message="binary")] if case == "garbage-read" else []
    server = None if case == "unreachable" else _server(name, password, faults)
    try:
        before = config_of(server) if server else None
        run = Run(tmp_path, server, name, password)
        proc = run.run(wrong_password=case == "wrong-password")
        if case == "garbage-read" and proc.returncode == 0:
            # junk in one table may also just be skipped: then nothing may have been isolated wrongly
            after = config_of(server)  # type: ignore[arg-type]
            changed = [i["name"] for i, j in zip(after["interfaces"], before["interfaces"]) if i != j]  # type: ignore[index]
            assert set(changed) <= set(PORTS)
            return
        fatal = _fails_naming_switch(proc, name)
        expected = {
            "unreachable": "connection refused",
            "wrong-password": "authentication failed",
            "garbage-read": name,
        }
        assert expected[case] in fatal, fatal[:1500]
        if case in ("unreachable", "wrong-password"):
            # the failed attempt is on record although the switch never took a session
            records = run.audit()
            assert [r["result"] for r in records] == ["failed-not-connected"], records
            assert records[0]["switch"] == name and expected[case] in records[0]["detail"]
            assert password not in json.dumps(records)
        if server is not None:
            assert config_of(server) == before
            assert not [ln for ln in server.log if ln.startswith(("configure", "interface"))], server.log
    finally:
        if server is not None:
            server.stop()
