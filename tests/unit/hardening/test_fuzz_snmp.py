# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fuzz the SNMP decoders (``parsers.mib``) and the walker: agent data is untrusted, so random
tables, and the recorded walks mangled at random (values of the wrong type, indexes cut short or
made long, rows duplicated and reordered), must never make them raise, and every record must
meet the data contract of ``_records``. ``CAMGUARD_FUZZ_EXAMPLES`` sets the number of examples."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "module_utils" / "_collect" / "parsers"))

import _helpers_snmp as H

from ansible_collections.camguard.network.plugins.module_utils._collect import snmp
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib
from ansible_collections.camguard.network.plugins.module_utils._mac import normalize_mac
from ansible_collections.camguard.network.plugins.module_utils._records import ENTRY_KINDS, PORT_MODES, SwitchData

EXAMPLES = int(os.environ.get("CAMGUARD_FUZZ_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALL = ("mac_table", "arp", "neighbors", "ports")
SEEDS = [H.read_walk(c) for c in H.load_cases()]

values = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.binary(max_size=40),
    st.tuples(*[st.integers(0, 2**32)] * 3),
    st.none(),
    st.text(max_size=20),
    st.just(snmp.NO_SUCH_OBJECT),
)
indexes = st.lists(st.integers(min_value=-5, max_value=2**32), min_size=0, max_size=24).map(tuple)
walks = st.dictionaries(
    st.sampled_from(sorted(mib.COLUMNS)), st.lists(st.tuples(indexes, values), max_size=30), max_size=len(mib.COLUMNS)
)


def _contract(d: SwitchData) -> None:
    for m in d.macs:
        assert normalize_mac(m.mac) == m.mac and m.kind in ENTRY_KINDS
        assert m.vlan is None or 1 <= m.vlan <= 4094
        assert isinstance(m.interface, str) and len(m.interface) <= mib.MAX_TEXT
    for p in d.ports:
        assert p.mode in PORT_MODES and (p.access_vlan is None or 1 <= p.access_vlan <= 4094)
        assert all(1 <= v <= 4094 for v in p.trunk_vlans)
        assert not any(ord(ch) < 32 for ch in p.name + p.description)
    for a in d.arp:
        ipaddress.ip_address(a.ip)
        assert normalize_mac(a.mac) == a.mac
    for n in d.neighbors:
        assert n.remote_name and n.protocol in ("lldp", "cdp")
        assert not any(ord(ch) < 32 for ch in n.remote_name + n.remote_port)
    for m in d.own_macs:
        assert normalize_mac(m) == m


@SETTINGS
@given(walk=walks, cisco=st.booleans(), platform=st.sampled_from(["snmp", "cisco_ios", "juniper_junos", "hp_procurve"]))
def test_random_tables(walk: Dict[str, Any], cisco: bool, platform: str) -> None:
    scalars = {"sysObjectID": (1, 3, 6, 1, 4, 1, 9 if cisco else 8072)}
    vlan_walks = {10: walk} if cisco else None
    dec = mib.decode_switch("fz", platform, scalars, walk, ALL, vlan_walks=vlan_walks, max_rows=50)
    _contract(dec.data)


@SETTINGS
@given(seed=st.sampled_from(range(len(SEEDS))), data=st.data())
def test_recorded_walks_mangled(seed: int, data: Any) -> None:
    scalars, walk = SEEDS[seed]
    mangled: Dict[str, List[Any]] = {}
    for col, rows in walk.items():
        rows = list(rows[:60])
        if rows and data.draw(st.booleans()):
            i = data.draw(st.integers(0, len(rows) - 1))
            op = data.draw(st.sampled_from(["value", "short", "long", "dup", "reverse", "drop"]))
            idx, v = rows[i]
            if op == "value":
                rows[i] = (idx, data.draw(values))
            elif op == "short":
                rows[i] = (idx[: max(1, len(idx) // 2)], v)
            elif op == "long":
                rows[i] = ((*idx, 7, 7), v)
            elif op == "dup":
                rows.insert(i, rows[i])
            elif op == "reverse":
                rows.reverse()
            else:
                rows.pop(i)
        mangled[col] = rows
    dec = mib.decode_switch("fz", "snmp", scalars, mangled, ALL)
    _contract(dec.data)


@SETTINGS
@given(
    answers=st.lists(
        st.lists(st.tuples(st.lists(st.integers(0, 40), max_size=14).map(tuple), values), max_size=12), max_size=6
    )
)
def test_walker_ends_whatever_the_agent_says(answers: List[List[Any]]) -> None:
    """An agent that answers garbage (any OIDs, any order, any values) cannot make a walk loop or raise."""
    feed = iter(answers)

    def answer(_n: int, _oids: Any, _out: List[Any]) -> List[Any]:
        return next(feed, [])

    client = snmp.ReplayClient({"": []}, answer=answer)
    cols = {n: mib.COLUMNS[n] for n in ("ifName", "dot1dTpFdbPort")}
    res = asyncio.run(snmp.walk_columns(client, cols, snmp.SnmpOptions(max_rows=20), float("inf")))
    assert client.requests <= len(answers) + 2
    assert all(len(r) <= 20 for r in res.columns.values())
