"""A simulated physical board: QEMU started outside the farm, its serial port
on TCP (as ser2net exposes a real board's UART), driven by power commands.

    python3 -m farm.simboard on    --name NAME --port PORT [--frozen]
    python3 -m farm.simboard off   --name NAME --port PORT
    python3 -m farm.simboard cycle --name NAME --port PORT

With --frozen, `on` starts that QEMU paused (-S): a board whose power
switched on but whose CPU never runs, so its serial port accepts the farm and
never says a word (a dead board, a relay that clicks but does not switch).

`on` boots what the farm put in the environment (FARM_ARCH, FARM_KERNEL,
FARM_IMAGE, FARM_INITRD, FARM_CMDLINE, FARM_MEM), as a lab's staging step
would put files on a TFTP server, and returns at once; `off` stops that QEMU
(by the pid it recorded, never by name). The serial server waits for its
client (wait=on) before the guest runs: a board's first bytes would be lost to
a farm that connects a moment after power-on, which ser2net on a real board
never does because it is always up.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from farm.qemu import ROOT, BootError, BootSpec, Target

STATE = ROOT / "build" / "sim"


def _pid_path(name):
    return STATE / f"{name}.pid"


def _ours(pid, port):
    """The pid is still our QEMU (not a reused pid of something else)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return argv[0].startswith(b"qemu-system") and any(f":{port},".encode() in a for a in argv)


def power_off(name, port):
    path = _pid_path(name)
    try:
        pid = int(path.read_text())
    except (OSError, ValueError):
        return
    if _ours(pid, port):
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            end = time.monotonic() + wait
            while time.monotonic() < end and _ours(pid, port):
                time.sleep(0.1)
            if not _ours(pid, port):
                break
    path.unlink(missing_ok=True)


def power_on(name, port, frozen=False):
    power_off(name, port)
    env = os.environ
    try:
        target = Target(env["FARM_ARCH"], env["FARM_KERNEL"])
    except KeyError as e:
        raise BootError(f"{e.args[0]} is not set: the farm sets FARM_* for power commands")
    default = target.default_cmdline()
    cmdline = env.get("FARM_CMDLINE", default)
    extra = cmdline[len(default):].strip() if cmdline.startswith(default) else cmdline
    cmd = BootSpec(target, cmdline=extra, mem=env.get("FARM_MEM", "256M"),
                   initrd=env.get("FARM_INITRD", "")).command()
    i = cmd.index("-nographic")
    cmd[i:i + 1] = ["-display", "none", "-monitor", "none",
                    "-serial", f"tcp:127.0.0.1:{port},server=on,wait=on"]
    if frozen:
        cmd.append("-S")
    STATE.mkdir(parents=True, exist_ok=True)
    qemu_log = STATE / f"{name}.qemu.log"
    with open(qemu_log, "w") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                start_new_session=True)
    tmp = _pid_path(name).with_suffix(".tmp")
    tmp.write_text(f"{proc.pid}\n")
    os.replace(tmp, _pid_path(name))
    # A QEMU that cannot start (port taken, bad image) says so within a moment.
    time.sleep(0.5)
    if proc.poll() is not None:
        raise BootError(f"QEMU exited at once with status {proc.returncode}: "
                        f"{qemu_log.read_text().strip()[-500:]}")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m farm.simboard", description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=("on", "off", "cycle"))
    ap.add_argument("--name", required=True, help="the board's name (its pid file)")
    ap.add_argument("--port", type=int, required=True, help="TCP port of its serial console")
    ap.add_argument("--frozen", action="store_true",
                    help="power on a board that never runs (QEMU paused): a silent console")
    args = ap.parse_args(argv)
    try:
        if args.action == "off":
            power_off(args.name, args.port)
        else:
            power_on(args.name, args.port, args.frozen)
    except BootError as e:
        print(f"simboard: {args.name}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
