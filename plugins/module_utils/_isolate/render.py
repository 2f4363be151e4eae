# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render an isolation ``Plan`` into the exact configuration lines for one switch.

Templates live in the role (``roles/camera_isolation/templates/<platform>/<mode>_<action>.j2``).
Defence in depth against configuration injection from device output:

1. only validated values enter the template context: interface names through
   ``_ifname.validate_interface``, VLANs as ints, peers through ``ipaddress``, names from a fixed
   pattern; descriptions and other free device text are never in the context;
2. templates run in Jinja2's ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``;
3. every rendered line must match the platform's line grammar (a list of anchored regexes):
   any other line (a newline smuggled in, a keyword, a ``;``) fails the whole render.
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Any, Dict, List, Mapping, Optional, Pattern, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._ifname import validate_interface
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULTS,
    MODES,
    check_name,
    check_vlan,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import ACL_NAME, Plan
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS, isolation_platforms
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError, InvalidInterfaceError

try:
    from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    HAS_JINJA2 = True
    JINJA2_IMPORT_ERROR: Optional[str] = None
except ImportError as _e:  # pragma: no cover - exercised by the sanity import test
    HAS_JINJA2 = False
    JINJA2_IMPORT_ERROR = str(_e)

ISOLATION_PLATFORMS = isolation_platforms()
ACTIONS = ("isolate", "release")
# Tighten first, loosen last: a port changing mode is never open in between.
SECTION_ORDER = (
    ("shutdown", "isolate"),
    ("acl", "isolate"),
    ("vlan", "isolate"),
    ("vlan", "release"),
    ("acl", "release"),
    ("shutdown", "release"),
)


class RenderError(CamguardError):
    """A template is missing or broken, or a rendered line is outside the platform grammar."""


# --------------------------------------------------------------------------- line grammars

_IF = r"[A-Za-z0-9][A-Za-z0-9/_.:@+-]{0,63}"
_V = r"(?:[1-9]\d{0,2}|[1-3]\d{3}|40[0-8]\d|409[0-4])"
_N = r"[A-Za-z][A-Za-z0-9_-]{0,31}"
_IP = r"(?:\d{1,3}\.){3}\d{1,3}"
_PL = r"(?:3[0-2]|[12]?\d)"
_CIDR = _IP + "/" + _PL
_SEQ = r"\d{1,5}"
_CHAIN = r"cg_[A-Za-z0-9_]{1,60}"

_COMMON_CISCO = [
    rf"vlan {_V}",
    rf"no vlan {_V}",
    rf" name {_N}",
    r"exit",
    rf"interface {_IF}",
    rf" switchport access vlan {_V}",
    r" shutdown",
    r" no shutdown",
]

_NFT_STMT = (
    r"(?:add table bridge camguard|delete table bridge camguard|"
    rf"flush chain bridge camguard (?:forward|{_CHAIN})|"
    rf"add rule bridge camguard forward (?:iifname|oifname) \"{_IF}\" jump {_CHAIN}|"
    rf"add rule bridge camguard {_CHAIN} (?:ether type arp accept|udp sport 68 udp dport 67 accept|"
    rf"udp sport 67 udp dport 68 accept|ip (?:saddr|daddr) {_CIDR} accept|drop))"
)
_NFT = "/usr/sbin/nft"

