# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small SSH server on 127.0.0.1 that plays a vendor-CLI switch and misbehaves on purpose.

It is a real SSH peer (paramiko's server side: key exchange, host key, password and public-key
authentication, a PTY shell), and the CLI behind it is the lab's own platform code
(``lab/nos/<platform>.py``: real-format ``show`` outputs rendered from a switch view, and the
platform's configuration commands applied to it). The faults are what FakeNOS cannot do:

``stall``      on a matching command, print part of the output and never return the prompt
``drop``       on a matching command (``nth`` occurrence), close the TCP connection at once
``garbage``    on a matching command, answer with binary junk or a truncated table
``reject``     on a matching command, answer with the platform's error (a failing commit)
``silent``     accept TCP and never speak SSH (a switch that hangs before the banner)

Wrong passwords and changed host keys need no behaviour: the server has its own password and
host key, and the test gives the client something else.

``FaultServer(view, behaviours)`` runs in threads of the test process, so tests can read the
switch state (``server.switch.view``) directly after a run. ``stop()`` closes every socket.
"""

from __future__ import annotations

import base64
import contextlib
import random
import re
import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Pattern, Sequence

import paramiko

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from lab.nos import platform as nos_platform  # noqa: E402
from lab.nos.base import Session, Switch  # noqa: E402


@dataclass
class Fault:
    kind: str  # stall | drop | garbage | reject
    pattern: str  # regex searched in the typed line
    nth: int = 1  # act on the nth matching line (counted per server, across sessions)
    message: str = ""  # reject: the error text; garbage: "binary" or "truncated"

    def compiled(self) -> Pattern[str]:
        return re.compile(self.pattern)


def host_key() -> paramiko.PKey:
    return paramiko.ECDSAKey.generate(bits=256)


def known_hosts_line(port: int, key: paramiko.PKey, host: str = "127.0.0.1") -> str:
    name = host if port == 22 else f"[{host}]:{port}"
    return f"{name} {key.get_name()} {key.get_base64()}\n"


class _Auth(paramiko.ServerInterface):
    def __init__(self, username: str, password: Optional[str], pubkey: Optional[paramiko.PKey]) -> None:
        self.username = username
        self.password = password
        self.pubkey = pubkey
        self.shell = threading.Event()

    def get_allowed_auths(self, username: str) -> str:
        kinds = []
        if self.password is not None:
            kinds.append("password")
        if self.pubkey is not None:
            kinds.append("publickey")
        return ",".join(kinds) or "none"

    def check_auth_password(self, username: str, password: str) -> int:
        if self.password is not None and username == self.username and password == self.password:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if self.pubkey is not None and username == self.username and key.asbytes() == self.pubkey.asbytes():
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, *args: Any) -> bool:
        return True

    def check_channel_shell_request(self, channel: Any) -> bool:
        self.shell.set()
        return True


class FaultServer:
    """One switch on one loopback port."""

    def __init__(
        self,
        view: Dict[str, Any],
        faults: Sequence[Fault] = (),
        silent: bool = False,
        pubkey: Optional[paramiko.PKey] = None,
        key: Optional[paramiko.PKey] = None,
    ) -> None:
        self.switch = Switch(view)  # in memory: tests read ``self.switch.view``
        self.platform = nos_platform(view["platform"])
        self.faults = list(faults)
        self.silent = silent
        self.pubkey = pubkey
        self.key = key or host_key()
        self.counts: Dict[int, int] = {}
        self.log: List[str] = []  # every typed line, in order (for the tests)
        self.sessions = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: List[Any] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)  # the accept loop sees stop() within 0.2 s
        self.port = int(self.sock.getsockname()[1])
        self._thread = threading.Thread(target=self._accept, name=f"faultserver-{self.port}", daemon=True)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.sock.close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            with contextlib.suppress(Exception):
                c.close()
        self._thread.join(5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def known_hosts(self, key: Optional[paramiko.PKey] = None) -> str:
        return known_hosts_line(self.port, key or self.key)

    # ------------------------------------------------------------------ serving
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _unused = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._conns.append(conn)
            if self.silent:
                continue  # keep the socket open, never send a banner
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _fault_for(self, line: str) -> Optional[Fault]:
        with self._lock:
            for i, f in enumerate(self.faults):
                if f.compiled().search(line):
                    self.counts[i] = self.counts.get(i, 0) + 1
                    if self.counts[i] == f.nth:
                        return f
        return None

    def _serve(self, conn: socket.socket) -> None:
        t = paramiko.Transport(conn)
        with self._lock:
            self._conns.append(t)
        t.add_server_key(self.key)
        view = self.switch.view
        auth = _Auth(str(view["username"]), view.get("password"), self.pubkey)
        try:
            t.start_server(server=auth)
            chan = t.accept(20)
            if chan is None or not auth.shell.wait(10):
                return
            with self._lock:
                self.sessions += 1
            self._shell(chan, t)
        except (paramiko.SSHException, EOFError, OSError):
            return
        finally:
            t.close()

    def _write(self, chan: Any, text: str) -> None:
        chan.sendall(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))

    def _shell(self, chan: Any, transport: paramiko.Transport) -> None:
        sess = Session()
        banner = self.platform.banner(self.switch)
        if banner:
            self._write(chan, banner + "\n")
        self._write(chan, self.platform.prompt(self.switch, sess))
        buf = b""
        while not self._stop.is_set():
            data = chan.recv(4096)
            if not data:
                return
            buf += data
            while True:
                m = re.search(rb"\r\n|\n|\r", buf)
                if m is None:
                    break
                raw, buf = buf[: m.start()], buf[m.end() :]
                line = raw.decode("utf-8", "replace")
                with self._lock:
                    self.log.append(line)
                self._write(chan, line + "\n")  # echo, as a terminal does
                fault = self._fault_for(line)
                if fault is not None and fault.kind == "drop":
                    transport.close()  # the TCP connection goes away mid-session
                    return
                if fault is not None and fault.kind == "stall":
                    out = self.platform.dispatch(self.switch, sess, line).output
                    self._write(chan, out[: len(out) // 2])
                    self._stop.wait(3600)  # no prompt, ever
                    return
                if fault is not None and fault.kind == "reject":
                    self._write(chan, (fault.message or "% Error: command failed") + "\n")
                    self._write(chan, self.platform.prompt(self.switch, sess))
                    continue
                res = self.platform.dispatch(self.switch, sess, line)
                out = res.output
                if fault is not None and fault.kind == "garbage":
                    out = _garbage(out, fault.message or "binary", len(self.log))
                if out:
                    self._write(chan, out if out.endswith("\n") else out + "\n")
                if res.close:
                    return
                self._write(chan, self.platform.prompt(self.switch, sess))


def _garbage(out: str, kind: str, seed: int) -> str:
    rnd = random.Random(seed)
    if kind == "truncated":
        lines = out.split("\n")
        cut = max(1, len(lines) // 2)
        tail = lines[cut][: len(lines[cut]) // 2] if cut < len(lines) else ""
        return "\n".join([*lines[:cut], tail])
    junk = bytes(rnd.randrange(256) for _unused in range(600))
    # what a terminal shows for line noise: decoded with replacement, no prompt-like '#'
    return (
        base64.b85encode(junk).decode().replace("#", "%")
        + "\n\x1b[2J\x00\x07"
        + junk.decode("latin-1").replace("#", "")
    )


def dead_port() -> int:
    """A loopback port with nothing listening (connection refused)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


# --------------------------------------------------------------------------- running Ansible

VENV_BIN = REPO / ".venv" / "bin"
NEWEST_BIN = REPO / ".venv-newest" / "bin"
COLLECTIONS = REPO / ".build" / "collections"


def ansible_env(home: Path, **extra: str) -> Dict[str, str]:
    """The environment of an ``ansible-*`` subprocess: this collection, a private Ansible home,
    inventory failures are failures (as ``make test`` and AWX are told to set)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CAMGUARD_"))}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
        ANSIBLE_HOME=str(home / "ansible-home"),
        ANSIBLE_LOCAL_TEMP=str(home / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_HOST_KEY_CHECKING="true",
        ANSIBLE_RETRY_FILES_ENABLED="false",
        ANSIBLE_DEPRECATION_WARNINGS="false",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run_ansible(tool: str, args: Sequence[str], env: Dict[str, str], bindir: Path = VENV_BIN, timeout: float = 300):  # type: ignore[no-untyped-def]
    import subprocess

    return subprocess.run(
        [str(bindir / tool), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=str(REPO),
        check=False,
    )
