from __future__ import annotations

from ansible_collections.camguard.network.plugins.module_utils._isolate.results import port_results
from ansible_collections.camguard.network.plugins.module_utils._report.model import parse_result

RUN = {
    "switch": "sw2",
    "applied": True,
    "verified": True,
    "rolled_back": False,
    "failed": False,
    "msg": "",
    "plan": {
        "switch": "sw2",
        "mode": "vlan",
        "change_id": "CHG1",
        "changes": [{"interface": "swp3", "action": "isolate", "mode": "vlan", "macs": ["bc:ad:28:00:00:01"]}],
        "unchanged": ["swp4"],
    },
    "refused": [
        {"code": "trunk", "reason": "up1 is a trunk", "interface": "up1", "mac": "bc:ad:28:00:00:02"},
        {"code": "change_window", "reason": "closed", "interface": None, "mac": None},
    ],
}


def test_applied_run() -> None:
    rs = {r["interface"]: r for r in port_results(RUN, "isolated", False, "t")}
    assert rs["swp3"]["action"] == "isolated" and rs["swp3"]["isolated"] and rs["swp3"]["mac"] == "bc:ad:28:00:00:01"
    assert rs["swp4"]["action"] == "unchanged" and rs["swp4"]["isolated"]
    assert rs["up1"]["action"] == "refused" and rs["up1"]["reason"] == "trunk: up1 is a trunk"
    assert set(rs) == {"swp3", "swp4", "up1"}  # switch-wide refusals are not per-port results
    assert all(r["change_id"] == "CHG1" and r["switch"] == "sw2" for r in rs.values())


def test_check_mode_and_failure() -> None:
    assert port_results(dict(RUN, applied=False), "isolated", True, "t")[0]["action"] == "planned"
    failed = dict(RUN, failed=True, rolled_back=True, verified=False, msg="sw2: commit failed")
    r = port_results(failed, "isolated", False, "t")[0]
    assert r["action"] == "failed" and r["reason"] == "sw2: commit failed" and not r["isolated"]


def test_release() -> None:
    run = dict(
        RUN, plan=dict(RUN["plan"], changes=[{"interface": "swp3", "action": "release", "mode": "vlan", "macs": []}])
    )
    r = port_results(run, "released", False, "t")
    assert r[0]["action"] == "released" and r[0]["mac"] is None
    assert next(x for x in r if x["interface"] == "swp4")["isolated"] is False


def test_every_result_is_accepted_by_the_report() -> None:
    runs = [
        port_results(RUN, "isolated", False, "t"),
        port_results(dict(RUN, applied=False), "isolated", True, "t"),
        port_results(dict(RUN, failed=True, rolled_back=True), "isolated", False, "t"),
    ]
    for i, r in enumerate(x for run in runs for x in run):
        parse_result(r, f"results[{i}]")
