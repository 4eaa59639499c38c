/*
 * Compose stage: citations.  Finds Pandoc-style citation groups in text
 * and writes the footnotes for sources: the full reference the first time
 * a source is cited, a short form after that.
 */
#include "compose.h"
#include "compose_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/lang.h"
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

/* The bytes of the space s[0..n) ends with: U+0020, or a no-break one
 * (U+00A0, U+202F) as French sets inside « »; 0 for none. */
static size_t
space_before(const char *s, size_t n)
{
	if (n >= 1 && s[n - 1] == ' ')
		return 1;
	if (n >= 2 && memcmp(s + n - 2, "\u00a0", 2) == 0)
		return 2;
	if (n >= 3 && memcmp(s + n - 3, "\u202f", 3) == 0)
		return 3;
	return 0;
}

/* The bytes of such a space s starts with; 0 for none. */
static size_t
space_at(const char *s)
{
	return s[0] == ' '                    ? 1
	       : strncmp(s, "\u00a0", 2) == 0 ? 2
	       : strncmp(s, "\u202f", 3) == 0 ? 3
	                                      : 0;
}

/* Whether a letter (of any script) ends text[0..p - text). */
static bool
letter_before(const char *text, const char *p)
{
	uint32_t cp;
	return utf8_decode_before(text, (size_t)(p - text), &cp) > 0 &&
	       lang_script(cp) != SCRIPT_NONE;
}

/* Whether p starts with a letter (of any script). */
static bool
letter_at(const char *p)
{
	uint32_t cp;
	return *p != '\0' && utf8_decode(p, strlen(p), &cp) > 0 &&
	       lang_script(cp) != SCRIPT_NONE;
}

/* Whether a straight mark at p of text opens: at the start, or after a
 * space (no-break, narrow or thin too), a line break or tab, a bracket, a
 * slash, a dash or an opening mark (a straight one at the start or after
 * a space too), after an elision's apostrophe (d'"opération"), or after
 * a Hebrew prefix (ב"הארץ"). */
static bool
opening_place(const char *text, size_t len, const char *p)
{
	static const char *const before[] = {"\u2014", "\u2013", "\u00a0",
	                                     "\u202f", "\u2009", "\u201c",
	                                     "\u2018", "\u00ab"};
	size_t at = (size_t)(p - text);
	if (p == text || strchr(" \t\n\r([{/-", p[-1]) != NULL ||
	    lang_after_prefix(text, len, at, 1))
		return true;
	if ((p[-1] == '"' || p[-1] == '\'') &&
	    (p - 1 == text || strchr(" \t\n\r([", p[-2]) != NULL))
		return true;
	if (*p == '"' && p[-1] == '\'' && letter_before(text, p - 1))
		return true; /* l'"accord" */
	for (size_t q = 0; q < sizeof before / sizeof *before; q++) {
		size_t bl = strlen(before[q]);
		if (at >= bl && memcmp(p - bl, before[q], bl) == 0)
			return true;
	}
	return false;
}

/* Whether p starts with a letter or a digit. */
static bool
alnum_at(const char *p)
{
	return isdigit((unsigned char)*p) || letter_at(p);
}

/* Whether the single mark at p of s opens a quotation: in an opening
 * place, before a character that is not a space, and closed by a later
 * single mark in a closing place before any other opens ('90s and the
 * 'deal' open once). */
static bool
single_opens(const char *s, size_t len, const char *p)
{
	if (!opening_place(s, len, p) || p[1] == '\0' ||
	    strchr(" \t\n\r", p[1]) != NULL)
		return false;
	for (const char *q = p + 1; *q; q++) {
		if (*q != '\'')
			continue;
		bool between =
		    alnum_at(q + 1) &&
		    (letter_before(s, q) || isdigit((unsigned char)q[-1]));
		if (between)
			continue; /* an apostrophe: it's */
		if (opening_place(s, len, q) && q[1] != '\0' &&
		    strchr(" \t\n\r", q[1]) == NULL)
			return false; /* another opens first */
		if (q[-1] != ' ')
			return true;
	}
	return false;
}

