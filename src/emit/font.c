/*
 * Fonts for the emit stage: loads the template's TrueType faces into a
 * libharu document, measures them for the typesetter (metrics.h) and,
 * before saving, repairs what libharu 2.3.0 writes wrongly for them.
 */
#include "emit.h"
#include "emit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hpdf_mmgr.h>
#include <zlib.h>

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../job.h"
#include "../tmpl.h"

/*
 * The repairs below read and write libharu's private structures
 * (HPDF_FontAttr, HPDF_TTFontDefAttr, the CMap stream), whose layout is
 * only known for this release.
 */
#if HPDF_VERSION_ID != 20300
#error "src/emit/font.c reaches into libharu 2.3.0 structures; recheck them"
#endif

#define NCODES     65536 /* the Basic Multilingual Plane */
#define CMAP_BLOCK 100   /* entries per bfchar block, the CMap limit */

/* Composite glyph flags ("glyf" table). */
#define ARG_1_AND_2_ARE_WORDS    0x0001
#define WE_HAVE_A_SCALE          0x0008
#define MORE_COMPONENTS          0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO     0x0080

static const char *const face_names[FACE__MAX] = {
    [FACE_SERIF] = "serif",
    [FACE_SERIF_BOLD] = "serif-bold",
    [FACE_SERIF_ITALIC] = "serif-italic",
    [FACE_SANS] = "sans",
    [FACE_SANS_BOLD] = "sans-bold",
};
_Static_assert(sizeof face_names / sizeof face_names[0] == FACE__MAX,
               "one name per face");

/* Zero-filled memory; running out exits 3 as in arena.c. */
static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (p == NULL) {
		fputs("briefing: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

/*
 * libharu's error handler: remembers the first error and returns, so the
 * failing call returns an error code; later calls fail with 0x1025 until
 * HPDF_ResetError().  No long jump through library frames.
 */
static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
	struct fontset *fs = user;

	if (fs->err == 0) {
		fs->err = err;
		fs->detail = detail;
	}
}

/* What a libharu error code means, for messages. */
static const char *
reason(HPDF_STATUS err, HPDF_STATUS detail)
{
	switch (err) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		return "out of memory";
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		return detail ? strerror((int)detail) : "file error";
	case HPDF_INVALID_DATE_TIME:
		return "invalid date or time zone";
	case HPDF_INVALID_DOCUMENT:
		return "the document is in an error state";
	case HPDF_INVALID_PARAMETER:
	case HPDF_REAL_OUT_OF_RANGE:
		return "a number is out of range";
	case HPDF_PAGE_INVALID_FONT_SIZE:
		return "invalid font size";
	case HPDF_PAGE_INVALID_SIZE:
		return "invalid paper size";
	case HPDF_STRING_OUT_OF_RANGE:
		return "a text run is longer than 65535 bytes";
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
		return "the font's licence forbids embedding";
	case HPDF_TTF_INVALID_CMAP:
		return "the font has no usable Unicode cmap table";
	case HPDF_TTF_INVALID_FOMAT:
		return "invalid TrueType data";
	case HPDF_TTF_MISSING_TABLE:
		return "a required TrueType table is missing";
	case HPDF_ZLIB_ERROR:
		return "compression failed";
	default:
		return "see hpdf_error.h";
	}
}

/* The code of the pending error, whether or not the handler saw it. */
static HPDF_STATUS
pending(struct fontset *fs)
{
	if (fs->err != 0)
		return fs->err;
	fs->detail = HPDF_GetErrorDetail(fs->pdf);
	return HPDF_GetError(fs->pdf);
}

bool
font_check(struct job *job, struct fontset *fs, const char *doing)
{
	HPDF_STATUS err = pending(fs);

	if (err == HPDF_OK)
		return true;
	diag_system(job->diag, "cannot %s: libharu error 0x%04X (%s)", doing,
	            (unsigned)err, reason(err, fs->detail));
	return false;
}

/*
 * Checks the file's signature so the common mistakes get a clear message
 * before libharu sees the file.
 */
static bool
is_truetype(struct job *job, const struct loc *at, const char *path,
            const unsigned char *p, size_t len)
{
	if (len >= 12 &&
	    (memcmp(p, "\0\1\0\0", 4) == 0 || memcmp(p, "true", 4) == 0))
		return true;
	if (len >= 4 && memcmp(p, "OTTO", 4) == 0)
		diag_error(job->diag, *at,
		           "font \"%s\" has PostScript (CFF) outlines; only "
		           "TrueType (glyf) fonts are supported",
		           path);
	else if (len >= 4 && memcmp(p, "ttcf", 4) == 0)
		diag_error(
		    job->diag, *at,
		    "font \"%s\" is a TrueType collection; name a single "
		    ".ttf font",
		    path);
	else
		diag_error(job->diag, *at, "\"%s\" is not a TrueType font",
		           path);
	return false;
}

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A table of the font file: where it is and how long [bytes]. */
struct sfnt_table {
	size_t off;
	size_t len;
};

