# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply through the Transport seam: a stateful fake switch behind ``ReplayTransport`` (the only
mock), one session per switch, verify, rollback on an injected mid-commit failure, guardrails
that send nothing, check mode, plan approval, audit records; NAPALM's own mock driver for the
NAPALM path."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import ReplayTransport, Transport
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULT_CONFIG_BATCH_LINES,
    Options,
    parse_change_window,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import PortTarget
from ansible_collections.camguard.network.plugins.module_utils._isolate.readback import (
    LiveState,
    acl_ports_from_config,
    quarantine_vlan_defined,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import ApplyError
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore
from ansible_collections.camguard.network.plugins.module_utils._records import MacEntry, Neighbor, PortInfo

REPO = Path(__file__).resolve().parents[5]
TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
ACL = "CAMGUARD-QUARANTINE"


class FakeSwitch:
    """A small stateful IOS/EOS/Junos/Linux-like switch: applies the config lines it is sent."""

    def __init__(
        self, platform: str, names: Sequence[str], fail_on: Optional[str] = None, ignore: Optional[str] = None
    ):
        self.platform = platform
        self.ports: Dict[str, Dict[str, Any]] = {
            n: {"vlan": 10, "enabled": True, "acl": False, "mode": "access", "desc": ""} for n in names
        }
        self.macs: List[MacEntry] = []
        self.neighbors: List[Neighbor] = []
        self.fail_on = fail_on  # a line (regex) the device rejects: everything before it stays applied
        self.ignore = ignore  # a line the device accepts but silently does not apply (verify must catch it)
        self.saved = 0
        self.sessions: List[Dict[str, Any]] = []
        self.commands: List[str] = []
        self.failed_once = False
        self.junos_committed: List[Dict[str, Dict[str, Any]]] = []
        self.eos_session_base: Dict[str, Dict[str, Any]] = {}

    def snapshot(self) -> Dict[str, Dict[str, Any]]:
        return {k: dict(v) for k, v in self.ports.items()}

    # -- config lines
    def _apply_line(self, cur: Optional[str], line: str) -> Optional[str]:
        s = line.strip()
        m = re.match(r"^interface (\S+)$", s)
        if m:
            return m.group(1)
        if cur is None:
            m = re.match(r"^set interfaces (\S+) unit 0 family ethernet-switching vlan members (\d+)$", s)
            if m:
                self.ports[m.group(1)]["vlan"] = int(m.group(2))
            m = re.match(r"^(set|delete) interfaces (\S+) disable$", s)
            if m:
                self.ports[m.group(2)]["enabled"] = m.group(1) == "delete"
            m = re.match(rf"^(set|delete) interfaces (\S+) unit 0 family ethernet-switching filter input {ACL}$", s)
            if m:
                self.ports[m.group(2)]["acl"] = m.group(1) == "set"
            return None
        p = self.ports[cur]
        if m := re.match(r"^switchport access vlan (\d+)$", s):
            p["vlan"] = int(m.group(1))
        elif s == "shutdown":
            p["enabled"] = False
        elif s == "no shutdown":
            p["enabled"] = True
        elif s == f"ip access-group {ACL} in":
            p["acl"] = True
        elif s == f"no ip access-group {ACL} in":
            p["acl"] = False
        elif s == "exit":
            return None
        return cur

    def config(self, lines: Sequence[str], **kwargs: Any) -> str:
        self.sessions.append({"lines": list(lines), "kwargs": dict(kwargs)})
        if self.platform == "juniper_junos":
            return self._junos(lines)
        if self.platform == "arista_eos":
            # a configure session: "abort" throws away everything typed since it was opened
            if list(lines) == ["abort"]:
                self.ports = self.eos_session_base
                return ""
            if str(kwargs.get("config_mode_command", "")).startswith("configure session"):
                self.eos_session_base = self.snapshot()
        cur: Optional[str] = None
        out = []
        for line in lines:
            if self.fail_on and re.search(self.fail_on, line) and not self.failed_once:
                self.failed_once = True
                out.append(f"{line}\n% Invalid input detected at '^' marker.")
                return "\n".join(out)
            if self.ignore and re.search(self.ignore, line):
                continue
            cur = self._apply_line(cur, line)
            out.append(line)
        return "\n".join(out)

    def _junos(self, lines: Sequence[str]) -> str:
        for line in lines:
            if line.startswith("commit confirmed") or line.startswith("commit comment camguard-confirm"):
                self.junos_committed.append(self.snapshot())
                return "commit complete\nExiting configuration mode"
            if line == "rollback 1":
                self.ports = self.junos_committed[-2] if len(self.junos_committed) > 1 else self.junos_committed[0]
                continue
            if line.startswith("commit comment camguard-rollback"):
                return "commit complete"
            if self.ignore and re.search(self.ignore, line):
                continue
            self._apply_line(None, line)
        return ""

    # -- exec commands
    def command(self, cmd: str) -> str:
        self.commands.append(cmd)
        if cmd in ("write memory", "copy running-config startup-config"):
            self.saved += 1
            return "[OK]"
        if cmd in ("show running-config", "show configuration | display set"):
            return self.running_config()
        m = re.match(r"^(/usr/sbin/ip link set (\S+) (master br(\d+)|down|up|nomaster)); echo __CAMGUARD_RC=\$\?$", cmd)
        if m:
            if self.fail_on and re.search(self.fail_on, m.group(1)) and not self.failed_once:
                self.failed_once = True
                return "RTNETLINK answers: Device or resource busy\n__CAMGUARD_RC=2"
            if m.group(2) not in self.ports:  # a bridge (br999 up)
                return "__CAMGUARD_RC=0"
            p = self.ports[m.group(2)]
            if m.group(4):
                p["vlan"] = int(m.group(4))
            elif m.group(3) in ("down", "up"):
                p["enabled"] = m.group(3) == "up"
            return "__CAMGUARD_RC=0"
        if cmd.endswith("echo __CAMGUARD_RC=$?"):
            return "__CAMGUARD_RC=0"
        return f"% Invalid input detected at '^' marker.\n{cmd}"

    def running_config(self) -> str:
        if self.platform == "juniper_junos":
            return "\n".join(
                f"set interfaces {n} unit 0 family ethernet-switching filter input {ACL}"
                for n, p in self.ports.items()
                if p["acl"]
            )
        out = ["hostname fake"]
        for n, p in self.ports.items():
            out.append(f"interface {n}")
            out.append(f" description {p['desc']}")
            out.append(f" switchport access vlan {p['vlan']}")
            if p["acl"]:
                out.append(f" ip access-group {ACL} in")
            if not p["enabled"]:
                out.append(" shutdown")
        return "\n".join(out) + "\n"

    def transport(self) -> KwargsReplay:
        return KwargsReplay("sw1", handler=self.command, config_handler=self.config)

    def reader(self, transport: Transport, with_config: bool) -> LiveState:
        text = self.running_config() if self.platform != "linux_bridge" else ""
        ports = [
            PortInfo(n, p["mode"], p["vlan"], p["desc"], p["enabled"], lag=p.get("lag")) for n, p in self.ports.items()
        ]
        return LiveState(ports, list(self.macs), list(self.neighbors), acl_ports_from_config(self.platform, text), text)


class KwargsReplay(ReplayTransport):
    """ReplayTransport that forwards the session keyword arguments (configure session, ...)."""

    def send_config_set(self, lines: Sequence[str], **kwargs: Any) -> str:
        self.config_sent.append(list(lines))
        assert self.config_handler is not None
        return self.config_handler(lines, **kwargs)  # type: ignore[call-arg]


def ios_names(n: int) -> List[str]:
    return [f"GigabitEthernet1/0/{i}" for i in range(1, n + 1)]


def cams(names: Sequence[str]) -> List[PortTarget]:
    return [PortTarget(f"bc:ad:28:00:00:{i:02x}", n, 10, "hikvision") for i, n in enumerate(names, 1)]


def run(sw: FakeSwitch, tmp: Path, targets: List[PortTarget], t: Optional[ReplayTransport] = None, **kw: Any):
    o: Dict[str, Any] = {
        "mode": "vlan",
        "change_id": "CHG42",
        "now": NOW,
        "allowed_peers": ("10.66.10.20/32",),
        "max_ports": 50,
    }
    extra = {k: kw.pop(k) for k in ("approved_digest", "verify", "config_batch_lines") if k in kw}
    o.update(kw)
    transport = t or sw.transport()
    res = run_isolation(
        transport,
        sw.platform,
        "sw1",
        targets,
        Options(**o),
        StateStore(str(tmp), "sw1"),
        TEMPLATES,
        reader=sw.reader,
        user="tester",
        **extra,
    )
    return res, transport


def with_macs(sw: FakeSwitch, targets: List[PortTarget]) -> None:
    sw.macs = [MacEntry(t.mac, 10, t.interface) for t in targets]


# ----------------------------------------------------------------- one session, verify, idempotency


@pytest.mark.parametrize("mode", ["vlan", "shutdown", "acl"])
def test_twenty_ports_one_session_then_idempotent_then_release(tmp_path: Path, mode: str) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(24))
    targets = cams(ios_names(20))
    with_macs(sw, targets)
    before = sw.snapshot()
    res, t = run(sw, tmp_path, targets, mode=mode)
    assert not res.failed, res.msg
    assert res.changed and res.applied and res.verified
    assert len(t.config_sent) == 1, "all ports of one switch go in one config session"
    assert sw.saved == 1
    assert len([r for r in res.audit_records if r["result"] == "applied"]) == 20
    store = StateStore(str(tmp_path), "sw1")
    assert len(store.load_ports()["ports"]) == 20
    assert Path(res.running_config_file or "").read_text().startswith("hostname fake")
    assert json.loads(Path(res.plan_file or "").read_text())["digest"] == res.plan.digest()
    # idempotency twin
    res2, t2 = run(sw, tmp_path, targets, mode=mode)
    assert not res2.changed and t2.config_sent == [] and sw.saved == 1
    # release restores exactly
    res3, _unused = run(sw, tmp_path, [], mode=mode, state="released")
    assert res3.changed and res3.verified
    assert sw.snapshot() == before
    assert store.load_ports()["ports"] == {}
    audit = store.read_audit()
    assert [r["action"] for r in audit].count("release") == 20
    assert set(audit[0]) >= {
        "time",
        "user",
        "change_id",
        "switch",
        "port",
        "mac",
        "vendor",
        "mode",
        "before",
        "after",
        "result",
    }


