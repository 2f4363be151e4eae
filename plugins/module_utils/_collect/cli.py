# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CLI path of collection: the platform's commands through the seam, their outputs through
the platform's parsers, one ``SwitchData``.

``run_commands`` sends each command a getter needs once (netmiko, the linux backend, and the
NAPALM backend's ``cli()`` for port modes); ``parse_outputs`` is pure (recorded outputs in,
records out: tests, the replay transport and the cache use it); ``own_macs`` picks the switch's
own MACs out of its MAC table.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    GETTERS,
    device_error,
    printable,
    printable_record,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._platforms import Platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    CamguardError,
    DeviceError,
    MacEntry,
    ParseError,
    SwitchData,
)


def _fatal_commands(platform: Platform, getters: Sequence[str]) -> Set[str]:
    """The commands whose failure drops the switch: the required commands of its MAC table.

    Every other getter (ARP, neighbours, ports) degrades instead: a device that makes one of
    them unreadable, by accident or on purpose (a neighbour announcing control characters), must
    never hide the switch's MAC table and with it every device on the switch."""
    spec = PARSERS[platform.key]
    if "mac_table" not in getters:
        return set()
    return {c for c in spec.commands.get("mac_table", ()) if c not in spec.optional}


def _send(transport: Transport, command: str) -> Tuple[str, Optional[str]]:
    """(output, the device's error line, printable, or None)."""
    out = transport.send_command(command)
    err = device_error(out)
    return out, printable(err) if err is not None else None


def run_commands(
    transport: Transport, platform: Platform, switch: str, getters: Sequence[str]
) -> Tuple[Dict[str, str], List[str]]:
    """Run every command the getters need once; returns outputs and warnings.

    Where the platform offers a structured form of a command that its parser reads
    (``ParserSpec.structured``: EOS ``| json``, Junos ``| display xml``), that form is sent first
    and its output kept under its own name; when the device rejects it (an older release, a
    command without a JSON model), the text command is sent instead.

    A failing optional command (e.g. CDP on a switch without it) becomes a warning and is left
    out of the outputs; so does a failing command of any getter but the MAC table (that getter
    then degrades, see ``parse_outputs``). A failing required MAC table command raises
    ``DeviceError``.
    """
    spec = PARSERS[platform.key]
    outputs: Dict[str, str] = {}
    warnings: List[str] = []
    optional = set(spec.optional)
    fatal = _fatal_commands(platform, getters)
    done: Set[str] = set()
    for getter in getters:
        for cmd in spec.commands.get(getter, ()):
            if cmd in done:
                continue
            done.add(cmd)
            alt = spec.structured.get(cmd)
            if alt is not None:
                try:
                    out, err = _send(transport, alt)
                except DeviceError:  # the NAPALM seam raises where a CLI prints the error
                    out, err = "", "rejected"
                if err is None:
                    outputs[alt] = out
                    continue
            try:
                out, err = _send(transport, cmd)
            except DeviceError as exc:
                if cmd in fatal:
                    raise
                out, err = "", str(exc)
            if err is not None:
                if cmd in optional:
                    warnings.append(f"{switch}: optional command {cmd!r} not available: {err}")
                    continue
                if cmd not in fatal:
                    warnings.append(f"{switch}: {getter}: command {cmd!r} failed: {err}")
                    continue
                raise DeviceError(switch, f"device rejected the command: {err}", command=cmd)
            outputs[cmd] = out
    return outputs, warnings


# What the edge-port evidence says (``SwitchData.limits``, quoted by ``_locate``) when a getter
# could not be read: the port's mode, its neighbours.
_LIMIT_OF = {"ports": ("mode", "port mode unreadable"), "neighbors": ("neighbors", "LLDP/CDP neighbours unreadable")}


