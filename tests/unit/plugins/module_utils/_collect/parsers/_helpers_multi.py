# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared machinery of the multi-vendor parser tests (EOS, Junos, AOS-CX, ProCurve).

The NAPALM ``mocked_data`` pattern over the recorded fixtures of ``tests/fixtures/recorded``:

* every case of a platform in ``MANIFEST.tsv`` must be either tested or listed under
  ``not_used`` (with the reason) in ``differences_<platform>.yml``;
* each tested case is parsed, compared with our own golden output
  (``golden/<platform>/<case>.json``, rewritten by ``--update-golden``) and with the upstream
  expectation normalised into record form;
* a difference with the upstream expectation fails the test unless the case is listed under
  ``differences`` with its reason; a listed case that no longer differs fails too (stale entry).
"""

from __future__ import annotations

import csv
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    capability_words,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import is_mac, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, ParseError

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[5]
RECORDED = REPO / "tests" / "fixtures" / "recorded"
GOLDEN = HERE / "golden"

FUZZ_EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))

Parser = Callable[[Mapping[str, str], str], "ParseResult[Any]"]


@dataclass
class Case:
    case_id: str
    platform: str
    category: str
    command: str
    source: str
    raw: List[Path] = field(default_factory=list)
    expected: Optional[Path] = None
    aux: List[Path] = field(default_factory=list)

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


def load_cases(platforms: Iterable[str]) -> Dict[str, Case]:
    """Every recorded case of ``platforms`` (MANIFEST ``platform`` column), keyed by case id."""
    wanted = set(platforms)
    cases: Dict[str, Case] = {}
    with open(RECORDED / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["platform"] not in wanted:
                continue
            case = cases.setdefault(
                row["case_id"],
                Case(row["case_id"], row["platform"], row["category"], row["command"], row["source"]),
            )
            path = RECORDED / row["path"]
            if row["kind"] == "raw":
                case.raw.append(path)
            elif row["kind"] == "expected":
                case.expected = path
            else:
                case.aux.append(path)
    return cases


def load_differences(platform: str) -> Tuple[Dict[str, str], Dict[str, str]]:
    """(declared differences, cases not used) of ``differences_<platform>.yml``; both map case id -> reason."""
    path = HERE / f"differences_{platform}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    diffs = data.get("differences") or {}
    unused = data.get("not_used") or {}
    for section, items in (("differences", diffs), ("not_used", unused)):
        for key, reason in items.items():
            assert isinstance(reason, str) and reason.strip(), f"{path.name}: {section}.{key} needs a reason"
    return dict(diffs), dict(unused)


# --------------------------------------------------------------------------------------------
# Golden files and comparison
# --------------------------------------------------------------------------------------------


def result_doc(result: ParseResult[Any]) -> Dict[str, Any]:
    return {"records": [r.to_dict() for r in result.records], "skipped": result.skipped}


def check_golden(platform: str, name: str, doc: Mapping[str, Any], update: bool) -> None:
    path = GOLDEN / platform / (name.replace("/", "__") + ".json")
    text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), (
        f"missing golden file {path.relative_to(REPO)}; run pytest with --update-golden and read the diff"
    )
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert golden == json.loads(text), (
        f"output differs from {path.relative_to(REPO)} (rerun with --update-golden and review)"
    )


def _key(d: Mapping[str, Any]) -> str:
    return json.dumps(d, sort_keys=True, default=list)


def compare(ours: Sequence[Mapping[str, Any]], expected: Sequence[Mapping[str, Any]]) -> List[str]:
    """Differences between our records and the normalised upstream ones, on the upstream's fields.

    Order does not matter; duplicates do.
    """
    fields = sorted({k for e in expected for k in e})
    projected = sorted(_key({k: o.get(k) for k in fields}) for o in ours)
    wanted = sorted(_key({k: e.get(k) for k in fields}) for e in expected)
    missing = list(wanted)
    extra = []
    for p in projected:
        if p in missing:
            missing.remove(p)
        else:
            extra.append(p)
    return [f"upstream only: {m}" for m in missing] + [f"ours only: {e}" for e in extra]


def check_upstream(case_id: str, diffs: Sequence[str], declared: Mapping[str, str]) -> None:
    if case_id in declared:
        assert diffs, f"{case_id} is declared as different ({declared[case_id]!r}) but now matches: remove the entry"
    else:
        assert not diffs, f"{case_id}: undeclared difference with the upstream expectation:\n" + "\n".join(diffs[:20])


# --------------------------------------------------------------------------------------------
# Normalisers of upstream values (independent from the parsers' own code paths where it matters)
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


def n_caps(value: Any) -> List[str]:
    """napalm's capability words (``wlan-access-point``, ``station``...) -> ours."""
    return list(capability_words(value))


# --------------------------------------------------------------------------------------------
# Robustness (property tests)
# --------------------------------------------------------------------------------------------


def mutate(text: str, rng: random.Random, rounds: int) -> str:
    """Random, realistic damage: dropped/duplicated/swapped lines, truncation, CRLF, junk bytes."""
    lines = text.splitlines()
    for _unused in range(rounds):
        op = rng.randrange(8)
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif op == 4:
            pos = rng.randrange(len(lines[i]) + 1)
            junk = "".join(
                rng.choice('<>{}[]":,;|#%&!* \t\x08-/.0123456789abcdefXYZ') for _unused in range(rng.randrange(1, 12))
            )
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif op == 5:
            lines[i] = lines[i].upper()
        elif op == 6:
            lines.insert(i, "% Invalid input detected at '^' marker." if rng.random() < 0.2 else "--More--")
        else:
            lines[i] = lines[i].replace(" ", "  ", 1)
    sep = "\r\n" if rng.random() < 0.3 else "\n"
    return sep.join(lines)


def assert_only_expected_errors(parser: Parser, outputs: Mapping[str, str]) -> None:
    """A parser may only raise ParseError or DeviceError, never anything else, whatever the input."""
    try:
        result = parser(outputs, "fuzz-sw")
    except (ParseError, DeviceError):
        return
    assert isinstance(result, ParseResult)
    assert result.skipped >= 0
    for r in result.records:
        d = r.to_dict()  # every record stays serialisable
        for key in ("mac", "remote_mac"):
            if d.get(key) is not None:
                assert normalize_mac(d[key]) == d[key], f"non-canonical {key} {d[key]!r}"
        if "vlan" in d and d["vlan"] is not None:
            assert 1 <= d["vlan"] <= 4094
