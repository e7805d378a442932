"""BusyBox's shell on the serial console: the same dialogue on Kevlar and Linux."""

import re


def test_echo_and_arithmetic(shell):
    assert shell.run("echo hello $((6*7))") == "hello 42"


def test_pipeline_counts_lines(shell):
    assert shell.run("seq 1 250 | grep 7 | wc -l") == "43"


def test_exit_status_of_false_and_true(shell):
    assert shell.status("false")[1] == 1
    assert shell.status("true")[1] == 0


def test_files_create_move_link_remove(shell):
    out = shell.run("cd /tmp && mkdir -p d/e && echo abc > d/f && mv d/f d/g && "
                    "ln -s g d/l && cat d/l && rm d/g && ls -1 d && cd / && rm -rf /tmp/d && "
                    "ls /tmp | wc -l")
    assert out.split("\n") == ["abc", "e", "l", "0"]


def test_cwd_follows_cd(shell):
    assert shell.run("mkdir -p /tmp/a/b && cd /tmp/a/b && pwd && cd .. && pwd && cd /") == \
        "/tmp/a/b\n/tmp/a"


def test_subshell_pipeline_waits_for_writer(shell):
    assert shell.run("(echo x; sleep 1; echo y) | cat") == "x\ny"


def test_signalled_child_status_is_128_plus_signal(shell):
    out, status = shell.status("sh -c 'kill -9 $$'")
    assert status == 137


def test_trap_runs_handler_for_usr1(shell):
    assert shell.run("trap 'echo got-usr1' USR1; kill -USR1 $$; trap - USR1") == "got-usr1"


def test_ctrl_c_interrupts_foreground_sleep(shell):
    shell.sendline("sleep 20")
    shell.expect(r"sleep 20\r*\n", 10)
    shell.send("\x03")
    shell.expect(r"TEST# ", 10)
    assert shell.run("echo st=$?") == "st=130"


def test_background_job_listed_and_killed(shell):
    shell.run("sleep 100 &")
    assert re.search(r"\[1\]\+?\s+Running\s+sleep 100", shell.run("jobs"))
    # ash reports the job's end right after `kill` or at the next prompt.
    assert re.search(r"\[1\]\+?\s+Terminated\s+sleep 100",
                     shell.run("kill %1") + shell.run("sleep 0.2; jobs"))
    assert shell.run("jobs") == ""
