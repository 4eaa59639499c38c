/*
 * Emit stage: the content stream of a page (content_page(), see
 * emit_int.h): text runs, rules and fills as PDF operators.  Written
 * here, not through HPDF_Page_ShowText and friends: those measure every
 * string and hex-encode it, which made a 2,000-page document take
 * seconds.
 */
#include "emit_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/mem.h"
#include "../base/lang.h"
#include "../base/utf8.h"
#include "../page.h"

/* What the content stream has set so far, to set only what changes. */
struct pen {
	struct buf *out; /* content stream of the current page */
	struct fontset *fs;
	int local[FONTS_MAX]; /* per font: N of its name FN on the page,
	                       * 0 until the page draws with it */
	int *fonts, *nfonts;  /* the fonts drawn, in that order */
	bool in_text;         /* between BT and ET */
	int32_t tx, ty;       /* start of the current text line [mpt] */
	int font;             /* -1 until a font is set */
	int32_t rise;         /* text rise [mpt] */
	int32_t size;         /* font size [mpt] */
	uint32_t fill;        /* 0xRRGGBB, or NO_COLOR */
	uint32_t stroke;      /* 0xRRGGBB, or NO_COLOR */
	int32_t line;         /* line width [mpt], -1 until set */
	/* Tagged content: the marked-content sequence open, if any. */
	struct tags *tags;       /* NULL: the page is not tagged */
	const char *lang;        /* the document's language */
	enum lang_script script; /* the script it is written in */
	size_t page;             /* its index */
	bool in_seq;             /* a sequence is open */
	bool seq_in_text;        /* it was opened between BT and ET */
	uint32_t seq;            /* its element, or ~artifact kind */
	/* The last run of text drawn ended in a Cyrillic phrase, of this
	 * language by its letters (or NULL), in this element: the next
	 * line of a quotation goes on in it (cyrillic_lang()). */
	bool cyr_open;
	const char *cyr_lang;
	uint32_t cyr_elem;
};

#define NO_COLOR 0xFFFFFFFFu

char *
content_mpt(char out[16], int32_t v)
{
	char *e = out + 16, *s = e;
	uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
	uint32_t frac = u % 1000, whole = u / 1000;

	if (frac != 0) {
		int digits = 3;
		for (; frac % 10 == 0; frac /= 10)
			digits--;
		for (; digits > 0; digits--, frac /= 10)
			*--s = (char)('0' + frac % 10);
		*--s = '.';
	}
	do
		*--s = (char)('0' + whole % 10);
	while ((whole /= 10) != 0);
	if (v < 0)
		*--s = '-';
	return s;
}

char *
content_uint(char out[16], uint32_t v)
{
	char *s = out + 16;
	do
		*--s = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return s;
}

void
content_put_uint(struct buf *b, uint32_t v)
{
	char num[16];
	char *s = content_uint(num, v);
	buf_add(b, s, (size_t)(num + 16 - s));
}

/* Writes v/1000 as content_mpt() gives it. */
static void
put_mpt(struct buf *b, int32_t v)
{
	char tmp[16];
	char *s = content_mpt(tmp, v);
	buf_add(b, s, (size_t)(tmp + sizeof tmp - s));
}

/* Writes v/1000000 in decimal with no trailing zeros: "0.707107", "-1". */
static void
put_micro(struct buf *b, int32_t v)
{
	uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
	uint32_t frac = u % 1000000;
	char tmp[16];
	int n = snprintf(tmp, sizeof tmp, "%s%lu", v < 0 ? "-" : "",
	                 (unsigned long)(u / 1000000));

	buf_add(b, tmp, (size_t)n);
	if (frac == 0)
		return;
	n = snprintf(tmp, sizeof tmp, ".%06lu", (unsigned long)frac);
	while (tmp[n - 1] == '0')
		n--;
	buf_add(b, tmp, (size_t)n);
}

/* "r g b OP\n"; three decimals give every 8-bit channel back exactly. */
static void
put_rgb(struct buf *b, uint32_t rgb, const char *op)
{
	for (int shift = 16; shift >= 0; shift -= 8) {
		uint32_t c = (rgb >> shift) & 0xFF;
		put_mpt(b, (int32_t)((c * 1000 + 127) / 255));
		buf_putc(b, ' ');
	}
	buf_puts(b, op);
}

/* Ends the marked-content sequence open. */
static void
end_seq(struct pen *p)
{
	if (p->in_seq) {
		buf_add(p->out, "EMC\n", 4);
		p->in_seq = false;
	}
}

