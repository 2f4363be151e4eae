# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data contract of ``_records`` as one test check, shared by the fuzz suite over all platforms
(``hardening/test_fuzz_all.py``) and the parser contract suite (``_collect/parsers/test_contract.py``).

    from record_contract import check_record
    check_record(entry, "cisco_ios")
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from ansible_collections.camguard.network.plugins.module_utils._ifname import canonical_interface
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import (
    ENTRY_KINDS,
    PORT_MODES,
    ArpEntry,
    MacEntry,
    Neighbor,
    PortInfo,
)


def _canonical(name: str, platform: str) -> None:
    assert isinstance(name, str)
    assert canonical_interface(name, platform) == name, f"{name!r} is not canonical on {platform}"
    assert canonical_interface(canonical_interface(name, platform), platform) == canonical_interface(name, platform)


def _vlan_ok(v: Any) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4094)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _printable(text: str) -> bool:
    return not _CONTROL.search(text)


def check_record(rec: Any, platform: str, collected: bool = False) -> None:
    """The data contract of ``_records`` for one parsed record. ARP addresses are matched loosely
    by the parsers and validated once by the collector (``collected``: strict)."""
    if isinstance(rec, MacEntry):
        assert normalize_mac(rec.mac) == rec.mac, rec
        assert _vlan_ok(rec.vlan), rec
        assert rec.kind in ENTRY_KINDS, rec
        assert isinstance(rec.static, bool)
        _canonical(rec.interface, platform)
        if rec.kind != "self":
            assert rec.interface, f"an endpoint entry without interface: {rec}"
    elif isinstance(rec, ArpEntry):
        assert normalize_mac(rec.mac) == rec.mac, rec
        if collected:
            assert str(ipaddress.ip_address(rec.ip)) == rec.ip, rec
        else:
            assert rec.ip and not any(c.isspace() or not c.isprintable() for c in rec.ip), rec
        _canonical(rec.interface, platform)
        assert isinstance(rec.vrf, str) and rec.vrf
    elif isinstance(rec, Neighbor):
        assert rec.local_interface and isinstance(rec.remote_name, str), rec
        if collected:  # device text leaves the collector printable (parsers.common.printable)
            assert _printable(rec.remote_name) and _printable(rec.remote_port), rec
        _canonical(rec.local_interface, platform)
        assert set(rec.capabilities) <= {"bridge", "router", "station", "phone", "wlan", "other"}, rec
        assert rec.protocol in ("lldp", "cdp"), rec
        if rec.remote_mac is not None:
            assert normalize_mac(rec.remote_mac) == rec.remote_mac, rec
    elif isinstance(rec, PortInfo):
        assert rec.name, rec
        _canonical(rec.name, platform)
        assert rec.mode in PORT_MODES, rec
        assert _vlan_ok(rec.access_vlan), rec
        assert all(_vlan_ok(v) and v is not None for v in rec.trunk_vlans), rec
        assert isinstance(rec.description, str) and isinstance(rec.enabled, bool)
        if collected:
            assert _printable(rec.description), rec
        if rec.lag is not None:
            _canonical(rec.lag, platform)
    else:  # pragma: no cover - a new record type must be added here
        raise AssertionError(f"unexpected record type {type(rec).__name__}")
