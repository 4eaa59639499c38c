/*
 * Typeset stage: paragraphs.  Turns styled runs into boxes, glue and
 * penalties, breaks them into lines (linebreak.c), and positions the words
 * of each line: justified or ragged as the style says.
 */
#include "typeset_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "../base/utf8.h"

/* A piece of text drawn as one unit: part of a word, or a note marker. */
struct piece {
	const char *text;
	uint32_t len;
	enum face face;
	int32_t size; /* [mpt] */
	int32_t rise; /* baseline shift [mpt] */
	uint32_t color;
	const char *uri;
	uint32_t note;     /* note marker: the note's number */
	int32_t goto_page; /* link to this page, 1-based */
	struct loc loc;
	bool nohyph;
	bool strike;        /* struck through */
	const int32_t *pen; /* NULL, or where each part of the text starts
	                     * [1/1000 em] (word_pen()) */
	uint8_t level;      /* bidi embedding level: odd is right to left */
};

struct builder {
	struct typesetter *ts;
	const struct style *st;
	int32_t width;
	bool ragged;
	bool hyphenate;
	bool quiet;    /* a rebuild: problems were reported already */
	bool one_line; /* its words fit on one line, no forced break */
	bool has_bidi; /* right-to-left text: bidi holds the levels */
	struct bidi bidi;
	struct lb_item *items;
	struct piece *pieces; /* pieces[i] belongs to items[i] when a box */
	size_t n, cap;
};

/* The item and piece arrays, kept from one paragraph to the next. */
struct para_bufs {
	struct lb_item *items;
	struct piece *pieces;
	size_t cap;
};

void
para_bufs_free(struct typesetter *ts)
{
	if (ts->para == NULL)
		return;
	free(ts->para->items);
	free(ts->para->pieces);
	free(ts->para);
	ts->para = NULL;
}

static void
push(struct builder *b, struct lb_item it, const struct piece *pc)
{
	if (b->n == b->cap) {
		struct para_bufs *pb = b->ts->para;
		if (pb == NULL)
			pb = b->ts->para = mem_realloc(NULL, 1, sizeof *pb),
			*pb = (struct para_bufs){NULL, NULL, 0};
		size_t ncap = pb->cap ? pb->cap * 2 : 256;
		pb->items = mem_realloc(pb->items, ncap, sizeof *pb->items);
		pb->pieces = mem_realloc(pb->pieces, ncap, sizeof *pb->pieces);
		pb->cap = ncap;
		b->items = pb->items;
		b->pieces = pb->pieces;
		b->cap = ncap;
	}
	b->items[b->n] = it;
	/* Only a box has a piece, and in a paragraph with right-to-left
	 * text the glue of a word space (level_spaces()): what pieces[]
	 * holds at other items is never read. */
	if (pc)
		b->pieces[b->n] = *pc;
	else if (b->has_bidi)
		b->pieces[b->n] = (struct piece){0};
	b->n++;
}

enum face
ts_face(enum face base, unsigned flags)
{
	bool sans = base == FACE_SANS || base == FACE_SANS_BOLD;
	bool bold = base == FACE_SERIF_BOLD || base == FACE_SANS_BOLD ||
	            (flags & RUN_BOLD);
	if (flags & RUN_CODE)
		return bold ? FACE_SANS_BOLD : FACE_SANS;
	if (bold)
		return sans ? FACE_SANS_BOLD : FACE_SERIF_BOLD;
	if ((flags & RUN_ITALIC) && !sans)
		return FACE_SERIF_ITALIC;
	if (base == FACE_SERIF_ITALIC)
		return FACE_SERIF_ITALIC;
	return sans ? FACE_SANS : FACE_SERIF;
}

/* Marks the missing glyph key (face * 0x110000 + code point) reported;
 * false if it was already. */
static bool
warn_once(struct typesetter *ts, uint32_t key)
{
	if (ts->warned[key / 8] & (1u << (key % 8)))
		return false;
	ts->warned[key / 8] |= (uint8_t)(1u << (key % 8));
	return true;
}

/* Reports code point cp, at s in word[0..len) of text from loc, once per
 * face. */
static void
warn_missing(struct typesetter *ts, enum face f, uint32_t cp, const char *s,
             const char *word, size_t len, struct loc loc)
{
	uint32_t key = (uint32_t)f * 0x110000u + cp;
	if (!warn_once(ts, key))
		return;
	char ch[5] = {0};
	utf8_encode(cp, ch);
	struct loc at;
	if (!ts_missing_loc(ts, s, loc, cp, word, len, &at) && at.file == NULL)
		/* Words the program makes (a note's number): the face's
		 * fonts are where to look. */
		at = ts->t->font_locs[f][0];
	diag_warning(ts->job->diag, at,
	             "character U+%04X (\"%s\") is not in the %s font; it "
	             "prints as a box",
	             (unsigned)cp, ch, tmpl_face_names[f]);
}

void
ts_warn_missing(struct typesetter *ts, enum face f, const char *s, size_t len,
                struct loc loc)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			k = 1, cp = 0xFFFD;
		if (!ts->m->covers(ts->m->ctx, f, cp))
			warn_missing(ts, f, cp, s + i, s, len, loc);
		i += k;
	}
}

int32_t
ts_word_width(struct typesetter *ts, enum face f, const char *s, size_t len,
              bool rtl, struct loc loc)
{
	bool missing = false;
	int32_t w = ts->m->word(ts->m->ctx, f, s, len, rtl, &missing, NULL);
	if (missing)
		ts_warn_missing(ts, f, s, len, loc);
	return w;
}

int32_t
ts_advance(struct typesetter *ts, enum face f, uint32_t cp, struct loc loc)
{
	char ch[4];
	size_t n = utf8_encode(cp, ch);
	return ts_word_width(ts, f, ch, n, false, loc);
}

int32_t
ts_text_width(struct typesetter *ts, enum face f, int32_t size, const char *s,
              size_t len, struct loc loc)
{
	int64_t adv = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == ' ') {
			adv += ts->space[f];
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < len && s[j] != ' ')
			j++;
		adv += ts_word_width(ts, f, s + i, j - i, false, loc);
		i = j;
	}
	int64_t w = adv * size / 1000;
	return w < TS_MAX_WIDTH ? (int32_t)w : TS_MAX_WIDTH;
}

static int32_t
space_width(struct builder *b, enum face f, int32_t size)
{
	/* ts_text_width() of " ", without looking the space up. */
	int64_t w = (int64_t)b->ts->space[f] * size / 1000;
	return w < TS_MAX_WIDTH ? (int32_t)w : TS_MAX_WIDTH;
}

/* Glue for an inter-word space, justified or ragged right. */
static void
push_space(struct builder *b, enum face f, int32_t size)
{
	if (b->n == 0 || b->items[b->n - 1].type != LB_BOX)
		return;
	/* Flagged: glue that is a word space, drawn as U+0020. */
	int32_t w = space_width(b, f, size);
	if (!b->ragged) {
		push(b, (struct lb_item){LB_GLUE, true, w, w / 2, w / 3, 0},
		     NULL);
		return;
	}
	/* Ragged right (Knuth and Plass, section "Variations"): the stretch
	 * is available only where the line ends. */
	int32_t rag = size * 3;
	push(b, (struct lb_item){LB_GLUE, true, 0, rag, 0, 0}, NULL);
	push(b, (struct lb_item){LB_PENALTY, false, 0, 0, 0, 0}, NULL);
	push(b, (struct lb_item){LB_GLUE, true, w, -rag, 0, 0}, NULL);
}

