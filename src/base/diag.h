/*
 * Diagnostic sink.  Every stage reports bad input here as
 * FILE:LINE:COL: error: MESSAGE (or warning:), the form compilers use.
 * Messages are collected and printed sorted by location by diag_flush(),
 * so one run lists every problem in file order.
 */
#ifndef BRIEFING_DIAG_H
#define BRIEFING_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A place in an input file; line and col are 1-based, col counts characters. */
struct loc {
	const char *file; /* NULL when the place is not in a file */
	uint32_t line;    /* 0 when only the file is known */
	uint32_t col;
};

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,  /* the input is wrong: exit 1 */
	DIAG_SYSTEM, /* I/O or system failure: exit 3 */
	DIAG__MAX
};

struct diag_msg {
	struct loc loc;
	enum diag_level level;
	char *text;
	size_t seq; /* order of arrival, keeps the sort stable */
};

/* The errors and warnings printed as text in one run; the rest are
 * counted in a last line.  JSON has them all. */
#define DIAG_SHOWN_MAX 100

struct diag {
	FILE *out;             /* where diag_flush() prints */
	struct diag_msg *msgs; /* pending messages (malloc) */
	size_t n, cap;
	size_t seq;
	size_t count[DIAG__MAX]; /* messages seen per level, flushed or not */
	const char **files;      /* file order for sorting (malloc) */
	size_t nfiles;
	bool json;     /* print one JSON array instead of lines */
	bool quiet;    /* print errors only, with their notes */
	size_t njson;  /* JSON objects printed so far */
	size_t nshown; /* errors and warnings printed as text so far */
};

/*
 * The edit distance between a and b, for "did you mean" suggestions, two
 * swapped letters counting as one edit; 99 when it is over 2, or for
 * strings over 40 bytes.
 */
size_t diag_distance(const char *a, const char *b);
void diag_init(struct diag *, FILE *out);
/*
 * The place of byte offset off in text (NUL-terminated, or at least one
 * byte past off): line, ended by LF, CR or CRLF, and column in characters.
 */
struct loc diag_offset_loc(const char *file, const char *text, size_t off);
void diag_report(struct diag *, enum diag_level, struct loc, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
void diag_error(struct diag *, struct loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *, struct loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(struct diag *, struct loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A system failure: "briefing: PATH: strerror" style, level DIAG_SYSTEM. */
void diag_system(struct diag *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * A copy of s (mem_alloc) that shows every character: control characters
 * as \x1b, \t, \n, \r, C1 controls and invisible characters as \u0085,
 * \u200b, bytes that are not UTF-8 as \xff.  Messages and file names
 * are printed so.
 */
char *diag_escape(const char *s);
/* Prints pending messages sorted by file, line and column, then drops them. */
void diag_flush(struct diag *);
/* In JSON mode, closes the array (prints "[]" when nothing was said). */
void diag_finish(struct diag *);
bool diag_has_errors(const struct diag *);
void diag_free(struct diag *);

#endif