GRAMMARS: Dict[str, List[str]] = {
    "cisco_ios": [
        *_COMMON_CISCO,
        rf" ip access-group {_N} in",
        rf" no ip access-group {_N} in",
        rf"no ip access-list extended {_N}",
        rf"ip access-list extended {_N}",
        r" permit udp any eq bootpc any eq bootps",
        rf" permit ip any host {_IP}",
        rf" permit ip any {_IP} {_IP}",
        r" deny ip any any",
        # in-place edits (IOS shows no sequence numbers: entries are removed by their text)
        r" no permit udp any eq bootpc any eq bootps",
        rf" no permit ip any host {_IP}",
        rf" no permit ip any {_IP} {_IP}",
        r" no deny ip any any",
    ],
    "cisco_nxos": [
        *_COMMON_CISCO,
        rf" ip port access-group {_N} in",
        rf" no ip port access-group {_N} in",
        rf"no ip access-list {_N}",
        rf"ip access-list {_N}",
        rf" {_SEQ} permit udp any eq 68 any eq 67",
        rf" {_SEQ} permit ip any {_CIDR}",
        rf" {_SEQ} deny ip any any",
        rf" no {_SEQ}",
    ],
    "arista_eos": [
        *_COMMON_CISCO,
        rf" ip access-group {_N} in",
        rf" no ip access-group {_N} in",
        rf"no ip access-list {_N}",
        rf"ip access-list {_N}",
        rf" {_SEQ} permit udp any eq bootpc any eq bootps",
        rf" {_SEQ} permit ip any {_CIDR}",
        rf" {_SEQ} deny ip any any",
        rf" no {_SEQ}",
    ],
    "juniper_junos": [
        rf"set vlans {_N} vlan-id {_V}",
        rf"delete vlans {_N}",
        rf"delete interfaces {_IF} unit 0 family ethernet-switching vlan members",
        rf"set interfaces {_IF} unit 0 family ethernet-switching vlan members {_V}",
        rf"set interfaces {_IF} disable",
        rf"delete interfaces {_IF} disable",
        rf"set interfaces {_IF} unit 0 family ethernet-switching filter input {_N}",
        rf"delete interfaces {_IF} unit 0 family ethernet-switching filter input {_N}",
        rf"delete firewall family ethernet-switching filter {_N}",
        rf"set firewall family ethernet-switching filter {_N} term arp from ether-type arp",
        rf"set firewall family ethernet-switching filter {_N} term (?:arp|dhcp|peers) then accept",
        rf"set firewall family ethernet-switching filter {_N} term dhcp from ip-protocol udp",
        rf"set firewall family ethernet-switching filter {_N} term dhcp from destination-port 67",
        rf"set firewall family ethernet-switching filter {_N} term peers from ip-destination-address {_CIDR}",
        rf"set firewall family ethernet-switching filter {_N} term deny then discard",
    ],
    "aruba_aoscx": [
        rf"vlan {_V}",
        rf"no vlan {_V}",
        rf"    name {_N}",
        r"    exit",
        r"exit",
        rf"interface {_IF}",
        rf"    vlan access {_V}",
        r"    shutdown",
        r"    no shutdown",
        rf"    apply access-list ip {_N} in",
        rf"    no apply access-list ip {_N} in",
        rf"no access-list ip {_N}",
        rf"access-list ip {_N}",
        rf"    {_SEQ} permit udp any eq 68 any eq 67",
        rf"    {_SEQ} permit any any {_IP}/{_IP}",
        rf"    {_SEQ} deny any any any",
        rf"    no {_SEQ}",
    ],
    "hp_procurve": [
        rf"vlan {_V}",
        rf"no vlan {_V}",
        rf"   name \"{_N}\"",
        rf"   untagged {_IF}",
        r"   exit",
        r"exit",
        rf"interface {_IF}",
        r"   disable",
        r"   enable",
        rf"   ip access-group \"{_N}\" in",
        rf"   no ip access-group \"{_N}\" in",
        rf"no ip access-list extended \"{_N}\"",
        rf"ip access-list extended \"{_N}\"",
        r"   permit udp any any eq 67",
        rf"   permit ip any {_IP} {_IP}",
        r"   deny ip any any",
        rf"   {_SEQ} permit udp any any eq 67",
        rf"   {_SEQ} permit ip any {_IP} {_IP}",
        rf"   {_SEQ} deny ip any any",
        rf"   no {_SEQ}",
    ],
    "linux_bridge": [
        rf"/usr/sbin/ip link show br{_V} >/dev/null 2>&1 \|\| /usr/sbin/ip link add br{_V} type bridge",
        rf"/usr/sbin/ip link set br{_V} up",
        rf"/usr/sbin/ip link del br{_V}",
        rf"/usr/sbin/ip link set {_IF} master br{_V}",
        rf"/usr/sbin/ip link set {_IF} nomaster",
        rf"/usr/sbin/ip link set {_IF} (?:up|down)",
        rf"{_NFT} add table bridge camguard",
        rf"{_NFT} add chain bridge camguard forward '\{{ type filter hook forward priority 0 ; policy accept ; \}}'",
        rf"{_NFT} add chain bridge camguard {_CHAIN}",
        rf"{_NFT} '{_NFT_STMT}(?: ; {_NFT_STMT})*'",
    ],
}

_COMPILED: Dict[str, List[Pattern[str]]] = {k: [re.compile(p) for p in v] for k, v in GRAMMARS.items()}


def check_lines(platform: str, lines: Sequence[str]) -> List[str]:
    """Every line must fully match one grammar rule of ``platform``; returns the lines."""
    facts = PLATFORMS[platform].isolation if platform in PLATFORMS else None
    rules = _COMPILED.get(facts.grammar) if facts else None
    if rules is None:
        raise RenderError(
            f"no isolation line grammar for platform {platform!r}; supported: {', '.join(ISOLATION_PLATFORMS)}"
        )
    for n, line in enumerate(lines, 1):
        if any(c in line for c in "\r\n\x00"):
            raise RenderError(f"{platform}: rendered line {n} contains a control character: {line!r}")
        if not any(r.fullmatch(line) for r in rules):
            raise RenderError(f"{platform}: rendered line {n} is outside the allowed grammar: {line!r}")
    return list(lines)


# --------------------------------------------------------------------------- context


def peer_context(cidr: str) -> Dict[str, Any]:
    net = ipaddress.ip_network(cidr, strict=True)
    if net.version != 4:
        raise RenderError(f"peer {cidr!r}: only IPv4 peers are supported")
    return {
        "cidr": str(net),
        "ip": str(net.network_address),
        "prefixlen": net.prefixlen,
        "netmask": str(net.netmask),
        "wildcard": str(net.hostmask),
        "host": net.prefixlen == 32,
    }


def chain_name(interface: str) -> str:
    return "cg_" + re.sub(r"[^A-Za-z0-9_]", "_", interface)


