# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waivers: expiry with a fixed clock, MAC and port matching, errors naming file, entry and key."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._classify.waivers import (
    WaiverSet,
    load_waivers,
    load_waivers_file,
    port_key,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import PolicyError

DOC = """\
waivers:
  - mac: BCAD.2812.3456
    owner: facilities@example.org
    reason: Lift-lobby camera, replacement ordered
    ticket: CHG-1042
    expires: 2027-03-31
  - switch: sw-lobby-01
    interface: Gi1/0/12
    platform: cisco_ios
    owner: ot-team
    reason: Line camera on the packing PLC
    ticket: CHG-2001
    expires: "2026-12-01"
  - mac: bc:ad:28:12:34:56
    owner: facilities@example.org
    reason: earlier waiver for the same camera
    ticket: CHG-0999
    expires: 2026-01-31
"""
D = datetime.date


@pytest.fixture
def waivers(tmp_path: Path) -> WaiverSet:
    f = tmp_path / "waivers.yml"
    f.write_text(DOC, encoding="utf-8")
    return load_waivers_file(str(f))


def test_records_are_normalised(waivers: WaiverSet) -> None:
    first = waivers.waivers[0]
    assert (first.mac, first.expires, first.ticket, first.expired) == (
        "bc:ad:28:12:34:56",
        "2027-03-31",
        "CHG-1042",
        False,
    )
    port = waivers.waivers[1]
    assert (port.switch, port.interface, port.mac) == ("sw-lobby-01", "GigabitEthernet1/0/12", None)


def test_expiry_is_inclusive_and_the_latest_waiver_wins(waivers: WaiverSet) -> None:
    mac = mac_to_int("bc:ad:28:12:34:56")
    w = waivers.find(mac, today=D(2027, 3, 31))
    assert w is not None and w.ticket == "CHG-1042" and not w.expired
    w = waivers.find(mac, today=D(2027, 4, 1))
    assert w is not None and w.ticket == "CHG-1042" and w.expired
    assert waivers.find(mac_to_int("bc:ad:28:12:34:57"), today=D(2026, 1, 1)) is None


@pytest.mark.parametrize(
    "switch,iface", [("sw-lobby-01", "Gi1/0/12"), ("SW-LOBBY-01", "GigabitEthernet1/0/12"), ("sw-lobby-01", "gi1/0/12")]
)
def test_port_waiver_matches_any_spelling(waivers: WaiverSet, switch: str, iface: str) -> None:
    w = waivers.find(mac_to_int("3c:ef:8c:00:00:01"), switch, iface, today=D(2026, 12, 1))
    assert w is not None and w.ticket == "CHG-2001" and not w.expired
    expired = waivers.find(mac_to_int("3c:ef:8c:00:00:01"), switch, iface, today=D(2026, 12, 2))
    assert expired is not None and expired.expired


def test_port_waiver_does_not_cover_other_ports(waivers: WaiverSet) -> None:
    assert waivers.find(mac_to_int("3c:ef:8c:00:00:01"), "sw-lobby-01", "Gi1/0/13", today=D(2026, 1, 1)) is None
    assert waivers.find(mac_to_int("3c:ef:8c:00:00:01"), "sw-lobby-02", "Gi1/0/12", today=D(2026, 1, 1)) is None


def test_expired_list(waivers: WaiverSet) -> None:
    assert [w.ticket for w in waivers.expired(D(2026, 12, 2))] == ["CHG-2001", "CHG-0999"]
    assert all(w.expired for w in waivers.expired(D(2026, 12, 2)))


def test_a_plain_list_and_empty_documents() -> None:
    assert len(load_waivers(yaml.safe_load(DOC)["waivers"])) == 3
    assert len(load_waivers(None)) == 0
    assert len(load_waivers({"waivers": []})) == 0


