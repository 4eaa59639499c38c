/*
 * Shared inside src/compose/ only.
 */
#ifndef BRIEFING_COMPOSE_INT_H
#define BRIEFING_COMPOSE_INT_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../doc.h"
#include "../job.h"
#include "../model.h"
#include "../tmpl.h"
#include "../changes.h"

/* A source's short reference in notes after its first: made once. */
struct short_ref {
	bool made;
	const char *who;   /* surname or outlet; NULL: none */
	const char *title; /* short title or description; NULL: none */
};

struct composer {
	struct job *job;
	const struct model *m;
	const struct tmpl *t;
	struct doc *doc;
	struct arena runs; /* the doc's run arrays while they grow: moved
	                    * to the job's arena, exactly sized, once the
	                    * doc is done (composer_finish()) */
	bool *source_seen; /* per source: already had a full note */
	uint32_t *source_first_note;  /* per source: number of its full note */
	struct short_ref *short_refs; /* per source: its short reference, made
	                               * at its first short note */
	struct doc_node *sources_sec; /* the source list's section */
	struct doc_node *changes_sec; /* "Changes since edition N" */
	const struct changes *changes;
	const struct stmt **noted; /* statements given notes ... */
	uint32_t *noted_num;       /* ... and their note numbers */
	size_t nnoted, capnoted;
};

/* "2025-03-18" as "18 March 2025"; other strings unchanged. */
const char *compose_date(struct composer *, const char *iso);
/*
 * The template's string id with its placeholder key filled by text, a
 * title or a quotation it puts in quotation marks: quotation marks inside
 * text that are the same as those around it are turned into the other
 * kind (Chicago 13.30: “‘Energy Truce’ Holds”, « “trêve” »), straight
 * ones too.
 */
/* s with its straight quotation marks and apostrophes curly, as the
 * commentary's smart punctuation sets them: “ ” ‘ ’, an apostrophe ’
 * (it's, '90s); an inch or foot mark after a figure, and a gershayim,
 * stay straight.  s itself when it has none. */
const char *compose_smart(struct arena *, const char *s);
/*
 * s[0..len) with its outermost double quotations in the template's marks
 * (its "quote" string: « » in French) in place of “ ”, into out; *depth
 * counts the quotations open, from one piece of a paragraph to the next.
 * False, writing nothing, when the template's marks are “ ” or s has none
 * to turn.
 */
bool compose_outer_marks(struct composer *, const char *s, size_t len,
                         int *depth, struct buf *out);
const char *compose_quoted(struct composer *, enum tmpl_str id, const char *key,
                           const char *text);
/* What names a source in a sentence: its outlet, else its author, title
 * or description. */
const char *compose_source_name(const struct source *);
/* Appends src's full or short reference to a note, with the locator
 * (NULL or its text NULL for none) read at its own place. */
void compose_note_source(struct composer *, struct doc_note *,
                         const struct source *, const struct str *locator,
                         const char *quote, struct loc);
/*
 * Appends the reference of a citation in commentary to a note: its prefix
 * ("see"), src's full or short reference, without the author for "-@id",
 * and its locator.
 */
void compose_note_cited(struct composer *, struct doc_note *,
                        const struct source *, const struct cite_item *,
                        struct loc);
/* Parts two references in a note ("; "), merged with a quotation's
 * full stop before it. */
void compose_note_sep(struct composer *, struct doc_note *, struct loc);
/* Closes a note with a full stop unless it already ends a sentence. */
void compose_note_end(struct composer *, struct doc_note *, struct loc);
/* A letter in capitals (Latin, Greek, Cyrillic); others unchanged. */
uint32_t compose_upper(uint32_t cp);
/* Appends the sources-list entry for s to out (Chicago's bibliography
 * form: "Perepechko, Iryna. “Title.” Outlet, date. URL. "). */
void compose_bib_entry(struct composer *, const struct source *,
                       struct doc_note *out, struct loc);
/* The order of the sources list: by surname, outlet, title or
 * description, then title (or description, or outlet), then date; <0, 0 or >0
 * as for qsort(). */
int compose_bib_order(const struct source *, const struct source *);
/* A new figure in parent, numbered after the last, showing image (or
 * DOC_NO_IMAGE), its caption begun with "Figure N. ". */
struct doc_node *compose_figure(struct composer *, struct doc_node *parent,
                                uint32_t image, const char *alt,
                                struct loc loc);
/* The index in doc->images of the image file at path, added (to be read
 * by load_images(), reporting at loc) unless it is there already. */
uint32_t compose_image(struct composer *, const char *path, struct loc loc);
/*
 * Parses a Markdown file into blocks appended to parent, turning citations
 * into footnote markers.  Returns false after reporting errors.
 */
bool compose_md(struct composer *, const struct markdown *,
                struct doc_node *parent);

#endif
