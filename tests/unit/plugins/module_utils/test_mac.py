from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._mac import (
    int_to_mac,
    is_local_or_multicast,
    is_mac,
    mac_to_int,
    normalize_mac,
    to_cisco,
    to_hp,
    to_huawei,
)
from ansible_collections.camguard.network.plugins.module_utils._records import InvalidMacError

EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "300"))


@pytest.mark.parametrize(
    "spelling",
    [
        "bcad.2801.0203",
        "BCAD.2801.0203",
        "bc:ad:28:01:02:03",
        "BC:AD:28:01:02:03",
        "bc-ad-28-01-02-03",
        "bcad28-010203",
        "BCAD28010203",
        " bc:ad:28:01:02:03\t",
        "bc:ad:28:1:2:3",
    ],
)
def test_every_switch_spelling_normalises(spelling: str) -> None:
    assert normalize_mac(spelling) == "bc:ad:28:01:02:03"


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("", "empty"),
        ("bc:ad:28:01:02", "not a MAC"),
        ("bc:ad:28:01:02:03:04", "not a MAC"),
        ("zz:ad:28:01:02:03", "not hex"),
        ("bcad.2801.02034", "not a MAC"),
        ("bc:ad-28:01:02:03", "not a MAC"),
        ("bc:ad:28:01:02:03\nshutdown", "not hex"),
        ("x" * 100, "too long"),
    ],
)
def test_rejects_with_reason(bad: str, reason: str) -> None:
    with pytest.raises(InvalidMacError) as e:
        normalize_mac(bad)
    assert repr(bad)[:20] in str(e.value) or "invalid MAC" in str(e.value)
    assert reason.split()[0] in str(e.value) or "not a MAC" in str(e.value)


def test_non_string_rejected() -> None:
    with pytest.raises(InvalidMacError, match="expected a string"):
        normalize_mac(12345)  # type: ignore[arg-type]
    assert not is_mac(None)


def test_local_and_multicast_bits() -> None:
    assert is_local_or_multicast(mac_to_int("02:00:00:00:00:01"))
    assert is_local_or_multicast(mac_to_int("01:00:5e:00:00:01"))
    assert is_local_or_multicast(mac_to_int("3a:72:c2:00:00:01"))  # IEEE CID (Huawei) lives here
    assert not is_local_or_multicast(mac_to_int("bc:ad:28:00:00:01"))


def test_vendor_spellings() -> None:
    assert to_cisco("bc:ad:28:01:02:03") == "bcad.2801.0203"
    assert to_hp("bc:ad:28:01:02:03") == "bcad28-010203"
    assert to_huawei("bc:ad:28:01:02:03") == "bcad-2801-0203"


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=0, max_value=(1 << 48) - 1))
def test_roundtrip_all_spellings(n: int) -> None:
    canon = int_to_mac(n)
    for s in (canon, canon.upper(), canon.replace(":", "-"), to_cisco(canon), to_hp(canon), canon.replace(":", "")):
        assert mac_to_int(s) == n


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=40))
def test_any_string_parses_or_raises_invalid_mac(s: str) -> None:
    try:
        out = normalize_mac(s)
    except InvalidMacError:
        return
    assert len(out) == 17 and out == out.lower()


def test_huawei_comware_spelling() -> None:
    assert normalize_mac("bcad-2801-0203") == "bc:ad:28:01:02:03"
    assert normalize_mac(to_huawei("bc:ad:28:01:02:03")) == "bc:ad:28:01:02:03"
    with pytest.raises(InvalidMacError):
        normalize_mac("bcad-2801.0203")
