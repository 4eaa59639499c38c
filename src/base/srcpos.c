/*
 * Places of characters inside values read from input files: the file is
 * read again when a place in it is first asked for, and the value is
 * matched against it character by character from where the value starts.
 */
#include "srcpos.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fileio.h"
#include "mem.h"
#include "utf8.h"

/* An input file as read again. */
struct src_file {
	const char *path; /* as the places name it */
	const char *text; /* NULL: it could not be read */
	size_t len;
	size_t *line_off; /* line_off[k]: where line k + 1 starts */
	size_t nlines;
};

/* A value being matched against its file. */
struct matcher {
	const struct src_file *f;
	const char *text; /* the value */
	size_t len;       /* its length [bytes] */
	struct loc start; /* where it starts */
	size_t i;         /* how much of it is matched [bytes] */
	size_t p;         /* where the file is matched up to [bytes] */
	uint32_t line;    /* the place of p */
	uint32_t col;
};

struct srcpos {
	struct arena arena;
	struct src_file *files;
	size_t nfiles;
	struct matcher last; /* where the last search stopped; text NULL
	                      * when none */
};

struct srcpos *
srcpos_new(void)
{
	return mem_zalloc(1, sizeof(struct srcpos));
}

void
srcpos_free(struct srcpos *sp)
{
	if (sp == NULL)
		return;
	arena_free(&sp->arena);
	free(sp->files);
	free(sp);
}

static bool
is_eol(char c)
{
	return c == '\n' || c == '\r';
}

/* Indexes the starts of f's lines: a line ends at LF, CR or CRLF.  A
 * byte order mark is not part of line 1, as for libyaml and cmark. */
static void
index_lines(struct arena *a, struct src_file *f)
{
	const char *s = f->text;
	size_t n = 1;
	for (size_t i = 0; i < f->len; i++)
		n += s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n');
	f->line_off = arena_array(a, n, sizeof *f->line_off);
	f->line_off[0] = f->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
	f->line_off[0] *= 3;
	f->nlines = 1;
	for (size_t i = 0; i < f->len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))
			f->line_off[f->nlines++] = i + 1;
}

/* The file at path as read again (its text NULL when it cannot be). */
static const struct src_file *
file_at(struct srcpos *sp, const char *path)
{
	for (size_t i = 0; i < sp->nfiles; i++)
		if (strcmp(sp->files[i].path, path) == 0)
			return &sp->files[i];
	sp->files = mem_realloc(sp->files, sp->nfiles + 1, sizeof *sp->files);
	struct src_file *f = &sp->files[sp->nfiles++];
	*f = (struct src_file){.path = arena_strdup(&sp->arena, path)};
	/* A file that cannot be read now leaves the places as they are;
	 * that is not worth a message of its own. */
	struct diag quiet;
	diag_init(&quiet, NULL);
	char *text;
	if (fileio_read(&sp->arena, &quiet, NULL, path, &text, &f->len)) {
		f->text = text;
		index_lines(&sp->arena, f);
	}
	diag_free(&quiet);
	return f;
}

/* Skips spaces and tabs in the file. */
static void
skip_blanks(struct matcher *m)
{
	const char *s = m->f->text;
	while (m->p < m->f->len && (s[m->p] == ' ' || s[m->p] == '\t'))
		m->p++, m->col++;
}

/* Skips the file's line break at p, and the next line's indentation. */
static void
next_line(struct matcher *m)
{
	const char *s = m->f->text;
	m->p += s[m->p] == '\r' && m->p + 1 < m->f->len && s[m->p + 1] == '\n'
	            ? 2
	            : 1;
	m->line++;
	m->col = 1;
	skip_blanks(m);
}

/* What cmark's smart punctuation makes a curly quote, a dash or an
 * ellipsis from, or NULL. */
static const char *
smart_source(uint32_t cp)
{
	switch (cp) {
	case 0x2018:
	case 0x2019:
		return "'";
	case 0x201C:
	case 0x201D:
	case 0x00AB: /* a French template's marks for them */
	case 0x00BB:
		return "\"";
	case 0x2013:
		return "--";
	case 0x2014:
		return "---";
	case 0x2026:
		return "...";
	default:
		return NULL;
	}
}

