# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report model: join, outcomes, summary, input validation and legal bases."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Dict, List, Optional

import pytest
from _report_builders import DAHUA, HIK, TS, WAIVER, finding, result

from ansible_collections.camguard.network.plugins.module_utils._records import Waiver
from ansible_collections.camguard.network.plugins.module_utils._report import formats as F
from ansible_collections.camguard.network.plugins.module_utils._report import model as R

# --------------------------------------------------------------------------- join, outcome, summary


def test_summary_counts(mixed: R.Report) -> None:
    s = mixed.summary
    assert (s["findings"], s["restricted"]) == (7, 6)
    assert (s["isolated"], s["waived"], s["open"]) == (2, 1, 3)
    assert s["expired_waivers"] == 1
    assert s["unreachable_switches"] == 1  # the same switch given twice is one switch
    assert s["unmatched_results"] == 1  # lab-sw9 swp1 has no finding
    assert s["by_vendor"] == {DAHUA: 2, HIK: 3, "HUAWEI": 1}
    assert s["by_status"] == {"affiliate": 1, "named": 4, "review": 1}
    assert s["by_switch"] == {"lab-sw1": 2, "lab-sw10": 1, "lab-sw2": 3}
    assert s["by_confidence"] == {"ambiguous": 1, "edge": 4, "uplink-only": 1}
    assert s["by_action"] == {"failed": 1, "isolated": 2, "none": 2, "refused": 1}
    assert s["by_outcome"] == {"isolated": 2, "waived": 1, "open": 3}
    assert s["compliant"] is False
    assert s["noncompliance"] == [
        "3 restricted device(s) neither isolated nor waived",
        "1 restricted device(s) with an expired waiver",
        "1 switch(es) could not be polled",
    ]


def test_rows_are_sorted_naturally_and_carry_the_outcome(mixed: R.Report) -> None:
    rows = [(d.switch, d.interface, d.outcome) for d in mixed.devices]
    assert rows == [
        ("lab-sw1", "swp3", "isolated"),
        ("lab-sw1", "swp10", "open"),
        ("lab-sw2", "swp4", "open"),
        ("lab-sw2", "swp5", "waived"),
        ("lab-sw2", "swp6", "isolated"),
        ("lab-sw10", "swp2", "open"),
    ]
    reasons = {d.interface: d.outcome_reason for d in mixed.devices}
    assert reasons["swp3"] == "isolated (vlan) under change CHG001"
    assert reasons["swp10"] == "not isolated and not waived: isolation refused: trunk port"
    assert reasons["swp4"] == "not isolated and not waived: isolation failed: commit timed out"
    assert reasons["swp5"] == "waived by facilities until 2027-03-31 (ticket RISK-17)"
    assert reasons["swp2"] == "not isolated and not waived: no isolation result for this port"


def test_compliant_when_every_device_is_isolated_or_waived() -> None:
    rep = R.build_report(
        [finding("44:19:b6:00:00:01"), finding("44:19:b6:00:00:02", interface="swp4", waiver=WAIVER)],
        [result("lab-sw1", "swp3", "isolated")],
    )
    assert rep.summary["compliant"] is True
    assert rep.summary["noncompliance"] == []


def test_no_findings_is_compliant_and_renders() -> None:
    rep = R.build_report([], [], [])
    assert rep.summary["restricted"] == 0 and rep.summary["compliant"] is True
    for fmt in F.FORMATS:
        assert F.render(fmt, rep, TS)
    assert "No restricted device was found." in F.render("html", rep, TS)


@pytest.mark.parametrize(
    ("results", "outcome", "why"),
    [
        ([result("sw", "p1", "planned")], "open", "isolation planned (check mode) but not applied"),
        ([result("sw", "p1", "released")], "open", "port was released from isolation"),
        ([result("sw", "p1", "unchanged")], "isolated", None),
        (
            [result("sw", "p1", "unchanged", state="released")],
            "open",
            "port is not isolated (action unchanged, state released)",
        ),
        ([result("sw", "p1", "isolated", isolated=False)], "open", "port is not isolated (action isolated)"),
        ([result("sw", "p1", "planned", isolated=True)], "isolated", None),
        # a result for another MAC on the same port is not this device's result
        ([result("sw", "p1", "isolated", mac="00:00:5e:00:53:99")], "open", "no isolation result for this port"),
        # the result naming the MAC wins over a later one without MAC
        ([result("sw", "p1", "isolated", mac="44:19:b6:00:00:01"), result("sw", "p1", "failed")], "isolated", None),
        # among equals the last one wins; MAC spelling does not matter
        (
            [
                result("sw", "p1", "isolated", mac="4419.b600.0001"),
                result("sw", "p1", "released", mac="44-19-B6-00-00-01"),
            ],
            "open",
            "port was released from isolation",
        ),
        ([result("sw", "P1", "isolated")], "open", "no isolation result for this port"),
    ],
)
def test_join_and_outcome(results: List[Dict[str, Any]], outcome: str, why: Optional[str]) -> None:
    rep = R.build_report([finding("44:19:b6:00:00:01", "sw", "p1")], results)
    (d,) = rep.devices
    assert d.outcome == outcome
    if why:
        assert d.outcome_reason == "not isolated and not waived: " + why


