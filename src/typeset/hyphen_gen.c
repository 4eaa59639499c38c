/*
 * Build tool, not part of the program: reads hyphenation patterns with
 * libhyphen and writes the dictionary it built as C data, so that the
 * program need not parse the patterns on every run (hyphen.c).
 *
 *   hyphen_gen PATTERNS OUT.c
 *
 * OUT.c defines hyphen_baked (hyphen_baked.h): the XXH3-128 and length of
 * the bytes read, and libhyphen's state machine, level by level, field
 * by field as hnj_hyphen_load() left it, with indexes for pointers.  The
 * program uses it only while the file on disk has that digest.  When
 * the patterns cannot be read, OUT.c still compiles, with an empty
 * digest that matches nothing, and the program parses the patterns when
 * it runs, as it would without it.
 *
 * The Makefile builds it with the build machine's compiler and keeps it
 * out of the program.
 */
#include <errno.h>
#include <hyphen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAX_LEVELS 8 /* libhyphen makes one or two */

static FILE *out;
static size_t baked_states; /* states of all levels, put_dict() counts */

/* A byte as a C character constant: letters and digits as themselves,
 * the rest in octal, so that nothing needs escaping. */
static void
put_char(char c)
{
	unsigned char u = (unsigned char)c;
	if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
	    (u >= '0' && u <= '9'))
		fprintf(out, "'%c'", c);
	else
		fprintf(out, "'\\%03o'", u);
}

/* Where each string went in the pool of strings; -1 for none. */
struct offsets {
	long *match, *repl; /* per state of the level */
	long nohyphen;
};

/*
 * Writes s[0..n) and a NUL to the pool; returns its offset.  nohyphen is
 * several strings in one buffer ("a,b" is kept as "a\0b" with nohyphenl
 * 1), hence the length rather than strlen().
 */
static long
put_pool(long *at, const char *s, size_t n)
{
	long here = *at;
	fputs("\t", out);
	for (size_t i = 0; i < n; i++) {
		put_char(s[i]);
		fputs(i % 12 == 11 ? ",\n\t" : ", ", out);
	}
	fputs("'\\000',\n", out);
	*at += (long)n + 1;
	return here;
}

/* The length of a level's nohyphen buffer, without its final NUL. */
static size_t
nohyphen_len(const HyphenDict *d)
{
	size_t n = 0;
	for (int k = 0; k <= d->nohyphenl; k++)
		n += strlen(d->nohyphen + n) + 1;
	return n - 1;
}

/* Whether the dictionary's strings, states and transitions can be
 * counted in int32_t (hb_state), as libhyphen's own are in int. */
static int
fits(HyphenDict *const *lv, int nlv)
{
	double strings = 0, trans = 0, states = 0;
	for (int l = 0; l < nlv; l++) {
		states += lv[l]->num_states;
		for (int i = 0; i < lv[l]->num_states; i++) {
			const HyphenState *s = &lv[l]->states[i];
			trans += s->num_trans;
			strings += s->match ? (double)strlen(s->match) + 1 : 0;
			strings += s->repl ? (double)strlen(s->repl) + 1 : 0;
		}
		if (lv[l]->nohyphen != NULL)
			strings += (double)nohyphen_len(lv[l]) + 1;
	}
	return strings < INT32_MAX && trans < INT32_MAX && states < INT32_MAX;
}

