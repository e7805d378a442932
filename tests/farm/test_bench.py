"""`farm bench` (make bench) measures for real: one Kevlar boot on the x86_64
board gives every number, and the JSON keeps what the table shows. (The bench
asserts no speed: targets are read off its table, not enforced by tests.)"""

import json
import re
import subprocess

import pytest

from farm.bench import COLUMNS, WORKLOADS, ram_kib
from farm.qemu import ROOT, Target


def test_ram_size_parses_like_qemu():
    assert ram_kib("256M") == 256 * 1024 and ram_kib("1G") == 1024 * 1024
    assert ram_kib(128) == 128 * 1024


def test_bench_measures_every_number_on_a_real_boot():
    if not Target("x86_64", "kevlar").image.exists():
        pytest.skip("Kevlar x86_64 not built: run `make boot-deps`")
    proc = subprocess.run(["/usr/bin/python3", "-m", "farm", "bench", "--board", "qemu-x86_64",
                           "--kernel", "kevlar", "--runs", "1"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    path = ROOT / re.search(r"^bench: (build/bench/\S+\.json)$", out, re.M).group(1)
    data = json.loads(path.read_text())
    [run] = data["results"]["qemu-x86_64"]["kevlar"]["runs"]
    for key, *_ in COLUMNS:
        assert run[key] > 0, (key, run)
    assert run["kernel"] < run["openrc"] < run["login"], run
    # The memory figure is the board's 256 MiB less what /proc/meminfo calls free.
    assert run["memory_mib"] == pytest.approx(256 - run["meminfo"]["MemFree"] / 1024)
    assert set(WORKLOADS) <= set(run)
    row = re.search(r"^qemu-x86_64\s+kevlar\s+1\s+(.*)$", out, re.M)
    assert row and len(row.group(1).split()) == len(COLUMNS), out
