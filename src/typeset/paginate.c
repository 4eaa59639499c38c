/*
 * Typeset stage: page breaking.  Fills pages from the vertical list,
 * keeping every footnote on the page of its marker: a line and the notes
 * it cites are one demand on the page.  A note too long for the space
 * left is split and continues at the foot of the next page; so do the
 * notes of a line that cites more than a page holds, in order.
 */
#include "typeset_int.h"

#include <stdint.h>
#include <string.h>

int32_t
ts_notepart_height(const struct typesetter *ts, struct notepart np)
{
	const struct noteblock *nb = &ts->notes[np.num - 1];
	int32_t h = (int32_t)(np.to - np.from) * nb->leading;
	if (np.from > 0)
		h += nb->leading; /* the "continued" label */
	if (np.to == (uint32_t)nb->nlines)
		h += nb->box.height - nb->nlines * nb->leading;
	return h;
}

static struct notepart
whole(const struct typesetter *ts, uint32_t num)
{
	return (struct notepart){num, 0, (uint32_t)ts->notes[num - 1].nlines};
}

static void
add_part(struct pager *p, struct pstate *pg, struct notepart np)
{
	if (pg->nnotes == pg->capnotes) {
		size_t ncap = pg->capnotes ? pg->capnotes * 2 : 16;
		pg->notes = arena_grow(p->ts->job->arena, pg->notes, pg->nnotes,
		                       ncap, sizeof *pg->notes);
		pg->capnotes = ncap;
	}
	pg->notes[pg->nnotes++] = np;
	pg->notes_h += ts_notepart_height(p->ts, np);
	if (np.from == 0)
		p->ts->notes[np.num - 1].box.page = (int32_t)(pg - p->pages);
}

/* The notes v cites have their markers on page pg. */
static void
mark_notes(struct pager *p, const struct pstate *pg, const struct vbox *v)
{
	for (uint32_t i = 0; i < v->nnotes; i++)
		p->ts->note_page[v->notes[i] - 1] = (int32_t)(pg - p->pages);
}

static void
carry(struct pager *p, struct notepart np)
{
	if (p->ncarry == p->capcarry) {
		size_t ncap = p->capcarry ? p->capcarry * 2 : 4;
		p->carry = arena_grow(p->ts->job->arena, p->carry, p->ncarry,
		                      ncap, sizeof *p->carry);
		p->capcarry = ncap;
	}
	p->carry[p->ncarry++] = np;
}

/* Space the notes area takes for notes of height h [mpt]. */
static int32_t
notes_area(const struct typesetter *ts, int32_t h)
{
	return h > 0 ? h + ts->t->note_gap : 0;
}

/* Lines of note np that fit in room [mpt], at most all of them. */
static uint32_t
lines_fitting(const struct typesetter *ts, struct notepart np, int32_t room)
{
	const struct noteblock *nb = &ts->notes[np.num - 1];
	if (np.from > 0)
		room -= nb->leading;
	if (room <= 0)
		return 0;
	uint32_t n = (uint32_t)(room / nb->leading);
	return n > np.to - np.from ? np.to - np.from : n;
}

static struct pstate *
new_page(struct pager *p)
{
	struct typesetter *ts = p->ts;
	if (p->npages == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		p->pages = arena_grow(ts->job->arena, p->pages, p->npages, ncap,
		                      sizeof *p->pages);
		p->cap = ncap;
	}
	struct pstate *pg = &p->pages[p->npages++];
	memset(pg, 0, sizeof *pg);
	pg->section = p->section;
	/* Notes continued from the page before come first. */
	size_t n = p->ncarry;
	struct notepart *parts = p->carry;
	p->carry = NULL;
	p->ncarry = p->capcarry = 0;
	bool full = false;
	for (size_t i = 0; i < n; i++) {
		struct notepart np = parts[i];
		if (full) {
			/* Notes stay in order: after one that goes on,
			 * the rest go on too. */
			carry(p, np);
			continue;
		}
		int32_t room = ts->text_height - ts->t->note_gap - pg->notes_h -
		               ts->t->styles[STYLE_BODY].leading * 3;
		uint32_t fit = lines_fitting(ts, np, room);
		if (fit == 0 && pg->nnotes == 0)
			fit = 1; /* always progress */
		if (fit >= np.to - np.from) {
			add_part(p, pg, np);
			continue;
		}
		if (fit > 0)
			add_part(
			    p, pg,
			    (struct notepart){np.num, np.from, np.from + fit});
		carry(p, (struct notepart){np.num, np.from + fit, np.to});
		full = true;
	}
	return pg;
}

