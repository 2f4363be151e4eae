# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Dell OS10 parsers (``parsers/os10.py``), on the authored switch of
``tests/fixtures/authored/dell_os10`` (see its README.md), and its XML safety.

The recorded cases, goldens (recorded and authored), upstream comparison, device errors, optional
commands and fuzzing are the contract suite's (``test_contract.py``; ``_family_tier2.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS

P = "dell_os10"


def test_os10_facts() -> None:
    res = C.run_getters(P, C.authored_bundle(P), C.AUTHORED_SWITCH)
    macs = C.by_mac(res["mac_table"].records)
    ports = {p.name: p for p in res["ports"].records}
    assert res["mac_table"].skipped == 1
    assert macs["2c:a5:9c:00:00:02"][0].kind == "static"
    assert macs["04:09:73:e3:22:40"][0].interface == "ethernet1/1/12:1"
    assert macs["00:50:56:af:ca:a3"][0].vlan == 30
    assert ports["port-channel10"].is_lag and ports["port-channel10"].trunk_vlans == (10, 20, 30)
    assert ports["ethernet1/1/1"].lag == "port-channel10" and ports["ethernet1/1/1"].mode == "trunk"
    assert ports["ethernet1/1/6"].access_vlan == 10 and ports["ethernet1/1/6"].description == "cam-dock-01"
    assert ports["ethernet1/1/1"].description == "uplink core-sw01"
    assert not ports["ethernet1/1/7"].enabled
    assert ports["ethernet1/1/8"].trunk_vlans == (10, 20, 21, 22)
    assert ports["ethernet1/1/20"].mode == "routed" and ports["vlan10"].mode == "routed"
    assert [(a.ip, a.interface) for a in res["arp"].records][:2] == [("10.10.0.21", "vlan10"), ("10.20.0.5", "vlan20")]


def test_os10_xml_with_dtd_is_refused() -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
        "<rpc-reply><data><interface><name>ethernet1/1/1</name></interface></data></rpc-reply>"
    )
    res = PARSERS[P].parse_neighbors({"show lldp neighbors | display-xml": evil}, C.AUTHORED_SWITCH)
    assert res.records == [] and res.skipped == 1
