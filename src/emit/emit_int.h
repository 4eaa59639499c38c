/*
 * Emit stage internals, shared by its files and by no one else:
 *
 *   sfnt.c     TrueType tables: checks, character map, advances, outlines
 *   font.c     the template's fonts: files, metrics, embedding
 *   shape.c    words shaped by HarfBuzz, in each face's fonts, cached
 *   subset.c   the subset font program of a face
 *   content.c  a page's content stream
 *   emit_pdf.c pages, links, bookmarks, information; the file
 *   haru.c     every use of libharu's object layer and structures
 *   deflate.c  compression
 *   xmp.c      the XMP metadata packet
 */
#ifndef BRIEFING_EMIT_INT_H
#define BRIEFING_EMIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "../base/arena.h"
#include "../image.h"
#include "../tmpl.h"

/* Compression level of every stream in the PDF (deflate.c). */
#define DEFLATE_LEVEL 1

/* The fonts of a template: each face's own and its fallbacks.  Face f's
 * k-th font is fontset.face[f * TMPL_FONTS_MAX + k]. */
#define FONTS_MAX (FACE__MAX * TMPL_FONTS_MAX)

struct buf;
struct fileio_part;
struct job;
struct page;
struct pages;
struct page_op;

/* A table of a TrueType file: where it is and how long [bytes]. */
struct sfnt_table {
	size_t off;
	size_t len;
};

/* The tables read or embedded; the first nine are required. */
enum sfnt_tag {
	TT_HEAD,
	TT_HHEA,
	TT_MAXP,
	TT_HMTX,
	TT_CMAP,
	TT_LOCA,
	TT_GLYF,
	TT_NAME,
	TT_OS2,
	TT_POST,
	TT_CVT,
	TT_FPGM,
	TT_PREP,
	TT_GDEF, /* read for shaping, not embedded */
	TT_GSUB,
	TT_GPOS,
	TT_KERN,
	TT__MAX
};

/*
 * One font of the template.  Fonts naming the same file share the
 * owner's data; the fields below "owner only" are set in the owner.
 */
struct hb_font_t;
struct emit_face {
	const char *path;         /* the TrueType file; NULL: no font here */
	int owner;                /* first font with the same file (maybe self);
	                           * -1: a fallback not read yet */
	const unsigned char *ttf; /* the file's bytes where they are:
	                           * every table but glyf is read and
	                           * checked by sfnt_problem() when the
	                           * font is loaded, the outlines only as
	                           * glyphs are drawn (font_read_glyphs()) */
	size_t ttf_len;           /* [bytes] */
	unsigned char *buf;       /* ttf, to read into (malloc, the
	                           * loading fontset's) */
	uint8_t *read;            /* per glyph: its outline is in buf */
	int fd;                   /* the file, open for the outlines */
	int read_err;             /* a read came short: its errno, or -1
	                           * when the file had become shorter */
	const char *name;         /* its PostScript name (fontset arena) */
	/* What the typesetter and the PDF need, read once. */
	struct sfnt_table tab[TT__MAX]; /* len 0: not in the file */
	uint32_t upem;                  /* units per em */
	uint32_t nglyphs, nmetrics;
	bool loca_long;          /* 32-bit glyph offsets */
	int32_t ascent, descent; /* [1/1000 em] */
	struct hb_font_t *hb;    /* HarfBuzz's view of it (shape.c) */
	uint64_t ascii[2];       /* which ASCII characters it has */
	/* owner only, and a copy's own */
	uint8_t *glyphs;   /* per glyph: GLYPH_DRAWN, GLYPH_NEEDED (.notdef
	                    * and components of glyphs drawn) or 0 */
	const char **text; /* per glyph: the characters it was first drawn
	                    * for (ToUnicode), or NULL */
	uint32_t *absent;  /* characters drawn that no font of their face
	                    * has: code nglyphs + i draws absent[i] as
	                    * .notdef, so that copied text keeps them */
	uint32_t nabsent, capabsent;
	uint16_t *gid;    /* per glyph embedded: its number in the subset,
	                   * the embedded glyphs in their order */
	uint32_t nsubset; /* glyphs in the subset */
	HPDF_Font font;   /* the Type0 font; NULL until drawn */
	HPDF_Dict cid;    /* its descendant CIDFont */
	HPDF_Dict file;   /* its FontFile2 stream */
	HPDF_Dict desc;   /* its font descriptor */
	HPDF_Dict tounicode, cidtogid; /* its streams */
	unsigned char *prog;           /* the subset font program, compressed */
	size_t prog_len;
	unsigned length1; /* the program's uncompressed size */
};

