# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply an isolation plan to one switch through the ``Transport`` seam, in one config session.

Sequence (``run_isolation``): lock the switch's state directory; read the live state (ports, MAC
table, neighbours through the collector getters, plus the ports carrying the camguard ACL and the
running configuration); plan (``_isolation``); render (``_render``); in check mode stop there.
Otherwise save the running config and the plan, apply all lines in one session with the
platform's commit model, read back and verify every port, save the configuration; on any failure
roll back to the saved state (re-rendered from the plan, or the platform's native rollback),
read back again and report what happened. Every port change appends an audit record.

Commit models:

``netmiko``   IOS, NX-OS, AOS-CX, ProCurve: one ``send_config_set``; errors in its output fail
              the session; the config is saved (``write memory``/``copy run start``) after verify.
``eos``       ``configure session camguard-<id>``, lines, ``commit`` (``abort`` on any error).
``junos``     ``configure``, set lines, ``commit confirmed 2``, verify, ``commit`` to confirm;
              ``rollback 0`` on a rejected line, ``rollback 1`` + ``commit`` on a failed verify.
``linux``     every line run as its own shell command (with ``sudo -n`` unless logged in as
              root), exit status checked (``bridge``/``ip``/``nftables``).
``napalm``    ``load_merge_candidate`` -> ``compare_config`` -> ``commit_config(revert_in=...)``
              -> verify -> ``confirm_commit`` (or ``rollback``).

Batching (``config_batch_lines``): in the ``netmiko``, ``eos`` and ``junos`` models the rendered
lines (and those of a re-rendered rollback) are typed up to N lines at a time (at most
``DEFAULT_BATCH_BYTES``), each batch read back until the switch printed one prompt per line; every
platform of these models answers each line with a prompt of the same shape (``host(...)#``,
``user@host# ``), rejected lines included. Every batch is sent, as every line was before (stopping
early could leave the CLI in a sub-mode); the whole output is checked for errors as before.
The one-line commands around them (``commit``, ``abort``, ``rollback 0``, the save) are sent as
before. ``1`` types one line at a time and waits for its echo (netmiko's own
``send_config_set``). ``linux`` runs one shell command at a time whatever the setting: each
command's exit status is checked before the next one runs.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    ACL_NAME,
    Options,
    Plan,
    PortChange,
    PortConfig,
    Target,
    build_plan,
    current_config,
    saved_after_apply,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.render import render_plan
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore, audit_record
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    DeviceError,
    MacEntry,
    Neighbor,
    PortInfo,
)

DEFAULT_CONFIG_BATCH_LINES = 16

# --------------------------------------------------------------------------- platform data

RUNNING_CONFIG: Dict[str, Tuple[str, ...]] = {
    "cisco_ios": ("show running-config",),
    "cisco_nxos": ("show running-config",),
    "arista_eos": ("show running-config",),
    "juniper_junos": ("show configuration | display set",),
    "aruba_aoscx": ("show running-config",),
    "hp_procurve": ("show running-config",),
    "linux_bridge": (
        "/usr/sbin/ip -d link show",
        "/usr/sbin/bridge link show",
        "/usr/sbin/nft list table bridge camguard",
    ),
}
COMMIT_MODEL: Dict[str, str] = {
    "cisco_ios": "netmiko",
    "cisco_nxos": "netmiko",
    "aruba_aoscx": "netmiko",
    "hp_procurve": "netmiko",
    "arista_eos": "eos",
    "juniper_junos": "junos",
    "linux_bridge": "linux",
}
SAVE_COMMAND: Dict[str, str] = {
    "cisco_ios": "write memory",
    "cisco_nxos": "copy running-config startup-config",
    "arista_eos": "write memory",
    "aruba_aoscx": "write memory",
    "hp_procurve": "write memory",
}
# NAPALM drivers whose commit_config supports revert_in (commit confirm)
NAPALM_REVERT_IN = ("eos", "junos", "ios")
_ACL_BIND: Dict[str, re.Pattern[str]] = {
    "cisco_ios": re.compile(rf"^\s+ip access-group {ACL_NAME} in\s*$"),
    "arista_eos": re.compile(rf"^\s+ip access-group {ACL_NAME} in\s*$"),
    "cisco_nxos": re.compile(rf"^\s+ip port access-group {ACL_NAME} in\s*$"),
    "aruba_aoscx": re.compile(rf"^\s+apply access-list ip {ACL_NAME} in\s*$"),
    "hp_procurve": re.compile(rf"^\s+ip access-group \"?{ACL_NAME}\"? in\s*$"),
}
_JUNOS_ACL = re.compile(
    rf"^set interfaces (\S+) unit 0 family ethernet-switching filter input {ACL_NAME}\s*$", re.MULTILINE
)
_JUNOS_DISABLED = re.compile(r"^set interfaces (\S+) disable\s*$", re.MULTILINE)
_JUNOS_VLAN_ID = re.compile(r"^set vlans (\S+) vlan-id (\d+)\s*$", re.MULTILINE)
_CONFIG_ERROR = re.compile(
    r"(^%\s*\S|Invalid input|Incomplete command|Ambiguous command|Unrecognized command|syntax error|"
    r"^error:|^\s*Error:|unknown command|not allowed|Invalid command|is not valid|"
    r"Module not present for port|invalid port)",
    re.IGNORECASE | re.MULTILINE,
)
_RC_MARK = "__CAMGUARD_RC="
_RC_RE = re.compile(re.escape(_RC_MARK) + r"(\d+)")


