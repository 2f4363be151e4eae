# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property test: device output is untrusted, so no text - random, or a real recorded output
mangled at random - may make a Cisco parser raise anything but ParseError / DeviceError, and
every record it does return must satisfy the data contract.

``CAMGUARD_FUZZ_EXAMPLES`` raises the number of examples (nightly runs); default 200.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_cisco as H

from ansible_collections.camguard.network.plugins.module_utils._collect import napalm as _napalm
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import cisco as _parse_cisco
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParseResult
from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    DeviceError,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
)

EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))
RECORDED = Path(__file__).resolve().parents[5] / "fixtures" / "recorded"
SEEDS: List[str] = []
for _case in H.discover(RECORDED):
    if (_case.source, _case.command) in H.COMMAND_MAP and not _case.case_id.startswith("napalm/nxos/"):
        try:
            SEEDS.append(_case.raw_text()[:6000])
        except AssertionError:
            continue
assert SEEDS, "no recorded Cisco outputs to mutate"

GETTERS = ("mac_table", "arp", "neighbors", "ports")
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _parser(platform: str, getter: str) -> Callable[[Mapping[str, str], str], ParseResult[Any]]:
    spec = _parse_cisco.SPECS[platform]
    return {
        "mac_table": spec.parse_mac_table,
        "arp": spec.parse_arp,
        "neighbors": spec.parse_neighbors,
        "ports": spec.parse_ports,
    }[getter]


def _check_record(rec: Any) -> None:
    if isinstance(rec, MacEntry):
        assert len(rec.mac) == 17 and rec.mac == rec.mac.lower()
        assert rec.vlan is None or 1 <= rec.vlan <= 4094
        assert rec.kind in ("dynamic", "static", "secure", "self")
        assert (rec.interface == "") == (rec.kind == "self")
    elif isinstance(rec, ArpEntry):
        assert len(rec.mac) == 17
    elif isinstance(rec, Neighbor):
        assert rec.remote_name and rec.local_interface
        assert set(rec.capabilities) <= {"bridge", "router", "station", "phone", "wlan", "other"}
    elif isinstance(rec, PortInfo):
        assert rec.mode in ("access", "trunk", "routed", "unknown")
    else:  # pragma: no cover - a new record type must be added here
        raise AssertionError(type(rec))


def _run_all(text: str) -> None:
    for platform in ("cisco_ios", "cisco_nxos"):
        spec = _parse_cisco.SPECS[platform]
        for getter in GETTERS:
            for cmd in spec.commands[getter]:
                try:
                    result = _parser(platform, getter)({cmd: text}, "fuzz-sw")
                except (ParseError, DeviceError):
                    continue
                assert result.skipped >= 0
                for rec in result.records:
                    _check_record(rec)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _unused in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(("drop", "dup", "swap", "junk", "cut", "crlf", "indent")))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "junk":
            lines.insert(i, draw(st.text(max_size=60)))
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        elif op == "crlf":
            lines[i] = lines[i] + "\r"
        else:
            lines[i] = "   " + lines[i]
    return "\n".join(lines)


@SETTINGS
@given(st.text(max_size=400))
def test_random_text_never_crashes(text: str) -> None:
    _run_all(text)


@SETTINGS
@given(mutated())
def test_mutated_real_outputs_never_crash(text: str) -> None:
    _run_all(text)


@SETTINGS
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(("mac", "interface", "vlan", "static", "ip", "remote_system_name", "remote_port")),
            st.one_of(st.text(max_size=20), st.integers(-5, 5000), st.booleans(), st.none()),
        ),
        max_size=8,
    )
)
def test_napalm_converters_never_crash(rows: List[Dict[str, Any]]) -> None:
    for platform in ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"):
        for rec in _napalm.mac_table_from_napalm(rows, platform, "fuzz-sw").records:
            _check_record(rec)
        for rec in _napalm.arp_from_napalm(rows, platform).records:
            _check_record(rec)
        for rec in _napalm.neighbors_from_napalm({"Ethernet1": rows}, platform).records:
            _check_record(rec)


@pytest.mark.parametrize("platform", ["cisco_ios", "cisco_nxos"])
def test_interface_names_from_clean_outputs_are_safe(platform: str) -> None:
    """Names our parsers return from the recorded outputs pass the template validator."""
    bad = []
    for case in H.discover(RECORDED):
        if (case.source, case.command) not in H.COMMAND_MAP or case.platform != platform:
            continue
        if case.case_id.startswith("napalm/nxos/"):
            continue
        from test_cisco import parse_case

        for rec in parse_case(case).records:
            for name in (getattr(rec, "interface", None), getattr(rec, "name", None)):
                if name and not is_safe_interface(name):
                    bad.append((case.case_id, name))
    assert not bad, bad[:10]
