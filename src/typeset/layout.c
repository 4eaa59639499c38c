/*
 * Typeset stage: block layout.  Walks the document tree and turns it into
 * the vertical list: one vbox per line of running text, one per table row
 * and per box, with the gaps between them.  Footnotes are set here too.
 */
#include "typeset_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../base/hash.h"
#include "../base/mem.h"

#define TABLE_GAP_BEFORE 4000 /* [mpt] */
#define TABLE_GAP_AFTER  10000
#define CELL_PARA_GAP    3000
#define BOX_PADDING      8000
#define LIST_INDENT      14000
#define QUOTE_INDENT     14000
#define NOTE_GAP         1500 /* between two notes */

/* Appends an existing vbox (from an earlier pass) to the vertical list. */
static void
vbox_reuse(struct typesetter *ts, struct vbox *v)
{
	if (ts->nvlist == ts->capvlist) {
		size_t ncap = ts->capvlist ? ts->capvlist * 2 : 256;
		ts->vlist = arena_grow(&ts->scratch2, ts->vlist, ts->nvlist,
		                       ncap, sizeof *ts->vlist);
		ts->capvlist = ncap;
	}
	ts->vlist[ts->nvlist++] = v;
}

struct vbox *
ts_vbox(struct typesetter *ts, enum vbox_kind kind, int32_t height)
{
	struct vbox *v = arena_alloc(&ts->boxes, sizeof *v);
	v->kind = kind;
	v->height = height;
	vbox_reuse(ts, v);
	return v;
}

struct vitem *
ts_vbox_add(struct arena *a, struct vbox *v)
{
	if (v->nitems == v->capitems) {
		uint32_t ncap = v->capitems ? v->capitems * 2 : 2;
		v->items =
		    arena_grow(a, v->items, v->nitems, ncap, sizeof *v->items);
		v->capitems = ncap;
	}
	struct vitem *it = &v->items[v->nitems++];
	memset(it, 0, sizeof *it);
	return it;
}

void
ts_vbox_trim(struct arena *a, struct vbox *v, uint32_t spare)
{
	uint32_t cap = v->nitems + spare;
	if (cap >= v->capitems)
		return;
	arena_trim(a, v->items, v->capitems, cap, sizeof *v->items);
	v->capitems = cap;
}

/* Adds note to the notes v cites, kept in the order of their numbers: a
 * right-to-left line is drawn, and its markers met, last first. */
void
ts_vbox_note(struct arena *a, struct vbox *v, uint32_t note)
{
	if (v->nnotes == v->capnotes) {
		uint32_t ncap = v->capnotes ? v->capnotes * 2 : 4;
		v->notes =
		    arena_grow(a, v->notes, v->nnotes, ncap, sizeof *v->notes);
		v->capnotes = ncap;
	}
	uint32_t k = v->nnotes++;
	for (; k > 0 && v->notes[k - 1] > note; k--)
		v->notes[k] = v->notes[k - 1];
	v->notes[k] = note;
}

bool
ts_sink_room(struct sink *s, int32_t height)
{
	if (s->full || (int64_t)s->y + height > GROUP_MAX_HEIGHT)
		s->full = true;
	return !s->full;
}

/* Vertical space: a gap in the list, or room inside a group. */
static void
sink_gap(struct sink *s, int32_t height)
{
	if (height <= 0)
		return;
	if (s->group == NULL)
		ts_vbox(s->ts, VBOX_GAP, height);
	else if (ts_sink_room(s, height))
		s->y += height;
}

/* Reports, once, a group that went past GROUP_MAX_HEIGHT: what ("the
 * summary") would not fit in one of its kind ("box"). */
static void
group_too_tall(struct typesetter *ts, struct loc loc, const char *what,
               const char *kind)
{
	ts->ok = false;
	if (ts->quiet)
		return;
	diag_error(ts->job->diag, loc,
	           "%s is too long: more than %d pt (about %d pages) in one %s",
	           what, GROUP_MAX_HEIGHT / 1000,
	           GROUP_MAX_HEIGHT / ts->text_height, kind);
}

static void flow(struct sink *, const struct doc_node *, int32_t x,
                 int32_t width, const char *prefix);

static const struct style *
style_of(struct typesetter *ts, enum style_id id)
{
	return &ts->t->styles[id];
}

/*
 * Runs with "cited on pp. 2, 4, 7" filled in from the pages of the notes
 * that cite a source, each number a link to its page.  Before the first
 * pagination the pages are not known and "p. 1" stands in.
 */
static const struct doc_run *
expand_pagerefs(struct typesetter *ts, const struct doc_node *n, size_t *nruns)
{
	struct arena *a = &ts->pagerefs;
	size_t extra = 0;
	for (size_t i = 0; i < n->nruns; i++)
		if (n->runs[i].flags & RUN_PAGEREF)
			extra += 4 * ts->doc->refs[n->runs[i].ref - 1].n + 2;
	if (extra == 0) {
		*nruns = n->nruns;
		return n->runs;
	}
	arena_reset(a); /* the last paragraph's are set */
	struct doc_run *out = arena_array(a, n->nruns + extra, sizeof *out);
	size_t k = 0;
	/* A range's dash: an en dash, or a hyphen where the font lacks it. */
	enum face face = style_of(ts, n->style)->face;
	const char *dash =
	    ts->m->covers(ts->m->ctx, face, 0x2013) ? "\u2013" : "-";
	for (size_t i = 0; i < n->nruns; i++) {
		const struct doc_run *r = &n->runs[i];
		if (!(r->flags & RUN_PAGEREF)) {
			out[k++] = *r;
			continue;
		}
		const struct doc_ref *ref = &ts->doc->refs[r->ref - 1];
		size_t npages = 0, start = k;
		out[k++] = (struct doc_run){.text = "", .loc = r->loc};
		/* Pages in a row as a range, "1–2, 4–5, 7–11", each end a
		 * link to its page (Chicago 9.61). */
		for (size_t j = 0; j < ref->n;) {
			int32_t first = ts->note_page[ref->notes[j] - 1], last;
			if (first < 0)
				first = 0;
			last = first;
			for (; j < ref->n; j++) {
				int32_t pg = ts->note_page[ref->notes[j] - 1];
				pg = pg < 0 ? 0 : pg;
				if (pg != last && pg != last + 1)
					break;
				last = pg;
			}
			if (npages > 0)
				out[k++] = (struct doc_run){.text = ", ",
				                            .loc = r->loc};
			for (int32_t end = 0; end < (last > first ? 2 : 1);
			     end++) {
				int32_t pg = end ? last : first;
				if (end)
					out[k++] = (struct doc_run){
					    .text = dash, .loc = r->loc};
				out[k++] = (struct doc_run){
				    .text = arena_printf(a, "%d", pg + 1),
				    .goto_page = pg + 1,
				    .flags = RUN_NOHYPH,
				    .loc = r->loc};
			}
			npages += last > first ? 2 : 1;
		}
		out[start].text =
		    npages == 1
		        ? (ref->one ? ref->one : tmpl_str(ts->t, STR_CITED_P))
		        : (ref->many ? ref->many
		                     : tmpl_str(ts->t, STR_CITED_PP));
		out[k++] = (struct doc_run){.text = ".", .loc = r->loc};
	}
	*nruns = k;
	return out;
}

/* The element a paragraph of style sid is. */
static enum page_tag
para_tag(enum style_id sid)
{
	switch (sid) {
	case STYLE_TITLE:
		return TAG_H1;
	case STYLE_SOURCE:
		return TAG_BIBENTRY;
	default:
		return TAG_P;
	}
}

static void
para(struct sink *s, const struct doc_node *n, int32_t x, int32_t width,
     const char *prefix)
{
	const struct style *st = style_of(s->ts, n->style);
	struct style aligned;
	if (n->type == DOC_PARA && n->as.para.align != 0) {
		aligned = *st;
		aligned.align = n->as.para.align;
		st = &aligned;
	}
	/* A cell of one paragraph holds its text itself. */
	if (s->ts->cell_text)
		s->ts->block = s->ts->parent;
	else
		s->ts->block =
		    ts_elem(s->ts, para_tag(n->style), s->ts->parent);
	s->ts->cell_text = false;
	size_t nruns;
	const struct doc_run *runs = expand_pagerefs(s->ts, n, &nruns);
	bool in_group = s->group != NULL;
	if (!in_group)
		sink_gap(s, st->space_before);
	size_t first = s->ts->nvlist;
	para_set(s, runs, nruns, st, x, width, prefix, n->loc);
	size_t last = s->ts->nvlist;
	if (!in_group && last - first >= 2) {
		/* No orphan (a first line alone at the foot of a page) and no
		 * widow (a last line alone at the head of one). */
		s->ts->vlist[first]->keep_with_next = true;
		s->ts->vlist[last - 2]->keep_with_next = true;
	}
	int32_t after = st->space_after;
	if (n->style == STYLE_BODY || n->style == STYLE_BOX)
		after += s->ts->t->paragraph_gap;
	if (!in_group || n->next != NULL)
		sink_gap(s, after);
}

