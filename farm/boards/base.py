"""A board = power + console link, and the one way every board is started.

Power protocol:        on(image), off(), exit_status()
ConsoleLink protocol:  prepare(), attach(timeout) -> pexpect object, close()

The order of start() is the order a lab needs: power off whatever ran before,
open the console, power on, so the log begins with the board's first byte.
"""

import logging
from dataclasses import dataclass

from farm.console import Console
from farm.qemu import Target

log = logging.getLogger("farm.board")

ATTACH_TIMEOUT = 30


@dataclass
class BootImage:
    """What a board is to boot. A QEMU board passes it to QEMU; command power
    gets it in the environment (FARM_*), where a staging step (or netboot's
    per-MAC TFTP directory) picks it up; a real PDU ignores it."""

    target: Target
    cmdline: str = ""
    initrd: str = ""

    def env(self, spec):
        return {"FARM_BOARD": spec.name, "FARM_ARCH": self.target.arch,
                "FARM_KERNEL": self.target.kernel, "FARM_IMAGE": str(self.target.image),
                "FARM_INITRD": self.initrd or str(self.target.initrd),
                "FARM_CMDLINE": " ".join(x for x in (self.target.default_cmdline(), self.cmdline)
                                         if x),
                "FARM_MAC": spec.mac, "FARM_MEM": spec.mem}


class Board:
    def __init__(self, spec, power, link):
        self.spec, self.power, self.link = spec, power, link
        self.name = spec.name

    def __repr__(self):
        return f"Board({self.name}: {self.spec.arch}, console {self.spec.console}, " \
               f"power {self.spec.power})"

    def start(self, image, log_path, on_stage=None):
        """Power the board on with image; return its Console (log from power-on)."""
        self.power.off()
        self.link.prepare()
        try:
            log.info("%s: power on (%s)", self.name, image.target.name)
            self.power.on(image)
            child = self.link.attach(ATTACH_TIMEOUT)
        except BaseException:
            self.link.close()
            self.power.off()
            raise
        console = Console(child, log_path, exit_status=self.power.exit_status,
                          on_stage=on_stage)
        console.note(f"board {self.name} powered on: {image.target.name}, "
                     f"console {self.spec.console}")
        return console

    def stop(self, console=None):
        """Close the console and cut the power; safe to call twice."""
        try:
            if console is not None:
                console.close()
        finally:
            try:
                self.link.close()
            finally:
                self.power.off()
