# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling, isolation and audit log in to the same switch the same way (the README's table
"Which credential wins").

The real ``ansible-playbook camguard.network.audit`` runs (through ``tests/unit/seam_cli.py``, so
switch I/O is replaced at the one seam and nothing else) over an inventory folder holding a
NetBox-like static source and a ``mac_table`` source that reads its hosts. The seam records, per
switch, with what the inventory polled it (``collect``) and with what the role's
``port_isolation`` task would log in (``isolate``): login name, key file and a hash of the password.
Both must agree, in the order of the table: the collection's own settings, the host's
``ansible_*`` variables, ``CAMGUARD_*``, ``ANSIBLE_NET_*`` (AWX Network credential), and for
playbooks the command line (AWX Machine credential). At ``-vvv`` no password appears in any output
or file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
SEAM = REPO / "tests" / "unit" / "seam_cli.py"
sys.path.insert(0, str(REPO / "tests" / "unit" / "plugins" / "inventory"))
from test_mac_table import sw2_outputs  # noqa: E402  (recorded IOS outputs in the real format)

NB_SECRET = "Nb-Pa55-host-only-7f3c"
ENV_SECRET = "Env-Pa55-camguard-91aa"
SITE_SECRET = "Site-Pa55-override-c0de"
NET_SECRET = "Net-Pa55-network-cred-5e5e"
MACHINE_SECRET = "Machine-Pa55-ask-pass-b00b"
SECRETS = (NB_SECRET, ENV_SECRET, SITE_SECRET, NET_SECRET, MACHINE_SECRET)


def sha(pw: Optional[str]) -> Optional[str]:
    return hashlib.sha256(pw.encode()).hexdigest() if pw else None


def inventory_folder(tmp: Path, plugin_wide: str = "") -> Path:
    """01-netbox.yml (hosts a NetBox source would give) and 02-site.mac_table.yml, parsed in name order."""
    inv = tmp / "inventory"
    (inv / "keys").mkdir(parents=True)
    (inv / "keys" / "sw-d").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n-----END OPENSSH PRIVATE KEY-----\n")
    netbox = {
        "all": {
            "children": {
                "access_switch": {
                    "hosts": {
                        "sw-a": {
                            "ansible_host": "192.0.2.1",
                            "ansible_network_os": "cisco.ios.ios",
                            "ansible_user": "nbuser",
                            "ansible_password": NB_SECRET,
                        },
                        "sw-b": {"ansible_host": "192.0.2.2", "ansible_network_os": "cisco.ios.ios"},
                    }
                }
            }
        }
    }
    (inv / "01-netbox.yml").write_text(yaml.safe_dump(netbox))
    (inv / "02-site.mac_table.yml").write_text(
        textwrap.dedent(
            """\
            plugin: camguard.network.mac_table
            inventory_switches:
              groups: [access_switch]
              platform_var: ansible_network_os
            switches:
              - {name: sw-c, host: 192.0.2.3, platform: cisco_ios, username: fileuser, password_env: SITE_PW}
              - {name: sw-d, host: 192.0.2.4, platform: cisco_ios, username: keyuser,
                 private_key_file: keys/sw-d, password_env: NO_SUCH_PW_VAR}
              - {name: sw-e, host: 192.0.2.5, platform: cisco_ios, username: nokey, password_env: NO_SUCH_PW_VAR}
            use_registry: false
            host_key_checking: false
            """
        )
        + plugin_wide
    )
    return inv


