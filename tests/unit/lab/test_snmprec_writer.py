# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab/snmprec_writer.py and lab/snmp_agent.py without a kernel or an agent: what a lab switch
answers over SNMP, decoded by the collection's own MIB decoders (``parsers.mib``), must be what
its CLI shows (the view's configuration and ``learned_macs``; a linux_bridge switch's kernel
documents), through every platform's peculiarity (Cisco IOS per-VLAN contexts, Junos FDB ids),
after an isolation, and with MIB groups left out (the evidence's "limits")."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import pytest
import snmp_agent as A
import snmprec_writer as W
import topology as T
import views as V

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytest.importorskip("fakenos")

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface  # noqa: E402
from lab.nos.base import learned_macs, live_neighbors  # noqa: E402

LAB = Path(T.__file__).resolve().parent
ALL = ("mac_table", "arp", "neighbors", "ports")


def campus_views() -> Dict[str, Dict[str, Any]]:
    topo = T.load_topology(LAB / "topologies" / "campus.yml")
    return V.build_views(topo, "camguard", "pw", {s.name: 2000 + i for i, s in enumerate(topo.switches)})


VIEWS = campus_views()


def one_of(platform: str) -> Dict[str, Any]:
    return copy.deepcopy(next(v for v in VIEWS.values() if v["platform"] == platform))


def decode(agent: W.Agent, platform: Optional[str] = None) -> mib.Decoded:
    """What the collection reads from the agent's records (its VLAN contexts too, where it has them)."""
    scalars, walk = mib.walk_from_varbinds(mib.parse_snmprec(W.render(agent)))
    vlan_walks = None
    if agent.vlan_contexts and mib.is_cisco(scalars.get("sysObjectID")) and not walk.get("dot1qTpFdbPort"):
        vlan_walks = {
            vid: mib.walk_from_varbinds(mib.parse_snmprec(W.render(agent, vid)))[1]
            for vid in mib.cisco_vlans(walk, 256)
        }
    return mib.decode_switch(agent.name, platform or agent.platform, scalars, walk, ALL, vlan_walks=vlan_walks)


def macs_of(dec: mib.Decoded) -> Set[Tuple[str, Optional[int], str]]:
    return {(m.mac, m.vlan, m.interface) for m in dec.data.macs if m.kind != "self"}


def cli_macs(view: Dict[str, Any]) -> Set[Tuple[str, Optional[int], str]]:
    return {(mac, vlan, canonical_interface(i, view["platform"])) for mac, vlan, i, _k in learned_macs(view)}


PLATFORMS = sorted({v["platform"] for v in VIEWS.values()})


@pytest.mark.parametrize("platform", PLATFORMS)
def test_vendor_switch_over_snmp_is_what_its_cli_shows(platform: str) -> None:
    view = one_of(platform)
    dec = decode(W.from_view(view))
    assert macs_of(dec) == cli_macs(view) and macs_of(dec)
    ports = {p.name: p for p in dec.data.ports}
    for ifc in view["interfaces"]:
        p = ports[canonical_interface(ifc["name"], platform)]
        assert p.enabled == ifc["enabled"] and p.description == ifc["description"]
        if ifc.get("is_lag"):
            assert p.is_lag and p.mode == "trunk"
        elif ifc.get("lag"):
            assert p.lag == canonical_interface(ifc["lag"], platform)
        elif ifc["mode"] == "access":
            assert (p.mode, p.access_vlan) == ("access", ifc["access_vlan"])
        else:
            assert p.mode == "trunk"
    neighbors = {(n.local_interface, n.remote_name, n.remote_port, n.remote_mac) for n in dec.data.neighbors}
    assert neighbors == {
        (canonical_interface(n["local_interface"], platform), n["remote_name"], n["remote_port"], n.get("remote_mac"))
        for n in live_neighbors(view)
    }
    assert {(a.ip, a.mac) for a in dec.data.arp} == {(a["ip"], a["mac"]) for a in view["arp"]}
    assert view["base_mac"] in dec.data.own_macs
    assert dec.limits == {} and dec.data.skipped_rows == 0


def test_cisco_ios_has_no_qbridge_and_one_context_per_vlan() -> None:
    agent = W.from_view(one_of("cisco_ios"))
    default = {o for o, _t, _v in W.records(agent)}
    assert not any(o[: len(W.DOT1Q_TP_FDB)] == W.DOT1Q_TP_FDB for o in default)
    assert any(o[: len(W.VTP_TRUNK_PORT)] == W.VTP_TRUNK_PORT for o in default)
    by_vlan: Dict[int, Set[str]] = {}
    for vid in agent.vlans:
        _s, walk = mib.walk_from_varbinds(mib.parse_snmprec(W.render(agent, vid)))
        by_vlan[vid] = {mib.mac_from_index(idx) or "" for idx, _v in walk.get("dot1dTpFdbPort", [])}
    for e in agent.fdb:
        assert e.mac in by_vlan[e.vlan]
        assert all(e.mac not in macs for vid, macs in by_vlan.items() if vid != e.vlan)
    # interface names as IOS's agent spells them; the collection spells them as the CLI does
    names = {i.name for i in agent.interfaces}
    assert ("Gi1/0/1" in names and "Po1" in names) or "Gi1/0/25" in names


def test_junos_fdb_ids_are_not_vlan_ids_yet_decode_to_vlans() -> None:
    view = one_of("juniper_junos")
    agent = W.from_view(view)
    assert agent.fdb_ids and all(agent.fdb_id(v) != v for v in agent.vlans)
    heads = {o[len(W.DOT1Q_TP_FDB) + 1] for o, _t, _v in W.records(agent) if o[: len(W.DOT1Q_TP_FDB)] == W.DOT1Q_TP_FDB}
    assert heads <= set(agent.fdb_ids.values())
    assert macs_of(decode(agent)) == cli_macs(view)


def test_isolation_and_shutdown_show_over_snmp() -> None:
    view = one_of("arista_eos")
    access = {i["name"] for i in view["interfaces"] if i["mode"] == "access"}
    cam_mac, _vlan, port = sorted(e for e in learned_macs(view) if e[2] in access)[0][:3]
    ifc = next(i for i in view["interfaces"] if i["name"] == port)
    ifc["access_vlan"] = 999
    for row in view["mac_table"]:
        if row["mac"] == cam_mac:
            row["vlan"] = 999  # the camera speaks again, now in the quarantine VLAN
    dec = decode(W.from_view(view))
    assert (cam_mac, 999, port) in macs_of(dec)
    assert next(p for p in dec.data.ports if p.name == port).access_vlan == 999
    ifc["enabled"] = False
    dec = decode(W.from_view(view))
    assert all(m[0] != cam_mac for m in macs_of(dec))
    assert next(p for p in dec.data.ports if p.name == port).enabled is False


def test_voice_vlan_is_tagged_membership_and_cisco_voice_vlan() -> None:
    for platform in ("cisco_ios", "arista_eos"):
        view = one_of(platform)
        ifc = next(i for i in view["interfaces"] if i["mode"] == "access")
        ifc["voice_vlan"] = 30
        agent = W.from_view(view)
        i = next(x for x in agent.interfaces if x.descr == ifc["name"])
        assert i.untagged == (ifc["access_vlan"],) and i.tagged == (30,)
        port = next(p for p in decode(agent).data.ports if p.name == canonical_interface(ifc["name"], platform))
        # a Cisco agent says access (CISCO-VLAN-MEMBERSHIP-MIB); Q-BRIDGE lists say tagged member: a trunk
        assert port.mode == ("access" if platform == "cisco_ios" else "trunk")


@pytest.mark.parametrize(
    ("groups", "limit"),
    [(["vlans"], "mode"), (["lldp"], "neighbors"), (["vlans", "lldp"], "mode")],
)
def test_omitted_groups_are_limits_the_evidence_quotes(groups: List[str], limit: str) -> None:
    agent = W.from_view(one_of("aruba_aoscx"))
    agent.omit(groups)
    dec = decode(agent)
    assert limit in dec.limits and "over SNMP" in dec.limits[limit]
    assert macs_of(dec)  # the FDB is still served
    with pytest.raises(ValueError, match="unknown MIB group"):
        agent.omit(["bogus"])


# -- linux_bridge switches from their kernel's documents -------------------------------------------

LINKS = [
    {"ifindex": 1, "ifname": "lo", "flags": ["LOOPBACK", "UP"], "address": "00:00:00:00:00:00"},
    {
        "ifindex": 2,
        "ifname": "br10",
        "flags": ["UP", "LOWER_UP"],
        "address": "02:00:00:00:10:00",
        "linkinfo": {"info_kind": "bridge"},
    },
    {
        "ifindex": 3,
        "ifname": "br999",
        "flags": ["UP", "LOWER_UP"],
        "address": "02:00:00:00:99:00",
        "linkinfo": {"info_kind": "bridge"},
    },
    {"ifindex": 4, "ifname": "up1", "flags": ["UP", "LOWER_UP"], "address": "02:00:00:00:00:01"},
    {
        "ifindex": 5,
        "ifname": "vx1v10",
        "flags": ["UP", "LOWER_UP"],
        "master": "br10",
        "linkinfo": {"info_kind": "vxlan", "info_data": {"id": 4106, "link": "up1"}},
    },
    {"ifindex": 6, "ifname": "mgmt0", "flags": ["UP", "LOWER_UP"], "address": "02:00:00:00:00:06"},
    {
        "ifindex": 7,
        "ifname": "swp3",
        "flags": ["UP", "LOWER_UP"],
        "master": "br10",
        "ifalias": "lobby | cam",
        "address": "02:00:00:00:00:07",
    },
    {"ifindex": 8, "ifname": "swp4", "flags": ["UP"], "master": "br999", "address": "02:00:00:00:00:08"},
    {"ifindex": 9, "ifname": "swp5", "flags": ["BROADCAST"], "master": "br10", "address": "02:00:00:00:00:09"},
]
CAM, REMOTE, NVR = "bc:ad:28:00:00:03", "3c:ef:8c:00:00:09", "a4:14:37:00:00:02"
FDB = [
    {"mac": CAM, "ifname": "swp3", "master": "br10", "state": ""},
    {"mac": REMOTE, "ifname": "vx1v10", "master": "br10", "state": ""},
    {"mac": "02:00:00:00:00:07", "ifname": "swp3", "master": "br10", "state": "permanent"},
    {"mac": "00:00:00:00:00:00", "ifname": "vx1v10", "dst": "10.66.192.1", "flags": ["self"], "state": "permanent"},
    {"mac": "33:33:00:00:00:01", "ifname": "swp3", "flags": ["self"], "state": "permanent"},
]
NEIGH = [
    {"dst": "10.66.10.11", "dev": "br10", "lladdr": CAM, "state": ["REACHABLE"]},
    {"dst": "10.66.10.12", "dev": "br10", "state": ["FAILED"]},
]
LLDP = {
    "lldp": {
        "interface": [
            {
                "up1": {
                    "chassis": {
                        "sw2": {
                            "id": {"type": "mac", "value": "02:00:00:00:02:01"},
                            "capability": [{"type": "Bridge", "enabled": True}],
                        }
                    },
                    "port": {"id": {"type": "ifname", "value": "up1"}, "descr": "up1"},
                }
            },
            {
                "swp3": {
                    "chassis": {"DS-7608NI": {"id": {"type": "mac", "value": NVR}, "descr": "NVR"}},
                    "port": {"id": {"type": "mac", "value": NVR}, "descr": "eth0"},
                }
            },
        ]
    }
}


def linux_agent(**kw: Any) -> W.Agent:
    return W.from_linux("sw1", LINKS, FDB, NEIGH, LLDP, vlan_names={10: "cameras", 999: "quarantine"}, **kw)


def test_linux_bridge_switch_over_snmp_is_what_its_kernel_says() -> None:
    dec = decode(linux_agent(), "linux_bridge")
    assert macs_of(dec) == {(CAM, 10, "swp3"), (REMOTE, 10, "up1")}  # learned on a VXLAN device: its trunk
    ports = {p.name: p for p in dec.data.ports}
    assert (ports["swp3"].mode, ports["swp3"].access_vlan, ports["swp3"].description) == ("access", 10, "lobby | cam")
    assert (ports["swp4"].access_vlan, ports["swp5"].enabled) == (999, False)
    assert ports["up1"].mode == "trunk" and ports["up1"].trunk_vlans == (10,)
    assert "vx1v10" not in ports and "lo" not in ports
    assert {(n.local_interface, n.remote_name, n.remote_port, n.capabilities) for n in dec.data.neighbors} == {
        ("up1", "sw2", "up1", ("bridge",)),
        ("swp3", "DS-7608NI", NVR, ()),
    }
    assert [(a.ip, a.mac, a.interface) for a in dec.data.arp] == [("10.66.10.11", CAM, "br10")]
    assert "02:00:00:00:00:07" in dec.data.own_macs  # a permanent FDB entry: the switch's own
    assert dec.limits == {}


def test_linux_vlan_aware_bridge_membership() -> None:
    links = [dict(d, master="br0") if d.get("master") else d for d in LINKS if d["ifname"] not in ("br10", "br999")]
    links.append(
        {
            "ifindex": 2,
            "ifname": "br0",
            "flags": ["UP"],
            "linkinfo": {"info_kind": "bridge", "info_data": {"vlan_filtering": 1}},
        }
    )
    vlans = [
        {"ifname": "swp3", "vlans": [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}]},
        {"ifname": "swp4", "vlans": [{"vlan": 999, "flags": ["PVID", "Egress Untagged"]}]},
        {"ifname": "vx1v10", "vlans": [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}]},
    ]
    fdb = [dict(e, master="br0", vlan=10) for e in FDB if e.get("master")]
    agent = W.from_linux("sw1", links, fdb, NEIGH, LLDP, vlans)
    dec = decode(agent, "linux_bridge")
    ports = {p.name: p for p in dec.data.ports}
    assert (ports["swp3"].mode, ports["swp3"].access_vlan) == ("access", 10)
    assert ports["swp4"].access_vlan == 999 and ports["up1"].mode == "trunk"
    assert macs_of(dec) == {(CAM, 10, "swp3"), (REMOTE, 10, "up1")}


