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

import os
import re
import string
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import BACKENDS as SNMP_BACKENDS
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    GENERIC_PLATFORM,
    discovery_target,
    isolation_backend,
    snmp_settings,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Credentials, Target
from ansible_collections.camguard.network.plugins.module_utils._credentials import (
    DEFAULT_KEY_ENV,
    DEFAULT_USERNAME_ENV,
    NET_KEY_ENV,
    NET_USERNAME_ENV,
    login_problem,
    resolve_password,
)
from ansible_collections.camguard.network.plugins.module_utils._locate import DEFAULT_NVR_PATTERNS, LocateOptions
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    RESTRICTED_STATUSES,
    CamguardError,
    ConfigError,
    Finding,
)
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
#: The options whose string values may be Jinja2 templates (rendered once, by the plugin's
#: templar). ``compose``, ``groups`` and ``keyed_groups`` are expressions by design;
#: ``device_name_format`` is a Python format string; patterns are regular expressions.
RENDERED_OPTIONS = (
    "switches",
    "inventory_switches",
    "username",
    "username_env",
    "password_env",
    "private_key_file",
    "known_hosts_file",
    "policy_file",
    "waiver_file",
)
#: The keys of ``query_filters`` items (one key per item; items with the same key are alternatives).
QUERY_FILTER_KEYS = ("switch", "switch_group", "vlan", "vendor", "status")
#: The file options: relative to the inventory file's folder when written in the file.
FILE_OPTIONS = ("private_key_file", "known_hosts_file", "policy_file", "waiver_file")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)

#: ``render(where, value) -> value``: the plugin's templar on one option value.
RenderFn = Callable[[str, str], Any]


def _no_render(where: str, value: str) -> Any:
    return value


