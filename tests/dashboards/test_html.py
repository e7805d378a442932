"""The dashboard's pages say what the fixture store holds (see fixture.py)."""

import re
from html.parser import HTMLParser
from pathlib import Path


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src"):
                self.hrefs.append(v)


def page(site, path):
    return (site / path).read_text()


def section(html, cls):
    m = re.search(rf'<section class="changes {cls}">(.*?)</section>', html, re.S)
    assert m, f"no {cls} section"
    return m.group(1)


def test_index_lists_commits_newest_first_with_subjects(site):
    root, h = site
    html = page(root, "index.html")
    html = html[html.index('<table class="commits">'):]
    positions = [html.index(h[c][:12]) for c in "CBA"]
    assert positions == sorted(positions), "commits are not newest first"
    for c in "ABC":
        assert f"commit {c}: change {c.lower()}" in html
    assert "2026-01-01" in html


def test_index_has_counts_boot_time_and_trend_plots_for_both_kernels(site):
    root, h = site
    html = page(root, "index.html")
    assert html.count("<svg") == 2
    assert "boot time to login:" in html and "tests passed" in html
    assert "qemu-x86_64 kevlar" in html and "qemu-x86_64 linux" in html
    # Kevlar's login at 5.0 s, Linux's at 15.0 s (fixture.BOOT x 3).
    assert "5.0 s" in html and "15.0 s" in html
    html = html[html.index('<table class="commits">'):]
    row_b = html[html.index(h["B"][:12]):html.index(h["A"][:12])]
    assert '<span class="count fail">1&#x2717;</span>' in row_b


def test_commit_page_puts_the_regression_and_the_fix_above_the_matrix(site):
    root, h = site
    html = page(root, f"commit/{h['B']}.html")
    regressions, fixes = section(html, "regressions"), section(html, "fixes")
    assert "Regressions (1)" in regressions and "test_shell_echo" in regressions
    assert "qemu-x86_64 kevlar" in regressions and "panic dump" in regressions
    assert "Fixes (1)" in fixes and "test_proc_self_exe" in fixes
    assert html.index("Regressions (1)") < html.index('id="matrix"')
    # Kevlar fails where Linux passes: test_shell_echo on qemu-x86_64.
    assert re.search(r'failing on Kevlar: <span class="n">1</span>', html)


def test_commit_without_changes_lists_none_and_keeps_the_linux_difference(site):
    root, h = site
    html = page(root, f"commit/{h['C']}.html")
    assert "Regressions (0)" in html and "Fixes (0)" in html
    assert re.search(r'failing on Kevlar: <span class="n">1</span>', html)
    first = page(root, f"commit/{h['A']}.html")
    assert "Regressions (0)" in first and "previous:" not in first


def test_matrix_puts_kevlar_next_to_linux_for_every_test(site):
    root, h = site
    html = page(root, f"commit/{h['B']}.html")
    heads = re.findall(r'<th class="col (\w+)">([\w-]+)<br>', html)
    assert heads == [("linux", "qemu-arm64"), ("kevlar", "qemu-x86_64"),
                     ("linux", "qemu-x86_64")]
    matrix = html[html.index('id="matrix"'):]
    for test in ("test_boots_to_login", "test_shell_echo", "test_proc_self_exe"):
        assert f">{test}</a>" in matrix
    assert "[qemu-x86_64-kevlar]" not in matrix, "pytest ids belong in the columns"
    assert matrix.count('class="cell fail"') == 1 and matrix.count('class="cell pass"') == 8


def test_panic_cell_links_to_the_flight_recorder_dump(site):
    root, h = site
    html = page(root, f"commit/{h['B']}.html")
    dumps = re.findall(r'<a class="dump" href="\.\./(dumps/t\d+\.txt)">', html)
    assert dumps, "no dump link"
    dump = (root / dumps[0]).read_text()
    assert dump.startswith("[    4.900] KEVLAR PANIC: page fault")
    assert dump.rstrip().endswith("--- flight recorder end ---")
    assert "init: starting" not in dump


def test_stage_bars_show_each_board_and_kernel(site):
    root, h = site
    html = page(root, f"commit/{h['A']}.html")
    assert "boot stage timings" in html
    assert "qemu-x86_64 kevlar: login at 5.00 s" in html
    assert "qemu-arm64 linux: login at 15.00 s" in html


def test_test_page_has_history_across_commits_and_boards(site):
    root, h = site
    tests = list((root / "test").glob("test_proc_self_exe-*.html"))
    assert len(tests) == 1
    html = tests[0].read_text()
    rows = re.findall(r'<tr><th class="hash"><a href="\.\./commit/(\w+)\.html">', html)
    assert rows == [h["C"], h["B"], h["A"]]
    assert html.count('class="cell fail"') == 1 and html.count('class="cell pass"') == 8


def test_every_link_resolves_inside_the_site(site):
    root, _ = site
    pages = list(root.rglob("*.html"))
    assert len(pages) == 1 + 3 + 3
    for p in pages:
        parser = Links()
        parser.feed(p.read_text())
        for href in parser.hrefs:
            assert not re.match(r"[a-z]+://", href), f"{p.name}: external link {href}"
            target = (p.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{p.relative_to(root)}: broken link {href}"
            assert Path(root.resolve()) in target.parents


def test_log_copies_keep_each_commits_own_log(site):
    root, h = site
    html = page(root, f"commit/{h['A']}.html")
    logs = re.findall(r'href="\.\./(logs/t\d+\.txt)"', html)
    assert logs and all("on commit A" in (root / p).read_text() or "KEVLAR PANIC" in
                        (root / p).read_text() for p in logs)
