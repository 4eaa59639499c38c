#!/usr/bin/env python3
"""Reads back the PDF of tests/fixtures/gfm.yaml (commentary in GitHub
Markdown) with MuPDF and checks what the Markdown asked for:

- the pipe table's columns are aligned as its delimiter row says: the
  right-aligned numbers end at one x, the centred names share a centre;
- the long table runs over several pages and its header row opens each;
- the analyst's footnote is a note of the briefing's series, its two
  paragraphs and its citation in its text, and a second marker for it
  is a note pointing back ("See note N.");
- struck text is crossed by a line drawn through its letters.

usage: gfm.py FILE.pdf
Prints one line per problem; exits 1 if there are any.
"""
import sys

import fitz


def words_of(page):
    return [(w[0], w[1], w[2], w[3], w[4]) for w in page.get_text("words")]


def find(words, text):
    return [w for w in words if w[4] == text]


def main():
    doc = fitz.open(sys.argv[1])
    bad = []
    p1 = words_of(doc[0])

    # Alignment: "3" and "12" end together; "Ukraine" and "Russia" (its
    # note marker aside) are centred on one x.
    kherson = find(p1, "Kherson")
    sumy = find(p1, "Sumy")
    row = lambda w, of: of and abs(w[1] - of[0][1]) < 2
    three = [w for w in p1 if w[4].startswith("3") and row(w, kherson)]
    twelve = [w for w in find(p1, "12") if row(w, sumy)]
    if not three or not twelve:
        bad.append("the Strikes column's numbers are not on page 1")
    elif abs(three[0][2] - twelve[0][2]) > 0.5:
        bad.append(f"right-aligned numbers end at {three[0][2]:.1f} and "
                   f"{twelve[0][2]:.1f}")
    ukr = find(p1, "Ukraine")
    if len(ukr) < 2:
        bad.append("\"Ukraine\" is not twice in the table")
    elif abs(ukr[0][0] - ukr[1][0]) > 0.5:
        bad.append("centred cells of the same text start at different x")
    head = find(p1, "Region")
    if head and kherson and abs(head[0][0] - kherson[0][0]) > 0.5:
        bad.append("left-aligned header and cell start at different x")

    # The long table: every page with one of its rows opens with its
    # header row, above the rows.
    pages_with_rows = 0
    for pno in range(doc.page_count):
        ws = words_of(doc[pno])
        sites = [w for w in ws if w[4] == "Site"]
        if not sites:
            continue
        pages_with_rows += 1
        heads = [w for w in ws if w[4] == "alleged" and w[1] < min(s[1] for s in sites)]
        if not heads:
            bad.append(f"page {pno + 1}: table rows without the header row above them")
    if pages_with_rows < 2:
        bad.append(f"the long table fills {pages_with_rows} page(s), not several")

    # The footnote: note 2 holds both paragraphs and the citation.
    text1 = doc[0].get_text()
    for want in ["Neither text defines a duration.",
                 "The White House readout speaks of",
                 "(Writer, “Example Article”)",
                 "See note 2."]:
        if want not in text1.replace("\n", " "):
            bad.append(f"page 1 lacks \"{want}\"")
    if "[^scope]" in text1:
        bad.append("a defined footnote printed as written")
    if "[^later]" not in text1:
        bad.append("an undefined footnote did not print as written")

    # Strikethrough: a horizontal line across "first", between its
    # baseline and the tops of its letters.
    first = find(p1, "first")
    struck = False
    if first:
        x0, y0, x1, y1, _ = first[0]
        for d in doc[0].get_drawings():
            for item in d["items"]:
                if item[0] == "l":
                    a, b = item[1], item[2]
                    ys = (a.y + b.y) / 2
                    if abs(a.y - b.y) < 0.1 and a.x <= x0 + 0.5 and b.x >= x1 - 0.5 and y0 < ys < y1:
                        struck = True
                elif item[0] == "re":
                    r = item[1]
                    if r.x0 <= x0 + 0.5 and r.x1 >= x1 - 0.5 and y0 < (r.y0 + r.y1) / 2 < y1 and r.height < 2:
                        struck = True
    if not struck:
        bad.append("no line drawn through the struck word \"first\"")

    for b in bad:
        print(b)
    print(f"{len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