# -- encoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("GigabitEthernet1/0/3", "4"),
        ("", "4"),
        ("lobby | cam", "4"),
        (" leading", "4x"),
        ("trailing ", "4x"),
        ("X\aEVIL\x01", "4x"),
        ("caméra", "4x"),
        (b"\x00\x1e\x10\x00\xdd\x4f", "4x"),
    ],
)
def test_octets_round_trip_through_the_snmprec_reader(value: Any, tag: str) -> None:
    got_tag, text = W.octets(value)
    assert got_tag == tag
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    assert mib.parse_snmprec(f"1.3.6.1.2.1.31.1.1.1.18.1|{got_tag}|{text}\n") == [
        ((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18, 1), raw)
    ]


def test_port_list_and_capabilities_bits() -> None:
    assert W.port_list([1, 9, 10], 10) == bytes([0x80, 0xC0])
    assert mib.port_list(W.port_list([3, 17, 24], 24)) == {3, 17, 24}
    assert mib.lldp_capabilities(W.caps_bits(["bridge", "router", "telephone"])) == ("bridge", "router", "phone")


def test_render_is_sorted_and_one_record_per_oid() -> None:
    text = W.render(W.from_view(one_of("cisco_nxos")))
    oids = [W.oid(line.split("|", 1)[0]) for line in text.splitlines()]
    assert oids == sorted(oids) and len(oids) == len(set(oids))


