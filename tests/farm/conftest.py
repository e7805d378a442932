"""tests/farm fixtures: a real PostgreSQL server for the shared-store tests."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pgserver  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    why = pgserver.missing()
    if why:
        pytest.skip(f"no PostgreSQL for the shared-store tests: {why}")
    server = pgserver.PgServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """postgresql:///farmN?host=...: an empty database of its own for the test."""
    return pg_server.new_database()
