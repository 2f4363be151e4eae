# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camguard lab control: ``up <topology> [--scale N]``, ``status``, ``move <endpoint>``,
``snmp-omit <switch> [groups]``, ``down``.

State lives in ``$CAMGUARD_LAB_STATE`` (default ``lab/.state``): ``run.json`` (the journal),
``ground_truth.json``, ``inventory/lab.mac_table.yml`` (and its SNMP variants), ``env.sh``,
``secrets/`` (0700), ``fakenos/`` (vendor-CLI switch views) and ``snmp/`` (the SNMP agents).
See lab/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

LAB_DIR = Path(__file__).resolve().parent
if str(LAB_DIR) not in sys.path:
    sys.path.insert(0, str(LAB_DIR))

import netns  # noqa: E402
import snmp_agent  # noqa: E402
import topology as topo_mod  # noqa: E402
import views as views_mod  # noqa: E402

DEFAULT_STATE = LAB_DIR / ".state"
# Everything under the state dir that a run creates (removed by 'down').
RUN_PATHS = [
    "secrets",
    "etc",
    "logs",
    "inventory",
    "fakenos",
    "snmp",
    "ground_truth.json",
    "env.sh",
    "switchd.sh",
]
USER_ENV = "CAMGUARD_LAB_USERNAME"
PASSWORD_ENV = "CAMGUARD_LAB_PASSWORD"  # noqa: S105 - the name of an env var, not a secret


def state_dir() -> Path:
    return Path(os.environ.get("CAMGUARD_LAB_STATE") or DEFAULT_STATE).resolve()


def say(msg: str) -> None:
    print(f"labctl: {msg}", flush=True)


# --------------------------------------------------------------------------------------------
# up
# --------------------------------------------------------------------------------------------


def free_ports(n: int) -> List[int]:
    """``n`` distinct free TCP ports on 127.0.0.1 (the fleet binds them right after)."""
    socks = []
    try:
        for _unused in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


def wait_learning(b: netns.Builder, gt: Dict[str, Any], timeout: float) -> None:
    """Block until every switch namespace (linux_bridge switches and the vendor-CLI switches'
    data planes) has learned every MAC the ground truth says."""
    expect: Dict[str, set] = {}  # type: ignore[type-arg]
    for ep in gt["endpoints"]:
        for hop in ep["learned_on"]:
            if hop["switch"] in b.switches:
                expect.setdefault(hop["switch"], set()).add(ep["mac"])
    deadline = time.monotonic() + timeout
    missing: Dict[str, set] = {}  # type: ignore[type-arg]
    while True:
        missing = {}
        for sw, macs in expect.items():
            have = {e["mac"] for e in netns.fdb_learned(b.switches[sw].ns)}
            if macs - have:
                missing[sw] = macs - have
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if missing:
        detail = "; ".join(f"{sw}: {', '.join(sorted(m))}" for sw, m in sorted(missing.items()))
        raise netns.LabError(f"MAC learning incomplete after {timeout:.0f}s: {detail}")


