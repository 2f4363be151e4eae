# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stage 3, locate: which port is a device plugged into?

The same MAC is learned on every switch between the device and the rest of the network. Its
edge port is the access port where it is learned that is NOT:

* a trunk, routed or unknown-mode port that carries other switches' traffic,
* a link aggregate or a member of one,
* a port with an LLDP/CDP neighbour that is a bridge, router or WLAN controller (when
  ``trust_lldp``), or whose neighbour is another polled switch,
* a port that also learns another polled switch's own MAC,
* a port whose name matches one of the uplink patterns.

A port with more distinct endpoint MACs than ``max_macs_per_edge_port`` is an unmanaged switch
or a hub: the device is located there with confidence ``ambiguous``. A MAC seen only on uplinks
is ``uplink-only``. Every finding carries the evidence that decided it, as readable sentences.

An IP phone is an endpoint, whatever else it announces: phones bridge their PC port, so they
advertise the Bridge capability next to Telephone, and a camera on the PC port is learned on
the switch port together with the phone. A neighbour with the telephone capability never makes
its port an uplink, and the phone's own MAC (its LLDP chassis MAC) does not count towards
``max_macs_per_edge_port``.

Pure and typed: input ``SwitchData`` records and a verdict function, output ``Finding`` records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import AbstractSet, Callable, Dict, Iterable, List, Mapping, Optional, Pattern, Sequence, Set, Tuple

from ansible_collections.camguard.network.plugins.module_utils._ifname import short_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import (
    CamguardError,
    ConfigError,
    Finding,
    PortInfo,
    SwitchData,
    Verdict,
)

DEFAULT_NVR_PATTERNS = (
    r"\bnvr\b",
    r"\bdvr\b",
    r"\bxvr\b",
    r"^ds-(7|8|9)\d",  # Hikvision NVR/DVR model families (DS-76xx, DS-77xx, DS-96xx...)
    r"^dhi-nvr",
    r"^nvr\d",
    r"\brecorder\b",
)

_RECORDER_RES = [re.compile(p, re.IGNORECASE) for p in DEFAULT_NVR_PATTERNS]


def is_recorder_name(name: str) -> bool:
    """An LLDP/CDP system name that identifies an NVR/DVR (it bridges its own PoE ports, so it
    may advertise "bridge", but it is an endpoint to the switch, not an uplink)."""
    return any(r.search(name) for r in _RECORDER_RES)


VerdictFn = Callable[[str, str, str], Verdict]  # (mac, switch, interface) -> Verdict


@dataclass(frozen=True)
class LocateOptions:
    max_macs_per_edge_port: int = 1
    uplink_patterns: Tuple[str, ...] = ()
    trust_lldp: bool = True
    nvr_patterns: Tuple[str, ...] = DEFAULT_NVR_PATTERNS
    nvr_hints: Tuple[str, ...] = ()  # canonical MACs known to be NVRs

    def compiled_uplinks(self) -> List[Pattern[str]]:
        out = []
        for p in self.uplink_patterns:
            try:
                out.append(re.compile(p))
            except re.error as exc:
                raise ConfigError(f"location option uplink_patterns: invalid regular expression {p!r}: {exc}") from None
        return out

    def compiled_nvr(self) -> List[Pattern[str]]:
        out = []
        for p in self.nvr_patterns:
            try:
                out.append(re.compile(p, re.IGNORECASE))
            except re.error as exc:
                raise ConfigError(f"location option nvr_patterns: invalid regular expression {p!r}: {exc}") from None
        return out


