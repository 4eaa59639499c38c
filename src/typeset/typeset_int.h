/*
 * Shared inside src/typeset/ only: lines, the vertical list the paginator
 * consumes, and the typesetter's state.
 */
#ifndef BRIEFING_TYPESET_INT_H
#define BRIEFING_TYPESET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/lang.h"
#include "../doc.h"
#include "../job.h"
#include "../metrics.h"
#include "../page.h"
#include "../tmpl.h"
#include "linebreak.h"

struct hyphenator;

/* Where Debian's hyphen-en-us package puts the patterns.  The Makefile
 * reads this line to know which file to build into the program. */
#define HYPHEN_PATTERNS "/usr/share/hyphen/hyph_en_US.dic"
/* Where Debian's hyphen-* packages put the patterns of every language. */
#define HYPHEN_DIR "/usr/share/hyphen"
/* The longest word hyphenated [bytes]: 60 letters of up to 4 bytes. */
#define HYPHEN_MAX_BYTES 240
/* Room for the name of a patterns file's charset, with its NUL. */
#define HYPHEN_CHARSET_MAX 32
/* Languages a document's hyphenation may need at once: its own, and the
 * usual ones of the Latin, Greek and Cyrillic scripts. */
#define TS_HYPH_LANGS 4

/* A drawn element relative to the top-left of its vbox, y downwards. */
struct vitem {
	struct page_op op; /* x, y relative; text y is the baseline */
	uint32_t note;     /* a footnote marker: link to this note */
	int32_t goto_page; /* text linking to a page, 1-based */
};

enum vbox_kind {
	VBOX_CONTENT,
	VBOX_GAP, /* vertical space, dropped at the top of a page */
	VBOX__MAX
};

/* One unit the paginator places whole: a line, a table row, a box. */
struct vbox {
	enum vbox_kind kind;
	int32_t height; /* [mpt] */
	struct vitem *items;
	uint32_t nitems, capitems;
	uint32_t *notes; /* footnotes its markers cite, in order */
	uint32_t nnotes, capnotes;
	struct vbox *repeat;        /* table header to repeat on a new page */
	int32_t split_pad;          /* a table row or the summary box, split at
	                             * the foot of a page with this padding at
	                             * the cut; 0 for what is never split there */
	int32_t ground_x, ground_w; /* the box's tinted ground, redrawn
	                             * for each part; ground_w 0: none */
	const int32_t *cols;        /* a table row: its columns' left edges
	                             * and the table's right end, ncols + 1;
	                             * NULL for anything else */
	bool keep_with_next;        /* never the last thing on a page */
	bool is_float;       /* a figure: where it fits, else at the top of
	                      * the next page while the text goes on */
	bool right_page;     /* two-sided: starts a right-hand page */
	bool annex;          /* starts the annex on a page of its own */
	bool drawn;          /* on a page already: a table head repeated */
	uint8_t ncols;       /* a table row: how many columns in cols */
	const char *outline; /* bookmark title at this vbox, or NULL */
	int outline_level;
	const char *section; /* running-header title from here on */
	struct loc loc;
	int32_t page; /* 0-based page it was placed on */
	int32_t top;  /* its top on that page, PDF y [mpt] */
};

/* A footnote typeset once at the text width. */
struct noteblock {
	struct vbox box; /* its lines; height includes the gap below;
	                  * page and top: where it begins */
	int nlines;      /* lines of leading each */
	int32_t leading; /* [mpt] */
	uint32_t elem;   /* its Note element */
};

/* Lines [from, to) of a footnote placed on a page. */
struct notepart {
	uint32_t num;
	uint32_t from, to;
};

/* A vbox placed on a page, y from the top of the text area downwards. */
struct placed {
	struct vbox *v;
	int32_t y;
};

struct pstate {
	struct placed *items;
	size_t nitems, capitems;
	struct notepart *notes;
	size_t nnotes, capnotes;
	int32_t used;        /* content height [mpt] */
	int32_t notes_h;     /* height of the notes placed [mpt] */
	const char *section; /* running header */
	bool blank;          /* left blank so the next starts on the right */
};

