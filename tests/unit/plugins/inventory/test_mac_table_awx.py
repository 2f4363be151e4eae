# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mac_table inventory as AWX and a newcomer meet it, through the real ``ansible-inventory``.

``ansible-inventory`` and ``ansible-playbook`` run in a process of their own with the switch I/O
replaced at the one seam (``tests/unit/seam_cli.py``): the JSON AWX imports (plain strings, device
text alone marked unsafe, no interpreter path), NetBox-style sources in one folder, templates in
option values, ``strict_polling`` without ``ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED``, relative
file paths from another working directory, one "file not found", ``query_filters``; and in this
process: every host variable the plugin sets is documented, the documented ``keyed_groups``
example works.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from test_mac_table import OUTPUTS, SW1, load, parse_direct, sw2_outputs

REPO = Path(__file__).resolve().parents[4]
SEAM = REPO / "tests" / "unit" / "seam_cli.py"
PLUGIN = REPO / "plugins" / "inventory" / "mac_table.py"
UNSAFE = "__ansible_unsafe"


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> List[Any]:
    """The in-process seam of test_mac_table: recorded IOS outputs, switch ``down`` refuses."""
    from ansible_collections.camguard.network.plugins.module_utils import _collect
    from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport
    from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

    opened: List[Any] = []

    def fake_open(target: Any) -> Any:
        opened.append(target)
        if target.name not in OUTPUTS:
            raise DeviceError(target.name, f"cannot connect to {target.host}:{target.port}: connection refused")
        return ReplayTransport(target.name, OUTPUTS[target.name])

    monkeypatch.setattr(_collect, "open_transport", fake_open)
    monkeypatch.setenv("CAMGUARD_PASSWORD", "s3cr3t-Pa55-do-not-leak")
    return opened


def _doc(name: str) -> Any:
    tree = ast.parse(PLUGIN.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(name)


def cli(
    tmp: Path,
    *args: str,
    program: str = "ansible-inventory",
    env: Optional[Dict[str, str]] = None,
    cwd: Optional[Path] = None,
    outputs: Optional[Dict[str, Dict[str, str]]] = None,
) -> Dict[str, Any]:
    log = tmp / "seam.jsonl"
    log.unlink(missing_ok=True)
    out_file = tmp / "outputs.json"
    out_file.write_text(json.dumps(outputs if outputs is not None else {"sw1": SW1, "sw2": sw2_outputs()}))
    full = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CAMGUARD_"))}
    full.update(
        HOME=str(tmp / "home"),
        ANSIBLE_HOME=str(tmp / "home" / ".ansible"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        CAMGUARD_PASSWORD="s3cr3t-Pa55-do-not-leak",
        CAMGUARD_REPORT_DIR=str(tmp / "reports"),
        CAMGUARD_STATE_DIR=str(tmp / "state"),
        CAMGUARD_SEAM_LOG=str(log),
        CAMGUARD_SEAM_OUTPUTS=str(out_file),
        PYTHONDONTWRITEBYTECODE="1",
    )
    full.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(SEAM), program, *args],
        env=full,
        cwd=cwd or tmp,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    records = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
    return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr, "records": records}


