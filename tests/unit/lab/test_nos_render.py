# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor-CLI lab switches render real formats: what ntc-templates (the collector's parser)
reads back from each renderer is the view's data, and the same template parses the recorded
real output of that command. Then the CLI state machines, driven without SSH."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Set, Tuple

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ntc = pytest.importorskip("ntc_templates.parse")

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface  # noqa: E402
from lab.nos import (  # noqa: E402
    arista_eos,
    aruba_aoscx,
    cisco_ios,
    cisco_nxos,
    hp_procurve,
    juniper_junos,
    make_view,
    platform,
    port_name,
)
from lab.nos.base import Session, Switch  # noqa: E402

RECORDED = REPO / "tests" / "fixtures" / "recorded" / "ntc-templates"

CAM = "bc:ad:28:01:02:03"  # on port 3, VLAN 10 -> moved to 999 below
WS = "02:00:5e:10:00:01"  # on port 1, VLAN 20
SHUT = "a4:14:37:00:00:07"  # on port 2, VLAN 10, port shut below

ENDPOINTS = [
    {"mac": WS, "port": 1, "vlan": 20, "ip": "10.66.20.50"},
    {"mac": SHUT, "port": 2, "vlan": 10, "ip": "10.66.10.12"},
    {"mac": CAM, "port": 3, "vlan": 10, "ip": "10.66.10.11"},
]


def _view(plat: str) -> Dict[str, Any]:
    # Junos: ntc-templates' ethernet-switching table template only reads VLANs named "Vlan<N>"
    vlans = {10: "Vlan10", 20: "Vlan20", 999: "Vlan999"} if plat == "juniper_junos" else None
    v = make_view(plat, "sw-t", access_ports=4, endpoints=ENDPOINTS, uplink_macs=4, vlans=vlans)
    for i in v["interfaces"]:
        if i["name"] == port_name(plat, 2):
            i["enabled"] = False
        if i["name"] == port_name(plat, 3):
            i["access_vlan"] = 999
    return v


def _hex(mac: str) -> str:
    return "".join(c for c in mac.lower() if c in "0123456789abcdef")


def expected_macs(plat: str, v: Dict[str, Any]) -> Set[Tuple[str, int, str]]:
    """Written out from the scenario, not from the renderer's own helper."""
    lag = next(i["name"] for i in v["interfaces"] if i["is_lag"])
    out = {(_hex(WS), 20, port_name(plat, 1)), (_hex(CAM), 999, port_name(plat, 3))}
    for e in v["mac_table"]:
        if e["interface"] == port_name(plat, 5):
            out.add((_hex(e["mac"]), e["vlan"], lag))
    return out


def _first(x: Any) -> str:
    return str(x[0] if isinstance(x, list) else x)


# platform -> (command as the collector sends it, renderer, mac key, vlan key, port key)
MAC_CASES: Dict[str, Tuple[str, Callable[[Dict[str, Any]], str], str, str, str]] = {
    "cisco_ios": (
        "show mac address-table",
        cisco_ios.render_mac_table,
        "destination_address",
        "vlan_id",
        "destination_port",
    ),
    "arista_eos": ("show mac address-table", arista_eos.render_mac_table, "mac_address", "vlan_id", "destination_port"),
    "cisco_nxos": ("show mac address-table", cisco_nxos.render_mac_table, "mac_address", "vlan_id", "ports"),
    "juniper_junos": (
        "show ethernet-switching table",
        juniper_junos.render_mac_table,
        "mac_address",
        "vlan_id",
        "logical_interface",
    ),
    "aruba_aoscx": ("show mac-address-table", aruba_aoscx.render_mac_table, "mac_address", "vlan_id", "port"),
    "hp_procurve": ("show mac-address", hp_procurve.render_mac_table, "mac_address", "vlan_id", "port"),
}

