/*
 * Editions: the facts of a briefing reduced to keys and fingerprints
 * (changes.h), a state file that records them beside the PDF, and the
 * changes between the previous edition and this one.  Used by run.c
 * only.
 */
#ifndef BRIEFING_EDITION_H
#define BRIEFING_EDITION_H

#include <stdbool.h>
#include <stddef.h>

#include "../changes.h"

struct job;
struct model;

/* The facts of a checked model. */
void edition_facts(struct job *, const struct model *, struct facts *);
/*
 * Stages the state file (format in README) in txn: the facts of this
 * edition and, when there is one, of the edition its changes are
 * measured against.
 */
struct fileio_txn;
bool edition_write(struct job *, struct fileio_txn *, const struct facts *now,
                   const struct facts *base, const struct facts *old,
                   size_t nold, const char *path);
/*
 * Reads a state file into the facts it records (cur) and their base
 * (prev, n == 0 and edition NULL when none).  A missing file is not an
 * error when optional; returns false after reporting.
 */
bool edition_read(struct job *, const char *path, bool optional,
                  struct facts *cur, struct facts *prev, struct facts *old,
                  size_t *nold, bool *found);
/* Compares two edition numbers (whole numbers from 1, as strings):
 * negative, zero or positive as a is lower, equal or higher. */
int edition_cmp(const char *a, const char *b);
/* The changes from then to now, in now's order, removals last. */
void edition_diff(struct job *, const struct facts *then,
                  const struct facts *now, struct changes *);

#endif
