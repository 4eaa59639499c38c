/*
 * Load stage: the fact file.  Walks the YAML tree with one reader per
 * kind of record; every reader checks its keys against a table, so an
 * unknown or missing key is reported where it is.
 */
#include "load.h"
#include "load_int.h"

#include <stdio.h>
#include <string.h>

#include "../base/fileio.h"
#include "../base/lang.h"
#include "../base/path.h"
#include "../base/utf8.h"

#define NKEYS(a) (sizeof(a) / sizeof(a)[0])

/*
 * A string of the fact file, without the spaces, tabs and line breaks at
 * its ends: a title pasted as "Report " inside quotes would otherwise
 * print as "Report ," in its notes, and the line break a block scalar
 * ends in as a box and a space before the note's number.  Its place
 * stays that of the value (srcpos.c steps over the spaces after an
 * opening quote).
 */
static const char *
trimmed(struct job *job, const char *s)
{
	const char *b = s, *e = s + strlen(s);
	while (b < e && strchr(" \t\r\n", *b) != NULL)
		b++;
	while (e > b && strchr(" \t\r\n", e[-1]) != NULL)
		e--;
	return *e != '\0' ? arena_strndup(job->arena, b, (size_t)(e - b)) : b;
}

static struct str
fact_str(struct job *job, const struct ynode *map, const char *key,
         bool required, const char *where)
{
	struct str s = load_str(job, map, key, required, where);
	if (s.s != NULL)
		s.s = trimmed(job, s.s);
	return s;
}

/* A string of a list, trimmed as fact_str() trims. */
static struct str
fact_item(struct job *job, const struct ynode *v)
{
	return (struct str){trimmed(job, v->str), v->loc, true};
}

static const char *const top_keys[] = {
    "briefing", "parties",       "sources",  "timeline",
    "calls",    "preconditions", "breaches", "figures",
};
static const char *const figure_keys[] = {"file",    "alt",     "caption",
                                          "sources", "section", "width"};
static const char *const briefing_keys[] = {
    "title",          "subtitle",    "as_of",    "edition",
    "classification", "prepared_by", "keywords", "no_hyphenation",
    "summary",        "commentary",  "lang",     "short_title",
};
static const char *const commentary_keys[] = {
    [SECTION_SUMMARY] = NULL,        [SECTION_CONTEXT] = "context",
    [SECTION_READOUTS] = "readouts", [SECTION_PRECONDITIONS] = "preconditions",
    [SECTION_BREACHES] = "breaches", [SECTION_SOURCES] = NULL,
    [SECTION_CONTENTS] = NULL,       [SECTION_CHANGES] = NULL,
    [SECTION_DISTRIBUTION] = NULL,
};
_Static_assert(NKEYS(commentary_keys) == SECTION__MAX, "commentary_keys");
static const char *const commentary_names[] = {
    "context",
    "readouts",
    "preconditions",
    "breaches",
};
static const char *const party_keys[] = {"id", "name"};
static const char *const source_keys[] = {
    "id",      "outlet", "author",      "title",    "date",     "url",
    "archive", "grade",  "description", "accessed", "language", "via",
};
static const char *const stmt_keys[] = {"text", "quote", "speaker",
                                        "attribution", "sources"};
static const char *const event_keys[] = {
    "date", "date_text", "text", "quote", "speaker", "attribution", "sources",
};
static const char *const call_keys[] = {
    "id",       "date",        "date_text",  "kind",
    "place",    "time",        "duration",   "participants",
    "readouts", "divergences", "commentary",
};
static const char *const readout_keys[] = {"party", "issuer", "points"};
static const char *const divergence_keys[] = {"topic", "positions"};
static const char *const position_keys[] = {
    "party", "text", "quote", "speaker", "attribution", "sources",
};
static const char *const precondition_keys[] = {
    "party", "demand",    "quote",  "speaker", "attribution",
    "date",  "date_text", "status", "sources",
};
static const char *const breach_keys[] = {
    "id",      "date",      "date_text", "alleged_by", "reported_by",
    "accused", "claim",     "quote",     "speaker",    "attribution",
    "sources", "responses", "status",
};
static const char *const response_keys[] = {
    "by", "text", "quote", "speaker", "attribution", "sources",
};
static const char *const cite_keys[] = {"id", "quote", "locator"};