RECORDED_MAC = {
    "cisco_ios": "cisco_ios/show_mac-address-table/cisco_ios_show_mac-address-table6.raw",
    "arista_eos": "arista_eos/show_mac_address-table/arista_eos_show_mac_address-table.raw",
    "cisco_nxos": "cisco_nxos/show_mac_address-table",
    "juniper_junos": "juniper_junos/show_ethernet-switching_table/juniper_junos_show_ethernet-switching_table.raw",
    "hp_procurve": "hp_procurve/show_mac-address/hp_procurve_show_mac-address.raw",
}


def parse(plat: str, command: str, text: str) -> List[Dict[str, Any]]:
    return ntc.parse_output(platform=plat, command=command, data=text + "\n")  # type: ignore[no-any-return]


def _recorded(rel: str) -> Path:
    p = RECORDED / rel
    return p if p.is_file() else sorted(p.glob("*.raw"))[0]


@pytest.mark.parametrize("plat", sorted(MAC_CASES))
def test_mac_table_parses_back_to_the_view(plat: str) -> None:
    command, render, mk, vk, pk = MAC_CASES[plat]
    v = _view(plat)
    got = set()
    for r in parse(plat, command, render(v)):
        vlan = str(r[vk])
        if not vlan.isdigit() or _first(r[pk]).startswith(("sup-eth", "CPU")):
            continue  # the switch's own and CPU entries
        got.add((_hex(r[mk]), int(vlan), canonical_interface(_first(r[pk]), plat)))
    assert got == expected_macs(plat, v)
    assert _hex(SHUT) not in {m for m, _unused, _unused in got}


@pytest.mark.parametrize("plat", sorted(RECORDED_MAC))
def test_same_template_parses_the_recorded_real_mac_table(plat: str) -> None:
    command = MAC_CASES[plat][0]
    rows = parse(plat, command, _recorded(RECORDED_MAC[plat]).read_text(encoding="utf-8"))
    assert rows, f"template for {plat} {command!r} parsed nothing from the recorded output"


ARP_CASES = {
    "cisco_ios": ("show ip arp", cisco_ios.render_arp, "ip_address", "mac_address", "cisco_ios/show_ip_arp"),
    "arista_eos": ("show ip arp", arista_eos.render_arp, "ip_address", "mac_address", "arista_eos/show_ip_arp"),
    "cisco_nxos": (
        "show ip arp detail vrf all",
        lambda v: cisco_nxos.render_arp(v, detail=True),
        "ip_address",
        "mac_address",
        "cisco_nxos/show_ip_arp_detail_vrf_all",
    ),
    "juniper_junos": (
        "show arp no-resolve",
        juniper_junos.render_arp,
        "ip_address",
        "mac_address",
        "juniper_junos/show_arp_no-resolve",
    ),
    "aruba_aoscx": ("show arp all-vrfs", aruba_aoscx.render_arp, "ip_address", "mac_address", ""),
    "hp_procurve": ("show arp", hp_procurve.render_arp, "ip_address", "mac_address", "hp_procurve/show_arp"),
}


@pytest.mark.parametrize("plat", sorted(ARP_CASES))
def test_arp_parses_back(plat: str) -> None:
    command, render, ik, mk, rec = ARP_CASES[plat]
    v = _view(plat)
    got = {(r[ik], _hex(r[mk])) for r in parse(plat, command, render(v))}
    assert got == {(e["ip"], _hex(e["mac"])) for e in v["arp"]}
    if rec:
        assert parse(plat, command, _recorded(rec).read_text(encoding="utf-8"))


