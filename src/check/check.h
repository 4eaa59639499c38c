/*
 * Check stage: schema values, cross-references and sourcing rules over a
 * loaded model.  Used by main.c only.
 */
#ifndef BRIEFING_CHECK_H
#define BRIEFING_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../base/diag.h"

struct job;
struct model;

/*
 * Validates the model and resolves its references (party and source ids)
 * in place.  Reports every problem in one run; returns false if any was
 * an error.
 */
bool check_model(struct job *, struct model *);

struct quote_counts {
	size_t verified;   /* found in the source's archived copy */
	size_t unverified; /* the source has no archived copy at hand */
	size_t failed;     /* not found: reported as errors */
};

/* A locator corrected: the fact file's text old, at at, becomes new. */
struct check_fix {
	struct loc at;
	const char *old, *new;
};

struct check_fixes {
	struct check_fix *v; /* malloc */
	size_t n, cap;
};

/*
 * Verifies every quote against the archived copy of each source it is
 * attributed to ("archive:", relative to job->archive_dir or else to the
 * fact file).  Run after check_model, which resolves the sources.  Where
 * a quote is found, its citation's paragraph locator is checked against
 * the paragraphs it is in (a warning, and a fix in fixes unless NULL,
 * when it leaves them out), and a citation without a locator gets one.
 * Returns false if a quote was not found or an archive could not be read.
 */
bool check_quotes(struct job *, struct model *, struct quote_counts *,
                  struct check_fixes *);

/*
 * Prints to out a unified diff that makes the fixes in the fact file at
 * path, for the analyst to apply ("patch -p0 < FILE"); the file itself
 * is not touched.  Returns false, with an error, if it cannot be read.
 */
bool check_fix_diff(struct job *, const char *path, const struct check_fixes *,
                    FILE *out);

struct source;
/* True if s is a calendar date YYYY-MM-DD. */
bool check_is_date(const char *s);
/* True if s is an ISO 8601 date-time with seconds optional and a zone
 * ("2025-03-19T18:00:00Z", "2025-03-19T18:00+02:00"). */
bool check_is_datetime(const char *s);

#endif
