# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state store and the audit log of isolation runs (the change records), on the controller.

``StateStore`` keeps, per switch, the prior state of every isolated port (what ``released``
restores), the intent of the run in progress, the plan files of the approval step, the
pre-change running configurations and the per-switch lock; ``append_audit`` / ``read_audit`` are
the append-only audit log of every port change and refusal (``audit_record`` is one record). All
under one state directory::

    <state_dir>/audit.jsonl                          append-only, hash-chained JSON lines (fsync per batch)
    <state_dir>/audit.jsonl.torn-<ts>-<pid>          a torn tail moved aside (see below)
    <state_dir>/.audit.lock                          the audit log's writer lock (fcntl)
    <state_dir>/plans/<change_id>-<switch>.json      the plan of a run, for the approval step
    <state_dir>/<switch>/ports.json                  per-port prior state that release restores
    <state_dir>/<switch>/intent.json                 the run in progress: written before the first
                                                     line is sent, removed once its outcome is recorded
    <state_dir>/<switch>/last-run.json               the last finished run's intent and outcome
    <state_dir>/<switch>/running-config-<ts>.txt     pre-change running configuration
    <state_dir>/<switch>/.lock                       per-switch lock (fcntl): runs never interleave

Files are written atomically (temp file, fsync, rename, directory fsync). Switch names and change
IDs become path parts only after validation.

The audit log is tamper-evident: every record carries ``seq`` (its number in the log), ``prev``
(the ``hash`` of the record before it) and ``hash`` (SHA-256 of the record's canonical JSON
without ``hash``). The first chained record anchors the log: it carries ``log_id`` and
``anchor_lines`` (how many unchained lines an older version wrote before it), and its ``prev`` is
``anchor_hash(log_id, <those lines>)``. ``verify_audit_log`` walks the chain and names the first
line where it breaks; ``audit_head`` is the last record's ``seq`` and ``hash``, to be kept
elsewhere (each run returns it) so that a truncated or rewritten log can be told too.

