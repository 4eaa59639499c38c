#!/usr/bin/env python3
"""Reads a briefing's lines back with MuPDF and checks that no line ends
where a tie forbids it: between a number and a month or a unit ("18 |
March", "30 | days", "24 | hours", "March | 18"), or right after a dash
that opens an attribution ("— | Peskov").

usage: ties.py FILE.pdf

Lines are taken block by block, as MuPDF groups them; a line's last word
and the next line's first are compared, their punctuation aside.  A dash
alone on its line is an empty table cell's mark, not an attribution.
Prints each break it finds with its page, then "N line ends, N
problems"; exits 1 if there are problems.
"""
import re
import sys

import fitz

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
UNITS = {"day", "days", "hour", "hours", "minute", "minutes", "week",
         "weeks", "month", "months", "year", "years", "km", "metres",
         "kilometres", "miles", "MW", "GW", "kV", "per", "percent", "%",
         "pm", "am", "GMT", "UTC", "BST", "CET", "EET", "MSK"}
NUMBER = re.compile(r"\d(?:[\d,.]*\d)?$")


def bare(word):
    return word.strip(".,;:?!()\u201c\u201d\u2018\u2019\"'")


def main():
    doc = fitz.open(sys.argv[1])
    bad, ends = [], 0
    for pno, page in enumerate(doc, 1):
        for block in page.get_text("dict")["blocks"]:
            lines = []
            for line in block.get("lines", []):
                words = "".join(s["text"] for s in line["spans"]).split()
                if words:
                    lines.append(words)
            for a, b in zip(lines, lines[1:]):
                ends += 1
                last, first = a[-1], bare(b[0])
                # A dash alone on its line is a table's mark for an
                # empty cell, beside the next cell, not an attribution.
                if last == "\u2014" and len(a) > 1:
                    bad.append(f"page {pno}: a line ends at a dash before \"{first}\"")
                elif NUMBER.match(bare(last)) and (first in MONTHS or first in UNITS):
                    bad.append(f"page {pno}: \"{last} | {first}\"")
                elif bare(last) in MONTHS and re.fullmatch(r"\d{1,2}", first):
                    bad.append(f"page {pno}: \"{last} | {first}\"")
    for b in bad:
        print(b)
    print(f"{ends} line ends, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
