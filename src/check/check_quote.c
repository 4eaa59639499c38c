/*
 * Check stage: quotes against archived copies of the articles.  Every
 * quote attributed to a source that names an archive must occur in that
 * archive.  Only line breaks, runs of white space and typographic variants
 * of quotation marks, apostrophes and dashes are tolerated; an ellipsis
 * (… or ...) in a quote marks an elision, and the parts around it must
 * occur in order.  A quote that is not found is an error with the
 * closest passage of the archive as a note.
 */
#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/mem.h"
#include "../base/path.h"
#include "../base/utf8.h"
#include "../job.h"
#include "../model.h"

/* Text reduced to what quote matching compares, with a map back. */
struct norm {
	char *s; /* normalised UTF-8 */
	size_t len;
	size_t *off; /* byte offset in the original of each byte of s */
};

struct archive {
	const struct source *src;
	const char *path; /* where it was read from, or NULL */
	const char *text; /* the original */
	struct norm n;
	size_t *para; /* where each paragraph starts in text */
	size_t npara;
	bool tried;
};

/*
 * Finding a failed quote's closest passage compares every character of
 * the quote with every character of the archive.  A stale archive with
 * hundreds of failed quotes would take minutes, so a run compares at most
 * this many pairs (about a second here); the quotes after that are still
 * reported, without a closest passage.
 */
#define CLOSEST_BUDGET 300000000u

/*
 * Looking for a quote reads its archive from the start up to the match,
 * all of it when the quote is not there: thousands of quotes failed
 * against a copy of 60 MB would read hundreds of gigabytes.  A run reads
 * at most this many bytes of archived text (about a second here); a quote
 * that could take it past them is not checked, with a warning.
 */
#define SEARCH_BUDGET ((uint64_t)4 << 30)

struct quotes {
	struct job *job;
	struct model *m;
	struct check_fixes *fixes; /* locators corrected, or NULL */
	struct archive *arch;      /* per source */
	size_t verified, unverified, failed;
	uint64_t compared; /* pairs closest() went through */
	uint64_t searched; /* bytes of archives find_quote() read */
	bool over_budget;  /* said that closest passages stop */
};

/* The character a typographic variant stands for, or cp itself. */
static uint32_t
fold(uint32_t cp)
{
	switch (cp) {
	case 0x201C:
	case 0x201D:
	case 0x201E:
	case 0x201F:
	case 0x00AB:
	case 0x00BB:
	case 0x2033:
		return '"';
	case 0x2018:
	case 0x2019:
	case 0x201A:
	case 0x201B:
	case 0x02BC:
	case 0x2032:
	case 0x0060:
	case 0x00B4:
		return '\'';
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2015:
	case 0x2212:
		return '-';
	default:
		return cp;
	}
}

static bool
is_white(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == 0x00A0 || cp == 0x2009 || cp == 0x202F || cp == 0x2002 ||
	       cp == 0x2003 || cp == 0x200A || cp == 0x2007 || cp == 0x2008 ||
	       cp == '\f' || cp == '\v';
}

/* Normalises text: variants folded, white space collapsed to a space. */
static struct norm
normalise(struct arena *a, const char *text, size_t len)
{
	struct norm n;
	n.s = arena_alloc(a, len + 1);
	n.off = arena_array(a, len + 1, sizeof *n.off);
	n.len = 0;
	bool space = true; /* drop leading white space */
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode(text + i, len - i, &cp);
		if (k == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		if (is_white(cp)) {
			if (!space) {
				n.off[n.len] = i;
				n.s[n.len++] = ' ';
			}
			space = true;
		} else {
			char buf[4];
			size_t m = utf8_encode(fold(cp), buf);
			for (size_t j = 0; j < m; j++) {
				n.off[n.len] = i;
				n.s[n.len++] = buf[j];
			}
			space = false;
		}
		i += k;
	}
	if (n.len > 0 && n.s[n.len - 1] == ' ')
		n.len--;
	n.off[n.len] = len;
	n.s[n.len] = '\0';
	return n;
}

/* Whether line s[0..n) holds nothing but white space. */
static bool
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Lines of text longer than this, in the middle, are paragraphs written
 * each on a line rather than text wrapped at a width [bytes]. */
