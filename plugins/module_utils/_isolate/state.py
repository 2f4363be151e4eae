# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state store and the audit log of isolation runs (the change records), on the controller.

``StateStore`` keeps, per switch, the prior state of every isolated port (what ``released``
restores), the plan files of the approval step, the pre-change running configurations and the
per-switch lock; ``append_audit`` / ``read_audit`` are the append-only audit log of every port
change and refusal (``audit_record`` is one record). All under one state directory::

    <state_dir>/audit.jsonl                          append-only JSON lines (fsync per batch)
    <state_dir>/plans/<change_id>-<switch>.json      the plan of a run, for the approval step
    <state_dir>/<switch>/ports.json                  per-port prior state that release restores
    <state_dir>/<switch>/running-config-<ts>.txt     pre-change running configuration
    <state_dir>/<switch>/.lock                       per-switch lock (fcntl): runs never interleave

Files are written atomically (temp file, fsync, rename). Switch names and change IDs become
path parts only after validation.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import time
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

from ansible_collections.camguard.network.plugins.module_utils._files import atomic_write
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import DEFAULT_LOCK_TIMEOUT
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError

_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
AUDIT_FIELDS = (
    "time",
    "user",
    "change_id",
    "switch",
    "port",
    "mac",
    "vendor",
    "mode",
    "action",
    "before",
    "after",
    "result",
)


class StateError(CamguardError):
    """The state directory is unusable or a saved file is corrupt; the message names the path."""


class LockTimeout(StateError):
    """Another run holds the switch lock for longer than the timeout."""


def safe_part(value: str, what: str) -> str:
    if not isinstance(value, str) or not _SAFE_PART.fullmatch(value) or value in (".", ".."):
        raise StateError(f"{what} {value!r} cannot be used in a file name (letters, digits, '.', '_', '-' only)")
    return value


class StateStore:
    """The change records of one switch under ``state_dir``."""

    def __init__(self, state_dir: str, switch: str) -> None:
        if not state_dir:
            raise StateError("state_dir is required")
        self.root = os.path.abspath(os.path.expanduser(state_dir))
        self.switch = safe_part(switch, "switch name")
        self.switch_dir = os.path.join(self.root, self.switch)
        try:
            os.makedirs(self.switch_dir, mode=0o750, exist_ok=True)
            os.makedirs(os.path.join(self.root, "plans"), mode=0o750, exist_ok=True)
        except OSError as exc:
            raise StateError(f"cannot create state directory {self.switch_dir}: {exc.strerror}") from None

    # ----------------------------------------------------------------- lock
    @contextlib.contextmanager
    def lock(self, timeout: float = DEFAULT_LOCK_TIMEOUT, poll: float = 0.1) -> Iterator[None]:
        """Exclusive per-switch lock; waits up to ``timeout`` seconds, then raises ``LockTimeout``."""
        path = os.path.join(self.switch_dir, ".lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            deadline = time.monotonic() + max(0.0, timeout)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise StateError(f"cannot lock {path}: {exc.strerror}") from None
                    if time.monotonic() >= deadline:
                        raise LockTimeout(
                            f"{self.switch}: another isolation run holds {path} (waited {timeout:g}s); "
                            "refusing to run concurrently"
                        ) from None
                    time.sleep(poll)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # ----------------------------------------------------------------- prior state
    @property
    def ports_path(self) -> str:
        return os.path.join(self.switch_dir, "ports.json")

    def load_ports(self) -> Dict[str, Any]:
        path = self.ports_path
        if not os.path.exists(path):
            return {"version": 1, "switch": self.switch, "ports": {}, "acl_peers": []}
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise StateError(f"saved port state {path} is unreadable: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("ports"), dict):
            raise StateError(f"saved port state {path} is corrupt: expected an object with 'ports'")
        return data

    def save_ports(self, data: Mapping[str, Any]) -> str:
        atomic_write(self.ports_path, json.dumps(data, indent=2, sort_keys=True) + "\n")
        return self.ports_path

    # ----------------------------------------------------------------- running config, plans
    def save_running_config(self, text: str, now: Optional[datetime] = None) -> str:
        ts = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = os.path.join(self.switch_dir, f"running-config-{ts}.txt")
        atomic_write(path, text if text.endswith("\n") else text + "\n", 0o600)
        return path

    def plan_path(self, change_id: Optional[str]) -> str:
        cid = safe_part(change_id, "change_id") if change_id else "no-change-id"
        return os.path.join(self.root, "plans", f"{cid}-{self.switch}.json")

    def write_plan(self, change_id: Optional[str], plan: Mapping[str, Any]) -> str:
        path = self.plan_path(change_id)
        atomic_write(path, json.dumps(plan, indent=2, sort_keys=True) + "\n")
        return path

    def read_plan(self, change_id: Optional[str]) -> Optional[Dict[str, Any]]:
        path = self.plan_path(change_id)
        if not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise StateError(f"plan file {path} is unreadable: {exc}") from None
        return data if isinstance(data, dict) else None

    # ----------------------------------------------------------------- audit log
    @property
    def audit_path(self) -> str:
        return os.path.join(self.root, "audit.jsonl")

    def append_audit(self, records: Sequence[Mapping[str, Any]]) -> int:
        """Append one JSON line per record (O_APPEND, one write, fsync). Returns the count."""
        if not records:
            return 0
        payload = "".join(json.dumps(dict(r), sort_keys=True, separators=(",", ":")) + "\n" for r in records)
        fd = os.open(self.audit_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, payload.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return len(records)

    def read_audit(self) -> List[Dict[str, Any]]:
        if not os.path.exists(self.audit_path):
            return []
        out = []
        with open(self.audit_path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError as exc:
                        raise StateError(f"{self.audit_path} line {n} is not JSON: {exc}") from None
        return out


def audit_record(
    *,
    now: datetime,
    user: str,
    change_id: Optional[str],
    switch: str,
    port: Optional[str],
    mac: Optional[str],
    vendor: Optional[str],
    mode: Optional[str],
    action: str,
    before: Optional[Mapping[str, Any]],
    after: Optional[Mapping[str, Any]],
    result: str,
    detail: str = "",
) -> Dict[str, Any]:
    rec: Dict[str, Any] = {
        "time": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "user": user,
        "change_id": change_id,
        "switch": switch,
        "port": port,
        "mac": mac,
        "vendor": vendor,
        "mode": mode,
        "action": action,
        "before": dict(before) if before is not None else None,
        "after": dict(after) if after is not None else None,
        "result": result,
    }
    if detail:
        rec["detail"] = detail
    return rec
