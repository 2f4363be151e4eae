# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compact, versioned serialisation of collected ``SwitchData`` (the inventory cache).

A dict per MAC entry made the cache large and slow to read back (100,000 entries: one decoded
dict, one tag check and one keyword call per entry). The compact form stores each record type of
a switch as columns, one list per field in the record's field order::

    {"fields": {"macs": ["mac", "vlan", ...], "arp": [...], "neighbors": [...], "ports": [...]},
     "switches": {"sw1": {"switch": "sw1", "platform": "cisco_ios", "own_macs": [...], "skipped_rows": 0,
                          "warnings": [], "macs": [[macs...], [vlans...], ...], "arp": [...], ...}},
     "unreachable": {...}, "timings": {...}, "poll_seconds": 1.5}

and is written as one JSON text (``encode``), so that a cache plugin stores and reads it as a
single string and ``decode`` parses it with the standard library's C decoder.

``decode`` checks the structure, the field lists and the type of every value (per column, at C
speed) and raises ``CacheFormatError`` naming the switch and the key when anything is off: a
damaged or foreign cache entry is rejected, never half read.
"""

from __future__ import annotations

import contextlib
import gc
import json
from itertools import chain
from typing import Any, Callable, Dict, Iterator, List, Mapping, Sequence, Tuple, Type, TypeVar

from ansible_collections.camguard.network.plugins.module_utils._records import (
    ArpEntry,
    CamguardError,
    MacEntry,
    Neighbor,
    PortInfo,
    SwitchData,
)

_NONE = type(None)
T = TypeVar("T")


class CacheFormatError(CamguardError):
    """A cache entry of another format version, or a damaged one (the message says where)."""


# Per record type: (field name, allowed value types, element types for list-valued fields or None).
# The field names are exactly the record's dataclass fields, in order (checked by the unit tests).
FieldSpec = Tuple[str, Tuple[type, ...], Any]

MAC_FIELDS: Tuple[FieldSpec, ...] = (
    ("mac", (str,), None),
    ("vlan", (int, _NONE), None),
    ("interface", (str,), None),
    ("static", (bool,), None),
    ("switch", (str,), None),
    ("kind", (str,), None),
    ("vlan_name", (str, _NONE), None),
)
ARP_FIELDS: Tuple[FieldSpec, ...] = (
    ("ip", (str,), None),
    ("mac", (str,), None),
    ("interface", (str,), None),
    ("vrf", (str,), None),
)
NEIGHBOR_FIELDS: Tuple[FieldSpec, ...] = (
    ("local_interface", (str,), None),
    ("remote_name", (str,), None),
    ("remote_port", (str,), None),
    ("capabilities", (list,), (str,)),
    ("protocol", (str,), None),
    ("remote_mac", (str, _NONE), None),
)
PORT_FIELDS: Tuple[FieldSpec, ...] = (
    ("name", (str,), None),
    ("mode", (str,), None),
    ("access_vlan", (int, _NONE), None),
    ("description", (str,), None),
    ("enabled", (bool,), None),
    ("lag", (str, _NONE), None),
    ("is_lag", (bool,), None),
    ("trunk_vlans", (list,), (int,)),
)

RECORDS: Dict[str, Tuple[type, Tuple[FieldSpec, ...]]] = {
    "macs": (MacEntry, MAC_FIELDS),
    "arp": (ArpEntry, ARP_FIELDS),
    "neighbors": (Neighbor, NEIGHBOR_FIELDS),
    "ports": (PortInfo, PORT_FIELDS),
}


def _names(fields: Sequence[FieldSpec]) -> List[str]:
    return [f[0] for f in fields]


def _columns(records: Sequence[Any], fields: Sequence[FieldSpec]) -> List[List[Any]]:
    names = _names(fields)
    if not records:
        return [[] for _unused in names]
    rows = [tuple(r.__dict__[n] for n in names) for r in records]
    return [list(c) for c in zip(*rows)]


def switch_to_compact(data: SwitchData) -> Dict[str, Any]:
    """One switch's records as columns (JSON-serialisable; tuples become lists)."""
    out = {
        "switch": data.switch,
        "platform": data.platform,
        "own_macs": list(data.own_macs),
        "skipped_rows": data.skipped_rows,
        "warnings": list(data.warnings),
        "macs": _columns(data.macs, MAC_FIELDS),
        "arp": _columns(data.arp, ARP_FIELDS),
        "neighbors": _columns(data.neighbors, NEIGHBOR_FIELDS),
        "ports": _columns(data.ports, PORT_FIELDS),
    }
    if data.limits:  # optional (SNMP): CLI switches' entries stay as they were
        out["limits"] = dict(data.limits)
    return out


