/*
 * Emit stage: the template's fonts, each face's own and its fallbacks.
 * Reads and checks their TrueType files (sfnt.c), reading the outlines
 * only as glyphs are drawn; measures shaped words for the typesetter
 * (metrics.h, through shape.c); and embeds the glyphs drawn as Type0
 * fonts (subset.c builds the programs, haru.c the objects), not through
 * libharu, whose loader read the files four bytes at a time and built
 * 65,536-entry tables per face.
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
#include "../base/utf8.h"
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

/*
 * Loads font i, face f's k-th; false after reporting at the template's
 * entry for it.
 */
static bool
load_face(struct job *job, struct fontset *fs, const struct tmpl *t,
          enum face f, int k)
{
	int i = (int)f * TMPL_FONTS_MAX + k;
	struct emit_face *ef = &fs->face[i];
	const struct loc *at = &t->font_locs[f][k];
	char reason_buf[160];
	size_t len;

	ef->path = t->fonts[f][k];
	ef->owner = i;
	ef->fd = -1;
	if (ef->path == NULL) {
		if (k > 0)
			return true;
		diag_error(job->diag, *at, "no font file for face \"%s\"",
		           tmpl_face_names[f]);
		return false;
	}
	for (int g = 0; g < FONTS_MAX; g++) {
		const struct emit_face *eg = &fs->face[g];
		if (g != i && eg->owner == g && eg->name != NULL &&
		    strcmp(eg->path, ef->path) == 0) {
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
	ef->glyphs = mem_zalloc(ef->nglyphs, 1);
	ef->text = mem_zalloc(ef->nglyphs, sizeof *ef->text);
	if (!shape_font_open(ef)) {
		diag_error(job->diag, *at,
		           "\"%s\" is not a usable TrueType font: HarfBuzz "
		           "cannot read it",
		           ef->path);
		return false;
	}
	return true;
}

/* A fontset with a new libharu document; NULL after reporting. */
static struct fontset *
new_fontset(struct job *job)
{
	struct fontset *fs = mem_zalloc(1, sizeof *fs);

	for (int i = 0; i < FONTS_MAX; i++)
		fs->face[i].fd = -1;
	if (!haru_new(job, fs)) {
		free(fs);
		return NULL;
	}
	fs->dz = deflate_new();
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
	fs->shaper = shape_new();
	fs->job = job;
	fs->t = t;
	/* The faces' own fonts now; a fallback when a character first
	 * needs it (font_of()). */
	for (int f = 0; f < FACE__MAX; f++) {
		if (!load_face(job, fs, t, (enum face)f, 0))
			ok = false;
		for (int k = 1; k < TMPL_FONTS_MAX; k++) {
			struct emit_face *ef =
			    &fs->face[f * TMPL_FONTS_MAX + k];
			ef->path = t->fonts[f][k];
			ef->owner = -1;
		}
	}
	if (!ok) {
		emit_fonts_close(fs);
		return false;
	}
	*out = fs;
	return true;
}

bool
emit_fonts_copy(struct job *job, struct fontset *base, struct fontset **out)
{
	struct fontset *fs = new_fontset(job);

	*out = NULL;
	if (fs == NULL)
		return false;
	/* Every font read, so that the copies share them all. */
	for (int f = 0; f < FACE__MAX; f++)
		for (int k = 1; k < TMPL_FONTS_MAX; k++)
			(void)font_of(base, (enum face)f, k);
	fs->shaper = base->shaper;
	for (int i = 0; i < FONTS_MAX; i++) {
		const struct emit_face *b = &base->face[i];
		struct emit_face *ef = &fs->face[i];
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
		                         .ascent = b->ascent,
		                         .descent = b->descent,
		                         .hb = b->hb};
		memcpy(ef->tab, b->tab, sizeof ef->tab);
		memcpy(ef->ascii, b->ascii, sizeof ef->ascii);
		if (b->path != NULL && b->owner == i) {
			ef->glyphs = mem_zalloc(ef->nglyphs, 1);
			ef->text = mem_zalloc(ef->nglyphs, sizeof *ef->text);
		}
	}
	fs->borrowed = true;
	*out = fs;
	return true;
}

struct emit_face *
font_of(struct fontset *fs, enum face f, int k)
{
	struct emit_face *ef = &fs->face[(int)f * TMPL_FONTS_MAX + k];
	if (ef->path != NULL && ef->owner < 0 &&
	    !load_face(fs->job, fs, fs->t, f, k)) {
		/* Reported; the other fonts go on without it. */
		if (ef->owner == (int)(ef - fs->face)) {
			shape_font_close(ef);
			free(ef->buf);
			free(ef->read);
			free(ef->glyphs);
			free(ef->text);
			if (ef->fd >= 0)
				close(ef->fd);
		}
		*ef = (struct emit_face){.fd = -1, .owner = -1};
	}
	return ef->path != NULL ? &fs->face[ef->owner] : NULL;
}

void
emit_fonts_lang(struct fontset *fs, const char *lang)
{
	shape_lang(fs->shaper, lang);
}

/* metrics.word */
static int32_t
word_width(void *ctx, enum face f, const char *s, size_t len, bool rtl,
           bool *missing, int32_t *pen)
{
	const struct shape_word *w = shape_word(ctx, f, s, len, rtl);
	if (w->missing)
		*missing = true;
	if (pen != NULL) {
		/* Each glyph's advance at its cluster, then summed. */
		memset(pen, 0, (len + 1) * sizeof *pen);
		for (uint32_t i = 0; i < w->n; i++)
			if (w->g[i].cluster < len)
				pen[w->g[i].cluster + 1] += w->g[i].adv;
		for (size_t i = 1; i <= len; i++)
			pen[i] += pen[i - 1];
	}
	return w->width;
}

/* metrics.covers */
static bool
covers(void *ctx, enum face f, uint32_t cp)
{
	return shape_covers(ctx, f, cp);
}

struct metrics
emit_fonts_metrics(struct fontset *fs)
{
	struct metrics m = {.ctx = fs, .word = word_width, .covers = covers};

	for (int f = 0; f < FACE__MAX; f++) {
		const struct emit_face *o = font_of(fs, (enum face)f, 0);
		m.ascent[f] = o->ascent;
		m.descent[f] = o->descent;
		m.superscripts[f] = shape_superscripts(o);
	}
	return m;
}

/* v's low 16 bits as four hex digits. */
static void
put_hex4(struct buf *b, uint32_t v)
{
	unsigned char be[2] = {(unsigned char)(v >> 8), (unsigned char)v};
	buf_hex(b, be, 2);
}

void
font_put_utf16(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			k = 1, cp = 0xFFFD;
		i += k;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_hex4(b, 0xD800 + (cp >> 10));
			put_hex4(b, 0xDC00 + (cp & 0x3FF));
		} else {
			put_hex4(b, cp);
		}
	}
}