enum { GLYPH_NEEDED = 1, GLYPH_DRAWN = 2 };

struct shaper;

struct fontset {
	struct arena arena; /* the fonts' bytes and names (not in a copy's);
	                     * a copy's: the glyphs' texts */
	HPDF_Doc pdf;
	HPDF_STATUS err;       /* first error libharu raised, 0 if none */
	HPDF_STATUS detail;    /* its detail code (errno for file errors) */
	bool is_emitted;       /* pages were drawn; a second emit is a bug */
	bool borrowed;         /* the fonts' files and shaper are another
	                        * fontset's */
	struct shaper *shaper; /* shaped words, cached (shape.c) */
	struct deflater *dz;   /* compresses every stream of the file */
	struct job *job;       /* for fallbacks read when first needed */
	const struct tmpl *t;
	struct emit_face face[FONTS_MAX];
	struct raw *raw;      /* the objects of haru_raw(), or NULL */
	size_t raw_first;     /* their first entry in libharu's table */
	size_t raw_n;         /* how many */
	unsigned char id[16]; /* the trailer's /ID (haru_trailer_id()) */
	HPDF_Dict *images;    /* per image of the pages, its XObject once
	                       * drawn (haru_page_image()) */
	size_t nimages;
	struct haru_sig *sig; /* the signature's dictionary, or NULL */
};

/* sfnt.c: big-endian numbers as TrueType stores them. */
static inline uint32_t
sfnt_u16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t
sfnt_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The four-letter tags of enum sfnt_tag, in its order. */
extern const char sfnt_tags[TT__MAX][5];
/*
 * Reads the table directory of p[0..len) into tab and found (the first
 * table of each tag counts).  Returns why it is unusable, or NULL; the
 * reason may be written into why[0..n).
 */
const char *sfnt_tables(const unsigned char *p, size_t len,
                        struct sfnt_table *tab, bool *found, char *why,
                        size_t n);
/*
 * Why the TrueType file p[0..len) cannot be used, or NULL when it can:
 * the table directory and every table must lie inside the file, the
 * required tables (head, hhea, maxp, hmtx, cmap, loca, glyf, name, OS/2)
 * must be there and consistent, the character map must send every code
 * to a glyph the font has, and the licence must allow embedding a
 * subset.  A damaged font would otherwise make the emitter read out of
 * bounds, divide by zero or embed a broken font.  The reason may be
 * written into why[0..n).
 */
const char *sfnt_problem(const unsigned char *p, size_t len, char *why,
                         size_t n);
/* Reads into ef what the typesetter and the PDF need from a font that
 * sfnt_problem() accepted; its name goes into a. */
void sfnt_parse(struct arena *a, struct emit_face *ef);
/* The advance of glyph gid [1/1000 em], truncated as /W gets it. */
uint32_t sfnt_advance(const struct emit_face *, uint32_t gid);
/* Where glyph g's outline starts in the glyf table [bytes]. */
size_t sfnt_glyph_at(const struct emit_face *, uint32_t g);
/*
 * Where a component record of the glyph outline p[0..n) starts: with at
 * 0 the first, else the one after the record at at (OpenType spec,
 * "glyf" table); 0 when there is none: a simple or empty glyph, the last
 * record, or one cut short.  A record's glyph number is at at + 2.
 */
size_t sfnt_next_component(const unsigned char *p, size_t n, size_t at);

/* What a font descriptor says of a face (PDF 32000 9.8) [1/1000 em]. */
struct sfnt_desc {
	uint32_t flags;  /* nonsymbolic, serif, italic */
	int32_t bbox[4]; /* the font's bounding box */
	int32_t italic;  /* italic angle [degrees] */
	int32_t cap;     /* capital height */
	int32_t stemv;   /* vertical stem width, estimated */
	int32_t dw;      /* default width: .notdef's advance */
};
void sfnt_descriptor(const struct emit_face *, struct sfnt_desc *);

