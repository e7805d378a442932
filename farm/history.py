"""`python3 -m farm run --commits A..B`: a branch's history through the farm.

Each commit is checked out in a git worktree of its own under
<repo>/build/worktrees/<hash> (this checkout's build/worktrees unless bisect's
--repo names another repository), built there with that commit's Makefile and
run there with that commit's farm and tests, its results going into *this*
checkout's store (`--results`), so the dashboard fills with the branch's
history. The worktree's build/debs is a symlink to ours: the Debian packages
the rootfs and the reference kernel come from are downloaded once.

Only what the run boots is built: `make ARCH=<arch> rootfs` plus `kernel`
(Kevlar) and/or `linux` for the arches of the boards it runs on (all of them
when the commit's inventory cannot tell). A build is keyed on its content: the
git trees of the Makefile, kernel/ and rootfs/ at that commit, per arch. A
finished build/<arch> is kept in build/buildcache/<arch>-<key> (the newest
CACHE_KEEP; FARM_BUILD_CACHE moves it), and a commit whose key is there
already, because it changed only tests, the farm or docs, takes a copy instead
of building. Two things a cached build does not follow: the git revision
Kevlar's banner carries is the one of the commit that built it, and Debian
packages downloaded into build/debs later are not picked up until a build
input changes. Worktrees are kept, so running a commit again reuses its build.
"""

import argparse
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from farm.errors import FarmError
from farm.qemu import ARCHES, KERNELS, ROOT

log = logging.getLogger("farm.history")

PYTHON = "/usr/bin/python3"
BUILD_TIMEOUT = 3600
BUILD_CACHE = Path(os.environ.get("FARM_BUILD_CACHE") or ROOT / "build" / "buildcache")
CACHE_KEEP = 12
# What build/<arch> is made from (with the Debian packages of build/debs).
BUILD_INPUTS = ("Makefile", "kernel", "rootfs")
# The per-arch make targets a farm run boots from.
TARGETS = {"kevlar": "kernel", "linux": "linux"}
STAMP = ".farm-build"


@dataclass
class CommitRun:
    commit: str
    status: str          # ran | build-failed | run-failed
    detail: str = ""
    builds: dict = field(default_factory=dict)   # arch -> built | cached | ready


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


def worktree(commit, repo=ROOT):
    """<repo>/build/worktrees/<commit>, checked out at the commit, sharing our build/debs."""
    repo = Path(repo).resolve()
    path = repo / "build" / "worktrees" / commit
    if not (path / ".git").exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        git("worktree", "prune", cwd=repo)
        git("worktree", "add", "--detach", "--force", str(path), commit, cwd=repo, timeout=300)
    debs = path / "build" / "debs"
    if not debs.exists() and not debs.is_symlink():
        debs.parent.mkdir(parents=True, exist_ok=True)
        (ROOT / "build" / "debs").mkdir(parents=True, exist_ok=True)
        os.symlink(ROOT / "build" / "debs", debs)
    return path


def build_key(commit, arch, repo=ROOT):
    """The content key of build/<arch> at commit: equal keys, equal builds."""
    listing = git("ls-tree", commit, "--", *BUILD_INPUTS, cwd=repo)
    return hashlib.sha256(f"{arch}\n{listing}".encode()).hexdigest()[:20]


def needed_builds(run_args, path):
    """{arch: make targets} of what a `farm run run_args` in the worktree at
    path boots, from that commit's inventory; everything when it cannot tell."""
    everything = {arch: {"rootfs", *TARGETS.values()} for arch in ARCHES}
    ap = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    ap.add_argument("--kernel", default="all")
    ap.add_argument("--board", action="append", default=[])
    ap.add_argument("--inventory", default=None)
    known, _ = ap.parse_known_args(run_args)
    from farm import inventory
    try:
        boards = inventory.load(known.inventory or path / "farm" / "boards.yaml").select(
            known.board)
    except (FarmError, OSError, ValueError):
        return everything
    kernels = KERNELS if known.kernel == "all" else (known.kernel,)
    needs = {}
    for b in boards:
        for k in kernels:
            if k in TARGETS and b.can_boot(k)[0]:
                needs.setdefault(b.arch, {"rootfs"}).add(TARGETS[k])
    return needs or everything


def _stamp(build_dir):
    """(key, targets) of the build in build_dir, or None."""
    try:
        key, *targets = (build_dir / STAMP).read_text().split()
        return key, set(targets)
    except (OSError, ValueError):
        return None


def _write_stamp(build_dir, key, targets):
    (build_dir / STAMP).write_text(" ".join([key, *sorted(targets)]) + "\n")


def _covers(build_dir, key, targets):
    stamp = _stamp(build_dir)
    return stamp is not None and stamp[0] == key and set(targets) <= stamp[1]


