"""Run by tests/farm through `farm run --suite`: two short boots that pass,
then one that waits far longer than the test lets the farm live."""

from farm import boot


def test_first_boot_prints_the_banner(board, console):
    console.expect(boot.FIRST_LINE[board.kernel], 60, "kernel")


def test_second_boot_prints_the_banner(board, console):
    console.expect(boot.FIRST_LINE[board.kernel], 60, "kernel")


def test_third_boot_waits_for_a_line_that_never_comes(board, console):
    console.expect(boot.FIRST_LINE[board.kernel], 60, "kernel")
    console.expect(r"a line no kernel prints", 900, "never")
