/*
 * Emit stage: the one place that uses libharu's object layer
 * (hpdf_objects.h) and reaches into its structures, for what libharu
 * 2.3.0 has no API for: our own font objects, link annotations and page
 * streams, text strings, the catalog's metadata and output intent, the
 * PDF version, the trailer's /ID and the saved bytes.  The layout of
 * those structures is only known for 2.3.0.
 */
#include "emit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/mem.h"
#include "../base/utf8.h"
#include "../job.h"
#include "../page.h"

#if HPDF_VERSION_ID != 20300
#error "src/emit/haru.c reaches into libharu 2.3.0 structures; recheck them"
#endif

/*
 * libharu's error handler: remembers the first error and returns, so the
 * failing call returns an error code; later calls fail with 0x1025 until
 * HPDF_ResetError().  No long jump through library frames.
 */
static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
	struct fontset *fs = user;

	if (fs->err == 0) {
		fs->err = err;
		fs->detail = detail;
	}
}

/* What a libharu error code means, for messages. */
static const char *
reason(HPDF_STATUS err, HPDF_STATUS detail)
{
	switch (err) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		return "out of memory";
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		return detail ? strerror((int)detail) : "file error";
	case HPDF_INVALID_DATE_TIME:
		return "invalid date or time zone";
	case HPDF_INVALID_DOCUMENT:
		return "the document is in an error state";
	case HPDF_INVALID_PARAMETER:
	case HPDF_REAL_OUT_OF_RANGE:
		return "a number is out of range";
	case HPDF_PAGE_INVALID_FONT_SIZE:
		return "invalid font size";
	case HPDF_PAGE_INVALID_SIZE:
		return "invalid paper size";
	case HPDF_STRING_OUT_OF_RANGE:
		return "a text run is longer than 65535 bytes";
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
		return "the font's licence forbids embedding";
	case HPDF_TTF_INVALID_CMAP:
		return "the font has no usable Unicode cmap table";
	case HPDF_TTF_INVALID_FOMAT:
		return "invalid TrueType data";
	case HPDF_TTF_MISSING_TABLE:
		return "a required TrueType table is missing";
	case HPDF_ZLIB_ERROR:
		return "compression failed";
	default:
		return "see hpdf_error.h";
	}
}

/* The code of the pending error, whether or not the handler saw it. */
static HPDF_STATUS
pending(struct fontset *fs)
{
	if (fs->err != 0)
		return fs->err;
	fs->detail = HPDF_GetErrorDetail(fs->pdf);
	return HPDF_GetError(fs->pdf);
}

bool
haru_check(struct job *job, struct fontset *fs, const char *doing)
{
	HPDF_STATUS err = pending(fs);

	if (err == HPDF_OK)
		return true;
	diag_system(job->diag, "cannot %s: libharu error 0x%04X (%s)", doing,
	            (unsigned)err, reason(err, fs->detail));
	return false;
}

bool
haru_new(struct job *job, struct fontset *fs)
{
	/* No memory pool: libharu 2.3.0's pool does not align what it
	 * hands out.  libharu compresses nothing itself (no compression
	 * mode): every stream is compressed before it sees it (deflate.c). */
	fs->pdf = HPDF_New(on_error, fs);
	if (fs->pdf == NULL)
		diag_system(job->diag, "cannot create a PDF document: %s",
		            reason(HPDF_FAILD_TO_ALLOC_MEM, 0));
	return fs->pdf != NULL;
}

/*
 * Write hooks for stream dictionaries whose data was compressed before
 * libharu saw it (their filter is NONE, so libharu leaves out the
 * entry): "/Filter /FlateDecode", or "/Filter [ /FlateDecode ]" as
 * libharu itself writes it, for the fonts' small streams.
 */
static HPDF_STATUS
flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

static HPDF_STATUS
flate_filter_array(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

/* A new stream object for data compressed by deflate_buf(). */
static HPDF_Dict
new_stream(struct fontset *fs)
{
	HPDF_Dict d = HPDF_DictStream_New(fs->pdf->mmgr, fs->pdf->xref);
	if (d != NULL) {
		d->filter = HPDF_STREAM_FILTER_NONE;
		d->write_fn = flate_filter_array;
	}
	return d;
}

/*
 * The objects of a font: the Type0 font, its CIDFont, font
 * descriptor and streams, made when a page first draws with it.  Codes
 * are two bytes each through Identity-H: a glyph's number in the font,
 * which the CIDToGIDMap turns into its number in the subset.
 */
void
haru_font_new(struct fontset *fs, struct emit_face *ef)
{
	HPDF_MMgr mm = fs->pdf->mmgr;
	HPDF_Xref xref = fs->pdf->xref;
	struct sfnt_desc dd;

	sfnt_descriptor(ef, &dd);
	HPDF_Dict font = HPDF_Dict_New(mm);
	HPDF_Dict cid = HPDF_Dict_New(mm);
	HPDF_Dict desc = HPDF_Dict_New(mm);
	HPDF_Dict info = HPDF_Dict_New(mm);
	HPDF_Array kids = HPDF_Array_New(mm);
	HPDF_Array bbox = HPDF_Array_New(mm);
	if (!font || !cid || !desc || !info || !kids || !bbox ||
	    HPDF_Xref_Add(xref, font) != HPDF_OK ||
	    HPDF_Xref_Add(xref, cid) != HPDF_OK ||
	    HPDF_Xref_Add(xref, desc) != HPDF_OK)
		return;
	ef->file = HPDF_DictStream_New(mm, xref);
	ef->tounicode = new_stream(fs);
	ef->cidtogid = new_stream(fs);
	if (!ef->file || !ef->tounicode || !ef->cidtogid)
		return;

	(void)HPDF_Dict_AddName(font, "Type", "Font");
	(void)HPDF_Dict_AddName(font, "Subtype", "Type0");
	(void)HPDF_Dict_AddName(font, "Encoding", "Identity-H");
	(void)HPDF_Array_Add(kids, cid);
	(void)HPDF_Dict_Add(font, "DescendantFonts", kids);
	(void)HPDF_Dict_Add(font, "ToUnicode", ef->tounicode);

	(void)HPDF_Dict_AddName(cid, "Type", "Font");
	(void)HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	(void)HPDF_Dict_Add(info, "Registry",
	                    HPDF_String_New(mm, "Adobe", NULL));
	(void)HPDF_Dict_Add(info, "Ordering",
	                    HPDF_String_New(mm, "Identity", NULL));
	(void)HPDF_Dict_AddNumber(info, "Supplement", 0);
	(void)HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	(void)HPDF_Dict_Add(cid, "FontDescriptor", desc);
	(void)HPDF_Dict_AddNumber(cid, "DW", dd.dw);
	(void)HPDF_Dict_Add(cid, "CIDToGIDMap", ef->cidtogid);

	(void)HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	(void)HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)dd.flags);
	for (int i = 0; i < 4; i++)
		(void)HPDF_Array_AddNumber(bbox, dd.bbox[i]);
	(void)HPDF_Dict_Add(desc, "FontBBox", bbox);
	(void)HPDF_Dict_AddNumber(desc, "ItalicAngle", dd.italic);
	(void)HPDF_Dict_AddNumber(desc, "Ascent", ef->ascent);
	(void)HPDF_Dict_AddNumber(desc, "Descent", ef->descent);
	(void)HPDF_Dict_AddNumber(desc, "CapHeight", dd.cap);
	(void)HPDF_Dict_AddNumber(desc, "StemV", dd.stemv);
	(void)HPDF_Dict_Add(desc, "FontFile2", ef->file);
	ef->font = font;
	ef->cid = cid;
	ef->desc = desc;
}

