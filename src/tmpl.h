/*
 * Template: everything about the page that is not content (paper, margins,
 * fonts, sizes, colours, header and footer, section order and titles).
 * Made by load from a template YAML file, read by compose and typeset.
 */
#ifndef BRIEFING_TMPL_H
#define BRIEFING_TMPL_H

#include <stdbool.h>
#include <stddef.h>
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

/* The sections' ids as a template's "sections" names them (NULL for one
 * it cannot name). */
extern const char *const tmpl_section_names[SECTION__MAX];

struct style {
	enum face face;
	int32_t size;         /* font size [mpt] */
	int32_t leading;      /* baseline to baseline [mpt] */
	int32_t space_before; /* [mpt] */
	int32_t space_after;  /* [mpt] */
	uint32_t color;       /* 0xRRGGBB */
	int align;            /* 0 justified, 1 left, 2 centred, 3 right */
	int32_t hang;         /* lines after the first set in by [mpt] */
};

/* Three slots of running text; placeholders like {page} are expanded. */
struct furniture {
	const char *left, *center, *right; /* NULL for empty */
};

/*
 * The words the briefing prints around the facts, from the template's
 * "strings" mapping (README, "Templates"); English when it omits one.
 * Placeholders such as {n} are filled by tmpl_fill().
 */
enum tmpl_str {
	/* Title block and dates. */
	STR_AS_OF_LINE,
	STR_EDITION_LINE,
	STR_CLASSIFICATION_LINE,
	STR_DATE,
	STR_DATE_FIRST, /* the first day of a month: "date" unless given */
	STR_DATE_TIME,
	/* Statements. */
	STR_ONE_SIDE,
	STR_ANONYMOUS,
	STR_QUOTE,
	STR_EMPTY_CELL, /* a table cell with nothing to say */
	STR_NOTHING_RECORDED,
	/* Context and timeline. */
	STR_HEAD_DATE,
	STR_HEAD_EVENT,
	/* Call readouts. */
	STR_CALL_TITLE,
	STR_CALL_TITLE_PARTIES,
	STR_KIND_CALL,
	STR_KIND_PHONE,
	STR_KIND_VIDEO,
	STR_KIND_MEETING,
	STR_KIND_LETTER,
	STR_PLACE,
	STR_AND,
	STR_DURATION,
	STR_TIME,
	STR_READOUT_HEAD,
	STR_DIVERGENCES,
	STR_TIMELINE,
	STR_HEAD_TOPIC,
	STR_NO_POSITION,
	/* Preconditions and breaches. */
	STR_HEAD_PARTY,
	STR_HEAD_DEMAND,
	STR_HEAD_WHEN,
	STR_HEAD_STATUS,
	STR_HEAD_ALLEGED,
	STR_HEAD_CLAIM,
	STR_HEAD_RESPONSES,
	STR_AGAINST,
	STR_REPORTED_AGAINST,
	STR_RESPONSE_BY,
	STR_NO_RESPONSE,
	STR_STATUS_STATED, /* the statuses, in model.h's order */
	STR_STATUS_MET,
	STR_STATUS_UNMET,
	STR_STATUS_REJECTED,
	STR_STATUS_OPEN,
	STR_STATUS_CONFIRMED,
	STR_STATUS_DISPUTED,
	STR_STATUS_DENIED,
	STR_STATUS_UNVERIFIED,
	/* The source list. */
	STR_ARCHIVED,
	STR_GRADE,
	STR_NOT_GRADED,
	STR_NOT_CITED,
	STR_CITED_P,
	STR_CITED_PP,
	/* Footnotes. */
	STR_NOTE_TITLE,
	STR_NO_DATE,
	STR_ACCESSED,
	STR_VIA,
	STR_NOTE_QUOTE,
	STR_NOTE_FIRST,
	STR_NOTE_CONTINUED,
	STR_NOTE_AGAIN,
	/* Figures. */
	STR_FIGURE,
	STR_FIGURES_TITLE,
	STR_CHART_CAPTION,
	STR_CHART_UNDATED,
	STR_CHART_SOURCES,
	/* Changes since the previous edition. */
	STR_NO_CHANGES,
	STR_CHANGE_ADDED,
	STR_CHANGE_REMOVED,
	STR_CHANGE_STATUS,
	STR_CHANGE_CHANGED,
	STR_CHANGE_FROM_TO,
	STR_CHANGE_WHAT,
	STR_CHANGED_TEXT,
	STR_CHANGED_QUOTE,
	STR_CHANGED_SOURCES,
	STR_CHANGED_WHEN,
	STR_CHANGED_OTHER,
	STR_CHANGE_P,
	STR_CHANGE_PP,
	STR_FACT_EVENT, /* the kinds of fact, as edition.c names them */
	STR_FACT_READOUT_POINT,
	STR_FACT_DIVERGENCE,
	STR_FACT_PRECONDITION,
	STR_FACT_BREACH,
	STR_FACT_SOURCE,
	STR_FACT_COMMENTARY,
	/* Numbered copies and their distribution list. */
	STR_DISTRIBUTION_TITLE,
	STR_DISTRIBUTION_INTRO,
	STR_DISTRIBUTION_INTRO_ONE,
	STR_HEAD_COPY,
	STR_HEAD_RECIPIENT,
	STR_HEAD_ORGANISATION,
	STR_HEAD_FILE,
	STR_COPY_LABEL,
	STR_COPY_WATERMARK,
	/* Pages. */
	STR_BLANK_PAGE,
	STR__MAX
};