/*
 * Whether the space between word prev[0..np) and word next[0..nn) is one
 * a line may not break at (TeX's tie, ~): between a number and a month
 * or a unit ("18 March", "30 days"), between a month and its day
 * ("March 18"; a year may go to the next line), after a dash that opens
 * an attribution ("— Peskov"), and the spaces French sets inside « » and
 * before ; : ! ? (typed as spaces: no line starts with the mark).
 */
static bool
is_tie(const struct builder *b, const char *prev, size_t np, const char *next,
       size_t nn)
{
	static const char *const units[] = {
	    "day",  "days",   "hour",       "hours",  "minute", "minutes",
	    "week", "weeks",  "month",      "months", "year",   "years",
	    "km",   "metres", "kilometres", "miles",  "MW",     "GW",
	    "kV",   "per",    "percent",    "%",      "pm",     "am",
	    "GMT",  "UTC",    "BST",        "CET",    "EET",    "MSK",
	};
	if (np == 3 && memcmp(prev, "\u2014", 3) == 0)
		return true;
	if ((nn > 0 && (next[0] == ';' || next[0] == ':' || next[0] == '!' ||
	                next[0] == '?')) ||
	    (nn >= 2 && memcmp(next, "\u00bb", 2) == 0) ||
	    (np >= 2 && memcmp(prev + np - 2, "\u00ab", 2) == 0))
		return true;
	/* The number without the bracket before it ("(19 March"). */
	while (np > 0 && (prev[0] == '(' || prev[0] == '[')) {
		prev++;
		np--;
	}
	bool prev_num = np > 0 && isdigit((unsigned char)prev[0]) &&
	                isdigit((unsigned char)prev[np - 1]);
	/* The next word without the punctuation after it. */
	while (nn > 0 && strchr(".,;:?!)", next[nn - 1]))
		nn--;
	/* A day after its month ("March 18"), not a year ("March 2025"). */
	bool next_num = nn > 0 && nn <= 2 && isdigit((unsigned char)next[0]) &&
	                isdigit((unsigned char)next[nn - 1]);
	if (!prev_num && !next_num)
		return false; /* most word spaces: no number beside them */
	for (int m = 0; m < 12; m++) {
		const char *name = tmpl_list(b->ts->t, LIST_MONTHS, m);
		size_t k = strlen(name);
		if ((prev_num && nn == k && memcmp(next, name, k) == 0) ||
		    (next_num && np == k && memcmp(prev, name, k) == 0))
			return true;
	}
	for (size_t u = 0; prev_num && u < sizeof units / sizeof *units; u++)
		if (strlen(units[u]) == nn && memcmp(next, units[u], nn) == 0)
			return true;
	return false;
}

/* A word space no line breaks at: the break is forbidden before it. */
static void
push_tie(struct builder *b, enum face f, int32_t size)
{
	if (b->n == 0 || b->items[b->n - 1].type != LB_BOX)
		return;
	int32_t w = space_width(b, f, size);
	push(b, (struct lb_item){LB_PENALTY, false, 0, 0, 0, LB_INF}, NULL);
	push(
	    b,
	    (struct lb_item){LB_GLUE, true, w, b->ragged ? 0 : w / 2, w / 3, 0},
	    NULL);
}

/* Pushes parts[0..n) of a word, widths[k] wide, with the break item
 * between between them. */
static void
push_parts(struct builder *b, const struct piece *parts, const int32_t *widths,
           size_t n, struct lb_item between)
{
	for (size_t k = 0; k < n; k++) {
		if (k > 0)
			push(b, between, NULL);
		push(b, (struct lb_item){LB_BOX, false, widths[k], 0, 0, 0},
		     &parts[k]);
	}
}

/*
 * Where each part of the word piece pc would start [1/1000 em], from its
 * shaping as a whole (metrics.h): its parts measured so add up to the
 * word, which is drawn whole unless the line breaks inside it.
 */
static const int32_t *
word_pen(struct builder *b, const struct piece *pc)
{
	if (pc->pen != NULL)
		return pc->pen;
	int32_t *pen = arena_array(&b->ts->scratch, pc->len + 1, sizeof *pen);
	bool missing = false;
	b->ts->m->word(b->ts->m->ctx, pc->face, pc->text, pc->len, false,
	               &missing, pen);
	if (missing)
		ts_word_width(b->ts, pc->face, pc->text, pc->len, false,
		              pc->loc);
	return pen;
}

/* The width of part, a part of piece pc, from pc's pen [mpt]. */
static int32_t
part_width(const struct piece *pc, const int32_t *pen, struct piece part)
{
	size_t from = (size_t)(part.text - pc->text);
	int64_t w =
	    (int64_t)(pen[from + part.len] - pen[from]) * pc->size / 1000;
	return w < TS_MAX_WIDTH ? (int32_t)w : TS_MAX_WIDTH;
}

/*
 * Whether byte at of piece pc starts a character that the font draws as
 * one glyph with the character before it (the second "f" of an "ffi"
 * ligature, a combining accent): it has no advance of its own.  A word
 * broken there would be measured as parts that the line then draws
 * otherwise, so it is not hyphenated there.
 */
static bool
inside_cluster(const struct piece *pc, const int32_t *pen, size_t at)
{
	if (at == 0 || at >= pc->len)
		return false;
	uint32_t cp;
	size_t k = utf8_decode(pc->text + at, pc->len - at, &cp);
	return pen[at] == pen[at + (k ? k : 1)];
}

/*
 * A word piece too wide for the line is cut between characters, never
 * inside a cluster (a letter and its accent, a ligature), each part as
 * wide as it is in the word shaped whole: an Arabic word's letters are
 * measured joined, as they are drawn.
 */
static void
push_wide(struct builder *b, struct piece *pc, int32_t w)
{
	if (!b->quiet && !b->ts->quiet) {
		/* A long word is named by its first 40 characters. */
		size_t shown = 0;
		uint32_t cp;
		for (int n = 0; shown < pc->len && n < 40; n++)
			shown +=
			    utf8_decode(pc->text + shown, pc->len - shown, &cp);
		diag_warning(b->ts->job->diag,
		             ts_char_loc(b->ts, pc->text, pc->loc),
		             "\"%.*s%s\" is wider than its column (%d pt > "
		             "%d pt); it is broken across lines",
		             (int)shown, pc->text, shown < pc->len ? "…" : "",
		             w / 1000, b->width / 1000);
	}
	const int32_t *pen = word_pen(b, pc);
	size_t i = 0;
	while (i < pc->len) {
		size_t start = i;
		int32_t cw = 0;
		while (i < pc->len) {
			/* The next character and the marks or ligated
			 * letters that go with it. */
			size_t j = i;
			do {
				uint32_t cp;
				size_t k =
				    utf8_decode(pc->text + j, pc->len - j, &cp);
				j += k ? k : 1;
			} while (j < pc->len && inside_cluster(pc, pen, j));
			struct piece part = *pc;
			part.text = pc->text + start;
			part.len = (uint32_t)(j - start);
			int32_t pw = part_width(pc, pen, part);
			if (pw > b->width && i > start)
				break;
			cw = pw;
			i = j;
		}
		struct piece part = *pc;
		part.pen = NULL;
		part.text = pc->text + start;
		part.len = (uint32_t)(i - start);
		if (start > 0)
			push(b, (struct lb_item){LB_PENALTY, false, 0, 0, 0, 0},
			     NULL);
		push(b, (struct lb_item){LB_BOX, false, cw, 0, 0, 0}, &part);
	}
}

