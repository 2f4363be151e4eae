# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the HPE Comware parsers (``parsers/comware.py``), on the authored switch of
``tests/fixtures/authored/hp_comware`` (see its README.md), and Windows line endings.

The recorded cases, goldens (recorded and authored), upstream comparison, device errors, optional
commands and fuzzing are the contract suite's (``test_contract.py``; ``_family_tier2.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS

P = "hp_comware"


def test_comware_facts() -> None:
    res = C.run_getters(P, C.authored_bundle(P), C.AUTHORED_SWITCH)
    macs = C.by_mac(res["mac_table"].records)
    ports = {p.name: p for p in res["ports"].records}
    assert res["mac_table"].skipped == 1  # the zzzz-... junk row
    assert [m.interface for m in macs["00:11:22:33:44:01"]] == ["GigabitEthernet1/0/5"]
    assert macs["00:11:22:33:44:02"][0].kind == "static" and macs["00:11:22:33:44:02"][0].static
    assert macs["00:11:22:33:44:03"][0].kind == "self" and macs["00:11:22:33:44:03"][0].interface == ""
    assert macs["00:11:22:33:44:04"][0].interface == "Bridge-Aggregation1"
    assert macs["00:11:22:33:44:05"][0].kind == "secure"
    assert {m.interface for m in macs["00:11:22:33:44:06"]} == {"GigabitEthernet1/0/8", "Ten-GigabitEthernet1/0/51"}
    assert macs["00:11:22:33:44:07"][0].interface == "Twenty-FiveGigE1/0/52"
    assert ports["Bridge-Aggregation1"].is_lag and ports["Bridge-Aggregation1"].mode == "trunk"
    assert ports["Ten-GigabitEthernet1/0/49"].lag == "Bridge-Aggregation1"
    assert ports["GigabitEthernet1/0/5"].mode == "access" and ports["GigabitEthernet1/0/5"].access_vlan == 10
    assert ports["GigabitEthernet1/0/5"].description == "cam-lobby"
    assert not ports["GigabitEthernet1/0/7"].enabled
    assert ports["GigabitEthernet1/0/8"].mode == "trunk"  # hybrid carries several VLANs
    assert ports["M-GigabitEthernet0/0/0"].mode == "routed"
    assert {a.interface for a in res["arp"].records} <= set(ports)
    cw5 = C.run_getters(
        P, {"display mac-address": C.authored_text(P, "display_mac-address_cw5.txt")}, C.AUTHORED_SWITCH
    )
    kinds = [(m.interface, m.kind) for m in cw5["mac_table"].records]
    assert kinds == [
        ("GigabitEthernet1/0/24", "dynamic"),
        ("GigabitEthernet1/0/3", "static"),
        ("Bridge-Aggregation2", "static"),
    ]


def test_vlan_all_and_windows_line_endings_are_equivalent() -> None:
    spec = PARSERS[P]
    unix = C.authored_bundle(P)
    crlf = {k: v.replace("\r\n", "\n").replace("\n", "\r\n") for k, v in unix.items()}
    for getter in GETTERS:
        a = spec.parser(getter)(unix, C.AUTHORED_SWITCH)
        b = spec.parser(getter)(crlf, C.AUTHORED_SWITCH)
        assert a.records == b.records and a.skipped == b.skipped