/* Indexes the contents by node, so that each heading finds its entry in
 * constant time however many there are. */
static void
toc_index(struct typesetter *ts)
{
	size_t n = 16;
	while (n < 2 * ts->ntoc)
		n *= 2;
	ts->toc_of = arena_array(&ts->scratch2, n, sizeof *ts->toc_of);
	ts->toc_mask = n - 1;
	for (size_t i = 0; i < ts->ntoc; i++) {
		size_t k = hash_slot_ptr(ts->toc[i].node, ts->toc_mask);
		while (ts->toc_of[k] != 0)
			k = (k + 1) & ts->toc_mask;
		ts->toc_of[k] = i + 1;
	}
}

/* The contents entry of node + 1, or 0 when it has none. */
static size_t
toc_find(const struct typesetter *ts, const struct doc_node *node)
{
	if (ts->toc_of == NULL)
		return 0;
	for (size_t k = hash_slot_ptr(node, ts->toc_mask); ts->toc_of[k] != 0;
	     k = (k + 1) & ts->toc_mask)
		if (ts->toc[ts->toc_of[k] - 1].node == node)
			return ts->toc_of[k];
	return 0;
}

/* A heading: its lines carry the bookmark and stay with what follows. */
static void
heading(struct sink *s, const struct doc_node *node, const struct doc_run *runs,
        size_t nruns, enum style_id sid, int level, const char *title,
        bool is_section, struct loc loc)
{
	struct typesetter *ts = s->ts;
	const struct style *st = style_of(ts, sid);
	/* Numbered headings never skip a level: the title is H1, sections
	 * H2, their headings H3; without a title, sections are H1. */
	int h = ts->h_section + (is_section ? 0 : node->as.heading.level - 1);
	if (h > 6)
		h = 6;
	ts->block = ts_elem(ts, (enum page_tag)(TAG_H1 + h - 1), ts->parent);
	sink_gap(s, st->space_before);
	size_t first = ts->nvlist;
	para_set(s, runs, nruns, st, 0, ts->text_width, NULL, loc);
	for (size_t i = first; i < ts->nvlist; i++) {
		ts->vlist[i]->keep_with_next = true;
		ts->vlist[i]->loc = loc;
	}
	if (first < ts->nvlist) {
		size_t k = toc_find(ts, node);
		if (k > 0)
			ts->toc[k - 1].target = ts->vlist[first];
		ts->vlist[first]->outline = title;
		ts->vlist[first]->outline_level = level;
		if (is_section)
			ts->vlist[first]->section = title;
	}
	sink_gap(s, st->space_after);
}

/* Plain text of a leaf block, for bookmarks. */
static const char *
plain_text(struct typesetter *ts, const struct doc_node *n)
{
	size_t len = 0;
	for (size_t i = 0; i < n->nruns; i++)
		if (!(n->runs[i].flags & RUN_NOTEREF))
			len += strlen(n->runs[i].text);
	char *p = arena_alloc(ts->job->arena, len + 1), *q = p;
	for (size_t i = 0; i < n->nruns; i++)
		if (!(n->runs[i].flags & RUN_NOTEREF)) {
			size_t l = strlen(n->runs[i].text);
			memcpy(q, n->runs[i].text, l);
			q += l;
		}
	*q = '\0';
	return p;
}

static void
list(struct sink *s, const struct doc_node *n, int32_t x, int32_t width)
{
	struct typesetter *ts = s->ts;
	uint32_t up = ts->parent, l = ts_elem(ts, TAG_L, up);
	int num = n->as.list.start ? n->as.list.start : 1;
	for (const struct doc_node *it = n->first; it; it = it->next, num++) {
		uint32_t li = ts_elem(ts, TAG_LI, l);
		uint32_t lbl = ts_elem(ts, TAG_LBL, li);
		ts->parent = ts_elem(ts, TAG_LBODY, li);
		const char *prefix =
		    n->as.list.ordered
		        ? arena_printf(s->ts->job->arena, "%d.", num)
		        : "•";
		/* Deep nesting stops indenting before the column gets
		 * too narrow to set. */
		int32_t ind = width - LIST_INDENT >= s->ts->text_width / 3
		                  ? LIST_INDENT
		                  : 0;
		const struct doc_node *c = it->first;
		/* An item that starts right to left is indented on the
		 * right, where its label hangs (para.c). */
		struct bidi bd;
		int32_t at = x + ind;
		if (c != NULL &&
		    (c->type == DOC_PARA || c->type == DOC_HEADING) &&
		    bidi_levels(&ts->scratch, c->runs, c->nruns, ts->rtl_doc,
		                &bd) &&
		    bd.base == 1)
			at = x;
		if (c != NULL && c->type != DOC_PARA &&
		    c->type != DOC_HEADING) {
			/* A figure, a table or a list cannot carry the label:
			 * it goes on a line of its own. */
			struct doc_run none = {.text = "", .loc = c->loc};
			const struct style *st = style_of(ts, STYLE_BODY);
			ts->label = lbl;
			ts->block = ts_elem(ts, TAG_P, ts->parent);
			para_set(s, &none, 1, st, x + ind, width - ind, prefix,
			         c->loc);
			prefix = NULL;
		}
		for (; c; c = c->next) {
			ts->label = c == it->first && prefix ? lbl : 0;
			flow(s, c, at, width - ind,
			     c == it->first ? prefix : NULL);
		}
		ts->label = 0;
	}
	ts->parent = up;
}

static int32_t part_limit(struct typesetter *, const struct vbox *,
                          int32_t head_h);
static size_t split_row(struct typesetter *, struct vbox *, int32_t limit,
                        int32_t pad, bool keep_rules);

/* The summary box's tinted ground and edge under (part of) its group. */
static void
box_ground(struct typesetter *ts, struct vbox *v, int32_t x, int32_t width)
{
	v->items[0].op = (struct page_op){.type = PAGE_RECT,
	                                  .x = x,
	                                  .y = v->height,
	                                  .w = width,
	                                  .h = v->height,
	                                  .color = ts->t->color_box};
	struct vitem *edge = ts_vbox_add(&ts->boxes, v);
	edge->op = (struct page_op){.type = PAGE_RECT,
	                            .x = x,
	                            .y = v->height,
	                            .w = 2500,
	                            .h = v->height,
	                            .color = ts->t->styles[STYLE_H1].color};
}

/*
 * The summary box: one group on a tinted ground, kept whole when it fits
 * a page with its notes and otherwise split between lines, each part on
 * a ground of its own, however many pages it takes.
 */
static void
box(struct sink *s, const struct doc_node *n, int32_t x, int32_t width)
{
	struct typesetter *ts = s->ts;
	struct vbox *v = ts_vbox(ts, VBOX_CONTENT, 0);
	v->loc = n->loc;
	ts_vbox_add(&ts->boxes, v); /* the ground */
	struct sink in = {ts, v, BOX_PADDING, false};
	uint32_t up = ts->parent;
	ts->parent = ts_elem(ts, TAG_DIV, up);
	for (const struct doc_node *c = n->first; c; c = c->next)
		flow(&in, c, x + BOX_PADDING, width - 2 * BOX_PADDING, NULL);
	ts->parent = up;
	if (in.full) {
		/* The build fails: none of it need be paginated. */
		group_too_tall(ts, n->loc, "the summary", "box");
		ts->nvlist--;
		return;
	}
	v->height = in.y + BOX_PADDING;
	v->split_pad = BOX_PADDING;
	v->ground_x = x;
	v->ground_w = width;
	int32_t limit = part_limit(ts, v, 0);
	if (v->height <= limit) {
		box_ground(ts, v, x, width);
	} else {
		/* A part's text takes the limit less the padding above and
		 * below it. */
		ts->nvlist--; /* v is replaced by its parts */
		size_t np = split_row(ts, v, limit - 2 * BOX_PADDING,
		                      BOX_PADDING, true);
		for (size_t k = ts->nvlist - np; k < ts->nvlist; k++) {
			struct vbox *part = ts->vlist[k];
			box_ground(ts, part, x, width);
			part->split_pad = BOX_PADDING;
			part->ground_x = x;
			part->ground_w = width;
		}
	}
	sink_gap(s, 10000);
}

static void
rule(struct vbox *v, struct arena *a, int32_t x, int32_t y, int32_t w,
     int32_t thick, uint32_t color)
{
	struct vitem *r = ts_vbox_add(a, v);
	r->op = (struct page_op){.type = PAGE_RULE,
	                         .x = x,
	                         .y = y,
	                         .w = w,
	                         .h = 0,
	                         .size = thick,
	                         .color = color};
}

/* The widest word of the paragraphs of a cell, or words tied together,
 * and an address as wide as it is, up to share (it may break anywhere,
 * but a column of one letter would take it dozens of lines); *longest,
 * its longest line set whole, and *total grows by the width of all its
 * text [mpt]. */