/* The subset's name, known once every glyph is drawn: its tag and the
 * font's PostScript name. */
static void
name_font(struct emit_face *ef)
{
	char tag[8], base[8 + 128];
	subset_tag(ef, tag);
	snprintf(base, sizeof base, "%s%s", tag, ef->name);
	(void)HPDF_Dict_AddName(ef->font, "BaseFont", base);
	(void)HPDF_Dict_AddName(ef->cid, "BaseFont", base);
	(void)HPDF_Dict_AddName(ef->desc, "FontName", base);
}

/*
 * Writes the CIDFont's /W: the advance of each glyph drawn (not the
 * components and .notdef, which are left to /DW), by its code (its
 * number in the font), in runs of consecutive codes; and its
 * CIDToGIDMap, each code's number in the subset, into map (2 bytes a
 * code).
 */
static void
write_widths(struct emit_face *ef, unsigned char *map)
{
	HPDF_MMgr mm = ef->cid->mmgr;
	HPDF_Array w = HPDF_Array_New(mm);
	HPDF_Array run = NULL;
	uint32_t next = 0;

	(void)HPDF_Dict_Add(ef->cid, "W", w); /* errors: fs->err */
	for (uint32_t g = 0; w != NULL && g < ef->nglyphs; g++) {
		if (ef->glyphs[g] != GLYPH_DRAWN)
			continue;
		map[2 * g] = (unsigned char)(ef->gid[g] >> 8);
		map[2 * g + 1] = (unsigned char)ef->gid[g];
		if (run == NULL || g != next) {
			(void)HPDF_Array_AddNumber(w, (HPDF_INT32)g);
			run = HPDF_Array_New(mm);
			(void)HPDF_Array_Add(w, run);
		}
		(void)HPDF_Array_AddNumber(run,
		                           (HPDF_INT32)sfnt_advance(ef, g));
		next = g + 1;
	}
}

/* raw[0..n) compressed into stream dictionary d; false when that
 * failed. */
static bool
put_small(HPDF_Dict d, struct deflater *dz, const void *raw, size_t n,
          struct buf *z)
{
	if (!deflate_buf(dz, raw, n, z))
		return false;
	(void)HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)z->data,
	                        (HPDF_UINT)z->len); /* errors: fs->err */
	return true;
}

bool
haru_font_fill(struct emit_face *ef, struct deflater *dz,
               const struct buf *cmap, struct buf *z)
{
	/* The map runs to the last glyph drawn, or the last code of a
	 * character the font lacks (.notdef, 0). */
	uint32_t n = ef->nabsent > 0 ? ef->nglyphs + ef->nabsent : 0;
	for (uint32_t g = 0; g < ef->nglyphs; g++)
		if (ef->glyphs[g] == GLYPH_DRAWN && g + 1 > n)
			n = g + 1;
	unsigned char *map = mem_zalloc(n + 1, 2);
	name_font(ef);
	write_widths(ef, map);
	bool ok = put_small(ef->cidtogid, dz, map, 2 * (size_t)n, z) &&
	          put_small(ef->tounicode, dz, cmap->data, cmap->len, z);
	free(map);
	if (!ok)
		return false;
	(void)HPDF_Stream_Write(ef->file->stream, ef->prog,
	                        (HPDF_UINT)ef->prog_len);
	ef->file->filter = HPDF_STREAM_FILTER_NONE;
	ef->file->write_fn = flate_filter;
	(void)HPDF_Dict_AddNumber(ef->file, "Length1", (HPDF_INT32)ef->length1);
	return true;
}

/*
 * A destination showing target with y at the top of the window, keeping
 * the reader's zoom: [page /XYZ 0 y null].  libharu's SetXYZ rejects a
 * zero ("keep") zoom, so the array is rebuilt.
 */
HPDF_Destination
haru_dest(HPDF_Page target, int32_t y)
{
	HPDF_Destination d = HPDF_Page_CreateDestination(target);

	if (d == NULL)
		return NULL;
	HPDF_Array_Clear(d);
	/* (void): failures land in fs->err, checked by the caller. */
	(void)HPDF_Array_Add(d, target);
	(void)HPDF_Array_AddName(d, "XYZ");
	(void)HPDF_Array_AddReal(d, 0);
	(void)HPDF_Array_AddReal(d, emit_pt(y));
	(void)HPDF_Array_Add(d, HPDF_Null_New(d->mmgr));
	return d;
}

