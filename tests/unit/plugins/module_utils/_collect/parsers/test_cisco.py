# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cisco IOS / IOS-XE / NX-OS parsers over every recorded Cisco fixture case.

For each case of MANIFEST.tsv (found programmatically: a new fixture is a new case):

1. our parser reads the raw output through the platform's ParserSpec;
2. the records match our golden file ``golden/cisco/<case>.json`` (``--update-golden``);
3. the records, projected to comparable tuples, equal the upstream expectation (ntc-templates
   YAML, genieparser dict or NAPALM getter result) normalised the same way, unless the case is
   declared in ``differences_cisco.yml`` with its reason. A declared difference that no longer
   exists fails too, so the file stays true.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_cisco as H

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import cisco as _parse_cisco
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    capability_words,
)

HERE = Path(__file__).resolve().parent
RECORDED = HERE.parents[4] / "fixtures" / "recorded"
GOLDEN = HERE / "golden" / "cisco"
DIFFERENCES_FILE = HERE / "differences_cisco.yml"

ALL_CASES = H.discover(RECORDED)
RUN_CASES = [
    c
    for c in ALL_CASES
    if c.category not in H.SKIPPED_CATEGORIES
    and (c.source, c.command) not in H.SKIPPED
    # NX-API JSON outputs of NAPALM's nxos driver are not CLI text; test_napalm covers them.
    and not c.case_id.startswith("napalm/nxos/")
]


def _differences() -> Dict[str, str]:
    data = yaml.safe_load(DIFFERENCES_FILE.read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict), f"{DIFFERENCES_FILE}: top level must be a mapping case_id -> reason"
    for key, reason in data.items():
        assert isinstance(reason, str) and reason.strip(), f"{DIFFERENCES_FILE}: {key!r} needs a reason"
    return data


DIFFERENCES = _differences()


def parse_case(case: H.Case) -> ParseResult[Any]:
    spec = _parse_cisco.SPECS[case.platform]
    text = case.raw_text()
    kind = case.kind
    if kind == "mac_table":
        return spec.parse_mac_table({spec.commands["mac_table"][0]: text}, "sw1")
    if kind == "arp":
        return spec.parse_arp({spec.commands["arp"][0]: text}, "sw1")
    if kind in ("lldp", "cdp"):
        lldp_cmd, cdp_cmd = spec.commands["neighbors"]
        return spec.parse_neighbors({lldp_cmd if kind == "lldp" else cdp_cmd: text}, "sw1")
    sw_cmd, status_cmd, lag_cmd = spec.commands["ports"]
    cmd = {"switchport": sw_cmd, "interface_status": status_cmd, "trunk_lag": lag_cmd}[kind]
    return spec.parse_ports({cmd: text}, "sw1")


def _golden_payload(result: ParseResult[Any]) -> Dict[str, Any]:
    return {"records": [r.to_dict() for r in result.records], "skipped": result.skipped}


def test_every_cisco_fixture_is_mapped_or_skipped() -> None:
    assert ALL_CASES, "no Cisco fixtures found in MANIFEST.tsv"
    unmapped = sorted(
        {
            (c.source, c.command)
            for c in ALL_CASES
            if c.category not in H.SKIPPED_CATEGORIES
            and (c.source, c.command) not in H.COMMAND_MAP
            and (c.source, c.command) not in H.SKIPPED
        }
    )
    assert not unmapped, f"fixture commands neither parsed nor skipped on purpose: {unmapped}"


def test_declared_differences_name_real_cases() -> None:
    known = {c.case_id for c in RUN_CASES}
    stale = sorted(k for k in DIFFERENCES if not k.startswith("crosscheck/") and k not in known)
    assert not stale, f"{DIFFERENCES_FILE.name} names cases that are not run: {stale}"


