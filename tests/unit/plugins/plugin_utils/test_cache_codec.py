# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compact cache form of collected switch data: exact round trip, clear rejection of damage."""

from __future__ import annotations

import dataclasses
import gc
import json
from typing import Any, Callable, Dict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    MacEntry,
    Neighbor,
    PortInfo,
    SwitchData,
)
from ansible_collections.camguard.network.plugins.plugin_utils._cache_codec import (
    RECORDS,
    CacheFormatError,
    decode,
    encode,
    gc_paused,
)


def full_switch() -> SwitchData:
    """Every field of every record set, optional ones both present and absent."""
    return SwitchData(
        switch="sw-01.example.net",
        platform="cisco_ios",
        macs=[
            MacEntry("bc:ad:28:00:00:01", 10, "GigabitEthernet1/0/3", switch="sw-01.example.net"),
            MacEntry("00:1e:bd:00:00:01", None, "", static=True, switch="sw-01.example.net", kind="self"),
            MacEntry("00:50:56:00:00:09", None, "Port-channel1", kind="secure", vlan_name="cameras"),
            MacEntry("00:50:56:00:00:0a", 4094, "GigabitEthernet1/0/4", static=True, switch="other", kind="static"),
        ],
        arp=[
            ArpEntry("10.66.10.11", "bc:ad:28:00:00:01", "Vlan10"),
            ArpEntry("2001:db8::11", "00:50:56:00:00:09", "", vrf="mgmt"),
        ],
        neighbors=[
            Neighbor("GigabitEthernet1/0/48", "sw-02", "Gi1/0/48", ("bridge", "router"), "cdp", "00:1e:bd:00:00:02"),
            Neighbor("GigabitEthernet1/0/6", "DS-7608NI-K2"),
        ],
        ports=[
            PortInfo("GigabitEthernet1/0/3", "access", 10, 'desk "3" \\ caf\u00e9 \u2603', True),
            PortInfo("GigabitEthernet1/0/48", "trunk", None, "", False, "Port-channel1", False, (10, 20, 30)),
            PortInfo("Port-channel1", "trunk", is_lag=True, trunk_vlans=(1,)),
            PortInfo("Vlan10", "routed"),
        ],
        own_macs=["00:1e:bd:00:00:01"],
        skipped_rows=3,
        warnings=["skipped a junk row", "ü"],
    )


def round_trip(switches: Dict[str, SwitchData]) -> Any:
    return decode(encode(switches, {"down": "sw: connection refused"}, {"sw-01.example.net": 1.25}, 61.5))


def test_record_fields_are_exactly_the_dataclass_fields() -> None:
    for key, (cls, fields) in RECORDS.items():
        assert [f[0] for f in fields] == [f.name for f in dataclasses.fields(cls)], key


def test_round_trip_keeps_every_field_and_type() -> None:
    sd = full_switch()
    empty = SwitchData(switch="sw-empty", platform="linux_bridge")
    switches, unreachable, timings, poll_seconds = round_trip({sd.switch: sd, "sw-empty": empty})
    assert list(switches) == [sd.switch, "sw-empty"]
    back = switches[sd.switch]
    assert back == sd
    assert back.to_dict() == sd.to_dict()
    assert switches["sw-empty"] == empty
    assert unreachable == {"down": "sw: connection refused"}
    assert timings == {"sw-01.example.net": 1.25}
    assert poll_seconds == 61.5
    # tuple fields come back as tuples, records stay frozen and hashable like freshly built ones
    assert back.neighbors[0].capabilities == ("bridge", "router") and isinstance(back.neighbors[0].capabilities, tuple)
    assert back.ports[1].trunk_vlans == (10, 20, 30) and isinstance(back.ports[1].trunk_vlans, tuple)
    assert {hash(m) for m in back.macs} == {hash(m) for m in sd.macs}
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.macs[0].mac = "00:00:00:00:00:00"  # type: ignore[misc]
    assert repr(back.ports[0]) == repr(sd.ports[0])


def test_same_records_as_the_dict_form() -> None:
    sd = full_switch()
    assert round_trip({sd.switch: sd})[0][sd.switch] == SwitchData.from_dict(sd.to_dict())


_text = st.text(max_size=12)
_opt_text = st.none() | _text
_vlan = st.none() | st.integers(min_value=-(2**40), max_value=2**40)

_switch_data = st.builds(
    SwitchData,
    switch=st.text(min_size=1, max_size=8),
    platform=_text,
    macs=st.lists(
        st.builds(MacEntry, _text, _vlan, _text, st.booleans(), _text, _text, _opt_text),
        max_size=6,
    ),
    arp=st.lists(st.builds(ArpEntry, _text, _text, _text, _text), max_size=4),
    neighbors=st.lists(
        st.builds(Neighbor, _text, _text, _text, st.lists(_text, max_size=3).map(tuple), _text, _opt_text),
        max_size=3,
    ),
    ports=st.lists(
        st.builds(
            PortInfo,
            _text,
            _text,
            _vlan,
            _text,
            st.booleans(),
            _opt_text,
            st.booleans(),
            st.lists(st.integers(min_value=1, max_value=4094), max_size=4).map(tuple),
        ),
        max_size=5,
    ),
    own_macs=st.lists(_text, max_size=2),
    skipped_rows=st.integers(min_value=0, max_value=10**6),
    warnings=st.lists(_text, max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_switch_data, max_size=3))