class ApplyError(CamguardError):
    """The session failed (rejected line, commit error, failed verify); the message says where."""


@dataclass
class LiveState:
    ports: List[PortInfo]
    macs: List[MacEntry]
    neighbors: List[Neighbor]
    acl_ports: Set[str]
    running_config: str = ""

    def port_configs(self) -> Dict[str, PortConfig]:
        return {p.name: current_config(p, self.acl_ports) for p in self.ports}


Reader = Callable[[Transport, bool], LiveState]


# --------------------------------------------------------------------------- reading


def config_interface_blocks(text: str) -> Dict[str, List[str]]:
    """``interface X`` blocks of a Cisco-like running config (indented lines until the next block)."""
    blocks: Dict[str, List[str]] = {}
    cur: Optional[str] = None
    for raw in text.replace("\r", "").split("\n"):
        if raw.startswith("interface "):
            cur = raw[len("interface ") :].strip()
            blocks.setdefault(cur, [])
        elif cur is not None and raw[:1] in (" ", "\t"):
            blocks[cur].append(raw)
        else:
            cur = None
    return blocks


def acl_ports_from_config(platform: str, text: str) -> Set[str]:
    """Ports that carry the camguard ACL according to a running configuration."""
    if platform == "juniper_junos":
        return {canonical_interface(m, platform) for m in _JUNOS_ACL.findall(text)}
    if platform == "linux_bridge":
        return acl_ports_from_nft(text)
    pat = _ACL_BIND.get(platform)
    if pat is None:
        return set()
    return {
        canonical_interface(name, platform)
        for name, lines in config_interface_blocks(text).items()
        if any(pat.match(ln) for ln in lines)
    }


def disabled_ports_from_config(platform: str, text: str) -> Optional[Set[str]]:
    """Ports administratively disabled according to the configuration, where the platform's port
    getter cannot tell (``None``: trust the getter).

    Junos: ``show interfaces descriptions`` (the ports getter's admin-state source) lists only the
    interfaces that have a description, so a disabled port without one would read back as enabled;
    ``set interfaces X disable`` in ``show configuration | display set`` is authoritative.
    """
    if platform == "juniper_junos":
        return {canonical_interface(m, platform) for m in _JUNOS_DISABLED.findall(text)}
    return None


def quarantine_vlan_defined(platform: str, text: str, vlan: int) -> bool:
    """Junos: a VLAN with this ID already exists (under any name) in ``display set`` output.

    A second ``set vlans NAME vlan-id N`` for an existing ID fails the commit ("Duplicate vlan-id"),
    and ``vlan members N`` takes the ID, so the quarantine VLAN is then used as it is.
    """
    if platform != "juniper_junos":
        return False
    return any(int(vid) == vlan for _name, vid in _JUNOS_VLAN_ID.findall(text))


