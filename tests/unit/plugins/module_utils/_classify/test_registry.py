# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""General registry: IEEE CSV exports, the installed pymanuf data, longest prefix, drift, rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.camguard.network.plugins.module_utils._classify.policy import shipped_policy, with_profiles
from ansible_collections.camguard.network.plugins.module_utils._classify.registry import (
    Registry,
    default_registry,
    has_owner,
    rebuild_report,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import PolicyError

IEEE = Path(__file__).resolve().parents[4] / "fixtures" / "vendors" / "ieee"
FILES = [str(IEEE / n) for n in ("oui.csv", "mam.csv", "oui36.csv", "iab.csv", "cid.csv")]


def org(reg: Registry, mac: str) -> object:
    m = reg.lookup(mac_to_int(mac))
    return (m.org, m.bits) if m else None


def test_ieee_csv_longest_prefix() -> None:
    reg = Registry.from_ieee_csv(FILES)
    assert reg.source == "IEEE CSV oui.csv, mam.csv, oui36.csv, iab.csv, cid.csv"
    assert len(reg) == 14 + 3 + 2 + 1  # CID row skipped
    assert org(reg, "b0:b3:53:6f:ff:ff") == ("Hangzhou Hikrobot Technology Co., Ltd.", 28)
    assert org(reg, "b0:b3:53:70:00:00") == ("IEEE Registration Authority", 24)
    assert org(reg, "00:1b:c5:00:10:00") == ("OpenRB.com, Direct SIA", 36)
    assert org(reg, "00:1b:c5:00:20:00") == ("IEEE Registration Authority", 24)
    assert org(reg, "00:50:c2:00:1a:bc") == ("JMBS Developpements", 36)
    assert org(reg, "4a:c0:3f:00:00:01") is None
    assert org(Registry.from_ieee_csv(FILES, include_cid=True), "4a:c0:3f:00:00:01") == (
        "Wuhan Hikstorage Technology Co.,Ltd",
        24,
    )


@pytest.mark.parametrize(
    "text,message",
    [
        ("Assignment,Organization Name\nBCAD28,x\n", "line 1: not an IEEE registry CSV"),
        (
            "Registry,Assignment,Organization Name,Organization Address\nMA-X,BCAD28,x,y\n",
            "line 2: column Registry: unknown registry 'MA-X'",
        ),
        (
            "Registry,Assignment,Organization Name,Organization Address\nMA-L,BCAD2,x,y\n",
            "line 2: column Assignment: 'BCAD2' is not a 24-bit hex prefix for MA-L",
        ),
        (
            "Registry,Assignment,Organization Name,Organization Address\nMA-L,BCAD28,x,y\nMA-M,B0B35G6,x,y\n",
            "line 3: column Assignment: 'B0B35G6'",
        ),
        (
            "Registry,Assignment,Organization Name,Organization Address\nMA-L,BCAD28, ,y\n",
            "line 2: column Organization Name: empty",
        ),
        (
            "Registry,Assignment,Organization Name,Organization Address\nMA-L,BCAD28\n",
            "line 2: expected at least 3 columns, got 2",
        ),
        ("", "line 1: not an IEEE registry CSV"),
    ],
)
def test_malformed_ieee_csv_names_file_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "oui.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as e:
        Registry.from_ieee_csv([str(f)])
    assert str(e.value).startswith(f"{f}: ") and message in str(e.value)


def test_unreadable_ieee_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read IEEE registry file"):
        Registry.from_ieee_csv([str(tmp_path / "missing.csv")])
    f = tmp_path / "bin.csv"
    f.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PolicyError, match="cannot read IEEE registry file"):
        Registry.from_ieee_csv([str(f)])


def test_installed_pymanuf_registry() -> None:
    reg = default_registry()
    assert reg is not None and reg is default_registry()
    assert reg.source.startswith("pymanuf ") and len(reg) > 50000
    assert org(reg, "bc:ad:28:00:00:01") == ("Hangzhou Hikvision Digital Technology Co.,Ltd.", 24)
    assert org(reg, "b0:b3:53:60:00:01") == ("Hangzhou Hikrobot Technology Co., Ltd.", 28)
    assert org(reg, "00:50:c2:00:30:01") == ("Microsoft", 36)


