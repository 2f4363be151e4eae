# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One fuzz suite over every platform of ``_platforms.PLATFORMS`` and every getter of its
``ParserSpec``: device output is untrusted, so neither random text nor a real recorded (or
authored, or lab-recorded) output mangled at random may make a parser raise anything but the
documented errors, and every record a parser returns must meet the data contract of
``_records``.

Seeds are discovered, never listed: ``tests/fixtures/recorded/MANIFEST.tsv`` (raw outputs, by
platform and category), ``tests/fixtures/authored/<platform>/commands.yml`` (bundle, variants and
samples) and the linux_bridge captures in ``tests/fixtures/lab/linux_bridge``.

The hostile-neighbour properties at the end hold the collector to its rule (issue 16): nothing
an optional output holds (neighbours, ARP, ports) drops the switch's MAC table, and a neighbour
announcing control characters in its name is still a neighbour, named printably.

``CAMGUARD_FUZZ_EXAMPLES`` sets the number of examples per test (default 200; ``make fuzz-long``
runs 10,000).
"""

from __future__ import annotations

import base64
import csv
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Tuple

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_contract import check_record

from ansible_collections.camguard.network.plugins.module_utils._collect import own_macs, parse_outputs
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS, ParseResult
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS, Platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    DeviceError,
    InvalidInterfaceError,
    InvalidMacError,
    MacEntry,
    ParseError,
    SwitchData,
)
from ansible_collections.camguard.network.plugins.plugin_utils._cache_codec import decode as compact_decode
from ansible_collections.camguard.network.plugins.plugin_utils._cache_codec import encode as compact_encode

EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DOCUMENTED = (ParseError, DeviceError, InvalidMacError, InvalidInterfaceError)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
SEED_LIMIT = 8000  # characters of one seed (long tables add time, not coverage)

# MANIFEST platform names -> platform keys; MANIFEST categories -> getters
_PLATFORM_OF = {
    "cisco_xe": "cisco_ios",
    "aruba_os_switch": "hp_procurve",
    "brocade_fastiron": "ruckus_fastiron",
}
_GETTER_OF = {
    "mac_table": "mac_table",
    "arp": "arp",
    "lldp": "neighbors",
    "cdp": "neighbors",
    "interface_status": "ports",
    "switchport": "ports",
    "trunk_lag": "ports",
    "vlan": "ports",
}
_LINUX_FILES = {
    "bridge_fdb.json": "/usr/sbin/bridge -j fdb show",
    "ip_link.json": "/usr/sbin/ip -j -d link show",
    "bridge_vlan.json": "/usr/sbin/bridge -j vlan show",
    "ip_neigh.json": "/usr/sbin/ip -j neigh show",
    "lldpcli_neighbors.json": "/usr/sbin/lldpcli -f json show neighbors",
}


def _norm(cmd: str) -> str:
    return "".join(c for c in cmd.lower() if c.isalnum())


class Corpus:
    """Seed texts per (platform, getter), and per (platform, exact command) where known."""

    def __init__(self) -> None:
        self.by_getter: Dict[Tuple[str, str], List[str]] = {}
        self.by_command: Dict[Tuple[str, str], List[str]] = {}
        self.whole: Dict[Tuple[str, str], List[str]] = {}  # untruncated, for the hostile-neighbour cases
        self.files = 0

    def add(self, platform: str, getter: str, command: str, text: str) -> None:
        self.whole.setdefault((platform, getter), []).append(text)
        text = text[:SEED_LIMIT]
        self.by_getter.setdefault((platform, getter), []).append(text)
        if command:
            self.by_command.setdefault((platform, _norm(command)), []).append(text)
        self.files += 1


def _discover() -> Corpus:
    corpus = Corpus()
    recorded = FIXTURES / "recorded"
    with open(recorded / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["kind"] != "raw":
                continue
            platform = _PLATFORM_OF.get(row["platform"], row["platform"])
            getter = _GETTER_OF.get(row["category"])
            path = recorded / row["path"]
            if platform not in PLATFORMS or getter is None or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            corpus.add(platform, getter, row["command"].replace("_", " "), text)
    for cmds_file in sorted((FIXTURES / "authored").glob("*/commands.yml")):
        platform = cmds_file.parent.name
        spec = PARSERS[platform]
        meta = yaml.safe_load(cmds_file.read_text(encoding="utf-8")) or {}
        for group in ("bundle", "variants", "samples"):
            for fname, entry in (meta.get(group) or {}).items():
                command = entry["command"] if isinstance(entry, dict) else entry  # samples name their source
                base = command.split(" | ")[0]
                text = (cmds_file.parent / fname).read_text(encoding="utf-8")
                for getter in GETTERS:
                    if base in spec.commands.get(getter, ()):
                        corpus.add(platform, getter, base, text)
    spec = PARSERS["linux_bridge"]
    for folder in sorted((FIXTURES / "lab" / "linux_bridge").iterdir()):
        if not folder.is_dir():
            continue
        for fname, command in _LINUX_FILES.items():
            if (folder / fname).is_file():
                text = (folder / fname).read_text(encoding="utf-8")
                for getter in GETTERS:
                    if command in spec.commands.get(getter, ()):
                        corpus.add("linux_bridge", getter, command, text)
    return corpus


CORPUS = _discover()
PLATFORM_KEYS = sorted(PLATFORMS)
CASES = [(p, g) for p in PLATFORM_KEYS for g in GETTERS if PARSERS[p].commands.get(g)]


def test_every_platform_has_seeds() -> None:
    """The fuzz suite mutates real outputs of every platform, not only random text."""
    missing = [p for p in PLATFORM_KEYS if not any(k[0] == p for k in CORPUS.by_getter)]
    assert not missing, f"no seed outputs discovered for {missing}"
    assert CORPUS.files > 200


# --------------------------------------------------------------------------- the contract


# check_record(rec, platform, collected=False): tests/unit/record_contract.py, shared with the
# parser contract suite (tests/unit/plugins/module_utils/_collect/parsers/test_contract.py).


def _parser(platform: Platform, getter: str) -> Callable[[Mapping[str, str], str], ParseResult[Any]]:
    spec = PARSERS[platform.key]
    return {
        "mac_table": spec.parse_mac_table,
        "arp": spec.parse_arp,
        "neighbors": spec.parse_neighbors,
        "ports": spec.parse_ports,
    }[getter]


def run_getter(platform_key: str, getter: str, outputs: Mapping[str, str]) -> None:
    platform = PLATFORMS[platform_key]
    try:
        result = _parser(platform, getter)(outputs, "fuzz-sw")
    except DOCUMENTED:
        return
    assert isinstance(result, ParseResult)
    # skip() keeps at most 20 warnings; parsers may add one note per record on top
    assert result.skipped >= 0 and len(result.warnings) <= 20 + len(result.records)
    for rec in result.records:
        check_record(rec, platform_key)
        if isinstance(rec, MacEntry):
            assert rec.switch in ("", "fuzz-sw")


def run_collect(platform_key: str, outputs: Mapping[str, str]) -> None:
    try:
        data = parse_outputs(PLATFORMS[platform_key], "fuzz-sw", outputs)
    except DOCUMENTED as exc:
        if isinstance(exc, DeviceError):
            assert exc.switch == "fuzz-sw"
        return
    assert isinstance(data, SwitchData)
    for rec in [*data.macs, *data.arp, *data.neighbors, *data.ports]:
        check_record(rec, platform_key, collected=True)
    assert all(m.switch == "fuzz-sw" for m in data.macs)
    assert data.own_macs == own_macs(data.macs)
    for m in data.own_macs:
        assert not (mac_to_int(m) >> 40) & 1
    json.dumps(data.to_dict())  # always serialisable (cache, module results)
    assert SwitchData.from_dict(data.to_dict()).to_dict() == data.to_dict()
    # and it survives the inventory cache's compact form (its type checks accept every collected record)
    assert compact_decode(compact_encode({"fuzz-sw": data}, {}, {}, 0.0))[0] == {"fuzz-sw": data}


# --------------------------------------------------------------------------- strategies

_HOSTILE = [
    "\n",
    "\r",
    "\x00",
    "\x08",
    "\x1b[2J",
    "\u2028",
    ";",
    "interface Gi1/0/9",
    " switchport mode trunk",
    "{{ lookup('pipe','id') }}",
    "{% raw %}",
    "--More--",
    " --More-- \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08",
    "% Invalid input detected at '^' marker.",
    "ffff.ffff.ffff",
    "0000.0000.0000",
    "aabb.ccdd.eeff",
    "99999",
    "4095",
    "0",
    "-1",
    "Gi1/0/1",
    "Po1",
    "ge-0/0/0.0",
    "\t",
    "ÿ\ufeff",
    "<" * 20,
    "]]>]]>",
    '{"a": [',
    "null",
]


def _seed_pool(platform: str, getter: str) -> List[str]:
    return CORPUS.by_getter.get((platform, getter)) or [
        s for (p, _unused), v in CORPUS.by_getter.items() if p == platform for s in v
    ]


@st.composite
def mutated_text(draw: st.DrawFn, seeds: List[str]) -> str:
    kind = draw(st.sampled_from(("seed", "seed", "seed", "random", "empty")))
    if kind == "random":
        return draw(st.text(max_size=400))
    if kind == "empty" or not seeds:
        return draw(st.sampled_from(("", " ", "\n", "\r\n\r\n")))
    text = draw(st.sampled_from(seeds))
    lines = text.split("\n")
    for _unused in range(draw(st.integers(0, 8))):
        if not lines:
            lines = [""]
        op = draw(
            st.sampled_from(("drop", "dup", "swap", "junk", "hostile", "cut", "crlf", "indent", "truncate", "byte"))
        )
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "junk":
            lines.insert(i, draw(st.text(max_size=80)))
        elif op == "hostile":
            tok = draw(st.sampled_from(_HOSTILE))
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + tok + lines[i][pos:]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "crlf":
            lines[i] += "\r"
        elif op == "indent":
            lines[i] = "   " + lines[i]
        elif op == "truncate":  # a dropped session: the output ends mid-line
            joined = "\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].split("\n")
        else:  # a flipped character
            if lines[i]:
                pos = draw(st.integers(0, len(lines[i]) - 1))
                lines[i] = lines[i][:pos] + draw(st.characters()) + lines[i][pos + 1 :]
    return "\n".join(lines)


@st.composite
def getter_case(draw: st.DrawFn) -> Tuple[str, str, Dict[str, str]]:
    platform, getter = draw(st.sampled_from(CASES))
    spec = PARSERS[platform]
    outputs: Dict[str, str] = {}
    for cmd in spec.commands[getter]:
        if cmd in spec.optional and draw(st.booleans()):
            continue  # an optional command the device did not know
        exact = CORPUS.by_command.get((platform, _norm(cmd)))
        seeds = exact if exact and draw(st.booleans()) else _seed_pool(platform, getter)
        outputs[cmd] = draw(mutated_text(seeds))
    return platform, getter, outputs


@st.composite
def switch_case(draw: st.DrawFn) -> Tuple[str, Dict[str, str]]:
    platform = draw(st.sampled_from(PLATFORM_KEYS))
    spec = PARSERS[platform]
    outputs: Dict[str, str] = {}
    for getter in GETTERS:
        for cmd in spec.commands.get(getter, ()):
            if cmd in outputs:
                continue
            if cmd in spec.optional and draw(st.booleans()):
                continue
            if draw(st.integers(0, 30)) == 0:
                continue  # a required command missing: DeviceError naming it
            exact = CORPUS.by_command.get((platform, _norm(cmd)))
            seeds = exact if exact and draw(st.booleans()) else _seed_pool(platform, getter)
            outputs[cmd] = draw(mutated_text(seeds))
    return platform, outputs


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(getter_case())
def test_every_getter_of_every_platform(case: Tuple[str, str, Dict[str, str]]) -> None:
    platform, getter, outputs = case
    run_getter(platform, getter, outputs)


@SETTINGS
@given(switch_case())
def test_collect_parse_outputs(case: Tuple[str, Dict[str, str]]) -> None:
    platform, outputs = case
    run_collect(platform, outputs)


@pytest.mark.parametrize(("platform", "getter"), CASES, ids=[f"{p}-{g}" for p, g in CASES])
def test_unmutated_seeds_meet_the_contract(platform: str, getter: str) -> None:
    """Every seed as recorded, through every command of the getter (no mutation)."""
    spec = PARSERS[platform]
    for text in _seed_pool(platform, getter):
        for cmd in spec.commands[getter]:
            run_getter(platform, getter, {c: (text if c == cmd else "") for c in spec.commands[getter]})


def _spell(n: int, sep: str, upper: bool) -> str:
    h = f"{n:012x}"
    h = h.upper() if upper else h
    if sep == "":
        return h
    step = 4 if sep == "." else 2
    return sep.join(h[i : i + step] for i in range(0, 12, step))


_MAC_SPELLINGS = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789abcdefABCDEF.:- \t\n", max_size=24),
    st.builds(_spell, st.integers(0, (1 << 48) - 1), st.sampled_from(("", ".", ":", "-")), st.booleans()),
    st.builds(
        lambda m, pad: pad + m + pad,
        st.builds(_spell, st.integers(0, (1 << 48) - 1), st.just(":"), st.booleans()),
        st.sampled_from(("", " ", "\n")),
    ),
    st.integers(),
    st.none(),
    st.binary(max_size=12),
)


@SETTINGS
@given(_MAC_SPELLINGS)
def test_mac_normalisation(value: Any) -> None:
    try:
        canon = normalize_mac(value)
    except InvalidMacError as exc:
        assert "invalid MAC address" in str(exc)
        return
    assert normalize_mac(canon) == canon
    assert len(canon) == 17 and canon == canon.lower()
    assert mac_to_int(canon) == mac_to_int(value)


_IFNAMES = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda w, sp, n: f"{w}{sp}{n}",
        st.sampled_from(
            [
                "Gi",
                "gi",
                "GigabitEthernet",
                "Te",
                "Et",
                "eth",
                "e",
                "Po",
                "port-channel",
                "ge-",
                "xe-",
                "ae",
                "lag",
                "Trk",
                "trk",
                "BAGG",
                "Eth-Trunk",
                "XGE",
                "ethe ",
                "lg",
                "ve",
                "Vlan",
                "vlanif",
                "mgmt",
                "swp",
                "",
            ]
        ),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.text(alphabet="0123456789/.:", min_size=0, max_size=10),
    ),
    st.integers(),
    st.none(),
)


@SETTINGS
@given(_IFNAMES, st.sampled_from(PLATFORM_KEYS))
def test_interface_normalisation(name: Any, platform: str) -> None:
    try:
        canon = canonical_interface(name, platform)
    except InvalidInterfaceError:
        assert not isinstance(name, str)
        return
    assert isinstance(canon, str)
    assert canonical_interface(canon, platform) == canon, f"{name!r} -> {canon!r} is not idempotent on {platform}"


# --------------------------------------------------------------------------- hostile neighbours
#
# Nothing a device sends can hide it (issue 16): one bad optional output (neighbours, ARP, port
# details) degrades that getter with a warning, it never drops the switch's MAC table. For every
# platform: the MAC table's own outputs are a recorded seed; every other output is mutated,
# replaced by a hostile neighbour's text, a device error, or left out.

_HOSTILE_NAMES = [
    "X\aEVIL\x01",  # BEL and SOH, as `lldpcli configure system hostname` lets a device announce
    "cam\x1b[2J\x1b[31mEVIL",
    'q"uote\\back',
    "<evil>&amp;&#7;</evil>",
    "{{ lookup('pipe','id') }}",
    "new\nline\r\nend",
    "\x00nul",
    "\u2028sep\ufffe",
    "\ud800lone",
    "x" * 300,
]


def _mac_seed(platform: str) -> Dict[str, str]:
    """Outputs of the platform's MAC table commands that parse to at least one MAC."""
    spec = PARSERS[platform]
    cmds = list(spec.commands["mac_table"])
    for first in CORPUS.by_command.get((platform, _norm(cmds[0])), []) + _seed_pool(platform, "mac_table"):
        outputs = {cmds[0]: first}
        for cmd in cmds[1:]:
            seeds = CORPUS.by_command.get((platform, _norm(cmd)))
            if seeds:
                outputs[cmd] = seeds[0]
        try:
            data = parse_outputs(PLATFORMS[platform], "fuzz-sw", outputs, ("mac_table",))
        except DOCUMENTED:
            continue
        if data.macs:
            return outputs
    raise AssertionError(f"no MAC table seed of {platform} parses")