def encode(
    switches: Mapping[str, SwitchData],
    unreachable: Mapping[str, str],
    timings: Mapping[str, float],
    poll_seconds: float,
) -> str:
    """The compact JSON text of one collection run."""
    doc = {
        "fields": {key: _names(fields) for key, (_cls, fields) in RECORDS.items()},
        "switches": {k: switch_to_compact(v) for k, v in switches.items()},
        "unreachable": dict(unreachable),
        "timings": dict(timings),
        "poll_seconds": poll_seconds,
    }
    return json.dumps(doc, separators=(",", ":"))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many acyclic objects are built.

    Each burst of allocations otherwise triggers collections that walk the growing heap again and
    again: two thirds of the time spent decoding 100,000 MAC entries went there. Nothing built
    here forms reference cycles, so nothing is left for the collector; it is re-enabled (if it
    was enabled) on the way out.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _type_names(types: Sequence[type]) -> str:
    return " or ".join("null" if t is _NONE else t.__name__ for t in types)


def _check_column(where: str, name: str, col: Any, types: Tuple[type, ...], items: Any, n: int) -> None:
    if not isinstance(col, list):
        raise CacheFormatError(f"{where}: column {name!r} is not a list")
    if len(col) != n:
        raise CacheFormatError(f"{where}: column {name!r} has {len(col)} values, expected {n}")
    seen = set(map(type, col))
    if not seen.issubset(types):
        bad = sorted(t.__name__ for t in seen - set(types))
        raise CacheFormatError(f"{where}: column {name!r} holds {', '.join(bad)} values, expected {_type_names(types)}")
    if items is not None:
        inner = set(map(type, chain.from_iterable(col)))
        if not inner.issubset(items):
            bad = sorted(t.__name__ for t in inner - set(items))
            raise CacheFormatError(
                f"{where}: column {name!r} holds lists of {', '.join(bad)}, expected {items[0].__name__}"
            )


def _build(cls: Type[T], fields: Sequence[FieldSpec], cols: Any, where: str) -> List[T]:
    """Records from checked columns, without re-running the dataclass ``__init__`` per row.

    The records are frozen dataclasses: the instance dict is filled directly, which is what
    ``__init__`` does field by field. List-valued fields become tuples, as the records declare.
    """
    if not isinstance(cols, list) or len(cols) != len(fields):
        raise CacheFormatError(f"{where}: expected {len(fields)} columns ({', '.join(_names(fields))})")
    n = len(cols[0]) if isinstance(cols[0], list) else -1
    if n < 0:
        raise CacheFormatError(f"{where}: column {fields[0][0]!r} is not a list")
    for (name, types, items), col in zip(fields, cols):
        _check_column(where, name, col, types, items, n)
    columns = [list(map(tuple, col)) if items is not None else col for (_n, _t, items), col in zip(fields, cols)]
    names = _names(fields)
    new: Callable[[Type[T]], T] = object.__new__
    out: List[T] = []
    append = out.append
    for values in zip(*columns):
        obj = new(cls)
        obj.__dict__.update(zip(names, values))
        append(obj)
    return out


