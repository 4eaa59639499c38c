/*
 * Load stage: reading typed values out of the YAML tree, with a precise
 * diagnostic for every key that is unknown, missing or of the wrong type.
 */
#include "load_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t
load_errors(const struct job *job)
{
	return job->diag->count[DIAG_ERROR] + job->diag->count[DIAG_SYSTEM];
}

void
load_keys(struct job *job, const struct ynode *map, const char *const *keys,
          size_t n, const char *where)
{
	for (size_t i = 0; i < map->nitems; i += 2) {
		const struct ynode *k = map->items[i];
		bool known = false;
		for (size_t j = 0; j < n && !known; j++)
			known = keys[j] != NULL && strcmp(k->str, keys[j]) == 0;
		if (known)
			continue;
		const char *best = NULL;
		size_t best_d = 3;
		for (size_t j = 0; j < n; j++) {
			if (keys[j] == NULL)
				continue;
			size_t d = diag_distance(k->str, keys[j]);
			if (d < best_d) {
				best_d = d;
				best = keys[j];
			}
		}
		if (best != NULL)
			diag_error(job->diag, k->loc,
			           "unknown key \"%s\" in %s; did you mean "
			           "\"%s\"?",
			           k->str, where, best);
		else
			diag_error(job->diag, k->loc,
			           "unknown key \"%s\" in %s", k->str, where);
	}
}

const struct ynode *
load_key(const struct ynode *map, const char *key)
{
	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nitems; i += 2)
		if (strcmp(map->items[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}

const struct ynode *
load_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nitems; i += 2)
		if (strcmp(map->items[i]->str, key) == 0)
			return map->items[i + 1];
	return NULL;
}

struct str
load_str(struct job *job, const struct ynode *map, const char *key,
         bool required, const char *where)
{
	struct str s = {.loc = map->loc};
	const struct ynode *v = load_get(map, key);
	if (v == NULL) {
		if (required)
			diag_error(job->diag, map->loc,
			           "%s is missing the required key \"%s\"",
			           where, key);
		return s;
	}
	s.present = true;
	s.loc = v->loc;
	if (v->type != YNODE_SCALAR) {
		diag_error(job->diag, v->loc, "\"%s\" must be a string, not %s",
		           key, load_kind(v));
		return s;
	}
	if (load_is_null(v)) {
		if (required)
			diag_error(job->diag, v->loc,
			           "\"%s\" must not be empty", key);
		return s;
	}
	s.s = v->str;
	return s;
}

static const struct ynode *
get_typed(struct job *job, const struct ynode *map, const char *key,
          bool required, const char *where, enum ynode_type type)
{
	const struct ynode *v = load_get(map, key);
	if (v == NULL) {
		if (required)
			diag_error(job->diag, map->loc,
			           "%s is missing the required key \"%s\"",
			           where, key);
		return NULL;
	}
	if (v->type != type) {
		diag_error(job->diag, v->loc, "\"%s\" must be %s, not %s", key,
		           type == YNODE_SEQ ? "a list" : "a mapping",
		           load_kind(v));
		return NULL;
	}
	return v;
}

const struct ynode *
load_seq(struct job *job, const struct ynode *map, const char *key,
         bool required, const char *where)
{
	return get_typed(job, map, key, required, where, YNODE_SEQ);
}

const struct ynode *
load_map(struct job *job, const struct ynode *map, const char *key,
         bool required, const char *where)
{
	return get_typed(job, map, key, required, where, YNODE_MAP);
}

bool
load_length(struct job *job, const struct ynode *v, int32_t *mpt)
{
	if (v->type != YNODE_SCALAR || load_is_null(v)) {
		diag_error(job->diag, v->loc,
		           "expected a length such as \"12pt\" or \"20mm\", "
		           "not %s",
		           load_kind(v));
		return false;
	}
	char *end;
	double x = strtod(v->str, &end);
	double scale;
	if (end == v->str || !isfinite(x) || x < 0 || x > 10000)
		goto bad;
	if (*end == '\0' || strcmp(end, "pt") == 0)
		scale = 1000.0;
	else if (strcmp(end, "mm") == 0)
		scale = 1000.0 * 72.0 / 25.4;
	else if (strcmp(end, "cm") == 0)
		scale = 1000.0 * 72.0 / 2.54;
	else if (strcmp(end, "in") == 0)
		scale = 72000.0;
	else
		goto bad;
	*mpt = (int32_t)lround(x * scale);
	return true;
bad:
	diag_error(job->diag, v->loc,
	           "\"%s\" is not a length (use pt, mm, cm or in)", v->str);
	return false;
}

void
load_warn_bom_crlf(struct diag *d, const char *file, const char *text,
                   size_t len)
{
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		diag_warning(d, (struct loc){file, 1, 1},
		             "the file starts with a byte order mark; it is "
		             "ignored");
	const char *cr = memchr(text, '\r', len);
	if (cr != NULL)
		diag_warning(d,
		             diag_offset_loc(file, text, (size_t)(cr - text)),
		             (size_t)(cr - text) + 1 < len && cr[1] == '\n'
		                 ? "the file has Windows (CRLF) line ends; "
		                   "they are read as line feeds"
		                 : "carriage return without a line feed; it "
		                   "is read as a line end");
}

bool
load_is_utf16(struct diag *d, const char *file, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	bool le = len >= 2 && u[0] == 0xFF && u[1] == 0xFE;
	bool be = len >= 2 && u[0] == 0xFE && u[1] == 0xFF;
	if (!le && !be)
		return false;
	diag_error(d, (struct loc){file, 1, 1},
	           "the file is UTF-16 (%s); save it as UTF-8",
	           le ? "little-endian" : "big-endian");
	return true;
}
