# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HPE Aruba ProCurve / AOS-Switch parsers over every recorded ``hp_procurve`` and
``aruba_os_switch`` case (ntc-templates CLI text; napalm-community AOS-Switch REST JSON), plus
authored samples and robustness properties.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_multi as H

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import aruba as A
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

P = "hp_procurve"
CASES = H.load_cases(["hp_procurve", "aruba_os_switch"])
DECLARED, NOT_USED = H.load_differences(P)

Built = Tuple[H.Parser, Dict[str, str], List[Dict[str, Any]]]


def _ntc(case: H.Case) -> List[Dict[str, Any]]:
    return list(case.read_expected()["parsed_sample"] or [])


def _split_port(port: str) -> Tuple[str, Optional[str]]:
    """``1/28-Trk1`` -> (``1/28``, ``Trk1``); a truncated ``1/51-...`` has no usable trunk name."""
    name, _unused, trk = port.partition("-")
    return H.n_if(name, P), (H.n_if(trk, P) if trk.startswith("Trk") else None)


def _rest(case: H.Case, collection: str) -> str:
    """The napalm-community mock wraps each REST answer as {url: {status, data}}: unwrap ``data``."""
    facts = json.loads(case.raw_named("facts.json").read_text(encoding="utf-8"))
    return json.dumps(facts[collection]["data"])


def build(case: H.Case) -> Built:
    key = (case.source, case.category)
    raw = case.raw[0].read_text(encoding="utf-8")
    if key == ("ntc-templates", "mac_table"):
        exp = [
            {"mac": H.n_mac(r["mac_address"]), "vlan": H.n_vlan(r["vlan_id"]), "interface": H.n_if(r["port"], P)}
            for r in _ntc(case)
        ]
        return A.parse_pc_mac_table, {A.PC_MAC: raw}, exp
    if key == ("ntc-templates", "arp"):
        exp = [
            {"ip": r["ip_address"], "mac": H.n_mac(r["mac_address"]), "interface": H.n_if(r["port"], P)}
            for r in _ntc(case)
        ]
        return A.parse_pc_arp, {A.PC_ARP: raw}, exp
    if key == ("ntc-templates", "lldp"):
        exp = [
            {
                "local_interface": H.n_if(r["local_interface"], P),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
                "capabilities": H.n_caps(r["capabilities"]),
                "remote_mac": H.n_mac_opt(r["chassis_id"]),
            }
            for r in _ntc(case)
        ]
        return A.parse_pc_neighbors, {A.PC_LLDP: raw}, exp
    if key == ("ntc-templates", "interface_status") and "brief" in case.command:
        exp = []
        for r in _ntc(case):
            name, lag = _split_port(r["port"])
            exp.append({"name": name, "lag": lag, "enabled": r["enabled"] == "Yes"})
        return A.parse_pc_ports, {A.PC_BRIEF: raw}, exp
    if key == ("ntc-templates", "interface_status"):
        exp = []
        for r in _ntc(case):
            name, lag = _split_port(r["port"])
            tagged, untagged = r["vlan_tagged"], r["vlan_untagged"]
            if tagged == "No" and untagged != "No":
                mode, access = "access", H.n_vlan(untagged)
            elif tagged != "No":
                mode, access = "trunk", None
            else:
                mode, access = "unknown", None
            if lag is not None and mode == "access":
                mode, access = "unknown", None
            exp.append({"name": name, "lag": lag, "description": r["name"], "mode": mode, "access_vlan": access})
        return A.parse_pc_ports, {A.PC_STATUS: raw}, exp
    if key == ("napalm-community", "mac_table"):
        exp = [
            {
                "mac": H.n_mac(r["mac"]),
                "vlan": H.n_vlan(r["vlan"]),
                "interface": H.n_if(r["interface"], P),
                "static": r["static"],
            }
            for r in case.read_expected()
        ]
        return A.parse_pc_mac_table, {A.PC_MAC: _rest(case, "mac-table")}, exp
    if key == ("napalm-community", "lldp"):
        exp = [
            {"local_interface": H.n_if(local, P), "remote_name": n["hostname"], "remote_port": n["port"]}
            for local, ns in case.read_expected().items()
            for n in ns
        ]
        return A.parse_pc_neighbors, {A.PC_LLDP: _rest(case, "lldp/remote-device")}, exp
    if key == ("napalm-community", "interface_status"):
        exp = [
            {"name": H.n_if(name, P), "description": i["description"], "enabled": i["is_enabled"]}
            for name, i in case.read_expected().items()
        ]
        return A.parse_pc_ports, {A.PC_BRIEF: _rest(case, "ports")}, exp
    raise AssertionError(f"no test builder for {case.case_id} ({key}); add one or list it under not_used")


TESTED = sorted(c for c in CASES if c not in NOT_USED)


def test_every_recorded_case_is_tested_or_explained() -> None:
    assert len(CASES) >= 20, "the MANIFEST should hold the hp_procurve / aruba_os_switch cases"
    stale = sorted(set(NOT_USED) - set(CASES)) + sorted(set(DECLARED) - set(CASES))
    assert not stale, f"differences_{P}.yml names cases that do not exist: {stale}"


