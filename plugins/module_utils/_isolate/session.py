# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One configuration session on one switch: the rendered lines sent with the platform's commit
model, then made permanent (``confirm``) or undone natively (``native_rollback``).

One class per commit model, chosen by ``open_session`` from the platform table
(``_platforms.Isolation.commit_model``), or NAPALM when the transport is NAPALM's:

``ConfigModeSession``       ``config_mode``: IOS, NX-OS, AOS-CX, ProCurve: one ``send_config_set``;
                            errors in its output fail the session; the platform's save command
                            (``write memory``/``copy run start``) runs after verify.
``ConfigureSession``        ``config_session``: EOS ``configure session camguard-<id>-<run>``, lines,
                            ``commit`` (``abort`` on any error); saved after verify.
``CommitConfirmedSession``  ``commit_confirmed``: Junos ``configure exclusive``, set lines, ``commit
                            confirmed 2``, verify, ``commit`` to confirm; ``rollback 0`` on a rejected
                            line, ``rollback 1`` + ``commit`` on a failed verify.
``ShellSession``            ``shell``: Linux, every line run as its own shell command (with ``sudo -n``
                            unless logged in as root), exit status checked (``bridge``/``ip``/``nftables``).
``NapalmSession``           ``load_merge_candidate`` -> ``compare_config`` -> ``commit_config(revert_in=...)``
                            where the driver supports it -> verify -> ``confirm_commit`` (or ``rollback``).

