# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SNMP backend against a REAL agent: snmpsim (from PyPI) serving the recorded walks on
127.0.0.1, started here on a free port and stopped by its PID. The records read over the wire
(pysnmp GETBULK walks) must equal the offline decode of the same walk (test_mib.py checks that
one against LibreNMS's answers), over SNMPv2c and SNMPv3 authPriv (SHA-256 + AES-128). Net-SNMP's
snmpbulkwalk, where installed (tools/sysdeps.sh), is the independent oracle for the MAC tables of
the walks that LibreNMS gave no answer for."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Tuple

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "parsers"))

import _helpers_snmp as H

from ansible_collections.camguard.network.plugins.module_utils._collect import snmp
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib
from ansible_collections.camguard.network.plugins.module_utils._collect.task import run_task
from ansible_collections.camguard.network.plugins.plugin_utils._discovery import poll

pytest.importorskip("snmpsim")
RESPONDER = Path(sys.executable).parent / "snmpsim-command-responder"
V3_USER = "camguard-ro"
V3_AUTH = "Auth-Key-never-in-output"
V3_PRIV = "Priv-Key-never-in-output"
CASES = {c["name"]: c for c in H.load_cases()}
LIVE = [
    "procurve_2520",
    "edgecos_es3510ma",
    "ciscosb_cbs220-48t-4x",
    "ios_2960x",
    "arista_eos",
    "junos_qfx5100",
    "procurve",
    "dell-sonic",
    "edgecos_ecs4610-24f",
    "eltex-mes23xx_mes2324b",
]
ALL = ("mac_table", "arp", "neighbors", "ports")


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if not RESPONDER.exists():
        pytest.skip("snmpsim-command-responder is not installed (requirements-test.txt)")
    port = _free_udp_port()
    cache = tmp_path_factory.mktemp("snmpsim-cache")
    env = dict(os.environ)
    if os.geteuid() == 0:
        # snmpsim refuses root unless it drops privileges, and the unprivileged user cannot read a
        # Python under /root (pyenv): a loopback test agent reading only tests/fixtures runs as is
        env["SNMPSIM_ALLOW_ROOT"] = "true"
    log = (cache / "snmpsim.log").open("w")
    proc = subprocess.Popen(
        [
            str(RESPONDER),
            f"--data-dir={H.ROOT}",
            f"--cache-dir={cache}",
            f"--agent-udpv4-endpoint=127.0.0.1:{port}",
            f"--v3-user={V3_USER}",
            f"--v3-auth-key={V3_AUTH}",
            "--v3-auth-proto=SHA256",
            f"--v3-priv-key={V3_PRIV}",
            "--v3-priv-proto=AES",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"snmpsim exited with {proc.returncode}: {(cache / 'snmpsim.log').read_text()[-2000:]}")
            try:
                snmp.collect_target(_target(port, CASES["ciscosb_cbs220-48t-4x"]["community"], timeout=0.5), ("arp",))
                break
            except Exception:
                time.sleep(0.3)
        else:
            pytest.fail("snmpsim did not answer within 60 s")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _target(port: int, community: str, version: str = "2c", timeout: float = 2.0, **kw: Any) -> snmp.SnmpTarget:
    if version == "3":
        creds = snmp.SnmpCredentials(
            username="",
            version="3",
            user=V3_USER,
            auth_protocol="sha256",
            auth_key=kw.pop("auth_key", V3_AUTH),
            priv_protocol="aes",
            priv_key=V3_PRIV,
            context=community,  # snmpsim: the data file's path is also its SNMPv3 context name
        )
    else:
        creds = snmp.SnmpCredentials(username="", community=community)
    return snmp.SnmpTarget(
        name=kw.pop("name", "sw-live"),
        host="127.0.0.1",
        platform="snmp",
        credentials=creds,
        backend="snmp",
        snmp=snmp.SnmpOptions(port=port, timeout=timeout, retries=kw.pop("retries", 1), **kw),
    )


def _offline(case: Dict[str, Any]) -> Dict[str, Any]:
    scalars, walk = H.read_walk(case)
    d = mib.decode_switch("sw-live", "snmp", scalars, walk, ALL).data.to_dict()
    d.pop("warnings")
    return d


def _live(data: Any) -> Dict[str, Any]:
    d = data.to_dict()
    d.pop("warnings")
    return d


@pytest.mark.parametrize("name", LIVE)
def test_v2c_walk_equals_the_recording(agent: int, name: str) -> None:
    case = CASES[name]
    data, _secs = snmp.collect_target(_target(agent, case["community"]), ALL)
    assert _live(data) == _offline(case)


def test_v3_authpriv_sha256_aes(agent: int) -> None:
    case = CASES["procurve_2520"]
    data, _secs = snmp.collect_target(_target(agent, case["community"], version="3"), ALL)
    assert _live(data) == _offline(case)
    assert len(data.macs) == 741


def test_wrong_community_times_out_naming_the_switch(agent: int) -> None:
    t = _target(agent, "not-a-community-here", timeout=0.3, retries=0, name="sw-wrong")
    with pytest.raises(Exception) as e:
        snmp.collect_target(t)
    msg = str(e.value)
    assert msg.startswith("sw-wrong: ") and snmp.NO_ANSWER in msg
    assert "not-a-community-here" not in msg


def test_wrong_v3_key_fails_without_the_key(agent: int) -> None:
    t = _target(agent, CASES["procurve_2520"]["community"], version="3", auth_key="Wrong-Key-never-shown", timeout=0.5)
    with pytest.raises(Exception) as e:
        snmp.collect_target(t)
    msg = str(e.value)
    assert msg.startswith("sw-live: ") and "wrong community/credentials" in msg
    for secret in ("Wrong-Key-never-shown", V3_PRIV):
        assert secret not in msg


def test_many_switches_in_one_poll(agent: int) -> None:
    """The inventory's poll: threads wait, the process's one event loop walks every switch."""
    targets = [_target(agent, CASES[n]["community"], name=n) for n in LIVE] + [
        _target(agent, "nobody-home", timeout=0.3, retries=0, name="sw-dead")
    ]
    results, errors, _timings = poll(targets, concurrency=8, processes=1)
    assert sorted(results) == sorted(LIVE) and list(errors) == ["sw-dead"]
    assert snmp.NO_ANSWER in errors["sw-dead"] and "nobody-home" not in errors["sw-dead"]
    assert len(results["procurve_2520"].macs) == 741


def test_mac_table_info_over_snmp_hides_the_community(agent: int, monkeypatch: pytest.MonkeyPatch) -> None:
    community = CASES["edgecos_es3510ma"]["community"]
    monkeypatch.setenv("MY_COMMUNITY", community)
    params = {
        "switch": "edge-1",
        "host": "127.0.0.1",
        "platform": "snmp",
        "backend": "snmp",
        "username": "unused",
        "password": None,
        "password_env": None,
        "port": 22,
        "private_key_file": None,
        "connect_timeout": 10,
        "command_timeout": 30,
        "host_key_checking": True,
        "known_hosts_file": None,
        "gather": list(ALL),
        "snmp": {"community_env": "MY_COMMUNITY", "port": agent},
    }
    res = run_task(params, False, False)
    assert res["failed"] is False and len(res["mac_table"]) == 2
    assert community not in repr(res)
    monkeypatch.setenv("MY_COMMUNITY", "wrong-" + community)
    params["snmp"] = {"community_env": "MY_COMMUNITY", "port": agent, "timeout": 0.3, "retries": 0}
    bad = run_task(params, False, False)
    assert bad["failed"] is True and snmp.NO_ANSWER in bad["msg"] and community not in bad["msg"]


def _net_snmp_walk(port: int, community: str, root: str) -> List[Tuple[List[int], str]]:
    text = subprocess.run(
        ["snmpbulkwalk", "-v2c", "-c", community, "-On", "-Oqe", "-t", "2", f"127.0.0.1:{port}", root],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    out = []
    for line in text.splitlines():
        o, _sp, v = line.partition(" ")
        if o.startswith("." + root + "."):
            out.append(([int(x) for x in o[len(root) + 2 :].split(".")], v.strip()))
    return out


def _oracle_fdb(port: int, community: str) -> Set[str]:
    """MACs learned on a bridge port that maps to an interface, as Net-SNMP's snmpbulkwalk reads the
    dot1q/dot1d FDB, dot1dBasePortIfIndex and ifName/ifDescr."""
    ifaces = {idx[0] for idx, _v in _net_snmp_walk(port, community, "1.3.6.1.2.1.2.2.1.2")}
    ifaces |= {idx[0] for idx, _v in _net_snmp_walk(port, community, "1.3.6.1.2.1.31.1.1.1.1")}
    bp = {idx[0]: int(v) for idx, v in _net_snmp_walk(port, community, "1.3.6.1.2.1.17.1.4.1.2") if v.isdigit()}
    out: Set[str] = set()
    for root, head in (("1.3.6.1.2.1.17.7.1.2.2.1.2", 1), ("1.3.6.1.2.1.17.4.3.1.2", 0)):
        for idx, v in _net_snmp_walk(port, community, root):
            if len(idx) != head + 6 or not v.isdigit() or int(v) == 0:
                continue
            ifindex = bp.get(int(v)) if bp else int(v)
            if ifindex in ifaces:
                out.add(":".join(f"{x:02x}" for x in idx[head:]))
    return out


@pytest.mark.skipif(shutil.which("snmpbulkwalk") is None, reason="Net-SNMP tools not installed (make sysdeps)")
@pytest.mark.parametrize("name", ["arista_eos", "junos_qfx5100", "procurve", "edgecos_ecs4610-24f"])
def test_walk_only_mac_table_against_net_snmp(agent: int, name: str) -> None:
    """Walks with no LibreNMS MAC table: the MACs Net-SNMP reads on bridge ports that map to an
    interface are exactly the MACs of our entries."""
    case = CASES[name]
    oracle = _oracle_fdb(agent, case["community"])
    data, _secs = snmp.collect_target(_target(agent, case["community"]), ("mac_table",))
    ours = {m.mac for m in data.macs if m.interface}
    assert oracle == ours
