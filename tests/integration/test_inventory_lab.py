"""The mac_table inventory plugin against the lab, over real SSH, compared with the ground truth.

`small` (Linux bridges only), `multivendor` (a Linux core and one FakeNOS switch of each
vendor-CLI platform) and `campus` (21 mixed switches with LAG uplinks, an unmanaged hub, an NVR
with cameras on its PoE ports and a camera that moves). Every restricted endpoint must be found on
its true edge port; unrestricted endpoints never; hubs are ambiguous; the NVR is flagged.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

import pytest
from conftest import LAB, Lab, labctl, need_root
from inventory_listing import plain

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GOLDEN = REPO / "tests" / "integration" / "golden" / "inventory_small.json"
# Vendors the shipped default policy restricts, as the lab names them (ezviz and imou are
# Hikvision's and Dahua's brands). Uniview and Tiandy are only in the opt-in prc_cctv profile.
RESTRICTED = {"hikvision", "ezviz", "dahua", "imou", "huawei", "zte", "hytera"}


def lab_env(state: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
        ANSIBLE_NOCOLOR="1",
        CAMGUARD_LAB_USERNAME="camguard",
        CAMGUARD_LAB_PASSWORD=(state / "secrets" / "password").read_text().strip(),
    )
    return env


def inventory(
    state: Path, config: Optional[Path] = None, *extra: str, env: Optional[Dict[str, str]] = None
) -> subprocess.CompletedProcess[str]:
    cfg = config or state / "inventory" / "lab.mac_table.yml"
    return subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", str(cfg), "--list", *extra],
        capture_output=True,
        text=True,
        env=env or lab_env(state),
        timeout=600,
        check=False,
    )


def listing_of(proc: subprocess.CompletedProcess[str]) -> Dict[str, Any]:
    """The JSON document of --list (with -v, Ansible's own lines come first on stdout)."""
    out = proc.stdout
    start = 0 if out.startswith("{") else out.index("\n{") + 1
    result: Dict[str, Any] = json.loads(out[start:])
    return result


def devices(listing: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """MAC -> restricted-device hostvars."""
    hv = plain(listing["_meta"]["hostvars"])
    return {v["camguard_mac"]: dict(v, host=h) for h, v in hv.items() if "camguard_mac" in v}


def expected_edges(gt: Dict[str, Any], polled: set) -> Dict[str, Tuple[str, str, int]]:
    """MAC -> (switch, edge port, vlan) of every restricted endpoint visible to a polled switch."""
    out = {}
    for e in gt["endpoints"]:
        if e.get("vendor") in RESTRICTED and not e.get("hidden_behind") and e["switch"] in polled:
            out[e["mac"]] = (e["switch"], e["port"], e["vlan"])
    return out


def check_against_ground_truth(lab: Lab, listing: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    found = devices(listing)
    hv = plain(listing["_meta"]["hostvars"])
    unreachable = set(listing.get("camguard_unreachable", {}).get("hosts", []))
    polled = {s for s in lab.gt["switches"] if s not in unreachable}
    want = expected_edges(lab.gt, polled)
    restricted_macs = {e["mac"] for e in lab.gt["endpoints"] if e.get("vendor") in RESTRICTED}
    # no unrestricted endpoint is ever reported
    assert set(found) <= restricted_macs | {m for m in found if hv[found[m]["host"]]["camguard_status"] == "review"}
    for mac, (sw, port, vlan) in want.items():
        assert mac in found, f"restricted {mac} on {sw} {port} not found"
        d = found[mac]
        assert (d["camguard_switch"], d["camguard_interface"], d["camguard_vlan"]) == (sw, port, vlan), d
    return found


@pytest.fixture(scope="module")
def lab_multivendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    need_root()
    state = tmp_path_factory.mktemp("lab_mv") / "state"
    labctl(state, "up", str(LAB / "topologies" / "multivendor.yml"), "--owner-pid", str(os.getpid()))
    try:
        yield Lab(state)
    finally:
        labctl(state, "down", check=False)


@pytest.fixture(scope="module")
def lab_campus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    need_root()
    state = tmp_path_factory.mktemp("lab_campus") / "state"
    labctl(state, "up", str(LAB / "topologies" / "campus.yml"), "--owner-pid", str(os.getpid()))
    try:
        yield Lab(state)
    finally:
        labctl(state, "down", check=False)


# ---------------------------------------------------------------------------------- small


def golden_view(found: Dict[str, Dict[str, Any]], listing: Dict[str, Any]) -> Dict[str, Any]:
    """The stable part of the --list output for `small` (MACs and IPs are seeded by the topology)."""
    keys = (
        "camguard_switch",
        "camguard_interface",
        "camguard_vlan",
        "camguard_ip",
        "camguard_vendor",
        "camguard_status",
        "camguard_legal_basis",
        "camguard_confidence",
        "camguard_evidence",
        "camguard_matched_prefix",
        "ansible_connection",
    )
    groups = {
        g: sorted(v.get("hosts", []))
        for g, v in listing.items()
        if g.startswith("camguard_") and g != "camguard_switches"
    }
    return {"devices": {f["host"]: {k: f[k] for k in keys} for f in found.values()}, "groups": groups}


def test_small_every_camera_on_its_edge_port_and_golden(lab_small: Lab, update_golden: bool) -> None:
    proc = inventory(lab_small.state)
    assert proc.returncode == 0, proc.stderr
    listing = json.loads(proc.stdout)
    found = check_against_ground_truth(lab_small, listing)
    assert {d["camguard_confidence"] for d in found.values()} == {"edge"}
    nvr = lab_small.endpoint("nvr1")["mac"]
    assert any("cameras on its own PoE ports are hidden" in e for e in found[nvr]["camguard_evidence"])
    view = golden_view(found, listing)
    if update_golden or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(view, indent=1, sort_keys=True) + "\n")
    assert view == json.loads(GOLDEN.read_text())


def test_small_cache_second_run_makes_no_ssh_connection(lab_small: Lab, tmp_path: Path) -> None:
    base = (lab_small.state / "inventory" / "lab.mac_table.yml").read_text()
    cache = f"cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {tmp_path / 'cache'}\ncache_timeout: 3600\n"
    cfg = tmp_path / "cached.mac_table.yml"  # the cache is keyed by this path
    cfg.write_text(base + cache)
    first = inventory(lab_small.state, cfg)
    assert first.returncode == 0, first.stderr
    # now a wrong password and no key: any SSH connection would fail and show as unreachable
    env = lab_env(lab_small.state)
    env["CAMGUARD_LAB_PASSWORD"] = "wrong-password"
    no_key = re.sub(r"\n  private_key_file: .*", "", base)
    cfg.write_text(no_key + cache)
    second = inventory(lab_small.state, cfg, "-v", env=env)
    assert second.returncode == 0, second.stderr
    assert "using cached switch data (no SSH connection)" in second.stdout + second.stderr
    assert listing_of(second).get("camguard_unreachable", {}).get("hosts", []) == []
    assert devices(listing_of(second)).keys() == devices(listing_of(first)).keys()
    # the same credentials without the cache do fail, so the check above can fail
    uncached = tmp_path / "uncached.mac_table.yml"
    uncached.write_text(no_key + "connect_timeout: 5\n")
    third = inventory(lab_small.state, uncached, env=env)
    assert json.loads(third.stdout)["camguard_unreachable"]["hosts"] == ["sw1", "sw2"]


def test_small_stopped_switch_is_unreachable_and_strict_fails(lab_small: Lab, tmp_path: Path) -> None:
    ns = lab_small.ns("sw2")
    links = json.loads(
        subprocess.run(["ip", "-n", ns, "-j", "addr"], capture_output=True, text=True, check=True).stdout
    )
    mgmt = next(
        link["ifname"]
        for link in links
        if any(a.get("local") == lab_small.gt["switches"]["sw2"]["host"] for a in link.get("addr_info", []))
    )
    cfg = tmp_path / "stopped.mac_table.yml"
    cfg.write_text((lab_small.state / "inventory" / "lab.mac_table.yml").read_text() + "connect_timeout: 3\n")
    subprocess.run(["ip", "-n", ns, "link", "set", mgmt, "down"], check=True)
    try:
        proc = inventory(lab_small.state, cfg)
        assert proc.returncode == 0, proc.stderr
        listing = json.loads(proc.stdout)
        assert listing["camguard_unreachable"]["hosts"] == ["sw2"]
        assert "switch sw2 could not be polled" in proc.stderr
        assert "sw2" in plain(listing["_meta"]["hostvars"]["sw2"])["camguard_error"]
        # sw1 is still polled: its own cameras are found
        assert any(d["camguard_switch"] == "sw1" for d in devices(listing).values())
        strict = tmp_path / "strict.mac_table.yml"
        strict.write_text(cfg.read_text() + "strict_polling: true\n")
        proc = inventory(lab_small.state, strict)
        assert proc.returncode != 0
        assert re.search(r"strict_polling is on and switches failed: sw2 \(", proc.stderr)
    finally:
        subprocess.run(["ip", "-n", ns, "link", "set", mgmt, "up"], check=True)


def test_small_password_never_in_list_or_vvv(lab_small: Lab, tmp_path: Path) -> None:
    password = (lab_small.state / "secrets" / "password").read_text().strip()
    cfg = tmp_path / "pw.mac_table.yml"
    # force password logins (no key) so that the password is really used on the wire
    cfg.write_text(
        re.sub(r"\n  private_key_file: .*", "", (lab_small.state / "inventory" / "lab.mac_table.yml").read_text())
    )
    proc = inventory(lab_small.state, cfg, "-vvv")
    assert proc.returncode == 0, proc.stderr
    assert listing_of(proc).get("camguard_unreachable", {}).get("hosts", []) == []
    assert password not in proc.stdout and password not in proc.stderr
    graph = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", str(cfg), "--graph", "--vars", "-vvv"],
        capture_output=True,
        text=True,
        env=lab_env(lab_small.state),
        timeout=300,
        check=False,
    )
    assert password not in graph.stdout + graph.stderr


def test_misnamed_file_declined_and_unknown_option_fails(lab_small: Lab, tmp_path: Path) -> None:
    misnamed = tmp_path / "site.yml"
    misnamed.write_text((lab_small.state / "inventory" / "lab.mac_table.yml").read_text())
    proc = inventory(lab_small.state, misnamed, "-vvv")
    assert "must end in mac_table.yml or mac_table.yaml" in proc.stdout + proc.stderr
    assert proc.returncode != 0
    bad = tmp_path / "bad.mac_table.yml"
    bad.write_text((lab_small.state / "inventory" / "lab.mac_table.yml").read_text() + "concurency: 5\n")
    proc = inventory(lab_small.state, bad)
    assert proc.returncode != 0
    assert "concurency" in proc.stderr


# ----------------------------------------------------------------------------- multivendor


def test_multivendor_every_restricted_device_on_its_edge_port(lab_multivendor: Lab) -> None:
    proc = inventory(lab_multivendor.state)
    assert proc.returncode == 0, proc.stderr
    listing = json.loads(proc.stdout)
    assert listing.get("camguard_unreachable", {}).get("hosts", []) == [], proc.stderr
    found = check_against_ground_truth(lab_multivendor, listing)
    platforms = {lab_multivendor.gt["switches"][d["camguard_switch"]]["platform"] for d in found.values()}
    assert len(platforms) >= 5, platforms  # found through most vendor-CLI platforms, not only Linux
    assert {d["camguard_confidence"] for d in found.values()} == {"edge"}


# ---------------------------------------------------------------------------------- campus


def test_campus_hubs_ambiguous_nvr_flagged_and_moved_camera(lab_campus: Lab) -> None:
    proc = inventory(lab_campus.state)
    assert proc.returncode == 0, proc.stderr
    listing = json.loads(proc.stdout)
    assert listing.get("camguard_unreachable", {}).get("hosts", []) == [], proc.stderr
    found = devices(listing)
    gt = {e["name"]: e for e in lab_campus.gt["endpoints"]}
    # devices behind an unmanaged switch: located on the hub's port, ambiguous, with the reason
    for name in ("cam-hub1", "cam-hub3"):
        d = found[gt[name]["mac"]]
        assert d["camguard_confidence"] == "ambiguous", d
        assert (d["camguard_switch"], d["camguard_interface"]) == (gt[name]["switch"], gt[name]["port"])
        assert any("an unmanaged switch, hub or NVR is probably below" in e for e in d["camguard_evidence"])
    assert "camguard_ambiguous" in listing
    # cameras on the NVR's PoE ports are invisible to every switch; the NVR says so
    for name in ("cam-poe1", "cam-poe2"):
        assert gt[name]["mac"] not in found
    nvr = found[gt["nvr-core"]["mac"]]
    assert any("cameras on its own PoE ports are hidden" in e for e in nvr["camguard_evidence"])
    # everything else restricted is on its edge port, through LAG uplinks and all platforms
    hubbed = {gt[n]["mac"] for n in ("cam-hub1", "cam-hub3")}
    for mac, (sw, port, vlan) in expected_edges(lab_campus.gt, set(lab_campus.gt["switches"])).items():
        if mac in hubbed:
            continue
        d = found[mac]
        assert (d["camguard_switch"], d["camguard_interface"], d["camguard_vlan"], d["camguard_confidence"]) == (
            sw,
            port,
            vlan,
            "edge",
        ), d
    # opt-in profile: Uniview and Tiandy appear only with prc_cctv
    assert gt["cam-eos1"]["mac"] not in found
    cfg = lab_campus.state / "inventory" / "prc.mac_table.yml"
    cfg.write_text(
        (lab_campus.state / "inventory" / "lab.mac_table.yml").read_text() + "policy_profile: [default, prc_cctv]\n"
    )
    prc = devices(json.loads(inventory(lab_campus.state, cfg).stdout))
    assert gt["cam-eos1"]["mac"] in prc and gt["cam-eos3"]["mac"] in prc

    # the camera moves: after re-cabling, the next discovery finds it on its new port
    moved = gt["cam-move1"]
    labctl(lab_campus.state, "move", "cam-move1")
    lab_campus.reload()
    new = next(e for e in lab_campus.gt["endpoints"] if e["name"] == "cam-move1")
    assert (new["switch"], new["port"]) != (moved["switch"], moved["port"])
    again = devices(json.loads(inventory(lab_campus.state).stdout))
    d = again[moved["mac"]]
    assert (d["camguard_switch"], d["camguard_interface"]) == (new["switch"], new["port"]), d


# --------------------------------------------------------------------- mac_table_info module

INFO_PLAY = """
- name: Read every switch with mac_table_info
  hosts: camguard_switches
  gather_facts: false
  connection: local
  vars:
    # the inventory no longer pins an interpreter (AWX imports it as is); the controller's own
    # Python runs these local tasks, as a project's playbooks would set it
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Collect
      camguard.network.mac_table_info:
        switch: "{{ inventory_hostname }}"
        host: "{{ ansible_host }}"
        port: "{{ ansible_port }}"
        platform: "{{ camguard_platform }}"
        username: "{{ camguard_username }}"
        password_env: "{{ camguard_password_env }}"
        private_key_file: "{{ camguard_private_key_file | default(omit) }}"
        known_hosts_file: "{{ camguard_known_hosts_file | default(omit) }}"
      register: tables
    - name: Save
      ansible.builtin.copy:
        content: "{{ tables | to_json }}"
        dest: "{{ out_dir }}/{{ inventory_hostname }}.json"
        mode: "0600"
"""


def test_multivendor_mac_table_info_matches_ground_truth(lab_multivendor: Lab, tmp_path: Path) -> None:
    play = tmp_path / "info.yml"
    play.write_text(INFO_PLAY)
    proc = subprocess.run(
        [
            str(BIN / "ansible-playbook"),
            "-i",
            str(lab_multivendor.state / "inventory" / "lab.mac_table.yml"),
            str(play),
            "-e",
            f"out_dir={tmp_path}",
        ],
        capture_output=True,
        text=True,
        env=lab_env(lab_multivendor.state),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    gt = lab_multivendor.gt
    visible = [e for e in gt["endpoints"] if not e.get("hidden_behind")]
    endpoint_macs = {e["mac"] for e in visible}
    for sw in gt["switches"]:
        tables = json.loads((tmp_path / f"{sw}.json").read_text())
        got = {(m["mac"], m["interface"], m["vlan"]) for m in tables["mac_table"] if m["mac"] in endpoint_macs}
        want = {
            (e["mac"], hop["interface"], e["vlan"]) for e in visible for hop in e["learned_on"] if hop["switch"] == sw
        }
        assert got == want, f"{sw}: missing {sorted(want - got)} unexpected {sorted(got - want)}"
        assert tables["platform"] == gt["switches"][sw]["platform"]
        # the tables join: every learned port is a known port of the switch
        port_names = {p["name"] for p in tables["ports"]}
        assert {i for _unused, i, _unused in got} <= port_names, sw


def test_mac_table_info_errors_name_the_switch_and_cause(lab_multivendor: Lab, tmp_path: Path) -> None:
    ios = next(s for s, v in lab_multivendor.gt["switches"].items() if v["platform"] == "cisco_ios")
    port = lab_multivendor.gt["switches"][ios]["port"]
    known_hosts = lab_multivendor.state / "secrets" / "known_hosts"
    cases = {
        "unknown_platform": (
            {"platform": "fortios", "port": port},
            r"unsupported platform 'fortios'; supported: .*cisco_ios",
        ),
        # (a command the switch rejects: since issue 16 a rejected optional getter only degrades
        # that getter, and every platform's MAC-table command that an IOS lab switch rejects also
        # fails netmiko's session set-up first; the rejected-required-command error is covered by
        # the parser contract suite's test_device_error_names_switch_and_command)
        "unreachable": (
            {"platform": "cisco_ios", "port": 1, "connect_timeout": 3},
            rf"{ios}: cannot connect to 127.0.0.1:1: connection refused",
        ),
    }
    for name, (args, pattern) in cases.items():
        play = tmp_path / f"{name}.yml"
        module_args = {
            "switch": ios,
            "host": "127.0.0.1",
            "username": "camguard",
            "password_env": "CAMGUARD_LAB_PASSWORD",
            "known_hosts_file": str(known_hosts),
            **args,
        }
        play.write_text(
            "- hosts: localhost\n  gather_facts: false\n"
            "  vars:\n    ansible_python_interpreter: '{{ ansible_playbook_python }}'\n  tasks:\n"
            f"    - camguard.network.mac_table_info: {json.dumps(module_args)}\n"
        )
        proc = subprocess.run(
            [str(BIN / "ansible-playbook"), str(play)],
            capture_output=True,
            text=True,
            env=lab_env(lab_multivendor.state),
            timeout=300,
            check=False,
        )
        assert proc.returncode != 0, name
        assert re.search(pattern, proc.stdout + proc.stderr), f"{name}: {proc.stdout[-1500:]}"
