# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restricted-vendor policy: its model, validation, org-name matching and user overrides.

The shipped policy is ``policy/restricted_vendors.yml`` + ``policy/prefixes.csv``, compiled by
``tools/build_policy.py`` into ``policy_data.py`` (a Python module, because modules executed by
Ansible ship Python files only). ``shipped_policy()`` parses it once per process.

Every validation error is a ``PolicyError`` whose message starts with ``<source>: <key path>:``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._records import PolicyError

VENDOR_STATUSES = ("named", "affiliate", "review", "other_prc_cctv")
ACTIONS = ("isolate", "report")
PREFIX_BITS = (24, 28, 36)
REGISTRIES = ("MA-L", "MA-M", "MA-S", "IAB", "CID", "override")
DEFAULT_PROFILE = "default"
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_WS = re.compile(r"\s+")
IAB_BLOCKS = (0x0050C2, 0x40D855)

POLICY_KEYS = (
    "schema_version",
    "policy_version",
    "registry_date",
    "registry_sources",
    "matching",
    "statuses",
    "profiles",
    "legal_bases",
    "vendors",
    "not_restricted",
)
OVERRIDE_KEYS = (
    "profiles",
    "disabled_vendors",
    "default_actions",
    "extra_legal_bases",
    "extra_vendors",
    "extra_prefixes",
)


def fail(source: str, path: str, message: str) -> PolicyError:
    return PolicyError(f"{source}: {path}: {message}")


@dataclass(frozen=True)
class LegalBasis:
    key: str
    title: str
    citation: str
    jurisdiction: str = ""
    kind: str = ""
    date: str = ""
    scope: str = ""
    urls: Tuple[str, ...] = ()

    def to_dict(self) -> Dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "citation": self.citation,
            "jurisdiction": self.jurisdiction,
            "kind": self.kind,
            "date": self.date,
            "scope": self.scope,
            "urls": list(self.urls),
        }


@dataclass(frozen=True)
class OrgPattern:
    regex: str
    status: str
    entity: str = ""
    compiled: re.Pattern[str] = field(compare=False, repr=False, default=re.compile(""))


@dataclass(frozen=True)
class Vendor:
    key: str
    display_name: str
    status: str
    profile: str = DEFAULT_PROFILE
    default_action: str = "report"
    legal_bases: Tuple[str, ...] = ()
    org_patterns: Tuple[OrgPattern, ...] = ()
    near_misses: Tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class PrefixRule:
    """One registry block: ``value`` is the prefix as an integer of ``bits`` bits."""

    value: int
    bits: int
    vendor_key: str
    status: str
    org: str = ""
    registry: str = ""
    source: str = "policy"  # policy | override | registry

    @property
    def text(self) -> str:
        return prefix_text(self.value, self.bits)


@dataclass(frozen=True)
class Policy:
    schema_version: int
    policy_version: str
    registry_date: str
    legal_bases: Mapping[str, LegalBasis]
    vendors: Mapping[str, Vendor]  # insertion order = pattern order
    prefixes: Tuple[PrefixRule, ...]
    profiles: Mapping[str, str] = field(default_factory=dict)
    enabled_profiles: Tuple[str, ...] = (DEFAULT_PROFILE,)
    disabled_vendors: Tuple[str, ...] = ()

    def is_active(self, vendor_key: str) -> bool:
        v = self.vendors.get(vendor_key)
        return v is not None and v.profile in self.enabled_profiles and vendor_key not in self.disabled_vendors

    def match_org(self, org: str, active_only: bool = False) -> Optional[Tuple[Vendor, OrgPattern]]:
        """First vendor pattern (file order) that matches the registry organisation name."""
        name = _WS.sub(" ", org).strip()
        for vendor in self.vendors.values():
            if active_only and not self.is_active(vendor.key):
                continue
            for pat in vendor.org_patterns:
                if pat.compiled.search(name):
                    return vendor, pat
        return None


# --------------------------------------------------------------------------- prefixes


