# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The machinery of the parser contract suite (``test_contract.py``), shared by the family tests.

Recorded cases
    Every case of ``tests/fixtures/recorded/MANIFEST.tsv`` (raw outputs and the upstream's
    expected parse, the NAPALM ``mocked_data`` pattern) belongs to one *family* of parser tests,
    found by its platform. A family (``_family_<name>.py``) says how each of its cases is fed to
    our parser and how the upstream expectation reads (``Built``); ``differences_<name>.yml``
    declares, with reasons, the cases that differ from the upstream on purpose (``differences``)
    and the cases that are not run (``not_used``).

Goldens
    ``golden/<folder>/<case>.json`` holds our own parse of a case; ``--update-golden`` rewrites
    it (byte for byte as before: the family says the folder, the indent and the fields).

Fuzzing
    ``mutate`` damages a real output the ways a terminal session does; ``check_result`` is what a
    parser may return for any input (only ``ParseError``/``DeviceError`` may escape).

Authored bundles
    ``tests/fixtures/authored/<platform>/commands.yml`` names one imaginary switch's outputs
    (``bundle``) and extra format variants (``variants``); see its README.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Dict, Hashable, List, Mapping, Optional, Sequence, Tuple

import yaml

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    GETTERS,
    ParseResult,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import is_mac, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    DeviceError,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[5]
RECORDED = REPO / "tests" / "fixtures" / "recorded"
AUTHORED = REPO / "tests" / "fixtures" / "authored"
GOLDEN = HERE / "golden"

sys.path.insert(0, str(REPO / "tests" / "unit"))
from record_contract import check_record  # noqa: E402

FUZZ_EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))

Parser = Callable[[Mapping[str, str], str], "ParseResult[Any]"]
RECORD_TYPES = (MacEntry, ArpEntry, Neighbor, PortInfo)

# MANIFEST ``platform`` column -> platform key (PARSERS); other names are the key itself.
PLATFORM_OF = {"cisco_xe": "cisco_ios", "aruba_os_switch": "hp_procurve", "brocade_fastiron": "ruckus_fastiron"}


def getter_parser(platform: str, getter: str) -> Parser:
    """The ParserSpec function of one getter (``mac_table``, ``arp``, ``neighbors``, ``ports``)."""
    parser: Parser = PARSERS[platform].parser(getter)
    return parser


# --------------------------------------------------------------------------------------------
# Recorded cases
# --------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One recorded case: its MANIFEST columns and files (in MANIFEST order)."""

    case_id: str
    source: str
    platform: str  # the MANIFEST platform column (cisco_xe, aruba_os_switch, ...)
    category: str
    command: str
    raw: List[Path] = field(default_factory=list)
    expected: Optional[Path] = None
    aux: List[Path] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The platform key (PARSERS) whose parser reads this case."""
        return PLATFORM_OF.get(self.platform, self.platform)

    @property
    def slug(self) -> str:
        return self.case_id.replace("/", "__")

    def raw_named(self, suffix: str) -> Path:
        for p in self.raw:
            if p.name.endswith(suffix):
                return p
        raise AssertionError(f"{self.case_id}: no raw file ending in {suffix!r} among {[p.name for p in self.raw]}")

    def read_expected(self) -> Any:
        assert self.expected is not None, f"{self.case_id}: no expected file"
        text = self.expected.read_text(encoding="utf-8")
        if self.expected.suffix in (".yml", ".yaml"):
            return yaml.safe_load(text)
        return json.loads(text)


def load_manifest() -> Dict[str, Case]:
    """Every recorded case of MANIFEST.tsv, keyed by case id, in case-id order."""
    cases: Dict[str, Case] = {}
    with open(RECORDED / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            case = cases.setdefault(
                row["case_id"],
                Case(row["case_id"], row["source"], row["platform"], row["category"], row["command"]),
            )
            path = RECORDED / row["path"]
            if row["kind"] == "raw":
                case.raw.append(path)
            elif row["kind"] == "expected":
                assert case.expected is None, f"{row['case_id']}: two expected files"
                case.expected = path
            else:
                case.aux.append(path)
    return dict(sorted(cases.items()))


MANIFEST = load_manifest()


@dataclass(frozen=True)
class Differences:
    """``differences_<family>.yml``: each section maps a case id to the reason."""

    path: Path
    differences: Mapping[str, str]  # the case differs from the upstream expectation on purpose
    not_used: Mapping[str, str]  # the case is not run (its command is not collected, ...)
    crosscheck: Mapping[str, str]  # our CLI parse differs from NAPALM's on the same output (cisco)


SECTIONS = ("differences", "not_used", "crosscheck")


def load_differences(name: str) -> Differences:
    path = HERE / f"differences_{name}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict), f"{path.name}: the top level must be a mapping of sections"
    unknown = sorted(set(data) - set(SECTIONS))
    assert not unknown, f"{path.name}: unknown sections {unknown} (known: {SECTIONS})"
    sections: Dict[str, Dict[str, str]] = {}
    for section in SECTIONS:
        items = data.get(section) or {}
        assert isinstance(items, dict), f"{path.name}: {section} must map case ids to reasons"
        for key, reason in items.items():
            assert isinstance(reason, str) and reason.strip(), f"{path.name}: {section}.{key} needs a reason"
        sections[section] = dict(items)
    return Differences(path, sections["differences"], sections["not_used"], sections["crosscheck"])


@dataclass
class Built:
    """One recorded case made runnable: what to feed which parser, and the upstream's truth."""

    parser: Parser
    outputs: Dict[str, str]
    expected: List[Any]  # the upstream expectation, normalised (dicts or tuples)
    project: Callable[[List[Any]], List[Any]]  # our records -> items comparable with ``expected``


