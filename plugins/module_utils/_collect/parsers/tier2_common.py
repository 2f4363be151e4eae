# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the tier-2 parsers (Comware, VRP, OS10, FastIron, EXOS).

The tier-2 parsers are line parsers written for the real output formats (recorded outputs in
``tests/fixtures/recorded``): they skip and count rows they do not understand instead of
failing, accept Windows line endings and ``---- More ----`` noise, and join wrapped lines.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    clean_text,
    device_error,
)
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface, is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    DeviceError,
    InvalidMacError,
    MacEntry,
    PortInfo,
)

# Error wordings of tier-2 platforms that the shared pattern in _parse_common does not know.
_EXTRA_ERRORS = re.compile(
    r"^\s*(%?\s*Error:\s*(Unrecognized|Wrong parameter|Incomplete|Too many parameters|Ambiguous)|"
    r"%\s*(Wrong parameter|Too many parameters)|"
    r"%%\s*(Invalid input|Incomplete command|Ambiguous)|"
    r"Invalid input\s*->|Unrecognized command\b|"
    r"%\s*Error:)",
    re.IGNORECASE | re.MULTILINE,
)

_SELF_PORTS = frozenset({"cpu", "router", "self", "switch", "sup-eth1", "drop", "local"})


def tier2_error(text: str) -> Optional[str]:
    """The device's error line, using the shared patterns plus the tier-2 wordings."""
    err = device_error(text)
    if err is not None:
        return err
    head = "\n".join(clean_text(text).strip().splitlines()[:4])
    m = _EXTRA_ERRORS.search(head)
    if m:
        return head[m.start() :].splitlines()[0].strip()[:200]
    return None


def outputs_for(
    outputs: Mapping[str, str],
    switch: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    result: Optional[ParseResult[Any]] = None,
) -> Dict[str, str]:
    """Cleaned text per command; a required command that errored raises ``DeviceError``.

    An optional command that errored (a device that does not know it) is dropped with a warning.
    """
    got: Dict[str, str] = {}
    for cmd in list(required) + list(optional):
        raw = outputs.get(cmd)
        if raw is None:
            continue
        text = clean_text(raw)
        err = tier2_error(text)
        if err is not None:
            if cmd in required:
                raise DeviceError(switch, f"device rejected the command: {err}", command=cmd)
            if result is not None:
                result.warnings.append(f"optional command {cmd!r} failed on {switch}: {err}")
            continue
        got[cmd] = text
    return got


_DASH_QUADS = re.compile(r"^([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})$")


def to_mac(token: str) -> str:
    """Canonical MAC; also accepts Comware/VRP ``aabb-ccdd-eeff`` (not known to ``_mac``)."""
    token = token.strip().strip("()")
    m = _DASH_QUADS.match(token)
    if m:
        token = ".".join(m.groups())
    return normalize_mac(token)


def mac_or_none(token: str) -> Optional[str]:
    try:
        return to_mac(token)
    except InvalidMacError:
        return None


def entry_kind(word: str) -> Tuple[str, bool]:
    """(kind, static) for a MAC entry type word of any tier-2 platform."""
    w = word.strip().lower()
    if w in ("blackhole", "black-hole", "drop", "discard"):
        return "self", True
    if any(k in w for k in ("secure", "security", "sticky", "sec-config", "lock")):
        return "secure", True
    if "static" in w or w in ("config", "permanent", "multiport", "mux"):
        return "static", True
    return "dynamic", False


def add_mac(
    res: ParseResult[MacEntry],
    *,
    mac_token: str,
    vlan: Optional[int],
    interface: str,
    switch: str,
    kind: str,
    static: bool,
    line: str,
    vlan_name: Optional[str] = None,
) -> None:
    """Append one MacEntry, or skip and count the row when a field is unusable."""
    mac = mac_or_none(mac_token)
    if mac is None:
        res.skip("invalid MAC address", line)
        return
    if interface.lower() in _SELF_PORTS or kind == "self":
        interface, kind = "", "self"
    elif not interface or not is_safe_interface(interface):
        res.skip("invalid interface name", line)
        return
    res.records.append(
        MacEntry(mac=mac, vlan=vlan, interface=interface, static=static, switch=switch, kind=kind, vlan_name=vlan_name)
    )


