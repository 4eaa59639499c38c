/*
 * Compose stage: the briefing's structure.  Builds the title block, then
 * the template's sections in order: commentary from Markdown and tables
 * generated from the facts, every statement footnoted to its sources.
 */
#include "compose.h"
#include "compose_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/hash.h"
#include "../base/utf8.h"
#include "../recipients.h"

/* Upper case of the letters that have one in Latin, Greek, Cyrillic. */
uint32_t
compose_upper(uint32_t cp)
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
		n += utf8_encode(compose_upper(cp), out + n);
		i += k;
	}
	out[n] = '\0';
	return out;
}

/* The template's words for id. */
static const char *
S(const struct composer *c, enum tmpl_str id)
{
	return tmpl_str(c->t, id);
}

/* The words for the statuses. */
static const enum tmpl_str pre_status[PRE__MAX] = {
    [PRE_STATED] = STR_STATUS_STATED, [PRE_MET] = STR_STATUS_MET,
    [PRE_UNMET] = STR_STATUS_UNMET,   [PRE_REJECTED] = STR_STATUS_REJECTED,
    [PRE_OPEN] = STR_STATUS_OPEN,
};
static const enum tmpl_str breach_status[BREACH__MAX] = {
    [BREACH_CONFIRMED] = STR_STATUS_CONFIRMED,
    [BREACH_DISPUTED] = STR_STATUS_DISPUTED,
    [BREACH_DENIED] = STR_STATUS_DENIED,
    [BREACH_UNVERIFIED] = STR_STATUS_UNVERIFIED,
};

static struct doc_node *
para(struct composer *c, struct doc_node *parent, enum style_id style,
     struct loc loc)
{
	struct doc_node *p = doc_new(c->job->arena, DOC_PARA, loc);
	p->style = style;
	doc_append(parent, p);
	return p;
}

/* s as the document prints the fact file's text: its straight marks
 * curly, its outermost quotations in the template's marks. */
static const char *
printed(struct composer *c, const char *s)
{
	s = compose_smart(c->job->arena, s);
	struct buf b = {0};
	int depth = 0;
	if (s != NULL && compose_outer_marks(c, s, strlen(s), &depth, &b))
		s = arena_strndup(c->job->arena, b.data, b.len);
	free(b.data);
	return s;
}

static void
text(struct composer *c, struct doc_node *p, const char *s, unsigned flags,
     struct loc loc)
{
	if (!(flags & RUN_NOHYPH)) /* a path: as written */
		s = printed(c, s);
	doc_add_run(&c->runs, p, s, flags, loc);
}

/* Adds the footnote marker for a statement's sources to p. */
static void
cite_stmt(struct composer *c, struct doc_node *p, const struct stmt *st)
{
	struct arena *a = c->job->arena;
	if (st->ncites == 0)
		return;
	struct doc_note *note = doc_new_note(a, c->doc, st->sources_loc);
	bool any = false;
	for (size_t i = 0; i < st->ncites; i++) {
		const struct cite *ci = &st->cites[i];
		if (ci->src == NULL)
			continue;
		if (any)
			compose_note_sep(c, note, ci->id.loc);
		compose_note_source(c, note, ci->src, &ci->locator, ci->quote.s,
		                    ci->id.loc);
		any = true;
	}
	compose_note_end(c, note, st->sources_loc);
	struct doc_run *r =
	    doc_add_run(&c->runs, p, arena_printf(a, "%u", note->num),
	                RUN_NOTEREF, st->sources_loc);
	r->note = note->num;
	/* Remember where the statement is, for the list of changes. */
	if (c->nnoted == c->capnoted) {
		size_t ncap = c->capnoted ? c->capnoted * 2 : 64;
		c->noted =
		    arena_grow(a, c->noted, c->nnoted, ncap, sizeof *c->noted);
		c->noted_num = arena_grow(a, c->noted_num, c->nnoted, ncap,
		                          sizeof *c->noted_num);
		c->capnoted = ncap;
	}
	c->noted[c->nnoted] = st;
	c->noted_num[c->nnoted++] = note->num;
}

/*
 * A statement: the paraphrase, then the verbatim quote (when the
 * paraphrase does not already contain it) as a second paragraph with its
 * speaker; the note marker closes the last paragraph.
 */
static struct doc_node *
stmt_para(struct composer *c, struct doc_node *parent, const struct stmt *st,
          enum style_id style, const char *lead)
{
	struct arena *a = c->job->arena;
	struct doc_node *p = para(c, parent, style, st->loc);
	if (lead)
		text(c, p, lead, RUN_BOLD, st->loc);
	if (st->text.s)
		text(c, p, st->text.s, 0, st->text.loc);
	/* Claims that rest on one party's word say so, in words. */
	if (st->attribution_val == ATTR_ONE_SIDE)
		text(c, p, S(c, STR_ONE_SIDE), RUN_ITALIC, st->attribution.loc);
	else if (st->attribution_val == ATTR_ANONYMOUS)
		text(c, p, S(c, STR_ANONYMOUS), RUN_ITALIC,
		     st->attribution.loc);
	if (st->quote.s && st->text.s &&
	    strstr(st->text.s, st->quote.s) == NULL) {
		p = para(c, parent, style, st->quote.loc);
		text(c, p, compose_quoted(c, STR_QUOTE, "text", st->quote.s),
		     RUN_ITALIC, st->quote.loc);
		if (st->speaker.s)
			text(c, p, arena_printf(a, " — %s", st->speaker.s), 0,
			     st->speaker.loc);
	}
	cite_stmt(c, p, st);
	return p;
}

static struct doc_node *
table_new(struct composer *c, struct doc_node *parent, int ncols,
          struct loc loc)
{
	assert(ncols >= 1 && ncols <= DOC_TABLE_MAX_COLS);
	struct doc_node *t = doc_new(c->job->arena, DOC_TABLE, loc);
	t->as.table.ncols = ncols;
	t->as.table.nhead = 1;
	doc_append(parent, t);
	return t;
}

static struct doc_node *
row_new(struct composer *c, struct doc_node *table, struct loc loc)
{
	struct doc_node *r = doc_new(c->job->arena, DOC_ROW, loc);
	doc_append(table, r);
	return r;
}

static struct doc_node *
cell_new(struct composer *c, struct doc_node *row, struct loc loc)
{
	struct doc_node *cell = doc_new(c->job->arena, DOC_CELL, loc);
	doc_append(row, cell);
	return cell;
}

/* A header row from column titles. */
static void
head_row(struct composer *c, struct doc_node *table, const char *const *titles,
         struct loc loc)
{
	struct doc_node *r = row_new(c, table, loc);
	for (int i = 0; i < table->as.table.ncols; i++) {
		struct doc_node *cell = cell_new(c, r, loc);
		struct doc_node *p = para(c, cell, STYLE_TABLE_HEAD, loc);
		text(c, p, titles[i], 0, loc);
	}
}

/* A cell holding plain text; one with none (a date not stated) holds
 * the template's mark for an empty cell, the same in every table. */
static void
text_cell(struct composer *c, struct doc_node *row, const char *s,
          struct loc loc)
{
	struct doc_node *cell = cell_new(c, row, loc);
	struct doc_node *p = para(c, cell, STYLE_TABLE, loc);
	text(c, p, s && s[0] ? s : S(c, STR_EMPTY_CELL), 0, loc);
}

static const char *
party_name(const struct party_ref *r)
{
	if (r->p && r->p->name.s)
		return r->p->name.s;
	return r->id.s ? r->id.s : "?";
}

