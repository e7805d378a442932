"""The results store: what was reported survives a SIGKILL of the farm."""

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from farm import inventory
from farm.qemu import ROOT
from farm.results import job_outcome, open_store

WRITER = """
import sys
sys.path.insert(0, {root!r})
from farm import inventory
from farm.results import open_store
store = open_store({db!r})
board = inventory.load().boards["qemu-x86_64"]
run = store.new_run(argv=["writer"])
job = store.new_job(run, board, "linux")
i = 0
while True:
    store.add_test(job, f"test_{{i}}", "passed", stages={{"kernel": i}})
    print(i, flush=True)
    i += 1
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Each store in turn: a SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "results.db")
    return request.getfixturevalue("pg_url")


def test_sigkill_mid_run_loses_no_reported_result(store_url):
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT), db=store_url)],
                            stdout=subprocess.PIPE, text=True)
    reported = -1
    deadline = time.monotonic() + 60
    while reported < 30 and time.monotonic() < deadline:
        reported = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    store = open_store(store_url, readonly=True)
    run = store.runs()[0]
    assert run["finished"] is None
    tests = store.tests(store.jobs(run["id"])[0]["id"])
    # Each line was printed after its commit: all of them are there, whole, in order.
    assert len(tests) >= reported + 1
    assert [t["name"] for t in tests] == [f"test_{i}" for i in range(len(tests))]
    assert all(t["stages"] == {"kernel": i} for i, t in enumerate(tests))
    if not store_url.startswith("postgresql"):
        assert sqlite3.connect(store_url).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_job_passes_only_when_every_test_passed_and_the_worst_class_is_reported(tmp_path):
    store = open_store(tmp_path / "r.db")
    board = inventory.load().boards["qemu-x86_64"]
    run = store.new_run(argv=["t"])
    job = store.new_job(run, board, "kevlar")
    assert job_outcome([]) == ("error", "infra", "no test reported a result")
    store.add_test(job, "a", "passed")
    store.add_test(job, "b", "skipped")
    store.add_test(job, "b2", "xpassed")
    assert job_outcome(store.tests(job))[0] == "passed"
    store.add_test(job, "c", "failed", "fail", reason="assert 1 == 2")
    store.add_test(job, "d", "failed", "panic", stage="login", reason="kernel panic: x")
    assert job_outcome(store.tests(job)) == ("failed", "panic", "d: kernel panic: x")
    job2 = store.new_job(run, board, "kevlar")
    store.add_test(job2, "e", "xfailed", "timeout", stage="login")
    assert job_outcome(store.tests(job2))[:2] == ("xfailed", "timeout")
