"""`python3 -m farm bench` (make bench): Kevlar beside Linux, in numbers.

Speed and memory live here, not in timed tests. For every board × kernel the
bench boots the board N times (the same boot as the tests: power, console,
stages) and on each boot measures:

  boot      seconds from power-on to the kernel's first line, OpenRC's banner
            and `login:` (the console's stage times)
  memory    the board's RAM less MemFree of /proc/meminfo right after login,
            in MiB: all the booted system holds, the kernel's own image and
            reservations too (each kernel leaves different parts out of
            MemTotal: Linux its image, Kevlar the initramfs it reads in place)
  fork+exec /bin/true started from a shell loop, per second
  fork      a subshell `( : )` forked and reaped, per second
  syscalls  1-byte read + write pairs (dd bs=1), pairs per second
  pipe      MB per second through a pipe (dd | cat)
  tmpfs     MB per second written to and read back from /tmp
  wake1000  rootfs/src/wakebench.c: start 1000 threads that sleep an hour
            each, then 100 1 ms sleeps beside them, per second. Starting
            the threads is in the time (on Kevlar 1000 took 9.8 s until
            mmap's free-range search stopped rescanning every area per
            clash; now about 0.1 s under TCG); the program's own lines (run
            it by hand) split it: start time, ms per 1 ms sleep, a busy loop
  fork_sparse  fork + reap of a process with a 1 GiB sparse mapping (a page
            every 2 MiB), per second (/usr/lib/kevlar/mmbench)
  mprotect_1g  mprotect of that 1 GiB mapping (read-only <-> read-write), per second
  munmap_1g    map, touch (512 pages) and unmap 1 GiB, per second
  lookup    stat of a name in a directory of 2000 files, per second
            (/usr/lib/kevlar/lookupbench 2000 10: the files are made and
            removed in the time too)

Each workload is timed from the host: from typing its command line to the
shell's next prompt, less the same round trip for the builtin `:` (the
console's own cost). A guest's own clock would flatter a kernel whose timer
ticks are lost under emulation. Under TCG the numbers are emulated work: read
them as Kevlar against Linux on the same host, not as hardware figures.

The medians go to build/bench/<date>-<commit>.json (every run's values too),
and a table with a Kevlar/Linux row per board is printed.
"""

import json
import statistics
import time
from pathlib import Path

from farm import boot, inventory
from farm.boards import make_board
from farm.boards.base import BootImage
from farm.errors import ConsoleError, InfraError
from farm.locks import BoardLock
from farm.qemu import KERNELS, ROOT, Target
from farm.results import git_info

OUT = ROOT / "build" / "bench"

# name: (shell command, work units, unit label). Sized for about a second
# each on Kevlar under TCG on a 2-core host.
WORKLOADS = {
    "fork_exec": ("i=0; while [ $i -lt 100 ]; do /bin/true; i=$((i+1)); done", 100, "/s"),
    "fork": ("i=0; while [ $i -lt 200 ]; do ( : ); i=$((i+1)); done", 200, "/s"),
    "syscalls": ("dd if=/dev/zero of=/dev/null bs=1 count=50000 2>/dev/null", 50000, "/s"),
    "pipe": ("dd if=/dev/zero bs=65536 count=800 2>/dev/null | cat >/dev/null", 52.4288, "MB/s"),
    "tmpfs": ("dd if=/dev/zero of=/tmp/bench bs=65536 count=400 2>/dev/null; "
              "cat /tmp/bench >/dev/null; rm /tmp/bench", 52.4288, "MB/s"),
    "wake1000": ("/usr/lib/kevlar/wakebench 1000 100 >/dev/null", 100, "/s"),
    # Address-space work whose cost should follow the mapped pages, not the
    # virtual size (rootfs/src/mmbench.c).
    "fork_sparse": ("/usr/lib/kevlar/mmbench fork 50", 50, "/s"),
    "mprotect_1g": ("/usr/lib/kevlar/mmbench protect 200", 200, "/s"),
    "munmap_1g": ("/usr/lib/kevlar/mmbench unmap 50", 50, "/s"),
    # Path lookup in a big directory (rootfs/src/lookupbench.c).
    "lookup": ("/usr/lib/kevlar/lookupbench 2000 10", 20000, "/s"),
}
STAGES = ("kernel", "openrc", "login")
COMMAND_TIMEOUT = 300
# Columns of the table: (key in a result, heading, format, higher is better).
COLUMNS = [("login", "login s", "{:.1f}", False), ("memory_mib", "used MiB", "{:.1f}", False)] + \
    [(w, f"{w} {u}", "{:.0f}" if u == "/s" else "{:.1f}", True)
     for w, (_, _, u) in WORKLOADS.items()]


def timed(console, command, stage, timeout=COMMAND_TIMEOUT):
    """(seconds from typing `command` to the next prompt, its output)."""
    # ash asks where the cursor is after each prompt: answer before typing,
    # or the late answer lands in the command's output (and in its time).
    console.answer_cursor_query(0.5)
    t0 = time.monotonic()
    out = boot.shell(console, command, stage, timeout=timeout)
    return time.monotonic() - t0, out


def round_trip(console):
    """Seconds for the shell to answer `:`: the console's own cost, the
    least of three tries."""
    return min(timed(console, ":", "bench :")[0] for _ in range(3))


