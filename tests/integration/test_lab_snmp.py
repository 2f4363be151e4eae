# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery over SNMP against the lab's real agents, compared with discovery over SSH.

Every lab switch answers SNMP (snmpsim, ``lab/snmp_agent.py``) on its management address from
the state its CLI shows: a linux_bridge switch from its kernel, a vendor-CLI switch from its
FakeNOS view and its data plane's FDB. On ``small``, ``multivendor`` and ``campus`` (one lab at
a time: the ``lab`` fixture is parametrized per module, so each lab is torn down before the next
is built) ``ansible-inventory --list`` of the lab's SNMP inventory must give the same restricted
findings (MAC, switch, port, VLAN, location confidence, IP) as the SSH inventory, and as the
ground truth; SNMPv3 authPriv gives the same; a wrong community fails that switch alone with the
collection's "no answer" error; a camera isolated in the quarantine VLAN through the collection's
isolation path shows there over SNMP; a moved camera is found on its new port; and an agent that
serves no VLAN port lists and no LLDP-MIB (``labctl.py snmp-omit``) gives the same findings, the
evidence saying what SNMP could not tell.

Run (root): .venv/bin/python -m pytest -q tests/integration/test_lab_snmp.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest
import yaml
from conftest import LAB, Lab, labctl, need_root
from inventory_listing import plain
from test_inventory_lab import (
    RESTRICTED,
    check_against_ground_truth,
    devices,
    expected_edges,
    inventory,
    lab_env,
    listing_of,
)

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytest.importorskip("snmpsim")
pytest.importorskip("pysnmp")

from ansible_collections.camguard.network.plugins.module_utils._collect import snmp  # noqa: E402

pytestmark = pytest.mark.lab

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NO_ANSWER = "no answer: wrong community/credentials, ACL, or agent down"
QUARANTINE = 999
Row = Tuple[str, str, Optional[int], str, Optional[str]]


class SnmpLab(Lab):
    def __init__(self, state: Path, topology: str) -> None:
        super().__init__(state)
        self.topology = topology
        sec = state / "secrets"
        self.community = (sec / "snmp_community").read_text().strip()
        self.keys = [(sec / f"snmp_{k}").read_text().strip() for k in ("auth_key", "priv_key")]

    def env(self) -> Dict[str, str]:
        sec = self.state / "secrets"
        env = lab_env(self.state)
        env.update(
            CAMGUARD_LAB_SNMP_COMMUNITY=self.community,
            CAMGUARD_LAB_SNMP_USER="camguard-lab",
            CAMGUARD_LAB_SNMP_AUTH_KEY=(sec / "snmp_auth_key").read_text().strip(),
            CAMGUARD_LAB_SNMP_PRIV_KEY=(sec / "snmp_priv_key").read_text().strip(),
        )
        return env

    def inventory(self, name: str = "lab-snmp.mac_table.yml", *extra: str, config: Optional[Path] = None) -> Any:
        return inventory(self.state, config or self.state / "inventory" / name, *extra, env=self.env())

    def snmp_target(self, switch: str, timeout: float = 5.0) -> snmp.SnmpTarget:
        sw = self.gt["switches"][switch]
        return snmp.SnmpTarget(
            name=switch,
            host=sw["snmp"]["host"],
            platform=sw["platform"],
            credentials=snmp.SnmpCredentials(username="", community=self.community),
            backend="snmp",
            snmp=snmp.SnmpOptions(port=sw["snmp"]["port"], timeout=timeout),
        )

    def macs_over_snmp(self, switch: str) -> Set[Tuple[str, Optional[int], str]]:
        data, _secs = snmp.collect_target(self.snmp_target(switch), ("mac_table", "ports"))
        return {(m.mac, m.vlan, m.interface) for m in data.macs if m.kind != "self"}


