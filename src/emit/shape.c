/*
 * Emit stage: words shaped by HarfBuzz (shape_word(), see emit_int.h).
 * A word's characters are given to the first of its face's fonts that
 * has them; each run of one font is shaped with the font's default
 * features (kerning, ligatures, contextual forms, mark positioning), in
 * the direction the typesetter chose.  Words repeat, so each is shaped
 * once and kept for the run: the typesetter measures it and the emitter
 * draws it from the same result.
 */
#include "emit_int.h"

#include <stdlib.h>
#include <string.h>

#include <hb.h>

/* HB_BUFFER_FLAG_PRODUCE_UNSAFE_TO_CONCAT (joined_word()) came in 4.0. */
#if !HB_VERSION_ATLEAST(4, 0, 0)
#error "HarfBuzz 4.0 or later is needed"
#endif

#include "../base/arena.h"
#include "../base/hash.h"
#include "../base/lang.h"
#include "../base/mem.h"
#include "../base/utf8.h"

/* A slot of the cache: the word, and enough of its key to pass over the
 * other words without reading them. */
struct slot {
	uint32_t tag; /* the hash's top bits */
	uint32_t len;
	struct shape_word *w;
};

struct shaper {
	struct arena arena; /* the words, their texts and glyphs */
	struct slot *slot;  /* open addressing, mask + 1 slots */
	size_t mask, n;
	const struct shape_word *space[FACE__MAX]; /* U+0020, the commonest */
	hb_language_t lang[SCRIPT__MAX]; /* by the script of the text */
	/* Shape plans by font, script and direction: made once, not looked
	 * up in HarfBuzz's cache for every word. */
	struct plan {
		const struct emit_face *ef;
		hb_segment_properties_t props;
		hb_shape_plan_t *plan;
	} plans[32];
	size_t nplans;
	hb_buffer_t *buf;
	/* A word's characters while it is shaped. */
	uint32_t *cps;
	uint32_t *at;  /* byte offset of each */
	uint8_t *font; /* font chosen for each: k of the face's list */
	size_t cap;
	struct shape_glyph *glyphs; /* its glyphs */
	bool apart; /* a cluster of it drawn as several glyphs */
	size_t gcap;
	struct shape_code *code; /* by word id: how each is drawn */
	size_t ncode;
};

struct shaper *
shape_new(void)
{
	struct shaper *sh = mem_zalloc(1, sizeof *sh);
	sh->mask = 1023;
	sh->slot = mem_zalloc(sh->mask + 1, sizeof *sh->slot);
	sh->buf = hb_buffer_create();
	if (!hb_buffer_allocation_successful(sh->buf))
		mem_alloc((size_t)-1, 1); /* the out-of-memory exit */
	shape_lang(sh, NULL);
	return sh;
}

void
shape_lang(struct shaper *sh, const char *lang)
{
	static const char *const usual[SCRIPT__MAX] = {[SCRIPT_ARMENIAN] = "hy",
	                                               [SCRIPT_GEORGIAN] = "ka",
	                                               [SCRIPT_ARABIC] = "ar",
	                                               [SCRIPT_HEBREW] = "he"};
	if (lang == NULL)
		lang = "en";
	for (int s = 0; s < SCRIPT__MAX; s++) {
		const char *l = lang_of_script((enum lang_script)s, lang);
		if (l == NULL)
			l = usual[s] != NULL ? usual[s] : lang;
		sh->lang[s] = hb_language_from_string(l, -1);
	}
}

void
shape_free(struct shaper *sh)
{
	if (sh == NULL)
		return;
	hb_buffer_destroy(sh->buf);
	for (size_t i = 0; i < sh->nplans; i++)
		hb_shape_plan_destroy(sh->plans[i].plan);
	free(sh->slot);
	free(sh->cps);
	free(sh->at);
	free(sh->font);
	free(sh->glyphs);
	free(sh->code);
	arena_free(&sh->arena);
	free(sh);
}

/*
 * HarfBuzz reads the font from the bytes already read and checked (every
 * table but the outlines, which shaping does not need).
 */
