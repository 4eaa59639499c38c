#!/usr/bin/python3
"""What PDF/A-2b asks of the catalog and metadata, read back with pikepdf.

    tests/pdfa.py [--none] FILE.pdf...
    tests/pdfa.py --preflight FILE.pdf...

The first form checks each file: a 1.7 header; /ViewerPreferences
/DisplayDocTitle true; an uncompressed XMP stream that parses as XML,
whose title, creator, description, keywords, creator tool, producer and
dates equal the document information's (the dates the same instant with
the same offset), with the title in the catalog's /Lang; the PDF/A-2b
identification (pdfaid part 2, conformance B) and an sRGB output intent
with a version 2 ICC profile of 3 components; the PDF/UA-1
identification (pdfuaid part 1) exactly when the document is tagged (has
a structure tree); and /F 4 (printed, nothing else) on every link
annotation.  With --none the identification and the
output intent must be absent instead.

The second runs PDFBox Preflight (Debian's libpdfbox2-java) over the
files in one Java process.  Preflight knows PDF/A-1b only, so exactly
the rules where PDF/A-2b differs, or where it is wrong, are passed over:
the part number (7.11.2 "part must be 1"), the CIDSet of subset CID fonts
(3.1.11, required by part 1 only), cross-reference streams (1.4: part 1
is PDF 1.4, which has none; part 2 allows them and object streams) and
"can't convert to Destination" (1.2.3) on destinations that are indirect
arrays, which are valid.  Any other error fails the file.

Prints one line per problem and exits 1 when there is one.
"""
import datetime
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pikepdf

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PREFLIGHT_JARS = [
    "preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging",
    "javax.activation", "jaxb-api",
]
PREFLIGHT_IGNORED = [
    ("7.11.2", re.compile(r"Error on MetaData, part must be 1$")),
    ("3.1.11", re.compile(r"Invalid Font definition, [A-Z]{6}\+\S+: "
                          r"The CIDSet entry is missing for the Composite "
                          r"Subset$")),
    ("1.2.3", re.compile(r"Body Syntax error, Error: can't convert to "
                         r"Destination COSObject\{\d+, 0\}$")),
    ("1.4", re.compile(r"Trailer Syntax error, /XRef cross reference "
                       r"streams are not allowed$")),
    # An image's soft mask (a PNG's alpha channel): part 1 forbids
    # transparency, part 2 allows it (ISO 19005-2, 6.4).
    ("2.2.2", re.compile(r"Invalid graphics transparency, Soft Mask must "
                         r"be null or None \[COSDictionary\{.*"
                         r"COSName\{Subtype\}:COSName\{Image\};")),
]


