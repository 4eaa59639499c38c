#!/usr/bin/env python3
"""Reads a briefing PDF back with MuPDF and checks its page layout.

usage: pdflayout.py FILE.pdf --template TEMPLATE [--check NAME ...] [-v] [--dump]

TEMPLATE is a template file (templates/a4.yaml) or the name of a bundled
one (a4, letter).  The page geometry and the styles come from it; the
positions of the text come from `mutool draw -F stext`.  Checks (all by
default; --check takes one or more names, or a comma-separated list):

  area         no text (no glyph but a word space ending a line, which
               draws nothing) outside the text area, except the running header
               (baseline header_offset above it), the footer (baseline
               footer_offset below it) and the banner (centred, above the
               header and below the footer), which must stay 10pt inside
               the paper and off the text area
  edge         no text nearer the paper's edge than the template's `edge`
               (default 10mm), measured on each line's box
  overlap      no two text lines overlap
  justify      in a justified body paragraph every line but the last ends
               at the right edge of the measure (the right margin; for a
               block quote, as far in from it as the quote is indented);
               no body line starts left of the left margin.  Paragraphs
               are consecutive body lines one leading apart; a line with a
               hanging bullet or number starts a new one (a list item), so
               does a change of indent.  Contents entries (dot leaders) are
               not justified text and are skipped
  notes        every note marker's note is on the marker's page, and every
               note at the foot of a page has its marker there; a note
               continued from the page before ("Note 73, continued") did
               begin there
  table-head   a page with table body text has table header text above its
               first table body line (a broken table repeats its header),
               and no table header row ends a page without a row under it
  heading-end  no page's text flow (notes and furniture aside) ends with a
               heading (h1 or h2)
  fill         (only when asked for) no page has more than 60pt empty
               between its text and its notes (their rule's gap, the
               template's notes gap, aside) or its footer, but a page
               that ends a section (the next begins with an h1 heading),
               one followed by a figure (the next begins with neither
               text nor a table) and the last page
  hyphens      (only when asked for) no two lines in a row of a body
               paragraph end with a hyphen (with -v, it also counts
               hyphens on a paragraph's second-to-last line)
  measure      (only when asked for) full lines of justified body text
               (not a paragraph's last, not a list item's) hold at most
               80 characters on average, spaces included, note markers
               not: the measure
               Bringhurst and the LaTeX classes keep to

Each violation prints as `page N: CHECK: detail` (y is the baseline,
measured down from the top of the paper, x from its left edge, in points);
then a summary line `N pages, K checks, V violations`.  Exit status 1 if
there are violations, 2 for usage errors or an unreadable template or PDF.
-v prints what each check looked at (lines, markers, pages) to stderr;
--dump prints every text line found with its place and style.

How the text is measured.  MuPDF gives every character's advance box and
baseline.  Characters are grouped into runs (same mutool line, font, size
and baseline, touching), runs into visual lines ("segments": same baseline,
touching within 1.5pt), and superscript note markers (digits at most 0.75
of the size of a touching run, raised by 15-60% of its size) are attached
to the run they follow or precede.  A segment's box is its advance width
across and, vertically, each run's em box as the typesetter models it:
0.8 of the size above the baseline and 0.2 below.  (MuPDF's own quads use
the font's ascender and descender, 1.069/0.293 em for Noto, taller than the
leading of the note style, so they would make every pair of note lines
"overlap".)  A segment's style is found from its dominant face and size
(markers and spaces aside): the template's face whose font file matches the
PDF font name, then the styles with that size and the same family (serif or
sans); a style with exactly that face wins (so bold sans 8pt is
table_head, regular sans 8pt is table).
"""
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

TOL = 0.5            # tolerance of every position check [pt]
MEASURE_MAX = 80.0   # characters per full body line, on average
EM_ASCENT = 0.8      # the typesetter's line box: baseline at 0.8 em
EM_DESCENT = 0.2
TOUCH = 1.5          # runs closer than this on a baseline are one line [pt]

CHECKS = ["area", "edge", "overlap", "justify", "notes", "table-head",
          "heading-end"]
OPTIONAL = ["measure", "fill", "hyphens"]
FILL_MAX = 60.0      # empty space above the notes or footer of a full page [pt]

STATS = {}  # what each check looked at, for --verbose


def stat(key, n=1):
    STATS[key] = STATS.get(key, 0) + n


PAPERS = {"a4": (595.276, 841.89), "letter": (612.0, 792.0)}


# --------------------------------------------------------------------------
# A tiny YAML reader, enough for the templates: block mappings and
# sequences by indentation, flow mappings and sequences, quoted and plain
# scalars, comments.

class YamlError(Exception):
    pass


def _strip_comment(line):
    out, q = [], None
    for i, c in enumerate(line):
        if q:
            if c == q:
                q = None
        elif c in "'\"":
            q = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(c)
    return "".join(out).rstrip()


def _scalar(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1]
    return s