static int32_t
cell_widths(struct typesetter *ts, const struct doc_node *cell, int32_t share,
            int32_t *longest, int64_t *total)
{
	int32_t best = 0;
	*longest = 0;
	for (const struct doc_node *p = cell->first; p; p = p->next) {
		int32_t line;
		const struct style *st = style_of(ts, p->style);
		int32_t w = para_widest(ts, p->runs, p->nruns, st, &line);
		for (size_t i = 0; i < p->nruns && w < share; i++) {
			const struct doc_run *r = &p->runs[i];
			size_t n = strlen(r->text);
			if (r->uri == NULL || !ts_is_address(r->text, n))
				continue;
			int32_t u =
			    ts_text_width(ts, ts_face(st->face, r->flags),
			                  st->size, r->text, n, r->loc);
			w = u > w ? (u < share ? u : share) : w;
		}
		if (w > best)
			best = w;
		if (line > *longest)
			*longest = line;
		*total += line;
	}
	return best;
}

/*
 * Column widths from the cells' text: each column gets at least its
 * widest word (and an em) and at most its longest line.  When every line fits,
 * the room left goes to the columns in proportion to their lines; otherwise
 * what the page leaves above the widest words is shared in proportion to
 * each column's text, so that the columns' cells run to about as many
 * lines (a long column of responses beside a short one of claims gets
 * the room, a column of one-word statuses its word), the table as short
 * as it can be.
 */
static void
column_widths(struct typesetter *ts, const struct doc_node *n, int32_t width,
              int32_t *colw)
{
	const struct doc_table *tb = &n->as.table;
	int32_t pad = 2 * ts->t->cell_padding;
	int64_t lo[DOC_TABLE_MAX_COLS], hi[DOC_TABLE_MAX_COLS];
	int64_t text[DOC_TABLE_MAX_COLS] = {0};
	int64_t sum_lo = 0, sum_hi = 0;
	/* Never less than an em of the table's type between the paddings,
	 * what table() asks of the template: a column of one letter beside
	 * a long one keeps it. */
	for (int i = 0; i < tb->ncols; i++)
		lo[i] = hi[i] = pad + ts->t->styles[STYLE_TABLE].size;
	for (const struct doc_node *row = n->first; row; row = row->next) {
		int c = 0;
		for (const struct doc_node *cell = row->first;
		     cell && c < tb->ncols; cell = cell->next, c++) {
			int32_t longest;
			int64_t w =
			    cell_widths(ts, cell, width / tb->ncols - pad,
			                &longest, &text[c]) +
			    pad + 1000;
			if (w > width * 2 / 5)
				w = width * 2 / 5;
			if (w > lo[c])
				lo[c] = w;
			w = longest + pad + 1000;
			if (w > hi[c])
				hi[c] = w;
		}
	}
	for (int i = 0; i < tb->ncols; i++) {
		if (hi[i] < lo[i])
			hi[i] = lo[i];
		sum_lo += lo[i];
		sum_hi += hi[i];
	}
	int64_t w[DOC_TABLE_MAX_COLS];
	/* When even the widest words do not fit, each column keeps its em
	 * and the rest is shared by what they ask above it. */
	int64_t least = pad + ts->t->styles[STYLE_TABLE].size;
	int64_t above = sum_lo - (int64_t)tb->ncols * least;
	int64_t spare = width - (int64_t)tb->ncols * least;
	for (int i = 0; i < tb->ncols; i++)
		w[i] = sum_hi <= width  ? hi[i] * width / sum_hi
		       : sum_lo < width ? lo[i]
		       : spare > 0 && above > 0
		           ? least + (lo[i] - least) * spare / above
		           : lo[i] * width / sum_lo;
	if (sum_hi > width && sum_lo < width) {
		/* The room above the widest words, by the columns' text; a
		 * column that reaches its longest line gives the rest back
		 * to the others. */
		int64_t room = width - sum_lo;
		bool full[DOC_TABLE_MAX_COLS] = {false};
		for (int round = 0; round < tb->ncols && room > 0; round++) {
			int64_t weight = 0;
			for (int i = 0; i < tb->ncols; i++)
				weight += full[i] ? 0 : text[i] + 1;
			int64_t given = 0;
			for (int i = 0; i < tb->ncols; i++) {
				if (full[i])
					continue;
				int64_t add = room * (text[i] + 1) / weight;
				if (w[i] + add >= hi[i]) {
					add = hi[i] - w[i];
					full[i] = true;
				}
				w[i] += add;
				given += add;
			}
			room -= given;
			if (given == 0)
				break;
		}
	}
	int32_t acc = 0;
	for (int i = 0; i < tb->ncols; i++) {
		colw[i] = (int32_t)w[i];
		acc += colw[i];
	}
	/* Rounding: the last column absorbs the difference. */
	colw[tb->ncols - 1] += width - acc;
}

/* A line's text in a group being split, from the top of its letters to
 * its baseline and to the foot of its descenders [mpt]. */
struct extent {
	int32_t top, base, bot;
};

static int
cmp_extent(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;
	return (x->top > y->top) - (x->top < y->top);
}

/*
 * The lowest cut at or above c that no text of e[0..hi) straddles, of the
 * text that begins below start; e is sorted by top and every top in it is
 * above c.  Text straddles a cut between its top and its foot, or with
 * by_base between its top and its baseline (its descenders may then hang
 * into the padding below the cut).  reach is the tallest text.  Returns
 * -1 when the cut would rise above floor, as it does where the lines of
 * one cell touch or those of neighbouring cells interleave.
 */
static int32_t
clean_cut(const struct extent *e, size_t hi, int32_t start, int32_t c,
          int32_t floor, int32_t reach, bool by_base)
{
	while (hi > 0) {
		const struct extent *x = &e[--hi];
		if (x->top <= start || x->top < c - reach)
			break;
		if (x->top < c && (by_base ? x->base : x->bot) > c) {
			c = x->top;
			if (c < floor)
				return -1;
		}
	}
	return c;
}

/*
 * Where v is cut into parts of at most limit: the end of each part, the
 * last v->height.  A cut goes between lines, as low as it can; where no
 * cut between lines leaves a part half the limit, it goes at the limit
 * and the lines it crosses move whole to one side.  Sets *np; the result
 * is the caller's to free.
 */
static int32_t *
cuts_of(const struct vbox *v, int32_t limit, size_t *np)
{
	size_t m = 0;
	for (uint32_t i = 1; i < v->nitems; i++)
		m += v->items[i].op.type == PAGE_TEXT;
	struct extent *e = mem_alloc(m ? m : 1, sizeof *e);
	int32_t reach = 0;
	m = 0;
	for (uint32_t i = 1; i < v->nitems; i++) {
		const struct page_op *op = &v->items[i].op;
		if (op->type != PAGE_TEXT)
			continue;
		e[m] = (struct extent){op->y - op->size, op->y,
		                       op->y + op->size * 3 / 10};
		if (e[m].bot - e[m].top > reach)
			reach = e[m].bot - e[m].top;
		m++;
	}
	qsort(e, m, sizeof *e, cmp_extent);
	size_t n = 0, cap = 16, hi = 0;
	int32_t *cuts = mem_alloc(cap, sizeof *cuts);
	int32_t start = 0;
	for (;;) {
		bool last = v->height - start <= limit;
		int32_t cut = v->height;
		if (!last) {
			int32_t c = start + limit, floor = start + limit / 2;
			while (hi < m && e[hi].top < c)
				hi++;
			cut = clean_cut(e, hi, start, c, floor, reach, false);
			if (cut < 0)
				cut = clean_cut(e, hi, start, c, floor, reach,
				                true);
			if (cut < 0)
				cut = c;
		}
		if (n == cap)
			cuts = mem_realloc(cuts, cap *= 2, sizeof *cuts);
		cuts[n++] = cut;
		if (last)
			break;
		start = cut;
	}
	free(e);
	*np = n;
	return cuts;
}

/* The part of cuts[0..n) that place y falls in, or n if none. */
static size_t
part_at(const int32_t *cuts, size_t n, int32_t y)
{
	if (y < 0)
		return n;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cuts[mid] > y)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* What one part of a split group needs before its items are copied. */
struct part_info {
	uint32_t nitems;
	int32_t over;  /* how far its text rises above its cut */
	int32_t reach; /* the foot of its text below its cut */
	int32_t bot;   /* its text's lowest foot */
	int32_t shift; /* added to the group's y for the part's */
};

/* The column of table row v that x falls in. */
static int
column_at(const struct vbox *v, int32_t x)
{
	int c = 0;
	while (c + 1 < v->ncols && v->cols[c + 1] <= x)
		c++;
	return c;
}

/*
 * Where table row v cut at cut would put its notes out of order across
 * the page break: a cell cites above the cut a note numbered after one
 * that another cell (to its left) cites below it.  Such a cell is cut
 * higher, at the top of the line with the first of those markers, and
 * its later lines go overleaf with the rest of the row.  Fills own (one
 * per item of v) with the cut each item is parted at and returns true;
 * false when every cell can be cut at cut.
 */
