/*
 * Typeset stage: entry point.  Sets up the typesetter, lays the document
 * out into a vertical list and paginates it.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <stdlib.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/task.h"


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

/* 700 KB: one bit per face and code point. */
#define WARNED_BYTES ((size_t)FACE__MAX * 0x110000u / 8)

bool
ts_fork_init(struct ts_fork *f, struct typesetter *parent)
{
	memset(f, 0, sizeof *f);
	uint8_t *warned = calloc(WARNED_BYTES, 1);
	if (warned == NULL)
		return false;
	if (parent->t->hyphenate && !parent->hyph_tried)
		hyph_load(parent); /* shared, read only */
	f->job = *parent->job;
	f->job.arena = &f->arena;
	f->job.diag = &f->diag;
	diag_init(&f->diag, NULL);
	f->ts = *parent;
	f->ts.job = &f->job;
	f->ts.scratch = f->ts.scratch2 = f->ts.boxes = f->ts.cites =
	    (struct arena){0};
	f->ts.para = NULL;
	f->ts.opbuf = NULL;
	f->ts.opcap = 0;
	f->ts.vlist = NULL;
	f->ts.nvlist = f->ts.capvlist = 0;
	f->ts.warned = warned;
	f->ts.nwarned = 0;
	f->ts.notes_run = NULL;
	f->ts.missing = NULL;
	f->ts.nmissing = f->ts.capmissing = 0;
	f->ts.record_missing = true;
	return true;
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

void
ts_fork_replay(struct typesetter *ts, const struct ts_fork *f, size_t from,
               size_t to)
{
	const struct typesetter *ft = &f->ts;
	size_t k = 0;
	while (k < ft->nmissing && ft->missing[k].msg < from)
		k++;
	for (size_t i = from; i < to; i++) {
		const struct diag_msg *m = &f->diag.msgs[i];
		if (k < ft->nmissing && ft->missing[k].msg == i) {
			if (!ts_warn_once(ts, ft->missing[k++].key))
				continue;
			diag_report(ts->job->diag, m->level, m->loc, "%s",
			            m->text);
			ts_missing_said(ts, ft->missing[k - 1].key);
			continue;
		}
		if (said_unplaced(ts->job->diag, m))
			continue;
		diag_report(ts->job->diag, m->level, m->loc, "%s", m->text);
	}
}

void
ts_fork_join(struct typesetter *ts, struct ts_fork *f)
{
	ts->ok &= f->ts.ok;
	/* Said by either thread: said. */
	ts->hyph_unsaid = ts->hyph_unsaid && f->ts.hyph_unsaid;
	arena_adopt(ts->job->arena, &f->arena);
	arena_adopt(&ts->boxes, &f->ts.boxes);
	arena_adopt(&ts->cites, &f->ts.cites);
	para_bufs_free(&f->ts);
	arena_free(&f->ts.scratch);
	arena_free(&f->ts.scratch2);
	free(f->ts.warned);
	free(f->ts.missing);
	diag_free(&f->diag);
}

/*
 * The notes are set on a second thread while the main thread sets the
 * body: each note is a paragraph of its own, and only pagination (and a
 * table row too tall to be sure of its page) needs them.  The thread has
 * a typesetter of its own (a fork); the fonts' width cache is atomic and
 * the hyphenation patterns are only read.  Its diagnostics are then said
 * before the body's, as when the notes were set first, and a missing
 * glyph is reported once, at its first place in a note.
 */
struct notes_run {
	struct task task;
	bool joined;
	struct ts_fork fork;
};

/* Below this many notes a thread costs more than it saves. */
#define NOTES_THREAD_MIN 64

static void
notes_task(void *arg)
{
	struct notes_run *nr = arg;
	layout_notes(&nr->fork.ts);
}

static struct notes_run *
notes_start(struct typesetter *ts)
{
	struct notes_run *nr = malloc(sizeof *nr);
	if (nr == NULL)
		return NULL;
	if (!ts_fork_init(&nr->fork, ts)) {
		free(nr);
		return NULL;
	}
	nr->joined = false;
	task_start(&nr->task, notes_task, nr);
	return nr;
}

void
ts_notes_ready(struct typesetter *ts)
{
	struct notes_run *nr = ts->notes_run;
	if (nr == NULL || nr->joined)
		return;
	task_wait(&nr->task);
	nr->joined = true;
	ts->notes = nr->fork.ts.notes;
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
	const struct typesetter *nts = &nr->fork.ts;
	ts_notes_ready(ts);
	diag_replay(job->diag, &nr->fork.diag);
	size_t k = 0;
	for (size_t i = 0; i < body_diag->n; i++) {
		const struct diag_msg *m = &body_diag->msgs[i];
		while (k < ts->nmissing && ts->missing[k].msg < i)
			k++;
		if (k < ts->nmissing && ts->missing[k].msg == i) {
			uint32_t key = ts->missing[k].key;
			if (nts->warned[key / 8] & (1u << (key % 8)))
				continue;
		}
		if (said_unplaced(job->diag, m))
			continue;
		diag_report(job->diag, m->level, m->loc, "%s", m->text);
	}
	/* Only looked at when a note warned. */
	for (size_t i = 0; nts->nwarned > 0 && i < WARNED_BYTES; i++)
		ts->warned[i] |= nts->warned[i];
	ts->nwarned += nts->nwarned;
	ts_fork_join(ts, &nr->fork);
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
	ts.warned = calloc(WARNED_BYTES, 1);
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
	arena_free(&ts.cites);
	return ts.ok;
}