# -- the live agent's variation calls (snmpsim's interface), a view file as the state --------------

pytest.importorskip("snmpsim")


class FakeOid(tuple):  # type: ignore[type-arg]
    def clone(self, value: Any) -> FakeOid:
        return FakeOid(value)


def setup_live(tmp_path: Path) -> Tuple[A.Live, Path, List[float]]:
    view = one_of("hp_procurve")
    view.pop("dataplane", None)
    vfile = tmp_path / "fakenos" / "sw.json"
    vfile.parent.mkdir()
    vfile.write_text(json.dumps(view))
    spec = A.Spec(view["name"], "vendor", "hp_procurve", "127.0.0.1", 16100, view=str(vfile))
    A.write_data_dirs(tmp_path, [spec], "cgcommunity")
    now = [100.0]
    return A.Live(str(tmp_path), clock=lambda: now[0]), vfile, now


def ctx(o: Tuple[int, ...], next_flag: bool = False, model: int = 2) -> Dict[str, Any]:
    return {
        "origOid": FakeOid(o),
        "nextFlag": next_flag,
        "setFlag": False,
        "errorStatus": "ERR",
        "securityModel": model,
        "varsTotal": 1,
        "varsRemaining": 0,
    }


def test_live_answers_get_getnext_and_end_of_mib(tmp_path: Path) -> None:
    live, _vfile, _now = setup_live(tmp_path)
    name = next(iter(live.specs))
    stub = f"{name};;any"
    o, tag, value = live.variate(None, "", stub, ctx((1, 3, 6, 1, 2, 1, 1, 5, 0)))
    assert (tuple(o), tag, value) == ((1, 3, 6, 1, 2, 1, 1, 5, 0), "4", name)
    o, _tag, _value = live.variate(None, "", stub, ctx((1, 3, 6, 1, 2, 1, 1, 5, 0), next_flag=True))
    assert tuple(o) == (1, 3, 6, 1, 2, 1, 1, 6, 0)
    assert live.variate(None, "", stub, ctx((1, 3, 6, 1, 2, 1, 1, 5, 7)))[2] == "ERR"  # noSuchInstance
    assert live.variate(None, "", stub, ctx((2,), next_flag=True))[2] == "ERR"  # endOfMibView
    assert (tmp_path / "snmp" / "walks" / f"{name}.snmprec").read_text() == W.render(live.snaps[name].agent)