def pdf_date(s):
    """A PDF date "D:YYYYMMDDHHmmSS+HH'mm'" as an aware datetime."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)"
                     r"(?:([+-])(\d\d)'(\d\d)'?|Z)", s)
    if not m:
        raise ValueError("not a full PDF date: %r" % s)
    off = datetime.timedelta(0)
    if m.group(7):
        off = datetime.timedelta(hours=int(m.group(8)),
                                 minutes=int(m.group(9)))
        if m.group(7) == "-":
            off = -off
    return datetime.datetime(*(int(g) for g in m.groups()[:6]),
                             tzinfo=datetime.timezone(off))


def text(obj):
    return None if obj is None else str(obj)


def short(value):
    """value for a message: long ones cut, with their length."""
    r = repr(value)
    return r if len(r) <= 80 else "%s... (%d characters)" % (r[:60], len(value))


def check_xmp(pdf, info, problems, pdfa):
    md = pdf.Root.get("/Metadata")
    if md is None:
        problems.append("no /Metadata in the catalog")
        return
    if md.get("/Type") != "/Metadata" or md.get("/Subtype") != "/XML":
        problems.append("the metadata is not /Type /Metadata /Subtype /XML")
    if "/Filter" in md:
        problems.append("the metadata stream is compressed")
    raw = md.read_raw_bytes()
    if not raw.startswith(b"<?xpacket begin=\"\xef\xbb\xbf\" "
                          b"id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"):
        problems.append("the metadata does not start with an xpacket header")
    if not raw.rstrip().endswith(b"<?xpacket end=\"w\"?>"):
        problems.append("the metadata does not end with an xpacket trailer")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        problems.append("the metadata is not XML: %s" % e)
        return
    descs = root.findall("rdf:RDF/rdf:Description", NS)
    if not descs:
        problems.append("no rdf:Description in the metadata")
        return

    def find(path):
        for d in descs:
            hit = d.find(path, NS)
            if hit is not None:
                return hit
        return None

    def alt(name):
        node = find(name + "/rdf:Alt")
        if node is None:
            return None, []
        items = node.findall("rdf:li", NS)
        default = [li.text or "" for li in items
                   if li.get(XML_LANG) == "x-default"]
        return (default[0] if default else None,
                [(li.get(XML_LANG), li.text or "") for li in items])

    def simple(name):
        node = find(name)
        return None if node is None else (node.text or "")

    lang = text(pdf.Root.get("/Lang"))
    title, titles = alt("dc:title")
    if title != text(info.get("/Title")):
        problems.append("dc:title %s is not /Title %s"
                        % (short(title), short(text(info.get("/Title")))))
    # A briefing whose title is blank has none, in either place.
    if lang and title is not None and (lang, title) not in titles:
        problems.append("dc:title has no entry in /Lang %r: %s"
                        % (lang, short(titles)))
    creator = find("dc:creator/rdf:Seq")
    creators = ([li.text for li in creator.findall("rdf:li", NS)]
                if creator is not None else [])
    author = text(info.get("/Author"))
    if creators != ([author] if author else []):
        problems.append("dc:creator %s is not /Author %s"
                        % (short(creators), short(author)))
    desc, _ = alt("dc:description")
    if desc != text(info.get("/Subject")):
        problems.append("dc:description %s is not /Subject %s"
                        % (short(desc), short(text(info.get("/Subject")))))
    for name, key in (("pdf:Keywords", "/Keywords"),
                      ("pdf:Producer", "/Producer"),
                      ("xmp:CreatorTool", "/Creator")):
        if simple(name) != text(info.get(key)):
            problems.append("%s %s is not %s %s"
                            % (name, short(simple(name)), key,
                               short(text(info.get(key)))))
    for name, key in (("xmp:CreateDate", "/CreationDate"),
                      ("xmp:ModifyDate", "/ModDate"),
                      ("xmp:MetadataDate", "/ModDate")):
        x, d = simple(name), text(info.get(key))
        if x is None or d is None:
            if x != d and not (name == "xmp:MetadataDate" and d is None):
                problems.append("%s %r but %s %r" % (name, x, key, d))
            continue
        xd, dd = datetime.datetime.fromisoformat(x), pdf_date(d)
        if xd != dd or xd.utcoffset() != dd.utcoffset():
            problems.append("%s %s is not %s %s" % (name, x, key, d))
    part, conf = simple("pdfaid:part"), simple("pdfaid:conformance")
    if pdfa and (part, conf) != ("2", "B"):
        problems.append("pdfaid part %r conformance %r, not 2 and B"
                        % (part, conf))
    if not pdfa and (part is not None or conf is not None):
        problems.append("pdfaid part %r conformance %r with no PDF/A asked"
                        % (part, conf))
    # PDF/UA-1 is identified exactly when the document is tagged (its
    # structure is checked by tests/pdfua.py).
    tagged = "/StructTreeRoot" in pdf.Root
    ua = simple("pdfuaid:part")
    if ua is not None and not tagged:
        problems.append("pdfuaid:part, but the document is not tagged")
    if tagged and ua != "1":
        problems.append("tagged, but pdfuaid:part is %r, not 1" % ua)


def check_intent(pdf, problems, pdfa):
    intents = pdf.Root.get("/OutputIntents")
    if not pdfa:
        if intents is not None:
            problems.append("an output intent with no PDF/A asked")
        return
    if intents is None or len(intents) != 1:
        problems.append("not one output intent: %r" % intents)
        return
    oi = intents[0]
    if oi.get("/Type") != "/OutputIntent" or oi.get("/S") != "/GTS_PDFA1":
        problems.append("the output intent is not /S /GTS_PDFA1")
    if text(oi.get("/OutputConditionIdentifier")) != "sRGB IEC61966-2.1":
        problems.append("OutputConditionIdentifier %r"
                        % oi.get("/OutputConditionIdentifier"))
    icc = oi.get("/DestOutputProfile")
    if icc is None:
        problems.append("the output intent has no DestOutputProfile")
        return
    data = icc.read_bytes()
    if icc.get("/N") != 3 or data[16:20] != b"RGB ":
        problems.append("the ICC profile is not of 3 components (RGB)")
    if data[8] != 2 or data[36:40] != b"acsp" or len(data) != int.from_bytes(
            data[0:4], "big"):
        problems.append("not a version 2 ICC profile (version %d.%d)"
                        % (data[8], data[9] >> 4))


def check_file(path, pdfa):
    problems = []
    with pikepdf.open(path) as pdf:
        if pdf.pdf_version != "1.7":
            problems.append("PDF version %s, not 1.7" % pdf.pdf_version)
        vp = pdf.Root.get("/ViewerPreferences")
        if vp is None or vp.get("/DisplayDocTitle") is not True:
            problems.append("no /ViewerPreferences /DisplayDocTitle true")
        info = pdf.trailer.get("/Info") or pikepdf.Dictionary()
        check_xmp(pdf, info, problems, pdfa)
        check_intent(pdf, problems, pdfa)
        links = 0
        for n, page in enumerate(pdf.pages, 1):
            for a in page.obj.get("/Annots") or []:
                if a.get("/Subtype") != "/Link":
                    continue
                links += 1
                if a.get("/F") != 4:
                    problems.append("page %d: a link annotation with /F %r"
                                    % (n, a.get("/F")))
                    break
    return ["%s: %s" % (path, p) for p in problems], links


def preflight(paths):
    cp = ":".join("/usr/share/java/%s.jar" % j for j in PREFLIGHT_JARS)
    problems = []
    with tempfile.TemporaryDirectory() as d:
        lst = os.path.join(d, "files")
        with open(lst, "w") as f:
            f.write("".join(os.path.abspath(p) + "\n" for p in paths))
        r = subprocess.run(["java", "-cp", cp,
                            "org.apache.pdfbox.preflight.Validator_A1b",
                            "xml", "group", lst],
                           capture_output=True, text=True)
        try:
            root = ET.parse(lst + ".preflight.xml").getroot()
        except (OSError, ET.ParseError) as e:
            return ["Preflight wrote no report (exit %d): %s %s"
                    % (r.returncode, e, r.stderr[-2000:])]
    results = root.findall("preflight")
    if len(results) != len(paths):
        return ["Preflight reported on %d of %d files"
                % (len(results), len(paths))]
    for path, res in zip(paths, results):
        if res.get("name") != os.path.basename(path):
            problems.append("%s: Preflight's report is for %s"
                            % (path, res.get("name")))
            continue
        for e in res.findall("errors/error"):
            code = e.findtext("code", "")
            details = e.findtext("details", "")
            if not any(code == c and rx.match(details)
                       for c, rx in PREFLIGHT_IGNORED):
                problems.append("%s: %s : %s" % (path, code, details))
        if res.find("errors") is None and res.findtext("isValid") != "true":
            problems.append("%s: Preflight could not validate it" % path)
    return problems


def main(argv):
    args = argv[1:]
    if args and args[0] == "--preflight":
        problems = preflight(args[1:])
        for p in problems:
            print(p)
        if not problems:
            print("%d files pass Preflight but for the PDF/A-2 differences"
                  % len(args[1:]))
        return 1 if problems else 0
    pdfa = True
    if args and args[0] == "--none":
        pdfa = False
        args = args[1:]
    problems, links = [], 0
    for path in args:
        p, n = check_file(path, pdfa)
        problems += p
        links += n
    for p in problems:
        print(p)
    if not problems:
        print("%d files, %d link annotations" % (len(args), links))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
