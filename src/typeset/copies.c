/*
 * Typeset stage: distribution copies.  Works on the finished pages of the
 * master: marks a copy for one recipient ("Copy K of N — Name" in the
 * footer, a light diagonal watermark behind the text), names its file,
 * and appends the distribution list to the master as an annex.
 */
#include "typeset.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/utf8.h"
#include "../copies.h"
#include "../job.h"
#include "../metrics.h"
#include "../page.h"
#include "../tmpl.h"

#define GUTTER          6000     /* between footer slots, as draw.c [mpt] */
#define MARK_COLOR      0xD9D9D9 /* watermark: light enough to read through */
#define MARK_FACE       FACE_SANS_BOLD
#define MARK_ANGLE      45     /* degrees counter-clockwise */
#define MARK_COS        707107 /* cos and sin of MARK_ANGLE [1e-6] */
#define MARK_MAX_SIZE   60000  /* [mpt] */
#define MARK_MIN_SIZE   16000  /* [mpt] */
#define MARK_EDGE       36000  /* kept clear at the paper's edges [mpt] */
#define CAP_HEIGHT      700    /* of capitals, about [1/1000 em] */
#define MISSING_ADVANCE 600    /* a box, as the typesetter measures it */

static const char *const face_names[FACE__MAX] = {
    "serif", "serif_bold", "serif_italic", "sans", "sans_bold"};

/* Advance of s[0..len) in face [1/1000 em]; a missing glyph is a box. */
static int64_t
advance_of(const struct metrics *m, enum face f, const char *s, size_t len)
{
	int64_t adv = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		int32_t a = m->advance(m->ctx, f, cp);
		adv += a < 0 ? MISSING_ADVANCE : a;
		i += k;
	}
	return adv;
}

/* Width of s in face at size [mpt]. */
static int32_t
width_of(const struct metrics *m, enum face f, int32_t size, const char *s)
{
	return (int32_t)(advance_of(m, f, s, strlen(s)) * size / 1000);
}

/* Warns once per character of s that face lacks, at loc. */
static void
warn_missing(struct job *job, const struct metrics *m, enum face f,
             const char *s, struct loc loc)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		uint32_t cp, prev;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			return; /* load validated the text */
		bool seen = false;
		for (size_t j = 0; j < i && !seen;) {
			size_t kj = utf8_decode(s + j, len - j, &prev);
			seen = prev == cp;
			j += kj ? kj : 1;
		}
		if (!seen && m->advance(m->ctx, f, cp) < 0) {
			char ch[5] = {0};
			utf8_encode(cp, ch);
			diag_warning(job->diag, loc,
			             "character U+%04X (\"%s\") is not in the "
			             "%s font; it prints as a box",
			             (unsigned)cp, ch, face_names[f]);
		}
		i += k;
	}
}

/* s, or s shortened with an ellipsis so that it fits width [mpt]. */
static const char *
fit(struct arena *a, const struct metrics *m, enum face f, int32_t size,
    const char *s, int32_t width)
{
	size_t len = strlen(s);

	if (width_of(m, f, size, s) <= width)
		return s;
	int64_t dots = advance_of(m, f, "…", strlen("…"));
	while (len > 0) {
		len--;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		if ((advance_of(m, f, s, len) + dots) * size / 1000 <= width)
			return arena_printf(a, "%.*s…", (int)len, s);
	}
	return "";
}

static struct page_op *
add_op(struct arena *a, struct page *pg)
{
	if (pg->nops == pg->cap) {
		size_t ncap = pg->cap ? pg->cap * 2 : 64;
		pg->ops =
		    arena_grow(a, pg->ops, pg->nops, ncap, sizeof *pg->ops);
		pg->cap = ncap;
	}
	struct page_op *op = &pg->ops[pg->nops++];
	memset(op, 0, sizeof *op);
	return op;
}

