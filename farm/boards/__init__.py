"""Board drivers: how power and console are reached, behind two protocols.

A board is a Power (on/off/cycle) and a ConsoleLink (a pexpect object for the
serial line). farm/boards/base.py's Board composes them and is all the rest of
the farm sees; it never asks which drivers it has.
"""

from farm.boards.base import Board, BootImage  # noqa: F401
from farm.boards.netboot import NetbootBoard, NetbootQemuPower
from farm.boards.qemu import QemuPower, QemuStdioLink
from farm.boards.remote import CommandPower, Rfc2217Link, TcpLink, TtyLink


def make_board(spec):
    """The Board for an inventory entry (farm.inventory.BoardSpec)."""
    netboot = spec.boot == "netboot"
    if spec.power.kind == "qemu":
        power = NetbootQemuPower(spec) if netboot else QemuPower(spec)
    else:
        power = CommandPower(spec)
    c = spec.console
    if c.kind == "qemu":
        link = QemuStdioLink(power)
    elif c.kind == "tcp":
        link = TcpLink(c.host, c.port)
    elif c.kind == "rfc2217":
        link = Rfc2217Link(c.host, c.port, c.baud)
    else:
        link = TtyLink(c.device, c.baud)
    return (NetbootBoard if netboot else Board)(spec, power, link)