/*
 * The gid libharu's HPDF_TTFontDef_GetGlyphid gives code u through
 * format 4 segment i of seg (arrays at ends, starts, deltas, ranges and
 * glyphs, count glyph ids), or -1 when it would read past the glyph ids.
 */
static long
cmap4_gid(const unsigned char *sub, uint32_t seg, uint32_t i, uint32_t u,
          uint32_t count)
{
	const unsigned char *starts = sub + 16 + 2 * seg;
	const unsigned char *deltas = starts + 2 * seg;
	const unsigned char *ranges = deltas + 2 * seg;
	const unsigned char *glyphs = ranges + 2 * seg;
	uint32_t delta = be16(deltas + 2 * i);
	uint32_t ro = be16(ranges + 2 * i);

	if (ro == 0)
		return (long)((u + delta) & 0xFFFF);
	/* Unsigned, as libharu computes it: "negative" indices wrap to
	 * huge ones, which it treats as no glyph. */
	uint32_t idx = ro / 2 + (u - be16(starts + 2 * i)) - (seg - i);
	if (idx > count)
		return 0;
	if (idx == count)
		return -1;
	return (long)((be16(glyphs + 2 * idx) + delta) & 0xFFFF);
}

/*
 * Checks the character map libharu will use (the first Windows Unicode
 * format 4 subtable, else a Macintosh format 0 one, else a Unicode
 * format 4 one): inside the table, ending at U+FFFF, and sending every
 * code to a glyph the font has.  *space gets the glyph of U+0020.
 */
static const char *
check_cmap(const unsigned char *p, struct sfnt_table cm, uint32_t nglyphs,
           uint32_t *space, char *why, size_t n)
{
	const unsigned char *t = p + cm.off;
	size_t ms = 0, mac = 0, uni = 0, sub;

	if (cm.len < 4 || be16(t) != 0)
		return "the cmap table is damaged";
	uint32_t nsub = be16(t + 2);
	if (4 + 8 * (size_t)nsub > cm.len)
		return "the cmap table is cut short";
	for (uint32_t i = 0; i < nsub && ms == 0; i++) {
		const unsigned char *r = t + 4 + 8 * i;
		uint32_t pid = be16(r), eid = be16(r + 2);
		size_t off = be32(r + 4);
		if (off + 2 > cm.len)
			return "a cmap subtable lies outside the cmap table";
		uint32_t format = be16(t + off);
		if (pid == 3 && eid == 1 && format == 4)
			ms = off;
		else if (pid == 1 && eid == 0 && format == 0)
			mac = off;
		else if (pid == 0 && eid == 3 && format == 4)
			uni = off;
	}
	sub = ms ? ms : mac ? mac : uni;
	if (sub == 0)
		return "it has no Unicode character map (cmap format 4)";
	t += sub;
	if (sub == mac && ms == 0) {
		if (sub + 262 > cm.len)
			return "the character map is cut short";
		for (uint32_t c = 0; c < 256; c++) {
			if (t[6 + c] >= nglyphs) {
				snprintf(why, n,
				         "the character map sends U+%04X to "
				         "glyph %u, but the font has %u glyphs",
				         (unsigned)c, (unsigned)t[6 + c],
				         (unsigned)nglyphs);
				return why;
			}
		}
		*space = t[6 + 0x20];
		return NULL;
	}
	if (sub + 14 > cm.len)
		return "the character map is cut short";
	size_t length = be16(t + 2);
	uint32_t seg = be16(t + 6) / 2;
	if (seg == 0)
		return "the character map has no segments";
	if (length < 16 + 8 * (size_t)seg || sub + length > cm.len)
		return "the character map is cut short";
	uint32_t count = (uint32_t)(length - 16 - 8 * (size_t)seg) / 2;
	const unsigned char *ends = t + 14, *starts = t + 16 + 2 * seg;
	if (be16(ends + 2 * (seg - 1)) != 0xFFFF)
		return "the character map does not end at U+FFFF";
	/* libharu looks a code up in the first segment ending at or after
	 * it; every code reaches one, as the last segment ends at U+FFFF. */
	long done = -1;
	for (uint32_t i = 0; i < seg; i++) {
		long end = (long)be16(ends + 2 * i);
		long from = (long)be16(starts + 2 * i);
		if (end <= done)
			continue;
		if (from <= done)
			from = done + 1;
		for (long u = from; u <= end; u++) {
			long gid = cmap4_gid(t, seg, i, (uint32_t)u, count);
			if (gid < 0)
				return "the character map points past its "
				       "glyph list";
			if (gid >= (long)nglyphs) {
				snprintf(
				    why, n,
				    "the character map sends U+%04lX to "
				    "glyph %ld, but the font has %u glyphs",
				    u, gid, (unsigned)nglyphs);
				return why;
			}
			if (u == 0x20)
				*space = (uint32_t)gid;
		}
		done = end;
	}
	return NULL;
}

/*
 * Checks the name table as libharu reads it: every string inside the
 * table, and a PostScript name (ID 6) and a style name (ID 2), Macintosh
 * Roman or Windows US English, short enough for its 127-byte buffer.
 */