def render_tree(value: Any, where: str, render: RenderFn) -> Any:
    """``value`` with every string in it rendered (``where`` names the key path in errors)."""
    if isinstance(value, str):
        return render(where, value) if _JINJA.search(value) else value
    if isinstance(value, Mapping):
        return {k: render_tree(v, f"{where}.{k}", render) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [render_tree(v, f"{where}[{i}]", render) for i, v in enumerate(value)]
    return value


def resolve_file(value: Any, base_dir: str, env_names: Sequence[str] = ()) -> Optional[str]:
    """A file option's path: ``~`` expanded, a relative path taken relative to ``base_dir`` (the
    inventory file's folder), except a value that came from one of ``env_names`` (left as given)."""
    if not value:
        return None
    text = str(value)
    if any(text == os.environ.get(n) for n in env_names):
        return text
    text = os.path.expanduser(text)
    return text if os.path.isabs(text) or not base_dir else os.path.normpath(os.path.join(base_dir, text))


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
    #: the login name came from the environment (CAMGUARD_USERNAME, ANSIBLE_NET_USERNAME), not the
    #: inventory: it is not stored in the host's variables, the playbook job reads its own
    username_from_env: bool = False
    #: the groups the switch is in, for ``query_filters`` (its ``groups``, or its inventory groups)
    member_of: FrozenSet[str] = frozenset()

    def login(self) -> Tuple[Optional[str], Optional[str]]:
        """``(password, unset)`` in the order of ``_credentials`` (the password is never kept)."""
        return resolve_password(self.password_env, self.password, os.environ)

    def login_problem(self, target: Optional[Target] = None) -> Optional[str]:
        """Why this switch cannot be logged in to over SSH (nothing would be tried), or None; never
        for a switch read over SNMP (``target``: the one ``target()`` gave)."""
        if target is not None and target.backend == "snmp":
            return None
        password, unset = self.login()
        return login_problem(password, self.private_key_file, unset)

    def target(self, connect_timeout: float, command_timeout: float) -> Target:
        password, _unset = self.login()
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
    username_from_env: bool = False
    base_dir: str = ""

    @classmethod
    def from_options(cls, get_option: Callable[[str], Any], base_dir: str = "") -> ConnectionDefaults:
        """The file's ``username`` (or ``username_env``) wins over the environment's
        ``CAMGUARD_USERNAME`` (the ``username`` option's own default), then ``ANSIBLE_NET_USERNAME``."""
        snmp_defaults = get_option("snmp") or None
        try:
            snmp_settings(None, snmp_defaults, "snmp", presence=False)  # keys and values, before any switch is polled
        except ValueError as e:
            raise ConfigError(str(e)) from None
        option = get_option("username")
        from_named_env = env_secret(get_option("username_env"))
        if option and option != os.environ.get(DEFAULT_USERNAME_ENV):
            username, from_env = str(option), False
        elif from_named_env:
            username, from_env = from_named_env, False
        else:
            username, from_env = str(option or os.environ.get(NET_USERNAME_ENV) or ""), True
        key = resolve_file(get_option("private_key_file"), base_dir, (DEFAULT_KEY_ENV,))
        return cls(
            username=username,
            password_env=get_option("password_env"),
            private_key_file=key or env_secret(NET_KEY_ENV),
            known_hosts_file=resolve_file(get_option("known_hosts_file"), base_dir, ("CAMGUARD_KNOWN_HOSTS_FILE",)),
            host_key_checking=bool(get_option("host_key_checking")),
            snmp=snmp_defaults,
            username_from_env=from_env,
            base_dir=base_dir,
        )


@dataclass(frozen=True)
class QueryFilters:
    """``query_filters``: which switches are polled and which restricted devices are reported.

    Items with the same key are alternatives (any of them), different keys must all hold, as
    in netbox.netbox.nb_inventory. An empty set for a key means no filter on it.
    """

    switches: FrozenSet[str] = frozenset()
    switch_groups: FrozenSet[str] = frozenset()
    vlans: FrozenSet[int] = frozenset()
    vendors: FrozenSet[str] = frozenset()
    statuses: FrozenSet[str] = frozenset()

    @classmethod
    def parse(cls, raw: Any) -> QueryFilters:
        if raw is None:
            return cls()
        if not isinstance(raw, (list, tuple)):
            raise ConfigError(f"query_filters: expected a list of one-key mappings, got {type(raw).__name__}")
        found: Dict[str, Set[Any]] = {k: set() for k in QUERY_FILTER_KEYS}
        for i, item in enumerate(raw):
            where = f"query_filters[{i}]"
            if not isinstance(item, Mapping) or len(item) != 1:
                raise ConfigError(f"{where}: expected a mapping with one key ({', '.join(QUERY_FILTER_KEYS)})")
            [(key, value)] = item.items()
            if key not in QUERY_FILTER_KEYS:
                raise ConfigError(f"{where}: unknown key {key!r}; allowed: {', '.join(QUERY_FILTER_KEYS)}")
            where = f"{where}.{key}"
            if key == "vlan":
                try:
                    vlan = int(value)
                except (TypeError, ValueError):
                    raise ConfigError(f"{where}: expected a VLAN ID (1-4094), got {value!r}") from None
                if isinstance(value, bool) or not 1 <= vlan <= 4094:
                    raise ConfigError(f"{where}: expected a VLAN ID (1-4094), got {value!r}")
                found[key].add(vlan)
                continue
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: expected a non-empty string, got {value!r}")
            if key == "status" and value not in RESTRICTED_STATUSES:
                raise ConfigError(f"{where}: unknown status {value!r}; allowed: {', '.join(RESTRICTED_STATUSES)}")
            found[key].add(value.lower() if key == "vendor" else value)
        return cls(
            switches=frozenset(found["switch"]),
            switch_groups=frozenset(found["switch_group"]),
            vlans=frozenset(found["vlan"]),
            vendors=frozenset(found["vendor"]),
            statuses=frozenset(found["status"]),
        )

    def __bool__(self) -> bool:
        return bool(self.switches or self.switch_groups or self.vlans or self.vendors or self.statuses)

    def keeps_switch(self, spec: SwitchSpec) -> bool:
        if self.switches and spec.name not in self.switches:
            return False
        return not self.switch_groups or bool(self.switch_groups & spec.member_of)

    def keeps_finding(self, f: Finding) -> bool:
        if self.vlans and f.vlan not in self.vlans:
            return False
        if self.vendors and (f.verdict.vendor_key or "unknown").lower() not in self.vendors:
            return False
        return not self.statuses or f.verdict.status in self.statuses


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
    filters: QueryFilters = field(default_factory=QueryFilters)

    @classmethod
    def from_options(
        cls,
        get_option: Callable[[str], Any],
        path: str,
        inventory: Any,
        render: Optional[RenderFn] = None,
        raw: Optional[Mapping[str, Any]] = None,
    ) -> InventoryConfig:
        """The configuration of the file at ``path``. ``render`` renders a Jinja2 template in one of
        ``RENDERED_OPTIONS`` (the plugin passes its templar's); without it templates stay as written.
        ``raw`` is the file's own data: a file option written there is relative to the file's folder
        (Ansible's option types would resolve it against the current directory)."""
        renderer = render or _no_render
        written = raw or {}

        def opt(key: str) -> Any:
            value = written[key] if key in FILE_OPTIONS and written.get(key) else get_option(key)
            return render_tree(value, key, renderer) if key in RENDERED_OPTIONS else value

        base_dir = os.path.dirname(os.path.abspath(path)) if path else ""
        defaults = ConnectionDefaults.from_options(opt, base_dir)
        filters = QueryFilters.parse(get_option("query_filters"))
        seen: Set[str] = set()
        specs = [switch_spec(sw, f"switches[{i}]", defaults, seen) for i, sw in enumerate(opt("switches") or [])]
        inv_opts = opt("inventory_switches") or {}
        if not isinstance(inv_opts, Mapping):
            raise ConfigError("inventory_switches: expected a mapping with 'groups' and 'platform_var'")
        for g in inv_opts.get("groups") or []:
            specs.extend(
                specs_from_inventory(inventory, g, inv_opts.get("platform_var") or "ansible_network_os", seen, defaults)
            )
        if filters:
            specs = [s for s in specs if filters.keeps_switch(s)]
        concurrency = _at_least(get_option, "concurrency", 1, "must be at least 1")
        poll_processes = _at_least(get_option, "poll_processes", 0, "must be 0 (automatic) or more")
        fmt = str(get_option("device_name_format"))
        if _JINJA.search(fmt):
            raise ConfigError(
                f"device_name_format: {fmt!r} is a Jinja2 template; this option is a Python format string "
                f"over {', '.join(sorted(FORMAT_FIELDS))}, e.g. '{{vendor_key}}_{{mac_hex}}' (use compose for Jinja2)"
            )
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
            policy_file=resolve_file(opt("policy_file"), base_dir),
            waiver_file=resolve_file(opt("waiver_file"), base_dir),
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
            filters=filters,
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
    own_user = sw.get("username") or env_secret(sw.get("username_env"))
    hkc = sw.get("host_key_checking")
    groups = [str(g) for g in (sw.get("groups") or [])]
    return SwitchSpec(
        name=name,
        host=str(sw.get("host") or name),
        port=port,
        platform=platform_key,
        backend="snmp" if platform_key == GENERIC_PLATFORM else backend,
        username=str(own_user or defaults.username),
        password_env=sw.get("password_env") or defaults.password_env,
        private_key_file=resolve_file(sw.get("private_key_file"), defaults.base_dir) or defaults.private_key_file,
        known_hosts_file=resolve_file(sw.get("known_hosts_file"), defaults.base_dir) or defaults.known_hosts_file,
        host_key_checking=defaults.host_key_checking if hkc is None else bool(hkc),
        groups=groups,
        snmp=sw.get("snmp"),
        snmp_defaults=defaults.snmp,
        username_from_env=not own_user and defaults.username_from_env,
        member_of=frozenset(groups),
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
    """The hosts of ``group`` already in the inventory, except those in ``seen`` (added to it).

    Their ``ansible_user``, ``ansible_password`` and ``ansible_ssh_private_key_file`` (and the
    aliases) come before the plugin-wide options, which are defaults, as in ``_credentials``.
    """
    from ansible.inventory.helpers import get_group_vars
    from ansible.utils.vars import combine_vars

    grp = inventory.groups.get(group) if inventory is not None else None
    if grp is None:
        raise ConfigError(
            f"inventory_switches.groups: group {group!r} is not in the inventory. This source polls the hosts "
            "that sources parsed before it put there, in the same run. With ansible-inventory or "
            "ansible-playbook, list that source first (-i netbox.yml -i site.mac_table.yml). AWX syncs every "
            "inventory source on its own, so there the group never exists: make ONE inventory source whose "
            "source path is a folder holding both files, named so that the other comes first (files are "
            "parsed in name order: 01-netbox.yml, 02-site.mac_table.yml); see docs/awx.md, 'NetBox and "
            "other sources'"
        )
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
        user = hv.get("ansible_user") or hv.get("ansible_ssh_user")
        key = hv.get("ansible_ssh_private_key_file") or hv.get("ansible_private_key_file")
        out.append(
            SwitchSpec(
                name=host.name,
                host=str(hv.get("ansible_host") or host.name),
                port=int(hv.get("ansible_port") or 22),
                platform=platform_key,
                backend="snmp" if platform_key == GENERIC_PLATFORM else backend,
                username=str(user or defaults.username),
                # the host's own password comes before the plugin-wide password_env (a default)
                password_env=None if pw else defaults.password_env,
                private_key_file=str(key) if key else defaults.private_key_file,
                known_hosts_file=defaults.known_hosts_file,
                host_key_checking=defaults.host_key_checking,
                from_inventory=True,
                password=str(pw) if pw else None,
                snmp_defaults=defaults.snmp,
                username_from_env=not user and defaults.username_from_env,
                member_of=frozenset(g.name for g in host.get_groups()),
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
