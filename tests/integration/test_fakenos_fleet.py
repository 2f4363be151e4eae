# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A multivendor fleet of FakeNOS switches over real SSH with netmiko: each switch returns the
view's MACs in its real format, a configuration change made in one session is visible in a
NEW session and in the view file, invalid commands get the platform's error, Junos commit
confirmed rolls back by itself, EOS configure sessions commit and abort.

Run: .venv/bin/python -m pytest -q -m fakenos tests/integration/test_fakenos_fleet.py
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, Iterator, Set, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

netmiko = pytest.importorskip("netmiko")
ntc = pytest.importorskip("ntc_templates.parse")
pytest.importorskip("fakenos")

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface  # noqa: E402
from lab.fakenos_fleet import FleetHandle, _free_port, start_fleet, stop_fleet  # noqa: E402
from lab.nos import PLATFORMS, make_view, port_name  # noqa: E402

pytestmark = pytest.mark.fakenos

CAM = "bc:ad:28:01:02:03"
WS = "02:00:5e:10:00:01"
PHONE = "00:04:f2:00:00:09"
ENDPOINTS = [
    {"mac": WS, "port": 1, "vlan": 20, "ip": "10.66.20.50"},
    {"mac": PHONE, "port": 2, "vlan": 10, "ip": "10.66.10.12"},
    {"mac": CAM, "port": 3, "vlan": 10, "ip": "10.66.10.11"},
]
MAC_COMMAND = {
    "cisco_ios": "show mac address-table",
    "arista_eos": "show mac address-table",
    "cisco_nxos": "show mac address-table",
    "juniper_junos": "show ethernet-switching table | display xml",
    "aruba_aoscx": "show mac-address-table",
    "hp_procurve": "show mac-address",
}
INVALID = {
    "cisco_ios": "% Invalid input detected at '^' marker.",
    "cisco_nxos": "% Invalid command at '^' marker.",
    "arista_eos": "% Invalid input",
    "juniper_junos": "syntax error, expecting <command>.",
    "aruba_aoscx": "Invalid input: bogus",
    "hp_procurve": "Invalid input: bogus",
}


def _hex(mac: str) -> str:
    return "".join(c for c in mac.lower() if c in "0123456789abcdef")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[FleetHandle, Path, Dict[str, str]]]:
    d = tmp_path_factory.mktemp("fakenos")
    passwords = {}
    for plat in PLATFORMS:
        name = f"cg-{plat.replace('_', '-')}"
        passwords[name] = secrets.token_urlsafe(16)
        v = make_view(
            plat, name, port=_free_port(), password=passwords[name], access_ports=4, endpoints=ENDPOINTS, uplink_macs=5
        )
        (d / f"{name}.json").write_text(json.dumps(v), encoding="utf-8")
    handle = start_fleet(str(d), timeout=60, minute_seconds=1.0)
    try:
        yield handle, d, passwords
    finally:
        stop_fleet(handle)
        # the log never holds a password
        log = Path(handle.log_file).read_text(encoding="utf-8", errors="replace")
        assert not any(p in log for p in passwords.values())


def connect(handle: FleetHandle, passwords: Dict[str, str], plat: str) -> Any:
    name = f"cg-{plat.replace('_', '-')}"
    kwargs = dict(
        device_type=plat,
        host="127.0.0.1",
        port=handle.ports[name],
        username="camguard",
        password=passwords[name],
        timeout=20,
        conn_timeout=20,
        auth_timeout=20,
    )
    try:
        return netmiko.ConnectHandler(**kwargs)
    except Exception:  # the first connect to a fresh server may race: retry once
        time.sleep(0.5)
        return netmiko.ConnectHandler(**kwargs)


