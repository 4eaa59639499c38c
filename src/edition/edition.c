/*
 * Editions: fingerprints of facts, the state file, and the differences.
 *
 * State file format, version 2 (UTF-8 text, one record per line, fields
 * separated by tabs; lines are never longer than needed and labels have
 * no tabs or newlines):
 *
 *   briefing-state	2
 *   edition	N
 *   as_of	2025-03-19T18:00:00Z
 *   fact	KIND	KEY	STATUS	FINGERPRINT	LABEL	WHEN
 *   base-edition	M          (when this edition has a predecessor)
 *   base-as_of	...
 *   base-fact	KIND	KEY	STATUS	FINGERPRINT	LABEL	WHEN
 *
 * FINGERPRINT is four parts of 8 hex digits joined by dots (the text,
 * the quote, the sources, the rest).  Version 1 had no WHEN and one
 * fingerprint of 16 hex digits; it is still read.
 */
#include "edition.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/hash.h"
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

/* The first digits hex[0..len) (16 at most) of the XXH3-64 of the
 * strings given, NUL-joined (a NULL one as no string could be): a
 * fingerprint for telling editions apart, tens of thousands a build. */
static void
digest(const char *const *parts, size_t n, char *hex, size_t len)
{
	/* Each part, with its NUL, seeds the next: no state to allocate for
	 * the tens of thousands of fingerprints of a large briefing. */
	XXH64_hash_t h = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = parts[i] ? parts[i] : "\x01null";
		h = XXH3_64bits_withSeed(p, strlen(p) + 1, h);
	}
	for (size_t i = 0; i < len && i < 16; i++)
		hex[i] = "0123456789abcdef"[h >> (60 - 4 * i) & 15];
	hex[len < 16 ? len : 16] = '\0';
}

/* First 16 hex digits of the XXH3-64 of the strings given, NUL-joined. */
static const char *
print_of(struct job *job, const char *const *parts, size_t n)
{
	char hex[17];
	digest(parts, n, hex, 16);
	return arena_strdup(job->arena, hex);
}

/* s as one field of a state file: tabs and line breaks as spaces; ""
 * for NULL. */
static const char *
one_field(struct job *job, const char *s)
{
	if (s == NULL)
		return "";
	if (strpbrk(s, "\t\n\r") == NULL)
		return s;
	char *t = arena_strdup(job->arena, s);
	for (char *p = t; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return t;
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

/*
 * Fingerprint of a statement, part by part: its text; its quote,
 * speaker and attribution; its sources with their quotes and locators
 * (as the fact file gives them: a locator check filled in is not the
 * analyst's edit); and extra, the rest of its fact.
 */
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
		if (c->locator.s && !c->locator_found)
			buf_puts(&b, c->locator.s);
		buf_putc(&b, ';');
	}
	const char *text[] = {st->text.s};
	const char *quote[] = {st->quote.s, st->speaker.s, st->attribution.s};
	const char *sources[] = {b.data ? b.data : ""};
	const char *rest[] = {extra};
	char out[4 * 9];
	digest(text, 1, out, 8);
	digest(quote, 3, out + 9, 8);
	digest(sources, 1, out + 18, 8);
	digest(rest, 1, out + 27, 8);
	out[8] = out[17] = out[26] = '.';
	buf_free(&b);
	return arena_strdup(job->arena, out);
}

/* A fact of statement st; key is unique but for a repeat, which
 * edition_facts() numbers. */
static void
add_stmt(struct job *job, struct facts *f, const char *kind, const char *key,
         const char *status, const struct stmt *st, const char *when,
         const char *extra)
{
	struct fact *x = push(job, f);
	x->kind = kind;
	x->key = key;
	x->status = status ? status : "";
	x->print = stmt_print(job, st, extra);
	x->label = label_of(job, st->text.s);
	x->when = one_field(job, when);
	x->st = st;
}

/* Facts by key, for matching two editions and numbering repeats: an
 * open-addressing table, so that tens of thousands are handled in linear
 * time.  A key given twice finds its first fact. */
struct fact_index {
	const struct fact **slot;
	size_t mask;
};

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

