# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record serialisation: the spelled-out ``to_dict`` forms match the dataclass fields, the
``from_dict`` readers give them back and name the key path of what they refuse, and
``Waiver.active_on`` is the rule of waiver expiry."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any, Dict

import pytest

from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    Finding,
    RecordError,
    Verdict,
    Waiver,
)

WAIVER = Waiver(owner="sec", reason="lab", ticket="CHG1", expires="2099-01-01", mac="bc:ad:28:00:00:01", expired=True)


@pytest.mark.parametrize(
    "verdict",
    [
        Verdict(mac="00:50:56:00:00:09", status="unknown"),
        Verdict(
            mac="bc:ad:28:00:00:01",
            status="named",
            vendor_key="hikvision",
            vendor_name="Hikvision",
            basis=("us_ndaa_fy2019_s889", "uk_cabinet_office_2022"),
            matched_prefix="bc:ad:28",
            prefix_bits=24,
            source="policy",
            registry_org="Hangzhou Hikvision Digital Technology Co.,Ltd.",
            waiver=WAIVER,
            default_action="report",
        ),
    ],
)
def test_verdict_to_dict_is_every_field_plus_restricted(verdict: Verdict) -> None:
    expected = dataclasses.asdict(verdict)
    expected["basis"] = list(verdict.basis)
    expected["restricted"] = verdict.restricted
    d = verdict.to_dict()
    assert d == expected
    assert list(d) == list(expected)  # same key order as before (reports and hostvars keep their order)
    assert d["basis"].__class__ is list


# --------------------------------------------------------------------------- waiver expiry: the one rule


@pytest.mark.parametrize(
    ("expires", "flag", "day", "active"),
    [
        ("2026-11-30", False, date(2026, 11, 29), True),
        ("2026-11-30", False, date(2026, 11, 30), True),  # the expiry date is inclusive
        ("2026-11-30", False, date(2026, 12, 1), False),
        ("2026-11-30T23:59:59Z", False, date(2026, 11, 30), True),  # a date with a time counts by its date
        ("2026-11-30T00:00:00", False, date(2026, 12, 1), False),
        ("", False, date(2999, 1, 1), True),  # no date never expires
        ("next spring", False, date(2026, 11, 30), False),  # an unreadable date protects nothing
        ("2026-13-01", False, date(2026, 11, 30), False),
        ("2099-01-01", True, date(2026, 11, 30), False),  # flagged expired by the classifier: never protects
        ("", True, date(2026, 11, 30), False),
    ],
)
def test_waiver_active_on(expires: str, flag: bool, day: date, active: bool) -> None:
    w = Waiver(owner="o", reason="r", ticket="T-1", expires=expires, expired=flag)
    assert w.active_on(day) is active


# --------------------------------------------------------------------------- readers


def _finding(**changes: Any) -> Finding:
    verdict = Verdict(
        mac="bc:ad:28:00:00:01",
        status="named",
        vendor_key="hikvision",
        vendor_name="Hikvision",
        basis=("us_ndaa_fy2019_s889",),
        matched_prefix="bc:ad:28",
        prefix_bits=24,
        source="policy",
        registry_org="Hangzhou Hikvision Digital Technology Co.,Ltd.",
        waiver=WAIVER,
        default_action="report",
    )
    fields: Dict[str, Any] = dict(
        mac="bc:ad:28:00:00:01",
        switch="sw-01",
        interface="GigabitEthernet1/0/3",
        vlan=10,
        verdict=verdict,
        ip="10.0.0.7",
        location_confidence="edge",
        evidence=["GigabitEthernet1/0/3: access, 1 MAC, no LLDP neighbour"],
        seen_on=[("sw-01", "GigabitEthernet1/0/3"), ("core", "Port-channel1")],
        first_seen="2026-11-30T10:00:00+00:00",
        last_seen="2026-11-30T11:00:00+00:00",
    )
    fields.update(changes)
    return Finding(**fields)


@pytest.mark.parametrize(
    "finding",
    [
        _finding(),
        _finding(verdict=Verdict(mac="bc:ad:28:00:00:01", status="review"), ip=None, vlan=None, seen_on=[]),
        _finding(location_confidence="uplink-only", interface="", evidence=[], first_seen=None, last_seen=None),
    ],
    ids=["every-field", "bare-verdict", "uplink-only"],
)
def test_finding_round_trips_through_to_dict_and_from_dict(finding: Finding) -> None:
    d = finding.to_dict()
    back = Finding.from_dict(d)
    assert back == finding
    assert back.to_dict() == d
    assert Finding.from_dict(json.loads(json.dumps(d))) == finding  # what hostvars and module args carry


