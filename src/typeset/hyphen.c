/*
 * Typeset stage: hyphenation points from libhyphen and the patterns of
 * Debian's hyphen-* packages, one file per language, found by its tag
 * and converted to UTF-8 as they are read.  Words with digits or in
 * scripts other than Latin, Greek and Cyrillic are left alone.
 *
 * English is the common case: Debian's hyph_en_US patterns.  Parsing
 * them takes about 10 ms, as long as the rest of a short briefing, so the
 * build parses them once (hyphen_gen.c) and the program uses that
 * dictionary while the file is unchanged.  The file stays the
 * authority: missing, it means no hyphenation; changed since the build
 * (a newer hyphen-en-us), it is parsed as it is.
 */
#include "typeset_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <hyphen.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "../base/lang.h"
#include "../base/mem.h"
#include "../base/utf8.h"
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
	 * read it then.  Otherwise all of it, hashed with XXH3 (SHA-256 took
	 * a twentieth of the sample's build). */
	struct stat st;
	bool same = false;
	XXH3_state_t *x = XXH3_createState();
	if (x != NULL && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size == hyphen_baked.len) {
		char buf[16384];
		size_t n = 0;
		ssize_t r;
		(void)XXH3_128bits_reset(x);
		while ((r = read(fd, buf, sizeof buf)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			(void)XXH3_128bits_update(x, buf, (size_t)r);
			n += (size_t)r;
		}
		if (r == 0 && n == hyphen_baked.len) {
			XXH128_canonical_t c;
			char hex[33];
			XXH128_canonicalFromHash(&c, XXH3_128bits_digest(x));
			for (size_t i = 0; i < sizeof c.digest; i++)
				snprintf(hex + 2 * i, 3, "%02x", c.digest[i]);
			same = strcmp(hex, hyphen_baked.digest) == 0;
		}
	}
	XXH3_freeState(x);
	close(fd);
	return same;
}

/* Whether path names a regular file (or a link to one). */
static bool
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Regions whose code is not the language's in capitals. */
static const char *const usual_region[][2] = {
    {"be", "BY"}, {"cs", "CZ"}, {"da", "DK"}, {"el", "GR"}, {"en", "US"},
    {"et", "EE"}, {"ga", "IE"}, {"nb", "NO"}, {"nn", "NO"}, {"sl", "SI"},
    {"sr", "RS"}, {"sv", "SE"}, {"uk", "UA"},
};

/*
 * The patterns of language name ("sr", or with its script "sr-Latn") in
 * dir: hyph_NAME_CC.dic for the region cc, then the usual region's, then
 * hyph_NAME.dic, then any hyph_NAME_*.dic, the first by name.
 */
static bool
find_named(const char *dir, const char *name, const char *cc, const char *usual,
           char *path, size_t size)
{
	/* hyph_ll_CC.dic, hyph_ll_<usual>.dic, hyph_ll.dic */
	const char *const regions[] = {cc, usual, NULL};
	for (size_t i = 0; i < 3; i++) {
		if (regions[i] != NULL && regions[i][0] == '\0')
			continue;
		int w = regions[i] != NULL
		            ? snprintf(path, size, "%s/hyph_%s_%s.dic", dir,
		                       name, regions[i])
		            : snprintf(path, size, "%s/hyph_%s.dic", dir, name);
		if (w > 0 && (size_t)w < size && is_file(path))
			return true;
	}
	/* Any region: the first in the order of their names. */
	char pattern[512];
	glob_t g;
	bool found = false;
	snprintf(pattern, sizeof pattern, "%s/hyph_%s_*.dic", dir, name);
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && !found; i++)
			if (strlen(g.gl_pathv[i]) < size &&
			    is_file(g.gl_pathv[i])) {
				strcpy(path, g.gl_pathv[i]);
				found = true;
			}
		globfree(&g);
	}
	return found;
}

