# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole research prefix list (tests/fixtures/vendors/ouis.csv) against the shipped policy."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Dict, List

import pytest

from ansible_collections.camguard.network.plugins.module_utils._classify import Classifier
from ansible_collections.camguard.network.plugins.module_utils._classify.policy import parse_prefix, shipped_policy
from ansible_collections.camguard.network.plugins.module_utils._classify.registry import Registry

OUIS = Path(__file__).resolve().parents[4] / "fixtures" / "vendors" / "ouis.csv"
NAMED_ENTITIES = ("hikvision", "dahua", "huawei", "zte", "hytera")
PRC_CCTV = ("uniview", "tiandy", "tvt", "milesight", "raysharp", "jovision", "hanbang", "kedacom", "sunell")


def _rows() -> List[Dict[str, str]]:
    with OUIS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _rows()


def _macs_in(prefix: str, bits: int) -> List[str]:
    """First, a middle and the last address of the block."""
    value, b = parse_prefix(prefix)
    assert b == bits
    base = value << (48 - bits)
    span = 1 << (48 - bits)
    out = []
    for v in (base, base + span // 2 + 0x1234 % (span // 2), base + span - 1):
        h = f"{v:012x}"
        out.append(":".join(h[i : i + 2] for i in range(0, 12, 2)))
    return out


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


def test_fixture_is_the_research_list() -> None:
    assert len(ROWS) == 2833
    counts: Dict[str, int] = {}
    for r in ROWS:
        counts[r["vendor_key"]] = counts.get(r["vendor_key"], 0) + 1
    assert counts["hikvision"] == 107 and counts["dahua"] == 40 and counts["huawei"] == 2090
    assert counts["zte"] == 509 and counts["hytera"] == 2


def test_every_named_entity_prefix_classifies_to_its_vendor(classifier: Classifier) -> None:
    checked = 0
    failures = []
    for r in ROWS:
        if r["vendor_key"] not in NAMED_ENTITIES:
            continue
        bits = int(r["length_bits"])
        for mac in _macs_in(r["prefix"], bits):
            v = classifier.classify(mac)
            if r["registry"] == "CID":
                # Every address of an IEEE CID is locally administered: never looked up, by design.
                ok = v.status == "local" and v.vendor_key is None
            else:
                ok = (
                    v.vendor_key == r["vendor_key"]
                    and v.status == r["status"]
                    and v.restricted
                    and v.prefix_bits == bits
                    and v.source == "policy"
                    and v.registry_org == r["org"]
                )
            checked += 1
            if not ok:
                failures.append((r["prefix"], r["org"], mac, v))
    assert not failures, failures[:5]
    assert checked == 3 * sum(1 for r in ROWS if r["vendor_key"] in NAMED_ENTITIES)


def test_named_entity_prefixes_also_classify_in_bulk(classifier: Classifier) -> None:
    rows = [r for r in ROWS if r["vendor_key"] in NAMED_ENTITIES and r["registry"] != "CID"]
    macs = [m for r in rows for m in _macs_in(r["prefix"], int(r["length_bits"]))]
    result = classifier.classify_many(macs)
    assert not result.errors
    got = [(m.vendor_key, m.status) for m in result.matches]  # type: ignore[union-attr]
    want = [(r["vendor_key"], r["status"]) for r in rows for _k in range(3)]
    assert got == want


def test_prc_cctv_prefixes_are_opt_in() -> None:
    rows = [r for r in ROWS if r["vendor_key"] in PRC_CCTV and r["org"] != "Milesight Taiwan"]
    assert len(rows) == 20
    off = Classifier()
    on = Classifier.build(profiles=["prc_cctv"])
    for r in rows:
        mac = _macs_in(r["prefix"], int(r["length_bits"]))[1]
        v_off, v_on = off.classify(mac), on.classify(mac)
        assert (v_off.status, v_off.vendor_key, v_off.restricted) == ("unrestricted", r["vendor_key"], False)
        assert (v_on.status, v_on.vendor_key, v_on.restricted) == ("other_prc_cctv", r["vendor_key"], True)
        assert v_on.basis == ("uk_wms_2022_11_24",)


def test_decided_exclusions_are_not_restricted(classifier: Classifier) -> None:
    honor = [r for r in ROWS if r["vendor_key"] == "honor"]
    assert len(honor) == 64
    on = Classifier.build(profiles=["prc_cctv"])
    for r in [*honor, *(r for r in ROWS if r["org"] == "Milesight Taiwan")]:
        mac = _macs_in(r["prefix"], int(r["length_bits"]))[1]
        assert not classifier.classify(mac).restricted
        assert not on.classify(mac).restricted


LOOK_ALIKES = {
    # registry prefix: organisation (real assignments, from the IEEE registry)
    "40:2C:76:10:00:00/28": "Shanghai Dahua Scale Factory",
    "20:5A:8F": "Shenzhen Hikeen Technology Co.,LTD",
    "7C:82:74": "Shenzhen Hikeen Technology CO.,LTD",
    "00:08:C4": "Hikari Co.,Ltd.",
    "54:CE:69": "Hikari Trading Co.,Ltd.",
    "8C:1F:64:16:60:00/36": "Hikari Alphax Inc.",
    "00:41:B4": "Wuxi Zhongxing Optoelectronics Technology Co.,Ltd.",
    "F8:EF:B1": "Hangzhou Zhongxinghui Intelligent Technology Co., Ltd.",
    "00:50:C2:F7:D0:00/36": "D-Hike Electroncs Technology Co.,Ltd",
}


@pytest.mark.parametrize("prefix,org", sorted(LOOK_ALIKES.items()))
def test_look_alike_organisations_are_not_restricted(prefix: str, org: str) -> None:
    value, bits = parse_prefix(prefix)
    registry = Registry.from_entries([(value, bits, org)], "look-alikes")
    c = Classifier.build(registry=registry, profiles=["prc_cctv"])
    assert c.drift_rules == []  # the org patterns do not match the look-alike
    assert shipped_policy().match_org(org) is None
    mac_int = (value << (48 - bits)) | 0x42
    h = f"{mac_int:012x}"
    v = c.classify(h)
    assert v.status == "unrestricted" and not v.restricted
    assert v.vendor_name == org and v.source == "registry"


# A broad sample of other makers, by real MA-L prefix (network gear, cameras, phones, PCs).
OTHER_VENDORS = {
    "00:00:0c": "Cisco",
    "00:1c:73": "Arista",
    "00:05:85": "Juniper",
    "00:40:8c": "Axis",
    "ac:cc:8e": "Axis",
    "00:07:5f": "Bosch",
    "00:09:18": "Hanwha / Samsung Techwin",
    "00:80:f0": "Panasonic",
    "00:0f:7c": "ACTi",
    "00:02:d1": "Vivotek",
    "9c:8e:cd": "Amcrest",
    "00:1b:21": "Intel",
    "f0:18:98": "Apple",
    "00:14:22": "Dell",
    "24:a4:3c": "Ubiquiti",
    "00:1a:1e": "Aruba",
    "00:04:96": "Extreme",
    "00:e0:52": "Brocade/Ruckus",
    "00:50:56": "VMware",
    "b8:27:eb": "Raspberry Pi",
    "00:a3:07": "Honor",
    "ec:b5:fa": "Philips Hue",
}


@pytest.mark.parametrize("oui,maker", sorted(OTHER_VENDORS.items()))
def test_other_vendors_are_not_restricted(classifier: Classifier, oui: str, maker: str) -> None:
    v = classifier.classify(oui + ":12:34:56")
    assert not v.restricted, (maker, v)
    assert v.vendor_key is None


def test_broad_registry_sample_is_not_restricted() -> None:
    """Every 25th registry block whose organisation no pattern matches stays unrestricted."""
    reg = Registry.from_pymanuf()
    policy = shipped_policy()
    c = Classifier(registry=reg)
    sample = []
    for i, (value, bits, org) in enumerate(reg.entries()):
        if i % 25 or (value >> (bits - 8)) & 3 or policy.match_org(org):
            continue
        sample.append((value, bits, org))
    assert len(sample) > 1500
    for value, bits, org in sample:
        v = c.classify(f"{(value << (48 - bits)) | 1:012x}")
        assert not v.restricted, (org, v)
