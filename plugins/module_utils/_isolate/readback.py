# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what a switch runs now: the live state a plan starts from and a change is verified against.

``default_reader`` reads the ports, MAC table and neighbours with the collector's getters (the
platform's parsers), then the running configuration (``_platforms.Isolation.running_config``),
and from it the ports that carry the camguard ACL and, where the port getter cannot tell, the
administratively disabled ones. How a configuration is laid out is a platform fact
(``Isolation.config_format``); one ``ConfigReader`` per layout reads it:

``interface_blocks``  ``interface X`` then indented lines (IOS-like); the ACL binding is the
                      platform's ``Isolation.acl_bind`` pattern inside a port's block.
``set_lines``         ``set interfaces X ...`` (Junos ``display set``); also the disabled ports
                      and the VLAN IDs already defined.
``nftables``          ``ip``/``bridge`` state and an nftables table (Linux): the ACL ports come
                      from ``nft -j`` on every read, the configuration text only for the
                      pre-change copy.

Device output is untrusted: interface names go through ``_ifname.canonical_interface``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Pattern, Set

from ansible_collections.camguard.network.plugins.module_utils._collect import collect
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport
from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import ACL_NAME, PortConfig, current_config
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import (
    ApplyError,
    as_root,
    isolation_facts,
)
from ansible_collections.camguard.network.plugins.module_utils._platforms import (
    INTERFACE_BLOCKS,
    NFTABLES,
    PLATFORMS,
    SET_LINES,
    SHELL,
    Isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._records import MacEntry, Neighbor, PortInfo


@dataclass
class LiveState:
    ports: List[PortInfo]
    macs: List[MacEntry]
    neighbors: List[Neighbor]
    acl_ports: Set[str]
    running_config: str = ""

    def port_configs(self) -> Dict[str, PortConfig]:
        return {p.name: current_config(p, self.acl_ports) for p in self.ports}


Reader = Callable[[Transport, bool], LiveState]


# --------------------------------------------------------------------------- configuration layouts


def config_interface_blocks(text: str) -> Dict[str, List[str]]:
    """``interface X`` blocks of a Cisco-like running config (indented lines until the next block)."""
    blocks: Dict[str, List[str]] = {}
    cur: Optional[str] = None
    for raw in text.replace("\r", "").split("\n"):
        if raw.startswith("interface "):
            cur = raw[len("interface ") :].strip()
            blocks.setdefault(cur, [])
        elif cur is not None and raw[:1] in (" ", "\t"):
            blocks[cur].append(raw)
        else:
            cur = None
    return blocks


def acl_ports_from_nft(text: str) -> Set[str]:
    """Interfaces dispatched to a camguard chain by ``nft -j list chain bridge camguard forward``."""
    text = text.strip()
    if not text.startswith("{"):
        return set()  # "No such file or directory": the table does not exist
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ApplyError(f"cannot parse nftables JSON: {exc}") from None
    out: Set[str] = set()
    for item in data.get("nftables", []):
        rule = item.get("rule") if isinstance(item, dict) else None
        if not isinstance(rule, dict):
            continue
        name = None
        jumps = False
        for expr in rule.get("expr", []):
            m = expr.get("match") if isinstance(expr, dict) else None
            if isinstance(m, dict):
                key = (m.get("left") or {}).get("meta", {}).get("key")
                if key in ("iifname", "oifname") and isinstance(m.get("right"), str):
                    name = m["right"]
            if isinstance(expr, dict) and "jump" in expr:
                jumps = str(expr["jump"].get("target", "")).startswith("cg_")
        if name and jumps:
            out.add(name)
    return out


class ConfigReader:
    """What a configuration of one layout says about the ports (the default: nothing)."""

    # the configuration is read on every read-back (False: only for the pre-change copy)
    read_on_verify = True

    def section(self, command: str, output: str) -> str:
        """One command's part of the saved configuration text."""
        return output

    def acl_ports(self, platform: str, text: str) -> Set[str]:
        return set()

    def live_acl_ports(
        self, transport: Transport, platform: str, config: str, command: Callable[[str], str]
    ) -> Set[str]:
        """The ports carrying the camguard ACL now (``command`` wraps a command line for the shell)."""
        return self.acl_ports(platform, config)

    def disabled_ports(self, platform: str, text: str) -> Optional[Set[str]]:
        """Ports disabled according to the configuration (None: trust the port getter)."""
        return None

    def vlan_defined(self, text: str, vlan: int) -> bool:
        """A VLAN with this ID exists already and must not be defined again."""
        return False


class InterfaceBlocks(ConfigReader):
    def __init__(self) -> None:
        # the ACL-binding line of each platform, from the platform table
        self.binds: Dict[str, Pattern[str]] = {
            key: re.compile(p.isolation.acl_bind.replace("{acl}", re.escape(ACL_NAME)))
            for key, p in PLATFORMS.items()
            if p.isolation is not None and p.isolation.acl_bind
        }

    def acl_ports(self, platform: str, text: str) -> Set[str]:
        pat = self.binds.get(platform)
        if pat is None:
            return set()
        return {
            canonical_interface(name, platform)
            for name, lines in config_interface_blocks(text).items()
            if any(pat.match(ln) for ln in lines)
        }


class SetLines(ConfigReader):
    ACL = re.compile(
        rf"^set interfaces (\S+) unit 0 family ethernet-switching filter input {ACL_NAME}\s*$", re.MULTILINE
    )
    DISABLED = re.compile(r"^set interfaces (\S+) disable\s*$", re.MULTILINE)
    VLAN_ID = re.compile(r"^set vlans (\S+) vlan-id (\d+)\s*$", re.MULTILINE)

    def acl_ports(self, platform: str, text: str) -> Set[str]:
        return {canonical_interface(m, platform) for m in self.ACL.findall(text)}

    def disabled_ports(self, platform: str, text: str) -> Optional[Set[str]]:
        # Junos: ``show interfaces descriptions`` (the ports getter's admin-state source) lists only
        # the interfaces that have a description, so a disabled port without one would read back
        # as enabled; ``set interfaces X disable`` in ``display set`` is authoritative.
        return {canonical_interface(m, platform) for m in self.DISABLED.findall(text)}

    def vlan_defined(self, text: str, vlan: int) -> bool:
        # A second ``set vlans NAME vlan-id N`` for an existing ID fails the commit ("Duplicate
        # vlan-id"), and ``vlan members N`` takes the ID, so the quarantine VLAN is then used as it is.
        return any(int(vid) == vlan for _name, vid in self.VLAN_ID.findall(text))


class Nftables(ConfigReader):
    ACL_COMMAND = "/usr/sbin/nft -j list chain bridge camguard forward"
    read_on_verify = False

    def section(self, command: str, output: str) -> str:
        return f"### {command}\n{output}"

    def acl_ports(self, platform: str, text: str) -> Set[str]:
        return acl_ports_from_nft(text)

    def live_acl_ports(
        self, transport: Transport, platform: str, config: str, command: Callable[[str], str]
    ) -> Set[str]:
        return acl_ports_from_nft(transport.send_command(command(self.ACL_COMMAND)))


CONFIG_READERS: Dict[str, ConfigReader] = {
    INTERFACE_BLOCKS: InterfaceBlocks(),
    SET_LINES: SetLines(),
    NFTABLES: Nftables(),
}
_NO_CONFIG = ConfigReader()


def _facts(platform: str) -> Optional[Isolation]:
    p = PLATFORMS.get(platform)
    return p.isolation if p is not None else None


def _reader(platform: str) -> ConfigReader:
    facts = _facts(platform)
    return CONFIG_READERS[facts.config_format] if facts is not None else _NO_CONFIG


def acl_ports_from_config(platform: str, text: str) -> Set[str]:
    """Ports that carry the camguard ACL according to a running configuration."""
    return _reader(platform).acl_ports(platform, text)


def disabled_ports_from_config(platform: str, text: str) -> Optional[Set[str]]:
    """Ports administratively disabled according to the configuration, where the platform's port
    getter cannot tell (``None``: trust the getter)."""
    return _reader(platform).disabled_ports(platform, text)


def quarantine_vlan_defined(platform: str, text: str, vlan: int) -> bool:
    """A VLAN with this ID already exists (under any name) in the configuration, and defining it
    again would fail (Junos ``display set``)."""
    return _reader(platform).vlan_defined(text, vlan)


# --------------------------------------------------------------------------- the reader


def default_reader(platform: str, switch: str, root: bool = True) -> Reader:
    """Read the live state with the collector getters (the platform's parsers) and the platform's
    running-configuration commands; a shell platform's commands run as root (``sudo -n``)."""
    facts = isolation_facts(platform)
    layout = CONFIG_READERS[facts.config_format]
    shell = facts.commit_model == SHELL

    def command(line: str) -> str:
        return as_root(line, root) if shell else line

    def read(transport: Transport, with_config: bool) -> LiveState:
        getters = ("mac_table", "neighbors", "ports")
        collector = getattr(transport, "collect", None)
        data = collector(switch, getters) if callable(collector) else collect(transport, platform, switch, getters)
        config_parts = []
        if with_config or layout.read_on_verify:
            for cmd in facts.running_config:
                config_parts.append(layout.section(cmd, transport.send_command(command(cmd))))
        config = "\n".join(config_parts)
        acl = layout.live_acl_ports(transport, platform, config, command)
        ports = data.ports
        disabled = layout.disabled_ports(platform, config)
        if disabled is not None:
            ports = [dataclasses.replace(p, enabled=p.name not in disabled) for p in ports]
        return LiveState(ports=ports, macs=data.macs, neighbors=data.neighbors, acl_ports=acl, running_config=config)

    return read
