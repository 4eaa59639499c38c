/*
 * Typeset stage: drawing.  Turns the placed pages into page operations:
 * text, notes under their rule, the contents' page numbers and leaders,
 * links, bookmarks, and the running header, footer and banner with
 * "Page N of M".
 */
#include "typeset_int.h"

#include "../base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"

/* A page's number and the number of pages, as "{page}" and "{pages}"
 * print them. */
struct page_no {
	char page[24], pages[24];
};

/*
 * Page k's numbers: 1 to N for the body, A-1 to A-n for the annex (as
 * the PDF's page labels number them too).
 */
static void
page_no(const struct pager *p, size_t k, struct page_no *no)
{
	if (k < p->annex) {
		snprintf(no->page, sizeof no->page, "%zu", k + 1);
		snprintf(no->pages, sizeof no->pages, "%zu", p->annex);
	} else {
		snprintf(no->page, sizeof no->page, "A-%zu", k - p->annex + 1);
		snprintf(no->pages, sizeof no->pages, "A-%zu",
		         p->npages - p->annex);
	}
}

const char *
ts_furniture_text(struct typesetter *ts, const char *tmpl, const char *page,
                  const char *pages, const char *section)
{
	if (tmpl == NULL)
		return NULL;
	struct buf b = {0};
	const char *s = tmpl, *name;
	size_t len;
	for (const char *p; (p = tmpl_placeholder(s, &name, &len)) != NULL;
	     s = name + len + 1) {
		buf_add(&b, s, (size_t)(p - s));
		const char *val = NULL;
		if (len == 4 && memcmp(name, "page", 4) == 0)
			val = page;
		else if (len == 5 && memcmp(name, "pages", 5) == 0)
			val = pages;
		else if (len == 7 && memcmp(name, "section", 7) == 0)
			val = section ? section : "";
		for (int v = 0; val == NULL && v < VAR__MAX; v++)
			if (strlen(doc_var_names[v]) == len &&
			    memcmp(doc_var_names[v], name, len) == 0)
				val = ts->doc->vars[v];
		if (val != NULL)
			buf_puts(&b, val);
		else
			buf_add(&b, p, len + 2);
	}
	buf_puts(&b, s);
	const char *out = buf_finish(&b, ts->job->arena);
	buf_free(&b);
	return out;
}

/* A header, footer or banner string as page no prints it. */
static const char *
expand(struct typesetter *ts, const char *tmpl, const struct page_no *no,
       const char *section)
{
	return ts_furniture_text(ts, tmpl, no->page, no->pages, section);
}

/*
 * A page's operations are collected in one buffer reused for every page
 * and copied to the arena at their exact number by page_finish(), so no
 * page carries spare capacity.
 */
static struct page_op *
page_add(struct typesetter *ts, struct page *pg)
{
	if (pg->nops == ts->opcap) {
		size_t ncap = ts->opcap ? ts->opcap * 2 : 1024;
		ts->opbuf = mem_realloc(ts->opbuf, ncap, sizeof *ts->opbuf);
		ts->opcap = ncap;
	}
	pg->ops = ts->opbuf;
	struct page_op *op = &pg->ops[pg->nops++];
	memset(op, 0, sizeof *op);
	return op;
}

/* Adds a line's operations to the page. */
static void
add_line(struct typesetter *ts, struct page *pg, const struct line *l)
{
	for (size_t k = 0; k < l->n; k++)
		*page_add(ts, pg) = l->ops[k];
}

static void
page_finish(struct typesetter *ts, struct page *pg)
{
	/* malloc, not the arena: emit can free a page once it is drawn. */
	struct page_op *ops = mem_alloc(pg->nops, sizeof *ops);
	if (pg->nops > 0)
		memcpy(ops, ts->opbuf, pg->nops * sizeof *ops);
	pg->ops = ops;
	pg->cap = pg->nops;
	pg->owned = true;
}

