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

/* Loads one face; false after reporting at the template's font entry. */
static bool
load_face(struct job *job, struct fontset *fs, const struct tmpl *t,
          enum face f)
{
	struct emit_face *ef = &fs->face[f];
	const struct loc *at = &t->font_locs[f];
	char *data;
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
	ef->name = HPDF_LoadTTFontFromFile(fs->pdf, ef->path, HPDF_TRUE);
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

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
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

bool
font_fix(struct job *job, struct fontset *fs)
{
	uint16_t *codes = xcalloc(NCODES, sizeof *codes);

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
		for (uint32_t c = 0; c < NCODES; c++)
			if (ef->used[c >> 3] & (1u << (c & 7)))
				codes[n++] = (uint16_t)c;
		mark_drawn(ef->def, codes, n);
		fix_widths(ef->font, ef->def, codes, n);
		HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)ef->def->attr;
		while (mark_components(ta, ef->ttf, ef->ttf_len))
			continue;
		fix_tounicode(ef->font, codes, n);
	}
	free(codes);
	return font_check(job, fs, "prepare the fonts");
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
	}
	if (fs->pdf != NULL)
		HPDF_Free(fs->pdf);
	free(fs);
}
