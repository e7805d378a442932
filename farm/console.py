"""A board's serial console, driven with pexpect.

Every byte the board prints is logged with a timestamp (seconds since the
board was powered on) at the start of each line. Waiting is done in *stages*:
each has a name and its own timeout, and its arrival time is recorded, so a
boot that stalls says which stage never came and shows the last lines before
it. A kernel panic (Kevlar's `KEVLAR PANIC:` or Linux's `Kernel panic`) or the
end of the console (QEMU exited, the serial server closed) ends any wait.

The console does not know what is behind it: a QEMU process's stdio, a TCP
socket to ser2net, a tty. It gets a pexpect object from a board driver
(farm/boards/) and drives it the same way for all of them.
"""

import os
import re
import signal
import time

import pexpect

from farm.errors import ConsoleClosed, ConsoleError, ConsoleSilent, KernelPanic, StageTimeout  # noqa: F401

# BusyBox ash asks the terminal for the cursor position at every prompt and
# waits for the answer (REFERENCE 3.2, item 11): a harness must reply. Column 1:
# ash moves its idea of the cursor right by (column - prompt length) when the
# answer comes before any typing, so a far-right column makes it wrap the line.
CURSOR_QUERY = "\x1b[6n"
CURSOR_REPLY = "\x1b[1;1R"
# Whole lines only: matched on a partial line, the marker would win over a
# test's own pattern for the same line ("KEVLAR PANIC: no init") whose end
# has not arrived yet (a fresh-clone make test once failed so).
PANIC = re.compile(r"(?:KEVLAR PANIC:|Kernel panic - not syncing)[^\r\n]*(?=[\r\n])")
# The last line of a panic report: Kevlar's flight recorder, Linux's end marker.
PANIC_DUMP_END = re.compile(r"--- flight recorder end ---|---\[ end Kernel panic[^\r\n]*")
# Both kernels print this just before they cut the power; on a physical board
# the console does not close at power-off, so this line is the end.
POWER_DOWN = re.compile(r"reboot: Power down")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1bc")


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
        # Flushed at once: a killed farm keeps the log up to the last byte.
        self.f.flush()

    def note(self, text):
        """A line of the farm's own (power on, stage reached), marked as such."""
        if not self.at_line_start:
            self.f.write("\n")
        self.f.write(f"[{time.monotonic() - self.t0:9.3f}] ### farm: {text}\n")
        self.f.flush()
        self.at_line_start = True

    def flush(self):
        self.f.flush()

    def close(self):
        self.f.close()