bool
shape_font_open(struct emit_face *ef)
{
	hb_blob_t *blob =
	    hb_blob_create((const char *)ef->ttf, (unsigned)ef->ttf_len,
	                   HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = hb_face_create(blob, 0);
	hb_blob_destroy(blob);
	if (hb_face_get_glyph_count(face) == 0) {
		hb_face_destroy(face);
		return false;
	}
	ef->hb = hb_font_create(face);
	hb_face_destroy(face);
	if (ef->hb == NULL || ef->hb == hb_font_get_empty())
		return false;
	/* ASCII, the commonest, looked up once. */
	for (uint32_t c = 0; c < 128; c++) {
		hb_codepoint_t g;
		if (hb_font_get_nominal_glyph(ef->hb, c, &g) && g != 0)
			ef->ascii[c / 64] |= (uint64_t)1 << (c % 64);
	}
	return true;
}

void
shape_font_close(struct emit_face *ef)
{
	if (ef->hb != NULL)
		hb_font_destroy(ef->hb);
	ef->hb = NULL;
}

/* Font units to thousandths of an em, rounded half away from zero. */
static int32_t
milli_em(const struct emit_face *ef, int32_t v)
{
	if (ef->upem == 1000)
		return v;
	int64_t x = (int64_t)v * 1000;
	int64_t h = ef->upem / 2;
	return (int32_t)(x >= 0 ? (x + h) / ef->upem : -((-x + h) / ef->upem));
}

static bool
has_glyph(const struct emit_face *ef, uint32_t cp)
{
	if (cp < 128)
		return ef->ascii[cp / 64] >> (cp % 64) & 1;
	hb_codepoint_t g;
	return hb_font_get_nominal_glyph(ef->hb, cp, &g) && g != 0;
}

bool
shape_superscripts(const struct emit_face *ef)
{
	static const uint32_t sup[10] = {0x2070, 0x00B9, 0x00B2, 0x00B3,
	                                 0x2074, 0x2075, 0x2076, 0x2077,
	                                 0x2078, 0x2079};
	for (int i = 0; i < 10; i++)
		if (!has_glyph(ef, sup[i]))
			return false;
	return true;
}

bool
shape_covers(struct fontset *fs, enum face f, uint32_t cp)
{
	for (int k = 0; k < TMPL_FONTS_MAX; k++) {
		const struct emit_face *ef = font_of(fs, f, k);
		if (ef != NULL && has_glyph(ef, cp))
			return true;
	}
	return false;
}

/* Combining marks, drawn on the letter before them. */
static bool
is_mark(uint32_t cp)
{
	hb_unicode_general_category_t gc = hb_unicode_general_category(
	    hb_unicode_funcs_get_default(), (hb_codepoint_t)cp);
	return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

/* Characters that belong with the one before them, whatever the font:
 * combining marks, joiners and variation selectors. */
static bool
clings(uint32_t cp)
{
	return cp >= 0x300 && /* the first combining mark */
	       (cp == 0x200C || cp == 0x200D ||
	        (cp >= 0xFE00 && cp <= 0xFE0F) || is_mark(cp));
}

/* Whether font k of face f has every character of cps[from..to) but
 * joiners and selectors, which HarfBuzz never draws. */
static bool
has_all(struct fontset *fs, enum face f, int k, const uint32_t *cps,
        size_t from, size_t to)
{
	const struct emit_face *ef = font_of(fs, f, k);
	for (size_t i = from; ef != NULL && i < to; i++)
		if (!has_glyph(ef, cps[i]) &&
		    (!clings(cps[i]) || is_mark(cps[i])))
			return false;
	return ef != NULL;
}

/*
 * Decodes s into sh->cps and chooses each character's font: the first of
 * the face's that has it.  A joiner or selector after a fallback's
 * letter takes that font (HarfBuzz never draws them); a combining mark
 * the letter's font when it has the mark, or else the first font that
 * has the letter and all its marks, so that the mark is placed on the
 * letter, not drawn as a box.
 */
static size_t
itemize(struct shaper *sh, struct fontset *fs, enum face f, const char *s,
        size_t len)
{
	size_t n = 0, base = 0;
	if (len > sh->cap) {
		sh->cap = len;
		sh->cps = mem_realloc(sh->cps, len, sizeof *sh->cps);
		sh->at = mem_realloc(sh->at, len, sizeof *sh->at);
		sh->font = mem_realloc(sh->font, len, sizeof *sh->font);
	}
	for (size_t i = 0; i < len; n++) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			k = 1, cp = 0xFFFD;
		sh->cps[n] = cp;
		sh->at[n] = (uint32_t)i;
		i += k;
		int pick = -1;
		if (n > 0 && !clings(cp)) {
			base = n;
		} else if (n > 0 && !is_mark(cp)) {
			if (sh->font[n - 1] != 0)
				pick = sh->font[n - 1];
		} else if (n > 0) {
			if (has_all(fs, f, sh->font[n - 1], &cp, 0, 1))
				pick = sh->font[n - 1];
			for (int j = 0; pick < 0 && j < TMPL_FONTS_MAX; j++)
				if (has_all(fs, f, j, sh->cps, base, n + 1)) {
					pick = j;
					memset(sh->font + base, j, n - base);
				}
		}
		for (int j = 0; pick < 0 && j < TMPL_FONTS_MAX; j++) {
			const struct emit_face *ef = font_of(fs, f, j);
			if (ef != NULL && has_glyph(ef, cp))
				pick = j;
		}
		sh->font[n] = (uint8_t)(pick < 0 ? 0 : pick);
	}
	return n;
}

/*
 * The characters each glyph g[0..n) of a cluster of a run stands for, for
 * copying text out of the PDF; the cluster's text runs from the glyphs'
 * cluster to end.  A glyph that is the ordinary glyph of one of the
 * cluster's characters stands for it (an accent drawn apart); the others,
 * in the order of the text (leftmost first, or rightmost), for the
 * characters no glyph stands for: the whole cluster when there is one
 * glyph (a ligature, a joining form, a letter and its accent in one).
 * Characters left over are the word's to give (shape_word.actual).
 */
static void
cluster_text(const struct emit_face *ef, const char *s, size_t len,
             struct shape_glyph *g, unsigned n, uint32_t end, bool rtl)
{
	enum { MOST = 64 };
	uint32_t from = g[0].cluster;
	unsigned char lead = (unsigned char)s[from];
	if (n == 1 && end - from <= (lead < 0x80   ? 1u
	                             : lead < 0xE0 ? 2u
	                             : lead < 0xF0 ? 3u
	                                           : 4u)) {
		g[0].ncluster = end - from; /* one character, one glyph */
		return;
	}
	bool taken[MOST] = {false};
	bool several = false;
	if (end - from > MOST) {
		/* A cluster of dozens of marks: its glyphs stand for
		 * nothing (their ToUnicode entries are made by other
		 * words), the word's /ActualText for all of it. */
		for (unsigned m = 0; m < n; m++)
			g[m].ncluster = 0;
		return;
	}
	{
		uint32_t cp;
		size_t k = utf8_decode(s + from, len - from, &cp);
		several = k > 0 && end - from > k;
	}
	for (unsigned m = 0; m < n; m++) {
		g[m].ncluster = 0;
		for (uint32_t i = from; several && i < end;) {
			uint32_t cp;
			size_t k = utf8_decode(s + i, len - i, &cp);
			if (k == 0)
				break;
			hb_codepoint_t nominal;
			if (!taken[i - from] &&
			    hb_font_get_nominal_glyph(ef->hb, cp, &nominal) &&
			    nominal == g[m].gid) {
				g[m].cluster = i;
				g[m].ncluster = (uint32_t)k;
				memset(taken + (i - from), 1, k);
				break;
			}
			i += (uint32_t)k;
		}
	}
	/* In the order of the text, each glyph that stands for none takes
	 * the next character none stands for (a letter in a form of its
	 * own), the last of them all it can (a ligature, a ligature of
	 * accents). */
	unsigned left = 0;
	for (unsigned m = 0; m < n; m++)
		left += g[m].ncluster == 0;
	uint32_t i = from;
	for (unsigned q = 0; q < n; q++) {
		struct shape_glyph *h = &g[rtl ? n - 1 - q : q];
		if (h->ncluster > 0)
			continue;
		while (several && i < end && taken[i - from])
			i++;
		uint32_t j = i;
		if (--left > 0 && i < end) {
			uint32_t cp;
			size_t k = utf8_decode(s + i, len - i, &cp);
			j = i + (k ? (uint32_t)k : 1);
		} else {
			while (j < end && !(several && taken[j - from]))
				j++;
		}
		h->cluster = i;
		h->ncluster = j - i;
		i = j;
	}
}

/* The script of the first letter of characters [from, to). */
static enum lang_script
run_script(const struct shaper *sh, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		enum lang_script s = lang_script(sh->cps[i]);
		if (s != SCRIPT_NONE && s != SCRIPT_MARK)
			return s;
	}
	return SCRIPT_NONE;
}

