/*
 * Check stage: everything about the fact file that the loader's shape
 * checks cannot see: id syntax and uniqueness, references to parties and
 * sources, enumerations, dates, and that every statement is sourced.
 */
#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/uri.h"
#include "../job.h"
#include "../model.h"

struct checker {
	struct job *job;
	struct model *m;
};

static bool
is_id(const char *s)
{
	if (!(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) ||
		      isdigit((unsigned char)*p) || *p == '-' || *p == '_' ||
		      *p == '.'))
			return false;
	return s[strlen(s) - 1] != '-';
}

static bool
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool
check_is_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return false;
	int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(mo == 2 && d == 29 && !leap);
}

bool
check_is_datetime(const char *s)
{
	char date[11];
	if (strlen(s) < 17)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!check_is_date(date) || s[10] != 'T')
		return false;
	const char *t = s + 11;
	if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2))
		return false;
	if (atoi(t) > 23 || atoi(t + 3) > 59)
		return false;
	t += 5;
	if (t[0] == ':') {
		if (!digits(t + 1, 2) || atoi(t + 1) > 59)
			return false;
		t += 3;
	}
	if (strcmp(t, "Z") == 0)
		return true;
	return (t[0] == '+' || t[0] == '-') && digits(t + 1, 2) &&
	       t[3] == ':' && digits(t + 4, 2) && t[6] == '\0' &&
	       atoi(t + 1) <= 14 && atoi(t + 4) <= 59;
}

static void
check_id(struct checker *c, const struct str *id, const char *what)
{
	if (id->s == NULL || is_id(id->s))
		return;
	const char *visible;
	const char *hidden =
	    model_hidden_in_id(c->job->arena, id->s, strlen(id->s), &visible);
	diag_error(c->job->diag, id->loc,
	           "%s id \"%s\" must use lower-case letters, digits, "
	           "'-', '_' or '.'%s%s%s",
	           what, id->s, hidden ? " (" : "", hidden ? hidden : "",
	           hidden ? ")" : "");
}

/*
 * Reports an unknown id of a kind ("source", listed under "sources").
 * An id that holds an invisible character gets it named, and is said to
 * be one that is listed when it is but for that character.
 */
static void
unknown_id(struct checker *c, const struct str *id, const char *kind,
           const char *list, bool (*listed)(const struct model *, const char *),
           const char *(*nearest)(const struct model *, const char *))
{
	const char *visible;
	const char *hidden =
	    model_hidden_in_id(c->job->arena, id->s, strlen(id->s), &visible);
	const char *near = hidden == NULL && job_may_suggest(c->job)
	                       ? nearest(c->m, id->s)
	                       : NULL;
	if (near != NULL)
		diag_error(c->job->diag, id->loc,
		           "unknown %s \"%s\" (not listed under \"%s\"); did "
		           "you mean \"%s\"?",
		           kind, id->s, list, near);
	else if (hidden == NULL)
		diag_error(c->job->diag, id->loc,
		           "unknown %s \"%s\" (not listed under \"%s\")", kind,
		           id->s, list);
	else if (listed(c->m, visible))
		diag_error(c->job->diag, id->loc,
		           "unknown %s \"%s\" (%s; \"%s\" is listed under "
		           "\"%s\")",
		           kind, id->s, hidden, visible, list);
	else
		diag_error(c->job->diag, id->loc,
		           "unknown %s \"%s\" (%s; not listed under \"%s\")",
		           kind, id->s, hidden, list);
}

/* Sorting ids: by text, then by position in the file. */
struct idref {
	const struct str *id;
	size_t index;
};

