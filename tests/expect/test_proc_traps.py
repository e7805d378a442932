"""The known traps between init and login (REFERENCE 1): each one a test."""

from harness import xfail_on_kevlar

NO_PROCFS = "procfs is issue #5"


def test_proc_self_environ_is_the_real_environment(request, shell):
    xfail_on_kevlar(request, shell, NO_PROCFS)
    a = shell.run("VAR=a md5sum /proc/self/environ")
    b = shell.run("VAR=b md5sum /proc/self/environ")
    assert a != b, "OpenRC's init.sh compares these to tell a real /proc from a stale one"
    assert "VAR=a" in shell.run("VAR=a cat /proc/self/environ | tr '\\0' '\\n'").split("\n")


def test_proc_self_exe_of_a_script_names_the_interpreter(request, shell):
    xfail_on_kevlar(request, shell, NO_PROCFS)
    shell.run("printf '#!/bin/sh\\nreadlink /proc/$$/exe\\n' > /tmp/exe.sh; chmod +x /tmp/exe.sh")
    assert shell.run("/tmp/exe.sh") == "/bin/busybox"


def test_rootfs_has_groups_and_runlevels_openrc_needs(shell):
    groups = shell.run("cut -d: -f1 /etc/group").split("\n")
    assert {"uucp", "tty", "wheel"} <= set(groups)
    assert shell.run("ls /etc/runlevels").split() == \
        ["boot", "default", "nonetwork", "off", "recovery", "shutdown", "sysinit"]