static bool
cell_cuts(const struct vbox *v, int32_t cut, int32_t *own)
{
	if (v->cols == NULL || v->ncols > DOC_TABLE_MAX_COLS)
		return false;
	uint32_t first_rest = UINT32_MAX;
	for (uint32_t i = 1; i < v->nitems; i++)
		if (v->items[i].note && v->items[i].op.y - 1 >= cut &&
		    v->items[i].note < first_rest)
			first_rest = v->items[i].note;
	int32_t at[DOC_TABLE_MAX_COLS];
	for (int c = 0; c < v->ncols; c++)
		at[c] = cut;
	bool any = false;
	for (uint32_t i = 1; i < v->nitems; i++) {
		const struct page_op *m = &v->items[i].op;
		if (v->items[i].note <= first_rest || m->y - 1 >= cut)
			continue;
		/* The line the marker is raised on: the nearest text of
		 * its column at or below it, larger than the marker. */
		int c = column_at(v, m->x);
		int32_t top = m->y - m->size, base = INT32_MAX;
		for (uint32_t k = 1; k < v->nitems; k++) {
			const struct page_op *t = &v->items[k].op;
			if (t->type == PAGE_TEXT && t->size > m->size &&
			    t->y >= m->y && t->y < base &&
			    column_at(v, t->x) == c) {
				base = t->y;
				top = t->y - t->size;
			}
		}
		if (top < at[c]) {
			at[c] = top;
			any = true;
		}
	}
	if (!any)
		return false;
	for (uint32_t i = 0; i < v->nitems; i++) {
		const struct page_op *op = &v->items[i].op;
		own[i] = op->type == PAGE_RULE || op->type == PAGE_RECT
		             ? cut
		             : at[column_at(v, op->x)];
	}
	return true;
}

/*
 * Cuts group v (a table row, the summary box) at cuts[0..np) into parts,
 * out[0..np), from boxes (their notes lists from cites); parts after
 * the first continue it on later pages, pad below the cut and above the
 * next part.  own is NULL, or for a cut in two (np 2) the cut of each
 * item (cell_cuts()).  Its first item is its ground: each part gets an
 * empty one.  With !keep_rules its rules are dropped (a table row's are
 * drawn per part later).
 */
static void
cut_parts(struct arena *boxes, struct arena *cites, const struct vbox *v,
          const int32_t *cuts, const int32_t *own, size_t np, int32_t pad,
          bool keep_rules, struct vbox **out)
{
	assert(own == NULL || np == 2);
	struct part_info *pi = mem_alloc(np, sizeof *pi);
	for (size_t k = 0; k < np; k++)
		pi[k] = (struct part_info){0, 0, INT32_MIN, INT32_MIN, 0};
	size_t *at = mem_alloc(v->nitems, sizeof *at);
	int32_t lowest = INT32_MIN;
	for (uint32_t i = 1; i < v->nitems; i++) {
		const struct page_op *op = &v->items[i].op;
		int32_t top = op->y - op->size, bot = op->y + op->size * 3 / 10;
		if (op->type == PAGE_TEXT && bot > lowest)
			lowest = bot;
		/* A ground (the box's) is drawn again for each part. */
		at[i] = (op->type == PAGE_RULE && !keep_rules) ||
		                op->type == PAGE_RECT
		            ? np
		        : own ? (size_t)(op->y - 1 >= own[i])
		              : part_at(cuts, np, op->y - 1);
		if (at[i] == np)
			continue;
		struct part_info *p = &pi[at[i]];
		p->nitems++;
		if (op->type != PAGE_TEXT)
			continue;
		int32_t from = at[i] == 0 ? 0 : own ? own[i] : cuts[at[i] - 1];
		if (at[i] > 0 && from - top > p->over)
			p->over = from - top;
		if (bot - from > p->reach)
			p->reach = bot - from;
		if (bot > p->bot)
			p->bot = bot;
	}
	for (size_t k = 0; k < np; k++) {
		int32_t start = k > 0 ? cuts[k - 1] : 0;
		struct vbox *part = out[k] = arena_alloc(boxes, sizeof *part);
		part->kind = VBOX_CONTENT;
		part->loc = v->loc;
		part->repeat = v->repeat;
		part->cols = v->cols;
		part->ncols = v->ncols;
		/* Room for the ground and what the caller adds. */
		part->capitems = pi[k].nitems + 3;
		part->items =
		    arena_array(boxes, part->capitems, sizeof *part->items);
		/* An empty ground, as in every body row. */
		ts_vbox_add(boxes, part)->op =
		    (struct page_op){.type = PAGE_RECT};
		/* Text a cut went through moves down into the part whole. */
		int32_t under = k + 1 < np && pi[k].bot > cuts[k] + pad
		                    ? pi[k].bot - cuts[k] - pad
		                    : 0;
		int32_t body = cuts[k] - start;
		/* A cell cut higher than the rest may reach lower overleaf,
		 * with the room the group keeps under its lowest text. */
		if (own && k == 1 && pi[k].reach > INT32_MIN &&
		    pi[k].reach + (v->height - lowest) > body)
			body = pi[k].reach + (v->height - lowest);
		pi[k].shift = (k > 0 ? pad : 0) + pi[k].over;
		part->height = body + (k > 0 ? pad : 0) + pi[k].over +
		               (k + 1 < np ? pad : 0) + under;
	}
	for (uint32_t i = 1; i < v->nitems; i++) {
		if (at[i] == np)
			continue;
		const struct vitem *it = &v->items[i];
		struct vbox *part = out[at[i]];
		struct vitem *c = ts_vbox_add(boxes, part);
		*c = *it;
		int32_t from = at[i] == 0 ? 0 : own ? own[i] : cuts[at[i] - 1];
		c->op.y = it->op.y + pi[at[i]].shift - from;
		/* The rule under the group stays under its last part. */
		if (it->op.type == PAGE_RULE && it->op.y == v->height &&
		    at[i] == np - 1)
			c->op.y = part->height;
		if (it->note)
			ts_vbox_note(cites, part, it->note);
	}
	free(at);
	free(pi);
}

/*
 * Splits a group taller than limit at line boundaries into parts that
 * each fit (cut_parts()), appended to the vertical list; returns how
 * many.
 */
static size_t
split_row(struct typesetter *ts, struct vbox *v, int32_t limit, int32_t pad,
          bool keep_rules)
{
	/* A header row or notes that leave less than a quarter of the page
	 * make parts of a quarter page that overrun it, not slivers. */
	if (limit < ts->text_height / 4)
		limit = ts->text_height / 4;
	if (limit < 2)
		limit = 2;
	size_t np;
	int32_t *cuts = cuts_of(v, limit, &np);
	struct vbox **parts = mem_alloc(np, sizeof *parts);
	cut_parts(&ts->boxes, &ts->cites, v, cuts, NULL, np, pad, keep_rules,
	          parts);
	for (size_t k = 0; k < np; k++)
		vbox_reuse(ts, parts[k]);
	free(parts);
	free(cuts);
	return np;
}

/* The lines of text of v: its distinct baselines, not counting the
 * raised note markers (smaller than the text). */
static int
text_lines(const struct vbox *v)
{
	int32_t size = 0;
	for (uint32_t i = 0; i < v->nitems; i++)
		if (v->items[i].op.type == PAGE_TEXT &&
		    v->items[i].op.size > size)
			size = v->items[i].op.size;
	int n = 0;
	for (uint32_t i = 0; i < v->nitems; i++) {
		const struct page_op *op = &v->items[i].op;
		if (op->type != PAGE_TEXT || op->size < size * 4 / 5)
			continue;
		bool seen = false;
		for (uint32_t k = 0; k < i && !seen; k++)
			seen = v->items[k].op.type == PAGE_TEXT &&
			       v->items[k].op.y == op->y;
		n += !seen;
	}
	return n;
}

int32_t
ts_split_try(struct typesetter *ts, const struct vbox *v, int32_t h,
             int min_top, int min_rest, struct vbox **top, struct vbox **rest)
{
	int32_t pad = v->split_pad;
	if (pad <= 0 || h - pad < 2)
		return -1;
	size_t np;
	int32_t *cuts = cuts_of(v, h - pad, &np);
	int32_t two[2] = {cuts[0], v->height};
	free(cuts);
	if (np < 2 || two[0] <= 0 || two[0] >= v->height)
		return -1;
	int32_t *own = arena_array(&ts->scratch, v->nitems, sizeof *own);
	if (!cell_cuts(v, two[0], own))
		own = NULL;
	struct vbox *parts[2];
	cut_parts(&ts->scratch, &ts->scratch, v, two, own, 2, pad, true, parts);
	if (text_lines(parts[0]) < min_top || text_lines(parts[1]) < min_rest)
		return -1;
	/* The notes stay in order across the page break: a cell's later
	 * lines must not cite a note numbered before one the next cell
	 * cites above the cut. */
	uint32_t last_top = 0, first_rest = UINT32_MAX;
	for (uint32_t k = 0; k < parts[0]->nnotes; k++)
		if (parts[0]->notes[k] > last_top)
			last_top = parts[0]->notes[k];
	for (uint32_t k = 0; k < parts[1]->nnotes; k++)
		if (parts[1]->notes[k] < first_rest)
			first_rest = parts[1]->notes[k];
	if (last_top > first_rest)
		return -1;
	*top = parts[0];
	*rest = parts[1];
	return two[0];
}