def test_injected_failure_mid_commit_rolls_back_to_exactly_before(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(24), fail_on=r"^interface GigabitEthernet1/0/11$")
    targets = cams(ios_names(20))
    with_macs(sw, targets)
    before = sw.snapshot()
    res, t = run(sw, tmp_path, targets)
    assert res.failed and res.rolled_back and res.rollback_verified
    assert "Invalid input" in res.msg and "rolled back" in res.msg
    assert sw.snapshot() == before
    assert len(t.config_sent) == 2  # the failed session, then the rollback session
    assert sw.saved == 0, "a failed change is never saved to startup"
    store = StateStore(str(tmp_path), "sw1")
    assert store.load_ports()["ports"] == {}
    assert {r["result"] for r in store.read_audit()} == {"failed-rolled-back"}


def test_failed_verify_rolls_back(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(6), ignore=r"^ switchport access vlan 999$")
    targets = cams(ios_names(2))
    with_macs(sw, targets)
    before = sw.snapshot()
    res, _unused = run(sw, tmp_path, targets)
    assert res.failed and res.verified is False and res.rolled_back
    assert "verify failed" in res.msg and "GigabitEthernet1/0/1: expected vlan=999" in res.msg
    assert sw.snapshot() == before


# ----------------------------------------------------------------- guardrails send nothing