Appending holds ``.audit.lock`` and first checks the tail: a last line that is not valid JSON
(a writer killed in the middle of a write) is moved to ``audit.jsonl.torn-<ts>-<pid>`` and cut off
the log, and a record ``action: audit-log``, ``result: torn-tail-moved-aside`` naming that file
and its SHA-256 is chained in before the new records: nothing is ever appended after a torn line.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

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
        # what appending did to the audit log itself (a torn tail moved aside), for the run's result
        self.audit_notes: List[str] = []

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

    # ----------------------------------------------------------------- the run in progress
    @property
    def intent_path(self) -> str:
        return os.path.join(self.switch_dir, "intent.json")

    def write_intent(self, intent: Mapping[str, Any]) -> str:
        """Record the run in progress durably (fsync of the file and the directory) before the
        first line is sent; ``update_intent`` moves it on, ``finish_intent`` closes it."""
        atomic_write(self.intent_path, json.dumps(intent, indent=2, sort_keys=True) + "\n")
        return self.intent_path

    def read_intent(self) -> Optional[Dict[str, Any]]:
        """The intent of a run that never recorded its outcome (None: there is none)."""
        path = self.intent_path
        if not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise StateError(f"the intent of an unfinished run, {path}, is unreadable: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
            raise StateError(f"the intent of an unfinished run, {path}, is corrupt: expected an object with 'plan'")
        return data

    def finish_intent(self, intent: Mapping[str, Any], outcome: Mapping[str, Any]) -> None:
        """The run's outcome is recorded (saved state, audit): keep intent and outcome as
        ``last-run.json`` and remove ``intent.json`` (fsync of the directory)."""
        done = {**dict(intent), "outcome": dict(outcome)}
        atomic_write(os.path.join(self.switch_dir, "last-run.json"), json.dumps(done, indent=2, sort_keys=True) + "\n")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.intent_path)
        _fsync_dir(self.switch_dir)

    # ----------------------------------------------------------------- audit log
    @property
    def audit_path(self) -> str:
        return os.path.join(self.root, "audit.jsonl")

    @contextlib.contextmanager
    def _audit_lock(self) -> Iterator[None]:
        fd = os.open(os.path.join(self.root, ".audit.lock"), os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def append_audit(self, records: Sequence[Mapping[str, Any]]) -> int:
        """Chain and append one JSON line per record (one ``O_APPEND`` write, fsync) under the
        audit lock, after moving a torn tail aside. Returns the count of ``records``; what was
        done to the log itself is in ``audit_notes``."""
        if not records:
            return 0
        with self._audit_lock():
            fd = os.open(self.audit_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                prev = self._audit_tail(fd, records)
                chained = []
                for r in [*prev.pop("pending"), *records]:
                    rec = chain_record(r, prev)
                    chained.append(rec)
                    prev = {"seq": rec["seq"], "hash": rec["hash"]}
                payload = "".join(_line(r) for r in chained)
                os.write(fd, payload.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        return len(records)

    def _audit_tail(self, fd: int, records: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
        """What the next record chains to: ``{"seq", "hash"}`` of the last record, or the anchor
        of a new chain (``log_id``, ``anchor_lines``, ``prev``); ``pending`` holds the records to
        chain in first (a torn tail moved aside). Cuts a torn tail off the log."""
        size = os.fstat(fd).st_size
        pending: List[Dict[str, Any]] = []
        start, last = _last_line(fd, size)
        while last and not last.strip() and last.endswith(b"\n") and start > 0:
            start, last = _last_line(fd, start)  # blank lines are not records, nor torn
        if last and not last.endswith(b"\n"):
            rec = _json_object(last)
            if rec is not None and (rec.get("hash") is None or rec.get("hash") == record_hash(rec)):
                # a complete record whose newline was lost: keep it, end its line
                os.write(fd, b"\n")
                last += b"\n"
                size += 1
            else:
                pending.append(self._move_aside(fd, start, last, records))
                size = start
                start, last = _last_line(fd, size)
        elif last and _json_object(last) is None:
            pending.append(self._move_aside(fd, start, last, records))
            size = start
            start, last = _last_line(fd, size)
        rec = _json_object(last) if last else None
        if rec is not None and isinstance(rec.get("seq"), int) and isinstance(rec.get("hash"), str):
            return {"seq": rec["seq"], "hash": rec["hash"], "pending": pending}
        # no chained record at the end: a new log, or lines an older version wrote
        prefix = _read_prefix(fd, size)
        log_id = uuid.uuid4().hex
        lines = prefix.count(b"\n")
        return {
            "seq": -1,
            "hash": anchor_hash(log_id, prefix),
            "log_id": log_id,
            "anchor_lines": lines,
            "pending": pending,
        }

    def _move_aside(self, fd: int, start: int, torn: bytes, records: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
        """Save the torn tail to a file of its own, cut it off the log, and return the record
        that says so."""
        ts = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{os.path.basename(self.audit_path)}.torn-{ts}-{os.getpid()}"
        path = os.path.join(self.root, name)
        out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        try:
            os.write(out, torn)
            os.fsync(out)
        finally:
            os.close(out)
        os.ftruncate(fd, start)
        os.fsync(fd)
        _fsync_dir(self.root)
        digest = hashlib.sha256(torn).hexdigest()
        note = f"{self.audit_path}: its last line was torn ({len(torn)} bytes, not JSON); moved aside to {path}"
        self.audit_notes.append(note)
        first = records[0] if records else {}
        return {
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "user": first.get("user", "unknown"),
            "change_id": first.get("change_id"),
            "switch": self.switch,
            "port": None,
            "mac": None,
            "vendor": None,
            "mode": None,
            "action": "audit-log",
            "before": None,
            "after": None,
            "result": "torn-tail-moved-aside",
            "detail": note,
            "torn_file": name,
            "torn_bytes": len(torn),
            "torn_sha256": digest,
        }

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

    def audit_head(self) -> Optional[Dict[str, Any]]:
        """``{"seq", "hash"}`` of the log's last chained record (None: no chained record yet)."""
        return audit_head(self.audit_path)

    def verify_audit(self, expected_head: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        return verify_audit_log(self.audit_path, expected_head)


# --------------------------------------------------------------------------- the audit chain


def _fsync_dir(path: str) -> None:
    with contextlib.suppress(OSError):
        dfd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _canonical(rec: Mapping[str, Any]) -> str:
    return json.dumps(dict(rec), sort_keys=True, separators=(",", ":"))


def _line(rec: Mapping[str, Any]) -> str:
    return _canonical(rec) + "\n"


def record_hash(rec: Mapping[str, Any]) -> str:
    """SHA-256 of a record's canonical JSON (sorted keys, no spaces) without its ``hash``."""
    return hashlib.sha256(_canonical({k: v for k, v in rec.items() if k != "hash"}).encode("utf-8")).hexdigest()


def anchor_hash(log_id: str, prefix: bytes) -> str:
    """The ``prev`` of a chain's first record: SHA-256 over ``log_id`` and the unchained lines before it."""
    return hashlib.sha256(b"camguard-audit-anchor\n" + log_id.encode("ascii") + b"\n" + prefix).hexdigest()


def chain_record(rec: Mapping[str, Any], prev: Mapping[str, Any]) -> Dict[str, Any]:
    """``rec`` chained after ``prev`` (``{"seq", "hash"}``, or an anchor with ``log_id``):
    with ``seq``, ``prev`` and ``hash`` (any chain fields it had are replaced)."""
    out = {k: v for k, v in rec.items() if k not in ("seq", "prev", "hash", "log_id", "anchor_lines")}
    out["seq"] = int(prev["seq"]) + 1
    out["prev"] = prev["hash"]
    if "log_id" in prev:
        out["log_id"] = prev["log_id"]
        out["anchor_lines"] = prev["anchor_lines"]
    out["hash"] = record_hash(out)
    return out


def _json_object(line: bytes) -> Optional[Dict[str, Any]]:
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _last_line(fd: int, size: int, block: int = 65536) -> Tuple[int, bytes]:
    """(offset, bytes) of the last line in the first ``size`` bytes of ``fd``, with its newline if
    it has one; skips nothing (an empty last line is ``b"\n"``). ``(0, b"")`` for an empty file."""
    if size <= 0:
        return 0, b""
    end = size
    tail = os.pread(fd, 1, end - 1)
    search_end = end - 1 if tail == b"\n" else end  # the line's own newline is not its start
    pos = search_end
    while pos > 0:
        lo = max(0, pos - block)
        chunk = os.pread(fd, pos - lo, lo)
        i = chunk.rfind(b"\n")
        if i >= 0:
            start = lo + i + 1
            return start, os.pread(fd, end - start, start)
        pos = lo
    return 0, os.pread(fd, end, 0)


def _read_prefix(fd: int, size: int) -> bytes:
    out = []
    pos = 0
    while pos < size:
        chunk = os.pread(fd, min(1 << 20, size - pos), pos)
        if not chunk:
            break
        out.append(chunk)
        pos += len(chunk)
    return b"".join(out)


def audit_head(path: str) -> Optional[Dict[str, Any]]:
    """``{"seq", "hash"}`` of the last chained record of the log at ``path`` (None: none)."""
    if not os.path.exists(path):
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        while size > 0:
            start, last = _last_line(fd, size)
            rec = _json_object(last)
            if rec is not None and isinstance(rec.get("seq"), int) and isinstance(rec.get("hash"), str):
                return {"seq": rec["seq"], "hash": rec["hash"]}
            if rec is not None:
                return None  # the log ends in an unchained record
            size = start  # a torn tail: the head is the record before it
        return None
    finally:
        os.close(fd)


def verify_audit_log(path: str, expected_head: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Walk the audit log's hash chain. Returns ``ok``, ``records`` (lines that are records),
    ``chained``, ``unchained`` (lines an older version wrote before the chain), ``head``
    (``{"seq", "hash"}``), ``breaks`` (``{"line", "reason"}``, in log order: where the chain
    breaks and why), ``torn_tails`` (torn tails moved aside, with whether their file is intact)
    and ``path``. ``expected_head``: a head recorded elsewhere earlier; the log must still hold
    that record unchanged (otherwise it was truncated or rewritten since)."""
    report: Dict[str, Any] = {
        "path": path,
        "ok": True,
        "records": 0,
        "chained": 0,
        "unchained": 0,
        "head": None,
        "breaks": [],
        "torn_tails": [],
    }
    breaks: List[Dict[str, Any]] = report["breaks"]
    if not os.path.exists(path):
        if expected_head:
            breaks.append(
                {
                    "line": 0,
                    "reason": f"the log does not exist, but a head (seq {expected_head.get('seq')}) was recorded",
                }
            )
        report["ok"] = not breaks
        return report
    with open(path, "rb") as fh:
        data = fh.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        breaks.append(
            {
                "line": len(lines),
                "reason": "the last line has no newline: a torn write (the next append moves it aside)",
            }
        )
    prev: Optional[Dict[str, Any]] = None
    offset = 0
    seen_expected = False
    for n, raw in enumerate(lines, 1):
        line_start = offset
        offset += len(raw) + 1
        if not raw.strip():
            continue
        rec = _json_object(raw)
        if rec is None:
            breaks.append({"line": n, "reason": "not a JSON object: torn or edited"})
            prev = None
            continue
        report["records"] += 1
        if not isinstance(rec.get("seq"), int) or not isinstance(rec.get("hash"), str):
            if prev is None and report["chained"] == 0:
                report["unchained"] += 1
            else:
                breaks.append(
                    {
                        "line": n,
                        "reason": "a record without seq/prev/hash inside the chain: inserted or written by something else",
                    }
                )
            continue
        report["chained"] += 1
        if rec["hash"] != record_hash(rec):
            breaks.append(
                {
                    "line": n,
                    "reason": f"record seq {rec['seq']}: its hash does not match its content: the record was changed",
                }
            )
        if "log_id" in rec:
            if not isinstance(rec["log_id"], str) or not rec["log_id"].isalnum():
                breaks.append({"line": n, "reason": "anchor record with an invalid log_id"})
            else:
                want = anchor_hash(rec["log_id"], data[:line_start])
                if rec.get("prev") != want or rec.get("anchor_lines") != data[:line_start].count(b"\n"):
                    breaks.append(
                        {
                            "line": n,
                            "reason": f"anchor record seq {rec['seq']}: the lines before it changed (or records were removed before it)",
                        }
                    )
                if rec["seq"] != 0:
                    breaks.append({"line": n, "reason": f"anchor record has seq {rec['seq']}, expected 0"})
        elif prev is None:
            breaks.append(
                {
                    "line": n,
                    "reason": f"record seq {rec['seq']} chains to a record that is not there: the records before it were removed or changed",
                }
            )
        else:
            if rec.get("prev") != prev["hash"]:
                breaks.append(
                    {
                        "line": n,
                        "reason": (
                            f"record seq {rec['seq']}: prev does not match the hash of the record before it "
                            f"(seq {prev['seq']}): a record was removed, inserted or changed"
                        ),
                    }
                )
            if rec["seq"] != prev["seq"] + 1:
                breaks.append(
                    {"line": n, "reason": f"sequence jumps from {prev['seq']} to {rec['seq']}: records were removed"}
                )
        if rec.get("action") == "audit-log" and rec.get("result") == "torn-tail-moved-aside":
            report["torn_tails"].append(_torn_file_state(os.path.dirname(path), rec, n))
        if expected_head and rec["seq"] == expected_head.get("seq"):
            seen_expected = True
            if rec["hash"] != expected_head.get("hash"):
                breaks.append(
                    {
                        "line": n,
                        "reason": f"record seq {rec['seq']} differs from the head recorded earlier: the log was rewritten",
                    }
                )
        prev = {"seq": rec["seq"], "hash": rec["hash"]}
    if prev is not None:
        report["head"] = prev
    if expected_head and not seen_expected:
        breaks.append(
            {
                "line": len(lines),
                "reason": f"the log has no record seq {expected_head.get('seq')}, recorded earlier as its head: it was truncated or replaced",
            }
        )
    breaks.sort(key=lambda b: int(b["line"]))
    report["ok"] = not breaks
    return report


def _torn_file_state(root: str, rec: Mapping[str, Any], line: int) -> Dict[str, Any]:
    name = str(rec.get("torn_file") or "")
    out: Dict[str, Any] = {"line": line, "file": name, "intact": False}
    if not re.fullmatch(r"audit\.jsonl\.torn-[0-9TZ]+-\d+", name):
        return out
    try:
        with open(os.path.join(root, name), "rb") as fh:
            out["intact"] = hashlib.sha256(fh.read()).hexdigest() == rec.get("torn_sha256")
    except OSError:
        pass
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
