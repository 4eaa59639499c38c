/*
 * Typeset stage: entry point.  Sets up the typesetter, lays the document
 * out into a vertical list and paginates it.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/mem.h"

static const char *const script_names[SCRIPT__MAX] = {
    [SCRIPT_LATIN] = "Latin",       [SCRIPT_GREEK] = "Greek",
    [SCRIPT_CYRILLIC] = "Cyrillic", [SCRIPT_ARMENIAN] = "Armenian",
    [SCRIPT_GEORGIAN] = "Georgian",
};

/* The document's language, "en" when not set. */
static const char *
doc_lang(const struct typesetter *ts)
{
	return ts->doc->lang != NULL ? ts->doc->lang : "en";
}

/*
 * The Debian package with the hyphenation patterns of language tag, in
 * buf: "hyphen-de", "hyphen-pt-br"; "" when Debian has none.
 */
static void
hyphen_package(const char *tag, char *buf, size_t n)
{
	static const char *const have[] = {
	    "af", "as", "be", "bg", "bn", "ca", "cs", "da", "de", "el", "es",
	    "fr", "gl", "gu", "hi", "hr", "hu", "id", "is", "it", "kn", "lt",
	    "lv", "ml", "mn", "mr", "nl", "no", "or", "pa", "pl", "ro", "ru",
	    "sk", "sl", "sr", "sv", "ta", "te", "th", "uk", "zu"};
	char ll[4] = {0}, cc[3] = {0};
	size_t k = strcspn(tag, "-");
	buf[0] = '\0';
	if (k > 3)
		return;
	for (size_t i = 0; i < k; i++)
		ll[i] = (char)tolower((unsigned char)tag[i]);
	/* The region, when the next subtag, or the one after a script,
	 * is one. */
	const char *r = tag[k] == '-' ? tag + k + 1 : "";
	if (strcspn(r, "-") == 4 && r[4] == '-')
		r += 5;
	if (strcspn(r, "-") == 2) {
		cc[0] = (char)tolower((unsigned char)r[0]);
		cc[1] = (char)tolower((unsigned char)r[1]);
	}
	if (strcmp(ll, "en") == 0)
		snprintf(buf, n, "hyphen-en-%s",
		         strcmp(cc, "gb") ? "us" : "gb");
	else if (strcmp(ll, "pt") == 0)
		snprintf(buf, n, "hyphen-pt-%s",
		         strcmp(cc, "br") ? "pt" : "br");
	else if (strcmp(ll, "nb") == 0 || strcmp(ll, "nn") == 0)
		snprintf(buf, n, "hyphen-no");
	else
		for (size_t i = 0; i < sizeof have / sizeof *have; i++)
			if (strcmp(ll, have[i]) == 0)
				snprintf(buf, n, "hyphen-%s", ll);
}

/*
 * Reads the patterns for tag, which words in script s are taken to be in;
 * NULL, with a warning at the word that needs them (word, in text set
 * from loc; loc itself when word is NULL), when there are none or they
 * cannot be read.
 */
