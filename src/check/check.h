/*
 * Check stage: schema values, cross-references and sourcing rules over a
 * loaded model.  Used by main.c only.
 */
#ifndef BRIEFING_CHECK_H
#define BRIEFING_CHECK_H

#include <stdbool.h>
#include <stddef.h>

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

/*
 * Verifies every quote against the archived copy of each source it is
 * attributed to ("archive:", relative to job->archive_dir or else to the
 * fact file).  Run after check_model, which resolves the sources.
 * Returns false if a quote was not found or an archive could not be read.
 */
bool check_quotes(struct job *, struct model *, struct quote_counts *);

struct source;
/* True if s is a calendar date YYYY-MM-DD. */
bool check_is_date(const char *s);
/* True if s is an ISO 8601 date-time with seconds optional and a zone
 * ("2025-03-19T18:00:00Z", "2025-03-19T18:00+02:00"). */
bool check_is_datetime(const char *s);

#endif
