"""The PostgreSQL results store: several lab hosts, one store, one job queue.

`--results postgresql://USER@HOST:PORT/DB` (or `postgresql:///DB?host=/socket/dir`
for a Unix socket; anything libpq takes, through Debian's python3-psycopg2).
The tables are those of farm/results.py (ids BIGSERIAL, times DOUBLE
PRECISION), created on first use; each result is its own committed
transaction, as in SQLite, so a killed farm loses nothing it had reported.

The queue (only here: it is what lets several hosts share the work):

  queue  a job asked for by `farm submit`: the commit requested, the kernel,
         what board it needs (arch, board name, tags), the suites; its state
         (queued | running | done | failed), who claimed it and until when
         (the lease), and once run: the commit that really ran, the run and
         job in the store, outcome, class and reason.

A worker claims a job with `SELECT ... FOR UPDATE SKIP LOCKED` restricted, in
SQL, to jobs one of its boards can run: two workers never claim the same row,
and a worker never even locks a row it could not run (a lock on it would make
another worker, which can, skip it and believe the queue empty).

Why a lease and not a claim inside an open transaction: a transaction held
for a whole job (minutes to an hour) dies with its connection, so a network
blip between a lab host and the store would hand a job that is still running
to another worker, and a host that loses power keeps its half-open connection,
and the job, until TCP keepalive gives up (two hours by default). A lease is
plain data: the worker renews it every lease/4 seconds while its job runs,
by the database's clock (no clock skew between hosts); when the worker dies
the renewals stop, and after the lease expires the next worker that can run
the job takes it over (the dead worker's job row in the store is closed as
`errored`/`infra`). Every claim has a token, so a worker that lost its lease
(it was stopped for longer than the lease) cannot mark a job that is now
another worker's. A job lost more than `max_claims` times is marked failed
rather than killing worker after worker.
"""

import json
import socket
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from farm.errors import FarmError
from farm.results import SCHEMA, Store

QUEUE_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (
    id BIGSERIAL PRIMARY KEY, commit_hash TEXT NOT NULL, kernel TEXT NOT NULL,
    arch TEXT NOT NULL DEFAULT '', board TEXT NOT NULL DEFAULT '',
    tags TEXT[] NOT NULL DEFAULT '{}', suites TEXT NOT NULL DEFAULT '[]',
    submitted DOUBLE PRECISION, submitted_by TEXT,
    state TEXT NOT NULL DEFAULT 'queued', claims INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT, claim_token TEXT, claimed DOUBLE PRECISION, lease_until DOUBLE PRECISION,
    ran_commit TEXT, ran_dirty INTEGER, ran_board TEXT, run_id BIGINT, job_id BIGINT,
    finished DOUBLE PRECISION, outcome TEXT, class TEXT, reason TEXT);
