/*
 * Compose stage: Markdown commentary.  cmark-gfm parses the file with
 * GitHub's extensions (tables, footnotes, strikethrough, autolinks); this
 * walks its tree, copies text out (cmark's strings die with its tree),
 * turns Pandoc-style citations into footnote markers and the analyst's
 * own footnotes into notes of the same series.
 */
#include "compose.h"
#include "compose_int.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/lang.h"
#include "../base/fileio.h"
#include "../base/path.h"
#include "../base/uri.h"

/* Lists and quotations nested deeper than this are flattened. */
#define MD_MAX_DEPTH 8

/* The extensions' nodes this file looks for (cmark-gfm types them at run
 * time); a table's rows and cells are walked as its children. */
enum md_ext { MD_NONE, MD_TABLE, MD_STRIKE };

static enum md_ext
md_ext(cmark_node *n)
{
	if (cmark_node_get_syntax_extension(n) == NULL)
		return MD_NONE;
	const char *t = cmark_node_get_type_string(n);
	return strcmp(t, "table") == 0           ? MD_TABLE
	       : strcmp(t, "strikethrough") == 0 ? MD_STRIKE
	                                         : MD_NONE;
}

struct mdwalk {
	struct composer *c;
	const struct markdown *md;
	const char *src;  /* the Markdown text */
	size_t *line_off; /* byte offset of each line start, 1-based index */
	size_t nlines;
	bool ok;
	bool warned_depth;      /* the nesting limit was reported */
	size_t search_from;     /* where to look for the next citation key */
	size_t search_to;       /* and where to stop: the end of its block */
	int col_line, col_byte; /* md_loc()'s last position: line, byte */
	uint32_t col_chars;     /* and the column it found there */
	cmark_node **defs;      /* footnote definitions, in cmark's numbering */
	uint32_t *def_note; /* the note each became, 0 before its first use */
	size_t ndefs;
	struct doc_note *note; /* the note a definition is being set in */
};

/* Appends a run to the paragraph being filled, or to the note while a
 * footnote's definition is set. */
static struct doc_run *
put_run(struct mdwalk *w, struct doc_node *para, const char *text,
        unsigned flags, struct loc loc)
{
	if (w->note != NULL)
		return doc_note_add_run(&w->c->runs, w->note, text, flags, loc);
	return doc_add_run(&w->c->runs, para, text, flags, loc);
}

