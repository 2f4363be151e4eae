# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning and guardrails (pure): each guardrail refuses with its reason, moved devices are
released on their old port, and the idempotency twin of every plan is empty."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import pytest

from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    IsolationError,
    Options,
    parse_change_window,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    Plan,
    PortConfig,
    PortTarget,
    build_plan,
    saved_after_apply,
    targets_from_dicts,
)
from ansible_collections.camguard.network.plugins.module_utils._records import (
    Finding,
    MacEntry,
    Neighbor,
    PortInfo,
    Verdict,
    Waiver,
)

CAM = "bc:ad:28:11:22:33"
CAM2 = "e0:50:8b:44:55:66"
PC = "02:00:5e:10:00:01"
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)  # a Wednesday


def ports(**over: PortInfo) -> List[PortInfo]:
    base = {f"swp{i}": PortInfo(f"swp{i}", "access", 10, "", True) for i in range(1, 9)}
    base["swp8"] = PortInfo("swp8", "trunk", None, "uplink", True, trunk_vlans=(10, 20))
    base.update(over)
    return list(base.values())


def macs(*extra: MacEntry) -> List[MacEntry]:
    return [MacEntry(CAM, 10, "swp3", switch="sw1"), MacEntry(PC, 10, "swp1", switch="sw1"), *extra]


def opts(**kw: Any) -> Options:
    base: Dict[str, Any] = {"mode": "vlan", "change_id": "CHG1", "now": NOW, "allowed_peers": ("10.66.10.20/32",)}
    base.update(kw)
    return Options(**base)


def plan(
    targets: Optional[List[PortTarget]] = None,
    port_list: Optional[List[PortInfo]] = None,
    mac_list: Optional[List[MacEntry]] = None,
    neighbors: Optional[List[Neighbor]] = None,
    saved: Optional[Dict[str, Any]] = None,
    acl: Any = (),
    **kw: Any,
) -> Plan:
    return build_plan(
        "sw1",
        port_list if port_list is not None else ports(),
        mac_list if mac_list is not None else macs(),
        neighbors or [],
        acl,
        saved or {},
        targets if targets is not None else [PortTarget(CAM, "swp3", 10, "hikvision")],
        opts(**kw),
    )


def codes(p: Plan) -> List[str]:
    return [r.code for r in p.refusals + p.blocked]


@pytest.mark.parametrize(
    ("mode", "after"),
    [
        ("vlan", PortConfig(999, True, False)),
        ("shutdown", PortConfig(10, False, False)),
        ("acl", PortConfig(10, True, True)),
    ],
)
def test_isolates_edge_port(mode: str, after: PortConfig) -> None:
    p = plan(mode=mode)
    assert not codes(p)
    [c] = p.changes
    assert (c.interface, c.action, c.before, c.after, c.prior) == (
        "swp3",
        "isolate",
        PortConfig(10, True),
        after,
        PortConfig(10, True),
    )
    assert c.macs == (CAM,) and c.vendor_key == "hikvision"
    assert p.acl_define is (mode == "acl")
    assert p.applicable


# ----------------------------------------------------------------- per-port guardrails


def test_refuses_trunk() -> None:
    p = plan(targets=[PortTarget(CAM, "swp8")], mac_list=[MacEntry(CAM, 10, "swp8")])
    assert codes(p) == ["trunk"] and not p.changes
    assert "not an access port" in p.refusals[0].reason


def test_refuses_lag_member_and_lag() -> None:
    pl = ports(swp3=PortInfo("swp3", "access", 10, "", True, lag="bond0"))
    assert codes(plan(port_list=pl)) == ["lag"]
    pl = ports(swp3=PortInfo("swp3", "access", 10, "", True, is_lag=True))
    assert codes(plan(port_list=pl)) == ["lag"]


def test_refuses_network_neighbour_but_not_a_phone() -> None:
    p = plan(neighbors=[Neighbor("swp3", "sw9", "swp1", ("bridge",))])
    assert codes(p) == ["neighbor"] and not p.changes
    p = plan(neighbors=[Neighbor("swp3", "cam", "eth0", ("station",))])
    assert not codes(p) and p.changes


