#!/usr/bin/python3
"""Reads back the PDF of tests/fixtures/figures.yaml (figures in the
commentary, A4 template) with MuPDF and pikepdf and checks what the
Markdown asked for:

- every image file is embedded once, however often it is shown (the
  same PNG and the same JPEG each drawn twice from one XObject); a JPEG
  as it is (/DCTDecode), a PNG deflated (/FlateDecode), its pixels as
  many as the file's, and an alpha channel (or a transparent palette
  colour) as a soft mask (/SMask), which opaque images do not have;
- the captions "Figure 1." to "Figure K." in reading order, each below
  its image on the same page, image and caption (its note marker
  included) centred on the text column within 1pt, the caption in the
  body size with "Figure N." bold and the caption's text after it;
- each image printed at its size: 72pt wide for 300 pixels at 300 dpi,
  96 dpi for a file that records none, {width=N%} as N% of the column,
  a strip wider than the column exactly the column's width, all within
  0.5pt and with the image's aspect;
- the note of each caption's citation at the foot of the figure's page;
- the figure that does not fit at the foot of its page waits for the top
  of the next one while the text after it without notes fills the page
  it left, and the text with notes comes after it;
- no image overlaps a line of text;
- the structure tree: a /Figure per figure, in order, with the alt text
  as /Alt and the image's marked content (a Do of an image XObject), each
  followed by a /Caption sibling whose marked content reads "Figure N."
  and the caption.

usage: figures.py FILE.pdf
Prints one line per problem and "N problems"; exits 1 if there are any.
"""
import re
import sys

import fitz
import pikepdf

MM = 72 / 25.4
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pdflayout import Template, find_template  # noqa: E402

A4 = Template(find_template("a4"))
MARGIN_X = A4.left  # templates/a4.yaml's left and right margins
BODY = A4.styles["body"]["size"]
MARGIN_TOP = A4.top

# The figures of figures-context.md and figures-breaches.md, in order:
# alt text, file, caption text, width (points, or a fraction of the
# column), pixels across and down.
FIGURES = [
    ("Five bars at 300 dots per inch", "rgb8.png",
     "Bars from a PNG at its own resolution", 72.0, (300, 200)),
    ("Five bars over a sky-blue ground", "photo.jpg",
     "A photograph at two fifths of the column", 0.40, (300, 200)),
    ("The same five bars again", "rgb8.png",
     "The first chart once more", 72.0, (300, 200)),
    ("Five bars fading in from the left", "rgba8.png",
     "Bars with transparency", 225.0, (300, 200)),
    ("Five grey bars on a grey ramp", "grey8.png",
     "Greyscale at 150 dots per inch", 144.0, (300, 200)),
    ("Five bars with a base line", "palette4.png",
     "A palette image with a transparent colour", 0.30, (300, 200)),
    ("Five bars, progressive", "progressive.jpg",
     "A progressive JPEG", 225.0, (300, 200)),
    ("Five bars, interlaced", "interlaced.png",
     "An interlaced PNG", 0.30, (300, 200)),
    ("A long strip of colour", "wide.png",
     "A strip wider than the column", 1.0, (2400, 300)),
    ("Five bars drawn late", "photo.jpg",
     "A figure that waits for the next page", 108.0, (300, 200)),
]
# What each file must be embedded as: filter, with a soft mask.
EMBEDDED = {
    "rgb8.png": ("/FlateDecode", False),
    "photo.jpg": ("/DCTDecode", False),
    "rgba8.png": ("/FlateDecode", True),
    "grey8.png": ("/FlateDecode", False),
    "palette4.png": ("/FlateDecode", True),
    "progressive.jpg": ("/DCTDecode", False),
    "interlaced.png": ("/FlateDecode", False),
    "wide.png": ("/FlateDecode", False),
}
# The figure that must wait, the paragraph before it in the Markdown and
# the text after it with and without notes.
MOVED = 10
BEFORE = "Paragraph B8 "
AFTER_PLAIN = "Paragraph A1 "
AFTER_NOTED = "Paragraph C1 "

