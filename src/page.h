/*
 * Positioned pages: made by typeset, read by emit.  Coordinates are PDF's:
 * origin at the bottom-left corner, y upwards, all lengths in milli-points.
 * Nothing here needs a decision from emit; it only draws.
 */
#ifndef BRIEFING_PAGE_H
#define BRIEFING_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"
#include "tmpl.h"

enum page_op_type {
	PAGE_TEXT,      /* a run of text on one baseline */
	PAGE_RULE,      /* a straight line */
	PAGE_RECT,      /* a filled rectangle */
	PAGE_LINK_URI,  /* clickable area opening a URI */
	PAGE_LINK_DEST, /* clickable area jumping to a place in the document */
	PAGE_IMAGE,     /* an image scaled to fill x, y, w, h */
	PAGE_OP__MAX
};

/*
 * Tagged PDF.  Each thing drawn belongs to a structure element (the
 * logical document: headings, paragraphs, lists, tables, notes, links),
 * or is an artifact (page furniture a reader skips).  The typesetter
 * makes the elements; the emitter writes them as the PDF's structure tree
 * and marks the content.  The standard structure types used (PDF 32000-1
 * 14.8.4):
 */
enum page_tag {
	TAG_DOCUMENT,
	TAG_SECT,
	TAG_DIV,
	TAG_H1,
	TAG_H2,
	TAG_H3,
	TAG_H4,
	TAG_H5,
	TAG_H6,
	TAG_P,
	TAG_BLOCKQUOTE,
	TAG_L,
	TAG_LI,
	TAG_LBL,
	TAG_LBODY,
	TAG_TABLE,
	TAG_THEAD,
	TAG_TBODY,
	TAG_TR,
	TAG_TH, /* a column's header: /Scope /Column */
	TAG_TD,
	TAG_TOC,
	TAG_TOCI,
	TAG_NOTE,
	TAG_BIBENTRY,
	TAG_LINK,
	TAG_FIGURE,  /* its /Alt: pages.alts */
	TAG_CAPTION, /* a figure's, right after it */
	TAG_FORM,    /* a form field's widget: the signature's */
	TAG__MAX
};

/* A structure element: pages.elems[0] is the Document, every other
 * element's parent comes before it. */
struct page_elem {
	uint32_t parent; /* index in pages.elems */
	uint8_t tag;     /* enum page_tag */
};

/* What an element stands for, for a reader that cannot see it: a
 * Figure's description. */
struct page_alt {
	uint32_t elem;
	const char *text;
};

/* The structure type's name in the PDF: "P", "TOCI" ... */
const char *page_tag_name(enum page_tag);

/* What an artifact is (PDF 32000-1 14.8.2.2). */
enum page_artifact {
	ART_LAYOUT,     /* rules, grounds, leaders */
	ART_PAGINATION, /* banners, "continued" lines, repeated heads */
	ART_HEADER,     /* the running header */
	ART_FOOTER,     /* the running footer, copy marks */
	ART_WATERMARK,  /* a numbered copy's watermark */
	ART__MAX
};

struct page_op {
	enum page_op_type type;
	int32_t x, y;     /* text: baseline start; others: lower-left [mpt] */
	int32_t w, h;     /* rule: end is (x+w, y+h); rect/link: size [mpt] */
	enum face face;   /* text */
	int32_t size;     /* text: font size; rule: line width [mpt] */
	uint32_t color;   /* 0xRRGGBB */
	const char *text; /* text: valid UTF-8, NUL-terminated */
	const char *uri;  /* PAGE_LINK_URI */
	/* One or the other, for a page of a long briefing holds thousands
	 * of operations, each kept twice while the pages are drawn. */
	union {
		const int32_t *starts; /* text: NULL, or for each U+0020 in
		                        * text where the text after it
		                        * starts, from x (justified spaces)
		                        * [mpt] */
		struct {
			uint32_t dest_page; /* PAGE_LINK_DEST: 0-based page
			                     * index; PAGE_IMAGE: index in
			                     * pages.images */
			int32_t dest_y;     /* PAGE_LINK_DEST: top of the
			                     * target [mpt] */
		};
	};
	int16_t angle;        /* text: rotation about (x, y), degrees
	                       * counter-clockwise; 0 for level text;
	                       * image: its EXIF orientation (image.h)
	                       * (16 bits: with the two fields after it,
	                       * elem fits where an item's padding was) */
	bool rtl : 1;         /* text: one word or more of a right-to-left
	                       * run, shaped right to left; x is its left
	                       * end, and its first word is drawn rightmost */
	bool soft_hyphen : 1; /* text: it ends with the hyphen of a word
	                       * broken at the line's end, which the text
	                       * of a tagged PDF gives as U+00AD */
	uint8_t artifact;     /* enum page_artifact, when elem is 0 */
	uint32_t elem;        /* the structure element it belongs to (index
	                       * in pages.elems), 0 for an artifact; a link
	                       * belongs to its Link element, and its text
	                       * is what the link says */
};

