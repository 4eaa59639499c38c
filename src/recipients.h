/*
 * Distribution copies: the recipients of numbered copies of one briefing
 * ("build --copies RECIPIENTS.yaml").  Made by load from the recipients
 * file; run.c names each copy's file, compose makes the distribution
 * list and the copy marks' text from it.
 */
#ifndef BRIEFING_RECIPIENTS_H
#define BRIEFING_RECIPIENTS_H

#include <stddef.h>

#include "model.h"

struct arena;

/*
 * The recipients file, one YAML mapping:
 *
 *   recipients:
 *     - name: Foreign Affairs Committee  # required, printed on the copy
 *       organisation: Parliament         # optional, in the distribution list
 *       file: committee                  # optional file-name stem, [a-z0-9-]+
 *
 * Copy k of n is written beside the master as STEM-copy-KK-FILE.pdf.
 */

/* Longest file-name stem a recipient may give [bytes]. */
#define RECIPIENTS_MAX_STEM 64

/* One recipient; copy k (0-based) goes to recipients.items[k]. */
struct recipient {
	struct loc loc;          /* of the mapping */
	struct str name;         /* printed; one line, never NULL after load */
	struct str organisation; /* printed in the distribution list, or NULL */
	struct str file;         /* file-name stem, [a-z0-9-]+: as given, or
	                          * made from name (then present is false) */
	const char *path;        /* where the copy is written, or NULL when
	                          * the run writes no file (recipients_name()) */
};

struct recipients {
	const char *path;        /* the recipients file */
	struct recipient *items; /* in the file's order, n >= 1 after load */
	size_t n;
};

/*
 * Names the file of every recipient's copy, beside output:
 * "out/briefing.pdf" gives "out/briefing-copy-01-STEM.pdf" (two digits,
 * more when there are over 99 copies; the output's extension is kept,
 * ".pdf" added when it has none).  output NULL or "-" leaves the paths
 * NULL.  The paths are in a.
 */
void recipients_name(struct arena *a, struct recipients *, const char *output);

#endif
