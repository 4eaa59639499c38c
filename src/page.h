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

#include "tmpl.h"

enum page_op_type {
	PAGE_TEXT,      /* a run of text on one baseline */
	PAGE_RULE,      /* a straight line */
	PAGE_RECT,      /* a filled rectangle */
	PAGE_LINK_URI,  /* clickable area opening a URI */
	PAGE_LINK_DEST, /* clickable area jumping to a place in the document */
	PAGE_OP__MAX
};

struct page_op {
	enum page_op_type type;
	int32_t x, y;     /* text: baseline start; others: lower-left [mpt] */
	int32_t w, h;     /* rule: end is (x+w, y+h); rect/link: size [mpt] */
	enum face face;   /* text */
	int32_t size;     /* text: font size; rule: line width [mpt] */
	uint32_t color;   /* 0xRRGGBB */
	const char *text; /* text: valid UTF-8, NUL-terminated */
	const int32_t *starts; /* text: NULL, or for each U+0020 in text
	                        * where the text after it starts, from x
	                        * (justified spaces) [mpt] */
	const char *uri;       /* PAGE_LINK_URI */
	uint32_t dest_page;    /* PAGE_LINK_DEST: 0-based page index */
	int32_t dest_y;        /* PAGE_LINK_DEST: top of the target [mpt] */
	int32_t angle;         /* text: rotation about (x, y), degrees
	                        * counter-clockwise; 0 for level text */
	bool rtl;              /* text: one word or more of a right-to-left
	                        * run, shaped right to left; x is its left
	                        * end, and its first word is drawn rightmost */
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
	size_t nannex;             /* trailing annex pages, labelled A-1,
	                            * A-2, ... instead of numbers */
	struct copy_mark *marks;   /* per numbered copy, in order */
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
