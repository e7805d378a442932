"""The farm's failure classes, as exception types.

Every way a job can end badly is one of four classes, and only `infra` is
retried (on the same board):

  infra    the lab failed, not the kernel: power command failed, console
           unreachable or silent since power-on, QEMU exited under us, board
           locked by another run
  panic    the kernel printed `KEVLAR PANIC:` or Linux's `Kernel panic`
  timeout  a stage did not arrive in time (the error names the stage)
  fail     an assertion about the kernel's behaviour did not hold
"""

import pexpect

CLASSES = ("infra", "panic", "timeout", "fail")


class FarmError(Exception):
    """A farm problem the user must fix (bad inventory, missing build); not a
    test result."""


class InfraError(Exception):
    """The lab failed: retried on the same board."""

    kind = "infra"


class PowerError(InfraError):
    pass


class ConsoleUnreachable(InfraError):
    pass


class BoardBusy(InfraError):
    pass


class ConsoleError(AssertionError):
    """A stage did not arrive. Subclasses tell why."""

    kind = "fail"

    def __init__(self, stage, reason, tail):
        self.stage, self.reason, self.tail = stage, reason, tail
        super().__init__(f"stage '{stage}': {reason}\n--- last console lines ---\n{tail}")


class StageTimeout(ConsoleError):
    kind = "timeout"


class ConsoleSilent(StageTimeout):
    """A stage did not arrive and the board has not sent one byte since
    power-on: no firmware banner, no kernel line. Firmware always says
    something, so this is the lab (a relay that did not switch, a dead board,
    console wiring or baud), not the kernel: infra, retried."""

    kind = "infra"


class KernelPanic(ConsoleError):
    kind = "panic"


class ConsoleClosed(ConsoleError):
    kind = "infra"


def classify(exc):
    """The failure class of an exception raised by a test or a fixture."""
    kind = getattr(exc, "kind", None)
    if kind in CLASSES:
        return kind
    # The farm's own plumbing failing (a socket, a pty, a missing QEMU) is not
    # the kernel's fault.
    if isinstance(exc, (OSError, pexpect.ExceptionPexpect)):
        return "infra"
    return "fail"
