/*
 * Typeset stage: characters the fonts lack.  Finds the place of a
 * reported character in its input file, and lets check report them
 * without setting the document: the text is walked in the order the
 * typesetter meets it, each run in the face it is set in.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/srcpos.h"
#include "../base/utf8.h"

struct glyph_places {
	struct srcpos *srcpos;
	const struct doc_run **runs; /* the document's, by text address */
	size_t nruns, cap;
};

static void
add_run(struct glyph_places *gp, const struct doc_run *r)
{
	if (gp->nruns == gp->cap) {
		gp->cap = gp->cap ? gp->cap * 2 : 256;
		gp->runs = mem_realloc(gp->runs, gp->cap, sizeof *gp->runs);
	}
	gp->runs[gp->nruns++] = r;
}

static void
add_runs(struct glyph_places *gp, const struct doc_node *n)
{
	for (size_t i = 0; i < n->nruns; i++)
		add_run(gp, &n->runs[i]);
	for (const struct doc_node *c = n->first; c; c = c->next)
		add_runs(gp, c);
}

static int
cmp_text(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(const struct doc_run *const *)a)->text;
	uintptr_t y = (uintptr_t)(*(const struct doc_run *const *)b)->text;
	return (x > y) - (x < y);
}

static bool
same_loc(struct loc a, struct loc b)
{
	return a.line == b.line && a.col == b.col && a.file != NULL &&
	       b.file != NULL &&
	       (a.file == b.file || strcmp(a.file, b.file) == 0);
}

/* The run whose text holds s and that was read from loc, or NULL. */
static const struct doc_run *
run_at(const struct glyph_places *gp, const char *s, struct loc loc)
{
	uintptr_t at = (uintptr_t)s;
	size_t lo = 0, hi = gp->nruns;
	while (lo < hi) { /* the first run whose text starts after s */
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)gp->runs[mid]->text <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const char *text = gp->runs[lo - 1]->text;
	if (at >= (uintptr_t)text + strlen(text))
		return NULL;
	/* Runs may share a text (a name printed in several places). */
	for (size_t k = lo; k-- > 0 && gp->runs[k]->text == text;)
		if (same_loc(gp->runs[k]->loc, loc))
			return gp->runs[k];
	return NULL;
}

/* The index of places and the finder, made when first asked. */
static struct glyph_places *
places(struct typesetter *ts)
{
	struct glyph_places *gp = ts->places;
	if (gp == NULL) {
		/* The first character missing: index the runs now. */
		gp = ts->places = mem_zalloc(1, sizeof *gp);
		gp->srcpos = srcpos_new();
		add_runs(gp, ts->doc->root);
		for (size_t i = 0; i < ts->doc->nnotes; i++)
			for (size_t k = 0; k < ts->doc->notes[i].nruns; k++)
				add_run(gp, &ts->doc->notes[i].runs[k]);
		if (gp->nruns > 1)
			qsort(gp->runs, gp->nruns, sizeof *gp->runs, cmp_text);
	}
	return gp;
}

/* The run that text s was set from at loc, or NULL; *out gets s's place
 * in the input, or loc.  True when the input shows it. */
static bool
place_in_run(struct typesetter *ts, const char *s, struct loc loc,
             const struct doc_run **run, struct loc *out)
{
	*out = loc;
	*run = NULL;
	if (loc.file == NULL || loc.line == 0)
		return false;
	struct glyph_places *gp = places(ts);
	*run = run_at(gp, s, loc);
	return *run != NULL && srcpos_at(gp->srcpos, (*run)->loc, (*run)->text,
	                                 (size_t)(s - (*run)->text), out);
}

struct loc
ts_char_loc(struct typesetter *ts, const char *s, struct loc loc)
{
	const struct doc_run *r;
	struct loc at;
	place_in_run(ts, s, loc, &r, &at);
	return at;
}

/* Whether a[0..n) is b[0..n) but for the case of ASCII letters. */
static bool
same_but_case(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' ||
		               (x | 0x20) > 'z'))
			return false;
	}
	return true;
}

