# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Platforms as data: THE table of per-platform facts, on the ground floor of ``module_utils``.

One row per platform key: its netmiko device type and NAPALM driver, which backends can read it,
how its CLI prompt is read, and, where camguard can isolate on it, how a change is committed, how
the running configuration is read and saved, which line grammar its rendered lines must match and
how a port's ACL binding reads in its configuration. This module is pure data: it imports only the
record types, and code elsewhere looks facts up here instead of branching on a platform's name.
The parsers are registered by the same keys in ``_collect.parsers.PARSERS``; the commands that
collect each getter are in the parser's ``ParserSpec``, next to the code that reads their output
(the isolation commands, read by code shared across platforms, are here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._records import UnsupportedPlatformError

# Commit models (``Isolation.commit_model``), one session class each in ``_isolate.session``:
CONFIG_MODE = "config_mode"  # config mode, lines, exit; the configuration is saved after verify
CONFIG_SESSION = "config_session"  # ``configure session NAME``, lines, ``commit`` (``abort`` on error)
COMMIT_CONFIRMED = "commit_confirmed"  # candidate, ``commit confirmed``, verify, ``commit``
SHELL = "shell"  # each line a shell command whose exit status is checked
COMMIT_MODELS = (CONFIG_MODE, CONFIG_SESSION, COMMIT_CONFIRMED, SHELL)

# How the configuration that ``Isolation.running_config`` reads is laid out (``_isolate.readback``):
INTERFACE_BLOCKS = "interface_blocks"  # ``interface X`` then indented lines (IOS-like)
SET_LINES = "set_lines"  # ``set interfaces X ...`` (Junos ``display set``)
NFTABLES = "nftables"  # ``ip``/``bridge`` state and an nftables table (Linux)
CONFIG_FORMATS = (INTERFACE_BLOCKS, SET_LINES, NFTABLES)


@dataclass(frozen=True)
class Isolation:
    """How camguard changes a port on this platform (present only where isolation is supported)."""

    commit_model: str
    running_config: Tuple[str, ...]
    config_format: str
    grammar: str  # the key of the allowed-line grammar in ``_isolate.render``
    save_command: Optional[str] = None  # after a verified change; None: the commit model persists it
    # the interface line that binds the camguard ACL, as a regular expression with ``{acl}`` for
    # the ACL's name (``interface_blocks`` configurations)
    acl_bind: Optional[str] = None


@dataclass(frozen=True)
class Platform:
    key: str
    description: str
    tier: int
    netmiko_device_type: str
    napalm_driver: Optional[str]
    default_backend: str = "netmiko"  # netmiko | napalm | linux
    quirks: Mapping[str, object] = field(default_factory=dict)
    # backends that can read this platform; () means netmiko, and NAPALM where a driver is named
    backend_choices: Tuple[str, ...] = ()
    # command output is read until the host's own prompt on a line of its own (tested on a real
    # SSH lab); False keeps netmiko's default prompt search
    anchored_prompt: bool = False
    # NAPALM's commit_config(revert_in=...) works for this driver (commit confirm)
    napalm_commit_confirm: bool = False
    isolation: Optional[Isolation] = None

    @property
    def backends(self) -> Tuple[str, ...]:
        if self.backend_choices:
            return self.backend_choices
        return ("netmiko", "napalm") if self.napalm_driver else ("netmiko",)


_SHOW_RUN = ("show running-config",)


def _cli(save: Optional[str], acl_bind: str, grammar: str, model: str = CONFIG_MODE) -> Isolation:
    return Isolation(model, _SHOW_RUN, INTERFACE_BLOCKS, grammar, save, acl_bind)


PLATFORMS: Dict[str, Platform] = {
    p.key: p
    for p in (
        Platform(
            "cisco_ios",
            "Cisco IOS and IOS-XE (Catalyst)",
            1,
            "cisco_ios",
            "ios",
            anchored_prompt=True,
            napalm_commit_confirm=True,
            isolation=_cli("write memory", r"^\s+ip access-group {acl} in\s*$", "cisco_ios"),
        ),
        Platform(
            "cisco_nxos",
            "Cisco NX-OS (Nexus)",
            1,
            "cisco_nxos",
            "nxos_ssh",
            anchored_prompt=True,
            isolation=_cli(
                "copy running-config startup-config", r"^\s+ip port access-group {acl} in\s*$", "cisco_nxos"
            ),
        ),
        Platform(
            "arista_eos",
            "Arista EOS",
            1,
            "arista_eos",
            "eos",
            quirks={"napalm_optional_args": {"transport": "ssh"}},
            anchored_prompt=True,
            napalm_commit_confirm=True,
            isolation=_cli("write memory", r"^\s+ip access-group {acl} in\s*$", "arista_eos", CONFIG_SESSION),
        ),
        Platform(
            "juniper_junos",
            "Juniper Junos (EX/QFX, ELS and non-ELS)",
            1,
            "juniper_junos",
            "junos",
            quirks={"napalm_needs_netconf": True},
            anchored_prompt=True,
            napalm_commit_confirm=True,
            isolation=Isolation(COMMIT_CONFIRMED, ("show configuration | display set",), SET_LINES, "juniper_junos"),
        ),
        Platform(
            "aruba_aoscx",
            "Aruba AOS-CX",
            1,
            "aruba_aoscx",
            None,
            anchored_prompt=True,
            isolation=_cli("write memory", r"^\s+apply access-list ip {acl} in\s*$", "aruba_aoscx"),
        ),
        Platform(
            "hp_procurve",
            "HPE Aruba ProCurve / AOS-Switch",
            1,
            "hp_procurve",
            None,
            anchored_prompt=True,
            isolation=_cli("write memory", r"^\s+ip access-group \"?{acl}\"? in\s*$", "hp_procurve"),
        ),
        Platform(
            "linux_bridge",
            "Linux bridge (Cumulus, SONiC-like, the lab)",
            1,
            "linux",
            None,
            default_backend="linux",
            backend_choices=("linux", "netmiko"),
            anchored_prompt=True,
            isolation=Isolation(
                SHELL,
                ("/usr/sbin/ip -d link show", "/usr/sbin/bridge link show", "/usr/sbin/nft list table bridge camguard"),
                NFTABLES,
                "linux_bridge",
            ),
        ),
        Platform("hp_comware", "HPE Comware (H3C)", 2, "hp_comware", None),
        Platform("huawei_vrp", "Huawei VRP", 2, "huawei", None),
        Platform("dell_os10", "Dell EMC OS10", 2, "dell_os10", None),
        Platform(
            "ruckus_fastiron",
            "Ruckus / Brocade FastIron (ICX)",
            2,
            "ruckus_fastiron",
            None,
        ),
        Platform("extreme_exos", "Extreme EXOS", 2, "extreme_exos", None),
    )
}

# Aliases users write in inventories (ansible_network_os values and netmiko names).
ALIASES: Dict[str, str] = {
    "ios": "cisco_ios",
    "cisco.ios.ios": "cisco_ios",
    "cisco_xe": "cisco_ios",
    "iosxe": "cisco_ios",
    "nxos": "cisco_nxos",
    "cisco.nxos.nxos": "cisco_nxos",
    "eos": "arista_eos",
    "arista.eos.eos": "arista_eos",
    "junos": "juniper_junos",
    "juniper": "juniper_junos",
    "junipernetworks.junos.junos": "juniper_junos",
    "aoscx": "aruba_aoscx",
    "arubanetworks.aoscx.aoscx": "aruba_aoscx",
    "procurve": "hp_procurve",
    "arubaoss": "hp_procurve",
    "arubanetworks.aos_switch.arubaoss": "hp_procurve",
    "comware": "hp_comware",
    "huawei": "huawei_vrp",
    "vrp": "huawei_vrp",
    "ce": "huawei_vrp",
    "os10": "dell_os10",
    "dellemc.os10.os10": "dell_os10",
    "icx": "ruckus_fastiron",
    "fastiron": "ruckus_fastiron",
    "exos": "extreme_exos",
    "linux": "linux_bridge",
    "cumulus": "linux_bridge",
}


def get_platform(key: str) -> Platform:
    """The platform for ``key`` (or one of its aliases); the error lists the supported ones."""
    k = (key or "").strip().lower()
    k = ALIASES.get(k, k)
    try:
        return PLATFORMS[k]
    except KeyError:
        raise UnsupportedPlatformError(
            f"unsupported platform {key!r}; supported: {', '.join(sorted(PLATFORMS))} "
            f"(aliases: {', '.join(sorted(ALIASES))})"
        ) from None


def isolation_platforms() -> Tuple[str, ...]:
    """The platform keys camguard can isolate on, in table order."""
    return tuple(k for k, p in PLATFORMS.items() if p.isolation is not None)