struct pager {
	struct typesetter *ts;
	struct pstate *pages;
	size_t npages, cap;
	const char *section;
	struct notepart *carry; /* note parts continued on the next page */
	size_t ncarry, capcarry;
	const struct vbox **overfull; /* placed although taller than a page */
	size_t noverfull, capoverfull;
	size_t annex;         /* the annex's first page; npages when none */
	struct vbox **floats; /* figures waiting for the next page */
	size_t nfloats, capfloats;
	struct vbox *bottom; /* a figure for the foot of this page, once
	                      * the text after it fills the page above */
	size_t bottom_at;    /* the items the page held when it came */
	int32_t after_float; /* room owed below the last float placed */
};

/* The room between a figure and the text around it [mpt]. */
#define FLOAT_GAP 12000

/* An entry of the table of contents, filled in after pagination. */
struct toc_entry {
	const struct doc_node *node; /* the section or heading it names */
	struct vbox *line;           /* the entry's line */
	struct vbox *target;         /* the heading's first line */
	int32_t x, width;            /* where the title ends (starts, when
	                              * rtl), the measure */
	int32_t base;                /* its last line's baseline, from the
	                              * top of its box */
	const struct style *st;
	uint32_t link;     /* the Link element of its title and page */
	const char *title; /* what the link says */
	bool rtl;          /* the title is right to left: set at the right,
	                    * its page number at the left */
};

struct typesetter {
	struct job *job;
	const struct doc *doc;
	const struct tmpl *t;
	const struct metrics *m;
	bool rtl_doc; /* the briefing's language is written right to left:
	               * text of no letters is set so, tables run so */
	int line_dir; /* for ts_line(): 0, the text's own direction, or a
	               * base forced (BIDI_RTL, BIDI_LTR) */
	struct arena scratch;  /* reset after every paragraph */
	struct arena scratch2; /* lives for the whole typesetting run */
	struct arena boxes;    /* vboxes and their items: dead once the
	                        * pages are drawn */
	struct arena cites;    /* the vboxes' lists of notes, apart so
	                        * that a box's items grow in place */
	struct arena pagerefs; /* the runs of one paragraph with its "cited
	                        * on pp." filled in, while it is set */
	struct hyph_lang {
		const char *tag;      /* the language, as in lang_of_script() */
		struct hyphenator *h; /* its patterns; NULL without */
	} hyph[TS_HYPH_LANGS];        /* loaded when first needed: use
	                               * ts_hyphenator() */
	size_t nhyph;
	uint8_t hyph_of[SCRIPT__MAX]; /* per script: its language's index
	                               * in hyph + 1; 0 until looked up */
	struct page_op *opbuf;        /* draw.c: the page being drawn */
	size_t opcap;
	struct para_bufs *para; /* para.c's buffers, kept between
	                         * paragraphs */
	int32_t text_width;     /* [mpt] */
	int32_t text_height;
	struct vbox **vlist; /* the document's vertical list */
	size_t nvlist, capvlist;
	struct noteblock *notes; /* by note number - 1 */
	const char *section;     /* current section title while building */
	struct toc_entry *toc;
	size_t ntoc, captoc;
	size_t *toc_of; /* toc index + 1 by node address (a hash
	                 * table of toc_mask + 1 slots, made when
	                 * the contents are set), 0 when none */
	size_t toc_mask;
	int32_t *note_page;       /* per note: page of its marker, or -1 */
	int32_t space[FACE__MAX]; /* width of U+0020 [1/1000 em] */
	uint8_t *warned;          /* per face: code points reported missing
	                           * (bitset over the BMP) */
	bool quiet;               /* a later pass: problems were reported */
	bool padding_reported;    /* the table padding is too wide */
	bool ok;
	/* glyphs.c: where reported characters are; NULL until one is. */
	struct glyph_places *places;
	/* Later passes set again only the top-level nodes whose text
	 * names pages ("Cited on pp."); the others keep their lines. */
	struct top_range {
		size_t first, last; /* their vboxes in the vlist */
		bool names_pages;
	} * tops;
	size_t ntops;
	struct vbox **prev_vlist; /* the previous pass's vertical list */
	/* The structure elements (page.h), made as the blocks are laid
	 * out; a later pass makes new ones for the blocks it sets again,
	 * and the old ones, drawn by nothing, are left out of the PDF. */
	struct page_elem *elems;
	size_t nelems, capelems;
	struct page_alt *alts; /* figures' descriptions, by element */
	size_t nalts, capalts;
	uint32_t parent; /* the element new blocks go into */
	uint32_t block;  /* the element the lines being set belong to */
	uint32_t label;  /* the Lbl of the prefix being set, or 0 */
	bool cell_text;  /* the next paragraph is a cell's only one: its
	                  * text goes in the cell's element */
	int h_section;   /* sections' headings: H1, or H2 under a title */
	struct ts_link {
		uint32_t block;  /* the block it is in */
		const char *uri; /* what it goes to */
		int32_t page;
		uint32_t note;
		uint32_t elem; /* the Link element; 0: the last run set
		                * was no link */
	} link;                /* the last link set (para.c) */
};

