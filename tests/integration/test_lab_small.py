# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``small`` lab, for real: kernel bridges learn MACs from real traffic, a camera reaches the
workstation until its port is moved to the quarantine bridge by hand, SSH answers with the lab
key, and ``down`` leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"


def sh(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check, timeout=60)


def fdb(ns: str) -> List[Dict[str, Any]]:
    return json.loads(sh("/usr/sbin/bridge", "-n", ns, "-j", "fdb", "show").stdout)


def learned(ns: str) -> Dict[str, str]:
    """mac -> port for learned entries (master set, not permanent, no self flag)."""
    return {
        e["mac"]: e["ifname"]
        for e in fdb(ns)
        if e.get("master") and e.get("state") != "permanent" and "self" not in e.get("flags", [])
    }


def ping(lab: Any, src: str, dst_ip: str) -> bool:
    return (
        sh("/usr/sbin/ip", "netns", "exec", lab.ns(src), "ping", "-c1", "-W1", "-n", dst_ip, check=False).returncode
        == 0
    )


def test_real_learning_matches_ground_truth(lab_small: Any) -> None:
    cam1 = lab_small.endpoint("cam1")
    assert cam1["switch"] == "sw2" and cam1["vendor"] == "hikvision"
    # the camera on switch 2 is learned on switch 1's uplink (the VXLAN trunk over up1)
    sw1 = learned(lab_small.ns("sw1"))
    assert sw1[cam1["mac"]] == "vx1v10"
    assert learned(lab_small.ns("sw2"))[cam1["mac"]] == "swp3"
    for ep in lab_small.gt["endpoints"]:
        for hop in ep["learned_on"]:
            table = learned(lab_small.ns(hop["switch"]))
            where = table.get(ep["mac"])
            expect = hop["interface"]
            assert where == expect or (expect.startswith("up") and where == f"vx1v{ep['vlan']}"), (
                ep["name"],
                hop,
                where,
            )


def test_macs_stay_learned(lab_small: Any) -> None:
    """Endpoints keep talking: flushing a switch's table refills it from live traffic."""
    ns = lab_small.ns("sw1")
    macs = {e["mac"] for e in lab_small.gt["endpoints"] if e["switch"] == "sw2" and e["vlan"] == 10}
    for mac in macs:  # forget the bridge entries only (the VXLAN device's own entries stay)
        sh("/usr/sbin/bridge", "-n", ns, "fdb", "del", mac, "dev", "vx1v10", "master")
    assert not macs & set(learned(ns))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not macs <= set(learned(ns)):
        time.sleep(0.2)
    assert macs <= set(learned(ns))


def test_quarantine_by_hand_stops_traffic(lab_small: Any) -> None:
    ws_ip = lab_small.endpoint("ws1")["ip"]
    sw2 = lab_small.ns("sw2")
    assert ping(lab_small, "cam1", ws_ip)
    sh("/usr/sbin/ip", "-n", sw2, "link", "set", "swp3", "master", "br999")
    try:
        assert not ping(lab_small, "cam1", ws_ip)
        assert ping(lab_small, "cam3", ws_ip)  # the rest of VLAN 10 is unaffected
    finally:
        sh("/usr/sbin/ip", "-n", sw2, "link", "set", "swp3", "master", "br10")
    assert ping(lab_small, "cam1", ws_ip)


def test_ssh_collects_with_the_lab_key(lab_small: Any) -> None:
    sw = lab_small.gt["switches"]["sw1"]
    sec = lab_small.state / "secrets"
    assert oct((sec).stat().st_mode & 0o777) == "0o700"
    out = sh(
        "ssh",
        "-i",
        str(sec / "id_ed25519"),
        "-o",
        f"UserKnownHostsFile={sec / 'known_hosts'}",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "BatchMode=yes",
        "-p",
        str(sw["port"]),
        f"camguard@{sw['host']}",
        "hostname; /usr/sbin/bridge -j fdb show; sudo -n /usr/sbin/nft list tables",
    ).stdout
    lines = out.splitlines()
    assert lines[0] == "sw1"
    assert lab_small.endpoint("cam1")["mac"] in lines[1]
    password = (sec / "password").read_text(encoding="utf-8").strip()
    for f in ("ground_truth.json", "env.sh", "inventory/lab.mac_table.yml", "run.json"):
        assert password not in (lab_small.state / f).read_text(encoding="utf-8"), f


