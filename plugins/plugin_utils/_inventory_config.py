# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``mac_table`` inventory plugin's configuration: its options read and validated once.

``InventoryConfig.from_options(get_option, path, inventory)`` turns the plugin's options (and the
hosts of ``inventory_switches`` groups already in the inventory) into an ``InventoryConfig`` with
one ``SwitchSpec`` per switch. Every error is a ``ConfigError`` whose message starts with the key
path (``switches[2].port: out of range: 0``); the plugin raises it as ``AnsibleParserError``.
Population (hosts, groups, variables) is ``_inventory``'s.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Callable, List, Mapping, Optional, Sequence, Set

from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import BACKENDS as SNMP_BACKENDS
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    GENERIC_PLATFORM,
    discovery_target,
    isolation_backend,
    snmp_settings,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Credentials, Target
from ansible_collections.camguard.network.plugins.module_utils._locate import DEFAULT_NVR_PATTERNS, LocateOptions
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError, ConfigError
from ansible_collections.camguard.network.plugins.plugin_utils._discovery import env_secret

SWITCH_KEYS = frozenset(
    {
        "name",
        "host",
        "port",
        "platform",
        "backend",
        "username",
        "username_env",
        "password_env",
        "private_key_file",
        "known_hosts_file",
        "host_key_checking",
        "groups",
        "snmp",
    }
)
#: The fields ``device_name_format`` may use.
FORMAT_FIELDS = frozenset({"vendor_key", "mac", "mac_hex", "switch", "interface"})


@dataclass
class SwitchSpec:
    name: str
    host: str
    port: int
    platform: str
    backend: Optional[str]
    username: str
    password_env: Optional[str]
    private_key_file: Optional[str]
    known_hosts_file: Optional[str]
    host_key_checking: bool
    groups: List[str] = field(default_factory=list)
    from_inventory: bool = False
    password: Optional[str] = field(default=None, repr=False)  # from an existing host's vars only
    snmp: Optional[Mapping[str, Any]] = None  # this switch's ``snmp`` settings (env var names, no secret)
    snmp_defaults: Optional[Mapping[str, Any]] = None  # the plugin's ``snmp`` option

    def target(self, connect_timeout: float, command_timeout: float) -> Target:
        password = self.password if self.password else env_secret(self.password_env)
        base = Target(
            name=self.name,
            host=self.host,
            platform=self.platform,
            port=self.port,
            credentials=Credentials(username=self.username, password=password, private_key_file=self.private_key_file),
            connect_timeout=connect_timeout,
            command_timeout=command_timeout,
            host_key_checking=self.host_key_checking,
            known_hosts_file=self.known_hosts_file,
            backend=self.backend,
        )
        # backend snmp / auto: over SNMP (auto: when SNMP credentials are set), read from the environment now
        return discovery_target(base, self.snmp, self.snmp_defaults, where=f"switch {self.name}: snmp")

    @property
    def isolation_backend(self) -> Optional[str]:
        """The backend the isolation role uses for this switch (SNMP only reads)."""
        default = None if self.platform == GENERIC_PLATFORM else get_platform(self.platform).default_backend
        return isolation_backend(self.platform, self.backend, default)


@dataclass(frozen=True)
class ConnectionDefaults:
    """The plugin-wide connection options, used where a switch does not set its own."""

    username: str
    password_env: Optional[str]
    private_key_file: Optional[str]
    known_hosts_file: Optional[str]
    host_key_checking: bool
    snmp: Optional[Mapping[str, Any]] = None  # the plugin's ``snmp`` option (env var names, no secret)

    @classmethod
    def from_options(cls, get_option: Callable[[str], Any]) -> ConnectionDefaults:
        snmp_defaults = get_option("snmp") or None
        try:
            snmp_settings(None, snmp_defaults, "snmp", presence=False)  # keys and values, before any switch is polled
        except ValueError as e:
            raise ConfigError(str(e)) from None
        return cls(
            username=get_option("username") or env_secret(get_option("username_env")) or "",
            password_env=get_option("password_env"),
            private_key_file=get_option("private_key_file"),
            known_hosts_file=get_option("known_hosts_file"),
            host_key_checking=bool(get_option("host_key_checking")),
            snmp=snmp_defaults,
        )