def _flow(s, i=0):
    """Parses a flow value starting at s[i]; returns (value, next index)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] in "{[":
        close = "}" if s[i] == "{" else "]"
        is_map = s[i] == "{"
        i += 1
        out = {} if is_map else []
        while True:
            while i < len(s) and s[i] in " ,":
                i += 1
            if i >= len(s):
                raise YamlError("unterminated flow collection: " + s)
            if s[i] == close:
                return out, i + 1
            if is_map:
                j = i
                while j < len(s) and s[j] != ":":
                    j += 1
                key = _scalar(s[i:j])
                val, i = _flow(s, j + 1)
                out[key] = val
            else:
                val, i = _flow(s, i)
                out.append(val)
    # scalar up to , } ] (outside quotes)
    j, q = i, None
    while j < len(s):
        c = s[j]
        if q:
            if c == q:
                q = None
        elif c in "'\"":
            q = c
        elif c in ",}]":
            break
        j += 1
    return _scalar(s[i:j]), j


def _value(text):
    text = text.strip()
    if text.startswith("{") or text.startswith("["):
        return _flow(text)[0]
    return _scalar(text)


def parse_yaml(text):
    lines = []
    for raw in text.splitlines():
        if raw.strip() in ("---", "..."):
            continue
        line = _strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    pos = [0]

    def block(indent):
        if pos[0] >= len(lines):
            return None
        ind, content = lines[pos[0]]
        if content.startswith("- ") or content == "-":
            out = []
            while pos[0] < len(lines):
                ind, content = lines[pos[0]]
                if ind != indent or not (content.startswith("- ") or content == "-"):
                    break
                rest = content[1:].strip()
                pos[0] += 1
                if not rest:
                    out.append(block(lines[pos[0]][0]) if pos[0] < len(lines) and lines[pos[0]][0] > indent else None)
                elif re.match(r"^[^{\[\"'][^:]*:(\s|$)", rest):
                    # "- key: value" starts a mapping at indent + 2
                    lines.insert(pos[0], (indent + 2, rest))
                    out.append(block(indent + 2))
                else:
                    out.append(_value(rest))
            return out
        out = {}
        while pos[0] < len(lines):
            ind, content = lines[pos[0]]
            if ind != indent:
                if ind > indent:
                    raise YamlError("unexpected indentation: " + content)
                break
            m = re.match(r"^(\"[^\"]*\"|'[^']*'|[^:]+?)\s*:(\s+(.*))?$", content)
            if not m:
                raise YamlError("cannot read line: " + content)
            key = _scalar(m.group(1))
            rest = (m.group(3) or "").strip()
            pos[0] += 1
            if rest:
                out[key] = _value(rest)
            elif pos[0] < len(lines) and lines[pos[0]][0] > indent:
                out[key] = block(lines[pos[0]][0])
            elif pos[0] < len(lines) and lines[pos[0]][0] == indent and \
                    lines[pos[0]][1].startswith("-"):
                out[key] = block(indent)
            else:
                out[key] = None
        return out

    return block(lines[0][0]) if lines else {}


def length(v):
    """A template length in points: 27mm, 1in, 10pt, 0.5cm or a bare number."""
    if isinstance(v, (int, float)):
        return float(v)
    m = re.match(r"^\s*(-?[0-9]*\.?[0-9]+)\s*(pt|mm|cm|in)?\s*$", str(v))
    if not m:
        raise YamlError("not a length: %r" % (v,))
    n = float(m.group(1))
    return n * {"pt": 1.0, None: 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54,
                "in": 72.0}[m.group(2)]


# --------------------------------------------------------------------------
# Fonts: which template face a PDF font name is.

def _ttf_names(path):
    """PostScript and full names of a TrueType file, or an empty set."""
    names = set()
    try:
        with open(path, "rb") as f:
            data = f.read()
        ntables = struct.unpack(">H", data[4:6])[0]
        for k in range(ntables):
            tag, _, off, _ = struct.unpack(">4sIII", data[12 + 16 * k:28 + 16 * k])
            if tag != b"name":
                continue
            _, count, soff = struct.unpack(">HHH", data[off:off + 6])
            for r in range(count):
                pid, eid, lid, nid, ln, o = struct.unpack(
                    ">HHHHHH", data[off + 6 + 12 * r:off + 18 + 12 * r])
                if nid not in (4, 6):
                    continue
                raw = data[off + soff + o:off + soff + o + ln]
                try:
                    s = raw.decode("utf-16-be") if pid in (0, 3) else raw.decode("latin-1")
                except UnicodeDecodeError:
                    continue
                names.add(s.replace(" ", ""))
    except (OSError, struct.error):
        pass
    return names


def _font_paths(fname, tmpl_dir):
    here = os.path.dirname(os.path.abspath(__file__))
    if "/" in fname:
        return [os.path.join(tmpl_dir, fname)]
    return [os.path.join(tmpl_dir, fname),
            os.path.join(tmpl_dir, "..", "fonts", fname),
            os.path.join(here, "..", "fonts", fname),
            "/usr/share/fonts/truetype/noto/" + fname,
            "/usr/share/fonts/truetype/dejavu/" + fname]


def base_font_name(pdfname):
    """'ABCDEF+NotoSans-Bold,Bold' -> 'NotoSans-Bold'."""
    n = pdfname.split(",")[0]
    if re.match(r"^[A-Z]{6}\+", n):
        n = n[7:]
    return n


class Template:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            y = parse_yaml(f.read())
        self.path = path
        paper = y.get("paper", "a4")
        if isinstance(paper, list):
            self.paper = (length(paper[0]), length(paper[1]))
        else:
            self.paper = PAPERS[str(paper).lower()]
        m = y["margins"]
        self.top, self.bottom = length(m["top"]), length(m["bottom"])
        self.left, self.right = length(m["left"]), length(m["right"])
        self.header_offset = length(y["header_offset"])
        self.edge = length(y.get("edge", "10mm"))
        self.note_gap = length((y.get("notes") or {}).get("gap", "10pt"))
        self.note_rule = length((y.get("notes") or {}).get("rule", "144pt"))
        self.footer_offset = length(y["footer_offset"])
        self.styles = {}
        for name, st in y["styles"].items():
            self.styles[name] = {
                "font": st["font"], "size": length(st["size"]),
                "leading": length(st.get("leading", st["size"])),
                "hang": length(st.get("hang", 0)),
                "align": st.get("align", "left")}
        self.fonts = y["fonts"]
        tdir = os.path.dirname(os.path.abspath(path))
        # PDF base font name -> face
        self.face_names = {}
        # A face is a font or a list: its own, then fallbacks.  The
        # faces' own fonts first, so that a fallback shared by two faces
        # never takes a face's own name.
        lists = {face: (v if isinstance(v, list) else [v])
                 for face, v in self.fonts.items()}
        for k in range(max(len(v) for v in lists.values())):
            for face, fnames in lists.items():
                if k >= len(fnames):
                    continue
                fname = str(fnames[k])
                stem = os.path.splitext(os.path.basename(fname))[0]
                self.face_names.setdefault(stem, face)
                for p in _font_paths(fname, tdir):
                    if os.path.exists(p):
                        for n in _ttf_names(p):
                            self.face_names.setdefault(n, face)
                        break

    def face_of(self, pdfname):
        n = base_font_name(pdfname)
        if n in self.face_names:
            return self.face_names[n]
        # A font the template does not name: guess from the name.
        low = n.lower()
        fam = "serif" if ("serif" in low and "sans" not in low) or "times" in low else "sans"
        if "bold" in low:
            return fam + "_bold"
        if fam == "serif" and ("italic" in low or "oblique" in low):
            return fam + "_italic"
        return fam


def family(face):
    return "serif" if face.startswith("serif") else "sans"


# --------------------------------------------------------------------------
# Reading the PDF.

class Run:
    """Characters of one font and size on one baseline, touching."""
    __slots__ = ("chars", "x0", "x1", "base", "size", "face", "sup")

    def __init__(self, face, size, base):
        self.chars = []   # (c, x0, x1)
        self.face, self.size, self.base = face, size, base
        self.sup = False

    @property
    def text(self):
        return "".join(c for c, _, _ in self.chars)

    def top(self):
        return self.base - EM_ASCENT * self.size

    def bottom(self):
        return self.base + EM_DESCENT * self.size


class Segment:
    """A visual line: runs on one baseline, touching, with their markers."""

    def __init__(self, runs):
        runs.sort(key=lambda r: r.x0)
        self.runs = runs
        main = [r for r in runs if not r.sup] or runs
        self.x0 = min(r.x0 for r in runs)
        self.x1 = max(r.x1 for r in runs)
        # x of the last visible character (a line may end in a space)
        vis = [x1 for r in runs for c, _, x1 in r.chars if not c.isspace()]
        self.ink_x1 = max(vis) if vis else self.x1
        vis0 = [x0 for r in runs for c, x0, _ in r.chars if not c.isspace()]
        self.ink_x0 = min(vis0) if vis0 else self.x0
        self.top = min(r.top() for r in runs)
        self.bottom = max(r.bottom() for r in runs)
        count = {}
        for r in main:
            n = sum(1 for c, _, _ in r.chars if not c.isspace())
            count[(r.face, r.size)] = count.get((r.face, r.size), 0) + n
        (self.face, self.size) = max(count, key=lambda k: count[k])
        self.base = max(main, key=lambda r: (r.size, len(r.chars))).base
        self.text = "".join(("^" + r.text + "^") if r.sup else r.text for r in runs)
        self.plain = "".join(r.text for r in runs if not r.sup)
        self.markers = [int("".join(figure(c) for c in r.text))
                        for r in runs if r.sup and r.text.isdigit()]
        self.styles = []   # candidate styles, best first
        self.kind = None   # flow, note, furniture-top/-bottom, outside

    def short(self, n=40):
        t = self.text.strip()
        return repr(t if len(t) <= n else t[:n - 1] + "…")

    def where(self):
        return "y=%.2f x=%.2f..%.2f" % (self.base, self.x0, self.x1)


class Page:
    def __init__(self, number, width, height):
        self.number, self.width, self.height = number, width, height
        self.runs = []
        self.segs = []


# A note marker in the font's superscript figures (U+2070, U+00B9,
# U+00B2, U+00B3, U+2074 to U+2079), where it has them.
SUPERSCRIPT = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"


def figure(c):
    """The digit a marker's figure stands for."""
    return str(SUPERSCRIPT.index(c)) if c in SUPERSCRIPT else c


