"""The parsers' shared vocabulary (``_collect.parsers.common``) and the shape of the collect stage:
one registry line per platform of the table, parsers that import only ``common`` and the ground
floor, and no import inside a function that hides an edge between collection modules."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import (
    GETTERS,
    capabilities_as_listed,
    capability_words,
    device_error,
    entry_kind,
    is_routed_self_port,
    is_self_port,
    load_json,
    mac_or_none,
)
from ansible_collections.camguard.network.plugins.module_utils._platforms import PLATFORMS
from ansible_collections.camguard.network.plugins.module_utils._records import ParseError

MU = Path(__file__).resolve().parents[5] / "plugins" / "module_utils"
PREFIX = "ansible_collections.camguard.network.plugins.module_utils."
GROUND_FLOOR = {"_records", "_mac", "_ifname"}


def test_registry_has_one_spec_per_platform_of_the_table() -> None:
    assert set(PARSERS) == set(PLATFORMS)
    for key, spec in PARSERS.items():
        assert set(spec.commands) == set(GETTERS), key
        every = {c for cmds in spec.commands.values() for c in cmds}
        assert set(spec.optional) <= every, f"{key}: optional commands that no getter runs"
        for getter in GETTERS:
            assert callable(spec.parser(getter))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("Bridge, Router", ("bridge", "router")),
        ("B,R", ("bridge", "router")),
        ("B, T", ("bridge", "phone")),
        ("S, C", ("station", "other")),
        ("Bridge WLAN Access Point Router Station Only ", ("bridge", "router", "wlan", "station")),
        ("bridge, wlan-access-point, router", ("bridge", "router", "wlan")),
        ("Router, Station Only", ("router", "station")),
        ("Router Switch IGMP Filtering Supports-STP-Dispute", ("bridge", "router", "other")),
        ("Router Switch-6506 IGMP", ("router", "other")),
        ("Trans-Bridge Source-Route-Bridge", ("bridge",)),
        ("Host Phone", ("phone", "station")),
        (["router", "bridge", "repeater"], ("bridge", "router", "other")),
        (["station-only", "router"], ("router", "station")),
        (["Bridge", "Tel"], ("bridge", "phone")),
        ({"bridge": True, "wlanAccessPoint": False, "telephone": True}, ("bridge", "phone")),
        (["docsis-cable-device", "repeater"], ("other",)),
        ("not advertised", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_capability_words(value: object, words: Tuple[str, ...]) -> None:
    assert capability_words(value) == words


def test_capabilities_as_listed_keep_the_device_order_and_only_known_words() -> None:
    assert capabilities_as_listed("router bridge repeater") == ("router", "bridge", "other")
    assert capabilities_as_listed("station-only router") == ("router",)
    assert capabilities_as_listed("stationOnly") == ("station",)
    assert capabilities_as_listed("bridge, router") == ("bridge", "router")
    assert capabilities_as_listed("") == ()


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("DYNAMIC", ("dynamic", False)),
        ("Learned", ("dynamic", False)),
        ("evpnDynamic", ("dynamic", False)),
        ("STATIC", ("static", True)),
        ("Config static", ("static", True)),
        ("CONFIG DYNAMIC", ("dynamic", False)),
        ("configured", ("static", True)),
        ("Multiport", ("static", True)),
        ("sticky", ("secure", True)),
        ("Security", ("secure", True)),
        ("port-access-security", ("secure", True)),
        ("Blackhole", ("self", True)),
        ("router", ("self", True)),
        ("igmp", ("dynamic", False)),  # EOS: learned by snooping (Cisco's parser reads it as static)
    ],
)
def test_entry_kind(word: str, kind: Tuple[str, bool]) -> None:
    assert entry_kind(word) == kind


def test_self_ports() -> None:
    for name in ("CPU", "Router", "Switch", "Stby-Switch", "sup-eth1", "sup-eth2", "Drop", "Self", "local", "System"):
        assert is_self_port(name), name
    for name in ("vPC Peer-Link", "vpc-peer-link", "olist", "Fabric"):
        assert is_self_port(name), name
    for name in ("Gi1/0/1", "Ethernet1", "Vlan10", "", "cpu0", "Po1"):
        assert not is_self_port(name), name
    for name in ("Vlan10", "Vl10", "irb", "irb.10"):
        assert is_routed_self_port(name) and not is_self_port(name), name
    assert not is_routed_self_port("vlan-interface10")


@pytest.mark.parametrize(
    ("token", "mac"),
    [
        ("aabb.cc00.0100", "aa:bb:cc:00:01:00"),
        ("aabb-cc00-0100", "aa:bb:cc:00:01:00"),
        ("(00:04:96:1f:a2:ba)", "00:04:96:1f:a2:ba"),
        ('"3c e1 a1 22 18 f0"', "3c:e1:a1:22:18:f0"),
        ("incomplete", None),
        ("", None),
        ("ge-0/0/1", None),
        (None, None),
    ],
)
def test_mac_or_none(token: object, mac: Optional[str]) -> None:
    assert mac_or_none(token) == mac


def test_load_json() -> None:
    assert load_json("", "cmd") == []
    assert load_json('sw1# show x | json\n{"a": [1]}\nsw1#', "cmd") == {"a": [1]}
    with pytest.raises(ParseError, match="expected JSON"):
        load_json("% Invalid input", "cmd")
    with pytest.raises(ParseError, match="not valid JSON"):
        load_json('[{"dst": "10.0.0.1"', "cmd")


@pytest.mark.parametrize(
    "text",
    [
        "% Invalid input detected at '^' marker.",
        "Error: Unrecognized command found at '^' position.",
        "%Error: Ambiguous command",
        "% Wrong parameter found at '^' position.",
        "%% Incomplete command",
        "Invalid input: lldpx",
        "-bash: /usr/sbin/bridge: command not found",
    ],
)
def test_device_errors_of_every_platform(text: str) -> None:
    assert device_error("\n" + text + "\n") == text


def _imports(path: Path) -> List[Tuple[str, bool]]:
    """(module imported, at top level?) for every collection import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            out.append((node.module[len(PREFIX) :], id(node) in top))
    return out


@pytest.mark.parametrize("path", sorted((MU / "_collect" / "parsers").glob("*.py")), ids=lambda p: p.name)
def test_parsers_import_only_common_and_the_ground_floor(path: Path) -> None:
    allowed = GROUND_FLOOR | {"_collect.parsers.common"}
    if path.name == "__init__.py":
        allowed |= {"_collect.parsers"}  # the registry imports the parser modules
    if path.name == "common.py":
        allowed = GROUND_FLOOR
    for module, _top in _imports(path):
        assert module in allowed, f"{path.name} imports {module}"


@pytest.mark.parametrize("path", sorted((MU / "_collect").rglob("*.py")), ids=lambda p: str(p.relative_to(MU)))
def test_collect_imports_are_static_and_never_go_up(path: Path) -> None:
    for module, top in _imports(path):
        assert top, f"{path.name}: import of {module} inside a function"
        assert not module.startswith(("_classify", "_locate", "_isolate", "_report")), f"{path.name} imports {module}"
        if path.parent.name != "_collect" or path.name not in ("__init__.py", "task.py"):
            # the door's building blocks never import it (task.py, the module's body, uses it)
            assert module != "_collect", f"{path.name} imports the stage's door"
