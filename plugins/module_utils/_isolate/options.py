# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one isolation run is asked to do: the options, validated once, and their defaults.

``DEFAULTS`` is THE definition of every isolation default. The ``port_isolation`` argument spec
(``isolation_argument_spec``) and the ``Options`` record take their defaults from it; the
module's ``DOCUMENTATION``, the role's ``defaults/main.yml`` and ``meta/argument_specs.yml`` are
YAML that Ansible reads as it is, and ``tests/unit/test_role_argspec.py`` proves that they agree
with it.

``Options.from_params`` turns the module's parameters into ``Options``: VLANs, names, peers, the
change ID and the change window (``parse_change_window``) are checked and normalised there, and
every ``Options`` checks its guardrail settings when it is made, so the planner never sees an
invalid one. Errors are ``IsolationError`` naming the option and the value.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional, Pattern, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.args import connection_argument_spec
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError

MODES = ("vlan", "acl", "shutdown")
STATES = ("isolated", "released", "planned")

# The one definition of each isolation default, by module option name (lists as tuples here; the
# argument spec hands Ansible a fresh list of each).
DEFAULTS: Mapping[str, Any] = {
    "ports": (),
    "state": "isolated",
    "mode": "vlan",
    "quarantine_vlan": 999,
    "quarantine_vlan_name": "CAMGUARD-QUARANTINE",
    "create_quarantine_vlan": True,
    "allowed_peers": (),
    "max_ports": 10,
    "max_macs_per_port": 1,
    "exception_pattern": r"(?i)(camguard[-_ ]?exempt|no[-_ ]?isolat)",
    "statuses": ("named", "affiliate", "other_prc_cctv"),
    "seen_elsewhere": (),
    "release_interfaces": (),
    "verify": True,
    "lock_timeout": 60,
    "config_batch_lines": 16,
}
DEFAULT_STATUSES: Tuple[str, ...] = DEFAULTS["statuses"]
DEFAULT_EXCEPTION_PATTERN: str = DEFAULTS["exception_pattern"]
DEFAULT_CONFIG_BATCH_LINES: int = DEFAULTS["config_batch_lines"]
DEFAULT_LOCK_TIMEOUT = float(DEFAULTS["lock_timeout"])

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
_CHANGE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class IsolationError(CamguardError, ValueError):
    """Bad isolation input (option, finding or saved state); the message names the value."""


# --------------------------------------------------------------------------- the argument spec


def _default(name: str) -> Any:
    value = DEFAULTS[name]
    return list(value) if isinstance(value, tuple) else value