void
ts_split_make(struct typesetter *ts, const struct vbox *v, int32_t cut,
              struct vbox **top, struct vbox **rest)
{
	int32_t two[2] = {cut, v->height};
	int32_t *own = mem_alloc(v->nitems, sizeof *own);
	struct vbox *parts[2];
	cut_parts(&ts->boxes, &ts->cites, v, two,
	          cell_cuts(v, cut, own) ? own : NULL, 2, v->split_pad, true,
	          parts);
	free(own);
	for (int k = 0; k < 2; k++) {
		parts[k]->repeat = v->repeat;
		parts[k]->split_pad = v->split_pad;
		parts[k]->ground_x = v->ground_x;
		parts[k]->ground_w = v->ground_w;
		if (v->ground_w > 0)
			box_ground(ts, parts[k], v->ground_x, v->ground_w);
	}
	*top = parts[0];
	*rest = parts[1];
}

/*
 * The height a part of group v may take on a page below head_h of
 * repeated header: the page less the notes v cites, which take at most a
 * third of it.  Only a group taller than two thirds of the page needs
 * the notes' heights.
 */
static int32_t
part_limit(struct typesetter *ts, const struct vbox *v, int32_t head_h)
{
	int32_t limit = ts->text_height - head_h - ts->text_height / 3;
	if (v->height <= limit)
		return limit;
	int32_t notes_h = ts->t->note_gap;
	for (uint32_t k = 0; k < v->nnotes && notes_h <= ts->text_height / 3;
	     k++)
		notes_h += ts->notes[v->notes[k] - 1].box.height;
	if (notes_h > ts->text_height / 3)
		notes_h = ts->text_height / 3;
	return ts->text_height - head_h - notes_h;
}

/* A table's column geometry, the same for every row. */
struct columns {
	int ncols;
	int32_t pad;
	int32_t x[DOC_TABLE_MAX_COLS + 1], w[DOC_TABLE_MAX_COLS];
};

/* Sets one row's cells side by side: a vbox whose first item is left for
 * the row's ground, not yet in the vertical list. */
static struct vbox *
set_row(struct typesetter *ts, const struct doc_node *row,
        const struct columns *cols, uint32_t tr, enum page_tag cell_tag)
{
	struct vbox *v = arena_alloc(&ts->boxes, sizeof *v);
	v->kind = VBOX_CONTENT;
	v->loc = row->loc;
	ts_vbox_add(&ts->boxes, v); /* the ground, filled in by the caller */
	int32_t h = 0;
	int c = 0;
	bool full = false;
	/* A cell for every column, empty or not, right after the row: the
	 * row's cells enter the structure with it (tags.c). */
	uint32_t cell0 = ts_elem(ts, cell_tag, tr);
	for (int k = 1; k < cols->ncols; k++)
		ts_elem(ts, cell_tag, tr);
	for (const struct doc_node *cell = row->first; cell && c < cols->ncols;
	     cell = cell->next, c++) {
		struct sink in = {ts, v, cols->pad, false};
		ts->parent = cell0 + (uint32_t)c;
		ts->cell_text = cell->first != NULL &&
		                cell->first->next == NULL &&
		                cell->first->type == DOC_PARA;
		for (const struct doc_node *p = cell->first; p; p = p->next) {
			flow(&in, p, cols->x[c] + cols->pad,
			     cols->w[c] - 2 * cols->pad, NULL);
			if (p->next && ts_sink_room(&in, CELL_PARA_GAP))
				in.y += CELL_PARA_GAP;
		}
		if (in.full && !full)
			group_too_tall(ts, row->loc, "this table row", "row");
		full |= in.full;
		if (in.y + cols->pad > h)
			h = in.y + cols->pad;
	}
	if (full) {
		/* The build fails: the row is left empty. */
		v->nitems = 1;
		v->nnotes = 0;
		h = 0;
	}
	v->height = h;
	/* Room for the rules the caller adds, and no more. */
	ts_vbox_trim(&ts->boxes, v, 2);
	return v;
}

static void
table(struct sink *s, const struct doc_node *n, int32_t x, int32_t width)
{
	struct typesetter *ts = s->ts;
	const struct doc_table *tb = &n->as.table;
	assert(tb->ncols >= 1 && tb->ncols <= DOC_TABLE_MAX_COLS);
	struct columns cols = {.ncols = tb->ncols, .pad = ts->t->cell_padding};
	column_widths(ts, n, width, cols.w);
	/* In a briefing written right to left, the first column is at the
	 * right. */
	int32_t acc = 0, narrowest = INT32_MAX;
	for (int i = 0; i < tb->ncols; i++) {
		cols.x[i] = ts->rtl_doc ? x + width - acc - cols.w[i] : x + acc;
		acc += cols.w[i];
		if (cols.w[i] < narrowest)
			narrowest = cols.w[i];
	}
	/* A column keeps at least an em of the table's type between its
	 * paddings, and the paddings take at most half the table; past
	 * that the template is wrong, once per run. */
	int32_t em = ts->t->styles[STYLE_TABLE].size;
	int32_t most = width / (4 * tb->ncols);
	if (narrowest - 2 * cols.pad < em || cols.pad > most) {
		if ((narrowest - em) / 2 < most)
			most = (narrowest - em) / 2;
		if (!ts->quiet && !ts->padding_reported)
			diag_error(ts->job->diag, ts->t->padding_loc,
			           "table \"padding\" of %.1f pt leaves the "
			           "%d columns of a table %.1f pt wide too "
			           "little room for text; at most %.1f pt fits",
			           cols.pad / 1000.0, tb->ncols, width / 1000.0,
			           (most > 0 ? most : 0) / 1000.0);
		ts->padding_reported = true;
		cols.pad = 0;
	}
	/* Each row keeps its columns, for a split that ends one cell's
	 * part higher than the others'. */
	int32_t *edges = arena_array(&ts->boxes, tb->ncols + 1, sizeof *edges);
	for (int i = 0; i < tb->ncols; i++) /* from the left */
		edges[i] = cols.x[ts->rtl_doc ? tb->ncols - 1 - i : i];
	edges[tb->ncols] = x + width;
	sink_gap(s, TABLE_GAP_BEFORE);
	struct vbox *head = NULL;
	int r = 0;
	uint32_t up = ts->parent, te = ts_elem(ts, TAG_TABLE, up);
	uint32_t group = 0;
	for (const struct doc_node *row = n->first; row; row = row->next, r++) {
		bool is_head = r < tb->nhead;
		if (r == 0 || r == tb->nhead)
			group =
			    ts_elem(ts, is_head ? TAG_THEAD : TAG_TBODY, te);
		uint32_t tr = ts_elem(ts, TAG_TR, group);
		struct vbox *v =
		    set_row(ts, row, &cols, tr, is_head ? TAG_TH : TAG_TD);
		ts->parent = up;
		vbox_reuse(ts, v);
		int32_t h = v->height;
		struct vitem *bg = &v->items[0];
		if (is_head) {
			bg->op =
			    (struct page_op){.type = PAGE_RECT,
			                     .x = x,
			                     .y = h,
			                     .w = width,
			                     .h = h,
			                     .color = ts->t->color_table_head};
			rule(v, &ts->boxes, x, 0, width, 800,
			     ts->t->color_rule);
			rule(v, &ts->boxes, x, h, width, 800,
			     ts->t->color_rule);
			v->keep_with_next = true;
			head = v;
			continue;
		}
		bg->op = (struct page_op){.type = PAGE_RECT, .w = 0};
		v->repeat = head;
		v->split_pad = ts->t->cell_padding;
		/* A row that cannot fit on a page with its header and notes
		 * is split between lines. */
		int32_t limit = part_limit(ts, v, head ? head->height : 0);
		size_t np = 1;
		if (h > limit) {
			ts->nvlist--; /* v is replaced by its parts */
			np =
			    split_row(ts, v, limit, ts->t->cell_padding, false);
		}
		for (size_t k = ts->nvlist - np; k < ts->nvlist; k++) {
			ts->vlist[k]->split_pad = ts->t->cell_padding;
			ts->vlist[k]->cols = edges;
			ts->vlist[k]->ncols = (uint8_t)tb->ncols;
			rule(ts->vlist[k], &ts->boxes, x, ts->vlist[k]->height,
			     width, row->next || k + 1 < ts->nvlist ? 300 : 800,
			     ts->t->color_rule);
		}
	}
	sink_gap(s, TABLE_GAP_AFTER);
}

/* The room between a figure's image and its caption [mpt]. */
#define FIGURE_CAPTION_GAP 6000
/* The resolution an image that records none is printed at (as browsers
 * and word processors place it), and the least that prints sharply. */
