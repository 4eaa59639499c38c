/*
 * The total-fit line breaker, on hand-built boxes, glue and penalties.
 */
#include "unit.h"

#include <stdbool.h>

#include "../../src/base/arena.h"
#include "../../src/typeset/linebreak.h"
#include "../../src/typeset/typeset_int.h"

static const struct lb_params params = {.width = 100000,
                                        .tolerance = 200,
                                        .line_penalty = 10,
                                        .double_hyphen = 10000,
                                        .final_hyphen = 5000,
                                        .fitness_demerits = 10000};

/* Words of the given widths [pt] separated by glue, then a paragraph end. */
static size_t
words(struct lb_item *it, const int *w, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			it[k++] = (struct lb_item){LB_GLUE, false, 10000,
			                           10000,   5000,  0};
		it[k++] = (struct lb_item){LB_BOX, false, w[i] * 1000, 0, 0, 0};
	}
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, LB_INF};
	it[k++] = (struct lb_item){LB_GLUE, false, 0, 100000000, 0, 0};
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, -LB_INF};
	return k;
}

static void
test_badness_follows_tex(void **state)
{
	(void)state;
	assert_int_equal(linebreak_badness(0, 1000), 0);
	assert_int_equal(linebreak_badness(1000, 1000), 100);
	assert_int_equal(linebreak_badness(500, 1000), 12);
	assert_int_equal(linebreak_badness(2000, 1000), 800);
	assert_int_equal(linebreak_badness(1, 0), LB_INF);
	assert_int_equal(linebreak_badness(100000, 1000), LB_INF);
}

static void
test_exact_fit_breaks_where_lines_are_full(void **state)
{
	(void)state;
	struct arena a = {0};
	struct lb_item it[32];
	const int w[] = {45, 45, 45, 45, 20};
	size_t n = words(it, w, 5);
	size_t *br;
	bool fb;
	size_t lines = linebreak(&a, it, n, &params, &br, &fb);
	assert_false(fb);
	assert_int_equal(lines, 3);
	assert_int_equal(br[0], 3); /* the glue after the second word */
	assert_int_equal(br[1], 7);
	assert_int_equal(br[2], n - 1);
	arena_free(&a);
}

static void
test_lines_stay_within_stretch_and_shrink(void **state)
{
	/* Every line but the last is neither shrunk beyond its shrink nor
	 * stretched beyond the tolerance. */
	(void)state;
	struct arena a = {0};
	struct lb_item it[32];
	const int w[] = {60, 30, 30, 30, 30, 45, 45};
	size_t n = words(it, w, 7);
	size_t *br;
	bool fb;
	size_t lines = linebreak(&a, it, n, &params, &br, &fb);
	assert_false(fb);
	/* Every line but the last is within the stretch and shrink. */
	size_t from = 0;
	for (size_t k = 0; k + 1 < lines; k++) {
		int64_t nat = 0, st = 0, sh = 0;
		for (size_t i = from; i < br[k]; i++) {
			if (it[i].type == LB_PENALTY)
				continue;
			nat += it[i].width;
			if (it[i].type == LB_GLUE) {
				st += it[i].stretch;
				sh += it[i].shrink;
			}
		}
		assert_true(nat - params.width <= sh);
		assert_true(linebreak_badness(params.width - nat, st) <= 200 ||
		            nat >= params.width);
		from = br[k] + 1;
	}
	arena_free(&a);
}

static void
test_total_fit_beats_first_fit(void **state)
{
	/* Filling each line greedily at natural width sets 60 25 | 30 60 |
	 * 50 | 45 55 | 20 with "50" alone and unstretchable.  Total fit
	 * shrinks 50 45 slightly instead: 60 25 | 30 60 | 50 45 | 55 20. */
	(void)state;
	struct arena a = {0};
	struct lb_item it[32];
	const int w[] = {60, 25, 30, 60, 50, 45, 55, 20};
	size_t n = words(it, w, 8);
	size_t *br;
	bool fb;
	size_t lines = linebreak(&a, it, n, &params, &br, &fb);
	assert_false(fb);
	assert_int_equal(lines, 4);
	assert_int_equal(br[0], 3);
	assert_int_equal(br[1], 7);
	assert_int_equal(br[2], 11);
	assert_int_equal(br[3], n - 1);
	arena_free(&a);
}

