/*
 * Document tree: construction, the containment rule, a checker and a
 * dumper for tests and --dump=doc.
 */
#include "doc.h"

#include <assert.h>
#include <string.h>

#include "base/arena.h"

const char *const doc_var_names[VAR__MAX] = {
    [VAR_TITLE] = "title",
    [VAR_SUBTITLE] = "subtitle",
    [VAR_CLASSIFICATION] = "classification",
    [VAR_AS_OF] = "as_of",
    [VAR_DATE] = "date",
    [VAR_EDITION] = "edition",
    [VAR_PREPARED_BY] = "prepared_by",
    [VAR_SHORT_TITLE] = "short_title",
};

static const char *const type_names[DOC__MAX] = {
    [DOC_ROOT] = "root",   [DOC_SECTION] = "section", [DOC_HEADING] = "heading",
    [DOC_PARA] = "para",   [DOC_LIST] = "list",       [DOC_ITEM] = "item",
    [DOC_QUOTE] = "quote", [DOC_BOX] = "box",         [DOC_TABLE] = "table",
    [DOC_ROW] = "row",     [DOC_CELL] = "cell",       [DOC_FIGURE] = "figure",
};
_Static_assert(sizeof type_names / sizeof type_names[0] == DOC__MAX,
               "type_names");

struct doc_node *
doc_new(struct arena *a, enum doc_type type, struct loc loc)
{
	struct doc_node *n = arena_alloc(a, sizeof *n);
	n->type = type;
	n->loc = loc;
	n->style = STYLE_BODY;
	return n;
}

static bool
is_flow(enum doc_type t)
{
	return t == DOC_HEADING || t == DOC_PARA || t == DOC_LIST ||
	       t == DOC_QUOTE || t == DOC_BOX || t == DOC_TABLE ||
	       t == DOC_FIGURE;
}

bool
doc_can_contain(enum doc_type parent, enum doc_type child)
{
	switch (parent) {
	case DOC_ROOT:
		return child == DOC_SECTION || is_flow(child);
	case DOC_SECTION:
	case DOC_ITEM:
	case DOC_QUOTE:
	case DOC_BOX:
		return is_flow(child);
	case DOC_LIST:
		return child == DOC_ITEM;
	case DOC_TABLE:
		return child == DOC_ROW;
	case DOC_ROW:
		return child == DOC_CELL;
	case DOC_CELL:
		return child == DOC_PARA || child == DOC_LIST;
	default:
		return false;
	}
}

void
doc_append(struct doc_node *parent, struct doc_node *child)
{
	assert(doc_can_contain(parent->type, child->type));
	child->parent = parent;
	child->prev = parent->last;
	child->next = NULL;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

static struct doc_run *
add_run(struct arena *a, struct doc_run **runs, size_t *n, size_t *cap,
        const char *text, unsigned flags, struct loc loc)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		*runs = arena_grow(a, *runs, *n, ncap, sizeof **runs);
		*cap = ncap;
	}
	struct doc_run *r = &(*runs)[(*n)++];
	*r = (struct doc_run){.text = text, .flags = flags, .loc = loc};
	return r;
}

struct doc_run *
doc_add_run(struct arena *a, struct doc_node *n, const char *text,
            unsigned flags, struct loc loc)
{
	assert(n->type == DOC_PARA || n->type == DOC_HEADING ||
	       n->type == DOC_FIGURE);
	return add_run(a, &n->runs, &n->nruns, &n->caprun, text, flags, loc);
}

struct doc_run *
doc_note_add_run(struct arena *a, struct doc_note *note, const char *text,
                 unsigned flags, struct loc loc)
{
	return add_run(a, &note->runs, &note->nruns, &note->caprun, text, flags,
	               loc);
}

static void
settle(struct arena *a, struct doc_run **runs, size_t n, size_t *cap)
{
	struct doc_run *out = NULL;
	if (n > 0) {
		out = arena_array(a, n, sizeof *out);
		memcpy(out, *runs, n * sizeof *out);
	}
	*runs = out;
	*cap = n;
}

static void
settle_node(struct arena *a, struct doc_node *n)
{
	for (; n != NULL; n = n->next) {
		settle(a, &n->runs, n->nruns, &n->caprun);
		settle_node(a, n->first);
	}
}

void
doc_settle_runs(struct doc *d, struct arena *a)
{
	settle_node(a, d->root);
	for (size_t i = 0; i < d->nnotes; i++)
		settle(a, &d->notes[i].runs, d->notes[i].nruns,
		       &d->notes[i].caprun);
}

