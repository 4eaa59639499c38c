/*
 * Font metrics interface: the only way the typesetter learns about fonts.
 * emit/font.c implements it with libharu; tests pass a fake.
 */
#ifndef BRIEFING_METRICS_H
#define BRIEFING_METRICS_H

#include <stdint.h>

#include "tmpl.h"

struct metrics {
	void *ctx;
	/*
	 * Advance width of code point cp in face [1/1000 em], or -1 when the
	 * face has no glyph for it.
	 */
	int32_t (*advance)(void *ctx, enum face face, uint32_t cp);
	int32_t ascent[FACE__MAX];  /* above the baseline [1/1000 em] */
	int32_t descent[FACE__MAX]; /* below the baseline, negative */
};

#endif
