# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tier-2 platforms: the parser specs of HPE Comware, Huawei VRP, Dell OS10, Ruckus/Brocade
FastIron and Extreme EXOS, assembled from one module per platform family.

All imports are static so that Ansible's module packer (AnsiballZ) finds and ships them.
"""

from __future__ import annotations

from typing import Dict

from ansible_collections.camguard.network.plugins.module_utils import (
    _parse_comware,
    _parse_exos,
    _parse_fastiron,
    _parse_os10,
    _parse_vrp,
)
from ansible_collections.camguard.network.plugins.module_utils._parse_common import ParserSpec

SPECS: Dict[str, ParserSpec] = {
    "hp_comware": _parse_comware.SPEC,
    "huawei_vrp": _parse_vrp.SPEC,
    "dell_os10": _parse_os10.SPEC,
    "ruckus_fastiron": _parse_fastiron.SPEC,
    "extreme_exos": _parse_exos.SPEC,
}