SITE = """\
plugin: camguard.network.mac_table
switches:
  - {name: sw1, host: 192.0.2.1, platform: cisco_ios, groups: [site_a]}
  - {name: sw2, host: 192.0.2.2, platform: ios, groups: [site_b]}
username: netops
use_registry: false
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(textwrap.dedent(text))
    return p


def listing(res: Dict[str, Any]) -> Dict[str, Any]:
    assert res["rc"] == 0, res["stderr"][-3000:]
    data: Dict[str, Any] = json.loads(res["stdout"])
    return data


def markers(value: Any, path: str = "") -> List[str]:
    """Key paths of every ``__ansible_unsafe`` marker in ``value``."""
    if isinstance(value, dict):
        if set(value) == {UNSAFE}:
            return [path]
        return [m for k, v in value.items() for m in markers(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [m for i, v in enumerate(value) for m in markers(v, f"{path}[{i}]")]
    return []


# ---------------------------------------------------------------- item 8: JSON that AWX imports


def test_inventory_list_is_plain_json_with_device_text_alone_marked(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "inv", "site.mac_table.yml", SITE + "keyed_groups:\n  - {key: camguard_vendor, prefix: vendor}\n"
    )
    data = listing(cli(tmp_path, "-i", str(cfg), "--list", "--export"))
    hv = data["_meta"]["hostvars"]
    sw2 = hv["sw2"]
    # the connection variables and the collection's own settings are plain strings
    assert sw2["ansible_host"] == "192.0.2.2" and sw2["ansible_connection"] == "local" and sw2["ansible_port"] == 22
    assert sw2["camguard_platform"] == "cisco_ios" and sw2["camguard_backend"] == "netmiko"
    assert sw2["camguard_username"] == "netops" and sw2["camguard_password_env"] == "CAMGUARD_PASSWORD"
    # no interpreter of the process that built the inventory (an AWX sync's) is pinned into it
    assert all("ansible_python_interpreter" not in v for v in hv.values())
    assert sys.executable not in json.dumps(data)
    # device text is marked, and only device text
    dev = hv["hikvision_bcad28000001"]
    assert dev["ansible_connection"] == "camguard.network.inert"
    allowed = ("camguard_findings", "camguard_poll", "camguard_error")
    for host, v in hv.items():
        for m in markers(v):
            top = m.split(".")[0].split("[")[0]
            if host == "hikvision_bcad28000001":
                assert top.startswith("camguard_") and top != "camguard_summary", (host, m)
            else:
                assert top in allowed, (host, m)
    assert markers(sw2["camguard_findings"]), "device text must stay marked unsafe"
    assert UNSAFE in json.dumps(dev["camguard_interface"])
    summary = data["camguard_switches"]["vars"]["camguard_summary"]
    assert markers(summary) == [] and summary["restricted_devices"] == 1


def test_a_value_holding_braces_stays_marked(tmp_path: Path) -> None:
    """A rendered option whose value holds { or } could be a template: it is marked, not trusted."""
    cfg = write(
        tmp_path / "inv",
        "site.mac_table.yml",
        SITE.replace("host: 192.0.2.2", "host: \"{{ lookup('ansible.builtin.env', 'SW2_HOST') }}\""),
    )
    data = listing(cli(tmp_path, "-i", str(cfg), "--list", "--export", env={"SW2_HOST": "{{ 7*7 }}"}))
    assert data["_meta"]["hostvars"]["sw2"]["ansible_host"] == {UNSAFE: "{{ 7*7 }}"}


# ---------------------------------------------------------------- item 6: NetBox and other sources; templates


NETBOX = {
    "all": {
        "children": {
            "access_switch": {
                "hosts": {
                    "sw1": {"ansible_host": "192.0.2.1", "ansible_network_os": "cisco.ios.ios"},
                    "sw2": {"ansible_host": "192.0.2.2", "ansible_network_os": "cisco.ios.ios"},
                }
            }
        }
    }
}
CHAINED = """\
plugin: camguard.network.mac_table
inventory_switches:
  groups: [access_switch]
  platform_var: ansible_network_os