const char *
ts_fit(struct typesetter *ts, const struct style *st, const char *s,
       int32_t width, struct loc loc)
{
	size_t len = strlen(s);
	if (ts_text_width(ts, st->face, st->size, s, len, loc) <= width)
		return s;
	/* The longest start of s that fits with an ellipsis after it, found
	 * in one pass: text is cut this way on every page. */
	int64_t ell = ts_advance(ts, st->face, 0x2026, loc);
	int64_t acc = 0;
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < len;) {
		if ((acc + ell) * st->size / 1000 > width)
			break;
		best = i;
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		acc += ts_advance(ts, st->face, cp, loc);
		i += k;
	}
	if (best == SIZE_MAX)
		return "";
	/* At a word's end where there is one, without the space or the
	 * punctuation before it: "the energy…", not "the energy-infras…". */
	size_t word = best;
	while (word > 0 && s[word] != ' ')
		word--;
	while (word > 0 && strchr(" ,;:-", s[word - 1]) != NULL)
		word--;
	/* Nor on a small word of its language: "the call of…", "talks
	 * with the…", "l'appel de…". */
	const char *lang =
	    lang_of_text(s, len, ts->doc->lang != NULL ? ts->doc->lang : "en");
	for (bool cut = true; cut && word > 0;) {
		size_t w0 = word;
		while (w0 > 0 && s[w0 - 1] != ' ')
			w0--;
		cut = w0 > 0 && lang_small_word(lang, s + w0, word - w0, false);
		if (cut) {
			word = w0;
			while (word > 0 && strchr(" ,;:-", s[word - 1]) != NULL)
				word--;
		}
	}
	if (word > 0)
		best = word;
	/* Shaped, the start may come out wider than its characters
	 * added up (kerning): shorter until it fits. */
	const char *out;
	for (;;) {
		out = arena_printf(ts->job->arena, "%.*s…", (int)best, s);
		if (best == 0 || ts_text_width(ts, st->face, st->size, out,
		                               strlen(out), loc) <= width)
			return out;
		do
			best--;
		while (best > 0 && ((unsigned char)s[best] & 0xC0) == 0x80);
	}
}

/* Draws a left, centre and right string on one baseline. */
static void
furniture(struct typesetter *ts, struct page *pg, const struct furniture *f,
          enum style_id sid, int32_t y, const struct page_no *no,
          const char *section, enum page_artifact kind)
{
	const struct style *st = &ts->t->styles[sid];
	int32_t left = ts->t->margin_left;
	int32_t width = ts->text_width;
	const char *txt[3] = {expand(ts, f->left, no, section),
	                      expand(ts, f->center, no, section),
	                      expand(ts, f->right, no, section)};
	/* Each slot as wide as its text, when they all fit with a gutter
	 * between them; otherwise the centre keeps at most a third, and a
	 * side what the other leaves. */
	int32_t nat[3] = {0, 0, 0}, room[3];
	for (int k = 0; k < 3; k++)
		if (txt[k] != NULL && txt[k][0] != '\0')
			nat[k] = ts_text_width(ts, st->face, st->size, txt[k],
			                       strlen(txt[k]), (struct loc){0});
	const int32_t gutter = 6000;
	if (nat[1] == 0) {
		int32_t g = nat[0] > 0 && nat[2] > 0 ? gutter : 0;
		int sh = nat[0] <= nat[2] ? 0 : 2, lo = 2 - sh;
		room[sh] =
		    nat[sh] < (width - g) / 2 ? nat[sh] : (width - g) / 2;
		room[lo] = width - g - room[sh];
	} else {
		int32_t side = nat[0] > nat[2] ? nat[0] : nat[2];
		room[1] = side > 0 && nat[1] > width / 3 &&
		                  nat[1] + 2 * (side + gutter) > width
		              ? width / 3
		              : nat[1];
		room[0] = room[2] = (width - room[1]) / 2 - gutter;
		if (side == 0)
			room[1] = width;
	}
	for (int k = 0; k < 3; k++) {
		if (nat[k] == 0)
			continue;
		const char *s =
		    ts_fit(ts, st, txt[k], room[k], (struct loc){0});
		struct line l;
		ts_line(ts,
		        &(struct page_op){.type = PAGE_TEXT,
		                          .y = y,
		                          .face = st->face,
		                          .size = st->size,
		                          .color = st->color,
		                          .text = s,
		                          .artifact = (uint8_t)kind},
		        (struct loc){0}, &l);
		int32_t w = l.w;
		ts_line_move(&l,
		             k == 0   ? left
		             : k == 1 ? left + (width - w) / 2
		                      : left + width - w,
		             0);
		add_line(ts, pg, &l);
	}
}

/*
 * Draws the items of v with its top at top.  With clip, only the items
 * whose line lies in [from_y, to_y) of v, shifted so that from_y lands at
 * top (part of a note continued across pages).  A repeat (a table's head
 * on a later page) is drawn as an artifact.
 */
