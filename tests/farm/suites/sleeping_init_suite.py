"""Run by tests/farm through `farm run --suite`: a boot whose init only
sleeps, so the kernel comes and OpenRC, and so the login prompt, never do."""

import pytest


@pytest.mark.boot_cmdline("rdinit=/bin/sleep -- 3600")
def test_login_prompt_comes_when_init_only_sleeps(booted):
    assert "kevlar login:" in booted.text
