"""Write the static site: index, a page per commit, a page per test.

The site opens from disk (file://) with no server: links are relative, the
stylesheet is copied next to the pages, plots are inline SVG. Console logs
are copied in (logs/t<test id>.txt) because the farm reuses a log's path on
the next run of the same test: the copy keeps each commit's own log, and a
dashboard can be moved or published as one directory. A panic's report
(from the panic line to the flight recorder's end) is cut out of the log
into dumps/t<test id>.txt, so the cell links straight to it.
"""

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import jinja2

from dashboards import svg
from dashboards.model import KERNEL_ORDER

HERE = Path(__file__).resolve().parent
LOG_LIMIT = 4 << 20     # a runaway console must not fill the disk twice
PANIC = re.compile(r"KEVLAR PANIC:|Kernel panic - not syncing")
PANIC_END = re.compile(r"--- flight recorder end ---|---\[ end Kernel panic")


def test_slug(name):
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80] + "-" + digest


def panic_dump(text):
    """The panic report in a console log: the panic line to the end marker
    (or the log's end), or None when the log has no panic."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if PANIC.search(line):
            for j in range(i, len(lines)):
                if PANIC_END.search(lines[j]):
                    return "".join(lines[i:j + 1])
            return "".join(lines[i:])
    return None


class Site:
    def __init__(self, out, commits, bisections):
        self.out = Path(out)
        self.commits, self.bisections = commits, bisections
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True)
        self.env.filters["when"] = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) \
            if t else ""
        self.env.filters["secs"] = lambda v: "" if v is None else f"{v:.1f} s"
        self.env.globals["slug"] = test_slug
        self.artifacts = {}

    # --- logs and dumps --------------------------------------------------------

    def artifact(self, cell):
        """(log href, dump href) relative to the site root; None where absent."""
        if cell.test_id in self.artifacts:
            return self.artifacts[cell.test_id]
        log_href = dump_href = None
        dest = self.out / "logs" / f"t{cell.test_id}.txt"
        dump = self.out / "dumps" / f"t{cell.test_id}.txt"
        src = Path(cell.log) if cell.log else None
        if not dest.exists() and src is not None and src.is_file():
            # Copied once: a later run overwrites the source, never our copy.
            with open(src, "rb") as f:
                data = f.read(LOG_LIMIT)
            tmp = dest.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, dest)
        if dest.exists():
            log_href = f"logs/{dest.name}"
            if cell.klass == "panic" or cell.status == "fail":
                if not dump.exists():
                    text = panic_dump(dest.read_text(errors="replace"))
                    if text is not None:
                        dump.write_text(text)
                if dump.exists():
                    dump_href = f"dumps/{dump.name}"
        self.artifacts[cell.test_id] = (log_href, dump_href)
        return log_href, dump_href

    # --- pages -------------------------------------------------------------------

    def write(self):
        for sub in ("commit", "test", "logs", "dumps"):
            (self.out / sub).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / "static" / "style.css", self.out / "style.css")
        self.env.globals["artifact"] = self.artifact
        columns = sorted({col for c in self.commits for col in c.columns()},
                         key=lambda bk: (bk[0], KERNEL_ORDER.get(bk[1], 9), bk[1]))
        self._page("index.html", "index.html", commits=self.commits, columns=columns,
                   plots=self.trend_plots(columns), bisections=self.bisections,
                   first_bad={b.first_bad for b in self.bisections if b.first_bad})
        for c in self.commits:
            regressions, fixes = c.changes()
            bars = svg.stage_bars([(f"{b} {k}", c.boot_stages(b, k)) for b, k in c.columns()])
            self._page(f"commit/{c.hash}.html", "commit.html", commit=c, columns=c.columns(),
                       tests=c.tests(), regressions=regressions, fixes=fixes,
                       linux_only=c.linux_only(), bars=bars,
                       bisections=[b for b in self.bisections if b.first_bad == c.hash])
        for name in sorted({t for c in self.commits for t in c.tests()}):
            rows = [c for c in self.commits if any(k[0] == name for k in c.cells)]
            cols = sorted({(k[1], k[2]) for c in rows for k in c.cells if k[0] == name},
                          key=lambda bk: (bk[0], KERNEL_ORDER.get(bk[1], 9), bk[1]))
            self._page(f"test/{test_slug(name)}.html", "test.html", name=name, commits=rows,
                       columns=cols)
        return self.out / "index.html"

    def _page(self, path, template, **ctx):
        root = "../" * path.count("/")
        html = self.env.get_template(template).render(root=root, generated=time.time(), **ctx)
        dest = self.out / path
        tmp = dest.with_suffix(".tmp")
        tmp.write_text(html)
        os.replace(tmp, dest)

    def trend_plots(self, columns):
        oldest_first = list(reversed(self.commits))
        labels = [c.short for c in oldest_first]
        boot = {col: [c.boot_to_login(*col) for c in oldest_first] for col in columns}
        passes = {col: [c.counts(*col)["pass"] if col in c.columns() else None
                        for c in oldest_first] for col in columns}
        return [svg.trend("boot time to login:", " s", labels,
                          {k: v for k, v in boot.items() if any(x is not None for x in v)}),
                svg.trend("tests passed", "", labels, passes)]


def generate(store, out, repo=None):
    from dashboards.model import load
    commits, bisections = load(store, repo)
    return Site(out, commits, bisections).write()