static const char *
check_names(const unsigned char *p, struct sfnt_table nm)
{
	const unsigned char *t = p + nm.off;
	size_t len1 = 0, len2 = 0, len1u = 0, len2u = 0;
	bool has1 = false, has2 = false;

	if (nm.len < 6)
		return "the name table is cut short";
	uint32_t count = be16(t + 2), strings = be16(t + 4);
	if (6 + 12 * (size_t)count > nm.len)
		return "the name table is cut short";
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *r = t + 6 + 12 * i;
		uint32_t pid = be16(r), eid = be16(r + 2), lang = be16(r + 4);
		uint32_t id = be16(r + 6);
		size_t slen = be16(r + 8), off = be16(r + 10);
		if (strings + off + slen > nm.len)
			return "a name lies outside the name table";
		if (pid == 1 && eid == 0 && (id == 6 || id == 2)) {
			*(id == 6 ? &len1 : &len2) = slen;
			*(id == 6 ? &has1 : &has2) = true;
		} else if (pid == 3 && eid == 1 && lang == 0x0409 &&
		           (id == 6 || id == 2)) {
			*(id == 6 ? &len1u : &len2u) = slen;
			*(id == 6 ? &has1 : &has2) = true;
		}
	}
	if (!has1)
		return "it has no PostScript name (name ID 6)";
	if (!has2)
		return "it has no style name (name ID 2)";
	/* Windows names are UTF-16: libharu keeps every second byte. */
	if (len1 == 0)
		len1 = len1u / 2 + len1u % 2;
	if (len2 == 0)
		len2 = len2u / 2 + len2u % 2;
	if (len1 == 0)
		return "its PostScript name is empty";
	if (len1 + len2 + 8 > 127)
		return "its PostScript and style names are longer than the "
		       "PDF library allows (119 bytes together)";
	return NULL;
}

const char *
font_problem(const unsigned char *p, size_t len, char *why, size_t n)
{
	/* The tables libharu reads; all but "post" are required. */
	static const char tags[][5] = {"head", "hhea", "maxp", "hmtx", "cmap",
	                               "loca", "glyf", "name", "OS/2", "post"};
	enum { HEAD, HHEA, MAXP, HMTX, CMAP, LOCA, GLYF, NAME, OS2, POST, N };
	_Static_assert(sizeof tags / sizeof tags[0] == N, "one tag a table");
	struct sfnt_table tab[N] = {{0, 0}};
	bool found[N] = {false};

	if (len < 12)
		return "the file is too short for a table directory";
	size_t ntab = be16(p + 4);
	if (ntab == 0)
		return "it has no tables";
	if (ntab > 625) /* libharu's limit (10,000 bytes of records) */
		return "its table directory is damaged (more than 625 "
		       "tables)";
	if (12 + 16 * ntab > len)
		return "the file ends inside its table directory";
	for (size_t i = 0; i < ntab; i++) {
		const unsigned char *r = p + 12 + 16 * i;
		size_t off = be32(r + 8), tlen = be32(r + 12);
		char tag[5];
		for (int k = 0; k < 4; k++)
			tag[k] = r[k] >= 0x20 && r[k] < 0x7F && r[k] != '"'
			             ? (char)r[k]
			             : '?';
		tag[4] = '\0';
		if (off > len || tlen > len - off) {
			snprintf(why, n,
			         "table \"%s\" ends at byte %llu, but the file "
			         "has %zu bytes; it is truncated or damaged",
			         tag, (unsigned long long)off + tlen, len);
			return why;
		}
		/* The first of a tag is the one libharu uses. */
		for (int k = 0; k < N; k++) {
			if (!found[k] && memcmp(r, tags[k], 4) == 0) {
				tab[k] = (struct sfnt_table){off, tlen};
				found[k] = true;
			}
		}
	}
	for (int k = 0; k < POST; k++) {
		if (!found[k]) {
			snprintf(why, n, "the required table \"%s\" is missing",
			         tags[k]);
			return why;
		}
	}

	const unsigned char *head = p + tab[HEAD].off;
	if (tab[HEAD].len < 54 || be32(head + 12) != 0x5F0F3CF5)
		return "the head table is damaged";
	uint32_t upem = be16(head + 18), loc_format = be16(head + 50);
	if (upem < 16 || upem > 16384) {
		snprintf(why, n, "its unitsPerEm is %u, not 16 to 16384",
		         (unsigned)upem);
		return why;
	}
	if (loc_format > 1)
		return "the head table is damaged (indexToLocFormat is "
		       "neither 0 nor 1)";
	if (tab[MAXP].len < 6)
		return "the maxp table is cut short";
	uint32_t nglyphs = be16(p + tab[MAXP].off + 4);
	if (nglyphs == 0)
		return "it has no glyphs";
	if (tab[HHEA].len < 36)
		return "the hhea table is cut short";
	uint32_t nmetrics = be16(p + tab[HHEA].off + 34);
	if (nmetrics == 0 || nmetrics > nglyphs) {
		snprintf(why, n, "it has %u horizontal metrics for %u glyphs",
		         (unsigned)nmetrics, (unsigned)nglyphs);
		return why;
	}
	if (tab[HMTX].len <
	    4 * (size_t)nmetrics + 2 * (size_t)(nglyphs - nmetrics))
		return "the hmtx table is cut short";

	size_t unit = loc_format == 0 ? 2 : 4;
	if (tab[LOCA].len < unit * ((size_t)nglyphs + 1))
		return "the loca table is cut short";
	const unsigned char *loca = p + tab[LOCA].off;
	size_t prev = 0;
	for (uint32_t g = 0; g <= nglyphs; g++) {
		size_t at = unit == 2 ? 2 * (size_t)be16(loca + 2 * g)
		                      : be32(loca + 4 * g);
		if (at < prev || at > tab[GLYF].len) {
			/* Entry g starts glyph g and ends glyph g - 1. */
			snprintf(why, n,
			         at < prev
			             ? "the loca table is out of order at "
			               "glyph %u"
			             : "glyph %u lies outside the glyf "
			               "table",
			         (unsigned)(g < nglyphs ? g : g - 1));
			return why;
		}
		prev = at;
	}

	const unsigned char *os2 = p + tab[OS2].off;
	if (tab[OS2].len < 2 || tab[OS2].len < (be16(os2) == 0   ? 78u
	                                        : be16(os2) == 1 ? 86u
	                                                         : 90u))
		return "the OS/2 table is cut short";
	if (found[POST] && tab[POST].len < 12)
		return "the post table is cut short";
	const char *bad = check_names(p, tab[NAME]);
	if (bad != NULL)
		return bad;

	uint32_t space = 0;
	bad = check_cmap(p, tab[CMAP], nglyphs, &space, why, n);
	if (bad != NULL)
		return bad;
	/* Text is measured in spaces: a space of no width breaks lines
	 * and leaders. */
	const unsigned char *hmtx = p + tab[HMTX].off;
	uint32_t m = space < nmetrics ? space : nmetrics - 1;
	if (be16(hmtx + 4 * m) == 0)
		return "its space has no width";
	return NULL;
}