LLDP_CASES = {
    "cisco_ios": [
        ("show lldp neighbors detail", cisco_ios.render_lldp_detail, "cisco_ios/show_lldp_neighbors_detail"),
        ("show cdp neighbors detail", cisco_ios.render_cdp_detail, "cisco_ios/show_cdp_neighbors_detail"),
    ],
    "arista_eos": [
        ("show lldp neighbors detail", arista_eos.render_lldp_detail, "arista_eos/show_lldp_neighbors_detail"),
        ("show lldp neighbors", arista_eos.render_lldp, "arista_eos/show_lldp_neighbors"),
    ],
    "cisco_nxos": [
        ("show lldp neighbors detail", cisco_nxos.render_lldp_detail, "cisco_nxos/show_lldp_neighbors_detail"),
        ("show cdp neighbors detail", cisco_nxos.render_cdp_detail, "cisco_nxos/show_cdp_neighbors_detail"),
    ],
    "juniper_junos": [("show lldp neighbors", juniper_junos.render_lldp, "juniper_junos/show_lldp_neighbors")],
    "aruba_aoscx": [
        (
            "show lldp neighbor-info detail",
            aruba_aoscx.render_lldp_detail,
            "aruba_aoscx/show_lldp_neighbors-info_detail",
        )
    ],
    "hp_procurve": [
        (
            "show lldp info remote-device detail",
            hp_procurve.render_lldp_detail,
            "hp_procurve/show_lldp_info_remote-device_detail",
        )
    ],
}


@pytest.mark.parametrize("plat,idx", [(p, i) for p, cases in sorted(LLDP_CASES.items()) for i in range(len(cases))])
def test_neighbors_parse_back(plat: str, idx: int) -> None:
    command, render, rec = LLDP_CASES[plat][idx]
    v = _view(plat)
    rows = parse(plat, command, render(v))
    assert len(rows) == 1
    r = rows[0]
    assert canonical_interface(r["local_interface"], plat) == port_name(plat, 5)
    assert r["neighbor_name"] == "core1"
    assert r["neighbor_interface"] == "swp3"
    assert parse(plat, command, _recorded(rec).read_text(encoding="utf-8"))
    # a shut local port loses its neighbour
    for i in v["interfaces"]:
        if i["name"] == port_name(plat, 5):
            i["enabled"] = False
    assert parse(plat, command, render(v)) == []


PORT_CASES = {
    "cisco_ios": (
        "show interfaces switchport",
        cisco_ios.render_switchport,
        "interface",
        "access_vlan",
        "cisco_ios/show_interfaces_switchport",
    ),
    "cisco_nxos": (
        "show interface switchport",
        cisco_nxos.render_switchport,
        "interface",
        "access_vlan",
        "cisco_nxos/show_interface_switchport",
    ),
    "arista_eos": (
        "show interfaces status",
        arista_eos.render_interfaces_status,
        "port",
        "vlan_id",
        "arista_eos/show_interfaces_status",
    ),
    "juniper_junos": (
        "show ethernet-switching interfaces",
        juniper_junos.render_es_interfaces,
        "interface",
        "vlan_id",
        "juniper_junos/show_ethernet-switching_interfaces",
    ),
    "aruba_aoscx": ("show interface", aruba_aoscx.render_interface, "interface", "vlan_access", ""),
}


@pytest.mark.parametrize("plat", sorted(PORT_CASES))
def test_access_vlan_of_each_port_parses_back(plat: str) -> None:
    command, render, ik, vk, rec = PORT_CASES[plat]
    v = _view(plat)
    got = {}
    for r in parse(plat, command, render(v)):
        vlan = _first(r[vk]) if r[vk] else ""
        got[canonical_interface(r[ik], plat)] = vlan
    for n, want in ((1, "20"), (3, "999"), (4, "10")):
        assert got[port_name(plat, n)] == want, (plat, n, got)
    if rec:
        assert parse(plat, command, _recorded(rec).read_text(encoding="utf-8"))


STATUS_CASES = {
    "cisco_ios": ("show interfaces status", cisco_ios.render_interfaces_status, "port", "status", "disabled"),
    "cisco_nxos": ("show interface status", cisco_nxos.render_interfaces_status, "port", "status", "disabled"),
    "arista_eos": ("show interfaces status", arista_eos.render_interfaces_status, "port", "status", "disabled"),
    "hp_procurve": ("show interfaces brief", hp_procurve.render_interfaces_brief, "port", "enabled", "No"),
}


