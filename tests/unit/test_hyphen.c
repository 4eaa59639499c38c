/*
 * The hyphenation patterns built into the program: the same dictionary,
 * state for state, as libhyphen makes from the file, the same hyphens in
 * tens of thousands of words, and used only for that very file.
 */
#include "unit.h"

#include <glob.h>
#include <hyphen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tmpl.h"
#include "../../src/typeset/hyphen_baked.h"
#include "../../src/typeset/typeset.h"
#include "../../src/typeset/typeset_int.h"

/* Reads all of path; NULL when it cannot. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 20;
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, cap, f);
	assert_true(*len < cap);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void
assert_same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
test_baked_is_what_libhyphen_loads(void **state)
{
	(void)state;
	assert_true(hyphen_baked_matches(HYPHEN_PATTERNS));
	HyphenDict *ref = hnj_hyphen_load(HYPHEN_PATTERNS);
	assert_non_null(ref);
	HyphenDict *dict;
	HyphenState *states;
	assert_true(hyphen_baked_layout(&dict, &states));
	const HyphenDict *b = dict;
	const HyphenDict *r = ref;
	int levels = 0;
	for (; r != NULL && b != NULL; r = r->nextlevel, b = b->nextlevel) {
		levels++;
		assert_int_equal(b->lhmin, r->lhmin);
		assert_int_equal(b->rhmin, r->rhmin);
		assert_int_equal(b->clhmin, r->clhmin);
		assert_int_equal(b->crhmin, r->crhmin);
		assert_int_equal(b->nohyphenl, r->nohyphenl);
		if (r->nohyphen == NULL) {
			assert_null(b->nohyphen);
		} else {
			/* nohyphenl + 1 strings in one buffer */
			assert_non_null(b->nohyphen);
			size_t n = 0;
			for (int k = 0; k <= r->nohyphenl; k++) {
				assert_string_equal(b->nohyphen + n,
				                    r->nohyphen + n);
				n += strlen(r->nohyphen + n) + 1;
			}
		}
		assert_int_equal(b->num_states, r->num_states);
		assert_memory_equal(b->cset, r->cset, sizeof r->cset);
		assert_int_equal(b->utf8, r->utf8);
		for (int i = 0; i < r->num_states; i++) {
			const HyphenState *bs = &b->states[i];
			const HyphenState *rs = &r->states[i];
			assert_same_string(bs->match, rs->match);
			assert_same_string(bs->repl, rs->repl);
			if (rs->repl != NULL) {
				assert_int_equal(bs->replindex, rs->replindex);
				assert_int_equal(bs->replcut, rs->replcut);
			}
			assert_int_equal(bs->fallback_state,
			                 rs->fallback_state);
			assert_int_equal(bs->num_trans, rs->num_trans);
			for (int t = 0; t < rs->num_trans; t++) {
				assert_int_equal(bs->trans[t].ch,
				                 rs->trans[t].ch);
				assert_int_equal(bs->trans[t].new_state,
				                 rs->trans[t].new_state);
			}
		}
	}
	assert_null(r);
	assert_null(b);
	assert_true(levels >= 1);
	hnj_hyphen_free(ref);
	free(dict);
	free(states);
}

/* Words to hyphenate, lower-case letters only, NUL-separated. */
struct words {
	char *buf;
	size_t len, cap, n;
};

static void
add_word(struct words *w, const char *s, size_t n)
{
	if (n < 2 || n > 60)
		return;
	if (w->len + n + 1 > w->cap) {
		w->cap = 2 * (w->len + n + 1);
		w->buf = realloc(w->buf, w->cap);
		assert_non_null(w->buf);
	}
	memcpy(w->buf + w->len, s, n);
	w->buf[w->len + n] = '\0';
	w->len += n + 1;
	w->n++;
}

/* The letters of a pattern line: ".ad4der" gives "adder". */
static size_t
pattern_letters(const char *line, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < 60; i++)
		if (line[i] >= 'a' && line[i] <= 'z')
			out[k++] = line[i];
	return k;
}

