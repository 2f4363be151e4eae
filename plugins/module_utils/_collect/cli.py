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
from typing import Dict, List, Mapping, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS, device_error
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


def run_commands(
    transport: Transport, platform: Platform, switch: str, getters: Sequence[str]
) -> Tuple[Dict[str, str], List[str]]:
    """Run every command the getters need once; returns outputs and warnings.

    A failing optional command (e.g. CDP on a switch without it) becomes a warning and is left
    out of the outputs; a failing required command raises ``DeviceError``.
    """
    spec = PARSERS[platform.key]
    outputs: Dict[str, str] = {}
    warnings: List[str] = []
    optional = set(spec.optional)
    for getter in getters:
        for cmd in spec.commands.get(getter, ()):
            if cmd in outputs:
                continue
            out = transport.send_command(cmd)
            err = device_error(out)
            if err is not None:
                if cmd in optional:
                    warnings.append(f"{switch}: optional command {cmd!r} not available: {err}")
                    continue
                raise DeviceError(switch, f"device rejected the command: {err}", command=cmd)
            outputs[cmd] = out
    return outputs, warnings


def parse_outputs(
    platform: Platform, switch: str, outputs: Mapping[str, str], getters: Sequence[str] = GETTERS
) -> SwitchData:
    """Pure: recorded outputs of one switch -> ``SwitchData`` (used by tests and the cache)."""
    spec = PARSERS[platform.key]
    data = SwitchData(switch=switch, platform=platform.key)
    for getter in getters:
        needed = list(spec.commands.get(getter, ()))
        sub = {c: outputs[c] for c in needed if c in outputs}
        required = [c for c in needed if c not in spec.optional]
        if any(c not in sub for c in required):
            missing = [c for c in required if c not in sub]
            raise DeviceError(switch, f"no output for required command(s) {missing}", command=missing[0])
        try:
            result = spec.parser(getter)(sub, switch)
        except ParseError as exc:
            raise DeviceError(switch, f"cannot parse {getter} output: {exc}", command=", ".join(needed)) from None
        data.skipped_rows += result.skipped
        data.warnings.extend(f"{switch}: {getter}: {w}" for w in result.warnings)
        if getter == "mac_table":
            data.macs = [m if m.switch == switch else replace(m, switch=switch) for m in result.records]
        elif getter == "arp":
            data.arp = _valid_arp(result.records, data)
        elif getter == "neighbors":
            data.neighbors = list(result.records)
        elif getter == "ports":
            data.ports = list(result.records)
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
