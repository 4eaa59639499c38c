#!/usr/bin/python3
"""What PDF/UA-1 (ISO 14289-1) asks of a tagged PDF, read back with pikepdf.

    tests/pdfua.py FILE.pdf...
    tests/pdfua.py --expect-untagged FILE.pdf...
    tests/pdfua.py --self-test [--write DIR]

The first form checks each file against the requirements a program can
decide (the Matterhorn Protocol's checkpoints in brackets):

  catalog   /MarkInfo /Marked true and no /Suspects true [01-007]; a
            /StructTreeRoot; a non-empty /Lang [11-*]; /ViewerPreferences
            /DisplayDocTitle true [07-001, 07-002]; an XMP stream [06-001]
            with a non-empty dc:title [06-003] and pdfuaid:part 1 [06-002],
            and when it has pdfaid:part, a PDF/A extension schema
            (pdfaExtension:schemas) declaring the namespace
            http://www.aiim.org/pdfua/ns/id/ with prefix pdfuaid, a schema
            description, and the property part (valueType Integer, category
            internal, with a description).
  content   every page's content stream, its marked-content nesting
            followed through BMC, BDC and EMC: each painting operator (text
            showing Tj TJ ' ", path painting S s f F f* B B* b b*, Do, sh,
            inline images) lies inside an /Artifact sequence or a sequence
            with an /MCID [01-005]; no artifact inside tagged content
            [01-003], no tagged content inside an artifact [01-004], no
            MCID sequence inside another; BMC/BDC and EMC balance on each
            page; MCIDs are unique on a page; an /Artifact's /Type is
            /Pagination, /Layout, /Page or /Background and its /Subtype
            /Header, /Footer or /Watermark.  Form XObjects are not entered.
  tree      the structure tree reached from the StructTreeRoot's /K: every
            element an indirect dictionary, reached once, with /Type
            /StructElem when it has a /Type, an /S of the standard types of
            ISO 32000-1 14.8.4 or mapped to one through /RoleMap, without
            cycles [02-001, 02-002] and without remapping a standard type
            (ISO 14289-1 7.1), /P its actual parent, and kids that are
            elements, MCIDs (on the element's /Pg or the nearest
            ancestor's), /MCR dictionaries (not into a stream: /Stm is not
            followed) or /OBJR dictionaries; no element without kids but
            an empty table cell, and no Note without marked content under
            it; each Note has an /ID [19-003] no other Note has [19-004].
            Headings: the numbered ones, in depth-first order, start at H1
            [14-002] and never go more than one level deeper at a time
            [14-003]; H and H1-H6 are not mixed [14-007], and no element
            holds two H [14-006].  Lists: LI only in L, Lbl only in LI or
            Note, LBody only in LI; L holds only LI, L and Caption, LI only
            Lbl and LBody [09-005].  Tables: TR only in Table, THead, TBody
            or TFoot, TH and TD only in TR, THead, TBody and TFoot only in
            Table; Table holds only TR, THead, TBody, TFoot and Caption,
            the row groups only TR, TR only TH and TD [09-004]; each Table
            has a row, and all its rows fill as many columns, counting
            /ColSpan and /RowSpan, as veraPDF's PDF/UA-1 rules ask (a
            reader pairs cells with their headers by position, so an empty
            cell must be an empty TD); each TH has, in /A or through /C
            and the ClassMap, an attribute dictionary /O /Table with
            /Scope /Row, /Column or /Both [15-003].  TOCI only in TOC, and
            TOC holds only TOCI, TOC and Caption [09-006].  Figure has a non-empty /Alt or
            /ActualText [13-004], Formula a non-empty /Alt [17-002].  A Link
            element holds an OBJR.
  ids       when an element has an /ID (unique among all elements), the
            StructTreeRoot's /IDTree, a name tree walked like the
            ParentTree, maps it to that element, and maps nothing else.
  parents   the ParentTree, a number tree whose /Nums and /Kids are walked
            with their /Limits checked and keys strictly increasing, and
            ParentTreeNextKey greater than every key: each page with marked
            content has /StructParents k, and the ParentTree's array at k
            gives, at i, the element that owns MCID i on that page; every
            MCID in the content belongs to exactly one element, every MCID
            an element claims is in its page's content, and every array
            entry that is not null is such an MCID's owner.  Each key is
            used once, by a page or an annotation.
  annots    every /Link annotation has /F 4, a non-empty /Contents
            [28-012] and a /StructParent whose ParentTree value is a Link
            element holding an OBJR to that annotation, on the annotation's
            page [28-011]; any other annotation is likewise the OBJR of the
            element its /StructParent names [28-002]; every OBJR is an
            annotation of its page; a page with annotations has /Tabs /S
            [28-008, 28-009].
  fonts     every font a page's content selects (Tf) is embedded (a
            FontFile, FontFile2 or FontFile3 on the descriptor of the font
            or of a Type0 font's descendant) [31-009], and a Type0 font has
            a /ToUnicode [10-001]; Type3 fonts are passed over.

Prints one line per problem ("FILE: problem"; after 20 problems of one
kind in a file, one line says how many more there are) and exits 1 when
there is one; otherwise prints one summary line and exits 0.

With --expect-untagged (for --pdf-standard none and a-2b outputs) each
file must instead be untagged: no /StructTreeRoot, no /MarkInfo, no
pdfuaid property in the XMP and no extension schema declaring one, no
/StructParents on a page and no /StructParent on an annotation.

--self-test builds a well-formed tagged PDF and one variant per kind of
defect with pikepdf in a temporary directory (or in DIR with --write, to
keep them: good.pdf, untagged.pdf, and each variant named after its
case, such as text-outside-marked-content.pdf), checks that the first passes and that each variant is
rejected with the expected message, prints "ok" or "not ok" per case and
"N passed, N failed", and exits 1 when one failed.
"""
import io
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Array, Dictionary, Name, String

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
PDFUA_NS = NS["pdfuaid"]

# ISO 32000-1 14.8.4: the standard structure types.
STANDARD = set("""
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct
    Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody
    TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
    Warichu WT WP Figure Formula Form""".split())
HEADINGS = {"H%d" % i: i for i in range(1, 7)}

# Where an element may be (its parent's type) ...
PARENTS = {
    "LI": {"L"}, "Lbl": {"LI", "Note"}, "LBody": {"LI"},
    "TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
    "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"},
    "TOCI": {"TOC"},
}
# ... and what elements it may hold.
KIDS = {
    "L": {"LI", "L", "Caption"}, "LI": {"Lbl", "LBody"},
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}, "TR": {"TH", "TD"},
    "TOC": {"TOCI", "TOC", "Caption"},
}

# The checkpoint of each list, table and TOC type.
CHECKPOINT = {}
for _types, _cp in (("L LI Lbl LBody", "09-005"),
                    ("Table TR TH TD THead TBody TFoot", "09-004"),
                    ("TOC TOCI", "09-006")):
    CHECKPOINT.update(dict.fromkeys(_types.split(), _cp))

PAINT = {
    "Tj": "text", "TJ": "text", "'": "text", '"': "text",
    "S": "path", "s": "path", "f": "path", "F": "path", "f*": "path",
    "B": "path", "B*": "path", "b": "path", "b*": "path",
    "Do": "XObject", "sh": "shading", "EI": "inline image",
    "INLINE IMAGE": "inline image",
}
OPERATORS = " ".join(sorted(set(PAINT) - {"INLINE IMAGE"})) + \
    " BMC BDC EMC Tf"
ARTIFACT_TYPES = {"/Pagination", "/Layout", "/Page", "/Background"}
ARTIFACT_SUBTYPES = {"/Header", "/Footer", "/Watermark"}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


class Problems:
    """The problems of one file, at most LIMIT lines of each kind (the
    message's format string)."""
    LIMIT = 20

    def __init__(self, path):
        self.path = path
        self.lines = []
        self.kinds = {}

    def add(self, fmt, *args, page=None):
        n = self.kinds[fmt] = self.kinds.get(fmt, 0) + 1
        if n > self.LIMIT:
            return
        msg = fmt % args if args else fmt
        if page is not None:
            msg = "page %d: %s" % (page, msg)
        self.lines.append("%s: %s" % (self.path, msg))

    def at(self, page, fmt, *args):
        """A problem on page PAGE, of one kind whatever the page."""
        self.add(fmt, *args, page=page)

    def finish(self):
        for fmt, n in self.kinds.items():
            if n > self.LIMIT:
                self.lines.append("%s: and %d more like \"%s\""
                                  % (self.path, n - self.LIMIT, fmt))
        return self.lines


