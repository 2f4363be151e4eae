# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bound ACL is never empty, and its content is verified, not only its binding.

- the reader of the camguard ACL's entries understands every platform's spelling of them;
- when the allowed NVR addresses change, the ACL is edited in place (by sequence number; on IOS
  by text, the closing deny moved behind the new entries; Junos and Linux replace it inside one
  commit / one nftables transaction): killed after any line, the switch's ACL still exists, is
  not empty and ends with its deny, and the port stays bound to it;
- a run that finds the ACL empty, missing or different repairs it in place and does not count
  its ports as isolated until then; check mode (the audit) reports them as not isolated.

Reproduced first: an ACL deleted between the runs (the kill between ``no ip access-list`` and the
new definition) was not noticed: "nothing to change", the port counted as isolated.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _labcli import CAM, Killed, LabSwitch

from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import (
    RunResult,
    acl_edit,
    acl_problems,
    run_isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import ACL_NAME, PortTarget
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (
    AclContent,
    AclEntry,
    acl_content,
    classify_ace,
    default_reader,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.results import port_results
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore

REPO = Path(__file__).resolve().parents[5]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve")
A = ("10.66.10.20/32",)
B = ("10.66.10.21/32", "10.66.30.0/24")


@pytest.fixture(autouse=True)
def _no_disk_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.fsync", lambda fd: None)


def go(
    lab: LabSwitch,
    state: Path,
    peers: Tuple[str, ...],
    kill: Optional[int] = None,
    check: bool = False,
    mode: str = "acl",
) -> RunResult:
    return run_isolation(
        lab.transport(kill),
        lab.platform,
        "sw1",
        [PortTarget(CAM, lab.port(3), 10, "hikvision")],
        Options(mode=mode, change_id="CHG-1", allowed_peers=peers, now=NOW, check_mode=check),
        StateStore(str(state), "sw1"),
        TEMPLATES,
        user="pytest",
    )


def content(lab: LabSwitch) -> Optional[AclContent]:
    return acl_content(lab.platform, lab.running_config())


def peers_of(c: Optional[AclContent]) -> List[str]:
    assert c is not None
    return sorted(e.value for e in c.entries if e.kind == "peer")


def bound(lab: LabSwitch) -> bool:
    live = default_reader(lab.platform, "sw1")(lab.transport(), False)
    return lab.port(3) in live.acl_ports


# ----------------------------------------------------------------- the reader


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("permit udp any eq bootpc any eq bootps", "dhcp", ""),
        ("10 permit udp any eq 68 any eq 67", "dhcp", ""),
        ("10 permit udp 0.0.0.0 255.255.255.255 0.0.0.0 255.255.255.255 eq 67", "dhcp", ""),  # ProCurve
        ("permit udp any any eq 67", "dhcp", ""),
        ("permit ip any host 10.66.10.20", "peer", "10.66.10.20/32"),
        ("20 permit ip any 10.66.10.20/32", "peer", "10.66.10.20/32"),
        ("20 permit any any 10.66.10.20", "peer", "10.66.10.20/32"),  # AOS-CX host
        ("20 permit any any 10.66.30.0/255.255.255.0", "peer", "10.66.30.0/24"),  # AOS-CX netmask
        ("permit ip any 10.66.30.0 0.0.0.255", "peer", "10.66.30.0/24"),
        ("20 permit ip 0.0.0.0 255.255.255.255 10.66.10.20 0.0.0.0", "peer", "10.66.10.20/32"),  # ProCurve
        ("deny   ip any any", "deny", ""),
        ("1000 deny any any any", "deny", ""),
        ("30 deny ip 0.0.0.0 255.255.255.255 0.0.0.0 255.255.255.255", "deny", ""),
        ("permit ip any any", "other", "permit ip any any"),
        ("permit tcp any any eq 22", "other", "permit tcp any any eq 22"),
        ("deny ip any host 10.0.0.1", "other", "deny ip any host 10.0.0.1"),
        ("remark hello", "other", "remark hello"),
    ],
)
def test_every_spelling_of_an_entry_is_read_as_what_it_does(text: str, kind: str, value: str) -> None:
    e = classify_ace(text)
    assert (e.kind, e.value) == (kind, value)


