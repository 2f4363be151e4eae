# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every benchmark in one go and print one table per benchmark (``make bench``).

    .venv/bin/python benchmarks/run.py [--quick] [--only discovery,classify,inventory_build,remediation]
                                       [--no-ios-command] [--output FILE]

``--quick`` runs each benchmark in a small configuration (a minute or two in all) to check
that they work; without it the full figures of benchmarks/README.md are produced (the
discovery benchmark's ios_command playbook at N = 500 dominates: plan on 20-30 minutes).
Each benchmark is also runnable alone (``benchmarks/bench_<name>.py --help``). Benchmarks
print figures; they assert nothing about time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C

ORDER = ("classify", "inventory_build", "remediation", "discovery")


def runners(quick: bool, ios_command: bool) -> Dict[str, Callable[[], int]]:
    import bench_classify
    import bench_discovery
    import bench_inventory_build
    import bench_remediation
    import bench_snmp

    q = ["--quick"] if quick else []
    return {
        "classify": lambda: bench_classify.main(q),
        "inventory_build": lambda: bench_inventory_build.main(q),
        "remediation": lambda: bench_remediation.main(q),
        "snmp": lambda: bench_snmp.main(q or ["--switches", "500", "--concurrency", "50"]),
        # the ios_command way at N = 500 takes ~10 minutes a run: once; the plugin runs three times
        "discovery": lambda: bench_discovery.main(
            q + ([] if quick else ["--ios-repeat", "1"]) + ([] if ios_command else ["--no-ios-command"])
        ),
    }


class Tee(io.TextIOBase):
    def __init__(self, *streams: io.TextIOBase) -> None:
        self.streams = streams

    def write(self, s: str) -> int:
        for st in self.streams:
            st.write(s)
            st.flush()
        return len(s)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small configurations, one run each")
    ap.add_argument("--only", default="", help="comma-separated subset of " + ", ".join(ORDER))
    ap.add_argument("--no-ios-command", action="store_true", help="skip the ios_command playbook (no .venv-bench)")
    ap.add_argument("--output", help="also write everything printed to this file")
    args = ap.parse_args(argv)
    chosen: List[str] = [x.strip() for x in args.only.split(",") if x.strip()] or list(ORDER)
    unknown = [x for x in chosen if x not in ORDER]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(ORDER)}")
    out_file = open(args.output, "w", encoding="utf-8") if args.output else None  # noqa: SIM115
    stream = Tee(sys.stdout, out_file) if out_file else sys.stdout
    failed = []
    try:
        with contextlib.redirect_stdout(stream):  # type: ignore[type-var]
            m = C.machine()
            print(
                f"camguard.network benchmarks ({'quick' if args.quick else 'full'}) on {m['cores']} cores, "
                f"{m['memory_gib']:.1f} GiB RAM ({m['cpu']}), {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"
            )
            run = runners(args.quick, not args.no_ios_command)
            for name in ORDER:
                if name not in chosen:
                    continue
                print()
                t0 = time.perf_counter()
                try:
                    run[name]()
                except Exception:  # one broken benchmark must not hide the others' figures
                    failed.append(name)
                    print(f"benchmark {name} FAILED:\n{traceback.format_exc()}")
                print(f"({name}: {time.perf_counter() - t0:.0f}s)")
    finally:
        if out_file:
            out_file.close()
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