/* Requires node to be a mapping; where names it in the message. */
static bool
want_map(struct job *job, const struct ynode *n, const char *where)
{
	if (n->type == YNODE_MAP)
		return true;
	diag_error(job->diag, n->loc, "%s must be a mapping, not %s", where,
	           load_kind(n));
	return false;
}

/* Allocates the array for a list of n records. */
#define ALLOC_LIST(job, ptr, count, seq)                                       \
	do {                                                                   \
		(count) = (seq) ? (seq)->nitems : 0;                           \
		(ptr) = arena_array((job)->arena, (count) ? (count) : 1,       \
		                    sizeof *(ptr));                            \
	} while (0)

static void
read_cites(struct job *job, const struct ynode *map, struct stmt *st,
           const char *where)
{
	const struct ynode *key = load_key(map, "sources");
	const struct ynode *v = load_get(map, "sources");
	st->sources_loc = key ? key->loc : map->loc;
	if (v == NULL) {
		diag_error(job->diag, map->loc,
		           "%s has no \"sources\"; every statement must name "
		           "its sources",
		           where);
		return;
	}
	if (v->type == YNODE_SCALAR && !load_is_null(v)) {
		/* A single id is accepted as a list of one. */
		st->cites = arena_alloc(job->arena, sizeof *st->cites);
		st->ncites = 1;
		st->cites[0].id = fact_item(job, v);
		return;
	}
	if (v->type != YNODE_SEQ || v->nitems == 0) {
		diag_error(
		    job->diag, v->loc,
		    "\"sources\" must be a non-empty list of source ids");
		return;
	}
	ALLOC_LIST(job, st->cites, st->ncites, v);
	for (size_t i = 0; i < v->nitems; i++) {
		const struct ynode *c = v->items[i];
		struct cite *ci = &st->cites[i];
		if (c->type == YNODE_SCALAR && !load_is_null(c)) {
			ci->id = fact_item(job, c);
			continue;
		}
		if (c->type != YNODE_MAP) {
			diag_error(job->diag, c->loc,
			           "a source must be an id or a mapping with "
			           "\"id\", not %s",
			           load_kind(c));
			continue;
		}
		load_keys(job, c, cite_keys, NKEYS(cite_keys),
		          "a source entry");
		ci->id = fact_str(job, c, "id", true, "a source entry");
		ci->quote = fact_str(job, c, "quote", false, "a source entry");
		ci->locator =
		    fact_str(job, c, "locator", false, "a source entry");
	}
}

/* Reads the common statement keys; textkey is "text", "demand" or "claim". */
static void
read_stmt(struct job *job, const struct ynode *map, const char *textkey,
          struct stmt *st, const char *where)
{
	st->loc = map->loc;
	st->text = fact_str(job, map, textkey, true, where);
	st->quote = fact_str(job, map, "quote", false, where);
	st->speaker = fact_str(job, map, "speaker", false, where);
	st->attribution = fact_str(job, map, "attribution", false, where);
	read_cites(job, map, st, where);
}

static struct party_ref
read_party(struct job *job, const struct ynode *map, const char *key,
           const char *where)
{
	return (struct party_ref){fact_str(job, map, key, true, where), NULL};
}

