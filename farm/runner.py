"""`python3 -m farm run`: every board of the inventory at once, one worker each.

Why the farm's own scheduler and not pytest-xdist: a job belongs to a board
(its lock, its console, its power), not to whichever worker is free; infra
failures are retried on the same board; a hung job must be stopped and its
board powered off without stopping the other boards; and the progress line
per board needs the stage each board is in. xdist distributes tests, not
boards, and none of that comes with it. Here each board has a thread that runs
its jobs (one per kernel) one after another, each as a pytest session of its
own (`--board B --kernel K`, the same plugin and tests as a developer's
pytest), so a crash of one job cannot take another board's results with it.
"""

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from farm.boards import make_board
from farm.boards.netboot import lab_for_run
from farm.errors import InfraError
from farm.qemu import ROOT
from farm.results import job_outcome, open_store

log = logging.getLogger("farm.run")

PYTHON = "/usr/bin/python3"
DEFAULT_SUITES = ("tests/boot/test_boot.py",)


@dataclass
class Job:
    spec: object             # inventory.BoardSpec
    kernel: str
    attempt: int = 0
    job_id: int = None
    state: str = "queued"    # queued | running | done | skipped
    outcome: str = ""
    klass: str = ""
    reason: str = ""
    started: float = 0.0
    counts: dict = field(default_factory=dict)


@dataclass
class RunOptions:
    inventory: str
    boards: list
    kernels: tuple
    results: str
    suites: tuple = DEFAULT_SUITES
    retries: int = 2
    job_timeout: float = 1800.0
    lock_wait: float = 900.0
    pytest_args: tuple = ()


def add_job_options(parser):
    """The options of how jobs run, shared by `farm run` and `farm worker`."""
    parser.add_argument("--retries", type=int, default=2, help="retries of a job ending in infra")
    parser.add_argument("--job-timeout", type=float, default=1800, help="seconds before a job "
                        "is stopped and its board powered off")
    parser.add_argument("--lock-wait", type=float, default=900, help="seconds to wait for a "
                        "board another run holds")


