/*
 * Compose stage: fact model + Markdown commentary to the document tree.
 * Used by main.c only.  The only stage that includes cmark.h.
 */
#ifndef BRIEFING_COMPOSE_H
#define BRIEFING_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

struct job;
struct model;
struct tmpl;
struct doc;
struct changes;
struct recipients;

/*
 * Builds the document: title block, the template's sections in order with
 * (when changes come from a previous edition) what changed since it,
 * generated tables and commentary, footnotes for every statement and
 * citation, and the source list; with recipients (NULL for none) the
 * distribution list as an annex and the text that marks each copy.
 * Reports unknown citations and Markdown the briefing cannot print;
 * returns false if any was an error.
 */
bool compose_doc(struct job *, const struct model *, const struct tmpl *,
                 const struct changes *, const struct recipients *,
                 struct doc *);

/* One item of a citation group: "@id" or "@id, locator". */
struct cite_item {
	const char *key; /* start of the id, inside the scanned text */
	size_t keylen;
	const char *locator; /* after the comma, trimmed; NULL if none */
	size_t loclen;
};

#define CITE_MAX_ITEMS 16

/* A bracketed citation group found in text. */
struct cite_group {
	size_t start, end; /* byte range of "[...]" in the text */
	struct cite_item items[CITE_MAX_ITEMS];
	int nitems; /* at most CITE_MAX_ITEMS */
	int nkeys;  /* every "@id" found, nitems or more */
};

/*
 * Finds the first citation group "[@a]", "[@a; @b]" or "[@a, para. 3]" at
 * or after byte 'from' of text.  Returns true and fills g when one is
 * found.  Brackets that do not start with "@" are ordinary text.
 */
bool compose_find_cite(const char *text, size_t len, size_t from,
                       struct cite_group *g);

#endif
