"""tests/dashboards: a dashboard generated from a fixture store (fixture.py)."""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import fixture  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(site directory, {"A": hash, ...}) of the fixture store's dashboard."""
    from dashboards.render import generate
    tmp = tmp_path_factory.mktemp("dash")
    store, repo, hashes = fixture.make_store(tmp)
    generate(store, tmp / "site", repo)
    return tmp / "site", hashes
