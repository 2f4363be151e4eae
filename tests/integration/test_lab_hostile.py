# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``hostile`` lab: devices that send what a parser or a template does not expect.

``lab/topologies/hostile.yml`` (issue 16, items 1 and 11): an NVR whose LLDP system name holds
BEL and SOH and whose system description, port description and DHCP hostname carry template and
CLI-injection text, a camera with terminal escapes in its LLDP name, and phones that tag their
own frames in the voice VLAN with a camera behind them, on a linux_bridge switch (``edge1``) and
on an IOS switch (``sw-ios1``).

- The lab serves what the topology says (LLDP names with their raw control characters, the
  LLDP-MED inventory, port descriptions, the voice VLAN and the devices behind the phones).
- The inventory plugin polls it; no injected text is ever evaluated.
- Nothing a device sends hides it or its neighbours (item 1): ``edge1``'s LLDP output holds the
  NVR's raw BEL and SOH and its port aliases control characters, and ``edge1`` is still polled,
  every device on it reported; a camera behind an IP phone (which announces Bridge and
  Telephone) is located on the phone's port.

Run (root): .venv/bin/python -m pytest -q tests/integration/test_lab_hostile.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from inventory_listing import plain

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
LABCTL = [sys.executable, str(REPO / "lab" / "labctl.py")]
BIN = Path(sys.executable).parent
MARKER = Path("/tmp/camguard-hostile-pwned")  # what the injected lookup('pipe', 'touch ...') would create
# the shipped default policy's restricted vendors, as the lab names them
RESTRICTED = {"hikvision", "ezviz", "dahua", "imou", "huawei", "zte", "hytera"}