static int
cmp_idref(const void *pa, const void *pb)
{
	const struct idref *a = pa, *b = pb;
	int c = strcmp(a->id->s, b->id->s);
	if (c != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * Reports the second and later uses of an id (the struct str at offset in
 * each of n records of size stride), with a note at the first.  Sorting
 * keeps this O(n log n) for logs of thousands of breaches.
 */
static void
check_unique(struct checker *c, const void *base, size_t n, size_t stride,
             size_t offset, const char *what)
{
	const char *p = base;
	struct idref *refs =
	    arena_array(c->job->arena, n ? n : 1, sizeof *refs);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct str *id = (const void *)(p + i * stride + offset);
		if (id->s != NULL)
			refs[k++] = (struct idref){id, i};
	}
	qsort(refs, k, sizeof *refs, cmp_idref);
	for (size_t i = 1; i < k; i++) {
		size_t first = i - 1;
		while (i < k && strcmp(refs[i].id->s, refs[first].id->s) == 0) {
			diag_error(c->job->diag, refs[i].id->loc,
			           "duplicate %s id \"%s\"", what,
			           refs[i].id->s);
			diag_note(c->job->diag, refs[first].id->loc,
			          "\"%s\" was first defined here",
			          refs[first].id->s);
			i++;
		}
	}
}

static const struct party *
find_party(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->nparties; i++)
		if (m->parties[i].id.s && strcmp(m->parties[i].id.s, id) == 0)
			return &m->parties[i];
	return NULL;
}

static bool
is_party(const struct model *m, const char *id)
{
	return find_party(m, id) != NULL;
}

static void
resolve_party(struct checker *c, struct party_ref *r)
{
	if (r->id.s == NULL)
		return;
	r->p = find_party(c->m, r->id.s);
	if (r->p == NULL && !c->m->parties_partial)
		unknown_id(c, &r->id, "party", "parties", is_party,
		           model_nearest_party);
}

static void
check_date(struct checker *c, const struct str *d)
{
	if (d->s != NULL && !check_is_date(d->s))
		diag_error(c->job->diag, d->loc,
		           "\"%s\" is not a date; write YYYY-MM-DD, or use "
		           "\"date_text\" when the day is not known",
		           d->s);
}

static void
check_when(struct checker *c, const struct str *date,
           const struct str *date_text, struct loc at, const char *what)
{
	check_date(c, date);
	if (date->s != NULL && date_text->s != NULL)
		diag_error(c->job->diag, date_text->loc,
		           "%s has both \"date\" and \"date_text\"; keep one",
		           what);
	else if (date->s == NULL && date_text->s == NULL)
		diag_error(c->job->diag, at,
		           "%s needs \"date\" (YYYY-MM-DD) or \"date_text\"",
		           what);
}

static int lookup(const char *s, const char *const *names, int n);

static bool
is_source(const struct model *m, const char *id)
{
	return model_find_source(m, id, strlen(id)) != NULL;
}

static void
check_stmt(struct checker *c, struct stmt *st)
{
	for (size_t i = 0; i < st->ncites; i++) {
		struct cite *ci = &st->cites[i];
		if (ci->id.s == NULL)
			continue;
		ci->src = model_find_source(c->m, ci->id.s, strlen(ci->id.s));
		if (ci->src == NULL) {
			if (c->m->sources_partial)
				continue;
			unknown_id(c, &ci->id, "source", "sources", is_source,
			           model_nearest_source);
			continue;
		}
		ci->src->cited++;
		for (size_t j = 0; j < i; j++)
			if (st->cites[j].id.s &&
			    strcmp(st->cites[j].id.s, ci->id.s) == 0 &&
			    ci->quote.s == NULL && ci->locator.s == NULL) {
				diag_warning(c->job->diag, ci->id.loc,
				             "source \"%s\" is listed twice",
				             ci->id.s);
				break;
			}
	}
	if (st->attribution.s != NULL) {
		int a = lookup(st->attribution.s, model_attribution_names + 1,
		               ATTR__MAX - 1);
		if (a < 0)
			diag_error(c->job->diag, st->attribution.loc,
			           "unknown attribution \"%s\" (use official, "
			           "on-record, anonymous or one-side)",
			           st->attribution.s);
		else
			st->attribution_val = (enum attribution)(a + 1);
	}
	if (st->text.s != NULL && st->text.s[strspn(st->text.s, " \t\n")] == 0)
		diag_error(c->job->diag, st->text.loc,
		           "the statement text is blank");
	/* A speaker says who said the quote: alone it would be lost. */
	if (st->speaker.s != NULL && st->quote.s == NULL)
		diag_error(c->job->diag, st->speaker.loc,
		           "\"speaker\" names who said the statement's "
		           "\"quote\", but it has none; add the quote or "
		           "drop \"speaker\"");
}