/*
 * Whether origin text t holds code point cp where the set text [lo, hi)
 * has it at s: the part of t around cp between its placeholders (within
 * [lo, hi)) is the text around s, but for capitals (an English title is
 * set in headline style).  *at gets cp's byte offset in t.
 */
static bool
holds_here(const char *t, uint32_t cp, const char *s, const char *lo,
           const char *hi, size_t *at)
{
	size_t tl = strlen(t);
	for (size_t k = 0; k < tl;) {
		uint32_t c;
		size_t n = utf8_decode(t + k, tl - k, &c);
		if (n == 0)
			return false;
		if (c != cp) {
			k += n;
			continue;
		}
		size_t a = k, b = k + n;
		while (a > 0 && t[a - 1] != '}' && (size_t)(s - lo) > k - a)
			a--;
		while (b < tl && t[b] != '{' && (size_t)(hi - s) > b - k)
			b++;
		if (same_but_case(s - (k - a), t + a, b - a)) {
			*at = k;
			return true;
		}
		k += n;
	}
	return false;
}

bool
ts_missing_loc(struct typesetter *ts, const char *s, struct loc loc,
               uint32_t cp, const char *word, size_t len, struct loc *out)
{
	const struct doc_run *r;
	if (place_in_run(ts, s, loc, &r, out))
		return true;
	struct glyph_places *gp = places(ts);
	/* Not where the text was set from: a party's name in a heading, a
	 * month's in a date, the template's words.  The first such text
	 * whose words around the character are the set text's there (its
	 * run's, or for text of no run, such as the footer, its word's). */
	const char *lo = r ? r->text : word;
	const char *hi = r ? r->text + strlen(r->text) : word + len;
	/* Text copied from runs read on loc's line (a heading's, in its
	 * contents entry): the one of them that holds the character there. */
	for (size_t i = 0; r == NULL && i < gp->nruns; i++) {
		size_t k;
		const struct doc_run *q = gp->runs[i];
		if (q->loc.line == loc.line && q->loc.file != NULL &&
		    strcmp(q->loc.file, loc.file) == 0 &&
		    holds_here(q->text, cp, s, lo, hi, &k) &&
		    srcpos_at(gp->srcpos, q->loc, q->text, k, out))
			return true;
	}
	const struct doc *d = ts->doc;
	for (size_t i = 0; i < d->norigins; i++) {
		size_t k;
		if (!holds_here(d->origins[i].text, cp, s, lo, hi, &k))
			continue;
		if (!srcpos_at(gp->srcpos, d->origins[i].loc,
		               d->origins[i].text, k, out))
			*out = d->origins[i].loc;
		return true;
	}
	return false;
}

void
ts_places_free(struct typesetter *ts)
{
	if (ts->places == NULL)
		return;
	srcpos_free(ts->places->srcpos);
	free(ts->places->runs);
	free(ts->places);
	ts->places = NULL;
}

/* The check's walk: the typesetter, and the characters looked at. */
struct walk {
	struct typesetter *ts;
	uint8_t *seen; /* per face and code point: looked at */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Reports the characters of s[0..len) in face f that no font of it has,
 * as ts_text_width() would. */
static void
chars(struct walk *w, enum face f, const char *s, size_t len, struct loc loc)
{
	const struct metrics *m = w->ts->m;
	for (size_t i = 0; i < len;) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
		    s[i] == '\r') {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			k = 1, cp = 0xFFFD;
		uint32_t key = (uint32_t)f * 0x110000u + cp;
		uint8_t bit = (uint8_t)(1u << (key % 8));
		if (!(w->seen[key / 8] & bit)) {
			w->seen[key / 8] |= bit;
			if (!m->covers(m->ctx, f, cp)) {
				/* The word it is in, as the typesetter
				 * measures it. */
				size_t a = i, b = i + k;
				while (a > 0 && !is_blank(s[a - 1]))
					a--;
				while (b < len && !is_blank(s[b]))
					b++;
				ts_warn_missing(w->ts, f, s + a, b - a, loc);
			}
		}
		i += k;
	}
}

static const struct style *
style_of(const struct walk *w, enum style_id id)
{
	return &w->ts->t->styles[id];
}

/* The runs of a paragraph in style st, as para.c sets them: a note
 * marker in the style's own face, "cited on pp." as on the first pass. */
