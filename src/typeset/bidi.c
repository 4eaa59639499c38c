/*
 * Typeset stage: the Unicode Bidirectional Algorithm (UAX #9) through
 * FriBidi.  A paragraph with right-to-left letters gets an embedding
 * level for each byte of its runs (bidi_levels()); the line builder keeps
 * text of one level together, and each line's pieces are put in visual
 * order (bidi_reorder()).  Paragraphs without such letters, nearly all
 * of them, never reach FriBidi, but in a briefing written right to left
 * (where a paragraph of no letters reads right to left).
 */
#include "typeset_int.h"

#include <math.h>
#include <string.h>

#include <fribidi.h>

#include "../base/arena.h"
#include "../base/mem.h"
#include "../base/utf8.h"

/* Whether UTF-8 text may hold a right-to-left character: its lead byte
 * is that of U+0590 to U+08FF, or of the presentation forms and
 * supplementary planes where other right-to-left scripts live; or a mark
 * that sets text right to left. */
static bool
may_be_rtl(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	/* Eight bytes at a time past ASCII, the most of any text. */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (w & 0x8080808080808080u)
			break;
	}
	for (; i < len; i++) {
		if ((p[i] >= 0xD6 && p[i] <= 0xE0) || p[i] == 0xEF ||
		    p[i] == 0xF0)
			return true;
		/* The marks that ask for right to left: RLM U+200F, RLE
		 * U+202B, RLO U+202E, RLI U+2067. */
		if (p[i] == 0xE2 && i + 2 < len &&
		    ((p[i + 1] == 0x80 &&
		      (p[i + 2] == 0x8F || p[i + 2] == 0xAB ||
		       p[i + 2] == 0xAE)) ||
		     (p[i + 1] == 0x81 && p[i + 2] == 0xA7)))
			return true;
	}
	return false;
}

/* Whether cp is punctuation a note puts around a field: a quotation
 * mark, a comma, a colon, a full stop. */
static bool
around_field(uint32_t cp)
{
	switch (cp) {
	case ' ':
	case '"':
	case '\'':
	case 0x2018: /* single quotation marks */
	case 0x2019:
	case 0x201C: /* double */
	case 0x201D:
	case 0x201E:
	case 0x00AB: /* guillemets */
	case 0x00BB:
	case ',':
	case '.':
	case ';':
	case ':':
		return true;
	default:
		return false;
	}
}

/* The bytes [*from, *to) of a field's run s[0..len) without the
 * quotation marks and separators a note puts around it; *from = len
 * when nothing is left. */
static void
field_of(const char *s, size_t len, size_t *from, size_t *to)
{
	*from = len;
	*to = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			k = 1, cp = 0xFFFD;
		if (!around_field(cp)) {
			if (*from == len)
				*from = i;
			*to = i + k;
		}
		i += k;
	}
}

/* Bidi controls of the text of a field: kept from reaching FriBidi, so
 * that they cannot close the isolate the field is put in. */
