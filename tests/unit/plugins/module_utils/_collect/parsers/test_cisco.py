# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Cisco IOS / IOS-XE / NX-OS parsers (``parsers/cisco.py``).

The recorded cases, goldens, upstream comparison, device errors and fuzzing are the contract
suite's (``test_contract.py``; the cases read as ``_family_cisco.py`` says). Here: the switch's own
entries, multi-port and wrapped rows, entry kinds, LAG membership, capability words, the commands'
ntc-templates, and the cross-check of our CLI parser with NAPALM's result on the same raw output
(differences declared under ``crosscheck`` in ``differences_cisco.yml``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, List, Optional, Tuple

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C
import _family_cisco as F
from _family_cisco import CISCO

from ansible_collections.camguard.network.plugins.module_utils._collect import napalm as _napalm
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import capability_words

_CISCO_SPECS = [(p, PARSERS[p]) for p in CISCO.platforms]


def records(case_id: str) -> List[Any]:
    """Our records of one recorded Cisco case, parsed as the contract suite parses it."""
    case = C.MANIFEST[case_id]
    assert case in CISCO.run_cases, f"{case_id} is not a run Cisco case"
    built = CISCO.build(case)
    return built.parser(built.outputs, CISCO.switch).records


def test_self_entries_are_kept_as_self() -> None:
    recs = records("napalm/ios/test_get_mac_address_table/3560_format")
    cpu = [r for r in recs if r.mac == "01:00:0c:cc:cc:cc"]
    assert cpu and all(r.kind == "self" and r.interface == "" and r.vlan is None for r in cpu)
    assert cpu[0].vlan_name == "All"
    dyn = [r for r in recs if r.kind == "dynamic"]
    assert dyn and all(r.interface.startswith("FastEthernet") for r in dyn)


def test_multi_port_and_wrapped_entries_are_expanded() -> None:
    recs = records("napalm/ios/test_get_mac_address_table/6500_format3")
    group = [r for r in recs if r.mac == "33:33:00:00:00:ff"]
    ifaces = {r.interface for r in group}
    assert "GigabitEthernet10/43" in ifaces and "GigabitEthernet1/1" in ifaces
    assert "" in ifaces  # Router, Switch, Stby-Switch are the switch itself
    nx = records("napalm/nxos_ssh/test_get_mac_address_table/multiple_interfaces")
    igmp = {r.interface for r in nx if r.mac == "01:00:5e:05:06:07"}
    assert {"port-channel1", "port-channel2", "Ethernet151/1/6"} <= igmp


def test_non_numeric_vlan_kept_as_name() -> None:
    recs = records("napalm/ios/test_get_mac_address_table/4500_format3")
    te = [r for r in recs if r.vlan_name == "Te5/1"]
    assert te and all(r.vlan is None for r in te)


def test_static_and_secure_kinds() -> None:
    spec = PARSERS["cisco_ios"]
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
    spec = PARSERS["cisco_ios"]
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
    recs = records("ntc-templates/cisco_ios/show_cdp_neighbors_detail/cisco_ios_show_cdp_neighbors_detail")
    assert recs and all(r.protocol == "cdp" for r in recs)
    assert any(r.is_network_device for r in recs)


def test_commands_are_known_to_ntc_templates() -> None:
    """Every command we send resolves to an ntc-templates template (so the output is parseable
    by users' own TextFSM tooling too) - checked against the installed index."""
    from ntc_templates.parse import _get_template_dir  # type: ignore[import-untyped]
    from textfsm import clitable  # type: ignore[import-untyped]

    table = clitable.CliTable("index", _get_template_dir())
    for platform, spec in _CISCO_SPECS:
        for commands in spec.commands.values():
            for cmd in commands:
                row = table.index.GetRowMatch({"Platform": platform, "Command": cmd})
                assert row, f"ntc-templates has no template for {platform!r} {cmd!r}"


# --------------------------------------------------------------------------------------------
# Our CLI parser and NAPALM's result on the same raw output
# --------------------------------------------------------------------------------------------

# (case, platform) of every NAPALM ios / nxos_ssh MAC-table case: the raw output is the CLI text.
CROSS: List[Tuple[C.Case, str]] = [
    (c, {"ios": "cisco_ios", "nxos_ssh": "cisco_nxos"}[c.case_id.split("/")[1]])
    for c in C.MANIFEST.values()
    if c.source == "napalm"
    and c.command == "test_get_mac_address_table"
    and c.case_id.split("/")[1] in ("ios", "nxos_ssh")
]


@pytest.mark.parametrize(("case", "platform"), CROSS, ids=[c.case_id for c, _unused in CROSS])
def test_cli_parser_agrees_with_napalm(case: C.Case, platform: str) -> None:
    napalm_records = _napalm.mac_table_from_napalm(case.read_expected(), platform, "sw1").records
    raw = case.raw_named("show_mac_address_table.txt").read_text(encoding="utf-8")
    cli_records = PARSERS[platform].parse_mac_table({"show mac address-table": raw}, "sw1").records
    ours = sorted(((r.mac, r.vlan, r.interface, r.kind == "self") for r in cli_records), key=repr)
    theirs = sorted(((r.mac, r.vlan, r.interface, r.kind == "self") for r in napalm_records), key=repr)
    declared: Optional[str] = CISCO.declared.crosscheck.get(case.case_id)
    if ours == theirs:
        assert declared is None, f"crosscheck {case.case_id} declared different but agrees now: remove it"
    else:
        assert declared, (
            f"CLI parser and NAPALM disagree on {case.case_id}:\n"
            f" ours-only {sorted(set(ours) - set(theirs))[:10]}\n napalm-only {sorted(set(theirs) - set(ours))[:10]}"
        )


def test_crosscheck_declarations_name_real_cases() -> None:
    known = {c.case_id for c, _unused in CROSS}
    assert CROSS, "no NAPALM ios / nxos_ssh MAC-table cases in the MANIFEST"
    stale = sorted(k for k in CISCO.declared.crosscheck if k not in known)
    assert not stale, stale


def test_family_mac_normaliser_reads_napalm_spelling() -> None:
    # the Cisco family's MAC normaliser and ours agree on NAPALM's upper-case spelling
    assert F._mac("A4:93:4C:C1:67:A7") == "a4:93:4c:c1:67:a7"
