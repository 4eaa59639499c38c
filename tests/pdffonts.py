#!/usr/bin/env python3
"""Checks the TrueType programs a briefing PDF embeds.

For every CIDFontType2 font: its FontFile2 is a well-formed TrueType file
(table directory in tag order, tables inside the file and 4-byte aligned,
every table checksum and the whole-file checksum right, the tables a PDF
reader needs present, hmtx as long as hhea and maxp say), /Length1 is its
length, the glyph offsets are in order, every code the font's /W lists
maps through the CIDToGIDMap (or /Identity) to a glyph whose outline is embedded (spaces
excepted: they have none), the components of composite glyphs are
glyphs with outlines, and the program holds no glyph besides .notdef,
those the codes map to and their components (a subset).  Characters are
named by the code point the ToUnicode CMap gives their code.

usage: pdffonts.py FILE.pdf
Prints one line per problem and a summary; exits 1 if there are problems.
"""
import base64
import json
import re
import struct
import subprocess
import sys

NEEDED = {b"head", b"hhea", b"maxp", b"hmtx", b"loca", b"glyf"}
BLANK = {0x20, 0xA0} | set(range(0x2000, 0x200C))


def objects(pdf):
    out = subprocess.run(["qpdf", "--json", "--json-stream-data=inline",
                          "--decode-level=generalized", pdf, "-"],
                         check=True, capture_output=True).stdout
    objs = json.loads(out)["qpdf"][1]
    return {k.split(":")[1].split()[0]: v for k, v in objs.items()
            if k.startswith("obj:")}


def ref(value):
    return value.split()[0]


def data_of(obj):
    return base64.b64decode(obj["stream"]["data"])