def test_live_v3_only_files_do_not_answer_v2c(tmp_path: Path) -> None:
    from snmpsim.error import NoDataNotification

    live, _vfile, _now = setup_live(tmp_path)
    name = next(iter(live.specs))
    with pytest.raises(NoDataNotification):
        live.variate(None, "", f"{name};;v3", ctx((1, 3, 6, 1, 2, 1, 1, 5, 0), model=2))
    assert live.variate(None, "", f"{name};;v3", ctx((1, 3, 6, 1, 2, 1, 1, 5, 0), model=3))[2] == name


def test_live_rebuilds_on_view_change_ttl_and_generation(tmp_path: Path) -> None:
    live, vfile, now = setup_live(tmp_path)
    name = next(iter(live.specs))
    sysname = (1, 3, 6, 1, 2, 1, 1, 5, 0)
    live.variate(None, "", f"{name};;any", ctx(sysname))
    first = live.snaps[name]
    view = json.loads(vfile.read_text())
    view["hostname"] = "renamed"
    vfile.write_text(json.dumps(view))  # the fleet persists every configuration change
    assert live.variate(None, "", f"{name};;any", ctx(sysname))[2] == "renamed"
    second = live.snaps[name]
    assert second is not first
    now[0] += 0.5
    live.variate(None, "", f"{name};;any", ctx(sysname))
    assert live.snaps[name] is second  # within the TTL, unchanged: the same snapshot
    now[0] += A.TTL
    live.variate(None, "", f"{name};;any", ctx(sysname))
    third = live.snaps[name]
    assert third is not second
    A.bump_generation(tmp_path)
    live.variate(None, "", f"{name};;any", ctx(sysname))
    assert live.snaps[name] is not third
    A.set_omit(tmp_path, name, ["lldp"])
    live.variate(None, "", f"{name};;any", ctx(sysname))
    assert live.snaps[name].agent.lldp is False
    with pytest.raises(A.SnmpLabError, match="unknown MIB group"):
        A.set_omit(tmp_path, name, ["nope"])