/* What write_link() writes for a link. */
struct link {
	int32_t rect[4];      /* left, bottom, right, top [mpt] */
	uint32_t page;        /* object number of the page it is on */
	uint32_t target;      /* object number of the page it goes to */
	int32_t target_y;     /* [mpt] */
	const char *uri;      /* or the URI it opens (printable ASCII) */
	const char *contents; /* what it says (UTF-8), or NULL */
	int32_t key;          /* its /StructParent, or -1 */
};

/*
 * libharu grows a list by a fixed block of items, copying it each time:
 * quadratic in a long document's objects.  Before an object is added the
 * block is made as large as the list, so that it doubles.
 */
static void
xref_room(HPDF_Xref xref, size_t more)
{
	HPDF_List l = xref->entries;
	size_t want = l->count + more, grow = l->block_siz;
	if (want > l->block_siz) {
		if (grow < want - l->block_siz)
			grow = want - l->block_siz;
		l->items_per_block = (HPDF_UINT)grow;
	}
}

/* The object number of an indirect object. */
static uint32_t
obj_number(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* An integer in decimal. */
/*
 * Writes a link annotation's entries.  A document has thousands of links
 * ("Cited on pp.", note markers, contents); made of libharu objects each
 * took about 2.5 KB until the document was saved (keys of 128 bytes, a
 * name object per name), so the annotation is an empty dictionary that
 * writes its entries from a few bytes.
 */
static void
link_entries(const struct link *l, struct buf *b)
{
	char num[17];

	num[16] = '\0'; /* content_mpt() writes the digits before it */
	/* /F 4: printed (PDF/A forbids annotations that are not). */
	BUF_LIT(b, "/Type/Annot/Subtype/Link/F 4/P ");
	content_put_uint(b, l->page);
	BUF_LIT(b, " 0 R/Rect[");
	for (int i = 0; i < 4; i++) {
		buf_puts(b, content_mpt(num, l->rect[i]));
		buf_putc(b, i < 3 ? ' ' : ']');
	}
	BUF_LIT(b, "/Border[0 0 0]");
	if (l->uri != NULL) {
		BUF_LIT(b, "/A<</Type/Action/S/URI/URI(");
		for (const char *c = l->uri; *c; c++) {
			if (*c == '(' || *c == ')' || *c == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *c);
		}
		BUF_LIT(b, ")>>");
	} else {
		BUF_LIT(b, "/Dest[");
		content_put_uint(b, l->target);
		BUF_LIT(b, " 0 R/XYZ 0 ");
		buf_puts(b, content_mpt(num, l->target_y));
		BUF_LIT(b, " null]");
	}
	if (l->contents != NULL) {
		BUF_LIT(b, "/Contents");
		haru_put_text(b, l->contents);
	}
	if (l->key >= 0) {
		BUF_LIT(b, "/StructParent ");
		content_put_uint(b, (uint32_t)l->key);
	}
	buf_putc(b, '\012');
}

static HPDF_STATUS
write_link(HPDF_Dict dict, HPDF_Stream s)
{
	struct buf b = {0};
	link_entries(dict->attr, &b);
	HPDF_STATUS st =
	    HPDF_Stream_Write(s, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return st;
}

uint32_t
haru_link(struct arena *a, HPDF_Page pg, const int32_t rect[4],
          HPDF_Page target, int32_t y, const char *uri, const char *contents,
          int32_t key)
{
	HPDF_Array annots = HPDF_Dict_GetItem(pg, "Annots", HPDF_OCLASS_ARRAY);
	HPDF_Dict d = HPDF_Dict_New(pg->mmgr);
	struct link *l = arena_alloc(a, sizeof *l);

	if (d == NULL)
		return 0; /* fs->err is set */
	if (annots == NULL) {
		annots = HPDF_Array_New(pg->mmgr);
		if (annots == NULL ||
		    HPDF_Dict_Add(pg, "Annots", annots) != HPDF_OK) {
			HPDF_Dict_Free(d);
			return 0;
		}
	}
	*l = (struct link){{rect[0], rect[1], rect[2], rect[3]},
	                   obj_number(pg),
	                   target ? obj_number(target) : 0,
	                   y,
	                   uri ? arena_strdup(a, uri) : NULL,
	                   contents,
	                   key};
	d->attr = l;
	d->write_fn = write_link;
	HPDF_PageAttr pa = (HPDF_PageAttr)pg->attr;
	xref_room(pa->xref, 1);
	if (HPDF_Xref_Add(pa->xref, d) != HPDF_OK)
		return 0;
	(void)HPDF_Array_Add(annots, d);
	return obj_number(d);
}

static HPDF_Binary text_string(struct fontset *fs, const char *s);

/* A signature dictionary, which save() writes: libharu never does. */
struct haru_sig {
	HPDF_Dict dict;
	char when[32];      /* its /M */
	size_t room;        /* bytes of signature the /Contents can hold */
	size_t range_at;    /* in the saved file: the /ByteRange's numbers */
	size_t contents_at; /* the /Contents string's "<" */
};

static HPDF_STATUS
write_sig(HPDF_Dict dict, HPDF_Stream s)
{
	(void)dict;
	(void)s;
	return HPDF_OK;
}

static bool
is_sig(const struct fontset *fs, HPDF_XrefEntry e)
{
	return fs->sig != NULL && e->obj == fs->sig->dict;
}

/* A rectangle of no size, where an invisible field's widget is. */
static HPDF_Array
no_rect(HPDF_MMgr mmgr)
{
	HPDF_Array r = HPDF_Array_New(mmgr);
	for (int i = 0; r != NULL && i < 4; i++)
		(void)HPDF_Array_AddNumber(r, 0);
	return r;
}

uint32_t
haru_signature(struct fontset *fs, HPDF_Page pg, const char *when, size_t room,
               int32_t key)
{
	HPDF_Doc pdf = fs->pdf;
	HPDF_MMgr mmgr = pdf->mmgr;
	struct haru_sig *sig = arena_alloc(&fs->arena, sizeof *sig);
	HPDF_Dict d = HPDF_Dict_New(mmgr);
	HPDF_Dict w = HPDF_Dict_New(mmgr);
	HPDF_Dict form = HPDF_Dict_New(mmgr);
	HPDF_Dict ap = HPDF_Dict_New(mmgr);
	HPDF_Array fields = HPDF_Array_New(mmgr);
	HPDF_Array annots = HPDF_Dict_GetItem(pg, "Annots", HPDF_OCLASS_ARRAY);
	/* Its appearance: a form of no size that draws nothing, for the
	 * readers that ask every widget for one. */
	HPDF_Dict shown = HPDF_DictStream_New(mmgr, pdf->xref);
	if (d == NULL || w == NULL || form == NULL || ap == NULL ||
	    fields == NULL || shown == NULL)
		return 0;
	if (annots == NULL) {
		annots = HPDF_Array_New(mmgr);
		if (annots == NULL ||
		    HPDF_Dict_Add(pg, "Annots", annots) != HPDF_OK)
			return 0;
	}
	*sig = (struct haru_sig){.dict = d, .room = room};
	snprintf(sig->when, sizeof sig->when, "%s", when);
	d->write_fn = write_sig;
	xref_room(pdf->xref, 2);
	if (HPDF_Xref_Add(pdf->xref, d) != HPDF_OK ||
	    HPDF_Xref_Add(pdf->xref, w) != HPDF_OK)
		return 0;
	fs->sig = sig;
	(void)HPDF_Dict_AddName(shown, "Type", "XObject");
	(void)HPDF_Dict_AddName(shown, "Subtype", "Form");
	(void)HPDF_Dict_Add(shown, "BBox", no_rect(mmgr));
	(void)HPDF_Dict_Add(ap, "N", shown);
	(void)HPDF_Dict_AddName(w, "Type", "Annot");
	(void)HPDF_Dict_AddName(w, "Subtype", "Widget");
	(void)HPDF_Dict_AddName(w, "FT", "Sig");
	(void)HPDF_Dict_Add(w, "T", text_string(fs, "Signature"));
	(void)HPDF_Dict_Add(w, "TU", text_string(fs, "Digital signature"));
	(void)HPDF_Dict_Add(w, "V", d);
	(void)HPDF_Dict_Add(w, "Rect", no_rect(mmgr));
	/* Printed (PDF/A asks it of every annotation) and locked. */
	(void)HPDF_Dict_AddNumber(w, "F", 132);
	(void)HPDF_Dict_Add(w, "P", pg);
	(void)HPDF_Dict_Add(w, "AP", ap);
	if (key >= 0) {
		(void)HPDF_Dict_AddNumber(w, "StructParent", key);
		(void)HPDF_Dict_AddName(pg, "Tabs", "S");
	}
	(void)HPDF_Array_Add(annots, w);
	(void)HPDF_Array_Add(fields, w);
	(void)HPDF_Dict_Add(form, "Fields", fields);
	/* SignaturesExist and AppendOnly (PDF 32000-1 12.7.2). */
	(void)HPDF_Dict_AddNumber(form, "SigFlags", 3);
	(void)HPDF_Dict_Add(pdf->catalog, "AcroForm", form);
	return fs->err ? 0 : obj_number(w);
}

void
haru_sig_places(const struct fontset *fs, size_t *range, size_t *contents)
{
	*range = fs->sig->range_at;
	*contents = fs->sig->contents_at;
}

/*
 * The signature dictionary, written by hand so that its placeholders are
 * where sign_fill() is told they are: the byte range as spaces (read as
 * four zeros until filled), the signature as zeros.
 */
static bool
write_sig_obj(HPDF_Stream st, struct haru_sig *sig, struct buf *head)
{
	BUF_LIT(head, "<</Type/Sig/Filter/Adobe.PPKLite"
	              "/SubFilter/ETSI.CAdES.detached/M");
	haru_put_text(head, sig->when);
	BUF_LIT(head, "/ByteRange[");
	sig->range_at = st->size + head->len;
	buf_puts(head, "0 0 0 0");
	for (size_t k = 7; k < PAGE_SIGN_RANGE_WIDTH; k++)
		buf_putc(head, ' ');
	BUF_LIT(head, "]/Contents");
	sig->contents_at = st->size + head->len;
	buf_putc(head, '<');
	for (size_t k = 0; k < 2 * sig->room; k++)
		buf_putc(head, '0');
	BUF_LIT(head, ">>>\012endobj\012");
	return HPDF_Stream_Write(st, (const HPDF_BYTE *)head->data,
	                         (HPDF_UINT)head->len) == HPDF_OK;
}

/* The objects of haru_raw(), which save() packs into object streams
 * and writes with fn, in order. */
struct raw {
	void (*fn)(void *ctx, size_t i, struct buf *out);
	void *ctx;
	size_t next;                 /* the object written next */
	HPDF_XrefEntry_Rec *entries; /* the objects' entries but the first */
};

/*
 * Each object is an entry of libharu's cross-reference table that points
 * to one shared, empty dictionary, so that a hundred thousand structure
 * elements cost 16 bytes each, not a libharu dictionary.  The entries
 * after the first are let go of before libharu frees the table
 * (haru_free()), which would otherwise free the dictionary again.
 */
uint32_t
haru_raw(struct fontset *fs, size_t n,
         void (*fn)(void *ctx, size_t i, struct buf *out), void *ctx)
{
	HPDF_Xref xref = fs->pdf->xref;
	HPDF_Dict d = HPDF_Dict_New(fs->pdf->mmgr);
	if (d == NULL || n == 0 || fs->raw != NULL)
		return 0;
	struct raw *r = arena_alloc(&fs->arena, sizeof *r);
	*r = (struct raw){fn, ctx, 0, NULL};
	xref_room(xref, n);
	if (HPDF_Xref_Add(xref, d) != HPDF_OK)
		return 0;
	fs->raw = r;
	fs->raw_first = xref->entries->count - 1;
	fs->raw_n = 1;
	r->entries = mem_alloc(n, sizeof *r->entries);
	for (size_t i = 1; i < n; i++) {
		HPDF_XrefEntry e = &r->entries[i - 1];
		*e = (HPDF_XrefEntry_Rec){HPDF_IN_USE_ENTRY, 0, 0, d};
		if (HPDF_List_Add(xref->entries, e) != HPDF_OK)
			return 0;
		fs->raw_n++;
	}
	return obj_number(d);
}

void
haru_free(struct fontset *fs)
{
	if (fs->pdf == NULL)
		return;
	/* The entries after the first are ours: out of the table, which
	 * libharu then frees. */
	HPDF_List l = fs->pdf->xref->entries;
	if (fs->raw_n > 1 && fs->raw_first + fs->raw_n <= l->count) {
		size_t from = fs->raw_first + 1, n = fs->raw_n - 1;
		memmove(l->obj + from, l->obj + from + n,
		        (l->count - from - n) * sizeof *l->obj);
		l->count -= (HPDF_UINT)n;
	}
	if (fs->raw != NULL)
		free(fs->raw->entries);
	free(fs->images);
	fs->images = NULL;
	fs->nimages = 0;
	HPDF_Free(fs->pdf);
	fs->pdf = NULL;
}

/* What write_entries() writes into a dictionary of libharu's. */
struct entries {
	void (*fn)(void *ctx, struct buf *out);
	void *ctx;
};

static HPDF_STATUS
write_entries(HPDF_Dict dict, HPDF_Stream s)
{
	const struct entries *en = dict->attr;
	struct buf b = {0};
	en->fn(en->ctx, &b);
	HPDF_STATUS st =
	    HPDF_Stream_Write(s, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return st;
}

uint32_t
haru_struct_root(struct fontset *fs, void (*fn)(void *ctx, struct buf *out),
                 void *ctx)
{
	HPDF_MMgr mm = fs->pdf->mmgr;
	HPDF_Dict root = HPDF_Dict_New(mm);
	HPDF_Dict mark = HPDF_Dict_New(mm);
	struct entries *en = arena_alloc(&fs->arena, sizeof *en);
	if (root == NULL || mark == NULL)
		return 0;
	*en = (struct entries){fn, ctx};
	root->attr = en;
	root->write_fn = write_entries;
	if (HPDF_Xref_Add(fs->pdf->xref, root) != HPDF_OK)
		return 0;
	(void)HPDF_Dict_Add(fs->pdf->catalog, "StructTreeRoot", root);
	(void)HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
	(void)HPDF_Dict_Add(fs->pdf->catalog, "MarkInfo", mark);
	return obj_number(root);
}

void
haru_page_tagged(HPDF_Page pg, int32_t key)
{
	if (key >= 0)
		(void)HPDF_Dict_AddNumber(pg, "StructParents", key);
	if (HPDF_Dict_GetItem(pg, "Annots", HPDF_OCLASS_ARRAY) != NULL)
		(void)HPDF_Dict_AddName(pg, "Tabs", "S");
}

uint32_t
haru_obj(const void *obj)
{
	return obj_number(obj);
}

void
haru_page_content(HPDF_Page pg, const void *z, size_t n)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)pg->attr;
	attr->contents->filter = HPDF_STREAM_FILTER_NONE;
	attr->contents->write_fn = flate_filter;
	(void)HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)z,
	                        (HPDF_UINT)n); /* errors: fs->err */
}

