"""The results store: every run, job and test result, committed as it happens.

Two backends behind one interface (`open_store(url)`):
  SQLite      build/results.db by default, or any path / sqlite:///path: one
              lab host. Each result is its own transaction, committed before
              the farm moves on, with synchronous=FULL in WAL mode.
  PostgreSQL  --results postgresql://user@host/db (farm/store_pg.py): several
              lab hosts sharing one store, and the job queue of `farm submit`
              and `farm worker`.
Either way a farm killed with SIGKILL loses nothing it had already reported,
and readers (`python3 -m farm results`, the dashboards, bisect) never see
half a row. Without --results, $FARM_RESULTS is the store when set (so `make
farm` and `make dashboard` can use a shared store), else build/results.db.

Schema (the same tables on both backends):
  run     one `farm run` or pytest session: commit, branch, dirty, host, started
  job     one board x kernel attempt within a run: arch, firmware, outcome,
          class (infra | panic | timeout | fail), attempt number, log directory
  test    one test of a job: outcome (passed, failed, error, skipped, xfailed,
          xpassed), class, stage it ended in, reason, duration, stage timings
          (JSON: stage -> seconds since power-on), console log path
  bisect  one `farm bisect`: the test, the range, the first bad commit, steps

Readers go through `Store.query(sql, args)`: SQL written once with `?`
placeholders, each backend turning them into its own (`_sql`), rows as dicts.
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

# {pk}, {ref} and {real} are each backend's spelling of an id column, a
# reference to one and a float: the tables themselves are written once.
SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id {pk}, commit_hash TEXT, branch TEXT, dirty INTEGER, host TEXT,
    argv TEXT, started {real}, finished {real});
CREATE TABLE IF NOT EXISTS job (
    id {pk}, run_id {ref} NOT NULL REFERENCES run(id), board TEXT,
    kernel TEXT, arch TEXT, firmware TEXT, attempt INTEGER, started {real}, finished {real},
    outcome TEXT, class TEXT, reason TEXT, log_dir TEXT, junit TEXT);
CREATE TABLE IF NOT EXISTS test (
    id {pk}, job_id {ref} NOT NULL REFERENCES job(id), name TEXT,
    outcome TEXT, class TEXT, stage TEXT, reason TEXT, duration {real}, stages TEXT,
    log TEXT, finished {real});
CREATE TABLE IF NOT EXISTS bisect (
    id {pk}, test TEXT, board TEXT, kernel TEXT, good TEXT, bad TEXT,
    first_bad TEXT, steps TEXT, started {real}, finished {real});
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


def is_postgres(url):
    return str(url).startswith(("postgresql://", "postgres://"))


def default_store():
    """--results when none is given: $FARM_RESULTS, else build/results.db."""
    return os.environ.get("FARM_RESULTS") or str(DEFAULT_STORE)


def store_arg(url=None):
    """The store as an argument for a process with another working directory
    (a worktree's farm run): paths made absolute, URLs as they are."""
    url = str(url or default_store())
    if is_postgres(url):
        return url
    if url.startswith("sqlite://"):
        url = url[len("sqlite://"):]
    return str(Path(url).resolve())


def open_store(url=None, readonly=False):
    """A store from --results: a path, sqlite:///path or postgresql://...

    readonly: for readers (dashboards, bisect, `farm results`): no schema is
    created, no write lock is ever taken, and a missing SQLite file is an
    error instead of a new empty store."""
    url = str(url or default_store())
    if is_postgres(url):
        from farm.store_pg import PgStore
        return PgStore(url, readonly=readonly)
    if url.startswith("sqlite://"):
        url = url[len("sqlite://"):]
    return SqliteStore(Path(url), readonly=readonly)


class Store:
    """What both backends share: the writes and reads of the farm, in SQL
    written once with `?` placeholders. A backend gives `_connect()` (a
    context manager: a connection, closed and never left mid-transaction),
    `_sql()` (placeholders), `_write()` (one committed statement) and
    `has_table()`."""

    url = ""

    def _sql(self, sql):
        return sql

    def query(self, sql, args=()):
        """Rows of a SELECT (`?` placeholders) as dicts: the readers' interface."""
        with self._connect() as db:
            cur = db.cursor()
            cur.execute(self._sql(sql), tuple(args))
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    def _insert(self, table, **row):
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return self._write(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()),
                           returning_id=True)

    def _update(self, table, rowid, **row):
        sets = ", ".join(f"{k} = ?" for k in row)
        self._write(f"UPDATE {table} SET {sets} WHERE id = ?", (*row.values(), rowid))

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

    def add_bisect(self, test, board, kernel, good, bad, first_bad, steps, started):
        return self._insert("bisect", test=test, board=board, kernel=kernel, good=good, bad=bad,
                            first_bad=first_bad, steps=json.dumps(steps), started=started,
                            finished=time.time())

    # --- reading --------------------------------------------------------------

    def runs(self, commit=None, limit=20, run_id=None):
        q, args = "SELECT * FROM run", ()
        if run_id is not None:
            q, args = q + " WHERE id = ?", (run_id,)
        elif commit:
            q, args = q + " WHERE commit_hash LIKE ?", (commit + "%",)
        return self.query(q + " ORDER BY id DESC LIMIT ?", (*args, limit))

    def jobs(self, run_id):
        return self.query("SELECT * FROM job WHERE run_id = ? ORDER BY id", (run_id,))

    def tests(self, job_id):
        rows = self.query("SELECT * FROM test WHERE job_id = ? ORDER BY id", (job_id,))
        for r in rows:
            r["stages"] = json.loads(r["stages"] or "{}")
        return rows


class SqliteStore(Store):
    def __init__(self, path, readonly=False):
        self.path = Path(path)
        self.url = str(self.path)
        self.readonly = readonly
        if readonly:
            if not self.path.is_file():
                raise FarmError(f"no results store at {self.path}: run `make farm` first "
                                f"(or give --results)")
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA.format(pk="INTEGER PRIMARY KEY", ref="INTEGER", real="REAL"))

    def _connect(self):
        # A connection per operation: safe from any thread and any process,
        # and nothing stays uncommitted between results.
        if self.readonly:
            # mode=ro: a reader never takes a lock a running farm would wait on.
            db = sqlite3.connect(f"file:{self.path.resolve()}?mode=ro", uri=True, timeout=30)
            return _Closing(db)
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        return _Closing(db)

    def _write(self, sql, args, returning_id=False):
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute(sql, args)
            db.execute("COMMIT")
            return cur.lastrowid

    def has_table(self, name):
        return bool(self.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (name,)))


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
