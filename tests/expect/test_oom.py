"""Out of memory: a process that takes all memory is killed by the kernel's
OOM killer (SIGKILL, and the kernel log names it), a bystander and the shell
live on, and the memory comes back. Three rounds per kind of memory
(private anonymous, shared anonymous), on both kernels and arches: Linux
is the reference for what a user sees. Before Kevlar had an OOM killer,
the next page fault of whichever process came first was a SIGSEGV
(kernel/README, "Out of memory").
"""

import re

import pytest

from test_leaks import BOUND_KB
from test_stressng import settle_meminfo

# Per round after the first, kB of MemFree that may stay lost. Linux's own
# caches move by themselves (test_stressng.py), and an OOM makes it shrink
# them, so it gets test_stressng's looser bound; Kevlar a few pages.
BOUND = {"kevlar": BOUND_KB["kevlar"], "linux": 4096}
ROUNDS = 3


@pytest.mark.parametrize("mode", ["anon", "shared"])
def test_a_memory_hog_is_killed_and_the_rest_lives(shell, mode):
    kernel = shell.target.kernel
    # The kernel's OOM report goes to its log, not into the dialogue.
    shell.run("dmesg -n 1", 30)
    shell.run("sleep 100000 & echo $! > /tmp/bystander", 30)
    bystander = shell.run("cat /tmp/bystander", 30).strip()
    baseline = None
    for rnd in range(ROUNDS):
        out, status = shell.status(
            f"/usr/lib/kevlar/memhog {mode}; echo status=$?", 600)
        m = re.search(r"memhog: pid (\d+)", out)
        assert m, f"memhog did not start:\n{out}"
        pid = m.group(1)
        assert "status=137" in out, f"round {rnd}: memhog was not killed by SIGKILL:\n{out}"
        log = shell.run("dmesg | grep 'Out of memory: Killed process' | tail -1", 30)
        assert re.search(rf"Out of memory: Killed process {pid} \(memhog\)", log), \
            f"round {rnd}: the kernel log does not name memhog ({pid}) as killed:\n{log}"
        assert shell.run(f"kill -0 {bystander} && echo alive", 30) == "alive", \
            f"round {rnd}: the bystander (pid {bystander}) did not survive"
        assert shell.run("echo still-$((1+1))", 30) == "still-2"
        free = settle_meminfo(shell)["MemFree"]
        if baseline is None:
            baseline = free     # the first round warms up what stays (caches, tables)
        else:
            lost = baseline - free
            assert lost <= BOUND[kernel], \
                f"round {rnd}: {kernel} lost {lost} kB of MemFree to the killed hog"
    shell.run(f"kill {bystander}", 30)
