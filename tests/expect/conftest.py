"""A root shell per target for the dialogue tests, booted without OpenRC.

The kernel starts /usr/lib/kevlar/shell-init (a root shell with job control on
the serial console), so these tests exercise processes, files, signals and the
terminal on every kernel that can run BusyBox, whether or not it can run
OpenRC yet. One boot per target serves all tests of a module.
"""

import os

import pytest

from harness import LOGS
from farm import boot
from shell_session import PROMPT, SHELL_INIT, Shell


@pytest.fixture(scope="module")
def shell(request, board):
    """One boot per (board, kernel) serves all tests of a module; `board`
    (farm/pytest_plugin.py) runs them on every board of the inventory."""
    module = request.module.__name__.split(".")[-1]
    log = LOGS / f"{board.name}-{board.kernel}" / f"{module}.log"
    # A module that needs another image (ROOTFS = "rootfs-full.cpio") names it.
    rootfs = getattr(request.module, "ROOTFS", None)
    initrd = board.target.initrd.with_name(rootfs) if rootfs else ""
    if initrd and not initrd.exists():
        pytest.fail(f"{initrd} is missing: build it with "
                    f"`make {rootfs.removesuffix('.cpio')} ARCH={board.target.arch}`")
    # A module may ask for more Kevlar options (KEVLAR_CMDLINE, e.g. the
    # lock checker), and so may the caller for every module
    # (KEVLAR_TEST_CMDLINE=kevlar.debug=locks); Linux boots as always.
    extra = ""
    if board.kernel == "kevlar":
        extra = " ".join(filter(None, (getattr(request.module, "KEVLAR_CMDLINE", ""),
                                       os.environ.get("KEVLAR_TEST_CMDLINE", ""))))
    console = board.boot(log, cmdline=f"{SHELL_INIT} {extra}".strip(), initrd=initrd)
    try:
        console.expect(boot.FIRST_LINE[board.kernel], boot.TIMEOUTS["kernel"], "kernel")
        console.expect(PROMPT, 120, "shell")
        sh = Shell(board.target, console)
        sh.settle()
        yield sh
        # `poweroff -f` calls reboot(2) directly: there is no init to ask.
        console.sendline("poweroff -f")
        console.wait_power_down(60, "poweroff")
    finally:
        board.power_off()
