/*
 * Names of the enumerations in the fact model, shared by check (which
 * parses them) and compose (which prints them).
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/utf8.h"

const char *const model_precondition_status_names[PRE__MAX] = {
    [PRE_STATED] = "stated",     [PRE_MET] = "met",   [PRE_UNMET] = "unmet",
    [PRE_REJECTED] = "rejected", [PRE_OPEN] = "open",
};

const char *const model_breach_status_names[BREACH__MAX] = {
    [BREACH_CONFIRMED] = "confirmed",
    [BREACH_DISPUTED] = "disputed",
    [BREACH_DENIED] = "denied",
    [BREACH_UNVERIFIED] = "unverified",
};

const char *const model_call_kind_names[CALL__MAX] = {
    [CALL_UNSTATED] = "",        [CALL_PHONE] = "phone call",
    [CALL_VIDEO] = "video call", [CALL_MEETING] = "meeting",
    [CALL_LETTER] = "letter",
};

const char *const model_attribution_names[ATTR__MAX] = {
    [ATTR_NONE] = "",
    [ATTR_OFFICIAL] = "official",
    [ATTR_ON_RECORD] = "on-record",
    [ATTR_ANONYMOUS] = "anonymous",
    [ATTR_ONE_SIDE] = "one-side",
};

static int
by_id(const void *a, const void *b)
{
	const struct source *x = *(const struct source *const *)a;
	const struct source *y = *(const struct source *const *)b;
	int c = strcmp(x->id.s, y->id.s);
	return c ? c : (x > y) - (x < y);
}

void
model_index_sources(struct model *m, struct arena *a)
{
	m->source_index = arena_array(a, m->nsources ? m->nsources : 1,
	                              sizeof *m->source_index);
	m->nsource_index = 0;
	for (size_t i = 0; i < m->nsources; i++)
		if (m->sources[i].id.s != NULL)
			m->source_index[m->nsource_index++] = &m->sources[i];
	qsort(m->source_index, m->nsource_index, sizeof *m->source_index,
	      by_id);
}

/* strcmp() of the NUL-terminated id against key[0..len). */
static int
cmp_key(const char *id, const char *key, size_t len)
{
	int c = strncmp(id, key, len);
	return c ? c : (id[len] != '\0');
}

struct source *
model_find_source(const struct model *m, const char *key, size_t len)
{
	if (m->source_index == NULL) {
		for (size_t i = 0; i < m->nsources; i++) {
			const char *id = m->sources[i].id.s;
			if (id && cmp_key(id, key, len) == 0)
				return &m->sources[i];
		}
		return NULL;
	}
	size_t lo = 0, hi = m->nsource_index;
	while (lo < hi) { /* the first entry not below key */
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_key(m->source_index[mid]->id.s, key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->nsource_index &&
	    cmp_key(m->source_index[lo]->id.s, key, len) == 0)
		return m->source_index[lo];
	return NULL;
}

const char *
model_hidden_in_id(struct arena *a, const char *key, size_t len,
                   const char **visible)
{
	uint32_t cp;
	size_t at = utf8_find_invisible(key, len, &cp);
	if (at == len)
		return NULL;
	const char *hint =
	    arena_printf(a, "it contains U+%04X %s, which does not show",
	                 (unsigned)cp, utf8_invisible(cp));
	char *v = arena_alloc(a, len + 1);
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_decode(key + i, len - i, &cp);
		bool keep = n == 0 || utf8_invisible(cp) == NULL;
		n = n ? n : 1;
		if (keep) {
			memcpy(v + k, key + i, n);
			k += n;
		}
		i += n;
	}
	v[k] = '\0';
	*visible = v;
	return hint;
}

/* Of the n ids at ids (stride bytes apart), the one nearest key: at most
 * one edit in three letters (two at most), so that "ua" is not taken for
 * "us"; NULL if none is that near. */
static const char *
nearest(const char *key, const struct str *ids, size_t n, size_t stride)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < n; i++) {
		const struct str *id =
		    (const struct str *)((const char *)ids + i * stride);
		if (id->s == NULL)
			continue;
		size_t d = diag_distance(key, id->s);
		if (d < best_d && d * 3 <= strlen(key)) {
			best_d = d;
			best = id->s;
		}
	}
	return best;
}

const char *
model_nearest_party(const struct model *m, const char *key)
{
	return m->nparties ? nearest(key, &m->parties[0].id, m->nparties,
	                             sizeof m->parties[0])
	                   : NULL;
}

const char *
model_nearest_source(const struct model *m, const char *key)
{
	return m->nsources ? nearest(key, &m->sources[0].id, m->nsources,
	                             sizeof m->sources[0])
	                   : NULL;
}