@pytest.mark.parametrize("plat", sorted(STATUS_CASES))
def test_shut_port_shows_disabled_and_description(plat: str) -> None:
    command, render, pk, sk, shut_word = STATUS_CASES[plat]
    v = _view(plat)
    rows = {canonical_interface(r[pk], plat): r for r in parse(plat, command, render(v))}
    assert rows[port_name(plat, 2)][sk] == shut_word
    assert rows[port_name(plat, 1)][sk] != shut_word


LAG_CASES = {
    "cisco_ios": ("show etherchannel summary", cisco_ios.render_etherchannel, "cisco_ios/show_etherchannel_summary"),
    "arista_eos": ("show port-channel summary", arista_eos.render_port_channel, "arista_eos/show_port-channel_summary"),
    "cisco_nxos": ("show port-channel summary", cisco_nxos.render_port_channel, "cisco_nxos/show_port-channel_summary"),
    "juniper_junos": ("show lacp interfaces", juniper_junos.render_lacp, "juniper_junos/show_lacp_interfaces"),
}


@pytest.mark.parametrize("plat", sorted(LAG_CASES))
def test_lag_members_parse_back(plat: str) -> None:
    command, render, rec = LAG_CASES[plat]
    v = _view(plat)
    rows = parse(plat, command, render(v))
    assert len(rows) == 1
    members = {canonical_interface(m, plat) for m in rows[0]["member_interface"]}
    assert members == {port_name(plat, 5), port_name(plat, 6)}
    assert parse(plat, command, _recorded(rec).read_text(encoding="utf-8"))


def test_procurve_trunks_and_vlans_parse() -> None:
    v = _view("hp_procurve")
    rows = parse("hp_procurve", "show trunks", hp_procurve.render_trunks(v))
    assert {(r["local_port"], r["trunk"]) for r in rows} == {("5", "Trk1"), ("6", "Trk1")}
    vl = {r["vlan_id"]: r["vlan_name"] for r in parse("hp_procurve", "show vlans", hp_procurve.render_vlans(v))}
    assert vl == {"1": "DEFAULT_VLAN", "10": "cameras", "20": "users", "999": "quarantine"}


def test_junos_mac_table_prints_configured_vlan_names() -> None:
    v = make_view("juniper_junos", "sw-j", access_ports=4, endpoints=ENDPOINTS)
    text = juniper_junos.render_mac_table(v)
    assert any(ln.split()[:3] == ["cameras", SHUT, "D"] for ln in text.splitlines())
    assert f"<l2ng-l2-mac-address>{CAM}</l2ng-l2-mac-address>" in juniper_junos.xml_mac_table(v)


# -- the CLI, without SSH ------------------------------------------------------------------------


def run(sw: Switch, s: Session, *lines: str) -> List[str]:
    plat = platform(sw.view["platform"])
    out = []
    for line in lines:
        res = plat.dispatch(sw, s, line)
        plat.prompt(sw, s)
        out.append(res.output)
    return out


def _sw(plat: str, tmp_path: Path) -> Switch:
    v = make_view(plat, "sw-c", access_ports=4, endpoints=ENDPOINTS)
    return Switch(v, str(tmp_path / "sw-c.json"))


INVALID = {
    "cisco_ios": "% Invalid input detected at '^' marker.",
    "cisco_nxos": "% Invalid command at '^' marker.",
    "arista_eos": "% Invalid input",
    "juniper_junos": "syntax error, expecting <command>.",
    "aruba_aoscx": "Invalid input: bogus",
    "hp_procurve": "Invalid input: bogus",
}


@pytest.mark.parametrize("plat", sorted(INVALID))
def test_invalid_command_gives_the_platform_error(plat: str, tmp_path: Path) -> None:
    sw = _sw(plat, tmp_path)
    s = Session()
    platform(plat).prompt(sw, s)
    out = run(sw, s, "show bogus")[0]
    assert INVALID[plat] in out


def test_ios_caret_sits_under_the_bad_word(tmp_path: Path) -> None:
    sw = _sw("cisco_ios", tmp_path)
    s = Session()
    platform("cisco_ios").prompt(sw, s)
    caret = run(sw, s, "show bogus")[0].splitlines()[0]
    assert caret.index("^") == len("sw-c#show ")


