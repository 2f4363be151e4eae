# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch-connection options the modules share (documented in doc_fragments/switch_connection)."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS
from ansible_collections.camguard.network.plugins.module_utils._collect.snmp import (
    AUTH_PROTOCOLS,
    BACKENDS,
    GENERIC_PLATFORM,
    PRIV_PROTOCOLS,
    SNMP_OPTION_DEFAULTS,
    discovery_target,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Target, target_from_params
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


_SNMP_TYPES = {
    "port": "int",
    "retries": "int",
    "max_repetitions": "int",
    "max_rows": "int",
    "max_vlans": "int",
    "timeout": "float",
    "deadline": "float",
    "vlan_contexts": "bool",
}
_SNMP_CHOICES = {"version": ["2c", "3"], "auth_protocol": list(AUTH_PROTOCOLS), "priv_protocol": list(PRIV_PROTOCOLS)}


def snmp_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The suboptions of ``snmp`` (documented in doc_fragments/snmp), defaults from ``SNMP_OPTION_DEFAULTS``."""
    spec: Dict[str, Dict[str, Any]] = {}
    for key, default in SNMP_OPTION_DEFAULTS.items():
        opt: Dict[str, Any] = {"type": _SNMP_TYPES.get(key, "str")}
        if default is not None:
            opt["default"] = default
        if key in _SNMP_CHOICES:
            opt["choices"] = _SNMP_CHOICES[key]
        if key.endswith("_env"):
            opt["no_log"] = False  # the NAME of an environment variable, never the secret itself
        spec[key] = opt
    return spec


def mac_table_info_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The options of ``camguard.network.mac_table_info`` (documented in the module)."""
    spec: Dict[str, Dict[str, Any]] = {"switch": {"type": "str"}, "host": {"type": "str", "required": True}}
    spec.update(connection_argument_spec())
    spec.update(
        {
            "platform": {"type": "str", "required": True},
            "backend": {"type": "str", "choices": ["netmiko", "napalm", "linux", "snmp", "auto"]},
            "snmp": {"type": "dict", "options": snmp_argument_spec()},
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
    """The password to use (``_credentials.resolve_password``): the variable a ``password_env`` other
    than ``CAMGUARD_PASSWORD`` names (and then nothing else), else ``password`` (which falls back
    to ``CAMGUARD_PASSWORD``), else ``ANSIBLE_NET_PASSWORD``."""
    return resolve_password(params.get("password_env"), params.get("password"), os.environ)[0]


def target_from_module_params(name: str, params: Mapping[str, Any]) -> Target:
    """The ``Target`` for the switch the module's parameters describe: over SNMP for ``backend:
    snmp`` (and ``auto`` when SNMP credentials are set), else the CLI one.

    For the CLI one, raises ``DeviceError`` without connecting when a ``password_env`` names a
    variable that is not set and there is no key file (``_credentials.login_problem``).
    """
    backend = params.get("backend")
    if backend in BACKENDS or str(params["platform"]) == GENERIC_PLATFORM:
        if str(params["platform"]) == GENERIC_PLATFORM:
            if backend not in (None, "snmp"):
                raise ValueError(f"platform {GENERIC_PLATFORM} is read over SNMP only (backend snmp), not {backend!r}")
            base = Target(name=name, host=params["host"], platform=GENERIC_PLATFORM, backend="snmp")
        else:
            base = target_from_params(
                name=name,
                host=params["host"],
                platform=params["platform"],
                port=params["port"],
                username=params.get("username") or "",
                password=password_from_params(params),
                backend=backend,
            )
        return discovery_target(base, params.get("snmp"), where="snmp")
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


def snmp_secrets_from_params(params: Mapping[str, Any]) -> List[str]:
    """The SNMP secrets the module's ``snmp`` option names (to scrub them from any message)."""
    cfg = params.get("snmp") or {}
    out: List[str] = []
    if isinstance(cfg, Mapping):
        for key in ("community_env", "auth_key_env", "priv_key_env"):
            name = cfg.get(key) or SNMP_OPTION_DEFAULTS[key]
            value = os.environ.get(str(name))
            if value:
                out.append(value)
    return out
