/*
 * Diagnostic sink: collects messages, prints them sorted by location.
 * A note prints right after the message it belongs to.
 */
#include "diag.h"
#include "buf.h"
#include "mem.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[DIAG__MAX] = {
    [DIAG_NOTE] = "note",
    [DIAG_WARNING] = "warning",
    [DIAG_ERROR] = "error",
    [DIAG_SYSTEM] = "error",
};

struct loc
diag_offset_loc(const char *file, const char *text, size_t off)
{
	uint32_t line = 1, col = 1;
	for (size_t i = 0; i < off; i++) {
		/* A line ends at LF, CR or CRLF, as for libyaml and cmark. */
		if (text[i] == '\n' ||
		    (text[i] == '\r' && text[i + 1] != '\n')) {
			line++;
			col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	return (struct loc){file, line, col};
}

size_t
diag_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	/* Three rows of the table: two letters swapped count as one edit
	 * ("unoin" for "union"). */
	size_t rows[3][41], *prev = rows[0], *row = rows[1], *next = rows[2];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t = prev;
		prev = row;
		row = next;
		next = t;
		row[0] = i;
		size_t least = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && next[j - 2] + 1 < best)
				best = next[j - 2] + 1;
			row[j] = best;
			if (best < least)
				least = best;
		}
		/* No suggestion is further than two edits: past that the
		 * rest need not be computed (a file of thousands of unknown
		 * ids is compared with thousands of known ones). */
		if (least > 2)
			return 99;
	}
	return row[lb];
}

void
diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
}

static size_t
file_rank(struct diag *d, const char *file)
{
	if (file == NULL)
		return 0;
	for (size_t i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i], file) == 0)
			return i + 1;
	d->files = mem_realloc(d->files, d->nfiles + 1, sizeof *d->files);
	d->files[d->nfiles++] = file;
	return d->nfiles;
}

/*
 * How the character at s[0..len) is shown in a message when it would not
 * show as itself: a control character, an invisible one or a byte that
 * is not UTF-8.  Writes the escape into out (12 bytes room) and returns
 * its length, with the bytes used in *used; 0 when the character shows.
 */
/* The length of an escape snprintf() wrote into 12 bytes, 1 to 11. */
static size_t
escape_len(int n)
{
	return n > 0 && n < 12 ? (size_t)n : 0;
}

static size_t
escape_char(const char *s, size_t len, char *out, size_t *used)
{
	unsigned char b = (unsigned char)s[0];
	uint32_t cp;
	*used = 1;
	if (b == '\t' || b == '\n' || b == '\r') {
		out[0] = '\\';
		out[1] = b == '\t' ? 't' : b == '\n' ? 'n' : 'r';
		return 2;
	}
	if (b < 0x20 || b == 0x7F)
		return escape_len(snprintf(out, 12, "\\x%02x", b));
	if (b < 0x80)
		return 0;
	size_t n = utf8_decode(s, len, &cp);
	if (n == 0)
		return escape_len(snprintf(out, 12, "\\x%02x", b));
	*used = n;
	if (cp >= 0x80 && cp <= 0x9F)
		return escape_len(snprintf(out, 12, "\\u%04x", (unsigned)cp));
	if (utf8_invisible(cp) != NULL)
		return escape_len(snprintf(out, 12,
		                           cp > 0xFFFF ? "\\U%08x" : "\\u%04x",
		                           (unsigned)cp));
	return 0;
}

/*
 * Text quoted from the input may hold characters a terminal would act on
 * (an escape sequence, a carriage return) or that show nothing (a zero
 * width space, a bidirectional override): they are written as escapes,
 * \x1b, \r, \u200b, and so are bytes that are not UTF-8, so that the
 * JSON form stays valid.  Returns s or a new string (mem_alloc).
 */
static char *
escape(char *s)
{
	size_t len = strlen(s), i = 0, used;
	char esc[12];
	while (i < len && escape_char(s + i, len - i, esc, &used) == 0)
		i += used;
	if (i == len)
		return s;
	struct buf b = {0};
	if (i > 0)
		buf_add(&b, s, i);
	while (i < len) {
		size_t n = escape_char(s + i, len - i, esc, &used);
		if (n > 0)
			buf_add(&b, esc, n);
		else
			buf_add(&b, s + i, used);
		i += used;
	}
	free(s);
	return b.data;
}

char *
diag_escape(const char *s)
{
	size_t len = strlen(s);
	char *c = mem_alloc(len + 1, 1);
	memcpy(c, s, len + 1);
	return escape(c);
}

static void vreport(struct diag *, enum diag_level, struct loc, const char *fmt,
                    va_list) __attribute__((format(printf, 4, 0)));