def read_pdf(pdf, tmpl):
    try:
        xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf],
                             check=True, capture_output=True).stdout
    except FileNotFoundError:
        print("pdflayout: mutool not found (install mupdf-tools)", file=sys.stderr)
        sys.exit(2)
    except subprocess.CalledProcessError as e:
        print("pdflayout: mutool cannot read %s: %s" %
              (pdf, e.stderr.decode(errors="replace").strip()), file=sys.stderr)
        sys.exit(2)
    root = ET.fromstring(xml)
    pages = []
    for pno, pg in enumerate(root.iter("page"), start=1):
        page = Page(pno, float(pg.get("width")), float(pg.get("height")))
        for line in pg.iter("line"):
            cur = None
            for font in line.iter("font"):
                face = tmpl.face_of(font.get("name"))
                size = float(font.get("size"))
                chars = []
                for ch in font.iter("char"):
                    q = [float(v) for v in ch.get("quad").split()]
                    chars.append([ch.get("c"), min(q[0], q[2], q[4], q[6]),
                                  max(q[0], q[2], q[4], q[6]), float(ch.get("y"))])
                # A drawn space has no ink; in a tight line its box
                # reaches into the next word, which it does not overlap.
                for k in range(len(chars) - 1):
                    if chars[k][0].isspace() and chars[k + 1][1] < chars[k][2]:
                        chars[k][2] = max(chars[k][1], chars[k + 1][1])
                # Kerning pulls a glyph into its neighbour's advance box
                # (at most a quarter of an em in the fonts used).
                kern = max(TOL, 0.25 * size)
                for c, x0, x1, base in chars:
                    # A note marker in superscript figures is a run of
                    # its own, as one in small raised digits is.
                    if (cur is None or cur.face != face or abs(cur.size - size) > 0.01
                            or abs(cur.base - base) > 0.05
                            or x0 - cur.x1 > TOUCH or x0 - cur.x1 < -kern
                            or (c in SUPERSCRIPT) != (cur.text[-1:] in SUPERSCRIPT
                                                      and cur.text[-1:] != "")):
                        cur = Run(face, size, base)
                        cur.x0 = x0
                        page.runs.append(cur)
                    cur.chars.append((c, x0, x1))
                    cur.x1 = x1
        # Drop runs of nothing but spaces.
        page.runs = [r for r in page.runs if r.text.strip()]
        build_segments(page)
        pages.append(page)
    return pages