def test_data_dirs_engine_args_and_command_keep_keys_off_the_command_line(tmp_path: Path) -> None:
    specs = [
        A.Spec("ios", "vendor", "cisco_ios", "127.0.0.1", 16101, view="x", vlans=[1, 10]),
        A.Spec("lnx", "linux", "linux_bridge", "10.66.255.3", 161, netns="cg00-lnx"),
    ]
    dirs = A.write_data_dirs(tmp_path, specs, "cgc0ffee")
    assert sorted(p.name for p in dirs["ios"].iterdir()) == [
        "cgc0ffee.snmprec",
        "cgc0ffee@1.snmprec",
        "cgc0ffee@10.snmprec",
        "self.snmprec",
        "vlan-1.snmprec",
        "vlan-10.snmprec",
    ]
    assert (dirs["ios"] / "vlan-10.snmprec").read_text() == "1|:camguard_lab|ios;10;v3\n"
    keys = {"auth_key": "AUTH-secret-1", "priv_key": "PRIV-secret-2"}
    args = A.engine_args(specs, dirs, keys)
    assert "--agent-udpv4-endpoint=10.66.255.3:161" in args and "--v3-auth-key=AUTH-secret-1" in args
    if A.responder() is not None:
        argv = A.command(tmp_path, tmp_path / "engines.args", "cg00-lnx")
        assert argv[:4] == ["/usr/sbin/ip", "netns", "exec", "cg00-lnx"]
        assert not any("secret" in a for a in argv)
    assert (tmp_path / "snmp").stat().st_mode & 0o777 == 0o700