/* A new structure element in parent; its index in ts->elems. */
uint32_t ts_elem(struct typesetter *, enum page_tag, uint32_t parent);
/*
 * The size figure n's image prints at in a column width wide [mpt]; an
 * image that prints under 150 dpi is a warning (unless ts->quiet).
 */
void ts_figure_box(struct typesetter *, const struct doc_node *n, int32_t width,
                   int32_t *w, int32_t *h);
/* Gives element elem (a Figure) its description. */
void ts_alt(struct typesetter *, uint32_t elem, const char *text);

/*
 * bidi.c.  The embedding levels of a paragraph's runs (UAX #9): for
 * each run, a level per byte of its text; base is the paragraph's own
 * (0 left to right, 1 right to left: its first strong letter says).
 */
struct bidi {
	uint8_t **level;
	int base;
};
/* The base direction bidi_levels() is asked for: that of the first
 * strong letter, else left to right (BIDI_AUTO, 0) or right to left
 * (BIDI_WEAK_RTL, 1: a right-to-left briefing); or one forced. */
enum { BIDI_AUTO, BIDI_WEAK_RTL, BIDI_RTL, BIDI_LTR };
/* Fills out and returns true when the runs hold right-to-left text, or,
 * when base_dir is right to left, are not all left to right (a text of
 * no letters then reads right to left); false, and nothing to do,
 * otherwise.  Memory comes from a. */
bool bidi_levels(struct arena *a, const struct doc_run *runs, size_t nruns,
                 int base_dir, struct bidi *out);
/*
 * Visual order of a line's pieces (rule L2): order[k] is the logical
 * index of the k-th piece from the left.  levels[0..n) holds each
 * piece's level and is reordered in place.
 */
void bidi_reorder(uint8_t *levels, size_t *order, size_t n);
/*
 * The text operations that draw a text on one line, as proto says (its
 * text, face, size, colour, angle) from proto's x and y: proto itself
 * when the text has no right-to-left letters, else one per word (or
 * part of a word in one direction) in visual order, right-to-left ones
 * shaped so, along the line's angle.  w is the width of the whole.
 * Memory from the job's arena.
 */
struct line {
	struct page_op *ops;
	size_t n;
	int32_t w; /* [mpt] */
	bool rtl;  /* the text's direction is right to left */
};
void ts_line(struct typesetter *, const struct page_op *proto, struct loc,
             struct line *out);
/* Moves a line's operations by (dx, dy). */
void ts_line_move(struct line *, int32_t dx, int32_t dy);

/*
 * Warns at the briefing's "lang" when hyphenation is on and no patterns
 * are installed for it, whether or not a word would need them (build and
 * check alike).
 */
void ts_check_lang(struct typesetter *);
/*
 * The hyphenation patterns for word[0..len), by the script of its letters
 * (lang_of_script()), loaded on first use.  NULL when the template turns
 * hyphenation off, the word is in no script or a right-to-left one, or its
 * language has no patterns (reported once, at loc).
 */
struct hyphenator *ts_hyphenator(struct typesetter *, const char *word,
                                 size_t len, struct loc loc);
/* Frees what para.c keeps between paragraphs. */
void para_bufs_free(struct typesetter *);

