# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vendor-CLI switch views (``<state>/fakenos/<switch>.json``) computed from a topology.

The fleet (``fakenos_fleet.py``) renders every ``show`` output from a view. Without a data
plane (``scale``, or a fleet without namespaces), a view's MAC table is the ground truth: the
endpoints on the switch's own access ports and, on each uplink, what the switch learns through
it (the same flooding rule as the linux_bridge switches obey for real), plus each directly
linked vendor switch's own MAC on the link port (``"origin": "neighbor"``). With a data plane
(``dataplane`` block, see ``lab/nos/dataplane.py``) the fleet reads the MAC table from the
switch's kernel bridges instead and keeps only the ``neighbor`` rows.

Ports are configured as an installer would: an endpoint's port in its access VLAN (a phone's
also with its voice VLAN), the port a ``moved_to`` endpoint will be re-cabled to as well, the
description from the topology (default: role and name). The LLDP neighbours are the linked
switches and every endpoint that runs lldpd (``topology.lldp_identity``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from topology import Topology, learned_on, lldp_identity, port_name

VERSIONS = {
    "cisco_ios": "15.2(7)E4",
    "cisco_nxos": "9.3(8)",
    "arista_eos": "4.28.3M",
    "juniper_junos": "21.4R3-S5",
    "aruba_aoscx": "10.10.1010",
    "hp_procurve": "WC.16.10.0020",
}


def svi_name(platform: str, vlan: int) -> str:
    if platform == "juniper_junos":
        return f"irb.{vlan}"
    if platform == "aruba_aoscx":
        return f"vlan{vlan}"
    return f"Vlan{vlan}"


def build_views(
    topo: Topology,
    username: str,
    password: str,
    ports: Mapping[str, int],
    linux_macs: Optional[Mapping[str, str]] = None,
    dataplane: Optional[Mapping[str, Mapping[str, Any]]] = None,
) -> Dict[str, Dict[str, Any]]:
    """One view per vendor-CLI switch. ``linux_macs``: linux switch -> a MAC for LLDP;
    ``dataplane``: switch -> its data-plane block (labs with namespaces)."""
    linux_macs = linux_macs or {}
    dataplane = dataplane or {}
    views: Dict[str, Dict[str, Any]] = {}
    by_mac_table: Dict[str, List[Dict[str, Any]]] = {s.name: [] for s in topo.switches}
    ip_of: Dict[str, str] = {}
    for ep in topo.endpoints:
        if ep.ip:
            ip_of[ep.mac] = ep.ip.split("/")[0]
        for hop in learned_on(topo, ep):
            by_mac_table[hop["switch"]].append(
                {"mac": ep.mac, "vlan": ep.learned_vlan, "interface": hop["interface"], "type": "dynamic"}
            )
    for sw in topo.switches:
        if sw.is_linux:
            continue
        used: Dict[int, str] = {}
        vlan_of: Dict[int, int] = {}
        voice_of: Dict[int, int] = {}
        lldp: List[Dict[str, Any]] = []
        for ep in topo.endpoints:
            if ep.moved_to is not None and ep.moved_to[0] == sw.name and ep.vlan:
                # the port the endpoint will be re-cabled to, configured beforehand
                vlan_of.setdefault(ep.moved_to[1], ep.vlan)
                if ep.voice_vlan is not None:
                    voice_of.setdefault(ep.moved_to[1], ep.voice_vlan)
            if ep.switch != sw.name or ep.port is None or not ep.cabled or not ep.vlan:
                continue
            used[ep.port] = ep.port_description if ep.port_description is not None else f"{ep.role} {ep.name}"
            vlan_of[ep.port] = ep.vlan
            if ep.voice_vlan is not None:
                voice_of[ep.port] = ep.voice_vlan
            ident = lldp_identity(ep)
            if ident is not None:
                caps = ident["capabilities"] or (["telephone"] if ep.role == "phone" else ["station"])
                lldp.append(
                    {
                        "local_interface": port_name(sw.platform, ep.port),
                        "remote_name": ident["system_name"],
                        "remote_description": ident["system_description"],
                        "remote_port": "eth0",  # switchd.sh: lldpd sends the interface name as port ID
                        "remote_port_description": "eth0",
                        "capabilities": caps,
                        "remote_mac": ep.mac,
                        "remote_ip": ep.ip.split("/")[0] if ep.ip else None,
                    }
                )
        for hub in topo.unmanaged:
            if hub.switch == sw.name:
                used[hub.port] = hub.port_description if hub.port_description is not None else f"unmanaged {hub.name}"
                vlan_of[hub.port] = hub.vlan
        interfaces: List[Dict[str, Any]] = []
        for n in range(1, sw.access_ports + 1):
            ifc: Dict[str, Any] = {
                "name": port_name(sw.platform, n),
                "mode": "access",
                "access_vlan": vlan_of.get(n, sw.vlans[0]),
                "trunk_vlans": [],
                "description": used.get(n, ""),
                "enabled": True,
                "lag": None,
                "is_lag": False,
                "speed": "1000",
            }
            if n in voice_of:
                ifc["voice_vlan"] = voice_of[n]
            interfaces.append(ifc)
        mac_table = list(by_mac_table[sw.name])
        for lk in topo.links_of(sw.name):
            mine, other = lk.end(sw.name), lk.other(sw.name)
            other_sw = topo.switch(other.switch)
            lag = mine.port if lk.lag > 1 else None
            for i, member in enumerate(mine.members):
                interfaces.append(
                    {
                        "name": member,
                        "mode": "trunk",
                        "access_vlan": None,
                        "trunk_vlans": list(lk.vlans),
                        "description": f"uplink {other.switch}",
                        "enabled": True,
                        "lag": lag,
                        "is_lag": False,
                        "speed": "10000",
                    }
                )
                remote_port = other.members[i] if i < len(other.members) else other.members[0]
                lldp.append(
                    {
                        "local_interface": member,
                        "remote_name": other.switch,
                        "remote_port": remote_port,
                        "capabilities": ["bridge", "router"],
                        "remote_mac": other_sw.base_mac or linux_macs.get(other.switch) or None,
                    }
                )
            if lag:
                interfaces.append(
                    {
                        "name": lag,
                        "mode": "trunk",
                        "access_vlan": None,
                        "trunk_vlans": list(lk.vlans),
                        "description": f"uplink {other.switch}",
                        "enabled": True,
                        "lag": None,
                        "is_lag": True,
                        "speed": str(10000 * lk.lag),
                    }
                )
            if other_sw.base_mac:
                mac_table.append(
                    {
                        "mac": other_sw.base_mac,
                        "vlan": lk.vlans[0],
                        "interface": mine.port,
                        "type": "dynamic",
                        "origin": "neighbor",
                    }
                )
        mac_table.sort(key=lambda r: (r["vlan"] or 0, r["mac"]))
        arp = [
            {"ip": ip_of[r["mac"]], "mac": r["mac"], "interface": svi_name(sw.platform, r["vlan"])}
            for r in mac_table
            if r["mac"] in ip_of and r["vlan"]
        ]
        views[sw.name] = {
            "name": sw.name,
            "platform": sw.platform,
            "hostname": sw.name,
            "base_mac": sw.base_mac,
            "host": "127.0.0.1",
            "port": int(ports[sw.name]),
            "username": username,
            "password": password,
            "interfaces": interfaces,
            "vlans": [{"id": v, "name": topo.vlans[v]} for v in sw.vlans],
            "mac_table": mac_table,
            "arp": arp,
            "lldp": lldp,
            "acls": {},
            "version": VERSIONS[sw.platform],
        }
        if sw.name in dataplane:
            views[sw.name]["dataplane"] = dict(dataplane[sw.name])
    return views


def write_views(views: Mapping[str, Mapping[str, Any]], views_dir: Path) -> List[Path]:
    """Write each view (they hold the lab password: the folder is 0700, the files 0600)."""
    views_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(views_dir, 0o700)
    paths = []
    for name, view in views.items():
        p = views_dir / f"{name}.json"
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(view, fh, indent=1)
        paths.append(p)
    return paths
