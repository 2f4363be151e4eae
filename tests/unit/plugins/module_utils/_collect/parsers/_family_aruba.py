# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Aruba families of the parser contract (one parser module, ``parsers/aruba.py``, two
families): AOS-CX (``aruba_aoscx``) and ProCurve / AOS-Switch (``hp_procurve`` and
``aruba_os_switch`` cases: ntc-templates CLI text, napalm-community AOS-Switch REST JSON). How each
recorded case is fed to our parser and how its upstream expectation reads; and the authored
samples (NOT recorded from a device) that the family tests check and the fuzz tests mutate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import aruba as A

CX = "aruba_aoscx"
PC = "hp_procurve"


# --------------------------------------------------------------------------------------------
# AOS-CX
# --------------------------------------------------------------------------------------------


def _read_cx(case: C.Case) -> Tuple[C.Parser, Dict[str, str], List[Dict[str, Any]]]:
    key = (case.source, case.category)
    raw = case.raw[0].read_text(encoding="utf-8")
    if key == ("ntc-templates", "lldp"):
        exp = [
            {
                "local_interface": C.n_if(r["local_interface"], CX),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_port_id"],
                "capabilities": C.n_caps(r["capabilities"]),
                "remote_mac": C.n_mac_opt(r["chassis_id"]),
            }
            for r in case.read_expected()["parsed_sample"]
        ]
        return A.parse_cx_neighbors, {A.CX_LLDP: raw}, exp
    raise AssertionError(f"{case.case_id}: no reader for {key}")


CX_KEYS = (("ntc-templates", "lldp"),)


def build_cx(case: C.Case) -> C.Built:
    parser, outputs, expected = _read_cx(case)
    return C.Built(parser, outputs, expected, C.project_on_expected(expected))


# Authored samples: written from the AOS-CX 10.x CLI formats (the public fixture sets hold no
# AOS-CX MAC table, ARP, interface brief or LACP output).

CX_AUTHORED_MAC = """\
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

CX_AUTHORED_ARP = """\
IPv4 Address     MAC                Port         Physical Port                                     State     VRF
---------------------------------------------------------------------------------------------------------------------
10.10.110.21     4c:bd:8f:00:00:01  vlan110      1/1/5                                             reachable default
10.10.110.22     a4:14:37:00:00:02  vlan110      lag1                                              stale     default
10.0.0.1         00:50:56:aa:bb:cc  1/1/52                                                         reachable mgmt

Total Number Of ARP Entries Listed: 3.
---------------------------------------------------------------------------------------------------------------------
"""

CX_AUTHORED_BRIEF = """\
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
CX_AUTHORED_LACP = """\
Aggregate name   : lag1
Interfaces       : 1/1/49 1/1/50
Heartbeat rate   : Slow
Hash             : l3-src-dst
Aggregate mode   : Active
"""

AOSCX = C.Family(
    name=CX,
    platforms=(CX,),
    switch="sw-cx",
    builders={key: build_cx for key in CX_KEYS},
    key=lambda case: (case.source, case.category),
    min_cases=2,
    golden_indent=2,
    authored=(
        C.Seed(CX, CX_AUTHORED_MAC, A.CX_MAC, A.parse_cx_mac_table),
        C.Seed(CX, CX_AUTHORED_ARP, A.CX_ARP, A.parse_cx_arp),
        C.Seed(CX, CX_AUTHORED_BRIEF, A.CX_BRIEF, A.parse_cx_ports),
        C.Seed(CX, CX_AUTHORED_LACP, A.CX_LACP, A.parse_cx_ports),
    ),
)


# --------------------------------------------------------------------------------------------
# ProCurve / AOS-Switch
# --------------------------------------------------------------------------------------------


def _split_port(port: str) -> Tuple[str, Optional[str]]:
    """``1/28-Trk1`` -> (``1/28``, ``Trk1``); a truncated ``1/51-...`` has no usable trunk name."""
    name, _unused, trk = port.partition("-")
    return C.n_if(name, PC), (C.n_if(trk, PC) if trk.startswith("Trk") else None)


def _rest(case: C.Case, collection: str) -> str:
    """The napalm-community mock wraps each REST answer as {url: {status, data}}: unwrap ``data``."""
    facts = json.loads(case.raw_named("facts.json").read_text(encoding="utf-8"))
    return json.dumps(facts[collection]["data"])


