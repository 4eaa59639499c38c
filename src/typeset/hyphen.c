/*
 * Typeset stage: hyphenation points from libhyphen and Debian's
 * hyph_en_US patterns.  Words in other scripts or with digits are left
 * alone.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <ctype.h>
#include <hyphen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct hyphenator {
	HyphenDict *dict;
};

struct hyphenator *
hyphen_open(const char *path)
{
	HyphenDict *d = hnj_hyphen_load(path);
	if (d == NULL)
		return NULL;
	struct hyphenator *h = malloc(sizeof *h);
	if (h == NULL) {
		hnj_hyphen_free(d);
		return NULL;
	}
	h->dict = d;
	return h;
}

/* Patterns being read on a thread of their own (typeset.h). */
struct hyphen_load {
	pthread_t thread;
	bool started;
	const char *path;
	struct hyphenator *h; /* the result, once joined */
};

static void *
load_thread(void *arg)
{
	struct hyphen_load *hl = arg;
	hl->h = hyphen_open(hl->path);
	return NULL;
}

struct hyphen_load *
typeset_hyphen_prefetch(const struct tmpl *t)
{
	if (!t->hyphenate)
		return NULL;
	struct hyphen_load *hl = calloc(1, sizeof *hl);
	if (hl == NULL)
		return NULL; /* typeset_doc() reads them itself */
	hl->path = HYPHEN_PATTERNS;
	hl->started = pthread_create(&hl->thread, NULL, load_thread, hl) == 0;
	return hl;
}

struct hyphenator *
hyphen_take(struct hyphen_load *hl)
{
	if (hl == NULL)
		return NULL;
	if (hl->started)
		pthread_join(hl->thread, NULL);
	else
		hl->h = hyphen_open(hl->path);
	struct hyphenator *h = hl->h;
	free(hl);
	return h;
}

void
typeset_hyphen_abandon(struct hyphen_load *hl)
{
	hyphen_close(hyphen_take(hl));
}

void
hyphen_close(struct hyphenator *h)
{
	if (h == NULL)
		return;
	hnj_hyphen_free(h->dict);
	free(h);
}

int
hyphen_points(struct hyphenator *h, const char *word, size_t len,
              uint8_t *points)
{
	memset(points, 0, len);
	if (h == NULL || len < 6 || len > 60)
		return 0;
	char lower[64];
	for (size_t i = 0; i < len; i++) {
		if (!isalpha((unsigned char)word[i]))
			return 0;
		lower[i] = (char)tolower((unsigned char)word[i]);
	}
	lower[len] = '\0';
	/* Acronyms and names in capitals stay whole. */
	if (isupper((unsigned char)word[1]))
		return 0;
	char hy[72];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	if (hnj_hyphen_hyphenate2(h->dict, lower, (int)len, hy, NULL, &rep,
	                          &pos, &cut) != 0)
		return 0;
	if (rep != NULL) {
		for (size_t i = 0; i < len; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
		return 0; /* non-standard hyphenation: leave the word whole */
	}
	int n = 0;
	/* At least two letters before and three after a hyphen. */
	for (size_t i = 1; i + 3 < len; i++)
		if (hy[i] & 1) {
			points[i] = 1;
			n++;
		}
	return n;
}