def test_refuses_more_macs_than_allowed() -> None:
    p = plan(mac_list=macs(MacEntry(PC[:-1] + "2", 10, "swp3")))
    assert codes(p) == ["too_many_macs"]
    assert "2 MAC addresses" in p.refusals[0].reason
    assert plan(mac_list=macs(MacEntry(PC[:-1] + "2", 10, "swp3")), max_macs_per_port=2).changes


def test_self_entries_do_not_count_as_macs() -> None:
    assert plan(mac_list=macs(MacEntry("00:11:22:33:44:55", 10, "swp3", kind="self"))).changes


def test_refuses_exception_description() -> None:
    pl = ports(swp3=PortInfo("swp3", "access", 10, "NVR uplink - camguard-exempt", True))
    p = plan(port_list=pl)
    assert codes(p) == ["exception_description"]
    assert plan(port_list=pl, exception_pattern=None).changes


def test_refuses_active_waiver_but_not_an_expired_one() -> None:
    w = {"owner": "sec", "reason": "trial", "ticket": "SEC-1", "expires": "2027-01-01"}
    p = plan(targets=[PortTarget(CAM, "swp3", waiver=w)])
    assert codes(p) == ["waived"] and "2027-01-01" in p.refusals[0].reason
    old = dict(w, expires="2026-11-30")
    assert plan(targets=[PortTarget(CAM, "swp3", waiver=old)]).changes
    assert plan(targets=[PortTarget(CAM, "swp3", waiver=dict(w, expired=True))]).changes


def test_refuses_ambiguous_location_unknown_port_and_unsafe_name() -> None:
    assert codes(plan(targets=[PortTarget(CAM, "swp3", confidence="ambiguous")])) == ["ambiguous_location"]
    assert codes(plan(targets=[PortTarget(CAM, "swp42")], mac_list=[])) == ["unknown_port"]
    assert codes(plan(targets=[PortTarget(CAM, "swp3\ninterface x")])) == ["unsafe_interface"]
    assert codes(plan(targets=[PortTarget(CAM, "swp3\n")])) == ["unsafe_interface"]


def test_status_not_targeted() -> None:
    p = plan(targets=[PortTarget(CAM, "swp3", status="review")])
    assert codes(p) == ["not_targeted"]
    assert plan(targets=[PortTarget(CAM, "swp3", status="review")], statuses=("review",)).changes


def test_vlan_mode_needs_a_known_access_vlan() -> None:
    pl = ports(swp3=PortInfo("swp3", "access", None, "", True))
    assert codes(plan(port_list=pl)) == ["unknown_vlan"]
    assert plan(port_list=pl, mode="shutdown").changes


# ----------------------------------------------------------------- switch-wide guardrails


def many() -> List[PortTarget]:
    return [PortTarget(f"bc:ad:28:00:00:0{i}", f"swp{i}") for i in range(1, 7)]


def test_refuses_more_ports_than_allowed_as_a_whole() -> None:
    p = plan(targets=many(), mac_list=[], max_ports=5)
    assert [r.code for r in p.blocked] == ["max_ports"] and not p.applicable
    assert len(p.changes) == 6  # shown, never applied
    assert plan(targets=many(), mac_list=[], max_ports=6).applicable


def test_change_id_required_outside_check_mode_only() -> None:
    p = plan(change_id=None)
    assert [r.code for r in p.blocked] == ["change_id"]
    p = plan(change_id=None, check_mode=True)
    assert not p.blocked and any("change_id" in n for n in p.notes)


def test_change_window() -> None:
    closed = parse_change_window("Sat,Sun 01:00-05:00 UTC")
    p = plan(change_window=closed)
    assert [r.code for r in p.blocked] == ["change_window"]
    assert not plan(change_window=closed, check_mode=True).blocked
    assert plan(change_window=parse_change_window("Mon-Fri 09:00-17:00")).applicable