static void
runs(struct walk *w, const struct doc_run *rs, size_t n, const struct style *st,
     unsigned skip)
{
	for (size_t i = 0; i < n; i++) {
		const struct doc_run *r = &rs[i];
		if (r->flags & (skip | RUN_BREAK))
			continue;
		enum face f = ts_face(st->face, r->flags);
		if (r->flags & RUN_NOTEREF)
			f = ts_face(st->face, 0);
		if (!(r->flags & RUN_PAGEREF)) {
			chars(w, f, r->text, strlen(r->text), r->loc);
			continue;
		}
		/* "Cited on p. 1." until the pages are known. */
		const struct doc_ref *ref = &w->ts->doc->refs[r->ref - 1];
		const char *lead =
		    ref->n > 0 ? (ref->one ? ref->one
		                           : tmpl_str(w->ts->t, STR_CITED_P))
		               : (ref->many ? ref->many
		                            : tmpl_str(w->ts->t, STR_CITED_PP));
		f = ts_face(st->face, 0);
		chars(w, f, lead, strlen(lead), r->loc);
		chars(w, f, ref->n > 0 ? "1." : ".", ref->n > 0 ? 2 : 1,
		      r->loc);
	}
}

/* A paragraph or heading, with the prefix hung left of its first line. */
static void
para(struct walk *w, const struct doc_node *n, const char *prefix)
{
	const struct style *st = style_of(w, n->style);
	runs(w, n->runs, n->nruns, st, 0);
	if (prefix != NULL)
		chars(w, st->face, prefix, strlen(prefix), (struct loc){0});
}

/* The contents: every section's title and its headings' text, in the
 * body's face, each at its node (layout.c's contents()). */
static void
contents(struct walk *w)
{
	struct typesetter *ts = w->ts;
	enum face f = style_of(w, STYLE_BODY)->face;
	for (const struct doc_node *n = ts->doc->root->first; n; n = n->next) {
		if (n->type != DOC_SECTION ||
		    n->as.section.id == SECTION_CONTENTS || n->as.section.annex)
			continue;
		const char *t = n->as.section.title;
		chars(w, f, t, strlen(t), n->loc);
		for (const struct doc_node *c = n->first; c; c = c->next) {
			if (c->type != DOC_HEADING)
				continue;
			/* A copy, as the entry's text is. */
			for (size_t i = 0; i < c->nruns; i++) {
				const struct doc_run *r = &c->runs[i];
				if (r->flags & RUN_NOTEREF)
					continue;
				char *copy =
				    arena_strdup(&ts->scratch, r->text);
				chars(w, f, copy, strlen(copy), c->loc);
			}
		}
	}
	arena_reset(&ts->scratch);
}

static void flow(struct walk *, const struct doc_node *, bool in_group,
                 const char *prefix);

/* A table: its cells' words measured for the column widths first,
 * without note markers and URLs, then its rows set. */
static void
table(struct walk *w, const struct doc_node *n)
{
	for (const struct doc_node *row = n->first; row; row = row->next)
		for (const struct doc_node *cell = row->first; cell;
		     cell = cell->next)
			for (const struct doc_node *p = cell->first; p;
			     p = p->next)
				runs(w, p->runs, p->nruns,
				     style_of(w, p->style),
				     RUN_NOTEREF | RUN_NOHYPH | RUN_PAGEREF);
	for (const struct doc_node *row = n->first; row; row = row->next)
		for (const struct doc_node *cell = row->first; cell;
		     cell = cell->next)
			for (const struct doc_node *p = cell->first; p;
			     p = p->next)
				flow(w, p, true, NULL);
}

static void
list(struct walk *w, const struct doc_node *n, bool in_group)
{
	int num = n->as.list.start ? n->as.list.start : 1;
	char buf[16];
	for (const struct doc_node *it = n->first; it; it = it->next, num++) {
		const char *prefix = "•";
		if (n->as.list.ordered) {
			snprintf(buf, sizeof buf, "%d.", num);
			prefix = buf;
		}
		for (const struct doc_node *c = it->first; c; c = c->next)
			flow(w, c, in_group, c == it->first ? prefix : NULL);
	}
}

