"""One farm process per board at a time, on this host.

A lock is build/locks/<board>.lock holding `pid host start-time`. It is taken
by the process that drives the board (the pytest session); a `farm run` that
is killed takes its jobs with it (they get SIGTERM when it dies, unwind,
power their boards off and release their locks). A lock whose process is gone
(killed with SIGKILL, host rebooted) is stale and cleared by the next taker;
the start time tells a reused pid from the original holder. The check-and-take
is done under a flock on the lock directory, so two takers never both clear
the same stale lock.
"""

import fcntl
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path

from farm.errors import BoardBusy
from farm.qemu import ROOT

DEFAULT_LOCK_DIR = ROOT / "build" / "locks"


def process_start(pid):
    """The process's start time in clock ticks since boot (None: no such pid,
    or a zombie: a killed holder whose parent has not reaped it yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def alive(pid, start):
    now = process_start(pid)
    return now is not None and (start is None or now == start)


@contextmanager
def _dir_mutex(lock_dir):
    fd = os.open(lock_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class BoardLock:
    def __init__(self, board, lock_dir=DEFAULT_LOCK_DIR):
        self.board = board
        self.dir = Path(lock_dir)
        self.path = self.dir / f"{board}.lock"
        self.held = False

    def holder(self):
        """(pid, host, start) of the current holder, or None."""
        try:
            pid, host, start = self.path.read_text().split()
            return int(pid), host, (None if start == "-" else int(start))
        except (OSError, ValueError):
            return None

    def try_acquire(self):
        """Take the lock if free or stale; return None, or the live holder."""
        self.dir.mkdir(parents=True, exist_ok=True)
        me = os.getpid()
        with _dir_mutex(self.dir):
            held = self.holder()
            if held is not None:
                pid, host, start = held
                if host != socket.gethostname() or alive(pid, start):
                    return held
                self.path.unlink(missing_ok=True)   # stale: its process is gone
            tmp = self.dir / f".{self.board}.{me}.tmp"
            tmp.write_text(f"{me} {socket.gethostname()} {process_start(me) or '-'}\n")
            os.replace(tmp, self.path)
        self.held = True
        return None

    def acquire(self, wait=0.0, poll=1.0):
        deadline = time.monotonic() + wait
        while True:
            held = self.try_acquire()
            if held is None:
                return self
            if time.monotonic() >= deadline:
                pid, host, _ = held
                raise BoardBusy(f"board {self.board} is in use by process {pid} on {host} "
                                f"(lock {self.path}); waited {wait:.0f} s")
            time.sleep(poll)

    def release(self):
        if not self.held:
            return
        with _dir_mutex(self.dir):
            held = self.holder()
            if held and held[0] == os.getpid():
                self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
