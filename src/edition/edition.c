/*
 * Editions: fingerprints of facts, the state file, and the differences.
 *
 * State file format, version 1 (UTF-8 text, one record per line, fields
 * separated by tabs; lines are never longer than needed and labels have
 * no tabs or newlines):
 *
 *   briefing-state	1
 *   edition	N
 *   as_of	2025-03-19T18:00:00Z
 *   fact	KIND	KEY	STATUS	FINGERPRINT	LABEL
 *   base-edition	M          (when this edition has a predecessor)
 *   base-as_of	...
 *   base-fact	KIND	KEY	STATUS	FINGERPRINT	LABEL
 */
#include "edition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../base/sha256.h"
#include "../base/utf8.h"
#include "../job.h"
#include "../model.h"

static struct fact *
push(struct job *job, struct facts *f)
{
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 64;
		f->v = arena_grow(job->arena, f->v, f->n, ncap, sizeof *f->v);
		f->cap = ncap;
	}
	struct fact *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	return x;
}

/* First 16 hex digits of the SHA-256 of the strings given, NUL-joined. */
static const char *
print_of(struct job *job, const char *const *parts, size_t n)
{
	struct sha256 s;
	char hex[65];
	sha256_init(&s);
	for (size_t i = 0; i < n; i++) {
		const char *p = parts[i] ? parts[i] : "\x01null";
		sha256_add(&s, p, strlen(p) + 1);
	}
	sha256_hex(&s, hex);
	return arena_strndup(job->arena, hex, 16);
}

/* A label: the text's first words, on one line, without tabs. */
static const char *
label_of(struct job *job, const char *text)
{
	if (text == NULL)
		return "";
	size_t len = strlen(text), words = 0, i;
	for (i = 0; i < len; i++)
		if (text[i] == ' ' && ++words == 14)
			break;
	/* Built by hand: there is one per fact, tens of thousands. */
	static const char ellipsis[] = "…";
	size_t more = i < len ? sizeof ellipsis - 1 : 0;
	char *l = arena_alloc(job->arena, i + more + 1);
	for (size_t k = 0; k < i; k++)
		l[k] = text[k] == '\t' || text[k] == '\n' || text[k] == '\r'
		           ? ' '
		           : text[k];
	memcpy(l + i, ellipsis, more);
	l[i + more] = '\0';
	return l;
}

/* Fingerprint of a statement: text, quote, speaker, sources, quotes. */
static const char *
stmt_print(struct job *job, const struct stmt *st, const char *extra)
{
	struct buf b = {0};
	for (size_t i = 0; i < st->ncites; i++) {
		const struct cite *c = &st->cites[i];
		buf_puts(&b, c->id.s ? c->id.s : "");
		buf_putc(&b, '|');
		buf_puts(&b, c->quote.s ? c->quote.s : "");
		buf_putc(&b, '|');
		buf_puts(&b, c->locator.s ? c->locator.s : "");
		buf_putc(&b, ';');
	}
	const char *parts[] = {st->text.s,           st->quote.s,
	                       st->speaker.s,        st->attribution.s,
	                       b.data ? b.data : "", extra};
	const char *p = print_of(job, parts, 6);
	buf_free(&b);
	return p;
}

static void
add_stmt(struct job *job, struct facts *f, const char *kind, const char *key,
         const char *status, const struct stmt *st, const char *extra)
{
	struct fact *x = push(job, f);
	x->kind = kind;
	x->key = key;
	x->status = status ? status : "";
	x->print = stmt_print(job, st, extra);
	x->label = label_of(job, st->text.s);
	x->st = st;
}

