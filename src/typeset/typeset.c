/*
 * Typeset stage: entry point.  Sets up the typesetter, lays the document
 * out into a vertical list and paginates it.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <stdlib.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/mem.h"

struct hyphenator *
ts_hyphenator(struct typesetter *ts)
{
	/* Most paragraphs set well without hyphens, and a document may
	 * need none: the patterns are only read for the first that does,
	 * and their absence is reported then. */
	if (!ts->t->hyphenate)
		return NULL;
	if (!ts->hyph_tried) {
		ts->hyph_tried = true;
		ts->hyph = hyphen_open(HYPHEN_PATTERNS);
		ts->hyph_unsaid = ts->hyph == NULL;
	}
	if (ts->hyph_unsaid) {
		ts->hyph_unsaid = false;
		diag_warning(ts->job->diag, (struct loc){0},
		             "no hyphenation patterns at %s (install "
		             "hyphen-en-us); words are not hyphenated",
		             HYPHEN_PATTERNS);
	}
	return ts->hyph;
}

/* 700 KB: one bit per face and code point. */
#define WARNED_BYTES ((size_t)FACE__MAX * 0x110000u / 8)

void
typeset_pages_free(struct pages *p)
{
	for (size_t i = 0; p->pages != NULL && i < p->n; i++) {
		struct page *pg = &p->pages[i];
		if (pg->owned)
			free(pg->ops);
		if (pg->owned)
			*pg = (struct page){0};
	}
}

bool
typeset_doc(struct job *job, const struct doc *doc, const struct tmpl *t,
            const struct metrics *m, struct pages *out)
{
	struct typesetter ts = {
	    .job = job, .doc = doc, .t = t, .m = m, .ok = true};
	memset(out, 0, sizeof *out);
	for (int f = 0; f < FACE__MAX; f++) {
		bool missing = false;
		ts.space[f] = m->word(m->ctx, (enum face)f, " ", 1, false,
		                      &missing, NULL);
	}
	ts.text_width = t->page_width - t->margin_left - t->margin_right;
	ts.text_height = t->page_height - t->margin_top - t->margin_bottom;
	/* One bit per face and code point, for missing-glyph reports. */
	ts.warned = mem_zalloc(WARNED_BYTES, 1);
	size_t nn = doc->nnotes ? doc->nnotes : 1;
	ts.note_page = arena_array(&ts.scratch2, nn, sizeof *ts.note_page);
	int32_t *before = arena_array(&ts.scratch2, nn, sizeof *before);
	for (size_t i = 0; i < nn; i++)
		ts.note_page[i] = -1;
	layout_notes(&ts);
	struct pager pager = {.ts = &ts};
	/* The source list names the pages that cite each source, so it is
	 * set again once they are known, until they stop moving. */
	for (int pass = 0; pass < 4; pass++) {
		memcpy(before, ts.note_page, nn * sizeof *before);
		ts.prev_vlist = ts.vlist;
		ts.vlist = NULL;
		ts.nvlist = ts.capvlist = 0;
		pager = (struct pager){.ts = &ts};
		layout_doc(&ts);
		paginate_vlist(&ts, &pager);
		if (doc->nrefs == 0 ||
		    memcmp(before, ts.note_page, nn * sizeof *before) == 0)
			break;
		ts.quiet = true;
	}
	for (size_t i = 0; i < pager.noverfull; i++)
		diag_warning(job->diag, pager.overfull[i]->loc,
		             "this %s is taller than the page; it runs into "
		             "the bottom margin",
		             pager.overfull[i]->repeat ? "table row" : "block");
	draw_pages(&ts, &pager, out);
	copies_marks(&ts, out);
	out->title = doc->vars[VAR_TITLE];
	out->author = doc->vars[VAR_PREPARED_BY];
	out->subject = doc->vars[VAR_SUBTITLE];
	out->keywords = doc->keywords;
	out->lang = doc->lang;
	out->created = doc->created;
	out->tz_minutes = doc->tz_minutes;
	free(ts.warned);
	hyphen_close(ts.hyph);
	para_bufs_free(&ts);
	arena_free(&ts.scratch);
	arena_free(&ts.scratch2);
	arena_free(&ts.boxes);
	arena_free(&ts.cites);
	return ts.ok;
}