/*
 * Every pattern's letters, alone and run into the next pattern's, so
 * that each pattern and the states on its way are reached; letters at
 * random; and every word of the sample's and the fixtures' Markdown
 * (the suite runs from the top of the tree).
 */
static void
collect_words(struct words *w, const char *patterns)
{
	char prev[64], cur[64], both[128];
	size_t nprev = 0;
	for (const char *p = patterns; *p != '\0';) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t k = pattern_letters(p, n, cur);
		add_word(w, cur, k);
		if (nprev > 0 && k > 0) {
			memcpy(both, prev, nprev);
			memcpy(both + nprev, cur, k);
			add_word(w, both, nprev + k);
		}
		memcpy(prev, cur, k);
		nprev = k;
		p += n + (end != NULL);
	}

	unsigned x = 12345;
	for (int i = 0; i < 20000; i++) {
		char s[32];
		x = x * 1103515245u + 12345u;
		size_t n = 4 + (x >> 16) % 20;
		for (size_t j = 0; j < n; j++) {
			x = x * 1103515245u + 12345u;
			s[j] = (char)('a' + (x >> 16) % 26);
		}
		add_word(w, s, n);
	}

	glob_t g;
	int found = glob("data/*.md", 0, NULL, &g) == 0;
	glob("tests/fixtures/*.md", found ? GLOB_APPEND : 0, NULL, &g);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		size_t len;
		char *text = slurp(g.gl_pathv[f], &len);
		if (text == NULL)
			continue;
		for (size_t i = 0; i < len;) {
			size_t j = i;
			while (j < len &&
			       ((text[j] >= 'a' && text[j] <= 'z') ||
			        (text[j] >= 'A' && text[j] <= 'Z'))) {
				text[j] = (char)(text[j] | 0x20);
				j++;
			}
			add_word(w, text + i, j - i);
			i = j > i ? j : i + 1;
		}
		free(text);
	}
	globfree(&g);
}

/* libhyphen's full answer for one word, as a string to compare. */
static void
hyphenate(HyphenDict *d, const char *word, char *out, size_t outsz)
{
	int n = (int)strlen(word);
	char hy[72], hword[200];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	assert_int_equal(
	    hnj_hyphen_hyphenate2(d, word, n, hy, hword, &rep, &pos, &cut), 0);
	size_t k = (size_t)snprintf(out, outsz, "%.*s %s", n, hy, hword);
	if (rep != NULL) {
		for (int i = 0; i < n; i++) {
			if (rep[i] != NULL && k < outsz)
				k += (size_t)snprintf(out + k, outsz - k,
				                      " %d:%s,%d,%d", i, rep[i],
				                      pos[i], cut[i]);
			free(rep[i]);
		}
		free(rep);
		free(pos);
		free(cut);
	}
}

static void
test_baked_hyphenates_as_libhyphen(void **state)
{
	(void)state;
	size_t len;
	char *patterns = slurp(HYPHEN_PATTERNS, &len);
	assert_non_null(patterns);
	struct words w = {0};
	collect_words(&w, patterns);
	free(patterns);
	assert_true(w.n > 40000); /* 42,000 without the Markdown */

	HyphenDict *ref = hnj_hyphen_load(HYPHEN_PATTERNS);
	assert_non_null(ref);
	HyphenDict *baked;
	HyphenState *states;
	assert_true(hyphen_baked_layout(&baked, &states));
	struct hyphenator *h = hyphen_open(HYPHEN_PATTERNS, NULL);
	assert_true(hyphen_is_baked(h));
	size_t hyphenated = 0;
	for (const char *s = w.buf; s < w.buf + w.len; s += strlen(s) + 1) {
		char a[512], b[512];
		hyphenate(ref, s, a, sizeof a);
		hyphenate(baked, s, b, sizeof b);
		if (strcmp(a, b) != 0)
			fail_msg("%s: libhyphen \"%s\", built in \"%s\"", s, a,
			         b);
		uint8_t pts[64];
		hyphenated += hyphen_points(h, s, strlen(s), pts) > 0;
	}
	/* Not a comparison of empty answers. */
	assert_true(hyphenated > 10000);
	hyphen_close(h);
	hnj_hyphen_free(ref);
	free(baked);
	free(states);
	free(w.buf);
}