/* The shape plan for text in buffer b in font ef; NULL once the table
 * of plans is full. */
static hb_shape_plan_t *
plan_for(struct shaper *sh, const struct emit_face *ef, hb_buffer_t *b)
{
	hb_segment_properties_t props;
	hb_buffer_get_segment_properties(b, &props);
	for (size_t i = 0; i < sh->nplans; i++)
		if (sh->plans[i].ef == ef &&
		    hb_segment_properties_equal(&sh->plans[i].props, &props))
			return sh->plans[i].plan;
	if (sh->nplans == sizeof sh->plans / sizeof sh->plans[0])
		return NULL; /* hb_shape() finds it in HarfBuzz's cache */
	hb_shape_plan_t *plan = hb_shape_plan_create_cached(
	    hb_font_get_face(ef->hb), &props, NULL, 0, NULL);
	sh->plans[sh->nplans++] = (struct plan){ef, props, plan};
	return plan;
}

/* Shapes characters [from, to) of the word's nc, all in font k, and appends
 * their glyphs to out[*n..].  For a word of two characters in one run,
 * returns whether HarfBuzz marks the second's glyphs unsafe to concatenate,
 * or it has none of its own (joined_word()). */
static bool
shape_run(struct shaper *sh, struct fontset *fs, enum face f, int k,
          const char *s, size_t len, size_t from, size_t to, size_t nc,
          bool rtl, struct shape_glyph *out, uint32_t *n)
{
	bool unsafe = false, second = false;
	struct emit_face *ef = font_of(fs, f, k);
	uint32_t start = sh->at[from];
	uint32_t stop = to < nc ? sh->at[to] : (uint32_t)len;
	hb_buffer_t *b = sh->buf;

	hb_buffer_clear_contents(b);
	hb_buffer_set_flags(b, nc == 2 ? HB_BUFFER_FLAG_PRODUCE_UNSAFE_TO_CONCAT
	                               : HB_BUFFER_FLAG_DEFAULT);
	hb_buffer_add_utf8(b, s, (int)len, start, (int)(stop - start));
	hb_buffer_set_direction(b, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
	hb_buffer_set_language(b, sh->lang[run_script(sh, from, to)]);
	hb_buffer_guess_segment_properties(b);
	hb_shape_plan_t *plan = plan_for(sh, ef, b);
	if (plan != NULL)
		hb_shape_plan_execute(plan, ef->hb, b, NULL, 0);
	else
		hb_shape(ef->hb, b, NULL, 0);

	unsigned count;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &count);
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &count);
	/* Clusters are monotonic in the direction of the run: increasing
	 * left to right, decreasing right to left.  Each group of glyphs
	 * of one cluster, [i, j), ends in the text where the next cluster
	 * in the text starts. */
	for (unsigned i = 0, j; i < count; i = j) {
		for (j = i + 1;
		     j < count && info[j].cluster == info[i].cluster;)
			j++;
		uint32_t end = stop;
		if (!rtl && j < count)
			end = info[j].cluster;
		else if (rtl && i > 0)
			end = info[i - 1].cluster;
		for (unsigned m = i; m < j; m++) {
			struct shape_glyph *g = &out[*n + m];
			*g = (struct shape_glyph){
			    .font = (uint16_t)(ef - fs->face),
			    .gid = (uint16_t)info[m].codepoint,
			    .adv = milli_em(ef, pos[m].x_advance),
			    .dx = milli_em(ef, pos[m].x_offset),
			    .dy = milli_em(ef, pos[m].y_offset),
			    .w = (int32_t)sfnt_advance(ef, info[m].codepoint),
			    .cluster = info[m].cluster};
			if (nc == 2 && info[m].cluster == sh->at[1]) {
				second = true;
				if (hb_glyph_info_get_glyph_flags(&info[m]) &
				    HB_GLYPH_FLAG_UNSAFE_TO_CONCAT)
					unsafe = true;
			}
		}
		cluster_text(ef, s, len, &out[*n + i], j - i, end, rtl);
		sh->apart |= j - i > 1;
	}
	*n += count;
	return unsafe || !second;
}

