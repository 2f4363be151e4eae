# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared test builders (``builders.py``) give records the pipeline's own readers accept."""

from __future__ import annotations

from builders import CAM, classifier, finding, finding_dict, verdict, waiver

from ansible_collections.camguard.network.plugins.module_utils._records import Finding, Verdict, Waiver


def test_verdict_defaults_are_the_dataclass_defaults_plus_a_vendor() -> None:
    assert verdict(CAM) == Verdict(CAM, "named", vendor_key="hikvision", vendor_name="Hikvision")
    assert verdict(CAM, "unrestricted") == Verdict(CAM, "unrestricted")
    assert verdict(CAM, "affiliate", vendor_key="dahua").vendor_name == "Dahua"
    v = verdict(CAM, by_policy=True, prefix_bits=28)
    assert (v.matched_prefix, v.prefix_bits, v.source, v.default_action) == ("bc:ad:28", 28, "policy", "isolate")


def test_finding_dict_is_what_finding_from_dict_reads_back() -> None:
    w = waiver(expires="2030-01-01", mac=CAM)
    d = finding_dict(CAM, "sw2", "Gi1/0/7", 20, ip="10.0.0.5", waiver=w, by_policy=True, seen_on=[("sw2", "Gi1/0/7")])
    f = Finding.from_dict(d)
    assert f.to_dict() == d
    assert f.verdict.waiver == w and f.evidence == ["Gi1/0/7: access, 1 MAC, no LLDP neighbour"]
    assert finding(CAM, verdict=verdict(CAM, "review")).verdict.status == "review"
    assert Waiver.from_dict(w.to_dict()) == w


def test_classifier_names_restricted_prefixes_only() -> None:
    verdict_for = classifier({"bc:ad:28": "hikvision"}, basis=("ndaa",), waivers={("sw1", "Gi1/0/2"): waiver()})
    assert verdict_for(CAM) == Verdict(CAM, "named", "hikvision", "Hikvision", ("ndaa",))
    assert verdict_for(CAM, "sw1", "Gi1/0/2").waiver == waiver()
    assert verdict_for("00:50:56:00:00:09") == Verdict("00:50:56:00:00:09", "unrestricted")