const char *
compose_smart(struct arena *a, const char *s)
{
	if (s == NULL || strpbrk(s, "'\"") == NULL)
		return s;
	size_t len = strlen(s);
	struct buf b = {0};
	int dq = 0, sq = 0; /* double and single quotations open */
	for (const char *p = s; *p; p++) {
		size_t at = (size_t)(p - s);
		if (*p != '\'' && *p != '"') {
			buf_putc(&b, *p);
			continue;
		}
		bool digit = p > s && isdigit((unsigned char)p[-1]);
		bool spaced = p[1] == '\0' || strchr(" \t\n\r", p[1]) != NULL;
		bool opens = opening_place(s, len, p) && !spaced;
		/* Spaced on both sides (" 30 jours "): by what is open. */
		if (*p == '"' && spaced && p[1] != '\0' && dq == 0 &&
		    opening_place(s, len, p))
			opens = true;
		if (*p == '"') {
			/* After a figure, an inch mark unless it closes a
			 * quotation ("Minsk 2"); a gershayim stays. */
			if ((digit && !opens && dq == 0) ||
			    lang_geresh(s, len, at, 1)) {
				buf_putc(&b, '"');
				continue;
			}
			dq += opens ? 1 : dq > 0 ? -1 : 0;
			buf_puts(&b, opens ? "\u201c" : "\u201d");
			continue;
		}
		/* A foot mark after a figure (5'10"), not an apostrophe
		 * (G7's), a geresh after a Hebrew letter, unless it closes a
		 * quotation. */
		if ((digit && sq == 0 && !letter_at(p + 1)) ||
		    (sq == 0 && lang_geresh(s, len, at, 1))) {
			buf_putc(&b, '\'');
			continue;
		}
		bool open = opens && single_opens(s, len, p);
		if (!open && sq > 0 &&
		    !(alnum_at(p + 1) && letter_before(s, p)))
			sq--;
		sq += open;
		buf_puts(&b, open ? "\u2018" : "\u2019");
	}
	const char *out = arena_strndup(a, b.data, b.len);
	free(b.data);
	return out;
}

bool
compose_outer_marks(struct composer *c, const char *s, size_t len, int *depth,
                    struct buf *out)
{
	const char *q = tmpl_str(c->t, STR_QUOTE);
	const char *ph = strstr(q, "{text}");
	if (ph == NULL || strcmp(q, "\u201c{text}\u201d") == 0)
		return false; /* the smart marks are the template's */
	bool any = false;     /* a “ or ” to turn */
	for (size_t i = 0; i + 3 <= len && !any; i++)
		any = s[i] == '\xe2' && s[i + 1] == '\x80' &&
		      (s[i + 2] == '\x9c' || s[i + 2] == '\x9d');
	if (!any)
		return false;
	const char *close = ph + strlen("{text}");
	for (size_t i = 0; i < len;) {
		const char *p = s + i;
		size_t n = 1;
		int step = 0; /* +1 opens a quotation, -1 closes one */
		if (i + 3 <= len && memcmp(p, "\u201c", 3) == 0)
			n = 3, step = 1;
		else if (i + 3 <= len && memcmp(p, "\u201d", 3) == 0)
			n = 3, step = -1;
		else if (i + 2 <= len && memcmp(p, "\u00ab", 2) == 0)
			n = 2, step = 1;
		else if (i + 2 <= len && memcmp(p, "\u00bb", 2) == 0)
			n = 2, step = -1;
		bool outer = n == 3 && (step > 0 ? *depth == 0 : *depth == 1);
		if (outer && step > 0) {
			buf_add(out, q, (size_t)(ph - q));
			while (i + n < len && s[i + n] == ' ')
				i++; /* the marks bring their spaces */
		} else if (outer) {
			while (out->len > 0 && out->data[out->len - 1] == ' ')
				out->len--;
			buf_puts(out, close);
		} else {
			buf_add(out, p, n);
		}
		if (step > 0 || *depth > 0)
			*depth += step;
		i += n;
	}
	return true;
}

