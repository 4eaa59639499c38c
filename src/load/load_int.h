/*
 * Shared inside src/load/ only: the small YAML tree the loader builds from
 * libyaml's events, and helpers that read typed values out of it.
 */
#ifndef BRIEFING_LOAD_INT_H
#define BRIEFING_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../job.h"
#include "../model.h"

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP, YNODE__MAX };

struct ynode {
	enum ynode_type type;
	struct loc loc;  /* start of the node */
	const char *str; /* scalar text (YNODE_SCALAR) */
	size_t len;
	bool is_plain;        /* unquoted scalar: may be null/number */
	struct ynode **items; /* sequence items, or map keys and values
	                       * interleaved: key0, value0, key1, ... */
	size_t nitems;
};

/* Limits on a YAML file (README, "Limits"): deeper nesting, longer
 * strings and larger collections are rejected with a diagnostic. */
#define YNODE_MAX_DEPTH  64
#define YNODE_MAX_STRING (64 * 1024)
#define YNODE_MAX_KEYS   1000
#define YNODE_MAX_ITEMS  1000000

/*
 * Parses text (len bytes, the contents of file) into a tree whose nodes
 * live in the arena nodes, which the caller frees once it has read what
 * it needs, and whose strings live in the job's arena.  Reports syntax errors,
 * invalid UTF-8, aliases, tags, duplicate keys and excessive nesting; returns
 * NULL after reporting.
 */
struct ynode *load_yaml_parse(struct job *, struct arena *nodes,
                              const char *file, const char *text, size_t len);

/*
 * Reads and parses a YAML file whose top level must be a mapping; must_be
 * is the start of the message when it is not ("a template must be a
 * mapping").  The file's text and the nodes go to the arena nodes, as in
 * load_yaml_parse().  Returns NULL after reporting.
 */
struct ynode *load_yaml_file(struct job *, struct arena *nodes,
                             const char *path, const char *must_be);
/*
 * Warns once each about a UTF-8 byte order mark at the start of text and
 * about carriage returns (CRLF line ends), which are read but are worth
 * knowing about in a file under version control.
 */
void load_warn_bom_crlf(struct diag *, const char *file, const char *text,
                        size_t len);

/* Reports text that starts with a UTF-16 byte order mark. */
bool load_is_utf16(struct diag *, const char *file, const char *text,
                   size_t len);

/* Errors and system errors reported so far. */
size_t load_errors(const struct job *);

/* True for a plain scalar spelling null ("", "~", "null", "Null", "NULL"). */
bool load_is_null(const struct ynode *);
/* Human name of a node's type for messages ("a mapping"). */
const char *load_kind(const struct ynode *);

/*
 * Checks that every key of map is one of keys[0..n) and reports the others
 * ("unknown key ... did you mean ..."); where names the mapping.
 */
void load_keys(struct job *, const struct ynode *map, const char *const *keys,
               size_t n, const char *where);
/* The value of key in map, or NULL when absent. */
const struct ynode *load_get(const struct ynode *map, const char *key);
/* The key node for key (for locations), or NULL. */
const struct ynode *load_key(const struct ynode *map, const char *key);
/*
 * Reads a string: absent keys leave s NULL with present false; null gives
 * s NULL with present true.  required reports absence and null.
 */
struct str load_str(struct job *, const struct ynode *map, const char *key,
                    bool required, const char *where);
/* Requires value to be a sequence (or absent when !required). */
const struct ynode *load_seq(struct job *, const struct ynode *map,
                             const char *key, bool required, const char *where);
const struct ynode *load_map(struct job *, const struct ynode *map,
                             const char *key, bool required, const char *where);
/* Reads a length like "12pt", "2.5cm", "20mm", "1in" or a bare number of
 * points into milli-points; returns false after reporting. */
bool load_length(struct job *, const struct ynode *, int32_t *mpt);

#endif
