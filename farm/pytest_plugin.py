"""pytest plugin: the farm's boards as fixtures, results into the store.

Options
  --inventory FILE   the lab (default farm/boards.yaml)
  --board NAME       a board to run on (repeatable; default every board)
  --kernel K         kevlar, linux or all (default all)
  --results DB       the results store (default build/results.db; `none` to skip)
  --logs DIR         per-board, per-test console logs (default build/logs)
  --lock-wait S      how long to wait for a board another process holds
  --stage-timeout STAGE=S   another timeout for a boot stage of farm/boot.py
                     (e.g. login=30; repeatable), for suites that expect a
                     stage never to come

Fixtures (each builds on the one before):
  board    the locked board for one (board, kernel) pair; tests that use it
           run once per pair. board.boot(log, cmdline=, initrd=) powers on.
  console  a fresh boot of the board, logged to this test's file
  booted   that console at the login prompt
  shell    a logged-in root shell (farm.shell.Shell); reused by the next test
           on the same board while it still answers

Tests mark an expected failure on one kernel with
  @pytest.mark.xfail_kernel("kevlar", arch="arm64", reason="..."), and boot with more kernel
options with @pytest.mark.boot_cmdline("rdinit=...").

Every test's outcome, failure class (infra, panic, timeout, fail), the stage
it ended in, stage timings and log path go to the results store as soon as
the test ends.
"""

import json
import logging
import os
import re
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from farm import boot, inventory
from farm.boards import BootImage, make_board
from farm.errors import ConsoleError, FarmError, classify
from farm.locks import BoardLock
from farm.qemu import KERNELS, ROOT, Target
from farm.lifetime import parent_death_signal
from farm.results import open_store
from farm.shell import Shell

log = logging.getLogger("farm.plugin")


def pytest_addoption(parser):
    g = parser.getgroup("farm", "Kevlar test farm")
    g.addoption("--inventory", default=None, help="boards YAML (default farm/boards.yaml)")
    g.addoption("--board", action="append", default=[], help="board name (repeatable)")
    g.addoption("--kernel", default="all", choices=("all",) + KERNELS)
    g.addoption("--results", default=None, help="results store (default build/results.db; none)")
    g.addoption("--logs", default=str(ROOT / "build" / "logs"), help="console log directory")
    g.addoption("--lock-wait", type=float, default=900.0, help="seconds to wait for a busy board")
    g.addoption("--stage-timeout", action="append", default=[], metavar="STAGE=SECONDS",
                help="timeout of a boot stage (farm/boot.py TIMEOUTS), e.g. login=30; repeatable")
    # Set by `python3 -m farm run` for the job it started.
    g.addoption("--farm-job", type=int, default=None, help="(internal) job id")
    g.addoption("--farm-status", default=None, help="(internal) progress file")
    g.addoption("--farm-parent", type=int, default=None,
                help="(internal) pid of the farm run: the job ends when it does")


def _sigterm_unwinds(signum, frame):
    # `farm run` stops a hung job with SIGTERM: unwind like Ctrl-C so every
    # fixture's finally powers its board off and the results are written.
    raise KeyboardInterrupt(f"signal {signum}")


def _end_with_farm_run(parent):
    """A job ends when the `farm run` that started it does, however it dies
    (SIGKILL, the OOM killer, a crash): the kernel sends this pytest SIGTERM,
    which unwinds as above, so its board is powered off (QEMU stopped) and its
    lock released. Without this the job ran on, orphaned, holding its board."""
    if not parent or not parent_death_signal(signal.SIGTERM):
        return
    if os.getppid() != parent:
        # It died before we asked for the signal: it would never come.
        pytest.exit(f"the farm run (process {parent}) that started this job is gone", 130)


def _stage_timeouts(values):
    for value in values:
        stage, _, seconds = value.partition("=")
        try:
            seconds = float(seconds)
        except ValueError:
            seconds = 0.0
        if stage not in boot.TIMEOUTS or not seconds > 0:
            raise pytest.UsageError(f"--stage-timeout {value}: expected STAGE=SECONDS, a stage "
                                    f"of {', '.join(boot.TIMEOUTS)} and a positive number")
        boot.TIMEOUTS[stage] = seconds


def pytest_configure(config):
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _sigterm_unwinds)
        _end_with_farm_run(config.option.farm_parent)
    # In place: boot's functions take this dict as their default.
    _stage_timeouts(config.option.stage_timeout)
    config.addinivalue_line("markers", "boot_cmdline(options): kernel options the console "
                            "fixture boots with, after console=")
    config.addinivalue_line("markers", "xfail_kernel(kernel, arch=None, reason): expected to "
                            "fail on that kernel (on boards of that arch, if given); still "
                            "runs, so a pass shows up as XPASS")
    config._farm = FarmSession(config)