Batching (``config_batch_lines``): in the config-mode, configure-session and commit-confirmed
models the rendered lines (and those of a re-rendered rollback) are typed up to N lines at a time
(at most ``DEFAULT_BATCH_BYTES``), each batch read back until the switch printed one prompt per
line; every platform of these models answers each line with a prompt of the same shape
(``host(...)#``, ``user@host# ``), rejected lines included. Every batch is sent, as every line was
before (stopping early could leave the CLI in a sub-mode); the whole output is checked for errors.
The one-line commands around them (``commit``, ``abort``, ``rollback 0``, the save) are sent one
by one. ``1`` types one line at a time and waits for its echo (netmiko's own ``send_config_set``).
The shell model runs one command at a time whatever the setting: each command's exit status is
checked before the next one runs.

Names are unique per run: the EOS session and the Junos commit comments are
``camguard-<change id>-<run id>`` (``session_name``; the run id is new for every run,
``new_run_id``), so a retry never enters what an earlier run left. ``prepare`` runs before a run
sends anything: on EOS it aborts the pending ``camguard-*`` sessions earlier runs left behind (a
run killed before its ``commit``) and says so. Junos changes are made in ``configure exclusive``:
the candidate is locked for the run, and Junos discards its uncommitted changes when the session
ends, killed or not, so no run leaves a candidate behind; when the shared candidate holds
uncommitted changes of someone else, Junos refuses the exclusive session and the run fails before
a line is sent, naming them.
"""

from __future__ import annotations

import re
import secrets
import shlex
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import DEFAULT_CONFIG_BATCH_LINES
from ansible_collections.camguard.network.plugins.module_utils._platforms import (
    COMMIT_CONFIRMED,
    CONFIG_MODE,
    CONFIG_SESSION,
    PLATFORMS,
    SHELL,
    Isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError

# An error in what a switch CLI printed back for configuration lines.
CONFIG_ERROR = re.compile(
    r"(^%\s*\S|Invalid input|Incomplete command|Ambiguous command|Unrecognized command|syntax error|"
    r"^error:|^\s*Error:|unknown command|not allowed|Invalid command|is not valid|"
    r"Module not present for port|invalid port)",
    re.IGNORECASE | re.MULTILINE,
)
NAPALM_REVERT_IN = 120  # seconds NAPALM's commit confirm waits for confirm_commit
_RC_MARK = "__CAMGUARD_RC="
_RC_RE = re.compile(re.escape(_RC_MARK) + r"(\d+)")


class ApplyError(CamguardError):
    """The session failed (rejected line, commit error, failed verify); the message says where."""


def check_batch_lines(value: Any) -> int:
    """``config_batch_lines`` as an int >= 1, or ``ApplyError`` naming the option and the value."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ApplyError(f"config_batch_lines must be an integer of at least 1, got {value!r}")
    return value


def as_root(line: str, root: bool) -> str:
    """A shell command line run as root: through ``sudo -n`` unless the login user is root."""
    return line if root else f"sudo -n /bin/sh -c {shlex.quote(line)}"


def check_output(switch: str, out: str, what: str) -> None:
    """``ApplyError`` quoting the first error line of ``out`` (what the CLI printed for ``what``)."""
    m = CONFIG_ERROR.search(out or "")
    if m:
        line = out[m.start() :].splitlines()[0].strip()
        raise ApplyError(f"{switch}: {what} rejected: {line[:200]}")


def _last_line(out: str) -> str:
    lines = [ln.strip() for ln in (out or "").splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(no output)"


SESSION_PREFIX = "camguard-"
# a session name this collection made (and may abort when a run left it pending)
_OUR_SESSION = re.compile(r"camguard-[A-Za-z0-9_-]{1,60}")
# ``show configuration sessions`` (EOS): "[*]  <name>  <state> ..." rows
_EOS_SESSION_ROW = re.compile(r"^\s*\*?\s*(\S+)\s+(pending\S*|completed\S*|\S+)", re.MULTILINE)


def new_run_id() -> str:
    """A new run's id: 8 hex digits, part of every session name and commit comment of the run."""
    return secrets.token_hex(4)


def session_name(change_id: Optional[str], run_id: Optional[str] = None) -> str:
    """The name of the configure session / commit comment of a change (of one run of it)."""
    cid = re.sub(r"[^A-Za-z0-9_-]", "-", change_id or "run")
    if run_id is None:
        return SESSION_PREFIX + cid[:40]
    return f"{SESSION_PREFIX}{cid[:28]}-{re.sub(r'[^A-Za-z0-9]', '', run_id)[:12]}"


def pending_sessions(output: str) -> List[str]:
    """The pending configure sessions this collection made, from EOS ``show configuration sessions``."""
    out = []
    for m in _EOS_SESSION_ROW.finditer(output or ""):
        name, state = m.group(1), m.group(2).lower()
        if _OUR_SESSION.fullmatch(name) and state.startswith("pending"):
            out.append(name)
    return out


def napalm_commit_confirms(driver: str) -> bool:
    """NAPALM's ``commit_config(revert_in=...)`` works for this driver (the platform table says so)."""
    return any(p.napalm_driver == driver and p.napalm_commit_confirm for p in PLATFORMS.values())


# --------------------------------------------------------------------------- sessions


class Session:
    """Send one rendered configuration to one switch with one commit model."""

    model = ""

    def __init__(
        self,
        transport: Transport,
        switch: str,
        change_id: Optional[str],
        root: bool = True,
        batch_lines: int = DEFAULT_CONFIG_BATCH_LINES,
        save_command: Optional[str] = None,
        run_id: Optional[str] = None,
    ) -> None:
        self.t = transport
        self.switch = switch
        self.change_id = change_id
        self.run_id = run_id
        self.root = root
        self.batch_lines = check_batch_lines(batch_lines)
        self.save_command = save_command
        # a commit waits for its confirmation (Junos commit confirmed, NAPALM revert_in)
        self.pending_confirm = False
        # the failed session was discarded before anything was committed (EOS abort, Junos
        # rollback 0): the switch runs what it ran before, there is nothing to undo
        self.discarded = False
        self.transcript: List[str] = []

    @property
    def name(self) -> str:
        """This run's session name / commit comment (``session_name``)."""
        return session_name(self.change_id, self.run_id)

    def prepare(self, check_mode: bool = False) -> List[str]:
        """Before a run sends anything: clear what earlier runs of this collection left pending
        on the switch (in check mode only say so). Returns notes for the result."""
        return []

    def _batching(self) -> Dict[str, Any]:
        """``send_config_set`` arguments for the rendered lines (none: one line at a time)."""
        if self.batch_lines == 1:
            return {}
        return {"batch_lines": self.batch_lines}

    def _config(self, lines: Sequence[str], **kwargs: Any) -> str:
        out = self.t.send_config_set(list(lines), **kwargs)
        self.transcript.append(out)
        return out

    def apply(self, lines: Sequence[str]) -> None:
        if lines:
            self._apply(list(lines))

    def _apply(self, lines: List[str]) -> None:
        raise NotImplementedError

    def confirm(self) -> None:
        """Make the change permanent: the platform's save command, where it has one."""
        if self.save_command:
            out = self.t.send_command(self.save_command)
            self.transcript.append(out)
            check_output(self.switch, out, self.save_command)

    def native_rollback(self) -> bool:
        """Undo the committed change with the platform's own rollback (False: it has none)."""
        return False


class ConfigModeSession(Session):
    """Config mode, the lines, exit; the configuration is saved after verify."""

    model = CONFIG_MODE

    def _apply(self, lines: List[str]) -> None:
        out = self._config(lines, **self._batching())
        check_output(self.switch, out, "configuration")


class ConfigureSession(Session):
    """``configure session NAME``, the lines, ``commit``; ``abort`` on any error."""

    model = CONFIG_SESSION

    def prepare(self, check_mode: bool = False) -> List[str]:
        out = self.t.send_command("show configuration sessions")
        notes = []
        for name in pending_sessions(out):
            if name == self.name:
                continue
            if check_mode:
                notes.append(f"configure session {name} is pending (left by an earlier run): the next run aborts it")
                continue
            res = self.t.send_config_set(
                ["abort"], config_mode_command=f"configure session {name}", exit_config_mode=False
            )
            self.transcript.append(res)
            if CONFIG_ERROR.search(res or ""):
                notes.append(
                    f"configure session {name} is pending (left by an earlier run) and could not be aborted: {_last_line(res)}"
                )
            else:
                notes.append(f"aborted configure session {name}, left pending by an earlier run (never committed)")
        return notes

    def _apply(self, lines: List[str]) -> None:
        name = self.name
        out = self._config(
            lines, config_mode_command=f"configure session {name}", exit_config_mode=False, **self._batching()
        )
        try:
            check_output(self.switch, out, f"configuration session {name}")
        except ApplyError:
            self.t.send_config_set(["abort"], enter_config_mode=False)
            self.discarded = True
            raise
        out = self._config(["commit"], enter_config_mode=False)
        try:
            check_output(self.switch, out, f"commit of session {name}")
        except ApplyError:
            # a rejected commit leaves the session pending: abort it, nothing was committed
            self.t.send_config_set([f"configure session {name}", "abort"], enter_config_mode=False)
            self.discarded = True
            raise


class CommitConfirmedSession(Session):
    """``configure exclusive``, the candidate, ``commit confirmed 2``, verify, ``commit``;
    ``rollback 1`` when verify fails."""

    model = COMMIT_CONFIRMED
    ENTER = "configure exclusive"

    def _enter(self) -> None:
        """Lock the candidate for this run: Junos discards what it holds uncommitted when the
        session ends. A shared candidate with someone else's uncommitted changes refuses it."""
        out = self.t.send_command(self.ENTER)
        self.transcript.append(out)
        m = re.search(r"^\s*error:.*$", out or "", re.MULTILINE)
        if m:
            raise ApplyError(
                f"{self.switch}: {self.ENTER} refused: {m.group(0).strip()[:200]} (the shared candidate "
                "configuration holds uncommitted changes camguard did not make: commit or discard them first)"
            )

    def _discard(self) -> None:
        self.t.send_config_set(["rollback 0", "exit configuration-mode"], enter_config_mode=False)
        self.discarded = True

    def _apply(self, lines: List[str]) -> None:
        try:
            self._enter()
        except ApplyError:
            self.discarded = True  # nothing was typed into a candidate
            raise
        out = self._config(lines, enter_config_mode=False, exit_config_mode=False, **self._batching())
        try:
            check_output(self.switch, out, "configuration")
        except ApplyError:
            self._discard()
            raise
        out = self._config(
            [f"commit confirmed 2 comment {self.name} and-quit"], enter_config_mode=False, exit_config_mode=False
        )
        if "commit complete" not in out.lower():
            # commit check failed (or no answer): the candidate stays; throw it away
            self._discard()
            check_output(self.switch, out, "commit confirmed")
            raise ApplyError(f"{self.switch}: commit confirmed did not complete: {_last_line(out)}")
        self.pending_confirm = True

    def _comment(self, what: str) -> str:
        return SESSION_PREFIX + what + "-" + self.name[len(SESSION_PREFIX) :]

    def confirm(self) -> None:
        if not self.pending_confirm:
            super().confirm()
            return
        self._enter()
        out = self._config(
            [f"commit comment {self._comment('confirm')} and-quit"], enter_config_mode=False, exit_config_mode=False
        )
        check_output(self.switch, out, "commit (confirm)")
        self.pending_confirm = False

    def native_rollback(self) -> bool:
        if not self.pending_confirm:
            return False
        self._enter()
        out = self._config(
            ["rollback 1", f"commit comment {self._comment('rollback')} and-quit"],
            enter_config_mode=False,
            exit_config_mode=False,
        )
        check_output(self.switch, out, "rollback 1")
        self.pending_confirm = False
        return True


class ShellSession(Session):
    """Each line its own shell command (``sudo -n`` unless root), its exit status checked."""

    model = SHELL

    def _apply(self, lines: List[str]) -> None:
        for line in lines:
            self.run(line)

    def run(self, line: str) -> str:
        out = self.t.send_command(f"{as_root(line, self.root)}; echo {_RC_MARK}$?")
        self.transcript.append(out)
        m = _RC_RE.search(out or "")
        if m is None:
            raise ApplyError(f"{self.switch}: no exit status for {line!r}")
        if m.group(1) != "0":
            msg = (out[: m.start()].strip().splitlines() or ["(no output)"])[-1]
            raise ApplyError(f"{self.switch}: command failed (exit {m.group(1)}): {line!r}: {msg[:200]}")
        return out


class NapalmSession(Session):
    """NAPALM merge -> compare -> commit (with ``revert_in`` where the driver supports it)."""

    model = "napalm"

    def __init__(self, transport: Transport, switch: str, change_id: Optional[str], *args: Any, **kw: Any) -> None:
        super().__init__(transport, switch, change_id, *args, **kw)
        self.device: Any = getattr(transport, "device", None)
        self.napalm_driver = str(getattr(getattr(transport, "platform", None), "napalm_driver", ""))
        self.save_command = None  # the commit persists the change

    def _apply(self, lines: List[str]) -> None:
        self.device.load_merge_candidate(config="\n".join(lines) + "\n")
        diff = str(self.device.compare_config() or "")
        self.transcript.append(diff)
        if not diff.strip():
            self.device.discard_config()
            return
        try:
            if napalm_commit_confirms(self.napalm_driver):
                self.device.commit_config(message=self.name, revert_in=NAPALM_REVERT_IN)
                self.pending_confirm = True
            else:
                self.device.commit_config(message=self.name)
        except Exception as exc:
            self.device.discard_config()
            raise ApplyError(f"{self.switch}: NAPALM commit failed: {exc}") from None

    def confirm(self) -> None:
        if self.pending_confirm:
            self.device.confirm_commit()
            self.pending_confirm = False

    def native_rollback(self) -> bool:
        if not self.pending_confirm:
            return False
        self.device.rollback()
        self.pending_confirm = False
        return True


SESSIONS: Dict[str, Type[Session]] = {
    cls.model: cls for cls in (ConfigModeSession, ConfigureSession, CommitConfirmedSession, ShellSession)
}


def is_napalm(transport: Transport) -> bool:
    """The transport is NAPALM's (a driver and a platform with a NAPALM driver name)."""
    plat = getattr(transport, "platform", None)
    return (
        getattr(transport, "device", None) is not None
        and plat is not None
        and bool(getattr(plat, "napalm_driver", None))
    )


def isolation_facts(platform: str) -> Isolation:
    """The platform table's isolation facts for ``platform`` (``ApplyError`` where it has none)."""
    p = PLATFORMS.get(platform)
    if p is None or p.isolation is None:
        raise ApplyError(f"isolation is not supported on platform {platform!r}")
    return p.isolation


def open_session(
    transport: Transport,
    platform: str,
    switch: str,
    change_id: Optional[str],
    root: bool = True,
    batch_lines: int = DEFAULT_CONFIG_BATCH_LINES,
    run_id: Optional[str] = None,
) -> Session:
    """The session class of ``platform``'s commit model (NAPALM's when the transport is NAPALM)."""
    facts = isolation_facts(platform)
    cls = NapalmSession if is_napalm(transport) else SESSIONS[facts.commit_model]
    return cls(transport, switch, change_id, root, batch_lines, facts.save_command, run_id)


def apply_napalm(
    driver: Any,
    lines: Sequence[str],
    napalm_driver: str,
    verify: Callable[[], Optional[str]],
    message: str = "camguard isolation",
    revert_in: int = NAPALM_REVERT_IN,
) -> Tuple[bool, str]:
    """NAPALM merge -> compare -> commit (confirm/revert where supported) -> verify -> confirm.

    Returns (changed, diff). On a failed verify the commit is rolled back and ``ApplyError`` raised.
    """
    driver.load_merge_candidate(config="\n".join(lines) + "\n")
    diff = str(driver.compare_config() or "")
    if not diff.strip():
        driver.discard_config()
        return False, ""
    confirm = napalm_commit_confirms(napalm_driver)
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
