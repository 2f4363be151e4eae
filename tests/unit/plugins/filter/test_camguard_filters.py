# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters mac_normalize, mac_vendor, vendor_verdict: results, errors naming the bad value, templating."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.camguard.network.plugins.filter.camguard import (
    FilterModule,
    mac_normalize,
    mac_vendor,
    vendor_verdict,
)

REPO = Path(__file__).resolve().parents[4]
FILTER_DIR = REPO / "plugins" / "filter"
COLLECTIONS = REPO / ".build" / "collections"
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "fmt,expected",
    [
        ("canonical", "bc:ad:28:12:34:56"),
        ("cisco", "bcad.2812.3456"),
        ("hp", "bcad28-123456"),
        ("huawei", "bcad-2812-3456"),
        ("bare", "bcad28123456"),
        ("upper", "BC:AD:28:12:34:56"),
    ],
)
def test_mac_normalize_formats(fmt: str, expected: str) -> None:
    for spelling in ("BCAD.2812.3456", "bc-ad-28-12-34-56", "BCAD28123456", "bcad28-123456"):
        assert mac_normalize(spelling, format=fmt) == expected


@pytest.mark.parametrize(
    "func,value,message",
    [
        (mac_normalize, "bcad.2812.345z", "mac_normalize: invalid MAC address 'bcad.2812.345z'"),
        (mac_normalize, 12, "mac_normalize: expected a MAC address string, got int 12"),
        (mac_vendor, "camera-1", "mac_vendor: invalid MAC address 'camera-1'"),
        (vendor_verdict, "", "vendor_verdict: invalid MAC address '': empty string"),
        (vendor_verdict, None, "vendor_verdict: expected a MAC address string, got NoneType None"),
    ],
)
def test_errors_name_the_bad_value(func: Any, value: Any, message: str) -> None:
    with pytest.raises(AnsibleFilterError) as e:
        func(value)
    assert message in str(e.value)


def test_mac_normalize_rejects_unknown_format() -> None:
    with pytest.raises(AnsibleFilterError, match="format 'dotted' is not one of canonical, cisco"):
        mac_normalize("bcad.2812.3456", format="dotted")


def test_mac_vendor() -> None:
    assert mac_vendor("20:bb:bc:00:00:01") == "Hangzhou Hikvision Digital Technology Co., Ltd."  # Ezviz
    assert mac_vendor("00:00:0c:00:00:01") == "Cisco Systems, Inc"
    assert mac_vendor("be:ad:28:12:34:56") == "unknown"  # locally administered
    assert mac_vendor("be:ad:28:12:34:56", default="n/a") == "n/a"
    assert mac_vendor("00:00:0c:00:00:01", registry=False) == "unknown"
    assert mac_vendor("14:ba:88:00:00:01", registry=False) == "Zhejiang Uniview Technologies Co.,Ltd."


def test_vendor_verdict() -> None:
    v = vendor_verdict("BCAD.2812.3456")
    assert v["status"] == "named" and v["restricted"] is True and v["vendor_key"] == "hikvision"
    assert v["policy_version"] == "2026.11.30" and v["registry_date"] == "2026-10-24"
    assert v["basis"][0] == "us_ndaa_fy2019_s889"
    assert vendor_verdict("14:ba:88:00:00:01")["status"] == "unrestricted"
    assert vendor_verdict("14:ba:88:00:00:01", profiles=["prc_cctv"])["status"] == "other_prc_cctv"
    assert vendor_verdict("14:ba:88:00:00:01", profiles="prc_cctv")["status"] == "other_prc_cctv"
    assert vendor_verdict("00:e0:fc:00:00:01", overrides={"disabled_vendors": ["huawei"]})["restricted"] is False


def test_vendor_verdict_waivers_with_fixed_date(tmp_path: Path) -> None:
    waivers = [{"mac": "bc:ad:28:12:34:56", "owner": "o", "reason": "r", "ticket": "T-1", "expires": "2027-01-31"}]
    ok = vendor_verdict("bc:ad:28:12:34:56", waivers=waivers, today="2027-01-31")
    assert ok["waiver"]["ticket"] == "T-1" and ok["waiver"]["expired"] is False and ok["default_action"] == "report"
    late = vendor_verdict("bc:ad:28:12:34:56", waivers=waivers, today="2027-02-01")
    assert late["waiver"]["expired"] is True and late["default_action"] == "isolate"
    f = tmp_path / "waivers.yml"
    f.write_text(yaml.safe_dump([{**waivers[0], "expires": "2026-01-01"}]), encoding="utf-8")
    assert vendor_verdict("bc:ad:28:12:34:56", waivers=str(f), today="2026-06-01")["waiver"]["expired"] is True
    with pytest.raises(AnsibleFilterError, match="today must be a date YYYY-MM-DD, got 'tomorrow'"):
        vendor_verdict("bc:ad:28:12:34:56", waivers=waivers, today="tomorrow")


