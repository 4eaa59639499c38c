/*
 * Distribution copies: the recipients of numbered copies of one briefing
 * ("build --copies RECIPIENTS.yaml").  Made by load from the recipients
 * file, read by typeset (copy marks, distribution list) and main.c.
 */
#ifndef BRIEFING_COPIES_H
#define BRIEFING_COPIES_H

#include <stddef.h>

#include "model.h"

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
#define COPIES_MAX_STEM 64

/* One recipient; copy k (0-based) goes to recipients.items[k]. */
struct recipient {
	struct loc loc;          /* of the mapping */
	struct str name;         /* printed; one line, never NULL after load */
	struct str organisation; /* printed in the distribution list, or NULL */
	struct str file;         /* file-name stem, [a-z0-9-]+: as given, or
	                          * made from name (then present is false) */
};

struct recipients {
	const char *path;        /* the recipients file */
	struct recipient *items; /* in the file's order, n >= 1 after load */
	size_t n;
};

#endif