def key(obj):
    """An indirect object's (number, generation), None for a direct one."""
    g = obj.objgen
    return g if g[0] else None


# pikepdf's isinstance(obj, Dictionary) and the like go through a
# metaclass; comparing the type code directly costs a third as much, which
# counts on a tree of a few hundred thousand elements.
OBJECT = pikepdf.Object
DICT, ARRAY = pikepdf.ObjectType.dictionary, pikepdf.ObjectType.array
NAME, STRING = pikepdf.ObjectType.name_, pikepdf.ObjectType.string


def is_dict(obj):
    return type(obj) is OBJECT and obj._type_code == DICT


def is_array(obj):
    return type(obj) is OBJECT and obj._type_code == ARRAY


def is_name(obj):
    return type(obj) is OBJECT and obj._type_code == NAME


def nonempty(obj):
    return type(obj) is OBJECT and obj._type_code == STRING and \
        str(obj) != ""


def as_list(obj):
    """An array's items (pikepdf's as_list: list() of a long Array takes
    quadratic time), or [obj]."""
    if obj is None:
        return []
    return obj.as_list() if is_array(obj) else [obj]


# --- XMP ---------------------------------------------------------------------

def xmp_root(pdf, problems):
    md = pdf.Root.get("/Metadata")
    if md is None or not isinstance(md, pikepdf.Stream):
        problems.add("no XMP metadata stream [06-001]")
        return None
    try:
        return ET.fromstring(md.read_bytes())
    except ET.ParseError as e:
        problems.add("the XMP is not XML: %s", e)
        return None


def xmp_value(root, prefix, name):
    """The text of PREFIX:NAME in any rdf:Description, as an element or
    as an attribute; None when it is in none."""
    tag = "{%s}%s" % (NS[prefix], name)
    for d in root.iter("{%s}Description" % NS["rdf"]):
        if tag in d.attrib:
            return d.attrib[tag]
        hit = d.find(tag)
        if hit is not None:
            return (hit.text or "").strip()
    return None


def field(node, prefix, name):
    """PREFIX:NAME of a resource node (rdf:parseType="Resource", or an
    rdf:Description inside it, or an attribute of either)."""
    tag = "{%s}%s" % (NS[prefix], name)
    for n in [node] + node.findall("rdf:Description", NS):
        if tag in n.attrib:
            return n.attrib[tag]
        hit = n.find(tag)
        if hit is not None:
            return hit
    return None


def field_text(node, prefix, name):
    f = field(node, prefix, name)
    if f is None or isinstance(f, str):
        return f
    return (f.text or "").strip()


def check_extension_schema(root, problems):
    schemas = []
    for s in root.iter("{%s}schemas" % NS["pdfaExtension"]):
        schemas += s.findall("rdf:Bag/rdf:li", NS)
    ua = [li for li in schemas
          if field_text(li, "pdfaSchema", "namespaceURI") == PDFUA_NS]
    if not ua:
        problems.add("pdfaid:part but no PDF/A extension schema declares "
                     "%s", PDFUA_NS)
        return
    li = ua[0]
    if field_text(li, "pdfaSchema", "prefix") != "pdfuaid":
        problems.add("the extension schema of %s has prefix %r, not "
                     "pdfuaid", PDFUA_NS,
                     field_text(li, "pdfaSchema", "prefix"))
    if not field_text(li, "pdfaSchema", "schema"):
        problems.add("the extension schema of %s has no pdfaSchema:schema",
                     PDFUA_NS)
    props = field(li, "pdfaSchema", "property")
    items = [] if props is None or isinstance(props, str) else \
        props.findall("rdf:Seq/rdf:li", NS)
    part = [p for p in items
            if field_text(p, "pdfaProperty", "name") == "part"]
    if not part:
        problems.add("the extension schema of %s does not declare the "
                     "property part", PDFUA_NS)
        return
    p = part[0]
    for name, want in (("valueType", "Integer"), ("category", "internal")):
        got = field_text(p, "pdfaProperty", name)
        if got != want:
            problems.add("the extension schema's pdfuaid:part has "
                         "pdfaProperty:%s %r, not %s", name, got, want)
    if not field_text(p, "pdfaProperty", "description"):
        problems.add("the extension schema's pdfuaid:part has no "
                     "pdfaProperty:description")


def uses_pdfua(root):
    """Whether the XMP has a property in the pdfuaid namespace or an
    extension schema that declares it."""
    for node in root.iter():
        if node.tag.startswith("{%s}" % PDFUA_NS) or any(
                a.startswith("{%s}" % PDFUA_NS) for a in node.attrib):
            return True
    return any(field_text(li, "pdfaSchema", "namespaceURI") == PDFUA_NS
               for s in root.iter("{%s}schemas" % NS["pdfaExtension"])
               for li in s.findall("rdf:Bag/rdf:li", NS))


def check_xmp(pdf, problems):
    root = xmp_root(pdf, problems)
    if root is None:
        return
    titles = [li.text or "" for li in root.iterfind(
        ".//dc:title/rdf:Alt/rdf:li", NS)]
    if not any(t.strip() for t in titles):
        problems.add("no non-empty dc:title in the XMP [06-003]")
    part = xmp_value(root, "pdfuaid", "part")
    if part != "1":
        problems.add("no pdfuaid:part 1 in the XMP (%r) [06-002]", part)
    if xmp_value(root, "pdfaid", "part") is not None:
        check_extension_schema(root, problems)


# --- catalog -----------------------------------------------------------------

def check_catalog(pdf, problems):
    root = pdf.Root
    mi = root.get("/MarkInfo")
    if not is_dict(mi) or mi.get("/Marked") is not True:
        problems.add("no /MarkInfo /Marked true")
    elif mi.get("/Suspects") is True:
        problems.add("/MarkInfo /Suspects true [01-007]")
    if not is_dict(root.get("/StructTreeRoot")):
        problems.add("no /StructTreeRoot")
    if not nonempty(root.get("/Lang")):
        problems.add("no non-empty /Lang in the catalog [11-001]")
    vp = root.get("/ViewerPreferences")
    if not is_dict(vp) or vp.get("/DisplayDocTitle") is not True:
        problems.add("no /ViewerPreferences /DisplayDocTitle true "
                     "[07-001, 07-002]")
    check_xmp(pdf, problems)


# --- content streams ---------------------------------------------------------

class PageContent:
    """What the content stream of one page holds."""

    def __init__(self, number):
        self.number = number
        self.mcids = set()
        self.fonts = set()
        self.tagged = 0     # marked-content sequences with an MCID
        self.artifacts = 0  # /Artifact sequences


def resources(page):
    node = page
    for _ in range(64):
        if node is None:
            return None
        r = node.get("/Resources")
        if r is not None:
            return r
        node = node.get("/Parent")
    return None


def check_content(page, number, res, problems):
    out = PageContent(number)
    try:
        ops = pikepdf.parse_content_stream(page, OPERATORS)
    except pikepdf.PdfError as e:
        problems.at(number, "the content stream cannot be parsed: %s", e)
        return out
    props_res = res.get("/Properties") if is_dict(res) else None
    stack = []          # per open sequence: "A", "M" or "O"
    art = 0             # open /Artifact sequences
    mcid_open = []      # MCIDs of the open tagged sequences
    outside = {}        # painting operator kind -> (operator, count)
    seen = {}
    for inst in ops:
        op = str(inst.operator)
        kind = PAINT.get(op)
        if kind is not None:
            if not art and not mcid_open:
                o, n = outside.get(kind, (op, 0))
                outside[kind] = (o, n + 1)
            continue
        if op == "Tf":
            if len(inst.operands) >= 1:
                out.fonts.add(str(inst.operands[0]))
            continue
        if op == "EMC":
            if not stack:
                problems.at(number, "EMC with no open marked-content "
                            "sequence")
                continue
            top = stack.pop()
            if top == "A":
                art -= 1
            elif top == "M":
                mcid_open.pop()
            continue
        if op not in ("BMC", "BDC") or not inst.operands:
            continue
        tag = str(inst.operands[0])
        props = None
        if op == "BDC" and len(inst.operands) >= 2:
            props = inst.operands[1]
            if is_name(props):
                named = props_res.get(props) if is_dict(props_res) else None
                if not is_dict(named):
                    problems.at(number, "BDC names properties %s that the "
                                "page's /Properties does not have",
                                str(props))
                props = named
        mcid = props.get("/MCID") if is_dict(props) else None
        if tag == "/Artifact":
            out.artifacts += 1
            if mcid_open:
                problems.at(number, "an artifact inside tagged content "
                            "(MCID %d) [01-003]", mcid_open[-1])
            if mcid is not None:
                problems.at(number, "an /Artifact sequence with an MCID")
            if is_dict(props):
                t, st = props.get("/Type"), props.get("/Subtype")
                if t is not None and str(t) not in ARTIFACT_TYPES:
                    problems.at(number, "an artifact of /Type %s", str(t))
                if st is not None and str(st) not in ARTIFACT_SUBTYPES:
                    problems.at(number, "an artifact of /Subtype %s",
                                str(st))
            stack.append("A")
            art += 1
        elif type(mcid) is int:
            out.tagged += 1
            if art:
                problems.at(number, "tagged content (MCID %d) inside an "
                            "artifact [01-004]", mcid)
            if mcid_open:
                problems.at(number, "MCID %d inside the sequence of MCID "
                            "%d", mcid, mcid_open[-1])
            seen[mcid] = seen.get(mcid, 0) + 1
            if seen[mcid] == 2:
                problems.at(number, "MCID %d marks more than one "
                            "sequence", mcid)
            out.mcids.add(mcid)
            stack.append("M")
            mcid_open.append(mcid)
        else:
            if mcid is not None:
                problems.at(number, "%s with /MCID %r, not an integer",
                            tag, mcid)
            stack.append("O")
    for kind, (op, n) in outside.items():
        problems.at(number, "%d %s operator%s (%s) outside marked content "
                    "[01-005]", n, kind, "" if n == 1 else "s", op)
    if stack:
        problems.at(number, "%d marked-content sequence%s not closed",
                    len(stack), "" if len(stack) == 1 else "s")
    return out


