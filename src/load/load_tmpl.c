/*
 * Load stage: templates.  A template is a small YAML file that sets the
 * page (paper, margins), fonts, styles, colours, running header and footer
 * and the order and titles of the sections.
 */
#include "load.h"
#include "load_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../tmpl.h"

#define NKEYS(a) (sizeof(a) / sizeof(a)[0])

static const char *const tmpl_keys[] = {
    "name",      "paper",   "margins", "header_offset", "footer_offset",
    "fonts",     "colors",  "styles",  "notes",         "table",
    "header",    "footer",  "banner",  "sections",      "paragraph_gap",
    "linebreak", "strings", "logo",    "edge",
};
static const char *const logo_keys[] = {"file", "width"};
static const char *const linebreak_keys[] = {"tolerance", "hyphenate"};
static const char *const margin_keys[] = {"top", "bottom", "left", "right"};
static const char *const style_names[] = {
    [STYLE_BODY] = "body",
    [STYLE_TITLE] = "title",
    [STYLE_SUBTITLE] = "subtitle",
    [STYLE_META] = "meta",
    [STYLE_H1] = "h1",
    [STYLE_H2] = "h2",
    [STYLE_TABLE] = "table",
    [STYLE_TABLE_HEAD] = "table_head",
    [STYLE_NOTE] = "note",
    [STYLE_SOURCE] = "source",
    [STYLE_BOX] = "box",
    [STYLE_HEADER] = "header",
    [STYLE_FOOTER] = "footer",
    [STYLE_BANNER] = "banner",
};
_Static_assert(NKEYS(style_names) == STYLE__MAX, "style_names");
static const char *const style_keys[] = {
    "font", "size", "leading", "before", "after", "color", "align", "hang",
};
static const char *const align_names[] = {"justify", "left", "center", "right"};
static const char *const color_keys[] = {"rule", "table_head", "box", "link"};
static const char *const furniture_keys[] = {"left", "center", "right"};
static const char *const notes_keys[] = {"gap", "rule", "cross_reference"};
static const char *const table_keys[] = {"padding"};
static const char *const section_keys[] = {"id", "title", "chart"};

/* Index of s in names[0..n), or -1. */
static int
lookup(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static void
read_len(struct job *job, const struct ynode *map, const char *key,
         int32_t *out)
{
	const struct ynode *v = load_get(map, key);
	if (v != NULL)
		load_length(job, v, out);
}

static bool
parse_color(struct job *job, const struct ynode *v, uint32_t *out)
{
	const char *s = v->type == YNODE_SCALAR ? v->str : "";
	if (s[0] == '#' && strlen(s) == 7 &&
	    strspn(s + 1, "0123456789abcdefABCDEF") == 6) {
		*out = (uint32_t)strtoul(s + 1, NULL, 16);
		return true;
	}
	diag_error(job->diag, v->loc,
	           "colour must be written \"#RRGGBB\", not \"%s\"", s);
	return false;
}

/* Sets *out from key in n, if there: true or false, else an error. */
static void
read_bool(struct job *job, const struct ynode *n, const char *key, bool *out)
{
	const struct ynode *v = load_get(n, key);
	if (v == NULL)
		return;
	if (v->type == YNODE_SCALAR &&
	    (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0))
		*out = strcmp(v->str, "true") == 0;
	else
		diag_error(job->diag, v->loc, "\"%s\" must be true or false",
		           key);
}

static void
read_style(struct job *job, const struct ynode *n, struct style *st)
{
	load_keys(job, n, style_keys, NKEYS(style_keys), "a style");
	const struct ynode *v;
	if ((v = load_get(n, "font")) != NULL) {
		int f = v->type == YNODE_SCALAR
		            ? lookup(v->str, tmpl_face_names, FACE__MAX)
		            : -1;
		if (f < 0)
			diag_error(
			    job->diag, v->loc,
			    "unknown font \"%s\" (use serif, serif_bold, "
			    "serif_italic, sans or sans_bold)",
			    v->type == YNODE_SCALAR ? v->str : "");
		else
			st->face = (enum face)f;
	}
	if ((v = load_get(n, "size")) != NULL &&
	    load_length(job, v, &st->size) &&
	    (st->size <= 0 || st->size > 200000))
		diag_error(job->diag, v->loc,
		           "a font size must be more than 0 and at most 200pt");
	read_len(job, n, "leading", &st->leading);
	read_len(job, n, "before", &st->space_before);
	read_len(job, n, "after", &st->space_after);
	if ((v = load_get(n, "hang")) != NULL &&
	    load_length(job, v, &st->hang) &&
	    (st->hang < 0 || st->hang > 72000)) {
		diag_error(job->diag, v->loc,
		           "a hanging indent (\"hang\") must be from 0 to "
		           "72pt");
		st->hang = 0;
	}
	if ((v = load_get(n, "color")) != NULL)
		parse_color(job, v, &st->color);
	if ((v = load_get(n, "align")) != NULL) {
		int a = v->type == YNODE_SCALAR
		            ? lookup(v->str, align_names, NKEYS(align_names))
		            : -1;
		if (a < 0)
			diag_error(
			    job->diag, v->loc,
			    "unknown alignment \"%s\" (use justify, left, "
			    "center or right)",
			    v->type == YNODE_SCALAR ? v->str : "");
		else
			st->align = a;
	}
	if (st->size <= 0)
		st->size = 10000; /* reported above; keep the layout sane */
	if (st->leading < st->size)
		st->leading = st->size * 6 / 5;
}

static bool
exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/*
 * Font files: a bare file name is looked for beside the template, in
 * ../fonts/ from the template, in the fonts/ of the tool's own tree or
 * installation, and finally in Debian's font directories.
 */
static const char *
resolve_font(struct job *job, const char *tmpl_path, const char *file)
{
	struct arena *a = job->arena;
	if (strchr(file, '/') != NULL)
		return fileio_relative(a, tmpl_path, file);
	const char *cands[8];
	int n = 0;
	cands[n++] = fileio_relative(a, tmpl_path, file);
	cands[n++] =
	    fileio_relative(a, tmpl_path, arena_printf(a, "../fonts/%s", file));
	if (job->exe_dir) {
		cands[n++] =
		    arena_printf(a, "%s/../fonts/%s", job->exe_dir, file);
		cands[n++] = arena_printf(a, "%s/../share/briefing/fonts/%s",
		                          job->exe_dir, file);
	}
	if (job->data_dir)
		cands[n++] =
		    arena_printf(a, "%s/fonts/%s", job->data_dir, file);
	cands[n++] = arena_printf(a, "/usr/share/fonts/truetype/noto/%s", file);
	cands[n++] =
	    arena_printf(a, "/usr/share/fonts/truetype/dejavu/%s", file);
	for (int i = 0; i < n; i++)
		if (exists(cands[i]))
			return cands[i];
	return NULL;
}

/* The next colon of a font name that is not escaped ("\\:"), or NULL. */
static const char *
fc_colon(const char *s)
{
	for (; *s; s++)
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == ':')
			return s;
	return NULL;
}

