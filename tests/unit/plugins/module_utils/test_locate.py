"""Edge-port attribution across switches (pure)."""

from __future__ import annotations

import pytest
from builders import classifier, waiver

from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, edge_ports, locate
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ConfigError,
    MacEntry,
    Neighbor,
    PortInfo,
    SwitchData,
)

HIK = "bc:ad:28:"  # Hikvision MA-L
CAM1 = "bc:ad:28:00:00:01"
CAM2 = "bc:ad:28:00:00:02"
CAM3 = "bc:ad:28:00:00:03"
PC = "00:50:56:00:00:09"
SW1_MAC = "00:1e:bd:00:00:01"
SW2_MAC = "00:1e:bd:00:00:02"


verdict_for = classifier(
    {HIK: "hikvision"},
    basis=("us_ndaa",),
    waivers={("sw2", "Gi1/0/7"): waiver()},
)


def two_switches() -> list:
    """sw1 (core) -- Gi1/0/48 trunk -- sw2 (access). Camera on sw2 Gi1/0/3, PC on sw1 Gi1/0/1."""
    sw1 = SwitchData(
        switch="sw1",
        platform="cisco_ios",
        macs=[
            MacEntry(PC, 10, "GigabitEthernet1/0/1", switch="sw1"),
            MacEntry(CAM1, 10, "GigabitEthernet1/0/48", switch="sw1"),
            MacEntry(SW2_MAC, 10, "GigabitEthernet1/0/48", switch="sw1"),
            MacEntry(SW1_MAC, 10, "", switch="sw1", kind="self"),
        ],
        ports=[
            PortInfo("GigabitEthernet1/0/1", mode="access", access_vlan=10),
            PortInfo("GigabitEthernet1/0/48", mode="trunk"),
        ],
        neighbors=[Neighbor("GigabitEthernet1/0/48", "sw2.example.net", "Gi1/0/48", ("bridge",))],
        own_macs=[SW1_MAC],
    )
    sw2 = SwitchData(
        switch="sw2",
        platform="cisco_ios",
        macs=[
            MacEntry(CAM1, 10, "GigabitEthernet1/0/3", switch="sw2"),
            MacEntry(PC, 10, "GigabitEthernet1/0/48", switch="sw2"),
            MacEntry(SW2_MAC, 10, "", switch="sw2", kind="self"),
        ],
        ports=[
            PortInfo("GigabitEthernet1/0/3", mode="access", access_vlan=10),
            PortInfo("GigabitEthernet1/0/48", mode="access", access_vlan=10),  # misconfigured: looks like access
        ],
        own_macs=[SW2_MAC],
    )
    return [sw1, sw2]


def test_camera_located_on_edge_not_uplink() -> None:
    findings = locate(two_switches(), verdict_for)
    assert len(findings) == 1
    f = findings[0]
    assert (f.switch, f.interface, f.vlan, f.location_confidence) == ("sw2", "GigabitEthernet1/0/3", 10, "edge")
    assert f.evidence[0] == "sw2 Gi1/0/3: access, 1 MAC, no LLDP/CDP neighbour"
    assert any("Gi1/0/48 is a trunk" in e for e in f.evidence)
    assert sorted(f.seen_on) == [("sw1", "GigabitEthernet1/0/48"), ("sw2", "GigabitEthernet1/0/3")]


def test_access_port_seeing_other_switch_mac_is_uplink() -> None:
    # sw2's Gi1/0/48 claims to be an access port but learns sw1's own MAC -> uplink
    sws = two_switches()
    sws[1].macs.append(MacEntry(SW1_MAC, 10, "GigabitEthernet1/0/48", switch="sw2"))
    sws[1].macs.append(MacEntry(CAM2, 10, "GigabitEthernet1/0/48", switch="sw2"))
    sws[0].macs.append(MacEntry(CAM2, 10, "GigabitEthernet1/0/2", switch="sw1"))
    sws[0].ports.append(PortInfo("GigabitEthernet1/0/2", mode="access", access_vlan=10))
    f = {x.mac: x for x in locate(sws, verdict_for)}[CAM2]
    assert (f.switch, f.interface, f.location_confidence) == ("sw1", "GigabitEthernet1/0/2", "edge")
    assert any("learns the MAC of polled switch sw1" in e for e in f.evidence)


def test_lag_member_and_aggregate_never_edge() -> None:
    sw = SwitchData(
        switch="sw9",
        platform="arista_eos",
        macs=[MacEntry(CAM1, 10, "Port-Channel1", switch="sw9"), MacEntry(CAM2, 10, "Ethernet2", switch="sw9")],
        ports=[
            PortInfo("Port-Channel1", mode="access", access_vlan=10, is_lag=True),
            PortInfo("Ethernet2", mode="access", access_vlan=10, lag="Port-Channel1"),
        ],
    )
    by_mac = {f.mac: f for f in locate([sw], verdict_for)}
    assert by_mac[CAM1].location_confidence == "uplink-only"
    assert by_mac[CAM2].location_confidence == "uplink-only"
    assert any("member of Po1" in e for e in by_mac[CAM2].evidence)
    reasons = edge_ports([sw])
    assert reasons[("sw9", "Port-Channel1")] == ["Po1 is a link aggregate"]