def acl_ports_from_nft(text: str) -> Set[str]:
    """Interfaces dispatched to a camguard chain by ``nft -j list chain bridge camguard forward``."""
    text = text.strip()
    if not text.startswith("{"):
        return set()  # "No such file or directory": the table does not exist
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ApplyError(f"cannot parse nftables JSON: {exc}") from None
    out: Set[str] = set()
    for item in data.get("nftables", []):
        rule = item.get("rule") if isinstance(item, dict) else None
        if not isinstance(rule, dict):
            continue
        name = None
        jumps = False
        for expr in rule.get("expr", []):
            m = expr.get("match") if isinstance(expr, dict) else None
            if isinstance(m, dict):
                key = (m.get("left") or {}).get("meta", {}).get("key")
                if key in ("iifname", "oifname") and isinstance(m.get("right"), str):
                    name = m["right"]
            if isinstance(expr, dict) and "jump" in expr:
                jumps = str(expr["jump"].get("target", "")).startswith("cg_")
        if name and jumps:
            out.add(name)
    return out


def _sudo(line: str, root: bool) -> str:
    return line if root else f"sudo -n /bin/sh -c {shlex.quote(line)}"


def default_reader(platform: str, switch: str, root: bool = True) -> Reader:
    """Read the live state with the collector getters (the platform's parser SPECS)."""

    def read(transport: Transport, with_config: bool) -> LiveState:
        from ansible_collections.camguard.network.plugins.module_utils._collect import collect

        getters = ("mac_table", "neighbors", "ports")
        collector = getattr(transport, "collect", None)
        data = collector(switch, getters) if callable(collector) else collect(transport, platform, switch, getters)
        config_parts = []
        if with_config or platform != "linux_bridge":
            for cmd in RUNNING_CONFIG[platform]:
                full = _sudo(cmd, root) if platform == "linux_bridge" else cmd
                out = transport.send_command(full)
                config_parts.append(out if platform != "linux_bridge" else f"### {cmd}\n{out}")
        config = "\n".join(config_parts)
        ports = data.ports
        if platform == "linux_bridge":
            nft = transport.send_command(_sudo("/usr/sbin/nft -j list chain bridge camguard forward", root))
            acl = acl_ports_from_nft(nft)
        else:
            acl = acl_ports_from_config(platform, config)
            disabled = disabled_ports_from_config(platform, config)
            if disabled is not None:
                ports = [dataclasses.replace(p, enabled=p.name not in disabled) for p in ports]
        return LiveState(ports=ports, macs=data.macs, neighbors=data.neighbors, acl_ports=acl, running_config=config)

    return read


# --------------------------------------------------------------------------- sessions


def _check_output(switch: str, out: str, what: str) -> None:
    m = _CONFIG_ERROR.search(out or "")
    if m:
        line = out[m.start() :].splitlines()[0].strip()
        raise ApplyError(f"{switch}: {what} rejected: {line[:200]}")