static bool
is_punct(unsigned char c)
{
	return c > 0x20 && c < 0x7F && !(c >= '0' && c <= '9') &&
	       !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Matches the value's character at m->i against the file at m->p;
 * false, with m unchanged, when it does not match. */
static bool
step(struct matcher *m)
{
	const char *t = m->text + m->i, *s = m->f->text + m->p;
	size_t room = m->f->len - m->p;
	if (*t == ' ' || *t == '\n') {
		/* A line break, folded to a space or kept. */
		size_t q = 0;
		while (q < room && (s[q] == ' ' || s[q] == '\t'))
			q++;
		if (q < room && is_eol(s[q])) {
			m->p += q;
			next_line(m);
			m->i++;
			/* A block quote's markers, which the value lacks. */
			const char *f = m->f->text;
			while (m->i < m->len && m->text[m->i] != '>' &&
			       m->p < m->f->len && f[m->p] == '>') {
				m->p++, m->col++;
				skip_blanks(m);
			}
			return true;
		}
	}
	uint32_t cp;
	size_t k = utf8_decode(t, m->len - m->i, &cp);
	if (k == 0)
		return false;
	size_t w = 0; /* bytes of the file for it, all on one line */
	uint32_t cols = 1;
	const char *smart = smart_source(cp);
	if (*t == '\'' && room >= 2 && s[0] == '\'' && s[1] == '\'' &&
	    t[1] != '\'')
		w = cols = 2; /* doubled in single quotes */
	else if (k <= room && memcmp(s, t, k) == 0)
		w = k;
	else if (k == 1 && room >= 2 && s[0] == '\\' && s[1] == *t &&
	         is_punct((unsigned char)*t))
		w = cols = 2; /* escaped with a backslash */
	else if (smart != NULL && strlen(smart) <= room &&
	         memcmp(s, smart, strlen(smart)) == 0 &&
	         !(cp == 0x2013 && room > 2 && s[2] == '-'))
		w = cols = (uint32_t)strlen(smart);
	if (w == 0 && (cp == 0xA0 || cp == 0x202F) &&
	    ((m->i >= 2 && memcmp(t - 2, "\u00ab", 2) == 0) ||
	     (m->i + k + 2 <= m->len && memcmp(t + k, "\u00bb", 2) == 0))) {
		m->i += k; /* the space inside « » that the marks brought */
		return true;
	}
	if (w == 0)
		return false;
	m->p += w;
	m->col += cols;
	m->i += k;
	return true;
}

/* Starts matching text at start; false when start is not in the file. */
static bool
begin(struct matcher *m, const struct src_file *f, struct loc start,
      const char *text)
{
	*m = (struct matcher){f, text, strlen(text), start,
	                      0, 0,    start.line,   start.col};
	if (start.line == 0 || start.line > f->nlines || start.col == 0)
		return false;
	const char *s = f->text;
	size_t p = f->line_off[start.line - 1];
	for (uint32_t c = 1; c < start.col; c++) {
		if (p >= f->len || is_eol(s[p]))
			return false;
		p++;
		while (p < f->len && ((unsigned char)s[p] & 0xC0) == 0x80)
			p++;
	}
	m->p = p;
	if (m->len == 0 || p >= f->len)
		return true;
	struct matcher probe = *m;
	if (step(&probe))
		return true;
	/* The place is that of what opens the value. */
	if (s[p] == '"' || s[p] == '\'') {
		m->p++, m->col++;
		/* The fact file's strings lose the spaces at their ends. */
		while (m->p < f->len && (s[m->p] == ' ' || s[m->p] == '\t') &&
		       text[0] != s[m->p])
			m->p++, m->col++;
	} else if (s[p] == '|' || s[p] == '>') {
		while (m->p < f->len && !is_eol(s[m->p]))
			m->p++;
		if (m->p < f->len)
			next_line(m);
	} else if (s[p] == '`') {
		while (m->p < f->len && s[m->p] == '`')
			m->p++, m->col++;
		if (m->p < f->len && s[m->p] == ' ' && text[0] != ' ')
			m->p++, m->col++;
	}
	return true;
}

bool
srcpos_at(struct srcpos *sp, struct loc start, const char *text, size_t off,
          struct loc *out)
{
	*out = start;
	if (start.file == NULL || start.line == 0)
		return false;
	struct matcher *m = &sp->last;
	bool same = m->text == text && m->i <= off &&
	            m->start.line == start.line && m->start.col == start.col &&
	            strcmp(m->start.file, start.file) == 0;
	if (!same) {
		const struct src_file *f = file_at(sp, start.file);
		if (f->text == NULL || !begin(m, f, start, text)) {
			m->text = NULL;
			return false;
		}
	}
	while (m->i < off && m->i < m->len)
		if (!step(m)) {
			m->text = NULL;
			return false;
		}
	struct loc at = {start.file, m->line, m->col};
	/* The character itself must be there too. */
	struct matcher probe = *m;
	if (m->i != off || !step(&probe)) {
		m->text = NULL;
		return false;
	}
	*out = at;
	return true;
}