#define UNWRAPPED 100

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/*
 * The paragraphs of an archived copy, as locators count them.  A copy
 * written a paragraph to a line (most of its lines not parted by blank
 * lines, and those lines long, not wrapped) has one per line of text;
 * any other, one per block of lines between blank lines.  Sets ar->para.
 */
static void
paragraphs(struct arena *a, struct archive *ar, size_t len)
{
	/* The lines of text: where each starts, its length, and whether a
	 * blank line (or the start) comes before it. */
	struct line {
		size_t at, len;
		bool first;
	};
	const char *t = ar->text;
	size_t n = 0, cap = 64, nblocks = 0;
	struct line *l = mem_alloc(cap, sizeof *l);
	bool after_blank = true;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && t[e] != '\n')
			e++;
		if (blank(t + i, e - i)) {
			after_blank = true;
		} else {
			if (n == cap)
				l = mem_realloc(l, cap *= 2, sizeof *l);
			l[n++] = (struct line){i, e - i, after_blank};
			nblocks += after_blank;
			after_blank = false;
		}
		i = e + 1;
	}
	size_t *sizes = mem_alloc(n ? n : 1, sizeof *sizes);
	for (size_t k = 0; k < n; k++)
		sizes[k] = l[k].len;
	qsort(sizes, n, sizeof *sizes, cmp_size);
	bool by_line = n > 0 && 2 * nblocks < n && sizes[n / 2] > UNWRAPPED;
	free(sizes);
	ar->para = arena_array(a, n ? n : 1, sizeof *ar->para);
	ar->npara = 0;
	for (size_t k = 0; k < n; k++)
		if (by_line || l[k].first)
			ar->para[ar->npara++] = l[k].at;
	free(l);
}

