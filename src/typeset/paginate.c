/*
 * Typeset stage: pagination.  Fills pages from the vertical list, keeping
 * every footnote on the page of its marker: a line and the notes it cites
 * are one demand on the page.  Then draws the notes, the running header
 * and footer and the classification banner, and resolves "Page N of M".
 */
#include "typeset_int.h"

#include <string.h>

#include "../base/buf.h"

/* A vbox placed on a page, y from the top of the text area downwards. */
struct placed {
	const struct vbox *v;
	int32_t y;
};

struct pstate {
	struct placed *items;
	size_t nitems, capitems;
	uint32_t *notes;
	size_t nnotes, capnotes;
	int32_t used;      /* content height [mpt] */
	int32_t notes_h;   /* sum of note heights [mpt] */
	const char *section; /* running header */
};

struct pager {
	struct typesetter *ts;
	struct pstate *pages;
	size_t npages, cap;
	const char *section;
};

static struct pstate *
new_page(struct pager *p)
{
	if (p->npages == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		p->pages = arena_grow(p->ts->job->arena, p->pages, p->npages,
		                      ncap, sizeof *p->pages);
		p->cap = ncap;
	}
	struct pstate *pg = &p->pages[p->npages++];
	memset(pg, 0, sizeof *pg);
	pg->section = p->section;
	return pg;
}

static void
place(struct pager *p, struct pstate *pg, const struct vbox *v, int32_t y)
{
	struct arena *a = p->ts->job->arena;
	if (pg->nitems == pg->capitems) {
		size_t ncap = pg->capitems ? pg->capitems * 2 : 64;
		pg->items = arena_grow(a, pg->items, pg->nitems, ncap,
		                       sizeof *pg->items);
		pg->capitems = ncap;
	}
	pg->items[pg->nitems++] = (struct placed){v, y};
	for (uint32_t i = 0; i < v->nnotes; i++) {
		if (pg->nnotes == pg->capnotes) {
			size_t ncap = pg->capnotes ? pg->capnotes * 2 : 16;
			pg->notes = arena_grow(a, pg->notes, pg->nnotes, ncap,
			                       sizeof *pg->notes);
			pg->capnotes = ncap;
		}
		pg->notes[pg->nnotes++] = v->notes[i];
		pg->notes_h += p->ts->notes[v->notes[i] - 1].box.height;
	}
	if (v->section != NULL) {
		p->section = v->section;
		if (pg->nitems == 1 || pg->section == NULL)
			pg->section = v->section;
	}
}

static int32_t
notes_height(const struct typesetter *ts, const struct vbox *v)
{
	int32_t h = 0;
	for (uint32_t i = 0; i < v->nnotes; i++)
		h += ts->notes[v->notes[i] - 1].box.height;
	return h;
}

/* Space the notes area takes with extra notes added [mpt]. */
static int32_t
notes_area(const struct typesetter *ts, int32_t notes_h)
{
	return notes_h > 0 ? notes_h + ts->t->note_gap : 0;
}

/* Height of v plus whatever must stay with it on the same page. */
static int32_t
demand(const struct typesetter *ts, size_t i, int32_t *notes)
{
	const struct vbox *v = ts->vlist[i];
	int32_t h = v->height;
	*notes = notes_height(ts, v);
	/* keep_with_next chains: a heading stays with its first line,
	 * a table head with its first row. */
	while (v->keep_with_next && i + 1 < ts->nvlist) {
		i++;
		while (i < ts->nvlist && ts->vlist[i]->kind == VBOX_GAP) {
			h += ts->vlist[i]->height;
			i++;
		}
		if (i >= ts->nvlist)
			break;
		v = ts->vlist[i];
		h += v->height;
		*notes += notes_height(ts, v);
	}
	return h;
}

static void
paginate_vlist(struct typesetter *ts, struct pager *p)
{
	struct pstate *pg = new_page(p);
	int32_t avail = ts->text_height;
	int32_t gap = 0;
	for (size_t i = 0; i < ts->nvlist; i++) {
		const struct vbox *v = ts->vlist[i];
		if (v->kind == VBOX_GAP) {
			if (pg->nitems > 0)
				gap += v->height;
			continue;
		}
		int32_t extra_notes;
		int32_t need = demand(ts, i, &extra_notes);
		int32_t total = pg->used + gap + need +
		                notes_area(ts, pg->notes_h + extra_notes);
		if (total > avail && pg->nitems > 0) {
			pg = new_page(p);
			gap = 0;
			if (v->repeat != NULL && v->repeat != v) {
				place(p, pg, v->repeat, 0);
				pg->used = v->repeat->height;
			}
		}
		int32_t own = pg->used + gap + v->height +
		              notes_area(ts, pg->notes_h + notes_height(ts, v));
		if (own > avail && (pg->nitems == 0 ||
		                    (pg->nitems == 1 && v->repeat != NULL)))
			diag_warning(ts->job->diag, v->loc,
			             "this %s and its notes are taller than the "
			             "page; it runs into the bottom margin",
			             v->nitems > 1 && v->repeat ? "table row"
			                                        : "block");
		place(p, pg, v, pg->used + gap);
		pg->used += gap + v->height;
		gap = 0;
	}
}