CREATE INDEX IF NOT EXISTS queue_state ON queue(state, id);
"""

# The database's clock, so leases mean the same on every lab host.
NOW = "EXTRACT(EPOCH FROM clock_timestamp())"
# Any number: serialises schema creation between hosts starting at once
# (concurrent CREATE TABLE IF NOT EXISTS can fail on the catalog's unique index).
SCHEMA_LOCK = 0x6b65766c

STATES = ("queued", "running", "done", "failed")


def safe_url(url):
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _psycopg2():
    try:
        import psycopg2
        import psycopg2.errors  # noqa: F401
    except ImportError:
        raise FarmError("--results postgresql://: psycopg2 is not installed: run `make deps` "
                        "(Debian's python3-psycopg2)") from None
    return psycopg2


@dataclass
class Claim:
    """A queue entry this worker holds: the row as claimed, and its token."""
    id: int
    commit: str
    kernel: str
    arch: str
    board: str
    tags: list
    suites: list
    token: str
    lease: float
    claims: int


class PgStore(Store):
    def __init__(self, url, readonly=False):
        self.url = url
        self.readonly = readonly
        self.pg = _psycopg2()
        if not readonly:
            with self._connect() as db:
                cur = db.cursor()
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                cur.execute(SCHEMA.format(pk="BIGSERIAL PRIMARY KEY", ref="BIGINT",
                                          real="DOUBLE PRECISION") + QUEUE_SCHEMA)

    def _sql(self, sql):
        # psycopg2 takes %s, and a literal % must be doubled.
        return sql.replace("%", "%%").replace("?", "%s")

    def _connect(self):
        return _Transaction(self)

    def _write(self, sql, args, returning_id=False):
        with self._connect() as db:
            cur = db.cursor()
            cur.execute(self._sql(sql + (" RETURNING id" if returning_id else "")), args)
            return cur.fetchone()[0] if returning_id else cur.rowcount

    def has_table(self, name):
        return bool(self.query("SELECT 1 FROM information_schema.tables WHERE table_name = ? "
                               "AND table_schema = current_schema()", (name,)))

    def query(self, sql, args=()):
        try:
            return super().query(sql, args)
        except self.pg.errors.UndefinedTable as e:
            raise FarmError(f"{safe_url(self.url)}: no farm results there yet "
                            f"({str(e).splitlines()[0]})") from None

    # --- the queue ------------------------------------------------------------

    def submit(self, commit, kernel, arch="", board="", tags=(), suites=()):
        return self._write("INSERT INTO queue (commit_hash, kernel, arch, board, tags, suites, "
                           f"submitted, submitted_by) VALUES (?, ?, ?, ?, ?, ?, {NOW}, ?)",
                           (commit, kernel, arch or "", board or "", list(tags),
                            json.dumps(list(suites)), socket.gethostname()), returning_id=True)

    def queue(self, states=(), limit=50):
        where, args = "", ()
        if states:
            where, args = " WHERE state = ANY(?)", (list(states),)
        rows = self.query(f"SELECT * FROM queue{where} ORDER BY id DESC LIMIT ?", (*args, limit))
        for r in rows:
            r["suites"] = json.loads(r["suites"] or "[]")
        return rows

    @staticmethod
    def _fits(spec, commit):
        """SQL (`q` is the queue row) and its arguments: the jobs board `spec`
        can run, and with `commit` only those that asked for that commit (a
        requested prefix of it)."""
        sql = ("q.kernel = ANY(?) AND (q.arch = '' OR q.arch = ?) "
               "AND (q.board = '' OR q.board = ?) AND q.tags <@ ?::text[]")
        args = [list(spec.kernels), spec.arch, spec.name, list(spec.tags)]
        if commit:
            sql += " AND left(?, length(q.commit_hash)) = q.commit_hash"
            args.append(commit)
        return sql, args

    def claim(self, spec, worker, lease, commit=None, max_claims=3):
        """The oldest job board `spec` can run that is queued, or whose lease
        expired (its worker died): now ours for `lease` seconds. None: none."""
        fits, args = self._fits(spec, commit)
        while True:
            with self._connect() as db:
                cur = db.cursor()
                cur.execute(self._sql(
                    f"SELECT * FROM queue q WHERE (q.state = 'queued' OR (q.state = 'running' "
                    f"AND q.lease_until < {NOW})) AND {fits} ORDER BY q.id LIMIT 1 "
                    f"FOR UPDATE SKIP LOCKED"), args)
                row = cur.fetchone()
                if row is None:
                    return None
                cols = [d[0] for d in cur.description]
                row = dict(zip(cols, row))
                if row["state"] == "running":
                    self._close_lost_job(cur, row)
                    if row["claims"] >= max_claims:
                        cur.execute(self._sql(
                            f"UPDATE queue SET state = 'failed', finished = {NOW}, "
                            f"outcome = 'errored', class = 'infra', reason = ? WHERE id = ?"),
                            (f"lost {row['claims']} times (its worker died or stopped renewing "
                             f"its lease; last {row['claimed_by']}): not tried again", row["id"]))
                        continue
                token = uuid.uuid4().hex
                cur.execute(self._sql(
                    f"UPDATE queue SET state = 'running', claims = claims + 1, claimed_by = ?, "
                    f"claim_token = ?, claimed = {NOW}, lease_until = {NOW} + ?, ran_board = ?, "
                    f"run_id = NULL, job_id = NULL WHERE id = ?"),
                    (worker, token, lease, spec.name, row["id"]))
                return Claim(row["id"], row["commit_hash"], row["kernel"], row["arch"],
                             row["board"], list(row["tags"]), json.loads(row["suites"] or "[]"),
                             token, lease, row["claims"] + 1)

    def _close_lost_job(self, cur, row):
        """The store's job of a worker that lost its claim: errored, infra."""
        if row["job_id"] is None:
            return
        cur.execute(self._sql("UPDATE job SET outcome = 'errored', class = 'infra', reason = ?, "
                              "finished = ? WHERE id = ? AND outcome = 'running'"),
                    (f"worker {row['claimed_by']} lost its claim on queue job {row['id']} "
                     f"(lease expired): taken over by another worker", time.time(),
                     row["job_id"]))

    def renew(self, claim, run_id=None, job_id=None):
        """Extend the lease (and note the run and job once they exist). False:
        the claim is no longer ours (the lease expired and another worker took
        the job)."""
        return self._write(
            f"UPDATE queue SET lease_until = {NOW} + ?, run_id = COALESCE(?, run_id), "
            f"job_id = COALESCE(?, job_id) WHERE id = ? AND claim_token = ? "
            f"AND state = 'running'", (claim.lease, run_id, job_id, claim.id, claim.token)) == 1

    def finish(self, claim, state, outcome="", klass="", reason="", ran_commit="", ran_dirty=False,
               run_id=None, job_id=None):
        """Close a claimed job; False when it was no longer ours."""
        assert state in ("done", "failed")
        return self._write(
            f"UPDATE queue SET state = ?, finished = {NOW}, outcome = ?, class = ?, reason = ?, "
            f"ran_commit = ?, ran_dirty = ?, run_id = COALESCE(?, run_id), "
            f"job_id = COALESCE(?, job_id), lease_until = NULL "
            f"WHERE id = ? AND claim_token = ? AND state = 'running'",
            (state, outcome, klass, reason[:2000], ran_commit, int(ran_dirty), run_id, job_id,
             claim.id, claim.token)) == 1

    def waiting_elsewhere(self, spec, commit):
        """Queued jobs board `spec` could run but for their commit: {commit: n}."""
        fits, args = self._fits(spec, None)
        rows = self.query(f"SELECT q.commit_hash, COUNT(*) AS n FROM queue q WHERE "
                          f"q.state = 'queued' AND {fits} AND NOT "
                          f"left(?, length(q.commit_hash)) = q.commit_hash "
                          f"GROUP BY q.commit_hash", (*args, commit))
        return {r["commit_hash"]: r["n"] for r in rows}


class _Transaction:
    """`with` one connection and one transaction: committed when the block
    ends normally, rolled back otherwise, and closed either way. A connection
    per operation, as for SQLite: any thread may write, and nothing is left
    uncommitted between results."""

    def __init__(self, store):
        self.store = store

    def __enter__(self):
        pg = self.store.pg
        try:
            self.db = pg.connect(self.store.url, connect_timeout=15,
                                 application_name="kevlar-farm")
        except pg.Error as e:
            raise FarmError(f"cannot connect to the results store {safe_url(self.store.url)}: "
                            f"{str(e).strip().splitlines()[0] if str(e).strip() else e!r}; "
                            f"is the server up? (pg_isready -d URL)") from None
        if self.store.readonly:
            self.db.set_session(readonly=True)
        return self.db

    def __exit__(self, exc_type, *exc):
        try:
            if exc_type is None:
                self.db.commit()
            else:
                self.db.rollback()
        finally:
            self.db.close()
