#!/usr/bin/env python3
"""Writes the Typst peer of a briefing: the same document, set by Typst.

The benchmark (tests/peer/bench-typst.py) compares the build of the
sample with Typst compiling this peer.  The peer is written from the
document tree that `briefing build FACTS --dump=doc` prints, so it holds
the same text, in the same blocks:

- the title block, the sections as level-1 headings and the headings in
  them as level-2 ones; the Contents section as Typst's outline (with
  dot leaders and page numbers, and PDF bookmarks from the headings);
- paragraphs with their bold, italic, code, struck and linked runs;
  lists, quotes, the framed box of the key points;
- tables as Typst tables, broken between rows only, header rows repeated
  on every page they cross, column widths from their contents;
- every note as a Typst footnote, at the foot of the page that cites it,
  under a rule, numbered 1..N in the same order;
- the breaches chart, drawn with Typst's shapes (from the counts its alt
  text gives: the document tree holds no more about it);
- in the sources, "Cited on pp. ...": the pages of the notes that cite
  each source, found by Typst's introspection (a note cites a source when
  a citation in it begins with the source's author or short title).

The page follows the template (templates/a4.yaml unless --template): its
paper, margins, fonts (the same font files: --out-dir gets a fonts/
folder of links to them, which tests/peer/typst-compile.mjs hands to
Typst), styles (size, leading, face, colour, alignment), the paragraph
gap, the notes' gap and rule, the table padding and colours, the running
header and footer with "Page N of M", and the classification banner at
the top and bottom edges.  Body text is justified with optimal
(total-fit) line breaking and hyphenation, as the template asks.

usage: tests/peer/typst.py [--briefing build/briefing] [--facts FACTS.yaml]
                           [--template templates/a4.yaml] [--doc DUMP]
                           --out-dir DIR

Writes DIR/briefing.typ and DIR/fonts/; --doc reads a saved --dump=doc
output instead of running the briefing.  Python 3 standard library only.
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLE = os.path.join(ROOT, "data", "ceasefire-2025-03-18.yaml")
# Where the briefing looks for a template's fonts, after the template's
# own folder and ../fonts (README, "Fonts").
FONT_DIRS = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu"]


# --- the template -----------------------------------------------------------
#
# templates/*.yaml use a small part of YAML: top-level keys, keys indented
# by two spaces under them, and values that are scalars (quoted or not),
# flow lists [a, b] or flow mappings {k: v, ...}.  That part is read here,
# the standard library having no YAML reader.

def split_flow(s):
    """The items of the inside of a flow collection, split at top-level commas."""
    items, cur, depth, quote = [], "", 0, None
    for c in s:
        if quote:
            cur += c
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            cur += c
        elif c in "{[":
            depth += 1
            cur += c
        elif c in "}]":
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        items.append(cur.strip())
    return items


def scalar(s):
    s = s.strip()
    if s.startswith("{") and s.endswith("}"):
        out = {}
        for item in split_flow(s[1:-1]):
            k, _, v = item.partition(":")
            out[k.strip()] = scalar(v)
        return out
    if s.startswith("[") and s.endswith("]"):
        return [scalar(v) for v in split_flow(s[1:-1])]
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def strip_comment(line):
    """The line without a comment (a # outside quotes, after a space)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def load_template(path):
    tmpl = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    block = None
    for raw in text.splitlines():
        line = strip_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            key, _, value = line.partition(":")
            if value.strip():
                tmpl[key] = scalar(value)
                block = None
            else:
                tmpl[key] = None             # a list or a mapping, by what follows
                block = key
        elif line.lstrip().startswith("- "):
            if tmpl[block] is None:
                tmpl[block] = []
            tmpl[block].append(scalar(line.lstrip()[2:]))
        else:
            if tmpl[block] is None:
                tmpl[block] = {}
            key, _, value = line.strip().partition(":")
            tmpl[block][key] = scalar(value)
    return tmpl


def font_file(name, template_path):
    """The path of a template's font file, looked for where the briefing looks."""
    tdir = os.path.dirname(os.path.abspath(template_path))
    for d in [tdir, os.path.join(tdir, "..", "fonts"), os.path.join(ROOT, "fonts")] + FONT_DIRS:
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return os.path.normpath(p)
    sys.exit("typst.py: font file %s not found" % name)


def family(filename):
    """The family of a Noto file name: NotoSerifHebrew-Bold.ttf -> Noto Serif Hebrew."""
    stem = os.path.basename(filename).split("-")[0].split(".")[0]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem)


