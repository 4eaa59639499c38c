#!/usr/bin/python3
"""Checks the shaped text of a PDF against HarfBuzz's hb-shape.

usage: shaping.py words FILE.pdf TEMPLATE.yaml [--known-bad TEXT]...
       shaping.py kerning FILE.pdf TEMPLATE.yaml
       shaping.py text FILE.pdf WANT.txt
       shaping.py order FILE.pdf LINES.txt

Reads every glyph drawn, with its font, size, glyph id, the characters it
stands for and its origin, with MuPDF (python3-fitz), and groups them into
words: a word ends at a space, where the baseline changes, where the font
or size changes, and where the next glyph starts at least 0.15 em after
the end of the one before (a space not drawn).  Each PDF font is found by
its PostScript name (the part after the subset tag) among the fonts the
template names and, failing that, Debian's Noto fonts.  hb-shape (Debian
libharfbuzz-bin) shapes each distinct word once, with the font's default
features, in the word's direction and in the language of its script (a
briefing in English: Greek words in Greek, Arabic ones in Arabic ...): a
word of Arabic or Hebrew letters is drawn in visual order, so its logical
text is its glyphs' characters taken from the right.

words    Every word is drawn with the glyphs hb-shape gives (the CIDs are
         the font's glyph numbers), and the distances between its glyphs'
         origins are hb-shape's (advances and offsets) within 0.1 pt,
         across and down.  Fails unless some of the words are right to left
         and some have a ligature.  A word drawn as TEXT (its characters
         left to right as drawn) given with --known-bad TEXT may be drawn
         otherwise, and is shown; the check fails when it is drawn right.
kerning  Of the words whose glyphs hb-shape places more than 0.1 pt
         apart from where it puts them without kerning (--features=-kern),
         at least 95% are drawn as hb-shape shapes them, kerned; every word
         in which hb-shape makes an f-ligature is drawn with as many glyphs
         as hb-shape gives.
text     Every line of WANT.txt is in the text pdftotext gives (lines
         joined with spaces, bidi marks taken out, both sides in NFC).
order    Every line of LINES.txt, a text set on one line of the PDF, is
         drawn in the order the Unicode Bidirectional Algorithm gives:
         the characters drawn on a baseline, left to right (MuPDF),
         include those of FriBidi's fribidi_log2vis() for the line in a
         paragraph of its own direction, in that order (spaces left out,
         both sides in NFKC, each mirrored bracket taken for its pair).

Prints counts and the words that fail; exits 1 when the check fails, 2
when the PDF or a font cannot be read.
"""

import glob
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata

TOLERANCE = 0.1  # pt
GAP = 0.15  # em: more space than this between two glyphs ends a word
NOTO = "/usr/share/fonts/truetype/noto"
DEJAVU = "/usr/share/fonts/truetype/dejavu"
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069"))
LIGATURES = ("ffi", "ffl", "ff", "fi", "fl")
# The language a word is shaped in, by the script of its first letter, in
# a briefing in English: a script's usual language, English for the rest.
SCRIPT_LANG = {"LATIN": "en", "GREEK": "el", "CYRILLIC": "ru", "ARABIC": "ar", "HEBREW": "he"}


def die(msg):
    print(msg)
    sys.exit(2)


# --- fonts ----------------------------------------------------------------------

def sfnt_info(path):
    """The PostScript name and units per em of a TrueType/OpenType file."""
    with open(path, "rb") as f:
        data = f.read()
    ntables = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(ntables):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = (off, length)
    upem = struct.unpack(">H", data[tables[b"head"][0] + 18:tables[b"head"][0] + 20])[0]
    off = tables[b"name"][0]
    _, count, strings = struct.unpack(">HHH", data[off:off + 6])
    name = None
    for i in range(count):
        rec = data[off + 6 + 12 * i:off + 18 + 12 * i]
        plat, enc, _, nid, length, at = struct.unpack(">HHHHHH", rec)
        if nid != 6:
            continue
        raw = data[off + strings + at:off + strings + at + length]
        if plat == 3 or plat == 0:
            name = raw.decode("utf-16-be")
            break
        if plat == 1 and enc == 0:
            name = raw.decode("latin-1")
    return name, upem


