"""A board's serial console, driven with pexpect.

Every byte the board prints is logged with a timestamp (seconds since the
console opened) at the start of each line. Waiting is done in *stages*: each
has a name and its own timeout, and its arrival time is recorded, so a boot
that stalls says which stage never came and shows the last lines before it.
A kernel panic (Kevlar's `KEVLAR PANIC:` or Linux's `Kernel panic`) or the end
of the console (QEMU exited) ends any wait at once.
"""

import os
import re
import signal
import time
from dataclasses import dataclass, field

import pexpect

# BusyBox ash asks the terminal for the cursor position at every prompt and
# waits for the answer (REFERENCE 3.2, item 11): a harness must reply.
CURSOR_QUERY = "\x1b[6n"
CURSOR_REPLY = "\x1b[24;80R"
PANIC = re.compile(r"KEVLAR PANIC:[^\r\n]*|Kernel panic - not syncing[^\r\n]*")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1bc")


class ConsoleError(AssertionError):
    """A stage did not arrive. Subclasses tell why (see farm failure classes)."""

    kind = "fail"

    def __init__(self, stage, reason, tail):
        self.stage, self.reason, self.tail = stage, reason, tail
        super().__init__(f"stage '{stage}': {reason}\n--- last console lines ---\n{tail}")


class StageTimeout(ConsoleError):
    kind = "timeout"


class KernelPanic(ConsoleError):
    kind = "panic"


class ConsoleClosed(ConsoleError):
    kind = "infra"


def strip_ansi(text):
    return ANSI.sub("", text)


class _TimestampedLog:
    """File-like sink for pexpect that stamps each console line with its time."""

    def __init__(self, path, t0):
        self.f = open(path, "w", encoding="utf-8", errors="replace")
        self.t0 = t0
        self.at_line_start = True

    def write(self, data):
        for piece in data.splitlines(keepends=True):
            if self.at_line_start:
                self.f.write(f"[{time.monotonic() - self.t0:9.3f}] ")
            self.f.write(piece)
            self.at_line_start = piece.endswith("\n")

    def flush(self):
        self.f.flush()

    def close(self):
        self.f.close()


@dataclass
class Console:
    """A spawned console process (QEMU on stdio, or a client for a remote UART)."""

    argv: list
    log_path: object
    cwd: object = None
    stages: dict = field(default_factory=dict)

    def __post_init__(self):
        self.t0 = time.monotonic()
        self.log = _TimestampedLog(self.log_path, self.t0)
        self.text = ""          # everything received so far
        self.child = pexpect.spawn(self.argv[0], self.argv[1:], cwd=self.cwd, encoding="utf-8",
                                   codec_errors="replace", timeout=None, echo=False,
                                   dimensions=(24, 200))
        self.child.logfile_read = self.log

    # --- time ---------------------------------------------------------------

    def elapsed(self):
        return time.monotonic() - self.t0

    def restart_clock(self):
        """Measure stages from now (e.g. from QEMU's start rather than make's)."""
        self.t0 = time.monotonic()
        self.log.t0 = self.t0

    # --- waiting ------------------------------------------------------------

    def tail(self, n=40):
        return "\n".join(strip_ansi(self.text).splitlines()[-n:])

    def _take(self):
        self.text += self.child.before or ""
        if isinstance(self.child.after, str):
            self.text += self.child.after

    def expect(self, pattern, timeout, stage):
        """Wait for a regex; record the stage's time; return the match.

        Raises KernelPanic, ConsoleClosed or StageTimeout naming the stage."""
        patterns = [re.compile(pattern) if isinstance(pattern, str) else pattern,
                    re.compile(re.escape(CURSOR_QUERY)), PANIC, pexpect.EOF, pexpect.TIMEOUT]
        deadline = time.monotonic() + timeout
        while True:
            i = self.child.expect(patterns, timeout=max(0.0, deadline - time.monotonic()))
            self._take()
            if i == 0:
                self.stages[stage] = round(self.elapsed(), 3)
                return self.child.match
            if i == 1:
                self.child.send(CURSOR_REPLY)
                continue
            if i == 2:
                self._drain(5)
                raise KernelPanic(stage, f"kernel panic: {self.child.match.group(0).strip()}",
                                  self.tail(200))
            if i == 3:
                raise ConsoleClosed(stage, f"console closed (QEMU exited, status "
                                           f"{self.exit_status()})", self.tail())
            raise StageTimeout(stage, f"did not arrive within {timeout:.0f} s", self.tail())

    def _drain(self, seconds):
        """Collect what follows a panic (register dump, flight recorder)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.text += self.child.read_nonblocking(65536, timeout=0.5)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break

    def send(self, text):
        self.child.send(text)

    def sendline(self, line):
        self.child.send(line + "\r")

    def run(self, command, prompt, timeout, stage):
        """Type a shell command; return (its output, the prompt match)."""
        self.sendline(command)
        start = len(self.text)
        m = self.expect(prompt, timeout, stage)
        out = strip_ansi(self.text[start:len(self.text) - len(m.group(0))])
        out = out.replace("\r\n", "\n").replace("\r", "")
        lines = out.split("\n")
        if lines and command in lines[0]:
            lines = lines[1:]   # the echoed command line
        return "\n".join(lines).strip("\n"), m

    def wait_exit(self, timeout, stage):
        """Wait for the console to end (QEMU powered off); return the exit status."""
        patterns = [pexpect.EOF, re.compile(re.escape(CURSOR_QUERY)), PANIC, pexpect.TIMEOUT]
        deadline = time.monotonic() + timeout
        while True:
            i = self.child.expect(patterns, timeout=max(0.0, deadline - time.monotonic()))
            self._take()
            if i == 0:
                self.stages[stage] = round(self.elapsed(), 3)
                return self.exit_status()
            if i == 1:
                self.child.send(CURSOR_REPLY)
                continue
            if i == 2:
                self._drain(5)
                raise KernelPanic(stage, "kernel panic", self.tail(200))
            raise StageTimeout(stage, f"QEMU did not exit within {timeout:.0f} s", self.tail())

    def exit_status(self):
        """QEMU's exit status once it has ended (negative: killed by that signal)."""
        if self.child.isalive():
            return None
        if self.child.exitstatus is not None:
            return self.child.exitstatus
        return -(self.child.signalstatus or 0)

    def close(self):
        """Stop the console process and everything it started (QEMU under make
        is in its process group), then finish the log."""
        try:
            if self.child.isalive():
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.killpg(self.child.pid, sig)
                    except ProcessLookupError:
                        break
                    time.sleep(0.5)
                    if not self.child.isalive():
                        break
        finally:
            self.child.close(force=True)
            self.log.close()
