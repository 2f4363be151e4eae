# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data contract of camguard.network.

Every collector, whatever the platform or backend, returns these records, and every later
stage (classify, locate, inventory, isolation, reports) consumes only these records.

Contract (like NAPALM's getter contract):

``MacEntry``
    ``mac``: canonical ``aa:bb:cc:dd:ee:ff`` (lower case, colon separated).
    ``vlan``: integer 1..4094, or ``None`` when the platform gives none (VLAN "All", bridge
    without VLANs, non-numeric VLAN names are kept in ``vlan_name``).
    ``interface``: canonical long interface name for the platform (``GigabitEthernet1/0/5``,
    ``Ethernet1``, ``ge-0/0/5``, ``Port-channel1``, ``swp5``). Empty string for entries that
    point at the switch itself (CPU, Router, sup-eth, Self, Drop).
    ``static``: True for static / secure / sticky / permanent entries.
    ``switch``: inventory name of the switch that reported the entry.
    ``kind``: ``dynamic``, ``static``, ``secure`` or ``self`` (the switch's own MAC:
    CPU/Router/Switch/sup-eth/Self/Drop rows are kept as ``self``, never as endpoints).
``ArpEntry``
    ``ip`` (text form), ``mac`` (canonical), ``interface`` (canonical, may be an SVI like
    ``Vlan10``), ``vrf`` (``default`` when the platform does not say).
``Neighbor``
    LLDP/CDP neighbour seen on ``local_interface`` (canonical): ``remote_name``,
    ``remote_port``, ``capabilities`` (lower-case words: ``bridge``, ``router``, ``station``,
    ``phone``, ``wlan``, ``other``), ``protocol`` (``lldp`` / ``cdp``), ``remote_mac``.
``PortInfo``
    ``name`` (canonical), ``mode`` (``access``, ``trunk``, ``routed``, ``unknown``),
    ``access_vlan`` (int or None), ``description``, ``enabled`` (admin state), ``lag``
    (canonical name of the aggregate this port is a member of, else None), ``is_lag``
    (True when the port *is* an aggregate), ``trunk_vlans``.

``Waiver``, ``Verdict``, ``Finding``
    What classify and locate add (see DESIGN.md 2.1). ``Waiver.active_on(day)`` is the one rule
    of waiver expiry: the expiry date is inclusive, a waiver without a date never expires, one
    whose date cannot be read protects nothing, and one flagged ``expired`` never protects.

Every record has one writer (``to_dict``) and one reader (``from_dict``). The readers of
``Waiver``, ``Verdict`` and ``Finding`` are strict: they accept what ``to_dict`` writes (and a
MAC in any switch spelling, a VLAN as a number or numeric text) and raise ``RecordError`` naming
the key path (``findings[3].verdict.status``) for anything else; unknown keys are ignored.

The error hierarchy (``CamguardError`` and subclasses) is defined in ``_errors`` and exported
here with the records.

All values read from a device are untrusted text: nothing here is ever rendered into a
template or configuration without passing ``_ifname.validate_interface`` and the line grammar of
``_isolate.render``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._errors import (
    CamguardError,
    ConfigError,
    DeviceError,
    InvalidInterfaceError,
    InvalidMacError,
    ParseError,
    PolicyError,
    RecordError,
    UnsupportedPlatformError,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac

__all__ = [
    "CONFIDENCES",
    "ENTRY_KINDS",
    "PORT_MODES",
    "RESTRICTED_STATUSES",
    "VERDICT_STATUSES",
    "ArpEntry",
    "CamguardError",
    "ConfigError",
    "DeviceError",
    "Finding",
    "InvalidInterfaceError",
    "InvalidMacError",
    "MacEntry",
    "Neighbor",
    "ParseError",
    "PolicyError",
    "PortInfo",
    "RecordError",
    "SwitchData",
    "UnsupportedPlatformError",
    "Verdict",
    "Waiver",
]

PORT_MODES = ("access", "trunk", "routed", "unknown")
ENTRY_KINDS = ("dynamic", "static", "secure", "self")
VERDICT_STATUSES = ("named", "affiliate", "review", "other_prc_cctv", "unrestricted", "unknown", "local")
RESTRICTED_STATUSES = ("named", "affiliate", "review", "other_prc_cctv")
CONFIDENCES = ("edge", "ambiguous", "uplink-only")


@dataclass(frozen=True)
class MacEntry:
    mac: str
    vlan: Optional[int]
    interface: str
    static: bool = False
    switch: str = ""
    kind: str = "dynamic"
    vlan_name: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ArpEntry:
    ip: str
    mac: str
    interface: str = ""
    vrf: str = "default"

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Neighbor:
    local_interface: str
    remote_name: str
    remote_port: str = ""
    capabilities: Tuple[str, ...] = ()
    protocol: str = "lldp"
    remote_mac: Optional[str] = None

    @property
    def is_network_device(self) -> bool:
        return bool({"bridge", "router", "wlan"} & set(self.capabilities))

    def to_dict(self) -> Dict[str, Any]:
        d = dataclasses.asdict(self)
        d["capabilities"] = list(self.capabilities)
        return d


@dataclass(frozen=True)
class PortInfo:
    name: str
    mode: str = "unknown"
    access_vlan: Optional[int] = None
    description: str = ""
    enabled: bool = True
    lag: Optional[str] = None
    is_lag: bool = False
    trunk_vlans: Tuple[int, ...] = ()

    def to_dict(self) -> Dict[str, Any]:
        d = dataclasses.asdict(self)
        d["trunk_vlans"] = list(self.trunk_vlans)
        return d


# --------------------------------------------------------------------------- readers' checks
# Each names the key path in its message; ``where`` is the path of the mapping being read.


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RecordError(f"{where}: expected a dict, got {type(value).__name__}")
    return value


def _req_str(d: Mapping[str, Any], key: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value.strip()


def _opt_str(d: Mapping[str, Any], key: str, where: str) -> Optional[str]:
    """None for a missing or empty value; a number is taken as its text; surrounding space is removed."""
    value = d.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RecordError(f"{where}.{key}: expected a string, got {type(value).__name__} {value!r}")
    return str(value).strip()


def _str_list(d: Mapping[str, Any], key: str, where: str) -> List[str]:
    """A list of texts; one string is a list of one."""
    value = d.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise RecordError(f"{where}.{key}: expected a list of strings, got {type(value).__name__}")
    return [v if isinstance(v, str) else str(v) for v in value]


def _choice(value: str, choices: Sequence[str], where: str) -> str:
    if value not in choices:
        raise RecordError(f"{where}: {value!r} is not one of {', '.join(choices)}")
    return value


def _mac(value: object, where: str) -> str:
    try:
        return normalize_mac(value)  # type: ignore[arg-type]
    except InvalidMacError as e:
        raise RecordError(f"{where}: {e}") from e


def _number(value: object, where: str, what: str) -> Optional[int]:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise RecordError(f"{where}: expected {what}, got {value!r}")
    try:
        return int(value)
    except ValueError as e:
        raise RecordError(f"{where}: expected {what}, got {value!r}") from e


def _vlan(value: object, where: str) -> Optional[int]:
    vlan = _number(value, where, "a VLAN number")
    if vlan is not None and not 1 <= vlan <= 4094:
        raise RecordError(f"{where}: VLAN {vlan} is outside 1..4094")
    return vlan


def _pairs(value: object, where: str) -> List[Tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise RecordError(f"{where}: expected a list of [switch, interface] pairs, got {type(value).__name__}")
    out: List[Tuple[str, str]] = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise RecordError(f"{where}[{i}]: expected a [switch, interface] pair, got {pair!r}")
        out.append((str(pair[0]), str(pair[1])))
    return out


@dataclass(frozen=True)
class Waiver:
    owner: str
    reason: str
    ticket: str
    expires: str  # ISO date, inclusive
    mac: Optional[str] = None
    switch: Optional[str] = None
    interface: Optional[str] = None
    expired: bool = False

    def active_on(self, day: date) -> bool:
        """Whether this waiver protects on ``day``: the one rule of waiver expiry.

        The expiry date is inclusive; a waiver without a date never expires; one whose date cannot
        be read protects nothing; one flagged ``expired`` (by the classifier, on its day) never
        protects. A date with a time (``2027-03-31T12:00``) counts by its date part.
        """
        if self.expired:
            return False
        if not self.expires:
            return True
        try:
            return date.fromisoformat(self.expires[:10]) >= day
        except ValueError:
            return False

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: object, where: str = "waiver") -> Waiver:
        """Read ``to_dict()`` output; every key is optional (texts default to empty, ``expired`` to false)."""
        w = _mapping(d, where)
        expired = w.get("expired", False)
        if not isinstance(expired, bool):
            raise RecordError(f"{where}.expired: expected true or false, got {expired!r}")
        expires = _opt_str(w, "expires", where) or ""
        return cls(
            owner=_opt_str(w, "owner", where) or "",
            reason=_opt_str(w, "reason", where) or "",
            ticket=_opt_str(w, "ticket", where) or "",
            expires=expires,
            mac=_opt_str(w, "mac", where),
            switch=_opt_str(w, "switch", where),
            interface=_opt_str(w, "interface", where),
            expired=expired,
        )


@dataclass(frozen=True)
class Verdict:
    mac: str
    status: str
    vendor_key: Optional[str] = None
    vendor_name: Optional[str] = None
    basis: Tuple[str, ...] = ()
    matched_prefix: Optional[str] = None
    prefix_bits: Optional[int] = None
    source: Optional[str] = None  # policy | registry | override | None
    registry_org: Optional[str] = None
    waiver: Optional[Waiver] = None
    default_action: str = "report"  # isolate | report | none

    @property
    def restricted(self) -> bool:
        return self.status in RESTRICTED_STATUSES

    def to_dict(self) -> Dict[str, Any]:
        # spelled out (not dataclasses.asdict, which deep-copies every value): one per finding
        return {
            "mac": self.mac,
            "status": self.status,
            "vendor_key": self.vendor_key,
            "vendor_name": self.vendor_name,
            "basis": list(self.basis),
            "matched_prefix": self.matched_prefix,
            "prefix_bits": self.prefix_bits,
            "source": self.source,
            "registry_org": self.registry_org,
            "waiver": self.waiver.to_dict() if self.waiver is not None else None,
            "default_action": self.default_action,
            "restricted": self.restricted,
        }

    @classmethod
    def from_dict(cls, d: object, where: str = "verdict", mac: Optional[str] = None) -> Verdict:
        """Read ``to_dict()`` output (``restricted`` is derived and ignored).

        ``status`` is required. ``mac``, when given, is the MAC this verdict is about and the
        mapping's own ``mac`` is not read (a finding's verdict is its MAC's verdict).
        """
        v = _mapping(d, where)
        status = _choice(_req_str(v, "status", where), VERDICT_STATUSES, f"{where}.status")
        vendor_key = _opt_str(v, "vendor_key", where)
        vendor_name = _opt_str(v, "vendor_name", where)
        registry_org = _opt_str(v, "registry_org", where)
        basis = tuple(_str_list(v, "basis", where))
        matched_prefix = _opt_str(v, "matched_prefix", where)
        default_action = _opt_str(v, "default_action", where) or "report"
        prefix_bits = _number(v.get("prefix_bits"), f"{where}.prefix_bits", "a number of bits")
        source = _opt_str(v, "source", where)
        raw_waiver = v.get("waiver")
        return cls(
            mac=mac if mac is not None else _mac(v.get("mac"), f"{where}.mac"),
            status=status,
            vendor_key=vendor_key,
            vendor_name=vendor_name,
            basis=basis,
            matched_prefix=matched_prefix,
            prefix_bits=prefix_bits,
            source=source,
            registry_org=registry_org,
            waiver=None if raw_waiver is None else Waiver.from_dict(raw_waiver, f"{where}.waiver"),
            default_action=default_action,
        )


@dataclass
class Finding:
    mac: str
    switch: str
    interface: str
    vlan: Optional[int]
    verdict: Verdict
    ip: Optional[str] = None
    location_confidence: str = "edge"
    evidence: List[str] = field(default_factory=list)
    seen_on: List[Tuple[str, str]] = field(default_factory=list)
    first_seen: Optional[str] = None
    last_seen: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        return {
            "mac": self.mac,
            "ip": self.ip,
            "switch": self.switch,
            "interface": self.interface,
            "vlan": self.vlan,
            "location_confidence": self.location_confidence,
            "evidence": list(self.evidence),
            "seen_on": [list(s) for s in self.seen_on],
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "verdict": self.verdict.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: object, where: str = "finding") -> Finding:
        """Read ``to_dict()`` output: ``mac``, ``switch`` and ``verdict`` (with its ``status``) are
        required; ``location_confidence`` defaults to ``edge``, ``interface`` to empty."""
        f = _mapping(d, where)
        raw_verdict = _mapping(f.get("verdict"), f"{where}.verdict")
        mac = _mac(f.get("mac"), f"{where}.mac")
        verdict = Verdict.from_dict(raw_verdict, f"{where}.verdict", mac=mac)
        confidence = _choice(
            _opt_str(f, "location_confidence", where) or "edge", CONFIDENCES, f"{where}.location_confidence"
        )
        return cls(
            mac=mac,
            switch=_req_str(f, "switch", where),
            interface=_opt_str(f, "interface", where) or "",
            vlan=_vlan(f.get("vlan"), f"{where}.vlan"),
            verdict=verdict,
            ip=_opt_str(f, "ip", where),
            location_confidence=confidence,
            evidence=_str_list(f, "evidence", where),
            seen_on=_pairs(f.get("seen_on"), f"{where}.seen_on"),
            first_seen=_opt_str(f, "first_seen", where),
            last_seen=_opt_str(f, "last_seen", where),
        )


@dataclass
class SwitchData:
    """Everything one collection run read from one switch."""

    switch: str
    platform: str
    macs: List[MacEntry] = field(default_factory=list)
    arp: List[ArpEntry] = field(default_factory=list)
    neighbors: List[Neighbor] = field(default_factory=list)
    ports: List[PortInfo] = field(default_factory=list)
    own_macs: List[str] = field(default_factory=list)
    skipped_rows: int = 0
    warnings: List[str] = field(default_factory=list)
    # what the collector could not read that a CLI would show (SNMP without LLDP-MIB or VLAN port
    # lists): key ``mode`` / ``neighbors`` -> the phrase the edge-port evidence quotes instead
    limits: Dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "switch": self.switch,
            "platform": self.platform,
            "macs": [m.to_dict() for m in self.macs],
            "arp": [a.to_dict() for a in self.arp],
            "neighbors": [n.to_dict() for n in self.neighbors],
            "ports": [p.to_dict() for p in self.ports],
            "own_macs": list(self.own_macs),
            "skipped_rows": self.skipped_rows,
            "warnings": list(self.warnings),
            "limits": dict(self.limits),
        }

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> SwitchData:
        return cls(
            switch=d["switch"],
            platform=d["platform"],
            macs=[MacEntry(**m) for m in d.get("macs", [])],
            arp=[ArpEntry(**a) for a in d.get("arp", [])],
            neighbors=[
                Neighbor(**{**n, "capabilities": tuple(n.get("capabilities", ()))}) for n in d.get("neighbors", [])
            ],
            ports=[PortInfo(**{**p, "trunk_vlans": tuple(p.get("trunk_vlans", ()))}) for p in d.get("ports", [])],
            own_macs=list(d.get("own_macs", [])),
            skipped_rows=int(d.get("skipped_rows", 0)),
            warnings=list(d.get("warnings", [])),
            limits={str(k): str(v) for k, v in (d.get("limits") or {}).items()},
        )
