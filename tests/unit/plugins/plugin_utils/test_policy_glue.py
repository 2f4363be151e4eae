"""The bulk prefilter used before locate agrees exactly with the full classifier; each inventory
build keeps its own policy state."""

from __future__ import annotations

import random

from ansible_collections.camguard.network.plugins.module_utils._classify.policy import shipped_policy
from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, build_port_facts, locate
from ansible_collections.camguard.network.plugins.module_utils._mac import int_to_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    MacEntry,
    Neighbor,
    PortInfo,
    SwitchData,
    Verdict,
)
from ansible_collections.camguard.network.plugins.plugin_utils._policy_glue import PolicyState, build_verdict_fn


def sample_macs(seed: int, n: int) -> list:
    r = random.Random(seed)
    prefixes = list(shipped_policy().prefixes)
    out = []
    for _unused in range(n):
        if r.random() < 0.5:
            p = r.choice(prefixes)
            value = (p.value << (48 - p.bits)) | r.getrandbits(48 - p.bits)
        else:
            value = r.getrandbits(48)
        out.append(int_to_mac(value))
    return out


def test_prefilter_matches_full_verdicts_with_and_without_registry() -> None:
    for use_registry, profiles in ((False, ["default"]), (True, ["default", "prc_cctv"])):
        verdict_for = build_verdict_fn(profiles, None, None, use_registry)
        macs = sample_macs(7, 3000)
        expected = {m for m in macs if verdict_for(m, "sw", "Gi1/0/1").restricted}
        assert verdict_for.prefilter(macs) == expected
        assert expected  # the sample does contain restricted MACs


def random_campus(seed: int) -> list:
    """Access switches behind one distribution switch: restricted and other MACs on edge ports, on
    uplinks, behind small unmanaged switches; multicast, locally administered and unparsable MACs;
    each switch's own MAC as a self entry and seen on its neighbour."""
    r = random.Random(seed)
    macs = sample_macs(seed, 400)
    own = {f"acc{i}": int_to_mac(0x001EBD000000 + i) for i in range(4)}
    own["dist"] = int_to_mac(0x001EBD0000FF)
    switches = []
    dist_macs = [MacEntry(own["dist"], 1, "", static=True, switch="dist", kind="self")]
    for i in range(4):
        name = f"acc{i}"
        entries = [MacEntry(own[name], 1, "", static=True, switch=name, kind="self")]
        entries.append(MacEntry(own["dist"], 10, "Port-channel1", switch=name))
        for p in range(1, 13):
            for _unused in range(r.choice((0, 1, 1, 1, 2, 3))):
                mac = r.choice(macs)
                entries.append(MacEntry(mac, 10, f"GigabitEthernet1/0/{p}", switch=name))
                if r.random() < 0.5:  # learned upstream too
                    dist_macs.append(MacEntry(mac, 10, f"TenGigabitEthernet1/1/{i + 1}", switch="dist"))
        entries.append(MacEntry("01:00:5e:00:00:fb", 10, "GigabitEthernet1/0/2", switch=name))  # multicast
        entries.append(MacEntry("not-a-mac", 10, "GigabitEthernet1/0/2", switch=name))
        ports = [PortInfo(f"GigabitEthernet1/0/{p}", mode="access", access_vlan=10) for p in range(1, 13)]
        ports.append(PortInfo("Port-channel1", mode="trunk", is_lag=True))
        neighbors = [Neighbor("Port-channel1", "dist", "Te1/1/1", ("bridge",))]
        if i == 0:
            neighbors.append(Neighbor("GigabitEthernet1/0/6", "DS-7608NI-K2", "eth0", ("bridge",)))
        switches.append(SwitchData(name, "cisco_ios", entries, [], neighbors, ports, [own[name]]))
        dist_macs.append(MacEntry(own[name], 10, f"TenGigabitEthernet1/1/{i + 1}", switch="dist"))
    dist_ports = [PortInfo(f"TenGigabitEthernet1/1/{i + 1}", mode="trunk") for i in range(4)]
    arp = [ArpEntry(f"10.0.0.{k}", m) for k, m in enumerate(macs[:200])]
    switches.append(SwitchData("dist", "cisco_ios", dist_macs, arp, [], dist_ports, [own["dist"]]))
    return switches


def test_locate_with_the_bulk_prefilter_finds_exactly_what_full_verdicts_find() -> None:
    verdict_for = build_verdict_fn(["default"], None, None, False)

    def plain(mac: str, switch: str, interface: str) -> Verdict:  # no bulk path attached
        return verdict_for(mac, switch, interface)

    for seed in range(5):
        switches = random_campus(seed)
        options = LocateOptions(max_macs_per_edge_port=1)
        full = [f.to_dict() for f in locate(switches, plain, options, seen_at="t")]
        assert full and any(f["location_confidence"] != "edge" for f in full)
        assert [f.to_dict() for f in locate(switches, verdict_for, options, seen_at="t")] == full
        explicit = locate(switches, plain, options, seen_at="t", prefilter=verdict_for.prefilter)
        assert [f.to_dict() for f in explicit] == full


def test_port_facts_for_some_ports_equal_those_of_the_full_build() -> None:
    options = LocateOptions(uplink_patterns=(r"^TenGig",))
    for seed in range(3):
        switches = random_campus(seed)
        every = build_port_facts(switches, options)
        r = random.Random(seed)
        only: dict = {}
        for switch, port in r.sample(sorted(every), 25):
            only.setdefault(switch, set()).add(port)
        some = build_port_facts(switches, options, only=only)
        assert set(some) == {(s, p) for s, ports in only.items() for p in ports}
        for k, pf in some.items():
            assert pf == every[k], k


def test_policy_state_belongs_to_one_build() -> None:
    shipped = shipped_policy()
    before = {"policy_version": shipped.policy_version, "registry_date": shipped.registry_date}
    first, second = PolicyState(), PolicyState()
    assert first.info() == before and first.verdict_fn is None
    verdict_for = first.build(["default", "prc_cctv"], None, None, False)
    assert first.verdict_fn is verdict_for
    assert first.info() == {
        **before,
        "policy_profiles": verdict_for.classifier.summary()["profiles"],
        "drift_prefixes": 0,
        "waivers_loaded": 0,
    }
    assert "prc_cctv" in first.info()["policy_profiles"]
    assert second.info() == before  # another build's classifier is not shared
