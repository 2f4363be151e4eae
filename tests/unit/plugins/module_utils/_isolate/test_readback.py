# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-back of the live state: the ACL ports, disabled ports and defined VLANs of each
configuration layout, driven by the platform table (``Isolation.config_format`` / ``acl_bind`` /
``running_config``)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (
    CONFIG_READERS,
    acl_ports_from_config,
    acl_ports_from_nft,
    default_reader,
    disabled_ports_from_config,
    quarantine_vlan_defined,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import ApplyError
from ansible_collections.camguard.network.plugins.module_utils._platforms import (
    INTERFACE_BLOCKS,
    PLATFORMS,
    isolation_platforms,
)


def test_acl_ports_from_configs() -> None:
    ios = "interface GigabitEthernet1/0/3\n description x\n ip access-group CAMGUARD-QUARANTINE in\ninterface Gi1/0/4\n ip access-group OTHER in\n"
    assert acl_ports_from_config("cisco_ios", ios) == {"GigabitEthernet1/0/3"}
    nx = "interface Ethernet1/3\n  ip port access-group CAMGUARD-QUARANTINE in\n"
    assert acl_ports_from_config("cisco_nxos", nx) == {"Ethernet1/3"}
    cx = "interface 1/1/3\n    apply access-list ip CAMGUARD-QUARANTINE in\n    exit\n"
    assert acl_ports_from_config("aruba_aoscx", cx) == {"1/1/3"}
    pc = 'interface 3\n   ip access-group "CAMGUARD-QUARANTINE" in\n   exit\n'
    assert acl_ports_from_config("hp_procurve", pc) == {"3"}
    jn = "set interfaces ge-0/0/3 unit 0 family ethernet-switching filter input CAMGUARD-QUARANTINE\n"
    assert acl_ports_from_config("juniper_junos", jn) == {"ge-0/0/3"}


def test_acl_ports_from_nft_json() -> None:
    data = {
        "nftables": [
            {"metainfo": {"json_schema_version": 1}},
            {"chain": {"family": "bridge", "table": "camguard", "name": "forward"}},
            {
                "rule": {
                    "chain": "forward",
                    "expr": [
                        {"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "swp3"}},
                        {"jump": {"target": "cg_swp3"}},
                    ],
                }
            },
            {
                "rule": {
                    "chain": "forward",
                    "expr": [
                        {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "swp5"}},
                        {"jump": {"target": "cg_swp5"}},
                    ],
                }
            },
        ]
    }
    assert acl_ports_from_nft(json.dumps(data)) == {"swp3", "swp5"}
    assert acl_ports_from_nft("Error: No such file or directory\nlist chain bridge camguard forward") == set()


def test_junos_admin_state_comes_from_the_configuration() -> None:
    """Junos ``show interfaces descriptions`` lists only described interfaces, so a disabled port
    without a description reads back as enabled there; ``display set`` is authoritative."""
    config = "set interfaces ge-0/0/2 disable\nset interfaces ge-0/0/20 description x\n"
    assert disabled_ports_from_config("juniper_junos", config) == {"ge-0/0/2"}
    assert disabled_ports_from_config("cisco_ios", "interface Gi1/0/2\n shutdown\n") is None
    outputs = {
        "show ethernet-switching table": "",
        "show vlans": "",
        "show lldp neighbors": "Local Interface    Parent Interface    Chassis Id          Port info          System Name",
        "show ethernet-switching interface": (
            "Interface    State  VLAN members        Tag   Tagging  Blocking \n\n"
            "ge-0/0/1.0   up      cameras             10     untagged unblocked\n"
            "ge-0/0/2.0   down    cameras             10     untagged unblocked\n"
        ),
        "show interfaces descriptions": "",
        "show configuration | display set": config,
    }
    live = default_reader("juniper_junos", "sw1")(ReplayTransport("sw1", outputs), True)
    assert {p.name: p.enabled for p in live.ports} == {"ge-0/0/1": True, "ge-0/0/2": False}


# ----------------------------------------------------------------- driven by the platform table


@pytest.mark.parametrize("platform", isolation_platforms())
def test_every_isolation_platform_has_a_reader_for_its_layout(platform: str) -> None:
    facts = PLATFORMS[platform].isolation
    assert facts is not None and facts.config_format in CONFIG_READERS
    assert facts.running_config, f"{platform}: no running-config command"
    if facts.config_format == INTERFACE_BLOCKS:
        assert facts.acl_bind and "{acl}" in facts.acl_bind, f"{platform}: no ACL binding pattern"


def test_a_platform_without_isolation_reads_no_acl_and_cannot_be_read_back() -> None:
    text = "interface Gi1/0/3\n ip access-group CAMGUARD-QUARANTINE in\nset interfaces ge-0/0/2 disable\n"
    assert acl_ports_from_config("hp_comware", text) == set()
    assert disabled_ports_from_config("hp_comware", text) is None
    assert not quarantine_vlan_defined("hp_comware", "set vlans q vlan-id 999\n", 999)
    with pytest.raises(ApplyError, match="not supported on platform 'hp_comware'"):
        default_reader("hp_comware", "sw1")


@pytest.mark.parametrize(("root", "prefix"), [(True, ""), (False, "sudo -n /bin/sh -c ")])
def test_linux_reads_the_acl_ports_with_nft_and_the_config_only_before_a_change(root: bool, prefix: str) -> None:
    nft = {
        "nftables": [
            {
                "rule": {
                    "expr": [
                        {"match": {"left": {"meta": {"key": "iifname"}}, "right": "swp3"}},
                        {"jump": {"target": "cg_swp3"}},
                    ]
                }
            }
        ]
    }
    t = ReplayTransport("sw1", handler=lambda cmd: json.dumps(nft) if "nft -j" in cmd else "")
    read = default_reader("linux_bridge", "sw1", root)
    live = read(t, False)
    assert live.acl_ports == {"swp3"} and live.running_config == ""
    nft_cmd = "/usr/sbin/nft -j list chain bridge camguard forward"
    assert t.sent[-1] == (f"{prefix}'{nft_cmd}'" if prefix else nft_cmd)
    before = len(t.sent)
    live = read(t, True)
    config_cmds = PLATFORMS["linux_bridge"].isolation.running_config  # type: ignore[union-attr]
    assert [c for c in t.sent[before:] if "nft -j" not in c][-len(config_cmds) :] == [
        f"{prefix}'{c}'" if prefix else c for c in config_cmds
    ]
    assert live.running_config.startswith(f"### {config_cmds[0]}\n")
