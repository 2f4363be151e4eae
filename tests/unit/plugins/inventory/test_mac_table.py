"""The mac_table inventory plugin through Ansible's own InventoryManager.

Switch I/O is replaced at the one seam (``_collect.open_transport``) by ``ReplayTransport``s that
answer with IOS outputs in the real format; everything else (option parsing, classification,
locate, groups, constructed, cache, unsafe marking) is the real code. The lab integration tests
run the same plugin against switches over real SSH.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path
from typing import Dict, List

import pytest

from ansible_collections.camguard.network.plugins.module_utils import _collect
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport, Target
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

SECRET = "s3cr3t-Pa55-do-not-leak"

SW1 = {
    "show mac address-table": textwrap.dedent(
        """\
                  Mac Address Table
        -------------------------------------------

        Vlan    Mac Address       Type        Ports
        ----    -----------       --------    -----
         All    0100.0ccc.cccc    STATIC      CPU
          10    001e.bd00.0001    STATIC      CPU
          10    0050.5600.0009    DYNAMIC     Gi1/0/1
          10    bcad.2800.0001    DYNAMIC     Gi1/0/48
          10    001e.bd00.0002    DYNAMIC     Gi1/0/48
        Total Mac Addresses for this criterion: 5
        """
    ),
    "show ip arp": textwrap.dedent(
        """\
        Protocol  Address          Age (min)  Hardware Addr   Type   Interface
        Internet  10.66.10.11             0   bcad.2800.0001  ARPA   Vlan10
        Internet  10.66.10.50             0   0050.5600.0009  ARPA   Vlan10
        """
    ),
    "show lldp neighbors detail": "\nTotal entries displayed: 0\n",
    "show cdp neighbors detail": textwrap.dedent(
        """\
        -------------------------
        Device ID: sw2
        Entry address(es):
          IP address: 10.66.255.2
        Platform: cisco WS-C2960X-48FPD-L,  Capabilities: Switch IGMP
        Interface: GigabitEthernet1/0/48,  Port ID (outgoing port): GigabitEthernet1/0/48
        Holdtime : 150 sec

        """
    ),
    "show interfaces switchport": textwrap.dedent(
        """\
        Name: Gi1/0/1
        Switchport: Enabled
        Administrative Mode: static access
        Operational Mode: static access
        Access Mode VLAN: 10 (cameras)
        Trunking Native Mode VLAN: 1 (default)

        Name: Gi1/0/48
        Switchport: Enabled
        Administrative Mode: trunk
        Operational Mode: trunk
        Access Mode VLAN: 1 (default)
        Trunking Native Mode VLAN: 1 (default)
        Trunking VLANs Enabled: ALL
        """
    ),
    "show interfaces status": textwrap.dedent(
        """\
        Port      Name               Status       Vlan       Duplex  Speed Type
        Gi1/0/1   desk-50            connected    10         a-full a-1000 10/100/1000BaseTX
        Gi1/0/48  uplink-sw2         connected    trunk      a-full a-1000 10/100/1000BaseTX
        """
    ),
    "show etherchannel summary": "Number of channel-groups in use: 0\nNumber of aggregators:           0\n",
}


def sw2_outputs() -> Dict[str, str]:
    out = dict(SW1)
    out["show mac address-table"] = textwrap.dedent(
        """\
                  Mac Address Table
        -------------------------------------------

        Vlan    Mac Address       Type        Ports
        ----    -----------       --------    -----
          10    001e.bd00.0002    STATIC      CPU
          10    bcad.2800.0001    DYNAMIC     Gi1/0/3
          10    0050.5600.0009    DYNAMIC     Gi1/0/48
          10    001e.bd00.0001    DYNAMIC     Gi1/0/48
        Total Mac Addresses for this criterion: 4
        """
    )
    out["show cdp neighbors detail"] = SW1["show cdp neighbors detail"].replace("Device ID: sw2", "Device ID: sw1")
    out["show interfaces switchport"] = SW1["show interfaces switchport"].replace("Gi1/0/1\n", "Gi1/0/3\n")
    out["show interfaces status"] = SW1["show interfaces status"].replace("Gi1/0/1 ", "Gi1/0/3 ")
    return out


OUTPUTS = {"sw1": SW1, "sw2": sw2_outputs()}


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> List[Target]:
    opened: List[Target] = []

    def fake_open(target: Target) -> ReplayTransport:
        opened.append(target)
        if target.name == "down":
            raise DeviceError(target.name, f"cannot connect to {target.host}:{target.port}: connection refused")
        return ReplayTransport(target.name, OUTPUTS[target.name])

    monkeypatch.setattr(_collect, "open_transport", fake_open)
    monkeypatch.setenv("CAMGUARD_TEST_PASSWORD", SECRET)
    return opened


def load(path: Path, cache_dir: Path | None = None):  # type: ignore[no-untyped-def]
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    return InventoryManager(loader=DataLoader(), sources=[str(path)])


def write_config(tmp_path: Path, extra: str = "", name: str = "site.mac_table.yml") -> Path:
    p = tmp_path / name
    p.write_text(
        textwrap.dedent(
            """\
            plugin: camguard.network.mac_table
            switches:
              - {name: sw1, host: 192.0.2.1, platform: cisco_ios, password_env: CAMGUARD_TEST_PASSWORD}
              - {name: sw2, host: 192.0.2.2, platform: ios, password_env: CAMGUARD_TEST_PASSWORD}
            username: netops
            use_registry: false
            """
        )
        + extra
    )
    return p


def hostvars(inv, name: str) -> dict:  # type: ignore[no-untyped-def]
    return inv.get_host(name).get_vars()


def test_camera_found_on_edge_port_with_groups(tmp_path: Path, replay: List[Target]) -> None:
    inv = load(write_config(tmp_path))
    assert {t.name for t in replay} == {"sw1", "sw2"}
    assert replay[0].credentials.password == SECRET  # read from the env var named in the config
    groups = inv.groups
    assert [h.name for h in groups["camguard_switches"].get_hosts()] == ["sw1", "sw2"]
    assert [h.name for h in groups["camguard_switches_with_findings"].get_hosts()] == ["sw2"]
    dev = "hikvision_bcad28000001"
    assert [h.name for h in groups["camguard_restricted"].get_hosts()] == [dev]
    for g in ("camguard_vendor_hikvision", "camguard_status_named", "camguard_switch_sw2", "camguard_vlan_10"):
        assert dev in [h.name for h in groups[g].get_hosts()], g
    hv = hostvars(inv, dev)
    assert hv["camguard_interface"] == "GigabitEthernet1/0/3"
    assert hv["camguard_confidence"] == "edge"
    assert hv["camguard_ip"] == "10.66.10.11"
    assert "us_ndaa_fy2019_s889" in hv["camguard_legal_basis"]
    assert hv["ansible_connection"] == "camguard.network.inert"
    assert hv["camguard_evidence"][0].startswith("sw2 Gi1/0/3: access, 1 MAC")
    sw2 = hostvars(inv, "sw2")
    assert sw2["camguard_findings"][0]["interface"] == "GigabitEthernet1/0/3"
    summary = inv.groups["camguard_switches"].get_vars()["camguard_summary"]
    assert summary["restricted_devices"] == 1 and summary["by_vendor"] == {"hikvision": 1}
    assert summary["policy_version"]


def test_no_secret_in_any_hostvar(tmp_path: Path, replay: List[Target]) -> None:
    inv = load(write_config(tmp_path))
    dump = json.dumps({h.name: h.get_vars() for h in inv.get_hosts()}, default=str)
    dump += json.dumps({g: inv.groups[g].get_vars() for g in inv.groups}, default=str)
    assert SECRET not in dump
    assert "CAMGUARD_TEST_PASSWORD" in dump  # the variable's name is fine, its value is not


def test_device_values_are_unsafe(tmp_path: Path, replay: List[Target]) -> None:
    from ansible.template import is_trusted_as_template  # type: ignore[attr-defined]

    inv = load(write_config(tmp_path))
    hv = hostvars(inv, "hikvision_bcad28000001")
    assert not is_trusted_as_template(hv["camguard_interface"])
    assert not any(is_trusted_as_template(e) for e in hv["camguard_evidence"])


def test_unreachable_switch_is_warning_and_group(tmp_path: Path, replay: List[Target]) -> None:
    extra = "  - {name: down, host: 192.0.2.9, platform: cisco_ios}\n"
    cfg = tmp_path / "site.mac_table.yml"
    cfg.write_text(write_config(tmp_path).read_text().replace("username: netops\n", "") + "username: netops\n")
    text = cfg.read_text().replace("switches:\n", "switches:\n" + extra)
    cfg.write_text(text)
    inv = load(cfg)
    assert [h.name for h in inv.groups["camguard_unreachable"].get_hosts()] == ["down"]
    assert "connection refused" in hostvars(inv, "down")["camguard_error"]
    assert [h.name for h in inv.groups["camguard_restricted"].get_hosts()] == ["hikvision_bcad28000001"]


def parse_direct(cfg: Path):  # type: ignore[no-untyped-def]
    """Run the plugin's parse() directly so that its exception reaches the test."""
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    plugin = inventory_loader.get("camguard.network.mac_table")
    mgr = InventoryManager(loader=DataLoader(), sources=[], parse=False)
    plugin.parse(mgr._inventory, DataLoader(), str(cfg), cache=False)
    return mgr._inventory