def _switch_from_compact(key: str, d: Any) -> SwitchData:
    where = f"switch {key!r}"
    if not isinstance(d, dict):
        raise CacheFormatError(f"{where}: expected a mapping, got {type(d).__name__}")
    name = d.get("switch")
    if not isinstance(name, str) or not name:
        raise CacheFormatError(f"{where}: switch: expected a switch name, got {name!r}")
    platform = d.get("platform")
    if not isinstance(platform, str):
        raise CacheFormatError(f"{where}: platform: expected a string, got {platform!r}")
    own = d.get("own_macs")
    if not isinstance(own, list) or not set(map(type, own)).issubset((str,)):
        raise CacheFormatError(f"{where}: own_macs: expected a list of strings")
    warnings = d.get("warnings")
    if not isinstance(warnings, list) or not set(map(type, warnings)).issubset((str,)):
        raise CacheFormatError(f"{where}: warnings: expected a list of strings")
    skipped = d.get("skipped_rows")
    if isinstance(skipped, bool) or not isinstance(skipped, int):
        raise CacheFormatError(f"{where}: skipped_rows: expected an integer, got {skipped!r}")
    limits = d.get("limits", {})
    if not isinstance(limits, dict) or not set(map(type, [*limits, *limits.values()])).issubset((str,)):
        raise CacheFormatError(f"{where}: limits: expected a mapping of strings")
    unknown = sorted(set(d) - {"switch", "platform", "own_macs", "warnings", "skipped_rows", "limits", *RECORDS})
    if unknown:
        raise CacheFormatError(f"{where}: unknown key(s) {', '.join(unknown)}")
    sd = SwitchData(switch=name, platform=platform, own_macs=own, skipped_rows=skipped, warnings=warnings)
    sd.limits = limits
    for key, (cls, fields) in RECORDS.items():
        if key not in d:
            raise CacheFormatError(f"{where}: {key}: missing")
        setattr(sd, key, _build(cls, fields, d[key], f"{where}: {key}"))
    return sd


def decode(text: Any) -> Tuple[Dict[str, SwitchData], Dict[str, str], Dict[str, float], float]:
    """Switches, unreachable switches, timings and poll seconds from ``encode``'s text.

    Raises ``CacheFormatError`` (naming the switch and key) for anything ``encode`` cannot have written.
    """
    if not isinstance(text, str):
        raise CacheFormatError(f"data: expected the compact JSON text, got {type(text).__name__}")
    with gc_paused():
        return _decode(text)


def _decode(text: str) -> Tuple[Dict[str, SwitchData], Dict[str, str], Dict[str, float], float]:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise CacheFormatError(f"data: not valid JSON ({e})") from None
    if not isinstance(doc, dict):
        raise CacheFormatError(f"data: expected a mapping, got {type(doc).__name__}")
    fields = doc.get("fields")
    want = {key: _names(f) for key, (_cls, f) in RECORDS.items()}
    if fields != want:
        raise CacheFormatError(
            "fields: the entry was written with other record fields than this version of the collection reads"
        )
    switches = doc.get("switches")
    if not isinstance(switches, dict):
        raise CacheFormatError("switches: expected a mapping of switch names to their records")
    out = {key: _switch_from_compact(key, d) for key, d in switches.items()}
    unreachable = doc.get("unreachable")
    if not isinstance(unreachable, dict) or not all(isinstance(v, str) for v in unreachable.values()):
        raise CacheFormatError("unreachable: expected a mapping of switch names to error messages")
    timings = doc.get("timings")
    if not isinstance(timings, dict) or not all(type(v) in (int, float) for v in timings.values()):
        raise CacheFormatError("timings: expected a mapping of switch names to seconds")
    poll_seconds = doc.get("poll_seconds")
    if not isinstance(poll_seconds, (int, float)) or isinstance(poll_seconds, bool):
        raise CacheFormatError(f"poll_seconds: expected a number, got {poll_seconds!r}")
    return out, dict(unreachable), {k: float(v) for k, v in timings.items()}, float(poll_seconds)
