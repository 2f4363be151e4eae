# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build and tear down the linux_bridge part of the lab in network namespaces.

Every namespace, host-side interface, process and file is written to the run journal
(``run.json``) *before* it is created, so that ``labctl.py down`` removes exactly what a run made,
by recorded name and PID, even after a crash. Nothing on the host changes except the per-run
management veths (named with the run prefix) and ``/run/netns`` entries that ``ip netns`` keeps.

Layout of one linux_bridge switch namespace (``<prefix>-<switch>``):

* ``br<vid>`` one bridge per VLAN (this kernel has no VLAN filtering), or one VLAN-aware ``br0``
  when the kernel supports it (``bridge_model`` in the journal);
* ``swp<n>`` access ports (veth to an endpoint, hub or NVR namespace), enslaved to ``br<vid>``;
* ``up<link>`` the underlay veth of each inter-switch link, carrying one VXLAN device
  ``vx<link>v<vid>`` per VLAN (VNI ``link * 4096 + vid``) enslaved to ``br<vid>``: the trunk;
* ``mgmt0`` veth to the host (``<prefix>m<i>``) with a /31 from the run's management /24;
* sshd (lab user, key, sudo) and lldpd, in a private mount namespace whose ``/run`` is a tmpfs
  and whose ``/etc/passwd``, ``shadow``, ``group``, ``sudoers``, ``hosts`` are lab files bound
  over the host's (the host files are never written).

A vendor-CLI switch has the same namespace (ports ``p<n>``, no sshd, no mgmt0): its data plane,
driven by the FakeNOS fleet (``lab/nos/dataplane.py``, ``Builder.dataplane_spec``).

A phone with a voice VLAN tags its own frames; this kernel has no 802.1Q (``type vlan`` is an
unknown device type), so the tagged VLAN is modelled as a second veth on the same port:
``swp<n>.<vid>`` (``p<n>.<vid>``) on the switch, in the voice VLAN's bridge, named as the VLAN
sub-interface would be, and ``eth0.<vid>`` on the phone, which holds the phone's address. The
phone's ``eth0`` (untagged) is a port of its own bridge ``br0`` with its PC port(s) ``pc<j>``,
where the devices behind it sit. A watcher in the phone's namespace takes ``eth0.<vid>`` down
whenever ``eth0`` loses its carrier, so that shutting the switch port cuts both, as it would
cut the one cable.

``move`` re-cables an endpoint: its old cable goes to the namespace ``<prefix>-_unplugged``
(down, so the old switch port stays, configured as it was, without carrier) and a new veth
connects it to its new port.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from topology import Endpoint, Topology, gateways, lldp_identity, port_name

LAB_USER = "camguard"
LAB_UID = 64066
# Inside each switch's private /run (tmpfs): the lab user's home and authorized_keys, so that the
# state dir may sit under a 0700 directory (pytest's tmp root) the lab user cannot traverse.
LAB_HOME = "/run/camguard/home"
LAB_AUTHORIZED_KEYS = "/run/camguard/authorized_keys"
REGISTRY_DIR = Path(os.environ.get("CAMGUARD_LAB_REGISTRY", "/tmp/camguard-lab-runs"))
UNDERLAY = ipaddress.ip_network("10.66.192.0/20")
MGMT_CANDIDATES = [ipaddress.ip_network(f"10.66.{n}.0/24") for n in range(255, 239, -1)]
AGEING_CS = 6_000_000  # bridge ageing time in centiseconds (60000 s): entries stay while the lab is up
VXLAN_PORT = 4789
SBIN = "/usr/sbin"

# command -> Debian package, for the prerequisite check
REQUIRED_COMMANDS = {
    "ip": "iproute2",
    "bridge": "iproute2",
    "sshd": "openssh-server",
    "ssh-keygen": "openssh-client",
    "lldpd": "lldpd",
    "lldpcli": "lldpd",
    "ping": "iputils-ping",
    "sudo": "sudo",
    "unshare": "util-linux",
    "nft": "nftables",
    "openssl": "openssl",
}


class LabError(RuntimeError):
    """The lab could not be built or torn down; the message says which step and why."""


# --------------------------------------------------------------------------------------------
# Prerequisites
# --------------------------------------------------------------------------------------------


