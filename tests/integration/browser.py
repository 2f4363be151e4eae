# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Headless Chromium for the report tests: found, or installed from Debian's packages when root.

Chromium is started with the flags this machine needs (no sandbox as root, no background
networking: the machine has no network but the package registries).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional

import pytest

BROWSERS = ("chromium", "chromium-browser")


def _find_browser() -> Optional[str]:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def ensure_chromium() -> str:
    found = _find_browser()
    if found:
        return found
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip(
            "Chromium is not installed and this test is not running as root, so it cannot run `apt-get install -y chromium`"
        )
    if not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and there is no apt-get on this machine to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
        except subprocess.TimeoutExpired:
            pytest.skip(f"`{' '.join(cmd)}` did not finish within 900 s")
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            pytest.skip(f"`{' '.join(cmd)}` failed with exit code {proc.returncode}: {' | '.join(tail)}")
    found = _find_browser()
    if not found:
        pytest.skip("apt-get installed the chromium package but no chromium executable was found")
    return found


def _browser(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
