/*
 * Fonts for the emit stage: reads and checks the template's TrueType
 * faces, measures them for the typesetter (metrics.h) and embeds the
 * glyphs drawn as Type0 fonts in the libharu document: the subset font
 * programs are built here, on a thread of their own while the pages are
 * drawn, not by libharu (whose loader read the files four bytes at a time
 * and built 65,536-entry tables per face).
 */
#include "emit.h"
#include "emit_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../job.h"
#include "../tmpl.h"

/*
 * The font objects are made with libharu's object layer (HPDF_Dict and
 * its stream, filter and write_fn), whose layout is only known for this
 * release.
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
 * before the tables are read.
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

/*
 * The gid code u gets through
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
	/* Unsigned, as libharu 2.3.0 computed it (fonts measure as they
	 * always did): "negative" indices wrap to huge ones, no glyph. */
	uint32_t idx = ro / 2 + (u - be16(starts + 2 * i)) - (seg - i);
	if (idx > count)
		return 0;
	if (idx == count)
		return -1;
	return (long)((be16(glyphs + 2 * idx) + delta) & 0xFFFF);
}

/*
 * The offset in cmap table t of the character map used: the first
 * Windows Unicode format 4 subtable, else a Macintosh format 0 one, else
 * a Unicode format 4 one (libharu 2.3.0's choice, kept); 0 when there
 * is none, -1
 * when a subtable looked at lies outside the table's len bytes.
 */
static long
choose_cmap(const unsigned char *t, size_t len)
{
	size_t ms = 0, mac = 0, uni = 0;
	uint32_t nsub = be16(t + 2);
	for (uint32_t i = 0; i < nsub && ms == 0; i++) {
		const unsigned char *r = t + 4 + 8 * i;
		uint32_t pid = be16(r), eid = be16(r + 2);
		size_t off = be32(r + 4);
		if (off + 2 > len)
			return -1;
		uint32_t format = be16(t + off);
		if (pid == 3 && eid == 1 && format == 4)
			ms = off;
		else if (pid == 1 && eid == 0 && format == 0)
			mac = off;
		else if (pid == 0 && eid == 3 && format == 4)
			uni = off;
	}
	return (long)(ms ? ms : mac ? mac : uni);
}

/*
 * Checks the character map glyph_of() uses (the first Windows Unicode
 * format 4 subtable, else a Macintosh format 0 one, else a Unicode
 * format 4 one): inside the table, ending at U+FFFF, and sending every
 * code to a glyph the font has.  *space gets the glyph of U+0020.
 */