static void
end_text(struct pen *p)
{
	/* A sequence begun inside the text object ends inside it. */
	if (p->in_seq && p->seq_in_text)
		end_seq(p);
	if (p->in_text) {
		buf_add(p->out, "ET\n", 3);
		p->in_text = false;
	}
}

/* Calls fn for each word and space of s[0..len) in face, in order. */
static void
each_word(struct fontset *fs, enum face f, const char *s, size_t len, bool rtl,
          void (*fn)(void *, const struct shape_word *), void *ctx)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;
		if (s[i] == ' ')
			j = i + 1;
		else
			while (j < len && s[j] != ' ')
				j++;
		fn(ctx,
		   shape_word(fs, f, s + i, j - i, s[i] == ' ' ? false : rtl));
		i = j;
	}
}

void
content_words(struct fontset *fs, const struct page_op *op,
              void (*fn)(void *ctx, const struct shape_word *), void *ctx)
{
	each_word(fs, op->face, op->text, strlen(op->text), op->rtl, fn, ctx);
}

/*
 * A text run as "[(...) n (...)] TJ": each glyph by its two-byte code,
 * and between glyphs the shift that puts the next where shaping put it
 * (kerning, marks) or, after a word space, where the typesetter set the
 * next word (op->starts[k] from the run's start).  The reader's pen and
 * the shaped one are followed exactly in millionths of an em, so shifts
 * never accumulate rounding.  A glyph from a fallback font, or raised
 * or lowered (a mark), ends the array to change font or rise.
 */
struct tj {
	struct pen *p;
	struct fontset *fs;
	const struct page_op *op;
	int64_t actual; /* where the reader's pen is [1e-6 em] */
	int64_t target; /* where the next glyph's origin goes [1e-6 em] */
	size_t space;   /* word spaces passed */
	bool in_array, in_string;
	const char *span;  /* the language of the Span open, or NULL */
	size_t at;         /* where the next word starts in op->text (words
	                    * drawn in the order of the text) */
	size_t phrase_end; /* the end of the Cyrillic phrase found */
	const char *phrase_lang; /* its language by its letters, or NULL */
	bool cyrillic;           /* a Cyrillic word was drawn */
};

static void
tj_close(struct tj *t)
{
	if (t->in_string)
		buf_putc(t->p->out, ')');
	if (t->in_array)
		buf_add(t->p->out, "] TJ\n", 5);
	t->in_array = t->in_string = false;
}

/* Sets the font and rise of glyph g, outside any array. */
static void
tj_state(struct tj *t, const struct shape_glyph *g)
{
	struct pen *p = t->p;
	int32_t rise = (int32_t)((int64_t)g->dy * t->op->size / 1000);
	if (p->font != g->font || p->size != t->op->size) {
		tj_close(t);
		if (p->local[g->font] == 0) {
			p->fonts[*p->nfonts] = g->font;
			p->local[g->font] = ++*p->nfonts;
		}
		BUF_LIT(p->out, "/F");
		content_put_uint(p->out, (uint32_t)p->local[g->font]);
		buf_putc(p->out, ' ');
		put_mpt(p->out, t->op->size);
		buf_add(p->out, " Tf\n", 4);
		p->font = g->font;
		p->size = t->op->size;
	}
	if (p->rise != rise) {
		tj_close(t);
		put_mpt(p->out, rise);
		buf_add(p->out, " Ts\n", 4);
		p->rise = rise;
	}
}

/*
 * The characters s[0..n) a glyph stands for, as its ToUnicode entry.  A
 * glyph for several characters drawn right to left (an Arabic ligature)
 * gets them last first: readers put right-to-left text back in its
 * order by turning it round character by character (poppler, PDF.js),
 * or give it as drawn (MuPDF), so only this order reads right in them.
 */
static const char *
tounicode_text(struct arena *a, const char *s, size_t n, bool rtl)
{
	if (!rtl || utf8_count(s, n) < 2)
		return arena_strndup(a, s, n);
	char *out = arena_alloc(a, n + 1);
	size_t o = n;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			k = 1;
		o -= k;
		memcpy(out + o, s + i, k);
		i += k;
	}
	out[n] = '\0';
	return out;
}

/*
 * The code of a character no font of its face has: .notdef, but a code
 * of its own past the font's glyphs, whose ToUnicode entry keeps the
 * character in copied text.  Code 0 when the codes run out.
 */