static struct hyphenator *
open_lang(struct typesetter *ts, const char *tag, enum lang_script s,
          const char *word, struct loc loc)
{
	char path[512], charset[HYPHEN_CHARSET_MAX];
	bool own = strcmp(tag, doc_lang(ts)) == 0;
	struct diag *d = ts->job->diag;
	bool found = hyphen_find(HYPHEN_DIR, tag, path, sizeof path);
	struct hyphenator *h = found ? hyphen_open(path, charset) : NULL;
	if (h != NULL)
		return h;
	/* Each problem is reported once: finding its word is worth it. */
	if (word != NULL)
		loc = ts_char_loc(ts, word, loc);
	if (!found) {
		char pkg[32], how[64];
		hyphen_package(tag, pkg, sizeof pkg);
		snprintf(how, sizeof how, "%s%s",
		         pkg[0] ? "install "
		                : "Debian's hyphen-* packages "
		                  "install them",
		         pkg);
		if (own && ts->doc->lang_loc.line == 0)
			diag_warning(d, (struct loc){0},
			             "no hyphenation patterns at %s (install "
			             "hyphen-en-us); words are not hyphenated",
			             HYPHEN_PATTERNS);
		else if (own)
			diag_warning(d, ts->doc->lang_loc,
			             "no hyphenation patterns for \"%s\" in %s "
			             "(%s); words are not hyphenated",
			             tag, HYPHEN_DIR, how);
		else
			diag_warning(
			    d, loc,
			    "no hyphenation patterns for \"%s\", the "
			    "language of words in %s, in %s (%s); they "
			    "are not hyphenated",
			    tag, script_names[s], HYPHEN_DIR, how);
		return NULL;
	}
	if (charset[0] != '\0')
		diag_warning(
		    d, own ? ts->doc->lang_loc : loc,
		    "the hyphenation patterns at %s are in %s, which "
		    "cannot be converted to UTF-8; words in \"%s\" are "
		    "not hyphenated",
		    path, charset, tag);
	else
		diag_warning(
		    d, own ? ts->doc->lang_loc : loc,
		    "cannot read the hyphenation patterns at %s; words "
		    "in \"%s\" are not hyphenated",
		    path, tag);
	return h;
}

struct hyphenator *
ts_hyphenator(struct typesetter *ts, const char *word, size_t len,
              struct loc loc)
{
	if (!ts->t->hyphenate)
		return NULL;
	enum lang_script s = hyphen_script(word, len);
	if (ts->hyph_of[s] != 0)
		return ts->hyph[ts->hyph_of[s] - 1].h;
	const char *tag = lang_of_script(s, doc_lang(ts));
	if (tag == NULL)
		return NULL;
	size_t i = 0;
	while (i < ts->nhyph && strcmp(ts->hyph[i].tag, tag) != 0)
		i++;
	/* Most paragraphs set well without hyphens, and a document may
	 * need none: the patterns of a language are only read for the
	 * first word in it that needs them, and their absence is
	 * reported then. */
	if (i == ts->nhyph) {
		if (i == TS_HYPH_LANGS)
			return NULL;
		ts->hyph[i].tag = tag;
		ts->hyph[i].h = open_lang(ts, tag, s, word, loc);
		ts->nhyph++;
	}
	ts->hyph_of[s] = (uint8_t)(i + 1);
	return ts->hyph[i].h;
}

/* A language whose script is not hyphenated (Arabic, Hebrew, Chinese
 * ...) needs no patterns. */
void
ts_check_lang(struct typesetter *ts)
{
	char path[512];
	const char *tag = doc_lang(ts);
	enum lang_script s = lang_tag_script(tag);
	if (!ts->t->hyphenate || ts->doc->lang_loc.line == 0 ||
	    lang_of_script(s, tag) != tag ||
	    hyphen_find(HYPHEN_DIR, tag, path, sizeof path))
		return;
	struct hyph_lang *hl = &ts->hyph[ts->nhyph++];
	hl->tag = tag;
	hl->h = open_lang(ts, tag, s, NULL, ts->doc->lang_loc);
}

uint32_t
ts_elem(struct typesetter *ts, enum page_tag tag, uint32_t parent)
{
	if (ts->nelems == ts->capelems) {
		ts->capelems = ts->capelems ? 2 * ts->capelems : 256;
		ts->elems =
		    mem_realloc(ts->elems, ts->capelems, sizeof *ts->elems);
	}
	ts->elems[ts->nelems] = (struct page_elem){parent, (uint8_t)tag};
	return (uint32_t)ts->nelems++;
}

void
ts_alt(struct typesetter *ts, uint32_t elem, const char *text)
{
	if (ts->nalts == ts->capalts) {
		ts->capalts = ts->capalts ? 2 * ts->capalts : 8;
		ts->alts = mem_realloc(ts->alts, ts->capalts, sizeof *ts->alts);
	}
	ts->alts[ts->nalts++] = (struct page_alt){elem, text};
}

