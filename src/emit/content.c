/*
 * Emit stage: the content stream of a page (content_page(), see
 * emit_int.h): text runs, rules and fills as PDF operators.  Written
 * here, not through HPDF_Page_ShowText and friends: those measure every
 * string and hex-encode it, which made a 2,000-page document take
 * seconds.
 */
#include "emit_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/utf8.h"
#include "../page.h"

/* What the content stream has set so far, to set only what changes. */
struct pen {
	struct buf *out;          /* content stream of the current page */
	const char *const *names; /* the page's resource name per face */
	bool in_text;             /* between BT and ET */
	int32_t tx, ty;           /* start of the current text line [mpt] */
	int face;                 /* -1 until a font is set */
	int32_t size;             /* font size [mpt] */
	uint32_t fill;            /* 0xRRGGBB, or NO_COLOR */
	uint32_t stroke;          /* 0xRRGGBB, or NO_COLOR */
	int32_t line;             /* line width [mpt], -1 until set */
};

#define NO_COLOR 0xFFFFFFFFu

char *
content_mpt(char out[16], int32_t v)
{
	char *e = out + 16, *s = e;
	uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
	uint32_t frac = u % 1000, whole = u / 1000;

	if (frac != 0) {
		int digits = 3;
		for (; frac % 10 == 0; frac /= 10)
			digits--;
		for (; digits > 0; digits--, frac /= 10)
			*--s = (char)('0' + frac % 10);
		*--s = '.';
	}
	do
		*--s = (char)('0' + whole % 10);
	while ((whole /= 10) != 0);
	if (v < 0)
		*--s = '-';
	return s;
}

char *
content_uint(char out[16], uint32_t v)
{
	char *s = out + 16;
	do
		*--s = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return s;
}

/* Writes v/1000 as content_mpt() gives it. */
static void
put_mpt(struct buf *b, int32_t v)
{
	char tmp[16];
	char *s = content_mpt(tmp, v);
	buf_add(b, s, (size_t)(tmp + sizeof tmp - s));
}

/* Writes v/1000000 in decimal with no trailing zeros: "0.707107", "-1". */
static void
put_micro(struct buf *b, int32_t v)
{
	uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
	uint32_t frac = u % 1000000;
	char tmp[16];
	int n = snprintf(tmp, sizeof tmp, "%s%lu", v < 0 ? "-" : "",
	                 (unsigned long)(u / 1000000));

	buf_add(b, tmp, (size_t)n);
	if (frac == 0)
		return;
	n = snprintf(tmp, sizeof tmp, ".%06lu", (unsigned long)frac);
	while (tmp[n - 1] == '0')
		n--;
	buf_add(b, tmp, (size_t)n);
}

/* "r g b OP\n"; three decimals give every 8-bit channel back exactly. */
static void
put_rgb(struct buf *b, uint32_t rgb, const char *op)
{
	for (int shift = 16; shift >= 0; shift -= 8) {
		uint32_t c = (rgb >> shift) & 0xFF;
		put_mpt(b, (int32_t)((c * 1000 + 127) / 255));
		buf_putc(b, ' ');
	}
	buf_puts(b, op);
}

static void
end_text(struct pen *p)
{
	if (p->in_text) {
		buf_add(p->out, "ET\n", 3);
		p->in_text = false;
	}
}

/*
 * "(...)" with the two-byte code of each character in the face's font
 * (font_code(): the code points were set in the font's bitset before
 * drawing, by mark_all_codes()).  Bytes that a literal string must
 * escape are escaped.
 */