static void
read_parties(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "parties", true, "the fact file");
	ALLOC_LIST(job, m->parties, m->nparties, seq);
	m->parties_partial = seq == NULL;
	for (size_t i = 0; i < m->nparties; i++) {
		const struct ynode *n = seq->items[i];
		struct party *p = &m->parties[i];
		p->loc = n->loc;
		if (want_map(job, n, "a party")) {
			load_keys(job, n, party_keys, NKEYS(party_keys),
			          "a party");
			p->id = fact_str(job, n, "id", true, "a party");
			p->name = fact_str(job, n, "name", true, "a party");
		}
		m->parties_partial |= p->id.s == NULL;
	}
}

/* The BCP 47 language tag at key of map, normalised ("EN-gb" is
 * "en-GB"); an error at the fault and NULL when it is none. */
static struct str
read_lang_key(struct job *job, const struct ynode *map, const char *key,
              const char *where)
{
	struct str s = fact_str(job, map, key, false, where);
	if (s.s == NULL)
		return s;
	const struct ynode *v = load_get(map, key);
	char tag[LANG_TAG_MAX + 1];
	const char *bad;
	size_t nbad;
	const char *why = lang_check(s.s, tag, &bad, &nbad);
	if (why == NULL) {
		s.s = arena_strdup(job->arena, tag);
		return s;
	}
	/* What comes before the fault is ASCII, so it is as many columns
	 * as bytes on the line. */
	struct loc at = s.loc;
	if (strchr(s.s, '\n') == NULL)
		at.col += (uint32_t)(bad - s.s) + (v->is_plain ? 0 : 1);
	if (nbad > 0)
		diag_error(job->diag, at,
		           "\"%s\" must be a BCP 47 language tag such as en, "
		           "fr-CA or sr-Latn: \"%.*s\" %s",
		           key, (int)nbad, bad, why);
	else
		diag_error(job->diag, at,
		           "\"%s\" must be a BCP 47 language tag such as en, "
		           "fr-CA or sr-Latn: %s",
		           key, why);
	s.s = NULL;
	return s;
}

/* A source must state every bibliographic key, null when unknown. */
static struct str
source_field(struct job *job, const struct ynode *n, const char *key)
{
	struct str s = fact_str(job, n, key, false, "a source");
	if (!s.present)
		diag_error(job->diag, n->loc,
		           "a source must state \"%s\" (write null when the "
		           "article does not say)",
		           key);
	return s;
}

/*
 * Where a source's archived copy is: its path relative to --archive-dir
 * or else to the fact file, and whether that leads out of the directory
 * (reported by check, which reads the copies).
 */
static void
find_archive(struct job *job, const char *factpath, struct source *s)
{
	const char *a = s->archive.s;
	char dir[4096];
	if (a == NULL)
		return;
	s->archive_path =
	    job->archive_dir != NULL && a[0] != '/'
	        ? arena_printf(job->arena, "%s/%s", job->archive_dir, a)
	        : fileio_relative(job->arena, factpath, a);
	const char *base = job->archive_dir
	                       ? job->archive_dir
	                       : path_dir(factpath, dir, sizeof dir);
	s->archive_outside =
	    !job->allow_outside && !path_inside(base, s->archive_path);
}

static void
read_sources(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "sources", true, "the fact file");
	ALLOC_LIST(job, m->sources, m->nsources, seq);
	m->sources_partial = seq == NULL;
	for (size_t i = 0; i < m->nsources; i++) {
		const struct ynode *n = seq->items[i];
		struct source *s = &m->sources[i];
		s->loc = n->loc;
		if (!want_map(job, n, "a source")) {
			m->sources_partial = true;
			s->malformed = true;
			continue;
		}
		load_keys(job, n, source_keys, NKEYS(source_keys), "a source");
		s->id = fact_str(job, n, "id", true, "a source");
		m->sources_partial |= s->id.s == NULL;
		s->outlet = source_field(job, n, "outlet");
		s->author = source_field(job, n, "author");
		s->title = source_field(job, n, "title");
		s->date = source_field(job, n, "date");
		s->url = source_field(job, n, "url");
		s->archive = fact_str(job, n, "archive", false, "a source");
		s->grade = fact_str(job, n, "grade", false, "a source");
		s->description =
		    fact_str(job, n, "description", false, "a source");
		s->accessed = fact_str(job, n, "accessed", false, "a source");
		s->language = read_lang_key(job, n, "language", "a source");
		s->via = fact_str(job, n, "via", false, "a source");
		find_archive(job, m->path, s);
	}
}

