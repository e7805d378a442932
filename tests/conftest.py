"""Shared pytest set-up for tests/boot and tests/expect.

Each boot's stage times go to build/results/<target>.json and a one-line
summary per target is printed at the end of the run.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import pytest  # noqa: E402

from harness import LOGS  # noqa: E402

# The farm's boards as fixtures (board, console, booted, shell) and its
# options (--board, --kernel, --inventory, --results): farm/pytest_plugin.py.
pytest_plugins = ["farm.pytest_plugin"]


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
