/*
 * UTF-8 decoding and validation (RFC 3629).
 */
#include "utf8.h"

size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	uint32_t c, min;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, c = s[0] & 0x1Fu, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, c = s[0] & 0x0Fu, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, c = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3Fu);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_check(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

size_t
utf8_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
utf8_utf16_len(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Characters that show nothing, by range; a range shares one name. */
static const struct invisible {
	uint32_t from, to; /* code points, inclusive */
	const char *name;
} invisibles[] = {
    {0x00AD, 0x00AD, "SOFT HYPHEN"},
    {0x034F, 0x034F, "COMBINING GRAPHEME JOINER"},
    {0x061C, 0x061C, "ARABIC LETTER MARK"},
    {0x115F, 0x1160, "HANGUL FILLER"},
    {0x17B4, 0x17B5, "KHMER VOWEL INHERENT"},
    {0x180B, 0x180D, "MONGOLIAN FREE VARIATION SELECTOR"},
    {0x180E, 0x180E, "MONGOLIAN VOWEL SEPARATOR"},
    {0x200B, 0x200B, "ZERO WIDTH SPACE"},
    {0x200C, 0x200C, "ZERO WIDTH NON-JOINER"},
    {0x200D, 0x200D, "ZERO WIDTH JOINER"},
    {0x200E, 0x200E, "LEFT-TO-RIGHT MARK"},
    {0x200F, 0x200F, "RIGHT-TO-LEFT MARK"},
    {0x202A, 0x202A, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202B, 0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, 0x202C, "POP DIRECTIONAL FORMATTING"},
    {0x202D, 0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, 0x202E, "RIGHT-TO-LEFT OVERRIDE"},
    {0x2028, 0x2028, "LINE SEPARATOR"},
    {0x2029, 0x2029, "PARAGRAPH SEPARATOR"},
    {0x2060, 0x2060, "WORD JOINER"},
    {0x2061, 0x2061, "FUNCTION APPLICATION"},
    {0x2062, 0x2062, "INVISIBLE TIMES"},
    {0x2063, 0x2063, "INVISIBLE SEPARATOR"},
    {0x2064, 0x2064, "INVISIBLE PLUS"},
    {0x2066, 0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, 0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, 0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, 0x2069, "POP DIRECTIONAL ISOLATE"},
    {0x206A, 0x206F, "DEPRECATED FORMAT CHARACTER"},
    {0x3164, 0x3164, "HANGUL FILLER"},
    {0xFE00, 0xFE0F, "VARIATION SELECTOR"},
    {0xFEFF, 0xFEFF, "ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)"},
    {0xFFA0, 0xFFA0, "HALFWIDTH HANGUL FILLER"},
    {0xE0001, 0xE007F, "TAG CHARACTER"},
    {0xE0100, 0xE01EF, "VARIATION SELECTOR"},
};

const char *
utf8_invisible(uint32_t cp)
{
	if (cp < 0xAD)
		return NULL;
	for (size_t i = 0; i < sizeof invisibles / sizeof invisibles[0]; i++)
		if (cp >= invisibles[i].from && cp <= invisibles[i].to)
			return invisibles[i].name;
	return NULL;
}

size_t
utf8_find_invisible(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_decode(s + i, len - i, cp);
		if (n == 0) {
			i++;
			continue;
		}
		if (utf8_invisible(*cp) != NULL)
			return i;
		i += n;
	}
	return len;
}

size_t
utf8_decode_before(const char *s, size_t at, uint32_t *cp)
{
	if (at == 0)
		return 0;
	size_t b = at - 1;
	while (b > 0 && at - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
		b--;
	return utf8_decode(s + b, at - b, cp) == at - b ? at - b : 0;
}