/* Property obj of pattern p as a number, whole or not. */
static bool
fc_number(FcPattern *p, const char *obj, double *out)
{
	int i;
	if (FcPatternGetInteger(p, obj, 0, &i) == FcResultMatch) {
		*out = i;
		return true;
	}
	return FcPatternGetDouble(p, obj, 0, out) == FcResultMatch;
}

/*
 * What is wrong with the style of a font name ("Noto Serif:Itallic",
 * "Noto Serif:style=Banana"), which fontconfig would pass over or match
 * to the nearest style: a word after a colon that is no style of
 * fontconfig's, an unknown property, or a style, weight or slant the
 * font found, m, does not have.  NULL when there is nothing wrong.
 */
static const char *
style_problem(struct job *job, const char *name, FcPattern *asked, FcPattern *m)
{
	const char *colon = fc_colon(name);
	while (colon != NULL) {
		const char *e = colon + 1;
		colon = fc_colon(e);
		size_t n = colon ? (size_t)(colon - e) : strlen(e);
		const char *eq = memchr(e, '=', n);
		char *word =
		    arena_strndup(job->arena, e, eq ? (size_t)(eq - e) : n);
		int v;
		if (eq == NULL && *word != '\0' &&
		    !FcNameConstant((const FcChar8 *)word, &v))
			return arena_printf(
			    job->arena,
			    "\"%s\" is not a style fontconfig knows (such as "
			    "bold, italic, light, or style=Bold Italic)",
			    word);
		const FcObjectType *ot = eq ? FcNameGetObjectType(word) : NULL;
		if (eq != NULL && (ot == NULL || ot->type == FcTypeUnknown))
			return arena_printf(
			    job->arena,
			    "\"%s\" is not a property fontconfig "
			    "knows (such as style, weight, slant)",
			    word);
	}
	FcChar8 *style, *got;
	if (FcPatternGetString(asked, FC_STYLE, 0, &style) == FcResultMatch) {
		for (int i = 0;
		     FcPatternGetString(m, FC_STYLE, i, &got) == FcResultMatch;
		     i++)
			if (FcStrCmpIgnoreCase(got, style) == 0)
				return NULL;
		return arena_printf(job->arena,
		                    "the font found has no style \"%s\"",
		                    (const char *)style);
	}
	/* fontconfig's named values are not always the fonts' own: "book"
	 * is weight 75 and DejaVu Sans Book 80, "condensed" width 75 and
	 * DejaVu Sans Condensed 87, "italic" slant 100 and an oblique 110.
	 * Near enough is the face asked for; far off is another. */
	static const struct {
		const char *prop;
		double near;
	} props[] = {{FC_WEIGHT, 25}, {FC_SLANT, 15}, {FC_WIDTH, 15}};
	for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
		double want, have;
		if (fc_number(asked, props[i].prop, &want) &&
		    fc_number(m, props[i].prop, &have) &&
		    (want - have > props[i].near ||
		     have - want > props[i].near)) {
			FcChar8 *st = NULL;
			(void)FcPatternGetString(m, FC_STYLE, 0, &st);
			return arena_printf(
			    job->arena,
			    "the family has no font of that %s (the nearest is "
			    "\"%s\")",
			    props[i].prop, st ? (const char *)st : "another");
		}
	}
	return NULL;
}

