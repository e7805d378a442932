"""SVG plots written as text: the dashboard carries no JavaScript and loads
nothing from the network, so the plots are drawn here, in Python.

Colours: a kernel has one hue everywhere (Kevlar orange, Linux blue), boards
are told apart by the line's dash and the marker's shape, so Kevlar and Linux
on one board are easy to compare on the same axes.
"""

from html import escape

KERNEL_COLOUR = {"kevlar": "#d9661f", "linux": "#2b6cb0"}
OTHER_COLOUR = "#666666"
DASHES = ("", "6 3", "2 3", "8 3 2 3")
STAGE_COLOURS = ("#8ecae6", "#219ebc", "#126782", "#ffb703", "#fb8500", "#90be6d", "#577590",
                 "#b5838d")


def _nice_max(v):
    """A round axis maximum at or above v (1, 2, 5 x 10^n)."""
    if v <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= v:
        step *= 10
    while step > v:
        step /= 10
    for m in (1, 2, 5, 10):
        if m * step >= v:
            return m * step
    return 10 * step


def trend(title, unit, labels, series, width=760, height=260):
    """A line plot across commits (oldest left).

    labels: the x-axis labels (short hashes); series: {(board, kernel): [value
    or None per label]}. A missing value breaks the line rather than drawing
    a fake zero."""
    left, right, top, bottom = 52, 200, 28, 46
    pw, ph = width - left - right, height - top - bottom
    values = [v for vs in series.values() for v in vs if v is not None]
    ymax = _nice_max(max(values) if values else 1.0)
    n = max(len(labels), 1)

    def x(i):
        return left + (pw * (i + 0.5) / n)

    def y(v):
        return top + ph - ph * v / ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
           f'<title>{escape(title)}</title>',
           f'<text x="{left}" y="16" class="plot-title">{escape(title)}</text>']
    for k in range(5):
        v = ymax * k / 4
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'class="grid"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" class="tick" text-anchor="end">'
                   f'{v:g}{escape(unit)}</text>')
    every = max(1, -(-len(labels) // 8))    # at most ~8 labels: hashes must not overlap
    for i, label in enumerate(labels):
        if i % every and i != len(labels) - 1:
            continue
        out.append(f'<text x="{x(i):.1f}" y="{top + ph + 16}" class="tick" '
                   f'text-anchor="middle">{escape(label[:7])}</text>')
    boards = sorted({b for b, _ in series})
    for row, ((board, kernel), vs) in enumerate(sorted(series.items())):
        colour = KERNEL_COLOUR.get(kernel, OTHER_COLOUR)
        dash = DASHES[boards.index(board) % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment = []
        for i, v in enumerate(vs + [None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
                continue
            if len(segment) > 1:
                out.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                           f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
            segment = []
        for i, v in enumerate(vs):
            if v is not None:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                           f'<title>{escape(board)} {escape(kernel)} {escape(labels[i][:12])}: '
                           f'{v:g}{escape(unit)}</title></circle>')
        ly = top + 12 + row * 18
        lx = left + pw + 14
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly - 4}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{lx + 30}" y="{ly}" class="legend">{escape(board)} '
                   f'{escape(kernel)}</text>')
    if not values:
        out.append(f'<text x="{left + pw / 2}" y="{top + ph / 2}" class="tick" '
                   f'text-anchor="middle">no data</text>')
    out.append("</svg>")
    return "\n".join(out)


def stage_bars(rows, width=720):
    """One horizontal bar per (board, kernel): boot stages as segments, each
    from the previous stage's arrival to its own (seconds since power-on).

    rows: [(label, {stage: seconds})], stages in the order they arrived."""
    left, right, bar, gap, top = 170, 20, 18, 10, 8
    rows = [(label, stages) for label, stages in rows if stages]
    if not rows:
        return '<p class="quiet">No boot stages recorded for this commit.</p>'
    ends = [max(s.values()) for _, s in rows]
    xmax = _nice_max(max(ends) if ends else 1.0)
    pw = width - left - right
    height = top + len(rows) * (bar + gap) + 52

    def x(v):
        return left + pw * v / xmax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
           '<title>boot stage timings</title>']
    names = []
    for r, (label, stages) in enumerate(rows):
        yy = top + r * (bar + gap)
        out.append(f'<text x="{left - 8}" y="{yy + bar - 5}" class="legend" '
                   f'text-anchor="end">{escape(label)}</text>')
        prev = 0.0
        for stage, t in sorted(stages.items(), key=lambda kv: kv[1]):
            if stage not in names:
                names.append(stage)
            colour = STAGE_COLOURS[names.index(stage) % len(STAGE_COLOURS)]
            w = max(x(t) - x(prev), 1.0)
            out.append(f'<rect x="{x(prev):.1f}" y="{yy}" width="{w:.1f}" height="{bar}" '
                       f'fill="{colour}"><title>{escape(label)}: {escape(stage)} at {t:.2f} s '
                       f'(+{t - prev:.2f} s)</title></rect>')
            prev = t
        out.append(f'<text x="{x(prev) + 4:.1f}" y="{yy + bar - 5}" class="tick">'
                   f'{prev:.1f} s</text>')
    axis_y = top + len(rows) * (bar + gap)
    for k in range(5):
        v = xmax * k / 4
        out.append(f'<text x="{x(v):.1f}" y="{axis_y + 12}" class="tick" '
                   f'text-anchor="middle">{v:g} s</text>')
    lx = left
    for i, stage in enumerate(names):
        colour = STAGE_COLOURS[i % len(STAGE_COLOURS)]
        out.append(f'<rect x="{lx}" y="{axis_y + 24}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 16}" y="{axis_y + 34}" class="legend">'
                   f'{escape(stage[:24])}</text>')
        lx += 22 + 7 * min(len(stage), 24)
    out.append("</svg>")
    return "\n".join(out)
