# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Arista EOS parsers (``parsers/eos.py``): authored samples of the
real-world mess the recorded cases lack, and the capability words.

The recorded cases, goldens, upstream comparison, device errors, missing and unusable output and
fuzzing are the contract suite's (``test_contract.py``; the cases read as ``_family_eos.py`` says).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import eos as E
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import capability_words

P = "arista_eos"

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
    C.check_golden(C.GOLDEN / P / "authored__mac_table_mess.json", C.result_doc(res), update_golden, indent=2)


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
