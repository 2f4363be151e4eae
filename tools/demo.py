# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: the main job of camguard.network on the built-in lab, end to end.

1. bring up the lab's `small` topology (two Linux-bridge switches in network namespaces, a
   Hikvision, a Dahua and an Ezviz camera, a Hikvision NVR, a workstation, real traffic);
2. `camguard.network.audit` — must FAIL: restricted cameras are on the network;
3. `camguard.network.discover` — find them and write the report;
4. `camguard.network.isolate` with change ID DEMO-0001: ACL mode on sw1 (the Ezviz camera keeps
   recording to the NVR and reaches nothing else), quarantine VLAN on sw2; the NVR is waived
   (a replacement is on order) and so left alone;
5. `camguard.network.audit` — must PASS;
6. prove it with traffic: the cameras can no longer reach the workstation, the ACL camera
   still reaches the NVR;
7. print a summary table and where the reports are; tear the lab down (also on failure).

Everything it writes goes to `.build/demo/`. Exit status 0 only when every step did what it must.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
LAB = REPO / "lab"
WORK = REPO / ".build" / "demo"
CHANGE_ID = "DEMO-0001"
PY = sys.executable
BIN = Path(sys.executable).parent


def say(msg: str) -> None:
    print(f"\033[1mdemo:\033[0m {msg}", flush=True)


def fail(msg: str) -> int:
    print(f"\033[1;31mdemo: FAILED:\033[0m {msg}", file=sys.stderr, flush=True)
    return 1


def preflight() -> Optional[str]:
    sys.path.insert(0, str(LAB))
    import netns

    problems = netns.missing_prerequisites()
    if problems:
        return "make demo needs: " + "; ".join(problems)
    return None


def run(
    argv: Sequence[str], env: Dict[str, str], check: bool = True, quiet: bool = False
) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(argv), env=env, cwd=WORK, capture_output=True, text=True, timeout=900, check=False)
    if not quiet or (check and proc.returncode != 0):
        tail = "\n".join((proc.stdout + proc.stderr).rstrip().splitlines()[-25:])
        print(tail, flush=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} ... exited {proc.returncode}")
    return proc


def playbook(name: str, inventory: Path, env: Dict[str, str], extra: Sequence[str] = (), check: bool = True) -> int:
    say(f"ansible-playbook camguard.network.{name} {' '.join(extra)}")
    argv = [str(BIN / "ansible-playbook"), "-i", str(inventory), f"camguard.network.{name}", *extra]
    return run(argv, env, check=check, quiet=True).returncode


def ping(ns: str, ip: str) -> bool:
    r = subprocess.run(
        ["ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", ip], capture_output=True, check=False
    )
    return r.returncode == 0