def pytest_unconfigure(config):
    farm = getattr(config, "_farm", None)
    if farm is not None:
        farm.close()


@dataclass(frozen=True)
class FarmTarget:
    """One (board, kernel) pair a test runs on."""
    spec: object       # inventory.BoardSpec
    kernel: str

    @property
    def id(self):
        return f"{self.spec.name}-{self.kernel}"


class FarmSession:
    """What one pytest session shares: the inventory, the store, the boards."""

    def __init__(self, config):
        self.config = config
        opt = config.option
        self._inventory = None
        self.inventory_path = opt.inventory
        self.logs = Path(opt.logs)
        self.store = None if opt.results == "none" else _lazy_store(opt.results)
        self.job_ids = {}
        self.run_id = None
        self.boards = {}        # board name -> LiveBoard
        self.tests = {}         # nodeid -> partial result record

    @property
    def inventory(self):
        if self._inventory is None:
            self._inventory = inventory.load(self.inventory_path)
        return self._inventory

    def targets(self):
        opt = self.config.option
        kernels = KERNELS if opt.kernel == "all" else (opt.kernel,)
        return [FarmTarget(b, k) for b in self.inventory.select(opt.board) for k in kernels]

    def live_board(self, spec):
        if spec.name not in self.boards:
            lock = BoardLock(spec.name).acquire(wait=self.config.option.lock_wait)
            self.boards[spec.name] = LiveBoard(make_board(spec), lock, self)
        return self.boards[spec.name]

    def job_id(self, target):
        if self.store is None:
            return None
        if self.config.option.farm_job:
            return self.config.option.farm_job
        if target.id not in self.job_ids:
            store = self.store()
            if self.run_id is None:
                self.run_id = store.new_run(argv=["pytest"] + list(self.config.invocation_params.args))
            self.job_ids[target.id] = store.new_job(self.run_id, target.spec, target.kernel,
                                                    log_dir=self.logs)
        return self.job_ids[target.id]

    def status(self, **fields):
        path = self.config.option.farm_status
        if not path:
            return
        tmp = f"{path}.tmp"
        with open(tmp, "w") as f:
            json.dump(dict(fields, t=time.time()), f)
        os.replace(tmp, path)

    def close(self):
        for live in self.boards.values():
            live.close()
        if self.store is not None and self.job_ids:
            from farm.results import job_outcome
            store = self.store()
            for job in self.job_ids.values():
                store.finish_job(job, *job_outcome(store.tests(job)))
            store.finish_run(self.run_id)


def _lazy_store(url):
    store = []

    def get():
        if not store:
            store.append(open_store(url))
        return store[0]
    return get


class LiveBoard:
    """A locked board and the console currently running on it, if any."""

    def __init__(self, board, lock, farm):
        self.board, self.lock, self.farm = board, lock, farm
        self.spec = board.spec
        self.name = board.name
        self.console = None
        self.shell = None

    def boot(self, kernel, log_path, cmdline="", initrd="", stage_prefix=""):
        """Power on with kernel (anything running is stopped first)."""
        self.power_off()
        target = Target(self.spec.arch, kernel)
        image = BootImage(target, cmdline=cmdline, initrd=str(initrd) if initrd else "")
        log_path.parent.mkdir(parents=True, exist_ok=True)

        def on_stage(stage, state):
            self.farm.status(board=self.name, kernel=kernel, stage=stage, state=state,
                             since=self.console_t0)
        self.console_t0 = time.time()
        self.console = self.board.start(image, log_path, on_stage=on_stage)
        return self.console

    def power_off(self):
        console, self.console, self.shell = self.console, None, None
        if console is not None:
            self.board.stop(console)

    def close(self):
        try:
            self.power_off()
        finally:
            self.lock.release()


def _test_log(request, target):
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.originalname or request.node.name)
    return Path(request.config.option.logs) / target.id / f"{name}.log"


def pytest_generate_tests(metafunc):
    if "farm_target" not in metafunc.fixturenames:
        return
    farm = metafunc.config._farm
    try:
        targets = farm.targets()
    except FarmError as e:
        raise pytest.UsageError(str(e)) from None
    xfails = [m for m in metafunc.definition.iter_markers("xfail_kernel")]
    params = []
    for t in targets:
        marks = []
        ok, why = t.spec.can_boot(t.kernel)
        if not ok:
            marks.append(pytest.mark.skip(reason=why))
        for m in xfails:
            if t.kernel in m.args and m.kwargs.get("arch", t.spec.arch) == t.spec.arch:
                marks.append(pytest.mark.xfail(reason=m.kwargs.get("reason", ""), strict=False))
        params.append(pytest.param(t, id=t.id, marks=marks))
    metafunc.parametrize("farm_target", params, indirect=True, scope="session")