@pytest.mark.parametrize("plat", PLATFORMS)
def test_the_acl_camguard_defines_reads_back_as_defined(tmp_path: Path, plat: str) -> None:
    lab = LabSwitch.make(plat)
    assert content(lab) == AclContent(False)
    res = go(lab, tmp_path, B)
    assert res.verified, res.msg
    c = content(lab)
    assert c is not None and c.exists
    assert [e.kind for e in c.entries if e.kind != "peer"][-1] == "deny"
    assert peers_of(c) == sorted(B)
    assert not [e for e in c.entries if e.kind == "other"]


# ----------------------------------------------------------------- the in-place edit


def test_the_edit_adds_before_it_removes_and_keeps_the_deny_last() -> None:
    want = AclContent(True, (AclEntry("dhcp", "", 10), AclEntry("peer", "10.0.0.2/32", 20), AclEntry("deny", "", 1000)))
    have = AclContent(True, (AclEntry("dhcp", "", 10), AclEntry("peer", "10.0.0.1/32", 20), AclEntry("deny", "", 1000)))
    edit = acl_edit(have, want)
    assert [(a["kind"], a["seq"]) for a in edit["add"]] == [("peer", 30)]
    assert [(r["kind"], r["seq"]) for r in edit["remove"]] == [("peer", 20)]
    assert not edit["reopen_deny"] or edit["add"]
    # IOS: no sequence numbers; the deny is moved behind the new entry
    ios = AclContent(True, tuple(AclEntry(e.kind, e.value) for e in have.entries))
    edit = acl_edit(ios, AclContent(True, tuple(AclEntry(e.kind, e.value) for e in want.entries)))
    assert edit["reopen_deny"] and [a["kind"] for a in edit["add"]] == ["peer"]
    # nothing there yet: a plain definition, deny last
    edit = acl_edit(AclContent(False), want)
    assert [a["kind"] for a in edit["add"]] == ["dhcp", "peer", "deny"] and edit["remove"] == []
    # an entry camguard did not write, on a switch without sequence numbers: reported, not guessed at
    odd = AclContent(True, (*ios.entries[:2], AclEntry("other", "permit ip any any"), ios.entries[2]))
    edit = acl_edit(odd, AclContent(True, tuple(AclEntry(e.kind, e.value) for e in want.entries)))
    assert edit["foreign"] == ["permit ip any any"]
    assert acl_problems(odd, want) and "did not define" in " ".join(acl_problems(odd, want))


def _steps(plat: str) -> int:
    """How many lines the change of the allowed addresses types on ``plat``."""
    lab = LabSwitch.make(plat)
    with mock.patch("os.fsync"):
        import tempfile

        state = Path(tempfile.mkdtemp(prefix="cg-acl-"))
        assert go(lab, state, A).verified
        t0 = len(lab.sessions)
        res = go(lab, state, B)
        assert res.verified, res.msg
    return sum(len(t.typed) for t in lab.sessions[t0:])


KILLS = [pytest.param(p, k, id=f"{p}-{k}") for p in PLATFORMS for k in range(_steps(p))]