struct doc_note *
doc_new_note(struct arena *a, struct doc *d, struct loc loc)
{
	if (d->nnotes == d->capnotes) {
		size_t ncap = d->capnotes ? d->capnotes * 2 : 32;
		d->notes =
		    arena_grow(a, d->notes, d->nnotes, ncap, sizeof *d->notes);
		d->capnotes = ncap;
	}
	struct doc_note *note = &d->notes[d->nnotes++];
	memset(note, 0, sizeof *note);
	note->num = (uint32_t)d->nnotes;
	note->loc = loc;
	return note;
}

static void
check_node(const struct doc_node *n)
{
	for (const struct doc_node *c = n->first; c; c = c->next) {
		assert(c->parent == n);
		assert(doc_can_contain(n->type, c->type));
		assert(c->next == NULL || c->next->prev == c);
		check_node(c);
	}
	if (n->type != DOC_PARA && n->type != DOC_HEADING &&
	    n->type != DOC_FIGURE)
		assert(n->nruns == 0);
	if (n->type == DOC_TABLE)
		assert(n->as.table.ncols >= 1 &&
		       n->as.table.ncols <= DOC_TABLE_MAX_COLS);
	if (n->type == DOC_ROW) {
		int cells = 0;
		for (const struct doc_node *c = n->first; c; c = c->next)
			cells++;
		assert(cells == n->parent->as.table.ncols);
	}
}

void
doc_check(const struct doc *d)
{
	assert(d->root && d->root->type == DOC_ROOT);
	check_node(d->root);
	for (size_t i = 0; i < d->nnotes; i++)
		assert(d->notes[i].num == i + 1);
}

static void
dump_runs(const struct doc_run *runs, size_t n, int depth, FILE *f)
{
	for (size_t i = 0; i < n; i++) {
		const struct doc_run *r = &runs[i];
		fprintf(f, "%*s", depth * 2, "");
		if (r->flags & RUN_NOTEREF)
			fprintf(f, "[note %u]", r->note);
		else if (r->flags & RUN_BREAK)
			fputs("[break]", f);
		else
			fprintf(f, "\"%s\"", r->text);
		if (r->flags & RUN_BOLD)
			fputs(" bold", f);
		if (r->flags & RUN_ITALIC)
			fputs(" italic", f);
		if (r->flags & RUN_CODE)
			fputs(" code", f);
		if (r->flags & RUN_STRIKE)
			fputs(" struck", f);
		if (r->flags & RUN_ISOLATE)
			fputs(" isolate", f);
		if (r->uri)
			fprintf(f, " link=%s", r->uri);
		fputc('\n', f);
	}
}

static void
dump_node(const struct doc *d, const struct doc_node *n, int depth, FILE *f)
{
	fprintf(f, "%*s%s", depth * 2, "", type_names[n->type]);
	switch (n->type) {
	case DOC_SECTION:
		fprintf(f, " \"%s\"%s", n->as.section.title,
		        n->as.section.annex ? " annex" : "");
		break;
	case DOC_HEADING:
		fprintf(f, " level=%d", n->as.heading.level);
		break;
	case DOC_TABLE:
		fprintf(f, " cols=%d head=%d", n->as.table.ncols,
		        n->as.table.nhead);
		break;
	case DOC_FIGURE:
		fprintf(f, " %u \"%s\" alt=\"%s\"", n->as.figure.num,
		        n->as.figure.chart ? "chart"
		                           : d->images[n->as.figure.image].path,
		        n->as.figure.alt);
		if (n->as.figure.width)
			fprintf(f, " width=%d%%", n->as.figure.width);
		break;
	case DOC_PARA:
		if (n->as.para.align)
			fprintf(f, " align=%s",
			        n->as.para.align == 1   ? "left"
			        : n->as.para.align == 2 ? "centre"
			                                : "right");
		break;
	case DOC_LIST:
		fprintf(f, n->as.list.ordered ? " ordered" : " bullet");
		break;
	default:
		break;
	}
	fputc('\n', f);
	dump_runs(n->runs, n->nruns, depth + 1, f);
	for (const struct doc_node *c = n->first; c; c = c->next)
		dump_node(d, c, depth + 1, f);
}

void
doc_dump(const struct doc *d, FILE *f)
{
	dump_node(d, d->root, 0, f);
	for (size_t i = 0; i < d->nnotes; i++) {
		fprintf(f, "note %u\n", d->notes[i].num);
		dump_runs(d->notes[i].runs, d->notes[i].nruns, 1, f);
	}
	for (size_t i = 0; i < d->ncopies; i++)
		fprintf(f, "copy \"%s\" watermark \"%s\"\n", d->copies[i].label,
		        d->copies[i].watermark);
}
