# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs killed at every step of their session on a real Linux-bridge switch, proven with traffic.

Brings up the ``small`` lab topology (``lab/labctl.py``, its own state dir and name prefix) and
isolates camera cam1 on sw2 in a subprocess (``killrun.py``, over real SSH as the unprivileged lab
user, ``sudo -n``) that SIGKILLs itself after each command of its session. Then the next run
repairs it and isolates: cam1 reaches neither the workstation nor (except in acl mode) the NVR,
its port reads back isolated and the audit log records the repair; release brings all traffic
back and the switch reads back as before. The camguard nftables chain of an ACL-isolated port is
read back rule by rule: a chain emptied behind camguard's back is reported and repaired, the
traffic says so.

Run: .venv/bin/python -m pytest -q tests/integration/test_isolation_crash_linux.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from killrun import KillAfter  # noqa: E402

from ansible_collections.camguard.network.plugins.module_utils._collect import (  # noqa: E402
    open_transport,
    target_from_params,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import RunResult, run_isolation  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (  # noqa: E402
    LiveState,
    default_reader,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import (  # noqa: E402
    StateStore,
    verify_audit_log,
)

pytestmark = pytest.mark.lab

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
LABCTL = [sys.executable, str(REPO / "lab" / "labctl.py")]


@pytest.fixture(scope="module")
def lab() -> Iterator[Dict[str, Any]]:
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    state = Path(tempfile.mkdtemp(prefix="cgcrash-lab-"))
    state.chmod(0o755)
    env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    up = subprocess.run(
        [*LABCTL, "up", str(REPO / "lab" / "topologies" / "small.yml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
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
        subprocess.run([*LABCTL, "down"], env=env, capture_output=True, timeout=180, check=False)
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


def switch_args(lab: Dict[str, Any]) -> Dict[str, Any]:
    sw = lab["gt"]["switches"]["sw2"]
    sec = lab["state"] / "secrets"
    return {
        "name": "sw2",
        "host": sw["host"],
        "port": sw.get("port", 22),
        "platform": "linux_bridge",
        "private_key_file": str(sec / "id_ed25519"),
        "known_hosts": str(sec / "known_hosts"),
        "backend": "linux",
        "root": False,
    }


def transport(lab: Dict[str, Any]) -> Any:
    a = switch_args(lab)
    return open_transport(
        target_from_params(
            name="sw2",
            host=a["host"],
            platform="linux_bridge",
            port=a["port"],
            username="camguard",
            private_key_file=a["private_key_file"],
            known_hosts_file=a["known_hosts"],
            backend="linux",
        )
    )


def go(lab: Dict[str, Any], state: Path, mode: str, run_state: str = "isolated") -> Tuple[RunResult, int]:
    cam = endpoint(lab, "cam1")
    t = KillAfter(transport(lab), None)
    try:
        res = run_isolation(
            t,
            "linux_bridge",
            "sw2",
            [PortTarget(cam["mac"], cam["port"], cam["vlan"], "hikvision")],
            Options(
                mode=mode, state=run_state, change_id="CHG-LAB-2", allowed_peers=(endpoint(lab, "nvr1")["ip"] + "/32",)
            ),
            StateStore(str(state), "sw2"),
            TEMPLATES,
            root=False,
            user="pytest",
        )
    finally:
        t.close()
    return res, t.count


def kill(lab: Dict[str, Any], state: Path, mode: str, n: int) -> subprocess.CompletedProcess[str]:
    cam = endpoint(lab, "cam1")
    args = {
        **switch_args(lab),
        "mode": mode,
        "change_id": "CHG-LAB-1",
        "peers": [endpoint(lab, "nvr1")["ip"] + "/32"],
        "state_dir": str(state),
        "port_name": cam["port"],
        "mac": cam["mac"],
        "kill_after": n,
    }
    return subprocess.run(
        [sys.executable, str(HERE / "killrun.py"), json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def live(lab: Dict[str, Any]) -> LiveState:
    t = transport(lab)
    try:
        return default_reader("linux_bridge", "sw2", root=False)(t, False)
    finally:
        t.close()


def ports(lab: Dict[str, Any]) -> List[Any]:
    s = live(lab)
    return sorted((p.name, p.access_vlan, p.enabled, p.name in s.acl_ports) for p in s.ports)


@pytest.mark.parametrize("mode", ["vlan", "shutdown", "acl"])
def test_a_killed_run_is_repaired_and_the_camera_stays_cut_off(lab: Dict[str, Any], tmp_path: Path, mode: str) -> None:
    assert reaches(lab, "cam1", "ws1"), "lab baseline"
    before = ports(lab)
    ref = tmp_path / "ref"
    res, typed = go(lab, ref, mode)
    assert res.verified, res.msg
    assert go(lab, ref, mode, "released")[0].verified
    assert typed >= 1 and ports(lab) == before
    for n in range(typed):
        state = tmp_path / f"kill-{n}"
        proc = kill(lab, state, mode, n)
        where = f"{mode} killed after {n} command(s)"
        assert proc.returncode == -9, f"{where}: {proc.returncode} {proc.stderr[-1500:]}"
        intent = json.loads((state / "sw2" / "intent.json").read_text())
        again, _unused = go(lab, state, mode)
        assert not again.failed and again.verified in (True, None), f"{where}: {again.msg}"
        assert again.recovered and again.recovered["run_id"] == intent["run_id"], f"{where}: {again.msg}"
        assert again.recovered["action"] in ("completed", "rolled-back"), again.recovered
        assert not (state / "sw2" / "intent.json").exists()
        store = StateStore(str(state), "sw2")
        assert {r["result"] for r in store.read_audit() if r.get("run_id") == intent["run_id"]} <= {
            "applied-recovered",
            "rolled-back-recovered",
        }
        assert verify_audit_log(store.audit_path)["ok"]
        # proved with traffic: cut off from the workstation; the NVR only in acl mode
        assert not reaches(lab, "cam1", "ws1"), f"{where}: the camera reaches the workstation"
        assert reaches(lab, "cam1", "nvr1") is (mode == "acl"), f"{where}: NVR reachability"
        assert reaches(lab, "ws1", "nvr1")
        rel, _unused = go(lab, state, mode, "released")
        assert rel.verified, f"{where}: {rel.msg}"
        assert ports(lab) == before, f"{where}: release did not restore the switch"
        assert reaches(lab, "cam1", "ws1"), f"{where}: release did not restore the traffic"


def test_an_emptied_port_chain_is_reported_and_repaired(lab: Dict[str, Any], tmp_path: Path) -> None:
    res, _unused = go(lab, tmp_path, "acl")
    assert res.verified, res.msg
    cam = endpoint(lab, "cam1")
    content = live(lab).acl
    assert content is not None and content.exists
    assert [e.kind for e in content.entries][-1] == "deny"
    assert ("peer", endpoint(lab, "nvr1")["ip"] + "/32") in [(e.kind, e.value) for e in content.entries]
    # the port's chain emptied behind camguard's back: the camera is open
    ns = f"{lab['prefix']}-sw2"
    chain = "cg_" + "".join(c if c.isalnum() or c == "_" else "_" for c in cam["port"])
    subprocess.run(["ip", "netns", "exec", ns, "nft", "flush", "chain", "bridge", "camguard", chain], check=True)
    assert reaches(lab, "cam1", "ws1")
    # the audit (check mode) does not count the port as isolated; the next run repairs it
    t = transport(lab)
    try:
        audit = run_isolation(
            t,
            "linux_bridge",
            "sw2",
            [PortTarget(cam["mac"], cam["port"], cam["vlan"], "hikvision")],
            Options(
                mode="acl", change_id="CHG-LAB-2", allowed_peers=(endpoint(lab, "nvr1")["ip"] + "/32",), check_mode=True
            ),
            StateStore(str(tmp_path), "sw2"),
            TEMPLATES,
            root=False,
        )
    finally:
        t.close()
    assert audit.acl_problems and cam["port"] not in audit.plan.unchanged, audit.to_dict()
    again, _unused = go(lab, tmp_path, "acl")
    assert again.verified and not again.failed, again.msg
    assert not reaches(lab, "cam1", "ws1") and reaches(lab, "cam1", "nvr1")
    assert go(lab, tmp_path, "acl", "released")[0].verified
    assert reaches(lab, "cam1", "ws1")
