# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Juniper Junos parsers over every recorded ``juniper_junos`` case (ntc-templates text, NAPALM
mocked XML, genieparser text, ttp_templates ``| display json``), plus authored samples, the XML
safety rules and robustness properties.

See ``_helpers_multi.py`` for the golden / upstream comparison rules.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _helpers_multi as H

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import junos as J
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParseResult
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

P = "juniper_junos"
CASES = H.load_cases([P])
DECLARED, NOT_USED = H.load_differences(P)

Built = Tuple[H.Parser, Dict[str, str], List[Dict[str, Any]]]


@dataclass(frozen=True)
class VlanRow:
    name: str
    vlan: Optional[int]

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def parse_vlans(outputs: Mapping[str, str], switch: str) -> ParseResult[VlanRow]:
    """Adapter: the VLAN name -> id map as records, so it goes through the same golden checks."""
    return ParseResult(records=[VlanRow(k, v) for k, v in J.parse_vlan_map(outputs, switch).items()])


def _ntc(case: H.Case) -> List[Dict[str, Any]]:
    return list(case.read_expected()["parsed_sample"] or [])


def _flag_kind(flags: str) -> str:
    return "dynamic" if "D" in flags else "static" if ("S" in flags or "P" in flags) else "dynamic"


def build(case: H.Case) -> Built:
    key = (case.source, case.category)
    raw = case.raw[0].read_text(encoding="utf-8")
    if key == ("ntc-templates", "mac_table"):
        exp = [
            {
                "mac": H.n_mac(r["mac_address"]),
                "vlan": H.n_vlan(r["vlan_id"]),
                "interface": H.n_if(r["logical_interface"], P),
                "kind": _flag_kind(r["mac_flag"]),
            }
            for r in _ntc(case)
        ]
        return J.parse_mac_table, {J.CMD_MAC: raw}, exp
    if key == ("napalm", "mac_table"):
        exp = [
            {
                "mac": H.n_mac(r["mac"]),
                "vlan": H.n_vlan(r["vlan"]),
                "interface": H.n_if(r["interface"], P),
                "static": r["static"],
            }
            for r in case.read_expected()
        ]
        return J.parse_mac_table, {J.CMD_MAC + " | display xml": raw}, exp
    if key == ("ntc-templates", "arp"):
        exp = [
            {"ip": r["ip_address"], "mac": H.n_mac(r["mac_address"]), "interface": H.n_if(r["interface"], P)}
            for r in _ntc(case)
        ]
        return J.parse_arp, {J.CMD_ARP: raw}, exp
    if key == ("genieparser", "arp"):
        raw = case.raw_named("_output.txt").read_text(encoding="utf-8")
        rows = case.read_expected()["arp-table-information"]["arp-table-entry"]
        exp = [
            {"ip": r["ip-address"], "mac": H.n_mac(r["mac-address"]), "interface": H.n_if(r["interface-name"], P)}
            for r in rows
        ]
        cmd = J.CMD_ARP if "NoResolve" in case.case_id else "show arp"
        return J.parse_arp, {cmd: raw}, exp
    if key == ("ntc-templates", "lldp"):
        exp = [
            {
                "local_interface": H.n_if(r["local_interface"], P),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
                "remote_mac": H.n_mac_opt(r["chassis_id"]),
            }
            for r in _ntc(case)
        ]
        return J.parse_neighbors, {J.CMD_LLDP: raw}, exp
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
        return J.parse_neighbors, {J.CMD_LLDP_DETAIL: raw}, exp
    if key == ("napalm", "lldp") and "detail" not in case.command:
        exp = [
            {"local_interface": H.n_if(local, P), "remote_name": n["hostname"], "remote_port": n["port"]}
            for local, ns in case.read_expected().items()
            for n in ns
        ]
        return J.parse_neighbors, {J.CMD_LLDP + " | display xml": raw}, exp
    if key == ("napalm", "lldp"):
        summary = case.raw_named("get-lldp-neighbors-information.xml").read_text(encoding="utf-8")
        detail_path = next(p for p in case.raw if "interface-neighbors" in p.name)
        detail = detail_path.read_text(encoding="utf-8")
        # NAPALM's mock answers the per-interface detail RPC with this one file for every
        # interface of the summary; the truth for a port is the entry of the port it names.
        locals_in_detail = set(re.findall(r"<lldp-local-interface>([^<]+)<", detail))
        exp = [
            {
                "local_interface": H.n_if(local, P),
                "remote_name": n["remote_system_name"],
                "remote_port": n["remote_port"] or n["remote_port_description"],
                "capabilities": H.n_caps(n["remote_system_enable_capab"]),
                "remote_mac": H.n_mac_opt(n["remote_chassis_id"]),
            }
            for local, ns in case.read_expected().items()
            if local in locals_in_detail
            for n in ns
        ]
        return J.parse_neighbors, {J.CMD_LLDP: summary, J.CMD_LLDP_DETAIL: detail}, exp
    if key == ("ntc-templates", "switchport"):
        exp = []
        for r in _ntc(case):
            tagged = "tagged" in r["tagging"]
            mode = "trunk" if tagged else "access" if len(r["vlan_member"]) == 1 else "unknown"
            access = H.n_vlan(r["vlan_id"][0]) if mode == "access" and r["vlan_id"] else None
            exp.append({"name": H.n_if(r["interface"], P), "mode": mode, "access_vlan": access})
        return J.parse_ports, {J.CMD_SWITCHPORT: raw}, exp
    if key == ("ntc-templates", "trunk_lag"):
        exp = []
        for r in _ntc(case):
            agg = H.n_if(r["bundle_name"], P)
            exp.append({"name": agg, "lag": None, "is_lag": True})
            exp.extend({"name": H.n_if(m, P), "lag": agg, "is_lag": False} for m in r["member_interface"])
        return J.parse_ports, {J.CMD_LACP: raw}, exp
    if key == ("ntc-templates", "vlan"):
        exp = [{"name": r["vlan_name"], "vlan": H.n_vlan(r["tag"])} for r in _ntc(case)]
        return parse_vlans, {J.CMD_VLANS: raw}, exp
    if key == ("napalm", "vlan"):
        exp = [{"name": v["name"], "vlan": H.n_vlan(k)} for k, v in case.read_expected().items()]
        return parse_vlans, {J.CMD_VLANS + " | display xml": raw}, exp
    raise AssertionError(f"no test builder for {case.case_id} ({key}); add one or list it under not_used")