CAPTION = re.compile(r"Figure (\d+)\.")
# The breaches section's chart, a figure drawn rather than an image
# (tests/chart.py reads it): left out here.
CHART_CAPTION = "Breaches alleged, by date and by the party alleging them"
CHART_ALT = "Bar chart:"


class Problems(list):
    def add(self, msg):
        self.append(msg)


def line_text(line):
    return "".join(s["text"] for s in line["spans"])


def text_lines(page):
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            if line_text(line).strip():
                out.append(line)
    return out


def captions(doc):
    """Every caption line: (page index, number, line)."""
    found = []
    for pno, page in enumerate(doc):
        for line in text_lines(page):
            text = line_text(line)
            m = CAPTION.match(text)
            # A caption opens with its label in bold; an entry of the
            # list of figures is set plain.
            if m and line["spans"][0]["size"] > 9 and \
                    line["spans"][0]["flags"] & 16 and \
                    CHART_CAPTION not in text:
                found.append((pno, int(m.group(1)), line))
    return found


SUPERSCRIPT = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"


def marker_of(line):
    """The note number at the end of a caption line: in the font's
    superscript figures, or digits set small."""
    last = line["spans"][-1]
    text = last["text"].strip()
    sup = text.rstrip(SUPERSCRIPT)
    if text and sup != text:
        digits = text[len(sup):]
        return int(digits.translate(str.maketrans(SUPERSCRIPT, "0123456789")))
    if text.isdecimal() and last["size"] < 0.75 * line["spans"][0]["size"]:
        return int(text)
    return None


def note_on_page(page, number):
    """Whether a note numbered `number` begins at the foot of the page."""
    for line in text_lines(page):
        first = line["spans"][0]
        words = line_text(line).split()
        if words and words[0] == str(number) and first["size"] < 8.5 and \
                line["bbox"][1] > page.rect.height / 2:
            return True
    return False


def first_line_with(doc, text):
    for pno, page in enumerate(doc):
        for line in text_lines(page):
            if line_text(line).startswith(text):
                return pno, line
    return None, None


def page_images(pdf, doc, pno, bad):
    """The images drawn on a page, in the order they are painted: MuPDF's
    boxes paired with the XObjects of the content stream's Do operators
    (MuPDF's own xrefs mistake two images with the same colours, an
    opaque one and one with a soft mask, for one another)."""
    page = pdf.pages[pno]
    xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
    names = [str(ops[0]) for ops, op in pikepdf.parse_content_stream(page.obj)
             if str(op) == "Do" and str(ops[0]) in xobjects and
             xobjects[str(ops[0])].get("/Subtype") == "/Image"]
    infos = doc[pno].get_image_info()
    if len(infos) != len(names):
        bad.add(f"page {pno + 1}: MuPDF finds {len(infos)} images, the content "
                f"stream paints {len(names)}")
    return [(info["bbox"], info["width"], info["height"], xobjects[name].objgen)
            for info, name in zip(infos, names)]


def overlaps(a, b, slack=0.5):
    return (a[0] < b[2] - slack and b[0] < a[2] - slack and
            a[1] < b[3] - slack and b[1] < a[3] - slack)