@pytest.fixture(scope="module")
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpLab]:
    need_root()
    name = request.param
    state = tmp_path_factory.mktemp(f"snmp_{name}") / "state"
    labctl(state, "up", str(LAB / "topologies" / f"{name}.yml"), "--owner-pid", str(os.getpid()))
    try:
        lab = SnmpLab(state, name)
        assert all("snmp" in sw for sw in lab.gt["switches"].values()), "every lab switch has an SNMP agent"
        yield lab
    finally:
        labctl(state, "down", check=False)


def rows(listing: Dict[str, Any]) -> Dict[str, Row]:
    """MAC -> the restricted finding as the comparison sees it."""
    return {
        mac: (
            d["camguard_switch"],
            d["camguard_interface"],
            d["camguard_vlan"],
            d["camguard_confidence"],
            d.get("camguard_ip"),
        )
        for mac, d in devices(listing).items()
    }


def listing(proc: subprocess.CompletedProcess[str]) -> Dict[str, Any]:
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = listing_of(proc)
    assert got.get("camguard_unreachable", {}).get("hosts", []) == [], proc.stderr[-3000:]
    return got


NOT_EDGE = re.compile(r"^(\S+) .*: not the edge$")


def evidence_parts(evidence: List[str]) -> Tuple[List[str], Set[str]]:
    """(sentences that are not about uplinks, switches whose sighting was ruled an uplink)."""
    uplinks = {m.group(1) for e in evidence if (m := NOT_EDGE.match(e))}
    return [e for e in evidence if not NOT_EDGE.match(e)], uplinks


def assert_same_evidence(ssh: Dict[str, Any], over_snmp: Dict[str, Any]) -> None:
    """The edge-port sentence, the NVR / hub / ARP sentences and which switches' sightings were
    uplinks are the same. The uplink sentences themselves may say more over SNMP (the agent's
    dot1dBaseBridgeAddress names the switch's own MAC, so a neighbour 'learns the MAC of polled
    switch ...'; an HP ProCurve trunk aggregate is a tagged VLAN member, so 'is a trunk'): SNMP
    saying more than the CLI is no difference hidden."""
    a, b = devices(ssh), devices(over_snmp)
    for mac in a:
        sa, ua = evidence_parts(a[mac]["camguard_evidence"])
        sb, ub = evidence_parts(b[mac]["camguard_evidence"])
        assert sa == sb, f"{mac}: SSH {sa} / SNMP {sb}"
        assert ua == ub, f"{mac}: uplinks SSH {sorted(ua)} / SNMP {sorted(ub)}"
        assert not any("over SNMP" in e for e in b[mac]["camguard_evidence"]), b[mac]["camguard_evidence"]


# ------------------------------------------------------------------------ every topology

ALL = ["small", "multivendor", "campus"]


@pytest.mark.parametrize("lab", ALL, indirect=True)
def test_same_restricted_findings_over_snmp_as_over_ssh(lab: SnmpLab) -> None:
    ssh = listing(lab.inventory("lab.mac_table.yml"))
    started = time.time()
    over_snmp = listing(lab.inventory())
    assert rows(over_snmp) == rows(ssh)
    assert rows(over_snmp), "restricted devices are found"
    check_against_ground_truth(lab, over_snmp)
    assert_same_evidence(ssh, over_snmp)
    # every switch really was read over SNMP: the inventory says so, and each agent rebuilt its
    # snapshot (snmp/walks/<switch>.snmprec) while the inventory polled it
    cfg = yaml.safe_load((lab.state / "inventory" / "lab-snmp.mac_table.yml").read_text())
    assert {sw["name"]: sw["backend"] for sw in cfg["switches"]} == {name: "snmp" for name in lab.gt["switches"]}
    for name in lab.gt["switches"]:
        assert (lab.state / "snmp" / "walks" / f"{name}.snmprec").stat().st_mtime > started, name
    if lab.topology == "campus":
        found = devices(over_snmp)
        gt = {e["name"]: e for e in lab.gt["endpoints"]}
        for name in ("cam-hub1", "cam-hub3"):
            assert found[gt[name]["mac"]]["camguard_confidence"] == "ambiguous"
        nvr = found[gt["nvr-core"]["mac"]]
        assert any("cameras on its own PoE ports are hidden" in e for e in nvr["camguard_evidence"])