static struct loc
md_loc(struct mdwalk *w, int line, int col_bytes)
{
	if (line <= 0 || (size_t)line > w->nlines)
		return (struct loc){w->md->path, line > 0 ? (uint32_t)line : 0,
		                    0};
	/* cmark counts bytes; diagnostics count characters.  Nodes come
	 * mostly in order, so counting goes on from the last position on
	 * the same line: a long line costs its length once, not per node. */
	const char *s = w->src + w->line_off[line];
	int i = 0;
	uint32_t col = 1;
	if (w->col_line == line && w->col_byte <= col_bytes - 1) {
		i = w->col_byte;
		col = w->col_chars;
	}
	for (; i < col_bytes - 1 && s[i] && s[i] != '\n' && s[i] != '\r'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	w->col_line = line;
	w->col_byte = i;
	w->col_chars = col;
	return (struct loc){w->md->path, (uint32_t)line, col};
}

static struct loc
offset_loc(struct mdwalk *w, size_t off)
{
	size_t lo = 1, hi = w->nlines;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		if (w->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return md_loc(w, (int)lo, (int)(off - w->line_off[lo]) + 1);
}

/* Where n starts; a node cmark-gfm made without a place (an autolink's)
 * is placed at the nearest enclosing node that has one. */
static struct loc
node_loc(struct mdwalk *w, cmark_node *n)
{
	while (cmark_node_get_start_line(n) <= 0 && cmark_node_parent(n))
		n = cmark_node_parent(n);
	return md_loc(w, cmark_node_get_start_line(n),
	              cmark_node_get_start_column(n));
}

/* The first needle[0..n) in [from, to), or NULL. */
static const char *
find_between(const char *from, const char *to, const char *needle, size_t n)
{
	while (from < to && (size_t)(to - from) >= n) {
		const char *at =
		    memchr(from, needle[0], (size_t)(to - from) - n + 1);
		if (at == NULL)
			return NULL;
		if (memcmp(at, needle, n) == 0)
			return at;
		from = at + 1;
	}
	return NULL;
}

/* Reports a citation's unknown key; one with an invisible character
 * gets it named. */
static void
unknown_source(struct mdwalk *w, const struct cite_item *it, const char *key,
               struct loc loc)
{
	struct composer *c = w->c;
	const char *visible;
	const char *hidden =
	    model_hidden_in_id(c->job->arena, key, it->keylen, &visible);
	int shown = it->keylen > 64 ? 64 : (int)it->keylen;
	const char *cut = it->keylen > 64 ? "…" : "";
	w->ok = false;
	/* Not every source loaded: the key may be one that did not. */
	if (c->m->sources_partial)
		return;
	const char *near = NULL;
	if (hidden == NULL && it->keylen <= 64 && job_may_suggest(c->job)) {
		char *k = arena_strndup(c->job->arena, key, it->keylen);
		near = model_nearest_source(c->m, k);
	}
	if (near != NULL)
		diag_error(c->job->diag, loc,
		           "unknown source \"%.*s\" in citation; did you mean "
		           "\"%s\"?",
		           shown, key, near);
	else if (hidden == NULL)
		diag_error(c->job->diag, loc,
		           "unknown source \"%.*s%s\" in citation", shown, key,
		           cut);
	else if (model_find_source(c->m, visible, strlen(visible)) != NULL)
		diag_error(c->job->diag, loc,
		           "unknown source \"%.*s%s\" in citation (%s; \"%s\" "
		           "is listed under \"sources\")",
		           shown, key, cut, hidden, visible);
	else
		diag_error(c->job->diag, loc,
		           "unknown source \"%.*s%s\" in citation (%s; not "
		           "listed under \"sources\")",
		           shown, key, cut, hidden);
}

/*
 * Adds the footnote for one citation group; inside a footnote of the
 * analyst's, its references go in the note's text, in parentheses.  The
 * key's place in the source is found by searching forward in the
 * paragraph's lines, because cmark's text may differ from the source
 * (entities, smart quotes, escapes); a key not found there is placed at
 * the paragraph.  Returns whether its last key was found.
 */
static bool
add_citation(struct mdwalk *w, struct doc_node *para, struct cite_group *g,
             struct loc fallback, unsigned flags)
{
	struct composer *c = w->c;
	struct arena *a = c->job->arena;
	bool in_note = w->note != NULL;
	struct doc_note *note = NULL;
	struct loc first_loc = fallback;
	if (g->nkeys > g->nitems) {
		diag_error(c->job->diag, fallback,
		           "a citation names %d sources; at most %d fit in one "
		           "note, so split it",
		           g->nkeys, CITE_MAX_ITEMS);
		w->ok = false;
		return false;
	}
	bool found = false;
	for (int i = 0; i < g->nitems; i++) {
		struct cite_item *it = &g->items[i];
		char *key = arena_strndup(a, it->key, it->keylen);
		struct loc loc = fallback;
		char *needle = arena_printf(a, "@%s", key);
		const char *hit =
		    find_between(w->src + w->search_from, w->src + w->search_to,
		                 needle, strlen(needle));
		found = hit != NULL;
		if (hit != NULL) {
			size_t off = (size_t)(hit - w->src);
			loc = offset_loc(w, off + 1);
			w->search_from = off + 1;
		}
		if (i == 0)
			first_loc = loc;
		const struct source *src =
		    model_find_source(c->m, it->key, it->keylen);
		if (src == NULL) {
			unknown_source(w, it, key, loc);
			continue;
		}
		if (note == NULL && in_note) {
			note = w->note;
			doc_note_add_run(&c->runs, note, " (", 0, loc);
		} else if (note == NULL) {
			note = doc_new_note(a, c->doc, first_loc);
		} else {
			compose_note_sep(c, note, loc);
		}
		compose_note_cited(c, note, src, it, loc);
	}
	if (note != NULL && in_note)
		doc_note_add_run(&c->runs, note, ")", 0, fallback);
	if (note == NULL || in_note)
		return found;
	compose_note_end(c, note, first_loc);
	struct doc_run *r = doc_add_run(
	    &c->runs, para, arena_printf(a, "%u", note->num),
	    (flags & ~(unsigned)RUN_BREAK) | RUN_NOTEREF, first_loc);
	r->note = note->num;
	return found;
}

/*
 * The next "@" + key[0..n) in the source, from where citations are looked
 * for, that starts a word (as compose_find_bare_cite() reads it), or NULL.
 */
static const char *
find_bare(struct mdwalk *w, const char *key, size_t n)
{
	const char *from = w->src + w->search_from;
	const char *to = w->src + w->search_to;
	char *needle = arena_printf(w->c->job->arena, "@%.*s", (int)n, key);
	const char *hit;
	while ((hit = find_between(from, to, needle, n + 1)) != NULL) {
		unsigned char before =
		    hit > w->src ? (unsigned char)hit[-1] : ' ';
		if (!(before >= 0x80 || isalnum(before) ||
		      strchr("_.@", before)))
			return hit;
		from = hit + 1;
	}
	return NULL;
}

/*
 * Pandoc reads "@id" in running text as a citation; here it prints as
 * written, so one that names a source is a warning at its "@".  One
 * written "\@id" is meant as text and passes.
 */
static void
warn_bare(struct mdwalk *w, const char *text, size_t len)
{
	size_t from = 0, at, n;
	const char *key;
	while (compose_find_bare_cite(text, len, from, &at, &key, &n)) {
		from = at + 1 + n;
		if (model_find_source(w->c->m, key, n) == NULL)
			continue;
		const char *hit = find_bare(w, key, n);
		if (hit == NULL)
			continue;
		size_t off = (size_t)(hit - w->src);
		w->search_from = off + 1;
		if (off > 0 && w->src[off - 1] == '\\')
			continue;
		int shown = n > 64 ? 64 : (int)n;
		const char *cut = n > 64 ? "…" : "";
		diag_warning(w->c->job->diag, offset_loc(w, off),
		             "\"@%.*s%s\" is not a citation and prints as "
		             "written; write \"[@%.*s%s]\" for a footnote",
		             shown, key, cut, shown, key, cut);
	}
}

/*
 * A footnote reference without a definition is left as text by cmark-gfm:
 * "[^label]" prints as written, which is a warning at its "[".  One
 * written "\\[^label]" is meant as text and passes.
 */
static void
warn_undefined(struct mdwalk *w, const char *text, size_t len)
{
	const char *end = text + len;
	for (const char *p = text; (p = find_between(p, end, "[^", 2)); p++) {
		size_t n = strcspn(p + 2, "] \t\n");
		if (n == 0 || p + 2 + n >= end || p[2 + n] != ']')
			continue;
		const char *hit = find_between(w->src + w->search_from,
		                               w->src + w->search_to, p, n + 3);
		if (hit == NULL || (hit > w->src && hit[-1] == '\\'))
			continue;
		int shown = n > 64 ? 64 : (int)n;
		diag_warning(
		    w->c->job->diag, offset_loc(w, (size_t)(hit - w->src)),
		    "footnote \"[^%.*s]\" has no definition and prints "
		    "as written; define it on a line of its own: "
		    "\"[^%.*s]: text\"",
		    shown, p + 2, shown, p + 2);
	}
}

/*
 * The length of the closing punctuation at text[from..len): a full stop,
 * comma, semicolon, colon, question or exclamation mark (Arabic's ، ؛ ؟
 * and Urdu's ۔ too), and closing quotation marks.  A note's number follows
 * them, as Chicago sets it (14.26); it stays before a dash or a closing
 * parenthesis.
 */
static size_t
closing_punct(const char *text, size_t len, size_t from)
{
	static const char *const wide[] = {"\u201d", "\u2019", "\u060c",
	                                   "\u061b", "\u061f", "\u06d4"};
	size_t i = from;
	for (;;) {
		if (i < len && text[i] != '\0' &&
		    strchr(".,;:?!\"'", text[i])) {
			i++;
			continue;
		}
		size_t k = 0;
		for (size_t w = 0; k == 0 && w < sizeof wide / sizeof *wide;
		     w++)
			if (i + strlen(wide[w]) <= len &&
			    memcmp(text + i, wide[w], strlen(wide[w])) == 0)
				k = strlen(wide[w]);
		if (k == 0)
			return i - from;
		i += k;
	}
}

/* Adds text to para, splitting out citation groups. */
static void
add_text(struct mdwalk *w, struct doc_node *para, const char *text, size_t len,
         unsigned flags, const char *uri, struct loc loc)
{
	struct arena *a = w->c->job->arena;
	size_t pos = 0;
	struct cite_group g;
	/* Code is literal: "`[@id]`" prints as written. */
	bool code = (flags & RUN_CODE) != 0;
	while (pos < len) {
		bool found = !code && compose_find_cite(text, len, pos, &g);
		size_t stop = found ? g.start : len;
		/* Drop the space before a citation: the marker hugs the word.
		 */
		size_t keep = stop;
		while (found && keep > pos && text[keep - 1] == ' ')
			keep--;
		if (keep > pos && !code) {
			warn_bare(w, text + pos, keep - pos);
			warn_undefined(w, text + pos, keep - pos);
		}
		if (keep > pos) {
			struct doc_run *r = put_run(
			    w, para, arena_strndup(a, text + pos, keep - pos),
			    flags, loc);
			r->uri = uri;
		}
		if (!found)
			break;
		/* The punctuation after the citation goes before its note's
		 * number; inside a note the reference is in parentheses, and
		 * the punctuation stays after them. */
		size_t np = w->note ? 0 : closing_punct(text, len, g.end);
		if (np > 0)
			put_run(w, para, arena_strndup(a, text + g.end, np),
			        flags, loc)
			    ->uri = uri;
		bool placed = add_citation(w, para, &g, loc, flags);
		pos = g.end + np;
		/* The text after it starts past its "]", when its keys were
		 * found in the source: the places of its characters are
		 * counted from there. */
		const char *close = placed
		                        ? memchr(w->src + w->search_from, ']',
		                                 w->search_to - w->search_from)
		                        : NULL;
		if (close == NULL)
			continue;
		/* Past the punctuation set before the marker: as many
		 * characters in the source ('"' may have become '”'). */
		size_t off = (size_t)(close - w->src) + 1;
		for (size_t k = g.end; k < g.end + np; k++)
			if (((unsigned char)text[k] & 0xC0) != 0x80)
				do
					off++;
				while (off < w->md->len &&
				       ((unsigned char)w->src[off] & 0xC0) ==
				           0x80);
		loc = offset_loc(w, off);
	}
}

static unsigned
inline_flags(cmark_node *n)
{
	unsigned f = 0;
	for (cmark_node *p = cmark_node_parent(n); p;
	     p = cmark_node_parent(p)) {
		cmark_node_type t = cmark_node_get_type(p);
		if (t == CMARK_NODE_STRONG)
			f |= RUN_BOLD;
		else if (t == CMARK_NODE_EMPH)
			f |= RUN_ITALIC;
		else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
			break;
		else if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
			break; /* a table's cell */
		else if (md_ext(p) == MD_STRIKE)
			f |= RUN_STRIKE;
	}
	return f;
}

static const char *
inline_uri(cmark_node *n)
{
	for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
		if (cmark_node_get_type(p) == CMARK_NODE_LINK)
			return cmark_node_get_url(p);
	return NULL;
}

static bool
uri_allowed(const char *u)
{
	return uri_has_prefix(u, "http://") || uri_has_prefix(u, "https://") ||
	       uri_has_prefix(u, "mailto:");
}

/* A leaf block being filled from cmark's inline nodes. */
struct inlines {
	struct mdwalk *w;
	struct doc_node *para;
	struct buf run;           /* text waiting to be added, one look */
	unsigned run_flags;       /* its RUN_ flags */
	const char *run_uri;      /* its link, or NULL */
	struct loc run_loc;       /* where it starts */
	const char *pending_link; /* a link just ended: its URL's note
	                           * marker goes after its text */
	struct loc link_loc;      /* where that link is */
	int quotes;               /* quotations open in the paragraph */
};

/* Turns back the marks smart punctuation made of a gershayim or geresh
 * typed between two Hebrew letters (צה"ל, not צה”ל), and turns the one it
 * made closing after a Hebrew prefix into an opening mark (ב“הארץ”). */
static void
keep_geresh(struct buf *b)
{
	/* “ ” ‘ ’ are E2 80 9C, 9D, 98, 99. */
	int open = 0; /* ‘ not closed yet: a ’ closes it, no geresh */
	for (char *p = b->len ? memchr(b->data, 0xE2, b->len) : NULL; p;
	     p = memchr(p + 1, 0xE2, b->len - (size_t)(p + 1 - b->data))) {
		size_t i = (size_t)(p - b->data);
		unsigned char c = i + 2 < b->len ? (unsigned char)p[2] : 0;
		if ((unsigned char)p[1] != 0x80 || c < 0x98 || c > 0x9D ||
		    c == 0x9A || c == 0x9B)
			continue;
		if (c == 0x98) {
			open++;
			continue;
		}
		if (c == 0x99 && open > 0 &&
		    (i + 3 >= b->len ||
		     !(b->data[i + 3] & 0x80 ||
		       isalpha((unsigned char)b->data[i + 3])))) {
			open--; /* 'שלום' closes */
			continue;
		}
		bool geresh = lang_geresh(b->data, b->len, i, 3);
		if (!geresh && (c == 0x9D || c == 0x99) &&
		    lang_after_prefix(b->data, b->len, i, 3)) {
			p[2] = (char)(c - 1); /* ” to “, ’ to ‘ */
			continue;
		}
		if (!geresh)
			continue;
		/* The mark's three bytes become one. */
		*p = c >= 0x9C ? '"' : '\'';
		memmove(p + 1, p + 3, b->len - i - 3 + 1); /* and the NUL */
		b->len -= 2;
	}
}

/*
 * Gives the paragraph's outermost double quotations the template's
 * quotation marks (its "quote" string, "«\u00a0{text}\u00a0»" in French)
 * in place of the “ ” smart punctuation made of straight ones: a French
 * briefing's commentary quotes « as its notes do ».  Inner ones, and
 * marks typed as « », stay as they are.
 */
static void
template_quotes(struct inlines *in)
{
	struct buf out = {0};
	if (!compose_outer_marks(in->w->c, in->run.data, in->run.len,
	                         &in->quotes, &out))
		return;
	free(in->run.data);
	in->run = out;
}

/* Adds the text waiting in in->run. */
static void
flush(struct inlines *in)
{
	/* Code prints as written. */
	if (!(in->run_flags & RUN_CODE)) {
		keep_geresh(&in->run);
		template_quotes(in);
	}
	if (in->run.len)
		add_text(in->w, in->para, in->run.data, in->run.len,
		         in->run_flags, in->run_uri, in->run_loc);
	buf_reset(&in->run);
}

/* Paper has no links: the URL of the link just ended goes in a note, or
 * inside a note after the link's text, in parentheses. */
static void
link_note(struct inlines *in)
{
	struct arena *a = in->w->c->job->arena;
	if (in->w->note != NULL) {
		struct doc_note *note = in->w->note;
		doc_note_add_run(&in->w->c->runs, note, " (", 0, in->link_loc);
		doc_note_add_run(&in->w->c->runs, note, in->pending_link,
		                 RUN_NOHYPH, in->link_loc)
		    ->uri = in->pending_link;
		doc_note_add_run(&in->w->c->runs, note, ")", 0, in->link_loc);
		in->pending_link = NULL;
		return;
	}
	struct doc_note *note = doc_new_note(a, in->w->c->doc, in->link_loc);
	struct doc_run *u = doc_note_add_run(
	    &in->w->c->runs, note, in->pending_link, RUN_NOHYPH, in->link_loc);
	u->uri = in->pending_link;
	compose_note_end(in->w->c, note, in->link_loc);
	struct doc_run *m = doc_add_run(&in->w->c->runs, in->para,
	                                arena_printf(a, "%u", note->num),
	                                RUN_NOTEREF, in->link_loc);
	m->note = note->num;
	in->pending_link = NULL;
}

/* Whether link n's text is its address (an autolink's is), which then
 * needs no note: "www.example.org" for "http://www.example.org". */
static bool
prints_url(cmark_node *n, const char *u)
{
	cmark_node *t = cmark_node_first_child(n);
	if (t == NULL || cmark_node_next(t) != NULL ||
	    cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return false;
	/* What cmark-gfm puts before "www." and a bare e-mail address. */
	static const char *const added[] = {"", "http://", "mailto:"};
	const char *text = cmark_node_get_literal(t);
	for (size_t i = 0; i < sizeof added / sizeof *added; i++) {
		size_t k = strlen(added[i]);
		if (strncmp(u, added[i], k) == 0 && strcmp(u + k, text) == 0)
			return true;
	}
	return false;
}

/* A link starts (a scheme not printed is reported) or ends. */
static void
on_link(struct inlines *in, cmark_node *n, cmark_event_type ev)
{
	const char *u = cmark_node_get_url(n);
	flush(in);
	if (ev == CMARK_EVENT_ENTER) {
		in->link_loc = node_loc(in->w, n);
		if (u && !uri_allowed(u))
			diag_warning(in->w->c->job->diag, in->link_loc,
			             "link to \"%s\" dropped: only http, https "
			             "and mailto links are printed",
			             u);
	} else if (u && uri_allowed(u) && !prints_url(n, u)) {
		in->pending_link = arena_strdup(in->w->c->job->arena, u);
	}
}

/*
 * A code span holds no citations: the keys of the citations after it are
 * looked for in the source past it, so that "`[@a]` … [@a]" places the
 * second.  A span that cmark changed (one over several lines) is not
 * found, which leaves the search where it was.
 */
static void
skip_code(struct mdwalk *w, const char *literal)
{
	size_t n = strlen(literal);
	if (n == 0 || memchr(literal, '@', n) == NULL)
		return;
	const char *hit = find_between(w->src + w->search_from,
	                               w->src + w->search_to, literal, n);
	if (hit != NULL)
		w->search_from = (size_t)(hit - w->src) + n;
}

/* Text, a soft break or code: joined to the waiting run when it looks
 * the same. */
static void
on_text(struct inlines *in, cmark_node *n, cmark_node_type t)
{
	const char *uri = inline_uri(n);
	unsigned f = inline_flags(n) | (t == CMARK_NODE_CODE ? RUN_CODE : 0);
	if (uri && !uri_allowed(uri))
		uri = NULL;
	if (uri)
		uri = arena_strdup(in->w->c->job->arena, uri);
	if (in->run.len && (f != in->run_flags || uri != in->run_uri))
		flush(in);
	if (t == CMARK_NODE_CODE)
		skip_code(in->w, cmark_node_get_literal(n));
	if (in->run.len == 0) {
		in->run_flags = f;
		in->run_uri = uri;
		if (t != CMARK_NODE_SOFTBREAK)
			in->run_loc = node_loc(in->w, n);
	}
	const char *lit = cmark_node_get_literal(n);
	struct doc_node *p = in->para;
	/* After a link's or a footnote's marker, the punctuation that
	 * closes the clause goes before the marker, as after a citation. */
	if (t == CMARK_NODE_TEXT && in->run.len == 0 && in->w->note == NULL &&
	    p->nruns > 0 && (p->runs[p->nruns - 1].flags & RUN_NOTEREF)) {
		size_t np = closing_punct(lit, strlen(lit), 0);
		if (np > 0) {
			struct arena *a = in->w->c->job->arena;
			doc_add_run(&in->w->c->runs, p,
			            arena_strndup(a, lit, np), f,
			            node_loc(in->w, n))
			    ->uri = uri;
			/* Before the markers in a row that end the text. */
			size_t k = p->nruns - 1;
			while (k > 0 && (p->runs[k - 1].flags & RUN_NOTEREF)) {
				struct doc_run tmp = p->runs[k - 1];
				p->runs[k - 1] = p->runs[k];
				p->runs[k] = tmp;
				k--;
			}
			lit += np;
		}
	}
	if (t == CMARK_NODE_SOFTBREAK)
		buf_putc(&in->run, ' ');
	else
		buf_puts(&in->run, lit);
}

/* Citation keys are looked for in the block's own lines only. */
static void
search_block(struct mdwalk *w, cmark_node *block)
{
	int first = cmark_node_get_start_line(block);
	int last = cmark_node_get_end_line(block);
	if (first >= 1 && (size_t)first <= w->nlines &&
	    w->line_off[first] > w->search_from)
		w->search_from = w->line_off[first];
	w->search_to = last >= 1 && (size_t)last < w->nlines
	                   ? w->line_off[last + 1]
	                   : w->md->len;
	if (w->search_to < w->search_from)
		w->search_to = w->search_from;
}

static void fill_inlines(struct mdwalk *, cmark_node *, struct doc_node *);

/*
 * Sets footnote definition def as the text of note: its paragraphs one
 * after another, each on a line of its own; citations in it become
 * references in its text.
 */
static void
fill_note(struct mdwalk *w, cmark_node *def, struct doc_note *note)
{
	struct arena *a = w->c->job->arena;
	size_t from = w->search_from, to = w->search_to;
	w->note = note;
	w->search_from = 0;
	bool first = true;
	cmark_iter *it = cmark_iter_new(def);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER || n == def)
			continue;
		bool text = t == CMARK_NODE_PARAGRAPH ||
		            t == CMARK_NODE_HEADING ||
		            t == CMARK_NODE_CODE_BLOCK;
		if (text && !first)
			doc_note_add_run(&w->c->runs, note, "", RUN_BREAK,
			                 node_loc(w, n));
		if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
			fill_inlines(w, n, NULL);
		} else if (t == CMARK_NODE_CODE_BLOCK) {
			doc_note_add_run(
			    &w->c->runs, note,
			    arena_strdup(a, cmark_node_get_literal(n)),
			    RUN_CODE, node_loc(w, n));
		} else if (md_ext(n) == MD_TABLE ||
		           t == CMARK_NODE_HTML_BLOCK) {
			diag_warning(w->c->job->diag, node_loc(w, n),
			             "%s dropped: a footnote holds text only",
			             t == CMARK_NODE_HTML_BLOCK ? "raw HTML"
			                                        : "table");
		} else {
			continue; /* lists and quotations: their paragraphs */
		}
		first = false;
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
	}
	cmark_iter_free(it);
	w->note = NULL;
	w->search_from = from;
	w->search_to = to;
}

