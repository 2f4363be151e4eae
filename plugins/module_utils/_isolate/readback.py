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

``acl_content`` reads the camguard ACL's entries (``AclContent``: in order, each classified as the
DHCP, ARP, peer or closing deny entry camguard writes, or ``other``) from the configuration, so
that a run verifies what the ACL holds and not only where it is bound;
and ``vlan_exists`` whether a VLAN ID is defined (so that a failed run removes only a VLAN it
created).

Device output is untrusted: interface names go through ``_ifname.canonical_interface``.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Pattern, Set, Tuple

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


@dataclass(frozen=True)
class AclEntry:
    """One entry of the camguard ACL: ``kind`` is ``dhcp``, ``arp``, ``peer`` (``value``: the
    network, CIDR), ``deny`` (the closing deny-all) or ``other`` (``value``: the entry as read)."""

    kind: str
    value: str = ""
    seq: Optional[int] = None


@dataclass(frozen=True)
class AclContent:
    """The camguard ACL as configured: whether it exists, and its entries in order."""

    exists: bool
    entries: Tuple[AclEntry, ...] = ()

    def key(self) -> List[Tuple[str, str]]:
        """The entries without sequence numbers, sorted (what the ACL permits and denies)."""
        return sorted((e.kind, e.value) for e in self.entries)


ACL_ABSENT = AclContent(False)


@dataclass
class LiveState:
    ports: List[PortInfo]
    macs: List[MacEntry]
    neighbors: List[Neighbor]
    acl_ports: Set[str]
    running_config: str = ""
    # the camguard ACL as read with the configuration (None: not read on this layout / read)
    acl: Optional[AclContent] = None

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


_PORT_NAMES = {"bootpc": 68, "bootps": 67}
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _net(addr: str, mask: Optional[str] = None, wildcard: bool = True) -> Optional[str]:
    """A network in CIDR form from ``A/len``, ``A/M``, ``A W`` (wildcard) or ``A`` (a host)."""
    try:
        if mask is None:
            return str(ipaddress.ip_network(addr if "/" in addr else addr + "/32", strict=False))
        if wildcard:
            inverted = ".".join(str(255 - int(o)) for o in mask.split("."))
            return str(ipaddress.ip_network(f"{addr}/{inverted}", strict=False))
        return str(ipaddress.ip_network(f"{addr}/{mask}", strict=False))
    except ValueError:
        return None


def _ace_addr(toks: List[str], i: int) -> Tuple[Optional[str], int]:
    """(network, next index) of the address at ``toks[i]``: ``any``, ``host A``, ``A/len``,
    ``A/M``, ``A W`` or a bare ``A``."""
    if i >= len(toks):
        return None, i
    t = toks[i]
    if t == "any":
        return "0.0.0.0/0", i + 1
    if t == "host" and i + 1 < len(toks):
        return _net(toks[i + 1]), i + 2
    if "/" in t:
        a, _unused, b = t.partition("/")
        return (_net(t) if b.isdigit() else _net(a, b, wildcard=False)), i + 1
    if _IPV4.match(t):
        if i + 1 < len(toks) and _IPV4.match(toks[i + 1]):
            return _net(t, toks[i + 1]), i + 2
        return _net(t), i + 1
    return None, i


def _ace_port(toks: List[str], i: int) -> Tuple[Optional[int], int, bool]:
    """(port, next index, ok) of an optional ``eq P`` at ``toks[i]``."""
    if i < len(toks) and toks[i] == "eq" and i + 1 < len(toks):
        p = toks[i + 1]
        port = _PORT_NAMES.get(p) if not p.isdigit() else int(p)
        return port, i + 2, port is not None
    return None, i, True


def classify_ace(text: str) -> AclEntry:
    """One CLI ACL entry (``[seq] permit|deny proto src [eq P] dst [eq P]``, the IOS, NX-OS, EOS,
    AOS-CX and ProCurve spellings) as the kind of entry camguard writes, or ``other``."""
    toks = text.split()
    seq = None
    if toks and toks[0].isdigit():
        seq = int(toks[0])
        toks = toks[1:]
    plain = " ".join(toks)
    other = AclEntry("other", plain, seq)
    if len(toks) < 4 or toks[0] not in ("permit", "deny"):
        return other
    action, proto = toks[0], toks[1]
    src, i = _ace_addr(toks, 2)
    sport, i, ok1 = _ace_port(toks, i)
    dst, i = _ace_addr(toks, i)
    dport, i, ok2 = _ace_port(toks, i)
    if src is None or dst is None or not (ok1 and ok2) or i != len(toks):
        return other
    anyany = src == "0.0.0.0/0" and dst == "0.0.0.0/0"
    if action == "deny" and proto in ("ip", "any") and anyany and sport is None and dport is None:
        return AclEntry("deny", "", seq)
    if action == "permit" and proto == "udp" and anyany and sport in (None, 68) and dport == 67:
        return AclEntry("dhcp", "", seq)
    plain_ip = proto in ("ip", "any") and sport is None and dport is None
    if action == "permit" and plain_ip and src == "0.0.0.0/0" and dst != "0.0.0.0/0":
        return AclEntry("peer", dst, seq)
    return other


