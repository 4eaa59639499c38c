/*
 * Typeset stage: the marks of numbered copies, a layer over the drawn
 * pages.  For each copy the document lists, "Copy K of N — Name" goes in
 * the footer and a light diagonal watermark across the page, measured
 * with the typesetter's own measurer; typeset_copy() then lays that
 * layer over the master's pages.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <assert.h>
#include <string.h>

#define GUTTER        6000     /* between footer slots, as draw.c [mpt] */
#define MARK_COLOR    0xD9D9D9 /* watermark: light enough to read through */
#define MARK_FACE     FACE_SANS_BOLD
#define MARK_ANGLE    45     /* degrees counter-clockwise */
#define MARK_COS      707107 /* cos and sin of MARK_ANGLE [1e-6] */
#define MARK_MAX_SIZE 60000  /* [mpt] */
#define MARK_MIN_SIZE 16000  /* [mpt] */
#define MARK_EDGE     36000  /* kept clear at the paper's edges [mpt] */
#define CAP_HEIGHT    700    /* of capitals, about [1/1000 em] */

/* Footer baseline of the template, as draw.c places it [mpt]. */
static int32_t
footer_y(const struct tmpl *t)
{
	return t->margin_bottom - t->footer_offset;
}

/* The footer's free room around the centre, on pages [0, n) [mpt]. */
static int32_t
footer_room(const struct pages *pp, size_t n, const struct tmpl *t)
{
	int32_t text_width = t->page_width - t->margin_left - t->margin_right;
	int32_t cx = t->margin_left + text_width / 2;
	int32_t lo = t->margin_left, hi = t->margin_left + text_width;
	int32_t fy = footer_y(t);

	for (size_t i = 0; i < n; i++) {
		const struct page *pg = &pp->pages[i];
		for (size_t j = 0; j < pg->nops; j++) {
			const struct page_op *op = &pg->ops[j];
			if (op->type != PAGE_TEXT || op->y != fy)
				continue;
			if (op->x + op->w <= cx && op->x + op->w > lo)
				lo = op->x + op->w;
			else if (op->x >= cx && op->x < hi)
				hi = op->x;
			else if (op->x < cx && op->x + op->w > cx)
				return 0; /* the template uses the centre */
		}
	}
	int32_t half = cx - lo < hi - cx ? cx - lo : hi - cx;
	return half > GUTTER ? 2 * (half - GUTTER) : 0;
}

/* True when a line of style st at baseline y touches text on [0, n). */
static bool
line_is_taken(const struct pages *pp, size_t n, const struct style *st,
              int32_t y)
{
	for (size_t i = 0; i < n; i++) {
		const struct page *pg = &pp->pages[i];
		for (size_t j = 0; j < pg->nops; j++) {
			const struct page_op *op = &pg->ops[j];
			if (op->type != PAGE_TEXT)
				continue;
			/* Line boxes as the typesetter models them:
			 * 0.8 em above the baseline, 0.2 em below. */
			if (op->y + op->size * 4 / 5 > y - st->size / 5 &&
			    op->y - op->size / 5 < y + st->size * 4 / 5)
				return true;
		}
	}
	return false;
}

/*
 * Where copy marks go in the footer of the body's n pages: on the footer
 * line, centred between the template's slots, when every copy's mark
 * fits there; else on a line of their own one leading below it when that
 * is free; else on the footer line, shortened, unless that would leave
 * less than half of the longest mark (then below all the same: a mark is
 * never dropped).  Decided for all copies at once, so that every copy of
 * a set looks the same.
 */
static void
footer_place(struct typesetter *ts, const struct pages *pp, size_t n,
             int32_t *y, int32_t *room)
{
	const struct tmpl *t = ts->t;
	const struct style *st = &t->styles[STYLE_FOOTER];
	int32_t widest = 0;

	for (size_t k = 0; k < ts->doc->ncopies; k++) {
		const struct doc_copy *c = &ts->doc->copies[k];
		int32_t w = ts_text_width(ts, st->face, st->size, c->label,
		                          strlen(c->label), c->loc);
		if (w > widest)
			widest = w;
	}
	*y = footer_y(t);
	*room = footer_room(pp, n, t);
	if (widest <= *room)
		return;
	int32_t below = *y - st->leading;
	if ((below - st->size / 4 >= t->edge &&
	     !line_is_taken(pp, n, st, below)) ||
	    *room < widest / 2) {
		*y = below;
		*room = ts->text_width;
	}
}

/*
 * The watermark: text across the page centre at MARK_ANGLE, as large as
 * fits between the paper's edges (at most MARK_MAX_SIZE), shortened when
 * even MARK_MIN_SIZE is too large.
 */
static void
watermark(struct typesetter *ts, const char *text, struct loc loc,
          struct copy_mark *m)
{
	const struct tmpl *t = ts->t;
	int32_t side =
	    t->page_width < t->page_height ? t->page_width : t->page_height;
	/* Room along the diagonal for the text and its cap height. */
	int64_t diag = (int64_t)(side - 2 * MARK_EDGE) * 1414214 / 1000000;
	int64_t adv =
	    ts_text_width(ts, MARK_FACE, 1000, text, strlen(text), loc);
	int64_t size = diag * 1000 / (adv + CAP_HEIGHT);