TESTED = sorted(c for c in CASES if c not in NOT_USED)


def test_every_recorded_case_is_tested_or_explained() -> None:
    assert len(CASES) >= 20, "the MANIFEST should hold the juniper_junos cases"
    stale = sorted(set(NOT_USED) - set(CASES)) + sorted(set(DECLARED) - set(CASES))
    assert not stale, f"differences_{P}.yml names cases that do not exist: {stale}"


@pytest.mark.parametrize("case_id", TESTED)
def test_recorded_case(case_id: str, update_golden: bool) -> None:
    parser, outputs, expected = build(CASES[case_id])
    result = parser(outputs, "sw-junos")
    H.check_golden(P, case_id, H.result_doc(result), update_golden)
    ours = [r.to_dict() for r in result.records]
    H.check_upstream(case_id, H.compare(ours, expected), DECLARED)


def test_vlan_names_resolve_from_show_vlans() -> None:
    """The recorded ELS table of ntc-templates plus its recorded `show vlans` companion format."""
    case = CASES[
        "ntc-templates/juniper_junos/show_ethernet-switching_table/juniper_junos_show_ethernet-switching_table"
    ]
    vlans = "Routing instance        VLAN name             Tag          Interfaces\ndefault-switch          Vlan2                 2\n"
    res = J.parse_mac_table({J.CMD_MAC: case.raw[0].read_text(encoding="utf-8"), J.CMD_VLANS: vlans}, "sw1")
    by_name = {r.vlan_name: r.vlan for r in res.records}
    assert by_name == {"Vlan2": 2, "Vlan100": None, "Vlan1011": None}  # resolved only where show vlans says so


