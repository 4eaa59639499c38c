/*
 * Emit stage: the template's faces.  Reads and checks their TrueType
 * files (sfnt.c), reading the outlines only as glyphs are drawn;
 * measures them for the typesetter (metrics.h); numbers the code points
 * drawn; and embeds the glyphs drawn as Type0 fonts (subset.c builds the
 * programs, haru.c the objects), not through libharu, whose loader read
 * the files four bytes at a time and built 65,536-entry tables per face.
 */
#include "emit.h"
#include "emit_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/mem.h"
#include "../job.h"
#include "../tmpl.h"

#define CMAP_BLOCK 100 /* entries per bfchar block, the CMap limit */

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
 * left for sfnt_problem() to report.
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
	size_t dir = 12 + 16 * (size_t)sfnt_u16(p + 4);
	read_at(ef, 12, (dir < len ? dir : len) - 12);
	if (sfnt_tables(p, len, tab, found, why, sizeof why) != NULL)
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
 * A run of neighbouring glyphs at a time.  A file cut short since it was
 * checked leaves zeros: a broken outline, never a read out of bounds.
 */
void
font_read_glyphs(struct emit_face *ef)
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
		size_t from = sfnt_glyph_at(ef, g), to = sfnt_glyph_at(ef, end);
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
		           tmpl_face_names[f]);
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
	ef->buf = mem_zalloc(len + 1, 1);
	ef->fd = fd;
	ef->ttf = ef->buf;
	ef->ttf_len = len;
	read_tables(ef);
	if (!read_ok(job, ef, at) ||
	    !is_truetype(job, at, ef->path, ef->ttf, len))
		return false;
	const char *why =
	    sfnt_problem(ef->ttf, len, reason_buf, sizeof reason_buf);
	if (why != NULL) {
		diag_error(job->diag, *at,
		           "\"%s\" is not a usable TrueType font: %s", ef->path,
		           why);
		return false;
	}
	sfnt_parse(&fs->arena, ef);
	ef->read = mem_zalloc(ef->nglyphs, 1);
	ef->width = mem_zalloc(NCODES, sizeof *ef->width);
	ef->used = mem_zalloc(NCODES / 8, 1);
	for (uint32_t c = 0; c < 128; c++)
		ef->ascii[c] = font_width(fs, f, c);
	return true;
}

/* A fontset with a new libharu document; NULL after reporting. */
static struct fontset *
new_fontset(struct job *job)
{
	struct fontset *fs = mem_zalloc(1, sizeof *fs);

	for (int f = 0; f < FACE__MAX; f++)
		fs->face[f].fd = -1;
	if (!haru_new(job, fs)) {
		free(fs);
		return NULL;
	}
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
		*ef = (struct emit_face){.path = b->path,
		                         .owner = b->owner,
		                         .ttf = b->ttf,
		                         .ttf_len = b->ttf_len,
		                         .buf = b->buf,
		                         .read = b->read,
		                         .fd = b->fd,
		                         .name = b->name,
		                         .upem = b->upem,
		                         .nglyphs = b->nglyphs,
		                         .nmetrics = b->nmetrics,
		                         .loca_long = b->loca_long,
		                         .cmap = b->cmap,
		                         .ascent = b->ascent,
		                         .descent = b->descent};
		memcpy(ef->tab, b->tab, sizeof ef->tab);
		memcpy(ef->ascii, b->ascii, sizeof ef->ascii);
		if (b->owner == f) {
			ef->width = mem_zalloc(NCODES, sizeof *ef->width);
			ef->used = mem_zalloc(NCODES / 8, 1);
		}
	}
	fs->borrowed = true;
	*out = fs;
	return true;
}

/* Width of cp as stored in the cache: advance + 2, or 1 for no glyph. */
static uint16_t
look_up(const struct emit_face *ef, uint32_t cp)
{
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 1;
	uint32_t gid = sfnt_glyph(ef, cp);
	/* A space always exists: without a glyph it draws as .notdef. */
	if (gid == 0 && cp != 0x20)
		return 1;
	uint32_t w = sfnt_advance(ef, gid);
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
	return (int32_t)sfnt_advance(&fs->face[fs->face[f].owner], 0);
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
		ef->rank = mem_zalloc(NCODES / 8, sizeof *ef->rank);
		for (uint32_t i = 0; i < NCODES / 8; i++) {
			ef->rank[i] = (uint16_t)n;
			n += font_bits[ef->used[i]];
		}
		ef->ncodes = n;
		if (n == 0)
			continue;
		haru_font_new(fs, ef);
	}
	return haru_check(job, fs, "prepare the fonts");
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

bool
font_fix(struct job *job, struct fontset *fs)
{
	struct deflater *d = deflate_new();
	struct buf cmap = {0}, z = {0};
	bool ok = true;
	for (int f = 0; ok && f < FACE__MAX; f++) {
		struct emit_face *ef = &fs->face[f];
		if (ef->owner != f || ef->font == NULL)
			continue;
		subset_build(d, ef);
		ok = read_ok(job, ef, NULL);
		if (!ok)
			break;
		uint16_t *cps = mem_zalloc(ef->ncodes, sizeof *cps);
		size_t n = used_codes(ef, cps);
		write_tounicode(&cmap, cps, n);
		ok = ef->prog != NULL && haru_font_fill(ef, cps, n, &cmap, &z);
		free(cps);
		if (!ok)
			diag_system(job->diag, "cannot embed \"%s\": %s",
			            ef->path, "compression failed");
	}
	deflate_free(d);
	buf_free(&cmap);
	buf_free(&z);
	return ok && haru_check(job, fs, "prepare the fonts");
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
