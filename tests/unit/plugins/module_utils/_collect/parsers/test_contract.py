# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parser contract: one suite over every platform of ``PARSERS`` and every recorded case of
``tests/fixtures/recorded/MANIFEST.tsv`` (the NAPALM ``mocked_data`` pattern; like
``hardening/test_fuzz_all.py``, one suite over all platforms).

What every parser owes, whatever its platform:

1. every recorded case of its platforms is run, or not run for a written reason;
2. a run case gives our golden records (``--update-golden`` rewrites them) and the upstream's
   expected parse, except the differences declared with their reasons in
   ``differences_<family>.yml``; a declared difference that no longer exists fails too;
3. a device error printed instead of a command's output raises ``DeviceError`` naming the switch
   and the command; no output at all gives an empty result; unusable output raises ``ParseError``;
4. neither random text nor a real output damaged at random makes it raise anything else, and every
   record it returns meets the data contract of ``_records``;
5. the outputs of one authored switch (``tests/fixtures/authored``) join on the same port names.

The ParserSpec's shape (the four getters, optional commands among them) is checked with the
registry in ``_collect/test_parsers_common.py``.

How a family's recorded cases read lives in ``_family_<name>.py``; the machinery in ``_contract.py``;
what is particular to one parser in ``test_<parser module>.py``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C
from _family_aruba import AOSCX, PROCURVE
from _family_cisco import CISCO
from _family_eos import EOS
from _family_junos import JUNOS
from _family_tier2 import TIER2_FAMILY

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS
from ansible_collections.camguard.network.plugins.module_utils._ifname import is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

FAMILIES: Tuple[C.Family, ...] = (CISCO, EOS, JUNOS, AOSCX, PROCURVE, TIER2_FAMILY)
FAMILY_IDS = [f.name for f in FAMILIES]
PLATFORMS = sorted(PARSERS)
SETTINGS = settings(
    max_examples=C.FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def family_of(case: C.Case) -> C.Family:
    (family,) = [f for f in FAMILIES if case.key in f.platforms]
    return family


# --------------------------------------------------------------------------------------------
# 1. Every recorded case is run or explained
# --------------------------------------------------------------------------------------------


def test_every_recorded_case_belongs_to_one_family() -> None:
    assert C.MANIFEST, "no recorded cases found in MANIFEST.tsv"
    for case in C.MANIFEST.values():
        assert case.key in PARSERS, f"{case.case_id}: MANIFEST platform {case.platform!r} is no parser's platform"
        owners = [f.name for f in FAMILIES if case.key in f.platforms]
        assert len(owners) == 1, f"{case.case_id}: read by families {owners} (exactly one needed)"
        assert case.raw and case.expected is not None, f"{case.case_id}: raw or expected file missing"
        for path in [*case.raw, case.expected]:
            assert path.is_file(), f"{case.case_id}: {path} is in the MANIFEST but not on disk"


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILY_IDS)
def test_every_recorded_case_is_run_or_explained(family: C.Family) -> None:
    ids = {c.case_id for c in family.cases}
    assert len(ids) >= family.min_cases, f"the MANIFEST should hold at least {family.min_cases} {family.name} cases"
    declared = family.declared
    for case in family.cases:
        if case.case_id in declared.not_used:
            assert not family.has_builder(case), f"{case.case_id}: both run and listed under not_used"
        elif family.reason_not_run(case) is None:
            assert family.has_builder(case), (
                f"{case.case_id}: fixture command {family.key(case)} neither parsed nor explained: add a reader "
                f"to _family_{family.name}.py or list the case under not_used in {declared.path.name}"
            )
    run = {c.case_id for c in family.run_cases}
    stale = sorted(set(declared.not_used) - ids) + sorted(set(declared.differences) - run)
    assert not stale, f"{declared.path.name} names cases that are not {family.name} cases or are not run: {stale}"


# --------------------------------------------------------------------------------------------
# 2. Goldens and the upstream expectation
# --------------------------------------------------------------------------------------------

RUN_CASES = [c.case_id for f in FAMILIES for c in f.run_cases]
# "<family>/<case id>": ``pytest -k cisco --update-golden`` picks one family's cases
RUN_IDS = [f"{f.name}/{c.case_id}" for f in FAMILIES for c in f.run_cases]


