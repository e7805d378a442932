"""Shared pytest set-up for tests/boot and tests/expect.

Targets are (arch, kernel) pairs; a test for a target that has not been built
is skipped with the command that builds it. Each boot's stage times go to
build/results/<target>.json and a one-line summary per target is printed at
the end of the run.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from farm.qemu import ARCHES, KERNELS, Target  # noqa: E402

RESULTS = ROOT / "build" / "results"
LOGS = ROOT / "build" / "logs"

# What each kernel can do today. A target whose kernel cannot yet reach a
# stage is an expected failure with the reason, so the day it works shows up
# as XPASS rather than hiding.
KEVLAR_OPENRC_XFAIL = ("Kevlar cannot run Debian's OpenRC yet: dynamic glibc, procfs and "
                       "the terminal are issues #4 and #5")


def all_targets():
    return [Target(a, k) for a in ARCHES for k in KERNELS]


def require_built(target):
    if target.kernel == "kevlar" and target.arch != "x86_64":
        pytest.skip("Kevlar has no arm64 port yet")
    missing = [p for p in (target.image, target.initrd) if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} not built: run `make boot-deps`")


@pytest.fixture
def log_path(request):
    LOGS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
    return LOGS / f"{name}.log"


def pytest_configure(config):
    config._kevlar_boot_results = []


def pytest_terminal_summary(terminalreporter, config):
    results = getattr(config, "_kevlar_boot_results", [])
    if not results:
        return
    terminalreporter.section("boot stages (seconds since QEMU start)")
    for r in results:
        terminalreporter.write_line(r.summary())
