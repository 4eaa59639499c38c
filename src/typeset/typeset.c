/*
 * Typeset stage: entry point.  Sets up the typesetter, lays the document
 * out into a vertical list and paginates it.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/diag.h"


/* Reads the patterns (from the prefetch when there is one), unsaid. */
static void
hyph_load(struct typesetter *ts)
{
	ts->hyph_tried = true;
	struct hyphen_load *ahead = ts->job->hyphens;
	ts->job->hyphens = NULL;
	ts->hyph = ahead ? hyphen_take(ahead) : hyphen_open(HYPHEN_PATTERNS);
	ts->hyph_unsaid = ts->hyph == NULL;
}

struct hyphenator *
ts_hyphenator(struct typesetter *ts)
{
	/* Most paragraphs set well without hyphens, and a document may
	 * need none: the patterns are only read for the first that does,
	 * and their absence is reported then. */
	if (!ts->t->hyphenate)
		return NULL;
	if (!ts->hyph_tried)
		hyph_load(ts);
	if (ts->hyph_unsaid) {
		ts->hyph_unsaid = false;
		diag_warning(ts->job->diag, (struct loc){0},
		             "no hyphenation patterns at %s (install "
		             "hyphen-en-us); words are not hyphenated",
		             HYPHEN_PATTERNS);
	}
	return ts->hyph;
}

/*
 * The notes are set on a second thread while the main thread sets the
 * body: each note is a paragraph of its own, and only pagination (and a
 * table row too tall to be sure of its page) needs them.  The thread has
 * a typesetter of its own (arenas, buffers, diagnostics, the bitset of
 * missing glyphs); the fonts' width cache is atomic and the hyphenation
 * patterns are only read.  Its diagnostics are then said before the
 * body's, as when the notes were set first, and a missing glyph is
 * reported once, at its first place in a note.
 */
struct notes_run {
	pthread_t thread;
	bool started, joined;
	struct typesetter ts;
	struct job job;
	struct arena arena;
	struct diag diag;
};

/* Below this many notes a thread costs more than it saves. */
#define NOTES_THREAD_MIN 64

static void *
notes_thread(void *arg)
{
	struct notes_run *nr = arg;
	layout_notes(&nr->ts);
	return NULL;
}

static struct notes_run *
notes_start(struct typesetter *ts)
{
	struct notes_run *nr = calloc(1, sizeof *nr);
	uint8_t *warned = calloc((size_t)FACE__MAX * 0x110000u / 8, 1);
	if (nr == NULL || warned == NULL) {
		free(nr);
		free(warned);
		return NULL;
	}
	if (ts->t->hyphenate && !ts->hyph_tried)
		hyph_load(ts); /* shared, read only */
	nr->job = *ts->job;
	nr->job.arena = &nr->arena;
	nr->job.diag = &nr->diag;
	diag_init(&nr->diag, NULL);
	nr->ts = *ts;
	nr->ts.job = &nr->job;
	nr->ts.scratch = nr->ts.scratch2 = nr->ts.boxes = (struct arena){0};
	nr->ts.para = NULL;
	nr->ts.opbuf = NULL;
	nr->ts.opcap = 0;
	nr->ts.warned = warned;
	nr->ts.notes_run = NULL;
	nr->ts.missing = NULL;
	nr->ts.nmissing = nr->ts.capmissing = 0;
	nr->ts.record_missing = false;
	nr->started =
	    pthread_create(&nr->thread, NULL, notes_thread, nr) == 0;
	if (!nr->started)
		notes_thread(nr);
	return nr;
}

void
ts_notes_ready(struct typesetter *ts)
{
	struct notes_run *nr = ts->notes_run;
	if (nr == NULL || nr->joined)
		return;
	if (nr->started)
		pthread_join(nr->thread, NULL);
	nr->joined = true;
	ts->notes = nr->ts.notes;
}

/* True when d has a message like m with no place (said once). */
static bool
said_unplaced(const struct diag *d, const struct diag_msg *m)
{
	if (m->loc.file != NULL)
		return false;
	for (size_t i = 0; i < d->n; i++)
		if (d->msgs[i].loc.file == NULL &&
		    strcmp(d->msgs[i].text, m->text) == 0)
			return true;
	return false;
}

/*
 * Waits for the notes and folds the thread's typesetter into ts: its
 * diagnostics first, then the body's (held in body_diag), less the
 * missing glyphs a note reported first.
 */