GUARDS = {
    "trunk": ({"mode_of": ("GigabitEthernet1/0/3", "trunk")}, {}),
    "lag": ({"lag_of": ("GigabitEthernet1/0/3", "Port-channel1")}, {}),
    "neighbor": ({"neighbor": "GigabitEthernet1/0/3"}, {}),
    "too_many_macs": ({"extra_mac": "GigabitEthernet1/0/3"}, {}),
    "exception_description": ({"desc": ("GigabitEthernet1/0/3", "door cam CAMGUARD-EXEMPT")}, {}),
    "waived": ({"waiver": {"owner": "sec", "reason": "r", "ticket": "T", "expires": "2027-01-01"}}, {}),
    "max_ports": ({}, {"max_ports": 0}),
    "change_id": ({}, {"change_id": None}),
    "change_window": ({}, {"change_window": parse_change_window("Sat,Sun 01:00-05:00")}),
}


@pytest.mark.parametrize("code", sorted(GUARDS))
def test_each_guardrail_refuses_and_sends_nothing(tmp_path: Path, code: str) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(6))
    setup, opts = GUARDS[code]
    waiver = setup.get("waiver")
    targets = [PortTarget("bc:ad:28:00:00:03", "GigabitEthernet1/0/3", 10, "hikvision", waiver=waiver)]
    with_macs(sw, targets)
    if "mode_of" in setup:
        sw.ports[setup["mode_of"][0]]["mode"] = setup["mode_of"][1]
    if "lag_of" in setup:
        sw.ports[setup["lag_of"][0]]["lag"] = setup["lag_of"][1]
    if "neighbor" in setup:
        sw.neighbors = [Neighbor(setup["neighbor"], "core1", "Gi0/1", ("bridge", "router"), "cdp")]
    if "extra_mac" in setup:
        sw.macs.append(MacEntry("00:1b:21:00:00:01", 10, setup["extra_mac"]))
    if "desc" in setup:
        sw.ports[setup["desc"][0]]["desc"] = setup["desc"][1]
    if code == "max_ports":
        # max_ports must be >= 1; use two cameras and max 1
        targets.append(PortTarget("bc:ad:28:00:00:04", "GigabitEthernet1/0/4", 10, "hikvision"))
        with_macs(sw, targets)
        opts = {"max_ports": 1}
    before = sw.snapshot()
    res, t = run(sw, tmp_path, targets, **opts)
    refused = [r["code"] for r in res.to_dict()["refused"]]
    assert refused == [code], res.to_dict()["refused"]
    assert all(r["reason"] for r in res.to_dict()["refused"])
    assert t.config_sent == [], "a refused change sends no configuration"
    assert sw.saved == 0 and sw.snapshot() == before
    assert not res.changed
    assert StateStore(str(tmp_path), "sw1").load_ports()["ports"] == {}


