"""The characters of a PDF page as MuPDF (python3-fitz) reads them, by
baseline: for the checks in tests/e2e.sh that read where a line's text
is drawn.

    import sys; sys.path.insert(0, "tests")
    from pdflines import baselines, npages

baselines(pdf, pno) is a dict from each baseline's y (in points from the
top of page pno, counted from 0, rounded to 0.1) to its characters: each
a dict with "c" (the character, from the font's ToUnicode), "origin" and
"bbox" (x0, y0, x1, y1), in the order MuPDF reads them; sort by
c["origin"][0] for the order they are drawn from left to right.
"""

import sys

_docs = {}


def _open(pdf):
    if pdf not in _docs:
        try:
            import fitz
        except ImportError:
            sys.exit("python3-fitz (PyMuPDF) is missing")
        try:
            _docs[pdf] = fitz.open(pdf)
        except RuntimeError as e:
            sys.exit("cannot read %s: %s" % (pdf, e))
    return _docs[pdf]


def npages(pdf):
    return len(_open(pdf))


def baselines(pdf, pno=0):
    rows = {}
    for block in _open(pdf)[pno].get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    rows.setdefault(round(c["origin"][1], 1), []).append(c)
    return rows


def drawn_texts(pdf, pages=None):
    """Each baseline's characters as drawn from left to right, spaces
    left out, on the pages given (by default every page)."""
    out = []
    for pno in pages if pages is not None else range(npages(pdf)):
        for chars in baselines(pdf, pno).values():
            row = sorted(chars, key=lambda c: c["origin"][0])
            out.append("".join(c["c"] for c in row if c["c"] != " "))
    return out