#define FIGURE_DPI_ASSUMED 96
#define FIGURE_DPI_SHARP   150

/*
 * The size image im prints at [mpt]: want wide, or when want is 0 its
 * own size at its resolution, at most max_w wide and max_h tall, its
 * proportions kept, and at least a point each way.
 */
static void
image_box(const struct image *im, int64_t want, int32_t max_w, int32_t max_h,
          int64_t *w, int64_t *h)
{
	/* An image that loaded has pixels; one that did not is drawn as a
	 * point rather than divided by. */
	int64_t iw = image_shown_width(im) ? image_shown_width(im) : 1;
	int64_t ih = image_shown_height(im) ? image_shown_height(im) : 1;
	*w = want > 0 ? want
	              : iw * 72000 / (im->dpi ? im->dpi : FIGURE_DPI_ASSUMED);
	if (*w > max_w)
		*w = max_w;
	*h = *w * ih / iw;
	if (*h > max_h) {
		*w = *w * max_h / *h;
		*h = max_h;
	}
	*w = *w < 1000 ? 1000 : *w;
	*h = *h < 1000 ? 1000 : *h;
}

void
ts_figure_box(struct typesetter *ts, const struct doc_node *n, int32_t width,
              int32_t *w, int32_t *h)
{
	const struct image *im = &ts->doc->images[n->as.figure.image];
	int64_t bw, bh;
	image_box(im, (int64_t)width * n->as.figure.width / 100, width,
	          ts->text_height / 2, &bw, &bh);
	int64_t printed = (int64_t)image_shown_width(im) * 72000 / bw;
	if (printed < FIGURE_DPI_SHARP && !ts->quiet)
		diag_warning(ts->job->diag, n->loc,
		             "image \"%s\" prints at %d dpi at this size; "
		             "under %d it looks blurred on paper: use one "
		             "with more pixels, or ask for less with "
		             "{width=N%%}",
		             im->path, (int)printed, FIGURE_DPI_SHARP);
	*w = (int32_t)bw;
	*h = (int32_t)bh;
}

/* A label of a chart, centred on cx (right-aligned to it when right),
 * its baseline at y, at most width wide. */
static void
chart_label(struct typesetter *ts, struct vbox *v, const struct style *st,
            const char *text, int32_t cx, int32_t y, int32_t width, bool right,
            uint32_t elem, struct loc loc)
{
	struct line l;
	ts_line(ts,
	        &(struct page_op){.type = PAGE_TEXT,
	                          .y = y,
	                          .face = st->face,
	                          .size = st->size,
	                          .color = st->color,
	                          .text = ts_fit(ts, st, text, width, loc),
	                          .elem = elem},
	        loc, &l);
	ts_line_move(&l, right ? cx - l.w : cx - l.w / 2, 0);
	for (size_t k = 0; k < l.n; k++)
		ts_vbox_add(&ts->boxes, v)->op = l.ops[k];
}

/* The bars' fills, each a different grey as well as a colour (dark,
 * light, middle, lightest, black, middle-light); every bar is labelled
 * besides. */
static const uint32_t chart_fills[] = {0x1a4480, 0xb4c2d6, 0x707070,
                                       0xe2e2e2, 0x000000, 0x9aa0a8};

/*
 * A bar chart as rules, fills and text: a scale on the left, a group of
 * bars for each date (the undated set apart), each bar with its count
 * above it and its party below, the group's name under them.  Returns
 * its height [mpt].
 */
static int32_t
chart(struct typesetter *ts, struct vbox *v, const struct doc_chart *ch,
      int32_t x, int32_t width, uint32_t elem, struct loc loc)
{
	struct style st = *style_of(ts, STYLE_TABLE);
	st.size = st.size * 7 / 8;
	struct style bold = st;
	bold.face = ts_face(st.face, RUN_BOLD);
	uint32_t top = 1;
	for (size_t i = 0; i < ch->ngroups * ch->nseries; i++)
		if (ch->counts[i] > top)
			top = ch->counts[i];
	uint32_t step = top <= 5 ? 1 : (top + 4) / 5;
	top = (top + step - 1) / step * step;
	int32_t scale_w = 24000, plot_top = st.size * 2, plot_h = 90000,
	        base = plot_top + plot_h;
	/* As wide as its bars need, at most the column, centred. */
	int64_t slots = 2 * (int64_t)ch->ngroups + (ch->last_apart ? 1 : 0);
	int64_t want = slots * (52000 * (int64_t)ch->nseries + 24000) / 2;
	int32_t pw = want < width - scale_w ? (int32_t)want : width - scale_w;
	int32_t px = x + (width - scale_w - pw) / 2 + scale_w;
	/* The groups: the one set apart has half a group of room before
	 * it. */
	int32_t gw = (int32_t)(2 * (int64_t)pw / slots);
	int32_t bw = gw * 7 / 10 / (int32_t)ch->nseries;
	if (bw > 40000)
		bw = 40000;
	/* The parties' names under their bars, or, when one is wider than
	 * a bar, in a key above the chart. */
	bool key = false;
	for (size_t s = 0; s < ch->nseries; s++)
		key |= ts_text_width(ts, st.face, st.size, ch->series[s],
		                     strlen(ch->series[s]), loc) > bw;
	if (key) {
		int32_t kx = px;
		for (size_t s = 0; s < ch->nseries; s++) {
			struct vitem *r = ts_vbox_add(&ts->boxes, v);
			r->op = (struct page_op){
			    .type = PAGE_RECT,
			    .x = kx,
			    .y = st.size,
			    .w = st.size,
			    .h = st.size * 8 / 10,
			    .color = chart_fills[s % (sizeof chart_fills /
			                              sizeof *chart_fills)],
			    .elem = elem};
			int32_t tw =
			    ts_text_width(ts, st.face, st.size, ch->series[s],
			                  strlen(ch->series[s]), loc);
			chart_label(ts, v, &st, ch->series[s],
			            kx + st.size * 14 / 10 + tw / 2, st.size,
			            pw, false, elem, loc);
			kx += st.size * 14 / 10 + tw + st.size * 2;
		}
		plot_top += st.size * 2;
		base += st.size * 2;
	}
	/* The scale: a line and a number at each step. */
	for (uint32_t t = 0; t <= top; t += step) {
		int32_t y = base - (int32_t)((int64_t)plot_h * t / top);
		struct vitem *r = ts_vbox_add(&ts->boxes, v);
		r->op = (struct page_op){.type = PAGE_RULE,
		                         .x = px,
		                         .y = y,
		                         .w = pw,
		                         .size = t == 0 ? 800 : 300,
		                         .color = t == 0 ? 0x333333 : 0xc8c8c8,
		                         .elem = elem};
		chart_label(ts, v, &st, arena_printf(ts->job->arena, "%u", t),
		            px - 4000, y + st.size * 35 / 100, scale_w, true,
		            elem, loc);
	}
	for (size_t g = 0; g < ch->ngroups; g++) {
		int32_t gx =
		    px + gw * (int32_t)g +
		    (ch->last_apart && g + 1 == ch->ngroups ? gw / 2 : 0);
		int32_t bars = bw * (int32_t)ch->nseries;
		int32_t bx = gx + (gw - bars) / 2;
		for (size_t s = 0; s < ch->nseries; s++) {
			uint32_t n = ch->counts[g * ch->nseries + s];
			int32_t h = (int32_t)((int64_t)plot_h * n / top);
			int32_t cx = bx + bw * (int32_t)s + bw / 2;
			if (n > 0) {
				struct vitem *r = ts_vbox_add(&ts->boxes, v);
				r->op = (struct page_op){
				    .type = PAGE_RECT,
				    .x = bx + bw * (int32_t)s + bw / 10,
				    .y = base,
				    .w = bw - bw / 5,
				    .h = h,
				    .color =
				        chart_fills[s % (sizeof chart_fills /
				                         sizeof *chart_fills)],
				    .elem = elem};
			}
			chart_label(ts, v, &bold,
			            arena_printf(ts->job->arena, "%u", n), cx,
			            base - h - st.size * 4 / 10, bw, false,
			            elem, loc);
			if (!key)
				chart_label(ts, v, &st, ch->series[s], cx,
				            base + st.size * 14 / 10, bw, false,
				            elem, loc);
		}
		chart_label(ts, v, &bold, ch->groups[g], gx + gw / 2,
		            base + st.size * (key ? 15 : 29) / 10, gw, false,
		            elem, loc);
	}
	return base + st.size * (key ? 20 : 34) / 10;
}

/* A figure's caption, centred under what it shows (h tall), in its
 * Caption element; the figure's height is then known. */
static void
figure_caption(struct typesetter *ts, struct vbox *v, const struct doc_node *n,
               int32_t h, int32_t x, int32_t width)
{
	size_t k = toc_find(ts, n);
	if (k > 0)
		ts->toc[k - 1].target = v;
	struct sink in = {ts, v, h + FIGURE_CAPTION_GAP, false};
	ts->block = ts_elem(ts, TAG_CAPTION, ts->parent);
	struct style centred = *style_of(ts, n->style);
	centred.align = 2;
	para_set(&in, n->runs, n->nruns, &centred, x, width, NULL, n->loc);
	v->height = in.y;
}

