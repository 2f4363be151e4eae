# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsers for Cisco IOS / IOS-XE (``cisco_ios``) and NX-OS (``cisco_nxos``) CLI output.

Contract (every function here follows ``common``)::

    parse_*(outputs: Mapping[str, str], switch: str) -> ParseResult[record]

``outputs`` maps the exact command strings of ``SPECS[platform].commands[getter]`` to the raw
text the switch printed. A command missing from ``outputs`` is treated as "not collected" (the
collector skips optional commands that the switch rejected); a command whose output is a
device error message raises ``DeviceError`` naming the switch and the command. Junk rows are
skipped and counted in ``ParseResult.skipped``; nothing else is ever raised for bad text.

Records:

* MAC table -> ``MacEntry``: one entry per (MAC, VLAN, port). Entries listing several ports
  (multicast groups, 6500/4500 wrapped port lists, NX-OS ``Po1 Po2`` lists) are expanded into
  one entry per port, as NAPALM does. CPU / Router / Switch / Stby-Switch / Drop / sup-eth /
  ``(R)`` routed entries / ``vPC Peer-Link`` / SVI (``Vl10``) ports and IOS ``Self`` rows are
  the switch's own MACs: ``kind="self"``, ``interface=""``. VLAN ``All``, ``---``, ``-`` and
  non-numeric VLAN columns (4500 ``Te5/1``) give ``vlan=None`` (names kept in ``vlan_name``).
* ARP -> ``ArpEntry``: ``interface`` is the layer-3 interface (an SVI such as ``Vlan10``);
  ``vrf`` from the NX-OS ``VRF Name`` column or ``IP ARP Table for context X`` header, else
  ``default``. ``INCOMPLETE`` rows are not entries (ignored, not counted as junk).
* Neighbours -> ``Neighbor`` from LLDP and CDP detail output; capabilities are lower-case words
  (``bridge``, ``router``, ``station``, ``phone``, ``wlan``, ``other``).
* Ports -> ``PortInfo`` merged from switchport, interface status and port-channel summary
  output: ``mode`` from the switchport operational mode (falling back to the administrative
  mode, then to the status VLAN column), ``description``/``enabled`` from the status table,
  ``lag``/``is_lag`` from the port-channel summary and from ``(member of bundle PoX)``;
  ``trunk_vlans`` is empty when the trunk allows all VLANs (``ALL``, ``1-4094``).