def test_strict_polling_fails_naming_the_switch(tmp_path: Path, replay: List[Target]) -> None:
    from ansible.errors import AnsibleError

    cfg = write_config(tmp_path, "strict_polling: true\n")
    cfg.write_text(
        cfg.read_text().replace("switches:\n", "switches:\n  - {name: down, host: 192.0.2.9, platform: cisco_ios}\n")
    )
    with pytest.raises(AnsibleError, match=r"strict_polling is on and switches failed: down \(.*connection refused"):
        parse_direct(cfg)


def test_cache_second_run_makes_no_connection(tmp_path: Path, replay: List[Target]) -> None:
    cache_dir = tmp_path / "cache"
    cfg = write_config(
        tmp_path,
        f"cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {cache_dir}\ncache_timeout: 600\n",
    )
    load(cfg)
    assert len(replay) == 2
    replay.clear()
    inv = load(cfg)
    assert replay == []  # served from the cache
    assert [h.name for h in inv.groups["camguard_restricted"].get_hosts()] == ["hikvision_bcad28000001"]
    assert SECRET not in "".join(p.read_text() for p in cache_dir.iterdir())


def test_constructed_keyed_groups_and_compose(tmp_path: Path, replay: List[Target]) -> None:
    extra = textwrap.dedent(
        """\
        keyed_groups:
          - key: camguard_confidence
            prefix: conf
            separator: "_"
        compose:
          camguard_label: camguard_vendor ~ '@' ~ camguard_switch
        groups:
          cameras_on_sw2: camguard_switch == 'sw2'
        """
    )
    inv = load(write_config(tmp_path, extra))
    dev = "hikvision_bcad28000001"
    assert dev in [h.name for h in inv.groups["conf_edge"].get_hosts()]
    assert dev in [h.name for h in inv.groups["cameras_on_sw2"].get_hosts()]
    assert hostvars(inv, dev)["camguard_label"] == "hikvision@sw2"


