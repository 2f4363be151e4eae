# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit log: a torn tail is moved aside and never appended after; every record is chained to
the one before it, and ``verify_audit_log`` names the line where the chain breaks."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

import pytest

from ansible_collections.camguard.network.plugins.module_utils._isolate.state import (
    StateStore,
    audit_record,
    record_hash,
    verify_audit_log,
)

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)


def rec(port: str = "Gi1/0/3", action: str = "isolate", **kw: Any) -> Dict[str, Any]:
    r = audit_record(
        now=NOW,
        user="u",
        change_id="CHG-1",
        switch="sw1",
        port=port,
        mac="bc:ad:28:00:00:01",
        vendor="hikvision",
        mode="vlan",
        action=action,
        before={"access_vlan": 10, "enabled": True, "acl": False},
        after={"access_vlan": 999, "enabled": True, "acl": False},
        result="applied",
    )
    r.update(kw)
    return r


def lines(store: StateStore) -> List[bytes]:
    return Path(store.audit_path).read_bytes().splitlines()


def test_torn_tail_is_moved_aside_and_never_appended_after(tmp_path: Path) -> None:
    """Reproduced first: before the fix the next record was appended to the torn line, and the
    log could not be read any more (line 2 not JSON)."""
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1"), rec("p2")])
    data = Path(s.audit_path).read_bytes()
    torn = data[: len(data) - 40]  # a writer killed in the middle of its write
    Path(s.audit_path).write_bytes(torn)
    torn_bytes = torn[torn.rindex(b"\n") + 1 :]

    assert s.append_audit([rec("p3", action="release")]) == 1
    records = s.read_audit()  # every line is JSON again
    assert [(r["port"], r["action"], r["result"]) for r in records] == [
        ("p1", "isolate", "applied"),
        (None, "audit-log", "torn-tail-moved-aside"),
        ("p3", "release", "applied"),
    ]
    note = records[1]
    aside = tmp_path / note["torn_file"]
    assert aside.read_bytes() == torn_bytes, "the torn bytes are kept, exactly"
    assert note["torn_sha256"] == hashlib.sha256(torn_bytes).hexdigest() and note["torn_bytes"] == len(torn_bytes)
    assert any(note["torn_file"] in n for n in s.audit_notes)
    report = verify_audit_log(s.audit_path)
    assert report["ok"], report["breaks"]
    assert report["torn_tails"] == [{"line": 2, "file": note["torn_file"], "intact": True}]


