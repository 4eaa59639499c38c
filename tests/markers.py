#!/usr/bin/env python3
"""Reads the note markers of a briefing back with MuPDF and checks that
each comes after the punctuation that closes its clause, as Chicago sets
them (17th ed., 14.26): "sought.¹", never "sought¹.".

usage: markers.py FILE.pdf [--marker-max PT]

A marker is a run of the font's superscript figures (U+2070, U+00B9,
U+00B2, U+00B3, U+2074 to U+2079), or of digits set at most --marker-max
points (6.6, the templates' largest) where the font has no superscript
figures; the character after it on its line must not be a
full stop, comma, semicolon, colon, question or exclamation mark, or a
closing quotation mark.  A marker also sits where the text before it
ends, no more than 0.5 pt after it (the text drawn kerned is measured
kerned).  Prints each offence with its page and context, then "N
markers, N problems"; exits 1 if there are problems or no markers at
all.
"""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pdfnotes import marker_char, pages_of  # noqa: E402

AFTER = set(".,;:?!\u201d\u2019\"'")


def main():
    args = sys.argv[1:]
    marker_max = 6.6
    if "--marker-max" in args:
        marker_max = float(args[args.index("--marker-max") + 1])
    bad, count = [], 0
    for pno, lines in enumerate(pages_of(args[0]), start=1):
        for chars in lines:
            i = 0
            while i < len(chars):
                c, size = chars[i][0], chars[i][1]
                if not marker_char(c, size, marker_max):
                    i += 1
                    continue
                j = i
                # Markers side by side are parted by a raised comma.
                while j < len(chars) and (
                        marker_char(chars[j][0], chars[j][1], marker_max) or
                        (chars[j][0] == "," and chars[j][1] <= marker_max and
                         j + 1 < len(chars) and
                         marker_char(chars[j + 1][0], chars[j + 1][1],
                                     marker_max))):
                    j += 1
                count += 1
                gap = chars[i][2] - chars[i - 1][3] if i > 0 else 0
                if i > 0 and not marker_char(chars[i - 1][0], chars[i - 1][1],
                                             marker_max) and gap > 0.5:
                    text = "".join(ch[0] for ch in chars)
                    k = len("".join(ch[0] for ch in chars[:i]))
                    bad.append(f"page {pno}: a marker {gap:.2f} pt after "
                               f"the text before it: ...{text[max(0, k - 30):k + 8]}...")
                if j < len(chars) and chars[j][0] in AFTER:
                    text = "".join(ch[0] for ch in chars)
                    k = len("".join(ch[0] for ch in chars[:i]))
                    bad.append(f"page {pno}: a marker before "
                               f"\"{chars[j][0]}\": ...{text[max(0, k - 30):k + 8]}...")
                i = j
    for b in bad:
        print(b)
    print(f"{count} markers, {len(bad)} problems")
    return 1 if bad or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