static int
lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void
check_meta(struct checker *c)
{
	struct meta *mt = &c->m->meta;
	struct diag *d = c->job->diag;
	if (mt->as_of.s != NULL && !check_is_datetime(mt->as_of.s))
		diag_error(d, mt->as_of.loc,
		           "\"as_of\" must be an ISO 8601 date and time with a "
		           "zone, such as 2025-03-19T18:00:00Z, not \"%s\"",
		           mt->as_of.s);
	if (mt->edition.s != NULL) {
		const char *e = mt->edition.s;
		bool ok = e[0] != '\0' && e[0] != '0' && strlen(e) <= 6 &&
		          strspn(e, "0123456789") == strlen(e);
		if (!ok)
			diag_error(d, mt->edition.loc,
			           "\"edition\" must be a whole number from 1, "
			           "not \"%s\"",
			           e);
	}
}

static void
check_sources(struct checker *c)
{
	struct model *m = c->m;
	for (size_t i = 0; i < m->nsources; i++) {
		struct source *s = &m->sources[i];
		if (s->malformed)
			continue;
		check_id(c, &s->id, "source");
		check_date(c, &s->date);
		check_date(c, &s->accessed);
		if (s->grade.s != NULL &&
		    !(strlen(s->grade.s) == 2 && s->grade.s[0] >= 'A' &&
		      s->grade.s[0] <= 'F' && s->grade.s[1] >= '1' &&
		      s->grade.s[1] <= '6'))
			diag_error(
			    c->job->diag, s->grade.loc,
			    "grade \"%s\" must be a reliability letter "
			    "A-F and a credibility digit 1-6, such as B2",
			    s->grade.s);
		if (s->url.s != NULL && !uri_has_prefix(s->url.s, "https://") &&
		    !uri_has_prefix(s->url.s, "http://"))
			diag_error(c->job->diag, s->url.loc,
			           "\"url\" must start with http:// or "
			           "https://, not \"%s\"",
			           s->url.s);
		if (s->title.s == NULL && s->description.s == NULL)
			diag_warning(
			    c->job->diag,
			    s->title.loc.line ? s->title.loc : s->loc,
			    "source \"%s\" has no title and no "
			    "\"description\": its notes can name it only by "
			    "author, outlet or date; describe it in a few "
			    "words (description: \"Report on ...\")",
			    s->id.s ? s->id.s : "");
	}
	check_unique(c, m->sources, m->nsources, sizeof *m->sources,
	             offsetof(struct source, id), "source");
	for (size_t i = 0; i < m->nparties; i++)
		check_id(c, &m->parties[i].id, "party");
	check_unique(c, m->parties, m->nparties, sizeof *m->parties,
	             offsetof(struct party, id), "party");
}

static void
check_calls(struct checker *c)
{
	struct model *m = c->m;
	for (size_t i = 0; i < m->ncalls; i++) {
		struct call *cl = &m->calls[i];
		check_id(c, &cl->id, "call");
		check_when(c, &cl->date, &cl->date_text, cl->loc, "a call");
		if (cl->kind.s != NULL) {
			int k = lookup(cl->kind.s, model_call_kind_names,
			               CALL__MAX);
			if (k <= CALL_UNSTATED)
				diag_error(
				    c->job->diag, cl->kind.loc,
				    "unknown call kind \"%s\" (use phone "
				    "call, video call, meeting or letter)",
				    cl->kind.s);
			else
				cl->kind_val = (enum call_kind)k;
		}
		for (size_t j = 0; j < cl->nparticipants; j++)
			resolve_party(c, &cl->participants[j]);
		for (size_t j = 0; j < cl->nreadouts; j++) {
			struct readout *r = &cl->readouts[j];
			resolve_party(c, &r->party);
			if (r->npoints == 0 && !r->malformed)
				diag_error(
				    c->job->diag, r->points_loc,
				    "a readout needs at least one point");
			for (size_t k = 0; k < r->npoints; k++)
				check_stmt(c, &r->points[k]);
		}
		for (size_t j = 0; j < cl->ndivergences; j++) {
			struct divergence *dv = &cl->divergences[j];
			for (size_t k = 0; k < dv->npositions; k++) {
				resolve_party(c, &dv->positions[k].party);
				check_stmt(c, &dv->positions[k].st);
			}
		}
	}
	check_unique(c, m->calls, m->ncalls, sizeof *m->calls,
	             offsetof(struct call, id), "call");
}

