"""Run by tests/farm: the booted and shell fixtures on a board."""


def test_login_prompt_comes(booted):
    assert "kevlar login:" in booted.text


def test_first_shell_command(shell):
    assert shell.run("echo $((6 * 7))") == "42"


def test_second_shell_command_reuses_the_login(shell):
    assert shell.status("false")[1] == 1
    assert shell.run("uname -s") == "Linux"