def test_get_packet_is_a_v2c_get_of_sysuptime() -> None:
    from pyasn1.codec.ber import decoder
    from pysnmp.proto import api

    msg, _rest = decoder.decode(
        A.get_packet("cgcommunity", 77), asn1Spec=api.PROTOCOL_MODULES[api.SNMP_VERSION_2C].Message()
    )
    p = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    assert str(p.apiMessage.get_community(msg)) == "cgcommunity"
    pdu = p.apiMessage.get_pdu(msg)
    assert int(p.apiPDU.get_request_id(pdu)) == 77
    assert [tuple(o) for o, _v in p.apiPDU.get_varbinds(pdu)] == [(1, 3, 6, 1, 2, 1, 1, 3, 0)]


def test_snmp_inventory_names_secrets_never_holds_them() -> None:
    import labctl

    doc = {
        "plugin": "camguard.network.mac_table",
        "switches": [
            {"name": "sw1", "host": "10.66.255.3", "port": 22, "platform": "linux_bridge", "backend": "linux"},
            {"name": "ios", "host": "127.0.0.1", "port": 2201, "platform": "cisco_ios", "backend": "netmiko"},
        ],
    }
    v2 = labctl.snmp_inventory(doc, {"sw1": ("10.66.255.3", 161), "ios": ("127.0.0.1", 16101)}, "2c")
    assert [(s["backend"], s["snmp"]["port"], s["platform"]) for s in v2["switches"]] == [
        ("snmp", 161, "linux_bridge"),
        ("snmp", 16101, "cisco_ios"),
    ]
    assert v2["snmp"]["community_env"] == A.COMMUNITY_ENV
    v3 = labctl.snmp_inventory(doc, {"sw1": ("10.66.255.3", 161)}, "3")
    assert [s["name"] for s in v3["switches"]] == ["sw1"]
    assert {k: v3["snmp"][k] for k in ("version", "user_env", "auth_protocol", "priv_protocol")} == {
        "version": "3",
        "user_env": A.USER_ENV,
        "auth_protocol": "sha256",
        "priv_protocol": "aes",
    }
    assert all(not k.endswith("key") and k != "community" for k in v3["snmp"])