static uint32_t
absent_code(struct emit_face *ef, const struct shape_word *w,
            const struct shape_glyph *g)
{
	uint32_t cp;
	if (g->ncluster == 0 ||
	    utf8_decode(w->text + g->cluster, g->ncluster, &cp) == 0)
		return 0;
	for (uint32_t i = 0; i < ef->nabsent; i++)
		if (ef->absent[i] == cp)
			return ef->nglyphs + i;
	if (ef->nglyphs + ef->nabsent > 0xFFFF)
		return 0;
	if (ef->nabsent == ef->capabsent) {
		ef->capabsent = ef->capabsent ? 2 * ef->capabsent : 8;
		ef->absent =
		    mem_realloc(ef->absent, ef->capabsent, sizeof *ef->absent);
	}
	ef->absent[ef->nabsent] = cp;
	return ef->nglyphs + ef->nabsent++;
}

/*
 * Byte c of a glyph code in a literal string: escaped when it is a
 * parenthesis or a backslash, and an end of line as \r or \n (a raw
 * one would be read as LF).  Returns where the next byte goes.
 */
static inline char *
put_code_byte(char *o, unsigned char c)
{
	static const char escaped[256] = {['('] = '(',
	                                  [')'] = ')',
	                                  ['\\'] = '\\',
	                                  ['\r'] = 'r',
	                                  ['\n'] = 'n'};
	if (escaped[c] != 0) {
		*o++ = '\\';
		*o++ = escaped[c];
	} else {
		*o++ = (char)c;
	}
	return o;
}

static void
tj_glyph(struct tj *t, const struct shape_glyph *g, const struct shape_word *w)
{
	struct buf *b = t->p->out;
	struct emit_face *ef = &t->fs->face[g->font];

	tj_state(t, g);
	uint32_t code = g->gid;
	if (g->gid == 0)
		code = absent_code(ef, w, g);
	/* Drawn: embedded, with the characters it stands for. */
	if (g->gid != 0 && ef->glyphs[g->gid] != GLYPH_DRAWN) {
		ef->glyphs[g->gid] = GLYPH_DRAWN;
		if (g->ncluster > 0)
			ef->text[g->gid] =
			    tounicode_text(&t->fs->arena, w->text + g->cluster,
			                   g->ncluster, t->op->rtl);
	}
	if (!t->in_array) {
		buf_putc(b, '[');
		t->in_array = true;
	}
	int64_t want = t->target + 1000 * (int64_t)g->dx;
	if (want != t->actual) {
		if (t->in_string)
			buf_putc(b, ')');
		t->in_string = false;
		/* TJ moves left by a positive number [1/1000 em]. */
		int64_t shift = t->actual - want;
		put_mpt(b, (int32_t)shift);
		t->actual = want;
	}
	buf_reserve(b, 6);
	char *o = b->data + b->len;
	if (!t->in_string) {
		*o++ = '(';
		t->in_string = true;
	}
	o = put_code_byte(o, (unsigned char)(code >> 8));
	o = put_code_byte(o, (unsigned char)code);
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
	t->actual += 1000 * (int64_t)g->w;
	t->target += 1000 * (int64_t)g->adv;
}

/*
 * Whether the bytes that draw w's glyphs after its first are the same
 * wherever it is drawn: each shift between two of its glyphs depends on
 * the word alone, so they are, for a word all in one font and at one
 * rise (no font or rise is set inside it) with every glyph in the font
 * (a glyph it lacks gets a code of its own in each file).
 */
static bool
codable(const struct shape_word *w)
{
	for (uint32_t i = 0; i < w->n; i++)
		if (w->g[i].font != w->g[0].font || w->g[i].dy != w->g[0].dy ||
		    w->g[i].gid == 0)
			return false;
	return w->n > 1;
}

/* Whether every glyph of w is marked drawn in this file's fonts. */
static bool
all_drawn(const struct tj *t, const struct shape_word *w)
{
	const uint8_t *drawn = t->fs->face[w->g[0].font].glyphs;
	for (uint32_t i = 1; i < w->n; i++)
		if (drawn[w->g[i].gid] != GLYPH_DRAWN)
			return false;
	return true;
}

/* Glyphs 1..n-1 of w, kept for its next drawing when it has been drawn
 * once before. */
static void
tj_rest(struct tj *t, const struct shape_word *w, struct shape_code *sc)
{
	struct buf *out = t->p->out;
	size_t from = out->len;
	int64_t target = t->target;
	for (uint32_t i = 1; i < w->n; i++)
		tj_glyph(t, &w->g[i], w);
	if (sc->state == CODE_NOT_YET) {
		sc->state = CODE_ONCE;
	} else if (sc->state == CODE_ONCE && !codable(w)) {
		sc->state = CODE_NONE;
	} else if (sc->state == CODE_ONCE) {
		sc->n = (uint32_t)(out->len - from);
		sc->bytes = shape_code_keep(t->fs, out->data + from, sc->n);
		sc->adv = t->target - target;
		sc->tail = t->actual - t->target;
		sc->state = CODE_DONE;
	}
}