@pytest.mark.parametrize("case", RUN_CASES, ids=[c.case_id for c in RUN_CASES])
def test_cisco_case(case: H.Case, update_golden: bool) -> None:
    result = parse_case(case)
    payload = _golden_payload(result)
    golden = GOLDEN / f"{case.slug}.json"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run pytest --update-golden and review the diff"
    assert json.loads(golden.read_text(encoding="utf-8")) == payload, f"golden mismatch for {case.case_id}"

    ours = H.project(case.kind, result.records)
    theirs = H.UPSTREAM[case.kind](case, case.expected_data())
    declared = DIFFERENCES.get(case.case_id)
    if ours == theirs:
        assert declared is None, f"{case.case_id} is declared as different but now matches upstream: remove it"
        return
    if declared is None:
        diff = "\n".join(
            difflib.unified_diff(
                [repr(t) for t in theirs], [repr(t) for t in ours], "upstream", "ours", lineterm="", n=1
            )
        )
        pytest.fail(f"undeclared difference from upstream for {case.case_id}:\n{diff}")


def _find(kind: str, needle: str) -> H.Case:
    for c in RUN_CASES:
        if c.kind == kind and needle in c.case_id:
            return c
    raise AssertionError(f"no {kind} case {needle}")


def _records(case_needle: str, kind: str) -> List[Any]:
    return parse_case(_find(kind, case_needle)).records


def test_self_entries_are_kept_as_self() -> None:
    recs = _records("napalm/ios/test_get_mac_address_table/3560_format", "mac_table")
    cpu = [r for r in recs if r.mac == "01:00:0c:cc:cc:cc"]
    assert cpu and all(r.kind == "self" and r.interface == "" and r.vlan is None for r in cpu)
    assert cpu[0].vlan_name == "All"
    dyn = [r for r in recs if r.kind == "dynamic"]
    assert dyn and all(r.interface.startswith("FastEthernet") for r in dyn)


def test_multi_port_and_wrapped_entries_are_expanded() -> None:
    recs = _records("napalm/ios/test_get_mac_address_table/6500_format3", "mac_table")
    group = [r for r in recs if r.mac == "33:33:00:00:00:ff"]
    ifaces = {r.interface for r in group}
    assert "GigabitEthernet10/43" in ifaces and "GigabitEthernet1/1" in ifaces
    assert "" in ifaces  # Router, Switch, Stby-Switch are the switch itself
    nx = _records("napalm/nxos_ssh/test_get_mac_address_table/multiple_interfaces", "mac_table")
    igmp = {r.interface for r in nx if r.mac == "01:00:5e:05:06:07"}
    assert {"port-channel1", "port-channel2", "Ethernet151/1/6"} <= igmp


def test_non_numeric_vlan_kept_as_name() -> None:
    recs = _records("napalm/ios/test_get_mac_address_table/4500_format3", "mac_table")
    te = [r for r in recs if r.vlan_name == "Te5/1"]
    assert te and all(r.vlan is None for r in te)


def test_static_and_secure_kinds() -> None:
    spec = _parse_cisco.SPECS["cisco_ios"]
    text = (
        "          Mac Address Table\n-------------------------------------------\n\n"
        "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\r\n"
        "  10    0011.2233.4455    STATIC      Gi1/0/1\r\n"
        "  10    0011.2233.4456    SECURE      Gi1/0/2\r\n"
        "  10    0011.2233.4457    DYNAMIC     Gi1/0/3\r\n"
        "  10    0011.2233.4458    BOGUS       Gi1/0/4\r\n"
        "  10    0011.2233.4459    DYNAMIC\r\n"
    )
    res = spec.parse_mac_table({"show mac address-table": text}, "sw9")
    kinds = {(r.interface, r.kind, r.static, r.switch) for r in res.records}
    assert kinds == {
        ("GigabitEthernet1/0/1", "static", True, "sw9"),
        ("GigabitEthernet1/0/2", "secure", True, "sw9"),
        ("GigabitEthernet1/0/3", "dynamic", False, "sw9"),
    }
    assert res.skipped == 2


