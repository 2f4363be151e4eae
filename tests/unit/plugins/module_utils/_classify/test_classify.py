# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Classifier behaviour: spellings, local MACs, longest prefix, drift, profiles, overrides, bulk path."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._classify import (
    INVALID,
    LOCAL,
    Classifier,
    _ints_canonical,
    build_classifier,
    legal_basis_details,
)
from ansible_collections.camguard.network.plugins.module_utils._classify.registry import Registry
from ansible_collections.camguard.network.plugins.module_utils._classify.waivers import load_waivers
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import (
    InvalidMacError,
    MacEntry,
    PolicyError,
    Verdict,
)

IEEE = Path(__file__).resolve().parents[4] / "fixtures" / "vendors" / "ieee"
IEEE_FILES = [str(IEEE / n) for n in ("oui.csv", "mam.csv", "oui36.csv", "iab.csv", "cid.csv")]
HIK = "bc:ad:28:12:34:56"


@pytest.fixture(scope="module")
def shipped() -> Classifier:
    return Classifier()


@pytest.fixture(scope="module")
def ieee_registry() -> Registry:
    return Registry.from_ieee_csv(IEEE_FILES)


@pytest.mark.parametrize(
    "spelling",
    [
        "bcad.2812.3456",
        "BCAD.2812.3456",
        "bc:ad:28:12:34:56",
        "BC:AD:28:12:34:56",
        "bc-ad-28-12-34-56",
        "BC-AD-28-12-34-56",
        "bcad28-123456",
        "BCAD28-123456",
        "BCAD28123456",
        "bcad28123456",
        "  bcad.2812.3456\n",
    ],
)
def test_every_switch_spelling_gives_the_same_verdict(shipped: Classifier, spelling: str) -> None:
    v = shipped.classify(spelling)
    assert v.mac == HIK
    assert (v.status, v.vendor_key, v.matched_prefix, v.prefix_bits, v.source) == (
        "named",
        "hikvision",
        "bc:ad:28",
        24,
        "policy",
    )
    assert v.vendor_name == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert v.basis == (
        "us_ndaa_fy2019_s889",
        "us_fcc_covered_list",
        "us_fcc_22_84",
        "uk_wms_2022_11_24",
        "au_2023_commonwealth_removal",
    )
    assert v.default_action == "isolate" and v.restricted and v.waiver is None


@pytest.mark.parametrize(
    "bad,reason",
    [
        ("", "empty string"),
        ("bcad.2812.345", "not a MAC address spelling"),
        ("bc:ad:28:12:34:5g", "not hex digits or separators: 'g'"),
        ("bc:ad:28-12:34:56", "not a MAC address spelling"),
        ("bcad.2812.3456.7890", "not a MAC address spelling"),
        ("camera-01", "not hex digits"),
        ("bc:ad:28:12:34:56; reload", "not hex digits or separators"),
    ],
)
def test_anything_else_is_rejected_with_a_reason(shipped: Classifier, bad: str, reason: str) -> None:
    with pytest.raises(InvalidMacError) as e:
        shipped.classify(bad)
    assert repr(bad) in str(e.value) and reason in str(e.value)


def test_non_string_is_rejected(shipped: Classifier) -> None:
    with pytest.raises(InvalidMacError, match="expected a string, got int"):
        shipped.classify(0xBCAD28123456)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "mac",
    [
        "be:ad:28:12:34:56",  # Hikvision OUI with the locally administered bit set
        "bd:ad:28:12:34:56",  # ... with the multicast bit set
        "4a:c0:3f:00:00:01",  # inside the Wuhan Hikstorage CID
        "3a:72:c2:00:00:01",  # inside the Huawei CID
        "01:00:5e:00:00:fb",  # IPv4 multicast
        "33:33:00:00:00:01",  # IPv6 multicast
        "ff:ff:ff:ff:ff:ff",
        "02:42:ac:11:00:02",  # docker
    ],
)
def test_local_and_multicast_are_never_looked_up(shipped: Classifier, ieee_registry: Registry, mac: str) -> None:
    with_registry = Classifier(registry=Registry.from_ieee_csv(IEEE_FILES, include_cid=True))
    for c in (shipped, with_registry):
        v = c.classify(mac)
        assert v == Verdict(mac=mac, status="local", default_action="none")


