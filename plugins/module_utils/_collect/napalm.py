# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAPALM getter results -> camguard records, for any NAPALM driver (ios, nxos_ssh, nxos, eos,
junos).

Pure functions over the plain dicts/lists the getters return (no NAPALM import here, so this
module is importable and testable without NAPALM installed):

``mac_table_from_napalm(rows, platform, switch)``
    ``get_mac_address_table()`` rows -> ``MacEntry``. ``interface`` canonicalised for the
    platform (``ge-0/0/5.0`` -> ``ge-0/0/5``, ``Po1`` -> ``Port-channel1``). Rows that NAPALM
    reports with an empty interface, or with the switch itself as "interface" (``CPU``,
    ``Router``, ``Switch``, ``sup-eth1(R)``, ``vPC Peer-Link(R)``, an SVI ``Vlan10``), become
    ``kind="self"`` with ``interface=""``. NAPALM's VLAN ``0`` ("All"/"---") and ``-1`` become
    ``vlan=None``. ``static`` comes from NAPALM; ``kind`` is ``static`` or ``dynamic`` (NAPALM
    does not report secure entries separately).
``arp_from_napalm(rows, platform)``
    ``get_arp_table()`` rows -> ``ArpEntry`` (``vrf`` given by the caller, default ``default``,
    as ``get_arp_table(vrf=...)`` is called per VRF).
``neighbors_from_napalm(data, platform)``
    ``get_lldp_neighbors_detail()`` (or, when only that is available, ``get_lldp_neighbors()``)
    -> ``Neighbor`` with ``protocol="lldp"``. Capabilities from ``remote_system_enable_capab``
    (falling back to ``remote_system_capab``) mapped to our words.
``ports_from_napalm(interfaces, vlans, platform)``
    ``get_interfaces()`` + ``get_vlans()`` -> ``PortInfo``. NAPALM does not say whether a port
    is access or trunk: a port listed in two or more VLANs is ``trunk``; a port in exactly one
    VLAN keeps ``mode="unknown"`` with that VLAN as ``access_vlan`` (it may be a trunk carrying
    one VLAN - isolation guardrails treat ``unknown`` as not safe to touch). Aggregates are
    recognised by name (``is_lag``); membership needs the platform's CLI parser.

Every function returns ``ParseResult`` and skips (and counts) malformed rows instead of raising.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParseResult
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    InvalidInterfaceError,
    InvalidMacError,
    MacEntry,
    Neighbor,
    PortInfo,
)

_SELF_INTERFACE = re.compile(
    r"^(cpu|router|switch|stby-switch|drop|self|sup-eth\d*|vpc[ -]peer-link|vl\d+|vlan\d+|irb(\.\d+)?)$",
    re.IGNORECASE,
)
_LAG = re.compile(r"^(port-channel|po|ae|bond|lag|trk|bridge-aggregation|eth-trunk)\d+$", re.IGNORECASE)
_CAPS = {
    "bridge": "bridge",
    "router": "router",
    "station": "station",
    "telephone": "phone",
    "wlan-access-point": "wlan",
    "repeater": "other",
    "docsis-cable-device": "other",
    "other": "other",
}
_CAP_ORDER = ("bridge", "router", "wlan", "phone", "station", "other")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _self_interface(name: str) -> bool:
    base = re.sub(r"\(.*?\)", "", name).strip()
    return not base or bool(_SELF_INTERFACE.match(base))


def _canon(name: str, platform: str) -> str:
    return canonical_interface(name, platform)


def mac_table_from_napalm(rows: Iterable[Mapping[str, Any]], platform: str, switch: str) -> ParseResult[MacEntry]:
    result: ParseResult[MacEntry] = ParseResult()
    for row in rows:
        if not isinstance(row, Mapping):
            result.skip("MAC table row is not a mapping", repr(row)[:80])
            continue
        try:
            mac = normalize_mac(_text(row.get("mac")))
        except InvalidMacError:
            result.skip("invalid MAC address", repr(row.get("mac")))
            continue
        vlan_raw = row.get("vlan")
        vlan = vlan_raw if isinstance(vlan_raw, int) and 1 <= vlan_raw <= 4094 else None
        static = bool(row.get("static", False))
        iface = _text(row.get("interface"))
        try:
            if _self_interface(iface):
                result.records.append(MacEntry(mac, vlan, "", static, switch, "self"))
                continue
            canon = _canon(iface, platform)
        except InvalidInterfaceError:
            result.skip("invalid interface name", repr(iface))
            continue
        result.records.append(MacEntry(mac, vlan, canon, static, switch, "static" if static else "dynamic"))
    return result