def build_segments(page):
    runs = page.runs
    # Superscript markers: small digits raised against a touching run.
    # A marker joins the runs it touches on both sides ("truce¹." is one
    # line, though "truce" and "." do not touch).
    parent = {id(r): r for r in runs}

    def find(r):
        while parent[id(r)] is not r:
            parent[id(r)] = parent[id(parent[id(r)])]
            r = parent[id(r)]
        return r

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra is not rb:
            parent[id(rb)] = ra

    hosts = {}
    for r in runs:
        if r.text and all(c in SUPERSCRIPT for c in r.text):
            # The font's superscript figures, on the text's baseline.
            found = [n for n in runs if n is not r and
                     abs(n.base - r.base) <= 0.05 and
                     -TOL <= max(r.x0 - n.x1, n.x0 - r.x1) <= TOUCH]
            if found:
                r.sup = True
                hosts[id(r)] = (r, found)
            continue
        if not r.text.strip().isdecimal():
            continue
        found = []
        for n in runs:
            if n is r or n.size * 0.75 < r.size:
                continue
            rise = n.base - r.base
            if not (0.15 * n.size <= rise <= 0.6 * n.size):
                continue
            gap = max(r.x0 - n.x1, n.x0 - r.x1)
            if -TOL <= gap <= TOUCH:
                found.append(n)
        if found:
            r.sup = True
            hosts[id(r)] = (r, found)
    # The small raised comma between two markers in superscript figures.
    for r in runs:
        if r.text.strip() != "," or r.sup:
            continue
        found = [n for n in runs if n.sup and n.size * 0.75 >= r.size and
                 -TOL <= max(r.x0 - n.x1, n.x0 - r.x1) <= TOUCH and
                 abs(n.base - r.base) <= 0.6 * n.size]
        if found:
            r.sup = True
            hosts[id(r)] = (r, found)
    for r, found in hosts.values():
        found = [n for n in found if not n.sup]
        for n in found:
            union(found[0], n)
    # The other runs: same baseline, touching.
    main = sorted((r for r in runs if not r.sup), key=lambda r: (round(r.base, 1), r.x0))
    for i, a in enumerate(main):
        for b in main[i + 1:i + 12]:
            if abs(a.base - b.base) <= 0.05:
                gap = max(b.x0 - a.x1, a.x0 - b.x1)
                if -TOL <= gap <= TOUCH:
                    union(a, b)
    for r, found in hosts.values():
        host = [n for n in found if not n.sup]
        if host:
            parent[id(r)] = find(host[0])
        else:
            # markers touching only other markers: join the first one's host
            parent[id(r)] = find(found[0])
    groups = {}
    for r in runs:
        groups.setdefault(id(find(r)), []).append(r)
    page.segs = [Segment(g) for g in groups.values()]
    page.segs.sort(key=lambda s: (s.base, s.x0))


def classify(pages, tmpl):
    """Candidate styles of each segment and its place: flow, note,
    furniture or outside."""
    by_key = {}
    for name, st in tmpl.styles.items():
        by_key.setdefault(round(st["size"], 2), []).append(name)
    for page in pages:
        L, R = tmpl.left, page.width - tmpl.right
        T, B = tmpl.top, page.height - tmpl.bottom
        for s in page.segs:
            exact, fam = [], []
            for name in by_key.get(round(s.size, 2), []):
                f = tmpl.styles[name]["font"]
                if f == s.face:
                    exact.append(name)
                elif family(f) == family(s.face):
                    fam.append(name)
            s.styles = exact + fam
            s.exact = exact
            # Text between the text area's top and bottom is the flow or a
            # note, even where it runs past the sides (the area check
            # reports that).
            if s.top >= T - TOL and s.bottom <= B + TOL:
                s.kind = "note" if s.styles[:1] == ["note"] else "flow"
            elif s.bottom <= T + TOL and (set(s.styles) & {"header", "banner"}):
                s.kind = "furniture-top"
            elif s.top >= B - TOL and (set(s.styles) & {"footer", "banner"}):
                s.kind = "furniture-bottom"
            else:
                s.kind = "outside"


