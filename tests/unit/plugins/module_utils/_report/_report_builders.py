# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builders shared by the report tests: findings and results as the pipeline gives them, and
readers of the rendered formats."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._records import Finding, Verdict, Waiver
from ansible_collections.camguard.network.plugins.module_utils._report import formats as F
from ansible_collections.camguard.network.plugins.module_utils._report import model as R

TS = "2026-11-30T12:00:00Z"
HIK = "Hangzhou Hikvision Digital Technology Co.,Ltd."
DAHUA = "Zhejiang Dahua Technology Co., Ltd."
HOSTILE = ("<script>alert(1)</script>", "{{ 7*7 }}", '" onmouseover="alert(2)', "</td></tr><tr><td>x", "&amp;")


def finding(
    mac: str,
    switch: str = "lab-sw1",
    interface: str = "swp3",
    vlan: Optional[int] = 10,
    status: str = "named",
    vendor_key: Optional[str] = "hikvision",
    vendor_name: Optional[str] = HIK,
    basis: Sequence[str] = ("us_ndaa_fy2019_s889",),
    ip: Optional[str] = None,
    confidence: str = "edge",
    waiver: Optional[Waiver] = None,
    evidence: Optional[List[str]] = None,
) -> Dict[str, Any]:
    verdict = Verdict(
        mac=mac,
        status=status,
        vendor_key=vendor_key,
        vendor_name=vendor_name,
        basis=tuple(basis),
        matched_prefix=mac[:8],
        prefix_bits=24,
        source="policy",
        waiver=waiver,
        default_action="isolate",
    )
    return Finding(
        mac=mac,
        switch=switch,
        interface=interface,
        vlan=vlan,
        verdict=verdict,
        ip=ip,
        location_confidence=confidence,
        evidence=evidence if evidence is not None else [f"{interface}: access, 1 MAC, no LLDP neighbour"],
        seen_on=[(switch, interface)],
        first_seen="2026-11-30T10:00:00Z",
        last_seen="2026-11-30T11:00:00Z",
    ).to_dict()


def result(switch: str, interface: str, action: str, mac: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    d: Dict[str, Any] = {"switch": switch, "interface": interface, "action": action, "mode": "vlan"}
    d.update(extra)
    if mac:
        d["mac"] = mac
    return d


WAIVER = Waiver(owner="facilities", reason="lift controller", ticket="RISK-17", expires="2027-03-31")


def mixed_report() -> R.Report:
    """Six restricted devices with every outcome, one unrestricted MAC and one unreachable switch."""
    findings = [
        finding("44:19:b6:00:00:01", "lab-sw1", "swp3", ip="10.10.10.21"),
        finding("e0:50:8b:00:00:02", "lab-sw1", "swp10", vendor_key="dahua", vendor_name=DAHUA),
        finding("e0:50:8b:00:00:03", "lab-sw2", "swp4", vendor_key="dahua", vendor_name=DAHUA, confidence="ambiguous"),
        finding("00:18:82:00:00:04", "lab-sw2", "swp5", vendor_key="huawei", vendor_name="HUAWEI", waiver=WAIVER),
        finding(
            "bc:ad:28:00:00:05",
            "lab-sw2",
            "swp6",
            status="affiliate",
            waiver=Waiver(owner="ops", reason="old", ticket="RISK-1", expires="2025-01-31", expired=True),
        ),
        finding("44:19:b6:00:00:06", "lab-sw10", "swp2", status="review", confidence="uplink-only"),
        finding("00:11:22:33:44:55", "lab-sw1", "swp9", status="unrestricted", vendor_key=None, vendor_name="Acme"),
    ]
    results = [
        result("lab-sw1", "swp3", "isolated", change_id="CHG001", time="2026-11-30T11:05:00Z"),
        result("lab-sw1", "swp10", "refused", reason="trunk port", change_id="CHG001"),
        result("lab-sw2", "swp4", "failed", mac="e0:50:8b:00:00:03", reason="commit timed out"),
        result("lab-sw2", "swp6", "isolated", mode="shutdown"),
        result("lab-sw9", "swp1", "isolated"),
    ]
    unreachable = [{"switch": "lab-sw3", "error": "timeout after 30 s"}, "lab-sw3"]
    return R.build_report(findings, results, unreachable, title="Lab audit", policy_version="2026.11.30")


# --------------------------------------------------------------------------- format readers


def csv_rows(rep: R.Report) -> Tuple[List[str], List[Dict[str, str]]]:
    text = F.render("csv", rep, TS)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def junit_root(rep: R.Report) -> ET.Element:
    return ET.fromstring(F.render("junit", rep, TS).encode("utf-8"))


class Page(HTMLParser):
    """Collects the tags and the device rows of the HTML report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: List[str] = []
        self.attrs: List[Tuple[str, Optional[str]]] = []
        self.rows: List[str] = []
        self.text: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        a = dict(attrs)
        if tag == "tr" and "device" in (a.get("class") or "").split():
            self.rows.append(a.get("data-mac") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_page(rep: R.Report) -> Tuple[str, Page]:
    text = F.render("html", rep, TS)
    p = Page()
    p.feed(text)
    p.close()
    return text, p