def macs_seen(plat: str, text: str) -> Set[Tuple[str, int, str]]:
    """(mac, vlan, canonical interface) from the real-format output, as the collector reads it."""
    out = set()
    if plat == "juniper_junos":
        root = ET.fromstring(text[text.index("<rpc-reply") :])
        names = {"cameras": 10, "users": 20, "quarantine": 999}
        for e in root.iter("l2ng-mac-entry"):
            vlan = names[e.findtext("l2ng-l2-mac-vlan-name") or ""]
            ifn = canonical_interface(e.findtext("l2ng-l2-mac-logical-interface") or "", plat)
            out.add((_hex(e.findtext("l2ng-l2-mac-address") or ""), vlan, ifn))
        return out
    keys = {
        "cisco_ios": ("destination_address", "destination_port"),
        "arista_eos": ("mac_address", "destination_port"),
        "cisco_nxos": ("mac_address", "ports"),
        "aruba_aoscx": ("mac_address", "port"),
        "hp_procurve": ("mac_address", "port"),
    }[plat]
    for r in ntc.parse_output(platform=plat, command=MAC_COMMAND[plat], data=text):
        port = r[keys[1]][0] if isinstance(r[keys[1]], list) else r[keys[1]]
        if not str(r["vlan_id"]).isdigit() or port.startswith(("sup-eth", "CPU")):
            continue
        out.add((_hex(r[keys[0]]), int(r["vlan_id"]), canonical_interface(port, plat)))
    return out


def expected(plat: str, view: Dict[str, Any]) -> Set[Tuple[str, int, str]]:
    lag = next(i["name"] for i in view["interfaces"] if i["is_lag"])
    want = {(_hex(e["mac"]), e["vlan"], port_name(plat, e["port"])) for e in ENDPOINTS}
    want |= {(_hex(e["mac"]), e["vlan"], lag) for e in view["mac_table"] if e["interface"] == port_name(plat, 5)}
    return want


