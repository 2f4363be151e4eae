# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``mixed`` report: six restricted devices with every outcome (``_report_builders.mixed_report``)."""

from __future__ import annotations

import pytest
from _report_builders import mixed_report

from ansible_collections.camguard.network.plugins.module_utils._report import model as R


@pytest.fixture
def mixed() -> R.Report:
    return mixed_report()