const char *
compose_quoted(struct composer *c, enum tmpl_str id, const char *key,
               const char *text)
{
	struct arena *a = c->job->arena;
	const char *t = tmpl_str(c->t, id);
	text = compose_smart(a, text);
	size_t len = strlen(text);
	/* The mark the template opens before the placeholder. */
	const char *ph = strstr(t, arena_printf(a, "{%s}", key));
	static const char *const marks[][3] = {
	    /* around it, and the inner opening and closing marks */
	    {"\u201c", "\u2018", "\u2019"}, /* “ ” : ‘ ’ */
	    {"\u00ab", "\u201c", "\u201d"}, /* « » : “ ” */
	};
	int kind = -1;
	for (int k = 0; ph != NULL && k < 2; k++) {
		const char *m = ph;
		for (size_t sp; (sp = space_before(t, (size_t)(m - t))) > 0;)
			m -= sp; /* past spaces: « \u00a0 */
		size_t n = strlen(marks[k][0]);
		if ((size_t)(m - t) >= n && memcmp(m - n, marks[k][0], n) == 0)
			kind = k;
	}
	if (kind < 0 || strpbrk(text, "\"\xab\xbb\x9c\x9d\x98") == NULL)
		return tmpl_fill(a, t, key, text, NULL);
	/*
	 * The text's quotation marks by their nesting: the first level inside
	 * the template's marks takes the other kind (‘ ’ inside “ ”, “ ” inside
	 * « »), the next the template's kind again (‘ ’ in French), and so on,
	 * whatever kind the text used at each level (Chicago 13.30; 13.7
	 * allows the change): “‘Energy Truce’ Holds,” « “trêve” ».  Straight
	 * marks were turned by compose_smart(); those left are inch marks and
	 * gershayim.  A ’ closes only a ‘, and between letters is an
	 * apostrophe.  German and Russian „…“ are kept as written, and what
	 * is inside them.
	 */
	static const char *const level[2][2][2] = {
	    {{"\u2018", "\u2019"}, {"\u201c", "\u201d"}},
	    {{"\u201c", "\u201d"}, {"\u2018", "\u2019"}},
	};
	enum { MOST = 32 };
	bool single[MOST]; /* each level open: opened by ‘ */
	int depth = 0;
	struct buf b = {0};
	for (const char *p = text; *p;) {
		if (strncmp(p, "\u201e", 3) == 0) {
			const char *shut = strstr(p + 3, "\u201c");
			const char *to =
			    shut != NULL ? shut + 3 : p + strlen(p);
			buf_add(&b, p, (size_t)(to - p));
			p = to;
			continue;
		}
		size_t at = (size_t)(p - text), n = 0;
		bool opening = false, closing = false, sq = false;
		if (strncmp(p, "\u201c", 3) == 0 ||
		    strncmp(p, "\u00ab", 2) == 0) {
			n = p[1] == '\x80' ? 3 : 2;
			opening = true;
		} else if (strncmp(p, "\u2018", 3) == 0) {
			n = 3;
			opening = sq = true;
		} else if (strncmp(p, "\u201d", 3) == 0 ||
		           strncmp(p, "\u00bb", 2) == 0) {
			n = p[1] == '\x80' ? 3 : 2;
			closing = depth > 0 && !lang_geresh(text, len, at, n);
		} else if (strncmp(p, "\u2019", 3) == 0) {
			n = 3;
			closing = depth > 0 && depth <= MOST &&
			          single[depth - 1] &&
			          !(letter_before(text, p) && letter_at(p + 3));
		}
		if ((!opening && !closing) || (opening && depth >= MOST) ||
		    (closing && depth > MOST)) {
			if (opening || closing)
				depth += opening ? 1 : -1;
			if (n == 0)
				n = 1;
			buf_add(&b, p, n);
			p += n;
			continue;
		}
		if (opening)
			single[depth++] = sq;
		const char *to = level[kind][(depth - 1) % 2][closing];
		if (closing)
			depth--;
		p += n;
		/* The spaces inside « » are theirs: “ ” and ‘ ’ take none,
		 * nor do they in French. */
		bool spaced = n == 2 || kind == 1;
		for (size_t sp; closing && spaced &&
		                (sp = space_before(b.data, b.len)) > 0;)
			b.len -= sp;
		buf_puts(&b, to);
		for (size_t sp; opening && spaced && (sp = space_at(p)) > 0;)
			p += sp;
	}
	const char *out =
	    tmpl_fill(a, t, key, arena_strndup(a, b.data, b.len), NULL);
	free(b.data);
	return out;
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
	    a, tmpl_str(c->t, d == 1 ? STR_DATE_FIRST : STR_DATE), "day",
	    arena_printf(a, "%d", d), "dd", arena_printf(a, "%02d", d), "month",
	    tmpl_list(c->t, LIST_MONTHS, m - 1), "mm",
	    arena_printf(a, "%02d", m), "year", arena_printf(a, "%d", y), NULL);
}

/* The first word of s with its first letter in capitals (a note
 * begins a sentence). */
static const char *
capitalised(struct arena *a, const char *s)
{
	uint32_t cp;
	size_t len = strlen(s), k = utf8_decode(s, len, &cp);
	if (k == 0 || compose_upper(cp) == cp)
		return s;
	char *out = arena_alloc(a, len + 1);
	size_t n = utf8_encode(compose_upper(cp), out);
	memcpy(out + n, s + k, len - k + 1);
	return out;
}

/* Part s[0..n) of a title's word, set as headline style asks: minor in
 * lower case, else with a capital; as written when it has a capital
 * after its first letter or a digit ("iPhone", "US", "G7") or begins
 * with no ASCII letter. */
static void
headline_part(char *s, size_t n, bool minor_ok)
{
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return;
	for (size_t i = 1; i < n; i++)
		if (isupper((unsigned char)s[i]) ||
		    isdigit((unsigned char)s[i]))
			return;
	bool minor = minor_ok && lang_minor_word(s, n);
	s[0] = (char)(minor ? tolower((unsigned char)s[0])
	                    : toupper((unsigned char)s[0]));
}

/*
 * An English title in Chicago's headline style: its first and last
 * words, the first after a colon or a dash, and every major word begin
 * with a capital; articles, prepositions and coordinating conjunctions
 * inside it do not ("Trump-Putin Phone Call Expected This Week").
 */