static const char *
when(struct composer *c, const struct str *date, const struct str *date_text)
{
	if (date->s)
		return compose_date(c, date->s);
	return date_text->s; /* NULL: the cell is empty */
}

static struct doc_node *
heading(struct composer *c, struct doc_node *parent, const char *s,
        struct loc loc)
{
	struct doc_node *h = doc_new(c->job->arena, DOC_HEADING, loc);
	h->style = STYLE_H2;
	h->as.heading.level = 2;
	doc_append(parent, h);
	text(c, h, s, 0, loc);
	return h;
}

static void
timeline(struct composer *c, struct doc_node *sec)
{
	const struct model *m = c->m;
	if (m->ntimeline == 0)
		return;
	const char *const titles[] = {S(c, STR_HEAD_DATE),
	                              S(c, STR_HEAD_EVENT)};
	/* Its own heading, apart from the commentary before it. */
	heading(c, sec, S(c, STR_TIMELINE), m->timeline[0].loc);
	struct doc_node *t = table_new(c, sec, 2, m->timeline[0].loc);
	head_row(c, t, titles, m->timeline[0].loc);
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct event *e = &m->timeline[i];
		struct doc_node *r = row_new(c, t, e->loc);
		text_cell(c, r, when(c, &e->date, &e->date_text), e->loc);
		stmt_para(c, cell_new(c, r, e->loc), &e->st, STYLE_TABLE, NULL);
	}
}

/*
 * How many of n columns go in one table when no table may have more than
 * max: as many tables as needed, as evenly filled as they can be (nine
 * readouts make tables of five and four).
 */
static size_t
per_table(size_t n, size_t max)
{
	size_t ntables = n > max ? (n + max - 1) / max : 1;
	return n > 0 ? (n + ntables - 1) / ntables : 1;
}

/* Readouts [from, to) of a call side by side: one column per side, one
 * point per row. */
static void
readout_table(struct composer *c, struct doc_node *sec, const struct call *cl,
              const struct readout *const *order, size_t from, size_t to)
{
	struct arena *a = c->job->arena;
	const char *titles[DOC_TABLE_MAX_COLS];
	size_t rows = 0;
	for (size_t i = from; i < to; i++) {
		const struct readout *r = order[i];
		titles[i - from] = tmpl_fill(
		    a, S(c, STR_READOUT_HEAD), "party", party_name(&r->party),
		    "issuer", r->issuer.s ? r->issuer.s : "", NULL);
		if (r->npoints > rows)
			rows = r->npoints;
	}
	struct doc_node *t = table_new(c, sec, (int)(to - from), cl->loc);
	head_row(c, t, titles, cl->loc);
	for (size_t k = 0; k < rows; k++) {
		struct doc_node *row = row_new(c, t, cl->loc);
		for (size_t i = from; i < to; i++) {
			const struct readout *r = order[i];
			struct doc_node *cell = cell_new(c, row, r->loc);
			if (k < r->npoints)
				stmt_para(c, cell, &r->points[k], STYLE_TABLE,
				          NULL);
			else
				para(c, cell, STYLE_TABLE, r->loc);
		}
	}
}

/* A call: its heading, where and when, its own commentary, its readouts
 * side by side.  False if the commentary has an error. */
static bool
call_readouts(struct composer *c, struct doc_node *sec, const struct call *cl)
{
	struct arena *a = c->job->arena;
	struct buf b = {0};
	for (size_t i = 0; i < cl->nparticipants; i++) {
		if (i > 0)
			buf_puts(&b, i + 1 == cl->nparticipants ? S(c, STR_AND)
			                                        : ", ");
		buf_puts(&b, party_name(&cl->participants[i]));
	}
	char *parties = buf_finish(&b, a);
	buf_free(&b);
	/* A date not known to the day is as the analyst wrote it. */
	const char *date = cl->date.s        ? compose_date(c, cl->date.s)
	                   : cl->date_text.s ? cl->date_text.s
	                                     : "";
	static const enum tmpl_str kinds[CALL__MAX] = {
	    [CALL_UNSTATED] = STR_KIND_CALL, [CALL_PHONE] = STR_KIND_PHONE,
	    [CALL_VIDEO] = STR_KIND_VIDEO,   [CALL_MEETING] = STR_KIND_MEETING,
	    [CALL_LETTER] = STR_KIND_LETTER,
	};
	const char *kind = S(c, kinds[cl->kind_val]);
	heading(c, sec,
	        cl->nparticipants > 0
	            ? tmpl_fill(a, S(c, STR_CALL_TITLE_PARTIES), "date", date,
	                        "parties", parties, "kind", kind, NULL)
	            : tmpl_fill(a, S(c, STR_CALL_TITLE), "date", date, "kind",
	                        kind, NULL),
	        cl->loc);
	/* Where, when and how long, each as reported. */
	const struct {
		const struct str *v;
		enum tmpl_str s;
		const char *name;
	} details[] = {{&cl->place, STR_PLACE, "place"},
	               {&cl->duration, STR_DURATION, "duration"},
	               {&cl->time, STR_TIME, "time"}};
	struct doc_node *p = NULL;
	for (size_t i = 0; i < sizeof details / sizeof details[0]; i++) {
		if (details[i].v->s == NULL)
			continue;
		const char *t =
		    tmpl_fill(a, S(c, details[i].s), details[i].name,
		              details[i].v->s, NULL);
		if (p != NULL)
			t = arena_printf(a, " %s", t);
		else
			p = para(c, sec, STYLE_BODY, cl->loc);
		text(c, p, t, 0, details[i].v->loc);
	}
	bool ok = compose_md(c, &cl->commentary, sec);
	size_t n = cl->nreadouts;
	if (n == 0)
		return ok;
	/* The readouts in the order the parties are listed, as the
	 * divergences' columns are (a party not listed last). */
	const struct readout **order = arena_array(a, n, sizeof *order);
	size_t k = 0;
	for (size_t q = 0; q <= c->m->nparties; q++)
		for (size_t i = 0; i < n; i++) {
			const struct party *want =
			    q < c->m->nparties ? &c->m->parties[q] : NULL;
			if (cl->readouts[i].party.p == want)
				order[k++] = &cl->readouts[i];
		}
	/* Readouts side by side, several tables when they are many. */
	size_t per = per_table(n, DOC_TABLE_MAX_COLS);
	for (size_t from = 0; from < n; from += per)
		readout_table(c, sec, cl, order, from,
		              from + per < n ? from + per : n);
	return ok;
}

/* A position of a divergence table: which table, row and column it
 * goes in, and where it stands among the divergence's positions. */
