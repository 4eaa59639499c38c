/*
 * Typeset stage: characters the fonts lack.  Finds the place of a
 * reported character in its input file.
 */
#include "typeset_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/srcpos.h"

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

struct loc
ts_char_loc(struct typesetter *ts, const char *s, struct loc loc)
{
	if (loc.file == NULL || loc.line == 0)
		return loc;
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
	const struct doc_run *r = run_at(gp, s, loc);
	if (r == NULL)
		return loc;
	return srcpos_find(gp->srcpos, r->loc, r->text, (size_t)(s - r->text));
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