static const char *
headline(struct arena *a, const char *title)
{
	char *t = arena_strdup(a, title);
	size_t len = strlen(t);
	bool after_break = true; /* the first word, or one after ": " */
	for (size_t i = 0; i < len;) {
		while (i < len && t[i] == ' ')
			i++;
		size_t e = i;
		while (e < len && t[e] != ' ')
			e++;
		bool last = e >= len;
		/* The word without the quotation marks or brackets around
		 * it; its parts between hyphens each get the rule. */
		size_t b = i, f = e;
		while (b < f && !isalnum((unsigned char)t[b]) &&
		       ((unsigned char)t[b] < 0x80 ||
		        strncmp(t + b, "\u2018", 3) == 0 ||
		        strncmp(t + b, "\u201c", 3) == 0))
			b += (unsigned char)t[b] < 0x80 ? 1 : 3;
		while (f > b && !isalnum((unsigned char)t[f - 1]) &&
		       (unsigned char)t[f - 1] < 0x80)
			f--;
		bool first_part = true;
		for (size_t p = b; p < f;) {
			size_t q = p;
			while (q < f && t[q] != '-')
				q++;
			headline_part(t + p, q - p,
			              !(after_break && first_part) &&
			                  !(last && q >= f));
			first_part = false;
			p = q + 1;
		}
		after_break =
		    e > i &&
		    (strchr(":?!", t[e - 1]) != NULL ||
		     (e - i == 3 && (strncmp(t + i, "\u2014", 3) == 0 ||
		                     strncmp(t + i, "\u2013", 3) == 0)));
		i = e;
	}
	return t;
}

/* The language of src: its own, else the briefing's, else English. */
static const char *
source_lang(const struct composer *c, const struct source *src)
{
	return src->language.s     ? src->language.s
	       : c->m->meta.lang.s ? c->m->meta.lang.s
	                           : "en";
}

static bool
is_english(const char *lang)
{
	return lang != NULL && strncmp(lang, "en", 2) == 0 &&
	       (lang[2] == '\0' || lang[2] == '-');
}

/* The title of src as printed: in headline style when the source (or,
 * if it does not say, the briefing) is in English. */
static const char *
source_title(struct composer *c, const struct source *src)
{
	if (src->title.s == NULL)
		return NULL;
	return is_english(source_lang(c, src))
	           ? headline(c->job->arena, src->title.s)
	           : src->title.s;
}

/* The template's words for id. */
static const char *
S(const struct composer *c, enum tmpl_str id)
{
	return tmpl_str(c->t, id);
}

/* Appends s to note n; the note's first words start with a capital. */
static struct doc_run *
note_text(struct composer *c, struct doc_note *n, const char *s, unsigned flags,
          struct loc loc)
{
	if (!(flags & RUN_NOHYPH)) /* an address or a path: as written */
		s = compose_smart(c->job->arena, s);
	if (n->nruns == 0)
		s = capitalised(c->job->arena, s);
	return doc_note_add_run(&c->runs, n, s, flags, loc);
}

/* The bytes of the closing quotation mark that ends s[0..len), or 0. */
static size_t
closing_quote(const char *s, size_t len)
{
	static const char *const marks[] = {"\u201d", "\u2019", "\u00bb", "\""};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		size_t k = strlen(marks[i]);
		if (len >= k && memcmp(s + len - k, marks[i], k) == 0) {
			/* A ’ that no ‘ opened is an apostrophe (the
			 * Workers’), after which the mark goes. */
			if (i == 1) {
				int open = 0; /* ‘ not closed before it */
				for (size_t j = 0; j + 3 <= len - k; j++)
					if (memcmp(s + j, "\u2018", 3) == 0)
						open++;
					else if (memcmp(s + j, "\u2019", 3) ==
					             0 &&
					         open > 0 &&
					         !letter_at(s + j + 3))
						open--;
				if (open == 0)
					return 0;
			}
			return k;
		}
	}
	return 0;
}

/*
 * Appends the mark (',' ';' ':' or '.') that parts a note's pieces, and
 * space after it, merged with what ends the note as Chicago
 * merges punctuation: a comma or full stop goes inside a closing
 * quotation mark; the full stop that ends a quotation gives way to the
 * mark; a full stop after ". ? !", or a comma after "? !", is left out.
 */
