/*
 * PDF backend of the emit stage: writes the content stream of each page,
 * adds links, bookmarks, document information and a reproducible /ID
 * through libharu, saves in memory and writes the file atomically.
 * Decides nothing about layout.
 */
#include "emit.h"
#include "emit_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/utf8.h"
#include "../job.h"
#include "../page.h"

/* The trailer of HPDF_Doc and the content stream of a page are 2.3.0
 * internals. */
#if HPDF_VERSION_ID != 20300
#error "src/emit/emit_pdf.c reaches into libharu 2.3.0 structures"
#endif

#define MAX_OUTLINE_DEPTH 16

/*
 * The page content is written here, not through HPDF_Page_ShowText and
 * friends: those measure every string and hex-encode it, which made a
 * 2,000-page document take seconds.  Numbers come from integers, so they
 * are exact and the same on every host.
 */
struct pen {
	struct buf *out; /* content stream of the current page */
	const char *const *names; /* the page's resource name per face */
	bool in_text;    /* between BT and ET */
	int32_t tx, ty;  /* start of the current text line [mpt] */
	int face;        /* -1 until a font is set */
	int32_t size;    /* font size [mpt] */
	uint32_t fill;   /* 0xRRGGBB, or NO_COLOR */
	uint32_t stroke; /* 0xRRGGBB, or NO_COLOR */
	int32_t line;    /* line width [mpt], -1 until set */
};

#define NO_COLOR 0xFFFFFFFFu

/* Two 64-bit hashes of everything the PDF shows, for the /ID. */
struct hash {
	uint64_t a, b;
};

static void
hash_word(struct hash *h, uint64_t w)
{
	h->a = (h->a ^ w) * 0x100000001b3u;
	h->a ^= h->a >> 31;
	h->b = (h->b + w) * 0x9e3779b97f4a7c15u;
	h->b ^= h->b >> 29;
}

/* Bytes as little-endian words, so every host gets the same hash. */
static void
hash_bytes(struct hash *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;

	hash_word(h, n);
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		hash_word(h, w);
	}
	if (i < n) {
		uint64_t w = 0;
		for (size_t k = n; k > i; k--)
			w = w << 8 | s[k - 1];
		hash_word(h, w);
	}
}

static void
hash_str(struct hash *h, const char *s)
{
	if (s == NULL)
		hash_word(h, UINT64_MAX);
	else
		hash_bytes(h, s, strlen(s));
}

/* The splitmix64 finaliser. */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static HPDF_REAL
pt(int32_t mpt)
{
	return (HPDF_REAL)mpt / 1000.0f;
}

/*
 * v/1000 in decimal with no trailing zeros ("-12.5", "228"), written at
 * the end of out[0..16); returns where it starts.
 */
static char *
fmt_mpt(char out[16], int32_t v)
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

/* v in decimal, written at the end of out[0..16); returns its start. */
static char *
fmt_uint(char out[16], uint32_t v)
{
	char *s = out + 16;
	do
		*--s = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return s;
}

