/*
 * Places of characters inside values read from input files (a YAML
 * scalar, the text of a Markdown paragraph), for diagnostics about one
 * character.  A value is known by the place it starts at; the place of a
 * character inside it is found by reading its file again and matching the
 * value against the file from there.  Nothing is read or counted until a
 * place is asked for.
 */
#ifndef BRIEFING_SRCPOS_H
#define BRIEFING_SRCPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct srcpos;

/* A new finder; free it with srcpos_free(). */
struct srcpos *srcpos_new(void);

/*
 * *out: the place of the character at byte off of text, a value whose first
 * character is at start in start.file (or whose opening quote, block
 * indicator "|" or ">", or code span backtick is).  Exact when the file
 * from there matches text up to and including that character, read as
 * YAML and Markdown change it: a line break, the indentation after it
 * and a block quote's ">" for a space or line feed; "\"" and "\\"
 * escapes, "''" in single quotes; cmark's curly quotes, dashes and
 * ellipsis from ' " -- --- and "...".  Anything else (other escapes,
 * entities, blank lines folded away, a line more indented than the
 * first, a file that cannot be read) gives start, and false.  Asking for
 * increasing offsets of one value costs its length once in all.
 */
bool srcpos_at(struct srcpos *, struct loc start, const char *text, size_t off,
               struct loc *out);

/* Frees the finder and the files it read; NULL is fine. */
void srcpos_free(struct srcpos *);

#endif
