#!/usr/bin/env python3
"""Checks the words a briefing prints around its facts, read back from the
PDF with pdftotext: every wanted text is there, and none of the English
defaults is (an English month in a date only where the input has it).

    furniture.py PDF INPUT... --want TEXT...

INPUT are the fact and commentary files: a date such as "18 March 2025"
that one of them holds is content, not furniture.  Exit 1 on a failure.
"""
import re
import subprocess
import sys

# The English defaults of the template's "strings" (and of the bundled
# templates' header, footer and section titles) that no input holds.
ENGLISH = [
    r"Page \d+ of \d+", r"\bContents\b", r"Key points", r"Cited on p",
    r"\bAs of\b", r"Prepared by", r"Classification:", r"\bCall of\b",
    r"Where the readouts diverge", r"Demand or condition",
    r"Alleged by / against", r"No position reported", r"No response reported",
    r"\bn\.d\.", r"Archived copy", r"Not graded", r"Not cited",
    r"Changes since edition", r"No fact changed", r"Status changed",
    r"Distribution list", r"Copy \d+ of \d+", r"COPY \d+ —",
    r"Note \d+, continued", r"Context and timeline",
    r"Call readouts", r"Disputed breaches", r"\b(DISPUTED|UNVERIFIED|CONFIRMED|DENIED)\b",
]
MONTHS = ("January|February|March|April|May|June|July|August|September|"
          "October|November|December")
DATE = re.compile(r"\b\d{1,2} (?:%s) \d{4}\b" % MONTHS)


def flat(pdf):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                          capture_output=True, check=True, text=True).stdout
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"-\n", "", text)
    return re.sub(r"\s+", " ", text)


def main(argv):
    if "--want" not in argv:
        argv.append("--want")
    k = argv.index("--want")
    pdf, inputs, want = argv[1], argv[2:k], argv[k + 1:]
    text = flat(pdf)
    content = " ".join(
        re.sub(r"\s+", " ", open(p, encoding="utf-8").read()) for p in inputs)
    bad = ["missing %r" % w for w in want if w not in text]
    for pat in ENGLISH:
        m = re.search(pat, text)
        if m:
            bad.append("English %r at ...%s..." %
                       (m.group(0), text[max(0, m.start() - 40):m.end() + 40]))
    for m in DATE.finditer(text):
        if m.group(0) not in content:
            bad.append("English date %r" % m.group(0))
            break
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
