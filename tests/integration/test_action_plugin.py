# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``camguard.network.port_isolation`` and ``mac_table_info`` run on the controller through their action plugins.

Against a real SSH switch (``faultserver`` without faults: the lab's IOS CLI behind paramiko):

* a play runs the action plugin, not the module (no module ``invocation`` in the result), and the
  plan it computes is exactly the plan of the module executed on its own, as a module, with the
  same options;
* the task's ``environment:`` keyword reaches the options' environment fallbacks and ``password_env``
  as it would reach a module, and does not leak into the next task;
* check mode changes nothing, ``--diff`` returns the diff, bad options fail naming the option;
* two switches at once (forks) each get their own, correct result;
* ``mac_table_info`` likewise returns, from its action plugin, what the module returns.

Run: .venv/bin/python -m pytest -q tests/integration/test_action_plugin.py
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultserver import COLLECTIONS, FaultServer, ansible_env, run_ansible
from test_faults_isolation import CAMS, PORTS, TEMPLATES, config_of, switch_view

pytest.importorskip("netmiko")
pytestmark = pytest.mark.fakenos


@pytest.fixture
def password() -> str:
    return "Cg-" + secrets.token_urlsafe(18)


@pytest.fixture
def server(password: str):  # type: ignore[no-untyped-def]
    srv = FaultServer(switch_view("sw-action", password), []).start()
    try:
        yield srv
    finally:
        srv.stop()


def _args(tmp: Path, srv: FaultServer, name: str = "sw-action", **extra: Any) -> Dict[str, Any]:
    known = tmp / f"known_hosts-{name}"
    known.write_text(srv.known_hosts(), encoding="utf-8")
    args: Dict[str, Any] = {
        "switch": name,
        "host": "127.0.0.1",
        "port": srv.port,
        "platform": "cisco_ios",
        "username": "camguard",
        "password_env": "CG_SWITCH_PW",
        "known_hosts_file": str(known),
        "connect_timeout": 5,
        "command_timeout": 10,
        "ports": [{"mac": m, "interface": p, "vlan": 10, "vendor_key": "hikvision"} for m, p in zip(CAMS, PORTS)],
        "mode": "vlan",
        "change_id": "CHG-ACTION-1",
        "state_dir": str(tmp / "state"),
        "templates_dir": str(TEMPLATES),
    }
    args.update(extra)
    return args


def _play(tmp: Path, tasks: List[Dict[str, Any]], hosts: str = "localhost") -> Path:
    play = [
        {
            "name": "port isolation on the controller",
            "hosts": hosts,
            "connection": "local",
            "gather_facts": False,
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            "tasks": tasks,
        }
    ]
    path = tmp / f"play-{secrets.token_hex(3)}.yml"
    path.write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
    return path


def _dump(var: str, dest: Path) -> Dict[str, Any]:
    return {
        "name": f"keep {var}",
        "ansible.builtin.copy": {"content": f"{{{{ {var} | to_json }}}}", "dest": str(dest), "mode": "0600"},
        "delegate_to": "localhost",
        "check_mode": False,
    }


def _ok(proc: Any) -> None:
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def _run_module_directly(
    tmp: Path, args: Dict[str, Any], env: Dict[str, str], module: str = "port_isolation"
) -> Dict[str, Any]:
    """The module executed as a module (what AnsiballZ would run), not through the action plugin."""
    path = tmp / "module-args.json"
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    source = Path(__file__).resolve().parents[2] / "plugins" / "modules" / f"{module}.py"
    proc = subprocess.run(
        [sys.executable, str(source), str(path)],
        capture_output=True,
        text=True,
        env=dict(env, PYTHONPATH=str(COLLECTIONS)),
        timeout=120,
        check=False,
    )
    assert proc.stdout.strip(), proc.stderr[-3000:]
    result: Dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_play_runs_the_action_plugin_and_plans_exactly_as_the_module(
    tmp_path: Path, server: FaultServer, password: str
) -> None:
    env = ansible_env(tmp_path, CG_SWITCH_PW=password)
    module_result = _run_module_directly(tmp_path, _args(tmp_path, server, state="planned"), env)
    assert "invocation" in module_result, "the module run did not go through AnsibleModule"
    assert not module_result.get("failed"), module_result.get("msg")

    out = tmp_path / "action.json"
    args = _args(tmp_path, server, state="planned", state_dir=str(tmp_path / "state-action"))
    proc = run_ansible(
        "ansible-playbook",
        [
            "-i",
            "localhost,",
            str(_play(tmp_path, [{"camguard.network.port_isolation": args, "register": "r"}, _dump("r", out)])),
        ],
        env,
    )
    _ok(proc)
    action_result = json.loads(out.read_text(encoding="utf-8"))
    assert "invocation" not in action_result, "the play ran the module, not the action plugin"
    for key in ("changed", "config", "refused", "verified"):
        assert action_result.get(key) == module_result.get(key), key
    assert action_result["plan"]["changes"] == module_result["plan"]["changes"]
    assert [c["interface"] for c in action_result["plan"]["changes"]] == PORTS
    assert Path(action_result["plan_file"]).is_file()
    assert password not in proc.stdout + proc.stderr + out.read_text(encoding="utf-8")


def test_task_environment_reaches_password_env_and_does_not_leak(
    tmp_path: Path, server: FaultServer, password: str
) -> None:
    """The password comes only from the task's ``environment:``; the next task does not see it."""
    env = ansible_env(tmp_path, CG_OUTER_PW=password)
    before = config_of(server)
    leak = tmp_path / "leak.json"
    res = tmp_path / "result.json"
    tasks = [
        {
            "camguard.network.port_isolation": _args(tmp_path, server),
            "environment": {"CG_SWITCH_PW": "{{ lookup('ansible.builtin.env', 'CG_OUTER_PW') }}"},
            "register": "r",
        },
        _dump("r", res),
        {"ansible.builtin.set_fact": {"seen": "{{ lookup('ansible.builtin.env', 'CG_SWITCH_PW') }}"}},
        _dump("seen", leak),
    ]
    proc = run_ansible("ansible-playbook", ["-i", "localhost,", str(_play(tmp_path, tasks))], env)
    _ok(proc)
    result = json.loads(res.read_text(encoding="utf-8"))
    assert result["changed"] and result["verified"]
    after = {i["name"]: i["access_vlan"] for i in config_of(server)["interfaces"]}
    assert [after[p] for p in PORTS] == [999, 999, 999]
    assert config_of(server) != before
    assert json.loads(leak.read_text(encoding="utf-8")) == "", "the task environment leaked into the next task"

    # without the task environment there is no password: the run fails naming the switch
    proc = run_ansible(
        "ansible-playbook",
        ["-i", "localhost,", str(_play(tmp_path, [{"camguard.network.port_isolation": _args(tmp_path, server)}]))],
        ansible_env(tmp_path),
    )
    assert proc.returncode != 0
    assert "sw-action" in proc.stdout + proc.stderr


def test_check_mode_diff_and_bad_options(tmp_path: Path, server: FaultServer, password: str) -> None:
    env = ansible_env(tmp_path, CG_SWITCH_PW=password)
    before = config_of(server)
    out = tmp_path / "check.json"
    tasks = [{"camguard.network.port_isolation": _args(tmp_path, server), "register": "r"}, _dump("r", out)]
    proc = run_ansible("ansible-playbook", ["-i", "localhost,", "--check", "--diff", str(_play(tmp_path, tasks))], env)
    _ok(proc)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert config_of(server) == before, "check mode changed the switch"
    assert result["changed"] and [c["interface"] for c in result["plan"]["changes"]] == PORTS
    assert result.get("diff"), "--diff returned no diff"
    assert not (tmp_path / "state" / "audit.jsonl").exists(), "check mode wrote the audit log"

    for bad, words in (({"mode": "sideways"}, "mode"), ({"no_such_option": 1}, "no_such_option")):
        tasks = [{"camguard.network.port_isolation": _args(tmp_path, server, **bad)}]
        proc = run_ansible("ansible-playbook", ["-i", "localhost,", str(_play(tmp_path, tasks))], env)
        assert proc.returncode != 0
        fatal = proc.stdout[proc.stdout.find("fatal:") :]
        assert words in fatal, fatal[:2000]
        assert password not in proc.stdout + proc.stderr
    assert config_of(server) == before


def test_two_switches_in_parallel_each_get_their_own_result(tmp_path: Path, password: str) -> None:
    servers = [FaultServer(switch_view(f"sw-par{i}", password), []).start() for i in (1, 2)]
    try:
        hosts = {}
        for i, s in zip((1, 2), servers):
            a = _args(tmp_path, s, name=f"sw-par{i}")
            hosts[f"sw-par{i}"] = {"cg_port": a["port"], "cg_known": a["known_hosts_file"]}
        inv_path = tmp_path / "inventory.yml"
        inv_path.write_text(yaml.safe_dump({"all": {"hosts": hosts}}), encoding="utf-8")
        task = dict(
            _args(tmp_path, servers[0]),
            switch="{{ inventory_hostname }}",
            port="{{ cg_port }}",
            known_hosts_file="{{ cg_known }}",
        )
        tasks = [
            {"camguard.network.port_isolation": task, "register": "r"},
            _dump("r", tmp_path / "{{ inventory_hostname }}.json"),
        ]
        env = ansible_env(tmp_path, CG_SWITCH_PW=password)
        proc = run_ansible(
            "ansible-playbook", ["-i", str(inv_path), "-f", "2", str(_play(tmp_path, tasks, "all"))], env
        )
        _ok(proc)
        for i, s in zip((1, 2), servers):
            result = json.loads((tmp_path / f"sw-par{i}.json").read_text(encoding="utf-8"))
            assert result["verified"] and [c["interface"] for c in result["plan"]["changes"]] == PORTS
            assert result["switch"] == f"sw-par{i}"
            assert {r["switch"] for r in result["audit_records"]} == {f"sw-par{i}"}
            after = {x["name"]: x["access_vlan"] for x in config_of(s)["interfaces"]}
            assert [after[p] for p in PORTS] == [999, 999, 999]
    finally:
        for s in servers:
            s.stop()
    assert os.environ.get("CG_SWITCH_PW") is None


def test_mac_table_info_runs_on_the_controller_and_matches_the_module(
    tmp_path: Path, server: FaultServer, password: str
) -> None:
    env = ansible_env(tmp_path, CG_SWITCH_PW=password)
    full = _args(tmp_path, server)
    args = {k: full[k] for k in ("switch", "host", "port", "platform", "username", "password_env", "known_hosts_file")}
    module_result = _run_module_directly(tmp_path, args, env, module="mac_table_info")
    assert "invocation" in module_result and not module_result.get("failed"), module_result.get("msg")
    out = tmp_path / "info.json"
    tasks = [{"camguard.network.mac_table_info": args, "register": "r"}, _dump("r", out)]
    proc = run_ansible("ansible-playbook", ["-i", "localhost,", str(_play(tmp_path, tasks))], env)
    _ok(proc)
    action_result = json.loads(out.read_text(encoding="utf-8"))
    assert "invocation" not in action_result, "the play ran the module, not the action plugin"
    assert {m["mac"] for m in action_result["mac_table"]} >= set(CAMS)
    for key in ("mac_table", "arp", "neighbors", "ports", "own_macs", "platform", "switch"):
        assert action_result[key] == module_result[key], key
    # a switch that refuses the password: the task fails naming the switch, without the password
    proc = run_ansible(
        "ansible-playbook",
        ["-i", "localhost,", str(_play(tmp_path, tasks[:1]))],
        ansible_env(tmp_path, CG_SWITCH_PW="not-" + password),
    )
    assert proc.returncode != 0 and "sw-action" in proc.stdout[proc.stdout.find("fatal:") :]
    assert password not in proc.stdout + proc.stderr