/* Width of a word (no U+0020 in it) in face, shaped left to right or
 * right to left [1/1000 em]; characters in none of the face's fonts are
 * reported at loc. */
int32_t ts_word_width(struct typesetter *, enum face, const char *s, size_t len,
                      bool rtl, struct loc);
/* Advance of one character alone in face [1/1000 em], reported at loc
 * when no font of the face has it. */
int32_t ts_advance(struct typesetter *, enum face, uint32_t cp, struct loc);
/* Wider than any page [mpt]: what ts_text_width() says of wider text, so
 * that sums of a few widths stay in an int32_t. */
#define TS_MAX_WIDTH 1000000000
/* Width of UTF-8 text in face at size [mpt], at most TS_MAX_WIDTH: its
 * words shaped left to right, as the emitter draws a run; reports
 * missing glyphs. */
/* Whether s[0..n) reads as an address ("https://…", "www.…",
 * "president.gov.ua/en"): link text that is not one breaks as words do. */
bool ts_is_address(const char *s, size_t n);
int32_t ts_text_width(struct typesetter *, enum face, int32_t size,
                      const char *s, size_t len, struct loc);
/* s, or s shortened with an ellipsis so that it fits width [mpt]; a
 * missing glyph is reported at loc. */
const char *ts_fit(struct typesetter *, const struct style *, const char *s,
                   int32_t width, struct loc loc);
/* The face for a run's flags in a style. */
enum face ts_face(enum face base, unsigned flags);

/* One bit per face and code point, for missing-glyph reports (700 KB). */
#define TS_WARNED_BYTES ((size_t)FACE__MAX * 0x110000u / 8)
/* Reports each character of the word s[0..len) that no font of face f
 * has, once per face and character, at its place (ts_missing_loc()). */
void ts_warn_missing(struct typesetter *, enum face f, const char *s,
                     size_t len, struct loc loc);
/*
 * glyphs.c.  The place of the character at s, in text set from loc: its
 * own line and column when s lies in the text of one of the document's
 * runs that starts at loc and the input file shows where
 * (srcpos_at()), otherwise loc.  Costs nothing until first asked.
 */
struct loc ts_char_loc(struct typesetter *, const char *s, struct loc loc);
/*
 * The place to report code point cp, missing from the fonts, at s in the
 * word word[0..len) of text set from loc: as ts_char_loc() finds it, or
 * else where one of the document's origins (struct doc) holds cp with the
 * same text around it, up to its placeholders, as the run of text s is
 * in (the word, for text of no run); true when one of them shows it,
 * else *out is loc.
 */
bool ts_missing_loc(struct typesetter *, const char *s, struct loc loc,
                    uint32_t cp, const char *word, size_t len, struct loc *out);
/* draw.c.  A header, footer or banner string with its placeholders
 * (tmpl_furniture_names) filled: the briefing's variables, page, pages
 * and section; NULL for NULL. */
const char *ts_furniture_text(struct typesetter *, const char *tmpl,
                              const char *page, const char *pages,
                              const char *section);
/* Frees what ts_char_loc() keeps. */
void ts_places_free(struct typesetter *);

/* The tallest group (the summary box, a table row's cell) [mpt]: places
 * in a group are int32_t, and this leaves room below it for padding. */
#define GROUP_MAX_HEIGHT 2000000000

/* Destination for lines: the vertical list, or a group being built. */
struct sink {
	struct typesetter *ts;
	struct vbox *group; /* NULL: each line becomes its own vbox */
	int32_t y;          /* group mode: current top offset [mpt] */
	bool full; /* group mode: what would go below GROUP_MAX_HEIGHT was
	            * left out, for the caller to report */
};
/* Whether height more fits in s's group; if not, marks it full. */
bool ts_sink_room(struct sink *s, int32_t height);

/* Appends a new vbox to the vertical list. */
struct vbox *ts_vbox(struct typesetter *, enum vbox_kind, int32_t height);
struct vitem *ts_vbox_add(struct arena *, struct vbox *);
/* Frees the room for more than spare further items when the items were
 * the last thing allocated from a (a finished vbox keeps no slack). */
