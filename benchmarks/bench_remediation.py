# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Remediation: 1 port vs 20 ports on one switch (one session), and 1 vs 100 switches at forks 50.

    .venv/bin/python benchmarks/bench_remediation.py [--quick] [--ports 20] [--switches 100] [--forks 50]
                                                     [--repeat 3] [--no-playbooks] [--batch-lines N]

Against cisco_ios FakeNOS switches on 127.0.0.1 whose first access ports each hold one
Hikvision or Dahua camera (views computed by the lab; every run gets switches nobody changed):

* one switch, one session: ``_isolate.apply.run_isolation`` through the real transport, exactly what
  ``camguard.network.port_isolation`` runs (connect, read ports/MAC/LLDP and the running config,
  plan, render, apply in one configuration session, read back and verify, ``write memory``),
  with 1 port and with 20 ports, and the configuration lines and bytes each session typed.
* many switches: ``ansible-playbook`` running the ``port_isolation`` module (1 port per switch,
  ``connection: local``) on 1 switch and on 100 switches at ``forks=50`` (``--no-playbooks``
  skips this part).

``--batch-lines N`` sets the module's ``config_batch_lines`` for the one-switch runs (``1``: one
line at a time, each echo and prompt awaited before the next line is typed).

A benchmark, not a test: it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C

TEMPLATES = C.REPO / "roles" / "camera_isolation" / "templates"

PLAYBOOK = """\
---
- name: Isolate the restricted devices of each switch (port_isolation, one session per switch)
  hosts: switches
  gather_facts: false
  connection: local
  tasks:
    - name: Port isolation
      camguard.network.port_isolation:
        switch: "{{ inventory_hostname }}"
        host: "{{ ansible_host }}"
        port: "{{ ansible_port }}"
        platform: cisco_ios
        username: camguard
        password_env: CAMGUARD_BENCH_PASSWORD
        host_key_checking: false
        ports: "{{ bench_findings }}"
        mode: vlan
        change_id: BENCH-0001
        max_ports: 50
        state_dir: "{{ bench_state_dir }}"
        templates_dir: "{{ bench_templates }}"
      register: result

    - name: Check that every port was changed and verified
      ansible.builtin.assert:
        that:
          - result.changed
          - result.verified
          - result.plan.changes | length == bench_findings | length
        quiet: true
"""


def findings_of(fleet: C.Fleet, name: str, count: int) -> List[Dict[str, Any]]:
    """The first ``count`` restricted devices on the access ports of ``name`` (from its view)."""
    from ansible_collections.camguard.network.plugins.module_utils._classify import build_classifier

    classifier = _classifier_cache.get("c")
    if classifier is None:
        classifier = _classifier_cache["c"] = build_classifier(use_registry=False)
    view = json.loads((fleet.views_dir / f"{name}.json").read_text())
    out = []
    for row in view["mac_table"]:
        if not row["interface"].startswith("GigabitEthernet1/0/"):
            continue
        v = classifier.classify(row["mac"], name, row["interface"])
        if not v.restricted:
            continue
        out.append(
            {
                "mac": row["mac"],
                "interface": row["interface"],
                "vlan": row["vlan"],
                "vendor_key": v.vendor_key,
                "status": v.status,
                "location_confidence": "edge",
            }
        )
    out.sort(key=lambda f: int(f["interface"].rsplit("/", 1)[1]))
    if len(out) < count:
        raise RuntimeError(f"{name} has {len(out)} restricted edge devices, {count} needed")
    return out[:count]


_classifier_cache: Dict[str, Any] = {}


