# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policy data: generated module up to date, validation errors that name file and key, overrides."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._classify import build_classifier
from ansible_collections.camguard.network.plugins.module_utils._classify import policy_data as _policy_data
from ansible_collections.camguard.network.plugins.module_utils._classify.policy import (
    apply_overrides,
    check_prefix_consistency,
    diff_rules,
    load_policy,
    parse_prefix,
    prefix_text,
    read_prefixes_csv,
    shipped_policy,
    with_profiles,
)
from ansible_collections.camguard.network.plugins.module_utils._records import PolicyError

REPO = Path(__file__).resolve().parents[5]
POLICY_YML = REPO / "policy" / "restricted_vendors.yml"
PREFIXES_CSV = REPO / "policy" / "prefixes.csv"
SRC = "policy/restricted_vendors.yml"


def _build_tool() -> Any:
    spec = importlib.util.spec_from_file_location("build_policy", REPO / "tools" / "build_policy.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def sources() -> Any:
    return _build_tool().read_sources(POLICY_YML, PREFIXES_CSV)


def test_generated_module_is_up_to_date_with_policy_dir(sources: Any) -> None:
    data, rows = sources
    text = _build_tool().render(data, rows, "policy/restricted_vendors.yml", "policy/prefixes.csv")
    current = (REPO / "plugins" / "module_utils" / "_classify" / "policy_data.py").read_text(encoding="utf-8")
    assert current == text, "plugins/module_utils/_classify/policy_data.py is stale: run tools/build_policy.py"


def test_generated_module_round_trips_the_sources(sources: Any) -> None:
    data, rows = sources
    from_sources = load_policy(data, rows, SRC, "policy/prefixes.csv")
    shipped = shipped_policy()
    assert shipped.policy_version == _policy_data.POLICY_VERSION == "2026.11.30"
    assert shipped.registry_date == _policy_data.REGISTRY_DATE == "2026-10-24"
    assert sorted(shipped.prefixes, key=lambda r: (r.bits, r.value)) == sorted(
        from_sources.prefixes, key=lambda r: (r.bits, r.value)
    )
    assert list(shipped.vendors) == list(from_sources.vendors)


def test_shipped_policy_contents() -> None:
    p = shipped_policy()
    assert list(p.vendors)[:5] == ["hikvision", "dahua", "huawei", "zte", "hytera"]
    for key in ("hikvision", "dahua", "huawei", "zte", "hytera"):
        v = p.vendors[key]
        assert v.status == "named" and v.profile == "default"
        assert {"us_ndaa_fy2019_s889", "us_fcc_covered_list", "us_fcc_22_84", "uk_wms_2022_11_24"} <= set(v.legal_bases)
    assert p.vendors["hikvision"].default_action == p.vendors["dahua"].default_action == "isolate"
    assert {p.vendors[k].default_action for k in ("huawei", "zte", "hytera")} == {"report"}
    assert {v.profile for k, v in p.vendors.items() if k not in ("hikvision", "dahua", "huawei", "zte", "hytera")} == {
        "prc_cctv"
    }
    assert "honor" not in p.vendors
    assert len(p.prefixes) == 2766 and {r.bits for r in p.prefixes} == {24, 28}
    assert p.legal_bases["us_ndaa_fy2019_s889"].citation.startswith("Pub. L. 115-232, sec. 889(f)(3)")
    assert "DA 21-309" in p.legal_bases["us_fcc_covered_list"].citation
    assert "FCC 22-84" in p.legal_bases["us_fcc_22_84"].citation
    assert p.legal_bases["uk_wms_2022_11_24"].date == "2022-11-24"


def test_every_shipped_prefix_matches_its_vendor_by_org_pattern() -> None:
    assert check_prefix_consistency(shipped_policy()) == []


def test_every_review_pattern_records_its_decision(sources: Any) -> None:
    data = sources[0]
    reviews = [p for v in data["vendors"] for p in v["org_patterns"] if p["status"] == "review"]
    assert len(reviews) == 5
    assert all(p["decision"].startswith("review:") for p in reviews)


def test_near_misses_do_not_match() -> None:
    p = shipped_policy()
    misses = [n for v in p.vendors.values() for n in v.near_misses]
    assert "Shanghai Dahua Scale Factory" in misses and "Wuxi Zhongxing Optoelectronics Technology Co., Ltd." in misses
    for name in misses:
        assert p.match_org(name) is None, name


@pytest.mark.parametrize(
    "org,vendor,status",
    [
        ("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO.,LTD.", "hikvision", "named"),
        ("Prama  Hikvision India Private Limited", "hikvision", "affiliate"),
        ("ZHEJIANG DAHUA TECHNOLOGYCO.,LTD", "dahua", "named"),
        ("hangzhou huacheng network technology co., ltd", "dahua", "affiliate"),
        ("Huawei Device Co., Ltd.", "huawei", "named"),
        ("zte corporation", "zte", "named"),
        ("Hytera Communications Co .,ltd", "hytera", "named"),
        ("TVT CO., LTD", "tvt", "other_prc_cctv"),
        ("Milesight Taiwan", None, None),
        ("Honor Device Co., Ltd.", None, None),
    ],
)
def test_org_patterns(org: str, vendor: Any, status: Any) -> None:
    hit = shipped_policy().match_org(org)
    got = (hit[0].key, hit[1].status) if hit else (None, None)
    assert got == (vendor, status)


@pytest.mark.parametrize(
    "text,value,bits",
    [
        ("BCAD28", 0xBCAD28, 24),
        ("bc:ad:28", 0xBCAD28, 24),
        ("B0-B3-53-6", 0xB0B3536, 28),
        ("b0b3536", 0xB0B3536, 28),
        ("0050C2001", 0x0050C2001, 36),
        ("b0:b3:53:60:00:00/28", 0xB0B3536, 28),
        ("00:50:c2:00:10:00/36", 0x0050C2001, 36),
    ],
)
def test_parse_prefix(text: str, value: int, bits: int) -> None:
    assert parse_prefix(text) == (value, bits)


@pytest.mark.parametrize(
    "text,message",
    [
        ("BCAD2", "has 5 hex digits"),
        ("zz:ad:28", "is not hexadecimal"),
        ("b0:b3:53:61:00:00/28", "bits set beyond /28"),
        ("b0:b3:53:60:00:00/30", "length must be one of 24, 28, 36"),
        ("b0:b3:53/28", "needs a full 12-digit address"),
        (None, "expected a prefix string"),
    ],
)
def test_parse_prefix_errors(text: Any, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        parse_prefix(text, "overrides.yml", "extra_prefixes[0].prefix")


def test_prefix_text_is_the_leading_characters_of_its_macs() -> None:
    assert prefix_text(0xBCAD28, 24) == "bc:ad:28"
    assert prefix_text(0xB0B3536, 28) == "b0:b3:53:6"
    assert prefix_text(0x0050C2001, 36) == "00:50:c2:00:1"


# ---------------------------------------------------------------- malformed policy documents


def _broken(sources: Any, path: List[Any], value: Any) -> Dict[str, Any]:
    data = copy.deepcopy(sources[0])
    node = data
    for k in path[:-1]:
        node = node[k]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "path,value,message",
    [
        (["schema_version"], 2, "schema_version: unsupported schema version 2"),
        (["vendors", 0, "status"], "banned", "vendors[0].status: 'banned' is not one of"),
        (
            ["vendors", 1, "org_patterns", 0, "regex"],
            "(unclosed",
            "vendors[1].org_patterns[0].regex: invalid regular expression",
        ),
        (["vendors", 2, "legal_bases", 0], "us_law_x", "vendors[2].legal_bases[0]: unknown legal basis 'us_law_x'"),
        (
            ["vendors", 0, "org_patterns", 6, "decision"],
            KeyError,
            "vendors[0].org_patterns[6].decision: a 'review' pattern",
        ),
        (["vendors", 3, "profile"], "eu", "vendors[3].profile: unknown profile 'eu'"),
        (
            ["vendors", 4, "default_action"],
            "shutdown",
            "vendors[4].default_action: 'shutdown' is not one of isolate, report",
        ),
        (["vendors", 4, "colour"], "red", "vendors[4].colour: unknown key"),
        (["legal_bases", 0, "citation"], "", "legal_bases[0].citation: must not be empty"),
        (["vendors", 1, "key"], "hikvision", "vendors[1].key: duplicate vendor 'hikvision'"),
        (["vendors", 1, "key"], "Dahua Tech", "vendors[1].key: 'Dahua Tech' is not a valid key"),
        (["vendors"], "hikvision", "vendors: expected a list, got str"),
        (["surprise"], 1, "surprise: unknown key"),
    ],
)
def test_malformed_policy_names_file_and_key(sources: Any, path: List[Any], value: Any, message: str) -> None:
    with pytest.raises(PolicyError) as e:
        load_policy(_broken(sources, path, value), sources[1], SRC, "policy/prefixes.csv")
    assert str(e.value).startswith(SRC + ": ") and message in str(e.value)


@pytest.mark.parametrize(
    "row,message",
    [
        (
            {"prefix": "BCAD2G", "bits": "24", "vendor_key": "hikvision"},
            "row 2.prefix: prefix 'BCAD2G' is not hexadecimal",
        ),
        ({"prefix": "BCAD28", "bits": "28", "vendor_key": "hikvision"}, "row 2.bits: '28' does not match"),
        ({"prefix": "BCAD28", "bits": "24", "vendor_key": "acme"}, "row 2.vendor_key: unknown vendor 'acme'"),
        ({"prefix": "BCAD28", "vendor_key": "hikvision", "status": "bad"}, "row 2.status: 'bad' is not one of"),
        ({"prefix": "BCAD28", "vendor_key": "hikvision", "registry": "XYZ"}, "row 2.registry: 'XYZ' is not one of"),
    ],
)
def test_malformed_prefix_rows_name_file_row_and_key(sources: Any, row: Dict[str, str], message: str) -> None:
    with pytest.raises(PolicyError) as e:
        load_policy(sources[0], [row], SRC, "policy/prefixes.csv")
    assert str(e.value).startswith("policy/prefixes.csv: ") and message in str(e.value)


def test_duplicate_prefix_rows(sources: Any) -> None:
    row = {"prefix": "BCAD28", "vendor_key": "hikvision"}
    with pytest.raises(
        PolicyError, match=r"policy/prefixes.csv: row 3.prefix: duplicate prefix bc:ad:28/24 \(also on row 2\)"
    ):
        load_policy(sources[0], [row, dict(row)], SRC, "policy/prefixes.csv")


def test_inconsistent_prefix_row_is_reported(sources: Any) -> None:
    rows = [
        {
            "prefix": "BCAD28",
            "vendor_key": "dahua",
            "status": "named",
            "org": "Hangzhou Hikvision Digital Technology Co.,Ltd.",
        }
    ]
    p = load_policy(sources[0], rows, SRC, "policy/prefixes.csv")
    problems = check_prefix_consistency(p, "policy/prefixes.csv")
    assert problems == [
        "policy/prefixes.csv: prefix BCAD28 ('Hangzhou Hikvision Digital Technology Co.,Ltd.') is listed as dahua/named "
        "but the org patterns give hikvision/named"
    ]


# ---------------------------------------------------------------- overrides


def test_overrides_extend_and_switch_off() -> None:
    p = apply_overrides(
        shipped_policy(),
        {
            "profiles": ["prc_cctv"],
            "disabled_vendors": ["hytera"],
            "default_actions": {"uniview": "isolate"},
            "extra_legal_bases": [{"key": "org_policy_7", "title": "Internal policy 7", "citation": "SEC-POL-7 s.3"}],
            "extra_vendors": [
                {
                    "key": "lts",
                    "display_name": "LTS (Hikvision OEM)",
                    "status": "affiliate",
                    "default_action": "isolate",
                    "legal_bases": ["org_policy_7"],
                    "org_patterns": ["^lts\\b"],
                }
            ],
            "extra_prefixes": [
                {"prefix": "9C:8E:CD", "vendor_key": "lts", "org": "Amcrest Technologies", "note": "evidence ticket 5"},
                {"prefix": "10:DC:B6:5", "vendor_key": "milesight"},
            ],
        },
        "site.yml",
    )
    assert p.enabled_profiles == ("default", "prc_cctv") and p.disabled_vendors == ("hytera",)
    assert p.is_active("uniview") and not p.is_active("hytera") and p.is_active("lts")
    assert p.vendors["uniview"].default_action == "isolate"
    extra = {r.text: r for r in p.prefixes if r.source == "override"}
    assert extra["9c:8e:cd"].vendor_key == "lts" and extra["9c:8e:cd"].status == "affiliate"
    assert extra["10:dc:b6:5"].status == "other_prc_cctv" and extra["10:dc:b6:5"].registry == "override"
    c = build_classifier(
        overrides={"extra_prefixes": [{"prefix": "00:e0:fc", "vendor_key": "zte", "status": "review"}]},
        use_registry=False,
    )
    v = c.classify("00:e0:fc:00:00:01")  # an override replaces the shipped prefix of the same length
    assert (v.vendor_key, v.status, v.source) == ("zte", "review", "override")


@pytest.mark.parametrize(
    "doc,message",
    [
        ("profiles: [eu]\n", "site.yml: profiles[0]: unknown profile 'eu'"),
        ("disabled_vendors: [acme]\n", "site.yml: disabled_vendors[0]: unknown vendor 'acme'"),
        ("default_actions: {huawei: shutdown}\n", "site.yml: default_actions.huawei: 'shutdown' is not one of"),
        ("default_actions: {acme: report}\n", "site.yml: default_actions.acme: unknown vendor 'acme'"),
        ("extra_prefixes: [{prefix: 'zz', vendor_key: dahua}]\n", "site.yml: extra_prefixes[0].prefix: prefix 'zz'"),
        ("extra_prefixes: [{prefix: 'BCAD28'}]\n", "site.yml: extra_prefixes[0].vendor_key: required"),
        (
            "extra_prefixes: [{prefix: 'BCAD28', vendor_key: x, colour: red}]\n",
            "site.yml: extra_prefixes[0].colour: unknown key",
        ),
        (
            "extra_vendors: [{key: dahua, display_name: D, status: named}]\n",
            "site.yml: extra_vendors[0].key: vendor 'dahua' already exists",
        ),
        (
            "extra_vendors: [{key: a, display_name: A, status: named, org_patterns: ['(']}]\n",
            "site.yml: extra_vendors[0].org_patterns[0]: invalid regular expression",
        ),
        ("extra_vendors: {key: a}\n", "site.yml: extra_vendors: expected a list, got dict"),
        ("disable_vendors: [huawei]\n", "site.yml: disable_vendors: unknown key; allowed:"),
        ("- huawei\n", "site.yml: (top level): expected a mapping, got list"),
    ],
)
def test_malformed_overrides_name_file_and_key(tmp_path: Path, doc: str, message: str) -> None:
    with pytest.raises(PolicyError) as e:
        apply_overrides(shipped_policy(), yaml.safe_load(doc), "site.yml")
    assert message in str(e.value)
    f = tmp_path / "site.yml"
    f.write_text(doc, encoding="utf-8")
    with pytest.raises(PolicyError) as e2:
        build_classifier(overrides=str(f), use_registry=False)
    assert str(e2.value).startswith(str(f) + ": ")


def test_overrides_file_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read policy overrides file"):
        build_classifier(overrides=str(tmp_path / "missing.yml"), use_registry=False)
    bad = tmp_path / "bad.yml"
    bad.write_text("profiles: [prc_cctv\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"bad.yml: not valid YAML"):
        build_classifier(overrides=str(bad), use_registry=False)


def test_with_profiles_rejects_unknown() -> None:
    assert with_profiles(shipped_policy(), ["prc_cctv"]).enabled_profiles == ("default", "prc_cctv")
    with pytest.raises(PolicyError, match=r"profiles: \[0\]: unknown profile 'cctv'"):
        with_profiles(shipped_policy(), ["cctv"])


def test_read_prefixes_csv_and_diff(tmp_path: Path) -> None:
    p = shipped_policy()
    f = tmp_path / "prefixes.csv"
    f.write_text(PREFIXES_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    rules = read_prefixes_csv(str(f), p)
    assert len(rules) == len(p.prefixes) and diff_rules(p.prefixes, rules) == {}
    f.write_text("prefix,bits,org,vendor_key,status,registry\nBCAD28,24,x,hikvision,named,MA-L\nBCAD2Z,24,x,dahua,,\n")
    with pytest.raises(PolicyError, match=r"prefixes.csv: row 3.prefix: prefix 'BCAD2Z' is not hexadecimal"):
        read_prefixes_csv(str(f), p)
    f.write_text("org,status\nx,named\n")
    with pytest.raises(PolicyError, match=r"prefixes.csv: line 1: missing column\(s\) prefix, vendor_key"):
        read_prefixes_csv(str(f), p)


_KEYS = st.sampled_from(
    [
        "profiles",
        "disabled_vendors",
        "default_actions",
        "extra_vendors",
        "extra_prefixes",
        "extra_legal_bases",
        "key",
        "prefix",
        "vendor_key",
        "status",
        "display_name",
        "org_patterns",
        "legal_bases",
        "hikvision",
        "prc_cctv",
        "x",
    ]
)
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["prc_cctv", "hikvision", "isolate", "named", "BCAD28", "b0:b3:53:6", "(", "us_fcc_22_84"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        _LEAVES, lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(_KEYS, c, max_size=5)), max_leaves=25
    )
)
def test_any_overrides_document_applies_or_raises_policy_error(doc: Any) -> None:
    try:
        p = apply_overrides(shipped_policy(), doc, "fuzz.yml")
    except PolicyError as e:
        assert str(e).startswith("fuzz.yml: ")
    else:
        assert "default" in p.enabled_profiles