/*
 * font.c.  The font drawing face f's k-th font, the owner of its data,
 * read now if it was not: NULL when the face has no k-th font or it
 * cannot be used (reported).
 */
struct emit_face *font_of(struct fontset *, enum face f, int k);
/*
 * Before saving, for each font drawn: numbers the glyphs drawn (marked
 * in ef->glyphs as the pages were drawn) with the components they need,
 * builds its font program and writes /W, the CIDToGIDMap and the
 * ToUnicode CMap for exactly the glyphs drawn.  Returns false after
 * reporting.
 */
bool font_fix(struct job *, struct fontset *);
/*
 * Reads the outlines of the glyphs marked in ef->glyphs that are not
 * read yet.  A read error is left in ef->read_err.
 */
void font_read_glyphs(struct emit_face *);
/* Characters s[0..n) of UTF-8 as UTF-16BE hex digits, for a PDF string
 * (ToUnicode, /ActualText). */
void font_put_utf16(struct buf *, const char *s, size_t n);

/*
 * shape.c.  A glyph of a shaped word, in drawing order (left to right
 * on the page) [1/1000 em].
 */
struct shape_glyph {
	uint16_t font;     /* index in fontset.face (an owner) */
	uint16_t gid;      /* glyph in that font */
	int32_t adv;       /* advance */
	int32_t dx, dy;    /* offset from the pen */
	int32_t w;         /* its advance in the font, as /W gives it */
	uint32_t cluster;  /* first byte of the characters it draws */
	uint32_t ncluster; /* how many bytes they take (0: it only adds to
	                    * another glyph's) */
};

struct shape_word {
	const char *text; /* the word (the cache's own copy) */
	uint32_t len;
	uint8_t face;
	bool rtl;
	bool missing;   /* a character is in none of the face's fonts */
	bool joined;    /* a glyph stands for several characters */
	uint8_t script; /* enum lang_script of its letters, SCRIPT_NONE
	                 * when it has none or letters of two scripts */
	bool seam;      /* two characters in one font, the second's
	                 * glyphs clear of HB_GLYPH_FLAG_UNSAFE_TO_CONCAT
	                 * (joined_word()) */
	bool actual;    /* its glyphs' characters do not read back as its
	                 * text: one stood for by no glyph or by two, or an
	                 * accent drawn apart from its letter, which readers
	                 * part with a space; drawn in a Span whose
	                 * /ActualText is the word (content.c) */
	int32_t width;
	uint32_t n;
	struct shape_glyph *g;
	uint32_t id; /* the shaper's count of words before it */
};

/*
 * How the emitter draws a word's glyphs 1..n-1 after glyph 0, the same
 * wherever the word is (content.c): their TJ bytes, how far they move the
 * pen the text follows, and where the reader's pen ends from it [1e-6
 * em].  Kept by the shaper beside the word, made by the emitter.
 */
struct shape_code {
	enum { CODE_NOT_YET, CODE_ONCE, CODE_DONE, CODE_NONE } state;
	/* Whether its glyphs' ToUnicode entries tell its text, once a
	 * first drawing has decided (content.c, told_apart()). */
	enum { TOLD_NOT_YET, TOLD_BY_GLYPHS, TOLD_APART } told;
	uint32_t n;
	char *bytes; /* in the shaper's arena (shape_code_keep()) */
	int64_t adv, tail;
};

struct shaper *shape_new(void);
void shape_free(struct shaper *);
/* The language words in its script are shaped in (emit_fonts_lang()). */
void shape_lang(struct shaper *, const char *lang);
/* The fonts' HarfBuzz objects, made when the fonts are loaded. */
bool shape_font_open(struct emit_face *);
void shape_font_close(struct emit_face *);
/*
 * The word s[0..len) (no U+0020 in it) in face f, shaped in the face's
 * fonts: each character in the first of them that has it.  Cached: the
 * same word is shaped once, and the result lives as long as the shaper.
 */