def measure(console, command, base):
    dt, out = timed(console, command, "bench")
    return max(dt - base, 1e-3), out


def meminfo(console):
    fields = {}
    for line in timed(console, "cat /proc/meminfo", "meminfo")[1].splitlines():
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            fields[name.strip()] = int(rest.split()[0])
    return fields


def ram_kib(mem):
    """QEMU's -m size ("256M", "1G", a number of MiB) in KiB."""
    units = {"K": 1, "M": 1024, "G": 1024 * 1024}
    mem = str(mem).upper()
    if mem[-1:] in units:
        return int(mem[:-1]) * units[mem[-1]]
    return int(mem) * 1024


def one_run(board, spec, kernel, log_path):
    image = BootImage(Target(spec.arch, kernel))
    console = board.start(image, log_path)
    try:
        boot.wait_login(console, kernel)
        boot.login(console)
        result = {s: console.stages.get(s) for s in STAGES}
        # No wrapped echo of the longer command lines.
        timed(console, "stty cols 1000", "stty")
        mem = meminfo(console)
        if "MemFree" in mem:
            result["memory_mib"] = ram_kib(spec.mem) / 1024 - mem["MemFree"] / 1024
        result["meminfo"] = mem
        base = round_trip(console)
        result["round_trip_s"] = base
        for name, (command, units, _) in WORKLOADS.items():
            dt, out = measure(console, command, base)
            if out.strip():
                raise ConsoleError("bench", f"`{command}` printed {out.strip()[:200]!r}", "")
            result[name] = units / dt
        boot.poweroff(console)
        return result
    finally:
        board.stop(console)


def median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def table(results):
    head = ["board", "kernel", "runs"] + [c[1] for c in COLUMNS]
    rows = []
    for board, kernels in results.items():
        for kernel, r in kernels.items():
            rows.append([board, kernel, str(len(r["runs"]))] +
                        [("-" if r["median"].get(k) is None else f.format(r["median"][k]))
                         for k, _, f, _ in COLUMNS])
        if {"kevlar", "linux"} <= set(kernels):
            k, lx = kernels["kevlar"]["median"], kernels["linux"]["median"]
            ratio = []
            for key, _, _, higher in COLUMNS:
                if k.get(key) and lx.get(key):
                    x = k[key] / lx[key] if higher else lx[key] / k[key]
                    ratio.append(f"{x:.2f}x")
                else:
                    ratio.append("-")
            rows.append([board, "kevlar vs linux", ""] + ratio)
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines) + ("\n(kevlar vs linux: how many times better Kevlar is; "
                               "above 1 is better, for time and memory too)")


def default_boards(inv):
    """The boards QEMU boots directly: a bench measures kernels, not firmware."""
    return [b.name for b in inv.boards.values() if b.boot == "direct" and b.power.kind == "qemu"]


def cmd_bench(args):
    inv = inventory.load(args.inventory)
    names = args.board or default_boards(inv)
    kernels = KERNELS if args.kernel == "all" else (args.kernel,)
    git = git_info()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    logs = OUT / f"{stamp}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = {}
    for spec in inv.select(names):
        board = make_board(spec)
        lock = BoardLock(spec.name).acquire(wait=args.lock_wait)
        try:
            for kernel in kernels:
                if not spec.can_boot(kernel)[0]:
                    continue
                runs = []
                for i in range(1, args.runs + 1):
                    print(f"bench: {spec.name} {kernel} run {i}/{args.runs} ...", flush=True)
                    try:
                        runs.append(one_run(board, spec, kernel,
                                            logs / f"{spec.name}-{kernel}-{i}.log"))
                    except (ConsoleError, InfraError) as e:
                        print(f"bench: {spec.name} {kernel} run {i} failed: "
                              f"{str(e).splitlines()[0]} (log {logs})", flush=True)
                keys = [c[0] for c in COLUMNS] + ["kernel", "openrc", "round_trip_s"]
                results.setdefault(spec.name, {})[kernel] = {
                    "arch": spec.arch, "runs": runs,
                    "median": {k: median(runs, k) for k in keys}}
        finally:
            lock.release()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{stamp}-{git.commit[:12]}.json"
    path.write_text(json.dumps({"commit": git.commit, "dirty": git.dirty, "started": stamp,
                                "workloads": {k: v[0] for k, v in WORKLOADS.items()},
                                "results": results}, indent=1))
    print(table(results))
    print(f"bench: {path.relative_to(ROOT)}")
    failed = [(b, k) for b, ks in results.items() for k, r in ks.items() if not r["runs"]]
    return 1 if failed or not results else 0


def add_parser(sub):
    b = sub.add_parser("bench", help="boot time, memory and syscall speed, Kevlar beside Linux")
    b.add_argument("--inventory", default=None, help="boards YAML (default farm/boards.yaml)")
    b.add_argument("--board", action="append", default=[],
                   help="board (repeatable; default: the boards QEMU boots directly)")
    b.add_argument("--kernel", default="all", choices=("all",) + KERNELS)
    b.add_argument("--runs", type=int, default=3, help="boots per board and kernel (default 3)")
    b.add_argument("--lock-wait", type=float, default=900, help="seconds to wait for a board "
                   "another run holds")
    b.set_defaults(func=cmd_bench)
