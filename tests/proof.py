#!/usr/bin/python3
"""Sets proofs beside the previous ones, page by page, for a person to look at.

usage: tests/proof.py DIR NAME...

For each NAME, DIR/NAME.pdf is this run's proof and DIR/previous/NAME.pdf
the last run's (when there is one).  Writes DIR/NAME-beside.pdf: one
landscape page per page of either, the previous page on the left and
this one on the right, the pair headed "page N: changed", "unchanged",
"new" or "gone"; pages are compared as rendered (MuPDF, 72 dpi), so a
change of one glyph shows and a change in the file alone does not.
Prints one line per NAME: its pages then and now, and which changed.
Exits 0 (a proof is for reading, not a test); 2 when a proof is missing.
"""
import os
import sys

import fitz

GAP = 24  # between the two pages [pt]
HEAD = 28  # the line above them [pt]


def pixels(page):
    return page.get_pixmap(dpi=72).samples


def beside(old, new, out):
    """Writes the side-by-side PDF; returns the numbers of pages that
    changed, were added or went."""
    doc = fitz.open()
    n = max(len(old) if old else 0, len(new))
    changed = []
    for k in range(n):
        o = old[k] if old is not None and k < len(old) else None
        p = new[k] if k < len(new) else None
        ref = (p or o).rect
        page = doc.new_page(width=2 * ref.width + GAP, height=ref.height + HEAD)
        if o is None:
            state = "new"
        elif p is None:
            state = "gone"
        else:
            state = "unchanged" if pixels(o) == pixels(p) else "changed"
        if state != "unchanged":
            changed.append(k + 1)
        colour = (0, 0, 0) if state == "unchanged" else (0.75, 0, 0)
        page.insert_text((12, 18), "page %d: %s (left: previous proof, right: this one)"
                         % (k + 1, state), fontsize=11, color=colour)
        if o is not None:
            page.show_pdf_page(fitz.Rect(0, HEAD, ref.width, HEAD + ref.height),
                               old, k)
        if p is not None:
            page.show_pdf_page(fitz.Rect(ref.width + GAP, HEAD, 2 * ref.width + GAP,
                                         HEAD + ref.height), new, k)
    doc.save(out, garbage=3, deflate=True)
    return changed


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    d = sys.argv[1]
    for name in sys.argv[2:]:
        path = os.path.join(d, name + ".pdf")
        prev = os.path.join(d, "previous", name + ".pdf")
        if not os.path.exists(path):
            print("proof: %s is missing" % path, file=sys.stderr)
            return 2
        new = fitz.open(path)
        old = fitz.open(prev) if os.path.exists(prev) else None
        out = os.path.join(d, name + "-beside.pdf")
        changed = beside(old, new, out)
        if old is None:
            print("%s: %d pages, no previous proof to compare: %s" % (name, len(new), out))
        else:
            print("%s: %d pages (%d before), changed: %s; see %s"
                  % (name, len(new), len(old),
                     ", ".join(map(str, changed)) if changed else "none", out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
