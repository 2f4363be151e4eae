# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Canonical interface names, per platform, so that MAC table, LLDP/CDP, switchport and ARP
data join (``Gi1/0/5`` == ``GigabitEthernet1/0/5``, ``Et1`` == ``Ethernet1``,
``ge-0/0/5.0`` == ``ge-0/0/5``, ``BAGG1`` == ``Bridge-Aggregation1`` ...).

Also the strict validator that every device-provided interface name passes before it can reach
a configuration template: device output must never be able to inject configuration.
"""

from __future__ import annotations

import re
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._records import InvalidInterfaceError

# Longest abbreviation first matters only for the prefix scan; the tables map a lower-case
# prefix (letters only) to the canonical long spelling.
_CISCO: Dict[str, str] = {
    "gigabitethernet": "GigabitEthernet",
    "gi": "GigabitEthernet",
    "gig": "GigabitEthernet",
    "ge": "GigabitEthernet",
    "fastethernet": "FastEthernet",
    "fa": "FastEthernet",
    "fas": "FastEthernet",
    "tengigabitethernet": "TenGigabitEthernet",
    "te": "TenGigabitEthernet",
    "ten": "TenGigabitEthernet",
    "twentyfivegige": "TwentyFiveGigE",
    "twe": "TwentyFiveGigE",
    "twogigabitethernet": "TwoGigabitEthernet",
    "tw": "TwoGigabitEthernet",
    "fivegigabitethernet": "FiveGigabitEthernet",
    "fi": "FiveGigabitEthernet",
    "fortygigabitethernet": "FortyGigabitEthernet",
    "fo": "FortyGigabitEthernet",
    "hundredgige": "HundredGigE",
    "hu": "HundredGigE",
    "twohundredgige": "TwoHundredGigE",
    "fourhundredgige": "FourHundredGigE",
    "fou": "FourHundredGigE",  # IOS-XE short form (Catalyst 9500X/9600X: Fou1/0/27)
    "appgigabitethernet": "AppGigabitEthernet",
    "ap": "AppGigabitEthernet",
    "ethernet": "Ethernet",
    "eth": "Ethernet",
    "et": "Ethernet",
    "port-channel": "Port-channel",
    "portchannel": "Port-channel",
    "po": "Port-channel",
    "vlan": "Vlan",
    "vl": "Vlan",
    "loopback": "Loopback",
    "lo": "Loopback",
    "tunnel": "Tunnel",
    "tu": "Tunnel",
    "management": "Management",
    "mgmt": "mgmt",
    "serial": "Serial",
    "se": "Serial",
    "bdi": "BDI",
    "nve": "nve",
}
_NXOS: Dict[str, str] = {
    "ethernet": "Ethernet",
    "eth": "Ethernet",
    "et": "Ethernet",
    "e": "Ethernet",
    "port-channel": "port-channel",
    "portchannel": "port-channel",
    "po": "port-channel",
    "vlan": "Vlan",
    "vl": "Vlan",
    "loopback": "loopback",
    "lo": "loopback",
    "mgmt": "mgmt",
    "nve": "nve",
    "tunnel": "Tunnel",
    "sup-eth": "sup-eth",
}
_EOS: Dict[str, str] = {
    "ethernet": "Ethernet",
    "eth": "Ethernet",
    "et": "Ethernet",
    "port-channel": "Port-Channel",
    "portchannel": "Port-Channel",
    "po": "Port-Channel",
    "vlan": "Vlan",
    "vl": "Vlan",
    "management": "Management",
    "ma": "Management",
    "loopback": "Loopback",
    "lo": "Loopback",
    "vxlan": "Vxlan",
    "vx": "Vxlan",
}
_COMWARE: Dict[str, str] = {
    "gigabitethernet": "GigabitEthernet",
    "ge": "GigabitEthernet",
    "ten-gigabitethernet": "Ten-GigabitEthernet",
    "xge": "Ten-GigabitEthernet",
    "fortygige": "FortyGigE",
    "fge": "FortyGigE",
    "hundredgige": "HundredGigE",
    "hge": "HundredGigE",
    "bridge-aggregation": "Bridge-Aggregation",
    "bagg": "Bridge-Aggregation",
    "route-aggregation": "Route-Aggregation",
    "ragg": "Route-Aggregation",
    "vlan-interface": "Vlan-interface",
    "vlan-int": "Vlan-interface",
    "vlanif": "Vlan-interface",
    "m-gigabitethernet": "M-GigabitEthernet",
    "mge": "M-GigabitEthernet",
    "m-ge": "M-GigabitEthernet",
    "twenty-fivegige": "Twenty-FiveGigE",
    "wge": "Twenty-FiveGigE",
    "vlan": "Vlan-interface",
    "loopback": "LoopBack",
    "loop": "LoopBack",
}
_VRP: Dict[str, str] = {
    "gigabitethernet": "GigabitEthernet",
    "ge": "GigabitEthernet",
    "xgigabitethernet": "XGigabitEthernet",
    "xge": "XGigabitEthernet",
    "25ge": "25GE",
    "40ge": "40GE",
    "100ge": "100GE",
    "ethernet": "Ethernet",
    "eth": "Ethernet",
    "eth-trunk": "Eth-Trunk",
    "vlanif": "Vlanif",
    "meth": "MEth",
    "loopback": "LoopBack",
    "nve": "Nve",
}
_OS10: Dict[str, str] = {
    "ethernet": "ethernet",
    "eth": "ethernet",
    "port-channel": "port-channel",
    "po": "port-channel",
    "vlan": "vlan",
    "mgmt": "mgmt",
    "loopback": "loopback",
}

_SPLIT = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*?)\s*(\d[\d/:.]*)$")
_JUNOS_UNIT = re.compile(r"^([a-z]{2,4}-\d+/\d+/\d+(?::\d+)?|ae\d+|reth\d+|irb|vlan|lo\d+|em\d+|fxp\d+|me\d+)(\.\d+)?$")
_FASTIRON_LG_VE = re.compile(r"^(lg|ve|v)\s*(\d+)$", re.I)
_FASTIRON_ETHERNET = re.compile(r"^(?:ethernet|ethe|eth|e)\s*(\d+(?:/\d+){0,2})$", re.I)


def _prefix_rule(table: Mapping[str, str]) -> Callable[[str], str]:
    """``Gi1/0/5`` -> ``GigabitEthernet1/0/5``: a known prefix becomes its long spelling."""

    def canon(s: str) -> str:
        m = _SPLIT.match(s)
        if not m:
            return s
        long_name = table.get(m.group(1).lower())
        return s if long_name is None else f"{long_name}{m.group(2)}"

    return canon


def _lag_rule(word: str, canon_word: str, then: Callable[[str], str] = lambda s: s) -> Callable[[str], str]:
    """Bare port numbers; aggregates named ``<word><n>`` (any case, spaces dropped) -> ``<canon_word><n>``."""

    def canon(s: str) -> str:
        low = s.lower().replace(" ", "")
        if low.startswith(word) and low[len(word) :].isdecimal():
            return f"{canon_word}{low[len(word) :]}"
        return then(s)

    return canon


def _junos(s: str) -> str:
    """``ge-0/0/5.0`` -> ``ge-0/0/5`` (unit 0 is the port); other units stay."""
    m = _JUNOS_UNIT.match(s)
    if m and (m.group(2) in (None, ".0")):
        return m.group(1)
    return s


def _fastiron(s: str) -> str:
    """``lg7`` -> ``lag7``, ``v10`` -> ``ve10``; ``ethe 1/1/1``, ``e1/1/1`` -> ``1/1/1``."""
    m_lg = _FASTIRON_LG_VE.match(s)
    if m_lg:
        return ("lag" if m_lg.group(1).lower() == "lg" else "ve") + m_lg.group(2)
    m2 = _FASTIRON_ETHERNET.match(s)
    return m2.group(1) if m2 else s


def _as_printed(s: str) -> str:
    return s


# How each platform names its interfaces (keys of ``_platforms.PLATFORMS``; ``cisco_xe`` as
# ntc-templates and netmiko call IOS-XE): a prefix table, or a rule where names are not
# prefix + number (bare port numbers, Junos units, Linux names). Unknown platforms: as printed.
_NAMING: Dict[str, Callable[[str], str]] = {
    "cisco_ios": _prefix_rule(_CISCO),
    "cisco_xe": _prefix_rule(_CISCO),
    "cisco_nxos": _prefix_rule(_NXOS),
    "arista_eos": _prefix_rule(_EOS),
    "hp_comware": _prefix_rule(_COMWARE),
    "huawei_vrp": _prefix_rule(_VRP),
    "dell_os10": _prefix_rule(_OS10),
    "juniper_junos": _junos,
    "aruba_aoscx": _lag_rule("lag", "lag"),
    "hp_procurve": _lag_rule("trk", "Trk"),
    "ruckus_fastiron": _lag_rule("lag", "lag", then=_fastiron),
    "extreme_exos": _as_printed,  # port numbers (12, 1:12); a LAG is named after its master port
    "linux_bridge": _as_printed,
}

# Strict shape of any interface name allowed to reach a template. Covers every platform's
# canonical form; spaces, quotes, newlines, semicolons, braces and '#' are never allowed.
_SAFE_IFNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.:@+-]{0,63}$")


def canonical_interface(name: str, platform: str) -> str:
    """Return the canonical long name of ``name`` on ``platform``.

    Unknown prefixes are returned unchanged (stripped), so that a platform's new port type
    still joins with itself across commands.
    """
    if not isinstance(name, str):
        raise InvalidInterfaceError(f"interface name must be a string, got {type(name).__name__}")
    s = name.strip()
    if not s:
        return s
    return _NAMING.get(platform, _as_printed)(s)


def short_interface(name: str) -> str:
    """A compact spelling for reports (``GigabitEthernet1/0/5`` -> ``Gi1/0/5``)."""
    m = _SPLIT.match(name)
    if not m:
        return name
    shorts = {
        "GigabitEthernet": "Gi",
        "FastEthernet": "Fa",
        "TenGigabitEthernet": "Te",
        "TwentyFiveGigE": "Twe",
        "FortyGigabitEthernet": "Fo",
        "HundredGigE": "Hu",
        "FourHundredGigE": "Fou",
        "Ethernet": "Et",
        "Port-channel": "Po",
        "Port-Channel": "Po",
        "port-channel": "Po",
    }
    return f"{shorts.get(m.group(1), m.group(1))}{m.group(2)}"


def is_safe_interface(name: object) -> bool:
    return isinstance(name, str) and bool(_SAFE_IFNAME.fullmatch(name))


def validate_interface(name: object, where: str = "") -> str:
    """Return ``name`` when it is a safe interface name, else raise ``InvalidInterfaceError``."""
    if not is_safe_interface(name):
        ctx = f" ({where})" if where else ""
        raise InvalidInterfaceError(
            f"unsafe or invalid interface name {name!r}{ctx}: only letters, digits and / _ . : @ + - "
            "are allowed, 1-64 characters"
        )
    return name  # type: ignore[return-value]


def lag_members(pairs: List[Tuple[str, str]], platform: str) -> Dict[str, str]:
    """Map member -> aggregate from (aggregate, member) pairs, both canonicalised."""
    return {canonical_interface(m, platform): canonical_interface(a, platform) for a, m in pairs}


def strip_unit(name: str) -> Optional[str]:
    """``ge-0/0/5.0`` -> ``ge-0/0/5``; None when there is no unit suffix."""
    if "." in name:
        base, _unused, unit = name.rpartition(".")
        if unit.isdecimal():
            return base
    return None