/*
 * An image XObject: its dictionary's entries and its data, which save()
 * writes from where they lie (a JPEG's file as read, a PNG's pixels
 * deflated once).  libharu would copy the data into a stream of its own
 * a byte at a time, and out again: most of the time a 20 MB photograph
 * took.
 */
struct ximage {
	char *entries; /* "/Type/XObject/Subtype/Image ... /Length N" */
	const unsigned char *data;
	size_t len;
};

/* The mark of an XObject written by save(); libharu never writes one. */
static HPDF_STATUS
write_ximage(HPDF_Dict dict, HPDF_Stream s)
{
	(void)dict;
	(void)s;
	return HPDF_OK;
}

static bool
is_ximage(HPDF_XrefEntry e)
{
	const HPDF_Obj_Header *h = e->obj;
	return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT &&
	       ((HPDF_Dict)e->obj)->write_fn == write_ximage;
}

/* An image XObject of w by h pixels, channels of 8 bits each: a JPEG's
 * data[0..n) as it is, or pixels deflated; with a soft mask when smask
 * is not 0 (its object number).  NULL when deflate failed. */
static HPDF_Dict
image_object(struct fontset *fs, uint32_t w, uint32_t h, int channels,
             const unsigned char *data, size_t n, bool jpeg, uint32_t smask,
             struct deflater *d)
{
	HPDF_Dict im = HPDF_Dict_New(fs->pdf->mmgr);
	if (im == NULL)
		return NULL; /* fs->err is set */
	struct ximage *x = arena_alloc(&fs->arena, sizeof *x);
	x->data = data;
	x->len = n;
	if (!jpeg) {
		size_t cap = deflate_bound(d, n);
		unsigned char *z = arena_alloc(&fs->arena, cap ? cap : 1);
		x->len = deflate_zlib(d, data, n, z, cap);
		x->data = z;
		if (x->len == 0) {
			HPDF_Dict_Free(im);
			return NULL;
		}
	}
	char mask[32] = "";
	if (smask != 0)
		snprintf(mask, sizeof mask, "/SMask %lu 0 R",
		         (unsigned long)smask);
	x->entries = arena_printf(
	    &fs->arena,
	    "/Type/XObject/Subtype/Image/Width %lu/Height %lu/ColorSpace/%s"
	    "/BitsPerComponent 8/Filter/%s%s/Length %zu",
	    (unsigned long)w, (unsigned long)h,
	    channels == 1 ? "DeviceGray" : "DeviceRGB",
	    jpeg ? "DCTDecode" : "FlateDecode", mask, x->len);
	im->attr = x;
	im->write_fn = write_ximage;
	xref_room(fs->pdf->xref, 1);
	if (HPDF_Xref_Add(fs->pdf->xref, im) != HPDF_OK)
		return NULL; /* libharu freed it; fs->err is set */
	return im;
}

