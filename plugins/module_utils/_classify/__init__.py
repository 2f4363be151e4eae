# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MAC -> verdict: is the maker restricted, under which law, and why.

``Classifier`` is built once from the policy (shipped data + user overrides), the waivers and,
optionally, the general registry (``_registry.Registry``). Lookups are integer dict lookups,
longest prefix first (36 -> 28 -> 24 bit), so one MAC costs O(1) whatever the list size:

* one dict keyed by the 24-bit OUI answers most MACs with a single lookup; an OUI that has
  28/36-bit blocks under it maps to a small marker that sends the lookup to the 36 and 28-bit
  dicts first (an MA-M inside an "IEEE Registration Authority" MA-L resolves to its owner);
* locally administered and multicast MACs are ``local`` and never looked up (IEEE CIDs live
  in that space, so a random MAC could otherwise be blamed on a vendor);
* with a registry, prefixes whose registry organisation matches a policy pattern but which
  the policy does not list (drift) are added as ``review`` rules with source ``registry``, and
  every other MAC gets its maker's name (``unrestricted``) or ``unknown``.

``classify()`` returns a full ``Verdict`` for one MAC; ``classify_many()`` is the bulk path: it
parses canonical MACs in C-speed batches and returns one shared rule object per MAC, building
full ``Verdict`` records only on request (restricted MACs are few).
"""

from __future__ import annotations

import datetime
import sys
from array import array
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, cast

from ansible_collections.camguard.network.plugins.module_utils._classify.policy import (
    Policy,
    PrefixRule,
    apply_overrides,
    load_yaml_file,
    prefix_text,
    shipped_policy,
    with_profiles,
)
from ansible_collections.camguard.network.plugins.module_utils._classify.registry import (
    Registry,
    default_registry,
    has_owner,
)
from ansible_collections.camguard.network.plugins.module_utils._classify.waivers import (
    WaiverSet,
    load_waivers,
    load_waivers_file,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import int_to_mac, mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import (
    InvalidMacError,
    MacEntry,
    PolicyError,
    Verdict,
)

_BATCH = 4096


class Rule:
    """A prefix rule with everything a verdict needs, shared by every MAC it matches."""

    __slots__ = (
        "active",
        "basis",
        "bits",
        "default_action",
        "org",
        "prefix",
        "source",
        "status",
        "vendor_key",
        "vendor_name",
    )

    def __init__(
        self,
        vendor_key: str,
        vendor_name: str,
        status: str,
        basis: Tuple[str, ...],
        prefix: str,
        bits: int,
        source: str,
        org: str,
        default_action: str,
        active: bool,
    ) -> None:
        self.vendor_key = vendor_key
        self.vendor_name = vendor_name
        self.status = status
        self.basis = basis
        self.prefix = prefix
        self.bits = bits
        self.source = source
        self.org = org
        self.default_action = default_action
        self.active = active

    def __repr__(self) -> str:
        return f"Rule({self.vendor_key}, {self.status}, {self.prefix}/{self.bits}, {self.source})"


class _Sub:
    """Marks an OUI with 28/36-bit blocks under it; ``fallback`` is the 24-bit rule, if any."""

    __slots__ = ("fallback",)

    def __init__(self, fallback: Optional[Rule]) -> None:
        self.fallback = fallback


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


LOCAL = _Marker("LOCAL")
INVALID = _Marker("INVALID")
Match = Union[Rule, _Marker, None]


def _action(status: str, vendor_action: str) -> str:
    return "report" if status == "review" else vendor_action


def _ints_canonical(macs: Sequence[str]) -> Optional[array[int]]:
    """48-bit integers for a batch of ``aa:bb:cc:dd:ee:ff`` strings (either case), or None.

    Validation is structural and exact: every record is 17 characters with colons at the five
    separator positions, and the 12 remaining characters of every record must be hex digits
    (``bytes.fromhex`` rejects anything else; a skipped white-space character shortens the
    result, which the length check catches). Any other spelling returns None.
    """
    n = len(macs)
    if n == 0:
        return array("Q")
    try:
        j = "\n".join(macs)
    except TypeError:
        return None
    if len(j) != 18 * n - 1 or j.count("\n") != n - 1 or j[17::18].count("\n") != n - 1:
        return None
    for off in (2, 5, 8, 11, 14):
        if j[off::18].count(":") != n:
            return None
    try:
        raw = bytes.fromhex("0000" + j.replace(":", "").replace("\n", "0000"))
    except ValueError:
        return None
    if len(raw) != 8 * n:
        return None
    a = array("Q", raw)
    if sys.byteorder == "little":
        a.byteswap()
    return a


class BulkResult:
    """Result of ``Classifier.classify_many``: one match per input, verdicts on request."""

    def __init__(self, classifier: Classifier, macs: Sequence[Any], ints: List[int], matches: List[Match]) -> None:
        self.classifier = classifier
        self.macs = macs
        self.ints = ints
        self.matches = matches
        self.errors: Dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.matches)

    def status(self, i: int) -> str:
        m = self.matches[i]
        if m is INVALID:
            return "invalid"
        if m is LOCAL:
            return "local"
        if isinstance(m, Rule):
            return m.status
        return self.classifier.unlisted_status(self.ints[i])

    def statuses(self) -> List[str]:
        return [self.status(i) for i in range(len(self.matches))]

    def counts(self) -> Dict[str, int]:
        out: Dict[str, int] = {}
        for i in range(len(self.matches)):
            s = self.status(i)
            out[s] = out.get(s, 0) + 1
        return out

    def restricted_indexes(self) -> List[int]:
        return [i for i, m in enumerate(self.matches) if isinstance(m, Rule) and m.active]

    def verdict(
        self,
        i: int,
        switch: Optional[str] = None,
        interface: Optional[str] = None,
        today: Optional[datetime.date] = None,
    ) -> Verdict:
        if self.matches[i] is INVALID:
            raise InvalidMacError(self.errors[i])
        return self.classifier.verdict_for(self.ints[i], self.matches[i], switch, interface, today)

    def restricted(self, today: Optional[datetime.date] = None) -> List[Verdict]:
        return [self.verdict(i, today=today) for i in self.restricted_indexes()]


class Classifier:
    """Longest-prefix classifier over the policy, overrides, waivers and an optional registry."""

    def __init__(
        self,
        policy: Optional[Policy] = None,
        registry: Optional[Registry] = None,
        waivers: Optional[WaiverSet] = None,
        drift: bool = True,
    ) -> None:
        self.policy = policy if policy is not None else shipped_policy()
        self.registry = registry
        self.waivers = waivers if waivers is not None else WaiverSet()
        self.drift_rules: List[PrefixRule] = registry.drift(self.policy) if (registry is not None and drift) else []
        self.t36: Dict[int, Rule] = {}
        self.t28: Dict[int, Rule] = {}
        oui: Dict[int, Rule] = {}
        for pr in (*self.policy.prefixes, *self.drift_rules):
            rule = self._rule(pr)
            if pr.bits == 36:
                self.t36[pr.value] = rule
            elif pr.bits == 28:
                self.t28[pr.value] = rule
            else:
                oui[pr.value] = rule
        self._oui: Dict[int, Union[Rule, _Sub]] = dict(oui)
        for v in self.t36:
            self._oui[v >> 12] = _Sub(oui.get(v >> 12))
        for v in self.t28:
            self._oui[v >> 4] = _Sub(oui.get(v >> 4))

    def _rule(self, pr: PrefixRule) -> Rule:
        vendor = self.policy.vendors[pr.vendor_key]
        active = self.policy.is_active(pr.vendor_key)
        status = pr.status if active else "unrestricted"
        return Rule(
            vendor_key=pr.vendor_key,
            vendor_name=vendor.display_name if active else (pr.org or vendor.display_name),
            status=status,
            basis=vendor.legal_bases if active else (),
            prefix=prefix_text(pr.value, pr.bits),
            bits=pr.bits,
            source=pr.source,
            org=pr.org,
            default_action=_action(status, vendor.default_action) if active else "none",
            active=active,
        )

    # ------------------------------------------------------------------ construction helpers

    @classmethod
    def build(
        cls,
        overrides: Any = None,
        overrides_source: str = "overrides",
        waivers: Optional[WaiverSet] = None,
        registry: Optional[Registry] = None,
        profiles: Iterable[str] = (),
        policy: Optional[Policy] = None,
    ) -> Classifier:
        """Shipped policy + parsed overrides document + profiles + waivers + registry."""
        p = policy if policy is not None else shipped_policy()
        p = apply_overrides(p, overrides, overrides_source)
        p = with_profiles(p, profiles)
        return cls(p, registry=registry, waivers=waivers)

    # ------------------------------------------------------------------ lookups

    def match_int(self, v: int) -> Match:
        """The rule for a 48-bit address (LOCAL for local/multicast, None when no rule)."""
        if (v >> 40) & 3:
            return LOCAL
        r = self._oui.get(v >> 24)
        if r is None or r.__class__ is Rule:
            return r  # type: ignore[return-value]
        return self.t36.get(v >> 12) or self.t28.get(v >> 20) or r.fallback  # type: ignore[union-attr]

    def unlisted_status(self, v: int) -> str:
        """Status of a MAC no rule matched: ``unrestricted`` when the registry names an owner."""
        m = self.registry.lookup(v) if self.registry is not None else None
        return "unrestricted" if m is not None and has_owner(m.org) else "unknown"

    def verdict_for(
        self,
        v: int,
        match: Match,
        switch: Optional[str] = None,
        interface: Optional[str] = None,
        today: Optional[datetime.date] = None,
    ) -> Verdict:
        mac = int_to_mac(v)
        if match is LOCAL:
            return Verdict(mac=mac, status="local", default_action="none")
        if isinstance(match, Rule):
            if not match.active:
                return Verdict(
                    mac=mac,
                    status="unrestricted",
                    vendor_key=match.vendor_key,
                    vendor_name=match.vendor_name,
                    matched_prefix=match.prefix,
                    prefix_bits=match.bits,
                    source=match.source,
                    registry_org=match.org or None,
                    default_action="none",
                )
            waiver = self.waivers.find(v, switch, interface, today) if len(self.waivers) else None
            action = match.default_action
            if waiver is not None and not waiver.expired:
                action = "report"
            return Verdict(
                mac=mac,
                status=match.status,
                vendor_key=match.vendor_key,
                vendor_name=match.vendor_name,
                basis=match.basis,
                matched_prefix=match.prefix,
                prefix_bits=match.bits,
                source=match.source,
                registry_org=match.org or None,
                waiver=waiver,
                default_action=action,
            )
        reg = self.registry.lookup(v) if self.registry is not None else None
        if reg is None:
            return Verdict(mac=mac, status="unknown", default_action="none")
        owner = has_owner(reg.org)
        return Verdict(
            mac=mac,
            status="unrestricted" if owner else "unknown",
            vendor_name=reg.org if owner else None,
            matched_prefix=prefix_text(reg.value, reg.bits),
            prefix_bits=reg.bits,
            source="registry",
            registry_org=reg.org,
            default_action="none",
        )

    def classify(
        self,
        mac: str,
        switch: Optional[str] = None,
        interface: Optional[str] = None,
        today: Optional[datetime.date] = None,
    ) -> Verdict:
        """Verdict for one MAC in any switch spelling; raises ``InvalidMacError`` with the reason."""
        v = mac_to_int(mac)
        return self.verdict_for(v, self.match_int(v), switch, interface, today)

    def classify_entry(self, entry: MacEntry, today: Optional[datetime.date] = None) -> Verdict:
        return self.classify(entry.mac, entry.switch, entry.interface, today)

    def classify_many(self, macs: Sequence[Any]) -> BulkResult:
        """Bulk path: one shared ``Rule`` (or LOCAL / INVALID / None) per input MAC.

        Canonical ``aa:bb:cc:dd:ee:ff`` input (what every collector returns) is parsed in
        batches; any other spelling falls back to ``mac_to_int`` per MAC. Invalid inputs are
        ``INVALID`` with their reason in ``result.errors``; they never raise.
        """
        ints: List[int] = []
        errors: Dict[int, str] = {}
        for start in range(0, len(macs), _BATCH):
            chunk = macs[start : start + _BATCH]
            fast = _ints_canonical(chunk)
            if fast is not None:
                ints.extend(fast)
                continue
            for k, s in enumerate(chunk):
                try:
                    ints.append(mac_to_int(s))
                except InvalidMacError as e:
                    errors[start + k] = str(e)
                    ints.append(-1)
        get = self._oui.get
        sub = _Sub
        resolve = self._resolve_sub
        # invalid inputs carry -1 here (reads as LOCAL) and are marked INVALID just below
        matches = cast(
            List[Match],
            [
                LOCAL if (v >> 40) & 3 else (r if (r := get(v >> 24)).__class__ is not sub else resolve(v, r))
                for v in ints
            ],
        )
        for i in errors:
            matches[i] = INVALID
        result = BulkResult(self, macs, ints, matches)
        result.errors = errors
        return result

    def _resolve_sub(self, v: int, s: Any) -> Optional[Rule]:
        return self.t36.get(v >> 12) or self.t28.get(v >> 20) or cast(_Sub, s).fallback

    def classify_entries(self, entries: Sequence[MacEntry], today: Optional[datetime.date] = None) -> List[Verdict]:
        """Verdicts for the restricted MACs among ``entries`` (with per-port waivers applied)."""
        bulk = self.classify_many([e.mac for e in entries])
        return [
            bulk.verdict(i, entries[i].switch, entries[i].interface, today)
            for i in bulk.restricted_indexes()
            if i not in bulk.errors
        ]

    # ------------------------------------------------------------------ reporting helpers

    def summary(self) -> Dict[str, Any]:
        counts: Dict[str, int] = {}
        for pr in self.policy.prefixes:
            if self.policy.is_active(pr.vendor_key):
                counts[pr.vendor_key] = counts.get(pr.vendor_key, 0) + 1
        return {
            "policy_version": self.policy.policy_version,
            "registry_date": self.policy.registry_date,
            "profiles": list(self.policy.enabled_profiles),
            "disabled_vendors": list(self.policy.disabled_vendors),
            "prefixes_per_vendor": counts,
            "drift_prefixes": len(self.drift_rules),
            "registry": self.registry.source if self.registry is not None else None,
            "waivers": len(self.waivers),
        }


def build_classifier(
    overrides: Any = None,
    waivers: Any = None,
    profiles: Iterable[str] = (),
    use_registry: bool = True,
    registry: Optional[Registry] = None,
) -> Classifier:
    """Everything an entry point needs in one call.

    ``overrides``: None, a path to a YAML overrides file, or the parsed document.
    ``waivers``: None, a path to a YAML waiver file, a parsed waiver list, or a ``WaiverSet``.
    ``use_registry``: load the installed general registry (pymanuf) when available.
    """
    if isinstance(overrides, str):
        source = overrides
        overrides = load_yaml_file(overrides, "policy overrides")
    else:
        source = "overrides"
    if isinstance(waivers, WaiverSet):
        waiver_set = waivers
    elif isinstance(waivers, str):
        waiver_set = load_waivers_file(waivers)
    else:
        waiver_set = load_waivers(waivers, "waivers")
    if registry is None and use_registry:
        registry = default_registry()
    return Classifier.build(overrides, source, waiver_set, registry, profiles)


def legal_basis_details(policy: Policy, keys: Iterable[str]) -> List[Mapping[str, Any]]:
    """Expand legal basis keys into their citation records (for reports)."""
    out: List[Mapping[str, Any]] = []
    for k in keys:
        lb = policy.legal_bases.get(k)
        if lb is None:
            raise PolicyError(f"policy: legal_bases: unknown key {k!r}")
        out.append(lb.to_dict())
    return out