@dataclass
class InventoryConfig:
    path: str
    switches: List[SwitchSpec]
    concurrency: int
    poll_processes: int
    connect_timeout: float
    command_timeout: float
    strict_polling: bool
    profiles: List[str]
    policy_file: Optional[str]
    waiver_file: Optional[str]
    use_registry: bool
    locate: LocateOptions
    add_device_hosts: bool
    device_name_format: str
    compose: Mapping[str, Any]
    groups: Mapping[str, Any]
    keyed_groups: Sequence[Any]
    strict: bool
    default_private_key_file: Optional[str] = None
    default_known_hosts_file: Optional[str] = None

    @classmethod
    def from_options(cls, get_option: Callable[[str], Any], path: str, inventory: Any) -> InventoryConfig:
        defaults = ConnectionDefaults.from_options(get_option)
        seen: Set[str] = set()
        specs = [switch_spec(sw, f"switches[{i}]", defaults, seen) for i, sw in enumerate(get_option("switches") or [])]
        inv_opts = get_option("inventory_switches") or {}
        if not isinstance(inv_opts, Mapping):
            raise ConfigError("inventory_switches: expected a mapping with 'groups' and 'platform_var'")
        for g in inv_opts.get("groups") or []:
            specs.extend(
                specs_from_inventory(inventory, g, inv_opts.get("platform_var") or "ansible_network_os", seen, defaults)
            )
        concurrency = _at_least(get_option, "concurrency", 1, "must be at least 1")
        poll_processes = _at_least(get_option, "poll_processes", 0, "must be 0 (automatic) or more")
        fmt = str(get_option("device_name_format"))
        check_name_format(fmt)
        loc = locate_options(get_option)
        profiles = [str(p) for p in (get_option("policy_profile") or ["default"])]
        return cls(
            path=path,
            switches=specs,
            concurrency=concurrency,
            poll_processes=poll_processes,
            connect_timeout=float(get_option("connect_timeout")),
            command_timeout=float(get_option("command_timeout")),
            strict_polling=bool(get_option("strict_polling")),
            profiles=profiles,
            policy_file=get_option("policy_file"),
            waiver_file=get_option("waiver_file"),
            use_registry=bool(get_option("use_registry")),
            locate=loc,
            add_device_hosts=bool(get_option("add_device_hosts")),
            device_name_format=fmt,
            compose=get_option("compose") or {},
            groups=get_option("groups") or {},
            keyed_groups=get_option("keyed_groups") or [],
            strict=bool(get_option("strict")),
            default_private_key_file=defaults.private_key_file,
            default_known_hosts_file=defaults.known_hosts_file,
        )


def _at_least(get_option: Callable[[str], Any], key: str, minimum: int, rule: str) -> int:
    value = int(get_option(key))
    if value < minimum:
        raise ConfigError(f"{key}: {rule}, got {value}")
    return value


def switch_spec(sw: object, where: str, defaults: ConnectionDefaults, seen: Set[str]) -> SwitchSpec:
    """One ``switches`` item; adds its name to ``seen`` (names are unique)."""
    if not isinstance(sw, Mapping):
        raise ConfigError(f"{where}: expected a mapping, got {type(sw).__name__}")
    unknown = sorted(set(sw) - SWITCH_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(SWITCH_KEYS))}")
    name = sw.get("name")
    if not name or not isinstance(name, str):
        raise ConfigError(f"{where}.name: required, a non-empty string")
    if name in seen:
        raise ConfigError(f"{where}.name: duplicate switch name {name!r}")
    seen.add(name)
    platform_value = sw.get("platform")
    if not platform_value:
        raise ConfigError(f"{where}.platform: required")
    backend = sw.get("backend")
    platform_key = platform_key_of(str(platform_value), backend, where)
    if backend in SNMP_BACKENDS or sw.get("snmp") is not None:
        try:
            snmp_settings(sw.get("snmp"), defaults.snmp, f"{where}.snmp", presence=False)
        except ValueError as e:
            raise ConfigError(str(e)) from None
    try:
        port = int(sw.get("port") or 22)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}.port: not a port number: {sw.get('port')!r}") from None
    if not 1 <= port <= 65535:
        raise ConfigError(f"{where}.port: out of range: {port}")
    username = sw.get("username") or env_secret(sw.get("username_env")) or defaults.username
    hkc = sw.get("host_key_checking")
    return SwitchSpec(
        name=name,
        host=str(sw.get("host") or name),
        port=port,
        platform=platform_key,
        backend="snmp" if platform_key == GENERIC_PLATFORM else backend,
        username=str(username),
        password_env=sw.get("password_env") or defaults.password_env,
        private_key_file=sw.get("private_key_file") or defaults.private_key_file,
        known_hosts_file=sw.get("known_hosts_file") or defaults.known_hosts_file,
        host_key_checking=defaults.host_key_checking if hkc is None else bool(hkc),
        groups=list(sw.get("groups") or []),
        snmp=sw.get("snmp"),
        snmp_defaults=defaults.snmp,
    )


