/*
 * Compose stage: citations.  Finds Pandoc-style citation groups in text
 * and writes the footnotes for sources: the full reference the first time
 * a source is cited, a short form after that.
 */
#include "compose.h"
#include "compose_int.h"

#include <ctype.h>
#include <string.h>

#include "../base/utf8.h"

static bool
is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' ||
	       c == ':' || c == '/';
}

/*
 * The end of the key that starts at s[i]: key characters, and characters
 * that show nothing among them, so that a key holding a zero-width space
 * is reported rather than left as text.
 */
static size_t
key_end(const char *s, size_t len, size_t i)
{
	while (i < len) {
		uint32_t cp;
		size_t n;
		if (is_key_char(s[i]))
			i++;
		else if ((unsigned char)s[i] >= 0x80 &&
		         (n = utf8_decode(s + i, len - i, &cp)) > 0 &&
		         utf8_invisible(cp) != NULL)
			i += n;
		else
			break;
	}
	return i;
}

/* The length of key[0..n) without the punctuation that ends a sentence:
 * "[@a.]" and "@a." cite "a". */
static size_t
trim_key(const char *key, size_t n)
{
	while (n > 0 && strchr(".:/", key[n - 1]) != NULL)
		n--;
	return n;
}

static bool
is_space(char c)
{
	return isspace((unsigned char)c) != 0;
}

/* s[b..e) without the white space around it: its start, and *n bytes. */
static const char *
trimmed(const char *s, size_t b, size_t e, size_t *n)
{
	while (b < e && is_space(s[b]))
		b++;
	while (e > b && is_space(s[e - 1]))
		e--;
	*n = e - b;
	return e > b ? s + b : NULL;
}

/*
 * Parses one item, s[b..e): a prefix, "@" (or "-@" to leave the author
 * out) at the start of a word, the key, and a locator after a comma or a
 * space.  False if it holds no such "@key".
 */
static bool
parse_item(const char *s, size_t b, size_t e, struct cite_item *it)
{
	size_t at = b;
	for (; at < e; at++) {
		if (s[at] != '@')
			continue;
		size_t w = at > b && s[at - 1] == '-' ? at - 1 : at;
		if (w == b || is_space(s[w - 1]))
			break;
	}
	if (at >= e)
		return false;
	size_t k = at + 1, i = key_end(s, e, k);
	size_t klen = trim_key(s + k, i - k);
	if (klen == 0)
		return false;
	bool suppress = at > b && s[at - 1] == '-';
	*it = (struct cite_item){
	    .key = s + k, .keylen = klen, .suppress_author = suppress};
	it->prefix = trimmed(s, b, suppress ? at - 1 : at, &it->prelen);
	size_t j = i;
	while (j < e && is_space(s[j]))
		j++;
	if (j < e && s[j] == ',')
		j++;
	else if (j < e && j == i)
		return false; /* "@key" runs on into other text */
	it->locator = trimmed(s, j, e, &it->loclen);
	return true;
}

/* Parses the inside of "[...]"; false if it is not a citation group. */
static bool
parse_group(const char *s, size_t len, struct cite_group *g)
{
	g->nitems = 0;
	g->nkeys = 0;
	size_t b = 0;
	do { /* "[@a;]" ends at its ';' */
		const char *semi = memchr(s + b, ';', len - b);
		size_t e = semi ? (size_t)(semi - s) : len;
		/* Items past the limit are parsed, counted and dropped. */
		struct cite_item spare;
		struct cite_item *it =
		    g->nitems < CITE_MAX_ITEMS ? &g->items[g->nitems] : &spare;
		if (!parse_item(s, b, e, it))
			return false;
		g->nitems += g->nitems < CITE_MAX_ITEMS;
		g->nkeys++;
		b = e + 1;
	} while (b < len);
	return g->nitems > 0;
}

