# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance report core: join, outcomes, summary, and the four output formats."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._records import Finding, Verdict, Waiver
from ansible_collections.camguard.network.plugins.module_utils._report import model as R
from ansible_collections.camguard.network.plugins.module_utils._report.html import MAX_BARS, bar_chart

TS = "2026-11-30T12:00:00Z"
HIK = "Hangzhou Hikvision Digital Technology Co.,Ltd."
DAHUA = "Zhejiang Dahua Technology Co., Ltd."
HOSTILE = ("<script>alert(1)</script>", "{{ 7*7 }}", '" onmouseover="alert(2)', "</td></tr><tr><td>x", "&amp;")


def finding(
    mac: str,
    switch: str = "lab-sw1",
    interface: str = "swp3",
    vlan: Optional[int] = 10,
    status: str = "named",
    vendor_key: Optional[str] = "hikvision",
    vendor_name: Optional[str] = HIK,
    basis: Sequence[str] = ("us_ndaa_fy2019_s889",),
    ip: Optional[str] = None,
    confidence: str = "edge",
    waiver: Optional[Waiver] = None,
    evidence: Optional[List[str]] = None,
) -> Dict[str, Any]:
    verdict = Verdict(
        mac=mac,
        status=status,
        vendor_key=vendor_key,
        vendor_name=vendor_name,
        basis=tuple(basis),
        matched_prefix=mac[:8],
        prefix_bits=24,
        source="policy",
        waiver=waiver,
        default_action="isolate",
    )
    return Finding(
        mac=mac,
        switch=switch,
        interface=interface,
        vlan=vlan,
        verdict=verdict,
        ip=ip,
        location_confidence=confidence,
        evidence=evidence if evidence is not None else [f"{interface}: access, 1 MAC, no LLDP neighbour"],
        seen_on=[(switch, interface)],
        first_seen="2026-11-30T10:00:00Z",
        last_seen="2026-11-30T11:00:00Z",
    ).to_dict()