/* The one script of the letters of s[0..len) (marks and other
 * characters aside), SCRIPT_NONE when there is none or several. */
static enum lang_script
word_script(const char *s, size_t len)
{
	enum lang_script sc = SCRIPT_NONE;
	for (size_t i = 0; i < len;) {
		uint32_t cp = (unsigned char)s[i];
		size_t k = 1;
		if (cp >= 0x80 && (k = utf8_decode(s + i, len - i, &cp)) == 0) {
			k = 1;
			cp = 0xFFFD;
		}
		i += k;
		enum lang_script x = lang_script(cp);
		if (x == SCRIPT_NONE || x == SCRIPT_MARK)
			continue;
		if (sc != SCRIPT_NONE && x != sc)
			return SCRIPT_NONE;
		sc = x;
	}
	return sc;
}

/* Whether w's glyphs, each with the characters it stands for, tell each
 * character of its text once, in the order of the text. */
static bool
told_whole(const struct shape_word *w)
{
	uint32_t at = 0;
	for (uint32_t q = 0; q < w->n; q++) {
		const struct shape_glyph *g = &w->g[w->rtl ? w->n - 1 - q : q];
		if (g->cluster != at)
			return false;
		at += g->ncluster;
	}
	return at == w->len;
}

/* Shapes a word not in the cache. */
static struct shape_word *
shape_new_word(struct shaper *sh, struct fontset *fs, enum face f,
               const char *s, size_t len, bool rtl)
{
	/* The text right after the word, so that a look-up that finds it
	 * reads one place. */
	struct shape_word *w = arena_alloc(&sh->arena, sizeof *w + len + 1);
	char *text = (char *)(w + 1);
	size_t nc = itemize(sh, fs, f, s, len);

	memcpy(text, s, len);
	text[len] = '\0';
	*w = (struct shape_word){.text = text,
	                         .len = (uint32_t)len,
	                         .face = (uint8_t)f,
	                         .rtl = rtl,
	                         .script = (uint8_t)word_script(s, len),
	                         .id = (uint32_t)sh->n};
	/* Shaping never makes more glyphs than four per character (a
	 * split vowel at most makes three); counted first to be sure. */
	size_t cap = 4 * nc + 4;
	if (cap > sh->gcap) {
		sh->gcap = cap > 2 * sh->gcap ? cap : 2 * sh->gcap;
		sh->glyphs =
		    mem_realloc(sh->glyphs, sh->gcap, sizeof *sh->glyphs);
	}
	struct shape_glyph *g = sh->glyphs;
	uint32_t n = 0;
	bool unsafe = false;
	sh->apart = false;
	/* The runs of one font, in drawing order: for a right-to-left
	 * word the last run comes first. */
	size_t runs[2 * 64 + 2], nruns = 0;
	for (size_t i = 0; i < nc;) {
		size_t j = i + 1;
		while (j < nc && sh->font[j] == sh->font[i])
			j++;
		if (nruns + 2 > sizeof runs / sizeof runs[0]) {
			runs[nruns - 1] = nc; /* the rest in one run */
			break;
		}
		runs[nruns++] = i;
		runs[nruns++] = j;
		i = j;
	}
	for (size_t r = 0; r < nruns; r += 2) {
		size_t q = rtl ? nruns - 2 - r : r;
		size_t from = runs[q], to = runs[q + 1];
		if (n + 4 * (to - from) + 4 > sh->gcap) {
			sh->gcap = 2 * sh->gcap + 4 * (to - from) + 4;
			sh->glyphs = mem_realloc(sh->glyphs, sh->gcap,
			                         sizeof *sh->glyphs);
			g = sh->glyphs;
		}
		unsafe |= shape_run(sh, fs, f, sh->font[from], s, len, from, to,
		                    nc, rtl, g, &n);
	}
	w->g = arena_array(&sh->arena, n ? n : 1, sizeof *w->g);
	memcpy(w->g, g, n * sizeof *g);
	w->n = n;
	int64_t width = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct shape_glyph *gl = &w->g[i];
		width += gl->adv;
		if (gl->gid == 0)
			w->missing = true;
		if (gl->ncluster > 1 &&
		    utf8_count(text + gl->cluster, gl->ncluster) > 1)
			w->joined = true;
	}
	w->width = width < INT32_MAX ? (int32_t)width : INT32_MAX;
	w->seam = nc == 2 && nruns == 2 && !unsafe && !rtl;
	w->actual = sh->apart || !told_whole(w);
	return w;
}