Which parser reads which command: ntc-templates (TextFSM) for interface status and the
port-channel / etherchannel summaries (a line the template rejects is dropped and counted, the
rest still parses); our own code for the MAC table (ntc-templates drops multi-port continuation
lines, multicast sections, port-less system rows and several older layouts), ARP (one parser for
every NX-OS ``show ip arp`` variant, keeping the VRF), switchport (ntc-templates loses wrapped
``Trunking VLANs Enabled`` lists and the ``member of bundle`` note) and CDP/LLDP detail
(ntc-templates loses the local port when the remote port is empty, rejects a whole output on one
unexpected line, and needs the text at column 0).
"""

from __future__ import annotations

import ipaddress
import re
import textwrap
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    ParseResult,
    ParserSpec,
    capability_words,
    check_device_error,
    clean_text,
    entry_kind,
    first,
    is_routed_self_port,
    is_self_port,
    mac_or_none,
    ntc_parse,
    parse_vlan_list,
    placed_neighbors,
    to_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    InvalidMacError,
    MacEntry,
    Neighbor,
    ParseError,
    PortInfo,
)

_R = TypeVar("_R")
_Parser = Callable[[Mapping[str, str], str], ParseResult[_R]]

IOS = "cisco_ios"
NXOS = "cisco_nxos"

# The commands, each written once (``SPECS`` at the end says which platform runs which).
MAC = "show mac address-table"
MAC_OLD = "show mac-address-table"  # older IOS releases (and NAPALM's ios driver): same layouts, read too
IOS_ARP = "show ip arp"
NXOS_ARP = "show ip arp detail vrf all"
LLDP = "show lldp neighbors detail"
CDP = "show cdp neighbors detail"
# (switchport, interface status, port-channel summary)
IOS_PORTS = ("show interfaces switchport", "show interfaces status", "show etherchannel summary")
NXOS_PORTS = ("show interface switchport", "show interface status", "show port-channel summary")

_MAC_TOKEN = re.compile(r"(?<![0-9A-Fa-f.:])([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![0-9A-Fa-f.:])")
_PORT_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9/_.:+-]*$")
_PROTOCOL_WORDS = frozenset(("ip", "ipx", "assigned", "other", "ipv6", "appletalk", "decnet", "vines", "xns"))
_VLAN_TOKEN = re.compile(r"^(\d{1,4}|all|-+|n/a|[A-Za-z][A-Za-z0-9/._-]*)$", re.IGNORECASE)


def _outputs_for(outputs: Mapping[str, str], commands: Sequence[str], switch: str) -> List[Tuple[str, str]]:
    """(command, cleaned text) for each collected command; device errors raise ``DeviceError``."""
    found: List[Tuple[str, str]] = []
    for cmd in commands:
        if cmd not in outputs:
            continue
        text = clean_text(outputs[cmd])
        check_device_error(text, switch, cmd)
        # Captured transcripts are sometimes indented as a whole; a real switch's output is not,
        # so removing the common indentation never changes a live output.
        found.append((cmd, textwrap.dedent(text)))
    return found


_NTC_BAD_LINE = re.compile(r"Input Line: (.*)$", re.DOTALL)


def _ntc_rows(platform: str, command: str, text: str, result: ParseResult[Any]) -> List[Dict[str, Any]]:
    """ntc-templates rows; a line the template rejects (a prompt, an echoed command, a new
    field of a newer release) is dropped and counted instead of failing the whole output."""
    lines = text.split("\n")
    for _attempt in range(50):
        try:
            return ntc_parse(platform, command, "\n".join(lines))
        except ParseError as exc:
            m = _NTC_BAD_LINE.search(str(exc))
            bad = m.group(1).strip() if m else None
            idx = next((i for i, line in enumerate(lines) if bad is not None and line.strip() == bad), None)
            if idx is None:
                raise
            result.skip(f"line rejected by the {command!r} template", lines[idx])
            del lines[idx]
    raise ParseError(f"too many unparseable lines in {command!r} output for {platform}")


def _canon(name: str, platform: str) -> str:
    return canonical_interface(name.strip(), platform)


# --------------------------------------------------------------------------- MAC table


class _MacLayout:
    """Column layout of a Cisco MAC table, set by the header line that precedes the rows."""

    def __init__(self) -> None:
        self.mac_first = False  # "Destination Address  Address Type  VLAN  Destination Port"
        self.skip_after_type = 0  # learn/age (6500: 2), age/secure/ntfy (NX-OS: 3)
        self.protocols = False  # 4500 unicast: "type protocols port"

    def from_header(self, line: str) -> bool:
        low = " ".join(line.lower().split())
        if "destination address" in low and "address type" in low:
            self.mac_first, self.skip_after_type, self.protocols = True, 0, False
            return True
        if "mac address" not in low or "type" not in low:
            return False
        self.mac_first = False
        self.protocols = "protocols" in low
        if "secure" in low and "ntfy" in low:
            self.skip_after_type = 3
        elif "learn" in low and "age" in low:
            self.skip_after_type = 2
        else:
            self.skip_after_type = 0
        return True


# The type words Cisco prints; any other word marks a row that is not a MAC table row. Their
# kinds are the shared ones (``common.entry_kind``), except Cisco's static ``system`` (4500
# broadcast entries), ``igmp``/``mld`` (snooping) and ``stat`` entries.
_CISCO_TYPES = frozenset({"self", "dynamic", "learned", "learnt", "static", "permanent", "config"})
_CISCO_STATIC_TYPES = frozenset({"system", "igmp", "mld", "stat"})


def _mac_kind(type_word: str) -> Tuple[str, bool]:
    """(kind, static) of a type column; kind ``""`` for a word that is not a type (a junk row)."""
    t = type_word.lower()
    if t in _CISCO_STATIC_TYPES:
        return "static", True
    if t in _CISCO_TYPES or "secure" in t or "sticky" in t:
        return entry_kind(t)
    return "", False


def _split_ports(chunks: Iterable[str]) -> List[str]:
    ports: List[str] = []
    for chunk in chunks:
        text = chunk.replace("vPC Peer-Link", "vPC-Peer-Link")
        for raw in re.split(r"[,\s]+", text):
            tok = raw.strip()
            if not tok or (tok.startswith("(") and tok.endswith(")")):
                continue  # "(R)" / "(Eth17/3.280)" / "(Lo0)" qualify the previous port
            tok = re.sub(r"\(.*\)$", "", tok)
            if tok:
                ports.append(tok)
    return ports


def _is_port_list(line: str) -> bool:
    toks = _split_ports([line])
    return bool(toks) and all(_PORT_TOKEN.match(t) for t in toks)


def _mac_port_entries(
    mac: str,
    vlan_text: str,
    type_word: str,
    ports: Sequence[str],
    platform: str,
    switch: str,
    routed_only: bool,
) -> List[MacEntry]:
    kind, static = _mac_kind(type_word)
    vlan = to_vlan(vlan_text)
    vlan_name: Optional[str] = None
    if vlan is None and vlan_text.strip("-") and vlan_text.lower() not in ("n/a",):
        vlan_name = vlan_text
    if vlan_text.isdecimal() and vlan is None:
        vlan_name = vlan_text  # VLAN 0 / >4094 (bridge domains) keep their number as a name
    entries: List[MacEntry] = []
    if routed_only:
        # NX-OS " (R)" with no port: a routed (gateway) MAC of this switch.
        return [MacEntry(mac, vlan, "", static, switch, "self", vlan_name)]
    for port in ports:
        if kind == "self" or is_self_port(port) or is_routed_self_port(port):
            entries.append(MacEntry(mac, vlan, "", static, switch, "self", vlan_name))
        else:
            entries.append(MacEntry(mac, vlan, _canon(port, platform), static, switch, kind, vlan_name))
    return entries


def parse_mac_table_text(text: str, platform: str, switch: str) -> ParseResult[MacEntry]:
    """Every Cisco MAC-table layout: Catalyst, ISR ``Destination Address``, 4500 unicast and
    multicast sections, 6500 (``learn``/``age``, ``*``/``R``/``D`` flags, DFC sections) and NX-OS
    (``age Secure NTFY``, ``G``/``*``/``+``/``C`` flags, ``VLAN/BD``), with wrapped port lists.
    """
    result: ParseResult[MacEntry] = ParseResult()
    layout = _MacLayout()
    seen_header = False
    # pending multi-line entry: (mac, vlan, type, ports)
    pending: Optional[Tuple[str, str, str, List[str], bool]] = None

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        mac, vlan_text, type_word, ports, routed = pending
        pending = None
        if not ports and not routed:
            if _mac_kind(type_word)[0] == "dynamic":
                result.skip("dynamic MAC entry without a port", f"{vlan_text} {mac} {type_word}")
                return
            routed = True  # a static/system entry with no member port belongs to the switch itself
        result.records.extend(_mac_port_entries(mac, vlan_text, type_word, ports, platform, switch, routed))

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        m = _MAC_TOKEN.search(line)
        if m is None:
            if layout.from_header(stripped):
                flush()
                seen_header = True
                continue
            if pending is not None and line[:1].isspace() and _is_port_list(stripped):
                pending[3].extend(_split_ports([stripped]))
                continue
            flush()
            continue  # legends, totals, separators, prompts, section titles
        flush()
        if line.lstrip().lower().startswith(("legend", "total")):
            continue
        before = line[: m.start()].split()
        after = line[m.end() :].split()
        mac_text = m.group(1)
        try:
            mac = normalize_mac(mac_text)
        except InvalidMacError:  # pragma: no cover - the regex only matches valid spellings
            result.skip("invalid MAC address", line)
            continue
        if layout.mac_first or (not seen_header and not before and len(after) >= 3):
            # mac type vlan port...
            if before or len(after) < 3:
                result.skip("unrecognised MAC table row", line)
                continue
            type_word, vlan_text, ports = after[0], after[1], _split_ports(after[2:])
            if not _mac_kind(type_word)[0]:
                result.skip("unknown MAC entry type", line)
                continue
            pending = (mac, vlan_text, type_word, ports, False)
            flush()
            continue
        # flags? vlan mac type [skipped columns] ports...
        if not before or not after:
            result.skip("unrecognised MAC table row", line)
            continue
        vlan_text = before[-1]
        flags = before[:-1]
        if not _VLAN_TOKEN.match(vlan_text) or any(len(f) > 2 for f in flags):
            result.skip("unrecognised VLAN column", line)
            continue
        type_word = after[0]
        if not _mac_kind(type_word)[0]:
            result.skip("unknown MAC entry type", line)
            continue
        rest = after[1:]
        if layout.protocols:
            while rest and set(rest[0].lower().split(",")) <= _PROTOCOL_WORDS:
                rest = rest[1:]
        elif layout.skip_after_type:
            if len(rest) < layout.skip_after_type:
                result.skip("truncated MAC table row", line)
                continue
            rest = rest[layout.skip_after_type :]
        else:
            # No header seen (e.g. a grep'ed output): skip learn/age/secure/ntfy-looking columns.
            while rest and re.match(r"^(yes|no|\d+|-|~+|[tf]|n/a)$", rest[0], re.IGNORECASE):
                rest = rest[1:]
        port_text = " ".join(rest)
        routed = bool(port_text) and not _split_ports([port_text]) and "(R)" in port_text
        pending = (mac, vlan_text, type_word, _split_ports([port_text]), routed)
    flush()
    return result


def _parse_mac_table(platform: str, commands: Sequence[str]) -> _Parser[MacEntry]:
    """Reads the output of each of ``commands`` that was collected (``MAC``, and ``MAC_OLD`` on IOS)."""

    def parse(outputs: Mapping[str, str], switch: str) -> ParseResult[MacEntry]:
        result: ParseResult[MacEntry] = ParseResult()
        for _cmd, text in _outputs_for(outputs, commands, switch):
            part = parse_mac_table_text(text, platform, switch)
            result.records.extend(part.records)
            result.skipped += part.skipped
            result.warnings.extend(part.warnings[: max(0, 20 - len(result.warnings))])
        return result

    return parse


# --------------------------------------------------------------------------- ARP

_IOS_ARP = re.compile(
    r"^\s*Internet\s+(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s+(?P<age>\S+)\s+(?P<mac>\S+)\s+(?P<type>[A-Za-z0-9][\w.-]*)"
    r"(?:\s+(?P<intf>[A-Za-z]\S*))?(?:\s+pv\s+\d+)?\s*$"
)
_NXOS_ARP = re.compile(
    r"^\s*(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s+(?P<age>\S+)\s+(?P<mac>\S+)\s+(?P<intf>\S+)(?P<rest>.*)$"
)
_NXOS_CONTEXT = re.compile(r"IP ARP Table for (?:context (?P<vrf>\S+)|all contexts)", re.IGNORECASE)


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_arp_text(text: str, platform: str, nxos_layout: bool) -> ParseResult[ArpEntry]:
    """IOS ``Internet  10.0.0.1  5  aabb.cc00.0100  ARPA  Vlan10`` rows, or (``nxos_layout``) NX-OS
    rows with ``IP ARP Table for context X`` sections or a ``VRF`` column."""
    result: ParseResult[ArpEntry] = ParseResult()
    vrf = "default"
    vrf_column = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if nxos_layout:
            ctx = _NXOS_CONTEXT.search(stripped)
            if ctx:
                vrf = ctx.group("vrf") or "default"
                continue
            if stripped.startswith("Address") and "VRF" in stripped:
                vrf_column = True
                continue
            m = _NXOS_ARP.match(line)
        else:
            m = _IOS_ARP.match(line)
        if m is None:
            if re.match(r"^\s*(Internet\s+)?\d{1,3}(\.\d{1,3}){3}\s", line):
                result.skip("unrecognised ARP row", line)
            continue
        ip, mac_text = m.group("ip"), m.group("mac")
        if mac_text.lower() in ("incomplete", "incomplete,"):
            continue
        if not _valid_ip(ip):
            result.skip("invalid IP address", line)
            continue
        try:
            mac = normalize_mac(mac_text)
        except InvalidMacError:
            result.skip("invalid MAC address", line)
            continue
        intf = m.group("intf") or ""
        if intf in ("-", "--"):
            intf = ""
        row_vrf = vrf
        if nxos_layout and vrf_column:
            rest = m.group("rest").split()
            if rest:
                row_vrf = rest[-1]
        result.records.append(ArpEntry(ip, mac, _canon(intf, platform) if intf else "", row_vrf))
    return result


def _parse_arp(platform: str, command: str, nxos_layout: bool) -> _Parser[ArpEntry]:
    def parse(outputs: Mapping[str, str], switch: str) -> ParseResult[ArpEntry]:
        result: ParseResult[ArpEntry] = ParseResult()
        for _cmd, text in _outputs_for(outputs, (command,), switch):
            part = parse_arp_text(text, platform, nxos_layout)
            result.records.extend(part.records)
            result.skipped += part.skipped
            result.warnings.extend(part.warnings)
        return result

    return parse


# --------------------------------------------------------------------------- neighbours


def _advertised(value: Any) -> str:
    text = str(value or "").strip()
    return "" if text.lower() in ("not advertised", "null", "--", "-") else text


def _remote_port(port_id: str, description: str) -> str:
    """The LLDP Port ID when it names an interface, else the Port Description (a Juniper
    ifIndex ``502`` or a phone's MAC says less than ``ge-0/0/0.0``)."""
    if port_id and not port_id.isdecimal() and mac_or_none(port_id) is None:
        return port_id
    return description or port_id


_KV = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 ()/_-]*?)\s*(?::|\s-\s)\s*(?P<val>.*)$")
_CDP_INTERFACE = re.compile(r"Interface:\s*(?P<local>[^,]+?)\s*,\s*Port ID \(outgoing port\):\s*(?P<port>.*)$", re.I)
_CDP_PLATFORM = re.compile(r"Platform:\s*(?P<platform>.*?),?\s+Capabilities:\s*(?P<caps>.*)$", re.I)
_NXOS_SERIAL = re.compile(r"\([A-Za-z0-9]{8,}\)$")


