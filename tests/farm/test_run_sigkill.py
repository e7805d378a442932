"""SIGKILL of `python3 -m farm run` itself, end to end: a real run on a QEMU
board is killed after two results; `farm results` still shows both, the run
shows unfinished, no process of the run (its pytest job, its QEMU) outlives
it, and the next run takes the board at once. (The store alone under SIGKILL:
test_results.py.)"""

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from farm.locks import BoardLock, process_start
from farm.qemu import ROOT, Target
from farm.results import open_store

PYTHON = "/usr/bin/python3"
SUITE = "tests/farm/suites/kill_suite.py"


@pytest.fixture(autouse=True)
def linux_built():
    t = Target("x86_64", "linux")
    if not (t.image.exists() and t.initrd.exists()):
        pytest.skip("Linux x86_64 not built: run `make boot-deps`")


def processes():
    """{pid: (ppid, start time, argv[0])} of every process."""
    procs = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv0 = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        procs[int(entry.name)] = (int(fields[1]), int(fields[19]), argv0)
    return procs


def descendants(pid):
    """[(pid, start time, argv[0])] of every process below pid."""
    procs = processes()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for p, (ppid, start, argv0) in procs.items():
            if ppid == parent:
                found.append((p, start, argv0))
                todo.append(p)
    return found


def still_running(procs):
    return [(p, argv0) for p, start, argv0 in procs if process_start(p) == start]


def reported(db):
    """(name, outcome) of every test in the store, oldest first."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as c:
        return c.execute("SELECT name, outcome FROM test ORDER BY id").fetchall()


def test_sigkill_of_farm_run_keeps_what_was_reported_and_leaves_nothing_running(tmp_path):
    board = f"kill-{os.getpid()}"
    inv = tmp_path / "lab.yaml"
    inv.write_text(f"""
boards:
  {board}: {{arch: x86_64, firmware: bios, mac: "52:54:00:4b:08:02", console: qemu,
            power: qemu, kernels: [linux]}}
""")
    db = tmp_path / "results.db"
    argv = [PYTHON, "-m", "farm", "run", "--results", str(db), "--inventory", str(inv),
            "--kernel", "linux", "--suite", SUITE]
    out = open(tmp_path / "farm-run.out", "w")
    farm = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out,
                            stderr=subprocess.STDOUT)
    try:
        # Two results reported and the third test's QEMU running: kill then.
        deadline = time.monotonic() + 180
        while True:
            assert farm.poll() is None, (tmp_path / "farm-run.out").read_text()
            assert time.monotonic() < deadline, "no two results in 180 s"
            below = descendants(farm.pid)
            qemus = [p for p in below if os.path.basename(p[2]).startswith("qemu-system")]
            if db.exists() and len(reported(db)) == 2 and qemus:
                break
            time.sleep(0.2)
        before = reported(db)
        farm.send_signal(signal.SIGKILL)
        farm.wait(timeout=10)
    finally:
        if farm.poll() is None:
            farm.kill()
            farm.wait()
        out.close()
    assert [o for _, o in before] == ["passed", "passed"]
    assert any(argv0.endswith("python3") for _, _, argv0 in below), below

    # The job (pytest) and its QEMU end with the farm run that started them.
    deadline = time.monotonic() + 60
    while still_running(below) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = still_running(below)
    for pid, _ in left:         # ours (same pid and start time): not left for others
        os.kill(pid, signal.SIGKILL)
    assert not left, f"outlived the killed farm run: {left}"

    # Everything reported before the kill is there; the run never finished.
    res = subprocess.run([PYTHON, "-m", "farm", "results", "--results", str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "(unfinished)" in lines[0], res.stdout
    for name, outcome in before:
        assert any(outcome in ln and ln.rstrip().endswith(name) for ln in lines), res.stdout
    store = open_store(db)
    [run] = store.runs()
    assert run["finished"] is None
    [job] = store.jobs(run["id"])
    assert [(t["name"], t["outcome"]) for t in store.tests(job["id"])][:2] == before

    # The board is free: its lock released by the unwinding job, or stale.
    held = BoardLock(board).holder()
    assert held is None or process_start(held[0]) is None, held
    rc = subprocess.run(argv + ["--lock-wait", "0", "--pytest-arg=-k",
                                "--pytest-arg=test_first_boot"],
                        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rc.returncode == 0, rc.stdout + rc.stderr
    assert BoardLock(board).holder() is None