@pytest.mark.parametrize(
    "entry,message",
    [
        (
            {"mac": "bc:ad:28:12:34:56", "reason": "r", "ticket": "t", "expires": "2027-01-01"},
            "entry 0: key 'owner': required",
        ),
        (
            {"mac": "bc:ad:28:12:34:56", "owner": "o", "reason": "r", "ticket": "t", "expires": "31/01/2027"},
            "entry 0: key 'expires': expected a date YYYY-MM-DD, got '31/01/2027'",
        ),
        (
            {"mac": "bc:ad:28:12:34:56", "owner": "o", "reason": "r", "ticket": "t", "expires": "2027-02-30"},
            "entry 0: key 'expires': expected a date",
        ),
        (
            {
                "mac": "bc:ad:28:12:34:56",
                "owner": "o",
                "reason": "r",
                "ticket": "t",
                "expires": datetime.datetime(2027, 1, 1, 10, 0),
            },
            "got a date and time",
        ),
        (
            {"mac": "camera-7", "owner": "o", "reason": "r", "ticket": "t", "expires": "2027-01-01"},
            "entry 0: key 'mac': invalid MAC address 'camera-7'",
        ),
        ({"owner": "o", "reason": "r", "ticket": "t", "expires": "2027-01-01"}, "entry 0: key 'switch': required"),
        (
            {"switch": "sw1", "owner": "o", "reason": "r", "ticket": "t", "expires": "2027-01-01"},
            "entry 0: key 'interface': required",
        ),
        (
            {
                "switch": "sw1",
                "interface": "Gi1/0/1\nshutdown",
                "owner": "o",
                "reason": "r",
                "ticket": "t",
                "expires": "2027-01-01",
            },
            "entry 0: key 'interface': 'Gi1/0/1\\nshutdown' is not a valid interface name",
        ),
        (
            {
                "mac": "bc:ad:28:12:34:56",
                "switch": "sw1",
                "interface": "Gi1/0/1",
                "owner": "o",
                "reason": "r",
                "ticket": "t",
                "expires": "2027-01-01",
            },
            "entry 0: key 'mac': give either mac or switch + interface",
        ),
        (
            {"mac": "bc:ad:28:12:34:56", "owner": ["o"], "reason": "r", "ticket": "t", "expires": "2027-01-01"},
            "entry 0: key 'owner': expected a string, got list",
        ),
        (
            {
                "mac": "bc:ad:28:12:34:56",
                "owner": "o",
                "reason": "r",
                "ticket": "t",
                "expires": "2027-01-01",
                "until": "x",
            },
            "entry 0: key 'until': unknown key",
        ),
        ("bc:ad:28:12:34:56", "entry 0: expected a mapping, got str"),
    ],
)
def test_malformed_entries_name_file_entry_and_key(entry: Any, message: str) -> None:
    with pytest.raises(PolicyError) as e:
        load_waivers([entry], "waivers.yml")
    assert str(e.value).startswith("waivers.yml: ") and message in str(e.value)


def test_error_names_the_entry_index() -> None:
    good = {"mac": "bc:ad:28:12:34:56", "owner": "o", "reason": "r", "ticket": "t", "expires": "2027-01-01"}
    with pytest.raises(PolicyError, match=r"^w.yml: entry 2: key 'ticket': required$"):
        load_waivers([good, good, {**good, "ticket": ""}], "w.yml")


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read waiver file"):
        load_waivers_file(str(tmp_path / "none.yml"))
    f = tmp_path / "w.yml"
    f.write_text("waivers: [\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"w.yml: not valid YAML"):
        load_waivers_file(str(f))
    f.write_text("exceptions: []\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"w.yml: exceptions: unknown top-level key"):
        load_waivers_file(str(f))
    f.write_text("42\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"w.yml: \(top level\): expected a list of waivers, got int"):
        load_waivers_file(str(f))


def test_port_key() -> None:
    assert port_key("SW1", "GigabitEthernet1/0/5") == port_key("sw1", "Gi1/0/5") == ("sw1", "gi1/0/5")
    assert port_key("leaf1", "Ethernet1", "arista_eos") == port_key("leaf1", "Et1") == ("leaf1", "et1")


@settings(max_examples=200)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.dates()),
        lambda c: st.one_of(
            st.lists(c, max_size=4),
            st.dictionaries(
                st.sampled_from(["mac", "switch", "interface", "owner", "reason", "ticket", "expires", "waivers", "x"]),
                c,
                max_size=7,
            ),
        ),
        max_leaves=20,
    )
)
def test_any_document_loads_or_raises_policy_error(doc: Any) -> None:
    try:
        ws = load_waivers(doc, "fuzz.yml")
    except PolicyError as e:
        assert str(e).startswith("fuzz.yml: ")
    else:
        for w in ws.waivers:
            assert w.owner and w.reason and w.ticket and w.expires
