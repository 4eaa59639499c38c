/*
 * The document tree: blocks (sections, headings, paragraphs, lists, boxes,
 * tables) whose leaves hold styled inline runs, plus the footnotes.  Made
 * by compose, read by typeset.  Every node and run keeps its source place.
 */
#ifndef BRIEFING_DOC_H
#define BRIEFING_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
#include "image.h"
#include "tmpl.h"

struct arena;

enum doc_type {
	DOC_ROOT,
	DOC_SECTION, /* a top-level section: heading, bookmark, children */
	DOC_HEADING, /* runs; as.heading.level 2 inside a section */
	DOC_PARA,    /* runs in node->style, aligned by as.para.align */
	DOC_LIST,    /* DOC_ITEM children */
	DOC_ITEM,    /* block children */
	DOC_QUOTE,   /* block quotation: block children, indented */
	DOC_BOX,     /* framed, split only when taller than a page */
	DOC_TABLE,   /* DOC_ROW children; the first rows may be headers */
	DOC_ROW,     /* DOC_CELL children */
	DOC_CELL,    /* DOC_PARA children */
	DOC_FIGURE,  /* an image; runs: its caption, "Figure N." first */
	DOC__MAX
};

/* Run flags, one bit each. */
#define RUN_BOLD    0x01u /* bold face */
#define RUN_ITALIC  0x02u /* italic face */
#define RUN_NOTEREF 0x04u /* a footnote marker; text is the number */
#define RUN_CODE    0x08u /* code span: set in the sans face */
#define RUN_BREAK   0x10u /* a forced line break; text is empty */
#define RUN_NOHYPH  0x20u /* never hyphenate inside this run */
#define RUN_PAGEREF 0x40u /* "cited on pp. ..." for doc->refs[ref - 1] */
#define RUN_STRIKE  0x80u /* struck through (Markdown's ~~text~~) */
#define RUN_ISOLATE                                                            \
	0x100u /* a source's author, title or outlet in a note:                \
	        * its letters take their own direction, apart                  \
	        * from the text around them (a bidi isolate) */

struct doc_run {
	const char *text;  /* valid UTF-8, NUL-terminated */
	unsigned flags;    /* RUN_* */
	const char *uri;   /* link target, or NULL */
	uint32_t note;     /* RUN_NOTEREF: note number, 1-based */
	uint32_t ref;      /* RUN_PAGEREF: index into doc->refs, 1-based */
	int32_t goto_page; /* link to this page, 1-based; 0 for none */
	struct loc loc;    /* where the text came from */
};

/* The notes that cite one source, for its "cited on pp." list. */
struct doc_ref {
	uint32_t *notes; /* ascending note numbers */
	size_t n, cap;
	const char *one, *many; /* lead-ins ("Cited on p. "); NULL for those */
};

/* The most UTF-16 code units the PDF keeps of a bookmark or a document
 * information entry (title, keywords ...): libharu's string limit of
 * 65,535 bytes, less a byte order mark.  The emitter cuts what is longer;
 * compose and typeset say so at the text's place. */
#define DOC_MAX_PDF_TEXT 32766

/* The most columns a table has: compose sets more readouts or parties
 * than fit as several tables, so layout's per-column arrays are fixed. */
#define DOC_TABLE_MAX_COLS 8

struct doc_table {
	int ncols; /* 1 to DOC_TABLE_MAX_COLS; their widths come from the
	            * cells' text (typeset) */
	int nhead; /* leading rows repeated on every page */
};

/* A bar chart typeset draws: counts[g * nseries + s] for each group of
 * bars (a date, or the undated ones, set apart after the others) and each
 * series (a party), in order. */
struct doc_chart {
	const char **groups;
	size_t ngroups;
	const char **series;
	size_t nseries;
	const uint32_t *counts;
	bool last_apart; /* the last group is set apart (the undated) */
};

/* A figure's image index when it draws a chart. */
#define DOC_NO_IMAGE UINT32_MAX