struct page {
	struct page_op *ops;
	size_t nops, cap;
	bool owned; /* ops came from malloc: typeset_pages_free() */
};

/* A PDF bookmark; level 0 is a top-level entry. */
struct outline {
	int level;
	const char *title;
	uint32_t page; /* 0-based */
	int32_t y;     /* top of the target [mpt] */
};

/*
 * What marks one numbered copy: a watermark drawn over the grounds (the
 * filled rectangles) and under everything else, and a line in the
 * footer, on every page of the body.
 */
struct copy_mark {
	const struct page_op *watermark; /* one text operation, or one
	                                  * per piece of a line with
	                                  * right-to-left text */
	size_t nwatermark;
	const struct page_op *footer;
	size_t nfooter;
	const char *label; /* "Copy 2 of 5 — Name", the copy's /Copy */
};

/* The characters a signed PDF keeps for its /ByteRange's numbers. */
#define PAGE_SIGN_RANGE_WIDTH 44

/*
 * What signs the PDF (run.c makes it with src/sign/): the signing time,
 * the bytes the signature may take, and fill(), which signs the saved
 * file pdf[0..len) in place, given where the signature dictionary's
 * placeholders are: at range, PAGE_SIGN_RANGE_WIDTH characters for the
 * byte range's numbers; at contents, the "<" of 2 * room zeros.  It
 * reports what goes wrong itself.
 */
struct page_signer {
	int64_t when; /* seconds since the epoch, UTC */
	size_t room;  /* [bytes] */
	bool (*fill)(void *ctx, unsigned char *pdf, size_t len, size_t range,
	             size_t contents);
	void *ctx;
};

struct pages {
	int32_t width, height; /* paper size [mpt] */
	struct page *pages;
	size_t n;
	struct outline *outlines;
	size_t noutlines;
	/* Document information */
	const char *title, *author, *subject, *keywords;
	const char *lang;          /* BCP 47 tag: the catalog's /Lang */
	int64_t created;           /* seconds since the epoch, UTC */
	const char *inputs_digest; /* SHA-256 of the inputs, or NULL */
	int tz_minutes;            /* offset of the as-of time */
	const char *edition;       /* custom /Edition entry, or NULL */
	const char *copy;          /* custom /Copy entry ("Copy 2 of 5 —
	                            * name"), or NULL */
	bool pdfa;                 /* PDF/A-2b: output intent and
	                            * identification in the metadata */
	bool tagged;               /* PDF/UA-1: structure tree, marked
	                            * content, identification */
	/* Sign the PDF, or NULL */
	const struct page_signer *sign;
	struct page_elem *elems; /* the structure elements (malloc) */
	size_t nelems;
	struct page_alt *alts; /* ascending by element */
	size_t nalts;
	const struct image *images; /* what PAGE_IMAGE draws */
	size_t nimages;
	size_t nannex;           /* trailing annex pages, labelled A-1,
	                          * A-2, ... instead of numbers */
	struct copy_mark *marks; /* per numbered copy, in order */
	size_t nmarks;
	bool drop_ops; /* emit frees each owned page's ops as
	                * soon as the page is drawn */
};

/*
 * Prints every page and its items, one per line, then the bookmarks:
 * "--dump=pages", stable text for tests to compare.
 */
void page_dump(const struct pages *, FILE *);

#endif
