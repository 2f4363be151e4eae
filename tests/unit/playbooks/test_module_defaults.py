# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``module_defaults: group/camguard.network.switch`` reaches the modules that log in to a switch, and
the role asks for the ansible-core that meta/runtime.yml requires."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
SEAM = REPO / "tests" / "unit" / "seam_cli.py"
sys.path.insert(0, str(REPO / "tests" / "unit" / "plugins" / "inventory"))
from test_mac_table import SW1  # noqa: E402


def test_action_group_lists_the_switch_modules() -> None:
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())
    assert runtime["action_groups"]["switch"] == ["mac_table_info", "port_isolation"]
    for name in runtime["action_groups"]["switch"]:
        assert (REPO / "plugins" / "modules" / f"{name}.py").is_file()


def test_role_min_ansible_version_is_the_collections() -> None:
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())
    meta = yaml.safe_load((REPO / "roles" / "camera_isolation" / "meta" / "main.yml").read_text())
    assert runtime["requires_ansible"] == f">={meta['galaxy_info']['min_ansible_version']}.0"


def test_module_defaults_group_reaches_mac_table_info(tmp_path: Path) -> None:
    play = [
        {
            "name": "module_defaults for every switch module",
            "hosts": "localhost",
            "gather_facts": False,
            "module_defaults": {
                "group/camguard.network.switch": {
                    "username": "defaults-user",
                    "password_env": "SITE_PW",
                    "known_hosts_file": "/etc/camguard/known_hosts",
                    "platform": "cisco_ios",
                }
            },
            "tasks": [
                {
                    "name": "Read the switch",
                    "camguard.network.mac_table_info": {"switch": "sw1", "host": "192.0.2.1"},
                    "register": "info",
                },
                {"name": "Show", "ansible.builtin.debug": {"msg": "{{ info.mac_table | length }} MACs"}},
            ],
        }
    ]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    (tmp_path / "outputs.json").write_text(json.dumps({"sw1": SW1}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CAMGUARD_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        CAMGUARD_SEAM_LOG=str(tmp_path / "seam.jsonl"),
        CAMGUARD_SEAM_OUTPUTS=str(tmp_path / "outputs.json"),
        SITE_PW="pw-from-site",
    )
    proc = subprocess.run(
        [sys.executable, str(SEAM), "ansible-playbook", "-i", "localhost,", "-c", "local", str(tmp_path / "play.yml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [record] = [json.loads(x) for x in (tmp_path / "seam.jsonl").read_text().splitlines()]
    assert (record["switch"], record["username"], record["known_hosts_file"]) == (
        "sw1",
        "defaults-user",
        "/etc/camguard/known_hosts",
    )
    assert record["password_sha256"]  # from the variable module_defaults named
    assert "MACs" in proc.stdout and "pw-from-site" not in proc.stdout + proc.stderr
