# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation on real Linux-bridge switches over real SSH, proven with traffic.

Brings up the ``small`` lab topology (``lab/labctl.py``, its own state dir and name prefix), then
drives ``port_isolation``'s apply path (``run_isolation`` over ``NetmikoTransport``, the same
code the module runs) against switch sw2, where camera cam1 sits on swp3:

- check mode sends nothing: the switch reads back identical and traffic is unchanged;
- vlan and shutdown: cam1 can no longer reach the workstation (nor the NVR);
- acl: cam1 still reaches the NVR and nothing else;
- a second run changes nothing (idempotency twin);
- release: all traffic is back and the switch reads back as before.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect import open_transport, target_from_params
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import default_reader
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
LABCTL = [sys.executable, str(REPO / "lab" / "labctl.py")]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    # not under pytest's 0700 tmp root: the lab's sshd reads the user's authorized_keys as that user
    state = Path(tempfile.mkdtemp(prefix="cgiso-lab-"))
    state.chmod(0o755)
    env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    up = subprocess.run(
        [*LABCTL, "up", str(REPO / "lab" / "topologies" / "small.yml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if up.returncode != 0:
        subprocess.run([*LABCTL, "down"], env=env, capture_output=True, timeout=120, check=False)
        if "missing" in up.stdout:
            pytest.skip(f"lab prerequisites missing: {up.stdout.strip()[-300:]}")
        pytest.fail(f"lab up failed: {up.stdout[-2000:]}{up.stderr[-2000:]}")
    try:
        run = json.loads((state / "run.json").read_text())
        gt = json.loads((state / "ground_truth.json").read_text())
        yield {"state": state, "prefix": run["prefix"], "gt": gt}
    finally:
        subprocess.run([*LABCTL, "down"], env=env, capture_output=True, timeout=120, check=False)
        shutil.rmtree(state, ignore_errors=True)


def endpoint(lab: Dict[str, Any], name: str) -> Dict[str, Any]:
    return next(e for e in lab["gt"]["endpoints"] if e["name"] == name)


def reaches(lab: Dict[str, Any], src: str, dst: str) -> bool:
    ns = f"{lab['prefix']}-{src}"
    ip = endpoint(lab, dst)["ip"]
    for _unused in range(2):  # one retry: the first packet after a change may wait for ARP
        if (
            subprocess.run(
                ["ip", "netns", "exec", ns, "ping", "-c1", "-W1", "-q", ip], capture_output=True, check=False
            ).returncode
            == 0
        ):
            return True
    return False


def switch_target(lab: Dict[str, Any], name: str):
    sw = lab["gt"]["switches"][name]
    sec = lab["state"] / "secrets"
    return target_from_params(
        name=name,
        host=sw["host"],
        platform="linux_bridge",
        port=sw.get("port", 22),
        username="camguard",
        private_key_file=str(sec / "id_ed25519"),
        known_hosts_file=str(sec / "known_hosts"),
        backend="linux",
    )


def run(lab: Dict[str, Any], state_dir: Path, mode: str, state: str = "isolated", check: bool = False):
    cam = endpoint(lab, "cam1")
    target = switch_target(lab, "sw2")
    transport = open_transport(target)
    try:
        return run_isolation(
            transport,
            "linux_bridge",
            "sw2",
            [PortTarget(cam["mac"], cam["port"], cam["vlan"], "hikvision")],
            Options(
                mode=mode,
                state=state,
                change_id="CHG-LAB-1",
                allowed_peers=(endpoint(lab, "nvr1")["ip"] + "/32",),
                check_mode=check,
            ),
            StateStore(str(state_dir), "sw2"),
            TEMPLATES,
            root=False,
            user="pytest",
        )
    finally:
        transport.close()


def read_ports(lab: Dict[str, Any]) -> List[Any]:
    transport = open_transport(switch_target(lab, "sw2"))
    try:
        live = default_reader("linux_bridge", "sw2", root=False)(transport, False)
        return sorted((p.name, p.access_vlan, p.enabled, p.name in live.acl_ports) for p in live.ports)
    finally:
        transport.close()


@pytest.mark.parametrize("mode", ["vlan", "shutdown", "acl"])
def test_isolate_and_release_with_traffic(lab: Dict[str, Any], tmp_path: Path, mode: str) -> None:
    assert reaches(lab, "cam1", "ws1") and reaches(lab, "cam1", "nvr1"), "lab baseline: everything reachable"
    before = read_ports(lab)

    check = run(lab, tmp_path, mode, check=True)
    assert check.changed and not check.applied and check.config
    assert read_ports(lab) == before, "check mode changed the switch"
    assert reaches(lab, "cam1", "ws1")

    res = run(lab, tmp_path, mode)
    assert res.changed and res.verified and not res.failed, res.msg
    assert not reaches(lab, "cam1", "ws1"), f"{mode}: camera still reaches the workstation"
    assert reaches(lab, "cam1", "nvr1") is (mode == "acl"), f"{mode}: NVR reachability wrong"
    assert reaches(lab, "ws1", "nvr1"), "isolation must not touch other ports"

    again = run(lab, tmp_path, mode)
    assert not again.changed and not again.applied, "second run must change nothing"

    rel = run(lab, tmp_path, mode, state="released")
    assert rel.changed and rel.verified, rel.msg
    assert read_ports(lab) == before, "release must restore exactly what was there"
    assert reaches(lab, "cam1", "ws1") and reaches(lab, "cam1", "nvr1")
    audit = StateStore(str(tmp_path), "sw2").read_audit()
    assert [(r["action"], r["result"]) for r in audit] == [("isolate", "applied"), ("release", "applied")]
    assert list((tmp_path / "sw2").glob("running-config-*.txt"))