/* Adds x to ix unless its key is there; false if it was. */
static bool
index_add(struct fact_index *ix, const struct fact *x)
{
	size_t k = hash_slot_str(x->key, ix->mask);
	while (ix->slot[k] != NULL) {
		if (strcmp(ix->slot[k]->key, x->key) == 0)
			return false;
		k = (k + 1) & ix->mask;
	}
	ix->slot[k] = x;
	return true;
}

static void
index_facts(struct job *job, const struct facts *f, struct fact_index *ix)
{
	size_t n = 16;
	while (n < 2 * f->n)
		n *= 2;
	ix->slot = arena_array(job->arena, n, sizeof *ix->slot);
	ix->mask = n - 1;
	for (size_t i = 0; i < f->n; i++)
		index_add(ix, &f->v[i]);
}

/* Markdown's words without its marks, for a label: citations ("[@id,
 * para. 3]") and footnote references left out, emphasis, code and
 * heading marks dropped, lines joined. */
static const char *
plain_words(struct job *job, const char *md)
{
	char *out = arena_alloc(job->arena, strlen(md) + 1);
	size_t n = 0;
	bool line_start = true;
	for (const char *p = md; *p;) {
		if (p[0] == '[' && (p[1] == '@' || p[1] == '^' ||
		                    strncmp(p + 1, "-@", 2) == 0 ||
		                    strncmp(p + 1, "see @", 5) == 0)) {
			const char *e = strchr(p, ']');
			if (e != NULL) {
				p = e + 1;
				while (n > 0 && out[n - 1] == ' ' &&
				       strchr(".,;:", *p))
					n--;
				continue;
			}
		}
		if (line_start && (*p == '#' || *p == '>')) {
			p++;
			continue;
		}
		line_start = *p == '\n';
		char ch = *p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p;
		p++;
		if (strchr("*_`", ch) != NULL)
			continue;
		if (ch == ' ' && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = ch;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/* The paragraphs of md (blocks of lines between blank lines) as facts
 * of kind "commentary", in place where ("context", "call:ID"). */
static void
add_paragraphs(struct job *job, struct facts *f, const struct markdown *md,
               const char *where)
{
	const char *t = md->text;
	if (t == NULL || where == NULL)
		return;
	size_t len = md->len;
	for (size_t i = 0; i < len;) {
		/* Past blank lines, then to the next blank line. */
		while (i < len && (t[i] == '\n' || t[i] == '\r' ||
		                   t[i] == ' ' || t[i] == '\t'))
			i++;
		size_t e = i;
		while (e < len) {
			size_t nl = e;
			while (nl < len && t[nl] != '\n')
				nl++;
			size_t k = nl + 1;
			while (k < len &&
			       (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
				k++;
			e = nl;
			if (k >= len || t[k] == '\n')
				break;
			e = k;
		}
		if (e > i) {
			char *para = arena_strndup(job->arena, t + i, e - i);
			const char *parts[] = {para};
			char hex[9];
			digest(parts, 1, hex, 8);
			struct fact *x = push(job, f);
			x->kind = "commentary";
			x->key = arena_printf(job->arena, "commentary:%s#%s",
			                      where, hex);
			x->status = "";
			/* Only its text: a change is "wording revised". */
			x->print = arena_printf(
			    job->arena, "%s.00000000.00000000.00000000", hex);
			x->label = label_of(job, plain_words(job, para));
			x->when = "";
		}
		i = e + 1;
	}
}

/* 8 hex digits of text, for a key. */
static const char *
text_print(struct job *job, const char *text)
{
	char hex[9];
	digest(&text, 1, hex, 8);
	return arena_strdup(job->arena, hex);
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
		x->when = "";
	}
	/* Facts without an id: where they belong, then '#' and their text's
	 * fingerprint (a divergence, its topic). */
	for (size_t i = 0; i < m->ntimeline; i++) {
		const struct event *e = &m->timeline[i];
		add_stmt(
		    job, f, "event",
		    arena_printf(a, "event#%s", text_print(job, e->st.text.s)),
		    NULL, &e->st, e->date.s ? e->date.s : e->date_text.s, NULL);
	}
	for (size_t i = 0; i < m->ncalls; i++) {
		const struct call *c = &m->calls[i];
		for (size_t j = 0; j < c->nreadouts; j++) {
			const struct readout *r = &c->readouts[j];
			for (size_t k = 0; k < r->npoints; k++)
				add_stmt(
				    job, f, "readout point",
				    arena_printf(
				        a, "readout:%s:%s#%s", c->id.s,
				        r->party.id.s,
				        text_print(job, r->points[k].text.s)),
				    NULL, &r->points[k], NULL, NULL);
		}
		for (size_t j = 0; j < c->ndivergences; j++) {
			const struct divergence *d = &c->divergences[j];
			for (size_t k = 0; k < d->npositions; k++)
				add_stmt(job, f, "divergence",
				         arena_printf(
				             a, "divergence:%s:%s#%s", c->id.s,
				             d->positions[k].party.id.s,
				             one_field(job, d->topic.s)),
				         NULL, &d->positions[k].st, NULL, NULL);
		}
	}
	for (size_t i = 0; i < m->npreconditions; i++) {
		const struct precondition *p = &m->preconditions[i];
		add_stmt(job, f, "precondition",
		         arena_printf(a, "precondition:%s#%s", p->party.id.s,
		                      text_print(job, p->st.text.s)),
		         p->status.s, &p->st,
		         p->date.s ? p->date.s : p->date_text.s, NULL);
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
		const char *extra =
		    arena_printf(a, "%s|%s|%s|%s",
		                 b->alleged_by.id.s ? b->alleged_by.id.s : "",
		                 b->reported_by.s ? b->reported_by.s : "",
		                 b->accused.id.s, r.data ? r.data : "");
		buf_free(&r);
		add_stmt(job, f, "breach",
		         arena_printf(a, "breach:%s", b->id.s), b->status.s,
		         &b->st, b->date.s ? b->date.s : b->date_text.s, extra);
	}
	/* The commentary, paragraph by paragraph (blocks between blank
	 * lines), in its section, or its call: "commentary:context#PRINT",
	 * "commentary:call:ID#PRINT". */
	for (int s = 0; s < SECTION__MAX; s++) {
		const struct markdown *md = s == SECTION_SUMMARY
		                                ? &m->meta.summary
		                                : &m->meta.commentary[s];
		add_paragraphs(job, f, md, tmpl_section_names[s]);
	}
	for (size_t i = 0; i < m->ncalls; i++)
		add_paragraphs(job, f, &m->calls[i].commentary,
		               arena_printf(a, "call:%s", m->calls[i].id.s));
	/* The same text twice in one place: the second is "#2", ... */
	struct fact_index ix;
	size_t n = 16;
	while (n < 2 * f->n)
		n *= 2;
	ix.slot = arena_array(a, n, sizeof *ix.slot);
	ix.mask = n - 1;
	for (size_t i = 0; i < f->n; i++) {
		const char *key = f->v[i].key;
		for (int k = 2; !index_add(&ix, &f->v[i]); k++)
			f->v[i].key = arena_printf(a, "%s#%d", key, k);
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
		const char *fields[] = {x->kind,  x->key,   x->status,
		                        x->print, x->label, x->when};
		buf_puts(b, prefix);
		buf_puts(b, "fact");
		for (size_t k = 0; k < 6; k++) {
			buf_putc(b, '\t');
			buf_puts(b, fields[k]);
		}
		buf_putc(b, '\n');
	}
}

/* The state file's text. */
static void
state_text(struct buf *b, const struct facts *now, const struct facts *base,
           const struct facts *old, size_t nold)
{
	buf_puts(b, "briefing-state\t2\n");
	put_facts(b, now, "");
	if (base != NULL && base->edition != NULL)
		put_facts(b, base, "base-");
	for (size_t i = 0; i < nold; i++)
		put_facts(b, &old[i], "old-");
}

bool
edition_write(struct job *job, struct fileio_txn *txn, const struct facts *now,
              const struct facts *base, const struct facts *old, size_t nold,
              const char *path)
{
	struct buf b = {0};
	state_text(&b, now, base, old, nold);
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
             struct facts *cur, struct facts *prev, struct facts *old,
             size_t *nold, bool *found)
{
	memset(cur, 0, sizeof *cur);
	memset(prev, 0, sizeof *prev);
	*nold = 0;
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
	int version = 2;
	struct loc base_at = {path, 0, 0};
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
		}
		lineno++;
		char *fv[7];
		size_t n = fields(line, fv, 7);
		struct loc loc = {path, lineno, 1};
		bool base = strncmp(fv[0], "base-", 5) == 0;
		bool older = strncmp(fv[0], "old-", 4) == 0;
		const char *key = base ? fv[0] + 5 : older ? fv[0] + 4 : fv[0];
		/* Each earlier edition kept begins with its number. */
		if (older && strcmp(key, "edition") == 0) {
			if (*nold == EDITION_KEEP) {
				diag_error(
				    job->diag, loc,
				    "more than %d earlier editions in a "
				    "state file: not one this tool wrote",
				    EDITION_KEEP);
				return false;
			}
			memset(&old[*nold], 0, sizeof old[*nold]);
			old[(*nold)++].legacy = version == 1;
		}
		if (older && *nold == 0) {
			diag_error(job->diag, loc,
			           "unexpected line in a state file");
			return false;
		}
		struct facts *f = base ? prev : older ? &old[*nold - 1] : cur;
		if (lineno == 1) {
			if (n != 2 || strcmp(fv[0], "briefing-state") != 0 ||
			    (strcmp(fv[1], "1") != 0 &&
			     strcmp(fv[1], "2") != 0)) {
				diag_error(job->diag, loc,
				           "not a briefing state file (version "
				           "1 or 2)");
				return false;
			}
			version = fv[1][0] - '0';
			cur->legacy = prev->legacy = version == 1;
		} else if (n == 2 && strcmp(key, "edition") == 0) {
			if (!is_edition(fv[1])) {
				size_t l = strlen(fv[1]);
				diag_error(
				    job->diag,
				    (struct loc){path, lineno,
				                 9 + base * 5 + older * 4},
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
		} else if (n == 5 + (size_t)version &&
		           strcmp(key, "fact") == 0) {
			struct fact *x = push(job, f);
			x->kind = fv[1];
			x->key = fv[2];
			x->status = fv[3];
			x->print = fv[4];
			x->label = fv[5];
			x->when = version == 2 ? fv[6] : "";
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
 * Where a fact without an id belongs, for pairing a reworded one: its key
 * before the '#' ("readout:CALL:PARTY"); from a version 1 state file, its
 * key without the last part (the event's date and all).  NULL for a fact
 * with an id: it is matched by it alone.
 */
static const char *
group_of(struct job *job, const struct fact *x)
{
	const char *h = strchr(x->key, '#');
	if (h != NULL)
		return arena_strndup(job->arena, x->key, (size_t)(h - x->key));
	if (strcmp(x->kind, "event") == 0)
		return "event";
	if (strcmp(x->kind, "readout point") == 0 ||
	    strcmp(x->kind, "precondition") == 0) {
		const char *c = strrchr(x->key, ':');
		return arena_strndup(job->arena, x->key, (size_t)(c - x->key));
	}
	return NULL;
}

/* The words of s, lower-cased, each once, for likeness. */
static size_t
words_of(const char *s, char words[][24], size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		while (*s && !isalnum((unsigned char)*s) &&
		       !((unsigned char)*s & 0x80))
			s++;
		size_t k = 0;
		char w[24];
		while (*s && (isalnum((unsigned char)*s) ||
		              ((unsigned char)*s & 0x80))) {
			if (k < sizeof w - 1)
				w[k++] = (char)tolower((unsigned char)*s);
			s++;
		}
		w[k] = '\0';
		bool seen = k == 0;
		for (size_t i = 0; i < n && !seen; i++)
			seen = strcmp(words[i], w) == 0;
		if (!seen)
			memcpy(words[n++], w, k + 1);
	}
	return n;
}

/* How alike two labels are: twice the words they share over the words
 * of both (Dice), from 0 to 1. */
static double
likeness(const char *a, const char *b)
{
	char wa[32][24], wb[32][24];
	size_t na = words_of(a, wa, 32), nb = words_of(b, wb, 32), both = 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (strcmp(wa[i], wb[j]) == 0) {
				both++;
				break;
			}
	return na + nb ? 2.0 * (double)both / (double)(na + nb) : 0;
}

/* Labels at least this alike are one fact reworded. */
#define REWORDED 0.5
/* Past this many unmatched facts, rewording is not looked for: pairing
 * compares each with each. */
#define PAIR_MAX 2000

/* What changed between then and now, part by part; 0 when the prints do
 * not compare (a version 1 state file). */
static unsigned
what_changed(const struct fact *then, const struct fact *now, bool legacy)
{
	unsigned w = 0;
	if (strcmp(then->when, now->when) != 0 && !legacy)
		w |= CHANGED_WHEN;
	if (legacy || strlen(then->print) != 35 || strlen(now->print) != 35)
		return w; /* a source's print is one part */
	static const unsigned part[4] = {CHANGED_TEXT, CHANGED_QUOTE,
	                                 CHANGED_SOURCES, CHANGED_OTHER};
	for (int k = 0; k < 4; k++)
		if (memcmp(then->print + 9 * k, now->print + 9 * k, 8) != 0)
			w |= part[k];
	return w;
}

/* The change from then to now of one fact, or none (kind CHANGE__MAX). */
static struct change
compare(const struct fact *then, const struct fact *now, bool legacy)
{
	unsigned w = what_changed(then, now, legacy);
	if (strcmp(then->status, now->status) != 0)
		return (struct change){CHANGE_STATUS, now, then, w};
	/* From a version 1 state file, the prints differ in form: only a
	 * status says what changed. */
	if (w != 0 || (!legacy && strcmp(then->print, now->print) != 0))
		return (struct change){CHANGE_CHANGED, now, then, w};
	return (struct change){CHANGE__MAX, now, then, 0};
}

void
edition_diff(struct job *job, const struct facts *then, const struct facts *now,
             struct changes *c)
{
	memset(c, 0, sizeof *c);
	c->have_previous = true;
	c->since = then->edition ? then->edition : "?";
	c->legacy = then->legacy;
	size_t cap = now->n + then->n + 1, n = 0;
	c->v = arena_array(job->arena, cap, sizeof *c->v);
	struct fact_index ithen, inow;
	index_facts(job, then, &ithen);
	index_facts(job, now, &inow);
	/* A fact of now is matched by key, or else paired with the most
	 * alike unmatched fact of then in the same place: reworded. */
	const struct fact **pair =
	    arena_array(job->arena, now->n + 1, sizeof *pair);
	bool *taken = arena_array(job->arena, then->n + 1, sizeof *taken);
	size_t nlone_now = 0, nlone_then = 0;
	for (size_t i = 0; i < now->n; i++) {
		pair[i] = find(&ithen, now->v[i].key);
		nlone_now += pair[i] == NULL;
	}
	for (size_t i = 0; i < then->n; i++) {
		taken[i] = find(&inow, then->v[i].key) != NULL;
		nlone_then += !taken[i];
	}
	if (nlone_now > 0 && nlone_then > 0 &&
	    nlone_now + nlone_then <= PAIR_MAX) {
		const char **gthen =
		    arena_array(job->arena, then->n + 1, sizeof *gthen);
		for (size_t j = 0; j < then->n; j++)
			gthen[j] = taken[j] ? NULL : group_of(job, &then->v[j]);
		for (size_t i = 0; i < now->n; i++) {
			const struct fact *x = &now->v[i];
			const char *g = pair[i] ? NULL : group_of(job, x);
			size_t best = SIZE_MAX;
			double best_l = REWORDED;
			for (size_t j = 0; g && j < then->n; j++) {
				if (taken[j] || gthen[j] == NULL ||
				    strcmp(gthen[j], g) != 0 ||
				    strcmp(then->v[j].kind, x->kind) != 0)
					continue;
				double l = likeness(x->label, then->v[j].label);
				if (l >= best_l) {
					best_l = l;
					best = j;
				}
			}
			if (best != SIZE_MAX) {
				pair[i] = &then->v[best];
				taken[best] = true;
			}
		}
	}
	for (size_t i = 0; i < now->n; i++) {
		const struct fact *x = &now->v[i];
		if (pair[i] == NULL) {
			c->v[n++] = (struct change){CHANGE_ADDED, x, NULL, 0};
			continue;
		}
		struct change ch = compare(pair[i], x, then->legacy);
		if (ch.kind != CHANGE__MAX)
			c->v[n++] = ch;
	}
	for (size_t i = 0; i < then->n; i++)
		if (!taken[i])
			c->v[n++] = (struct change){CHANGE_REMOVED, NULL,
			                            &then->v[i], 0};
	c->n = n;
}
