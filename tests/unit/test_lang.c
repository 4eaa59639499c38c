/*
 * Language tags and scripts: which BCP 47 tags are well-formed and what
 * is wrong with the others, the script of a letter, lower case, and the
 * language a word in another script is taken to be in.
 */
#include "unit.h"

#include <string.h>

#include "../../src/base/lang.h"

static void
test_well_formed_tags_take_their_usual_case(void **state)
{
	(void)state;
	static const char *const tags[][2] = {
	    {"en", "en"},
	    {"EN", "en"},
	    {"fr-ca", "fr-CA"},
	    {"pt-br", "pt-BR"},
	    {"SR-LATN-rs", "sr-Latn-RS"},
	    {"zh-Hant-TW", "zh-Hant-TW"},
	    {"es-419", "es-419"},
	    {"de-CH-1996", "de-CH-1996"},
	    {"de-1996", "de-1996"},
	    {"sl-rozaj-biske", "sl-rozaj-biske"},
	    {"en-US-x-Twain", "en-US-x-twain"},
	    {"en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"},
	    {"yue", "yue"},
	    /* Extended languages (RFC 5646, 2.2.2), up to three. */
	    {"zh-yue", "zh-yue"},
	    {"ar-APC", "ar-apc"},
	    {"zh-cmn-Hans-CN", "zh-cmn-Hans-CN"},
	    {"zh-abc-def-ghi-Hant", "zh-abc-def-ghi-Hant"},
	};
	for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
		char out[LANG_TAG_MAX + 1];
		const char *bad;
		size_t nbad;
		const char *why = lang_check(tags[i][0], out, &bad, &nbad);
		if (why != NULL)
			fail_msg("%s: %s", tags[i][0], why);
		assert_string_equal(out, tags[i][1]);
	}
}

