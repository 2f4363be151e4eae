# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``NetmikoTransport.end_of_output``: a command's output ends at the prompt on a line of its own at
the very end, found without netmiko's per-command ``find_prompt`` round trip.

netmiko's ``send_command`` stops reading when ``re.search(expect_string, output)`` first matches
the output read so far, so the pattern is checked here exactly that way, on every prefix of the
output a switch could deliver: it must match the complete output and no earlier prefix.
"""

from __future__ import annotations

import re
from typing import Any, List, Optional

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect import target_from_params
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (
    ANCHORED_PROMPT_TYPES,
    NetmikoTransport,
    Target,
)


class FakeConnection:
    """What NetmikoTransport needs of a netmiko connection: base_prompt and send_command."""

    def __init__(self, base_prompt: str) -> None:
        self.base_prompt = base_prompt
        self.calls: List[dict] = []  # type: ignore[type-arg]

    def send_command(self, command: str, **kwargs: Any) -> str:
        self.calls.append(dict(kwargs, command=command))
        return "output"


def transport(device_type: str, base_prompt: str) -> NetmikoTransport:
    t = object.__new__(NetmikoTransport)
    target: Target = target_from_params("sw1", "192.0.2.1", "cisco_ios", username="u", password="pw")
    t.name, t.target, t.device_type, t._secrets = "sw1", target, device_type, []
    t.connection = FakeConnection(base_prompt)
    return t


def first_match(pattern: Optional[str], output: str) -> Optional[int]:
    """Length of the shortest prefix at which netmiko would stop reading."""
    assert pattern is not None
    for n in range(1, len(output) + 1):
        if re.search(pattern, output[:n]):
            return n
    return None


# (device type, base prompt, the complete output of a command, ending with the prompt)
CASES = [
    (
        "cisco_ios",
        "sw1",
        "show interfaces status\r\nPort  Name          Status\r\nGi1/0/1  to sw1# core  connected\r\n"
        "Gi1/0/2  sw1#          connected\r\nsw1#",
    ),
    ("cisco_ios", "sw1", "show running-config\r\nhostname sw1\r\nbanner motd ^sw1#^\r\nend\r\n\r\nsw1#"),
    ("cisco_nxos", "n9k-1", "show mac address-table\nn9k-1 uplink>\n  10  0050.5600.0001  to n9k-1#\nn9k-1# "),
    ("arista_eos", "leaf1", 'show lldp neighbors detail\n  System Name: "leaf1#"\nleaf1#'),
    (
        "juniper_junos",
        "netops@ex1",
        "show ethernet-switching table\n  desc netops@ex1> here\n\n{master:0}\nnetops@ex1> ",
    ),
    ("aruba_aoscx", "cx1", "show interface brief\n 1/1/1  cx1#  up\ncx1#"),
    ("hp_procurve", "HP-2530", "show interfaces brief\n  1  HP-2530# port\n\nHP-2530# "),
    ("linux", "root@sw1:~", "bridge fdb show\n  root@sw1:~# is not a prompt here\nroot@sw1:~ x#\nroot@sw1:~# "),
]


@pytest.mark.parametrize(("device_type", "base", "output"), CASES, ids=[c[0] + str(i) for i, c in enumerate(CASES)])
def test_output_ends_only_at_the_final_prompt(device_type: str, base: str, output: str) -> None:
    pattern = transport(device_type, base).end_of_output()
    assert first_match(pattern, output) == len(output.rstrip(" ")), "the output would be cut before its end"
    # netmiko's default (the found prompt, anywhere) stops early on every one of these outputs
    found = output.rstrip().splitlines()[-1].strip()
    default = first_match(re.escape(found), output)
    assert default is not None and default < len(output.rstrip(" "))


@pytest.mark.parametrize("mode", ["sw1#", "sw1>", "sw1(config)#", "sw1(config-if)#", "sw1(config-s-camguard-C)#"])
def test_any_mode_of_the_same_host_ends_the_output(mode: str) -> None:
    pattern = transport("cisco_ios", "sw1").end_of_output()
    assert pattern is not None
    assert re.search(pattern, f"some output\r\n{mode}")
    assert re.search(pattern, f"some output\r\n{mode} ")
    assert not re.search(pattern, f"some output\r\nsw2{mode[3:]}")  # another host's prompt
    assert not re.search(pattern, f"some output\r\n{mode}\r\nmore output")
    assert not re.search(pattern, f"some output\r\n{mode[:3]} uplink {mode[3:]}")  # text between host and mode


def test_a_host_name_netmiko_cut_short_still_ends_the_output() -> None:
    # netmiko's IOS base prompt keeps the first 16 characters of the host name
    pattern = transport("cisco_ios", "sw-drop-mid-sess").end_of_output()
    assert pattern is not None
    for prompt in ("sw-drop-mid-session#", "sw-drop-mid-session(config-if)#", "sw-drop-mid-sess#"):
        assert re.search(pattern, f"output\r\n{prompt}")
    assert not re.search(pattern, "output\r\nsw-drop-mid-session uplink#")


def test_every_lab_platform_is_anchored_and_others_keep_netmiko_default() -> None:
    assert {"cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve", "linux"} == set(
        ANCHORED_PROMPT_TYPES
    )
    for device_type in ("hp_comware", "huawei", "dell_os10", "ruckus_fastiron", "extreme_exos"):
        assert transport(device_type, "sw1").end_of_output() is None
    assert transport("cisco_ios", "").end_of_output() is None  # no base prompt: netmiko's default


def test_send_command_passes_the_pattern_and_no_find_prompt() -> None:
    t = transport("cisco_ios", "sw1")
    assert t.send_command("show version") == "output"
    call = t.connection.calls[-1]
    assert call["command"] == "show version"
    assert call["expect_string"] == t.end_of_output()
    t = transport("extreme_exos", "X440")
    t.send_command("show fdb")
    assert t.connection.calls[-1]["expect_string"] is None
