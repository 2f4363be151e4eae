# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Ruckus / Brocade FastIron parsers (``parsers/fastiron.py``), on the authored switch of
``tests/fixtures/authored/ruckus_fastiron`` (see its README.md).

The recorded cases, goldens (recorded and authored), upstream comparison, device errors, optional
commands and fuzzing are the contract suite's (``test_contract.py``; ``_family_tier2.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

P = "ruckus_fastiron"


def test_fastiron_facts() -> None:
    res = C.run_getters(P, C.authored_bundle(P), C.AUTHORED_SWITCH)
    macs = C.by_mac(res["mac_table"].records)
    ports = {p.name: p for p in res["ports"].records}
    assert res["mac_table"].skipped == 1
    assert macs["60:9c:9f:00:00:03"][0].interface == "lag1"
    assert macs["cc:4e:24:15:01:5e"][0].kind == "self"  # CPU row
    assert macs["60:9c:9f:00:00:02"][0].static
    assert ports["lag1"].is_lag and ports["1/2/1"].lag == "lag1" and ports["1/2/1"].mode == "trunk"
    assert ports["1/1/5"].mode == "access" and ports["1/1/5"].access_vlan == 10
    assert not ports["1/1/7"].enabled
    assert ports["ve10"].mode == "routed"
    assert [(a.ip, a.interface) for a in res["arp"].records] == [("10.10.0.21", "1/1/5"), ("10.20.0.5", "lag1")]
    nbrs = {n.local_interface: n for n in res["neighbors"].records}
    assert nbrs["1/2/1"].capabilities == ("bridge", "router") and nbrs["1/2/1"].is_network_device
    assert nbrs["1/2/1"].remote_port == "Ten-GigabitEthernet1/0/1"
    assert nbrs["1/1/6"].capabilities == ("station",) and nbrs["1/1/6"].remote_mac is None
