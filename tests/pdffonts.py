#!/usr/bin/env python3
"""Checks the TrueType programs a briefing PDF embeds.

For every CIDFontType2 font: its FontFile2 is a well-formed TrueType file
(table directory in tag order, tables inside the file and 4-byte aligned,
every table checksum and the whole-file checksum right, the tables a PDF
reader needs present), /Length1 is its length, the glyph offsets are in
order, it holds fewer outlines than the font has glyphs (a subset), and
every code the font's /W lists maps through the CIDToGIDMap to a glyph
whose outline is embedded (spaces excepted: they have none).

usage: pdffonts.py FILE.pdf
Prints one line per problem and a summary; exits 1 if there are problems.
"""
import base64
import json
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
    outlines = sum(1 for a, b in zip(loca, loca[1:]) if b > a)
    if not 0 < outlines < nglyphs:
        problems.append("%s: %d outlines of %d glyphs is not a subset" % (name, outlines, nglyphs))
    return loca, nglyphs


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
    for obj in objs.values():
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
        loca, nglyphs = got
        cmap = data_of(objs[ref(v["/CIDToGIDMap"])])
        for code in widths_codes(v.get("/W", [])):
            gid = struct.unpack(">H", cmap[2 * code:2 * code + 2])[0] if 2 * code + 2 <= len(cmap) else 0
            if gid == 0 or gid >= nglyphs:
                problems.append("%s: U+%04X is in /W but maps to glyph %d" % (name, code, gid))
            elif loca[gid + 1] == loca[gid] and code not in BLANK:
                problems.append("%s: U+%04X (glyph %d) has no outline embedded" % (name, code, gid))
    if fonts == 0:
        problems.append("no CIDFontType2 font found")
    for p in problems:
        print(p)
    print("%d fonts, %d problems" % (fonts, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