def run(tmp: Path, env_extra: Dict[str, str], *args: str, program: str = "ansible-playbook") -> Dict[str, Any]:
    log = tmp / "seam.jsonl"
    log.unlink(missing_ok=True)
    outputs = tmp / "outputs.json"
    outputs.write_text(json.dumps({n: sw2_outputs() for n in ("sw-a", "sw-b", "sw-c", "sw-d", "sw-e")}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CAMGUARD_"))}
    env.update(
        HOME=str(tmp / "home"),
        ANSIBLE_HOME=str(tmp / "home" / ".ansible"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
        ANSIBLE_LOG_PATH=str(tmp / "ansible.log"),
        CAMGUARD_REPORT_DIR=str(tmp / "reports"),
        CAMGUARD_STATE_DIR=str(tmp / "state"),
        CAMGUARD_SEAM_LOG=str(log),
        CAMGUARD_SEAM_OUTPUTS=str(outputs),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(env_extra)
    proc = subprocess.run(
        [sys.executable, str(SEAM), program, *args],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {"proc": proc, "records": records}


def logins(records: List[Dict[str, Any]], who: str) -> Dict[str, Dict[str, Any]]:
    return {
        r["switch"]: {k: r[k] for k in ("username", "password_sha256", "private_key_file")}
        for r in records
        if r["who"] == who
    }


def audit(tmp: Path, env_extra: Dict[str, str], *extra: str, plugin_wide: str = "") -> Dict[str, Any]:
    inv = inventory_folder(tmp, plugin_wide)
    return run(tmp, env_extra, "-i", str(inv), "camguard.network.audit", *extra)


def test_polling_and_isolation_log_in_the_same_way(tmp_path: Path) -> None:
    env = {"CAMGUARD_USERNAME": "envuser", "CAMGUARD_PASSWORD": ENV_SECRET, "SITE_PW": SITE_SECRET}
    res = audit(tmp_path, env, "-vvv")
    proc = res["proc"]
    polled = logins(res["records"], "collect")
    isolated = logins(res["records"], "isolate")
    key = str(tmp_path / "inventory" / "keys" / "sw-d")  # relative to the inventory file's folder
    expected = {
        "sw-a": {"username": "nbuser", "password_sha256": sha(NB_SECRET), "private_key_file": None},  # the host's
        "sw-b": {"username": "envuser", "password_sha256": sha(ENV_SECRET), "private_key_file": None},  # CAMGUARD_*
        "sw-c": {"username": "fileuser", "password_sha256": sha(SITE_SECRET), "private_key_file": None},  # override
        # an unset password_env is no licence to use another password: the key only
        "sw-d": {"username": "keyuser", "password_sha256": None, "private_key_file": key},
    }
    assert polled == expected, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert isolated == expected, proc.stdout[-3000:] + proc.stderr[-3000:]

    # sw-e: its password_env names an unset variable and it has no key: never tried, and said so
    report = json.loads((tmp_path / "reports" / "camguard-report.json").read_text())
    [sw_e] = [u for u in report["unreachable"] if u["switch"] == "sw-e"]
    assert "password_env names NO_SUCH_PW_VAR, which is not set" in sw_e["error"]
    assert "timed out" not in sw_e["error"]
    assert "password_env names NO_SUCH_PW_VAR, which is not set" in proc.stdout + proc.stderr

    # at -vvv no password reaches any output, log or file the run wrote
    inputs = tmp_path / "inventory"  # the NetBox-like source holds its host's password, as NetBox would
    files = [p for p in tmp_path.rglob("*") if p.is_file() and inputs not in p.parents and p.name != "outputs.json"]
    texts = {str(p): p.read_text(errors="replace") for p in files}
    texts["stdout"], texts["stderr"] = proc.stdout, proc.stderr
    assert "<localhost>" in proc.stdout or "ESTABLISH" in proc.stdout or "task path" in proc.stdout  # really -vvv
    leaks = [(s, where) for where, text in texts.items() for s in SECRETS if s in text]
    assert not leaks, leaks


def test_plugin_wide_options_come_after_the_hosts_own_variables(tmp_path: Path) -> None:
    """Plugin-wide options are defaults: a NetBox host's own ansible_user / ansible_password win over
    them, and they win over CAMGUARD_* for the hosts without."""
    env = {"CAMGUARD_USERNAME": "envuser", "CAMGUARD_PASSWORD": ENV_SECRET, "SITE_PW": SITE_SECRET}
    res = audit(tmp_path, env, plugin_wide="username: wideuser\npassword_env: SITE_PW\n")
    for who in ("collect", "isolate"):
        got = logins(res["records"], who)
        assert got["sw-a"] == {"username": "nbuser", "password_sha256": sha(NB_SECRET), "private_key_file": None}, who
        assert got["sw-b"] == {"username": "wideuser", "password_sha256": sha(SITE_SECRET), "private_key_file": None}, (
            who
        )


def test_awx_network_credential_comes_after_the_collections_variables(tmp_path: Path) -> None:
    env = {"ANSIBLE_NET_USERNAME": "netuser", "ANSIBLE_NET_PASSWORD": NET_SECRET, "SITE_PW": SITE_SECRET}
    res = audit(tmp_path, env)
    for who in ("collect", "isolate"):
        got = logins(res["records"], who)
        assert got["sw-b"] == {"username": "netuser", "password_sha256": sha(NET_SECRET), "private_key_file": None}
        assert got["sw-a"]["username"] == "nbuser" and got["sw-a"]["password_sha256"] == sha(NB_SECRET)
        assert got["sw-c"]["username"] == "fileuser" and got["sw-c"]["password_sha256"] == sha(SITE_SECRET)
    stored = json.loads((tmp_path / "reports" / "camguard-report.json").read_text())
    assert NET_SECRET not in json.dumps(stored)


def test_machine_credential_and_command_line_come_last(tmp_path: Path) -> None:
    """AWX passes a Machine credential as -u and --ask-pass (here: --connection-password-file)."""
    pwfile = tmp_path / "connpw"
    pwfile.write_text(MACHINE_SECRET + "\n")
    res = audit(tmp_path, {"SITE_PW": SITE_SECRET}, "-u", "machineuser", "--connection-password-file", str(pwfile))
    isolated = logins(res["records"], "isolate")
    # no collection variable and no host variable: the command line's login
    assert isolated["sw-b"] == {
        "username": "machineuser",
        "password_sha256": sha(MACHINE_SECRET),
        "private_key_file": None,
    }
    # the host's own variables and the collection's override still win over it
    assert isolated["sw-a"]["username"] == "nbuser" and isolated["sw-a"]["password_sha256"] == sha(NB_SECRET)
    assert isolated["sw-c"]["username"] == "fileuser" and isolated["sw-c"]["password_sha256"] == sha(SITE_SECRET)
    # with CAMGUARD_PASSWORD set, it comes before the Machine credential
    res = audit(
        tmp_path / "again",
        {"SITE_PW": SITE_SECRET, "CAMGUARD_PASSWORD": ENV_SECRET, "CAMGUARD_USERNAME": "envuser"},
        "-u",
        "root",  # what AWX passes when no Machine credential is attached
        "--connection-password-file",
        str(pwfile),
    )
    isolated = logins(res["records"], "isolate")
    assert isolated["sw-b"] == {"username": "envuser", "password_sha256": sha(ENV_SECRET), "private_key_file": None}


def test_inventory_list_holds_no_secret_and_names_the_unset_variable(tmp_path: Path) -> None:
    inv = inventory_folder(tmp_path)
    env = {"CAMGUARD_USERNAME": "envuser", "CAMGUARD_PASSWORD": ENV_SECRET, "SITE_PW": SITE_SECRET}
    res = run(tmp_path, env, "-i", str(inv), "--list", program="ansible-inventory")
    assert res["proc"].returncode == 0, res["proc"].stderr[-3000:]
    out = res["proc"].stdout
    for s in (ENV_SECRET, SITE_SECRET):
        assert s not in out + res["proc"].stderr
    data = json.loads(out)
    hv = data["_meta"]["hostvars"]
    assert "password_env names NO_SUCH_PW_VAR, which is not set" in hv["sw-e"]["camguard_error"]["__ansible_unsafe"]
    assert "sw-e" not in {r["switch"] for r in res["records"]}  # not tried
    # the NetBox host's password stays where NetBox put it; the plugin copies it nowhere
    assert hv["sw-a"]["ansible_password"] == NB_SECRET
    assert not any(NB_SECRET in json.dumps(v) for k, v in hv["sw-a"].items() if k != "ansible_password")
    # a login name from the environment is not stored (the playbook job reads its own), one from a file is
    assert "camguard_username" not in hv["sw-b"] and hv["sw-c"]["camguard_username"] == "fileuser"
    assert hv["sw-a"]["camguard_username"] == "nbuser"


@pytest.mark.parametrize("explicit", [True, False])
def test_module_names_the_unset_password_variable(explicit: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from ansible_collections.camguard.network.plugins.module_utils._collect.args import mac_table_info_argument_spec
    from ansible_collections.camguard.network.plugins.module_utils._collect.task import run_task

    monkeypatch.delenv("NO_SUCH_PW_VAR", raising=False)
    monkeypatch.setenv("CAMGUARD_PASSWORD", ENV_SECRET)
    spec = mac_table_info_argument_spec()
    params = {k: v.get("default") for k, v in spec.items()}
    params.update(host="127.0.0.1", port=1, platform="cisco_ios", username="u", switch="sw-x", connect_timeout=1)
    params["password_env"] = "NO_SUCH_PW_VAR" if explicit else None
    params["password"] = None
    out = run_task(params, False, False)
    assert out["failed"] is True
    if explicit:
        # CAMGUARD_PASSWORD is set, but the named variable is the override: nothing else is used
        assert out["msg"] == (
            "sw-x: no login attempted: password_env names NO_SUCH_PW_VAR, which is not set, "
            "and there is no private key file"
        )
    else:
        assert "connection refused" in out["msg"]  # CAMGUARD_PASSWORD was used and the port is closed
    assert ENV_SECRET not in json.dumps(out)