def _last_line(out: str) -> str:
    lines = [ln.strip() for ln in (out or "").splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(no output)"


def check_batch_lines(value: Any) -> int:
    """``config_batch_lines`` as an int >= 1, or ``ApplyError`` naming the option and the value."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ApplyError(f"config_batch_lines must be an integer of at least 1, got {value!r}")
    return value


def _session_name(change_id: Optional[str]) -> str:
    return "camguard-" + re.sub(r"[^A-Za-z0-9_-]", "-", change_id or "run")[:40]


class Session:
    """Send one rendered configuration with the platform's commit model."""

    def __init__(
        self,
        transport: Transport,
        platform: str,
        switch: str,
        change_id: Optional[str],
        root: bool = True,
        batch_lines: int = DEFAULT_CONFIG_BATCH_LINES,
    ):
        self.t = transport
        self.platform = platform
        self.switch = switch
        self.change_id = change_id
        self.root = root
        self.model = COMMIT_MODEL[platform]
        self.batch_lines = check_batch_lines(batch_lines)
        self.napalm_driver: Optional[str] = None
        device = getattr(transport, "device", None)
        plat = getattr(transport, "platform", None)
        if device is not None and plat is not None and getattr(plat, "napalm_driver", None):
            self.model = "napalm"
            self.napalm_driver = str(plat.napalm_driver)
            self.device = device
        self.pending_confirm = False
        # the failed session was discarded before anything was committed (EOS abort, Junos
        # rollback 0): the switch runs what it ran before, there is nothing to undo
        self.discarded = False
        self.transcript: List[str] = []

    def _batching(self) -> Dict[str, Any]:
        """``send_config_set`` arguments for the rendered lines (none: one line at a time)."""
        if self.batch_lines == 1:
            return {}
        return {"batch_lines": self.batch_lines}

    def apply(self, lines: Sequence[str]) -> None:
        if not lines:
            return
        if self.model == "netmiko":
            out = self.t.send_config_set(list(lines), **self._batching())
            self.transcript.append(out)
            _check_output(self.switch, out, "configuration")
        elif self.model == "eos":
            name = _session_name(self.change_id)
            out = self.t.send_config_set(
                list(lines), config_mode_command=f"configure session {name}", exit_config_mode=False, **self._batching()
            )
            self.transcript.append(out)
            try:
                _check_output(self.switch, out, f"configuration session {name}")
            except ApplyError:
                self.t.send_config_set(["abort"], enter_config_mode=False)
                self.discarded = True
                raise
            out = self.t.send_config_set(["commit"], enter_config_mode=False)
            self.transcript.append(out)
            try:
                _check_output(self.switch, out, f"commit of session {name}")
            except ApplyError:
                # a rejected commit leaves the session pending: abort it, nothing was committed
                self.t.send_config_set([f"configure session {name}", "abort"], enter_config_mode=False)
                self.discarded = True
                raise
        elif self.model == "junos":
            out = self.t.send_config_set(list(lines), exit_config_mode=False, **self._batching())
            self.transcript.append(out)
            try:
                _check_output(self.switch, out, "configuration")
            except ApplyError:
                self.t.send_config_set(["rollback 0", "exit configuration-mode"], enter_config_mode=False)
                self.discarded = True
                raise
            comment = _session_name(self.change_id)
            out = self.t.send_config_set(
                [f"commit confirmed 2 comment {comment} and-quit"], enter_config_mode=False, exit_config_mode=False
            )
            self.transcript.append(out)
            if "commit complete" not in out.lower():
                # commit check failed (or no answer): the candidate stays; throw it away
                self.t.send_config_set(["rollback 0", "exit configuration-mode"], enter_config_mode=False)
                self.discarded = True
                _check_output(self.switch, out, "commit confirmed")
                raise ApplyError(f"{self.switch}: commit confirmed did not complete: {_last_line(out)}")
            self.pending_confirm = True
        elif self.model == "linux":
            for line in lines:
                self.run_linux(line)
        elif self.model == "napalm":
            self.device.load_merge_candidate(config="\n".join(lines) + "\n")
            diff = str(self.device.compare_config() or "")
            self.transcript.append(diff)
            if not diff.strip():
                self.device.discard_config()
                return
            try:
                if self.napalm_driver in NAPALM_REVERT_IN:
                    self.device.commit_config(message=_session_name(self.change_id), revert_in=120)
                    self.pending_confirm = True
                else:
                    self.device.commit_config(message=_session_name(self.change_id))
            except Exception as exc:
                self.device.discard_config()
                raise ApplyError(f"{self.switch}: NAPALM commit failed: {exc}") from None
        else:  # pragma: no cover - table above is exhaustive
            raise ApplyError(f"no commit model for {self.platform}")

    def run_linux(self, line: str) -> str:
        cmd = _sudo(line, self.root)
        out = self.t.send_command(f"{cmd}; echo {_RC_MARK}$?")
        self.transcript.append(out)
        m = _RC_RE.search(out or "")
        if m is None:
            raise ApplyError(f"{self.switch}: no exit status for {line!r}")
        if m.group(1) != "0":
            msg = (out[: m.start()].strip().splitlines() or ["(no output)"])[-1]
            raise ApplyError(f"{self.switch}: command failed (exit {m.group(1)}): {line!r}: {msg[:200]}")
        return out

    def confirm(self) -> None:
        """Make the change permanent (Junos confirm; save the configuration elsewhere)."""
        if self.model == "napalm":
            if self.pending_confirm:
                self.device.confirm_commit()
                self.pending_confirm = False
        elif self.model == "junos" and self.pending_confirm:
            out = self.t.send_config_set(["commit comment camguard-confirm and-quit"], exit_config_mode=False)
            self.transcript.append(out)
            _check_output(self.switch, out, "commit (confirm)")
            self.pending_confirm = False
        elif self.platform in SAVE_COMMAND:
            out = self.t.send_command(SAVE_COMMAND[self.platform])
            self.transcript.append(out)
            _check_output(self.switch, out, SAVE_COMMAND[self.platform])

    def native_rollback(self) -> bool:
        """Junos after ``commit confirmed``: ``rollback 1`` + ``commit``; NAPALM: ``rollback()``."""
        if self.model == "napalm" and self.pending_confirm:
            self.device.rollback()
            self.pending_confirm = False
            return True
        if self.model == "junos" and self.pending_confirm:
            out = self.t.send_config_set(
                ["rollback 1", "commit comment camguard-rollback and-quit"], exit_config_mode=False
            )
            self.transcript.append(out)
            _check_output(self.switch, out, "rollback 1")
            self.pending_confirm = False
            return True
        return False


def apply_napalm(
    driver: Any,
    lines: Sequence[str],
    napalm_driver: str,
    verify: Callable[[], Optional[str]],
    message: str = "camguard isolation",
    revert_in: int = 120,
) -> Tuple[bool, str]:
    """NAPALM merge -> compare -> commit (confirm/revert where supported) -> verify -> confirm.

    Returns (changed, diff). On a failed verify the commit is rolled back and ``ApplyError`` raised.
    """
    driver.load_merge_candidate(config="\n".join(lines) + "\n")
    diff = str(driver.compare_config() or "")
    if not diff.strip():
        driver.discard_config()
        return False, ""
    confirm = napalm_driver in NAPALM_REVERT_IN
    try:
        if confirm:
            driver.commit_config(message=message, revert_in=revert_in)
        else:
            driver.commit_config(message=message)
    except Exception as exc:
        driver.discard_config()
        raise ApplyError(f"commit failed: {exc}") from None
    problem = verify()
    if problem:
        driver.rollback()
        raise ApplyError(f"verify failed after commit, rolled back: {problem}")
    if confirm:
        driver.confirm_commit()
    return True, diff


# --------------------------------------------------------------------------- verification


def verify_changes(live: LiveState, changes: Sequence[PortChange], want_before: bool = False) -> List[str]:
    """Problems (empty = verified): every changed port must read back as its after (or before)."""
    got = live.port_configs()
    problems = []
    for c in changes:
        want = c.before if want_before else c.after
        have = got.get(c.interface)
        if have is None:
            problems.append(f"{c.interface}: not found when reading back")
        elif have != want:
            problems.append(f"{c.interface}: expected {_cfg(want)}, read back {_cfg(have)}")
    return problems


def _cfg(c: PortConfig) -> str:
    vlan = "-" if c.access_vlan is None else str(c.access_vlan)
    return f"vlan={vlan} enabled={'yes' if c.enabled else 'no'} acl={'yes' if c.acl else 'no'}"


def inverse_plan(plan: Plan, acl_ports_before: Set[str], saved_peers: Sequence[str]) -> Plan:
    """The plan that takes the switch from ``plan``'s after back to its before."""
    inv = dataclasses.replace(
        plan,
        changes=[
            dataclasses.replace(
                c, before=c.after, after=c.before, action="release" if c.action == "isolate" else "isolate"
            )
            for c in plan.changes
        ],
        acl_ports_after=tuple(sorted(acl_ports_before)),
        allowed_peers=tuple(saved_peers) if plan.acl_define and saved_peers else plan.allowed_peers,
        acl_define=bool(plan.acl_define and acl_ports_before),
        blocked=[],
    )
    return inv


def diff_text(plan: Plan, lines: Sequence[str]) -> Dict[str, str]:
    before = [f"# {plan.switch}"] + [f"{c.interface}: {_cfg(c.before)}" for c in plan.changes]
    after = [f"# {plan.switch}"] + [f"{c.interface}: {_cfg(c.after)}  ({c.action} {c.mode})" for c in plan.changes]
    if lines:
        after += ["# configuration sent in one session:"] + [f"#   {ln}" for ln in lines]
    return {
        "before_header": f"{plan.switch} (running)",
        "after_header": f"{plan.switch} (planned)",
        "before": "\n".join(before) + "\n",
        "after": "\n".join(after) + "\n",
    }


# --------------------------------------------------------------------------- orchestration


@dataclass
class RunResult:
    switch: str
    plan: Plan
    config: List[str] = field(default_factory=list)
    changed: bool = False
    applied: bool = False
    verified: Optional[bool] = None
    rolled_back: bool = False
    rollback_verified: Optional[bool] = None
    failed: bool = False
    msg: str = ""
    audit_records: List[Dict[str, Any]] = field(default_factory=list)
    running_config_file: Optional[str] = None
    plan_file: Optional[str] = None
    diff: Dict[str, str] = field(default_factory=dict)
    problems: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "switch": self.switch,
            "changed": self.changed,
            "failed": self.failed,
            "msg": self.msg,
            "plan": self.plan.to_dict(),
            "plan_digest": self.plan.digest(),
            "refused": [r.to_dict() for r in self.plan.refusals + self.plan.blocked],
            "config": list(self.config),
            "applied": self.applied,
            "verified": self.verified,
            "rolled_back": self.rolled_back,
            "rollback_verified": self.rollback_verified,
            "audit_records": list(self.audit_records),
            "running_config_file": self.running_config_file,
            "plan_file": self.plan_file,
            "problems": list(self.problems),
        }


