/*
 * Load stage: the recipients file of "build --copies", a list of the
 * people and bodies that receive a numbered copy.  Reported like the fact
 * file: every problem at its FILE:LINE:COL, then false.
 */
#include "load.h"
#include "load_int.h"

#include <stdlib.h>
#include <string.h>

#include "../base/fileio.h"
#include "../base/mem.h"
#include "../base/utf8.h"
#include "../recipients.h"

#define NKEYS(a) (sizeof(a) / sizeof(a)[0])

static const char *const top_keys[] = {"recipients"};
static const char *const recipient_keys[] = {"name", "organisation", "file"};

static bool
is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ')
			return false;
	return true;
}

/* Printed strings must stay on their line: no breaks, tabs or controls. */
static bool
is_one_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return false;
	return true;
}

/* Checks a printed string: present ones must be one non-blank line. */
static void
check_text(struct job *job, const struct str *s, const char *key)
{
	if (s->s == NULL)
		return;
	if (!is_one_line(s->s))
		diag_error(job->diag, s->loc,
		           "\"%s\" must be one line of text, without line "
		           "breaks or tabs",
		           key);
	else if (is_blank(s->s))
		diag_error(job->diag, s->loc, "\"%s\" is blank", key);
}

static bool
is_stem(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return true;
}

/* Latin letters with diacritics, folded to ASCII for file names. */
static const struct fold {
	uint16_t from, to; /* code points, inclusive */
	const char *ascii;
} latin[] = {
    {0xC0, 0xC5, "a"},    {0xC6, 0xC6, "ae"},  {0xC7, 0xC7, "c"},
    {0xC8, 0xCB, "e"},    {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},
    {0xD1, 0xD1, "n"},    {0xD2, 0xD6, "o"},   {0xD8, 0xD8, "o"},
    {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},
    {0xDF, 0xDF, "ss"},   {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
    {0xE7, 0xE7, "c"},    {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},
    {0xF0, 0xF0, "d"},    {0xF1, 0xF1, "n"},   {0xF2, 0xF6, "o"},
    {0xF8, 0xF8, "o"},    {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},
    {0xFE, 0xFE, "th"},   {0xFF, 0xFF, "y"},   {0x100, 0x105, "a"},
    {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"},  {0x124, 0x127, "h"}, {0x128, 0x131, "i"},
    {0x132, 0x133, "ij"}, {0x134, 0x135, "j"}, {0x136, 0x138, "k"},
    {0x139, 0x142, "l"},  {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"},
    {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"},  {0x168, 0x173, "u"}, {0x174, 0x175, "w"},
    {0x176, 0x178, "y"},  {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
};

/* Cyrillic а..я (and А..Я), transliterated; "" drops the sign letters. */
static const char *const cyrillic[32] = {
    "a",  "b",  "v",  "g",    "d", "e", "zh", "z", "i",  "i",  "k",
    "l",  "m",  "n",  "o",    "p", "r", "s",  "t", "u",  "f",  "kh",
    "ts", "ch", "sh", "shch", "",  "y", "",   "e", "iu", "ia",
};

/*
 * What a character becomes in a file name: its ASCII letters, "" for
 * nothing, NULL for a word break.
 */
static const char *
fold(uint32_t cp, char *one)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		one[0] = (char)cp;
		return one;
	}
	if (cp >= 'A' && cp <= 'Z') {
		one[0] = (char)(cp - 'A' + 'a');
		return one;
	}
	for (size_t i = 0; i < NKEYS(latin); i++)
		if (cp >= latin[i].from && cp <= latin[i].to)
			return latin[i].ascii;
	if (cp >= 0x410 && cp <= 0x44F)
		return cyrillic[(cp - 0x410) % 32];
	switch (cp) {
	case 0x401:
	case 0x451:
		return "e"; /* Ё ё */
	case 0x404:
	case 0x454:
		return "ie"; /* Є є */
	case 0x406:
	case 0x456:
		return "i"; /* І і */
	case 0x407:
	case 0x457:
		return "i"; /* Ї ї */
	case 0x490:
	case 0x491:
		return "g"; /* Ґ ґ */
	case '\'':
	case 0x2BC:
	case 0x2019:
		return ""; /* apostrophes inside words */
	default:
		return NULL;
	}
}

/*
 * The default file-name stem: the name's letters folded to lower-case
 * ASCII (accents dropped, Cyrillic transliterated) and its digits, every
 * other run of characters one '-', at most 40 bytes, cut at a '-' when
 * one is near; "recipient" when nothing is left.  Copy numbers keep the
 * file names apart, so two stems may be equal.
 */
static const char *
stem_of(struct arena *a, const char *name)
{
	char buf[41];
	size_t n = 0, len = strlen(name);

	for (size_t i = 0; i < len && n < sizeof buf - 1;) {
		uint32_t cp;
		char one[2] = {0};
		size_t k = utf8_decode(name + i, len - i, &cp);
		const char *f = k ? fold(cp, one) : NULL;
		i += k ? k : 1;
		if (f == NULL) {
			if (n > 0 && buf[n - 1] != '-')
				buf[n++] = '-';
			continue;
		}
		for (; *f != '\0' && n < sizeof buf - 1; f++)
			buf[n++] = *f;
	}
	if (n == sizeof buf - 1) {
		/* Cut at the last word boundary of the second half. */
		size_t cut = n;
		while (cut > n / 2 && buf[cut - 1] != '-')
			cut--;
		if (cut > n / 2)
			n = cut;
	}
	while (n > 0 && buf[n - 1] == '-')
		n--;
	if (n == 0)
		return "recipient";
	return arena_strndup(a, buf, n);
}

static void
read_file_stem(struct job *job, const struct ynode *map, struct recipient *r)
{
	r->file = load_str(job, map, "file", false, "a recipient");
	if (r->file.present && r->file.s == NULL) {
		if (load_get(map, "file")->type == YNODE_SCALAR)
			diag_error(job->diag, r->file.loc,
			           "\"file\" must not be empty");
		return;
	}
	if (r->file.s == NULL) {
		if (r->name.s != NULL) {
			r->file.s = stem_of(job->arena, r->name.s);
			r->file.loc = r->name.loc;
		}
		return;
	}
	if (!is_stem(r->file.s))
		diag_error(job->diag, r->file.loc,
		           "file stem \"%s\" must use lower-case letters, "
		           "digits and '-' (it names the output file)",
		           r->file.s);
	else if (strlen(r->file.s) > RECIPIENTS_MAX_STEM)
		diag_error(job->diag, r->file.loc,
		           "file stem \"%s\" is longer than %d characters",
		           r->file.s, RECIPIENTS_MAX_STEM);
}

static void
read_recipient(struct job *job, const struct ynode *n, struct recipient *r)
{
	r->loc = n->loc;
	if (n->type != YNODE_MAP) {
		diag_error(
		    job->diag, n->loc,
		    "a recipient must be a mapping with \"name\", not %s",
		    load_kind(n));
		return;
	}
	load_keys(job, n, recipient_keys, NKEYS(recipient_keys), "a recipient");
	r->name = load_str(job, n, "name", true, "a recipient");
	check_text(job, &r->name, "name");
	r->organisation =
	    load_str(job, n, "organisation", false, "a recipient");
	check_text(job, &r->organisation, "organisation");
	read_file_stem(job, n, r);
}

/* strcmp() of names with ASCII letters compared without their case. */
static int
cmp_name(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y || x == '\0')
			return (x > y) - (x < y);
	}
}

/* Sorting recipients: by name, then by place in the file. */
static int
cmp_recipient(const void *pa, const void *pb)
{
	const struct recipient *a = *(const struct recipient *const *)pa;
	const struct recipient *b = *(const struct recipient *const *)pb;
	int c = cmp_name(a->name.s, b->name.s);
	return c ? c : (a > b) - (a < b);
}

/*
 * Reports every name given before (equal but for the case of ASCII
 * letters), with a note at its first.  Sorting keeps this O(n log n) for
 * lists of tens of thousands.
 */
static void
check_duplicates(struct job *job, const struct recipients *rs)
{
	const struct recipient **by_name =
	    mem_alloc(rs->n ? rs->n : 1, sizeof *by_name);
	size_t k = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->items[i].name.s != NULL)
			by_name[k++] = &rs->items[i];
	qsort(by_name, k, sizeof *by_name, cmp_recipient);
	for (size_t i = 1, first = 0; i < k; i++) {
		if (cmp_name(by_name[i]->name.s, by_name[first]->name.s) != 0) {
			first = i;
			continue;
		}
		const struct str *ni = &by_name[i]->name;
		const struct str *nj = &by_name[first]->name;
		diag_error(job->diag, ni->loc, "duplicate recipient \"%s\"",
		           ni->s);
		diag_note(job->diag, nj->loc, "\"%s\" was first given here",
		          nj->s);
	}
	free(by_name);
}

/* Reads the recipients under root; false when there is no list to read. */
static bool
read_list(struct job *job, const struct ynode *root, struct recipients *out)
{
	load_keys(job, root, top_keys, NKEYS(top_keys), "the recipients file");
	const struct ynode *seq =
	    load_seq(job, root, "recipients", true, "the recipients file");
	if (seq == NULL)
		return false;
	if (seq->nitems == 0) {
		diag_error(job->diag, seq->loc,
		           "\"recipients\" must not be empty");
		return false;
	}
	out->n = seq->nitems;
	out->items = arena_array(job->arena, out->n, sizeof *out->items);
	for (size_t i = 0; i < out->n; i++)
		read_recipient(job, seq->items[i], &out->items[i]);
	check_duplicates(job, out);
	return true;
}

bool
load_recipients(struct job *job, const char *path, struct recipients *out)
{
	size_t before = load_errors(job);
	memset(out, 0, sizeof *out);
	out->path = path;
	struct arena nodes = {0};
	struct ynode *root = load_yaml_file(
	    job, &nodes, path,
	    "the recipients file must be a mapping with \"recipients\"");
	bool ok = root != NULL && read_list(job, root, out);
	arena_free(&nodes);
	return ok && load_errors(job) == before;
}