def one_session(
    fleet: C.Fleet, name: str, findings: List[Dict[str, Any]], state_dir: Path, batch_lines: Optional[int] = None
) -> Dict[str, Any]:
    from ansible_collections.camguard.network.plugins.module_utils._collect import open_transport, target_from_params
    from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
    from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options
    from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import targets_from_dicts
    from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore

    target = target_from_params(
        name, "127.0.0.1", "cisco_ios", fleet.ports[name], C.LAB_USER, fleet.password, host_key_checking=False
    )
    targets = targets_from_dicts(findings)
    opts = Options(mode="vlan", change_id="BENCH-0001", max_ports=50)
    t0, c0 = time.perf_counter(), time.process_time()
    transport = open_transport(target)
    t_conn = time.perf_counter() - t0
    extra: Dict[str, Any] = {} if batch_lines is None else {"config_batch_lines": batch_lines}
    try:
        res = run_isolation(
            transport, "cisco_ios", name, targets, opts, StateStore(str(state_dir), name), str(TEMPLATES), **extra
        )
    finally:
        transport.close()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    if res.failed or not res.verified or len(res.plan.changes) != len(findings):
        raise RuntimeError(f"{name}: isolation did not apply cleanly: {res.msg}")
    typed = sum(len(line) + 1 for line in res.config) + len("configure terminal\nend\nwrite memory\n")
    return {"wall": wall, "cpu": cpu, "connect": t_conn, "lines": len(res.config), "bytes": typed}