def _records(
    plan: Plan, result: str, now: datetime, user: str, detail: str = "", reverse: bool = False
) -> List[Dict[str, Any]]:
    out = []
    for c in plan.changes:
        out.append(
            audit_record(
                now=now,
                user=user,
                change_id=plan.change_id,
                switch=plan.switch,
                port=c.interface,
                mac=",".join(c.macs) or None,
                vendor=c.vendor_key,
                mode=c.mode,
                action=c.action,
                before=c.before.to_dict(),
                after=c.after.to_dict(),
                result=result,
                detail=detail,
            )
        )
    for r in plan.refusals + plan.blocked:
        out.append(
            audit_record(
                now=now,
                user=user,
                change_id=plan.change_id,
                switch=plan.switch,
                port=r.interface,
                mac=r.mac,
                vendor=None,
                mode=plan.mode,
                action="refuse",
                before=None,
                after=None,
                result=f"refused:{r.code}",
                detail=r.reason,
            )
        )
    return out


def run_isolation(
    transport: Transport,
    platform: str,
    switch: str,
    targets: Sequence[Target],
    options: Options,
    store: StateStore,
    templates_dir: str,
    *,
    verify: bool = True,
    user: str = "unknown",
    quarantine_name: str = "CAMGUARD-QUARANTINE",
    create_vlan: bool = True,
    lock_timeout: float = 60.0,
    approved_digest: Optional[str] = None,
    reader: Optional[Reader] = None,
    root: bool = True,
    reconnect: Optional[Callable[[], Transport]] = None,
    config_batch_lines: int = DEFAULT_CONFIG_BATCH_LINES,
) -> RunResult:
    """Plan, and outside check mode apply, verify and record, for one switch.

    ``config_batch_lines``: how many configuration lines are typed before reading the switch's
    answers (``1``: one at a time, each echo awaited); see the module docstring.

    ``reconnect`` opens a fresh session to the same switch: when the connection drops or stalls
    in the middle of the change, the rollback and its verification run over a new session
    instead of the dead one.
    """
    read = reader or default_reader(platform, switch, root)
    batch_lines = check_batch_lines(config_batch_lines)
    now = options.now if options.now.tzinfo else options.now.replace(tzinfo=timezone.utc)
    with store.lock(lock_timeout):
        saved = store.load_ports()
        live = read(transport, True)
        plan = build_plan(switch, live.ports, live.macs, live.neighbors, live.acl_ports, saved, targets, options)
        if create_vlan and quarantine_vlan_defined(platform, live.running_config, plan.quarantine_vlan):
            create_vlan = False
        lines = render_plan(plan, platform, templates_dir, quarantine_name, create_vlan) if plan.has_changes else []
        res = RunResult(switch=switch, plan=plan, config=lines, diff=diff_text(plan, lines))
        applying = not options.check_mode and options.state != "planned"
        if options.state == "planned" and not options.check_mode:
            res.plan_file = store.write_plan(
                plan.change_id, {**plan.to_dict(), "digest": plan.digest(), "config": lines}
            )
        if not applying:
            res.changed = plan.has_changes and not plan.blocked
            res.msg = "check mode: nothing sent" if options.check_mode else "plan written, nothing sent"
            return res
        if plan.blocked:
            res.failed = True
            res.msg = "refused: " + "; ".join(r.reason for r in plan.blocked)
            res.audit_records = _records(plan, "refused", now, user)
            store.append_audit(res.audit_records)
            return res
        if approved_digest and approved_digest != plan.digest():
            res.failed = True
            res.msg = f"refused: the plan for {switch} changed since it was approved (digest {approved_digest[:12]}...)"
            return res
        if not plan.has_changes:
            if plan.refusals:
                res.audit_records = _records(plan, "refused", now, user)
                store.append_audit(res.audit_records)
            res.msg = "nothing to change"
            return res

        res.running_config_file = store.save_running_config(live.running_config, now)
        res.plan_file = store.write_plan(plan.change_id, {**plan.to_dict(), "digest": plan.digest(), "config": lines})
        session = Session(transport, platform, switch, plan.change_id, root, batch_lines)
        error: Optional[str] = None
        io_failure = False
        try:
            res.applied = True
            session.apply(lines)
            if verify:
                problems = verify_changes(read(transport, False), plan.changes)
                res.problems = problems
                res.verified = not problems
                if problems:
                    raise ApplyError(f"{switch}: verify failed: " + "; ".join(problems))
            session.confirm()
        except (CamguardError, DeviceError) as exc:
            error = str(exc)
            io_failure = isinstance(exc, DeviceError)  # the session failed, not the verification
        if error is None:
            res.changed = True
            store.save_ports(saved_after_apply(saved, plan, now))
            res.audit_records = _records(plan, "applied" if verify else "applied-unverified", now, user)
            store.append_audit(res.audit_records)
            res.msg = f"{len(plan.changes)} port(s) changed on {switch}"
            return res

        # ---------------- rollback to the saved state
        res.failed = True
        res.changed = True  # something may have been sent
        rb_error = None
        fresh: Optional[Transport] = None
        try:
            alive = getattr(transport, "alive", None)
            if reconnect is not None and (io_failure or (callable(alive) and not alive())):
                # the session died or stalled mid-change: continue over a new one
                fresh = reconnect()
                pending = session.pending_confirm
                session = Session(fresh, platform, switch, plan.change_id, root, batch_lines)
                session.pending_confirm = pending
                transport = fresh
                error += " (session failed; rolled back over a new session)"
            if session.discarded:
                error += " (nothing was committed: the session was discarded)"
            elif not session.native_rollback():
                inv = inverse_plan(plan, live.acl_ports, list(saved.get("acl_peers", [])))
                rb_lines = render_plan(inv, platform, templates_dir, quarantine_name, create_vlan=False)
                rb_session = Session(transport, platform, switch, plan.change_id, root, batch_lines)
                rb_session.apply(rb_lines)
            res.rolled_back = True
            back = verify_changes(read(transport, False), plan.changes, want_before=True)
            res.rollback_verified = not back
            if back:
                rb_error = "state after rollback differs: " + "; ".join(back)
        except (CamguardError, DeviceError) as exc:
            rb_error = f"rollback failed: {exc}"
            res.rollback_verified = False
        finally:
            if fresh is not None:
                fresh.close()
        res.msg = f"{error}; " + (rb_error or "rolled back to the saved state and verified")
        res.audit_records = _records(
            plan, "failed-rolled-back" if not rb_error else "failed-rollback-failed", now, user, error
        )
        store.append_audit(res.audit_records)
        return res
