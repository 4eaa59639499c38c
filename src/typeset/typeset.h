/*
 * Typeset stage: the document tree to positioned pages, using font
 * metrics only through metrics.h.  Used by main.c only.  The only stage
 * that includes hyphen.h.
 */
#ifndef BRIEFING_TYPESET_H
#define BRIEFING_TYPESET_H

#include <stdbool.h>
#include <stddef.h>

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

/* Frees the operations typeset_doc() made for each page (the pages stay,
 * empty); call it once the pages are written.  Safe to call twice. */
void typeset_pages_free(struct pages *);

struct recipients;

/*
 * Distribution copies (copies.c).  Copy k is 0-based: rs->items[k], printed
 * "Copy k+1 of rs->n".  All memory comes from job->arena; nothing fails.
 *
 * copies_mark() makes copy k of master in *out (overwritten): the master's
 * pages without its annex, each page's ops copied (the op array is new,
 * the strings and URIs are shared) with a light diagonal watermark
 * "COPY K — NAME" drawn after the grounds (box and table-head fills) and
 * before all text and rules, so the text prints over it, and "Copy K of
 * N — Name" centred in the footer (on the footer line if every recipient's
 * mark fits between the template's slots, else one footer leading below
 * it).  Metadata and bookmarks are the master's; out->copy is set.  Warns
 * at the recipient's name about characters the fonts lack.
 */
void copies_mark(struct job *, const struct pages *master, const struct tmpl *,
                 const struct metrics *, const struct recipients *rs, size_t k,
                 struct pages *out);

/*
 * The file copy k is written to, beside output: "out/briefing.pdf" gives
 * "out/briefing-copy-01-STEM.pdf" (two digits, more when rs->n > 99; the
 * output's extension is kept, ".pdf" added when it has none).  output
 * must be a path, not "-".  Returns an arena string.
 */
const char *copies_file_name(struct job *, const char *output,
                             const struct recipients *rs, size_t k);

/*
 * Appends to master the distribution list, an unnumbered annex: a table of
 * every copy's number, recipient, organisation and file name (the base
 * name of copies_file_name(output)), over as many pages as it needs, with
 * the master's banner, header and footer except that the slots naming the
 * page or section read "Distribution list".  The pages before keep their
 * "Page N of M"; master->nannex counts the annex pages (labelled A-1, ...
 * in the PDF) and a bookmark "Distribution list" is added.  Call once,
 * after the last copies_mark(), which leaves the annex out anyway.
 */
void copies_distribution_page(struct job *, struct pages *master,
                              const struct tmpl *, const struct metrics *,
                              const struct recipients *rs, const char *output);

#endif
