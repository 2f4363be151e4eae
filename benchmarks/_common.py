# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the benchmarks: paths, the machine header, medians, tables, the FakeNOS
fleet of vendor-CLI switches, and measuring a subprocess tree (wall, CPU, peak memory).

Benchmarks print figures and never assert a time.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
COLLECTIONS = REPO / ".build" / "collections"
LINK = COLLECTIONS / "ansible_collections" / "camguard" / "network"
LAB = REPO / "lab"
BENCH_VENV = REPO / ".venv-bench"
# What the benchmark-only environment holds: the "obvious Ansible way" to compare against.
BENCH_REQUIREMENTS = ("ansible", "ntc-templates", "textfsm", "paramiko", "ansible-pylibssh")

if not LINK.exists():
    LINK.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(REPO, LINK.parent), LINK)
for _p in (str(REPO), str(LAB)):
    if _p not in sys.path:
        sys.path.insert(0, _p)
try:
    # Ansible's collection loader, as ansible-playbook sets it up: plugins and module_utils then
    # load exactly as in a real run (and inventory plugins can be loaded by name).
    from ansible.plugins.loader import init_plugin_loader

    if not any(type(f).__name__ == "_AnsibleCollectionFinder" for f in sys.meta_path):
        init_plugin_loader([str(COLLECTIONS)])
except ImportError:  # pragma: no cover - plain-Python fallback
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))

LAB_USER = "camguard"
# The lab password of a benchmark run: random per run, handed to children through this variable only.
PASSWORD_ENV = "CAMGUARD_BENCH_PASSWORD"


# --------------------------------------------------------------------------- machine and tables


def machine() -> Dict[str, Any]:
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count() or 1,
        "cpu": model,
        "memory_gib": mem_kb / 2**20,
        "python": platform.python_version(),
        "load": os.getloadavg()[0],
    }


def header(title: str) -> str:
    m = machine()
    return (
        f"== {title} ==\n"
        f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']:.1f} GiB RAM, Python {m['python']}, "
        f"load average {m['load']:.2f} at start"
    )


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: Optional[str] = None) -> str:
    """A plain-text table; ``align`` is one letter per column (l/r), default: first left, rest right."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    align = align or "l" + "r" * (len(headers) - 1)
    out = []
    for n, r in enumerate(cells):
        out.append("  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def ratio(a: float, b: float) -> Optional[float]:
    if not a or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


# --------------------------------------------------------------------------- measuring processes


@dataclass
class Measure:
    wall: float = 0.0
    cpu: float = 0.0  # user + system of the process and every descendant (orphans included)
    peak_rss_mib: float = 0.0  # sum of the tree's RSS, sampled
    max_proc_rss_mib: float = 0.0  # getrusage of children: Linux carries it over fork + exec, so an upper bound
    rc: int = 0
    stdout: str = ""
    stderr: str = ""
    extra: Dict[str, Any] = field(default_factory=dict)


_SUBREAPER = False


def become_subreaper() -> bool:
    """Orphaned descendants (ansible-connection daemons) stay ours, so their CPU is counted."""
    global _SUBREAPER
    if _SUBREAPER:
        return True
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        _SUBREAPER = libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        _SUBREAPER = False
    return _SUBREAPER


def _proc_table() -> Dict[int, Tuple[int, int]]:
    """pid -> (ppid, rss pages) for every process."""
    out: Dict[int, Tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                raw = f.read()
        except OSError:
            continue
        rest = raw[raw.rfind(b")") + 2 :].split()
        out[int(name)] = (int(rest[1]), int(rest[21]))
    return out


class TreeSampler:
    """Samples the summed RSS of a process and its descendants; remembers every descendant."""

    def __init__(self, root: int, interval: float = 0.2, exclude: Sequence[int] = ()) -> None:
        self.root = root
        self.interval = interval
        self.exclude = set(exclude)
        self.peak_pages = 0
        self.seen: set = set()  # type: ignore[type-arg]
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def start(self) -> TreeSampler:
        self._t.start()
        return self

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            procs = _proc_table()
            children: Dict[int, List[int]] = {}
            for pid, (ppid, _rss) in procs.items():
                children.setdefault(ppid, []).append(pid)
            # the root's subtree, plus orphans re-parented to us (we are a subreaper)
            stack = [self.root] + [p for p in children.get(me, []) if p != self.root and p not in self.exclude]
            total = 0
            seen_now = set()
            while stack:
                p = stack.pop()
                if p in seen_now or p in self.exclude or p not in procs:
                    continue
                seen_now.add(p)
                total += procs[p][1]
                stack.extend(children.get(p, []))
            self.seen |= seen_now
            self.peak_pages = max(self.peak_pages, total)
            self._stop.wait(self.interval)

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return self.peak_pages * self._page / 2**20


def run_measured(
    cmd: Sequence[str],
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    exclude: Sequence[int] = (),
    timeout: float = 3600.0,
) -> Measure:
    """Run ``cmd``; wall time, CPU of the whole tree (orphans included) and peak memory."""
    become_subreaper()
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    sampler = TreeSampler(proc.pid, exclude=exclude).start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    # orphans (persistent connection daemons) end on their own shortly after the main process
    deadline = time.monotonic() + 30
    pending = {p for p in sampler.seen if p != proc.pid and p not in exclude}
    while pending and time.monotonic() < deadline:
        for p in list(pending):
            try:
                done, _unused = os.waitpid(p, os.WNOHANG)
                if done:
                    pending.discard(p)
            except ChildProcessError:  # not our child (already reaped by its own parent)
                if not os.path.exists(f"/proc/{p}"):
                    pending.discard(p)
        if pending:
            time.sleep(0.05)
    for p in pending:  # still alive after 30 s: ours, so end them by PID
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(p, signal.SIGKILL)
            os.waitpid(p, 0)
    peak = sampler.stop()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    import resource

    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Measure(
        wall=wall, cpu=cpu, peak_rss_mib=peak, max_proc_rss_mib=maxrss, rc=proc.returncode, stdout=out, stderr=err
    )


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a live process, threads included."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        return 0.0
    rest = raw[raw.rfind(b")") + 2 :].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- the FakeNOS fleet


SCALE_TOPOLOGY = """\
# generated by benchmarks/_common.py: {count} cisco_ios switches, {macs} learned MACs each
name: {name}
vlans: {{10: cameras, 20: users, 30: voice, 999: quarantine}}
scale:
  switches: {count}
  platforms: [cisco_ios]
  access_ports: {ports}
  macs_per_switch: {macs}
  vlans: [10, 20, 30]
  mix: {mix}