# ----------------------------------------------------------------- check mode, plan approval


def test_check_mode_changes_nothing_and_shows_the_config(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(6))
    targets = cams(ios_names(2))
    with_macs(sw, targets)
    before = sw.snapshot()
    res, t = run(sw, tmp_path, targets, check_mode=True, change_id=None)
    assert res.changed and not res.applied and t.config_sent == []
    assert res.config[:3] == ["vlan 999", " name CAMGUARD-QUARANTINE", "exit"]
    assert "GigabitEthernet1/0/1: vlan=10 enabled=yes acl=no" in res.diff["before"]
    assert "GigabitEthernet1/0/1: vlan=999" in res.diff["after"]
    assert sw.snapshot() == before and sw.saved == 0
    assert not (tmp_path / "sw1" / "ports.json").exists()
    assert not list((tmp_path / "plans").iterdir())
    assert not (tmp_path / "audit.jsonl").exists()


def test_planned_state_writes_plan_and_approval_digest_is_enforced(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(6))
    targets = cams(ios_names(2))
    with_macs(sw, targets)
    res, t = run(sw, tmp_path, targets, state="planned")
    assert t.config_sent == [] and res.plan_file
    data = json.loads(Path(res.plan_file).read_text())
    assert data["digest"] == res.plan.digest() and data["config"] == res.config
    # the switch changed between approval and apply: refuse
    sw.ports["GigabitEthernet1/0/2"]["vlan"] = 20
    res2, t2 = run(sw, tmp_path, targets, approved_digest=data["digest"])
    assert res2.failed and "changed since it was approved" in res2.msg and t2.config_sent == []
    sw.ports["GigabitEthernet1/0/2"]["vlan"] = 10
    res3, _unused = run(sw, tmp_path, targets, approved_digest=data["digest"])
    assert res3.changed and res3.verified


def test_hostile_description_never_reaches_the_device(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(6))
    targets = cams(ios_names(1))
    with_macs(sw, targets)
    evil = "cam\n!\ninterface GigabitEthernet1/0/6\n shutdown\nusername x privilege 15 secret y"
    sw.ports["GigabitEthernet1/0/1"]["desc"] = evil
    res, t = run(sw, tmp_path, targets)
    assert res.verified
    sent = "\n".join(line for s in t.config_sent for line in s)
    assert (
        "username" not in sent
        and "GigabitEthernet1/0/6" not in sent
        and "cam" not in sent.lower().replace("camguard", "")
    )
    assert sw.ports["GigabitEthernet1/0/6"]["enabled"] is True


# ----------------------------------------------------------------- other commit models


