"""The lock checker (kevlar.debug=locks, kernel/core/lockcheck*.c) on a full
boot, on both architectures: the deliberate violations of
kevlar.selftest=locks are reported (the inversion naming the code sites of
both orders), two kernel threads contend on a mutex without losing a
wake-up or an update, a reader-writer semaphore shares and excludes as it
should, two more contend on fs_lock (a sleeping lock that nests) while
holding it across a yield, and then a boot through OpenRC to login and a
workload of sockets, fd passing, flock waits, signalfd, threads and files
produce no lock warning at all.
"""

import re

import pytest

from farm import boot
from farm.qemu import Target
from harness import require_built

WARNING = "lockcheck: WARNING:"
# Programs that lock in the most places: sockets and fd passing, flock
# waits, signalfd, threads with futexes, file mappings.
WORKLOAD = ["unixstream", "scmrights", "flocktest", "sigfd", "pthread-glibc", "memfile", "filemap",
            "mmstress", "bigreserve", "procreap"]
SELFTEST_SRC = boot.ROOT / "kernel/core/selftest.c"
# ash's cursor-position reply, when it lands after the next command is typed,
# is echoed into that command's output, raw or in caret form (seen on a
# loaded host: "^[[1;1R" before `wc -l`'s number).
CURSOR_REPLY_ECHO = re.compile(r"(\x1b|\^\[)\[\d+;\d+R")


def shell(console, command, stage, timeout=30):
    return CURSOR_REPLY_ECHO.sub("", boot.shell(console, command, stage, timeout=timeout))


@pytest.fixture(params=["x86_64", "arm64"])
def arch(request):
    return request.param


def source_line(site):
    """The text of a "core/selftest.c:N" site."""
    path, line = site.rsplit(":", 1)
    assert path == "core/selftest.c", site
    return SELFTEST_SRC.read_text().splitlines()[int(line) - 1]


def test_selftest_violations_are_reported_then_openrc_and_a_workload_give_no_warning(
        log_path, arch):
    target = Target(arch, "kevlar")
    require_built(target)
    console = boot.start(target, log_path, cmdline="kevlar.debug=locks kevlar.selftest=locks")
    try:
        console.expect(boot.FIRST_LINE["kevlar"], boot.TIMEOUTS["kernel"], "kernel")
        console.expect(r"lockcheck: checking lock order", 60, "checker on")
        # A line's last site is matched up to the line end: the console may
        # still be printing its digits.
        site = r"(core/selftest\.c:\d+)"
        now = console.expect(r'now: +"selftest_lock_b" \(taken at ' + site + r'\) held while '
                             r'taking "selftest_lock_a" at ' + site + r"\r*\n", 60, "inversion now")
        earlier = console.expect(r'earlier: +"selftest_lock_a" \(taken at ' + site + r'\) held '
                                 r'while taking "selftest_lock_b" at ' + site + r"\r*\n", 60,
                                 "inversion earlier")
        # The four sites are the four lock calls, B then A now, A then B before.
        b_now, a_now = now.group(1), now.group(2)
        a_before, b_before = earlier.group(1), earlier.group(2)
        assert len({b_now, a_now, a_before, b_before}) == 4
        for s, lock in ((b_now, "b"), (a_now, "a"), (a_before, "a"), (b_before, "b")):
            line = source_line(s)
            assert "spin_lock" in line and f"selftest_lock_{lock}" in line, (s, line)
        console.expect(r"lockcheck: WARNING: may sleep at core/selftest\.c:\d+ while holding "
                       r'spin lock "selftest_lock_a"', 60, "sleep report")
        console.expect(r'lockcheck: WARNING: releasing "selftest_mutex"', 60, "unlock report")
        console.expect(r'lockcheck: WARNING: nesting mutex "fs_lock" taken at core/selftest\.c:\d+ '
                       r'in an interrupt handler', 60, "irq report")
        console.expect(r"selftest locks: PASSED: 4 reports", 60, "selftest")
        checked_from = len(console.text)
        # Two threads alternating on one mutex: no lost wake-up (a hang), no lost
        # update; then a signal ends a mutex_lock_interruptible sleep.
        console.expect(r"selftest locks: mutex PASSED: counter 400, \d+ contended locks, "
                       r"interruptible wait ended by a signal", 60, "mutex contention")
        console.expect(r"selftest locks: rwsem PASSED", 60, "rwsem")
        # fs_lock sleeps: two threads holding it (nested) across a yield.
        console.expect(r"selftest locks: fs_lock PASSED: counter 400, \d+ contended, nesting kept",
                       60, "fs_lock contention")

        console.expect(boot.OPENRC_BANNER, boot.TIMEOUTS["openrc"], "openrc")
        console.expect(boot.LOGIN_PROMPT, boot.TIMEOUTS["login"], "login")
        boot.login(console)
        loop = "; ".join(f"/usr/lib/kevlar/{p} > /tmp/{p}.out 2>&1; echo {p}=$?"
                         for p in WORKLOAD)
        out = shell(console, loop, "workload", timeout=600)
        for p in WORKLOAD:
            assert f"{p}=0" in out, f"{p} failed under kevlar.debug=locks:\n{out}"
        out = shell(console, "ls -l /proc /dev /etc | wc -l", "pipe")
        assert re.search(r"^\d+\s*$", out, re.M) and int(out.split()[-1]) > 50, out
        # The kernel log agrees: the selftest's four warnings and no other.
        out = shell(console, "dmesg | grep -c 'lockcheck: WARNING'", "dmesg")
        assert out.split()[-1] == "4", out
        status = boot.poweroff(console)
        assert status == 0, f"QEMU exited with status {status} after poweroff"

        after = console.text[checked_from:]
        warnings = [l for l in after.splitlines() if WARNING in l]
        assert not warnings, "lock warnings after the selftest:\n" + "\n".join(warnings)
        assert "KEVLAR PANIC" not in console.text
    finally:
        console.close()