struct doc_node {
	enum doc_type type;
	struct loc loc;
	struct doc_node *parent, *first, *last, *prev, *next;
	enum style_id style;  /* DOC_PARA, DOC_HEADING */
	struct doc_run *runs; /* leaf blocks: DOC_PARA, DOC_HEADING */
	size_t nruns, caprun;
	union {
		struct {
			enum section_id id;
			const char *title;
			bool annex; /* after the body: starts a page,
			             * its pages numbered, ...,
			             * not in the contents */
		} section;
		struct {
			int level;
		} heading;
		struct {
			int align; /* 0 the style's, else as style.align */
		} para;
		struct {
			bool ordered;
			int start;
		} list;
		struct doc_table table;
		struct {
			uint32_t image; /* index in doc->images, or
			                 * DOC_NO_IMAGE for a chart */
			const struct doc_chart *chart;
			const char *alt; /* what it shows, for screen readers */
			int width;       /* per cent of the column asked for;
			                  * 0: the image's own size */
			uint32_t num;    /* "Figure N" */
		} figure;
	} as;
};

struct doc_note {
	uint32_t num;         /* as printed, 1-based */
	struct doc_run *runs; /* the note text */
	size_t nruns, caprun;
	struct loc loc; /* the citation that made it */
};

/* Values the template's header, footer and banner may name. */
enum doc_var {
	VAR_TITLE,
	VAR_SUBTITLE,
	VAR_CLASSIFICATION,
	VAR_AS_OF,
	VAR_DATE,
	VAR_EDITION,
	VAR_PREPARED_BY,
	VAR_SHORT_TITLE, /* the short title, else the title */
	VAR__MAX
};

/* What marks one numbered copy: text for its footer and its watermark. */
struct doc_copy {
	const char *label;     /* "Copy 2 of 5 — Name": footer, /Copy */
	const char *watermark; /* "COPY 2 — NAME" */
	struct loc loc;        /* the recipient's name */
};

struct doc {
	struct doc_node *root;
	struct doc_note *notes; /* notes[i].num == i + 1 */
	size_t nnotes, capnotes;
	struct doc_ref *refs; /* per source, in source-list order */
	size_t nrefs;
	const char *vars[VAR__MAX];  /* never NULL after compose */
	const char *keywords;        /* comma-separated, for PDF metadata */
	const char *lang;            /* BCP 47 tag of the briefing's language
	                              * ("en" by default) */
	struct loc lang_loc;         /* where it is set; line 0 if not */
	const char **no_hyphenation; /* words never hyphenated */
	size_t nno_hyphenation;
	int64_t created;         /* as_of in seconds since the epoch */
	int tz_minutes;          /* as_of's zone offset */
	struct doc_copy *copies; /* numbered copies, in their order */
	size_t ncopies;
	struct image *images; /* the figures' images, each file once */
	size_t nimages;
	uint32_t logo; /* the template's logo: 1 + its index in images;
	                * 0 for none */
	uint32_t nfigures;
	/* Texts compose sets inside words of its own (a party's name in a
	 * heading, a month's in a date, the template's words), each with
	 * where it is written: a character no font has is reported there
	 * when the text it is set in does not show it. */
	struct doc_origin {
		const char *text;
		struct loc loc;
	} * origins;
	size_t norigins;
};

extern const char *const doc_var_names[VAR__MAX];

/* A new node of the given type, not yet linked. */
struct doc_node *doc_new(struct arena *, enum doc_type, struct loc);
/* Links child as parent's last child; asserts doc_can_contain(). */
void doc_append(struct doc_node *parent, struct doc_node *child);
/* The one rule for what may contain what. */
bool doc_can_contain(enum doc_type parent, enum doc_type child);
/* Appends a run to a leaf block or a note; text is copied by the caller. */
struct doc_run *doc_add_run(struct arena *, struct doc_node *, const char *text,
                            unsigned flags, struct loc);
struct doc_run *doc_note_add_run(struct arena *, struct doc_note *,
                                 const char *text, unsigned flags, struct loc);
/*
 * Copies every run array of d (its tree's and its notes') into a, each
 * exactly as long as its runs, for a doc whose arrays grew in an arena
 * of their own that can then be freed: growing arrays leave their
 * outgrown copies behind.
 */
void doc_settle_runs(struct doc *d, struct arena *a);
/* A new footnote numbered after the last. */
struct doc_note *doc_new_note(struct arena *, struct doc *, struct loc);
/* Walks the tree and asserts its invariants (debug builds and tests). */
void doc_check(const struct doc *);
/* Prints the tree as stable indented text (--dump=doc). */
void doc_dump(const struct doc *, FILE *);

#endif
