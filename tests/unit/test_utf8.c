/*
 * UTF-8 decoding and validation.
 */
#include "unit.h"

#include "../../src/base/utf8.h"

static void
test_decodes_multibyte_sequences(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(utf8_decode("\xCA\xBC", 2, &cp), 2);
	assert_int_equal(cp, 0x2BC);
	assert_int_equal(utf8_decode("\xE2\x80\x9C", 3, &cp), 3);
	assert_int_equal(cp, 0x201C);
	assert_int_equal(utf8_decode("\xD0\x97", 2, &cp), 2);
	assert_int_equal(cp, 0x417);
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
}

static void
test_rejects_invalid_sequences(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(utf8_decode("\xC3\x28", 2, &cp), 0); /* bad tail */
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 0); /* overlong */
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp),
	                 0);                                  /* surrogate */
	assert_int_equal(utf8_decode("\xE2\x80", 2, &cp), 0); /* truncated */
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
}

static void
test_check_finds_first_bad_byte(void **state)
{
	(void)state;
	const char *s = "Kyiv\xCA\xBCs \xFF view";
	assert_int_equal(utf8_check(s, 13), 8);
	assert_int_equal(utf8_check("Зеленський", 20), 20);
	assert_int_equal(utf8_count("Зеленський", 20), 10);
}

static void
test_encode_round_trips(void **state)
{
	(void)state;
	char out[4];
	uint32_t cps[] = {0x41, 0xE9, 0x2014, 0x1F600};
	for (size_t i = 0; i < 4; i++) {
		size_t n = utf8_encode(cps[i], out);
		uint32_t cp;
		assert_int_equal(utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
}

/* What a PDF text string takes: one unit per character, two for those
 * beyond U+FFFF. */
static void
test_counts_utf16_units(void **state)
{
	(void)state;
	assert_int_equal(utf8_utf16_len("", 0), 0);
	assert_int_equal(utf8_utf16_len("Kyiv", 4), 4);
	assert_int_equal(utf8_utf16_len("\xCA\xBC\xE2\x80\x9C", 5), 2);
	assert_int_equal(utf8_utf16_len("a\xF0\x9F\x98\x80"
	                                "b",
	                                6),
	                 4);
}

static void
test_invisible_characters_are_named(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_string_equal(utf8_invisible(0x200B), "ZERO WIDTH SPACE");
	assert_string_equal(utf8_invisible(0x202E), "RIGHT-TO-LEFT OVERRIDE");
	assert_string_equal(utf8_invisible(0x2066), "LEFT-TO-RIGHT ISOLATE");
	assert_string_equal(utf8_invisible(0xAD), "SOFT HYPHEN");
	assert_null(utf8_invisible('a'));
	assert_null(utf8_invisible(0xA0)); /* no-break space shows */
	assert_null(utf8_invisible(0x2026));
	assert_int_equal(utf8_find_invisible("art\xE2\x80\x8B", 6, &cp), 3);
	assert_int_equal(cp, 0x200B);
	assert_int_equal(utf8_find_invisible("Зеленський", 20, &cp), 20);
}

static void
test_the_character_before_a_place_is_decoded(void **state)
{
	(void)state;
	const char *s = "a\u00e9\u20ac\U0001F600";
	uint32_t cp = 0;
	assert_int_equal(utf8_decode_before(s, 0, &cp), 0);
	assert_int_equal(utf8_decode_before(s, 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(utf8_decode_before(s, 3, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode_before(s, 6, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(utf8_decode_before(s, 10, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* Inside a character: what ends there is no character. */
	assert_int_equal(utf8_decode_before(s, 2, &cp), 0);
}

int
run_utf8_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_character_before_a_place_is_decoded),
	    cmocka_unit_test(test_decodes_multibyte_sequences),
	    cmocka_unit_test(test_rejects_invalid_sequences),
	    cmocka_unit_test(test_check_finds_first_bad_byte),
	    cmocka_unit_test(test_encode_round_trips),
	    cmocka_unit_test(test_counts_utf16_units),
	    cmocka_unit_test(test_invisible_characters_are_named),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