/*
 * Pushes a word as parts with hyphen breaks between them.  Returns false,
 * pushing nothing, when the word has no hyphenation points or, with
 * must_fit, when a part would still be wider than the line.
 */
static bool
push_hyphenated(struct builder *b, struct piece *pc, bool must_fit)
{
	if (pc->nohyph || pc->uri || pc->note || pc->len < 6 ||
	    !b->ts->t->hyphenate)
		return false;
	/* Hyphenate the letters between leading and trailing punctuation. */
	size_t s = 0, e = pc->len;
	hyphen_trim(pc->text, &s, &e);
	uint8_t pts[HYPHEN_MAX_BYTES];
	if (e - s < 6 || e - s > HYPHEN_MAX_BYTES)
		return false;
	const struct doc *d = b->ts->doc;
	for (size_t i = 0; i < d->nno_hyphenation; i++)
		if (strlen(d->no_hyphenation[i]) == e - s &&
		    memcmp(d->no_hyphenation[i], pc->text + s, e - s) == 0)
			return false;
	struct hyphenator *h =
	    ts_hyphenator(b->ts, pc->text + s, e - s, pc->loc);
	if (h == NULL || hyphen_points(h, pc->text + s, e - s, pts) == 0)
		return false;
	int32_t hw = ts_text_width(b->ts, pc->face, pc->size, "-", 1, pc->loc);
	const int32_t *pen = word_pen(b, pc);
	/* At most a point after each byte, and the rest. */
	struct piece parts[HYPHEN_MAX_BYTES + 1];
	int32_t widths[HYPHEN_MAX_BYTES + 1];
	int n = 0;
	size_t from = 0;
	for (size_t i = s; i < e; i++) {
		if (!pts[i - s] || inside_cluster(pc, pen, i + 1))
			continue;
		parts[n] = *pc;
		parts[n].pen = NULL;
		parts[n].text = pc->text + from;
		parts[n].len = (uint32_t)(i + 1 - from);
		from = i + 1;
		n++;
	}
	parts[n] = *pc;
	parts[n].pen = NULL;
	parts[n].text = pc->text + from;
	parts[n].len = (uint32_t)(pc->len - from);
	n++;
	for (int k = 0; k < n; k++) {
		widths[k] = part_width(pc, pen, parts[k]);
		if (must_fit && widths[k] + (k + 1 < n ? hw : 0) > b->width)
			return false;
	}
	push_parts(b, parts, widths, (size_t)n,
	           (struct lb_item){LB_PENALTY, true, hw, 0, 0, 50});
	return true;
}

bool
ts_is_address(const char *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
	return (n > 4 && memcmp(s, "www.", 4) == 0) ||
	       (memchr(s, '/', n) != NULL && memchr(s, '.', n) != NULL &&
	        memchr(s, ' ', n) == NULL);
}

/*
 * Whether a line may break after byte i of a word: after a hyphen of its
 * own.  An address breaks as Chicago breaks it (7.47): after "//", before
 * a slash, full stop, comma, hyphen or other separator, never inside
 * "://"; so the line never ends with a hyphen of the address, which a
 * reader of the text would take for a word broken there, and drop.
 */
static bool
breaks_after(const char *s, size_t len, size_t i, bool url)
{
	if (i + 1 >= len)
		return false;
	if (!url)
		return s[i] == '-';
	if (s[i] == '/' && i > 0 && s[i - 1] == '/')
		return true;
	if (strchr("/.,-?#%&=_~", s[i + 1]) == NULL || s[i] == '-')
		return false;
	return !(s[i + 1] == '/' && (s[i] == '/' || s[i] == ':'));
}

/*
 * Pushes a word that has hyphens of its own ("ministry-of-defence.pdf"),
 * or an address, as parts that may break after each of them, when every
 * part fits the line.  Returns false, pushing nothing, when one does not.
 */
static bool
push_at_hyphens(struct builder *b, struct piece *pc)
{
	bool url = pc->uri != NULL && ts_is_address(pc->text, pc->len);
	size_t from = 0, n = 0, max = 1;
	for (size_t i = 0; i < pc->len; i++)
		max += breaks_after(pc->text, pc->len, i, url);
	if (max < 2)
		return false;
	struct arena *scratch = &b->ts->scratch;
	struct piece *parts = arena_array(scratch, max, sizeof *parts);
	int32_t *widths = arena_array(scratch, max, sizeof *widths);
	const int32_t *pen = word_pen(b, pc);
	for (size_t i = 0; i <= pc->len; i++) {
		if (i < pc->len && !breaks_after(pc->text, pc->len, i, url))
			continue;
		size_t end = i < pc->len ? i + 1 : i;
		parts[n] = *pc;
		parts[n].pen = NULL;
		parts[n].text = pc->text + from;
		parts[n].len = (uint32_t)(end - from);
		widths[n] = part_width(pc, pen, parts[n]);
		if (widths[n] > b->width)
			return false;
		n++;
		from = end;
		if (end == pc->len)
			break;
	}
	if (n < 2 || from < pc->len)
		return false;
	push_parts(b, parts, widths, n,
	           (struct lb_item){LB_PENALTY, false, 0, 0, 0, 50});
	return true;
}