/*
 * A font named by family ("Noto Naskh Arabic", "Noto Sans Hebrew:bold")
 * rather than by file: fontconfig's best match, when its family is the
 * one asked for (fontconfig always offers something) and it has the
 * style asked for.  NULL when no installed font has that family, or,
 * with *why set, that style.
 */
static const char *
font_by_name(struct job *job, FcConfig **fc, const char *name, const char **why)
{
	*why = NULL;
	if (*fc == NULL)
		*fc = FcInitLoadConfigAndFonts();
	FcPattern *pat = FcNameParse((const FcChar8 *)name);
	const char *path = NULL;
	if (pat == NULL || *fc == NULL) {
		if (pat != NULL)
			FcPatternDestroy(pat);
		return NULL;
	}
	FcPattern *asked = FcPatternDuplicate(pat);
	FcChar8 *want = NULL;
	(void)FcPatternGetString(pat, FC_FAMILY, 0, &want);
	(void)FcConfigSubstitute(*fc, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *m = FcFontMatch(*fc, pat, &res);
	FcChar8 *fam = NULL, *file = NULL;
	/* A font may have several family names: "DejaVu Sans" and "DejaVu
	 * Sans Condensed". */
	bool same = false;
	for (int i = 0;
	     m != NULL && want != NULL && !same &&
	     FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch;
	     i++)
		same = FcStrCmpIgnoreCase(fam, want) == 0;
	if (same && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
		*why = asked ? style_problem(job, name, asked, m) : NULL;
		if (*why == NULL)
			path = arena_strdup(job->arena, (const char *)file);
	}
	if (m != NULL)
		FcPatternDestroy(m);
	if (asked != NULL)
		FcPatternDestroy(asked);
	FcPatternDestroy(pat);
	return path;
}

/* Whether a font entry names a file rather than a family. */
static bool
is_font_file(const char *s)
{
	size_t n = strlen(s);
	return strchr(s, '/') != NULL ||
	       (n > 4 && (strcasecmp(s + n - 4, ".ttf") == 0 ||
	                  strcasecmp(s + n - 4, ".otf") == 0 ||
	                  strcasecmp(s + n - 4, ".ttc") == 0));
}

/* One font of a face: a file, or a family through fontconfig. */
static const char *
read_font(struct job *job, const struct tmpl *t, FcConfig **fc,
          const char *face, const struct ynode *v)
{
	const char *path;
	if (v->type != YNODE_SCALAR) {
		diag_error(job->diag, v->loc,
		           "\"%s\" must be a string or a list of strings, "
		           "not %s",
		           face, load_kind(v));
		return NULL;
	}
	if (load_is_null(v) || v->len == 0) {
		diag_error(job->diag, v->loc, "\"%s\" must not be empty", face);
		return NULL;
	}
	if (is_font_file(v->str)) {
		path = resolve_font(job, t->path, v->str);
		if (path == NULL)
			diag_error(
			    job->diag, v->loc,
			    "font file \"%s\" not found (looked beside the "
			    "template, in fonts/ and in "
			    "/usr/share/fonts/truetype)",
			    v->str);
		return path;
	}
	const char *why;
	path = font_by_name(job, fc, v->str, &why);
	if (path == NULL && why != NULL)
		diag_error(job->diag, v->loc, "font \"%s\": %s", v->str, why);
	else if (path == NULL)
		diag_error(job->diag, v->loc,
		           "no installed font has the family \"%s\" (fc-list "
		           "lists them; a file name must end in .ttf)",
		           v->str);
	return path;
}

/*
 * "fonts": per face, a font or a list of fonts, the first the face's
 * own and the others its fallbacks, tried in order for each character
 * the ones before lack.
 */
static void
read_fonts(struct job *job, const struct ynode *root, struct tmpl *t)
{
	const struct ynode *n =
	    load_map(job, root, "fonts", true, "a template");
	if (n == NULL)
		return;
	load_keys(job, n, tmpl_face_names, FACE__MAX, "\"fonts\"");
	FcConfig *fc = NULL; /* loaded when a font is named by family */
	for (int f = 0; f < FACE__MAX; f++) {
		const struct ynode *v = load_get(n, tmpl_face_names[f]);
		if (v == NULL) {
			diag_error(job->diag, n->loc,
			           "\"fonts\" is missing the required key "
			           "\"%s\"",
			           tmpl_face_names[f]);
			continue;
		}
		const struct ynode *const *items = &v;
		size_t count = 1;
		if (v->type == YNODE_SEQ) {
			items = (const struct ynode *const *)v->items;
			count = v->nitems;
		}
		if (count == 0 || count > TMPL_FONTS_MAX) {
			diag_error(job->diag, v->loc,
			           "\"%s\" must list 1 to %d fonts, not %zu",
			           tmpl_face_names[f], TMPL_FONTS_MAX, count);
			continue;
		}
		for (size_t k = 0; k < count; k++) {
			t->font_locs[f][k] = items[k]->loc;
			t->fonts[f][k] = read_font(
			    job, t, &fc, tmpl_face_names[f], items[k]);
		}
	}
	if (fc != NULL) {
		FcConfigDestroy(fc);
		FcFini(); /* fontconfig's own caches: nothing else uses it */
	}
}

static void
read_sections(struct job *job, const struct ynode *root, struct tmpl *t)
{
	const struct ynode *seq =
	    load_seq(job, root, "sections", true, "a template");
	if (seq == NULL)
		return;
	bool seen[SECTION__MAX] = {false};
	for (size_t i = 0; i < seq->nitems; i++) {
		const struct ynode *n = seq->items[i];
		if (n->type != YNODE_MAP) {
			diag_error(
			    job->diag, n->loc,
			    "a section must be a mapping with \"id\" and "
			    "\"title\"");
			continue;
		}
		load_keys(job, n, section_keys, NKEYS(section_keys),
		          "a section");
		struct str id = load_str(job, n, "id", true, "a section");
		struct str title = load_str(job, n, "title", true, "a section");
		if (id.s == NULL || title.s == NULL)
			continue;
		int s = lookup(id.s, tmpl_section_names, SECTION__MAX);
		if (s < 0) {
			diag_error(
			    job->diag, id.loc,
			    "unknown section \"%s\" (use contents, changes, "
			    "summary, context, readouts, preconditions, "
			    "breaches or sources)",
			    id.s);
			continue;
		}
		if (seen[s]) {
			diag_error(job->diag, id.loc,
			           "section \"%s\" is listed twice", id.s);
			continue;
		}
		seen[s] = true;
		bool chart = s == SECTION_BREACHES;
		const struct ynode *cv = load_get(n, "chart");
		if (cv != NULL &&
		    (s != SECTION_BREACHES || cv->type != YNODE_SCALAR ||
		     (strcmp(cv->str, "true") != 0 &&
		      strcmp(cv->str, "false") != 0)))
			diag_error(job->diag, cv->loc,
			           s != SECTION_BREACHES
			               ? "only the breaches section has a chart"
			               : "\"chart\" must be true or false");
		else if (cv != NULL)
			chart = strcmp(cv->str, "true") == 0;
		t->sections[t->nsections++] =
		    (struct tmpl_section){(enum section_id)s, title.s, chart};
	}
}

/* Whether the space-separated words hold name[0..len). */
static bool
has_word(const char *words, const char *name, size_t len)
{
	for (const char *w = words; *w;) {
		size_t n = strcspn(w, " ");
		if (n == len && memcmp(w, name, len) == 0)
			return true;
		w += n + (w[n] == ' ');
	}
	return false;
}

/* Whether s has the placeholder {name}. */
static bool
has_placeholder(const char *s, const char *name, size_t len)
{
	const char *at;
	size_t n;
	for (const char *p = s; (p = tmpl_placeholder(p, &at, &n)) != NULL;
	     p = at + n + 1)
		if (n == len && memcmp(at, name, len) == 0)
			return true;
	return false;
}

/* A string of the "strings" mapping: one line of text, quoted "" when it
 * is empty.  False after reporting. */
static bool
is_text(struct job *job, const struct ynode *v, const char *what)
{
	if (v->type != YNODE_SCALAR || load_is_null(v)) {
		if (v->type != YNODE_SCALAR)
			diag_error(job->diag, v->loc,
			           "%s must be a string, not %s", what,
			           load_kind(v));
		else
			diag_error(job->diag, v->loc,
			           "%s must be a string, not null (write \"\" "
			           "for none)",
			           what);
		return false;
	}
	for (size_t i = 0; i < v->len; i++)
		if ((unsigned char)v->str[i] < 0x20) {
			diag_error(job->diag, v->loc,
			           "%s must be one line of text, without tabs "
			           "or line breaks",
			           what);
			return false;
		}
	return true;
}

/* "{a}, {b} or {c}" from "a b c", for messages. */
static const char *
word_list(struct arena *a, const char *words)
{
	struct buf b = {0};
	size_t nwords = 1, k = 0;
	for (const char *w = words; *w; w++)
		nwords += *w == ' ';
	for (const char *w = words; *w; k++) {
		size_t n = strcspn(w, " ");
		if (k > 0)
			buf_puts(&b, k + 1 == nwords ? " or " : ", ");
		buf_printf(&b, "{%.*s}", (int)n, w);
		w += n + (w[n] == ' ');
	}
	const char *out = buf_finish(&b, a);
	buf_free(&b);
	return out;
}

/*
 * Checks a string's placeholders against its definition: each one it
 * holds is known for it, and it holds the required ones.  False after
 * reporting.
 */
static bool
check_placeholders(struct job *job, const struct ynode *v,
                   const struct tmpl_str_def *d)
{
	struct arena *a = job->arena;
	bool ok = true;
	const char *name;
	size_t len;
	for (const char *p = v->str; (p = tmpl_placeholder(p, &name, &len));
	     p = name + len + 1) {
		if (has_word(d->required, name, len) ||
		    has_word(d->optional, name, len))
			continue;
		const char *all = arena_printf(
		    a, "%s%s%s", d->required,
		    *d->required && *d->optional ? " " : "", d->optional);
		diag_error(
		    job->diag, v->loc,
		    "unknown placeholder \"{%.*s}\" in \"%s\" (%s)", (int)len,
		    name, d->key,
		    *all ? arena_printf(a, "it may hold %s", word_list(a, all))
		         : "it holds none");
		ok = false;
	}
	for (const char *w = d->required; *w;) {
		size_t n = strcspn(w, " ");
		if (!has_placeholder(v->str, w, n)) {
			diag_error(job->diag, v->loc,
			           "\"%s\" must hold the placeholder "
			           "\"{%.*s}\"",
			           d->key, (int)n, w);
			ok = false;
		}
		w += n + (w[n] == ' ');
	}
	return ok;
}

/* A header, footer or banner string (name_of names it in messages), its
 * placeholders checked: a misspelt one would be printed as it is. */
static const char *
furniture_text(struct job *job, const struct ynode *n, const char *key,
               const char *what, const char *name_of)
{
	struct str v = load_str(job, n, key, false, what);
	const char *name;
	size_t len;
	for (const char *p = v.s; p && (p = tmpl_placeholder(p, &name, &len));
	     p = name + len + 1) {
		if (has_word(tmpl_furniture_names, name, len))
			continue;
		diag_error(job->diag, v.loc,
		           "unknown placeholder \"{%.*s}\" in %s (it may hold "
		           "%s)",
		           (int)len, name, name_of,
		           word_list(job->arena, tmpl_furniture_names));
	}
	return v.s;
}

static void
read_furniture(struct job *job, const struct ynode *root, const char *key,
               struct furniture *fu)
{
	const struct ynode *n = load_map(job, root, key, false, "a template");
	if (n == NULL)
		return;
	load_keys(job, n, furniture_keys, NKEYS(furniture_keys),
	          arena_printf(job->arena, "\"%s\"", key));
	fu->left = furniture_text(job, n, "left", key,
	                          arena_printf(job->arena, "%s \"left\"", key));
	fu->center =
	    furniture_text(job, n, "center", key,
	                   arena_printf(job->arena, "%s \"center\"", key));
	fu->right =
	    furniture_text(job, n, "right", key,
	                   arena_printf(job->arena, "%s \"right\"", key));
}

/* The date's pattern shows a day and a month besides the year. */
static bool
check_date(struct job *job, const struct ynode *v, bool first)
{
	const char *key = first ? "date_first" : "date";
	bool ok = true;
	/* The first of a month may write its day as a word ("1er"). */
	if (!first && !has_placeholder(v->str, "day", 3) &&
	    !has_placeholder(v->str, "dd", 2)) {
		diag_error(job->diag, v->loc,
		           "\"%s\" must hold the day, \"{day}\" or \"{dd}\"",
		           key);
		ok = false;
	}
	if (!has_placeholder(v->str, "month", 5) &&
	    !has_placeholder(v->str, "mm", 2)) {
		diag_error(job->diag, v->loc,
		           "\"%s\" must hold the month, \"{month}\" or "
		           "\"{mm}\"",
		           key);
		ok = false;
	}
	return ok;
}

static void
read_list(struct job *job, const struct ynode *v, enum tmpl_list id,
          struct tmpl *t)
{
	const struct tmpl_list_def *d = &tmpl_list_defs[id];
	if (v->type != YNODE_SEQ || v->nitems != (size_t)d->n) {
		diag_error(job->diag, v->loc,
		           "\"%s\" must be a list of %d strings, not %s",
		           d->key, d->n,
		           v->type != YNODE_SEQ
		               ? load_kind(v)
		               : arena_printf(job->arena, "%zu", v->nitems));
		return;
	}
	const char **items =
	    arena_array(job->arena, (size_t)d->n, sizeof *items);
	bool ok = true;
	for (int i = 0; i < d->n; i++) {
		const struct ynode *it = v->items[i];
		ok &= is_text(job, it,
		              arena_printf(job->arena, "item %d of \"%s\"",
		                           i + 1, d->key));
		items[i] = it->str;
	}
	if (ok)
		t->lists[id] = items;
}

/*
 * The "strings" mapping: the words the briefing prints, each checked
 * for its placeholders; the lists of month names and grades.
 */
static void
read_strings(struct job *job, const struct ynode *root, struct tmpl *t)
{
	const struct ynode *n =
	    load_map(job, root, "strings", false, "a template");
	if (n == NULL)
		return;
	const char *keys[STR__MAX + LIST__MAX];
	for (int s = 0; s < STR__MAX; s++)
		keys[s] = tmpl_str_defs[s].key;
	for (int l = 0; l < LIST__MAX; l++)
		keys[STR__MAX + l] = tmpl_list_defs[l].key;
	load_keys(job, n, keys, NKEYS(keys), "\"strings\"");
	for (int s = 0; s < STR__MAX; s++) {
		const struct tmpl_str_def *d = &tmpl_str_defs[s];
		const struct ynode *v = load_get(n, d->key);
		if (v == NULL ||
		    !is_text(job, v,
		             arena_printf(job->arena, "\"%s\"", d->key)))
			continue;
		bool ok = check_placeholders(job, v, d);
		if (s == STR_DATE || s == STR_DATE_FIRST)
			ok &= check_date(job, v, s == STR_DATE_FIRST);
		if (ok)
			t->str[s] = v->str;
	}
	/* The first of a month is written as any other day unless the
	 * template says otherwise ("1er janvier"). */
	if (load_get(n, tmpl_str_defs[STR_DATE_FIRST].key) == NULL)
		t->str[STR_DATE_FIRST] = t->str[STR_DATE];
	for (int l = 0; l < LIST__MAX; l++) {
		const struct ynode *v = load_get(n, tmpl_list_defs[l].key);
		if (v != NULL)
			read_list(job, v, (enum tmpl_list)l, t);
	}
}

static void
set_defaults(struct tmpl *t)
{
	t->page_width = 595276; /* A4 */
	t->page_height = 841890;
	t->margin_top = t->margin_bottom = 72000;
	t->margin_left = t->margin_right = 72000;
	t->header_offset = 24000;
	t->footer_offset = 28000;
	t->edge = 28346; /* 10 mm */
	t->note_gap = 10000;
	t->note_rule_width = 144000;
	t->paragraph_gap = 6000;
	t->cell_padding = 3000;
	t->tolerance = 300;
	t->hyphenate = true;
	t->color_rule = 0x777777;
	t->color_table_head = 0xE6E9EF;
	t->color_box = 0xF2F2F2;
	t->color_link = 0x1A4480;
	for (int s = 0; s < STYLE__MAX; s++)
		t->styles[s] = (struct style){
		    .face = FACE_SERIF, .size = 10000, .leading = 13000};
}

/*
 * Everything printed keeps the template's distance from the paper's edge
 * (an office printer's unprintable border): the banner's lines sit at
 * it, and the header and footer between the banner and the text area,
 * the header's baseline at least half its size above the text area (its
 * rule sits there), the footer's rule, its size above the baseline,
 * below it.
 */
static void
check_furniture(struct job *job, const struct ynode *root, struct tmpl *t)
{
	static const char *const keys[2] = {"header_offset", "footer_offset"};
	const struct ynode *ev = load_get(root, "edge");
	int32_t side =
	    t->margin_left < t->margin_right ? t->margin_left : t->margin_right;
	if (t->edge < 0 || t->edge > side) {
		diag_error(job->diag, ev ? ev->loc : root->loc,
		           "\"edge\" of %.1f pt must be from 0 to the side "
		           "margins' %.1f pt",
		           t->edge / 1000.0, side / 1000.0);
		return;
	}
	/* The banner's line at the edge, when there is a banner. */
	int32_t banner =
	    t->banner && t->banner[0] ? t->styles[STYLE_BANNER].leading : 0;
	for (int i = 0; i < 2; i++) {
		bool header = i == 0;
		int32_t size =
		    t->styles[header ? STYLE_HEADER : STYLE_FOOTER].size;
		int32_t off = header ? t->header_offset : t->footer_offset;
		int32_t margin = header ? t->margin_top : t->margin_bottom;
		int32_t lo = header ? size / 2 : size;
		int32_t hi =
		    margin - t->edge - banner - (header ? size : size / 4);
		if (off >= lo && off <= hi)
			continue;
		const struct ynode *v = load_get(root, keys[i]);
		if (v == NULL)
			v = load_get(root, "margins");
		if (hi < lo)
			diag_error(job->diag, v ? v->loc : root->loc,
			           "the %s margin of %.1f pt has no room for a "
			           "%s of %.1f pt%s %.1f pt from the edge",
			           header ? "top" : "bottom", margin / 1000.0,
			           header ? "header" : "footer", size / 1000.0,
			           banner ? " and the banner," : ",",
			           t->edge / 1000.0);
		else
			diag_error(
			    job->diag, v ? v->loc : root->loc,
			    "\"%s\" of %.1f pt puts the %s %s; with a "
			    "%s margin of %.1f pt it must be from %.1f to "
			    "%.1f pt",
			    keys[i], off / 1000.0, header ? "header" : "footer",
			    off < lo ? "over the text"
			    : banner ? "over the banner"
			             : "too near the paper's edge",
			    header ? "top" : "bottom", margin / 1000.0,
			    lo / 1000.0, hi / 1000.0);
	}
}

/*
 * A style's line and the space around it take at most a quarter of the
 * text area's height each, so that a heading, a table's header with a
 * row, or a note line always fits a page beside something else.
 */
static void
check_spacing(struct job *job, const struct ynode *root, struct tmpl *t)
{
	int32_t texth = t->page_height - t->margin_top - t->margin_bottom;
	const struct ynode *styles = load_get(root, "styles");
	static const char *const keys[3] = {"leading", "before", "after"};
	if (texth < 144000)
		return; /* the text area itself is reported */
	/* A header row and a row of a table, each padded above and below. */
	if (t->cell_padding > texth / 8)
		diag_error(
		    job->diag, t->padding_loc,
		    "table \"padding\" of %.1f pt is more than an eighth "
		    "of the text area's height (%.1f pt)",
		    t->cell_padding / 1000.0, texth / 8000.0);
	if (styles == NULL)
		return;
	for (int s = 0; s < STYLE__MAX; s++) {
		const struct style *st = &t->styles[s];
		const int32_t v[3] = {st->leading, st->space_before,
		                      st->space_after};
		const struct ynode *sn = load_get(styles, style_names[s]);
		for (int k = 0; k < 3 && sn != NULL; k++) {
			const struct ynode *at = load_get(sn, keys[k]);
			if (v[k] <= texth / 4 || at == NULL)
				continue;
			diag_error(job->diag, at->loc,
			           "\"%s\" of %.1f pt in style \"%s\" is more "
			           "than a quarter of the text area's height "
			           "(%.1f pt)",
			           keys[k], v[k] / 1000.0, style_names[s],
			           texth / 4000.0);
		}
	}
}

/* The largest page a PDF may have, each way [mpt]: 200 inches. */
#define PAPER_MAX 14400000

static void
read_paper(struct job *job, const struct ynode *root, struct tmpl *t)
{
	const struct ynode *v = load_get(root, "paper");
	if (v == NULL)
		return;
	if (v->type == YNODE_SCALAR && strcmp(v->str, "a4") == 0) {
		t->page_width = 595276, t->page_height = 841890;
	} else if (v->type == YNODE_SCALAR && strcmp(v->str, "letter") == 0) {
		t->page_width = 612000, t->page_height = 792000;
	} else if (v->type == YNODE_SEQ && v->nitems == 2) {
		for (int i = 0; i < 2; i++) {
			int32_t *len =
			    i == 0 ? &t->page_width : &t->page_height;
			if (load_length(job, v->items[i], len) &&
			    *len > PAPER_MAX)
				diag_error(job->diag, v->items[i]->loc,
				           "a page can be at most 14400pt "
				           "(200in) %s in a PDF, not %s",
				           i == 0 ? "wide" : "high",
				           v->items[i]->str);
		}
	} else {
		diag_error(job->diag, v->loc,
		           "\"paper\" must be a4, letter or [width, height]");
	}
}

static void
read_template(struct job *job, const struct ynode *root, struct tmpl *t)
{
	const struct ynode *n, *v;
	load_keys(job, root, tmpl_keys, NKEYS(tmpl_keys), "a template");
	t->name = load_str(job, root, "name", true, "a template").s;
	read_paper(job, root, t);
	size_t errors = job->diag->count[DIAG_ERROR];
	if ((n = load_map(job, root, "margins", true, "a template")) != NULL) {
		load_keys(job, n, margin_keys, NKEYS(margin_keys),
		          "\"margins\"");
		read_len(job, n, "top", &t->margin_top);
		read_len(job, n, "bottom", &t->margin_bottom);
		read_len(job, n, "left", &t->margin_left);
		read_len(job, n, "right", &t->margin_right);
	}
	read_len(job, root, "header_offset", &t->header_offset);
	read_len(job, root, "edge", &t->edge);
	read_len(job, root, "footer_offset", &t->footer_offset);
	read_len(job, root, "paragraph_gap", &t->paragraph_gap);
	read_fonts(job, root, t);
	if ((n = load_map(job, root, "colors", false, "a template")) != NULL) {
		load_keys(job, n, color_keys, NKEYS(color_keys), "\"colors\"");
		if ((v = load_get(n, "rule")) != NULL)
			parse_color(job, v, &t->color_rule);
		if ((v = load_get(n, "table_head")) != NULL)
			parse_color(job, v, &t->color_table_head);
		if ((v = load_get(n, "box")) != NULL)
			parse_color(job, v, &t->color_box);
		if ((v = load_get(n, "link")) != NULL)
			parse_color(job, v, &t->color_link);
	}
	if ((n = load_map(job, root, "styles", true, "a template")) != NULL) {
		load_keys(job, n, style_names, STYLE__MAX, "\"styles\"");
		for (int s = 0; s < STYLE__MAX; s++) {
			const struct ynode *sn = load_map(
			    job, n, style_names[s], true, "\"styles\"");
			if (sn != NULL)
				read_style(job, sn, &t->styles[s]);
		}
	}
	if ((n = load_map(job, root, "notes", false, "a template")) != NULL) {
		load_keys(job, n, notes_keys, NKEYS(notes_keys), "\"notes\"");
		read_len(job, n, "gap", &t->note_gap);
		read_len(job, n, "rule", &t->note_rule_width);
		read_bool(job, n, "cross_reference", &t->note_cross_reference);
	}
	if ((n = load_map(job, root, "table", false, "a template")) != NULL) {
		load_keys(job, n, table_keys, NKEYS(table_keys), "\"table\"");
		read_len(job, n, "padding", &t->cell_padding);
		if ((v = load_get(n, "padding")) != NULL)
			t->padding_loc = v->loc;
	}
	if ((n = load_map(job, root, "linebreak", false, "a template")) !=
	    NULL) {
		load_keys(job, n, linebreak_keys, NKEYS(linebreak_keys),
		          "\"linebreak\"");
		if ((v = load_get(n, "tolerance")) != NULL) {
			char *end = NULL;
			long tol = v->type == YNODE_SCALAR
			               ? strtol(v->str, &end, 10)
			               : -1;
			if (end == NULL || *end != '\0' || tol < 1 ||
			    tol > 10000)
				diag_error(
				    job->diag, v->loc,
				    "\"tolerance\" must be a whole number "
				    "from 1 to 10000");
			else
				t->tolerance = (int32_t)tol;
		}
		read_bool(job, n, "hyphenate", &t->hyphenate);
	}
	read_furniture(job, root, "header", &t->header);
	read_furniture(job, root, "footer", &t->footer);
	t->banner = furniture_text(job, root, "banner", "a template", "banner");
	const struct ynode *logo = load_get(root, "logo");
	if (logo != NULL && logo->type != YNODE_MAP) {
		diag_error(job->diag, logo->loc,
		           "\"logo\" must be a mapping: {file: logo.png, "
		           "width: 30mm}");
	} else if (logo != NULL) {
		load_keys(job, logo, logo_keys, NKEYS(logo_keys), "a logo");
		struct str file = load_str(job, logo, "file", true, "a logo");
		if (file.s != NULL) {
			t->logo = fileio_relative(job->arena, t->path, file.s);
			t->logo_loc = file.loc;
		}
		read_len(job, logo, "width", &t->logo_width);
	}
	read_sections(job, root, t);
	read_strings(job, root, t);

	/* Places measured from lengths that could not be read would only
	 * repeat those errors. */
	if (job->diag->count[DIAG_ERROR] == errors)
		check_furniture(job, root, t);
	check_spacing(job, root, t);
	int32_t textw = t->page_width - t->margin_left - t->margin_right;
	int32_t texth = t->page_height - t->margin_top - t->margin_bottom;
	const struct ynode *where = load_get(root, "margins");
	if (where == NULL)
		where = load_get(root, "paper");
	if (textw < 72000 || texth < 144000)
		diag_error(job->diag, where ? where->loc : root->loc,
		           "the margins leave a text area of %d x %d pt; at "
		           "least 72 x 144 pt is needed",
		           textw / 1000, texth / 1000);
}

/* Finds a bundled template by name; NULL when there is none. */
static const char *
find_template(struct job *job, const char *name)
{
	struct arena *a = job->arena;
	const char *cands[4];
	int n = 0;
	if (job->exe_dir) {
		/* The source tree (build/briefing), then an installation. */
		cands[n++] = arena_printf(a, "%s/../templates/%s.yaml",
		                          job->exe_dir, name);
		cands[n++] =
		    arena_printf(a, "%s/../share/briefing/templates/%s.yaml",
		                 job->exe_dir, name);
	}
	if (job->data_dir)
		cands[n++] = arena_printf(a, "%s/templates/%s.yaml",
		                          job->data_dir, name);
	cands[n++] = arena_printf(a, "templates/%s.yaml", name);
	for (int i = 0; i < n; i++)
		if (exists(cands[i]))
			return cands[i];
	return NULL;
}

/* Counts, then keeps, the strings of n and below it in t->texts: the
 * values of a mapping, not its keys. */
static size_t
keep_texts(const struct ynode *n, struct tmpl *t)
{
	if (n == NULL)
		return 0;
	if (n->type == YNODE_SCALAR) {
		if (t->texts != NULL)
			t->texts[t->ntexts++] =
			    (struct tmpl_text){n->str, n->loc};
		return 1;
	}
	size_t k = 0;
	for (size_t i = n->type == YNODE_MAP; i < n->nitems;
	     i += n->type == YNODE_MAP ? 2 : 1)
		k += keep_texts(n->items[i], t);
	return k;
}

/* The template's printed words, counted or kept (keep_texts()): its
 * strings, header, footer, banner and section titles. */
static size_t
printed_texts(const struct ynode *root, struct tmpl *t)
{
	size_t k = keep_texts(load_get(root, "strings"), t) +
	           keep_texts(load_get(root, "header"), t) +
	           keep_texts(load_get(root, "footer"), t) +
	           keep_texts(load_get(root, "banner"), t);
	const struct ynode *seq = load_get(root, "sections");
	for (size_t i = 0; seq && seq->type == YNODE_SEQ && i < seq->nitems;
	     i++)
		if (seq->items[i]->type == YNODE_MAP)
			k += keep_texts(load_get(seq->items[i], "title"), t);
	return k;
}

bool
load_template(struct job *job, const char *name, struct tmpl *t)
{
	size_t before = load_errors(job);
	memset(t, 0, sizeof *t);
	set_defaults(t);
	const char *path = name;
	if (strchr(name, '/') == NULL && strstr(name, ".yaml") == NULL) {
		path = find_template(job, name);
		if (path == NULL) {
			diag_error(
			    job->diag, (struct loc){0},
			    "no template named \"%s\" (bundled: a4, a4-fr, "
			    "letter; or give a path to a .yaml file)",
			    name);
			return false;
		}
	}
	t->path = path;
	t->padding_loc = (struct loc){path, 0, 0};
	struct arena nodes = {0};
	struct ynode *root =
	    load_yaml_file(job, &nodes, path, "a template must be a mapping");
	if (root != NULL) {
		read_template(job, root, t);
		t->texts = arena_array(job->arena, printed_texts(root, t),
		                       sizeof *t->texts);
		printed_texts(root, t);
	}
	arena_free(&nodes);
	return root != NULL && load_errors(job) == before;
}
