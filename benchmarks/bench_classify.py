# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Classifier benchmark: MACs classified per second, build time and memory, against the obvious alternatives.

    .venv/bin/python benchmarks/bench_classify.py [--macs 1000000] [--seed 1]

Workload: unique, globally administered unicast MACs whose OUIs are drawn uniformly from the
installed IEEE registry (so most are "someone else"), with 2 % drawn from the restricted list,
plus 5 % locally administered addresses (phones' randomised MACs). Every MAC is distinct, so no
cache helps. The alternatives do what a playbook author would write: look the org name up per
MAC (pymanuf, netaddr) and match it against the policy's org patterns.

A benchmark, not a test: it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, List, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
COLLECTIONS = REPO / ".build" / "collections"
LINK = COLLECTIONS / "ansible_collections" / "camguard" / "network"
if not LINK.exists():
    LINK.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(REPO, LINK.parent), LINK)
sys.path.insert(0, str(COLLECTIONS))

from ansible_collections.camguard.network.plugins.module_utils import _mac, _policy  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._classify import Classifier  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._policy import shipped_policy  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._registry import Registry  # noqa: E402


def measure_build(label: str, fn: Callable[[], Any]) -> Tuple[str, float, float, float, Any]:
    """Build time (wall and CPU, without tracing) and retained memory (a second, traced build)."""
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    obj = fn()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    gc.collect()
    tracemalloc.start()
    traced = fn()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    return label, wall, cpu, current / 2**20, obj


def workload(n: int, seed: int, registry: Registry, policy_ouis: Sequence[int]) -> List[str]:
    rng = random.Random(seed)
    ouis = [v for v, bits, _org in registry.entries() if bits == 24 and not (v >> 16) & 3]
    seen = set()
    out: List[str] = []
    while len(out) < n:
        r = rng.random()
        if r < 0.02:
            oui = rng.choice(policy_ouis)
        elif r < 0.07:
            oui = (rng.getrandbits(24) | 0x020000) & ~0x010000
        else:
            oui = rng.choice(ouis)
        v = (oui << 24) | rng.getrandbits(24)
        if v in seen:
            continue
        seen.add(v)
        h = f"{v:012x}"
        out.append(f"{h[0:2]}:{h[2:4]}:{h[4:6]}:{h[6:8]}:{h[8:10]}:{h[10:12]}")
    return out


def run(
    label: str, macs: Sequence[Any], fn: Callable[[Sequence[Any]], Any], note: str = "", repeat: int = 3
) -> Tuple[str, int, float, float, str]:
    """Best of ``repeat`` runs, wall and CPU seconds; the MAC parse cache is emptied before each."""
    best_wall = best_cpu = float("inf")
    for _run in range(repeat):
        _mac._CACHE.clear()
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        fn(macs)
        best_wall = min(best_wall, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    return label, len(macs), best_wall, best_cpu, note


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--macs", type=int, default=1_000_000, help="MACs in the bulk workload")
    ap.add_argument("--slow-macs", type=int, default=100_000, help="MACs for the per-MAC paths")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    builds = []

    def policy_only() -> Classifier:
        _policy._SHIPPED.clear()  # include parsing the shipped data
        return Classifier()

    builds.append(measure_build("policy only (parse shipped data + tables)", policy_only))
    reg_build = measure_build("pymanuf registry load", Registry.from_pymanuf)
    builds.append(reg_build)
    registry = reg_build[4]
    builds.append(measure_build("policy + registry (tables + drift check)", lambda: Classifier(registry=registry)))
    classifier = builds[0][4]
    full = builds[2][4]

    policy_ouis = [r.value for r in shipped_policy().prefixes if r.bits == 24]
    macs = workload(args.macs, args.seed, registry, policy_ouis)
    small = macs[: args.slow_macs]
    cisco = [f"{m[0:2]}{m[3:5]}.{m[6:8]}{m[9:11]}.{m[12:14]}{m[15:17]}" for m in small]

    rows = []
    rows.append(
        run("classify_many, canonical input", macs, classifier.classify_many, "restricted or not + vendor, law")
    )
    rows.append(run("classify_many, canonical, with registry", macs, full.classify_many, "incl. drift rules"))
    rows.append(
        run("classify_many + statuses() (registry names)", small, lambda m: full.classify_many(m).statuses(), "")
    )
    rows.append(run("classify_many, Cisco spelling input", cisco, classifier.classify_many, "per-MAC parse fallback"))
    rows.append(
        run("classify() per MAC, full Verdict", small, lambda m: [full.classify(x) for x in m], "with registry")
    )

    policy = shipped_policy()

    def alt_pymanuf(ms: Sequence[str]) -> None:
        import pymanuf

        cache: dict = {}
        for m in ms:
            org = pymanuf.lookup(m)
            if org not in cache:
                cache[org] = policy.match_org(org, active_only=True)

    rows.append(run("alternative: pymanuf.lookup + org regex", small, alt_pymanuf, "regex result cached per org", 1))
    try:
        import netaddr

        def alt_netaddr(ms: Sequence[str]) -> None:
            cache: dict = {}
            for m in ms:
                try:
                    org = netaddr.EUI(m).oui.registration().org
                except (netaddr.NotRegisteredError, IndexError):
                    org = ""
                if org not in cache:
                    cache[org] = policy.match_org(org, active_only=True)

        rows.append(
            run("alternative: netaddr EUI().oui + org regex", small[:20000], alt_netaddr, "MA-L only, 2024-02 data")
        )
    except ImportError:
        rows.append(("alternative: netaddr (not installed)", 0, 0.0, ""))

    restricted = len(classifier.classify_many(macs).restricted_indexes())
    print(
        f"camguard classifier benchmark  (Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs)"
    )
    print(
        f"policy {policy.policy_version}, registry {registry.source}, {len(policy.prefixes)} policy prefixes, "
        f"{len(full.drift_rules)} drift prefixes; workload {len(macs):,} unique MACs, {restricted:,} restricted"
    )
    print()
    print(f"load average {os.getloadavg()[0]:.2f}: rates use CPU time; wall time is shown for reference")
    print()
    print(f"{'build':<44} {'wall s':>8} {'CPU s':>8} {'retained MiB':>13}")
    for label, wall, cpu, mib, _obj in builds:
        print(f"{label:<44} {wall:>8.3f} {cpu:>8.3f} {mib:>13.1f}")
    print()
    print(f"{'classification':<44} {'MACs':>10} {'wall s':>8} {'CPU s':>8} {'MACs/s (CPU)':>13}  note")
    for label, n, wall, cpu, note in rows:
        rate = f"{n / cpu:,.0f}" if cpu else "-"
        print(f"{label:<44} {n:>10,} {wall:>8.3f} {cpu:>8.3f} {rate:>13}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
