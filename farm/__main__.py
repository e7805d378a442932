"""python3 -m farm <command>: the farm's command line.

    boot   boot one target in QEMU with the console on stdio (what `make run` does)
"""

import argparse
import os
import shutil
import sys

from farm.qemu import ARCHES, KERNELS, BootError, BootSpec, Target


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
    args = ap.parse_args(argv)
    try:
        args.func(args)
    except BootError as e:
        print(f"farm: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
