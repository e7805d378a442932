"""`python3 -m farm bisect --test T --good A --bad B`: the first bad commit.

A binary search over the commits after A up to B (oldest first). A commit's
verdict comes from the results store when it already holds a result for the
test on that board and kernel (a past `farm run --commits` or an earlier
bisection: nothing is rebuilt); otherwise the commit is built and run in its
worktree (farm/history.py) with only that test, and the store is asked again.
A commit that cannot be judged (its build failed, the test did not exist
then, it was skipped) is left out, as `git bisect skip` does.

The answer, with every step, goes into the store's `bisect` table, which the
dashboard shows on its index and on the first bad commit's page.
"""

import sys
import time
from pathlib import Path

from farm.errors import FarmError
from farm.history import commits_in, git, run_commit, write_dashboard
from farm.qemu import ROOT

GOOD, BAD, UNTESTABLE = "good", "bad", "untestable"


def split_test(test):
    """tests/boot/test_boot.py::test_x -> ("tests/boot/test_boot.py", "test_x")."""
    if "::" in test:
        path, name = test.split("::", 1)
        return path, name
    return None, test


def stored_verdict(store, commit, name, board, kernel):
    """GOOD, BAD, or None when the store has no result for the test there: the
    latest result of `name` (pytest id stripped) on that board and kernel."""
    from dashboards.model import FAIL, PASS, base_name
    from farm.results import open_store
    rows = open_store(store, readonly=True).query(
        "SELECT t.name, t.outcome, j.board, j.kernel FROM test t JOIN job j ON t.job_id = j.id "
        "JOIN run r ON j.run_id = r.id WHERE r.commit_hash = ? AND r.dirty = 0 "
        "AND (? = '' OR j.board = ?) AND j.kernel = ? ORDER BY t.id DESC",
        (commit, board, board, kernel))
    for r in rows:
        if base_name(r["name"], r["board"], r["kernel"]) != name:
            continue
        if r["outcome"] in PASS:
            return GOOD
        if r["outcome"] in FAIL:
            return BAD
        return UNTESTABLE
    return None


def search(commits, judge, out=sys.stdout):
    """The first bad commit of `commits` (oldest first; the last is known bad,
    the one before the first known good) by binary search: (hash, steps)."""
    candidates = list(commits)
    steps = []
    lo, hi = -1, len(candidates) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        verdict = judge(candidates[mid])
        steps.append({"commit": candidates[mid], "verdict": verdict})
        print(f"farm: bisect: {candidates[mid][:12]} is {verdict}", file=out, flush=True)
        if verdict == GOOD:
            lo = mid
        elif verdict == BAD:
            hi = mid
        else:
            del candidates[mid]
            hi -= 1
    return candidates[hi], steps


def record(store, test, board, kernel, good, bad, first_bad, steps, started):
    from farm.results import open_store
    open_store(store).add_bisect(test, board, kernel, good, bad, first_bad, steps, started)


def cmd_bisect(args, out=sys.stdout):
    from farm.results import default_store, open_store, store_arg
    store = store_arg(args.results or default_store())
    open_store(store)     # the tables exist before the first look for a verdict
    repo = Path(args.repo or ROOT)
    suite, name = split_test(args.test)
    good = git("rev-parse", "--verify", f"{args.good}^{{commit}}", cwd=repo)
    bad = git("rev-parse", "--verify", f"{args.bad}^{{commit}}", cwd=repo)
    commits = commits_in(f"{good}..{bad}", repo)
    if commits[-1] != bad:
        raise FarmError(f"--bad {args.bad} is not a descendant of --good {args.good}")
    board = args.board or ""
    started = time.time()

    def judge(commit):
        verdict = stored_verdict(store, commit, name, board, args.kernel)
        if verdict is not None:
            return verdict
        if args.no_build:
            return UNTESTABLE
        run_args = ["--kernel", args.kernel, f"--pytest-arg=-k", f"--pytest-arg={name}"]
        if board:
            run_args += ["--board", board]
        if suite:
            run_args += ["--suite", suite]
        r = run_commit(commit, run_args, store, out, repo=repo)
        if r.status != "ran":
            return UNTESTABLE
        return stored_verdict(store, commit, name, board, args.kernel) or UNTESTABLE

    print(f"farm: bisect: {name} on {board or 'any board'} {args.kernel}: "
          f"{len(commits)} commits after {good[:12]} up to {bad[:12]}", file=out, flush=True)
    first_bad, steps = search(commits, judge, out)
    record(store, name, board, args.kernel, good, bad, first_bad, steps, started)
    subject = git("show", "-s", "--format=%s", first_bad, cwd=repo)
    print(f"farm: bisect: first bad commit: {first_bad}  {subject}", file=out, flush=True)
    if not args.no_dashboard:
        write_dashboard(store, out, repo)
    return 0
