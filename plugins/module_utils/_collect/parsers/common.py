# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vocabulary every parser shares: the parser contract, device errors, and the words and
row helpers that mean the same on every platform.

Every parser function has the same shape::

    def parse_mac_table(outputs: Mapping[str, str], switch: str) -> ParseResult

``outputs`` maps each command of the parser's ``ParserSpec.commands`` to the raw text the device
printed. Parsers never raise on junk rows: they skip and count them (``ParseResult.skipped``) and
only raise ``ParseError`` when the whole output is unusable, or ``DeviceError`` when the output is
the device's error message instead of a table.

What lives here, once:

* the contract: ``ParseResult``, ``ParserSpec``, ``GETTERS``, ``run_parser``;
* reading output: ``clean_text``, ``device_error`` (every platform's error wording),
  ``output_of`` / ``outputs_for`` (a command's cleaned output, checked for errors),
  ``load_json`` (lenient about a neighbour's raw control characters), ``xml_safe``,
  ``ntc_parse``; ``printable`` / ``printable_record`` (no control character in a record);
* values: ``to_vlan``, ``parse_vlan_list``, ``is_num``, ``mac_or_none``;
* words: ``entry_kind`` (a MAC table's type column), ``is_self_port`` / ``is_routed_self_port``
  (a "port" that is the switch itself), one map of LLDP and CDP capabilities read two ways
  (``capability_words``, ``capabilities_as_listed``);
* rows: ``make_mac_entry`` (from a row's raw columns) / ``add_mac`` (append or skip),
  ``apply_lag_membership`` and ``Ports`` (two ways of merging LAG membership, see each),
  ``canon_with``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, Generic, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface, is_safe_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    DeviceError,
    InvalidMacError,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
)

try:
    from ntc_templates.parse import parse_output as _ntc_parse_output

    HAS_NTC_TEMPLATES = True
    NTC_IMPORT_ERROR: Optional[str] = None
except ImportError as _e:  # pragma: no cover - exercised by the sanity import test
    HAS_NTC_TEMPLATES = False
    NTC_IMPORT_ERROR = str(_e)

T = TypeVar("T")
Parser = Callable[[Mapping[str, str], str], "ParseResult[Any]"]

# --------------------------------------------------------------------------------------------
# The contract
# --------------------------------------------------------------------------------------------

GETTERS = ("mac_table", "arp", "neighbors", "ports")


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


@dataclass(frozen=True)
class ParserSpec:
    """What a parser module provides for one platform.

    ``commands`` maps each getter (``mac_table``, ``arp``, ``neighbors``, ``ports``) to the
    exact commands whose outputs its parser needs: the commands the collector runs on the
    switch, written once, in the parser module that reads their output. ``optional`` lists
    commands whose failure (a device that does not know the command, e.g. CDP on a non-Cisco
    box) is tolerated.
    """

    commands: Mapping[str, Sequence[str]]
    parse_mac_table: Parser
    parse_arp: Parser
    parse_neighbors: Parser
    parse_ports: Parser
    optional: Sequence[str] = ()
    # text command -> its structured form (``show ... | json``, ``show ... | display xml``) for the
    # commands whose parser reads both: the collector sends the structured form first and the
    # text command when the device rejects it (``cli.run_commands``)
    structured: Mapping[str, str] = field(default_factory=dict)

    def parser(self, getter: str) -> Parser:
        """The parse function of ``getter`` (one of ``GETTERS``)."""
        fn: Parser = {
            "mac_table": self.parse_mac_table,
            "arp": self.parse_arp,
            "neighbors": self.parse_neighbors,
            "ports": self.parse_ports,
        }[getter]
        return fn

    def output_key(self, command: str, outputs: Mapping[str, str]) -> Optional[str]:
        """The key under which ``outputs`` holds ``command``'s output: the command itself, or its
        structured form when that is what the device answered; None when neither is there."""
        if command in outputs:
            return command
        alt = self.structured.get(command)
        return alt if alt is not None and alt in outputs else None


def placed_neighbors(parser: Callable[[Mapping[str, str], str], ParseResult[Neighbor]]) -> Parser:
    """Decorate a neighbour parser: a neighbour whose local port the output leaves empty
    (``Local Port :`` with nothing after it, a truncated block) is skipped and counted, so
    that every record names the port it was seen on."""

    def parse(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
        res = parser(outputs, switch)
        if any(not n.local_interface.strip() for n in res.records):
            kept = [n for n in res.records if n.local_interface.strip()]
            for _unused in range(len(res.records) - len(kept)):
                res.skip("neighbour without a local port")
            res.records = kept
        return res

    parse.__name__ = getattr(parser, "__name__", "parse_neighbors")
    parse.__doc__ = parser.__doc__
    return parse


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


# --------------------------------------------------------------------------------------------
# Reading output
# --------------------------------------------------------------------------------------------

# Output that means the device rejected the command, in every platform's wording (searched at
# the start of the output's first four lines).
_DEVICE_ERRORS = re.compile(
    r"^\s*(% ?Invalid input|% ?Incomplete command|% ?Ambiguous command|% ?Unknown command|"
    r"% ?Unrecognized command|Invalid command|syntax error|unknown command|"
    r"Error: Unrecognized command|error: syntax error|Invalid input detected|"
    r"Ambiguous input|% Invalid|Command not found|-bash: .*: command not found|"
    r"%% Invalid input|% Error:|Invalid input ->|% Wrong parameter|% Too many parameters|"
    r"Error: Wrong parameter|Error: Incomplete command|Error: Too many parameters|Error: Unrecognized|"
    r"Invalid input:|"
    # EOS: ``| json`` on a command without a JSON model
    r"% ?This is an unconverted command|"
    # the spellings of Comware, VRP, OS10, FastIron and EXOS (spacing and '%' vary)
    r"%?\s*Error:\s*(?:Unrecognized|Wrong parameter|Incomplete|Too many parameters|Ambiguous)|"
    r"%\s*(?:Wrong parameter|Too many parameters)|%%\s*(?:Invalid input|Incomplete command|Ambiguous)|"
    r"Invalid input\s*->|Unrecognized command\b|%\s*Error:)",
    re.IGNORECASE | re.MULTILINE,
)
_PAGER_LINE = re.compile(r"^[ \t]*-+ ?More ?-+[^\n]*(?:\n|$)", re.M | re.I)


def clean_text(text: str) -> str:
    """Normalise line endings and drop terminal noise (backspaces, ``--More--`` prompts).

    Structured output (a JSON or XML document) keeps its other backspaces: there they are data
    (a neighbour's name), and erasing the character before one could break the document."""
    if not isinstance(text, str):
        raise ParseError(f"device output must be text, got {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # a pager prompt on a line of its own (the line goes, its neighbours stay separate lines)
    text = re.sub(r"(?m)^[ \t]*-+ ?More ?-+[^\n]*(?:\n|$)", "", text)
    # a pager prompt erased in place with backspaces, in the middle of a line
    text = re.sub(r"-+ ?More ?-+\s*\x08+\s*\x08*", "", text)
    if not looks_structured(text):
        text = re.sub(r".\x08", "", text)
    return text


def looks_structured(text: str) -> bool:
    """The output is a JSON or XML document (``| json``, ``| display xml``, ``lldpcli -f json``)."""
    return text.lstrip()[:1] in ("{", "[", "<")


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
        raise DeviceError(switch, f"device rejected the command: {err}", command=command)


def output_of(outputs: Mapping[str, str], command: str, switch: str) -> Optional[str]:
    """The cleaned output for ``command`` (also found under ``command | json`` / ``| display xml``),
    after checking it is not a device error. None when the command was not run."""
    for key in (command, command + " | json", command + " | display xml", command + " | display json"):
        if key in outputs:
            raw = outputs[key]
            if isinstance(raw, str):
                # A pager prompt on a line of its own goes with its line; clean_text's own pattern
                # also swallows the surrounding newlines and would glue two table rows together.
                raw = _PAGER_LINE.sub("", raw)
            text = clean_text(raw)
            check_device_error(text, switch, key)
            return text
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
        err = device_error(text)
        if err is not None:
            if cmd in required:
                raise DeviceError(switch, f"device rejected the command: {err}", command=cmd)
            if result is not None:
                result.warnings.append(f"optional command {cmd!r} failed on {switch}: {err}")
            continue
        got[cmd] = text
    return got


def strip_lines(text: str) -> Iterable[str]:
    """The non-blank lines of ``text``, without trailing white space."""
    for line in text.splitlines():
        if line.strip():
            yield line.rstrip()


def looks_like_json(text: str) -> bool:
    s = text.lstrip()
    return s.startswith("{") or s.startswith("[")


def _json_document(s: str) -> Optional[str]:
    start = min((i for i in (s.find("{"), s.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    end = max(s.rfind("}"), s.rfind("]"))
    return s[start : end + 1] if end > start else s[start:]


def load_json(text: str, command: str) -> Any:
    """The JSON document in ``text``; an empty output is an empty list.

    Text before the document (a prompt echo, a banner) and after it (a prompt) is ignored; any
    decoding problem is a ``ParseError`` naming the command.

    Device JSON is decoded leniently: a neighbour's text may hold raw control characters, which
    ``lldpcli -f json`` and ``ip -j`` print unescaped (strict JSON forbids them inside strings;
    ``printable`` replaces them in the records). A backspace is terminal noise in a table but
    data inside a JSON string: when erasing it (``clean_text``) breaks the document, the text as
    the device printed it is decoded instead.
    """
    if not isinstance(text, str):
        raise ParseError(f"device output must be text, got {type(text).__name__}")
    s = clean_text(text).strip()
    if not s:
        return []
    doc = _json_document(s)
    if doc is None:
        raise ParseError(f"{command!r}: expected JSON output, got {s[:60]!r}")
    try:
        return json.loads(doc, strict=False)
    except ValueError as exc:
        error = exc
    except RecursionError:
        raise ParseError(f"{command!r}: JSON output nested too deeply") from None
    raw = _json_document(text.replace("\r\n", "\n").strip()) if "\x08" in text else None
    if raw is not None:
        try:
            return json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            pass
    raise ParseError(f"{command!r}: output is not valid JSON: {error}") from None


# Characters no record may carry: C0 controls, DEL, C1 controls, the Unicode line and paragraph
# separators (a terminal, a log line or a report would act on them) and lone surrogates (which
# JSON's ``\ud800`` escapes decode to and no UTF-8 output can encode).
_NOT_PRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(value: str) -> str:
    """``value`` with every control character replaced (U+FFFD; a tab becomes a space).

    Device text (LLDP names, port descriptions) is data: it may hold BEL, SOH, escape sequences
    or newlines, and none of them may reach a terminal, a log, a report or an inventory variable
    as a control character."""
    if not _NOT_PRINTABLE.search(value) and "\t" not in value:
        return value
    return _NOT_PRINTABLE.sub("\ufffd", value.replace("\t", " "))


# XML 1.0 forbids these characters, raw or as character references; a device that prints a
# neighbour's control character into its XML output would otherwise make the whole document
# unreadable.
_XML_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_CHAR_REF = re.compile(r"&#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,10}));")


def _xml_ref(m: re.Match[str]) -> str:
    code = int(m.group(1), 16) if m.group(1) is not None else int(m.group(2))
    ok = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
    return m.group(0) if ok else "\ufffd"


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids (raw or as ``&#..;``) replaced by U+FFFD."""
    return _XML_CHAR_REF.sub(_xml_ref, _XML_BAD_CHAR.sub("\ufffd", text))


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


def require_usable(result: ParseResult[Any], header_seen: bool, command: str) -> None:
    """Raise ``ParseError`` when nothing in the output looked like the expected table."""
    if not result.records and result.skipped and not header_seen:
        raise ParseError(
            f"{command!r}: output not recognised (no table header and {result.skipped} unparsable line(s))"
        )


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")
_ASCII_NUM = re.compile(r"[0-9]+")
_SPACED_OCTETS = re.compile(r"[0-9A-Fa-f]{2}( [0-9A-Fa-f]{2}){5}")


def is_num(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts ``'¹'``, which ``int()`` rejects)."""
    return bool(_ASCII_NUM.fullmatch(text))


def to_vlan(value: Any) -> Optional[int]:
    """Integer VLAN 1..4094, else None (``All``, ``N/A``, names, non-ASCII digits)."""
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


def mac_or_none(value: Any) -> Optional[str]:
    """Canonical MAC for a device's MAC token or chassis ID, else None.

    Every spelling ``_mac`` knows, also in quotes or parentheses (``(00:04:96:1f:a2:ba)``, an
    EXOS incomplete ARP entry) and as space-separated octets (``3c e1 a1 22 18 f0``).
    """
    if not isinstance(value, str):
        return None
    s = value.strip().strip('"()')
    if _SPACED_OCTETS.fullmatch(s):
        s = s.replace(" ", ":")
    if not s:
        return None
    try:
        return normalize_mac(s)
    except InvalidMacError:
        return None


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

# MAC table type columns (compared lower-case), the words of every platform. A platform that uses
# a word differently reads it before asking here: Cisco's ``system`` and ``igmp`` entries are
# static (EOS's ``system`` rows are the switch's own, its ``igmp`` entries learned).
_SELF_TYPES = frozenset({"self", "router", "cpu", "system", "blackhole", "black-hole", "drop", "discard"})
_SECURE_MARKS = ("secure", "security", "sticky", "sec-config", "lock", "port-access")
_STATIC_MARKS = ("static", "permanent", "configured", "persistent")
_STATIC_TYPES = frozenset({"config", "multiport", "mux"})
DYNAMIC: Tuple[str, bool] = ("dynamic", False)


def entry_kind(word: str) -> Tuple[str, bool]:
    """(kind, static) for the type column of a MAC table row: ``self`` (the switch's own or a
    black-hole entry), ``secure`` (port security, sticky), ``static`` (configured, permanent) or,
    for ``dynamic``, ``learned`` and any other word, ``dynamic``."""
    w = word.strip().lower()
    if w in _SELF_TYPES:
        return "self", True
    if any(k in w for k in _SECURE_MARKS):
        return "secure", True
    if any(k in w for k in _STATIC_MARKS) or w in _STATIC_TYPES:
        return "static", True
    return DYNAMIC


# "Ports" of a MAC table that are the switch itself, never an endpoint's port (any case).
_SELF_PORT = re.compile(
    r"^(cpu|router|switch|stby-switch|self|drop|local|system|fabric|olist|flood|sup\d*|sup-eth\d*|vpc[ -]peer-link)$",
    re.IGNORECASE,
)
# A routed interface of the switch (SVI, IRB): where Cisco and NAPALM list its gateway MACs.
_ROUTED_SELF_PORT = re.compile(r"^((vl|vlan)\d+|irb(\.\d+)?)$", re.IGNORECASE)


def is_self_port(name: str) -> bool:
    """The port column names the switch itself (``CPU``, ``Router``, ``sup-eth1``, ``Drop``...)."""
    return bool(_SELF_PORT.match(name.strip()))


def is_routed_self_port(name: str) -> bool:
    """The port column names one of the switch's routed interfaces (``Vlan10``, ``Vl10``, ``irb.10``).

    Cisco and NAPALM report the switch's own gateway MACs there; the other platforms print
    ``Router`` or ``CPU`` instead, so their parsers do not apply this rule."""
    return bool(_ROUTED_SELF_PORT.match(name.strip()))


CAPABILITY_ORDER = ("bridge", "router", "wlan", "phone", "station", "other")
# LLDP (IEEE 802.1AB) and CDP capabilities in every platform's spelling -> our words. Phrases are
# joined first (``WLAN Access Point``, ``wlan-access-point``, ``wlanAccessPoint`` -> wlanaccesspoint).
_CAPABILITIES = {
    "bridge": "bridge",
    "router": "router",
    "wlan": "wlan",
    "wlanaccesspoint": "wlan",
    "telephone": "phone",
    "phone": "phone",
    "tel": "phone",  # lldpd
    "station": "station",
    "stationonly": "station",
    "repeater": "other",
    "docsis": "other",
    "docsiscabledevice": "other",
    "cabledevice": "other",
    "other": "other",
    "customervlan": "other",
    "servicevlan": "other",
    "twoportmacrelay": "other",
    "c-vlan": "other",
    "s-vlan": "other",
    "cvlan": "other",
    "svlan": "other",
    "tpmr": "other",
    # the one-letter codes of LLDP tables (Cisco, Comware, VRP, FastIron legends)
    "b": "bridge",
    "r": "router",
    "w": "wlan",
    "t": "phone",
    "s": "station",
    "c": "other",  # DOCSIS cable device
    "o": "other",
    "p": "other",  # repeater
    "d": "other",
    # CDP
    "switch": "bridge",
    "transbridge": "bridge",
    "sourceroutebridge": "bridge",
    "host": "station",
}
_CAPABILITY_PHRASES = re.compile(
    r"wlan[\s_-]*access[\s_-]*point|station[\s_-]*only|docsis[\s_-]*cable[\s_-]*device|cable[\s_-]*device|"
    r"customer[\s_-]*vlan|service[\s_-]*vlan|two[\s_-]*port[\s_-]*mac[\s_-]*relay|trans[\s_-]*bridge|"
    r"source[\s_-]*route[\s_-]*bridge|not[\s_-]*advertised"
)
_NO_CAPABILITY = frozenset({"none", "na", "n/a", "notadvertised"})


def _capability_text(value: Any) -> Optional[str]:
    if isinstance(value, Mapping):
        return " ".join(str(k) for k, v in value.items() if v is True)
    if isinstance(value, (list, tuple)):
        return " ".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else None


def capability_words(value: Any) -> Tuple[str, ...]:
    """LLDP/CDP capabilities as our words (``bridge``, ``router``, ``wlan``, ``phone``, ``station``,
    ``other``), in that order, each once.

    Accepts every platform's spelling: ``Bridge, Router``, ``B,R``, ``bridge wlan-access-point``,
    ``Bridge WLAN Access Point Router Station Only`` (Junos), CDP's ``Router Switch IGMP``, a list
    of words (NAPALM, lldpd) or a JSON mapping ``{"bridge": true, "wlanAccessPoint": false}`` (only
    true entries count). A word no platform defines is ``other``; ``none`` and ``not advertised``
    are nothing.
    """
    text = _capability_text(value)
    if text is None:
        return ()
    text = _CAPABILITY_PHRASES.sub(lambda m: re.sub(r"[\s_-]+", "", m.group(0)), text.lower())
    found = set()
    for word in re.split(r"[,\s]+", text):
        if not re.search(r"[a-z]", word) or word in _NO_CAPABILITY:
            continue
        found.add(_CAPABILITIES.get(word, "wlan" if word.startswith("wlan") else "other"))
    return tuple(c for c in CAPABILITY_ORDER if c in found)


def capabilities_as_listed(text: str) -> Tuple[str, ...]:
    """The capability words of ``text`` that the map knows, in the order the device listed them;
    other words (``station-only``, with a hyphen) are left out.

    The reading of the Comware-style tables of VRP, OS10 and FastIron, as pinned by their golden
    files; ``capability_words`` is the reading of every other platform (canonical order, phrases
    joined, unknown words ``other``)."""
    out: List[str] = []
    for word in re.split(r"[,\s]+", text.strip().lower()):
        cap = _CAPABILITIES.get(word)
        if cap and cap not in out:
            out.append(cap)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


def make_mac_entry(
    mac: str, vlan_text: Any, interface: str, kind: str, switch: str, platform: str, vlan_name: Optional[str] = None
) -> MacEntry:
    """One MAC record from a row's raw columns; ``mac`` must already be valid. Self ports get
    ``kind="self"`` and no interface; a VLAN column that is a name is kept in ``vlan_name``."""
    iface = interface.strip()
    static = kind in ("static", "secure", "self")  # what the row's type column says
    if not iface or is_self_port(iface):
        # the switch itself (Router, CPU): a configured entry, as its type column says ("STATIC")
        static = kind != "dynamic"
        kind, iface = "self", ""
    else:
        iface = canonical_interface(iface, platform)
    vlan = to_vlan(vlan_text)
    if vlan is None and isinstance(vlan_text, str) and vlan_text.strip() and not is_num(vlan_text.strip()):
        low = vlan_text.strip().lower()
        if low not in ("all", "n/a", "-", "none") and vlan_name is None:
            vlan_name = vlan_text.strip()
    return MacEntry(
        mac=normalize_mac(mac),
        vlan=vlan,
        interface=iface,
        static=static,
        switch=switch,
        kind=kind,
        vlan_name=vlan_name,
    )


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
    """Append one MacEntry (``interface`` already canonical), or skip and count the row when a
    field is unusable."""
    mac = mac_or_none(mac_token)
    if mac is None:
        res.skip("invalid MAC address", line)
        return
    if is_self_port(interface) or kind == "self":
        interface, kind = "", "self"
    elif not interface or not is_safe_interface(interface):
        res.skip("invalid interface name", line)
        return
    res.records.append(
        MacEntry(mac=mac, vlan=vlan, interface=interface, static=static, switch=switch, kind=kind, vlan_name=vlan_name)
    )


def apply_lag_membership(
    result: ParseResult[PortInfo], members: Mapping[str, str], is_agg: Callable[[str], bool]
) -> ParseResult[PortInfo]:
    """Set ``lag`` on member ports and ``is_lag`` on aggregates of finished records; add ports
    only known from the membership table (so a LAG member is never mistaken for an access port:
    a bundled port's ``access`` mode becomes ``unknown``)."""
    known = {p.name for p in result.records}
    out: List[PortInfo] = []
    for p in result.records:
        lag = members.get(p.name, p.lag)
        mode = p.mode
        if lag is not None and mode == "access":
            mode = "unknown"  # a bundled port is not an access port, whatever its VLAN column says
        out.append(
            PortInfo(
                name=p.name,
                mode=mode,
                access_vlan=p.access_vlan if mode == "access" else None,
                description=p.description,
                enabled=p.enabled,
                lag=lag,
                is_lag=p.is_lag or p.name in members.values() or bool(is_agg(p.name)),
                trunk_vlans=p.trunk_vlans,
            )
        )
    for member, agg in sorted(members.items()):
        if member not in known:
            out.append(PortInfo(name=member, lag=agg))
            known.add(member)
    for agg in sorted(set(members.values())):
        if agg not in known:
            out.append(PortInfo(name=agg, is_lag=True))
            known.add(agg)
    result.records = out
    return result


class Ports:
    """Mutable port table that keeps device order; ``records()`` makes PortInfo records.

    For parsers that gather a port's facts from several tables before making records
    (``apply_lag_membership`` amends records already made). A LAG member takes its aggregate's
    mode (``set_lags``)."""

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


def printable_record(rec: T) -> T:
    """``rec`` with the device text it carries made printable (``printable``): a neighbour's name
    and port, a port's description, a VLAN name, a VRF. Interface names are not touched: they
    are identities, checked by the strict validator before any use."""
    if isinstance(rec, Neighbor):
        name, port = printable(rec.remote_name), printable(rec.remote_port)
        if (name, port) != (rec.remote_name, rec.remote_port):
            return replace(rec, remote_name=name, remote_port=port)  # type: ignore[return-value]
    elif isinstance(rec, PortInfo):
        descr = printable(rec.description)
        if descr != rec.description:
            return replace(rec, description=descr)  # type: ignore[return-value]
    elif isinstance(rec, MacEntry):
        if rec.vlan_name is not None and printable(rec.vlan_name) != rec.vlan_name:
            return replace(rec, vlan_name=printable(rec.vlan_name))  # type: ignore[return-value]
    elif isinstance(rec, ArpEntry):
        vrf = printable(rec.vrf)
        if vrf != rec.vrf:
            return replace(rec, vrf=vrf)  # type: ignore[return-value]
    return rec


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