@pytest.mark.parametrize(
    "extra, key",
    [
        ("concurrency: 0\n", "concurrency"),
        ("device_name_format: '{vendor_key}_{password}'\n", "device_name_format"),
        ("uplink_patterns: ['(']\n", "uplink_patterns"),
        ("nvr_hints: [not-a-mac]\n", "nvr_hints"),
    ],
)
def test_bad_options_fail_naming_the_key(tmp_path: Path, replay: List[Target], extra: str, key: str) -> None:
    from ansible.errors import AnsibleParserError

    cfg = write_config(tmp_path, extra)
    with pytest.raises(AnsibleParserError, match=key):
        parse_direct(cfg)


def test_bad_switch_entry_fails_naming_the_key(tmp_path: Path, replay: List[Target]) -> None:
    from ansible.errors import AnsibleParserError

    cfg = tmp_path / "bad.mac_table.yml"
    cfg.write_text("plugin: camguard.network.mac_table\nswitches:\n  - {name: a, platform: fortigate}\n")
    with pytest.raises(AnsibleParserError, match=r"switches\[0\]\.platform: unsupported platform 'fortigate'"):
        parse_direct(cfg)


def test_verify_file_declines_misnamed(tmp_path: Path) -> None:
    from ansible.plugins.loader import inventory_loader

    plugin = inventory_loader.get("camguard.network.mac_table")
    good = write_config(tmp_path)
    bad = tmp_path / "site.yml"
    bad.write_text(good.read_text())
    assert plugin.verify_file(str(good))
    assert not plugin.verify_file(str(bad))


