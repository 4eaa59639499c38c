#!/usr/bin/env python3
"""Reads the notes and the sources list of a briefing back with MuPDF and
checks that they are set in Chicago's notes-bibliography style.

usage: chicago.py FILE.pdf --template TEMPLATE --facts FACTS.yaml

Notes (each note's whole text, its lines joined):
  - no source id of the fact file is printed, bracketed or bare (ids with
    a hyphen or a digit, which no English word has), and none of the old
    stand-ins for missing data ("untitled article", "outlet not stated",
    "undated", "Author not stated", "No URL recorded");
  - every note begins with a capital letter or a digit (after an opening
    quotation mark), or is an address;
  - punctuation is merged: no ".”;" ".”," ".”." ",”," or ".." (an
    ellipsis aside), no ", ," and no space before a comma;
  - a title longer than its short form is printed in full once (a later
    note on its source gives a short title), and no "(n. N)" cross-reference is printed (the bundled templates do
    not ask for one).
Sources list (the lines in the template's `source` style after the last
"Sources" heading):
  - entries are in alphabetical order of their first word ("The" and an
    opening quotation mark aside), case ignored;
  - every line after an entry's first starts the style's `hang` further
    right than the first.

Prints each problem, then "N notes, M sources, K problems"; exits 1 if
there are problems (or no notes or no sources at all).
"""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import pdflayout as L  # noqa: E402

GONE = ["untitled article", "outlet not stated", "undated",
        "Author not stated", "No URL recorded"]
BAD_PUNCT = [".\u201d;", ".\u201d,", ".\u201d.", ",\u201d,", ", ,", " ,"]


def source_ids(facts):
    """The ids listed under the fact file's top-level "sources:"."""
    ids, inside = [], False
    with open(facts, encoding="utf-8") as f:
        for line in f:
            if re.match(r"^\S", line):
                inside = line.startswith("sources:")
                continue
            m = re.match(r"^  - id:\s*['\"]?([^'\"\s#]+)", line)
            if inside and m:
                ids.append(m.group(1))
    return ids


def notes_text(pages, tmpl):
    """{number: text} of every note, its lines joined in page order."""
    notes, cur = {}, None
    for page in pages:
        starts = {id(s): n for n, s in L.note_starts(page, tmpl)}
        segs = sorted((s for s in page.segs if s.kind == "note" or
                       (s.kind == "outside" and s.styles[:1] == ["note"])),
                      key=lambda s: (s.base, s.x0))
        for s in segs:
            if L.CONTINUED.match(s.plain):
                continue
            if id(s) in starts:
                cur = starts[id(s)]
                text = re.sub(r"^\d+\s+", "", s.plain)
                notes[cur] = text
            elif cur is not None:
                prev = notes[cur]
                glue = "" if prev.endswith("-") or prev.endswith("/") else " "
                notes[cur] = prev + glue + s.plain
    return notes


def source_entries(pages, tmpl):
    """[(first line segment, [continuation segments])] of the sources
    list, in order."""
    hang = tmpl.styles["source"]["hang"]
    entries, started = [], False
    for page in pages:
        for s in sorted(page.segs, key=lambda s: (s.base, s.x0)):
            if s.kind == "flow" and s.styles[:1] == ["h1"] and \
                    s.plain.strip() == "Sources":
                entries, started = [], True
                continue
            if not started or s.kind != "flow" or s.styles[:1] != ["source"]:
                continue
            first = abs(s.x0 - tmpl.left) <= L.TOL
            if first or not entries:
                entries.append((s, []))
            else:
                entries[-1][1].append(s)
    return entries, hang


def sort_key(text):
    """An entry's text as it sorts: quotation marks, and an article
    opening the entry or one of its elements, left out."""
    t = re.sub(r"[\u201c\u201d\u2018\u2019\"]", "", text.strip())
    t = re.sub(r"(^|[.,] )(The|A|An) ", r"\1", t)
    return t.casefold()


def main():
    args = sys.argv[1:]
    if "--template" not in args or "--facts" not in args or not args:
        print(__doc__)
        return 2
    pdf = args[0]
    tmpl = L.Template(L.find_template(args[args.index("--template") + 1]))
    facts = args[args.index("--facts") + 1]
    pages = L.read_pdf(pdf, tmpl)
    L.classify(pages, tmpl)
    problems = []
    ids = [i for i in source_ids(facts) if re.search(r"[-0-9]", i)]
    notes = notes_text(pages, tmpl)
    for n, text in sorted(notes.items()):
        where = "note %d" % n
        for i in ids:
            if i in text:
                problems.append("%s prints the source id %r: %s" % (where, i, text[:90]))
        for g in GONE:
            if re.search(r"\b%s\b" % re.escape(g), text, re.I):
                problems.append("%s spells out missing data (%r): %s" % (where, g, text[:90]))
        first = text.lstrip("\u201c\u2018\"(")
        if first and not (first[0].isupper() or first[0].isdigit() or
                          re.match(r"https?://", first)):
            problems.append("%s does not begin with a capital: %s" % (where, text[:60]))
        for p in BAD_PUNCT:
            if p in text:
                problems.append("%s has %r: %s" % (where, p, text[:90]))
        if re.search(r"(?<!\.)\.\.(?!\.)", text):
            problems.append("%s has two full stops: %s" % (where, text[:90]))
        if re.search(r"\(n\.\s*\d+\)", text):
            problems.append("%s has a cross-reference the template did not ask for: %s"
                            % (where, text[:90]))
    # A title longer than its short form is printed in full once, in the
    # source's first note; later notes give a short title.  (A quoted
    # title is one not introduced by ": ", which opens a quotation.)
    full = {}
    for n, text in sorted(notes.items()):
        for m in re.finditer(r"\u201c([^\u201d]+?)[,.]?\u201d", text):
            t = m.group(1)
            if text[max(0, m.start() - 2):m.start()] == ": ":
                continue
            words = t.split()
            # A short title has four words, or five where the fourth is
            # a possessive ("White House denied Trump's conversation").
            if len(words) > 5 or (len(words) == 5 and
                                  not re.search("['\u2019\u02bc]s$", words[3])):
                if t in full:
                    problems.append("note %d repeats the full title of note %d: %s"
                                    % (n, full[t], t[:60]))
                full.setdefault(t, n)
    entries, hang = source_entries(pages, tmpl)
    keys = [sort_key(first.plain) for first, _ in entries]
    for a, b in zip(keys, keys[1:]):
        if a > b:
            problems.append("sources list out of order: %r before %r" % (a[:40], b[:40]))
    for first, rest in entries:
        for s in rest:
            if abs(s.x0 - (first.x0 + hang)) > L.TOL:
                problems.append("sources list: %r starts at x=%.2f, not %.2f (the first line's plus a %.1fpt hang)"
                                % (s.plain[:30], s.x0, first.x0 + hang, hang))
    for p in problems:
        print(p)
    print("%d notes, %d sources, %d problems" % (len(notes), len(entries), len(problems)))
    return 1 if problems or not notes or not entries else 0


if __name__ == "__main__":
    sys.exit(main())