@pytest.mark.parametrize("case_id", RUN_CASES, ids=RUN_IDS)
def test_recorded_case(case_id: str, update_golden: bool) -> None:
    case = C.MANIFEST[case_id]
    family = family_of(case)
    built = family.build(case)
    result = built.parser(built.outputs, family.switch)
    C.check_golden(family.golden_path(case), family.golden_doc(case, result), update_golden, family.golden_indent)
    for rec in result.records:
        if isinstance(rec, C.RECORD_TYPES):
            C.check_record(rec, case.key)
            for name in (getattr(rec, "interface", None), getattr(rec, "name", None)):
                assert not name or is_safe_interface(name), f"{case_id}: unsafe interface name {name!r}"
    C.check_declared(case_id, C.compare(built.project(result.records), built.expected), result, family.declared)


# --------------------------------------------------------------------------------------------
# 3. Device errors, missing and unusable output
# --------------------------------------------------------------------------------------------

# What each platform prints when it refuses a command ({command} is the command sent).
DEVICE_ERRORS: Dict[str, Tuple[str, ...]] = {
    "cisco_ios": ("              ^\n% Invalid input detected at '^' marker.\n",),
    "cisco_nxos": ("              ^\n% Invalid input detected at '^' marker.\n",),
    "arista_eos": (
        "% Invalid input (privileged mode required)",
        "show ip arp\n% Incomplete command",
        "% Unrecognized command",
        "% Invalid input at line 1",
    ),
    "juniper_junos": ("{command} bogus\n                     ^\nsyntax error, expecting <command>.\n",),
    "aruba_aoscx": ("Invalid input: bogus\n",),
    "hp_procurve": ("Invalid input: bogus\n",),
    "hp_comware": ("                   ^\n % Unrecognized command found at '^' position.\n",),
    "huawei_vrp": ("              ^\nError: Unrecognized command found at '^' position.\n",),
    "dell_os10": ("% Error: Unrecognized command.\n",),
    "ruckus_fastiron": ("Invalid input -> mac-addres\nType ? for a list\n",),
    "extreme_exos": ("\n%% Invalid input detected at '^' marker.\n",),
}
# Platforms whose outputs are JSON: the collector (common.run_parser) finds the shell's error
# before the parser runs; test_linux.py covers it.
ERRORS_FOUND_BY_THE_COLLECTOR = {"linux_bridge": "JSON outputs; run_parser checks the shell's error first"}
# Optional commands whose parser tolerates a device error itself instead of raising DeviceError:
# (platform, getter, command) -> True when the result carries a warning naming the command.
TOLERATED = {
    ("extreme_exos", "ports", "show ports information"): True,
    ("hp_comware", "ports", "display vlan all"): True,
    ("huawei_vrp", "ports", "display interface description"): True,
    ("juniper_junos", "mac_table", "show vlans"): False,  # VLAN names stay unresolved, silently
}
COMMANDS = [(p, g, cmd) for p in sorted(DEVICE_ERRORS) for g in GETTERS for cmd in PARSERS[p].commands[g]]


def test_every_platform_says_how_it_reports_device_errors() -> None:
    assert set(DEVICE_ERRORS) | set(ERRORS_FOUND_BY_THE_COLLECTOR) == set(PARSERS)
    assert not set(DEVICE_ERRORS) & set(ERRORS_FOUND_BY_THE_COLLECTOR)
    assert set(TOLERATED) <= set(COMMANDS)
    assert all(cmd in PARSERS[p].optional for p, _unused, cmd in TOLERATED), "only optional commands may be tolerated"


@pytest.mark.parametrize(("platform", "getter", "command"), COMMANDS, ids=[f"{p}-{g}-{c}" for p, g, c in COMMANDS])
def test_device_error_names_switch_and_command(platform: str, getter: str, command: str) -> None:
    parser = C.getter_parser(platform, getter)
    for template in DEVICE_ERRORS[platform]:
        text = template.replace("{command}", command)
        if (platform, getter, command) in TOLERATED:
            res = parser({command: text}, "sw-err-01")
            if TOLERATED[(platform, getter, command)]:
                assert any(command in w for w in res.warnings), res.warnings
            continue
        with pytest.raises(DeviceError) as exc:
            parser({command: text}, "sw-err-01")
        assert exc.value.switch == "sw-err-01" and exc.value.command == command
        assert "sw-err-01" in str(exc.value) and command in str(exc.value)