@dataclass
class PortFacts:
    """What we know about one (switch, port) — computed once per run."""

    switch: str
    name: str
    info: Optional[PortInfo] = None
    macs: Set[str] = field(default_factory=set)
    neighbor_names: List[str] = field(default_factory=list)
    neighbor_is_network: bool = False
    neighbor_is_polled_switch: bool = False
    sees_switch_macs: Set[str] = field(default_factory=set)  # other switches seen here
    uplink_pattern: bool = False
    nvr_neighbor: Optional[str] = None
    phone_neighbor: Optional[str] = None  # an IP phone (LLDP/CDP telephone capability) on this port
    phone_macs: Set[str] = field(default_factory=set)  # its chassis MACs: the phone, not a device behind it
    limits: Mapping[str, str] = field(default_factory=dict)  # SwitchData.limits: what the collector could not read

    def endpoint_macs(self) -> Set[str]:
        """The MACs learned here that count as devices on the port (the phone's own excluded)."""
        return self.macs - self.phone_macs if self.phone_macs else self.macs

    def uplink_reasons(self) -> List[str]:
        """Why this port is not an edge port (empty list: it can be one)."""
        r: List[str] = []
        info = self.info
        label = short_interface(self.name)
        if info is not None:
            if info.is_lag:
                r.append(f"{label} is a link aggregate")
            if info.lag:
                r.append(f"{label} is a member of {short_interface(info.lag)}")
            if info.mode == "trunk":
                r.append(f"{label} is a trunk")
            elif info.mode == "routed":
                r.append(f"{label} is a routed port")
        if self.neighbor_is_polled_switch:
            r.append(f"{label} has polled switch {', '.join(sorted(set(self.neighbor_names)))} as LLDP/CDP neighbour")
        elif self.neighbor_is_network:
            r.append(f"{label} has a bridge/router LLDP/CDP neighbour ({', '.join(sorted(set(self.neighbor_names)))})")
        if self.sees_switch_macs:
            r.append(f"{label} learns the MAC of polled switch {', '.join(sorted(self.sees_switch_macs))}")
        if self.uplink_pattern:
            r.append(f"{label} matches an uplink name pattern")
        return r


def _port_key(switch: str, port: str) -> Tuple[str, str]:
    return (switch, port)


def build_port_facts(
    switches: Sequence[SwitchData],
    options: LocateOptions,
    only: Optional[Mapping[str, AbstractSet[str]]] = None,
) -> Dict[Tuple[str, str], PortFacts]:
    """Facts for every port of every switch, or with ``only`` ({switch: {port, ...}}) for those
    ports alone (the ports a located MAC is learned on: nothing else is ever looked up)."""
    uplink_res = options.compiled_uplinks()
    nvr_res = options.compiled_nvr()
    names = {s.switch.lower() for s in switches}
    # short host names too: LLDP often reports "sw1.example.net" or "sw1"
    names |= {n.split(".")[0] for n in names}
    owner_of: Dict[str, str] = {}
    for s in switches:
        for own_mac in s.own_macs:
            owner_of[own_mac] = s.switch
    facts: Dict[Tuple[str, str], PortFacts] = {}

    limits = {s.switch: s.limits for s in switches if s.limits}

    def get(switch: str, port: str) -> PortFacts:
        k = _port_key(switch, port)
        pf = facts.get(k)
        if pf is None:
            pf = PortFacts(switch=switch, name=port, limits=limits.get(switch, {}))
            if uplink_res:
                pf.uplink_pattern = any(r.search(port) for r in uplink_res)
            facts[k] = pf
        return pf

    for s in switches:
        want: Optional[AbstractSet[str]] = None
        if only is not None:
            want = only.get(s.switch)
            if not want:
                continue
        for p in s.ports:
            if want is None or p.name in want:
                get(s.switch, p.name).info = p
        for n in s.neighbors:
            if want is not None and n.local_interface not in want:
                continue
            pf = get(s.switch, n.local_interface)
            pf.neighbor_names.append(n.remote_name)
            rn = n.remote_name.lower()
            if rn in names or rn.split(".")[0] in names or (n.remote_mac and n.remote_mac in owner_of):
                pf.neighbor_is_polled_switch = True
            is_recorder = any(r.search(n.remote_name) for r in nvr_res)
            if is_recorder:
                # an NVR bridges its own PoE ports, so it may advertise "bridge": it is still an
                # endpoint of this switch, not an uplink
                pf.nvr_neighbor = n.remote_name
            elif "phone" in n.capabilities:
                # an IP phone bridges its PC port and says "bridge" too: an endpoint all the same
                pf.phone_neighbor = n.remote_name
                if n.remote_mac:
                    pf.phone_macs.add(n.remote_mac)
            elif options.trust_lldp and n.is_network_device:
                pf.neighbor_is_network = True
        for m in s.macs:
            if m.kind == "self" or not m.interface or (want is not None and m.interface not in want):
                continue
            pf = get(s.switch, m.interface)
            owner = owner_of.get(m.mac)
            if owner is not None and owner != s.switch:
                pf.sees_switch_macs.add(owner)
                continue
            try:
                if (mac_to_int(m.mac) >> 40) & 0x01:
                    continue
            except CamguardError:
                continue
            pf.macs.add(m.mac)
    return facts


