"""`farm submit`, `farm worker`, `farm queue`: one lab across several hosts.

    python3 -m farm submit --results postgresql://... --commit X --kernel K [--tag T] [--board B]
    python3 -m farm worker --results postgresql://... --inventory lab-host-a.yaml [--until-empty]
    python3 -m farm queue  --results postgresql://...

`submit` puts jobs into the PostgreSQL store's queue (farm/store_pg.py): a
commit, a kernel, and what board they need (arch, board name, tags). A worker
runs on each lab host with that host's own inventory; a thread per board
claims the oldest queued job that board can run, runs it exactly as `farm
run` runs a job (farm/runner.py: a pytest session for the board and kernel,
infra retries, job timeout; results into the same store), and closes the
queue entry. A lab grows by adding a host with its inventory and a worker,
not code.

Which commit runs: a worker runs the checkout it is in; it does not check
out or build other commits (a lab host's checkout and builds are its
operator's, and `farm run --commits` already builds commits in worktrees).
So by default a worker claims only jobs that asked for its checkout's HEAD
(or a prefix of it); jobs for other commits stay queued for a host that has
them, and the worker says so when it finds nothing else. It does not mark
them refused: another host, at that commit, may be about to take them. With
`--any-commit` it claims them anyway. Either way the queue entry records the
commit requested and the commit that ran (and whether the checkout had
uncommitted changes), and the store's run row has the commit that ran.

A worker that dies mid-job (SIGKILL, its host loses power) stops renewing its
claim's lease; once the lease expires the next worker whose boards fit takes
the job over (see store_pg.py for why a lease rather than a transaction).
Ctrl-C (or SIGTERM) once: no new claims, the running jobs finish; twice: the
worker leaves at once and its running jobs are taken over after their lease.
"""

import logging
import os
import signal
import socket
import sys
import threading

from farm import inventory
from farm.errors import FarmError
from farm.qemu import ARCHES, KERNELS, ROOT
from farm.results import git_info, is_postgres, open_store
from farm.runner import add_job_options

log = logging.getLogger("farm.worker")


def pg_store(url, command, readonly=False):
    if not url or not is_postgres(url):
        raise FarmError(f"farm {command}: the job queue lives in a PostgreSQL store: give "
                        f"--results postgresql://USER@HOST/DB (or set FARM_RESULTS); got "
                        f"{url or 'none'}")
    return open_store(url, readonly=readonly)


def resolve_commit(commit):
    """A full hash when this checkout knows the commit, else the hex prefix as
    given (the lab hosts may have it when the submitter does not)."""
    from farm.history import git
    try:
        return git("rev-parse", "--verify", f"{commit}^{{commit}}", cwd=ROOT)
    except FarmError as e:
        if len(commit) >= 7 and all(c in "0123456789abcdef" for c in commit.lower()):
            return commit.lower()
        raise FarmError(f"--commit {commit}: not a commit of this checkout and not a hash "
                        f"of 7 or more hex digits ({e})") from None


def cmd_submit(args, out=sys.stdout):
    from farm.runner import DEFAULT_SUITES
    store = pg_store(args.results, "submit")
    if args.arch and args.arch not in ARCHES:
        raise FarmError(f"--arch {args.arch}: expected one of {', '.join(ARCHES)}")
    commit = resolve_commit(args.commit)
    suites = args.suite or list(DEFAULT_SUITES)
    kernels = KERNELS if args.kernel == "all" else (args.kernel,)
    needs = ", ".join(filter(None, [args.arch and f"arch {args.arch}",
                                    args.board and f"board {args.board}",
                                    args.tag and f"tags {','.join(args.tag)}"])) or "any board"
    for kernel in kernels:
        job = store.submit(commit, kernel, args.arch, args.board, args.tag, suites)
        print(f"farm: queued job {job}: {kernel} at {commit[:12]} on {needs}: "
              f"{' '.join(suites)}", file=out, flush=True)
    return 0


def cmd_queue(args, out=sys.stdout):
    store = pg_store(args.results, "queue", readonly=True)
    rows = store.queue(states=args.state, limit=args.limit)
    if not rows:
        print("farm: the queue is empty", file=out)
        return 0
    for r in reversed(rows):
        needs = ",".join(filter(None, [r["arch"], r["board"] and f"board={r['board']}",
                                       *r["tags"]])) or "any"
        ran = ""
        if r["ran_commit"]:
            differs = not r["ran_commit"].startswith(r["commit_hash"])
            ran = f" ran {r['ran_commit'][:12]}{'+dirty' if r['ran_dirty'] else ''}" \
                  f"{' (not the one asked for)' if differs else ''}"
        where = f" on {r['ran_board']} by {r['claimed_by']}" if r["claimed_by"] else ""
        result = f"  {r['outcome']} {r['class'] or ''}".rstrip() if r["outcome"] else ""
        run = f"  run {r['run_id']}" if r["run_id"] else ""
        print(f"job {r['id']:<5} {r['state']:8} {r['kernel']:6} {r['commit_hash'][:12]:12} "
              f"needs {needs}{where}{ran}{result}{run}", file=out)
        if r["reason"] and r["outcome"] not in ("passed", None):
            print(f"          {r['reason'].splitlines()[0][:100]}", file=out)
    return 0


