# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmarks still run: each one's core in a tiny configuration, one run.

No time is asserted (benchmarks print figures; tests never assert wall-clock times): these
check that every benchmark works end to end and that its figures come from real work (the
plugin located devices, the sessions changed ports, the classifier classified MACs).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List

import pytest

BENCH = Path(__file__).resolve().parent.parent.parent / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def test_classify_core_runs() -> None:
    import bench_classify

    lines: List[str] = []
    res = bench_classify.core(3000, 500, seed=3, repeat=1, out=lines.append)
    text = "\n".join(lines)
    assert res["macs_per_second"] > 0
    assert "classify_many, canonical input" in text
    assert "3,000 unique MACs" in text


def test_inventory_build_core_runs() -> None:
    import bench_inventory_build

    lines: List[str] = []
    res = bench_inventory_build.core(30, 1500, 1, out=lines.append)
    text = "\n".join(lines)
    assert "30 switches, 1,500 MAC entries" in text
    assert res["hosts"] > 30  # the switches plus the restricted devices found on them
    assert res["restricted"] > 0
    assert "populate InventoryData" in text


def test_generated_campus_is_exact_and_restricted_macs_are_real() -> None:
    import bench_inventory_build

    from ansible_collections.camguard.network.plugins.module_utils._classify import build_classifier
    from ansible_collections.camguard.network.plugins.plugin_utils._discovery import from_cache

    payload = bench_inventory_build.generate(60, 3000, seed=11)
    meta = payload["_bench"]
    assert (meta["switches"], meta["mac_entries"]) == (60, 3000)
    switches = from_cache(payload).switches  # the plugin's own cache entry, as a polling run stores it
    assert sorted(switches) == meta["names"] and len(switches) == 60
    assert sum(len(s.macs) for s in switches.values()) == 3000
    assert sum(len(s.arp) for s in switches.values()) == meta["arp_entries"] > 0
    assert sum(len(s.ports) for s in switches.values()) == meta["ports"]
    classifier = build_classifier(use_registry=False)
    macs = [m.mac for s in switches.values() for m in s.macs]
    restricted = [m for m in macs if classifier.classify(m).restricted]
    assert 0.01 * len(macs) < len(restricted) < 0.2 * len(macs)


@pytest.mark.fakenos
def test_discovery_core_runs() -> None:
    import bench_discovery

    lines: List[str] = []
    res = bench_discovery.core([2], 2, 1, 1, ios_command=False, install=False, single_repeat=1, out=lines.append)
    text = "\n".join(lines)
    assert res["sizes"][2]["plugin_wall"] > 0
    assert res["sizes"][2]["ideal"] > 0
    assert "restricted devices located" in text
    assert "ios_command way: skipped" in text


@pytest.mark.fakenos
def test_remediation_core_runs() -> None:
    import bench_remediation

    lines: List[str] = []
    res = bench_remediation.core(2, 2, 2, 1, out=lines.append)
    text = "\n".join(lines)
    assert res["ports_ratio"] > 0
    assert res["switches_ratio"] > 0
    assert "2 ports, one session" in text


@pytest.mark.fakenos
def test_remediation_one_switch_part_alone_with_a_batch_size() -> None:
    import bench_remediation

    lines: List[str] = []
    res = bench_remediation.core(3, 50, 2, 1, out=lines.append, playbooks=False, batch_lines=2)
    text = "\n".join(lines)
    assert "3 ports, one session" in text and "(config_batch_lines: 2)" in text
    assert "skipped (--no-playbooks)" in text and res["switches_ratio"] is None
    assert "ansible-playbook" not in text
