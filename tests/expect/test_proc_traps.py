"""The known traps between init and login (REFERENCE 1): each one a test."""

from harness import xfail_on_kevlar

NO_PROCFS = "procfs is issue #5"


def test_proc_self_environ_is_the_real_environment(request, shell):
    xfail_on_kevlar(request, shell, NO_PROCFS)
    # `sh -c` is a new program (BusyBox runs md5sum-like applets in a forked
    # shell, which keeps the shell's environment), so its environ is its own.
    show = "sh -c 'tr \"\\\\0\" \"\\\\n\" < /proc/$$/environ' | grep ^VAR="
    assert shell.run(f"VAR=a {show}") == "VAR=a"
    assert shell.run(f"VAR=b {show}") == "VAR=b"


def test_proc_self_exe_of_a_script_names_the_interpreter(request, shell):
    xfail_on_kevlar(request, shell, NO_PROCFS)
    shell.run("printf '#!/bin/sh\\nreadlink /proc/$$/exe\\n' > /tmp/exe.sh; chmod +x /tmp/exe.sh")
    assert shell.run("/tmp/exe.sh") == "/bin/busybox"


def test_rootfs_has_groups_and_runlevels_openrc_needs(shell):
    groups = shell.run("cut -d: -f1 /etc/group").split("\n")
    assert {"uucp", "tty", "wheel"} <= set(groups)
    assert shell.run("ls /etc/runlevels").split() == \
        ["boot", "default", "nonetwork", "off", "recovery", "shutdown", "sysinit"]