def test_junos_unknown_top_level_command(tmp_path: Path) -> None:
    sw = _sw("juniper_junos", tmp_path)
    s = Session()
    assert "unknown command." in run(sw, s, "bogus")[0]


@pytest.mark.parametrize("plat", ["cisco_ios", "cisco_nxos", "arista_eos", "aruba_aoscx"])
def test_description_cannot_forge_config_lines(plat: str, tmp_path: Path) -> None:
    sw = _sw(plat, tmp_path)
    s = Session()
    evil = "cam\u2028interface Vlan1\x0b ip address 1.2.3.4 255.0.0.0"
    ifname = port_name(plat, 3)
    run(sw, s, "configure terminal", f"interface {ifname}", f"description {evil}", "end")
    assert sw.cfg.iface(ifname)["description"] == "cam"  # type: ignore[index]
    shown = run(sw, s, "show running-config")[0]
    assert "ip address 1.2.3.4" not in shown
    # a view written with a newline in a description still renders that description on one line
    lines_before = len(shown.splitlines())
    sw.cfg.iface(ifname)["description"] = "cam\n interface Vlan77"  # type: ignore[index]
    shown = run(sw, s, "show running-config")[0]
    assert "Vlan77" not in shown
    assert len(shown.splitlines()) == lines_before


def test_ios_vlan_move_shutdown_acl_and_save(tmp_path: Path) -> None:
    sw = _sw("cisco_ios", tmp_path)
    s = Session()
    out = run(
        sw,
        s,
        "terminal length 0",
        "terminal width 511",
        "configure terminal",
        "ip access-list extended CAMGUARD-NVR",
        "permit ip host 10.66.10.20 any",
        "deny ip any any",
        "exit",
        "interface Gi1/0/3",
        "switchport access vlan 999",
        "ip access-group CAMGUARD-NVR in",
        "exit",
        "interface GigabitEthernet1/0/1",
        "shutdown",
        "end",
        "show mac address-table",
    )
    mac = out[-1]
    assert "bcad.2801.0203    DYNAMIC     Gi1/0/3" in mac and " 999    bcad.2801.0203" in mac
    assert "0200.5e10.0001" not in mac  # the shut port learns nothing
    run_cfg = run(sw, s, "show running-config interface Gi1/0/3")[0]
    assert " ip access-group CAMGUARD-NVR in" in run_cfg and " switchport access vlan 999" in run_cfg
    assert "permit ip host 10.66.10.20 any" in run(sw, s, "show ip access-lists")[0]
    assert run(sw, s, "copy running-config startup-config", "")[1].endswith("[OK]")
    assert "switchport access vlan 999" in run(sw, s, "show startup-config")[0]
    import json

    on_disk = json.loads((tmp_path / "sw-c.json").read_text())
    port3 = next(i for i in on_disk["interfaces"] if i["name"] == "GigabitEthernet1/0/3")
    assert port3["access_vlan"] == 999 and port3["acl_in"] == "CAMGUARD-NVR"


def test_ios_bad_ace_is_refused(tmp_path: Path) -> None:
    sw = _sw("cisco_ios", tmp_path)
    s = Session()
    out = run(
        sw,
        s,
        "configure terminal",
        "ip access-list extended X",
        "permit ip host 10.66.10.20 any\nshutdown",
        "permit banana",
    )
    assert "% Invalid input" in out[-1]
    assert sw.cfg.acl("X")["entries"] == []  # type: ignore[index]


def test_eos_session_commit_and_abort(tmp_path: Path) -> None:
    sw = _sw("arista_eos", tmp_path)
    s = Session()
    out = run(
        sw, s, "configure session cg1", "interface Ethernet3", "switchport access vlan 999", "show session-config diffs"
    )
    assert "+   switchport access vlan 999" in out[-1]
    assert sw.cfg.iface("Ethernet3")["access_vlan"] == 10  # type: ignore[index]
    s2 = Session()
    assert " 10    bcad.2801.0203" in run(sw, s2, "show mac address-table")[0]
    run(sw, s, "commit")
    assert sw.cfg.iface("Ethernet3")["access_vlan"] == 999  # type: ignore[index]
    run(sw, s, "configure session cg2", "interface Ethernet3", "shutdown", "abort")
    assert sw.cfg.iface("Ethernet3")["enabled"] is True  # type: ignore[index]
    assert s.mode == "exec"
    assert "Pagination disabled." in run(sw, s, "terminal length 0")[0]


