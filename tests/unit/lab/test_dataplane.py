# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab/nos/dataplane.py without a kernel: what each platform's CLI state asks of the data plane,
the nftables rules an ACL becomes, the FDB read back as the MAC table, and the fleet's hooks
(a fake runner records the commands instead of running them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytest.importorskip("fakenos")

from lab.fakenos_fleet import apply_refresh, load_views  # noqa: E402
from lab.nos import make_view, platform, port_name  # noqa: E402
from lab.nos.base import Session, Switch, connected, learned_macs  # noqa: E402
from lab.nos.dataplane import (  # noqa: E402
    DataPlane,
    DataPlaneError,
    PortWant,
    ace_rule,
    acl_rules,
    fdb_rows,
    junos_term_rule,
    ruleset,
    wanted_ports,
)

NVR = "10.66.10.20"
CAM = "bc:ad:28:01:02:03"


def spec_for(plat: str, access_ports: int = 4) -> Dict[str, Any]:
    """The data-plane block of a ``make_view`` switch (a 2-member LAG uplink)."""
    return {
        "netns": "cgtest-sw",
        "model": "per_vlan",
        "ports": {port_name(plat, n): f"p{n}" for n in range(1, access_ports + 1)},
        "uplinks": [
            {
                "interface": make_view(plat, "x", access_ports=access_ports)["interfaces"][-1]["name"],
                "members": [port_name(plat, access_ports + 1), port_name(plat, access_ports + 2)],
                "devices": {"10": "vx1v10", "20": "vx1v20"},
            }
        ],
    }


DEVICES = ["lo", "br10", "br20", "p1", "p2", "p3", "p3.30", "vx1v10", "vx1v20", "up1"]

# What the role's templates send for an ACL isolation of port 3 with the NVR as the one peer,
# in each platform's own syntax (see roles/camera_isolation/templates/<platform>/acl_isolate.j2).
ACL_LINES = {
    "cisco_ios": [
        "configure terminal",
        "ip access-list extended CAMGUARD-ISOLATE",
        " permit udp any eq bootpc any eq bootps",
        f" permit ip any host {NVR}",
        " deny ip any any",
        "exit",
        "interface GigabitEthernet1/0/3",
        " ip access-group CAMGUARD-ISOLATE in",
        "end",
    ],
    "arista_eos": [
        "configure terminal",
        "ip access-list CAMGUARD-ISOLATE",
        " 10 permit udp any eq bootpc any eq bootps",
        f" 20 permit ip any {NVR}/32",
        " 1000 deny ip any any",
        "exit",
        "interface Ethernet3",
        " ip access-group CAMGUARD-ISOLATE in",
        "end",
    ],
    "cisco_nxos": [
        "configure terminal",
        "ip access-list CAMGUARD-ISOLATE",
        " 10 permit udp any eq 68 any eq 67",
        f" 20 permit ip any {NVR}/32",
        " 1000 deny ip any any",
        "exit",
        "interface Ethernet1/3",
        " ip port access-group CAMGUARD-ISOLATE in",
        "end",
    ],
    "aruba_aoscx": [
        "configure terminal",
        "access-list ip CAMGUARD-ISOLATE",
        "    10 permit udp any eq 68 any eq 67",
        f"    20 permit any any {NVR}/255.255.255.255",
        "    1000 deny any any any",
        "    exit",
        "interface 1/1/3",
        "    apply access-list ip CAMGUARD-ISOLATE in",
        "    exit",
        "end",
    ],
    "hp_procurve": [
        "configure terminal",
        'ip access-list extended "CAMGUARD-ISOLATE"',
        "   permit udp any any eq 67",
        f"   permit ip any {NVR} 0.0.0.0",
        "   deny ip any any",
        "   exit",
        "interface 3",
        '   ip access-group "CAMGUARD-ISOLATE" in',
        "   exit",
        "end",
    ],
    "juniper_junos": [
        "configure",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term arp from ether-type arp",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term arp then accept",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term dhcp from ip-protocol udp",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term dhcp from destination-port 67",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term dhcp then accept",
        f"set firewall family ethernet-switching filter CAMGUARD-ISOLATE term peers from ip-destination-address {NVR}/32",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term peers then accept",
        "set firewall family ethernet-switching filter CAMGUARD-ISOLATE term deny then discard",
        "set interfaces ge-0/0/2 unit 0 family ethernet-switching filter input CAMGUARD-ISOLATE",
        "commit and-quit",
    ],
}
VLAN_LINES = {
    "cisco_ios": ["configure terminal", "interface GigabitEthernet1/0/3", "switchport access vlan 20", "end"],
    "arista_eos": ["configure terminal", "interface Ethernet3", "switchport access vlan 20", "end"],
    "cisco_nxos": ["configure terminal", "interface Ethernet1/3", "switchport access vlan 20", "end"],
    "aruba_aoscx": ["configure terminal", "interface 1/1/3", "vlan access 20", "end"],
    "hp_procurve": ["configure terminal", "vlan 20", "   untagged 3", "   exit", "end"],
    "juniper_junos": [
        "configure",
        "delete interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members",
        "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members users",
        "commit and-quit",
    ],
}
SHUT_LINES = {
    "cisco_ios": ["configure terminal", "interface GigabitEthernet1/0/3", "shutdown", "end"],
    "arista_eos": ["configure terminal", "interface Ethernet3", "shutdown", "end"],
    "cisco_nxos": ["configure terminal", "interface Ethernet1/3", "shutdown", "end"],
    "aruba_aoscx": ["configure terminal", "interface 1/1/3", "shutdown", "end"],
    "hp_procurve": ["configure terminal", "interface 3", "   disable", "   exit", "end"],
    "juniper_junos": ["configure", "set interfaces ge-0/0/2 disable", "commit and-quit"],
}
PLATS = sorted(ACL_LINES)


def drive(plat: str, lines: Sequence[str], view: Optional[Dict[str, Any]] = None) -> Switch:
    """Type ``lines`` into a fresh switch of ``plat`` (no SSH); returns the switch."""
    sw = Switch(view or make_view(plat, "sw", access_ports=4, endpoints=[{"mac": CAM, "port": 3, "vlan": 10}]))
    p = platform(plat)
    s = Session()
    p.start_session(sw, s)
    if s.data.get("pending"):  # ProCurve's "Press any key to continue"
        p.dispatch(sw, s, "")
    for line in lines:
        p.dispatch(sw, s, line)
    return sw


# --------------------------------------------------------------------------- desired state


@pytest.mark.parametrize("plat", PLATS)
def test_each_cli_drives_the_port(plat: str) -> None:
    spec = spec_for(plat)
    base = wanted_ports(drive(plat, []).view, spec, DEVICES)
    assert base["p3"] == PortWant(10, True) and base["vx1v10"] == PortWant(10, True)
    assert base["p3.30"] == PortWant(None, True)  # no VLAN 30 on this switch: an inactive sub-port
    moved = wanted_ports(drive(plat, VLAN_LINES[plat]).view, spec, DEVICES)
    assert moved["p3"] == PortWant(20, True)
    assert {k: v for k, v in moved.items() if k != "p3"} == {k: v for k, v in base.items() if k != "p3"}
    shut = wanted_ports(drive(plat, SHUT_LINES[plat]).view, spec, DEVICES)
    assert shut["p3"] == PortWant(10, False) and shut["p3.30"].up is False
    assert shut["p1"] == PortWant(10, True)


@pytest.mark.parametrize("plat", PLATS)
def test_each_cli_acl_becomes_an_nft_chain(plat: str) -> None:
    sw = drive(plat, ACL_LINES[plat])
    text = ruleset(sw.view, spec_for(plat), DEVICES)
    assert 'iifname { "p3", "p3.30" } jump in_p3' in text, text
    chain = text[text.index("chain in_p3 {") :]
    rules = [ln.strip() for ln in chain.splitlines()[1:] if ln.strip() not in ("}", "")]
    if plat == "juniper_junos":
        assert rules == [
            "ether type arp accept",
            "ip protocol udp udp dport 67 accept",
            f"ip daddr {{ {NVR}/32 }} accept",
            "drop",
            "drop",
        ]
    else:
        dhcp = (
            "ether type ip meta l4proto udp udp dport 67 accept"
            if plat == "hp_procurve"
            else "ether type ip meta l4proto udp udp sport 68 udp dport 67 accept"
        )
        peer = f"ether type ip ip daddr {NVR}" + ("/32" if plat in ("arista_eos", "cisco_nxos") else "") + " accept"
        assert rules == ["ether type != ip accept", dhcp, peer, "ether type ip drop", "drop"], rules
    # nothing bound: no table at all
    assert ruleset(drive(plat, []).view, spec_for(plat), DEVICES) == ""


def test_uplink_follows_the_trunk_and_the_lag() -> None:
    plat = "cisco_ios"
    spec = spec_for(plat)
    pruned = drive(plat, ["configure terminal", "interface Port-channel1", "switchport trunk allowed vlan 10", "end"])
    want = wanted_ports(pruned.view, spec, DEVICES)
    assert want["vx1v10"] == PortWant(10, True) and want["vx1v20"] == PortWant(20, False)
    members = [port_name(plat, 5), port_name(plat, 6)]
    one = drive(plat, ["configure terminal", f"interface {members[0]}", "shutdown", "end"])
    assert wanted_ports(one.view, spec, DEVICES)["vx1v10"].up  # one member left
    both = drive(
        plat,
        ["configure terminal", f"interface {members[0]}", "shutdown", f"interface {members[1]}", "shutdown", "end"],
    )
    assert not wanted_ports(both.view, spec, DEVICES)["vx1v10"].up


def test_an_access_vlan_the_switch_lacks_leaves_the_port_inactive() -> None:
    sw = drive("cisco_ios", [])
    sw.view["interfaces"][2]["access_vlan"] = 77
    assert wanted_ports(sw.view, spec_for("cisco_ios"), DEVICES)["p3"] == PortWant(None, True)
    # VLAN 1 always exists
    sw.view["interfaces"][2]["access_vlan"] = 1
    assert wanted_ports(sw.view, spec_for("cisco_ios"), DEVICES)["p3"] == PortWant(1, True)


# ----------------------------------------------------------------------------- ACL details


@pytest.mark.parametrize(
    ("ace", "rule"),
    [
        ("permit ip any any", "ether type ip accept"),
        ("deny ip any 10.66.10.0 0.0.0.255", "ether type ip ip daddr 10.66.10.0/24 drop"),
        ("permit ip 10.66.0.0 0.0.255.0 any", "ether type ip ip saddr & 255.255.0.255 == 10.66.0.0 accept"),
        (
            "permit tcp any host 10.66.10.20 range 554 556",
            "ether type ip meta l4proto tcp ip daddr 10.66.10.20 tcp dport 554-556 accept",
        ),
        (
            "permit tcp any any gt 1023 established",
            "ether type ip meta l4proto tcp tcp dport > 1023 tcp flags & (ack | rst) != 0 accept",
        ),
        ("deny icmp any any", "ether type ip ip protocol icmp drop"),
        ("permit 47 host 10.66.10.1 any", "ether type ip ip protocol 47 ip saddr 10.66.10.1 accept"),
        ("remark allow the NVR", None),
    ],
)
def test_ace_rules(ace: str, rule: Optional[str]) -> None:
    assert ace_rule(ace) == rule


def test_untranslatable_entries_fail_loudly() -> None:
    with pytest.raises(DataPlaneError, match="unknown port name"):
        ace_rule("permit udp any eq nosuchservice any")
    with pytest.raises(DataPlaneError, match="unsupported access-list entry"):
        ace_rule("permit ipx any any")
    with pytest.raises(DataPlaneError, match="unsupported filter match ether-type x-y"):
        junos_term_rule({"from": {"ether-type": "x-y"}})
    with pytest.raises(DataPlaneError, match="unsupported filter match ip-protocol x;y"):
        junos_term_rule({"from": {"ip-protocol": "x;y"}})


def test_junos_terms() -> None:
    assert junos_term_rule({"from": {}, "then": "discard"}) == "drop"
    assert junos_term_rule({"from": {"destination-port": "67"}}) == "meta l4proto { tcp, udp } th dport 67 accept"
    assert (
        junos_term_rule({"from": {"ip-source-address": ["10.66.10.0/24", "10.66.20.5"]}, "then": "accept"})
        == "ip saddr { 10.66.10.0/24, 10.66.20.5/32 } accept"
    )
    assert acl_rules({"type": "junos-filter", "entries": []}) == ["drop"]


# ------------------------------------------------------------------------- FDB -> MAC table


def test_fdb_rows_name_vendor_ports_and_bridge_vlans() -> None:
    spec = spec_for("juniper_junos")
    entries = [
        {"mac": "BC:AD:28:01:02:03", "ifname": "p3", "master": "br999", "state": ""},
        {"mac": "00:04:f2:00:00:01", "ifname": "p3.30", "master": "br30", "flags": []},
        {"mac": "02:00:5e:10:00:01", "ifname": "vx1v20", "master": "br20"},
        {"mac": "aa:aa:aa:aa:aa:aa", "ifname": "p3", "master": "br10", "state": "permanent"},
        {"mac": "00:00:00:00:00:00", "ifname": "vx1v20", "flags": ["self"], "dst": "10.66.192.0"},
        {"mac": "bb:bb:bb:bb:bb:bb", "ifname": "up1", "master": "br10"},  # not a switch port
        {"mac": "cc:cc:cc:cc:cc:cc", "ifname": "p2", "master": "br0", "vlan": 10},  # vlan_aware
    ]
    assert fdb_rows(entries, spec) == [
        {"mac": "cc:cc:cc:cc:cc:cc", "vlan": 10, "interface": "ge-0/0/1", "type": "dynamic"},
        {"mac": "02:00:5e:10:00:01", "vlan": 20, "interface": "ae0", "type": "dynamic"},
        {"mac": "00:04:f2:00:00:01", "vlan": 30, "interface": "ge-0/0/2", "type": "dynamic"},
        {"mac": "bc:ad:28:01:02:03", "vlan": 999, "interface": "ge-0/0/2", "type": "dynamic"},
    ]


# ------------------------------------------------------------------ the data plane with a fake


class FakeKernel:
    """Answers ``ip -j link show`` / ``bridge -j fdb show`` and records every other command."""

    def __init__(self, links: List[Dict[str, Any]], fdb: List[Dict[str, Any]]) -> None:
        self.links = links
        self.fdb = fdb
        self.calls: List[Tuple[List[str], Optional[str]]] = []

    def __call__(self, argv: Sequence[str], stdin: Optional[str] = None) -> Tuple[int, str, str]:
        argv = list(argv)
        if argv[-3:] == ["-j", "link", "show"]:
            return 0, json.dumps(self.links), ""
        if argv[-3:] == ["-j", "fdb", "show"]:
            return 0, json.dumps(self.fdb), ""
        self.calls.append((argv, stdin))
        args = argv[3:] if argv[1:2] == ["-n"] else []
        by = {d["ifname"]: d for d in self.links}
        if args[:2] == ["link", "add"]:
            self.links.append({"ifname": args[2], "flags": ["BROADCAST"]})
        elif args[:2] == ["link", "set"] and args[2] in by:
            dev, what = by[args[2]], args[3:]
            if what in (["up"], ["down"]):
                dev["flags"] = [f for f in dev["flags"] if f != "UP"] + (["UP"] if what == ["up"] else [])
            elif what[:1] == ["master"]:
                dev["master"] = what[1]
            elif what == ["nomaster"]:
                dev.pop("master", None)
        return 0, "", ""


def _links() -> List[Dict[str, Any]]:
    up = ["BROADCAST", "UP", "LOWER_UP"]
    return [
        {"ifname": "br10", "flags": up},
        {"ifname": "br20", "flags": up},
        {"ifname": "p1", "master": "br10", "flags": ["BROADCAST", "UP"]},  # no carrier
        {"ifname": "p3", "master": "br10", "flags": up},
        {"ifname": "vx1v10", "master": "br10", "flags": up},
        {"ifname": "vx1v20", "master": "br20", "flags": up},
    ]


def test_sync_runs_only_what_changed() -> None:
    kernel = FakeKernel(_links(), [])
    dp = DataPlane(spec_for("cisco_ios"), runner=kernel)
    sw = Switch(make_view("cisco_ios", "sw", access_ports=4), dataplane=dp)
    sw.sync_dataplane(force=True)
    # the built namespace already matches the configuration: only the (empty) nft table is set
    assert [c[0][-3:] for c in kernel.calls] == [["/usr/sbin/nft", "-f", "-"]]
    kernel.calls.clear()
    p = platform("cisco_ios")
    s = Session()
    for line in ["configure terminal", "interface GigabitEthernet1/0/3", "switchport access vlan 999"]:
        p.dispatch(sw, s, line)
    cmds = [" ".join(c[0][3:]) for c in kernel.calls]
    assert cmds == [
        "link add br999 type bridge ageing_time 6000000 stp_state 0 mcast_snooping 0",
        "link set br999 up",
        "link set p3 master br999",
    ]
    kernel.calls.clear()
    sw.sync_dataplane()
    assert kernel.calls == []  # nothing changed since
    for line in ["shutdown", "ip access-group CAMGUARD-X in"]:
        p.dispatch(sw, s, line)
    assert " ".join(kernel.calls[0][0][3:]) == "link set p3 down"
    script = kernel.calls[-1][1] or ""
    # an ACL bound but not defined filters nothing (as IOS does)
    assert script.startswith("add table bridge lab_acl\ndelete table bridge lab_acl\ntable bridge lab_acl {")
    assert "chain in_p3 {\n    accept\n  }" in script


def test_mac_table_and_link_state_come_from_the_kernel() -> None:
    fdb = [
        {"mac": CAM, "ifname": "p3", "master": "br10"},
        {"mac": "00:04:f2:00:00:01", "ifname": "vx1v20", "master": "br20"},
    ]
    kernel = FakeKernel(_links(), fdb)
    view = make_view("cisco_ios", "sw", access_ports=4, endpoints=[{"mac": "02:00:00:00:00:09", "port": 2, "vlan": 10}])
    view["mac_table"].append(
        {"mac": "00:1e:bd:00:00:05", "vlan": 10, "interface": "Port-channel1", "origin": "neighbor"}
    )
    sw = Switch(view, dataplane=DataPlane(spec_for("cisco_ios"), runner=kernel))
    sw.refresh_live(force=True)
    got = sorted(learned_macs(sw.view))
    assert got == sorted(
        [
            ("00:1e:bd:00:00:05", 10, "Port-channel1", "dynamic"),  # kept: the data plane cannot learn it
            (CAM, 10, "GigabitEthernet1/0/3", "dynamic"),
            ("00:04:f2:00:00:01", 20, "Port-channel1", "dynamic"),
        ]
    )  # the static view row on port 2 is gone: the kernel did not learn it
    cfg = sw.cfg
    assert connected(sw.view, cfg.iface("GigabitEthernet1/0/3"))
    assert not connected(sw.view, cfg.iface("GigabitEthernet1/0/1"))  # a port with no carrier
    assert not connected(sw.view, cfg.iface("GigabitEthernet1/0/4"))  # no cable at all
    # the table is re-read at most every LIVE_TTL seconds, at once after a change
    kernel.fdb = []
    sw.refresh_live()
    assert (CAM, 10, "GigabitEthernet1/0/3", "dynamic") in learned_macs(sw.view)
    sw.refresh_live(force=True)
    assert (CAM, 10, "GigabitEthernet1/0/3", "dynamic") not in learned_macs(sw.view)


def test_a_failing_kernel_leaves_the_cli_working(caplog: pytest.LogCaptureFixture) -> None:
    def broken(argv: Sequence[str], stdin: Optional[str] = None) -> Tuple[int, str, str]:
        return 1, "", "Cannot open network namespace"

    sw = Switch(make_view("cisco_ios", "sw", access_ports=4), dataplane=DataPlane(spec_for("cisco_ios"), runner=broken))
    p = platform("cisco_ios")
    s = Session()
    out = p.dispatch(sw, s, "show version").output
    sw.sync_dataplane(force=True)
    sw.refresh_live(force=True)
    assert "Cisco IOS Software" in out
    assert "data plane not updated" in caplog.text and "Cannot open network namespace" in caplog.text
    assert "MAC table not read from the data plane" in caplog.text


def test_voice_vlan_rows_are_not_remapped() -> None:
    view = make_view("cisco_ios", "sw", access_ports=4)
    view["interfaces"][3]["access_vlan"] = 10
    view["interfaces"][3]["voice_vlan"] = 30
    view["mac_table"] = [
        {"mac": "00:04:f2:00:00:01", "vlan": 30, "interface": "GigabitEthernet1/0/4"},
        {"mac": CAM, "vlan": 10, "interface": "GigabitEthernet1/0/4"},
        {"mac": "02:00:00:00:00:77", "vlan": 77, "interface": "GigabitEthernet1/0/4"},
    ]
    assert sorted(m[:2] for m in learned_macs(view)) == [
        ("00:04:f2:00:00:01", 30),
        ("02:00:00:00:00:77", 10),
        (CAM, 10),
    ]


# --------------------------------------------------------------------------------- the fleet


def test_fleet_refresh_replaces_learned_state_only(tmp_path: Path) -> None:
    view = make_view("arista_eos", "sw-eos1", access_ports=4)
    (tmp_path / "sw-eos1.json").write_text(json.dumps(view))
    switches = {sw.name: sw for sw in load_views(str(tmp_path))}
    sw = switches["sw-eos1"]
    sw.view["interfaces"][0]["description"] = "set by the CLI"
    refresh = tmp_path / "refresh"
    refresh.mkdir()
    new = {"mac_table": [{"mac": CAM, "vlan": 10, "interface": "Ethernet2"}], "arp": [], "lldp": [], "hostname": "x"}
    (refresh / "sw-eos1.json").write_text(json.dumps(new))
    assert apply_refresh(str(tmp_path), switches) == ["sw-eos1"]
    assert not list(refresh.glob("*.json"))
    assert sw.view["mac_table"] == new["mac_table"] and sw.view["lldp"] == []
    assert sw.view["hostname"] == "sw-eos1" and sw.view["interfaces"][0]["description"] == "set by the CLI"
    on_disk = json.loads((tmp_path / "sw-eos1.json").read_text())
    assert on_disk["mac_table"] == new["mac_table"]


def test_fleet_rejects_a_bad_dataplane_block(tmp_path: Path) -> None:
    from lab.fakenos_fleet import FleetError

    view = make_view("cisco_ios", "sw", access_ports=2)
    view["dataplane"] = {"ports": {}}
    (tmp_path / "sw.json").write_text(json.dumps(view))
    with pytest.raises(FleetError, match="bad dataplane block: dataplane block without 'netns'"):
        load_views(str(tmp_path))


def test_ios_renders_a_voice_vlan() -> None:
    ntc = pytest.importorskip("ntc_templates.parse")
    view = make_view("cisco_ios", "sw", access_ports=4, vlans={10: "cameras", 30: "voice"})
    view["interfaces"][3]["voice_vlan"] = 30
    p = platform("cisco_ios")
    s = Session()
    sw = Switch(view)
    out = p.dispatch(sw, s, "show interfaces GigabitEthernet1/0/4 switchport").output
    parsed = ntc.parse_output(platform="cisco_ios", command="show interfaces switchport", data=out)
    assert parsed[0]["voice_vlan"] == "30"
    assert " switchport voice vlan 30" in p.dispatch(sw, s, "show running-config").output
    assert "Voice VLAN: none" in p.dispatch(sw, s, "show interfaces GigabitEthernet1/0/3 switchport").output
