"""The known traps between init and login (REFERENCE 1): each one a test."""


def test_proc_self_environ_is_the_real_environment(shell):
    # cat is exec'd, so /proc/self/environ is its own initial environment.
    # (BusyBox runs some applets, md5sum among them, in a forked shell with
    # the shell's environment: on Linux those show no VAR at all.)
    show = "cat /proc/self/environ | tr '\\0' '\\n' | grep ^VAR="
    assert shell.run(f"VAR=a {show}") == "VAR=a"
    assert shell.run(f"VAR=b {show}") == "VAR=b"


def test_proc_self_exe_of_a_script_names_the_interpreter(shell):
    shell.run("printf '#!/bin/sh\\nreadlink /proc/$$/exe\\n' > /tmp/exe.sh; chmod +x /tmp/exe.sh")
    assert shell.run("/tmp/exe.sh") == "/bin/busybox"


def test_rootfs_has_groups_and_runlevels_openrc_needs(shell):
    groups = shell.run("cut -d: -f1 /etc/group").split("\n")
    assert {"uucp", "tty", "wheel"} <= set(groups)
    assert shell.run("ls /etc/runlevels").split() == \
        ["boot", "default", "nonetwork", "off", "recovery", "shutdown", "sysinit"]