"""
# the lab's default scale mix: restricted cameras among ordinary office equipment
DEFAULT_MIX = "{hikvision: 2, dahua: 2, ezviz: 1, axis: 3, dell: 6, polycom: 2, hp: 2, apple: 2}"


@dataclass
class Fleet:
    views_dir: Path
    handle: Any
    password: str
    start_seconds: float

    @property
    def ports(self) -> Dict[str, int]:
        return dict(self.handle.ports)

    @property
    def pid(self) -> int:
        return int(self.handle.pid)


def write_views(
    workdir: Path,
    count: int,
    password: str,
    macs: int = 50,
    ports: int = 48,
    mix: str = DEFAULT_MIX,
    name: str = "bench",
) -> Path:
    """Views of ``count`` cisco_ios switches computed by the lab (lab/topology.py, lab/views.py)."""
    import topology as topo_mod
    import views as views_mod

    topo_file = workdir / f"{name}.topology.yml"
    topo_file.write_text(SCALE_TOPOLOGY.format(count=count, macs=macs, ports=ports, mix=mix, name=name))
    topo = topo_mod.load_topology(str(topo_file), scale=count)
    views = views_mod.build_views(topo, LAB_USER, password, {s.name: 0 for s in topo.switches})
    for v in views.values():
        v.pop("port", None)  # the fleet picks free ports
    views_dir = workdir / f"{name}-views"
    if views_dir.exists():
        shutil.rmtree(views_dir)
    views_mod.write_views(views, views_dir)
    return views_dir


def start_fleet(views_dir: Path, password: str) -> Fleet:
    from lab.fakenos_fleet import start_fleet as _start

    n = len(list(views_dir.glob("*.json")))
    t0 = time.perf_counter()
    handle = _start(str(views_dir), timeout=max(60.0, 0.3 * n), log_file=str(views_dir.parent / ".fleet.log"))
    return Fleet(views_dir, handle, password, time.perf_counter() - t0)


def stop_fleet(fleet: Optional[Fleet]) -> None:
    if fleet is None:
        return
    from lab.fakenos_fleet import stop_fleet as _stop

    _stop(fleet.handle)


@contextlib.contextmanager
def workdir(prefix: str = "cgbench-") -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(d, 0o700)
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def new_password() -> str:
    import secrets

    return secrets.token_urlsafe(18)


# --------------------------------------------------------------------------- the benchmark-only venv


def bench_venv(install: bool = True) -> Tuple[Optional[Path], str]:
    """``.venv-bench`` (ansible with cisco.ios + ansible.netcommon): created once, then reused."""
    py = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / ".camguard-bench-stamp"
    if py.exists() and stamp.exists():
        return BENCH_VENV, ""
    if not install:
        return None, f"{BENCH_VENV} does not exist (run without --no-install to create it)"
    try:
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *BENCH_REQUIREMENTS],
            check=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        return None, f"cannot create {BENCH_VENV}: {exc}"
    stamp.write_text(json.dumps({"requirements": list(BENCH_REQUIREMENTS)}) + "\n")
    return BENCH_VENV, ""


def child_env(extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
            "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra or {})
    return env