static const char *
check_cmap(const unsigned char *p, struct sfnt_table cm, uint32_t nglyphs,
           uint32_t *space, char *why, size_t n)
{
	const unsigned char *t = p + cm.off;

	if (cm.len < 4 || be16(t) != 0)
		return "the cmap table is damaged";
	uint32_t nsub = be16(t + 2);
	if (4 + 8 * (size_t)nsub > cm.len)
		return "the cmap table is cut short";
	long chosen = choose_cmap(t, cm.len);
	if (chosen < 0)
		return "a cmap subtable lies outside the cmap table";
	if (chosen == 0)
		return "it has no Unicode character map (cmap format 4)";
	size_t sub = (size_t)chosen;
	t += sub;
	if (be16(t) == 0) { /* the Macintosh byte map */
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
	/* A code is looked up in the first segment ending at or after
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
 * Checks the name table as ps_name() reads it: every string inside the
 * table, and a PostScript name (ID 6) and a style name (ID 2), Macintosh
 * Roman or Windows US English, short enough for a PDF name (127 bytes)
 * with the subset tag.  The style name is required as libharu 2.3.0
 * required it, so that the fonts accepted stay the same.
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
	/* Windows names are UTF-16: every second byte is kept. */
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

/* The tags of enum sfnt_tag, in its order. */
static const char sfnt_tags[TT__MAX][5] = {
    [TT_HEAD] = "head", [TT_HHEA] = "hhea", [TT_MAXP] = "maxp",
    [TT_HMTX] = "hmtx", [TT_CMAP] = "cmap", [TT_LOCA] = "loca",
    [TT_GLYF] = "glyf", [TT_NAME] = "name", [TT_OS2] = "OS/2",
    [TT_POST] = "post", [TT_CVT] = "cvt ", [TT_FPGM] = "fpgm",
    [TT_PREP] = "prep",
};

/*
 * Reads the table directory of p[0..len) into tab and found (the first
 * table of each tag counts).  Returns why it is unusable, or NULL.
 */
static const char *
find_tables(const unsigned char *p, size_t len, struct sfnt_table *tab,
            bool *found, char *why, size_t n)
{
	for (int k = 0; k < TT__MAX; k++) {
		tab[k] = (struct sfnt_table){0, 0};
		found[k] = false;
	}
	if (len < 12)
		return "the file is too short for a table directory";
	size_t ntab = be16(p + 4);
	if (ntab == 0)
		return "it has no tables";
	if (ntab > 625) /* 10,000 bytes of records */
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
		for (int k = 0; k < TT__MAX; k++) {
			if (!found[k] && memcmp(r, sfnt_tags[k], 4) == 0) {
				tab[k] = (struct sfnt_table){off, tlen};
				found[k] = true;
			}
		}
	}
	return NULL;
}

const char *
font_problem(const unsigned char *p, size_t len, char *why, size_t n)
{
	struct sfnt_table tab[TT__MAX];
	bool found[TT__MAX];
	enum { HEAD = TT_HEAD, HHEA = TT_HHEA, MAXP = TT_MAXP, HMTX = TT_HMTX,
	       CMAP = TT_CMAP, LOCA = TT_LOCA, GLYF = TT_GLYF, NAME = TT_NAME,
	       OS2 = TT_OS2, POST = TT_POST, N = TT__MAX };

	const char *bad = find_tables(p, len, tab, found, why, n);
	if (bad != NULL)
		return bad;
	for (int k = 0; k < POST; k++) {
		if (!found[k]) {
			snprintf(why, n, "the required table \"%s\" is missing",
			         sfnt_tags[k]);
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
	/* fsType: restricted (2), no subsetting (0x100) or bitmaps only
	 * (0x200).  Only a subset is ever embedded. */
	uint32_t fs_type = be16(os2 + 8);
	if (fs_type & 0x0302) {
		snprintf(why, n,
		         "its licence forbids embedding a subset of it "
		         "(OS/2 fsType 0x%04X)",
		         (unsigned)fs_type);
		return why;
	}
	if (found[POST] && tab[POST].len < 12)
		return "the post table is cut short";
	bad = check_names(p, tab[NAME]);
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

/*
 * The PostScript name (ID 6) as check_names() found it: Macintosh Roman,
 * else Windows US English with every second byte of its UTF-16 kept.
 */
static const char *
ps_name(struct arena *a, const unsigned char *p, struct sfnt_table nm)
{
	const unsigned char *t = p + nm.off;
	uint32_t count = be16(t + 2), strings = be16(t + 4);
	const unsigned char *mac = NULL, *win = NULL;
	size_t mac_len = 0, win_len = 0;

	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *r = t + 6 + 12 * i;
		uint32_t pid = be16(r), eid = be16(r + 2), lang = be16(r + 4);
		if (be16(r + 6) != 6)
			continue;
		const unsigned char *s = t + strings + be16(r + 10);
		if (pid == 1 && eid == 0) {
			mac = s;
			mac_len = be16(r + 8);
		} else if (pid == 3 && eid == 1 && lang == 0x0409) {
			win = s;
			win_len = be16(r + 8);
		}
	}
	bool use_mac = mac != NULL && mac_len > 0;
	char *out = arena_alloc(a, (use_mac ? mac_len : win_len / 2) + 1);
	size_t n = 0;
	if (use_mac)
		for (size_t i = 0; i < mac_len; i++)
			out[n++] = (char)mac[i];
	else
		for (size_t i = 1; i < win_len; i += 2)
			out[n++] = (char)win[i];
	/* A PDF name is bytes other than NUL; keep it printable. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] <= 0x20 ||
		    (unsigned char)out[i] >= 0x7F)
			out[i] = '-';
	out[n] = '\0';
	return out;
}

/* Reads what the typesetter and the PDF need from a checked font. */
static void
parse_face(struct arena *a, struct emit_face *ef)
{
	const unsigned char *p = ef->ttf;
	bool found[TT__MAX];
	char why[160];

	(void)find_tables(p, ef->ttf_len, ef->tab, found, why, sizeof why);
	const unsigned char *head = p + ef->tab[TT_HEAD].off;
	const unsigned char *hhea = p + ef->tab[TT_HHEA].off;
	ef->upem = be16(head + 18);
	ef->loca_long = be16(head + 50) == 1;
	ef->nglyphs = be16(p + ef->tab[TT_MAXP].off + 4);
	ef->nmetrics = be16(hhea + 34);
	ef->ascent = (int16_t)be16(hhea + 4) * 1000 / (int32_t)ef->upem;
	ef->descent = (int16_t)be16(hhea + 6) * 1000 / (int32_t)ef->upem;
	if (ef->ascent == 0) { /* no hhea ascent: the OS/2 typographic one */
		const unsigned char *os2 = p + ef->tab[TT_OS2].off;
		ef->ascent = (int16_t)be16(os2 + 68) * 1000 / (int32_t)ef->upem;
		ef->descent = (int16_t)be16(os2 + 70) * 1000 / (int32_t)ef->upem;
	}
	if (ef->descent >= 0)
		ef->descent = -ef->descent;
	ef->cmap = ef->tab[TT_CMAP].off +
	           (size_t)choose_cmap(p + ef->tab[TT_CMAP].off,
	                               ef->tab[TT_CMAP].len);
	ef->name = ps_name(a, p, ef->tab[TT_NAME]);
}

static size_t glyph_at(const struct emit_face *, uint32_t);

/* Reads n bytes at off of the face's file to the same place in its buffer;
 * a short read is noted in ef->read_err. */
static void
read_at(struct emit_face *ef, size_t off, size_t n)
{
	errno = 0;
	if (fileio_pread(ef->fd, ef->buf + off, n, off) < n &&
	    ef->read_err == 0)
		ef->read_err = errno != 0 ? errno : -1;
}

/* Reports ef->read_err; false when there was one. */
static bool
read_ok(struct job *job, const struct emit_face *ef, const struct loc *at)
{
	if (ef->read_err == 0)
		return true;
	diag_report(job->diag, DIAG_SYSTEM, at ? *at : (struct loc){0},
	            "cannot read \"%s\": %s", ef->path,
	            ef->read_err > 0 ? strerror(ef->read_err)
	                             : "it became shorter while it was read");
	return false;
}

/*
 * Reads the table directory and every table but the outlines into
 * ef->buf, each at its place in the file.  What lies outside the file is
 * left for font_problem() to report.
 */
static void
read_tables(struct emit_face *ef)
{
	unsigned char *p = ef->buf;
	size_t len = ef->ttf_len;
	struct sfnt_table tab[TT__MAX];
	bool found[TT__MAX];
	char why[160];

	read_at(ef, 0, len < 12 ? len : 12);
	if (len < 12)
		return;
	size_t dir = 12 + 16 * (size_t)be16(p + 4);
	read_at(ef, 12, (dir < len ? dir : len) - 12);
	if (find_tables(p, len, tab, found, why, sizeof why) != NULL)
		return;
	for (int k = 0; k < TT__MAX; k++) {
		size_t n = tab[k].len;
		if (!found[k] || k == TT_GLYF)
			continue;
		if (k == TT_POST && n > 32) /* its header only, not the
		                             * glyph names */
			n = 32;
		read_at(ef, tab[k].off, n);
	}
}

/*
 * Reads the outlines of the marked glyphs not read yet, a run of
 * neighbouring glyphs at a time.  A file cut short since it was checked
 * leaves zeros: a broken outline, never a read out of bounds.
 */
static void
read_glyphs(struct emit_face *ef)
{
	size_t glyf = ef->tab[TT_GLYF].off;
	for (uint32_t g = 0; g < ef->nglyphs;) {
		if (!ef->glyphs[g] || ef->read[g]) {
			g++;
			continue;
		}
		uint32_t end = g;
		while (end < ef->nglyphs && ef->glyphs[end] && !ef->read[end])
			ef->read[end++] = 1;
		size_t from = glyph_at(ef, g), to = glyph_at(ef, end);
		read_at(ef, glyf + from, to - from);
		g = end;
	}
}

/* Loads one face; false after reporting at the template's font entry. */
static bool
load_face(struct job *job, struct fontset *fs, const struct tmpl *t,
          enum face f)
{
	struct emit_face *ef = &fs->face[f];
	const struct loc *at = &t->font_locs[f];
	char reason_buf[160];
	size_t len;

	ef->path = t->fonts[f];
	ef->owner = (int)f;
	ef->fd = -1;
	if (ef->path == NULL) {
		diag_error(job->diag, *at, "no font file for face \"%s\"",
		           face_names[f]);
		return false;
	}
	for (int g = 0; g < (int)f; g++) {
		const struct emit_face *eg = &fs->face[g];
		if (eg->name != NULL && strcmp(eg->path, ef->path) == 0) {
			ef->owner = eg->owner;
			ef->ttf = eg->ttf;
			ef->name = eg->name;
			return true;
		}
	}
	int fd;
	if (!fileio_open_regular(job->diag, at, ef->path, &fd, &len))
		return false;
	/* Untouched pages of a large calloc cost nothing: only the
	 * tables read below are paid for, not the outlines (80% of a
	 * Noto face). */
	ef->buf = xcalloc(len + 1, 1);
	ef->fd = fd;
	ef->ttf = ef->buf;
	ef->ttf_len = len;
	read_tables(ef);
	if (!read_ok(job, ef, at) ||
	    !is_truetype(job, at, ef->path, ef->ttf, len))
		return false;
	const char *why =
	    font_problem(ef->ttf, len, reason_buf, sizeof reason_buf);
	if (why != NULL) {
		diag_error(job->diag, *at,
		           "\"%s\" is not a usable TrueType font: %s", ef->path,
		           why);
		return false;
	}
	parse_face(&fs->arena, ef);
	ef->read = xcalloc(ef->nglyphs, 1);
	ef->width = xcalloc(NCODES, sizeof *ef->width);
	ef->used = xcalloc(NCODES / 8, 1);
	for (uint32_t c = 0; c < 128; c++)
		ef->ascii[c] = font_width(fs, f, c);
	return true;
}

/* A fontset with a new libharu document; NULL after reporting. */
static struct fontset *
new_fontset(struct job *job)
{
	struct fontset *fs = xcalloc(1, sizeof *fs);

	for (int f = 0; f < FACE__MAX; f++)
		fs->face[f].fd = -1;
	/* libharu's own memory pool: its objects are taken from 64 KB
	 * blocks and freed with them, which makes freeing a document of
	 * thousands of pages about ten times faster (object by object it
	 * took a fifth as long as writing the file). */
	fs->pdf = HPDF_NewEx(on_error, NULL, NULL, 64 * 1024, fs);
	if (fs->pdf == NULL) {
		diag_system(job->diag, "cannot create a PDF document: %s",
		            reason(HPDF_FAILD_TO_ALLOC_MEM, 0));
		free(fs);
		return NULL;
	}
	/* libharu compresses nothing itself (no compression mode): every
	 * stream is compressed before it sees it (deflate.c). */
	return fs;
}

bool
emit_fonts_open(struct job *job, const struct tmpl *t, struct fontset **out)
{
	struct fontset *fs = new_fontset(job);
	bool ok = true;

	*out = NULL;
	if (fs == NULL)
		return false;
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

bool
emit_fonts_copy(struct job *job, const struct fontset *base,
                struct fontset **out)
{
	struct fontset *fs = new_fontset(job);

	*out = NULL;
	if (fs == NULL)
		return false;
	for (int f = 0; f < FACE__MAX; f++) {
		const struct emit_face *b = &base->face[f];
		struct emit_face *ef = &fs->face[f];
		/* The file's data, read and checked once; what drawing
		 * changes is the copy's own. */
		*ef = (struct emit_face){
		    .path = b->path, .owner = b->owner, .ttf = b->ttf,
		    .ttf_len = b->ttf_len, .buf = b->buf, .read = b->read,
		    .fd = b->fd, .name = b->name, .upem = b->upem,
		    .nglyphs = b->nglyphs, .nmetrics = b->nmetrics,
		    .loca_long = b->loca_long, .cmap = b->cmap,
		    .ascent = b->ascent, .descent = b->descent};
		memcpy(ef->tab, b->tab, sizeof ef->tab);
		memcpy(ef->ascii, b->ascii, sizeof ef->ascii);
		if (b->owner == f) {
			ef->width = xcalloc(NCODES, sizeof *ef->width);
			ef->used = xcalloc(NCODES / 8, 1);
		}
	}
	fs->borrowed = true;
	*out = fs;
	return true;
}

/*
 * The glyph of code u: the first segment of the format 4 map ending at
 * or after u (the last ends at U+FFFF, font_problem() checked), or the
 * format 0 map's byte.  0 is .notdef, no glyph.
 */
static uint32_t
glyph_of(const struct emit_face *ef, uint32_t u)
{
	const unsigned char *t = ef->ttf + ef->cmap;

	if (be16(t) == 0)
		return u < 256 ? t[6 + u] : 0;
	uint32_t seg = be16(t + 6) / 2;
	uint32_t count = (uint32_t)(be16(t + 2) - 16 - 8 * seg) / 2;
	uint32_t i = 0;
	while (i < seg - 1 && be16(t + 14 + 2 * i) < u)
		i++;
	if (be16(t + 16 + 2 * seg + 2 * i) > u)
		return 0;
	long gid = cmap4_gid(t, seg, i, u, count);
	return gid > 0 ? (uint32_t)gid : 0;
}

/* Advance of glyph gid [1/1000 em], truncated as /W gets it. */
static uint32_t
glyph_width(const struct emit_face *ef, uint32_t gid)
{
	const unsigned char *hmtx = ef->ttf + ef->tab[TT_HMTX].off;
	uint32_t m = gid < ef->nmetrics ? gid : ef->nmetrics - 1;
	return be16(hmtx + 4 * m) * 1000 / ef->upem;
}

/* Width of cp as stored in the cache: advance + 2, or 1 for no glyph. */
static uint16_t
look_up(const struct emit_face *ef, uint32_t cp)
{
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 1;
	uint32_t gid = glyph_of(ef, cp);
	/* A space always exists: without a glyph it draws as .notdef. */
	if (gid == 0 && cp != 0x20)
		return 1;
	uint32_t w = glyph_width(ef, gid);
	return (uint16_t)(w < 0xFFFD ? w + 2 : 0xFFFF);
}

/* metrics.advance: cached, so each code point is looked up once. */
static int32_t
advance(void *ctx, enum face f, uint32_t cp)
{
	struct fontset *fs = ctx;
	struct emit_face *o;
	uint16_t w;

	if (cp >= NCODES || (unsigned)f >= FACE__MAX)
		return -1; /* only the BMP is drawn */
	o = &fs->face[fs->face[f].owner];
	w = o->width[cp];
	if (w == 0)
		w = o->width[cp] = look_up(o, cp);
	return (int32_t)w - 2;
}

struct metrics
emit_fonts_metrics(struct fontset *fs)
{
	struct metrics m = {.ctx = fs, .advance = advance};

	for (int f = 0; f < FACE__MAX; f++) {
		const struct emit_face *o = &fs->face[fs->face[f].owner];
		m.ascent[f] = o->ascent;
		m.descent[f] = o->descent;
	}
	return m;
}

int32_t
font_width(struct fontset *fs, enum face f, uint32_t cp)
{
	int32_t w = advance(fs, f, cp);
	if (w >= 0)
		return w;
	/* No glyph: drawn as .notdef, with /DW. */
	return (int32_t)glyph_width(&fs->face[fs->face[f].owner], 0);
}

const int32_t *
font_ascii_widths(struct fontset *fs, enum face f)
{
	return fs->face[fs->face[f].owner].ascii;
}

HPDF_Font
font_get(struct fontset *fs, enum face f)
{
	return fs->face[fs->face[f].owner].font;
}

uint8_t *
font_used(struct fontset *fs, enum face f)
{
	return fs->face[fs->face[f].owner].used;
}

/* A table, not a builtin: without -mpopcnt the builtin is a call. */
#define BITS2(n) n, n + 1, n + 1, n + 2
#define BITS4(n) BITS2(n), BITS2(n + 1), BITS2(n + 1), BITS2(n + 2)
#define BITS6(n) BITS4(n), BITS4(n + 1), BITS4(n + 1), BITS4(n + 2)
const uint8_t font_bits[256] = {BITS6(0), BITS6(1), BITS6(1), BITS6(2)};

const struct emit_face *
font_face(const struct fontset *fs, enum face f)
{
	return &fs->face[fs->face[f].owner];
}

/* The codes set in ef->used, in order, into codes; returns how many. */
static size_t
used_codes(const struct emit_face *ef, uint16_t *codes)
{
	size_t n = 0;
	for (uint32_t c = 0; c < NCODES; c += 8) {
		unsigned bits = ef->used[c >> 3];
		for (uint32_t k = 0; bits != 0; k++, bits >>= 1)
			if (bits & 1)
				codes[n++] = (uint16_t)(c + k);
	}
	return n;
}

/* Where glyph g's outline starts in the glyf table [bytes]. */
static size_t
glyph_at(const struct emit_face *ef, uint32_t g)
{
	const unsigned char *loca = ef->ttf + ef->tab[TT_LOCA].off;
	return ef->loca_long ? be32(loca + 4 * g) : 2 * (size_t)be16(loca + 2 * g);
}

/*
 * Where a component record of the glyph outline p[0..n) starts: with at
 * 0 the first, else the one after the record at at (OpenType spec,
 * "glyf" table); 0 when there is none: a simple or empty glyph, the last
 * record, or one cut short.  A record's glyph number is at at + 2.
 */
static size_t
next_component(const unsigned char *p, size_t n, size_t at)
{
	if (at == 0) {
		/* Past the contour count (negative: composite) and the
		 * bounding box. */
		at = n >= 10 && (be16(p) & 0x8000) ? 10 : 0;
	} else {
		uint32_t flags = be16(p + at);
		if (!(flags & MORE_COMPONENTS))
			return 0;
		at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
		if (flags & WE_HAVE_A_SCALE)
			at += 2;
		else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
			at += 4;
		else if (flags & WE_HAVE_A_TWO_BY_TWO)
			at += 8;
	}
	return at != 0 && at + 4 <= n ? at : 0;
}

/*
 * Marks the components of the marked composite glyphs, transitively, so
 * that an accent built from other glyphs keeps its outline.  Returns true
 * when some glyph was newly marked.
 */
static bool
mark_components(struct emit_face *ef)
{
	const unsigned char *glyf = ef->ttf + ef->tab[TT_GLYF].off;
	bool changed = false;

	for (uint32_t g = 0; g < ef->nglyphs; g++) {
		if (!ef->glyphs[g])
			continue;
		const unsigned char *p = glyf + glyph_at(ef, g);
		size_t n = glyph_at(ef, g + 1) - glyph_at(ef, g);
		for (size_t at = next_component(p, n, 0); at != 0;
		     at = next_component(p, n, at)) {
			uint32_t c = be16(p + at + 2);
			if (c < ef->nglyphs && !ef->glyphs[c]) {
				ef->glyphs[c] = 1;
				changed = true;
			}
		}
	}
	return changed;
}

/*
 * Marks .notdef, the glyphs of the code points drawn and their
 * components, reads their outlines and numbers them for the subset.
 */
static void
flag_glyphs(struct emit_face *ef)
{
	ef->glyphs = xcalloc(ef->nglyphs, 1);
	ef->glyphs[0] = 1;
	for (uint32_t c = 0; c < NCODES; c += 8) {
		unsigned bits = ef->used[c >> 3];
		for (uint32_t k = 0; bits != 0; k++, bits >>= 1)
			if (bits & 1)
				ef->glyphs[glyph_of(ef, c + k)] = 1;
	}
	do
		read_glyphs(ef); /* before their components are looked at */
	while (mark_components(ef));
	/* At most 65,535 glyphs: numbers fit in two bytes. */
	ef->gid = xcalloc(ef->nglyphs, sizeof *ef->gid);
	ef->nsubset = 0;
	for (uint32_t g = 0; g < ef->nglyphs; g++)
		if (ef->glyphs[g])
			ef->gid[g] = (uint16_t)ef->nsubset++;
}

static void
put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* The TrueType checksum of p[0..len), len a multiple of 4. */
static uint32_t
sfnt_sum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < len; i += 4)
		sum += be32(p + i);
	return sum;
}

/* The advance and left side bearing of glyph g, as its hmtx entry. */
static void
put_metric(unsigned char *out, const struct emit_face *ef, uint32_t g)
{
	const unsigned char *hmtx = ef->ttf + ef->tab[TT_HMTX].off;
	uint32_t m = g < ef->nmetrics ? g : ef->nmetrics - 1;
	put16(out, be16(hmtx + 4 * m));
	put16(out + 2, g < ef->nmetrics
	                   ? be16(hmtx + 4 * g + 2)
	                   : be16(hmtx + 4 * ef->nmetrics +
	                          2 * (g - ef->nmetrics)));
}

/*
 * Renumbers the components of the composite glyph at p[0..n), a copy of
 * an embedded glyph, as the subset numbers them.  mark_components() has
 * embedded them all.
 */
static void
renumber_components(const struct emit_face *ef, unsigned char *p, size_t n)
{
	for (size_t at = next_component(p, n, 0); at != 0;
	     at = next_component(p, n, at)) {
		uint32_t c = be16(p + at + 2);
		put16(p + at + 2, c < ef->nglyphs ? ef->gid[c] : 0);
	}
}

/*
 * Builds the subset font program of a face: the tables a PDF reader
 * needs for a CIDFontType2 (OpenType spec; PDF 32000 9.9), in tag order,
 * with the marked glyphs only, numbered 0, 1, ... in their order in the
 * file (ef->gid).  hhea, hmtx, loca and maxp are cut to them, composite
 * glyphs name their components by the new numbers, and the CIDToGIDMap
 * takes codes to them.  The character map and the glyph names of "post"
 * are left out: a CID font is drawn through the CIDToGIDMap, and post
 * format 3 says there are no names.  For Noto, a face's program shrinks
 * from 43 KB to what its glyphs take.  Returns the program (malloc) and
 * its length in *len, or NULL when out of memory.
 */
static unsigned char *
build_program(const struct emit_face *ef, size_t *len)
{
	/* In tag order, as the table directory must be. */
	static const enum sfnt_tag order[] = {
	    TT_OS2, TT_CVT, TT_FPGM, TT_GLYF, TT_HEAD, TT_HHEA,
	    TT_HMTX, TT_LOCA, TT_MAXP, TT_NAME, TT_POST, TT_PREP,
	};
	enum { NORDER = sizeof order / sizeof order[0] };
	const unsigned char *p = ef->ttf;
	const unsigned char *glyf = p + ef->tab[TT_GLYF].off;
	size_t unit = ef->loca_long ? 4 : 2;
	size_t nsub = ef->nsubset;
	size_t glyf_len = 0, tlen[TT__MAX] = {0};
	unsigned ntab = 0;

	for (uint32_t g = 0; g < ef->nglyphs; g++)
		if (ef->glyphs[g])
			glyf_len += glyph_at(ef, g + 1) - glyph_at(ef, g);
	for (int i = 0; i < NORDER; i++) {
		enum sfnt_tag k = order[i];
		tlen[k] = k == TT_GLYF   ? glyf_len
		          : k == TT_LOCA ? unit * (nsub + 1)
		          : k == TT_HMTX ? 4 * nsub
		          : k == TT_POST ? 32
		                         : ef->tab[k].len;
		if (tlen[k] > 0 || k == TT_GLYF)
			ntab++;
	}
	size_t size = 12 + 16 * (size_t)ntab;
	for (int i = 0; i < NORDER; i++)
		size += (tlen[order[i]] + 3) & ~(size_t)3;
	unsigned char *out = calloc(size, 1);
	if (out == NULL)
		return NULL;

	unsigned sel = 0;
	while ((2u << sel) <= ntab)
		sel++;
	put32(out, 0x00010000);
	put16(out + 4, ntab);
	put16(out + 6, 16u << sel);
	put16(out + 8, sel);
	put16(out + 10, 16 * ntab - (16u << sel));

	unsigned char *rec = out + 12;
	size_t at = 12 + 16 * (size_t)ntab, head_at = 0;
	for (int i = 0; i < NORDER; i++) {
		enum sfnt_tag k = order[i];
		unsigned char *t = out + at;
		if (tlen[k] == 0 && k != TT_GLYF)
			continue;
		if (k == TT_GLYF || k == TT_LOCA || k == TT_HMTX) {
			/* The embedded glyphs in order: outlines, where
			 * each starts, metrics. */
			size_t o = 0, j = 0;
			for (uint32_t g = 0; g < ef->nglyphs; g++) {
				if (!ef->glyphs[g])
					continue;
				size_t from = glyph_at(ef, g);
				size_t n = glyph_at(ef, g + 1) - from;
				if (k == TT_GLYF) {
					memcpy(t + o, glyf + from, n);
					renumber_components(ef, t + o, n);
				} else if (k == TT_LOCA && unit == 4) {
					put32(t + 4 * j, (uint32_t)o);
				} else if (k == TT_LOCA) {
					put16(t + 2 * j, (uint32_t)(o / 2));
				} else {
					put_metric(t + 4 * j, ef, g);
				}
				o += n;
				j++;
			}
			if (k == TT_LOCA && unit == 4)
				put32(t + 4 * j, (uint32_t)o);
			else if (k == TT_LOCA)
				put16(t + 2 * j, (uint32_t)(o / 2));
		} else if (k == TT_POST) {
			/* Version 3: italic angle, underline and fixed
			 * pitch kept, no glyph names. */
			put32(t, 0x00030000);
			if (ef->tab[TT_POST].len >= 16)
				memcpy(t + 4, p + ef->tab[TT_POST].off + 4, 12);
		} else {
			memcpy(t, p + ef->tab[k].off, tlen[k]);
		}
		if (k == TT_HHEA) /* numberOfHMetrics: every glyph's */
			put16(t + 34, (uint32_t)nsub);
		if (k == TT_MAXP)
			put16(t + 4, (uint32_t)nsub);
		if (k == TT_HEAD) {
			head_at = at;
			put32(t + 8, 0); /* checkSumAdjustment, below */
		}
		size_t padded = (tlen[k] + 3) & ~(size_t)3;
		memcpy(rec, sfnt_tags[k], 4);
		put32(rec + 4, sfnt_sum(t, padded));
		put32(rec + 8, (uint32_t)at);
		put32(rec + 12, (uint32_t)tlen[k]);
		rec += 16;
		at += padded;
	}
	put32(out + head_at + 8, 0xB1B0AFBAu - sfnt_sum(out, size));
	*len = size;
	return out;
}

/*
 * Chooses, reads and numbers the glyphs of one face marked to embed,
 * then builds and compresses its program.  A read error is left in
 * ef->read_err for font_fix() to report.
 */
static void
build_face(struct deflater *d, struct emit_face *ef)
{
	flag_glyphs(ef);
	if (ef->read_err != 0)
		return;
	size_t raw_len = 0;
	unsigned char *raw = build_program(ef, &raw_len);
	size_t cap = raw ? deflater_bound(d, raw_len) : 0;
	unsigned char *z = raw ? malloc(cap) : NULL;
	size_t zlen = z ? deflater_zlib(d, raw, raw_len, z, cap) : 0;
	if (zlen > 0) {
		ef->prog = z;
		ef->prog_len = zlen;
		ef->length1 = (unsigned)raw_len;
		z = NULL;
	}
	free(raw);
	free(z);
}

/*
 * The subset tag (PDF 32000 9.6.4): six capitals from a hash of the font
 * and the codes drawn, so that the same subset always gets the same tag
 * and different subsets of one font different ones.
 */
static void
subset_tag(const struct emit_face *ef, char tag[8])
{
	uint64_t h = hash_fnv(HASH_FNV_BASIS, ef->name, strlen(ef->name));
	h = hash_fnv(h, ef->used, NCODES / 8);
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '+';
	tag[7] = '\0';
}

/* A new stream object for data compressed by deflate_small(). */
static HPDF_Dict
new_stream(struct fontset *fs)
{
	HPDF_Dict d = HPDF_DictStream_New(fs->pdf->mmgr, fs->pdf->xref);
	if (d != NULL) {
		d->filter = HPDF_STREAM_FILTER_NONE;
		d->write_fn = emit_flate_filter_array;
	}
	return d;
}

/* raw[0..n) compressed into stream dictionary d; false when zlib
 * failed. */
static bool
put_small(HPDF_Dict d, const void *raw, size_t n, struct buf *z)
{
	if (!deflate_small(raw, n, z))
		return false;
	(void)HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)z->data,
	                        (HPDF_UINT)z->len); /* errors: fs->err */
	return true;
}

/*
 * Makes the objects of a face's font: the Type0 font, its CIDFont, font
 * descriptor and streams (filled by font_fix()).  Codes are two bytes
 * each through Identity-H (font_codes()).  Errors land in
 * fs->err.
 */
static void
new_font(struct fontset *fs, struct emit_face *ef)
{
	HPDF_MMgr mm = fs->pdf->mmgr;
	HPDF_Xref xref = fs->pdf->xref;
	const unsigned char *p = ef->ttf;
	const unsigned char *head = p + ef->tab[TT_HEAD].off;
	const unsigned char *os2 = p + ef->tab[TT_OS2].off;
	int32_t upem = (int32_t)ef->upem;
	char tag[8], base[8 + 128];

	subset_tag(ef, tag);
	snprintf(base, sizeof base, "%s%s", tag, ef->name);

	HPDF_Dict font = HPDF_Dict_New(mm);
	HPDF_Dict cid = HPDF_Dict_New(mm);
	HPDF_Dict desc = HPDF_Dict_New(mm);
	HPDF_Dict info = HPDF_Dict_New(mm);
	HPDF_Array kids = HPDF_Array_New(mm);
	HPDF_Array bbox = HPDF_Array_New(mm);
	if (!font || !cid || !desc || !info || !kids || !bbox ||
	    HPDF_Xref_Add(xref, font) != HPDF_OK ||
	    HPDF_Xref_Add(xref, cid) != HPDF_OK ||
	    HPDF_Xref_Add(xref, desc) != HPDF_OK)
		return;
	ef->file = HPDF_DictStream_New(mm, xref);
	ef->tounicode = new_stream(fs);
	ef->cidtogid = new_stream(fs);
	if (!ef->file || !ef->tounicode || !ef->cidtogid)
		return;

	(void)HPDF_Dict_AddName(font, "Type", "Font");
	(void)HPDF_Dict_AddName(font, "Subtype", "Type0");
	(void)HPDF_Dict_AddName(font, "BaseFont", base);
	(void)HPDF_Dict_AddName(font, "Encoding", "Identity-H");
	(void)HPDF_Array_Add(kids, cid);
	(void)HPDF_Dict_Add(font, "DescendantFonts", kids);
	(void)HPDF_Dict_Add(font, "ToUnicode", ef->tounicode);

	(void)HPDF_Dict_AddName(cid, "Type", "Font");
	(void)HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	(void)HPDF_Dict_AddName(cid, "BaseFont", base);
	(void)HPDF_Dict_Add(info, "Registry",
	                    HPDF_String_New(mm, "Adobe", NULL));
	(void)HPDF_Dict_Add(info, "Ordering",
	                    HPDF_String_New(mm, "Identity", NULL));
	(void)HPDF_Dict_AddNumber(info, "Supplement", 0);
	(void)HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	(void)HPDF_Dict_Add(cid, "FontDescriptor", desc);
	(void)HPDF_Dict_AddNumber(cid, "DW", (HPDF_INT32)glyph_width(ef, 0));
	(void)HPDF_Dict_Add(cid, "CIDToGIDMap", ef->cidtogid);

	/* Flags: nonsymbolic (32), serif (2) by the OS/2 family class,
	 * italic (64) by the head table's macStyle. */
	uint32_t flags = 32, family = os2[30];
	if ((family >= 1 && family <= 5) || family == 7)
		flags |= 2;
	if (be16(head + 44) & 2)
		flags |= 64;
	int32_t italic = 0;
	if (ef->tab[TT_POST].len >= 8)
		italic = (int32_t)be32(p + ef->tab[TT_POST].off + 4) / 65536;
	/* sCapHeight from OS/2 version 2, else 70% of the em. */
	int32_t cap = be16(os2) >= 2 && ef->tab[TT_OS2].len >= 90
	                  ? (int16_t)be16(os2 + 88) * 1000 / upem
	                  : 700;
	/* A rough vertical stem width from the weight class. */
	uint32_t weight = be16(os2 + 4);
	int32_t stemv = 50 + (int32_t)(weight > 900 ? 900 : weight) / 5;
	(void)HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	(void)HPDF_Dict_AddName(desc, "FontName", base);
	(void)HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)flags);
	for (int i = 0; i < 4; i++)
		(void)HPDF_Array_AddNumber(
		    bbox, (int16_t)be16(head + 36 + 2 * i) * 1000 / upem);
	(void)HPDF_Dict_Add(desc, "FontBBox", bbox);
	(void)HPDF_Dict_AddNumber(desc, "ItalicAngle", italic);
	(void)HPDF_Dict_AddNumber(desc, "Ascent", ef->ascent);
	(void)HPDF_Dict_AddNumber(desc, "Descent", ef->descent);
	(void)HPDF_Dict_AddNumber(desc, "CapHeight", cap);
	(void)HPDF_Dict_AddNumber(desc, "StemV", stemv);
	(void)HPDF_Dict_Add(desc, "FontFile2", ef->file);
	ef->font = font;
	ef->cid = cid;
}