static void
place(struct pager *p, struct pstate *pg, struct vbox *v, int32_t y)
{
	struct arena *a = p->ts->job->arena;
	if (pg->nitems == pg->capitems) {
		size_t ncap = pg->capitems ? pg->capitems * 2 : 64;
		pg->items = arena_grow(a, pg->items, pg->nitems, ncap,
		                       sizeof *pg->items);
		pg->capitems = ncap;
	}
	pg->items[pg->nitems++] = (struct placed){v, y};
	v->page = (int32_t)(pg - p->pages);
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
		h += ts_notepart_height(ts, whole(ts, v->notes[i]));
	return h;
}

/* The least of a table row or the summary box that goes at the foot of
 * a page: two lines and the padding above and below them [mpt]. */
static int32_t
min_part(const struct typesetter *ts, const struct vbox *v)
{
	enum style_id st = v->ground_w > 0 ? STYLE_BOX : STYLE_TABLE;
	return 2 * ts->t->styles[st].leading + 2 * v->split_pad;
}

/* Height of v, the vertical list's item i or what is left of it, plus
 * whatever must stay with it on the same page. */
static int32_t
demand(const struct typesetter *ts, const struct vbox *v, size_t i,
       int32_t *notes)
{
	int32_t h = v->height;
	*notes = notes_height(ts, v);
	/* keep_with_next chains: a heading stays with its first lines,
	 * a table head with its first row, a first line with the second.
	 * Past a page's height the rest does not matter (it cannot fit),
	 * so a long chain is not walked again from each of its items. */
	while (v->keep_with_next && i + 1 < ts->nvlist &&
	       h <= ts->text_height) {
		i++;
		int32_t gaps = 0;
		while (i < ts->nvlist && ts->vlist[i]->kind == VBOX_GAP)
			gaps += ts->vlist[i++]->height;
		if (i >= ts->nvlist)
			break;
		v = ts->vlist[i];
		if (v->split_pad > 0 && v->height > min_part(ts, v)) {
			/* A heading or a table's head needs only the first
			 * lines of a row or box: it splits below them. */
			h += gaps + min_part(ts, v);
			break;
		}
		h += gaps + v->height;
		*notes += notes_height(ts, v);
	}
	return h;
}

/*
 * Places v at the current position with its notes in order: whole while
 * they fit, then as many lines of the next one as fit, and the rest
 * carried to the following pages, where they continue as a long note
 * does.  Unless spread, only the last note may be split (and at least
 * min_lines of it must fit); with spread, notes may go on however many
 * they are, as long as v itself fits.  Returns false, placing nothing,
 * when that is not possible.
 */
static bool
place_split(struct pager *p, struct pstate *pg, struct vbox *v, int32_t gap,
            uint32_t min_lines, bool spread)
{
	struct typesetter *ts = p->ts;
	if (v->nnotes == 0)
		return false;
	int32_t room = ts->text_height - (pg->used + gap + v->height) -
	               ts->t->note_gap - pg->notes_h;
	if (spread && room + ts->t->note_gap < 0)
		return false; /* v itself does not fit */
	/* Notes [0, k) go whole, lines [0, fit) of note k here. */
	uint32_t k = 0, lines = 0;
	for (; k + 1 < v->nnotes; k++) {
		struct notepart np = whole(ts, v->notes[k]);
		int32_t h = ts_notepart_height(ts, np);
		if (spread && h > room)
			break;
		room -= h;
		lines += np.to;
	}
	struct notepart last = whole(ts, v->notes[k]);
	uint32_t fit = lines_fitting(ts, last, room);
	if (spread) {
		if (fit >= last.to)
			fit = last.to - 1; /* its gap below does not fit */
		if (lines + fit < min_lines)
			return false;
	} else if (fit < min_lines || fit >= last.to || room < 0) {
		return false;
	}
	place(p, pg, v, pg->used + gap);
	pg->used += gap + v->height;
	mark_notes(p, pg, v);
	for (uint32_t i = 0; i < k; i++)
		add_part(p, pg, whole(ts, v->notes[i]));
	if (fit > 0)
		add_part(p, pg, (struct notepart){last.num, 0, fit});
	carry(p, (struct notepart){last.num, fit, last.to});
	for (uint32_t i = k + 1; i < v->nnotes; i++)
		carry(p, whole(ts, v->notes[i]));
	return true;
}

