# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The isolation door for findings: ``targets_from_dicts`` reads verdicts and waivers with the
records' readers, and ``waiver_active`` applies ``Waiver.active_on``."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, Optional

import pytest

from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    IsolationError,
    targets_from_dicts,
    waiver_active,
)
from ansible_collections.camguard.network.plugins.module_utils._records import Finding, Verdict, Waiver

CAM = "bc:ad:28:11:22:33"
DAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("waiver", "active"),
    [
        (None, False),
        ({}, False),
        ({"expires": "2026-12-02"}, True),  # inclusive
        ({"expires": "2026-12-01"}, False),
        ({"owner": "sec"}, True),  # no date never expires
        ({"expires": "soon"}, False),  # unreadable protects nothing
        ({"expires": "2099-01-01", "expired": True}, False),
        ({"expires": "2099-01-01", "expired": "no"}, False),  # unreadable waiver protects nothing
    ],
)
def test_waiver_active_is_the_records_rule(waiver: Optional[Dict[str, Any]], active: bool) -> None:
    assert waiver_active(waiver, DAY) is active
    if waiver and "expired" not in waiver:
        assert Waiver.from_dict(waiver).active_on(DAY) is active


def test_finding_dicts_and_port_items_give_the_same_target() -> None:
    w = Waiver("o", "r", "T-1", "2030-01-01")
    f = Finding(
        CAM, "sw1", "swp3", 10, Verdict(CAM, "affiliate", "hikvision", waiver=w), location_confidence="ambiguous"
    )
    item = {
        "mac": CAM.upper(),
        "interface": "swp3",
        "vlan": 10,
        "status": "affiliate",
        "vendor_key": "hikvision",
        "waiver": w.to_dict(),
        "location_confidence": "ambiguous",
    }
    assert targets_from_dicts([f.to_dict()]) == targets_from_dicts([item])
    # a port item's own keys win over its verdict's
    [t] = targets_from_dicts([dict(f.to_dict(), status="review", waiver={"expires": "2031-01-01"})])
    assert (t.status, t.waiver) == ("review", {"expires": "2031-01-01"})


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"mac": CAM, "interface": "swp3", "verdict": {"status": "evil"}},
            r"^ports\[0\]\.verdict\.status: 'evil' is not one of named",
        ),
        (
            {"mac": CAM, "interface": "swp3", "verdict": {"status": "named", "waiver": {"expired": "no"}}},
            r"^ports\[0\]\.verdict\.waiver\.expired: expected true or false",
        ),
        (
            {"mac": CAM, "interface": "swp3", "waiver": {"owner": ["a", "b"]}},
            r"^ports\[0\]\.waiver\.owner: expected a string, got list",
        ),
        ({"mac": CAM, "interface": "swp3", "waiver": "CHG1"}, r"^ports\[0\]\.waiver: expected a mapping, got str$"),
    ],
)
def test_malformed_verdict_or_waiver_is_refused_at_the_door(item: Dict[str, Any], message: str) -> None:
    with pytest.raises(IsolationError, match=message):
        targets_from_dicts([item])
