# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tier-2 parsers on AUTHORED (not recorded) outputs, device errors and fuzzing.

The authored outputs (tests/fixtures/authored/<platform>/, see its README.md) cover commands that
the recorded corpus lacks (Comware/OS10/EXOS MAC tables, OS10 config, EXOS LLDP...). Each platform's
bundle is one imaginary switch, so the tests also prove that MAC table, LLDP, ARP and port data
join on the same canonical interface names and that LAG members are never access ports.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParseResult
from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS as _ALL_PLATFORMS
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

TIER2_SPECS = {k: spec for k, spec in PARSERS.items() if _ALL_PLATFORMS[k].tier == 2}

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[5]
AUTHORED = REPO / "tests" / "fixtures" / "authored"
RECORDED = REPO / "tests" / "fixtures" / "recorded"
GOLDEN = HERE / "golden"
SWITCH = "sw-authored"
PLATFORMS = sorted(TIER2_SPECS)
GETTERS = ("mac_table", "arp", "neighbors", "ports")
FUZZ_EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))
CANON_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def _commands(platform: str) -> Dict[str, Any]:
    data: Dict[str, Any] = yaml.safe_load((AUTHORED / platform / "commands.yml").read_text(encoding="utf-8"))
    return data


def _read(platform: str, name: str) -> str:
    # newline="" keeps the Windows line endings some samples carry on purpose
    with (AUTHORED / platform / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


def _bundle(platform: str) -> Dict[str, str]:
    return {cmd: _read(platform, f) for f, cmd in _commands(platform)["bundle"].items()}


def _run(platform: str, outputs: Dict[str, str]) -> Dict[str, ParseResult[Any]]:
    spec = TIER2_SPECS[platform]
    return {g: getattr(spec, f"parse_{g}")(outputs, SWITCH) for g in GETTERS}


def _dump(results: Dict[str, ParseResult[Any]]) -> Dict[str, Any]:
    return {
        g: {"records": [r.to_dict() for r in res.records], "skipped": res.skipped, "warnings": res.warnings}
        for g, res in results.items()
    }


def _check_golden(platform: str, name: str, data: Dict[str, Any], update: bool) -> None:
    path = GOLDEN / platform / f"authored__{name}.json"
    rendered = json.dumps({"authored": True, **data}, indent=1, sort_keys=True) + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --update-golden and read the diff"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(rendered)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_authored_bundle_golden_and_joins(platform: str, update_golden: bool) -> None:
    results = _run(platform, _bundle(platform))
    _check_golden(platform, "bundle", _dump(results), update_golden)
    ports = {p.name: p for p in results["ports"].records}
    assert ports, "authored bundle yields no ports"
    for m in results["mac_table"].records:
        assert CANON_MAC.match(m.mac) and m.switch == SWITCH
        if m.kind == "self":
            assert m.interface == ""
        else:
            assert m.interface in ports, f"MAC table port {m.interface!r} does not join the port table"
    for n in results["neighbors"].records:
        assert n.local_interface in ports, f"LLDP port {n.local_interface!r} does not join the port table"
    for p in ports.values():
        assert is_safe_interface(p.name)
        if p.lag is not None and p.lag != p.name:
            assert ports[p.lag].is_lag, f"{p.name}: aggregate {p.lag} not marked is_lag"
            assert not (p.mode == "access" and ports[p.lag].mode == "trunk"), f"{p.name}: LAG member taken as access"


@pytest.mark.parametrize(
    ("platform", "name"),
    [(p, f) for p in PLATFORMS for f in sorted(_commands(p).get("variants") or {})],
)
def test_authored_variants_golden(platform: str, name: str, update_golden: bool) -> None:
    cmd = _commands(platform)["variants"][name]
    results = _run(platform, {cmd: _read(platform, name)})
    assert results["mac_table"].records, f"{name}: no MAC entries"
    _check_golden(platform, name.rsplit(".", 1)[0], _dump(results), update_golden)


def _macs(platform: str) -> Dict[str, List[Any]]:
    out: Dict[str, List[Any]] = {}
    for m in _run(platform, _bundle(platform))["mac_table"].records:
        out.setdefault(m.mac, []).append(m)
    return out


def test_comware_facts() -> None:
    res = _run("hp_comware", _bundle("hp_comware"))
    macs = _macs("hp_comware")
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
    cw5 = _run("hp_comware", {"display mac-address": _read("hp_comware", "display_mac-address_cw5.txt")})
    kinds = [(m.interface, m.kind) for m in cw5["mac_table"].records]
    assert kinds == [
        ("GigabitEthernet1/0/24", "dynamic"),
        ("GigabitEthernet1/0/3", "static"),
        ("Bridge-Aggregation2", "static"),
    ]


def test_vrp_facts() -> None:
    res = _run("huawei_vrp", _bundle("huawei_vrp"))
    macs = _macs("huawei_vrp")
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
    ce = _run("huawei_vrp", {"display mac-address": _read("huawei_vrp", "display_mac-address_ce.txt")})
    rows = [(m.vlan, m.vlan_name, m.interface) for m in ce["mac_table"].records]
    assert rows == [(10, None, "10GE1/0/1"), (None, "-/vsi-a/-", "10GE1/0/2"), (None, "-/-/2001", "Eth-Trunk10")]


def test_os10_facts() -> None:
    res = _run("dell_os10", _bundle("dell_os10"))
    macs = _macs("dell_os10")
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


def test_fastiron_facts() -> None:
    res = _run("ruckus_fastiron", _bundle("ruckus_fastiron"))
    macs = _macs("ruckus_fastiron")
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


def test_exos_facts() -> None:
    res = _run("extreme_exos", _bundle("extreme_exos"))
    macs = _macs("extreme_exos")
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


# ---- device errors name the switch and the command; optional commands only warn

ERRORS = {
    "hp_comware": "                   ^\n % Unrecognized command found at '^' position.\n",
    "huawei_vrp": "              ^\nError: Unrecognized command found at '^' position.\n",
    "dell_os10": "% Error: Unrecognized command.\n",
    "ruckus_fastiron": "Invalid input -> mac-addres\nType ? for a list\n",
    "extreme_exos": "\n%% Invalid input detected at '^' marker.\n",
}


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("getter", GETTERS)
def test_device_error_names_switch_and_command(platform: str, getter: str) -> None:
    spec = TIER2_SPECS[platform]
    required = [c for c in spec.commands[getter] if c not in spec.optional]
    outputs = {c: ERRORS[platform] for c in required}
    with pytest.raises(DeviceError) as err:
        getattr(spec, f"parse_{getter}")(outputs, "sw-err-01")
    assert err.value.switch == "sw-err-01" and err.value.command in required
    assert "sw-err-01" in str(err.value) and str(err.value.command) in str(err.value)


@pytest.mark.parametrize("platform", [p for p in PLATFORMS if TIER2_SPECS[p].optional])
def test_optional_command_error_is_a_warning(platform: str) -> None:
    spec = TIER2_SPECS[platform]
    outputs = _bundle(platform)
    for cmd in spec.optional:
        outputs[cmd] = ERRORS[platform]
    res = spec.parse_ports(outputs, SWITCH)
    assert res.records and any("optional command" in w for w in res.warnings)


def test_os10_xml_with_dtd_is_refused() -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
        "<rpc-reply><data><interface><name>ethernet1/1/1</name></interface></data></rpc-reply>"
    )
    res = TIER2_SPECS["dell_os10"].parse_neighbors({"show lldp neighbors | display-xml": evil}, SWITCH)
    assert res.records == [] and res.skipped == 1