static void
put_mark(struct composer *c, struct doc_note *n, char mark, const char *space,
         struct loc loc)
{
	struct arena *a = c->job->arena;
	struct doc_run *r = n->nruns > 0 ? &n->runs[n->nruns - 1] : NULL;
	if (r == NULL || r->uri != NULL || r->note != 0) {
		doc_note_add_run(&c->runs, n,
		                 arena_printf(a, "%c%s", mark, space), 0, loc);
		return;
	}
	const char *t = r->text;
	/* The closing marks the text ends with, and the French spaces
	 * inside them: « il a dit “stop.” ». */
	size_t len = strlen(t), q = len, k;
	bool fr = false; /* a » just stripped: French space inside it */
	for (;;)
		if ((k = closing_quote(t, q)) > 0) {
			fr = memcmp(t + q - k, "\u00bb", k) == 0;
			q -= k;
		} else if (fr && (k = space_before(t, q)) > 0) {
			q -= k;
		} else {
			break;
		}
	size_t e = q;
	/* The last dot of an ellipsis written as dots is no full stop. */
	char end = e > 1 && t[e - 1] == '.' && t[e - 2] == '.' ? '\0'
	           : e > 0                                     ? t[e - 1]
	                                                       : '\0';
	bool quoted = q < len;
	/* American quotation marks take a comma or full stop inside, the
	 * marks of quotations nested in them too (“… ‘… “Over.”’”); single
	 * (British) marks and guillemets leave it outside. */
	bool inside = quoted && strstr(t + q, "\u00bb") == NULL &&
	              ((len >= 3 && strcmp(t + len - 3, "\u201d") == 0) ||
	               t[len - 1] == '"');
	if (end == '.' || end == '?' || end == '!') {
		if (mark == '.' || (mark == ',' && end != '.')) {
			if (space[0])
				doc_note_add_run(&c->runs, n, space, 0, loc);
			return;
		}
		if (end == '.' && quoted) {
			/* "ceasefire.”" and ';' → "ceasefire”;" */
			r->text =
			    arena_printf(a, "%.*s%s", (int)(e - 1), t, t + e);
			t = r->text;
			q--;
		}
	}
	/* Inside guillemets inside “ ”, the mark goes before the ” only:
	 * “«Это не перемирие».” */
	if (quoted && (mark == ',' || mark == '.') && !inside &&
	    strstr(t + q, "\u00bb") != NULL && strlen(t) >= 3 &&
	    strcmp(t + strlen(t) - 3, "\u201d") == 0) {
		size_t at = strlen(t) - 3;
		r->text = arena_printf(a, "%.*s%c%s", (int)at, t, mark, t + at);
	} else if (inside && (mark == ',' || mark == '.'))
		r->text = arena_printf(a, "%.*s%c%s", (int)q, t, mark, t + q);
	else
		space = arena_printf(a, "%c%s", mark, space);
	if (space[0])
		doc_note_add_run(&c->runs, n, space, 0, loc);
}

/* put_mark() with a space after all but a note's closing full stop. */
static void
note_mark(struct composer *c, struct doc_note *n, char mark, struct loc loc)
{
	put_mark(c, n, mark, mark == '.' ? "" : " ", loc);
}

/* Whether w[0..n) is a word a name is made of in lower case ("de",
 * "van") or that marks a desk or an agency rather than a person. */
static bool
is_word(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncmp(w, *list, n) == 0)
			return true;
	return false;
}

static const char *const particles[] = {
    "de",  "del", "della", "der", "den", "di", "du",  "da",  "dos", "la", "le",
    "van", "von", "ter",   "ten", "al",  "el", "bin", "ibn", "y",   NULL};

/*
 * Where a person's surname starts in name: "Iryna Perepechko" at
 * "Perepechko", "Ursula von der Leyen" at "von"; -1 for a name that is
 * not one person's: a desk or agency ("The Kyiv Independent news
 * desk", "Reuters"), several people, one already inverted.
 */
static int
surname_at(const char *name)
{
	if (strchr(name, ',') != NULL || strstr(name, " and ") != NULL ||
	    strncmp(name, "The ", 4) == 0)
		return -1;
	size_t start[6], len[6], words = 0;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, " ");
		if (n == 0) {
			p++;
			continue;
		}
		if (words == 6)
			return -1;
		start[words] = (size_t)(p - name);
		len[words] = n;
		if (!is_word(p, n, particles) && !(p[0] & 0x80) &&
		    !isupper((unsigned char)p[0]))
			return -1; /* "news desk", "staff" */
		words++;
		p += n;
	}
	if (words < 2)
		return -1;
	size_t w = words - 1; /* the last word, with the particles before */
	while (w > 1 && is_word(name + start[w - 1], len[w - 1], particles))
		w--;
	return (int)start[w];
}

/* A person's surname ("Iryna Perepechko": "Perepechko"; "Ursula von der
 * Leyen": "von der Leyen"); a desk, an agency or several people as
 * written. */
static const char *
surname(struct arena *a, const char *author)
{
	int at = surname_at(author);
	return at < 0 ? author : arena_strdup(a, author + at);
}

/* A person's name surname first ("Perepechko, Iryna"); others as
 * written. */
static const char *
inverted(struct arena *a, const char *author)
{
	int at = surname_at(author);
	if (at <= 0)
		return author;
	return arena_printf(a, "%s, %.*s", author + at, at - 1, author);
}

/* Whether word k of the words that start at p and end at ends[] ends in
 * "'s" or "’s". */
static bool
possessive(const char *p, const char *const *ends, int k)
{
	const char *start = k > 0 ? ends[k - 1] : p;
	const char *e = ends[k];
	while (e > start && strchr(",;:.", e[-1]) != NULL)
		e--;
	return (e - start >= 3 && e[-1] == 's' && e[-2] == '\'') ||
	       (e - start >= 5 && e[-1] == 's' &&
	        memcmp(e - 4, "\u2019", 3) == 0) ||
	       (e - start >= 4 && e[-1] == 's' &&
	        memcmp(e - 3, "\u02bc", 2) == 0);
}

/*
 * s[0..n), a title cut short, with the quotations it opens and does not
 * close closed: “It’s the ‘Deal’” of “It’s the ‘Deal of the Century’”.
 * A ’ between letters is an apostrophe.
 */
