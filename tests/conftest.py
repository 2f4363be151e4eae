"""Make ``ansible_collections.camguard.network`` importable when pytest runs from the repo root.

`make layout` links the repository at .build/collections/ansible_collections/camguard/network;
this does the same for a bare `pytest` run so that no test depends on ../shared or on an
installed copy of the collection.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COLLECTIONS = REPO / ".build" / "collections"
LINK = COLLECTIONS / "ansible_collections" / "camguard" / "network"
FIXTURES = REPO / "tests" / "fixtures"
RECORDED = FIXTURES / "recorded"

if not LINK.exists():
    LINK.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(REPO, LINK.parent), LINK)
try:
    # Ansible's own collection loader, exactly as ansible-playbook sets it up, so that plugins
    # (inventory, filters, modules) load through it and module_utils imports resolve the same way.
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([str(COLLECTIONS)])
except ImportError:  # pragma: no cover - plain-Python fallback
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden expectation files from the current output (read the diff before committing)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def recorded_dir() -> Path:
    return RECORDED