/*
 * A Markdown footnote's marker: a new note in the briefing's series, set
 * from its definition the first time, and pointing back to that note
 * after ("See note 3."), since a second marker may fall on another page.
 */
static void
footnote_ref(struct inlines *in, cmark_node *n)
{
	struct mdwalk *w = in->w;
	struct composer *c = w->c;
	struct arena *a = c->job->arena;
	struct loc loc = node_loc(w, n);
	if (w->note != NULL) {
		diag_warning(c->job->diag, loc,
		             "a footnote cannot mark another footnote; the "
		             "marker is dropped");
		return;
	}
	const char *num = cmark_node_get_literal(n);
	long k = num ? strtol(num, NULL, 10) : 0;
	if (k < 1 || (size_t)k > w->ndefs)
		return; /* cmark numbers only references it defined */
	struct doc_note *note = doc_new_note(a, c->doc, loc);
	if (w->def_note[k - 1] != 0) {
		doc_note_add_run(
		    &c->runs, note,
		    tmpl_fill(a, tmpl_str(c->t, STR_NOTE_AGAIN), "n",
		              arena_printf(a, "%u", w->def_note[k - 1]), NULL),
		    0, loc);
	} else {
		w->def_note[k - 1] = note->num;
		fill_note(w, w->defs[k - 1], note);
		compose_note_end(c, note, loc);
	}
	struct doc_run *m = put_run(
	    w, in->para, arena_printf(a, "%u", note->num), RUN_NOTEREF, loc);
	m->note = note->num;
}