class Console:
    """Drive a pexpect object (spawn or fdspawn) in named, timed stages.

    child        the pexpect object
    log_path     where the timestamped log goes
    exit_status  callable: the exit status of what ended the console, or None
    on_stage     callable(stage, state) with state 'waiting' or 'reached', for
                 progress displays
    """

    def __init__(self, child, log_path, exit_status=None, on_stage=None):
        self.t0 = time.monotonic()
        self.child = child
        self.log_path = log_path
        self.log = _TimestampedLog(log_path, self.t0)
        self.child.logfile_read = self.log
        self.text = ""          # everything received so far
        self.stages = {}
        self._exit_status = exit_status or (lambda: None)
        self.on_stage = on_stage or (lambda stage, state: None)

    @classmethod
    def spawn(cls, argv, log_path, cwd=None, **kw):
        """Start a program (QEMU, `make run`) and use its terminal as the console."""
        child = pexpect.spawn(argv[0], argv[1:], cwd=cwd, encoding="utf-8",
                              codec_errors="replace", timeout=None, echo=False,
                              dimensions=(24, 200))
        console = cls(child, log_path, **kw)
        console._exit_status = console._child_exit_status
        return console

    # --- time and logs -------------------------------------------------------

    def elapsed(self):
        return time.monotonic() - self.t0

    def restart_clock(self):
        """Measure stages from now (e.g. from QEMU's start rather than make's)."""
        self.t0 = time.monotonic()
        self.log.t0 = self.t0

    def set_log(self, path):
        """Log from now on to another file (one log per test on a shared boot)."""
        old = self.log
        self.log = _TimestampedLog(path, self.t0)
        self.log_path = path
        self.child.logfile_read = self.log
        old.close()

    def note(self, text):
        self.log.note(text)

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
        return self._wait(re.compile(pattern) if isinstance(pattern, str) else pattern,
                          timeout, stage)

    def _wait(self, pattern, timeout, stage):
        patterns = [pattern, re.compile(re.escape(CURSOR_QUERY)), PANIC, pexpect.EOF,
                    pexpect.TIMEOUT]
        deadline = time.monotonic() + timeout
        self.on_stage(stage, "waiting")
        while True:
            i = self.child.expect(patterns, timeout=max(0.0, deadline - time.monotonic()))
            self._take()
            if i == 0:
                self.stages[stage] = round(self.elapsed(), 3)
                self.on_stage(stage, "reached")
                return self.child.match
            if i == 1:
                self.child.send(CURSOR_REPLY)
                continue
            if i == 2:
                line = self.child.match.group(0).strip()
                self._drain(5)
                raise KernelPanic(stage, f"kernel panic: {line}", self.tail(200))
            if i == 3:
                if pattern is pexpect.EOF:
                    self.stages[stage] = round(self.elapsed(), 3)
                    return None
                raise ConsoleClosed(stage, f"console closed ({self.describe_end()})",
                                    self.tail())
            raise self._timeout(stage, f"did not arrive within {timeout:.0f} s")

    def _silence(self):
        """Say so when the board has not sent a single byte since power-on: a
        powered board whose CPU never ran (dead board, relay that did not
        switch, wrong console wiring or baud). Its firmware would have spoken
        first, so that is the lab's failure: _timeout raises ConsoleSilent."""
        if self.text:
            return ""
        return f"; the console stayed silent: not a byte from the board in {self.elapsed():.0f} s"

    def _timeout(self, stage, reason):
        silence = self._silence()
        return (ConsoleSilent if silence else StageTimeout)(stage, reason + silence, self.tail())

    def _drain(self, seconds):
        """Collect what follows a panic (backtrace, flight recorder) until the
        console ends, the dump's end marker, or `seconds` of quiet."""
        i = self.child.expect([pexpect.EOF, PANIC_DUMP_END, pexpect.TIMEOUT], timeout=seconds)
        self.text += self.child.before or ""
        if i == 1:
            self.text += self.child.after
            # The rest of the line, and whatever came with it.
            try:
                self.text += self.child.read_nonblocking(65536, timeout=0.5)
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass

    def answer_cursor_query(self, timeout):
        """Answer a cursor query that follows a prompt within `timeout` seconds.

        Call it before typing after a prompt: ash reads the answer from the
        same input, so an answer that comes after the next command is taken
        as part of it."""
        i = self.child.expect([re.compile(re.escape(CURSOR_QUERY)), pexpect.TIMEOUT, pexpect.EOF],
                              timeout=timeout)
        self._take()
        if i == 0:
            self.child.send(CURSOR_REPLY)

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
        """Wait for the board to power itself off: the console ends (QEMU
        exited) or, on a board whose console outlives it, the kernel's last
        line. Returns QEMU's exit status when there is one, else None."""
        self._wait(pexpect.EOF, timeout, stage)
        return self.exit_status()

    def wait_power_down(self, timeout, stage):
        """Like wait_exit, but `reboot: Power down` also counts (physical boards)."""
        m = self._wait_either(POWER_DOWN, timeout, stage)
        return self.exit_status() if m is None else None

    def _wait_either(self, pattern, timeout, stage):
        patterns = [pexpect.EOF, pattern, re.compile(re.escape(CURSOR_QUERY)), PANIC,
                    pexpect.TIMEOUT]
        deadline = time.monotonic() + timeout
        self.on_stage(stage, "waiting")
        while True:
            i = self.child.expect(patterns, timeout=max(0.0, deadline - time.monotonic()))
            self._take()
            if i in (0, 1):
                self.stages[stage] = round(self.elapsed(), 3)
                self.on_stage(stage, "reached")
                return None if i == 0 else self.child.match
            if i == 2:
                self.child.send(CURSOR_REPLY)
                continue
            if i == 3:
                line = self.child.match.group(0).strip()
                self._drain(5)
                raise KernelPanic(stage, f"kernel panic: {line}", self.tail(200))
            raise self._timeout(stage, f"the board did not power off within {timeout:.0f} s")

    def exit_status(self):
        """QEMU's exit status once it has ended (negative: killed by that signal);
        None while it runs or when the console cannot know (a remote board)."""
        return self._exit_status()

    def describe_end(self):
        status = self.exit_status()
        return "the serial connection ended" if status is None else \
            f"QEMU exited, status {status}"

    def _child_exit_status(self):
        if not isinstance(self.child, pexpect.spawn) or self.child.isalive():
            return None
        if self.child.exitstatus is not None:
            return self.child.exitstatus
        return -(self.child.signalstatus or 0)

    def close(self):
        """Stop a spawned console process and everything it started (QEMU
        under make is in its process group), then finish the log."""
        try:
            if isinstance(self.child, pexpect.spawn):
                stop_spawned(self.child)
            else:
                self.child.close()
        finally:
            self.log.close()


def stop_spawned(child):
    """SIGTERM, then SIGKILL, the process group of a pexpect.spawn child."""
    try:
        if child.isalive():
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(child.pid, sig)
                except ProcessLookupError:
                    break
                time.sleep(0.5)
                if not child.isalive():
                    break
    finally:
        child.close(force=True)
