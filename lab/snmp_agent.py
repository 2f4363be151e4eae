# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real SNMP agents for every lab switch: snmpsim (from PyPI) serving, live, what
``snmprec_writer`` makes of the switch's current state.

Processes (started by ``labctl.py up``, journaled, so ``down`` stops them by PID):

* snmpsim for the vendor-CLI switches, on 127.0.0.1, one SNMP engine per switch (its own
  engine ID, UDP port and data directory), up to 8 switches per process (at most 4 processes);
* one snmpsim per linux_bridge switch, run in the switch's namespace on its management address,
  UDP 161.

Each engine's data directory (``<state>/snmp/data/<switch>/``) holds one-line stub files whose
single record serves the whole OID tree through the ``camguard_lab`` variation module
(``lab/snmpsim_modules/camguard_lab.py``): ``<community>.snmprec`` (SNMPv2c), ``self.snmprec``
(the SNMPv3 default context), and on Cisco IOS ``<community>@<vid>.snmprec`` / ``vlan-<vid>.snmprec``
for the per-VLAN BRIDGE-MIB. The module answers every GET / GETNEXT / GETBULK from a snapshot
of the switch that ``Live`` rebuilds on read: at the first variable of a request, when the
snapshot is older than ``TTL`` (the vendor-CLI MAC table's own refresh period), when the
switch's view file changed (the fleet persists every configuration change at once) or when
``labctl.py move`` bumped ``snmp/generation``. A poll after a change therefore sees it: at once
for a configuration change of a vendor-CLI switch or a move, within ``TTL`` for anything else.

Sources: a vendor-CLI switch's view (``fakenos/<switch>.json``) with, where it has a data plane,
the MAC table and link state read from its bridges as the fleet reads them
(``lab.nos.dataplane``); a linux_bridge switch's kernel (``ip``, ``bridge``, and ``lldpcli`` in
its lldpd's mount namespace). The last snapshot of each switch is also written to
``snmp/walks/<switch>.snmprec`` for people to read.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

LAB_DIR = Path(__file__).resolve().parent
REPO = LAB_DIR.parent
for _p in (str(REPO), str(LAB_DIR)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import snmprec_writer as writer  # noqa: E402

log = logging.getLogger("camguard.lab.snmp")

SBIN = "/usr/sbin"
SNMP_DIR = "snmp"
MODULES_DIR = LAB_DIR / "snmpsim_modules"
MODULE = "camguard_lab"
SWITCHES_PER_PROCESS = 8  # vendor-CLI switches per snmpsim process (it answers in one thread)
VENDOR_PROCESSES_MAX = 4
TTL = 1.0  # seconds a snapshot is served before it is rebuilt on read (the CLI's LIVE_TTL)
V3_USER = "camguard-lab"
V3_AUTH = ("sha256", "SHA256")  # (collection name, snmpsim name)
V3_PRIV = ("aes", "AES")
COMMUNITY_ENV = "CAMGUARD_LAB_SNMP_COMMUNITY"
USER_ENV = "CAMGUARD_LAB_SNMP_USER"
AUTH_KEY_ENV = "CAMGUARD_LAB_SNMP_AUTH_KEY"
PRIV_KEY_ENV = "CAMGUARD_LAB_SNMP_PRIV_KEY"


class SnmpLabError(RuntimeError):
    """An SNMP agent could not be started."""


# --------------------------------------------------------------------------------------------
# configuration (labctl side)
# --------------------------------------------------------------------------------------------


@dataclass
class Spec:
    """What the agent of one switch serves, and where."""

    name: str
    kind: str  # "vendor" (FakeNOS view) or "linux" (kernel)
    platform: str
    host: str
    port: int
    view: str = ""  # vendor: the view file
    netns: str = ""  # linux: the switch's namespace
    lldpd_pid: int = 0  # linux: a process in the mount namespace of the switch's lldpd
    vlan_names: Dict[int, str] = field(default_factory=dict)
    vlans: List[int] = field(default_factory=list)  # per-VLAN contexts (Cisco IOS)
    omit: List[str] = field(default_factory=list)  # MIB groups not served (snmprec_writer.OMITTABLE)

    def to_json(self) -> Dict[str, Any]:
        d = dict(self.__dict__)
        d["vlan_names"] = {str(k): v for k, v in self.vlan_names.items()}
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Spec:
        d = dict(d)
        d["vlan_names"] = {int(k): str(v) for k, v in (d.get("vlan_names") or {}).items()}
        return cls(**d)


def responder() -> Optional[Path]:
    """snmpsim's command responder next to this Python, None when snmpsim is not installed."""
    p = Path(sys.executable).parent / "snmpsim-command-responder"
    return p if p.exists() else None


def make_secrets(state: Path) -> Dict[str, str]:
    """A random community and SNMPv3 keys for this run, one file each in ``secrets/`` (0600)."""
    sec = state / "secrets"
    sec.mkdir(mode=0o700, parents=True, exist_ok=True)
    values = {
        "community": "cg" + secrets.token_hex(8),
        "auth_key": secrets.token_urlsafe(18),
        "priv_key": secrets.token_urlsafe(18),
    }
    for key, value in values.items():
        path = sec / f"snmp_{key}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(value + "\n")
    return values


def read_secrets(state: Path) -> Dict[str, str]:
    sec = state / "secrets"
    return {k: (sec / f"snmp_{k}").read_text(encoding="utf-8").strip() for k in ("community", "auth_key", "priv_key")}


def stub(switch: str, context: str, v3_only: bool) -> str:
    """The one record of a data file: the whole tree, served by the variation module."""
    return f"1|:{MODULE}|{switch};{context};{'v3' if v3_only else 'any'}\n"


def write_data_dirs(state: Path, specs: Sequence[Spec], community: str) -> Dict[str, Path]:
    """Every engine's data directory with its stub files; ``snmp/agents.json``; the walks folder."""
    root = state / SNMP_DIR
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    (root / "walks").mkdir(exist_ok=True)
    (root / "cache").mkdir(exist_ok=True)
    dirs: Dict[str, Path] = {}
    for sp in specs:
        d = root / "data" / sp.name
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{community}.snmprec").write_text(stub(sp.name, "", False), encoding="utf-8")
        # the SNMPv3 default context (snmpsim maps the file 'self' to the context "")
        (d / "self.snmprec").write_text(stub(sp.name, "", True), encoding="utf-8")
        for vid in sp.vlans:
            (d / f"{community}@{vid}.snmprec").write_text(stub(sp.name, str(vid), False), encoding="utf-8")
            (d / f"vlan-{vid}.snmprec").write_text(stub(sp.name, str(vid), True), encoding="utf-8")
        dirs[sp.name] = d
    doc = {sp.name: sp.to_json() for sp in specs}
    tmp = root / ".agents.json.tmp"
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, root / "agents.json")
    (root / "generation").touch()
    return dirs


def engine_args(specs: Sequence[Spec], dirs: Mapping[str, Path], keys: Mapping[str, str]) -> List[str]:
    """snmpsim engine options (one engine per switch), for ``--args-from-file`` (they hold the
    SNMPv3 keys: never on a command line)."""
    out: List[str] = []
    for sp in specs:
        out += [
            "--v3-engine-id=auto",
            f"--data-dir={dirs[sp.name]}",
            f"--agent-udpv4-endpoint={sp.host}:{sp.port}",
            f"--v3-user={V3_USER}",
            f"--v3-auth-key={keys['auth_key']}",
            f"--v3-auth-proto={V3_AUTH[1]}",
            f"--v3-priv-key={keys['priv_key']}",
            f"--v3-priv-proto={V3_PRIV[1]}",
        ]
    return out


def command(state: Path, args_file: Path, netns: Optional[str] = None) -> List[str]:
    exe = responder()
    if exe is None:
        raise SnmpLabError("snmpsim is not installed (pip install -r requirements-test.txt)")
    argv = [
        str(exe),
        f"--args-from-file={args_file}",
        f"--cache-dir={state / SNMP_DIR / 'cache'}",
        f"--variation-modules-dir={MODULES_DIR}",
        f"--variation-module-options={MODULE}:{state}",
        "--log-level=error",  # info would log the SNMPv3 keys
    ]
    if netns:
        return [f"{SBIN}/ip", "netns", "exec", netns, *argv]
    return argv


def free_udp_ports(n: int, host: str = "127.0.0.1") -> List[int]:
    socks = []
    try:
        for _unused in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            socks.append(s)
            s.bind((host, 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


# -- a minimal SNMPv2c GET, to know when an agent answers (the lab needs no SNMP library) -----


def _tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def get_packet(community: str, request_id: int) -> bytes:
    """SNMPv2c GetRequest for sysUpTime.0."""
    sys_uptime = bytes([0x2B, 6, 1, 2, 1, 1, 3, 0])  # 1.3.6.1.2.1.1.3.0
    varbind = _tlv(0x30, _tlv(0x06, sys_uptime) + b"\x05\x00")
    rid = request_id.to_bytes(4, "big")
    pdu = _tlv(0xA0, _tlv(0x02, rid) + _tlv(0x02, b"\x00") + _tlv(0x02, b"\x00") + _tlv(0x30, varbind))
    return _tlv(0x30, _tlv(0x02, b"\x01") + _tlv(0x04, community.encode()) + pdu)


def answers(host: str, port: int, community: str, timeout: float = 0.5) -> bool:
    """Whether an agent answers a v2c GET with this community."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(get_packet(community, 0x1234), (host, port))
            data, _unused = s.recvfrom(4096)
        except OSError:
            return False
    return data[:1] == b"\x30" and b"\xa2" in data


def wait_ready(specs: Sequence[Spec], community: str, timeout: float, alive: Any = None) -> List[str]:
    """Block until every agent answers; returns the switches that never did."""
    deadline = time.monotonic() + timeout
    pending = list(specs)
    while pending and time.monotonic() < deadline:
        pending = [sp for sp in pending if not answers(sp.host, sp.port, community)]
        if pending:
            if alive is not None and not alive():
                break
            time.sleep(0.3)
    return [sp.name for sp in pending]


# --------------------------------------------------------------------------------------------
# the live snapshots (inside snmpsim, through the variation module)
# --------------------------------------------------------------------------------------------


def _run_json(argv: Sequence[str]) -> Any:
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=10, check=False)
    if proc.returncode != 0:
        raise SnmpLabError(f"{' '.join(argv)}: {(proc.stderr or proc.stdout).strip()[-200:]}")
    return json.loads(proc.stdout or "[]", strict=False)  # lab output may hold raw control characters


def read_vendor(spec: Spec, uptime: int) -> writer.Agent:
    """A vendor-CLI switch: its persisted view, the MAC table and link state read from its data
    plane as the fleet reads them (rows the data plane cannot learn stay as the view has them)."""
    from lab.nos.dataplane import DataPlane

    view = json.loads(Path(spec.view).read_text(encoding="utf-8"))
    if view.get("dataplane"):
        dp = DataPlane(view["dataplane"])
        links = dp.links()
        rows = dp.fdb_rows()
        keep = [r for r in view.get("mac_table", []) if r.get("origin") == "neighbor"]
        view["mac_table"] = keep + rows
        view["link_state"] = dp.link_state(links)
    return writer.from_view(view, uptime)


def read_linux(spec: Spec, uptime: int) -> writer.Agent:
    """A linux_bridge switch from its kernel and its lldpd."""
    ns = spec.netns
    links = _run_json([f"{SBIN}/ip", "-n", ns, "-j", "-d", "link", "show"])
    fdb = _run_json([f"{SBIN}/bridge", "-n", ns, "-j", "fdb", "show"])
    neigh = _run_json([f"{SBIN}/ip", "-n", ns, "-j", "neigh", "show"])
    vlans = None
    if any(
        isinstance(d.get("linkinfo"), dict) and (d["linkinfo"].get("info_data") or {}).get("vlan_filtering")
        for d in links
    ):
        vlans = _run_json([f"{SBIN}/bridge", "-n", ns, "-j", "vlan", "show"])
    lldp: Dict[str, Any] = {}
    if spec.lldpd_pid:
        with contextlib.suppress(SnmpLabError, ValueError, OSError, subprocess.SubprocessError):
            got = _run_json(
                ["nsenter", "-t", str(spec.lldpd_pid), "-m", "-n", f"{SBIN}/lldpcli", "-f", "json", "show", "neighbors"]
            )
            lldp = got if isinstance(got, dict) else {}
    return writer.from_linux(
        spec.name, links, fdb, neigh, lldp, vlans, spec.vlan_names, kernel=os.uname().release, uptime=uptime
    )


@dataclass
class Snapshot:
    agent: writer.Agent
    signature: Tuple[int, ...]
    at: float
    contexts: Dict[Optional[int], Tuple[List[writer.Oid], Dict[writer.Oid, Tuple[str, str]]]] = field(
        default_factory=dict
    )

    def context(self, ctx: Optional[int]) -> Tuple[List[writer.Oid], Dict[writer.Oid, Tuple[str, str]]]:
        got = self.contexts.get(ctx)
        if got is None:
            recs = writer.records(self.agent, ctx)
            got = self.contexts[ctx] = ([o for o, _t, _v in recs], {o: (t, v) for o, t, v in recs})
        return got


class Live:
    """The snapshots of the switches one snmpsim process serves (``state``: the lab state dir)."""

    def __init__(self, state: str, clock: Any = time.monotonic) -> None:
        self.state = Path(state)
        self.root = self.state / SNMP_DIR
        self.clock = clock
        self.started = clock()
        self.specs: Dict[str, Spec] = {}
        self._specs_mtime = -1
        self._load_specs()
        self.snaps: Dict[str, Snapshot] = {}

    def _load_specs(self) -> None:
        """(Re)read ``agents.json`` when it changed (``labctl.py snmp-omit`` rewrites it)."""
        path = self.root / "agents.json"
        mtime = path.stat().st_mtime_ns
        if mtime != self._specs_mtime:
            doc = json.loads(path.read_text(encoding="utf-8"))
            self.specs = {name: Spec.from_json(d) for name, d in doc.items()}
            self._specs_mtime = mtime

    def _signature(self, spec: Spec) -> Tuple[int, ...]:
        sig = []
        for p in ([Path(spec.view)] if spec.view else []) + [self.root / "generation", self.root / "agents.json"]:
            try:
                sig.append(p.stat().st_mtime_ns)
            except OSError:
                sig.append(0)
        return tuple(sig)

    def snapshot(self, switch: str, check: bool = True) -> Snapshot:
        snap = self.snaps.get(switch)
        if snap is not None and not check:
            return snap
        with contextlib.suppress(OSError, ValueError):
            self._load_specs()
        spec = self.specs[switch]
        sig = self._signature(spec)
        now = self.clock()
        if snap is not None and snap.signature == sig and now - snap.at < TTL:
            return snap
        uptime = int((now - self.started) * 100)
        try:
            agent = read_vendor(spec, uptime) if spec.kind == "vendor" else read_linux(spec, uptime)
            agent.omit(spec.omit)
        except Exception as exc:  # keep serving the last snapshot; the log says why
            log.warning("%s: state not read: %s", switch, exc)
            if snap is None:
                raise
            return snap
        snap = Snapshot(agent, sig, now)
        self.snaps[switch] = snap
        self._write_walk(switch, snap)
        return snap

    def _write_walk(self, switch: str, snap: Snapshot) -> None:
        with contextlib.suppress(OSError):
            text = writer.render(snap.agent)
            target = self.root / "walks" / f"{switch}.snmprec"
            tmp = target.with_name(f".{switch}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)

    def variate(self, oid: Any, tag: str, value: str, context: Mapping[str, Any]) -> Tuple[Any, str, Any]:
        """snmpsim's variation call for one variable of a request: the agent's record at (GET) or
        after (GETNEXT, GETBULK) the requested OID, or snmpsim's error value."""
        switch, ctx_text, scope = [*value.strip().split(";"), "", ""][:3]
        if scope == "v3" and int(context.get("securityModel") or 0) != 3:
            # a v3-only file ('self', 'vlan-N') reached with a v2c community of that name: no answer
            from snmpsim.error import NoDataNotification

            raise NoDataNotification()
        orig = context["origOid"]
        if context.get("setFlag"):
            return orig, tag, context["errorStatus"]  # read-only
        first = int(context.get("varsRemaining", 0)) == int(context.get("varsTotal", 1)) - 1
        snap = self.snapshot(switch, check=first)
        oids, values = snap.context(int(ctx_text) if ctx_text else None)
        key = tuple(orig)
        if context.get("nextFlag"):
            i = bisect.bisect_right(oids, key)
            if i >= len(oids):
                return orig, tag, context["errorStatus"]
            key = oids[i]
        elif key not in values:
            return orig, tag, context["errorStatus"]
        t, v = values[key]
        return orig.clone(key), t, v


# --------------------------------------------------------------------------------------------
# starting them (labctl)
# --------------------------------------------------------------------------------------------


def specs_for(
    topo: Any,
    state: Path,
    builder: Any,
    journal: Any,
) -> List[Spec]:
    """One spec per switch: vendor-CLI switches on free loopback UDP ports, linux_bridge switches
    on their management address, port 161."""
    vendor = [s for s in topo.switches if not s.is_linux]
    ports = iter(free_udp_ports(len(vendor)))
    out: List[Spec] = []
    for sw in topo.switches:
        names = {int(v): str(topo.vlans[v]) for v in sw.vlans}
        if sw.is_linux:
            info = builder.switches[sw.name]
            pid = next(
                (p["pid"] for p in journal.data.get("processes", []) if p.get("what") == f"switchd {sw.name}"), 0
            )
            out.append(
                Spec(
                    sw.name,
                    "linux",
                    sw.platform,
                    info.mgmt_ip,
                    161,
                    netns=info.ns,
                    lldpd_pid=int(pid),
                    vlan_names=names,
                )
            )
        else:
            out.append(
                Spec(
                    sw.name,
                    "vendor",
                    sw.platform,
                    "127.0.0.1",
                    next(ports),
                    view=str(state / "fakenos" / f"{sw.name}.json"),
                    vlan_names=names,
                    vlans=sorted({1, *sw.vlans}) if sw.platform == "cisco_ios" else [],
                )
            )
    return out


def start_agents(journal: Any, state: Path, specs: Sequence[Spec], timeout: float = 60.0) -> Dict[str, Tuple[str, int]]:
    """Start the agents (journaled by PID) and wait until each answers. Returns switch -> (host, port)."""
    import netns

    keys = make_secrets(state)
    dirs = write_data_dirs(state, specs, keys["community"])
    root = state / SNMP_DIR
    env_allow = os.geteuid() == 0
    groups: List[Tuple[str, Optional[str], List[Spec]]] = []
    vendor = [sp for sp in specs if sp.kind == "vendor"]
    # snmpsim answers in one thread: spread the vendor-CLI switches over a few processes
    n = min(VENDOR_PROCESSES_MAX, -(-len(vendor) // SWITCHES_PER_PROCESS))
    for k in range(n):
        groups.append((f"vendor-CLI-{k + 1}" if n > 1 else "vendor-CLI", None, vendor[k::n]))
    for sp in specs:
        if sp.kind == "linux":
            groups.append((sp.name, sp.netns, [sp]))
    pids: List[int] = []
    for label, ns, members in groups:
        args_file = root / f"engines-{label}.args"
        fd = os.open(args_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(engine_args(members, dirs, keys)) + "\n")
        argv = command(state, args_file, ns)
        if env_allow:
            # snmpsim refuses root unless told; it must read the kernel's bridges and namespaces
            argv = ["env", "SNMPSIM_ALLOW_ROOT=true", *argv]
        pids.append(netns.spawn(journal, f"snmp agent {label}", argv, root / f"{label}.log"))

    def alive() -> bool:
        return all(netns.proc_start_time(p) is not None for p in pids)

    missing = wait_ready(specs, keys["community"], timeout, alive)
    if missing:
        logs = ", ".join(str(root / f"{g[0]}.log") for g in groups)
        raise SnmpLabError(f"SNMP agents of {', '.join(missing)} do not answer after {timeout:.0f}s (see {logs})")
    return {sp.name: (sp.host, sp.port) for sp in specs}


def set_omit(state: Path, switch: str, groups: Sequence[str]) -> List[str]:
    """Make ``switch``'s agent serve without the MIB ``groups`` (none: everything again), as an
    older agent would; its next request sees it. Returns the groups now omitted."""
    for g in groups:
        if g not in writer.OMITTABLE:
            raise SnmpLabError(f"unknown MIB group {g!r}; known: {', '.join(sorted(writer.OMITTABLE))}")
    path = state / SNMP_DIR / "agents.json"
    if not path.exists():
        raise SnmpLabError(f"no SNMP agents in this lab ({path} is missing)")
    doc = json.loads(path.read_text(encoding="utf-8"))
    if switch not in doc:
        raise SnmpLabError(f"no SNMP agent for {switch!r} (known: {', '.join(sorted(doc))})")
    doc[switch]["omit"] = sorted(set(groups))
    tmp = path.with_name(".agents.json.tmp")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return list(doc[switch]["omit"])


def bump_generation(state: Path) -> None:
    """Make every agent rebuild its snapshot at its next request (after ``labctl.py move``)."""
    gen = state / SNMP_DIR / "generation"
    if gen.parent.is_dir():
        gen.write_text(str(time.time_ns()), encoding="utf-8")
