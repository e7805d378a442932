"""The results store: every run, job and test result, committed as it happens.

SQLite (build/results.db) by default. Each result is its own transaction,
committed before the farm moves on, with synchronous=FULL in WAL mode: a farm
killed with SIGKILL loses nothing it had already reported, and readers
(`python3 -m farm results`, the dashboards) never see half a row.

Schema:
  run   one `farm run` or pytest session: commit, branch, dirty, host, started
  job   one board x kernel attempt within a run: arch, firmware, outcome,
        class (infra | panic | timeout | fail), attempt number, log directory
  test  one test of a job: outcome (passed, failed, error, skipped, xfailed,
        xpassed), class, stage it ended in, reason, duration, stage timings
        (JSON: stage -> seconds since power-on), console log path
"""

import json
import os
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from farm.errors import FarmError
from farm.qemu import ROOT

DEFAULT_STORE = ROOT / "build" / "results.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY, commit_hash TEXT, branch TEXT, dirty INTEGER, host TEXT,
    argv TEXT, started REAL, finished REAL);
CREATE TABLE IF NOT EXISTS job (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES run(id), board TEXT,
    kernel TEXT, arch TEXT, firmware TEXT, attempt INTEGER, started REAL, finished REAL,
    outcome TEXT, class TEXT, reason TEXT, log_dir TEXT, junit TEXT);
CREATE TABLE IF NOT EXISTS test (
    id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL REFERENCES job(id), name TEXT,
    outcome TEXT, class TEXT, stage TEXT, reason TEXT, duration REAL, stages TEXT,
    log TEXT, finished REAL);
CREATE INDEX IF NOT EXISTS job_run ON job(run_id);
CREATE INDEX IF NOT EXISTS test_job ON test(job_id);
CREATE INDEX IF NOT EXISTS run_commit ON run(commit_hash);
"""


@dataclass
class GitInfo:
    commit: str = "unknown"
    branch: str = "unknown"
    dirty: bool = False


def git_info(cwd=ROOT):
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    return GitInfo(git("rev-parse", "HEAD") or "unknown",
                   git("rev-parse", "--abbrev-ref", "HEAD") or "unknown",
                   bool(git("status", "--porcelain", "--untracked-files=no")))


def open_store(url=None):
    """A store from --results: a path or sqlite:///path (PostgreSQL: not yet)."""
    url = str(url or DEFAULT_STORE)
    if url.startswith(("postgresql://", "postgres://")):
        raise FarmError("--results postgresql://: the PostgreSQL store is not written yet; "
                        "use a SQLite file (the default is build/results.db)")
    if url.startswith("sqlite://"):
        url = url[len("sqlite://"):]
    return SqliteStore(Path(url))


class SqliteStore:
    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self):
        # A connection per operation: safe from any thread and any process,
        # and nothing stays uncommitted between results.
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        return _Closing(db)

    def _insert(self, table, **row):
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))
            db.execute("COMMIT")
            return cur.lastrowid

    def _update(self, table, rowid, **row):
        sets = ", ".join(f"{k} = ?" for k in row)
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*row.values(), rowid))
            db.execute("COMMIT")

    # --- writing --------------------------------------------------------------

    def new_run(self, git=None, argv=()):
        git = git or git_info()
        return self._insert("run", commit_hash=git.commit, branch=git.branch, dirty=int(git.dirty),
                            host=socket.gethostname(), argv=" ".join(argv), started=time.time())

    def finish_run(self, run_id):
        self._update("run", run_id, finished=time.time())

    def new_job(self, run_id, board, kernel, attempt=1, log_dir="", junit=""):
        return self._insert("job", run_id=run_id, board=board.name, kernel=kernel,
                            arch=board.arch, firmware=board.firmware, attempt=attempt,
                            started=time.time(), outcome="running", log_dir=str(log_dir),
                            junit=str(junit))

    def finish_job(self, job_id, outcome, klass="", reason=""):
        self._update("job", job_id, finished=time.time(), outcome=outcome, **{"class": klass},
                     reason=reason)

    def add_test(self, job_id, name, outcome, klass="", stage="", reason="", duration=0.0,
                 stages=None, log=""):
        return self._insert("test", job_id=job_id, name=name, outcome=outcome,
                            **{"class": klass}, stage=stage, reason=reason[:2000],
                            duration=round(duration, 3), stages=json.dumps(stages or {}),
                            log=str(log), finished=time.time())

    # --- reading --------------------------------------------------------------

    def runs(self, commit=None, limit=20):
        q, args = "SELECT * FROM run", ()
        if commit:
            q, args = q + " WHERE commit_hash LIKE ?", (commit + "%",)
        with self._connect() as db:
            return [dict(r) for r in db.execute(q + " ORDER BY id DESC LIMIT ?", (*args, limit))]

    def jobs(self, run_id):
        with self._connect() as db:
            return [dict(r) for r in db.execute("SELECT * FROM job WHERE run_id = ? ORDER BY id",
                                                (run_id,))]

    def tests(self, job_id):
        with self._connect() as db:
            rows = [dict(r) for r in db.execute("SELECT * FROM test WHERE job_id = ? ORDER BY id",
                                                (job_id,))]
        for r in rows:
            r["stages"] = json.loads(r["stages"] or "{}")
        return rows


class _Closing:
    """`with` a connection that also closes it (sqlite3's own only commits)."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()


def job_outcome(tests):
    """A job's outcome from its tests: passed only when every test passed
    (an expected failure that passed, XPASS, counts: the kernel did it) or was
    skipped; else the worst failure class among them decides."""
    bad = [t for t in tests if t["outcome"] not in ("passed", "xpassed", "skipped")]
    if not tests:
        return "error", "infra", "no test reported a result"
    if not bad:
        return "passed", "", ""
    order = {"infra": 0, "panic": 1, "timeout": 2, "fail": 3, "": 4}
    worst = min(bad, key=lambda t: order.get(t["class"] or "", 4))
    outcome = "xfailed" if all(t["outcome"] == "xfailed" for t in bad) else "failed"
    if any(t["outcome"] == "error" for t in bad):
        outcome = "errored"
    return outcome, worst["class"] or "fail", f"{worst['name']}: {worst['reason']}"


def env_job_id():
    value = os.environ.get("FARM_JOB_ID")
    return int(value) if value else None
