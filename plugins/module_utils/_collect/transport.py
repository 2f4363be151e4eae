# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one I/O seam: a session to one switch.

Everything that talks to a device (collectors, appliers) goes through a ``Transport``. Tests
replace it with ``ReplayTransport`` (recorded outputs) — never a dependency's internals.

``NetmikoTransport`` is the real one (SSH via netmiko, also used for ``linux_bridge`` switches
with netmiko's ``linux`` device type). Its ``send_config_set`` can type configuration lines in
batches (``send_config_batched``): up to N lines and at most ``DEFAULT_BATCH_BYTES`` in one write,
then one read until the switch has printed one prompt per line typed. ``NapalmTransport``
(in ``napalm``) wraps a NAPALM driver for getters and configuration sessions. Both turn every
failure into ``DeviceError`` naming the switch, with the cause and without any secret.

``Target`` (one switch to connect to) and ``target_from_params`` (a Target from plain option
values) live here, next to the sessions that use them.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Pattern, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS, get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError, DeviceError

try:
    from netmiko import ConnectHandler
    from netmiko.exceptions import (
        NetmikoAuthenticationException,
        NetmikoTimeoutException,
        ReadTimeout,
    )

    HAS_NETMIKO = True
    NETMIKO_IMPORT_ERROR: Optional[str] = None
except ImportError as _e:  # pragma: no cover - exercised by the sanity import test
    HAS_NETMIKO = False
    NETMIKO_IMPORT_ERROR = str(_e)

try:
    import paramiko

    HAS_PARAMIKO = True
except ImportError:  # pragma: no cover
    HAS_PARAMIKO = False


@dataclass(frozen=True)
class Credentials:
    """How to log in. ``password`` is a secret: never logged, never put in a result."""

    username: str
    password: Optional[str] = field(default=None, repr=False)
    private_key_file: Optional[str] = None
    secret: Optional[str] = field(default=None, repr=False)  # enable secret

    def __repr__(self) -> str:  # belt and braces: dataclass repr already hides them
        return f"Credentials(username={self.username!r}, password=***, private_key_file={self.private_key_file!r})"

    @property
    def secrets(self) -> List[str]:
        return [s for s in (self.password, self.secret) if s]


@dataclass(frozen=True)
class Target:
    """One switch to connect to."""

    name: str
    host: str
    platform: str
    port: int = 22
    credentials: Credentials = field(default_factory=lambda: Credentials(username=""))
    connect_timeout: float = 10.0
    command_timeout: float = 30.0
    host_key_checking: bool = True
    known_hosts_file: Optional[str] = None
    backend: Optional[str] = None  # netmiko | napalm | linux (None: the platform's default)


def target_from_params(
    name: str,
    host: str,
    platform: str,
    port: int = 22,
    username: str = "",
    password: Optional[str] = None,
    private_key_file: Optional[str] = None,
    connect_timeout: float = 10.0,
    command_timeout: float = 30.0,
    host_key_checking: bool = True,
    known_hosts_file: Optional[str] = None,
    backend: Optional[str] = None,
    secret: Optional[str] = None,
) -> Target:
    """A ``Target`` from plain option values; ``platform`` may be an alias (``ios``, ``eos``)."""
    return Target(
        name=name,
        host=host,
        platform=get_platform(platform).key,
        port=int(port),
        credentials=Credentials(username=username, password=password, private_key_file=private_key_file, secret=secret),
        connect_timeout=float(connect_timeout),
        command_timeout=float(command_timeout),
        host_key_checking=bool(host_key_checking),
        known_hosts_file=known_hosts_file,
        backend=backend,
    )


#: Texts of the collection's own messages. They are constants, so they cannot hold a secret:
#: ``redact`` keeps them whole, and a password that happens to be an English word ("password",
#: "key") does not mask that word in them. Anything else (device, library and exception text,
#: host names) is redacted wherever the secret's value occurs.
NO_LOGIN = (
    "no password and no private key file to log in with (set CAMGUARD_PASSWORD, a password_env, "
    "ansible_password or ANSIBLE_NET_PASSWORD, or a private key file)"
)
OWN_PHRASES = (
    "authentication failed (wrong username, password or key)",
    NO_LOGIN,
    "host key mismatch: the switch's SSH host key changed (possible man-in-the-middle); check known_hosts",
    "host key not in known_hosts (host key checking is on; add the key or set host_key_checking=false)",
    "cannot connect to",
    "connection refused",
    "connection timed out",
    "connection lost: the switch or the network closed the SSH session",
    "timed out waiting for the prompt",
    "configuration session failed",
    "device rejected the command",
)
_OWN_PHRASE_RE = re.compile("|".join(re.escape(p) for p in sorted(OWN_PHRASES, key=len, reverse=True)))


def redact(text: str, secrets: Sequence[str]) -> str:
    """Replace every occurrence of a secret's value in ``text`` with ``********`` (exception
    messages can echo arguments), except inside the collection's own phrases (``OWN_PHRASES``).
    An occurrence that overlaps the edge of such a phrase is replaced all the same."""
    spans: List[Tuple[int, int]] = []
    for s in secrets:
        if not s:
            continue
        start = text.find(s)
        while start != -1:
            spans.append((start, start + len(s)))
            start = text.find(s, start + 1)
    if not spans:
        return text
    own = [(m.start(), m.end()) for m in _OWN_PHRASE_RE.finditer(text)]
    masked = [False] * len(text)
    for a, b in spans:
        if not any(o0 <= a and b <= o1 for o0, o1 in own):
            masked[a:b] = [True] * (b - a)
    out: List[str] = []
    i = 0
    while i < len(text):
        if masked[i]:
            while i < len(text) and masked[i]:
                i += 1
            out.append("********")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class Transport:
    """Base class of the seam."""

    name: str = ""

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        raise NotImplementedError

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReplayTransport(Transport):
    """Test seam: answers commands from a mapping (or a callable) and records what was sent."""

    def __init__(
        self,
        name: str,
        outputs: Optional[Mapping[str, str]] = None,
        handler: Optional[Callable[[str], str]] = None,
        config_handler: Optional[Callable[[Sequence[str]], str]] = None,
    ) -> None:
        self.name = name
        self.outputs = dict(outputs or {})
        self.handler = handler
        self.config_handler = config_handler
        self.sent: List[str] = []
        self.config_sent: List[List[str]] = []
        self.closed = False

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        self.sent.append(command)
        if self.handler is not None:
            return self.handler(command)
        if command not in self.outputs:
            return f"% Invalid input detected at '^' marker.\n{command}"
        return self.outputs[command]

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        self.config_sent.append(list(lines))
        if self.config_handler is not None:
            return self.config_handler(lines)
        return ""

    def close(self) -> None:
        self.closed = True


def _exception_chain(exc: BaseException) -> List[BaseException]:
    """``exc`` and the exceptions it wraps (netmiko re-raises paramiko's as its own)."""
    chain: List[BaseException] = []
    cur: Optional[BaseException] = exc
    while cur is not None and len(chain) < 8 and all(cur is not c for c in chain):
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    return chain


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")


def _classify_connect_error(exc: BaseException) -> str:
    chain = _exception_chain(exc)
    name = type(exc).__name__
    text = " ".join(str(e) for e in chain)
    if (HAS_NETMIKO and any(isinstance(e, NetmikoAuthenticationException) for e in chain)) or (
        HAS_PARAMIKO and any(isinstance(e, paramiko.AuthenticationException) for e in chain)
    ):
        return "authentication failed (wrong username, password or key)"
    if (HAS_PARAMIKO and any(isinstance(e, paramiko.BadHostKeyException) for e in chain)) or (
        "Host key for server" in text and "does not match" in text
    ):
        return "host key mismatch: the switch's SSH host key changed (possible man-in-the-middle); check known_hosts"
    if "known_hosts" in text or ("Server '" in text and "not found" in text):
        return "host key not in known_hosts (host key checking is on; add the key or set host_key_checking=false)"
    for e in list(chain):  # paramiko's NoValidConnectionsError keeps the per-address errors in .errors
        errors = getattr(e, "errors", None)
        if isinstance(errors, dict):
            chain.extend(v for v in errors.values() if isinstance(v, BaseException))
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        return "connection refused"
    if "No authentication methods available" in text:  # paramiko, before any login attempt
        return NO_LOGIN
    if HAS_NETMIKO and isinstance(exc, NetmikoTimeoutException):
        return f"connection timed out ({_first_line(str(exc)) or name})"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "connection timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}"
    return f"{name}: {_first_line(str(exc))}".strip()


# --------------------------------------------------------------------------- batched configuration

# What a switch's input buffer safely takes in one write (real switches drop typed-ahead input
# beyond a few KiB; 1 KiB stays far below every documented limit).
DEFAULT_BATCH_BYTES = 1024


class ConfigBatchError(CamguardError):
    """A batch did not complete: ``output`` is everything read so far.

    Raised by ``send_config_batched``, which knows the connection but not the switch's name;
    ``NetmikoTransport.send_config_set`` turns it into a ``DeviceError`` naming the switch."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class ConfigBatchTimeout(ConfigBatchError):
    """No new configuration prompt within the timeout."""


class ConfigBatchLost(ConfigBatchError):
    """The SSH session closed while a batch was being read."""


def config_prompt_pattern(base_prompt: str) -> Pattern[str]:
    """A prompt of the switch whose netmiko base prompt is ``base_prompt``, in any mode.

    ``sw1(config)#``, ``sw1(config-if)#``, ProCurve ``sw1(eth-1)#``, EOS ``sw1(config-s-camgua-if-Et3)#``,
    Junos ``user@sw1# `` (the prompt after ``[edit ...]``), and the exec prompt ``sw1#``. Only the
    first 16 characters of the base prompt are required (IOS shortens long host names; netmiko's
    ``cisco_ios`` base prompt is cut there too); the rest of the name may follow.
    """
    prefix = base_prompt.strip()[:16]
    if not prefix:
        raise ValueError("empty base prompt: the switch's prompt is unknown")
    return re.compile(re.escape(prefix) + r"[^\s#()]*(?:\([^()\r\n]{0,100}\))?#")


def config_batches(lines: Sequence[str], max_lines: int, max_bytes: int = DEFAULT_BATCH_BYTES) -> List[List[str]]:
    """``lines`` cut into batches of at most ``max_lines`` lines and ``max_bytes`` bytes (UTF-8, with
    one newline per line). A single line longer than ``max_bytes`` goes alone."""
    if max_lines < 1:
        raise ValueError(f"batch size must be at least 1 line, got {max_lines}")
    if max_bytes < 1:
        raise ValueError(f"batch size must be at least 1 byte, got {max_bytes}")
    out: List[List[str]] = []
    cur: List[str] = []
    size = 0
    for line in lines:
        n = len(line.rstrip().encode("utf-8")) + 1
        if cur and (len(cur) >= max_lines or size + n > max_bytes):
            out.append(cur)
            cur, size = [], 0
        cur.append(line)
        size += n
    if cur:
        out.append(cur)
    return out


def send_config_batched(
    conn: Any,
    lines: Sequence[str],
    *,
    max_lines: int,
    max_bytes: int = DEFAULT_BATCH_BYTES,
    prompt: Optional[Pattern[str]] = None,
    timeout: float = 30.0,
    alive: Optional[Callable[[], bool]] = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: float = 0.005,
) -> str:
    """Type ``lines`` into an open configuration mode in batches; return everything the switch printed.

    ``conn`` is a netmiko connection (``write_channel``, ``read_channel``, ``normalize_cmd``,
    ``base_prompt``): the one I/O seam, replaced by a fake in tests. Each batch is written in one
    go, then read until the switch has printed as many prompts (``prompt``, by default
    ``config_prompt_pattern(conn.base_prompt)``) as lines were typed, plus any prompt text that the
    typed lines themselves contain (the echo repeats it). Prompts are counted, not matched against
    the echo, so repeated lines (``exit`` in every block) and error messages in the middle of a
    batch do not confuse the reader: a switch answers every line, accepted or not, with a prompt.

    Every batch is sent, whatever the switch answered before (as netmiko's ``send_config_set``
    sends every line): stopping early could leave the CLI in a sub-mode (``interface X``) that the
    platform's ``exit_config_mode`` does not leave. The caller checks the output for errors.

    ``timeout`` is how long the switch may stay silent (no new prompt) before
    ``ConfigBatchTimeout``; ``alive`` (if given) is checked while waiting, ``ConfigBatchLost`` when
    it says the session closed. A switch that threw away typed-ahead input answers fewer lines
    than were typed: that, too, ends in ``ConfigBatchTimeout`` (the session's state is unknown).
    """
    pat = prompt if prompt is not None else config_prompt_pattern(str(conn.base_prompt))
    output = ""
    batches = config_batches(lines, max_lines, max_bytes)
    typed = 0
    for batch in batches:
        cmds = [line.rstrip() for line in batch]
        need = sum(1 + len(pat.findall(c)) for c in cmds)
        conn.write_channel("".join(conn.normalize_cmd(c) for c in cmds))
        buf = ""
        seen = 0
        deadline = clock() + timeout
        while seen < need:
            chunk = conn.read_channel()
            if chunk:
                buf += chunk
                count = len(pat.findall(buf))
                if count > seen:
                    seen = count
                    deadline = clock() + timeout
                continue
            if alive is not None and not alive():
                raise ConfigBatchLost(
                    f"connection lost after line {typed + min(seen, len(cmds))} of {len(lines)}", output + buf
                )
            if clock() >= deadline:
                waiting = min(seen, len(cmds) - 1)
                raise ConfigBatchTimeout(
                    f"no prompt within {timeout:g}s for line {typed + waiting + 1} of {len(lines)} "
                    f"({cmds[waiting].strip()!r})",
                    output + buf,
                )
            sleep(poll_interval)
        output += buf
        typed += len(cmds)
    return output


# device types whose command output is read until the anchored prompt (NetmikoTransport.end_of_output)
ANCHORED_PROMPT_TYPES = frozenset(p.netmiko_device_type for p in PLATFORMS.values() if p.anchored_prompt)


class NetmikoTransport(Transport):
    """A real SSH session through netmiko."""

    def __init__(self, target: Target, device_type: str, extra: Optional[Dict[str, Any]] = None) -> None:
        if not HAS_NETMIKO:
            raise DeviceError(target.name, f"netmiko is required: {NETMIKO_IMPORT_ERROR}")
        self.name = target.name
        self.target = target
        self.device_type = device_type
        self._secrets = target.credentials.secrets
        params: Dict[str, Any] = {
            "device_type": device_type,
            "host": target.host,
            "port": target.port,
            "username": target.credentials.username,
            "conn_timeout": target.connect_timeout,
            "auth_timeout": target.connect_timeout,
            "banner_timeout": target.connect_timeout,
            # netmiko's default: its prompt-driven reads still wait for every prompt; False only adds
            # fixed sleeps (a find_prompt round trip per command), which doubled a session's time
            "fast_cli": True,
            "session_log": None,
        }
        if target.credentials.password:
            params["password"] = target.credentials.password
        if target.credentials.secret:
            params["secret"] = target.credentials.secret
        key_file = target.credentials.private_key_file
        if key_file and os.path.isfile(key_file) and os.path.getsize(key_file) == 0:
            key_file = None  # AWX writes an empty file when the credential has no key
        if key_file:
            params["key_file"] = key_file
            params["use_keys"] = True
        else:
            params["use_keys"] = False
            params["allow_agent"] = False
        if target.host_key_checking:
            params["ssh_strict"] = True
            params["system_host_keys"] = target.known_hosts_file is None
            if target.known_hosts_file:
                params["alt_host_keys"] = True
                params["alt_key_file"] = target.known_hosts_file
        else:
            params["ssh_strict"] = False
        params.update(extra or {})
        started = time.monotonic()
        try:
            self.connection = ConnectHandler(**params)
        except Exception as exc:
            raise DeviceError(
                target.name,
                redact(f"cannot connect to {target.host}:{target.port}: {_classify_connect_error(exc)}", self._secrets),
            ) from None
        self.connect_seconds = time.monotonic() - started

    def end_of_output(self) -> Optional[str]:
        """The pattern that ends a command's output: the switch's prompt at the very end of it.

        netmiko's default sends an extra RETURN before every command to find the prompt
        (``find_prompt``: a round trip and a sleep, ~50 ms on loopback, a third of a short
        command's time) and then ends the output at the first occurrence of that prompt text
        anywhere in it. Here the prompt is the host's base prompt (found once, at login) followed
        by an optional ``(mode)`` and a terminator, on a line of its own at the end of the output:
        a description or banner that contains the prompt text cannot end the output early (only a
        line that is exactly a prompt of this host, read up to its last character, can). Only for the device types
        this collection runs sessions against in its lab; the others keep netmiko's default.
        """
        if self.device_type not in ANCHORED_PROMPT_TYPES:
            return None
        base = str(getattr(self.connection, "base_prompt", "") or "").strip()
        if not base:
            return None
        # netmiko cuts long host names in the base prompt (IOS: 16 characters): the rest of the
        # name may follow, but no blank
        # The pattern starts with the literal host name, so that the regex engine scans for it with
        # its fast literal search (netmiko searches the whole output read so far after every read);
        # the lookbehind that follows checks that the name starts a line.
        lit = re.escape(base)
        return lit + r"(?<=[\r\n]" + lit + r")[^\s()<>#$%]{0,64}(?:\([^()\r\n]{1,48}\))?[>#$%]\s*$"

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        try:
            out = self.connection.send_command(
                command,
                expect_string=self.end_of_output(),
                read_timeout=timeout or self.target.command_timeout,
                strip_prompt=True,
                strip_command=True,
            )
        except Exception as exc:
            if not self.alive():
                cause = "connection lost: the switch or the network closed the SSH session"
            elif HAS_NETMIKO and isinstance(exc, ReadTimeout):
                cause = "timed out waiting for the prompt"
            else:
                cause = str(exc)
            raise DeviceError(self.name, redact(cause, self._secrets), command=command) from None
        return str(out)

    def send_config_set(
        self,
        lines: Sequence[str],
        batch_lines: int = 1,
        batch_bytes: int = DEFAULT_BATCH_BYTES,
        **kwargs: Any,
    ) -> str:
        """netmiko's ``send_config_set`` (``batch_lines=1``: one line at a time, its echo and the next
        prompt awaited before the next line), or ``send_config_batched`` between netmiko's own
        ``config_mode()`` and ``exit_config_mode()`` (``enter_config_mode``, ``exit_config_mode`` and
        ``config_mode_command`` as netmiko takes them)."""
        if batch_lines < 1:
            raise DeviceError(self.name, f"config_batch_lines must be at least 1, got {batch_lines}")
        try:
            if batch_lines == 1:
                return str(self.connection.send_config_set(list(lines), **kwargs))
            return self._send_config_batched(list(lines), batch_lines, batch_bytes, **kwargs)
        except Exception as exc:
            lost = isinstance(exc, ConfigBatchLost) or not self.alive()
            cause = "connection lost" if lost else str(exc)
            raise DeviceError(self.name, redact(f"configuration session failed: {cause}", self._secrets)) from None

    def _send_config_batched(
        self,
        lines: List[str],
        batch_lines: int,
        batch_bytes: int,
        enter_config_mode: bool = True,
        exit_config_mode: bool = True,
        config_mode_command: Optional[str] = None,
    ) -> str:
        conn = self.connection
        output = ""
        if enter_config_mode:
            output += str(conn.config_mode(config_mode_command) if config_mode_command else conn.config_mode())
        output += send_config_batched(
            conn,
            lines,
            max_lines=batch_lines,
            max_bytes=batch_bytes,
            timeout=self.target.command_timeout,
            alive=self.alive,
        )
        if exit_config_mode:
            output += str(conn.exit_config_mode())
        return output

    def alive(self) -> bool:
        """Whether the SSH session is still up (False after the peer closed it)."""
        conn = getattr(self, "connection", None)
        chan = getattr(conn, "remote_conn", None)
        if chan is None:
            return False
        try:
            transport = chan.get_transport()
            return bool(transport is not None and transport.is_active() and not chan.closed)
        except Exception:
            return False

    def close(self) -> None:
        conn = getattr(self, "connection", None)
        if conn is not None:
            # closing a broken session must not mask the real error
            with contextlib.suppress(Exception):
                conn.disconnect()


def known_hosts_path(path: Optional[str]) -> Optional[str]:
    if path:
        return os.path.expanduser(path)
    return None