static bool
is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool
bidi_levels(struct arena *a, const struct doc_run *runs, size_t nruns,
            int base_dir, struct bidi *out)
{
	bool rtl_doc = base_dir == BIDI_WEAK_RTL || base_dir == BIDI_RTL;
	size_t total = 0, nchars = 0;
	bool rtl = false;

	*out = (struct bidi){0};
	for (size_t r = 0; r < nruns; r++) {
		size_t len = strlen(runs[r].text);
		total += len;
		rtl = rtl || may_be_rtl(runs[r].text, len);
	}
	if ((!rtl && !rtl_doc) || total == 0 || (base_dir == BIDI_LTR && !rtl))
		return false;
	/* Room for each run's characters, and two isolate marks. */
	FriBidiChar *us = arena_array(a, total + 2 * nruns, sizeof *us);
	uint32_t *run_of = arena_array(a, total + 2 * nruns, sizeof *run_of);
	uint32_t *at = arena_array(a, total + 2 * nruns, sizeof *at);
	for (size_t r = 0; r < nruns; r++) {
		const char *s = runs[r].text;
		size_t len = strlen(s);
		/* A source's field in a note, in a first-strong isolate
		 * (FSI ... PDI), the quotation marks and commas around it
		 * outside. */
		size_t from = len, to = 0;
		bool field = runs[r].flags & RUN_ISOLATE;
		if (field)
			field_of(s, len, &from, &to);
		if (runs[r].flags & (RUN_BREAK | RUN_NOTEREF)) {
			/* A forced break: a line separator.  A note's
			 * marker: an object that takes no part in the
			 * direction of the text around it (its figures are
			 * not numbers of the sentence). */
			run_of[nchars] = (uint32_t)r;
			at[nchars] = 0;
			us[nchars++] =
			    runs[r].flags & RUN_BREAK ? 0x2028 : 0xFFFC;
			continue;
		}
		for (size_t i = 0; i < len;) {
			uint32_t cp;
			size_t k = utf8_decode(s + i, len - i, &cp);
			if (k == 0)
				k = 1, cp = 0xFFFD;
			if (from < len && (i == from || i == to)) {
				/* A mark of no bytes: its level is none's. */
				run_of[nchars] = (uint32_t)r;
				at[nchars] = (uint32_t)i;
				us[nchars++] = i == from ? 0x2068 : 0x2069;
			}
			run_of[nchars] = (uint32_t)r;
			at[nchars] = (uint32_t)i;
			/* A tab or line break in a value is set as a word
			 * space: not a separator that ends a direction's run
			 * (UAX #9 classes S and B). */
			us[nchars++] = cp == '\t' || cp == '\n' || cp == '\r'
			                   ? ' '
			               : field && is_bidi_control(cp) ? 0x200B
			                                              : cp;
			i += k;
		}
		if (to == len && from < len) {
			run_of[nchars] = (uint32_t)r;
			at[nchars] = (uint32_t)len;
			us[nchars++] = 0x2069;
		}
	}
	FriBidiCharType *types = arena_array(a, nchars, sizeof *types);
	FriBidiBracketType *brackets = arena_array(a, nchars, sizeof *brackets);
	FriBidiLevel *levels = arena_array(a, nchars, sizeof *levels);
	FriBidiParType base = base_dir == BIDI_RTL   ? FRIBIDI_PAR_RTL
	                      : base_dir == BIDI_LTR ? FRIBIDI_PAR_LTR
	                      : rtl_doc              ? FRIBIDI_PAR_WRTL
	                                             : FRIBIDI_PAR_ON;
	fribidi_get_bidi_types(us, (FriBidiStrIndex)nchars, types);
	fribidi_get_bracket_types(us, (FriBidiStrIndex)nchars, types, brackets);
	if (fribidi_get_par_embedding_levels_ex(
	        types, brackets, (FriBidiStrIndex)nchars, &base, levels) == 0)
		return false;
	/* A text with no strong letter keeps the weak direction asked. */
	out->base = base == FRIBIDI_PAR_RTL || base == FRIBIDI_PAR_WRTL ? 1 : 0;
	if (out->base == 0) {
		/* All left to right after all (a paragraph of English in
		 * a Hebrew briefing): set as any other. */
		size_t c = 0;
		while (c < nchars && levels[c] == 0)
			c++;
		if (c == nchars)
			return false;
	}
	out->level = arena_array(a, nruns, sizeof *out->level);
	for (size_t r = 0; r < nruns; r++)
		out->level[r] =
		    arena_array(a, strlen(runs[r].text) + 1, sizeof(uint8_t));
	/* Each byte of a character takes its level; a note's marker, set
	 * where its object is, the even level at or above: its figures read
	 * left to right ("14", not "41"). */
	for (size_t c = 0; c < nchars; c++) {
		const char *s = runs[run_of[c]].text;
		size_t end = c + 1 < nchars && run_of[c + 1] == run_of[c]
		                 ? at[c + 1]
		                 : strlen(s);
		uint8_t lv = (uint8_t)levels[c];
		if (runs[run_of[c]].flags & RUN_NOTEREF)
			lv = (uint8_t)(lv + (lv & 1));
		for (size_t i = at[c]; i < end; i++)
			out->level[run_of[c]][i] = lv;
	}
	return true;
}

