# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which switches the inventory does not try: a password_env naming an unset variable and no key,
over SSH only (a switch read over SNMP needs no SSH login)."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest
import yaml

from ansible_collections.camguard.network.plugins.inventory import mac_table
from ansible_collections.camguard.network.plugins.plugin_utils._inventory_config import InventoryConfig

DEFAULTS: Dict[str, Any] = {k: v.get("default") for k, v in yaml.safe_load(mac_table.DOCUMENTATION)["options"].items()}


def options(**given: Any) -> Callable[[str], Any]:
    values = dict(DEFAULTS, **given)
    return values.get


def test_only_ssh_switches_are_refused_for_an_unset_password_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_PW_VAR", raising=False)
    monkeypatch.setenv("CAMGUARD_SNMP_COMMUNITY", "public-test")
    cfg = InventoryConfig.from_options(
        options(
            username="netops",
            password_env="NO_SUCH_PW_VAR",
            switches=[
                {"name": "ssh-1", "platform": "cisco_ios"},
                {
                    "name": "snmp-1",
                    "platform": "snmp",
                    "snmp": {"version": "2c", "community_env": "CAMGUARD_SNMP_COMMUNITY"},
                },
            ],
        ),
        "site.mac_table.yml",
        None,
    )
    problems = {s.name: s.login_problem(s.target(5, 5)) for s in cfg.switches}
    assert problems["ssh-1"] == (
        "no login attempted: password_env names NO_SUCH_PW_VAR, which is not set, and there is no private key file"
    )
    assert problems["snmp-1"] is None