Builder = Callable[[Case], Built]


def _no_rule(case: Case) -> Optional[str]:
    return None


def _no_check(record: Any) -> None:
    return None


@dataclass(frozen=True)
class Seed:
    """A fuzz seed: a real (or authored) output, and the command and parser it belongs to, if known."""

    platform: str
    text: str
    command: Optional[str] = None
    parser: Optional[Parser] = None


@dataclass(frozen=True)
class Target:
    """A parser to fuzz and the commands whose outputs it is given (the same text for each)."""

    platform: str
    parser: Parser
    commands: Tuple[str, ...]

    def run(self, text: str, family: Family) -> None:
        check_result(self.parser, dict.fromkeys(self.commands, text), self.platform, family)


@dataclass(frozen=True, repr=False)
class Family:
    """The parser tests of one group of platforms that share a differences file."""

    name: str  # differences_<name>.yml
    platforms: Tuple[str, ...]  # platform keys whose recorded cases this family reads
    switch: str  # the switch name given to the parsers (it is in the goldens)
    builders: Mapping[Hashable, Builder]  # how a case is read, by ``key(case)``
    key: Callable[[Case], Hashable]
    min_cases: int = 1  # the MANIFEST holds at least this many cases of the family
    rule: Callable[[Case], Optional[str]] = _no_rule  # a reason, written in code, not to run a case
    golden_folder: Optional[str] = None  # default: the case's platform key
    golden_indent: int = 1
    golden_full: bool = False  # the golden also holds the case id and the warnings
    authored: Sequence[Seed] = ()  # authored samples (fuzz seeds besides the recorded outputs)
    seed_limit: int = 40_000  # characters of one fuzz seed (long tables add time, not coverage)
    record_check: Callable[[Any], None] = _no_check  # family-specific record invariants

    def __repr__(self) -> str:
        return f"Family({self.name!r})"

    @cached_property
    def declared(self) -> Differences:
        return load_differences(self.name)

    @cached_property
    def cases(self) -> List[Case]:
        return [c for c in MANIFEST.values() if c.key in self.platforms]

    def reason_not_run(self, case: Case) -> Optional[str]:
        return self.declared.not_used.get(case.case_id) or self.rule(case)

    @cached_property
    def run_cases(self) -> List[Case]:
        return [c for c in self.cases if self.reason_not_run(c) is None]

    def has_builder(self, case: Case) -> bool:
        return self.key(case) in self.builders

    def build(self, case: Case) -> Built:
        builder = self.builders.get(self.key(case))
        assert builder is not None, (
            f"no test builder for {case.case_id} ({self.key(case)}); add one to _family_{self.name}.py "
            f"or list the case under not_used in differences_{self.name}.yml"
        )
        return builder(case)

    def golden_path(self, case: Case) -> Path:
        return GOLDEN / (self.golden_folder or case.key) / f"{case.slug}.json"

    def golden_doc(self, case: Case, result: ParseResult[Any]) -> Dict[str, Any]:
        doc = result_doc(result)
        if self.golden_full:
            doc = {"case": case.case_id, **doc, "warnings": result.warnings}
        return doc

    @cached_property
    def fuzz_targets(self) -> List[Target]:
        """Every command of every getter alone, every getter with all its commands at once, and
        every adapter the recorded cases use (``parse_vlans``...)."""
        targets = []
        for p in self.platforms:
            for g in GETTERS:
                commands = tuple(PARSERS[p].commands[g])
                targets.extend(Target(p, getter_parser(p, g), (cmd,)) for cmd in commands)
                if len(commands) > 1:
                    targets.append(Target(p, getter_parser(p, g), commands))
        for case in self.run_cases:
            built = self.build(case)
            targets.extend(Target(case.key, built.parser, (cmd,)) for cmd in built.outputs)
        unique: Dict[Tuple[str, int, Tuple[str, ...]], Target] = {}
        for t in targets:
            unique.setdefault((t.platform, id(t.parser), t.commands), t)
        return list(unique.values())

    @cached_property
    def fuzz_seeds(self) -> List[Seed]:
        """The outputs of every run case as fed to its parser, the raw files of every case of the
        family (run or not), and the authored samples; each cut to ``seed_limit`` characters."""
        seeds: List[Seed] = []
        for case in self.run_cases:
            built = self.build(case)
            seeds.extend(Seed(case.key, text, cmd, built.parser) for cmd, text in built.outputs.items())
        for case in self.cases:
            seeds.extend(Seed(case.key, p.read_text(encoding="utf-8", errors="replace")) for p in case.raw)
        seeds.extend(self.authored)
        unique: Dict[Tuple[Any, ...], Seed] = {}
        for s in seeds:
            text = s.text[: self.seed_limit]
            unique.setdefault((s.platform, text, s.command, id(s.parser)), Seed(s.platform, text, s.command, s.parser))
        return list(unique.values())