class Lab:
    def __init__(self, state: Path) -> None:
        self.state = state
        run = json.loads((state / "run.json").read_text())
        self.prefix: str = run["prefix"]
        self.run = run
        self.gt: Dict[str, Any] = json.loads((state / "ground_truth.json").read_text())

    def ep(self, name: str) -> Dict[str, Any]:
        return next(e for e in self.gt["endpoints"] if e["name"] == name)

    def ns(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def switchd_pid(self, switch: str) -> int:
        return next(int(p["pid"]) for p in self.run["processes"] if p.get("what") == f"switchd {switch}")

    def neighbours(self, switch: str) -> Dict[str, Any]:
        """``lldpcli -f json show neighbors details`` of a linux_bridge switch (decoded leniently)."""
        out = subprocess.run(
            [
                *("nsenter", "-t", str(self.switchd_pid(switch)), "-m", "-n"),
                *("/usr/sbin/lldpcli", "-f", "json", "show", "neighbors", "details"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        iface = json.loads(out, strict=False).get("lldp", {}).get("interface", [])
        if isinstance(iface, dict):
            iface = [{k: v} for k, v in iface.items()]
        return {name: body for item in iface for name, body in item.items()}

    def fdb(self, switch: str) -> List[Dict[str, Any]]:
        out = subprocess.run(
            ["/usr/sbin/bridge", "-n", self.ns(switch), "-j", "fdb", "show"], capture_output=True, text=True, check=True
        ).stdout
        return [e for e in json.loads(out, strict=False) if e.get("master") and e.get("state") != "permanent"]

    def ping(self, src: str, dst: str) -> bool:
        ip = self.ep(dst)["ip"]
        for _unused in range(2):
            cmd = ["ip", "netns", "exec", self.ns(src), "ping", "-c1", "-W1", "-q", "-n", ip]
            if subprocess.run(cmd, capture_output=True, check=False).returncode == 0:
                return True
        return False

    def env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update(
            ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
            ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
            ANSIBLE_NOCOLOR="1",
            CAMGUARD_LAB_USERNAME="camguard",
            CAMGUARD_LAB_PASSWORD=(self.state / "secrets" / "password").read_text().strip(),
        )
        return env


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    state = Path(tempfile.mkdtemp(prefix="cghostile-lab-"))
    state.chmod(0o755)
    env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    up = subprocess.run(
        [*LABCTL, "up", str(REPO / "lab" / "topologies" / "hostile.yml"), "--owner-pid", str(os.getpid())],
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
        subprocess.run([*LABCTL, "down"], env=env, capture_output=True, timeout=120, check=False)
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def listing(lab: Lab) -> Dict[str, Any]:
    """``ansible-inventory --list`` of the hostile lab, then an ad-hoc ``debug`` that templates
    every host's variables: an injected ``lookup('pipe', 'touch MARKER')`` must never run."""
    MARKER.unlink(missing_ok=True)
    inv = str(lab.state / "inventory" / "lab.mac_table.yml")
    proc = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", inv, "--list"],
        capture_output=True,
        text=True,
        env=lab.env(),
        timeout=600,
        check=False,
    )
    templated = subprocess.run(
        [
            str(BIN / "ansible"),
            "-i",
            inv,
            "all",
            "-m",
            "ansible.builtin.debug",
            "-a",
            "msg={{ hostvars[inventory_hostname] }}",
        ],
        capture_output=True,
        text=True,
        env=lab.env(),
        timeout=600,
        check=False,
    )
    return {
        "proc": proc,
        "templated": templated,
        "marker": MARKER.exists(),
        "data": json.loads(proc.stdout) if proc.stdout else {},
    }


# ------------------------------------------------------------------ the lab serves what it says


def test_lldp_carries_the_hostile_text_raw(lab: Lab) -> None:
    nvr, cam = lab.ep("nvr-evil"), lab.ep("cam-evil")
    deadline = time.monotonic() + 15
    while True:
        seen = lab.neighbours("edge1")
        names = {port: next(iter(body["chassis"])) for port, body in seen.items() if "chassis" in body}
        if names.get(nvr["port"]) == nvr["lldp"]["system_name"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert names.get(nvr["port"]) == "X\aEVIL\x01", names
    assert names.get(cam["port"]) == cam["lldp"]["system_name"], names
    body = seen[nvr["port"]]
    chassis = body["chassis"][nvr["lldp"]["system_name"]]
    assert chassis["descr"] == nvr["lldp"]["system_description"]
    inv = body["lldp-med"]["inventory"]
    assert (inv["manufacturer"], inv["model"], inv["serial"]) == (
        "Hikvision",
        "DS-7608NI-K2-8P",
        nvr["lldp"]["inventory"]["serial_number"],
    )
    # the phone advertises itself as a bridge and a telephone (a second signal for its port)
    phone = seen[lab.ep("ph1")["port"]]
    caps = {c["type"] for c in next(iter(phone["chassis"].values()))["capability"] if c["enabled"]}
    assert caps == {"Bridge", "Tel"}, caps


def test_port_descriptions_and_dhcp_hostnames(lab: Lab) -> None:
    out = subprocess.run(
        ["ip", "-n", lab.ns("edge1"), "-j", "link", "show", "swp1"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out, strict=False)[0]["ifalias"] == lab.ep("nvr-evil")["port_description"]
    assert lab.ep("nvr-evil")["dhcp_hostname"] == "nvr\aevil; reboot"
    assert lab.ep("cam-ph1")["dhcp_hostname"] == "C6N\x01"


def test_phone_tags_the_voice_vlan_and_the_camera_behind_it_is_untagged(lab: Lab) -> None:
    ph, cam = lab.ep("ph1"), lab.ep("cam-ph1")
    assert (ph["port"], ph["vlan"], ph["port_vlan"], ph["voice_vlan"]) == ("swp4", 30, 10, 30)
    assert (cam["port"], cam["vlan"], cam["behind_phone"]) == ("swp4", 10, "ph1")
    learned = {(e["mac"], e["ifname"], e["master"]) for e in lab.fdb("edge1")}
    assert (ph["mac"], "swp4.30", "br30") in learned  # the modelled voice sub-port (see lab/README.md)
    assert (cam["mac"], "swp4", "br10") in learned
    assert lab.ping("cam-ph1", "ws1")
    # one cable: shutting the switch port cuts the phone's voice link and the camera behind it
    subprocess.run(["ip", "-n", lab.ns("edge1"), "link", "set", "swp4", "down"], check=True)
    try:
        deadline = time.monotonic() + 5
        sub: Dict[str, Any] = {}
        while time.monotonic() < deadline:
            sub = json.loads(
                subprocess.run(
                    ["ip", "-n", lab.ns("edge1"), "-j", "link", "show", "swp4.30"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )[0]
            if "LOWER_UP" not in sub["flags"]:
                break
            time.sleep(0.2)
        assert "LOWER_UP" not in sub["flags"], sub
        assert not lab.ping("cam-ph1", "ws1")
    finally:
        subprocess.run(["ip", "-n", lab.ns("edge1"), "link", "set", "swp4", "up"], check=True)


def test_vendor_cli_switch_shows_phone_and_camera_on_one_port(lab: Lab) -> None:
    from ansible_collections.camguard.network.plugins.module_utils._collect import open_transport, target_from_params

    sw = lab.gt["switches"]["sw-ios1"]
    transport = open_transport(
        target_from_params(
            name="sw-ios1",
            host="127.0.0.1",
            platform="cisco_ios",
            port=sw["port"],
            username="camguard",
            password=lab.env()["CAMGUARD_LAB_PASSWORD"],
            known_hosts_file=str(lab.state / "secrets" / "known_hosts"),
        )
    )
    try:
        macs = transport.send_command("show mac address-table interface GigabitEthernet1/0/4")
        switchport = transport.send_command("show interfaces GigabitEthernet1/0/4 switchport")
        lldp = transport.send_command("show lldp neighbors detail")
    finally:
        transport.close()
    ph, cam = lab.ep("ph-ios1"), lab.ep("cam-ph2")

    def dot(mac: str) -> str:
        h = mac.replace(":", "")
        return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"

    assert f"  30    {dot(ph['mac'])}    DYNAMIC     Gi1/0/4" in macs, macs
    assert f"  10    {dot(cam['mac'])}    DYNAMIC     Gi1/0/4" in macs, macs
    assert "Voice VLAN: 30 (voice)" in switchport
    # the vendor CLI never prints a control character, however the neighbour names itself
    assert "System Name: IPC" in lldp and "\x07" not in lldp and "\x01" not in lldp


# -------------------------------------------------------------------- polling the hostile lab


def test_inventory_evaluates_no_injected_text(lab: Lab, listing: Dict[str, Any]) -> None:
    proc, templated = listing["proc"], listing["templated"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert templated.returncode == 0, templated.stdout[-2000:] + templated.stderr[-2000:]
    # the camera's LLDP name (lookup text included) reached the variables that were templated...
    hv = plain(listing["data"]["_meta"]["hostvars"])
    cam = next(v for v in hv.values() if v.get("camguard_mac") == lab.ep("cam-ios1")["mac"])
    assert any("lookup('pipe', 'touch /tmp/camguard-hostile-pwned')" in e for e in cam["camguard_evidence"]), cam
    assert "lookup('pipe'" in templated.stdout
    # ... and was never evaluated
    assert not listing["marker"], "an injected lookup('pipe', ...) was evaluated"


def test_a_hostile_lldp_neighbour_hides_nothing(lab: Lab, listing: Dict[str, Any]) -> None:
    data = listing["data"]
    unreachable = set(data.get("camguard_unreachable", {}).get("hosts", []))
    assert unreachable == set(), f"switches dropped: {sorted(unreachable)}"
    found = {v["camguard_mac"]: v for v in plain(data["_meta"]["hostvars"]).values() if "camguard_mac" in v}
    for e in lab.gt["endpoints"]:
        if e["vendor"] not in RESTRICTED or e["behind_phone"] or e["hidden_behind"]:
            continue
        assert e["mac"] in found, f"{e['name']} ({e['mac']}) on {e['switch']} {e['port']} not reported"
        d = found[e["mac"]]
        assert (d["camguard_switch"], d["camguard_interface"], d["camguard_vlan"]) == (
            e["switch"],
            e["port"],
            e["vlan"],
        ), d


def test_a_camera_behind_a_phone_is_located_on_the_phone_port(lab: Lab, listing: Dict[str, Any]) -> None:
    found = {v["camguard_mac"]: v for v in plain(listing["data"]["_meta"]["hostvars"]).values() if "camguard_mac" in v}
    behind = [e for e in lab.gt["endpoints"] if e["behind_phone"] and e["vendor"] in RESTRICTED]
    assert len(behind) == 2
    for e in behind:
        d = found.get(e["mac"])
        assert d is not None, f"{e['name']} behind {e['behind_phone']} not reported"
        assert (d["camguard_switch"], d["camguard_interface"], d["camguard_vlan"]) == (
            e["switch"],
            e["port"],
            e["vlan"],
        ), d