static void
draw_items(struct typesetter *ts, struct page *pg, const struct vbox *v,
           int32_t top, bool clip, int32_t from_y, int32_t to_y,
           uint32_t pageno, bool repeat)
{
	if (!clip)
		from_y = 0;
	int32_t left = ts->t->margin_left;
	for (uint32_t i = 0; i < v->nitems; i++) {
		const struct vitem *it = &v->items[i];
		if (it->op.type == PAGE_RECT &&
		    (it->op.w == 0 || it->op.h == 0))
			continue;
		/* Which line an item belongs to: a baseline or a link's
		 * bottom edge lies within the line's box. */
		int32_t ly = it->op.y - 1;
		if (clip && (ly < from_y || ly >= to_y))
			continue;
		struct page_op *op = page_add(ts, pg);
		*op = it->op;
		op->x += left;
		op->y = top - (it->op.y - from_y);
		if (op->type == PAGE_RULE)
			op->h = -it->op.h;
		if (repeat) {
			op->elem = 0;
			op->artifact = ART_PAGINATION;
			if (op->type == PAGE_LINK_URI ||
			    op->type == PAGE_LINK_DEST)
				pg->nops--; /* the first head has the link */
			continue;
		}
		if (it->note &&
		    ts->note_page[it->note - 1] == (int32_t)pageno) {
			struct page_op mark = *op; /* page_add() may move op */
			struct page_op *ln = page_add(ts, pg);
			*ln = (struct page_op){
			    .type = PAGE_LINK_DEST,
			    .x = mark.x,
			    .y = mark.y - 1000,
			    .w = mark.w,
			    .h = mark.size + 2000,
			    .dest_page =
			        (uint32_t)ts->notes[it->note - 1].box.page,
			    .dest_y = ts->notes[it->note - 1].box.top,
			    .text = mark.text,
			    .elem = mark.elem};
		}
	}
}

/* The top of each note that begins on a page, before any page is drawn:
 * a marker may link to a note on a later page. */
static void
note_tops(struct typesetter *ts, const struct pstate *ps)
{
	int32_t ny = ts->t->margin_bottom + ps->notes_h;
	for (size_t i = 0; i < ps->nnotes; i++) {
		struct notepart np = ps->notes[i];
		if (np.from == 0)
			ts->notes[np.num - 1].box.top = ny;
		ny -= ts_notepart_height(ts, np);
	}
}

/* "Note N, continued", in the template's words, cut to the measure. */
static const char *
continued(struct typesetter *ts, uint32_t num)
{
	struct arena *a = ts->job->arena;
	struct style st = ts->t->styles[STYLE_NOTE];
	st.face = FACE_SERIF_ITALIC;
	const char *s = tmpl_fill(a, tmpl_str(ts->t, STR_NOTE_CONTINUED), "n",
	                          arena_printf(a, "%u", num), NULL);
	return ts_fit(ts, &st, s, ts->text_width, (struct loc){0});
}

/* Draws the notes of a page from the top of its notes area down. */
static void
draw_notes(struct typesetter *ts, struct page *pg, const struct pstate *ps,
           uint32_t pageno)
{
	const struct tmpl *t = ts->t;
	if (ps->nnotes == 0)
		return;
	int32_t ny = t->margin_bottom + ps->notes_h;
	/* The rule at the foot of the template's gap, the whole gap above
	 * it: the first note's baseline then sits its half-leading and
	 * ascent below the rule, as LaTeX's \footnotesep has it.  It starts
	 * where the lines do: on the right in a right-to-left briefing. */
	struct page_op *r = page_add(ts, pg);
	*r = (struct page_op){.type = PAGE_RULE,
	                      .x = ts->rtl_doc
	                               ? t->margin_left + ts->text_width -
	                                     t->note_rule_width
	                               : t->margin_left,
	                      .y = ny,
	                      .w = t->note_rule_width,
	                      .h = 0,
	                      .size = 500,
	                      .color = t->color_rule};
	const struct style *st = &t->styles[STYLE_NOTE];
	for (size_t i = 0; i < ps->nnotes; i++) {
		struct notepart np = ps->notes[i];
		struct noteblock *nb = &ts->notes[np.num - 1];
		int32_t top = ny;
		if (np.from > 0) {
			struct line l;
			ts_line(ts,
			        &(struct page_op){
			            .type = PAGE_TEXT,
			            .x = t->margin_left,
			            .y = ny - ((st->leading - st->size) / 2 +
			                       st->size * 8 / 10),
			            .face = FACE_SERIF_ITALIC,
			            .size = st->size,
			            .color = st->color,
			            .text = continued(ts, np.num),
			            .artifact = ART_PAGINATION},
			        (struct loc){0}, &l);
			add_line(ts, pg, &l);
			top -= nb->leading;
		}
		draw_items(ts, pg, &nb->box, top, true,
		           (int32_t)np.from * nb->leading,
		           (int32_t)np.to * nb->leading, pageno, false);
		ny -= ts_notepart_height(ts, np);
	}
}