def test_eos_uses_a_config_session_and_aborts_on_error(tmp_path: Path) -> None:
    names = [f"Ethernet{i}" for i in range(1, 5)]
    sw = FakeSwitch("arista_eos", names)
    targets = cams(names[:2])
    with_macs(sw, targets)
    res, _unused = run(sw, tmp_path, targets, change_id="CHG 7".replace(" ", "-"))
    assert res.verified
    first = sw.sessions[0]
    # the session name is unique per run: change ID and run ID
    assert re.fullmatch(r"[0-9a-f]{8}", res.run_id)
    assert first["kwargs"] == {
        "config_mode_command": f"configure session camguard-CHG-7-{res.run_id}",
        "exit_config_mode": False,
        "batch_lines": DEFAULT_CONFIG_BATCH_LINES,
    }
    assert sw.sessions[1]["lines"] == ["commit"]
    sw2 = FakeSwitch("arista_eos", names, fail_on=r"^interface Ethernet2$")
    with_macs(sw2, targets)
    before = sw2.snapshot()
    res2, _unused = run(sw2, tmp_path / "b", targets)
    assert res2.failed and ["abort"] in [s["lines"] for s in sw2.sessions]
    assert sw2.snapshot() == before
    # nothing was committed: no second session re-renders an inverse plan
    assert [s["lines"] for s in sw2.sessions][1:] == [["abort"]]
    assert res2.rolled_back and res2.rollback_verified and "nothing was committed" in res2.msg


def test_junos_commit_confirmed_then_confirm_or_rollback(tmp_path: Path) -> None:
    names = ["ge-0/0/1", "ge-0/0/2", "ge-0/0/3"]
    sw = FakeSwitch("juniper_junos", names)
    sw.junos_committed.append(sw.snapshot())
    targets = cams(names[:2])
    with_macs(sw, targets)
    res, _unused = run(sw, tmp_path, targets, mode="shutdown")
    assert res.verified and not res.failed
    sent = [s["lines"] for s in sw.sessions]
    # the commit comments are unique per run: change ID and run ID
    assert sent[1] == [f"commit confirmed 2 comment camguard-CHG42-{res.run_id} and-quit"]
    assert sent[2] == [f"commit comment camguard-confirm-CHG42-{res.run_id} and-quit"]
    # verify failure after commit confirmed: rollback 1 + commit
    sw2 = FakeSwitch("juniper_junos", names, ignore=r"ge-0/0/2 disable")
    sw2.junos_committed.append(sw2.snapshot())
    with_macs(sw2, targets)
    before = sw2.snapshot()
    res2, _unused = run(sw2, tmp_path / "b", targets, mode="shutdown")
    assert res2.failed and res2.rolled_back and res2.rollback_verified
    assert ["rollback 1", f"commit comment camguard-rollback-CHG42-{res2.run_id} and-quit"] in [
        s["lines"] for s in sw2.sessions
    ]
    assert sw2.snapshot() == before


def test_linux_commands_checked_and_rolled_back(tmp_path: Path) -> None:
    names = [f"swp{i}" for i in range(1, 7)]
    sw = FakeSwitch("linux_bridge", names, fail_on=r"swp4 master br999")
    targets = cams(names[:4])
    with_macs(sw, targets)
    before = sw.snapshot()
    res, t = run(sw, tmp_path, targets)
    assert res.failed and res.rolled_back and res.rollback_verified, res.msg
    assert "exit 2" in res.msg and "Device or resource busy" in res.msg
    assert sw.snapshot() == before
    assert t.config_sent == []  # linux runs commands one by one, each with its exit status
    assert any(c.startswith("/usr/sbin/ip link set swp1 master br10;") for c in t.sent)


def test_linux_non_root_uses_sudo(tmp_path: Path) -> None:
    names = ["swp1", "swp2"]
    sw = FakeSwitch("linux_bridge", names)
    targets = cams(names[:1])
    with_macs(sw, targets)
    t = ReplayTransport("sw1", handler=lambda c: "__CAMGUARD_RC=0")
    res = run_isolation(
        t,
        "linux_bridge",
        "sw1",
        targets,
        Options(change_id="C1", now=NOW, mode="shutdown"),
        StateStore(str(tmp_path), "sw1"),
        TEMPLATES,
        reader=sw.reader,
        root=False,
        verify=False,
    )
    assert res.changed
    assert t.sent == ["sudo -n /bin/sh -c '/usr/sbin/ip link set swp1 down'; echo __CAMGUARD_RC=$?"]


