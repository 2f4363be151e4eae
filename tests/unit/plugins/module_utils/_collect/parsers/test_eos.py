# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arista EOS parsers over every recorded ``arista_eos`` case (ntc-templates, NAPALM mocked_data,
ttp_templates ``| json``), plus authored samples and robustness properties.

See ``_helpers_multi.py`` for the golden / upstream comparison rules.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_multi as H

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import eos as E
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import capability_words
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

P = "arista_eos"
CASES = H.load_cases([P])
DECLARED, NOT_USED = H.load_differences(P)

Built = Tuple[H.Parser, Dict[str, str], List[Dict[str, Any]]]


def _ntc(case: H.Case) -> List[Dict[str, Any]]:
    return list(case.read_expected()["parsed_sample"] or [])


def _kind(t: str) -> str:
    return "static" if "STATIC" in t.upper() else "dynamic"


def _arp_iface(text: str) -> str:
    parts = [p.strip() for p in str(text).split(",")]
    parts = [p for p in parts if p and p != "not learned"]
    return H.n_if(parts[-1], P) if parts else ""


def build(case: H.Case) -> Built:
    raw = case.raw[0].read_text(encoding="utf-8")
    key = (case.source, case.category)
    if key == ("ntc-templates", "mac_table"):
        exp = [
            {
                "mac": H.n_mac(r["mac_address"]),
                "vlan": H.n_vlan(r["vlan_id"]),
                "interface": H.n_if(p, P),
                "kind": _kind(r["type"]),
            }
            for r in _ntc(case)
            for p in r["destination_port"]
        ]
        return E.parse_mac_table, {E.CMD_MAC: raw}, exp
    if key == ("ntc-templates", "arp"):
        exp = [
            {
                "ip": r["ip_address"],
                "mac": H.n_mac(r["mac_address"]),
                "interface": _arp_iface(r["interface"]),
                "vrf": r["vrf"],
            }
            for r in _ntc(case)
        ]
        return E.parse_arp, {E.CMD_ARP: raw}, exp
    if key == ("napalm", "arp"):
        exp = [
            {"ip": r["ip"], "mac": H.n_mac(r["mac"]), "interface": H.n_if(r["interface"], P)}
            for r in case.read_expected()
        ]
        return E.parse_arp, {E.CMD_ARP: raw}, exp
    if key == ("ntc-templates", "lldp"):
        rows = _ntc(case)
        exp = [
            {
                "local_interface": H.n_if(r["local_interface"], P),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
                **({"remote_mac": H.n_mac_opt(r["chassis_id"])} if "chassis_id" in r else {}),
            }
            for r in rows
        ]
        cmd = E.CMD_LLDP if "detail" in case.command else "show lldp neighbors"
        return E.parse_neighbors, {cmd: raw}, exp
    if key == ("napalm", "lldp"):
        data = case.read_expected()
        if "detail" in case.command:
            exp = [
                {
                    "local_interface": H.n_if(local, P),
                    "remote_name": n["remote_system_name"],
                    "remote_port": n["remote_port"],
                    "capabilities": H.n_caps(n["remote_system_enable_capab"]),
                    "remote_mac": H.n_mac_opt(n["remote_chassis_id"]),
                }
                for local, ns in data.items()
                for n in ns
            ]
            return E.parse_neighbors, {E.CMD_LLDP: raw}, exp
        exp = [
            {"local_interface": H.n_if(local, P), "remote_name": n["hostname"], "remote_port": n["port"]}
            for local, ns in data.items()
            for n in ns
        ]
        return E.parse_neighbors, {"show lldp neighbors": raw}, exp
    if key == ("ttp_templates", "lldp"):
        exp = [
            {
                "local_interface": H.n_if(r["interface"], P),
                "remote_name": r["remote_device"],
                "remote_port": r["remote_interface"],
                "remote_mac": H.n_mac_opt(r["remote_chassi_id"]),
            }
            for r in case.read_expected()
        ]
        return E.parse_neighbors, {E.CMD_LLDP: raw}, exp
    if key == ("ntc-templates", "interface_status"):
        exp = []
        for r in _ntc(case):
            vlan = r["vlan_id"]
            # ntc keeps "Po49" of the Vlan column "in Po49" (member of that port-channel)
            lag = H.n_if(vlan.replace("in ", ""), P) if vlan.replace("in ", "").startswith("Po") else None
            mode = {"trunk": "trunk", "routed": "routed"}.get(vlan, "access" if vlan.isdigit() else "unknown")
            exp.append(
                {
                    "name": H.n_if(r["port"], P),
                    "description": r["name"],
                    "mode": mode,
                    "access_vlan": H.n_vlan(vlan) if mode == "access" else None,
                    "enabled": r["status"] != "disabled",
                    "lag": lag,
                }
            )
        return E.parse_ports, {E.CMD_STATUS: raw}, exp
    if key == ("napalm", "interface_status"):
        exp = [
            {"name": H.n_if(name, P), "description": i["description"], "enabled": i["is_enabled"]}
            for name, i in case.read_expected().items()
        ]
        return E.parse_ports, {"show interfaces": raw}, exp
    if key == ("ntc-templates", "trunk_lag"):
        exp = []
        for r in _ntc(case):
            agg = H.n_if(r["bundle_name"], P)
            exp.append({"name": agg, "lag": None, "is_lag": True})
            exp.extend({"name": H.n_if(m, P), "lag": agg, "is_lag": False} for m in r["member_interface"])
        return E.parse_ports, {E.CMD_PO: raw}, exp
    raise AssertionError(f"no test builder for {case.case_id} ({key}); add one or list it under not_used")


