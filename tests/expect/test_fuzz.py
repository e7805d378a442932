"""The syscall fuzzer (rootfs/src/fuzz.c): seeded random system calls with
hostile arguments, as uid 1000 and as root (chrooted into a scratch tree),
on every board x kernel. The kernel must not panic (the console raises
KernelPanic), hang (the fuzzer's watchdog: exit status 2 and a HANG line) or
warn, and the shell must still answer. Linux in the same run is the
reference and must pass too.

`make test` runs a short fixed-seed run (FUZZ_CALLS in all, half per mode);
`make fuzz` runs 10^6 calls per board on Kevlar with a seed from the clock
(FUZZ_SEED, FUZZ_CALLS override both). A failure names the seed: `fuzz SEED
N MODE` in the guest replays it, and the progress lines give later
children's seeds (`fuzz CHILDSEED 1000 MODE` replays one child).
"""

import os
import re

# Kevlar runs with its lock checker (core/lockcheck.c): a lock-order
# inversion or a sleep under a spin lock that random calls reach is a warning.
KEVLAR_CMDLINE = "kevlar.debug=locks"

CALLS = int(os.environ.get("FUZZ_CALLS", "10000"))
SEED = int(os.environ.get("FUZZ_SEED", "0x5eed"), 0)

# What a kernel prints when user input reached a bug: Kevlar's reference
# count faults (lib/refcount.c), lock checker reports (core/lockcheck_graph.c),
# allocator misuse (mm/kmalloc.c, mm/buddy.c), lock releases by non-owners
# (core/mutex.c, core/rwsem.c); Linux's WARN/BUG/oops reports (an oops has
# "[#1]"; a user process's "general protection fault at ip" is not one).
KERNEL_WARNING = re.compile(
    r"refcount: |lockcheck: WARNING|kfree: |buddy: |mutex: .* which it does not own"
    r"|rwsem: .* which it does not hold|unexpected interrupt"
    r"|WARNING: |BUG: |kernel BUG|Oops|\[#[0-9]+\]|Call Trace:|Unable to handle kernel")


def run_fuzz(shell, seed, calls, mode):
    # The fuzzer's own lines and any kernel line printed meanwhile arrive on
    # the console together; about 0.1 s per call is far more than either
    # kernel needs under TCG.
    out, status = shell.status(f"/usr/lib/kevlar/fuzz {seed:#x} {calls} {mode}",
                               timeout=120 + calls // 10)
    return out, status


def test_fuzz_user_and_root_leave_no_panic_hang_or_warning(shell):
    report = []
    for mode, seed in (("user", SEED), ("root", SEED ^ 0x9e3779b97f4a7c15)):
        out, status = run_fuzz(shell, seed, CALLS // 2, mode)
        lines = out.splitlines()
        done = [l for l in lines if l.startswith("fuzz: done:")]
        warnings = [l for l in lines if KERNEL_WARNING.search(l)]
        if status != 0 or not done or warnings:
            report.append(f"fuzz {seed:#x} {CALLS // 2} {mode}: exit status {status}\n"
                          + "\n".join(lines[-30:]))
    logged = shell.run("dmesg | grep -E '" + KERNEL_WARNING.pattern.replace("'", "") + "' | head -20")
    # The fuzzer also calls numbers no arch has; Kevlar logs only the first
    # few of those (core/syscall.c), Linux none.
    unknown = int(shell.run("dmesg | grep -c 'unknown syscall'"))
    alive = shell.run("echo alive")
    assert not report and logged == "" and unknown <= 8 and alive == "alive", \
        "\n".join(report) + f"\nkernel log:\n{logged}\n{unknown} unknown-syscall lines" \
        f"\nshell: {alive!r}"