bool
haru_page_image(struct fontset *fs, HPDF_Page pg, const struct image *images,
                size_t n, uint32_t k)
{
	if (k >= n)
		return false;
	if (fs->images == NULL) {
		fs->images = mem_zalloc(n, sizeof *fs->images);
		fs->nimages = n;
	}
	if (fs->images[k] == NULL) {
		const struct image *im = &images[k];
		struct deflater *d = fs->dz;
		HPDF_Dict mask = NULL, x = NULL;
		if (im->alpha != NULL)
			mask = image_object(
			    fs, im->width, im->height, 1, im->alpha,
			    (size_t)im->width * im->height, false, 0, d);
		if (im->alpha == NULL || mask != NULL)
			x = image_object(fs, im->width, im->height,
			                 im->channels, im->data, im->len,
			                 im->kind == IMAGE_JPEG,
			                 mask ? obj_number(mask) : 0, d);
		if (x == NULL)
			return fs->err != 0; /* libharu's error is reported */
		fs->images[k] = x;
	}
	HPDF_Dict res =
	    HPDF_Page_GetInheritableItem(pg, "Resources", HPDF_OCLASS_DICT);
	if (res == NULL)
		return true; /* fs->err is set */
	HPDF_Dict xo = HPDF_Dict_GetItem(res, "XObject", HPDF_OCLASS_DICT);
	if (xo == NULL) {
		xo = HPDF_Dict_New(fs->pdf->mmgr);
		if (xo == NULL || HPDF_Dict_Add(res, "XObject", xo) != HPDF_OK)
			return true;
	}
	char name[16];
	snprintf(name, sizeof name, "Im%u", (unsigned)k);
	if (HPDF_Dict_GetItem(xo, name, HPDF_OCLASS_DICT) == NULL)
		(void)HPDF_Dict_Add(xo, name, fs->images[k]);
	return true;
}