def result(switch: str, interface: str, action: str, mac: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    d: Dict[str, Any] = {"switch": switch, "interface": interface, "action": action, "mode": "vlan"}
    d.update(extra)
    if mac:
        d["mac"] = mac
    return d


WAIVER = Waiver(owner="facilities", reason="lift controller", ticket="RISK-17", expires="2027-03-31")


@pytest.fixture
def mixed() -> R.Report:
    """Six restricted devices with every outcome, one unrestricted MAC and one unreachable switch."""
    findings = [
        finding("44:19:b6:00:00:01", "lab-sw1", "swp3", ip="10.10.10.21"),
        finding("e0:50:8b:00:00:02", "lab-sw1", "swp10", vendor_key="dahua", vendor_name=DAHUA),
        finding("e0:50:8b:00:00:03", "lab-sw2", "swp4", vendor_key="dahua", vendor_name=DAHUA, confidence="ambiguous"),
        finding("00:18:82:00:00:04", "lab-sw2", "swp5", vendor_key="huawei", vendor_name="HUAWEI", waiver=WAIVER),
        finding(
            "bc:ad:28:00:00:05",
            "lab-sw2",
            "swp6",
            status="affiliate",
            waiver=Waiver(owner="ops", reason="old", ticket="RISK-1", expires="2025-01-31", expired=True),
        ),
        finding("44:19:b6:00:00:06", "lab-sw10", "swp2", status="review", confidence="uplink-only"),
        finding("00:11:22:33:44:55", "lab-sw1", "swp9", status="unrestricted", vendor_key=None, vendor_name="Acme"),
    ]
    results = [
        result("lab-sw1", "swp3", "isolated", change_id="CHG001", time="2026-11-30T11:05:00Z"),
        result("lab-sw1", "swp10", "refused", reason="trunk port", change_id="CHG001"),
        result("lab-sw2", "swp4", "failed", mac="e0:50:8b:00:00:03", reason="commit timed out"),
        result("lab-sw2", "swp6", "isolated", mode="shutdown"),
        result("lab-sw9", "swp1", "isolated"),
    ]
    unreachable = [{"switch": "lab-sw3", "error": "timeout after 30 s"}, "lab-sw3"]
    return R.build_report(findings, results, unreachable, title="Lab audit", policy_version="2026.11.30")


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
    for fmt in R.FORMATS:
        assert R.render(fmt, rep, TS)
    assert "No restricted device was found." in R.render("html", rep, TS)


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
        R.render("html", rep, "<b>")
    with pytest.raises(R.ReportError, match="formats: 'pdf' is not one of json, csv, html, junit"):
        R.render("pdf", rep, TS)


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
    doc = json.loads(R.render("json", rep, TS))
    assert sorted(doc["legal_bases"]) == ["local_rule", "uk_wms_2022_11_24", "us_fcc_covered_list"]
    page = R.render("html", rep, TS)
    assert 'id="basis-uk_wms_2022_11_24"' in page and "Site security standard 4.2" in page


# --------------------------------------------------------------------------- JSON


def test_json_report(mixed: R.Report) -> None:
    doc = json.loads(R.render("json", mixed, TS))
    assert doc["schema"] == R.SCHEMA
    assert doc["generated_at"] == TS and doc["title"] == "Lab audit" and doc["policy_version"] == "2026.11.30"
    assert doc["summary"] == mixed.summary
    assert [d["mac"] for d in doc["devices"]] == [d.mac for d in mixed.devices]
    first = doc["devices"][0]
    assert first["action"] == "isolated" and first["change_id"] == "CHG001" and first["ip"] == "10.10.10.21"
    assert doc["unreachable"] == [{"switch": "lab-sw3", "error": "timeout after 30 s"}]
    assert [r["switch"] for r in doc["unmatched_results"]] == ["lab-sw9"]


# --------------------------------------------------------------------------- CSV


def _csv(rep: R.Report) -> Tuple[List[str], List[Dict[str, str]]]:
    text = R.render("csv", rep, TS)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_csv_columns_and_rows(mixed: R.Report) -> None:
    header, rows = _csv(mixed)
    assert header == [
        "mac", "ip", "vendor", "vendor_key", "status", "legal_basis", "switch", "interface", "vlan",
        "location_confidence", "evidence", "action", "mode", "action_reason", "change_id", "action_time",
        "waiver_owner", "waiver_ticket", "waiver_expires", "waiver_expired", "waiver_reason", "outcome",
        "outcome_reason", "first_seen", "last_seen",
    ]  # fmt: skip
    assert len(rows) == mixed.summary["restricted"]
    first = rows[0]
    assert first["mac"] == "44:19:b6:00:00:01" and first["vendor"] == HIK  # comma inside a quoted cell
    assert (first["action"], first["mode"], first["change_id"], first["outcome"]) == (
        "isolated",
        "vlan",
        "CHG001",
        "isolated",
    )
    waived = next(r for r in rows if r["outcome"] == "waived")
    assert (waived["waiver_owner"], waived["waiver_ticket"], waived["waiver_expired"]) == (
        "facilities",
        "RISK-17",
        "false",
    )
    assert rows[1]["action"] == "refused" and rows[1]["action_reason"] == "trunk port"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"])
def test_csv_formula_injection_is_neutralised(value: str) -> None:
    f = finding("44:19:b6:00:00:01", vendor_name=value, evidence=[value], ip=value)
    rep = R.build_report([f], [result("lab-sw1", "swp3", "refused", reason=value, change_id=value)])
    _header, rows = _csv(rep)
    for col in ("vendor", "evidence", "ip", "action_reason", "change_id"):
        assert rows[0][col] == "'" + value


@pytest.mark.parametrize("value", ["\t=1+2", "\r=1+2"])
def test_csv_formula_guard_covers_leading_tab_and_cr(value: str) -> None:
    # scalar values are stripped on input; list items such as evidence keep their white space
    _header, rows = _csv(R.build_report([finding("44:19:b6:00:00:01", evidence=[value])]))
    assert rows[0]["evidence"] == "'" + value
    assert R.csv_cell(value) == "'" + value
    assert R.csv_cell("a=b") == "a=b" and R.csv_cell(None) == "" and R.csv_cell(True) == "true"


def test_csv_multiline_and_quotes_round_trip() -> None:
    tricky = 'line1\nline2, "quoted"; semi'
    _header, rows = _csv(R.build_report([finding("44:19:b6:00:00:01", evidence=[tricky, "second"])]))
    assert rows[0]["evidence"] == tricky + "; second"


# --------------------------------------------------------------------------- JUnit XML


def _junit(rep: R.Report) -> ET.Element:
    return ET.fromstring(R.render("junit", rep, TS).encode("utf-8"))


def test_junit_is_valid_and_counts_match(mixed: R.Report) -> None:
    root = _junit(mixed)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["lab-sw1", "lab-sw2", "lab-sw10", "camguard.unreachable"]
    for s in suites:
        cases = s.findall("testcase")
        assert int(s.get("tests", "-1")) == len(cases)
        assert int(s.get("failures", "-1")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("errors", "-1")) == sum(1 for c in cases if c.find("error") is not None)
        assert s.get("timestamp") == TS
    cases = root.findall("./testsuite/testcase")
    assert (
        int(root.get("tests", "-1"))
        == len(cases)
        == mixed.summary["restricted"] + mixed.summary["unreachable_switches"]
    )
    assert int(root.get("failures", "-1")) == len(root.findall(".//failure")) == mixed.summary["open"]
    assert int(root.get("errors", "-1")) == len(root.findall(".//error")) == 1
    device_cases = [c for c in cases if c.get("classname") != "camguard.unreachable"]
    assert [c.get("name") for c in device_cases] == [f"{d.mac} on {d.interface}" for d in mixed.devices]
    failure = root.find("./testsuite[@name='lab-sw1']/testcase[2]/failure")
    assert failure is not None
    assert failure.get("message") == "not isolated and not waived: isolation refused: trunk port"
    assert "legal basis: us_ndaa_fy2019_s889" in (failure.text or "")
    passed = root.find("./testsuite[@name='lab-sw2']/testcase[2]")
    assert passed is not None and passed.find("failure") is None
    assert (passed.findtext("system-out") or "").startswith("waived by facilities")


def test_junit_escapes_hostile_text_and_control_characters() -> None:
    hostile = "<x>&\"'" + "]]>" + "\x00\x1b[31m"
    f = finding("44:19:b6:00:00:01", switch="sw<1>", vendor_name=hostile, evidence=list(HOSTILE))
    rep = R.build_report([f], [result("sw<1>", "swp3", "refused", reason=hostile)])
    root = _junit(rep)
    failure = root.find(".//failure")
    assert failure is not None
    cleaned = "<x>&\"'" + "]]>" + "\ufffd\ufffd[31m"
    assert failure.get("message") == "not isolated and not waived: isolation refused: " + cleaned
    assert f"vendor: {cleaned} (named)" in (failure.text or "")
    for h in HOSTILE:
        assert f"evidence: {h}" in (failure.text or "")
    assert root.find("testsuite").get("name") == "sw<1>"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects the tags and the device rows of the HTML report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: List[str] = []
        self.attrs: List[Tuple[str, Optional[str]]] = []
        self.rows: List[str] = []
        self.text: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        a = dict(attrs)
        if tag == "tr" and "device" in (a.get("class") or "").split():
            self.rows.append(a.get("data-mac") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(rep: R.Report) -> Tuple[str, _Page]:
    text = R.render("html", rep, TS)
    p = _Page()
    p.feed(text)
    p.close()
    return text, p


def test_html_has_every_device_row_charts_and_sections(mixed: R.Report) -> None:
    text, page = _page(mixed)
    assert page.rows == [d.mac for d in mixed.devices]
    assert page.tags.count("svg") == 3
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    body = "".join(page.text)
    for needle in (
        "Not compliant",
        "Lab audit",
        "2026.11.30",
        "lab-sw3",
        "timeout after 30 s",
        "CHG001",
        "RISK-17",
        "trunk port",
    ):
        assert needle in body
    assert '<meta name="generated-at" content="2026-11-30T12:00:00Z">' in text


def test_html_escapes_every_device_value() -> None:
    f = finding(
        "44:19:b6:00:00:01",
        switch="sw-<b>1</b>",
        interface="swp3",
        vendor_name=HOSTILE[0],
        basis=[HOSTILE[2]],
        ip=HOSTILE[1],
        evidence=list(HOSTILE),
        waiver=Waiver(owner=HOSTILE[0], reason=HOSTILE[3], ticket=HOSTILE[2], expires="2099-01-01"),
    )
    rep = R.build_report(
        [f],
        [result("sw-<b>1</b>", "swp3", "refused", reason=HOSTILE[0], change_id=HOSTILE[1])],
        [{"switch": HOSTILE[0], "error": HOSTILE[3]}],
        title=HOSTILE[1],
    )
    text, page = _page(rep)
    assert "<script" not in text.lower()
    assert "onmouseover" not in [k for k, _v in page.attrs]
    # the hostile page has exactly the element structure of the same page with harmless values
    benign = R.build_report(
        [
            finding(
                "44:19:b6:00:00:01",
                switch="sw-1",
                interface="swp3",
                vendor_name="v",
                basis=["k"],
                ip="i",
                evidence=["a", "b", "c", "d", "e"],
                waiver=Waiver(owner="o", reason="r", ticket="t", expires="2099-01-01"),
            )
        ],
        [result("sw-1", "swp3", "refused", reason="r", change_id="c")],
        [{"switch": "s", "error": "e"}],
        title="t",
    )
    assert page.tags == _page(benign)[1].tags
    body = "".join(page.text)
    for h in HOSTILE:
        assert h in body  # shown as text, exactly as received
    assert "49" not in body  # nothing evaluated {{ 7*7 }}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert page.rows == ["44:19:b6:00:00:01"]


def test_html_links_only_http_citations() -> None:
    f = finding("44:19:b6:00:00:01", basis=["a", "b"])
    rep = R.build_report(
        [f],
        legal_bases={
            "a": {"title": "A", "url": "javascript:alert(1)"},
            "b": {"title": "B", "url": "https://example.org/b?x=1&y=2"},
        },
    )
    text, page = _page(rep)
    hrefs = [v for k, v in page.attrs if k == "href"]
    assert "javascript:alert(1)" not in hrefs
    assert "https://example.org/b?x=1&y=2" in hrefs
    assert 'href="https://example.org/b?x=1&amp;y=2"' in text


def test_bar_chart_folds_the_long_tail() -> None:
    series = [(f"sw-{i:02d}", {"isolated": 0, "waived": 0, "open": i + 1}) for i in range(MAX_BARS + 5)]
    rep_switches = R.build_report(
        [finding(f"44:19:b6:00:00:{i:02x}", switch=f"sw-{i:02d}") for i in range(MAX_BARS + 5)]
    )
    _text, page = _page(rep_switches)
    assert "6 others" in "".join(page.text)
    svg = bar_chart("t", series)
    assert svg.count("<rect") == len(series)
    assert "No restricted devices." in bar_chart("t", [])


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_device_text_is_inert_in_html_and_xml(text: str) -> None:
    cleaned = R.clean(text.strip())
    assume(cleaned)
    f = finding("44:19:b6:00:00:01", vendor_name=text, evidence=[text])
    rep = R.build_report([f], [result("lab-sw1", "swp3", "failed", reason=text)])
    _text, page = _page(rep)
    assert page.rows == ["44:19:b6:00:00:01"]
    assert "script" not in page.tags
    assert cleaned in "".join(page.text)
    root = _junit(rep)
    assert (root.find(".//failure").get("message") or "").endswith(cleaned)  # type: ignore[union-attr]
    _header, rows = _csv(rep)
    assert rows[0]["vendor"] in (cleaned, "'" + cleaned)


# --------------------------------------------------------------------------- files


def test_plan_and_write_are_idempotent_apart_from_the_timestamp(tmp_path: Any, mixed: R.Report) -> None:
    dest = str(tmp_path)
    plans = R.plan_files(mixed, dest, R.FORMATS, TS)
    assert [p.changed for p in plans] == [True] * 4
    assert [os.path.basename(p.path) for p in plans] == [
        "camguard-report.json",
        "camguard-report.csv",
        "camguard-report.html",
        "camguard-report.junit.xml",
    ]
    for p in plans:
        R.write_atomic(p.path, p.content)
    assert sorted(os.listdir(dest)) == sorted(os.path.basename(p.path) for p in plans)  # no temp files left
    before = {p.path: Path(p.path).read_bytes() for p in plans}

    later = R.plan_files(mixed, dest, R.FORMATS, "2026-12-01T08:00:00Z")
    assert [p.changed for p in later] == [False] * 4

    other = R.build_report([finding("44:19:b6:00:00:01")])
    changed = R.plan_files(other, dest, R.FORMATS, "2026-12-01T08:00:00Z")
    assert [p.changed for p in changed] == [True] * 4
    assert "2026-12-01T08:00:00Z" in changed[2].content
    assert {p.path: Path(p.path).read_bytes() for p in plans} == before  # planning writes nothing


def test_edited_file_is_changed(tmp_path: Any, mixed: R.Report) -> None:
    (plan,) = R.plan_files(mixed, str(tmp_path), ["html"], TS)
    R.write_atomic(plan.path, plan.content.replace("Lab audit", "Lab audit (edited)"))
    assert R.plan_files(mixed, str(tmp_path), ["html"], TS)[0].changed is True
    with open(plan.path, "wb") as fh:
        fh.write(b"\xff\xfe not utf-8")
    assert R.plan_files(mixed, str(tmp_path), ["html"], TS)[0].changed is True


def test_write_atomic_mode_and_cleanup_on_error(tmp_path: Any) -> None:
    path = str(tmp_path / "r.csv")
    R.write_atomic(path, "a\r\nb\r\n")
    assert Path(path).read_bytes() == b"a\r\nb\r\n"
    assert os.stat(path).st_mode & 0o777 == 0o644
    with pytest.raises(OSError):
        R.write_atomic(str(tmp_path / "missing" / "r.csv"), "x")
    os.mkdir(tmp_path / "adir")
    with pytest.raises(OSError):
        R.write_atomic(str(tmp_path / "adir"), "x")
    assert sorted(os.listdir(tmp_path)) == ["adir", "r.csv"]
