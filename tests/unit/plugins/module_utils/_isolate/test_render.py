# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rendered-config goldens for every tier-1 platform x mode x isolate/release, and the
injection defences (validated context + per-platform line grammar)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    Plan,
    PortChange,
    PortConfig,
    isolated_config,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.render import (
    GRAMMARS,
    ISOLATION_PLATFORMS,
    RenderError,
    check_lines,
    render_plan,
    render_template,
)
from ansible_collections.camguard.network.plugins.module_utils._records import InvalidInterfaceError

REPO = Path(__file__).resolve().parents[5]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
GOLDEN = Path(__file__).parent / "golden" / "render"
PORTS = {
    "cisco_ios": ("GigabitEthernet1/0/3", "GigabitEthernet1/0/5"),
    "cisco_nxos": ("Ethernet1/3", "Ethernet1/5"),
    "arista_eos": ("Ethernet3", "Ethernet5"),
    "juniper_junos": ("ge-0/0/3", "ge-0/0/5"),
    "aruba_aoscx": ("1/1/3", "1/1/5"),
    "hp_procurve": ("3", "5"),
    "linux_bridge": ("swp3", "swp5"),
}
PEERS = ("10.66.10.20/32", "10.66.30.0/24")
HOSTILE = [
    "Gi1/0/3\nip access-list extended X",
    "Gi1/0/3; reboot",
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "swp3 master br10\n/usr/sbin/ip link set swp9 up",
    "ge-0/0/3 disable\ndelete vlans",
    "Gi1/0/3 \x00",
    "Gi1/0/3\n",
    "swp3\n",
    "'; rm -rf /'",
    "",
]


def make_plan(platform: str, mode: str, action: str, ports: List[str], q: int = 999) -> Plan:
    changes = []
    for i, iface in enumerate(ports):
        prior = PortConfig(access_vlan=10 + 10 * i, enabled=True, acl=False)
        iso = isolated_config(prior, mode, q)
        before, after = (prior, iso) if action == "isolate" else (iso, prior)
        changes.append(PortChange(iface, action, mode, before, after, prior, (f"bc:ad:28:00:00:0{i}",), "hikvision"))
    acl_after = tuple(sorted(ports)) if (mode == "acl" and action == "isolate") else ()
    return Plan(
        switch="sw1",
        mode=mode,
        state="isolated" if action == "isolate" else "released",
        changes=changes,
        quarantine_vlan=q,
        allowed_peers=PEERS,
        acl_define=mode == "acl" and action == "isolate",
        acl_ports_after=acl_after,
        change_id="CHG0001",
    )


CASES = [(p, m, a) for p in ISOLATION_PLATFORMS for m in ("vlan", "acl", "shutdown") for a in ("isolate", "release")]


@pytest.mark.parametrize(("platform", "mode", "action"), CASES, ids=["-".join(c) for c in CASES])
def test_golden(platform: str, mode: str, action: str, update_golden: bool) -> None:
    lines = render_plan(make_plan(platform, mode, action, list(PORTS[platform])), platform, TEMPLATES)
    assert lines, "every mode/action renders something"
    text = "\n".join(lines) + "\n"
    path = GOLDEN / platform / f"{mode}_{action}.txt"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"golden {path} missing: run pytest --update-golden and read the diff"
    assert text == path.read_text()
    if (platform, mode, action) != ("linux_bridge", "acl", "release"):  # that one deletes the whole table
        for iface in PORTS[platform]:
            assert any(iface in ln for ln in lines)


def test_every_template_exists() -> None:
    for p in ISOLATION_PLATFORMS:
        for m in ("vlan", "acl", "shutdown"):
            for a in ("isolate", "release"):
                assert (Path(TEMPLATES) / p / f"{m}_{a}.j2").is_file()


def test_mode_switch_tightens_before_loosening() -> None:
    prior = PortConfig(10, True, False)
    was = isolated_config(prior, "vlan", 999)
    now = isolated_config(prior, "shutdown", 999)
    plan = Plan(
        "sw1", "shutdown", "isolated", [PortChange("swp3", "isolate", "shutdown", was, now, prior)], quarantine_vlan=999
    )
    lines = render_plan(plan, "linux_bridge", TEMPLATES)
    assert lines == ["/usr/sbin/ip link set swp3 down", "/usr/sbin/ip link set swp3 master br10"]


