# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery at fleet scale: the ``mac_table`` inventory plugin against the obvious alternatives.

    .venv/bin/python benchmarks/bench_discovery.py [--quick] [--sizes 50,200,500] [--concurrency 50]
                                                   [--repeat 3] [--ios-repeat N] [--serial-sample 10] [--no-ios-command]

N vendor-CLI switches (cisco_ios FakeNOS hosts on 127.0.0.1, ~50 learned MACs each, views
computed by the lab from a generated scale topology) are discovered

* by the ``camguard.network.mac_table`` inventory plugin (``ansible-inventory --list``, polling
  with ``concurrency: C``, then classifying and locating),
* by a serial netmiko loop with TextFSM (``alt_serial_netmiko.py``): measured on a sample of
  switches and extrapolated linearly to N (a serial loop is linear by construction); pass
  ``--serial-sample N`` to run it on every switch,
* by the obvious Ansible way: a playbook with ``cisco.ios.ios_command`` over ``network_cli``
  and the ``ansible.netcommon.parse_cli_textfsm`` filter at ``forks=C``, run from the
  benchmark-only environment ``.venv-bench`` (created on first use; not a dependency).

For each: wall time, CPU time of the whole process tree (orphaned persistent-connection
daemons included), and peak memory (summed RSS of the tree, sampled every 0.2 s). Beside
them: the ideal ``ceil(N/C) x single-session time`` (the in-process ``_discovery.poll`` of one
switch) and the CPU the simulated switches used, since they share this machine's cores.

A benchmark, not a test: it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C

# the seven commands the collection runs on cisco_ios, as the serial loop runs them
from alt_serial_netmiko import COMMANDS

PLAYBOOK = """\
---
# The obvious Ansible way: ios_command over network_cli, then TextFSM (ntc-templates) parsing.
- name: Collect MAC, ARP, neighbour and port tables
  hosts: switches
  gather_facts: false
  tasks:
    - name: Run the show commands
      cisco.ios.ios_command:
        commands: {commands}
      register: out

    - name: Parse them with TextFSM
      ansible.builtin.set_fact:
        tables:
{parse_lines}
"""


def inventory_file(path: Path, fleet: C.Fleet, names: Sequence[str], concurrency: int) -> Path:
    import yaml

    doc = {
        "plugin": "camguard.network.mac_table",
        "username": C.LAB_USER,
        "password_env": C.PASSWORD_ENV,
        "host_key_checking": False,  # FakeNOS host keys are random per start: lab only
        "concurrency": concurrency,
        "connect_timeout": 60,
        "command_timeout": 120,
        "switches": [{"name": n, "host": "127.0.0.1", "port": fleet.ports[n], "platform": "cisco_ios"} for n in names],
    }
    path.write_text("---\n" + yaml.safe_dump(doc, sort_keys=False))
    return path


def single_session(fleet: C.Fleet, names: Sequence[str], repeat: int) -> List[float]:
    """Seconds of one switch polled alone, in process (connect, 7 commands, parse)."""
    from ansible_collections.camguard.network.plugins.module_utils._collect import target_from_params
    from ansible_collections.camguard.network.plugins.plugin_utils._discovery import poll

    out = []
    for i in range(repeat):
        name = names[i % len(names)]
        t = target_from_params(
            name, "127.0.0.1", "cisco_ios", fleet.ports[name], C.LAB_USER, fleet.password, host_key_checking=False
        )
        t0 = time.perf_counter()
        _data, errors, _unused = poll([t], 1)
        out.append(time.perf_counter() - t0)
        if errors:
            raise RuntimeError(f"single-session poll of {name} failed: {errors}")
    return out


