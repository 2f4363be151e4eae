# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Juniper Junos parsers (``parsers/junos.py``): VLAN names resolved from
``show vlans``, non-ELS and ELS formats, the XML safety rules, IRB ARP entries, LLDP detail text.

The recorded cases, goldens, upstream comparison, device errors, missing and unusable output and
fuzzing are the contract suite's (``test_contract.py``; the cases read as ``_family_junos.py`` says,
which also holds the authored ELS samples the fuzz tests mutate).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C
from _family_junos import AUTHORED_ELS_SWITCHPORT, AUTHORED_ELS_XML

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import junos as J
from ansible_collections.camguard.network.plugins.module_utils._records import ParseError

P = "juniper_junos"


def test_vlan_names_resolve_from_show_vlans() -> None:
    """The recorded ELS table of ntc-templates plus its recorded `show vlans` companion format."""
    case = C.MANIFEST[
        "ntc-templates/juniper_junos/show_ethernet-switching_table/juniper_junos_show_ethernet-switching_table"
    ]
    vlans = "Routing instance        VLAN name             Tag          Interfaces\ndefault-switch          Vlan2                 2\n"
    res = J.parse_mac_table({J.CMD_MAC: case.raw[0].read_text(encoding="utf-8"), J.CMD_VLANS: vlans}, "sw1")
    by_name = {r.vlan_name: r.vlan for r in res.records}
    assert by_name == {"Vlan2": 2, "Vlan100": None, "Vlan1011": None}  # resolved only where show vlans says so


# --------------------------------------------------------------------------------------------
# Authored samples (NOT recorded from a device; written from the Junos CLI / XML formats).
# AUTHORED_ELS_XML and AUTHORED_ELS_SWITCHPORT live in _family_junos.py: the fuzz tests mutate them.
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
    C.check_golden(C.GOLDEN / P / "authored__non_els_table.json", C.result_doc(res), update_golden, indent=2)


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
