"""Three netboot boards at once, through the farm, as a lab runs them:
`farm run` on tests/netboot/boards.yaml boots the x86_64 BIOS, x86_64 UEFI
and arm64 U-Boot boards in parallel to `login:` (test_netboots_to_login in
each board's job), all from one lab network (one namespace, one dnsmasq);
then the same over QEMU's user-mode network and TFTP, the fallback for hosts
without namespaces.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from farm import lab
from farm.qemu import ROOT
from farm.results import open_store

PYTHON = "/usr/bin/python3"
INVENTORY = ROOT / "tests" / "netboot" / "boards.yaml"
SUITE = "tests/netboot/test_netboot.py::test_netboots_to_login"
BOARDS = {"nb-x86_64-bios": "bios", "nb-x86_64-uefi": "uefi", "nb-arm64-uboot": "uboot"}
# Three TCG guests on two cores, each job with its own pytest: generous.
RUN_TIMEOUT = 1500


def farm_run(tmp_path, kernel, net):
    store = tmp_path / f"results-{net}.db"
    env = dict(os.environ, FARM_NET=net)
    env.pop(lab.ENV, None)
    p = subprocess.run([PYTHON, "-m", "farm", "run", "--inventory", str(INVENTORY),
                        "--kernel", kernel, "--results", str(store), "--suite", SUITE,
                        "--retries", "0"],
                       cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=RUN_TIMEOUT)
    print(p.stdout[-4000:], p.stderr[-2000:])
    st = open_store(store)
    run = st.runs(limit=1)[0]
    return p, st.jobs(run["id"])


def check_run(p, jobs, kernels):
    assert p.returncode == 0, f"farm run failed ({p.returncode}):\n{p.stdout[-3000:]}"
    # The table names every board with its firmware.
    table = p.stdout[p.stdout.rindex("board "):]
    for name, firmware in BOARDS.items():
        for kernel in kernels:
            assert re.search(rf"^{name}\s+{firmware} netboot\s+{kernel}\s+PASSED", table, re.M), \
                f"no PASSED row for {name} ({firmware}) {kernel} in:\n{table}"
    assert sorted((j["board"], j["kernel"]) for j in jobs) == \
        sorted((b, k) for b in BOARDS for k in kernels)
    assert all(j["outcome"] == "passed" for j in jobs), jobs
    # At once: the three boards' first jobs were all running at one moment.
    first = {}
    for j in sorted(jobs, key=lambda j: j["started"]):
        first.setdefault(j["board"], j)
    assert max(j["started"] for j in first.values()) < min(j["finished"] for j in first.values()), \
        f"the boards did not boot at the same time: {[(j['board'], j['started'], j['finished']) for j in first.values()]}"


def networks(jobs):
    """The network each job's console log names ('lab kvlab-N' or 'user')."""
    seen = {}
    for j in jobs:
        log = Path(j["log_dir"]) / f"{j['board']}-{j['kernel']}" / "netboot_to_login.log"
        m = re.search(r"network (lab \S+|user)", log.read_text(errors="replace"))
        assert m, f"{log} does not say which network {j['board']} booted from"
        seen[(j["board"], j["kernel"])] = m.group(1)
    return seen


@pytest.mark.skipif(not lab.available()[0], reason=f"no lab network here: {lab.available()[1]}")
def test_three_boards_at_once_in_one_lab(tmp_path):
    """Linux and Kevlar, BIOS + UEFI + U-Boot, one shared lab."""
    before = set(lab.namespaces())
    p, jobs = farm_run(tmp_path, "all", "lab")
    check_run(p, jobs, ("kevlar", "linux"))
    nets = set(networks(jobs).values())
    assert len(nets) == 1 and next(iter(nets)).startswith("lab kvlab-"), \
        f"the boards were not served by one lab: {nets}"
    ns = next(iter(nets)).split()[1]
    assert ns not in lab.namespaces() and not (lab.LABS / ns).exists(), \
        f"the run's lab {ns} outlived the run"
    assert set(lab.namespaces()) <= before


def test_three_boards_at_once_on_user_mode_tftp(tmp_path):
    """The fallback: each QEMU's own user-mode network and TFTP server."""
    p, jobs = farm_run(tmp_path, "linux", "user")
    check_run(p, jobs, ("linux",))
    assert set(networks(jobs).values()) == {"user"}