def degrade(data: SwitchData, getter: str, reason: str) -> None:
    """Record that ``getter`` could not be read: a warning and, where the evidence quotes it, a limit."""
    reason = printable(reason)
    data.warnings.append(f"{data.switch}: {getter}: not read, the switch is reported without it: {reason[:300]}")
    limit = _LIMIT_OF.get(getter)
    if limit is not None:
        data.limits.setdefault(limit[0], f"{limit[1]} ({reason[:120]})")


def parse_outputs(
    platform: Platform, switch: str, outputs: Mapping[str, str], getters: Sequence[str] = GETTERS
) -> SwitchData:
    """Pure: recorded outputs of one switch -> ``SwitchData`` (used by tests and the cache).

    The MAC table must be readable (its outputs there and parseable), or ``DeviceError`` names
    the switch and the command. Every other getter degrades: a missing output, a device error or
    an unparseable output leaves its records empty with a warning (and a limit the edge-port
    evidence quotes), and the switch is still reported. Device text in the records is made
    printable (``printable_record``).
    """
    spec = PARSERS[platform.key]
    data = SwitchData(switch=switch, platform=platform.key)
    for getter in getters:
        needed = list(spec.commands.get(getter, ()))
        sub: Dict[str, str] = {}
        for c in needed:
            key = spec.output_key(c, outputs)
            if key is not None:
                sub[key] = outputs[key]
        required = [c for c in needed if c not in spec.optional]
        missing = [c for c in required if spec.output_key(c, sub) is None]
        if missing:
            if getter == "mac_table":
                raise DeviceError(switch, f"no output for required command(s) {missing}", command=missing[0])
            degrade(data, getter, f"no output for {', '.join(repr(c) for c in missing)}")
            continue
        try:
            result = spec.parser(getter)(sub, switch)
        except ParseError as exc:
            if getter == "mac_table":
                raise DeviceError(switch, f"cannot parse {getter} output: {exc}", command=", ".join(needed)) from None
            degrade(data, getter, f"cannot parse the output: {exc}")
            continue
        except DeviceError as exc:
            if getter == "mac_table":
                raise
            degrade(data, getter, str(exc))
            continue
        except Exception as exc:  # a parser fault on one getter must not hide the switch
            if getter == "mac_table":
                raise
            degrade(data, getter, f"parser error ({type(exc).__name__})")
            continue
        data.skipped_rows += result.skipped
        data.warnings.extend(f"{switch}: {getter}: {printable(w)}" for w in result.warnings)
        records = [printable_record(r) for r in result.records]
        if getter == "mac_table":
            data.macs = [m if m.switch == switch else replace(m, switch=switch) for m in records]
        elif getter == "arp":
            data.arp = _valid_arp(records, data)
        elif getter == "neighbors":
            data.neighbors = list(records)
        elif getter == "ports":
            data.ports = list(records)
    data.own_macs = sorted(own_macs(data.macs))
    return data


def _valid_arp(entries: Sequence[ArpEntry], data: SwitchData) -> List[ArpEntry]:
    """ARP entries whose address is a valid IP (in its canonical text form); others are skipped.

    Parsers match addresses loosely (``\\d{1,3}`` dotted quads); this is the one strict check
    before the records leave the collector."""
    out: List[ArpEntry] = []
    for a in entries:
        try:
            ip = str(ipaddress.ip_address(a.ip))
        except ValueError:
            data.skipped_rows += 1
            if len(data.warnings) < 40:
                data.warnings.append(f"{data.switch}: arp: invalid IP address {a.ip[:40]!r}")
            continue
        out.append(a if ip == a.ip else replace(a, ip=ip))
    return out


def own_macs(entries: Sequence[MacEntry]) -> List[str]:
    """The switch's own unicast MACs (CPU/Router/Self rows) — used to recognise uplinks."""
    out = set()
    for m in entries:
        if m.kind == "self":
            try:
                if not (mac_to_int(m.mac) >> 40) & 0x01:
                    out.add(m.mac)
            except CamguardError:
                continue
    return sorted(out)