/* A level text op in style st. */
static struct page_op
text_op(const struct metrics *m, const struct style *st, int32_t x, int32_t y,
        const char *s)
{
	return (struct page_op){.type = PAGE_TEXT,
	                        .x = x,
	                        .y = y,
	                        .w = width_of(m, st->face, st->size, s),
	                        .face = st->face,
	                        .size = st->size,
	                        .color = st->color,
	                        .text = s};
}

/* "Copy K of N — " for copy k (0-based) into buf. */
static void
copy_prefix(char *buf, size_t size, size_t k, size_t n)
{
	snprintf(buf, size, "Copy %zu of %zu — ", k + 1, n);
}

/* Footer baseline of the template, as draw.c places it [mpt]. */
static int32_t
footer_y(const struct tmpl *t)
{
	return t->margin_bottom - t->footer_offset;
}

/* The footer's free room around the centre, on pages [0, n) [mpt]. */
static int32_t
footer_room(const struct pages *master, size_t n, const struct tmpl *t)
{
	int32_t text_width = t->page_width - t->margin_left - t->margin_right;
	int32_t cx = t->margin_left + text_width / 2;
	int32_t lo = t->margin_left, hi = t->margin_left + text_width;
	int32_t fy = footer_y(t);

	for (size_t i = 0; i < n; i++) {
		const struct page *pg = &master->pages[i];
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
line_is_taken(const struct pages *master, size_t n, const struct style *st,
              int32_t y)
{
	for (size_t i = 0; i < n; i++) {
		const struct page *pg = &master->pages[i];
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
 * Where copy marks go in the footer: on the footer line, centred between
 * the template's slots, when every recipient's mark fits there; else on a
 * line of their own one leading below it when that is free; else on the
 * footer line, shortened, unless that would leave less than half of the
 * longest mark (then below all the same: a mark is never dropped).
 * Decided for all recipients at once, so that every copy of a set looks
 * the same.
 */
static void
footer_place(const struct pages *master, size_t n, const struct tmpl *t,
             const struct metrics *m, const struct recipients *rs, int32_t *y,
             int32_t *room)
{
	const struct style *st = &t->styles[STYLE_FOOTER];
	int32_t widest = 0;
	char prefix[64];

	for (size_t k = 0; k < rs->n; k++) {
		copy_prefix(prefix, sizeof prefix, k, rs->n);
		int32_t w =
		    width_of(m, st->face, st->size, prefix) +
		    width_of(m, st->face, st->size, rs->items[k].name.s);
		if (w > widest)
			widest = w;
	}
	*y = footer_y(t);
	*room = footer_room(master, n, t);
	if (widest <= *room)
		return;
	int32_t below = *y - st->leading;
	if ((below - st->size / 5 > 0 &&
	     !line_is_taken(master, n, st, below)) ||
	    *room < widest / 2) {
		*y = below;
		*room = t->page_width - t->margin_left - t->margin_right;
	}
}

/* Upper case of the letters that have one in Latin, Greek, Cyrillic. */
static uint32_t
upper(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') ||
	    (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
		return cp - 0x20;
	if (cp >= 0x100 && cp <= 0x17F && cp != 0x131 && cp != 0x138 &&
	    cp != 0x149 && cp != 0x17F) {
		/* Latin Extended-A pairs: odd is lower, except in the
		 * stretches 0x139-0x148 and 0x179-0x17E where even is. */
		bool shifted = (cp >= 0x139 && cp <= 0x148) || cp >= 0x179;
		if ((cp & 1) != shifted)
			return cp - 1;
		return cp;
	}
	if ((cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2) ||
	    (cp >= 0x430 && cp <= 0x44F))
		return cp - 0x20;
	if (cp >= 0x450 && cp <= 0x45F)
		return cp - 0x50;
	return cp;
}

static const char *
upper_str(struct arena *a, const char *s)
{
	size_t len = strlen(s);
	/* upper() keeps a character's UTF-8 length, so len bytes do. */
	char *out = arena_alloc(a, len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			out[n++] = s[i++];
			continue;
		}
		n += utf8_encode(upper(cp), out + n);
		i += k;
	}
	out[n] = '\0';
	return out;
}

/*
 * The watermark: text across the page centre at MARK_ANGLE, as large as
 * fits between the paper's edges (at most MARK_MAX_SIZE), shortened when
 * even MARK_MIN_SIZE is too large.
 */
static struct page_op
watermark(struct arena *a, const struct pages *master, const struct metrics *m,
          const char *text)
{
	int32_t side =
	    master->width < master->height ? master->width : master->height;
	/* Room along the diagonal for the text and its cap height. */
	int64_t diag = (int64_t)(side - 2 * MARK_EDGE) * 1414214 / 1000000;
	int64_t adv = advance_of(m, MARK_FACE, text, strlen(text));
	int64_t size = diag * 1000 / (adv + CAP_HEIGHT);

	if (size > MARK_MAX_SIZE)
		size = MARK_MAX_SIZE;
	if (size < MARK_MIN_SIZE) {
		size = MARK_MIN_SIZE;
		text = fit(a, m, MARK_FACE, (int32_t)size, text,
		           (int32_t)(diag - size * CAP_HEIGHT / 1000));
		adv = advance_of(m, MARK_FACE, text, strlen(text));
	}
	int64_t w = adv * size / 1000;
	int64_t half_cap = size * CAP_HEIGHT / 2000;
	/* Start so that the middle of the capitals is at the centre:
	 * back half the width along the baseline, down half the cap
	 * height across it. */
	int64_t x = master->width / 2 - (w / 2 - half_cap) * MARK_COS / 1000000;
	int64_t y =
	    master->height / 2 - (w / 2 + half_cap) * MARK_COS / 1000000;
	return (struct page_op){.type = PAGE_TEXT,
	                        .x = (int32_t)x,
	                        .y = (int32_t)y,
	                        .w = (int32_t)w,
	                        .face = MARK_FACE,
	                        .size = (int32_t)size,
	                        .color = MARK_COLOR,
	                        .text = text,
	                        .angle = MARK_ANGLE};
}

/* Pages of master that are not its annex. */
static size_t
body_pages(const struct pages *master)
{
	return master->nannex < master->n ? master->n - master->nannex
	                                  : master->n;
}

/*
 * Copy dst of page src with the watermark under all text and rules and
 * the footer mark last.  The grounds (rectangles: the summary box, table
 * heads) go first, in their order, so that the watermark shows on them
 * too; they only ever lie under what is drawn after them, so moving them
 * forward changes nothing else.  Every page gets an op array of its own,
 * since the watermark goes in the middle; what the ops point to (text,
 * URIs) is shared with the master.
 */
static void
mark_page(struct arena *a, const struct page *src, struct page *dst,
          const struct page_op *wm, const struct page_op *foot)
{
	size_t j = 0;

	dst->cap = src->nops + 2;
	dst->ops = arena_array(a, dst->cap, sizeof *dst->ops);
	for (size_t i = 0; i < src->nops; i++)
		if (src->ops[i].type == PAGE_RECT)
			dst->ops[j++] = src->ops[i];
	dst->ops[j++] = *wm;
	for (size_t i = 0; i < src->nops; i++)
		if (src->ops[i].type != PAGE_RECT)
			dst->ops[j++] = src->ops[i];
	dst->ops[j++] = *foot;
	dst->nops = j;
}

void
copies_mark(struct job *job, const struct pages *master, const struct tmpl *t,
            const struct metrics *m, const struct recipients *rs, size_t k,
            struct pages *out)
{
	struct arena *a = job->arena;
	const struct recipient *r = &rs->items[k];
	const struct style *st = &t->styles[STYLE_FOOTER];
	size_t n = body_pages(master);
	char prefix[64];

	assert(k < rs->n && r->name.s != NULL);
	copy_prefix(prefix, sizeof prefix, k, rs->n);
	warn_missing(job, m, st->face, r->name.s, r->name.loc);
	if (st->face != MARK_FACE)
		warn_missing(job, m, MARK_FACE, r->name.s, r->name.loc);

	*out = *master;
	out->n = n;
	out->nannex = 0;
	out->copy = arena_printf(a, "%s%s", prefix, r->name.s);
	/* Bookmarks of the annex go with it. */
	out->noutlines = 0;
	while (out->noutlines < master->noutlines &&
	       master->outlines[out->noutlines].page < n)
		out->noutlines++;

	int32_t fy, room;
	footer_place(master, n, t, m, rs, &fy, &room);
	const char *label = fit(a, m, st->face, st->size, out->copy, room);
	int32_t lw = width_of(m, st->face, st->size, label);
	int32_t cx = t->margin_left +
	             (t->page_width - t->margin_left - t->margin_right) / 2;
	struct page_op foot = text_op(m, st, cx - lw / 2, fy, label);
	const char *mark =
	    arena_printf(a, "COPY %zu — %s", k + 1, upper_str(a, r->name.s));
	struct page_op wm = watermark(a, master, m, mark);

	out->pages = arena_array(a, n ? n : 1, sizeof *out->pages);
	for (size_t i = 0; i < n; i++)
		mark_page(a, &master->pages[i], &out->pages[i], &wm, &foot);
}

/* The last component of path. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

const char *
copies_file_name(struct job *job, const char *output,
                 const struct recipients *rs, size_t k)
{
	const char *base = base_name(output);
	const char *dot = strrchr(base, '.');
	int digits = 2;

	assert(k < rs->n && strcmp(output, "-") != 0);
	for (size_t n = rs->n; n >= 100; n /= 10)
		digits++;
	if (dot == NULL || dot == base)
		dot = base + strlen(base);
	return arena_printf(job->arena, "%.*s-copy-%0*zu-%s%s",
	                    (int)(dot - output), output, digits, k + 1,
	                    rs->items[k].file.s, *dot ? dot : ".pdf");
}

/* ------------------------------------------------------------------ */
/* The distribution list                                              */

#define NCOLS 4

/* The annex being drawn. */
struct annex {
	struct job *job;
	const struct tmpl *t;
	const struct metrics *m;
	const struct page *model; /* master page whose furniture is copied */
	struct page **pages;      /* annex pages so far */
	size_t n, cap;
	int32_t left, width;     /* text area [mpt] */
	int32_t top, bottom;     /* text area, PDF y [mpt] */
	int32_t y;               /* top of the free space, PDF y [mpt] */
	int32_t colx[NCOLS + 1]; /* column edges [mpt] */
};

static struct page *
annex_page(struct annex *ax)
{
	if (ax->n == ax->cap) {
		size_t ncap = ax->cap ? ax->cap * 2 : 4;
		ax->pages = arena_grow(ax->job->arena, ax->pages, ax->n, ncap,
		                       sizeof *ax->pages);
		ax->cap = ncap;
	}
	struct page *pg = arena_alloc(ax->job->arena, sizeof *pg);
	ax->pages[ax->n++] = pg;
	ax->y = ax->top;
	return pg;
}

/* Baseline of a line of style st whose box starts at top [mpt]. */
static int32_t
baseline(const struct style *st, int32_t top)
{
	return top - ((st->leading - st->size) / 2 + st->size * 8 / 10);
}

/*
 * Breaks s into lines no wider than width at spaces, and inside a word
 * too long for a line after a '-' or, failing that, anywhere.  Returns the
 * number of lines; *lines is an arena array of arena strings.
 */
static size_t
wrap(struct annex *ax, const struct style *st, const char *s, int32_t width,
     const char ***lines)
{
	struct arena *a = ax->job->arena;
	size_t len = strlen(s), n = 0;
	const char **out = arena_array(a, len + 1, sizeof *out);

	while (len > 0 && *s == ' ')
		s++, len--;
	while (len > 0) {
		int64_t limit = (int64_t)width * 1000 / st->size;
		size_t end = 0, brk = 0, dash = 0;
		while (end < len) {
			size_t k = 1;
			while (end + k < len &&
			       ((unsigned char)s[end + k] & 0xC0) == 0x80)
				k++;
			if (advance_of(ax->m, st->face, s, end + k) > limit)
				break;
			end += k;
			if (end < len && s[end] == ' ')
				brk = end;
			if (s[end - 1] == '-')
				dash = end;
		}
		if (end < len && (brk || dash))
			end = brk > dash ? brk : dash;
		else if (end == 0) /* not even one character fits */
			while (++end < len &&
			       ((unsigned char)s[end] & 0xC0) == 0x80)
				;
		out[n++] = arena_strndup(a, s, end);
		s += end, len -= end;
		while (len > 0 && *s == ' ')
			s++, len--;
	}
	if (n == 0)
		out[n++] = "";
	*lines = out;
	return n;
}

/* Copies the master's furniture onto pg, replacing what names a page. */
static void annex_furniture(struct annex *ax, struct page *pg, size_t i);

/* A table row of up to NCOLS cells; head rows are shaded and bold. */
static void
row(struct annex *ax, const char *const *cells, bool head, bool last)
{
	struct arena *a = ax->job->arena;
	const struct tmpl *t = ax->t;
	const struct style *st =
	    &t->styles[head ? STYLE_TABLE_HEAD : STYLE_TABLE];
	int32_t pad = t->cell_padding;
	const char **lines[NCOLS];
	size_t nlines[NCOLS], most = 1;

	for (int c = 0; c < NCOLS; c++) {
		int32_t w = ax->colx[c + 1] - ax->colx[c] - 2 * pad;
		nlines[c] = wrap(ax, st, cells[c], w, &lines[c]);
		if (nlines[c] > most)
			most = nlines[c];
	}
	int32_t h = 2 * pad + (int32_t)most * st->leading;
	struct page *pg = ax->pages[ax->n - 1];
	if (head) {
		struct page_op *bg = add_op(a, pg);
		*bg = (struct page_op){.type = PAGE_RECT,
		                       .x = ax->left,
		                       .y = ax->y - h,
		                       .w = ax->width,
		                       .h = h,
		                       .color = t->color_table_head};
		struct page_op *r = add_op(a, pg);
		*r = (struct page_op){.type = PAGE_RULE,
		                      .x = ax->left,
		                      .y = ax->y,
		                      .w = ax->width,
		                      .size = 800,
		                      .color = t->color_rule};
	}
	for (int c = 0; c < NCOLS; c++)
		for (size_t j = 0; j < nlines[c]; j++) {
			int32_t y = baseline(st, ax->y - pad -
			                             (int32_t)j * st->leading);
			*add_op(a, pg) = text_op(ax->m, st, ax->colx[c] + pad,
			                         y, lines[c][j]);
		}
	ax->y -= h;
	struct page_op *r = add_op(a, pg);
	*r = (struct page_op){.type = PAGE_RULE,
	                      .x = ax->left,
	                      .y = ax->y,
	                      .w = ax->width,
	                      .size = head || last ? 800 : 300,
	                      .color = t->color_rule};
}

/* Height of a row as row() would set it [mpt]. */
static int32_t
row_height(struct annex *ax, const char *const *cells)
{
	const struct style *st = &ax->t->styles[STYLE_TABLE];
	int32_t pad = ax->t->cell_padding;
	size_t most = 1;

	for (int c = 0; c < NCOLS; c++) {
		const char **lines;
		int32_t w = ax->colx[c + 1] - ax->colx[c] - 2 * pad;
		size_t nl = wrap(ax, st, cells[c], w, &lines);
		if (nl > most)
			most = nl;
	}
	return 2 * pad + (int32_t)most * st->leading;
}

/* Column edges: number and file as wide as they need, names the rest. */
static void
columns(struct annex *ax, const char *const *head, const char **files, size_t n)
{
	const struct style *st = &ax->t->styles[STYLE_TABLE];
	const struct style *hs = &ax->t->styles[STYLE_TABLE_HEAD];
	int32_t pad = ax->t->cell_padding;
	char num[24];

	snprintf(num, sizeof num, "%zu", n);
	int32_t wnum = width_of(ax->m, st->face, st->size, num);
	int32_t whead = width_of(ax->m, hs->face, hs->size, head[0]);
	int32_t w0 = (wnum > whead ? wnum : whead) + 2 * pad;
	int32_t w3 = width_of(ax->m, hs->face, hs->size, head[3]);
	for (size_t k = 0; k < n; k++) {
		int32_t w = width_of(ax->m, st->face, st->size, files[k]);
		if (w > w3)
			w3 = w;
	}
	/* A file name broken across lines does not copy and paste back
	 * whole, so that column gets what it needs, up to a point. */
	w3 += 2 * pad;
	if (w3 > ax->width * 11 / 20)
		w3 = ax->width * 11 / 20;
	int32_t rest = ax->width - w0 - w3;
	ax->colx[0] = ax->left;
	ax->colx[1] = ax->colx[0] + w0;
	ax->colx[2] = ax->colx[1] + rest * 11 / 20;
	ax->colx[3] = ax->colx[1] + rest;
	ax->colx[4] = ax->left + ax->width;
}

/* The title and the sentence under it, at the top of the first page. */
static void
heading(struct annex *ax, size_t ncopies)
{
	struct arena *a = ax->job->arena;
	const struct style *h1 = &ax->t->styles[STYLE_H1];
	const struct style *body = &ax->t->styles[STYLE_BODY];
	struct page *pg = ax->pages[ax->n - 1];
	const char *title = fit(a, ax->m, h1->face, h1->size,
	                        "Distribution list (annex)", ax->width);
	const char *text = fit(
	    a, ax->m, body->face, body->size,
	    arena_printf(a,
	                 "%zu numbered %s made from this master, each "
	                 "marked with its number and recipient:",
	                 ncopies, ncopies == 1 ? "copy was" : "copies were"),
	    ax->width);

	*add_op(a, pg) =
	    text_op(ax->m, h1, ax->left, baseline(h1, ax->y), title);
	ax->y -= h1->leading + h1->space_after;
	*add_op(a, pg) =
	    text_op(ax->m, body, ax->left, baseline(body, ax->y), text);
	ax->y -= body->leading + body->space_after + ax->t->paragraph_gap;
}

/* Warns about characters the table's faces lack in what only it prints. */
static void
check_glyphs(struct job *job, const struct tmpl *t, const struct metrics *m,
             const struct recipient *r)
{
	enum face f = t->styles[STYLE_TABLE].face;
	if (f != t->styles[STYLE_FOOTER].face && f != MARK_FACE)
		warn_missing(job, m, f, r->name.s, r->name.loc);
	if (r->organisation.s != NULL)
		warn_missing(job, m, f, r->organisation.s, r->organisation.loc);
}

void
copies_distribution_page(struct job *job, struct pages *master,
                         const struct tmpl *t, const struct metrics *m,
                         const struct recipients *rs, const char *output)
{
	struct arena *a = job->arena;
	static const char *const head[NCOLS] = {"Copy", "Recipient",
	                                        "Organisation", "File"};
	struct annex ax = {.job = job, .t = t, .m = m};
	const char **files = arena_array(a, rs->n, sizeof *files);

	assert(master->n > 0 && master->nannex == 0);
	ax.model = &master->pages[master->n - 1];
	ax.left = t->margin_left;
	ax.width = t->page_width - t->margin_left - t->margin_right;
	ax.top = t->page_height - t->margin_top;
	ax.bottom = t->margin_bottom;
	for (size_t k = 0; k < rs->n; k++) {
		files[k] = base_name(copies_file_name(job, output, rs, k));
		check_glyphs(job, t, m, &rs->items[k]);
	}
	columns(&ax, head, files, rs->n);

	annex_page(&ax);
	heading(&ax, rs->n);
	row(&ax, head, true, false);
	for (size_t k = 0; k < rs->n; k++) {
		const struct recipient *r = &rs->items[k];
		const char *cells[NCOLS] = {
		    arena_printf(a, "%zu", k + 1), r->name.s,
		    r->organisation.s ? r->organisation.s : "—", files[k]};
		/* A row that does not fit goes to a new page under the
		 * repeated header; a row taller than a page is not split. */
		if (ax.y - row_height(&ax, cells) < ax.bottom &&
		    ax.y < ax.top) {
			annex_page(&ax);
			row(&ax, head, true, false);
		}
		row(&ax, cells, false, k + 1 == rs->n);
	}

	/* Append the annex, with its furniture and a bookmark. */
	size_t first = master->n;
	struct page *all = arena_array(a, first + ax.n, sizeof *all);
	memcpy(all, master->pages, first * sizeof *all);
	for (size_t i = 0; i < ax.n; i++) {
		all[first + i] = *ax.pages[i];
		annex_furniture(&ax, &all[first + i], i);
	}
	master->pages = all;
	master->n = first + ax.n;
	master->nannex = ax.n;
	struct outline *ol = arena_array(a, master->noutlines + 1, sizeof *ol);
	if (master->noutlines > 0)
		memcpy(ol, master->outlines,
		       master->noutlines * sizeof *master->outlines);
	ol[master->noutlines] =
	    (struct outline){0, "Distribution list", (uint32_t)first, ax.top};
	master->outlines = ol;
	master->noutlines++;
}

/* Does a header or footer slot's text change from page to page? */
static bool
names_page(const char *slot)
{
	return slot != NULL && (strstr(slot, "{page}") != NULL ||
	                        strstr(slot, "{pages}") != NULL ||
	                        strstr(slot, "{section}") != NULL);
}

/*
 * The template string of the slot op is drawn in, if op lies on the
 * header or footer line; NULL for anything else (banners, rules).
 */
static const char *
slot_of(const struct annex *ax, const struct page_op *op, int *which,
        bool *is_footer)
{
	const struct tmpl *t = ax->t;
	const struct furniture *f;

	*is_footer = op->y == footer_y(t);
	if (op->y == ax->top + t->header_offset)
		f = &t->header;
	else if (*is_footer)
		f = &t->footer;
	else
		return NULL;
	if (op->x == ax->left) {
		*which = 0;
		return f->left;
	}
	if (op->x + op->w == ax->left + ax->width) {
		*which = 2;
		return f->right;
	}
	*which = 1;
	return f->center;
}

static void
annex_furniture(struct annex *ax, struct page *pg, size_t i)
{
	struct arena *a = ax->job->arena;
	const char *numbered =
	    ax->n == 1 ? "Distribution list"
	               : arena_printf(a, "Distribution list, page %zu of %zu",
	                              i + 1, ax->n);
	const struct page *model = ax->model;

	for (size_t j = 0; j < model->nops; j++) {
		const struct page_op *op = &model->ops[j];
		bool outside = op->y > ax->top || op->y < ax->bottom;
		if (!outside ||
		    (op->type != PAGE_TEXT && op->type != PAGE_RULE))
			continue;
		int which = 0;
		bool is_footer = false;
		const char *slot = op->type == PAGE_TEXT
		                       ? slot_of(ax, op, &which, &is_footer)
		                       : NULL;
		struct page_op *o = add_op(a, pg);
		*o = *op;
		if (!names_page(slot))
			continue;
		/* Same style and slot; as much room as draw.c gives. */
		o->text = fit(a, ax->m, op->face, op->size,
		              is_footer ? numbered : "Distribution list",
		              ax->width / 2 - GUTTER);
		o->starts = NULL; /* the spaces are the new text's own */
		o->w = width_of(ax->m, op->face, op->size, o->text);
		o->x = which == 0   ? ax->left
		       : which == 1 ? ax->left + (ax->width - o->w) / 2
		                    : ax->left + ax->width - o->w;
	}
}