TESTED = sorted(c for c in CASES if c not in NOT_USED)


def test_every_recorded_case_is_tested_or_explained() -> None:
    assert len(CASES) >= 15, "the MANIFEST should hold the arista_eos cases"
    stale = sorted(set(NOT_USED) - set(CASES)) + sorted(set(DECLARED) - set(CASES))
    assert not stale, f"differences_{P}.yml names cases that do not exist: {stale}"


@pytest.mark.parametrize("case_id", TESTED)
def test_recorded_case(case_id: str, update_golden: bool) -> None:
    parser, outputs, expected = build(CASES[case_id])
    result = parser(outputs, "sw-eos")
    H.check_golden(P, case_id, H.result_doc(result), update_golden)
    ours = [r.to_dict() for r in result.records]
    H.check_upstream(case_id, H.compare(ours, expected), DECLARED)


# --------------------------------------------------------------------------------------------
# Behaviour the fixtures do not cover: authored samples (NOT recorded from a device; written
# from the EOS CLI/eAPI formats to exercise the real-world mess on purpose).
# --------------------------------------------------------------------------------------------

AUTHORED_MAC = """\
          Mac Address Table
------------------------------------------------------------------

Vlan    Mac Address       Type        Ports      Moves   Last Move
----    -----------       ----        -----      -----   ---------
   1    001c.7300.0001    STATIC      Router
  10    0011.2233.4455    DYNAMIC     Et5        1       0:01:02 ago
  10    4c:bd:8f:00:00:01 DYNAMIC     Et6        1       0:00:10 ago
  20    a4:14:37:00:00:02 STATIC      Et7
 All    0180.c200.0000    STATIC      Cpu
this line is junk
  30    zzzz.2233.4455    DYNAMIC     Et9        1       0:00:01 ago
Total Mac Addresses for this criterion: 5

          Multicast Mac Address Table
------------------------------------------------------------------

Vlan    Mac Address       Type        Ports
----    -----------       ----        -----
  10    0100.5e00.0001    STATIC      Et1 Et2 Et3
                                      Et4 Po1
Total Mac Addresses for this criterion: 1
"""