/* Whether the ToUnicode entry of glyph g, or, not drawn yet, the text
 * an earlier glyph of w gives it, is other than what g stands for in w.
 */
static bool
told_otherwise(const struct tj *t, const struct shape_word *w, uint32_t i)
{
	const struct shape_glyph *g = &w->g[i];
	const struct emit_face *ef = &t->fs->face[g->font];
	const char *s = w->text + g->cluster;
	size_t n = g->ncluster;
	if (g->gid == 0 || n == 0)
		return false;
	if (ef->glyphs[g->gid] == GLYPH_DRAWN) {
		const char *e = ef->text[g->gid];
		if (e == NULL)
			return true;
		/* Several characters drawn right to left are kept last
		 * first (tounicode_text()). */
		if (t->op->rtl && utf8_count(s, n) > 1)
			s = tounicode_text(&t->fs->arena, s, n, true);
		for (size_t k = 0; k < n; k++)
			if (e[k] != s[k])
				return true;
		return e[n] != '\0';
	}
	for (uint32_t k = 0; k < i; k++) {
		const struct shape_glyph *h = &w->g[k];
		if (h->font == g->font && h->gid == g->gid && h->ncluster > 0 &&
		    (h->ncluster != n ||
		     memcmp(w->text + h->cluster, s, n) != 0))
			return true;
	}
	return false;
}

/*
 * Whether word w is drawn in a Span with /ActualText: its glyphs do not
 * tell its text (shape_word.actual), or one of them is in this file's
 * ToUnicode for other characters than it stands for here (a precomposed
 * "é" where a decomposed one came first).  Decided at its first
 * drawing: a glyph's entry never changes once made.
 */
static bool
told_apart(struct tj *t, const struct shape_word *w, struct shape_code *sc)
{
	if (sc->told == TOLD_NOT_YET) {
		bool apart = w->actual;
		for (uint32_t i = 0; !apart && i < w->n; i++)
			apart = told_otherwise(t, w, i);
		sc->told = apart ? TOLD_APART : TOLD_BY_GLYPHS;
	}
	return sc->told == TOLD_APART;
}

/*
 * The glyphs of word w.  A word drawn a second time keeps the bytes
 * that drew its glyphs after the first (codable()); from then on they
 * are copied, once its glyphs are marked drawn in this file.  Most
 * words drawn once are drawn only once, and are not kept.  A word whose
 * glyphs do not tell its text is in a Span with its /ActualText.
 */
static void
tj_glyphs(struct tj *t, const struct shape_word *w)
{
	struct buf *out = t->p->out;
	struct shape_code *sc = shape_code_of(t->fs, w);
	bool apart = told_apart(t, w, sc);
	if (apart) {
		tj_close(t);
		BUF_LIT(out, "/Span <</ActualText <FEFF");
		const char *text =
		    tounicode_text(&t->fs->arena, w->text, w->len, w->rtl);
		font_put_utf16(out, text, w->len);
		BUF_LIT(out, ">>> BDC\n");
	}
	tj_glyph(t, &w->g[0], w);
	if (sc->state == CODE_DONE && all_drawn(t, w)) {
		buf_add(out, sc->bytes, sc->n);
		t->target += sc->adv;
		t->actual = t->target + sc->tail;
	} else {
		tj_rest(t, w, sc);
	}
	if (apart) {
		tj_close(t);
		buf_add(out, "EMC\n", 4);
	}
}

/*
 * The language of a word whose letters are all in one script that is not
 * the document's: the one its script is usually written in, as for
 * hyphenation (lang_of_script()), Armenian, Georgian, Arabic and Hebrew
 * too; else NULL.
 */
static const char *
word_lang(const struct pen *p, const struct shape_word *w)
{
	enum lang_script sc = (enum lang_script)w->script;
	if (sc == SCRIPT_NONE || sc == p->script)
		return NULL;
	switch (sc) {
	case SCRIPT_ARMENIAN:
		return "hy";
	case SCRIPT_GEORGIAN:
		return "ka";
	case SCRIPT_ARABIC:
		return "ar";
	case SCRIPT_HEBREW:
		return "he";
	case SCRIPT_RTL:
		return NULL;
	default:
		return lang_of_script(sc, p->lang);
	}
}

