/*
 * The hyphenation patterns as libhyphen parsed them when the program was
 * built: src/typeset/hyphen_gen.c writes them to $(BUILD)/gen/
 * hyphen_en_us.c.  For hyphen.c, that generated file and the unit tests
 * only.
 *
 * The data holds indexes where libhyphen's structures hold pointers:
 * some 31,000 pointers would have the loader relocate them, copying 800
 * KB, on every run, hyphenating or not (about 1 ms of CPU).  Without
 * pointers the data stays in the executable's file until read, and
 * hyphen_baked_layout() lays it out as a HyphenDict when a run first
 * hyphenates.
 */
#ifndef BRIEFING_HYPHEN_BAKED_H
#define BRIEFING_HYPHEN_BAKED_H

#include <hyphen.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A HyphenState, -1 standing for NULL. */
struct hb_state {
	int32_t match; /* offset in pool */
	int32_t repl;  /* offset in pool */
	int32_t trans; /* index of the first in trans */
	int32_t fallback_state;
	int32_t num_trans;
	signed char replindex;
	signed char replcut;
};

/* A HyphenDict; the levels follow one another through nextlevel. */
struct hb_level {
	char lhmin, rhmin, clhmin, crhmin;
	int32_t nohyphen; /* offset in pool, -1 for NULL */
	int nohyphenl;
	int num_states;
	char cset[MAX_NAME];
	int utf8;
	int32_t states; /* index of the level's first state */
};

struct hyphen_baked {
	const char *digest; /* 32 hex digits of the XXH3-128 of the
	                     * file's bytes; "" when the build had no
	                     * patterns */
	size_t len;         /* its length in bytes */
	int nlevels;        /* 0 when digest is "" */
	size_t nstates;     /* of all levels */
	const struct hb_level *levels;
	const struct hb_state *states;
	HyphenTrans *trans; /* as libhyphen has them, used in place (never
	                     * written: libhyphen's types are not const) */
	char *pool;         /* the strings, each with its NUL */
};

extern const struct hyphen_baked hyphen_baked;

/*
 * The baked dictionary laid out as libhyphen's structures: its levels in
 * *dict (each level's nextlevel the one after it) and their states in
 * *states, both calloc'd for the caller to free; they point into
 * hyphen_baked.  False when the build had no patterns.
 */
bool hyphen_baked_layout(HyphenDict **dict, HyphenState **states);

#endif