@dataclass
class Sighting:
    switch: str
    interface: str
    vlan: Optional[int]


def _ip_index(switches: Iterable[SwitchData], only: Optional[AbstractSet[str]] = None) -> Dict[str, List[str]]:
    ips: Dict[str, List[str]] = {}
    for s in switches:
        for a in s.arp:
            if only is not None and a.mac not in only:
                continue
            lst = ips.setdefault(a.mac, [])
            if a.ip not in lst:
                lst.append(a.ip)
    return ips


def locate(
    switches: Sequence[SwitchData],
    verdict_for: VerdictFn,
    options: Optional[LocateOptions] = None,
    seen_at: Optional[str] = None,
    only_restricted: bool = True,
    prefilter: Optional[Callable[[Sequence[str]], Set[str]]] = None,
) -> List[Finding]:
    """Attribute every (restricted) MAC to its edge port across all polled switches.

    ``prefilter`` (optional) returns, from all the MACs seen, the ones that may be restricted,
    with the classifier's bulk path; full verdicts are then built only for those, and only their
    sightings, ports and ARP entries are indexed. Without one, a ``prefilter`` attribute of
    ``verdict_for`` (the plugin's verdict function has one) is used.
    """
    options = options or LocateOptions()
    if only_restricted and prefilter is None:
        prefilter = getattr(verdict_for, "prefilter", None)
    own = {m for s in switches for m in s.own_macs}
    keep: Optional[AbstractSet[str]] = None
    if only_restricted and prefilter is not None:
        seen = {m.mac for s in switches for m in s.macs if m.interface and m.kind != "self"}
        keep = prefilter(list(seen - own))
    sightings: Dict[str, List[Sighting]] = {}
    for s in switches:
        sw = s.switch
        for m in s.macs:
            mac = m.mac
            if (keep is not None and mac not in keep) or m.kind == "self" or not m.interface or mac in own:
                continue
            where = sightings.get(mac)
            if where is None:
                sightings[mac] = where = []
            where.append(Sighting(sw, m.interface, m.vlan))
    interest: Dict[str, Set[str]] = {}
    for seen_on in sightings.values():
        for sg in seen_on:
            ports = interest.get(sg.switch)
            if ports is None:
                interest[sg.switch] = ports = set()
            ports.add(sg.interface)
    facts = build_port_facts(switches, options, only=interest)
    ips = _ip_index(switches, keep)
    findings: List[Finding] = []
    candidates = sorted(sightings)
    for mac in candidates:
        try:
            first_octet = mac_to_int(mac) >> 40
        except CamguardError:
            continue
        if first_octet & 0x01:
            continue  # multicast: never an endpoint
        where = sightings[mac]
        first = where[0]
        verdict = verdict_for(mac, first.switch, first.interface)
        if only_restricted and not verdict.restricted:
            continue
        finding = attribute(mac, where, facts, verdict_for, verdict, options)
        ip_list = ips.get(mac, [])
        finding.ip = ip_list[0] if ip_list else None
        if len(ip_list) > 1:
            finding.evidence.append(f"answers ARP for {len(ip_list)} addresses ({', '.join(ip_list[:4])})")
        finding.first_seen = seen_at
        finding.last_seen = seen_at
        findings.append(finding)
    return findings