/* Whether s[0..at) holds a letter of a script other than Cyrillic. */
static bool
other_letter(const char *s, size_t at)
{
	for (size_t i = 0; i < at;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, at - i, &cp);
		enum lang_script sc = lang_script(cp);
		if (k == 0 || (sc != SCRIPT_NONE && sc != SCRIPT_MARK &&
		               sc != SCRIPT_CYRILLIC))
			return true;
		i += k;
	}
	return false;
}

/*
 * The language of a Cyrillic word at op->text[at..]: that of its phrase
 * (up to a letter of another script) by the letters only Ukrainian,
 * Belarusian or Russian have (lang_cyrillic()), else, for a phrase that
 * goes on from the line before in the same element, that line's, else
 * dflt; NULL, for no Span, when that is the document's language.
 */
static const char *
cyrillic_lang(struct tj *t, size_t at, const char *dflt)
{
	const char *s = t->op->text;
	if (at >= t->phrase_end) {
		size_t n = strlen(s), e = at;
		while (e < n) {
			uint32_t cp;
			size_t k = utf8_decode(s + e, n - e, &cp);
			enum lang_script sc = lang_script(cp);
			if (k == 0 || (sc != SCRIPT_NONE && sc != SCRIPT_MARK &&
			               sc != SCRIPT_CYRILLIC))
				break;
			e += k;
		}
		t->phrase_end = e;
		t->phrase_lang = lang_cyrillic(s + at, e - at);
		const struct pen *p = t->p;
		if (t->phrase_lang == NULL && p->cyr_open &&
		    p->cyr_elem == t->op->elem && !other_letter(s, at))
			t->phrase_lang = p->cyr_lang;
	}
	const char *l = t->phrase_lang, *doc = t->p->lang;
	if (l == NULL)
		return dflt;
	if (t->p->script == SCRIPT_CYRILLIC && strncmp(doc, l, 2) == 0 &&
	    (doc[2] == '\0' || doc[2] == '-'))
		return NULL;
	return l;
}

/* Ends the Span of a language that is open. */
static void
tj_end_span(struct tj *t)
{
	tj_close(t);
	if (t->span != NULL)
		buf_add(t->p->out, "EMC\n", 4);
	t->span = NULL;
}

/*
 * In a tagged PDF, words in another language than the document's are in
 * a Span with their /Lang, for a screen reader to speak them in it.
 */
static void
tj_lang(struct tj *t, const struct shape_word *w)
{
	size_t at = t->at;
	t->at += w->len;
	if (t->p->tags == NULL || !tags_element(t->p->tags, t->op->elem) ||
	    (w->len == 1 && w->text[0] == ' '))
		return;
	const char *lang = word_lang(t->p, w);
	if (w->script == SCRIPT_CYRILLIC && !t->op->rtl) {
		lang = cyrillic_lang(t, at, lang);
		t->cyrillic = true;
	} else if (w->script == SCRIPT_NONE && !t->cyrillic) {
		/* A word of mixed scripts (Telegram-каналі) may end the
		 * run in Cyrillic: U+0400 to U+052F lead with D0 to D4. */
		for (uint32_t i = 0; i + 1 < w->len && !t->cyrillic; i++)
			t->cyrillic = (unsigned char)w->text[i] >= 0xD0 &&
			              (unsigned char)w->text[i] <= 0xD4;
	}
	if (lang == t->span ||
	    (lang != NULL && t->span != NULL && strcmp(lang, t->span) == 0))
		return;
	tj_end_span(t);
	if (lang != NULL) {
		buf_puts(t->p->out, "/Span <</Lang (");
		buf_puts(t->p->out, lang);
		buf_puts(t->p->out, ")>> BDC\n");
	}
	t->span = lang;
}

static void
tj_word(void *ctx, const struct shape_word *w)
{
	struct tj *t = ctx;
	tj_lang(t, w);
	if (w->n > 0)
		tj_glyphs(t, w);
	if (w->len == 1 && w->text[0] == ' ' && t->op->starts != NULL) {
		const struct page_op *op = t->op;
		t->target =
		    ((int64_t)op->starts[t->space++] * 1000000 + op->size / 2) /
		    op->size;
	}
}

/* The words of a right-to-left run, last first. */
struct backwards {
	const struct shape_word **w;
	size_t n, cap;
};

static void
collect(void *ctx, const struct shape_word *w)
{
	struct backwards *bw = ctx;
	if (bw->n == bw->cap) {
		bw->cap = bw->cap ? 2 * bw->cap : 16;
		bw->w = mem_realloc(bw->w, bw->cap, sizeof *bw->w);
	}
	bw->w[bw->n++] = w;
}

