# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``mac_table`` inventory plugin's logic: configuration, discovery, population.

The plugin file only wires Ansible's inventory API to this module. Device-provided values are
wrapped as unsafe before they enter the inventory; no credential is ever set as a variable.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    BACKENDS as SNMP_BACKENDS,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    GENERIC_PLATFORM,
    discovery_target,
    isolation_backend,
    snmp_settings,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Credentials, Target
from ansible_collections.camguard.network.plugins.module_utils._locate import DEFAULT_NVR_PATTERNS, LocateOptions
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int, normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    Finding,
    PolicyError,
)
from ansible_collections.camguard.network.plugins.plugin_utils._cache_codec import CacheFormatError, gc_paused
from ansible_collections.camguard.network.plugins.plugin_utils._discovery import (
    Discovery,
    PollResult,
    analyse,
    cache_payload,
    env_secret,
    from_cache,
    poll,
)
from ansible_collections.camguard.network.plugins.plugin_utils._policy_glue import (
    build_verdict_fn,
    policy_info,
)

_SWITCH_KEYS = {
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
_GROUP_SAFE = re.compile(r"[^A-Za-z0-9_]")
_FORMAT_FIELDS = {"vendor_key", "mac", "mac_hex", "switch", "interface"}


def group_name(prefix: str, value: object) -> str:
    return prefix + _GROUP_SAFE.sub("_", str(value)).lower()


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
        default_user = get_option("username") or env_secret(get_option("username_env")) or ""
        default_pw_env = get_option("password_env")
        default_key = get_option("private_key_file")
        default_kh = get_option("known_hosts_file")
        default_hkc = bool(get_option("host_key_checking"))
        snmp_defaults = get_option("snmp") or None
        try:
            snmp_settings(None, snmp_defaults, "snmp", presence=False)  # keys and values, before any switch is polled
        except ValueError as e:
            raise PolicyError(str(e)) from None
        specs: List[SwitchSpec] = []
        seen = set()
        for i, sw in enumerate(get_option("switches") or []):
            where = f"switches[{i}]"
            if not isinstance(sw, Mapping):
                raise PolicyError(f"{where}: expected a mapping, got {type(sw).__name__}")
            unknown = sorted(set(sw) - _SWITCH_KEYS)
            if unknown:
                raise PolicyError(
                    f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_SWITCH_KEYS))}"
                )
            name = sw.get("name")
            if not name or not isinstance(name, str):
                raise PolicyError(f"{where}.name: required, a non-empty string")
            if name in seen:
                raise PolicyError(f"{where}.name: duplicate switch name {name!r}")
            seen.add(name)
            platform_value = sw.get("platform")
            if not platform_value:
                raise PolicyError(f"{where}.platform: required")
            backend = sw.get("backend")
            platform_key = _platform_key(str(platform_value), backend, where)
            if backend in SNMP_BACKENDS or sw.get("snmp") is not None:
                try:
                    snmp_settings(sw.get("snmp"), snmp_defaults, f"{where}.snmp", presence=False)
                except ValueError as e:
                    raise PolicyError(str(e)) from None
            try:
                port = int(sw.get("port") or 22)
            except (TypeError, ValueError):
                raise PolicyError(f"{where}.port: not a port number: {sw.get('port')!r}") from None
            if not 1 <= port <= 65535:
                raise PolicyError(f"{where}.port: out of range: {port}")
            username = sw.get("username") or env_secret(sw.get("username_env")) or default_user
            hkc = sw.get("host_key_checking")
            specs.append(
                SwitchSpec(
                    name=name,
                    host=str(sw.get("host") or name),
                    port=port,
                    platform=platform_key,
                    backend="snmp" if platform_key == GENERIC_PLATFORM else backend,
                    username=str(username),
                    password_env=sw.get("password_env") or default_pw_env,
                    private_key_file=sw.get("private_key_file") or default_key,
                    known_hosts_file=sw.get("known_hosts_file") or default_kh,
                    host_key_checking=default_hkc if hkc is None else bool(hkc),
                    groups=list(sw.get("groups") or []),
                    snmp=sw.get("snmp"),
                    snmp_defaults=snmp_defaults,
                )
            )
        inv_opts = get_option("inventory_switches") or {}
        if not isinstance(inv_opts, Mapping):
            raise PolicyError("inventory_switches: expected a mapping with 'groups' and 'platform_var'")
        for g in inv_opts.get("groups") or []:
            specs.extend(
                _specs_from_inventory(
                    inventory,
                    g,
                    inv_opts.get("platform_var") or "ansible_network_os",
                    seen,
                    default_user,
                    default_pw_env,
                    default_key,
                    default_kh,
                    default_hkc,
                    snmp_defaults,
                )
            )
        concurrency = int(get_option("concurrency"))
        if concurrency < 1:
            raise PolicyError(f"concurrency: must be at least 1, got {concurrency}")
        poll_processes = int(get_option("poll_processes"))
        if poll_processes < 0:
            raise PolicyError(f"poll_processes: must be 0 (automatic) or more, got {poll_processes}")
        fmt = str(get_option("device_name_format"))
        _check_format(fmt)
        hints = []
        for h in get_option("nvr_hints") or []:
            try:
                hints.append(normalize_mac(str(h)))
            except CamguardError as e:
                raise PolicyError(f"nvr_hints: {e}") from None
        max_macs = int(get_option("max_macs_per_edge_port"))
        if max_macs < 1:
            raise PolicyError(f"max_macs_per_edge_port: must be at least 1, got {max_macs}")
        loc = LocateOptions(
            max_macs_per_edge_port=max_macs,
            uplink_patterns=tuple(get_option("uplink_patterns") or ()),
            trust_lldp=bool(get_option("trust_lldp")),
            nvr_patterns=tuple(get_option("nvr_patterns") or DEFAULT_NVR_PATTERNS),
            nvr_hints=tuple(hints),
        )
        loc.compiled_uplinks()
        loc.compiled_nvr()
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
            default_private_key_file=default_key,
            default_known_hosts_file=default_kh,
        )


