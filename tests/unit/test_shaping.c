/*
 * The typesetter through the shaping interface (metrics.h) with a fake
 * font: a word is measured as shaped, kerning included; where a word's
 * parts start comes from the shaping of the whole word; right-to-left
 * words are measured right to left and set in visual order, a
 * right-to-left paragraph ragged on the left.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/utf8.h"
#include "../../src/doc.h"
#include "../../src/job.h"
#include "../../src/metrics.h"
#include "../../src/page.h"
#include "../../src/tmpl.h"
#include "../../src/typeset/typeset.h"

/* What the fake was asked: words measured right to left. */
static int rtl_words;

static bool
fake_covers(void *ctx, enum face f, uint32_t cp)
{
	(void)ctx;
	(void)f;
	(void)cp;
	return true;
}

/*
 * Every character half an em, a space a quarter; "AV" kerns by a tenth
 * of an em and "fi" is one glyph of seven tenths, as a real font's
 * shaping would have them.
 */
static int32_t
fake_word(void *ctx, enum face f, const char *s, size_t len, bool rtl,
          bool *missing, int32_t *pen)
{
	int32_t w = 0;
	(void)ctx;
	(void)f;
	(void)missing;
	rtl_words += rtl;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			k = 1;
		for (size_t j = i; pen != NULL && j < i + k; j++)
			pen[j] = w;
		if (cp == 'f' && i + 1 < len && s[i + 1] == 'i') {
			if (pen != NULL)
				pen[i + 1] = w + 700; /* inside the ligature */
			w += 700;
			i += 2;
			continue;
		}
		w += cp == ' ' ? 250 : 500;
		if (i > 0 && s[i - 1] == 'A' && cp == 'V')
			w -= 100;
		i += k;
	}
	if (pen != NULL)
		pen[len] = w;
	return w;
}

static const struct metrics fake = {
    .word = fake_word,
    .covers = fake_covers,
    .ascent = {800, 800, 800, 800, 800},
    .descent = {-200, -200, -200, -200, -200},
};

struct fixture {
	struct arena arena;
	struct diag diag;
	struct job job;
	struct doc doc;
	struct tmpl t;
	char *out;
	size_t outlen;
	FILE *stream;
	struct pages pg;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->stream = open_memstream(&f->out, &f->outlen);
	diag_init(&f->diag, f->stream);
	f->job = (struct job){
	    .arena = &f->arena, .diag = &f->diag, .source_date = -1};
	struct tmpl *t = &f->t;
	t->page_width = 595276;
	t->page_height = 841890;
	t->margin_top = t->margin_bottom = 72000;
	t->margin_left = t->margin_right = 72000;
	t->header_offset = t->footer_offset = 24000;
	t->note_gap = 10000;
	t->note_rule_width = 100000;
	t->cell_padding = 3000;
	for (int s = 0; s < STYLE__MAX; s++)
		t->styles[s] = (struct style){.face = FACE_SERIF,
		                              .size = 10000,
		                              .leading = 12000,
		                              .align = 1};
	f->doc.root = doc_new(&f->arena, DOC_ROOT, (struct loc){0});
	for (int v = 0; v < VAR__MAX; v++)
		f->doc.vars[v] = "";
	rtl_words = 0;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	typeset_pages_free(&f->pg);
	diag_free(&f->diag);
	fclose(f->stream);
	free(f->out);
	arena_free(&f->arena);
	free(f);
	return 0;
}

/* Sets one body paragraph of text. */
static void
set(struct fixture *f, const char *text)
{
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	doc_add_run(&f->arena, p, text, 0, (struct loc){"x.md", 1, 1});
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &f->pg));
}

/* The body text operations of the first page, in drawing order. */
static const struct page_op *
body_op(const struct fixture *f, const char *text)
{
	const struct page *pg = &f->pg.pages[0];
	for (size_t i = 0; i < pg->nops; i++)
		if (pg->ops[i].type == PAGE_TEXT &&
		    strcmp(pg->ops[i].text, text) == 0)
			return &pg->ops[i];
	fail_msg("no text \"%s\" on the page", text);
	return NULL;
}

static void
test_words_are_measured_as_shaped(void **state)
{
	struct fixture *f = *state;
	set(f, "AVA fit AV");
	const struct page_op *op = body_op(f, "AVA fit AV");
	/* AVA 1.4 em, fit 1.2 em (a ligature), AV 0.9 em, two spaces
	 * of a quarter: 4 em at 10pt; 4.5 em unshaped. */
	assert_int_equal(op->w, 40000);
	assert_false(op->rtl);
}

static void
test_a_long_word_is_measured_whole_before_it_is_hyphenated(void **state)
{
	struct fixture *f = *state;
	/* Its width as a word, kerned: the parts' widths add up to it. */
	set(f, "AVAVAVAV");
	assert_int_equal(body_op(f, "AVAVAVAV")->w, 36000);
}

static void
test_right_to_left_words_are_set_in_visual_order(void **state)
{
	struct fixture *f = *state;
	/* An English paragraph quoting two Hebrew words: they read right
	 * to left, the first of them on the right. */
	set(f, "he said אבג דהו today");
	/* In a line of mixed directions each word is drawn on its own. */
	const struct page_op *said = body_op(f, "said");
	const struct page_op *first = body_op(f, "אבג");
	const struct page_op *second = body_op(f, "דהו");
	const struct page_op *today = body_op(f, "today");
	assert_true(first->rtl && second->rtl && !said->rtl && !today->rtl);
	assert_true(said->x < second->x);
	assert_true(second->x < first->x);
	assert_true(first->x < today->x);
	assert_true(rtl_words >= 2);
}

static void
test_a_right_to_left_paragraph_is_ragged_left(void **state)
{
	struct fixture *f = *state;
	set(f, "אבג דהו 30 זחט");
	const struct page_op *first = body_op(f, "אבג");
	const struct page_op *num = body_op(f, "30");
	const struct page_op *last = body_op(f, "זחט");
	int32_t right = f->t.page_width - f->t.margin_right;
	/* The first word ends at the right margin; the number keeps its
	 * digits in order, between the words around it. */
	assert_int_equal(first->x + first->w, right);
	assert_false(num->rtl);
	assert_true(last->x < num->x && num->x < first->x);
}

int
run_shaping_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_words_are_measured_as_shaped,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_long_word_is_measured_whole_before_it_is_hyphenated,
	        setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_right_to_left_words_are_set_in_visual_order, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_right_to_left_paragraph_is_ragged_left, setup, teardown),
	};
	return cmocka_run_group_tests_name("shaping", tests, NULL, NULL);
}
