# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Cisco family of the parser contract: how each recorded ``cisco_ios``/``cisco_xe``/``cisco_nxos``
case is fed to our parser, and how its upstream expectation reads.

Every recorded Cisco case is either mapped to one of our getters in ``COMMAND_MAP`` or not run on
purpose (``SKIPPED``, with the reason); an unmapped command fails the contract suite, so a new
fixture can never be silently ignored.

The normalisers turn each upstream expectation (ntc-templates YAML rows, genieparser dicts,
NAPALM getter results) into the comparable tuples our records are projected onto:

* mac_table: ``(mac, vlan, interface)`` - the switch's own entries have interface ``""``.
* arp: ``(ip, mac, interface)``.
* lldp / cdp: ``(local_interface, remote_name, remote_port)``.
* switchport: ``(name, mode, access_vlan)``; interface_status: ``(name, description, enabled)``;
  trunk_lag: ``(name, lag, is_lag)``.

These are written independently of the parser (from the upstream field meanings), so that a
parser bug shows as a difference.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _contract as C

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import MacEntry, Neighbor

# (source, manifest command) -> (category of records, which raw file of the case to read)
COMMAND_MAP: Dict[Tuple[str, str], str] = {
    ("ntc-templates", "show_mac-address-table"): "mac_table",
    ("ntc-templates", "show_mac_address-table"): "mac_table",
    ("genieparser", "ShowMacAddressTable"): "mac_table",
    ("genieparser", "ShowMacAddressMacVlan"): "mac_table",
    ("genieparser", "ShowMacAddressTableDynamic"): "mac_table",
    ("genieparser", "ShowMacAddressTableDynamicAll"): "mac_table",
    ("genieparser", "ShowMacAddressTableVni"): "mac_table",
    ("napalm", "test_get_mac_address_table"): "mac_table",
    ("ntc-templates", "show_ip_arp"): "arp",
    ("ntc-templates", "show_ip_arp_detail"): "arp",
    ("ntc-templates", "show_ip_arp_detail_vrf_all"): "arp",
    ("genieparser", "ShowArp"): "arp",
    ("genieparser", "ShowIpArp"): "arp",
    ("genieparser", "ShowIpArpDetailVrfAll"): "arp",
    ("napalm", "test_get_arp_table"): "arp",
    ("ntc-templates", "show_lldp_neighbors_detail"): "lldp",
    ("genieparser", "ShowLldpNeighborsDetail"): "lldp",
    ("genieparser", "ShowLldpEntry"): "lldp",
    ("genieparser", "ShowLldpNeighborsInterfaceDetail"): "lldp",
    ("napalm", "test_get_lldp_neighbors_detail"): "lldp",
    ("napalm", "test_get_lldp_neighbors"): "lldp",
    ("ntc-templates", "show_cdp_neighbors_detail"): "cdp",
    ("genieparser", "ShowCdpNeighborsDetail"): "cdp",
    ("genieparser", "ShowCdpEntry"): "cdp",
    ("ntc-templates", "show_interfaces_switchport"): "switchport",
    ("ntc-templates", "show_interface_switchport"): "switchport",
    ("genieparser", "ShowInterfacesSwitchport"): "switchport",
    ("genieparser", "ShowInterfaceSwitchport"): "switchport",
    ("ntc-templates", "show_interfaces_status"): "interface_status",
    ("ntc-templates", "show_interface_status"): "interface_status",
    ("genieparser", "ShowInterfacesStatus"): "interface_status",
    ("genieparser", "ShowInterfaceStatus"): "interface_status",
    ("genieparser", "ShowInterfacesInterfaceStatus"): "interface_status",
    ("genieparser", "ShowInterfacesStatusModule"): "interface_status",
    ("ntc-templates", "show_etherchannel_summary"): "trunk_lag",
    ("ntc-templates", "show_port-channel_summary"): "trunk_lag",
}

# Cases deliberately not run through the text parsers, with the reason.
SKIPPED: Dict[Tuple[str, str], str] = {
    ("ntc-templates", "show_cdp_neighbors"): "summary table: the collector reads 'show cdp neighbors detail'",
    ("ntc-templates", "show_lldp_neighbors"): "summary table: the collector reads 'show lldp neighbors detail'",
    ("genieparser", "ShowCdpNeighbors"): "summary table: the collector reads 'show cdp neighbors detail'",
    ("genieparser", "ShowLldpNeighbors"): "summary table: the collector reads 'show lldp neighbors detail'",
    ("ntc-templates", "show_interfaces_status_err-disabled"): "err-disabled reasons are not collected",
    ("ntc-templates", "show_interface_status_err-disabled"): "err-disabled reasons are not collected",
    ("genieparser", "ShowInterfacesStatusErrDisabled"): "err-disabled reasons are not collected",
    ("ntc-templates", "show_interface_brief"): "the collector reads 'show interface status'",
    ("genieparser", "ShowInterfacesTrunk"): "trunk mode and VLANs come from 'show interfaces switchport'",
    ("napalm", "test_get_interfaces"): "raw is 'show interfaces' (NAPALM's own); expected covered by test_napalm",
    ("napalm", "test_get_vlans"): "VLAN tables are not collected",
}
SKIPPED_CATEGORIES = ("vlan",)

