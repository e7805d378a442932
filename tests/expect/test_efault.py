"""Bad user pointers are EFAULT, never a crash (issue #4's done-when).

rootfs/src/efault_probe.c passes NULL, an unmapped, a non-canonical and two
kernel addresses to every pointer argument of the syscalls issues #4 and #5
implement and prints one line per (syscall, argument, address kind) with the
result. efault_probe.expected is that table as Linux prints it: every kernel
must print the same (where Linux does not fault, e.g. a zero-length write or
a NULL that means "none", the table holds what Linux returns instead).
"""

import difflib
from pathlib import Path

import pytest

from harness import LOGS

EXPECTED = Path(__file__).with_name("efault_probe.expected")


def test_every_bad_pointer_gets_what_linux_returns(shell):
    if shell.target.arch != "x86_64":
        pytest.skip("rootfs/src programs are built with musl for x86_64 only")
    out, status = shell.status("/usr/lib/kevlar/efault_probe > /tmp/efault_probe.out 2>&1", 300)
    assert status == 0, out
    got = shell.run("cat /tmp/efault_probe.out", 120).replace("\r", "").split("\n")
    got = [" ".join(line.split()) for line in got if line.strip()]
    want = [" ".join(line.split()) for line in EXPECTED.read_text().split("\n") if line.strip()]
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"efault_probe-{shell.target.name}.out").write_text("\n".join(got) + "\n")
    diff = list(difflib.unified_diff(want, got, "linux", "this kernel", lineterm="", n=0))
    assert not diff, "\n".join(diff[:80])
