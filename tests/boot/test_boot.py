"""Boot each board of the inventory, for each kernel, from its kernel's first
line to a root shell, and power it off.

The same test runs for Linux (the reference) and Kevlar on the same rootfs,
on every board (farm/boards.yaml by default; --inventory, --board, --kernel).
"""

import re

import pytest

from harness import KEVLAR_OPENRC_XFAIL, RESULTS
from farm import boot


@pytest.mark.xfail_kernel("kevlar", reason=KEVLAR_OPENRC_XFAIL)
def test_boots_through_openrc_to_root_shell_and_powers_off(board, console, pytestconfig):
    name = f"{board.name}-{board.kernel}"
    result = boot.BootResult(name, board.spec.arch, board.kernel, log=str(console.log_path))
    pytestconfig._kevlar_boot_results.append(result)
    result.stages = console.stages
    try:
        boot.boot_to_shell(console, result)
        assert result.services_ok, "OpenRC reported no service as [ ok ]"
        assert not result.services_failed, f"services failed: {result.services_failed}"

        uname = boot.shell(console, "uname -a", "uname")
        machine = "x86_64" if board.spec.arch == "x86_64" else "aarch64"
        assert re.search(rf"^Linux kevlar \S+ .*{machine}", uname, re.M), \
            f"unexpected `uname -a` output: {uname!r}"

        status = boot.poweroff(console)
        # None: a board without an exit status (a physical one) powered down.
        assert status in (0, None), f"QEMU exited with status {status} after poweroff"
        result.result = "pass"
    except BaseException as e:
        boot.record_failure(result, e)
        raise
    finally:
        result.save(RESULTS)