void ts_vbox_trim(struct arena *a, struct vbox *, uint32_t spare);
void ts_vbox_note(struct arena *, struct vbox *, uint32_t note);
/*
 * Sets the runs of a leaf block as lines of the given width at x; each
 * line goes to the sink.  first_prefix is drawn hanging left of the first
 * line (list bullets, note numbers) when not NULL.
 */
void para_set(struct sink *, const struct doc_run *runs, size_t nruns,
              const struct style *, int32_t x, int32_t width,
              const char *prefix, struct loc);
/* The widest stretch of runs[0..nruns) in style st that no line may
 * break: a word, or words tied together ("18 March"), addresses aside;
 * *longest, its longest line set whole [mpt]. */
int32_t para_widest(struct typesetter *, const struct doc_run *runs,
                    size_t nruns, const struct style *st, int32_t *longest);
/* Sets every footnote once, at the text width. */
void layout_notes(struct typesetter *);
/*
 * Where group v (a table row, the summary box) splits in two between its
 * lines for the foot of a page, the first part at most h tall with the
 * padding below its cut: the cut, with the parts in the scratch arena
 * (gone at its next reset) to measure; -1 when the first part would
 * hold fewer than min_top lines or the second fewer than min_rest, or
 * the first would cite a note numbered after one the second cites.
 */
int32_t ts_split_try(struct typesetter *, const struct vbox *v, int32_t h,
                     int min_top, int min_rest, struct vbox **top,
                     struct vbox **rest);
/* The two parts of v cut at cut, to keep (not in the vertical list). */
void ts_split_make(struct typesetter *, const struct vbox *v, int32_t cut,
                   struct vbox **top, struct vbox **rest);
/* Lays out the block tree below root into the vertical list. */
void layout_doc(struct typesetter *);
/* Splits the vertical list into pages, keeping notes with markers. */
void paginate_vlist(struct typesetter *, struct pager *);
/* Draws the placed pages with notes, contents and furniture. */
void draw_pages(struct typesetter *, struct pager *, struct pages *);
/*
 * The copy marks (copies.c): for each of the document's copies, its
 * watermark and footer line, measured and placed on the drawn pages.
 */
void copies_marks(struct typesetter *, struct pages *);
/* Height of lines [from, to) of a note, with its label or gap. */
int32_t ts_notepart_height(const struct typesetter *, struct notepart);

/*
 * Hyphenation (hyphen.c).  hyphen_find() writes to path (size bytes) the
 * patterns in dir for the language tag: hyph_ll_CC.dic for its region CC,
 * else the language's usual region, hyph_ll.dic, or any hyph_ll_*.dic;
 * false when there are none.
 */
bool hyphen_find(const char *dir, const char *tag, char *path, size_t size);
/*
 * hyphen_open() reads the patterns at path, converted to UTF-8 from the
 * charset their first line names; NULL when they cannot be read, with
 * that charset in charset (HYPHEN_CHARSET_MAX bytes, may be NULL) when it
 * is the reason, "" otherwise.  When the file is byte for byte the one
 * the program was built with, it uses the dictionary parsed then
 * (hyphen_baked.h) instead of parsing the file again.
 */
struct hyphenator *hyphen_open(const char *path, char *charset);
/* Whether the file at path is the one hyphen_baked was built from. */
bool hyphen_baked_matches(const char *path);
/* Whether h uses hyphen_baked rather than a dictionary of its own. */
bool hyphen_is_baked(const struct hyphenator *h);
void hyphen_close(struct hyphenator *);
/*
 * Marks in points[0..len) the bytes of word (UTF-8) after which a hyphen
 * may go (points[i] = 1), at least two letters from its start and three
 * from its end.  Only words of 6 to 60 Latin, Greek or Cyrillic letters
 * whose second letter is small are hyphenated; returns the number of
 * points.
 */
int hyphen_points(struct hyphenator *, const char *word, size_t len,
                  uint8_t *points);
/* Narrows text[*s..*e) to what lies between its first and last letters
 * (lang_script()). */
void hyphen_trim(const char *text, size_t *s, size_t *e);
/* The script of all the letters of word[0..len); SCRIPT_NONE when it
 * mixes scripts or holds anything but letters. */
enum lang_script hyphen_script(const char *word, size_t len);

#endif