def test_nothing_to_change_is_not_blocked() -> None:
    saved = {"ports": {"swp3": {"prior": PortConfig(10, True).to_dict(), "mode": "vlan", "macs": [CAM]}}}
    pl = ports(swp3=PortInfo("swp3", "access", 999, "", True))
    p = plan(port_list=pl, saved=saved, change_id=None, change_window=parse_change_window("Sat 01:00-02:00"))
    assert not p.changes and not p.blocked and p.unchanged == ["swp3"]


def test_invalid_exception_pattern_is_refused() -> None:
    with pytest.raises(IsolationError, match="exception_pattern"):
        plan(exception_pattern="(")


# ----------------------------------------------------------------- findings input


def test_targets_from_finding_dicts() -> None:
    v = Verdict(CAM, "named", "hikvision", "Hikvision", waiver=Waiver("o", "r", "T-1", "2030-01-01"))
    f = Finding(mac=CAM, switch="sw1", interface="swp3", vlan=10, verdict=v, location_confidence="edge")
    [t] = targets_from_dicts([f.to_dict()])
    assert (t.mac, t.interface, t.vlan, t.vendor_key, t.status, t.confidence) == (
        CAM,
        "swp3",
        10,
        "hikvision",
        "named",
        "edge",
    )
    assert t.waiver and t.waiver["expires"] == "2030-01-01"
    [t] = targets_from_dicts([{"mac": "BCAD.2811.2233", "interface": "swp3", "vendor_key": "hikvision"}])
    assert t.mac == CAM
    with pytest.raises(IsolationError, match=r"ports\[0\]\.mac"):
        targets_from_dicts([{"mac": "zz", "interface": "swp3"}])
    with pytest.raises(IsolationError, match=r"ports\[1\]\.interface"):
        targets_from_dicts([{"mac": CAM, "interface": "swp3"}, {"mac": CAM}])


# ----------------------------------------------------------------- moved devices, release, idempotency


def apply_to(port_list: List[PortInfo], p: Plan) -> List[PortInfo]:
    by = {x.name: x for x in port_list}
    for c in p.changes:
        by[c.interface] = dataclasses.replace(by[c.interface], access_vlan=c.after.access_vlan, enabled=c.after.enabled)
    return list(by.values())


def acl_after(p: Plan) -> tuple:
    return p.acl_ports_after


@pytest.mark.parametrize("mode", ["vlan", "acl", "shutdown"])
def test_idempotency_twin_and_release_restores_exactly(mode: str) -> None:
    pl = ports(swp5=PortInfo("swp5", "access", 20, "", True))
    mac_list = macs(MacEntry(CAM2, 20, "swp5"))
    targets = [PortTarget(CAM, "swp3", vendor_key="hikvision"), PortTarget(CAM2, "swp5", vendor_key="dahua")]
    p1 = plan(targets=targets, port_list=pl, mac_list=mac_list, mode=mode)
    assert [c.interface for c in p1.changes] == ["swp3", "swp5"]
    saved = saved_after_apply({}, p1, NOW)
    pl2 = apply_to(pl, p1)
    p2 = plan(targets=targets, port_list=pl2, mac_list=mac_list, mode=mode, saved=saved, acl=acl_after(p1))
    assert not p2.has_changes and sorted(p2.unchanged) == ["swp3", "swp5"]
    rel = plan(
        targets=[], port_list=pl2, mac_list=mac_list, mode=mode, saved=saved, acl=acl_after(p1), state="released"
    )
    assert [(c.interface, c.after) for c in rel.changes] == [
        ("swp3", PortConfig(10, True)),
        ("swp5", PortConfig(20, True)),
    ]
    assert rel.acl_ports_after == ()
    saved2 = saved_after_apply(saved, rel, NOW)
    assert saved2["ports"] == {} and saved2["acl_peers"] == []
    pl3 = apply_to(pl2, rel)
    assert {x.name: (x.access_vlan, x.enabled) for x in pl3} == {x.name: (x.access_vlan, x.enabled) for x in pl}
    rel2 = plan(targets=[], port_list=pl3, saved=saved2, state="released")
    assert not rel2.has_changes


