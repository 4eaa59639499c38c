/*
 * The diagnostic sink: what it prints of the input.
 */
#include "unit.h"

#include <stdlib.h>

#include "../../src/base/diag.h"

static void
expect_escaped(const char *in, const char *want)
{
	char *got = diag_escape(in);
	assert_string_equal(got, want);
	free(got);
}

static void
test_controls_are_escaped(void **state)
{
	(void)state;
	expect_escaped("plain “text”, Зеленський", "plain “text”, Зеленський");
	expect_escaped("a\x1b[2Jb", "a\\x1b[2Jb");
	expect_escaped("\t\n\r\x7f\x01", "\\t\\n\\r\\x7f\\x01");
	expect_escaped("nel\xC2\x85"
	               "csi\xC2\x9B",
	               "nel\\u0085csi\\u009b");
	expect_escaped("not utf-8 \xFF\xC3", "not utf-8 \\xff\\xc3");
}

static void
test_invisible_characters_are_escaped(void **state)
{
	(void)state;
	expect_escaped("art\xE2\x80\x8B", "art\\u200b");
	expect_escaped("\xE2\x80\xAEtxt.exe", "\\u202etxt.exe");
	expect_escaped("\xEF\xBB\xBFid\xC2\xAD", "\\ufeffid\\u00ad");
	expect_escaped("tag\xF3\xA0\x80\x81", "tag\\U000e0001");
	/* Visible spaces and marks stay as they are. */
	expect_escaped("a\xC2\xA0z\xE2\x80\xA6", "a\xC2\xA0z\xE2\x80\xA6");
}

int
run_diag_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_controls_are_escaped),
	    cmocka_unit_test(test_invisible_characters_are_escaped),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