# The raw file of a NAPALM case that holds the text our parser reads.
NAPALM_RAW = {
    "mac_table": ("show_mac_address_table.txt",),
    "arp": ("show_arp___exclude_Incomplete.txt", "show_ip_arp_vrf_all___exc_INCOMPLETE.txt"),
    "lldp": ("show_lldp_neighbors_detail.txt",),
}


# --------------------------------------------------------------------------- normalising helpers

_SELF = re.compile(
    r"^(cpu|router|switch|stby-switch|drop|self|sup-eth\d*|vpc[ -]peer-link|vl\d+|vlan\d+)?$", re.IGNORECASE
)


def _vlan(value: Any) -> Optional[int]:
    text = str(value).strip()
    if text.isdigit() and 1 <= int(text) <= 4094:
        return int(text)
    return None


def _port(name: str, platform: str) -> str:
    """Upstream port name -> our interface ("" for the switch's own entries)."""
    base = re.sub(r"\(.*?\)", "", str(name)).strip()
    if _SELF.match(base):
        return ""
    return canonical_interface(base, platform)


def _is_mac(value: str) -> bool:
    try:
        normalize_mac(value)
    except ValueError:
        return False
    return True


def _mac(value: str) -> str:
    return normalize_mac(value)


Tuples = List[Tuple[Any, ...]]


def _split(text: str) -> List[str]:
    return [t for t in re.split(r"[,\s]+", str(text).replace("vPC Peer-Link", "vPC-Peer-Link")) if t]


# --------------------------------------------------------------------------- mac table


def upstream_mac(case: C.Case, data: Any) -> Tuples:
    p = case.key
    out: Tuples = []
    if case.source == "ntc-templates":
        for row in data.get("parsed_sample") or []:
            mac = row.get("destination_address") or row.get("mac_address")
            ports = row.get("destination_port") or row.get("ports") or []
            if isinstance(ports, str):
                ports = _split(ports)
            for port in ports:
                out.append((_mac(mac), _vlan(row.get("vlan_id", row.get("vlan"))), _port(port, p)))
    elif case.source == "napalm":
        for row in data:
            vlan = row["vlan"] if 1 <= int(row["vlan"]) <= 4094 else None
            out.append((_mac(row["mac"]), vlan, _port(row["interface"], p)))
    elif "mac_table" in data:
        for vkey, vdata in data["mac_table"]["vlans"].items():
            for mac, mdata in vdata.get("mac_addresses", {}).items():
                for iname in mdata.get("interfaces", {}):
                    out.append((_mac(mac), _vlan(vkey), _port(iname, p)))
                if "drop" in mdata:
                    out.append((_mac(mac), _vlan(vkey), ""))
    elif "macAddress" in data:
        for mac, row in data["macAddress"].items():
            for port in _split(row["Ports"]):
                out.append((_mac(mac), _vlan(row["VlanID"]), _port(port, p)))
    elif "ports" in data:
        for row in data["ports"].values():
            out.append((_mac(row["mac-address"]), _vlan(row["vlan-id"]), _port(row["port"], p)))
    elif "mac_address_table" in data:
        for row in data["mac_address_table"].values():
            for port in _split(row["ports"]):
                out.append((_mac(row["mac_address"]), _vlan(row["vlan"]), _port(port, p)))
    else:
        raise AssertionError(f"{case.case_id}: unknown genie MAC table layout {sorted(data)}")
    return sorted(out, key=repr)


# --------------------------------------------------------------------------- arp


def _arp_ok(mac: Any) -> bool:
    return bool(mac) and str(mac).lower() not in ("incomplete", "incomplete,")


def upstream_arp(case: C.Case, data: Any) -> Tuples:
    p = case.key
    out: Tuples = []
    if case.source == "ntc-templates":
        for row in data.get("parsed_sample") or []:
            mac = row.get("mac_address") or row.get("mac")
            if not _arp_ok(mac):
                continue
            intf = row.get("interface") or ""
            out.append((row["ip_address"], _mac(mac), "" if intf in ("-", "") else canonical_interface(intf, p)))
    elif case.source == "napalm":
        for row in data:
            out.append((row["ip"], _mac(row["mac"]), canonical_interface(row["interface"], p)))
    else:
        for iname, idata in (data.get("interfaces") or {}).items():
            for ip, n in idata.get("ipv4", {}).get("neighbors", {}).items():
                if _arp_ok(n.get("link_layer_address")):
                    out.append((ip, _mac(n["link_layer_address"]), canonical_interface(iname, p)))
        for ip, n in (data.get("global_static_table") or {}).items():
            if _arp_ok(n.get("mac_address")):
                out.append((ip, _mac(n["mac_address"]), ""))
    return sorted(out, key=repr)