/*
 * The character at s[0..len) as a text string carries it, and its
 * length in *k: bytes that are not UTF-8, and the characters XML 1.0
 * does not allow (C0 controls but tab, line feed and carriage return;
 * U+FFFE and U+FFFF), become U+FFFD, as in the XMP metadata, which must
 * say the same.
 */
static uint32_t
text_char(const char *s, size_t len, size_t *k)
{
	uint32_t cp = (unsigned char)s[0];
	*k = 1;
	if (cp >= 0x80 && (*k = utf8_decode(s, len, &cp)) == 0) {
		*k = 1;
		return 0xFFFD;
	}
	if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	    cp == 0xFFFE || cp == 0xFFFF)
		return 0xFFFD;
	return cp;
}

size_t
haru_text_len(const char *s)
{
	size_t len = strlen(s), n = 2, i = 0;
	while (i < len) {
		size_t k;
		uint32_t cp = text_char(s + i, len - i, &k);
		n += cp > 0xFFFF ? 4 : 2;
		if (n > HPDF_LIMIT_MAX_STRING_LEN)
			break;
		i += k;
	}
	return i;
}

/*
 * s as a PDF text string's bytes, UTF-16BE after a byte order mark, into
 * out; returns how many.  Characters are read by text_char(); what would
 * pass libharu's string limit is cut at a character (haru_text_len()).
 */
static size_t
text_bytes(const char *s, unsigned char out[HPDF_LIMIT_MAX_STRING_LEN])
{
	size_t len = haru_text_len(s), n = 0;
	out[n++] = 0xFE;
	out[n++] = 0xFF;
	for (size_t i = 0; i < len;) {
		size_t k;
		uint32_t cp = text_char(s + i, len - i, &k);
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
		for (size_t j = 0; j < m; j++) {
			out[n++] = (unsigned char)(u[j] >> 8);
			out[n++] = (unsigned char)u[j];
		}
	}
	return n;
}

void
haru_put_text(struct buf *b, const char *s)
{
	size_t len = haru_text_len(s);
	/* Printable ASCII as itself: a PDFDocEncoded literal string. */
	size_t plain = 0;
	while (plain < len && s[plain] >= 0x20 && s[plain] < 0x7F)
		plain++;
	if (plain == len) {
		buf_putc(b, '(');
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
				buf_putc(b, '\\');
			buf_putc(b, s[i]);
		}
		buf_putc(b, ')');
		return;
	}
	unsigned char out[HPDF_LIMIT_MAX_STRING_LEN];
	size_t n = text_bytes(s, out);
	buf_putc(b, '<');
	buf_hex(b, out, n);
	buf_putc(b, '>');
}

/*
 * s as a PDF text string (text_bytes()), written in hex.  libharu's
 * UTF-8 encoder would do the same, but setting it up clears and fills a
 * quarter of a megabyte of tables on every run.
 */
static HPDF_Binary
text_string(struct fontset *fs, const char *s)
{
	unsigned char out[HPDF_LIMIT_MAX_STRING_LEN];
	size_t n = text_bytes(s, out);
	return HPDF_Binary_New(fs->pdf->mmgr, out, (HPDF_UINT)n);
}

void
haru_outline_title(struct fontset *fs, HPDF_Outline ol, const char *utf8)
{
	(void)HPDF_Dict_Add(ol, "Title", text_string(fs, utf8 ? utf8 : ""));
}

void
haru_info_text(struct fontset *fs, const char *key, const char *utf8)
{
	if (fs->pdf->info != NULL)
		(void)HPDF_Dict_Add(fs->pdf->info, key, text_string(fs, utf8));
}

void
haru_info_ascii(struct fontset *fs, const char *key, const char *s)
{
	if (fs->pdf->info != NULL)
		(void)HPDF_Dict_Add(fs->pdf->info, key,
		                    HPDF_String_New(fs->pdf->mmgr, s, NULL));
}

void
haru_catalog_lang(struct fontset *fs, const char *tag)
{
	(void)HPDF_Dict_Add(fs->pdf->catalog, "Lang",
	                    HPDF_String_New(fs->pdf->mmgr, tag, NULL));
}

void
haru_catalog_viewer(struct fontset *fs)
{
	HPDF_Dict vp = HPDF_Dict_New(fs->pdf->mmgr);
	if (vp == NULL)
		return;
	(void)HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
	(void)HPDF_Dict_Add(fs->pdf->catalog, "ViewerPreferences", vp);
}