MAC_SEEDS = {p: _mac_seed(p) for p in PLATFORM_KEYS}
MAC_EXPECTED = {p: parse_outputs(PLATFORMS[p], "fuzz-sw", MAC_SEEDS[p], ("mac_table",)).macs for p in PLATFORM_KEYS}


def _inject(text: str, name: str, hostile: str) -> str:
    """``text`` with the neighbour ``name`` renamed ``hostile``, written raw, as a device prints it
    (or base64-encoded where the device encodes it: OS10 prints LLDP values in base64)."""
    if name in text:
        return text.replace(name, hostile)
    encoded = base64.b64encode(name.encode()).decode()
    if encoded in text:
        return text.replace(encoded, base64.b64encode(hostile.encode("utf-8", "surrogatepass")).decode())
    return text


def _neighbor_seeds(platform: str) -> List[Tuple[Dict[str, str], List[str]]]:
    """Neighbour outputs of ``platform`` with the names their parser reads from them."""
    spec = PARSERS[platform]
    out: List[Tuple[Dict[str, str], List[str]]] = []
    for cmd in spec.commands.get("neighbors", ()):
        for text in CORPUS.whole.get((platform, "neighbors"), []):
            try:
                res = spec.parse_neighbors({cmd: text}, "fuzz-sw")
            except DOCUMENTED:
                continue
            names = sorted(
                {
                    n.remote_name
                    for n in res.records
                    if len(n.remote_name) >= 3 and _inject(text, n.remote_name, "") != text
                }
            )
            if names:
                out.append(({cmd: text}, names))
    return out