/* Shares face f's data with an earlier face that uses the same font. */
static void
share(struct fontset *fs, enum face f)
{
	struct emit_face *ef = &fs->face[f];

	for (int g = 0; g < (int)f; g++) {
		if (fs->face[g].def == ef->def) {
			ef->owner = fs->face[g].owner;
			return;
		}
	}
	ef->width = xcalloc(NCODES, sizeof *ef->width);
	ef->used = xcalloc(NCODES / 8, 1);
}

/*
 * Gives libharu the bytes already read and checked, as
 * HPDF_LoadTTFontFromFile gives it a file: the same font definition and
 * subset tag, but the file is read once and libharu parses exactly what
 * font_problem() accepted.  Returns libharu's name for the font, or NULL
 * with the error left in the document.
 */
static const char *
load_ttf(struct fontset *fs, const unsigned char *p, size_t len)
{
	HPDF_Doc pdf = fs->pdf;
	HPDF_Stream s = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)len);
	HPDF_FontDef def, same;
	char tag[HPDF_TTF_FONT_TAG_LEN + 1];

	if (s == NULL)
		return NULL;
	if (HPDF_Stream_Write(s, p, (HPDF_UINT)len) != HPDF_OK) {
		HPDF_Stream_Free(s);
		return NULL;
	}
	def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE); /* owns s */
	if (def == NULL)
		return NULL;
	/* A font already loaded from another file is shared, untagged. */
	same = HPDF_Doc_FindFontDef(pdf, def->base_font);
	if (same != NULL) {
		HPDF_FontDef_Free(def);
		return same->base_font;
	}
	if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	/* Subset tags HPDFAA, HPDFAB, ... in loading order. */
	if (pdf->ttfont_tag[0] == 0) {
		memcpy(pdf->ttfont_tag, "HPDFAA", 6);
	} else {
		for (int i = 5; i >= 0; i--) {
			if (++pdf->ttfont_tag[i] <= 'Z')
				break;
			pdf->ttfont_tag[i] = 'A';
		}
	}
	memcpy(tag, pdf->ttfont_tag, HPDF_TTF_FONT_TAG_LEN);
	tag[HPDF_TTF_FONT_TAG_LEN] = '\0';
	HPDF_TTFontDef_SetTagName(def, tag);
	return def->base_font;
}

/* Loads one face; false after reporting at the template's font entry. */
static bool
load_face(struct job *job, struct fontset *fs, const struct tmpl *t,
          enum face f)
{
	struct emit_face *ef = &fs->face[f];
	const struct loc *at = &t->font_locs[f];
	char *data, reason_buf[160];
	size_t len;