/*
 * A figure: its image at its own resolution, or at the width asked for,
 * never wider than the column nor taller than half the page, centred,
 * and its caption below it, one group.  The pager floats it (is_float)
 * and puts the room around it.
 */
static void
figure(struct sink *s, const struct doc_node *n, int32_t x, int32_t width)
{
	struct typesetter *ts = s->ts;
	if (n->as.figure.chart != NULL) {
		struct vbox *v = ts_vbox(ts, VBOX_CONTENT, 0);
		v->loc = n->loc;
		v->is_float = true;
		uint32_t fig = ts_elem(ts, TAG_FIGURE, ts->parent);
		ts_alt(ts, fig, n->as.figure.alt);
		int32_t h =
		    chart(ts, v, n->as.figure.chart, x, width, fig, n->loc);
		figure_caption(ts, v, n, h, x, width);
		return;
	}
	int32_t w, h;
	ts_figure_box(ts, n, width, &w, &h);
	struct vbox *v = ts_vbox(ts, VBOX_CONTENT, 0);
	v->loc = n->loc;
	v->is_float = true;
	uint32_t fig = ts_elem(ts, TAG_FIGURE, ts->parent);
	ts_alt(ts, fig, n->as.figure.alt);
	ts_vbox_add(&ts->boxes, v)->op = (struct page_op){
	    .type = PAGE_IMAGE,
	    .x = x + (width - w) / 2,
	    .y = h,
	    .w = w,
	    .h = h,
	    .dest_page = n->as.figure.image,
	    .angle = (int16_t)ts->doc->images[n->as.figure.image].orientation,
	    .elem = fig};
	figure_caption(ts, v, n, h, x, width);
}

/*
 * The end of the first line of s[0..len), the rest of a contents entry's
 * title from its start title, room wide: the most whole words that fit,
 * at least one; len when it all fits.
 */
static size_t
toc_break(struct typesetter *ts, const struct style *st, const char *title,
          const char *s, size_t len, int32_t room, struct loc loc)
{
	if (ts_text_width(ts, st->face, st->size, s, len, loc) <= room)
		return len;
	size_t best = 0;
	for (size_t i = 1; i < len; i++) {
		if (s[i] != ' ' || s[i - 1] == ' ')
			continue;
		if (best > 0 &&
		    ts_text_width(ts, st->face, st->size, s, i, loc) > room)
			break;
		best = i;
	}
	if (best > 0 &&
	    ts_text_width(ts, st->face, st->size, s, best, loc) <= room)
		return best;
	/* No space to break at in room (a long compound, an address):
	 * after a hyphen, as a compound breaks, but for an address (a word
	 * with a slash) before a slash or a hyphen (not inside "//"), as
	 * Chicago breaks one (7.47): a line ending with its hyphen would
	 * copy as a word broken there. */
	size_t cut = 0, word = 0;
	bool address = false;
	for (size_t i = 2; i < len; i++) {
		if (i >= word) { /* the word i is in, from its start */
			size_t e = i;
			while (e < len && s[e] != ' ')
				e++;
			/* Its start may be on the lines before. */
			const char *b = s + i;
			while (b > title && b[-1] != ' ')
				b--;
			address = memchr(b, '/', (size_t)(s + e - b)) != NULL;
			word = e;
		}
		bool hyphen = address ? s[i] == '-' && s[i - 1] != '-' &&
		                            s[i - 1] != ' ' && s[i + 1] != ' '
		                      : s[i - 1] == '-' && s[i] != ' ' &&
		                            s[i] != '-' && s[i - 2] != ' ';
		bool slash = s[i] == '/' && s[i - 1] != '/' &&
		             s[i - 1] != ':' && s[i + 1] != '/';
		if (!hyphen && !slash)
			continue;
		if (ts_text_width(ts, st->face, st->size, s, i, loc) > room)
			break;
		cut = i;
	}
	return cut > 0 ? cut : best > 0 ? best : len;
}

/*
 * A contents entry: its title at indent, on as many lines as it needs,
 * the lines after the first indented further, as LaTeX sets them; the
 * page number and leaders go on the last line (fill_toc()).  A word too
 * wide for a line, and a fourth line that would not be the last, are cut
 * with an ellipsis.
 */
static void
toc_entry(struct sink *s, const struct doc_node *node, const char *title,
          int32_t indent)
{
	struct typesetter *ts = s->ts;
	struct arena *a = ts->job->arena;
	const struct style *st = style_of(ts, STYLE_BODY);
	if (ts->ntoc == ts->captoc) {
		size_t ncap = ts->captoc ? ts->captoc * 2 : 16;
		ts->toc =
		    arena_grow(a, ts->toc, ts->ntoc, ncap, sizeof *ts->toc);
		ts->captoc = ncap;
	}
	uint32_t link =
	    ts_elem(ts, TAG_LINK, ts_elem(ts, TAG_TOCI, ts->parent));
	/* Room on the right for leaders and a page number. */
	int32_t room = ts->text_width - indent - st->size * 5;
	int32_t hang = st->size * 3 / 2;
	int32_t base = (st->leading - st->size) / 2 + st->size * 8 / 10;
	size_t len = strlen(title), at = 0;
	int nlines = 0;
	struct vbox *v = ts_vbox(ts, VBOX_CONTENT, st->leading);
	v->loc = node->loc;
	int32_t w = 0, left = indent;
	bool rtl = false;
	do {
		left = nlines > 0 ? indent + hang : indent;
		int32_t r = nlines > 0 ? room - hang : room;
		/* At most four lines: the last takes the rest, cut with
		 * an ellipsis when it is still too long. */
		size_t end = nlines == 3
		                 ? len
		                 : at + toc_break(ts, st, title, title + at,
		                                  len - at, r, node->loc);
		const char *text =
		    ts_fit(ts, st, arena_strndup(a, title + at, end - at), r,
		           node->loc);
		struct line l;
		/* The lines after the first run as it does. */
		ts->line_dir = nlines == 0 ? 0 : rtl ? BIDI_RTL : BIDI_LTR;
		ts_line(ts,
		        &(struct page_op){.type = PAGE_TEXT,
		                          .x = left,
		                          .y = base + nlines * st->leading,
		                          .face = st->face,
		                          .size = st->size,
		                          .color = st->color,
		                          .text = text,
		                          .elem = link},
		        node->loc, &l);
		ts->line_dir = 0;
		w = l.w;
		/* A right-to-left title is mirrored: indented from the
		 * right, its leaders and page number to its left
		 * (draw.c). */
		if (nlines == 0)
			rtl = l.rtl;
		if (rtl)
			ts_line_move(&l, ts->text_width - 2 * left - w, 0);
		for (size_t k = 0; k < l.n; k++)
			ts_vbox_add(&ts->boxes, v)->op = l.ops[k];
		nlines++;
		for (at = end; at < len && title[at] == ' ';)
			at++;
	} while (at < len);
	v->height = nlines * st->leading;
	ts->toc[ts->ntoc++] =
	    (struct toc_entry){node,
	                       v,
	                       NULL,
	                       rtl ? ts->text_width - left - w : left + w,
	                       ts->text_width,
	                       base + (nlines - 1) * st->leading,
	                       st,
	                       link,
	                       title,
	                       rtl};
}

/* Entries for the figures in n and below it, in order. */
static void
figure_entries(struct sink *s, const struct doc_node *n)
{
	for (const struct doc_node *c = n->first; c; c = c->next) {
		if (c->type == DOC_FIGURE)
			toc_entry(s, c, plain_text(s->ts, c), 14000);
		else if (c->type == DOC_SECTION || c->type == DOC_LIST ||
		         c->type == DOC_ITEM || c->type == DOC_QUOTE)
			figure_entries(s, c);
	}
}

/* The list of figures, when there are two or more: a line naming it,
 * then an entry for each, in a contents list of its own. */
static void
figures_list(struct sink *s)
{
	struct typesetter *ts = s->ts;
	if (ts->doc->nfigures < 2)
		return;
	const struct style *st = style_of(ts, STYLE_BODY);
	uint32_t up = ts->parent;
	ts->parent = ts_elem(ts, TAG_TOC, up);
	uint32_t p = ts_elem(ts, TAG_P, ts_elem(ts, TAG_TOCI, ts->parent));
	sink_gap(s, st->leading / 2);
	struct vbox *v = ts_vbox(ts, VBOX_CONTENT, st->leading);
	v->loc = ts->doc->root->loc;
	v->keep_with_next = true;
	struct line l;
	ts_line(ts,
	        &(struct page_op){.type = PAGE_TEXT,
	                          .y = (st->leading - st->size) / 2 +
	                               st->size * 8 / 10,
	                          .face = ts_face(st->face, RUN_BOLD),
	                          .size = st->size,
	                          .color = st->color,
	                          .text = tmpl_str(ts->t, STR_FIGURES_TITLE),
	                          .elem = p},
	        v->loc, &l);
	for (size_t k = 0; k < l.n; k++)
		ts_vbox_add(&ts->boxes, v)->op = l.ops[k];
	figure_entries(s, ts->doc->root);
	ts->parent = up;
}

