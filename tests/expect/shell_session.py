"""A root shell on a board's console, as the dialogue tests drive it."""

import re

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
