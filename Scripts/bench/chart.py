"""bench/report.svg: each engine's run time relative to native, per program and as geometric means.

A grouped bar chart on a log scale, hand-written SVG (no plotting library): one cluster of bars per program,
the programs of each corpus group together and named under the axis, then a geomean cluster per group (when
there are several) and one over the whole corpus; one bar per engine, the value above each bar, a bold line
at 1 (native), a legend. Bars narrow as programs are added, so that every program fits.
"""
import math
from xml.sax.saxutils import escape

import report

COLORS = {"kiln": "#e4572e", "kiln-guard": "#f2a541", "wasm2c": "#4c78a8", "wasm2c-bounds": "#9ecae9", "wasmtime": "#54a24b",
          "interp": "#b279a2"}
TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
BAR, GAP = 15, 22
LEFT, RIGHT, TOP, PLOT_H, BOTTOM = 78, 24, 96, 380, 60


def groups(data):
    """(series, [(label, group, {engine: ratio or a failure word}, sublabel)]): the programs in report order,
    then the geomeans (group "geomean")."""
    series = [e for e in data["engines"] if e != "native"]
    result = []
    for name, program in data["programs"].items():
        cells = program["cells"]
        native = cells["native"]["median"] if report.ok(cells.get("native")) else None
        values = {}
        for engine in series:
            cell = cells.get(engine)
            if report.ok(cell) and native:
                values[engine] = cell["median"] / native
            else:
                values[engine] = {"failed": "FAIL", "noise": "noise", "excluded": "–"}.get(
                    cell["status"] if cell else "", "n/a")
        args = " ".join(program["args"])
        result.append((name, program.get("group", ""), values, args if len(args) <= 16 else args[:15] + "…"))

    def geo(entries):
        return {e: (entries[e]["geomean"] if entries.get(e) and entries[e]["geomean"] else "n/a") for e in series}
    names = report.groups_of(data)
    if len(names) > 1:
        for g in names:
            if g in data["summary"].get("by_group", {}):
                result.append((g, "geomean", geo(data["summary"]["by_group"][g]["to_native"]), "geomean"))
    result.append(("all", "geomean", geo(data["summary"]["to_native"]), "geomean"))
    return series, result


def write(data, path):
    series, rows = groups(data)
    numbers = [v for _, _, values, _ in rows for v in values.values() if isinstance(v, float)] or [1.0]
    lo = max([t for t in TICKS if t <= min(0.5, min(numbers) / 1.15)] or [TICKS[0]])
    hi = min([t for t in TICKS if t >= max(2, max(numbers) * 1.6)] or [TICKS[-1]])
    bar = BAR if len(rows) <= 14 else 9  # narrower bars for the whole corpus
    group_w = max(len(series), 1) * bar + GAP
    width = LEFT + len(rows) * group_w + RIGHT
    height = TOP + PLOT_H + BOTTOM
    bottom = TOP + PLOT_H

    def y(v):
        return bottom - (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)) * PLOT_H

    o = data["options"]
    m = data["machine"]
    title = "Run time relative to native (clang -O2), lower is better"
    subtitle = (f"{data['date']} · {m['cpu']}, {m['cores']} cores · median of {o['runs']} runs "
                f"({o['interp_runs']} for interp)" + (" · QUICK SMOKE TEST, TINY SIZES" if o["quick"] else ""))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{LEFT}" y="26" font-size="18" font-weight="bold">{escape(title)}</text>',
           f'<text x="{LEFT}" y="46" font-size="12" fill="#555">{escape(subtitle)}</text>']
    # legend
    x = LEFT
    for engine in series:
        out.append(f'<rect x="{x}" y="60" width="12" height="12" fill="{COLORS.get(engine, "#888")}"/>')
        out.append(f'<text x="{x + 16}" y="71" font-size="12">{escape(engine)}</text>')
        x += 26 + 7 * len(engine)
    out.append(f'<line x1="{x + 4}" y1="66" x2="{x + 22}" y2="66" stroke="#000" stroke-width="2"/>'
               f'<text x="{x + 26}" y="71" font-size="12">native = 1</text>')
    # grid and y axis
    for t in TICKS:
        if lo <= t <= hi:
            ty = y(t)
            strong = t == 1
            out.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{width - RIGHT}" y2="{ty:.1f}" '
                       f'stroke="{"#000" if strong else "#ddd"}" stroke-width="{2 if strong else 1}"/>')
            out.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" font-size="12" text-anchor="end">{t:g}×</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#000"/>')
    out.append(f'<text transform="translate(20 {TOP + PLOT_H / 2}) rotate(-90)" font-size="12" '
               f'text-anchor="middle">time ÷ native time (log scale)</text>')
    # bars
    previous = None
    for index, (label, group, values, sublabel) in enumerate(rows):
        gx = LEFT + index * group_w + GAP / 2
        mid = gx + len(series) * bar / 2
        if group != previous:
            if previous is not None:
                out.append(f'<line x1="{gx - GAP / 2:.1f}" y1="{TOP}" x2="{gx - GAP / 2:.1f}" y2="{bottom + 52}" '
                           f'stroke="#999" stroke-dasharray="4 3"/>')
            if True:
                out.append(f'<text x="{gx - GAP / 2 + 4:.1f}" y="{bottom + 50}" font-size="12" font-weight="bold" '
                           f'fill="#444">{escape(group)}</text>')
            previous = group
        for k, engine in enumerate(series):
            v = values[engine]
            bx = gx + k * bar
            cx = bx + bar / 2
            if isinstance(v, float):
                top = max(TOP, y(max(v, lo)))
                out.append(f'<rect x="{bx:.1f}" y="{top:.1f}" width="{bar - 2}" height="{bottom - top:.1f}" '
                           f'fill="{COLORS.get(engine, "#888")}"><title>{escape(label)} · {escape(engine)}: '
                           f'{v:.3f}× native</title></rect>')
                text = f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"
                out.append(f'<text transform="translate({cx + 3:.1f} {top - 3:.1f}) rotate(-90)" '
                           f'font-size="{9 if bar >= BAR else 8}" fill="#333">{text}</text>')
            elif v != "–":  # "–": not run by choice (the interpreter outside its groups)
                color = "#c00" if v == "FAIL" else "#999"
                out.append(f'<text transform="translate({cx + 3:.1f} {bottom - 4:.1f}) rotate(-90)" font-size="8" '
                           f'fill="{color}">{v} ({escape(engine)})</text>')
        weight = "bold" if group == "geomean" else "normal"
        size = 12 if bar >= BAR else 10
        out.append(f'<text x="{mid:.1f}" y="{bottom + 18}" font-size="{size}" '
                   f'font-weight="{weight}" text-anchor="middle">{escape(label)}</text>')
        out.append(f'<text x="{mid:.1f}" y="{bottom + 32}" font-size="9" fill="#666" '
                   f'text-anchor="middle">{escape(sublabel)}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