def test_authored_mac_table_mess(update_golden: bool) -> None:
    res = E.parse_mac_table({E.CMD_MAC: AUTHORED_MAC.replace("\n", "\r\n")}, "sw1")
    by = {(r.mac, r.interface) for r in res.records}
    assert ("00:1c:73:00:00:01", "") in by  # Router row: the switch itself
    selfs = [r for r in res.records if r.kind == "self"]
    assert {r.mac for r in selfs} == {"00:1c:73:00:00:01", "01:80:c2:00:00:00"}
    assert all(r.interface == "" for r in selfs)
    cpu = next(r for r in selfs if r.mac == "01:80:c2:00:00:00")
    assert cpu.vlan is None  # VLAN "All"
    cam = next(r for r in res.records if r.mac == "4c:bd:8f:00:00:01")
    assert (cam.vlan, cam.interface, cam.kind, cam.static, cam.switch) == (10, "Ethernet6", "dynamic", False, "sw1")
    assert next(r for r in res.records if r.mac == "a4:14:37:00:00:02").static
    mc = sorted(r.interface for r in res.records if r.mac == "01:00:5e:00:00:01")
    assert mc == ["Ethernet1", "Ethernet2", "Ethernet3", "Ethernet4", "Port-Channel1"]  # wrapped port list
    assert res.skipped == 2  # the junk line and the invalid MAC, counted, never fatal
    H.check_golden(P, "authored__mac_table_mess", H.result_doc(res), update_golden)


AUTHORED_MAC_JSON = {
    "unicastTable": {
        "tableEntries": [
            {
                "vlanId": 10,
                "macAddress": "4c:bd:8f:00:00:01",
                "entryType": "dynamic",
                "interface": "Ethernet6",
                "moves": 1,
            },
            {"vlanId": 1, "macAddress": "00:1c:73:00:00:01", "entryType": "static", "interface": "Router"},
            {"vlanId": 20, "macAddress": "a4:14:37:00:00:02", "entryType": "configured", "interface": "Port-Channel2"},
            {"vlanId": 20, "macAddress": "not-a-mac", "entryType": "dynamic", "interface": "Ethernet1"},
        ]
    },
    "multicastTable": {
        "tableEntries": [
            {
                "vlanId": 10,
                "macAddress": "01:00:5e:00:00:01",
                "entryType": "igmp",
                "interfaces": ["Ethernet1", "Ethernet2"],
            }
        ]
    },
}


def test_authored_mac_table_json() -> None:
    res = E.parse_mac_table({E.CMD_MAC + " | json": json.dumps(AUTHORED_MAC_JSON)}, "sw1")
    got = {(r.mac, r.vlan, r.interface, r.kind) for r in res.records}
    assert got == {
        ("4c:bd:8f:00:00:01", 10, "Ethernet6", "dynamic"),
        ("00:1c:73:00:00:01", 1, "", "self"),
        ("a4:14:37:00:00:02", 20, "Port-Channel2", "static"),
        ("01:00:5e:00:00:01", 10, "Ethernet1", "dynamic"),
        ("01:00:5e:00:00:01", 10, "Ethernet2", "dynamic"),
    }
    assert res.skipped == 1


AUTHORED_STATUS = """\
Port       Name        Status       Vlan     Duplex Speed  Type            Flags Encapsulation
Et1        camera-01   connected    10       a-full a-100M 10/100/1000
Et2                    connected    in Po1   full   10G    10GBASE-SR
Et3                    connected    in Po1   full   10G    10GBASE-SR
Po1        uplink      connected    trunk    full   20G    N/A
"""
AUTHORED_PO = """\
   Port-Channel       Protocol    Ports
------------------ -------------- -----------------
   Po1(U)             LACP(a)     Et2(PG+) Et3(PG+)
"""


