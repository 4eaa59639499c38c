/*
 * Emit stage internals shared by font.c and emit_pdf.c: the fontset, lazy
 * font objects, libharu error checks and the fixes applied before saving.
 * Not for use outside src/emit/.
 */
#ifndef BRIEFING_EMIT_INT_H
#define BRIEFING_EMIT_INT_H

/* Compression level of every stream in the PDF (deflate.c). */
#define DEFLATE_LEVEL 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "../base/arena.h"
#include "../tmpl.h"

struct job;

/* A table of a TrueType file: where it is and how long [bytes]. */
struct sfnt_table {
	size_t off;
	size_t len;
};

/* The tables read or embedded; the first nine are required. */
enum sfnt_tag {
	TT_HEAD, TT_HHEA, TT_MAXP, TT_HMTX, TT_CMAP, TT_LOCA, TT_GLYF,
	TT_NAME, TT_OS2, TT_POST, TT_CVT, TT_FPGM, TT_PREP, TT__MAX
};

/*
 * One template face.  Faces naming the same file share the owner's data;
 * the fields below "owner only" are set in the owner.
 */
struct emit_face {
	const char *path; /* the TrueType file */
	int owner;        /* first face with the same font (maybe self) */
	const unsigned char *ttf; /* the file's bytes where they are:
	                           * every table but glyf is read and
	                           * checked by font_problem() when the
	                           * font is loaded, the outlines only as
	                           * glyphs are drawn (read_glyphs()) */
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
	uint32_t upem;            /* units per em */
	uint32_t nglyphs, nmetrics;
	bool loca_long;           /* 32-bit glyph offsets */
	size_t cmap;              /* offset of the character map used */
	int32_t ascent, descent;  /* [1/1000 em] */
	/* owner only */
	int32_t ascii[128]; /* font_width() of ASCII */
	uint16_t *width; /* 65536 advances + 2 [1/1000 em]; 0 not
	                  * looked up yet, 1 no glyph */
	uint8_t *used;   /* bitset of the BMP code points drawn */
	uint16_t *rank;  /* per byte of used: the code points drawn below
	                  * its first (font_code()) */
	uint32_t ncodes; /* code points drawn */
	uint8_t *glyphs; /* per glyph: embedded (1) or not (0) */
	uint16_t *gid;   /* per glyph embedded: its number in the subset,
	                  * the embedded glyphs in their order */
	uint32_t nsubset; /* glyphs in the subset */
	HPDF_Font font;  /* the Type0 font; NULL until drawn */
	HPDF_Dict cid;   /* its descendant CIDFont */
	HPDF_Dict file;  /* its FontFile2 stream */
	HPDF_Dict tounicode, cidtogid; /* its streams */
	unsigned char *prog; /* the subset font program, compressed */
	size_t prog_len;
	unsigned length1;    /* the program's uncompressed size */
};

/*
 * A compressor for the page content and the font programs (deflate.c).
 * deflater_new() is NULL when out of memory.
 * deflater_zlib() writes in[0..n) as a zlib stream (what FlateDecode
 * reads) to out, which has room for deflater_bound(n) bytes, and returns
 * its length, or 0 when it failed.
 */
struct deflater;
struct deflater *deflater_new(void);
void deflater_free(struct deflater *);
size_t deflater_bound(struct deflater *, size_t n);
size_t deflater_zlib(struct deflater *, const void *in, size_t n, void *out,
                     size_t cap);
/*
 * in[0..n) as a zlib stream into out (replaced), with zlib itself, for the
 * small streams of a font.  False when zlib failed.
 */
struct buf;
bool deflate_small(const void *in, size_t n, struct buf *out);

/*
 * Write hooks for stream dictionaries whose data was compressed before
 * libharu saw it (their filter is NONE, so libharu leaves out the
 * entry): they write "/Filter /FlateDecode", or "/Filter [ /FlateDecode ]"
 * as libharu itself writes it for the fonts' small streams.
 */
HPDF_STATUS emit_flate_filter(HPDF_Dict, HPDF_Stream);
HPDF_STATUS emit_flate_filter_array(HPDF_Dict, HPDF_Stream);

struct fontset {
	struct arena arena; /* the faces' bytes and names (not in a copy's) */
	HPDF_Doc pdf;
	HPDF_STATUS err;    /* first error libharu raised, 0 if none */
	HPDF_STATUS detail; /* its detail code (errno for file errors) */
	bool is_emitted;    /* pages were drawn; a second emit is a bug */
	bool borrowed;      /* the faces' files are another fontset's */
	struct emit_face face[FACE__MAX];
};

/*
 * The font object for face (created on first use, so a face never drawn
 * is not embedded).  NULL when libharu failed: check with font_check().
 */
HPDF_Font font_get(struct fontset *, enum face);


/*
 * The advance of code cp in face as a PDF reader takes it from the font's
 * /W or /DW [1/1000 em].
 */
int32_t font_width(struct fontset *, enum face, uint32_t cp);
/* font_width() of the 128 ASCII codes, as an array. */
const int32_t *font_ascii_widths(struct fontset *, enum face);

/*
 * The bitset of BMP code points drawn in face's font: emit sets the bits
 * of every text before drawing, and font_fix() embeds those glyphs and
 * maps those code points.
 */
uint8_t *font_used(struct fontset *, enum face);

/* The face whose font draws face f (faces of one file share it). */
const struct emit_face *font_face(const struct fontset *, enum face f);

/*
 * The two-byte code that draws code point cp, set in ef->used, in ef's
 * font: the code points drawn are numbered 1, 2, ... in order, so that
 * the font's maps stay short.  Valid once font_embed_start() has run.
 */
extern const uint8_t font_bits[256]; /* set bits in each byte value */
static inline uint32_t
font_code(const struct emit_face *ef, uint32_t cp)
{
	unsigned below = ef->used[cp >> 3] & ((1u << (cp & 7)) - 1);
	return ef->rank[cp >> 3] + font_bits[below] + 1;
}

/*
 * True when libharu has reported no error.  Otherwise reports a system
 * error "cannot DOING: libharu error 0xXXXX (...)" and returns false.
 */
bool font_check(struct job *, struct fontset *, const char *doing);

/*
 * Numbers the codes drawn and makes the font objects of the faces drawn,
 * before the pages: every code the pages will draw must already be set
 * in font_used().  font_fix() fills them in.
 */
bool font_embed_start(struct job *, struct fontset *);

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
const char *font_problem(const unsigned char *p, size_t len, char *why,
                         size_t n);

/*
 * Before saving, for each font drawn: builds its font program (the
 * glyphs of the codes drawn and, transitively, the components of
 * composite glyphs) and writes /W, the CIDToGIDMap and the ToUnicode
 * CMap for exactly the codes drawn.  Returns false after reporting.
 */
bool font_fix(struct job *, struct fontset *);

#endif