/* Whether HarfBuzz shapes cp in no script (HB_SCRIPT_COMMON: figures,
 * punctuation, symbols), and no language is chosen for it. */
static bool
scriptless(uint32_t cp)
{
	return lang_script(cp) == SCRIPT_NONE &&
	       hb_unicode_script(hb_unicode_funcs_get_default(),
	                         (hb_codepoint_t)cp) == HB_SCRIPT_COMMON;
}

/* Whether glyphs a[0..n) are b[0..n) with clusters from `at`. */
static bool
same_glyphs(const struct shape_glyph *a, const struct shape_glyph *b,
            uint32_t n, uint32_t at)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].font != b[i].font || a[i].gid != b[i].gid ||
		    a[i].adv != b[i].adv || a[i].dx != b[i].dx ||
		    a[i].dy != b[i].dy || a[i].w != b[i].w ||
		    a[i].cluster != b[i].cluster + at ||
		    a[i].ncluster != b[i].ncluster)
			return false;
	return true;
}

/*
 * A word of three or more characters in no script (note and page numbers,
 * nearly all different, made of a few figures) as its characters shaped
 * one by one, where each two side by side shape as they do apart.  Each
 * such pair is a word of its own, shaped once: HarfBuzz leaves its second
 * character's glyphs clear of HB_GLYPH_FLAG_UNSAFE_TO_CONCAT only if no
 * lookup of the font reached across the join or past the pair (kerning,
 * a ligature, a context), and its glyphs must be the two characters'
 * glyphs apart.  The word and its characters are shaped with one plan:
 * the same font, no script and the same language.  NULL where this does
 * not apply.
 *
 * HarfBuzz documents that the flag's absence alone does not make a join
 * safe; what makes a pair's clear flag speak for every longer word is
 * that HarfBuzz flags each lookup that looked across the pair's end or
 * start, matched or not.
 */
