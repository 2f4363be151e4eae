# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters mac_normalize, mac_vendor and vendor_verdict (documented in the .yml files beside this one)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - required by ansible-test sanity (metaclass-boilerplate)

import datetime
import json

from ansible.errors import AnsibleFilterError

from ansible_collections.camguard.network.plugins.module_utils._classify import build_classifier
from ansible_collections.camguard.network.plugins.module_utils._mac import mac_to_int, to_cisco, to_hp, to_huawei
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError, InvalidMacError

FORMATS = ("canonical", "cisco", "hp", "huawei", "bare", "upper")
_CACHE = {}
_CACHE_MAX = 8


def _mac_text(name, value):
    if not isinstance(value, str):
        raise AnsibleFilterError(f"{name}: expected a MAC address string, got {type(value).__name__} {value!r}")
    return value


def mac_normalize(value, format="canonical"):
    """Return the MAC in one spelling; see mac_normalize.yml."""
    if format not in FORMATS:
        raise AnsibleFilterError(f"mac_normalize: format {format!r} is not one of {', '.join(FORMATS)}")
    try:
        n = mac_to_int(_mac_text("mac_normalize", value))
    except InvalidMacError as e:
        raise AnsibleFilterError(f"mac_normalize: {e}") from e
    h = f"{n:012x}"
    canonical = ":".join(h[i : i + 2] for i in range(0, 12, 2))
    if format == "cisco":
        return to_cisco(canonical)
    if format == "hp":
        return to_hp(canonical)
    if format == "huawei":
        return to_huawei(canonical)
    if format == "bare":
        return h
    if format == "upper":
        return canonical.upper()
    return canonical


def _classifier(name, overrides, waivers, profiles, registry):
    if profiles is None:
        profiles = []
    if isinstance(profiles, str):
        profiles = [profiles]
    if not isinstance(profiles, (list, tuple)):
        raise AnsibleFilterError(f"{name}: profiles must be a list of profile names, got {profiles!r}")
    try:
        key = json.dumps([overrides, waivers, list(profiles), bool(registry)], sort_keys=True, default=str)
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError(f"{name}: overrides and waivers must be plain data or file paths: {e}") from e
    c = _CACHE.get(key)
    if c is None:
        try:
            c = build_classifier(overrides=overrides, waivers=waivers, profiles=profiles, use_registry=bool(registry))
        except CamguardError as e:
            raise AnsibleFilterError(f"{name}: {e}") from e
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = c
    return c


def _today(name, today):
    if today is None or today == "":
        return None
    if isinstance(today, datetime.datetime):
        return today.date()
    if isinstance(today, datetime.date):
        return today
    try:
        return datetime.date.fromisoformat(str(today))
    except ValueError as e:
        raise AnsibleFilterError(f"{name}: today must be a date YYYY-MM-DD, got {today!r}") from e


def mac_vendor(value, default="unknown", overrides=None, profiles=None, registry=True):
    """Name of the maker of a MAC; see mac_vendor.yml."""
    c = _classifier("mac_vendor", overrides, None, profiles, registry)
    try:
        v = c.classify(_mac_text("mac_vendor", value))
    except InvalidMacError as e:
        raise AnsibleFilterError(f"mac_vendor: {e}") from e
    return v.vendor_name or default


def vendor_verdict(
    value, profiles=None, overrides=None, waivers=None, switch=None, interface=None, today=None, registry=True
):
    """Full verdict for a MAC; see vendor_verdict.yml."""
    c = _classifier("vendor_verdict", overrides, waivers, profiles, registry)
    try:
        v = c.classify(
            _mac_text("vendor_verdict", value),
            switch=switch,
            interface=interface,
            today=_today("vendor_verdict", today),
        )
    except InvalidMacError as e:
        raise AnsibleFilterError(f"vendor_verdict: {e}") from e
    out = v.to_dict()
    out["policy_version"] = c.policy.policy_version
    out["registry_date"] = c.policy.registry_date
    return out


class FilterModule:
    """camguard.network MAC and vendor filters."""

    def filters(self):
        return {
            "mac_normalize": mac_normalize,
            "mac_vendor": mac_vendor,
            "vendor_verdict": vendor_verdict,
        }