def test_bad_policy_input_names_file_and_key(tmp_path: Path) -> None:
    with pytest.raises(AnsibleFilterError, match=r"vendor_verdict: waivers: entry 0: key 'expires': required"):
        vendor_verdict(
            "bc:ad:28:12:34:56", waivers=[{"mac": "bc:ad:28:12:34:56", "owner": "o", "reason": "r", "ticket": "t"}]
        )
    f = tmp_path / "overrides.yml"
    f.write_text("profiles: [cctv]\n", encoding="utf-8")
    with pytest.raises(AnsibleFilterError, match=rf"mac_vendor: {f}: profiles\[0\]: unknown profile 'cctv'"):
        mac_vendor("bc:ad:28:12:34:56", overrides=str(f))
    with pytest.raises(AnsibleFilterError, match="profiles must be a list"):
        vendor_verdict("bc:ad:28:12:34:56", profiles=5)


PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  vars:
    macs: ["BCAD.2812.3456", "00:00:0c:00:00:01"]
  tasks:
    - ansible.builtin.copy:
        dest: "{{ out }}"
        content: "{{ result | to_json }}"
      vars:
        result:
          restricted: "{{ macs | map('camguard.network.vendor_verdict') | selectattr('restricted') | map(attribute='mac') | list }}"
          hp: "{{ 'BCAD.2812.3456' | camguard.network.mac_normalize(format='hp') }}"
          vendor: "{{ '3c:ef:8c:00:00:01' | camguard.network.mac_vendor }}"
"""


def _env(tmp_path: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_HOME=str(tmp_path / "home"),
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
    )
    return env


def test_filters_in_a_playbook(tmp_path: Path) -> None:
    """The filters as Ansible loads them: by FQCN, through the collection loader."""
    pb = tmp_path / "pb.yml"
    pb.write_text(PLAYBOOK, encoding="utf-8")
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [
            str(BIN / "ansible-playbook"),
            "-i",
            "localhost,",
            "-c",
            "local",
            str(pb),
            "-e",
            f"out={out}",
            "-e",
            f"ansible_python_interpreter={sys.executable}",
        ],
        env=_env(tmp_path),
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(out.read_text()) == {
        "restricted": ["bc:ad:28:12:34:56"],
        "hp": "bcad28-123456",
        "vendor": "Zhejiang Dahua Technology Co., Ltd.",
    }


@pytest.mark.parametrize("name", ["mac_normalize", "mac_vendor", "vendor_verdict"])
def test_ansible_doc_shows_each_filter(tmp_path: Path, name: str) -> None:
    proc = subprocess.run(
        [str(BIN / "ansible-doc"), "-t", "filter", "--json", f"camguard.network.{name}"],
        env=_env(tmp_path),
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)[f"camguard.network.{name}"]
    assert doc["doc"]["name"] == name and doc["examples"] and doc["return"]["_value"]


def test_filter_module_and_docs() -> None:
    names = set(FilterModule().filters())
    assert names == {"mac_normalize", "mac_vendor", "vendor_verdict"}
    for name in names:
        doc = yaml.safe_load((FILTER_DIR / f"{name}.yml").read_text(encoding="utf-8"))
        assert set(doc) == {"DOCUMENTATION", "EXAMPLES", "RETURN"}
        assert doc["DOCUMENTATION"]["name"] == name and "_input" in doc["DOCUMENTATION"]["options"]
        assert f"camguard.network.{name}" in doc["EXAMPLES"]


@settings(max_examples=200)
@given(st.one_of(st.text(), st.integers(), st.none(), st.lists(st.text(), max_size=2)))
def test_filters_never_crash(value: Any) -> None:
    for func in (mac_normalize, mac_vendor, vendor_verdict):
        try:
            func(value)
        except AnsibleFilterError as e:
            assert func.__name__ in str(e)
