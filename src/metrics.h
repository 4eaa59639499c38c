/*
 * Font metrics interface: the only way the typesetter learns about fonts.
 * emit/font.c implements it with HarfBuzz; tests pass a fake.
 *
 * Text is measured a word at a time: a word is text with no U+0020 in
 * it, shaped as one unit (kerning, ligatures, marks, joining), in its
 * face's fonts tried character by character.  The emitter draws every
 * word of a text run shaped the same way, so what is measured is what
 * is drawn.
 */
#ifndef BRIEFING_METRICS_H
#define BRIEFING_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tmpl.h"

struct metrics {
	void *ctx;
	/*
	 * Width of the word s[0..len), valid UTF-8, shaped left to right or,
	 * with rtl, right to left [1/1000 em].  *missing is set when some
	 * character of it is in none of the face's fonts (it prints as a
	 * box).  When pen is not NULL, a left-to-right word's pen[i] is
	 * where its part from byte i would start (0 <= i <= len): the
	 * advances of the glyphs for the characters before i, a ligature
	 * counted with the part its first character is in.
	 */
	int32_t (*word)(void *ctx, enum face face, const char *s, size_t len,
	                bool rtl, bool *missing, int32_t *pen);
	/* Whether one of the face's fonts has a glyph for code point cp. */
	bool (*covers)(void *ctx, enum face face, uint32_t cp);
	int32_t ascent[FACE__MAX];  /* above the baseline [1/1000 em] */
	int32_t descent[FACE__MAX]; /* below the baseline, negative */
	/* The face's own font has superscript figures for note numbers. */
	bool superscripts[FACE__MAX];
};

#endif
