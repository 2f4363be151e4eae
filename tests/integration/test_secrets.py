# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: a distinctive switch password (and an SSH private key) is used for discovery
(``ansible-inventory --list -vvv`` with the inventory cache on), ``mac_table_info`` and
``port_isolation`` (check mode, planned, applied) in an ``ansible-playbook -vvv`` run with an
Ansible log file, and ``compliance_report``; one switch refuses the password so that an
authentication error is produced too. Then every output and every file written is searched for
the password and for each line of the private key's base64 body: none may appear.

The switches are ``faultserver`` SSH servers on loopback (real SSH, password and public-key
authentication, host keys checked against a known_hosts file).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import paramiko
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultserver import FaultServer, ansible_env, run_ansible

from lab.nos import make_view

pytest.importorskip("netmiko")
pytestmark = pytest.mark.fakenos

REPO = Path(__file__).resolve().parents[2]
CAM = "bc:ad:28:01:02:03"


class World:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.password = "CgPw-" + secrets.token_urlsafe(24)
        self.key_path = tmp / "id_rsa"
        key = paramiko.RSAKey.generate(2048)
        key.write_private_key_file(str(self.key_path))
        os.chmod(self.key_path, 0o600)
        self.key_lines = [
            ln.strip() for ln in self.key_path.read_text().splitlines() if ln.strip() and "-----" not in ln
        ]
        assert len(self.key_lines) > 10
        self.servers: Dict[str, FaultServer] = {}

        def view(name: str, password: str, n: int) -> Dict[str, Any]:
            return make_view(
                "cisco_ios",
                name,
                password=password,
                access_ports=4,
                vlans={10: "cameras", 20: "users", 999: "CAMGUARD-QUARANTINE"},
                endpoints=[{"mac": CAM[:-1] + str(n), "port": 3, "vlan": 10}],
            )

        self.servers["sw-pw"] = FaultServer(view("sw-pw", self.password, 3)).start()
        self.servers["sw-key"] = FaultServer(view("sw-key", "unused-" + secrets.token_hex(8), 4), pubkey=key).start()
        self.servers["sw-refuses"] = FaultServer(view("sw-refuses", "other-" + secrets.token_hex(8), 5)).start()
        self.known_hosts = tmp / "known_hosts"
        self.known_hosts.write_text("".join(s.known_hosts() for s in self.servers.values()), encoding="utf-8")
        self.state_dir = tmp / "state"
        self.report_dir = tmp / "report"
        self.cache_dir = tmp / "cache"
        self.log_file = tmp / "ansible.log"
        self.outputs: Dict[str, str] = {}

    def stop(self) -> None:
        for s in self.servers.values():
            s.stop()

    def env(self) -> Dict[str, str]:
        return ansible_env(self.tmp, CAMGUARD_PASSWORD=self.password, ANSIBLE_LOG_PATH=str(self.log_file))

    def inventory(self) -> Path:
        switches: List[Dict[str, Any]] = []
        for name, srv in self.servers.items():
            sw: Dict[str, Any] = {"name": name, "host": "127.0.0.1", "port": srv.port, "platform": "cisco_ios"}
            if name == "sw-key":
                sw["private_key_file"] = str(self.key_path)
                sw["password_env"] = "CAMGUARD_NOT_SET"
            switches.append(sw)
        cfg = {
            "plugin": "camguard.network.mac_table",
            "username": "camguard",
            "password_env": "CAMGUARD_PASSWORD",
            "known_hosts_file": str(self.known_hosts),
            "connect_timeout": 5,
            "command_timeout": 8,
            "use_registry": False,
            "cache": True,
            "cache_plugin": "ansible.builtin.jsonfile",
            "cache_connection": str(self.cache_dir),
            "switches": switches,
        }
        path = self.tmp / "secrets.mac_table.yml"
        path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
        return path

    def playbook(self) -> Path:
        common = {
            "switch": "{{ inventory_hostname }}",
            "host": "{{ ansible_host }}",
            "port": "{{ ansible_port }}",
            "platform": "cisco_ios",
            "username": "camguard",
            "known_hosts_file": str(self.known_hosts),
        }
        auth_pw = {"password": "{{ lookup('ansible.builtin.env', 'CAMGUARD_PASSWORD') }}"}
        auth_key = {"private_key_file": str(self.key_path)}
        iso = {
            "ports": "{{ camguard_findings }}",
            "state_dir": str(self.state_dir),
            "templates_dir": str(REPO / "roles" / "camera_isolation" / "templates"),
            "change_id": "CHG-SECRET",
        }
        tasks: List[Dict[str, Any]] = [
            {
                "name": "read the switch",
                "camguard.network.mac_table_info": {**common, **auth_pw},
                "register": "info",
                "when": "inventory_hostname == 'sw-pw'",
            },
            {
                "name": "read the switch with a key",
                "camguard.network.mac_table_info": {**common, **auth_key},
                "register": "info_key",
                "when": "inventory_hostname == 'sw-key'",
            },
            {
                "name": "plan (check mode)",
                "camguard.network.port_isolation": {**common, **auth_pw, **iso},
                "check_mode": True,
                "register": "check",
                "when": "inventory_hostname == 'sw-pw'",
            },
            {
                "name": "plan for approval",
                "camguard.network.port_isolation": {**common, **auth_pw, **iso, "state": "planned"},
                "register": "planned",
                "when": "inventory_hostname == 'sw-pw'",
            },
            {
                "name": "apply",
                "camguard.network.port_isolation": {**common, **auth_pw, **iso},
                "register": "applied",
                "when": "inventory_hostname == 'sw-pw'",
            },
            {
                "name": "apply with a key",
                "camguard.network.port_isolation": {**common, **auth_key, **iso, "mode": "shutdown"},
                "register": "applied_key",
                "when": "inventory_hostname == 'sw-key'",
            },
            {"name": "show everything", "ansible.builtin.debug": {"var": "vars"}},
            {
                "name": "report",
                "camguard.network.compliance_report": {
                    "findings": "{{ groups['camguard_switches'] | map('extract', hostvars, 'camguard_findings') | flatten }}",
                    "unreachable": "{{ groups['camguard_unreachable'] }}",
                    "dest": str(self.report_dir),
                },
                "run_once": True,
            },
        ]
        play = [
            {
                "name": "secrets",
                "hosts": "camguard_switches:!camguard_unreachable",
                "connection": "local",
                "gather_facts": False,
                "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                "tasks": tasks,
            }
        ]
        path = self.tmp / "secrets.yml"
        path.write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("secrets"))
    try:
        inv = w.inventory()
        listing = w.tmp / "inventory.json"
        p1 = run_ansible("ansible-inventory", ["-i", str(inv), "--list", "-vvv", "--output", str(listing)], w.env())
        assert p1.returncode == 0, p1.stderr[-3000:]
        w.outputs["ansible-inventory stdout"] = p1.stdout
        w.outputs["ansible-inventory stderr"] = p1.stderr
        p2 = run_ansible("ansible-playbook", ["-vvv", "-i", str(inv), str(w.playbook())], w.env())
        w.outputs["ansible-playbook stdout"] = p2.stdout
        w.outputs["ansible-playbook stderr"] = p2.stderr
        assert p2.returncode == 0, (p2.stdout + p2.stderr)[-4000:]
        yield w
    finally:
        w.stop()