def attribute(
    mac: str,
    where: Sequence[Sighting],
    facts: Mapping[Tuple[str, str], PortFacts],
    verdict_for: VerdictFn,
    verdict: Verdict,
    options: LocateOptions,
) -> Finding:
    edge: List[Tuple[Sighting, PortFacts]] = []
    crowded: List[Tuple[Sighting, PortFacts]] = []
    uplinks: List[Tuple[Sighting, PortFacts, List[str]]] = []
    for s in where:
        pf = facts.get((s.switch, s.interface)) or PortFacts(switch=s.switch, name=s.interface)
        reasons = pf.uplink_reasons()
        if reasons:
            uplinks.append((s, pf, reasons))
        elif len(pf.endpoint_macs()) > options.max_macs_per_edge_port:
            crowded.append((s, pf))
        else:
            edge.append((s, pf))
    evidence: List[str] = []
    seen_on = [(s.switch, s.interface) for s in where]
    for s, _pf, reasons in uplinks:
        evidence.append(f"{s.switch} {'; '.join(reasons)}: not the edge")

    def describe(s: Sighting, pf: PortFacts) -> str:
        mode = pf.info.mode if pf.info is not None else "unknown mode"
        n = len(pf.endpoint_macs())
        lldp = "no LLDP/CDP neighbour" if not pf.neighbor_names else f"LLDP/CDP neighbour {pf.neighbor_names[0]}"
        # what the collector could not read (SNMP) is said, not guessed
        if mode in ("unknown", "unknown mode") and "mode" in pf.limits:
            mode = pf.limits["mode"]
        if not pf.neighbor_names and "neighbors" in pf.limits:
            lldp = pf.limits["neighbors"]
        return f"{s.switch} {short_interface(s.interface)}: {mode}, {n} MAC{'s' if n != 1 else ''}, {lldp}"

    if len(edge) == 1:
        s, pf = edge[0]
        confidence = "edge"
        evidence.insert(0, describe(s, pf))
        if pf.phone_neighbor and mac not in pf.phone_macs:
            evidence.append(
                f"shares {short_interface(s.interface)} with IP phone {pf.phone_neighbor} (LLDP/CDP telephone "
                "capability): on the phone's PC port; isolating the port cuts the phone too"
            )
        if len(pf.endpoint_macs()) == 1 and verdict.restricted and (pf.nvr_neighbor or mac in options.nvr_hints):
            name = pf.nvr_neighbor or "listed NVR"
            evidence.append(
                f"sole MAC on the port and identifies as a recorder ({name}): cameras on its own PoE ports "
                "are hidden from the switch — inspect the NVR"
            )
        chosen = s
    elif len(edge) > 1:
        confidence = "ambiguous"
        for s, pf in edge:
            evidence.append(describe(s, pf))
        evidence.append(f"learned on {len(edge)} access ports (moved device, loop, or stale entry)")
        chosen = min(edge, key=lambda e: (len(e[1].endpoint_macs()), e[0].switch, e[0].interface))[0]
    elif crowded:
        confidence = "ambiguous"
        s, pf = min(crowded, key=lambda e: (len(e[1].endpoint_macs()), e[0].switch, e[0].interface))
        evidence.insert(0, describe(s, pf))
        evidence.append(
            f"{len(pf.endpoint_macs())} MACs on {short_interface(s.interface)} exceed {options.max_macs_per_edge_port}: "
            "an unmanaged switch, hub or NVR is probably below this port"
        )
        chosen = s
    else:
        confidence = "uplink-only"
        s, _pf, _r = min(uplinks, key=lambda e: (len(e[1].macs), e[0].switch, e[0].interface))
        evidence.append(
            "seen only on uplinks: the device sits behind equipment that is not polled "
            "(an unmanaged switch, an NVR's PoE ports, or a switch missing from the inventory)"
        )
        chosen = s
    if chosen.switch != where[0].switch or chosen.interface != where[0].interface:
        verdict = verdict_for(mac, chosen.switch, chosen.interface)
    if verdict.waiver is not None:
        w = verdict.waiver
        state = "EXPIRED" if w.expired else "active"
        evidence.append(f"waiver {w.ticket} ({state}, expires {w.expires}, owner {w.owner})")
    return Finding(
        mac=mac,
        switch=chosen.switch,
        interface=chosen.interface,
        vlan=chosen.vlan,
        verdict=verdict,
        location_confidence=confidence,
        evidence=evidence,
        seen_on=seen_on,
    )


def edge_ports(
    switches: Sequence[SwitchData], options: Optional[LocateOptions] = None
) -> Dict[Tuple[str, str], List[str]]:
    """Every (switch, port) and the reasons it is *not* an edge port (empty: edge)."""
    facts = build_port_facts(switches, options or LocateOptions())
    return {k: v.uplink_reasons() for k, v in facts.items()}
