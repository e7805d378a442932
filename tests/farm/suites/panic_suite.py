"""Run by tests/farm through `farm run --suite`: a boot that must panic."""

import pytest

from farm import boot


@pytest.mark.boot_cmdline("rdinit=/nonexistent root=/dev/nonexistent")
def test_boot_without_init_reaches_login(board, console):
    boot.wait_login(console, board.kernel)
