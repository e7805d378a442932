"""Failure classes produced for real, through `python3 -m farm run` on boards
reached the physical way (power commands, serial console on TCP): a console
that never answers, and a stage that never comes on a real boot. (A real
kernel panic and a failing power command: tests/farm/test_sim_board.py; the
same classes from canned transcripts: test_failure_classes.py.)"""

import socket
import subprocess
import time

import pytest

from farm.qemu import ROOT, Target
from farm.results import open_store

SIM = ROOT / "tests" / "farm" / "sim-boards.yaml"
SIM_STATE = ROOT / "build" / "sim"


@pytest.fixture(autouse=True)
def linux_built():
    t = Target("x86_64", "linux")
    if not (t.image.exists() and t.initrd.exists()):
        pytest.skip("Linux x86_64 not built: run `make boot-deps`")


def farm_run(db, *args, timeout=300):
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/python3", "-m", "farm", "run", "--results", str(db), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


def jobs_and_tests(db):
    store = open_store(db)
    [run] = store.runs()
    return [(j, store.tests(j["id"])) for j in store.jobs(run["id"])]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_console_that_never_answers_is_infra_retried_in_bounded_time(tmp_path):
    # A board whose power switches on but whose CPU never runs (QEMU paused):
    # its serial port accepts the farm's connection and never says a word.
    port = free_port()
    name = f"silent-{port}"
    inv = tmp_path / "lab.yaml"
    inv.write_text(f"""
boards:
  {name}:
    arch: x86_64
    firmware: bios
    mac: "52:54:00:4b:08:01"
    console: tcp://127.0.0.1:{port}
    power:
      on: /usr/bin/python3 -m farm.simboard on --frozen --name {name} --port {port}
      off: /usr/bin/python3 -m farm.simboard off --name {name} --port {port}
      timeout: 30
    kernels: [linux]
""")
    db = tmp_path / "results.db"
    rc, out, took = farm_run(db, "--inventory", str(inv), "--kernel", "linux", "--retries", "1",
                             "--suite", "tests/farm/suites/shell_suite.py",
                             "--pytest-arg=-k", "--pytest-arg=test_login_prompt_comes",
                             "--pytest-arg=--stage-timeout=kernel=8")
    assert rc == 1, out
    # Bounded: the first stage's timeout per attempt, not the run's job
    # timeout; retried once (--retries 1) as the lab's failure.
    assert took < 150, out
    attempts = jobs_and_tests(db)
    assert [j["attempt"] for j, _ in attempts] == [1, 2], out
    for job, [test] in attempts:
        # The boot is the `booted` fixture's: pytest calls that an error, not a failure.
        assert (job["outcome"], job["class"]) == ("errored", "infra"), out
        assert (test["outcome"], test["class"], test["stage"]) == ("error", "infra", "kernel")
        assert test["reason"].startswith("did not arrive within 8 s; the console stayed silent: "
                                         "not a byte from the board in "), test["reason"]
    job, [test] = attempts[-1]
    log = open(test["log"]).read()
    assert f"powered on: x86_64-linux, console tcp://127.0.0.1:{port}" in log
    # Powered off at the end: the paused QEMU is gone with its pid file.
    assert not (SIM_STATE / f"{name}.pid").exists(), "QEMU left running"


def test_a_stage_that_never_comes_on_a_real_boot_is_a_timeout_naming_it(tmp_path):
    # Both kernels boot for real on the simulated physical board with an init
    # that only sleeps: the kernel's first line comes, OpenRC's banner never.
    if not Target("x86_64", "kevlar").image.exists():
        pytest.skip("Kevlar x86_64 not built: run `make boot-deps`")
    db = tmp_path / "results.db"
    rc, out, took = farm_run(db, "--inventory", str(SIM), "--kernel", "all", "--retries", "2",
                             "--suite", "tests/farm/suites/sleeping_init_suite.py",
                             "--pytest-arg=--stage-timeout=openrc=10")
    assert rc == 1, out
    assert took < 120, out
    jobs = jobs_and_tests(db)
    assert sorted(j["kernel"] for j, _ in jobs) == ["kevlar", "linux"], out
    for job, [test] in jobs:
        assert (job["outcome"], job["class"], job["attempt"]) == ("errored", "timeout", 1), out
        assert (test["outcome"], test["class"], test["stage"]) == ("error", "timeout", "openrc")
        assert test["reason"] == "did not arrive within 10 s", test["reason"]
        assert "kernel" in test["stages"] and "openrc" not in test["stages"]
        log = open(test["log"]).read()
        assert "Run /bin/sleep as init process" in log, log[-2000:]
    assert not (SIM_STATE / "sim-x86_64.pid").exists(), "QEMU left running"
