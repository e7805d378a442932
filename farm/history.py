"""`python3 -m farm run --commits A..B`: a branch's history through the farm.

Each commit is checked out in a git worktree of its own under
build/worktrees/<hash>, built there with that commit's Makefile (`make
boot-deps`) and run there with that commit's farm and tests, its results going
into *this* checkout's store (`--results`), so the dashboard fills with the
branch's history. The worktree's build/debs is a symlink to ours: the Debian
packages the rootfs and the reference kernel come from are downloaded once.
Worktrees are kept, so running a commit again only rebuilds what changed.
"""

import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from farm.errors import FarmError
from farm.qemu import ROOT

log = logging.getLogger("farm.history")

PYTHON = "/usr/bin/python3"
WORKTREES = ROOT / "build" / "worktrees"
BUILD_TIMEOUT = 3600


@dataclass
class CommitRun:
    commit: str
    status: str          # ran | build-failed | run-failed
    detail: str = ""


def git(*args, cwd=ROOT, timeout=60):
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        raise FarmError(f"git {' '.join(args)}: no answer within {timeout} s")
    if out.returncode != 0:
        raise FarmError(f"git {' '.join(args)}: {out.stderr.strip() or out.returncode}")
    return out.stdout.strip()


def commits_in(spec, repo=ROOT):
    """A..B: the commits after A up to B, oldest first; a single name: that commit."""
    if ".." in spec:
        hashes = git("rev-list", "--reverse", spec, cwd=repo).split()
    else:
        hashes = [git("rev-parse", "--verify", f"{spec}^{{commit}}", cwd=repo)]
    if not hashes:
        raise FarmError(f"--commits {spec}: no commits in that range")
    return hashes


def worktree(commit):
    """build/worktrees/<commit>, checked out at the commit, sharing build/debs."""
    path = WORKTREES / commit
    if not (path / ".git").exists():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        git("worktree", "prune")
        git("worktree", "add", "--detach", "--force", str(path), commit, timeout=300)
    debs = path / "build" / "debs"
    if not debs.exists() and not debs.is_symlink():
        debs.parent.mkdir(parents=True, exist_ok=True)
        (ROOT / "build" / "debs").mkdir(parents=True, exist_ok=True)
        os.symlink(ROOT / "build" / "debs", debs)
    return path


def _run(cmd, cwd, log_path, timeout):
    """A command with its output in log_path; its process group is killed on
    timeout or interrupt so no make, gcc or QEMU outlives it."""
    with open(log_path, "a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            out.write(f"\nfarm: stopped after {timeout} s\n")
            return None
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=30)


def run_commit(commit, run_args, results, out=sys.stdout):
    """Build and run one commit in its worktree; its results land in `results`."""
    path = worktree(commit)
    log_path = path / "build" / "history.log"
    print(f"farm: {commit[:12]}: building in {path.relative_to(ROOT)} "
          f"(log {log_path.relative_to(ROOT)})", file=out, flush=True)
    status = _run(["make", "-j2", "--no-print-directory", "boot-deps"], path, log_path,
                  BUILD_TIMEOUT)
    if status != 0:
        return CommitRun(commit, "build-failed", f"make boot-deps: status {status}; see {log_path}")
    print(f"farm: {commit[:12]}: running", file=out, flush=True)
    from farm.results import store_arg
    cmd = [PYTHON, "-m", "farm", "run", "--results", store_arg(results), *run_args]
    # The farm run's own table goes to our output, as for a plain `farm run`.
    try:
        proc = subprocess.run(cmd, cwd=path, stdin=subprocess.DEVNULL, timeout=4 * 3600)
    except subprocess.TimeoutExpired:
        return CommitRun(commit, "run-failed", "farm run did not end within 4 h")
    if proc.returncode not in (0, 1):
        return CommitRun(commit, "run-failed", f"farm run: status {proc.returncode}")
    return CommitRun(commit, "ran", "all passed" if proc.returncode == 0 else "some jobs failed")


def forwarded_run_args(args):
    """The `farm run` options to pass on to each commit's own farm run."""
    out = ["--kernel", args.kernel]
    for b in args.board:
        out += ["--board", b]
    for s in args.suite:
        out += ["--suite", s]
    for p in args.pytest_arg:
        out += [f"--pytest-arg={p}"]
    if args.inventory:
        out += ["--inventory", str(Path(args.inventory).resolve())]
    out += ["--retries", str(args.retries), "--job-timeout", str(args.job_timeout)]
    return out


def run_commits(args, out=sys.stdout):
    from farm.results import default_store
    results = args.results or default_store()
    done = []
    for commit in commits_in(args.commits):
        r = run_commit(commit, forwarded_run_args(args), results, out)
        done.append(r)
        print(f"farm: {commit[:12]}: {r.status}: {r.detail}", file=out, flush=True)
    print("farm: history:", file=out)
    for r in done:
        subject = git("show", "-s", "--format=%s", r.commit)[:60]
        print(f"  {r.commit[:12]}  {r.status:12}  {r.detail:20}  {subject}", file=out)
    write_dashboard(results, out)
    return 0 if all(r.status == "ran" for r in done) else 1


def write_dashboard(results, out=sys.stdout):
    try:
        from dashboards.render import generate
        index = generate(results, ROOT / "build" / "dashboard", ROOT)
        print(f"farm: dashboard: {index}", file=out, flush=True)
    except Exception as e:  # the runs are recorded; a page that fails is reported, not fatal
        log.warning("dashboard not written: %s", e)
