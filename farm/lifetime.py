"""Processes that end with the process that started them.

PR_SET_PDEATHSIG (prctl(2)): the kernel sends the signal when the parent
dies, however it dies (SIGKILL, the OOM killer), so a killed farm leaves no
QEMU, dnsmasq or pytest job running behind it.
"""

import ctypes
import signal

PR_SET_PDEATHSIG = 1


def parent_death_signal(sig):
    """Ask for sig when our parent dies; False where prctl is unavailable."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent():
    """preexec_fn for a child (QEMU, dnsmasq) that must not outlive the farm."""
    parent_death_signal(signal.SIGKILL)
