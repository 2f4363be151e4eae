# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Aruba AOS-CX parsers over every recorded ``aruba_aoscx`` case, plus authored samples for the
commands the public fixtures do not cover (MAC table, ARP, interface brief, LACP), and robustness
properties. ProCurve / AOS-Switch lives in ``test_procurve.py``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_multi as H

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import aruba as A
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

P = "aruba_aoscx"
CASES = H.load_cases([P])
DECLARED, NOT_USED = H.load_differences(P)

Built = Tuple[H.Parser, Dict[str, str], List[Dict[str, Any]]]


def build(case: H.Case) -> Built:
    key = (case.source, case.category)
    raw = case.raw[0].read_text(encoding="utf-8")
    if key == ("ntc-templates", "lldp"):
        exp = [
            {
                "local_interface": H.n_if(r["local_interface"], P),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_port_id"],
                "capabilities": H.n_caps(r["capabilities"]),
                "remote_mac": H.n_mac_opt(r["chassis_id"]),
            }
            for r in case.read_expected()["parsed_sample"]
        ]
        return A.parse_cx_neighbors, {A.CX_LLDP: raw}, exp
    raise AssertionError(f"no test builder for {case.case_id} ({key}); add one or list it under not_used")


TESTED = sorted(c for c in CASES if c not in NOT_USED)


def test_every_recorded_case_is_tested_or_explained() -> None:
    assert len(CASES) >= 2, "the MANIFEST should hold the aruba_aoscx cases"
    stale = sorted(set(NOT_USED) - set(CASES)) + sorted(set(DECLARED) - set(CASES))
    assert not stale, f"differences_{P}.yml names cases that do not exist: {stale}"


@pytest.mark.parametrize("case_id", TESTED)
def test_recorded_case(case_id: str, update_golden: bool) -> None:
    parser, outputs, expected = build(CASES[case_id])
    result = parser(outputs, "sw-cx")
    H.check_golden(P, case_id, H.result_doc(result), update_golden)
    H.check_upstream(case_id, H.compare([r.to_dict() for r in result.records], expected), DECLARED)


# --------------------------------------------------------------------------------------------
# Authored samples: NOT recorded from a device. Written from the AOS-CX 10.x CLI formats
# (the public fixture sets hold no AOS-CX MAC table, ARP, interface brief or LACP output).
# --------------------------------------------------------------------------------------------

AUTHORED_MAC = """\
sw-cx-01# show mac-address-table
MAC age-time            : 300 seconds
Number of MAC addresses : 6

MAC Address          VLAN     Type                      Port
--------------------------------------------------------------
4c:bd:8f:00:00:01    110      dynamic                   1/1/5
a4:14:37:00:00:02    110      port-access-security      1/1/6
00:50:56:aa:bb:cc    1        static                    lag1
08:ed:ed:00:00:03    1        dynamic                   2/1/48
this is not a row
zz:bd:8f:00:00:01    110      dynamic                   1/1/7
"""


def test_authored_mac_table(update_golden: bool) -> None:
    res = A.parse_cx_mac_table({A.CX_MAC: AUTHORED_MAC.replace("\n", "\r\n")}, "sw-cx-01")
    got = {(r.mac, r.vlan, r.interface, r.kind, r.static) for r in res.records}
    assert got == {
        ("4c:bd:8f:00:00:01", 110, "1/1/5", "dynamic", False),
        ("a4:14:37:00:00:02", 110, "1/1/6", "secure", True),
        ("00:50:56:aa:bb:cc", 1, "lag1", "static", True),
        ("08:ed:ed:00:00:03", 1, "2/1/48", "dynamic", False),  # second VSF member
    }
    assert res.skipped == 2
    H.check_golden(P, "authored__mac_table", H.result_doc(res), update_golden)


AUTHORED_ARP = """\
IPv4 Address     MAC                Port         Physical Port                                     State     VRF
---------------------------------------------------------------------------------------------------------------------
10.10.110.21     4c:bd:8f:00:00:01  vlan110      1/1/5                                             reachable default
10.10.110.22     a4:14:37:00:00:02  vlan110      lag1                                              stale     default
10.0.0.1         00:50:56:aa:bb:cc  1/1/52                                                         reachable mgmt

Total Number Of ARP Entries Listed: 3.
---------------------------------------------------------------------------------------------------------------------
"""


def test_authored_arp() -> None:
    res = A.parse_cx_arp({A.CX_ARP: AUTHORED_ARP}, "sw1")
    assert [(a.ip, a.mac, a.interface, a.vrf) for a in res.records] == [
        ("10.10.110.21", "4c:bd:8f:00:00:01", "1/1/5", "default"),
        ("10.10.110.22", "a4:14:37:00:00:02", "lag1", "default"),
        ("10.0.0.1", "00:50:56:aa:bb:cc", "1/1/52", "mgmt"),
    ]
    assert res.skipped == 0


