"""`farm bisect` end to end through its build-and-run path: a throwaway clone
of this repository with four commits on top, one of which breaks a test;
bisect builds the commits it must judge in worktrees of that clone, runs the
test on a QEMU board there, names the commit that broke it, and the dashboard
shows the answer. The second build is taken from the build cache: the commits
differ only outside the Makefile, kernel/ and rootfs/. Then `farm run
--commits` over the same history fills the clone's dashboard, with the
regression on top of the breaking commit's page. About a minute."""

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


@pytest.fixture(scope="module")
def build_cache(tmp_path_factory):
    """One build cache for this file's runs: what one test built, the next reuses."""
    return tmp_path_factory.mktemp("buildcache")


def test_build_key_follows_the_makefile_kernel_and_rootfs_only(history):
    repo, h = history
    keys = {n: build_key(c, "x86_64", repo) for n, c in h.items()}
    assert keys["base"] == keys["good"] == keys["docs"] == keys["bad"] == keys["docs2"]
    assert keys["rootfs"] != keys["good"]
    assert build_key(h["good"], "arm64", repo) != keys["good"]


def test_bisect_builds_and_runs_commits_and_names_the_one_that_broke_the_test(history,
                                                                               tmp_path,
                                                                               build_cache):
    repo, h = history
    store = tmp_path / "results.db"
    env = dict(os.environ, FARM_BUILD_CACHE=str(build_cache))
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


def test_run_commits_fills_the_dashboard_with_the_regression_on_top(history, tmp_path,
                                                                     build_cache):
    """`farm run --commits A..B` run in the clone itself (its own farm, its
    own dashboard): each commit built (here: from the cache) and run, and the
    commit that broke the probe has it on top of its page as a regression."""
    repo, h = history
    debs = repo / "build" / "debs"
    if not debs.exists():
        debs.parent.mkdir(parents=True, exist_ok=True)
        debs.symlink_to(ROOT / "build" / "debs")    # packages, not downloaded again
    store = tmp_path / "results.db"
    env = dict(os.environ, FARM_BUILD_CACHE=str(build_cache))
    proc = subprocess.run([PYTHON, "-m", "farm", "run", "--commits", f"{h['good']}..{h['bad']}",
                           "--board", "qemu-x86_64", "--kernel", "linux",
                           "--suite", f"{PROBE}::{TEST}", "--results", str(store)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    for name in ("docs", "bad"):
        assert re.search(rf"^  {h[name][:12]}  ran ", out, re.M), out
    s = open_store(store)
    outcomes = {r["commit_hash"]: [t["outcome"] for j in s.jobs(r["id"]) for t in s.tests(j["id"])]
                for r in s.runs(limit=100)}
    assert outcomes == {h["docs"]: ["passed"], h["bad"]: ["failed"]}, outcomes

    site = repo / "build" / "dashboard"
    index = (site / "index.html").read_text()
    rows = [index.index(f'commit/{h[n]}.html">') for n in ("bad", "docs")]
    assert rows[0] < rows[1], "the commit list is not newest first"
    page = (site / "commit" / f"{h['bad']}.html").read_text()
    assert "Regressions (1)" in page and page.index("Regressions (1)") < page.index('id="matrix"')
    regressions = page[page.index("Regressions (1)"):page.index("Fixes (")]
    assert TEST in regressions and "qemu-x86_64 linux" in regressions, regressions
    assert "Regressions (0)" in (site / "commit" / f"{h['docs']}.html").read_text()
