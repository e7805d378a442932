"""A root shell per target for the dialogue tests, booted without OpenRC.

The kernel starts /usr/lib/kevlar/shell-init (a root shell with job control on
the serial console), so these tests exercise processes, files, signals and the
terminal on every kernel that can run BusyBox, whether or not it can run
OpenRC yet. One boot per target serves all tests of a module.
"""

import re

import pytest

from harness import LOGS
from farm import boot

PROMPT = r"TEST# "
SHELL_INIT = "rdinit=/usr/lib/kevlar/shell-init"


class Shell:
    """A logged-in shell on a target's console."""

    def __init__(self, target, console):
        self.target, self.console = target, console

    def run(self, command, timeout=30):
        """Run a command; return its output without the echo and the prompt."""
        out, _ = self.console.run(command, PROMPT, timeout, f"run: {command[:40]}")
        self.settle()
        return out

    def settle(self):
        """Answer the cursor query ash sends right after its prompt before typing
        on: a reply that arrives after the next command is echoed as its input."""
        self.console.answer_cursor_query(0.5)

    def status(self, command, timeout=30):
        """Run a command; return (output, exit status)."""
        out = self.run(f"{command}; echo \"rc=$?\"", timeout)
        m = re.search(r"rc=(\d+)\s*$", out)
        assert m, f"no exit status after {command!r}: {out!r}"
        return out[:m.start()].rstrip("\n"), int(m.group(1))

    def expect(self, pattern, timeout=30):
        m = self.console.expect(pattern, timeout, f"expect: {pattern[:40]}")
        if pattern == PROMPT:
            self.settle()
        return m

    def send(self, text):
        self.console.send(text)

    def sendline(self, line):
        self.console.sendline(line)


@pytest.fixture(scope="module")
def shell(request, board):
    """One boot per (board, kernel) serves all tests of a module; `board`
    (farm/pytest_plugin.py) runs them on every board of the inventory."""
    module = request.module.__name__.split(".")[-1]
    log = LOGS / f"{board.name}-{board.kernel}" / f"{module}.log"
    console = board.boot(log, cmdline=SHELL_INIT)
    try:
        console.expect(boot.FIRST_LINE[board.kernel], boot.TIMEOUTS["kernel"], "kernel")
        console.expect(PROMPT, 120, "shell")
        sh = Shell(board.target, console)
        sh.settle()
        yield sh
        # `poweroff -f` calls reboot(2) directly: there is no init to ask.
        console.sendline("poweroff -f")
        console.wait_power_down(60, "poweroff")
    finally:
        board.power_off()