/* Writes v/1000 as fmt_mpt() gives it. */
static void
put_mpt(struct buf *b, int32_t v)
{
	char tmp[16];
	char *s = fmt_mpt(tmp, v);
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
put_string(struct buf *b, const struct emit_face *ef, const char *s,
           size_t len)
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

/*
 * A destination showing target with y at the top of the window, keeping
 * the reader's zoom: [page /XYZ 0 y null].  libharu's SetXYZ rejects a
 * zero ("keep") zoom, so the array is rebuilt.
 */
static HPDF_Destination
make_dest(HPDF_Page target, int32_t y)
{
	HPDF_Destination d = HPDF_Page_CreateDestination(target);

	if (d == NULL)
		return NULL;
	HPDF_Array_Clear(d);
	/* (void): failures land in fs->err, checked by the caller. */
	(void)HPDF_Array_Add(d, target);
	(void)HPDF_Array_AddName(d, "XYZ");
	(void)HPDF_Array_AddReal(d, 0);
	(void)HPDF_Array_AddReal(d, pt(y));
	(void)HPDF_Array_Add(d, HPDF_Null_New(d->mmgr));
	return d;
}

static HPDF_Rect
link_rect(const struct page_op *op)
{
	HPDF_Rect r = {pt(op->x), pt(op->y), pt(op->x + op->w),
	               pt(op->y + op->h)};
	return r;
}

/*
 * libharu writes the URI byte for byte; a URI may only hold printable
 * ASCII, so the rest is percent-encoded (UTF-8 bytes, spaces, quotes).
 * An existing %XX stays as it is.
 */
static void
encode_uri(struct buf *b, const char *uri)
{
	static const char hex[] = "0123456789ABCDEF";

	buf_reset(b);
	for (const unsigned char *s = (const unsigned char *)uri; *s; s++) {
		if (*s <= 0x20 || *s >= 0x7F || strchr("\"<>\\^`{|}", *s)) {
			char e[3] = {'%', hex[*s >> 4], hex[*s & 15]};
			buf_add(b, e, 3);
		} else {
			buf_putc(b, (char)*s);
		}
	}
	buf_add(b, "", 0); /* b->data is a string even when empty */
}

static void
add_uri_link(HPDF_Page pg, const struct page_op *op, struct buf *b)
{
	encode_uri(b, op->uri ? op->uri : "");
	HPDF_Annotation a =
	    HPDF_Page_CreateURILinkAnnot(pg, link_rect(op), b->data);
	if (a != NULL)
		(void)HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

/* What write_link() writes for a link to a place in the document. */
struct link {
	int32_t rect[4];  /* left, bottom, right, top [mpt] */
	uint32_t page;    /* object number of the page it is on */
	uint32_t target;  /* object number of the page it goes to */
	int32_t target_y; /* [mpt] */
};

/* The object number of an indirect object. */
static uint32_t
obj_number(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/*
 * Writes a link annotation's entries.  A document has thousands of links
 * ("Cited on pp.", note markers, contents); made of libharu objects each
 * took about 2.5 KB until the document was saved (keys of 128 bytes, a
 * name object per name), so the annotation is an empty dictionary that
 * writes its entries from 28 bytes.
 */
static HPDF_STATUS
write_link(HPDF_Dict dict, HPDF_Stream s)
{
	const struct link *l = dict->attr;
	char out[256], num[17];
	size_t n = 0;

	num[16] = '\0'; /* fmt_mpt() writes the digits before it */

#define PUT(str)                                                             \
	do {                                                                 \
		const char *p_ = (str);                                      \
		size_t k_ = strlen(p_);                                      \
		memcpy(out + n, p_, k_);                                     \
		n += k_;                                                     \
	} while (0)
	PUT("/Type /Annot\012/Subtype /Link\012/P ");
	PUT(fmt_uint(num, l->page));
	PUT(" 0 R\012/Rect [");
	for (int i = 0; i < 4; i++) {
		PUT(fmt_mpt(num, l->rect[i]));
		PUT(i < 3 ? " " : "]\012");
	}
	PUT("/Border [0 0 0]\012/Dest [");
	PUT(fmt_uint(num, l->target));
	PUT(" 0 R /XYZ 0 ");
	PUT(fmt_mpt(num, l->target_y));
	PUT(" null]\012");
#undef PUT
	return HPDF_Stream_Write(s, (const HPDF_BYTE *)out, (HPDF_UINT)n);
}

static void
add_dest_link(struct job *job, HPDF_Page pg, const struct page_op *op,
              HPDF_Page target)
{
	HPDF_Array annots = HPDF_Dict_GetItem(pg, "Annots", HPDF_OCLASS_ARRAY);
	HPDF_Dict d = HPDF_Dict_New(pg->mmgr);
	struct link *l = arena_alloc(job->arena, sizeof *l);

	if (d == NULL)
		return; /* fs->err is set */
	if (annots == NULL) {
		annots = HPDF_Array_New(pg->mmgr);
		if (annots == NULL ||
		    HPDF_Dict_Add(pg, "Annots", annots) != HPDF_OK) {
			HPDF_Dict_Free(d);
			return;
		}
	}
	*l = (struct link){{op->x, op->y, op->x + op->w, op->y + op->h},
	                   obj_number(pg), obj_number(target),
	                   op->dest_y};
	d->attr = l;
	d->write_fn = write_link;
	HPDF_PageAttr pa = (HPDF_PageAttr)pg->attr;
	if (HPDF_Xref_Add(pa->xref, d) == HPDF_OK)
		(void)HPDF_Array_Add(annots, d);
}

/* Links are annotations, not content: they enter the /ID hash here. */
static void
hash_link(struct hash *h, const struct page_op *op)
{
	hash_word(h, op->type);
	hash_word(h, (uint32_t)op->x);
	hash_word(h, (uint32_t)op->y);
	hash_word(h, (uint32_t)op->w);
	hash_word(h, (uint32_t)op->h);
	if (op->type == PAGE_LINK_URI) {
		hash_str(h, op->uri);
	} else {
		hash_word(h, op->dest_page);
		hash_word(h, (uint32_t)op->dest_y);
	}
}

/*
 * Page content is written and compressed here rather than in libharu,
 * which would keep every page uncompressed until it saves and then copy
 * it through small buffers.  libharu writes the compressed bytes as they
 * are, and the dictionary's write hook names the filter (with no filter
 * set libharu drops "Filter").
 */
struct slot {
	struct buf raw, z;            /* the page's content, and compressed */
	const char *names[FACE__MAX]; /* the page's name for each font */
	size_t page;                  /* which page the slot holds */
	bool failed;                  /* it could not be compressed */
};

/* Writes page i's content into its slot's raw buffer and compresses it. */
static void
page_content(struct fontset *fs, const struct pages *pp, struct slot *sl,
             struct deflater *d)
{
	const struct page *page = &pp->pages[sl->page];
	struct pen p = {.out = &sl->raw,
	                .names = sl->names,
	                .face = -1,
	                .fill = NO_COLOR,
	                .stroke = NO_COLOR,
	                .line = -1};

	buf_reset(&sl->raw);
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
	buf_reset(&sl->z);
	size_t cap = deflater_bound(d, sl->raw.len);
	buf_reserve(&sl->z, cap);
	sl->z.len = deflater_zlib(d, sl->raw.data, sl->raw.len, sl->z.data,
	                          cap);
	sl->failed = sl->z.len == 0;
}

HPDF_STATUS
emit_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

HPDF_STATUS
emit_flate_filter_array(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

/*
 * Page i's libharu side before its content: the resource name of each
 * font it draws with, registered in the order it first uses them, and
 * its links.  False after reporting.
 */
static bool
page_prepare(struct job *job, struct fontset *fs, const struct pages *pp,
             HPDF_Page *pgs, size_t i, struct slot *sl, struct buf *uri)
{
	const struct page *page = &pp->pages[i];

	memset(sl->names, 0, sizeof sl->names);
	sl->page = i;
	for (size_t k = 0; k < page->nops; k++) {
		const struct page_op *op = &page->ops[k];
		switch (op->type) {
		case PAGE_TEXT:
			if (op->text[0] != '\0' && sl->names[op->face] == NULL) {
				HPDF_Font font = font_get(fs, op->face);
				if (font != NULL)
					sl->names[op->face] =
					    HPDF_Page_GetLocalFontName(pgs[i],
					                               font);
			}
			break;
		case PAGE_LINK_URI:
			add_uri_link(pgs[i], op, uri);
			break;
		case PAGE_LINK_DEST:
			if (op->dest_page >= pp->n) {
				diag_system(job->diag,
				            "cannot link to page %lu of %zu "
				            "(a bug in the typesetter)",
				            (unsigned long)op->dest_page + 1,
				            pp->n);
				return false;
			}
			add_dest_link(job, pgs[i], op, pgs[op->dest_page]);
			break;
		default:
			break;
		}
	}
	return font_check(job, fs, "draw the pages");
}

/*
 * Hashes page i's content (links first, as a reader meets them) and puts
 * the compressed bytes in the page's stream.
 */
static bool
page_finish(struct job *job, struct fontset *fs, const struct pages *pp,
            HPDF_Page *pgs, struct slot *sl, struct hash *h)
{
	size_t i = sl->page;
	const struct page *page = &pp->pages[i];
	for (size_t k = 0; k < page->nops; k++)
		if (page->ops[k].type == PAGE_LINK_URI ||
		    page->ops[k].type == PAGE_LINK_DEST)
			hash_link(h, &page->ops[k]);
	hash_bytes(h, sl->raw.data, sl->raw.len);
	if (sl->failed) {
		diag_system(job->diag, "cannot compress page %zu", i + 1);
		return false;
	}
	if (sl->z.len > 0) {
		HPDF_PageAttr attr = (HPDF_PageAttr)pgs[i]->attr;
		attr->contents->filter = HPDF_STREAM_FILTER_NONE;
		attr->contents->write_fn = emit_flate_filter;
		(void)HPDF_Stream_Write(attr->stream,
		                        (const HPDF_BYTE *)sl->z.data,
		                        (HPDF_UINT)sl->z.len); /* fs->err */
	}
	return font_check(job, fs, "draw the pages");
}

/*
 * Draws every page in order: its fonts and links, its content, its
 * stream.  With pp->drop_ops a page's operations are freed once it is
 * drawn.  False after reporting.
 */
static bool
draw_pages(struct job *job, struct fontset *fs, struct pages *pp,
           HPDF_Page *pgs, struct hash *h)
{
	struct deflater *d = deflater_new();
	struct slot sl = {0};
	struct buf uri = {0};
	bool ok = d != NULL;

	if (d == NULL)
		diag_system(job->diag, "cannot compress the pages: out of "
		                       "memory");
	for (size_t i = 0; ok && i < pp->n; i++) {
		ok = page_prepare(job, fs, pp, pgs, i, &sl, &uri);
		if (ok) {
			page_content(fs, pp, &sl, d);
			ok = page_finish(job, fs, pp, pgs, &sl, h);
		}
		struct page *pg = &pp->pages[i];
		if (pp->drop_ops && pg->owned) {
			free(pg->ops);
			*pg = (struct page){0};
		}
	}
	buf_free(&sl.raw);
	buf_free(&sl.z);
	buf_free(&uri);
	deflater_free(d);
	return ok;
}

/*
 * s as a PDF text string: UTF-16BE after a byte order mark, written in
 * hex.  libharu's UTF-8 encoder would do the same, but setting it up
 * clears and fills a quarter of a megabyte of tables on every run.
 * Bytes that are not UTF-8 become U+FFFD; what would pass libharu's
 * string limit is cut at a character.
 */
static HPDF_Binary
text_string(struct fontset *fs, const char *s)
{
	unsigned char out[HPDF_LIMIT_MAX_STRING_LEN];
	size_t len = strlen(s), n = 0;
	out[n++] = 0xFE;
	out[n++] = 0xFF;
	for (size_t i = 0; i < len;) {
		uint32_t cp = (unsigned char)s[i];
		size_t k = 1;
		if (cp >= 0x80 && (k = utf8_decode(s + i, len - i, &cp)) == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		i += k;
		uint16_t u[2];
		size_t m = 1;
		if (cp > 0xFFFF) {
			cp -= 0x10000;
			u[0] = (uint16_t)(0xD800 + (cp >> 10));
			u[1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
			m = 2;
		} else {
			u[0] = (uint16_t)cp;
		}
		if (n + 2 * m > sizeof out)
			break;
		for (size_t j = 0; j < m; j++) {
			out[n++] = (unsigned char)(u[j] >> 8);
			out[n++] = (unsigned char)u[j];
		}
	}
	return HPDF_Binary_New(fs->pdf->mmgr, out, (HPDF_UINT)n);
}

/*
 * Bookmarks.  An entry's parent is the last entry one level up; a level
 * deeper than that is treated as one level below it.
 */
static bool
add_outlines(struct job *job, struct fontset *fs, const struct pages *pp,
             HPDF_Page *pgs, struct hash *h)
{
	HPDF_Outline stack[MAX_OUTLINE_DEPTH];
	int depth = 0;

	if (pp->noutlines == 0)
		return true;
	for (size_t i = 0; i < pp->noutlines; i++) {
		const struct outline *o = &pp->outlines[i];
		int level = o->level < 0 ? 0 : o->level;
		if (level > depth)
			level = depth;
		if (level >= MAX_OUTLINE_DEPTH)
			level = MAX_OUTLINE_DEPTH - 1;
		if (o->page >= pp->n) {
			diag_system(
			    job->diag,
			    "cannot add bookmark \"%s\" on page %lu of %zu "
			    "(a bug in the typesetter)",
			    o->title, (unsigned long)o->page + 1, pp->n);
			return false;
		}
		hash_word(h, (uint64_t)level);
		hash_str(h, o->title);
		hash_word(h, o->page);
		hash_word(h, (uint32_t)o->y);
		HPDF_Outline ol = HPDF_CreateOutline(
		    fs->pdf, level ? stack[level - 1] : NULL, "", NULL);
		if (ol == NULL)
			break;
		(void)HPDF_Dict_Add(ol, "Title",
		                    text_string(fs, o->title ? o->title : ""));
		(void)HPDF_Outline_SetDestination(
		    ol, make_dest(pgs[o->page], o->y));
		if (level == 0)
			(void)HPDF_Outline_SetOpened(ol, HPDF_TRUE);
		stack[level] = ol;
		depth = level + 1;
	}
	(void)HPDF_SetPageMode(fs->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	return font_check(job, fs, "add the bookmarks");
}

/* Days since 1970-01-01 to a civil date (Hinnant's days_from_civil). */
static void
civil(int64_t days, HPDF_Date *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	d->year = (HPDF_INT)(yoe + era * 400 + (m <= 2));
	d->month = (HPDF_INT)m;
	d->day = (HPDF_INT)(doy - (153 * mp + 2) / 5 + 1);
}

/*
 * CreationDate and ModDate from pages->created in the as-of time zone.
 * UTC is written "+00'00'", not "Z" (libharu mishandles 'Z' elsewhere).
 */
static void
set_dates(struct fontset *fs, const struct pages *pp)
{
	int tz = pp->tz_minutes;
	int atz = tz < 0 ? -tz : tz;
	int64_t t = pp->created + (int64_t)tz * 60;
	int64_t days = (t >= 0 ? t : t - 86399) / 86400;
	int64_t sec = t - days * 86400;
	HPDF_Date d = {0};

	/* Years 1970 to 9999; anything else means no date was given. */
	if (pp->created < 0 || pp->created > 253402300799 || atz >= 24 * 60)
		return;
	civil(days, &d);
	d.hour = (HPDF_INT)(sec / 3600);
	d.minutes = (HPDF_INT)(sec / 60 % 60);
	d.seconds = (HPDF_INT)(sec % 60);
	d.ind = tz < 0 ? '-' : '+';
	d.off_hour = atz / 60;
	d.off_minutes = atz % 60;
	(void)HPDF_SetInfoDateAttr(fs->pdf, HPDF_INFO_CREATION_DATE, d);
	(void)HPDF_SetInfoDateAttr(fs->pdf, HPDF_INFO_MOD_DATE, d);
}

/* An entry of the document information, when s is not empty. */
static void
set_info(struct fontset *fs, const char *key, const char *s)
{
	if (s != NULL && *s != '\0' && fs->pdf->info != NULL)
		(void)HPDF_Dict_Add(fs->pdf->info, key, text_string(fs, s));
}

/* A custom entry, hashed only when set, so a document without it keeps
 * its bytes. */
static void
set_custom(struct fontset *fs, struct hash *h, const char *key, const char *s)
{
	if (s == NULL || *s == '\0' || fs->pdf->info == NULL)
		return;
	hash_str(h, key);
	hash_str(h, s);
	set_info(fs, key, s);
}

/*
 * Document information, then a /ID made from the hash of everything drawn:
 * readers expect one, and a time-based one would break reproducibility.
 */
static bool
add_info(struct job *job, struct fontset *fs, const struct pages *pp,
         struct hash *h)
{
	unsigned char id[16];
	HPDF_Array a;

	/* Creating the information dictionary. */
	(void)HPDF_SetInfoAttr(fs->pdf, HPDF_INFO_CREATOR, "briefing");
	set_info(fs, "Title", pp->title);
	set_info(fs, "Author", pp->author);
	set_info(fs, "Subject", pp->subject);
	set_info(fs, "Keywords", pp->keywords);
	set_custom(fs, h, "Edition", pp->edition);
	set_custom(fs, h, "Copy", pp->copy);
	set_dates(fs, pp);
	/* The digest of the inputs, for "build --if-changed". */
	if (pp->inputs_digest != NULL && fs->pdf->info != NULL)
		(void)HPDF_Dict_Add(fs->pdf->info, "BriefingInputs",
		                    HPDF_String_New(fs->pdf->mmgr,
		                                    pp->inputs_digest, NULL));
	hash_str(h, pp->inputs_digest);

	hash_str(h, pp->title);
	hash_str(h, pp->author);
	hash_str(h, pp->subject);
	hash_str(h, pp->keywords);
	hash_word(h, (uint64_t)pp->created);
	hash_word(h, (uint64_t)pp->tz_minutes);
	for (int f = 0; f < FACE__MAX; f++)
		if (fs->face[f].font != NULL) /* drawn: embedded */
			hash_str(h, fs->face[f].name);
	uint64_t x = mix(h->a), y = mix(h->b);
	for (int i = 0; i < 8; i++) {
		id[i] = (unsigned char)(x >> (8 * i));
		id[8 + i] = (unsigned char)(y >> (8 * i));
	}
	a = HPDF_Array_New(fs->pdf->mmgr);
	if (a != NULL) {
		(void)HPDF_Dict_Add(fs->pdf->trailer, "ID", a);
		(void)HPDF_Array_Add(a, HPDF_Binary_New(fs->pdf->mmgr, id, 16));
		(void)HPDF_Array_Add(a, HPDF_Binary_New(fs->pdf->mmgr, id, 16));
	}
	return font_check(job, fs, "set the document information");
}

/*
 * Saves the document into libharu's memory stream and gives its buffers
 * as parts[0..*n) (malloc; the caller frees the array, not the data),
 * with nothing copied: for 10,000 breaches the PDF is 24 MB.
 */
static bool
save(struct job *job, struct fontset *fs, struct fileio_part **parts,
     size_t *n)
{
	*parts = NULL;
	*n = 0;
	/* (void): failures land in fs->err. */
	(void)HPDF_SaveToStream(fs->pdf);
	if (!font_check(job, fs, "save the PDF"))
		return false;
	HPDF_Stream st = fs->pdf->stream;
	HPDF_UINT count = HPDF_MemStream_GetBufCount(st);
	struct fileio_part *p = calloc(count ? count : 1, sizeof *p);
	if (p == NULL) {
		fputs("briefing: out of memory\n", stderr);
		exit(3);
	}
	size_t total = 0;
	for (HPDF_UINT k = 0; k < count; k++) {
		HPDF_UINT len = 0;
		p[k].data = HPDF_MemStream_GetBufPtr(st, k, &len);
		p[k].len = p[k].data ? len : 0;
		total += p[k].len;
	}
	if (!font_check(job, fs, "save the PDF") || total != st->size) {
		if (total != st->size)
			diag_system(job->diag,
			            "cannot save the PDF: got %zu of %lu bytes "
			            "from libharu",
			            total, (unsigned long)st->size);
		free(p);
		return false;
	}
	*parts = p;
	*n = count;
	return true;
}

static bool
add_pages(struct job *job, struct fontset *fs, const struct pages *pp,
          HPDF_Page *pgs)
{
	for (size_t i = 0; i < pp->n; i++) {
		pgs[i] = HPDF_AddPage(fs->pdf);
		if (pgs[i] == NULL)
			break;
		(void)HPDF_Page_SetWidth(pgs[i], pt(pp->width));
		(void)HPDF_Page_SetHeight(pgs[i], pt(pp->height));
	}
	/* Page labels, so that a viewer's page box shows the printed
	 * numbers. */
	(void)HPDF_AddPageLabel(fs->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
	                        NULL);
	if (pp->nannex > 0 && pp->nannex < pp->n)
		(void)HPDF_AddPageLabel(fs->pdf,
		                        (HPDF_UINT)(pp->n - pp->nannex),
		                        HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "A-");
	return font_check(job, fs, "add the pages");
}

/*
 * Sets, before anything is drawn, every code the pages will draw in its
 * face's bitset, so that the fonts can be embedded while the pages are
 * drawn.
 */
static bool
mark_all_codes(struct fontset *fs, const struct pages *pp)
{
	for (size_t i = 0; i < pp->n; i++)
		for (size_t k = 0; k < pp->pages[i].nops; k++) {
			const struct page_op *op = &pp->pages[i].ops[k];
			if (op->type != PAGE_TEXT || op->text == NULL)
				continue;
			uint8_t *used = font_used(fs, op->face);
			size_t len = strlen(op->text);
			for (size_t j = 0; j < len;) {
				uint32_t cp = (unsigned char)op->text[j];
				size_t n = 1;
				if (cp >= 0x80 &&
				    (n = utf8_decode(op->text + j, len - j,
				                     &cp)) == 0) {
					j++;
					continue;
				}
				j += n;
				if (cp > 0xFFFF)
					cp = 0xFFFD;
				used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
			}
		}
	return true;
}

/* Draws and saves the document: its bytes in parts[0..*n) (see save()). */
static bool
emit_parts(struct job *job, struct fontset *fs, struct pages *pp,
           struct fileio_part **parts, size_t *n)
{
	struct hash h = {0xcbf29ce484222325u, 0x84222325cbf29ce4u};
	HPDF_Page *pgs;
	bool ok;

	*parts = NULL;
	*n = 0;
	if (fs->is_emitted || pp->n == 0) {
		diag_system(job->diag, "cannot write the PDF: %s",
		            pp->n == 0 ? "no pages (a bug in the typesetter)"
		                       : "the document was already written");
		return false;
	}
	fs->is_emitted = true;
	pgs = calloc(pp->n, sizeof *pgs);
	if (pgs == NULL) {
		fputs("briefing: out of memory\n", stderr);
		exit(3);
	}
	hash_word(&h, pp->n);
	hash_word(&h, (uint32_t)pp->width);
	hash_word(&h, (uint32_t)pp->height);
	ok = add_pages(job, fs, pp, pgs);
	ok = ok && mark_all_codes(fs, pp) && font_embed_start(job, fs);
	ok = ok && draw_pages(job, fs, pp, pgs, &h);
	ok = ok && add_outlines(job, fs, pp, pgs, &h);
	ok = ok && font_fix(job, fs);
	ok = ok && add_info(job, fs, pp, &h);
	ok = ok && save(job, fs, parts, n);
	free(pgs);
	return ok;
}

bool
emit_pdf_bytes(struct job *job, struct fontset *fs, struct pages *pp,
               unsigned char **data, size_t *len)
{
	struct fileio_part *parts;
	size_t n, total = 0;

	*data = NULL;
	*len = 0;
	if (!emit_parts(job, fs, pp, &parts, &n))
		return false;
	for (size_t k = 0; k < n; k++)
		total += parts[k].len;
	unsigned char *p = malloc(total ? total : 1);
	if (p == NULL) {
		fputs("briefing: out of memory\n", stderr);
		exit(3);
	}
	for (size_t k = 0, at = 0; k < n; at += parts[k].len, k++)
		memcpy(p + at, parts[k].data, parts[k].len);
	free(parts);
	*data = p;
	*len = total;
	return true;
}

/* Writes to standard output, where no atomic replacement is possible. */
static bool
write_stdout(struct job *job, const struct fileio_part *parts, size_t n)
{
	size_t k = 0;
	while (k < n && fwrite(parts[k].data, 1, parts[k].len, stdout) ==
	                    parts[k].len)
		k++;
	if (k < n || fflush(stdout) != 0) {
		diag_system(job->diag, "cannot write to standard output: %s",
		            strerror(errno));
		return false;
	}
	return true;
}

bool
emit_pdf(struct job *job, struct fontset *fs, struct pages *pp,
         const char *path)
{
	struct fileio_part *parts;
	size_t n;
	bool ok;

	if (!emit_parts(job, fs, pp, &parts, &n))
		return false;
	if (strcmp(path, "-") == 0)
		ok = write_stdout(job, parts, n);
	else
		ok = fileio_write_parts(job->diag, path, parts, n);
	free(parts);
	return ok;
}