@pytest.mark.parametrize(("plat", "step"), KILLS)
def test_changing_the_addresses_never_leaves_a_bound_acl_empty(tmp_path: Path, plat: str, step: int) -> None:
    lab = LabSwitch.make(plat)
    assert go(lab, tmp_path, A).verified
    with pytest.raises(Killed):
        go(lab, tmp_path, B, kill=step)
    # what the switch runs at the moment of the kill: the ACL is there and not empty, the camera
    # port is still bound to it, and it lets through nothing but DHCP and the old or new
    # addresses (what is behind its first deny-all never matches; after its last entry every
    # platform denies the rest)
    c = content(lab)
    assert c is not None and c.exists and c.entries, f"{plat}: the ACL is gone or empty after {step} line(s)"
    kinds = [e.kind for e in c.entries]
    effective = c.entries[: kinds.index("deny")] if "deny" in kinds else c.entries
    assert effective, f"{plat}: the ACL denies everything, DHCP included, after {step} line(s)"
    assert {(e.kind, e.value) for e in effective} <= {("dhcp", ""), ("arp", "")} | {("peer", p) for p in A + B}, (
        c.entries
    )
    assert not [e for e in c.entries if e.kind == "other"]
    assert bound(lab)
    # the next run, asked for the old addresses again (the case), gets exactly them
    again = go(lab, tmp_path, A)
    assert not again.failed, again.msg
    assert peers_of(content(lab)) == sorted(A) and bound(lab)
    assert again.verified in (True, None)
    final = go(lab, tmp_path, A)
    assert not final.changed, final.msg


@pytest.mark.parametrize("plat", PLATFORMS)
@pytest.mark.parametrize("damage", ["deleted", "emptied", "peer-removed"])
def test_a_damaged_acl_is_reported_by_the_audit_and_repaired_by_the_next_run(
    tmp_path: Path, plat: str, damage: str
) -> None:
    lab = LabSwitch.make(plat)
    assert go(lab, tmp_path, A).verified
    acls: Dict[str, Any] = lab.sw.view["acls"]
    if damage == "deleted":
        acls.pop(ACL_NAME)
    elif damage == "emptied":
        acls[ACL_NAME]["entries"] = []
    else:
        acls[ACL_NAME]["entries"] = [e for e in acls[ACL_NAME]["entries"] if "10.66.10.20" not in str(e)]
    # the audit (check mode) does not count the port as isolated, and says why
    audit = go(lab, tmp_path, A, check=True)
    port = lab.port(3)
    assert port not in audit.plan.unchanged, "a port behind a broken ACL is not isolated"
    change = next(c for c in audit.plan.changes if c.interface == port)
    assert change.action == "isolate" and ACL_NAME in change.reason, change
    assert audit.acl_problems and audit.changed
    results = port_results(audit.to_dict(), "isolated", True, NOW.isoformat())
    assert not [r for r in results if r["interface"] == port and r.get("isolated")]
    # the next run with the same addresses repairs it in place
    res = go(lab, tmp_path, A)
    assert res.verified and not res.failed, res.msg
    assert peers_of(content(lab)) == sorted(A) and bound(lab)
    assert any(r["port"] == port and r["result"] == "applied" for r in res.audit_records)
    assert not go(lab, tmp_path, A).changed


def test_an_entry_camguard_did_not_write_is_reported_not_counted_as_isolated(tmp_path: Path) -> None:
    lab = LabSwitch.make("cisco_ios")
    assert go(lab, tmp_path, A).verified
    acl = lab.sw.view["acls"][ACL_NAME]
    acl["entries"].insert(0, {"seq": 5, "text": "permit ip any any"})  # opens everything
    res = go(lab, tmp_path, A)
    assert res.failed and not res.verified
    assert "did not define" in res.msg and "permit ip any any" in res.msg
    assert res.rolled_back and res.rollback_verified
    results = port_results(res.to_dict(), "isolated", False, NOW.isoformat())
    assert [r["action"] for r in results if r["interface"] == lab.port(3)] == ["failed"]


@pytest.mark.parametrize("plat", PLATFORMS)
def test_a_vlan_mode_run_checks_the_acl_of_the_ports_isolated_by_acl(tmp_path: Path, plat: str) -> None:
    lab = LabSwitch.make(plat)
    assert go(lab, tmp_path, A).verified
    lab.sw.view["acls"][ACL_NAME]["entries"] = []
    # a run in another mode, without allowed peers, repairs the ACL with the addresses it was made with
    res = go(lab, tmp_path, (), mode="vlan", check=True)
    assert res.acl_problems and lab.port(3) in [c.interface for c in res.plan.changes]
    assert res.plan.allowed_peers == A


