"""The dashboard in headless Chromium: no console errors, the matrix visible.

Screenshots go to build/dashboard-test/ for people to look at."""

import pytest

import webdriver

ROOT = webdriver.Path(__file__).resolve().parent.parent.parent
SHOTS = ROOT / "build" / "dashboard-test"

pytestmark = pytest.mark.skipif(not webdriver.available(),
                                reason="chromium or chromium-driver missing: run `make deps`")

# The matrix's box, and whether its cells are drawn (non-zero size, not hidden).
MATRIX_BOX = """
const m = document.getElementById('matrix');
if (!m) return null;
const r = m.getBoundingClientRect();
const cells = [...m.querySelectorAll('td.cell')];
const shown = cells.filter(c => c.getBoundingClientRect().width > 0 &&
                                getComputedStyle(c).visibility === 'visible');
return {width: r.width, height: r.height, top: r.top, cells: cells.length,
        shown: shown.length, fail: m.querySelectorAll('td.cell.fail').length,
        css: getComputedStyle(document.body).backgroundColor};
"""


@pytest.fixture(scope="module")
def browser():
    with webdriver.Browser() as b:
        yield b


def errors(browser):
    return [e for e in browser.console() if e.get("level") == "SEVERE"]


def test_commit_page_has_no_console_errors_and_shows_the_matrix(site, browser):
    root, h = site
    browser.open((root / "commit" / f"{h['B']}.html").as_uri())
    box = browser.run(MATRIX_BOX)
    browser.screenshot(SHOTS / "commit.png")
    assert errors(browser) == []
    assert box is not None, "no #matrix on the page"
    assert box["width"] > 300 and box["height"] > 80
    assert box["cells"] == 9 and box["shown"] == 9 and box["fail"] == 1
    assert box["css"] == "rgb(250, 251, 252)", "style.css was not applied"


def test_index_and_test_pages_have_no_console_errors(site, browser):
    root, _ = site
    browser.open((root / "index.html").as_uri())
    plots = browser.run("return [...document.querySelectorAll('svg.plot')]"
                        ".map(s => s.getBoundingClientRect().height)")
    browser.screenshot(SHOTS / "index.png")
    assert errors(browser) == []
    assert len(plots) == 2 and all(h > 100 for h in plots)
    test_page = next((root / "test").glob("test_shell_echo-*.html"))
    browser.open(test_page.as_uri())
    box = browser.run(MATRIX_BOX)
    assert errors(browser) == []
    assert box["shown"] == box["cells"] == 9


def test_a_missing_stylesheet_is_caught_as_a_console_error(tmp_path, browser):
    """The check above can fail: a page whose stylesheet is missing logs one."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="nope.css">'
                    '</head><body><table id="matrix"><tr><td class="cell">x</td></tr></table>'
                    '</body></html>')
    browser.open(page.as_uri())
    browser.run("return 1")
    assert any("nope.css" in e["message"] for e in errors(browser))