def _port(interface: str, access_vlan: Optional[int], enabled: bool, where: str) -> Dict[str, Any]:
    name = validate_interface(interface, where)
    if "\n" in name:  # the shared validator's "$" anchor accepts one trailing newline
        raise InvalidInterfaceError(f"unsafe or invalid interface name {interface!r} ({where}): contains a newline")
    vlan = check_vlan(access_vlan, f"{where} access_vlan") if access_vlan is not None else None
    return {"interface": name, "access_vlan": vlan, "enabled": bool(enabled), "chain": chain_name(name)}


def sections(plan: Plan) -> List[Tuple[str, str, List[Dict[str, Any]]]]:
    """(mode, action, ports) in session order, from the per-attribute deltas of each change."""
    buckets: Dict[Tuple[str, str], List[Dict[str, Any]]] = {k: [] for k in SECTION_ORDER}
    q = plan.quarantine_vlan
    for c in plan.changes:
        where = f"{plan.switch} {c.interface!r}"
        p = _port(c.interface, c.after.access_vlan, c.after.enabled, where)
        if c.before.access_vlan != c.after.access_vlan:
            buckets[("vlan", "isolate" if c.after.access_vlan == q else "release")].append(p)
        if c.before.enabled != c.after.enabled:
            buckets[("shutdown", "release" if c.after.enabled else "isolate")].append(p)
        if c.before.acl != c.after.acl:
            buckets[("acl", "isolate" if c.after.acl else "release")].append(p)
    out = []
    for key in SECTION_ORDER:
        ports = buckets[key]
        if ports or (key == ("acl", "isolate") and plan.acl_define):
            out.append((key[0], key[1], ports))
    return out


def base_context(plan: Plan, quarantine_name: str, create_vlan: bool) -> Dict[str, Any]:
    acl_ports = [_port(i, None, True, f"{plan.switch} ACL port") for i in plan.acl_ports_after]
    return {
        "quarantine_vlan": check_vlan(plan.quarantine_vlan, "quarantine_vlan"),
        "quarantine_name": check_name(quarantine_name, "quarantine_name"),
        "create_vlan": bool(create_vlan),
        "acl_name": check_name(ACL_NAME, "acl_name"),
        "peers": [peer_context(p) for p in plan.allowed_peers],
        "define_acl": bool(plan.acl_define),
        "remove_acl": not plan.acl_ports_after,
        "acl_ports": acl_ports,
    }


# --------------------------------------------------------------------------- rendering


def template_path(templates_dir: str, platform: str, mode: str, action: str) -> str:
    return os.path.join(templates_dir, platform, f"{mode}_{action}.j2")


def _environment(templates_dir: str) -> Any:
    if not HAS_JINJA2:
        raise RenderError(f"jinja2 is required to render isolation templates: {JINJA2_IMPORT_ERROR}")
    if not templates_dir or not os.path.isdir(templates_dir):
        raise RenderError(
            f"templates_dir {templates_dir!r} is not a directory (the camera_isolation role passes "
            "'{{ role_path }}/templates')"
        )
    return ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render_template(
    templates_dir: str, platform: str, mode: str, action: str, context: Mapping[str, Any], env: Any = None
) -> List[str]:
    if mode not in MODES or action not in ACTIONS:
        raise RenderError(f"no template for mode {mode!r} / action {action!r}")
    env = env or _environment(templates_dir)
    rel = f"{platform}/{mode}_{action}.j2"
    if not os.path.isfile(os.path.join(templates_dir, rel)):
        raise RenderError(f"template {os.path.join(templates_dir, rel)} not found (platform {platform} not supported)")
    try:
        text = env.get_template(rel).render(**context)
    except TemplateError as exc:
        raise RenderError(f"template {rel} failed: {exc}") from None
    lines = [ln.rstrip() for ln in text.split("\n")]
    return check_lines(platform, [ln for ln in lines if ln.strip()])


def render_plan(
    plan: Plan,
    platform: str,
    templates_dir: str,
    quarantine_name: str = DEFAULTS["quarantine_vlan_name"],
    create_vlan: bool = DEFAULTS["create_quarantine_vlan"],
    extra: Optional[Mapping[str, Any]] = None,
) -> List[str]:
    """All configuration lines for ``plan`` on ``platform``, in session order. ``extra``: more
    template context from the live switch (``acl_edit``: how to change the ACL in place)."""
    if platform not in ISOLATION_PLATFORMS:
        raise RenderError(
            f"isolation is not supported on platform {platform!r}; supported: {', '.join(ISOLATION_PLATFORMS)}"
        )
    env = _environment(templates_dir)
    ctx = {**base_context(plan, quarantine_name, create_vlan), **dict(extra or {})}
    secs = sections(plan)
    acl_in_session = any(m == "acl" and a == "isolate" for m, a, _unused in secs)
    lines: List[str] = []
    for mode, action, ports in secs:
        lines.extend(
            render_template(
                templates_dir,
                platform,
                mode,
                action,
                {**ctx, "ports": ports, "acl_rendered_in_session": acl_in_session},
                env,
            )
        )
    return lines
