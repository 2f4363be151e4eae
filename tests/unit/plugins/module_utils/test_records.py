# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record serialisation: the spelled-out ``to_dict`` forms match the dataclass fields."""

from __future__ import annotations

import dataclasses

import pytest

from ansible_collections.camguard.network.plugins.module_utils._records import Verdict, Waiver

WAIVER = Waiver(owner="sec", reason="lab", ticket="CHG1", expires="2099-01-01", mac="bc:ad:28:00:00:01", expired=True)


@pytest.mark.parametrize(
    "verdict",
    [
        Verdict(mac="00:50:56:00:00:09", status="unknown"),
        Verdict(
            mac="bc:ad:28:00:00:01",
            status="named",
            vendor_key="hikvision",
            vendor_name="Hikvision",
            basis=("us_ndaa_fy2019_s889", "uk_cabinet_office_2022"),
            matched_prefix="bc:ad:28",
            prefix_bits=24,
            source="policy",
            registry_org="Hangzhou Hikvision Digital Technology Co.,Ltd.",
            waiver=WAIVER,
            default_action="report",
        ),
    ],
)
def test_verdict_to_dict_is_every_field_plus_restricted(verdict: Verdict) -> None:
    expected = dataclasses.asdict(verdict)
    expected["basis"] = list(verdict.basis)
    expected["restricted"] = verdict.restricted
    d = verdict.to_dict()
    assert d == expected
    assert list(d) == list(expected)  # same key order as before (reports and hostvars keep their order)
    assert d["basis"].__class__ is list