def font_problem(font):
    if not is_dict(font):
        return "is not a font dictionary"
    st = font.get("/Subtype")
    if st == "/Type3":
        return None
    if st == "/Type0":
        desc = font.get("/DescendantFonts")
        if not is_array(desc) or len(desc) != 1 or not is_dict(desc[0]):
            return "is a Type0 font without one descendant font"
        fd = desc[0].get("/FontDescriptor")
        if font.get("/ToUnicode") is None:
            return "is a Type0 font without /ToUnicode [10-001]"
    else:
        fd = font.get("/FontDescriptor")
    if not is_dict(fd) or not any(k in fd for k in FONT_FILES):
        return "is not embedded [31-009]"
    return None


def check_fonts(page, res, names, cache, problems):
    fonts = res.get("/Font") if is_dict(res) else None
    for name in sorted(names):
        f = fonts.get(name) if is_dict(fonts) else None
        if f is None:
            problems.add("page %d: font %s is not in the page's resources",
                         page.number, name)
            continue
        k = key(f)
        if k is None:
            problem = font_problem(f)
        else:
            if k not in cache:
                cache[k] = font_problem(f)
            problem = cache[k]
        if problem:
            base = f.get("/BaseFont") if is_dict(f) else None
            problems.add("page %d: font %s (%s) %s", page.number, name,
                         str(base), problem)


# --- structure tree ----------------------------------------------------------

class Tree:
    """The structure elements, numbered in depth-first order."""

    def __init__(self):
        self.std = []       # standard type of each element (or its /S)
        self.obj = []       # element number -> its dictionary's objgen
        self.index = {}     # objgen -> element number
        self.claims = {}    # (page objgen, MCID) -> [element numbers]
        self.objr = {}      # annotation objgen -> (element, page objgen)
        self.links = {}     # element number of a Link -> number of OBJRs
        self.ids = {}       # /ID -> element number

    def name(self, i):
        """Element i for a message: "<H1> (obj 12)"."""
        if self.obj[i] is None:
            return "<%s>" % self.std[i]
        return "<%s> (obj %d)" % (self.std[i], self.obj[i][0])


def role_resolver(root, problems):
    rolemap = root.get("/RoleMap")
    cache = {}

    def resolve(s):
        if s in cache:
            return cache[s]
        name, seen = s, []
        while name not in STANDARD:
            seen.append(name)
            to = rolemap.get("/" + name) if is_dict(rolemap) else None
            if not is_name(to):
                problems.add("structure type %s is not standard and not "
                             "mapped to a standard type [02-001]", s)
                name = s
                break
            name = str(to)[1:]
            if name in seen:
                problems.add("the /RoleMap maps %s in a circle [02-002]", s)
                name = s
                break
        cache[s] = name
        return name

    if is_dict(rolemap):
        for k in rolemap.keys():
            if k[1:] in STANDARD:
                problems.add("the /RoleMap remaps the standard type %s",
                             k[1:])
    return resolve


def attributes(elem, classmap):
    """The attribute dictionaries of an element, from /A and /C."""
    out = [a for a in as_list(elem.get("/A")) if is_dict(a)]
    if is_dict(classmap):
        for c in as_list(elem.get("/C")):
            if is_name(c):
                out += [a for a in as_list(classmap.get(c)) if is_dict(a)]
    return out


def has_scope(elem, classmap):
    return any(a.get("/O") == "/Table"
               and str(a.get("/Scope")) in ("/Row", "/Column", "/Both")
               for a in attributes(elem, classmap))


def spans(elem, classmap):
    """A table cell's (ColSpan, RowSpan), 1 where not given."""
    cs = rs = 1
    for a in attributes(elem, classmap):
        if a.get("/O") == "/Table":
            c, r = a.get("/ColSpan"), a.get("/RowSpan")
            cs = c if type(c) is int and c > 0 else cs
            rs = r if type(r) is int and r > 0 else rs
    return cs, rs


def row_widths(rows):
    """The number of grid positions each row of a table fills, its cells
    given as (ColSpan, RowSpan) and placed left to right, after the cells
    of earlier rows that span down into it."""
    taken = set()
    widths = [0] * len(rows)
    for r, cells in enumerate(rows):
        col = 0
        for cs, rs in cells:
            while (r, col) in taken:
                col += 1
            for dr in range(min(rs, len(rows) - r)):
                for dc in range(cs):
                    taken.add((r + dr, col + dc))
                widths[r + dr] += cs
            col += cs
    return widths