class Runner:
    def __init__(self, inv, opts, out=sys.stdout):
        self.inv, self.opts, self.out = inv, opts, out
        self.store = open_store(opts.results)
        self.jobs = []
        for spec in inv.select(opts.boards):
            for kernel in opts.kernels:
                ok, why = spec.can_boot(kernel)
                job = Job(spec, kernel)
                if not ok:
                    job.state, job.outcome, job.reason = "skipped", "skipped", why
                self.jobs.append(job)
        self.stop = threading.Event()

    # --- one job ----------------------------------------------------------------

    def _pytest_argv(self, job, status_file, junit):
        o = self.opts
        # The plugin by -p, not only through tests/conftest.py: its options
        # must be known before pytest looks at the paths in them.
        return [PYTHON, "-m", "pytest", "-p", "farm.pytest_plugin", "-p", "no:cacheprovider",
                "-q", "-rfEX", "--rootdir", str(ROOT), "--inventory", str(self.inv.path), "--board", job.spec.name,
                "--kernel", job.kernel, "--results", self.store.url,
                "--farm-job", str(job.job_id), "--farm-status", str(status_file),
                "--farm-parent", str(os.getpid()),
                "--logs", str(self.run_dir / "logs"), "--lock-wait", str(o.lock_wait),
                "--junitxml", str(junit), *o.pytest_args, *o.suites]

    def _run_once(self, job):
        tag = f"{job.spec.name}-{job.kernel}-{job.attempt}"
        status_file = self.run_dir / f"{job.spec.name}.status"
        junit = self.run_dir / f"{tag}.junit.xml"
        job.job_id = self.store.new_job(self.run_id, job.spec, job.kernel, job.attempt,
                                        log_dir=self.run_dir / "logs", junit=junit)
        job.started = time.time()
        out_path = self.run_dir / f"{tag}.pytest.log"
        with open(out_path, "w") as out:
            proc = subprocess.Popen(self._pytest_argv(job, status_file, junit), cwd=ROOT,
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            hung = False
            try:
                proc.wait(timeout=self.opts.job_timeout)
            except subprocess.TimeoutExpired:
                hung = True
            finally:
                _stop(proc)
        tests = self.store.tests(job.job_id)
        outcome, klass, reason = job_outcome(tests)
        if hung:
            outcome, klass = "errored", "timeout"
            reason = f"the job did not end within {self.opts.job_timeout:.0f} s: stopped"
            self._power_off(job)
        elif not tests and proc.returncode not in (0, 5):
            tail = out_path.read_text(errors="replace").strip().splitlines()[-5:]
            outcome, klass, reason = "errored", "infra", \
                f"pytest ended with status {proc.returncode}: " + " | ".join(tail)
        elif not tests:
            outcome, klass, reason = "errored", "infra", "no test ran (see the pytest log)"
        job.outcome, job.klass, job.reason = outcome, klass, reason
        job.counts = {}
        for t in tests:
            job.counts[t["outcome"]] = job.counts.get(t["outcome"], 0) + 1
        self.store.finish_job(job.job_id, outcome, klass, reason)

    def _power_off(self, job):
        """A hung board never hangs the run: cut its power and move on."""
        try:
            make_board(job.spec).power.off()
        except InfraError as e:
            log.warning("%s: power off after a hung job failed: %s", job.spec.name, e)

    def _worker(self, jobs):
        for job in jobs:
            if job.state == "skipped" or self.stop.is_set():
                continue
            job.state = "running"
            for attempt in range(1, self.opts.retries + 2):
                job.attempt = attempt
                self._run_once(job)
                if job.klass != "infra" or self.stop.is_set():
                    break
            job.state = "done"

    # --- the run ------------------------------------------------------------------

    def run(self, argv=()):
        self.run_id = self.store.new_run(argv=["farm", "run", *argv])
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.run_dir = ROOT / "build" / "farm" / f"{stamp}-run{self.run_id}"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        print(f"farm: run {self.run_id}: {len(self.jobs)} jobs on "
              f"{len({j.spec.name for j in self.jobs})} boards; logs in "
              f"{self.run_dir.relative_to(ROOT)}", file=self.out, flush=True)
        by_board = {}
        for job in self.jobs:
            by_board.setdefault(job.spec.name, []).append(job)
        threads = [threading.Thread(target=self._worker, args=(jobs,), name=name, daemon=True)
                   for name, jobs in by_board.items()]
        progress = Progress(self, by_board)
        # One lab network serves every netboot board of the run, as in a lab.
        with lab_for_run([j.spec for j in self.jobs if j.state != "skipped"]) as lab:
            if lab is not None:
                print(f"farm: lab network {lab.ns} (dnsmasq on {lab.http_base[7:]}) for the "
                      f"netboot boards", file=self.out, flush=True)
            for t in threads:
                t.start()
            try:
                while any(t.is_alive() for t in threads):
                    progress.show()
                    time.sleep(1)
            except KeyboardInterrupt:
                self.stop.set()
                print("\nfarm: interrupted: stopping the running jobs", file=self.out, flush=True)
                raise
            finally:
                progress.show(final=True)
                self.store.finish_run(self.run_id)
        self.write_junit()
        print(self.table(), file=self.out, flush=True)
        return 0 if all(j.outcome in ("passed", "skipped") for j in self.jobs) and \
            any(j.outcome == "passed" for j in self.jobs) else 1

    def table(self):
        rows = [("board", "firmware", "kernel", "outcome", "class", "tries", "tests", "reason")]
        for j in self.jobs:
            counts = " ".join(f"{n} {k}" for k, n in sorted(j.counts.items()))
            firmware = j.spec.firmware + (" netboot" if j.spec.boot == "netboot" else "")
            rows.append((j.spec.name, firmware, j.kernel, j.outcome.upper(), j.klass,
                         str(j.attempt or "-"), counts, j.reason.split("\n")[0][:80]))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(lines)

    def write_junit(self):
        """One junit file for the run, every job a testsuite: from the store,
        so it holds exactly what `farm results` shows."""
        suites = ET.Element("testsuites", name=f"farm run {self.run_id}")
        for job in self.store.jobs(self.run_id):
            tests = self.store.tests(job["id"])
            suite = ET.SubElement(suites, "testsuite",
                                  name=f"{job['board']}/{job['kernel']}#{job['attempt']}",
                                  tests=str(len(tests)))
            for t in tests:
                case = ET.SubElement(suite, "testcase", classname=f"{job['board']}.{job['kernel']}",
                                     name=t["name"], time=f"{t['duration']:.3f}")
                if t["outcome"] in ("failed", "error"):
                    tag = "failure" if t["class"] in ("fail", "timeout", "panic") else "error"
                    ET.SubElement(case, tag, type=t["class"], message=t["reason"][:500])
                elif t["outcome"] in ("skipped", "xfailed"):
                    ET.SubElement(case, "skipped", message=f"{t['outcome']}: {t['reason'][:500]}")
                ET.SubElement(case, "system-out").text = f"console log: {t['log']}"
        path = self.run_dir / "junit.xml"
        ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
        return path


def _stop(proc):
    """SIGTERM (the plugin unwinds and powers off), then SIGKILL, the job's group."""
    for sig, grace in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue


class Progress:
    """A line per board: its job, the stage it waits for, for how long."""

    def __init__(self, runner, by_board):
        self.runner, self.by_board = runner, by_board
        self.tty = runner.out.isatty()
        self.drawn = 0
        self.last = {}

    def line(self, board, jobs):
        job = next((j for j in jobs if j.state == "running"), None)
        if job is None:
            done = [f"{j.kernel} {j.outcome}" for j in jobs if j.outcome]
            return f"{board:16} {'done' if all(j.state in ('done', 'skipped') for j in jobs) else 'queued'}: " \
                   + ", ".join(done)
        status = {}
        try:
            status = json.loads((self.runner.run_dir / f"{board}.status").read_text())
        except (OSError, ValueError):
            pass
        if status.get("kernel") != job.kernel or status.get("t", 0) < job.started:
            status = {}
        what = "starting"
        if status.get("stage"):
            verb = "waiting for" if status.get("state") == "waiting" else "reached"
            what = f"{verb} {status['stage']}"
        elif status.get("result"):
            what = f"{status.get('test', '')}: {status['result']}"
        since = status.get("since") or job.started or time.time()
        attempt = f" (attempt {job.attempt})" if job.attempt > 1 else ""
        return f"{board:16} {job.kernel:6}{attempt} {what}, {time.time() - since:4.0f} s"

    def show(self, final=False):
        lines = [self.line(b, jobs) for b, jobs in self.by_board.items()]
        out = self.runner.out
        if self.tty:
            if self.drawn:
                out.write(f"\x1b[{self.drawn}F")
            for ln in lines:
                out.write("\x1b[2K" + ln + "\n")
            self.drawn = len(lines)
        else:
            # Not a terminal (CI logs): a line only when a board's state changes.
            for b, ln in zip(self.by_board, lines):
                key = ln.rsplit(",", 1)[0]
                if self.last.get(b) != key or final:
                    if self.last.get(b) != key:
                        out.write(ln + "\n")
                    self.last[b] = key
        out.flush()
