# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camguard.network.vendor_data: rebuild from IEEE CSV exports or the installed registry, diff, check mode."""

from __future__ import annotations

from pathlib import Path

from ansible_collections.camguard.network.plugins.modules import vendor_data

REPO = Path(__file__).resolve().parents[4]
IEEE = REPO / "tests" / "fixtures" / "vendors" / "ieee"
SOURCES = [str(IEEE / n) for n in ("oui.csv", "mam.csv", "oui36.csv", "iab.csv", "cid.csv")]
SHIPPED_CSV = REPO / "policy" / "prefixes.csv"


def test_ieee_exports_against_the_shipped_list(run_module) -> None:
    r = run_module(vendor_data.main, {"sources": SOURCES})
    assert r["failed"] is False and r["changed"] is False
    assert r["registry_source"] == "IEEE CSV oui.csv, mam.csv, oui36.csv, iab.csv, cid.csv"
    assert r["policy_version"] == "2026.11.30"
    assert r["prefix_count"] == 9
    assert r["vendors"] == {"dahua": 3, "hikvision": 3, "huawei": 1, "hytera": 1, "uniview": 1}
    assert r["changes"]["hikvision"]["added"] == [
        {
            "prefix": "a4:f0:5f",
            "bits": 24,
            "org": "Hangzhou Hikvision Digital Technology Co.,Ltd.",
            "status": "named",
            "registry": "MA-L",
        }
    ]
    assert [a["prefix"] for a in r["changes"]["dahua"]["added"]] == ["00:1b:c5:ff:f"]
    assert r["added"] == 2 and r["removed"] == 2766 - 7 and r["changed_prefixes"] == 0
    assert "prefixes" not in r and "diff" not in r


def test_installed_registry_and_include_prefixes(run_module) -> None:
    r = run_module(vendor_data.main, {"include_prefixes": True})
    assert r["registry_source"].startswith("pymanuf ")
    assert r["prefix_count"] == len(r["prefixes"]) > 2700
    assert r["changes"].get("hikvision", {"added": []})["added"] == []
    hikrobot = [p for p in r["prefixes"] if p["prefix"] == "b0:b3:53:6"]
    assert hikrobot == [
        {
            "prefix": "b0:b3:53:6",
            "bits": 28,
            "org": "Hangzhou Hikrobot Technology Co., Ltd.",
            "vendor_key": "hikvision",
            "status": "affiliate",
            "registry": "MA-M",
        }
    ]


def test_write_dest_check_mode_diff_and_idempotence(run_module, tmp_path: Path) -> None:
    dest = tmp_path / "prefixes.csv"
    args = {"sources": SOURCES, "dest": str(dest)}
    check = run_module(vendor_data.main, args, check_mode=True, diff=True)
    assert check["changed"] is True and check["dest"] == str(dest) and not dest.exists()
    assert check["diff"]["before"] == "" and "A4F05F,24," in check["diff"]["after"]
    first = run_module(vendor_data.main, args)
    assert first["changed"] is True
    text = dest.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "prefix,bits,org,vendor_key,status,registry" and len(text.splitlines()) == 10
    second = run_module(vendor_data.main, args, diff=True)
    assert second["changed"] is False and second["diff"]["before"] == second["diff"]["after"] == text
    # the written file works as a baseline: nothing added or removed against itself
    again = run_module(vendor_data.main, {"sources": SOURCES, "baseline": str(dest)})
    assert again["added"] == again["removed"] == again["changed_prefixes"] == 0 and again["changes"] == {}


def test_shipped_csv_as_baseline_equals_default(run_module) -> None:
    a = run_module(vendor_data.main, {"sources": SOURCES})
    b = run_module(vendor_data.main, {"sources": SOURCES, "baseline": str(SHIPPED_CSV)})
    assert a["changes"] == b["changes"]


def test_diff_without_dest_compares_with_the_baseline(run_module) -> None:
    r = run_module(vendor_data.main, {"sources": SOURCES}, diff=True)
    assert r["changed"] is False
    assert r["diff"]["before"] == SHIPPED_CSV.read_text(encoding="utf-8")
    assert r["diff"]["before_header"] == "shipped prefix list" and r["diff"]["after_header"].startswith("IEEE CSV")


def test_errors_name_the_file(run_module, tmp_path: Path) -> None:
    bad = tmp_path / "mam.csv"
    bad.write_text("Registry,Assignment,Organization Name,Organization Address\nMA-M,B0B353,x,y\n", encoding="utf-8")
    r = run_module(vendor_data.main, {"sources": [str(bad)]})
    assert r["failed"] is True and r["rc"] == 1
    assert r["msg"] == f"vendor_data: {bad}: line 2: column Assignment: 'B0B353' is not a 28-bit hex prefix for MA-M"
    r = run_module(vendor_data.main, {"sources": [str(tmp_path / "none.csv")]})
    assert r["failed"] is True and "none.csv: cannot read IEEE registry file" in r["msg"]
    r = run_module(vendor_data.main, {"sources": SOURCES, "dest": str(tmp_path / "no" / "such" / "dir.csv")})
    assert r["failed"] is True and "directory of dest" in r["msg"]
    baseline = tmp_path / "base.csv"
    baseline.write_text("prefix,bits,org,vendor_key,status,registry\nBCAD28,24,x,acme,named,MA-L\n", encoding="utf-8")
    r = run_module(vendor_data.main, {"sources": SOURCES, "baseline": str(baseline)})
    assert r["failed"] is True and f"{baseline}: row 2.vendor_key: unknown vendor 'acme'" in r["msg"]


def test_unknown_option_is_rejected(run_module) -> None:
    r = run_module(vendor_data.main, {"source": SOURCES})
    assert r["failed"] is True and "source" in r["msg"]