def template_fonts(template):
    """The font files a template names, found where briefing looks."""
    with open(template, encoding="utf-8") as f:
        names = re.findall(r"[\w./-]+\.(?:ttf|otf)\b", f.read())
    here = os.path.dirname(template) or "."
    found = []
    for n in names:
        if "/" in n:
            cands = [os.path.join(here, n)]
        else:
            cands = [os.path.join(here, n), os.path.join(here, "..", "fonts", n),
                     os.path.join(NOTO, n), os.path.join(DEJAVU, n)]
        for c in cands:
            if os.path.isfile(c):
                found.append(c)
                break
    return found


class Fonts:
    """PDF font names to font files, looked up in the template's fonts
    first and in every Noto font when a name is not among them."""

    def __init__(self, template):
        self.by_name = {}
        self.scanned = False
        for path in template_fonts(template):
            self.add(path)

    def add(self, path):
        try:
            name, upem = sfnt_info(path)
        except (OSError, KeyError, struct.error, UnicodeDecodeError):
            return
        if name and name not in self.by_name:
            self.by_name[name] = (path, upem)

    def get(self, pdf_name):
        name = re.sub(r"^[A-Z]{6}\+", "", pdf_name)
        if name not in self.by_name and not self.scanned:
            self.scanned = True
            for path in sorted(glob.glob(os.path.join(NOTO, "*.[ot]tf"))):
                self.add(path)
        if name not in self.by_name:
            die("no font file has the PostScript name %s" % name)
        return self.by_name[name]


# --- words drawn ------------------------------------------------------------------

class Glyph:
    __slots__ = ("gid", "text", "x", "y", "adv")

    def __init__(self, gid, text, x, y, adv):
        self.gid, self.text, self.x, self.y, self.adv = gid, text, x, y, adv


class Word:
    __slots__ = ("page", "font", "size", "glyphs", "cids")

    def __init__(self, page, font, size, glyphs, cids):
        self.page, self.font, self.size, self.glyphs = page, font, size, glyphs
        self.cids = cids  # the font's glyph numbers of the subset's glyphs

    def visual(self):
        return "".join(g.text for g in self.glyphs)

    def logical(self, rtl):
        # Right to left: the characters as drawn, turned round one by
        # one, as readers put such text back in order (a ligature's
        # characters are given last first for that reason).
        if rtl:
            return self.visual()[::-1]
        return self.visual()


def is_space(text):
    return text != "" and all(unicodedata.category(c) == "Zs" for c in text)


def split_span(page, span, cids):
    """The words of one span of MuPDF's text trace: the glyphs (a
    character with glyph -1 belongs to the glyph before it, as the
    second letter of a ligature does) cut at spaces, lines and gaps."""
    size = span["size"]
    glyphs = []
    for uc, gid, origin, bbox in (c[:4] for c in span["chars"]):
        if gid < 0 and glyphs:
            glyphs[-1].text += chr(uc)
            continue
        glyphs.append(Glyph(gid, chr(uc), origin[0], origin[1], bbox[2] - bbox[0]))
    words = []
    cur = []
    last = None  # the last glyph of cur that moves the pen

    def flush(keep=()):
        if cur:
            words.append(Word(page, span["font"], size, list(cur), cids))
        cur[:] = keep

    for g in glyphs:
        if is_space(g.text):
            flush()
            last = None
            continue
        mark = g.adv < 0.01 * size  # a mark: placed on its base, no advance
        if not mark and last is not None:
            gap = g.x - last.x - last.adv
            if abs(g.y - last.y) > 0.5 * size or gap > GAP * size or gap < -size:
                # Marks drawn just before this glyph, over it (the marks
                # of a right-to-left letter come before it), go with it.
                k = len(cur)
                while k > 0 and cur[k - 1].adv < 0.01 * size and cur[k - 1].x >= g.x - 0.05 * size:
                    k -= 1
                moved = cur[k:]
                del cur[k:]
                flush(moved)
        cur.append(g)
        if not mark:
            last = g
    flush()
    return words


