# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The general IEEE registry (MA-L, MA-M, MA-S, IAB): names every vendor, and finds policy drift.

Two sources, one form (``{bits: {prefix value: organisation}}``, longest prefix first):

* the installed ``pymanuf`` package (MIT, built from the IEEE CSVs, monthly releases). Its data
  file ``manuf.txt`` is read directly (tab-separated ``AA:BB:CC`` / ``AA:BB:CC:D0:00:00/28``
  lines); ``pymanuf.lookup`` serves as the fallback if a release ever stops shipping the file;
* IEEE registry CSV exports (``Registry,Assignment,Organization Name,Organization Address``),
  as downloaded from standards.ieee.org, given as local files.

Drift: a registry organisation that matches a policy org pattern at a prefix the policy does not
list. Such prefixes classify as ``review`` with source ``registry`` until the shipped list (or
the user's overrides) catch up.
"""

from __future__ import annotations

import csv
import io
import os
import re
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._classify.policy import (
    Policy,
    PrefixRule,
    diff_rules,
    is_local_prefix,
    keep_spelling,
    rebuild_prefixes,
    registry_for,
    rules_to_csv,
)
from ansible_collections.camguard.network.plugins.module_utils._records import PolicyError

try:
    import pymanuf

    HAS_PYMANUF = True
except ImportError:  # pragma: no cover - exercised only without the package
    pymanuf = None
    HAS_PYMANUF = False

IEEE_HEADER = ("Registry", "Assignment", "Organization Name", "Organization Address")
_IEEE_BITS = {"MA-L": 24, "MA-M": 28, "MA-S": 36, "IAB": 36, "CID": 24}
_WS = re.compile(r"\s+")
_NO_OWNER = frozenset(("ieee registration authority", "private", "unknown"))


class RegistryMatch(NamedTuple):
    org: str
    value: int
    bits: int


class Registry:
    """Longest-prefix registry lookups on integer prefixes."""

    def __init__(self, tables: Dict[int, Dict[int, str]], source: str) -> None:
        self.t36: Dict[int, str] = dict(tables.get(36, {}))
        self.t28: Dict[int, str] = dict(tables.get(28, {}))
        self.t24: Dict[int, str] = dict(tables.get(24, {}))
        self.source = source
        self._fallback: Optional[Callable[[str], str]] = None
        self._drift_cache: Dict[Tuple[Tuple[str, ...], int], List[PrefixRule]] = {}

    def __len__(self) -> int:
        return len(self.t36) + len(self.t28) + len(self.t24)

    def lookup(self, mac_int: int) -> Optional[RegistryMatch]:
        """Longest registered prefix containing the 48-bit address ``mac_int``."""
        v = mac_int >> 12
        org = self.t36.get(v)
        if org is not None:
            return RegistryMatch(org, v, 36)
        v = mac_int >> 20
        org = self.t28.get(v)
        if org is not None:
            return RegistryMatch(org, v, 28)
        v = mac_int >> 24
        org = self.t24.get(v)
        if org is not None:
            return RegistryMatch(org, v, 24)
        if self._fallback is not None:
            h = f"{mac_int:012X}"
            name = self._fallback(":".join(h[i : i + 2] for i in range(0, 12, 2)))
            if name and name != "unknown":
                return RegistryMatch(name, mac_int >> 24, 24)
        return None

    def entries(self) -> Iterator[Tuple[int, int, str]]:
        """Every ``(value, bits, org)``, 24-bit blocks first."""
        for bits, table in ((24, self.t24), (28, self.t28), (36, self.t36)):
            for value, org in table.items():
                yield value, bits, org

    def drift(self, policy: Policy) -> List[PrefixRule]:
        """Registry blocks whose organisation matches an active vendor's pattern but that the policy lacks.

        Returned as ``review`` rules with source ``registry``.
        """
        known = {(r.value, r.bits) for r in policy.prefixes}
        active = [
            p.regex for v in policy.vendors.values() if policy.is_active(v.key) for p in v.org_patterns if p.regex
        ]
        if not active:
            return []
        cache_key = (tuple(active), hash(frozenset(known)))
        cached = self._drift_cache.get(cache_key)
        if cached is not None:
            return list(cached)
        prefilter = re.compile("|".join(f"(?:{r})" for r in active), re.IGNORECASE)
        seen: Dict[str, Optional[str]] = {}
        out: List[PrefixRule] = []
        for value, bits, org in self.entries():
            if (value, bits) in known or is_local_prefix(value, bits):
                continue
            if org not in seen:
                name = _WS.sub(" ", org).strip()
                hit = policy.match_org(name, active_only=True) if prefilter.search(name) else None
                seen[org] = hit[0].key if hit else None
            vendor_key = seen[org]
            if vendor_key is not None:
                out.append(PrefixRule(value, bits, vendor_key, "review", org, registry_for(value, bits), "registry"))
        self._drift_cache[cache_key] = list(out)
        return out

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_entries(cls, entries: Iterable[Tuple[int, int, str]], source: str) -> Registry:
        tables: Dict[int, Dict[int, str]] = {24: {}, 28: {}, 36: {}}
        for value, bits, org in entries:
            tables[bits][value] = org
        return cls(tables, source)

    @classmethod
    def from_manuf_text(cls, text: str, source: str) -> Registry:
        """Parse Wireshark/pymanuf ``manuf`` text (``AA:BB:CC<TAB>org``, ``AA:BB:CC:D0:00:00/28<TAB>org``)."""
        tables: Dict[int, Dict[int, str]] = {24: {}, 28: {}, 36: {}}
        for line in text.splitlines():
            if not line or line[0] == "#":
                continue
            mac, sep, org = line.partition("\t")
            if not sep:
                continue
            org = org.strip().split("\t")[-1].strip()
            bits = 24
            if "/" in mac:
                mac, b = mac.split("/", 1)
                if b not in ("28", "36"):
                    continue
                bits = int(b)
            digits = mac.replace(":", "").replace("-", "")
            try:
                full = int(digits.ljust(12, "0"), 16)
            except ValueError:
                continue
            if len(digits) not in (6, 12) or not org:
                continue
            tables[bits][full >> (48 - bits)] = org
        return cls(tables, source)

    @classmethod
    def from_ieee_csv(cls, paths: Iterable[str], include_cid: bool = False) -> Registry:
        """Read IEEE registry CSV exports (MA-L, MA-M, MA-S, IAB; CID rows skipped unless asked).

        Errors name the file, the line and the column.
        """
        tables: Dict[int, Dict[int, str]] = {24: {}, 28: {}, 36: {}}
        names: List[str] = []
        for path in paths:
            names.append(os.path.basename(path))
            try:
                with open(path, encoding="utf-8-sig", newline="") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError) as e:
                raise PolicyError(f"{path}: cannot read IEEE registry file: {e}") from e
            reader = csv.reader(io.StringIO(text, newline=""))
            header = next(reader, None)
            if header is None or tuple(h.strip() for h in header[:4]) != IEEE_HEADER:
                raise PolicyError(f"{path}: line 1: not an IEEE registry CSV (expected header {','.join(IEEE_HEADER)})")
            for row in reader:
                line = reader.line_num
                if not row or not any(c.strip() for c in row):
                    continue
                if len(row) < 3:
                    raise PolicyError(f"{path}: line {line}: expected at least 3 columns, got {len(row)}")
                reg, assignment, org = row[0].strip(), row[1].strip(), _WS.sub(" ", row[2]).strip()
                bits = _IEEE_BITS.get(reg)
                if bits is None:
                    raise PolicyError(f"{path}: line {line}: column Registry: unknown registry {reg!r}")
                if reg == "CID" and not include_cid:
                    continue
                if len(assignment) != bits // 4 or not all(c in "0123456789abcdefABCDEF" for c in assignment):
                    raise PolicyError(
                        f"{path}: line {line}: column Assignment: {assignment!r} is not a {bits}-bit hex prefix for {reg}"
                    )
                if not org:
                    raise PolicyError(f"{path}: line {line}: column Organization Name: empty")
                tables[bits][int(assignment, 16)] = org
        return cls(tables, "IEEE CSV " + ", ".join(names))

    @classmethod
    def from_pymanuf(cls) -> Registry:
        """The registry of the installed ``pymanuf`` package."""
        if not HAS_PYMANUF or pymanuf is None:
            raise PolicyError("pymanuf: the general registry needs the Python package 'pymanuf' (pip install pymanuf)")
        version = _pymanuf_version()
        path = os.path.join(os.path.dirname(pymanuf.__file__ or ""), "manuf.txt")
        try:
            with open(path, encoding="utf-8") as f:
                reg = cls.from_manuf_text(f.read(), f"pymanuf {version}")
        except OSError:
            reg = cls({}, f"pymanuf {version} (lookup API)")
            reg._fallback = pymanuf.lookup
        return reg


def _pymanuf_version() -> str:
    try:
        from importlib.metadata import version
    except ImportError:  # pragma: no cover - Python < 3.8
        return "unknown"
    try:
        return version("pymanuf")
    except Exception:
        return "unknown"


def has_owner(org: Optional[str]) -> bool:
    """False for registry placeholders that do not name a maker (RA containers, "Private")."""
    return bool(org) and (org or "").strip().lower() not in _NO_OWNER


_DEFAULT: List[Optional[Registry]] = []


def default_registry() -> Optional[Registry]:
    """The installed general registry, loaded once per process; None when pymanuf is missing."""
    if not _DEFAULT:
        _DEFAULT.append(Registry.from_pymanuf() if HAS_PYMANUF else None)
    return _DEFAULT[0]


def rebuild_report(policy: Policy, registry: Registry, baseline: Iterable[PrefixRule]) -> Dict[str, Any]:
    """Rebuild the restricted prefix list from ``registry`` and compare it with ``baseline``.

    Returns ``rules`` (sorted like prefixes.csv), ``csv`` (its text), ``changes`` (per vendor
    added / removed / changed), ``counts`` (prefixes per vendor) and the totals.
    """
    baseline = list(baseline)
    rules = keep_spelling(rebuild_prefixes(policy, registry.entries()), baseline)
    changes = diff_rules(baseline, rules)
    counts: Dict[str, int] = {}
    for r in rules:
        counts[r.vendor_key] = counts.get(r.vendor_key, 0) + 1
    return {
        "rules": rules,
        "csv": rules_to_csv(rules),
        "changes": changes,
        "counts": counts,
        "added": sum(len(c["added"]) for c in changes.values()),
        "removed": sum(len(c["removed"]) for c in changes.values()),
        "changed": sum(len(c["changed"]) for c in changes.values()),
    }
