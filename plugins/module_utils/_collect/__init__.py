# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stage 1, collect: one switch in, its normalised records out.

Takes a ``Target`` (a switch: address, platform key, credentials, backend) or an open
``Transport``; gives a ``SwitchData`` (MAC table, ARP, neighbours, ports, the switch's own MACs,
skipped rows and warnings) whose records follow the contract in ``_records``. Failures are
``DeviceError`` naming the switch and the command, never with a secret in them.

``collect_target(target)`` (connect, collect, close) is what the inventory plugin and the
``mac_table_info`` module use; ``collect(transport, platform_key, switch)`` runs the CLI path over
an open seam; ``parse_outputs`` is the same without a device (recorded outputs). Inside:
``transport`` (the I/O seam), ``cli`` (commands -> parsers -> ``SwitchData``), ``napalm`` (the
NAPALM backend), ``snmp`` (the SNMP backend: MIB tables through ``parsers.mib``), ``parsers``
(one module per platform family), ``args`` and ``task`` (the ``mac_table_info`` module's
options and body).
"""

from __future__ import annotations

import time
from typing import Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.cli import own_macs, parse_outputs, run_commands
from ansible_collections.camguard.network.plugins.module_utils._collect.napalm import NapalmTransport
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import SnmpTarget
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    collect_target as snmp_collect_target,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (
    NetmikoTransport,
    Target,
    Transport,
    target_from_params,
)
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, SwitchData


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
        return NapalmTransport(target, platform)
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


__all__ = [
    "collect",
    "collect_target",
    "open_transport",
    "own_macs",
    "parse_outputs",
    "run_commands",
    "target_from_params",
]
