#!/usr/bin/env python3
"""Draws Fig. 4 (modeled latency against the L1 budget, one line per tiler objective) as SVG text,
from the CSV that diana_fig4 prints. Plain python3, no plotting library.

    plot_fig4.py <diana_fig4.csv> <out.svg> [network ...]     (default: every network in the CSV)

One panel per network, side by side (two per row).
"""
import csv
import math
import sys

MODES = [  # (mode, legend, colour, dash)
    ("none", "no heuristics (bytes only)", "#d62728", ""),
    ("c_ox", "C/ox heuristics (K, OX multiples of 16)", "#1f77b4", ""),
    ("c_ox_iy", "C/ox + iy heuristics", "#2ca02c", "6,4"),
]
TITLES = {"ds_cnn": "DS-CNN", "mobilenet": "MobileNetV1 0.25", "resnet8": "ResNet-8", "toyadmos_dae": "ToyADMOS DAE"}
PANEL_W, PANEL_H = 470, 330
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 50, 55


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def nice_step(span):
    raw = span / 5.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def panel(rows, network, ox, oy):
    """SVG elements of one panel with its top-left corner at (ox, oy)."""
    out = []
    pts = {m: sorted((int(r["l1_bytes"]), float(r["ms"]), int(r["cpu_fallbacks"])) for r in rows
                     if r["network"] == network and r["mode"] == m) for m, *_ in MODES}
    xs = [x for m in pts for x, _, _ in pts[m]]
    ys = [y for m in pts for _, y, _ in pts[m]]
    if not xs:
        return out
    x0, x1 = math.log2(min(xs)), math.log2(max(xs))
    # The y axis spans the data (it does not start at 0): the objectives differ by a few percent.
    lo, hi = min(ys), max(ys)
    pad = max((hi - lo) * 0.08, hi * 0.01)
    step = nice_step(hi - lo + 2 * pad)
    y_bottom = math.floor((lo - pad) / step) * step
    y_top = math.ceil((hi + pad) / step) * step
    pw, ph = PANEL_W - LEFT - RIGHT, PANEL_H - TOP - BOTTOM

    def px(x):
        return ox + LEFT + (math.log2(x) - x0) / (x1 - x0 if x1 > x0 else 1) * pw

    def py(y):
        return oy + TOP + ph - (y - y_bottom) / (y_top - y_bottom) * ph

    config = rows[0]["config"] if rows else "digital"
    out.append(f'<text x="{ox + LEFT + pw / 2:.1f}" y="{oy + 22}" text-anchor="middle" font-size="14" '
               f'font-weight="bold">{esc(TITLES.get(network, network))}, {esc(config)} accelerator</text>')
    # grid and axes
    k = 0
    while y_bottom + k * step <= y_top + step * 1e-6:
        y = round(y_bottom + k * step, 6)
        out.append(f'<line x1="{ox + LEFT}" y1="{py(y):.1f}" x2="{ox + LEFT + pw}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{ox + LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end" font-size="11">{y:g}</text>')
        k += 1
    kb = 8
    while kb * 1000 <= max(xs):
        if kb * 1000 >= min(xs):
            x = px(kb * 1000)
            out.append(f'<line x1="{x:.1f}" y1="{oy + TOP}" x2="{x:.1f}" y2="{oy + TOP + ph}" stroke="#eee"/>')
            out.append(f'<text x="{x:.1f}" y="{oy + TOP + ph + 16}" text-anchor="middle" font-size="11">{kb}</text>')
        kb *= 2
    out.append(f'<rect x="{ox + LEFT}" y="{oy + TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{ox + LEFT + pw / 2:.1f}" y="{oy + TOP + ph + 36}" text-anchor="middle" font-size="12">'
               f'L1 budget (kB = 1,000 B, log scale)</text>')
    out.append(f'<text transform="translate({ox + 18},{oy + TOP + ph / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'font-size="12">modeled latency (ms at 260 MHz)</text>')
    if pts["c_ox"] and pts["c_ox"] == pts["c_ox_iy"]:
        out.append(f'<text x="{ox + LEFT + pw - 6}" y="{oy + TOP + 16}" text-anchor="end" font-size="11" fill="#555">'
                   f'C/ox + iy = C/ox at every budget</text>')
    # lines
    for m, label, colour, dash in MODES:
        p = pts[m]
        if not p:
            continue
        d = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y, _) in enumerate(p))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for x, y, fallbacks in p:
            # hollow marker: some layer did not fit this budget and ran on the CPU
            fill = "white" if fallbacks else colour
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2.8" fill="{fill}" stroke="{colour}"/>')
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = list(csv.DictReader(open(sys.argv[1])))
    networks = sys.argv[3:] or list(dict.fromkeys(r["network"] for r in rows))
    cols = 1 if len(networks) == 1 else 2
    nrows = math.ceil(len(networks) / cols)
    legend_h = 20 * len(MODES) + 50
    width, height = cols * PANEL_W, nrows * PANEL_H + legend_h
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for k, net in enumerate(networks):
        svg += panel(rows, net, (k % cols) * PANEL_W, (k // cols) * PANEL_H)
    y = nrows * PANEL_H + 10
    for m, label, colour, dash in MODES:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        svg.append(f'<line x1="{LEFT}" y1="{y + 6}" x2="{LEFT + 30}" y2="{y + 6}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        svg.append(f'<text x="{LEFT + 38}" y="{y + 10}" font-size="12">{esc(label)}</text>')
        y += 20
    for note in ("MODELED by htvm's DIANA cycle model, not measured on silicon.",
                 "Hollow markers: a layer did not fit that budget and ran on the CPU."):
        svg.append(f'<text x="{LEFT}" y="{y + 12}" font-size="11" fill="#555">{esc(note)}</text>')
        y += 16
    svg.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
