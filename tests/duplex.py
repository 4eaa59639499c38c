#!/usr/bin/env python3
"""Reads back a two-sided (--duplex) briefing with MuPDF.

usage: duplex.py FILE.pdf

Checks, page by page, that "Page N of M" sits on the outer edge (the
right of a right-hand, odd page; the left of a left-hand, even page),
and that a page left blank on purpose carries no running head: nothing
between the banner and the "intentionally left blank" line but the
footer.  Prints the problems and "N problems"; exits 1 if any.
"""
import re
import sys

import fitz


def main():
    doc = fitz.open(sys.argv[1])
    bad = []
    blanks = 0
    for pno, page in enumerate(doc, 1):
        width = page.rect.width
        lines = []
        for b in page.get_text("dict")["blocks"]:
            for l in b.get("lines", []):
                t = "".join(s["text"] for s in l["spans"]).strip()
                if t:
                    lines.append((t, fitz.Rect(l["bbox"])))
        num = [r for t, r in lines if re.fullmatch(r"Page \d+ of \d+", t)]
        if len(num) != 1:
            bad.append(f"page {pno}: {len(num)} page numbers")
            continue
        r = num[0]
        outer_right = pno % 2 == 1
        if outer_right and r.x1 < width - width / 4:
            bad.append(f"page {pno} (right-hand): its number at x={r.x0:.0f}-{r.x1:.0f}, not at the right edge")
        if not outer_right and r.x0 > width / 4:
            bad.append(f"page {pno} (left-hand): its number at x={r.x0:.0f}-{r.x1:.0f}, not at the left edge")
        if any(t == "This page intentionally left blank" for t, _ in lines):
            blanks += 1
            # The banner is at the top and again at the foot; anything
            # else at the top is a running head.
            foot = {t for t, r in lines if r.y0 > page.rect.height * 7 / 8}
            head = [t for t, r in lines if r.y1 < page.rect.height / 8 and
                    t not in foot]
            if head:
                bad.append(f"page {pno} is blank but has a running head: {head}")
    if blanks == 0:
        bad.append("no page left blank on purpose")
    for b in bad:
        print(b)
    print(f"{len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