/* The paragraph (from 1) that byte off of the archive's text is in. */
static int
para_at(const struct archive *ar, size_t off)
{
	size_t lo = 0, hi = ar->npara;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ar->para[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? (int)lo : 1;
}

static struct archive *
archive_of(struct quotes *q, const struct source *src)
{
	struct archive *ar = &q->arch[src - q->m->sources];
	if (ar->tried)
		return ar->text ? ar : NULL;
	ar->tried = true;
	ar->src = src;
	if (src->archive.s == NULL)
		return NULL;
	struct job *job = q->job;
	const char *path = src->archive_path;
	if (src->archive_outside) {
		diag_error(job->diag, src->archive.loc,
		           "\"%s\" is outside the %s (pass --allow-outside to "
		           "read it)",
		           src->archive.s,
		           job->archive_dir ? "archive directory"
		                            : "fact file's directory");
		return NULL;
	}
	char *text;
	size_t len;
	struct stat st;
	if (job->archive_dir == NULL && stat(path, &st) != 0) {
		/* Without --archive-dir a missing copy only means its quotes
		 * go unverified (check --verbose lists them).  What is there
		 * is read, or refused when it is no regular file, without
		 * opening it: a FIFO would wait for a writer. */
		return NULL;
	}
	if (!fileio_read(job->arena, job->diag, &src->archive.loc, path, &text,
	                 &len))
		return NULL;
	if (utf8_check(text, len) < len) {
		diag_error(job->diag, src->archive.loc,
		           "archive \"%s\" is not valid UTF-8 text", path);
		return NULL;
	}
	ar->path = path;
	ar->text = text;
	ar->n = normalise(job->arena, text, len);
	paragraphs(job->arena, ar, len);
	return ar;
}

/* Text with each run of white space reduced to one space. */
static const char *
one_line(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		bool white =
		    s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
		if (white && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = white ? ' ' : s[i];
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/*
 * Whether normalised text holds a letter or a digit: an ASCII one, or any
 * character outside the Latin-1 punctuation and the punctuation and
 * symbol blocks (U+2000-U+2BFF, U+3000-U+303F).
 */
static bool
has_words(const struct norm *n)
{
	for (size_t i = 0; i < n->len;) {
		uint32_t cp;
		size_t k = utf8_decode(n->s + i, n->len - i, &cp);
		if (k == 0)
			return true;
		i += k;
		if (cp < 0x80
		        ? isalnum((int)cp) != 0
		        : !((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 ||
		            cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
		            (cp >= 0x3000 && cp <= 0x303F)))
			return true;
	}
	return false;
}

/*
 * Splits at elisions (… or ...) and looks for the parts in order; adds
 * the bytes of hay it read to *searched, and sets [*at, *end) to where
 * the quote is in it.
 */
static bool
find_quote(const struct norm *hay, const struct norm *q, uint64_t *searched,
           size_t *at, size_t *end)
{
	size_t from = 0, i = 0;
	bool first = true;
	while (i < q->len) {
		const char *p = q->s + i;
		const char *e1 = strstr(p, "\xE2\x80\xA6");
		const char *e2 = strstr(p, "...");
		const char *e = e1 && (!e2 || e1 < e2) ? e1 : e2;
		size_t plen = e ? (size_t)(e - p) : q->len - i;
		/* Trim the spaces an elision leaves. */
		size_t s0 = 0, s1 = plen;
		while (s0 < s1 && p[s0] == ' ')
			s0++;
		while (s1 > s0 && p[s1 - 1] == ' ')
			s1--;
		if (s1 > s0) {
			char *part = strndup(p + s0, s1 - s0);
			if (part == NULL)
				return false;
			const char *hit = strstr(hay->s + from, part);
			free(part);
			size_t to =
			    hit ? (size_t)(hit - hay->s) + (s1 - s0) : hay->len;
			*searched += to - from;
			if (hit == NULL)
				return false;
			if (first)
				*at = (size_t)(hit - hay->s);
			first = false;
			*end = to;
			from = to;
		}
		i += plen + (e == NULL ? 0 : e == e1 ? 3 : 3);
	}
	return true;
}

/*
 * The passage of hay closest to q by edit distance (Sellers' algorithm):
 * sets *start and *end to byte offsets in hay's normalised text.
 */
static void
closest(const struct norm *hay, const struct norm *q, size_t *start,
        size_t *end)
{
	size_t m = q->len, n = hay->len;
	size_t *cost = mem_alloc(m + 1, sizeof *cost);
	size_t *from = mem_alloc(m + 1, sizeof *from);
	size_t *pcost = mem_alloc(m + 1, sizeof *pcost);
	size_t *pfrom = mem_alloc(m + 1, sizeof *pfrom);
	*start = *end = 0;
	for (size_t i = 0; i <= m; i++) {
		pcost[i] = i;
		pfrom[i] = 0;
	}
	size_t best = pcost[m];
	for (size_t j = 1; j <= n; j++) {
		cost[0] = 0; /* a match may start anywhere */
		from[0] = j;
		for (size_t i = 1; i <= m; i++) {
			size_t sub =
			    pcost[i - 1] + (q->s[i - 1] != hay->s[j - 1]);
			size_t sf = pfrom[i - 1];
			size_t del = pcost[i] + 1, ins = cost[i - 1] + 1;
			if (sub <= del && sub <= ins) {
				cost[i] = sub;
				from[i] = sf;
			} else if (del <= ins) {
				cost[i] = del;
				from[i] = pfrom[i];
			} else {
				cost[i] = ins;
				from[i] = from[i - 1];
			}
		}
		if (cost[m] < best) {
			best = cost[m];
			*start = from[m];
			*end = j;
		}
		size_t *t = pcost;
		pcost = cost;
		cost = t;
		t = pfrom;
		pfrom = from;
		from = t;
	}
	free(cost), free(from), free(pcost), free(pfrom);
}

/*
 * Verifies quote against src's archived copy; where it is found, widens
 * paragraphs [*p0, *p1] (0 0: none yet) to the ones it is in.
 */
static void
verify(struct quotes *q, const struct str *quote, const struct source *src,
       int *p0, int *p1)
{
	struct job *job = q->job;
	struct archive *ar = archive_of(q, src);
	if (ar == NULL) {
		q->unverified++;
		if (job->verbose)
			diag_note(job->diag, quote->loc,
			          "quote not verified: source \"%s\" has %s",
			          src->id.s,
			          src->archive.s ? "no archived copy at hand"
			                         : "no archive");
		return;
	}
	struct norm nq = normalise(job->arena, quote->s, strlen(quote->s));
	if (!has_words(&nq)) {
		/* Every part between elisions is empty: it would match any
		 * archive. */
		q->failed++;
		diag_error(
		    job->diag, quote->loc,
		    "quote has no words to look for in the archived copy "
		    "of source \"%s\": it is only elisions, spaces or "
		    "punctuation",
		    src->id.s);
		return;
	}
	if (q->searched + ar->n.len > SEARCH_BUDGET) {
		q->unverified++;
		diag_warning(
		    job->diag, quote->loc,
		    "quote not checked against the archived copy of "
		    "source \"%s\": a run searches at most 4 GiB of "
		    "archived text, and the quotes before it took that",
		    src->id.s);
		return;
	}
	size_t at = 0, end = 0;
	if (find_quote(&ar->n, &nq, &q->searched, &at, &end)) {
		q->verified++;
		int a = para_at(ar, ar->n.off[at]);
		int b = para_at(ar, ar->n.off[end > at ? end - 1 : at]);
		if (*p0 == 0 || a < *p0)
			*p0 = a;
		if (b > *p1)
			*p1 = b;
		return;
	}
	q->failed++;
	diag_error(job->diag, quote->loc,
	           "quote not found in the archived copy of source \"%s\"",
	           src->id.s);
	uint64_t pairs = (uint64_t)nq.len * ar->n.len;
	if (q->compared + pairs > CLOSEST_BUDGET) {
		if (!q->over_budget)
			diag_note(job->diag, quote->loc,
			          "closest passages are not looked for from "
			          "here on: the failed quotes and their "
			          "archives are too long to compare in time");
		q->over_budget = true;
		return;
	}
	q->compared += pairs;
	size_t s, e;
	closest(&ar->n, &nq, &s, &e);
	if (e > s) {
		size_t os = ar->n.off[s], oe = ar->n.off[e];
		size_t tlen = strlen(ar->text);
		/* Extend to the end of the last character. */
		while (oe < tlen &&
		       ((unsigned char)ar->text[oe] & 0xC0) == 0x80)
			oe++;
		diag_note(job->diag, diag_offset_loc(ar->path, ar->text, os),
		          "closest passage: \"%s\"",
		          one_line(job->arena, ar->text + os, oe - os));
	}
}

/* Paragraph ranges of a locator such as "paras. 3, 8–9". */
struct paras {
	int n;
	int from[16], to[16];
};

/* Reads a "para. N" or "paras. N–M, K" locator; false for any other. */
static bool
parse_paras(const char *s, struct paras *out)
{
	out->n = 0;
	if (strncmp(s, "paras. ", 7) == 0)
		s += 7;
	else if (strncmp(s, "para. ", 6) == 0)
		s += 6;
	else
		return false;
	for (;;) {
		char *e;
		long a = strtol(s, &e, 10);
		if (e == s || a < 1 || a > 100000 || out->n == 16)
			return false;
		long b = a;
		s = e;
		if (strncmp(s, "\u2013", 3) == 0 || *s == '-') {
			s += *s == '-' ? 1 : 3;
			b = strtol(s, &e, 10);
			if (e == s || b < a || b > 100000)
				return false;
			s = e;
		}
		out->from[out->n] = (int)a;
		out->to[out->n++] = (int)b;
		if (*s == '\0')
			return true;
		if (strncmp(s, ", ", 2) != 0)
			return false;
		s += 2;
	}
}

/* Whether paragraphs [a, b] are all within the locator's ranges. */
static bool
covers(const struct paras *p, int a, int b)
{
	for (int k = a; k <= b; k++) {
		bool in = false;
		for (int i = 0; i < p->n && !in; i++)
			in = p->from[i] <= k && k <= p->to[i];
		if (!in)
			return false;
	}
	return true;
}

/* The locator of paragraphs [a, b] with the ranges of p (none: NULL),
 * merged and in order: "para. 9", "paras. 7, 9–10". */
static const char *
paras_text(struct arena *ar, const struct paras *p, int a, int b)
{
	int lo = a, hi = b;
	for (int i = 0; p && i < p->n; i++) {
		if (p->from[i] < lo)
			lo = p->from[i];
		if (p->to[i] > hi)
			hi = p->to[i];
	}
	struct buf t = {0};
	int groups = 0, start = 0;
	bool several = false;
	for (int k = lo; k <= hi + 1; k++) {
		bool in = k <= hi && a <= k && k <= b;
		for (int i = 0; p && i < p->n && !in && k <= hi; i++)
			in = p->from[i] <= k && k <= p->to[i];
		if (in && start == 0)
			start = k;
		if (in || start == 0)
			continue;
		if (groups++ > 0)
			buf_puts(&t, ", ");
		if (start == k - 1)
			buf_printf(&t, "%d", start);
		else
			buf_printf(&t, "%d\u2013%d", start, k - 1);
		several |= groups > 1 || start != k - 1;
		start = 0;
	}
	char *list = buf_finish(&t, ar);
	buf_free(&t);
	return arena_printf(ar, "%s %s", several ? "paras." : "para.", list);
}

/*
 * A locator set against where the statement's quotes are in the archived
 * copy, paragraphs [a, b]: none is taken from there; a paragraph
 * locator that leaves them out is a warning, with one that covers them.
 */
static void
check_locator(struct quotes *q, struct cite *ci, int a, int b,
              struct loc quote_loc)
{
	struct job *job = q->job;
	if (ci->locator.s == NULL) {
		ci->locator = (struct str){paras_text(job->arena, NULL, a, b),
		                           quote_loc, false};
		ci->locator_found = true;
		return;
	}
	struct paras p;
	if (!parse_paras(ci->locator.s, &p) || covers(&p, a, b))
		return;
	const char *where = paras_text(job->arena, NULL, a, b);
	const char *fixed = paras_text(job->arena, &p, a, b);
	diag_warning(job->diag, ci->locator.loc,
	             "the quote is in %s of the archived copy of source "
	             "\"%s\", which the locator \"%s\" leaves out; \"%s\" "
	             "covers it",
	             where, ci->src->id.s, ci->locator.s, fixed);
	if (q->fixes != NULL) {
		struct check_fixes *f = q->fixes;
		if (f->n == f->cap)
			f->v =
			    mem_realloc(f->v, f->cap = f->cap ? 2 * f->cap : 16,
			                sizeof *f->v);
		f->v[f->n++] =
		    (struct check_fix){ci->locator.loc, ci->locator.s, fixed};
	}
}

static void
stmt_quotes(struct quotes *q, struct stmt *st)
{
	for (size_t i = 0; i < st->ncites; i++) {
		struct cite *ci = &st->cites[i];
		if (ci->src == NULL)
			continue;
		/* A statement's quote is attributed to each of its sources. */
		int a = 0, b = 0;
		if (st->quote.s)
			verify(q, &st->quote, ci->src, &a, &b);
		if (ci->quote.s)
			verify(q, &ci->quote, ci->src, &a, &b);
		if (a > 0)
			check_locator(q, ci, a, b,
			              ci->quote.s ? ci->quote.loc
			                          : st->quote.loc);
	}
}

bool
check_quotes(struct job *job, struct model *m, struct quote_counts *counts,
             struct check_fixes *fixes)
{
	size_t before =
	    job->diag->count[DIAG_ERROR] + job->diag->count[DIAG_SYSTEM];
	struct quotes q = {.job = job, .m = m, .fixes = fixes};
	q.arch = arena_array(job->arena, m->nsources ? m->nsources : 1,
	                     sizeof *q.arch);
	for (size_t i = 0; i < m->ntimeline; i++)
		stmt_quotes(&q, &m->timeline[i].st);
	for (size_t i = 0; i < m->ncalls; i++) {
		const struct call *c = &m->calls[i];
		for (size_t j = 0; j < c->nreadouts; j++)
			for (size_t k = 0; k < c->readouts[j].npoints; k++)
				stmt_quotes(&q, &c->readouts[j].points[k]);
		for (size_t j = 0; j < c->ndivergences; j++)
			for (size_t k = 0; k < c->divergences[j].npositions;
			     k++)
				stmt_quotes(&q,
				            &c->divergences[j].positions[k].st);
	}
	for (size_t i = 0; i < m->npreconditions; i++)
		stmt_quotes(&q, &m->preconditions[i].st);
	for (size_t i = 0; i < m->nbreaches; i++) {
		stmt_quotes(&q, &m->breaches[i].st);
		for (size_t j = 0; j < m->breaches[i].nresponses; j++)
			stmt_quotes(&q, &m->breaches[i].responses[j].st);
	}
	counts->verified = q.verified;
	counts->unverified = q.unverified;
	counts->failed = q.failed;
	return job->diag->count[DIAG_ERROR] + job->diag->count[DIAG_SYSTEM] ==
	       before;
}

/* Lines of context around each change in the diff, as diff -u gives. */
#define DIFF_CONTEXT 3

static int
cmp_fix(const void *a, const void *b)
{
	const struct check_fix *x = a, *y = b;
	return (x->at.line > y->at.line) - (x->at.line < y->at.line);
}

bool
check_fix_diff(struct job *job, const char *path,
               const struct check_fixes *fixes, FILE *out)
{
	if (fixes->n == 0)
		return true;
	char *text;
	size_t len;
	if (!fileio_read(job->arena, job->diag, NULL, path, &text, &len))
		return false;
	/* The file's lines, each with its line feed. */
	size_t nlines = 0, cap = 64;
	const char **line = mem_alloc(cap, sizeof *line);
	size_t *llen = mem_alloc(cap, sizeof *llen);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (nlines == cap) {
			line = mem_realloc(line, cap *= 2, sizeof *line);
			llen = mem_realloc(llen, cap, sizeof *llen);
		}
		line[nlines] = text + i;
		llen[nlines++] = e - i + (e < len);
		i = e + 1;
	}
	struct check_fix *fx = mem_alloc(fixes->n, sizeof *fx);
	memcpy(fx, fixes->v, fixes->n * sizeof *fx);
	qsort(fx, fixes->n, sizeof *fx, cmp_fix);
	/* Each fixed line: the old value replaced where it stands. */
	const char **fixed = mem_zalloc(nlines + 1, sizeof *fixed);
	for (size_t k = 0; k < fixes->n; k++) {
		size_t l = fx[k].at.line;
		if (l == 0 || l > nlines)
			continue;
		const char *base = fixed[l - 1] ? fixed[l - 1] : line[l - 1];
		size_t blen = fixed[l - 1] ? strlen(base) : llen[l - 1];
		char *copy = arena_strndup(job->arena, base, blen);
		char *at = strstr(copy, fx[k].old);
		if (at == NULL)
			continue; /* written with escapes: not found as is */
		fixed[l - 1] =
		    arena_printf(job->arena, "%.*s%s%s", (int)(at - copy), copy,
		                 fx[k].new, at + strlen(fx[k].old));
	}
	fprintf(out, "--- %s\n+++ %s\n", path, path);
	for (size_t l = 0; l < nlines;) {
		if (fixed[l] == NULL) {
			l++;
			continue;
		}
		/* A hunk: the changed lines near each other, with context. */
		size_t from = l > DIFF_CONTEXT ? l - DIFF_CONTEXT : 0, to = l;
		for (size_t k = l; k < nlines && k <= to + 2 * DIFF_CONTEXT;
		     k++)
			if (fixed[k] != NULL)
				to = k;
		size_t end = to + DIFF_CONTEXT + 1 < nlines
		                 ? to + DIFF_CONTEXT + 1
		                 : nlines;
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", from + 1, end - from,
		        from + 1, end - from);
		for (size_t k = from; k < end; k++) {
			bool nl = llen[k] > 0 && line[k][llen[k] - 1] == '\n';
			if (fixed[k] == NULL) {
				fprintf(
				    out, " %.*s%s", (int)llen[k], line[k],
				    nl ? ""
				       : "\n\\ No newline at end of file\n");
				continue;
			}
			fprintf(out, "-%.*s%s", (int)llen[k], line[k],
			        nl ? "" : "\n\\ No newline at end of file\n");
			fprintf(out, "+%s%s", fixed[k],
			        nl ? "" : "\n\\ No newline at end of file\n");
		}
		l = end;
	}
	free(fixed);
	free(fx);
	free(line);
	free(llen);
	return true;
}
