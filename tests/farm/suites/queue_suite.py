"""Run by tests/farm/test_pg_store.py through `farm submit` / `farm worker`:
one test that only takes the board (its lock, no power-on) and one that
boots to the login prompt."""


def test_board_is_ours(board):
    assert board.live.lock is not None and board.kernel in board.spec.kernels


def test_login_prompt_comes(booted):
    assert "login:" in booted.text
