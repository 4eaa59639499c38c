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

/* One fact: a stable key ("breach:ID"), its fingerprint and label. */
struct fact {
	const char *kind;      /* "breach", "source", "precondition", ... */
	const char *key;       /* unique within the briefing */
	const char *status;    /* status word, or "" */
	const char *print;     /* fingerprint of everything else, 16 hex */
	const char *label;     /* a short description for people */
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

#endif