static void
test_hyphenation_points_follow_the_patterns(void **state)
{
	(void)state;
	struct hyphenator *h =
	    hyphen_open("/usr/share/hyphen/hyph_en_US.dic", NULL);
	assert_non_null(h);
	uint8_t pts[64];
	/* in-fra-struc-ture: after bytes 1, 4 and 9. */
	assert_int_equal(hyphen_points(h, "infrastructure", 14, pts), 3);
	assert_int_equal(pts[1] + pts[4] + pts[9], 3);
	/* Capitalised words are hyphenated by their lower-case form. */
	assert_true(hyphen_points(h, "Negotiations", 12, pts) > 0);
	/* Words with digits, other scripts, acronyms and short words stay
	 * whole. */
	assert_int_equal(hyphen_points(h, "30-day", 6, pts), 0);
	assert_int_equal(hyphen_points(h, "Зеленський", 20, pts), 0);
	assert_int_equal(hyphen_points(h, "UNCLASSIFIED", 12, pts), 0);
	assert_int_equal(hyphen_points(h, "talks", 5, pts), 0);
	hyphen_close(h);
}

static void
test_forced_break_ends_a_line(void **state)
{
	(void)state;
	struct arena a = {0};
	struct lb_item it[16];
	size_t k = 0;
	it[k++] = (struct lb_item){LB_BOX, false, 20000, 0, 0, 0};
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, LB_INF};
	it[k++] = (struct lb_item){LB_GLUE, false, 0, 100000000, 0, 0};
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, -LB_INF};
	it[k++] = (struct lb_item){LB_BOX, false, 20000, 0, 0, 0};
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, LB_INF};
	it[k++] = (struct lb_item){LB_GLUE, false, 0, 100000000, 0, 0};
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, -LB_INF};
	size_t *br;
	bool fb;
	size_t lines = linebreak(&a, it, k, &params, &br, &fb);
	assert_int_equal(lines, 2);
	assert_int_equal(br[0], 3);
	assert_int_equal(br[1], 7);
	arena_free(&a);
}

static void
test_hyphen_breaks_are_not_stacked(void **state)
{
	/* Two words that can only be set on three lines by hyphenating one
	 * of them; the breaker may hyphenate, but not on two lines in a row
	 * when a plain break exists. */
	(void)state;
	struct arena a = {0};
	struct lb_item it[64];
	size_t k = 0;
	for (int w = 0; w < 6; w++) {
		if (w > 0)
			it[k++] = (struct lb_item){LB_GLUE, false, 10000,
			                           10000,   5000,  0};
		it[k++] = (struct lb_item){LB_BOX, false, 25000, 0, 0, 0};
		it[k++] = (struct lb_item){LB_PENALTY, true, 5000, 0, 0, 50};
		it[k++] = (struct lb_item){LB_BOX, false, 25000, 0, 0, 0};
	}
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, LB_INF};
	it[k++] = (struct lb_item){LB_GLUE, false, 0, 100000000, 0, 0};
	it[k++] = (struct lb_item){LB_PENALTY, false, 0, 0, 0, -LB_INF};
	size_t *br;
	bool fb;
	size_t lines = linebreak(&a, it, k, &params, &br, &fb);
	assert_false(fb);
	for (size_t i = 0; i + 1 < lines; i++) {
		bool h1 = it[br[i]].type == LB_PENALTY && it[br[i]].flagged;
		bool h2 = i + 2 < lines && it[br[i + 1]].type == LB_PENALTY &&
		          it[br[i + 1]].flagged;
		assert_false(h1 && h2);
	}
	arena_free(&a);
}

static void
test_overfull_box_falls_back_to_first_fit(void **state)
{
	(void)state;
	struct arena a = {0};
	struct lb_item it[32];
	const int w[] = {30, 150, 30};
	size_t n = words(it, w, 3);
	size_t *br;
	bool fb;
	size_t lines = linebreak(&a, it, n, &params, &br, &fb);
	assert_true(fb);
	assert_int_equal(lines, 3); /* the wide box sits on a line alone */
	assert_int_equal(br[0], 1);
	assert_int_equal(br[1], 3);
	arena_free(&a);
}

int
run_linebreak_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_badness_follows_tex),
	    cmocka_unit_test(test_exact_fit_breaks_where_lines_are_full),
	    cmocka_unit_test(test_lines_stay_within_stretch_and_shrink),
	    cmocka_unit_test(test_total_fit_beats_first_fit),
	    cmocka_unit_test(test_hyphenation_points_follow_the_patterns),
	    cmocka_unit_test(test_forced_break_ends_a_line),
	    cmocka_unit_test(test_hyphen_breaks_are_not_stacked),
	    cmocka_unit_test(test_overfull_box_falls_back_to_first_fit),
	};
	return cmocka_run_group_tests_name("linebreak", tests, NULL, NULL);
}