# --------------------------------------------------------------------------------------------
# Authored samples (NOT recorded from a device; written from the Junos CLI / XML formats).
# --------------------------------------------------------------------------------------------

AUTHORED_NON_ELS = """\
Ethernet-switching table: 5 entries, 3 learned
  VLAN              MAC address       Type         Age Interfaces
  cameras           *                 Flood          - All-members
  cameras           4c:bd:8f:00:00:01 Learn          0 ge-0/0/5.0
  cameras           00:1f:12:30:b8:81 Static         - Router
  default           a4:14:37:00:00:02 Static         - ge-0/0/7.0
  default           0:1b:2:3:4:5      Learn         30 ae0.0
garbage row here
"""
AUTHORED_VLANS_NON_ELS = """\
Name           Tag     Interfaces
cameras        110     ge-0/0/5.0*
default                ae0.0*, ge-0/0/7.0
"""


def test_authored_non_els_table(update_golden: bool) -> None:
    res = J.parse_mac_table({J.CMD_MAC: AUTHORED_NON_ELS, J.CMD_VLANS: AUTHORED_VLANS_NON_ELS}, "ex2200")
    got = {(r.mac, r.vlan, r.vlan_name, r.interface, r.kind) for r in res.records}
    assert got == {
        ("4c:bd:8f:00:00:01", 110, "cameras", "ge-0/0/5", "dynamic"),
        ("00:1f:12:30:b8:81", 110, "cameras", "", "self"),
        ("a4:14:37:00:00:02", None, "default", "ge-0/0/7", "static"),
        ("00:1b:02:03:04:05", None, "default", "ae0", "dynamic"),
    }
    assert res.skipped == 1
    H.check_golden(P, "authored__non_els_table", H.result_doc(res), update_golden)


AUTHORED_ELS_XML = """\
<rpc-reply xmlns:junos="http://xml.juniper.net/junos/18.4R2/junos">
    <l2ng-l2ald-rtb-macdb>
        <l2ng-l2ald-mac-entry-vlan junos:style="brief-rtb">
            <mac-count-global>2</mac-count-global>
            <l2ng-l2-mac-routing-instance>default-switch</l2ng-l2-mac-routing-instance>
            <l2ng-l2-vlan-id>110</l2ng-l2-vlan-id>
            <l2ng-mac-entry>
                <l2ng-l2-mac-vlan-name>cameras</l2ng-l2-mac-vlan-name>
                <l2ng-l2-mac-address>4c:bd:8f:00:00:01</l2ng-l2-mac-address>
                <l2ng-l2-mac-flags>D</l2ng-l2-mac-flags>
                <l2ng-l2-mac-age>-</l2ng-l2-mac-age>
                <l2ng-l2-mac-logical-interface>ge-0/0/5.0</l2ng-l2-mac-logical-interface>
            </l2ng-mac-entry>
            <l2ng-mac-entry>
                <l2ng-l2-mac-vlan-name>cameras</l2ng-l2-mac-vlan-name>
                <l2ng-l2-mac-address>a4:14:37:00:00:02</l2ng-l2-mac-address>
                <l2ng-l2-mac-flags>S</l2ng-l2-mac-flags>
                <l2ng-l2-mac-age>-</l2ng-l2-mac-age>
                <l2ng-l2-mac-logical-interface>ge-0/0/6.0</l2ng-l2-mac-logical-interface>
            </l2ng-mac-entry>
        </l2ng-l2ald-mac-entry-vlan>
    </l2ng-l2ald-rtb-macdb>
</rpc-reply>
{master:0}
"""


def test_authored_els_brief_xml() -> None:
    res = J.parse_mac_table({J.CMD_MAC + " | display xml": AUTHORED_ELS_XML}, "qfx")
    got = {(r.mac, r.vlan, r.vlan_name, r.interface, r.kind) for r in res.records}
    assert got == {
        ("4c:bd:8f:00:00:01", 110, "cameras", "ge-0/0/5", "dynamic"),
        ("a4:14:37:00:00:02", 110, "cameras", "ge-0/0/6", "static"),
    }


