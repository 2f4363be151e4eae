# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the isolate tests: NAPALM's own mock driver as the NAPALM path's seam."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict

import pytest


@pytest.fixture
def napalm_mock() -> Callable[[Path, Dict[str, Any]], Any]:
    """A factory: NAPALM's "mock" driver answering each call from ``<method>.<n>`` files in a folder."""
    napalm = pytest.importorskip("napalm")

    def make(tmp_path: Path, files: Dict[str, Any]) -> Any:
        for name, data in files.items():
            (tmp_path / name).write_text(json.dumps(data))
        driver = napalm.get_network_driver("mock")(
            "sw1", "u", "p", optional_args={"path": str(tmp_path), "profile": ["eos"]}
        )
        driver.open()
        return driver

    return make