def test_ma_m_inside_a_registration_authority_ma_l_resolves_to_its_owner(ieee_registry: Registry) -> None:
    # B0:B3:53 is an "IEEE Registration Authority" container; B0:B3:53:6 is Hikrobot's MA-M.
    assert ieee_registry.lookup(mac_to_int("b0:b3:53:00:00:01")).org == "Blake UK"  # type: ignore[union-attr]
    c = Classifier(registry=ieee_registry)
    v = c.classify("b0:b3:53:6a:bc:de")
    assert (v.status, v.vendor_key, v.matched_prefix, v.prefix_bits) == ("affiliate", "hikvision", "b0:b3:53:6", 28)
    assert v.registry_org == "Hangzhou Hikrobot Technology Co., Ltd."
    other = c.classify("b0:b3:53:0a:bc:de")
    assert (other.status, other.vendor_name, other.prefix_bits, other.source) == (
        "unrestricted",
        "Blake UK",
        28,
        "registry",
    )
    # a sub-block with no MA-M owner stays unknown: the RA is not a maker
    ra = c.classify("b0:b3:53:fa:bc:de")
    assert (ra.status, ra.vendor_name, ra.registry_org) == ("unknown", None, "IEEE Registration Authority")


def test_same_through_the_installed_registry() -> None:
    c = build_classifier()
    assert c.registry is not None and c.registry.source.startswith("pymanuf")
    assert c.registry.lookup(mac_to_int("b0:b3:53:6a:bc:de")).org == "Hangzhou Hikrobot Technology Co., Ltd."  # type: ignore[union-attr]
    v = c.classify("b0:b3:53:6a:bc:de")
    assert (v.vendor_key, v.prefix_bits) == ("hikvision", 28)
    assert c.classify("00:50:c2:00:10:01").vendor_name == "JMBS Developpements"  # IAB, 36 bit


def test_longest_prefix_wins_36_then_28_then_24() -> None:
    overrides = {
        "extra_vendors": [
            {
                "key": "oem_a",
                "display_name": "OEM A",
                "status": "affiliate",
                "default_action": "report",
                "legal_bases": ["us_ndaa_fy2019_s889"],
                "org_patterns": [r"\boem a\b"],
            }
        ],
        "extra_prefixes": [
            {"prefix": "bc:ad:28:1", "vendor_key": "oem_a", "status": "review"},  # 28 bit inside Hikvision's MA-L
            {"prefix": "bcad28123", "vendor_key": "dahua"},  # 36 bit inside that
        ],
    }
    c = Classifier.build(overrides)
    v36 = c.classify("bc:ad:28:12:34:56")
    assert (v36.vendor_key, v36.status, v36.prefix_bits, v36.matched_prefix, v36.source) == (
        "dahua",
        "named",
        36,
        "bc:ad:28:12:3",
        "override",
    )
    v28 = c.classify("bc:ad:28:1f:00:00")
    assert (v28.vendor_key, v28.status, v28.prefix_bits, v28.default_action) == ("oem_a", "review", 28, "report")
    v24 = c.classify("bc:ad:28:ff:00:00")
    assert (v24.vendor_key, v24.prefix_bits) == ("hikvision", 24)
    bulk = c.classify_many(["bc:ad:28:12:34:56", "bc:ad:28:1f:00:00", "bc:ad:28:ff:00:00"])
    assert [(m.vendor_key, m.bits) for m in bulk.matches] == [("dahua", 36), ("oem_a", 28), ("hikvision", 24)]  # type: ignore[union-attr]


def test_drift_registry_org_matching_a_pattern_is_review(ieee_registry: Registry) -> None:
    c = Classifier(registry=ieee_registry)
    drift = {(r.vendor_key, r.text, r.bits) for r in c.drift_rules}
    assert drift == {("hikvision", "a4:f0:5f", 24), ("dahua", "00:1b:c5:ff:f", 36)}
    v = c.classify("a4:f0:5f:00:00:01")
    assert (v.status, v.source, v.vendor_key, v.default_action, v.restricted) == (
        "review",
        "registry",
        "hikvision",
        "report",
        True,
    )
    assert v.registry_org == "Hangzhou Hikvision Digital Technology Co.,Ltd."
    v36 = c.classify("00:1b:c5:ff:f0:01")
    assert (v36.status, v36.vendor_key, v36.prefix_bits) == ("review", "dahua", 36)
    # listed prefixes are not drift, and without a registry there is none
    assert c.classify(HIK).source == "policy"
    assert Classifier().classify("a4:f0:5f:00:00:01").status == "unknown"


