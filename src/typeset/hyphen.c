/*
 * Typeset stage: hyphenation points from libhyphen and Debian's
 * hyph_en_US patterns.  Words in other scripts or with digits are left
 * alone.
 *
 * Parsing the patterns takes about 10 ms, as long as the rest of a short
 * briefing, so the build parses them once (hyphen_gen.c) and the program
 * uses that dictionary while the file is unchanged.  The file stays the
 * authority: missing, it means no hyphenation; changed since the build
 * (a newer hyphen-en-us), it is parsed as it is.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hyphen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/sha256.h"
#include "../base/task.h"
#include "hyphen_baked.h"

struct hyphenator {
	HyphenDict *dict;
	bool baked; /* dict is hyphen_baked's: not ours to free */
};

static struct hyphenator *
hyphen_new(HyphenDict *d, bool baked)
{
	struct hyphenator *h = malloc(sizeof *h);
	if (h == NULL)
		return NULL;
	h->dict = d;
	h->baked = baked;
	return h;
}

/* Lays out hyphen_baked as libhyphen's structures: no parsing and no
 * allocation, some 16,000 states, about 0.1 ms. */
static void
baked_layout(void)
{
	const struct hyphen_baked *b = &hyphen_baked;
	for (int l = 0; l < b->nlevels; l++) {
		const struct hb_level *lv = &b->levels[l];
		HyphenDict *d = &b->dict[l];
		d->lhmin = lv->lhmin;
		d->rhmin = lv->rhmin;
		d->clhmin = lv->clhmin;
		d->crhmin = lv->crhmin;
		d->nohyphen = lv->nohyphen < 0 ? NULL : b->pool + lv->nohyphen;
		d->nohyphenl = lv->nohyphenl;
		d->num_states = lv->num_states;
		memcpy(d->cset, lv->cset, sizeof d->cset);
		d->utf8 = lv->utf8;
		d->states = b->state + lv->states;
		d->nextlevel = l + 1 < b->nlevels ? d + 1 : NULL;
		for (int i = 0; i < lv->num_states; i++) {
			const struct hb_state *hs = &b->states[lv->states + i];
			HyphenState *st = &d->states[i];
			st->match = hs->match < 0 ? NULL : b->pool + hs->match;
			st->repl = hs->repl < 0 ? NULL : b->pool + hs->repl;
			st->replindex = hs->replindex;
			st->replcut = hs->replcut;
			st->fallback_state = hs->fallback_state;
			st->num_trans = hs->num_trans;
			st->trans = hs->trans < 0 ? NULL : b->trans + hs->trans;
		}
	}
}

HyphenDict *
hyphen_baked_dict(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (hyphen_baked.nlevels == 0)
		return NULL;
	pthread_once(&once, baked_layout);
	return hyphen_baked.dict;
}

bool
hyphen_baked_matches(const char *path)
{
	if (hyphen_baked.nlevels == 0)
		return false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* A new package almost always changes the length: no need to
	 * read it then.  Otherwise all of it, about 0.1 ms. */
	struct stat st;
	bool same = false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size == hyphen_baked.len) {
		struct sha256 s;
		char buf[16384];
		size_t n = 0;
		ssize_t r;
		sha256_init(&s);
		while ((r = read(fd, buf, sizeof buf)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			sha256_add(&s, buf, (size_t)r);
			n += (size_t)r;
		}
		if (r == 0 && n == hyphen_baked.len) {
			char hex[65];
			sha256_hex(&s, hex);
			same = strcmp(hex, hyphen_baked.sha256) == 0;
		}
	}
	close(fd);
	return same;
}

/* The patterns at path parsed by libhyphen, as when nothing is baked. */
static struct hyphenator *
hyphen_parse(const char *path)
{
	HyphenDict *d = hnj_hyphen_load(path);
	if (d == NULL)
		return NULL;
	struct hyphenator *h = hyphen_new(d, false);
	if (h == NULL)
		hnj_hyphen_free(d);
	return h;
}

struct hyphenator *
hyphen_open(const char *path)
{
	if (hyphen_baked_matches(path))
		return hyphen_new(hyphen_baked_dict(), true);
	return hyphen_parse(path);
}

bool
hyphen_is_baked(const struct hyphenator *h)
{
	return h != NULL && h->baked;
}

/* Patterns being read on a thread of their own (typeset.h). */
struct hyphen_load {
	struct task task;
	const char *path;
	struct hyphenator *h; /* the result, once joined */
};

static void
load_task(void *arg)
{
	struct hyphen_load *hl = arg;
	hl->h = hyphen_open(hl->path);
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
	/* Recognising the build's patterns (reading the file, 0.2 ms) and
	 * laying them out (0.6 ms), or parsing them, is done on a thread
	 * while the fact file loads. */
	task_start(&hl->task, load_task, hl);
	return hl;
}

struct hyphenator *
hyphen_take(struct hyphen_load *hl)
{
	if (hl == NULL)
		return NULL;
	task_wait(&hl->task);
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
	if (!h->baked)
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