username: netops
use_registry: false
"""


def test_one_source_folder_with_both_files_works_as_awx_needs_it(tmp_path: Path) -> None:
    folder = tmp_path / "inventories"
    write(folder, "01-netbox.yml", yaml.safe_dump(NETBOX))
    write(folder, "02-site.mac_table.yml", CHAINED)
    res = cli(
        tmp_path, "-i", str(folder), "--list", "--export", env={"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"}
    )
    data = listing(res)
    assert sorted(r["switch"] for r in res["records"]) == ["sw1", "sw2"]
    assert sorted(data["camguard_switches"]["hosts"]) == ["sw1", "sw2"]
    assert "hikvision_bcad28000001" in data["camguard_restricted"]["hosts"]


def test_chained_source_alone_says_how_to_fix_it_under_awx(tmp_path: Path) -> None:
    """What AWX does: it syncs the mac_table source on its own, without the NetBox one."""
    cfg = write(tmp_path / "inv", "site.mac_table.yml", CHAINED)
    res = cli(tmp_path, "-i", str(cfg), "--list", "--export", env={"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"})
    assert res["rc"] != 0
    err = " ".join(res["stderr"].split())
    assert "group 'access_switch' is not in the inventory" in err
    assert "AWX syncs every inventory source on its own" in err
    assert "ONE inventory source whose source path is a folder holding both files" in err
    assert "01-netbox.yml, 02-site.mac_table.yml" in err


def test_template_in_an_option_is_rendered_once_for_poll_and_play(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "inv",
        "site.mac_table.yml",
        SITE.replace("host: 192.0.2.2", "host: \"{{ lookup('ansible.builtin.env', 'SW2_HOST') }}\"").replace(
            "username: netops", "username: \"{{ lookup('ansible.builtin.env', 'SITE_USER') }}\""
        ),
    )
    res = cli(tmp_path, "-i", str(cfg), "--list", "--export", env={"SW2_HOST": "198.51.100.2", "SITE_USER": "siteops"})
    data = listing(res)
    polled = {r["switch"]: r for r in res["records"]}
    assert polled["sw2"]["host"] == "198.51.100.2" and polled["sw2"]["username"] == "siteops"
    assert data["_meta"]["hostvars"]["sw2"]["ansible_host"] == "198.51.100.2"  # what playbooks connect to
    assert data["_meta"]["hostvars"]["sw2"]["camguard_username"] == "siteops"


@pytest.mark.parametrize(
    "line, key",
    [
        ('  - {name: sw3, host: "{{ no_such_variable }}", platform: ios}\n', "switches[2].host"),
        ("  - {name: sw3, host: \"{{ lookup('no_such_lookup_plugin') }}\", platform: ios}\n", "switches[2].host"),
    ],
)
def test_a_template_that_cannot_be_rendered_names_the_option(
    tmp_path: Path, replay: List[Any], line: str, key: str
) -> None:
    from ansible.errors import AnsibleParserError

    third = "  - {name: sw2, host: 192.0.2.2, platform: ios, groups: [site_b]}\n"
    cfg = write(tmp_path, "site.mac_table.yml", SITE.replace(third, third + line))
    with pytest.raises(AnsibleParserError, match=re.escape(key) + r": cannot render the template"):
        parse_direct(cfg)
    assert replay == []  # nothing was polled


def test_device_name_format_refuses_jinja_naming_the_option(tmp_path: Path, replay: List[Any]) -> None:
    from ansible.errors import AnsibleParserError

    cfg = write(tmp_path, "site.mac_table.yml", SITE + 'device_name_format: "{{ camguard_vendor }}"\n')
    with pytest.raises(
        AnsibleParserError, match=r"device_name_format: .* is a Jinja2 template; this option is a Python"
    ):
        parse_direct(cfg)


# ---------------------------------------------------------------- item 9: strict_polling is never a quiet empty run


STRICT = SITE + "strict_polling: true\n"


def test_strict_polling_fails_the_source_and_keeps_the_switches_visible(tmp_path: Path) -> None:
    cfg = write(tmp_path / "inv", "site.mac_table.yml", STRICT)
    only_sw1 = {"sw1": SW1}  # sw2 refuses the connection
    strict = cli(
        tmp_path,
        "-i",
        str(cfg),
        "--list",
        "--export",
        env={"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"},
        outputs=only_sw1,
    )
    assert strict["rc"] != 0
    assert "strict_polling is on and switches failed: sw2" in " ".join(strict["stderr"].split())

    lax = cli(
        tmp_path, "-i", str(cfg), "--list", "--export", outputs=only_sw1
    )  # AWX's default: the failure is a warning
    data = listing(lax)
    assert "strict_polling is on and switches failed: sw2" in " ".join(lax["stderr"].split())
    assert sorted(data["camguard_switches"]["hosts"]) == ["sw1", "sw2"]  # not an empty inventory
    assert data["camguard_unreachable"]["hosts"] == ["sw2"]

    # and a playbook on that inventory fails, naming the switch, after writing its report
    run = cli(tmp_path, "-i", str(cfg), "camguard.network.discover", program="ansible-playbook", outputs=only_sw1)
    assert run["rc"] != 0
    assert "camguard discover failed: not polled: sw2" in run["stdout"]
    report = json.loads((tmp_path / "reports" / "camguard-report.json").read_text())
    assert [u["switch"] for u in report["unreachable"]] == ["sw2"]


# ---------------------------------------------------------------- item 10: newcomer traps


def test_relative_files_are_relative_to_the_inventory_file_not_the_cwd(tmp_path: Path) -> None:
    inv = tmp_path / "site"
    write(
        inv,
        "waivers.yml",
        """\
        - {mac: "bc:ad:28:00:00:01", owner: facilities, reason: lift controller, ticket: RISK-1, expires: "2099-01-01"}
        """,
    )
    cfg = write(inv, "site.mac_table.yml", SITE + "waiver_file: waivers.yml\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = listing(cli(tmp_path, "-i", str(cfg), "--list", "--export", cwd=elsewhere))
    assert data["camguard_waived"]["hosts"] == ["hikvision_bcad28000001"]


def test_a_missing_file_is_named_once(tmp_path: Path) -> None:
    cfg = write(tmp_path / "site", "site.mac_table.yml", SITE + "waiver_file: waivers.yml\n")
    res = cli(
        tmp_path,
        "-i",
        str(cfg),
        "--list",
        "--export",
        cwd=tmp_path,
        env={"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"},
    )
    assert res["rc"] != 0
    missing = str(tmp_path / "site" / "waivers.yml")
    auto = [ln for ln in res["stderr"].splitlines() if "'auto' plugin" in ln]
    assert auto, res["stderr"]
    line = auto[0]
    assert line.count(missing) == 1, line
    assert line.count("No such file or directory") == 1, line


def test_query_filters_choose_switches_and_devices(tmp_path: Path) -> None:
    cfg = write(tmp_path / "inv", "site.mac_table.yml", SITE + "query_filters:\n  - switch_group: site_b\n")
    res = cli(tmp_path, "-i", str(cfg), "--list", "--export")
    data = listing(res)
    assert [r["switch"] for r in res["records"]] == ["sw2"]  # sw1 is not even polled
    assert data["camguard_switches"]["hosts"] == ["sw2"]

    for filters, found in (
        ("  - vendor: hikvision\n  - vendor: dahua\n", True),
        ("  - vendor: dahua\n", False),
        ("  - vlan: 10\n  - status: named\n", True),
        ("  - vlan: 20\n", False),
        ("  - status: affiliate\n", False),
    ):
        cfg.write_text(SITE + "query_filters:\n" + filters)
        data = listing(cli(tmp_path, "-i", str(cfg), "--list", "--export"))
        hosts = data.get("camguard_restricted", {}).get("hosts", [])
        assert (hosts == ["hikvision_bcad28000001"]) is found, (filters, hosts)
        sw2 = data["_meta"]["hostvars"]["sw2"]
        assert bool(sw2["camguard_findings"]) is found, filters
        assert data["camguard_switches"]["vars"]["camguard_summary"]["restricted_devices"] == int(found)


@pytest.mark.parametrize(
    "filters, message",
    [
        ("query_filters: {vendor: hikvision}\n", r"Config 'query_filters' .* has an invalid value"),  # Ansible's check
        (
            "query_filters:\n  - role: access\n",
            r"query_filters\[0\]: unknown key 'role'; allowed: switch, switch_group",
        ),
        ("query_filters:\n  - {vlan: 10, vendor: x}\n", r"query_filters\[0\]: expected a mapping with one key"),
        ("query_filters:\n  - vlan: ten\n", r"query_filters\[0\]\.vlan: expected a VLAN ID \(1-4094\), got 'ten'"),
        ("query_filters:\n  - vlan: 5000\n", r"query_filters\[0\]\.vlan: expected a VLAN ID \(1-4094\), got 5000"),
        ("query_filters:\n  - status: evil\n", r"query_filters\[0\]\.status: unknown status 'evil'; allowed: named"),
        ("query_filters:\n  - vendor: ''\n", r"query_filters\[0\]\.vendor: expected a non-empty string"),
    ],
)
def test_query_filter_errors_name_the_key(tmp_path: Path, replay: List[Any], filters: str, message: str) -> None:
    from ansible.errors import AnsibleError

    cfg = write(tmp_path, "site.mac_table.yml", SITE + filters)
    with pytest.raises(AnsibleError, match=message):
        parse_direct(cfg)
    assert replay == []


def _set_variables(inv: Any) -> Dict[str, set]:
    switch_keys: set = set()
    device_keys: set = set()
    for h in inv.get_hosts():
        keys = set(h.get_vars()) - {
            "inventory_hostname",
            "inventory_hostname_short",
            "inventory_file",
            "inventory_dir",
            "group_names",
        }
        if "camguard_platform" in keys:
            switch_keys |= keys
        else:
            device_keys |= keys
    group_keys = set(inv.groups["camguard_switches"].get_vars())
    return {"switch": switch_keys, "device": device_keys, "group": group_keys}


def test_every_host_variable_the_plugin_sets_is_documented(tmp_path: Path, replay: List[Any]) -> None:
    text = SITE.replace("platform: cisco_ios,", "platform: cisco_ios, private_key_file: /k, known_hosts_file: /kh,")
    text = text.replace("switches:\n", "switches:\n  - {name: down, host: 192.0.2.9, platform: ios}\n")
    cfg = write(tmp_path, "site.mac_table.yml", text)
    inv = load(cfg)
    found = _set_variables(inv)
    assert {"camguard_error", "camguard_private_key_file", "camguard_known_hosts_file"} <= found["switch"]
    assert "camguard_mac" in found["device"]
    doc = yaml.safe_load(_doc("DOCUMENTATION"))
    text = " ".join(doc["description"])
    for kind, keys in found.items():
        for key in sorted(keys):
            assert f"C({key})" in text or f"C({key}=" in text, (
                f"{kind} variable {key} is not in the plugin's description"
            )


def test_documented_keyed_groups_example_makes_groups(tmp_path: Path, replay: List[Any]) -> None:
    example = yaml.safe_load(_doc("EXAMPLES").split("\n\n# Poll the switches")[0])
    used = {k["key"].split("|")[0].strip() for k in example["keyed_groups"]}
    cfg = write(
        tmp_path,
        "site.mac_table.yml",
        SITE
        + yaml.safe_dump({"keyed_groups": example["keyed_groups"], "compose": example["compose"]}, sort_keys=False),
    )
    inv = load(cfg)
    found = _set_variables(inv)
    assert used <= found["switch"] | found["device"], used - (found["switch"] | found["device"])
    assert [h.name for h in inv.groups["platform_cisco_ios"].get_hosts()] == ["sw1", "sw2"]
    assert [h.name for h in inv.groups["vendor_hikvision"].get_hosts()] == ["hikvision_bcad28000001"]
    assert (
        inv.get_host("hikvision_bcad28000001").get_vars()["camguard_label"] == "hikvision on sw2 GigabitEthernet1/0/3"
    )