def test_authored_lag_never_access() -> None:
    res = E.parse_ports({E.CMD_STATUS: AUTHORED_STATUS, E.CMD_PO: AUTHORED_PO}, "sw1")
    ports = {p.name: p for p in res.records}
    assert ports["Ethernet1"].mode == "access" and ports["Ethernet1"].access_vlan == 10
    assert ports["Ethernet1"].description == "camera-01"
    for m in ("Ethernet2", "Ethernet3"):
        assert ports[m].lag == "Port-Channel1" and ports[m].mode != "access"
    assert ports["Port-Channel1"].is_lag and ports["Port-Channel1"].mode == "trunk"


def test_capability_words() -> None:
    assert capability_words("Bridge, Router") == ("bridge", "router")
    assert capability_words("Bridge WLAN Access Point Router Station Only ") == (
        "bridge",
        "router",
        "wlan",
        "station",
    )
    assert capability_words({"bridge": True, "wlanAccessPoint": False, "telephone": True}) == ("bridge", "phone")
    assert capability_words(["docsis-cable-device", "repeater"]) == ("other",)
    assert capability_words("") == ()


@pytest.mark.parametrize(
    ("command", "parser", "text"),
    [
        (E.CMD_MAC, E.parse_mac_table, "% Invalid input (privileged mode required)"),
        (E.CMD_ARP, E.parse_arp, "show ip arp\n% Incomplete command"),
        (E.CMD_LLDP, E.parse_neighbors, "% Unrecognized command"),
        (E.CMD_STATUS, E.parse_ports, "% Invalid input at line 1"),
    ],
)
def test_device_error_names_switch_and_command(command: str, parser: H.Parser, text: str) -> None:
    with pytest.raises(DeviceError) as exc:
        parser({command: text}, "core-sw-7")
    assert exc.value.switch == "core-sw-7" and exc.value.command == command
    assert "core-sw-7" in str(exc.value) and command in str(exc.value)


def test_unusable_output_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        E.parse_mac_table({E.CMD_MAC: "Welcome to the jungle\nnothing here\n"}, "sw1")
    with pytest.raises(ParseError):
        E.parse_arp({E.CMD_ARP: '{"vrfs": '}, "sw1")


def test_missing_command_gives_empty_result() -> None:
    for spec_parser in (E.parse_mac_table, E.parse_arp, E.parse_neighbors, E.parse_ports):
        assert spec_parser({}, "sw1").records == []


def test_spec_commands_are_the_parsed_ones() -> None:
    spec = E.SPECS[P]
    assert set(spec.commands) == {"mac_table", "arp", "neighbors", "ports"}
    assert set(spec.optional) <= {c for cmds in spec.commands.values() for c in cmds}


# --------------------------------------------------------------------------------------------
# Robustness: random text and random damage to real outputs only ever raise ParseError/DeviceError
# --------------------------------------------------------------------------------------------

PARSERS: List[Tuple[str, Callable[..., Any]]] = [
    (E.CMD_MAC, E.parse_mac_table),
    (E.CMD_ARP, E.parse_arp),
    (E.CMD_LLDP, E.parse_neighbors),
    (E.CMD_STATUS, E.parse_ports),
    (E.CMD_PO, E.parse_ports),
]
SAMPLES: List[Tuple[str, H.Parser, str]] = []
for _cid in TESTED:
    _parser, _outputs, _unused = build(CASES[_cid])
    for _cmd, _text in _outputs.items():
        SAMPLES.append((_cmd, _parser, _text))


@settings(max_examples=H.FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PARSERS), st.text(max_size=400))
def test_random_text_never_crashes(pair: Tuple[str, H.Parser], text: str) -> None:
    H.assert_only_expected_errors(pair[1], {pair[0]: text})


@settings(max_examples=H.FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=12))
def test_mutated_real_outputs_never_crash(sample: Tuple[str, H.Parser, str], seed: int, rounds: int) -> None:
    command, parser, text = sample
    H.assert_only_expected_errors(parser, {command: H.mutate(text, random.Random(seed), rounds)})
