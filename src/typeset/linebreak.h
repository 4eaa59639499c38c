/*
 * Total-fit line breaking over boxes, glue and penalties (Knuth and Plass,
 * "Breaking Paragraphs into Lines", 1981).  Pure: items and a line width
 * in, break positions out; memory from a scratch arena.  Used by para.c
 * and the unit tests.
 */
#ifndef BRIEFING_LINEBREAK_H
#define BRIEFING_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

enum lb_type { LB_BOX, LB_GLUE, LB_PENALTY, LB__MAX };

/* Penalties at or above LB_INF forbid a break; at or below -LB_INF force one.
 */
#define LB_INF 10000

struct lb_item {
	enum lb_type type;
	bool flagged;  /* penalty: a hyphen break */
	int32_t width; /* [mpt]; for a penalty, added when the break is taken */
	int32_t stretch; /* glue [mpt] */
	int32_t shrink;  /* glue [mpt] */
	int32_t penalty; /* penalty */
};

struct lb_params {
	int32_t width;         /* line width [mpt] */
	int32_t first_width;   /* the first line's, if not 0 (a hanging
	                        * indent) [mpt] */
	int32_t tolerance;     /* largest badness accepted (TeX: 200) */
	int32_t line_penalty;  /* added to every line's badness (TeX: 10) */
	int32_t double_hyphen; /* demerits for two hyphenated lines in a row */
	int32_t final_hyphen;  /* demerits for a hyphen on the second-to-last
	                        * line */
	int32_t fitness_demerits; /* demerits for lines of very different
	                             looseness */
};

/* TeX's badness of stretching or shrinking by t when s is available. */
int32_t linebreak_badness(int64_t t, int64_t s);

/*
 * One total-fit pass within p->tolerance.  Returns the number of lines and
 * sets *breaks, or returns 0 when no breaks within the tolerance exist.
 */
size_t linebreak_pass(struct arena *scratch, const struct lb_item *items,
                      size_t n, const struct lb_params *, size_t **breaks);

/*
 * Chooses breaks for items[0..n), which must end with a forced break.
 * Returns the number of lines and sets *breaks to an array (in scratch)
 * of item indices where each line ends.  Breaks are optimal over the whole
 * paragraph when a solution within the tolerance exists; otherwise a
 * first-fit fallback is used and *is_fallback set.  A box wider than the
 * line can make a line overfull; callers split such boxes beforehand.
 */
size_t linebreak(struct arena *scratch, const struct lb_item *items, size_t n,
                 const struct lb_params *, size_t **breaks, bool *is_fallback);

#endif
