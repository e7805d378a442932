"""A QEMU board: power is the QEMU process, the console is its stdio."""

import pexpect

from farm.console import stop_spawned
from farm.errors import ConsoleUnreachable, PowerError
from farm.lifetime import die_with_parent
from farm.qemu import BootError, BootSpec


class QemuPower:
    def __init__(self, spec):
        self.spec = spec
        self.child = None

    def on(self, image):
        cmd = BootSpec(image.target, cmdline=image.cmdline, mem=self.spec.mem,
                       initrd=image.initrd).command()
        try:
            self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                                       timeout=None, echo=False, dimensions=(24, 200),
                                       preexec_fn=die_with_parent)
        except pexpect.ExceptionPexpect as e:
            raise PowerError(f"board {self.spec.name}: cannot start {cmd[0]}: {e}") from None

    def off(self):
        child, self.child = self.child, None
        if child is not None:
            stop_spawned(child)
            self._last_status = _status(child)

    def exit_status(self):
        if self.child is None:
            return getattr(self, "_last_status", None)
        if self.child.isalive():
            return None
        return _status(self.child)


def _status(child):
    if child.isalive():
        return None
    if child.exitstatus is not None:
        return child.exitstatus
    return -(child.signalstatus or 0)


class QemuStdioLink:
    """QEMU's -nographic stdio: it exists from power-on, so nothing is missed."""

    def __init__(self, power):
        self.power = power

    def prepare(self):
        pass

    def attach(self, timeout):
        if self.power.child is None:
            raise ConsoleUnreachable("the QEMU console exists only once QEMU runs")
        return self.power.child

    def close(self):
        pass   # the process is the power: QemuPower.off ends it


__all__ = ["QemuPower", "QemuStdioLink", "BootError"]