def header_columns(header: str) -> List[Tuple[int, int]]:
    """Column spans (start, end) from a header whose titles are separated by 2+ spaces."""
    starts = [m.start() for m in re.finditer(r"(?:(?<=\s\s)|^)\S", header)]
    return [(s, starts[i + 1] if i + 1 < len(starts) else 10_000) for i, s in enumerate(starts)]


def slice_columns(line: str, spans: Sequence[Tuple[int, int]]) -> List[str]:
    return [line[a:b].strip() for a, b in spans]


_CAPS = {
    "bridge": "bridge",
    "b": "bridge",
    "router": "router",
    "r": "router",
    "wlanaccesspoint": "wlan",
    "wlan": "wlan",
    "wlan access point": "wlan",
    "w": "wlan",
    "telephone": "phone",
    "phone": "phone",
    "t": "phone",
    "station": "station",
    "stationonly": "station",
    "station only": "station",
    "s": "station",
    "repeater": "other",
    "docsis": "other",
    "other": "other",
    "p": "other",
    "c": "other",
    "o": "other",
}


def capabilities(text: str) -> Tuple[str, ...]:
    """Lower-case capability words from ``bridge router``, ``Bridge, Router``, ``B,R``..."""
    out: List[str] = []
    for word in re.split(r"[,\s]+", text.strip().lower()):
        cap = _CAPS.get(word)
        if cap and cap not in out:
            out.append(cap)
    return tuple(out)


def vlan_from(token: str) -> Optional[int]:
    """``10``, ``10/-/-``, ``10/-``, ``0010`` -> 10; anything else -> None."""
    head = token.strip().split("/", 1)[0]
    if head.isdecimal():
        n = int(head)
        return n if 1 <= n <= 4094 else None
    return None


class Ports:
    """Mutable port table that keeps device order; ``records()`` makes PortInfo records."""

    def __init__(self) -> None:
        self._rows: Dict[str, Dict[str, Any]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._rows

    def get(self, name: str) -> Dict[str, Any]:
        row = self._rows.get(name)
        if row is None:
            row = {"name": name}
            self._rows[name] = row
        return row

    def names(self) -> List[str]:
        return list(self._rows)

    def set_lags(self, members: Mapping[str, str]) -> None:
        """Mark members (member -> aggregate) and the aggregates themselves."""
        for member, agg in members.items():
            self.get(member)["lag"] = agg
            self.get(agg)["is_lag"] = True
        # a member has no mode of its own: it carries its aggregate's traffic
        for member, agg in members.items():
            row = self._rows[member]
            agg_row = self._rows[agg]
            if row.get("mode", "unknown") in ("unknown", "routed") and agg_row.get("mode"):
                row["mode"] = agg_row["mode"]

    def records(self, res: ParseResult[PortInfo]) -> None:
        for name, row in self._rows.items():
            if not is_safe_interface(name):
                res.skip("invalid interface name", name)
                continue
            mode = row.get("mode", "unknown")
            vlans = tuple(sorted(set(row.get("trunk_vlans", ())))) if mode == "trunk" else ()
            res.records.append(
                PortInfo(
                    name=name,
                    mode=mode,
                    access_vlan=row.get("access_vlan") if mode == "access" else None,
                    description=row.get("description", ""),
                    enabled=row.get("enabled", True),
                    lag=row.get("lag"),
                    is_lag=row.get("is_lag", False),
                    trunk_vlans=vlans,
                )
            )


def canon_with(extra: Mapping[str, str], platform: str) -> Callable[[str], str]:
    """A canonicaliser that knows extra abbreviations (``M-GE``, ``WGE``, ``lg``) first."""
    split = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*?)\s*(\d[\d/:.]*)$")

    def canon(name: str) -> str:
        s = name.strip()
        m = split.match(s)
        if m:
            long = extra.get(m.group(1).lower())
            if long is not None:
                return f"{long}{m.group(2)}"
        return canonical_interface(s, platform)

    return canon


def strip_lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        if line.strip():
            yield line.rstrip()
