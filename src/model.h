/*
 * The fact model: typed facts, every value with the file:line:col it came
 * from.  Made by load, completed (references resolved) by check, read by
 * compose.
 */
#ifndef BRIEFING_MODEL_H
#define BRIEFING_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "tmpl.h"

/* A string value; s is NULL when the key is absent or its value is null. */
struct str {
	const char *s;  /* valid UTF-8 */
	struct loc loc; /* of the value, or of the key when absent */
	bool present;   /* the key was given (possibly as null) */
};

struct source;
struct party;

/* One entry of a "sources:" list: an id, or {id, quote, locator}. */
struct cite {
	struct str id;
	struct str quote;   /* verbatim words from this source, or NULL */
	struct str locator; /* "para. 3", or NULL; check sets one where the
	                     * archived copy shows where the quote is */
	struct source *src; /* resolved by check */
	bool locator_found; /* locator is check's, not the fact file's */
};

/* How a statement is attributed (the fact file's "attribution"). */
enum attribution {
	ATTR_NONE,      /* not stated */
	ATTR_OFFICIAL,  /* an official statement or readout */
	ATTR_ON_RECORD, /* a named person's on-the-record remark */
	ATTR_ANONYMOUS, /* an anonymous or unattributed report */
	ATTR_ONE_SIDE,  /* one party's assertion, not corroborated */
	ATTR__MAX
};

/* A sourced statement: paraphrase, optional verbatim quote, sources. */
struct stmt {
	struct loc loc;   /* of the mapping */
	struct str text;  /* paraphrase (required) */
	struct str quote; /* verbatim (optional) */
	struct str speaker;
	struct str attribution;
	enum attribution attribution_val; /* set by check */
	struct cite *cites;
	size_t ncites;
	struct loc sources_loc; /* of the "sources" key, or of the mapping */
};

struct source {
	struct loc loc;
	bool malformed; /* load reported it as no mapping (or without
	                 * its list): check says no more of it */
	struct str id, outlet, author, title, date, url, archive;
	struct str description;   /* the analyst's words for an untitled
	                           * source, in sentence case; or NULL */
	struct str grade;         /* Admiralty grade such as "B2", or NULL */
	struct str accessed;      /* YYYY-MM-DD the analyst read it, or NULL */
	struct str language;      /* its BCP 47 language tag, or NULL */
	struct str via;           /* the aggregator or republisher it was
	                           * read through, or NULL */
	const char *archive_path; /* where archive is, found by load:
	                           * under --archive-dir, else beside the
	                           * fact file; NULL without an archive */
	bool archive_outside;     /* archive_path lies outside that directory
	                           * and --allow-outside was not given: it
	                           * must not be read */
	unsigned cited;           /* times cited, counted by check */
};

struct party {
	struct loc loc;
	struct str id, name;
};

/* A party reference: the id as written, resolved by check. */
struct party_ref {
	struct str id;
	const struct party *p;
};

struct event {
	struct loc loc;
	bool malformed; /* load reported it as no mapping (or without
	                 * its list): check says no more of it */
	struct str date, date_text;
	struct stmt st;
};

struct readout {
	struct loc loc;
	bool malformed; /* load reported it as no mapping (or without
	                 * its list): check says no more of it */
	struct party_ref party;
	struct str issuer;
	struct stmt *points;
	size_t npoints;
	struct loc points_loc;
};

struct position {
	struct loc loc;
	struct party_ref party;
	struct stmt st;
};

struct divergence {
	struct loc loc;
	struct str topic;
	struct position *positions;
	size_t npositions;
};

/* A Markdown file named by the fact file, read by load. */
struct markdown {
	struct str name;  /* as written in the fact file */
	const char *path; /* resolved against the fact file's directory */
	const char *text; /* contents, valid UTF-8; NULL when not loaded */
	size_t len;
};

enum call_kind {
	CALL_UNSTATED, /* no "kind": a call */
	CALL_PHONE,
	CALL_VIDEO,
	CALL_MEETING,
	CALL_LETTER,
	CALL__MAX
};

struct call {
	struct loc loc;
	struct str id, date, date_text, time, duration, place;
	struct str kind;
	enum call_kind kind_val;    /* set by check */
	struct markdown commentary; /* printed under its heading */
	struct party_ref *participants;
	size_t nparticipants;
	struct readout *readouts;
	size_t nreadouts;
	struct divergence *divergences;
	size_t ndivergences;
};