static const char *
closed(struct arena *a, const char *s, size_t n)
{
	static const char *const pairs[][2] = {{"\u201c", "\u201d"},
	                                       {"\u2018", "\u2019"},
	                                       {"\u00ab", "\u00bb"},
	                                       {"\u201e", "\u201c"}};
	int open[8], nopen = 0;
	bool straight = false;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			k = 1;
		/* Not an inch mark: 12". */
		if (s[i] == '"' &&
		    !(i > 0 && isdigit((unsigned char)s[i - 1])) &&
		    !lang_geresh(s, n, i, 1))
			straight = !straight;
		/* A mark that closes the quotation open, first: “ closes an
		 * open „; ’ between letters is an apostrophe. */
		bool done = false;
		if (nopen > 0) {
			int q = open[nopen - 1];
			size_t cl = strlen(pairs[q][1]);
			if (strncmp(s + i, pairs[q][1], cl) == 0) {
				done = true;
				if (!(q == 1 && i > 0 && i + cl < n &&
				      isalpha((unsigned char)s[i - 1]) &&
				      isalpha((unsigned char)s[i + cl])))
					nopen--;
			}
		}
		for (int q = 0; q < 4 && !done; q++)
			if (strncmp(s + i, pairs[q][0], strlen(pairs[q][0])) ==
			        0 &&
			    nopen < 8) {
				open[nopen++] = q;
				done = true;
			}
		i += k;
	}
	if (nopen == 0 && !straight)
		return arena_strndup(a, s, n);
	struct buf b = {0};
	buf_add(&b, s, n);
	while (nopen > 0)
		buf_puts(&b, pairs[open[--nopen]][1]);
	if (straight)
		buf_putc(&b, '"');
	const char *out = arena_strndup(a, b.data, b.len);
	free(b.data);
	return out;
}

/*
 * A short title of at most four words (five where the fourth is a
 * possessive), cut at a word, of a title in language lang: an article
 * ("The", "A", "An") and a subtitle (after a colon or a spaced dash) left
 * out.  The cut comes before a small word of the title's
 * language ("of", "to", "de", "της" ..., lang_small_word()) when one
 * follows the second to fourth word, so that a phrase is not left
 * hanging ("Report on Witkoff's dismissal", not "... dismissal of
 * Ukrainian").
 */
static const char *
short_title(struct composer *c, const char *title, const char *lang)
{
	const char *p = title;
	lang = lang_of_text(title, strlen(title), lang);
	static const char *const articles[] = {"The ", "A ", "An ", NULL};
	for (const char *const *w = articles; *w; w++)
		if (strncmp(p, *w, strlen(*w)) == 0 && p[strlen(*w)] != '\0')
			p += strlen(*w);
	const char *ends[6];
	bool small[6];
	int words = 0;
	for (const char *q = p; *q && words < 5;) {
		size_t n = strcspn(q, " ");
		/* A dash closed up to the words around it, after the first
		 * word, opens a subtitle too: "Energy Truce—Day One Passes"
		 * (not "Trump—Putin Call"). */
		bool dash = false;
		for (size_t d = 1; words > 0 && d + 3 <= n && !dash; d++)
			if (memcmp(q + d, "\u2014", 3) == 0) {
				n = d;
				dash = true;
			}
		if (strncmp(q, "\u2014 ", 4) == 0 ||
		    strncmp(q, "\u2013 ", 4) == 0)
			break; /* a spaced dash opens a subtitle */
		small[words] = lang_small_word(lang, q, n, true);
		ends[words++] = q + n;
		if (dash || (n > 0 && q[n - 1] == ':'))
			break;
		q += n;
		while (*q == ' ')
			q++;
	}
	if (words == 0)
		return p;
	int keep = words < 4 ? words : 4;
	if (words == 5) /* cut before a small word, not after one */
		for (int k = 4; k >= 2; k--)
			if (small[k] && !small[k - 1]) {
				keep = k;
				break;
			}
	/* Nor after a possessive: the word it belongs to comes too, a
	 * fifth ("White House denied Trump's conversation"). */
	if (keep == 4 && words == 5 && !small[4] && possessive(p, ends, 3))
		keep = 5;
	const char *end = ends[keep - 1];
	while (end > p && strchr(",;:.- ", end[-1]) != NULL)
		end--;
	if (*end == '\0')
		return p;
	/* A comma or colon just inside the closing marks the cut ends on
	 * goes too: “‘We Will Not Retreat’” of “‘We Will Not Retreat,’
	 * Says ...”. */
	size_t len = (size_t)(end - p), q = len, k;
	while ((k = closing_quote(p, q)) > 0)
		q -= k;
	if (q < len && q > 0 && strchr(",;:", p[q - 1]) != NULL)
		return closed(c->job->arena,
		              arena_printf(c->job->arena, "%.*s%.*s",
		                           (int)(q - 1), p, (int)(len - q),
		                           p + q),
		              len - 1);
	return closed(c->job->arena, p, len);
}

/* The date of src as printed, or "n.d.". */
static const char *
source_date(struct composer *c, const struct source *src)
{
	return src->date.s ? compose_date(c, src->date.s) : S(c, STR_NO_DATE);
}