def test_junos_candidate_commit_confirmed_and_rollback(tmp_path: Path) -> None:
    sw = _sw("juniper_junos", tmp_path)
    plat = platform("juniper_junos")
    old = plat.minute_seconds
    plat.minute_seconds = 0.05
    try:
        s = Session()
        out = run(
            sw,
            s,
            "configure",
            "delete interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members",
            "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members quarantine",
            "show | compare",
        )
        assert "+  members quarantine;" in out[-1] and "-  members cameras;" in out[-1]
        assert sw.cfg.iface("ge-0/0/2")["access_vlan"] == 10  # type: ignore[index]
        out = run(sw, s, "commit confirmed 1")
        assert "commit confirmed will be automatically rolled back in 1 minutes unless confirmed" in out[0]
        assert sw.cfg.iface("ge-0/0/2")["access_vlan"] == 999  # type: ignore[index]
        deadline = time.monotonic() + 5
        while sw.cfg.iface("ge-0/0/2")["access_vlan"] != 10 and time.monotonic() < deadline:  # type: ignore[index]
            time.sleep(0.02)
        assert sw.cfg.iface("ge-0/0/2")["access_vlan"] == 10  # type: ignore[index]
        # confirmed in time: stays
        run(sw, s, "set interfaces ge-0/0/2 disable", "commit confirmed 1", "commit")
        time.sleep(0.2)
        assert sw.cfg.iface("ge-0/0/2")["enabled"] is False  # type: ignore[index]
        # the confirming commit is a commit too: rollback 2 is the configuration before "disable"
        out = run(sw, s, "rollback 2", "show | compare", "commit")
        assert "-  disable;" in out[1]
        assert sw.cfg.iface("ge-0/0/2")["enabled"] is True  # type: ignore[index]
        # an access port with two members does not commit
        out = run(sw, s, "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members users", "commit")
        assert "has more than one vlan member" in out[1] and "error: configuration check-out failed" in out[1]
        assert run(sw, s, "exit")[0].startswith("The configuration has been changed but not committed")
        assert run(sw, s, "yes")[0] == "Exiting configuration mode"
    finally:
        plat.minute_seconds = old


def test_procurve_vlan_untagged_and_interface_commands(tmp_path: Path) -> None:
    sw = _sw("hp_procurve", tmp_path)
    s = Session()
    run(
        sw,
        s,
        "configure",
        "vlan 999 untagged 3",
        'interface 3 name "isolated camera"',
        "interface 1 disable",
        "ip access-list extended CG",
        "permit ip 10.66.10.20 0.0.0.0 0.0.0.0 255.255.255.255",
        "exit",
        "interface 3 ip access-group CG in",
    )
    port3 = sw.cfg.iface("3")
    assert port3 is not None and port3["access_vlan"] == 999 and port3["description"] == "isolated camera"
    assert port3["acl_in"] == "CG"
    assert sw.cfg.acl("CG")["entries"][0]["text"] == "permit ip host 10.66.10.20 any"  # type: ignore[index]
    mac = run(sw, s, "show mac-address")[0]
    assert "bcad28-010203     3                               999" in mac
    assert "02005e-100001" not in mac


# -- what the isolation templates send, as the real CLIs take it (found running port_isolation) --


