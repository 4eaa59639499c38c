/*
 * Languages and scripts: the syntax of BCP 47 language tags, the script
 * of a letter, and the language a word in one script is taken to be in.
 * Used by load (the briefing's "lang"), compose (short titles) and
 * typeset (hyphenation, titles cut short).
 */
#ifndef BRIEFING_LANG_H
#define BRIEFING_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest tag lang_check() accepts, without its NUL. */
#define LANG_TAG_MAX 63

/*
 * Checks that tag is a well-formed BCP 47 language tag (RFC 5646): a
 * language of 2 or 3 letters, then an optional script, region and
 * variants, extensions and private use.  On success writes the tag with
 * its subtags in their usual case ("pt-BR", "sr-Latn") to out (room for
 * LANG_TAG_MAX + 1 bytes) and returns NULL.  Otherwise returns what is
 * wrong, a phrase to follow the offending part (*bad, *nbad) in a
 * message: "is not a language (2 or 3 letters)".
 */
const char *lang_check(const char *tag, char *out, const char **bad,
                       size_t *nbad);

enum lang_script {
	SCRIPT_NONE,     /* not a letter: digits, punctuation, symbols,
	                  * and letters of scripts not listed here */
	SCRIPT_MARK,     /* a combining mark, of the letter before it */
	SCRIPT_LATIN,    /* left to right */
	SCRIPT_GREEK,    /* left to right */
	SCRIPT_CYRILLIC, /* left to right */
	SCRIPT_ARMENIAN, /* left to right, not hyphenated (Debian has no
	                  * patterns) */
	SCRIPT_GEORGIAN, /* the same */
	SCRIPT_ARABIC,   /* right to left, as all that follow */
	SCRIPT_HEBREW,
	SCRIPT_RTL, /* other right-to-left scripts: Syriac, Thaana,
	             * N'Ko, Samaritan, Mandaic, Adlam ... */
	SCRIPT__MAX
};

/* The script of code point cp. */
enum lang_script lang_script(uint32_t cp);
/* Whether text in script s runs right to left. */
bool lang_script_is_rtl(enum lang_script s);
/* The lower-case form of a Latin, Greek or Cyrillic letter; cp itself
 * for anything else. */
uint32_t lang_lower(uint32_t cp);
/* The script a well-formed tag's language is written in: its script
 * subtag, else the usual one ("ru" Cyrillic, "el" Greek, "ar" Arabic);
 * SCRIPT_NONE for one written in none of those (Chinese, Hindi). */
enum lang_script lang_tag_script(const char *tag);
/*
 * The language of a word written in script s in a document in doc_lang:
 * doc_lang itself when that is written in s, else the usual language of
 * s (Latin "en", Cyrillic "ru", Greek "el").  NULL for words never
 * hyphenated: right-to-left scripts, and no script at all.
 */
const char *lang_of_script(enum lang_script s, const char *doc_lang);
/*
 * The language of a phrase s[0..len) (a title, a heading) in a document
 * or source in language tag: tag when the phrase's first letter is in
 * tag's script or it has no letter, else the usual language of that
 * letter's script ("el" for Greek, "ar" for Arabic, "he" for Hebrew).
 * NULL for a script this table does not know.
 */
const char *lang_of_text(const char *s, size_t len, const char *tag);
/*
 * Whether w[0..n) is a small word of language tag (its primary subtag):
 * an article, preposition, conjunction or possessive that a title cut
 * short must not end on ("the call of…").  The lists are in lower case;
 * a word with capitals is one only when capital is true (a title in
 * headline style, "Talks With"), for a capital otherwise makes a name
 * ("Party A", "The Hague").  Hebrew points and Arabic vowels are not
 * compared ("שֶׁל" is "של").  They cover English, French,
 * German, Russian, Ukrainian, Greek, Arabic and Hebrew; false for any
 * other language.
 */
bool lang_small_word(const char *tag, const char *w, size_t n, bool capital);
/* Whether w[0..n), in any case, is an English word Chicago sets in lower
 * case inside a headline-style title (8.159): an article, preposition,
 * coordinating conjunction, "to" or "as". */
bool lang_minor_word(const char *w, size_t n);

/* The language of Cyrillic text s[0..len) by the letters only some of
 * its languages have: "uk" (і ї є ґ, and no ы э), "be" (ў), "ru" (ы э ё,
 * and no і); NULL when it has none of them. */
const char *lang_cyrillic(const char *s, size_t len);

/* Whether s[at..at+k), a quotation mark as typed or as smart punctuation
 * made it (" ' “ ” ‘ ’), is a gershayim or geresh, not a quotation mark:
 * a double one between two Hebrew letters, the second the word's last
 * (צה"ל, ארה"ב; ב"הארץ" quotes after a prefix), a single one after a
 * Hebrew letter (ג'ורג'). */
bool lang_geresh(const char *s, size_t len, size_t at, size_t k);

/* Whether s[at..at+k), a quotation mark, comes after one or two Hebrew
 * prefix letters (ב ה ו כ ל מ ש) that start a word, and before a Hebrew
 * letter: it opens a quotation (ב"הארץ", "in Haaretz"; וב"הארץ"), if it
 * is no gershayim. */
bool lang_after_prefix(const char *s, size_t len, size_t at, size_t k);

#endif
