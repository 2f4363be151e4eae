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
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C

from ansible_collections.camguard.network.plugins.module_utils import _mac
from ansible_collections.camguard.network.plugins.module_utils._classify import Classifier
from ansible_collections.camguard.network.plugins.module_utils._classify import policy as _policy
from ansible_collections.camguard.network.plugins.module_utils._classify.policy import shipped_policy
from ansible_collections.camguard.network.plugins.module_utils._classify.registry import Registry


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


REPEAT = 3


def run(
    label: str, macs: Sequence[Any], fn: Callable[[Sequence[Any]], Any], note: str = "", repeat: int = 0
) -> Tuple[str, int, float, float, str]:
    """Median of ``repeat`` runs, wall and CPU seconds; the MAC parse cache is emptied before each."""
    walls, cpus = [], []
    for _run in range(repeat or REPEAT):
        _mac._CACHE.clear()
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        fn(macs)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return label, len(macs), C.median(walls), C.median(cpus), note


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 MACs, 5,000 for the per-MAC paths, 1 run")
    ap.add_argument("--macs", type=int, default=1_000_000, help="MACs in the bulk workload")
    ap.add_argument("--slow-macs", type=int, default=100_000, help="MACs for the per-MAC paths")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (medians are printed)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.quick:
        args.macs, args.slow_macs, args.repeat = 20_000, 5_000, 1
    print(C.header("classification: MACs per second, build time, memory"))
    core(args.macs, args.slow_macs, args.seed, args.repeat)
    return 0


def core(n_macs: int, slow_macs: int, seed: int = 1, repeat: int = 3, out=print) -> Dict[str, Any]:  # type: ignore[no-untyped-def]
    """Run the classifier benchmark and print its tables; returns the bulk rate (MACs/s of CPU)."""
    global REPEAT
    REPEAT = max(1, repeat)
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
    macs = workload(n_macs, seed, registry, policy_ouis)
    small = macs[:slow_macs]
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
        rows.append(("alternative: netaddr (not installed)", 0, 0.0, 0.0, ""))

    restricted = len(classifier.classify_many(macs).restricted_indexes())
    out(
        f"policy {policy.policy_version}, registry {registry.source}, {len(policy.prefixes)} policy prefixes, "
        f"{len(full.drift_rules)} drift prefixes; workload {len(macs):,} unique MACs, {restricted:,} restricted; "
        f"medians of {REPEAT} runs (the per-MAC alternatives: 1 run)"
    )
    out("rates use CPU time; wall time is shown for reference")
    out("")
    out(
        C.table(
            ["build", "wall s", "CPU s", "retained MiB"],
            [[label, wall, cpu, mib] for label, wall, cpu, mib, _obj in builds],
        )
    )
    out("")
    out(
        C.table(
            ["classification", "MACs", "wall s", "CPU s", "MACs/s (CPU)", "note"],
            [[label, n, wall, cpu, (n / cpu) if cpu else None, note] for label, n, wall, cpu, note in rows],
            "lrrrrl",
        )
    )
    bulk = rows[0][1] / rows[0][3] if rows[0][3] else float("nan")
    out(f"classify_many: {bulk:,.0f} MACs/s of CPU (target >= 2,000,000)")
    return {"macs_per_second": bulk, "builds": [(b[0], b[1], b[3]) for b in builds]}


if __name__ == "__main__":
    sys.exit(main())
