/*
 * The facts of an edition and the changes since the previous one: made
 * by edition/ (from the model and the state file), read by compose (the
 * "Changes since edition N" section).
 */
#ifndef BRIEFING_CHANGES_H
#define BRIEFING_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

struct stmt;

/*
 * One fact: a key that stays while the fact does, its fingerprint and
 * label.  A fact with an id is keyed by it ("breach:ID"); one without,
 * by where it belongs and a fingerprint of its text
 * ("readout:CALL:PARTY#TEXTPRINT"), so that inserting or deleting
 * another leaves it matched, and a reworded one is paired by likeness.
 */
struct fact {
	const char *kind;      /* "breach", "source", "precondition", ... */
	const char *key;       /* unique within the briefing */
	const char *status;    /* status word, or "" */
	const char *print;     /* fingerprints of its text, quote, sources
	                        * and the rest, 8 hex each, joined by '.';
	                        * from an older state file, 16 hex of all */
	const char *label;     /* a short description for people */
	const char *when;      /* its date or date_text as written, or "" */
	const struct stmt *st; /* the statement it prints, or NULL */
};

/* The earlier editions a state file keeps, besides the current one and
 * its base, so that a later edition can list the changes since any of
 * them (--since-edition). */
#define EDITION_KEEP 8

struct facts {
	struct fact *v;
	size_t n, cap;
	const char *edition; /* of the briefing they were taken from */
	const char *as_of;
	bool legacy; /* read from a state file of version 1, whose prints
	              * are not comparable part by part */
};

enum change_kind {
	CHANGE_ADDED,
	CHANGE_REMOVED,
	CHANGE_STATUS,  /* status moved from one word to another */
	CHANGE_CHANGED, /* text, quote or sources changed */
	CHANGE__MAX
};

/* What a changed fact changed, besides its status. */
enum {
	CHANGED_TEXT = 1,    /* its wording */
	CHANGED_QUOTE = 2,   /* its quote, speaker or attribution */
	CHANGED_SOURCES = 4, /* its sources, their quotes or locators */
	CHANGED_WHEN = 8,    /* its date (then->when, now->when) */
	CHANGED_OTHER = 16   /* anything else (a breach's parties, ...) */
};

struct change {
	enum change_kind kind;
	const struct fact *now;  /* NULL when removed */
	const struct fact *then; /* NULL when added */
	unsigned what;           /* CHANGED_* of a changed fact; 0 when
	                          * the state file cannot tell */
};

struct changes {
	struct change *v;
	size_t n;
	const char *since; /* the previous edition's number */
	bool have_previous;
	bool legacy; /* measured against a version 1 state file: only
	              * additions, removals and statuses are known */
};

#endif
