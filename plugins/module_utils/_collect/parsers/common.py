# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the per-platform parsers (``_parse_<family>.py``).

Every parser function has the same shape::

    def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult

``outputs`` maps each command of the platform table (``_platforms.py``) to the raw text the
device printed. Parsers never raise on junk rows: they skip and count them
(``ParseResult.skipped``) and only raise ``ParseError`` when the whole output is unusable
(for instance a device error message instead of a table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Sequence, TypeVar

from ansible_collections.camguard.network.plugins.module_utils._records import ParseError

try:
    from ntc_templates.parse import parse_output as _ntc_parse_output

    HAS_NTC_TEMPLATES = True
    NTC_IMPORT_ERROR: Optional[str] = None
except ImportError as _e:  # pragma: no cover - exercised by the sanity import test
    HAS_NTC_TEMPLATES = False
    NTC_IMPORT_ERROR = str(_e)

T = TypeVar("T")
_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")

# Output fragments that mean the device rejected the command (all platforms' wording).
_DEVICE_ERRORS = re.compile(
    r"^\s*(% ?Invalid input|% ?Incomplete command|% ?Ambiguous command|% ?Unknown command|"
    r"% ?Unrecognized command|Invalid command|syntax error|unknown command|"
    r"Error: Unrecognized command|error: syntax error|Invalid input detected|"
    r"Ambiguous input|% Invalid|Command not found|-bash: .*: command not found|"
    r"%% Invalid input|% Error:|Invalid input ->|% Wrong parameter|% Too many parameters|"
    r"Error: Wrong parameter|Error: Incomplete command|Error: Too many parameters|Error: Unrecognized|"
    r"Invalid input:)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class ParseResult(Generic[T]):
    records: List[T] = field(default_factory=list)
    skipped: int = 0
    warnings: List[str] = field(default_factory=list)

    def skip(self, reason: str, line: str = "") -> None:
        self.skipped += 1
        if len(self.warnings) < 20:
            snippet = line.strip()[:80]
            self.warnings.append(f"{reason}: {snippet!r}" if snippet else reason)


def clean_text(text: str) -> str:
    """Normalise line endings and drop terminal noise (backspaces, ``--More--`` prompts)."""
    if not isinstance(text, str):
        raise ParseError(f"device output must be text, got {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # a pager prompt on a line of its own (the line goes, its neighbours stay separate lines)
    text = re.sub(r"(?m)^[ \t]*-+ ?More ?-+[^\n]*(?:\n|$)", "", text)
    # a pager prompt erased in place with backspaces, in the middle of a line
    text = re.sub(r"-+ ?More ?-+\s*\x08+\s*\x08*", "", text)
    text = re.sub(r".\x08", "", text)
    return text


def device_error(text: str) -> Optional[str]:
    """The device's error line when ``text`` is an error message rather than output."""
    head = "\n".join(text.strip().splitlines()[:4])
    m = _DEVICE_ERRORS.search(head)
    if m:
        line = head[m.start() :].splitlines()[0].strip()
        return line[:200]
    return None


def check_device_error(text: str, switch: str, command: str) -> None:
    err = device_error(text)
    if err is not None:
        from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

        raise DeviceError(switch, f"device rejected the command: {err}", command=command)


def ntc_parse(platform: str, command: str, text: str) -> List[Dict[str, Any]]:
    """Parse with the ntc-templates TextFSM template for (platform, command)."""
    if not HAS_NTC_TEMPLATES:
        raise ParseError(f"ntc-templates is required to parse {command!r} on {platform}: {NTC_IMPORT_ERROR}")
    try:
        rows = _ntc_parse_output(platform=platform, command=command, data=clean_text(text))
    except Exception as exc:  # textfsm raises its own hierarchy; surface it with context
        raise ParseError(f"cannot parse {command!r} output for {platform}: {exc}") from exc
    return [dict(r) for r in rows]


def first(row: Mapping[str, Any], *keys: str, default: Any = "") -> Any:
    """First present, non-empty value among ``keys`` (ntc field names vary by template)."""
    for k in keys:
        v = row.get(k)
        if isinstance(v, list):
            if v:
                return v
            continue
        if v not in (None, ""):
            return v
    return default


def to_vlan(value: Any) -> Optional[int]:
    """Integer VLAN 1..4094, else None (``All``, ``N/A``, names)."""
    if isinstance(value, int):
        return value if 1 <= value <= 4094 else None
    if isinstance(value, str):
        s = value.strip()
        if _ASCII_DIGITS.fullmatch(s):
            n = int(s)
            return n if 1 <= n <= 4094 else None
    return None


def parse_vlan_list(text: str) -> List[int]:
    """``1-3,10,20-21`` -> [1, 2, 3, 10, 20, 21]; ``ALL``/``none`` -> [] (caller decides)."""
    out: List[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        if "-" in part:
            a, _unused, b = part.partition("-")
            if _ASCII_DIGITS.fullmatch(a) and _ASCII_DIGITS.fullmatch(b) and 1 <= int(a) <= int(b) <= 4094:
                out.extend(range(int(a), int(b) + 1))
        elif _ASCII_DIGITS.fullmatch(part) and 1 <= int(part) <= 4094:
            out.append(int(part))
    return out


def run_parser(
    parser: Callable[[Mapping[str, str], str], ParseResult[T]],
    outputs: Mapping[str, str],
    switch: str,
    commands: Sequence[str],
) -> ParseResult[T]:
    """Check every command's output for a device error, then parse."""
    for cmd in commands:
        if cmd in outputs:
            check_device_error(outputs[cmd], switch, cmd)
    return parser(outputs, switch)


GETTERS = ("mac_table", "arp", "neighbors", "ports")


@dataclass(frozen=True)
class ParserSpec:
    """What a parser module provides for one platform.

    ``commands`` maps each getter (``mac_table``, ``arp``, ``neighbors``, ``ports``) to the
    exact commands whose outputs its parser needs. ``optional`` lists commands whose failure
    (a device that does not know the command, e.g. CDP on a non-Cisco box) is tolerated.
    """

    commands: Mapping[str, Sequence[str]]
    parse_mac_table: Callable[[Mapping[str, str], str], ParseResult[Any]]
    parse_arp: Callable[[Mapping[str, str], str], ParseResult[Any]]
    parse_neighbors: Callable[[Mapping[str, str], str], ParseResult[Any]]
    parse_ports: Callable[[Mapping[str, str], str], ParseResult[Any]]
    optional: Sequence[str] = ()