void
edition_facts(struct job *job, const struct model *m, struct facts *f)
{
	struct arena *a = job->arena;
	memset(f, 0, sizeof *f);
	f->edition = m->meta.edition.s ? m->meta.edition.s : "";
	f->as_of = m->meta.as_of.s ? m->meta.as_of.s : "";
	for (size_t i = 0; i < m->nsources; i++) {
		const struct source *s = &m->sources[i];
		struct fact *x = push(job, f);
		const char *parts[] = {s->outlet.s, s->author.s, s->title.s,
		                       s->date.s,   s->url.s,    s->grade.s};
		x->kind = "source";
		x->key = arena_printf(a, "source:%s", s->id.s);
		x->status = "";
		x->print = print_of(job, parts, 6);
		x->label = label_of(job, s->title.s ? s->title.s : s->id.s);
	}
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct event *e = &m->timeline[i];
		add_stmt(job, f, "event",
		         arena_printf(a, "event:%s:%s",
		                      e->date.s ? e->date.s : "-",
		                      print_of(job, &e->st.text.s, 1)),
		         NULL, &e->st, e->date_text.s);
	}
	for (size_t i = 0; i < m->ncalls; i++) {
		const struct call *c = &m->calls[i];
		for (size_t j = 0; j < c->nreadouts; j++)
			for (size_t k = 0; k < c->readouts[j].npoints; k++)
				add_stmt(job, f, "readout point",
				         arena_printf(
				             a, "readout:%s:%s:%zu", c->id.s,
				             c->readouts[j].party.id.s, k + 1),
				         NULL, &c->readouts[j].points[k], NULL);
		for (size_t j = 0; j < c->ndivergences; j++) {
			const struct divergence *d = &c->divergences[j];
			for (size_t k = 0; k < d->npositions; k++)
				add_stmt(
				    job, f, "divergence",
				    arena_printf(a, "divergence:%s:%s:%s",
				                 c->id.s, d->topic.s,
				                 d->positions[k].party.id.s),
				    NULL, &d->positions[k].st, NULL);
		}
	}
	for (size_t i = 0; i < m->npreconditions; i++) {
		const struct precondition *p = &m->preconditions[i];
		add_stmt(job, f, "precondition",
		         arena_printf(a, "precondition:%s:%s", p->party.id.s,
		                      print_of(job, &p->st.text.s, 1)),
		         p->status.s, &p->st, p->date.s);
	}
	for (size_t i = 0; i < m->nbreaches; i++) {
		const struct breach *b = &m->breaches[i];
		struct buf r = {0};
		for (size_t j = 0; j < b->nresponses; j++) {
			buf_puts(&r, b->responses[j].by.id.s);
			buf_putc(&r, ':');
			buf_puts(&r,
			         stmt_print(job, &b->responses[j].st, NULL));
			buf_putc(&r, ';');
		}
		const char *extra = arena_printf(
		    a, "%s|%s|%s|%s|%s", b->date.s ? b->date.s : "",
		    b->date_text.s ? b->date_text.s : "", b->alleged_by.id.s,
		    b->accused.id.s, r.data ? r.data : "");
		buf_free(&r);
		add_stmt(job, f, "breach",
		         arena_printf(a, "breach:%s", b->id.s), b->status.s,
		         &b->st, extra);
	}
}

static void
put_facts(struct buf *b, const struct facts *f, const char *prefix)
{
	buf_printf(b, "%sedition\t%s\n%sas_of\t%s\n", prefix, f->edition,
	           prefix, f->as_of);
	/* By hand: a line per fact, tens of thousands of them. */
	for (size_t i = 0; i < f->n; i++) {
		const struct fact *x = &f->v[i];
		const char *fields[] = {x->kind, x->key, x->status, x->print,
		                        x->label};
		buf_puts(b, prefix);
		buf_puts(b, "fact");
		for (size_t k = 0; k < 5; k++) {
			buf_putc(b, '\t');
			buf_puts(b, fields[k]);
		}
		buf_putc(b, '\n');
	}
}

/* The state file's text. */
static void
state_text(struct buf *b, const struct facts *now, const struct facts *base)
{
	buf_puts(b, "briefing-state\t1\n");
	put_facts(b, now, "");
	if (base != NULL && base->edition != NULL)
		put_facts(b, base, "base-");
}

bool
edition_write(struct job *job, struct fileio_txn *txn, const struct facts *now,
              const struct facts *base, const char *path)
{
	struct buf b = {0};
	state_text(&b, now, base);
	struct fileio_part part = {b.data, b.len};
	bool ok = fileio_stage(job->diag, txn, path, &part, 1);
	buf_free(&b);
	return ok;
}

/* Splits line at tabs into at most max fields; returns the count. */
static size_t
fields(char *line, char **out, size_t max)
{
	size_t n = 0;
	while (n < max) {
		out[n++] = line;
		char *t = strchr(line, '\t');
		if (t == NULL)
			break;
		*t = '\0';
		line = t + 1;
	}
	return n;
}

/* Whether s is an edition number as the fact file may give it: a whole
 * number from 1, at most six digits. */
static bool
is_edition(const char *s)
{
	size_t len = strlen(s);
	return len > 0 && len <= 6 && s[0] != '0' &&
	       strspn(s, "0123456789") == len;
}

int
edition_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/*
 * What is no text in a state file: a NUL byte, a byte that is not UTF-8,
 * a control character other than tab and newline.  Reported at its place;
 * returns false then.
 */