@pytest.mark.parametrize(
    ("expires", "flag", "today", "expired"),
    [
        ("2026-11-30", False, date(2026, 11, 30), False),  # the expiry day still protects
        ("2026-11-29", False, date(2026, 11, 30), True),
        ("2026-11-29", False, None, False),  # without today only the classifier's flag counts
        ("2027-01-01", True, date(2026, 11, 30), True),
        ("next spring", False, date(2026, 11, 30), True),  # unreadable protects nothing
        ("", False, date(2026, 11, 30), False),
    ],
)
def test_waiver_expiry(expires: str, flag: bool, today: Optional[date], expired: bool) -> None:
    w = Waiver(owner="o", reason="r", ticket="T-1", expires=expires, expired=flag)
    rep = R.build_report([finding("44:19:b6:00:00:01", waiver=w)], [], today=today)
    (d,) = rep.devices
    assert d.waiver_expired is expired
    assert d.outcome == ("open" if expired else "waived")
    assert rep.summary["compliant"] is not expired
    if expired:
        assert d.outcome_reason.startswith(f"not isolated and not waived: waiver T-1 of o expired on {expires or '?'}")


def test_isolated_device_with_expired_waiver_passes_but_is_not_compliant() -> None:
    w = Waiver(owner="o", reason="r", ticket="T-1", expires="2020-01-01", expired=True)
    rep = R.build_report([finding("44:19:b6:00:00:01", waiver=w)], [result("lab-sw1", "swp3", "isolated")])
    assert rep.devices[0].outcome == "isolated"
    assert rep.summary["compliant"] is False
    assert rep.summary["noncompliance"] == ["1 restricted device(s) with an expired waiver"]


def test_duplicate_findings_count_once_but_other_ports_count() -> None:
    f = finding("44:19:b6:00:00:01")
    rep = R.build_report([f, dict(f), finding("44:19:b6:00:00:01", "lab-sw2", "swp1", confidence="uplink-only")])
    assert rep.summary["findings"] == 3
    assert [(d.switch, d.interface) for d in rep.devices] == [("lab-sw1", "swp3"), ("lab-sw2", "swp1")]


def test_unreachable_only_makes_report_noncompliant() -> None:
    rep = R.build_report([], [], ["core-1"])
    assert rep.summary["compliant"] is False
    assert [u.to_dict() for u in rep.unreachable] == [{"switch": "core-1", "error": ""}]


def test_vendor_falls_back_to_key_then_registry_org() -> None:
    f1 = finding("44:19:b6:00:00:01", vendor_name=None)
    f2 = finding("44:19:b6:00:00:02", interface="swp4", vendor_name=None, vendor_key=None)
    f2["verdict"]["registry_org"] = "Some Org"
    f3 = finding("44:19:b6:00:00:03", interface="swp5", vendor_name=None, vendor_key=None)
    rep = R.build_report([f1, f2, f3])
    assert [d.vendor for d in rep.devices] == ["hikvision", "Some Org", "unknown"]


def test_set_stats_data(mixed: R.Report) -> None:
    stats = R.set_stats_data(mixed, ["/r/camguard-report.html"])
    assert stats == {
        "camguard_compliant": False,
        "camguard_restricted": 6,
        "camguard_isolated": 2,
        "camguard_waived": 1,
        "camguard_open": 3,
        "camguard_expired_waivers": 1,
        "camguard_unreachable_switches": 1,
        "camguard_by_vendor": {DAHUA: 2, HIK: 3, "HUAWEI": 1},
        "camguard_by_switch": {"lab-sw1": 2, "lab-sw10": 1, "lab-sw2": 3},
        "camguard_report_files": ["/r/camguard-report.html"],
    }
    json.dumps(stats)


