"""A root shell on a board's console: run commands, get their output."""

import re

from farm.errors import ConsoleError


class Shell:
    def __init__(self, target, console, prompt):
        self.target, self.console, self.prompt = target, console, prompt
        self.kernel = target.kernel

    def run(self, command, timeout=30):
        """Run a command; return its output without the echo and the prompt."""
        out, _ = self.console.run(command, self.prompt, timeout, f"run: {command[:40]}")
        return out

    def status(self, command, timeout=30):
        """Run a command; return (output, exit status)."""
        out = self.run(f"{command}; echo \"rc=$?\"", timeout)
        m = re.search(r"rc=(\d+)\s*$", out)
        assert m, f"no exit status after {command!r}: {out!r}"
        return out[:m.start()].rstrip("\n"), int(m.group(1))

    def expect(self, pattern, timeout=30):
        return self.console.expect(pattern, timeout, f"expect: {pattern[:40]}")

    def send(self, text):
        self.console.send(text)

    def sendline(self, line):
        self.console.sendline(line)

    def alive(self, timeout=10):
        """The shell still answers at its prompt (so another test may use it)."""
        try:
            return self.run("echo farm-ping-$((40+2))", timeout) == "farm-ping-42"
        except ConsoleError:
            return False