# ---------------------------------------------------------------------------------- small


@pytest.mark.parametrize("lab", ["small"], indirect=True)
def test_v3_authpriv_same_findings_and_no_secret_in_output(lab: SnmpLab) -> None:
    v2c = listing(lab.inventory())
    proc = lab.inventory("lab-snmpv3.mac_table.yml", "-vvv")
    v3 = listing(proc)
    assert rows(v3) == rows(v2c)
    cfg = (lab.state / "inventory" / "lab-snmpv3.mac_table.yml").read_text()
    assert 'version: "3"' in cfg or "version: '3'" in cfg
    assert "auth_protocol: sha256" in cfg and "priv_protocol: aes" in cfg
    for secret in [lab.community, *lab.keys]:
        assert secret not in proc.stdout + proc.stderr
        assert secret not in cfg


@pytest.mark.parametrize("lab", ["small"], indirect=True)
def test_wrong_community_fails_that_switch_alone(lab: SnmpLab, tmp_path: Path) -> None:
    doc = yaml.safe_load((lab.state / "inventory" / "lab-snmp.mac_table.yml").read_text())
    wrong = "not-the-lab-community"
    # sw2 alone reads its community from another variable, which holds a wrong one
    sw2 = next(sw for sw in doc["switches"] if sw["name"] == "sw2")
    sw2["snmp"].update(community_env="CAMGUARD_WRONG_COMMUNITY", timeout=1, retries=0)
    cfg = tmp_path / "wrong.mac_table.yml"
    cfg.write_text(yaml.safe_dump(doc))
    env = lab.env()
    env["CAMGUARD_WRONG_COMMUNITY"] = wrong
    proc = inventory(lab.state, cfg, env=env)
    assert proc.returncode == 0, proc.stderr
    got = listing_of(proc)
    assert got["camguard_unreachable"]["hosts"] == ["sw2"]
    error = plain(got["_meta"]["hostvars"]["sw2"])["camguard_error"]
    assert error.startswith(f"sw2: {NO_ANSWER}"), error
    assert "switch sw2 could not be polled" in proc.stderr
    # sw1 is still polled over SNMP: its own cameras are found, on their edge ports
    want = expected_edges(lab.gt, {"sw1"})
    found = rows(got)
    for mac, (sw, port, vlan) in want.items():
        assert found[mac][:3] == (sw, port, vlan)
    assert want
    for secret in (wrong, lab.community):
        assert secret not in proc.stdout + proc.stderr


@pytest.mark.parametrize("lab", ["small"], indirect=True)
def test_old_agent_without_vlan_lists_and_lldp_says_so(lab: SnmpLab) -> None:
    """An agent that serves the Q-BRIDGE FDB but no VLAN port lists and no LLDP-MIB (many older
    switches): the same findings, and the edge evidence says what SNMP could not tell."""
    before = listing(lab.inventory())
    labctl(lab.state, "snmp-omit", "sw2", "vlans", "lldp")
    try:
        old = listing(lab.inventory())
    finally:
        labctl(lab.state, "snmp-omit", "sw2")
    assert rows(old) == rows(before)
    on_sw2 = [d for d in devices(old).values() if d["camguard_switch"] == "sw2"]
    assert on_sw2
    for d in on_sw2:
        edge = d["camguard_evidence"][0]
        assert edge.startswith(f"sw2 {d['camguard_interface']}: access/trunk unknown over SNMP"), edge
        assert "LLDP/CDP neighbours unknown over SNMP" in edge, edge
    for d in devices(old).values():
        if d["camguard_switch"] != "sw2":
            assert "over SNMP" not in d["camguard_evidence"][0]
    # and the agent serves everything again
    assert_same_evidence(before, listing(lab.inventory()))


def linux_transport(lab: SnmpLab, switch: str) -> Any:
    from ansible_collections.camguard.network.plugins.module_utils._collect import open_transport, target_from_params

    sw, sec = lab.gt["switches"][switch], lab.state / "secrets"
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
            password=(sec / "password").read_text().strip(),
            known_hosts_file=str(sec / "known_hosts"),
            connect_timeout=20,
            command_timeout=30,
        )
    return open_transport(target)