def walk_tree(pdf, pages, problems):
    """Walks the structure tree from the StructTreeRoot, depth first."""
    tree = Tree()
    root = pdf.Root.get("/StructTreeRoot")
    if not is_dict(root):
        return tree
    if root.get("/Type") not in (None, "/StructTreeRoot"):
        problems.add("the StructTreeRoot has /Type %s", str(root.get("/Type")))
    resolve = role_resolver(root, problems)
    classmap = root.get("/ClassMap")
    root_key = key(root)
    std, objs, index, claims = tree.std, tree.obj, tree.index, tree.claims
    parent_of = []      # element number -> parent's element number or -1
    content = []        # element number -> MCIDs and OBJRs directly in it
    headings = []       # (number, level) of H1-H6 in depth-first order
    plain_h = []
    tables = {}         # Table element -> its TR elements
    cells = {}          # TR element -> (ColSpan, RowSpan) of its cells
    ids = tree.ids
    h_kids = {}         # element -> H elements in it

    name = tree.name

    # (element, parent number, parent objgen, inherited /Pg, table)
    kids = as_list(root.get("/K"))
    if not kids:
        problems.add("the StructTreeRoot has no /K")
    stack = [(k, -1, root_key, None, -1) for k in reversed(kids)]
    while stack:
        elem, parent, pkey, pg, table = stack.pop()
        where = name(parent) if parent >= 0 else "the StructTreeRoot"
        if not is_dict(elem):
            problems.add("%s has a kid that is not a dictionary: %r",
                         where, elem)
            continue
        ek = key(elem)
        if ek is None:
            problems.add("%s has a structure element that is not an "
                         "indirect object", where)
        elif ek in index:
            problems.add("%s is reached a second time, from %s",
                         name(index[ek]), where)
            continue
        i = len(std)
        s = elem.get("/S")
        if not is_name(s):
            problems.add("a structure element in %s without /S", where)
            s = "?"
        else:
            s = resolve(str(s)[1:])
        std.append(s)
        objs.append(ek)
        parent_of.append(parent)
        content.append(0)
        if ek is not None:
            index[ek] = i
        if elem.get("/Type") not in (None, "/StructElem"):
            problems.add("%s has /Type %s", name(i), str(elem.get("/Type")))
        p = elem.get("/P")
        pk = key(p) if type(p) is OBJECT else None
        if pk is None or pk != pkey:
            got = "none" if p is None else "a direct object"
            if pk is not None:
                got = name(index[pk]) if pk in index else "obj %d" % pk[0]
            problems.add("%s has /P %s, not its parent %s", name(i), got,
                         where)
        ps = std[parent] if parent >= 0 else None
        if s in PARENTS and ps not in PARENTS[s]:
            problems.add("%s is in %s, not in %s [%s]", name(i), where,
                         " or ".join(sorted(PARENTS[s])), CHECKPOINT[s])
        elif ps in KIDS and s not in KIDS[ps]:
            problems.add("%s holds %s [%s]", where, name(i), CHECKPOINT[ps])
        own_pg = elem.get("/Pg")
        if own_pg is not None:
            own_pg = key(own_pg) if type(own_pg) is OBJECT else None
            if own_pg not in pages:
                problems.add("%s has a /Pg that is not a page", name(i))
            else:
                pg = own_pg
        if s in HEADINGS:
            headings.append((i, HEADINGS[s]))
        elif s == "H":
            plain_h.append(i)
            h_kids[parent] = h_kids.get(parent, 0) + 1
        if s == "Table":
            table = i
            tables[i] = []
        elif s == "TR":
            cells[i] = []
            if table >= 0:
                tables[table].append(i)
        elif s == "TH" or s == "TD":
            if s == "TH" and not has_scope(elem, classmap):
                problems.add("%s has no /Scope (/Row, /Column or /Both) in "
                             "a /Table attribute [15-003]", name(i))
            if ps == "TR":
                cells[parent].append(spans(elem, classmap))
        eid = elem.get("/ID")
        if type(eid) is OBJECT and eid._type_code == STRING and bytes(eid):
            if bytes(eid) in ids:
                problems.add("%s has the /ID %r of %s%s", name(i), str(eid),
                             name(ids[bytes(eid)]),
                             " [19-004]" if s == "Note" else "")
            else:
                ids[bytes(eid)] = i
        elif s == "Note":
            problems.add("%s has no /ID [19-003]", name(i))
        elif s == "Figure":
            if not (nonempty(elem.get("/Alt"))
                    or nonempty(elem.get("/ActualText"))):
                problems.add("%s without /Alt [13-004]", name(i))
        elif s == "Formula":
            if not nonempty(elem.get("/Alt")):
                problems.add("%s without /Alt [17-002]", name(i))
        if s == "Link":
            tree.links[i] = 0
        k = elem.get("/K")
        items = as_list(k)
        if not items and s != "TD" and s != "TH":
            problems.add("%s is empty: it has no kids", name(i))
        sub = []
        for kid in items:
            if type(kid) is int:
                if pg is None:
                    problems.add("%s holds MCID %d but neither it nor an "
                                 "ancestor has a /Pg", name(i), kid)
                    continue
                claims.setdefault((pg, kid), []).append(i)
                content[i] += 1
                continue
            if not is_dict(kid):
                problems.add("%s has a kid that is neither an element, an "
                             "MCID, an MCR nor an OBJR: %r", name(i), kid)
                continue
            t = kid.get("/Type")
            if t == "/StructElem":
                sub.append(kid)
            elif t == "/MCR" or (t is None and "/MCID" in kid):
                m = kid.get("/MCID")
                kpg = kid.get("/Pg")
                page = key(kpg) if is_dict(kpg) else pg
                if kpg is not None and page not in pages:
                    problems.add("%s has an MCR whose /Pg is not a page",
                                 name(i))
                    continue
                if "/Stm" in kid:
                    problems.add("%s has an MCR into a stream (/Stm), "
                                 "which is not checked", name(i))
                    continue
                if not isinstance(m, int) or page is None:
                    problems.add("%s has an MCR without an integer /MCID "
                                 "and a page", name(i))
                    continue
                claims.setdefault((page, m), []).append(i)
                content[i] += 1
            elif t == "/OBJR":
                obj = kid.get("/Obj")
                kpg = kid.get("/Pg")
                page = key(kpg) if is_dict(kpg) else pg
                if not is_dict(obj) or key(obj) is None:
                    problems.add("%s has an OBJR without an indirect /Obj",
                                 name(i))
                    continue
                if key(obj) in tree.objr:
                    problems.add("%s has an OBJR to obj %d, which another "
                                 "OBJR names too", name(i), key(obj)[0])
                tree.objr[key(obj)] = (i, page)
                content[i] += 1
                if i in tree.links:
                    tree.links[i] += 1
            else:
                sub.append(kid)
        for kid in reversed(sub):
            stack.append((kid, i, ek, pg, table))

    # Marked content under each element, children before parents.
    total = content[:]
    for i in range(len(std) - 1, -1, -1):
        if parent_of[i] >= 0:
            total[parent_of[i]] += total[i]
    for i, s in enumerate(std):
        if s == "Note" and total[i] == 0:
            problems.add("%s has no marked content under it", name(i))
    for i, n in h_kids.items():
        if n > 1:
            problems.add("%s holds %d H elements [14-006]",
                         name(i) if i >= 0 else "the StructTreeRoot", n)
    for t, rows in tables.items():
        if not rows:
            problems.add("%s has no TR [09-004]", name(t))
            continue
        widths = row_widths([cells[r] for r in rows])
        if len(set(widths)) > 1:
            short = [n for n, w in enumerate(widths, 1) if w < max(widths)]
            problems.add("%s has rows of %s cells (row%s %s of %d: fewer "
                         "than %d; an empty cell is an empty TD)", name(t),
                         " and ".join(map(str, sorted(set(widths)))),
                         "" if len(short) == 1 else "s",
                         ", ".join(map(str, short[:5])) +
                         (" ..." if len(short) > 5 else ""), len(widths),
                         max(widths))
    for i, n in tree.links.items():
        if n == 0:
            problems.add("%s holds no OBJR of a link annotation", name(i))
    if headings and plain_h:
        problems.add("both H (%s) and numbered headings (%s) [14-007]",
                     name(plain_h[0]), name(headings[0][0]))
    if headings and headings[0][1] != 1:
        problems.add("the first numbered heading is %s, not H1 [14-002]",
                     name(headings[0][0]))
    for (a, la), (b, lb) in zip(headings, headings[1:]):
        if lb > la + 1:
            problems.add("heading level skipped: %s after %s [14-003]",
                         name(b), name(a))
    return tree


def show(k):
    return str(k) if type(k) is int else repr(k.decode("latin-1"))


def number_tree(root, problems, what, leaf="/Nums"):
    """The key -> value pairs of a number tree (or with LEAF "/Names", of
    a name tree, its keys as bytes), walked in order."""
    pairs = []
    seen = set()
    numbers = leaf == "/Nums"

    def as_key(k):
        if numbers:
            return k if type(k) is int else None
        if type(k) is OBJECT and k._type_code == STRING:
            return bytes(k)
        return None

    def visit(node, depth, is_root):
        if depth > 32 or not is_dict(node):
            problems.add("%s has a node that is not a dictionary or is too "
                         "deep", what)
            return None
        k = key(node)
        if k is not None:
            if k in seen:
                problems.add("%s reaches node obj %d twice", what, k[0])
                return None
            seen.add(k)
        first = len(pairs)
        if leaf in node:
            items = node.get(leaf)
            items = as_list(items) if is_array(items) else [None]
            if len(items) % 2:
                problems.add("%s has %s that is not an array of pairs",
                             what, leaf)
                return None
            for j in range(0, len(items), 2):
                k = as_key(items[j])
                if k is None:
                    problems.add("%s has a key that is not a%s: %r", what,
                                 "n integer" if numbers else " string",
                                 items[j])
                    continue
                pairs.append((k, items[j + 1]))
        elif "/Kids" in node:
            for kid in as_list(node.get("/Kids")):
                visit(kid, depth + 1, False)
        else:
            problems.add("%s has a node with neither %s nor /Kids", what,
                         leaf)
        keys = [p[0] for p in pairs[first:]]
        limits = node.get("/Limits")
        if is_root:
            if limits is not None and "/Kids" in node:
                problems.add("%s's root has /Limits", what)
        elif keys:
            want = [min(keys), max(keys)]
            got = [as_key(x) for x in as_list(limits)] \
                if is_array(limits) else None
            if got != want:
                problems.add("%s has a node with /Limits %s, but its keys "
                             "run from %s to %s", what,
                             "[%s]" % ", ".join(show(x) if x is not None
                                                else "?" for x in got)
                             if got is not None else limits,
                             show(want[0]), show(want[1]))
        return None

    visit(root, 0, True)
    for (a, _), (b, _) in zip(pairs, pairs[1:]):
        if b <= a:
            problems.add("%s's keys are not in increasing order (%s after "
                         "%s)", what, show(b), show(a))
            break
    return pairs


