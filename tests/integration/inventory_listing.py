# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for reading ``ansible-inventory --list`` output in the integration tests."""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    """ansible-core 2.19+ prints unsafe values as {"__ansible_unsafe": ...}; unwrap recursively."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