static bool
state_text_ok(struct job *job, const char *path, const char *text, size_t len)
{
	size_t bad = utf8_check(text, len);
	const char *what = "invalid UTF-8 byte";
	for (size_t i = 0; i < bad; i++) {
		unsigned char c = (unsigned char)text[i];
		bool crlf = c == '\r' && i + 1 < len && text[i + 1] == '\n';
		if ((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || crlf)
			continue;
		what = c == '\0' ? "NUL byte" : "control character";
		bad = i;
		break;
	}
	if (bad == len)
		return true;
	diag_error(job->diag, diag_offset_loc(path, text, bad),
	           "%s 0x%02X: not a state file this tool wrote", what,
	           (unsigned)(unsigned char)text[bad]);
	return false;
}

bool
edition_read(struct job *job, const char *path, bool optional,
             struct facts *cur, struct facts *prev, bool *found)
{
	memset(cur, 0, sizeof *cur);
	memset(prev, 0, sizeof *prev);
	*found = false;
	if (optional && access(path, F_OK) != 0)
		return true;
	char *text;
	size_t len;
	if (!fileio_read(job->arena, job->diag, NULL, path, &text, &len))
		return false;
	if (!state_text_ok(job, path, text, len))
		return false;
	uint32_t lineno = 0;
	struct loc base_at = {path, 0, 0};
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
		}
		lineno++;
		char *fv[6];
		size_t n = fields(line, fv, 6);
		struct loc loc = {path, lineno, 1};
		bool base = strncmp(fv[0], "base-", 5) == 0;
		struct facts *f = base ? prev : cur;
		const char *key = base ? fv[0] + 5 : fv[0];
		if (lineno == 1) {
			if (n != 2 || strcmp(fv[0], "briefing-state") != 0 ||
			    strcmp(fv[1], "1") != 0) {
				diag_error(
				    job->diag, loc,
				    "not a briefing state file (version 1)");
				return false;
			}
		} else if (n == 2 && strcmp(key, "edition") == 0) {
			if (!is_edition(fv[1])) {
				size_t l = strlen(fv[1]);
				diag_error(
				    job->diag,
				    (struct loc){path, lineno, 9 + base * 5},
				    "the edition in a state file must be a "
				    "whole number from 1 to 999999, not "
				    "\"%.*s%s\"",
				    l > 20 ? 20 : (int)l, fv[1],
				    l > 20 ? "…" : "");
				return false;
			}
			f->edition = fv[1];
			if (base)
				base_at = loc;
		} else if (n == 2 && strcmp(key, "as_of") == 0) {
			f->as_of = fv[1];
		} else if (n == 6 && strcmp(key, "fact") == 0) {
			struct fact *x = push(job, f);
			x->kind = fv[1];
			x->key = fv[2];
			x->status = fv[3];
			x->print = fv[4];
			x->label = fv[5];
		} else if (line[0] != '\0') {
			diag_error(job->diag, loc,
			           "unexpected line in a state file");
			return false;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (cur->edition == NULL) {
		diag_error(job->diag, (struct loc){path, 0, 0},
		           "the state file names no edition");
		return false;
	}
	if (prev->edition != NULL &&
	    edition_cmp(prev->edition, cur->edition) >= 0) {
		diag_error(job->diag, base_at,
		           "the state file measures edition %s against "
		           "edition %s, which is not an earlier one",
		           cur->edition, prev->edition);
		return false;
	}
	*found = true;
	return true;
}

/*
 * Facts by key, for the comparison of two editions: an open-addressing
 * table, so that a briefing of tens of thousands of facts is compared in
 * linear time.  A key given twice finds its first fact.
 */
struct fact_index {
	const struct fact **slot;
	size_t mask;
};

static void
index_facts(struct job *job, const struct facts *f, struct fact_index *ix)
{
	size_t n = 16;
	while (n < 2 * f->n)
		n *= 2;
	ix->slot = arena_array(job->arena, n, sizeof *ix->slot);
	ix->mask = n - 1;
	for (size_t i = 0; i < f->n; i++) {
		size_t k = hash_slot_str(f->v[i].key, ix->mask);
		while (ix->slot[k] != NULL &&
		       strcmp(ix->slot[k]->key, f->v[i].key) != 0)
			k = (k + 1) & ix->mask;
		if (ix->slot[k] == NULL)
			ix->slot[k] = &f->v[i];
	}
}

static const struct fact *
find(const struct fact_index *ix, const char *key)
{
	size_t k = hash_slot_str(key, ix->mask);
	while (ix->slot[k] != NULL) {
		if (strcmp(ix->slot[k]->key, key) == 0)
			return ix->slot[k];
		k = (k + 1) & ix->mask;
	}
	return NULL;
}

void
edition_diff(struct job *job, const struct facts *then, const struct facts *now,
             struct changes *c)
{
	memset(c, 0, sizeof *c);
	c->have_previous = true;
	c->since = then->edition ? then->edition : "?";
	size_t cap = now->n + then->n + 1, n = 0;
	c->v = arena_array(job->arena, cap, sizeof *c->v);
	struct fact_index ithen, inow;
	index_facts(job, then, &ithen);
	index_facts(job, now, &inow);
	for (size_t i = 0; i < now->n; i++) {
		const struct fact *x = &now->v[i], *y = find(&ithen, x->key);
		if (y == NULL)
			c->v[n++] = (struct change){CHANGE_ADDED, x, NULL};
		else if (strcmp(x->status, y->status) != 0)
			c->v[n++] = (struct change){CHANGE_STATUS, x, y};
		else if (strcmp(x->print, y->print) != 0)
			c->v[n++] = (struct change){CHANGE_CHANGED, x, y};
	}
	for (size_t i = 0; i < then->n; i++)
		if (find(&inow, then->v[i].key) == NULL)
			c->v[n++] =
			    (struct change){CHANGE_REMOVED, NULL, &then->v[i]};
	c->n = n;
}