def _blocks(text: str, starts: Tuple[str, ...]) -> List[Dict[str, str]]:
    """Split a detail listing into one ``{lower-case key: value}`` dict per neighbour.

    A new block starts at a separator line or when one of the ``starts`` keys repeats."""
    blocks: List[Dict[str, str]] = []
    cur: Dict[str, str] = {}
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^-{5,}$", line) or line.lower().startswith("total entries displayed"):
            if cur:
                blocks.append(cur)
            cur = {}
            continue
        m = _KV.match(line)
        if m is None:
            continue
        key, val = m.group("key").strip().lower(), m.group("val").strip()
        if key in starts and any(k in cur for k in starts if k == key):
            blocks.append(cur)
            cur = {}
        if key not in cur:
            cur[key] = val
    if cur:
        blocks.append(cur)
    return blocks


def parse_lldp_text(text: str, platform: str) -> ParseResult[Neighbor]:
    """IOS (``Local Intf:``) and NX-OS (``Local Port id:``) LLDP detail; our own parser, as the
    ntc-templates ones reject a whole output on one unexpected line and need column 0."""
    result: ParseResult[Neighbor] = ParseResult()
    for b in _blocks(text, ("local intf", "chassis id", "local port id")):
        if "chassis id" not in b and "port id" not in b:
            continue  # banner / legend / summary header
        local = b.get("local intf") or b.get("local port id") or ""
        if not local:
            # Older IOS prints no local port in the detail output (NAPALM pairs it with the
            # summary table): such an entry cannot be placed on a port; counted, not guessed.
            result.skip("LLDP entry without a local interface", b.get("chassis id", ""))
            continue
        chassis = _advertised(b.get("chassis id"))
        peer_mac = _advertised(b.get("peer source mac"))
        name = _advertised(b.get("system name")) or chassis or peer_mac
        if not name or " " in local:
            result.skip("LLDP neighbour without a name", local)
            continue
        caps = _advertised(b.get("enabled capabilities")) or _advertised(b.get("system capabilities"))
        result.records.append(
            Neighbor(
                local_interface=_canon(local, platform),
                remote_name=name,
                remote_port=_remote_port(_advertised(b.get("port id")), _advertised(b.get("port description"))),
                capabilities=capability_words(caps),
                protocol="lldp",
                remote_mac=mac_or_none(chassis) or mac_or_none(peer_mac),
            )
        )
    return result