# --------------------------------------------------------------------------
# The checks.

def check_area(page, tmpl, out):
    L, R = tmpl.left, page.width - tmpl.right
    T, B = tmpl.top, page.height - tmpl.bottom
    W, H = page.width, page.height
    if page.number == 1 and (abs(W - tmpl.paper[0]) > TOL or abs(H - tmpl.paper[1]) > TOL):
        out("page size %.2f x %.2f pt is not the template's paper %.2f x %.2f pt"
            % (W, H, tmpl.paper[0], tmpl.paper[1]))
    hb = T - tmpl.header_offset      # header baseline
    fb = B + tmpl.footer_offset      # footer baseline
    mid = (L + R) / 2
    hs = tmpl.styles["header"]["size"]
    fs = tmpl.styles["footer"]["size"]
    stat("area: text lines", len(page.segs))
    for s in page.segs:
        if s.kind.startswith("furniture"):
            stat("area: furniture lines")
        # What is drawn counts, not a word space ending a line.
        if s.kind == "outside" or (s.kind in ("flow", "note") and
                                   (s.ink_x0 < L - TOL or s.ink_x1 > R + TOL)):
            side = []
            if s.ink_x0 < L - TOL:
                side.append("left by %.2fpt" % (L - s.ink_x0))
            if s.ink_x1 > R + TOL:
                side.append("right by %.2fpt" % (s.ink_x1 - R))
            if s.top < T - TOL:
                side.append("top by %.2fpt" % (T - s.top))
            if s.bottom > B + TOL:
                side.append("bottom by %.2fpt" % (s.bottom - B))
            what = "/".join(s.styles[:1]) or "%s %.2fpt" % (s.face, s.size)
            furn = [c for c in s.styles if c in ("header", "footer", "banner")]
            if furn and s.kind == "outside" and (s.top < T < s.bottom or s.top < B < s.bottom):
                into = s.bottom - T if s.top < T else B - s.top
                out("%s %s at %s reaches %.2fpt into the text area"
                    % (furn[0], s.short(), s.where(), into))
            else:
                out("text outside the text area (%s): %s at %s, past the %s"
                    % (what, s.short(), s.where(), ", ".join(side)))
            continue
        if not s.kind.startswith("furniture"):
            continue
        top_zone = s.kind == "furniture-top"
        cands = [c for c in s.styles if c in ("header", "footer", "banner")]
        expect = hb if top_zone else fb
        # Header or footer, or banner: by face first (sans vs sans_bold in
        # the bundled templates), then by position.
        line_kind = "header" if top_zone else "footer"
        ex = [c for c in s.exact if c in (line_kind, "banner")]
        if len(ex) == 1:
            kind = ex[0]
        elif line_kind in cands and (abs(s.base - expect) <= TOL or "banner" not in cands):
            kind = line_kind
        else:
            kind = "banner"
        if kind in ("header", "footer"):
            if abs(s.base - expect) > TOL:
                out("%s %s has its baseline at y=%.2f, expected %.2f (%s_offset %.2fpt %s the text area)"
                    % (kind, s.short(), s.base, expect, kind, tmpl.header_offset if top_zone else tmpl.footer_offset,
                       "above" if top_zone else "below"))
        else:
            c = (s.ink_x0 + s.ink_x1) / 2
            if abs(c - mid) > TOL:
                out("banner %s is not centred: its middle is at x=%.2f, the text area's at %.2f"
                    % (s.short(), c, mid))
            if top_zone and s.bottom > hb - EM_ASCENT * hs + TOL:
                out("top banner %s (baseline y=%.2f) is not above the header (baseline %.2f)"
                    % (s.short(), s.base, hb))
            if not top_zone and s.top < fb + EM_DESCENT * fs - TOL:
                out("bottom banner %s (baseline y=%.2f) is not below the footer (baseline %.2f)"
                    % (s.short(), s.base, fb))


def check_edge(page, tmpl, out):
    W, H = page.width, page.height
    for s in page.segs:
        stat("edge: text lines")
        spare = min(s.top, H - s.bottom, s.ink_x0, W - s.ink_x1)
        if spare < tmpl.edge - TOL:
            out("%s at %s is %.2fpt from the paper's edge (at least %.2fpt wanted)"
                % (s.short(), s.where(), spare, tmpl.edge))


FILL_NEXT = ("body", "table", "table_head", "box", "h2", "source", "note")


