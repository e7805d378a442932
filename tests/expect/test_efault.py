"""Bad user pointers are EFAULT, never a crash (issue #4's done-when).

rootfs/src/efault_probe.c passes NULL, an unmapped, a non-canonical and two
kernel addresses to every pointer argument of the syscalls issues #4 and #5
implement and prints one line per (syscall, argument, address kind) with the
result. efault_probe.expected (x86_64) and efault_probe.arm64.expected are
that table as Linux prints it on each arch: every kernel must print the same
(where Linux does not fault, e.g. a zero-length write or a NULL that means
"none", the table holds what Linux returns instead). arm64 has no open, stat,
pipe, poll, select, time, arch_prctl, ...: its table has no lines for them.

Each run leaves its table in build/logs/efault_probe-ARCH-KERNEL.out; to
regenerate an expected table, run this test on Linux
(`--kernel linux --board qemu-ARCH`), review the diff of that file against the
expected one, and copy it over.
"""

import difflib
from pathlib import Path

from harness import LOGS

EXPECTED = {"x86_64": Path(__file__).with_name("efault_probe.expected"),
            "arm64": Path(__file__).with_name("efault_probe.arm64.expected")}


def test_every_bad_pointer_gets_what_linux_returns(shell):
    out, status = shell.status("/usr/lib/kevlar/efault_probe > /tmp/efault_probe.out 2>&1", 300)
    assert status == 0, out
    got = shell.run("cat /tmp/efault_probe.out", 120).replace("\r", "").split("\n")
    got = [" ".join(line.split()) for line in got if line.strip()]
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"efault_probe-{shell.target.name}.out").write_text("\n".join(got) + "\n")
    expected = EXPECTED[shell.target.arch].read_text()
    want = [" ".join(line.split()) for line in expected.split("\n") if line.strip()]
    diff = list(difflib.unified_diff(want, got, "linux", "this kernel", lineterm="", n=0))
    assert not diff, "\n".join(diff[:80])
