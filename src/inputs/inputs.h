/*
 * The inputs of a build: every file the PDF depends on.  Used by main.c
 * for "build --if-changed" (a digest recorded in the PDF) and for "-M"
 * (a make-style dependency file).
 */
#ifndef BRIEFING_INPUTS_H
#define BRIEFING_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

struct job;
struct model;
struct tmpl;

struct inputs {
	const char **paths; /* in a fixed order, without repeats */
	size_t n, cap;
};

/* The fact file, its Markdown, archives at hand, template and fonts. */
void inputs_collect(struct job *, const struct model *, const struct tmpl *,
                    struct inputs *);
/* Adds one more input (the recipients, the --since state file) unless it
 * is there already. */
void inputs_add(struct job *, struct inputs *, const char *path);
/* The digest's length in hexadecimal digits. */
#define INPUTS_DIGEST_LEN 32
/*
 * A 128-bit hash (XXH3) over the contents of every input, their names
 * and extra (the tool's version and the options that change the
 * output), in hexadecimal.  Returns false after reporting when a file
 * cannot be read.
 */
bool inputs_digest(struct job *, const struct inputs *, const char *extra,
                   char out[INPUTS_DIGEST_LEN + 1]);
/* The digest recorded in an existing PDF, or false if there is none. */
bool inputs_recorded(const char *pdf, char out[INPUTS_DIGEST_LEN + 1]);
/* Stages "TARGET: INPUTS..." plus an empty rule per input in txn. */
struct fileio_txn;
bool inputs_write_depfile(struct job *, struct fileio_txn *,
                          const char *depfile, const char *target,
                          const struct inputs *);

#endif
