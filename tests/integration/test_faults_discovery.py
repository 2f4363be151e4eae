# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery fault matrix over real SSH: the real ``mac_table`` inventory plugin, run by
``ansible-inventory --list -vvv``, polls a mix of good and faulty switches (``faultserver``):
unreachable (refused, silent before the SSH banner), wrong password, changed host key, unknown
host key, a switch that stalls mid-command, a connection dropped mid-session, garbage and
truncated output. Faulty switches land in ``camguard_unreachable`` with a clear error and a
warning, good switches still produce their findings, the command exits 0 — and with
``strict_polling: true`` it fails, naming the switch. ``host_key_checking: false`` is the
documented opt-out and connects to an unknown key.

Run: .venv/bin/python -m pytest -q tests/integration/test_faults_discovery.py
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultserver import Fault, FaultServer, ansible_env, dead_port, host_key, run_ansible
from inventory_listing import plain as _plain

from lab.nos import make_view

pytest.importorskip("netmiko")
pytestmark = pytest.mark.fakenos

CAM = "bc:ad:28:01:02:03"  # Hikvision (policy prefix); each switch has its own camera: CAM with its index


def cam(name: str) -> str:
    return CAM[:-2] + f"{sorted(PLAIN + tuple(FAULTY)).index(name) + 16:02x}"


PC = "02:00:5e:10:00:01"

# switch -> (faults, silent) ; every one of them has the camera on port 3
FAULTY: Dict[str, Tuple[List[Fault], bool]] = {
    "sw-stall": ([Fault("stall", r"^show interfaces switchport$")], False),
    "sw-drop": ([Fault("drop", r"^show lldp neighbors detail$")], False),
    "sw-garbage": ([Fault("garbage", r"^show mac address-table$", message="binary")], False),
    "sw-truncated": ([Fault("garbage", r"^show mac address-table$", message="truncated")], False),
    "sw-silent": ([], True),
}
PLAIN = ("sw-good", "sw-good2", "sw-badpw", "sw-hostkey", "sw-unknownkey", "sw-nocheck")
EXPECTED_ERRORS = {
    "sw-badpw": "authentication failed",
    "sw-hostkey": "host key mismatch",
    "sw-unknownkey": "not in known_hosts",
    "sw-refused": "connection refused",
    "sw-silent": "timed out",
}
# A session that stalls or drops on an OPTIONAL getter (ports, neighbours) no longer hides the
# switch (issue 16): its MAC table stands, the getter is degraded, and the finding's evidence says
# what could not be read and why.
DEGRADED = {
    "sw-stall": "port mode unreadable",
    "sw-drop": "port mode unreadable",  # the ports read after the drop have no output
}