@pytest.mark.parametrize(
    ("plat", "acl_cmd", "ace", "shown"),
    [
        ("cisco_ios", "ip access-list extended CG", "permit udp any eq bootpc any eq bootps", None),
        ("arista_eos", "ip access-list CG", "10 permit udp any eq bootpc any eq bootps", None),
        ("cisco_nxos", "ip access-list CG", "10 permit udp any eq 68 any eq 67", None),
        ("aruba_aoscx", "access-list ip CG", "10 permit udp any eq 68 any eq 67", "10 permit udp any eq 68 any eq 67"),
        (
            "aruba_aoscx",
            "access-list ip CG",
            "20 permit any any 10.66.10.20/255.255.255.255",
            "20 permit any any 10.66.10.20",
        ),
        (
            "aruba_aoscx",
            "access-list ip CG",
            "30 permit any any 10.66.10.0/24",
            "30 permit any any 10.66.10.0/255.255.255.0",
        ),
    ],
)
def test_ace_with_source_port_and_masks_is_accepted(
    plat: str, acl_cmd: str, ace: str, shown: Any, tmp_path: Path
) -> None:
    sw = _sw(plat, tmp_path)
    s = Session()
    platform(plat).prompt(sw, s)
    out = run(sw, s, "configure terminal", acl_cmd, ace, "exit", "end")
    assert not any("Invalid" in o for o in out), out
    assert len(sw.cfg.acl("CG")["entries"]) == 1  # type: ignore[index]
    running = run(sw, s, "show running-config")[0]
    assert (shown or ace.split(" ", 1)[-1]) in running


def test_aoscx_rejects_a_malformed_ace(tmp_path: Path) -> None:
    sw = _sw("aruba_aoscx", tmp_path)
    s = Session()
    out = run(sw, s, "configure terminal", "access-list ip CG", "10 permit any any 10.66.10.20/255.0.255.0x")
    assert "Invalid input" in out[-1]
    assert sw.cfg.acl("CG")["entries"] == []  # type: ignore[index]


def test_junos_els_filter_terms_commit_and_display_set(tmp_path: Path) -> None:
    sw = _sw("juniper_junos", tmp_path)
    s = Session()
    f = "set firewall family ethernet-switching filter CG term"
    out = run(
        sw,
        s,
        "configure",
        f"{f} arp from ether-type arp",
        f"{f} arp then accept",
        f"{f} dhcp from ip-protocol udp",
        f"{f} dhcp from destination-port 67",
        f"{f} dhcp then accept",
        f"{f} peers from ip-destination-address 10.66.10.20/32",
        f"{f} peers then accept",
        f"{f} deny then discard",
        "set interfaces ge-0/0/2 unit 0 family ethernet-switching filter input CG",
        "commit",
    )
    assert not any("error" in o for o in out), out
    text = run(sw, s, "run show configuration | display set")[0]
    for line in (
        f"{f} arp from ether-type arp",
        f"{f} dhcp from ip-protocol udp",
        f"{f} dhcp from destination-port 67",
        f"{f} peers from ip-destination-address 10.66.10.20/32",
        "set interfaces ge-0/0/2 unit 0 family ethernet-switching filter input CG",
    ):
        assert line in text


def test_junos_filter_not_defined_fails_the_commit_check(tmp_path: Path) -> None:
    sw = _sw("juniper_junos", tmp_path)
    s = Session()
    out = run(
        sw, s, "configure", "set interfaces ge-0/0/3 unit 0 family ethernet-switching filter input NOPE", "commit"
    )
    assert "Referenced filter 'NOPE' is not defined" in out[-1] and "error: configuration check-out failed" in out[-1]
    assert not sw.cfg.iface("ge-0/0/3").get("acl_in")  # type: ignore[union-attr]


def test_junos_second_name_for_a_vlan_id_fails_the_commit(tmp_path: Path) -> None:
    sw = _sw("juniper_junos", tmp_path)  # VLAN 999 is "quarantine"
    s = Session()
    out = run(sw, s, "configure", "set vlans CAMGUARD-QUARANTINE vlan-id 999", "commit")
    assert "Duplicate vlan-id exists for vlan quarantine" in out[-1]
    assert "error: configuration check-out failed" in out[-1]
    assert sw.cfg.vlan_name(999) == "quarantine"
    # by its ID, the existing VLAN takes the port
    out = run(
        sw,
        s,
        "rollback 0",
        "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members 999",
        "delete interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members cameras",
        "commit",
    )
    assert "commit complete" in out[-1], out
    assert sw.cfg.iface("ge-0/0/2")["access_vlan"] == 999  # type: ignore[index]