def _platform_key(value: str, backend: Any, where: str) -> str:
    """The platform key of a switch: a CLI platform (alias resolved), or ``snmp`` for one read over SNMP only."""
    if value == GENERIC_PLATFORM:
        if backend not in (None, "snmp"):
            raise PolicyError(f"{where}.backend: platform {GENERIC_PLATFORM} is read over SNMP only, not {backend!r}")
        return GENERIC_PLATFORM
    try:
        platform = get_platform(value)
    except CamguardError as e:
        raise PolicyError(f"{where}.platform: {e}") from None
    if backend is not None and backend not in platform.backends and backend not in SNMP_BACKENDS:
        choices = (*platform.backends, *SNMP_BACKENDS)
        raise PolicyError(f"{where}.backend: {backend!r} is not available for {platform.key}; choose from {choices}")
    return platform.key


def _check_format(fmt: str) -> None:
    import string

    try:
        fields = {item[1] for item in string.Formatter().parse(fmt) if item[1] is not None}
    except ValueError as e:
        raise PolicyError(f"device_name_format: invalid format string {fmt!r}: {e}") from None
    bad = sorted(fields - _FORMAT_FIELDS)
    if bad:
        raise PolicyError(
            f"device_name_format: unknown field(s) {', '.join(bad)}; allowed: {', '.join(sorted(_FORMAT_FIELDS))}"
        )