	ef->path = t->fonts[f];
	ef->owner = (int)f;
	if (ef->path == NULL) {
		diag_error(job->diag, *at, "no font file for face \"%s\"",
		           face_names[f]);
		return false;
	}
	for (int g = 0; g < (int)f; g++) {
		const struct emit_face *eg = &fs->face[g];
		if (eg->def != NULL && strcmp(eg->path, ef->path) == 0) {
			*ef = *eg;
			return true;
		}
	}
	if (!fileio_read(job->arena, job->diag, at, ef->path, &data, &len))
		return false;
	ef->ttf = (const unsigned char *)data;
	ef->ttf_len = len;
	if (!is_truetype(job, at, ef->path, ef->ttf, len))
		return false;
	const char *why =
	    font_problem(ef->ttf, len, reason_buf, sizeof reason_buf);
	if (why != NULL) {
		diag_error(job->diag, *at,
		           "\"%s\" is not a usable TrueType font: %s", ef->path,
		           why);
		return false;
	}
	ef->name = load_ttf(fs, ef->ttf, len);
	if (ef->name != NULL && pending(fs) == HPDF_OK)
		ef->def = HPDF_Doc_FindFontDef(fs->pdf, ef->name);
	if (ef->def == NULL || pending(fs) != HPDF_OK) {
		HPDF_STATUS err = pending(fs);
		if (err == HPDF_OK) /* libharu gave up without saying why */
			diag_error(job->diag, *at,
			           "cannot load font \"%s\": damaged or "
			           "unsupported TrueType data",
			           ef->path);
		else
			diag_error(job->diag, *at,
			           "cannot load font \"%s\": libharu error "
			           "0x%04X (%s)",
			           ef->path, (unsigned)err,
			           reason(err, fs->detail));
		/* Go on, so that one run lists every bad font. */
		HPDF_ResetError(fs->pdf);
		fs->err = fs->detail = 0;
		ef->def = NULL;
		return false;
	}
	share(fs, f);
	return true;
}

bool
emit_fonts_open(struct job *job, const struct tmpl *t, struct fontset **out)
{
	struct fontset *fs = xcalloc(1, sizeof *fs);
	bool ok = true;

	*out = NULL;
	fs->pdf = HPDF_New(on_error, fs);
	if (fs->pdf == NULL) {
		diag_system(job->diag, "cannot create a PDF document: %s",
		            reason(HPDF_FAILD_TO_ALLOC_MEM, 0));
		free(fs);
		return false;
	}
	/* (void): failures land in fs->err, checked just below. */
	(void)HPDF_UseUTFEncodings(fs->pdf);
	(void)HPDF_SetCompressionMode(fs->pdf, HPDF_COMP_ALL);
	if (!font_check(job, fs, "set up the PDF document")) {
		emit_fonts_close(fs);
		return false;
	}
	for (int f = 0; f < FACE__MAX; f++)
		if (!load_face(job, fs, t, (enum face)f))
			ok = false;
	if (!ok) {
		emit_fonts_close(fs);
		return false;
	}
	*out = fs;
	return true;
}

/*
 * Width of cp as stored in the cache: advance + 2, or 1 for no glyph.
 * The same truncated advance*1000/unitsPerEm that /W gets.  Unlike
 * HPDF_Font_GetUnicodeWidth this does not mark the glyph as used, so
 * measuring a glyph does not embed it; drawing it does.
 */
static uint16_t
look_up(HPDF_FontDef def, uint32_t cp)
{
	HPDF_UINT16 gid;
	HPDF_INT16 w;

	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 1;
	gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
	/* A space always exists: without a glyph it draws as .notdef. */
	if (gid == 0 && cp != 0x20)
		return 1;
	w = HPDF_TTFontDef_GetGidWidth(def, gid);
	return (uint16_t)(w > 0 ? w + 2 : 2);
}

/* metrics.advance: cached, so each code point asks libharu once. */
static int32_t
advance(void *ctx, enum face f, uint32_t cp)
{
	struct fontset *fs = ctx;
	struct emit_face *o;
	uint16_t w;

	if (cp >= NCODES || (unsigned)f >= FACE__MAX)
		return -1; /* libharu draws only the BMP */
	o = &fs->face[fs->face[f].owner];
	w = o->width[cp];
	if (w == 0)
		w = o->width[cp] = look_up(o->def, cp);
	return (int32_t)w - 2;
}

struct metrics
emit_fonts_metrics(struct fontset *fs)
{
	struct metrics m = {.ctx = fs, .advance = advance};

	/* The values HPDF_Font_GetAscent/GetDescent return, read from the
	 * font definition so that no face is embedded unless drawn. */
	for (int f = 0; f < FACE__MAX; f++) {
		m.ascent[f] = fs->face[f].def->ascent;
		m.descent[f] = fs->face[f].def->descent;
	}
	return m;
}

/*
 * Makes the Type0 font.  libharu then builds /W and the CIDToGIDMap by
 * looking up all 65,536 codes, each a linear search of the cmap: 5-10 ms
 * per face.  fix_widths() rebuilds both for the codes drawn, so meanwhile
 * the cmap is swapped for one segment that maps every code to glyph 0.
 */
static HPDF_Font
new_font(struct fontset *fs, struct emit_face *o)
{
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)o->def->attr;
	HPDF_TTF_CmapRange saved = ta->cmap;
	HPDF_UINT16 end = 0xFFFF, start = 0xFFFF, range_offset = 0;
	HPDF_INT16 delta = 1; /* U+FFFF + 1 wraps to glyph 0 */
	HPDF_Font font;

	if (ta->cmap.format == 4) {
		ta->cmap.seg_count_x2 = 2;
		ta->cmap.end_count = &end;
		ta->cmap.start_count = &start;
		ta->cmap.id_delta = &delta;
		ta->cmap.id_range_offset = &range_offset;
	}
	font = HPDF_GetFont(fs->pdf, o->name, "UTF-8");
	ta->cmap = saved;
	return font;
}