def check_fill(pages, tmpl, out_for):
    """The empty space above each full page's notes or footer."""
    for k, page in enumerate(pages[:-1]):
        flow = [s for s in page.segs if s.kind == "flow"]
        notes = [s for s in page.segs if s.kind == "note"]
        nxt = sorted((s for s in pages[k + 1].segs if s.kind == "flow"),
                     key=lambda s: (s.top, s.x0))
        if not flow or not nxt or nxt[0].styles[:1] == ["h1"] or \
                (nxt[0].styles[:1] or [""])[0] not in FILL_NEXT:
            continue
        foot = page.height - tmpl.bottom
        if notes:
            foot = min(s.top for s in notes) - tmpl.note_gap
        empty = foot - max(s.bottom for s in flow)
        stat("fill: full pages")
        if empty > FILL_MAX + TOL:
            out_for(page)("%.1fpt empty above the %s (at most %.0fpt wanted); the next page starts %s"
                          % (empty, "notes" if notes else "footer", FILL_MAX, nxt[0].short()))


def full_body_lines(page, tmpl):
    """The lines of justified body text that reach the right margin and
    are not a paragraph's last: full lines."""
    R = page.width - tmpl.right
    return [ln for para in body_paragraphs(page, tmpl) for ln in para[:-1]
            if not ln.bullet and abs(ln.ink_x1 - R) <= TOL]


def check_overlap(page, tmpl, out):
    segs = sorted(page.segs, key=lambda s: s.top)
    for i, a in enumerate(segs):
        for b in segs[i + 1:]:
            if b.top >= a.bottom - TOL:
                break
            v = min(a.bottom, b.bottom) - max(a.top, b.top)
            h = min(a.x1, b.x1) - max(a.x0, b.x0)
            stat("overlap: vertically close pairs")
            if v > TOL and h > 0.1:
                out("lines overlap by %.2fpt vertically and %.2fpt across: %s at %s and %s at %s"
                    % (v, h, a.short(30), a.where(), b.short(30), b.where()))


def flow_lines(page):
    return [s for s in page.segs if s.kind == "flow"]


LEADER = re.compile(r"(\. ?){6,}")
BULLET = re.compile(r"^\s*([•◦▪‣–—*-]|\d+[.)]|[a-zA-Z][.)])")


class Line:
    """Flow segments on one baseline, read as one line of text: justified
    spaces can be wider than the 1.5pt that joins runs into segments."""

    def __init__(self, segs):
        self.segs = sorted(segs, key=lambda s: s.x0)
        self.base = self.segs[0].base
        self.x0 = self.segs[0].x0
        self.ink_x1 = max(s.ink_x1 for s in self.segs)
        self.text = " ".join(s.text for s in self.segs)
        self.bullet = False
        self.start = self.x0     # where the text proper starts
        chars = sorted(((c, x0, x1, r.size) for s in self.segs for r in s.runs
                        if not r.sup for c, x0, x1 in r.chars), key=lambda t: t[1])
        plain = "".join(c[0] for c in chars)
        m = BULLET.match(plain)
        if m:
            k = m.end()
            while k < len(chars) and chars[k][0].isspace():
                k += 1
            if k < len(chars) and chars[k][1] - chars[m.end() - 1][2] >= 0.3 * chars[k][3]:
                self.bullet = True
                self.start = chars[k][1]

    def short(self, n=30):
        t = self.text.strip()
        return repr(t if len(t) <= n else t[:n - 1] + "…")


def check_justify(page, tmpl, out):
    """Body lines grouped into paragraphs (consecutive body lines one
    leading apart, a new list item starting a new one); every line but a
    paragraph's last must fill the measure.  The measure's left edge is the
    margin, or a list indent (the text after a bullet or number), or a
    block quote's indent; its right edge is the margin, or for a quote the
    same distance in from it as on the left."""
    body = tmpl.styles["body"]
    if body["align"] != "justify":
        return
    L, R = tmpl.left, page.width - tmpl.right
    for para in body_paragraphs(page, tmpl):
        justify_para(para, L, R, out)


def body_paragraphs(page, tmpl):
    """The page's body lines as paragraphs: consecutive body lines one
    leading apart, a new list item or a change of indent starting a new
    one.  Contents entries are not body text."""
    lead = tmpl.styles["body"]["leading"]

    def is_body(s):
        return "body" in s.exact or (s.styles and s.styles[0] == "body")

    groups = []
    for s in sorted(flow_lines(page), key=lambda s: (s.base, s.x0)):
        if groups and abs(groups[-1][-1].base - s.base) <= 0.05:
            groups[-1].append(s)
        else:
            groups.append([s])
    lines = []
    for g in groups:
        ln = Line(g)
        # A contents entry (title, dot leader, page number) is body text
        # but not a justified line.
        ln.body = all(is_body(s) for s in g) and not LEADER.search(ln.text)
        lines.append(ln)
    paras, cur = [], None
    for i, ln in enumerate(lines):
        if not ln.body:
            cur = None
            continue
        prev = lines[i - 1] if i > 0 else None
        if (cur is None or ln.bullet or ln.base - prev.base > lead + TOL or
                ln.start < prev.start - TOL or ln.start > prev.start + TOL):
            cur = []
            paras.append(cur)
        cur.append(ln)
    return paras