/* What follows the outlet, in a note and in the sources list: "via"
 * the republisher, the date (or "n.d."), when the analyst accessed it. */
static void
source_tail(struct composer *c, struct doc_note *n, const struct source *src,
            bool after, struct loc loc)
{
	struct arena *a = c->job->arena;
	if (src->via.s) {
		if (after)
			note_mark(c, n, ',', loc);
		note_text(c, n,
		          tmpl_fill(a, S(c, STR_VIA), "via", src->via.s, NULL),
		          0, src->via.loc);
		after = true;
	}
	if (after)
		note_mark(c, n, ',', loc);
	note_text(c, n, source_date(c, src), 0, loc);
	if (src->accessed.s) {
		note_mark(c, n, ',', loc);
		note_text(c, n,
		          tmpl_fill(a, S(c, STR_ACCESSED), "date",
		                    compose_date(c, src->accessed.s), NULL),
		          0, src->accessed.loc);
	}
}

/* The full reference: author, “title” (or the description), outlet,
 * date; what the source does not say is left out. */
/* Where a source's title, or its description, is written. */
static struct loc
title_loc(const struct source *src)
{
	return src->title.s ? src->title.loc : src->description.loc;
}

static void
note_full(struct composer *c, struct doc_note *n, const struct source *src,
          bool suppress_author, struct loc loc)
{
	size_t start = n->nruns;
	if (src->author.s && !suppress_author)
		note_text(c, n, src->author.s, RUN_ISOLATE, src->author.loc);
	const char *title = src->title.s
	                        ? compose_quoted(c, STR_NOTE_TITLE, "title",
	                                         source_title(c, src))
	                        : src->description.s;
	if (title) {
		if (n->nruns > start)
			note_mark(c, n, ',', loc);
		note_text(c, n, title, RUN_ISOLATE, title_loc(src));
	}
	if (src->outlet.s) {
		if (n->nruns > start)
			note_mark(c, n, ',', loc);
		note_text(c, n, src->outlet.s, RUN_ITALIC | RUN_ISOLATE,
		          src->outlet.loc);
	}
	source_tail(c, n, src, n->nruns > start, loc);
}

/*
 * The short reference: the author's surname (or the outlet), a short
 * title (or the description cut the same way).  Its words are the same
 * in every note, so they are made once per source.
 */
static const struct short_ref *
short_ref(struct composer *c, const struct source *src)
{
	struct short_ref *r = &c->short_refs[src - c->m->sources];
	if (r->made)
		return r;
	struct arena *a = c->job->arena;
	r->made = true;
	r->who = src->author.s   ? surname(a, src->author.s)
	         : src->outlet.s ? src->outlet.s
	                         : NULL;
	r->title =
	    src->title.s ? compose_quoted(c, STR_NOTE_TITLE, "title",
	                                  short_title(c, source_title(c, src),
	                                              source_lang(c, src)))
	    : src->description.s
	        ? short_title(c, src->description.s,
	                      c->m->meta.lang.s ? c->m->meta.lang.s : "en")
	        : NULL;
	return r;
}

static void
note_short(struct composer *c, struct doc_note *n, const struct source *src,
           bool suppress_author, struct loc loc)
{
	size_t start = n->nruns;
	const struct short_ref *r = short_ref(c, src);
	if (r->who && !suppress_author)
		note_text(c, n, r->who,
		          (src->author.s ? 0 : RUN_ITALIC) | RUN_ISOLATE,
		          src->author.s ? src->author.loc : src->outlet.loc);
	const char *title = r->title;
	if (title == NULL && n->nruns == start)
		title = source_date(c, src);
	if (title) {
		if (n->nruns > start)
			note_mark(c, n, ',', loc);
		bool field = src->title.s || src->description.s;
		note_text(c, n, title, field ? RUN_ISOLATE : 0,
		          field ? title_loc(src) : loc);
	}
}

/*
 * Appends the reference for src to note n: the full form the first time
 * the source is cited, the short form after that, then the locator, the
 * address (full form), the cross-reference to the full form (short form,
 * when the template asks) and the quotation.
 */
static void
note_source(struct composer *c, struct doc_note *n, const struct source *src,
            const char *locator, struct loc locator_loc, const char *quote,
            bool suppress_author, struct loc loc)
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

	if (first)
		note_full(c, n, src, suppress_author, loc);
	else
		note_short(c, n, src, suppress_author, loc);
	if (locator) {
		note_mark(c, n, ',', loc);
		note_text(c, n, locator, RUN_ISOLATE, locator_loc);
	}
	if (first && src->url.s) {
		note_mark(c, n, ',', loc);
		struct doc_run *r =
		    note_text(c, n, src->url.s, RUN_NOHYPH | RUN_ISOLATE, loc);
		r->uri = src->url.s;
	}
	if (!first && c->t->note_cross_reference)
		note_text(
		    c, n,
		    tmpl_fill(a, S(c, STR_NOTE_FIRST), "n",
		              arena_printf(a, "%u", c->source_first_note[idx]),
		              NULL),
		    0, loc);
	if (quote)
		note_text(c, n,
		          compose_quoted(c, STR_NOTE_QUOTE, "text", quote),
		          RUN_ISOLATE, loc);
}

