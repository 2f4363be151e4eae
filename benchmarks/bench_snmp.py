# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SNMP discovery of N simulated switches vs a pool of Net-SNMP ``snmpbulkwalk`` processes.

N agents (one snmpsim process on 127.0.0.1 serving N ``.snmprec`` walks, ~50 learned MACs and 48
ports each; the community selects the switch) are read (a) by the collection's SNMP backend
(``_discovery.poll`` over ``SnmpTarget``s: one asyncio loop, C switches at once) and (b) by C
worker threads each running ``snmpbulkwalk`` once per column, as a shell loop would. Printed:
wall, controller CPU per switch (this process for (a); the snmpbulkwalk children for (b)), peak
RSS. The agent's own CPU is printed apart (it shares the cores). No timing is asserted.

    .venv/bin/python benchmarks/bench_snmp.py --switches 50 --concurrency 20
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Optional, Sequence

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / ".build" / "collections"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

from ansible_collections.camguard.network.plugins.module_utils._collect import snmp  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib  # noqa: E402
from ansible_collections.camguard.network.plugins.plugin_utils._discovery import poll  # noqa: E402

GETTERS = ("mac_table", "arp", "neighbors", "ports")


def snmprec(n: int, macs: int = 50, ports: int = 48) -> str:
    """One switch: IF-MIB, bridge ports, Q-BRIDGE FDB and VLAN port lists, a few LLDP neighbours."""
    lines = [f"1.3.6.1.2.1.1.1.0|4|bench switch {n}", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10"]
    lines.append(f"1.3.6.1.2.1.1.5.0|4|sw{n}")
    rows = []
    for i in range(1, ports + 1):
        rows += [
            ("1.3.6.1.2.1.2.2.1.2", i, f"4|port {i}"),
            ("1.3.6.1.2.1.2.2.1.3", i, "2|6"),
            ("1.3.6.1.2.1.2.2.1.6", i, f"4x|02000000{n % 256:02x}{i:02x}"),
            ("1.3.6.1.2.1.2.2.1.7", i, "2|1"),
            ("1.3.6.1.2.1.31.1.1.1.1", i, f"4|ge{i}"),
            ("1.3.6.1.2.1.31.1.1.1.18", i, f"4|desk {i}"),
            ("1.3.6.1.2.1.17.1.4.1.2", i, f"2|{i}"),
            ("1.3.6.1.2.1.17.7.1.4.5.1.1", i, "66|10"),
        ]
    for m in range(macs):
        mac = (0xBC, 0xAD, 0x28, n // 256 % 256, n % 256, m)
        rows.append(("1.3.6.1.2.1.17.7.1.2.2.1.2", (10, *mac), f"2|{m % ports + 1}"))
        rows.append(("1.3.6.1.2.1.17.7.1.2.2.1.3", (10, *mac), "2|3"))
    allports = "FF" * (ports // 8)
    rows += [
        ("1.3.6.1.2.1.17.7.1.4.2.1.3", (0, 10), "66|10"),
        ("1.3.6.1.2.1.17.7.1.4.2.1.4", (0, 10), f"4x|{allports}"),
        ("1.3.6.1.2.1.17.7.1.4.2.1.5", (0, 10), f"4x|{'FF' * (ports // 8 - 1)}FE"),
    ]
    for k in (47, 48):
        rows += [
            ("1.0.8802.1.1.2.1.3.7.1.3", k, f"4|ge{k}"),
            ("1.0.8802.1.1.2.1.4.1.1.9", (0, k, 1), f"4|core-{k}"),
            ("1.0.8802.1.1.2.1.4.1.1.12", (0, k, 1), "4x|2800"),
        ]

    def key(r: tuple) -> tuple:
        idx = r[1] if isinstance(r[1], tuple) else (r[1],)
        return (*mib.oid(r[0]), *idx)

    for r in sorted(rows, key=key):
        lines.append(".".join(map(str, key(r))) + "|" + r[2])
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--switches", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="a tiny run (the smoke test)")
    args = ap.parse_args(argv)
    n = 5 if args.quick else args.switches
    responder = Path(sys.executable).parent / "snmpsim-command-responder"
    if not responder.exists():
        print("bench_snmp: snmpsim is not installed (requirements-test.txt); skipped")
        return 0
    print(C.header(f"SNMP discovery of N = {n} simulated switches (~50 MACs, 48 ports each), C = {args.concurrency}"))
    with tempfile.TemporaryDirectory(prefix="cgbench-snmp-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for i in range(n):
            (data / f"sw{i}.snmprec").write_text(snmprec(i))
        port = free_port()
        env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true") if os.geteuid() == 0 else dict(os.environ)
        log = open(Path(tmp) / "snmpsim.log", "w")  # noqa: SIM115 - closed below
        agent = subprocess.Popen(
            [
                str(responder),
                f"--data-dir={data}",
                f"--cache-dir={tmp}/cache",
                f"--agent-udpv4-endpoint=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            targets = [
                snmp.SnmpTarget(
                    name=f"sw{i}",
                    host="127.0.0.1",
                    platform="snmp",
                    credentials=snmp.SnmpCredentials(username="", community=f"sw{i}"),
                    backend="snmp",
                    snmp=snmp.SnmpOptions(port=port, timeout=5, retries=2),
                )
                for i in range(n)
            ]
            for _ in range(120):
                try:
                    snmp.collect_target(targets[0], ("arp",))
                    break
                except Exception:
                    time.sleep(0.5)
            agent_cpu0 = C.proc_cpu(agent.pid)
            c0, t0 = time.process_time(), time.monotonic()
            results, errors, _t = poll(targets, concurrency=args.concurrency, processes=1)
            wall_a, cpu_a = time.monotonic() - t0, time.process_time() - c0
            agent_a = C.proc_cpu(agent.pid) - agent_cpu0
            rss_a = peak_rss_mib()
            macs = sum(len(d.macs) for d in results.values())
            rows: List[List[object]] = [
                [
                    "camguard SNMP backend (pysnmp, one loop)",
                    round(wall_a, 2),
                    round(cpu_a * 1000 / n, 1),
                    round(rss_a, 1),
                    round(agent_a, 2),
                    f"{len(results)} ok, {len(errors)} failed, {macs} MAC entries",
                ]
            ]
            tool = shutil.which("snmpbulkwalk")
            if tool:
                roots = [".".join(map(str, mib.COLUMNS[c])) for c in mib.columns_for(GETTERS, cisco=False)]

                def one(i: int) -> int:
                    for r in roots:
                        subprocess.run(
                            [tool, "-v2c", "-c", f"sw{i}", "-On", "-Cr10", "-t", "5", f"127.0.0.1:{port}", r],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            check=False,
                        )
                    return i

                ch0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                agent_cpu0 = C.proc_cpu(agent.pid)
                t0 = time.monotonic()
                with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                    list(pool.map(one, range(n)))
                wall_b = time.monotonic() - t0
                ch1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu_b = (ch1.ru_utime + ch1.ru_stime) - (ch0.ru_utime + ch0.ru_stime)
                rows.append(
                    [
                        "snmpbulkwalk pool (Net-SNMP C, 1 process per column)",
                        round(wall_b, 2),
                        round(cpu_b * 1000 / n, 1),
                        round(
                            ch1.ru_maxrss / 1024, 1
                        ),  # Linux carries the parent's peak over fork+exec: an upper bound
                        round(C.proc_cpu(agent.pid) - agent_cpu0, 2),
                        f"{len(roots)} columns per switch",
                    ]
                )
            else:
                rows.append(["snmpbulkwalk pool", "-", "-", "-", "-", "Net-SNMP not installed (make sysdeps)"])
            print(
                C.table(["method", "wall s", "controller CPU ms/switch", "peak RSS MiB", "agent CPU s", "note"], rows)
            )
            if tool:
                print(f"wall SNMP backend / snmpbulkwalk pool = {wall_a / max(wall_b, 1e-9):.2f}x")
        finally:
            agent.terminate()
            try:
                agent.wait(10)
            except subprocess.TimeoutExpired:
                agent.kill()
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