def test_drift_ignores_inactive_and_disabled_vendors(ieee_registry: Registry) -> None:
    c = Classifier.build({"disabled_vendors": ["hikvision"]}, registry=ieee_registry)
    assert {r.vendor_key for r in c.drift_rules} == {"dahua"}
    v = c.classify(HIK)
    assert (v.status, v.vendor_key, v.restricted, v.default_action) == ("unrestricted", "hikvision", False, "none")


def test_review_status_never_isolates(shipped: Classifier) -> None:
    v = shipped.classify("30:2f:ac:00:00:01")  # Zhejiang HuaRay: review under dahua
    assert (v.status, v.vendor_key, v.default_action) == ("review", "dahua", "report")
    v = shipped.classify("88:4d:de:00:00:01")  # Nubia: review under zte
    assert (v.status, v.vendor_key, v.default_action) == ("review", "zte", "report")


def test_default_actions_cameras_isolate_phones_and_network_report(shipped: Classifier) -> None:
    assert shipped.classify("3c:ef:8c:00:00:01").default_action == "isolate"  # Dahua
    assert shipped.classify("00:e0:fc:00:00:01").default_action == "report"  # Huawei
    assert shipped.classify("9c:06:6e:00:00:01").default_action == "report"  # Hytera
    c = Classifier.build({"default_actions": {"huawei": "isolate"}})
    assert c.classify("00:e0:fc:00:00:01").default_action == "isolate"


def test_waivers_are_applied_with_a_fixed_clock() -> None:
    waivers = load_waivers(
        [
            {"mac": "BCAD.2812.3456", "owner": "fm", "reason": "lobby", "ticket": "CHG-1", "expires": "2027-01-31"},
            {
                "switch": "sw1",
                "interface": "Gi1/0/7",
                "owner": "ot",
                "reason": "plc cam",
                "ticket": "CHG-2",
                "expires": "2026-06-30",
            },
        ]
    )
    c = Classifier(waivers=waivers)
    before = c.classify(HIK, today=datetime.date(2027, 1, 31))
    assert before.waiver is not None and not before.waiver.expired and before.waiver.ticket == "CHG-1"
    assert before.status == "named" and before.default_action == "report"
    after = c.classify(HIK, today=datetime.date(2027, 2, 1))
    assert after.waiver is not None and after.waiver.expired and after.default_action == "isolate"
    port = c.classify("3c:ef:8c:00:00:01", "SW1", "GigabitEthernet1/0/7", today=datetime.date(2026, 6, 1))
    assert port.waiver is not None and port.waiver.ticket == "CHG-2" and not port.waiver.expired
    assert c.classify("3c:ef:8c:00:00:01", "sw1", "Gi1/0/8", today=datetime.date(2026, 6, 1)).waiver is None
    entries = [
        MacEntry("3c:ef:8c:00:00:01", 10, "GigabitEthernet1/0/7", switch="sw1"),
        MacEntry("00:00:0c:00:00:01", 10, "GigabitEthernet1/0/8", switch="sw1"),
    ]
    verdicts = c.classify_entries(entries, today=datetime.date(2026, 7, 1))
    assert len(verdicts) == 1 and verdicts[0].waiver is not None and verdicts[0].waiver.expired


def test_unknown_without_registry_and_unrestricted_with_one(ieee_registry: Registry) -> None:
    assert Classifier().classify("00:00:0c:12:34:56").status == "unknown"
    v = Classifier(registry=ieee_registry).classify("00:00:0c:12:34:56")
    assert (v.status, v.vendor_name, v.source, v.default_action) == (
        "unrestricted",
        "Cisco Systems, Inc",
        "registry",
        "none",
    )