def isolation_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The options of ``camguard.network.port_isolation`` (documented in the module)."""
    spec: Dict[str, Dict[str, Any]] = {
        "switch": {"type": "str", "required": True},
        "host": {"type": "str", "required": True},
    }
    spec.update(connection_argument_spec())
    spec.update(
        {
            "platform": {"type": "str", "required": True},
            "backend": {"type": "str", "choices": ["netmiko", "napalm", "linux"]},
            "ports": {"type": "list", "elements": "dict", "default": _default("ports")},
            "state": {"type": "str", "choices": list(STATES), "default": _default("state")},
            "mode": {"type": "str", "choices": list(MODES), "default": _default("mode")},
            "quarantine_vlan": {"type": "int", "default": _default("quarantine_vlan")},
            "quarantine_vlan_name": {"type": "str", "default": _default("quarantine_vlan_name")},
            "create_quarantine_vlan": {"type": "bool", "default": _default("create_quarantine_vlan")},
            "allowed_peers": {"type": "list", "elements": "str", "default": _default("allowed_peers")},
            "change_id": {"type": "str"},
            "change_window": {"type": "str"},
            "max_ports": {"type": "int", "default": _default("max_ports")},
            "max_macs_per_port": {"type": "int", "default": _default("max_macs_per_port")},
            "exception_pattern": {"type": "str", "default": _default("exception_pattern")},
            "statuses": {"type": "list", "elements": "str", "default": _default("statuses")},
            "seen_elsewhere": {"type": "list", "elements": "str", "default": _default("seen_elsewhere")},
            "release_interfaces": {"type": "list", "elements": "str", "default": _default("release_interfaces")},
            "approved_digest": {"type": "str"},
            "state_dir": {"type": "path", "required": True},
            "verify": {"type": "bool", "default": _default("verify")},
            "templates_dir": {"type": "path", "required": True},
            "lock_timeout": {"type": "float", "default": _default("lock_timeout")},
            "config_batch_lines": {"type": "int", "default": _default("config_batch_lines")},
        }
    )
    return spec


# --------------------------------------------------------------------------- value checks


def check_vlan(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise IsolationError(f"{where}: VLAN must be an integer 1-4094, got {value!r}")
    s = str(value).strip()
    if not s.isdigit() or not 1 <= int(s) <= 4094:
        raise IsolationError(f"{where}: VLAN must be an integer 1-4094, got {value!r}")
    return int(s)


def check_name(value: str, where: str) -> str:
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise IsolationError(f"{where}: {value!r} is not a valid name (letter, then letters, digits, _ or -; max 32)")
    return value


def check_change_id(value: Optional[str]) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _CHANGE_ID_RE.fullmatch(value):
        raise IsolationError(f"change_id {value!r} is invalid: letters, digits, '.', '_' and '-' only, 1-64 characters")
    return value


def check_peers(values: Iterable[Any]) -> Tuple[str, ...]:
    out: List[str] = []
    for v in values:
        try:
            net = ipaddress.ip_network(str(v).strip(), strict=True)
        except ValueError as exc:
            raise IsolationError(f"allowed_peers: {v!r} is not an IPv4 address or network: {exc}") from None
        if net.version != 4:
            raise IsolationError(f"allowed_peers: {v!r}: only IPv4 peers are supported by the ACL templates")
        out.append(str(net))
    return tuple(sorted(set(out), key=lambda s: (ipaddress.ip_network(s).network_address, s)))


def compile_exception_pattern(pattern: Optional[str]) -> Optional[Pattern[str]]:
    """The port-description exception pattern compiled (None or empty: no exception)."""
    try:
        return re.compile(pattern) if pattern else None
    except re.error as exc:
        raise IsolationError(f"exception_pattern {pattern!r} is not a valid regex: {exc}") from None


# --------------------------------------------------------------------------- change window


@dataclass(frozen=True)
class ChangeWindow:
    days: Tuple[int, ...]  # 0 = Monday
    start: time
    end: time
    tz: str = "UTC"
    text: str = ""

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(_zone(self.tz))
        t = local.time().replace(tzinfo=None)
        today = local.weekday()
        yesterday = (today - 1) % 7
        if self.start <= self.end:
            return today in self.days and self.start <= t < self.end
        # over midnight: the window belongs to the day it starts on
        return (today in self.days and t >= self.start) or (yesterday in self.days and t < self.end)


def _zone(name: str) -> Any:
    if name.upper() in ("UTC", "Z"):
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception as exc:
        raise IsolationError(f"change_window: unknown time zone {name!r}: {exc}") from None


def _parse_days(text: str) -> Tuple[int, ...]:
    days: Set[int] = set()
    for part in text.lower().split(","):
        part = part.strip()
        if "-" in part:
            a, _unused, b = part.partition("-")
            if a[:3] not in _DAYS or b[:3] not in _DAYS:
                raise IsolationError(f"change_window: bad day range {part!r} (use Mon-Fri)")
            i, j = _DAYS.index(a[:3]), _DAYS.index(b[:3])
            k = i
            while True:
                days.add(k)
                if k == j:
                    break
                k = (k + 1) % 7
        elif part[:3] in _DAYS and len(part) in (3, len(_day_full(part[:3]))):
            days.add(_DAYS.index(part[:3]))
        else:
            raise IsolationError(f"change_window: bad day {part!r} (use Mon, Tue, ... Sun)")
    return tuple(sorted(days))


def _day_full(short: str) -> str:
    return {
        "mon": "monday",
        "tue": "tuesday",
        "wed": "wednesday",
        "thu": "thursday",
        "fri": "friday",
        "sat": "saturday",
        "sun": "sunday",
    }[short]


_WINDOW_RE = re.compile(
    r"^\s*(?:(?P<days>[A-Za-z]{3,9}(?:\s*[-,]\s*[A-Za-z]{3,9})*)\s+)?"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
    r"(?:\s+(?P<tz>[A-Za-z][A-Za-z0-9_+/-]*))?\s*$"
)


def parse_change_window(text: Optional[str]) -> Optional[ChangeWindow]:
    """``"[Mon-Fri ]HH:MM-HH:MM[ Area/City]"`` -> ChangeWindow; empty -> None (always open)."""
    if text is None or not str(text).strip():
        return None
    m = _WINDOW_RE.match(str(text))
    if not m:
        raise IsolationError(
            f"change_window {text!r} is invalid: expected '[Days ]HH:MM-HH:MM[ Time/Zone]', "
            "e.g. 'Sat,Sun 01:00-05:00 Europe/London' or '22:00-04:00'"
        )

    def _t(s: str) -> time:
        h, _unused, mi = s.partition(":")
        if not (0 <= int(h) <= 23 and 0 <= int(mi) <= 59):
            raise IsolationError(f"change_window {text!r}: {s!r} is not a time of day")
        return time(int(h), int(mi))

    days = _parse_days(re.sub(r"\s+", "", m.group("days"))) if m.group("days") else tuple(range(7))
    tz = m.group("tz") or "UTC"
    _zone(tz)
    start, end = _t(m.group("start")), _t(m.group("end"))
    if start == end:
        raise IsolationError(f"change_window {text!r}: start and end are equal")
    return ChangeWindow(days=days, start=start, end=end, tz=tz, text=str(text).strip())


# --------------------------------------------------------------------------- the options


@dataclass(frozen=True)
class Options:
    """One run's options. Made directly (tests, benchmarks) or from the module's parameters
    (``from_params``); either way the guardrail settings are checked once, here."""

    mode: str = DEFAULTS["mode"]
    state: str = DEFAULTS["state"]
    quarantine_vlan: int = DEFAULTS["quarantine_vlan"]
    quarantine_name: str = DEFAULTS["quarantine_vlan_name"]
    create_quarantine_vlan: bool = DEFAULTS["create_quarantine_vlan"]
    allowed_peers: Tuple[str, ...] = DEFAULTS["allowed_peers"]
    change_id: Optional[str] = None
    change_window: Optional[ChangeWindow] = None
    max_ports: int = DEFAULTS["max_ports"]
    max_macs_per_port: int = DEFAULTS["max_macs_per_port"]
    exception_pattern: Optional[str] = DEFAULT_EXCEPTION_PATTERN
    statuses: Tuple[str, ...] = DEFAULT_STATUSES
    check_mode: bool = False
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    seen_elsewhere: Tuple[str, ...] = DEFAULTS["seen_elsewhere"]  # restricted MACs seen on other switches' edge ports
    release_interfaces: Tuple[str, ...] = DEFAULTS["release_interfaces"]  # state=released: only these (empty: all)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise IsolationError(f"mode {self.mode!r} is invalid; expected one of {', '.join(MODES)}")
        if self.state not in STATES:
            raise IsolationError(f"state {self.state!r} is invalid; expected one of {', '.join(STATES)}")
        check_vlan(self.quarantine_vlan, "quarantine_vlan")
        if self.max_ports < 1 or self.max_macs_per_port < 1:
            raise IsolationError("max_ports and max_macs_per_port must be at least 1")
        compile_exception_pattern(self.exception_pattern)

    @property
    def exception_re(self) -> Optional[Pattern[str]]:
        return compile_exception_pattern(self.exception_pattern)

    @property
    def applying(self) -> bool:
        """Whether this run sends configuration (not check mode, not ``state=planned``)."""
        return not self.check_mode and self.state != "planned"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], check_mode: bool) -> Options:
        """The options of a ``port_isolation`` task from its validated module parameters."""
        return cls(
            mode=params["mode"],
            state=params["state"],
            quarantine_vlan=check_vlan(params["quarantine_vlan"], "quarantine_vlan"),
            quarantine_name=check_name(params["quarantine_vlan_name"], "quarantine_vlan_name"),
            create_quarantine_vlan=params["create_quarantine_vlan"],
            allowed_peers=check_peers(params["allowed_peers"]),
            change_id=check_change_id(params["change_id"]),
            change_window=parse_change_window(params["change_window"]),
            max_ports=params["max_ports"],
            max_macs_per_port=params["max_macs_per_port"],
            exception_pattern=params["exception_pattern"] or None,
            statuses=tuple(params["statuses"]),
            check_mode=check_mode,
            seen_elsewhere=tuple(params["seen_elsewhere"]),
            release_interfaces=tuple(params["release_interfaces"]),
        )