bool
hyphen_find(const char *dir, const char *tag, char *path, size_t size)
{
	char ll[4] = "", cc[4] = "", usual[4] = "", script[5] = "";
	size_t n = strcspn(tag, "-");
	if (n < 2 || n > 3)
		return false;
	memcpy(ll, tag, n);
	/* The region: 2 letters after the language and maybe a script. */
	for (const char *p = tag + n; *p == '-';) {
		size_t k = strcspn(p + 1, "-");
		if (k == 2 && isalpha((unsigned char)p[1])) {
			memcpy(cc, p + 1, 2);
			break;
		}
		if (k != 4)
			break;
		if (script[0] == '\0')
			memcpy(script, p + 1, 4);
		p += 1 + k;
	}
	for (size_t i = 0; i < n; i++)
		usual[i] = (char)toupper((unsigned char)ll[i]);
	for (size_t i = 0; i < sizeof usual_region / sizeof *usual_region; i++)
		if (strcmp(ll, usual_region[i][0]) == 0)
			strcpy(usual, usual_region[i][1]);
	/* A script names files of its own first: hyphen-sr has
	 * hyph_sr-Latn_RS.dic beside the Cyrillic hyph_sr_RS.dic. */
	char with[10];
	snprintf(with, sizeof with, "%s-%s", ll, script);
	return (script[0] != '\0' &&
	        find_named(dir, with, cc, usual, path, size)) ||
	       find_named(dir, ll, cc, usual, path, size);
}

/*
 * The rest of f (after its first line) converted from charset to UTF-8,
 * after a first line "UTF-8"; NULL when iconv knows no such charset or
 * the text is not in it.  *len is the length.
 */
