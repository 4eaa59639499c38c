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
#include "typeset_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/mem.h"
#include "../base/sha256.h"
#include "hyphen_baked.h"

struct hyphenator {
	HyphenDict *dict;
	HyphenState *states; /* the baked dictionary's, or NULL when dict
	                      * is libhyphen's own */
};

bool
hyphen_baked_layout(HyphenDict **dict, HyphenState **states)
{
	const struct hyphen_baked *b = &hyphen_baked;
	*dict = NULL;
	*states = NULL;
	if (b->nlevels == 0)
		return false;
	*dict = mem_zalloc((size_t)b->nlevels, sizeof **dict);
	*states = mem_zalloc(b->nstates, sizeof **states);
	for (int l = 0; l < b->nlevels; l++) {
		const struct hb_level *lv = &b->levels[l];
		HyphenDict *d = &(*dict)[l];
		d->lhmin = lv->lhmin;
		d->rhmin = lv->rhmin;
		d->clhmin = lv->clhmin;
		d->crhmin = lv->crhmin;
		d->nohyphen = lv->nohyphen < 0 ? NULL : b->pool + lv->nohyphen;
		d->nohyphenl = lv->nohyphenl;
		d->num_states = lv->num_states;
		memcpy(d->cset, lv->cset, sizeof d->cset);
		d->utf8 = lv->utf8;
		d->states = *states + lv->states;
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
	return true;
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

struct hyphenator *
hyphen_open(const char *path)
{
	HyphenDict *d;
	HyphenState *states = NULL;
	if (!hyphen_baked_matches(path) || !hyphen_baked_layout(&d, &states))
		d = hnj_hyphen_load(path);
	if (d == NULL)
		return NULL;
	struct hyphenator *h = mem_zalloc(1, sizeof *h);
	h->dict = d;
	h->states = states;
	return h;
}

bool
hyphen_is_baked(const struct hyphenator *h)
{
	return h != NULL && h->states != NULL;
}

void
hyphen_close(struct hyphenator *h)
{
	if (h == NULL)
		return;
	if (h->states != NULL) {
		free(h->states);
		free(h->dict);
	} else {
		hnj_hyphen_free(h->dict);
	}
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