/* Expands {name} placeholders of a header, footer or banner string. */
static const char *
expand(struct typesetter *ts, const char *tmpl, size_t page, size_t pages,
       const char *section)
{
	if (tmpl == NULL)
		return NULL;
	struct buf b = {0};
	for (const char *s = tmpl; *s;) {
		const char *close = s[0] == '{' ? strchr(s, '}') : NULL;
		if (close == NULL) {
			buf_putc(&b, *s++);
			continue;
		}
		size_t len = (size_t)(close - s - 1);
		const char *name = s + 1, *val = NULL;
		char num[24];
		if (len == 4 && memcmp(name, "page", 4) == 0) {
			snprintf(num, sizeof num, "%zu", page);
			val = num;
		} else if (len == 5 && memcmp(name, "pages", 5) == 0) {
			snprintf(num, sizeof num, "%zu", pages);
			val = num;
		} else if (len == 7 && memcmp(name, "section", 7) == 0) {
			val = section ? section : "";
		} else {
			for (int v = 0; v < VAR__MAX; v++)
				if (strlen(doc_var_names[v]) == len &&
				    memcmp(doc_var_names[v], name, len) == 0)
					val = ts->doc->vars[v];
		}
		if (val == NULL) {
			buf_add(&b, s, len + 2);
		} else {
			buf_puts(&b, val);
		}
		s = close + 1;
	}
	const char *out = buf_finish(&b, ts->job->arena);
	buf_free(&b);
	return out;
}

static struct page_op *
page_add(struct arena *a, struct page *pg)
{
	if (pg->nops == pg->cap) {
		size_t ncap = pg->cap ? pg->cap * 2 : 256;
		pg->ops = arena_grow(a, pg->ops, pg->nops, ncap, sizeof *pg->ops);
		pg->cap = ncap;
	}
	struct page_op *op = &pg->ops[pg->nops++];
	memset(op, 0, sizeof *op);
	return op;
}

/* Shortens text with an ellipsis until it fits width. */
static const char *
fit(struct typesetter *ts, const struct style *st, const char *s,
    int32_t width)
{
	size_t len = strlen(s);
	if (ts_text_width(ts, st->face, st->size, s, len, (struct loc){0}) <=
	    width)
		return s;
	while (len > 0) {
		len--;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		const char *t = arena_printf(ts->job->arena, "%.*s…", (int)len, s);
		if (ts_text_width(ts, st->face, st->size, t, strlen(t),
		                  (struct loc){0}) <= width)
			return t;
	}
	return "";
}

/* Draws a left, centre and right string on one baseline. */
static void
furniture(struct typesetter *ts, struct page *pg, const struct furniture *f,
          enum style_id sid, int32_t y, size_t page, size_t pages,
          const char *section)
{
	struct arena *a = ts->job->arena;
	const struct style *st = &ts->t->styles[sid];
	int32_t left = ts->t->margin_left;
	int32_t width = ts->text_width;
	const char *txt[3] = {expand(ts, f->left, page, pages, section),
	                      expand(ts, f->center, page, pages, section),
	                      expand(ts, f->right, page, pages, section)};
	int slots = 0;
	for (int k = 0; k < 3; k++)
		slots += txt[k] != NULL && txt[k][0] != '\0';
	for (int k = 0; k < 3; k++) {
		if (txt[k] == NULL || txt[k][0] == '\0')
			continue;
		/* Each slot gets an equal share of the line, less a gutter. */
		const char *s = fit(ts, st, txt[k],
		                    slots == 1 ? width : width / slots - 6000);
		int32_t w = ts_text_width(ts, st->face, st->size, s, strlen(s),
		                          (struct loc){0});
		int32_t x = k == 0   ? left
		            : k == 1 ? left + (width - w) / 2
		                     : left + width - w;
		struct page_op *op = page_add(a, pg);
		*op = (struct page_op){.type = PAGE_TEXT, .x = x, .y = y, .w = w,
		                       .face = st->face, .size = st->size,
		                       .color = st->color, .text = s};
	}
}