HPDF_Font
font_get(struct fontset *fs, enum face f)
{
	struct emit_face *o = &fs->face[fs->face[f].owner];

	if (o->font == NULL)
		o->font = new_font(fs, o);
	return o->font;
}

uint8_t *
font_used(struct fontset *fs, enum face f)
{
	return fs->face[fs->face[f].owner].used;
}

/*
 * Marks the components of used composite glyphs as used, transitively.
 * libharu (CheckCompositGryph) goes one level deep only, so a component
 * that is itself composite lost its outline: "ї" drew as "¨" in DejaVu.
 * Returns true when some glyph was newly marked.
 */
static bool
mark_components(HPDF_TTFontDefAttr ta, const unsigned char *ttf, size_t len)
{
	const HPDF_UINT32 *loca = ta->glyph_tbl.offsets;
	HPDF_BYTE *used = ta->glyph_tbl.flgs;
	size_t base = ta->glyph_tbl.base_offset;
	size_t unit = ta->header.index_to_loc_format == 0 ? 2 : 1;
	bool changed = false;

	for (size_t g = 0; g < ta->num_glyphs; g++) {
		size_t p = base + loca[g] * unit;
		size_t end = base + loca[g + 1] * unit;
		uint32_t flags;

		if (!used[g] || end > len || p + 10 > end)
			continue;
		if (!(be16(ttf + p) & 0x8000))
			continue; /* contour count >= 0: a simple glyph */
		/* Skip the contour count and bounding box, then walk the
		 * component records (OpenType spec, "glyf" table). */
		p += 10;
		do {
			if (p + 4 > end)
				break;
			flags = be16(ttf + p);
			uint32_t c = be16(ttf + p + 2);
			if (c < ta->num_glyphs && !used[c]) {
				used[c] = 1;
				changed = true;
			}
			p += 4;
			p += flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2;
			if (flags & WE_HAVE_A_SCALE)
				p += 2;
			else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
				p += 4;
			else if (flags & WE_HAVE_A_TWO_BY_TWO)
				p += 8;
		} while (flags & MORE_COMPONENTS);
	}
	return changed;
}

/* Appends "<XXXX> <XXXX>\n" entries for codes[0..n) as bfchar blocks. */
static void
write_bfchar(HPDF_Stream s, const uint16_t *codes, size_t n)
{
	char block[32 + CMAP_BLOCK * 14];

	for (size_t i = 0; i < n; i += CMAP_BLOCK) {
		size_t m = n - i < CMAP_BLOCK ? n - i : CMAP_BLOCK;
		int k = snprintf(block, sizeof block, "%zu beginbfchar\n", m);
		for (size_t j = 0; j < m; j++)
			k += snprintf(block + k, sizeof block - (size_t)k,
			              "<%04X> <%04X>\n", (unsigned)codes[i + j],
			              (unsigned)codes[i + j]);
		snprintf(block + k, sizeof block - (size_t)k, "endbfchar\n");
		(void)HPDF_Stream_WriteStr(s, block); /* errors: fs->err */
	}
}

/*
 * Replaces libharu's ToUnicode stream, an invalid CID CMap (a cidrange
 * that poppler warns about), by a valid one.  The two-byte code drawn for
 * a character is its BMP code point (Identity-H over the "UTF-8"
 * encoder's CIDs), so the map is the identity over the codes drawn.
 * bfchar, not bfrange: Ghostscript 10.0 misreads bfrange above U+00FF.
 */
static void
fix_tounicode(HPDF_Font font, const uint16_t *codes, size_t n)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict cm = fa->cmap_stream;

	HPDF_MemStream_FreeData(cm->stream);
	/* (void): a key libharu did not write needs no removing. */
	(void)HPDF_Dict_RemoveElement(cm, "Type");
	(void)HPDF_Dict_RemoveElement(cm, "CMapName");
	(void)HPDF_Dict_RemoveElement(cm, "CIDSystemInfo");
	(void)HPDF_Dict_RemoveElement(cm, "WMode");
	(void)HPDF_Stream_WriteStr(
	    cm->stream, "/CIDInit /ProcSet findresource begin\n"
	                "12 dict begin\n"
	                "begincmap\n"
	                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	                "/Supplement 0 >> def\n"
	                "/CMapName /Adobe-Identity-UCS def\n"
	                "/CMapType 2 def\n"
	                "1 begincodespacerange\n"
	                "<0000> <FFFF>\n"
	                "endcodespacerange\n");
	write_bfchar(cm->stream, codes, n);
	(void)HPDF_Stream_WriteStr(cm->stream,
	                           "endcmap\n"
	                           "CMapName currentdict /CMap defineresource "
	                           "pop\n"
	                           "end\n"
	                           "end\n");
}

/*
 * Embeds the glyphs of the codes drawn.  Page content is written directly,
 * not through HPDF_Page_ShowText, which would mark them one by one.
 */