class _Prefixed:
    """An output stream whose every line starts with the board's name: the
    boards of a worker print at the same time."""

    def __init__(self, out, prefix, lock):
        self.out, self.prefix, self.lock = out, prefix, lock
        self.partial = ""

    def write(self, text):
        self.partial += text
        *lines, self.partial = self.partial.split("\n")
        if lines:
            with self.lock:
                for line in lines:
                    self.out.write(f"{self.prefix}{line}\n")
                self.out.flush()

    def flush(self):
        pass

    def isatty(self):
        return False


class Worker:
    def __init__(self, store, inv, boards, args, out=sys.stdout):
        self.store, self.inv, self.boards, self.args, self.out = store, inv, boards, args, out
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.git = git_info()
        self.commit = None if args.any_commit else self.git.commit
        if self.commit == "unknown":
            raise FarmError("farm worker: this is not a git checkout, so no job's commit can be "
                            "matched: run it in a checkout, or give --any-commit")
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.results = []        # (queue job, outcome) of the jobs this worker ran

    def say(self, text):
        with self.lock:
            print(f"farm: worker: {text}", file=self.out, flush=True)

    def run(self):
        at = "any commit" if self.commit is None else \
            f"commit {self.commit[:12]}{' (+uncommitted changes)' if self.git.dirty else ''}"
        self.say(f"{self.name}: boards {', '.join(b.name for b in self.boards)}; claiming jobs "
                 f"for {at}; {'until the queue is empty' if self.args.until_empty else 'polling'}")
        threads = [threading.Thread(target=self._board_loop, args=(spec,), name=spec.name,
                                    daemon=True) for spec in self.boards]
        for t in threads:
            t.start()
        interrupted = False
        while any(t.is_alive() for t in threads):
            try:
                for t in threads:
                    t.join(0.5)
            except KeyboardInterrupt:
                if interrupted:
                    self.say("leaving now: the running jobs' leases expire and other workers "
                             "take them over")
                    return 130
                interrupted = True
                self.stop.set()
                self.say("no new jobs; finishing the running ones (Ctrl-C again to leave now)")
        passed = all(outcome == "passed" for _, outcome in self.results)
        self.say(f"{len(self.results)} jobs run, "
                 f"{sum(o == 'passed' for _, o in self.results)} passed")
        return 130 if interrupted else (0 if passed else 1)

    def _board_loop(self, spec):
        a = self.args
        try:
            while not self.stop.is_set():
                claim = self.store.claim(spec, self.name, a.lease, commit=self.commit,
                                         max_claims=a.max_claims)
                if claim is None:
                    if a.until_empty:
                        self._report_left(spec)
                        return
                    self.stop.wait(a.poll)
                    continue
                self._run_claim(spec, claim)
        except FarmError as e:
            self.say(f"{spec.name}: stopped: {e}")
            self.results.append((None, "errored"))

    def _report_left(self, spec):
        if self.commit is None:
            return
        left = self.store.waiting_elsewhere(spec, self.commit)
        if left:
            self.say(f"{spec.name}: nothing left for this checkout; still queued for other "
                     f"commits: " + ", ".join(f"{c[:12]} ({n})" for c, n in left.items())
                     + ": run a worker in a checkout of that commit, or with --any-commit")

    def _run_claim(self, spec, claim):
        from farm.runner import DEFAULT_SUITES, Runner, RunOptions
        a = self.args
        self.say(f"{spec.name}: claimed job {claim.id} ({claim.kernel} at {claim.commit[:12]}"
                 f"{', claim ' + str(claim.claims) if claim.claims > 1 else ''})")
        opts = RunOptions(inventory=str(self.inv.path), boards=[spec.name],
                          kernels=(claim.kernel,), results=self.store.url,
                          suites=tuple(claim.suites or DEFAULT_SUITES), retries=a.retries,
                          job_timeout=a.job_timeout, lock_wait=a.lock_wait)
        runner = Runner(self.inv, opts, out=_Prefixed(self.out, f"[{spec.name}] ", self.lock))
        done = threading.Event()
        lost = threading.Event()

        def heartbeat():
            # Renewals also note the run and job once they exist, so a worker
            # that takes the job over can close the job row this one leaves.
            while not done.wait(claim.lease / 4):
                job = runner.jobs[0] if runner.jobs else None
                try:
                    if not self.store.renew(claim, getattr(runner, "run_id", None),
                                            job.job_id if job else None):
                        lost.set()
                        return
                except FarmError as e:
                    log.warning("%s: could not renew the lease of job %s: %s", spec.name,
                                claim.id, e)
        beat = threading.Thread(target=heartbeat, daemon=True, name=f"{spec.name}-lease")
        beat.start()
        try:
            runner.run(["--queue-job", str(claim.id), "--worker", self.name])
        except Exception as e:  # the job could not run at all: say so in the queue
            done.set()
            reason = f"the worker could not run it: {type(e).__name__}: {e}"
            self.store.finish(claim, "failed", "errored", "infra", reason,
                              self.git.commit, self.git.dirty, getattr(runner, "run_id", None))
            self.say(f"{spec.name}: job {claim.id} failed: {reason}")
            self.results.append((claim.id, "errored"))
            return
        finally:
            done.set()
        job = runner.jobs[0]
        ours = self.store.finish(claim, "done", job.outcome, job.klass, job.reason,
                                 self.git.commit, self.git.dirty, runner.run_id, job.job_id)
        if not ours or lost.is_set():
            self.say(f"{spec.name}: job {claim.id}: our lease had expired and another worker "
                     f"took the job over; this run's results are in run {runner.run_id}")
        self.say(f"{spec.name}: job {claim.id} done: {job.outcome}"
                 f"{' ' + job.klass if job.klass else ''} (run {runner.run_id})")
        self.results.append((claim.id, job.outcome))


