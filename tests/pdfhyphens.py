#!/usr/bin/env python3
"""Checks where a PDF breaks words with a hyphen at the end of a line.

usage: pdfhyphens.py FILE.pdf ALLOWED [--not OTHER] [--none-in SCRIPT]

Reads the words and their places with poppler's `pdftotext -bbox`.  A
word that ends in "-" (or U+00AD, as a tagged PDF gives it) with the
next word on a lower line is a break; the two parts joined with "=" are
the word as broken ("internatio=nales").

ALLOWED is a file of words with their hyphenation points, one a line, as
the patterns give them ("in=ter=na=tio=nales").  Passes when at least one
of these words is broken, every break of one of them is at one of its
points, and, with --not OTHER (the same words as other patterns hyphenate
them), at least one break is not at a point of OTHER: the patterns of
ALLOWED, not those of OTHER, chose it.  --none-in arabic or hebrew fails
on any break after a letter of that script.

Prints every break it sees and a verdict; exits 1 when the check fails, 2
when the PDF cannot be read.
"""

import re
import subprocess
import sys
from html import unescape

RANGES = {"arabic": ("\u0600", "\u06ff"), "hebrew": ("\u0590", "\u05ff")}


def words(pdf):
    try:
        out = subprocess.run(["pdftotext", "-bbox", pdf, "-"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print("cannot read %s: %s" % (pdf, e))
        sys.exit(2)
    pages = out.split("<page ")
    for page in pages[1:]:
        ws = re.findall(r'<word xMin="[^"]*" yMin="([^"]*)"[^>]*>([^<]*)</word>',
                        page)
        yield [(float(y), unescape(t)) for y, t in ws]


def breaks(pdf):
    for ws in words(pdf):
        for (y, w), (y2, nxt) in zip(ws, ws[1:]):
            # A tagged PDF gives the hyphen the line break put in as
            # U+00AD, the soft hyphen; an untagged one as "-".
            if w[-1:] in ("-", "\u00ad") and len(w) > 1 and y2 > y + 1:
                yield w[:-1], nxt


def letters(s):
    return re.sub(r"[^\w]", "", s).lower()


def points(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            parts = line.lower().split("=")
            word = "".join(parts)
            table[word] = {"".join(parts[:i]) for i in range(1, len(parts))}
    return table


def main():
    args = sys.argv[1:]
    other = none_in = None
    if "--not" in args:
        i = args.index("--not")
        other = points(args[i + 1])
        del args[i:i + 2]
    if "--none-in" in args:
        i = args.index("--none-in")
        none_in = RANGES[args[i + 1]]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2])
        sys.exit(2)
    pdf, allowed = args[0], points(args[1])
    seen = bad = unlike_other = 0
    for head, tail in breaks(pdf):
        tail = re.sub(r"[^\w]+$", "", tail)
        print("break: %s=%s" % (head, tail))
        if none_in and head and none_in[0] <= head[-1] <= none_in[1]:
            print("FAIL: %s=%s breaks a word of a script never hyphenated"
                  % (head, tail))
            bad += 1
        word = letters(head + tail)
        if word not in allowed:
            continue
        seen += 1
        if letters(head) not in allowed[word]:
            print("FAIL: %s=%s is not at a point of the patterns" % (head, tail))
            bad += 1
        if other is not None and letters(head) not in other.get(word, set()):
            unlike_other += 1
    ok = bad == 0 and seen > 0 and (other is None or unlike_other > 0)
    print("%d breaks of listed words, %d not where the other patterns break, "
          "%d wrong: %s" % (seen, unlike_other, bad, "ok" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


main()
