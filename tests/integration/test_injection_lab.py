# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injection end to end: a switch (``faultserver``, real SSH) whose camera announces an LLDP system
name full of Jinja2 (``{{ lookup('pipe', ...) }}``, ``{% raw %}``), HTML and config keywords.
The real ``mac_table`` inventory plugin puts it into host variables (in findings' evidence);
``ansible-inventory --list`` shows it as data, and a playbook that prints it and uses it inside
a template (``set_fact``) never evaluates it — on this venv's ansible-core and, when
``.venv-newest`` exists, on the newest supported one. The HTML compliance report escapes it.
Restricted-device hosts carry the inert connection: a task aimed at them fails without any
connection.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultserver import NEWEST_BIN, VENV_BIN, FaultServer, ansible_env, run_ansible

from lab.nos import make_view, port_name

pytest.importorskip("netmiko")
pytestmark = pytest.mark.fakenos

CAM = "bc:ad:28:0a:0b:0c"
MARK = "CG_INJECTED"
# each payload, if ever evaluated, prints MARK followed by a digit string it does not contain itself
EVIL = (
    "NVR <script>alert(1)</script>; {{ lookup('pipe','echo " + MARK + "_$((6*7))') }} {{ '" + MARK + "' ~ '_TPL' }} "
    "{% raw %}{{ '" + MARK + "' ~ '_EVAL' }}{% endraw %} interface Gi1/0/9"
)
EVALUATED = (MARK + "_42", MARK + "_EVAL", MARK + "_TPL")


class World:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.password = "Cg-" + secrets.token_urlsafe(16)
        view = make_view(
            "cisco_ios",
            "sw-evil",
            password=self.password,
            access_ports=4,
            endpoints=[{"mac": CAM, "port": 3, "vlan": 10}],
        )
        view["lldp"].append(
            {
                "local_interface": port_name("cisco_ios", 3),
                "remote_name": EVIL,
                "remote_port": "eth0",
                "capabilities": ["station"],
                "remote_mac": CAM,
            }
        )
        self.server = FaultServer(view).start()
        kh = tmp / "known_hosts"
        kh.write_text(self.server.known_hosts(), encoding="utf-8")
        cfg = {
            "plugin": "camguard.network.mac_table",
            "username": "camguard",
            "known_hosts_file": str(kh),
            "use_registry": False,
            "switches": [{"name": "sw-evil", "host": "127.0.0.1", "port": self.server.port, "platform": "cisco_ios"}],
            "compose": {"camguard_label": "camguard_evidence | default([]) | join(' ')"},
        }
        self.inventory = tmp / "evil.mac_table.yml"
        self.inventory.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")

    def env(self) -> Dict[str, str]:
        return ansible_env(self.tmp, CAMGUARD_PASSWORD=self.password)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("inject"))
    try:
        yield w
    finally:
        w.server.stop()


BINDIRS = [pytest.param(VENV_BIN, id="venv")]
if (NEWEST_BIN / "ansible-playbook").exists():
    BINDIRS.append(pytest.param(NEWEST_BIN, id="newest"))


@pytest.mark.parametrize("bindir", BINDIRS)
def test_inventory_lists_the_value_as_data(world: World, bindir: Path) -> None:
    out = world.tmp / f"inv-{bindir.parent.name}.json"
    proc = run_ansible(
        "ansible-inventory", ["-i", str(world.inventory), "--list", "--output", str(out)], world.env(), bindir
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text()
    inv = json.loads(text)
    assert "sw-evil" in inv["camguard_switches"]["hosts"]
    assert "lookup('pipe'" in text and "<script>" in text, "the hostile name should be kept as data"
    for e in EVALUATED:
        assert e not in text, f"{e} in the inventory: a template was evaluated"


@pytest.mark.parametrize("bindir", BINDIRS)
def test_playbook_never_evaluates_device_text(world: World, bindir: Path) -> None:
    report = world.tmp / f"report-{bindir.parent.name}"
    play = [
        {
            "name": "use the device data",
            "hosts": "camguard_switches",
            "connection": "local",
            "gather_facts": False,
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            "tasks": [
                {"ansible.builtin.debug": {"var": "camguard_findings"}},
                {
                    "ansible.builtin.set_fact": {
                        "evidence": "{{ camguard_findings | map(attribute='evidence') | flatten | join(' | ') }}"
                    }
                },
                {"ansible.builtin.set_fact": {"sentence": "Found: {{ evidence }} on {{ inventory_hostname }}"}},
                {"ansible.builtin.debug": {"msg": "{{ sentence }}"}},
                {
                    "ansible.builtin.copy": {
                        "content": "{{ sentence }}\n",
                        "dest": str(world.tmp / f"sentence-{bindir.parent.name}.txt"),
                    }
                },
                {
                    "camguard.network.compliance_report": {
                        "findings": "{{ camguard_findings }}",
                        "dest": str(report),
                        "formats": ["html", "json"],
                    }
                },
            ],
        },
        {
            "name": "a task aimed at a restricted device by mistake",
            "hosts": "camguard_restricted",
            "gather_facts": False,
            "tasks": [{"ansible.builtin.ping": {}, "ignore_unreachable": True}],
        },
    ]
    path = world.tmp / f"use-{bindir.parent.name}.yml"
    path.write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
    proc = run_ansible("ansible-playbook", ["-v", "-i", str(world.inventory), str(path)], world.env(), bindir)
    out = proc.stdout + proc.stderr
    assert "sw-evil" in out and "PLAY RECAP" in out, out[-3000:]
    assert "failed=0" in out.split("PLAY RECAP")[1].split("\n")[1], out[-3000:]  # sw-evil's line
    sentence = (world.tmp / f"sentence-{bindir.parent.name}.txt").read_text()
    assert "lookup('pipe'" in sentence and "Found:" in sentence and "on sw-evil" in sentence
    for e in EVALUATED:
        assert e not in out and e not in sentence, f"{e}: device text was evaluated as a template"
    # the inert connection refused the restricted device without connecting
    assert "camguard.network.inert" in out and "not a target" in out
    html = next(report.glob("*.html")).read_text()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    for e in EVALUATED:
        assert e not in html
