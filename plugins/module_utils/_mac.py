# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MAC address parsing: every spelling seen on switches, one canonical form.

Accepted spellings (any case, surrounding white space ignored):
``aabb.ccdd.eeff`` (Cisco), ``aabb-ccdd-eeff`` (Huawei, Comware), ``aa:bb:cc:dd:ee:ff``, ``aa-bb-cc-dd-ee-ff``, ``aabbcc-ddeeff``
(HP/Aruba), ``aabbccddeeff`` (bare), and single-digit octets with colons as printed by some
Linux tools and Junos (``0:1b:2:3:4:5``). Everything else raises ``InvalidMacError``
with the reason.
"""

from __future__ import annotations

import re
from typing import Dict, Optional

from ansible_collections.camguard.network.plugins.module_utils._errors import InvalidMacError

_HEX = "0123456789abcdef"
_SEP_GROUPS = {
    ".": (3, 4),  # aabb.ccdd.eeff
    ":": (6, 2),
    "-": (6, 2),
}
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_LOOSE_COLON = re.compile(r"^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$")

# Cache of canonical strings for the hot path (classification of large tables):
# most MACs repeat across switches, so a small dict saves the re-parse.
_CACHE: Dict[str, int] = {}
_CACHE_MAX = 1 << 18


def _reason(value: object) -> str:
    if not isinstance(value, str):
        return f"expected a string, got {type(value).__name__}"
    s = value.strip()
    if not s:
        return "empty string"
    if len(s) > 32:
        return "too long for a MAC address"
    bad = sorted({c for c in s if c not in _HEXDIGITS and c not in ".:-"})
    if bad:
        return "contains characters that are not hex digits or separators: " + repr("".join(bad)[:10])
    return (
        "not a MAC address spelling used by switches (expected e.g. aabb.ccdd.eeff, aa:bb:cc:dd:ee:ff, aabbcc-ddeeff)"
    )


def mac_to_int(value: str) -> int:
    """Parse ``value`` in any accepted spelling and return the 48-bit integer."""
    cached = _CACHE.get(value) if isinstance(value, str) else None
    if cached is not None:
        return cached
    if not isinstance(value, str):
        raise InvalidMacError(f"invalid MAC address {value!r}: {_reason(value)}")
    s = value.strip()
    n = len(s)
    digits: Optional[str] = None
    if n == 12:
        digits = s
    elif n == 14 and s[4] == s[9] and s[4] in ".-":
        digits = s[0:4] + s[5:9] + s[10:14]  # aabb.ccdd.eeff (Cisco), aabb-ccdd-eeff (Huawei, Comware)
    elif n == 17:
        sep = s[2]
        if sep in ":-" and all(s[i] == sep for i in (2, 5, 8, 11, 14)):
            digits = s[0:2] + s[3:5] + s[6:8] + s[9:11] + s[12:14] + s[15:17]
    elif n == 13 and s[6] == "-":
        digits = s[0:6] + s[7:13]
    if (digits is None or not _HEXDIGITS.issuperset(digits)) and 11 <= n < 17 and _LOOSE_COLON.match(s):
        digits = "".join(p.rjust(2, "0") for p in s.split(":"))
    if digits is None or len(digits) != 12 or not _HEXDIGITS.issuperset(digits):
        raise InvalidMacError(f"invalid MAC address {value!r}: {_reason(value)}")
    result = int(digits, 16)
    if len(_CACHE) < _CACHE_MAX:
        _CACHE[value] = result
    return result


def int_to_mac(value: int) -> str:
    """Canonical ``aa:bb:cc:dd:ee:ff`` for a 48-bit integer."""
    h = f"{value:012x}"
    return f"{h[0:2]}:{h[2:4]}:{h[4:6]}:{h[6:8]}:{h[8:10]}:{h[10:12]}"


def normalize_mac(value: str) -> str:
    """Return the canonical form of a MAC address or raise ``InvalidMacError``."""
    return int_to_mac(mac_to_int(value))


def is_mac(value: object) -> bool:
    try:
        mac_to_int(value)  # type: ignore[arg-type]
    except InvalidMacError:
        return False
    return True


def is_multicast(mac_int: int) -> bool:
    return bool((mac_int >> 40) & 0x01)


def is_locally_administered(mac_int: int) -> bool:
    return bool((mac_int >> 40) & 0x02)


def is_local_or_multicast(mac_int: int) -> bool:
    """True for addresses that must never be looked up in a registry."""
    return bool((mac_int >> 40) & 0x03)


def to_cisco(mac: str) -> str:
    h = f"{mac_to_int(mac):012x}"
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def to_hp(mac: str) -> str:
    h = f"{mac_to_int(mac):012x}"
    return f"{h[0:6]}-{h[6:12]}"


def to_huawei(mac: str) -> str:
    h = f"{mac_to_int(mac):012x}"
    return f"{h[0:4]}-{h[4:8]}-{h[8:12]}"