def parse_prefix(text: object, source: str = "prefix", path: str = "prefix") -> Tuple[int, int]:
    """Parse a registry prefix and return ``(value, bits)``.

    Accepts ``BCAD28``, ``bc:ad:28``, ``B0-B3-53-6``, ``b0b3536`` (28 bit), ``0050C2001`` (36 bit)
    and ``b0:b3:53:60:00:00/28`` (a full address with a prefix length; host bits must be zero).
    """
    if not isinstance(text, str):
        raise fail(source, path, f"expected a prefix string, got {type(text).__name__} {text!r}")
    s = text.strip()
    bits: Optional[int] = None
    if "/" in s:
        s, b = s.split("/", 1)
        if not b.isdigit() or int(b) not in PREFIX_BITS:
            raise fail(source, path, f"prefix {text!r}: length must be one of 24, 28, 36")
        bits = int(b)
    digits = s.replace(":", "").replace("-", "").replace(".", "")
    if not digits or not _HEX_DIGITS.issuperset(digits):
        raise fail(source, path, f"prefix {text!r} is not hexadecimal")
    if bits is None:
        if len(digits) * 4 not in PREFIX_BITS:
            raise fail(source, path, f"prefix {text!r} has {len(digits)} hex digits; expected 6, 7 or 9")
        return int(digits, 16), len(digits) * 4
    if len(digits) != 12:
        raise fail(source, path, f"prefix {text!r}: a /{bits} prefix needs a full 12-digit address")
    full = int(digits, 16)
    if full & ((1 << (48 - bits)) - 1):
        raise fail(source, path, f"prefix {text!r} has bits set beyond /{bits}")
    return full >> (48 - bits), bits


def prefix_text(value: int, bits: int) -> str:
    """``bc:ad:28`` / ``b0:b3:53:6`` / ``00:50:c2:00:1``: the leading characters of every MAC inside."""
    h = f"{value:0{bits // 4}x}"
    return ":".join(h[i : i + 2] for i in range(0, len(h), 2))


def prefix_hex(value: int, bits: int) -> str:
    """Registry spelling: ``BCAD28``, ``B0B3536``."""
    return f"{value:0{bits // 4}X}"


def registry_for(value: int, bits: int) -> str:
    if bits == 24:
        return "MA-L"
    if bits == 28:
        return "MA-M"
    return "IAB" if (value >> 12) in IAB_BLOCKS else "MA-S"


def is_local_prefix(value: int, bits: int) -> bool:
    """True when every address in the block is locally administered or multicast (IEEE CIDs)."""
    return bool((value >> (bits - 8)) & 0x03)


# --------------------------------------------------------------------------- validation helpers