/* Hyphens hyphen_points() finds in word with the patterns at path. */
static int
points_with(const char *path, const char *word, bool *baked)
{
	struct hyphenator *h = hyphen_open(path, NULL);
	assert_non_null(h);
	*baked = hyphen_is_baked(h);
	uint8_t pts[64];
	int n = hyphen_points(h, word, strlen(word), pts);
	hyphen_close(h);
	return n;
}

static void
test_other_patterns_are_parsed(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(HYPHEN_PATTERNS, &len);
	assert_non_null(text);
	bool baked;
	/* hy-phen-ation */
	assert_int_equal(points_with(HYPHEN_PATTERNS, "hyphenation", &baked),
	                 2);
	assert_true(baked);

	/* The same bytes elsewhere: it is the content that counts. */
	const char *copy = unit_write(0, "hyph_copy.dic", text);
	assert_true(hyphen_baked_matches(copy));
	assert_int_equal(points_with(copy, "hyphenation", &baked), 2);
	assert_true(baked);

	/* One digit changed: the same length, another digest. */
	char *digit = strpbrk(strchr(text, '.'), "123456789");
	assert_non_null(digit);
	*digit = *digit == '1' ? '2' : '1';
	const char *changed = unit_write(1, "hyph_digit.dic", text);
	assert_false(hyphen_baked_matches(changed));
	*digit = *digit == '1' ? '2' : '1';

	/* A pattern added that keeps "hyphenation" whole: the file as it
	 * is now is what hyphenates. */
	char *more = malloc(len + 64);
	assert_non_null(more);
	memcpy(more, text, len);
	strcpy(more + len, "h8y8p8h8e8n8a8t8i8o8n\n");
	const char *added = unit_write(2, "hyph_added.dic", more);
	assert_false(hyphen_baked_matches(added));
	assert_int_equal(points_with(added, "hyphenation", &baked), 0);
	assert_false(baked);
	free(more);

	/* No file, no patterns, as without the build's. */
	assert_false(hyphen_baked_matches("/nonexistent/hyph_en_US.dic"));
	assert_null(hyphen_open("/nonexistent/hyph_en_US.dic", NULL));
	free(text);
}

/* The points hyphen_points() marks in word, as byte offsets "2 4 7". */
static void
points_of(struct hyphenator *h, const char *word, char *out, size_t size)
{
	uint8_t pts[HYPHEN_MAX_BYTES];
	size_t len = strlen(word), k = 0;
	out[0] = '\0';
	assert_true(len <= sizeof pts);
	hyphen_points(h, word, len, pts);
	for (size_t i = 0; i < len; i++)
		if (pts[i] && k < size)
			k += (size_t)snprintf(out + k, size - k, "%s%zu",
			                      k ? " " : "", i);
}