def cid_maps(doc):
    """For each font name (without the subset tag), the map from the
    embedded subset's glyph numbers back to the CIDs, which are the font
    file's own glyph numbers: one map for each PDF font of that name."""
    maps = {}
    seen = set()
    for page in doc:
        for xref, _, kind, base, _, _ in page.get_fonts():
            if kind != "Type0" or xref in seen:
                continue
            seen.add(xref)
            name = re.sub(r"^[A-Z]{6}\+", "", base)
            inverse = None  # /Identity: the same numbers
            desc = re.search(r"(\d+) 0 R", doc.xref_get_key(xref, "DescendantFonts")[1])
            if desc:
                kind, val = doc.xref_get_key(int(desc.group(1)), "CIDToGIDMap")
                if kind == "xref":
                    data = doc.xref_stream(int(val.split()[0]))
                    inverse = {}
                    for cid in range(len(data) // 2):
                        gid = data[2 * cid] << 8 | data[2 * cid + 1]
                        if gid or cid == 0:
                            inverse.setdefault(gid, cid)
            maps.setdefault(name, []).append(inverse)
    return maps


def drawn_words(pdf):
    try:
        import fitz
    except ImportError:
        die("python3-fitz (PyMuPDF) is missing")
    try:
        doc = fitz.open(pdf)
    except RuntimeError as e:
        die("cannot read %s: %s" % (pdf, e))
    maps = cid_maps(doc)
    for pno, page in enumerate(doc, 1):
        for span in page.get_texttrace():
            if span["wmode"] != 0 or abs(span["dir"][0] - 1) > 1e-6:
                continue
            yield from split_span(pno, span, maps.get(span["font"], [None]))


def direction(text):
    """"rtl", "ltr", or None for a word of neither kind of letter."""
    kinds = {unicodedata.bidirectional(c) for c in text}
    if kinds & {"R", "AL"}:
        return "rtl"
    if kinds & {"L", "EN", "AN"}:  # numbers run left to right
        return "ltr"
    return None


def language(text):
    for c in text:
        if unicodedata.category(c).startswith("L"):
            return SCRIPT_LANG.get(unicodedata.name(c, "").split(" ")[0], "en")
    return "en"


# --- hb-shape -------------------------------------------------------------------

class Shaper:
    """hb-shape's glyphs for words, each (font, direction, features, text)
    shaped once; words wanted are collected first and shaped in one run of
    hb-shape per font, direction, features and language."""

    def __init__(self):
        self.done = {}
        self.todo = {}

    def want(self, path, rtl, features, text):
        key = (path, rtl, features, language(text))
        if text not in self.done.get(key, {}):
            self.todo.setdefault(key, set()).add(text)

    def run(self):
        for (path, rtl, features, lang), texts in self.todo.items():
            texts = sorted(texts)
            cmd = ["hb-shape", "--output-format=json", "--no-glyph-names",
                   "--language=" + lang, "--direction=" + ("rtl" if rtl else "ltr")]
            if features:
                cmd.append("--features=" + features)
            cmd.append(path)
            try:
                out = subprocess.run(cmd, input="\n".join(texts) + "\n", capture_output=True,
                                     text=True, check=True).stdout
            except (OSError, subprocess.CalledProcessError) as e:
                die("hb-shape failed: %s" % e)
            lines = out.splitlines()
            if len(lines) != len(texts):
                die("hb-shape gave %d results for %d words" % (len(lines), len(texts)))
            got = self.done.setdefault((path, rtl, features, lang), {})
            for t, line in zip(texts, lines):
                got[t] = json.loads(line)
        self.todo = {}

    def glyphs(self, path, rtl, features, text):
        return self.done[(path, rtl, features, language(text))][text]


def origins(hb, scale):
    """Where hb-shape puts each glyph's origin, in pt, y downwards."""
    pen = 0
    out = []
    for g in hb:
        out.append(((pen + g["dx"]) * scale, -g["dy"] * scale))
        pen += g["ax"]
    return out


def steps(points):
    return [(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:])]


def drawn_steps(word):
    return steps([(g.x, g.y) for g in word.glyphs])


