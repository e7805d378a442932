"""The results store seen per commit: what the dashboard pages show.

The store (farm/results.py) records runs, jobs and tests as they happen; a
commit may have been run many times, a job retried after an infra failure.
Here every commit gets one *cell* per (test, board, kernel): the latest
result reported for it on that commit. A test's name loses its pytest
parameter id (`[qemu-x86_64-linux]`), because the board and kernel are the
matrix's columns, not part of what the test is.

The store, SQLite or PostgreSQL, is read through farm.results' reading
interface (`open_store(url, readonly=True).query(sql)`), opened read-only:
generating a dashboard never takes a write lock that a running farm would
wait on.
"""

import json
import subprocess
from dataclasses import dataclass, field

PASS = ("passed", "xpassed")
FAIL = ("failed", "error")
KERNEL_ORDER = {"kevlar": 0, "linux": 1}


@dataclass
class Cell:
    """One test's latest result on one (board, kernel) at one commit."""
    test_id: int
    test: str
    board: str
    kernel: str
    arch: str
    outcome: str
    klass: str
    stage: str
    reason: str
    duration: float
    stages: dict
    log: str
    run_id: int
    finished: float

    @property
    def passed(self):
        return self.outcome in PASS

    @property
    def failed(self):
        return self.outcome in FAIL

    @property
    def status(self):
        """What the cell's colour says: pass, fail, xfail or skip."""
        if self.passed:
            return "pass"
        if self.failed:
            return "fail"
        return "xfail" if self.outcome == "xfailed" else "skip"


@dataclass
class Commit:
    hash: str
    subject: str = ""
    date: float = 0.0          # the commit's date, or its first run's start
    branch: str = ""
    dirty: bool = False        # some run had uncommitted changes on top
    runs: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)   # (test, board, kernel) -> Cell
    previous: "Commit" = None

    @property
    def short(self):
        return self.hash[:12]

    def columns(self):
        """(board, kernel) pairs, Kevlar next to Linux for each board."""
        cols = {(c.board, c.kernel) for c in self.cells.values()}
        return sorted(cols, key=lambda bk: (bk[0], KERNEL_ORDER.get(bk[1], 9), bk[1]))

    def tests(self):
        return sorted({c.test for c in self.cells.values()})

    def counts(self, board, kernel):
        out = {"pass": 0, "fail": 0, "xfail": 0, "skip": 0}
        for c in self.cells.values():
            if (c.board, c.kernel) == (board, kernel):
                out[c.status] += 1
        return out

    def boot_to_login(self, board, kernel):
        """Seconds from power-on to the login prompt, from the latest test of
        this commit that saw it (the boot suite's stages have "login")."""
        seen = [c for c in self.cells.values()
                if (c.board, c.kernel) == (board, kernel) and "login" in c.stages]
        if not seen:
            return None
        return max(seen, key=lambda c: c.test_id).stages["login"]

    def boot_stages(self, board, kernel):
        seen = [c for c in self.cells.values()
                if (c.board, c.kernel) == (board, kernel) and "login" in c.stages]
        return max(seen, key=lambda c: c.test_id).stages if seen else {}

    def changes(self):
        """(regressions, fixes) against the previous commit of the branch: a
        test on the same board and kernel that passed there and fails here,
        and the other way round."""
        regressions, fixes = [], []
        if self.previous is None:
            return regressions, fixes
        for key, now in sorted(self.cells.items()):
            before = self.previous.cells.get(key)
            if before is None:
                continue
            if before.passed and now.failed:
                regressions.append((before, now))
            elif before.failed and now.passed:
                fixes.append((before, now))
        return regressions, fixes

    def linux_only(self):
        """Tests that pass on Linux and fail on Kevlar on the same board."""
        out = []
        for (test, board, kernel), cell in sorted(self.cells.items()):
            if kernel != "kevlar" or not cell.failed:
                continue
            ref = self.cells.get((test, board, "linux"))
            if ref is not None and ref.passed:
                out.append((cell, ref))
        return out


@dataclass
class Bisection:
    test: str
    good: str
    bad: str
    first_bad: str
    steps: list
    finished: float


def base_name(name, board, kernel):
    """test_x[qemu-x86_64-linux] -> test_x; test_y[a-qemu-x86_64-linux] -> test_y[a]."""
    tail = f"{board}-{kernel}"
    if name.endswith(f"[{tail}]"):
        return name[: -len(tail) - 2]
    if name.endswith(f"-{tail}]"):
        return name[: -len(tail) - 2] + "]"
    return name


def git_commit_info(hashes, repo):
    """hash -> (subject, commit date) for the commits git knows."""
    info = {}
    for h in hashes:
        if not h or h == "unknown":
            continue
        try:
            out = subprocess.run(["git", "show", "-s", "--format=%ct%x00%s", h], cwd=repo,
                                 capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and "\0" in out.stdout:
            date, subject = out.stdout.strip().split("\0", 1)
            info[h] = (subject, float(date))
    return info


def load(store_url, repo=None):
    """Commits newest first, each with its cells and its previous commit;
    store_url: a SQLite path or postgresql://... (farm/results.py)."""
    from farm.results import open_store
    store = open_store(store_url, readonly=True)
    runs = store.query("SELECT * FROM run ORDER BY id")
    rows = store.query("SELECT t.*, j.board, j.kernel, j.arch, j.run_id FROM test t "
                       "JOIN job j ON t.job_id = j.id ORDER BY t.id")
    bisections = _bisections(store)
    info = git_commit_info({r["commit_hash"] for r in runs}, repo) if repo else {}
    commits = {}
    run_commit = {}
    for r in runs:
        h = r["commit_hash"] or "unknown"
        c = commits.get(h)
        if c is None:
            subject, date = info.get(h, ("", r["started"] or 0.0))
            c = commits[h] = Commit(h, subject, date, r["branch"] or "")
        c.runs.append(r)
        c.dirty = c.dirty or bool(r["dirty"])
        run_commit[r["id"]] = c
    for t in rows:
        c = run_commit.get(t["run_id"])
        if c is None:
            continue
        name = base_name(t["name"], t["board"], t["kernel"])
        c.cells[(name, t["board"], t["kernel"])] = Cell(
            t["id"], name, t["board"], t["kernel"], t["arch"], t["outcome"] or "error",
            t["class"] or "", t["stage"] or "", t["reason"] or "", t["duration"] or 0.0,
            json.loads(t["stages"] or "{}"), t["log"] or "", t["run_id"], t["finished"] or 0.0)
    ordered = sorted(commits.values(), key=lambda c: (c.date, c.runs[0]["id"]))
    last_of_branch = {}
    for c in ordered:
        c.previous = last_of_branch.get(c.branch)
        last_of_branch[c.branch] = c
    return list(reversed(ordered)), bisections


def _bisections(store):
    # A store written before bisect existed has no such table.
    if not store.has_table("bisect"):
        return []
    return [Bisection(r["test"], r["good"], r["bad"], r["first_bad"] or "",
                      json.loads(r["steps"] or "[]"), r["finished"] or 0.0)
            for r in store.query("SELECT * FROM bisect ORDER BY id DESC")]