def test_vlan_all_and_windows_line_endings_are_equivalent() -> None:
    spec = TIER2_SPECS["hp_comware"]
    unix = _bundle("hp_comware")
    crlf = {k: v.replace("\r\n", "\n").replace("\n", "\r\n") for k, v in unix.items()}
    for getter in GETTERS:
        a = getattr(spec, f"parse_{getter}")(unix, SWITCH)
        b = getattr(spec, f"parse_{getter}")(crlf, SWITCH)
        assert a.records == b.records and a.skipped == b.skipped


# ---- property tests: random text and mutated real outputs never raise anything but ParseError/DeviceError


def _samples() -> List[str]:
    texts = [
        _read(p, f) for p in PLATFORMS for f in list(_commands(p)["bundle"]) + list(_commands(p)["variants"] or {})
    ]
    for family in ("hp_comware", "huawei_vrp", "ruckus_fastiron", "brocade_fastiron", "extreme_exos"):
        for path in sorted(RECORDED.glob(f"ntc-templates/{family}/*/*.raw")):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    texts.extend(p.read_text(encoding="utf-8") for p in sorted(RECORDED.glob("napalm-community/dellos10/*/*/*.txt")))
    return texts


SAMPLES = _samples()


def _mutate(text: str, seed: int, ops: int) -> str:
    rnd = random.Random(seed)
    lines = text.splitlines(keepends=True)
    for _unused in range(ops):
        if not lines:
            break
        i = rnd.randrange(len(lines))
        op = rnd.randrange(5)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rnd.randrange(len(lines))])
        elif op == 2:
            cut = rnd.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut] + "\n"
        elif op == 3:
            lines[i] = "".join(rnd.choice('ab:.-/ 0123456789()"<>\t') for _unused in range(len(lines[i])))
        else:
            lines[i] = lines[i].replace(" ", "   ", 1).upper()
    return "".join(lines)


def _exercise(text: str) -> None:
    for platform in PLATFORMS:
        spec = TIER2_SPECS[platform]
        for getter in GETTERS:
            outputs = {c: text for c in spec.commands[getter]}
            try:
                res = getattr(spec, f"parse_{getter}")(outputs, SWITCH)
            except (ParseError, DeviceError):
                continue
            for r in res.records:
                if hasattr(r, "mac") and r.mac is not None:
                    assert CANON_MAC.match(r.mac)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_random_text_never_crashes(text: str) -> None:
    _exercise(text)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(SAMPLES))), st.integers(0, 2**32), st.integers(1, 12))
def test_mutated_outputs_never_crash(index: int, seed: int, ops: int) -> None:
    _exercise(_mutate(SAMPLES[index], seed, ops))