def test_mode_change_goes_from_the_original_prior_state() -> None:
    p1 = plan(mode="vlan")
    saved = saved_after_apply({}, p1, NOW)
    p2 = plan(port_list=apply_to(ports(), p1), saved=saved, mode="acl")
    [c] = p2.changes
    assert (
        c.before == PortConfig(999, True) and c.after == PortConfig(10, True, True) and c.prior == PortConfig(10, True)
    )


def test_moved_device_isolated_on_new_port_and_old_port_released() -> None:
    p1 = plan(mode="shutdown")
    saved = saved_after_apply({}, p1, NOW)
    pl = apply_to(ports(), p1)  # swp3 down
    moved = [MacEntry(CAM, 10, "swp6"), MacEntry(PC, 10, "swp1")]
    # the inventory still says swp3 (stale) - the live table says swp6
    p2 = plan(port_list=pl, mac_list=moved, saved=saved, mode="shutdown")
    got = {(c.interface, c.action) for c in p2.changes}
    assert got == {("swp6", "isolate"), ("swp3", "release")}
    rel = next(c for c in p2.changes if c.action == "release")
    assert rel.after == PortConfig(10, True) and "moved" in rel.reason
    assert any("moved from swp3 to swp6" in n for n in p2.notes)


def test_saved_port_kept_while_device_not_seen_elsewhere() -> None:
    p1 = plan(mode="shutdown")
    saved = saved_after_apply({}, p1, NOW)
    pl = apply_to(ports(), p1)
    # camera unplugged (port down, not learned anywhere): keep it isolated
    p2 = plan(targets=[], port_list=pl, mac_list=[MacEntry(PC, 10, "swp1")], saved=saved, mode="shutdown")
    assert not p2.changes
    # seen on another switch: release
    p3 = plan(targets=[], port_list=pl, mac_list=[], saved=saved, mode="shutdown", seen_elsewhere=(CAM,))
    assert [(c.interface, c.action) for c in p3.changes] == [("swp3", "release")]


def test_device_seen_only_on_uplink_is_refused() -> None:
    p = plan(mac_list=[MacEntry(CAM, 10, "swp8")])
    assert codes(p) == ["moved_off_edge"]


def test_hostile_description_is_planned_but_never_part_of_the_plan_output() -> None:
    evil = "cam\ninterface swp9\n shutdown\n{{ 7*7 }}; reload"
    pl = ports(swp3=PortInfo("swp3", "access", 10, evil, True))
    p = plan(port_list=pl)
    assert [c.interface for c in p.changes] == ["swp3"]
    assert "reload" not in repr(p.to_dict())


def test_release_of_unknown_port_is_refused() -> None:
    p = plan(targets=[], state="released", release_interfaces=("swp4",))
    assert codes(p) == ["not_isolated"]


def test_acl_redefined_when_peers_change() -> None:
    p1 = plan(mode="acl")
    saved = saved_after_apply({}, p1, NOW)
    assert saved["acl_peers"] == ["10.66.10.20/32"]
    p2 = plan(saved=saved, mode="acl", acl={"swp3"})
    assert not p2.has_changes
    p3 = plan(saved=saved, mode="acl", acl={"swp3"}, allowed_peers=("10.66.10.21/32",))
    assert p3.acl_define and not p3.changes and p3.has_changes
    p4 = plan(saved=saved, mode="vlan", acl={"swp3"}, targets=[])
    assert not p4.acl_define


def test_plan_digest_is_stable_and_sensitive() -> None:
    assert plan().digest() == plan().digest()
    assert plan().digest() != plan(mode="shutdown").digest()


def test_recorder_neighbour_is_not_an_uplink() -> None:
    from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import _uplink_reason
    from ansible_collections.camguard.network.plugins.module_utils._records import Neighbor, PortInfo

    port = PortInfo("swp2", mode="access", access_vlan=10)
    nvr = Neighbor("swp2", "DS-7608NI-K2-8P", "eth0", ("bridge",))
    switch = Neighbor("swp2", "access-07", "Gi1/0/1", ("bridge",))
    assert _uplink_reason(port, {"swp2": [nvr]}) is None
    reason = _uplink_reason(port, {"swp2": [switch]})
    assert reason is not None and reason[0] == "neighbor"