def _copy_build(src, dst):
    """src over dst, every file stamped now: make sees outputs newer than the
    worktree's freshly checked-out sources, so it would not build them again."""
    shutil.copytree(src, dst, symlinks=True, copy_function=shutil.copy, dirs_exist_ok=True)
    now = time.time()
    for top, dirs, files in os.walk(dst):
        for name in dirs + files:
            os.utime(os.path.join(top, name), (now, now), follow_symlinks=False)


def _cache_put(build_dir, entry):
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    _copy_build(build_dir, tmp)
    old = entry.with_name(f".{entry.name}.{os.getpid()}.old")
    if entry.exists():
        os.rename(entry, old)
    os.rename(tmp, entry)
    shutil.rmtree(old, ignore_errors=True)
    entries = sorted((e for e in entry.parent.iterdir() if not e.name.startswith(".")),
                     key=lambda e: e.stat().st_mtime, reverse=True)
    for stale in entries[CACHE_KEEP:]:
        shutil.rmtree(stale, ignore_errors=True)


def build_commit(commit, path, needs, log_path, repo=ROOT):
    """Make what a run boots in the worktree at path, or copy it from the build
    cache. Returns (error or "", {arch: built | cached | ready})."""
    how = {}
    for arch, targets in sorted(needs.items()):
        key = build_key(commit, arch, repo)
        build_dir = path / "build" / arch
        entry = BUILD_CACHE / f"{arch}-{key}"
        if _covers(build_dir, key, targets):
            how[arch] = "ready"
            continue
        if _covers(entry, key, targets):
            try:
                have = _stamp(build_dir)
                _copy_build(entry, build_dir)
                os.utime(entry)     # recently used: kept longest
                if have and have[0] == key:    # it had built other targets before
                    _write_stamp(build_dir, key, have[1] | _stamp(entry)[1])
                how[arch] = "cached"
                continue
            except OSError as e:   # another process replaced the entry meanwhile: build
                log.warning("build cache %s: %s", entry, e)
        have = _stamp(build_dir)
        cmd = ["make", "-j2", "--no-print-directory", f"ARCH={arch}", *sorted(targets)]
        status = _run(cmd, path, log_path, BUILD_TIMEOUT)
        if status != 0:
            return f"{' '.join(cmd[3:])}: status {status}; see {log_path}", how
        done = set(targets) | (have[1] if have and have[0] == key else set())
        _write_stamp(build_dir, key, done)
        BUILD_CACHE.mkdir(parents=True, exist_ok=True)
        try:
            _cache_put(build_dir, entry)
        except OSError as e:       # a full disk costs the next commit a build, no more
            log.warning("build cache %s not written: %s", entry, e)
        how[arch] = "built"
    return "", how


def _shown(path):
    try:
        return path.relative_to(ROOT)
    except ValueError:
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


def run_commit(commit, run_args, results, out=sys.stdout, repo=ROOT):
    """Build and run one commit in its worktree; its results land in `results`."""
    path = worktree(commit, repo)
    log_path = path / "build" / "history.log"
    needs = needed_builds(run_args, path)
    what = ", ".join(f"{arch} {'+'.join(sorted(t))}" for arch, t in sorted(needs.items()))
    print(f"farm: {commit[:12]}: building {what} in {_shown(path)} (log {_shown(log_path)})",
          file=out, flush=True)
    error, how = build_commit(commit, path, needs, log_path, repo)
    if error:
        return CommitRun(commit, "build-failed", error, how)
    print(f"farm: {commit[:12]}: build " + ", ".join(f"{a} {h}" for a, h in how.items())
          + " (cached: the same Makefile, kernel/ and rootfs/ were built before)"
          * ("cached" in how.values()), file=out, flush=True)
    print(f"farm: {commit[:12]}: running", file=out, flush=True)
    from farm.results import store_arg
    cmd = [PYTHON, "-m", "farm", "run", "--results", store_arg(results), *run_args]
    # The farm run's own table goes to our output, as for a plain `farm run`.
    try:
        proc = subprocess.run(cmd, cwd=path, stdin=subprocess.DEVNULL, timeout=4 * 3600)
    except subprocess.TimeoutExpired:
        return CommitRun(commit, "run-failed", "farm run did not end within 4 h", how)
    if proc.returncode not in (0, 1):
        return CommitRun(commit, "run-failed", f"farm run: status {proc.returncode}", how)
    return CommitRun(commit, "ran", "all passed" if proc.returncode == 0 else "some jobs failed",
                     how)


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


def write_dashboard(results, out=sys.stdout, repo=ROOT):
    """build/dashboard of this checkout, with commit subjects from `repo`."""
    try:
        from dashboards.render import generate
        index = generate(results, ROOT / "build" / "dashboard", repo)
        print(f"farm: dashboard: {index}", file=out, flush=True)
    except Exception as e:  # the runs are recorded; a page that fails is reported, not fatal
        log.warning("dashboard not written: %s", e)