enum precondition_status {
	PRE_STATED,
	PRE_MET,
	PRE_UNMET,
	PRE_REJECTED,
	PRE_OPEN,
	PRE__MAX
};

struct precondition {
	struct loc loc;
	struct party_ref party;
	struct str date, date_text;
	struct str status;
	enum precondition_status status_val;
	struct stmt st; /* st.text is the demand */
};

enum breach_status {
	BREACH_CONFIRMED,
	BREACH_DISPUTED,
	BREACH_DENIED,
	BREACH_UNVERIFIED,
	BREACH__MAX
};

struct response {
	struct loc loc;
	struct party_ref by;
	struct stmt st;
};

struct breach {
	struct loc loc;
	bool malformed; /* load reported it as no mapping (or without
	                 * its list): check says no more of it */
	struct str id, date, date_text;
	struct party_ref alleged_by, accused; /* alleged_by: NULL id when a
	                                       * source reports it */
	struct str reported_by;        /* a source id: a press report, not a
	                                * party's allegation; or NULL */
	const struct source *reporter; /* reported_by, resolved by check */
	struct str status;
	enum breach_status status_val;
	struct stmt st; /* st.text is the claim */
	struct response *responses;
	size_t nresponses;
};

/* An image that belongs to a section rather than to a paragraph of its
 * commentary: an entry of the fact file's "figures" list. */
struct figure {
	struct loc loc;
	struct str file, alt, section, width;
	struct stmt st;   /* st.text is the caption; st.cites its sources */
	const char *path; /* file, resolved against the fact file's
	                   * directory by load */
	int section_id;   /* enum section_id, set by load (-1: unknown) */
	int width_pct;    /* 1 to 100; 0: the image's own size */
};

struct meta {
	struct loc loc;
	struct str title, subtitle, as_of, edition, classification, prepared_by;
	struct str short_title; /* for the running head, or NULL */
	struct str *keywords;
	size_t nkeywords;
	struct str lang; /* BCP 47 tag in its usual case ("pt-BR"), or
	                  * NULL: English */
	struct str *no_hyphenation; /* words never to hyphenate (names) */
	size_t nno_hyphenation;
	struct markdown summary;
	struct markdown commentary[SECTION__MAX]; /* by section; unused slots
	                                           * have no name */
};

struct model {
	const char *path; /* the fact file */
	bool read;        /* its YAML was read: what loaded can be checked
	                   * even when some of it failed to load */
	bool parties_partial,
	    sources_partial; /* the list, or an entry's
	                      * id, failed to load: a reference to it is not
	                      * reported as unknown */
	struct meta meta;
	struct party *parties;
	size_t nparties;
	struct source *sources;
	size_t nsources;
	struct event *timeline;
	size_t ntimeline;
	struct call *calls;
	size_t ncalls;
	struct precondition *preconditions;
	size_t npreconditions;
	struct breach *breaches;
	size_t nbreaches;
	struct figure *figures;
	size_t nfigures;
	/* The sources with an id, sorted by id (then by place), for
	 * model_find_source(); set by model_index_sources(). */
	struct source **source_index;
	size_t nsource_index;
};

struct arena;
/* Builds m->source_index in the arena. */
void model_index_sources(struct model *m, struct arena *);
/*
 * The first source listed with the id key[0..len), or NULL: by binary
 * search once the index is built, by a scan before.
 */
/*
 * The party or source id nearest key (a misspelling of it: within two
 * edits), for "did you mean"; NULL if none is.
 */
const char *model_nearest_party(const struct model *, const char *key);
const char *model_nearest_source(const struct model *, const char *key);
struct source *model_find_source(const struct model *m, const char *key,
                                 size_t len);
/*
 * What a diagnostic adds about an id key[0..len) that holds a character
 * which shows nothing (a zero-width space, a bidirectional control …):
 * "it contains U+200B ZERO WIDTH SPACE, which does not show", and the id
 * without such characters in *visible.  Both in the arena; NULL, with
 * *visible untouched, when the id has none.
 */
const char *model_hidden_in_id(struct arena *, const char *key, size_t len,
                               const char **visible);

extern const char *const model_precondition_status_names[PRE__MAX];
extern const char *const model_attribution_names[ATTR__MAX];
extern const char *const model_breach_status_names[BREACH__MAX];
extern const char *const model_call_kind_names[CALL__MAX];

#endif