/*
 * Fills a leaf block from a cmark paragraph, heading or table cell, or
 * the note being set (para NULL).  Consecutive text and soft breaks are
 * joined first, so a citation that wraps onto the next line is still
 * found.
 */
static void
fill_inlines(struct mdwalk *w, cmark_node *block, struct doc_node *para)
{
	struct inlines in = {
	    .w = w, .para = para, .run_loc = node_loc(w, block)};
	in.link_loc = in.run_loc;
	search_block(w, block);
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (n == block)
			continue;
		if (t == CMARK_NODE_LINK)
			on_link(&in, n, ev);
		if (ev == CMARK_EVENT_EXIT)
			continue;
		if (in.pending_link)
			link_note(&in);
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_CODE:
			on_text(&in, n, t);
			break;
		case CMARK_NODE_LINEBREAK:
			flush(&in);
			put_run(w, para, "", RUN_BREAK, node_loc(w, n));
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			flush(&in);
			footnote_ref(&in, n);
			break;
		case CMARK_NODE_HTML_INLINE:
			diag_warning(w->c->job->diag, node_loc(w, n),
			             "raw HTML dropped: a briefing prints "
			             "Markdown only");
			break;
		case CMARK_NODE_IMAGE:
			diag_error(
			    w->c->job->diag, node_loc(w, n),
			    "an image inside a paragraph's text: put it "
			    "in a paragraph of its own, where it becomes "
			    "a figure");
			w->ok = false;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		default:
			break;
		}
	}
	flush(&in);
	if (in.pending_link)
		link_note(&in);
	cmark_iter_free(it);
	buf_free(&in.run);
}