def lab_env(state: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env["CAMGUARD_LAB_STATE"] = str(state)
    env["ANSIBLE_COLLECTIONS_PATH"] = str(REPO / ".build" / "collections")
    env["ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED"] = "true"
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_HOST_KEY_CHECKING"] = "true"
    env["CAMGUARD_REPORT_DIR"] = str(WORK / "reports")
    env["CAMGUARD_STATE_DIR"] = str(WORK / "state")
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    env["CAMGUARD_LAB_USERNAME"] = "camguard"
    env["CAMGUARD_LAB_PASSWORD"] = (state / "secrets" / "password").read_text(encoding="utf-8").strip()
    return env


def write_inventory(state: Path, gt: Dict) -> Path:
    """The lab's inventory config plus the site's choices: a waiver and per-switch modes."""
    inv = WORK / "inventory"
    inv.mkdir(parents=True, exist_ok=True)
    (inv / "host_vars").mkdir(exist_ok=True)
    eps = {e["name"]: e for e in gt["endpoints"]}
    nvr = eps["nvr1"]
    expires = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    (inv / "waivers.yml").write_text(
        "---\n# The NVR stays until its replacement is installed; cameras record to it meanwhile.\n"
        "waivers:\n"
        f'  - mac: "{nvr["mac"]}"\n'
        "    owner: security-office\n"
        "    reason: replacement NVR on order; isolate after cut-over\n"
        "    ticket: DEMO-WAIVER-1\n"
        f'    expires: "{expires}"\n',
        encoding="utf-8",
    )
    config = (state / "inventory" / "lab.mac_table.yml").read_text(encoding="utf-8")
    config += f"waiver_file: {inv / 'waivers.yml'}\n"
    (inv / "demo.mac_table.yml").write_text(config, encoding="utf-8")
    # sw1: ACL mode, so its camera keeps recording to the NVR; sw2: quarantine VLAN (the default)
    (inv / "host_vars" / "sw1.yml").write_text(
        f'---\ncamera_isolation_mode: acl\ncamera_isolation_allowed_peers: ["{nvr["ip"]}"]\n', encoding="utf-8"
    )
    return inv / "demo.mac_table.yml"


def traffic_checks(gt: Dict, prefix: str) -> List[Tuple[str, bool, bool]]:
    """(description, expected reachable, observed reachable)."""
    eps = {e["name"]: e for e in gt["endpoints"]}
    ws, nvr = eps["ws1"]["ip"], eps["nvr1"]["ip"]
    checks = [
        ("cam1 (Hikvision, sw2, VLAN mode) -> workstation", "cam1", ws, False),
        ("cam2 (Dahua, sw2, VLAN mode) -> workstation", "cam2", ws, False),
        ("cam3 (Ezviz, sw1, ACL mode) -> workstation", "cam3", ws, False),
        ("cam3 (Ezviz, sw1, ACL mode) -> NVR", "cam3", nvr, True),
        ("workstation -> NVR", "ws1", nvr, True),
    ]
    return [(d, want, ping(f"{prefix}-{src}", dst)) for d, src, dst, want in checks]


def summary_table(report: Dict) -> str:
    rows = [("vendor", "registry organisation", "MAC", "IP", "switch", "port", "located", "outcome")]
    for d in report.get("devices", []):
        rows.append(
            (
                str(d.get("vendor_key") or ""),
                str(d.get("registry_org") or "")[:34],
                str(d.get("mac", "")),
                str(d.get("ip") or ""),
                str(d.get("switch", "")),
                str(d.get("interface", "")),
                str(d.get("location_confidence") or ""),
                str(d.get("outcome_reason") or d.get("outcome") or ""),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", action="store_true", help="leave the lab up afterwards (make lab-down removes it)")
    args = ap.parse_args(argv)
    problem = preflight()
    if problem:
        return fail(problem)
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    state = WORK / "lab"
    base_env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    say("bringing up the lab (topology small)")
    run([PY, str(LAB / "labctl.py"), "up", str(LAB / "topologies" / "small.yml")], base_env)
    ok = False
    try:
        gt = json.loads((state / "ground_truth.json").read_text(encoding="utf-8"))
        prefix = json.loads((state / "run.json").read_text(encoding="utf-8"))["prefix"]
        env = lab_env(state)
        inventory = write_inventory(state, gt)

        rc = playbook("audit", inventory, env, check=False)
        if rc == 0:
            return fail("the audit passed before isolation, but restricted cameras are on the network")
        before = json.loads((WORK / "reports" / "camguard-report.json").read_text(encoding="utf-8"))["summary"]
        if before.get("open") != 3 or before.get("waived") != 1 or before.get("unreachable_switches"):
            return fail(f"the audit before isolation failed for the wrong reason: {before}")
        say(
            f"audit before isolation failed as it must (exit {rc}): {before['open']} restricted cameras are connected (the NVR is waived)"
        )

        playbook("discover", inventory, env)
        playbook(
            "isolate",
            inventory,
            env,
            ["-e", f"camera_isolation_change_id={CHANGE_ID}", "-e", "camguard_approve=none"],
        )
        rc = playbook("audit", inventory, env, check=False)
        if rc != 0:
            return fail(f"the audit after isolation failed (exit {rc})")
        say("audit after isolation passed")

        say("proving isolation with traffic")
        results = traffic_checks(gt, prefix)
        bad = 0
        for desc, want, got in results:
            mark = "ok " if want == got else "BAD"
            bad += want != got
            print(
                f"  [{mark}] {desc}: {'reachable' if got else 'blocked'} (expected {'reachable' if want else 'blocked'})"
            )
        if bad:
            return fail(f"{bad} traffic check(s) did not match")

        report = json.loads((WORK / "reports" / "camguard-report.json").read_text(encoding="utf-8"))
        print()
        print(summary_table(report))
        print()
        say("reports:")
        for name in (
            "camguard-report.html",
            "camguard-report.csv",
            "camguard-report.json",
            "camguard-report.junit.xml",
        ):
            print(f"  {WORK / 'reports' / name}")
        print(f"  audit log: {WORK / 'state' / 'audit.jsonl'}")
        ok = True
        say("done: every restricted camera is isolated, the NVR is waived, and traffic proves it")
        return 0
    except (RuntimeError, subprocess.TimeoutExpired, OSError, KeyError, ValueError) as e:
        return fail(str(e))
    finally:
        if args.keep and ok:
            say(f"lab left up (state {state}); remove it with: CAMGUARD_LAB_STATE={state} make lab-down")
        else:
            say("tearing the lab down")
            run([PY, str(LAB / "labctl.py"), "down"], base_env, check=False, quiet=True)


if __name__ == "__main__":
    sys.exit(main())
