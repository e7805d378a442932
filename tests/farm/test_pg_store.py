"""The PostgreSQL store and its job queue, against a real server (conftest.py's
pg_server: Debian's postgresql in a temporary directory): a farm run into it
and `farm results` out of it (a SIGKILL mid-run: test_results.py); two
workers with disjoint boards share one queue; a dead worker's job is taken
over after its lease; the dashboards read it."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from farm import inventory
from farm.qemu import ROOT, Target
from farm.results import git_info, open_store

sys.path.insert(0, str(ROOT / "tests" / "dashboards"))

import fixture  # noqa: E402  (tests/dashboards/fixture.py: a store with a known story)

PYTHON = "/usr/bin/python3"
SUITE = "tests/farm/suites/queue_suite.py"


def farm(*args, timeout=300):
    proc = subprocess.run([PYTHON, "-m", "farm", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout + proc.stderr


def needs_x86_64_builds():
    for kernel in ("linux", "kevlar"):
        t = Target("x86_64", kernel)
        if not (t.image.exists() and t.initrd.exists()):
            pytest.skip(f"{kernel} x86_64 not built: run `make boot-deps`")


def lab(tmp_path, name, tags, mac):
    """An inventory of one QEMU board: what one lab host has."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"""
boards:
  {name}:
    arch: x86_64
    firmware: bios
    mac: "{mac}"
    console: qemu
    power: qemu
    tags: [{", ".join(tags)}]