static struct shape_word *
joined_word(struct fontset *fs, enum face f, const char *s, size_t len,
            bool rtl)
{
	enum { MOST = 32 };
	const struct shape_word *one[MOST];
	uint32_t at[MOST + 1];
	size_t nc = 0, ng = 0;
	if (rtl || len > MOST)
		return NULL;
	for (size_t i = 0; i < len; nc++) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0 || !scriptless(cp))
			return NULL;
		at[nc] = (uint32_t)i;
		i += k;
	}
	at[nc] = (uint32_t)len;
	if (nc < 3)
		return NULL;
	for (size_t c = 0; c < nc; c++) {
		one[c] = shape_word(fs, f, s + at[c], at[c + 1] - at[c], false);
		if (one[c]->missing)
			return NULL;
		ng += one[c]->n;
	}
	for (size_t c = 0; c + 1 < nc; c++) {
		const struct shape_word *two =
		    shape_word(fs, f, s + at[c], at[c + 2] - at[c], false);
		uint32_t n0 = one[c]->n;
		if (!two->seam || two->n != n0 + one[c + 1]->n ||
		    !same_glyphs(two->g, one[c]->g, n0, 0) ||
		    !same_glyphs(two->g + n0, one[c + 1]->g, one[c + 1]->n,
		                 at[c + 1] - at[c]))
			return NULL;
	}
	struct shaper *sh = fs->shaper;
	struct shape_word *w = arena_alloc(&sh->arena, sizeof *w + len + 1);
	char *text = (char *)(w + 1);
	memcpy(text, s, len);
	text[len] = '\0';
	*w = (struct shape_word){.text = text,
	                         .len = (uint32_t)len,
	                         .face = (uint8_t)f,
	                         .script = SCRIPT_NONE,
	                         .n = (uint32_t)ng,
	                         .id = (uint32_t)sh->n};
	w->g = arena_array(&sh->arena, ng, sizeof *w->g);
	int64_t width = 0;
	for (size_t c = 0, n = 0; c < nc; c++) {
		for (uint32_t i = 0; i < one[c]->n; i++, n++) {
			w->g[n] = one[c]->g[i];
			w->g[n].cluster += at[c];
		}
		width += one[c]->width;
		w->actual |= one[c]->actual;
		w->joined |= one[c]->joined;
	}
	w->width = width < INT32_MAX ? (int32_t)width : INT32_MAX;
	return w;
}

