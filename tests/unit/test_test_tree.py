# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test tree itself: ``pytest tests`` collects, and the unit tests mirror the plugin tree.

The test folders are no packages (pytest's rootdir-less "prepend" import mode), so every test
module and every helper imported by its plain name (``_contract``, ``builders``) must have a
basename of its own across ``tests/``: two ``test_injection.py`` once broke ``pytest tests``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Dict, List

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
SHARED_NAMES = {"conftest.py", "__init__.py"}


def test_module_basenames_are_unique_across_tests() -> None:
    seen: Dict[str, List[str]] = defaultdict(list)
    for path in sorted(TESTS.rglob("*.py")):
        rel = path.relative_to(TESTS)
        if rel.parts[0] == "fixtures" or path.name in SHARED_NAMES or "__pycache__" in rel.parts:
            continue
        seen[path.name].append(str(rel))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"test modules that pytest (or a plain-name import) would confuse: {clashes}"


def test_unit_test_folders_mirror_the_plugin_tree() -> None:
    unit_plugins = TESTS / "unit" / "plugins"
    folders = {p.parent for p in unit_plugins.rglob("test_*.py")}
    missing = sorted(
        str(f.relative_to(TESTS)) for f in folders if not (REPO / "plugins" / f.relative_to(unit_plugins)).is_dir()
    )
    assert not missing, f"test folders without a plugin folder of the same path: {missing}"