def check_ids(pdf, tree, problems):
    """The IDTree against the elements' /ID."""
    root = pdf.Root.get("/StructTreeRoot")
    it = root.get("/IDTree")
    if it is None:
        if tree.ids:
            problems.add("elements have an /ID but the StructTreeRoot has "
                         "no /IDTree")
        return
    named = {}
    for k, v in number_tree(it, problems, "the IDTree", "/Names"):
        i = tree.index.get(key(v)) if type(v) is OBJECT else None
        if i is None:
            problems.add("the IDTree maps %s to an object outside the "
                         "structure tree", show(k))
        elif tree.ids.get(k) != i:
            problems.add("the IDTree maps %s to %s, whose /ID is not %s",
                         show(k), tree.name(i), show(k))
        named[k] = i
    for k, i in tree.ids.items():
        if k not in named:
            problems.add("%s has the /ID %s, which is not in the IDTree",
                         tree.name(i), show(k))


def check_parents(pdf, pages, content, tree, problems):
    """The ParentTree against the pages' marked content and the tree."""
    root = pdf.Root.get("/StructTreeRoot")
    pt = root.get("/ParentTree")
    values = {}
    if pt is None:
        problems.add("the StructTreeRoot has no /ParentTree")
    else:
        for k, v in number_tree(pt, problems, "the ParentTree"):
            if k in values:
                problems.add("the ParentTree has key %d twice", k)
            values[k] = v
    nk = root.get("/ParentTreeNextKey")
    if not isinstance(nk, int):
        problems.add("the StructTreeRoot has no /ParentTreeNextKey")
    elif values and nk <= max(values):
        problems.add("/ParentTreeNextKey %d is not above the ParentTree's "
                     "greatest key %d", nk, max(values))
    used = {}
    name = tree.name
    for pk, n in pages.items():
        page = pdf.pages[n - 1].obj
        mcids = content[n].mcids
        sp = page.get("/StructParents")
        arr = None
        if sp is None:
            if mcids:
                problems.add("page %d: marked content but no "
                             "/StructParents", n)
        elif not isinstance(sp, int):
            problems.add("page %d: /StructParents %r is not an integer", n,
                         sp)
        else:
            if sp in used:
                problems.add("page %d: /StructParents %d is also %s's", n,
                             sp, used[sp])
            used[sp] = "page %d" % n
            arr = values.get(sp)
            if not is_array(arr):
                problems.add("page %d: /StructParents %d, but the "
                             "ParentTree has no array at %d", n, sp, sp)
                arr = None
            else:
                arr = as_list(arr)
        for m in sorted(mcids):
            owners = tree.claims.get((pk, m), [])
            if not owners:
                problems.add("page %d: MCID %d belongs to no structure "
                             "element", n, m)
                continue
            if len(owners) > 1:
                problems.add("page %d: MCID %d is claimed by %d elements: "
                             "%s", n, m, len(owners),
                             ", ".join(name(o) for o in owners))
                continue
            if arr is None:
                continue
            got = arr[m] if m < len(arr) else None
            if not is_dict(got) or key(got) != tree.obj[owners[0]]:
                if is_dict(got) and key(got) in tree.index:
                    got = name(tree.index[key(got)])
                elif got is not None:
                    got = "an object outside the structure tree"
                problems.add("page %d: MCID %d belongs to %s, but the "
                             "ParentTree's entry %d/%d is %s", n, m,
                             name(owners[0]), sp, m, got)
        if arr is not None:
            for m, v in enumerate(arr):
                if v is not None and m not in mcids:
                    problems.add("page %d: the ParentTree's entry %d/%d is "
                                 "not null but the page has no MCID %d", n,
                                 sp, m, m)
    for (pk, m), owners in tree.claims.items():
        n = pages.get(pk)
        if n is None or m not in content[n].mcids:
            for o in owners:
                problems.add("%s claims MCID %d on page %s, which that "
                             "page's content does not have", name(o), m, n)
    return values, used


def check_annotations(pdf, pages, tree, values, used, tagged, problems):
    links = 0
    seen = set()
    for pk, n in pages.items():
        page = pdf.pages[n - 1].obj
        annots = page.get("/Annots")
        if annots is None or not len(annots):
            continue
        if page.get("/Tabs") != "/S":
            problems.add("page %d: annotations but no /Tabs /S "
                         "[28-008, 28-009]", n)
        for a in annots:
            if not is_dict(a):
                continue
            st = str(a.get("/Subtype"))
            ak = key(a)
            seen.add(ak)
            what = "a %s annotation" % st
            if st == "/Link":
                links += 1
                if a.get("/F") != 4:
                    problems.at(n, what + " with /F %r, not 4", a.get("/F"))
                if not nonempty(a.get("/Contents")):
                    problems.at(n, what + " without /Contents [28-012]")
            if not tagged:
                continue
            sp = a.get("/StructParent")
            if not isinstance(sp, int):
                problems.at(n, what + " without /StructParent [%s]",
                            "28-011" if st == "/Link" else "28-002")
                continue
            if sp in used:
                problems.at(n, what + " has /StructParent %d, which is also "
                            "%s's", sp, used[sp])
            used[sp] = "an annotation on page %d" % n
            el = values.get(sp)
            if not is_dict(el) or key(el) not in tree.index:
                problems.at(n, what + " has /StructParent %d, but the "
                            "ParentTree's value there is not an element",
                            sp)
                continue
            i = tree.index[key(el)]
            want = {"/Link": "Link", "/Widget": "Form"}.get(st, "Annot")
            if tree.std[i] != want:
                problems.at(n, what + " belongs to %s, not to a %s element "
                            "[28-011, 28-002]", tree.name(i), want)
            owner = tree.objr.get(ak)
            if owner is None or owner[0] != i:
                problems.at(n, what + " is not an OBJR kid of %s, the "
                            "element its /StructParent names",
                            tree.name(i))
            elif owner[1] != pk:
                problems.at(n, what + " is in an OBJR whose page is not the "
                            "annotation's")
    for ak, (i, _) in tree.objr.items():
        if ak not in seen:
            problems.add("%s has an OBJR to obj %d, which is not an "
                         "annotation of a page", tree.name(i), ak[0])
    return links


# --- one file ----------------------------------------------------------------

def open_pdf(path):
    """The PDF at PATH, read from memory: qpdf then loads each object
    about a third faster than from the file."""
    with open(path, "rb") as f:
        return pikepdf.open(io.BytesIO(f.read()))


def check_file(path):
    problems = Problems(path)
    counts = [0, 0, 0, 0]
    try:
        pdf = open_pdf(path)
    except (pikepdf.PdfError, OSError) as e:
        problems.add("cannot be opened: %s", e)
        return problems.finish(), counts
    with pdf:
        check_catalog(pdf, problems)
        pages = {}
        content = {}
        fonts = {}
        for n, page in enumerate(pdf.pages, 1):
            pages[page.obj.objgen] = n
        for n, page in enumerate(pdf.pages, 1):
            res = resources(page.obj)
            c = check_content(page, n, res, problems)
            check_fonts(c, res, c.fonts, fonts, problems)
            content[n] = c
            counts[1] += c.tagged
            counts[2] += c.artifacts
        tree = walk_tree(pdf, pages, problems)
        counts[0] = len(tree.std)
        values, used = {}, {}
        tagged = is_dict(pdf.Root.get("/StructTreeRoot"))
        if tagged:
            values, used = check_parents(pdf, pages, content, tree, problems)
            check_ids(pdf, tree, problems)
        counts[3] = check_annotations(pdf, pages, tree, values, used, tagged,
                                      problems)
        for k in sorted(values):
            if k not in used:
                problems.add("the ParentTree's key %d is used by no page "
                             "and no annotation", k)
    return problems.finish(), counts


def check_untagged(path):
    problems = Problems(path)
    try:
        pdf = open_pdf(path)
    except (pikepdf.PdfError, OSError) as e:
        problems.add("cannot be opened: %s", e)
        return problems.finish()
    with pdf:
        if "/StructTreeRoot" in pdf.Root:
            problems.add("a /StructTreeRoot in an untagged file")
        if "/MarkInfo" in pdf.Root:
            problems.add("a /MarkInfo in an untagged file")
        root = xmp_root(pdf, Problems(path))
        if root is not None and uses_pdfua(root):
            problems.add("the XMP has pdfuaid properties or declares them "
                         "in an untagged file")
        for n, page in enumerate(pdf.pages, 1):
            if "/StructParents" in page.obj:
                problems.add("page %d: /StructParents in an untagged file",
                             n)
            for a in page.obj.get("/Annots") or []:
                if is_dict(a) and "/StructParent" in a:
                    problems.add("page %d: an annotation with /StructParent "
                                 "in an untagged file", n)
    return problems.finish()