bool
compose_find_cite(const char *text, size_t len, size_t from,
                  struct cite_group *g)
{
	for (size_t i = from; i < len; i++) {
		if (text[i] != '[')
			continue;
		const char *close = memchr(text + i, ']', len - i);
		if (close == NULL)
			return false;
		size_t end = (size_t)(close - text) + 1;
		/* Only the innermost brackets can be a group: go on from the
		 * last "[" before this "]", so nested brackets cost one
		 * pass. */
		size_t last = i;
		for (size_t j = i + 1; j < end - 1; j++)
			if (text[j] == '[')
				last = j;
		if (last != i) {
			i = last - 1;
			continue;
		}
		if (memchr(text + i + 1, '@', end - i - 2) != NULL &&
		    parse_group(text + i + 1, end - i - 2, g)) {
			g->start = i;
			g->end = end;
			return true;
		}
		i = end - 1;
	}
	return false;
}

bool
compose_find_bare_cite(const char *text, size_t len, size_t from, size_t *at,
                       const char **key, size_t *keylen)
{
	for (size_t i = from; i < len; i++) {
		const char *p = memchr(text + i, '@', len - i);
		if (p == NULL)
			return false;
		i = (size_t)(p - text);
		unsigned char before = i > 0 ? (unsigned char)text[i - 1] : ' ';
		/* After a letter, a digit or a non-ASCII character the "@" is
		 * inside a word, such as an e-mail address. */
		if (before >= 0x80 || isalnum(before) || strchr("_.@", before))
			continue;
		size_t e = key_end(text, len, i + 1);
		size_t n = trim_key(text + i + 1, e - i - 1);
		if (n == 0)
			continue;
		*at = i;
		*key = text + i + 1;
		*keylen = n;
		return true;
	}
	return false;
}

const char *
compose_date(struct composer *c, const char *iso)
{
	if (iso == NULL || strlen(iso) < 10)
		return iso;
	int y = 0, m = 0, d = 0;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (iso[i] - '0');
	m = (iso[5] - '0') * 10 + (iso[6] - '0');
	d = (iso[8] - '0') * 10 + (iso[9] - '0');
	if (m < 1 || m > 12)
		return iso;
	struct arena *a = c->job->arena;
	return tmpl_fill(
	    a, tmpl_str(c->t, STR_DATE), "day", arena_printf(a, "%d", d), "dd",
	    arena_printf(a, "%02d", d), "month",
	    tmpl_list(c->t, LIST_MONTHS, m - 1), "mm",
	    arena_printf(a, "%02d", m), "year", arena_printf(a, "%d", y), NULL);
}

/* "Iryna Perepechko" -> "Perepechko"; other authors as written. */
static const char *
surname(struct composer *c, const char *author)
{
	const char *sp = strrchr(author, ' ');
	if (sp == NULL || strchr(author, ',') != NULL ||
	    strstr(author, "news desk") != NULL ||
	    strstr(author, " desk") != NULL)
		return author;
	return arena_strdup(c->job->arena, sp + 1);
}

/* The first words of a title, for short references. */
static const char *
short_title(struct composer *c, const char *title)
{
	int words = 0;
	for (const char *p = title; *p; p++) {
		if (*p == ' ' && ++words == 6)
			return arena_printf(c->job->arena, "%.*s…",
			                    (int)(p - title), title);
	}
	return title;
}

/* The template's words for id. */
static const char *
S(const struct composer *c, enum tmpl_str id)
{
	return tmpl_str(c->t, id);
}

static void
note_text(struct composer *c, struct doc_note *n, const char *s, unsigned flags,
          struct loc loc)
{
	doc_note_add_run(c->job->arena, n, s, flags, loc);
}

/*
 * Appends the reference for src to note n: full or short form, without
 * its author (or the outlet that stands for one) when suppress_author.
 */
static void
note_source(struct composer *c, struct doc_note *n, const struct source *src,
            const char *locator, const char *quote, bool suppress_author,
            struct loc loc)
{
	struct arena *a = c->job->arena;
	size_t idx = (size_t)(src - c->m->sources);
	bool first = !c->source_seen[idx];
	c->source_seen[idx] = true;
	struct doc_ref *ref = &c->doc->refs[idx];
	if (ref->n == 0 || ref->notes[ref->n - 1] != n->num) {
		if (ref->n == ref->cap) {
			size_t ncap = ref->cap ? ref->cap * 2 : 4;
			ref->notes = arena_grow(a, ref->notes, ref->n, ncap,
			                        sizeof *ref->notes);
			ref->cap = ncap;
		}
		ref->notes[ref->n++] = n->num;
	}
	if (c->source_first_note[idx] == 0)
		c->source_first_note[idx] = n->num;