def run_plugin(work: Path, fleet: C.Fleet, names: Sequence[str], concurrency: int) -> C.Measure:
    inv = inventory_file(work / f"bench{len(names)}.mac_table.yml", fleet, names, concurrency)
    listing = work / "inventory.json"
    cmd = [str(Path(sys.executable).parent / "ansible-inventory"), "-i", str(inv), "--list", "--output", str(listing)]
    env = C.child_env({C.PASSWORD_ENV: fleet.password})
    cpu0 = C.proc_cpu(fleet.pid)
    m = C.run_measured(cmd, env=env, exclude=[fleet.pid])
    m.extra["fleet_cpu"] = C.proc_cpu(fleet.pid) - cpu0
    if m.rc != 0:
        raise RuntimeError(f"ansible-inventory failed ({m.rc}): {m.stderr[-2000:]}")
    text = listing.read_text()
    listing.unlink()
    if fleet.password in text or fleet.password in m.stdout or fleet.password in m.stderr:
        raise RuntimeError("the lab password appeared in ansible-inventory's output")
    data = json.loads(text)
    hosts = data.get("camguard_switches", {}).get("hosts", [])
    unreachable = data.get("camguard_unreachable", {}).get("hosts", [])
    restricted = data.get("camguard_restricted", {}).get("hosts", [])
    if len(hosts) != len(names) or unreachable:
        raise RuntimeError(f"plugin saw {len(hosts)} switches, {len(unreachable)} unreachable: {m.stderr[-2000:]}")
    m.extra["restricted"] = len(restricted)
    return m


def run_serial(work: Path, fleet: C.Fleet, names: Sequence[str]) -> C.Measure:
    spec = work / "serial.json"
    spec.write_text(json.dumps([{"name": n, "host": "127.0.0.1", "port": fleet.ports[n]} for n in names]))
    env = C.child_env({"CAMGUARD_BENCH_USER": C.LAB_USER, C.PASSWORD_ENV: fleet.password})
    cmd = [sys.executable, str(Path(__file__).resolve().parent / "alt_serial_netmiko.py"), str(spec)]
    m = C.run_measured(cmd, env=env, exclude=[fleet.pid])
    if m.rc != 0:
        raise RuntimeError(f"serial netmiko loop failed ({m.rc}): {m.stderr[-2000:]}")
    m.extra.update(json.loads(m.stdout.strip().splitlines()[-1]))
    return m


def ios_command_files(work: Path, fleet: C.Fleet, names: Sequence[str], venv: Path) -> Path:
    tpl_dir = next((venv / "lib").glob("python3*/site-packages/ntc_templates/templates"))
    parse_lines = []
    for i, cmd in enumerate(COMMANDS):
        tpl = tpl_dir / f"cisco_ios_{cmd.replace(' ', '_').replace('mac_address-table', 'mac-address-table')}.textfsm"
        if not tpl.exists():
            raise RuntimeError(f"no ntc-templates template {tpl.name} in {tpl_dir}")
        key = re.sub(r"\W+", "_", cmd[5:])
        parse_lines.append(
            f"          {key}: \"{{{{ out.stdout[{i}] | ansible.netcommon.parse_cli_textfsm('{tpl}') }}}}\""
        )
    (work / "ios_command.yml").write_text(
        PLAYBOOK.format(commands=json.dumps(list(COMMANDS)), parse_lines="\n".join(parse_lines))
    )
    lines = ["[switches]"]
    lines += [f"{n} ansible_host=127.0.0.1 ansible_port={fleet.ports[n]}" for n in names]
    lines += [
        "[switches:vars]",
        "ansible_connection=ansible.netcommon.network_cli",
        "ansible_network_os=cisco.ios.ios",
        f"ansible_user={C.LAB_USER}",
        "ansible_password=\"{{ lookup('ansible.builtin.env', '" + C.PASSWORD_ENV + "') }}\"",
        "ansible_command_timeout=120",
        "ansible_connect_timeout=60",
    ]
    inv = work / f"ios{len(names)}.ini"
    inv.write_text("\n".join(lines) + "\n")
    return inv