GETTER_CASES = [
    (p, g)
    for p in sorted(DEVICE_ERRORS)
    for g in GETTERS
    if any(c not in PARSERS[p].optional for c in PARSERS[p].commands[g])
]


@pytest.mark.parametrize(("platform", "getter"), GETTER_CASES, ids=[f"{p}-{g}" for p, g in GETTER_CASES])
def test_device_error_on_every_required_command(platform: str, getter: str) -> None:
    spec = PARSERS[platform]
    required = [c for c in spec.commands[getter] if c not in spec.optional]
    for template in DEVICE_ERRORS[platform]:
        outputs = {c: template.replace("{command}", c) for c in required}
        with pytest.raises(DeviceError) as err:
            C.getter_parser(platform, getter)(outputs, "sw-err-01")
        assert err.value.switch == "sw-err-01" and err.value.command in required
        assert "sw-err-01" in str(err.value) and str(err.value.command) in str(err.value)


# Getters that need their output: without it they raise ParseError naming the command.
NEEDS_OUTPUT = {("linux_bridge", "mac_table"), ("linux_bridge", "arp"), ("linux_bridge", "ports")}
ALL_GETTERS = [(p, g) for p in PLATFORMS for g in GETTERS]


@pytest.mark.parametrize(("platform", "getter"), ALL_GETTERS, ids=[f"{p}-{g}" for p, g in ALL_GETTERS])
def test_no_output_gives_an_empty_result(platform: str, getter: str) -> None:
    parser = C.getter_parser(platform, getter)
    if (platform, getter) in NEEDS_OUTPUT:
        with pytest.raises(ParseError) as exc:
            parser({}, "sw1")
        assert any(cmd in str(exc.value) for cmd in PARSERS[platform].commands[getter])
    else:
        assert parser({}, "sw1").records == []


# (platform, getter, command, output, what the error says): outputs that are no table at all.
UNUSABLE: List[Tuple[str, str, str, str, Optional[str]]] = [
    ("arista_eos", "mac_table", "show mac address-table", "Welcome to the jungle\nnothing here\n", None),
    ("arista_eos", "arp", "show ip arp", '{"vrfs": ', None),
    ("aruba_aoscx", "neighbors", "show lldp neighbor-info detail", "some banner\nwith nothing in it\n", None),
    ("hp_procurve", "mac_table", "show mac-address", '{"unexpected": []}', "mac_table_entry_element"),
    ("juniper_junos", "mac_table", "show ethernet-switching table", "<l2ng-l2ald-rtb-macdb><unclosed>", "invalid XML"),
    (
        "linux_bridge",
        "mac_table",
        "/usr/sbin/bridge -j fdb show",
        'Object "fdbx" is unknown, try "bridge help".',
        "expected JSON",
    ),
    ("linux_bridge", "arp", "/usr/sbin/ip -j neigh show", '[{"dst": "10.0.0.1"', "not valid JSON"),
    ("linux_bridge", "ports", "/usr/sbin/ip -j -d link show", '{"ifname": "swp1"}', "expected a JSON list"),
]


@pytest.mark.parametrize(("platform", "getter", "command", "text", "match"), UNUSABLE)
def test_unusable_output_is_a_parse_error(
    platform: str, getter: str, command: str, text: str, match: Optional[str]
) -> None:
    assert command in PARSERS[platform].commands[getter]
    with pytest.raises(ParseError, match=match):
        C.getter_parser(platform, getter)({command: text}, "sw1")


# --------------------------------------------------------------------------------------------
# 4. Robustness: random text and real outputs damaged at random
# --------------------------------------------------------------------------------------------