def test_junos_interfaces_descriptions_lists_described_ports_with_admin_state(tmp_path: Path) -> None:
    sw = _sw("juniper_junos", tmp_path)
    s = Session()
    run(sw, s, "configure", "set interfaces ge-0/0/1 description printer", "set interfaces ge-0/0/1 disable", "commit")
    run(sw, s, "exit")
    out = run(sw, s, "show interfaces descriptions")[0].splitlines()
    assert out[0].split() == ["Interface", "Admin", "Link", "Description"]
    assert [ln.split() for ln in out[1:] if ln.startswith("ge-0/0/1 ")] == [["ge-0/0/1", "down", "down", "printer"]]
    assert not [ln for ln in out if ln.startswith("ge-0/0/2 ")]  # no description: not listed, as on Junos


def test_procurve_interface_context_enable_and_acl_removal(tmp_path: Path) -> None:
    sw = _sw("hp_procurve", tmp_path)
    s = Session()
    run(sw, s, "configure", "interface 3", "disable", "exit")
    assert sw.cfg.iface("3")["enabled"] is False  # type: ignore[index]
    run(sw, s, "interface 3", "enable", "exit")
    assert sw.cfg.iface("3")["enabled"] is True  # type: ignore[index]
    run(sw, s, 'ip access-list extended "CG"', "permit udp any any eq 67", "exit")
    assert sw.cfg.acl("CG") is not None
    out = run(sw, s, 'no ip access-list extended "CG"', 'no ip access-list extended "CG"')
    assert out == ["", ""] and sw.cfg.acl("CG") is None


def test_procurve_interfaces_status_parses_to_access_vlans(tmp_path: Path) -> None:
    from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.aruba import parse_pc_ports

    sw = _sw("hp_procurve", tmp_path)
    s = Session()
    run(sw, s, "configure", "vlan 999 untagged 3", "interface 2 disable", 'interface 1 name "a long port name"')
    outputs = {
        "show interfaces brief": run(sw, s, "show interfaces brief")[0],
        "show interfaces status": run(sw, s, "show interfaces status")[0],
        "show trunks": run(sw, s, "show trunks")[0],
    }
    ports = {p.name: p for p in parse_pc_ports(outputs, "sw-c").records}
    assert (ports["3"].mode, ports["3"].access_vlan) == ("access", 999)
    assert (ports["1"].access_vlan, ports["1"].description) == (20, "a long ...")
    assert ports["2"].enabled is False
    assert ports["5"].mode == "trunk" and ports["5"].lag == "Trk1"


def test_procurve_login_banner_and_logout_questions(tmp_path: Path) -> None:
    """As a real ProCurve: the banner waits for a key, logout asks to save unsaved changes and
    then to log out (netmiko answers both; without them its cleanup waits for its read timeout)."""
    sw = _sw("hp_procurve", tmp_path)
    plat = platform("hp_procurve")
    s = Session()
    plat.start_session(sw, s)
    assert plat.banner(sw).endswith("Press any key to continue")
    assert plat.prompt(sw, s) == ""
    assert run(sw, s, "")[0] == "" and plat.prompt(sw, s) == "sw-c#"
    run(sw, s, "logout")
    assert plat.prompt(sw, s) == "Do you want to log out [y/n]? "
    assert plat.dispatch(sw, s, "n").close is False and plat.prompt(sw, s) == "sw-c#"
    run(sw, s, "configure", "interface 1 disable", "end", "logout")
    assert plat.prompt(sw, s) == "Do you want to save current configuration [y/n/^C]? "
    run(sw, s, "y")
    assert "disable" in str(sw.view["startup_config"])
    assert plat.prompt(sw, s) == "Do you want to log out [y/n]? "
    assert plat.dispatch(sw, s, "y").close is True