static void
read_timeline(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "timeline", false, "the fact file");
	ALLOC_LIST(job, m->timeline, m->ntimeline, seq);
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct ynode *n = seq->items[i];
		struct event *e = &m->timeline[i];
		e->loc = n->loc;
		if (!want_map(job, n, "a timeline entry")) {
			e->malformed = true;
			continue;
		}
		load_keys(job, n, event_keys, NKEYS(event_keys),
		          "a timeline entry");
		e->date = fact_str(job, n, "date", false, "a timeline entry");
		e->date_text =
		    fact_str(job, n, "date_text", false, "a timeline entry");
		read_stmt(job, n, "text", &e->st, "a timeline entry");
	}
}

static void
read_points(struct job *job, const struct ynode *seq, struct stmt **out,
            size_t *n)
{
	ALLOC_LIST(job, *out, *n, seq);
	for (size_t i = 0; i < *n; i++) {
		const struct ynode *p = seq->items[i];
		(*out)[i].loc = p->loc;
		if (!want_map(job, p, "a readout point"))
			continue;
		load_keys(job, p, stmt_keys, NKEYS(stmt_keys),
		          "a readout point");
		read_stmt(job, p, "text", &(*out)[i], "a readout point");
	}
}

static void
read_call(struct job *job, const struct ynode *n, struct call *c)
{
	c->loc = n->loc;
	if (!want_map(job, n, "a call"))
		return;
	load_keys(job, n, call_keys, NKEYS(call_keys), "a call");
	c->id = fact_str(job, n, "id", true, "a call");
	c->date = fact_str(job, n, "date", false, "a call");
	c->date_text = fact_str(job, n, "date_text", false, "a call");
	c->kind = fact_str(job, n, "kind", false, "a call");
	c->place = fact_str(job, n, "place", false, "a call");
	c->commentary.name = fact_str(job, n, "commentary", false, "a call");
	c->time = fact_str(job, n, "time", false, "a call");
	c->duration = fact_str(job, n, "duration", false, "a call");

	const struct ynode *seq =
	    load_seq(job, n, "participants", true, "a call");
	ALLOC_LIST(job, c->participants, c->nparticipants, seq);
	for (size_t i = 0; i < c->nparticipants; i++) {
		const struct ynode *p = seq->items[i];
		if (p->type != YNODE_SCALAR || load_is_null(p)) {
			diag_error(job->diag, p->loc,
			           "a participant must be a party id, not %s",
			           load_kind(p));
			continue;
		}
		c->participants[i].id = fact_item(job, p);
	}

	seq = load_seq(job, n, "readouts", true, "a call");
	ALLOC_LIST(job, c->readouts, c->nreadouts, seq);
	for (size_t i = 0; i < c->nreadouts; i++) {
		const struct ynode *r = seq->items[i];
		struct readout *ro = &c->readouts[i];
		ro->loc = r->loc;
		if (!want_map(job, r, "a readout")) {
			ro->malformed = true;
			continue;
		}
		load_keys(job, r, readout_keys, NKEYS(readout_keys),
		          "a readout");
		ro->party = read_party(job, r, "party", "a readout");
		ro->issuer = fact_str(job, r, "issuer", true, "a readout");
		const struct ynode *pts =
		    load_seq(job, r, "points", true, "a readout");
		ro->points_loc = pts ? pts->loc : r->loc;
		ro->malformed = pts == NULL;
		read_points(job, pts, &ro->points, &ro->npoints);
	}

	seq = load_seq(job, n, "divergences", false, "a call");
	ALLOC_LIST(job, c->divergences, c->ndivergences, seq);
	for (size_t i = 0; i < c->ndivergences; i++) {
		const struct ynode *d = seq->items[i];
		struct divergence *dv = &c->divergences[i];
		dv->loc = d->loc;
		if (!want_map(job, d, "a divergence"))
			continue;
		load_keys(job, d, divergence_keys, NKEYS(divergence_keys),
		          "a divergence");
		dv->topic = fact_str(job, d, "topic", true, "a divergence");
		const struct ynode *ps =
		    load_seq(job, d, "positions", true, "a divergence");
		ALLOC_LIST(job, dv->positions, dv->npositions, ps);
		for (size_t j = 0; j < dv->npositions; j++) {
			const struct ynode *p = ps->items[j];
			struct position *po = &dv->positions[j];
			po->loc = p->loc;
			if (!want_map(job, p, "a position"))
				continue;
			load_keys(job, p, position_keys, NKEYS(position_keys),
			          "a position");
			po->party = read_party(job, p, "party", "a position");
			read_stmt(job, p, "text", &po->st, "a position");
		}
	}
}