def _specs_from_inventory(
    inventory: Any,
    group: str,
    platform_var: str,
    seen: set,  # type: ignore[type-arg]
    default_user: str,
    default_pw_env: Optional[str],
    default_key: Optional[str],
    default_kh: Optional[str],
    default_hkc: bool,
    snmp_defaults: Optional[Mapping[str, Any]] = None,
) -> List[SwitchSpec]:
    from ansible.inventory.helpers import get_group_vars
    from ansible.utils.vars import combine_vars

    grp = inventory.groups.get(group)
    if grp is None:
        raise PolicyError(f"inventory_switches.groups: group {group!r} is not in the inventory (list its source first)")
    out: List[SwitchSpec] = []
    for host in grp.get_hosts():
        if host.name in seen:
            continue
        hv = combine_vars(get_group_vars(host.get_groups()), host.get_vars())
        platform_value = hv.get(platform_var)
        if not platform_value:
            raise PolicyError(f"inventory_switches: host {host.name!r} has no {platform_var!r} variable")
        backend = hv.get("camguard_backend")
        platform_key = _platform_key(
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
                username=str(hv.get("ansible_user") or default_user),
                password_env=default_pw_env,
                private_key_file=hv.get("ansible_ssh_private_key_file") or default_key,
                known_hosts_file=default_kh,
                host_key_checking=default_hkc,
                from_inventory=True,
                password=str(pw) if pw else None,
                snmp_defaults=snmp_defaults,
            )
        )
    return out


_PLAIN_STR_IS_UNSAFE: List[bool] = []


def _wrap(value: Any) -> Any:
    """``wrap_var(value)``: device data marked unsafe, container by container.

    Same result as ansible's ``wrap_var``, faster on the plain containers and strings findings are
    made of (``wrap_var`` tests every value against several abstract base classes). On
    ansible-core >= 2.19 a plain ``str`` is already untrusted (``wrap_var`` returns it as is); on
    older cores, and for anything that is not a plain str/dict/list/tuple/number, ``wrap_var``
    itself does the work.
    """
    from ansible.utils.unsafe_proxy import wrap_var

    if not _PLAIN_STR_IS_UNSAFE:
        probe = "camguard"
        _PLAIN_STR_IS_UNSAFE.append(wrap_var(probe).__class__ is str)
    plain_ok = _PLAIN_STR_IS_UNSAFE[0]

    def wrap(v: Any) -> Any:
        t = type(v)
        if t is str:
            return v if plain_ok else wrap_var(v)
        if t is dict:
            return {wrap(k): wrap(x) for k, x in v.items()}
        if t is list:
            return [wrap(x) for x in v]
        if t is tuple:
            return tuple(wrap(x) for x in v)
        if v is None or t is int or t is bool or t is float:
            return v
        return wrap_var(v)

    return wrap(value)