def run_ios_command(work: Path, fleet: C.Fleet, names: Sequence[str], forks: int, venv: Path) -> C.Measure:
    inv = ios_command_files(work, fleet, names, venv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(
        {
            C.PASSWORD_ENV: fleet.password,
            "ANSIBLE_HOST_KEY_CHECKING": "False",  # FakeNOS host keys are random per start: lab only
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_HOME": str(work / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(work / "ansible-tmp"),
            "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(work / "pc"),
        }
    )
    cmd = [str(venv / "bin" / "ansible-playbook"), "-i", str(inv), "-f", str(forks), str(work / "ios_command.yml")]
    cpu0 = C.proc_cpu(fleet.pid)
    m = C.run_measured(cmd, env=env, exclude=[fleet.pid])
    m.extra["fleet_cpu"] = C.proc_cpu(fleet.pid) - cpu0
    if fleet.password in m.stdout or fleet.password in m.stderr:
        raise RuntimeError("the lab password appeared in ansible-playbook's output")
    ok = len(re.findall(r"^\S+\s*:\s*ok=2\s.*failed=0", m.stdout, re.MULTILINE))
    m.extra["hosts_ok"] = ok
    if m.rc != 0 or ok != len(names):
        tail = "\n".join((m.stdout + m.stderr).splitlines()[-30:])
        raise RuntimeError(f"ios_command playbook: rc {m.rc}, {ok}/{len(names)} hosts ok:\n{tail}")
    return m


def core(
    sizes: Sequence[int],
    concurrency: int,
    repeat: int,
    serial_sample: int,
    ios_command: bool = True,
    install: bool = True,
    single_repeat: int = 3,
    ios_repeat: Optional[int] = None,
    out=print,  # type: ignore[no-untyped-def]
) -> Dict[str, Any]:
    """Run the whole benchmark and print one table per N. Returns the figures."""
    results: Dict[str, Any] = {"sizes": {}}
    venv: Optional[Path] = None
    venv_note = "skipped (--no-ios-command)"
    if ios_command:
        venv, venv_note = C.bench_venv(install)
    with C.workdir() as work:
        password = C.new_password()
        views = C.write_views(work, max(sizes), password)
        fleet = None
        try:
            fleet = C.start_fleet(views, password)
            names = sorted(fleet.ports)
            out(
                f"fleet: {len(names)} cisco_ios FakeNOS hosts on 127.0.0.1 started in {fleet.start_seconds:.1f}s "
                f"(one process, pid {fleet.pid}); concurrency/forks C = {concurrency}; medians of {repeat} runs "
                f"(the ios_command way: {ios_repeat or repeat})"
            )
            single = single_session(fleet, names, max(single_repeat, repeat))
            t1 = C.median(single)
            results["single_session"] = t1
            out(f"single session (in-process _discovery.poll of 1 switch): median {t1:.2f}s of {len(single)}")
            serial_names = names[: max(1, serial_sample)]
            serial = run_serial(work, fleet, serial_names)
            per_switch = serial.wall / len(serial_names)
            serial_cpu = serial.cpu / len(serial_names)
            out(
                f"serial netmiko loop: {len(serial_names)} switches in {serial.wall:.1f}s "
                f"({per_switch:.2f}s and {serial_cpu:.2f}s CPU per switch)"
            )
            for n in sizes:
                sub = names[:n]
                plugin_runs = [run_plugin(work, fleet, sub, concurrency) for _unused in range(repeat)]
                ios_runs: List[C.Measure] = []
                ios_error = venv_note if venv is None else ""
                if venv is not None:
                    try:
                        ios_runs = [
                            run_ios_command(work, fleet, sub, concurrency, venv)
                            for _unused in range(ios_repeat or repeat)
                        ]
                    except RuntimeError as exc:
                        ios_error = str(exc)
                from ansible_collections.camguard.network.plugins.plugin_utils._procpoll import default_processes

                ideal = math.ceil(n / concurrency) * t1
                pw = C.median([m.wall for m in plugin_runs])
                row_p = [
                    "mac_table plugin (ansible-inventory --list)",
                    pw,
                    C.median([m.cpu for m in plugin_runs]),
                    C.median([m.peak_rss_mib for m in plugin_runs]),
                    C.median([m.extra["fleet_cpu"] for m in plugin_runs]),
                    1.0,
                    f"{plugin_runs[0].extra['restricted']} restricted devices located; "
                    f"{default_processes(n, concurrency)} poll processes (auto)",
                ]
                serial_wall = per_switch * n
                extrapolated = len(serial_names) < n
                row_s = [
                    "serial netmiko loop + TextFSM",
                    serial_wall,
                    serial_cpu * n,
                    serial.peak_rss_mib,
                    None,
                    C.ratio(serial_wall, pw),
                    f"extrapolated from {len(serial_names)} switches" if extrapolated else "measured",
                ]
                if ios_runs:
                    iw = C.median([m.wall for m in ios_runs])
                    row_i = [
                        "ios_command + parse_cli_textfsm playbook",
                        iw,
                        C.median([m.cpu for m in ios_runs]),
                        C.median([m.peak_rss_mib for m in ios_runs]),
                        C.median([m.extra["fleet_cpu"] for m in ios_runs]),
                        C.ratio(iw, pw),
                        f"forks={concurrency}, network_cli",
                    ]
                else:
                    row_i = ["ios_command + parse_cli_textfsm playbook", None, None, None, None, None, "not run"]
                row_ideal = [f"ideal: ceil({n}/{concurrency}) x {t1:.2f}s", ideal, None, None, None, None, ""]
                out("")
                out(f"-- discovery of N = {n} switches (~50 learned MACs each), C = {concurrency} --")
                out(
                    C.table(
                        ["method", "wall s", "CPU s", "peak MiB", "switch CPU s", "x plugin wall", "note"],
                        [row_p, row_i, row_s, row_ideal],
                        "lrrrrrl",
                    )
                )
                cores = C.machine()["cores"]
                floor = (row_p[2] + row_p[4]) / cores
                out(
                    f"CPU floor of the plugin run: (its CPU {row_p[2]:.1f}s + the simulated switches' CPU "
                    f"{row_p[4]:.1f}s) / {cores} cores = {floor:.1f}s; its wall is {pw / floor:.2f}x that floor"
                )
                out(
                    f"plugin wall / ideal = {pw / ideal:.2f} (target <= 1.5); "
                    f"ios_command / plugin = {row_i[5] or float('nan'):.1f}x (target >= 5); "
                    f"serial / plugin = {row_s[5] or float('nan'):.1f}x (target >= 20)"
                )
                if ios_error:
                    out(f"ios_command way: {ios_error}")
                results["sizes"][n] = {
                    "plugin_wall": pw,
                    "ideal": ideal,
                    "cpu_floor": floor,
                    "ios_command_wall": row_i[1],
                    "serial_wall": serial_wall,
                    "serial_extrapolated": extrapolated,
                    "plugin_runs": [vars(m) | {"stdout": "", "stderr": ""} for m in plugin_runs],
                }
        finally:
            C.stop_fleet(fleet)
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 10, 1 run, 3-switch serial sample")
    ap.add_argument("--sizes", default="50,200,500", help="comma-separated numbers of switches")
    ap.add_argument("--concurrency", type=int, default=50, help="plugin concurrency and playbook forks")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (medians are printed)")
    ap.add_argument(
        "--ios-repeat", type=int, default=None, help="runs of the ios_command way (default: --repeat; ~10 min at N=500)"
    )
    ap.add_argument("--serial-sample", type=int, default=10, help="switches the serial loop really polls")
    ap.add_argument("--no-ios-command", action="store_true", help="skip the ios_command playbook")
    ap.add_argument("--no-install", action="store_true", help="do not create .venv-bench when missing")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    repeat, sample, conc = args.repeat, args.serial_sample, args.concurrency
    if args.quick:
        sizes, repeat, sample, conc = [10], 1, 3, min(conc, 10)
    print(C.header("discovery at fleet scale: mac_table plugin vs serial netmiko vs ios_command"))
    core(
        sizes,
        conc,
        repeat,
        sample,
        ios_command=not args.no_ios_command,
        install=not args.no_install,
        ios_repeat=1 if args.quick else args.ios_repeat,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
