# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vendor-CLI lab switches: one module per platform, rendering real-format ``show`` outputs
from a switch view and interpreting that platform's configuration commands.

``platform(name)`` returns the shared (stateless) platform object; ``make_view`` builds a
view in the lab contract's shape for tests and benchmarks (lab-core builds the real ones
from a topology).
"""

from __future__ import annotations

import importlib
import random
from typing import Any, Dict, List, Optional, Sequence

from lab.nos.base import Platform, View

PLATFORMS: Dict[str, str] = {
    "cisco_ios": "lab.nos.cisco_ios:CiscoIOS",
    "arista_eos": "lab.nos.arista_eos:AristaEOS",
    "juniper_junos": "lab.nos.juniper_junos:JuniperJunos",
    "cisco_nxos": "lab.nos.cisco_nxos:CiscoNXOS",
    "aruba_aoscx": "lab.nos.aruba_aoscx:ArubaAOSCX",
    "hp_procurve": "lab.nos.hp_procurve:HPProcurve",
}

_CACHE: Dict[str, Platform] = {}


def platform(name: str) -> Platform:
    """The shared platform object (parsed once per process, used by every host)."""
    if name not in PLATFORMS:
        raise ValueError(f"unsupported vendor-CLI platform {name!r}; supported: {', '.join(sorted(PLATFORMS))}")
    if name not in _CACHE:
        mod, cls = PLATFORMS[name].split(":")
        _CACHE[name] = getattr(importlib.import_module(mod), cls)()
    return _CACHE[name]


def port_name(platform_name: str, n: int) -> str:
    """Canonical name of edge port ``n`` (1-based) on ``platform_name``."""
    return {
        "cisco_ios": f"GigabitEthernet1/0/{n}",
        "arista_eos": f"Ethernet{n}",
        "cisco_nxos": f"Ethernet1/{n}",
        "juniper_junos": f"ge-0/0/{n - 1}",
        "aruba_aoscx": f"1/1/{n}",
        "hp_procurve": str(n),
    }[platform_name]


def lag_name(platform_name: str, n: int) -> str:
    return {
        "cisco_ios": f"Port-channel{n}",
        "arista_eos": f"Port-Channel{n}",
        "cisco_nxos": f"port-channel{n}",
        "juniper_junos": f"ae{n - 1}",
        "aruba_aoscx": f"lag{n}",
        "hp_procurve": f"Trk{n}",
    }[platform_name]


def make_view(
    platform_name: str,
    name: str,
    port: int = 0,
    password: str = "",
    access_ports: int = 8,
    vlans: Optional[Dict[int, str]] = None,
    endpoints: Sequence[Dict[str, Any]] = (),
    uplink_macs: int = 0,
    uplink_vlans: Sequence[int] = (10, 20),
    seed: int = 0,
) -> View:
    """A view in the contract's shape: ``access_ports`` edge ports, one 2-member LAG uplink
    trunk (ports ``access_ports+1`` and ``+2``) carrying ``uplink_vlans`` with an LLDP
    neighbour, ``endpoints`` ({mac, port, vlan, ip?}) on edge ports and ``uplink_macs``
    deterministic extra MACs learned on the LAG."""
    platform(platform_name)
    vlans = dict(vlans or {10: "cameras", 20: "users", 999: "quarantine"})
    rnd = random.Random(f"{name}:{seed}")  # noqa: S311 - deterministic lab data, not crypto
    base_mac = f"00:1e:bd:{rnd.randrange(256):02x}:{rnd.randrange(256):02x}:{rnd.randrange(256):02x}"
    lag = lag_name(platform_name, 1)
    ifaces: List[Dict[str, Any]] = []
    for n in range(1, access_ports + 1):
        ifaces.append(
            {
                "name": port_name(platform_name, n),
                "mode": "access",
                "access_vlan": min(vlans) if vlans else 1,
                "trunk_vlans": [],
                "description": "",
                "enabled": True,
                "lag": None,
                "is_lag": False,
                "speed": "1000",
            }
        )
    for n in (access_ports + 1, access_ports + 2):
        ifaces.append(
            {
                "name": port_name(platform_name, n),
                "mode": "trunk",
                "access_vlan": 1,
                "trunk_vlans": list(uplink_vlans),
                "description": "uplink",
                "enabled": True,
                "lag": lag,
                "is_lag": False,
                "speed": "1000",
            }
        )
    ifaces.append(
        {
            "name": lag,
            "mode": "trunk",
            "access_vlan": 1,
            "trunk_vlans": list(uplink_vlans),
            "description": "uplink",
            "enabled": True,
            "lag": None,
            "is_lag": True,
            "speed": "2000",
        }
    )
    mac_table: List[Dict[str, Any]] = []
    arp: List[Dict[str, Any]] = []
    for ep in endpoints:
        ifname = port_name(platform_name, int(ep["port"]))
        for i in ifaces:
            if i["name"] == ifname:
                i["access_vlan"] = int(ep["vlan"])
                if ep.get("description"):
                    i["description"] = ep["description"]
        mac_table.append({"mac": ep["mac"], "vlan": int(ep["vlan"]), "interface": ifname, "type": "dynamic"})
        if ep.get("ip"):
            arp.append({"ip": ep["ip"], "mac": ep["mac"], "interface": f"Vlan{int(ep['vlan'])}"})
    for k in range(uplink_macs):
        mac = f"02:{seed % 256:02x}:{rnd.randrange(256):02x}:{rnd.randrange(256):02x}:{k // 256:02x}:{k % 256:02x}"
        mac_table.append(
            {
                "mac": mac,
                "vlan": int(uplink_vlans[k % len(uplink_vlans)]),
                "interface": port_name(platform_name, access_ports + 1),
                "type": "dynamic",
            }
        )
    return {
        "name": name,
        "platform": platform_name,
        "hostname": name,
        "base_mac": base_mac,
        "host": "127.0.0.1",
        "port": port,
        "username": "camguard",
        "password": password,
        "interfaces": ifaces,
        "vlans": [{"id": vid, "name": vname} for vid, vname in sorted(vlans.items())],
        "mac_table": mac_table,
        "arp": arp,
        "lldp": [
            {
                "local_interface": port_name(platform_name, access_ports + 1),
                "remote_name": "core1",
                "remote_port": "swp3",
                "capabilities": ["bridge", "router"],
                "remote_mac": "00:1e:bd:ff:00:01",
            }
        ],
        "acls": {},
        "version": "",
    }
