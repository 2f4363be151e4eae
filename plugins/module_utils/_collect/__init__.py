# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect one switch: run the platform's commands through the seam, parse, normalise.

``collect(transport, platform_key, switch)`` is the only entry point the inventory plugin and
the ``mac_table_info`` module use. It returns a ``SwitchData`` whose records follow the contract
in ``_records``. Failures are ``DeviceError`` naming the switch and the command.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import replace
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    GETTERS,
    ParseResult,
    device_error,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import SnmpTarget
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    collect_target as snmp_collect_target,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (
    Credentials,
    NetmikoTransport,
    Target,
    Transport,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import is_local_or_multicast, mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._platforms import Platform, get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    CamguardError,
    DeviceError,
    MacEntry,
    ParseError,
    SwitchData,
)


def _parser_for(platform: Platform, getter: str) -> Callable[[Mapping[str, str], str], ParseResult[Any]]:
    spec = PARSERS[platform.key]
    fn: Callable[[Mapping[str, str], str], ParseResult[Any]] = {
        "mac_table": spec.parse_mac_table,
        "arp": spec.parse_arp,
        "neighbors": spec.parse_neighbors,
        "ports": spec.parse_ports,
    }[getter]
    return fn


def run_commands(
    transport: Transport, platform: Platform, switch: str, getters: Sequence[str]
) -> Tuple[Dict[str, str], List[str]]:
    """Run every command the getters need once; returns outputs and warnings.

    A failing optional command (e.g. CDP on a switch without it) becomes a warning and is left
    out of the outputs; a failing required command raises ``DeviceError``.
    """
    outputs: Dict[str, str] = {}
    warnings: List[str] = []
    optional = set(PARSERS[platform.key].optional)
    for getter in getters:
        for cmd in PARSERS[platform.key].commands.get(getter, ()):
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
    data = SwitchData(switch=switch, platform=platform.key)
    for getter in getters:
        needed = list(PARSERS[platform.key].commands.get(getter, ()))
        sub = {c: outputs[c] for c in needed if c in outputs}
        required = [c for c in needed if c not in PARSERS[platform.key].optional]
        if any(c not in sub for c in required):
            missing = [c for c in required if c not in sub]
            raise DeviceError(switch, f"no output for required command(s) {missing}", command=missing[0])
        try:
            result = _parser_for(platform, getter)(sub, switch)
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


def collect(transport: Transport, platform_key: str, switch: str, getters: Sequence[str] = GETTERS) -> SwitchData:
    """Run and parse every getter for one switch through ``transport``."""
    platform = get_platform(platform_key)
    outputs, warnings = run_commands(transport, platform, switch, getters)
    data = parse_outputs(platform, switch, outputs, getters)
    data.warnings[:0] = warnings
    return data


def open_transport(target: Target) -> Transport:
    """The real transport for ``target`` according to its platform and backend."""
    platform = get_platform(target.platform)
    backend = target.backend or platform.default_backend
    if backend == "auto":  # SNMP reads (collect_target); a session, as for isolation, is CLI
        backend = platform.default_backend
    if backend == "snmp":
        raise DeviceError(target.name, "backend snmp only reads: a CLI session needs backend netmiko, napalm or linux")
    if backend not in platform.backends:
        raise DeviceError(
            target.name, f"backend {backend!r} is not available for {platform.key}; choose one of {platform.backends}"
        )
    if backend == "napalm":
        from ansible_collections.camguard.network.plugins.module_utils._collect.napalm_transport import NapalmTransport

        napalm_transport: Transport = NapalmTransport(target, platform)
        return napalm_transport
    return NetmikoTransport(target, platform.netmiko_device_type)


def collect_target(target: Target, getters: Sequence[str] = GETTERS) -> Tuple[SwitchData, float]:
    """Connect, collect, close. Returns the data and the seconds it took."""
    if isinstance(target, SnmpTarget):  # backend snmp, or auto with SNMP credentials set
        return snmp_collect_target(target, getters)
    started = time.monotonic()
    transport = open_transport(target)
    try:
        collector = getattr(transport, "collect", None)
        if callable(collector):  # the NAPALM transport collects through getters
            data = collector(target.name, getters)
        else:
            data = collect(transport, target.platform, target.name, getters)
    finally:
        transport.close()
    return data, time.monotonic() - started


def endpoint_macs(data: SwitchData) -> List[MacEntry]:
    """Entries that can be endpoints: learned on a port, unicast, not the switch's own."""
    out = []
    for m in data.macs:
        if m.kind == "self" or not m.interface:
            continue
        try:
            if (mac_to_int(m.mac) >> 40) & 0x01:
                continue
        except CamguardError:
            continue
        out.append(m)
    return out


def target_from_params(
    name: str,
    host: str,
    platform: str,
    port: int = 22,
    username: str = "",
    password: Optional[str] = None,
    private_key_file: Optional[str] = None,
    connect_timeout: float = 10.0,
    command_timeout: float = 30.0,
    host_key_checking: bool = True,
    known_hosts_file: Optional[str] = None,
    backend: Optional[str] = None,
    secret: Optional[str] = None,
) -> Target:
    return Target(
        name=name,
        host=host,
        platform=get_platform(platform).key,
        port=int(port),
        credentials=Credentials(username=username, password=password, private_key_file=private_key_file, secret=secret),
        connect_timeout=float(connect_timeout),
        command_timeout=float(command_timeout),
        host_key_checking=bool(host_key_checking),
        known_hosts_file=known_hosts_file,
        backend=backend,
    )


__all__ = [
    "collect",
    "collect_target",
    "endpoint_macs",
    "is_local_or_multicast",
    "open_transport",
    "own_macs",
    "parse_outputs",
    "run_commands",
    "target_from_params",
]
