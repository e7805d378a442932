"""Boot each board of the inventory, for each kernel, from its kernel's first
line to a root shell, and power it off.

The same test runs for Linux (the reference) and Kevlar on the same rootfs,
on every board (farm/boards.yaml by default; --inventory, --board, --kernel).
"""

import re

from harness import RESULTS
from farm import boot

# What OpenRC reports `[ ok ]` for when Debian's Linux boots this rootfs
# (measured; REFERENCE 3.2). Every kernel must bring up the same services.
LINUX_SERVICES = [
    "Mounting /proc", "Caching service dependencies", "Mounting devtmpfs on /dev",
    "Mounting sysfs on /sys", "Mounting cgroup filesystem", "Bringing up network interface lo",
    "Starting syslogd", "Starting klogd",
]


def test_boots_through_openrc_to_root_shell_and_powers_off(board, console, pytestconfig):
    name = f"{board.name}-{board.kernel}"
    result = boot.BootResult(name, board.spec.arch, board.kernel, log=str(console.log_path))
    pytestconfig._kevlar_boot_results.append(result)
    result.stages = console.stages
    try:
        boot.boot_to_shell(console, result)
        missing = [s for s in LINUX_SERVICES if s not in result.services_ok]
        assert not missing, f"services not [ ok ] that are on Linux: {missing}"
        assert not result.services_failed, f"services failed: {result.services_failed}"

        uname = boot.shell(console, "uname -a", "uname")
        machine = "x86_64" if board.spec.arch == "x86_64" else "aarch64"
        assert re.search(rf"^Linux kevlar \S+ .*{machine}", uname, re.M), \
            f"unexpected `uname -a` output: {uname!r}"

        status = boot.poweroff(console)
        # None: a board without an exit status (a physical one) powered down.
        assert status in (0, None), f"QEMU exited with status {status} after poweroff"
        if board.kernel == "kevlar":
            # Every syscall of the boot is implemented or deliberately answered.
            unimplemented = sorted(set(re.findall(r"unimplemented syscall \S+", console.text)))
            assert not unimplemented, f"ENOSYS during the boot: {unimplemented}"
        result.result = "pass"
    except BaseException as e:
        boot.record_failure(result, e)
        raise
    finally:
        result.save(RESULTS)
