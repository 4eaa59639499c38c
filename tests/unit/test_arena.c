/*
 * The arena's string formatting, which does the common conversions itself
 * and must agree with the C library on every one of them.
 */
#include "unit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../../src/base/arena.h"

/* Formats through the arena and through snprintf; both must agree. */
#define SAME(...)                                                              \
	do {                                                                   \
		char want[256];                                                \
		snprintf(want, sizeof want, __VA_ARGS__);                      \
		assert_string_equal(arena_printf(&a, __VA_ARGS__), want);      \
	} while (0)

static void
test_formats_strings_and_numbers_as_printf_does(void **state)
{
	(void)state;
	struct arena a = {0};
	SAME("plain text, no conversions");
	SAME("%s", "");
	SAME("“%s”", "Kyivʼs view");
	SAME("%s against %s", "Party A", "Party B");
	SAME("%.*s…", 5, "energy infrastructure");
	SAME("%.*s|", 40, "short");
	SAME("%.*s|", 0, "gone");
	SAME("%u", 0u);
	SAME("%u", 4294967295u);
	SAME("%d %s %d", 18, "March", 2025);
	SAME("%d", -7);
	SAME("%d", INT_MIN);
	SAME("%d", INT_MAX);
	SAME("%zu pages", (size_t)3606);
	SAME("%zu", (size_t)SIZE_MAX);
	SAME("%0*zu", 6, (size_t)42);
	SAME("%0*zu", 2, (size_t)12345);
	SAME("%0*zu", 0, (size_t)0);
	SAME("100%% of %u", 7u);
	SAME("%%s stays literal, %s", "this does not");
	SAME("%s%s%s", "a", "", "c");
	SAME("%c", 'q');
	SAME("%c%s", ';', " ");
	SAME("%.*s%c%s", 9, "ceasefire.", ',', "”");
	SAME("%*c|", 3, 'x');
	SAME("%02d", 7);
	SAME("%02d", 18);
	SAME("%02d", 123);
	SAME("%4d|%-4d|", 42, 42);
	SAME("%3s|", "ab");
	SAME("%012zu", (size_t)42);
	SAME("%*c|", 0, 'x');
	arena_free(&a);
}

static void
test_other_conversions_still_format(void **state)
{
	(void)state;
	struct arena a = {0};
	SAME("%5.1f pt", 10.25);
	SAME("%x", 255u);
	SAME("%-6s|", "left");
	SAME("%*s|", -6, "left");
	SAME("%05d", -42);
	SAME("%ld", 1234567890123L);
	SAME("%-3c|", 'q');
	SAME("%3c|", 'x');
	arena_free(&a);
}

static void
test_long_results_are_whole(void **state)
{
	(void)state;
	struct arena a = {0};
	char big[100001];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *s = arena_printf(&a, "[%s]", big);
	assert_int_equal(strlen(s), sizeof big + 1);
	assert_int_equal(s[0], '[');
	assert_int_equal(s[sizeof big], ']');
	arena_free(&a);
}

static void
test_trim_gives_back_zeroed_room(void **state)
{
	(void)state;
	struct arena a = {0};
	unsigned char *p = arena_array(&a, 64, 1);
	memset(p, 0xAB, 64);
	arena_trim(&a, p, 64, 16, 1);
	/* The next allocation starts where the kept part ends, zeroed. */
	unsigned char *q = arena_alloc(&a, 48);
	assert_ptr_equal(q, p + 16);
	for (int i = 0; i < 48; i++)
		assert_int_equal(q[i], 0);
	assert_int_equal(p[15], 0xAB);
	/* Not the last allocation: nothing changes. */
	arena_trim(&a, p, 16, 1, 1);
	unsigned char *r = arena_alloc(&a, 16);
	assert_ptr_equal(r, q + 48);
	/* Growing the array that was trimmed again happens in place. */
	int *v = arena_array(&a, 8, sizeof *v);
	arena_trim(&a, v, 8, 2, sizeof *v);
	assert_ptr_equal(arena_grow(&a, v, 2, 4, sizeof *v), v);
	arena_free(&a);
}

int
run_arena_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_formats_strings_and_numbers_as_printf_does),
	    cmocka_unit_test(test_other_conversions_still_format),
	    cmocka_unit_test(test_long_results_are_whole),
	    cmocka_unit_test(test_trim_gives_back_zeroed_room),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