class Fleet:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.password = "Cg-" + secrets.token_urlsafe(18)
        self.servers: Dict[str, FaultServer] = {}
        self.known_hosts = tmp / "known_hosts"
        self.empty_known_hosts = tmp / "known_hosts.empty"

    def start(self) -> None:
        for name in PLAIN + tuple(FAULTY):
            faults, silent = FAULTY.get(name, ([], False))
            view = make_view(
                "cisco_ios",
                name,
                password=self.password,
                access_ports=4,
                endpoints=[{"mac": cam(name), "port": 3, "vlan": 10}, {"mac": PC, "port": 1, "vlan": 20}],
                uplink_macs=2,
            )
            self.servers[name] = FaultServer(view, faults, silent=silent).start()
        lines = []
        for name, srv in self.servers.items():
            if name in ("sw-unknownkey", "sw-nocheck"):
                continue
            # sw-hostkey: known_hosts holds the key the switch had before (a MITM, or a replaced box)
            lines.append(srv.known_hosts(host_key() if name == "sw-hostkey" else None))
        self.known_hosts.write_text("".join(lines), encoding="utf-8")
        self.empty_known_hosts.write_text("", encoding="utf-8")

    def stop(self) -> None:
        for srv in self.servers.values():
            srv.stop()

    def config(self, strict_polling: bool = False, only: Tuple[str, ...] = ()) -> Path:
        switches: List[Dict[str, Any]] = []
        for name, srv in self.servers.items():
            sw: Dict[str, Any] = {"name": name, "host": "127.0.0.1", "port": srv.port, "platform": "cisco_ios"}
            if name == "sw-badpw":
                sw["password_env"] = "CAMGUARD_WRONG_PASSWORD"
            if name == "sw-unknownkey":
                sw["known_hosts_file"] = str(self.empty_known_hosts)
            if name == "sw-nocheck":
                sw["known_hosts_file"] = str(self.empty_known_hosts)
                sw["host_key_checking"] = False
            switches.append(sw)
        switches.append({"name": "sw-refused", "host": "127.0.0.1", "port": dead_port(), "platform": "ios"})
        if only:
            switches = [s for s in switches if s["name"] in only]
        cfg = {
            "plugin": "camguard.network.mac_table",
            "username": "camguard",
            "password_env": "CAMGUARD_PASSWORD",
            "known_hosts_file": str(self.known_hosts),
            "connect_timeout": 3,
            "command_timeout": 4,
            "strict_polling": strict_polling,
            "use_registry": False,
            "switches": switches,
        }
        path = self.tmp / ("strict.mac_table.yml" if strict_polling else "faults.mac_table.yml")
        path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
        return path

    def env(self) -> Dict[str, str]:
        return ansible_env(
            self.tmp, CAMGUARD_PASSWORD=self.password, CAMGUARD_WRONG_PASSWORD=self.password + "-not-this-one"
        )


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    f = Fleet(tmp_path_factory.mktemp("faults"))
    try:
        f.start()
        yield f
    finally:
        f.stop()


@pytest.fixture(scope="module")
def listing(fleet: Fleet) -> Dict[str, Any]:
    out = fleet.tmp / "inventory.json"
    proc = run_ansible(
        "ansible-inventory", ["-i", str(fleet.config()), "--list", "-vvv", "--output", str(out)], fleet.env()
    )
    if proc.returncode != 0:
        (fleet.tmp / "inventory.stderr").write_text(proc.stderr, encoding="utf-8")
        (fleet.tmp / "inventory.stdout").write_text(proc.stdout, encoding="utf-8")
    errors = [ln for ln in proc.stderr.splitlines() if "ERROR" in ln or "rror" in ln]
    assert proc.returncode == 0, f"ansible-inventory failed: {errors}\n{proc.stderr[-1500:]}"
    return {"inv": json.loads(out.read_text()), "stderr": proc.stderr, "stdout": proc.stdout}


def _hostvars(inv: Dict[str, Any], host: str) -> Dict[str, Any]:
    return inv["_meta"]["hostvars"][host]  # type: ignore[no-any-return]


def test_faulty_switches_are_unreachable_with_a_clear_error(listing: Dict[str, Any]) -> None:
    inv = listing["inv"]
    unreachable = set(inv.get("camguard_unreachable", {}).get("hosts", []))
    must_fail = set(EXPECTED_ERRORS)
    assert must_fail <= unreachable, f"missing from camguard_unreachable: {sorted(must_fail - unreachable)}"
    assert not {"sw-good", "sw-good2", "sw-nocheck"} & unreachable
    for name, words in EXPECTED_ERRORS.items():
        err = str(_plain(_hostvars(inv, name)["camguard_error"]))
        assert name in err, f"{name}: the error does not name the switch: {err!r}"
        assert words in err, f"{name}: expected {words!r} in {err!r}"
        # one warning per failed switch, naming it
        assert f"switch {name} could not be polled" in listing["stderr"].replace("\n", " ")


def test_a_session_lost_on_an_optional_getter_degrades_it_and_keeps_the_mac_table(listing: Dict[str, Any]) -> None:
    inv = listing["inv"]
    unreachable = set(inv.get("camguard_unreachable", {}).get("hosts", []))
    for name, words in DEGRADED.items():
        assert name not in unreachable, name
        findings = _plain(_hostvars(inv, name)["camguard_findings"])
        assert [f["mac"] for f in findings] == [cam(name)], f"{name}: {findings}"
        evidence = " ".join(findings[0]["evidence"])
        assert words in evidence, f"{name}: expected {words!r} in the evidence: {evidence!r}"


