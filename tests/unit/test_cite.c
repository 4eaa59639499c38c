/*
 * Citation parsing in commentary: [@id], [@a; @b], [@id, locator],
 * [see @id, p. 3], [-@id], and a bare @id.
 */
#include "unit.h"

#include <string.h>

#include "../../src/compose/compose.h"

static void
test_single_citation(void **state)
{
	(void)state;
	const char *t = "Talks were held [@kyiv-independent].";
	struct cite_group g;
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	assert_int_equal(g.start, 16);
	assert_int_equal(g.end, 35);
	assert_int_equal(g.nitems, 1);
	assert_int_equal(g.items[0].keylen, 16);
	assert_memory_equal(g.items[0].key, "kyiv-independent", 16);
	assert_null(g.items[0].locator);
}

static void
test_group_with_locators(void **state)
{
	(void)state;
	const char *t = "x [@a; @b-2, para. 3;  @c.d ] y";
	struct cite_group g;
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	assert_int_equal(g.nitems, 3);
	assert_memory_equal(g.items[0].key, "a", 1);
	assert_int_equal(g.items[1].keylen, 3);
	assert_memory_equal(g.items[1].key, "b-2", 3);
	assert_int_equal(g.items[1].loclen, 7);
	assert_memory_equal(g.items[1].locator, "para. 3", 7);
	assert_int_equal(g.items[2].keylen, 3);
	assert_memory_equal(g.items[2].key, "c.d", 3);
}

static void
test_brackets_without_at_are_text(void **state)
{
	(void)state;
	const char *t = "[sic] and [press@kremlin.ru] and [@] and [a; @b] "
	                "and [@ok]";
	struct cite_group g;
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	assert_int_equal(g.start, strstr(t, "[@ok]") - t);
	assert_memory_equal(g.items[0].key, "ok", 2);
}

static void
test_prefix_suffix_and_suppressed_author(void **state)
{
	(void)state;
	const char *t = "[see @a, p. 3; also -@b-2 chap. 1; -@c] [x [@d]]";
	struct cite_group g;
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	assert_int_equal(g.nitems, 3);
	assert_int_equal(g.items[0].prelen, 3);
	assert_memory_equal(g.items[0].prefix, "see", 3);
	assert_memory_equal(g.items[0].locator, "p. 3", 4);
	assert_false(g.items[0].suppress_author);
	assert_int_equal(g.items[1].keylen, 3);
	assert_memory_equal(g.items[1].prefix, "also", 4);
	assert_memory_equal(g.items[1].locator, "chap. 1", 7);
	assert_true(g.items[1].suppress_author);
	assert_null(g.items[2].prefix);
	assert_null(g.items[2].locator);
	assert_true(g.items[2].suppress_author);
	/* A ';' may end a group, but an item must not be blank. */
	assert_true(compose_find_cite("[@a;]", 5, 0, &g));
	assert_int_equal(g.nitems, 1);
	assert_false(compose_find_cite("[@a; ]", 6, 0, &g));
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	/* Only the innermost brackets can be a group. */
	assert_true(compose_find_cite(t, strlen(t), g.end, &g));
	assert_int_equal(g.start, strstr(t, "[@d]") - t);
}

static void
test_bare_citation_is_found_outside_words(void **state)
{
	(void)state;
	const char *t = "Write press@kremlin.ru or @tass, as @ria.";
	size_t at, n;
	const char *key;
	assert_true(compose_find_bare_cite(t, strlen(t), 0, &at, &key, &n));
	assert_int_equal(at, strstr(t, "@tass") - t);
	assert_int_equal(n, 4);
	assert_true(
	    compose_find_bare_cite(t, strlen(t), at + 1, &at, &key, &n));
	assert_memory_equal(key, "ria", 3);
	assert_int_equal(n, 3);
	assert_false(
	    compose_find_bare_cite(t, strlen(t), at + 1, &at, &key, &n));
}

static void
test_unterminated_citation_is_not_found(void **state)
{
	(void)state;
	const char *t = "an open [@a; @b";
	struct cite_group g;
	assert_false(compose_find_cite(t, strlen(t), 0, &g));
}

static void
test_key_drops_trailing_punctuation(void **state)
{
	(void)state;
	const char *t = "[@a.]";
	struct cite_group g;
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	assert_int_equal(g.items[0].keylen, 1);
}

static void
test_key_keeps_invisible_characters(void **state)
{
	(void)state;
	/* A zero-width space in a key makes it an unknown key, reported,
	 * not text printed as it stands. */
	const char *t = "[@art\xE2\x80\x8B] [@\xE2\x81\xA7"
	                "b\xE2\x81\xA9, p. 2]";
	struct cite_group g;
	assert_true(compose_find_cite(t, strlen(t), 0, &g));
	assert_int_equal(g.items[0].keylen, 6);
	assert_memory_equal(g.items[0].key, "art\xE2\x80\x8B", 6);
	assert_true(compose_find_cite(t, strlen(t), g.end, &g));
	assert_int_equal(g.items[0].keylen, 7);
	assert_memory_equal(g.items[0].locator, "p. 2", 4);
}

int
run_cite_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_citation),
	    cmocka_unit_test(test_group_with_locators),
	    cmocka_unit_test(test_brackets_without_at_are_text),
	    cmocka_unit_test(test_prefix_suffix_and_suppressed_author),
	    cmocka_unit_test(test_bare_citation_is_found_outside_words),
	    cmocka_unit_test(test_unterminated_citation_is_not_found),
	    cmocka_unit_test(test_key_drops_trailing_punctuation),
	    cmocka_unit_test(test_key_keeps_invisible_characters),
	};
	return cmocka_run_group_tests_name("cite", tests, NULL, NULL);
}