def parse_cdp_text(text: str, platform: str) -> ParseResult[Neighbor]:
    """IOS and NX-OS CDP detail; our own parser (ntc-templates loses the local interface when
    the remote port is empty and drops entries after an unexpected line)."""
    result: ParseResult[Neighbor] = ParseResult()
    for b in _blocks(text, ("device id",)):
        if "device id" not in b:
            continue
        name = _NXOS_SERIAL.sub("", b["device id"]).strip()
        intf = _CDP_INTERFACE.search("Interface: " + b.get("interface", ""))
        if not name or intf is None:
            result.skip("CDP entry without device id or interface", name)
            continue
        caps = b.get("capabilities", "")
        plat = _CDP_PLATFORM.search("Platform: " + b.get("platform", ""))
        if plat:
            caps = plat.group("caps")
        result.records.append(
            Neighbor(
                local_interface=_canon(intf.group("local"), platform),
                remote_name=name,
                remote_port=intf.group("port").strip(),
                capabilities=capability_words(caps),
                protocol="cdp",
            )
        )
    return result


def _parse_neighbors(platform: str) -> _Parser[Neighbor]:
    @placed_neighbors
    def parse(outputs: Mapping[str, str], switch: str) -> ParseResult[Neighbor]:
        result: ParseResult[Neighbor] = ParseResult()
        for cmd, text in _outputs_for(outputs, (LLDP, CDP), switch):
            part = parse_lldp_text(text, platform) if cmd == LLDP else parse_cdp_text(text, platform)
            result.records.extend(part.records)
            result.skipped += part.skipped
            result.warnings.extend(part.warnings)
        return result

    return parse