static int
hex_digit(char ch)
{
	return ch >= '0' && ch <= '9'   ? ch - '0'
	       : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
	                                : -1;
}

/* The text of an image's description: its inline nodes' letters. */
static char *
alt_text(struct arena *a, cmark_node *img)
{
	struct buf b = {0};
	cmark_iter *it = cmark_iter_new(img);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(&b, ' ');
		else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_puts(&b, cmark_node_get_literal(n));
	}
	cmark_iter_free(it);
	size_t from = 0, to = b.len;
	while (from < to && b.data[from] == ' ')
		from++;
	while (to > from && b.data[to - 1] == ' ')
		to--;
	char *out = arena_strndup(a, b.data ? b.data + from : "", to - from);
	buf_free(&b);
	return out;
}

/* An image's address as a file name: "%20" is a space. */
static char *
url_path(struct arena *a, const char *url)
{
	size_t n = strlen(url);
	char *out = arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (url[i] == '%' && i + 2 < n &&
		    (hi = hex_digit(url[i + 1])) >= 0 &&
		    (lo = hex_digit(url[i + 2])) >= 0 && (hi || lo)) {
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = url[i];
		}
	}
	*o = '\0';
	return out;
}

/* Whether url names a place on the network rather than a file. */
static bool
is_address(const char *url)
{
	size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyz"
	                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	return n > 1 && url[n] == ':';
}