bool
font_embed_start(struct job *job, struct fontset *fs)
{
	for (int f = 0; f < FACE__MAX; f++) {
		struct emit_face *ef = &fs->face[f];
		if (ef->owner != f)
			continue;
		/* The codes: at most 63,488 code points are drawn (the
		 * BMP less surrogates), so they fit in two bytes. */
		uint32_t n = 0;
		ef->rank = xcalloc(NCODES / 8, sizeof *ef->rank);
		for (uint32_t i = 0; i < NCODES / 8; i++) {
			ef->rank[i] = (uint16_t)n;
			n += font_bits[ef->used[i]];
		}
		ef->ncodes = n;
		if (n == 0)
			continue;
		new_font(fs, ef);
	}
	return font_check(job, fs, "prepare the fonts");
}

/*
 * The ToUnicode CMap: code i + 1 draws code point cps[i], in bfchar
 * blocks.  Not bfrange: Ghostscript 10.0 misreads bfrange above U+00FF.
 */
static void
write_tounicode(struct buf *b, const uint16_t *cps, size_t n)
{
	buf_reset(b);
	buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
	            "12 dict begin\n"
	            "begincmap\n"
	            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	            "/Supplement 0 >> def\n"
	            "/CMapName /Adobe-Identity-UCS def\n"
	            "/CMapType 2 def\n"
	            "1 begincodespacerange\n"
	            "<0000> <FFFF>\n"
	            "endcodespacerange\n");
	for (size_t i = 0; i < n; i += CMAP_BLOCK) {
		size_t m = n - i < CMAP_BLOCK ? n - i : CMAP_BLOCK;
		buf_printf(b, "%zu beginbfchar\n", m);
		for (size_t j = 0; j < m; j++)
			buf_printf(b, "<%04X> <%04X>\n", (unsigned)(i + j + 1),
			           (unsigned)cps[i + j]);
		buf_puts(b, "endbfchar\n");
	}
	buf_puts(b, "endcmap\n"
	            "CMapName currentdict /CMap defineresource pop\n"
	            "end\n"
	            "end\n");
}

