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


def test_proc_self_environ_of_an_empty_environment_is_exactly_what_was_given(shell):
    assert shell.run("env -i A=1 B=2 cat /proc/self/environ | tr '\\0' '\\n'") == "A=1\nB=2"


def test_openrc_proc_check_answers_as_on_linux(shell):
    # init.sh's test for a stale /proc. Debian's BusyBox runs md5sum in a
    # forked shell, so on Linux both sides hash the shell's environment and
    # compare equal; a kernel must give the same answer.
    check = ('[ "$(VAR=a md5sum /proc/self/environ)" = "$(VAR=b md5sum /proc/self/environ)" ]'
             ' && echo same || echo differ')
    assert shell.run(check) == "same"
