# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's unsafe marking gives exactly what ansible's ``wrap_var`` gives, faster."""

from __future__ import annotations

from typing import Any

from ansible.template import is_trusted_as_template, trust_as_template  # type: ignore[attr-defined]
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.camguard.network.plugins.plugin_utils._inventory import _wrap


def same(a: Any, b: Any) -> None:
    """Equal, of the same types all the way down, and equally (un)trusted."""
    assert type(a) is type(b), (a, b)
    assert a == b
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            same(k, next(x for x in b if x == k))
            same(a[k], b[k])
    elif isinstance(a, (list, tuple, set)):
        for x, y in zip(a, b):
            same(x, y)
    elif isinstance(a, str):
        assert is_trusted_as_template(a) == is_trusted_as_template(b)


def test_wrap_matches_wrap_var_on_findings_shaped_data() -> None:
    trusted = trust_as_template("sw-01")  # e.g. a switch name read from the (trusted) plugin file
    value = {
        "mac": "bc:ad:28:00:00:01",
        "ip": None,
        "switch": trusted,
        "vlan": 10,
        "restricted": True,
        "seconds": 1.5,
        "evidence": ["sw-01 Gi1/0/3: access, 1 MAC, {{ lookup('pipe', 'id') }}", trusted],
        "seen_on": [["sw-01", "GigabitEthernet1/0/3"], (trusted, "x")],
        trusted: {"nested": [{"a": (1, 2, "b")}], "set": {"c"}},
        "bytes": b"raw",
    }
    ours = _wrap(value)
    same(ours, wrap_var(value))
    assert not is_trusted_as_template(ours["switch"])
    assert not any(is_trusted_as_template(k) for k in ours)
    assert not is_trusted_as_template(ours["seen_on"][1][0])


def test_wrap_scalars() -> None:
    for v in (None, 0, True, 2.5, "", "text", trust_as_template("t"), [], {}, ()):
        same(_wrap(v), wrap_var(v))