def _files(*roots: Path) -> List[Path]:
    out: List[Path] = []
    for r in roots:
        if r.is_file():
            out.append(r)
        elif r.is_dir():
            out.extend(p for p in r.rglob("*") if p.is_file())
    return out


def test_the_runs_did_what_they_should(world: World) -> None:
    """Without this the search below could pass on empty outputs."""
    inv = json.loads((world.tmp / "inventory.json").read_text())
    assert inv["camguard_unreachable"]["hosts"] == ["sw-refuses"]
    out = world.outputs["ansible-playbook stdout"]
    assert "camguard_findings" in out and CAM in out
    audit = [json.loads(ln) for ln in (world.state_dir / "audit.jsonl").read_text().splitlines()]
    assert {(r["switch"], r["result"]) for r in audit} == {("sw-pw", "applied"), ("sw-key", "applied")}
    assert list((world.state_dir / "plans").glob("*.json"))
    assert list((world.state_dir / "sw-pw").glob("running-config-*.txt"))
    assert {p.suffix for p in world.report_dir.iterdir()} >= {".json", ".csv", ".html", ".xml"}
    assert world.log_file.stat().st_size > 1000
    assert any(world.cache_dir.iterdir())
    for name in ("sw-pw", "sw-key"):
        assert world.servers[name].sessions >= 3  # discovery, info, isolation really logged in


def test_no_secret_in_any_output_or_file(world: World) -> None:
    needles = {"password": world.password, **{f"private key line {i}": ln for i, ln in enumerate(world.key_lines)}}
    haystacks: Dict[str, str] = dict(world.outputs)
    files = _files(world.tmp / "inventory.json", world.state_dir, world.report_dir, world.cache_dir, world.log_file)
    assert len(files) >= 8
    for f in files:
        haystacks[str(f)] = f.read_text(encoding="utf-8", errors="replace")
    leaks = [(what, where) for where, text in haystacks.items() for what, needle in needles.items() if needle in text]
    assert not leaks, f"secrets found: {leaks[:10]}"


def test_auth_error_names_the_switch_without_the_password(world: World) -> None:
    inv = json.loads((world.tmp / "inventory.json").read_text())
    err = json.dumps(inv["_meta"]["hostvars"]["sw-refuses"]["camguard_error"])
    assert "sw-refuses" in err and "authentication failed" in err
    assert world.password not in err
    assert "sw-refuses could not be polled" in " ".join(world.outputs["ansible-inventory stderr"].split())


def test_no_credential_variable_in_hostvars(world: World) -> None:
    inv = json.loads((world.tmp / "inventory.json").read_text())
    for host, hv in inv["_meta"]["hostvars"].items():
        for key in hv:
            assert key not in (
                "ansible_password",
                "ansible_ssh_pass",
                "camguard_password",
                "ansible_become_password",
            ), (
                host,
                key,
            )