def test_bulk_reports_invalid_inputs_without_raising(shipped: Classifier) -> None:
    macs = ["bc:ad:28:12:34:56", "nonsense", "BCAD.2812.3456", "be:ad:28:12:34:56", "00:00:0c:00:00:01", None]
    r = shipped.classify_many(macs)
    assert r.matches[1] is INVALID and r.matches[5] is INVALID and r.matches[3] is LOCAL
    assert set(r.errors) == {1, 5} and "'nonsense'" in r.errors[1]
    assert r.statuses() == ["named", "invalid", "named", "local", "unknown", "invalid"]
    assert r.counts() == {"named": 2, "invalid": 2, "local": 1, "unknown": 1}
    assert r.restricted_indexes() == [0, 2]
    assert [v.mac for v in r.restricted()] == [HIK, HIK]
    with pytest.raises(InvalidMacError):
        r.verdict(1)


def test_bulk_batches_mixed_with_fallback(shipped: Classifier) -> None:
    macs = [f"bc:ad:28:00:{i // 256:02x}:{i % 256:02x}" for i in range(9000)]
    macs[5000] = "bcad.2800.1388"  # same address as canonical index 5000, other spelling
    r = shipped.classify_many(macs)
    assert len(r) == 9000 and not r.errors
    assert all(m.vendor_key == "hikvision" for m in r.matches)  # type: ignore[union-attr]
    assert r.ints[5000] == mac_to_int("bc:ad:28:00:13:88")


@pytest.mark.parametrize(
    "batch",
    [
        ["bc:ad:28:12:34:5 "],
        ["bc:ad:28:12:34: 5"],
        ["bc:ad:28:12:34::5"],
        ["bc:ad:28:12:34:56\nbc:ad:28:12:34:56"],
        ["bc:ad:28:12:34:5\u00e9"],
        ["bc:ad:28:12:34:56", "bc:ad:28:12:34:5"],
        ["bc:ad:28:12:34:56x", "c:ad:28:12:34:56"],
        ["+c:ad:28:12:34:56"],
        ["bc-ad-28-12-34-56"],
    ],
)
def test_batch_parser_declines_anything_not_canonical(batch: list) -> None:
    assert _ints_canonical(batch) is None


def test_legal_basis_details(shipped: Classifier) -> None:
    details = legal_basis_details(shipped.policy, shipped.classify(HIK).basis)
    assert details[0]["citation"].startswith("Pub. L. 115-232, sec. 889(f)(3)")
    assert any(d["key"] == "uk_wms_2022_11_24" and d["date"] == "2022-11-24" for d in details)
    with pytest.raises(PolicyError, match="unknown key 'nope'"):
        legal_basis_details(shipped.policy, ["nope"])


def test_summary_counts_active_prefixes(shipped: Classifier) -> None:
    s = shipped.summary()
    assert s["policy_version"] == "2026.11.30" and s["registry_date"] == "2026-10-24"
    assert s["prefixes_per_vendor"]["hikvision"] == 106 and "uniview" not in s["prefixes_per_vendor"]
    assert s["profiles"] == ["default"]


# ---------------------------------------------------------------- property-based

MAC_CHARS = st.sampled_from("0123456789abcdefABCDEF:-. \n\t\u00e9xg+_")


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), st.text(MAC_CHARS, max_size=20)))
def test_any_string_gives_a_verdict_or_a_clear_error(shipped: Classifier, s: str) -> None:
    try:
        v = shipped.classify(s)
    except InvalidMacError as e:
        assert "invalid MAC address" in str(e)
    else:
        assert v.status in ("named", "affiliate", "review", "other_prc_cctv", "unrestricted", "unknown", "local")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.integers(0, (1 << 48) - 1), st.text(MAC_CHARS, max_size=18)), max_size=40))
def test_bulk_agrees_with_single_classification(shipped: Classifier, items: list) -> None:
    hik = [0xBCAD28000000, 0xB0B353600000, 0x00E0FC000000, 0x302FAC000000]
    macs = []
    for k, x in enumerate(items):
        if isinstance(x, int):
            n = (hik[k % 4] | (x & 0xFFFFFF)) if k % 2 else x
            h = f"{n:012x}"
            macs.append(
                ":".join(h[i : i + 2] for i in range(0, 12, 2)).upper()
                if k % 3 == 0
                else ":".join(h[i : i + 2] for i in range(0, 12, 2))
            )
        else:
            macs.append(x)
    bulk = shipped.classify_many(macs)
    for i, m in enumerate(macs):
        try:
            single = shipped.classify(m)
        except InvalidMacError:
            assert i in bulk.errors
            continue
        assert bulk.verdict(i) == single
