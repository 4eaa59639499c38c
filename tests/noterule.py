#!/usr/bin/python3
"""Reads a briefing back with MuPDF and checks the room above its notes:
on every page with notes, nothing drawn above the rule over the notes
(text, or a table's rule) comes nearer the rule than the template's
notes gap, and the first note starts below the rule.

usage: noterule.py FILE.pdf --template TEMPLATE

The rule is the horizontal line at the left margin as long as the
template's notes rule.  A line of text ends 0.2 of its size below its
baseline, as the typesetter sets it.  Prints each offence, then "N pages
with notes, N problems"; exits 1 if there are problems or no notes.
"""
import sys

import fitz

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import pdflayout as L  # noqa: E402


def main():
    args = sys.argv[1:]
    if len(args) < 3 or "--template" not in args:
        print(__doc__)
        return 2
    tmpl = L.Template(L.find_template(args[args.index("--template") + 1]))
    rule_w = tmpl.note_rule
    doc = fitz.open(args[0])
    bad, pages = [], 0
    for pno, page in enumerate(doc, 1):
        rules = [d for d in page.get_drawings() for it in d["items"]
                 if it[0] == "l" and abs(it[1].y - it[2].y) < 0.01 and
                 abs(min(it[1].x, it[2].x) - tmpl.left) < 0.5 and
                 abs(abs(it[2].x - it[1].x) - rule_w) < 0.5]
        if not rules:
            continue
        pages += 1
        ry = rules[0]["items"][0][1].y
        above, first_note = [], None
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if not span["text"].strip():
                        continue
                    bottom = span["origin"][1] + 0.2 * span["size"]
                    top = span["origin"][1] - 0.8 * span["size"]
                    if bottom <= ry:
                        above.append(bottom)
                    elif first_note is None or top < first_note:
                        first_note = top
        for d in page.get_drawings():
            for it in d["items"]:
                if it[0] == "l" and it[1].y < ry - 0.01 and it[2].y < ry - 0.01 and \
                        min(it[1].y, it[2].y) > tmpl.top - 1:
                    above.append(max(it[1].y, it[2].y))
        if above:
            gap = ry - max(above)
            if gap < tmpl.note_gap - 0.5:
                bad.append("page %d: %.1fpt between the text and the notes rule, not %.1fpt"
                           % (pno, gap, tmpl.note_gap))
        if first_note is not None and first_note < ry - 0.01:
            bad.append("page %d: the first note starts above its rule" % pno)
    for b in bad:
        print(b)
    print("%d pages with notes, %d problems" % (pages, len(bad)))
    return 1 if bad or pages == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