def mismatch(word, hb, scale):
    """Why the word is not drawn as hb-shape shapes it, or None."""
    if any(g["g"] == 0 for g in hb):
        return "a character is not in the font (hb-shape gives glyph 0)"
    if len(hb) != len(word.glyphs):
        return "%d glyphs drawn, hb-shape gives %d" % (len(word.glyphs), len(hb))
    want_ids = [g["g"] for g in hb]
    drawn = [[g.gid if m is None else m.get(g.gid, -1) for g in word.glyphs] for m in word.cids]
    if want_ids not in drawn:
        return "glyphs %s drawn, hb-shape gives %s" % (drawn[0], want_ids)
    want = steps(origins(hb, scale))
    got = drawn_steps(word)
    for (wx, wy), (gx, gy) in zip(want, got):
        if abs(wx - gx) > TOLERANCE or abs(wy - gy) > TOLERANCE:
            return "advances %s pt drawn, hb-shape gives %s pt" % (
                fmt(got), fmt(want))
    return None


def fmt(pairs):
    if all(abs(y) < 0.005 for _, y in pairs):
        return "[" + " ".join("%.2f" % x for x, _ in pairs) + "]"
    return "[" + " ".join("%.2f,%.2f" % p for p in pairs) + "]"


def ligature(word):
    """Whether one glyph of the word stands for two letters or more."""
    return any(sum(1 for c in g.text if not unicodedata.category(c).startswith("M")) > 1
               for g in word.glyphs)


# --- the checks -------------------------------------------------------------------

def describe(w, d):
    where = "p. %d, %s %.1fpt" % (w.page, w.font, w.size)
    if d == "rtl":
        return "%s, right to left, drawn \"%s\" (read \"%s\")" % (
            where, w.visual(), w.logical(True))
    return "%s, %s, \"%s\"" % (where, "left to right" if d else "neither direction", w.visual())


def check_words(pdf, template, known):
    fonts = Fonts(template)
    sh = Shaper()
    plan = []
    for w in drawn_words(pdf):
        path, upem = fonts.get(w.font)
        d = direction(w.visual())
        tries = [d == "rtl"] if d else [False, True]
        for rtl in tries:
            sh.want(path, rtl, "", w.logical(rtl))
        plan.append((w, upem, path, d, tries))
    sh.run()
    counts = {"ltr": 0, "rtl": 0, None: 0}
    ligs = 0
    bad = []
    seen_known = set()
    for w, upem, path, d, tries in plan:
        for rtl in tries:
            why = mismatch(w, sh.glyphs(path, rtl, "", w.logical(rtl)), w.size / upem)
            if why is None:
                break
        if why is None:
            counts[d] += 1
            ligs += ligature(w)
            if w.visual() in known:
                bad.append("%s: drawn as hb-shape shapes it, but listed with --known-bad"
                           % describe(w, d))
        elif w.visual() in known:
            seen_known.add(w.visual())
            print("  known: %s: %s" % (describe(w, d), why))
        else:
            bad.append("%s: %s" % (describe(w, d), why))
    for k in sorted(set(known) - seen_known):
        bad.append("\"%s\" is listed with --known-bad but is drawn nowhere amiss" % k)
    print("%d left-to-right words, %d right-to-left words and %d of neither direction "
          "drawn as hb-shape shapes them; %d with a ligature" % (
              counts["ltr"], counts["rtl"], counts[None], ligs))
    for b in bad:
        print("  " + b)
    if counts["rtl"] == 0:
        print("no right-to-left word drawn as hb-shape shapes it")
    if ligs == 0:
        print("no word with a ligature drawn as hb-shape shapes it")
    return not bad and counts["rtl"] > 0 and ligs > 0


def check_kerning(pdf, template):
    fonts = Fonts(template)
    sh = Shaper()
    plan = []
    for w in drawn_words(pdf):
        path, upem = fonts.get(w.font)
        rtl = direction(w.visual()) == "rtl"
        text = w.logical(rtl)
        sh.want(path, rtl, "", text)
        sh.want(path, rtl, "-kern", text)
        plan.append((w, path, upem, rtl, text))
    sh.run()
    kerned = kerned_ok = ligs = ligs_ok = 0
    bad = []
    for w, path, upem, rtl, text in plan:
        scale = w.size / upem
        hb = sh.glyphs(path, rtl, "", text)
        plain = sh.glyphs(path, rtl, "-kern", text)
        where = "p. %d, %s %.1fpt \"%s\"" % (w.page, w.font, w.size, text)
        if len(hb) == len(plain) and len(hb) > 1:
            want = steps(origins(hb, scale))
            unkerned = steps(origins(plain, scale))
            if any(abs(a[0] - b[0]) > TOLERANCE for a, b in zip(want, unkerned)):
                kerned += 1
                why = mismatch(w, hb, scale)
                if why is None:
                    kerned_ok += 1
                else:
                    bad.append("not kerned: %s: %s" % (where, why))
        low = text.lower()
        if len(hb) < len(text) and any(f in low for f in LIGATURES):
            ligs += 1
            if len(w.glyphs) == len(hb):
                ligs_ok += 1
            else:
                bad.append("no ligature: %s: %d glyphs drawn, hb-shape gives %d" % (
                    where, len(w.glyphs), len(hb)))
    print("kerned %d/%d words, ligatures %d/%d" % (kerned_ok, kerned, ligs_ok, ligs))
    for b in bad[:20]:
        print("  " + b)
    if len(bad) > 20:
        print("  ... and %d more" % (len(bad) - 20))
    return kerned > 0 and kerned_ok >= 0.95 * kerned and ligs_ok == ligs


