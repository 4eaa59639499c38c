/*
 * Places of characters inside values, found in the input file.
 */
#include "unit.h"

#include <string.h>

#include "../../src/base/srcpos.h"

/* The place of the first "☃" in text, a value starting at line:col. */
static struct loc
find(struct srcpos *sp, const char *path, uint32_t line, uint32_t col,
     const char *text)
{
	const char *at = strstr(text, "☃");
	assert_non_null(at);
	struct loc out;
	srcpos_at(sp, (struct loc){path, line, col}, text, (size_t)(at - text),
	          &out);
	return out;
}

static void
test_places_in_yaml_values(void **state)
{
	(void)state;
	const char *y = unit_write(0, "v.yaml",
	                           "a: plain ☃ here\n"
	                           "b: 'it''s ☃'\n"
	                           "c: \"say \\\"☃\\\"\"\n"
	                           "d: folded over\n"
	                           "   two ☃ lines\n"
	                           "e: |\n"
	                           "  one\n"
	                           "  two ☃\n"
	                           "f: \"\\u00e9 ☃\"\n");
	struct srcpos *sp = srcpos_new();
	struct loc l = find(sp, y, 1, 4, "plain ☃ here");
	assert_int_equal(l.line, 1);
	assert_int_equal(l.col, 10);
	l = find(sp, y, 2, 4, "it's ☃");
	assert_int_equal(l.col, 11);
	l = find(sp, y, 3, 4, "say \"☃\"");
	assert_int_equal(l.col, 11);
	l = find(sp, y, 4, 4, "folded over two ☃ lines");
	assert_int_equal(l.line, 5);
	assert_int_equal(l.col, 8);
	l = find(sp, y, 6, 4, "one\ntwo ☃\n");
	assert_int_equal(l.line, 8);
	assert_int_equal(l.col, 7);
	/* An escape other than \" and \\: the value's own place. */
	l = find(sp, y, 9, 4, "é ☃");
	assert_int_equal(l.line, 9);
	assert_int_equal(l.col, 4);
	/* Text that is not what the file holds there. */
	l = find(sp, y, 1, 4, "other ☃");
	assert_int_equal(l.col, 4);
	srcpos_free(sp);
}

static void
test_places_in_markdown_text(void **state)
{
	(void)state;
	const char *md = unit_write(1, "p.md",
	                            "First \"line\" -- and...\n"
	                            "  second \\* ☃ line\n"
	                            "> quoted\n"
	                            "> again ☃\n");
	struct srcpos *sp = srcpos_new();
	struct loc l =
	    find(sp, md, 1, 1, "First “line” – and… second * ☃ line");
	assert_int_equal(l.line, 2);
	assert_int_equal(l.col, 13);
	l = find(sp, md, 3, 3, "quoted again ☃");
	assert_int_equal(l.line, 4);
	assert_int_equal(l.col, 9);
	/* A file that cannot be read: the value's own place. */
	l = find(sp, "/nonexistent/p.md", 3, 3, "quoted again ☃");
	assert_int_equal(l.line, 3);
	assert_int_equal(l.col, 3);
	srcpos_free(sp);
}

int
run_srcpos_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_places_in_yaml_values),
	    cmocka_unit_test(test_places_in_markdown_text),
	};
	return cmocka_run_group_tests_name("srcpos", tests, NULL, NULL);
}