# --------------------------------------------------------------------------- input validation


def _bad(**changes: Any) -> Dict[str, Any]:
    f = finding("44:19:b6:00:00:01")
    for key, value in changes.items():
        if key.startswith("verdict_"):
            f["verdict"][key[len("verdict_") :]] = value
        else:
            f[key] = value
    return f


@pytest.mark.parametrize(
    ("findings", "results", "unreachable", "message"),
    [
        ("not a list", [], [], "findings: expected a list, got str"),
        ([_bad(), "x"], [], [], "findings[1]: expected a dict, got str"),
        ([_bad(mac="44:19:b6:zz:00:01")], [], [], "findings[0].mac: invalid MAC address '44:19:b6:zz:00:01'"),
        ([_bad(switch="")], [], [], "findings[0].switch: expected a non-empty string, got ''"),
        ([_bad(verdict=None)], [], [], "findings[0].verdict: expected a dict, got NoneType"),
        ([_bad(verdict_status="evil")], [], [], "findings[0].verdict.status: 'evil' is not one of named, affiliate"),
        ([_bad(location_confidence="maybe")], [], [], "findings[0].location_confidence: 'maybe' is not one of edge"),
        ([_bad(vlan=5000)], [], [], "findings[0].vlan: VLAN 5000 is outside 1..4094"),
        ([_bad(vlan="ten")], [], [], "findings[0].vlan: expected a VLAN number, got 'ten'"),
        ([_bad(evidence={"a": 1})], [], [], "findings[0].evidence: expected a list of strings, got dict"),
        (
            [_bad(verdict_waiver={"owner": "x", "expired": "no"})],
            [],
            [],
            "findings[0].verdict.waiver.expired: expected true or false",
        ),
        ([], [{"switch": "s", "interface": "p"}], [], "results[0].action: expected a non-empty string, got None"),
        ([], [result("s", "p", "nuked")], [], "results[0].action: 'nuked' is not one of isolated, released"),
        (
            [],
            [result("s", "p", "isolated", mode="vxlan")],
            [],
            "results[0].mode: 'vxlan' is not one of vlan, acl, shutdown",
        ),
        ([], [result("s", "p", "isolated", mac="nope")], [], "results[0].mac: invalid MAC address 'nope'"),
        ([], [result("s", "p", "isolated", isolated="yes")], [], "results[0].isolated: expected true or false"),
        ([], [], [{"error": "x"}], "unreachable[0].switch: expected a non-empty string, got None"),
    ],
)
def test_bad_input_names_the_key(findings: Any, results: Any, unreachable: Any, message: str) -> None:
    with pytest.raises(R.ReportError) as e:
        R.build_report(findings, results, unreachable)
    assert str(e.value).startswith(message), str(e.value)


def test_bad_legal_bases_and_timestamp() -> None:
    with pytest.raises(R.ReportError, match=r"legal_bases\.k: expected a dict, got int"):
        R.build_report([], legal_bases={"k": 3})
    rep = R.build_report([])
    with pytest.raises(R.ReportError, match="generated_at: '<b>' is not a timestamp"):
        F.render("html", rep, "<b>")
    with pytest.raises(R.ReportError, match="formats: 'pdf' is not one of json, csv, html, junit"):
        F.render("pdf", rep, TS)


def test_legal_bases_default_from_shipped_policy_and_user_override() -> None:
    shipped = R.shipped_legal_bases()
    assert shipped["uk_wms_2022_11_24"]["title"].startswith("UK Written Ministerial Statement")
    assert shipped["us_fcc_covered_list"]["url"].startswith("https://")
    f = finding("44:19:b6:00:00:01", basis=["uk_wms_2022_11_24", "us_fcc_covered_list", "local_rule"])
    rep = R.build_report(
        [f],
        legal_bases={"local_rule": "Site security standard 4.2", "us_fcc_covered_list": {"title": "Covered"}},
        default_legal_bases=shipped,
    )
    assert rep.legal_bases["local_rule"]["title"] == "Site security standard 4.2"
    assert rep.legal_bases["us_fcc_covered_list"] == {"title": "Covered", "citation": "", "url": ""}
    doc = json.loads(F.render("json", rep, TS))
    assert sorted(doc["legal_bases"]) == ["local_rule", "uk_wms_2022_11_24", "us_fcc_covered_list"]
    page = F.render("html", rep, TS)
    assert 'id="basis-uk_wms_2022_11_24"' in page and "Site security standard 4.2" in page
