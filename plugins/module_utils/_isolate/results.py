# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-port outcome records of one ``port_isolation`` run, in the form ``compliance_report`` reads.

One record per port the run touched or considered: ``isolated`` / ``released`` when the change
was applied and verified, ``failed`` when it was applied and rolled back (or not verified),
``planned`` in check mode or for ``state=planned``, ``refused`` for a guardrail refusal, and
``unchanged`` for a port that already had the requested state.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional


def port_results(run: Mapping[str, Any], state: str, check_mode: bool, time: str) -> List[Dict[str, Any]]:
    plan: Mapping[str, Any] = run.get("plan") or {}
    switch = str(run.get("switch") or plan.get("switch") or "")
    change_id: Optional[str] = plan.get("change_id")
    mode = plan.get("mode")
    out: List[Dict[str, Any]] = []
    applied = bool(run.get("applied"))
    ok = applied and not run.get("failed") and not run.get("rolled_back") and run.get("verified") is not False
    for ch in plan.get("changes", []):
        done = "isolated" if ch.get("action") == "isolate" else "released"
        if check_mode or state == "planned" or not applied:
            action = "failed" if run.get("failed") else "planned"
        else:
            action = done if ok else "failed"
        macs = ch.get("macs") or []
        out.append(
            {
                "switch": switch,
                "interface": ch.get("interface"),
                "mac": macs[0] if macs else None,
                "mode": ch.get("mode") or mode,
                "action": action,
                "state": state,
                "isolated": action == "isolated",
                "reason": ch.get("reason") or (run.get("msg") if action == "failed" else ""),
                "change_id": change_id,
                "time": time,
            }
        )
    for r in run.get("refused", []):
        if not r.get("interface"):
            continue
        out.append(
            {
                "switch": switch,
                "interface": r.get("interface"),
                "mac": r.get("mac"),
                "mode": mode,
                "action": "refused",
                "state": state,
                "reason": f"{r.get('code')}: {r.get('reason')}",
                "change_id": change_id,
                "time": time,
            }
        )
    for iface in plan.get("unchanged", []):
        out.append(
            {
                "switch": switch,
                "interface": iface,
                "mac": None,
                "mode": mode,
                "action": "unchanged",
                "state": state,
                "isolated": state != "released",
                "reason": "already in the requested state",
                "change_id": change_id,
                "time": time,
            }
        )
    return out