def test_unmanaged_switch_below_port_is_ambiguous() -> None:
    sw = SwitchData(
        switch="sw3",
        platform="cisco_ios",
        macs=[MacEntry(m, 10, "GigabitEthernet1/0/9", switch="sw3") for m in (CAM1, CAM2, PC)],
        ports=[PortInfo("GigabitEthernet1/0/9", mode="access", access_vlan=10)],
    )
    fs = locate([sw], verdict_for, LocateOptions(max_macs_per_edge_port=2))
    assert {f.mac for f in fs} == {CAM1, CAM2}
    for f in fs:
        assert f.location_confidence == "ambiguous"
        assert f.interface == "GigabitEthernet1/0/9"
        assert any("3 MACs on Gi1/0/9 exceed 2" in e for e in f.evidence)
    # a higher threshold makes the same port an edge port
    assert all(
        f.location_confidence == "edge" for f in locate([sw], verdict_for, LocateOptions(max_macs_per_edge_port=3))
    )


def test_lldp_neighbour_router_port_and_trust_switch() -> None:
    sw = SwitchData(
        switch="sw4",
        platform="cisco_ios",
        macs=[MacEntry(CAM1, 10, "GigabitEthernet1/0/1", switch="sw4")],
        ports=[PortInfo("GigabitEthernet1/0/1", mode="access", access_vlan=10)],
        neighbors=[Neighbor("GigabitEthernet1/0/1", "edge-router", "Gi0/0", ("router",))],
    )
    assert locate([sw], verdict_for)[0].location_confidence == "uplink-only"
    assert locate([sw], verdict_for, LocateOptions(trust_lldp=False))[0].location_confidence == "edge"


def test_uplink_pattern() -> None:
    sw = SwitchData(
        switch="sw5",
        platform="cisco_ios",
        macs=[MacEntry(CAM1, 10, "GigabitEthernet1/1/1", switch="sw5")],
        ports=[PortInfo("GigabitEthernet1/1/1", mode="access", access_vlan=10)],
    )
    f = locate([sw], verdict_for, LocateOptions(uplink_patterns=(r"^GigabitEthernet\d+/1/",)))[0]
    assert f.location_confidence == "uplink-only"
    with pytest.raises(ConfigError, match="uplink_patterns"):
        locate([sw], verdict_for, LocateOptions(uplink_patterns=("(",)))


def test_moved_device_on_two_access_ports_is_ambiguous() -> None:
    sw = SwitchData(
        switch="sw6",
        platform="cisco_ios",
        macs=[
            MacEntry(CAM1, 10, "GigabitEthernet1/0/1", switch="sw6"),
            MacEntry(CAM1, 10, "GigabitEthernet1/0/2", switch="sw6"),
        ],
        ports=[PortInfo("GigabitEthernet1/0/1", mode="access"), PortInfo("GigabitEthernet1/0/2", mode="access")],
    )
    f = locate([sw], verdict_for)[0]
    assert f.location_confidence == "ambiguous"
    assert "learned on 2 access ports" in f.evidence[-1]


def test_nvr_alone_on_port_flagged() -> None:
    sw = SwitchData(
        switch="sw7",
        platform="cisco_ios",
        macs=[MacEntry(CAM3, 10, "GigabitEthernet1/0/4", switch="sw7")],
        ports=[PortInfo("GigabitEthernet1/0/4", mode="access", access_vlan=10)],
        neighbors=[Neighbor("GigabitEthernet1/0/4", "DS-7608NI-K2", "eth0", ("station",), remote_mac=CAM3)],
    )
    f = locate([sw], verdict_for)[0]
    assert f.location_confidence == "edge"
    assert any("hidden from the switch" in e and "DS-7608NI-K2" in e for e in f.evidence)


def test_waiver_evidence_and_recomputed_at_chosen_port() -> None:
    sw = SwitchData(
        switch="sw2",
        platform="cisco_ios",
        macs=[MacEntry(CAM1, 10, "GigabitEthernet1/0/48", switch="sw2"), MacEntry(CAM1, 10, "Gi1/0/7", switch="sw2")],
        ports=[PortInfo("GigabitEthernet1/0/48", mode="trunk"), PortInfo("Gi1/0/7", mode="access")],
    )
    f = locate([sw], verdict_for)[0]
    assert f.interface == "Gi1/0/7"
    assert f.verdict.waiver is not None
    assert any("waiver CHG1 (active" in e for e in f.evidence)


def test_unrestricted_and_multicast_and_self_not_reported() -> None:
    sw = SwitchData(
        switch="sw8",
        platform="cisco_ios",
        macs=[
            MacEntry(PC, 10, "GigabitEthernet1/0/1", switch="sw8"),
            MacEntry("01:00:5e:00:00:01", 10, "GigabitEthernet1/0/1", switch="sw8"),
            MacEntry(CAM1, 10, "", switch="sw8", kind="self"),
        ],
    )
    assert locate([sw], verdict_for) == []
    everything = locate([sw], verdict_for, only_restricted=False)
    assert [f.mac for f in everything] == [PC]


def test_nvr_advertising_bridge_is_still_an_edge_device() -> None:
    sw = SwitchData(
        switch="sw7",
        platform="linux_bridge",
        macs=[MacEntry(CAM3, 10, "swp2", switch="sw7")],
        ports=[PortInfo("swp2", mode="access", access_vlan=10)],
        neighbors=[Neighbor("swp2", "DS-7608NI-K2-8P", "eth0", ("bridge",), remote_mac=CAM3)],
    )
    f = locate([sw], verdict_for)[0]
    assert (f.interface, f.location_confidence) == ("swp2", "edge")
    assert any("cameras on its own PoE ports are hidden" in e for e in f.evidence)