AUTHORED_BRIEF = """\
--------------------------------------------------------------------------------------------------------
Port      Native  Mode   Type           Enabled Status  Reason                  Speed   Description
          VLAN                                                                  (Mb/s)
--------------------------------------------------------------------------------------------------------
1/1/5     110     access 1GbT           yes     up                              1000    camera door 3
1/1/6     110     access 1GbT           no      down    Administratively down   --      --
1/1/49    1       trunk  SFP+DA3        yes     up                              10000   --
1/1/50    1       trunk  SFP+DA3        yes     up                              10000   --
1/1/51    --      routed --             yes     down    No XCVR installed       --      to router
lag1      1       trunk  --             yes     up                              20000   uplink core
"""
AUTHORED_LACP = """\
Aggregate name   : lag1
Interfaces       : 1/1/49 1/1/50
Heartbeat rate   : Slow
Hash             : l3-src-dst
Aggregate mode   : Active
"""


def test_authored_ports_lag_never_access(update_golden: bool) -> None:
    res = A.parse_cx_ports({A.CX_BRIEF: AUTHORED_BRIEF, A.CX_LACP: AUTHORED_LACP}, "sw1")
    ports = {p.name: p for p in res.records}
    cam = ports["1/1/5"]
    assert (cam.mode, cam.access_vlan, cam.description, cam.enabled) == ("access", 110, "camera door 3", True)
    assert ports["1/1/6"].enabled is False and ports["1/1/6"].description == ""
    assert ports["1/1/51"].mode == "routed" and ports["1/1/51"].description == "to router"
    for m in ("1/1/49", "1/1/50"):
        assert ports[m].lag == "lag1" and ports[m].mode != "access"
    assert ports["lag1"].is_lag and ports["lag1"].mode == "trunk" and ports["lag1"].description == "uplink core"
    assert res.skipped == 0
    H.check_golden(P, "authored__ports", H.result_doc(res), update_golden)


@pytest.mark.parametrize(
    ("command", "parser"),
    [
        (A.CX_MAC, A.parse_cx_mac_table),
        (A.CX_ARP, A.parse_cx_arp),
        (A.CX_LLDP, A.parse_cx_neighbors),
        (A.CX_BRIEF, A.parse_cx_ports),
    ],
)
def test_device_error_names_switch_and_command(command: str, parser: H.Parser) -> None:
    with pytest.raises(DeviceError) as exc:
        parser({command: "Invalid input: bogus\n"}, "cx-access-9")
    assert exc.value.switch == "cx-access-9" and exc.value.command == command
    assert "cx-access-9" in str(exc.value) and command in str(exc.value)


def test_unrecognised_lldp_output_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        A.parse_cx_neighbors({A.CX_LLDP: "some banner\nwith nothing in it\n"}, "sw1")


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------

PARSERS: List[Tuple[str, Callable[..., Any]]] = [
    (A.CX_MAC, A.parse_cx_mac_table),
    (A.CX_ARP, A.parse_cx_arp),
    (A.CX_LLDP, A.parse_cx_neighbors),
    (A.CX_BRIEF, A.parse_cx_ports),
    (A.CX_LACP, A.parse_cx_ports),
]
SAMPLES: List[Tuple[str, H.Parser, str]] = [
    (A.CX_MAC, A.parse_cx_mac_table, AUTHORED_MAC),
    (A.CX_ARP, A.parse_cx_arp, AUTHORED_ARP),
    (A.CX_BRIEF, A.parse_cx_ports, AUTHORED_BRIEF),
    (A.CX_LACP, A.parse_cx_ports, AUTHORED_LACP),
]
for _cid in TESTED:
    _parser, _outputs, _unused = build(CASES[_cid])
    SAMPLES.extend((_cmd, _parser, _text) for _cmd, _text in _outputs.items())


@settings(max_examples=H.FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PARSERS), st.text(max_size=400))
def test_random_text_never_crashes(pair: Tuple[str, H.Parser], text: str) -> None:
    H.assert_only_expected_errors(pair[1], {pair[0]: text})


@settings(max_examples=H.FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=12))
def test_mutated_real_outputs_never_crash(sample: Tuple[str, H.Parser, str], seed: int, rounds: int) -> None:
    command, parser, text = sample
    H.assert_only_expected_errors(parser, {command: H.mutate(text, random.Random(seed), rounds)})
