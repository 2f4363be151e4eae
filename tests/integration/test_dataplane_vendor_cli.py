# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation on every vendor-CLI lab switch, proven with traffic.

Brings up the ``multivendor`` lab (a linux_bridge core and one FakeNOS switch per vendor-CLI
platform, each with a real data plane that its CLI state drives, ``lab/nos/dataplane.py``),
then, for the camera of each vendor switch and each mode (vlan, acl, shutdown), through the
collection's real ``port_isolation`` path (``run_isolation`` over ``NetmikoTransport``, as
tests/integration/test_isolation_vendor_cli.py drives it):

- before: the camera reaches the VMS workstation ``vms1`` and the NVR, and the switch's MAC
  table (read from its bridges' FDB) has the camera on its edge port;
- isolated: the camera no longer reaches ``vms1`` (nor ``vms1`` the camera); in acl mode it
  still reaches the NVR; in vlan mode the MAC table shows it in the quarantine VLAN, as a real
  switch does once the camera speaks again;
- released: everything is reachable again and the MAC table has the camera back in VLAN 10.

Then ``labctl.py move`` (item 10 of issue 16): a quarantined camera moved to another switch
leaves its old port behind, still quarantined and without carrier, on a vendor-CLI switch and
on the linux_bridge core, and the running fleet serves the new location.

Run (root): .venv/bin/python -m pytest -q tests/integration/test_dataplane_vendor_cli.py
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

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
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import RunResult, run_isolation  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (  # noqa: E402
    LiveState,
    default_reader,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore  # noqa: E402

pytestmark = pytest.mark.lab

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
LABCTL = [sys.executable, str(REPO / "lab" / "labctl.py")]
MODES = ("vlan", "acl", "shutdown")
VENDOR = ("cisco_ios", "arista_eos", "cisco_nxos", "juniper_junos", "aruba_aoscx", "hp_procurve")
QUARANTINE = 999


class Lab:
    def __init__(self, state: Path) -> None:
        self.state = state
        self.env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
        self.prefix = json.loads((state / "run.json").read_text())["prefix"]
        self.password = (state / "secrets" / "password").read_text().strip()
        self.reload()

    def reload(self) -> None:
        self.gt: Dict[str, Any] = json.loads((self.state / "ground_truth.json").read_text())

    def ep(self, name: str) -> Dict[str, Any]:
        return next(e for e in self.gt["endpoints"] if e["name"] == name)

    def switch_of(self, platform: str) -> str:
        return next(n for n, s in self.gt["switches"].items() if s["platform"] == platform)

    def camera_of(self, switch: str) -> Dict[str, Any]:
        return next(
            e
            for e in self.gt["endpoints"]
            if e["switch"] == switch
            and e["role"] == "camera"
            and not e["moved_to"]
            and not e["name"].startswith("cam-mv")
        )

    def transport(self, switch: str) -> Any:
        sw = self.gt["switches"][switch]
        sec = self.state / "secrets"
        if sw["platform"] == "linux_bridge":
            target = target_from_params(
                name=switch,
                host=sw["host"],
                platform="linux_bridge",
                port=sw["port"],
                username="camguard",
                private_key_file=str(sec / "id_ed25519"),
                known_hosts_file=str(sec / "known_hosts"),
                backend="linux",
            )
        else:
            target = target_from_params(
                name=switch,
                host="127.0.0.1",
                platform=sw["platform"],
                port=sw["port"],
                username="camguard",
                password=self.password,
                known_hosts_file=str(sec / "known_hosts"),
                connect_timeout=20,
                command_timeout=30,
            )
        return open_transport(target)

    def read(self, switch: str) -> LiveState:
        platform = self.gt["switches"][switch]["platform"]
        transport = self.transport(switch)
        try:
            return default_reader(platform, switch, root=platform != "linux_bridge")(transport, False)
        finally:
            transport.close()

    def isolate(
        self, switch: str, cam: Dict[str, Any], mode: str, state_dir: Path, state: str = "isolated"
    ) -> RunResult:
        platform = self.gt["switches"][switch]["platform"]
        transport = self.transport(switch)
        try:
            return run_isolation(
                transport,
                platform,
                switch,
                [PortTarget(cam["mac"], cam["port"], cam["vlan"], cam["vendor"])],
                Options(
                    mode=mode,
                    state=state,
                    change_id="CHG-DP-16",
                    allowed_peers=(self.ep("nvr1")["ip"] + "/32",),
                ),
                StateStore(str(state_dir / mode), switch),
                TEMPLATES,
                root=platform != "linux_bridge",
                user="pytest",
            )
        finally:
            transport.close()

    def reaches(self, src: str, dst: str) -> bool:
        ip = self.ep(dst)["ip"]
        for _unused in range(2):  # one retry: the first packet after a change may wait for ARP
            proc = subprocess.run(
                ["ip", "netns", "exec", f"{self.prefix}-{src}", "ping", "-c1", "-W1", "-q", "-n", ip],
                capture_output=True,
                check=False,
            )
            if proc.returncode == 0:
                return True
        return False


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    # not under pytest's 0700 tmp root: the lab's sshd reads files of the state dir as the lab user
    state = Path(tempfile.mkdtemp(prefix="cgdp-lab-"))
    state.chmod(0o755)
    env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    up = subprocess.run(
        [*LABCTL, "up", str(REPO / "lab" / "topologies" / "multivendor.yml"), "--owner-pid", str(os.getpid())],
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
        yield Lab(state)
    finally:
        log = state / "fakenos" / ".fleet.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        subprocess.run([*LABCTL, "down"], env=env, capture_output=True, timeout=120, check=False)
        shutil.rmtree(state, ignore_errors=True)
        assert "data plane not updated" not in text, text[-3000:]


def _macs_until(lab: Lab, switch: str, want: Tuple[str, int, str], timeout: float = 8.0) -> List[Any]:
    """The switch's MAC table (through its CLI and the collection's parser) once it has ``want``
    (the camera sends a broadcast every 2 s), or as it is after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        macs = sorted((m.mac, m.vlan, m.interface) for m in lab.read(switch).macs)
        if want in macs or time.monotonic() > deadline:
            return macs
        time.sleep(1.0)


def scenario(lab: Lab, platform: str, root: Path) -> Dict[str, Any]:
    """Every mode on the camera of the ``platform`` switch: what traffic and the switch showed."""
    switch = lab.switch_of(platform)
    cam = lab.camera_of(switch)
    out: Dict[str, Any] = {"switch": switch, "camera": cam["name"]}
    for mode in MODES:
        try:
            obs: Dict[str, Any] = {}
            obs["before"] = (lab.reaches(cam["name"], "vms1"), lab.reaches(cam["name"], "nvr1"))
            obs["macs_before"] = _macs_until(lab, switch, (cam["mac"], 10, cam["port"]))
            obs["isolate"] = lab.isolate(switch, cam, mode, root)
            obs["isolated"] = (
                lab.reaches(cam["name"], "vms1"),
                lab.reaches(cam["name"], "nvr1"),
                lab.reaches("vms1", cam["name"]),
                lab.reaches("vms1", "nvr1"),
            )
            if mode == "vlan":
                obs["macs_isolated"] = _macs_until(lab, switch, (cam["mac"], QUARANTINE, cam["port"]))
            obs["release"] = lab.isolate(switch, cam, mode, root, state="released")
            obs["released"] = (lab.reaches(cam["name"], "vms1"), lab.reaches(cam["name"], "nvr1"))
            obs["macs_released"] = _macs_until(lab, switch, (cam["mac"], 10, cam["port"]))
            out[mode] = obs
        except Exception as exc:  # reported by the test of this platform and mode
            out[mode] = exc
    return out


@pytest.fixture(scope="module")
def observed(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Dict[str, Any]]:
    root = tmp_path_factory.mktemp("dataplane_states")
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(VENDOR)) as pool:
        futures = {p: pool.submit(scenario, lab, p, root / p) for p in VENDOR}
        return {p: f.result() for p, f in futures.items()}


def _get(observed: Dict[str, Dict[str, Any]], platform: str, mode: str) -> Dict[str, Any]:
    got = observed[platform][mode]
    if isinstance(got, Exception):
        raise AssertionError(f"{platform} {mode}: the scenario raised {type(got).__name__}: {got}")
    return got  # type: ignore[no-any-return]


PARAMS = [pytest.param(p, m, id=f"{p}-{m}") for p in VENDOR for m in MODES]


@pytest.mark.parametrize(("platform", "mode"), PARAMS)
def test_isolation_stops_traffic_and_release_restores_it(
    observed: Dict[str, Dict[str, Any]], platform: str, mode: str
) -> None:
    o = _get(observed, platform, mode)
    cam = observed[platform]["camera"]
    assert o["before"] == (True, True), f"{cam}: lab baseline: the camera reaches vms1 and the NVR"
    res, rel = o["isolate"], o["release"]
    assert res.changed and res.applied and res.verified and not res.failed, res.msg
    to_vms, to_nvr, from_vms, vms_nvr = o["isolated"]
    assert not to_vms, f"{mode}: {cam} still reaches vms1"
    assert not from_vms, f"{mode}: vms1 still reaches {cam}"
    assert to_nvr is (mode == "acl"), f"{mode}: {cam} -> NVR reachability is {to_nvr}"
    assert vms_nvr, "isolation must not touch other ports"
    assert rel.changed and rel.verified and not rel.failed, rel.msg
    assert o["released"] == (True, True), f"{mode}: release did not restore {cam}'s traffic"


@pytest.mark.parametrize("platform", VENDOR)
def test_mac_table_is_the_data_plane(observed: Dict[str, Dict[str, Any]], lab: Lab, platform: str) -> None:
    """The MAC table the CLI serves is what the kernel learned: the camera on its edge port in
    VLAN 10, in the quarantine VLAN once its port is moved there, back in VLAN 10 after release."""
    o = _get(observed, platform, "vlan")
    cam = lab.ep(observed[platform]["camera"])
    assert (cam["mac"], 10, cam["port"]) in o["macs_before"]
    assert (cam["mac"], QUARANTINE, cam["port"]) in o["macs_isolated"]
    assert not [m for m in o["macs_isolated"] if m[0] == cam["mac"] and m[1] == 10]
    assert (cam["mac"], 10, cam["port"]) in o["macs_released"]
    # what the switch learns over its uplink is real too: the NVR on the core, on the uplink port
    uplink = lab.gt["switches"][observed[platform]["switch"]]["uplinks"][0]
    assert (lab.ep("nvr1")["mac"], 10, uplink) in o["macs_before"]


# ------------------------------------------------------------------------------------ move


def _linux_port(lab: Lab, switch: str, dev: str) -> Dict[str, Any]:
    out = subprocess.run(
        ["ip", "-n", f"{lab.prefix}-{switch}", "-j", "link", "show", dev], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)[0]  # type: ignore[no-any-return]


def _move(lab: Lab, name: str) -> None:
    proc = subprocess.run(
        [*LABCTL, "move", name], env=lab.env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lab.reload()


def _status_line(lab: Lab, switch: str, port: str) -> Optional[str]:
    """The ``show interfaces status``-style line of ``port`` (IOS: short names)."""
    transport = lab.transport(switch)
    try:
        out = transport.send_command("show interfaces status")
    finally:
        transport.close()
    short = port.replace("GigabitEthernet", "Gi")
    return next((ln for ln in out.splitlines() if ln.split()[:1] == [short]), None)


def test_move_on_vendor_cli_keeps_the_old_port_quarantined(
    observed: Dict[str, Dict[str, Any]], lab: Lab, tmp_path: Path
) -> None:
    cam = lab.ep("cam-mv1")
    old_switch, old_port = cam["switch"], cam["port"]
    new = cam["moved_to"]
    res = lab.isolate(old_switch, cam, "vlan", tmp_path)
    assert res.applied and res.verified, res.msg
    assert not lab.reaches("cam-mv1", "vms1")
    _move(lab, "cam-mv1")
    moved = lab.ep("cam-mv1")
    assert (moved["switch"], moved["port"]) == (new["switch"], new["port"])
    # the old port is still there, still quarantined, with nothing plugged in
    old = lab.read(old_switch)
    port = next(p for p in old.ports if p.name == old_port)
    assert (port.access_vlan, port.enabled) == (QUARANTINE, True)
    assert not [m for m in old.macs if m.mac == cam["mac"] and m.interface == old_port]
    line = _status_line(lab, old_switch, old_port)
    assert line is not None and "notconnect" in line, line
    # the running fleet serves the camera on its new port (read from the new switch's bridges)
    want = (cam["mac"], 10, new["port"])
    assert want in _macs_until(lab, new["switch"], want)
    # ... where it is in VLAN 10 again: a moved camera escapes its quarantine until found again
    assert lab.reaches("cam-mv1", "vms1")


def test_move_on_linux_bridge_keeps_the_old_port_quarantined(
    observed: Dict[str, Dict[str, Any]], lab: Lab, tmp_path: Path
) -> None:
    cam = lab.ep("cam-mv2")
    old_switch, old_port = cam["switch"], cam["port"]
    assert lab.gt["switches"][old_switch]["platform"] == "linux_bridge"
    new = cam["moved_to"]
    res = lab.isolate(old_switch, cam, "vlan", tmp_path)
    assert res.applied and res.verified, res.msg
    assert not lab.reaches("cam-mv2", "vms1")
    _move(lab, "cam-mv2")
    dev = _linux_port(lab, old_switch, old_port)
    assert dev.get("master") == f"br{QUARANTINE}", dev
    assert "LOWER_UP" not in dev.get("flags", []), dev  # no carrier: unplugged
    fdb = json.loads(
        subprocess.run(
            ["bridge", "-n", f"{lab.prefix}-{old_switch}", "-j", "fdb", "show", "br", f"br{QUARANTINE}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert not [e for e in fdb if e.get("mac") == cam["mac"] and e.get("ifname") == old_port]
    want = (cam["mac"], 10, new["port"])
    assert want in _macs_until(lab, new["switch"], want)
    assert lab.reaches("cam-mv2", "vms1")
