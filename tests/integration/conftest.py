# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests run against the lab: lab/*.py are importable as plain modules here, and the
``lab_small`` fixture builds the ``small`` topology once per session in a private state dir with
its own run prefix, and always tears it down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"
if str(LAB) not in sys.path:
    sys.path.insert(0, str(LAB))


def labctl(state: Path, *args: str, check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CAMGUARD_LAB_STATE=str(state))
    proc = subprocess.run(
        [sys.executable, str(LAB / "labctl.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        **kw,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"labctl {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("the lab needs root (network namespaces)")
    import netns

    missing = netns.missing_prerequisites()
    if missing:
        pytest.skip("lab prerequisites missing: " + "; ".join(missing))


class Lab:
    def __init__(self, state: Path) -> None:
        self.state = state
        self.run = json.loads((state / "run.json").read_text(encoding="utf-8"))
        self.prefix: str = self.run["prefix"]
        self.gt: Dict[str, Any] = json.loads((state / "ground_truth.json").read_text(encoding="utf-8"))

    def ns(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def endpoint(self, name: str) -> Dict[str, Any]:
        return next(e for e in self.gt["endpoints"] if e["name"] == name)

    def reload(self) -> None:
        self.gt = json.loads((self.state / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture
def labctl_run() -> Any:
    """``labctl_run(state, *args, check=True)``: run lab/labctl.py with a state dir."""
    return labctl


@pytest.fixture
def lab_root() -> None:
    """Skip unless root and the lab's Debian packages are there."""
    need_root()


@pytest.fixture(scope="session")
def lab_small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    need_root()
    state = tmp_path_factory.mktemp("lab_small") / "state"
    labctl(state, "up", str(LAB / "topologies" / "small.yml"), "--owner-pid", str(os.getpid()))
    try:
        yield Lab(state)
    finally:
        labctl(state, "down", check=False)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless Chromium (installed from Debian's packages when root); skips otherwise."""
    from browser import ensure_chromium

    return ensure_chromium()