static void read_markdown(struct job *, const char *factpath,
                          struct markdown *);

static void
read_calls(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "calls", false, "the fact file");
	ALLOC_LIST(job, m->calls, m->ncalls, seq);
	for (size_t i = 0; i < m->ncalls; i++) {
		read_call(job, seq->items[i], &m->calls[i]);
		read_markdown(job, m->path, &m->calls[i].commentary);
	}
}

static void
read_preconditions(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "preconditions", false, "the fact file");
	ALLOC_LIST(job, m->preconditions, m->npreconditions, seq);
	for (size_t i = 0; i < m->npreconditions; i++) {
		const struct ynode *n = seq->items[i];
		struct precondition *p = &m->preconditions[i];
		p->loc = n->loc;
		if (!want_map(job, n, "a precondition"))
			continue;
		load_keys(job, n, precondition_keys, NKEYS(precondition_keys),
		          "a precondition");
		p->party = read_party(job, n, "party", "a precondition");
		p->date = fact_str(job, n, "date", false, "a precondition");
		p->date_text =
		    fact_str(job, n, "date_text", false, "a precondition");
		p->status = fact_str(job, n, "status", true, "a precondition");
		read_stmt(job, n, "demand", &p->st, "a precondition");
	}
}

static void
read_breaches(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "breaches", false, "the fact file");
	ALLOC_LIST(job, m->breaches, m->nbreaches, seq);
	for (size_t i = 0; i < m->nbreaches; i++) {
		const struct ynode *n = seq->items[i];
		struct breach *b = &m->breaches[i];
		b->loc = n->loc;
		if (!want_map(job, n, "a breach")) {
			b->malformed = true;
			continue;
		}
		load_keys(job, n, breach_keys, NKEYS(breach_keys), "a breach");
		b->id = fact_str(job, n, "id", true, "a breach");
		b->date = fact_str(job, n, "date", false, "a breach");
		b->date_text = fact_str(job, n, "date_text", false, "a breach");
		b->alleged_by = (struct party_ref){
		    fact_str(job, n, "alleged_by", false, "a breach"), NULL};
		b->reported_by =
		    fact_str(job, n, "reported_by", false, "a breach");
		b->accused = read_party(job, n, "accused", "a breach");
		b->status = fact_str(job, n, "status", true, "a breach");
		read_stmt(job, n, "claim", &b->st, "a breach");
		const struct ynode *rs =
		    load_seq(job, n, "responses", false, "a breach");
		ALLOC_LIST(job, b->responses, b->nresponses, rs);
		for (size_t j = 0; j < b->nresponses; j++) {
			const struct ynode *r = rs->items[j];
			struct response *re = &b->responses[j];
			re->loc = r->loc;
			if (!want_map(job, r, "a response"))
				continue;
			load_keys(job, r, response_keys, NKEYS(response_keys),
			          "a response");
			re->by = read_party(job, r, "by", "a response");
			read_stmt(job, r, "text", &re->st, "a response");
		}
	}
}

