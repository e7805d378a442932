"""`farm bisect` end to end through its build-and-run path: a throwaway clone
of this repository with four commits on top, one of which breaks a test;
bisect builds the commits it must judge in worktrees of that clone, runs the
test on a QEMU board there, names the commit that broke it, and the dashboard
shows the answer. The second build is taken from the build cache: the commits
differ only outside the Makefile, kernel/ and rootfs/. About a minute."""

import filecmp
import os
import re
import subprocess

import pytest

from farm.history import build_key
from farm.qemu import ROOT
from farm.results import open_store

PYTHON = "/usr/bin/python3"
PROBE = "tests/probe/test_probe.py"
TEST = "test_linux_is_booted_with_panic_reboot"
PROBE_TEXT = f'''"""Linux boots with panic=-1, so a panic ends QEMU instead of hanging it."""
from farm import boot


def {TEST}(board, console):
    console.expect(boot.FIRST_LINE[board.kernel], 60, "kernel")
    m = console.expect(r"Command line: ([^\\r\\n]*)", 30, "cmdline")
    assert "panic=-1" in m.group(1).split(), m.group(1)
'''
PANIC_OPTION = 'return console if self.kernel == "kevlar" else f"{console} panic=-1"'


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True, timeout=120).stdout.strip()


def commit(repo, message, path, text):
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """(clone, {name: hash}): HEAD of this repository plus
    good: adds the probe test   docs: README only
    bad:  farm/qemu.py stops passing panic=-1 to Linux (the probe fails)
    docs2: README only          rootfs: a side commit changing rootfs/"""
    if not (ROOT / "build" / "debs").is_dir():
        pytest.skip("no Debian package cache (build/debs) to build from: run `make boot-deps`")
    repo = tmp_path_factory.mktemp("bisect") / "kevlar"
    git(ROOT, "clone", "-q", str(ROOT), str(repo))
    git(repo, "config", "user.email", "farm-test@example.org")
    git(repo, "config", "user.name", "farm test")
    branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    h = {"base": git(repo, "rev-parse", "HEAD")}
    h["good"] = commit(repo, "probe: Linux is booted with panic=-1", PROBE, PROBE_TEXT)
    readme = (repo / "README.md").read_text()
    h["docs"] = commit(repo, "docs: a line", "README.md", readme + "\nA line.\n")
    qemu_py = (repo / "farm" / "qemu.py").read_text()
    assert PANIC_OPTION in qemu_py, "farm/qemu.py changed: update this test's breaking commit"
    h["bad"] = commit(repo, "qemu: stop passing panic=-1 to Linux", "farm/qemu.py",
                      qemu_py.replace(PANIC_OPTION, "return console"))
    h["docs2"] = commit(repo, "docs: another line", "README.md", readme + "\nA line.\nMore.\n")
    packages = (repo / "rootfs" / "packages.txt").read_text()
    git(repo, "checkout", "-q", "-b", "side", h["good"])
    h["rootfs"] = commit(repo, "rootfs: a comment", "rootfs/packages.txt",
                         packages + "# a comment\n")
    git(repo, "checkout", "-q", branch)
    return repo, h


def test_build_key_follows_the_makefile_kernel_and_rootfs_only(history):
    repo, h = history
    keys = {n: build_key(c, "x86_64", repo) for n, c in h.items()}
    assert keys["base"] == keys["good"] == keys["docs"] == keys["bad"] == keys["docs2"]
    assert keys["rootfs"] != keys["good"]
    assert build_key(h["good"], "arm64", repo) != keys["good"]


def test_bisect_builds_and_runs_commits_and_names_the_one_that_broke_the_test(history,
                                                                               tmp_path):
    repo, h = history
    store = tmp_path / "results.db"
    env = dict(os.environ, FARM_BUILD_CACHE=str(tmp_path / "buildcache"))
    proc = subprocess.run([PYTHON, "-m", "farm", "bisect", "--test", f"{PROBE}::{TEST}",
                           "--good", h["good"], "--bad", h["docs2"], "--board", "qemu-x86_64",
                           "--kernel", "linux", "--results", str(store), "--repo", str(repo),
                           "--no-dashboard"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert f"first bad commit: {h['bad']}  qemu: stop passing panic=-1 to Linux" in out, out
    assert f"{h['docs'][:12]} is good" in out and f"{h['bad'][:12]} is bad" in out, out

    # Only what the run boots was built, once: the second commit took a copy.
    assert re.search(rf"{h['docs'][:12]}: building x86_64 linux\+rootfs in ", out), out
    assert f"{h['docs'][:12]}: build x86_64 built" in out, out
    assert f"{h['bad'][:12]}: build x86_64 cached" in out, out
    trees = repo / "build" / "worktrees"
    made = (trees / h["docs"] / "build" / "history.log").read_text()
    assert "make -j2 --no-print-directory ARCH=x86_64 linux rootfs" in made
    assert not (trees / h["bad"] / "build" / "history.log").exists()
    for f in ("rootfs.cpio", "linux/vmlinuz"):
        assert filecmp.cmp(trees / h["docs"] / "build" / "x86_64" / f,
                           trees / h["bad"] / "build" / "x86_64" / f, shallow=False)
    assert not (trees / h["bad"] / "build" / "arm64").exists()

    # Each judged commit really ran the test there, into this store.
    s = open_store(store)
    verdicts = {}
    for run in s.runs(limit=100):
        for job in s.jobs(run["id"]):
            assert (job["board"], job["kernel"]) == ("qemu-x86_64", "linux")
            for t in s.tests(job["id"]):
                verdicts[run["commit_hash"]] = (t["name"], t["outcome"], t["class"])
    assert verdicts == {h["docs"]: (f"{TEST}[qemu-x86_64-linux]", "passed", ""),
                        h["bad"]: (f"{TEST}[qemu-x86_64-linux]", "failed", "fail")}

    # The answer is on the dashboard.
    from dashboards.render import generate
    generate(store, tmp_path / "site", repo)
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Bisections" in index and f"commit/{h['bad']}.html\">{h['bad'][:12]}</a>" in index
    page = (tmp_path / "site" / "commit" / f"{h['bad']}.html").read_text()
    assert "Bisection: first bad commit for" in page and TEST in page
