"""A results store with a known story, written through the farm's own store API.

Three commits in a throw-away git repository, on boards qemu-x86_64 (Kevlar
and Linux) and qemu-arm64 (Linux):

  A  everything passes except Kevlar's test_proc_self_exe (an assertion)
  B  Kevlar's test_shell_echo panics (a regression, with a flight-recorder
     dump in its console log) and test_proc_self_exe passes (a fix)
  C  like B (nothing changes), run twice: one commit, one column of cells
"""

import subprocess
from pathlib import Path
from types import SimpleNamespace

from farm.results import GitInfo, SqliteStore

BOARDS = {"qemu-x86_64": "x86_64", "qemu-arm64": "arm64"}
JOBS = [("qemu-x86_64", "kevlar"), ("qemu-x86_64", "linux"), ("qemu-arm64", "linux")]
TESTS = ("test_boots_to_login", "test_shell_echo", "test_proc_self_exe")
BOOT = {"kernel": 0.4, "openrc": 1.5, "login": 5.0, "shell": 5.2, "poweroff": 9.0}

PANIC_LOG = """\
[    0.100] Kevlar booting
[    0.300] init: starting /sbin/init
[    4.900] KEVLAR PANIC: page fault in kernel mode at 0xffff800000123456
[    4.901] backtrace: fault_handler <- sys_write <- syscall_entry
[    4.902] --- flight recorder begin ---
[    4.903] cpu0 syscall write(1, 0x7ffd1000, 5) = ?
[    4.904] --- flight recorder end ---
"""


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          timeout=30).stdout.strip()


def make_repo(path):
    """Commits A, B, C with subjects and dates one hour apart."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    hashes = []
    for i, name in enumerate("ABC"):
        (path / "f").write_text(name)
        git(path, "add", "f")
        date = f"2026-01-0{i + 1}T10:00:00+00:00"
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
                        "-m", f"commit {name}: change {name.lower()}"], cwd=path, check=True,
                       timeout=30, env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
                                        "PATH": "/usr/bin:/bin", "HOME": str(path)})
        hashes.append(git(path, "rev-parse", "HEAD"))
    return hashes


def outcome(commit, board, kernel, test):
    if kernel == "kevlar" and test == "test_proc_self_exe" and commit == "A":
        return "failed", "fail"
    if kernel == "kevlar" and test == "test_shell_echo" and commit != "A":
        return "failed", "panic"
    return "passed", ""


def make_store(tmp, store=None):
    """(store URL, repo path, {"A": hash, ...}) for the story above, written
    into `store` (a farm.results store; default a SQLite file in tmp)."""
    tmp = Path(tmp)
    repo = tmp / "repo"
    hashes = dict(zip("ABC", make_repo(repo)))
    store = store or SqliteStore(tmp / "results.db")
    logs = tmp / "logs"
    for name in ("A", "B", "C", "C"):
        run = store.new_run(GitInfo(hashes[name], "main", False), ["farm", "run"])
        for board, kernel in JOBS:
            spec = SimpleNamespace(name=board, arch=BOARDS[board], firmware="bios")
            job = store.new_job(run, spec, kernel, log_dir=logs)
            for test in TESTS:
                result, klass = outcome(name, board, kernel, test)
                log = logs / f"run{run}" / f"{board}-{kernel}" / f"{test}.log"
                log.parent.mkdir(parents=True, exist_ok=True)
                if klass == "panic":
                    log.write_text(PANIC_LOG)
                else:
                    log.write_text(f"[    0.100] {kernel} booting\n[    5.000] login:\n"
                                   f"[    5.100] {test} on commit {name} run {run}\n")
                stages = dict(BOOT) if test == "test_boots_to_login" else {}
                if stages and kernel == "linux":
                    stages = {k: v * 3 for k, v in stages.items()}
                reason = {"panic": "kernel panic: KEVLAR PANIC: page fault in kernel mode",
                          "fail": "assert '/bin/sh' == '/bin/busybox'"}.get(klass, "")
                store.add_test(job, f"{test}[{board}-{kernel}]", result, klass,
                               "shell" if klass else "", reason, 1.5, stages, log)
            store.finish_job(job, "passed")
        store.finish_run(run)
    return store.url, repo, hashes