def isolate(lab: SnmpLab, cam: Dict[str, Any], mode: str, store: Path, state: str = "isolated") -> None:
    """The collection's isolation path (``run_isolation`` over the switch's CLI)."""
    from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
    from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
    from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget
    from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore

    switch = cam["switch"]
    platform = lab.gt["switches"][switch]["platform"]
    transport = linux_transport(lab, switch)
    try:
        res = run_isolation(
            transport,
            platform,
            switch,
            [PortTarget(cam["mac"], cam["port"], cam["vlan"], cam["vendor"])],
            Options(mode=mode, state=state, change_id="CHG-SNMP-17"),
            StateStore(str(store / mode), switch),
            TEMPLATES,
            root=platform != "linux_bridge",
            user="pytest",
        )
    finally:
        transport.close()
    assert not res.failed, f"{switch} {mode} {state}: {res.msg} {res.problems}"


def wait_snmp(lab: SnmpLab, switch: str, cond: Any, timeout: float = 30.0) -> Set[Tuple[str, Optional[int], str]]:
    """The switch's MAC table over SNMP once ``cond(macs)`` holds (a camera speaks every 2 s),
    or as it is after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        macs = lab.macs_over_snmp(switch)
        if cond(macs) or time.monotonic() > deadline:
            return macs
        time.sleep(1.0)


def check_isolation(lab: SnmpLab, cams: List[Dict[str, Any]], store: Path) -> None:
    for cam in cams:
        isolate(lab, cam, "vlan", store)
    try:
        for cam in cams:
            want = (cam["mac"], QUARANTINE, cam["port"])
            macs = wait_snmp(lab, cam["switch"], lambda m, w=want: w in m)
            assert want in macs, f"{cam['name']} not in VLAN {QUARANTINE} over SNMP: {sorted(macs)}"
        found = devices(listing(lab.inventory()))
        for cam in cams:
            if cam["vendor"] in RESTRICTED:
                d = found[cam["mac"]]
                assert (d["camguard_switch"], d["camguard_interface"], d["camguard_vlan"]) == (
                    cam["switch"],
                    cam["port"],
                    QUARANTINE,
                ), d
    finally:
        for cam in cams:
            isolate(lab, cam, "vlan", store, state="released")
    for cam in cams:
        want = (cam["mac"], cam["vlan"], cam["port"])
        assert want in wait_snmp(lab, cam["switch"], lambda m, w=want: w in m), f"{cam['name']} back in its VLAN"


@pytest.mark.parametrize("lab", ["small"], indirect=True)
def test_isolated_linux_bridge_port_in_quarantine_vlan_over_snmp(lab: SnmpLab, tmp_path: Path) -> None:
    check_isolation(lab, [lab.endpoint("cam1")], tmp_path)


@pytest.mark.parametrize("lab", ["small"], indirect=True)
def test_net_snmp_client_reads_the_same_mac_table(lab: SnmpLab) -> None:
    """Net-SNMP's snmpbulkwalk (C, not pysnmp) over SNMPv3 authPriv reads the same Q-BRIDGE FDB
    as the collection: the agents speak SNMP, not just pysnmp's dialect of it."""
    tool = shutil.which("snmpbulkwalk")
    if tool is None:
        pytest.skip("Net-SNMP's snmpbulkwalk is not installed (tools/sysdeps.sh)")
    env = lab.env()
    for switch, sw in lab.gt["switches"].items():
        proc = subprocess.run(
            [
                tool,
                "-v3",
                "-l",
                "authPriv",
                "-u",
                env["CAMGUARD_LAB_SNMP_USER"],
                "-a",
                "SHA-256",
                "-A",
                env["CAMGUARD_LAB_SNMP_AUTH_KEY"],
                "-x",
                "AES",
                "-X",
                env["CAMGUARD_LAB_SNMP_PRIV_KEY"],
                "-On",
                "-Oq",
                "-t",
                "5",
                f"{sw['snmp']['host']}:{sw['snmp']['port']}",
                "1.3.6.1.2.1.17.7.1.2.2.1.3",  # dot1qTpFdbStatus
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        theirs = set()
        for line in proc.stdout.splitlines():
            oid_text, status = line.split()
            idx = [int(x) for x in oid_text.strip(".").split(".")[13:]]
            if status == "3":  # learned
                theirs.add((":".join(f"{b:02x}" for b in idx[1:]), idx[0]))
        ours = {(mac, vlan) for mac, vlan, _port in lab.macs_over_snmp(switch)}
        assert theirs and theirs == ours, switch


def check_moves(lab: SnmpLab, names: List[str]) -> None:
    old = {n: lab.endpoint(n) for n in names}
    for n in names:
        labctl(lab.state, "move", n)
    lab.reload()
    over_snmp = listing(lab.inventory())
    found = devices(over_snmp)
    for n in names:
        new = lab.endpoint(n)
        assert (new["switch"], new["port"]) != (old[n]["switch"], old[n]["port"])
        d = found[new["mac"]]
        assert (d["camguard_switch"], d["camguard_interface"], d["camguard_vlan"]) == (
            new["switch"],
            new["port"],
            new["vlan"],
        ), d
    assert rows(over_snmp) == rows(listing(lab.inventory("lab.mac_table.yml")))
    check_against_ground_truth(lab, over_snmp)


@pytest.mark.parametrize("lab", ["small"], indirect=True)
def test_small_moved_camera_seen_on_its_new_port(lab: SnmpLab) -> None:
    check_moves(lab, ["cam2"])


# ---------------------------------------------------------------------------- multivendor


@pytest.mark.parametrize("lab", ["multivendor"], indirect=True)
def test_isolated_vendor_cli_ports_in_quarantine_vlan_over_snmp(lab: SnmpLab, tmp_path: Path) -> None:
    """One camera per vendor-CLI platform (Cisco IOS: per-VLAN contexts; Junos: FDB ids that are
    not VLAN ids; the rest Q-BRIDGE), isolated in VLAN mode through the switch's CLI."""
    cams = [
        e
        for e in lab.gt["endpoints"]
        if e["role"] == "camera"
        and lab.gt["switches"][e["switch"]]["platform"] != "linux_bridge"
        and not e.get("moved_to")
        and not e["name"].startswith("cam-mv")
    ]
    assert len({lab.gt["switches"][c["switch"]]["platform"] for c in cams}) == 6
    check_isolation(lab, cams, tmp_path)


@pytest.mark.parametrize("lab", ["multivendor"], indirect=True)
def test_shutdown_port_is_down_and_empty_over_snmp(lab: SnmpLab, tmp_path: Path) -> None:
    cam = lab.endpoint("cam-pc1")
    isolate(lab, cam, "shutdown", tmp_path)
    try:
        macs = wait_snmp(lab, cam["switch"], lambda m: all(x[0] != cam["mac"] for x in m))
        assert all(x[0] != cam["mac"] for x in macs)
        data, _secs = snmp.collect_target(lab.snmp_target(cam["switch"]), ("ports",))
        port = next(p for p in data.ports if p.name == cam["port"])
        assert port.enabled is False
    finally:
        isolate(lab, cam, "shutdown", tmp_path, state="released")
    want = (cam["mac"], cam["vlan"], cam["port"])
    assert want in wait_snmp(lab, cam["switch"], lambda m: want in m)


@pytest.mark.parametrize("lab", ["multivendor"], indirect=True)
def test_multivendor_moved_cameras_seen_on_their_new_ports(lab: SnmpLab) -> None:
    check_moves(lab, ["cam-mv1", "cam-mv2"])


# ---------------------------------------------------------------------------------- campus


@pytest.mark.parametrize("lab", ["campus"], indirect=True)
def test_campus_moved_camera_seen_on_its_new_port(lab: SnmpLab) -> None:
    check_moves(lab, ["cam-move1"])
