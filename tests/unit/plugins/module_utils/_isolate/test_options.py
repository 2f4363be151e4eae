# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options: validated once (``Options`` itself and ``Options.from_params``), change windows, the
value checks; errors name the option and the value."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any, Dict

import pytest

from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    IsolationError,
    Options,
    check_change_id,
    check_peers,
    isolation_argument_spec,
    parse_change_window,
)

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)  # a Wednesday


def params(**over: Any) -> Dict[str, Any]:
    """The module's parameters as Ansible hands them over: every option, defaults filled in."""
    p = {k: v.get("default") for k, v in isolation_argument_spec().items()}
    p.update(over)
    return p


# ----------------------------------------------------------------- change windows


@pytest.mark.parametrize(
    ("text", "now", "is_open"),
    [
        ("22:00-04:00", datetime(2026, 12, 2, 23, 0, tzinfo=timezone.utc), True),
        ("22:00-04:00", datetime(2026, 12, 2, 3, 59, tzinfo=timezone.utc), True),
        ("22:00-04:00", datetime(2026, 12, 2, 4, 0, tzinfo=timezone.utc), False),
        ("Sat 22:00-04:00", datetime(2026, 12, 6, 2, 0, tzinfo=timezone.utc), True),  # Sunday 02:00
        ("Sat 22:00-04:00", datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc), False),  # Monday 02:00
        ("Mon-Fri 09:00-17:00 Europe/London", datetime(2026, 7, 1, 8, 30, tzinfo=timezone.utc), True),  # BST
        ("Mon-Fri 09:00-17:00 Europe/London", datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc), False),
        ("Fri-Mon 00:00-23:59", datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc), True),
        ("Fri-Mon 00:00-23:59", datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc), False),
    ],
)
def test_window_open(text: str, now: datetime, is_open: bool) -> None:
    w = parse_change_window(text)
    assert w is not None and w.is_open(now) is is_open


@pytest.mark.parametrize("bad", ["9-5", "25:00-26:00", "Funday 01:00-02:00", "01:00-01:00", "01:00-02:00 Mars/Base"])
def test_window_errors_name_the_value(bad: str) -> None:
    with pytest.raises(IsolationError, match="change_window"):
        parse_change_window(bad)


def test_option_validators() -> None:
    assert check_peers(["10.66.10.20", "10.66.0.0/16"]) == ("10.66.0.0/16", "10.66.10.20/32")
    with pytest.raises(IsolationError, match="allowed_peers"):
        check_peers(["10.66.10.300"])
    with pytest.raises(IsolationError, match="IPv4"):
        check_peers(["2001:db8::1"])
    with pytest.raises(IsolationError, match="change_id"):
        check_change_id("CHG1; reload")
    with pytest.raises(IsolationError, match="change_id"):
        check_change_id("CHG1\n")


# ----------------------------------------------------------------- the options, validated once


def test_from_params_checks_and_normalises() -> None:
    o = Options.from_params(
        params(
            allowed_peers=["10.66.10.20", "10.66.0.0/16"],
            change_id="CHG1",
            change_window="Sat,Sun 01:00-05:00 Europe/London",
            exception_pattern="",
            quarantine_vlan="998",
            statuses=["named"],
            release_interfaces=["swp3"],
        ),
        check_mode=True,
    )
    assert o.allowed_peers == ("10.66.0.0/16", "10.66.10.20/32")
    assert o.change_window is not None and o.change_window.days == (5, 6) and o.change_window.tz == "Europe/London"
    assert o.exception_pattern is None and o.exception_re is None
    assert (o.quarantine_vlan, o.statuses, o.release_interfaces, o.check_mode) == (998, ("named",), ("swp3",), True)
    assert not o.applying
    assert Options.from_params(params(change_id=""), check_mode=False).change_id is None


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"quarantine_vlan": 4095}, "quarantine_vlan"),
        ({"quarantine_vlan_name": "bad name"}, "quarantine_vlan_name"),
        ({"allowed_peers": ["10.0.0.300"]}, "allowed_peers"),
        ({"change_id": "CHG1; reload"}, "change_id"),
        ({"change_window": "9-5"}, "change_window"),
        ({"exception_pattern": "("}, "exception_pattern"),
        ({"max_ports": 0}, "max_ports"),
        ({"max_macs_per_port": 0}, "max_macs_per_port"),
    ],
)
def test_from_params_errors_name_the_option(over: Dict[str, Any], match: str) -> None:
    with pytest.raises(IsolationError, match=match):
        Options.from_params(params(**over), check_mode=False)


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"mode": "cut"}, "mode 'cut' is invalid"),
        ({"state": "gone"}, "state 'gone' is invalid"),
        ({"quarantine_vlan": 0}, "VLAN"),
    ],
)
def test_options_made_directly_are_checked_too(over: Dict[str, Any], match: str) -> None:
    with pytest.raises(IsolationError, match=match):
        Options(now=NOW, **over)
    ok = Options(now=NOW)
    with pytest.raises(IsolationError, match=match):
        dataclasses.replace(ok, **over)


@pytest.mark.parametrize(
    ("check_mode", "state", "applying"),
    [(False, "isolated", True), (False, "released", True), (True, "isolated", False), (False, "planned", False)],
)
def test_applying_outside_check_mode_and_planned(check_mode: bool, state: str, applying: bool) -> None:
    assert Options(state=state, check_mode=check_mode, now=NOW).applying is applying
