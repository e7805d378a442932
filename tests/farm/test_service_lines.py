"""OpenRC's service lines read from a console transcript, as the boot test
compares them with Linux's: a kernel log line that lands in the middle of a
service's line (Linux under load) must not hide the service."""

from farm.boot import service_lines

TRANSCRIPT = (
    "[    1.919054] Run /init as init process\r\n"
    " * Mounting /proc ...[    2.168894] tsc: Refined TSC clocksource calibration: 2596.104 MHz\r\n"
    "[    2.169414] clocksource: tsc: mask: 0xffffffffffffffff max_cycles: 0x256bdbc6206\r\n"
    "[    2.169823] clocksource: Switched to clocksource tsc\r\n"
    " [ ok ]\r\n"
    " * Mounting devtmpfs on /dev ... [ ok ]\r\n"
    " * Starting syslogd ... [ !! ]\r\n"
)


def test_a_kernel_line_inside_a_service_line_does_not_hide_it():
    assert service_lines(TRANSCRIPT) == [("Mounting /proc", "ok"),
                                         ("Mounting devtmpfs on /dev", "ok"),
                                         ("Starting syslogd", "!!")]


def test_plain_service_lines():
    assert service_lines(" * Caching service dependencies ... [ ok ]\r\n") == \
        [("Caching service dependencies", "ok")]