def _mapping(value: Any, source: str, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise fail(source, path, f"expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, source: str, path: str) -> List[Any]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise fail(source, path, f"expected a list, got {type(value).__name__}")
    return list(value)


def _text(value: Any, source: str, path: str, required: bool = True) -> str:
    if value is None:
        if required:
            raise fail(source, path, "required")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise fail(source, path, f"expected a string, got {type(value).__name__}")
    s = str(value).strip()
    if required and not s:
        raise fail(source, path, "must not be empty")
    return s


def _key(value: Any, source: str, path: str) -> str:
    s = _text(value, source, path)
    if not _KEY_RE.match(s):
        raise fail(source, path, f"{s!r} is not a valid key (lower-case letters, digits and _, starting with a letter)")
    return s


def _choice(value: Any, choices: Sequence[str], source: str, path: str) -> str:
    s = _text(value, source, path)
    if s not in choices:
        raise fail(source, path, f"{s!r} is not one of {', '.join(choices)}")
    return s


def _no_unknown(d: Mapping[str, Any], allowed: Iterable[str], source: str, path: str) -> None:
    allowed_set = set(allowed)
    for k in d:
        if k not in allowed_set:
            where = f"{path}.{k}" if path else str(k)
            raise fail(source, where, f"unknown key; allowed: {', '.join(sorted(allowed_set))}")


def compile_pattern(regex: Any, source: str, path: str) -> re.Pattern[str]:
    s = _text(regex, source, path)
    try:
        return re.compile(s, re.IGNORECASE)
    except re.error as e:
        raise fail(source, path, f"invalid regular expression {s!r}: {e}") from e


def _legal_basis(d: Any, source: str, path: str) -> LegalBasis:
    m = _mapping(d, source, path)
    _no_unknown(
        m, ("key", "title", "citation", "jurisdiction", "kind", "date", "effective", "scope", "urls"), source, path
    )
    return LegalBasis(
        key=_key(m.get("key"), source, f"{path}.key"),
        title=_text(m.get("title"), source, f"{path}.title"),
        citation=_text(m.get("citation"), source, f"{path}.citation"),
        jurisdiction=_text(m.get("jurisdiction"), source, f"{path}.jurisdiction", required=False),
        kind=_text(m.get("kind"), source, f"{path}.kind", required=False),
        date=_text(m.get("date"), source, f"{path}.date", required=False),
        scope=_text(m.get("scope"), source, f"{path}.scope", required=False),
        urls=tuple(
            _text(u, source, f"{path}.urls[{i}]") for i, u in enumerate(_list(m.get("urls"), source, f"{path}.urls"))
        ),
    )


def _vendor(
    d: Any, legal_keys: Iterable[str], profiles: Iterable[str], source: str, path: str, require_decision: bool = False
) -> Vendor:
    m = _mapping(d, source, path)
    allowed = ("key", "display_name", "status", "profile", "default_action", "legal_bases", "org_patterns")
    _no_unknown(m, (*allowed, "near_misses", "notes"), source, path)
    known_legal = set(legal_keys)
    bases: List[str] = []
    for i, b in enumerate(_list(m.get("legal_bases"), source, f"{path}.legal_bases")):
        k = _text(b, source, f"{path}.legal_bases[{i}]")
        if k not in known_legal:
            raise fail(
                source,
                f"{path}.legal_bases[{i}]",
                f"unknown legal basis {k!r}; known: {', '.join(sorted(known_legal))}",
            )
        bases.append(k)
    status = _choice(m.get("status"), VENDOR_STATUSES, source, f"{path}.status")
    patterns: List[OrgPattern] = []
    for i, p in enumerate(_list(m.get("org_patterns"), source, f"{path}.org_patterns")):
        ppath = f"{path}.org_patterns[{i}]"
        if isinstance(p, str):
            patterns.append(OrgPattern(p, status, "", compile_pattern(p, source, ppath)))
            continue
        pm = _mapping(p, source, ppath)
        _no_unknown(pm, ("regex", "status", "entity", "decision"), source, ppath)
        regex = _text(pm.get("regex"), source, f"{ppath}.regex")
        pstatus = _choice(pm.get("status", status), VENDOR_STATUSES, source, f"{ppath}.status")
        decision = _text(pm.get("decision"), source, f"{ppath}.decision", required=False)
        if require_decision and pstatus == "review" and not decision:
            raise fail(source, f"{ppath}.decision", "a 'review' pattern must record the decision and its reason")
        entity = _text(pm.get("entity"), source, f"{ppath}.entity", required=False)
        patterns.append(OrgPattern(regex, pstatus, entity, compile_pattern(regex, source, f"{ppath}.regex")))
    profile = _text(m.get("profile", DEFAULT_PROFILE), source, f"{path}.profile")
    if profile not in set(profiles):
        raise fail(source, f"{path}.profile", f"unknown profile {profile!r}; known: {', '.join(sorted(profiles))}")
    return Vendor(
        key=_key(m.get("key"), source, f"{path}.key"),
        display_name=_text(m.get("display_name"), source, f"{path}.display_name"),
        status=status,
        profile=profile,
        default_action=_choice(m.get("default_action", "report"), ACTIONS, source, f"{path}.default_action"),
        legal_bases=tuple(bases),
        org_patterns=tuple(patterns),
        near_misses=tuple(
            _text(n, source, f"{path}.near_misses[{i}]")
            for i, n in enumerate(_list(m.get("near_misses"), source, f"{path}.near_misses"))
        ),
        notes=_text(m.get("notes"), source, f"{path}.notes", required=False),
    )


def prefix_rule(
    row: Mapping[str, Any], vendors: Mapping[str, Vendor], source: str, path: str, rule_source: str = "policy"
) -> PrefixRule:
    """Validate one prefix row (``prefix``, optional ``bits``, ``vendor_key``, ``status``, ``org``, ``registry``)."""
    value, bits = parse_prefix(row.get("prefix"), source, f"{path}.prefix")
    if row.get("bits") not in (None, ""):
        b = _text(row.get("bits"), source, f"{path}.bits")
        if not b.isdigit() or int(b) != bits:
            raise fail(source, f"{path}.bits", f"{b!r} does not match the prefix {row.get('prefix')!r} ({bits} bit)")
    vkey = _text(row.get("vendor_key"), source, f"{path}.vendor_key")
    vendor = vendors.get(vkey)
    if vendor is None:
        raise fail(source, f"{path}.vendor_key", f"unknown vendor {vkey!r}; known: {', '.join(vendors)}")
    status = _choice(row.get("status") or vendor.status, VENDOR_STATUSES, source, f"{path}.status")
    registry = _text(row.get("registry"), source, f"{path}.registry", required=False) or (
        "override" if rule_source == "override" else registry_for(value, bits)
    )
    if registry not in REGISTRIES:
        raise fail(source, f"{path}.registry", f"{registry!r} is not one of {', '.join(REGISTRIES)}")
    org = _text(row.get("org"), source, f"{path}.org", required=False)
    return PrefixRule(value, bits, vkey, status, org, registry, rule_source)


def load_policy(
    data: Any, prefix_rows: Iterable[Mapping[str, Any]], source: str = "policy", prefix_source: str = "prefixes"
) -> Policy:
    """Validate the policy document and its prefix rows."""
    m = _mapping(data, source, "(top level)")
    _no_unknown(m, POLICY_KEYS, source, "")
    version = m.get("schema_version")
    if version != 1:
        raise fail(source, "schema_version", f"unsupported schema version {version!r} (this collection reads 1)")
    profiles_m = _mapping(m.get("profiles", {DEFAULT_PROFILE: ""}), source, "profiles")
    profiles = {str(k): str(v) for k, v in profiles_m.items()}
    if DEFAULT_PROFILE not in profiles:
        raise fail(source, "profiles", "the profile 'default' must exist")
    legal: Dict[str, LegalBasis] = {}
    for i, d in enumerate(_list(m.get("legal_bases"), source, "legal_bases")):
        lb = _legal_basis(d, source, f"legal_bases[{i}]")
        if lb.key in legal:
            raise fail(source, f"legal_bases[{i}].key", f"duplicate legal basis {lb.key!r}")
        legal[lb.key] = lb
    vendors: Dict[str, Vendor] = {}
    for i, d in enumerate(_list(m.get("vendors"), source, "vendors")):
        v = _vendor(d, legal, profiles, source, f"vendors[{i}]", require_decision=True)
        if v.key in vendors:
            raise fail(source, f"vendors[{i}].key", f"duplicate vendor {v.key!r}")
        vendors[v.key] = v
    if not vendors:
        raise fail(source, "vendors", "no vendor defined")
    rules: List[PrefixRule] = []
    seen: Dict[Tuple[int, int], int] = {}
    for i, row in enumerate(prefix_rows):
        path = f"row {i + 2}"  # CSV line number (line 1 is the header)
        r = prefix_rule(row, vendors, prefix_source, path)
        if (r.value, r.bits) in seen:
            raise fail(
                prefix_source,
                f"{path}.prefix",
                f"duplicate prefix {r.text}/{r.bits} (also on row {seen[(r.value, r.bits)]})",
            )
        seen[(r.value, r.bits)] = i + 2
        rules.append(r)
    return Policy(
        schema_version=1,
        policy_version=_text(m.get("policy_version"), source, "policy_version"),
        registry_date=_text(m.get("registry_date"), source, "registry_date"),
        legal_bases=legal,
        vendors=vendors,
        prefixes=tuple(rules),
        profiles=profiles,
    )


def check_prefix_consistency(policy: Policy, source: str = "prefixes") -> List[str]:
    """Rows whose registry organisation does not match their vendor and status by the org patterns."""
    problems: List[str] = []
    for r in policy.prefixes:
        hit = policy.match_org(r.org) if r.org else None
        got = (hit[0].key, hit[1].status) if hit else None
        if got != (r.vendor_key, r.status):
            problems.append(
                f"{source}: prefix {prefix_hex(r.value, r.bits)} ({r.org!r}) is listed as {r.vendor_key}/{r.status} "
                f"but the org patterns give {got[0] + '/' + got[1] if got else 'no match'}"
            )
    return problems


# --------------------------------------------------------------------------- overrides


def apply_overrides(policy: Policy, data: Any, source: str = "overrides") -> Policy:
    """Return ``policy`` extended by a user overrides document.

    Keys: ``profiles`` (profiles to enable besides ``default``), ``disabled_vendors``,
    ``default_actions`` (vendor -> isolate|report), ``extra_legal_bases``, ``extra_vendors``
    (same schema as the policy's vendors), ``extra_prefixes`` (prefix, vendor_key, optional
    status and org). Extra prefixes replace a shipped prefix of the same length and value.
    """
    if data is None:
        return policy
    m = _mapping(data, source, "(top level)")
    _no_unknown(m, OVERRIDE_KEYS, source, "")
    legal = dict(policy.legal_bases)
    for i, d in enumerate(_list(m.get("extra_legal_bases"), source, "extra_legal_bases")):
        lb = _legal_basis(d, source, f"extra_legal_bases[{i}]")
        legal[lb.key] = lb
    vendors = dict(policy.vendors)
    for i, d in enumerate(_list(m.get("extra_vendors"), source, "extra_vendors")):
        v = _vendor(d, legal, policy.profiles, source, f"extra_vendors[{i}]")
        if v.key in vendors:
            raise fail(source, f"extra_vendors[{i}].key", f"vendor {v.key!r} already exists in the policy")
        vendors[v.key] = v
    for k, action in _mapping(m.get("default_actions") or {}, source, "default_actions").items():
        if k not in vendors:
            raise fail(source, f"default_actions.{k}", f"unknown vendor {k!r}; known: {', '.join(vendors)}")
        vendors[k] = replace(vendors[k], default_action=_choice(action, ACTIONS, source, f"default_actions.{k}"))
    profiles = list(policy.enabled_profiles)
    for i, p in enumerate(_list(m.get("profiles"), source, "profiles")):
        name = _text(p, source, f"profiles[{i}]")
        if name not in policy.profiles:
            raise fail(source, f"profiles[{i}]", f"unknown profile {name!r}; known: {', '.join(policy.profiles)}")
        if name not in profiles:
            profiles.append(name)
    disabled = list(policy.disabled_vendors)
    for i, k in enumerate(_list(m.get("disabled_vendors"), source, "disabled_vendors")):
        name = _text(k, source, f"disabled_vendors[{i}]")
        if name not in vendors:
            raise fail(source, f"disabled_vendors[{i}]", f"unknown vendor {name!r}; known: {', '.join(vendors)}")
        if name not in disabled:
            disabled.append(name)
    extra: Dict[Tuple[int, int], PrefixRule] = {}
    for i, row in enumerate(_list(m.get("extra_prefixes"), source, "extra_prefixes")):
        path = f"extra_prefixes[{i}]"
        rm = _mapping(row, source, path)
        _no_unknown(rm, ("prefix", "vendor_key", "status", "org", "note"), source, path)
        r = prefix_rule(rm, vendors, source, path, rule_source="override")
        extra[(r.value, r.bits)] = r
    prefixes = tuple(r for r in policy.prefixes if (r.value, r.bits) not in extra) + tuple(extra.values())
    return replace(
        policy,
        legal_bases=legal,
        vendors=vendors,
        prefixes=prefixes,
        enabled_profiles=tuple(profiles),
        disabled_vendors=tuple(disabled),
    )


def with_profiles(policy: Policy, profiles: Iterable[str], source: str = "profiles") -> Policy:
    """Enable extra profiles (``default`` is always on)."""
    enabled = list(policy.enabled_profiles)
    for i, p in enumerate(profiles):
        if p not in policy.profiles:
            raise fail(source, f"[{i}]", f"unknown profile {p!r}; known: {', '.join(policy.profiles)}")
        if p not in enabled:
            enabled.append(p)
    return replace(policy, enabled_profiles=tuple(enabled))


# --------------------------------------------------------------------------- shipped data

_SHIPPED: List[Policy] = []


def shipped_policy() -> Policy:
    """The policy shipped with the collection (parsed once per process)."""
    if not _SHIPPED:
        # deferred on purpose, a downward edge inside this package: the generated data (tens of
        # thousands of prefixes) is imported only by the processes that classify
        from ansible_collections.camguard.network.plugins.module_utils._classify.policy_data import POLICY, PREFIXES

        rows = [
            {"prefix": p, "bits": bits, "vendor_key": vkey, "status": status, "org": org, "registry": registry}
            for vkey, status, registry, bits, org, packed in PREFIXES
            for p in packed.split()
        ]
        _SHIPPED.append(load_policy(POLICY, rows, source="_policy_data.POLICY", prefix_source="_policy_data.PREFIXES"))
    return _SHIPPED[0]


def rebuild_prefixes(policy: Policy, entries: Iterable[Tuple[int, int, str]]) -> List[PrefixRule]:
    """Prefix rules for every registry entry ``(value, bits, org)`` whose org matches a policy pattern.

    Blocks in the locally administered / multicast space (IEEE CIDs) and the ``IEEE
    Registration Authority`` containers are skipped. The result is sorted like prefixes.csv.
    """
    cache: Dict[str, Optional[Tuple[Vendor, OrgPattern]]] = {}
    out: List[PrefixRule] = []
    for value, bits, org in entries:
        if is_local_prefix(value, bits) or org.strip().lower() == "ieee registration authority":
            continue
        if org not in cache:
            cache[org] = policy.match_org(org)
        hit = cache[org]
        if hit is not None:
            out.append(PrefixRule(value, bits, hit[0].key, hit[1].status, org, registry_for(value, bits), "registry"))
    return sort_rules(out)


def org_key(org: str) -> str:
    """Spelling-insensitive form of an organisation name (case and white space)."""
    return _WS.sub(" ", org).strip().casefold()


def keep_spelling(rules: Iterable[PrefixRule], baseline: Iterable[PrefixRule]) -> List[PrefixRule]:
    """Keep the baseline's spelling of an organisation when the registry differs only in case or spacing.

    Registry copies disagree on case (Wireshark-derived data title-cases upper-case names).
    """
    known = {(r.value, r.bits): r.org for r in baseline}
    out: List[PrefixRule] = []
    for r in rules:
        old = known.get((r.value, r.bits))
        out.append(replace(r, org=old) if old is not None and old != r.org and org_key(old) == org_key(r.org) else r)
    return out


def sort_rules(rules: Iterable[PrefixRule]) -> List[PrefixRule]:
    return sorted(rules, key=lambda r: (r.vendor_key, r.bits, r.value))


def rules_to_csv(rules: Iterable[PrefixRule]) -> str:
    """prefixes.csv text (header + one line per rule, the order given)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["prefix", "bits", "org", "vendor_key", "status", "registry"])
    for r in rules:
        w.writerow([prefix_hex(r.value, r.bits), r.bits, r.org, r.vendor_key, r.status, r.registry])
    return buf.getvalue()


def diff_rules(old: Iterable[PrefixRule], new: Iterable[PrefixRule]) -> Dict[str, Dict[str, List[Dict[str, Any]]]]:
    """Per vendor: ``added``, ``removed`` and ``changed`` (status or org) prefixes."""
    o = {(r.value, r.bits): r for r in old}
    n = {(r.value, r.bits): r for r in new}
    out: Dict[str, Dict[str, List[Dict[str, Any]]]] = {}

    def slot(vendor: str) -> Dict[str, List[Dict[str, Any]]]:
        return out.setdefault(vendor, {"added": [], "removed": [], "changed": []})

    def row(r: PrefixRule) -> Dict[str, Any]:
        return {"prefix": r.text, "bits": r.bits, "org": r.org, "status": r.status, "registry": r.registry}

    for k in sorted(set(n) - set(o), key=lambda k: (k[1], k[0])):
        slot(n[k].vendor_key)["added"].append(row(n[k]))
    for k in sorted(set(o) - set(n), key=lambda k: (k[1], k[0])):
        slot(o[k].vendor_key)["removed"].append(row(o[k]))
    for k in sorted(set(o) & set(n), key=lambda k: (k[1], k[0])):
        a, b = o[k], n[k]
        if (a.vendor_key, a.status, org_key(a.org)) != (b.vendor_key, b.status, org_key(b.org)):
            d = row(b)
            d["before"] = {"vendor_key": a.vendor_key, "status": a.status, "org": a.org}
            slot(b.vendor_key)["changed"].append(d)
    return out


def load_yaml_file(path: str, what: str = "policy overrides") -> Any:
    """Parse a YAML file; errors name the file."""
    try:
        import yaml
    except ImportError as e:  # pragma: no cover - PyYAML ships with ansible-core
        raise PolicyError(f"{path}: reading {what} needs PyYAML") from e
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as e:
        raise PolicyError(f"{path}: cannot read {what} file: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise PolicyError(f"{path}: not valid YAML: {e}") from e


def read_prefixes_csv(path: str, policy: Policy) -> List[PrefixRule]:
    """Read a prefixes.csv-format file (prefix, bits, org, vendor_key, status, registry); errors name the file and row."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(f"{path}: cannot read prefix list: {e}") from e
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("prefix", "vendor_key") if c not in (reader.fieldnames or [])]
    if missing:
        raise PolicyError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    rules: List[PrefixRule] = []
    for i, row in enumerate(reader):
        rules.append(prefix_rule(row, policy.vendors, path, f"row {i + 2}"))
    return rules