void
typeset_pages_free(struct pages *p)
{
	free(p->elems);
	p->elems = NULL;
	p->nelems = 0;
	free(p->alts);
	p->alts = NULL;
	p->nalts = 0;
	for (size_t i = 0; p->pages != NULL && i < p->n; i++) {
		struct page *pg = &p->pages[i];
		if (pg->owned)
			free(pg->ops);
		if (pg->owned)
			*pg = (struct page){0};
	}
}

bool
typeset_doc(struct job *job, const struct doc *doc, const struct tmpl *t,
            const struct metrics *m, struct pages *out)
{
	struct typesetter ts = {
	    .job = job, .doc = doc, .t = t, .m = m, .ok = true};
	memset(out, 0, sizeof *out);
	for (int f = 0; f < FACE__MAX; f++) {
		bool missing = false;
		ts.space[f] = m->word(m->ctx, (enum face)f, " ", 1, false,
		                      &missing, NULL);
	}
	ts.text_width = t->page_width - t->margin_left - t->margin_right;
	ts.text_height = t->page_height - t->margin_top - t->margin_bottom;
	/* One bit per face and code point, for missing-glyph reports. */
	ts.warned = mem_zalloc(TS_WARNED_BYTES, 1);
	size_t nn = doc->nnotes ? doc->nnotes : 1;
	ts.note_page = arena_array(&ts.scratch2, nn, sizeof *ts.note_page);
	int32_t *before = arena_array(&ts.scratch2, nn, sizeof *before);
	for (size_t i = 0; i < nn; i++)
		ts.note_page[i] = -1;
	ts.rtl_doc = lang_script_is_rtl(lang_tag_script(doc_lang(&ts)));
	ts_check_lang(&ts);
	ts_elem(&ts, TAG_DOCUMENT, 0);
	layout_notes(&ts);
	struct pager pager = {.ts = &ts};
	/* The source list names the pages that cite each source, so it is
	 * set again once they are known, until they stop moving. */
	for (int pass = 0; pass < 4; pass++) {
		memcpy(before, ts.note_page, nn * sizeof *before);
		ts.prev_vlist = ts.vlist;
		ts.vlist = NULL;
		ts.nvlist = ts.capvlist = 0;
		pager = (struct pager){.ts = &ts};
		layout_doc(&ts);
		paginate_vlist(&ts, &pager);
		if (doc->nrefs == 0 ||
		    memcmp(before, ts.note_page, nn * sizeof *before) == 0)
			break;
		ts.quiet = true;
	}
	for (size_t i = 0; i < pager.noverfull; i++)
		diag_warning(job->diag, pager.overfull[i]->loc,
		             "this %s is taller than the page; it runs into "
		             "the bottom margin",
		             pager.overfull[i]->repeat ? "table row" : "block");
	draw_pages(&ts, &pager, out);
	copies_marks(&ts, out);
	out->elems = ts.elems;
	out->nelems = ts.nelems;
	out->alts = ts.alts;
	out->nalts = ts.nalts;
	out->images = doc->images;
	out->nimages = doc->nimages;
	out->title = doc->vars[VAR_TITLE];
	out->author = doc->vars[VAR_PREPARED_BY];
	out->subject = doc->vars[VAR_SUBTITLE];
	out->keywords = doc->keywords;
	out->lang = doc->lang;
	out->created = doc->created;
	out->tz_minutes = doc->tz_minutes;
	free(ts.warned);
	ts_places_free(&ts);
	for (size_t i = 0; i < ts.nhyph; i++)
		hyphen_close(ts.hyph[i].h);
	para_bufs_free(&ts);
	arena_free(&ts.scratch);
	arena_free(&ts.scratch2);
	arena_free(&ts.boxes);
	arena_free(&ts.cites);
	arena_free(&ts.pagerefs);
	return ts.ok;
}