# --- self-test ---------------------------------------------------------------

FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"

XMP_EXTENSION = "".join((
    '   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\n',
    "    <pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>\n",
    "    <pdfaSchema:namespaceURI>%s</pdfaSchema:namespaceURI>\n" % PDFUA_NS,
    "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
    "    <pdfaSchema:property><rdf:Seq>"
    '<rdf:li rdf:parseType="Resource">\n',
    "     <pdfaProperty:name>part</pdfaProperty:name>\n",
    "     <pdfaProperty:valueType>%(type)s</pdfaProperty:valueType>\n",
    "     <pdfaProperty:category>internal</pdfaProperty:category>\n",
    "     <pdfaProperty:description>The part of ISO 14289 the document "
    "follows</pdfaProperty:description>\n",
    "    </rdf:li></rdf:Seq></pdfaSchema:property>\n",
    "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"))


def xmp(title="A tagged test", pdfua=True, pdfa=True, extension=True,
        value_type="Integer"):
    body = ["   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s"
            "</rdf:li></rdf:Alt></dc:title>\n" % title]
    if pdfa:
        body.append("   <pdfaid:part>2</pdfaid:part>\n"
                    "   <pdfaid:conformance>B</pdfaid:conformance>\n")
    if pdfua:
        body.append("   <pdfuaid:part>1</pdfuaid:part>\n")
    if pdfa and pdfua and extension:
        body.append(XMP_EXTENSION.replace("%(type)s", value_type))
    ns = " ".join('xmlns:%s="%s"' % (p, u) for p, u in NS.items()
                  if p != "rdf")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            ' <rdf:RDF xmlns:rdf="%s">\n'
            '  <rdf:Description rdf:about="" %s>\n%s'
            '  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n'
            '<?xpacket end="w"?>' % (NS["rdf"], ns, "".join(body))
            ).encode("utf-8")


PAGE1 = b"""\
/Artifact <</Type /Pagination /Subtype /Header>> BDC
BT /F1 9 Tf 72 800 Td (Page 1 of 2) Tj ET
EMC
/H1 <</MCID 0>> BDC BT /F1 20 Tf 72 760 Td (A tagged test) Tj ET EMC
/H2 <</MCID 1>> BDC BT /F1 14 Tf 72 730 Td (First part) Tj ET EMC
/P <</MCID 2>> BDC BT /F1 11 Tf 72 700 Td (Read the) Tj ET EMC
/Link <</MCID 3>> BDC BT /F1 11 Tf 130 700 Td (source) Tj ET EMC
/Lbl <</MCID 4>> BDC BT /F1 11 Tf 72 670 Td (1.) Tj ET EMC
/LBody <</MCID 5>> BDC BT /F1 11 Tf 90 670 Td (An item) Tj ET EMC
/Artifact BMC 0.5 w 72 650 m 520 650 l S EMC
"""

PAGE2 = b"""\
/Artifact <</Type /Pagination /Subtype /Header>> BDC
BT /F1 9 Tf 72 800 Td (Page 2 of 2) Tj ET
EMC
/TH <</MCID 0>> BDC BT /F1 11 Tf 72 760 Td (Date) Tj ET EMC
/TD <</MCID 1>> BDC BT /F1 11 Tf 72 740 Td (18 March) Tj ET EMC
/Artifact <</Type /Layout>> BDC 0.9 g 70 735 200 40 re f EMC
/Footnote <</MCID 2>> BDC BT /F1 8 Tf 72 100 Td (1. A note.) Tj ET EMC
/TH <</MCID 3>> BDC BT /F1 11 Tf 200 760 Td (Place) Tj ET EMC
"""


def build(font_data, tagged=True):
    """The well-formed tagged document, and its parts by name."""
    pdf = pikepdf.new()
    ind = pdf.make_indirect
    fd = ind(Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/NotoSans-Regular"),
        Flags=32, FontBBox=[-621, -389, 2800, 1067], ItalicAngle=0,
        Ascent=1069, Descent=-293, CapHeight=714, StemV=80,
        FontFile2=pdf.make_stream(font_data, Length1=len(font_data))))
    font = ind(Dictionary(
        Type=Name.Font, Subtype=Name.TrueType,
        BaseFont=Name("/NotoSans-Regular"), FirstChar=32, LastChar=126,
        Widths=[600] * 95, Encoding=Name.WinAnsiEncoding, FontDescriptor=fd))
    res = Dictionary(Font=Dictionary(F1=font))
    for data in (PAGE1, PAGE2):
        pdf.pages.append(pikepdf.Page(Dictionary(
            Type=Name.Page, MediaBox=[0, 0, 595, 842], Resources=res,
            Contents=pdf.make_stream(data))))
    p1, p2 = pdf.pages[0].obj, pdf.pages[1].obj
    annot = ind(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=[128, 695, 170, 712],
        Border=[0, 0, 0], F=4, Contents=String("Link to the source"),
        A=Dictionary(S=Name.URI, URI=String("https://example.org/"))))
    p1.Annots = Array([annot])
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.Root.Lang = String("en")
    pdf.Root.Metadata = pdf.make_stream(xmp(pdfua=tagged),
                                        Type=Name.Metadata,
                                        Subtype=Name.XML)
    parts = {"pdf": pdf, "p1": p1, "p2": p2, "annot": annot, "font": font}
    if not tagged:
        for page in (p1, p2):
            page.Contents = pdf.make_stream(re.sub(
                rb"/\w+ (<<[^>]*>> )?BDC |/\w+ BMC |EMC", b"",
                page.Contents.read_bytes()))
        return parts

    root = ind(Dictionary(Type=Name.StructTreeRoot,
                          RoleMap=Dictionary(Footnote=Name.Note)))

    def elem(s, parent, kids=(), pg=None, **extra):
        e = ind(Dictionary(Type=Name.StructElem, S=Name("/" + s), P=parent,
                           K=Array(list(kids)), **extra))
        if pg is not None:
            e.Pg = pg
        parts[s] = e
        return e

    doc = elem("Document", root)
    h1 = elem("H1", doc, [0], p1)
    h2 = elem("H2", doc, [1], p1)
    para = elem("P", doc, [2], p1)
    link = elem("Link", para, [
        Dictionary(Type=Name.MCR, MCID=3, Pg=p1),
        Dictionary(Type=Name.OBJR, Obj=annot, Pg=p1)])
    para.K.append(link)
    lst = elem("L", doc, [], None, A=Dictionary(O=Name.List,
                                                ListNumbering=Name.Decimal))
    li = elem("LI", lst)
    lst.K.append(li)
    li.K.append(elem("Lbl", li, [4], p1))
    li.K.append(elem("LBody", li, [5], p1))
    table = elem("Table", doc)
    thead = elem("THead", table)
    tbody = elem("TBody", table)
    table.K = Array([thead, tbody])
    tr1 = elem("TR", thead)
    th = elem("TH", tr1, [0], p2,
              A=Dictionary(O=Name.Table, Scope=Name.Column))
    tr1.K.append(th)
    thead.K.append(tr1)
    tr2 = elem("TR", tbody)
    tr2.K.append(elem("TD", tr2, [1], p2))
    tbody.K.append(tr2)
    note = elem("Footnote", doc, [2], p2, ID=String("note-1"))
    parts["Note"] = note
    doc.K = Array([h1, h2, para, lst, table, note])
    root.K = Array([doc])
    leaf1 = ind(Dictionary(Limits=[0, 0], Nums=[0, Array([h1, h2, para,
                                                          link, parts["Lbl"],
                                                          parts["LBody"]])]))
    leaf2 = ind(Dictionary(Limits=[1, 2], Nums=[
        1, Array([th, parts["TD"], note]), 2, link]))
    root.ParentTree = ind(Dictionary(Kids=[leaf1, leaf2]))
    root.ParentTreeNextKey = 3
    root.IDTree = Dictionary(Kids=[Dictionary(
        Limits=[String("note-1"), String("note-1")],
        Names=[String("note-1"), note])])
    p1.StructParents = 0
    p2.StructParents = 1
    p1.Tabs = Name.S
    annot.StructParent = 2
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    parts.update(root=root, doc=doc, leaf1=leaf1, leaf2=leaf2, TR=tr1)
    # A second column, made last so that the numbers of the objects
    # above stay as they are: its head, and an empty cell under it.
    td = parts["TD"]
    th2 = elem("TH", tr1, [3], p2,
               A=Dictionary(O=Name.Table, Scope=Name.Column))
    tr1.K.append(th2)
    leaf2.Nums[1].append(th2)
    td2 = elem("TD", tr2)
    tr2.K.append(td2)
    parts.update(TH=th, TD=td, TD2=td2)
    return parts