/* The file an image in md names, relative to md, or NULL (a network
 * address, an empty one). */
static const char *
image_file(struct arena *a, const struct markdown *md, const char *url)
{
	if (url == NULL || url[0] == '\0' || is_address(url))
		return NULL;
	return fileio_relative(a, md->path, url_path(a, url));
}

/* Reads "{width=60%}", Pandoc's attribute for an image's width, from the
 * text after an image; returns the per cent, 0 when text is none, -1
 * when it is one but not a width from 1% to 100%. */
static int
width_attr(const char *text)
{
	text += strspn(text, " \t\n");
	if (*text != '{')
		return 0;
	int pct = 0, n = 0;
	if (sscanf(text, "{width=%d%%}%n", &pct, &n) != 1 || n == 0 ||
	    pct < 1 || pct > 100 || text[n + strspn(text + n, " \t\n")])
		return -1;
	return pct;
}

/*
 * Whether paragraph n is one image and nothing else but its width
 * attribute: a figure.  *attr is then the attribute's text, or NULL.
 */
static cmark_node *
figure_image(cmark_node *n, const char **attr)
{
	cmark_node *img = NULL;
	*attr = NULL;
	for (cmark_node *k = cmark_node_first_child(n); k;
	     k = cmark_node_next(k)) {
		cmark_node_type t = cmark_node_get_type(k);
		const char *lit = cmark_node_get_literal(k);
		if (t == CMARK_NODE_IMAGE && img == NULL)
			img = k;
		else if (t == CMARK_NODE_SOFTBREAK)
			continue;
		else if (t == CMARK_NODE_TEXT && lit[strspn(lit, " \t")] == 0)
			continue;
		else if (t == CMARK_NODE_TEXT && img && *attr == NULL &&
		         lit[strspn(lit, " \t")] == '{')
			*attr = lit;
		else
			return NULL;
	}
	return img;
}

/*
 * A figure: the image, described for readers who cannot see it by its
 * alt text, and its caption, "Figure N." and the image's title, whose
 * citations are notes on the figure's page.  Every figure states where
 * it comes from: a caption without a citation is an error.
 */
static void
figure(struct mdwalk *w, cmark_node *img, const char *attr,
       struct doc_node *out)
{
	struct composer *c = w->c;
	struct arena *a = c->job->arena;
	struct loc loc = node_loc(w, img);
	const char *url = cmark_node_get_url(img);
	const char *title = cmark_node_get_title(img);
	char *alt = alt_text(a, img);
	const char *path = image_file(a, w->md, url);
	int width = attr ? width_attr(attr) : 0;
	bool ok = true;
	if (path == NULL) {
		diag_error(c->job->diag, loc,
		           url && url[0] ? "image \"%s\" is an address: a "
		                           "figure shows a file beside the "
		                           "commentary"
		                         : "an image needs a file%s",
		           url && url[0] ? url : "");
		ok = false;
	}
	if (alt[0] == '\0') {
		diag_error(c->job->diag, loc,
		           "an image needs alt text, what it shows for readers "
		           "who cannot see it: ![Map of the front line](%s "
		           "\"Caption [@source]\")",
		           url && url[0] ? url : "file.png");
		ok = false;
	}
	struct cite_group g;
	if (title == NULL || !compose_find_cite(title, strlen(title), 0, &g)) {
		diag_error(c->job->diag, loc,
		           "a figure needs a caption that cites its source, as "
		           "the image's title: ![%s](%s \"Caption "
		           "[@source-id]\")",
		           alt[0] ? alt : "what it shows",
		           url && url[0] ? url : "file.png");
		ok = false;
	}
	if (width < 0) {
		diag_error(c->job->diag, loc,
		           "\"%s\" after an image: a figure's width is written "
		           "{width=N%%}, from 1%% to 100%% of the column",
		           attr + strspn(attr, " \t\n"));
		ok = false;
	}
	if (ok && !c->job->allow_outside) {
		char dir[4096];
		if (!path_inside(path_dir(c->m->path, dir, sizeof dir), path)) {
			diag_error(
			    c->job->diag, loc,
			    "\"%s\" is outside the fact file's "
			    "directory (pass --allow-outside to read it)",
			    url);
			ok = false;
		}
	}
	if (!ok) {
		w->ok = false;
		return;
	}
	struct doc_node *f =
	    compose_figure(c, out, compose_image(c, path, loc), alt, loc);
	f->as.figure.width = width;
	search_block(w, cmark_node_parent(img));
	add_text(w, f, title, strlen(title), 0, NULL, loc);
}

/* Whether out is in the summary's box, which cannot hold a table. */
static bool
in_box(const struct doc_node *out)
{
	for (; out != NULL; out = out->parent)
		if (out->type == DOC_BOX)
			return true;
	return false;
}

