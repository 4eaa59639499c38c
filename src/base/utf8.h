/*
 * UTF-8 decoding and validation.  Load validates every input once; later
 * stages decode with utf8_next() and may assume valid input.
 */
#ifndef BRIEFING_UTF8_H
#define BRIEFING_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point at s[0..len).  Returns the number of bytes used
 * (1..4), or 0 for an invalid or truncated sequence (overlong forms,
 * surrogates and values above U+10FFFF are invalid).
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Returns the byte offset of the first invalid sequence, or len if valid. */
/* The length of the character that ends s[0..at), *cp set to it; 0
 * when at is 0 or the bytes before it are not a character. */
size_t utf8_decode_before(const char *s, size_t at, uint32_t *cp);
size_t utf8_check(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_count(const char *s, size_t len);
/* Number of UTF-16 code units of a valid UTF-8 string: one per code
 * point, two above U+FFFF. */
size_t utf8_utf16_len(const char *s, size_t len);
/* Writes cp as UTF-8 into out (4 bytes room); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/*
 * The Unicode name of a character that shows nothing: zero-width spaces
 * and joiners, bidirectional controls, the line and paragraph separators,
 * the soft hyphen, the byte order
 * mark, variation selectors, tag characters.  NULL for any other.
 */
const char *utf8_invisible(uint32_t cp);
/*
 * The byte offset of the first invisible character (utf8_invisible()) in
 * s[0..len), with the character in *cp; len when there is none.
 */
size_t utf8_find_invisible(const char *s, size_t len, uint32_t *cp);

#endif