/*
 * The ToUnicode CMap: the code of each glyph drawn (its number in the
 * font) gives the characters it was first drawn for, several for a
 * ligature, in bfchar blocks.  Not bfrange: Ghostscript 10.0 misreads
 * bfrange above U+00FF.
 */
static void
write_tounicode(struct buf *b, const struct emit_face *ef)
{
	size_t n = 0;
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
	for (uint32_t g = 0; g < ef->nglyphs; g++)
		n += ef->glyphs[g] == GLYPH_DRAWN && ef->text[g] != NULL;
	n += ef->nabsent;
	for (uint32_t g = 0, k = 0; g < ef->nglyphs + ef->nabsent; g++) {
		char ch[5] = {0};
		const char *text = NULL;
		if (g >= ef->nglyphs)
			utf8_encode(ef->absent[g - ef->nglyphs], ch), text = ch;
		else if (ef->glyphs[g] == GLYPH_DRAWN)
			text = ef->text[g];
		if (text == NULL)
			continue;
		if (k % CMAP_BLOCK == 0)
			buf_printf(b, "%zu beginbfchar\n",
			           n - k < CMAP_BLOCK ? n - k : CMAP_BLOCK);
		buf_putc(b, '<');
		put_hex4(b, g);
		BUF_LIT(b, "> <");
		font_put_utf16(b, text, strlen(text));
		buf_puts(b, ">\n");
		if (++k % CMAP_BLOCK == 0 || k == n)
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
	struct deflater *d = fs->dz;
	struct buf cmap = {0}, z = {0};
	bool ok = true;
	for (int i = 0; ok && i < FONTS_MAX; i++) {
		struct emit_face *ef = &fs->face[i];
		if (ef->path == NULL || ef->owner != i || ef->font == NULL)
			continue;
		subset_number(ef);
		subset_build(d, ef);
		ok = read_ok(job, ef, NULL);
		if (!ok)
			break;
		write_tounicode(&cmap, ef);
		ok = ef->prog != NULL && haru_font_fill(ef, d, &cmap, &z);
		if (!ok)
			diag_system(job->diag, "cannot embed \"%s\": %s",
			            ef->path, "compression failed");
	}
	buf_free(&cmap);
	buf_free(&z);
	return ok && haru_check(job, fs, "prepare the fonts");
}

void
emit_fonts_close(struct fontset *fs)
{
	if (fs == NULL)
		return;
	for (int i = 0; i < FONTS_MAX; i++) {
		struct emit_face *ef = &fs->face[i];
		if (ef->path == NULL || ef->owner != i)
			continue;
		free(ef->glyphs);
		free(ef->text);
		free(ef->absent);
		free(ef->gid);
		free(ef->prog);
		if (!fs->borrowed) {
			shape_font_close(ef);
			free(ef->buf);
			free(ef->read);
			if (ef->fd >= 0)
				close(ef->fd);
		}
	}
	if (!fs->borrowed)
		shape_free(fs->shaper);
	haru_free(fs);
	deflate_free(fs->dz);
	arena_free(&fs->arena);
	free(fs);
}
