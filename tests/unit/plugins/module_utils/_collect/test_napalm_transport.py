"""The NAPALM backend of the seam, driven by NAPALM's own ``mock`` driver over recorded data.

NAPALM's mock driver answers getters from ``<getter>.<n>`` JSON files and ``cli()`` from
``cli.<n>.<command>.<i>`` text files: the real NAPALM API, with recorded IOS data behind it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.napalm import NapalmTransport
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Credentials, Target
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

napalm = pytest.importorskip("napalm")
REC = Path(__file__).resolve().parents[4] / "fixtures" / "recorded"
NAPALM_IOS = REC / "napalm" / "ios"
NTC_IOS = REC / "ntc-templates" / "cisco_ios"


def mock_dir(tmp_path: Path) -> Path:
    d = tmp_path / "mock"
    d.mkdir()
    shutil.copy(
        NAPALM_IOS / "test_get_mac_address_table" / "normal" / "expected_result.json", d / "get_mac_address_table.1"
    )
    shutil.copy(NAPALM_IOS / "test_get_arp_table" / "normal" / "expected_result.json", d / "get_arp_table.1")
    shutil.copy(
        NAPALM_IOS / "test_get_lldp_neighbors_detail" / "alternate2" / "expected_result.json",
        d / "get_lldp_neighbors_detail.1",
    )
    sources = {
        "show interfaces switchport": NTC_IOS
        / "show_interfaces_switchport"
        / "cisco_ios_show_interfaces_switchport_ethertype.raw",
        "show interfaces status": next((NTC_IOS / "show_interfaces_status").glob("*.raw")),
        "show etherchannel summary": next((NTC_IOS / "show_etherchannel_summary").glob("*.raw")),
    }
    for n, (cmd, src) in enumerate(sources.items(), start=1):
        shutil.copy(src, d / f"cli.{n}.{re.sub('[^a-zA-Z0-9]+', '_', cmd)}.0")
    return d


def transport(path: Path) -> NapalmTransport:
    driver = napalm.get_network_driver("mock")
    device = driver("sw-napalm", "netops", "s3cret", optional_args={"path": str(path)})
    device.open()
    target = Target(
        "sw-napalm", "192.0.2.10", "cisco_ios", credentials=Credentials("netops", "s3cret"), backend="napalm"
    )
    return NapalmTransport(target, get_platform("cisco_ios"), device=device)


def test_collect_through_napalm_getters_and_cli(tmp_path: Path) -> None:
    t = transport(mock_dir(tmp_path))
    data = t.collect("sw-napalm")
    expected_macs = json.loads(
        (NAPALM_IOS / "test_get_mac_address_table" / "normal" / "expected_result.json").read_text()
    )
    assert len(data.macs) == len(expected_macs)
    assert all(m.switch == "sw-napalm" or m.switch == "" for m in data.macs)
    assert all(re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", m.mac) for m in data.macs)
    arp = json.loads((NAPALM_IOS / "test_get_arp_table" / "normal" / "expected_result.json").read_text())
    assert {a.ip for a in data.arp} == {row["ip"] for row in arp}
    assert all(a.vrf == "default" for a in data.arp)
    assert data.neighbors, "LLDP neighbours from get_lldp_neighbors_detail"
    assert data.ports and {p.mode for p in data.ports} <= {"access", "trunk", "routed", "unknown"}
    assert any(p.mode == "trunk" for p in data.ports)
    t.close()


def test_getter_failure_names_the_switch(tmp_path: Path) -> None:
    d = mock_dir(tmp_path)
    (d / "get_arp_table.1").unlink()  # the mock driver raises NotImplementedError for missing data
    t = transport(d)
    with pytest.raises(DeviceError, match=r"sw-napalm.*get_arp_table"):
        t.collect("sw-napalm")