static void
place_whole(struct pager *p, struct pstate *pg, struct vbox *v, int32_t gap)
{
	place(p, pg, v, pg->used + gap);
	pg->used += gap + v->height;
	mark_notes(p, pg, v);
	for (uint32_t i = 0; i < v->nnotes; i++)
		add_part(p, pg, whole(p->ts, v->notes[i]));
}

/*
 * Figures that did not fit where they stand float to the top of the next
 * page, in order, as many as fit there with their notes and with reserve
 * below them (what must follow on the page); the others wait for the
 * page after.  A page of them alone takes at least one, however tall.
 */
static bool notes_wait(const struct pager *, const struct vbox *);
static struct pstate *place_any(struct pager *, struct pstate *, struct vbox *,
                                int32_t gap, int32_t v_notes);

static void
place_floats(struct pager *p, struct pstate *pg, int32_t reserve)
{
	struct typesetter *ts = p->ts;
	while (p->nfloats > 0) {
		struct vbox *f = p->floats[0];
		int32_t gap = 0; /* the last one's room is in pg->used */
		int32_t fn = notes_height(ts, f);
		bool fits = pg->used + gap + f->height + FLOAT_GAP + reserve +
		                notes_area(ts, pg->notes_h + fn) <=
		            ts->text_height;
		bool fresh = pg->nitems == 0 && pg->nnotes == 0;
		if (notes_wait(p, f) || (!fits && !fresh))
			break;
		p->nfloats--;
		memmove(p->floats, p->floats + 1,
		        p->nfloats * sizeof *p->floats);
		if (fits)
			place_whole(p, pg, f, gap);
		else /* taller than a page: it runs into the margin */
			pg = place_any(p, pg, f, 0, fn);
		/* The room below it, kept whatever comes next. */
		pg->used += FLOAT_GAP;
	}
}

static void
defer_float(struct pager *p, struct vbox *v)
{
	if (p->nfloats == p->capfloats) {
		size_t ncap = p->capfloats ? p->capfloats * 2 : 4;
		p->floats = arena_grow(p->ts->job->arena, p->floats, p->nfloats,
		                       ncap, sizeof *p->floats);
		p->capfloats = ncap;
	}
	p->floats[p->nfloats++] = v;
}

/* Pages of their own for the figures still waiting, before the
 * pages a section must start. */
static struct pstate *
flush_floats(struct pager *p, struct pstate *pg)
{
	while (p->nfloats > 0) {
		if (pg->nitems > 0 || pg->nnotes > 0)
			pg = new_page(p);
		place_floats(p, pg, 0);
		if (p->nfloats > 0 && pg->nitems == 0)
			pg = new_page(p); /* notes still going on */
	}
	return pg;
}

/*
 * Takes off pg the items placed last, from index from on, that must stay
 * with what follows (kept with the next, citing no notes): they are to
 * go below something placed first.  Returns them; *n is how many.
 */
static struct placed *
lift_kept(struct pager *p, struct pstate *pg, size_t from, size_t *n)
{
	size_t keep = pg->nitems;
	while (keep > from && pg->items[keep - 1].v->keep_with_next &&
	       pg->items[keep - 1].v->nnotes == 0)
		keep--;
	*n = pg->nitems - keep;
	struct placed *moved =
	    arena_array(p->ts->job->arena, *n + 1, sizeof *moved);
	memcpy(moved, pg->items + keep, *n * sizeof *moved);
	if (*n > 0) {
		pg->used = moved[0].y;
		pg->nitems = keep;
	}
	return moved;
}

/* Puts lifted items back on pg, gap below what it holds, in the same
 * places relative to one another. */
