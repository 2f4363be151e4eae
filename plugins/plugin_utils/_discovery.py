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
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._collect import collect_target
from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, VerdictFn, locate
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    Finding,
    SwitchData,
)
from ansible_collections.camguard.network.plugins.module_utils._transport import Target, redact


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
) -> Tuple[Dict[str, SwitchData], Dict[str, str], Dict[str, float]]:
    """Collect every target with a bounded thread pool; failures become error strings."""
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

    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="camguard-poll") as pool:
        futures = [pool.submit(one, t) for t in targets]
        for fut in as_completed(futures):
            r = fut.result()
            done += 1
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


def cache_payload(discovery: Discovery) -> Dict[str, Any]:
    """What the inventory cache keeps: raw normalised records, never credentials."""
    return {
        "version": 1,
        "switches": {k: v.to_dict() for k, v in discovery.switches.items()},
        "unreachable": dict(discovery.unreachable),
        "timings": dict(discovery.timings),
        "poll_seconds": discovery.poll_seconds,
    }


def from_cache(payload: Mapping[str, Any]) -> Discovery:
    if not isinstance(payload, Mapping) or payload.get("version") != 1:
        raise CamguardError("inventory cache entry has an unknown format")
    d = Discovery(from_cache=True)
    d.switches = {k: SwitchData.from_dict(v) for k, v in payload.get("switches", {}).items()}
    d.unreachable = dict(payload.get("unreachable", {}))
    d.timings = {k: float(v) for k, v in payload.get("timings", {}).items()}
    d.poll_seconds = float(payload.get("poll_seconds", 0.0))
    return d


def env_secret(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    value = os.environ.get(name)
    return value if value else None
