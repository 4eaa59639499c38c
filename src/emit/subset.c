/*
 * Emit stage: the subset font program of a face (subset_build(), see
 * emit_int.h): only the glyphs drawn, renumbered 0, 1, ... in their
 * order in the file, with the tables a PDF reader needs for a
 * CIDFontType2 font (OpenType spec; PDF 32000 9.9).
 */
#include "emit_int.h"

#include <stdlib.h>
#include <string.h>

#include "../base/hash.h"
#include "../base/mem.h"

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
		const unsigned char *p = glyf + sfnt_glyph_at(ef, g);
		size_t n = sfnt_glyph_at(ef, g + 1) - sfnt_glyph_at(ef, g);
		for (size_t at = sfnt_next_component(p, n, 0); at != 0;
		     at = sfnt_next_component(p, n, at)) {
			uint32_t c = sfnt_u16(p + at + 2);
			if (c < ef->nglyphs && !ef->glyphs[c]) {
				ef->glyphs[c] = GLYPH_NEEDED;
				changed = true;
			}
		}
	}
	return changed;
}

void
subset_number(struct emit_face *ef)
{
	if (ef->glyphs[0] == 0)
		ef->glyphs[0] = GLYPH_NEEDED;
	do
		font_read_glyphs(
		    ef); /* before their components are looked at */
	while (mark_components(ef));
	/* At most 65,535 glyphs: numbers fit in two bytes. */
	ef->gid = mem_zalloc(ef->nglyphs, sizeof *ef->gid);
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
table_sum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < len; i += 4)
		sum += sfnt_u32(p + i);
	return sum;
}

/* The advance and left side bearing of glyph g, as its hmtx entry. */
static void
put_metric(unsigned char *out, const struct emit_face *ef, uint32_t g)
{
	const unsigned char *hmtx = ef->ttf + ef->tab[TT_HMTX].off;
	uint32_t m = g < ef->nmetrics ? g : ef->nmetrics - 1;
	put16(out, sfnt_u16(hmtx + 4 * m));
	put16(out + 2, g < ef->nmetrics ? sfnt_u16(hmtx + 4 * g + 2)
	                                : sfnt_u16(hmtx + 4 * ef->nmetrics +
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
	for (size_t at = sfnt_next_component(p, n, 0); at != 0;
	     at = sfnt_next_component(p, n, at)) {
		uint32_t c = sfnt_u16(p + at + 2);
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
 * its length in *len.
 */
static unsigned char *
build_program(const struct emit_face *ef, size_t *len)
{
	/* In tag order, as the table directory must be. */
	static const enum sfnt_tag order[] = {
	    TT_OS2,  TT_CVT,  TT_FPGM, TT_GLYF, TT_HEAD, TT_HHEA,
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
			glyf_len +=
			    sfnt_glyph_at(ef, g + 1) - sfnt_glyph_at(ef, g);
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
	unsigned char *out = mem_zalloc(size, 1);

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
				size_t from = sfnt_glyph_at(ef, g);
				size_t n = sfnt_glyph_at(ef, g + 1) - from;
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
		put32(rec + 4, table_sum(t, padded));
		put32(rec + 8, (uint32_t)at);
		put32(rec + 12, (uint32_t)tlen[k]);
		rec += 16;
		at += padded;
	}
	put32(out + head_at + 8, 0xB1B0AFBAu - table_sum(out, size));
	*len = size;
	return out;
}

void
subset_build(struct deflater *d, struct emit_face *ef)
{
	if (ef->read_err != 0)
		return;
	size_t raw_len = 0;
	unsigned char *raw = build_program(ef, &raw_len);
	size_t cap = deflate_bound(d, raw_len);
	unsigned char *z = mem_alloc(cap, 1);
	size_t zlen = deflate_zlib(d, raw, raw_len, z, cap);
	if (zlen > 0) {
		ef->prog = z;
		ef->prog_len = zlen;
		ef->length1 = (unsigned)raw_len;
		z = NULL;
	}
	free(raw);
	free(z);
}

void
subset_tag(const struct emit_face *ef, char tag[8])
{
	uint64_t h = hash_fnv(HASH_FNV_BASIS, ef->name, strlen(ef->name));
	h = hash_fnv(h, ef->glyphs, ef->nglyphs);
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '+';
	tag[7] = '\0';
}
