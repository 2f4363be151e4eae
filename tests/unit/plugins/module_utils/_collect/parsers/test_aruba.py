# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is particular to the Aruba parsers (``parsers/aruba.py``): AOS-CX and ProCurve /
AOS-Switch on the authored samples of the commands the public fixtures do not cover (held in
``_family_aruba.py``, where the fuzz tests mutate them too), and the ProCurve trunk names.

The recorded cases, goldens, upstream comparison, device errors, missing and unusable output and
fuzzing are the contract suite's (``test_contract.py``; the cases read as ``_family_aruba.py`` says).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C
from _family_aruba import (
    CX,
    CX_AUTHORED_ARP,
    CX_AUTHORED_BRIEF,
    CX_AUTHORED_LACP,
    CX_AUTHORED_MAC,
    PC,
    PC_AUTHORED_MAC,
    PC_AUTHORED_STATUS,
    PC_AUTHORED_TRUNKS,
)

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import aruba as A

# --------------------------------------------------------------------------------------------
# AOS-CX
# --------------------------------------------------------------------------------------------


def test_aoscx_authored_mac_table(update_golden: bool) -> None:
    res = A.parse_cx_mac_table({A.CX_MAC: CX_AUTHORED_MAC.replace("\n", "\r\n")}, "sw-cx-01")
    got = {(r.mac, r.vlan, r.interface, r.kind, r.static) for r in res.records}
    assert got == {
        ("4c:bd:8f:00:00:01", 110, "1/1/5", "dynamic", False),
        ("a4:14:37:00:00:02", 110, "1/1/6", "secure", True),
        ("00:50:56:aa:bb:cc", 1, "lag1", "static", True),
        ("08:ed:ed:00:00:03", 1, "2/1/48", "dynamic", False),  # second VSF member
    }
    assert res.skipped == 2
    C.check_golden(C.GOLDEN / CX / "authored__mac_table.json", C.result_doc(res), update_golden, indent=2)


def test_aoscx_authored_arp() -> None:
    res = A.parse_cx_arp({A.CX_ARP: CX_AUTHORED_ARP}, "sw1")
    assert [(a.ip, a.mac, a.interface, a.vrf) for a in res.records] == [
        ("10.10.110.21", "4c:bd:8f:00:00:01", "1/1/5", "default"),
        ("10.10.110.22", "a4:14:37:00:00:02", "lag1", "default"),
        ("10.0.0.1", "00:50:56:aa:bb:cc", "1/1/52", "mgmt"),
    ]
    assert res.skipped == 0


def test_aoscx_authored_ports_lag_never_access(update_golden: bool) -> None:
    res = A.parse_cx_ports({A.CX_BRIEF: CX_AUTHORED_BRIEF, A.CX_LACP: CX_AUTHORED_LACP}, "sw1")
    ports = {p.name: p for p in res.records}
    cam = ports["1/1/5"]
    assert (cam.mode, cam.access_vlan, cam.description, cam.enabled) == ("access", 110, "camera door 3", True)
    assert ports["1/1/6"].enabled is False and ports["1/1/6"].description == ""
    assert ports["1/1/51"].mode == "routed" and ports["1/1/51"].description == "to router"
    for m in ("1/1/49", "1/1/50"):
        assert ports[m].lag == "lag1" and ports[m].mode != "access"
    assert ports["lag1"].is_lag and ports["lag1"].mode == "trunk" and ports["lag1"].description == "uplink core"
    assert res.skipped == 0
    C.check_golden(C.GOLDEN / CX / "authored__ports.json", C.result_doc(res), update_golden, indent=2)


# --------------------------------------------------------------------------------------------
# ProCurve / AOS-Switch
# --------------------------------------------------------------------------------------------


def test_procurve_brief_and_status_join_on_the_same_port_names() -> None:
    """Recorded stacked-switch brief output: ``1/28-Trk1`` is port ``1/28`` in trunk ``Trk1``."""
    case = C.MANIFEST["ntc-templates/hp_procurve/show_interfaces_brief/show_interfaces_brief_stack"]
    res = A.parse_pc_ports({A.PC_BRIEF: case.raw[0].read_text(encoding="utf-8")}, "sw1")
    ports = {p.name: p for p in res.records}
    assert ports["1/28"].lag == "Trk1" and ports["3/28"].lag == "Trk1"
    assert ports["Trk1"].is_lag
    assert ports["1/1"].lag is None


def test_procurve_authored_truncated_trunk_names_resolved_by_show_trunks(update_golden: bool) -> None:
    without = A.parse_pc_ports({A.PC_STATUS: PC_AUTHORED_STATUS}, "sw1")
    assert any("truncated" in w for w in without.warnings)
    res = A.parse_pc_ports({A.PC_STATUS: PC_AUTHORED_STATUS, A.PC_TRUNKS: PC_AUTHORED_TRUNKS}, "sw1")
    ports = {p.name: p for p in res.records}
    assert ports["1/51"].lag == "Trk10" and ports["2/51"].lag == "Trk10"
    assert ports["Trk10"].is_lag
    assert (ports["1/5"].mode, ports["1/5"].access_vlan, ports["1/5"].description) == ("access", 110, "cam-door-3")
    assert not res.warnings
    C.check_golden(C.GOLDEN / PC / "authored__trunks.json", C.result_doc(res), update_golden, indent=2)


def test_procurve_authored_mac_table() -> None:
    res = A.parse_pc_mac_table({A.PC_MAC: PC_AUTHORED_MAC}, "sw1")
    assert [(m.mac, m.interface, m.vlan) for m in res.records] == [
        ("4c:bd:8f:00:00:01", "A5", 110),
        ("a4:14:37:00:00:02", "Trk10", 110),
        ("08:ed:ed:00:00:03", "2/14", 1),
    ]
    assert res.skipped == 1