NEIGHBOR_SEEDS = {p: _neighbor_seeds(p) for p in PLATFORM_KEYS}


@st.composite
def hostile_switch(draw: st.DrawFn) -> Tuple[str, Dict[str, str], bool]:
    platform = draw(st.sampled_from(PLATFORM_KEYS))
    spec = PARSERS[platform]
    outputs = dict(MAC_SEEDS[platform])
    mac_cmds = set(spec.commands["mac_table"])
    hostile_nbr = False
    for getter in GETTERS:
        if getter == "mac_table":
            continue
        cmds = [c for c in spec.commands.get(getter, ()) if c not in mac_cmds]
        seeds = NEIGHBOR_SEEDS[platform] if getter == "neighbors" else []
        if seeds and draw(st.booleans()):
            base, names = draw(st.sampled_from(seeds))
            for cmd, text in base.items():
                for name in names:
                    text = _inject(text, name, draw(st.sampled_from(_HOSTILE_NAMES) | st.text(max_size=40)))
                outputs[cmd] = text
            hostile_nbr = True
            continue
        for cmd in cmds:
            how = draw(st.sampled_from(("mutated", "mutated", "error", "absent")))
            if how == "error":
                outputs[cmd] = "% Invalid input detected at '^' marker."
            elif how == "mutated":
                exact = CORPUS.by_command.get((platform, _norm(cmd)))
                outputs[cmd] = draw(mutated_text(exact or _seed_pool(platform, getter)))
    return platform, outputs, hostile_nbr