	if (size > MARK_MAX_SIZE)
		size = MARK_MAX_SIZE;
	if (size < MARK_MIN_SIZE) {
		struct style st = {.face = MARK_FACE, .size = MARK_MIN_SIZE};
		size = MARK_MIN_SIZE;
		text = ts_fit(ts, &st, text,
		              (int32_t)(diag - size * CAP_HEIGHT / 1000), loc);
		adv =
		    ts_text_width(ts, MARK_FACE, 1000, text, strlen(text), loc);
	}
	int64_t w = adv * size / 1000;
	int64_t half_cap = size * CAP_HEIGHT / 2000;
	/* Start so that the middle of the capitals is at the centre:
	 * back half the width along the baseline, down half the cap
	 * height across it. */
	int64_t x = t->page_width / 2 - (w / 2 - half_cap) * MARK_COS / 1000000;
	int64_t y =
	    t->page_height / 2 - (w / 2 + half_cap) * MARK_COS / 1000000;
	struct line l;
	ts_line(ts,
	        &(struct page_op){.type = PAGE_TEXT,
	                          .x = (int32_t)x,
	                          .y = (int32_t)y,
	                          .face = MARK_FACE,
	                          .size = (int32_t)size,
	                          .color = MARK_COLOR,
	                          .text = text,
	                          .angle = MARK_ANGLE,
	                          .artifact = ART_WATERMARK},
	        loc, &l);
	if (l.n == 1)
		l.ops[0].w = (int32_t)w;
	m->watermark = l.ops;
	m->nwatermark = l.n;
}

void
copies_marks(struct typesetter *ts, struct pages *out)
{
	const struct doc *d = ts->doc;
	const struct style *st = &ts->t->styles[STYLE_FOOTER];
	int32_t fy, room;
	if (d->ncopies == 0)
		return;
	footer_place(ts, out, out->n - out->nannex, &fy, &room);
	int32_t cx = ts->t->margin_left + ts->text_width / 2;
	out->marks =
	    arena_array(ts->job->arena, d->ncopies, sizeof *out->marks);
	out->nmarks = d->ncopies;
	for (size_t k = 0; k < d->ncopies; k++) {
		const struct doc_copy *c = &d->copies[k];
		struct copy_mark *m = &out->marks[k];
		const char *s = ts_fit(ts, st, c->label, room, c->loc);
		struct line l;
		ts_line(ts,
		        &(struct page_op){.type = PAGE_TEXT,
		                          .y = fy,
		                          .face = st->face,
		                          .size = st->size,
		                          .color = st->color,
		                          .text = s,
		                          .artifact = ART_FOOTER},
		        c->loc, &l);
		ts_line_move(&l, cx - l.w / 2, 0);
		m->label = c->label;
		watermark(ts, c->watermark, c->loc, m);
		m->footer = l.ops;
		m->nfooter = l.n;
	}
}

/*
 * Copy dst of page src with the watermark under all text and rules and
 * the footer mark last.  The grounds (rectangles: the summary box, table
 * heads) go first, in their order, so that the watermark shows on them
 * too; they only ever lie under what is drawn after them, so moving them
 * forward changes nothing else.
 */
static void
mark_page(struct arena *a, const struct page *src, struct page *dst,
          const struct copy_mark *m)
{
	size_t j = 0;

	dst->cap = src->nops + m->nwatermark + m->nfooter;
	dst->ops = arena_array(a, dst->cap, sizeof *dst->ops);
	for (size_t i = 0; i < src->nops; i++)
		if (src->ops[i].type == PAGE_RECT)
			dst->ops[j++] = src->ops[i];
	for (size_t k = 0; k < m->nwatermark; k++)
		dst->ops[j++] = m->watermark[k];
	for (size_t i = 0; i < src->nops; i++)
		if (src->ops[i].type != PAGE_RECT)
			dst->ops[j++] = src->ops[i];
	for (size_t k = 0; k < m->nfooter; k++)
		dst->ops[j++] = m->footer[k];
	dst->nops = j;
}

void
typeset_copy(struct arena *a, const struct pages *master, size_t k,
             struct pages *out)
{
	size_t n = master->n - master->nannex;
	assert(k < master->nmarks);
	*out = *master;
	out->n = n;
	out->nannex = 0;
	out->marks = NULL;
	out->nmarks = 0;
	out->copy = master->marks[k].label;
	/* Bookmarks of the annex go with it. */
	out->noutlines = 0;
	while (out->noutlines < master->noutlines &&
	       master->outlines[out->noutlines].page < n)
		out->noutlines++;
	out->pages = arena_array(a, n ? n : 1, sizeof *out->pages);
	for (size_t i = 0; i < n; i++)
		mark_page(a, &master->pages[i], &out->pages[i],
		          &master->marks[k]);
}
