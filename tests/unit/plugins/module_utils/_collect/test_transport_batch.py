# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Batched configuration (``_transport.send_config_batched``) against a fake netmiko connection.

The fake stands at the I/O seam, the netmiko connection object (``write_channel``,
``read_channel``, ``normalize_cmd``, ``base_prompt``): it plays a switch CLI that echoes each typed
line, answers it (an error for a rejected line) and prints the prompt of its new mode. It processes
typed-ahead lines only a few per read and hands its output back in small pieces, so prompts arrive
split over reads, as over SSH. Time is a fake clock: the timeout tests never wait.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

import pytest

from ansible_collections.camguard.network.plugins.module_utils._collect import transport as T
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (
    DEFAULT_BATCH_BYTES,
    ConfigBatchLost,
    ConfigBatchTimeout,
    config_batches,
    config_prompt_pattern,
    send_config_batched,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import CONFIG_ERROR as _CONFIG_ERROR
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

IOS_ERROR = "% Invalid input detected at '^' marker."


class FakeCli:
    """A switch CLI behind a netmiko connection (the seam): typed text in, printed text out."""

    RETURN = "\n"

    def __init__(
        self,
        host: str = "sw1",
        *,
        reject: Optional[str] = None,
        stall_on: Optional[str] = None,
        flush_after_error: bool = False,
        chunk: int = 7,
        lines_per_read: int = 2,
        junos: bool = False,
        drop_on: Optional[str] = None,
    ) -> None:
        self.host = host
        self.base_prompt = f"camguard@{host}" if junos else host
        self.junos = junos
        self.reject = re.compile(reject) if reject else None
        self.stall_on = re.compile(stall_on) if stall_on else None
        self.drop_on = re.compile(drop_on) if drop_on else None
        self.flush_after_error = flush_after_error
        self.chunk = chunk
        self.lines_per_read = lines_per_read
        self.mode = "(config)"
        self.typed = ""  # typed, not yet processed by the CLI
        self.printed = ""  # printed, not yet read by the client
        self.processed: List[str] = []
        self.writes: List[str] = []
        self.max_pending = 0  # most typed-ahead lines waiting at once
        self.stalled = False
        self.closed = False
        self.config_calls: List[Dict[str, Any]] = []

    # ---- the netmiko connection API used by the transport
    def normalize_cmd(self, command: str) -> str:
        return command.rstrip() + self.RETURN

    def write_channel(self, data: str) -> None:
        assert not self.closed, "write on a closed channel"
        self.writes.append(data)
        self.typed += data
        self.max_pending = max(self.max_pending, self.typed.count("\n"))

    def read_channel(self) -> str:
        for _unused in range(self.lines_per_read):
            self._step()
        out, self.printed = self.printed[: self.chunk], self.printed[self.chunk :]
        return out

    def config_mode(self, config_command: str = "configure terminal") -> str:
        self.config_calls.append({"enter": config_command})
        return f"{self.host}#{config_command}\n{self.prompt()}"

    def exit_config_mode(self) -> str:
        self.config_calls.append({"exit": True})
        return f"end\n{self.host}#"

    def send_config_set(self, lines: List[str], **kwargs: Any) -> str:
        self.config_calls.append({"netmiko_send_config_set": list(lines), **kwargs})
        return "\n".join(lines)

    # ---- the CLI
    def prompt(self) -> str:
        if self.junos:
            return f"camguard@{self.host}# "
        return f"{self.host}{self.mode}#"

    def _step(self) -> None:
        if self.stalled or self.closed or "\n" not in self.typed:
            return
        line, self.typed = self.typed.split("\n", 1)
        self.processed.append(line)
        self.printed += line + "\n"  # the echo
        if self.drop_on and self.drop_on.search(line):
            self.closed = True
            return
        if self.stall_on and self.stall_on.search(line):
            self.stalled = True
            return
        if self.reject and self.reject.search(line):
            if self.junos:
                self.printed += "                    ^\nsyntax error.\n"
            else:
                self.printed += " " * (len(self.prompt()) + 1) + "^\n" + IOS_ERROR + "\n"
            if self.flush_after_error:
                self.typed = ""  # the CLI throws its type-ahead buffer away
        elif line.startswith("interface "):
            self.mode = "(config-if)"
        elif line.startswith("vlan "):
            self.mode = "(config-vlan)"
        elif line.strip() == "exit":
            self.mode = "(config)"
        if self.junos:
            self.printed += "\n[edit]\n"
        self.printed += self.prompt()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def ios_lines(ports: int) -> List[str]:
    lines = ["vlan 999", " name CAMGUARD-QUARANTINE", "exit"]
    for n in range(1, ports + 1):
        lines += [f"interface GigabitEthernet1/0/{n}", " switchport access vlan 999", "exit"]
    return lines


def send(cli: FakeCli, lines: List[str], clock: Optional[Clock] = None, **kw: Any) -> str:
    clock = clock or Clock()
    kw.setdefault("max_lines", 16)
    return send_config_batched(cli, lines, clock=clock.time, sleep=clock.sleep, **kw)


# ----------------------------------------------------------------- chunking


def test_batches_cut_by_line_count() -> None:
    lines = ios_lines(20)  # 63 lines
    got = config_batches(lines, 16)
    assert [len(b) for b in got] == [16, 16, 16, 15]
    assert [ln for b in got for ln in b] == lines
    assert config_batches(lines, 1) == [[ln] for ln in lines]
    assert config_batches([], 16) == []


def test_batches_cut_by_bytes_and_a_long_line_goes_alone() -> None:
    lines = [f"interface GigabitEthernet1/0/{n}" for n in range(1, 41)]  # 28-29 bytes + newline each
    got = config_batches(lines, 100, max_bytes=100)
    assert all(sum(len(ln) + 1 for ln in b) <= 100 for b in got)
    assert [ln for b in got for ln in b] == lines
    assert max(len(b) for b in got) == 3
    long = "x" * 150
    assert config_batches(["a", long, "b"], 16, max_bytes=100) == [["a"], [long], ["b"]]
    # UTF-8 bytes count, not characters
    assert config_batches(["é" * 30, "é" * 30], 16, max_bytes=100) == [["é" * 30], ["é" * 30]]


@pytest.mark.parametrize(("lines", "size"), [(0, DEFAULT_BATCH_BYTES), (16, 0), (-1, 10)])
def test_batches_refuse_a_size_below_one(lines: int, size: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        config_batches(["interface Gi1/0/1"], lines, size)


# ----------------------------------------------------------------- prompts


@pytest.mark.parametrize(
    ("base", "text"),
    [
        ("sw1", "sw1(config)#"),
        ("sw1", "sw1(config-if)#"),
        ("sw1", "sw1(config-ext-nacl)#"),
        ("sw1", "sw1#"),
        ("HP-2530", "HP-2530(eth-1)#"),
        ("HP-2530", "HP-2530(vlan-999)#"),
        ("cg-eos", "cg-eos(config-s-camgua-if-Et3)#"),
        ("camguard@cg-junos", "camguard@cg-junos# "),
        ("very-long-hostnam", "very-long-hostname-of-the-access-switch(config)#"),
    ],
)
def test_prompt_pattern_matches_the_platforms_configuration_prompts(base: str, text: str) -> None:
    assert len(config_prompt_pattern(base).findall(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["interface GigabitEthernet1/0/1", " switchport access vlan 999", "exit", "sw2(config)#", "[edit]", "sw1(config"],
)
def test_prompt_pattern_ignores_echoes_and_other_hosts(text: str) -> None:
    assert config_prompt_pattern("sw1").findall(text) == []


def test_prompt_pattern_needs_a_base_prompt() -> None:
    with pytest.raises(ValueError, match="empty base prompt"):
        config_prompt_pattern("  ")


# ----------------------------------------------------------------- the batch reader


def test_twenty_ports_in_four_batches_with_repeated_exit_lines() -> None:
    cli = FakeCli()
    lines = ios_lines(20)
    out = send(cli, lines)
    assert cli.processed == lines, "every line reached the switch, in order"
    assert len(cli.writes) == 4
    assert [w.count("\n") for w in cli.writes] == [16, 16, 16, 15]
    # a batch was typed only after the switch had answered every line of the one before
    assert cli.max_pending <= 16
    assert cli.typed == "" and cli.printed == "", "everything the switch printed was read"
    assert out.count("exit\n") == 21 and out.count("sw1(config)#") == 21
    assert out.endswith("sw1(config)#")


def test_one_line_batches_wait_for_each_prompt() -> None:
    cli = FakeCli(lines_per_read=1, chunk=3)
    lines = ios_lines(3)
    send(cli, lines, max_lines=1)
    assert len(cli.writes) == len(lines)
    assert cli.max_pending == 1


def test_batches_respect_the_byte_limit() -> None:
    cli = FakeCli()
    lines = ios_lines(20)
    send(cli, lines, max_lines=100, max_bytes=200)
    assert all(len(w.encode()) <= 200 for w in cli.writes)
    assert cli.processed == lines


def test_a_rejected_line_mid_batch_is_in_the_output_and_every_batch_is_still_sent() -> None:
    """Like netmiko's line-by-line session: the switch's error is in the output, and the batches
    after it are sent too, so the session ends where the rendered lines end (``exit`` to the
    configuration mode), not in the middle of an interface block."""
    cli = FakeCli(reject=r"^interface GigabitEthernet1/0/4$")
    lines = ios_lines(20)
    out = send(cli, lines)
    assert IOS_ERROR in out
    assert out.index(IOS_ERROR) < out.index("interface GigabitEthernet1/0/5")
    assert cli.processed == lines and len(cli.writes) == 4
    assert cli.mode == "(config)" and out.endswith("sw1(config)#")
    assert len(config_prompt_pattern("sw1").findall(out)) == len(lines)
    assert _CONFIG_ERROR.search(out) is not None


def test_a_silent_switch_times_out_naming_the_line() -> None:
    cli = FakeCli(stall_on=r"^interface GigabitEthernet1/0/7$")
    clock = Clock()
    lines = ios_lines(20)
    with pytest.raises(ConfigBatchTimeout) as err:
        send(cli, lines, clock=clock, timeout=6.0)
    # lines 1-21 answered, line 22 never
    assert "no prompt within 6s for line 22 of 63 ('interface GigabitEthernet1/0/7')" in str(err.value)
    assert "interface GigabitEthernet1/0/7" in err.value.output
    assert 6.0 <= clock.now < 6.1, "the timeout counts from the last prompt"
    assert len(cli.writes) == 2


def test_timeout_restarts_on_every_prompt() -> None:
    """A slow switch that answers one line per 1.5 s never hits a 2 s timeout, whatever the batch."""

    class Slow(FakeCli):
        def __init__(self, clock: Clock) -> None:
            super().__init__(lines_per_read=0)
            self.clock = clock
            self.next_at = 1.5

        def read_channel(self) -> str:
            if self.clock.now >= self.next_at:
                self.next_at = self.clock.now + 1.5
                self._step()
            return super().read_channel()

    clock = Clock()
    cli = Slow(clock)
    lines = ios_lines(5)
    send(cli, lines, clock=clock, timeout=2.0)
    assert cli.processed == lines
    assert clock.now >= 1.5 * (len(lines) - 1)


def test_a_switch_that_drops_its_type_ahead_after_an_error_times_out() -> None:
    """Fewer answers than lines typed: the session's state is unknown, so it is a timeout (and the
    caller rolls back over a new session), never a silent success."""
    cli = FakeCli(reject=r"^interface GigabitEthernet1/0/2$", flush_after_error=True)
    clock = Clock()
    with pytest.raises(ConfigBatchTimeout, match="for line 8 of 63") as err:
        send(cli, ios_lines(20), clock=clock, timeout=3.0)
    assert IOS_ERROR in err.value.output
    assert len(cli.writes) == 1 and len(cli.processed) == 7


def test_a_closed_session_is_reported_as_lost() -> None:
    cli = FakeCli(drop_on=r"^interface GigabitEthernet1/0/3$")
    with pytest.raises(ConfigBatchLost, match="connection lost after line"):
        send(cli, ios_lines(20), alive=lambda: not cli.closed, timeout=30.0)


def test_a_line_that_contains_the_prompt_text_does_not_end_its_batch_early() -> None:
    cli = FakeCli(lines_per_read=1, chunk=4)
    lines = ["interface GigabitEthernet1/0/1", " description to sw1(config)# and sw1#", "exit", "exit"]
    lines += ios_lines(1)
    send(cli, lines, max_lines=3)
    assert cli.processed == lines
    assert cli.max_pending <= 3
    assert cli.typed == "" and cli.printed == ""


def test_junos_candidate_lines_with_edit_banners() -> None:
    cli = FakeCli("cg-junos", junos=True, reject=r"CAMGUARD-MISSING")
    lines = [f"set interfaces ge-0/0/{n} unit 0 family ethernet-switching vlan members 999" for n in range(20)]
    lines.insert(9, "set interfaces ge-0/0/3 unit 0 family ethernet-switching filter input CAMGUARD-MISSING")
    out = send(cli, lines)
    assert "syntax error." in out
    # 75-byte lines: batches are cut at 1 KiB (13 lines), before 16 lines
    assert [w.count("\n") for w in cli.writes] == [13, 8]
    assert cli.processed == lines
    assert out.count("[edit]") == len(lines) and out.rstrip().endswith("camguard@cg-junos#")


# ----------------------------------------------------------------- through NetmikoTransport


@pytest.fixture
def connect(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``NetmikoTransport`` with the fake CLI as what netmiko's ``ConnectHandler`` returns."""

    def make(cli: FakeCli, timeout: float = 30.0) -> T.NetmikoTransport:
        monkeypatch.setattr(T, "HAS_NETMIKO", True)
        monkeypatch.setattr(T, "ConnectHandler", lambda **params: cli, raising=False)
        target = T.Target(
            "sw1", "192.0.2.1", "cisco_ios", credentials=T.Credentials("u", "pw"), command_timeout=timeout
        )
        t = T.NetmikoTransport(target, "cisco_ios")
        monkeypatch.setattr(t, "alive", lambda: not cli.closed)
        return t

    return make


def test_transport_batches_between_config_mode_and_its_exit(connect: Any) -> None:
    cli = FakeCli()
    t = connect(cli)
    lines = ios_lines(20)
    out = t.send_config_set(lines, batch_lines=16)
    assert cli.processed == lines and len(cli.writes) == 4
    assert cli.config_calls == [{"enter": "configure terminal"}, {"exit": True}]
    assert out.startswith("sw1#configure terminal") and out.endswith("end\nsw1#")


def test_transport_passes_the_session_command_and_stays_in_config_mode(connect: Any) -> None:
    cli = FakeCli()
    t = connect(cli)
    t.send_config_set(ios_lines(1), batch_lines=8, config_mode_command="configure session cg-1", exit_config_mode=False)
    assert cli.config_calls == [{"enter": "configure session cg-1"}]
    cli2 = FakeCli()
    connect(cli2).send_config_set(["commit"], batch_lines=8, enter_config_mode=False)
    assert cli2.config_calls == [{"exit": True}] and cli2.processed == ["commit"]


def test_transport_one_line_at_a_time_is_netmikos_send_config_set(connect: Any) -> None:
    cli = FakeCli()
    t = connect(cli)
    t.send_config_set(["interface Gi1/0/1", "exit"], exit_config_mode=False)
    assert cli.config_calls == [{"netmiko_send_config_set": ["interface Gi1/0/1", "exit"], "exit_config_mode": False}]
    assert cli.writes == []
    with pytest.raises(DeviceError, match="config_batch_lines must be at least 1, got 0"):
        t.send_config_set(["exit"], batch_lines=0)


def test_transport_timeout_and_lost_session_are_device_errors(connect: Any) -> None:
    # a real (tiny) timeout: the transport reads with the real clock
    t = connect(FakeCli(stall_on=r"GigabitEthernet1/0/2$"), timeout=0.05)
    with pytest.raises(DeviceError, match=r"configuration session failed: no prompt within 0.05s for line 7 of 15"):
        t.send_config_set(ios_lines(4), batch_lines=16)
    t2 = connect(FakeCli(drop_on=r"GigabitEthernet1/0/2$"), timeout=30.0)
    with pytest.raises(DeviceError, match=r"configuration session failed: connection lost"):
        t2.send_config_set(ios_lines(4), batch_lines=16)