/* The blocks in the order layout.c's flow() sets them. */
static void
flow(struct walk *w, const struct doc_node *n, bool in_group,
     const char *prefix)
{
	switch (n->type) {
	case DOC_SECTION: {
		struct doc_run title = {.text = n->as.section.title,
		                        .loc = n->loc};
		runs(w, &title, 1, style_of(w, STYLE_H1), 0);
		if (n->as.section.id == SECTION_CONTENTS)
			contents(w);
		for (const struct doc_node *c = n->first; c; c = c->next)
			flow(w, c, in_group, NULL);
		break;
	}
	case DOC_HEADING:
		para(w, n, in_group ? prefix : NULL);
		break;
	case DOC_PARA:
		para(w, n, prefix);
		break;
	case DOC_LIST:
		list(w, n, in_group);
		break;
	case DOC_ITEM:
	case DOC_QUOTE:
		for (const struct doc_node *c = n->first; c; c = c->next)
			flow(w, c, in_group, NULL);
		break;
	case DOC_BOX:
		for (const struct doc_node *c = n->first; !in_group && c;
		     c = c->next)
			flow(w, c, true, NULL);
		break;
	case DOC_TABLE:
		if (!in_group)
			table(w, n);
		break;
	case DOC_FIGURE:
		para(w, n, NULL);
		if (n->as.figure.chart == NULL) {
			/* What build says of its resolution (layout.c). */
			int32_t iw, ih;
			ts_figure_box(w->ts, n, w->ts->text_width, &iw, &ih);
		}
		break;
	default:
		break;
	}
}

/* A header, footer or banner string in style id, filled in as draw.c
 * fills it: the briefing's variables, the figures of page numbers, and
 * with {section}, each section's title. */
static void
furniture(struct walk *w, const char *s, enum style_id id)
{
	if (s == NULL)
		return;
	struct typesetter *ts = w->ts;
	enum face f = style_of(w, id)->face;
	const char *text =
	    ts_furniture_text(ts, s, "0123456789", "0123456789", "");
	chars(w, f, text, strlen(text), (struct loc){0});
	if (strstr(s, "{section}") == NULL)
		return;
	for (const struct doc_node *n = ts->doc->root->first; n; n = n->next)
		if (n->type == DOC_SECTION)
			chars(w, f, n->as.section.title,
			      strlen(n->as.section.title), n->loc);
}

bool
typeset_check_glyphs(struct job *job, const struct doc *doc,
                     const struct tmpl *t, const struct metrics *m)
{
	struct typesetter ts = {
	    .job = job, .doc = doc, .t = t, .m = m, .ok = true};
	ts.text_width = t->page_width - t->margin_left - t->margin_right;
	ts.text_height = t->page_height - t->margin_top - t->margin_bottom;
	ts.warned = mem_zalloc(TS_WARNED_BYTES, 1);
	struct walk w = {&ts, mem_zalloc(TS_WARNED_BYTES, 1)};
	ts_check_lang(&ts);
	/* The notes first, as typeset_doc() sets them. */
	const struct style *note = style_of(&w, STYLE_NOTE);
	chars(&w, note->face, "000", 3, (struct loc){0});
	for (size_t i = 0; i < doc->nnotes; i++) {
		char num[16];
		snprintf(num, sizeof num, "%u", doc->notes[i].num);
		runs(&w, doc->notes[i].runs, doc->notes[i].nruns, note, 0);
		chars(&w, note->face, num, strlen(num), (struct loc){0});
	}
	for (const struct doc_node *n = doc->root->first; n; n = n->next)
		flow(&w, n, false, NULL);
	const struct furniture *fu[2] = {&t->header, &t->footer};
	for (int i = 0; i < 2; i++) {
		enum style_id id = i == 0 ? STYLE_HEADER : STYLE_FOOTER;
		furniture(&w, fu[i]->left, id);
		furniture(&w, fu[i]->center, id);
		furniture(&w, fu[i]->right, id);
	}
	furniture(&w, t->banner, STYLE_BANNER);
	free(w.seen);
	free(ts.warned);
	ts_places_free(&ts);
	arena_free(&ts.scratch);
	return ts.ok;
}