# --------------------------------------------------------------------------- ports


class _PortAcc:
    __slots__ = ("access_vlan", "description", "enabled", "is_lag", "lag", "mode", "name", "trunk_vlans")

    def __init__(self, name: str) -> None:
        self.name = name
        self.mode = "unknown"
        self.access_vlan: Optional[int] = None
        self.description = ""
        self.enabled = True
        self.lag: Optional[str] = None
        self.is_lag = False
        self.trunk_vlans: Tuple[int, ...] = ()

    def record(self) -> PortInfo:
        return PortInfo(
            self.name,
            self.mode,
            self.access_vlan,
            self.description,
            self.enabled,
            self.lag,
            self.is_lag,
            self.trunk_vlans,
        )


_LAG_NAME = re.compile(r"^(po|port-channel|portchannel)\d+$", re.IGNORECASE)


def _mode_word(text: str) -> str:
    t = text.lower()
    if "trunk" in t or "tunnel" in t or "fex-fabric" in t:
        return "trunk"
    if "access" in t or "private-vlan host" in t:
        return "access"
    return "unknown"


def parse_switchport_text(text: str, platform: str) -> ParseResult[Dict[str, Any]]:
    """Blocks starting at ``Name:``; returns one dict per interface (merged later)."""
    result: ParseResult[Dict[str, Any]] = ParseResult()
    cur: Optional[Dict[str, Any]] = None
    last_key = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("Name:"):
            name = stripped[5:].strip()
            if not name or " " in name:
                result.skip("invalid interface name", line)
                cur = None
                continue
            cur = {"name": _canon(name, platform), "trunk_text": ""}
            result.records.append(cur)
            last_key = "name"
            continue
        if cur is None:
            continue
        key, sep, value = stripped.partition(":")
        if not sep:
            if last_key == "trunk" and re.match(r"^[\d,\- ]+$", stripped):
                cur["trunk_text"] += stripped
            continue
        key = key.strip().lower()
        value = value.strip()
        last_key = ""
        if key == "switchport":
            cur["switchport"] = value.lower().startswith("enabled")
        elif key == "administrative mode":
            cur["admin_mode"] = value
        elif key == "operational mode":
            cur["oper_mode"] = value
            bundle = re.search(r"member of bundle\s+(\S+?)\)?$", value)
            if bundle:
                cur["lag"] = _canon(bundle.group(1), platform)
        elif key == "access mode vlan":
            cur["access_vlan"] = to_vlan(value.split()[0] if value else "")
        elif key in ("trunking vlans enabled", "trunking vlans allowed"):
            cur["trunk_text"] = value
            last_key = "trunk"
    return result