def cmd_worker(args, out=sys.stdout):
    store = pg_store(args.results, "worker")
    inv = inventory.load(args.inventory)
    boards = inv.select(args.board, args.tag)
    if not boards:
        raise FarmError(f"{inv.path}: no board left after --board/--tag: nothing to work with")
    if args.lease < 4:
        raise FarmError(f"--lease {args.lease}: at least 4 seconds (it is renewed every lease/4)")
    # SIGTERM as Ctrl-C: a service manager stopping the worker lets jobs finish.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    return Worker(store, inv, boards, args, out).run()


def add_parsers(sub):
    """The subcommands' options (farm/__main__.py)."""
    s = sub.add_parser("submit", help="queue jobs for the lab's workers (PostgreSQL store)")
    s.add_argument("--results", default=os.environ.get("FARM_RESULTS"),
                   help="postgresql://... (default $FARM_RESULTS)")
    s.add_argument("--commit", default="HEAD",
                   help="the commit to run (a name this checkout knows, or a hash; default HEAD)")
    s.add_argument("--kernel", required=True, choices=("all",) + KERNELS)
    s.add_argument("--arch", default="", help="only boards of this arch")
    s.add_argument("--board", default="", help="only the board of this name")
    s.add_argument("--tag", action="append", default=[],
                   help="only boards with this tag (repeatable: every tag)")
    s.add_argument("--suite", action="append", default=[],
                   help="test file or directory, relative to the checkout (repeatable; "
                        "default tests/boot/test_boot.py)")
    s.set_defaults(func=cmd_submit)

    w = sub.add_parser("worker", help="run the queued jobs this host's boards can run")
    w.add_argument("--results", default=os.environ.get("FARM_RESULTS"),
                   help="postgresql://... (default $FARM_RESULTS)")
    w.add_argument("--inventory", default=None,
                   help="this host's boards (default farm/boards.yaml)")
    w.add_argument("--board", action="append", default=[], help="only this board (repeatable)")
    w.add_argument("--tag", action="append", default=[], help="only boards with this tag")
    w.add_argument("--until-empty", action="store_true",
                   help="exit when no queued job fits a board (default: keep polling)")
    w.add_argument("--poll", type=float, default=10, help="seconds between looks at an empty queue")
    w.add_argument("--any-commit", action="store_true",
                   help="also claim jobs for other commits than this checkout's HEAD (they run "
                        "this checkout; the queue records both commits)")
    w.add_argument("--lease", type=float, default=300,
                   help="seconds a claim lasts without renewal; a dead worker's job is taken "
                        "over after it (default 300; renewed every lease/4)")
    w.add_argument("--max-claims", type=int, default=3,
                   help="a job whose workers died this many times is marked failed")
    add_job_options(w)
    w.set_defaults(func=cmd_worker)

    q = sub.add_parser("queue", help="list the job queue (PostgreSQL store)")
    q.add_argument("--results", default=os.environ.get("FARM_RESULTS"),
                   help="postgresql://... (default $FARM_RESULTS)")
    q.add_argument("--state", action="append", default=[], choices=("queued", "running",
                   "done", "failed"), help="only entries in this state (repeatable)")
    q.add_argument("--limit", type=int, default=50, help="the last N entries (default 50)")
    q.set_defaults(func=cmd_queue)