static void
test_patterns_are_found_by_language(void **state)
{
	(void)state;
	/* A folder of patterns of made-up languages. */
	unit_write(0, "hyph_zz_ZZ.dic", "UTF-8\n1a\n");
	unit_write(1, "hyph_zz_QQ.dic", "UTF-8\n1a\n");
	unit_write(2, "hyph_yy_AB.dic", "UTF-8\n1a\n");
	const char *any = unit_write(3, "hyph_xx.dic", "UTF-8\n1a\n");
	char dir[256], path[512], want[512];
	snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(any, '/') - any), any);

	assert_true(hyphen_find(dir, "zz-QQ", path, sizeof path));
	snprintf(want, sizeof want, "%s/hyph_zz_QQ.dic", dir);
	assert_string_equal(path, want);
	/* Without a region, or one without patterns: the usual one. */
	assert_true(hyphen_find(dir, "zz", path, sizeof path));
	snprintf(want, sizeof want, "%s/hyph_zz_ZZ.dic", dir);
	assert_string_equal(path, want);
	assert_true(hyphen_find(dir, "zz-Latn-CH", path, sizeof path));
	assert_string_equal(path, want);
	/* Patterns of the language alone, or of any region. */
	assert_true(hyphen_find(dir, "xx-GB", path, sizeof path));
	snprintf(want, sizeof want, "%s/hyph_xx.dic", dir);
	assert_string_equal(path, want);
	assert_true(hyphen_find(dir, "yy", path, sizeof path));
	snprintf(want, sizeof want, "%s/hyph_yy_AB.dic", dir);
	assert_string_equal(path, want);
	assert_false(hyphen_find(dir, "qaa", path, sizeof path));
	/* A script has files of its own, as hyphen-sr's Latin
	 * hyph_sr-Latn_RS.dic beside its Cyrillic hyph_sr_RS.dic. */
	unit_write(4, "hyph_zz-Latn_ZZ.dic", "UTF-8\n1a\n");
	assert_true(hyphen_find(dir, "zz-Latn", path, sizeof path));
	snprintf(want, sizeof want, "%s/hyph_zz-Latn_ZZ.dic", dir);
	assert_string_equal(path, want);
	assert_true(hyphen_find(dir, "zz-Latn-QQ", path, sizeof path));
	assert_string_equal(path, want);
	assert_true(hyphen_find(dir, "zz-Cyrl", path, sizeof path));
	snprintf(want, sizeof want, "%s/hyph_zz_ZZ.dic", dir);
	assert_string_equal(path, want);

	/* Debian's: US English for "en", Russia's Russian for "ru". */
	assert_true(hyphen_find(HYPHEN_DIR, "en", path, sizeof path));
	assert_string_equal(path, HYPHEN_PATTERNS);
	assert_true(hyphen_find(HYPHEN_DIR, "ru", path, sizeof path));
	assert_string_equal(path, HYPHEN_DIR "/hyph_ru_RU.dic");
	assert_true(hyphen_find(HYPHEN_DIR, "fr-CA", path, sizeof path));
	assert_string_equal(path, HYPHEN_DIR "/hyph_fr_CA.dic");
}

static void
test_patterns_in_an_unknown_charset_are_refused(void **state)
{
	(void)state;
	char charset[HYPHEN_CHARSET_MAX];
	const char *p = unit_write(0, "hyph_odd.dic", "NO-SUCH-CHARSET\n1a\n");
	assert_null(hyphen_open(p, charset));
	assert_string_equal(charset, "NO-SUCH-CHARSET");
	/* Nor one whose bytes are not in the charset it names. */
	p = unit_write(1, "hyph_bad.dic", "ASCII\n1\xe9\n");
	assert_null(hyphen_open(p, charset));
	assert_string_equal(charset, "ASCII");
	p = unit_write(2, "hyph_good.dic", "ISO8859-1\n1\xe9\n");
	struct hyphenator *h = hyphen_open(p, charset);
	assert_non_null(h);
	assert_string_equal(charset, "");
	/* "1é": a point before every é, two bytes in UTF-8, but for the
	 * last three letters. */
	char got[32];
	points_of(h, "abéééé", got, sizeof got);
	assert_string_equal(got, "1 3");
	hyphen_close(h);
}

static void
test_a_pattern_given_twice_counts_as_the_last(void **state)
{
	(void)state;
	char got[32];
	/* As libhyphen has it: "b2" after "b1" takes the point back. */
	const char *p = unit_write(0, "hyph_twice.dic", "UTF-8\nb1\nc1\nb2\n");
	struct hyphenator *h = hyphen_open(p, NULL);
	assert_non_null(h);
	points_of(h, "abcdefgh", got, sizeof got);
	assert_string_equal(got, "2");
	hyphen_close(h);
	p = unit_write(1, "hyph_again.dic",
	               "UTF-8\nb2\n%% a comment\nb1\nNEXTLEVEL\nb2\n");
	h = hyphen_open(p, NULL);
	assert_non_null(h);
	points_of(h, "abcdefgh", got, sizeof got);
	assert_string_equal(got, "1");
	hyphen_close(h);
}