def checksum(b):
    b = b + b"\0" * (-len(b) % 4)
    return sum(struct.unpack(">%dI" % (len(b) // 4), b)) & 0xFFFFFFFF


def check_program(name, prog, problems):
    """Returns (loca offsets, glyph count) or None after a problem."""
    if len(prog) < 12:
        problems.append("%s: font program of %d bytes" % (name, len(prog)))
        return None
    ntab = struct.unpack(">H", prog[4:6])[0]
    tabs, tags = {}, []
    for i in range(ntab):
        tag, cs, off, ln = struct.unpack(">4sIII", prog[12 + 16 * i:28 + 16 * i])
        tags.append(tag)
        if off % 4 or off + ln > len(prog):
            problems.append("%s: table %s at %d+%d outside the file" % (name, tag, off, ln))
            return None
        body = bytearray(prog[off:off + ln])
        if tag == b"head":
            body[8:12] = b"\0\0\0\0"
        if checksum(bytes(body)) != cs:
            problems.append("%s: table %s has a wrong checksum" % (name, tag))
        tabs[tag] = prog[off:off + ln]
    if tags != sorted(tags):
        problems.append("%s: tables not in tag order: %s" % (name, tags))
    missing = NEEDED - set(tabs)
    if missing:
        problems.append("%s: tables missing: %s" % (name, sorted(missing)))
        return None
    if checksum(prog) != 0xB1B0AFBA:
        problems.append("%s: whole-file checksum is wrong" % name)
    nglyphs = struct.unpack(">H", tabs[b"maxp"][4:6])[0]
    long_loca = struct.unpack(">h", tabs[b"head"][50:52])[0] == 1
    fmt = ">%d%s" % (nglyphs + 1, "I" if long_loca else "H")
    size = struct.calcsize(fmt)
    if len(tabs[b"loca"]) < size:
        problems.append("%s: loca is cut short" % name)
        return None
    loca = [o * (1 if long_loca else 2) for o in struct.unpack(fmt, tabs[b"loca"][:size])]
    if any(a > b for a, b in zip(loca, loca[1:])) or loca[-1] > len(tabs[b"glyf"]):
        problems.append("%s: glyph offsets out of order or past glyf" % name)
        return None
    nhm = struct.unpack(">H", tabs[b"hhea"][34:36])[0]
    if not 0 < nhm <= nglyphs or len(tabs[b"hmtx"]) < 4 * nhm + 2 * (nglyphs - nhm):
        problems.append("%s: hmtx does not fit %d metrics of %d glyphs" % (name, nhm, nglyphs))
    return loca, nglyphs, tabs[b"glyf"]


def components(glyf, loca, gid):
    """The glyphs a composite glyph is built from (none for a simple one)."""
    p, end = loca[gid], loca[gid + 1]
    if end - p < 10 or struct.unpack(">h", glyf[p:p + 2])[0] >= 0:
        return []
    out, p = [], p + 10
    while p + 4 <= end:
        flags, c = struct.unpack(">HH", glyf[p:p + 4])
        out.append(c)
        p += 4 + (4 if flags & 1 else 2)
        p += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
        if not flags & 0x20:
            break
    return out


def to_unicode(cmap):
    """code -> code point from a ToUnicode CMap's bfchar entries."""
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap.decode("latin-1"), re.S):
        for code, cp in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(code, 16)] = int(cp[:4], 16)
    return out


def widths_codes(w):
    """The codes a /W array lists (c [w1 w2 ...] and c1 c2 w forms)."""
    codes, i = [], 0
    while i < len(w):
        if isinstance(w[i + 1], list):
            codes += range(w[i], w[i] + len(w[i + 1]))
            i += 2
        else:
            codes += range(w[i], w[i + 1] + 1)
            i += 3
    return codes


def main():
    pdf = sys.argv[1]
    objs = objects(pdf)
    problems, fonts = [], 0
    parents = {}  # CIDFont object -> its Type0 font's ToUnicode object
    for obj in objs.values():
        v = obj.get("value")
        if isinstance(v, dict) and "/DescendantFonts" in v and "/ToUnicode" in v:
            for kid in v["/DescendantFonts"]:
                parents[ref(kid)] = ref(v["/ToUnicode"])
    for num, obj in objs.items():
        v = obj.get("value")
        if not isinstance(v, dict) or v.get("/Subtype") != "/CIDFontType2":
            continue
        fonts += 1
        name = v.get("/BaseFont", "?")
        desc = objs[ref(v["/FontDescriptor"])]["value"]
        file_obj = objs[ref(desc["/FontFile2"])]
        prog = data_of(file_obj)
        if file_obj["stream"]["dict"].get("/Length1") != len(prog):
            problems.append("%s: /Length1 is not the program's length" % name)
        got = check_program(name, prog, problems)
        if got is None:
            continue
        loca, nglyphs, glyf = got
        identity = v.get("/CIDToGIDMap") == "/Identity"
        cmap = b"" if identity else data_of(objs[ref(v["/CIDToGIDMap"])])
        uni = to_unicode(data_of(objs[parents[num]])) if num in parents else {}
        used = {0}
        for code in widths_codes(v.get("/W", [])):
            cp = uni.get(code)
            what = "U+%04X (code %d)" % (cp, code) if cp is not None else "code %d" % code
            if identity:
                gid = code
            else:
                gid = struct.unpack(">H", cmap[2 * code:2 * code + 2])[0] if 2 * code + 2 <= len(cmap) else 0
            if cp is None:
                problems.append("%s: %s has no ToUnicode entry" % (name, what))
            if gid == 0 or gid >= nglyphs:
                problems.append("%s: %s is in /W but maps to glyph %d" % (name, what, gid))
            elif loca[gid + 1] == loca[gid] and cp not in BLANK:
                problems.append("%s: %s (glyph %d) has no outline embedded" % (name, what, gid))
            else:
                used.add(gid)
        todo = sorted(used)
        while todo:
            g = todo.pop()
            for c in components(glyf, loca, g):
                if c >= nglyphs or loca[c + 1] == loca[c]:
                    problems.append("%s: glyph %d is built from glyph %d, which has no outline" % (name, g, c))
                elif c not in used:
                    used.add(c)
                    todo.append(c)
        if len(used) != nglyphs:
            problems.append("%s: %d glyphs embedded, %d of them drawn: not a subset" % (name, nglyphs, len(used)))
    if fonts == 0:
        problems.append("no CIDFontType2 font found")
    for p in problems:
        print(p)
    print("%d fonts, %d problems" % (fonts, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