def check_layout(pdf, doc, bad):
    page0 = doc[0].rect
    col_x0, col_x1 = MARGIN_X, page0.width - MARGIN_X
    col_w, col_c = col_x1 - col_x0, (col_x0 + col_x1) / 2
    caps = captions(doc)
    got = [n for _, n, _ in caps]
    want = list(range(1, len(FIGURES) + 1))
    if got != want:
        bad.add(f"captions in reading order are Figure {got}, not {want}")
    xref_of_file = {}
    placed = {}
    for pno, n, line in caps:
        if n < 1 or n > len(FIGURES):
            continue
        alt, fname, text, width, (px_w, px_h) = FIGURES[n - 1]
        page = doc[pno]
        spans = line["spans"]
        if spans[0]["text"].strip() != f"Figure {n}." or not spans[0]["flags"] & 16:
            bad.add(f"Figure {n}: the caption does not open with \"Figure {n}.\" in bold")
        if text not in line_text(line):
            bad.add(f"Figure {n}: caption \"{line_text(line)}\" lacks \"{text}\"")
        if abs(spans[0]["size"] - BODY) > 0.01:
            bad.add(f"Figure {n}: caption set at {spans[0]['size']}pt, not the body's {BODY}pt")
        cx = (line["bbox"][0] + line["bbox"][2]) / 2
        if abs(cx - col_c) > 1:
            bad.add(f"Figure {n}: caption centred at x={cx:.2f}, the column at {col_c:.2f}")
        # Its image: the nearest one above the caption on its page.
        above = [im for im in page_images(pdf, doc, pno, bad)
                 if im[0][3] <= line["bbox"][1] + 0.5]
        if not above:
            bad.add(f"Figure {n}: no image above its caption on page {pno + 1}")
            continue
        bbox, im_w, im_h, xref = max(above, key=lambda im: im[0][3])
        x0, y0, x1, y1 = bbox
        if line["bbox"][1] - y1 > 20:
            bad.add(f"Figure {n}: caption {line['bbox'][1] - y1:.1f}pt below its image")
        placed[n] = (pno, bbox, line, xref)
        if fname in xref_of_file and xref_of_file[fname] != xref:
            bad.add(f"Figure {n}: {fname} drawn from another XObject than before "
                    f"({xref[0]}, not {xref_of_file[fname][0]})")
        for other, oxref in xref_of_file.items():
            if other != fname and oxref == xref:
                bad.add(f"Figure {n}: {fname} drawn from the XObject of {other}")
        xref_of_file.setdefault(fname, xref)
        if abs((x0 + x1) / 2 - col_c) > 1:
            bad.add(f"Figure {n}: image centred at x={(x0 + x1) / 2:.2f}, "
                    f"the column at {col_c:.2f}")
        want_w = width * col_w if width <= 1 else width
        if abs((x1 - x0) - want_w) > 0.5:
            bad.add(f"Figure {n}: {fname} is {x1 - x0:.2f}pt wide, not {want_w:.2f}")
        want_h = (x1 - x0) * px_h / px_w
        if abs((y1 - y0) - want_h) > 0.5:
            bad.add(f"Figure {n}: {fname} is {y1 - y0:.2f}pt tall, not {want_h:.2f} "
                    f"(its aspect)")
        if im_w != px_w or im_h != px_h:
            bad.add(f"Figure {n}: {fname} embedded at {im_w} x {im_h} "
                    f"pixels, not {px_w} x {px_h}")
        if x0 < col_x0 - 0.5 or x1 > col_x1 + 0.5 or y0 < MARGIN_TOP - 0.5:
            bad.add(f"Figure {n}: image outside the text area")
        marker = marker_of(line)
        if marker is None:
            bad.add(f"Figure {n}: the caption has no note marker")
        elif not note_on_page(page, marker):
            bad.add(f"Figure {n}: note {marker} of its caption is not on its page "
                    f"({pno + 1})")
        for other in text_lines(page):
            if overlaps(bbox, other["bbox"]):
                bad.add(f"Figure {n}: image overlaps the text \"{line_text(other)[:40]}\"")
    return placed