/*
 * The template's logo above the title block, at its left: as wide as the
 * template says, or its own size, at most half the column wide and a
 * fifth of the page tall.  It marks who wrote the briefing and says
 * nothing of its matter: an artifact.
 */
static void
logo(struct sink *s)
{
	struct typesetter *ts = s->ts;
	uint32_t k = ts->doc->logo - 1;
	const struct image *im = &ts->doc->images[k];
	int64_t w, h;
	image_box(im, ts->t->logo_width, ts->text_width / 2,
	          ts->text_height / 5, &w, &h);
	struct vbox *v = ts_vbox(ts, VBOX_CONTENT, (int32_t)h);
	v->loc = ts->t->logo_loc;
	v->keep_with_next = true;
	ts_vbox_add(&ts->boxes, v)->op =
	    (struct page_op){.type = PAGE_IMAGE,
	                     .y = (int32_t)h,
	                     .w = (int32_t)w,
	                     .h = (int32_t)h,
	                     .dest_page = k,
	                     .angle = (int16_t)im->orientation,
	                     .artifact = ART_LAYOUT};
	sink_gap(s, 8000);
}

/* The table of contents: sections and their sub-headings, then the list
 * of figures. */
static void
contents(struct sink *s)
{
	struct typesetter *ts = s->ts;
	uint32_t up = ts->parent;
	ts->parent = ts_elem(ts, TAG_TOC, up);
	for (const struct doc_node *n = ts->doc->root->first; n; n = n->next) {
		if (n->type != DOC_SECTION ||
		    n->as.section.id == SECTION_CONTENTS || n->as.section.annex)
			continue;
		toc_entry(s, n, n->as.section.title, 0);
		for (const struct doc_node *c = n->first; c; c = c->next)
			if (c->type == DOC_HEADING)
				toc_entry(s, c, plain_text(ts, c), 14000);
	}
	figures_list(s);
	ts->parent = up;
	toc_index(ts);
	sink_gap(s, 6000);
}

static void
flow(struct sink *s, const struct doc_node *n, int32_t x, int32_t width,
     const char *prefix)
{
	struct typesetter *ts = s->ts;
	switch (n->type) {
	case DOC_SECTION: {
		struct doc_run title = {.text = n->as.section.title,
		                        .loc = n->loc};
		size_t first = ts->nvlist;
		uint32_t up = ts->parent;
		ts->parent = ts_elem(ts, TAG_SECT, up);
		heading(s, n, &title, 1, STYLE_H1, 0, n->as.section.title, true,
		        n->loc);
		enum section_id id = n->as.section.id;
		bool right = ts->t->duplex && (id == SECTION_READOUTS ||
		                               id == SECTION_PRECONDITIONS ||
		                               id == SECTION_BREACHES);
		if ((right || n->as.section.annex) && first < ts->nvlist) {
			/* The heading's first line, past the gap before it. */
			while (first + 1 < ts->nvlist &&
			       ts->vlist[first]->kind == VBOX_GAP)
				first++;
			ts->vlist[first]->right_page = right;
			ts->vlist[first]->annex = n->as.section.annex;
		}
		if (n->as.section.id == SECTION_CONTENTS)
			contents(s);
		for (const struct doc_node *c = n->first; c; c = c->next)
			flow(s, c, x, width, NULL);
		ts->parent = up;
		break;
	}
	case DOC_HEADING:
		if (s->group) {
			para(s, n, x, width, prefix);
			break;
		}
		heading(s, n, n->runs, n->nruns, n->style, 1, plain_text(ts, n),
		        false, n->loc);
		break;
	case DOC_PARA:
		para(s, n, x, width, prefix);
		break;
	case DOC_LIST:
		list(s, n, x, width);
		break;
	case DOC_ITEM:
		for (const struct doc_node *c = n->first; c; c = c->next)
			flow(s, c, x, width, NULL);
		break;
	case DOC_QUOTE: {
		int32_t ind = width - 2 * QUOTE_INDENT >= ts->text_width / 3
		                  ? QUOTE_INDENT
		                  : 0;
		uint32_t up = ts->parent;
		ts->parent = ts_elem(ts, TAG_BLOCKQUOTE, up);
		for (const struct doc_node *c = n->first; c; c = c->next)
			flow(s, c, x + ind, width - 2 * ind, NULL);
		ts->parent = up;
		break;
	}
	case DOC_BOX:
		if (s->group == NULL)
			box(s, n, x, width);
		break;
	case DOC_TABLE:
		if (s->group == NULL)
			table(s, n, x, width);
		break;
	case DOC_FIGURE:
		if (s->group == NULL)
			figure(s, n, x, width);
		break;
	default:
		break;
	}
}

/* Sets every footnote once, at the text width, with a hanging number. */
void
layout_notes(struct typesetter *ts)
{
	struct arena *a = ts->job->arena;
	const struct style *st = style_of(ts, STYLE_NOTE);
	int32_t indent =
	    ts_text_width(ts, st->face, st->size, "000", 3, (struct loc){0}) +
	    st->size * 4 / 10;
	ts->notes = arena_array(a, ts->doc->nnotes ? ts->doc->nnotes : 1,
	                        sizeof *ts->notes);
	for (size_t i = 0; i < ts->doc->nnotes; i++) {
		const struct doc_note *dn = &ts->doc->notes[i];
		struct vbox *v = &ts->notes[i].box;
		v->kind = VBOX_CONTENT;
		v->loc = dn->loc;
		struct sink in = {ts, v, 0, false};
		/* In the Document until the paragraph that cites it is set. */
		ts->notes[i].elem = ts_elem(ts, TAG_NOTE, 0);
		/* Its number is its label. */
		ts->block = ts->notes[i].elem;
		ts->label = ts_elem(ts, TAG_LBL, ts->block);
		para_set(&in, dn->runs, dn->nruns, st, indent,
		         ts->text_width - indent,
		         arena_printf(a, "%u", dn->num), dn->loc);
		if (in.full) {
			/* The build fails: the note is left empty. */
			group_too_tall(ts, dn->loc, "this note", "note");
			v->nitems = 0;
			in.y = 0;
		}
		ts->label = 0;
		ts_vbox_trim(&ts->boxes, v, 0);
		ts->notes[i].leading = st->leading;
		ts->notes[i].nlines = (int)(in.y / st->leading);
		v->height = in.y + NOTE_GAP;
	}
}

/* True if n or anything in it prints page numbers of citations. */
static bool
names_pages(const struct doc_node *n)
{
	for (size_t i = 0; i < n->nruns; i++)
		if (n->runs[i].flags & RUN_PAGEREF)
			return true;
	for (const struct doc_node *c = n->first; c; c = c->next)
		if (names_pages(c))
			return true;
	return false;
}

void
layout_doc(struct typesetter *ts)
{
	struct sink s = {ts, NULL, 0, false};
	bool rule_done = false;
	bool first_pass = ts->tops == NULL;
	if (first_pass) {
		ts->h_section = 1;
		for (const struct doc_node *c = ts->doc->root->first; c;
		     c = c->next)
			if (c->type == DOC_PARA && c->style == STYLE_TITLE)
				ts->h_section = 2;
		size_t n = 0;
		for (const struct doc_node *c = ts->doc->root->first; c;
		     c = c->next)
			n++;
		ts->tops =
		    arena_array(&ts->scratch2, n ? n : 1, sizeof *ts->tops);
		ts->ntops = n;
	}
	if (ts->doc->logo > 0)
		logo(&s);
	size_t i = 0;
	for (const struct doc_node *n = ts->doc->root->first; n;
	     n = n->next, i++) {
		struct top_range *r = &ts->tops[i];
		size_t first = ts->nvlist;
		if (!first_pass && !r->names_pages) {
			/* Same text as before: the same lines. */
			for (size_t k = r->first; k < r->last; k++)
				vbox_reuse(ts, ts->prev_vlist[k]);
			rule_done |= n->type == DOC_SECTION;
			r->first = first;
			r->last = ts->nvlist;
			continue;
		}
		if (n->type == DOC_SECTION && !rule_done) {
			/* A rule closes the title block. */
			rule_done = true;
			sink_gap(&s, 4000);
			struct vbox *v = ts_vbox(ts, VBOX_CONTENT, 1000);
			rule(v, &ts->boxes, 0, 500, ts->text_width, 1000,
			     ts->t->color_rule);
			sink_gap(&s, 6000);
		}
		flow(&s, n, 0, ts->text_width, NULL);
		*r = (struct top_range){first, ts->nvlist,
		                        first_pass ? names_pages(n)
		                                   : r->names_pages};
	}
}
