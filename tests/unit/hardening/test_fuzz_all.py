# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One fuzz suite over every platform of ``_platforms.PLATFORMS`` and every getter of its
``ParserSpec``: device output is untrusted, so neither random text nor a real recorded (or
authored, or lab-recorded) output mangled at random may make a parser raise anything but the
documented errors, and every record a parser returns must meet the data contract of
``_records``.

Seeds are discovered, never listed: ``tests/fixtures/recorded/MANIFEST.tsv`` (raw outputs, by
platform and category), ``tests/fixtures/authored/<platform>/commands.yml`` and the linux_bridge
captures in ``tests/fixtures/lab/linux_bridge``.

``CAMGUARD_FUZZ_EXAMPLES`` sets the number of examples per test (default 200; ``make fuzz-long``
runs 10,000).
"""

from __future__ import annotations

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
        self.files = 0

    def add(self, platform: str, getter: str, command: str, text: str) -> None:
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
        for group in ("bundle", "variants"):
            for fname, command in (meta.get(group) or {}).items():
                text = (cmds_file.parent / fname).read_text(encoding="utf-8")
                for getter in GETTERS:
                    if command in spec.commands.get(getter, ()):
                        corpus.add(platform, getter, command, text)
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
