# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch-connection options the modules share (documented in doc_fragments/switch_connection)."""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Target, target_from_params

try:
    from ansible.module_utils.basic import env_fallback
except ImportError:  # pragma: no cover - only used inside modules

    def env_fallback(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
        raise RuntimeError("ansible is required")


def connection_argument_spec() -> Dict[str, Dict[str, Any]]:
    return {
        "port": {"type": "int", "default": 22},
        "username": {"type": "str", "required": True},
        "password": {"type": "str", "no_log": True, "fallback": (env_fallback, ["CAMGUARD_PASSWORD"])},
        "password_env": {"type": "str", "no_log": False},
        "private_key_file": {"type": "path", "fallback": (env_fallback, ["CAMGUARD_PRIVATE_KEY_FILE"])},
        "host_key_checking": {"type": "bool", "default": True},
        "known_hosts_file": {"type": "path", "fallback": (env_fallback, ["CAMGUARD_KNOWN_HOSTS_FILE"])},
        "connect_timeout": {"type": "float", "default": 10},
        "command_timeout": {"type": "float", "default": 30},
    }


def isolation_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The options of ``camguard.network.port_isolation`` (documented in the module)."""
    spec: Dict[str, Dict[str, Any]] = {
        "switch": {"type": "str", "required": True},
        "host": {"type": "str", "required": True},
    }
    spec.update(connection_argument_spec())
    spec.update(
        {
            "platform": {"type": "str", "required": True},
            "backend": {"type": "str", "choices": ["netmiko", "napalm", "linux"]},
            "ports": {"type": "list", "elements": "dict", "default": []},
            "state": {"type": "str", "choices": ["isolated", "released", "planned"], "default": "isolated"},
            "mode": {"type": "str", "choices": ["vlan", "acl", "shutdown"], "default": "vlan"},
            "quarantine_vlan": {"type": "int", "default": 999},
            "quarantine_vlan_name": {"type": "str", "default": "CAMGUARD-QUARANTINE"},
            "create_quarantine_vlan": {"type": "bool", "default": True},
            "allowed_peers": {"type": "list", "elements": "str", "default": []},
            "change_id": {"type": "str"},
            "change_window": {"type": "str"},
            "max_ports": {"type": "int", "default": 10},
            "max_macs_per_port": {"type": "int", "default": 1},
            "exception_pattern": {"type": "str", "default": "(?i)(camguard[-_ ]?exempt|no[-_ ]?isolat)"},
            "statuses": {"type": "list", "elements": "str", "default": ["named", "affiliate", "other_prc_cctv"]},
            "seen_elsewhere": {"type": "list", "elements": "str", "default": []},
            "release_interfaces": {"type": "list", "elements": "str", "default": []},
            "approved_digest": {"type": "str"},
            "state_dir": {"type": "path", "required": True},
            "verify": {"type": "bool", "default": True},
            "templates_dir": {"type": "path", "required": True},
            "lock_timeout": {"type": "float", "default": 60},
            "config_batch_lines": {"type": "int", "default": 16},
        }
    )
    return spec


def mac_table_info_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The options of ``camguard.network.mac_table_info`` (documented in the module)."""
    spec: Dict[str, Dict[str, Any]] = {"switch": {"type": "str"}, "host": {"type": "str", "required": True}}
    spec.update(connection_argument_spec())
    spec.update(
        {
            "platform": {"type": "str", "required": True},
            "backend": {"type": "str", "choices": ["netmiko", "napalm", "linux"]},
            "gather": {
                "type": "list",
                "elements": "str",
                "choices": list(GETTERS),
                "default": list(GETTERS),
            },
        }
    )
    return spec


def password_from_params(params: Mapping[str, Any]) -> Optional[str]:
    """The password to use: an explicit ``password_env`` wins over ``password`` (and its fallback)."""
    password: Optional[str] = params.get("password")
    env_name = params.get("password_env")
    if env_name:
        password = os.environ.get(str(env_name)) or password
    return password or None


def target_from_module_params(name: str, params: Mapping[str, Any]) -> Target:
    """The ``Target`` for the switch the module's parameters describe."""
    return target_from_params(
        name=name,
        host=params["host"],
        platform=params["platform"],
        port=params["port"],
        username=params["username"],
        password=password_from_params(params),
        private_key_file=params["private_key_file"],
        connect_timeout=params["connect_timeout"],
        command_timeout=params["command_timeout"],
        host_key_checking=params["host_key_checking"],
        known_hosts_file=params["known_hosts_file"],
        backend=params["backend"],
    )