void
bidi_reorder(uint8_t *levels, size_t *order, size_t n)
{
	uint8_t hi = 0, lo = 0xFF;
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		if (levels[i] > hi)
			hi = levels[i];
		if (levels[i] < lo)
			lo = levels[i];
	}
	if (lo % 2 == 0)
		lo++; /* the lowest odd level */
	/* Rule L2: from the highest level down to the lowest odd one,
	 * reverse every run of pieces at that level or higher. */
	for (unsigned lv = hi; lv >= lo && lv > 0; lv--)
		for (size_t i = 0; i < n;) {
			if (levels[i] < lv) {
				i++;
				continue;
			}
			size_t j = i;
			while (j < n && levels[j] >= lv)
				j++;
			for (size_t a = i, b = j - 1; a < b; a++, b--) {
				size_t t = order[a];
				order[a] = order[b];
				order[b] = t;
				uint8_t u = levels[a];
				levels[a] = levels[b];
				levels[b] = u;
			}
			i = j;
		}
}

/* A piece of a one-line text: a word, or the part of one in one
 * direction, or a space. */
struct seg {
	size_t at, len;
	int32_t w; /* [mpt] */
	uint8_t level;
	bool space;
};

void
ts_line(struct typesetter *ts, const struct page_op *proto, struct loc loc,
        struct line *out)
{
	struct arena *a = ts->job->arena;
	const char *s = proto->text;
	size_t len = strlen(s);
	struct doc_run run = {.text = s, .loc = loc};
	struct bidi bd;

	if (!bidi_levels(&ts->scratch, &run, 1,
	                 ts->line_dir ? ts->line_dir : ts->rtl_doc, &bd)) {
		out->w =
		    ts_text_width(ts, proto->face, proto->size, s, len, loc);
		out->ops = arena_array(a, 1, sizeof *out->ops);
		out->ops[0] = *proto;
		out->ops[0].w = out->w;
		out->n = 1;
		out->rtl = false;
		return;
	}
	const uint8_t *lv = bd.level[0];
	struct seg *seg = arena_array(&ts->scratch, len, sizeof *seg);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i + 1;
		if (s[i] != ' ')
			while (j < len && s[j] != ' ' && lv[j] == lv[i])
				j++;
		seg[n] = (struct seg){.at = i,
		                      .len = j - i,
		                      .level = lv[i],
		                      .space = s[i] == ' '};
		i = j;
		n++;
	}
	int64_t total = 0;
	uint8_t *levels = arena_array(&ts->scratch, n, sizeof *levels);
	size_t *order = arena_array(&ts->scratch, n, sizeof *order);
	for (size_t k = 0; k < n; k++) {
		struct seg *g = &seg[k];
		if (g->space) {
			/* The level the algorithm resolved for it; spaces that
			 * end the line take the line's (UAX #9, rule L1). */
			bool trailing = true;
			for (size_t m = k + 1; m < n && trailing; m++)
				trailing = seg[m].space;
			if (trailing)
				g->level = (uint8_t)bd.base;
			g->w = (int32_t)((int64_t)ts->space[proto->face] *
			                 proto->size / 1000);
		} else {
			int64_t w = (int64_t)ts_word_width(
			                ts, proto->face, s + g->at, g->len,
			                g->level % 2 == 1, loc) *
			            proto->size / 1000;
			g->w = w < TS_MAX_WIDTH ? (int32_t)w : TS_MAX_WIDTH;
		}
		levels[k] = g->level;
		total += g->w;
	}
	bidi_reorder(levels, order, n);
	out->ops = arena_array(a, n, sizeof *out->ops);
	out->n = 0;
	out->rtl = bd.base == 1;
	out->w = total < TS_MAX_WIDTH ? (int32_t)total : TS_MAX_WIDTH;
	double c = cos(proto->angle * 3.14159265358979323846 / 180);
	double sn = sin(proto->angle * 3.14159265358979323846 / 180);
	int64_t x = 0;
	for (size_t k = 0; k < n; k++) {
		const struct seg *g = &seg[order[k]];
		if (!g->space) {
			struct page_op *op = &out->ops[out->n++];
			*op = *proto;
			op->text = arena_strndup(a, s + g->at, g->len);
			op->x = proto->x + (int32_t)lround((double)x * c);
			op->y = proto->y + (int32_t)lround((double)x * sn);
			op->w = g->w;
			op->rtl = g->level % 2 == 1;
		}
		x += g->w;
	}
}

void
ts_line_move(struct line *l, int32_t dx, int32_t dy)
{
	for (size_t k = 0; k < l->n; k++) {
		l->ops[k].x += dx;
		l->ops[k].y += dy;
	}
}