static void
mark_drawn(HPDF_FontDef def, const uint16_t *codes, size_t n)
{
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;

	for (size_t i = 0; i < n; i++) {
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, codes[i]);
		if (gid < ta->num_glyphs)
			ta->glyph_tbl.flgs[gid] = 1;
	}
}

/*
 * Writes the descendant font's /W (widths of the codes drawn, in runs of
 * consecutive codes) and its CIDToGIDMap (code to glyph, up to the highest
 * code drawn).  Codes without a glyph keep /DW and glyph 0, .notdef.
 */
static void
fix_widths(HPDF_Font font, HPDF_FontDef def, const uint16_t *codes, size_t n)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict cid = fa->descendant_font;
	HPDF_Array w = HPDF_Dict_GetItem(cid, "W", HPDF_OCLASS_ARRAY);
	HPDF_Array run = NULL;
	size_t max = n ? codes[n - 1] : 0;
	unsigned char *map = xcalloc(max + 1, 2);
	uint32_t next = 0;

	if (w == NULL) {
		w = HPDF_Array_New(cid->mmgr);
		(void)HPDF_Dict_Add(cid, "W", w); /* errors: fs->err */
	}
	if (w != NULL)
		HPDF_Array_Clear(w);
	for (size_t i = 0; w != NULL && i < n; i++) {
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, codes[i]);
		if (gid == 0)
			continue;
		map[2 * codes[i]] = (unsigned char)(gid >> 8);
		map[2 * codes[i] + 1] = (unsigned char)gid;
		if (run == NULL || codes[i] != next) {
			(void)HPDF_Array_AddNumber(w, codes[i]);
			run = HPDF_Array_New(cid->mmgr);
			(void)HPDF_Array_Add(w, run);
		}
		(void)HPDF_Array_AddNumber(
		    run, HPDF_TTFontDef_GetGidWidth(def, gid));
		next = codes[i] + 1u;
	}
	if (fa->map_stream != NULL) {
		HPDF_MemStream_FreeData(fa->map_stream->stream);
		(void)HPDF_Stream_Write(fa->map_stream->stream, map,
		                        (HPDF_UINT)(2 * (max + 1)));
	}
	free(map);
}

static void embed_done(struct fontset *);

/* Flags the glyphs of codes and of their composite parts, once. */
static void
flag_glyphs(struct emit_face *ef, const uint16_t *codes, size_t n)
{
	if (ef->flagged)
		return;
	ef->flagged = true;
	mark_drawn(ef->def, codes, n);
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)ef->def->attr;
	while (mark_components(ta, ef->ttf, ef->ttf_len))
		continue;
}

/* The codes set in ef->used, in order, into codes; returns how many. */
static size_t
used_codes(const struct emit_face *ef, uint16_t *codes)
{
	size_t n = 0;
	for (uint32_t c = 0; c < NCODES; c++)
		if (ef->used[c >> 3] & (1u << (c & 7)))
			codes[n++] = (uint16_t)c;
	return n;
}

/*
 * The embedding thread: libharu writes each face's font program (the
 * glyphs flagged, the tables a PDF needs), which is then compressed.  It
 * touches only the font definitions, whose memory manager and error
 * record are the fontset's own meanwhile, and their file streams.
 */
static void *
embed_thread(void *arg)
{
	struct fontset *fs = arg;
	for (int f = 0; f < FACE__MAX; f++) {
		struct emit_face *ef = &fs->face[f];
		if (!ef->embed)
			continue;
		HPDF_Stream ms = HPDF_MemStream_New(fs->embed_mmgr, 65536);
		if (ms == NULL ||
		    HPDF_TTFontDef_SaveFontData(ef->def, ms) != HPDF_OK) {
			HPDF_Stream_Free(ms);
			continue; /* libharu embeds it when it saves */
		}
		size_t raw_len = ms->size, got = 0;
		unsigned char *raw = malloc(raw_len ? raw_len : 1);
		uLongf zlen = compressBound((uLong)raw_len);
		unsigned char *z = malloc(zlen);
		for (HPDF_UINT k = 0; raw && k < HPDF_MemStream_GetBufCount(ms);
		     k++) {
			HPDF_UINT len = 0;
			HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(ms, k, &len);
			if (p == NULL || got + len > raw_len)
				break;
			memcpy(raw + got, p, len);
			got += len;
		}
		HPDF_Stream_Free(ms);
		if (raw != NULL && z != NULL && got == raw_len &&
		    compress2(z, &zlen, raw, (uLong)raw_len, DEFLATE_LEVEL) ==
		        Z_OK) {
			ef->prog = z;
			ef->prog_len = (size_t)zlen;
			ef->length1 = (unsigned)raw_len;
			z = NULL;
		}
		free(raw);
		free(z);
	}
	return NULL;
}

