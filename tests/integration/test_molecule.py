"""The molecule scenarios (extensions/molecule/*), run as `molecule test` would be by hand.

Molecule 26's default driver needs no Docker: each scenario's create/destroy playbooks bring
the namespace lab up and down. The scenario converges the camera_isolation role, checks
idempotence and verifies with traffic (see extensions/molecule/linux_bridge/verify.yml).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCENARIOS = sorted(p.name for p in (REPO / "extensions" / "molecule").iterdir() if (p / "molecule.yml").exists())

pytestmark = pytest.mark.lab


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario(scenario: str, tmp_path: Path) -> None:
    from conftest import need_root

    need_root()
    molecule = BIN / "molecule"
    if not molecule.exists():
        pytest.fail("molecule is not installed in the test virtualenv (requirements-test.txt)")
    home = tmp_path / "home"
    home.mkdir()
    env = dict(
        os.environ,
        PATH=f"{BIN}:{os.environ.get('PATH', '')}",
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        HOME=str(home),
        ANSIBLE_HOME=str(home / ".ansible"),
        MOLECULE_NO_LOG="false",
        ANSIBLE_NOCOLOR="1",
        PY_COLORS="0",
    )
    proc = subprocess.run(
        [str(molecule), "test", "-s", scenario],
        cwd=REPO / "extensions",
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-5000:]
    for step in ("converge", "idempotence", "verify"):
        assert step in out.lower()
    shutil.rmtree(home, ignore_errors=True)
