# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SNMP seam without a network: GETBULK walks against ``ReplayClient`` agents that misbehave
(loops, duplicates, out-of-order OIDs, noSuchObject, tables changing mid-walk, tooBig, silence),
the settings (env-var names, validation) and secret handling."""

from __future__ import annotations

import asyncio
from typing import Any, List, Sequence

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect import snmp
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Target, redact
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

IFNAME = mib.COLUMNS["ifName"]
COMMUNITY = "s3cret-community-value"


def _agent(n: int = 30) -> List[Any]:
    vb: List[Any] = [(mib.SCALARS["sysName"], b"sw1"), (mib.SCALARS["sysObjectID"], (1, 3, 6, 1, 4, 1, 8072))]
    vb += [((*IFNAME, i), f"p{i}".encode()) for i in range(1, n + 1)]
    vb += [(mib.COLUMNS["dot1dBasePortIfIndex"] + (i,), i) for i in range(1, n + 1)]
    vb += [(mib.COLUMNS["dot1dTpFdbPort"] + (0xBC, 0xAD, 0x28, 0, 0, i), i) for i in range(1, n + 1)]
    return vb


def _target(**opts: Any) -> snmp.SnmpTarget:
    return snmp.SnmpTarget(
        name="sw1",
        host="192.0.2.1",
        platform="snmp",
        credentials=snmp.SnmpCredentials(username="", community=COMMUNITY),
        backend="snmp",
        snmp=snmp.SnmpOptions(**opts),
    )


def _walk(client: snmp.Client, **opts: Any) -> snmp.WalkResult:
    o = snmp.SnmpOptions(**opts)
    return asyncio.run(snmp.walk_columns(client, {"ifName": IFNAME}, o, deadline=float("inf")))


def test_walk_reads_every_row_with_small_responses() -> None:
    c = snmp.ReplayClient({"": _agent()}, max_varbinds=7)
    r = _walk(c, max_repetitions=5)
    assert [idx for idx, _v in r.columns["ifName"]] == [(i,) for i in range(1, 31)]
    assert r.requests >= 5 and not r.warnings


def test_several_columns_in_one_request() -> None:
    c = snmp.ReplayClient({"": _agent()})
    cols = {n: mib.COLUMNS[n] for n in ("ifName", "dot1dBasePortIfIndex", "dot1dTpFdbPort")}
    r = asyncio.run(snmp.walk_columns(c, cols, snmp.SnmpOptions(max_repetitions=10), float("inf")))
    assert all(len(r.columns[n]) == 30 for n in cols)
    assert c.requests <= 4


def test_looping_agent_ends_the_walk() -> None:
    def loop(_n: int, oids: Sequence[Any], out: List[Any]) -> List[Any]:
        return [((*IFNAME, 3), b"p3")] * 10  # always the same row: a loop

    c = snmp.ReplayClient({"": _agent()}, answer=loop)
    r = _walk(c)
    assert len(r.columns["ifName"]) == 1
    assert any("non-increasing" in w for w in r.warnings)
    assert c.requests <= 2


def test_out_of_order_and_duplicate_oids_are_not_followed() -> None:
    def shuffle(n: int, oids: Sequence[Any], out: List[Any]) -> List[Any]:
        return [*out[:3], out[1], *out[3:]] if n == 1 else out

    r = _walk(snmp.ReplayClient({"": _agent()}, answer=shuffle))
    idx = [i for i, _v in r.columns["ifName"]]
    assert idx == sorted(set(idx)) and any("non-increasing" in w for w in r.warnings)


def test_no_such_object_and_empty_tables() -> None:
    c = snmp.ReplayClient({"": [(mib.SCALARS["sysName"], b"x")]})
    r = _walk(c)
    assert r.columns["ifName"] == [] and "ifName" not in r.served
    # a noSuchInstance inside a walk is no value: skipped, and the walk goes on after it
    c2 = snmp.ReplayClient(
        {"": _agent()}, answer=lambda n, o, out: ([((*IFNAME, 1), snmp.NO_SUCH_INSTANCE), *out[1:]]) if n == 1 else out
    )
    r2 = _walk(c2)
    idx = [i for i, _v in r2.columns["ifName"]]
    assert (1,) not in idx and (2,) in idx and (30,) in idx


def test_table_changing_mid_walk_never_crashes() -> None:
    def mutate(n: int, table: List[Any]) -> None:
        if n == 2:  # rows appear behind the cursor and ahead of it, one row vanishes
            table.append(((*IFNAME, 0), b"p0"))
            table.append(((*IFNAME, 99), b"p99"))
            table[:] = [r for r in table if r[0] != (*IFNAME, 15)]

    r = _walk(snmp.ReplayClient({"": _agent()}, max_varbinds=5, mutate=mutate), max_repetitions=5)
    idx = [i for i, _v in r.columns["ifName"]]
    assert idx == sorted(set(idx)) and (99,) in idx and (0,) not in idx


def test_huge_table_is_cut_at_max_rows() -> None:
    r = _walk(snmp.ReplayClient({"": _agent(500)}), max_rows=50)
    assert len(r.columns["ifName"]) == 50 and any("more than 50 rows" in w for w in r.warnings)


def test_too_big_shrinks_the_request() -> None:
    class TooBig(snmp.ReplayClient):
        async def bulk(self, oids: Sequence[Any], max_repetitions: int, context: str = "") -> List[Any]:
            if max_repetitions * len(oids) > 4:
                raise snmp.AgentError("tooBig", too_big=True)
            return await super().bulk(oids, max_repetitions, context)

    r = _walk(TooBig({"": _agent()}), max_repetitions=16)
    assert len(r.columns["ifName"]) == 30


def test_silent_agent_names_the_switch_and_the_likely_causes() -> None:
    t = _target(timeout=0.5, retries=0)
    with pytest.raises(DeviceError) as e:
        asyncio.run(snmp.collect_async(t, client=snmp.ReplayClient({}, silent=True)))
    msg = str(e.value)
    assert msg.startswith("sw1: ") and snmp.NO_ANSWER in msg and COMMUNITY not in msg


def test_deadline_ends_a_slow_switch() -> None:
    ticks = iter(range(0, 10_000, 100))
    t = _target(deadline=250)
    with pytest.raises(DeviceError, match="deadline"):
        asyncio.run(snmp.collect_async(t, client=snmp.ReplayClient({"": _agent()}), clock=lambda: float(next(ticks))))


def test_collect_async_decodes_the_walk() -> None:
    data = asyncio.run(snmp.collect_async(_target(), client=snmp.ReplayClient({"": _agent(5)})))
    assert [(m.mac, m.interface) for m in data.macs][:2] == [("bc:ad:28:00:00:01", "p1"), ("bc:ad:28:00:00:02", "p2")]
    assert "neighbors" in data.limits


def test_settings_from_env_var_names_only(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"MY_USER": "ro-user", "MY_AUTH": "auth-pass-123", "MY_PRIV": "priv-pass-456"}
    creds, opts = snmp.snmp_settings(
        {"user_env": "MY_USER", "auth_key_env": "MY_AUTH", "priv_key_env": "MY_PRIV", "timeout": 3},
        environ=env,
    )
    assert creds.version == "3" and creds.user == "ro-user" and creds.security_level == "authPriv"
    assert creds.auth_protocol == "sha256" and creds.priv_protocol == "aes" and opts.timeout == 3.0
    assert "auth-pass-123" not in repr(creds) and "priv-pass-456" not in repr(creds)
    assert set(creds.secrets) == {"auth-pass-123", "priv-pass-456"}
    c2, _o = snmp.snmp_settings(None, environ={"CAMGUARD_SNMP_COMMUNITY": COMMUNITY})
    assert c2.version == "2c" and c2.community == COMMUNITY and COMMUNITY not in repr(c2)
    assert redact(f"x {COMMUNITY} y", c2.secrets) == "x ******** y"


@pytest.mark.parametrize(
    "cfg, match",
    [
        ({"bogus": 1}, "unknown key"),
        ({"version": "1"}, "version"),
        ({"version": "3", "user": "u", "auth_protocol": "sha999"}, "auth_protocol"),
        ({"max_repetitions": 0}, "max_repetitions"),
        ({"port": 70000}, "port"),
        ({"version": "3"}, "needs a user"),
    ],
)
def test_bad_settings_name_the_key(cfg: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        snmp.snmp_settings(cfg, where="switches[0].snmp", environ={})


def test_short_v3_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 8"):
        snmp.snmp_settings({"user": "u", "auth_key_env": "K"}, environ={"K": "short"})


def test_auto_uses_snmp_only_when_credentials_are_set() -> None:
    base = Target(name="sw", host="h", platform="cisco_ios", backend="auto")
    cli = snmp.discovery_target(base, None, environ={})
    assert not isinstance(cli, snmp.SnmpTarget) and cli.backend is None
    over = snmp.discovery_target(base, None, environ={"CAMGUARD_SNMP_COMMUNITY": COMMUNITY})
    assert isinstance(over, snmp.SnmpTarget) and over.platform == "cisco_ios"
    assert snmp.isolation_backend("cisco_ios", "auto", "netmiko") == "netmiko"
    assert snmp.isolation_backend("snmp", "snmp", None) == "snmp"


def test_bad_credentials_fail_that_switch_alone() -> None:
    base = Target(name="sw9", host="h", platform="snmp", backend="snmp")
    t = snmp.discovery_target(base, {"version": "3"}, environ={})
    assert isinstance(t, snmp.SnmpTarget) and t.config_error
    with pytest.raises(DeviceError, match=r"sw9: .*needs a user"):
        snmp.collect_target(t)
    t2 = snmp.discovery_target(base, None, environ={})
    with pytest.raises(DeviceError, match="no SNMP community"):
        snmp.collect_target(t2)