def add_content(x, page, data):
    page = x[page]
    page.Contents = x["pdf"].make_stream(page.Contents.read_bytes() + data)


def replace_content(x, page, old, new):
    page = x[page]
    data = page.Contents.read_bytes()
    assert old in data, old
    page.Contents = x["pdf"].make_stream(data.replace(old, new, 1))


def set_xmp(x, data):
    x["pdf"].Root.Metadata = x["pdf"].make_stream(
        data, Type=Name.Metadata, Subtype=Name.XML)


def new_elem(x, s, parent, kids, pg=None):
    e = x["pdf"].make_indirect(Dictionary(
        Type=Name.StructElem, S=Name("/" + s), P=parent, K=Array(kids)))
    if pg is not None:
        e.Pg = pg
    parent.K.append(e)
    return e


def empty_span(x):
    new_elem(x, "Span", x["P"], [])


def li_outside_l(x):
    x["L"].S = Name.Sect


def tr_outside_table(x):
    x["TR"].P = x["doc"]
    x["doc"].K.append(x["TR"])
    x["Table"].K = Array([x["TBody"]])


def table_without_rows(x):
    x["Table"].K = Array()
    caption = new_elem(x, "Caption", x["Table"], [0, 1], x["p2"])
    x["leaf2"].Nums[1][0] = caption
    x["leaf2"].Nums[1][1] = caption


def toci_outside_toc(x):
    toc = new_elem(x, "TOC", x["doc"], [])
    new_elem(x, "TOCI", x["P"], [7], x["p2"])
    new_elem(x, "TOCI", toc, [8], x["p2"])
    add_content(x, "p2", b"/P <</MCID 7>> BDC EMC /P <</MCID 8>> BDC EMC\n")
    x["leaf2"].Nums[1].extend([None] * 4 + [x["P"].K[-1], toc.K[0]])


def note_without_content(x):
    x["Note"].K = Array()
    new_elem(x, "Lbl", x["Note"], [])
    x["leaf2"].Nums[1][2] = x["TD"]
    x["TD"].K.append(2)


def two_notes_one_id(x):
    note = new_elem(x, "Note", x["doc"], [4], x["p2"])
    note.ID = String("note-1")
    add_content(x, "p2", b"/Note <</MCID 4>> BDC BT /F1 8 Tf 72 90 Td (2.) "
                b"Tj ET EMC\n")
    x["leaf2"].Nums[1].append(note)


def type0_without_tounicode(x):
    f = x["font"]
    f.Subtype = Name.Type0
    f.Encoding = Name("/Identity-H")
    f.DescendantFonts = Array([Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=f.BaseFont,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"),
                                 Ordering=String("Identity"), Supplement=0),
        FontDescriptor=f.FontDescriptor)])
    del f["/FontDescriptor"]


def wrong_parent_entry(x):
    arr = x["leaf1"].Nums[1]
    arr[0], arr[1] = arr[1], arr[0]


