"""python3 -m farm <command>: the farm's command line.

    boot     boot one target in QEMU with the console on stdio (what `make run` does)
    boards   list the inventory's boards (and validate it)
    run      run the test suites on every board at once; table; exit 0 if all passed
    results  print the results store's runs (--commit X, --run N)
    bisect   the first commit where a test fails, by building and running commits
    submit   queue jobs (commit, kernel, board tags/arch/name) in a PostgreSQL store
    worker   on each lab host: claim and run the queued jobs this host's boards can run
    queue    list the PostgreSQL store's job queue
    bench    boot time, memory and syscall speed per board, Kevlar beside Linux (make bench)

--results is a SQLite file (default build/results.db, or $FARM_RESULTS when set)
or postgresql://USER@HOST[:PORT]/DB for several lab hosts sharing one store
(farm/README.md, "Several lab hosts").
"""

import argparse
import logging
import os
import shutil
import sys
import time

from farm import inventory
from farm.errors import FarmError
from farm.qemu import ARCHES, KERNELS, BootError, BootSpec, Target
from farm.runner import add_job_options

RESULTS_HELP = "results store: a SQLite file or postgresql://... (default $FARM_RESULTS, " \
               "else build/results.db)"


def cmd_boot(args):
    spec = BootSpec(Target(args.arch, args.kernel), cmdline=args.cmdline, mem=args.mem,
                    accel=args.accel, gdb=args.gdb, initrd=args.initrd)
    cmd = spec.command()
    if shutil.which(cmd[0]) is None:
        raise BootError(f"{cmd[0]} is not installed: run `make deps`")
    # The marker lets tests measure stage times from QEMU's start, not make's.
    print("farm: starting " + " ".join(f"'{c}'" if " " in c else c for c in cmd),
          file=sys.stderr, flush=True)
    os.execvp(cmd[0], cmd)


def cmd_boards(args):
    inv = inventory.load(args.inventory)
    print(f"{inv.path}: {len(inv.boards)} boards")
    for b in inv.boards.values():
        print(f"  {b.name:16} {b.arch:7} {b.firmware:6} {b.mac}  console {b.console}, "
              f"power {b.power}  kernels {','.join(b.kernels)}"
              + (f"  tags {','.join(b.tags)}" if b.tags else ""))


def cmd_run(args):
    if args.commits:
        from farm.history import run_commits
        return run_commits(args)
    from farm.runner import DEFAULT_SUITES, Runner, RunOptions
    inv = inventory.load(args.inventory)
    kernels = KERNELS if args.kernel == "all" else (args.kernel,)
    opts = RunOptions(inventory=args.inventory, boards=args.board, kernels=kernels,
                      results=args.results, suites=tuple(args.suite or DEFAULT_SUITES),
                      retries=args.retries, job_timeout=args.job_timeout,
                      lock_wait=args.lock_wait, pytest_args=tuple(args.pytest_arg))
    return Runner(inv, opts).run(sys.argv[1:])


def cmd_results(args):
    from farm.results import open_store
    store = open_store(args.results, readonly=True)
    runs = store.runs(commit=args.commit, limit=args.limit, run_id=args.run)
    if not runs:
        print("farm: no runs" + (f" for commit {args.commit}" if args.commit else ""))
        return 1
    for r in reversed(runs):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r["started"]))
        state = "" if r["finished"] else "  (unfinished)"
        print(f"run {r['id']}  {when}  {r['commit_hash'][:12]}{'+dirty' if r['dirty'] else ''} "
              f"({r['branch']})  on {r['host']}{state}")
        for j in store.jobs(r["id"]):
            print(f"  {j['board']:16} {j['kernel']:6} #{j['attempt']}  {j['outcome']:8} "
                  f"{j['class'] or '':8} {(j['reason'] or '').splitlines()[0][:70] if j['reason'] else ''}")
            for t in store.tests(j["id"]):
                stage = f" at {t['stage']}" if t["stage"] else ""
                print(f"      {t['outcome']:8} {t['class'] or '':8} {t['duration']:7.1f}s  "
                      f"{t['name']}{stage}")
                if args.verbose:
                    print(f"               stages {t['stages']}\n               log {t['log']}")
    return 0