static void
put_back(struct pager *p, struct pstate *pg, const struct placed *moved,
         size_t n, int32_t gap)
{
	int32_t base = pg->used + gap - (n > 0 ? moved[0].y : 0);
	for (size_t k = 0; k < n; k++) {
		place(p, pg, moved[k].v, base + moved[k].y);
		pg->used = base + moved[k].y + moved[k].v->height;
	}
}

/* Whether h more, and the notes of v, fit below what pg holds. */
static bool
room_for(const struct pager *p, const struct pstate *pg, int32_t h,
         const struct vbox *v)
{
	return pg->used + h +
	           notes_area(p->ts, pg->notes_h + notes_height(p->ts, v)) <=
	       p->ts->text_height;
}

/* A new page for v, with the figures waiting that leave room for it and
 * what must stay with it (h in all, citing notes h_notes high), and, when
 * repeat, the header of its table repeated. */
static struct pstate *
page_for(struct pager *p, struct vbox *v, int32_t h, int32_t h_notes,
         bool repeat)
{
	struct pstate *pg = new_page(p);
	int32_t head = repeat && v->repeat != NULL && v->repeat != v
	                   ? v->repeat->height
	                   : 0;
	place_floats(p, pg, head + h + notes_area(p->ts, h_notes));
	if (pg->nitems > 0 &&
	    pg->used + head + h + notes_area(p->ts, pg->notes_h + h_notes) >
	        p->ts->text_height)
		pg = new_page(p); /* a page of figures alone */
	if (head > 0) {
		place(p, pg, v->repeat, pg->used);
		pg->used += head;
	}
	return pg;
}

/*
 * The page v goes on while figures wait: they go at the top of new pages
 * until none waits, and what must stay with v (a heading, a table's head,
 * without notes) leaves the foot of pg with it; then, when v continues a
 * table, its head, unless it moved.
 */
static struct pstate *
past_floats(struct pager *p, struct pstate *pg, struct vbox *v)
{
	if (pg->nitems == 0 && pg->nnotes == 0) {
		place_floats(p, pg, v->height);
		while (p->nfloats > 0) {
			pg = new_page(p);
			place_floats(p, pg, v->height);
		}
		if (pg->nitems > 0 && !room_for(p, pg, v->height, v))
			pg = new_page(p);
		return pg;
	}
	size_t nmoved;
	struct placed *moved = lift_kept(p, pg, 1, &nmoved);
	/* What goes on the page with v: the moved items, the table's head
	 * when it did not move, v (of a row or box that splits, its first
	 * lines, which need not carry its notes). */
	bool splits = v->split_pad > 0 && v->height > min_part(p->ts, v);
	int32_t block = splits ? min_part(p->ts, v) : v->height;
	bool head = false;
	for (size_t k = 0; k < nmoved; k++)
		head |= moved[k].v == v->repeat;
	if (nmoved > 0)
		block += moved[nmoved - 1].y + moved[nmoved - 1].v->height -
		         moved[0].y;
	if (v->repeat != NULL && v->repeat != v && !head)
		block += v->repeat->height;
	do {
		pg = new_page(p);
		place_floats(p, pg, block);
	} while (p->nfloats > 0);
	if (pg->nitems > 0 &&
	    (splits ? pg->used + block + notes_area(p->ts, pg->notes_h) >
	                  p->ts->text_height
	            : !room_for(p, pg, block, v)))
		pg = new_page(p); /* a page of figures alone */
	put_back(p, pg, moved, nmoved, 0);
	if (v->repeat != NULL && v->repeat != v && !head) {
		place(p, pg, v->repeat, pg->used);
		pg->used += v->repeat->height;
	}
	return pg;
}

/* Whether v's notes would come before notes that go on from this page
 * to the next: then v waits for the next page. */
static bool
notes_wait(const struct pager *p, const struct vbox *v)
{
	return p->ncarry > 0 && v->nnotes > 0;
}

/* Whether pg holds nothing that a new page for v would not. */
static bool
is_fresh(const struct pstate *pg, const struct vbox *v)
{
	return pg->nnotes == 0 &&
	       (pg->nitems == 0 ||
	        (pg->nitems == 1 && pg->items[0].v == v->repeat));
}

