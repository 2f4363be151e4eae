from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.module_utils._ifname import (
    canonical_interface,
    is_safe_interface,
    short_interface,
    validate_interface,
)
from ansible_collections.camguard.network.plugins.module_utils._records import InvalidInterfaceError

EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "300"))


@pytest.mark.parametrize(
    "platform, given_name, canonical",
    [
        ("cisco_ios", "Gi1/0/5", "GigabitEthernet1/0/5"),
        ("cisco_ios", "GigabitEthernet1/0/5", "GigabitEthernet1/0/5"),
        ("cisco_ios", "Fa0/1", "FastEthernet0/1"),
        ("cisco_ios", "Te1/1/1", "TenGigabitEthernet1/1/1"),
        ("cisco_ios", "Twe1/0/1", "TwentyFiveGigE1/0/1"),
        ("cisco_ios", "Po1", "Port-channel1"),
        ("cisco_ios", "Vl10", "Vlan10"),
        ("cisco_ios", "Gi2/0/48", "GigabitEthernet2/0/48"),  # stack member 2
        ("cisco_nxos", "Eth1/1", "Ethernet1/1"),
        ("cisco_nxos", "Po10", "port-channel10"),
        ("arista_eos", "Et1", "Ethernet1"),
        ("arista_eos", "Et49/1", "Ethernet49/1"),
        ("arista_eos", "Po1", "Port-Channel1"),
        ("juniper_junos", "ge-0/0/5.0", "ge-0/0/5"),
        ("juniper_junos", "ge-0/0/5", "ge-0/0/5"),
        ("juniper_junos", "ae0.0", "ae0"),
        ("juniper_junos", "xe-1/0/0:2.0", "xe-1/0/0:2"),
        ("juniper_junos", "ge-0/0/5.100", "ge-0/0/5.100"),  # a real sub-unit stays distinct
        ("hp_procurve", "Trk1", "Trk1"),
        ("hp_procurve", "trk2", "Trk2"),
        ("hp_procurve", "A1", "A1"),
        ("aruba_aoscx", "lag 1", "lag1"),
        ("aruba_aoscx", "1/1/1", "1/1/1"),
        ("hp_comware", "GE1/0/1", "GigabitEthernet1/0/1"),
        ("hp_comware", "XGE1/0/49", "Ten-GigabitEthernet1/0/49"),
        ("hp_comware", "BAGG1", "Bridge-Aggregation1"),
        ("huawei_vrp", "GE0/0/1", "GigabitEthernet0/0/1"),
        ("huawei_vrp", "Eth-Trunk1", "Eth-Trunk1"),
        ("huawei_vrp", "XGE0/0/1", "XGigabitEthernet0/0/1"),
        ("dell_os10", "ethernet1/1/1", "ethernet1/1/1"),
        ("dell_os10", "Eth 1/1/1", "ethernet1/1/1"),
        ("ruckus_fastiron", "ethe 1/1/1", "1/1/1"),
        ("ruckus_fastiron", "lag 2", "lag2"),
        ("ruckus_fastiron", "lg7", "lag7"),
        ("ruckus_fastiron", "v10", "ve10"),
        ("hp_comware", "M-GE0/0/0", "M-GigabitEthernet0/0/0"),
        ("hp_comware", "WGE1/0/1", "Twenty-FiveGigE1/0/1"),
        ("linux_bridge", "swp5", "swp5"),
    ],
)
def test_canonical(platform: str, given_name: str, canonical: str) -> None:
    assert canonical_interface(given_name, platform) == canonical


def test_short() -> None:
    assert short_interface("GigabitEthernet1/0/5") == "Gi1/0/5"
    assert short_interface("swp3") == "swp3"


@pytest.mark.parametrize(
    "hostile",
    [
        "Gi1/0/1\nshutdown",
        "Gi1/0/1 ; reload",
        "{{ lookup('pipe','id') }}",
        "{% for x in y %}",
        "Gi1/0/1#",
        "",
        " Gi1/0/1",
        "a" * 65,
        "Gi1/0/1\r",
        "swp3\n",
        "interface Gi1/0/2",
    ],
)
def test_hostile_names_refused(hostile: str) -> None:
    assert not is_safe_interface(hostile)
    with pytest.raises(InvalidInterfaceError, match="unsafe or invalid interface name"):
        validate_interface(hostile, where="sw1")


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.text(max_size=30),
    st.sampled_from(
        [
            "cisco_ios",
            "cisco_nxos",
            "arista_eos",
            "juniper_junos",
            "hp_procurve",
            "aruba_aoscx",
            "hp_comware",
            "huawei_vrp",
            "dell_os10",
            "ruckus_fastiron",
            "extreme_exos",
            "linux_bridge",
        ]
    ),
)
def test_canonical_never_raises_on_text_and_safe_names_stay_safe(s: str, platform: str) -> None:
    out = canonical_interface(s, platform)
    assert isinstance(out, str)
    if not is_safe_interface(s.strip()):
        return
    # canonicalising a safe name never produces an unsafe one
    assert is_safe_interface(out)