@pytest.mark.parametrize(
    "payload",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>',
        '<!DOCTYPE foo SYSTEM "file:///etc/passwd"><foo>&xxe;</foo>',
        '<a><!ENTITY x "y"></a>',
    ],
)
def test_xml_with_dtd_or_entities_is_refused(payload: str) -> None:
    with pytest.raises(ParseError, match="DOCTYPE or ENTITY"):
        J.parse_mac_table({J.CMD_MAC: payload}, "sw1")


def test_broken_xml_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="invalid XML"):
        J.parse_mac_table({J.CMD_MAC: "<l2ng-l2ald-rtb-macdb><unclosed>"}, "sw1")


AUTHORED_ARP_IRB = """\
MAC Address       Address         Interface                Flags
4c:bd:8f:00:00:01 10.10.110.21    irb.110 [ge-0/0/5.0]     none
a4:14:37:00:00:02 10.10.110.22    irb.110 [ae0.0]          permanent
00:11:22:33:44:55 10.10.1.1       vlan.1                   none
Total entries: 3

{master:0}
"""


def test_authored_arp_irb_uses_the_physical_port() -> None:
    res = J.parse_arp({J.CMD_ARP: AUTHORED_ARP_IRB}, "sw1")
    assert [(a.ip, a.interface) for a in res.records] == [
        ("10.10.110.21", "ge-0/0/5"),
        ("10.10.110.22", "ae0"),
        ("10.10.1.1", "vlan.1"),
    ]


AUTHORED_LLDP_DETAIL = """\
LLDP Neighbor Information:
Local Information:
Index: 3 Time to live: 120 Time mark: Mon Nov 30 09:00:00 2026 Age: 12 secs
Local Interface    : ge-0/0/5
Parent Interface   : -
Local Port ID      : 517
Ageout Count       : 0

Neighbour Information:
Chassis type       : Mac address
Chassis ID         : 4c:bd:8f:00:00:01
Port type          : Mac address
Port ID            : 4c:bd:8f:00:00:01
Port description   : eth0
System name        : IPC-DOOR-3

System Description : IP camera

System capabilities
        Supported: Station Only
        Enabled  : Station Only

LLDP Neighbor Information:
Local Information:
Index: 4 Time to live: 120 Time mark: Mon Nov 30 09:00:00 2026 Age: 3 secs
Local Interface    : xe-0/1/0
Parent Interface   : ae0
Local Port ID      : 600
Ageout Count       : 0

Neighbour Information:
Chassis type       : Mac address
Chassis ID         : 00:1c:73:ee:c0:46
Port type          : Interface name
Port ID            : Ethernet3/2/1
Port description   : uplink
System name        : core05

System capabilities
        Supported: Bridge Router
        Enabled  : Bridge Router
"""


def test_authored_lldp_detail_text() -> None:
    res = J.parse_neighbors({J.CMD_LLDP: "", J.CMD_LLDP_DETAIL: AUTHORED_LLDP_DETAIL}, "sw1")
    assert [(n.local_interface, n.remote_name, n.remote_port, n.capabilities) for n in res.records] == [
        ("ge-0/0/5", "IPC-DOOR-3", "4c:bd:8f:00:00:01", ("station",)),
        ("xe-0/1/0", "core05", "Ethernet3/2/1", ("bridge", "router")),
    ]