static void
draw_vbox(struct typesetter *ts, struct page *pg, const struct vbox *v,
          int32_t top, const int32_t *note_y, uint32_t pageno)
{
	struct arena *a = ts->job->arena;
	int32_t left = ts->t->margin_left;
	for (uint32_t i = 0; i < v->nitems; i++) {
		const struct vitem *it = &v->items[i];
		if (it->op.type == PAGE_RECT && (it->op.w == 0 || it->op.h == 0))
			continue;
		struct page_op *op = page_add(a, pg);
		*op = it->op;
		op->x += left;
		op->y = top - it->op.y;
		if (op->type == PAGE_RULE)
			op->h = -it->op.h;
		if (it->note && note_y != NULL) {
			struct page_op *ln = page_add(a, pg);
			*ln = (struct page_op){.type = PAGE_LINK_DEST,
			                       .x = op->x,
			                       .y = op->y - 1000,
			                       .w = op->w,
			                       .h = op->size + 2000,
			                       .dest_page = pageno,
			                       .dest_y = note_y[it->note - 1]};
		}
	}
}

void
paginate(struct typesetter *ts, struct pages *out)
{
	struct arena *a = ts->job->arena;
	const struct tmpl *t = ts->t;
	struct pager p = {.ts = ts};
	paginate_vlist(ts, &p);

	out->width = t->page_width;
	out->height = t->page_height;
	out->n = p.npages;
	out->pages = arena_array(a, p.npages, sizeof *out->pages);
	size_t nout = 0, capout = 0;
	int32_t *note_y = arena_array(a, ts->doc->nnotes ? ts->doc->nnotes : 1,
	                              sizeof *note_y);
	int32_t text_top = t->page_height - t->margin_top;
	int32_t text_bottom = t->margin_bottom;

	for (size_t k = 0; k < p.npages; k++) {
		struct pstate *ps = &p.pages[k];
		struct page *pg = &out->pages[k];
		/* Notes first, so markers can link to them. */
		int32_t ny = text_bottom + ps->notes_h;
		if (ps->nnotes > 0) {
			struct page_op *r = page_add(a, pg);
			*r = (struct page_op){.type = PAGE_RULE,
			                      .x = t->margin_left,
			                      .y = ny + t->note_gap / 2,
			                      .w = t->note_rule_width, .h = 0,
			                      .size = 500, .color = t->color_rule};
		}
		for (size_t i = 0; i < ps->nnotes; i++) {
			uint32_t num = ps->notes[i];
			const struct vbox *nb = &ts->notes[num - 1].box;
			note_y[num - 1] = ny;
			draw_vbox(ts, pg, nb, ny, NULL, (uint32_t)k);
			ny -= nb->height;
		}
		for (size_t i = 0; i < ps->nitems; i++) {
			const struct vbox *v = ps->items[i].v;
			int32_t top = text_top - ps->items[i].y;
			draw_vbox(ts, pg, v, top, note_y, (uint32_t)k);
			if (v->outline != NULL && v != ps->items[0].v->repeat) {
				if (nout == capout) {
					size_t ncap = capout ? capout * 2 : 32;
					out->outlines = arena_grow(
					    a, out->outlines, nout, ncap,
					    sizeof *out->outlines);
					capout = ncap;
				}
				out->outlines[nout++] = (struct outline){
				    v->outline_level, v->outline, (uint32_t)k,
				    top};
			}
		}
		/* Furniture: banner top and bottom, header, footer. */
		const struct style *bs = &t->styles[STYLE_BANNER];
		const char *banner = expand(ts, t->banner, k + 1, p.npages,
		                            ps->section);
		if (banner && banner[0]) {
			struct furniture f = {NULL, banner, NULL};
			int32_t hb = t->page_height - t->margin_top +
			             t->header_offset;
			int32_t fb = t->margin_bottom - t->footer_offset;
			int32_t yt = (t->page_height + hb) / 2 + bs->size / 2;
			int32_t yb = fb / 2 - bs->size / 3;
			struct furniture *fp = &f;
			furniture(ts, pg, fp, STYLE_BANNER, yt, k + 1, p.npages,
			          ps->section);
			furniture(ts, pg, fp, STYLE_BANNER, yb, k + 1, p.npages,
			          ps->section);
		}
		int32_t hy = text_top + t->header_offset;
		if (k > 0) {
			furniture(ts, pg, &t->header, STYLE_HEADER, hy, k + 1,
			          p.npages, ps->section);
			struct page_op *r = page_add(a, pg);
			*r = (struct page_op){.type = PAGE_RULE,
			                      .x = t->margin_left,
			                      .y = hy - t->styles[STYLE_HEADER].size / 2,
			                      .w = ts->text_width, .h = 0,
			                      .size = 400, .color = t->color_rule};
		}
		int32_t fy = text_bottom - t->footer_offset;
		furniture(ts, pg, &t->footer, STYLE_FOOTER, fy, k + 1, p.npages,
		          ps->section);
		struct page_op *r = page_add(a, pg);
		*r = (struct page_op){.type = PAGE_RULE, .x = t->margin_left,
		                      .y = fy + t->styles[STYLE_FOOTER].size,
		                      .w = ts->text_width, .h = 0, .size = 400,
		                      .color = t->color_rule};
	}
	out->noutlines = nout;
}
