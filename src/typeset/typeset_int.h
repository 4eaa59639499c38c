/*
 * Shared inside src/typeset/ only: lines, the vertical list the paginator
 * consumes, and the typesetter's state.
 */
#ifndef BRIEFING_TYPESET_INT_H
#define BRIEFING_TYPESET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../doc.h"
#include "../job.h"
#include "../metrics.h"
#include "../page.h"
#include "../tmpl.h"
#include "linebreak.h"

struct hyphenator;

/* A drawn element relative to the top-left of its vbox, y downwards. */
struct vitem {
	struct page_op op; /* x, y relative; text y is the baseline */
	uint32_t note;     /* a footnote marker: link to this note */
};

enum vbox_kind {
	VBOX_CONTENT,
	VBOX_GAP, /* vertical space, dropped at the top of a page */
	VBOX__MAX
};

/* One unit the paginator places whole: a line, a table row, a box. */
struct vbox {
	enum vbox_kind kind;
	int32_t height;          /* [mpt] */
	struct vitem *items;
	uint32_t nitems, capitems;
	uint32_t *notes;         /* footnotes its markers cite, in order */
	uint32_t nnotes, capnotes;
	const struct vbox *repeat; /* table header to repeat on a new page */
	bool keep_with_next;     /* never the last thing on a page */
	const char *outline;     /* bookmark title at this vbox, or NULL */
	int outline_level;
	const char *section;     /* running-header title from here on */
	struct loc loc;
};

/* A footnote typeset once at the text width. */
struct noteblock {
	struct vbox box;  /* its lines; height includes the gap below */
};

struct typesetter {
	struct job *job;
	const struct doc *doc;
	const struct tmpl *t;
	const struct metrics *m;
	struct arena scratch;      /* reset after every paragraph */
	struct hyphenator *hyph;   /* NULL when no patterns are available */
	int32_t text_width;        /* [mpt] */
	int32_t text_height;
	struct vbox **vlist;       /* the document's vertical list */
	size_t nvlist, capvlist;
	struct noteblock *notes;   /* by note number - 1 */
	const char *section;       /* current section title while building */
	uint8_t *warned;           /* per face: code points reported missing
	                            * (bitset over the BMP) */
	bool ok;
};

/* Width of UTF-8 text in face at size [mpt]; reports missing glyphs. */
int32_t ts_text_width(struct typesetter *, enum face, int32_t size,
                      const char *s, size_t len, struct loc);
/* The face for a run's flags in a style. */
enum face ts_face(enum face base, unsigned flags);

/* Destination for lines: the vertical list, or a group being built. */
struct sink {
	struct typesetter *ts;
	struct vbox *group; /* NULL: each line becomes its own vbox */
	int32_t y;          /* group mode: current top offset [mpt] */
};

/* Appends a new vbox to the vertical list. */
struct vbox *ts_vbox(struct typesetter *, enum vbox_kind, int32_t height);
struct vitem *vbox_add(struct arena *, struct vbox *);
void vbox_add_note(struct arena *, struct vbox *, uint32_t note);
/*
 * Sets the runs of a leaf block as lines of the given width at x; each
 * line goes to the sink.  first_prefix is drawn hanging left of the first
 * line (list bullets, note numbers) when not NULL.
 */
void para_set(struct sink *, const struct doc_run *runs, size_t nruns,
              const struct style *, int32_t x, int32_t width,
              const char *prefix, struct loc);
void sink_gap(struct sink *, int32_t height);
/* Lays out the block tree below root into the vertical list. */
void layout_doc(struct typesetter *);
/* Splits the vertical list into pages with notes and furniture. */
void paginate(struct typesetter *, struct pages *);

/* Hyphenation (hyphen.c). */
struct hyphenator *hyphen_open(const char *path);
void hyphen_close(struct hyphenator *);
/*
 * Marks in points[0..len) the bytes of word after which a hyphen may go
 * (points[i] = 1).  Only plain ASCII words of six letters or more are
 * hyphenated; returns the number of points.
 */
int hyphen_points(struct hyphenator *, const char *word, size_t len,
                  uint8_t *points);

#endif
