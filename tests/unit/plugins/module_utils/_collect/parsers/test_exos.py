# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Extreme EXOS parsers (``parsers/exos.py``), on the authored switch of
``tests/fixtures/authored/extreme_exos`` (see its README.md).

The recorded cases, goldens (recorded and authored), upstream comparison, device errors, optional
commands and fuzzing are the contract suite's (``test_contract.py``; ``_family_tier2.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

P = "extreme_exos"


def test_exos_facts() -> None:
    res = C.run_getters(P, C.authored_bundle(P), C.AUTHORED_SWITCH)
    macs = C.by_mac(res["mac_table"].records)
    ports = {p.name: p for p in res["ports"].records}
    assert res["mac_table"].skipped == 1  # the zz:... junk row
    assert macs["bc:ad:28:00:00:01"][0].vlan == 10 and macs["bc:ad:28:00:00:01"][0].vlan_name == "cams"
    assert macs["bc:ad:28:00:00:02"][0].kind == "static"
    assert macs["bc:ad:28:00:00:03"][0].kind == "self"  # D - drop
    assert {m.interface for m in macs["00:11:22:33:44:56"]} == {"8", "9"}
    assert macs["00:11:22:33:44:57"][0].kind == "secure"  # lockdown
    assert macs["00:04:96:a0:5a:fa"][0].vlan is None and macs["00:04:96:a0:5a:fa"][0].vlan_name == "Mgmt"
    assert ports["1"].is_lag and ports["2"].lag == "1" and ports["1"].mode == "trunk"
    assert ports["1"].trunk_vlans == (1, 10, 20)
    assert ports["5"].mode == "access" and ports["5"].access_vlan == 10 and ports["5"].description == "cam-yard-01"
    assert not ports["7"].enabled
    nbrs = res["neighbors"].records
    assert [(n.local_interface, n.remote_name, n.remote_port) for n in nbrs] == [
        ("1", "core-x670", "1:49"),
        ("2", "core-x670", "1:50"),
        ("6", "", "bc:ad:28:00:00:02"),
    ]