""")
    return path


def test_a_farm_run_goes_into_postgresql_and_farm_results_prints_it(pg_url, tmp_path):
    needs_x86_64_builds()
    inv = lab(tmp_path, "pg-lab-r", ["host-r"], "52:54:00:4b:17:04")
    rc, out = farm("run", "--results", pg_url, "--inventory", str(inv), "--kernel", "linux",
                   "--suite", f"{SUITE}::test_login_prompt_comes")
    assert rc == 0, out
    assert re.search(r"^pg-lab-r\s.*\blinux\s+PASSED", out, re.M), out
    store = open_store(pg_url, readonly=True)
    [run] = store.runs()
    [job] = store.jobs(run["id"])
    [test] = store.tests(job["id"])
    assert run["finished"] and run["commit_hash"] == git_info().commit
    assert (job["board"], job["kernel"], job["outcome"]) == ("pg-lab-r", "linux", "passed")
    assert test["outcome"] == "passed" and "login" in test["stages"]
    rc, out = farm("results", "--results", pg_url, "-v")
    assert rc == 0, out
    assert re.search(rf"^run {run['id']} .* {run['commit_hash'][:12]}", out, re.M), out
    assert re.search(r"pg-lab-r\s+linux\s+#1\s+passed", out), out
    assert re.search(r"passed .*test_login_prompt_comes\[pg-lab-r-linux\]", out), out
    assert "stages {" in out and test["log"] in out


def test_two_workers_with_disjoint_boards_share_one_queue(pg_url, tmp_path):
    needs_x86_64_builds()
    head = git_info().commit
    lab_a = lab(tmp_path, "pg-lab-a", ["host-a"], "52:54:00:4b:17:01")
    lab_b = lab(tmp_path, "pg-lab-b", ["host-b"], "52:54:00:4b:17:02")
    boot = f"{SUITE}::test_login_prompt_comes"
    submits = [
        ("--kernel", "linux", "--tag", "host-a", "--suite", boot),
        ("--kernel", "kevlar", "--tag", "host-a", "--suite", boot),
        ("--kernel", "all", "--board", "pg-lab-b", "--suite", boot),
        # Nobody here has an arm64 board, and no worker is at that commit:
        # both stay queued.
        ("--kernel", "linux", "--arch", "arm64"),
        ("--kernel", "linux", "--tag", "host-a", "--commit", "0123456789abcdef"),
    ]
    for args in submits:
        rc, out = farm("submit", "--results", pg_url, *args)
        assert rc == 0 and "queued job" in out, out
    workers = [subprocess.Popen([PYTHON, "-m", "farm", "worker", "--results", pg_url,
                                 "--inventory", str(inv), "--until-empty", "--poll", "1"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, stdin=subprocess.DEVNULL)
               for inv in (lab_a, lab_b)]
    outs = []
    try:
        for w in workers:
            outs.append(w.communicate(timeout=300)[0])
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for w, out in zip(workers, outs):
        assert w.returncode == 0, out
    assert "still queued for other commits: 0123456789ab (1)" in outs[0]

    store = open_store(pg_url, readonly=True)
    entries = {e["id"]: e for e in store.queue()}
    ran = [e for e in entries.values() if e["state"] != "queued"]
    assert len(ran) == 4 and all(e["state"] == "done" for e in ran), entries
    for e in ran:
        board = "pg-lab-a" if "host-a" in e["tags"] else "pg-lab-b"
        assert e["ran_board"] == board and e["claims"] == 1
        assert e["outcome"] == "passed", e
        assert e["ran_commit"] == head and e["commit_hash"] == head
        [job] = store.jobs(e["run_id"])
        assert job["id"] == e["job_id"]
        assert (job["board"], job["kernel"], job["outcome"]) == (board, e["kernel"], "passed")
    # No job ran twice: one run with one job per queue entry.
    all_jobs = [j for r in store.runs(limit=100) for j in store.jobs(r["id"])]
    assert len(all_jobs) == 4
    assert sorted((j["board"], j["kernel"]) for j in all_jobs) == [
        ("pg-lab-a", "kevlar"), ("pg-lab-a", "linux"), ("pg-lab-b", "kevlar"),
        ("pg-lab-b", "linux")]
    left = sorted((e["arch"], e["commit_hash"]) for e in entries.values()
                  if e["state"] == "queued")
    assert left == [("", "0123456789abcdef"), ("arm64", head)]
    rc, out = farm("queue", "--results", pg_url)
    assert rc == 0 and len(re.findall(r" done .* passed", out)) == 4, out


def test_a_dead_workers_job_is_taken_over_after_its_lease(pg_url, tmp_path):
    needs_x86_64_builds()
    inv_path = lab(tmp_path, "pg-lab-c", ["host-c"], "52:54:00:4b:17:03")
    spec = inventory.load(inv_path).boards["pg-lab-c"]
    store = open_store(pg_url)
    queued = store.submit(git_info().commit, "linux", tags=["host-c"],
                          suites=[f"{SUITE}::test_board_is_ours"])
    # A worker claims it, starts its run, then dies: it renews no more.
    dead = store.claim(spec, "dead-host:1", lease=4, commit=git_info().commit)
    assert dead.id == queued
    run = store.new_run(argv=["farm", "run", "--queue-job", str(queued)])
    job = store.new_job(run, spec, "linux")
    assert store.renew(dead, run, job)
    assert store.claim(spec, "other:2", lease=60) is None, "claimed while the lease holds"
    time.sleep(4.5)
    rc, out = farm("worker", "--results", pg_url, "--inventory", str(inv_path), "--until-empty")
    assert rc == 0, out
    assert f"claimed job {queued} (linux at" in out and "claim 2" in out, out
    [entry] = store.queue()
    assert (entry["state"], entry["outcome"], entry["claims"]) == ("done", "passed", 2)
    assert entry["claimed_by"] != "dead-host:1" and entry["run_id"] != run
    [old] = store.jobs(run)
    assert (old["outcome"], old["class"]) == ("errored", "infra")
    assert "dead-host:1 lost its claim" in old["reason"]
    # The dead worker, were it only stopped, can no longer touch the entry.
    assert not store.renew(dead) and not store.finish(dead, "failed", "errored")


def test_a_job_whose_workers_keep_dying_is_failed_not_retried_forever(pg_url, tmp_path):
    spec = inventory.load(lab(tmp_path, "pg-lab-d", [], "52:54:00:4b:17:05")).boards["pg-lab-d"]
    store = open_store(pg_url)
    queued = store.submit("0" * 40, "linux")
    for n in range(3):
        claim = store.claim(spec, f"dying:{n}", lease=0.01, max_claims=3)
        assert (claim.id, claim.claims) == (queued, n + 1)
        time.sleep(0.05)
    assert store.claim(spec, "next:9", lease=60, max_claims=3) is None
    [entry] = store.queue()
    assert (entry["state"], entry["class"]) == ("failed", "infra")
    assert entry["reason"].startswith("lost 3 times")


def test_submit_and_worker_need_a_postgresql_store(tmp_path):
    rc, out = farm("submit", "--results", str(tmp_path / "r.db"), "--kernel", "linux")
    assert rc == 2 and "the job queue lives in a PostgreSQL store" in out
    rc, out = farm("results", "--results", "postgresql:///nosuchdb?host=/nonexistent")
    assert rc == 2 and "cannot connect to the results store" in out, out


def test_dashboards_are_generated_from_the_postgresql_store(pg_url, tmp_path):
    from dashboards.render import generate
    url, repo, h = fixture.make_store(tmp_path, open_store(pg_url))
    assert url == pg_url
    site = generate(pg_url, tmp_path / "site", repo)
    html = Path(site).read_text()
    for c in "ABC":
        assert h[c][:12] in html and f"commit {c}: change {c.lower()}" in html
    assert "boot time to login:" in html and "qemu-x86_64 kevlar" in html
    commit_b = (tmp_path / "site" / "commit" / f"{h['B']}.html").read_text()
    assert "Regressions (1)" in commit_b and "test_shell_echo" in commit_b
    # And through the command line, as `make dashboard` runs it (FARM_RESULTS).
    out = tmp_path / "site2"
    proc = subprocess.run([PYTHON, "-m", "dashboards", "--repo", str(repo), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "FARM_RESULTS": pg_url})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert h["C"][:12] in (out / "index.html").read_text()