/* Lists of words in the "strings" mapping, each of a fixed length. */
enum tmpl_list {
	LIST_MONTHS,            /* 12: January to December */
	LIST_GRADE_RELIABILITY, /* 6: source reliability, A to F */
	LIST_GRADE_CREDIBILITY, /* 6: information credibility, 1 to 6 */
	LIST__MAX
};
#define TMPL_LIST_MAX 12 /* the longest list */

/* A string's key, its English default and its placeholders: the ones it
 * must contain and the ones it may contain besides, separated by spaces. */
struct tmpl_str_def {
	const char *key;
	const char *def;
	const char *required;
	const char *optional;
};
extern const struct tmpl_str_def tmpl_str_defs[STR__MAX];

/* A list's key, its length and its English default. */
struct tmpl_list_def {
	const char *key;
	int n;
	const char *const *def;
};
extern const struct tmpl_list_def tmpl_list_defs[LIST__MAX];

struct tmpl_section {
	enum section_id id;
	const char *title;
	bool chart; /* breaches: the chart of them over time (default) */
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
	int32_t edge;            /* no text nearer the paper's edge [mpt] */
	int32_t note_gap;        /* space between text and note rule [mpt] */
	int32_t note_rule_width; /* length of the rule above notes [mpt] */
	bool note_cross_reference; /* a short note names the full one's
	                            * number ("(n. 7)") */
	int32_t paragraph_gap;     /* between body paragraphs [mpt] */
	int32_t cell_padding;      /* inside table cells [mpt] */
	struct loc padding_loc;    /* where it is set, for messages */
	int32_t tolerance;         /* largest badness of a justified line */
	bool hyphenate;            /* hyphenate English words */
	bool duplex;               /* two-sided: mirrored margins, core
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
	/* Every string of the template file and where it is written: a
	 * character no font has, in text set from one, is reported there. */
	struct tmpl_text {
		const char *s;
		struct loc loc;
	} * texts;
	size_t ntexts;
	const char *logo; /* the title block's image file, or NULL */
	struct loc logo_loc;
	int32_t logo_width; /* [mpt]; 0: the image's own size */
	struct tmpl_section sections[SECTION__MAX];
	int nsections;
	const char *str[STR__MAX];           /* NULL: tmpl_str_defs' default */
	const char *const *lists[LIST__MAX]; /* NULL: the default */
};

/* The template's string id, or its English default. */
const char *tmpl_str(const struct tmpl *, enum tmpl_str);
/* Item i of the template's list, or of its English default. */
const char *tmpl_list(const struct tmpl *, enum tmpl_list, int i);

/*
 * The start of the next placeholder in s, "{" then lower-case letters and
 * underscores then "}", with its name's start and length in *name and
 * *len; NULL when there is none.  Any other brace is text.
 */
const char *tmpl_placeholder(const char *s, const char **name, size_t *len);
/* The placeholders a header, footer or banner string may hold, separated
 * by spaces: the briefing's variables (struct doc's vars), {section},
 * {page} and {pages}. */
extern const char tmpl_furniture_names[];

struct arena;
/*
 * s with its placeholders filled: the arguments after s are pairs of a
 * name and its value, ended by NULL.  A placeholder with no value given
 * stays as written.  The result is in the arena.
 */
const char *tmpl_fill(struct arena *, const char *s, ...)
    __attribute__((sentinel));

#endif