/*
 * The last word of a run that ends with a hyphen the line break put in:
 * in a tagged PDF the hyphen's text is U+00AD, the soft hyphen, so that
 * the word read back through the structure is whole (PDF 32000-1
 * 14.8.2.5).
 */
static void
tj_soft_word(struct tj *t, const struct shape_word *w)
{
	const struct shape_glyph *last = &w->g[w->n - 1];
	tj_lang(t, w);
	/* The word before its hyphen in a Span of its own /ActualText
	 * when its glyphs do not tell it (tj_glyphs()). */
	bool apart = told_apart(t, w, shape_code_of(t->fs, w));
	if (apart) {
		tj_close(t);
		BUF_LIT(t->p->out, "/Span <</ActualText <FEFF");
		font_put_utf16(t->p->out, w->text, last->cluster);
		BUF_LIT(t->p->out, ">>> BDC\n");
	}
	for (uint32_t i = 0; i + 1 < w->n; i++)
		tj_glyph(t, &w->g[i], w);
	tj_close(t);
	if (apart)
		buf_add(t->p->out, "EMC\n", 4);
	buf_puts(t->p->out, "/Span <</ActualText <FEFF00AD>>> BDC\n");
	tj_glyph(t, last, w);
	tj_close(t);
	buf_add(t->p->out, "EMC\n", 4);
}

/* The script of the letter that ends s[0..*end) (marks and other
 * characters aside), SCRIPT_NONE for none; *end goes back to it. */
static enum lang_script
last_letter(const char *s, size_t *end)
{
	uint32_t cp;
	for (size_t e = *end, n; (n = utf8_decode_before(s, e, &cp)) > 0;) {
		e -= n;
		enum lang_script sc = lang_script(cp);
		if (sc != SCRIPT_NONE && sc != SCRIPT_MARK) {
			*end = e;
			return sc;
		}
	}
	return SCRIPT_NONE;
}

/* After run t: whether it ends in a Cyrillic phrase, and of which
 * language (pen.cyr_open); a run of no letters leaves that as it was.
 * Read from the end, where most runs show at once that they do not. */
static void
carry_cyrillic(struct tj *t)
{
	struct pen *p = t->p;
	const char *s = t->op->text;
	/* No Cyrillic word, and no phrase open before it: nothing to
	 * carry. */
	if (!p->cyr_open && !t->cyrillic)
		return;
	size_t n = strlen(s), start = n;
	enum lang_script last = last_letter(s, &start);
	if (last == SCRIPT_NONE)
		return;
	if (last != SCRIPT_CYRILLIC) {
		p->cyr_open = false;
		return;
	}
	/* Back to the phrase's first letter: the one after a letter of
	 * another script, or the run's first. */
	for (size_t e = start; last_letter(s, &e) == SCRIPT_CYRILLIC;)
		start = e;
	const char *l = t->phrase_end >= n && t->phrase_lang != NULL
	                    ? t->phrase_lang
	                    : lang_cyrillic(s + start, n - start);
	if (l == NULL && p->cyr_open && p->cyr_elem == t->op->elem &&
	    !other_letter(s, start))
		l = p->cyr_lang;
	p->cyr_open = true;
	p->cyr_lang = l;
	p->cyr_elem = t->op->elem;
}

static void
put_glyphs(struct fontset *fs, struct pen *p, const struct page_op *op)
{
	struct tj t = {.p = p, .fs = fs, .op = op};
	if (op->soft_hyphen && !op->rtl && p->tags != NULL) {
		struct backwards bw = {0};
		content_words(fs, op, collect, &bw);
		for (size_t i = 0; i + 1 < bw.n; i++)
			tj_word(&t, bw.w[i]);
		const struct shape_word *w = bw.n ? bw.w[bw.n - 1] : NULL;
		if (w != NULL && w->n > 0 &&
		    w->text[w->g[w->n - 1].cluster] == '-')
			tj_soft_word(&t, w);
		else if (w != NULL)
			tj_word(&t, w);
		free(bw.w);
		tj_end_span(&t);
		carry_cyrillic(&t);
		return;
	}
	/* A right-to-left run of one word, the usual kind, has no words
	 * to turn round. */
	if (!op->rtl || strchr(op->text, ' ') == NULL) {
		content_words(fs, op, tj_word, &t);
	} else {
		struct backwards bw = {0};
		content_words(fs, op, collect, &bw);
		for (size_t i = bw.n; i-- > 0;)
			tj_word(&t, bw.w[i]);
		free(bw.w);
	}
	tj_end_span(&t);
	if (p->tags != NULL && !op->rtl)
		carry_cyrillic(&t);
}