/*
 * Places v on pg with its notes, or with as many as fit and the rest on
 * the following pages; when v itself does not fit below what pg holds,
 * on the next page that it fits.  Only a v taller than a page runs into
 * the bottom margin (and is reported); its notes then start on the next
 * page.  Returns the page v is on.
 */
static struct pstate *
place_any(struct pager *p, struct pstate *pg, struct vbox *v, int32_t gap,
          int32_t v_notes)
{
	struct typesetter *ts = p->ts;
	for (;;) {
		int32_t own = pg->used + gap + v->height +
		              notes_area(ts, pg->notes_h + v_notes);
		if (!notes_wait(p, v) && own <= ts->text_height) {
			place_whole(p, pg, v, gap);
			return pg;
		}
		if (!notes_wait(p, v) &&
		    (place_split(p, pg, v, gap, 1, false) ||
		     place_split(p, pg, v, gap, 0, true)))
			return pg;
		if (is_fresh(pg, v))
			break;
		pg = page_for(p, v, v->height, notes_height(ts, v), true);
		gap = 0;
	}
	if (p->noverfull == p->capoverfull) {
		size_t ncap = p->capoverfull ? p->capoverfull * 2 : 4;
		p->overfull =
		    arena_grow(ts->job->arena, p->overfull, p->noverfull, ncap,
		               sizeof *p->overfull);
		p->capoverfull = ncap;
	}
	p->overfull[p->noverfull++] = v;
	place(p, pg, v, pg->used + gap);
	pg->used += gap + v->height;
	mark_notes(p, pg, v);
	for (uint32_t i = 0; i < v->nnotes; i++)
		carry(p, whole(ts, v->notes[i]));
	return pg;
}

/*
 * Places the figure kept for the foot of pg where the text has come to:
 * the page is full, or the text after it cites notes, which come after
 * its own.  What was placed after it came and must stay with what
 * follows (a heading, a table's head, a paragraph's first line) goes
 * below it.
 */
static void
place_bottom(struct pager *p, struct pstate *pg)
{
	if (p->bottom == NULL)
		return;
	size_t nmoved;
	struct placed *moved = lift_kept(p, pg, p->bottom_at, &nmoved);
	place_whole(p, pg, p->bottom, pg->nitems > 0 ? FLOAT_GAP : 0);
	p->bottom = NULL;
	p->after_float = nmoved > 0 ? 0 : FLOAT_GAP;
	put_back(p, pg, moved, nmoved, FLOAT_GAP);
}

/*
 * Places the first lines of table row v (or of the summary box) at the
 * foot of pg, with their
 * notes, when two lines or more fit there and two or more are left;
 * the rest to *rest.  False, placing nothing, otherwise.
 */
/* A page this much short of its notes [mpt] is worse than a table row
 * split with one line of it overleaf: measured under the part, whose
 * text ends a cell's padding and more above, it leaves 60 pt and more
 * between that text and the notes. */
#define SHORT_PAGE 48000

/*
 * The lowest cut of table row (or box) v whose first part fits on pg
 * after gap with its notes, at least two lines above it and min_rest
 * below; -1 if none.  *spare is the room that part leaves.
 */
static int32_t
row_cut(struct pager *p, struct pstate *pg, struct vbox *v, int32_t gap,
        int min_rest, int32_t *spare)
{
	struct typesetter *ts = p->ts;
	int32_t room =
	    ts->text_height - pg->used - gap - notes_area(ts, pg->notes_h);
	/* A row that fits but for its notes leaves its last lines, and
	 * the markers on them, for the next page. */
	if (room >= v->height)
		room = v->height - 1;
	/* Each try cuts higher: a line above the last cut when its notes
	 * overran the page (fewer lines may cite fewer notes), or a line
	 * lower when no cut fitted.  A page holds at most a few dozen
	 * lines, so the tries end there.  The tries are measured in the
	 * scratch arena. */
	int32_t line = ts->t->styles[STYLE_TABLE].leading;
	int32_t found = -1;
	for (int tries = 0; tries < 64 && room > 0; tries++) {
		struct vbox *top, *rest;
		arena_reset(&ts->scratch);
		int32_t cut =
		    ts_split_try(ts, v, room, 2, min_rest, &top, &rest);
		if (cut < 0) {
			room -= line;
			continue;
		}
		int32_t over =
		    pg->used + gap + top->height +
		    notes_area(ts, pg->notes_h + notes_height(ts, top)) -
		    ts->text_height;
		if (over <= 0) {
			*spare = -over;
			found = cut;
			break;
		}
		room = cut - 1;
	}
	arena_reset(&ts->scratch);
	return found;
}