static void
check_claims(struct checker *c)
{
	struct model *m = c->m;
	struct diag *d = c->job->diag;
	for (size_t i = 0; i < m->ntimeline; i++) {
		struct event *e = &m->timeline[i];
		if (e->malformed)
			continue;
		check_when(c, &e->date, &e->date_text, e->loc,
		           "a timeline entry");
		check_stmt(c, &e->st);
	}
	for (size_t i = 0; i < m->npreconditions; i++) {
		struct precondition *p = &m->preconditions[i];
		resolve_party(c, &p->party);
		if (p->date.s != NULL || p->date_text.s != NULL)
			check_when(c, &p->date, &p->date_text, p->loc,
			           "a precondition");
		if (p->status.s != NULL) {
			int s =
			    lookup(p->status.s, model_precondition_status_names,
			           PRE__MAX);
			if (s < 0)
				diag_error(
				    d, p->status.loc,
				    "unknown precondition status \"%s\" "
				    "(use stated, met, unmet, rejected or "
				    "open)",
				    p->status.s);
			else
				p->status_val = (enum precondition_status)s;
		}
		check_stmt(c, &p->st);
	}
	for (size_t i = 0; i < m->nbreaches; i++) {
		struct breach *b = &m->breaches[i];
		if (b->malformed)
			continue;
		check_id(c, &b->id, "breach");
		check_when(c, &b->date, &b->date_text, b->loc, "a breach");
		/* A party alleges it, or a source reports it. */
		if ((b->alleged_by.id.s != NULL) == (b->reported_by.s != NULL))
			diag_error(d, b->loc,
			           b->alleged_by.id.s
			               ? "a breach has both \"alleged_by\" and "
			                 "\"reported_by\"; keep one"
			               : "a breach needs \"alleged_by\" (the "
			                 "party that alleges it) or "
			                 "\"reported_by\" (the source that "
			                 "reports it)");
		resolve_party(c, &b->alleged_by);
		if (b->reported_by.s != NULL) {
			b->reporter = model_find_source(
			    m, b->reported_by.s, strlen(b->reported_by.s));
			if (b->reporter == NULL && !m->sources_partial)
				unknown_id(c, &b->reported_by, "source",
				           "sources", is_source,
				           model_nearest_source);
		}
		resolve_party(c, &b->accused);
		if (b->status.s != NULL) {
			int s = lookup(b->status.s, model_breach_status_names,
			               BREACH__MAX);
			if (s < 0)
				diag_error(d, b->status.loc,
				           "unknown breach status \"%s\" (use "
				           "confirmed, disputed, denied or "
				           "unverified)",
				           b->status.s);
			else
				b->status_val = (enum breach_status)s;
		}
		check_stmt(c, &b->st);
		if (b->status.s != NULL &&
		    strcmp(b->status.s, "confirmed") == 0) {
			if (b->st.attribution_val == ATTR_ONE_SIDE)
				diag_warning(
				    d, b->status.loc,
				    "breach \"%s\" is marked confirmed but "
				    "its claim is attributed to one side",
				    b->id.s ? b->id.s : "?");
			else if (b->st.ncites == 1)
				diag_warning(
				    d, b->status.loc,
				    "breach \"%s\" is marked confirmed on "
				    "a single source",
				    b->id.s ? b->id.s : "?");
		}
		for (size_t j = 0; j < b->nresponses; j++) {
			resolve_party(c, &b->responses[j].by);
			check_stmt(c, &b->responses[j].st);
		}
	}
	check_unique(c, m->breaches, m->nbreaches, sizeof *m->breaches,
	             offsetof(struct breach, id), "breach");
}

bool
check_model(struct job *job, struct model *m)
{
	size_t before = job->diag->count[DIAG_ERROR];
	struct checker c = {job, m};
	check_meta(&c);
	check_sources(&c);
	model_index_sources(m, job->arena);
	check_calls(&c);
	check_claims(&c);
	for (size_t i = 0; i < m->nfigures; i++)
		check_stmt(&c, &m->figures[i].st);
	return job->diag->count[DIAG_ERROR] == before;
}