static char *
to_utf8(FILE *f, const char *charset, size_t *len)
{
	/* Debian's files name Windows code pages as OpenOffice did. */
	if (strncmp(charset, "microsoft-", 10) == 0)
		charset += 10;
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *in = mem_alloc(cap, 1);
	size_t r;
	while ((r = fread(in + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			in = mem_realloc(in, cap *= 2, 1);
	}
	/* A byte of a single-byte charset is at most 4 in UTF-8. */
	size_t outcap = 6 + 4 * n + 1;
	char *out = mem_alloc(outcap, 1);
	memcpy(out, "UTF-8\n", 6);
	char *ip = in, *op = out + 6;
	size_t il = n, ol = outcap - 7;
	bool ok = !ferror(f) && iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
	          iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1;
	iconv_close(cd);
	free(in);
	if (!ok) {
		free(out);
		return NULL;
	}
	*len = (size_t)(op - out);
	*op = '\0';
	return out;
}

/* Whether line[0..n) is one of libhyphen's keywords, not a pattern. */
static bool
is_keyword(const char *line, size_t n)
{
	static const char *const words[] = {
	    "LEFTHYPHENMIN",          "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
	    "COMPOUNDRIGHTHYPHENMIN", "NOHYPHEN",       "NEXTLEVEL"};
	if (n > 0 && line[0] == '%')
		return true; /* a comment */
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (n >= strlen(words[i]) &&
		    memcmp(line, words[i], strlen(words[i])) == 0)
			return true;
	return false;
}

/* The key libhyphen files a pattern under: its letters, to a space or
 * "/", without the digits ("a1b2c/..." is "abc"); written to key, which
 * has room for n bytes; returns its length. */
static size_t
pattern_key(const char *line, size_t n, char *key)
{
	size_t k = 0;
	for (size_t i = 0;
	     i < n && (unsigned char)line[i] > ' ' && line[i] != '/'; i++)
		if (line[i] < '0' || line[i] > '9')
			key[k++] = line[i];
	return k;
}

struct pattern_line {
	const char *s;
	size_t n;  /* with its line feed */
	int level; /* 0, or 1 after NEXTLEVEL */
	char *key; /* NULL for a keyword or comment */
	size_t nkey;
	bool keep;
};

/*
 * text[0..*len) without the patterns a later line of the same level
 * gives again: libhyphen keeps the last, and loses the memory of the
 * others.  Returns a new buffer; *len is its length.
 */
static char *
last_patterns(const char *text, size_t *len)
{
	size_t nlines = 1;
	for (size_t i = 0; i < *len; i++)
		nlines += text[i] == '\n';
	struct pattern_line *ln = mem_zalloc(nlines, sizeof *ln);
	char *keys = mem_alloc(*len + 1, 1);
	size_t n = 0, used = 0;
	int level = 0;
	for (size_t i = 0; i < *len; n++) {
		const char *e = memchr(text + i, '\n', *len - i);
		size_t end = e ? (size_t)(e - text) + 1 : *len;
		struct pattern_line *l = &ln[n];
		*l = (struct pattern_line){text + i, end - i, level,
		                           NULL,     0,       true};
		if (n > 0 && !is_keyword(l->s, l->n)) {
			l->key = keys + used;
			l->nkey = pattern_key(l->s, l->n, l->key);
			used += l->nkey;
		} else if (n > 0 && strncmp(l->s, "NEXTLEVEL", 9) == 0) {
			level++;
		}
		i = end;
	}
	/* The keys seen, from the last line up: line indexes + 1 in a
	 * table of a power of two slots, at least twice the lines. */
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	size_t *seen = mem_zalloc(cap, sizeof *seen);
	char *out = mem_alloc(*len + 1, 1);
	for (size_t i = n; i-- > 1;) {
		struct pattern_line *l = &ln[i];
		if (l->key == NULL)
			continue;
		uint64_t h = 14695981039346656037u ^ (uint64_t)l->level;
		for (size_t k = 0; k < l->nkey; k++)
			h = (h ^ (unsigned char)l->key[k]) * 1099511628211u;
		size_t at = (size_t)h & (cap - 1);
		for (; seen[at] != 0; at = (at + 1) & (cap - 1)) {
			const struct pattern_line *o = &ln[seen[at] - 1];
			if (o->level == l->level && o->nkey == l->nkey &&
			    memcmp(o->key, l->key, l->nkey) == 0) {
				l->keep = false;
				break;
			}
		}
		if (l->keep)
			seen[at] = i + 1;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (ln[i].keep) {
			memcpy(out + m, ln[i].s, ln[i].n);
			m += ln[i].n;
		}
	out[m] = '\0';
	*len = m;
	free(seen);
	free(keys);
	free(ln);
	return out;
}

/* libhyphen's dictionary from path, in UTF-8 whatever the file's
 * charset; NULL, with the charset named when that is why, if none. */
static HyphenDict *
load_utf8(const char *path, char *charset)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char cs[HYPHEN_CHARSET_MAX] = "";
	HyphenDict *d = NULL;
	if (fgets(cs, sizeof cs, f) != NULL) {
		cs[strcspn(cs, " \t\r\n")] = '\0';
		size_t len = 0;
		/* UTF-8 too: iconv checks it. */
		char *text = to_utf8(f, cs, &len);
		char *last = text ? last_patterns(text, &len) : NULL;
		FILE *m = last ? fmemopen(last, len, "r") : NULL;
		if (m != NULL) {
			d = hnj_hyphen_load_file(m);
			fclose(m);
		} else if (charset != NULL && text == NULL) {
			strcpy(charset, cs);
		}
		free(last);
		free(text);
	}
	fclose(f);
	return d;
}

struct hyphenator *
hyphen_open(const char *path, char *charset)
{
	HyphenDict *d;
	HyphenState *states = NULL;
	if (charset != NULL)
		charset[0] = '\0';
	if (!hyphen_baked_matches(path) || !hyphen_baked_layout(&d, &states))
		d = load_utf8(path, charset);
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

/* Frees what libhyphen gives for a word with non-standard hyphens. */
static void
free_rep(char **rep, int *pos, int *cut, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rep[i]);
	free(rep);
	free(pos);
	free(cut);
}

/* hyphen_points() for a word of ASCII letters: the common case. */
static int
ascii_points(struct hyphenator *h, const char *word, size_t len,
             uint8_t *points)
{
	if (len > 60)
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
		free_rep(rep, pos, cut, len);
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

int
hyphen_points(struct hyphenator *h, const char *word, size_t len,
              uint8_t *points)
{
	memset(points, 0, len);
	if (h == NULL || len < 6 || len > HYPHEN_MAX_BYTES)
		return 0;
	size_t i = 0;
	while (i < len && !(word[i] & 0x80))
		i++;
	if (i == len)
		return ascii_points(h, word, len, points);
	/* Every dictionary is in UTF-8 (load_utf8()), and libhyphen then
	 * answers per character, not per byte. */
	if (!h->dict->utf8)
		return 0;
	char lower[HYPHEN_MAX_BYTES + 4];
	size_t ends[61]; /* where each letter ends in word */
	size_t n = 0, m = 0;
	enum lang_script first = SCRIPT_NONE;
	for (i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(word + i, len - i, &cp);
		enum lang_script sc = k ? lang_script(cp) : SCRIPT_NONE;
		if (n == 0)
			first = sc;
		if (n == 60 || sc != first ||
		    (sc != SCRIPT_LATIN && sc != SCRIPT_GREEK &&
		     sc != SCRIPT_CYRILLIC))
			return 0;
		uint32_t lc = lang_lower(cp);
		if (n == 1 && lc != cp)
			return 0; /* acronyms and names in capitals */
		m += utf8_encode(lc, lower + m);
		i += k;
		ends[n++] = i;
	}
	if (n < 6 || m > HYPHEN_MAX_BYTES)
		return 0;
	lower[m] = '\0';
	char hy[HYPHEN_MAX_BYTES + 8];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	if (hnj_hyphen_hyphenate2(h->dict, lower, (int)m, hy, NULL, &rep, &pos,
	                          &cut) != 0)
		return 0;
	if (rep != NULL) {
		free_rep(rep, pos, cut, m);
		return 0;
	}
	int count = 0;
	for (size_t c = 1; c + 3 < n; c++)
		if (hy[c] & 1) {
			points[ends[c] - 1] = 1;
			count++;
		}
	return count;
}

/* The script of the character at text[i..len), SCRIPT_NONE when it is not
 * valid UTF-8. */
static enum lang_script
script_at(const char *text, size_t i, size_t len)
{
	uint32_t cp;
	return utf8_decode(text + i, len - i, &cp) ? lang_script(cp)
	                                           : SCRIPT_NONE;
}

static bool
is_letter(enum lang_script s)
{
	return s != SCRIPT_NONE && s != SCRIPT_MARK;
}

void
hyphen_trim(const char *text, size_t *s, size_t *e)
{
	while (*s < *e && !is_letter(script_at(text, *s, *e))) {
		uint32_t cp;
		size_t k = utf8_decode(text + *s, *e - *s, &cp);
		*s += k ? k : 1;
	}
	while (*e > *s) {
		size_t b = *e - 1;
		while (b > *s && ((unsigned char)text[b] & 0xC0) == 0x80)
			b--;
		if (is_letter(script_at(text, b, *e)))
			break;
		*e = b;
	}
}

enum lang_script
hyphen_script(const char *word, size_t len)
{
	enum lang_script script = SCRIPT_NONE;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(word + i, len - i, &cp);
		enum lang_script s = k ? lang_script(cp) : SCRIPT_NONE;
		/* Right to left anywhere: the word is never hyphenated. */
		if (lang_script_is_rtl(s))
			return s;
		if (!is_letter(s) || (script != SCRIPT_NONE && s != script))
			return SCRIPT_NONE;
		script = s;
		i += k;
	}
	return script;
}