/*
 * The "figures" list: each an image file beside the fact file, what it
 * shows (alt), its caption and sources, and the section it goes in.
 */
static void
read_figures(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *seq =
	    load_seq(job, root, "figures", false, "the fact file");
	ALLOC_LIST(job, m->figures, m->nfigures, seq);
	char dir[4096];
	for (size_t i = 0; i < m->nfigures; i++) {
		const struct ynode *n = seq->items[i];
		struct figure *f = &m->figures[i];
		f->loc = n->loc;
		f->section_id = -1;
		if (!want_map(job, n, "a figure"))
			continue;
		load_keys(job, n, figure_keys, NKEYS(figure_keys), "a figure");
		f->file = fact_str(job, n, "file", true, "a figure");
		f->alt = fact_str(job, n, "alt", true, "a figure");
		f->section = fact_str(job, n, "section", true, "a figure");
		f->width = fact_str(job, n, "width", false, "a figure");
		f->st.loc = n->loc;
		f->st.text = fact_str(job, n, "caption", true, "a figure");
		read_cites(job, n, &f->st, "a figure");
		if (f->file.s != NULL) {
			f->path =
			    fileio_relative(job->arena, m->path, f->file.s);
			if (!job->allow_outside &&
			    !path_inside(path_dir(m->path, dir, sizeof dir),
			                 f->path)) {
				diag_error(job->diag, f->file.loc,
				           "\"%s\" is outside the fact file's "
				           "directory (pass --allow-outside to "
				           "read it)",
				           f->file.s);
				f->path = NULL;
			}
		}
		if (f->alt.s != NULL && f->alt.s[strspn(f->alt.s, " ")] == 0)
			diag_error(job->diag, f->alt.loc,
			           "\"alt\" must say what the image shows, for "
			           "readers who cannot see it");
		if (f->section.s != NULL) {
			for (int s = 0; s < SECTION__MAX; s++)
				if (commentary_keys[s] &&
				    strcmp(commentary_keys[s], f->section.s) ==
				        0)
					f->section_id = s;
			if (f->section_id < 0)
				diag_error(
				    job->diag, f->section.loc,
				    "unknown section \"%s\" for a figure "
				    "(use context, readouts, preconditions "
				    "or breaches)",
				    f->section.s);
		}
		if (f->width.s != NULL) {
			int pct = 0, end = 0;
			if (sscanf(f->width.s, "%d%%%n", &pct, &end) != 1 ||
			    end == 0 || f->width.s[end] != '\0' || pct < 1 ||
			    pct > 100)
				diag_error(job->diag, f->width.loc,
				           "\"width\" must be a share of the "
				           "column from 1%% to 100%%, such as "
				           "\"60%%\"");
			else
				f->width_pct = pct;
		}
	}
}

/* Reads a Markdown file named by a key; reports where the key is. */
static void
read_markdown(struct job *job, const char *factpath, struct markdown *md)
{
	if (md->name.s == NULL)
		return;
	md->path = fileio_relative(job->arena, factpath, md->name.s);
	char dir[4096];
	if (!job->allow_outside &&
	    !path_inside(path_dir(factpath, dir, sizeof dir), md->path)) {
		diag_error(job->diag, md->name.loc,
		           "\"%s\" is outside the fact file's directory "
		           "(pass --allow-outside to read it)",
		           md->name.s);
		return;
	}
	char *text;
	size_t len;
	if (!fileio_read(job->arena, job->diag, &md->name.loc, md->path, &text,
	                 &len))
		return;
	if (load_is_utf16(job->diag, md->path, text, len))
		return;
	size_t bad = utf8_check(text, len);
	if (bad < len) {
		diag_error(job->diag, diag_offset_loc(md->path, text, bad),
		           "invalid UTF-8 byte 0x%02X",
		           (unsigned)(unsigned char)text[bad]);
		return;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul != NULL) {
		diag_error(
		    job->diag,
		    diag_offset_loc(md->path, text, (size_t)(nul - text)),
		    "NUL byte in Markdown file");
		return;
	}
	load_warn_bom_crlf(job->diag, md->path, text, len);
	md->text = text;
	md->len = len;
}