struct placed_pos {
	size_t table, row, col, j;
	const struct stmt *st;
};

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static int
cmp_placed(const void *a, const void *b)
{
	const struct placed_pos *x = a, *y = b;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/*
 * The parties that take a position on any of the call's divergences, as
 * indices into the model's parties, ascending and each once.  Sets *n.
 */
static size_t *
position_parties(struct composer *c, const struct call *cl, size_t *n)
{
	size_t np = 0;
	for (size_t i = 0; i < cl->ndivergences; i++)
		np += cl->divergences[i].npositions;
	size_t *idx = arena_array(c->job->arena, np ? np : 1, sizeof *idx);
	np = 0;
	for (size_t i = 0; i < cl->ndivergences; i++)
		for (size_t j = 0; j < cl->divergences[i].npositions; j++) {
			const struct party *p =
			    cl->divergences[i].positions[j].party.p;
			if (p != NULL)
				idx[np++] = (size_t)(p - c->m->parties);
		}
	if (np > 1)
		qsort(idx, np, sizeof *idx, cmp_size);
	size_t k = 0;
	for (size_t i = 0; i < np; i++)
		if (k == 0 || idx[k - 1] != idx[i])
			idx[k++] = idx[i];
	*n = k;
	return idx;
}

/*
 * The positions of a call's divergences, each with its place: column by
 * party (in the order the parties are listed), at most per parties to a
 * table; sorted by table, row, column and their order in the file.
 */
static struct placed_pos *
place_positions(struct composer *c, const struct call *cl, const size_t *cols,
                size_t ncols, size_t per, size_t *n)
{
	size_t np = 0;
	for (size_t i = 0; i < cl->ndivergences; i++)
		np += cl->divergences[i].npositions;
	struct placed_pos *pp =
	    arena_array(c->job->arena, np ? np : 1, sizeof *pp);
	np = 0;
	for (size_t i = 0; i < cl->ndivergences; i++) {
		const struct divergence *dv = &cl->divergences[i];
		for (size_t j = 0; j < dv->npositions; j++) {
			const struct position *po = &dv->positions[j];
			if (po->party.p == NULL)
				continue;
			size_t key = (size_t)(po->party.p - c->m->parties);
			const size_t *at =
			    bsearch(&key, cols, ncols, sizeof *cols, cmp_size);
			size_t col = (size_t)(at - cols);
			pp[np++] =
			    (struct placed_pos){col / per, i, col, j, &po->st};
		}
	}
	if (np > 1)
		qsort(pp, np, sizeof *pp, cmp_placed);
	*n = np;
	return pp;
}

/*
 * One table of divergences: the topic, then the positions of parties
 * [from, to) of cols.  The first table has a row for every topic; later
 * ones only for the topics their parties take a position on.  *next is
 * the first of pp (sorted by place_positions()) for this table, and is
 * moved past them.
 */
static void
divergence_table(struct composer *c, struct doc_node *sec,
                 const struct call *cl, const size_t *cols, size_t from,
                 size_t to, const struct placed_pos *pp, size_t npp,
                 size_t *next)
{
	int ncols = (int)(to - from);
	const char *titles[DOC_TABLE_MAX_COLS] = {S(c, STR_HEAD_TOPIC)};
	for (int i = 0; i < ncols; i++)
		titles[i + 1] = c->m->parties[cols[from + (size_t)i]].name.s;
	struct doc_node *t = table_new(c, sec, ncols + 1, cl->loc);
	head_row(c, t, titles, cl->loc);
	/* Every column has a position, so a later table has one at k. */
	size_t k = *next, table = from > 0 ? pp[k].table : 0;
	for (size_t i = 0; i < cl->ndivergences; i++) {
		bool any_here =
		    k < npp && pp[k].table == table && pp[k].row == i;
		if (from > 0 && !any_here)
			continue;
		const struct divergence *dv = &cl->divergences[i];
		struct doc_node *row = row_new(c, t, dv->loc);
		struct doc_node *tc = cell_new(c, row, dv->loc);
		text(c, para(c, tc, STYLE_TABLE, dv->loc), dv->topic.s,
		     RUN_BOLD, dv->topic.loc);
		for (size_t col = from; col < to; col++) {
			struct doc_node *cell = cell_new(c, row, dv->loc);
			bool any = false;
			for (; k < npp && pp[k].row == i && pp[k].col == col;
			     k++) {
				stmt_para(c, cell, pp[k].st, STYLE_TABLE, NULL);
				any = true;
			}
			if (!any)
				text(c, para(c, cell, STYLE_TABLE, dv->loc),
				     S(c, STR_NO_POSITION), RUN_ITALIC,
				     dv->loc);
		}
	}
	*next = k;
}

/*
 * Where the readouts diverge: a table with the topic, then one column per
 * party that takes a position; several tables when the parties are more
 * than fit beside the topic.
 */
static void
call_divergences(struct composer *c, struct doc_node *sec,
                 const struct call *cl)
{
	if (cl->ndivergences == 0)
		return;
	size_t ncols, npp, next = 0;
	const size_t *cols = position_parties(c, cl, &ncols);
	size_t per = per_table(ncols, DOC_TABLE_MAX_COLS - 1);
	const struct placed_pos *pp =
	    place_positions(c, cl, cols, ncols, per, &npp);
	heading(c, sec, S(c, STR_DIVERGENCES), cl->loc);
	size_t from = 0;
	do {
		size_t to = from + per < ncols ? from + per : ncols;
		divergence_table(c, sec, cl, cols, from, to, pp, npp, &next);
		from = to;
	} while (from < ncols);
}

static void
preconditions(struct composer *c, struct doc_node *sec)
{
	const struct model *m = c->m;
	if (m->npreconditions == 0)
		return;
	const char *const titles[] = {
	    S(c, STR_HEAD_PARTY), S(c, STR_HEAD_DEMAND), S(c, STR_HEAD_WHEN),
	    S(c, STR_HEAD_STATUS)};
	struct doc_node *t = table_new(c, sec, 4, m->preconditions[0].loc);
	head_row(c, t, titles, m->preconditions[0].loc);
	/* Grouped by party, in the order the parties are listed. */
	for (size_t p = 0; p <= m->nparties; p++) {
		for (size_t i = 0; i < m->npreconditions; i++) {
			const struct precondition *pc = &m->preconditions[i];
			const struct party *want =
			    p < m->nparties ? &m->parties[p] : NULL;
			if (pc->party.p != want)
				continue;
			struct doc_node *r = row_new(c, t, pc->loc);
			text_cell(c, r, party_name(&pc->party),
			          pc->party.id.loc);
			stmt_para(c, cell_new(c, r, pc->loc), &pc->st,
			          STYLE_TABLE, NULL);
			text_cell(c, r, when(c, &pc->date, &pc->date_text),
			          pc->loc);
			text_cell(c, r, S(c, pre_status[pc->status_val]),
			          pc->status.loc);
		}
	}
}

struct doc_node *
compose_figure(struct composer *c, struct doc_node *parent, uint32_t image,
               const char *alt, struct loc loc)
{
	struct arena *a = c->job->arena;
	struct doc_node *f = doc_new(a, DOC_FIGURE, loc);
	f->style = STYLE_BODY;
	f->as.figure.image = image;
	f->as.figure.alt = alt;
	f->as.figure.num = ++c->doc->nfigures;
	doc_append(parent, f);
	/* The space in the label's run, as a reader of the text has it. */
	doc_add_run(
	    &c->runs, f,
	    arena_printf(a, "%s ",
	                 tmpl_fill(a, S(c, STR_FIGURE), "n",
	                           arena_printf(a, "%u", f->as.figure.num),
	                           NULL)),
	    RUN_BOLD, loc);
	return f;
}

/* The fact file's figures for section id, in its order. */
static void
section_figures(struct composer *c, struct doc_node *sec, enum section_id id)
{
	for (size_t i = 0; i < c->m->nfigures; i++) {
		const struct figure *fg = &c->m->figures[i];
		if (fg->section_id != (int)id || fg->path == NULL ||
		    fg->alt.s == NULL || fg->st.text.s == NULL)
			continue;
		struct doc_node *f = compose_figure(
		    c, sec, compose_image(c, fg->path, fg->file.loc),
		    compose_smart(c->job->arena, fg->alt.s), fg->loc);
		f->as.figure.width = fg->width_pct;
		text(c, f, fg->st.text.s, 0, fg->st.text.loc);
		cite_stmt(c, f, &fg->st);
	}
}

uint32_t
compose_image(struct composer *c, const char *path, struct loc loc)
{
	struct doc *doc = c->doc;
	size_t k = 0;
	while (k < doc->nimages && strcmp(doc->images[k].path, path) != 0)
		k++;
	if (k == doc->nimages) {
		doc->images =
		    arena_grow(c->job->arena, doc->images, doc->nimages,
		               doc->nimages + 1, sizeof *doc->images);
		doc->images[doc->nimages++] =
		    (struct image){.path = path, .loc = loc};
	}
	return (uint32_t)k;
}

/* Adds src to srcs[0..*n) unless it is there. */
static void
add_source(const struct source **srcs, size_t *n, const struct source *src)
{
	for (size_t i = 0; i < *n; i++)
		if (srcs[i] == src)
			return;
	srcs[(*n)++] = src;
}

/* The most sources the chart's note names; past them it says that the
 * table's notes name them. */
#define CHART_MAX_SOURCES 8

/*
 * The chart of the breaches alleged: a group of bars for each date, in
 * order, and one for those without a date, set apart after them; a bar
 * for each party that alleges any, in the fact file's order.  Its alt
 * text says what it shows in words; its note names the sources of the
 * claims it counts.
 */
static void
breach_chart(struct composer *c, struct doc_node *sec)
{
	struct arena *a = c->job->arena;
	const struct model *m = c->m;
	size_t nb = m->nbreaches;
	const char **dates = arena_array(a, nb + 1, sizeof *dates);
	size_t ndates = 0, undated = 0;
	for (size_t i = 0; i < nb; i++) {
		const char *d = m->breaches[i].date.s;
		/* Only what a party alleges is counted, by party. */
		if (m->breaches[i].alleged_by.p == NULL)
			continue;
		if (d == NULL) {
			undated++;
			continue;
		}
		size_t k = 0;
		while (k < ndates && strcmp(dates[k], d) < 0)
			k++;
		if (k < ndates && strcmp(dates[k], d) == 0)
			continue;
		memmove(dates + k + 1, dates + k, (ndates - k) * sizeof *dates);
		dates[k] = d;
		ndates++;
	}
	/* The parties that allege, in the fact file's order. */
	const struct party **parties =
	    arena_array(a, m->nparties + 1, sizeof *parties);
	size_t np = 0;
	for (size_t p = 0; p < m->nparties; p++)
		for (size_t i = 0; i < nb; i++)
			if (m->breaches[i].alleged_by.p == &m->parties[p]) {
				parties[np++] = &m->parties[p];
				break;
			}
	if (np == 0)
		return;
	struct doc_chart *ch = arena_alloc(a, sizeof *ch);
	ch->ngroups = ndates + (undated > 0);
	ch->nseries = np;
	ch->last_apart = undated > 0 && ndates > 0;
	ch->groups = arena_array(a, ch->ngroups, sizeof *ch->groups);
	ch->series = arena_array(a, np, sizeof *ch->series);
	uint32_t *counts = arena_array(a, ch->ngroups * np, sizeof *counts);
	memset(counts, 0, ch->ngroups * np * sizeof *counts);
	for (size_t g = 0; g < ndates; g++)
		ch->groups[g] = compose_date(c, dates[g]);
	if (undated > 0)
		ch->groups[ndates] = S(c, STR_CHART_UNDATED);
	for (size_t s = 0; s < np; s++)
		ch->series[s] = parties[s]->name.s
		                    ? printed(c, parties[s]->name.s)
		                    : parties[s]->id.s;
	const struct source **srcs =
	    arena_array(a, m->nsources + 1, sizeof *srcs);
	size_t nsrcs = 0;
	uint32_t *per_party = arena_array(a, np, sizeof *per_party);
	memset(per_party, 0, np * sizeof *per_party);
	for (size_t i = 0; i < nb; i++) {
		const struct breach *b = &m->breaches[i];
		size_t s = 0;
		while (s < np && b->alleged_by.p != parties[s])
			s++;
		if (s == np)
			continue;
		size_t g = ndates;
		for (size_t k = 0; b->date.s && k < ndates; k++)
			if (strcmp(dates[k], b->date.s) == 0)
				g = k;
		counts[g * np + s]++;
		per_party[s]++;
		for (size_t k = 0; k < b->st.ncites; k++)
			if (b->st.cites[k].src)
				add_source(srcs, &nsrcs, b->st.cites[k].src);
	}
	ch->counts = counts;
	/* "Bar chart: 1 breach alleged by Ukraine and 2 by Russia, between
	 * 18 and 19 March 2025; 1 of them undated." */
	struct buf alt = {0};
	buf_puts(&alt, "Bar chart: ");
	for (size_t s = 0; s < np; s++) {
		if (s > 0)
			buf_puts(&alt, s + 1 == np ? S(c, STR_AND) : ", ");
		buf_puts(&alt, arena_printf(a, "%u", per_party[s]));
		if (s == 0)
			buf_puts(&alt,
			         per_party[s] == 1 ? " breach" : " breaches");
		buf_puts(&alt, s == 0 ? " alleged by " : " by ");
		buf_puts(&alt, ch->series[s]);
	}
	if (ndates == 1)
		buf_puts(&alt, arena_printf(a, ", on %s", ch->groups[0]));
	else if (ndates > 1)
		buf_puts(&alt,
		         arena_printf(a, ", between %s and %s", ch->groups[0],
		                      ch->groups[ndates - 1]));
	/* Under the bars, dates in one year go without it ("18 March"). */
	bool one_year = ndates > 1;
	for (size_t g = 1; g < ndates; g++)
		one_year &= strncmp(dates[g], dates[0], 4) == 0;
	for (size_t g = 0; one_year && g < ndates; g++) {
		const char *d = ch->groups[g];
		size_t n = strlen(d);
		if (n > 5 && strncmp(d + n - 4, dates[g], 4) == 0 &&
		    d[n - 5] == ' ')
			ch->groups[g] = arena_strndup(a, d, n - 5);
	}
	if (undated > 0 && ndates > 0)
		buf_puts(&alt,
		         arena_printf(a, "; %zu of them undated", undated));
	else if (undated > 0)
		buf_puts(&alt,
		         undated == 1 ? ", not dated" : ", none of them dated");
	buf_putc(&alt, '.');
	struct loc loc = m->breaches[0].loc;
	struct doc_node *f = compose_figure(
	    c, sec, DOC_NO_IMAGE, arena_strndup(a, alt.data, alt.len), loc);
	f->as.figure.chart = ch;
	buf_free(&alt);
	doc_add_run(&c->runs, f, S(c, STR_CHART_CAPTION), 0, loc);
	if (nsrcs == 0)
		return;
	/* Its sources, or, past a note's worth, where each claim's are. */
	struct doc_note *note = doc_new_note(a, c->doc, loc);
	for (size_t k = 0; k < nsrcs && nsrcs <= CHART_MAX_SOURCES; k++) {
		if (k > 0)
			compose_note_sep(c, note, loc);
		compose_note_source(c, note, srcs[k], NULL, NULL, loc);
	}
	if (nsrcs > CHART_MAX_SOURCES)
		doc_note_add_run(&c->runs, note,
		                 tmpl_fill(a, S(c, STR_CHART_SOURCES), "n",
		                           arena_printf(a, "%zu", nsrcs), NULL),
		                 0, loc);
	compose_note_end(c, note, loc);
	doc_add_run(&c->runs, f, arena_printf(a, "%u", note->num), RUN_NOTEREF,
	            loc)
	    ->note = note->num;
}

static void
breaches(struct composer *c, struct doc_node *sec)
{
	struct arena *a = c->job->arena;
	const struct model *m = c->m;
	if (m->nbreaches == 0)
		return;
	const char *const titles[] = {
	    S(c, STR_HEAD_WHEN), S(c, STR_HEAD_ALLEGED), S(c, STR_HEAD_CLAIM),
	    S(c, STR_HEAD_RESPONSES), S(c, STR_HEAD_STATUS)};
	struct doc_node *t = table_new(c, sec, 5, m->breaches[0].loc);
	head_row(c, t, titles, m->breaches[0].loc);
	for (size_t i = 0; i < m->nbreaches; i++) {
		const struct breach *b = &m->breaches[i];
		struct doc_node *r = row_new(c, t, b->loc);
		text_cell(c, r, when(c, &b->date, &b->date_text), b->loc);
		text_cell(
		    c, r,
		    b->reporter
		        ? tmpl_fill(a, S(c, STR_REPORTED_AGAINST), "source",
		                    compose_source_name(b->reporter), "accused",
		                    party_name(&b->accused), NULL)
		        : tmpl_fill(a, S(c, STR_AGAINST), "accuser",
		                    party_name(&b->alleged_by), "accused",
		                    party_name(&b->accused), NULL),
		    b->loc);
		stmt_para(c, cell_new(c, r, b->loc), &b->st, STYLE_TABLE, NULL);
		struct doc_node *rc = cell_new(c, r, b->loc);
		for (size_t j = 0; j < b->nresponses; j++) {
			const struct response *re = &b->responses[j];
			stmt_para(c, rc, &re->st, STYLE_TABLE,
			          tmpl_fill(a, S(c, STR_RESPONSE_BY), "party",
			                    party_name(&re->by), NULL));
		}
		if (b->nresponses == 0)
			text(c, para(c, rc, STYLE_TABLE, b->loc),
			     S(c, STR_NO_RESPONSE), RUN_ITALIC, b->loc);
		/* Status in words and capitals, so it survives greyscale. */
		struct doc_node *sc = cell_new(c, r, b->status.loc);
		const char *up =
		    upper_str(a, S(c, breach_status[b->status_val]));
		text(c, para(c, sc, STYLE_TABLE, b->status.loc), up, RUN_BOLD,
		     b->status.loc);
	}
}

/* qsort() order of pointers into the sources list; ties keep the fact
 * file's order. */
static int
by_bib_order(const void *x, const void *y)
{
	const struct source *a = *(const struct source *const *)x;
	const struct source *b = *(const struct source *const *)y;
	int d = compose_bib_order(a, b);
	return d != 0 ? d : (a > b) - (a < b);
}

static void
source_list(struct composer *c, struct doc_node *sec)
{
	struct arena *a = c->job->arena;
	const struct model *m = c->m;
	const struct source **order =
	    arena_array(a, m->nsources ? m->nsources : 1, sizeof *order);
	for (size_t i = 0; i < m->nsources; i++)
		order[i] = &m->sources[i];
	qsort(order, m->nsources, sizeof *order, by_bib_order);
	for (size_t k = 0; k < m->nsources; k++) {
		const struct source *s = order[k];
		size_t i = (size_t)(s - m->sources);
		struct doc_node *p = para(c, sec, STYLE_SOURCE, s->loc);
		struct doc_note entry = {0};
		compose_bib_entry(c, s, &entry, s->loc);
		p->runs = entry.runs;
		p->nruns = entry.nruns;
		p->caprun = entry.caprun;
		if (s->archive.s)
			text(c, p,
			     tmpl_fill(a, S(c, STR_ARCHIVED), "path",
			               s->archive.s, NULL),
			     RUN_NOHYPH, s->archive.loc);
		if (s->grade.s && strlen(s->grade.s) == 2)
			text(c, p,
			     tmpl_fill(a, S(c, STR_GRADE), "grade", s->grade.s,
			               "reliability",
			               tmpl_list(c->t, LIST_GRADE_RELIABILITY,
			                         s->grade.s[0] - 'A'),
			               "credibility",
			               tmpl_list(c->t, LIST_GRADE_CREDIBILITY,
			                         s->grade.s[1] - '1'),
			               NULL),
			     0, s->grade.loc);
		else
			text(c, p, S(c, STR_NOT_GRADED), 0, s->loc);
		if (c->doc->refs[i].n == 0) {
			text(c, p, S(c, STR_NOT_CITED), 0, s->loc);
		} else {
			/* The typesetter fills in the pages. */
			struct doc_run *r =
			    doc_add_run(&c->runs, p, "", RUN_PAGEREF, s->loc);
			r->ref = (uint32_t)i + 1;
		}
	}
}

static const enum tmpl_str change_words[CHANGE__MAX] = {
    [CHANGE_ADDED] = STR_CHANGE_ADDED,
    [CHANGE_REMOVED] = STR_CHANGE_REMOVED,
    [CHANGE_STATUS] = STR_CHANGE_STATUS,
    [CHANGE_CHANGED] = STR_CHANGE_CHANGED,
};

/* The kinds of fact a state file records, as the template words them;
 * a kind it does not know is printed as recorded. */
static const char *
fact_kind(const struct composer *c, const struct fact *f)
{
	const char *kind = f->kind;
	if (strcmp(kind, "commentary") == 0) {
		/* "commentary:context#…": the section's title; a call's own
		 * commentary is in the readouts. */
		const char *where = f->key + strlen("commentary:");
		size_t n = strcspn(where, "#");
		enum section_id id = SECTION_READOUTS;
		for (int s = 0; s < SECTION__MAX; s++)
			if (tmpl_section_names[s] &&
			    strlen(tmpl_section_names[s]) == n &&
			    strncmp(where, tmpl_section_names[s], n) == 0)
				id = (enum section_id)s;
		const char *title = tmpl_section_names[id];
		for (int i = 0; i < c->t->nsections; i++)
			if (c->t->sections[i].id == id)
				title = c->t->sections[i].title;
		return tmpl_fill(c->job->arena, S(c, STR_FACT_COMMENTARY),
		                 "section", title, NULL);
	}
	static const struct {
		const char *kind;
		enum tmpl_str id;
	} kinds[] = {
	    {"event", STR_FACT_EVENT},
	    {"readout point", STR_FACT_READOUT_POINT},
	    {"divergence", STR_FACT_DIVERGENCE},
	    {"precondition", STR_FACT_PRECONDITION},
	    {"breach", STR_FACT_BREACH},
	    {"source", STR_FACT_SOURCE},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			return S(c, kinds[i].id);
	return kind;
}

/* A status as the template words it; one it does not know as written. */
static const char *
status_word(const struct composer *c, const char *status)
{
	for (int i = 0; i < PRE__MAX; i++)
		if (strcmp(status, model_precondition_status_names[i]) == 0)
			return S(c, pre_status[i]);
	for (int i = 0; i < BREACH__MAX; i++)
		if (strcmp(status, model_breach_status_names[i]) == 0)
			return S(c, breach_status[i]);
	return status;
}

/* A date of a fact as printed: compose's date, or as written. */
static const char *
when_word(struct composer *c, const char *when)
{
	/* A date has been checked: YYYY-MM-DD; date_text is as written. */
	bool iso = strlen(when) == 10 && when[4] == '-' && when[7] == '-';
	return iso ? compose_date(c, when) : when;
}

/* What a changed fact changed, in words joined by "; ", or NULL. */
static const char *
change_what(struct composer *c, const struct change *x)
{
	static const struct {
		unsigned bit;
		enum tmpl_str id;
	} parts[] = {
	    {CHANGED_TEXT, STR_CHANGED_TEXT},
	    {CHANGED_QUOTE, STR_CHANGED_QUOTE},
	    {CHANGED_SOURCES, STR_CHANGED_SOURCES},
	    {CHANGED_WHEN, STR_CHANGED_WHEN},
	    {CHANGED_OTHER, STR_CHANGED_OTHER},
	};
	if (x->what == 0)
		return NULL;
	struct arena *a = c->job->arena;
	struct buf b = {0};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (!(x->what & parts[i].bit))
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_puts(&b, parts[i].bit == CHANGED_WHEN
		                 ? tmpl_fill(a, S(c, parts[i].id), "from",
		                             when_word(c, x->then->when), "to",
		                             when_word(c, x->now->when), NULL)
		                 : S(c, parts[i].id));
	}
	const char *out = buf_finish(&b, a);
	buf_free(&b);
	return out;
}

/*
 * What changed since the previous edition, one paragraph per fact, each
 * pointing to the page where the fact now appears.
 */
static void
change_list(struct composer *c, struct doc_node *sec)
{
	struct arena *a = c->job->arena;
	const struct changes *ch = c->changes;
	struct loc loc = c->m->meta.loc;
	if (ch->n == 0) {
		text(c, para(c, sec, STYLE_BODY, loc),
		     tmpl_fill(a, S(c, STR_NO_CHANGES), "n", ch->since, NULL),
		     RUN_ITALIC, loc);
		return;
	}
	/* The note of each statement, looked up by address: a change list
	 * can be as long as the document. */
	size_t nslots = 16;
	while (nslots < 2 * c->nnoted)
		nslots *= 2;
	struct noted_slot {
		const struct stmt *st;
		uint32_t num;
	} *slots = arena_array(a, nslots, sizeof *slots);
	for (size_t k = 0; k < c->nnoted; k++) {
		size_t h = hash_slot_ptr(c->noted[k], nslots - 1);
		while (slots[h].st != NULL && slots[h].st != c->noted[k])
			h = (h + 1) & (nslots - 1);
		slots[h] = (struct noted_slot){c->noted[k], c->noted_num[k]};
	}
	/* Room for a reference list per change, made once. */
	struct doc *d = c->doc;
	d->refs =
	    arena_grow(a, d->refs, d->nrefs, d->nrefs + ch->n, sizeof *d->refs);
	for (size_t i = 0; i < ch->n; i++) {
		const struct change *x = &ch->v[i];
		const struct fact *f = x->now ? x->now : x->then;
		struct doc_node *p = para(c, sec, STYLE_BODY, loc);
		text(c, p,
		     tmpl_fill(a, S(c, change_words[x->kind]), "kind",
		               fact_kind(c, f), NULL),
		     RUN_BOLD, loc);
		text(c, p,
		     tmpl_fill(a, S(c, STR_QUOTE), "text", f->label, NULL), 0,
		     loc);
		if (x->kind == CHANGE_STATUS)
			text(c, p,
			     tmpl_fill(a, S(c, STR_CHANGE_FROM_TO), "from",
			               status_word(c, x->then->status), "to",
			               status_word(c, x->now->status), NULL),
			     0, loc);
		const char *what = change_what(c, x);
		if (what != NULL)
			text(c, p,
			     tmpl_fill(a, S(c, STR_CHANGE_WHAT), "what", what,
			               NULL),
			     0, loc);
		uint32_t note = 0;
		if (x->now && x->now->st) {
			size_t h = hash_slot_ptr(x->now->st, nslots - 1);
			while (slots[h].st != NULL && slots[h].st != x->now->st)
				h = (h + 1) & (nslots - 1);
			note = slots[h].num; /* the last note it was given */
		}
		if (note == 0) {
			/* The label's own full stop ends the entry. */
			size_t ll = strlen(f->label);
			bool stop = x->kind != CHANGE_STATUS && what == NULL &&
			            ll > 0 && strchr(".?!", f->label[ll - 1]);
			if (!stop)
				text(c, p, ".", 0, loc);
			continue;
		}
		/* A reference list of one note: the typesetter prints its
		 * page and links to it. */
		struct doc_ref *ref = &d->refs[d->nrefs++];
		ref->notes = arena_alloc(a, sizeof *ref->notes);
		ref->notes[0] = note;
		ref->n = ref->cap = 1;
		ref->one = S(c, STR_CHANGE_P);
		ref->many = S(c, STR_CHANGE_PP);
		struct doc_run *r =
		    doc_add_run(&c->runs, p, "", RUN_PAGEREF, loc);
		r->ref = (uint32_t)d->nrefs;
	}
}

static void
title_block(struct composer *c, struct doc_node *root)
{
	struct arena *a = c->job->arena;
	const struct meta *mt = &c->m->meta;
	struct doc *d = c->doc;
	if (c->t->logo != NULL)
		d->logo = 1 + compose_image(c, c->t->logo, c->t->logo_loc);
	text(c, para(c, root, STYLE_TITLE, mt->title.loc), mt->title.s, 0,
	     mt->title.loc);
	if (mt->subtitle.s)
		text(c, para(c, root, STYLE_SUBTITLE, mt->subtitle.loc),
		     mt->subtitle.s, 0, mt->subtitle.loc);
	text(c, para(c, root, STYLE_META, mt->as_of.loc),
	     tmpl_fill(a, S(c, STR_AS_OF_LINE), "as_of", d->vars[VAR_AS_OF],
	               NULL),
	     0, mt->as_of.loc);
	text(c, para(c, root, STYLE_META, mt->edition.loc),
	     tmpl_fill(a, S(c, STR_EDITION_LINE), "edition",
	               d->vars[VAR_EDITION], "prepared_by",
	               d->vars[VAR_PREPARED_BY], NULL),
	     0, mt->edition.loc);
	text(c, para(c, root, STYLE_META, mt->classification.loc),
	     tmpl_fill(a, S(c, STR_CLASSIFICATION_LINE), "classification",
	               d->vars[VAR_CLASSIFICATION], NULL),
	     RUN_BOLD, mt->classification.loc);
}

/* Days since 1970-01-01 for a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Fills the placeholders and the creation time from the metadata. */
/* Warns that what a document information entry holds of s (key) is cut. */
static void
info_too_long(struct composer *c, const struct str *s, const char *key)
{
	if (s->s == NULL ||
	    utf8_utf16_len(s->s, strlen(s->s)) <= DOC_MAX_PDF_TEXT)
		return;
	diag_warning(c->job->diag, s->loc,
	             "\"%s\" is too long for the PDF's document information "
	             "(%d characters at most); it is cut there",
	             key, DOC_MAX_PDF_TEXT);
}

/* The number n digits of s make, or -1 if they are not all digits. */
static int
digits_at(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void
set_vars(struct composer *c)
{
	struct arena *a = c->job->arena;
	const struct meta *mt = &c->m->meta;
	struct doc *d = c->doc;
	const char *as_of = mt->as_of.s ? mt->as_of.s : "";
	d->vars[VAR_TITLE] = mt->title.s ? compose_smart(a, mt->title.s) : "";
	d->vars[VAR_SUBTITLE] =
	    mt->subtitle.s ? compose_smart(a, mt->subtitle.s) : "";
	d->vars[VAR_SHORT_TITLE] = mt->short_title.s
	                               ? compose_smart(a, mt->short_title.s)
	                               : d->vars[VAR_TITLE];
	d->vars[VAR_CLASSIFICATION] =
	    mt->classification.s ? compose_smart(a, mt->classification.s) : "";
	d->vars[VAR_EDITION] = mt->edition.s ? mt->edition.s : "";
	d->vars[VAR_PREPARED_BY] =
	    mt->prepared_by.s ? compose_smart(a, mt->prepared_by.s) : "";
	d->vars[VAR_DATE] = strlen(as_of) >= 10
	                        ? compose_date(c, arena_strndup(a, as_of, 10))
	                        : "";
	d->vars[VAR_AS_OF] = d->vars[VAR_DATE];
	/* Read as check accepts it; a run that stops at errors composes
	 * its commentary with an as_of check has not accepted. */
	size_t len = strlen(as_of);
	int y = len >= 10 ? digits_at(as_of, 4) : -1;
	int mo = len >= 10 ? digits_at(as_of + 5, 2) : -1;
	int dd = len >= 10 ? digits_at(as_of + 8, 2) : -1;
	int hh = len >= 16 ? digits_at(as_of + 11, 2) : -1;
	int mi = len >= 16 ? digits_at(as_of + 14, 2) : -1;
	bool secs = len >= 19 && as_of[16] == ':';
	int ss = secs ? digits_at(as_of + 17, 2) : 0;
	const char *zone = as_of + (secs ? 19 : 16 < len ? 16 : len);
	int zh = 0, zm = 0;
	if (*zone == '+' || *zone == '-') {
		zh = strlen(zone) == 6 ? digits_at(zone + 1, 2) : -1;
		zm = strlen(zone) == 6 ? digits_at(zone + 4, 2) : -1;
	}
	if (y >= 0 && mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && hh >= 0 &&
	    hh <= 23 && mi >= 0 && mi <= 59 && ss >= 0 && ss <= 59 && zh >= 0 &&
	    zh <= 14 && zm >= 0 && zm <= 59) {
		int off = (zh * 60 + zm) * (*zone == '-' ? -1 : 1);
		d->tz_minutes = off;
		d->created = days_from_civil(y, mo, dd) * 86400 + hh * 3600 +
		             mi * 60 + ss - (int64_t)off * 60;
		d->vars[VAR_AS_OF] = tmpl_fill(
		    a, S(c, STR_DATE_TIME), "date", d->vars[VAR_DATE], "time",
		    arena_strndup(a, as_of + 11, 5), "hour",
		    arena_strndup(a, as_of + 11, 2), "minute",
		    arena_strndup(a, as_of + 14, 2), "zone",
		    off == 0 ? "UTC" : arena_printf(a, "UTC%s", zone), NULL);
	}
	info_too_long(c, &mt->title, "title");
	info_too_long(c, &mt->subtitle, "subtitle");
	info_too_long(c, &mt->prepared_by, "prepared_by");
	struct buf b = {0};
	size_t units = 0;
	for (size_t i = 0; i < mt->nkeywords; i++) {
		if (mt->keywords[i].s == NULL)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		size_t from = b.len;
		buf_puts(&b, mt->keywords[i].s);
		bool fit = units <= DOC_MAX_PDF_TEXT;
		units += utf8_utf16_len(b.data + from, b.len - from) +
		         (from > 0 ? 2 : 0);
		if (fit && units > DOC_MAX_PDF_TEXT)
			diag_warning(c->job->diag, mt->keywords[i].loc,
			             "the keywords are too long for the PDF's "
			             "document information (%d characters at "
			             "most); they are cut here",
			             DOC_MAX_PDF_TEXT);
	}
	d->keywords = buf_finish(&b, a);
	buf_free(&b);
	d->lang = mt->lang.s != NULL ? mt->lang.s : "en";
	if (mt->lang.s != NULL)
		d->lang_loc = mt->lang.loc;
	/* Each word as typed and as the text sets it (O'Brien, O’Brien). */
	d->no_hyphenation = arena_array(a, 2 * mt->nno_hyphenation + 1,
	                                sizeof *d->no_hyphenation);
	for (size_t i = 0; i < mt->nno_hyphenation; i++) {
		const char *w = mt->no_hyphenation[i].s, *sw;
		if (w == NULL)
			continue;
		d->no_hyphenation[d->nno_hyphenation++] = w;
		if ((sw = compose_smart(a, w)) != w)
			d->no_hyphenation[d->nno_hyphenation++] = sw;
	}
}

static bool
section(struct composer *c, const struct tmpl_section *ts)
{
	struct arena *a = c->job->arena;
	const struct model *m = c->m;
	const struct meta *mt = &m->meta;
	bool ok = true;
	if (ts->id == SECTION_CHANGES && !c->changes->have_previous)
		return true; /* a first edition has nothing to compare */
	struct doc_node *sec = doc_new(a, DOC_SECTION, mt->loc);
	sec->as.section.id = ts->id;
	sec->as.section.title = ts->title;
	/* The template's title, with the edition for {n}. */
	if (ts->id == SECTION_CHANGES)
		sec->as.section.title =
		    tmpl_fill(a, ts->title, "n", c->changes->since, NULL);
	doc_append(c->doc->root, sec);
	if (mt->commentary[ts->id].text != NULL && ts->id != SECTION_SUMMARY)
		ok = compose_md(c, &mt->commentary[ts->id], sec);
	section_figures(c, sec, ts->id);
	switch (ts->id) {
	case SECTION_SUMMARY: {
		struct doc_node *box =
		    doc_new(a, DOC_BOX, mt->summary.name.loc);
		doc_append(sec, box);
		ok = compose_md(c, &mt->summary, box);
		break;
	}
	case SECTION_CONTEXT:
		timeline(c, sec);
		break;
	case SECTION_READOUTS:
		for (size_t i = 0; i < m->ncalls; i++) {
			ok &= call_readouts(c, sec, &m->calls[i]);
			call_divergences(c, sec, &m->calls[i]);
		}
		break;
	case SECTION_PRECONDITIONS:
		preconditions(c, sec);
		break;
	case SECTION_BREACHES:
		if (ts->chart && m->nbreaches > 0)
			breach_chart(c, sec);
		breaches(c, sec);
		break;
	case SECTION_SOURCES:
		c->sources_sec = sec; /* filled last, when every use is known */
		break;
	case SECTION_CHANGES:
		c->changes_sec = sec; /* filled once every fact has its note */
		break;
	default:
		break;
	}
	if (sec->first == NULL && ts->id != SECTION_SOURCES &&
	    ts->id != SECTION_CONTENTS && ts->id != SECTION_CHANGES)
		text(c, para(c, sec, STYLE_BODY, mt->loc),
		     S(c, STR_NOTHING_RECORDED), RUN_ITALIC, mt->loc);
	return ok;
}

/* The last component of a path. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * The distribution list, an annex after everything else: a table of
 * every numbered copy, its recipient and organisation and the name of
 * its file; and what marks each copy.
 */
static void
distribution(struct composer *c, const struct recipients *rs)
{
	struct arena *a = c->job->arena;
	const char *const titles[] = {
	    S(c, STR_HEAD_COPY), S(c, STR_HEAD_RECIPIENT),
	    S(c, STR_HEAD_ORGANISATION), S(c, STR_HEAD_FILE)};
	struct loc loc = rs->items[0].loc;
	struct doc_node *sec = doc_new(a, DOC_SECTION, loc);
	sec->as.section.id = SECTION_DISTRIBUTION;
	sec->as.section.title = S(c, STR_DISTRIBUTION_TITLE);
	sec->as.section.annex = true;
	doc_append(c->doc->root, sec);
	text(c, para(c, sec, STYLE_BODY, loc),
	     tmpl_fill(a,
	               S(c, rs->n == 1 ? STR_DISTRIBUTION_INTRO_ONE
	                               : STR_DISTRIBUTION_INTRO),
	               "n", arena_printf(a, "%zu", rs->n), NULL),
	     0, loc);
	struct doc_node *t = table_new(c, sec, 4, loc);
	head_row(c, t, titles, loc);
	c->doc->copies = arena_array(a, rs->n, sizeof *c->doc->copies);
	c->doc->ncopies = rs->n;
	for (size_t k = 0; k < rs->n; k++) {
		const struct recipient *r = &rs->items[k];
		struct doc_node *row = row_new(c, t, r->loc);
		text_cell(c, row, arena_printf(a, "%zu", k + 1), r->loc);
		text_cell(c, row, r->name.s, r->name.loc);
		text_cell(c, row, r->organisation.s ? r->organisation.s : "—",
		          r->organisation.s ? r->organisation.loc : r->loc);
		text_cell(c, row, r->path ? base_name(r->path) : "—", r->loc);
		const char *num = arena_printf(a, "%zu", k + 1);
		c->doc->copies[k] = (struct doc_copy){
		    tmpl_fill(a, S(c, STR_COPY_LABEL), "n", num, "copies",
		              arena_printf(a, "%zu", rs->n), "name", r->name.s,
		              NULL),
		    tmpl_fill(a, S(c, STR_COPY_WATERMARK), "n", num, "name",
		              upper_str(a, r->name.s), NULL),
		    r->name.loc};
		const char *label = c->doc->copies[k].label;
		if (utf8_utf16_len(label, strlen(label)) > DOC_MAX_PDF_TEXT)
			diag_warning(c->job->diag, r->name.loc,
			             "this name is too long for the PDF's "
			             "document information (%d characters at "
			             "most with \"Copy N of M — \"); it is cut "
			             "there",
			             DOC_MAX_PDF_TEXT);
	}
}

/* Sets up c to compose m with t into d, an empty document. */
static void
composer_start(struct composer *c, struct job *job, const struct model *m,
               const struct tmpl *t, const struct changes *changes,
               struct doc *d)
{
	static const struct changes none = {0};
	struct arena *a = job->arena;
	memset(d, 0, sizeof *d);
	*c = (struct composer){.job = job,
	                       .m = m,
	                       .t = t,
	                       .doc = d,
	                       .changes = changes ? changes : &none};
	size_t ns = m->nsources ? m->nsources : 1;
	c->source_seen = arena_array(a, ns, sizeof *c->source_seen);
	c->source_first_note = arena_array(a, ns, sizeof *c->source_first_note);
	c->short_refs = arena_array(a, ns, sizeof *c->short_refs);
	d->refs = arena_array(a, ns, sizeof *d->refs);
	d->nrefs = m->nsources;
	d->root = doc_new(a, DOC_ROOT, (struct loc){m->path, 1, 1});
	set_vars(c);
}

/* Appends s, written at loc, to the document's origins when it is set. */
static void
origin(struct composer *c, size_t *cap, const char *s, struct loc loc)
{
	struct doc *d = c->doc;
	if (s == NULL || s[0] == '\0' || loc.file == NULL)
		return;
	if (d->norigins == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;
		d->origins = arena_grow(c->job->arena, d->origins, d->norigins,
		                        ncap, sizeof *d->origins);
		*cap = ncap;
	}
	d->origins[d->norigins++] = (struct doc_origin){s, loc};
}

/* The texts compose sets inside words of its own (struct doc): the
 * briefing's variables, the parties' names, the readouts' issuers, the
 * sources' titles, descriptions, outlets and authors, and the template's
 * words. */
static void
origins(struct composer *c)
{
	const struct model *m = c->m;
	const struct meta *mt = &m->meta;
	size_t cap = 0;
	const struct str *vars[] = {&mt->title, &mt->subtitle, &mt->short_title,
	                            &mt->classification, &mt->prepared_by};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		origin(c, &cap, vars[i]->s, vars[i]->loc);
	for (size_t i = 0; i < m->nparties; i++)
		origin(c, &cap, m->parties[i].name.s, m->parties[i].name.loc);
	for (size_t i = 0; i < m->ncalls; i++)
		for (size_t k = 0; k < m->calls[i].nreadouts; k++) {
			const struct str *is = &m->calls[i].readouts[k].issuer;
			origin(c, &cap, is->s, is->loc);
		}
	for (size_t i = 0; i < m->nsources; i++) {
		const struct source *src = &m->sources[i];
		origin(c, &cap, src->title.s, src->title.loc);
		origin(c, &cap, src->description.s, src->description.loc);
		origin(c, &cap, src->outlet.s, src->outlet.loc);
		origin(c, &cap, src->author.s, src->author.loc);
	}
	for (size_t i = 0; i < c->t->ntexts; i++)
		origin(c, &cap, c->t->texts[i].s, c->t->texts[i].loc);
}

/* The doc's runs moved to the job's arena, the composer's own freed. */
static void
composer_finish(struct composer *c)
{
	origins(c);
	doc_settle_runs(c->doc, c->job->arena);
	arena_free(&c->runs);
}

bool
compose_commentary(struct job *job, const struct model *m, const struct tmpl *t)
{
	struct composer c;
	struct doc d;
	composer_start(&c, job, m, t, NULL, &d);
	const struct meta *mt = &m->meta;
	struct doc_node *box = doc_new(job->arena, DOC_BOX, mt->loc);
	struct doc_node *sec = doc_new(job->arena, DOC_SECTION, mt->loc);
	doc_append(d.root, box);
	doc_append(d.root, sec);
	bool ok = compose_md(&c, &mt->summary, box);
	for (int s = 0; s < SECTION__MAX; s++)
		if (s != SECTION_SUMMARY)
			ok &= compose_md(&c, &mt->commentary[s], sec);
	for (size_t i = 0; i < m->ncalls; i++)
		ok &= compose_md(&c, &m->calls[i].commentary, sec);
	composer_finish(&c);
	return ok;
}

bool
compose_doc(struct job *job, const struct model *m, const struct tmpl *t,
            const struct changes *changes, const struct recipients *rs,
            struct doc *d)
{
	struct composer c;
	composer_start(&c, job, m, t, changes, d);
	title_block(&c, d->root);

	bool ok = true;
	for (int i = 0; i < t->nsections; i++)
		ok &= section(&c, &t->sections[i]);
	for (size_t i = 0; i < m->nfigures; i++) {
		const struct figure *fg = &m->figures[i];
		bool shown = fg->section_id < 0;
		for (int k = 0; k < t->nsections && !shown; k++)
			shown = (int)t->sections[k].id == fg->section_id;
		if (!shown)
			diag_warning(job->diag, fg->section.loc,
			             "the template has no \"%s\" section: this "
			             "figure is not printed",
			             fg->section.s);
	}
	if (c.sources_sec != NULL)
		source_list(&c, c.sources_sec);
	if (c.changes_sec != NULL)
		change_list(&c, c.changes_sec);
	if (rs != NULL && rs->n > 0)
		distribution(&c, rs);
	for (size_t i = 0; i < m->nsources; i++)
		if (d->refs[i].n == 0 && m->sources[i].id.s)
			diag_warning(job->diag, m->sources[i].id.loc,
			             "source \"%s\" is never cited",
			             m->sources[i].id.s);
	composer_finish(&c);
	return ok;
}