def cmd_bisect(args):
    from farm import bisect
    return bisect.cmd_bisect(args)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m farm", description="Kevlar test farm")
    sub = ap.add_subparsers(dest="command", required=True)
    boot = sub.add_parser("boot", help="boot a kernel with the rootfs in QEMU, console on stdio")
    boot.add_argument("--arch", default="x86_64", help=" | ".join(ARCHES))
    boot.add_argument("--kernel", default="kevlar", help=" | ".join(KERNELS))
    boot.add_argument("--cmdline", default="", help="appended to the default console= option")
    boot.add_argument("--mem", default="256M")
    boot.add_argument("--accel", default="auto", help="kvm | tcg | auto")
    boot.add_argument("--initrd", default="", help="another initramfs than build/ARCH/rootfs.cpio")
    boot.add_argument("--gdb", action="store_true", help="wait for gdb on tcp::1234")
    boot.set_defaults(func=cmd_boot)

    boards = sub.add_parser("boards", help="list (and validate) the inventory")
    boards.add_argument("--inventory", default=None, help="boards YAML (default farm/boards.yaml)")
    boards.set_defaults(func=cmd_boards)

    run = sub.add_parser("run", help="run the suites on every board at once")
    run.add_argument("--inventory", default=None, help="boards YAML (default farm/boards.yaml)")
    run.add_argument("--board", action="append", default=[], help="only this board (repeatable)")
    run.add_argument("--kernel", default="all", choices=("all",) + KERNELS)
    run.add_argument("--results", default=None, help=RESULTS_HELP)
    run.add_argument("--suite", action="append", default=[],
                     help="test file or directory (repeatable; default tests/boot/test_boot.py)")
    add_job_options(run)
    run.add_argument("--pytest-arg", action="append", default=[], help="passed on to pytest")
    run.add_argument("--commits", default=None, metavar="A..B",
                     help="build and run each commit after A up to B in its own git worktree "
                          "(build/worktrees/), results into this store; then the dashboard")
    run.set_defaults(func=cmd_run)

    bis = sub.add_parser("bisect", help="the first bad commit of a test, found with the farm")
    bis.add_argument("--test", required=True,
                     help="test name, or path::name to run only its file (e.g. "
                          "tests/boot/test_boot.py::test_boots_through_openrc_to_root_shell_and_powers_off)")
    bis.add_argument("--good", required=True, help="a commit where the test passes")
    bis.add_argument("--bad", required=True, help="a later commit where it fails")
    bis.add_argument("--board", default=None, help="the board to judge on (default: any)")
    bis.add_argument("--kernel", default="kevlar", choices=KERNELS)
    bis.add_argument("--results", default=None, help=RESULTS_HELP)
    bis.add_argument("--repo", default=None, help="git repository (default: this checkout)")
    bis.add_argument("--no-build", action="store_true",
                     help="judge only from results already in the store")
    bis.add_argument("--no-dashboard", action="store_true", help="do not rewrite build/dashboard")
    bis.set_defaults(func=cmd_bisect)

    res = sub.add_parser("results", help="print the results store")
    res.add_argument("--results", default=None, help=RESULTS_HELP)
    res.add_argument("--commit", default=None, help="only runs of this commit (prefix)")
    res.add_argument("--run", type=int, default=None, help="only this run")
    res.add_argument("--limit", type=int, default=10, help="the last N runs (default 10)")
    res.add_argument("-v", "--verbose", action="store_true", help="stage timings and log paths")
    res.set_defaults(func=cmd_results)

    from farm import bench, worker
    worker.add_parsers(sub)
    bench.add_parser(sub)

    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="farm: %(message)s")
    try:
        return args.func(args) or 0
    except (BootError, FarmError) as e:
        print(f"farm: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
