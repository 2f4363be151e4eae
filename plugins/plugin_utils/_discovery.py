# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side discovery: poll many switches concurrently, then classify and locate.

Used by the ``mac_table`` inventory plugin (and the benchmarks). Pure of Ansible: callers pass
plain ``SwitchSpec`` objects and a progress callback.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect import collect_target
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Target, redact
from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, VerdictFn, locate
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    Finding,
    SwitchData,
)
from ansible_collections.camguard.network.plugins.plugin_utils._cache_codec import CacheFormatError, decode, encode
from ansible_collections.camguard.network.plugins.plugin_utils._procpoll import default_processes, poll_sharded


@dataclass
class PollResult:
    switch: str
    data: Optional[SwitchData] = None
    error: Optional[str] = None
    seconds: float = 0.0


@dataclass
class Discovery:
    switches: Dict[str, SwitchData] = field(default_factory=dict)
    unreachable: Dict[str, str] = field(default_factory=dict)
    timings: Dict[str, float] = field(default_factory=dict)
    findings: List[Finding] = field(default_factory=list)
    poll_seconds: float = 0.0
    from_cache: bool = False


ProgressFn = Callable[[int, int, PollResult], None]


def poll(
    targets: Sequence[Target],
    concurrency: int = 20,
    progress: Optional[ProgressFn] = None,
    collector: Callable[[Target], Tuple[SwitchData, float]] = collect_target,
    processes: int = 1,
) -> Tuple[Dict[str, SwitchData], Dict[str, str], Dict[str, float]]:
    """Collect every target with a bounded thread pool; failures become error strings.

    ``processes`` > 1 spreads the targets over that many forked processes, each with its share
    of the ``concurrency`` threads (``_procpoll``): the poll's CPU work is no longer held to
    one core by the GIL. ``0`` chooses from the usable CPUs and the number of switches.
    """
    results: Dict[str, SwitchData] = {}
    errors: Dict[str, str] = {}
    timings: Dict[str, float] = {}
    total = len(targets)
    if total == 0:
        return results, errors, timings
    workers = max(1, min(int(concurrency), total))

    def one(t: Target) -> PollResult:
        started = time.monotonic()
        try:
            data, secs = collector(t)
            return PollResult(t.name, data=data, seconds=secs)
        except CamguardError as exc:
            return PollResult(t.name, error=redact(str(exc), t.credentials.secrets), seconds=time.monotonic() - started)
        except Exception as exc:  # a bug or an unexpected library error must not stop the other switches
            msg = f"{t.name}: unexpected {type(exc).__name__}: {exc}"
            return PollResult(t.name, error=redact(msg, t.credentials.secrets), seconds=time.monotonic() - started)

    if processes == 0:
        processes = default_processes(total, workers)

    def results_of() -> Iterator[PollResult]:
        if processes > 1 and total > 1:
            yield from poll_sharded(
                targets, workers, processes, one, lambda t: str(t.name), lambda t, msg: PollResult(t.name, error=msg)
            )
            return
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="camguard-poll") as pool:
            for fut in as_completed([pool.submit(one, t) for t in targets]):
                yield fut.result()

    for done, r in enumerate(results_of(), start=1):
        timings[r.switch] = r.seconds
        if r.data is not None:
            results[r.switch] = r.data
        else:
            errors[r.switch] = r.error or "unknown error"
        if progress is not None:
            progress(done, total, r)
    return results, errors, timings


def analyse(
    switches: Mapping[str, SwitchData],
    verdict_for: VerdictFn,
    options: LocateOptions,
    seen_at: Optional[str] = None,
    prefilter: Optional[Callable[[Sequence[str]], Set[str]]] = None,
) -> List[Finding]:
    return locate([switches[k] for k in sorted(switches)], verdict_for, options, seen_at=seen_at, prefilter=prefilter)


CACHE_VERSION = 2
"""Version of the inventory cache entry. 1: one dict per record (read no more: a miss). 2: the
compact column form of ``_cache_codec``, stored as one JSON text."""


def cache_payload(discovery: Discovery) -> Dict[str, Any]:
    """What the inventory cache keeps: raw normalised records, never credentials.

    The records travel as one compact JSON text (``_cache_codec.encode``): the cache plugin then
    stores and reads a single string, and the records are parsed by the standard library's C
    decoder instead of one decoded, tag-checked dict per MAC entry.
    """
    return {
        "version": CACHE_VERSION,
        "data": encode(discovery.switches, discovery.unreachable, discovery.timings, discovery.poll_seconds),
    }


def from_cache(payload: Any) -> Discovery:
    """The ``Discovery`` a cache entry holds.

    Raises ``CacheFormatError`` (a ``CamguardError``) naming the version, switch or key when the
    entry is of another format version or damaged; callers treat that as a cache miss.
    """
    if not isinstance(payload, Mapping):
        raise CacheFormatError(f"inventory cache entry: expected a mapping, got {type(payload).__name__}")
    version = payload.get("version")
    if version != CACHE_VERSION:
        raise CacheFormatError(
            f"inventory cache entry has format version {version!r}; this version of the collection reads "
            f"version {CACHE_VERSION}"
        )
    try:
        switches, unreachable, timings, poll_seconds = decode(payload.get("data"))
    except CacheFormatError as e:
        raise CacheFormatError(f"inventory cache entry (version {CACHE_VERSION}) is damaged: {e}") from None
    d = Discovery(from_cache=True)
    d.switches = switches
    d.unreachable = unreachable
    d.timings = timings
    d.poll_seconds = poll_seconds
    return d


def env_secret(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    value = os.environ.get(name)
    return value if value else None