@pytest.fixture(scope="session")
def farm_target(request):
    return request.param


@pytest.fixture(scope="session")
def board(request, farm_target):
    """The locked board for this (board, kernel) pair, with `.target` and `.kernel`."""
    target = Target(farm_target.spec.arch, farm_target.kernel)
    missing = [p for p in (target.image, target.initrd) if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} not built: run `make boot-deps`")
    live = request.config._farm.live_board(farm_target.spec)
    return BoardHandle(live, farm_target, target)


class BoardHandle:
    """What a test sees of a board: the board for one kernel."""

    def __init__(self, live, farm_target, target):
        self.live, self.farm_target, self.target = live, farm_target, target
        self.name, self.spec, self.kernel = live.name, live.spec, farm_target.kernel

    def boot(self, log_path, cmdline="", initrd=""):
        return self.live.boot(self.kernel, Path(log_path), cmdline=cmdline, initrd=initrd)

    def power_off(self):
        self.live.power_off()


@pytest.fixture
def console(request, board, farm_target):
    """A fresh boot of the board, its console logged to this test's file."""
    marker = request.node.get_closest_marker("boot_cmdline")
    c = board.boot(_test_log(request, farm_target), cmdline=marker.args[0] if marker else "")
    request.node._farm_console = c
    try:
        yield c
    finally:
        board.power_off()


@pytest.fixture
def booted(console, board):
    """The board at its login prompt."""
    boot.wait_login(console, board.kernel)
    return console


@pytest.fixture
def shell(request, board, farm_target):
    """A root shell, logged in through getty; the next test on this board
    reuses it while it still answers, with its own log file."""
    live = board.live
    log_path = _test_log(request, farm_target)
    sh = live.shell
    if sh is not None and sh.kernel == board.kernel and sh.alive():
        sh.console.set_log(log_path)
    else:
        c = board.boot(log_path)
        boot.wait_login(c, board.kernel)
        boot.login(c)
        sh = live.shell = Shell(board.target, c, boot.ROOT_PROMPT)
    request.node._farm_console = sh.console
    failed_before = request.session.testsfailed
    yield sh
    if request.session.testsfailed != failed_before:
        board.power_off()     # a failed dialogue may have left the shell anywhere


# --- results ------------------------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    farm = item.config._farm
    target = getattr(item, "callspec", None) and item.callspec.params.get("farm_target")
    rec = farm.tests.setdefault(item.nodeid, {"start": time.time(), "target": target})
    if call.excinfo is not None and not isinstance(call.excinfo.value,
                                                   (pytest.skip.Exception,)):
        exc = call.excinfo.value
        if "class" not in rec:
            rec["class"] = classify(exc)
            rec["stage"] = getattr(exc, "stage", "") or ""
            rec["reason"] = (exc.reason if isinstance(exc, ConsoleError)
                             else str(exc).split("\n")[0] or type(exc).__name__)
    if report.when == "call" or (report.when == "setup" and not report.passed):
        rec["outcome"] = _outcome(report)
    elif report.when == "teardown" and report.failed and rec.get("outcome") == "passed":
        rec["outcome"] = "error"
    if report.when == "teardown":
        console = getattr(item, "_farm_console", None)
        if console is None and target is not None:
            # A fixture of the suite's own (a module-scoped boot) drove the board.
            live = farm.boards.get(target.spec.name)
            console = live.console if live else None
        rec["stages"] = dict(console.stages) if console else {}
        rec["log"] = str(console.log_path) if console else ""
        rec["duration"] = time.time() - rec["start"]


def _outcome(report):
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    if report.when == "setup":
        return "skipped" if report.skipped else "error"
    return report.outcome


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    yield
    farm = item.config._farm
    rec = farm.tests.pop(item.nodeid, None)
    if rec is None or rec.get("target") is None:
        return
    target = rec["target"]
    if farm.store is None:
        return
    job = farm.job_id(target)
    outcome = rec.get("outcome", "error")
    klass = rec.get("class", "") if outcome not in ("passed", "skipped") else ""
    if outcome == "xpassed":
        klass = ""
    farm.store().add_test(job, item.name, outcome, klass, rec.get("stage", ""),
                          rec.get("reason", ""), rec.get("duration", 0.0), rec.get("stages"),
                          rec.get("log", ""))
    farm.status(board=target.spec.name, kernel=target.kernel, test=item.name, result=outcome,
                klass=klass)