const struct shape_word *shape_word(struct fontset *, enum face f,
                                    const char *s, size_t len, bool rtl);
/* The emitter's drawing of w, zeroed until it makes it. */
struct shape_code *shape_code_of(struct fontset *, const struct shape_word *w);
/* A copy of b[0..n) that lives as long as the words. */
char *shape_code_keep(struct fontset *, const char *b, size_t n);
/* Whether one of face f's fonts has a glyph for cp. */
bool shape_covers(struct fontset *, enum face f, uint32_t cp);
/* Whether the font has the ten superscript figures (U+2070, U+00B9,
 * U+00B2, U+00B3, U+2074 to U+2079): the glyphs its sups feature gives
 * the digits, where it has one. */
bool shape_superscripts(const struct emit_face *);

/*
 * subset.c.  subset_number() marks .notdef and the components of the
 * composite glyphs marked in ef->glyphs (reading their outlines) and
 * numbers them in ef->gid.  subset_build() then builds the program
 * (OpenType tables, PDF 32000 9.9) and compresses it into ef->prog.  A
 * read error is left in ef->read_err; ef->prog stays NULL when
 * compression failed.
 */
struct deflater;
void subset_number(struct emit_face *);
void subset_build(struct deflater *, struct emit_face *);
/*
 * The subset tag (PDF 32000 9.6.4): six capitals and "+" from a hash of
 * the font and the glyphs drawn, so that the same subset always gets the
 * same tag and different subsets of one font different ones.
 */
void subset_tag(const struct emit_face *, char tag[8]);

/*
 * tags.c.  The structure tree of a tagged PDF (PDF/UA-1), gathered as
 * the pages are drawn, in order, and written before the document is
 * saved.  tags_mcid() begins a marked-content sequence of element elem
 * on page: its MCID.  tags_annot() files the link annotation obj (object
 * number) of a Link element, which gets /StructParent tags_next_key(),
 * before the page's content is drawn.
 */
struct tags *tags_new(const struct pages *);
void tags_free(struct tags *);
/* The document's language (BCP 47). */
const char *tags_lang(const struct tags *);
/* Whether content of e is tagged content (not an artifact). */
bool tags_element(const struct tags *, uint32_t e);
/* Its structure type's name. */
const char *tags_name(const struct tags *, uint32_t e);
uint32_t tags_mcid(struct tags *, size_t page, uint32_t elem);
int32_t tags_next_key(const struct tags *);
/* The Form element of the signature's widget (pages.sign), or 0. */
uint32_t tags_form(const struct tags *);
void tags_annot(struct tags *, size_t page, uint32_t elem, uint32_t obj);
/* After a page's content: its annotations join their Links, after the
 * text they cover. */
void tags_page_end(struct tags *);
/* Whether page has marked content (then its /StructParents is its
 * index); true only once the page is drawn. */
bool tags_page_marked(const struct tags *, size_t page);
/* The structure tree, ParentTree and catalog entries; page_obj[] holds
 * each page's object number.  False after reporting. */
bool tags_write(struct job *, struct fontset *, struct tags *,
                const uint32_t *page_obj);

/*
 * content.c.  Writes the content stream of page into out (replaced):
 * text, rules and fills.  Fonts are named F1, F2, ... in the order the
 * page first draws with them; fonts[0..*nfonts) gets them in that order.
 * The glyphs drawn are marked in their fonts (ef->glyphs, ef->text).
 * Numbers come from integers, so they are exact and the same on every
 * host.
 */
struct tags;
void content_page(struct fontset *, const struct page *, struct buf *out,
                  int fonts[FONTS_MAX], int *nfonts, struct tags *,
                  size_t index);
/* Calls fn for each word and space of a text run, in the order of its
 * text. */
void content_words(struct fontset *, const struct page_op *,
                   void (*fn)(void *ctx, const struct shape_word *), void *ctx);
/*
 * v/1000 in decimal with no trailing zeros ("-12.5", "228"), and v in
 * decimal, written at the end of out[0..16); return where they start.
 */
