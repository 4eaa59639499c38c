/*
 * Emit stage: positioned pages to a PDF file.  Adds the pages with their
 * content (content.c) and links, the fonts they draw (font.c), the
 * bookmarks, the document information and a reproducible /ID through
 * libharu, saves in memory and writes the file atomically.  Decides
 * nothing about layout.
 */
#include "emit.h"
#include "emit_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/mem.h"
#include "../base/utf8.h"
#include "../job.h"
#include "../page.h"

#define MAX_OUTLINE_DEPTH 16

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

/*
 * libharu writes the URI byte for byte; a URI may only hold printable
 * ASCII, so the rest is percent-encoded (UTF-8 bytes, spaces, quotes).
 * An existing %XX stays as it is.
 */
static void
encode_uri(struct buf *b, const char *uri)
{
	buf_reset(b);
	for (const unsigned char *s = (const unsigned char *)uri; *s; s++) {
		if (*s <= 0x20 || *s >= 0x7F || strchr("\"<>\\^`{|}", *s)) {
			buf_putc(b, '%');
			buf_hex(b, s, 1);
		} else {
			buf_putc(b, (char)*s);
		}
	}
	buf_add(b, "", 0); /* b->data is a string even when empty */
}

/*
 * A link annotation: to a URI or a place in the document.  In a tagged
 * document it says what its text says and is filed with its Link.
 */
static void
add_link(struct job *job, HPDF_Page *pgs, size_t i, const struct page_op *op,
         struct buf *b, struct tags *tg)
{
	bool tagged = tg != NULL && tags_element(tg, op->elem);
	const char *uri = NULL;
	if (op->type == PAGE_LINK_URI) {
		encode_uri(b, op->uri ? op->uri : "");
		uri = b->data;
	}
	uint32_t obj = haru_link(
	    job->arena, pgs[i],
	    (const int32_t[4]){op->x, op->y, op->x + op->w, op->y + op->h},
	    uri ? NULL : pgs[op->dest_page], op->dest_y, uri,
	    tagged ? (op->text && *op->text ? op->text
	              : uri                 ? uri
	                                    : "link")
	           : NULL,
	    tagged ? tags_next_key(tg) : -1);
	if (tagged && obj != 0)
		tags_annot(tg, i, op->elem, obj);
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
	struct buf raw, z;    /* the page's content, and compressed */
	int fonts[FONTS_MAX]; /* the fonts the page draws with */
	int nfonts;
	size_t page; /* which page the slot holds */
	bool failed; /* it could not be compressed */
};

/* Writes page i's content into its slot's raw buffer and compresses it. */
static void
page_content(struct fontset *fs, const struct pages *pp, struct slot *sl,
             struct deflater *d, struct tags *tg)
{
	content_page(fs, &pp->pages[sl->page], &sl->raw, sl->fonts, &sl->nfonts,
	             tg, sl->page);
	buf_reset(&sl->z);
	size_t cap = deflate_bound(d, sl->raw.len);
	buf_reserve(&sl->z, cap);
	sl->z.len = deflate_zlib(d, sl->raw.data, sl->raw.len, sl->z.data, cap);
	sl->failed = sl->z.len == 0;
}

/*
 * Page i's libharu side before its content: the resource name of each
 * font it draws with, registered in the order it first uses them, and
 * its links.  False after reporting.
 */
static bool
page_prepare(struct job *job, struct fontset *fs, const struct pages *pp,
             HPDF_Page *pgs, size_t i, struct slot *sl, struct buf *uri,
             struct tags *tg)
{
	const struct page *page = &pp->pages[i];

	sl->page = i;
	for (size_t k = 0; k < page->nops; k++) {
		const struct page_op *op = &page->ops[k];
		switch (op->type) {
		case PAGE_LINK_URI:
			add_link(job, pgs, i, op, uri, tg);
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
			add_link(job, pgs, i, op, uri, tg);
			break;
		case PAGE_IMAGE:
			if (!haru_page_image(fs, pgs[i], pp->images,
			                     pp->nimages, op->dest_page)) {
				diag_system(job->diag,
				            "cannot compress image \"%s\"",
				            op->dest_page < pp->nimages
				                ? pp->images[op->dest_page].path
				                : "?");
				return false;
			}
			break;
		default:
			break;
		}
	}
	return haru_check(job, fs, "draw the pages");
}