/*
 * A pipe table: set like the generated tables, its header row repeated on
 * every page, each column aligned as its delimiter row says and as wide
 * as its text asks (typeset's choice).
 */
static void
table(struct mdwalk *w, cmark_node *n, struct doc_node *out)
{
	struct composer *c = w->c;
	struct arena *a = c->job->arena;
	struct loc loc = node_loc(w, n);
	int ncols = cmark_gfm_extensions_get_table_columns(n);
	if (ncols > DOC_TABLE_MAX_COLS) {
		diag_error(c->job->diag, loc,
		           "a table of %d columns: at most %d fit across the "
		           "page, so split it",
		           ncols, DOC_TABLE_MAX_COLS);
		w->ok = false;
		return;
	}
	if (in_box(out)) {
		diag_error(c->job->diag, loc,
		           "the summary cannot hold a table: move it to a "
		           "section's commentary");
		w->ok = false;
		return;
	}
	const uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
	struct doc_node *t = doc_new(a, DOC_TABLE, loc);
	t->as.table.ncols = ncols;
	t->as.table.nhead = 1;
	doc_append(out, t);
	for (cmark_node *r = cmark_node_first_child(n); r;
	     r = cmark_node_next(r)) {
		struct doc_node *row = doc_new(a, DOC_ROW, node_loc(w, r));
		doc_append(t, row);
		bool head = r == cmark_node_first_child(n);
		int col = 0;
		for (cmark_node *cell = cmark_node_first_child(r);
		     cell && col < ncols; cell = cmark_node_next(cell), col++) {
			struct loc cl = node_loc(w, cell);
			struct doc_node *d = doc_new(a, DOC_CELL, cl);
			doc_append(row, d);
			if (cmark_node_first_child(cell) == NULL)
				continue;
			struct doc_node *p = doc_new(a, DOC_PARA, cl);
			p->style = head ? STYLE_TABLE_HEAD : STYLE_TABLE;
			p->as.para.align = align == NULL       ? 1
			                   : align[col] == 'c' ? 2
			                   : align[col] == 'r' ? 3
			                                       : 1;
			doc_append(d, p);
			fill_inlines(w, cell, p);
		}
	}
}

/*
 * A block that holds no other blocks: appended to out.  Returns false for
 * containers (lists, items, quotations), which the caller walks.
 */
static bool
leaf(struct mdwalk *w, cmark_node *n, struct doc_node *out, enum style_id style)
{
	struct arena *a = w->c->job->arena;
	struct loc loc = node_loc(w, n);
	struct doc_node *d;
	const char *attr;
	cmark_node *img;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		if ((img = figure_image(n, &attr)) != NULL) {
			if (!in_box(out)) {
				figure(w, img, attr, out);
				return true;
			}
			diag_error(w->c->job->diag, loc,
			           "the summary cannot hold a figure: move it "
			           "to a section's commentary");
			w->ok = false;
			return true;
		}
		d = doc_new(a, DOC_PARA, loc);
		d->style = style;
		doc_append(out, d);
		fill_inlines(w, n, d);
		return true;
	case CMARK_NODE_HEADING:
		d = doc_new(a, DOC_HEADING, loc);
		d->style = STYLE_H2;
		d->as.heading.level = 2;
		doc_append(out, d);
		fill_inlines(w, n, d);
		return true;
	case CMARK_NODE_CODE_BLOCK:
		d = doc_new(a, DOC_PARA, loc);
		d->style = style;
		d->as.heading.level = 0;
		doc_append(out, d);
		doc_add_run(&w->c->runs, d,
		            arena_strdup(a, cmark_node_get_literal(n)),
		            RUN_CODE, loc);
		return true;
	case CMARK_NODE_HTML_BLOCK:
		diag_warning(
		    w->c->job->diag, loc,
		    "raw HTML dropped: a briefing prints Markdown only");
		return true;
	case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_BLOCK_QUOTE:
		return false;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		return true; /* set where they are cited */
	default:
		if (md_ext(n) == MD_TABLE)
			table(w, n, out);
		return true; /* thematic breaks: sections already divide */
	}
}

/*
 * Nesting past the limit: every block inside container is appended to out
 * in order, without recursion, however deep the Markdown goes.
 */
static void
flatten(struct mdwalk *w, cmark_node *container, struct doc_node *out,
        enum style_id style)
{
	if (!w->warned_depth)
		diag_warning(w->c->job->diag, node_loc(w, container),
		             "lists and quotations nested deeper than %d "
		             "levels are flattened",
		             MD_MAX_DEPTH);
	w->warned_depth = true;
	cmark_iter *it = cmark_iter_new(container);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || n == container)
			continue;
		if (leaf(w, n, out, style))
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
	}
	cmark_iter_free(it);
}

static void
blocks(struct mdwalk *w, cmark_node *parent, struct doc_node *out, int depth,
       enum style_id style)
{
	struct arena *a = w->c->job->arena;
	for (cmark_node *n = cmark_node_first_child(parent); n;
	     n = cmark_node_next(n)) {
		if (leaf(w, n, out, style))
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		/* A list and its items are one level of nesting. */
		int next = depth + (t != CMARK_NODE_ITEM);
		if (next > MD_MAX_DEPTH) {
			flatten(w, n, out, style);
			continue;
		}
		struct doc_node *d = doc_new(a,
		                             t == CMARK_NODE_LIST   ? DOC_LIST
		                             : t == CMARK_NODE_ITEM ? DOC_ITEM
		                                                    : DOC_QUOTE,
		                             node_loc(w, n));
		if (t == CMARK_NODE_LIST) {
			d->as.list.ordered =
			    cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			d->as.list.start = cmark_node_get_list_start(n);
		}
		if (!doc_can_contain(out->type, d->type)) {
			blocks(w, n, out, next, style);
			continue;
		}
		doc_append(out, d);
		blocks(w, n, d, next, style);
	}
}

