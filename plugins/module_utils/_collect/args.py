# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch-connection options the modules share (documented in doc_fragments/switch_connection)."""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional

from ansible_collections.camguard.network.plugins.module_utils._credentials import (
    NET_KEY_ENV,
    login_problem,
    resolve_password,
)
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

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
                "choices": ["mac_table", "arp", "neighbors", "ports"],
                "default": ["mac_table", "arp", "neighbors", "ports"],
            },
        }
    )
    return spec


def password_from_params(params: Mapping[str, Any]) -> Optional[str]:
    """The password to use (``_credentials.resolve_password``): the variable a ``password_env`` other
    than ``CAMGUARD_PASSWORD`` names (and then nothing else), else ``password`` (which falls back
    to ``CAMGUARD_PASSWORD``), else ``ANSIBLE_NET_PASSWORD``."""
    return resolve_password(params.get("password_env"), params.get("password"), os.environ)[0]


def target_from_module_params(name: str, params: Mapping[str, Any]) -> Any:
    """The ``Target`` for the switch the module's parameters describe (see ``_collect``).

    Raises ``DeviceError`` without connecting when there is nothing to log in with (no password,
    no key file), naming the ``password_env`` variable that is not set.
    """
    from ansible_collections.camguard.network.plugins.module_utils._collect import target_from_params

    password, unset = resolve_password(params.get("password_env"), params.get("password"), os.environ)
    key_file = params["private_key_file"]  # "" (AWX's credential without a key): no key
    if key_file is None:
        key_file = os.environ.get(NET_KEY_ENV) or None
    problem = login_problem(password, key_file, unset)
    if problem:
        raise DeviceError(name, problem)
    return target_from_params(
        name=name,
        host=params["host"],
        platform=params["platform"],
        port=params["port"],
        username=params["username"],
        password=password,
        private_key_file=key_file or None,
        connect_timeout=params["connect_timeout"],
        command_timeout=params["command_timeout"],
        host_key_checking=params["host_key_checking"],
        known_hosts_file=params["known_hosts_file"],
        backend=params["backend"],
    )
