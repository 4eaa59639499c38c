/*
 * Typeset stage: the document tree to positioned pages, using font
 * metrics only through metrics.h.  Used by main.c only.  The only stage
 * that includes hyphen.h.
 */
#ifndef BRIEFING_TYPESET_H
#define BRIEFING_TYPESET_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct job;
struct doc;
struct tmpl;
struct metrics;
struct pages;

/*
 * Breaks paragraphs into lines, lines into pages with each footnote at the
 * foot of the page that cites it, and adds the running header, footer and
 * banner; an annex starts a page of its own, numbered, ...  For
 * each copy the document lists, pages->marks says what marks it.  Pages
 * and everything on them live in job->arena.  Reports characters the
 * fonts lack and words wider than their column as warnings; returns
 * false only after reporting an error.
 */
bool typeset_doc(struct job *, const struct doc *, const struct tmpl *,
                 const struct metrics *, struct pages *);

/*
 * What check says of the fonts without setting the document: each
 * character of its text that none of the fonts of the face it is set in
 * has, reported as typeset_doc() reports it (the same warning, at the
 * same place).  Page furniture (running header and footer, banner, copy
 * marks) is not looked at.  Returns false only after reporting an error.
 */
bool typeset_check_glyphs(struct job *, const struct doc *, const struct tmpl *,
                          const struct metrics *);

/* Frees the operations typeset_doc() made for each page (the pages stay,
 * empty); call it once the pages are written.  Safe to call twice. */
void typeset_pages_free(struct pages *);

/*
 * Copy k (0-based) of the numbered copies of master (master->marks[k]):
 * the master's pages without its annex, each page's operations copied
 * (the array is new, in arena; the strings and URIs are shared) with the
 * watermark after the grounds (filled rectangles) and before all text
 * and rules, so the text prints over it, and the footer line last;
 * bookmarks of the annex left out; out->copy set.
 */
void typeset_copy(struct arena *, const struct pages *master, size_t k,
                  struct pages *out);

#endif
