#!/usr/bin/env python3
"""Checks that a JPEG stored on its side prints upright.

usage: orientation.py FILE.pdf ROTATED.jpg

tests/fixtures/images/rotated.jpg is 300 x 200 pixels with EXIF
orientation 6; shown upright it is 200 x 300, its top third black and
the rest red.  The PDF must draw it portrait (taller than wide), and
rendered by MuPDF its top must be dark and its foot red.  Prints the
problems and "N problems"; exits 1 if there are any.
"""
import sys

import fitz


def main():
    doc = fitz.open(sys.argv[1])
    jpeg = open(sys.argv[2], "rb").read()
    bad = []
    found = None
    # The JPEG is embedded as it is: its XObject's data is the file.
    for page in doc:
        for info in page.get_image_info(xrefs=True):
            if info["xref"] and doc.xref_stream_raw(info["xref"]) == jpeg:
                found = (page, fitz.Rect(info["bbox"]))
    if found is None:
        print("the JPEG is not drawn in the PDF")
        print("1 problems")
        return 1
    page, box = found
    if box.height <= box.width:
        bad.append(f"drawn {box.width:.1f} x {box.height:.1f} pt: not upright")
    pix = page.get_pixmap(dpi=72, clip=box)

    def rgb(fx, fy):
        return pix.pixel(int(pix.width * fx), int(pix.height * fy))

    top, foot = rgb(0.5, 0.15), rgb(0.5, 0.85)
    if max(top) > 60:
        bad.append(f"its top is {top}, not black: turned the wrong way")
    if not (foot[0] > 150 and foot[1] < 110 and foot[2] < 110):
        bad.append(f"its foot is {foot}, not red")
    for b in bad:
        print(b)
    print(f"{len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