/*
 * Puts the fonts a page's content named F1, F2, ... in its resources,
 * making each font's objects when a page first draws with it.  libharu
 * names a page's fonts in the order they are added, so they are added
 * in that order.
 */
static bool
page_fonts(struct job *job, struct fontset *fs, HPDF_Page pg,
           const struct slot *sl)
{
	for (int k = 0; k < sl->nfonts; k++) {
		struct emit_face *ef = &fs->face[sl->fonts[k]];
		if (ef->font == NULL)
			haru_font_new(fs, ef);
		if (ef->font == NULL)
			break; /* fs->err is set */
		const char *name = HPDF_Page_GetLocalFontName(pg, ef->font);
		char want[16];
		snprintf(want, sizeof want, "F%d", k + 1);
		if (name == NULL || strcmp(name, want) != 0) {
			diag_system(job->diag,
			            "cannot name the fonts of a page (a bug)");
			return false;
		}
	}
	return haru_check(job, fs, "prepare the fonts");
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
	if (!page_fonts(job, fs, pgs[i], sl))
		return false;
	for (size_t k = 0; k < page->nops; k++)
		if (page->ops[k].type == PAGE_LINK_URI ||
		    page->ops[k].type == PAGE_LINK_DEST)
			hash_link(h, &page->ops[k]);
	hash_bytes(h, sl->raw.data, sl->raw.len);
	if (sl->failed) {
		diag_system(job->diag, "cannot compress page %zu", i + 1);
		return false;
	}
	if (sl->z.len > 0)
		haru_page_content(pgs[i], sl->z.data, sl->z.len);
	return haru_check(job, fs, "draw the pages");
}

/*
 * Draws every page in order: its fonts and links, its content, its
 * stream.  With pp->drop_ops a page's operations are freed once it is
 * drawn.  False after reporting.
 */