/* Whether text[i] ends a line: a LF, or a CR not before one. */
static bool
is_line_end(const char *text, size_t len, size_t i)
{
	return text[i] == '\n' ||
	       (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

/*
 * cmark-gfm drops a footnote definition nothing cites: each line that
 * opens one ("[^label]: ...", outside code) but is not where a cited one
 * starts is a warning, as an uncited source is.
 */
static void
warn_uncited(struct mdwalk *w, cmark_node *root)
{
	unsigned char *skip = arena_alloc(w->c->job->arena, w->nlines + 2);
	memset(skip, 0, w->nlines + 2);
	for (size_t k = 0; k < w->ndefs; k++) {
		int l = cmark_node_get_start_line(w->defs[k]);
		if (l >= 1 && (size_t)l <= w->nlines)
			skip[l] = 1;
	}
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER ||
		    (t != CMARK_NODE_CODE_BLOCK && t != CMARK_NODE_HTML_BLOCK))
			continue;
		for (int l = cmark_node_get_start_line(n);
		     l >= 1 && l <= cmark_node_get_end_line(n) &&
		     (size_t)l <= w->nlines;
		     l++)
			skip[l] = 1;
	}
	cmark_iter_free(it);
	for (size_t l = 1; l <= w->nlines; l++) {
		const char *s = w->src + w->line_off[l];
		const char *end = l < w->nlines ? w->src + w->line_off[l + 1]
		                                : w->src + w->md->len;
		size_t ind = 0;
		while (ind < 3 && s + ind < end && s[ind] == ' ')
			ind++;
		const char *p = s + ind;
		if (skip[l] || end - p < 5 || p[0] != '[' || p[1] != '^')
			continue;
		size_t n = strcspn(p + 2, "] \t\r\n");
		if (n == 0 || p + 2 + n + 1 >= end || p[2 + n] != ']' ||
		    p[3 + n] != ':')
			continue;
		int shown = n > 64 ? 64 : (int)n;
		diag_warning(w->c->job->diag, md_loc(w, (int)l, (int)ind + 1),
		             "footnote \"[^%.*s]\" is defined but never cited; "
		             "it is not printed",
		             shown, p + 2);
	}
}

/* The extensions the commentary is read with, besides footnotes. */
static const char *const extensions[] = {"table", "strikethrough", "autolink"};

/* Parses text as GitHub Flavored Markdown, or returns NULL. */
static cmark_node *
parse(const char *text, size_t len)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(
	    CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES);
	if (p == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
		cmark_syntax_extension *e =
		    cmark_find_syntax_extension(extensions[i]);
		if (e == NULL || !cmark_parser_attach_syntax_extension(p, e)) {
			cmark_parser_free(p);
			return NULL;
		}
	}
	cmark_parser_feed(p, text, len);
	cmark_node *root = cmark_parser_finish(p);
	cmark_parser_free(p);
	return root;
}

bool
compose_md(struct composer *c, const struct markdown *md,
           struct doc_node *parent)
{
	if (md->text == NULL)
		return true;
	struct arena *a = c->job->arena;
	struct mdwalk w = {.c = c, .md = md, .src = md->text, .ok = true};
	/* Lines end at LF, CR or CRLF, as cmark counts them. */
	w.nlines = 1;
	for (size_t i = 0; i < md->len; i++)
		w.nlines += is_line_end(md->text, md->len, i);
	w.line_off = arena_array(a, w.nlines + 2, sizeof *w.line_off);
	size_t line = 1;
	w.line_off[1] = 0;
	for (size_t i = 0; i < md->len; i++)
		if (is_line_end(md->text, md->len, i))
			w.line_off[++line] = i + 1;
	cmark_node *root = parse(md->text, md->len);
	if (root == NULL) {
		diag_system(c->job->diag, "cannot parse \"%s\"", md->path);
		return false;
	}
	/* cmark-gfm moves the definitions that are cited to the end, in the
	 * order their references number them. */
	for (cmark_node *n = cmark_node_first_child(root); n;
	     n = cmark_node_next(n))
		w.ndefs +=
		    cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION;
	w.defs = arena_array(a, w.ndefs + 1, sizeof *w.defs);
	w.def_note = arena_array(a, w.ndefs + 1, sizeof *w.def_note);
	size_t k = 0;
	for (cmark_node *n = cmark_node_first_child(root); n;
	     n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
			w.defs[k++] = n;
	blocks(&w, root, parent, 0,
	       parent->type == DOC_BOX ? STYLE_BOX : STYLE_BODY);
	warn_uncited(&w, root);
	cmark_node_free(root);
	return w.ok;
}

/* Adds the image files md names to (*out)[0..*n), each once. */
static void
md_images(struct arena *a, const struct markdown *md, const char ***out,
          size_t *n, size_t *cap)
{
	if (md->text == NULL)
		return;
	cmark_node *root = parse(md->text, md->len);
	if (root == NULL)
		return;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *img = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(img) != CMARK_NODE_IMAGE)
			continue;
		const char *path = image_file(a, md, cmark_node_get_url(img));
		size_t k = 0;
		while (path && k < *n && strcmp((*out)[k], path) != 0)
			k++;
		if (path == NULL || k < *n)
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 8;
			*out = arena_grow(a, *out, *n, ncap, sizeof **out);
			*cap = ncap;
		}
		(*out)[(*n)++] = path;
	}
	cmark_iter_free(it);
	cmark_node_free(root);
}

const char **
compose_images(struct job *job, const struct model *m, size_t *n)
{
	const char **out = NULL;
	size_t cap = 0;
	*n = 0;
	md_images(job->arena, &m->meta.summary, &out, n, &cap);
	for (int s = 0; s < SECTION__MAX; s++)
		md_images(job->arena, &m->meta.commentary[s], &out, n, &cap);
	for (size_t i = 0; i < m->ncalls; i++)
		md_images(job->arena, &m->calls[i].commentary, &out, n, &cap);
	for (size_t i = 0; i < m->nfigures; i++) {
		if (m->figures[i].path == NULL)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			out = arena_grow(job->arena, out, *n, cap, sizeof *out);
		}
		out[(*n)++] = m->figures[i].path;
	}
	return out;
}
