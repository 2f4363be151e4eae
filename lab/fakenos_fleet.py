# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fleet of vendor-CLI switches (FakeNOS hosts on 127.0.0.1) in ONE subprocess.

    python lab/fakenos_fleet.py serve --views DIR --ready-file PATH [--minute-seconds S]

serves every ``DIR/*.json`` view (one FakeNOS host per view, on the view's ``port``, or a free
port when the view has none), writes PATH (JSON ``{switch: port}``) once every port is
listening, persists configuration changes back to ``DIR/<switch>.json`` and runs until
SIGTERM. The platform definitions are parsed once per platform and shared by all hosts, and
stopping is killing the process: hosts are never stopped one by one.

A view with a ``dataplane`` block (labs with namespaces) drives that switch's kernel data plane
(``lab/nos/dataplane.py``): the fleet applies the running configuration to it at start and after
every change, and reads the MAC table from its FDB. SIGHUP makes the fleet read
``DIR/refresh/<switch>.json`` (``mac_table``, ``arp``, ``lldp`` replacing the view's; the
file is removed once applied) and re-apply every data plane (``labctl.py move`` re-cabled it).

``start_fleet`` / ``stop_fleet`` drive it from Python (lab-core's ``labctl.py``, the tests).
``--minute-seconds`` shortens Junos ``commit confirmed N`` minutes for tests. The hosts echo
typed bytes at once, as switches do (FakeNOS paces its echo at 10 ms per byte; ``--echo-delay``
brings that back), and hand each line to the shell without FakeNOS's 10 ms polling.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from lab.nos import PLATFORMS, platform  # noqa: E402
from lab.nos.base import REGISTRY, FleetShell, Switch  # noqa: E402
from lab.nos.dataplane import DataPlane, DataPlaneError  # noqa: E402

log = logging.getLogger("camguard.fakenos_fleet")

REQUIRED_KEYS = ("name", "platform", "username", "password", "interfaces")
# what a refresh file may replace: the learned state, never the configuration
REFRESH_KEYS = ("mac_table", "arp", "lldp")
REFRESH_DIR = "refresh"


class FleetError(RuntimeError):
    """The fleet could not start (bad view, busy port, subprocess died, timeout)."""


@dataclass
class FleetHandle:
    pid: int
    ports: Dict[str, int]
    views_dir: str
    log_file: str
    proc: Optional[subprocess.Popen[bytes]] = field(default=None, repr=False)


def load_views(views_dir: str) -> List[Switch]:
    switches = []
    paths = sorted(p for p in Path(views_dir).glob("*.json") if not p.name.startswith("."))
    if not paths:
        raise FleetError(f"no switch views (*.json) in {views_dir}")
    names = set()
    for p in paths:
        try:
            view = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise FleetError(f"{p}: not a readable JSON view: {e}") from e
        if not isinstance(view, dict):
            raise FleetError(f"{p}: a view must be a JSON object")
        for k in REQUIRED_KEYS:
            if k not in view:
                raise FleetError(f"{p}: missing key {k!r}")
        if view["platform"] not in PLATFORMS:
            raise FleetError(
                f"{p}: platform {view['platform']!r} is not a vendor-CLI platform ({', '.join(PLATFORMS)})"
            )
        port = view.get("port")
        if port is not None and (not isinstance(port, int) or not 0 <= port <= 65535):
            raise FleetError(f"{p}: port {port!r} is not a TCP port")
        if view["name"] in names:
            raise FleetError(f"{p}: duplicate switch name {view['name']!r}")
        names.add(view["name"])
        dataplane = None
        if view.get("dataplane") is not None:
            try:
                dataplane = DataPlane(view["dataplane"])
            except (DataPlaneError, TypeError) as e:
                raise FleetError(f"{p}: bad dataplane block: {e}") from e
        switches.append(Switch(view, str(p), dataplane=dataplane))
    return switches


def apply_refresh(views_dir: str, switches: Dict[str, Switch]) -> List[str]:
    """Apply ``views_dir/refresh/*.json`` to the running switches, then re-apply every data plane
    (a re-cabled port is a new device). Returns the switches refreshed from a file."""
    done = []
    folder = Path(views_dir) / REFRESH_DIR
    for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        sw = switches.get(p.stem)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            log.warning("refresh %s: unreadable: %s", p, e)
            data = None
        if sw is not None and isinstance(data, dict):
            with sw.lock:
                for k in REFRESH_KEYS:
                    if k in data:
                        sw.view[k] = data[k]
                sw.persist()
            done.append(sw.name)
        with contextlib.suppress(OSError):
            p.unlink()
    for sw in switches.values():
        sw.sync_dataplane(force=True)
        sw.refresh_live(force=True)
    return done


def _free_port() -> int:
    return _free_ports(1)[0]


def _free_ports(n: int) -> List[int]:
    """``n`` distinct free loopback ports (all sockets held open until every port is chosen)."""
    socks = []
    try:
        for _unused in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(s)
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


def _listening_ports() -> set:  # type: ignore[type-arg]
    """Ports in LISTEN state on this host, read from /proc (no traffic, so no FakeNOS tracebacks)."""
    ports = set()
    for f in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(f, encoding="ascii") as fh:
                next(fh)
                for line in fh:
                    parts = line.split()
                    if parts[3] == "0A":
                        ports.add(int(parts[1].rsplit(":", 1)[1], 16))
        except OSError:
            continue
    return ports


@contextlib.contextmanager
def _one_host_key() -> Iterator[Any]:
    """Every FakeNOS server parses its RSA host key (~45 ms each): parse one fresh key for the
    whole fleet instead, while the hosts start (nothing else makes keys in this process then)."""
    import paramiko

    key = paramiko.RSAKey.generate(2048)
    real = paramiko.RSAKey
    paramiko.RSAKey = lambda *a, **k: key  # type: ignore[assignment,misc]
    try:
        yield key
    finally:
        paramiko.RSAKey = real  # type: ignore[misc]


class _LineQueue:
    """FakeNOS's ``TapIO`` (the line buffer between the SSH channel and the shell) without its
    10 ms polling: ``readline`` wakes up as soon as a line is written."""

    def __init__(self, run_srv: threading.Event, initial_value: str = "", newline: str = "\n") -> None:
        self.run_srv = run_srv
        self.lines: List[str] = []
        self.cond = threading.Condition()

    def readline(self) -> Optional[str]:
        with self.cond:
            while self.run_srv.is_set():
                if self.lines:
                    return self.lines.pop(0)
                self.cond.wait(0.2)
        return None

    def write(self, value: str) -> None:
        with self.cond:
            self.lines.append(value)
            self.cond.notify_all()

    def flush(self) -> None:
        return None


def _channel_to_shell(echo_delay: float) -> Any:
    """FakeNOS's channel -> shell tap, echoing each byte after ``echo_delay`` seconds (FakeNOS
    sleeps 10 ms per byte; a switch echoes at once). As in FakeNOS, typed-ahead bytes are echoed
    only after the shell answered the previous line."""
    from fakenos.plugins.servers import ssh_server_paramiko as sp

    def tap(channel_stdio: Any, shell_stdin: Any, shell_replied_event: threading.Event, run_srv: Any) -> None:
        buffer = bytearray()
        while run_srv.is_set():
            byte: bytes = channel_stdio.read(1)
            shell_replied_event.wait(10)
            if not channel_stdio.channel.active or byte == b"":
                break
            try:
                if byte in (b"\r", b"\n"):
                    channel_stdio.write(b"\r\n")
                    buffer += byte
                    shell_stdin.write(buffer.decode("utf-8", errors="replace"))
                    buffer.clear()
                    shell_replied_event.clear()
                else:
                    channel_stdio.write(byte)
                    if byte != b"\x00":
                        buffer += byte
                if echo_delay:
                    time.sleep(echo_delay)
            except (OSError, EOFError) as e:
                sp.log.debug("channel write error: %s", e)
                break

    return tap


def serve(views_dir: str, ready_file: str, minute_seconds: float = 60.0, echo_delay: float = 0.0) -> None:
    """Run every view as a FakeNOS host until SIGTERM (then exit at once)."""
    from fakenos import FakeNOS
    from fakenos.core.nos import Nos
    from fakenos.plugins.servers import ssh_server_paramiko

    ssh_server_paramiko.channel_to_shell_tap = _channel_to_shell(echo_delay)
    ssh_server_paramiko.TapIO = _LineQueue  # type: ignore[misc,assignment]

    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    logging.getLogger("fakenos").setLevel(logging.CRITICAL)
    # a client that drops the connection mid-handshake kills a server thread: one line, no trace
    threading.excepthook = lambda a: log.debug("server thread ended: %s", a.exc_type.__name__)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))

    switches = load_views(views_dir)
    by_name = {sw.name: sw for sw in switches}
    # the kernel follows each configuration before any client can see the switch
    for sw in switches:
        sw.sync_dataplane(force=True)
        sw.refresh_live(force=True)
    signal.signal(signal.SIGHUP, lambda *_: log.info("refreshed %s", apply_refresh(views_dir, by_name)))
    taken: Dict[int, str] = {}
    for sw in switches:
        port = sw.view.get("port")
        if port:
            if port in taken:
                raise FleetError(f"{sw.path}: port {port} is also the port of switch {taken[port]!r}")
            taken[port] = sw.name
    spare = iter(p for p in _free_ports(len(switches) + len(taken)) if p not in taken)
    shared_nos: Dict[str, Any] = {}
    hosts: Dict[str, Any] = {}
    ports: Dict[str, int] = {}
    for sw in switches:
        pname = sw.view["platform"]
        plat = platform(pname)
        plat.minute_seconds = minute_seconds  # type: ignore[attr-defined]
        if pname not in shared_nos:
            shared_nos[pname] = Nos(name=f"camguard_{pname}", commands={}, initial_prompt="{base_prompt}#")
        port = sw.view.get("port") or next(spare)
        if sw.view.get("port") != port:
            sw.view["port"] = port
            sw.persist()
        ports[sw.name] = port
        REGISTRY[sw.name] = (plat, sw)
        hosts[sw.name] = {
            "username": str(sw.view["username"]),
            "password": str(sw.view["password"]),
            "port": port,
            "server": {
                "plugin": "ParamikoSshServer",
                "configuration": {"address": "127.0.0.1", "timeout": 1, "ssh_banner": plat.ssh_banner},
            },
            "shell": {"plugin": "CMDShell", "configuration": {"switch": sw.name}},
            "nos": {"plugin": f"camguard_{pname}"},
        }
    t0 = time.monotonic()
    try:
        net = FakeNOS(inventory={"hosts": hosts}, plugins=list(shared_nos.values()))
        net.shell_plugins["CMDShell"] = FleetShell
        with _one_host_key() as host_key:
            net.start()
        # the fleet's public host key, so that clients can keep host-key checking on
        with open(os.path.join(views_dir, "host_key.pub"), "w", encoding="utf-8") as f:
            f.write(f"{host_key.get_name()} {host_key.get_base64()}\n")
    except (ValueError, OSError) as e:
        raise FleetError(f"cannot start the FakeNOS hosts: {e}") from e
    want = set(ports.values())
    deadline = time.monotonic() + 60
    while not want <= _listening_ports():
        if time.monotonic() > deadline:
            raise FleetError(f"ports never listened: {sorted(want - _listening_ports())[:10]}")
        time.sleep(0.05)
    tmp = ready_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(ports, f, sort_keys=True)
    os.replace(tmp, ready_file)
    log.info("fleet of %d hosts listening after %.2fs", len(ports), time.monotonic() - t0)
    while True:
        time.sleep(3600)


def start_fleet(
    views_dir: str,
    timeout: float = 120.0,
    minute_seconds: float = 60.0,
    log_file: Optional[str] = None,
    python: Optional[str] = None,
    echo_delay: float = 0.0,
) -> FleetHandle:
    """Start the serve subprocess and wait until every host listens. Returns its handle."""
    views_dir = os.path.abspath(views_dir)
    load_views(views_dir)  # fail early, in the caller, with the file name
    ready = os.path.join(views_dir, ".fleet-ready.json")
    if os.path.exists(ready):
        os.unlink(ready)
    log_file = log_file or os.path.join(views_dir, ".fleet.log")
    cmd: Sequence[str] = [
        python or sys.executable,
        str(Path(__file__).resolve()),
        "serve",
        "--views",
        views_dir,
        "--ready-file",
        ready,
        "--minute-seconds",
        str(minute_seconds),
        "--echo-delay",
        str(echo_delay),
    ]
    with open(log_file, "ab") as logf:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, cwd=str(REPO), start_new_session=True
        )
    handle = FleetHandle(pid=proc.pid, ports={}, views_dir=views_dir, log_file=log_file, proc=proc)
    deadline = time.monotonic() + timeout
    while True:
        if os.path.exists(ready):
            with open(ready, encoding="utf-8") as f:
                handle.ports = {str(k): int(v) for k, v in json.load(f).items()}
            return handle
        if proc.poll() is not None:
            raise FleetError(f"fleet process exited with {proc.returncode}; see {log_file}")
        if time.monotonic() > deadline:
            stop_fleet(handle)
            raise FleetError(f"fleet not ready after {timeout}s; see {log_file}")
        time.sleep(0.05)


def stop_fleet(handle: FleetHandle, timeout: float = 10.0) -> None:
    """Kill the fleet process by its PID and wait for it (hosts are not stopped one by one)."""
    try:
        os.kill(handle.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if handle.proc is not None:
            if handle.proc.poll() is not None:
                return
        else:
            try:
                pid, _unused = os.waitpid(handle.pid, os.WNOHANG)
                if pid:
                    return
            except ChildProcessError:
                try:
                    os.kill(handle.pid, 0)
                except ProcessLookupError:
                    return
        time.sleep(0.02)
    try:
        os.kill(handle.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    if handle.proc is not None:
        handle.proc.wait(timeout)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve", help="serve every view in a folder until SIGTERM")
    sp.add_argument("--views", required=True, help="folder of <switch>.json views")
    sp.add_argument("--ready-file", required=True, help="written (JSON name -> port) once all ports listen")
    sp.add_argument(
        "--minute-seconds",
        type=float,
        default=60.0,
        help="length of a 'minute' for Junos commit confirmed (tests shorten it)",
    )
    sp.add_argument(
        "--echo-delay",
        type=float,
        default=0.0,
        help="seconds per echoed byte (0: at once, as a switch; FakeNOS itself waits 0.01)",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        serve(args.views, args.ready_file, args.minute_seconds, args.echo_delay)
    except FleetError as e:
        print(f"fakenos_fleet: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
