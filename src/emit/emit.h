/*
 * Emit stage: positioned pages to PDF bytes with libharu, written
 * atomically.  Also loads the template's fonts and measures them for the
 * typesetter.  Used by main.c (and by tests and benchmarks) only; the only
 * stage that includes hpdf.h.
 */
#ifndef BRIEFING_EMIT_H
#define BRIEFING_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "../metrics.h"

struct job;
struct pages;
struct tmpl;

/* Owns the libharu document and the loaded fonts; opaque outside emit. */
struct fontset;

/*
 * Loads the template's five TrueType faces (tmpl->fonts[FACE_...][0],
 * already resolved paths) into a new libharu document and stores it in
 * *out; a face's fallback fonts are read when a character first needs
 * one, so tmpl must outlive the fontset.  A missing, unreadable or
 * non-TrueType (e.g. CFF .otf) font is reported at its entry in
 * tmpl->font_locs; every face is tried, then false is returned and *out
 * is NULL.  Fonts may name the same file.
 */
bool emit_fonts_open(struct job *, const struct tmpl *, struct fontset **out);

/*
 * A fontset for another document of the same run (a recipient's copy)
 * from fonts already read and checked: base's fallbacks not read yet are
 * read now, then nothing is read again.  base must outlive it.
 */
bool emit_fonts_copy(struct job *, struct fontset *base, struct fontset **out);
/*
 * The briefing's language (a BCP 47 tag, or NULL for English), for
 * shaping: words in its script are shaped as that language, others as
 * their script's usual one.  Set before anything is measured.
 */
void emit_fonts_lang(struct fontset *, const char *lang);
/*
 * The metrics interface (metrics.h) backed by the loaded fonts; ctx points
 * into the fontset, so the result is valid until emit_fonts_close().
 */
struct metrics emit_fonts_metrics(struct fontset *);

/*
 * Draws the pages into the fontset's document, adds links, bookmarks and
 * document information, fixes what libharu gets wrong and saves to memory:
 * *data (malloc, the caller frees) holds *len bytes.  The same pages give
 * the same bytes.  Call at most once per fontset.  With pages->drop_ops
 * each page's operations are freed once it is drawn, for less memory.
 * Returns false after reporting through job->diag; *data is NULL then.
 */
bool emit_pdf_bytes(struct job *, struct fontset *, struct pages *,
                    unsigned char **data, size_t *len);

/*
 * As emit_pdf_bytes(), then stages the bytes for path in txn (written to
 * a temporary file beside it; fileio_commit() puts it in place), or
 * writes them to standard output when path is "-".  Returns false after
 * reporting; nothing is written at path then.
 */
struct fileio_txn;
bool emit_pdf(struct job *, struct fontset *, struct pages *,
              struct fileio_txn *, const char *path);
/* Frees the libharu document and everything the fontset owns; NULL is fine. */
void emit_fonts_close(struct fontset *);

#endif