bool
font_embed_start(struct job *job, struct fontset *fs)
{
	uint16_t *codes = xcalloc(NCODES, sizeof *codes);
	bool any = false;
	for (int f = 0; f < FACE__MAX; f++) {
		struct emit_face *ef = &fs->face[f];
		if (ef->owner != f || ef->def == NULL)
			continue;
		size_t n = used_codes(ef, codes);
		if (n == 0 || font_get(fs, (enum face)f) == NULL)
			continue;
		/* The glyphs are final before the thread reads them. */
		flag_glyphs(ef, codes, n);
		HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)ef->def->attr;
		ef->embed = ta->embedding && ef->def->descriptor == NULL;
		any |= ef->embed;
	}
	free(codes);
	if (!font_check(job, fs, "prepare the fonts"))
		return false;
	if (!any)
		return true;
	HPDF_Error_Init(&fs->embed_err, NULL);
	fs->embed_mmgr = HPDF_MMgr_New(&fs->embed_err, 0, NULL, NULL);
	if (fs->embed_mmgr == NULL)
		return true;
	for (int f = 0; f < FACE__MAX; f++)
		if (fs->face[f].embed) {
			fs->face[f].def->mmgr = fs->embed_mmgr;
			fs->face[f].def->error = &fs->embed_err;
		}
	fs->embedding =
	    pthread_create(&fs->embedder, NULL, embed_thread, fs) == 0;
	if (!fs->embedding)
		embed_done(fs);
	return true;
}

/* Waits for the embedding thread and gives the definitions back. */
static void
embed_done(struct fontset *fs)
{
	if (fs->embedding)
		pthread_join(fs->embedder, NULL);
	fs->embedding = false;
	for (int f = 0; f < FACE__MAX; f++)
		if (fs->face[f].embed) {
			fs->face[f].def->mmgr = fs->pdf->mmgr;
			fs->face[f].def->error = &fs->pdf->error;
			fs->face[f].embed = false;
		}
	if (fs->embed_mmgr != NULL)
		HPDF_MMgr_Free(fs->embed_mmgr);
	fs->embed_mmgr = NULL;
}

/* Writes "/Filter /FlateDecode" into a font file's dictionary. */
static HPDF_STATUS
flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * The font descriptor libharu would make when it saves, with the font
 * program prepared by the thread already compressed in it.
 */
static void
add_descriptor(struct fontset *fs, struct emit_face *ef)
{
	HPDF_FontDef def = ef->def;
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;
	HPDF_MMgr mm = fs->pdf->mmgr;
	HPDF_Xref xref = fs->pdf->xref;
	HPDF_Dict d = HPDF_Dict_New(mm);
	HPDF_Dict file = HPDF_DictStream_New(mm, xref);
	if (d == NULL || file == NULL)
		return; /* fs->err is set */
	(void)HPDF_Stream_Write(file->stream, ef->prog,
	                        (HPDF_UINT)ef->prog_len);
	file->filter = HPDF_STREAM_FILTER_NONE;
	file->write_fn = flate_filter;
	(void)HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)ef->length1);
	(void)HPDF_Dict_AddNumber(file, "Length2", 0);
	(void)HPDF_Dict_AddNumber(file, "Length3", 0);
	(void)HPDF_Xref_Add(xref, d);
	(void)HPDF_Dict_Add(d, "FontFile2", file);
	(void)HPDF_Dict_AddName(d, "Type", "FontDescriptor");
	(void)HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
	(void)HPDF_Dict_AddNumber(d, "Descent", def->descent);
	(void)HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)def->flags);
	(void)HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
	(void)HPDF_Dict_AddName(d, "FontName", ta->base_font);
	(void)HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
	(void)HPDF_Dict_AddNumber(d, "StemV", def->stemv);
	(void)HPDF_Dict_AddNumber(d, "XHeight", def->x_height);
	def->descriptor = d;
}

bool
font_fix(struct job *job, struct fontset *fs)
{
	uint16_t *codes = xcalloc(NCODES, sizeof *codes);

	embed_done(fs);
	for (int f = 0; f < FACE__MAX; f++) {
		struct emit_face *ef = &fs->face[f];
		size_t n = 0;
		if (ef->owner != f || ef->font == NULL)
			continue;
		HPDF_FontAttr fa = (HPDF_FontAttr)ef->font->attr;
		if (fa->type != HPDF_FONT_TYPE0_TT || fa->cmap_stream == NULL) {
			diag_system(
			    job->diag,
			    "cannot embed \"%s\": libharu did not make a "
			    "Type0 TrueType font",
			    ef->path);
			free(codes);
			return false;
		}
		n = used_codes(ef, codes);
		flag_glyphs(ef, codes, n);
		fix_widths(ef->font, ef->def, codes, n);
		fix_tounicode(ef->font, codes, n);
		if (ef->prog != NULL && ef->def->descriptor == NULL)
			add_descriptor(fs, ef);
	}
	free(codes);
	return font_check(job, fs, "prepare the fonts");
}

void
emit_fonts_close(struct fontset *fs)
{
	if (fs == NULL)
		return;
	embed_done(fs);
	for (int f = 0; f < FACE__MAX; f++) {
		if (fs->face[f].owner != f)
			continue;
		free(fs->face[f].width);
		free(fs->face[f].used);
		free(fs->face[f].prog);
	}
	if (fs->pdf != NULL)
		HPDF_Free(fs->pdf);
	free(fs);
}
