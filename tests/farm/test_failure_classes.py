"""Failure classes from canned console transcripts and failing lab parts:
infra (console ended, power failed, console unreachable), panic, timeout, fail."""

import socket

import pytest

from farm import inventory
from farm.boards.remote import CommandPower, TcpLink
from farm.console import Console
from farm.errors import (ConsoleClosed, ConsoleUnreachable, KernelPanic, PowerError,
                         StageTimeout, classify)

LINUX_PANIC = """\
[    1.910000] Run /nonexistent as init process
[    1.920000] Kernel panic - not syncing: No working init found.  Try passing init= option to kernel.
[    1.921000] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-28-amd64 #1  Debian 6.1.119-1
[    1.922000] Call Trace:
[    1.923000]  <TASK>
[    1.924000] ---[ end Kernel panic - not syncing: No working init found. ]---
"""
KEVLAR_PANIC = """\
Kevlar 0.1.0 (x86_64)
KEVLAR PANIC: page fault in kernel mode at 0xdead
backtrace:
  #0 0xffffffff80101234 fault_handler+0x34
--- flight recorder begin ---
  syscall execve pid 1
--- flight recorder end ---
"""


def transcript(tmp_path, text, then="sleep 30"):
    """A console that prints text, then does `then` (sleep: stays open)."""
    f = tmp_path / "transcript.txt"
    f.write_text(text)
    return Console.spawn(["sh", "-c", f"cat {f}; {then}"], tmp_path / "console.log")


@pytest.mark.parametrize("text, line", [(LINUX_PANIC, "Kernel panic - not syncing: No working"),
                                        (KEVLAR_PANIC, "KEVLAR PANIC: page fault")])
def test_a_panic_is_classified_panic_with_everything_after_it(tmp_path, text, line):
    c = transcript(tmp_path, text)
    try:
        with pytest.raises(KernelPanic) as e:
            c.expect(r"kevlar login: ", 30, "login")
    finally:
        c.close()
    assert classify(e.value) == "panic" and e.value.stage == "login"
    assert line in e.value.reason
    # What follows the panic line (backtrace, flight recorder) is kept.
    last = text.strip().splitlines()[-1]
    assert last in e.value.tail and last in (tmp_path / "console.log").read_text()


def test_an_expected_panic_line_that_arrives_in_pieces_is_the_tests_match(tmp_path):
    """The panic marker waits for its whole line: half a line must not win
    over the test's own pattern for that line (a fresh-clone make test once
    failed in test_initrd_that_is_not_cpio_is_reported_then_no_init so)."""
    c = Console.spawn(["sh", "-c", "printf 'KEVLAR PANIC: no'; sleep 1; printf ' init\\n'; sleep 30"],
                      tmp_path / "console.log")
    try:
        m = c.expect(r"KEVLAR PANIC: no init", 30, "panic marker")
    finally:
        c.close()
    assert m.group(0) == "KEVLAR PANIC: no init"


def test_a_stage_that_never_comes_is_a_timeout_naming_the_stage(tmp_path):
    c = transcript(tmp_path, "Linux version 6.1.0\nOpenRC 0.45.2 is starting up Linux\n")
    try:
        c.expect(r"Linux version", 10, "kernel")
        with pytest.raises(StageTimeout) as e:
            c.expect(r"kevlar login: ", 1, "login")
    finally:
        c.close()
    assert classify(e.value) == "timeout"
    assert str(e.value).startswith("stage 'login': did not arrive within 1 s")
    assert "OpenRC 0.45.2" in e.value.tail and c.stages == {"kernel": c.stages["kernel"]}


def test_a_console_that_ends_mid_boot_is_infra(tmp_path):
    c = transcript(tmp_path, "Linux version 6.1.0\n", then="exit 1")
    try:
        with pytest.raises(ConsoleClosed) as e:
            c.expect(r"kevlar login: ", 30, "login")
    finally:
        c.close()
    assert classify(e.value) == "infra" and "console closed" in e.value.reason


def test_a_failed_assertion_is_fail():
    assert classify(AssertionError("uname said Minix")) == "fail"
    assert classify(ValueError("a bug in the test")) == "fail"


def board(power):
    return inventory.parse(f"""
boards:
  b: {{arch: x86_64, firmware: bios, mac: "52:54:00:00:00:01", console: "tcp://127.0.0.1:1",
      power: {power}}}
""").boards["b"]


def test_a_power_command_that_fails_is_infra_with_its_output():
    power = CommandPower(board('{on: "echo PDU outlet 3: no route; exit 4", off: "true"}'))
    with pytest.raises(PowerError) as e:
        power.on(None)
    assert classify(e.value) == "infra"
    assert "power on command failed with status 4" in str(e.value)
    assert "PDU outlet 3: no route" in str(e.value)


def test_a_power_command_that_hangs_is_stopped_at_its_timeout():
    power = CommandPower(board('{on: "sleep 60", off: "true", timeout: 1}'))
    with pytest.raises(PowerError, match=r"power on command did not finish within 1 s"):
        power.on(None)


def test_an_unreachable_console_is_infra():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()   # nothing listens there now
    link = TcpLink("127.0.0.1", port)
    link.prepare()
    with pytest.raises(ConsoleUnreachable) as e:
        link.attach(1)
    assert classify(e.value) == "infra" and f"tcp://127.0.0.1:{port}" in str(e.value)
