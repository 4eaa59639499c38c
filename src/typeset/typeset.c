/*
 * Typeset stage: entry point.  Sets up the typesetter, lays the document
 * out into a vertical list and paginates it.
 */
#include "typeset.h"
#include "typeset_int.h"

#include <stdlib.h>
#include <string.h>

/* Where Debian's hyphen-en-us package puts the patterns. */
#define HYPHEN_PATTERNS "/usr/share/hyphen/hyph_en_US.dic"

bool
typeset_doc(struct job *job, const struct doc *doc, const struct tmpl *t,
            const struct metrics *m, struct pages *out)
{
	struct typesetter ts = {.job = job, .doc = doc, .t = t, .m = m,
	                        .ok = true};
	memset(out, 0, sizeof *out);
	ts.text_width = t->page_width - t->margin_left - t->margin_right;
	ts.text_height = t->page_height - t->margin_top - t->margin_bottom;
	ts.hyph = t->hyphenate ? hyphen_open(HYPHEN_PATTERNS) : NULL;
	if (ts.hyph == NULL && t->hyphenate)
		diag_warning(job->diag, (struct loc){0},
		             "no hyphenation patterns at %s (install "
		             "hyphen-en-us); words are not hyphenated",
		             HYPHEN_PATTERNS);
	/* One bit per face and code point, for missing-glyph reports. */
	ts.warned = calloc((size_t)FACE__MAX * 0x110000u / 8, 1);
	if (ts.warned == NULL) {
		hyphen_close(ts.hyph);
		diag_system(job->diag, "out of memory");
		return false;
	}
	layout_doc(&ts);
	paginate(&ts, out);
	out->title = doc->vars[VAR_TITLE];
	out->author = doc->vars[VAR_PREPARED_BY];
	out->subject = doc->vars[VAR_SUBTITLE];
	out->keywords = doc->keywords;
	out->created = doc->created;
	out->tz_minutes = doc->tz_minutes;
	free(ts.warned);
	hyphen_close(ts.hyph);
	arena_free(&ts.scratch);
	return ts.ok;
}