# name, change to the well-formed document, expected message (with the
# object numbers, which depend on the order pikepdf writes the objects
# in, as "obj N").
DEFECTS = [
    ("text outside marked content",
     lambda x: add_content(x, "p1", b"BT /F1 9 Tf 72 60 Td (stray) Tj ET\n"),
     "page 1: 1 text operator (Tj) outside marked content [01-005]"),
    ("a path outside marked content",
     lambda x: add_content(x, "p2", b"72 60 m 300 60 l S\n"),
     "page 2: 1 path operator (S) outside marked content [01-005]"),
    ("tagged content inside an artifact",
     lambda x: add_content(x, "p1", b"/Artifact BMC /P <</MCID 6>> BDC "
                           b"BT /F1 9 Tf 72 60 Td (x) Tj ET EMC EMC\n"),
     "page 1: tagged content (MCID 6) inside an artifact [01-004]"),
    ("an artifact inside tagged content",
     lambda x: replace_content(x, "p1", b"(First part) Tj ET EMC",
                               b"(First part) Tj ET /Artifact BMC 72 725 m "
                               b"200 725 l S EMC EMC"),
     "page 1: an artifact inside tagged content (MCID 1) [01-003]"),
    ("an EMC too many",
     lambda x: add_content(x, "p2", b"EMC\n"),
     "page 2: EMC with no open marked-content sequence"),
    ("an unclosed sequence",
     lambda x: add_content(x, "p2", b"/Artifact BMC\n"),
     "page 2: 1 marked-content sequence not closed"),
    ("an MCID used twice on a page",
     lambda x: add_content(x, "p2", b"/P <</MCID 1>> BDC EMC\n"),
     "page 2: MCID 1 marks more than one sequence"),
    ("an artifact of an unknown type",
     lambda x: replace_content(x, "p2", b"/Type /Layout", b"/Type /Banner"),
     "page 2: an artifact of /Type /Banner"),
    ("an MCID no element owns",
     lambda x: add_content(x, "p2", b"/P <</MCID 7>> BDC BT /F1 9 Tf "
                           b"72 60 Td (x) Tj ET EMC\n"),
     "page 2: MCID 7 belongs to no structure element"),
    ("an element claiming an MCID the page does not have",
     lambda x: x["TD"].K.append(9),
     "claims MCID 9 on page 2, which that page's content does not have"),
    ("a ParentTree entry naming the wrong element",
     wrong_parent_entry,
     "page 1: MCID 0 belongs to <H1> (obj"),
    ("a page with marked content but no /StructParents",
     lambda x: x["p2"].__delitem__("/StructParents"),
     "page 2: marked content but no /StructParents"),
    ("/Limits that do not bound the keys",
     lambda x: x["leaf2"].__setitem__("/Limits", Array([1, 1])),
     "the ParentTree has a node with /Limits [1, 1], but its keys run "
     "from 1 to 2"),
    ("ParentTreeNextKey too small",
     lambda x: x["root"].__setitem__("/ParentTreeNextKey", 2),
     "/ParentTreeNextKey 2 is not above the ParentTree's greatest key 2"),
    ("H1 followed by H3",
     lambda x: x["H2"].__setitem__("/S", Name.H3),
     "heading level skipped: <H3> (obj"),
    ("the first numbered heading not H1",
     lambda x: x["H1"].__setitem__("/S", Name.H2),
     "the first numbered heading is <H2> (obj"),
    ("H and H1-H6 mixed",
     lambda x: x["H2"].__setitem__("/S", Name.H),
     "both H (<H> (obj"),
    ("TH without scope",
     lambda x: x["TH"].__delitem__("/A"),
     "has no /Scope (/Row, /Column or /Both) in a /Table attribute "
     "[15-003]"),
    ("LI outside L",
     li_outside_l,
     "is in <Sect> (obj"),
    ("TR outside a table",
     tr_outside_table,
     "is in <Document> (obj"),
    ("a Table holding a Div",
     lambda x: x["THead"].__setitem__("/S", Name.Div),
     "<Table> (obj N) holds <Div> (obj N) [09-004]"),
    ("a Table without rows",
     table_without_rows,
     "<Table> (obj N) has no TR [09-004]"),
    ("a TOCI outside a TOC",
     toci_outside_toc,
     "is in <P> (obj N), not in TOC [09-006]"),
    ("a Note without content",
     note_without_content,
     "<Note> (obj N) has no marked content under it"),
    ("a Link element without an OBJR",
     lambda x: x["Link"].K.__delitem__(1),
     "<Link> (obj N) holds no OBJR of a link annotation"),
    ("a circular role map",
     lambda x: x["root"].__setitem__("/RoleMap", Dictionary(
         Footnote=Name("/Endnote"), Endnote=Name("/Footnote"))),
     "the /RoleMap maps Footnote in a circle [02-002]"),
    ("a standard type remapped",
     lambda x: x["root"].RoleMap.__setitem__("/Span", Name.P),
     "the /RoleMap remaps the standard type Span"),
    ("an MCID inside another",
     lambda x: replace_content(x, "p1", b"(Read the) Tj ET EMC",
                               b"(Read the) Tj ET /Span <</MCID 8>> BDC "
                               b"EMC EMC"),
     "page 1: MCID 8 inside the sequence of MCID 2"),
    ("/Suspects true",
     lambda x: x["pdf"].Root.MarkInfo.__setitem__("/Suspects", True),
     "/MarkInfo /Suspects true [01-007]"),
    ("a Figure without /Alt",
     lambda x: x["P"].__setitem__("/S", Name.Figure),
     "without /Alt [13-004]"),
    ("a type neither standard nor mapped",
     lambda x: x["root"].__delitem__("/RoleMap"),
     "structure type Footnote is not standard and not mapped to a standard "
     "type [02-001]"),
    ("an element with /P wrong",
     lambda x: x["P"].__setitem__("/P", x["H1"]),
     "has /P <H1> (obj"),
    ("an empty element",
     empty_span,
     "is empty: it has no kids"),
    ("an element reached twice",
     lambda x: x["doc"].K.append(x["H1"]),
     "is reached a second time, from <Document>"),
    ("a Note without /ID",
     lambda x: x["Note"].__delitem__("/ID"),
     "<Note> (obj N) has no /ID [19-003]"),
    ("two Notes with one /ID",
     two_notes_one_id,
     "has the /ID 'note-1' of <Note> (obj N) [19-004]"),
    ("a row with a cell missing",
     lambda x: x["TD2"].P.K.__delitem__(1),
     "<Table> (obj N) has rows of 1 and 2 cells (row 2 of 2: fewer than "
     "2; an empty cell is an empty TD)"),
    ("a cell spanning a column too many",
     lambda x: x["TD2"].__setitem__("/A", Dictionary(O=Name.Table,
                                                     ColSpan=2)),
     "<Table> (obj N) has rows of 2 and 3 cells (row 1 of 2: fewer than "
     "3; an empty cell is an empty TD)"),
    ("an /ID but no IDTree",
     lambda x: x["root"].__delitem__("/IDTree"),
     "elements have an /ID but the StructTreeRoot has no /IDTree"),
    ("the IDTree naming the wrong element",
     lambda x: x["root"].IDTree.Kids[0].Names.__setitem__(1, x["TD"]),
     "the IDTree maps 'note-1' to <TD> (obj N), whose /ID is not "
     "'note-1'"),
    ("an /ID missing from the IDTree",
     lambda x: x["TD"].__setitem__("/ID", String("cell-1")),
     "<TD> (obj N) has the /ID 'cell-1', which is not in the IDTree"),
    ("IDTree /Limits that do not bound the keys",
     lambda x: x["root"].IDTree.Kids[0].Limits.__setitem__(
         1, String("note-0")),
     "the IDTree has a node with /Limits ['note-1', 'note-0'], but its "
     "keys run from 'note-1' to 'note-1'"),
    ("a Link annotation without /StructParent",
     lambda x: x["annot"].__delitem__("/StructParent"),
     "page 1: a /Link annotation without /StructParent [28-011]"),
    ("a Link annotation without /Contents",
     lambda x: x["annot"].__delitem__("/Contents"),
     "page 1: a /Link annotation without /Contents [28-012]"),
    ("a Link annotation without /F 4",
     lambda x: x["annot"].__setitem__("/F", 0),
     "page 1: a /Link annotation with /F 0, not 4"),
    ("a Link annotation outside a Link element",
     lambda x: x["Link"].__setitem__("/S", Name.Span),
     "belongs to <Span> (obj"),
    ("a page with annotations without /Tabs /S",
     lambda x: x["p1"].__delitem__("/Tabs"),
     "page 1: annotations but no /Tabs /S [28-008, 28-009]"),
    ("no /MarkInfo",
     lambda x: x["pdf"].Root.__delitem__("/MarkInfo"),
     "no /MarkInfo /Marked true"),
    ("no /Lang",
     lambda x: x["pdf"].Root.__delitem__("/Lang"),
     "no non-empty /Lang in the catalog [11-001]"),
    ("no DisplayDocTitle",
     lambda x: x["pdf"].Root.__delitem__("/ViewerPreferences"),
     "no /ViewerPreferences /DisplayDocTitle true [07-001, 07-002]"),
    ("no pdfuaid in the XMP",
     lambda x: set_xmp(x, xmp(pdfua=False)),
     "no pdfuaid:part 1 in the XMP (None) [06-002]"),
    ("an empty dc:title",
     lambda x: set_xmp(x, xmp(title="")),
     "no non-empty dc:title in the XMP [06-003]"),
    ("PDF/A without the extension schema",
     lambda x: set_xmp(x, xmp(extension=False)),
     "pdfaid:part but no PDF/A extension schema declares "
     "http://www.aiim.org/pdfua/ns/id/"),
    ("the extension schema with a wrong valueType",
     lambda x: set_xmp(x, xmp(value_type="Text")),
     "the extension schema's pdfuaid:part has pdfaProperty:valueType "
     "'Text', not Integer"),
    ("an annotation other than a link, untagged",
     lambda x: x["p1"].Annots.append(x["pdf"].make_indirect(Dictionary(
         Type=Name.Annot, Subtype=Name.Square, Rect=[0, 0, 9, 9], F=4,
         Contents=String("A square")))),
     "page 1: a /Square annotation without /StructParent [28-002]"),
    ("a font not embedded",
     lambda x: x["font"].__delitem__("/FontDescriptor"),
     "page 1: font /F1 (/NotoSans-Regular) is not embedded [31-009]"),
    ("a Type0 font without ToUnicode",
     type0_without_tounicode,
     "page 1: font /F1 (/NotoSans-Regular) is a Type0 font without "
     "/ToUnicode [10-001]"),
]


def self_test(keep):
    with open(FONT, "rb") as f:
        font_data = f.read()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = keep or tmp
        os.makedirs(out, exist_ok=True)

        def save(parts, name):
            path = os.path.join(out, name + ".pdf")
            parts["pdf"].save(path, static_id=True)
            return path

        def report(ok, name, detail=""):
            nonlocal passed, failed
            if ok:
                passed += 1
                print("ok - %s" % name)
            else:
                failed += 1
                print("not ok - %s%s" % (name, detail))

        path = save(build(font_data), "good")
        lines, counts = check_file(path)
        report(not lines and counts == [19, 10, 4, 1],
               "the well-formed document passes",
               ": %r %r" % (lines, counts))
        lines = check_untagged(path)
        report("%s: a /StructTreeRoot in an untagged file" % path in lines
               and "%s: the XMP has pdfuaid properties or declares them in "
               "an untagged file" % path in lines,
               "the tagged document is not untagged", ": %r" % lines)
        path = save(build(font_data, tagged=False), "untagged")
        lines = check_untagged(path)
        report(not lines, "the untagged document is untagged",
               ": %r" % lines)
        lines, _ = check_file(path)
        report(any("no /StructTreeRoot" in l for l in lines),
               "the untagged document is not tagged", ": %r" % lines)
        for name, change, want in DEFECTS:
            parts = build(font_data)
            change(parts)
            path = save(parts, re.sub(r"[^a-z0-9]+", "-", name.lower())
                        .strip("-"))
            try:
                lines, _ = check_file(path)
            except Exception as e:  # a crash is a failure of the probe
                lines = ["crashed: %r" % e]
            lines = [re.sub(r"\(obj \d+\)", "(obj N)", l) for l in lines]
            report(any(want in l for l in lines), name,
                   ": expected %r in %r" % (want, lines))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main(argv):
    args = argv[1:]
    if args and args[0] == "--self-test":
        keep = None
        if args[1:2] == ["--write"] and len(args) == 3:
            keep = args[2]
        elif len(args) != 1:
            sys.exit("usage: tests/pdfua.py --self-test [--write DIR]")
        return self_test(keep)
    untagged = False
    if args and args[0] == "--expect-untagged":
        untagged = True
        args = args[1:]
    if not args or any(a.startswith("-") for a in args):
        sys.exit("usage: tests/pdfua.py [--expect-untagged] FILE.pdf...\n"
                 "       tests/pdfua.py --self-test [--write DIR]")
    problems = []
    totals = [0, 0, 0, 0]
    for path in args:
        if untagged:
            problems += check_untagged(path)
            continue
        p, counts = check_file(path)
        problems += p
        totals = [a + b for a, b in zip(totals, counts)]
    for p in problems:
        print(p)
    if problems:
        return 1
    if untagged:
        print("%d files, untagged" % len(args))
    else:
        print("%d files: %d structure elements, %d marked-content sequences, "
              "%d artifacts, %d links" % (len(args), *totals))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