def check_text(pdf, wants):
    try:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        die("cannot read %s: %s" % (pdf, e))
    flat = unicodedata.normalize("NFC", " ".join(out.translate(BIDI_MARKS).split()))
    with open(wants, encoding="utf-8") as f:
        lines = [unicodedata.normalize("NFC", ln.strip()) for ln in f if ln.strip()]
    missing = [ln for ln in lines if ln not in flat]
    print("%d of %d texts found" % (len(lines) - len(missing), len(lines)))
    for m in missing:
        print("  not in the text: \"%s\"" % m)
    return not missing


MIRRORED = str.maketrans(")]}>\u00bb", "([{<\u00ab")


def fribidi_visual(text):
    """The line text in visual order, as FriBidi (libfribidi) gives it."""
    import ctypes
    try:
        lib = ctypes.CDLL("libfribidi.so.0")
    except OSError as e:
        die("cannot load FriBidi: %s" % e)
    n = len(text)
    logical = (ctypes.c_uint32 * n)(*map(ord, text))
    visual = (ctypes.c_uint32 * n)()
    base = ctypes.c_uint32(0x40)  # FRIBIDI_PAR_ON: the first strong letter's
    if not lib.fribidi_log2vis(logical, n, ctypes.byref(base), visual, None, None, None):
        die("fribidi_log2vis failed on \"%s\"" % text)
    return "".join(map(chr, visual))


def drawn_lines(pdf):
    """The characters drawn on each baseline of each page, left to right."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from pdflines import baselines, npages
    for pno in range(npages(pdf)):
        for chars in baselines(pdf, pno).values():
            yield "".join(c["c"] for c in sorted(chars, key=lambda c: c["origin"][0]))


def bare(text):
    """Text without spaces and format characters (the bidi marks), with
    Arabic presentation forms (FriBidi's joining) as letters and each
    bracket as the opening one."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", "".join(text.split())).translate(MIRRORED)


def check_order(pdf, lines_file):
    with open(lines_file, encoding="utf-8") as f:
        lines = [ln.strip() for ln in f if ln.strip()]
    from collections import Counter
    drawn = [(bare(d), Counter(bare(d))) for d in drawn_lines(pdf)]
    bad = []
    for ln in lines:
        want = bare(fribidi_visual(ln))
        need = Counter(want)
        rows = [d for d, has in drawn if not need - has]
        if not rows:
            bad.append("not drawn on one line: \"%s\"" % ln)
        elif not any(want in d for d in rows):
            bad.append("\"%s\": drawn %s, FriBidi %s" % (ln, rows[0], want))
    print("%d of %d lines in the algorithm's order" % (len(lines) - len(bad), len(lines)))
    for b in bad:
        print("  " + b)
    return not bad


def main():
    args = sys.argv[1:]
    known = []
    while "--known-bad" in args:
        i = args.index("--known-bad")
        known += args[i + 1:i + 2]
        del args[i:i + 2]
    if len(args) != 3 or args[0] not in ("words", "kerning", "text", "order") or \
            (known and args[0] != "words"):
        print("\n".join(__doc__.strip().splitlines()[2:6]))
        return 2
    what, pdf, other = args
    if what == "words":
        good = check_words(pdf, other, known)
    elif what == "kerning":
        good = check_kerning(pdf, other)
    elif what == "order":
        good = check_order(pdf, other)
    else:
        good = check_text(pdf, other)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