def arp_from_napalm(rows: Iterable[Mapping[str, Any]], platform: str, vrf: str = "default") -> ParseResult[ArpEntry]:
    result: ParseResult[ArpEntry] = ParseResult()
    for row in rows:
        if not isinstance(row, Mapping):
            result.skip("ARP row is not a mapping", repr(row)[:80])
            continue
        ip = _text(row.get("ip"))
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            result.skip("invalid IP address", repr(ip))
            continue
        mac_text = _text(row.get("mac"))
        if mac_text.lower() in ("", "incomplete"):
            continue
        try:
            mac = normalize_mac(mac_text)
        except InvalidMacError:
            result.skip("invalid MAC address", repr(mac_text))
            continue
        iface = _text(row.get("interface"))
        result.records.append(ArpEntry(ip, mac, _canon(iface, platform) if iface else "", vrf))
    return result


def _capabilities(words: Any) -> Tuple[str, ...]:
    found = set()
    if isinstance(words, (list, tuple)):
        for w in words:
            if isinstance(w, str) and w.strip():
                found.add(_CAPS.get(w.strip().lower(), "other"))
    return tuple(c for c in _CAP_ORDER if c in found)


def _maybe_mac(text: str) -> Optional[str]:
    try:
        return normalize_mac(text) if text else None
    except InvalidMacError:
        return None


def neighbors_from_napalm(data: Mapping[str, Any], platform: str) -> ParseResult[Neighbor]:
    result: ParseResult[Neighbor] = ParseResult()
    if not isinstance(data, Mapping):
        result.skip("LLDP neighbours are not a mapping", repr(data)[:80])
        return result
    for local, entries in data.items():
        if not isinstance(local, str) or not local.strip() or not isinstance(entries, list):
            result.skip("LLDP entry without a local interface", repr(local))
            continue
        for e in entries:
            if not isinstance(e, Mapping):
                result.skip("LLDP neighbour is not a mapping", repr(e)[:80])
                continue
            chassis = _text(e.get("remote_chassis_id"))
            name = _text(e.get("remote_system_name")) or _text(e.get("hostname")) or chassis
            if not name:
                result.skip("LLDP neighbour without a name", local)
                continue
            port = _text(e.get("remote_port")) or _text(e.get("port"))
            if not port or port.isdecimal() or _maybe_mac(port):
                port = _text(e.get("remote_port_description")) or port
            caps = e.get("remote_system_enable_capab") or e.get("remote_system_capab")
            result.records.append(
                Neighbor(
                    local_interface=_canon(local, platform),
                    remote_name=name,
                    remote_port=port,
                    capabilities=_capabilities(caps),
                    protocol="lldp",
                    remote_mac=_maybe_mac(chassis),
                )
            )
    return result


def ports_from_napalm(
    interfaces: Mapping[str, Mapping[str, Any]],
    vlans: Optional[Mapping[Any, Mapping[str, Any]]],
    platform: str,
) -> ParseResult[PortInfo]:
    result: ParseResult[PortInfo] = ParseResult()
    membership: Dict[str, List[int]] = {}
    for vid, vdata in (vlans or {}).items():
        try:
            vlan = int(vid)
        except (TypeError, ValueError):
            result.skip("non-numeric VLAN id", repr(vid))
            continue
        if not 1 <= vlan <= 4094 or not isinstance(vdata, Mapping):
            result.skip("invalid VLAN entry", repr(vid))
            continue
        for member in vdata.get("interfaces") or []:
            if isinstance(member, str) and member.strip():
                membership.setdefault(_canon(member.strip(), platform), []).append(vlan)
    names: Dict[str, Mapping[str, Any]] = {}
    for name, idata in (interfaces or {}).items():
        if not isinstance(name, str) or not name.strip() or not isinstance(idata, Mapping):
            result.skip("invalid interface entry", repr(name))
            continue
        names[_canon(name, platform)] = idata
    for name in membership:
        names.setdefault(name, {})
    for name, idata in names.items():
        member_of = sorted(set(membership.get(name, [])))
        mode: str = "unknown"
        access_vlan: Optional[int] = None
        trunk: Tuple[int, ...] = ()
        if len(member_of) > 1:
            mode, trunk = "trunk", tuple(member_of)
        elif len(member_of) == 1:
            access_vlan = member_of[0]
        result.records.append(
            PortInfo(
                name=name,
                mode=mode,
                access_vlan=access_vlan,
                description=_text(idata.get("description")),
                enabled=bool(idata.get("is_enabled", True)),
                lag=None,
                is_lag=bool(_LAG.match(name)),
                trunk_vlans=trunk,
            )
        )
    return result