def test_linux_acl_release_keeps_other_ports_and_removes_table_when_empty() -> None:
    prior = PortConfig(10, True, False)
    iso = isolated_config(prior, "acl", 999)
    ch = PortChange("swp3", "release", "acl", iso, prior, prior)
    keep = Plan("sw1", "acl", "released", [ch], quarantine_vlan=999, allowed_peers=PEERS, acl_ports_after=("swp5",))
    lines = render_plan(keep, "linux_bridge", TEMPLATES)
    assert lines == [
        '/usr/sbin/nft \'flush chain bridge camguard forward ; add rule bridge camguard forward iifname "swp5" '
        'jump cg_swp5 ; add rule bridge camguard forward oifname "swp5" jump cg_swp5\''
    ]
    empty = Plan("sw1", "acl", "released", [ch], quarantine_vlan=999, allowed_peers=PEERS)
    assert render_plan(empty, "linux_bridge", TEMPLATES) == [
        "/usr/sbin/nft 'add table bridge camguard ; delete table bridge camguard'"
    ]


@pytest.mark.parametrize("platform", ISOLATION_PLATFORMS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_interface_never_renders(platform: str, hostile: str) -> None:
    plan = make_plan(platform, "vlan", "isolate", [hostile])
    with pytest.raises(InvalidInterfaceError):
        render_plan(plan, platform, TEMPLATES)


@pytest.mark.parametrize("platform", ISOLATION_PLATFORMS)
def test_grammar_rejects_injected_lines(platform: str) -> None:
    good = render_plan(make_plan(platform, "acl", "isolate", list(PORTS[platform])), platform, TEMPLATES)
    check_lines(platform, good)
    for bad in (
        "reload",
        "username admin privilege 15 secret x",
        "delete vlans",
        "/usr/sbin/ip link set swp3 up; reboot",
        "/usr/sbin/nft flush ruleset",
        good[0] + "\nreload",
        good[0] + " ",
        "interface Gi1/0/3 ; shutdown",
    ):
        with pytest.raises(RenderError):
            check_lines(platform, [bad])


def test_template_with_undefined_variable_fails(tmp_path: Path) -> None:
    d = tmp_path / "cisco_ios"
    d.mkdir()
    (d / "vlan_isolate.j2").write_text("interface {{ nope }}\n")
    with pytest.raises(RenderError, match="nope"):
        render_template(str(tmp_path), "cisco_ios", "vlan", "isolate", {"ports": []})


def test_sandbox_blocks_attribute_escape(tmp_path: Path) -> None:
    d = tmp_path / "cisco_ios"
    d.mkdir()
    (d / "vlan_isolate.j2").write_text("{{ ports.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(RenderError):
        render_template(str(tmp_path), "cisco_ios", "vlan", "isolate", {"ports": []})


def test_template_that_emits_a_foreign_line_fails(tmp_path: Path) -> None:
    """Even a tampered template cannot emit a line outside the platform grammar."""
    d = tmp_path / "cisco_ios"
    d.mkdir()
    (d / "vlan_isolate.j2").write_text("{% for p in ports %}interface {{ p.interface }}\n no snmp-server\n{% endfor %}")
    with pytest.raises(RenderError, match="outside the allowed grammar"):
        render_template(str(tmp_path), "cisco_ios", "vlan", "isolate", {"ports": [{"interface": "Gi1/0/1"}]})


def test_missing_templates_dir_is_a_clear_error() -> None:
    with pytest.raises(RenderError, match="templates_dir"):
        render_plan(make_plan("cisco_ios", "vlan", "isolate", ["Gi1/0/1"]), "cisco_ios", "/nonexistent/dir")


def test_unsupported_platform() -> None:
    with pytest.raises(RenderError, match="not supported"):
        render_plan(make_plan("hp_comware", "vlan", "isolate", ["GigabitEthernet1/0/1"]), "hp_comware", TEMPLATES)


def test_grammars_cover_tier1() -> None:
    assert set(GRAMMARS) == set(ISOLATION_PLATFORMS)
