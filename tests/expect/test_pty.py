"""Pseudo-terminals: /usr/lib/kevlar/ptyscript (a minimal `script -q -c CMD
LOG`; Debian's busybox-static has no script applet) runs a command on
/dev/pts/N through /dev/ptmx: posix_openpt, grantpt, unlockpt, ptsname, a
session leader opening the slave as its controlling terminal, master reads
ending in EIO when the command exits. The same on Kevlar and Linux."""

# The initramfs has neither /dev/ptmx nor /dev/pts: make them as udev would.
SETUP = ("mkdir -p /dev/pts && { [ -e /dev/ptmx ] || mknod -m 666 /dev/ptmx c 5 2; } && "
         "{ mount -t devpts devpts /dev/pts 2>/dev/null; true; }")


def lines(text):
    return text.replace("\r", "").split("\n")


def test_script_runs_a_command_on_a_pseudo_terminal(shell):
    shell.run(SETUP)
    out = shell.run("/usr/lib/kevlar/ptyscript /tmp/log 'echo hi; tty'")
    assert lines(out) == ["hi", "/dev/pts/0"], out
    assert lines(shell.run("cat /tmp/log")) == ["hi", "/dev/pts/0"]


def test_the_slave_node_goes_away_with_the_master(shell):
    shell.run(SETUP)
    shell.run("/usr/lib/kevlar/ptyscript /dev/null true")
    assert shell.run("ls /dev/pts") == "ptmx"


def test_the_command_gets_the_terminal_settings_and_its_status_comes_back(shell):
    shell.run(SETUP)
    out, status = shell.status("/usr/lib/kevlar/ptyscript /dev/null "
                               "'stty rows 24 cols 80 && stty size; exit 3'")
    assert status == 3, out
    assert lines(out) == ["24 80"], out


def test_util_linux_script_records_a_session(shell):
    # util-linux's script(1) (bsdutils): openpty, then signalfd for SIGCHLD,
    # SIGWINCH and the termination signals, polled with the master and stdin.
    shell.run(SETUP)
    out = shell.run("script -q -c 'echo hi; tty' /tmp/log2")
    got = lines(out)
    assert got[0] == "hi" and got[1].startswith("/dev/pts/"), out
    log = shell.run("cat /tmp/log2")
    assert "Script started" in log and "hi" in log, log
