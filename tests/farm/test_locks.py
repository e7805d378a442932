"""Board locks: one holder at a time; a killed holder's lock is cleared."""

import os
import signal
import subprocess
import sys
import time

import pytest

from farm.errors import BoardBusy
from farm.locks import BoardLock
from farm.qemu import ROOT

HOLD = """
import sys, time
sys.path.insert(0, {root!r})
from farm.locks import BoardLock
BoardLock("b1", {dir!r}).acquire()
print("held", flush=True)
time.sleep(60)
"""


def holder(lock_dir):
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT), dir=str(lock_dir))],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_held_board_is_refused_with_the_holder_named(tmp_path):
    proc = holder(tmp_path)
    try:
        with pytest.raises(BoardBusy, match=rf"board b1 is in use by process {proc.pid}"):
            BoardLock("b1", tmp_path).acquire(wait=0.5, poll=0.1)
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_the_lock_of_a_holder_killed_with_sigkill_is_stale_and_cleared(tmp_path):
    proc = holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert (tmp_path / "b1.lock").exists()
    lock = BoardLock("b1", tmp_path).acquire()
    assert lock.holder()[0] == os.getpid()
    lock.release()
    assert not (tmp_path / "b1.lock").exists()


def test_a_reused_pid_does_not_keep_a_stale_lock(tmp_path):
    # Our own pid with another start time: the pid was reused since.
    (tmp_path / "b1.lock").write_text(f"{os.getpid()} {os.uname().nodename} 1\n")
    with BoardLock("b1", tmp_path) as lock:
        assert lock.holder()[2] != 1


def test_a_lock_held_by_another_host_is_respected(tmp_path):
    (tmp_path / "b1.lock").write_text("1 another-lab-host 5\n")
    with pytest.raises(BoardBusy, match="another-lab-host"):
        BoardLock("b1", tmp_path).acquire()


def test_a_waiting_taker_gets_the_board_when_the_holder_releases(tmp_path):
    proc = holder(tmp_path)
    start = time.monotonic()
    killer = subprocess.Popen(["sh", "-c", f"sleep 1; kill {proc.pid}"])
    try:
        BoardLock("b1", tmp_path).acquire(wait=20, poll=0.2).release()
        assert 0.8 < time.monotonic() - start < 20
    finally:
        killer.wait(timeout=10)
        proc.kill()
        proc.wait(timeout=10)