static bool
draw_pages(struct job *job, struct fontset *fs, struct pages *pp,
           HPDF_Page *pgs, struct hash *h, struct tags *tg)
{
	struct deflater *d = fs->dz;
	struct slot sl = {0};
	struct buf uri = {0};
	bool ok = true;

	for (size_t i = 0; ok && i < pp->n; i++) {
		ok = page_prepare(job, fs, pp, pgs, i, &sl, &uri, tg);
		if (ok) {
			page_content(fs, pp, &sl, d, tg);
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
	return ok;
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
		haru_outline_title(fs, ol, o->title);
		(void)HPDF_Outline_SetDestination(
		    ol, haru_dest(pgs[o->page], o->y));
		if (level == 0)
			(void)HPDF_Outline_SetOpened(ol, HPDF_TRUE);
		stack[level] = ol;
		depth = level + 1;
	}
	(void)HPDF_SetPageMode(fs->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	return haru_check(job, fs, "add the bookmarks");
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
 * Time t (Unix seconds) in the zone tz minutes east of UTC, as a PDF
 * date; false when it cannot be written.
 */
static bool
pdf_date(int64_t t, int tz, HPDF_Date *d)
{
	int atz = tz < 0 ? -tz : tz;
	t += (int64_t)tz * 60;
	int64_t days = (t >= 0 ? t : t - 86399) / 86400;
	int64_t sec = t - days * 86400;

	*d = (HPDF_Date){0};
	/* A PDF date has a year of four digits: 0000 to 9999 in the as-of
	 * zone.  The fact file's as_of and SOURCE_DATE_EPOCH keep to that;
	 * the test is for the arithmetic. */
	if (t < -62167219200 || t > 253402300799 || atz >= 24 * 60)
		return false;
	civil(days, d);
	d->hour = (HPDF_INT)(sec / 3600);
	d->minutes = (HPDF_INT)(sec / 60 % 60);
	d->seconds = (HPDF_INT)(sec % 60);
	d->ind = tz < 0 ? '-' : '+';
	d->off_hour = atz / 60;
	d->off_minutes = atz % 60;
	return true;
}

/* pages->created in the as-of time zone, as CreationDate and ModDate
 * have it; false when it cannot be written. */
static bool
created(const struct pages *pp, HPDF_Date *d)
{
	return pdf_date(pp->created, pp->tz_minutes, d);
}

/*
 * CreationDate and ModDate from pages->created in the as-of time zone.
 * UTC is written "+00'00'", not "Z" (libharu mishandles 'Z' elsewhere).
 * The same instant and offset in XMP's form go into xmp[0..32), or ""
 * when there is no date.
 */
static void
set_dates(struct fontset *fs, const struct pages *pp, char xmp[32])
{
	HPDF_Date d;

	xmp[0] = '\0';
	if (!created(pp, &d))
		return;
	(void)HPDF_SetInfoDateAttr(fs->pdf, HPDF_INFO_CREATION_DATE, d);
	(void)HPDF_SetInfoDateAttr(fs->pdf, HPDF_INFO_MOD_DATE, d);
	/* The fields are in range (created()); unsigned and cut to
	 * their digits so the compiler sees that they fit. */
	snprintf(xmp, 32, "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u",
	         (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
	         (unsigned)d.day % 100u, (unsigned)d.hour % 100u,
	         (unsigned)d.minutes % 100u, (unsigned)d.seconds % 100u, d.ind,
	         (unsigned)d.off_hour % 100u, (unsigned)d.off_minutes % 100u);
}

/* An entry of the document information, when s is not empty. */
static void
set_info(struct fontset *fs, const char *key, const char *s)
{
	if (s != NULL && *s != '\0')
		haru_info_text(fs, key, s);
}

/* A custom entry, hashed only when set, so a document without it keeps
 * its bytes. */
static void
set_custom(struct fontset *fs, struct hash *h, const char *key, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	hash_str(h, key);
	hash_str(h, s);
	set_info(fs, key, s);
}

/* s as the document information keeps it (cut where a text string
 * ends), in a when cut. */
static const char *
as_info(struct arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = haru_text_len(s);
	if (s[n] == '\0')
		return s;
	char *cut = arena_alloc(a, n + 1);
	memcpy(cut, s, n);
	cut[n] = '\0';
	return cut;
}

/*
 * What archiving and accessibility ask of the catalog: the PDF version
 * (1.7, which PDF/A-2 builds on), the title in the window, the XMP
 * metadata (with the information's values, cut where they are, and the
 * dates in xmp_date),
 * and for PDF/A the sRGB output intent every colour (DeviceRGB) is
 * meant in.  False after reporting.
 */
static bool
add_standards(struct job *job, struct fontset *fs, const struct pages *pp,
              const char *xmp_date)
{
	struct buf b = {0};
	bool ok = true;

	haru_pdf_17(fs);
	haru_catalog_viewer(fs);
	xmp_packet(&b, &(struct xmp){
	                   .title = as_info(job->arena, pp->title),
	                   .author = as_info(job->arena, pp->author),
	                   .subject = as_info(job->arena, pp->subject),
	                   .keywords = as_info(job->arena, pp->keywords),
	                   .lang = pp->lang != NULL ? pp->lang : "en",
	                   .tool = "briefing",
	                   .producer = haru_producer(fs, job->arena),
	                   .date = xmp_date,
	                   .pdfa = pp->pdfa,
	                   .ua = pp->tagged,
	               });
	haru_catalog_metadata(fs, b.data, b.len);
	if (pp->pdfa && !haru_output_intent(fs, &b)) {
		diag_system(job->diag, "cannot compress the colour profile");
		ok = false;
	}
	buf_free(&b);
	return ok && haru_check(job, fs, "write the metadata");
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

	char date[32];

	/* Creating the information dictionary. */
	(void)HPDF_SetInfoAttr(fs->pdf, HPDF_INFO_CREATOR, "briefing");
	set_info(fs, "Title", pp->title);
	set_info(fs, "Author", pp->author);
	set_info(fs, "Subject", pp->subject);
	set_info(fs, "Keywords", pp->keywords);
	set_custom(fs, h, "Edition", pp->edition);
	set_custom(fs, h, "Copy", pp->copy);
	set_dates(fs, pp, date);
	/* The language, hashed unless it is the default, so that the /ID
	 * of a briefing that does not set one stays what it was. */
	haru_catalog_lang(fs, pp->lang != NULL ? pp->lang : "en");
	if (pp->lang != NULL && strcmp(pp->lang, "en") != 0)
		hash_str(h, pp->lang);
	/* The digest of the inputs, for "build --if-changed". */
	if (pp->inputs_digest != NULL)
		haru_info_ascii(fs, "BriefingInputs", pp->inputs_digest);
	hash_str(h, pp->inputs_digest);
	if (!add_standards(job, fs, pp, date))
		return false;
	hash_word(h, pp->pdfa);
	hash_word(h, pp->tagged);

	hash_str(h, pp->title);
	hash_str(h, pp->author);
	hash_str(h, pp->subject);
	hash_str(h, pp->keywords);
	hash_word(h, (uint64_t)pp->created);
	hash_word(h, (uint64_t)pp->tz_minutes);
	for (int f = 0; f < FONTS_MAX; f++)
		if (fs->face[f].font != NULL) /* drawn: embedded */
			hash_str(h, fs->face[f].name);
	uint64_t x = mix(h->a), y = mix(h->b);
	for (int i = 0; i < 8; i++) {
		id[i] = (unsigned char)(x >> (8 * i));
		id[8 + i] = (unsigned char)(y >> (8 * i));
	}
	haru_trailer_id(fs, id);
	return haru_check(job, fs, "set the document information");
}

static bool
add_pages(struct job *job, struct fontset *fs, const struct pages *pp,
          HPDF_Page *pgs)
{
	for (size_t i = 0; i < pp->n; i++) {
		pgs[i] = HPDF_AddPage(fs->pdf);
		if (pgs[i] == NULL)
			break;
		(void)HPDF_Page_SetWidth(pgs[i], emit_pt(pp->width));
		(void)HPDF_Page_SetHeight(pgs[i], emit_pt(pp->height));
	}
	/* Page labels, so that a viewer's page box shows the printed
	 * numbers. */
	(void)HPDF_AddPageLabel(fs->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
	                        NULL);
	if (pp->nannex > 0 && pp->nannex < pp->n)
		(void)HPDF_AddPageLabel(fs->pdf,
		                        (HPDF_UINT)(pp->n - pp->nannex),
		                        HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "A-");
	return haru_check(job, fs, "add the pages");
}

/* The structure tree, and each page's entries for it. */
static bool
add_tags(struct job *job, struct fontset *fs, const struct pages *pp,
         HPDF_Page *pgs, struct tags *tg)
{
	uint32_t *obj = mem_alloc(pp->n, sizeof *obj);
	for (size_t i = 0; i < pp->n; i++)
		obj[i] = haru_obj(pgs[i]);
	bool ok = tags_write(job, fs, tg, obj);
	for (size_t i = 0; ok && i < pp->n; i++)
		haru_page_tagged(pgs[i],
		                 tags_page_marked(tg, i) ? (int32_t)i : -1);
	free(obj);
	return ok && haru_check(job, fs, "write the structure tree");
}

/* The signing time t (Unix seconds) as a PDF date in UTC, "" when it
 * has no four-digit year. */
static void
sig_date(int64_t t, char out[32])
{
	HPDF_Date d;
	out[0] = '\0';
	if (!pdf_date(t, 0, &d))
		return;
	snprintf(out, 32, "D:%04u%02u%02u%02u%02u%02u+00'00'",
	         (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
	         (unsigned)d.day % 100u, (unsigned)d.hour % 100u,
	         (unsigned)d.minutes % 100u, (unsigned)d.seconds % 100u);
}

/* The invisible signature field on the first page, tagged as a Form. */
static bool
add_signature(struct job *job, struct fontset *fs, const struct pages *pp,
              HPDF_Page *pgs, struct tags *tg)
{
	char when[32];
	sig_date(pp->sign->when, when);
	int32_t key = tg != NULL ? tags_next_key(tg) : -1;
	uint32_t obj = haru_signature(fs, pgs[0], when, pp->sign->room, key);
	if (obj == 0)
		return haru_check(job, fs, "add the signature field");
	if (tg != NULL) {
		tags_annot(tg, 0, tags_form(tg), obj);
		tags_page_end(tg);
	}
	return true;
}

static bool
to_buf(void *ctx, const void *data, size_t len)
{
	buf_add(ctx, data, len);
	return true;
}

/* The file saved to memory, signed there, then given to write(). */
static bool
save_signed(struct job *job, struct fontset *fs, const struct page_signer *s,
            bool (*write)(void *ctx, const void *data, size_t len), void *ctx)
{
	struct buf b = {0};
	size_t range, contents;
	bool ok = haru_save(job, fs, to_buf, &b);
	if (ok) {
		haru_sig_places(fs, &range, &contents);
		ok = s->fill(s->ctx, (unsigned char *)b.data, b.len, range,
		             contents) &&
		     write(ctx, b.data, b.len); /* the sink reports */
	}
	buf_free(&b);
	return ok;
}

/* Draws and saves the document, its bytes given to write() (haru_save()). */
static bool
emit_doc(struct job *job, struct fontset *fs, struct pages *pp,
         bool (*write)(void *ctx, const void *data, size_t len), void *ctx)
{
	struct hash h = {0xcbf29ce484222325u, 0x84222325cbf29ce4u};
	HPDF_Page *pgs;
	bool ok;

	if (fs->is_emitted || pp->n == 0) {
		diag_system(job->diag, "cannot write the PDF: %s",
		            pp->n == 0 ? "no pages (a bug in the typesetter)"
		                       : "the document was already written");
		return false;
	}
	fs->is_emitted = true;
	pgs = mem_zalloc(pp->n, sizeof *pgs);
	hash_word(&h, pp->n);
	hash_word(&h, (uint32_t)pp->width);
	hash_word(&h, (uint32_t)pp->height);
	struct tags *tg = pp->tagged && pp->nelems > 0 ? tags_new(pp) : NULL;
	ok = add_pages(job, fs, pp, pgs);
	ok = ok && draw_pages(job, fs, pp, pgs, &h, tg);
	ok = ok && (pp->sign == NULL || add_signature(job, fs, pp, pgs, tg));
	ok = ok && (tg == NULL || add_tags(job, fs, pp, pgs, tg));
	ok = ok && add_outlines(job, fs, pp, pgs, &h);
	ok = ok && font_fix(job, fs);
	ok = ok && add_info(job, fs, pp, &h);
	if (pp->sign != NULL)
		ok = ok && save_signed(job, fs, pp->sign, write, ctx);
	else
		ok = ok && haru_save(job, fs, write, ctx);
	tags_free(tg);
	free(pgs);
	return ok;
}

bool
emit_pdf_bytes(struct job *job, struct fontset *fs, struct pages *pp,
               unsigned char **data, size_t *len)
{
	struct buf b = {0};

	*data = NULL;
	*len = 0;
	if (!emit_doc(job, fs, pp, to_buf, &b)) {
		buf_free(&b);
		return false;
	}
	*data = (unsigned char *)b.data;
	*len = b.len;
	return true;
}

/* Standard output, where no atomic replacement is possible. */
static bool
to_stdout(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len;
}

/* A staged file, and whether writing to it failed. */
struct staged {
	struct fileio_writer *w;
	bool failed;
};

static bool
to_file(void *ctx, const void *data, size_t len)
{
	struct staged *st = ctx;
	st->failed = !fileio_stage_write(st->w, data, len);
	return !st->failed;
}

bool
emit_pdf(struct job *job, struct fontset *fs, struct pages *pp,
         struct fileio_txn *txn, const char *path)
{
	if (strcmp(path, "-") == 0) {
		bool ok = emit_doc(job, fs, pp, to_stdout, NULL);
		if (ok && fflush(stdout) == 0)
			return true;
		if (ok || ferror(stdout))
			diag_system(job->diag,
			            "cannot write to standard output: %s",
			            strerror(errno));
		return false;
	}
	struct staged st = {fileio_stage_open(job->diag, path), false};
	if (st.w == NULL)
		return false;
	bool ok = emit_doc(job, fs, pp, to_file, &st);
	/* A failed write is reported by the close. */
	return fileio_stage_close(job->diag, txn, st.w, ok || st.failed) && ok;
}
