/*
 * Compose stage: fact model + Markdown commentary to the document tree.
 * Used by main.c only.  The only stage that includes cmark-gfm.h.
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

/*
 * The commentary and summary of m composed and thrown away: every
 * citation in them checked against the sources that loaded.  For a run
 * that stops at errors in the fact file, so that one run reports the
 * commentary's too.  Returns false if any was an error.
 */
bool compose_commentary(struct job *, const struct model *,
                        const struct tmpl *);

/*
 * The image files the Markdown of model names, each once, in the order
 * named (for the inputs of a build: -M, --if-changed, watch), in
 * job->arena; *n is how many.  Nothing is reported: compose does that.
 */
const char **compose_images(struct job *, const struct model *, size_t *n);

/*
 * One item of a citation group, as Pandoc writes them: "@id",
 * "@id, locator", "see @id, p. 3" or "-@id".
 */
struct cite_item {
	const char *key; /* start of the id, inside the scanned text */
	size_t keylen;
	const char *locator; /* after the comma (or the space), trimmed; NULL
	                      * if none */
	size_t loclen;
	const char *prefix; /* the words before "@", trimmed; NULL if none */
	size_t prelen;
	bool suppress_author; /* "-@id": the text names the author */
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
 * Finds the first citation group "[@a]", "[@a; @b]", "[@a, para. 3]",
 * "[see @a, p. 3; also @b]" or "[-@a]" at or after byte 'from' of text.
 * Returns true and fills g when one is found.  Brackets in which an item
 * has no "@id" at the start of a word are ordinary text.
 */
bool compose_find_cite(const char *text, size_t len, size_t from,
                       struct cite_group *g);

/*
 * Finds the first "@id" at or after byte 'from' of text that starts a word
 * (not inside an e-mail address): true with the id's place in *key and
 * *keylen, and where "@" is in *at.  Pandoc reads it as a citation in the
 * text; for compose it is text, and one naming a source is reported.
 */
bool compose_find_bare_cite(const char *text, size_t len, size_t from,
                            size_t *at, const char **key, size_t *keylen);

#endif