static void
vreport(struct diag *d, enum diag_level level, struct loc loc, const char *fmt,
        va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	char *text = mem_alloc((size_t)n + 1, 1);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	text = escape(text);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->msgs = mem_realloc(d->msgs, d->cap, sizeof *d->msgs);
	}
	file_rank(d, loc.file);
	d->msgs[d->n++] = (struct diag_msg){loc, level, text, d->seq++};
	d->count[level]++;
}

void
diag_report(struct diag *d, enum diag_level level, struct loc loc,
            const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(d, level, loc, fmt, ap);
	va_end(ap);
}

void
diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(d, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void
diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(d, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void
diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(d, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
}

void
diag_system(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(d, DIAG_SYSTEM, (struct loc){0}, fmt, ap);
	va_end(ap);
}

static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* One message as a JSON object: file, line, column, severity, message. */
static void
print_json(struct diag *d, const struct diag_msg *m)
{
	static const char *const sev[DIAG__MAX] = {[DIAG_NOTE] = "note",
	                                           [DIAG_WARNING] = "warning",
	                                           [DIAG_ERROR] = "error",
	                                           [DIAG_SYSTEM] = "error"};
	fputs(d->njson++ ? ",\n  {" : "[\n  {", d->out);
	fputs("\"file\": ", d->out);
	if (m->loc.file) {
		char *file = diag_escape(m->loc.file);
		json_string(d->out, file);
		free(file);
	} else {
		fputs("null", d->out);
	}
	fprintf(d->out,
	        ", \"line\": %u, \"column\": %u, \"severity\": ", m->loc.line,
	        m->loc.col);
	json_string(d->out, sev[m->level]);
	fputs(", \"message\": ", d->out);
	json_string(d->out, m->text);
	fputc('}', d->out);
}

/* Sort key: a note keeps the position of the message before it. */
struct keyed {
	size_t rank;
	uint32_t line, col;
	size_t seq;
	struct diag_msg *m;
};

static int
cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
diag_flush(struct diag *d)
{
	if (d->n == 0)
		return;
	struct keyed *k = mem_alloc(d->n, sizeof *k);
	struct keyed last = {0};
	for (size_t i = 0; i < d->n; i++) {
		struct diag_msg *m = &d->msgs[i];
		if (m->level == DIAG_NOTE && i > 0) {
			k[i] = last;
			k[i].seq = m->seq;
		} else {
			k[i] =
			    (struct keyed){file_rank(d, m->loc.file),
			                   m->loc.line, m->loc.col, m->seq, m};
			last = k[i];
		}
		k[i].m = m;
	}
	qsort(k, d->n, sizeof *k, cmp_keyed);
	bool shown = !d->quiet; /* the last message that is not a note */
	size_t more[DIAG__MAX] = {0};
	for (size_t i = 0; i < d->n; i++) {
		struct diag_msg *m = k[i].m;
		/* A note goes with the message before it. */
		if (m->level != DIAG_NOTE)
			shown = !d->quiet || m->level >= DIAG_ERROR;
		/* Past a screenful, the rest are counted. */
		if (shown && m->level != DIAG_NOTE && !d->json &&
		    d->nshown++ >= DIAG_SHOWN_MAX) {
			more[m->level]++;
			shown = false;
		}
		if (!shown) {
			free(m->text);
			continue;
		}
		if (d->json) {
			print_json(d, m);
			free(m->text);
			continue;
		}
		char *file = m->loc.file ? diag_escape(m->loc.file) : NULL;
		if (file == NULL)
			fprintf(d->out, "briefing: %s: %s\n",
			        level_names[m->level], m->text);
		else if (m->loc.line == 0)
			fprintf(d->out, "%s: %s: %s\n", file,
			        level_names[m->level], m->text);
		else
			fprintf(d->out, "%s:%u:%u: %s: %s\n", file, m->loc.line,
			        m->loc.col, level_names[m->level], m->text);
		free(file);
		free(m->text);
	}
	free(k);
	d->n = 0;
	size_t errors = more[DIAG_ERROR] + more[DIAG_SYSTEM];
	if (errors + more[DIAG_WARNING] > 0)
		fprintf(d->out,
		        "briefing: and %zu more error%s and %zu more "
		        "warning%s (--format json lists them all)\n",
		        errors, errors == 1 ? "" : "s", more[DIAG_WARNING],
		        more[DIAG_WARNING] == 1 ? "" : "s");
	fflush(d->out);
}

void
diag_finish(struct diag *d)
{
	diag_flush(d);
	if (d->json) {
		fputs(d->njson ? "\n]\n" : "[]\n", d->out);
		fflush(d->out);
	}
}

bool
diag_has_errors(const struct diag *d)
{
	return d->count[DIAG_ERROR] > 0 || d->count[DIAG_SYSTEM] > 0;
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i].text);
	free(d->msgs);
	free(d->files);
	memset(d, 0, sizeof *d);
}
