# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``mac_table`` inventory plugin's discovery and population.

``InventoryBuilder(config)`` takes the validated configuration (``_inventory_config``), polls the
switches or reads the cached discovery, classifies and locates (``discover``), and puts switches,
restricted devices, their groups and variables into the inventory (``populate``). The plugin file
only wires Ansible's inventory API to these two modules. Device-provided values are wrapped as
unsafe before they enter the inventory (``_wrap``); other strings only when they hold ``{`` or ``}``
(``_plain``), so that ``ansible-inventory --list`` prints them as plain JSON strings, which AWX
imports as they are. No credential is ever set as a variable, and no path of the process that
builds the inventory (its interpreter) is pinned into it.
"""

from __future__ import annotations

import datetime
import os
import re
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._credentials import (
    DEFAULT_KEY_ENV,
    NET_KEY_ENV,
    password_note,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import Finding
from ansible_collections.camguard.network.plugins.plugin_utils._cache_codec import CacheFormatError, gc_paused
from ansible_collections.camguard.network.plugins.plugin_utils._discovery import (
    Discovery,
    PollResult,
    analyse,
    cache_payload,
    from_cache,
    poll,
)
from ansible_collections.camguard.network.plugins.plugin_utils._inventory_config import InventoryConfig, SwitchSpec
from ansible_collections.camguard.network.plugins.plugin_utils._policy_glue import PolicyState

_GROUP_SAFE = re.compile(r"[^A-Za-z0-9_]")


def group_name(prefix: str, value: object) -> str:
    return prefix + _GROUP_SAFE.sub("_", str(value)).lower()


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


_TEMPLATE_CHARS = re.compile(r"[{}]")
_TRUST: List[Any] = []


def _plain(value: Any) -> Any:
    """A value that is not device text, as the inventory should hold it: a string holding ``{`` or
    ``}`` (it could be a template) marked unsafe, any other string printable as it is.

    On ansible-core >= 2.19 every string an inventory plugin sets is untrusted unless marked, and
    ``ansible-inventory --list`` prints an untrusted string as ``{"__ansible_unsafe": ...}``, which
    AWX imports as a mapping (``ansible_host`` included). A string without a brace cannot be a
    template, so trusting it changes nothing but that. Older cores print a plain ``str`` as it is.
    """
    from ansible.utils.unsafe_proxy import wrap_var

    if not _TRUST:
        try:
            from ansible.template import trust_as_template  # type: ignore[attr-defined]

            _TRUST.append(trust_as_template)
        except ImportError:  # ansible-core < 2.19: a plain str is printed as it is
            _TRUST.append(lambda v: v)
    trust = _TRUST[0]

    def plain(v: Any) -> Any:
        if isinstance(v, str):
            return wrap_var(str(v)) if _TEMPLATE_CHARS.search(v) else trust(str(v))
        if isinstance(v, dict):
            return {plain(k): plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    return plain(value)


class InventoryBuilder:
    """One inventory build: ``discover`` then ``populate``; ``policy`` is the classifier it used."""

    def __init__(self, config: InventoryConfig, display: Any = None, policy: Optional[PolicyState] = None) -> None:
        self.config = config
        self.display = display
        self.policy = policy if policy is not None else PolicyState()

    # -- discovery -------------------------------------------------------------------------
    def _progress(self, done: int, total: int, r: PollResult) -> None:
        if self.display is None:
            return
        state = "ok" if r.error is None else "FAILED"
        self.display.v(f"camguard.network.mac_table: {done}/{total} switches polled ({r.switch}: {state})")
        self.display.vvv(f"camguard.network.mac_table: {r.switch} took {r.seconds:.2f}s")

    def discover(self, payload: Any = None) -> Discovery:
        verdict_for = self.policy.build(
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
            # a switch with nothing to log in with is not tried: its error says which variable is unset
            problems: Dict[str, str] = {}
            targets = []
            for s in self.config.switches:
                t = s.target(self.config.connect_timeout, self.config.command_timeout)
                problem = s.login_problem(t)
                if problem:
                    problems[s.name] = f"{s.name}: {problem}"
                else:
                    targets.append(t)
            data, errors, timings = poll(
                targets, self.config.concurrency, self._progress, processes=self.config.poll_processes
            )
            for s in self.config.switches:
                unset = s.login()[1]
                if unset and "authentication failed" in errors.get(s.name, ""):
                    errors[s.name] += password_note(unset)
            errors.update(problems)
            discovery = Discovery(switches=data, unreachable=errors, timings=timings)
            discovery.poll_seconds = time.monotonic() - started
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
        with gc_paused():  # many small acyclic objects: see gc_paused
            discovery.findings = analyse(
                discovery.switches, verdict_for, self.config.locate, seen_at=now, prefilter=verdict_for.prefilter
            )
        if self.config.filters:
            discovery.findings = [f for f in discovery.findings if self.config.filters.keeps_finding(f)]
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
                "camguard_host_key_checking": spec.host_key_checking,
            }
            if spec.password_env:  # not for a host whose own ansible_password wins (the role passes that)
                hv["camguard_password_env"] = spec.password_env
            # Values that came from the environment (the login name of CAMGUARD_USERNAME or
            # ANSIBLE_NET_USERNAME, files AWX writes per job) are not stored: a playbook job reads its
            # own, in the same order (README.md, "Which credential wins"); the modules fall back to
            # the same variables.
            if spec.username and not spec.username_from_env:
                hv["camguard_username"] = spec.username
            env_keys = {os.environ.get(DEFAULT_KEY_ENV), os.environ.get(NET_KEY_ENV)}
            if spec.private_key_file and spec.private_key_file not in env_keys:
                hv["camguard_private_key_file"] = spec.private_key_file
            if spec.known_hosts_file and spec.known_hosts_file != os.environ.get("CAMGUARD_KNOWN_HOSTS_FILE"):
                hv["camguard_known_hosts_file"] = spec.known_hosts_file
            if not spec.from_inventory:
                # The collection's modules run on the controller in Ansible's own process (action
                # plugins), so no interpreter is set: a path of the process that built the inventory
                # (an AWX sync's) would be wrong for the jobs that use it.
                hv["ansible_host"] = spec.host
                hv["ansible_port"] = spec.port
                hv["ansible_connection"] = "local"
            hv = _plain(hv)
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
        summary.update(self.policy.info())
        inv.set_variable("camguard_switches", "camguard_summary", _plain(summary))

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
        inv.set_variable(host, "ansible_connection", _plain("camguard.network.inert"))
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