static void
test_words_in_utf8_are_hyphenated_by_their_patterns(void **state)
{
	(void)state;
	char path[512], got[128], charset[HYPHEN_CHARSET_MAX];
	/* French, in UTF-8: né-go-cia-tions (é is two bytes). */
	assert_true(hyphen_find(HYPHEN_DIR, "fr", path, sizeof path));
	struct hyphenator *fr = hyphen_open(path, charset);
	assert_non_null(fr);
	points_of(fr, "négociations", got, sizeof got);
	assert_string_equal(got, "2 4 7");
	points_of(fr, "Négociations", got, sizeof got);
	assert_string_equal(got, "2 4 7");
	/* Capitals stay whole; so does a word with an apostrophe. */
	points_of(fr, "NÉGOCIATIONS", got, sizeof got);
	assert_string_equal(got, "");
	points_of(fr, "d’infrastructures", got, sizeof got);
	assert_string_equal(got, "");
	hyphen_close(fr);

	/* Russian, in KOI8-R, converted: энерге-ти-че-ской, пе-регово-ры
	 * (the last part too short). */
	assert_true(hyphen_find(HYPHEN_DIR, "ru", path, sizeof path));
	struct hyphenator *ru = hyphen_open(path, charset);
	assert_non_null(ru);
	assert_false(hyphen_is_baked(ru));
	points_of(ru, "энергетической", got, sizeof got);
	assert_string_equal(got, "11 15 19");
	points_of(ru, "Переговоры", got, sizeof got);
	assert_string_equal(got, "3");
	/* Letters of another script in the word, or more than 60 of them. */
	points_of(ru, "энергетическойx", got, sizeof got);
	assert_string_equal(got, "");
	char longw[HYPHEN_MAX_BYTES];
	size_t n = 0;
	for (int i = 0; i < 61; i++)
		n += (size_t)snprintf(longw + n, sizeof longw - n, "%s",
		                      i % 2 ? "а" : "р");
	points_of(ru, longw, got, sizeof got);
	assert_string_equal(got, "");
	hyphen_close(ru);
}

static void
test_words_have_one_script(void **state)
{
	(void)state;
	assert_int_equal(hyphen_script("word", 4), SCRIPT_LATIN);
	assert_int_equal(hyphen_script("état", 5), SCRIPT_LATIN);
	assert_int_equal(hyphen_script("слово", 10), SCRIPT_CYRILLIC);
	assert_int_equal(hyphen_script("λόγος", 10), SCRIPT_GREEK);
	assert_int_equal(hyphen_script("wordслово", 14), SCRIPT_NONE);
	assert_int_equal(hyphen_script("word1", 5), SCRIPT_NONE);
	assert_int_equal(hyphen_script("l’état", 8), SCRIPT_NONE);
	assert_int_equal(hyphen_script("كلمة", 8), SCRIPT_ARABIC);
	assert_int_equal(hyphen_script("abcשלום", 11), SCRIPT_HEBREW);
	assert_int_equal(hyphen_script("", 0), SCRIPT_NONE);

	const char *t = "«Переговоры»,";
	size_t s = 0, e = strlen(t);
	hyphen_trim(t, &s, &e);
	assert_int_equal(s, 2);
	assert_int_equal(e, strlen(t) - 3);
	t = "(Élysée).";
	s = 0;
	e = strlen(t);
	hyphen_trim(t, &s, &e);
	assert_int_equal(s, 1);
	assert_int_equal(e, strlen(t) - 2);
	t = "1234";
	s = 0;
	e = strlen(t);
	hyphen_trim(t, &s, &e);
	assert_int_equal(e - s, 0);
}

int
run_hyphen_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_baked_is_what_libhyphen_loads),
	    cmocka_unit_test(test_baked_hyphenates_as_libhyphen),
	    cmocka_unit_test(test_other_patterns_are_parsed),
	    cmocka_unit_test(test_patterns_are_found_by_language),
	    cmocka_unit_test(test_patterns_in_an_unknown_charset_are_refused),
	    cmocka_unit_test(test_a_pattern_given_twice_counts_as_the_last),
	    cmocka_unit_test(
	        test_words_in_utf8_are_hyphenated_by_their_patterns),
	    cmocka_unit_test(test_words_have_one_script),
	};
	return cmocka_run_group_tests_name("hyphen", tests, NULL, NULL);
}