	if (first) {
		if (src->author.s && !suppress_author)
			note_text(c, n, arena_printf(a, "%s, ", src->author.s),
			          0, loc);
		note_text(
		    c, n,
		    arena_printf(a, "%s, ",
		                 src->title.s
		                     ? tmpl_fill(a, S(c, STR_NOTE_TITLE),
		                                 "title", src->title.s, NULL)
		                     : tmpl_fill(a, S(c, STR_NOTE_UNTITLED),
		                                 "id", src->id.s, NULL)),
		    0, loc);
		note_text(c, n,
		          src->outlet.s ? src->outlet.s
		                        : S(c, STR_NOTE_OUTLET_NOT_STATED),
		          src->outlet.s ? RUN_ITALIC : 0, loc);
		note_text(c, n,
		          arena_printf(a, ", %s",
		                       src->date.s
		                           ? compose_date(c, src->date.s)
		                           : S(c, STR_NOTE_UNDATED)),
		          0, loc);
		if (src->url.s) {
			note_text(c, n, ", ", 0, loc);
			struct doc_run *r =
			    doc_note_add_run(a, n, src->url.s, RUN_NOHYPH, loc);
			r->uri = src->url.s;
		}
	} else {
		const char *who = src->author.s   ? surname(c, src->author.s)
		                  : src->outlet.s ? src->outlet.s
		                                  : NULL;
		if (who && !suppress_author)
			note_text(c, n, arena_printf(a, "%s, ", who), 0, loc);
		note_text(c, n,
		          src->title.s
		              ? tmpl_fill(a, S(c, STR_NOTE_TITLE), "title",
		                          short_title(c, src->title.s), NULL)
		              : tmpl_fill(a, S(c, STR_NOTE_UNTITLED), "id",
		                          src->id.s, NULL),
		          0, loc);
		note_text(
		    c, n,
		    tmpl_fill(a, S(c, STR_NOTE_FIRST), "n",
		              arena_printf(a, "%u", c->source_first_note[idx]),
		              NULL),
		    0, loc);
	}
	if (locator)
		note_text(c, n, arena_printf(a, ", %s", locator), 0, loc);
	if (quote)
		note_text(
		    c, n,
		    tmpl_fill(a, S(c, STR_NOTE_QUOTE), "text", quote, NULL), 0,
		    loc);
}

void
compose_note_source(struct composer *c, struct doc_note *n,
                    const struct source *src, const char *locator,
                    const char *quote, struct loc loc)
{
	note_source(c, n, src, locator, quote, false, loc);
}

void
compose_note_cited(struct composer *c, struct doc_note *n,
                   const struct source *src, const struct cite_item *it,
                   struct loc loc)
{
	struct arena *a = c->job->arena;
	if (it->prefix != NULL)
		note_text(c, n,
		          arena_printf(a, "%.*s ", (int)it->prelen, it->prefix),
		          0, loc);
	const char *locator =
	    it->locator ? arena_strndup(a, it->locator, it->loclen) : NULL;
	note_source(c, n, src, locator, NULL, it->suppress_author, loc);
}

void
compose_note_end(struct composer *c, struct doc_note *n, struct loc loc)
{
	if (n->nruns > 0) {
		const char *t = n->runs[n->nruns - 1].text;
		size_t len = strlen(t);
		/* Step back over closing quotation marks (” and ’, 3 bytes). */
		while (len >= 3 && (strncmp(t + len - 3, "\u201d", 3) == 0 ||
		                    strncmp(t + len - 3, "\u2019", 3) == 0))
			len -= 3;
		if (len > 0 && strchr(".!?", t[len - 1]) != NULL)
			return;
	}
	doc_note_add_run(c->job->arena, n, ".", 0, loc);
}