def justify_para(para, L, R, out):
    """Every line of a paragraph but its last fills the measure."""
    first = para[0]
    indent = first.start - L
    rights = [R]
    if first.bullet and first.x0 >= L - TOL and indent > TOL:
        pass  # a list item: flush right
    elif indent > TOL:
        # Indented without a bullet here: a list item's later lines
        # (flush right), or a block quote (indented on both sides).
        rights = [R, R - indent]
    elif indent < -TOL:
        out("line %s at y=%.2f starts at x=%.2f, %.2fpt left of the left margin (x=%.2f)"
            % (first.short(), first.base, first.start, -indent, L))
    for k, ln in enumerate(para):
        where = "line %s at y=%.2f" % (ln.short(), ln.base)
        stat("justify: body lines")
        if k == len(para) - 1:
            stat("justify: paragraph-final lines (exempt)")
            if ln.ink_x1 > max(rights) + TOL:
                out("%s (the last of its paragraph) runs %.2fpt past the right edge of the measure (x=%.2f)"
                    % (where, ln.ink_x1 - max(rights), max(rights)))
            continue
        best = min(rights, key=lambda r: abs(ln.ink_x1 - r))
        d = ln.ink_x1 - best
        if abs(d) > TOL:
            out("%s ends at x=%.2f, %.2fpt %s the right edge of the measure (x=%.2f), and it is not the last line of its paragraph"
                % (where, ln.ink_x1, abs(d), "short of" if d < 0 else "past", best))


HYPHEN_END = ("-", "\u00ad", "\u2010")


def check_hyphens(page, tmpl, out):
    """No two lines in a row of a body paragraph end with a hyphen.  A
    hyphen on a paragraph's second-to-last line is only counted (with
    -v): the demerits make it rare, but where no other setting is within
    the tolerance it stays, as in TeX."""
    for para in body_paragraphs(page, tmpl):
        ends = [ln.text.rstrip(" ").endswith(HYPHEN_END) and
                not ln.text.rstrip(" ").endswith(("--", " -")) for ln in para]
        for k in range(len(para) - 1):
            stat("hyphens: body lines")
            if ends[k] and ends[k + 1]:
                out("two hyphenated lines in a row: %s at y=%.2f and the next"
                    % (para[k].short(), para[k].base))
        if len(para) >= 2 and ends[-2]:
            stat("hyphens: on a paragraph's second-to-last line")


def note_starts(page, tmpl):
    """Notes that begin on this page: [(number, segment)]."""
    cands = []
    for s in page.segs:
        # a note that runs past the bottom margin is still a note
        if not (s.kind == "note" or (s.kind == "outside" and s.styles[:1] == ["note"])):
            continue
        m = re.match(r"^(\d+)(\s+)\S", s.plain)
        if not m:
            continue
        # x where the note's text starts, after the number
        k = len(m.group(1)) + len(m.group(2))
        xs = [x0 for r in s.runs if not r.sup for c, x0, _ in r.chars]
        cands.append((int(m.group(1)), xs[k] if k < len(xs) else s.x1, s))
    if not cands:
        return []
    # Notes hang their number left of an indent where the wrapped lines
    # start too; a wrapped line that happens to begin "11 March" has its
    # text further right.
    indent = min(x for _, x, _ in cands)
    return [(n, s) for n, x, s in cands if x <= indent + TOL]


CONTINUED = re.compile(r"^\s*Note (\d+),? continued")


def check_notes(page, tmpl, out, state):
    # A note too tall for its page may go on under the next page's rule
    # ("Note 73, continued"); it must have begun on the page before.
    for s in page.segs:
        if s.kind in ("note", "outside") and s.styles[:1] == ["note"]:
            m = CONTINUED.match(s.plain)
            if m:
                n = int(m.group(1))
                if state.get(n) != page.number - 1:
                    out("note %d is continued here, but it is not on page %d"
                        % (n, page.number - 1))
                state[n] = page.number
    markers = []
    for s in page.segs:
        if s.kind in ("flow",) or (s.kind == "outside"):
            for m in s.markers:
                markers.append((m, s))
    notes = note_starts(page, tmpl)
    numbers = [n for n, _ in notes]
    stat("notes: markers", len(markers))
    stat("notes: notes", len(notes))
    for n, _ in notes:
        state[n] = page.number
    for m, s in markers:
        if m not in numbers:
            out("marker %d (in %s) has no note on this page" % (m, s.short(30)))
    mset = set(m for m, _ in markers)
    for n in sorted(set(numbers)):
        if n not in mset:
            out("note %d has no marker on this page" % n)
        if numbers.count(n) > 1:
            out("note %d is printed %d times" % (n, numbers.count(n)))


def check_table_head(page, tmpl, out):
    flow = flow_lines(page)
    body = [s for s in flow if s.exact and s.exact[0] == "table"]
    heads = [s for s in flow if s.exact and s.exact[0] == "table_head"]
    if body:
        stat("table-head: pages with table body text")
        first = min(body, key=lambda s: s.base)
        above = [h for h in heads if h.bottom <= first.top + TOL]
        if not above:
            out("table body text starts at y=%.2f (%s) with no table header row above it"
                % (first.base, first.short(30)))
    # A header row must not end the page: the bottom lines are table
    # header text set off from the line above by more than one leading
    # (a header row follows a gap or a heading), with no body row below.
    if heads and flow:
        lead = tmpl.styles["table_head"]["leading"]
        last_base = max(s.base for s in flow)
        bottom = [s for s in flow if abs(s.base - last_base) <= 0.05]
        if all(s in heads for s in bottom):
            bases = sorted(set(round(s.base, 2) for s in flow))
            k = len(bases) - 1
            while k > 0 and all(s in heads for s in flow if abs(s.base - bases[k - 1]) <= 0.05) \
                    and bases[k] - bases[k - 1] <= lead + TOL:
                k -= 1
            gap_above = bases[k] - bases[k - 1] if k > 0 else None
            if gap_above is None or gap_above > lead + TOL:
                out("table header row %s at y=%.2f is the last thing on the page, with no row under it"
                    % (bottom[0].short(30), bases[k]))