/* A list of strings under key, such as "keywords". */
static void
read_strings(struct job *job, const struct ynode *map, const char *key,
             struct str **out, size_t *n)
{
	const struct ynode *seq =
	    load_seq(job, map, key, false, "\"briefing\"");
	ALLOC_LIST(job, *out, *n, seq);
	for (size_t i = 0; i < *n; i++) {
		const struct ynode *k = seq->items[i];
		if (k->type != YNODE_SCALAR || load_is_null(k))
			diag_error(
			    job->diag, k->loc,
			    "an entry of \"%s\" must be a string, not %s", key,
			    load_kind(k));
		else
			(*out)[i] = fact_item(job, k);
	}
}

static void
read_meta(struct job *job, const struct ynode *root, struct model *m)
{
	const struct ynode *n =
	    load_map(job, root, "briefing", true, "the fact file");
	struct meta *mt = &m->meta;
	if (n == NULL)
		return;
	mt->loc = n->loc;
	load_keys(job, n, briefing_keys, NKEYS(briefing_keys), "\"briefing\"");
	const char *w = "\"briefing\"";
	mt->title = fact_str(job, n, "title", true, w);
	mt->subtitle = fact_str(job, n, "subtitle", false, w);
	mt->short_title = fact_str(job, n, "short_title", false, w);
	mt->as_of = fact_str(job, n, "as_of", true, w);
	mt->edition = fact_str(job, n, "edition", true, w);
	mt->classification = fact_str(job, n, "classification", true, w);
	mt->prepared_by = fact_str(job, n, "prepared_by", true, w);
	mt->summary.name = fact_str(job, n, "summary", true, w);
	mt->lang = read_lang_key(job, n, "lang", w);

	read_strings(job, n, "keywords", &mt->keywords, &mt->nkeywords);
	read_strings(job, n, "no_hyphenation", &mt->no_hyphenation,
	             &mt->nno_hyphenation);

	const struct ynode *cm = load_map(job, n, "commentary", false, w);
	if (cm != NULL) {
		load_keys(job, cm, commentary_names, NKEYS(commentary_names),
		          "\"commentary\"");
		for (int s = 0; s < SECTION__MAX; s++)
			if (commentary_keys[s] != NULL)
				mt->commentary[s].name =
				    fact_str(job, cm, commentary_keys[s], false,
				             "\"commentary\"");
	}
	read_markdown(job, m->path, &mt->summary);
	for (int s = 0; s < SECTION__MAX; s++)
		read_markdown(job, m->path, &mt->commentary[s]);
}

bool
load_facts(struct job *job, const char *path, struct model *m)
{
	size_t before = load_errors(job);
	memset(m, 0, sizeof *m);
	m->path = path;
	/* The tree is dead once the model is read: a tenth of the memory
	 * of a large briefing. */
	struct arena nodes = {0};
	struct ynode *root = load_yaml_file(
	    job, &nodes, path,
	    "the fact file must be a mapping with \"briefing\", \"sources\" "
	    "and the other sections");
	m->read = root != NULL;
	if (root != NULL) {
		load_keys(job, root, top_keys, NKEYS(top_keys),
		          "the fact file");
		read_meta(job, root, m);
		read_parties(job, root, m);
		read_sources(job, root, m);
		read_timeline(job, root, m);
		read_calls(job, root, m);
		read_preconditions(job, root, m);
		read_breaches(job, root, m);
		read_figures(job, root, m);
	}
	arena_free(&nodes);
	return root != NULL && load_errors(job) == before;
}