static bool
split_row_here(struct pager *p, struct pstate *pg, struct vbox *v, int32_t gap,
               struct vbox **rest_out)
{
	struct typesetter *ts = p->ts;
	if (v->split_pad == 0 || v->keep_with_next || pg->nitems == 0 ||
	    p->ncarry > 0 || notes_wait(p, v))
		return false;
	/* Two lines at least on each side; one overleaf only where two
	 * would leave this page more than SHORT_PAGE short of its notes,
	 * as TeX prefers a widow to a page left that short. */
	int32_t spare;
	int32_t cut = row_cut(p, pg, v, gap, 2, &spare);
	if (cut < 0 || spare > SHORT_PAGE) {
		int32_t spare1;
		int32_t cut1 = row_cut(p, pg, v, gap, 1, &spare1);
		if (cut1 >= 0 && (cut < 0 || spare1 < spare))
			cut = cut1;
	}
	if (cut < 0)
		return false;
	struct vbox *top;
	ts_split_make(ts, v, cut, &top, rest_out);
	place_whole(p, pg, top, gap);
	return true;
}

/* The room the figure kept for the foot of the page takes, with its
 * notes' [mpt]. */
static int32_t
bottom_room(const struct pager *p, int32_t *notes)
{
	*notes = p->bottom ? notes_height(p->ts, p->bottom) : 0;
	return p->bottom ? FLOAT_GAP + p->bottom->height : 0;
}