/* Pushes a word piece, with hyphenation points when asked for. */
static void
push_word(struct builder *b, struct piece *pc)
{
	pc->pen = NULL;
	int32_t w = ts_text_width(b->ts, pc->face, pc->size, pc->text, pc->len,
	                          pc->loc);
	if (w > b->width) {
		/* Too wide for any line: break it after its own hyphens, or
		 * hyphenate it, if that is enough. */
		if (!push_at_hyphens(b, pc) && !push_hyphenated(b, pc, true))
			push_wide(b, pc, w);
		return;
	}
	if (!b->hyphenate || !push_hyphenated(b, pc, false))
		push(b, (struct lb_item){LB_BOX, false, w, 0, 0, 0}, pc);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Makes pc the note marker of run; returns its width [mpt]. */
static int32_t
mark_piece(struct builder *b, const struct doc_run *run, struct piece *pc)
{
	const struct style *st = b->st;
	pc->face = ts_face(st->face, 0);
	pc->note = run->note;
	pc->text = run->text;
	pc->len = (uint32_t)strlen(run->text);
	if (b->ts->m->superscripts[pc->face]) {
		/* The font's own superscript figures, at the text's size on
		 * its baseline: "¹²" (what copying the text gives too). */
		static const char *const sup[10] = {
		    "\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
		    "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
		struct buf t = {0};
		for (uint32_t i = 0; i < pc->len; i++)
			if (isdigit((unsigned char)pc->text[i]))
				buf_puts(&t, sup[pc->text[i] - '0']);
		pc->text = buf_finish(&t, &b->ts->scratch2);
		buf_free(&t);
		pc->len = (uint32_t)strlen(pc->text);
		pc->size = st->size;
		pc->rise = 0;
	} else {
		/* Digits scaled and raised, where the font has no figures of
		 * its own. */
		pc->size = st->size * 62 / 100;
		pc->rise = st->size * 36 / 100;
	}
	return ts_text_width(b->ts, pc->face, pc->size, pc->text, pc->len,
	                     pc->loc);
}

/*
 * Whether the markers that start runs[0..n), with the word they hang on,
 * are wider than the line: then they may break between each other, as a
 * word too wide for any line is broken between characters.
 */
static bool
marks_too_wide(struct builder *b, const struct doc_run *runs, size_t n)
{
	if (n < 2 || !(runs[1].flags & RUN_NOTEREF))
		return false; /* one marker: there is nothing to break */
	int64_t w = 0;
	for (size_t i = b->n; i > 0 && b->items[i - 1].type == LB_BOX; i--)
		w += b->items[i - 1].width;
	for (size_t k = 0; k < n && (runs[k].flags & RUN_NOTEREF); k++) {
		struct piece pc = {.loc = runs[k].loc};
		w += mark_piece(b, &runs[k], &pc);
		if (k > 0) /* the comma before it */
			w += ts_text_width(b->ts, pc.face, pc.size, ",", 1,
			                   pc.loc);
		if (w > b->width)
			return true;
	}
	return false;
}

/*
 * Gives the glue pushed for a word space since items[at] the level the
 * algorithm resolved for the space: a space between two numbers of a
 * right-to-left run is right to left, so the numbers read in the run's
 * order (UAX #9, rule N1), though both are set left to right.
 */
static void
level_spaces(struct builder *b, size_t at, const char *space, uint8_t level)
{
	for (size_t k = at; k < b->n; k++)
		if (b->items[k].type == LB_GLUE) {
			b->pieces[k].text = space;
			b->pieces[k].level = level;
		}
}

/*
 * Pushes the word s[i..j) of a paragraph with right-to-left text as
 * pieces of one embedding level each, with nothing between them.
 */
static void
push_levels(struct builder *b, struct piece *pc, const uint8_t *level,
            const char *s, size_t i, size_t j)
{
	while (i < j) {
		size_t k = i + 1;
		while (k < j && level[k] == level[i])
			k++;
		pc->text = s + i;
		pc->len = (uint32_t)(k - i);
		pc->level = level[i];
		if (pc->level % 2 == 1) {
			/* Right to left: shaped so, never hyphenated. */
			bool missing = false;
			pc->pen = NULL;
			int32_t w =
			    b->ts->m->word(b->ts->m->ctx, pc->face, pc->text,
			                   pc->len, true, &missing, NULL);
			if (missing)
				ts_word_width(b->ts, pc->face, pc->text,
				              pc->len, true, pc->loc);
			int64_t mw = (int64_t)w * pc->size / 1000;
			int32_t bw =
			    mw < TS_MAX_WIDTH ? (int32_t)mw : TS_MAX_WIDTH;
			if (bw > b->width)
				push_wide(b, pc, bw);
			else
				push(b,
				     (struct lb_item){LB_BOX, false, bw, 0, 0,
				                      0},
				     pc);
		} else {
			push_word(b, pc);
		}
		i = k;
	}
	pc->level = 0;
}

/* Whether two pieces are drawn alike, so that they join in one text
 * item. */
static bool
same_look(const struct piece *a, const struct piece *b)
{
	return a->face == b->face && a->size == b->size && a->rise == b->rise &&
	       a->color == b->color && a->uri == b->uri && a->note == 0 &&
	       b->note == 0 && a->goto_page == b->goto_page &&
	       a->strike == b->strike;
}

/*
 * A word that goes on from one run into the next in the same look
 * ("order" then the "." moved before a note marker) is drawn as one
 * word, kerned across the join: the box at items[at], the new run's
 * first, is made as wide as the whole less the part before it, so that
 * what follows (the marker) sits where the drawn word ends.
 */
static void
kern_across(struct builder *b, size_t at)
{
	if (at == 0 || at >= b->n || b->has_bidi ||
	    b->items[at - 1].type != LB_BOX || b->items[at].type != LB_BOX ||
	    !same_look(&b->pieces[at - 1], &b->pieces[at]))
		return;
	const struct piece *x = &b->pieces[at - 1], *y = &b->pieces[at];
	char *both = arena_alloc(&b->ts->scratch, x->len + y->len + 1);
	memcpy(both, x->text, x->len);
	memcpy(both + x->len, y->text, y->len);
	int32_t w = ts_text_width(b->ts, y->face, y->size, both,
	                          x->len + y->len, y->loc) -
	            b->items[at - 1].width;
	b->items[at].width = w > 0 ? w : 0;
}

static void
build(struct builder *b, const struct doc_run *runs, size_t nruns)
{
	const struct style *st = b->st;
	bool split_marks = false; /* markers in a row break between them */
	for (size_t r = 0; r < nruns; r++) {
		const struct doc_run *run = &runs[r];
		enum face f = ts_face(st->face, run->flags);
		if (run->flags & RUN_BREAK) {
			push(b,
			     (struct lb_item){LB_PENALTY, false, 0, 0, 0,
			                      LB_INF},
			     NULL);
			push(b,
			     (struct lb_item){LB_GLUE, false, 0, 100000000, 0,
			                      0},
			     NULL);
			push(b,
			     (struct lb_item){LB_PENALTY, false, 0, 0, 0,
			                      -LB_INF},
			     NULL);
			continue;
		}
		struct piece pc = {.face = f,
		                   .size = st->size,
		                   .color = st->color,
		                   .uri = run->uri,
		                   .goto_page = run->goto_page,
		                   .loc = run->loc,
		                   .nohyph = (run->flags & RUN_NOHYPH) != 0,
		                   .strike = (run->flags & RUN_STRIKE) != 0};
		if (run->uri || run->goto_page)
			pc.color = b->ts->t->color_link;
		if (run->flags & RUN_NOTEREF) {
			bool after_mark = b->n > 0 &&
			                  b->items[b->n - 1].type == LB_BOX &&
			                  b->pieces[b->n - 1].note != 0;
			if (!after_mark)
				split_marks =
				    marks_too_wide(b, runs + r, nruns - r);
			if (after_mark) {
				/* Two numbers side by side would read as one
				 * ("12"): a raised comma parts them. */
				struct piece comma = pc;
				mark_piece(b, run, &comma);
				comma.note = 0;
				comma.text = ",";
				comma.len = 1;
				/* No font has a superscript comma: a small one,
				 * raised. */
				comma.size = st->size * 62 / 100;
				comma.rise = st->size * 36 / 100;
				int32_t cw =
				    ts_text_width(b->ts, comma.face, comma.size,
				                  ",", 1, comma.loc);
				push(b,
				     (struct lb_item){LB_BOX, false, cw, 0, 0,
				                      0},
				     &comma);
				if (split_marks)
					push(b,
					     (struct lb_item){LB_PENALTY, false,
					                      0, 0, 0, 0},
					     NULL);
			}
			int32_t w = mark_piece(b, run, &pc);
			if (b->has_bidi)
				pc.level = b->bidi.level[r][0];
			push(b, (struct lb_item){LB_BOX, false, w, 0, 0, 0},
			     &pc);
			continue;
		}
		const char *s = run->text;
		size_t len = strlen(s), i = 0;
		/* The word before a space and the one after it, each found
		 * once: [w0, sp) and [i, e).  A space that starts the run
		 * has an empty word before it (w0 = 0). */
		size_t w0 = 0, e = 0;
		while (i < len) {
			if (is_space(s[i])) {
				size_t sp = i;
				while (i < len && is_space(s[i]))
					i++;
				for (e = i; e < len && !is_space(s[e]);)
					e++;
				size_t at = b->n;
				if (is_tie(b, s + w0, sp - w0, s + i, e - i))
					push_tie(b, f, st->size);
				else
					push_space(b, f, st->size);
				if (b->has_bidi)
					level_spaces(b, at, s + sp,
					             b->bidi.level[r][sp]);
				continue;
			}
			size_t j = e > i ? e : i;
			while (j < len && !is_space(s[j]))
				j++;
			w0 = i;
			if (b->has_bidi) {
				push_levels(b, &pc, b->bidi.level[r], s, i, j);
				i = j;
				continue;
			}
			pc.text = s + i;
			pc.len = (uint32_t)(j - i);
			size_t at = b->n;
			push_word(b, &pc);
			if (i == 0)
				kern_across(b, at);
			i = j;
		}
	}
	/* Remove a trailing space, then finish the paragraph. */
	while (b->n > 0 && b->items[b->n - 1].type != LB_BOX)
		b->n--;
	/* The last line's fill stretches only so far, so that a justified
	 * paragraph does not end in a line of a syllable or two (TeX's
	 * \parfillskip with a finite stretch).  Short paragraphs, which
	 * fit on one line anyway, keep an unlimited fill. */
	int64_t total = 0;
	bool forced = false;
	for (size_t i = 0; i < b->n; i++) {
		if (b->items[i].type != LB_PENALTY)
			total += b->items[i].width;
		else if (b->items[i].penalty <= -LB_INF)
			forced = true;
	}
	b->one_line = b->n > 0 && !forced && total <= b->width;
	int32_t fill = 100000000;
	if (!b->ragged && total > b->width)
		fill = b->width - b->width / 6;
	push(b, (struct lb_item){LB_PENALTY, false, 0, 0, 0, LB_INF}, NULL);
	push(b, (struct lb_item){LB_GLUE, false, 0, fill, 0, 0}, NULL);
	push(b, (struct lb_item){LB_PENALTY, false, 0, 0, 0, -LB_INF}, NULL);
}

/* Baseline below the top of a line box [mpt]. */
static int32_t
baseline(const struct style *st)
{
	return (st->leading - st->size) / 2 + st->size * 8 / 10;
}

/* A copy of starts[0..n) in the arena, or NULL when n is 0. */
static const int32_t *
copy_starts(struct arena *a, const int32_t *starts, size_t n)
{
	if (n == 0)
		return NULL;
	int32_t *out = arena_array(a, n, sizeof *out);
	memcpy(out, starts, n * sizeof *out);
	return out;
}

/* A line being drawn into its box: the run of text waiting to be added
 * and where the line's parts go. */
struct liner {
	struct typesetter *ts;
	struct vbox *box;
	int32_t x0, shift, base; /* line start, alignment shift, baseline
	                          * from the box's top [mpt] */
	struct piece *run;       /* the pieces merged so far, or NULL */
	int64_t run_x;           /* where the run starts, from x0 [mpt] */
	int32_t run_w;           /* its width [mpt] */
	int32_t text_w;          /* and to the end of its last word */
	char *tmp;               /* its text (scratch arena) */
	size_t run_len, tmpcap;
	int32_t *starts; /* where each word after a space starts,
	                  * from run_x [mpt] */
	size_t nstarts, startcap;
	bool spaced; /* a word space since the last piece */
	bool soft;   /* the run ends with a hyphen the line break put in */
};

/* The natural width, stretch and shrink of items[from..to). */
static void
measure(const struct builder *b, size_t from, size_t to, int64_t *natural,
        int64_t *stretch, int64_t *shrink)
{
	*natural = *stretch = *shrink = 0;
	for (size_t i = from; i < to; i++) {
		const struct lb_item *it = &b->items[i];
		if (it->type == LB_PENALTY)
			continue;
		*natural += it->width;
		if (it->type == LB_GLUE) {
			*stretch += it->stretch;
			*shrink += it->shrink;
		}
	}
}

/*
 * The element a run of text belongs to: the block being set, or a Link
 * in it for a link or a note marker.  The parts of one link, on two
 * lines, are one Link; a note goes into the block that cites it.
 */
static uint32_t
run_elem(struct typesetter *ts, const struct piece *run)
{
	struct ts_link *k = &ts->link;
	if (run->uri == NULL && run->goto_page == 0 && run->note == 0) {
		k->elem = 0;
		return ts->block;
	}
	if (k->elem == 0 || k->block != ts->block || k->uri != run->uri ||
	    k->page != run->goto_page || k->note != run->note) {
		*k = (struct ts_link){ts->block, run->uri, run->goto_page,
		                      run->note,
		                      ts_elem(ts, TAG_LINK, ts->block)};
		if (run->note)
			ts->elems[ts->notes[run->note - 1].elem].parent =
			    ts->block;
	}
	return k->elem;
}

/* Adds the run of text waiting in l as one text item of the box. */
static void
flush_run(struct liner *l)
{
	struct typesetter *ts = l->ts;
	struct arena *a = ts->job->arena;
	const struct piece *run = l->run;
	if (run == NULL)
		return;
	struct vitem *v = ts_vbox_add(&ts->boxes, l->box);
	v->op =
	    (struct page_op){.type = PAGE_TEXT,
	                     .x = l->x0 + l->shift + (int32_t)l->run_x,
	                     .y = l->base - run->rise,
	                     .w = l->run_w,
	                     .h = run->size,
	                     .face = run->face,
	                     .size = run->size,
	                     .color = run->color,
	                     .text = arena_strndup(a, l->tmp, l->run_len),
	                     .starts = copy_starts(a, l->starts, l->nstarts),
	                     .uri = run->uri,
	                     .rtl = run->level % 2 == 1,
	                     .soft_hyphen = l->soft,
	                     .elem = run_elem(ts, run)};
	v->note = run->note;
	v->goto_page = run->goto_page;
	if (run->note)
		ts_vbox_note(&ts->cites, l->box, run->note);
	if (run->strike) {
		/* Through the middle of the lower-case letters. */
		int32_t x = v->op.x, y = v->op.y - run->size * 27 / 100;
		struct vitem *r = ts_vbox_add(&ts->boxes, l->box);
		r->op = (struct page_op){.type = PAGE_RULE,
		                         .x = x,
		                         .y = y,
		                         .w = l->text_w,
		                         .size = run->size / 18,
		                         .color = run->color};
	}
	l->run = NULL;
	l->nstarts = 0;
	l->soft = false;
}

/* Adds text[0..len) of piece pc, w wide, at x to the line. */
static void
add_piece(struct liner *l, struct piece *pc, const char *text, size_t len,
          int32_t w, int64_t x)
{
	struct arena *scratch = &l->ts->scratch;
	if (l->run && !same_look(l->run, pc)) {
		/* A word space where the look changes ends the run before
		 * it, drawn as the space at a line's end is: text read
		 * through the structure keeps the words apart.  Where the
		 * line is set tight the space would run into the next word:
		 * there it is left out. */
		int64_t room = x - (l->run_x + l->run_w);
		int64_t space =
		    (int64_t)l->ts->space[l->run->face] * l->run->size / 1000;
		if (l->spaced && l->run->note == 0 && pc->note == 0 &&
		    room >= space)
			add_piece(l, l->run, "", 0, 0, x);
		flush_run(l);
	}
	bool space = l->run != NULL && l->spaced;
	l->spaced = false;
	if (l->run == NULL) {
		l->run = pc;
		l->run_x = x;
		l->run_w = 0;
		l->text_w = 0;
		l->run_len = 0;
	}
	if (l->run_len + len + 2 > l->tmpcap) {
		size_t ncap = (l->run_len + len + 2) * 2;
		l->tmp = arena_grow(scratch, l->tmp, l->run_len, ncap, 1);
		l->tmpcap = ncap;
	}
	if (space) {
		if (l->nstarts == l->startcap) {
			size_t ncap = l->startcap ? 2 * l->startcap : 16;
			l->starts = arena_grow(scratch, l->starts, l->nstarts,
			                       ncap, sizeof *l->starts);
			l->startcap = ncap;
		}
		l->starts[l->nstarts++] = (int32_t)(x - l->run_x);
		l->tmp[l->run_len++] = ' ';
		l->run_w = (int32_t)(x - l->run_x);
	}
	memcpy(l->tmp + l->run_len, text, len);
	l->run_len += len;
	l->run_w += w;
	if (len > 0)
		l->text_w = l->run_w;
}

/* One clickable area per text item that carries a URI or a page to go
 * to, from item first on, for a line whose box starts at top. */
static void
add_links(struct typesetter *ts, struct vbox *box, uint32_t first, int32_t top,
          const struct style *st)
{
	for (uint32_t i = first; i < box->nitems; i++) {
		struct vitem *it = &box->items[i];
		if (it->op.type != PAGE_TEXT ||
		    (it->op.uri == NULL && it->goto_page == 0))
			continue;
		struct page_op link = {.x = it->op.x,
		                       .y = top + st->leading,
		                       .w = it->op.w,
		                       .h = st->leading,
		                       .text = it->op.text,
		                       .elem = it->op.elem};
		if (it->op.uri) {
			link.type = PAGE_LINK_URI;
			link.uri = it->op.uri;
			it->op.uri = NULL;
		} else {
			link.type = PAGE_LINK_DEST;
			link.dest_page = (uint32_t)it->goto_page - 1;
			link.dest_y = ts->t->page_height;
		}
		ts_vbox_add(&ts->boxes, box)->op = link;
	}
}

/* The line's box: the group being built, or a new vbox of its own;
 * *top is where the line starts in it. */
static struct vbox *
line_box(struct sink *sink, const struct style *st, int32_t *top)
{
	if (sink->group) {
		*top = sink->y;
		return sink->group;
	}
	struct vbox *box = ts_vbox(sink->ts, VBOX_CONTENT, st->leading);
	box->section = NULL;
	*top = 0;
	return box;
}

/* A prefix hanging left of the line at x0 (a bullet, a note number), or
 * right of right, when that is not negative. */
static void
add_prefix(struct liner *l, const struct style *st, const char *prefix,
           int32_t right)
{
	struct typesetter *ts = l->ts;
	size_t n = strlen(prefix);
	int32_t pw =
	    ts_text_width(ts, st->face, st->size, prefix, n, (struct loc){0});
	const char *text = arena_printf(ts->job->arena, "%s ", prefix);
	if (right >= 0 && n > 1 && prefix[n - 1] == '.' && prefix[0] >= '0' &&
	    prefix[0] <= '9')
		/* A number read right to left has its full stop at its
		 * left (UAX #9): ".12". */
		text = arena_printf(ts->job->arena, ".%.*s ", (int)(n - 1),
		                    prefix);
	struct vitem *v = ts_vbox_add(&ts->boxes, l->box);
	/* A space after it, in the gap before the text, so that the label
	 * and the text read apart. */
	v->op =
	    (struct page_op){.type = PAGE_TEXT,
	                     .x = right >= 0 ? right + st->size * 4 / 10
	                                     : l->x0 - pw - st->size * 4 / 10,
	                     .y = l->base,
	                     .face = st->face,
	                     .size = st->size,
	                     .color = st->color,
	                     .text = text,
	                     .elem = ts->label};
}

/* Whether the boxes items[a] and items[c] are parts of one word, cut
 * by the break between them. */
static bool
is_cut(const struct builder *b, size_t a, size_t c)
{
	const struct piece *p = &b->pieces[a], *q = &b->pieces[c];
	return b->items[a].type == LB_BOX && b->items[c].type == LB_BOX &&
	       p->text != NULL && p->text + p->len == q->text && p->note == 0 &&
	       q->note == 0;
}

/*
 * The boxes and glue of items[from..to) in visual order, for a line of
 * a paragraph with right-to-left text: each box at its piece's level, a
 * word space at its own, other glue at the lower level of the boxes
 * around it.  *n gets their number.
 */
static const size_t *
visual_order(struct typesetter *ts, const struct builder *b, size_t from,
             size_t to, size_t *n)
{
	size_t *idx = arena_array(&ts->scratch, to - from + 1, sizeof *idx);
	size_t *order = arena_array(&ts->scratch, to - from + 1, sizeof *order);
	uint8_t *lv = arena_array(&ts->scratch, to - from + 1, sizeof *lv);
	size_t m = 0;
	for (size_t i = from; i < to; i++) {
		const struct lb_item *it = &b->items[i];
		if (it->type == LB_PENALTY)
			continue;
		uint8_t level = (uint8_t)b->bidi.base;
		if (it->type == LB_BOX ||
		    (it->type == LB_GLUE && b->pieces[i].text != NULL)) {
			level = b->pieces[i].level;
		} else {
			int lo = 255;
			for (size_t j = i; j-- > from;)
				if (b->items[j].type == LB_BOX) {
					lo = b->pieces[j].level;
					break;
				}
			for (size_t j = i + 1; j < to; j++)
				if (b->items[j].type == LB_BOX) {
					if (b->pieces[j].level < lo)
						lo = b->pieces[j].level;
					break;
				}
			if (lo < 255 && lo > level)
				level = (uint8_t)lo;
		}
		idx[m] = i;
		lv[m++] = level;
	}
	bidi_reorder(lv, order, m);
	for (size_t k = 0; k < m; k++)
		order[k] = idx[order[k]];
	*n = m;
	return order;
}

/*
 * A line with right-to-left text is drawn a piece at a time, left to
 * right: items[first..] of box, whose pieces are logical[0..n).  They are
 * put back in reading order, where the structure of a tagged PDF reads
 * them.
 */
static void
reading_order(struct vbox *box, uint32_t first, size_t *logical, size_t n)
{
	if (box->nitems - first != n)
		return; /* not one item per piece: leave them */
	struct vitem *it = box->items + first;
	/* Insertion sort: a line has a few dozen pieces. */
	for (size_t k = 1; k < n; k++) {
		struct vitem v = it[k];
		size_t key = logical[k], j = k;
		while (j > 0 && logical[j - 1] > key) {
			it[j] = it[j - 1];
			logical[j] = logical[j - 1];
			j--;
		}
		it[j] = v;
		logical[j] = key;
	}
}

/*
 * Draws a word space w wide at x as a run of its own, between piece pc
 * and piece next (NULL at a line's end): in pc's look, but no note's
 * marker or raise, and in their link only when both are (one Link
 * element, as a left-to-right run keeps its spaces).
 */
static void
space_run(struct liner *l, const struct piece *pc, const struct piece *next,
          int32_t w, int64_t x)
{
	struct piece sp = *pc;
	if (next == NULL || next->uri != pc->uri ||
	    next->goto_page != pc->goto_page || pc->note != 0 ||
	    next->note != 0) {
		sp.goto_page = 0;
		sp.uri = NULL;
	}
	sp.note = 0;
	sp.rise = 0;
	add_piece(l, &sp, " ", 1, w, x);
	flush_run(l);
}

/*
 * Emits one line: pieces from items[from..to], the break at items[to].
 * Pieces of the same look become one run of text, word spaces included:
 * a line is a few text operations, not one per word.
 */
static void
emit_line(struct sink *sink, struct builder *b, size_t from, size_t to,
          bool last, int32_t x0, const char *prefix)
{
	const struct style *st = b->st;
	if (sink->group && !ts_sink_room(sink, st->leading))
		return;
	const struct lb_item *brk = &b->items[to];
	int64_t natural, stretch, shrink;
	measure(b, from, to, &natural, &stretch, &shrink);
	bool hyphen = brk->type == LB_PENALTY && brk->flagged;
	if (hyphen)
		natural += brk->width;
	/* A word broken across lines is measured as parts of the whole;
	 * its two ends are drawn as words of their own, so they are
	 * shaped again as such. */
	int32_t first_w = -1, last_w = -1;
	if (from >= 2 && is_cut(b, from - 2, from)) {
		const struct piece *pc = &b->pieces[from];
		first_w = ts_text_width(sink->ts, pc->face, pc->size, pc->text,
		                        pc->len, pc->loc);
		natural += first_w - b->items[from].width;
	}
	if (brk->type == LB_PENALTY && to >= 1 && to + 1 < b->n &&
	    is_cut(b, to - 1, to + 1) && !(from == to - 1 && first_w >= 0)) {
		const struct piece *pc = &b->pieces[to - 1];
		const char *t = hyphen
		                    ? arena_printf(&sink->ts->scratch, "%.*s-",
		                                   (int)pc->len, pc->text)
		                    : pc->text;
		size_t n = pc->len + hyphen;
		last_w =
		    ts_text_width(sink->ts, pc->face, pc->size, t, n, pc->loc);
		natural +=
		    last_w - b->items[to - 1].width - (hyphen ? brk->width : 0);
		if (hyphen)
			last_w -= brk->width;
	}
	int64_t diff = b->width - natural;
	/* A line whose spaces would stretch to more than four times their
	 * width (as before a word too wide for any line, which starts the
	 * next) is left at its natural width, ragged, as TeX's underfull
	 * lines are not: gaps that wide read as holes. */
	bool justify =
	    st->align == 0 && !last && !b->ragged && diff <= 6 * stretch;
	int32_t top;
	struct liner l = {.ts = sink->ts, .x0 = x0};
	/* A right-to-left paragraph is ragged on the left, and a line of
	 * it that has no space to stretch (one word, or part of one) is set
	 * at the right, where it starts. */
	int align = st->align;
	if (b->has_bidi && b->bidi.base == 1 &&
	    (align == 1 || !justify || stretch == 0) && align != 2)
		align = 3;
	if (align == 2 && diff > 0)
		l.shift = (int32_t)(diff / 2);
	else if (align == 3 && diff > 0)
		l.shift = (int32_t)diff;
	l.box = line_box(sink, st, &top);
	l.base = top + baseline(st);
	uint32_t first_item = l.box->nitems;
	if (prefix)
		/* Right of a right-to-left paragraph, which starts there. */
		add_prefix(&l, st, prefix,
		           b->has_bidi && b->bidi.base == 1 ? x0 + b->width
		                                            : -1);

	int64_t x = 0, used_stretch = 0, used_shrink = 0;
	size_t n = to + 1 - from;
	const size_t *order = NULL;
	size_t *logical = NULL, nlogical = 0; /* each text item's piece */
	if (b->has_bidi) {
		order = visual_order(sink->ts, b, from, to, &n);
		logical =
		    arena_array(&sink->ts->scratch, n + 1, sizeof *logical);
	}
	uint32_t first_text = l.box->nitems;
	struct piece *seen = NULL; /* the last piece drawn, in visual order */
	for (size_t k = 0; k < n; k++) {
		size_t i = order ? order[k] : from + k;
		const struct lb_item *it = &b->items[i];
		if (it->type == LB_GLUE && i < to) {
			if (it->flagged)
				l.spaced = true;
			else
				flush_run(&l);
			int64_t w = it->width;
			if (justify && diff > 0 && stretch > 0) {
				/* Cumulative rounding keeps the line exact. */
				int64_t before = used_stretch * diff / stretch;
				used_stretch += it->stretch;
				w += used_stretch * diff / stretch - before;
			} else if (diff < 0 && shrink > 0) {
				/* A line the breaker set tight is shrunk even
				 * when it is the last of its paragraph. */
				int64_t d = -diff < shrink ? -diff : shrink;
				int64_t before = used_shrink * d / shrink;
				used_shrink += it->shrink;
				w -= used_shrink * d / shrink - before;
			}
			if (order != NULL && it->flagged && it->width > 0 &&
			    seen != NULL) {
				/* A word space between pieces drawn each on its
				 * own is drawn too (the part of it with a
				 * width: a ragged line's is two glues), in its
				 * place in the reading order: text read back
				 * keeps the words apart. */
				const struct piece *next = NULL;
				for (size_t j = k + 1; j < n && next == NULL;
				     j++)
					if (b->items[order[j]].type == LB_BOX)
						next = &b->pieces[order[j]];
				space_run(&l, seen, next, (int32_t)w, x);
				logical[nlogical++] = i;
			}
			x += w;
		} else if (it->type == LB_BOX) {
			struct piece *pc = &b->pieces[i];
			seen = pc;
			int32_t w = i == from && first_w >= 0    ? first_w
			            : i + 1 == to && last_w >= 0 ? last_w
			                                         : it->width;
			add_piece(&l, pc, pc->text, pc->len, w, x);
			x += w;
			if (order != NULL) {
				/* Pieces of mixed direction: each on its
				 * own, the hyphen after its part. */
				if (i + 1 == to && hyphen) {
					add_piece(&l, pc, "-", 1, brk->width,
					          x);
					l.soft = true;
					x += brk->width;
				}
				flush_run(&l);
				logical[nlogical++] = i;
			}
		} else if (i == to && hyphen && order == NULL) {
			add_piece(&l, l.run ? l.run : &b->pieces[i - 1], "-", 1,
			          brk->width, x);
			l.soft = true;
			x += brk->width;
		}
	}
	/* A line that ends at a word space draws it, an invisible glyph
	 * past its last word: text read back through the structure tree,
	 * line after line, keeps the words on either side of the break
	 * apart (PDF 32000-1 14.8.2.5). */
	bool at_space =
	    (brk->type == LB_GLUE && brk->flagged) ||
	    (brk->type == LB_PENALTY && !hyphen && to > from &&
	     b->items[to - 1].type == LB_GLUE && b->items[to - 1].flagged);
	if (order == NULL && !last && at_space && l.run != NULL &&
	    l.run->note == 0) {
		l.spaced = true;
		add_piece(&l, l.run, "", 0, 0, x);
	}
	flush_run(&l);
	if (order != NULL && !last && at_space && seen != NULL) {
		/* The same with pieces drawn each on its own: the space last
		 * in the reading order, at the line's end on the side it
		 * ends (the left of a right-to-left one), of no width. */
		space_run(&l, seen, NULL, 0, b->bidi.base == 1 ? 0 : x);
		logical[nlogical++] = to;
	}
	if (order != NULL)
		reading_order(l.box, first_text, logical, nlogical);
	add_links(sink->ts, l.box, first_item, top, st);
	if (sink->group)
		sink->y += st->leading;
	else
		ts_vbox_trim(&sink->ts->boxes, l.box, 0);
}

/* A builder for a paragraph in style st, width wide, on the item
 * buffers the typesetter keeps from one paragraph to the next. */
static struct builder
new_builder(struct typesetter *ts, const struct style *st, int32_t width,
            bool ragged)
{
	struct builder b = {
	    .ts = ts, .st = st, .width = width, .ragged = ragged};
	if (ts->para != NULL) {
		b.items = ts->para->items;
		b.pieces = ts->para->pieces;
		b.cap = ts->para->cap;
	}
	return b;
}

int32_t
para_widest(struct typesetter *ts, const struct doc_run *runs, size_t nruns,
            const struct style *st, int32_t *longest)
{
	struct builder b = new_builder(ts, st, TS_MAX_WIDTH, true);
	b.quiet = true;
	b.has_bidi =
	    bidi_levels(&ts->scratch, runs, nruns, ts->rtl_doc, &b.bidi);
	build(&b, runs, nruns);
	/* A unit runs from one place a line may break to the next: a
	 * glue after a box, or a penalty below LB_INF.  A line runs to a
	 * forced break. */
	int64_t best = 0, unit = 0, line = 0, widest_line = 0;
	for (size_t i = 0; i < b.n; i++) {
		const struct lb_item *it = &b.items[i];
		if (it->type == LB_PENALTY && it->penalty <= -LB_INF)
			line = 0;
		else if (it->type != LB_PENALTY)
			line += it->width;
		if (line > widest_line)
			widest_line = line;
		bool brk = (it->type == LB_GLUE && i > 0 &&
		            b.items[i - 1].type == LB_BOX) ||
		           (it->type == LB_PENALTY && it->penalty < LB_INF);
		/* An address breaks where it must (push_at_hyphens()). */
		if (brk || (it->type == LB_BOX && b.pieces[i].uri != NULL)) {
			unit = 0;
			continue;
		}
		if (it->type != LB_PENALTY)
			unit += it->width;
		if (unit > best)
			best = unit;
	}
	arena_reset(&ts->scratch);
	*longest =
	    widest_line < TS_MAX_WIDTH ? (int32_t)widest_line : TS_MAX_WIDTH;
	return best < TS_MAX_WIDTH ? (int32_t)best : TS_MAX_WIDTH;
}

void
para_set(struct sink *sink, const struct doc_run *runs, size_t nruns,
         const struct style *st, int32_t x, int32_t width, const char *prefix,
         struct loc loc)
{
	struct typesetter *ts = sink->ts;
	(void)loc;
	/* A hanging indent: the first line full width, the others in. */
	int32_t hang = st->hang > 0 && st->hang < width / 3 ? st->hang : 0;
	struct builder b = new_builder(ts, st, width - hang, st->align != 0);
	/* TeX's demerits, the hyphens' ten times TeX's defaults: two
	 * hyphenated lines in a row, or a hyphen on a paragraph's
	 * second-to-last line, only where no other setting is within the
	 * tolerance. */
	struct lb_params p = {.width = width - hang,
	                      .first_width = hang ? width : 0,
	                      .tolerance = 100,
	                      .line_penalty = 10,
	                      .double_hyphen = 100000,
	                      .final_hyphen = 50000,
	                      .fitness_demerits = 10000};
	b.has_bidi =
	    bidi_levels(&ts->scratch, runs, nruns, ts->rtl_doc, &b.bidi);
	ts->link.elem = 0;
	build(&b, runs, nruns);
	size_t *breaks = NULL;
	bool fallback = false;
	size_t nlines = 0;
	if (b.one_line) {
		/* Any break would add a line's demerits to the one line's
		 * (Knuth and Plass): the breaker would choose one line. */
		breaks = arena_array(&ts->scratch, 1, sizeof *breaks);
		breaks[0] = b.n - 1;
		nlines = 1;
	} else if (!b.ragged) {
		/* First without hyphens, as TeX does with \pretolerance. */
		p.tolerance = ts->t->tolerance < 100 ? ts->t->tolerance : 100;
		nlines =
		    linebreak_pass(&ts->scratch, b.items, b.n, &p, &breaks);
		if (nlines == 0) {
			b.n = 0;
			b.quiet = true;
			b.hyphenate = ts->t->hyphenate;
			build(&b, runs, nruns);
			p.tolerance = ts->t->tolerance;
			nlines = linebreak(&ts->scratch, b.items, b.n, &p,
			                   &breaks, &fallback);
		}
	} else {
		p.tolerance = 1000;
		nlines = linebreak(&ts->scratch, b.items, b.n, &p, &breaks,
		                   &fallback);
	}
	size_t from = 0;
	for (size_t k = 0; k < nlines; k++) {
		while (from < b.n && b.items[from].type != LB_BOX &&
		       !(b.items[from].type == LB_PENALTY &&
		         b.items[from].penalty <= -LB_INF))
			from++;
		size_t to = breaks[k];
		bool last =
		    k + 1 == nlines || (b.items[to].type == LB_PENALTY &&
		                        b.items[to].penalty <= -LB_INF);
		if (k == 0)
			b.width = width;
		else
			b.width = width - hang;
		/* The lines after a right-to-left first one hang from the
		 * right. */
		bool rtl = b.has_bidi && b.bidi.base == 1;
		emit_line(sink, &b, from, to, last,
		          k == 0 || rtl ? x : x + hang, k == 0 ? prefix : NULL);
		from = to + 1;
	}
	arena_reset(&ts->scratch);
}
