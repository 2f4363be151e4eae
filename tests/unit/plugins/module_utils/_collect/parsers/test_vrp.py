# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Huawei VRP parsers (``parsers/vrp.py``), on the authored switch of
``tests/fixtures/authored/huawei_vrp`` (see its README.md).

The recorded cases, goldens (recorded and authored), upstream comparison, device errors, optional
commands and fuzzing are the contract suite's (``test_contract.py``; ``_family_tier2.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

P = "huawei_vrp"


def test_vrp_facts() -> None:
    res = C.run_getters(P, C.authored_bundle(P), C.AUTHORED_SWITCH)
    macs = C.by_mac(res["mac_table"].records)
    ports = {p.name: p for p in res["ports"].records}
    assert res["mac_table"].skipped == 1  # the 'what?' type
    assert macs["2c:ab:00:11:00:01"][0].interface == "GigabitEthernet0/0/5"
    assert macs["2c:ab:00:11:00:02"][0].kind == "secure"  # sticky
    assert macs["2c:ab:00:11:00:03"][0].interface == "Eth-Trunk1"
    assert macs["2c:ab:00:11:00:05"][0].kind == "self"  # blackhole
    assert ports["Eth-Trunk1"].is_lag and ports["Eth-Trunk1"].mode == "trunk"
    assert ports["Eth-Trunk1"].trunk_vlans == (1, 10, 20, 30, 100, 101, 102, 200, 300)  # wrapped list joined
    assert ports["XGigabitEthernet0/0/1"].lag == "Eth-Trunk1" and ports["XGigabitEthernet0/0/1"].mode == "trunk"
    assert ports["GigabitEthernet0/0/5"].description == "cam-parking-01"
    assert ports["GigabitEthernet0/0/8"].mode == "trunk" and ports["GigabitEthernet0/0/8"].trunk_vlans == (10, 30)
    assert not ports["GigabitEthernet0/0/7"].enabled
    assert ports["Vlanif10"].mode == "routed"
    ce = C.run_getters(P, {"display mac-address": C.authored_text(P, "display_mac-address_ce.txt")}, C.AUTHORED_SWITCH)
    rows = [(m.vlan, m.vlan_name, m.interface) for m in ce["mac_table"].records]
    assert rows == [(10, None, "10GE1/0/1"), (None, "-/vsi-a/-", "10GE1/0/2"), (None, "-/-/2001", "Eth-Trunk10")]