def test_verdict_and_waiver_round_trip() -> None:
    v = _finding().verdict
    assert Verdict.from_dict(v.to_dict()) == v
    assert Waiver.from_dict(WAIVER.to_dict()) == WAIVER
    assert Waiver.from_dict({}) == Waiver(owner="", reason="", ticket="", expires="")


def test_readers_accept_switch_spellings_and_numbers_as_text() -> None:
    d = _finding().to_dict()
    d.update(mac="BCAD.2800.0001", vlan="10", interface="  GigabitEthernet1/0/3 ")
    d["verdict"].update(mac="ignored inside a finding", basis="us_ndaa_fy2019_s889", prefix_bits="24")
    f = Finding.from_dict(d)
    assert (f.mac, f.vlan, f.interface) == ("bc:ad:28:00:00:01", 10, "GigabitEthernet1/0/3")
    assert f.verdict.mac == f.mac  # a finding's verdict is its MAC's verdict
    assert (f.verdict.basis, f.verdict.prefix_bits) == (("us_ndaa_fy2019_s889",), 24)
    assert Verdict.from_dict({"mac": "bc-ad-28-00-00-02", "status": "local"}).mac == "bc:ad:28:00:00:02"
    assert Finding.from_dict({"mac": "bc:ad:28:00:00:01", "switch": "s", "verdict": {"status": "named"}}) == Finding(
        mac="bc:ad:28:00:00:01",
        switch="s",
        interface="",
        vlan=None,
        verdict=Verdict(mac="bc:ad:28:00:00:01", status="named"),
    )


def _spoil(path: str, value: Any) -> Dict[str, Any]:
    d = _finding().to_dict()
    *parents, key = path.split(".")
    target = d
    for p in parents:
        target = target[p]
    target[key] = value
    return d


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("mac", "bc:ad:28:zz:00:01", "findings[3].mac: invalid MAC address 'bc:ad:28:zz:00:01'"),
        ("switch", " ", "findings[3].switch: expected a non-empty string, got ' '"),
        ("verdict", ["named"], "findings[3].verdict: expected a dict, got list"),
        ("verdict.status", "evil", "findings[3].verdict.status: 'evil' is not one of named, affiliate"),
        ("verdict.status", None, "findings[3].verdict.status: expected a non-empty string, got None"),
        ("verdict.vendor_key", {"k": 1}, "findings[3].verdict.vendor_key: expected a string, got dict"),
        ("verdict.prefix_bits", "24 bits", "findings[3].verdict.prefix_bits: expected a number of bits"),
        ("verdict.waiver", "CHG1", "findings[3].verdict.waiver: expected a dict, got str"),
        ("verdict.waiver.expired", "no", "findings[3].verdict.waiver.expired: expected true or false, got 'no'"),
        ("verdict.waiver.owner", ["a"], "findings[3].verdict.waiver.owner: expected a string, got list"),
        ("vlan", 4095, "findings[3].vlan: VLAN 4095 is outside 1..4094"),
        ("vlan", True, "findings[3].vlan: expected a VLAN number, got True"),
        ("location_confidence", "maybe", "findings[3].location_confidence: 'maybe' is not one of edge"),
        ("evidence", {"a": 1}, "findings[3].evidence: expected a list of strings, got dict"),
        ("seen_on", [["sw-01"]], "findings[3].seen_on[0]: expected a [switch, interface] pair, got ['sw-01']"),
        ("ip", [1], "findings[3].ip: expected a string, got list [1]"),
    ],
)
def test_finding_reader_names_the_key_path(path: str, value: Any, message: str) -> None:
    with pytest.raises(RecordError) as e:
        Finding.from_dict(_spoil(path, value), "findings[3]")
    assert str(e.value).startswith(message), str(e.value)


def test_readers_refuse_what_is_not_a_mapping() -> None:
    with pytest.raises(RecordError, match=r"^finding: expected a dict, got str$"):
        Finding.from_dict("bc:ad:28:00:00:01")
    with pytest.raises(RecordError, match=r"^verdict\.mac: invalid MAC address None"):
        Verdict.from_dict({"status": "named"})
    with pytest.raises(RecordError, match=r"^waiver: expected a dict, got NoneType$"):
        Waiver.from_dict(None)
    assert issubclass(RecordError, CamguardError) and issubclass(RecordError, ValueError)