void
compose_note_source(struct composer *c, struct doc_note *n,
                    const struct source *src, const struct str *locator,
                    const char *quote, struct loc loc)
{
	note_source(c, n, src, locator ? locator->s : NULL,
	            locator ? locator->loc : loc, quote, false, loc);
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
	note_source(c, n, src, locator, loc, NULL, it->suppress_author, loc);
}

void
compose_note_sep(struct composer *c, struct doc_note *n, struct loc loc)
{
	note_mark(c, n, ';', loc);
}

void
compose_note_end(struct composer *c, struct doc_note *n, struct loc loc)
{
	note_mark(c, n, '.', loc);
}

const char *
compose_source_name(const struct source *s)
{
	return s->outlet.s        ? s->outlet.s
	       : s->author.s      ? s->author.s
	       : s->title.s       ? s->title.s
	       : s->description.s ? s->description.s
	                          : s->id.s;
}

/* A source's element that leads its entry in the sources list: the
 * author, else the outlet; NULL for neither. */
static const char *
bib_lead(const struct source *s)
{
	return s->author.s ? s->author.s : s->outlet.s;
}

void
compose_bib_entry(struct composer *c, const struct source *s,
                  struct doc_note *out, struct loc loc)
{
	struct arena *a = c->job->arena;
	const char *lead = bib_lead(s);
	if (s->author.s)
		note_text(c, out, inverted(a, s->author.s), RUN_ISOLATE,
		          s->author.loc);
	else if (lead)
		note_text(c, out, lead, RUN_ITALIC | RUN_ISOLATE,
		          s->outlet.loc);
	const char *title =
	    s->title.s
	        ? compose_quoted(c, STR_NOTE_TITLE, "title", source_title(c, s))
	        : s->description.s;
	if (title) {
		if (out->nruns > 0)
			put_mark(c, out, '.', " ", loc);
		note_text(c, out, title, RUN_ISOLATE, title_loc(s));
	}
	bool outlet = s->outlet.s && s->author.s;
	if (outlet) {
		put_mark(c, out, '.', " ", loc);
		note_text(c, out, s->outlet.s, RUN_ITALIC | RUN_ISOLATE,
		          s->outlet.loc);
	}
	if (s->via.s) {
		put_mark(c, out, outlet ? ',' : '.', " ", loc);
		note_text(c, out,
		          tmpl_fill(a, S(c, STR_VIA), "via", s->via.s, NULL), 0,
		          s->via.loc);
		outlet = true;
	}
	if (out->nruns > 0)
		put_mark(c, out, outlet ? ',' : '.', " ", loc);
	note_text(c, out, source_date(c, s), 0, loc);
	if (s->accessed.s) {
		put_mark(c, out, ',', " ", loc);
		note_text(c, out,
		          tmpl_fill(a, S(c, STR_ACCESSED), "date",
		                    compose_date(c, s->accessed.s), NULL),
		          0, s->accessed.loc);
	}
	if (s->url.s) {
		put_mark(c, out, '.', " ", loc);
		struct doc_run *r =
		    note_text(c, out, s->url.s, RUN_NOHYPH | RUN_ISOLATE, loc);
		r->uri = s->url.s;
	}
	put_mark(c, out, '.', " ", loc);
}

/* s without an opening article or quotation mark, for sorting. */
static const char *
sort_from(const char *s)
{
	static const char *const skip[] = {"The ",   "A ", "An ", "\u201c",
	                                   "\u2018", "\"", NULL};
	for (const char *const *w = skip; *w; w++)
		if (strncmp(s, *w, strlen(*w)) == 0)
			return s + strlen(*w);
	return s;
}

/* Compares a and b letter by letter, ignoring case in ASCII. */
static int
compare_words(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = tolower((unsigned char)*a),
		    y = tolower((unsigned char)*b);
		if (x != y || x == 0)
			return x - y;
	}
}

int
compose_bib_order(const struct source *a, const struct source *b)
{
	const char *ka[3], *kb[3];
	const struct source *s[2] = {a, b};
	const char **k[2] = {ka, kb};
	for (int i = 0; i < 2; i++) {
		const char *author = s[i]->author.s;
		int at = author ? surname_at(author) : -1;
		k[i][1] = s[i]->title.s         ? s[i]->title.s
		          : s[i]->description.s ? s[i]->description.s
		                                : s[i]->outlet.s;
		k[i][0] = author           ? author + (at > 0 ? at : 0)
		          : s[i]->outlet.s ? s[i]->outlet.s
		                           : k[i][1];
		k[i][2] = s[i]->date.s;
	}
	for (int j = 0; j < 3; j++) {
		if (ka[j] == NULL || kb[j] == NULL) {
			if (ka[j] != kb[j])
				return ka[j] == NULL ? 1 : -1;
			continue;
		}
		int d = compare_words(sort_from(ka[j]), sort_from(kb[j]));
		if (d != 0)
			return d;
	}
	return 0;
}