# Each example runs its text through the seed's own parser (if any) and three targets drawn from
# every command of every getter, every getter with all its commands at once, and every adapter:
# across the examples, any platform of the family meets the outputs of the others too.
TARGETS_PER_EXAMPLE = 3


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILY_IDS)
@SETTINGS
@given(data=st.data(), text=st.text(max_size=400))
def test_random_text_never_crashes(family: C.Family, data: Any, text: str) -> None:
    for _unused in range(TARGETS_PER_EXAMPLE):
        data.draw(st.sampled_from(family.fuzz_targets)).run(text, family)


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILY_IDS)
@SETTINGS
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**32 - 1), rounds=st.integers(1, 12))
def test_mutated_real_outputs_never_crash(family: C.Family, data: Any, seed: int, rounds: int) -> None:
    sample = data.draw(st.sampled_from(family.fuzz_seeds))
    text = C.mutate(sample.text, random.Random(seed), rounds)
    if sample.parser is not None and sample.command is not None:
        C.check_result(sample.parser, {sample.command: text}, sample.platform, family)
    elif sample.command is not None:
        for getter in GETTERS:
            if sample.command in PARSERS[sample.platform].commands[getter]:
                parser = C.getter_parser(sample.platform, getter)
                C.check_result(parser, {sample.command: text}, sample.platform, family)
    for _unused in range(TARGETS_PER_EXAMPLE):
        data.draw(st.sampled_from(family.fuzz_targets)).run(text, family)


def test_every_family_has_seeds() -> None:
    for family in FAMILIES:
        seeds = family.fuzz_seeds
        assert len(seeds) >= family.min_cases, f"{family.name}: {len(seeds)} fuzz seeds"
        assert {s.platform for s in seeds} == set(family.platforms), family.name


# --------------------------------------------------------------------------------------------
# 5. Authored bundles: one imaginary switch per platform (tests/fixtures/authored)
# --------------------------------------------------------------------------------------------

AUTHORED = C.authored_platforms()
# platforms whose authored folder holds a whole imaginary switch (others hold single samples only)
BUNDLED = [p for p in AUTHORED if C.authored_commands(p).get("bundle")]
AUTHORED_SWITCH = "sw-authored"


def _authored_golden(platform: str, name: str, doc: Dict[str, Any], update: bool) -> None:
    C.check_golden(C.GOLDEN / platform / f"authored__{name}.json", {"authored": True, **doc}, update)


@pytest.mark.parametrize("platform", BUNDLED)
def test_authored_bundle_golden_and_joins(platform: str, update_golden: bool) -> None:
    results = C.run_getters(platform, C.authored_bundle(platform), AUTHORED_SWITCH)
    _authored_golden(platform, "bundle", C.getters_doc(results), update_golden)
    ports = {p.name: p for p in results["ports"].records}
    assert ports, "authored bundle yields no ports"
    for m in results["mac_table"].records:
        C.check_record(m, platform)
        assert m.switch == AUTHORED_SWITCH
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


VARIANTS = [(p, f) for p in AUTHORED for f in sorted(C.authored_commands(p).get("variants") or {})]


@pytest.mark.parametrize(("platform", "name"), VARIANTS)
def test_authored_variants_golden(platform: str, name: str, update_golden: bool) -> None:
    cmd = C.authored_commands(platform)["variants"][name]
    results = C.run_getters(platform, {cmd: C.authored_text(platform, name)}, AUTHORED_SWITCH)
    assert results["mac_table"].records, f"{name}: no MAC entries"
    _authored_golden(platform, name.rsplit(".", 1)[0], C.getters_doc(results), update_golden)


# AOS-CX's parser raises on a refused LAG table like on any other command (the contract above);
# the collector (_collect.cli) degrades that getter with a warning instead of losing the switch
@pytest.mark.parametrize("platform", [p for p in BUNDLED if PARSERS[p].optional and p != "aruba_aoscx"])
def test_optional_command_error_is_a_warning(platform: str) -> None:
    spec = PARSERS[platform]
    outputs = C.authored_bundle(platform)
    for cmd in spec.optional:
        outputs[cmd] = DEVICE_ERRORS[platform][0]
    res = spec.parse_ports(outputs, AUTHORED_SWITCH)
    assert res.records and any("optional command" in w for w in res.warnings)