char *content_mpt(char out[16], int32_t v);
char *content_uint(char out[16], uint32_t v);
/* v in decimal, at the end of b. */
void content_put_uint(struct buf *, uint32_t v);

/*
 * haru.c: the one place that uses libharu's object layer and reaches
 * into its structures, whose layout is only known for 2.3.0.  Errors
 * land in fs->err (its error handler), reported by haru_check().
 */
/* A new libharu document for fs, its errors recorded in fs; false after
 * reporting. */
bool haru_new(struct job *, struct fontset *);
/*
 * True when libharu has reported no error.  Otherwise reports a system
 * error "cannot DOING: libharu error 0xXXXX (...)" and returns false.
 */
bool haru_check(struct job *, struct fontset *, const char *doing);
/* The objects of a font's Type0 font, to be filled by haru_font_fill(). */
void haru_font_new(struct fontset *, struct emit_face *);
/*
 * Fills in a font: /W for the glyphs embedded, the ToUnicode CMap cmap
 * and the font program.  z is scratch space.  False when compression
 * failed.
 */
bool haru_font_fill(struct emit_face *, struct deflater *,
                    const struct buf *cmap, struct buf *z);
/* A destination showing page target with y at the top of the window. */
HPDF_Destination haru_dest(HPDF_Page target, int32_t y);
/*
 * A printed link annotation on pg over rect (left, bottom, right, top
 * [mpt]) to y on page target, or opening uri (printable ASCII) when that
 * is not NULL; contents (UTF-8, kept) is its /Contents when not NULL,
 * key its /StructParent when not negative.  Its fields are in a.
 * Returns its object number, 0 when libharu failed (fs->err).
 */
uint32_t haru_link(struct arena *a, HPDF_Page pg, const int32_t rect[4],
                   HPDF_Page target, int32_t y, const char *uri,
                   const char *contents, int32_t key);
/*
 * n indirect objects, each a dictionary whose entries fn(ctx, i, out)
 * writes for the i-th when the document is saved, in order.  Returns the
 * first one's number (the others follow it), 0 when libharu failed.
 * Once per document.
 */
uint32_t haru_raw(struct fontset *, size_t n,
                  void (*fn)(void *ctx, size_t i, struct buf *out), void *ctx);
/*
 * The catalog's /StructTreeRoot, whose entries fn(ctx, out) writes when
 * the document is saved, and /MarkInfo << /Marked true >>.  Returns its
 * object number, 0 when libharu failed.
 */
uint32_t haru_struct_root(struct fontset *,
                          void (*fn)(void *ctx, struct buf *out), void *ctx);
/* A tagged page's /StructParents (key, when not negative), and /Tabs /S
 * when it has annotations: they are visited in the structure's order. */
void haru_page_tagged(HPDF_Page, int32_t key);
/*
 * An invisible signature field on page pg (a printed widget of no size,
 * in the catalog's /AcroForm), whose value is a signature dictionary
 * with /M when (a PDF date) and room bytes kept for the signature; key
 * is the widget's /StructParent when not negative.  Returns the widget's
 * object number, 0 when libharu failed (fs->err).  save() writes the
 * dictionary and notes where its placeholders are (haru_sig_places()).
 */
uint32_t haru_signature(struct fontset *, HPDF_Page pg, const char *when,
                        size_t room, int32_t key);
/* Where the saved file's /ByteRange numbers and /Contents string begin
 * [byte offsets]. */
void haru_sig_places(const struct fontset *, size_t *range, size_t *contents);
/* The object number of an indirect object of libharu's. */
uint32_t haru_obj(const void *obj);
/* s (UTF-8) as a PDF text string: "(...)" when it is printable ASCII,
 * else in hex, "<FEFF...>" (UTF-16BE). */
void haru_put_text(struct buf *, const char *s);
/* Frees the libharu document of fs. */
void haru_free(struct fontset *);
/* Page pg's content: z[0..n), compressed by the caller. */
void haru_page_content(HPDF_Page pg, const void *z, size_t n);
/*
 * Names image k of images[0..n) "/Im<k>" in page pg's resources, making
 * its XObject the first time any page draws it: a JPEG's bytes as they
 * are (DCTDecode), a PNG's pixels deflated, its alpha as a soft mask.
 * False when a buffer could not be compressed; libharu's errors are in
 * fs->err.
 */