# --------------------------------------------------------------------------- neighbours


def neighbor_name(system_name: Any, chassis_id: Any) -> str:
    name = str(system_name or "").strip()
    # NX-OS appends the chassis serial to CDP device ids: "OldAcc1(FOX1703GE2N)".
    name = re.sub(r"\([A-Z0-9]{8,}\)$", "", name)
    if not name or name.lower() in ("not advertised", "null"):
        return str(chassis_id or "").strip()
    return name


def remote_port(port: Any) -> str:
    """Remote ports compared in canonical Cisco spelling (Gi0/0 == GigabitEthernet0/0)."""
    return canonical_interface(str(port or "").strip(), "cisco_ios")


def upstream_neighbors(case: C.Case, data: Any) -> Tuples:
    p = case.key
    out: Tuples = []
    if case.source == "ntc-templates":
        for row in data.get("parsed_sample") or []:
            name = neighbor_name(row.get("neighbor_name"), row.get("chassis_id"))
            port = row.get("neighbor_interface", "")
            port_id = str(row.get("neighbor_port_id") or "")
            # Our convention: the LLDP Port ID, unless it is an ifIndex or a MAC address
            # (then the Port Description). ntc's IOS template gives both fields.
            if port_id and not port_id.isdigit() and not _is_mac(port_id):
                port = port_id
            out.append((canonical_interface(row["local_interface"], p), name, remote_port(port)))
    elif case.source == "napalm":
        for local, rows in data.items():
            for r in rows:
                name = neighbor_name(r.get("remote_system_name", r.get("hostname")), r.get("remote_chassis_id"))
                out.append((canonical_interface(local, p), name, remote_port(r.get("remote_port", r.get("port", "")))))
    elif "index" in data:
        for row in data["index"].values():
            out.append(
                (
                    canonical_interface(row["local_interface"], p),
                    neighbor_name(row["device_id"], ""),
                    remote_port(row.get("port_id", "")),
                )
            )
    elif "interface" in data and kind_of(case) == "cdp":
        for local, ldata in data["interface"].items():
            for port, pdata in ldata.get("port", {}).items():
                out.append((canonical_interface(local, p), neighbor_name(pdata["device_id"], ""), remote_port(port)))
    elif "interface" in data:
        for local, ldata in data["interface"].items():
            for port, pdata in ldata.get("port_id", {}).items():
                inst = pdata.get("local_intf_service_instance", {})
                name = neighbor_name(inst.get("system_name"), inst.get("chassis_id"))
                out.append((canonical_interface(local, p), name, remote_port(port)))
    elif "interfaces" in data:
        for local, ldata in data["interfaces"].items():
            for port, pdata in ldata.get("port_id", {}).items():
                for nkey, ndata in pdata.get("neighbors", {}).items():
                    name = neighbor_name(ndata.get("system_name", nkey), ndata.get("chassis_id"))
                    out.append((canonical_interface(local, p), name, remote_port(port)))
    return sorted(out, key=repr)


# --------------------------------------------------------------------------- ports


def _mode_of(oper: str, admin: str, enabled: Any) -> str:
    if str(enabled).lower() in ("false", "disabled"):
        return "routed"
    for text in (oper, admin):
        t = str(text or "").lower()
        if "trunk" in t or "tunnel" in t:
            return "trunk"
        if "access" in t:
            return "access"
    return "unknown"


def upstream_switchport(case: C.Case, data: Any) -> Tuples:
    p = case.key
    out: Tuples = []
    rows: Iterable[Tuple[str, str, str, Any, Any]]
    if case.source == "ntc-templates":
        rows = [
            (r["interface"], r.get("mode", ""), r.get("admin_mode", ""), r.get("switchport"), r.get("access_vlan"))
            for r in data.get("parsed_sample") or []
        ]
    else:
        rows = [
            (
                name,
                d.get("operational_mode", ""),
                d.get("switchport_mode", ""),
                d.get("switchport_enable", True),
                d.get("access_vlan"),
            )
            for name, d in data.items()
        ]
    for name, oper, admin, enabled, vlan in rows:
        mode = _mode_of(oper, admin, enabled)
        out.append((canonical_interface(name, p), mode, _vlan(vlan) if mode == "access" else None))
    return sorted(out, key=repr)


