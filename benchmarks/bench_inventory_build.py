# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Locate + inventory build from cached collection data: 2,000 switches / 100,000 MAC entries.

    .venv/bin/python benchmarks/bench_inventory_build.py [--quick] [--switches 2000] [--macs 100000] [--repeat 3]

The data is a generated campus: distribution switches (L3, holding the ARP tables) and access
switches with 48 edge ports, a two-member LAG uplink with an LLDP bridge/router neighbour, a
small unmanaged switch on one port, ordinary office MACs, locally administered (randomised)
phone MACs, and restricted cameras/NVRs whose MACs come from real prefixes of the shipped
``policy/prefixes.csv`` (24-, 28- and 36-bit). It is written as the ``mac_table`` plugin's
cache entry (ansible.builtin.jsonfile, exactly what a polling run stores). Then, each in a
fresh process (so that memory is the process's own peak):

* ``plugin.parse`` with the warm cache into a real ``InventoryData`` (cache read + from_cache +
  classify + locate + populate, with a per-stage breakdown from a second, instrumented pass),
* ``ansible-inventory --list`` on the same file (adds Ansible's start-up and the JSON output).

A benchmark, not a test: it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C

PLUGIN = "camguard.network.mac_table"


# --------------------------------------------------------------------------- the data set


def _mac(v: int) -> str:
    h = f"{v:012x}"
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def restricted_prefixes() -> List[Tuple[int, int]]:
    out = []
    with open(C.REPO / "policy" / "prefixes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.append((int(row["prefix"], 16), int(row["bits"])))
    return out


def generate(switches: int, mac_entries: int, seed: int = 7) -> Dict[str, Any]:
    """The plugin's cache payload for ``switches`` switches holding ``mac_entries`` MAC entries in all."""
    from ansible_collections.camguard.network.plugins.module_utils._records import (
        ArpEntry,
        MacEntry,
        Neighbor,
        PortInfo,
        SwitchData,
    )
    from ansible_collections.camguard.network.plugins.plugin_utils._discovery import Discovery, cache_payload

    rng = random.Random(seed)
    prefixes = restricted_prefixes()
    dists = max(1, switches // 50)
    access = switches - dists
    per_switch = max(4, mac_entries // switches)
    taken: set = set()  # type: ignore[type-arg]

    def draw(kind: str) -> str:
        while True:
            if kind == "restricted":
                value, bits = rng.choice(prefixes)
                v = (value << (48 - bits)) | rng.getrandbits(48 - bits)
            elif kind == "local":
                v = ((rng.getrandbits(8) | 0x02) & 0xFE) << 40 | rng.getrandbits(40)
            else:
                v = ((rng.getrandbits(8) & 0xFC) << 40) | rng.getrandbits(40)
            if v not in taken:
                taken.add(v)
                return _mac(v)

    base = {f"dist{d + 1:03d}": draw("other") for d in range(dists)}
    base.update({f"acc{a + 1:05d}": draw("other") for a in range(access)})
    data: Dict[str, SwitchData] = {}
    arp_of: Dict[str, List[Any]] = {f"dist{d + 1:03d}": [] for d in range(dists)}
    entries = 0
    for a in range(access):
        name = f"acc{a + 1:05d}"
        dist = f"dist{a % dists + 1:03d}"
        sd = SwitchData(switch=name, platform="cisco_ios", own_macs=[base[name]])
        ports = [
            PortInfo(name=f"GigabitEthernet1/0/{p}", mode="access", access_vlan=10 + 10 * (p % 3), description="")
            for p in range(1, 49)
        ]
        ports += [
            PortInfo(name=f"TenGigabitEthernet1/1/{m}", mode="trunk", lag="Port-channel1", trunk_vlans=(10, 20, 30))
            for m in (1, 2)
        ]
        ports.append(PortInfo(name="Port-channel1", mode="trunk", is_lag=True, trunk_vlans=(10, 20, 30)))
        sd.ports = ports
        sd.neighbors = [
            Neighbor(
                f"TenGigabitEthernet1/1/{m}",
                dist,
                f"TenGigabitEthernet2/0/{a // dists + 1}",
                ("bridge", "router"),
                remote_mac=base[dist],
            )
            for m in (1, 2)
        ]
        macs = [MacEntry(base[name], 1, "", static=True, switch=name, kind="self")]
        uplink = [MacEntry(base[dist], 10, "Port-channel1", switch=name)]
        uplink += [
            MacEntry(draw("other"), 10, "Port-channel1", switch=name) for _unused in range(3)
        ]  # routers, servers
        edge_count = per_switch - len(macs) - len(uplink)
        port = 1
        while edge_count > 0 and port <= 48:
            r = rng.random()
            group = min(3, edge_count) if port == 24 else 1  # port 24: an unmanaged switch, a few devices behind
            for _unused in range(group):
                kind = "restricted" if r < 0.05 else "local" if r < 0.12 else "other"
                mac = draw(kind)
                vlan = 10 + 10 * (port % 3)
                macs.append(MacEntry(mac, vlan, f"GigabitEthernet1/0/{port}", switch=name))
                if kind != "local":
                    arp_of[dist].append(ArpEntry(f"10.{a // 250}.{a % 250}.{port}", mac, f"Vlan{vlan}"))
            edge_count -= group
            port += 1
        if a % 100 == 0:  # now and then an NVR announces itself over LLDP
            sd.neighbors.append(Neighbor("GigabitEthernet1/0/6", "DS-7608NI-K2", "eth0", ("station",)))
        sd.macs = macs + uplink
        entries += len(sd.macs)
        data[name] = sd
    for d in range(dists):
        name = f"dist{d + 1:03d}"
        downs = [a for a in range(access) if a % dists == d]
        sd = SwitchData(switch=name, platform="cisco_ios", own_macs=[base[name]])
        sd.ports = [
            PortInfo(name=f"TenGigabitEthernet2/0/{i + 1}", mode="trunk", trunk_vlans=(10, 20, 30))
            for i in range(len(downs))
        ]
        sd.neighbors = [
            Neighbor(
                f"TenGigabitEthernet2/0/{i + 1}",
                f"acc{a + 1:05d}",
                "TenGigabitEthernet1/1/1",
                ("bridge",),
                remote_mac=base[f"acc{a + 1:05d}"],
            )
            for i, a in enumerate(downs)
        ]
        sd.macs = [MacEntry(base[name], 1, "", static=True, switch=name, kind="self")]
        sd.macs += [
            MacEntry(base[f"acc{a + 1:05d}"], 10, f"TenGigabitEthernet2/0/{i + 1}", switch=name)
            for i, a in enumerate(downs)
        ]
        sd.arp = arp_of[name]
        entries += len(sd.macs)
        data[name] = sd
    # trim edge entries of the last access switches, or top up the distribution tables, so that
    # the total is exactly mac_entries
    for name in sorted((n for n in data if n.startswith("acc")), reverse=True):
        sd = data[name]
        while entries > mac_entries and len(sd.macs) > 5:
            edge = max(i for i, m in enumerate(sd.macs) if m.interface.startswith("GigabitEthernet"))
            del sd.macs[edge]
            entries -= 1
        if entries <= mac_entries:
            break
    dnames = sorted(n for n in data if n.startswith("dist"))
    i = 0
    while entries < mac_entries:
        sd = data[dnames[i % len(dnames)]]
        sd.macs.append(MacEntry(draw("other"), 20, "TenGigabitEthernet2/0/1", switch=sd.switch))
        entries += 1
        i += 1
    disc = Discovery(switches=data, timings={n: 1.0 for n in data}, poll_seconds=60.0)
    payload = cache_payload(disc)
    payload["_bench"] = {
        "switches": len(data),
        "mac_entries": entries,
        "arp_entries": sum(len(sd.arp) for sd in data.values()),
        "ports": sum(len(sd.ports) for sd in data.values()),
        "names": sorted(data),
    }
    return payload


def config_file(work: Path, names: Sequence[str]) -> Path:
    import yaml

    # every build reads the warm cache; should it ever miss, the poll only reaches loopback's
    # closed discard port, never an outside address
    doc = {
        "plugin": PLUGIN,
        "username": "netops",
        "switches": [{"name": n, "host": "127.0.0.1", "port": 9, "platform": "cisco_ios"} for n in names],
        "cache": True,
        "cache_plugin": "ansible.builtin.jsonfile",
        "cache_connection": str(work / "cache"),
        "cache_timeout": 86400,
    }
    path = work / "build.mac_table.yml"
    path.write_text("---\n" + yaml.safe_dump(doc, sort_keys=False))
    return path


def _plugin(path: Path) -> Any:
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    plugin = inventory_loader.get(PLUGIN)
    plugin.loader = DataLoader()
    return plugin


def prime_cache(path: Path, payload: Dict[str, Any]) -> None:
    """Store ``payload`` as the plugin's cache entry for ``path`` (what a polling run leaves)."""
    payload = {k: v for k, v in payload.items() if k != "_bench"}
    plugin = _plugin(path)
    plugin._read_config_data(str(path))
    plugin._cache[plugin.get_cache_key(str(path))] = payload
    plugin.update_cache_if_changed()


# --------------------------------------------------------------------------- the measured worker


def _hwm_mib() -> float:
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux carries that across
    fork + exec, so a child would report its parent's peak."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover - not Linux


def worker(path: str, mode: str) -> Dict[str, Any]:
    """One build in this (fresh) process; peak RSS is this process's own."""
    rss0 = _hwm_mib()
    from ansible.inventory.data import InventoryData

    plugin = _plugin(Path(path))
    # import everything the plugin path needs before timing (a real run pays it at start-up)
    from ansible_collections.camguard.network.plugins.plugin_utils import _discovery, _inventory  # noqa: F401

    rss_imports = _hwm_mib()
    out: Dict[str, Any] = {}
    if mode == "parse":
        inv = InventoryData()
        t0, c0 = time.perf_counter(), time.process_time()
        plugin.parse(inv, plugin.loader, path, cache=True)
        out["wall"], out["cpu"] = time.perf_counter() - t0, time.process_time() - c0
        out["hosts"] = len(inv.hosts)
        out["restricted"] = len(inv.groups["camguard_restricted"].get_hosts())
        out["summary"] = {
            k: v for k, v in inv.groups["camguard_switches"].vars["camguard_summary"].items() if k != "unreachable"
        }
    else:  # stages: the same work, timed step by step
        import datetime

        from ansible_collections.camguard.network.plugins.plugin_utils._discovery import analyse, from_cache
        from ansible_collections.camguard.network.plugins.plugin_utils._inventory import InventoryBuilder
        from ansible_collections.camguard.network.plugins.plugin_utils._inventory_config import InventoryConfig
        from ansible_collections.camguard.network.plugins.plugin_utils._policy_glue import build_verdict_fn

        inv = InventoryData()
        plugin.inventory = inv
        plugin._read_config_data(path)
        stages: List[Tuple[str, float]] = []
        t = time.perf_counter()
        payload = plugin._cache[plugin.get_cache_key(path)]
        stages.append(("read the jsonfile cache", time.perf_counter() - t))
        t = time.perf_counter()
        config = InventoryConfig.from_options(plugin.get_option, path, inv)
        stages.append(("read the plugin configuration", time.perf_counter() - t))
        t = time.perf_counter()
        disc = from_cache(payload)
        stages.append(("from_cache (records from JSON)", time.perf_counter() - t))
        t = time.perf_counter()
        verdict_for = build_verdict_fn(config.profiles, None, None, config.use_registry)
        stages.append(("build the classifier (policy + registry)", time.perf_counter() - t))
        t = time.perf_counter()
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        disc.findings = analyse(disc.switches, verdict_for, config.locate, seen_at=now)
        stages.append(("classify + locate (analyse)", time.perf_counter() - t))
        t = time.perf_counter()
        InventoryBuilder(config).populate(plugin, disc, 0.0)
        stages.append(("populate InventoryData", time.perf_counter() - t))
        out["stages"] = stages
        out["findings"] = len(disc.findings)
    out.update({"rss_start_mib": rss0, "rss_imports_mib": rss_imports, "rss_peak_mib": _hwm_mib()})
    return out


def _run_worker(path: Path, mode: str) -> Dict[str, Any]:
    import subprocess

    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, str(path)]
    p = subprocess.run(cmd, capture_output=True, text=True, env=C.child_env(), check=False)
    if p.returncode != 0:
        raise RuntimeError(f"worker {mode} failed: {p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def core(switches: int, macs: int, repeat: int, out=print) -> Dict[str, Any]:  # type: ignore[no-untyped-def]
    with C.workdir() as work:
        t = time.perf_counter()
        payload = generate(switches, macs)
        gen = time.perf_counter() - t
        meta = payload["_bench"]
        names = meta["names"]
        path = config_file(work, names)
        prime_cache(path, payload)
        cache_file = next((work / "cache").iterdir())
        out(
            f"data: {meta['switches']:,} switches, {meta['mac_entries']:,} MAC entries, "
            f"{meta['arp_entries']:,} ARP entries, {meta['ports']:,} ports; jsonfile cache "
            f"{cache_file.stat().st_size / 2**20:.1f} MiB (generated in {gen:.1f}s); medians of {repeat} runs"
        )
        del payload
        parses = [_run_worker(path, "parse") for _unused in range(repeat)]
        stage_runs = [_run_worker(path, "stages") for _unused in range(repeat)]
        cli = []
        for _unused in range(repeat):
            listing = work / "inventory.json"
            m = C.run_measured(
                [
                    str(Path(sys.executable).parent / "ansible-inventory"),
                    "-i",
                    str(path),
                    "--list",
                    "--output",
                    str(listing),
                ],
                env=C.child_env(),
            )
            if m.rc != 0:
                raise RuntimeError(f"ansible-inventory failed: {m.stderr[-2000:]}")
            m.extra["hosts"] = len(json.loads(listing.read_text()).get("_meta", {}).get("hostvars", {}))
            listing.unlink()
            cli.append(m)
        p0 = parses[0]
        rows = [
            [
                "plugin.parse, warm cache -> InventoryData",
                C.median([p["wall"] for p in parses]),
                C.median([p["cpu"] for p in parses]),
                C.median([p["rss_peak_mib"] for p in parses]),
                C.median([p["rss_peak_mib"] - p["rss_imports_mib"] for p in parses]),
                p0["hosts"],
            ],
            [
                "ansible-inventory --list (whole command)",
                C.median([m.wall for m in cli]),
                C.median([m.cpu for m in cli]),
                C.median([m.peak_rss_mib for m in cli]),
                None,
                cli[0].extra["hosts"],
            ],
        ]
        out("")
        out(f"-- inventory build from cache: {meta['switches']:,} switches / {meta['mac_entries']:,} MAC entries --")
        out(C.table(["path", "wall s", "CPU s", "peak RSS MiB", "of which build MiB", "hosts"], rows))
        out(
            f"{p0['restricted']:,} restricted devices located "
            f"(by confidence {p0['summary'].get('by_confidence')}); target: build < 3 s and < 500 MB"
        )
        out("")
        stage_names = [s for s, _unused in stage_runs[0]["stages"]]
        srows = [[s, C.median([r["stages"][i][1] for r in stage_runs])] for i, s in enumerate(stage_names)]
        out(C.table(["stage (instrumented pass)", "wall s"], srows))
        return {
            "parse_wall": rows[0][1],
            "parse_peak_mib": rows[0][3],
            "cli_wall": rows[1][1],
            "cli_peak_mib": rows[1][3],
            "hosts": p0["hosts"],
            "restricted": p0["restricted"],
        }


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="200 switches / 10,000 MAC entries, 1 run")
    ap.add_argument("--switches", type=int, default=2000)
    ap.add_argument("--macs", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--worker", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker[1], args.worker[0])))
        return 0
    switches, macs, repeat = args.switches, args.macs, args.repeat
    if args.quick:
        switches, macs, repeat = 200, 10_000, 1
    print(C.header("locate + inventory build from cached collection data"))
    core(switches, macs, repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