/* Puts page numbers, leaders and links into the contents entries. */
static void
fill_toc(struct typesetter *ts)
{
	struct arena *a = ts->job->arena;
	for (size_t i = 0; i < ts->ntoc; i++) {
		struct toc_entry *e = &ts->toc[i];
		if (e->target == NULL)
			continue;
		const struct style *st = e->st;
		const char *num = arena_printf(a, "%d", e->target->page + 1);
		int32_t nw = ts_text_width(ts, st->face, st->size, num,
		                           strlen(num), (struct loc){0});
		int32_t dot = ts_text_width(ts, st->face, st->size, " .", 2,
		                            (struct loc){0});
		int32_t base = e->base;
		struct vitem *v = ts_vbox_add(&ts->boxes, e->line);
		v->op = (struct page_op){.type = PAGE_TEXT,
		                         .x = e->rtl ? 0 : e->width - nw,
		                         .y = base,
		                         .w = nw,
		                         .face = st->face,
		                         .size = st->size,
		                         .color = st->color,
		                         .text = num,
		                         .elem = e->link};
		/* Dot leaders on a fixed grid, so that they line up. */
		int32_t from = e->rtl ? nw + dot : e->x + dot;
		int32_t to = e->rtl ? e->x - dot : e->width - nw - dot;
		int32_t x0 = (from + dot - 1) / dot * dot;
		if (dot > 0 && to - x0 >= dot) {
			int n = (to - x0) / dot;
			char *dots = arena_alloc(a, (size_t)n * 2 + 1);
			for (int k = 0; k < n; k++) {
				dots[2 * k] = ' ';
				dots[2 * k + 1] = '.';
			}
			v = ts_vbox_add(&ts->boxes, e->line);
			v->op = (struct page_op){.type = PAGE_TEXT,
			                         .x = x0,
			                         .y = base,
			                         .w = n * dot,
			                         .face = st->face,
			                         .size = st->size,
			                         .color = st->color,
			                         .text = dots};
		}
		v = ts_vbox_add(&ts->boxes, e->line);
		v->op = (struct page_op){.type = PAGE_LINK_DEST,
		                         .x = 0,
		                         .y = e->line->height,
		                         .w = e->width,
		                         .h = e->line->height,
		                         .dest_page = (uint32_t)e->target->page,
		                         .dest_y = e->target->top,
		                         .text = e->title,
		                         .elem = e->link};
	}
}

static void
add_outline(struct typesetter *ts, struct pages *out, size_t *cap,
            const struct vbox *v)
{
	if (out->noutlines == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		out->outlines =
		    arena_grow(ts->job->arena, out->outlines, out->noutlines,
		               ncap, sizeof *out->outlines);
		*cap = ncap;
	}
	out->outlines[out->noutlines++] = (struct outline){
	    v->outline_level, v->outline, (uint32_t)v->page, v->top};
	if (utf8_utf16_len(v->outline, strlen(v->outline)) > DOC_MAX_PDF_TEXT)
		diag_warning(ts->job->diag, v->loc,
		             "this heading is too long for a bookmark (%d "
		             "characters at most); the bookmark is cut there",
		             DOC_MAX_PDF_TEXT);
}