if os.environ.get("CAMGUARD_DEBUG_INVENTORY"):  # pragma: no cover - manual debugging aid
    print(OUTPUTS)


def test_unknown_option_fails_naming_it(tmp_path: Path, replay: List[Target]) -> None:
    from ansible.errors import AnsibleParserError

    cfg = write_config(tmp_path, "concurency: 5\n")
    with pytest.raises(AnsibleParserError, match=r"unknown option\(s\) concurency"):
        parse_direct(cfg)


CACHE_OPTIONS = "cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {}\ncache_timeout: 600\n"


def cache_entry(cache_dir: Path):  # type: ignore[no-untyped-def]
    """The jsonfile cache plugin (a fresh instance: nothing held in memory) and the entry's key."""
    from ansible.plugins.loader import cache_loader

    cache = cache_loader.get(
        "ansible.builtin.jsonfile", _uri=str(cache_dir), _timeout=600, _prefix="ansible_inventory_"
    )
    [key] = cache.keys()
    return cache, key


def version_1_payload(payload: dict) -> dict:
    """The same switch data as the plugin's cache entry before the compact form (one dict per record)."""
    from ansible_collections.camguard.network.plugins.plugin_utils._discovery import from_cache

    d = from_cache(payload)
    return {
        "version": 1,
        "switches": {k: v.to_dict() for k, v in d.switches.items()},
        "unreachable": d.unreachable,
        "timings": d.timings,
        "poll_seconds": d.poll_seconds,
    }


def damaged_payload(payload: dict) -> dict:
    doc = json.loads(payload["data"])
    doc["switches"]["sw2"]["macs"][1][0] = "10"  # a VLAN as text
    return {"version": 2, "data": json.dumps(doc)}


@pytest.mark.parametrize("spoil", [version_1_payload, damaged_payload], ids=["version-1", "damaged"])
def test_unusable_cache_entry_is_a_miss_then_rewritten(tmp_path: Path, replay: List[Target], spoil) -> None:  # type: ignore[no-untyped-def]
    cache_dir = tmp_path / "cache"
    cfg = write_config(tmp_path, CACHE_OPTIONS.format(cache_dir))
    first = load(cfg)
    assert len(replay) == 2
    cache, key = cache_entry(cache_dir)
    good = cache.get(key)
    assert good["version"] == 2 and isinstance(good["data"], str)
    cache.set(key, spoil(good))

    replay.clear()
    inv = load(cfg)
    assert sorted(t.name for t in replay) == ["sw1", "sw2"]  # polled again, not read from the bad entry
    assert [h.name for h in inv.groups["camguard_restricted"].get_hosts()] == ["hikvision_bcad28000001"]
    want = hostvars(first, "hikvision_bcad28000001")
    got = hostvars(inv, "hikvision_bcad28000001")
    assert {k: v for k, v in got.items() if k != "camguard_evidence"} == {
        k: v for k, v in want.items() if k != "camguard_evidence"
    }
    assert cache_entry(cache_dir)[0].get(key)["version"] == 2  # the fresh data replaced the bad entry

    replay.clear()
    load(cfg)
    assert replay == []  # and the next run is served from it