# the header line of the camguard ACL in an interface-blocks configuration (IOS and ProCurve
# "ip access-list extended", NX-OS and EOS "ip access-list", AOS-CX "access-list ip")
_ACL_HEADER = re.compile(
    r'^(?:ip access-list(?: extended)?|access-list ip) "?' + re.escape(ACL_NAME) + r'"?\s*$', re.MULTILINE
)
_VLAN_LINE = re.compile(r"^vlan (\d[\d,\-]*)\s*$", re.MULTILINE)


def _vlan_ids(text: str) -> Set[int]:
    out: Set[int] = set()
    for m in _VLAN_LINE.finditer(text.replace("\r", "")):
        for part in m.group(1).split(","):
            a, _unused, b = part.partition("-")
            if a.isdigit() and (not b or b.isdigit()):
                lo, hi = int(a), int(b or a)
                if 1 <= lo <= hi <= 4094:
                    out.update(range(lo, hi + 1))
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

    def vlan_exists(self, text: str, vlan: int) -> Optional[bool]:
        """Whether the configuration defines a VLAN with this ID (None: this layout does not say)."""
        return None

    def acl_content(self, text: str) -> Optional[AclContent]:
        """The camguard ACL as this configuration holds it (None: this layout does not say)."""
        return None

    def live_acl_content(
        self, transport: Transport, config: str, command: Callable[[str], str]
    ) -> Optional[AclContent]:
        """The camguard ACL as the switch holds it now (from ``config`` where this layout reads it)."""
        return self.acl_content(config) if config else None


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

    def vlan_exists(self, text: str, vlan: int) -> Optional[bool]:
        # "vlan N" blocks (IOS, EOS, AOS-CX, ProCurve) and "vlan 1,10,20,999" lists (NX-OS, AOS-CX)
        return vlan in _vlan_ids(text)

    def acl_content(self, text: str) -> Optional[AclContent]:
        lines = text.replace("\r", "").split("\n")
        m = _ACL_HEADER.search("\n".join(lines))
        if m is None:
            return ACL_ABSENT
        start = "\n".join(lines).count("\n", 0, m.start()) + 1
        entries = []
        for raw in lines[start:]:
            if raw[:1] not in (" ", "\t"):
                break
            body = raw.strip()
            if not body or body in ("exit", "!"):
                continue
            entries.append(classify_ace(body))
        return AclContent(True, tuple(entries))


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

    def vlan_exists(self, text: str, vlan: int) -> Optional[bool]:
        return self.vlan_defined(text, vlan)

    FILTER = re.compile(
        rf"^set firewall family ethernet-switching filter {re.escape(ACL_NAME)} term (\S+) (from|then) (.+?)\s*$",
        re.MULTILINE,
    )

    def acl_content(self, text: str) -> Optional[AclContent]:
        # terms in the order the configuration lists them; each camguard term is classified by
        # its match conditions and action, anything else is "other"
        terms: Dict[str, Dict[str, List[str]]] = {}
        for name, part, rest in self.FILTER.findall(text):
            terms.setdefault(name, {"from": [], "then": []})[part].append(rest)
        if not terms:
            return ACL_ABSENT
        entries: List[AclEntry] = []
        for name, t in terms.items():
            conds, then = sorted(t["from"]), sorted(t["then"])
            peers = [c.split()[1] for c in conds if c.startswith("ip-destination-address ") and len(c.split()) == 2]
            if then == ["accept"] and conds == ["ether-type arp"]:
                entries.append(AclEntry("arp"))
            elif then == ["accept"] and conds == ["destination-port 67", "ip-protocol udp"]:
                entries.append(AclEntry("dhcp"))
            elif then == ["accept"] and peers and len(peers) == len(conds):
                entries.extend(AclEntry("peer", _net(p) or p) for p in peers)
            elif then == ["discard"] and not conds:
                entries.append(AclEntry("deny"))
            else:
                entries.append(AclEntry("other", f"term {name}: from {'; '.join(conds)} then {'; '.join(then)}"))
        return AclContent(True, tuple(entries))


def _nft_value(v: object) -> str:
    if isinstance(v, dict) and isinstance(v.get("prefix"), dict):
        pre = v["prefix"]
        return _net(f"{pre.get('addr')}/{pre.get('len')}") or str(v)
    text = str(v)
    return (_net(text) or text) if _IPV4.match(text.split("/", maxsplit=1)[0]) else text


def _nft_rule_text(expr: List[object]) -> str:
    """A rule of ``nft -j`` in the words of ``nft`` itself (``ip daddr 10.0.0.1/32 accept``)."""
    parts = []
    for e in expr:
        if not isinstance(e, dict):
            return "?"
        if "match" in e and isinstance(e["match"], dict):
            left = e["match"].get("left") or {}
            right = _nft_value(e["match"].get("right"))
            if isinstance(left, dict) and isinstance(left.get("payload"), dict):
                parts.append(f"{left['payload'].get('protocol')} {left['payload'].get('field')} {right}")
            elif isinstance(left, dict) and isinstance(left.get("meta"), dict):
                key = left["meta"].get("key")
                parts.append(f"ether type {right}" if key == "protocol" else f"{key} {right}")
            else:
                parts.append(f"? {right}")
        elif "accept" in e or "drop" in e:
            parts.append("accept" if "accept" in e else "drop")
        else:
            parts.append(str(sorted(e)))
    return " ".join(parts)