void
draw_pages(struct typesetter *ts, struct pager *p, struct pages *out)
{
	struct arena *a = ts->job->arena;
	const struct tmpl *t = ts->t;
	out->width = t->page_width;
	out->height = t->page_height;
	out->n = p->npages;
	out->nannex = p->npages - p->annex;
	out->pages = arena_array(a, p->npages, sizeof *out->pages);
	size_t capout = 0;
	int32_t text_top = t->page_height - t->margin_top;
	int32_t text_bottom = t->margin_bottom;

	/* Positions first: links to headings and notes need them. */
	for (size_t k = 0; k < p->npages; k++) {
		for (size_t i = 0; i < p->pages[k].nitems; i++) {
			struct placed *pl = &p->pages[k].items[i];
			if (pl->v->page == (int32_t)k)
				pl->v->top = text_top - pl->y;
		}
		note_tops(ts, &p->pages[k]);
	}
	fill_toc(ts);

	for (size_t k = 0; k < p->npages; k++) {
		struct pstate *ps = &p->pages[k];
		struct page *pg = &out->pages[k];
		/* The text, then its notes: the order they are read in. */
		for (size_t i = 0; i < ps->nitems; i++) {
			const struct vbox *v = ps->items[i].v;
			int32_t top = text_top - ps->items[i].y;
			draw_items(ts, pg, v, top, false, 0, 0, (uint32_t)k,
			           v->drawn);
			ps->items[i].v->drawn = true;
			/* A repeated table head is not a new bookmark. */
			if (v->outline != NULL && v->page == (int32_t)k)
				add_outline(ts, out, &capout, v);
		}
		draw_notes(ts, pg, ps, (uint32_t)k);
		if (ps->blank) {
			const struct style *bst = &t->styles[STYLE_BODY];
			struct style ist = *bst;
			ist.face = FACE_SERIF_ITALIC;
			const char *msg =
			    ts_fit(ts, &ist, tmpl_str(t, STR_BLANK_PAGE),
			           ts->text_width, (struct loc){0});
			struct line l;
			ts_line(ts,
			        &(struct page_op){.type = PAGE_TEXT,
			                          .y = t->page_height / 2,
			                          .face = FACE_SERIF_ITALIC,
			                          .size = bst->size,
			                          .color = bst->color,
			                          .text = msg,
			                          .artifact = ART_PAGINATION},
			        (struct loc){0}, &l);
			ts_line_move(
			    &l, t->margin_left + (ts->text_width - l.w) / 2, 0);
			add_line(ts, pg, &l);
		}
		/* Furniture: banner top and bottom, header, footer. */
		const struct style *bs = &t->styles[STYLE_BANNER];
		struct page_no no;
		page_no(p, k, &no);
		const char *banner = expand(ts, t->banner, &no, ps->section);
		if (banner && banner[0]) {
			struct furniture f = {NULL, banner, NULL};
			/* Its line box (0.8 em above the baseline, 0.2
			 * below) at the template's distance from the
			 * edge. */
			int32_t yt =
			    t->page_height - t->edge - bs->size * 4 / 5;
			int32_t yb = t->edge + bs->size / 5;
			furniture(ts, pg, &f, STYLE_BANNER, yt, &no,
			          ps->section, ART_PAGINATION);
			furniture(ts, pg, &f, STYLE_BANNER, yb, &no,
			          ps->section, ART_PAGINATION);
		}
		/* Two-sided, a left-hand page has its header and footer
		 * mirrored: the page number on the outer edge. */
		bool left_hand = t->duplex && k % 2 == 1;
		struct furniture head = t->header, foot = t->footer;
		if (left_hand) {
			head = (struct furniture){
			    t->header.right, t->header.center, t->header.left};
			foot = (struct furniture){
			    t->footer.right, t->footer.center, t->footer.left};
		}
		int32_t hy = text_top + t->header_offset;
		/* A page left blank on purpose has no running head. */
		if (k > 0 && !ps->blank) {
			furniture(ts, pg, &head, STYLE_HEADER, hy, &no,
			          ps->section, ART_HEADER);
			struct page_op *r = page_add(ts, pg);
			*r = (struct page_op){
			    .type = PAGE_RULE,
			    .x = t->margin_left,
			    .y = hy - t->styles[STYLE_HEADER].size / 2,
			    .w = ts->text_width,
			    .h = 0,
			    .size = 400,
			    .color = t->color_rule};
		}
		int32_t fy = text_bottom - t->footer_offset;
		furniture(ts, pg, &foot, STYLE_FOOTER, fy, &no, ps->section,
		          ART_FOOTER);
		struct page_op *r = page_add(ts, pg);
		*r = (struct page_op){.type = PAGE_RULE,
		                      .x = t->margin_left,
		                      .y = fy + t->styles[STYLE_FOOTER].size,
		                      .w = ts->text_width,
		                      .h = 0,
		                      .size = 400,
		                      .color = t->color_rule};
		/* Two-sided: a left-hand page mirrors the margins. */
		if (left_hand) {
			int32_t dx = t->margin_right - t->margin_left;
			for (size_t i = 0; i < pg->nops; i++)
				pg->ops[i].x += dx;
		}
		page_finish(ts, pg);
	}
	free(ts->opbuf);
	ts->opbuf = NULL;
	ts->opcap = 0;
}
