/*
 * Typeset stage: the document tree to positioned pages, using font
 * metrics only through metrics.h.  Used by main.c only.  The only stage
 * that includes hyphen.h.
 */
#ifndef BRIEFING_TYPESET_H
#define BRIEFING_TYPESET_H

#include <stdbool.h>

struct job;
struct doc;
struct tmpl;
struct metrics;
struct pages;

/*
 * Breaks paragraphs into lines, lines into pages with each footnote at the
 * foot of the page that cites it, and adds the running header, footer and
 * banner.  Pages and everything on them live in job->arena.  Reports
 * characters the fonts lack and words wider than their column as
 * warnings; returns false only after reporting an error.
 */
bool typeset_doc(struct job *, const struct doc *, const struct tmpl *,
                 const struct metrics *, struct pages *);

#endif