class InventoryBuilder:
    def __init__(self, config: InventoryConfig, display: Any = None) -> None:
        self.config = config
        self.display = display

    # -- discovery -------------------------------------------------------------------------
    def _progress(self, done: int, total: int, r: PollResult) -> None:
        if self.display is None:
            return
        state = "ok" if r.error is None else "FAILED"
        self.display.v(f"camguard.network.mac_table: {done}/{total} switches polled ({r.switch}: {state})")
        self.display.vvv(f"camguard.network.mac_table: {r.switch} took {r.seconds:.2f}s")

    def discover(self, payload: Any = None) -> Discovery:
        verdict_for = build_verdict_fn(
            self.config.profiles, self.config.policy_file, self.config.waiver_file, self.config.use_registry
        )
        discovery: Optional[Discovery] = None
        if payload is not None:
            discovery = self._from_cache(payload)
        if discovery is not None:
            if self.display is not None:
                self.display.v("camguard.network.mac_table: using cached switch data (no SSH connection)")
        else:
            started = time.monotonic()
            targets = [s.target(self.config.connect_timeout, self.config.command_timeout) for s in self.config.switches]
            data, errors, timings = poll(
                targets, self.config.concurrency, self._progress, processes=self.config.poll_processes
            )
            discovery = Discovery(switches=data, unreachable=errors, timings=timings)
            discovery.poll_seconds = time.monotonic() - started
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
        with gc_paused():  # many small acyclic objects: see gc_paused
            discovery.findings = analyse(
                discovery.switches, verdict_for, self.config.locate, seen_at=now, prefilter=verdict_for.prefilter
            )
        return discovery

    def _from_cache(self, payload: Any) -> Optional[Discovery]:
        """The cached discovery, or None (a miss) when the entry is of another format version,
        damaged, or for another switch list; the reason is shown at -vvv (-v for a changed list)."""
        try:
            discovery = from_cache(payload)
        except CacheFormatError as e:
            if self.display is not None:
                self.display.vvv(f"camguard.network.mac_table: ignoring the cache entry ({e}); polling the switches")
            return None
        gone, new = stale_keys(discovery, self.config.switches)
        if gone or new:
            if self.display is not None:
                self.display.v("camguard.network.mac_table: switch list changed since the cache was written; polling")
            return None
        return discovery

    def cache_payload(self, discovery: Discovery) -> Dict[str, Any]:
        return cache_payload(discovery)

    # -- population ------------------------------------------------------------------------
    def device_name(self, f: Finding) -> str:
        mac_hex = f"{mac_to_int(f.mac):012x}"
        return self.config.device_name_format.format(
            vendor_key=f.verdict.vendor_key or "unknown",
            mac=f.mac,
            mac_hex=mac_hex,
            switch=f.switch,
            interface=f.interface,
        )

    def populate(self, plugin: Any, discovery: Discovery, elapsed: float) -> None:
        with gc_paused():  # many small acyclic objects: see gc_paused
            self._populate(plugin, discovery, elapsed)

    def _populate(self, plugin: Any, discovery: Discovery, elapsed: float) -> None:
        inv = plugin.inventory
        cfg = self.config
        for g in (
            "camguard_switches",
            "camguard_switches_with_findings",
            "camguard_unreachable",
            "camguard_restricted",
            "camguard_ambiguous",
            "camguard_waived",
        ):
            inv.add_group(g)
        by_switch: Dict[str, List[Finding]] = {}
        for f in discovery.findings:
            by_switch.setdefault(f.switch, []).append(f)
        for spec in cfg.switches:
            host = inv.add_host(spec.name, group="camguard_switches")
            for g in spec.groups:
                inv.add_child(inv.add_group(_GROUP_SAFE.sub("_", g)), host)
            hv: Dict[str, Any] = {
                "camguard_platform": spec.platform,
                "camguard_backend": spec.isolation_backend,
                "camguard_username": spec.username,
                "camguard_password_env": spec.password_env,
                "camguard_host_key_checking": spec.host_key_checking,
            }
            # Paths that came from the environment (e.g. files AWX writes per job) are not stored:
            # a later job must read its own; the modules fall back to the same variables.
            if spec.private_key_file and spec.private_key_file != os.environ.get("CAMGUARD_PRIVATE_KEY_FILE"):
                hv["camguard_private_key_file"] = spec.private_key_file
            if spec.known_hosts_file and spec.known_hosts_file != os.environ.get("CAMGUARD_KNOWN_HOSTS_FILE"):
                hv["camguard_known_hosts_file"] = spec.known_hosts_file
            if not spec.from_inventory:
                hv["ansible_host"] = spec.host
                hv["ansible_port"] = spec.port
                hv["ansible_connection"] = "local"
                # modules for these hosts run on the controller, with the Python that has netmiko
                # (interpreter discovery would pick any python3 on PATH)
                hv["ansible_python_interpreter"] = sys.executable
            findings = by_switch.get(spec.name, [])
            hv["camguard_findings"] = _wrap([f.to_dict() for f in findings])
            data = discovery.switches.get(spec.name)
            if data is not None:
                hv["camguard_poll"] = _wrap(
                    {
                        "mac_entries": len(data.macs),
                        "ports": len(data.ports),
                        "neighbors": len(data.neighbors),
                        "skipped_rows": data.skipped_rows,
                        "warnings": data.warnings[:20],
                        "seconds": round(discovery.timings.get(spec.name, 0.0), 3),
                        "from_cache": discovery.from_cache,
                    }
                )
            if spec.name in discovery.unreachable:
                inv.add_child("camguard_unreachable", host)
                hv["camguard_error"] = _wrap(discovery.unreachable[spec.name])
            if findings:
                inv.add_child("camguard_switches_with_findings", host)
            for k, v in hv.items():
                inv.set_variable(host, k, v)
            self._construct(plugin, host, hv)
        if cfg.add_device_hosts:
            for f in discovery.findings:
                self._add_device(plugin, f)
        counts: Dict[str, Dict[str, int]] = {"vendor": {}, "status": {}, "confidence": {}}
        for f in discovery.findings:
            for key, val in (
                ("vendor", f.verdict.vendor_key or "unknown"),
                ("status", f.verdict.status),
                ("confidence", f.location_confidence),
            ):
                counts[key][val] = counts[key].get(val, 0) + 1
        summary = {
            "switches": len(cfg.switches),
            "polled": len(discovery.switches),
            "unreachable": sorted(discovery.unreachable),
            "restricted_devices": len(discovery.findings),
            "waived": sum(
                1 for f in discovery.findings if f.verdict.waiver is not None and not f.verdict.waiver.expired
            ),
            "expired_waivers": sum(
                1 for f in discovery.findings if f.verdict.waiver is not None and f.verdict.waiver.expired
            ),
            "by_vendor": counts["vendor"],
            "by_status": counts["status"],
            "by_confidence": counts["confidence"],
            "poll_seconds": round(discovery.poll_seconds, 3),
            "build_seconds": round(elapsed, 3),
            "from_cache": discovery.from_cache,
        }
        summary.update(policy_info())
        inv.set_variable("camguard_switches", "camguard_summary", _wrap(summary))

    def _add_device(self, plugin: Any, f: Finding) -> None:
        inv = plugin.inventory
        name = self.device_name(f)
        host = inv.add_host(name, group="camguard_restricted")
        v = f.verdict
        groups = [
            group_name("camguard_vendor_", v.vendor_key or "unknown"),
            group_name("camguard_status_", v.status),
            group_name("camguard_switch_", f.switch),
        ]
        if f.vlan is not None:
            groups.append(group_name("camguard_vlan_", f.vlan))
        if f.location_confidence != "edge":
            groups.append("camguard_ambiguous")
        if v.waiver is not None and not v.waiver.expired:
            groups.append("camguard_waived")
        for g in groups:
            inv.add_child(inv.add_group(g), host)
        hv = {
            "camguard_mac": f.mac,
            "camguard_ip": f.ip,
            "camguard_vendor": v.vendor_key,
            "camguard_vendor_name": v.vendor_name,
            "camguard_status": v.status,
            "camguard_legal_basis": list(v.basis),
            "camguard_matched_prefix": v.matched_prefix,
            "camguard_switch": f.switch,
            "camguard_interface": f.interface,
            "camguard_vlan": f.vlan,
            "camguard_confidence": f.location_confidence,
            "camguard_evidence": list(f.evidence),
            "camguard_waiver": v.waiver.to_dict() if v.waiver is not None else None,
            "camguard_default_action": v.default_action,
        }
        wrapped = _wrap(hv)
        for k, val in wrapped.items():
            inv.set_variable(host, k, val)
        # Never a target: the inert connection refuses every task on this host.
        inv.set_variable(host, "ansible_connection", "camguard.network.inert")
        self._construct(plugin, host, wrapped)

    def _construct(self, plugin: Any, host: str, hv: Mapping[str, Any]) -> None:
        cfg = self.config
        plugin._set_composite_vars(cfg.compose, hv, host, strict=cfg.strict)
        plugin._add_host_to_composed_groups(cfg.groups, hv, host, strict=cfg.strict)
        plugin._add_host_to_keyed_groups(cfg.keyed_groups, hv, host, strict=cfg.strict)


def stale_keys(cached: Discovery, specs: Sequence[SwitchSpec]) -> Tuple[List[str], List[str]]:
    """Switches in the cache but no longer configured, and configured but not cached."""
    names = set(cached.switches) | set(cached.unreachable)
    wanted = {s.name for s in specs}
    return sorted(names - wanted), sorted(wanted - names)