/*
 * Writes the CIDFont's /W (codes 1 to n, in one run unless a code point
 * has no glyph) and its CIDToGIDMap (code to subset glyph) into map,
 * which has room for n + 1 codes.  Code points without a glyph are left
 * to /DW and glyph 0, .notdef.
 */
static void
write_widths(struct emit_face *ef, const uint16_t *cps, size_t n,
             unsigned char *map)
{
	HPDF_MMgr mm = ef->cid->mmgr;
	HPDF_Array w = HPDF_Array_New(mm);
	HPDF_Array run = NULL;
	size_t next = 0;

	(void)HPDF_Dict_Add(ef->cid, "W", w); /* errors: fs->err */
	for (size_t i = 0; w != NULL && i < n; i++) {
		uint32_t gid = glyph_of(ef, cps[i]);
		if (gid == 0)
			continue;
		uint32_t sub = ef->gid[gid];
		map[2 * (i + 1)] = (unsigned char)(sub >> 8);
		map[2 * (i + 1) + 1] = (unsigned char)sub;
		if (run == NULL || i != next) {
			(void)HPDF_Array_AddNumber(w, (HPDF_INT32)(i + 1));
			run = HPDF_Array_New(mm);
			(void)HPDF_Array_Add(w, run);
		}
		(void)HPDF_Array_AddNumber(run,
		                           (HPDF_INT32)glyph_width(ef, gid));
		next = i + 1;
	}
}

