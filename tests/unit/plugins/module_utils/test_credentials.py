# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one credential order (README "Which credential wins") as the modules and the inventory read it."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.args import (
    connection_argument_spec,
    password_from_params,
    target_from_module_params,
)
from ansible_collections.camguard.network.plugins.module_utils._credentials import (
    explicit_password_env,
    login_problem,
    resolve_password,
    usable_key,
)
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError


@pytest.mark.parametrize(
    "password_env, host, environ, expected",
    [
        # 1. an explicitly named variable wins over everything, and when unset nothing else is used
        (
            "SITE_PW",
            "host",
            {"SITE_PW": "site", "CAMGUARD_PASSWORD": "env", "ANSIBLE_NET_PASSWORD": "net"},
            ("site", None),
        ),
        ("SITE_PW", "host", {"CAMGUARD_PASSWORD": "env", "ANSIBLE_NET_PASSWORD": "net"}, (None, "SITE_PW")),
        ("SITE_PW", None, {"SITE_PW": ""}, (None, "SITE_PW")),  # set but empty is unset
        # 2. the host's ansible_password (the module's password option) before the environment
        ("CAMGUARD_PASSWORD", "host", {"CAMGUARD_PASSWORD": "env", "ANSIBLE_NET_PASSWORD": "net"}, ("host", None)),
        (None, "host", {"CAMGUARD_PASSWORD": "env"}, ("host", None)),
        # 3. CAMGUARD_PASSWORD, 4. ANSIBLE_NET_PASSWORD (AWX Network credential)
        (None, None, {"CAMGUARD_PASSWORD": "env", "ANSIBLE_NET_PASSWORD": "net"}, ("env", None)),
        (None, None, {"ANSIBLE_NET_PASSWORD": "net"}, ("net", None)),
        (None, None, {}, (None, None)),
    ],
)
def test_password_order(
    password_env: Optional[str], host: Optional[str], environ: Dict[str, str], expected: tuple
) -> None:
    assert resolve_password(password_env, host, environ) == expected


def test_the_default_name_is_not_an_override() -> None:
    assert explicit_password_env("CAMGUARD_PASSWORD") is None
    assert explicit_password_env("") is None
    assert explicit_password_env("X") == "X"


def test_an_empty_key_file_is_no_key(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("")
    key = tmp_path / "key"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    assert not usable_key(str(empty)) and not usable_key("") and not usable_key(None)
    assert usable_key(str(key))
    assert usable_key(str(tmp_path / "missing"))  # the SSH library names a path that does not exist
    assert login_problem(None, str(empty), "NO_SUCH_PW_VAR") is not None
    assert login_problem(None, str(key), "NO_SUCH_PW_VAR") is None  # key only: tried
    assert login_problem("pw", None, None) is None
    assert login_problem(None, None, None) is None  # nothing at all: the SSH session says so


def _params(**given: object) -> Dict[str, object]:
    params: Dict[str, object] = {k: v.get("default") for k, v in connection_argument_spec().items()}
    params.update(host="192.0.2.1", platform="cisco_ios", username="u", backend=None)
    params.update(given)
    return params


def test_module_password_follows_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMGUARD_PASSWORD", "env")
    monkeypatch.setenv("SITE_PW", "site")
    monkeypatch.delenv("ANSIBLE_NET_PASSWORD", raising=False)
    assert password_from_params(_params(password="host", password_env="SITE_PW")) == "site"
    assert password_from_params(_params(password="host", password_env="CAMGUARD_PASSWORD")) == "host"
    assert password_from_params(_params(password=None, password_env=None)) == "env"
    monkeypatch.delenv("SITE_PW")
    assert password_from_params(_params(password="host", password_env="SITE_PW")) is None


def test_module_refuses_to_connect_without_the_named_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NO_SUCH_PW_VAR", raising=False)
    monkeypatch.delenv("ANSIBLE_NET_SSH_KEYFILE", raising=False)
    with pytest.raises(
        DeviceError, match=r"^sw: no login attempted: password_env names NO_SUCH_PW_VAR, which is not set"
    ):
        target_from_module_params("sw", _params(password_env="NO_SUCH_PW_VAR"))
    key = tmp_path / "id"
    key.write_text("key")
    target = target_from_module_params("sw", _params(password_env="NO_SUCH_PW_VAR", private_key_file=str(key)))
    assert target.credentials.password is None and target.credentials.private_key_file == str(key)


def test_module_key_file_falls_back_to_the_network_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_NET_SSH_KEYFILE", "/net/key")
    monkeypatch.setenv("CAMGUARD_PASSWORD", "env")
    assert target_from_module_params("sw", _params(private_key_file=None)).credentials.private_key_file == "/net/key"
    # "" is the AWX credential type's "no key": no fallback
    assert target_from_module_params("sw", _params(private_key_file="")).credentials.private_key_file is None