def upstream_status(case: C.Case, data: Any) -> Tuples:
    p = case.key
    out: Tuples = []
    if case.source == "ntc-templates":
        for r in data.get("parsed_sample") or []:
            desc = r.get("name", "")
            out.append((canonical_interface(r["port"], p), "" if desc == "--" else desc, _enabled(r.get("status"))))
    else:
        for name, d in data["interfaces"].items():
            desc = d.get("name", "")
            out.append((canonical_interface(name, p), "" if desc == "--" else desc, _enabled(d.get("status"))))
    return sorted(out, key=repr)


def _enabled(status: Any) -> bool:
    s = str(status or "").lower()
    return not (s.startswith("disabled") or s in ("sfpabsent", "xcvrabsen", "adm-down"))


def upstream_lag(case: C.Case, data: Any) -> Tuples:
    p = case.key
    out: Tuples = []
    for r in data.get("parsed_sample") or []:
        agg = canonical_interface(r["bundle_name"], p)
        out.append((agg, None, True))
        for m in r.get("member_interface") or []:
            if m and m != "--":
                out.append((canonical_interface(m, p), agg, False))
    return sorted(set(out), key=repr)


UPSTREAM = {
    "mac_table": upstream_mac,
    "arp": upstream_arp,
    "lldp": upstream_neighbors,
    "cdp": upstream_neighbors,
    "switchport": upstream_switchport,
    "interface_status": upstream_status,
    "trunk_lag": upstream_lag,
}


# --------------------------------------------------------------------------- our side


def project(kind: str, records: List[Any]) -> Tuples:
    if kind == "mac_table":
        out = [(r.mac, r.vlan, r.interface) for r in records]
    elif kind == "arp":
        out = [(r.ip, r.mac, r.interface) for r in records]
    elif kind in ("lldp", "cdp"):
        out = [(r.local_interface, r.remote_name, remote_port(r.remote_port)) for r in records]
    elif kind == "switchport":
        out = [(r.name, r.mode, r.access_vlan) for r in records]
    elif kind == "interface_status":
        out = [(r.name, r.description, r.enabled) for r in records]
    elif kind == "trunk_lag":
        out = sorted({(r.name, r.lag, r.is_lag) for r in records}, key=repr)
    else:
        raise AssertionError(kind)
    return sorted(out, key=repr)


# --------------------------------------------------------------------------- the family


def kind_of(case: C.Case) -> str:
    return COMMAND_MAP[(case.source, case.command)]


def raw_text(case: C.Case) -> str:
    raws = case.raw
    if case.source == "napalm":
        names = NAPALM_RAW[kind_of(case)]
        raws = [r for r in case.raw if r.name in names]
    if len(raws) != 1:
        raise AssertionError(f"{case.case_id}: expected one raw file, found {[r.name for r in raws]}")
    return raws[0].read_text(encoding="utf-8", errors="replace")


def build(case: C.Case) -> C.Built:
    kind = kind_of(case)
    spec = C.PARSERS[case.key]
    text = raw_text(case)
    if kind == "mac_table":
        parser, cmd = spec.parse_mac_table, spec.commands["mac_table"][0]
    elif kind == "arp":
        parser, cmd = spec.parse_arp, spec.commands["arp"][0]
    elif kind in ("lldp", "cdp"):
        lldp_cmd, cdp_cmd = spec.commands["neighbors"]
        parser, cmd = spec.parse_neighbors, lldp_cmd if kind == "lldp" else cdp_cmd
    else:
        sw_cmd, status_cmd, lag_cmd = spec.commands["ports"]
        parser = spec.parse_ports
        cmd = {"switchport": sw_cmd, "interface_status": status_cmd, "trunk_lag": lag_cmd}[kind]
    return C.Built(parser, {cmd: text}, UPSTREAM[kind](case, case.read_expected()), lambda recs: project(kind, recs))


def rule(case: C.Case) -> Optional[str]:
    if case.category in SKIPPED_CATEGORIES:
        return f"{case.category} tables are not collected"
    reason = SKIPPED.get((case.source, case.command))
    if reason is not None:
        return reason
    if case.case_id.startswith("napalm/nxos/") and (case.source, case.command) in COMMAND_MAP:
        return "NX-API JSON outputs of NAPALM's nxos driver are not CLI text; _collect/test_napalm.py covers them"
    return None


def record_check(rec: Any) -> None:
    """Cisco names every neighbour (Device ID, else chassis id), and only own entries lack a port."""
    if isinstance(rec, MacEntry):
        assert (rec.interface == "") == (rec.kind == "self"), rec
    elif isinstance(rec, Neighbor):
        assert rec.remote_name and rec.local_interface, rec


CISCO = C.Family(
    name="cisco",
    platforms=("cisco_ios", "cisco_nxos"),
    switch="sw1",
    builders={key: build for key in COMMAND_MAP},
    key=lambda case: (case.source, case.command),
    rule=rule,
    golden_folder="cisco",
    golden_indent=1,
    seed_limit=6000,
    record_check=record_check,
)
