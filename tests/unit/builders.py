# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builders of the pipeline's records for any unit test: verdicts, findings, waivers, and a
stand-in classifier. Importable by its plain name (``tests/unit/conftest.py`` puts this folder on
``sys.path``)::

    from builders import classifier, finding, finding_dict, verdict, waiver

    verdict("bc:ad:28:00:00:01")                      # named hikvision, as a hand-built Verdict
    verdict(mac, "named", by_policy=True)             # ... as the policy classifier gives it
    verdict(mac, "unrestricted")                      # Verdict(mac, "unrestricted")
    finding(mac, "sw1", "Gi1/0/3", waiver=waiver())   # a Finding; verdict fields go to verdict()
    finding_dict(mac, switch="sw0", interface="Gi1/0/2")  # Finding(...).to_dict()
    locate(switches, classifier({"bc:ad:28": "hikvision"}))

Every field of ``Verdict`` and ``Finding`` can be given; the defaults are the dataclasses' own
except where noted, so that a test says only what matters to it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.camguard.network.plugins.module_utils._records import (
    RESTRICTED_STATUSES,
    Finding,
    Verdict,
    Waiver,
)

CAM = "bc:ad:28:00:00:01"  # a Hikvision MAC (MA-L bc:ad:28)
HIKVISION = "Hangzhou Hikvision Digital Technology Co.,Ltd."
NDAA = "us_ndaa_fy2019_s889"

_UNSET: Any = object()


def waiver(
    owner: str = "sec",
    reason: str = "lab",
    ticket: str = "CHG1",
    expires: str = "2099-01-01",
    **fields: Any,
) -> Waiver:
    """A waiver that protects until 2099 unless told otherwise (``mac``, ``switch``, ``interface``,
    ``expired`` as in ``Waiver``)."""
    return Waiver(owner=owner, reason=reason, ticket=ticket, expires=expires, **fields)


def verdict(
    mac: str = CAM,
    status: str = "named",
    *,
    vendor_key: Optional[str] = _UNSET,
    vendor_name: Optional[str] = _UNSET,
    basis: Sequence[str] = (),
    matched_prefix: Optional[str] = _UNSET,
    prefix_bits: Optional[int] = _UNSET,
    source: Optional[str] = _UNSET,
    registry_org: Optional[str] = None,
    waiver: Optional[Waiver] = None,
    default_action: str = _UNSET,
    by_policy: bool = False,
) -> Verdict:
    """A verdict on ``mac``.

    A restricted ``status`` (named, affiliate, review, other_prc_cctv) defaults to vendor
    ``hikvision`` / ``Hikvision`` (``vendor_name`` defaults to the key in title case); any other
    status to no vendor. ``by_policy`` fills what the policy classifier adds to a match: the
    matched prefix (the MAC's OUI), 24 bits, source ``policy`` and default action ``isolate``.
    """
    restricted = status in RESTRICTED_STATUSES
    if vendor_key is _UNSET:
        vendor_key = "hikvision" if restricted else None
    if vendor_name is _UNSET:
        vendor_name = vendor_key.title() if vendor_key else None
    policy = {"matched_prefix": mac[:8], "prefix_bits": 24, "source": "policy", "default_action": "isolate"}
    given = {
        "matched_prefix": matched_prefix,
        "prefix_bits": prefix_bits,
        "source": source,
        "default_action": default_action,
    }
    defaults = {"matched_prefix": None, "prefix_bits": None, "source": None, "default_action": "report"}
    extra = {k: (v if v is not _UNSET else (policy if by_policy else defaults)[k]) for k, v in given.items()}
    return Verdict(
        mac=mac,
        status=status,
        vendor_key=vendor_key,
        vendor_name=vendor_name,
        basis=tuple(basis),
        registry_org=registry_org,
        waiver=waiver,
        **extra,
    )


_verdict = verdict


def finding(
    mac: str = CAM,
    switch: str = "sw1",
    interface: str = "Gi1/0/3",
    vlan: Optional[int] = 10,
    *,
    verdict: Optional[Verdict] = None,
    ip: Optional[str] = None,
    confidence: str = "edge",
    evidence: Optional[List[str]] = None,
    seen_on: Sequence[Tuple[str, str]] = (),
    first_seen: Optional[str] = None,
    last_seen: Optional[str] = None,
    **verdict_fields: Any,
) -> Finding:
    """A finding of ``mac`` on ``switch`` ``interface``.

    Its verdict is ``verdict``, or ``verdict(mac, **verdict_fields)`` (``status``, ``vendor_key``,
    ``waiver``, ``by_policy``...). ``evidence`` defaults to the one line of an edge port:
    ``"<interface>: access, 1 MAC, no LLDP neighbour"``; ``confidence`` is ``location_confidence``.
    """
    if verdict is not None and verdict_fields:
        raise TypeError(f"give either a verdict or verdict fields, not both: {sorted(verdict_fields)}")
    return Finding(
        mac=mac,
        switch=switch,
        interface=interface,
        vlan=vlan,
        verdict=verdict if verdict is not None else _verdict(mac, **verdict_fields),
        ip=ip,
        location_confidence=confidence,
        evidence=list(evidence) if evidence is not None else [f"{interface}: access, 1 MAC, no LLDP neighbour"],
        seen_on=list(seen_on),
        first_seen=first_seen,
        last_seen=last_seen,
    )


def finding_dict(*args: Any, **kwargs: Any) -> Dict[str, Any]:
    """``finding(...).to_dict()``: a finding as the modules and the report read it."""
    return finding(*args, **kwargs).to_dict()


Classifier = Callable[..., Verdict]


def classifier(
    restricted: Mapping[str, str],
    *,
    basis: Sequence[str] = (),
    waivers: Optional[Mapping[Tuple[str, str], Waiver]] = None,
) -> Classifier:
    """A stand-in for the classifier that ``locate`` calls as ``verdict_for(mac, switch, interface)``:
    a MAC under one of the ``restricted`` prefixes (``{"bc:ad:28": "hikvision"}``) is ``named`` for
    that vendor (with ``basis``, and the waiver of ``waivers[(switch, interface)]`` if any); any other
    MAC is ``unrestricted``."""
    prefixes = {p.lower().rstrip(":"): key for p, key in restricted.items()}
    ports = dict(waivers or {})

    def verdict_for(mac: str, switch: str = "", interface: str = "") -> Verdict:
        for prefix, key in prefixes.items():
            if mac.lower().startswith(prefix):
                return _verdict(mac, "named", vendor_key=key, basis=basis, waiver=ports.get((switch, interface)))
        return _verdict(mac, "unrestricted")

    return verdict_for