/*
 * Cosine and sine of deg degrees in millionths: exact at the quarter
 * turns, rounded from libm elsewhere.
 */
static void
cos_sin(int32_t deg, int32_t *c, int32_t *s)
{
	static const int32_t quarter[4][2] = {
	    {1000000, 0}, {0, 1000000}, {-1000000, 0}, {0, -1000000}};
	int32_t d = deg % 360;

	if (d < 0)
		d += 360;
	if (d % 90 == 0) {
		*c = quarter[d / 90][0];
		*s = quarter[d / 90][1];
		return;
	}
	double r = (double)d * 3.14159265358979323846 / 180.0;
	*c = (int32_t)lround(cos(r) * 1e6);
	*s = (int32_t)lround(sin(r) * 1e6);
}

/* "cos sin -sin cos x y Tm": places a rotated run absolutely. */
static void
put_matrix(struct pen *p, const struct page_op *op)
{
	int32_t c, s;

	cos_sin(op->angle, &c, &s);
	put_micro(p->out, c);
	buf_putc(p->out, ' ');
	put_micro(p->out, s);
	buf_putc(p->out, ' ');
	put_micro(p->out, -s);
	buf_putc(p->out, ' ');
	put_micro(p->out, c);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->x);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y);
	buf_add(p->out, " Tm\n", 4);
}

static void
begin_text(struct pen *p)
{
	if (!p->in_text) {
		buf_add(p->out, "BT\n", 3);
		p->in_text = true;
		p->tx = p->ty = 0;
	}
}

/* How each kind of artifact is marked (PDF 32000-1 14.8.2.2). */
static const char *const artifact_props[ART__MAX] = {
    [ART_LAYOUT] = "<</Type /Layout>>",
    [ART_PAGINATION] = "<</Type /Pagination>>",
    [ART_HEADER] = "<</Type /Pagination /Subtype /Header>>",
    [ART_FOOTER] = "<</Type /Pagination /Subtype /Footer>>",
    [ART_WATERMARK] = "<</Type /Pagination /Subtype /Watermark>>",
};

/*
 * Puts op in a marked-content sequence: its element's, with an MCID, or
 * an artifact's.  Consecutive operations of one element share a
 * sequence.  A sequence lies wholly inside a text object or wholly
 * outside any, so a level text run's begins after BT, and one of rules,
 * fills or rotated text before.
 */
static void
mark(struct pen *p, const struct page_op *op)
{
	bool element = tags_element(p->tags, op->elem);
	uint32_t seq = element
	                   ? op->elem
	                   : ~(uint32_t)(op->artifact < ART__MAX ? op->artifact
	                                                         : ART_LAYOUT);
	bool in_text = op->type == PAGE_TEXT && op->angle == 0;
	if (p->in_seq && p->seq == seq && p->seq_in_text == in_text &&
	    p->in_text == in_text)
		return;
	end_seq(p);
	if (in_text)
		begin_text(p);
	else
		end_text(p);
	if (element) {
		char num[17] = {0}; /* the digits end at num[16] */
		uint32_t mcid = tags_mcid(p->tags, p->page, op->elem);
		buf_putc(p->out, '/');
		buf_puts(p->out, tags_name(p->tags, op->elem));
		buf_add(p->out, " <</MCID ", 9);
		buf_puts(p->out, content_uint(num, mcid));
		buf_add(p->out, ">> BDC\n", 7);
	} else {
		buf_add(p->out, "/Artifact ", 10);
		buf_puts(p->out, artifact_props[~seq]);
		buf_add(p->out, " BDC\n", 5);
	}
	p->in_seq = true;
	p->seq_in_text = in_text;
	p->seq = seq;
}

/*
 * A text run.  Td moves relative to the previous run's start, computed in
 * integers, so nothing drifts however many runs a text object holds.
 */
static void
draw_text(struct fontset *fs, struct pen *p, const struct page_op *op)
{
	if (op->text[0] == '\0')
		return;
	/* A rotated run gets a text object of its own: Td after its Tm
	 * would move along the rotated axes. */
	if (op->angle != 0)
		end_text(p);
	begin_text(p);
	if (p->fill != op->color) {
		put_rgb(p->out, op->color, "rg\n");
		p->fill = op->color;
	}
	if (op->angle != 0) {
		put_matrix(p, op);
		put_glyphs(fs, p, op);
		end_text(p);
		return;
	}
	put_mpt(p->out, op->x - p->tx);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y - p->ty);
	buf_add(p->out, " Td\n", 4);
	p->tx = op->x;
	p->ty = op->y;
	put_glyphs(fs, p, op);
}

