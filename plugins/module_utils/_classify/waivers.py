# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waivers: named exceptions for one device (by MAC) or one switch port, each with an owner, a
reason, a ticket and an expiry date.

File format (YAML): a list, or a mapping with a ``waivers`` list, of entries

.. code-block:: yaml

    - mac: bc:ad:28:12:34:56          # any MAC spelling
      owner: facilities@example.org
      reason: Lift-lobby camera, replacement ordered
      ticket: CHG-1042
      expires: 2027-03-31             # inclusive
    - switch: sw-lobby-01             # inventory name of the switch
      interface: Gi1/0/12             # any spelling; platform optional, for canonical names
      platform: cisco_ios
      owner: ...

A waiver protects through its expiry date (``Waiver.active_on``, the one rule of expiry). After it,
the waiver is still attached to the verdict with ``expired: true`` so that reports show it, but it
no longer protects. Errors name the file, the entry index and the key.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._classify.policy import load_yaml_file
from ansible_collections.camguard.network.plugins.module_utils._ifname import (
    canonical_interface,
    is_safe_interface,
    short_interface,
)
from ansible_collections.camguard.network.plugins.module_utils._mac import int_to_mac, mac_to_int
from ansible_collections.camguard.network.plugins.module_utils._records import InvalidMacError, PolicyError, Waiver

WAIVER_KEYS = ("mac", "switch", "interface", "platform", "owner", "reason", "ticket", "expires")
_REQUIRED = ("owner", "reason", "ticket", "expires")


def port_key(switch: str, interface: str, platform: Optional[str] = None) -> Tuple[str, str]:
    """Join key for a switch port: ``Gi1/0/5``, ``gi1/0/5`` and ``GigabitEthernet1/0/5`` agree."""
    name = canonical_interface(interface, platform or "cisco_ios")
    return switch.strip().lower(), short_interface(name).lower()


def parse_date(value: Any, source: str, path: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise PolicyError(f"{source}: {path}: expected a date YYYY-MM-DD, got a date and time {value!s}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PolicyError(f"{source}: {path}: expected a date YYYY-MM-DD, got {value!r}")


class WaiverSet:
    """Waivers indexed by MAC and by switch port."""

    def __init__(self, waivers: Sequence[Waiver] = (), source: str = "waivers") -> None:
        self.source = source
        self.waivers: Tuple[Waiver, ...] = tuple(waivers)
        self._expiry: Dict[int, datetime.date] = {}  # the order among candidates: the latest expiry wins
        self.by_mac: Dict[int, List[Waiver]] = {}
        self.by_port: Dict[Tuple[str, str], List[Waiver]] = {}
        for w in self.waivers:
            self._expiry[id(w)] = datetime.date.fromisoformat(w.expires)
            if w.mac:
                self.by_mac.setdefault(mac_to_int(w.mac), []).append(w)
            elif w.switch and w.interface:
                self.by_port.setdefault(port_key(w.switch, w.interface), []).append(w)

    def __len__(self) -> int:
        return len(self.waivers)

    def find(
        self,
        mac_int: int,
        switch: Optional[str] = None,
        interface: Optional[str] = None,
        today: Optional[datetime.date] = None,
    ) -> Optional[Waiver]:
        """The waiver covering this MAC (or port): an active one first, else the latest expired one.

        The returned record carries ``expired`` computed against ``today`` (default: the local date).
        """
        candidates: List[Waiver] = list(self.by_mac.get(mac_int, ()))
        if switch and interface and self.by_port:
            with contextlib.suppress(TypeError, ValueError):
                candidates.extend(self.by_port.get(port_key(switch, interface), ()))
        if not candidates:
            return None
        day = today or datetime.date.today()
        best = max(candidates, key=lambda w: self._expiry[id(w)])
        return replace(best, expired=not best.active_on(day))

    def expired(self, today: Optional[datetime.date] = None) -> List[Waiver]:
        day = today or datetime.date.today()
        return [replace(w, expired=True) for w in self.waivers if not w.active_on(day)]


def load_waivers(data: Any, source: str = "waivers") -> WaiverSet:
    """Validate a parsed waiver document (list, or mapping with ``waivers``)."""
    if data is None:
        return WaiverSet((), source)
    if isinstance(data, Mapping):
        extra = [k for k in data if k != "waivers"]
        if extra:
            raise PolicyError(f"{source}: {extra[0]}: unknown top-level key; expected a list or a 'waivers' list")
        data = data.get("waivers")
    if not isinstance(data, (list, tuple)):
        raise PolicyError(f"{source}: (top level): expected a list of waivers, got {type(data).__name__}")
    out: List[Waiver] = []
    for i, entry in enumerate(data):
        where = f"{source}: entry {i}"
        if not isinstance(entry, Mapping):
            raise PolicyError(f"{where}: expected a mapping, got {type(entry).__name__}")
        for k in entry:
            if k not in WAIVER_KEYS:
                raise PolicyError(f"{where}: key {k!r}: unknown key; allowed: {', '.join(WAIVER_KEYS)}")
        for k in _REQUIRED:
            v = entry.get(k)
            if v is None or (isinstance(v, str) and not v.strip()):
                raise PolicyError(f"{where}: key {k!r}: required")
        fields: Dict[str, str] = {}
        for k in ("owner", "reason", "ticket"):
            v = entry[k]
            if not isinstance(v, (str, int)) or isinstance(v, bool):
                raise PolicyError(f"{where}: key {k!r}: expected a string, got {type(v).__name__}")
            fields[k] = str(v).strip()
        expires = parse_date(entry["expires"], where, "key 'expires'")
        mac: Optional[str] = None
        switch: Optional[str] = None
        interface: Optional[str] = None
        if entry.get("mac") is not None:
            if entry.get("switch") is not None or entry.get("interface") is not None:
                raise PolicyError(f"{where}: key 'mac': give either mac or switch + interface, not both")
            try:
                mac = int_to_mac(mac_to_int(entry["mac"]))
            except InvalidMacError as e:
                raise PolicyError(f"{where}: key 'mac': {e}") from e
        else:
            for k in ("switch", "interface"):
                v = entry.get(k)
                if not isinstance(v, str) or not v.strip():
                    raise PolicyError(
                        f"{where}: key {k!r}: required (a waiver names a mac, or a switch and an interface)"
                    )
            switch = str(entry["switch"]).strip()
            iface = str(entry["interface"]).strip()
            if not is_safe_interface(iface):
                raise PolicyError(f"{where}: key 'interface': {iface!r} is not a valid interface name")
            platform = entry.get("platform")
            if platform is not None and not isinstance(platform, str):
                raise PolicyError(f"{where}: key 'platform': expected a string, got {type(platform).__name__}")
            interface = canonical_interface(iface, platform) if platform else iface
        out.append(
            Waiver(
                owner=fields["owner"],
                reason=fields["reason"],
                ticket=fields["ticket"],
                expires=expires.isoformat(),
                mac=mac,
                switch=switch,
                interface=interface,
            )
        )
    return WaiverSet(out, source)


def load_waivers_file(path: str) -> WaiverSet:
    """Read and validate a waiver YAML file; errors name the file."""
    return load_waivers(load_yaml_file(path, "waiver"), path)
