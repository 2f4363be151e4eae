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

All values read from a device are untrusted text: nothing here is ever rendered into a
template or configuration without passing the validators in ``_validate``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

PORT_MODES = ("access", "trunk", "routed", "unknown")
ENTRY_KINDS = ("dynamic", "static", "secure", "self")
VERDICT_STATUSES = ("named", "affiliate", "review", "other_prc_cctv", "unrestricted", "unknown", "local")
RESTRICTED_STATUSES = ("named", "affiliate", "review", "other_prc_cctv")
CONFIDENCES = ("edge", "ambiguous", "uplink-only")


class CamguardError(Exception):
    """Base of every error raised by the pure cores."""


class InvalidMacError(CamguardError, ValueError):
    """A string that is not a MAC address in any spelling a switch uses."""


class InvalidInterfaceError(CamguardError, ValueError):
    """An interface name that fails validation (device output is untrusted)."""


class ParseError(CamguardError):
    """Device output that cannot be parsed at all (junk rows are skipped, not raised)."""


class UnsupportedPlatformError(CamguardError):
    """A platform key that is not in the platform table."""


class PolicyError(CamguardError):
    """A malformed policy, override or waiver file; the message names the file and key."""


class DeviceError(CamguardError):
    """A device answered with an error, timed out or could not be reached."""

    def __init__(self, switch: str, message: str, command: Optional[str] = None) -> None:
        self.switch = switch
        self.command = command
        where = f"{switch}" + (f" (command {command!r})" if command else "")
        super().__init__(f"{where}: {message}")


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

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)


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