# ----------------------------------------------------------------- Linux: one nftables chain per port


def _nft_rule(chain: str, *expr: Dict[str, Any]) -> Dict[str, Any]:
    return {"rule": {"family": "bridge", "table": "camguard", "chain": chain, "handle": 9, "expr": list(expr)}}


def _m(proto: str, field: str, right: Any) -> Dict[str, Any]:
    return {"match": {"op": "==", "left": {"payload": {"protocol": proto, "field": field}}, "right": right}}


def _table(ports: List[str], peers: List[Any], drop: bool = True) -> str:
    items: List[Dict[str, Any]] = [{"table": {"family": "bridge", "name": "camguard", "handle": 1}}]
    for p in ports:
        items.append(
            _nft_rule(
                "forward",
                {"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": p}},
                {"jump": {"target": f"cg_{p}"}},
            )
        )
        items.append({"chain": {"family": "bridge", "table": "camguard", "name": f"cg_{p}", "handle": 2}})
        items.append(_nft_rule(f"cg_{p}", _m("ether", "type", "arp"), {"accept": None}))
        items.append(_nft_rule(f"cg_{p}", _m("udp", "sport", 68), _m("udp", "dport", 67), {"accept": None}))
        items.append(_nft_rule(f"cg_{p}", _m("udp", "sport", 67), _m("udp", "dport", 68), {"accept": None}))
        for peer in peers:
            items.append(_nft_rule(f"cg_{p}", _m("ip", "daddr", peer), {"accept": None}))
            items.append(_nft_rule(f"cg_{p}", _m("ip", "saddr", peer), {"accept": None}))
        if drop:
            items.append(_nft_rule(f"cg_{p}", {"drop": None}))
    return json.dumps({"nftables": items})


def _linux_expected(peers: Tuple[str, ...]) -> Optional[AclContent]:
    from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import Plan
    from ansible_collections.camguard.network.plugins.module_utils._isolate.render import base_context, render_template

    plan = Plan("sw1", "acl", "isolated", allowed_peers=peers, acl_define=True)
    ctx = {**base_context(plan, "Q", False), "ports": [], "acl_rendered_in_session": True}
    ctx["acl_ports"] = [{"interface": "cgx0", "access_vlan": None, "enabled": True, "chain": "cg_cgx0"}]
    lines = render_template(TEMPLATES, "linux_bridge", "acl", "isolate", ctx)
    return acl_content("linux_bridge", "\n".join(lines))


def test_linux_port_chains_are_read_from_nft_json_and_compared_with_the_template() -> None:
    from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import Nftables

    want = _linux_expected(B)
    assert want is not None and [e.kind for e in want.entries][-1] == "deny"
    nets = ["10.66.10.21", {"prefix": {"addr": "10.66.30.0", "len": 24}}]
    good = Nftables()._content_json(_table(["swp3", "swp4"], nets))
    assert acl_problems(good, want) == []
    # a port chain without its drop, or with other peers, or one chain unlike the others
    assert "deny" in " ".join(acl_problems(Nftables()._content_json(_table(["swp3"], nets, drop=False)), want))
    assert acl_problems(Nftables()._content_json(_table(["swp3"], ["10.66.10.20"])), want)
    odd = json.loads(_table(["swp3", "swp4"], nets))
    odd["nftables"] = [
        i
        for i in odd["nftables"]
        if not ("rule" in i and i["rule"]["chain"] == "cg_swp4" and "drop" in i["rule"]["expr"][0])
    ]
    assert "differs" in " ".join(acl_problems(Nftables()._content_json(json.dumps(odd)), want))