def test_manuf_text_parser_skips_junk() -> None:
    text = "# comment\n\nBC:AD:28\t\tHikvision\nnot a line\nZZ:ZZ:ZZ\tX\nB0:B3:53:60:00:00/28\tHikrobot\nB0:B3:53:70:00:00/30\tBad\n"
    reg = Registry.from_manuf_text(text, "t")
    assert sorted(reg.entries()) == [(0xBCAD28, 24, "Hikvision"), (0xB0B3536, 28, "Hikrobot")]


def test_lookup_api_fallback() -> None:
    reg = Registry({}, "api")
    calls = []

    def fake_lookup(mac: str) -> str:
        calls.append(mac)
        return "Acme" if mac.startswith("00:11:22") else "unknown"

    reg._fallback = fake_lookup
    assert org(reg, "00:11:22:33:44:55") == ("Acme", 24)
    assert org(reg, "00:11:23:33:44:55") is None
    assert calls == ["00:11:22:33:44:55", "00:11:23:33:44:55"]


def test_has_owner() -> None:
    assert has_owner("Cisco Systems, Inc")
    assert not has_owner("IEEE Registration Authority") and not has_owner("Private") and not has_owner(None)


def test_drift_is_review_and_respects_profiles() -> None:
    reg = Registry.from_ieee_csv(FILES)
    rules = reg.drift(shipped_policy())
    assert sorted((r.vendor_key, r.text, r.status, r.source) for r in rules) == [
        ("dahua", "00:1b:c5:ff:f", "review", "registry"),
        ("hikvision", "a4:f0:5f", "review", "registry"),
    ]
    assert reg.drift(shipped_policy()) == rules  # cached, same answer
    # Uniview 14:BA:88 is in the shipped list: no drift even with the profile on
    assert len(reg.drift(with_profiles(shipped_policy(), ["prc_cctv"]))) == 2


def test_installed_registry_has_no_drift_against_the_shipped_list() -> None:
    reg = default_registry()
    assert reg is not None
    assert reg.drift(with_profiles(shipped_policy(), ["prc_cctv"])) == []


def test_rebuild_report_from_ieee_csv() -> None:
    policy = shipped_policy()
    rep = rebuild_report(policy, Registry.from_ieee_csv(FILES), policy.prefixes)
    assert rep["counts"] == {"dahua": 3, "hikvision": 3, "huawei": 1, "hytera": 1, "uniview": 1}
    added = {v: [a["prefix"] for a in c["added"]] for v, c in rep["changes"].items() if c["added"]}
    assert added == {"dahua": ["00:1b:c5:ff:f"], "hikvision": ["a4:f0:5f"]}
    assert rep["added"] == 2 and rep["removed"] == len(policy.prefixes) - 7 and rep["changed"] == 0
    assert rep["csv"].splitlines()[0] == "prefix,bits,org,vendor_key,status,registry"
    assert 'B0B3536,28,"Hangzhou Hikrobot Technology Co., Ltd.",hikvision,affiliate,MA-M' in rep["csv"]
    assert "402C761" not in rep["csv"] and "205A8F" not in rep["csv"]  # look-alikes


def test_rebuild_keeps_the_baseline_spelling_when_only_case_differs() -> None:
    policy = shipped_policy()
    reg = Registry.from_entries(
        [(0xF8CE07, 24, "Zhejiang Dahua Technologyco.,Ltd"), (0x9C066E, 24, "Hytera Communications Corp. Ltd")], "t"
    )
    rep = rebuild_report(policy, reg, policy.prefixes)
    assert [r.org for r in rep["rules"]] == ["ZHEJIANG DAHUA TECHNOLOGYCO.,LTD", "Hytera Communications Corp. Ltd"]
    assert (
        rep["changed"] == 1
        and rep["changes"]["hytera"]["changed"][0]["before"]["org"] == "Hytera Communications Corporation Limited"
    )