bool haru_page_image(struct fontset *, HPDF_Page pg, const struct image *images,
                     size_t n, uint32_t k);
/* A bookmark's title, or an entry of the document information, as a PDF
 * text string (UTF-16BE) from UTF-8. */
void haru_outline_title(struct fontset *, HPDF_Outline, const char *utf8);
void haru_info_text(struct fontset *, const char *key, const char *utf8);
/* How many bytes of s a text string keeps: what fits in libharu's limit
 * on strings, cut at a character. */
size_t haru_text_len(const char *utf8);
/* An entry of the document information in printable ASCII. */
void haru_info_ascii(struct fontset *, const char *key, const char *s);
/* The catalog's /Lang: tag, a BCP 47 language tag (ASCII). */
void haru_catalog_lang(struct fontset *, const char *tag);
/* The catalog's /ViewerPreferences: the window shows the title. */
void haru_catalog_viewer(struct fontset *);
/* The catalog's /Metadata: the XMP packet xml[0..n), uncompressed. */
void haru_catalog_metadata(struct fontset *, const char *xml, size_t n);
/*
 * The catalog's PDF/A output intent: sRGB, with the ICC profile
 * srgb_icc compressed into z (scratch).  False when compression failed.
 */
bool haru_output_intent(struct fontset *, struct buf *z);
/* The /Producer libharu puts in the document information. */
const char *haru_producer(struct fontset *, struct arena *);
/* The PDF version in the file's header: 1.7 (ISO 32000-1), which
 * PDF/A-2 is based on. */
void haru_pdf_17(struct fontset *);
/* The trailer's /ID: the same 16 bytes twice. */
void haru_trailer_id(struct fontset *, const unsigned char id[16]);
/*
 * Saves the document, its bytes given to write(ctx, data, len) in order.
 * False after reporting, or, when write() returned false, without
 * reporting: the sink says why.
 */
bool haru_save(struct job *, struct fontset *,
               bool (*write)(void *ctx, const void *data, size_t len),
               void *ctx);

/*
 * deflate.c.  A compressor for the page content and the font programs.
 * deflate_zlib() writes
 * in[0..n) as a zlib stream (what FlateDecode reads) to out, which has
 * room for deflate_bound(n) bytes, and returns its length, or 0 when it
 * failed.
 */
struct deflater *deflate_new(void);
void deflate_free(struct deflater *);
size_t deflate_bound(struct deflater *, size_t n);
size_t deflate_zlib(struct deflater *, const void *in, size_t n, void *out,
                    size_t cap);
/* in[0..n) as a zlib stream into out (replaced); false when that failed. */
bool deflate_buf(struct deflater *, const void *in, size_t n, struct buf *out);

/*
 * xmp.c.  The XMP metadata packet (ISO 16684-1) of a document, into out
 * (replaced), every value XML-escaped.  Strings are UTF-8; NULL or
 * empty ones are left out.  The dates are ISO 8601 with their offset
 * ("2025-03-18T09:00:00+01:00"), the instant of the information's
 * /CreationDate and /ModDate.
 */
struct xmp {
	const char *title, *author, *subject, *keywords;
	const char *lang;     /* BCP 47 tag of the title and description */
	const char *tool;     /* xmp:CreatorTool: the info's /Creator */
	const char *producer; /* pdf:Producer: the info's /Producer */
	const char *date;     /* created, modified, metadata; or NULL */
	bool pdfa;            /* identify as PDF/A-2b */
	bool ua;              /* identify as PDF/UA-1 */
};
void xmp_packet(struct buf *out, const struct xmp *);

/* The sRGB ICC profile (version 2) of the output intent, written by make
 * from icc-profiles-free's sRGB.icc. */
extern const unsigned char srgb_icc[];
extern const size_t srgb_icc_len;

/* Milli-points as libharu's points. */
static inline HPDF_REAL
emit_pt(int32_t mpt)
{
	return (HPDF_REAL)mpt / 1000.0f;
}

#endif