AUTHORED_ELS_SWITCHPORT = """\
Routing Instance Name : default-switch
Logical Interface flags (DL - disable learning, AD - packet action drop,
                         LH - MAC limit hit, DN - interface down,
                         MMAS - Mac-move action shutdown, AS - Autostate-exclude enabled,
                         SCTL - shutdown by Storm-control, MI - MAC+IP limit hit)

Logical         Vlan          TAG     MAC         MAC+IP    STP         Logical           Tagging
interface       members               limit       limit     state       interface flags
ge-0/0/5.0                            65535       0                                       untagged
                cameras       110     65535       0         Forwarding                    untagged
ae0.0                                 65535       0                                       tagged
                cameras       110     65535       0         Forwarding                    tagged
                default       1       65535       0         Forwarding                    untagged
xe-0/1/0.0                            65535       0                     DN                untagged
"""
AUTHORED_LACP = """\
Aggregated interface: ae0
    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity
      xe-0/1/0       Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active
      xe-0/1/0     Partner    No    No   Yes  Yes  Yes   Yes     Fast    Active
    LACP protocol:        Receive State  Transmit State          Mux State
      xe-0/1/0                  Current   Fast periodic Collecting distributing
"""
AUTHORED_DESCR = """\
Interface       Admin Link Description
ge-0/0/5        up    up   camera door 3
xe-0/1/0        down  down uplink core05
"""


def test_authored_els_switchport_lag_and_descriptions() -> None:
    res = J.parse_ports(
        {J.CMD_SWITCHPORT: AUTHORED_ELS_SWITCHPORT, J.CMD_LACP: AUTHORED_LACP, J.CMD_DESCR: AUTHORED_DESCR}, "sw1"
    )
    ports = {p.name: p for p in res.records}
    cam = ports["ge-0/0/5"]
    assert (cam.mode, cam.access_vlan, cam.description, cam.enabled) == ("access", 110, "camera door 3", True)
    assert ports["ae0"].is_lag and ports["ae0"].mode == "trunk" and ports["ae0"].trunk_vlans == (110,)
    member = ports["xe-0/1/0"]
    assert member.lag == "ae0" and member.mode != "access" and member.enabled is False
    assert res.skipped == 0


@pytest.mark.parametrize(
    ("command", "parser"),
    [
        (J.CMD_MAC, J.parse_mac_table),
        (J.CMD_ARP, J.parse_arp),
        (J.CMD_LLDP, J.parse_neighbors),
        (J.CMD_SWITCHPORT, J.parse_ports),
    ],
)
def test_device_error_names_switch_and_command(command: str, parser: H.Parser) -> None:
    text = f"{command} bogus\n                     ^\nsyntax error, expecting <command>.\n"
    with pytest.raises(DeviceError) as exc:
        parser({command: text}, "ex-dist-2")
    assert exc.value.switch == "ex-dist-2" and exc.value.command == command
    assert "ex-dist-2" in str(exc.value) and command in str(exc.value)


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------

PARSERS: List[Tuple[str, Callable[..., Any]]] = [
    (J.CMD_MAC, J.parse_mac_table),
    (J.CMD_ARP, J.parse_arp),
    (J.CMD_LLDP, J.parse_neighbors),
    (J.CMD_LLDP_DETAIL, J.parse_neighbors),
    (J.CMD_SWITCHPORT, J.parse_ports),
    (J.CMD_LACP, J.parse_ports),
    (J.CMD_VLANS, parse_vlans),
]
SAMPLES: List[Tuple[str, H.Parser, str]] = []
for _cid in TESTED:
    _parser, _outputs, _unused = build(CASES[_cid])
    for _cmd, _text in _outputs.items():
        if len(_text) < 40_000:  # the two large MX/QFX XML tables are slow to mutate 200 times
            SAMPLES.append((_cmd, _parser, _text))
SAMPLES.append((J.CMD_MAC, J.parse_mac_table, AUTHORED_ELS_XML))
SAMPLES.append((J.CMD_SWITCHPORT, J.parse_ports, AUTHORED_ELS_SWITCHPORT))


@settings(max_examples=H.FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PARSERS), st.text(max_size=400))
def test_random_text_never_crashes(pair: Tuple[str, H.Parser], text: str) -> None:
    H.assert_only_expected_errors(pair[1], {pair[0]: text})


@settings(max_examples=H.FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=12))
def test_mutated_real_outputs_never_crash(sample: Tuple[str, H.Parser, str], seed: int, rounds: int) -> None:
    command, parser, text = sample
    H.assert_only_expected_errors(parser, {command: H.mutate(text, random.Random(seed), rounds)})