_NFT_ADDR = re.compile(r"\b(ip [sd]addr) (\S+)")


def classify_nft_rule(text: str) -> AclEntry:
    """One rule of a camguard port chain, as the kind of rule camguard writes, or ``other``."""
    text = _NFT_ADDR.sub(lambda m: f"{m.group(1)} {_net(m.group(2)) or m.group(2)}", " ".join(text.split()))
    if text == "ether type arp accept":
        return AclEntry("arp")
    if text == "udp sport 68 udp dport 67 accept":
        return AclEntry("dhcp", "request")
    if text == "udp sport 67 udp dport 68 accept":
        return AclEntry("dhcp", "reply")
    if text == "drop":
        return AclEntry("deny")
    m = re.fullmatch(r"ip (daddr|saddr) (\S+) accept", text)
    if m:
        return AclEntry("peer" if m.group(1) == "daddr" else "peer-reply", m.group(2))
    return AclEntry("other", text)


def _nft_chains_content(chains: Dict[str, List[AclEntry]], used: Set[str]) -> AclContent:
    """One content for the port chains the forward chain jumps to: all must be the same."""
    names = sorted(n for n in chains if n in used) or sorted(chains)
    if not names:
        return AclContent(True, ())
    first = chains[names[0]]
    entries = list(first)
    for n in names[1:]:
        if chains[n] != first:
            entries.append(AclEntry("other", f"chain {n} differs from {names[0]}"))
    return AclContent(True, tuple(entries))


class Nftables(ConfigReader):
    ACL_COMMAND = "/usr/sbin/nft -j list chain bridge camguard forward"
    TABLE_COMMAND = "/usr/sbin/nft -j list table bridge camguard"
    read_on_verify = False

    def acl_content(self, text: str) -> Optional[AclContent]:
        text = text.strip()
        if text.startswith("{"):
            return self._content_json(text)
        # the rendered commands of the acl template (what camguard defines)
        chains: Dict[str, List[AclEntry]] = {}
        for stmt in re.split(r"\s;\s|'", text):
            m = re.match(r"\s*add rule bridge camguard (cg_\w+) (.+?)\s*$", stmt)
            if m:
                chains.setdefault(m.group(1), []).append(classify_nft_rule(m.group(2)))
        if not chains:
            return None
        return _nft_chains_content(chains, set(chains))

    def _content_json(self, text: str) -> AclContent:
        try:
            data = json.loads(text)
        except ValueError:
            return AclContent(True, (AclEntry("other", "nft output is not JSON"),))
        chains: Dict[str, List[AclEntry]] = {}
        for item in data.get("nftables", []) if isinstance(data, dict) else []:
            if not isinstance(item, dict):
                continue
            chain = item.get("chain")
            if isinstance(chain, dict) and str(chain.get("name", "")).startswith("cg_"):
                chains.setdefault(str(chain["name"]), [])
            rule = item.get("rule")
            if isinstance(rule, dict) and str(rule.get("chain", "")).startswith("cg_"):
                expr = rule.get("expr")
                entry = classify_nft_rule(_nft_rule_text(expr if isinstance(expr, list) else []))
                chains.setdefault(str(rule["chain"]), []).append(entry)
        used = {f"cg_{re.sub(r'[^A-Za-z0-9_]', '_', i)}" for i in acl_ports_from_nft(text)}
        return _nft_chains_content(chains, used)

    def live_acl_content(
        self, transport: Transport, config: str, command: Callable[[str], str]
    ) -> Optional[AclContent]:
        out = transport.send_command(command(self.TABLE_COMMAND)).strip()
        if not out.startswith("{"):
            return ACL_ABSENT  # "No such file or directory": no camguard table
        return self._content_json(out)

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


def acl_content(platform: str, text: str) -> Optional[AclContent]:
    """The camguard ACL's entries according to a running configuration (None: the platform's
    configuration layout does not hold them)."""
    return _reader(platform).acl_content(text)


def vlan_exists(platform: str, text: str, vlan: int) -> Optional[bool]:
    """Whether a running configuration defines a VLAN with this ID, under any name (None: the
    platform's configuration layout does not tell); what a failed run removes only when it was
    not there before."""
    return _reader(platform).vlan_exists(text, vlan)


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
        content = layout.live_acl_content(transport, config, command)
        acl = layout.live_acl_ports(transport, platform, config, command)
        ports = data.ports
        disabled = layout.disabled_ports(platform, config)
        if disabled is not None:
            ports = [dataclasses.replace(p, enabled=p.name not in disabled) for p in ports]
        return LiveState(
            ports=ports, macs=data.macs, neighbors=data.neighbors, acl_ports=acl, running_config=config, acl=content
        )

    return read
