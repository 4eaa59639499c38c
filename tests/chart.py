#!/usr/bin/env python3
"""Reads back the breaches chart of a briefing with MuPDF and pikepdf.

usage: chart.py FILE.pdf BARS LABEL... -- ALT

Finds the page whose text holds the chart's caption ("Figure N. Breaches
alleged, by date and by the party alleging them") and checks:

- the chart is drawn, not pasted: the page has no raster image, and
  above the caption there are BARS filled rectangles (the bars);
- the bars differ in grey, not in colour alone: any two fills of
  different parties are at least 0.15 apart in luminance;
- every LABEL (party names, group names, counts) is set as text between
  the top of the bars' area and the caption;
- the caption's note marker has its note on the same page, and that note
  cites a source;
- the tagged PDF has a Figure element whose /Alt is ALT, followed by a
  Caption element.

Prints one line per problem and "N problems"; exits 1 if there are any.
"""
import sys

import fitz
import pikepdf

CAPTION = "Breaches alleged, by date and by the party alleging them"


# Note markers are set in the font's superscript figures.
SUPERSCRIPT = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"

def luminance(rgb):
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def struct_figures(pdf_path):
    """(alt, next sibling's type) for every Figure in the structure tree."""
    out = []
    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return out
        stack = [root]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            if kids is None:
                continue
            if not isinstance(kids, pikepdf.Array):
                kids = [kids]
            kids = [k for k in kids if isinstance(k, pikepdf.Dictionary)]
            for i, k in enumerate(kids):
                if k.get("/S") == "/Figure":
                    nxt = kids[i + 1].get("/S") if i + 1 < len(kids) else None
                    out.append((str(k.get("/Alt", "")), str(nxt)))
                if "/K" in k and k.get("/Type") not in ("/MCR", "/OBJR"):
                    stack.append(k)
    return out


def main():
    args = sys.argv[1:]
    if "--" not in args or len(args) < 4:
        print(__doc__)
        return 2
    cut = args.index("--")
    pdf_path, bars, labels = args[0], int(args[1]), args[2:cut]
    alt = " ".join(args[cut + 1:])
    doc = fitz.open(pdf_path)
    bad = []
    page = None
    for p in doc:
        if CAPTION in p.get_text().replace("\n", " "):
            page = p
            break
    if page is None:
        print("no page holds the chart's caption")
        print("1 problems")
        return 1
    words = page.get_text("words")
    cap = [w for w in words if w[4] == "Breaches"]
    cap_top = min(w[1] for w in cap)
    if page.get_images():
        bad.append(f"page {page.number + 1}: a raster image on the chart's page")
    rects = []
    for d in page.get_drawings():
        if d.get("fill") is None:
            continue
        for item in d["items"]:
            if item[0] == "re":
                r = item[1]
                if r.y1 <= cap_top and r.height > 2 and r.width > 2:
                    rects.append((r, d["fill"]))
    # The page's own grounds (table heads, the summary box) are wider than
    # any bar: only rectangles narrower than a fifth of the page count.
    rects = [(r, f) for r, f in rects if r.width < page.rect.width / 5]
    if len(rects) < bars:
        bad.append(f"{len(rects)} filled bars above the caption, want {bars}")
    top = min((r.y0 for r, _ in rects), default=cap_top) - 20
    fills = sorted({tuple(round(c, 3) for c in f) for _, f in rects})
    for i in range(len(fills)):
        for j in range(i + 1, len(fills)):
            if abs(luminance(fills[i]) - luminance(fills[j])) < 0.15:
                bad.append(f"fills {fills[i]} and {fills[j]} are the same grey")
    texts = [w[4] for w in words if top <= w[1] <= cap_top]
    for label in labels:
        if label not in texts:
            bad.append(f"no label \"{label}\" in the chart")
    # The caption's note: the marker right after "them".
    line = " ".join(w[4] for w in words if abs(w[1] - cap[0][1]) < 3)
    mark = line.rsplit("them", 1)[-1].strip()
    # The marker is in superscript figures (or small digits).
    mark = mark.translate(str.maketrans(SUPERSCRIPT, "0123456789"))
    if not mark.isdecimal():
        bad.append(f"no note marker after the caption ({line!r})")
    else:
        notes = [w for w in words if w[4] == mark and w[1] > cap_top + 20]
        if not notes:
            bad.append(f"note {mark} is not on the chart's page")
    figs = struct_figures(pdf_path)
    if (alt, "/Caption") not in figs:
        bad.append(f"no Figure with /Alt {alt!r} followed by a Caption "
                   f"(found {figs})")
    for b in bad:
        print(b)
    print(f"{len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