static void
draw_rule(struct pen *p, const struct page_op *op)
{
	end_text(p);
	if (p->line != op->size) {
		put_mpt(p->out, op->size);
		buf_add(p->out, " w\n", 3);
		p->line = op->size;
	}
	if (p->stroke != op->color) {
		put_rgb(p->out, op->color, "RG\n");
		p->stroke = op->color;
	}
	put_mpt(p->out, op->x);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y);
	buf_add(p->out, " m ", 3);
	put_mpt(p->out, op->x + op->w);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y + op->h);
	buf_add(p->out, " l S\n", 5);
}

static void
draw_rect(struct pen *p, const struct page_op *op)
{
	end_text(p);
	if (p->fill != op->color) {
		put_rgb(p->out, op->color, "rg\n");
		p->fill = op->color;
	}
	put_mpt(p->out, op->x);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->w);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->h);
	buf_add(p->out, " re f\n", 6);
}

/*
 * An image, scaled to its box: "q w 0 0 h x y cm /Im3 Do Q", the matrix
 * turning or mirroring it as its EXIF orientation says (the image space's
 * unit square onto the box, its top row where the picture's top goes).
 */
static void
draw_image(struct pen *p, const struct page_op *op)
{
	int32_t w = op->w, h = op->h, x = op->x, y = op->y;
	int32_t m[6];
	switch (op->angle) {
	case 2:
		m[0] = -w, m[1] = 0, m[2] = 0, m[3] = h, m[4] = x + w, m[5] = y;
		break;
	case 3:
		m[0] = -w, m[1] = 0, m[2] = 0, m[3] = -h, m[4] = x + w,
		m[5] = y + h;
		break;
	case 4:
		m[0] = w, m[1] = 0, m[2] = 0, m[3] = -h, m[4] = x, m[5] = y + h;
		break;
	case 5:
		m[0] = 0, m[1] = -h, m[2] = -w, m[3] = 0, m[4] = x + w,
		m[5] = y + h;
		break;
	case 6:
		m[0] = 0, m[1] = -h, m[2] = w, m[3] = 0, m[4] = x, m[5] = y + h;
		break;
	case 7:
		m[0] = 0, m[1] = h, m[2] = w, m[3] = 0, m[4] = x, m[5] = y;
		break;
	case 8:
		m[0] = 0, m[1] = h, m[2] = -w, m[3] = 0, m[4] = x + w, m[5] = y;
		break;
	default:
		m[0] = w, m[1] = 0, m[2] = 0, m[3] = h, m[4] = x, m[5] = y;
		break;
	}
	end_text(p);
	buf_add(p->out, "q", 1);
	for (int i = 0; i < 6; i++) {
		buf_putc(p->out, ' ');
		put_mpt(p->out, m[i]);
	}
	buf_add(p->out, " cm /Im", 7);
	content_put_uint(p->out, op->dest_page);
	buf_add(p->out, " Do Q\n", 6);
}

void
content_page(struct fontset *fs, const struct page *page, struct buf *out,
             int fonts[FONTS_MAX], int *nfonts, struct tags *tags, size_t index)
{
	struct pen p = {.out = out,
	                .fs = fs,
	                .fonts = fonts,
	                .nfonts = nfonts,
	                .font = -1,
	                .fill = NO_COLOR,
	                .stroke = NO_COLOR,
	                .line = -1,
	                .tags = tags,
	                .page = index};
	if (tags != NULL) {
		p.lang = tags_lang(tags);
		p.script = lang_tag_script(p.lang);
	}

	buf_reset(out);
	*nfonts = 0;
	for (size_t k = 0; k < page->nops; k++) {
		const struct page_op *op = &page->ops[k];
		bool drawn = op->type == PAGE_RULE || op->type == PAGE_RECT ||
		             op->type == PAGE_IMAGE ||
		             (op->type == PAGE_TEXT && op->text[0] != '\0');
		if (tags != NULL && drawn)
			mark(&p, op);
		switch (op->type) {
		case PAGE_TEXT:
			draw_text(fs, &p, op);
			break;
		case PAGE_RULE:
			draw_rule(&p, op);
			break;
		case PAGE_RECT:
			draw_rect(&p, op);
			break;
		case PAGE_IMAGE:
			draw_image(&p, op);
			break;
		default:
			break;
		}
	}
	end_text(&p);
	end_seq(&p);
	if (tags != NULL)
		tags_page_end(tags);
}
