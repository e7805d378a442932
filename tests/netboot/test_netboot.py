"""Network boot on QEMU boards exactly as on lab boards: firmware DHCP from
the lab's dnsmasq, boot loader and kernel + initramfs over TFTP, serial log
from the firmware's first line, and timings per stage.

Run with the netboot inventory (make netboot-test):
  pytest tests/netboot --inventory tests/netboot/boards.yaml
"""

import json
import os
import shutil
import time

import pytest

from farm import boot, netboot
from farm.errors import classify

TIMINGS = netboot.NETBOOT / "timings.jsonl"


FAILED_LOGS = netboot.NETBOOT / "failed"


@pytest.fixture
def netboot_log(board, request):
    """log(name): the test's console log path. The next run rewrites that
    file, so a failed test's logs (and its lab's dnsmasq log) are copied to
    build/netboot/failed/<time>-<pid>-<board>-<kernel>-<name>."""
    paths = []

    def log(name):
        path = board.live.farm.logs / f"{board.name}-{board.kernel}" / name
        paths.append(path)
        return path
    failed_before = request.session.testsfailed
    yield log
    if request.session.testsfailed == failed_before:
        return
    stamp = time.strftime("%Y%m%d-%H%M%S")
    FAILED_LOGS.mkdir(parents=True, exist_ok=True)
    from farm import lab
    dnsmasq = (lab._shared.dir if lab._shared else lab.LABS / f"kvlab-{os.getpid()}") \
        / "dnsmasq.log"
    for path in paths + [dnsmasq]:
        if path.exists():
            name = path.name
            dest = FAILED_LOGS / f"{stamp}-{os.getpid()}-{board.name}-{board.kernel}-{name}"
            shutil.copyfile(path, dest)
            print(f"\nkept {path} as {dest}")


def _netboot_board(board):
    if board.spec.boot != "netboot":
        pytest.skip("not a netboot board: run with --inventory tests/netboot/boards.yaml "
                    "(make netboot-test)")


def _record(board, console, network):
    rec = {"t": time.time(), "board": board.name, "firmware": board.spec.firmware,
           "kernel": board.kernel, "network": network, "stages": dict(console.stages),
           "tftp_mb_s": round(getattr(board.live.board, "tftp_rate", 0) or 0, 1)}
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with open(TIMINGS, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"\n{board.name} {board.kernel} ({network}): " +
          "  ".join(f"{k} {v:.1f}s" for k, v in console.stages.items()) +
          f"  TFTP {rec['tftp_mb_s']} MB/s")


def test_netboots_to_login(board, netboot_log):
    """power-on → DHCP lease → boot loader → kernel first line → login:"""
    _netboot_board(board)
    from farm.boards.netboot import network_mode
    log = netboot_log("netboot_to_login.log")
    console = board.boot(log)
    try:
        text = console.text
        assert netboot.MARK in text or "DHCP client bound" in text, \
            f"no netboot marker or U-Boot lease in the console: see {log}"
        boot.wait_login(console, board.kernel)
        _record(board, console, network_mode())
        assert list(console.stages)[:4] == ["firmware", "dhcp", "loader", "loaded"], \
            f"netboot stages out of order: {console.stages} (see {log})"
    finally:
        board.power_off()
    # The log starts at the firmware, before the kernel.
    logged = log.read_text()
    first = netboot.MARK if board.spec.firmware != "uboot" else "U-Boot"
    assert first in logged and logged.index(first) < logged.index("login:"), \
        f"the log {log} does not start at the firmware ({first!r} before 'login:')"


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_broken_boot_file_is_an_infra_failure_within_bounded_time(board, monkeypatch,
                                                                  netboot_log, damage):
    """A kernel missing from the TFTP tree, or one that is not a kernel at all:
    the board ends as an infra failure, named, within bounded time. (Login on
    every board, in the lab and on the user-mode fallback: test_farm_lab.py.)"""
    _netboot_board(board)
    if board.kernel != "linux" or board.spec.firmware == "uefi":
        pytest.skip("one BIOS and one U-Boot board are enough")
    if damage == "garbage" and board.spec.firmware != "uboot":
        pytest.skip("iPXE runs any file as a PXE program (and hangs): the farm refuses a "
                    "bad image before power-on, test_bad_image_is_refused_before_power_on")
    real_stage = netboot.stage

    def stage_broken(spec, image, **kw):
        staged = real_stage(spec, image, **kw)
        kernel = staged.directory / "kernel"
        if damage == "missing":
            kernel.unlink()
        else:
            kernel.write_bytes(b"not a kernel image\n" * 4096)
        return staged
    monkeypatch.setattr(netboot, "stage", stage_broken)
    log = netboot_log(f"{damage}_boot_file.log")
    t0 = time.monotonic()
    with pytest.raises(netboot.NetbootFailure) as err:
        board.boot(log)
    board.power_off()
    took = time.monotonic() - t0
    assert classify(err.value) == "infra", err.value
    stage = "loaded"
    assert err.value.stage == stage, f"expected the failure in stage '{stage}': {err.value}"
    if damage == "garbage":
        assert "netboot bad image" in err.value.reason, err.value.reason
    assert took < 90, f"the {damage} kernel was reported after {took:.0f} s, not within 90 s"
    assert f"netboot failed in stage {stage}" in log.read_text(), f"no failure note in {log}"


def test_bad_image_is_refused_before_power_on(tmp_path):
    """Every firmware: a file that is no kernel it can start is an infra
    failure named at staging, and nothing of the board's is published."""
    from farm import inventory
    from farm.qemu import Target
    from types import SimpleNamespace
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a kernel image\n" * 4096)
    for spec in inventory.load(inventory.ROOT / "tests/netboot/boards.yaml").boards.values():
        target = Target(spec.arch, "linux")
        image = SimpleNamespace(target=SimpleNamespace(image=junk, initrd=target.initrd,
                                                       name="junk", arch=spec.arch,
                                                       default_cmdline=lambda: ""),
                                initrd=None, cmdline="")
        root = tmp_path / spec.name
        with pytest.raises(netboot.BadImage) as err:
            netboot.stage(spec, image, root=root)
        assert classify(err.value) == "infra"
        assert "netboot bad image" in str(err.value) and spec.firmware in str(err.value)
        assert not (root / "boards" / netboot.mac_dashes(spec.mac)).exists()
        # The board's real kernels pass the same check.
        for kernel in ("kevlar", "linux"):
            assert netboot.check_image(spec, Target(spec.arch, kernel).image)


def test_loaded_stage_survives_a_kernel_that_cuts_the_loader_line():
    """Seen under load: Kevlar resets the UART FIFOs and drops the end of
    iPXE's last echo. The kernel's first line then marks `loaded`, without
    consuming it, so the `kernel` stage still finds it."""
    import pexpect
    line = "kevlar-netboot: loaded, bootin[    0.000000] Kevlar 0.1.0 (x86_64) git 8d4cbb7\n"
    child = pexpect.spawn("printf", ["%s", line], encoding="utf-8")
    try:
        assert child.expect([netboot.LOADED["bios"], pexpect.EOF], timeout=10) == 0
        assert child.expect([boot.FIRST_LINE["kevlar"], pexpect.EOF], timeout=10) == 0, \
            "the loaded stage consumed the kernel's first line"
    finally:
        child.close(force=True)
