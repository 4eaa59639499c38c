/*
 * Template: everything about the page that is not content (paper, margins,
 * fonts, sizes, colours, header and footer, section order and titles).
 * Made by load from a template YAML file, read by compose and typeset.
 */
#ifndef BRIEFING_TMPL_H
#define BRIEFING_TMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"

/* Font faces a template names; the fonts behind them are TrueType files. */
enum face {
	FACE_SERIF,
	FACE_SERIF_BOLD,
	FACE_SERIF_ITALIC,
	FACE_SANS,
	FACE_SANS_BOLD,
	FACE__MAX
};

/* Fonts a face may list: its own and its fallbacks. */
#define TMPL_FONTS_MAX 8

/* Each face's name, as the template's "fonts" mapping and messages spell
 * it ("serif_bold"). */
extern const char *const tmpl_face_names[FACE__MAX];

/* Paragraph styles a template sets. */
enum style_id {
	STYLE_BODY,
	STYLE_TITLE,
	STYLE_SUBTITLE,
	STYLE_META,       /* title-block lines: as of, edition, prepared by */
	STYLE_H1,         /* section heading */
	STYLE_H2,         /* sub-heading inside a section */
	STYLE_TABLE,      /* table body cells */
	STYLE_TABLE_HEAD, /* table header cells */
	STYLE_NOTE,       /* footnotes */
	STYLE_SOURCE,     /* entries in the source list */
	STYLE_BOX,        /* the summary box */
	STYLE_HEADER,     /* running header */
	STYLE_FOOTER,     /* running footer */
	STYLE_BANNER,     /* classification banner */
	STYLE__MAX
};

/* Sections a briefing can contain, in the template's order. */
enum section_id {
	SECTION_SUMMARY,
	SECTION_CONTEXT,
	SECTION_READOUTS,
	SECTION_PRECONDITIONS,
	SECTION_BREACHES,
	SECTION_SOURCES,
	SECTION_CONTENTS,     /* table of contents, generated */
	SECTION_CHANGES,      /* changes since the previous edition */
	SECTION_DISTRIBUTION, /* the distribution list of numbered copies:
	                       * an annex after everything, never named by
	                       * a template */
	SECTION__MAX
};

struct style {
	enum face face;
	int32_t size;         /* font size [mpt] */
	int32_t leading;      /* baseline to baseline [mpt] */
	int32_t space_before; /* [mpt] */
	int32_t space_after;  /* [mpt] */
	uint32_t color;       /* 0xRRGGBB */
	int align;            /* 0 justified, 1 left, 2 centred, 3 right */
};

/* Three slots of running text; placeholders like {page} are expanded. */
struct furniture {
	const char *left, *center, *right; /* NULL for empty */
};

struct tmpl_section {
	enum section_id id;
	const char *title;
};

struct tmpl {
	const char *path; /* the template file */
	const char *name;
	int32_t page_width;  /* [mpt] */
	int32_t page_height; /* [mpt] */
	int32_t margin_top;  /* text area edge [mpt] */
	int32_t margin_bottom;
	int32_t margin_left;
	int32_t margin_right;
	int32_t header_offset;   /* header baseline above the text area [mpt] */
	int32_t footer_offset;   /* footer baseline below the text area [mpt] */
	int32_t note_gap;        /* space between text and note rule [mpt] */
	int32_t note_rule_width; /* length of the rule above notes [mpt] */
	int32_t paragraph_gap;   /* between body paragraphs [mpt] */
	int32_t cell_padding;    /* inside table cells [mpt] */
	struct loc padding_loc;  /* where it is set, for messages */
	int32_t tolerance;       /* largest badness of a justified line */
	bool hyphenate;          /* hyphenate English words */
	bool duplex;             /* two-sided: mirrored margins, core
	                          * sections start on right-hand pages */
	/* Each face's fonts, tried character by character: its own font,
	 * then its fallbacks in order (resolved TrueType paths; NULL after
	 * the last). */
	const char *fonts[FACE__MAX][TMPL_FONTS_MAX];
	struct loc font_locs[FACE__MAX][TMPL_FONTS_MAX];
	struct style styles[STYLE__MAX];
	uint32_t color_rule;       /* rules and table lines */
	uint32_t color_table_head; /* table header background */
	uint32_t color_box;        /* summary box background */
	uint32_t color_link;       /* link text */
	struct furniture header, footer;
	const char *banner; /* banner text, placeholders allowed */
	struct tmpl_section sections[SECTION__MAX];
	int nsections;
	const char *labels_contents; /* strings the template may translate */
};

#endif