# --------------------------------------------------------------------------------------------
# Goldens and the comparison with the upstream
# --------------------------------------------------------------------------------------------


def result_doc(result: ParseResult[Any]) -> Dict[str, Any]:
    return {"records": [r.to_dict() for r in result.records], "skipped": result.skipped}


def check_golden(path: Path, doc: Mapping[str, Any], update: bool, indent: int = 1) -> None:
    """``doc`` equals the golden file at ``path``; ``update`` (``--update-golden``) rewrites it."""
    text = json.dumps(doc, indent=indent, sort_keys=True) + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    assert path.exists(), f"missing golden file {shown}; run pytest with --update-golden and read the diff"
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert golden == json.loads(text), f"output differs from {shown} (rerun with --update-golden and review)"


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=list)


def compare(ours: Sequence[Any], expected: Sequence[Any]) -> List[str]:
    """The differences between two lists of comparable items; order does not matter, duplicates do."""
    missing = sorted(_key(e) for e in expected)
    extra = []
    for item in sorted(_key(o) for o in ours):
        if item in missing:
            missing.remove(item)
        else:
            extra.append(item)
    return [f"upstream only: {m}" for m in missing] + [f"ours only: {e}" for e in extra]


def project_on_expected(expected: Sequence[Mapping[str, Any]]) -> Callable[[List[Any]], List[Any]]:
    """Our records as dicts restricted to the fields the upstream expectation has."""
    fields = sorted({k for e in expected for k in e})

    def project(records: List[Any]) -> List[Any]:
        return [{k: d.get(k) for k in fields} for d in (r.to_dict() for r in records)]

    return project


def check_declared(case_id: str, diffs: Sequence[str], result: ParseResult[Any], declared: Differences) -> None:
    """An undeclared difference fails; so does a declared one that no longer exists, or one that
    parses nothing without saying that the rows are skipped."""
    reason = declared.differences.get(case_id)
    if reason is None:
        assert not diffs, f"{case_id}: undeclared difference with the upstream expectation:\n" + "\n".join(diffs[:20])
        return
    assert diffs, f"{case_id} is declared as different ({reason!r}) but now matches: remove the entry"
    assert result.records or (result.skipped and "skipped" in reason), (
        f"{case_id}: declared difference but nothing parsed (and the reason does not say rows are skipped)"
    )


# --------------------------------------------------------------------------------------------
# Normalisers of upstream values, written independently of the parsers
# --------------------------------------------------------------------------------------------


def n_mac(value: str) -> str:
    """Canonical MAC, or the raw text when the upstream kept an invalid one (that shows as a difference)."""
    s = str(value).strip()
    if " " in s and is_mac(s.replace(" ", ":")):
        s = s.replace(" ", ":")
    return normalize_mac(s) if is_mac(s) else s


def n_mac_opt(value: Any) -> Optional[str]:
    if not value:
        return None
    m = n_mac(str(value))
    return m if is_mac(m) else None


def n_if(value: Any, platform: str) -> str:
    return canonical_interface(str(value or ""), platform)


def n_vlan(value: Any) -> Optional[int]:
    return to_vlan(value if isinstance(value, int) else str(value or ""))


def ntc_rows(case: Case) -> List[Dict[str, Any]]:
    """The ``parsed_sample`` rows of an ntc-templates expectation."""
    return list(case.read_expected()["parsed_sample"] or [])


_CAP_WORDS = {
    "bridge": "bridge",
    "router": "router",
    "wlan": "wlan",
    "wlan-access-point": "wlan",
    "station": "station",
    "station-only": "station",
    "telephone": "phone",
    "phone": "phone",
}
_CAP_ORDER = ("bridge", "router", "wlan", "phone", "station", "other")