def lldp_neighbour_ports(j: netns.Journal, switch: str) -> set:  # type: ignore[type-arg]
    """Ports on which ``switch``'s lldpd (in its private mount namespace) sees a neighbour."""
    pid = next((p["pid"] for p in j.data.get("processes", []) if p.get("what") == f"switchd {switch}"), None)
    if pid is None:
        return set()
    proc = subprocess.run(
        ["nsenter", "-t", str(pid), "-m", "-n", f"{netns.SBIN}/lldpcli", "-f", "json", "show", "neighbors"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        # strict=False: lldpcli prints a neighbour's control characters raw
        iface = json.loads(proc.stdout or "{}", strict=False).get("lldp", {}).get("interface", [])
    except ValueError:
        return set()
    if isinstance(iface, dict):  # one neighbour: lldpcli gives a mapping, several: a list
        iface = [{k: v} for k, v in iface.items()]
    return {name for item in iface for name in item}


def wait_lldp(b: netns.Builder, j: netns.Journal, gt: Dict[str, Any], timeout: float) -> None:
    """Block until every linux_bridge switch sees its LLDP neighbours (the switches at the other end
    of its links and the NVRs on its ports), as a real network converges before anyone polls it;
    otherwise the first poll would miss uplink evidence that later polls have."""
    want: Dict[str, int] = {}
    nvr_ports: Dict[str, set] = {}  # type: ignore[type-arg]
    for link in b.topo.links:
        for end in (link.a.switch, link.b.switch):
            if b.topo.switch(end).is_linux:
                want[end] = want.get(end, 0) + 1
    for ep in gt["endpoints"]:
        if ep["role"] == "nvr" and ep.get("switch") and b.topo.switch(ep["switch"]).is_linux:
            nvr_ports.setdefault(ep["switch"], set()).add(ep["port"])
            want[ep["switch"]] = want.get(ep["switch"], 0) + 1
    deadline = time.monotonic() + timeout
    missing = dict(want)
    while missing and time.monotonic() < deadline:
        for sw in list(missing):
            seen = lldp_neighbour_ports(j, sw)
            if len(seen) >= want[sw] and nvr_ports.get(sw, set()) <= seen:
                del missing[sw]
        if missing:
            time.sleep(0.5)
    if missing:
        say(f"warning: LLDP not converged after {timeout:.0f}s on {', '.join(sorted(missing))}")


def write_outputs(
    state: Path,
    prefix: str,
    topo: topo_mod.Topology,
    gt: Dict[str, Any],
    b: Optional[netns.Builder],
    fleet_ports: Dict[str, int],
    bridge_model: Optional[str],
    snmp: Optional[Dict[str, Tuple[str, int]]] = None,
) -> None:
    sec = state / "secrets"
    key = sec / "id_ed25519"
    known_hosts = sec / "known_hosts"
    inv_switches: List[Dict[str, Any]] = []
    for sw in topo.switches:
        entry = gt["switches"][sw.name]
        if sw.is_linux:
            assert b is not None
            info = b.switches[sw.name]
            entry.update({"host": info.mgmt_ip, "port": 22, "netns": info.ns, "own_macs": netns.own_macs(info.ns)})
            inv_switches.append(
                {
                    "name": sw.name,
                    "host": info.mgmt_ip,
                    "port": 22,
                    "platform": "linux_bridge",
                    "backend": "linux",
                    "private_key_file": str(key),
                }
            )
        else:
            port = fleet_ports.get(sw.name)
            entry.update({"host": "127.0.0.1", "port": port})
            if b is not None and sw.name in b.switches:
                entry["dataplane_netns"] = b.switches[sw.name].ns
            if port is not None:
                inv_switches.append(
                    {"name": sw.name, "host": "127.0.0.1", "port": port, "platform": sw.platform, "backend": "netmiko"}
                )
    for name, (shost, sport) in (snmp or {}).items():
        gt["switches"][name]["snmp"] = {"host": shost, "port": sport}
    gt.update({"prefix": prefix, "bridge_model": bridge_model, "username": netns.LAB_USER})
    (state / "ground_truth.json").write_text(json.dumps(gt, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    lines: List[str] = []
    if b is not None:
        hostkey = (sec / "ssh_host_ed25519_key.pub").read_text(encoding="utf-8").split()
        lines += [f"{info.mgmt_ip} {hostkey[0]} {hostkey[1]}" for info in b.switches.values() if info.linux]
    fleet_key = state / "fakenos" / "host_key.pub"
    if fleet_ports and fleet_key.exists():
        kt, kb = fleet_key.read_text(encoding="utf-8").split()[:2]
        lines += [f"[127.0.0.1]:{port} {kt} {kb}" for port in sorted(fleet_ports.values())]
    if lines:
        known_hosts.parent.mkdir(parents=True, exist_ok=True)
        known_hosts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inv = state / "inventory"
    inv.mkdir(parents=True, exist_ok=True)
    import yaml

    doc = {
        "plugin": "camguard.network.mac_table",
        "username_env": USER_ENV,
        "password_env": PASSWORD_ENV,
        "known_hosts_file": str(known_hosts),
        "switches": inv_switches,
    }
    header = (
        f"# Written by lab/labctl.py for lab run {prefix} (topology {topo.name}).\n"
        f"# Credentials: 'source {state / 'env.sh'}' (exports {USER_ENV} and {PASSWORD_ENV});\n"
        f"# linux_bridge switches use the key file; host keys are in {known_hosts}.\n"
    )
    (inv / "lab.mac_table.yml").write_text(
        "---\n" + header + yaml.safe_dump(doc, sort_keys=False, default_flow_style=False), encoding="utf-8"
    )
    if snmp:
        for fname, version in ((SNMP_INVENTORY, "2c"), (SNMPV3_INVENTORY, "3")):
            sdoc = snmp_inventory(doc, snmp, version)
            sheader = (
                f"# Written by lab/labctl.py for lab run {prefix} (topology {topo.name}): the same switches\n"
                f"# discovered over SNMP{'v3 authPriv' if version == '3' else 'v2c'} (isolation still uses the CLI).\n"
                f"# Credentials: 'source {state / 'env.sh'}' (the SNMP variables are named below).\n"
            )
            (inv / fname).write_text(
                "---\n" + sheader + yaml.safe_dump(sdoc, sort_keys=False, default_flow_style=False), encoding="utf-8"
            )
    env = (
        f"# source me: lab run {prefix}\n"
        f"export CAMGUARD_LAB_STATE='{state}'\n"
        f"export {USER_ENV}='{netns.LAB_USER}'\n"
        f"export {PASSWORD_ENV}=\"$(cat '{sec / 'password'}')\"\n"
        f"export CAMGUARD_LAB_KEY='{key}'\n"
        f"export CAMGUARD_LAB_KNOWN_HOSTS='{known_hosts}'\n"
        f"export CAMGUARD_LAB_INVENTORY='{inv / 'lab.mac_table.yml'}'\n"
    )
    if snmp:
        env += (
            f"export {snmp_agent.COMMUNITY_ENV}=\"$(cat '{sec / 'snmp_community'}')\"\n"
            f"export {snmp_agent.USER_ENV}='{snmp_agent.V3_USER}'\n"
            f"export {snmp_agent.AUTH_KEY_ENV}=\"$(cat '{sec / 'snmp_auth_key'}')\"\n"
            f"export {snmp_agent.PRIV_KEY_ENV}=\"$(cat '{sec / 'snmp_priv_key'}')\"\n"
            f"export CAMGUARD_LAB_SNMP_INVENTORY='{inv / SNMP_INVENTORY}'\n"
            f"export CAMGUARD_LAB_SNMPV3_INVENTORY='{inv / SNMPV3_INVENTORY}'\n"
        )
    (state / "env.sh").write_text(env, encoding="utf-8")


SNMP_INVENTORY = "lab-snmp.mac_table.yml"
SNMPV3_INVENTORY = "lab-snmpv3.mac_table.yml"


def snmp_inventory(doc: Dict[str, Any], snmp: Dict[str, Tuple[str, int]], version: str) -> Dict[str, Any]:
    """The SSH inventory's switches discovered over SNMP (``backend: snmp``, the platform kept, so
    names are spelt as its CLI spells them and isolation still uses the CLI); secrets only named."""
    settings: Dict[str, Any] = {"version": version, "timeout": 5.0, "retries": 1}
    if version == "3":
        settings.update(
            user_env=snmp_agent.USER_ENV,
            auth_protocol=snmp_agent.V3_AUTH[0],
            auth_key_env=snmp_agent.AUTH_KEY_ENV,
            priv_protocol=snmp_agent.V3_PRIV[0],
            priv_key_env=snmp_agent.PRIV_KEY_ENV,
        )
    else:
        settings["community_env"] = snmp_agent.COMMUNITY_ENV
    switches = []
    for sw in doc["switches"]:
        if sw["name"] not in snmp:
            continue
        switches.append({**sw, "backend": "snmp", "snmp": {"port": snmp[sw["name"]][1]}})
    return {**doc, "snmp": settings, "switches": switches}


SNMP_DEFAULT_MAX_SWITCHES = 64  # larger labs (scale benchmarks) start SNMP agents only with --snmp


def snmp_wanted(args: argparse.Namespace, topo: topo_mod.Topology) -> bool:
    env = os.environ.get("CAMGUARD_LAB_SNMP", "").lower()
    if getattr(args, "no_snmp", False) or env in ("0", "no", "off"):
        return False
    if (
        not (getattr(args, "snmp", False) or env in ("1", "yes", "on"))
        and len(topo.switches) > SNMP_DEFAULT_MAX_SWITCHES
    ):
        say(f"{len(topo.switches)} switches: no SNMP agents (add --snmp to start them)")
        return False
    if snmp_agent.responder() is None:
        say("warning: snmpsim is not installed (requirements-test.txt): the switches answer no SNMP")
        return False
    return True


def start_fleet(journal: netns.Journal, views_dir: Path, timeout: float) -> Dict[str, int]:
    try:
        import fakenos_fleet
    except ImportError as exc:
        raise netns.LabError(f"vendor-CLI switches need lab/fakenos_fleet.py and fakenos: {exc}") from exc
    handle = fakenos_fleet.start_fleet(str(views_dir), timeout)
    journal.set("fleet", {"pid": handle.pid, "start": netns.proc_start_time(handle.pid), "views": str(views_dir)})
    return dict(handle.ports)


def cmd_up(args: argparse.Namespace) -> int:
    try:
        topo = topo_mod.load_topology(args.topology, scale=args.scale)
    except topo_mod.TopologyError as exc:
        say(f"invalid topology: {exc}")
        return 2
    if topo.has_linux:
        problems = netns.missing_prerequisites()
        if problems:
            say("cannot build the lab; missing:")
            for p in problems:
                print(f"  - {p}", flush=True)
            return 2
    state = state_dir()
    run_json = state / "run.json"
    if run_json.exists():
        old = netns.Journal.load(run_json)
        if old.data.get("status") == "up":
            say(
                f"a lab is already up in {state} (run {old.prefix}, topology {old.data.get('topology_name')}); "
                "run 'make lab-down' first"
            )
            return 1
        say(f"cleaning the unfinished run {old.prefix} first")
        netns.teardown(old)
    state.mkdir(parents=True, exist_ok=True)
    prefix = args.prefix or netns.new_prefix()
    j = netns.Journal.new(
        state,
        prefix,
        topology=str(Path(args.topology).resolve()),
        topology_name=topo.name,
        scale=args.scale,
        owner_pid=args.owner_pid,
        owner_start=netns.proc_start_time(args.owner_pid) if args.owner_pid else None,
        paths=list(RUN_PATHS),
    )
    t0 = time.monotonic()
    b: Optional[netns.Builder] = None
    bridge_model: Optional[str] = None
    try:
        gt = topo_mod.ground_truth(topo)
        password = ""
        if topo.has_linux:
            files = netns.prepare_secrets_and_etc(state, [s.name for s in topo.switches])
            password = files["password"].read_text(encoding="utf-8").strip()
            bridge_model = choose_bridge_model(j)
            mgmt = netns.pick_mgmt_net()
            j.set("mgmt_net", str(mgmt))
            j.set("bridge_model", bridge_model)
            b = netns.Builder(topo, j, bridge_model)
            b.build(mgmt)
            netns.start_switch_daemons(b, files)
            netns.start_endpoint_daemons(b)
            netns.start_traffic(b)
            for info in b.switches.values():
                if info.linux and not netns.wait_tcp(info.mgmt_ip, 22, 15):
                    raise netns.LabError(
                        f"sshd of {info.name} does not answer on {info.mgmt_ip}:22 "
                        f"(see {state / 'logs' / (info.name + '.sshd')})"
                    )
            wait_learning(b, gt, timeout=20)
            wait_lldp(b, j, gt, timeout=20)
        else:
            sec = state / "secrets"
            sec.mkdir(mode=0o700, parents=True, exist_ok=True)
            password = secrets.token_urlsafe(18)
            netns.write_private(sec / "password", password + "\n")
        fleet_ports: Dict[str, int] = {}
        vendor = [s for s in topo.switches if not s.is_linux]
        if vendor:
            ports = dict(zip([s.name for s in vendor], free_ports(len(vendor))))
            linux_macs = {}
            if b is not None:
                for name, info in b.switches.items():
                    if info.linux:
                        macs = netns.own_macs(info.ns)
                        linux_macs[name] = macs[0] if macs else ""
            dataplane = {s.name: b.dataplane_spec(s.name) for s in vendor} if b is not None else {}
            views = views_mod.build_views(topo, netns.LAB_USER, password, ports, linux_macs, dataplane)
            views_mod.write_views(views, state / "fakenos")
            fleet_ports = start_fleet(j, state / "fakenos", timeout=max(60.0, 0.5 * len(vendor)))
        snmp: Optional[Dict[str, Tuple[str, int]]] = None
        if snmp_wanted(args, topo):
            specs = snmp_agent.specs_for(topo, state, b, j)
            snmp = snmp_agent.start_agents(j, state, specs, timeout=max(60.0, 0.2 * len(specs)))
        write_outputs(state, prefix, topo, gt, b, fleet_ports, bridge_model, snmp)
        j.set("status", "up")
    except BaseException as exc:
        say(f"lab-up failed: {exc}")
        if args.keep_on_error:
            say(f"keeping what was built for inspection; 'labctl.py down' removes it (state {state})")
        else:
            netns.teardown(j)
        if (
            isinstance(exc, (netns.LabError, topo_mod.TopologyError, OSError, snmp_agent.SnmpLabError))
            or type(exc).__name__ == "FleetError"
        ):
            return 1
        raise
    linux = sum(1 for s in topo.switches if s.is_linux)
    say(
        f"lab {topo.name} is up (run {prefix}, {linux} linux_bridge + {len(topo.switches) - linux} vendor-CLI "
        f"switches, {len(topo.endpoints)} endpoints, bridge model {bridge_model or 'n/a'}) "
        f"in {time.monotonic() - t0:.1f}s"
    )
    say(f"inventory: {state / 'inventory' / 'lab.mac_table.yml'}; credentials: source {state / 'env.sh'}")
    if (state / "inventory" / SNMP_INVENTORY).exists():
        say(f"over SNMP: {state / 'inventory' / SNMP_INVENTORY} (v2c), {state / 'inventory' / SNMPV3_INVENTORY} (v3)")
    return 0


def choose_bridge_model(j: netns.Journal) -> str:
    forced = os.environ.get("CAMGUARD_LAB_BRIDGE_MODEL", "auto")
    if forced in ("per_vlan", "vlan_aware"):
        return forced
    probe = f"{j.prefix}-probe"
    j.add("netns", probe)
    netns.ipn(None, "netns", "add", probe)
    try:
        return "vlan_aware" if netns.vlan_filtering_supported(probe) else "per_vlan"
    finally:
        netns.ipn(None, "netns", "del", probe, check=False)


# --------------------------------------------------------------------------------------------
# down / status / move
# --------------------------------------------------------------------------------------------


def is_stale(j: netns.Journal) -> bool:
    if j.data.get("status") != "up":
        return True
    if not (j.state_dir / "run.json").exists():
        return True
    owner = j.data.get("owner_pid")
    if owner:
        cur = netns.proc_start_time(int(owner))
        if cur is None or (j.data.get("owner_start") and cur != j.data.get("owner_start")):
            return True
    return False


def cmd_down(args: argparse.Namespace) -> int:
    journals: List[netns.Journal] = []
    state = state_dir()
    if (state / "run.json").exists():
        journals.append(netns.Journal.load(state / "run.json"))
    if args.all_stale and netns.REGISTRY_DIR.is_dir():
        for p in sorted(netns.REGISTRY_DIR.glob("cg*.json")):
            with contextlib.suppress(OSError, ValueError):
                j = netns.Journal.load(p)
                if is_stale(j) and all(j.prefix != x.prefix for x in journals):
                    journals.append(j)
    if not journals:
        say(f"nothing to tear down (no run.json in {state})")
        return 0
    if os.geteuid() != 0 and any(j.data.get("netns") for j in journals):
        say("tearing down namespaces needs root (run 'sudo make lab-down')")
        return 2
    for j in journals:
        done = netns.teardown(j)
        say(f"run {j.prefix} removed ({len(done)} actions)")
    return 0


def load_run() -> Optional[netns.Journal]:
    p = state_dir() / "run.json"
    return netns.Journal.load(p) if p.exists() else None


def cmd_status(args: argparse.Namespace) -> int:
    j = load_run()
    if j is None:
        say(f"no lab in {state_dir()}")
        return 1
    d = j.data
    say(f"run {j.prefix}: topology {d.get('topology_name')} status {d.get('status')} since {d.get('created')}")
    gt_path = j.state_dir / "ground_truth.json"
    gt = json.loads(gt_path.read_text(encoding="utf-8")) if gt_path.exists() else {"switches": {}}
    healthy = d.get("status") == "up"
    for p in d.get("processes", []):
        if p.get("what", "").startswith("switchd") and netns.proc_start_time(int(p["pid"])) != p.get("start"):
            healthy = False
            print(f"  ! {p['what']} (pid {p['pid']}) is not running")
    rows = []
    for name, sw in sorted(gt["switches"].items()):
        learned = "-"
        ns = sw.get("netns") or sw.get("dataplane_netns")
        if ns and netns.netns_exists(ns):
            learned = str(len(netns.fdb_learned(ns)))
        elif ns:
            healthy = False
            learned = "namespace missing"
        rows.append(f"  {name:<12} {sw['platform']:<14} {sw.get('host')}:{sw.get('port')}  learned MACs: {learned}")
    print("\n".join(rows))
    fleet = d.get("fleet") or {}
    if fleet:
        alive = netns.proc_start_time(int(fleet["pid"])) == fleet.get("start")
        healthy = healthy and alive
        print(f"  vendor-CLI fleet pid {fleet['pid']}: {'running' if alive else 'NOT running'}")
    for p in d.get("processes", []):
        if p.get("what", "").startswith("snmp agent"):
            alive = netns.proc_start_time(int(p["pid"])) == p.get("start")
            healthy = healthy and alive
            print(f"  {p['what']} pid {p['pid']}: {'running' if alive else 'NOT running'}")
    return 0 if healthy else 3


def wait_moved(b: netns.Builder, ep: Any, timeout: float = 20.0) -> None:
    """Block until the endpoint's new edge switch (a linux_bridge switch, or a vendor-CLI switch's
    data plane) has learned it on its new port, then two more traffic intervals, so that every
    switch on the way has re-learned it in the new direction (the endpoint floods a broadcast
    ping every 2 s)."""
    assert ep.switch is not None and ep.port is not None
    ns, port = b.ns_name(ep.switch), b.sw_port(ep.switch, ep.port)
    if ep.voice_vlan is not None:
        port = f"{port}.{ep.voice_vlan}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(e.get("mac") == ep.mac and e.get("ifname") == port for e in netns.fdb_learned(ns)):
            time.sleep(4.5)
            return
        time.sleep(0.2)
    raise netns.LabError(f"{ep.name} was not learned on {ep.switch} {port} within {timeout:.0f}s after the move")


def refresh_fleet(j: netns.Journal, views: Dict[str, Dict[str, Any]], timeout: float = 20.0) -> None:
    """Hand the running fleet the new learned state (MAC, ARP, LLDP tables) and make it re-apply
    every data plane: write ``fakenos/refresh/<switch>.json``, SIGHUP, wait until it took them."""
    fleet = j.data.get("fleet") or {}
    pid = int(fleet.get("pid") or 0)
    if not pid or netns.proc_start_time(pid) != fleet.get("start"):
        say("warning: the vendor-CLI fleet is not running; its switches were not refreshed")
        return
    folder = j.state_dir / "fakenos" / "refresh"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, view in views.items():
        data = {k: view[k] for k in ("mac_table", "arp", "lldp")}
        tmp = folder / f".{name}.tmp"
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, folder / f"{name}.json")
    os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while any(folder.glob("*.json")):
        if time.monotonic() > deadline:
            raise netns.LabError(f"the fleet (pid {pid}) did not take the refresh within {timeout:.0f}s")
        time.sleep(0.1)


def cmd_move(args: argparse.Namespace) -> int:
    j = load_run()
    if j is None or j.data.get("status") != "up":
        say("no lab is up")
        return 1
    topo = topo_mod.load_topology(j.data["topology"], scale=j.data.get("scale"))
    gt_path = j.state_dir / "ground_truth.json"
    gt = json.loads(gt_path.read_text(encoding="utf-8"))
    for name in j.data.get("moved", []):
        topo_mod.apply_move(topo, name)
    try:
        ep = topo.endpoint(args.endpoint)
    except KeyError:
        say(f"no endpoint {args.endpoint!r} in topology {topo.name}")
        return 2
    if ep.moved_to is None:
        say(f"endpoint {ep.name} has no 'moved_to' (or was moved already)")
        return 2
    old_switch, old_port = ep.switch, ep.port
    assert old_switch is not None and old_port is not None
    topo_mod.apply_move(topo, ep.name)
    b: Optional[netns.Builder] = None
    if topo.has_linux:
        b = netns.Builder(topo, j, j.data.get("bridge_model", "per_vlan"))
        b.move(ep, old_switch, old_port)
    new_gt = topo_mod.ground_truth(topo)
    moved = {ep.name} | {o.name for o in topo.endpoints if o.behind_phone == ep.name}
    for old_ep, new_ep in zip(gt["endpoints"], new_gt["endpoints"]):
        if old_ep["name"] in moved:
            old_ep.update({k: new_ep[k] for k in ("switch", "port", "learned_on", "moved_to", "moved_from")})
    gt_path.write_text(json.dumps(gt, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    views_dir = j.state_dir / "fakenos"
    if views_dir.is_dir() and any(not s.is_linux for s in topo.switches):
        # the running fleet takes the new learned state (its data planes re-read the kernel);
        # its configuration stays as the fleet has it
        fresh = views_mod.build_views(topo, netns.LAB_USER, "", {s: 0 for s in gt["switches"]})
        refresh_fleet(j, fresh)
    if b is not None:
        wait_moved(b, ep)
    snmp_agent.bump_generation(j.state_dir)  # the SNMP agents rebuild their snapshots at once
    j.add("moved", ep.name)
    say(f"{ep.name} moved from {old_switch} port {old_port} to {ep.switch} port {ep.port}")
    return 0


def cmd_snmp_omit(args: argparse.Namespace) -> int:
    j = load_run()
    if j is None or j.data.get("status") != "up":
        say("no lab is up")
        return 1
    try:
        now = snmp_agent.set_omit(j.state_dir, args.switch, args.groups)
    except snmp_agent.SnmpLabError as exc:
        say(str(exc))
        return 2
    say(f"{args.switch}'s SNMP agent now serves {'everything' if not now else 'all but ' + ', '.join(now)}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="labctl.py", description=__doc__.split("\n\n", maxsplit=1)[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="build the lab described by a topology file")
    up.add_argument("topology", help="topology YAML (see lab/README.md)")
    up.add_argument("--scale", type=int, default=None, help="number of switches for a 'scale' topology")
    up.add_argument("--prefix", default=None, help=argparse.SUPPRESS)
    up.add_argument(
        "--owner-pid", type=int, default=None, help="tear down with 'down --all-stale' once this PID is gone"
    )
    up.add_argument("--keep-on-error", action="store_true", help="do not tear down a failed build (debugging)")
    up.add_argument("--no-snmp", action="store_true", help="start no SNMP agents (also: CAMGUARD_LAB_SNMP=0)")
    up.add_argument(
        "--snmp",
        action="store_true",
        help=f"start SNMP agents even for more than {SNMP_DEFAULT_MAX_SWITCHES} switches (also: CAMGUARD_LAB_SNMP=1)",
    )
    down = sub.add_parser("down", help="remove every namespace, veth, process and file of the lab run")
    down.add_argument("--all-stale", action="store_true", help="also remove crashed or orphaned runs of any state dir")
    sub.add_parser("status", help="show the lab run and its health (exit 3 when degraded)")
    mv = sub.add_parser("move", help="move an endpoint with 'moved_to' to its new port")
    mv.add_argument("endpoint")
    om = sub.add_parser("snmp-omit", help="make a switch's SNMP agent serve without some MIB groups (an old agent)")
    om.add_argument("switch")
    om.add_argument("groups", nargs="*", help=f"of: {', '.join(sorted(snmp_agent.writer.OMITTABLE))}; none: serve all")
    args = ap.parse_args(argv)
    if args.cmd == "up" and args.prefix is not None:
        import re

        if not re.fullmatch(r"cg[0-9a-z]{2,6}", args.prefix):
            ap.error("--prefix must look like cg1234")
    commands = {"up": cmd_up, "down": cmd_down, "status": cmd_status, "move": cmd_move, "snmp-omit": cmd_snmp_omit}
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
