# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NAPALM backend: NAPALM getter results -> camguard records, and ``NapalmTransport``, the
seam's NAPALM side, for any NAPALM driver (ios, nxos_ssh, nxos, eos, junos).

``NapalmTransport.collect`` uses ``get_mac_address_table``, ``get_arp_table`` and
``get_lldp_neighbors_detail``; port modes (access / trunk / LAG membership) are not in any NAPALM
getter, so they come from the platform's own CLI commands through ``device.cli()`` and the
platform's text parser (``cli.run_commands``). NAPALM itself is optional: this module imports
without it, and only opening a real NAPALM session needs it.

The getter readers are pure functions over the plain dicts/lists the getters return:

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

import contextlib
import ipaddress
import re
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.cli import own_macs, run_commands
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    GETTERS,
    ParseResult,
    capability_words,
    is_routed_self_port,
    is_self_port,
    mac_or_none,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Target, Transport, redact
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import Platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    DeviceError,
    InvalidInterfaceError,
    InvalidMacError,
    MacEntry,
    Neighbor,
    PortInfo,
    SwitchData,
)

_LAG = re.compile(r"^(port-channel|po|ae|bond|lag|trk|bridge-aggregation|eth-trunk)\d+$", re.IGNORECASE)


def _network_driver(target: Target, driver: str) -> Any:
    """NAPALM's driver class ``driver``.

    NAPALM is an optional dependency, imported here when a NAPALM session is opened and not with
    this module: importing it costs about 0.4 s, which every user of ``_collect`` that never opens
    a NAPALM session (the netmiko and linux backends, the modules' option specs) must not pay."""
    try:
        from napalm import get_network_driver
    except ImportError as exc:
        raise DeviceError(target.name, f"napalm is required for backend napalm: {exc}") from None
    return get_network_driver(driver)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _self_interface(name: str) -> bool:
    """No interface, the switch itself (``CPU``, ``sup-eth1(R)``) or one of its SVIs (``Vlan10``)."""
    base = re.sub(r"\(.*?\)", "", name).strip()
    return not base or is_self_port(base) or is_routed_self_port(base)


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
            if not port or port.isdecimal() or mac_or_none(port):
                port = _text(e.get("remote_port_description")) or port
            caps = e.get("remote_system_enable_capab") or e.get("remote_system_capab")
            result.records.append(
                Neighbor(
                    local_interface=_canon(local, platform),
                    remote_name=name,
                    remote_port=port,
                    capabilities=capability_words(caps if isinstance(caps, (list, tuple)) else ()),
                    protocol="lldp",
                    remote_mac=mac_or_none(chassis),
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


class NapalmTransport(Transport):
    """A NAPALM driver behind the seam: getters where the driver has reliable ones, ``cli()`` for
    the rest. Every failure is a ``DeviceError`` naming the switch, without any secret."""

    def __init__(self, target: Target, platform: Platform, device: Any = None) -> None:
        self.name = target.name
        self.target = target
        self.platform = platform
        self._secrets = target.credentials.secrets
        if device is not None:  # tests pass NAPALM's own "mock" driver here
            self.device = device
            return
        if not platform.napalm_driver:
            raise DeviceError(target.name, f"platform {platform.key} has no NAPALM driver")
        optional: Dict[str, Any] = {"port": target.port, "conn_timeout": target.connect_timeout}
        optional.update(dict(platform.quirks.get("napalm_optional_args", {}) or {}))  # type: ignore[call-overload]
        if target.credentials.private_key_file:
            optional["key_file"] = target.credentials.private_key_file
        if target.credentials.secret:
            optional["secret"] = target.credentials.secret
        optional["ssh_strict"] = target.host_key_checking
        if target.known_hosts_file:
            optional["alt_host_keys"] = True
            optional["alt_key_file"] = target.known_hosts_file
        driver = _network_driver(target, platform.napalm_driver)
        self.device = driver(
            hostname=target.host,
            username=target.credentials.username,
            password=target.credentials.password or "",
            timeout=int(target.command_timeout),
            optional_args=optional,
        )
        try:
            self.device.open()
        except Exception as exc:
            raise DeviceError(
                target.name, redact(f"cannot connect to {target.host}:{target.port} with NAPALM: {exc}", self._secrets)
            ) from None

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        try:
            out = self.device.cli([command])
        except Exception as exc:
            raise DeviceError(self.name, redact(str(exc), self._secrets), command=command) from None
        return str(out.get(command, ""))

    def _getter(self, name: str) -> Any:
        try:
            return getattr(self.device, name)()
        except NotImplementedError:
            raise DeviceError(self.name, f"NAPALM driver {self.platform.napalm_driver} has no {name}") from None
        except Exception as exc:
            raise DeviceError(self.name, redact(f"NAPALM {name} failed: {exc}", self._secrets), command=name) from None

    def collect(self, switch: str, getters: Sequence[str] = GETTERS) -> SwitchData:
        data = SwitchData(switch=switch, platform=self.platform.key)
        started = time.monotonic()
        if "mac_table" in getters:
            res = mac_table_from_napalm(self._getter("get_mac_address_table"), self.platform.key, switch)
            data.macs, data.skipped_rows = list(res.records), data.skipped_rows + res.skipped
            data.warnings.extend(res.warnings)
        if "arp" in getters:
            res_a = arp_from_napalm(self._getter("get_arp_table"), self.platform.key)
            data.arp = list(res_a.records)
            data.warnings.extend(res_a.warnings)
        if "neighbors" in getters:
            res_n = neighbors_from_napalm(self._getter("get_lldp_neighbors_detail"), self.platform.key)
            data.neighbors = list(res_n.records)
            data.warnings.extend(res_n.warnings)
        if "ports" in getters:
            outputs, warnings = run_commands(self, self.platform, switch, ["ports"])
            data.warnings.extend(warnings)
            res_p = PARSERS[self.platform.key].parse_ports(outputs, switch)
            data.ports = list(res_p.records)
            data.skipped_rows += res_p.skipped
            data.warnings.extend(res_p.warnings)
        data.own_macs = own_macs(data.macs)
        self.seconds = time.monotonic() - started
        return data

    def close(self) -> None:
        dev = getattr(self, "device", None)
        if dev is not None:
            with contextlib.suppress(Exception):  # closing must not mask the real error
                dev.close()