def n_caps(value: Any) -> List[str]:
    """Upstream capability words (``Bridge, Router``, napalm's ``["wlan-access-point", ...]``) -> ours."""
    words = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    found = {_CAP_WORDS.get(str(w).strip().lower(), "other") for w in words if str(w).strip()}
    return [w for w in _CAP_ORDER if w in found]


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------

_JUNK = '<>{}[]":,;|#%&!* \t\x08-/.0123456789abcdefXYZ'


def mutate(text: str, rng: random.Random, rounds: int) -> str:
    """Random, realistic damage: dropped, duplicated, swapped, cut, garbled, re-spaced or upper-cased
    lines, pager prompts and device errors in between, CRLF line ends."""
    lines = text.splitlines()
    for _unused in range(rounds):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        op = rng.randrange(14)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 3:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 4:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif op == 5:
            pos = rng.randrange(len(lines[i]) + 1)
            junk = "".join(rng.choice(_JUNK) for _unused in range(rng.randrange(1, 12)))
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif op == 6:
            lines.insert(i, "".join(chr(rng.randrange(32, 0x2FF)) for _unused in range(rng.randrange(0, 60))))
        elif op == 7:
            lines[i] = "".join(rng.choice('ab:.-/ 0123456789()"<>\t') for _unused in range(len(lines[i])))
        elif op == 8:
            lines[i] = lines[i].upper()
        elif op == 9:
            lines.insert(i, "% Invalid input detected at '^' marker." if rng.random() < 0.2 else "--More--")
        elif op == 10:
            lines[i] = lines[i].replace(" ", "  ", 1)
        elif op == 11:
            lines[i] = lines[i].replace(" ", "   ", 1).upper()
        elif op == 12:
            lines[i] = "   " + lines[i]
        else:
            lines[i] += "\r"
    sep = "\r\n" if rng.random() < 0.3 else "\n"
    return sep.join(lines)


def check_result(parser: Parser, outputs: Mapping[str, str], platform: str, family: Family) -> None:
    """A parser may only raise ParseError or DeviceError, whatever the input; what it returns meets
    the data contract of ``_records`` (``record_contract.check_record``) and stays serialisable."""
    try:
        result = parser(outputs, "fuzz-sw")
    except (ParseError, DeviceError):
        return
    assert isinstance(result, ParseResult)
    # skip() keeps at most 20 warnings; parsers may add one note per record on top
    assert result.skipped >= 0 and len(result.warnings) <= 20 + len(result.records)
    for rec in result.records:
        json.dumps(rec.to_dict())  # every record stays serialisable
        if isinstance(rec, RECORD_TYPES):
            check_record(rec, platform)
            family.record_check(rec)
            if isinstance(rec, MacEntry):
                assert rec.switch in ("", "fuzz-sw")


# --------------------------------------------------------------------------------------------
# Authored bundles (tests/fixtures/authored/<platform>/commands.yml)
# --------------------------------------------------------------------------------------------


def authored_platforms() -> List[str]:
    return sorted(p.parent.name for p in AUTHORED.glob("*/commands.yml"))


def authored_commands(platform: str) -> Dict[str, Any]:
    data: Dict[str, Any] = yaml.safe_load((AUTHORED / platform / "commands.yml").read_text(encoding="utf-8"))
    return data


def authored_text(platform: str, name: str) -> str:
    # newline="" keeps the Windows line endings some samples carry on purpose
    with (AUTHORED / platform / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


def authored_bundle(platform: str) -> Dict[str, str]:
    """The outputs of the platform's imaginary switch, by command."""
    return {cmd: authored_text(platform, f) for f, cmd in authored_commands(platform)["bundle"].items()}


def authored_seeds(platform: str) -> List[Seed]:
    meta = authored_commands(platform)
    files = {**(meta.get("bundle") or {}), **(meta.get("variants") or {})}
    return [Seed(platform, authored_text(platform, f), cmd) for f, cmd in files.items()]


def run_getters(platform: str, outputs: Mapping[str, str], switch: str) -> Dict[str, ParseResult[Any]]:
    """Every getter of the platform over the same outputs."""
    return {g: getter_parser(platform, g)(outputs, switch) for g in GETTERS}


def getters_doc(results: Mapping[str, ParseResult[Any]]) -> Dict[str, Any]:
    return {
        g: {"records": [r.to_dict() for r in res.records], "skipped": res.skipped, "warnings": res.warnings}
        for g, res in results.items()
    }


AUTHORED_SWITCH = "sw-authored"


def by_mac(records: Sequence[Any]) -> Dict[str, List[Any]]:
    """MAC entries grouped by address, in parse order."""
    out: Dict[str, List[Any]] = {}
    for m in records:
        out.setdefault(m.mac, []).append(m)
    return out
