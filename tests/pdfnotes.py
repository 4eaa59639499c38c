#!/usr/bin/env python3
"""Reads a briefing PDF back with MuPDF and checks its footnotes.

For every page, finds the superscript note markers in the text (the
font's superscript figures, or digits set smaller than the text around
them where it has none) and the numbers that open the notes at
the foot of the page, and reports any marker whose note is on another page,
any note without a marker, and numbering that is not 1..N in order.

Markers in a row ("12" set as markers 1 and 2) are read as the numbers
that follow the last marker, when their digits spell them.

With --notes-may-follow, a line may cite more notes than fit on its page:
then a note may begin on a later page than its marker, and the checks are
that every note begins exactly once, that the notes begin in the order
1..N through the document, none before its marker's page, and that every
page from its marker's to the one before its own carries notes (a note
goes on only when the pages before it are full).

usage: pdfnotes.py FILE.pdf [--marker-max PT] [--note-size PT] [--notes-may-follow]
Prints one line per problem and a summary; exits 1 if there are problems.
"""
import subprocess
import sys
import xml.etree.ElementTree as ET


def pages_of(pdf):
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf],
                         check=True, capture_output=True).stdout
    root = ET.fromstring(xml)
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            chars = []
            for font in line.iter("font"):
                size = float(font.get("size"))
                for ch in font.iter("char"):
                    q = [float(v) for v in ch.get("quad").split()]
                    chars.append((ch.get("c"), size, q[0], q[2]))
            if chars:
                lines.append(chars)
        yield lines


# A note marker is set in the font's superscript figures where it has
# them, else in digits scaled down and raised.
SUPERSCRIPT = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"


def marker_char(c, size, marker_max):
    """Whether c, set at size, is a figure of a note marker."""
    return c in SUPERSCRIPT or (c.isdecimal() and size <= marker_max)


def figure(c):
    """The digit a marker's figure stands for."""
    return str(SUPERSCRIPT.index(c)) if c in SUPERSCRIPT else c


def numbers(chars, pred):
    """Runs of consecutive chars satisfying pred(c, size), as strings of
    ASCII digits."""
    out, cur = [], ""
    for c, size, x, right in chars:
        if pred(c, size):
            cur += figure(c)
        else:
            if cur:
                out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def split_run(digits, nxt):
    """The markers a run of marker digits stands for: nxt, nxt + 1, ...
    when the digits spell them, else the one number."""
    out, k = [], 0
    while k < len(digits):
        d = str(nxt + len(out))
        if not digits.startswith(d, k):
            return [int(digits)]
        out.append(nxt + len(out))
        k += len(d)
    return out


def main():
    args = sys.argv[1:]
    pdf = args[0]
    marker_max = 6.6   # largest superscript marker size in the templates [pt]
    note_size = 7.5    # note text size [pt]
    if "--marker-max" in args:
        marker_max = float(args[args.index("--marker-max") + 1])
    if "--note-size" in args:
        note_size = float(args[args.index("--note-size") + 1])
    may_follow = "--notes-may-follow" in args
    problems = []
    seen_markers, seen_notes = [], []
    marker_page, note_page, has_notes = {}, {}, set()
    pages = list(pages_of(pdf))
    # A note's number hangs left of the indent where its text and its
    # wrapped lines start; a wrapped line that begins with a number
    # ("19 March 2025") starts at the indent.  Where the hanging numbers
    # end: the space after a number at a line's start, leftmost over the
    # document; a wrapped line's first digit is right of it.
    indent = min((chars[k][2] for lines in pages for chars in lines
                  for k in [next((i for i, c in enumerate(chars)
                                  if not c[0].isdecimal()), len(chars))]
                  if 0 < k < len(chars) - 1 and chars[k][0] == " " and
                  abs(chars[0][1] - note_size) < 0.05),
                 default=None)
    for pno, lines in enumerate(pages, start=1):
        markers = []
        notes = []
        for chars in lines:
            for run in numbers(chars,
                               lambda c, s: marker_char(c, s, marker_max)):
                last = (markers or seen_markers or [0])[-1]
                markers += split_run(run, last + 1)
            if "".join(c[0] for c in chars).startswith("Note ") and \
                    abs(chars[0][1] - note_size) < 0.05:
                has_notes.add(pno)  # "Note N, continued"
            # A note line starts with its number in the note size, hanging
            # left of the text with a clear gap; a wrapped line that
            # happens to start with digits ("30-day") has no gap.
            c0 = chars[0]
            if c0[0].isdecimal() and abs(c0[1] - note_size) < 0.05:
                k = 0
                while k < len(chars) and chars[k][0].isdecimal():
                    k += 1
                if k < len(chars) and (chars[k][0] == " " or
                                       chars[k][2] - chars[k - 1][3] > 1.0) \
                        and (indent is None or c0[2] < indent - 0.5):
                    notes.append(int("".join(c[0] for c in chars[:k])))
        for m in markers:
            marker_page.setdefault(m, pno)
        for n in notes:
            note_page.setdefault(n, pno)
            has_notes.add(pno)
        if not may_follow:
            for m in markers:
                if m not in notes:
                    problems.append("page %d: marker %d has no note on this page" % (pno, m))
            for n in notes:
                if n not in markers:
                    problems.append("page %d: note %d has no marker on this page" % (pno, n))
        seen_markers += markers
        seen_notes += notes
    if seen_markers != list(range(1, len(seen_markers) + 1)):
        problems.append("markers are not numbered 1..N in reading order")
    if may_follow:
        if seen_notes != list(range(1, len(seen_markers) + 1)):
            problems.append("notes do not begin 1..%d, each once, in reading order"
                            % len(seen_markers))
        for n, q in sorted(note_page.items()):
            p = marker_page.get(n)
            if p is None:
                continue
            if q < p:
                problems.append("page %d: note %d is before its marker (page %d)" % (q, n, p))
            for k in range(p, q):
                if k not in has_notes:
                    problems.append("page %d: note %d goes on to page %d past a page without notes"
                                    % (k, n, q))
    for p in problems:
        print(p)
    print("%d markers, %d notes, %d problems" % (len(seen_markers), len(seen_notes), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
