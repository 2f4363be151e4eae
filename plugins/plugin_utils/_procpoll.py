# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Spread a poll over several processes, each with its own thread pool.

One Python process polls with threads, but its CPU work (SSH packet decryption in paramiko,
netmiko's read loops, TextFSM) runs on one core at a time because of the GIL. Past a few hundred
switches the poll is CPU-bound on that one core while the others idle. Here the targets are
dealt round-robin to ``processes`` forked children (fork: the targets, the collector and the
credentials are inherited, never serialised or passed on a command line), each polls its share
with ``ceil(concurrency / processes)`` threads, and sends each result back as soon as it has it,
so progress is reported as before. Total concurrency stays ``concurrency``.

A child that dies (killed, out of memory) costs only the switches it had not reported yet: each
becomes an error naming the switch and the child's exit status; the others are kept.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Dict, Iterator, List, Sequence, Set, Tuple, cast

# a child that has reported nothing for this long while its switches are still pending is
# considered hung (the per-switch connect/command timeouts are far shorter)
_SILENCE_LIMIT = 3600.0


def default_processes(total: int, concurrency: int) -> int:
    """Processes for ``auto``: one per usable CPU, at most one per 25 switches and per 4 threads."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, total // 25, max(1, concurrency // 4)))


def _child(shard: Sequence[Any], threads: int, one: Callable[[Any], Any], conn: Connection) -> None:
    try:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="camguard-poll") as pool:
            futures = {pool.submit(one, t): i for i, t in enumerate(shard)}
            for fut in as_completed(futures):
                conn.send((futures[fut], fut.result()))
    finally:
        conn.close()


def poll_sharded(
    targets: Sequence[Any],
    concurrency: int,
    processes: int,
    one: Callable[[Any], Any],
    name_of: Callable[[Any], str],
    failed: Callable[[Any, str], Any],
) -> Iterator[Any]:
    """Yield ``one(t)`` for every target, computed in ``processes`` forked children.

    ``failed(target, message)`` builds the result of a target whose child ended before reporting it.
    """
    ctx = multiprocessing.get_context("fork")
    processes = max(1, min(processes, len(targets)))
    shards: List[List[Any]] = [list(targets[i::processes]) for i in range(processes)]
    threads = max(1, math.ceil(concurrency / processes))
    pending: Dict[Connection, Tuple[Any, List[Any], Set[int]]] = {}
    try:
        for shard in shards:
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(shard, threads, one, writer), daemon=True)
            proc.start()
            writer.close()
            pending[reader] = (proc, shard, set())
        while pending:
            ready = wait(list(pending), timeout=_SILENCE_LIMIT)
            if not ready:
                for proc, _shard, _done in pending.values():
                    proc.kill()
                ready = list(pending)
            for obj in ready:
                conn = cast(Connection, obj)
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    proc, shard, reported = pending.pop(conn)
                    proc.join(5)
                    for i, t in enumerate(shard):
                        if i not in reported:
                            yield failed(
                                t,
                                f"{name_of(t)}: the poller process (pid {proc.pid}) ended with exit status "
                                f"{proc.exitcode} before it reported this switch",
                            )
                    conn.close()
                    continue
                index, value = result
                pending[conn][2].add(index)
                yield value
    finally:
        for conn, (proc, _shard, _done) in pending.items():
            proc.kill()
            proc.join(5)
            conn.close()
