"""The physical-board path, end to end: `farm run` on a simulated physical
board (QEMU started by power commands, its UART on TCP like ser2net), and
failure classes produced for real through the whole farm."""

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from farm.qemu import ROOT, Target
from farm.results import open_store

SIM = ROOT / "tests" / "farm" / "sim-boards.yaml"


@pytest.fixture(autouse=True)
def linux_built():
    t = Target("x86_64", "linux")
    if not (t.image.exists() and t.initrd.exists()):
        pytest.skip("Linux x86_64 not built: run `make boot-deps`")


def farm_run(db, *args, timeout=600):
    proc = subprocess.run(["/usr/bin/python3", "-m", "farm", "run", "--results", str(db), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


def jobs_and_tests(db):
    store = open_store(db)
    run = store.runs()[0]
    return [(j, store.tests(j["id"])) for j in store.jobs(run["id"])]


def test_sim_board_boots_linux_to_a_shell_through_tcp_console_and_command_power(tmp_path):
    db = tmp_path / "results.db"
    rc, out = farm_run(db, "--inventory", str(SIM), "--kernel", "linux")
    assert rc == 0, out
    assert re.search(r"^sim-x86_64\s+bios\s+linux\s+PASSED", out, re.M), out
    [(job, [test])] = jobs_and_tests(db)
    assert (job["outcome"], job["attempt"], job["firmware"]) == ("passed", 1, "bios")
    assert test["outcome"] == "passed"
    assert {"kernel", "openrc", "login", "shell", "poweroff"} <= set(test["stages"])
    log = open(test["log"]).read()
    assert "console tcp://127.0.0.1:7701" in log and "kevlar login:" in log
    junit = ET.parse(re.search(r"logs in (\S+)", out).group(1) + "/junit.xml")
    assert [c.get("name") for c in junit.iter("testcase")] == [test["name"]]
    assert not (ROOT / "build" / "sim" / "sim-x86_64.pid").exists(), "QEMU left running"


def test_a_kernel_panic_on_the_sim_board_is_classified_panic_and_not_retried(tmp_path):
    db = tmp_path / "results.db"
    rc, out = farm_run(db, "--inventory", str(SIM), "--kernel", "linux",
                       "--suite", "tests/farm/suites/panic_suite.py")
    assert rc == 1, out
    [(job, [test])] = jobs_and_tests(db)
    assert (job["outcome"], job["class"], job["attempt"]) == ("failed", "panic", 1)
    assert (test["class"], test["stage"]) == ("panic", "openrc")
    assert "Kernel panic - not syncing" in test["reason"]
    # Everything up to the end is in the log: the backtrace after the panic
    # line, until panic=-1 rebooted and QEMU (-no-reboot) exited.
    log = open(test["log"]).read()
    assert log.index("Call Trace:") > log.index("Kernel panic - not syncing")


def test_a_board_whose_power_fails_is_infra_and_retried_on_the_same_board(tmp_path):
    inv = tmp_path / "lab.yaml"
    inv.write_text("""
boards:
  dead-relay:
    arch: x86_64
    firmware: bios
    mac: "52:54:00:4b:07:99"
    console: tcp://127.0.0.1:7799
    power: {on: "echo relay 7 does not answer; exit 3", off: "true", timeout: 10}
""")
    db = tmp_path / "results.db"
    rc, out = farm_run(db, "--inventory", str(inv), "--kernel", "linux", "--retries", "2")
    assert rc == 1, out
    assert re.search(r"^dead-relay\s+bios\s+linux\s+ERRORED\s+infra\s+3", out, re.M), out
    jobs = jobs_and_tests(db)
    assert [j["attempt"] for j, _ in jobs] == [1, 2, 3]
    for job, tests in jobs:
        assert job["board"] == "dead-relay" and job["class"] == "infra"
        assert "relay 7 does not answer" in tests[0]["reason"] + job["reason"]


def test_booted_and_shell_fixtures_boot_once_for_consecutive_shell_tests(tmp_path):
    db = tmp_path / "results.db"
    logs = tmp_path / "logs"
    proc = subprocess.run(["/usr/bin/python3", "-m", "pytest", "-p", "farm.pytest_plugin",
                           "-p", "no:cacheprovider", "-q", "--rootdir", str(ROOT),
                           "--inventory", str(SIM), "--kernel", "linux", "--results", str(db),
                           "--logs", str(logs), "tests/farm/suites/shell_suite.py"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [(job, tests)] = jobs_and_tests(db)
    assert [t["outcome"] for t in tests] == ["passed"] * 3
    assert job["outcome"] == "passed"
    first, second = (open(t["log"]).read() for t in tests[1:])
    assert "powered on" in first and "powered on" not in second
    assert "uname -s" in second and "uname -s" not in first
