"""What tests/boot and tests/expect share: targets, paths, skip and xfail rules."""

from pathlib import Path

import pytest

from farm.qemu import ARCHES, KERNELS, Target

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "build" / "results"
LOGS = ROOT / "build" / "logs"

# What each kernel can do today. A target whose kernel cannot yet reach a
# stage is an expected failure with the reason, so the day it works shows up
# as XPASS rather than hiding.
KEVLAR_OPENRC_XFAIL = ("Kevlar cannot run Debian's OpenRC yet: dynamic glibc, procfs and "
                       "mounts are issue #5")


def all_targets():
    return [Target(a, k) for a in ARCHES for k in KERNELS]


def require_built(target):
    if target.kernel == "kevlar" and target.arch != "x86_64":
        pytest.skip("Kevlar has no arm64 port yet")
    missing = [p for p in (target.image, target.initrd) if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} not built: run `make boot-deps`")