bool
font_fix(struct job *job, struct fontset *fs)
{
	struct deflater *d = deflater_new();
	struct buf raw = {0}, z = {0};
	bool ok = d != NULL;
	for (int f = 0; ok && f < FACE__MAX; f++) {
		struct emit_face *ef = &fs->face[f];
		if (ef->owner != f || ef->font == NULL)
			continue;
		build_face(d, ef);
		if (!read_ok(job, ef, NULL)) {
			ok = false;
			break;
		}
		if (ef->prog == NULL) {
			diag_system(job->diag, "cannot embed \"%s\": out of memory",
			            ef->path);
			ok = false;
			break;
		}
		uint16_t *cps = xcalloc(ef->ncodes, sizeof *cps);
		size_t n = used_codes(ef, cps);
		unsigned char *map = xcalloc(n + 1, 2);
		write_widths(ef, cps, n, map);
		write_tounicode(&raw, cps, n);
		ok = put_small(ef->cidtogid, map, 2 * (n + 1), &z) &&
		     put_small(ef->tounicode, raw.data, raw.len, &z);
		free(map);
		free(cps);
		if (!ok) {
			diag_system(job->diag, "cannot embed \"%s\": %s",
			            ef->path, "compression failed");
			break;
		}
		(void)HPDF_Stream_Write(ef->file->stream, ef->prog,
		                        (HPDF_UINT)ef->prog_len);
		ef->file->filter = HPDF_STREAM_FILTER_NONE;
		ef->file->write_fn = emit_flate_filter;
		(void)HPDF_Dict_AddNumber(ef->file, "Length1",
		                          (HPDF_INT32)ef->length1);
	}
	deflater_free(d);
	buf_free(&raw);
	buf_free(&z);
	if (d == NULL)
		diag_system(job->diag, "cannot embed the fonts: out of memory");
	return ok && font_check(job, fs, "prepare the fonts");
}

void
emit_fonts_close(struct fontset *fs)
{
	if (fs == NULL)
		return;
	for (int f = 0; f < FACE__MAX; f++) {
		if (fs->face[f].owner != f)
			continue;
		free(fs->face[f].width);
		free(fs->face[f].used);
		free(fs->face[f].rank);
		free(fs->face[f].glyphs);
		free(fs->face[f].gid);
		free(fs->face[f].prog);
		if (!fs->borrowed) {
			free(fs->face[f].buf);
			free(fs->face[f].read);
			if (fs->face[f].fd >= 0)
				close(fs->face[f].fd);
		}
	}
	if (fs->pdf != NULL)
		HPDF_Free(fs->pdf);
	arena_free(&fs->arena);
	free(fs);
}
