"""The netboot boot mode: a board whose firmware fetches its kernel over the
network, as a lab board does (inventory `boot: netboot`).

NetbootBoard is a Board whose start() first publishes the kernel, initrd and
command line under the board's MAC (farm/netboot.py), then powers on through
the board's own power and console (any of them: QEMU, PDU commands, ser2net),
and walks the firmware stages (firmware → dhcp → loader → loaded) on the
console, so a failed network boot ends as an infra failure within bounded time.

NetbootQemuPower is the power of a QEMU board in this mode: QEMU runs in the
lab's namespace on a tap of the lab bridge (farm/lab.py), or, where there is
no lab, on QEMU's user-mode network whose TFTP server serves the same tree.
FARM_NET=lab|user|auto (default auto: the lab when namespaces work).
"""

import logging
import os

import pexpect

from farm import lab as labnet
from farm import netboot
from farm.boards.base import Board
from farm.boards.qemu import QemuPower
from farm.errors import PowerError

log = logging.getLogger("farm.board")

_warned = []


def network_mode():
    """'lab' or 'user', from FARM_NET and what this host allows."""
    want = os.environ.get("FARM_NET", "auto")
    if want not in ("auto", "lab", "user"):
        raise PowerError(f"FARM_NET={want!r}: expected lab, user or auto")
    if want != "auto":
        return want
    ok, why = labnet.available()
    if ok:
        return "lab"
    if not _warned:
        _warned.append(why)
        log.warning("lab network unavailable: %s; %s", why, labnet.FALLBACK)
    return "user"


def lab_for_run(specs):
    """`with lab_for_run(specs):` around a farm run: one lab network for all
    of its netboot QEMU boards (farm/lab.py run_lab), when it uses the lab."""
    needed = any(s.boot == "netboot" and s.power.kind == "qemu" for s in specs)
    return labnet.run_lab(needed and network_mode() == "lab")


class NetbootQemuPower(QemuPower):
    """QemuPower with another QEMU command line (firmware, NIC) and a tap."""

    def __init__(self, spec):
        super().__init__(spec)
        self.lab = None
        self.tap = None
        self.mode = None
        self.root = netboot.TFTP_ROOT

    def prepare(self):
        """Choose the network and bring the lab up; return the HTTP base URL
        the board's script may use ("" for TFTP only). self.root is then the
        tree the board's files go to: the lab's own (farm/lab.py), or the
        shared build/netboot/tftp for the user-mode network."""
        self.mode = network_mode()
        if self.mode != "lab":
            self.root = netboot.TFTP_ROOT
            return ""
        try:
            self.lab = labnet.shared()
        except labnet.LabUnavailable as e:
            raise PowerError(f"board {self.spec.name}: {e}") from None
        self.root = self.lab.tftp_root
        return self.lab.http_base

    def on(self, image):
        if self.mode is None:
            self.prepare()
        vars_file = None
        if self.spec.firmware == "uefi":
            vars_file = netboot.ovmf_vars(self.spec, self.lab.dir if self.lab else None)
        if self.mode == "lab":
            self.lab.add_host(self.spec.mac, self.spec.name)
            self.tap = self.lab.add_tap()
            cmd = self.lab.wrap(netboot.qemu_command(self.spec, ("tap", self.tap), vars_file))
        else:
            cmd = netboot.qemu_command(self.spec, ("user", str(self.root)), vars_file)
        log.info("%s: %s", self.spec.name, " ".join(cmd))
        try:
            self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                                       timeout=None, echo=False, dimensions=(24, 200),
                                       preexec_fn=labnet.die_with_parent)
        except pexpect.ExceptionPexpect as e:
            self._drop_tap()
            raise PowerError(f"board {self.spec.name}: cannot start {cmd[0]}: {e}") from None

    def _drop_tap(self):
        tap, self.tap = self.tap, None
        if tap is not None and self.lab is not None:
            self.lab.remove_tap(tap)

    def off(self):
        try:
            super().off()
        finally:
            self._drop_tap()


class NetbootBoard(Board):
    """A Board that boots from the network: stage per MAC, power on, and
    follow the firmware to the kernel."""

    def start(self, image, log_path, on_stage=None):
        prepare = getattr(self.power, "prepare", None)
        http_base = prepare() if prepare else ""
        root = getattr(self.power, "root", netboot.TFTP_ROOT)
        staged = netboot.stage(self.spec, image, root=root, http_base=http_base)
        console = super().start(image, log_path, on_stage=on_stage)
        mode = getattr(self.power, "mode", None)
        lab = getattr(self.power, "lab", None)
        network = f"lab {lab.ns}" if lab is not None else mode
        console.note(f"netboot: {self.spec.firmware} firmware, MAC {self.spec.mac}, "
                     f"files in {staged.directory}" + (f", network {network}" if network else ""))
        try:
            self.tftp_rate = netboot.wait_loaded(console, self.spec.firmware, staged)
        except BaseException:
            self.stop(console)
            raise
        return console