def playbook_run(work: Path, fleet: C.Fleet, names: Sequence[str], forks: int, tag: str) -> C.Measure:
    import yaml

    run_dir = work / f"run-{tag}"
    run_dir.mkdir()
    hosts = {
        n: {"ansible_host": "127.0.0.1", "ansible_port": fleet.ports[n], "bench_findings": findings_of(fleet, n, 1)}
        for n in names
    }
    inv = {
        "switches": {
            "hosts": hosts,
            "vars": {
                "bench_state_dir": str(run_dir / "state"),
                "bench_templates": str(TEMPLATES),
                "ansible_python_interpreter": sys.executable,
            },
        }
    }
    (run_dir / "inventory.yml").write_text(yaml.safe_dump(inv))
    (run_dir / "isolate.yml").write_text(PLAYBOOK)
    env = C.child_env(
        {
            C.PASSWORD_ENV: fleet.password,
            "ANSIBLE_HOME": str(run_dir / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(run_dir / "tmp"),
        }
    )
    cmd = [
        str(Path(sys.executable).parent / "ansible-playbook"),
        "-i",
        str(run_dir / "inventory.yml"),
        "-f",
        str(forks),
        str(run_dir / "isolate.yml"),
    ]
    cpu0 = C.proc_cpu(fleet.pid)
    m = C.run_measured(cmd, env=env, exclude=[fleet.pid])
    m.extra["fleet_cpu"] = C.proc_cpu(fleet.pid) - cpu0
    if fleet.password in m.stdout or fleet.password in m.stderr:
        raise RuntimeError("the lab password appeared in ansible-playbook's output")
    if m.rc != 0:
        tail = "\n".join((m.stdout + m.stderr).splitlines()[-30:])
        raise RuntimeError(f"port_isolation playbook failed (rc {m.rc}):\n{tail}")
    return m


def core(  # type: ignore[no-untyped-def]
    ports: int,
    switches: int,
    forks: int,
    repeat: int,
    out=print,
    playbooks: bool = True,
    batch_lines: Optional[int] = None,
) -> Dict[str, Any]:
    # switches: 2 per repeat for the single-session runs, then 1 + `switches` per repeat for the playbooks
    total = 2 * repeat + ((1 + switches) * repeat if playbooks else 0)
    with C.workdir() as work:
        password = C.new_password()
        views = C.write_views(
            work, total, password, macs=max(ports, 1) + 1, mix="{hikvision: 1, dahua: 1}", name="remediation"
        )
        fleet = None
        try:
            fleet = C.start_fleet(views, password)
            names = sorted(fleet.ports)
            out(
                f"fleet: {len(names)} cisco_ios FakeNOS hosts started in {fleet.start_seconds:.1f}s; "
                f"each run uses switches nobody changed before; medians of {repeat} runs"
            )
            single = {1: [], ports: []}  # type: Dict[int, List[Dict[str, Any]]]
            it = iter(names)
            for r in range(repeat):
                for k in (1, ports):
                    name = next(it)
                    single[k].append(
                        one_session(fleet, name, findings_of(fleet, name, k), work / f"state-{r}-{k}", batch_lines)
                    )
            book1: List[C.Measure] = []
            bookn: List[C.Measure] = []
            for r in range(repeat if playbooks else 0):
                book1.append(playbook_run(work, fleet, [next(it)], forks, f"one-{r}"))
                bookn.append(playbook_run(work, fleet, [next(it) for _unused in range(switches)], forks, f"many-{r}"))
        finally:
            C.stop_fleet(fleet)
    rows = []
    for k in (1, ports):
        runs = single[k]
        wall = C.median([x["wall"] for x in runs])
        rows.append(
            [
                f"{k} port{'s' if k > 1 else ''}, one session (run_isolation)",
                wall,
                C.median([x["cpu"] for x in runs]),
                runs[0]["lines"],
                runs[0]["bytes"],
                C.median([x["connect"] for x in runs]),
            ]
        )
    r_raw = C.ratio(rows[1][1], rows[0][1]) or float("nan")
    per_line = (rows[1][1] - rows[0][1]) / max(1, rows[1][3] - rows[0][3])
    out("")
    batching = "module default" if batch_lines is None else str(batch_lines)
    out(
        f"-- remediation on one switch: 1 port vs {ports} ports in one configuration session "
        f"(config_batch_lines: {batching}) --"
    )
    out(
        C.table(
            ["run", "wall s", "CPU s", "config lines", "bytes typed", "of which connect s"],
            rows,
        )
    )
    out(
        f"{ports} ports / 1 port = {r_raw:.2f}x wall (target <= 1.3); "
        f"each extra configuration line costs {per_line * 1000:.0f} ms"
    )
    if not playbooks:
        out("")
        out("-- remediation across switches: skipped (--no-playbooks) --")
        return {"ports_ratio": r_raw, "per_line": per_line, "switches_ratio": None, "rows": rows, "book": []}
    brows = []
    for label, runs in ((f"1 switch, forks {forks}", book1), (f"{switches} switches, forks {forks}", bookn)):
        brows.append(
            [
                label,
                C.median([m.wall for m in runs]),
                C.median([m.cpu for m in runs]),
                C.median([m.peak_rss_mib for m in runs]),
                C.median([m.extra["fleet_cpu"] for m in runs]),
            ]
        )
    rb = C.ratio(brows[1][1], brows[0][1]) or float("nan")
    out("")
    out(f"-- remediation across switches: ansible-playbook + port_isolation (1 port each), forks = {forks} --")
    out(C.table(["run", "wall s", "CPU s", "peak MiB", "switch CPU s"], brows))
    out(f"{switches} switches / 1 switch = {rb:.2f}x wall (target <= 2.5)")
    return {"ports_ratio": r_raw, "per_line": per_line, "switches_ratio": rb, "rows": rows, "book": brows}


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 vs 3 ports, 1 vs 4 switches at forks 4, 1 run")
    ap.add_argument("--ports", type=int, default=20)
    ap.add_argument("--switches", type=int, default=100)
    ap.add_argument("--forks", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--no-playbooks", action="store_true", help="only the one-switch part (1 vs N ports), no ansible-playbook runs"
    )
    ap.add_argument(
        "--batch-lines",
        type=int,
        default=None,
        help="config_batch_lines for the one-switch runs (default: the module's default; 1 = line by line)",
    )
    args = ap.parse_args(argv)
    if args.batch_lines is not None and args.batch_lines < 1:
        ap.error(f"--batch-lines must be at least 1, got {args.batch_lines}")
    ports, switches, forks, repeat = args.ports, args.switches, args.forks, args.repeat
    if args.quick:
        ports, switches, forks, repeat = 3, 4, 4, 1
    print(C.header("remediation: port_isolation on one and many switches"))
    core(ports, switches, forks, repeat, playbooks=not args.no_playbooks, batch_lines=args.batch_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