void
haru_catalog_metadata(struct fontset *fs, const char *xml, size_t n)
{
	HPDF_Dict md = HPDF_DictStream_New(fs->pdf->mmgr, fs->pdf->xref);
	if (md == NULL)
		return;
	/* Uncompressed, as PDF/A asks, so that tools find it by its
	 * bytes: no filter, and libharu then writes none. */
	md->filter = HPDF_STREAM_FILTER_NONE;
	(void)HPDF_Dict_AddName(md, "Type", "Metadata");
	(void)HPDF_Dict_AddName(md, "Subtype", "XML");
	(void)HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xml,
	                        (HPDF_UINT)n);
	(void)HPDF_Dict_Add(fs->pdf->catalog, "Metadata", md);
}

bool
haru_output_intent(struct fontset *fs, struct buf *z)
{
	HPDF_MMgr mm = fs->pdf->mmgr;
	HPDF_Array intents = HPDF_Array_New(mm);
	HPDF_Dict oi = HPDF_Dict_New(mm);
	HPDF_Dict icc = HPDF_DictStream_New(mm, fs->pdf->xref);
	if (intents == NULL || oi == NULL || icc == NULL)
		return true; /* fs->err is set */
	icc->filter = HPDF_STREAM_FILTER_NONE;
	icc->write_fn = flate_filter;
	(void)HPDF_Dict_AddNumber(icc, "N", 3);
	if (!put_small(icc, fs->dz, srgb_icc, srgb_icc_len, z))
		return false;
	(void)HPDF_Dict_AddName(oi, "Type", "OutputIntent");
	(void)HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
	(void)HPDF_Dict_Add(oi, "OutputConditionIdentifier",
	                    HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
	(void)HPDF_Dict_Add(oi, "Info",
	                    HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
	(void)HPDF_Dict_Add(oi, "DestOutputProfile", icc);
	(void)HPDF_Array_Add(intents, oi);
	(void)HPDF_Dict_Add(fs->pdf->catalog, "OutputIntents", intents);
	return true;
}

const char *
haru_producer(struct fontset *fs, struct arena *a)
{
	HPDF_String p = fs->pdf->info == NULL
	                    ? NULL
	                    : HPDF_Dict_GetItem(fs->pdf->info, "Producer",
	                                        HPDF_OCLASS_STRING);
	if (p == NULL)
		return NULL;
	char *s = arena_alloc(a, (size_t)p->len + 1);
	memcpy(s, p->value, p->len);
	s[p->len] = '\0';
	return s;
}

void
haru_pdf_17(struct fontset *fs)
{
	fs->pdf->pdf_version = HPDF_VER_17;
}

void
haru_trailer_id(struct fontset *fs, const unsigned char id[16])
{
	memcpy(fs->id, id, sizeof fs->id);
}

/* Where the document is saved to. */
struct sink {
	bool (*write)(void *ctx, const void *data, size_t len);
	void *ctx;
	bool failed; /* write() said no */
};

static HPDF_STATUS
sink_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
	struct sink *k = st->attr;
	if (!k->failed && !k->write(k->ctx, p, n))
		k->failed = true;
	return k->failed ? HPDF_FILE_IO_ERROR : HPDF_OK;
}

/* Objects an object stream holds, at most. */
#define PACK 256

/*
 * Whether object i (entry e) goes into an object stream: the structure
 * objects and the link annotations, the bulk of a long tagged document,
 * none of them a stream or a stream's length.
 */
static bool
packed(const struct fontset *fs, size_t i, HPDF_XrefEntry e)
{
	if (fs->raw_n > 0 && i >= fs->raw_first &&
	    i < fs->raw_first + fs->raw_n)
		return true;
	const HPDF_Obj_Header *h = e->obj;
	return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT &&
	       ((HPDF_Dict)e->obj)->write_fn == write_link;
}

/* "%u " */
static void
put_num(struct buf *b, size_t v)
{
	content_put_uint(b, (uint32_t)v);
	buf_putc(b, ' ');
}

/* A stream object: "N 0 obj <<dict /Length L>> stream ... endstream
 * endobj", its data data[0..n) deflated into z. */
static bool
write_stream(HPDF_Stream st, struct deflater *d, size_t num, const char *dict,
             const void *data, size_t n, struct buf *z)
{
	struct buf h = {0};
	buf_reset(z);
	size_t cap = deflate_bound(d, n);
	buf_reserve(z, cap);
	z->len = deflate_zlib(d, data, n, z->data, cap);
	put_num(&h, num);
	buf_puts(&h, "0 obj\012<<");
	buf_puts(&h, dict);
	BUF_LIT(&h, "/Filter/FlateDecode/Length ");
	content_put_uint(&h, (uint32_t)z->len);
	BUF_LIT(&h, ">>\012stream\015\012");
	bool ok =
	    z->len > 0 &&
	    HPDF_Stream_Write(st, (const HPDF_BYTE *)h.data,
	                      (HPDF_UINT)h.len) == HPDF_OK &&
	    HPDF_Stream_Write(st, (const HPDF_BYTE *)z->data,
	                      (HPDF_UINT)z->len) == HPDF_OK &&
	    HPDF_Stream_WriteStr(st, "\012endstream\012endobj\012") == HPDF_OK;
	buf_free(&h);
	return ok;
}

/* The cross-reference stream's entry: type, then 4 and 2 bytes. */
static void
put_entry(unsigned char *p, int type, uint32_t a, uint32_t b)
{
	p[0] = (unsigned char)type;
	for (int k = 0; k < 4; k++)
		p[1 + k] = (unsigned char)(a >> (24 - 8 * k));
	p[5] = (unsigned char)(b >> 8);
	p[6] = (unsigned char)b;
}

/*
 * The file: the header, every object, the object streams, and a
 * cross-reference stream with the trailer's entries (PDF 32000-1 7.5.7,
 * 7.5.8; PDF/A-2 allows both).  libharu's own save writes each object
 * on its own with a cross-reference table, 20 bytes an object more: the
 * structure of a tagged 10,000-breach briefing is a quarter of a
 * million small objects, which object streams hold deflated.
 */
static bool
save(struct fontset *fs, HPDF_Stream st)
{
	HPDF_Doc pdf = fs->pdf;
	HPDF_List list = pdf->xref->entries;
	size_t n = list->count, npacked = 0;
	for (size_t i = 1; i < n; i++)
		npacked += packed(fs, i, HPDF_List_ItemAt(list, (HPDF_UINT)i));
	size_t nstm = (npacked + PACK - 1) / PACK, size = n + nstm + 1;
	unsigned char *xref = mem_zalloc(size, 7);
	struct buf body = {0}, head = {0}, z = {0};
	struct deflater *d = fs->dz;
	bool ok = HPDF_Stream_WriteStr(
	              st, "%PDF-1.7\012%\267\276\255\252\012") == HPDF_OK;
	put_entry(xref, 0, 0, 0xFFFF);
	for (size_t i = 1; ok && i < n; i++) {
		HPDF_XrefEntry e = HPDF_List_ItemAt(list, (HPDF_UINT)i);
		if (packed(fs, i, e))
			continue;
		put_entry(xref + 7 * i, 1, st->size, 0);
		buf_reset(&head);
		put_num(&head, i);
		BUF_LIT(&head, "0 obj\012");
		if (is_sig(fs, e)) {
			ok = write_sig_obj(st, fs->sig, &head);
			continue;
		}
		if (is_ximage(e)) {
			const struct ximage *x = ((HPDF_Dict)e->obj)->attr;
			BUF_LIT(&head, "<<");
			buf_puts(&head, x->entries);
			BUF_LIT(&head, ">>\012stream\015\012");
			ok =
			    HPDF_Stream_Write(st, (const HPDF_BYTE *)head.data,
			                      (HPDF_UINT)head.len) == HPDF_OK &&
			    HPDF_Stream_Write(st, x->data, (HPDF_UINT)x->len) ==
			        HPDF_OK &&
			    HPDF_Stream_WriteStr(
			        st, "\012endstream\012endobj\012") == HPDF_OK;
			continue;
		}
		ok = HPDF_Stream_Write(st, (const HPDF_BYTE *)head.data,
		                       (HPDF_UINT)head.len) == HPDF_OK &&
		     HPDF_Obj_WriteValue(e->obj, st, NULL) == HPDF_OK &&
		     HPDF_Stream_WriteStr(st, "\012endobj\012") == HPDF_OK;
	}
	/* The packed objects, in order, PACK to a stream. */
	size_t i = 1;
	for (size_t k = 0; ok && k < nstm; k++) {
		size_t num = n + k, count = 0;
		buf_reset(&head);
		buf_reset(&body);
		for (; i < n && count < PACK; i++) {
			HPDF_XrefEntry e = HPDF_List_ItemAt(list, (HPDF_UINT)i);
			if (!packed(fs, i, e))
				continue;
			put_num(&head, i);
			put_num(&head, body.len);
			put_entry(xref + 7 * i, 2, (uint32_t)num,
			          (uint32_t)count);
			/* As libharu writes a dictionary, from its entries. */
			BUF_LIT(&body, "<<\012");
			HPDF_Dict dict = e->obj;
			if (dict->write_fn == write_link)
				link_entries(dict->attr, &body);
			else
				fs->raw->fn(fs->raw->ctx, fs->raw->next++,
				            &body);
			BUF_LIT(&body, ">>\012");
			count++;
		}
		char dict[64];
		snprintf(dict, sizeof dict, "/Type/ObjStm/N %zu/First %zu",
		         count, head.len);
		buf_add(&head, body.data, body.len);
		put_entry(xref + 7 * num, 1, st->size, 0);
		ok = ok &&
		     write_stream(st, d, num, dict, head.data, head.len, &z);
	}
	/* The cross-reference stream, with the trailer's entries. */
	size_t x = size - 1;
	uint32_t at = st->size;
	put_entry(xref + 7 * x, 1, at, 0);
	buf_reset(&head);
	BUF_LIT(&head, "/Type/XRef/Size ");
	content_put_uint(&head, (uint32_t)size);
	BUF_LIT(&head, "/W[1 4 2]/Root ");
	content_put_uint(&head, obj_number(pdf->catalog));
	BUF_LIT(&head, " 0 R");
	if (pdf->info != NULL) {
		BUF_LIT(&head, "/Info ");
		content_put_uint(&head, obj_number(pdf->info));
		BUF_LIT(&head, " 0 R");
	}
	BUF_LIT(&head, "/ID[");
	for (int k = 0; k < 2; k++) {
		buf_putc(&head, '<');
		buf_hex(&head, fs->id, 16);
		buf_putc(&head, '>');
	}
	buf_putc(&head, ']');
	buf_putc(&head, '\0');
	ok = ok && write_stream(st, d, x, head.data, xref, 7 * size, &z);
	char tail[48];
	snprintf(tail, sizeof tail, "startxref\012%u\012%%%%EOF\012", at);
	ok = ok && HPDF_Stream_WriteStr(st, tail) == HPDF_OK;
	buf_free(&body);
	buf_free(&head);
	buf_free(&z);
	free(xref);
	return ok;
}

/*
 * The bytes go straight to the caller as they are written: held in
 * libharu's memory stream they were copied a byte at a time, and a
 * 10,000-breach PDF took 45 MB until it was written out.
 */
bool
haru_save(struct job *job, struct fontset *fs,
          bool (*write)(void *ctx, const void *data, size_t len), void *ctx)
{
	struct sink k = {write, ctx, false};
	HPDF_Stream st = HPDF_CallbackWriter_New(fs->pdf->mmgr, sink_write, &k);
	if (st == NULL)
		return haru_check(job, fs, "save the PDF");
	bool ok = save(fs, st);
	HPDF_Stream_Free(st);
	if (k.failed) {
		/* The sink says why. */
		HPDF_ResetError(fs->pdf);
		fs->err = 0;
		return false;
	}
	if (!ok && fs->err == 0)
		fs->err = HPDF_FILE_IO_ERROR;
	return haru_check(job, fs, "save the PDF");
}
