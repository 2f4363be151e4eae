# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Platforms as data: one table maps a platform key to its netmiko device type, NAPALM driver,
commands, parsers and quirks. Nothing else in the collection branches on the platform name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._records import UnsupportedPlatformError


@dataclass(frozen=True)
class Platform:
    key: str
    description: str
    tier: int
    netmiko_device_type: str
    napalm_driver: Optional[str]
    default_backend: str = "netmiko"  # netmiko | napalm | linux
    napalm_getters_reliable: Tuple[str, ...] = ()
    quirks: Mapping[str, object] = field(default_factory=dict)

    @property
    def backends(self) -> Tuple[str, ...]:
        if self.key == "linux_bridge":
            return ("linux",)
        return ("netmiko", "napalm") if self.napalm_driver else ("netmiko",)


PLATFORMS: Dict[str, Platform] = {
    p.key: p
    for p in (
        Platform(
            "cisco_ios",
            "Cisco IOS and IOS-XE (Catalyst)",
            1,
            "cisco_ios",
            "ios",
            napalm_getters_reliable=("mac_table", "arp"),
        ),
        Platform(
            "cisco_nxos",
            "Cisco NX-OS (Nexus)",
            1,
            "cisco_nxos",
            "nxos_ssh",
            napalm_getters_reliable=("mac_table", "arp"),
        ),
        Platform(
            "arista_eos",
            "Arista EOS",
            1,
            "arista_eos",
            "eos",
            quirks={"napalm_optional_args": {"transport": "ssh"}},
        ),
        Platform(
            "juniper_junos",
            "Juniper Junos (EX/QFX, ELS and non-ELS)",
            1,
            "juniper_junos",
            "junos",
            quirks={"napalm_needs_netconf": True},
        ),
        Platform("aruba_aoscx", "Aruba AOS-CX", 1, "aruba_aoscx", None),
        Platform("hp_procurve", "HPE Aruba ProCurve / AOS-Switch", 1, "hp_procurve", None),
        Platform(
            "linux_bridge",
            "Linux bridge (Cumulus, SONiC-like, the lab)",
            1,
            "linux",
            None,
            default_backend="linux",
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