def test_a_complete_last_record_without_its_newline_is_kept(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1")])
    Path(s.audit_path).write_bytes(Path(s.audit_path).read_bytes().rstrip(b"\n"))
    s.append_audit([rec("p2")])
    assert [r["port"] for r in s.read_audit()] == ["p1", "p2"]
    assert verify_audit_log(s.audit_path)["ok"]
    assert not list(tmp_path.glob("audit.jsonl.torn-*"))


def test_a_garbage_last_line_is_moved_aside_too(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1")])
    with open(s.audit_path, "ab") as fh:
        fh.write(b'{"half": \n')
    s.append_audit([rec("p2")])
    assert [r["result"] for r in s.read_audit()] == ["applied", "torn-tail-moved-aside", "applied"]
    assert verify_audit_log(s.audit_path)["ok"]


def test_every_record_carries_the_hash_of_the_one_before(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1"), rec("p2")])
    s.append_audit([rec("p3")])
    records = s.read_audit()
    assert [r["seq"] for r in records] == [0, 1, 2]
    assert records[0]["log_id"] and records[0]["anchor_lines"] == 0, "the first record anchors the log"
    for a, b in zip(records, records[1:]):
        assert b["prev"] == a["hash"]
    assert all(r["hash"] == record_hash(r) for r in records)
    report = verify_audit_log(s.audit_path)
    assert report["ok"] and report["chained"] == 3 and report["head"] == {"seq": 2, "hash": records[2]["hash"]}
    assert s.audit_head() == report["head"]


@pytest.mark.parametrize(
    ("tamper", "line", "words"),
    [
        # a changed value (the record's own hash no longer matches)
        ("change", 2, "its hash does not match"),
        # a changed value with the hash recomputed: the next record's prev no longer matches
        ("rehash", 4, "prev does not match"),
        # a record removed from the middle
        ("remove", 2, "prev does not match"),
        # the first record (the anchor) removed
        ("remove-first", 1, "chains to a record that is not there"),
        # a record without chain fields slipped in
        ("insert", 3, "without seq/prev/hash"),
    ],
)
def test_verify_names_the_line_where_the_chain_breaks(tmp_path: Path, tamper: str, line: int, words: str) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec(f"p{i}") for i in range(1, 5)])
    assert verify_audit_log(s.audit_path)["ok"]
    raw = lines(s)
    if tamper == "change":
        obj = json.loads(raw[1])
        obj["result"] = "refused:waived"
        raw[1] = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    elif tamper == "rehash":
        obj = json.loads(raw[2])
        obj["port"] = "p-other"
        obj["hash"] = record_hash(obj)
        raw[2] = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    elif tamper == "remove":
        del raw[1]
    elif tamper == "remove-first":
        del raw[0]
    elif tamper == "insert":
        raw.insert(2, json.dumps(rec("p-forged")).encode())
    Path(s.audit_path).write_bytes(b"\n".join(raw) + b"\n")
    report = verify_audit_log(s.audit_path)
    assert not report["ok"]
    first = report["breaks"][0]
    assert first["line"] == line and words in first["reason"], report["breaks"]


def test_a_recorded_head_tells_truncation_and_rewrites(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1"), rec("p2"), rec("p3")])
    head = s.audit_head()
    assert head is not None and verify_audit_log(s.audit_path, head)["ok"]
    # the last record removed: the chain itself is intact, the head recorded elsewhere is not
    raw = lines(s)
    Path(s.audit_path).write_bytes(b"\n".join(raw[:-1]) + b"\n")
    assert verify_audit_log(s.audit_path)["ok"]
    report = verify_audit_log(s.audit_path, head)
    assert not report["ok"] and "truncated" in report["breaks"][0]["reason"]
    # a whole new log in its place
    Path(s.audit_path).unlink()
    s.append_audit([rec("x1"), rec("x2"), rec("x3")])
    report = verify_audit_log(s.audit_path, head)
    assert not report["ok"] and "rewritten" in report["breaks"][0]["reason"]


def test_a_log_an_older_version_wrote_is_anchored_and_covered(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    legacy = b"".join(json.dumps(rec(f"old{i}"), sort_keys=True).encode() + b"\n" for i in range(3))
    Path(s.audit_path).write_bytes(legacy)
    s.append_audit([rec("new1")])
    records = s.read_audit()
    assert [r["port"] for r in records] == ["old0", "old1", "old2", "new1"]
    assert records[3]["seq"] == 0 and records[3]["anchor_lines"] == 3
    report = verify_audit_log(s.audit_path)
    assert report["ok"] and report["unchained"] == 3 and report["chained"] == 1
    # an old line changed afterwards breaks the anchor that covers it
    Path(s.audit_path).write_bytes(Path(s.audit_path).read_bytes().replace(b'"old1"', b'"OLD1"'))
    report = verify_audit_log(s.audit_path)
    assert not report["ok"] and report["breaks"][0]["line"] == 4 and "anchor" in report["breaks"][0]["reason"]


def test_a_torn_tail_not_yet_moved_is_reported(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1"), rec("p2")])
    Path(s.audit_path).write_bytes(Path(s.audit_path).read_bytes()[:-30])
    report = verify_audit_log(s.audit_path)
    assert not report["ok"]
    assert [b["line"] for b in report["breaks"]] == [2, 2]
    assert "torn" in report["breaks"][0]["reason"] or "torn" in report["breaks"][1]["reason"]
    # the head is the last whole record, before the torn tail
    assert s.audit_head() == {"seq": 0, "hash": json.loads(lines(s)[0])["hash"]}


def test_a_moved_aside_file_that_changed_is_reported(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1"), rec("p2")])
    Path(s.audit_path).write_bytes(Path(s.audit_path).read_bytes()[:-30])
    s.append_audit([rec("p3")])
    torn = next(tmp_path.glob("audit.jsonl.torn-*"))
    torn.write_bytes(b"something else")
    report = verify_audit_log(s.audit_path)
    assert report["torn_tails"][0]["intact"] is False


def _append_many(state_dir: str, switch: str, count: int) -> None:
    store = StateStore(state_dir, switch)
    for i in range(count):
        store.append_audit([rec(f"p{i}", switch=switch), rec(f"p{i}", action="verify", switch=switch)])


def test_concurrent_writers_keep_one_unbroken_chain(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(tmp_path), f"sw{i}", 60)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    report = verify_audit_log(str(tmp_path / "audit.jsonl"))
    assert report["ok"], report["breaks"][:3]
    assert report["chained"] == 4 * 60 * 2 and report["head"]["seq"] == 4 * 60 * 2 - 1


# ----------------------------------------------------------------- from a playbook: the lookup


def _ansible_query(state_dir: Path, extra: str = "") -> List[Dict[str, Any]]:
    repo = Path(__file__).resolve().parents[5]
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(repo / ".build" / "collections"),
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_NOCOLOR="true",
    )
    expr = f"{{{{ query('camguard.network.audit_chain', '{state_dir}'{extra}) | to_json }}}}"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible"), "localhost", "-m", "debug", "-a", f"msg={expr}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout[proc.stdout.index("{") :]
    msg = json.loads(out)["msg"]
    return json.loads(msg) if isinstance(msg, str) else msg


def test_a_playbook_verifies_the_chain_with_the_audit_chain_lookup(tmp_path: Path) -> None:
    s = StateStore(str(tmp_path), "sw1")
    s.append_audit([rec("p1"), rec("p2"), rec("p3")])
    head = s.audit_head()
    [good] = _ansible_query(tmp_path)
    assert good["ok"] and good["chained"] == 3 and good["head"] == head
    raw = lines(s)
    obj = json.loads(raw[1])
    obj["result"] = "refused:waived"
    raw[1] = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    Path(s.audit_path).write_bytes(b"\n".join(raw) + b"\n")
    [bad] = _ansible_query(tmp_path, f", head={json.dumps(head)}")
    assert not bad["ok"]
    assert bad["breaks"][0]["line"] == 2 and "changed" in bad["breaks"][0]["reason"]