static void
notes_finish(struct typesetter *ts, struct job *job, struct diag *body_diag)
{
	struct notes_run *nr = ts->notes_run;
	ts_notes_ready(ts);
	diag_replay(job->diag, &nr->diag);
	size_t k = 0;
	for (size_t i = 0; i < body_diag->n; i++) {
		const struct diag_msg *m = &body_diag->msgs[i];
		while (k < ts->nmissing && ts->missing[k].msg < i)
			k++;
		if (k < ts->nmissing && ts->missing[k].msg == i) {
			uint32_t key = ts->missing[k].key;
			if (nr->ts.warned[key / 8] & (1u << (key % 8)))
				continue;
		}
		if (said_unplaced(job->diag, m))
			continue;
		diag_report(job->diag, m->level, m->loc, "%s", m->text);
	}
	/* 700 KB each: only looked at when a note warned. */
	size_t bytes = (size_t)FACE__MAX * 0x110000u / 8;
	for (size_t i = 0; nr->ts.nwarned > 0 && i < bytes; i++)
		ts->warned[i] |= nr->ts.warned[i];
	ts->nwarned += nr->ts.nwarned;
	ts->ok &= nr->ts.ok;
	/* Said by either thread: said. */
	ts->hyph_unsaid = ts->hyph_unsaid && nr->ts.hyph_unsaid;
	arena_adopt(job->arena, &nr->arena);
	arena_adopt(&ts->boxes, &nr->ts.boxes);
	para_bufs_free(&nr->ts);
	arena_free(&nr->ts.scratch);
	arena_free(&nr->ts.scratch2);
	free(nr->ts.warned);
	diag_free(&nr->diag);
	free(ts->missing);
	ts->missing = NULL;
	ts->nmissing = ts->capmissing = 0;
	ts->record_missing = false;
	ts->notes_run = NULL;
	free(nr);
}

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
	struct typesetter ts = {.job = job, .doc = doc, .t = t, .m = m,
	                        .ok = true};
	memset(out, 0, sizeof *out);
	for (int f = 0; f < FACE__MAX; f++)
		for (uint32_t c = 0; c < 128; c++)
			ts.ascii[f][c] = m->advance(m->ctx, (enum face)f, c);
	ts.text_width = t->page_width - t->margin_left - t->margin_right;
	ts.text_height = t->page_height - t->margin_top - t->margin_bottom;
	/* One bit per face and code point, for missing-glyph reports. */
	ts.warned = calloc((size_t)FACE__MAX * 0x110000u / 8, 1);
	if (ts.warned == NULL) {
		diag_system(job->diag, "out of memory");
		return false;
	}
	size_t nn = doc->nnotes ? doc->nnotes : 1;
	ts.note_page = arena_array(&ts.scratch2, nn, sizeof *ts.note_page);
	int32_t *before = arena_array(&ts.scratch2, nn, sizeof *before);
	for (size_t i = 0; i < nn; i++)
		ts.note_page[i] = -1;
	/* The body's diagnostics while the notes are set elsewhere. */
	struct diag body_diag;
	struct job body_job = *job;
	diag_init(&body_diag, NULL);
	body_job.diag = &body_diag;
	if (doc->nnotes >= NOTES_THREAD_MIN)
		ts.notes_run = notes_start(&ts);
	if (ts.notes_run == NULL)
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
		if (ts.notes_run != NULL) {
			ts.job = &body_job;
			ts.record_missing = true;
			layout_doc(&ts);
			ts.job = job;
			notes_finish(&ts, job, &body_diag);
		} else {
			layout_doc(&ts);
		}
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
	out->title = doc->vars[VAR_TITLE];
	out->author = doc->vars[VAR_PREPARED_BY];
	out->subject = doc->vars[VAR_SUBTITLE];
	out->keywords = doc->keywords;
	out->created = doc->created;
	out->tz_minutes = doc->tz_minutes;
	diag_free(&body_diag);
	free(ts.warned);
	hyphen_close(ts.hyph);
	/* Read ahead but never needed. */
	typeset_hyphen_abandon(job->hyphens);
	job->hyphens = NULL;
	para_bufs_free(&ts);
	arena_free(&ts.scratch);
	arena_free(&ts.scratch2);
	arena_free(&ts.boxes);
	return ts.ok;
}