def test_move_reattaches_the_camera(lab_small: Any, labctl_run: Any) -> None:
    labctl_run(lab_small.state, "move", "cam2")
    lab_small.reload()
    cam2 = lab_small.endpoint("cam2")
    assert cam2["learned_on"][0] == {"switch": "sw1", "interface": "swp7"}
    assert ping(lab_small, "cam2", lab_small.endpoint("ws1")["ip"])
    want = {"sw1": "swp7", "sw2": "vx1v10"}  # the broadcast keep-alive (every 2 s) reaches sw2 too
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(learned(lab_small.ns(s)).get(cam2["mac"]) != p for s, p in want.items()):
        time.sleep(0.2)
    assert {s: learned(lab_small.ns(s)).get(cam2["mac"]) for s in want} == want


def test_status_reports_a_healthy_lab(lab_small: Any, labctl_run: Any) -> None:
    out = labctl_run(lab_small.state, "status").stdout
    assert f"run {lab_small.prefix}" in out and "learned MACs" in out


def test_down_leaves_nothing_behind(tmp_path: Path, lab_root: None, labctl_run: Any) -> None:
    """A separate run (own prefix): up, down, and nothing with the prefix is left; down twice is fine."""
    labctl = labctl_run
    import netns

    state = tmp_path / "state"
    etc_before = {
        f: Path(f).read_bytes() for f in ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/sudoers", "/etc/hosts")
    }
    labctl(state, "up", str(LAB / "topologies" / "small.yml"), "--owner-pid", str(os.getpid()))
    prefix = json.loads((state / "run.json").read_text(encoding="utf-8"))["prefix"]
    assert netns.leftovers(prefix)["netns"]
    labctl(state, "down")
    assert netns.leftovers(prefix) == {"netns": [], "links": [], "processes": []}
    assert not state.exists()
    assert not (netns.REGISTRY_DIR / f"{prefix}.json").exists()
    assert labctl(state, "down").returncode == 0  # idempotent
    assert {f: Path(f).read_bytes() for f in etc_before} == etc_before


def test_crashed_run_is_cleaned_by_the_next_down(tmp_path: Path, lab_root: None, labctl_run: Any) -> None:
    """Kill the build half-way (SIGKILL of labctl): the journal still lets 'down' remove it all."""
    labctl = labctl_run
    import netns

    state = tmp_path / "state"
    env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    proc = subprocess.Popen(
        [sys.executable, str(LAB / "labctl.py"), "up", str(LAB / "topologies" / "small.yml")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    prefix = None
    while time.monotonic() < deadline:
        run = state / "run.json"
        if run.exists():
            data = json.loads(run.read_text(encoding="utf-8"))
            prefix = data["prefix"]
            if len(data["netns"]) >= 4:
                break
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert prefix is not None
    assert netns.leftovers(prefix)["netns"], "the crash should have left namespaces behind"
    labctl(state, "down")
    assert netns.leftovers(prefix) == {"netns": [], "links": [], "processes": []}


def test_up_without_root_says_what_is_missing(tmp_path: Path, lab_root: None) -> None:
    state = tmp_path / "state-nobody"
    state.parent.chmod(0o777)
    cmd = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        sys.executable,
        str(LAB / "labctl.py"),
        "up",
        str(LAB / "topologies" / "small.yml"),
    ]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=dict(os.environ, CAMGUARD_LAB_STATE=str(state)),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "cannot build the lab; missing:" in proc.stdout
    assert "root privileges" in proc.stdout
    assert not state.exists()