static void
put_literal(struct buf *b, const struct emit_face *ef, const char *s,
            size_t len)
{
	/* At most four bytes out per byte in: two code bytes, escaped. */
	buf_reserve(b, 4 * len + 2);
	char *o = b->data + b->len;

	*o++ = '(';
	for (size_t i = 0; i < len;) {
		uint32_t cp = (unsigned char)s[i];
		size_t n = 1;
		if (cp >= 0x80 && (n = utf8_decode(s + i, len - i, &cp)) == 0) {
			i++; /* the caller promised valid UTF-8 */
			continue;
		}
		i += n;
		if (cp > 0xFFFF)
			cp = 0xFFFD; /* no glyph beyond the BMP */
		uint32_t k = font_code(ef, cp);
		for (int shift = 8; shift >= 0; shift -= 8) {
			unsigned char c = (unsigned char)(k >> shift);
			if (c == '(' || c == ')' || c == '\\') {
				*o++ = '\\';
				*o++ = (char)c;
			} else if (c == '\r' || c == '\n') {
				/* a raw end of line would be read as LF */
				*o++ = '\\';
				*o++ = c == '\r' ? 'r' : 'n';
			} else {
				*o++ = (char)c;
			}
		}
	}
	*o++ = ')';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

static void
put_string(struct buf *b, const struct emit_face *ef, const char *s, size_t len)
{
	put_literal(b, ef, s, len);
	buf_add(b, " Tj\n", 4);
}

/*
 * "[(...) n (...)] TJ" for a run of text with word spaces: each space is
 * drawn (so that copied text has it) and followed by the shift that puts
 * the next word where the typesetter set it, op->starts[k] from the run's
 * start.  The pen is followed exactly in millionths of an em, so shifts
 * never accumulate rounding.
 */
static void
put_spaced(struct fontset *fs, struct buf *b, const struct page_op *op)
{
	const char *s = op->text;
	size_t len = strlen(s), from = 0, k = 0;
	int64_t pen = 0; /* [1e-6 em] */
	const int32_t *ascii = font_ascii_widths(fs, op->face);
	const struct emit_face *ef = font_face(fs, op->face);

	buf_putc(b, '[');
	for (size_t i = 0; i < len;) {
		uint32_t cp = (unsigned char)s[i];
		if (cp < 0x80) {
			i++;
			pen += 1000 * (int64_t)ascii[cp];
		} else {
			size_t n = utf8_decode(s + i, len - i, &cp);
			if (n == 0)
				n = 1, cp = 0xFFFD;
			i += n;
			if (cp > 0xFFFF)
				cp = 0xFFFD;
			pen += 1000 * (int64_t)font_width(fs, op->face, cp);
		}
		if (cp != ' ')
			continue;
		put_literal(b, ef, s + from, i - from);
		from = i;
		int64_t target =
		    ((int64_t)op->starts[k++] * 1000000 + op->size / 2) /
		    op->size;
		int64_t shift = pen - target; /* TJ moves left by shift */
		if (shift != 0) {
			buf_putc(b, ' ');
			put_mpt(b, (int32_t)shift);
			buf_putc(b, ' ');
		}
		pen = target;
	}
	if (from < len)
		put_literal(b, ef, s + from, len - from);
	buf_add(b, "] TJ\n", 5);
}

/*
 * Cosine and sine of deg degrees in millionths: exact at the quarter
 * turns, rounded from libm elsewhere.
 */
static void
cos_sin(int32_t deg, int32_t *c, int32_t *s)
{
	static const int32_t quarter[4][2] = {
	    {1000000, 0}, {0, 1000000}, {-1000000, 0}, {0, -1000000}};
	int32_t d = deg % 360;

	if (d < 0)
		d += 360;
	if (d % 90 == 0) {
		*c = quarter[d / 90][0];
		*s = quarter[d / 90][1];
		return;
	}
	double r = (double)d * 3.14159265358979323846 / 180.0;
	*c = (int32_t)lround(cos(r) * 1e6);
	*s = (int32_t)lround(sin(r) * 1e6);
}

/* "cos sin -sin cos x y Tm": places a rotated run absolutely. */
static void
put_matrix(struct pen *p, const struct page_op *op)
{
	int32_t c, s;

	cos_sin(op->angle, &c, &s);
	put_micro(p->out, c);
	buf_putc(p->out, ' ');
	put_micro(p->out, s);
	buf_putc(p->out, ' ');
	put_micro(p->out, -s);
	buf_putc(p->out, ' ');
	put_micro(p->out, c);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->x);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y);
	buf_add(p->out, " Tm\n", 4);
}

/*
 * A text run.  Td moves relative to the previous run's start, computed in
 * integers, so nothing drifts however many runs a text object holds.
 */
static void
draw_text(struct fontset *fs, struct pen *p, const struct page_op *op)
{
	size_t len = strlen(op->text);

	if (len == 0)
		return;
	/* A rotated run gets a text object of its own: Td after its Tm
	 * would move along the rotated axes. */
	if (op->angle != 0)
		end_text(p);
	if (!p->in_text) {
		buf_add(p->out, "BT\n", 3);
		p->in_text = true;
		p->tx = p->ty = 0;
	}
	if (p->face != (int)op->face || p->size != op->size) {
		const char *name = p->names[op->face];
		if (name == NULL)
			return; /* libharu failed: fs->err is set */
		buf_putc(p->out, '/');
		buf_puts(p->out, name);
		buf_putc(p->out, ' ');
		put_mpt(p->out, op->size);
		buf_add(p->out, " Tf\n", 4);
		p->face = (int)op->face;
		p->size = op->size;
	}
	if (p->fill != op->color) {
		put_rgb(p->out, op->color, "rg\n");
		p->fill = op->color;
	}
	if (op->angle != 0) {
		put_matrix(p, op);
		put_string(p->out, font_face(fs, op->face), op->text, len);
		end_text(p);
		return;
	}
	put_mpt(p->out, op->x - p->tx);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y - p->ty);
	buf_add(p->out, " Td\n", 4);
	p->tx = op->x;
	p->ty = op->y;
	if (op->starts != NULL)
		put_spaced(fs, p->out, op);
	else
		put_string(p->out, font_face(fs, op->face), op->text, len);
}

static void
draw_rule(struct pen *p, const struct page_op *op)
{
	end_text(p);
	if (p->line != op->size) {
		put_mpt(p->out, op->size);
		buf_add(p->out, " w\n", 3);
		p->line = op->size;
	}
	if (p->stroke != op->color) {
		put_rgb(p->out, op->color, "RG\n");
		p->stroke = op->color;
	}
	put_mpt(p->out, op->x);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y);
	buf_add(p->out, " m ", 3);
	put_mpt(p->out, op->x + op->w);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y + op->h);
	buf_add(p->out, " l S\n", 5);
}

static void
draw_rect(struct pen *p, const struct page_op *op)
{
	end_text(p);
	if (p->fill != op->color) {
		put_rgb(p->out, op->color, "rg\n");
		p->fill = op->color;
	}
	put_mpt(p->out, op->x);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->y);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->w);
	buf_putc(p->out, ' ');
	put_mpt(p->out, op->h);
	buf_add(p->out, " re f\n", 6);
}

void
content_page(struct fontset *fs, const struct page *page,
             const char *const names[FACE__MAX], struct buf *out)
{
	struct pen p = {.out = out,
	                .names = names,
	                .face = -1,
	                .fill = NO_COLOR,
	                .stroke = NO_COLOR,
	                .line = -1};

	buf_reset(out);
	for (size_t k = 0; k < page->nops; k++) {
		const struct page_op *op = &page->ops[k];
		switch (op->type) {
		case PAGE_TEXT:
			draw_text(fs, &p, op);
			break;
		case PAGE_RULE:
			draw_rule(&p, op);
			break;
		case PAGE_RECT:
			draw_rect(&p, op);
			break;
		default:
			break;
		}
	}
	end_text(&p);
}