def which(cmd: str) -> Optional[str]:
    return shutil.which(cmd, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin")


def missing_prerequisites(euid: Optional[int] = None) -> List[str]:
    """Human-readable list of what is missing to build namespaces (empty when all is there)."""
    problems: List[str] = []
    uid = os.geteuid() if euid is None else euid
    if uid != 0:
        problems.append("root privileges: network namespaces, veths and bridges need root (run 'sudo make lab-up')")
    missing: Dict[str, List[str]] = {}
    for cmd, pkg in REQUIRED_COMMANDS.items():
        if which(cmd) is None:
            missing.setdefault(pkg, []).append(cmd)
    if missing:
        pkgs = sorted(missing)
        cmds = ", ".join(c for p in pkgs for c in missing[p])
        problems.append(
            f"Debian packages {' '.join(pkgs)} (commands not found: {cmds}); "
            f"install with: apt-get install -y {' '.join(pkgs)}"
        )
    return problems


# --------------------------------------------------------------------------------------------
# Journal
# --------------------------------------------------------------------------------------------


def proc_start_time(pid: int) -> Optional[str]:
    """Start time of ``pid`` in clock ticks (guards against PID reuse), None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            data = fh.read()
    except OSError:
        return None
    fields = data[data.rfind(")") + 2 :].split()
    if fields and fields[0] in ("Z", "X"):
        return None  # a zombie is already gone for our purposes
    return fields[19] if len(fields) > 19 else None


class Journal:
    """``run.json``: everything a run created, flushed before each creation."""

    def __init__(self, state_dir: Path, data: Dict[str, Any]) -> None:
        self.state_dir = state_dir
        self.data = data

    @property
    def path(self) -> Path:
        return self.state_dir / "run.json"

    @property
    def prefix(self) -> str:
        return str(self.data["prefix"])

    @classmethod
    def new(cls, state_dir: Path, prefix: str, **info: Any) -> Journal:
        data: Dict[str, Any] = {
            "version": 1,
            "prefix": prefix,
            "state_dir": str(state_dir),
            "status": "building",
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "netns": [],
            "host_links": [],
            "processes": [],
            "pidfiles": [],
            "paths": [],
        }
        data.update(info)
        j = cls(state_dir, data)
        j.flush()
        return j

    @classmethod
    def load(cls, path: Path) -> Journal:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(Path(data.get("state_dir", path.parent)), data)

    def flush(self) -> None:
        text = json.dumps(self.data, indent=1, sort_keys=True)
        for target in (self.path, REGISTRY_DIR / f"{self.prefix}.json"):
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent == REGISTRY_DIR:
                os.chmod(REGISTRY_DIR, 0o700)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)

    def add(self, kind: str, value: Any) -> None:
        self.data.setdefault(kind, []).append(value)
        self.flush()

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.flush()

    def forget_registry(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (REGISTRY_DIR / f"{self.prefix}.json").unlink()


def new_prefix() -> str:
    """A per-run prefix, short enough for host interface names (``cg3fa1m12`` <= 15 chars)."""
    return "cg" + secrets.token_hex(2)


# --------------------------------------------------------------------------------------------
# Command helpers
# --------------------------------------------------------------------------------------------


def run(cmd: Sequence[str], check: bool = True, input_text: Optional[str] = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, input=input_text, check=False, timeout=60)
    if check and proc.returncode != 0:
        err = (proc.stderr or proc.stdout).strip().splitlines()
        raise LabError(f"command failed ({proc.returncode}): {' '.join(cmd)}: {err[-1] if err else 'no output'}")
    return proc


def ipn(ns: Optional[str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    base = [f"{SBIN}/ip"] + (["-n", ns] if ns else [])
    return run(base + list(args), check=check)


def nsexec(ns: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run([f"{SBIN}/ip", "netns", "exec", ns, *args], check=check)


def netns_exists(name: str) -> bool:
    return Path("/run/netns", name).exists()


def host_link_exists(name: str) -> bool:
    return Path("/sys/class/net", name).exists()


def kill_pid(pid: int, start: Optional[str], grace: float = 2.0) -> bool:
    """SIGTERM then SIGKILL ``pid`` if it is still the process we started. True if signalled."""
    cur = proc_start_time(pid)
    if cur is None or (start is not None and cur != start):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if proc_start_time(pid) != cur:
            return True
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return True


def netns_pids(name: str) -> List[int]:
    if not netns_exists(name):
        return []
    proc = run([f"{SBIN}/ip", "netns", "pids", name], check=False)
    return [int(x) for x in proc.stdout.split() if x.isdigit()]


# --------------------------------------------------------------------------------------------
# Builder
# --------------------------------------------------------------------------------------------


@dataclass
class SwitchNS:
    name: str  # topology name
    ns: str
    linux: bool  # a polled linux_bridge switch (sshd, mgmt) or a vendor switch's data plane
    mgmt_host_if: str = ""
    mgmt_host_ip: str = ""
    mgmt_ip: str = ""


class Builder:
    def __init__(self, topo: Topology, journal: Journal, bridge_model: str) -> None:
        self.topo = topo
        self.j = journal
        self.prefix = journal.prefix
        self.state = journal.state_dir
        self.bridge_model = bridge_model
        self.switches: Dict[str, SwitchNS] = {}

    # -- names ---------------------------------------------------------------------------
    def ns_name(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def sw_port(self, sw: str, n: int) -> str:
        s = self.topo.switch(sw)
        return port_name("linux_bridge", n) if s.is_linux else f"p{n}"

    # -- primitives ----------------------------------------------------------------------
    def add_netns(self, name: str) -> str:
        ns = self.ns_name(name)
        if netns_exists(ns):
            raise LabError(f"namespace {ns} already exists (a previous run with the same prefix?)")
        self.j.add("netns", ns)
        ipn(None, "netns", "add", ns)
        ipn(ns, "link", "set", "lo", "up")
        nsexec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
        return ns

    def veth(self, ns_a: str, name_a: str, ns_b: str, name_b: str, mac_b: Optional[str] = None) -> None:
        ipn(ns_a, "link", "add", name_a, "type", "veth", "peer", "name", name_b, "netns", ns_b)
        if mac_b:
            ipn(ns_b, "link", "set", name_b, "address", mac_b)
        ipn(ns_a, "link", "set", name_a, "up")
        ipn(ns_b, "link", "set", name_b, "up")

    def attach(self, ns: str, ifname: str, vlan: int) -> None:
        """Make ``ifname`` an access port of ``vlan``."""
        if self.bridge_model == "vlan_aware":
            ipn(ns, "link", "set", ifname, "master", "br0")
            run([f"{SBIN}/bridge", "-n", ns, "vlan", "del", "dev", ifname, "vid", "1"], check=False)
            run([f"{SBIN}/bridge", "-n", ns, "vlan", "add", "dev", ifname, "vid", str(vlan), "pvid", "untagged"])
        else:
            ipn(ns, "link", "set", ifname, "master", f"br{vlan}")

    # -- steps ---------------------------------------------------------------------------
    def build(self, mgmt_net: ipaddress.IPv4Network) -> None:
        for sw in self.topo.switches:
            ns = self.add_netns(sw.name)
            self.switches[sw.name] = SwitchNS(sw.name, ns, sw.is_linux)
            self.bridges(ns, sw.vlans)
        for lk in self.topo.links:
            self.link(lk.index, lk.a.switch, lk.b.switch, lk.vlans, lk.lag)
        if self.bridge_model != "vlan_aware":
            for gw in gateways(self.topo):
                self.gateway(gw["switch"], gw["vlan"], gw["ip"])
        self.mgmt(mgmt_net)
        for ep in self.topo.endpoints:
            if ep.cabled:
                self.endpoint(ep)
        for hub in self.topo.unmanaged:
            self.hub(hub.name, hub.switch, hub.port, hub.vlan, [self.topo.endpoint(n) for n in hub.endpoints])
        for ep in self.topo.endpoints:
            if ep.hidden_behind is not None:
                self.hidden_camera(ep)

    def bridges(self, ns: str, vlans: Iterable[int]) -> None:
        if self.bridge_model == "vlan_aware":
            ipn(
                ns,
                "link",
                "add",
                "br0",
                "type",
                "bridge",
                "vlan_filtering",
                "1",
                "ageing_time",
                str(AGEING_CS),
                "mcast_snooping",
                "0",
            )
            ipn(ns, "link", "set", "br0", "up")
            return
        for vid in vlans:
            ipn(
                ns,
                "link",
                "add",
                f"br{vid}",
                "type",
                "bridge",
                "ageing_time",
                str(AGEING_CS),
                "stp_state",
                "0",
                "mcast_snooping",
                "0",
            )
            ipn(ns, "link", "set", f"br{vid}", "up")

    def gateway(self, switch: str, vlan: int, ip: str) -> None:
        """An SVI on ``br<vlan>`` that answers the endpoints' broadcast pings (and so fills ARP)."""
        ns = self.switches[switch].ns
        nsexec(ns, "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_broadcasts=0")
        ipn(ns, "addr", "add", ip, "dev", f"br{vlan}")

    def link(self, index: int, a: str, b: str, vlans: Sequence[int], lag: int) -> None:
        if lag > 1 and (self.topo.switch(a).is_linux or self.topo.switch(b).is_linux):
            raise LabError(
                f"link {index} ({a}-{b}): lag {lag} on a linux_bridge switch needs the kernel bonding driver, "
                "which this kernel lacks; use lag: 1 for links that touch a linux_bridge switch"
            )
        ns_a, ns_b = self.switches[a].ns, self.switches[b].ns
        dev = f"up{index}"
        self.veth(ns_a, dev, ns_b, dev)
        base = int(UNDERLAY.network_address) + 2 * (index - 1)
        if base + 1 > int(UNDERLAY.broadcast_address):
            raise LabError(f"link {index}: too many links for the underlay {UNDERLAY}")
        ip_a, ip_b = ipaddress.ip_address(base), ipaddress.ip_address(base + 1)
        for ns, local, remote in ((ns_a, ip_a, ip_b), (ns_b, ip_b, ip_a)):
            ipn(ns, "link", "set", dev, "mtu", "1600")
            ipn(ns, "addr", "add", f"{local}/31", "dev", dev)
            for vid in vlans:
                vx = f"vx{index}v{vid}"
                ipn(
                    ns,
                    "link",
                    "add",
                    vx,
                    "type",
                    "vxlan",
                    "id",
                    str(index * 4096 + vid),
                    "local",
                    str(local),
                    "remote",
                    str(remote),
                    "dev",
                    dev,
                    "dstport",
                    str(VXLAN_PORT),
                )
                ipn(ns, "link", "set", vx, "mtu", "1500")
                if self.bridge_model == "vlan_aware":
                    self.attach(ns, vx, vid)
                else:
                    ipn(ns, "link", "set", vx, "master", f"br{vid}")
                ipn(ns, "link", "set", vx, "up")

    def mgmt(self, net: ipaddress.IPv4Network) -> None:
        hosts = [*list(net.hosts()), net.broadcast_address]
        linux = [s for s in self.topo.switches if s.is_linux]
        if 2 * len(linux) + 2 > len(hosts):
            raise LabError(f"too many linux_bridge switches ({len(linux)}) for the management network {net}")
        for i, sw in enumerate(linux):
            info = self.switches[sw.name]
            host_if = f"{self.prefix}m{i}"
            host_ip = ipaddress.ip_address(int(net.network_address) + 2 * i + 2)
            ns_ip = ipaddress.ip_address(int(host_ip) + 1)
            self.j.add("host_links", host_if)
            ipn(None, "link", "add", host_if, "type", "veth", "peer", "name", "mgmt0", "netns", info.ns)
            ipn(None, "link", "set", host_if, "addrgenmode", "none")
            ipn(None, "addr", "add", f"{host_ip}/31", "dev", host_if)
            ipn(None, "link", "set", host_if, "up")
            ipn(info.ns, "addr", "add", f"{ns_ip}/31", "dev", "mgmt0")
            ipn(info.ns, "link", "set", "mgmt0", "up")
            info.mgmt_host_if, info.mgmt_host_ip, info.mgmt_ip = host_if, str(host_ip), str(ns_ip)

    def endpoint_ns(self, ep: Endpoint) -> str:
        return self.add_netns(ep.name)

    def configure_ep(self, ns: str, ep: Endpoint) -> None:
        if ep.ip:
            dev = f"eth0.{ep.voice_vlan}" if ep.voice_vlan is not None else "eth0"
            ipn(ns, "addr", "add", ep.ip, "dev", dev)

    def describe(self, switch: str, port: str, text: Optional[str]) -> None:
        """A linux_bridge port's description is its alias (``ip link show`` prints it)."""
        if text is not None and self.topo.switch(switch).is_linux:
            ipn(self.ns_name(switch), "link", "set", port, "alias", text)

    def behind(self, ep: Endpoint) -> List[Endpoint]:
        return [e for e in self.topo.endpoints if e.behind_phone == ep.name]

    def cable(self, ep: Endpoint, ns: str) -> None:
        """Connect endpoint namespace ``ns`` to its (current) switch port."""
        assert ep.switch is not None and ep.port is not None and ep.vlan is not None
        sw_ns = self.ns_name(ep.switch)  # (a Builder made for 'move' has not built self.switches)
        port = self.sw_port(ep.switch, ep.port)
        self.veth(sw_ns, port, ns, "eth0", mac_b=ep.mac)
        self.attach(sw_ns, port, ep.vlan)
        self.describe(ep.switch, port, ep.port_description)
        if ep.voice_vlan is not None:
            sub = f"{port}.{ep.voice_vlan}"
            self.veth(sw_ns, sub, ns, f"eth0.{ep.voice_vlan}", mac_b=ep.mac)
            self.attach(sw_ns, sub, ep.voice_vlan)
        if self.behind(ep):
            ipn(ns, "link", "set", "eth0", "master", "br0")

    def endpoint(self, ep: Endpoint) -> None:
        ns = self.endpoint_ns(ep)
        behind = self.behind(ep)
        if behind:  # the phone's own bridge between its switch port and its PC port(s)
            ipn(ns, "link", "add", "br0", "type", "bridge", "ageing_time", str(AGEING_CS), "mcast_snooping", "0")
            ipn(ns, "link", "set", "br0", "up")
        self.cable(ep, ns)
        self.configure_ep(ns, ep)
        for j, other in enumerate(behind, start=1):
            ens = self.endpoint_ns(other)
            self.veth(ns, f"pc{j}", ens, "eth0", mac_b=other.mac)
            ipn(ns, "link", "set", f"pc{j}", "master", "br0")
            self.configure_ep(ens, other)

    def hub(self, name: str, switch: str, port_no: int, vlan: int, members: List[Endpoint]) -> None:
        ns = self.add_netns(name)
        ipn(ns, "link", "add", "hub0", "type", "bridge", "ageing_time", str(AGEING_CS), "mcast_snooping", "0")
        ipn(ns, "link", "set", "hub0", "up")
        sw = self.switches[switch]
        port = self.sw_port(switch, port_no)
        self.veth(sw.ns, port, ns, "uplink")
        ipn(ns, "link", "set", "uplink", "master", "hub0")
        self.attach(sw.ns, port, vlan)
        hub = next((h for h in self.topo.unmanaged if h.name == name), None)
        self.describe(switch, port, hub.port_description if hub else None)
        for j, ep in enumerate(members, start=1):
            ens = self.endpoint_ns(ep)
            self.veth(ns, f"p{j}", ens, "eth0", mac_b=ep.mac)
            ipn(ns, "link", "set", f"p{j}", "master", "hub0")
            self.configure_ep(ens, ep)

    def nvr_poe_ip(self, nvr: str) -> str:
        cams = [e for e in self.topo.endpoints if e.hidden_behind == nvr and e.ip]
        net = ipaddress.IPv4Interface(cams[0].ip).network  # type: ignore[arg-type]
        used = {ipaddress.IPv4Interface(c.ip).ip for c in cams}  # type: ignore[arg-type]
        for h in net.hosts():
            if h not in used:
                return f"{h}/{net.prefixlen}"
        raise LabError(f"no free address for NVR {nvr}'s PoE side in {net}")

    def hidden_camera(self, ep: Endpoint) -> None:
        nvr = ep.hidden_behind
        assert nvr is not None
        nvr_ns = self.ns_name(nvr)
        if not netns_exists(nvr_ns):
            raise LabError(f"camera {ep.name}: NVR namespace {nvr_ns} is missing")
        if ipn(nvr_ns, "link", "show", "poe0", check=False).returncode != 0:
            ipn(nvr_ns, "link", "add", "poe0", "type", "bridge", "mcast_snooping", "0")
            ipn(nvr_ns, "addr", "add", self.nvr_poe_ip(nvr), "dev", "poe0")
            ipn(nvr_ns, "link", "set", "poe0", "up")
        index = self._cam_index(ep) + 1
        ens = self.endpoint_ns(ep)
        self.veth(nvr_ns, f"poe{index}", ens, "eth0", mac_b=ep.mac)
        ipn(nvr_ns, "link", "set", f"poe{index}", "master", "poe0")
        self.configure_ep(ens, ep)

    def _cam_index(self, ep: Endpoint) -> int:
        cams = [e.name for e in self.topo.endpoints if e.hidden_behind == ep.hidden_behind]
        return cams.index(ep.name)

    # -- the data plane of a vendor-CLI switch ---------------------------------------------
    def dataplane_spec(self, name: str) -> Dict[str, Any]:
        """The ``dataplane`` block of a vendor-CLI switch's view (see lab/nos/dataplane.py)."""
        sw = self.topo.switch(name)
        uplinks = []
        for lk in self.topo.links_of(name):
            end = lk.end(name)
            uplinks.append(
                {
                    "interface": end.port,
                    "members": list(end.members) if lk.lag > 1 else [],
                    "devices": {str(vid): f"vx{lk.index}v{vid}" for vid in lk.vlans},
                }
            )
        return {
            "netns": self.ns_name(name),
            "model": self.bridge_model,
            "ports": {port_name(sw.platform, n): self.sw_port(name, n) for n in range(1, sw.access_ports + 1)},
            "uplinks": uplinks,
        }

    # -- moving an endpoint --------------------------------------------------------------
    def unplug(self, ens: str, devs: Sequence[str]) -> List[str]:
        """Move an endpoint's cable ends to the parking namespace, down: the switch ports they
        lead to stay (in their bridge, with their addresses and rules) and lose their carrier."""
        park = self.ns_name("_unplugged")
        if not netns_exists(park):
            self.add_netns("_unplugged")
        parked: List[str] = []
        for dev in devs:
            if ipn(ens, "link", "show", dev, check=False).returncode != 0:
                continue
            name = f"u{len(self.j.data.get('unplugged', []))}"
            self.j.add("unplugged", {"endpoint": ens, "device": dev, "parked_as": name})
            ipn(ens, "link", "set", dev, "down")
            ipn(ens, "link", "set", dev, "name", name)
            ipn(ens, "link", "set", name, "netns", park)
            ipn(park, "link", "set", name, "down")
            parked.append(name)
        return parked

    def move(self, ep: Endpoint, old_switch: str, old_port: int) -> None:
        """Re-cable ``ep`` (already moved in the model) from its old port to its new one. The old
        port stays, uncabled, as an unplugged port of a real switch would."""
        assert ep.switch is not None and ep.port is not None and ep.vlan is not None
        if ep.behind_unmanaged:
            raise LabError(f"{ep.name} sits behind {ep.behind_unmanaged}: move the hub, not the endpoint")
        if ep.behind_phone:
            raise LabError(f"{ep.name} sits behind the phone {ep.behind_phone}: move the phone")
        old_ns = self.ns_name(old_switch)
        ens = self.ns_name(ep.name)
        devs = ["eth0"] + ([f"eth0.{ep.voice_vlan}"] if ep.voice_vlan is not None else [])
        self.unplug(ens, devs)
        self.cable(ep, ens)
        self.configure_ep(ens, ep)
        # the old port lost its carrier, so the kernel flushed what it had learned there; make
        # sure of it, as a real switch forgets the MACs of a port that goes down
        old_dev = self.sw_port(old_switch, old_port)
        macs = [ep.mac] + [o.mac for o in self.behind(ep)]
        for dev in [old_dev] + ([f"{old_dev}.{ep.voice_vlan}"] if ep.voice_vlan is not None else []):
            for mac in macs:
                run([f"{SBIN}/bridge", "-n", old_ns, "fdb", "del", mac, "dev", dev, "master"], check=False)


def vlan_filtering_supported(ns: str) -> bool:
    """Capability check: can this kernel make a VLAN-aware bridge?"""
    probe = ipn(ns, "link", "add", "vfprobe", "type", "bridge", "vlan_filtering", "1", check=False)
    if probe.returncode == 0:
        ipn(ns, "link", "del", "vfprobe", check=False)
        return True
    return False


def pick_mgmt_net() -> ipaddress.IPv4Network:
    """The first candidate /24 that no host interface uses (another run may hold one)."""
    out = run([f"{SBIN}/ip", "-j", "addr", "show"]).stdout
    used: List[ipaddress.IPv4Network] = []
    for dev in json.loads(out or "[]", strict=False):
        for a in dev.get("addr_info", []):
            if a.get("family") == "inet":
                used.append(ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}").network)
    for cand in MGMT_CANDIDATES:
        if not any(cand.overlaps(u) for u in used):
            return cand
    raise LabError("no free management /24 in 10.66.240.0/20: tear down other lab runs first")


# --------------------------------------------------------------------------------------------
# Daemons: sshd + lldpd per switch namespace, traffic per endpoint
# --------------------------------------------------------------------------------------------


def write_private(path: Path, text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, mode)


def _passwd_line(name: str, fallback: str) -> str:
    """The host's passwd line for a system user (read only), else ``fallback``."""
    try:
        with open("/etc/passwd", encoding="utf-8") as fh:
            for line in fh:
                if line.split(":", 1)[0] == name:
                    return line.rstrip("\n")
    except OSError:
        pass
    return fallback


def prepare_secrets_and_etc(state: Path, switch_names: Sequence[str]) -> Dict[str, Path]:
    """Lab password, user and host keys, and the lab-only /etc files bound in each switch."""
    sec = state / "secrets"
    sec.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(sec, 0o700)
    password = secrets.token_urlsafe(18)
    write_private(sec / "password", password + "\n")
    key = sec / "id_ed25519"
    hostkey = sec / "ssh_host_ed25519_key"
    for k, comment in ((key, f"{LAB_USER}@camguard-lab"), (hostkey, "camguard-lab-host")):
        for f in (k, k.with_suffix(".pub")):
            with contextlib.suppress(FileNotFoundError):
                f.unlink()
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(k)])
    pw_hash = run(["openssl", "passwd", "-6", "-stdin"], input_text=password + "\n").stdout.strip()
    etc = state / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    sshd_line = _passwd_line("sshd", "sshd:x:102:65534::/run/sshd:/usr/sbin/nologin")
    lldpd_line = _passwd_line("_lldpd", "_lldpd:x:103:105::/run/lldpd:/usr/sbin/nologin")
    lldpd_gid = lldpd_line.split(":")[3]
    (etc / "passwd").write_text(
        "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n"
        f"{sshd_line}\n{lldpd_line}\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        f"{LAB_USER}:x:{LAB_UID}:{LAB_UID}:camguard lab:{LAB_HOME}:/bin/bash\n",
        encoding="utf-8",
    )
    write_private(etc / "shadow", f"root:*:20000:0:99999:7:::\n{LAB_USER}:{pw_hash}:20000:0:99999:7:::\n", 0o640)
    (etc / "group").write_text(
        "root:x:0:\nadm:x:4:camguard\nsudo:x:27:camguard\nnogroup:x:65534:\n"
        f"_lldpd:x:{lldpd_gid}:\n{LAB_USER}:x:{LAB_UID}:\n",
        encoding="utf-8",
    )
    write_private(
        etc / "sudoers",
        "Defaults env_reset\nDefaults !lecture\nDefaults !fqdn\n"
        'Defaults secure_path="/usr/sbin:/usr/bin:/sbin:/bin"\n'
        "root ALL=(ALL:ALL) ALL\n"
        f"{LAB_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n",
        0o440,
    )
    # one line per switch so that each namespace's hostname resolves to itself (lldpd, sudo)
    (etc / "hosts").write_text(
        "127.0.0.1 localhost\n" + "".join(f"127.0.1.{i % 250 + 1} {n}\n" for i, n in enumerate(switch_names)),
        encoding="utf-8",
    )
    # copied into each switch's private /run by switchd.sh (sshd reads it as the lab user)
    auth = etc / "authorized_keys"
    auth.write_text(key.with_suffix(".pub").read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(auth, 0o644)
    (state / "logs").mkdir(exist_ok=True)
    return {"key": key, "hostkey": hostkey, "password": sec / "password", "etc": etc}


SWITCHD = r"""#!/bin/sh
# Runs inside 'ip netns exec <ns> unshare --uts': private /run, lab-only /etc files, then
# lldpd (socket /run/lldpd.socket, lldpcli's default) and, for polled switches, sshd.
set -e
STATE="$1"; HOST="$2"; SSHD_CONFIG="$3"; PIDFILE="$4"; LOG="$5"; IFACES="${6:-up*,swp*,p[0-9]*}"
LLDPD_ARGS="${7:-}"
mount -t tmpfs -o mode=0755,size=8m camguard-run /run
mkdir -p /run/sshd /run/lldpd
chmod 0755 /run/sshd
for f in passwd shadow group sudoers hosts; do mount --bind "$STATE/etc/$f" "/etc/$f"; done
mkdir -p /run/camguard/home
cp "$STATE/etc/authorized_keys" /run/camguard/authorized_keys
chmod 0644 /run/camguard/authorized_keys
chown 64066:64066 /run/camguard/home
chmod 0750 /run/camguard/home
hostname "$HOST"
# shellcheck disable=SC2086 # LLDPD_ARGS is a word list ("-M 1")
/usr/sbin/lldpd -d -u /run/lldpd.socket -I "$IFACES" $LLDPD_ARGS >>"$LOG.lldpd" 2>&1 &
echo $! > "$PIDFILE"
i=0
while [ ! -S /run/lldpd.socket ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
/usr/sbin/lldpcli configure lldp portidsubtype ifname >/dev/null 2>&1 || true
/usr/sbin/lldpcli configure lldp tx-interval 2 >/dev/null 2>&1 || true
/usr/sbin/lldpcli resume >/dev/null 2>&1 || true
/usr/sbin/lldpcli update >/dev/null 2>&1 || true
if [ "$SSHD_CONFIG" = "-" ]; then
  exec sleep infinity
fi
exec /usr/sbin/sshd -D -e -f "$SSHD_CONFIG" >>"$LOG.sshd" 2>&1
"""


def sshd_config(state: Path, listen: str, hostkey: Path) -> str:
    return (
        f"ListenAddress {listen}\nPort 22\nHostKey {hostkey}\nPidFile none\n"
        f"AuthorizedKeysFile {LAB_AUTHORIZED_KEYS}\n"
        "StrictModes no\nUsePAM no\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\n"
        f"PermitRootLogin no\nAllowUsers {LAB_USER}\nMaxStartups 500:30:1000\nMaxSessions 100\n"
        "LoginGraceTime 30\nPrintMotd no\nPrintLastLog no\nUseDNS no\nX11Forwarding no\n"
        "AcceptEnv LANG LC_*\nSubsystem sftp internal-sftp\n"
    )


def spawn(journal: Journal, what: str, argv: List[str], log: Path) -> int:
    """Start a long-running process in its own session and journal its PID."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
    journal.add("processes", {"pid": proc.pid, "start": proc_start_time(proc.pid), "what": what})
    return proc.pid


def start_switch_daemons(b: Builder, files: Dict[str, Path]) -> None:
    state = b.state
    script = state / "switchd.sh"
    script.write_text(SWITCHD, encoding="utf-8")
    os.chmod(script, 0o700)
    for sw in b.switches.values():
        pidfile = state / "logs" / f"{sw.name}.lldpd.pid"
        b.j.add("pidfiles", str(pidfile))
        cfg = "-"
        if sw.linux:
            cfg_path = state / "etc" / f"sshd_{sw.name}.conf"
            cfg_path.write_text(sshd_config(state, sw.mgmt_ip, files["hostkey"]), encoding="utf-8")
            cfg = str(cfg_path)
        spawn(
            b.j,
            f"switchd {sw.name}",
            [
                f"{SBIN}/ip",
                "netns",
                "exec",
                sw.ns,
                "unshare",
                "--uts",
                "sh",
                str(script),
                str(state),
                sw.name,
                cfg,
                str(pidfile),
                str(state / "logs" / sw.name),
            ],
            state / "logs" / f"{sw.name}.switchd",
        )


def lldpcli(pid: int, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``lldpcli`` against the lldpd of the daemon ``pid`` (in its private mount namespace).
    Arguments go as argv, never through a shell or lldpcli's own tokenizer."""
    return run(["nsenter", "-t", str(pid), "-m", "-n", f"{SBIN}/lldpcli", *args], check=check)


def lldp_commands(ident: Dict[str, Any]) -> List[List[str]]:
    """lldpcli commands that make an endpoint's lldpd advertise ``ident`` (topology.lldp_identity)."""
    cmds = [["configure", "system", "hostname", str(ident["system_name"])]]
    if ident.get("system_description") is not None:
        cmds.append(["configure", "system", "description", str(ident["system_description"])])
    if ident.get("capabilities"):
        cmds.append(["configure", "system", "capabilities", "enabled", ",".join(ident["capabilities"])])
    for key, value in sorted((ident.get("inventory") or {}).items()):
        cmds.append(["configure", "inventory", key.replace("_", "-"), str(value)])
    cmds.append(["update"])
    return cmds


PHONE_WATCH = r"""# a phone's voice link (eth0.VID, a veth of its own here) follows its cable (eth0)
prev=1
while :; do
  c=$(cat /sys/class/net/eth0/carrier 2>/dev/null || echo 0)
  if [ "$c" != "$prev" ]; then
    if [ "$c" = 1 ]; then /usr/sbin/ip link set "$1" up; else /usr/sbin/ip link set "$1" down; fi
    prev=$c
  fi
  sleep 0.3
done
"""


def start_endpoint_daemons(b: Builder) -> None:
    """lldpd in every endpoint namespace that advertises LLDP (NVRs with their recorder model as
    the system name, endpoints with an ``lldp`` block), and the voice-link watcher of phones."""
    state = b.state
    script = state / "switchd.sh"
    started: List[Tuple[int, Endpoint, Dict[str, Any]]] = []
    for ep in b.topo.endpoints:
        ident = lldp_identity(ep)
        if ident is None or not netns_exists(b.ns_name(ep.name)):
            continue
        pidfile = state / "logs" / f"{ep.name}.lldpd.pid"
        b.j.add("pidfiles", str(pidfile))
        name = str(ident["system_name"])
        host = name if all(c.isalnum() or c in ".-" for c in name) and name[:1].isalnum() else ep.name
        pid = spawn(
            b.j,
            f"endpoint lldpd {ep.name}",
            [
                f"{SBIN}/ip",
                "netns",
                "exec",
                b.ns_name(ep.name),
                "unshare",
                "--uts",
                "sh",
                str(script),
                str(state),
                host[:63],
                "-",
                str(pidfile),
                str(state / "logs" / ep.name),
                "eth0",
                f"-M {ident['med_class']}" if ep.lldp is not None else "",
            ],
            state / "logs" / f"{ep.name}.switchd",
        )
        started.append((pid, ep, ident))
    for pid, ep, ident in started:
        deadline = time.monotonic() + 10
        while lldpcli(pid, "show", "configuration", check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise LabError(f"lldpd of {ep.name} does not answer (see {state / 'logs' / (ep.name + '.lldpd')})")
            time.sleep(0.1)
        for cmd in lldp_commands(ident):
            lldpcli(pid, *cmd)
    for ep in b.topo.endpoints:
        if ep.voice_vlan is not None and ep.cabled and netns_exists(b.ns_name(ep.name)):
            spawn(
                b.j,
                f"voice watch {ep.name}",
                [
                    f"{SBIN}/ip",
                    "netns",
                    "exec",
                    b.ns_name(ep.name),
                    "sh",
                    "-c",
                    PHONE_WATCH,
                    "watch",
                    f"eth0.{ep.voice_vlan}",
                ],
                state / "logs" / f"{ep.name}.voicewatch",
            )


def traffic_target(topo: Topology, ep: Endpoint, b: Builder) -> Tuple[List[str], str]:
    """ping arguments that keep ``ep``'s MAC learned: a broadcast ping floods the whole VLAN."""
    assert ep.ip is not None
    if ep.hidden_behind:
        poe = b.nvr_poe_ip(ep.hidden_behind).split("/")[0]
        return ["-i", "2"], poe
    net = ipaddress.IPv4Interface(ep.ip).network
    return ["-b", "-i", "2"], str(net.broadcast_address)


def start_traffic(b: Builder) -> None:
    for ep in b.topo.endpoints:
        if not ep.ip:
            continue
        opts, target = traffic_target(b.topo, ep, b)
        spawn(
            b.j,
            f"traffic {ep.name}",
            [f"{SBIN}/ip", "netns", "exec", b.ns_name(ep.name), "ping", "-q", "-n", *opts, target],
            b.state / "logs" / f"{ep.name}.traffic",
        )


def wait_tcp(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5) as s:
            banner = s.recv(64)
            if banner.startswith(b"SSH-"):
                return True
        time.sleep(0.1)
    return False


# ``ip -j`` and ``bridge -j`` print an interface alias (a port description) as it was set,
# control characters included: the lab decodes their JSON with strict=False.


def fdb_learned(ns: str) -> List[Dict[str, Any]]:
    out = run([f"{SBIN}/bridge", "-n", ns, "-j", "fdb", "show"]).stdout
    entries = json.loads(out or "[]", strict=False)
    return [
        e for e in entries if e.get("master") and e.get("state") != "permanent" and "self" not in (e.get("flags") or [])
    ]


def own_macs(ns: str) -> List[str]:
    out = run([f"{SBIN}/ip", "-n", ns, "-j", "link", "show"]).stdout
    macs = sorted({d.get("address", "") for d in json.loads(out or "[]", strict=False) if d.get("ifname") != "lo"})
    return [m for m in macs if m and m != "00:00:00:00:00:00"]


# --------------------------------------------------------------------------------------------
# Teardown
# --------------------------------------------------------------------------------------------


def teardown(journal: Journal, remove_files: bool = True) -> List[str]:
    """Remove every recorded process, namespace, host link and file. Returns what it did."""
    done: List[str] = []
    journal.data["status"] = "tearing-down"
    with contextlib.suppress(OSError):
        journal.flush()
    fleet = journal.data.get("fleet") or {}
    if fleet.get("pid") and kill_pid(int(fleet["pid"]), fleet.get("start"), grace=5.0):
        done.append(f"stopped fleet pid {fleet['pid']}")
    for p in journal.data.get("processes", []):
        if kill_pid(int(p["pid"]), p.get("start"), grace=1.0):
            done.append(f"stopped {p.get('what', 'process')} pid {p['pid']}")
    for pf in journal.data.get("pidfiles", []):
        with contextlib.suppress(OSError, ValueError):
            pid = int(Path(pf).read_text(encoding="ascii").strip())
            # only if it lives in one of our namespaces (checked below through netns pids)
            ours = any(pid in netns_pids(ns) for ns in journal.data.get("netns", []))
            if ours and kill_pid(pid, None, grace=1.0):
                done.append(f"stopped lldpd pid {pid}")
    for ns in journal.data.get("netns", []):
        for pid in netns_pids(ns):
            if kill_pid(pid, None, grace=1.0):
                done.append(f"stopped pid {pid} left in {ns}")
    for ns in reversed(journal.data.get("netns", [])):
        if netns_exists(ns):
            run([f"{SBIN}/ip", "netns", "del", ns], check=False)
            done.append(f"deleted namespace {ns}")
    for link in journal.data.get("host_links", []):
        if host_link_exists(link):
            run([f"{SBIN}/ip", "link", "del", link], check=False)
            done.append(f"deleted host link {link}")
    if remove_files:
        state = journal.state_dir
        for rel in journal.data.get("paths", []):
            target = state / rel
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
        with contextlib.suppress(FileNotFoundError):
            journal.path.unlink()
        with contextlib.suppress(OSError):
            state.rmdir()  # only when empty: never remove what the lab did not make
    journal.forget_registry()
    return done


def leftovers(prefix: str) -> Dict[str, List[str]]:
    """Namespaces, host links and live processes that still carry ``prefix`` (for tests/status)."""
    ns = (
        sorted(n for n in os.listdir("/run/netns") if n.startswith(prefix + "-")) if Path("/run/netns").is_dir() else []
    )
    links = sorted(n for n in os.listdir("/sys/class/net") if n.startswith(prefix))
    procs: List[str] = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if f"{prefix}-" in cmd and proc_start_time(int(d)) is not None and int(d) != os.getpid():
            procs.append(f"{d} {cmd.strip()}")
    return {"netns": ns, "links": links, "processes": procs}
