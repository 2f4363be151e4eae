# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""redact() replaces a secret's value wherever it may have been echoed, never the words of the
collection's own messages (a password may well be "password" or "key")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect import transport
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import OWN_PHRASES, redact

REPO = Path(__file__).resolve().parents[5]


@pytest.mark.parametrize("word", ["password", "key", "wrong", "username", "or", "authentication", "failed"])
def test_a_password_that_is_a_word_of_the_message_leaves_the_message_readable(word: str) -> None:
    msg = "sw1: cannot connect to 10.0.0.1:22: authentication failed (wrong username, password or key)"
    assert redact(msg, [word]) == msg


def test_the_value_is_replaced_wherever_it_is_echoed() -> None:
    msg = "sw1: cannot connect to 10.0.0.1:22: Bad password 'password' for user netops: authentication failed (wrong username, password or key)"
    assert redact(msg, ["password"]) == (
        "sw1: cannot connect to 10.0.0.1:22: Bad ******** '********' for user netops: "
        "authentication failed (wrong username, password or key)"
    )


def test_an_occurrence_across_the_edge_of_a_phrase_is_replaced() -> None:
    secret = "refusedX9"
    msg = "sw1: connection refusedX9 and more"
    out = redact(msg, [secret])
    assert secret not in out and "X9" not in out


def test_every_secret_and_every_occurrence() -> None:
    out = redact("a=s3cr3t b=s3cr3t c=0th3r", ["s3cr3t", "0th3r", "", None])  # type: ignore[list-item]
    assert out == "a=******** b=******** c=********"
    assert redact("nothing here", []) == "nothing here"
    assert redact("xaaaay", ["aaa"]) == "x********y"  # overlapping occurrences are all covered


def test_own_phrases_are_the_collections_messages() -> None:
    """Each kept phrase is text the collection writes (not a list that could hide a secret)."""
    sources = "".join(p.read_text() for p in (REPO / "plugins").rglob("*.py") if p.name != "transport.py")
    own = (REPO / "plugins" / "module_utils" / "_collect" / "transport.py").read_text()
    body = own[own.index("def _classify_connect_error") :]
    for phrase in OWN_PHRASES:
        if phrase == transport.NO_LOGIN:
            assert "return NO_LOGIN" in body
            continue
        assert (
            phrase in body
            or phrase in sources
            or re.search(re.escape(phrase), own[own.index("class NetmikoTransport") :])
        ), phrase


def test_no_authentication_methods_is_said_in_plain_words() -> None:
    class NetmikoLike(Exception):
        pass

    exc = NetmikoLike(
        "\nA paramiko SSHException occurred during connection creation:\n\nNo authentication methods available\n"
    )
    assert transport._classify_connect_error(exc) == transport.NO_LOGIN
    assert "CAMGUARD_PASSWORD" in transport.NO_LOGIN and "private key file" in transport.NO_LOGIN
