"""farm bisect: the search itself, and a bisection judged from the fixture
store (no build) that lands on the dashboard."""

import io
import subprocess

import fixture
from farm.bisect import BAD, GOOD, UNTESTABLE, search

PYTHON = "/usr/bin/python3"


def test_search_finds_the_first_bad_commit_in_log2_steps():
    commits = [f"c{i}" for i in range(10)]
    first, steps = search(commits, lambda c: BAD if int(c[1:]) >= 6 else GOOD, io.StringIO())
    assert first == "c6" and len(steps) <= 4


def test_search_leaves_out_commits_it_cannot_judge():
    commits = [f"c{i}" for i in range(8)]

    def judge(c):
        n = int(c[1:])
        return UNTESTABLE if n == 3 else (BAD if n >= 3 else GOOD)
    first, steps = search(commits, judge, io.StringIO())
    # c3 cannot be built: the first bad commit that could be judged is c4.
    assert first == "c4"
    assert {"commit": "c3", "verdict": UNTESTABLE} in steps


def test_bisect_from_stored_results_records_the_answer_on_the_dashboard(tmp_path):
    from dashboards.render import generate
    store, repo, h = fixture.make_store(tmp_path)
    cmd = [PYTHON, "-m", "farm", "bisect", "--test", "test_shell_echo", "--good", h["A"],
           "--bad", h["C"], "--board", "qemu-x86_64", "--kernel", "kevlar", "--results",
           str(store), "--repo", str(repo), "--no-build", "--no-dashboard"]
    out = subprocess.run(cmd, cwd=fixture.Path(__file__).parent.parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"first bad commit: {h['B']}  commit B: change b" in out.stdout
    site = tmp_path / "site"
    generate(store, site, repo)
    index = (site / "index.html").read_text()
    assert "Bisections" in index and f"commit/{h['B']}.html\">{h['B'][:12]}</a>" in index
    page = (site / "commit" / f"{h['B']}.html").read_text()
    assert "Bisection: first bad commit for" in page