def platform_key_of(value: str, backend: Any, where: str) -> str:
    """The platform key of a switch: a CLI platform (alias resolved), or ``snmp`` for one read over SNMP only."""
    if value == GENERIC_PLATFORM:
        if backend not in (None, "snmp"):
            raise ConfigError(f"{where}.backend: platform {GENERIC_PLATFORM} is read over SNMP only, not {backend!r}")
        return GENERIC_PLATFORM
    try:
        platform = get_platform(value)
    except CamguardError as e:
        raise ConfigError(f"{where}.platform: {e}") from None
    if backend is not None and backend not in platform.backends and backend not in SNMP_BACKENDS:
        choices = (*platform.backends, *SNMP_BACKENDS)
        raise ConfigError(f"{where}.backend: {backend!r} is not available for {platform.key}; choose from {choices}")
    return platform.key


def specs_from_inventory(
    inventory: Any, group: str, platform_var: str, seen: Set[str], defaults: ConnectionDefaults
) -> List[SwitchSpec]:
    """The hosts of ``group`` already in the inventory, except those in ``seen`` (added to it)."""
    from ansible.inventory.helpers import get_group_vars
    from ansible.utils.vars import combine_vars

    grp = inventory.groups.get(group)
    if grp is None:
        raise ConfigError(f"inventory_switches.groups: group {group!r} is not in the inventory (list its source first)")
    out: List[SwitchSpec] = []
    for host in grp.get_hosts():
        if host.name in seen:
            continue
        hv = combine_vars(get_group_vars(host.get_groups()), host.get_vars())
        platform_value = hv.get(platform_var)
        if not platform_value:
            raise ConfigError(f"inventory_switches: host {host.name!r} has no {platform_var!r} variable")
        backend = hv.get("camguard_backend")
        platform_key = platform_key_of(
            str(platform_value).rsplit(".", maxsplit=1)[-1], backend, f"inventory_switches: host {host.name!r}"
        )
        seen.add(host.name)
        pw = hv.get("ansible_password") or hv.get("ansible_ssh_pass")
        out.append(
            SwitchSpec(
                name=host.name,
                host=str(hv.get("ansible_host") or host.name),
                port=int(hv.get("ansible_port") or 22),
                platform=platform_key,
                backend="snmp" if platform_key == GENERIC_PLATFORM else backend,
                username=str(hv.get("ansible_user") or defaults.username),
                password_env=defaults.password_env,
                private_key_file=hv.get("ansible_ssh_private_key_file") or defaults.private_key_file,
                known_hosts_file=defaults.known_hosts_file,
                host_key_checking=defaults.host_key_checking,
                from_inventory=True,
                password=str(pw) if pw else None,
                snmp_defaults=defaults.snmp,
            )
        )
    return out


def check_name_format(fmt: str) -> None:
    """``device_name_format`` must be a format string over ``FORMAT_FIELDS`` only."""
    try:
        fields = {item[1] for item in string.Formatter().parse(fmt) if item[1] is not None}
    except ValueError as e:
        raise ConfigError(f"device_name_format: invalid format string {fmt!r}: {e}") from None
    bad = sorted(fields - FORMAT_FIELDS)
    if bad:
        raise ConfigError(
            f"device_name_format: unknown field(s) {', '.join(bad)}; allowed: {', '.join(sorted(FORMAT_FIELDS))}"
        )


def locate_options(get_option: Callable[[str], Any]) -> LocateOptions:
    """The location options, their regular expressions compiled once to check them."""
    hints = []
    for h in get_option("nvr_hints") or []:
        try:
            hints.append(normalize_mac(str(h)))
        except CamguardError as e:
            raise ConfigError(f"nvr_hints: {e}") from None
    max_macs = _at_least(get_option, "max_macs_per_edge_port", 1, "must be at least 1")
    loc = LocateOptions(
        max_macs_per_edge_port=max_macs,
        uplink_patterns=tuple(get_option("uplink_patterns") or ()),
        trust_lldp=bool(get_option("trust_lldp")),
        nvr_patterns=tuple(get_option("nvr_patterns") or DEFAULT_NVR_PATTERNS),
        nvr_hints=tuple(hints),
    )
    loc.compiled_uplinks()
    loc.compiled_nvr()
    return loc