static void
test_malformed_tags_name_their_faulty_part(void **state)
{
	(void)state;
	static const struct {
		const char *tag, *bad, *why;
	} cases[] = {
	    {"", "", "it is empty"},
	    {"e", "e", "is not a language"},
	    {"english", "english", "is not a language"},
	    {"12", "12", "is not a language"},
	    {"en_US", "_", "is not a letter, digit"},
	    {"ru-RU\xc3\xa9", "\xc3\xa9", "is not a letter, digit"},
	    {"en--US", "", "it has an empty part"},
	    {"en-", "", "it has an empty part"},
	    {"-en", "", "it has an empty part"},
	    {"en-US-GB", "GB", "is not an extended language"},
	    {"fr-Latn-Cyrl", "Cyrl", "is not an extended language"},
	    {"en-abcdefghi", "abcdefghi", "is not an extended language"},
	    {"sr-Latn-RS-abc", "abc", "is not an extended language"},
	    {"zh-abc-def-ghi-jkl", "jkl", "is not an extended language"},
	    {"zh-Hant-yue", "yue", "is not an extended language"},
	    {"de-CH-x", "x", "is a singleton with nothing after it"},
	    {"en-a-x-b", "x", "follows a singleton"},
	    {"en-x-abcdefghi", "abcdefghi", "is longer than 8"},
	    {"en-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-"
	     "abcdefgh",
	     "", "it is longer than 63 characters"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[LANG_TAG_MAX + 1];
		const char *bad;
		size_t nbad;
		const char *why = lang_check(cases[i].tag, out, &bad, &nbad);
		if (why == NULL)
			fail_msg("%s: accepted", cases[i].tag);
		if (strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)
			fail_msg("%s: \"%s\"", cases[i].tag, why);
		assert_int_equal(nbad, strlen(cases[i].bad));
		assert_memory_equal(bad, cases[i].bad, nbad);
		assert_true(bad >= cases[i].tag &&
		            bad <= cases[i].tag + strlen(cases[i].tag));
	}
}

static void
test_letters_have_their_script(void **state)
{
	(void)state;
	static const struct {
		uint32_t cp;
		enum lang_script s;
	} cases[] = {
	    {'a', SCRIPT_LATIN},      {'Z', SCRIPT_LATIN},
	    {0xE9, SCRIPT_LATIN},     {0xDF, SCRIPT_LATIN},
	    {0x142, SCRIPT_LATIN},    {0x1EA1, SCRIPT_LATIN},
	    {0x416, SCRIPT_CYRILLIC}, {0x451, SCRIPT_CYRILLIC},
	    {0x491, SCRIPT_CYRILLIC}, {0x3A9, SCRIPT_GREEK},
	    {0x3AC, SCRIPT_GREEK},    {0x1F00, SCRIPT_GREEK},
	    {0x301, SCRIPT_MARK},     {0x627, SCRIPT_ARABIC},
	    {0xFEFB, SCRIPT_ARABIC},  {0x5E9, SCRIPT_HEBREW},
	    {0xFB2A, SCRIPT_HEBREW},  {0x710, SCRIPT_RTL},
	    {0x7C0, SCRIPT_RTL},      {0x1E900, SCRIPT_RTL},
	    {'1', SCRIPT_NONE},       {'-', SCRIPT_NONE},
	    {0x2019, SCRIPT_NONE},    {0xAB, SCRIPT_NONE},
	    {0xD7, SCRIPT_NONE},      {0x4E2D, SCRIPT_NONE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (lang_script(cases[i].cp) != cases[i].s)
			fail_msg("U+%04X: script %d, not %d",
			         (unsigned)cases[i].cp,
			         lang_script(cases[i].cp), cases[i].s);
	assert_true(lang_script_is_rtl(SCRIPT_ARABIC));
	assert_true(lang_script_is_rtl(SCRIPT_HEBREW));
	assert_true(lang_script_is_rtl(SCRIPT_RTL));
	assert_false(lang_script_is_rtl(SCRIPT_LATIN));
	assert_false(lang_script_is_rtl(SCRIPT_CYRILLIC));
	assert_false(lang_script_is_rtl(SCRIPT_NONE));
}

static void
test_capitals_have_their_small_letters(void **state)
{
	(void)state;
	static const uint32_t pairs[][2] = {
	    {'A', 'a'},     {'a', 'a'},     {'1', '1'},     {0xC9, 0xE9},
	    {0xD7, 0xD7},   {0x141, 0x142}, {0x130, 'i'},   {0x178, 0xFF},
	    {0x17D, 0x17E}, {0x391, 0x3B1}, {0x3A9, 0x3C9}, {0x386, 0x3AC},
	    {0x38F, 0x3CE}, {0x410, 0x430}, {0x42F, 0x44F}, {0x401, 0x451},
	    {0x404, 0x454}, {0x490, 0x491}, {0x4E8, 0x4E9}, {0x451, 0x451},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		if (lang_lower(pairs[i][0]) != pairs[i][1])
			fail_msg("U+%04X: U+%04X, not U+%04X",
			         (unsigned)pairs[i][0],
			         (unsigned)lang_lower(pairs[i][0]),
			         (unsigned)pairs[i][1]);
}

static void
test_words_in_another_script_take_its_language(void **state)
{
	(void)state;
	assert_int_equal(lang_tag_script("en"), SCRIPT_LATIN);
	assert_int_equal(lang_tag_script("uk-UA"), SCRIPT_CYRILLIC);
	assert_int_equal(lang_tag_script("el"), SCRIPT_GREEK);
	assert_int_equal(lang_tag_script("ar"), SCRIPT_ARABIC);
	assert_int_equal(lang_tag_script("he"), SCRIPT_HEBREW);
	assert_int_equal(lang_tag_script("sr"), SCRIPT_CYRILLIC);
	assert_int_equal(lang_tag_script("sr-Latn"), SCRIPT_LATIN);
	assert_int_equal(lang_tag_script("az-Cyrl"), SCRIPT_CYRILLIC);
	assert_int_equal(lang_tag_script("zh"), SCRIPT_NONE);
	assert_int_equal(lang_tag_script("de-1996"), SCRIPT_LATIN);
	assert_int_equal(lang_tag_script("ar-apc"), SCRIPT_ARABIC);
	assert_int_equal(lang_tag_script("yue"), SCRIPT_NONE);
	assert_int_equal(lang_tag_script("nan-Hant-TW"), SCRIPT_NONE);
	assert_int_equal(lang_tag_script("arz"), SCRIPT_ARABIC);
	assert_int_equal(lang_tag_script("zh-cmn-Hans-CN"), SCRIPT_NONE);
	assert_int_equal(lang_tag_script("sr-ekv-Latn"), SCRIPT_LATIN);

	assert_string_equal(lang_of_script(SCRIPT_LATIN, "fr"), "fr");
	assert_string_equal(lang_of_script(SCRIPT_LATIN, "ru"), "en");
	assert_string_equal(lang_of_script(SCRIPT_LATIN, NULL), "en");
	assert_string_equal(lang_of_script(SCRIPT_CYRILLIC, "en"), "ru");
	assert_string_equal(lang_of_script(SCRIPT_CYRILLIC, "uk"), "uk");
	assert_string_equal(lang_of_script(SCRIPT_CYRILLIC, "sr-Latn"), "ru");
	assert_string_equal(lang_of_script(SCRIPT_GREEK, "en-GB"), "el");
	assert_string_equal(lang_of_script(SCRIPT_LATIN, "en-GB"), "en-GB");
	/* Right to left, or no script: never hyphenated. */
	assert_null(lang_of_script(SCRIPT_ARABIC, "ar"));
	assert_null(lang_of_script(SCRIPT_HEBREW, "en"));
	assert_null(lang_of_script(SCRIPT_RTL, "en"));
	assert_null(lang_of_script(SCRIPT_NONE, "en"));
	assert_null(lang_of_script(SCRIPT_MARK, "en"));
}

static void
test_a_phrase_takes_the_language_of_its_script(void **state)
{
	(void)state;
	const char *el = "Η συνομιλία", *ru = "Звонок", *he = "שיחה";
	assert_string_equal(lang_of_text("The call", 8, "fr"), "fr");
	assert_string_equal(lang_of_text(el, strlen(el), "en"), "el");
	assert_string_equal(lang_of_text(ru, strlen(ru), "uk"), "uk");
	assert_string_equal(lang_of_text(ru, strlen(ru), "en"), "ru");
	assert_string_equal(lang_of_text(he, strlen(he), "en"), "he");
	/* Figures and punctuation first: the first letter decides. */
	assert_string_equal(
	    lang_of_text("2025: Звонок", strlen("2025: Звонок"), "en"), "ru");
	assert_string_equal(lang_of_text("2025", 4, "de"), "de");
	assert_null(lang_of_text("2025", 4, NULL));
}

static void
test_small_words_are_the_languages_own(void **state)
{
	(void)state;
	const char *de = "de", *tis = "της", *mezhdu = "между", *shel = "של";
	assert_true(lang_small_word("en", "of", 2, false));
	assert_true(lang_small_word("en-GB", "the", 3, false));
	assert_false(lang_small_word("en", "call", 4, false));
	assert_true(lang_small_word("fr", de, strlen(de), false));
	assert_false(lang_small_word("en", de, strlen(de), false));
	assert_true(lang_small_word("el", tis, strlen(tis), false));
	assert_true(lang_small_word("ru", mezhdu, strlen(mezhdu), false));
	assert_false(lang_small_word("uk", mezhdu, strlen(mezhdu), false));
	assert_true(lang_small_word("he", shel, strlen(shel), false));
	/* A capital makes a name, unless the title is in headline style. */
	assert_false(lang_small_word("en", "A", 1, false));
	assert_true(lang_small_word("en", "A", 1, true));
	assert_true(lang_small_word("en", "With", 4, true));
	assert_true(lang_small_word("en", "WITH", 4, true));
	assert_false(lang_small_word("en", "WITH", 4, false));
	/* Points and vowels aside: "שֶׁל" is "של", "إنَّ" is "إن"... */
	const char *shel_pointed = "\u05e9\u05b6\u05c1\u05dc";
	assert_true(
	    lang_small_word("he", shel_pointed, strlen(shel_pointed), false));
	assert_true(lang_small_word("ru", "Между", strlen("Между"), true));
	/* No list: nothing is small. */
	assert_false(lang_small_word("pl", "z", 1, false));
	assert_false(lang_small_word(NULL, "of", 2, false));
	assert_false(lang_small_word("en", "", 0, true));
}

static void
test_a_mark_between_hebrew_letters_is_a_geresh(void **state)
{
	(void)state;
	const char *tsahal = "\u05e6\u05d4\"\u05dc";         /* צה"ל */
	const char *curly = "\u05e6\u05d4\u201d\u05dc";      /* צה”ל */
	const char *pointed = "\u05d2\u05b4'\u05d5";         /* גִ'ו */
	const char *quoted = "\"\u05e9\u05dc\u05d5\u05dd\""; /* "שלום" */
	assert_true(lang_geresh(tsahal, strlen(tsahal), 4, 1));
	assert_true(lang_geresh(curly, strlen(curly), 4, 3));
	assert_true(lang_geresh(pointed, strlen(pointed), 4, 1));
	/* Around a word, or beside another script: a quotation mark. */
	assert_false(lang_geresh(quoted, strlen(quoted), 0, 1));
	assert_false(lang_geresh(quoted, strlen(quoted), 9, 1));
	assert_false(lang_geresh("it's", 4, 2, 1));
	assert_false(lang_geresh(tsahal, 5, 4, 1)); /* nothing after */
	/* A quotation after a one-letter prefix: ב"הארץ" (in "Haaretz"). */
	const char *prefix = "\u05d1\"\u05d4\u05d0\u05e8\u05e5\"";
	assert_false(lang_geresh(prefix, strlen(prefix), 2, 1));
	/* The last letter, then punctuation: ארה"ב, */
	const char *usa = "\u05d0\u05e8\u05d4\"\u05d1,";
	assert_true(lang_geresh(usa, strlen(usa), 6, 1));
}

static void
test_cyrillic_takes_the_language_its_letters_show(void **state)
{
	(void)state;
	const char *uk = "Ми готові", *ru = "Мы готовы", *be = "Мы гатовы ўсе";
	const char *none = "Зеленський про перемир’я", *both = "і ы";
	assert_string_equal(lang_cyrillic(uk, strlen(uk)), "uk");
	assert_string_equal(lang_cyrillic(ru, strlen(ru)), "ru");
	assert_string_equal(lang_cyrillic(be, strlen(be)), "be");
	assert_null(lang_cyrillic(none, strlen(none)));
	assert_null(lang_cyrillic(both, strlen(both)));
	assert_null(lang_cyrillic("", 0));
}

int
run_lang_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_well_formed_tags_take_their_usual_case),
	    cmocka_unit_test(test_malformed_tags_name_their_faulty_part),
	    cmocka_unit_test(test_letters_have_their_script),
	    cmocka_unit_test(test_capitals_have_their_small_letters),
	    cmocka_unit_test(test_words_in_another_script_take_its_language),
	    cmocka_unit_test(test_a_phrase_takes_the_language_of_its_script),
	    cmocka_unit_test(test_small_words_are_the_languages_own),
	    cmocka_unit_test(test_a_mark_between_hebrew_letters_is_a_geresh),
	    cmocka_unit_test(test_cyrillic_takes_the_language_its_letters_show),
	};
	return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