@pytest.mark.parametrize("case_id", TESTED)
def test_recorded_case(case_id: str, update_golden: bool) -> None:
    parser, outputs, expected = build(CASES[case_id])
    result = parser(outputs, "sw-procurve")
    H.check_golden(P, case_id, H.result_doc(result), update_golden)
    H.check_upstream(case_id, H.compare([r.to_dict() for r in result.records], expected), DECLARED)


def test_brief_and_status_join_on_the_same_port_names() -> None:
    """Recorded stacked-switch brief output: ``1/28-Trk1`` is port ``1/28`` in trunk ``Trk1``."""
    case = CASES["ntc-templates/hp_procurve/show_interfaces_brief/show_interfaces_brief_stack"]
    res = A.parse_pc_ports({A.PC_BRIEF: case.raw[0].read_text(encoding="utf-8")}, "sw1")
    ports = {p.name: p for p in res.records}
    assert ports["1/28"].lag == "Trk1" and ports["3/28"].lag == "Trk1"
    assert ports["Trk1"].is_lag
    assert ports["1/1"].lag is None


# --------------------------------------------------------------------------------------------
# Authored samples: NOT recorded from a device. Written from the ProCurve K/KB/WC CLI formats.
# --------------------------------------------------------------------------------------------

AUTHORED_TRUNKS = """\

 Load Balancing Method:  L3-based (default)

  Port   | Name                             Type      | Group  Type
  ------ + -------------------------------- --------- + ------ --------
  1/51   | SW-07-02 uplink                  10GbE-GEN | Trk10  LACP
  2/51   | SW-07-02 uplink                  10GbE-GEN | Trk10  LACP
"""
AUTHORED_STATUS = """\
  Port     Name       Status  Config-mode   Speed    Type       Tagged Untagged
  -------- ---------- ------- ------------- -------- ---------- ------ --------
  1/5      cam-door-3 Up      Auto          100FDx   100/1000T  No     110
  1/51-... SW-07-0... Up      Auto          10GigFD  10GbE-GEN  multi  1
  2/51-... SW-07-0... Up      Auto          10GigFD  10GbE-GEN  multi  1
"""


def test_authored_truncated_trunk_names_resolved_by_show_trunks(update_golden: bool) -> None:
    without = A.parse_pc_ports({A.PC_STATUS: AUTHORED_STATUS}, "sw1")
    assert any("truncated" in w for w in without.warnings)
    res = A.parse_pc_ports({A.PC_STATUS: AUTHORED_STATUS, A.PC_TRUNKS: AUTHORED_TRUNKS}, "sw1")
    ports = {p.name: p for p in res.records}
    assert ports["1/51"].lag == "Trk10" and ports["2/51"].lag == "Trk10"
    assert ports["Trk10"].is_lag
    assert (ports["1/5"].mode, ports["1/5"].access_vlan, ports["1/5"].description) == ("access", 110, "cam-door-3")
    assert not res.warnings
    H.check_golden(P, "authored__trunks", H.result_doc(res), update_golden)


AUTHORED_MAC = """\

 Status and Counters - Port Address Table

  MAC Address       Port                            VLAN
  ----------------- ------------------------------- ----
  4cbd8f-000001     A5                              110
  a41437-000002     Trk10                           110
  zz1437-000002     A6                              110
  --More--
  08eded-000003     2/14                            1
"""


def test_authored_mac_table() -> None:
    res = A.parse_pc_mac_table({A.PC_MAC: AUTHORED_MAC}, "sw1")
    assert [(m.mac, m.interface, m.vlan) for m in res.records] == [
        ("4c:bd:8f:00:00:01", "A5", 110),
        ("a4:14:37:00:00:02", "Trk10", 110),
        ("08:ed:ed:00:00:03", "2/14", 1),
    ]
    assert res.skipped == 1


@pytest.mark.parametrize(
    ("command", "parser"),
    [
        (A.PC_MAC, A.parse_pc_mac_table),
        (A.PC_ARP, A.parse_pc_arp),
        (A.PC_LLDP, A.parse_pc_neighbors),
        (A.PC_BRIEF, A.parse_pc_ports),
    ],
)
def test_device_error_names_switch_and_command(command: str, parser: H.Parser) -> None:
    with pytest.raises(DeviceError) as exc:
        parser({command: "Invalid input: bogus\n"}, "edge-2930-1")
    assert exc.value.switch == "edge-2930-1" and exc.value.command == command
    assert "edge-2930-1" in str(exc.value) and command in str(exc.value)


def test_rest_json_without_the_collection_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="mac_table_entry_element"):
        A.parse_pc_mac_table({A.PC_MAC: '{"unexpected": []}'}, "sw1")


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------

PARSERS: List[Tuple[str, Callable[..., Any]]] = [
    (A.PC_MAC, A.parse_pc_mac_table),
    (A.PC_ARP, A.parse_pc_arp),
    (A.PC_LLDP, A.parse_pc_neighbors),
    (A.PC_BRIEF, A.parse_pc_ports),
    (A.PC_STATUS, A.parse_pc_ports),
    (A.PC_TRUNKS, A.parse_pc_ports),
]
SAMPLES: List[Tuple[str, H.Parser, str]] = [
    (A.PC_TRUNKS, A.parse_pc_ports, AUTHORED_TRUNKS),
    (A.PC_STATUS, A.parse_pc_ports, AUTHORED_STATUS),
    (A.PC_MAC, A.parse_pc_mac_table, AUTHORED_MAC),
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