# --- the document tree ------------------------------------------------------

class Node:
    def __init__(self, kind, attrs):
        self.kind, self.attrs = kind, attrs
        self.runs, self.children = [], []


class Run:
    def __init__(self, text="", flags=(), link=None, note=None, brk=False):
        self.text, self.flags, self.link = text, set(flags), link
        self.note, self.brk = note, brk


KINDS = {"root", "section", "heading", "para", "list", "item", "quote", "box",
         "table", "row", "cell", "figure"}


def parse_run(s):
    """One run line of the dump: "TEXT" [bold] [italic] [code] [struck] [isolate] [link=URI],
    [note N] or [break].  The text is printed unescaped, so the flags are
    taken off the end first, in the reverse of the order they are printed."""
    link, flags = None, set()
    m = re.search(r" link=(\S+)$", s)
    if m:
        link, s = m.group(1), s[:m.start()]
    for flag in ("isolate", "struck", "code", "italic", "bold"):
        if s.endswith(" " + flag) and not s.endswith('"'):
            flags.add(flag)
            s = s[:-len(flag) - 1]
    if re.fullmatch(r"\[note \d+\]", s):
        return Run(note=int(s[6:-1]), flags=flags)
    if s == "[break]":
        return Run(brk=True)
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError("unreadable run: %r" % s)
    return Run(s[1:-1], flags, link)


def parse_dump(text):
    """The root node and the notes ({number: [runs]}) of a --dump=doc output."""
    lines = text.split("\n")
    root, notes, stack, note = None, {}, [], None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if body.startswith('"'):
            # A text with a line break in it goes on over the next lines.
            while not re.search(r'"( bold| italic| code| struck| isolate| link=\S+)*$', body) \
                    and i < len(lines):
                body += "\n" + lines[i]
                i += 1
        if depth == 0 and body.startswith("note "):
            note = notes.setdefault(int(body[5:]), [])
            stack = []
            continue
        if depth == 0 and body.startswith("copy "):
            continue
        if body.startswith('"') or body.startswith("["):
            run = parse_run(body)
            if not stack:
                note.append(run)
            else:
                stack[depth - 1].runs.append(run)
            continue
        kind, _, attrs = body.partition(" ")
        if kind not in KINDS:
            raise ValueError("unknown node: %r" % body)
        n = Node(kind, attrs)
        if depth == 0:
            root, stack = n, [n]
            continue
        del stack[depth:]
        stack[depth - 1].children.append(n)
        stack.append(n)
    return root, notes


# --- Typst text -------------------------------------------------------------