static uint64_t
word_hash(enum face f, const char *s, size_t len, bool rtl)
{
	return hash_words((uint64_t)f << 1 | rtl, s, len);
}

static void
grow(struct shaper *sh)
{
	size_t mask = sh->mask * 2 + 1;
	struct slot *slot = mem_zalloc(mask + 1, sizeof *slot);
	for (size_t i = 0; i <= sh->mask; i++) {
		struct shape_word *w = sh->slot[i].w;
		if (w == NULL)
			continue;
		uint64_t h = word_hash(w->face, w->text, w->len, w->rtl);
		size_t k = (size_t)h & mask;
		while (slot[k].w != NULL)
			k = (k + 1) & mask;
		slot[k] = sh->slot[i];
	}
	free(sh->slot);
	sh->slot = slot;
	sh->mask = mask;
}

struct shape_code *
shape_code_of(struct fontset *fs, const struct shape_word *w)
{
	struct shaper *sh = fs->shaper;
	if (w->id >= sh->ncode) {
		size_t n = sh->ncode ? 2 * sh->ncode : 1024;
		while (n <= w->id)
			n *= 2;
		sh->code = mem_realloc(sh->code, n, sizeof *sh->code);
		memset(sh->code + sh->ncode, 0,
		       (n - sh->ncode) * sizeof *sh->code);
		sh->ncode = n;
	}
	return &sh->code[w->id];
}

char *
shape_code_keep(struct fontset *fs, const char *b, size_t n)
{
	char *c = arena_alloc(&fs->shaper->arena, n ? n : 1);
	memcpy(c, b, n);
	return c;
}

const struct shape_word *
shape_word(struct fontset *fs, enum face f, const char *s, size_t len, bool rtl)
{
	struct shaper *sh = fs->shaper;
	bool space = len == 1 && s[0] == ' ';
	if (space && sh->space[f] != NULL)
		return sh->space[f];
	uint64_t h = word_hash(f, s, len, rtl);
	uint32_t tag = (uint32_t)(h >> 32);
	size_t k = (size_t)h & sh->mask;
	for (struct slot *sl; (sl = &sh->slot[k])->w != NULL;
	     k = (k + 1) & sh->mask) {
		const struct shape_word *w = sl->w;
		if (sl->tag == tag && sl->len == len && w->face == f &&
		    w->rtl == rtl && memcmp(w->text, s, len) == 0)
			return w;
	}
	struct shape_word *w = joined_word(fs, f, s, len, rtl);
	if (w == NULL)
		w = shape_new_word(sh, fs, f, s, len, rtl);
	/* The table may have grown for the characters of a joined word. */
	for (k = (size_t)h & sh->mask; sh->slot[k].w != NULL;
	     k = (k + 1) & sh->mask)
		;
	sh->slot[k] = (struct slot){tag, (uint32_t)len, w};
	if (space && !rtl)
		sh->space[f] = w;
	if (++sh->n * 2 > sh->mask)
		grow(sh);
	return w;
}
