"""The collection builds as camguard-network-0.2.0.tar.gz and ansible-doc lists its plugins."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_galaxy_build_and_contents(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    tarball = tmp_path / "camguard-network-0.2.0.tar.gz"
    assert tarball.exists()
    with tarfile.open(tarball) as t:
        names = set(t.getnames())
    for needed in (
        "MANIFEST.json",
        "plugins/inventory/mac_table.py",
        "plugins/modules/port_isolation.py",
        "plugins/module_utils/_classify/policy_data.py",
        "roles/camera_isolation/meta/argument_specs.yml",
        "playbooks/isolate.yml",
        "meta/runtime.yml",
    ):
        assert needed in names, needed
    dev_tree = (".venv", ".build", "tests", "lab", "benchmarks", "tools", "extensions", "Makefile", "pyproject.toml")
    assert not [n for n in names if n.split("/")[0].startswith(dev_tree)]
    for needed in ("requirements.txt", "bindep.txt", "execution-environment.yml", "changelogs/config.yaml", "LICENSE"):
        assert needed in names, needed
    # runtime content only: the development tree was three quarters of the unpacked size
    with tarfile.open(tarball) as t:
        unpacked = sum(m.size for m in t.getmembers())
    assert unpacked < 2 * 1024 * 1024, unpacked


def test_ansible_doc_lists_every_plugin() -> None:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"))
    listed = {}
    for kind in ("module", "inventory", "connection", "filter"):
        proc = subprocess.run(
            [str(BIN / "ansible-doc"), "-t", kind, "-l", "camguard.network"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        listed[kind] = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert listed["module"] == {
        "camguard.network.compliance_report",
        "camguard.network.mac_table_info",
        "camguard.network.port_isolation",
        "camguard.network.vendor_data",
    }
    assert listed["inventory"] == {"camguard.network.mac_table"}
    assert listed["connection"] == {"camguard.network.inert"}
    assert listed["filter"] == {
        "camguard.network.mac_normalize",
        "camguard.network.mac_vendor",
        "camguard.network.vendor_verdict",
    }