def check_moved(doc, placed, bad):
    if MOVED not in placed:
        return
    fpage, (x0, y0, x1, y1), cap, _ = placed[MOVED]
    bpage, _ = first_line_with(doc, BEFORE)
    apage, aline = first_line_with(doc, AFTER_PLAIN)
    cpage, cline = first_line_with(doc, AFTER_NOTED)
    if bpage is None or apage is None or cpage is None:
        bad.add("the paragraphs around the waiting figure are not found")
        return
    if fpage != bpage + 1:
        bad.add(f"Figure {MOVED} is on page {fpage + 1}, not on page {bpage + 2}, "
                f"the one after the text before it")
    if abs(y0 - MARGIN_TOP) > 1:
        bad.add(f"Figure {MOVED} starts at y={y0:.2f}, not at the top of the text "
                f"area (y={MARGIN_TOP:.2f})")
    if apage != bpage:
        bad.add(f"the text without notes after Figure {MOVED} is on page {apage + 1}, "
                f"not filling page {bpage + 1} where the figure did not fit")
    if cpage != fpage or cline["bbox"][1] < cap["bbox"][3]:
        bad.add(f"the text with notes after Figure {MOVED} is not below it on its page")


# --- The structure tree ------------------------------------------------------


def kids(elem):
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def cmap_of(font):
    """A font's ToUnicode map: code bytes -> text."""
    out = {}
    tu = font.get("/ToUnicode")
    if tu is None:
        return out
    data = tu.read_bytes().decode("latin-1")
    hexes = lambda s: re.findall(r"<([0-9A-Fa-f]*)>", s)
    uni = lambda h: bytes.fromhex(h).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        h = hexes(block)
        for src, dst in zip(h[::2], h[1::2]):
            out[bytes.fromhex(src)] = uni(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.strip().splitlines():
            h = hexes(line)
            if len(h) < 3:
                continue
            lo, hi = int(h[0], 16), int(h[1], 16)
            width = len(h[0]) // 2
            if "[" in line:
                for k, dst in enumerate(h[2:]):
                    out[(lo + k).to_bytes(width, "big")] = uni(dst)
            else:
                base = int(h[2], 16)
                for k in range(hi - lo + 1):
                    out[(lo + k).to_bytes(width, "big")] = chr(base + k)
    return out


def marked_content(page):
    """MCID -> (text, number of image XObjects painted) on a page."""
    fonts, maps = {}, {}
    res = page.obj.get("/Resources", {})
    for name, font in res.get("/Font", {}).items():
        fonts[name] = font
    images = {name for name, x in res.get("/XObject", {}).items()
              if x.get("/Subtype") == "/Image"}
    out = {}
    stack = []
    cur = None

    def add_text(s):
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is None or cur is None:
            return
        font = fonts.get(cur)
        if font is None:
            return
        if cur not in maps:
            maps[cur] = cmap_of(font)
        m = maps[cur]
        width = 2 if font.get("/Subtype") == "/Type0" else 1
        b = bytes(s)
        t = "".join(m.get(b[i:i + width], "") for i in range(0, len(b), width))
        text, n = out.get(mcid, ("", 0))
        out[mcid] = (text + t, n)

    def space():
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and mcid in out and not out[mcid][0].endswith(" "):
            out[mcid] = (out[mcid][0] + " ", out[mcid][1])

    for operands, op in pikepdf.parse_content_stream(page.obj):
        op = str(op)
        if op == "BDC":
            props = operands[1]
            stack.append(int(props["/MCID"]) if isinstance(props, pikepdf.Dictionary)
                         and "/MCID" in props else None)
        elif op == "BMC":
            stack.append(None)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            cur = str(operands[0])
        elif op in ("Td", "TD", "Tm", "T*"):
            space()
        elif op == "Tj":
            add_text(operands[0])
        elif op == "TJ":
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    add_text(item)
                elif float(item) < -200:
                    space()
        elif op == "Do" and str(operands[0]) in images:
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                text, n = out.get(mcid, ("", 0))
                out[mcid] = (text, n + 1)
    return out


def check_tree(pdf, bad):
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        bad.add("no /StructTreeRoot: the PDF is not tagged")
        return
    pages = {p.obj.objgen: p for p in pdf.pages}
    cache = {}

    def content(page_obj):
        key = page_obj.objgen
        if key not in cache:
            cache[key] = marked_content(pages[key]) if key in pages else {}
        return cache[key]

    def own(elem, pg):
        """The text and image count of an element's own marked content."""
        pg = elem.get("/Pg", pg)
        text, n = "", 0
        for k in kids(elem):
            if isinstance(k, int) and pg is not None:
                t, c = content(pg).get(k, ("", 0))
                text, n = text + t, n + c
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
                t, c = content(k.get("/Pg", pg)).get(int(k.MCID), ("", 0))
                text, n = text + t, n + c
        return text, n

    figures = []  # (element, next sibling, page)

    def walk(elem, pg, seen):
        if not isinstance(elem, pikepdf.Dictionary) or elem.objgen in seen:
            return
        seen.add(elem.objgen)
        pg = elem.get("/Pg", pg)
        ks = kids(elem)
        for i, k in enumerate(ks):
            if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Figure" \
                    and not str(k.get("/Alt", "")).startswith(CHART_ALT):
                nxt = ks[i + 1] if i + 1 < len(ks) else None
                figures.append((k, nxt, k.get("/Pg", pg)))
            walk(k, pg, seen)

    walk(root, None, set())
    if len(figures) != len(FIGURES):
        bad.add(f"{len(figures)} /Figure elements, not {len(FIGURES)}")
    for n, (fig, nxt, pg) in enumerate(figures, 1):
        want_alt = FIGURES[n - 1][0] if n <= len(FIGURES) else None
        alt = str(fig.get("/Alt", ""))
        if alt != want_alt:
            bad.add(f"/Figure {n}: /Alt \"{alt}\", not \"{want_alt}\"")
        _, images = own(fig, pg)
        if images != 1:
            bad.add(f"/Figure {n}: its marked content paints {images} images, not 1")
        if not isinstance(nxt, pikepdf.Dictionary) or nxt.get("/S") != "/Caption":
            bad.add(f"/Figure {n}: not followed by a /Caption")
            continue
        text, _ = own(nxt, pg)
        text = " ".join(text.split())
        want = f"Figure {n}. {FIGURES[n - 1][2]}" if n <= len(FIGURES) else ""
        if not text.startswith(want):
            bad.add(f"/Caption {n}: its marked content reads \"{text[:60]}\", not "
                    f"\"{want}\"")


def check_xobjects(pdf, placed, bad):
    images, masks = [], set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            images.append(obj)
            if "/SMask" in obj:
                masks.add(obj.SMask.objgen)
    shown = [im for im in images if im.objgen not in masks]
    if len(shown) != len(EMBEDDED):
        bad.add(f"{len(shown)} image XObjects embedded, not {len(EMBEDDED)} "
                f"(one per file)")
    # Which XObject each file became: the one its figures draw.
    drawn = {FIGURES[n - 1][1]: xref for n, (_, _, _, xref) in placed.items()}
    for fname, (filt, smask) in EMBEDDED.items():
        if fname not in drawn:
            bad.add(f"{fname}: not drawn")
            continue
        obj = pdf.get_object(drawn[fname])
        got = obj.get("/Filter")
        got = str(got[0]) if isinstance(got, pikepdf.Array) and len(got) == 1 else str(got)
        if got != filt:
            bad.add(f"{fname}: embedded with /Filter {got}, not {filt}")
        if ("/SMask" in obj) != smask:
            bad.add(f"{fname}: " + ("no /SMask for its transparency" if smask
                                    else "an /SMask, but it is opaque"))
        if smask and "/SMask" in obj and obj.SMask.get("/Filter") != "/FlateDecode":
            bad.add(f"{fname}: its /SMask is not deflated")


def main():
    path = sys.argv[1]
    bad = Problems()
    doc = fitz.open(path)
    pdf = pikepdf.open(path)
    placed = check_layout(pdf, doc, bad)
    check_moved(doc, placed, bad)
    check_xobjects(pdf, placed, bad)
    check_tree(pdf, bad)
    for b in bad:
        print(b)
    print(f"{len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