def check_heading_end(page, tmpl, out):
    flow = flow_lines(page)
    if not flow:
        return
    stat("heading-end: pages with a text flow")
    last_base = max(s.base for s in flow)
    last = [s for s in flow if abs(s.base - last_base) <= 0.05]
    for s in last:
        hs = [h for h in ("h1", "h2") if h in s.exact]
        if hs:
            out("the text flow ends with a heading (%s) %s at y=%.2f"
                % (hs[0], s.short(50), s.base))
            return


# --------------------------------------------------------------------------

def find_template(arg):
    if os.path.exists(arg):
        return arg
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.path.join(here, "..", "templates"), "templates"):
        p = os.path.join(d, arg + ".yaml")
        if os.path.exists(p):
            return p
    print("pdflayout: no template %r" % arg, file=sys.stderr)
    sys.exit(2)


def usage(msg=None):
    if msg:
        print("pdflayout: " + msg, file=sys.stderr)
    print("usage: pdflayout.py FILE.pdf --template TEMPLATE [--check NAME ...] [-v] [--dump]\n"
          "checks: " + " ".join(CHECKS), file=sys.stderr)
    sys.exit(2)


def main(argv):
    pdf, template, checks, verbose, dump = None, None, [], False, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(__doc__)
            return 0
        if a in ("-t", "--template"):
            if i + 1 >= len(argv):
                usage("--template needs a value")
            template = argv[i + 1]
            i += 2
        elif a.startswith("--template="):
            template = a.split("=", 1)[1]
            i += 1
        elif a == "--check" or a.startswith("--check="):
            vals = [a.split("=", 1)[1]] if "=" in a else []
            i += 1
            if not vals:
                while i < len(argv) and not argv[i].startswith("-"):
                    vals.append(argv[i])
                    i += 1
                if not vals:
                    usage("--check needs a name")
            for v in vals:
                for name in v.split(","):
                    if name not in CHECKS + OPTIONAL:
                        usage("unknown check %r" % name)
                    checks.append(name)
        elif a in ("-v", "--verbose"):
            verbose = True
            i += 1
        elif a == "--dump":
            dump = True
            i += 1
        elif a.startswith("-") and a != "-":
            usage("unknown option %r" % a)
        else:
            if pdf is not None:
                usage("more than one PDF given")
            pdf = a
            i += 1
    if pdf is None:
        usage("no PDF given")
    if template is None:
        usage("--template is required")
    try:
        tmpl = Template(find_template(template))
    except (YamlError, KeyError, OSError) as e:
        print("pdflayout: cannot read template %s: %s" % (template, e), file=sys.stderr)
        return 2
    checks = ([c for c in CHECKS + OPTIONAL if c in checks] if checks
              else list(CHECKS))
    measured = []  # characters of each full body line
    pages = read_pdf(pdf, tmpl)
    classify(pages, tmpl)
    nviol = 0
    note_pages = {}  # note number -> last page it is printed on
    for page in pages:
        for name in checks:
            def out(msg, name=name, page=page):
                nonlocal nviol
                nviol += 1
                print("page %d: %s: %s" % (page.number, name, msg))
            if name == "area":
                check_area(page, tmpl, out)
            elif name == "edge":
                check_edge(page, tmpl, out)
            elif name == "hyphens":
                check_hyphens(page, tmpl, out)
            elif name == "overlap":
                check_overlap(page, tmpl, out)
            elif name == "measure":
                measured += [len(re.sub(r"\^[^^]*\^", "", ln.text).strip())
                             for ln in full_body_lines(page, tmpl)]
            elif name == "justify":
                check_justify(page, tmpl, out)
            elif name == "notes":
                check_notes(page, tmpl, out, note_pages)
            elif name == "table-head":
                check_table_head(page, tmpl, out)
            elif name == "heading-end":
                check_heading_end(page, tmpl, out)
        if dump:
            for s in page.segs:
                print("  p%d %-16s %-22s %7.2f %7.2f..%7.2f %s" % (
                    page.number, s.kind, ",".join(s.styles[:2]) or s.face + "/" + str(s.size),
                    s.base, s.x0, s.x1, s.short(60)), file=sys.stderr)
    if "fill" in checks:
        def out_for(page):
            def out(msg):
                nonlocal nviol
                nviol += 1
                print("page %d: fill: %s" % (page.number, msg))
            return out
        check_fill(pages, tmpl, out_for)
    if "measure" in checks:
        avg = sum(measured) / len(measured) if measured else 0.0
        print("measure: %d full body lines, %.1f characters on average"
              % (len(measured), avg))
        if not measured or avg > MEASURE_MAX:
            nviol += 1
            print("measure: full body lines average %.1f characters (at most %.0f wanted)"
                  % (avg, MEASURE_MAX) if measured else "measure: no full body lines to measure")
    if verbose:
        for k in sorted(STATS):
            print("  %s: %d" % (k, STATS[k]), file=sys.stderr)
    print("%d pages, %d checks, %d violations" % (len(pages), len(checks), nviol))
    return 1 if nviol else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