void
paginate_vlist(struct typesetter *ts, struct pager *p)
{
	p->annex = SIZE_MAX;
	struct pstate *pg = new_page(p);
	int32_t avail = ts->text_height;
	int32_t gap = 0;
	/* What is left of a table row split at the foot of a page: it is
	 * placed next, in place of the row (the list itself stays as it
	 * is, for the next pass). */
	struct vbox *rest = NULL;
	for (size_t i = 0; i < ts->nvlist; i++) {
		struct vbox *v = rest ? rest : ts->vlist[i];
		rest = NULL;
		if (v->kind == VBOX_GAP) {
			if (pg->nitems > 0)
				gap += v->height;
			continue;
		}
		if ((v->annex && p->annex == SIZE_MAX) ||
		    (v->right_page && v->kind == VBOX_CONTENT)) {
			place_bottom(p, pg);
			pg = flush_floats(p, pg);
		}
		if (v->annex && p->annex == SIZE_MAX) {
			if (pg->nitems > 0 || pg->nnotes > 0)
				pg = new_page(p);
			p->annex = p->npages - 1;
			gap = 0;
		}
		if (v->right_page && v->kind == VBOX_CONTENT) {
			if (pg->nitems > 0 || pg->nnotes > 0)
				pg = new_page(p);
			if (p->npages % 2 == 0) {
				/* An even page is a left-hand one. */
				pg->blank = true;
				pg = new_page(p);
			}
			gap = 0;
		}
		/* Room below a figure; none at the top of a page. */
		if (p->after_float > 0 && pg->nitems > 0 &&
		    gap < p->after_float)
			gap = p->after_float;
		p->after_float = 0;
		if (v->is_float) {
			/* One figure at a time waits for the foot. */
			place_bottom(p, pg);
			int32_t fgap =
			    pg->nitems > 0 && gap < FLOAT_GAP ? FLOAT_GAP : gap;
			int32_t fn = notes_height(ts, v);
			if (p->nfloats == 0 && !notes_wait(p, v) &&
			    pg->used + fgap + v->height +
			            notes_area(ts, pg->notes_h + fn) <=
			        avail) {
				/* It fits on this page: at its foot, the
				 * text after it above it. */
				p->bottom = v;
				p->bottom_at = pg->nitems;
				continue;
			} else if (p->nfloats == 0 && pg->nitems == 0) {
				pg = place_any(p, pg, v, 0, fn);
				p->after_float = FLOAT_GAP;
			} else {
				/* The room before it goes to the text after. */
				defer_float(p, v);
				continue;
			}
			gap = 0;
			continue;
		}
		/* Text that cites notes does not pass a figure waiting: its
		 * notes, numbered after the figure's, would come first. */
		int32_t bottom_notes;
		int32_t bottom = bottom_room(p, &bottom_notes);
		if (p->bottom != NULL &&
		    (v->nnotes > 0 || v->right_page || v->annex ||
		     pg->used + gap + demand(ts, v, i, &(int32_t){0}) + bottom +
		             notes_area(ts, pg->notes_h + bottom_notes) >
		         avail)) {
			place_bottom(p, pg);
			if (p->after_float > gap)
				gap = p->after_float;
			p->after_float = 0;
		}
		if (p->nfloats > 0 && v->nnotes > 0) {
			pg = past_floats(p, pg, v);
			gap = 0;
		}
		int32_t chain_notes;
		int32_t chain = demand(ts, v, i, &chain_notes);
		/* The space above a heading shrinks, as TeX's glue does, by
		 * up to a third where that lets the heading and its first
		 * lines start here rather than leave the page short. */
		int32_t over = pg->used + gap + chain +
		               notes_area(ts, pg->notes_h + chain_notes) -
		               avail;
		if (v->keep_with_next && pg->nitems > 0 && over > 0 &&
		    over <= gap / 3)
			gap -= over;
		if (!notes_wait(p, v) &&
		    pg->used + gap + chain +
		            notes_area(ts, pg->notes_h + chain_notes) <=
		        avail) {
			place_whole(p, pg, v, gap);
			gap = 0;
			continue;
		}
		/* A line whose last note does not fit may still go here if
		 * at least two lines of that note do; so may a line whose
		 * notes fit on no page, if two lines of them do. */
		if (pg->nitems > 0 && !v->keep_with_next && p->ncarry == 0 &&
		    (place_split(p, pg, v, gap, 2, false) ||
		     (v->height + notes_area(ts, notes_height(ts, v)) > avail &&
		      place_split(p, pg, v, gap, 2, true)))) {
			gap = 0;
			continue;
		}
		/* A table row that does not fit is split between its lines,
		 * two at least on each side: its first lines here, the rest
		 * under the repeated header overleaf. */
		if (split_row_here(p, pg, v, gap, &rest)) {
			i--;
			gap = 0;
			continue;
		}
		/* What the previous item must stay with stays, even when the
		 * two together are taller than a page; but a chain of keeps
		 * taller than a page (hundreds of headings in a row) breaks
		 * where the page is full, or it would run on below the
		 * paper. */
		int32_t v_notes = notes_height(ts, v);
		bool kept = pg->nitems > 0 &&
		            pg->items[pg->nitems - 1].v->keep_with_next;
		if (kept &&
		    pg->used + gap + v->height +
		            notes_area(ts, pg->notes_h + v_notes) >
		        avail &&
		    v->height + notes_area(ts, v_notes) <= avail)
			kept = false;
		/* What must stay with v (a heading, a table's head) is not
		 * left alone at the foot: it goes over with v. */
		size_t nmoved = 0;
		struct placed *moved = NULL;
		bool head_moved = false;
		if (!kept && pg->nitems > 0 &&
		    pg->items[pg->nitems - 1].v->keep_with_next) {
			moved = lift_kept(p, pg, 1, &nmoved);
			head_moved = nmoved > 0 && v->repeat != NULL &&
			             v->repeat != v &&
			             moved[nmoved - 1].v == v->repeat;
		}
		if (!kept && (pg->nitems > 0 || pg->notes_h > avail / 2)) {
			/* A table's head leaves no figure room for its
			 * first row. */
			pg = page_for(p, v, chain, chain_notes, !head_moved);
			gap = 0;
		}
		if (nmoved > 0) {
			put_back(p, pg, moved, nmoved, 0);
			gap = 0;
		}
		if (!kept)
			gap = 0;
		pg = place_any(p, pg, v, gap, v_notes);
		gap = 0;
	}
	place_bottom(p, pg);
	pg = flush_floats(p, pg);
	while (p->ncarry > 0)
		new_page(p);
	if (p->annex == SIZE_MAX)
		p->annex = p->npages;
}