def read_view(d: Path, plat: str) -> Dict[str, Any]:
    return json.loads((d / f"cg-{plat.replace('_', '-')}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def port_of(view: Dict[str, Any], name: str) -> Dict[str, Any]:
    return next(i for i in view["interfaces"] if i["name"] == name)


CHANGE = {  # platform -> config lines moving port 3 to VLAN 999 with a description
    "cisco_ios": ["interface GigabitEthernet1/0/3", "switchport access vlan 999", "description quarantined cam"],
    "cisco_nxos": ["interface Ethernet1/3", "switchport access vlan 999", "description quarantined cam"],
    "aruba_aoscx": ["interface 1/1/3", "vlan access 999", "description quarantined cam"],
    "hp_procurve": ["vlan 999 untagged 3", 'interface 3 name "quarantined cam"'],
}


@pytest.mark.parametrize("plat", sorted(PLATFORMS))
def test_switch_returns_view_macs_and_platform_error(fleet: Any, plat: str) -> None:
    handle, d, pw = fleet
    c = connect(handle, pw, plat)
    try:
        got = macs_seen(plat, c.send_command(MAC_COMMAND[plat]))
        assert expected(plat, read_view(d, plat)) <= got
        assert INVALID[plat] in c.send_command("show bogus", expect_string=r"[>#]\s*$")
    finally:
        c.disconnect()


@pytest.mark.parametrize("plat", sorted(CHANGE))
def test_config_change_is_seen_by_a_new_session_and_on_disk(fleet: Any, plat: str) -> None:
    handle, d, pw = fleet
    c = connect(handle, pw, plat)
    try:
        c.send_config_set(CHANGE[plat])
        c.save_config()
    finally:
        c.disconnect()
    c = connect(handle, pw, plat)
    try:
        got = macs_seen(plat, c.send_command(MAC_COMMAND[plat]))
        assert (_hex(CAM), 999, port_name(plat, 3)) in got
        assert (_hex(CAM), 10, port_name(plat, 3)) not in got
    finally:
        c.disconnect()
    port = port_of(read_view(d, plat), port_name(plat, 3))
    assert port["access_vlan"] == 999 and port["description"] == "quarantined cam"
    assert "startup_config" in read_view(d, plat)


def test_ios_shutdown_removes_the_macs_of_the_port(fleet: Any) -> None:
    handle, d, pw = fleet
    c = connect(handle, pw, "cisco_ios")
    try:
        c.send_config_set(["interface Gi1/0/2", "shutdown"])
    finally:
        c.disconnect()
    c = connect(handle, pw, "cisco_ios")
    try:
        assert _hex(PHONE) not in {
            m for m, _unused, _unused in macs_seen("cisco_ios", c.send_command("show mac address-table"))
        }
        status = ntc.parse_output(
            platform="cisco_ios", command="show interfaces status", data=c.send_command("show interfaces status")
        )
        assert {r["port"]: r["status"] for r in status}["Gi1/0/2"] == "disabled"
    finally:
        c.disconnect()
    assert port_of(read_view(d, "cisco_ios"), "GigabitEthernet1/0/2")["enabled"] is False


def test_eos_configure_session_commit_and_abort(fleet: Any) -> None:
    handle, d, pw = fleet
    c = connect(handle, pw, "arista_eos")
    try:
        out = c.send_config_set(
            ["configure session cg1", "interface Ethernet3", "switchport access vlan 999", "show session-config diffs"],
            exit_config_mode=False,
        )
        assert "+   switchport access vlan 999" in out
        assert port_of(read_view(d, "arista_eos"), "Ethernet3")["access_vlan"] == 10  # not committed yet
        c.send_config_set(["commit"], exit_config_mode=False)
        c.send_config_set(["configure session cg2", "interface Ethernet3", "shutdown", "abort"])
    finally:
        c.disconnect()
    c = connect(handle, pw, "arista_eos")
    try:
        got = macs_seen("arista_eos", c.send_command("show mac address-table"))
        assert (_hex(CAM), 999, "Ethernet3") in got  # committed, and not shut (aborted)
    finally:
        c.disconnect()
    port = port_of(read_view(d, "arista_eos"), "Ethernet3")
    assert port["access_vlan"] == 999 and port["enabled"] is True


def test_junos_commit_confirmed_rolls_back_then_rollback_and_commit(fleet: Any) -> None:
    handle, d, pw = fleet
    move = [
        "delete interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members",
        "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members quarantine",
    ]
    c = connect(handle, pw, "juniper_junos")
    try:
        out = c.send_config_set([*move, "show | compare"], exit_config_mode=False)
        assert "+  members quarantine;" in out
        assert "automatically rolled back in 1 minutes" in c.commit(confirm=True, confirm_delay=1)
        c.exit_config_mode()
    finally:
        c.disconnect()
    # "1 minute" is 1 s in this fleet; the view on disk returns to VLAN 10 by itself
    deadline = time.monotonic() + 15
    while port_of(read_view(d, "juniper_junos"), "ge-0/0/2")["access_vlan"] != 10:
        assert time.monotonic() < deadline, "commit confirmed was not rolled back"
        time.sleep(0.1)
    c = connect(handle, pw, "juniper_junos")
    try:
        assert (_hex(CAM), 10, "ge-0/0/2") in macs_seen("juniper_junos", c.send_command(MAC_COMMAND["juniper_junos"]))
        # the automatic rollback was a commit: rollback 1 is the confirmed configuration; load and commit it
        out = c.send_config_set(["rollback 1", "show | compare"], exit_config_mode=False)
        assert "+  members quarantine;" in out
        assert "commit complete" in c.commit()
        c.exit_config_mode()
    finally:
        c.disconnect()
    c = connect(handle, pw, "juniper_junos")
    try:
        got = macs_seen("juniper_junos", c.send_command(MAC_COMMAND["juniper_junos"]))
        assert (_hex(CAM), 999, "ge-0/0/2") in got
    finally:
        c.disconnect()


@pytest.mark.slow
def test_scale_smoke_start_and_kill(tmp_path: Path) -> None:
    per = 5
    for plat in PLATFORMS:
        for k in range(per):
            name = f"sc-{plat.replace('_', '-')}-{k}"
            v = make_view(
                plat,
                name,
                port=0,
                password="scale-" + secrets.token_hex(4),
                access_ports=24,
                endpoints=ENDPOINTS,
                uplink_macs=50,
                seed=k,
            )
            (tmp_path / f"{name}.json").write_text(json.dumps(v), encoding="utf-8")
    t0 = time.monotonic()
    handle = start_fleet(str(tmp_path), timeout=120)
    started = time.monotonic() - t0
    try:
        assert len(handle.ports) == per * len(PLATFORMS)
        name = "sc-cisco-ios-3"
        view = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        c = netmiko.ConnectHandler(
            device_type="cisco_ios",
            host="127.0.0.1",
            port=handle.ports[name],
            username="camguard",
            password=view["password"],
        )
        try:
            got = macs_seen("cisco_ios", c.send_command("show mac address-table"))
        finally:
            c.disconnect()
        assert len(got) == 53
    finally:
        t1 = time.monotonic()
        stop_fleet(handle)
        stopped = time.monotonic() - t1
    with pytest.raises(ProcessLookupError):
        os.kill(handle.pid, 0)
    print(f"\nfleet of {len(handle.ports)} hosts: start {started:.2f}s, stop {stopped:.2f}s")