def tstr(s):
    """A Typst string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t") + '"'


MONTHS = ("January February March April May June July August September "
          "October November December").split()
UNITS = "days? hours? minutes? weeks? months? years? km".split()


def ties(s):
    """No-break spaces where the briefing ties words, as TeX's ~: between a
    number and a month or a unit ("18 March", "30 days", "March 18"), and
    after a dash that opens an attribution ("— Steve Witkoff")."""
    s = re.sub(r"(?<=\d) (?=(%s)\b)" % "|".join(MONTHS + UNITS), "\u00a0", s)
    s = re.sub(r"\b(%s) (?=\d)" % "|".join(MONTHS), "\\1\u00a0", s)
    return re.sub(r"^ — (?=\S)", " —\u00a0", s)


def tcolor(c):
    return 'rgb("%s")' % c


def tlist(items):
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


class Writer:
    """Typst markup for the nodes of one document."""

    def __init__(self, notes, cites, facts_dir):
        self.notes = notes        # note number -> runs
        self.cites = cites        # note number -> source indexes it cites
        self.facts_dir = facts_dir
        self.images = []          # (path in the peer's folder, the file)
        self.seen = set()
        self.last_note = 0

    def runs(self, runs, pageref=None):
        """Markup for runs.  Every piece starts with # and none is followed by
        ( [ or ., so no piece can run on into the next."""
        out = []
        for r in runs:
            if r.note is not None:
                out.append(self.footnote(r.note))
                continue
            if r.brk:
                out.append("#linebreak()")
                continue
            if r.text == "" and pageref is not None:
                # The sources' "Cited on pp. ..." (the dump prints it empty).
                out.append("#cited-on(%d)" % pageref)
                continue
            e = tstr(ties(r.text))
            if "code" in r.flags:
                e = "text(font: sans, %s)" % e
            if "bold" in r.flags:
                e = "strong(%s)" % e
            if "italic" in r.flags:
                e = "emph(%s)" % e
            if "struck" in r.flags:
                e = "strike(%s)" % e
            if r.link:
                e = "link(%s, text(fill: link-color, %s))" % (tstr(r.link), e)
            out.append("#" + e)
        return "".join(out)

    def footnote(self, num):
        if num in self.seen:              # a note cited again: the same note
            return "#footnote(<note-%d>)" % num
        if num != self.last_note + 1:
            print("typst.py: note %d comes after note %d: Typst numbers them "
                  "in the order they come" % (num, self.last_note), file=sys.stderr)
        self.seen.add(num)
        self.last_note = max(self.last_note, num)
        srcs = "".join("#metadata(%d)<source-cited>" % s for s in self.cites.get(num, []))
        return "#footnote[%s]<note-%d>%s" % (self.runs(self.notes[num]), num, srcs)

    def para(self, n, style=None, pageref=None):
        text = self.runs(n.runs, pageref)
        m = re.search(r"align=(\w+)", n.attrs)
        if m:
            where = {"left": "left", "centre": "center", "right": "right"}[m.group(1)]
            text = "#align(%s)[#set par(justify: false); %s]" % (where, text)
        if style:
            return "#%s[%s]" % (style, text)
        return text

    def blocks(self, nodes, style=None):
        return "\n\n".join(self.block(c, style) for c in nodes)

    def block(self, n, style=None):
        k = n.kind
        if k == "para":
            return self.para(n, style)
        if k == "heading":
            level = int(re.search(r"level=(\d+)", n.attrs).group(1))
            return "#heading(level: %d)[%s]" % (level, self.runs(n.runs))
        if k == "list":
            fn = "enum" if "ordered" in n.attrs else "list"
            items = ",\n".join("  [%s]" % self.blocks(i.children, style) for i in n.children)
            return "#%s(\n%s\n)" % (fn, items)
        if k == "quote":
            return "#quote(block: true)[%s]" % self.blocks(n.children, style)
        if k == "box":
            return "#keybox[%s]" % self.blocks(n.children, "box-style")
        if k == "table":
            return self.table(n)
        if k == "figure":
            return self.figure(n)
        if k == "section":
            return self.section(n)
        raise ValueError("unexpected %s" % k)

    def table(self, n):
        cols = int(re.search(r"cols=(\d+)", n.attrs).group(1))
        head = int(re.search(r"head=(\d+)", n.attrs).group(1))
        rows = []
        for r, row in enumerate(n.children):
            cells = []
            for cell in row.children:
                body = self.blocks(cell.children)
                if r < head:
                    body = "#set text(weight: \"bold\"); " + body
                cells.append("[%s]" % body)
            rows.append(", ".join(cells))
        head_rows = ",\n  ".join(rows[:head])
        body_rows = ",\n  ".join(rows[head:])
        widths = tlist(["%.1ffr" % w for w in column_widths(n, cols)])
        return "#brief-table(%s, %d,\n  table.header(%s),\n  %s\n)" % (
            widths, head, head_rows, body_rows)

    def figure(self, n):
        m = re.match(r'(\d+) "([^"]*)" alt="(.*)"( width=\d+%)?$', n.attrs)
        alt = m.group(3)
        if m.group(2) == "chart":
            body = chart(alt)
        else:
            # Typst reads files inside its root, the peer's folder: the
            # image is linked into it.
            name = "images/%d-%s" % (len(self.images), os.path.basename(m.group(2)))
            path = m.group(2)             # as the briefing was given it
            if not os.path.exists(path):
                path = os.path.join(self.facts_dir, path)
            self.images.append((name, path))
            width = ", width: %s" % m.group(4)[7:] if m.group(4) else ""
            body = "image(%s, alt: %s%s)" % (tstr(name), tstr(alt), width)
        return "#figure(%s, caption: [%s], alt: %s)" % (body, self.runs(n.runs), tstr(alt))

    def section(self, n):
        title = re.match(r'"(.*)"( annex)?$', n.attrs)
        out = []
        if title.group(2):
            out.append("#pagebreak(weak: true)")
        if not n.children and title.group(1) == self.contents_title:
            out.append("#heading(level: 1, outlined: false, bookmarked: true)[%s]"
                       % self.runs([Run(title.group(1))]))
            out.append("#outline(title: none, depth: 2)")
            return "\n\n".join(out)
        out.append("#heading(level: 1)[%s]" % self.runs([Run(title.group(1))]))
        if title.group(1) == self.sources_title:
            for k, c in enumerate(n.children):
                out.append(self.para(c, "source-style", pageref=k) if c.kind == "para"
                           else self.block(c))
        else:
            out.append(self.blocks(n.children))
        return "\n\n".join(out)


def texts(n):
    """The text of each paragraph in n, a cell or a block."""
    if n.kind == "para":
        return ["".join(r.text for r in n.runs)]
    return [t for c in n.children for t in texts(c)]


def column_widths(table, cols, line=92):
    """Widths for a table's columns, as parts of the text width, from their
    contents, in characters: each column gets its longest word and a share
    of the rest of the line in proportion to what its longest paragraph
    lacks (the way browsers size table columns), or its longest paragraph
    when all fit.  line is about the characters of a line of table text."""
    least, most = [1] * cols, [1] * cols
    for row in table.children:
        for j, cell in enumerate(row.children):
            for t in texts(cell):
                least[j] = max([least[j]] + [len(w) for w in t.split()])
                most[j] = max(most[j], len(t))
    line -= 2 * cols                     # the cells' padding
    if sum(most) <= line or sum(most) == sum(least):
        return most
    share = max(0, line - sum(least)) / (sum(most) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, most)]


def chart(alt):
    """The breaches chart, from the counts its alt text gives ("1 breach alleged
    by Russia and 1 by Ukraine, none of them dated"): one group of bars, for
    one date or none (the alt text of more dates is not read: one group)."""
    bars = re.findall(r"(\d+) (?:breach(?:es)? )?(?:alleged )?by ([^,.;]+?)(?=,| and |\.|$)", alt)
    date = re.search(r", on (\d+ \w+ \d{4})", alt)
    group = date.group(1) if date else "Undated" if "none of them dated" in alt else ""
    return "bar-chart(%s, %s)" % (tlist(["(%s, %s)" % (tstr(p), c) for c, p in bars]),
                                  tstr(group))


def bare(s):
    """s without the quotes and punctuation around it."""
    return s.strip("“”\"'.,:; ")


def source_leads(sources):
    """For each source paragraph, the ways a note may begin a citation of it:
    its author (first run), for "Surname, Given" also the surname and "Given
    Surname", and its title (first or third run, in quotes or not)."""
    leads = []
    for p in sources:
        runs = [bare(r.text) for r in p.runs[:3] if bare(r.text)]
        keys = set(runs)
        m = re.fullmatch(r"([^,]+), ([^,]+)", runs[0]) if runs else None
        if m:
            keys |= {m.group(1), "%s %s" % (m.group(2), m.group(1))}
        leads.append(keys)
    return leads


def note_cites(notes, sources):
    """Note number -> indexes of the sources it cites.  A note's citations are
    separated by "; " runs; each begins with the source's author, its
    surname, or its (short) title."""
    leads = source_leads(sources)
    cites = {}
    for num, runs in notes.items():
        segs, cur = [], []
        for r in runs:
            if r.text == "; " and r.note is None:
                segs.append(cur)
                cur = []
            else:
                cur.append(r)
        segs.append(cur)
        found = []
        for seg in segs:
            if not seg:
                continue
            # A short title is the start of the title.
            lead = bare(seg[0].text)
            hits = [k for k, keys in enumerate(leads)
                    if lead in keys or (len(lead) > 8 and any(
                        key.startswith(lead) for key in keys))]
            if not hits:
                print("typst.py: note %d: no source found for %r" % (num, lead),
                      file=sys.stderr)
            for k in hits:
                if k not in found:
                    found.append(k)
        cites[num] = found
    return cites


# --- the preamble -----------------------------------------------------------

def style_rule(st, faces):
    """Typst arguments for a template style: (text args, par args)."""
    face = st["font"]
    text = ["font: %s" % faces[face.replace("_bold", "").replace("_italic", "")],
            "size: %s" % st["size"]]
    if face.endswith("_bold"):
        text.append('weight: "bold"')
    if face.endswith("_italic"):
        text.append('style: "italic"')
    if "color" in st:
        text.append("fill: %s" % tcolor(st["color"]))
    par = ["leading: %s - %s" % (st["leading"], st["size"]),
           "justify: %s" % ("true" if st.get("align") == "justify" else "false")]
    if "hang" in st:
        par.append("hanging-indent: %s" % st["hang"])
    return ", ".join(text), ", ".join(par)


def furniture(spec, values):
    """A header or footer string ("Page {page} of {pages}") as Typst code."""
    parts = []
    for piece in re.split(r"(\{\w+\})", spec):
        if not piece:
            continue
        name = piece[1:-1] if piece.startswith("{") else None
        if name == "page":
            parts.append("counter(page).display()")
        elif name == "pages":
            parts.append("str(counter(page).final().first())")
        elif name == "section":
            parts.append("section-title()")
        elif name is not None:
            parts.append(tstr(values.get(name, "")))
        else:
            parts.append(tstr(piece))
    return "[" + "".join("#" + p for p in parts) + "]" if parts else "[]"


PREAMBLE = r"""// The Typst peer of a briefing, written by tests/peer/typst.py from
// `briefing build --dump=doc`: the same text and blocks, on the page the
// template describes.  Compile it with tests/peer/typst-compile.mjs.

#let serif = %(serif)s
#let sans = %(sans)s
#let rule-color = %(rule)s

#set document(title: %(title)s, author: %(author)s, description: %(subtitle)s)
// Hyphenation "auto": in justified text, as the briefing (its tables and
// other ragged text are not hyphenated).
#set text(font: serif, size: %(body_size)s, lang: "en", region: "US",
  hyphenate: %(hyphenate)s, top-edge: 0.8em, bottom-edge: -0.2em)
// Leading is the template's, baseline to baseline: Typst's leading is
// the space between a line's bottom edge and the next one's top edge,
// and with these edges a line is 1em high.  A paragraph gap is added to
// the leading.
#set par(justify: true, linebreaks: "optimized", leading: %(body_lead)s,
  spacing: %(body_lead)s + %(gap)s)
#set block(spacing: %(gap)s)
#let link-color = %(link)s

// The section in effect at the top of a page: the last one begun on an
// earlier page, or one that begins at the top of this page.
#let section-title() = {
  let page = here().page()
  let current = none
  for h in query(heading.where(level: 1, outlined: true)) {
    let p = h.location().position()
    if p.page < page or (p.page == page and p.y < %(margin_top)s + 16pt) {
      current = h.body
    }
  }
  current
}

#let banner = align(center, text(%(banner_text)s)[%(banner)s])

#set page(
  paper: %(paper)s,
  margin: (top: %(margin_top)s, bottom: %(margin_bottom)s,
           left: %(margin_left)s, right: %(margin_right)s),
  header-ascent: %(header_offset)s - 9pt,
  footer-descent: %(footer_offset)s - 9pt,
  header: context if here().page() > 1 {
    set text(%(header_text)s)
    set par(leading: %(header_lead)s, justify: false)
    grid(columns: (1fr, auto), column-gutter: 12pt,
      align(left, %(header_left)s), align(right, %(header_right)s))
    v(-5pt)
    line(length: 100%%, stroke: 0.5pt + rule-color)
  },
  footer: context {
    set text(%(footer_text)s)
    set par(leading: %(footer_lead)s, justify: false)
    line(length: 100%%, stroke: 0.5pt + rule-color)
    v(-5pt)
    grid(columns: (1fr, auto), column-gutter: 12pt,
      align(left, %(footer_left)s), align(right, %(footer_right)s))
  },
  // The classification banner, at the paper's printable edge.
  background: {
    place(top + center, dy: %(edge)s, banner)
    place(bottom + center, dy: -%(edge)s, banner)
  },
)

// Headings: the sections (h1) and the headings inside them (h2).
#show heading: set block(sticky: true)
#show heading.where(level: 1): it => {
  set text(%(h1_text)s)
  set par(%(h1_par)s)
  block(above: %(h1_before)s, below: %(h1_after)s, it.body)
}
#show heading.where(level: 2): it => {
  set text(%(h2_text)s)
  set par(%(h2_par)s)
  block(above: %(h2_before)s, below: %(h2_after)s, it.body)
}
#show outline.entry: set block(spacing: 0pt)

// Note markers: digits set smaller and raised, as the briefing's (not the
// font's superscript figures).
#set super(typographic: false)

// Notes: the template's gap, then the rule, then the notes (the space
// between them their leading), numbers flush right in a column of their own.
#set footnote.entry(
  clearance: %(notes_gap)s,
  separator: line(length: %(notes_rule)s, stroke: 0.5pt + rule-color),
  gap: %(note_lead)s, indent: 0pt)
#show footnote.entry: it => {
  set text(%(note_text)s)
  set par(%(note_par)s)
  let n = counter(footnote).at(it.note.location()).first()
  grid(columns: (12pt, 1fr), column-gutter: 4pt,
    align(right, link(it.note.location(), str(n))), it.note.body)
}

// Styles of the template used as functions.
#let box-style(body) = { set text(%(box_text)s); set par(%(box_par)s); body }
#let source-style(body) = block(below: %(source_after)s, {
  set text(%(source_text)s); set par(%(source_par)s); par(body) })

// The framed box of the key points.
#let keybox(body) = block(width: 100%%, breakable: false, fill: %(box)s,
  inset: (left: 10pt, right: 8pt, y: 7pt),
  stroke: (left: 2.5pt + %(h1_color)s), body)

// Tables: padding and colours of the template, rules between the rows,
// the header rows shaded, bold and repeated on every page; broken
// between rows only, as the briefing's.
#set table.cell(breakable: false)
#let brief-table(cols, head, ..rows) = {
  set text(%(table_text)s)
  set par(%(table_par)s, spacing: %(table_lead)s + %(gap)s)
  table(columns: cols, inset: %(padding)s,
    stroke: (x: none, y: 0.5pt + rule-color),
    fill: (_, y) => if y < head { %(table_head)s },
    ..rows)
}
#show figure: set block(spacing: 10pt)
#show figure.caption: it => { set par(justify: false); it.body }

// "Cited on pp. 1–3, 7": the pages of the notes that cite source k.
#let cited-on(k) = context {
  let pages = query(<source-cited>).filter(m => m.value == k)
    .map(m => m.location().page()).dedup()
  if pages.len() == 0 { return }
  let ranges = ()
  for p in pages {
    if ranges.len() > 0 and ranges.last().at(1) == p - 1 {
      ranges.last().at(1) = p
    } else {
      ranges.push((p, p))
    }
  }
  let show-range(r) = {
    let page-link(p) = link((page: p, x: 0pt, y: 0pt), text(fill: link-color, str(p)))
    if r.at(0) == r.at(1) { page-link(r.at(0)) }
    else { page-link(r.at(0)) + text(fill: link-color, "–") + page-link(r.at(1)) }
  }
  [Cited on #if pages.len() == 1 [p.] else [pp.] ]
  ranges.map(show-range).join(", ")
  [.]
}

// The breaches chart: one bar per party, its count above, its name below.
#let bar-chart(bars, group) = {
  let most = calc.max(1, ..bars.map(b => b.at(1)))
  let fills = (%(link)s, rgb("#b3c3d9"), rgb("#5b7ba6"), rgb("#dde4ee"))
  set text(font: sans, size: 7pt)
  set par(justify: false)
  grid(columns: (auto, auto), column-gutter: 4pt,
    align(right, stack(dir: ttb, spacing: 80pt - 7pt, str(most), "0")),
    grid(columns: bars.len() * (40pt,), align: center + bottom,
      column-gutter: 2pt,
      ..bars.enumerate().map(((i, b)) => stack(dir: ttb, spacing: 2pt,
        strong(str(b.at(1))),
        rect(width: 40pt, height: 80pt * b.at(1) / most, stroke: none,
          fill: fills.at(calc.rem(i, fills.len()))))),
      grid.hline(stroke: 0.5pt + rule-color),
      ..bars.map(b => pad(top: 3pt, b.at(0))),
      grid.cell(colspan: bars.len(), strong(group)),
    ))
}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--briefing", default=os.path.join(ROOT, "build", "briefing"))
    ap.add_argument("--facts", default=SAMPLE)
    ap.add_argument("--template", default=os.path.join(ROOT, "templates", "a4.yaml"))
    ap.add_argument("--doc", help="a saved --dump=doc output to read instead")
    ap.add_argument("--out-dir", required=True)
    a = ap.parse_args()

    if a.doc:
        with open(a.doc, encoding="utf-8") as f:
            dump = f.read()
    else:
        p = subprocess.run([a.briefing, "build", a.facts, "-o", os.devnull,
                            "--template", a.template, "--dump=doc"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("typst.py: %s --dump=doc failed:\n%s" % (a.briefing, p.stderr))
        dump = p.stdout
    root, notes = parse_dump(dump)
    tmpl = load_template(a.template)

    # The fonts: links to the very files the template names.
    fontdir = os.path.join(a.out_dir, "fonts")
    os.makedirs(fontdir, exist_ok=True)
    for name in os.listdir(fontdir):
        os.unlink(os.path.join(fontdir, name))
    faces = {}
    for face, files in tmpl["fonts"].items():
        files = files if isinstance(files, list) else [files]
        for name in files:
            link = os.path.join(fontdir, os.path.basename(name))
            if not os.path.lexists(link):
                os.symlink(font_file(name, a.template), link)
        if "_" not in face:
            faces[face] = tlist([tstr(family(n)) for n in files])

    # The title block: the paragraphs before the first section.
    front = []
    for c in root.children:
        if c.kind == "section":
            break
        front.append(c)
    texts = ["".join(r.text for r in p.runs) for p in front]
    title = texts[0] if texts else ""
    subtitle = texts[1] if len(texts) > 1 and not texts[1].startswith("As of") else ""
    values = {"title": title, "short_title": title, "subtitle": subtitle}
    for t in texts:
        for key, pat in (("as_of", r"As of (.+)"), ("edition", r"Edition (\S+)"),
                         ("prepared_by", r".*Prepared by (.+)"),
                         ("classification", r"Classification: (.+)")):
            m = re.match(pat, t)
            if m:
                values[key] = m.group(1)
    values.setdefault("date", values.get("as_of", ""))

    # The sections the template names the contents and the sources.
    titles = {s["id"]: s["title"] for s in tmpl.get("sections", [])}
    sources = []
    for c in root.children:
        if c.kind == "section" and c.attrs.startswith(tstr(titles.get("sources", "Sources"))):
            sources = [p for p in c.children if p.kind == "para"]
    w = Writer(notes, note_cites(notes, sources), os.path.dirname(os.path.abspath(a.facts)))
    w.contents_title = titles.get("contents", "Contents")
    w.sources_title = titles.get("sources", "Sources")

    st = tmpl["styles"]
    fill = {}
    for name in ("body", "h1", "h2", "note", "box", "source", "table", "header",
                 "footer", "banner"):
        fill[name + "_text"], fill[name + "_par"] = style_rule(st[name], faces)
    m, col = tmpl["margins"], tmpl["colors"]
    fill.update(
        serif=faces["serif"], sans=faces["sans"], rule=tcolor(col["rule"]),
        link=tcolor(col["link"]),
        table_lead="%s - %s" % (st["table"]["leading"], st["table"]["size"]),
        note_lead="%s - %s" % (st["note"]["leading"], st["note"]["size"]),
        box=tcolor(col["box"]),
        table_head=tcolor(col["table_head"]), h1_color=tcolor(st["h1"]["color"]),
        title=tstr(title), subtitle=tstr(subtitle),
        author=tstr(values.get("prepared_by", "")),
        body_size=st["body"]["size"],
        body_lead="%s - %s" % (st["body"]["leading"], st["body"]["size"]),
        header_lead="%s - %s" % (st["header"]["leading"], st["header"]["size"]),
        footer_lead="%s - %s" % (st["footer"]["leading"], st["footer"]["size"]),
        gap=tmpl.get("paragraph_gap", "5pt"), paper=tstr(tmpl.get("paper", "a4")),
        margin_top=m["top"], margin_bottom=m["bottom"], margin_left=m["left"],
        margin_right=m["right"], header_offset=tmpl.get("header_offset", "12mm"),
        footer_offset=tmpl.get("footer_offset", "13mm"), edge=tmpl.get("edge", "10mm"),
        h1_before=st["h1"].get("before", "0pt"), h1_after=st["h1"].get("after", "0pt"),
        h2_before=st["h2"].get("before", "0pt"), h2_after=st["h2"].get("after", "0pt"),
        source_after=st["source"].get("after", "0pt"),
        notes_gap=tmpl["notes"]["gap"], notes_rule=tmpl["notes"]["rule"],
        padding=tmpl["table"]["padding"],
        banner="#" + tstr(tmpl.get("banner", "{classification}").replace(
            "{classification}", values.get("classification", ""))),
        header_left=furniture(tmpl["header"].get("left", ""), values),
        header_right=furniture(tmpl["header"].get("right", ""), values),
        footer_left=furniture(tmpl["footer"].get("left", ""), values),
        footer_right=furniture(tmpl["footer"].get("right", ""), values),
    )
    fill["hyphenate"] = "auto" if tmpl.get("linebreak", {}).get(
        "hyphenate", "true") == "true" else "false"
    out = [PREAMBLE % fill]

    # The title block, in its styles, and a rule under it.
    for k, p in enumerate(front):
        style = "title" if k == 0 else "subtitle" if p.runs and \
            "".join(r.text for r in p.runs) == subtitle else "meta"
        t, par = style_rule(st[style], faces)
        after = st[style].get("after", "0pt")
        out.append("#block(below: %s)[#set text(%s); #set par(%s); %s]"
                   % (after, t, par, w.runs(p.runs)))
    out.append("#v(4pt) #line(length: 100%, stroke: 0.5pt + rule-color)")
    for c in root.children[len(front):]:
        out.append(w.block(c))
    missing = sorted(set(notes) - w.seen)
    if missing:
        sys.exit("typst.py: notes never cited in the text: %s" % missing)

    for name, target in w.images:
        link = os.path.join(a.out_dir, name)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.abspath(target), link)
    path = os.path.join(a.out_dir, "briefing.typ")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(out) + "\n")
    print("%s: %d notes, %d tables, %d sections" % (
        path, len(notes), dump.count("\n    table ") + dump.count("\n  table "),
        sum(1 for c in root.children if c.kind == "section")))


if __name__ == "__main__":
    main()