/* The dictionary as hyphen_baked.h lays it out, all but hyphen_baked. */
static int
put_dict(HyphenDict *const *lv, int nlv)
{
	struct offsets off[MAX_LEVELS];
	size_t ntrans = 0, nstates = 0;
	for (int l = 0; l < nlv; l++) {
		size_t n = (size_t)lv[l]->num_states + 1;
		off[l].match = malloc(n * sizeof(long));
		off[l].repl = malloc(n * sizeof(long));
		if (off[l].match == NULL || off[l].repl == NULL)
			return 0;
		off[l].nohyphen = -1;
		nstates += (size_t)lv[l]->num_states;
		for (int i = 0; i < lv[l]->num_states; i++)
			ntrans += (size_t)lv[l]->states[i].num_trans;
	}

	/* The strings, one array for all levels.  Not const, as libhyphen
	 * wants them, but never written: the pages stay the file's. */
	long at = 0;
	fputs("static char pool[] = {\n", out);
	for (int l = 0; l < nlv; l++) {
		const HyphenDict *d = lv[l];
		for (int i = 0; i < d->num_states; i++) {
			const HyphenState *s = &d->states[i];
			off[l].match[i] =
			    s->match == NULL
			        ? -1
			        : put_pool(&at, s->match, strlen(s->match));
			off[l].repl[i] =
			    s->repl == NULL
			        ? -1
			        : put_pool(&at, s->repl, strlen(s->repl));
		}
		if (d->nohyphen != NULL)
			off[l].nohyphen =
			    put_pool(&at, d->nohyphen, nohyphen_len(d));
	}
	if (at == 0)
		fputs("\t0\n", out); /* C has no empty arrays */
	fputs("};\n\n", out);

	/* The transitions, which libhyphen uses in place. */
	fputs("static HyphenTrans trans[] = {\n", out);
	for (int l = 0; l < nlv; l++)
		for (int i = 0; i < lv[l]->num_states; i++) {
			const HyphenState *s = &lv[l]->states[i];
			for (int t = 0; t < s->num_trans; t++) {
				fputs("\t{", out);
				put_char(s->trans[t].ch);
				fprintf(out, ", %d},\n", s->trans[t].new_state);
			}
		}
	if (ntrans == 0)
		fputs("\t{0, 0}\n", out);
	fputs("};\n\n", out);

	long tr = 0;
	fputs("static const struct hb_state states[] = {\n", out);
	for (int l = 0; l < nlv; l++)
		for (int i = 0; i < lv[l]->num_states; i++) {
			const HyphenState *s = &lv[l]->states[i];
			/* libhyphen leaves replindex and replcut unset, and
			 * unread, when there is no repl: 0 keeps the output
			 * the same from one build to the next. */
			fprintf(out, "\t{%ld, %ld, %ld, %d, %d, %d, %d},\n",
			        off[l].match[i], off[l].repl[i],
			        s->num_trans > 0 ? tr : -1L, s->fallback_state,
			        s->num_trans,
			        s->repl != NULL ? s->replindex : 0,
			        s->repl != NULL ? s->replcut : 0);
			tr += s->num_trans;
		}
	fputs("};\n\n", out);

	long first = 0;
	fprintf(out, "static const struct hb_level levels[%d] = {\n", nlv);
	for (int l = 0; l < nlv; l++) {
		const HyphenDict *d = lv[l];
		fprintf(out, "\t{%d, %d, %d, %d, %ld, %d, %d,\n\t {", d->lhmin,
		        d->rhmin, d->clhmin, d->crhmin, off[l].nohyphen,
		        d->nohyphenl, d->num_states);
		for (int k = 0; k < MAX_NAME; k++) {
			put_char(d->cset[k]);
			fputs(k + 1 < MAX_NAME ? ", " : "},\n\t ", out);
		}
		fprintf(out, "%d, %ld},\n", d->utf8, first);
		first += d->num_states;
		free(off[l].match);
		free(off[l].repl);
	}
	fputs("};\n\n", out);
	baked_states = nstates;
	return 1;
}

/* Reads all of path; NULL with errno set when it cannot. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *more = realloc(buf, cap *= 2);
		if (more == NULL)
			free(buf);
		buf = more;
	}
	int bad = buf == NULL || ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hyphen_gen PATTERNS OUT.c\n");
		return 2;
	}
	const char *path = argv[1];
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", argv[2]) >= (int)sizeof tmp)
		return 2;

	/*
	 * The digest is of the bytes libhyphen parsed: it reads them from
	 * memory, not from the path again, so a file replaced in between
	 * cannot pair one file's digest with another's dictionary.
	 */
	size_t len = 0;
	char *text = slurp(path, &len);
	HyphenDict *dict = NULL;
	char hex[33] = "";
	if (text != NULL) {
		FILE *mem = fmemopen(text, len > 0 ? len : 1, "r");
		if (mem != NULL && len > 0)
			dict = hnj_hyphen_load_file(mem);
		if (mem != NULL)
			fclose(mem);
	}
	if (dict != NULL) {
		XXH128_canonical_t c;
		XXH128_canonicalFromHash(&c, XXH3_128bits(text, len));
		for (size_t i = 0; i < sizeof c.digest; i++)
			snprintf(hex + 2 * i, 3, "%02x", c.digest[i]);
	} else {
		fprintf(stderr,
		        "hyphen_gen: %s: %s; the program will parse the "
		        "patterns when it runs\n",
		        path, text == NULL ? strerror(errno) : "not patterns");
	}
	free(text);

	HyphenDict *lv[MAX_LEVELS];
	int nlv = 0;
	for (HyphenDict *d = dict; d != NULL; d = d->nextlevel) {
		if (nlv == MAX_LEVELS) {
			fprintf(stderr, "hyphen_gen: %s: more than %d levels\n",
			        path, MAX_LEVELS);
			return 1;
		}
		lv[nlv++] = d;
	}

	out = fopen(tmp, "w");
	if (out == NULL) {
		perror(tmp);
		return 1;
	}
	fprintf(out,
	        "/* Written by src/typeset/hyphen_gen.c from %s: "
	        "do not edit. */\n",
	        path);
	fputs("#include <stddef.h>\n\n#include \"hyphen_baked.h\"\n\n", out);
	int ok = 1;
	if (nlv > 0 && !fits(lv, nlv)) {
		fprintf(stderr, "hyphen_gen: %s: too large to build in\n",
		        path);
		nlv = 0;
	}
	if (nlv > 0) {
		ok = put_dict(lv, nlv);
		fprintf(out,
		        "const struct hyphen_baked hyphen_baked = {\n"
		        "\t\"%s\", %zu, %d, %zu,\n"
		        "\tlevels, states, trans, pool};\n",
		        hex, len, nlv, baked_states);
	} else {
		fputs(
		    "const struct hyphen_baked hyphen_baked = {\"\", 0, 0, 0, "
		    "NULL, NULL, NULL, NULL};\n",
		    out);
	}
	if (dict != NULL)
		hnj_hyphen_free(dict);
	ok &= !ferror(out);
	ok &= fclose(out) == 0;
	if (!ok || rename(tmp, argv[2]) != 0) {
		perror(argv[2]);
		remove(tmp);
		return 1;
	}
	return 0;
}