class Recorder:
    def __init__(self) -> None:
        self.lines: List[tuple] = []

    def v(self, msg: str) -> None:
        self.lines.append(("v", msg))

    def vvv(self, msg: str) -> None:
        self.lines.append(("vvv", msg))


@pytest.mark.parametrize(
    "spoil, reason",
    [
        (
            version_1_payload,
            r"inventory cache entry has format version 1; this version of the collection reads version 2",
        ),
        (damaged_payload, r"is damaged: switch 'sw2': macs: column 'vlan' holds str values, expected int or null"),
        (lambda p: {"version": 2, "data": p["data"][:-100]}, r"is damaged: data: not valid JSON"),
        (lambda p: ["not", "a", "mapping"], r"inventory cache entry: expected a mapping, got list"),
    ],
    ids=["version-1", "damaged", "truncated", "not-a-mapping"],
)
def test_unusable_cache_entry_reason_at_vvv(tmp_path: Path, replay: List[Target], spoil, reason: str) -> None:  # type: ignore[no-untyped-def]
    from ansible.plugins.loader import inventory_loader

    from ansible_collections.camguard.network.plugins.plugin_utils._inventory import InventoryBuilder
    from ansible_collections.camguard.network.plugins.plugin_utils._inventory_config import InventoryConfig

    cache_dir = tmp_path / "cache"
    cfg = write_config(tmp_path, CACHE_OPTIONS.format(cache_dir))
    load(cfg)
    cache, key = cache_entry(cache_dir)
    good = cache.get(key)
    from ansible.parsing.dataloader import DataLoader

    plugin = inventory_loader.get("camguard.network.mac_table")
    plugin.loader = DataLoader()
    inv = load(cfg)._inventory
    plugin.inventory = inv
    plugin._read_config_data(str(cfg))
    rec = Recorder()
    builder = InventoryBuilder(InventoryConfig.from_options(plugin.get_option, str(cfg), inv), display=rec)
    assert builder._from_cache(good) is not None and rec.lines == []
    assert builder._from_cache(spoil(good)) is None
    [(level, msg)] = rec.lines
    assert level == "vvv"
    assert msg.startswith("camguard.network.mac_table: ignoring the cache entry (")
    assert msg.endswith("; polling the switches")
    assert re.search(reason, msg), msg


@pytest.mark.parametrize(
    "content",
    ['{"__payload__": "{\\"version\\": 2, \\"da', "{not json at all"],
    ids=["payload-not-json", "file-not-json"],
)
def test_unreadable_cache_file_is_a_miss_then_rewritten(tmp_path: Path, replay: List[Target], content: str) -> None:
    cache_dir = tmp_path / "cache"
    cfg = write_config(tmp_path, CACHE_OPTIONS.format(cache_dir))
    load(cfg)
    [entry] = list(cache_dir.iterdir())
    entry.chmod(0o644)
    entry.write_text(content)
    replay.clear()
    inv = load(cfg)
    assert sorted(t.name for t in replay) == ["sw1", "sw2"]
    assert [h.name for h in inv.groups["camguard_restricted"].get_hosts()] == ["hikvision_bcad28000001"]
    replay.clear()
    load(cfg)
    assert replay == []
