/*
 * Editions: the facts of a briefing reduced to keys and fingerprints, a
 * state file that records them beside the PDF, and the changes between
 * the previous edition and this one.  Used by main.c (state files) and
 * compose (the "Changes since edition N" section).
 */
#ifndef BRIEFING_EDITION_H
#define BRIEFING_EDITION_H

#include <stdbool.h>
#include <stddef.h>

struct job;
struct model;
struct stmt;

/* One fact: a stable key ("breach:ID"), its fingerprint and label. */
struct fact {
	const char *kind;   /* "breach", "source", "precondition", ... */
	const char *key;    /* unique within the briefing */
	const char *status; /* status word, or "" */
	const char *print;  /* fingerprint of everything else, 16 hex */
	const char *label;  /* a short description for people */
	const struct stmt *st; /* the statement it prints, or NULL */
};

struct facts {
	struct fact *v;
	size_t n, cap;
	const char *edition; /* of the briefing they were taken from */
	const char *as_of;
};

enum change_kind {
	CHANGE_ADDED,
	CHANGE_REMOVED,
	CHANGE_STATUS,  /* status moved from one word to another */
	CHANGE_CHANGED, /* text, quote or sources changed */
	CHANGE__MAX
};

struct change {
	enum change_kind kind;
	const struct fact *now;  /* NULL when removed */
	const struct fact *then; /* NULL when added */
};

struct changes {
	struct change *v;
	size_t n;
	const char *since; /* the previous edition's number */
	bool have_previous;
};

/* The facts of a checked model. */
void edition_facts(struct job *, const struct model *, struct facts *);
/*
 * Writes the state file (format in README), atomically: the facts of this
 * edition and, when there is one, of the edition its changes are
 * measured against.
 */
bool edition_write(struct job *, const struct facts *now,
                   const struct facts *base, const char *path);
/*
 * Reads a state file into the facts it records (cur) and their base
 * (prev, n == 0 and edition NULL when none).  A missing file is not an
 * error when optional; returns false after reporting.
 */
bool edition_read(struct job *, const char *path, bool optional,
                  struct facts *cur, struct facts *prev, bool *found);
/* The changes from then to now, in now's order, removals last. */
void edition_diff(struct job *, const struct facts *then,
                  const struct facts *now, struct changes *);

#endif