@pytest.mark.xfail(
    strict=True,
    reason="known gap: a session dropped on the LLDP read is reported as 'no LLDP/CDP neighbour', "
    "not as neighbours unreadable (the neighbour getter's loss is not recorded in limits)",
)
def test_a_dropped_neighbour_read_is_not_reported_as_no_neighbour(listing: Dict[str, Any]) -> None:
    evidence = " ".join(_plain(_hostvars(listing["inv"], "sw-drop")["camguard_findings"])[0]["evidence"])
    assert "no LLDP/CDP neighbour" not in evidence, evidence


def test_host_key_change_is_called_out(listing: Dict[str, Any]) -> None:
    err = str(_plain(_hostvars(listing["inv"], "sw-hostkey")["camguard_error"]))
    assert "changed" in err and "known_hosts" in err, err


def test_good_switches_still_produce_their_findings(listing: Dict[str, Any]) -> None:
    inv = listing["inv"]
    for name in ("sw-good", "sw-good2", "sw-nocheck"):
        findings = _plain(_hostvars(inv, name)["camguard_findings"])
        assert [(f["mac"], f["interface"], f["location_confidence"]) for f in findings] == [
            (cam(name), "GigabitEthernet1/0/3", "edge")
        ], f"{name}: {findings}"
        restricted = inv["camguard_restricted"]["hosts"]
        assert any(cam(name).replace(":", "") in h for h in restricted)
    summary = _plain(_hostvars(inv, "sw-good")["camguard_summary"])
    assert "sw-badpw" in summary["unreachable"] and "sw-good" not in summary["unreachable"]


def test_garbage_and_truncated_output_never_crash(listing: Dict[str, Any]) -> None:
    """Line noise or half a table: either the switch is reported unreachable with a parse error,
    or it is polled with what could be read and its skipped rows are counted; never a crash and
    never a finding made up from junk."""
    inv = listing["inv"]
    for name in ("sw-garbage", "sw-truncated"):
        hv = _plain(_hostvars(inv, name))
        if name in inv.get("camguard_unreachable", {}).get("hosts", []):
            assert name in hv["camguard_error"]
            continue
        for f in hv["camguard_findings"]:
            assert f["mac"] == cam(name) and f["interface"] == "GigabitEthernet1/0/3"
    # paramiko may log its own thread's traceback for the silent switch; none may come from camguard
    assert "ansible_collections/camguard" not in listing["stderr"]
    assert "[ERROR]" not in listing["stderr"]
    assert ": unexpected " not in listing["stderr"]


def test_strict_polling_fails_naming_the_switch(fleet: Fleet) -> None:
    cfg = fleet.config(strict_polling=True, only=("sw-good", "sw-badpw"))
    proc = run_ansible("ansible-inventory", ["-i", str(cfg), "--list"], fleet.env())
    assert proc.returncode != 0
    text = " ".join((proc.stdout + proc.stderr).split())
    assert "strict_polling is on" in text and "sw-badpw" in text and "authentication failed" in text
    assert "sw-good (" not in text  # only failed switches are named as failed


def test_host_key_checking_is_on_by_default(fleet: Fleet, tmp_path: Path) -> None:
    """No known_hosts entry and no opt-out: refused, whatever the plugin file leaves unsaid."""
    srv = fleet.servers["sw-good"]
    cfg = {
        "plugin": "camguard.network.mac_table",
        "username": "camguard",
        "known_hosts_file": str(fleet.empty_known_hosts),
        "connect_timeout": 3,
        "switches": [{"name": "sw-default", "host": "127.0.0.1", "port": srv.port, "platform": "cisco_ios"}],
    }
    path = tmp_path / "default.mac_table.yml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    proc = run_ansible("ansible-inventory", ["-i", str(path), "--list"], fleet.env())
    assert proc.returncode == 0, proc.stderr
    inv = json.loads(proc.stdout)
    assert inv["camguard_unreachable"]["hosts"] == ["sw-default"]
    assert "not in known_hosts" in str(_plain(_hostvars(inv, "sw-default")["camguard_error"]))
