# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one I/O seam: a session to one switch.

Everything that talks to a device (collectors, appliers) goes through a ``Transport``. Tests
replace it with ``ReplayTransport`` (recorded outputs) — never a dependency's internals.

``NetmikoTransport`` is the real one (SSH via netmiko, also used for ``linux_bridge`` switches
with netmiko's ``linux`` device type). ``NapalmTransport`` wraps a NAPALM driver for getters and
configuration sessions. Both turn every failure into ``DeviceError`` naming the switch, with the
cause and without any secret.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

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


def redact(text: str, secrets: Sequence[str]) -> str:
    """Remove every secret from ``text`` (exception messages can echo arguments)."""
    for s in secrets:
        if s:
            text = text.replace(s, "********")
    return text


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
    if HAS_NETMIKO and isinstance(exc, NetmikoTimeoutException):
        return f"connection timed out ({_first_line(str(exc)) or name})"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "connection timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}"
    return f"{name}: {_first_line(str(exc))}".strip()


class NetmikoTransport(Transport):
    """A real SSH session through netmiko."""

    def __init__(self, target: Target, device_type: str, extra: Optional[Dict[str, Any]] = None) -> None:
        if not HAS_NETMIKO:
            raise DeviceError(target.name, f"netmiko is required: {NETMIKO_IMPORT_ERROR}")
        self.name = target.name
        self.target = target
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

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        try:
            out = self.connection.send_command(
                command,
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

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        try:
            return str(self.connection.send_config_set(list(lines), **kwargs))
        except Exception as exc:
            cause = "connection lost" if not self.alive() else str(exc)
            raise DeviceError(self.name, redact(f"configuration session failed: {cause}", self._secrets)) from None

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