# ----------------------------------------------------------------- NAPALM path (NAPALM's own mock driver)


def test_napalm_backend_session_commits_with_revert_and_confirms(tmp_path: Path, napalm_mock: Any) -> None:
    from types import SimpleNamespace

    names = ["Ethernet1", "Ethernet2"]
    sw = FakeSwitch("arista_eos", names)
    targets = cams(names[:1])
    with_macs(sw, targets)
    (tmp_path / "mock").mkdir()
    drv = napalm_mock(
        tmp_path / "mock",
        {
            "load_merge_candidate.1": {},
            "compare_config.1": {"diff": "+interface Ethernet1\n+ shutdown"},
            "commit_config.1": {},
            "confirm_commit.1": {},
        },
    )
    t = ReplayTransport("sw1", handler=sw.command)
    t.device = drv  # type: ignore[attr-defined]
    t.platform = SimpleNamespace(napalm_driver="eos")  # type: ignore[attr-defined]

    def reader(transport: Transport, with_config: bool) -> LiveState:
        live = sw.reader(transport, with_config)
        if drv.calls.get("commit_config"):  # what the committed candidate did
            live.ports = [PortInfo("Ethernet1", "access", 10, "", False), live.ports[1]]
        return live

    res = run_isolation(
        t,
        "arista_eos",
        "sw1",
        targets,
        Options(mode="shutdown", change_id="C9", now=NOW),
        StateStore(str(tmp_path / "st"), "sw1"),
        TEMPLATES,
        reader=reader,
    )
    assert res.verified and not res.failed, res.msg
    assert drv.calls == {"load_merge_candidate": 1, "compare_config": 1, "commit_config": 1, "confirm_commit": 1}
    assert not drv.has_pending_commit()


# ----------------------------------------------------------------- found against the vendor-CLI lab


def test_junos_rejected_commit_is_discarded_not_undone(tmp_path: Path) -> None:
    """A commit check failure after ``commit confirmed``: ``rollback 0`` drops the candidate, nothing
    was committed, no inverse session is sent, the audit says what failed."""
    names = ["ge-0/0/1", "ge-0/0/2"]
    sw = FakeSwitch("juniper_junos", names)
    base = sw.snapshot()

    def junos(lines: Sequence[str], **kwargs: Any) -> str:
        sw.sessions.append({"lines": list(lines), "kwargs": dict(kwargs)})
        if lines[0].startswith("commit confirmed"):
            return (
                "[edit interfaces ge-0/0/2 unit 0 family ethernet-switching filter]\n  'input CAMGUARD-QUARANTINE'\n"
                "    Referenced filter 'CAMGUARD-QUARANTINE' is not defined\nerror: configuration check-out failed"
            )
        if lines[0] == "rollback 0":
            sw.ports = {k: dict(v) for k, v in base.items()}
        else:
            for line in lines:
                sw._apply_line(None, line)
        return ""

    targets = cams(names[1:])
    with_macs(sw, targets)
    t = KwargsReplay("sw1", handler=sw.command, config_handler=junos)
    res, _unused = run(sw, tmp_path, targets, t=t, mode="acl")
    assert res.failed and res.rolled_back and res.rollback_verified
    assert "Referenced filter" in res.msg or "check-out failed" in res.msg
    assert "nothing was committed" in res.msg
    sent = [s["lines"] for s in sw.sessions]
    assert sent[-1] == ["rollback 0", "exit configuration-mode"] and len(sent) == 3
    assert sw.snapshot() == base
    audit = StateStore(str(tmp_path), "sw1").read_audit()
    assert {r["result"] for r in audit} == {"failed-rolled-back"}


def test_procurve_module_not_present_fails_the_session(tmp_path: Path) -> None:
    """ProCurve answers a port that does not exist with "Module not present for port or invalid
    port": the session fails and what was already applied is rolled back."""
    names = ["1", "2", "3"]
    sw = FakeSwitch("hp_procurve", names)
    before = sw.snapshot()

    def procurve(lines: Sequence[str], **kwargs: Any) -> str:
        sw.sessions.append({"lines": list(lines), "kwargs": dict(kwargs)})
        out = []
        for line in lines:
            m = re.match(r"^vlan (\d+)$", line)
            if m:
                vid = int(m.group(1))
            m = re.match(r"^\s+untagged (\S+)$", line)
            if m:
                if m.group(1) == "3" and len(sw.sessions) == 1:
                    out.append("Module not present for port or invalid port: 3")
                    continue
                sw.ports[m.group(1)]["vlan"] = vid
        return "\n".join(out)

    targets = cams(["2", "3"])
    with_macs(sw, targets)
    t = KwargsReplay("sw1", handler=sw.command, config_handler=procurve)
    res, _unused = run(sw, tmp_path, targets, t=t)
    assert res.failed and "Module not present for port" in res.msg
    assert res.rolled_back and res.rollback_verified
    assert sw.snapshot() == before


