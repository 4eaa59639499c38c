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
 * hyphen_baked_dict() lays it out as a HyphenDict, once, in arrays of
 * the program's (.bss) that cost nothing before.
 */
#ifndef BRIEFING_HYPHEN_BAKED_H
#define BRIEFING_HYPHEN_BAKED_H

#include <hyphen.h>
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
	const char *sha256; /* 64 hex digits of the file's bytes; ""
	                     * when the build had no patterns */
	size_t len;         /* its length in bytes */
	int nlevels;        /* 0 when sha256 is "" */
	const struct hb_level *levels;
	const struct hb_state *states;
	HyphenTrans *trans; /* as libhyphen has them, used in place */
	char *pool;         /* the strings, each with its NUL */
	HyphenDict *dict;   /* nlevels of them, filled in once ... */
	HyphenState *state; /* ... with one per state */
};

extern const struct hyphen_baked hyphen_baked;

/* The baked dictionary, laid out on first use; NULL when the build had
 * no patterns.  Never freed, never written after. */
HyphenDict *hyphen_baked_dict(void);

#endif
