# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NAPALM backend of the seam: getters where the driver has reliable ones, CLI elsewhere.

``collect()`` uses ``get_mac_address_table``, ``get_arp_table`` and
``get_lldp_neighbors_detail`` and turns them into records with ``_napalm``; port modes (access /
trunk / LAG membership) are not in any NAPALM getter, so they come from the platform's own CLI
commands through ``device.cli()`` and the platform's text parser.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, Dict, Optional, Sequence

from ansible_collections.camguard.network.plugins.module_utils._collect import napalm as _napalm
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS, device_error
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Target, Transport, redact
from ansible_collections.camguard.network.plugins.module_utils._platforms import Platform
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, SwitchData

try:
    from napalm import get_network_driver

    HAS_NAPALM = True
    NAPALM_IMPORT_ERROR: Optional[str] = None
except ImportError as _e:  # pragma: no cover - exercised by the sanity import test
    HAS_NAPALM = False
    NAPALM_IMPORT_ERROR = str(_e)


class NapalmTransport(Transport):
    def __init__(self, target: Target, platform: Platform, device: Any = None) -> None:
        self.name = target.name
        self.target = target
        self.platform = platform
        self._secrets = target.credentials.secrets
        if device is not None:  # tests pass NAPALM's own "mock" driver here
            self.device = device
            return
        if not HAS_NAPALM:
            raise DeviceError(target.name, f"napalm is required for backend napalm: {NAPALM_IMPORT_ERROR}")
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
        driver = get_network_driver(platform.napalm_driver)
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
        from ansible_collections.camguard.network.plugins.module_utils._collect import own_macs

        data = SwitchData(switch=switch, platform=self.platform.key)
        started = time.monotonic()
        if "mac_table" in getters:
            res = _napalm.mac_table_from_napalm(self._getter("get_mac_address_table"), self.platform.key, switch)
            data.macs, data.skipped_rows = list(res.records), data.skipped_rows + res.skipped
            data.warnings.extend(res.warnings)
        if "arp" in getters:
            res_a = _napalm.arp_from_napalm(self._getter("get_arp_table"), self.platform.key)
            data.arp = list(res_a.records)
            data.warnings.extend(res_a.warnings)
        if "neighbors" in getters:
            res_n = _napalm.neighbors_from_napalm(self._getter("get_lldp_neighbors_detail"), self.platform.key)
            data.neighbors = list(res_n.records)
            data.warnings.extend(res_n.warnings)
        if "ports" in getters:
            cmds = list(PARSERS[self.platform.key].commands.get("ports", ()))
            outputs: Dict[str, str] = {}
            for cmd in cmds:
                out = self.send_command(cmd)
                err = device_error(out)
                if err is not None:
                    if cmd in PARSERS[self.platform.key].optional:
                        data.warnings.append(f"{switch}: optional command {cmd!r} not available: {err}")
                        continue
                    raise DeviceError(switch, f"device rejected the command: {err}", command=cmd)
                outputs[cmd] = out
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
