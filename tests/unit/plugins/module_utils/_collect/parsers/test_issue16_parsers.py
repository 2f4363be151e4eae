# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 16, items 2-7: parsers right on the layouts of other releases and models.

Every sample here is AUTHORED (not recorded from a device): ``tests/fixtures/authored/<platform>/``,
reconstructed from the vendors' public documentation; ``commands.yml`` names the source of each
(``variants`` for MAC tables, ``samples`` for the other commands). Each parse is pinned by a
golden file (``golden/<platform>/authored__issue16_<file>.json``, ``--update-golden``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import (
    PARSERS,
    aruba,
    comware,
    eos,
    exos,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParseResult
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface, short_interface

HERE = Path(__file__).resolve().parent
AUTHORED = HERE.parents[5] / "tests" / "fixtures" / "authored"
GOLDEN = HERE / "golden"


def _meta(platform: str) -> Dict[str, Any]:
    data: Dict[str, Any] = yaml.safe_load((AUTHORED / platform / "commands.yml").read_text(encoding="utf-8"))
    return data


def _text(platform: str, name: str) -> str:
    with (AUTHORED / platform / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


def _golden(platform: str, name: str, res: ParseResult[Any], update: bool) -> None:
    path = GOLDEN / platform / f"authored__issue16_{name.rsplit('.', 1)[0]}.json"
    doc = {
        "authored": True,
        "records": [r.to_dict() for r in res.records],
        "skipped": res.skipped,
        "warnings": res.warnings,
    }
    rendered = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --update-golden and read the diff"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(rendered)


def _samples() -> List[Any]:
    out = []
    for meta_file in sorted(AUTHORED.glob("*/commands.yml")):
        platform = meta_file.parent.name
        for name, meta in (_meta(platform).get("samples") or {}).items():
            out.append(pytest.param(platform, name, meta, id=f"{platform}-{name}"))
    return out


@pytest.mark.parametrize(("platform", "name", "meta"), _samples())
def test_every_sample_names_its_source_and_is_pinned(platform: str, name: str, meta: Dict[str, Any]) -> None:
    assert meta.get("source") and meta.get("command"), f"{platform}/{name}: say where the layout comes from"
    spec = PARSERS[platform]
    command = meta["command"]
    base = command.split(" | ")[0]
    getter = meta.get("getter") or next(g for g, cmds in spec.commands.items() if base in cmds)
    res = spec.parser(getter)({command: _text(platform, name)}, "sw-authored")
    assert res.records, f"{platform}/{name}: nothing parsed"


# ------------------------------------------------------------------ 2. EXOS show fdb flags


def test_exos_flag_words_are_flags_not_ports(update_golden: bool) -> None:
    res = exos.parse_mac_table({exos.CMD_FDB: _text("extreme_exos", "show_fdb_flags.txt")}, "sw1")
    ports = {r.interface for r in res.records}
    assert not {"miM", "mi", "S", "h", "D"} & ports, ports
    by_mac = {(r.mac, r.interface): r for r in res.records}
    assert ("00:04:96:52:a4:0d", "1:23") in by_mac
    assert ("00:04:96:52:a4:0e", "1:24") in by_mac
    assert ("00:11:22:33:44:62", "2:8") in by_mac
    assert ("00:11:22:33:44:60", "2:3") in by_mac and ("00:11:22:33:44:60", "2:4") in by_mac
    assert by_mac[("bc:ad:28:00:10:02", "1:6")].static
    assert by_mac[("00:11:22:33:44:63", "2:9")].kind == "secure"
    assert res.skipped == 0


def test_exos_12_layout(update_golden: bool) -> None:
    res = exos.parse_mac_table({exos.CMD_FDB: _text("extreme_exos", "show_fdb_exos12.txt")}, "sw1")
    assert [(r.mac, r.vlan, r.interface) for r in res.records] == [
        ("00:04:96:1f:a5:43", 1, "1"),
        ("01:23:45:67:89:ab", 60, "9"),
        ("01:23:45:67:89:ac", 40, "21"),
    ]


def test_exos_row_with_an_unknown_port_token_is_skipped_alone() -> None:
    text = _text("extreme_exos", "show_fdb_flags.txt").replace("d m  h        1:5", "d m  h        vpls1(10.0.0.9)")
    res = exos.parse_mac_table({exos.CMD_FDB: text}, "sw1")
    assert "bc:ad:28:00:10:01" not in {r.mac for r in res.records}
    assert len(res.records) == 8 and res.skipped == 1


# ------------------------------------------------------------------ 3. AOS-CX Neighbor System-Name


def test_aoscx_system_name_layout(update_golden: bool) -> None:
    res = aruba.parse_cx_neighbors({aruba.CX_LLDP: _text("aruba_aoscx", "show_lldp_neighbor-info_detail.txt")}, "sw1")
    got = {n.local_interface: n for n in res.records}
    assert got["1/1/49"].remote_name == "core-sw1"
    assert got["1/1/49"].capabilities == ("bridge",)
    assert got["1/1/2"].remote_name == "SEP0004F2000041"
    assert got["1/1/2"].capabilities == ("bridge", "phone")
    assert got["1/1/1"].remote_name == "" and got["1/1/1"].remote_mac == "bc:ad:28:00:10:01"  # no name TLV
    _golden("aruba_aoscx", "show_lldp_neighbor-info_detail.txt", res, update_golden)


def test_aoscx_older_chassis_name_layout_still_read() -> None:
    text = _text("aruba_aoscx", "show_lldp_neighbor-info_detail.txt").replace("System-Name", "Chassis-Name")
    res = aruba.parse_cx_neighbors({aruba.CX_LLDP: text}, "sw1")
    assert {n.remote_name for n in res.records} == {"", "SEP0004F2000041", "core-sw1"}


# ------------------------------------------------------------------ 4. Comware 5 Aggregation Interface


def test_comware5_aggregation_interface(update_golden: bool) -> None:
    members = comware.parse_lag_members(_text("hp_comware", "display_link-aggregation_member-port_cw5.txt"))
    assert members == {
        "GigabitEthernet1/0/23": "Bridge-Aggregation1",
        "GigabitEthernet1/0/24": "Bridge-Aggregation1",
        "Ten-GigabitEthernet1/1/1": "Bridge-Aggregation2",
    }
    outputs = {
        comware.CMD_BRIEF: _text("hp_comware", "display_interface_brief.txt"),
        comware.CMD_LAGS: _text("hp_comware", "display_link-aggregation_member-port_cw5.txt"),
    }
    res = comware.parse_ports(outputs, "sw1")
    by = {p.name: p for p in res.records}
    assert by["GigabitEthernet1/0/23"].lag == "Bridge-Aggregation1"
    assert by["Bridge-Aggregation1"].is_lag and by["Bridge-Aggregation2"].is_lag
    assert by["GigabitEthernet1/0/23"].mode != "access"
    _golden("hp_comware", "display_link-aggregation_member-port_cw5.txt", res, update_golden)


# ------------------------------------------------------------------ 5. ProCurve marked ports


def test_procurve_marked_ports_are_ports(update_golden: bool) -> None:
    res = aruba.parse_pc_ports({aruba.PC_BRIEF: _text("hp_procurve", "show_interfaces_brief_marked.txt")}, "sw1")
    by = {p.name: p for p in res.records}
    assert {"A1", "A2", "A7", "A8", "B1", "B2", "B3", "Trk1", "Trk2"} <= set(by), sorted(by)
    assert by["A8"].enabled and not by["A2"].enabled
    assert by["B3"].lag == "Trk2" and by["B1"].lag == "Trk1"
    assert res.skipped == 0, res.warnings
    _golden("hp_procurve", "show_interfaces_brief_marked.txt", res, update_golden)


def test_procurve_vsf_stack_ports(update_golden: bool) -> None:
    res = aruba.parse_pc_ports({aruba.PC_BRIEF: _text("hp_procurve", "show_interfaces_brief_vsf.txt")}, "sw1")
    by = {p.name: p for p in res.records}
    assert {"1/A1", "1/A2", "1/A24", "2/A1", "2/A24", "Trk1"} <= set(by), sorted(by)
    assert by["2/A24"].lag == "Trk1"
    assert res.skipped == 0, res.warnings
    _golden("hp_procurve", "show_interfaces_brief_vsf.txt", res, update_golden)


# ------------------------------------------------------------------ 6. IOS-XE FourHundredGigE


@pytest.mark.parametrize("platform", ["cisco_ios", "cisco_xe"])
def test_four_hundred_gig_short_and_long_names_are_one_port(platform: str) -> None:
    assert canonical_interface("Fou1/0/27", platform) == "FourHundredGigE1/0/27"
    assert canonical_interface("FourHundredGigE1/0/27", platform) == "FourHundredGigE1/0/27"
    assert canonical_interface("TwoHundredGigE1/0/3", platform) == "TwoHundredGigE1/0/3"
    assert short_interface("FourHundredGigE1/0/27") == "Fou1/0/27"


def test_four_hundred_gig_mac_table_joins_the_status_table(update_golden: bool) -> None:
    spec = PARSERS["cisco_ios"]
    macs = spec.parse_mac_table(
        {"show mac address-table": _text("cisco_ios", "show_mac_address-table_c9500x.txt")}, "sw1"
    )
    status = spec.parse_ports(
        {"show interfaces status": _text("cisco_ios", "show_interfaces_status_c9500x.txt")}, "sw1"
    )
    ports = {p.name for p in status.records}
    learned = {m.interface for m in macs.records if m.kind != "self"}
    assert learned == {"HundredGigE1/0/1", "FourHundredGigE1/0/27", "FourHundredGigE1/0/28"}
    assert learned <= ports, (learned, ports)
    _golden("cisco_ios", "show_mac_address-table_c9500x.txt", macs, update_golden)


# ------------------------------------------------------------------ 7. EOS static Router rows


def test_eos_json_static_router_rows_are_static(update_golden: bool) -> None:
    res = eos.parse_mac_table({eos.CMD_MAC + " | json": _text("arista_eos", "show_mac_address-table_json.txt")}, "sw1")
    selfs = [r for r in res.records if r.kind == "self"]
    assert len(selfs) == 3 and all(r.static and r.interface == "" for r in selfs), selfs
    by = {r.mac: r for r in res.records if r.kind != "self"}
    assert not by["bc:ad:28:00:10:01"].static
    assert by["a4:14:37:00:00:02"].static and by["a4:14:37:00:00:02"].kind == "static"
    _golden("arista_eos", "show_mac_address-table_json.txt", res, update_golden)


def test_eos_text_and_json_agree_on_router_rows() -> None:
    text = """\
          Mac Address Table
------------------------------------------------------------------

Vlan    Mac Address       Type        Ports      Moves   Last Move
----    -----------       ----        -----      -----   ---------
   1    001c.7300.0001    STATIC      Router
  10    bcad.2800.1001    DYNAMIC     Et5        1       0:00:42 ago
Total Mac Addresses for this criterion: 2
"""
    res = eos.parse_mac_table({eos.CMD_MAC: text}, "sw1")
    router = next(r for r in res.records if r.kind == "self")
    assert router.static


def test_aoscx_authored_bundle_joins(update_golden: bool) -> None:
    """One AOS-CX 10.10 switch: MAC table, LLDP and port data join on the same port names."""
    spec = PARSERS["aruba_aoscx"]
    outputs = {cmd: _text("aruba_aoscx", f) for f, cmd in _meta("aruba_aoscx")["bundle"].items()}
    macs = spec.parse_mac_table(outputs, "sw1")
    ports = {p.name: p for p in spec.parse_ports(outputs, "sw1").records}
    nbrs = spec.parse_neighbors(outputs, "sw1").records
    arp = spec.parse_arp(outputs, "sw1").records
    assert {m.interface for m in macs.records} <= set(ports)
    assert {n.local_interface for n in nbrs} <= set(ports)
    assert ports["1/1/49"].lag == "lag1" and ports["lag1"].is_lag and ports["1/1/49"].mode != "access"
    assert next(m for m in macs.records if m.mac == "bc:ad:28:00:10:22").kind == "secure"
    assert {a.interface for a in arp} == {"1/1/1", "1/1/2"}
    _golden("aruba_aoscx", "show_mac-address-table.txt", macs, update_golden)