def _apply_switchport(acc: _PortAcc, sp: Mapping[str, Any]) -> None:
    if sp.get("switchport") is False:
        acc.mode = "routed"
        acc.access_vlan = None
        return
    oper = str(sp.get("oper_mode", ""))
    mode = _mode_word(oper)
    if mode == "unknown":
        mode = _mode_word(str(sp.get("admin_mode", "")))
    acc.mode = mode
    if mode == "access":
        acc.access_vlan = sp.get("access_vlan")
    trunk_text = str(sp.get("trunk_text", "")).strip()
    if mode == "trunk" and trunk_text and trunk_text.upper() != "ALL":
        vlans = parse_vlan_list(trunk_text)
        # () means "all VLANs" (or not known), as for "ALL": no 4094-element lists per port.
        acc.trunk_vlans = () if len(vlans) >= 4094 else tuple(vlans)
    if sp.get("lag"):
        acc.lag = str(sp["lag"])


def _parse_ports(platform: str, commands: Tuple[str, str, str]) -> _Parser[PortInfo]:
    sw_cmd, status_cmd, lag_cmd = commands

    def parse(outputs: Mapping[str, str], switch: str) -> ParseResult[PortInfo]:
        result: ParseResult[PortInfo] = ParseResult()
        ports: Dict[str, _PortAcc] = {}

        def get(name: str) -> _PortAcc:
            acc = ports.get(name)
            if acc is None:
                acc = ports[name] = _PortAcc(name)
                if _LAG_NAME.match(name):
                    acc.is_lag = True
            return acc

        collected = dict(_outputs_for(outputs, (sw_cmd, status_cmd, lag_cmd), switch))
        status_modes: Dict[str, str] = {}
        if status_cmd in collected and collected[status_cmd].strip():
            for row in _ntc_rows(platform, status_cmd, collected[status_cmd], result):
                port = str(first(row, "port"))
                if not port:
                    result.skip("status row without port", str(row))
                    continue
                if not any(ch.isdigit() for ch in port):  # every Cisco interface has a number
                    result.skip("status row without an interface name", str(row)[:80])
                    continue
                acc = get(_canon(port, platform))
                desc = str(first(row, "name"))
                acc.description = "" if desc == "--" else desc
                status = str(first(row, "status")).lower()
                acc.enabled = not (status.startswith("disabled") or status in ("sfpabsent", "xcvrabsen", "adm-down"))
                vlan_col = str(first(row, "vlan_id", "vlan")).lower()
                if vlan_col == "trunk":
                    status_modes[acc.name] = "trunk"
                elif vlan_col == "routed":
                    status_modes[acc.name] = "routed"
                elif to_vlan(vlan_col) is not None:
                    status_modes[acc.name] = "access"
                    acc.access_vlan = to_vlan(vlan_col)
        if sw_cmd in collected:
            part = parse_switchport_text(collected[sw_cmd], platform)
            result.skipped += part.skipped
            result.warnings.extend(part.warnings)
            for sp in part.records:
                _apply_switchport(get(str(sp["name"])), sp)
        for name, mode in status_modes.items():
            acc = ports[name]
            if acc.mode == "unknown":
                acc.mode = mode
                if mode != "access":
                    acc.access_vlan = None
        if lag_cmd in collected and collected[lag_cmd].strip():
            for row in _ntc_rows(platform, lag_cmd, collected[lag_cmd], result):
                bundle = str(first(row, "bundle_name"))
                if not bundle:
                    result.skip("port-channel row without a name", str(row))
                    continue
                agg = get(_canon(bundle, platform))
                agg.is_lag = True
                members = row.get("member_interface") or []
                for member in members if isinstance(members, list) else [members]:
                    if member and member != "--":
                        get(_canon(str(member), platform)).lag = agg.name
        result.records.extend(acc.record() for acc in ports.values())
        return result

    return parse


def _spec(
    platform: str, arp: str, nxos_layout: bool, ports: Tuple[str, str, str], mac_aliases: Tuple[str, ...] = ()
) -> ParserSpec:
    return ParserSpec(
        commands={"mac_table": (MAC,), "arp": (arp,), "neighbors": (LLDP, CDP), "ports": ports},
        parse_mac_table=_parse_mac_table(platform, (MAC, *mac_aliases)),
        parse_arp=_parse_arp(platform, arp, nxos_layout),
        parse_neighbors=_parse_neighbors(platform),
        parse_ports=_parse_ports(platform, ports),
        # a switch without LLDP (or CDP, or port-channels) answers the command with an error: tolerated
        optional=(LLDP, CDP, ports[2]),
    )


SPECS: Dict[str, ParserSpec] = {
    IOS: _spec(IOS, IOS_ARP, False, IOS_PORTS, mac_aliases=(MAC_OLD,)),
    NXOS: _spec(NXOS, NXOS_ARP, True, NXOS_PORTS),
}