def test_round_trip_property(data: list) -> None:
    switches = {sd.switch: sd for sd in data}
    assert round_trip(switches)[0] == switches


# --------------------------------------------------------------------------- damage


def _doc() -> Dict[str, Any]:
    sd = full_switch()
    return json.loads(encode({sd.switch: sd}, {}, {}, 1.0))


def _sw(doc: Dict[str, Any]) -> Dict[str, Any]:
    return doc["switches"]["sw-01.example.net"]


def _set(path: Callable[[Dict[str, Any]], None]) -> str:
    doc = _doc()
    path(doc)
    return json.dumps(doc)


DAMAGE = [
    ("not json", lambda: '{"fields": ', r"data: not valid JSON"),
    ("truncated", lambda: json.dumps(_doc())[:-40], r"data: not valid JSON"),
    ("a list", lambda: "[]", r"data: expected a mapping, got list"),
    (
        "other fields",
        lambda: _set(lambda d: d["fields"]["macs"].append("age")),
        r"fields: the entry was written with other record fields",
    ),
    (
        "vlan as text",
        lambda: _set(lambda d: _sw(d)["macs"][1].__setitem__(0, "10")),
        r"switch 'sw-01\.example\.net': macs: column 'vlan' holds str values, expected int or null",
    ),
    (
        "static as int",
        lambda: _set(lambda d: _sw(d)["macs"][3].__setitem__(0, 1)),
        r"switch 'sw-01\.example\.net': macs: column 'static' holds int values, expected bool",
    ),
    (
        "short column",
        lambda: _set(lambda d: _sw(d)["arp"][2].pop()),
        r"switch 'sw-01\.example\.net': arp: column 'interface' has 1 values, expected 2",
    ),
    (
        "missing column",
        lambda: _set(lambda d: _sw(d)["ports"].pop()),
        r"switch 'sw-01\.example\.net': ports: expected 8 columns \(name, mode, ",
    ),
    (
        "column not a list",
        lambda: _set(lambda d: _sw(d)["neighbors"].__setitem__(1, "sw-02")),
        r"switch 'sw-01\.example\.net': neighbors: column 'remote_name' is not a list",
    ),
    (
        "trunk vlans of text",
        lambda: _set(lambda d: _sw(d)["ports"][7].__setitem__(1, ["10"])),
        r"switch 'sw-01\.example\.net': ports: column 'trunk_vlans' holds lists of str, expected int",
    ),
    (
        "missing records",
        lambda: _set(lambda d: _sw(d).pop("arp")),
        r"switch 'sw-01\.example\.net': arp: missing",
    ),
    (
        "unknown key",
        lambda: _set(lambda d: _sw(d).__setitem__("fdb", [])),
        r"switch 'sw-01\.example\.net': unknown key\(s\) fdb",
    ),
    (
        "switch not a mapping",
        lambda: _set(lambda d: d["switches"].__setitem__("sw-01.example.net", [])),
        r"switch 'sw-01\.example\.net': expected a mapping, got list",
    ),
    (
        "skipped rows as text",
        lambda: _set(lambda d: _sw(d).__setitem__("skipped_rows", "3")),
        r"switch 'sw-01\.example\.net': skipped_rows: expected an integer",
    ),
    (
        "own macs not strings",
        lambda: _set(lambda d: _sw(d).__setitem__("own_macs", [1])),
        r"switch 'sw-01\.example\.net': own_macs: expected a list of strings",
    ),
    ("switches a list", lambda: _set(lambda d: d.__setitem__("switches", [])), r"switches: expected a mapping"),
    ("timings", lambda: _set(lambda d: d.__setitem__("timings", {"a": "1"})), r"timings: expected a mapping"),
    ("poll seconds", lambda: _set(lambda d: d.__setitem__("poll_seconds", None)), r"poll_seconds: expected a number"),
    ("deep nesting", lambda: "[" * 100000 + "]" * 100000, r"data: "),
]


@pytest.mark.parametrize("make, message", [(d[1], d[2]) for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_damaged_entry_is_rejected_naming_the_place(make: Callable[[], str], message: str) -> None:
    with pytest.raises(CacheFormatError, match=message):
        decode(make())


def test_not_text_is_rejected() -> None:
    with pytest.raises(CacheFormatError, match=r"data: expected the compact JSON text, got dict"):
        decode({"switches": {}})


def test_gc_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with pytest.raises(CacheFormatError), gc_paused():
        assert not gc.isenabled()
        raise CacheFormatError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()