def test_junos_existing_quarantine_vlan_is_not_defined_twice(tmp_path: Path) -> None:
    """A second VLAN name for an existing ID fails the Junos commit ("Duplicate vlan-id"): the
    quarantine VLAN is used by its ID as it is."""
    config = "set vlans quarantine vlan-id 999\nset vlans cameras vlan-id 10\n"
    assert quarantine_vlan_defined("juniper_junos", config, 999)
    assert not quarantine_vlan_defined("juniper_junos", config, 998)
    assert not quarantine_vlan_defined("cisco_ios", "vlan 999\n name q\n", 999)
    names = ["ge-0/0/1", "ge-0/0/2"]
    sw = FakeSwitch("juniper_junos", names)
    sw.junos_committed.append(sw.snapshot())
    sw.running_config = lambda: config  # type: ignore[method-assign]
    targets = cams(names[1:])
    with_macs(sw, targets)
    res, _unused = run(sw, tmp_path, targets)
    assert not res.failed, res.msg
    assert not [ln for ln in res.config if ln.startswith("set vlans")]
    assert "set interfaces ge-0/0/2 unit 0 family ethernet-switching vlan members 999" in res.config


# ----------------------------------------------------------------- config_batch_lines


def _batch_kwargs(sessions: List[Dict[str, Any]]) -> List[Any]:
    return [s["kwargs"].get("batch_lines") for s in sessions]


@pytest.mark.parametrize(
    ("platform", "names"),
    [
        ("cisco_ios", ios_names(4)),
        ("arista_eos", [f"Ethernet{i}" for i in range(1, 5)]),
        ("juniper_junos", [f"ge-0/0/{i}" for i in range(1, 5)]),
    ],
)
def test_rendered_lines_go_in_batches_the_one_line_commands_do_not(
    tmp_path: Path, platform: str, names: List[str]
) -> None:
    sw = FakeSwitch(platform, names)
    targets = cams(names[:2])
    with_macs(sw, targets)
    res, _unused = run(sw, tmp_path, targets, config_batch_lines=5)
    assert res.verified and not res.failed, res.msg
    got = _batch_kwargs(sw.sessions)
    # the rendered lines: batches of 5; commit/confirm: one line each
    assert got[0] == 5
    assert all(k is None for k in got[1:]), got


def test_one_line_at_a_time_passes_no_batch_arguments(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(4))
    targets = cams(ios_names(2))
    with_macs(sw, targets)
    res, _unused = run(sw, tmp_path, targets, config_batch_lines=1)
    assert res.verified and not res.failed, res.msg
    assert len(sw.sessions) == 1 and sw.sessions[0]["kwargs"] == {}


def test_the_default_batches_and_the_rollback_session_batches_too(tmp_path: Path) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(6), fail_on=r"^interface GigabitEthernet1/0/3$")
    targets = cams(ios_names(4))
    with_macs(sw, targets)
    before = sw.snapshot()
    res, _unused = run(sw, tmp_path, targets)
    assert res.failed and res.rolled_back and res.rollback_verified, res.msg
    assert _batch_kwargs(sw.sessions) == [DEFAULT_CONFIG_BATCH_LINES] * 2
    assert sw.snapshot() == before


@pytest.mark.parametrize("value", [0, -3, True, "16", 2.5])
def test_a_batch_size_below_one_or_not_an_integer_is_refused_before_anything_is_read(
    tmp_path: Path, value: Any
) -> None:
    sw = FakeSwitch("cisco_ios", ios_names(2))
    targets = cams(ios_names(1))
    with_macs(sw, targets)
    with pytest.raises(
        ApplyError, match=re.escape(f"config_batch_lines must be an integer of at least 1, got {value!r}")
    ):
        run(sw, tmp_path, targets, config_batch_lines=value)
    assert sw.sessions == [] and sw.commands == []
