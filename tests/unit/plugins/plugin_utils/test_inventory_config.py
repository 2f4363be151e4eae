# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's configuration on its own: options in, ``InventoryConfig`` out, and every
refusal a ``ConfigError`` that names the key."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest
import yaml

from ansible_collections.camguard.network.plugins.inventory import mac_table
from ansible_collections.camguard.network.plugins.module_utils._records import ConfigError, PolicyError
from ansible_collections.camguard.network.plugins.plugin_utils._inventory_config import InventoryConfig

#: The documented defaults of every option (what Ansible's get_option gives when a file sets nothing).
DEFAULTS: Dict[str, Any] = {k: v.get("default") for k, v in yaml.safe_load(mac_table.DOCUMENTATION)["options"].items()}


def options(**given: Any) -> Callable[[str], Any]:
    values = dict(DEFAULTS, **given)
    return lambda key: values.get(key)


def test_switches_and_defaults() -> None:
    cfg = InventoryConfig.from_options(
        options(
            username="netops",
            private_key_file="/k",
            switches=[
                {"name": "sw1", "platform": "ios", "port": "2222", "groups": ["site-a"]},
                {"name": "sw2", "host": "192.0.2.2", "platform": "arista_eos", "username": "other",
                 "host_key_checking": False},
            ],
        ),
        "site.mac_table.yml",
        None,
    )  # fmt: skip
    sw1, sw2 = cfg.switches
    assert (sw1.host, sw1.port, sw1.platform, sw1.username, sw1.groups) == (
        "sw1",
        2222,
        "cisco_ios",
        "netops",
        ["site-a"],
    )
    assert (sw1.password_env, sw1.private_key_file, sw1.host_key_checking) == ("CAMGUARD_PASSWORD", "/k", True)
    assert (sw2.host, sw2.username, sw2.host_key_checking) == ("192.0.2.2", "other", False)
    assert (cfg.concurrency, cfg.locate.max_macs_per_edge_port, cfg.profiles) == (20, 1, ["default"])
    assert cfg.device_name_format == "{vendor_key}_{mac_hex}"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"switches": ["sw1"]}, r"^switches\[0\]: expected a mapping, got str$"),
        ({"switches": [{"name": "a", "platform": "ios", "pasword": "x"}]}, r"^switches\[0\]: unknown key\(s\) pasword"),
        ({"switches": [{"platform": "ios"}]}, r"^switches\[0\]\.name: required"),
        (
            {"switches": [{"name": "a", "platform": "ios"}, {"name": "a", "platform": "ios"}]},
            r"^switches\[1\]\.name: duplicate switch name 'a'$",
        ),
        ({"switches": [{"name": "a"}]}, r"^switches\[0\]\.platform: required$"),
        ({"switches": [{"name": "a", "platform": "fortigate"}]}, r"^switches\[0\]\.platform: unsupported platform"),
        ({"switches": [{"name": "a", "platform": "ios", "backend": "telnet"}]}, r"^switches\[0\]\.backend: 'telnet'"),
        ({"switches": [{"name": "a", "platform": "ios", "port": "ssh"}]}, r"^switches\[0\]\.port: not a port number"),
        (
            {"switches": [{"name": "a", "platform": "ios", "port": 70000}]},
            r"^switches\[0\]\.port: out of range: 70000$",
        ),
        ({"inventory_switches": ["core"]}, r"^inventory_switches: expected a mapping"),
        ({"concurrency": 0}, r"^concurrency: must be at least 1, got 0$"),
        ({"poll_processes": -1}, r"^poll_processes: must be 0 \(automatic\) or more, got -1$"),
        ({"device_name_format": "{vendor_key}_{password}"}, r"^device_name_format: unknown field\(s\) password"),
        ({"device_name_format": "{vendor_key"}, r"^device_name_format: invalid format string"),
        ({"nvr_hints": ["not-a-mac"]}, r"^nvr_hints: invalid MAC address 'not-a-mac'"),
        ({"max_macs_per_edge_port": 0}, r"^max_macs_per_edge_port: must be at least 1, got 0$"),
        ({"uplink_patterns": ["("]}, r"^location option uplink_patterns: invalid regular expression"),
    ],
)
def test_each_refusal_is_a_config_error_naming_the_key(given: Dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as e:
        InventoryConfig.from_options(options(**given), "site.mac_table.yml", None)
    assert not isinstance(e.value, PolicyError)  # a configuration error, not a policy one