def test_lag_membership_and_modes() -> None:
    spec = _parse_cisco.SPECS["cisco_ios"]
    sw = (
        "Name: Gi1/0/1\nSwitchport: Enabled\nAdministrative Mode: static access\n"
        "Operational Mode: static access (member of bundle Po17)\nAccess Mode VLAN: 20 (users)\n\n"
        "Name: Gi1/0/2\nSwitchport: Enabled\nAdministrative Mode: trunk\nOperational Mode: trunk\n"
        "Access Mode VLAN: 1 (default)\nTrunking VLANs Enabled: 10,20-22,\n     30\n\n"
        "Name: Gi1/0/3\nSwitchport: Disabled\n"
    )
    status = (
        "Port      Name               Status       Vlan       Duplex  Speed Type\n"
        "Gi1/0/1   camera             connected    20         a-full a-100 10/100/1000BaseTX\n"
        "Gi1/0/2   uplink             connected    trunk      a-full a-1000 10/100/1000BaseTX\n"
        "Gi1/0/3                      disabled     routed     auto   auto 10/100/1000BaseTX\n"
        "Po17                         connected    20         a-full a-100\n"
    )
    res = spec.parse_ports(
        {"show interfaces switchport": sw, "show interfaces status": status},
        "sw1",
    )
    ports = {p.name: p for p in res.records}
    assert ports["GigabitEthernet1/0/1"].lag == "Port-channel17"
    assert ports["GigabitEthernet1/0/1"].mode == "access" and ports["GigabitEthernet1/0/1"].access_vlan == 20
    assert ports["GigabitEthernet1/0/1"].description == "camera"
    assert ports["GigabitEthernet1/0/2"].mode == "trunk"
    assert ports["GigabitEthernet1/0/2"].trunk_vlans == (10, 20, 21, 22, 30)
    assert ports["GigabitEthernet1/0/3"].mode == "routed" and not ports["GigabitEthernet1/0/3"].enabled
    assert ports["Port-channel17"].is_lag


def test_capability_words() -> None:
    assert capability_words("Router Switch IGMP") == ("bridge", "router", "other")
    assert capability_words("Trans-Bridge Source-Route-Bridge") == ("bridge",)
    assert capability_words("Host Phone") == ("phone", "station")
    assert capability_words("B,R") == ("bridge", "router")
    assert capability_words("B, T") == ("bridge", "phone")
    assert capability_words("W") == ("wlan",)
    assert capability_words("S, C") == ("station", "other")


def test_neighbor_capabilities_from_fixture() -> None:
    recs = _records("ntc-templates/cisco_ios/show_cdp_neighbors_detail/cisco_ios_show_cdp_neighbors_detail", "cdp")
    assert recs and all(r.protocol == "cdp" for r in recs)
    assert any(r.is_network_device for r in recs)


@pytest.mark.parametrize(
    "platform,getter",
    [(p, g) for p in ("cisco_ios", "cisco_nxos") for g in ("mac_table", "arp", "neighbors", "ports")],
)
def test_device_error_names_switch_and_command(platform: str, getter: str) -> None:
    from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

    spec = _parse_cisco.SPECS[platform]
    cmd = spec.commands[getter][0]
    parser = {
        "mac_table": spec.parse_mac_table,
        "arp": spec.parse_arp,
        "neighbors": spec.parse_neighbors,
        "ports": spec.parse_ports,
    }[getter]
    outputs: Mapping[str, str] = {cmd: "              ^\n% Invalid input detected at '^' marker.\n"}
    with pytest.raises(DeviceError) as exc:
        parser(outputs, "core-sw-07")
    assert "core-sw-07" in str(exc.value) and cmd in str(exc.value)


def test_commands_are_known_to_ntc_templates() -> None:
    """Every command we send resolves to an ntc-templates template (so the output is parseable
    by users' own TextFSM tooling too) - checked against the installed index."""
    from ntc_templates.parse import _get_template_dir  # type: ignore[import-untyped]
    from textfsm import clitable  # type: ignore[import-untyped]

    table = clitable.CliTable("index", _get_template_dir())
    for platform, spec in _parse_cisco.SPECS.items():
        for commands in spec.commands.values():
            for cmd in commands:
                row = table.index.GetRowMatch({"Platform": platform, "Command": cmd})
                assert row, f"ntc-templates has no template for {platform!r} {cmd!r}"