def _read_pc(case: C.Case) -> Tuple[C.Parser, Dict[str, str], List[Dict[str, Any]]]:
    key = (case.source, case.category)
    raw = case.raw[0].read_text(encoding="utf-8")
    if key == ("ntc-templates", "mac_table"):
        exp = [
            {"mac": C.n_mac(r["mac_address"]), "vlan": C.n_vlan(r["vlan_id"]), "interface": C.n_if(r["port"], PC)}
            for r in C.ntc_rows(case)
        ]
        return A.parse_pc_mac_table, {A.PC_MAC: raw}, exp
    if key == ("ntc-templates", "arp"):
        exp = [
            {"ip": r["ip_address"], "mac": C.n_mac(r["mac_address"]), "interface": C.n_if(r["port"], PC)}
            for r in C.ntc_rows(case)
        ]
        return A.parse_pc_arp, {A.PC_ARP: raw}, exp
    if key == ("ntc-templates", "lldp"):
        exp = [
            {
                "local_interface": C.n_if(r["local_interface"], PC),
                "remote_name": r["neighbor_name"],
                "remote_port": r["neighbor_interface"],
                "capabilities": C.n_caps(r["capabilities"]),
                "remote_mac": C.n_mac_opt(r["chassis_id"]),
            }
            for r in C.ntc_rows(case)
        ]
        return A.parse_pc_neighbors, {A.PC_LLDP: raw}, exp
    if key == ("ntc-templates", "interface_status") and "brief" in case.command:
        exp = []
        for r in C.ntc_rows(case):
            name, lag = _split_port(r["port"])
            exp.append({"name": name, "lag": lag, "enabled": r["enabled"] == "Yes"})
        return A.parse_pc_ports, {A.PC_BRIEF: raw}, exp
    if key == ("ntc-templates", "interface_status"):
        exp = []
        for r in C.ntc_rows(case):
            name, lag = _split_port(r["port"])
            tagged, untagged = r["vlan_tagged"], r["vlan_untagged"]
            if tagged == "No" and untagged != "No":
                mode, access = "access", C.n_vlan(untagged)
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
                "mac": C.n_mac(r["mac"]),
                "vlan": C.n_vlan(r["vlan"]),
                "interface": C.n_if(r["interface"], PC),
                "static": r["static"],
            }
            for r in case.read_expected()
        ]
        return A.parse_pc_mac_table, {A.PC_MAC: _rest(case, "mac-table")}, exp
    if key == ("napalm-community", "lldp"):
        exp = [
            {"local_interface": C.n_if(local, PC), "remote_name": n["hostname"], "remote_port": n["port"]}
            for local, ns in case.read_expected().items()
            for n in ns
        ]
        return A.parse_pc_neighbors, {A.PC_LLDP: _rest(case, "lldp/remote-device")}, exp
    if key == ("napalm-community", "interface_status"):
        exp = [
            {"name": C.n_if(name, PC), "description": i["description"], "enabled": i["is_enabled"]}
            for name, i in case.read_expected().items()
        ]
        return A.parse_pc_ports, {A.PC_BRIEF: _rest(case, "ports")}, exp
    raise AssertionError(f"{case.case_id}: no reader for {key}")


PC_KEYS = (
    ("napalm-community", "interface_status"),
    ("napalm-community", "lldp"),
    ("napalm-community", "mac_table"),
    ("ntc-templates", "arp"),
    ("ntc-templates", "interface_status"),
    ("ntc-templates", "lldp"),
    ("ntc-templates", "mac_table"),
)


def build_pc(case: C.Case) -> C.Built:
    parser, outputs, expected = _read_pc(case)
    return C.Built(parser, outputs, expected, C.project_on_expected(expected))


# Authored samples: written from the ProCurve K/KB/WC CLI formats.

PC_AUTHORED_TRUNKS = """\

 Load Balancing Method:  L3-based (default)

  Port   | Name                             Type      | Group  Type
  ------ + -------------------------------- --------- + ------ --------
  1/51   | SW-07-02 uplink                  10GbE-GEN | Trk10  LACP
  2/51   | SW-07-02 uplink                  10GbE-GEN | Trk10  LACP
"""
PC_AUTHORED_STATUS = """\
  Port     Name       Status  Config-mode   Speed    Type       Tagged Untagged
  -------- ---------- ------- ------------- -------- ---------- ------ --------
  1/5      cam-door-3 Up      Auto          100FDx   100/1000T  No     110
  1/51-... SW-07-0... Up      Auto          10GigFD  10GbE-GEN  multi  1
  2/51-... SW-07-0... Up      Auto          10GigFD  10GbE-GEN  multi  1
"""

PC_AUTHORED_MAC = """\

 Status and Counters - Port Address Table

  MAC Address       Port                            VLAN
  ----------------- ------------------------------- ----
  4cbd8f-000001     A5                              110
  a41437-000002     Trk10                           110
  zz1437-000002     A6                              110
  --More--
  08eded-000003     2/14                            1
"""

PROCURVE = C.Family(
    name=PC,
    platforms=(PC,),
    switch="sw-procurve",
    builders={key: build_pc for key in PC_KEYS},
    key=lambda case: (case.source, case.category),
    min_cases=20,
    golden_indent=2,
    authored=(
        C.Seed(PC, PC_AUTHORED_TRUNKS, A.PC_TRUNKS, A.parse_pc_ports),
        C.Seed(PC, PC_AUTHORED_STATUS, A.PC_STATUS, A.parse_pc_ports),
        C.Seed(PC, PC_AUTHORED_MAC, A.PC_MAC, A.parse_pc_mac_table),
    ),
)
