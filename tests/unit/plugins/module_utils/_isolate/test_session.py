# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sessions: one class per commit model, chosen from the platform table (NAPALM's when the
transport is NAPALM); the NAPALM path through NAPALM's own mock driver."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import (
    SESSIONS,
    ApplyError,
    CommitConfirmedSession,
    ConfigModeSession,
    ConfigureSession,
    NapalmSession,
    ShellSession,
    apply_napalm,
    napalm_commit_confirms,
    open_session,
)
from ansible_collections.camguard.network.plugins.module_utils._platforms import (
    COMMIT_MODELS,
    PLATFORMS,
    isolation_platforms,
)

EXPECTED = {
    "cisco_ios": ConfigModeSession,
    "cisco_nxos": ConfigModeSession,
    "aruba_aoscx": ConfigModeSession,
    "hp_procurve": ConfigModeSession,
    "arista_eos": ConfigureSession,
    "juniper_junos": CommitConfirmedSession,
    "linux_bridge": ShellSession,
}


def test_one_session_class_per_commit_model() -> None:
    assert set(SESSIONS) == set(COMMIT_MODELS)
    assert {cls.model for cls in SESSIONS.values()} == set(COMMIT_MODELS)


@pytest.mark.parametrize("platform", isolation_platforms())
def test_the_platform_table_chooses_the_session(platform: str) -> None:
    s = open_session(ReplayTransport("sw1", {}), platform, "sw1", "CHG1")
    assert isinstance(s, EXPECTED[platform])
    facts = PLATFORMS[platform].isolation
    assert facts is not None and s.save_command == facts.save_command


def test_a_napalm_transport_gets_the_napalm_session_whatever_the_commit_model() -> None:
    t = ReplayTransport("sw1", {})
    t.device = object()  # type: ignore[attr-defined]
    t.platform = SimpleNamespace(napalm_driver="junos")  # type: ignore[attr-defined]
    s = open_session(t, "juniper_junos", "sw1", "CHG1")
    assert isinstance(s, NapalmSession) and s.napalm_driver == "junos" and s.save_command is None


def test_no_session_for_a_platform_without_isolation() -> None:
    with pytest.raises(ApplyError, match="not supported on platform 'hp_comware'"):
        open_session(ReplayTransport("sw1", {}), "hp_comware", "sw1", "CHG1")


def test_napalm_commit_confirm_comes_from_the_platform_table() -> None:
    assert {d: napalm_commit_confirms(d) for d in ("ios", "eos", "junos", "nxos_ssh")} == {
        "ios": True,
        "eos": True,
        "junos": True,
        "nxos_ssh": False,
    }


def test_config_mode_saves_after_confirm_and_a_rejected_save_fails() -> None:
    t = ReplayTransport("sw1", {"write memory": "% Error: NVRAM full"})
    s = open_session(t, "cisco_ios", "sw1", "CHG1")
    with pytest.raises(ApplyError, match="write memory rejected: % Error: NVRAM full"):
        s.confirm()
    assert not s.native_rollback()


# ----------------------------------------------------------------- NAPALM path (NAPALM's own mock driver)


def test_napalm_merge_compare_commit_confirm(tmp_path: Path, napalm_mock: Any) -> None:
    drv = napalm_mock(
        tmp_path,
        {
            "load_merge_candidate.1": {},
            "compare_config.1": {"diff": "+interface Ethernet3\n+ shutdown"},
            "commit_config.1": {},
            "confirm_commit.1": {},
        },
    )
    changed, diff = apply_napalm(drv, ["interface Ethernet3", " shutdown"], "eos", verify=lambda: None)
    assert changed and "shutdown" in diff
    assert not drv.has_pending_commit()


def test_napalm_verify_failure_rolls_back(tmp_path: Path, napalm_mock: Any) -> None:
    drv = napalm_mock(
        tmp_path,
        {
            "load_merge_candidate.1": {},
            "compare_config.1": {"diff": "+x"},
            "commit_config.1": {},
        },
    )
    with pytest.raises(ApplyError, match="rolled back"):
        apply_napalm(drv, ["interface Ethernet3", " shutdown"], "eos", verify=lambda: "Ethernet3 still up")
    assert not drv.has_pending_commit()


def test_napalm_no_diff_discards(tmp_path: Path, napalm_mock: Any) -> None:
    drv = napalm_mock(
        tmp_path, {"load_merge_candidate.1": {}, "compare_config.1": {"diff": ""}, "discard_config.1": {}}
    )
    assert apply_napalm(drv, ["interface Ethernet3", " shutdown"], "eos", verify=lambda: None) == (False, "")


def test_napalm_commit_error_discards(tmp_path: Path, napalm_mock: Any) -> None:
    drv = napalm_mock(
        tmp_path,
        {
            "load_merge_candidate.1": {},
            "compare_config.1": {"diff": "+x"},
            "commit_config.1": {"exception": "napalm.base.exceptions.CommitError", "args": ["boom"]},
            "discard_config.1": {},
        },
    )
    with pytest.raises(ApplyError, match="commit failed: boom"):
        apply_napalm(drv, ["x"], "eos", verify=lambda: None)