@SETTINGS
@given(hostile_switch())
def test_no_optional_output_drops_the_mac_table(case: Tuple[str, Dict[str, str], bool]) -> None:
    """Every platform: whatever the ARP, neighbour and port outputs hold, the switch is still
    collected with its whole MAC table, and its records meet the contract (text printable)."""
    platform, outputs, _unused = case
    data = parse_outputs(PLATFORMS[platform], "fuzz-sw", outputs)
    assert data.macs == MAC_EXPECTED[platform]
    for rec in [*data.macs, *data.arp, *data.neighbors, *data.ports]:
        check_record(rec, platform, collected=True)
    json.dumps(data.to_dict())
    for key in data.limits:
        assert key in ("mode", "neighbors")


def test_every_platform_has_a_hostile_neighbour_seed() -> None:
    """The hostile-neighbour cases exist for every platform with a neighbour getter."""
    missing = [p for p in PLATFORM_KEYS if PARSERS[p].commands.get("neighbors") and not NEIGHBOR_SEEDS[p]]
    assert not missing, f"no neighbour seed whose names can be made hostile: {missing}"


@pytest.mark.parametrize("platform", PLATFORM_KEYS)
@pytest.mark.parametrize("hostile", ["X\aEVIL\x01", "cam\x1b[2J\x1b[31mEVIL", "EVIL&#7;\x08x"])
def test_a_hostile_neighbour_name_hides_nothing(platform: str, hostile: str) -> None:
    """A neighbour announcing control characters in its name (raw, as ``lldpcli -f json`` prints
    them) hides neither the switch nor itself: it is still a neighbour, its name made printable."""
    spec = PARSERS[platform]
    assert NEIGHBOR_SEEDS[platform] or not spec.commands.get("neighbors")
    for base, names in NEIGHBOR_SEEDS[platform][:3]:
        clean = spec.parse_neighbors(base, "fuzz-sw").records
        outputs = dict(MAC_SEEDS[platform])
        for cmd in spec.commands["neighbors"]:
            outputs.setdefault(cmd, "")  # the device's other neighbour command printed nothing
        for cmd, text in base.items():
            outputs[cmd] = _inject(text, names[0], hostile)
        data = parse_outputs(PLATFORMS[platform], "fuzz-sw", outputs)
        assert data.macs == MAC_EXPECTED[platform]
        assert len(data.neighbors) == len(clean), (data.warnings, data.limits)
        assert any("EVIL" in n.remote_name for n in data.neighbors), [n.remote_name for n in data.neighbors]
        for rec in data.neighbors:
            check_record(rec, platform, collected=True)
