/*
 * Emit stage internals shared by font.c and emit_pdf.c: the fontset, lazy
 * font objects, libharu error checks and the fixes applied before saving.
 * Not for use outside src/emit/.
 */
#ifndef BRIEFING_EMIT_INT_H
#define BRIEFING_EMIT_INT_H

/* zlib level of every stream in the PDF (deflate.c). */
#define DEFLATE_LEVEL 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>
#include <pthread.h>

#include "../tmpl.h"

struct job;

/* One template face.  Faces naming the same font share the owner's data. */
struct emit_face {
	const char *path; /* the TrueType file */
	int owner;        /* first face with the same font (maybe self) */
	HPDF_FontDef def; /* libharu's parsed font, shared */
	const char *name; /* libharu's name for it */
	HPDF_Font font;   /* NULL until first drawn (owner only) */
	uint16_t *width;  /* 65536 advances + 2 [1/1000 em]; 0 not
	                   * looked up yet, 1 no glyph (owner only) */
	uint8_t *used;    /* bitset of the BMP codes drawn (owner only) */
	const unsigned char *ttf; /* the file's bytes, in job->arena */
	size_t ttf_len;           /* [bytes] */
	bool flagged;             /* its glyphs are flagged for embedding */
	bool embed;               /* font_embed_start() prepares it */
	unsigned char *prog;      /* its font program, compressed (malloc) */
	size_t prog_len;
	unsigned length1;         /* the program's uncompressed size */
};

struct fontset {
	HPDF_Doc pdf;
	HPDF_STATUS err;    /* first error libharu raised, 0 if none */
	HPDF_STATUS detail; /* its detail code (errno for file errors) */
	bool is_emitted;    /* pages were drawn; a second emit is a bug */
	struct emit_face face[FACE__MAX];
	pthread_t embedder; /* prepares the font programs (font.c) */
	bool embedding;     /* embedder is running */
	struct _HPDF_Error_Rec embed_err; /* its libharu errors */
	HPDF_MMgr embed_mmgr;
};

/*
 * The font object for face (created on first use, so a face never drawn
 * is not embedded).  NULL when libharu failed: check with font_check().
 */
HPDF_Font font_get(struct fontset *, enum face);

/*
 * The bitset of BMP codes drawn in face's font: emit sets the bits of
 * every text before drawing, and font_fix() embeds those glyphs and maps
 * those codes.
 */
uint8_t *font_used(struct fontset *, enum face);

/*
 * True when libharu has reported no error.  Otherwise reports a system
 * error "cannot DOING: libharu error 0xXXXX (...)" and returns false.
 */
bool font_check(struct job *, struct fontset *, const char *doing);

/*
 * Starts preparing the embedded font programs on a second thread while
 * the pages are drawn.  Every code the pages will draw must already be
 * set in font_used(); the faces drawn get their font objects now.
 * font_fix() waits for the thread.  Without a thread libharu embeds the
 * fonts itself when it saves, with the same result.
 */
bool font_embed_start(struct job *, struct fontset *);

/*
 * Why the TrueType file p[0..len) cannot be given to libharu, or NULL
 * when it can: the table directory and every table libharu reads must
 * lie inside the file, the required tables (head, hhea, maxp, hmtx,
 * cmap, loca, glyf, name, OS/2) must be there and consistent, and the
 * character map must send every code to a glyph the font has.  A damaged
 * font would otherwise make libharu read or write out of bounds, divide
 * by zero or embed a broken font.  The reason may be written into
 * why[0..n).
 */
const char *font_problem(const unsigned char *p, size_t len, char *why,
                         size_t n);

/*
 * Before saving, for each font drawn: marks the glyphs of the codes drawn
 * and, transitively, the components of composite glyphs as used (so they
 * are embedded), and rewrites /W, the CIDToGIDMap and the ToUnicode CMap
 * for exactly the codes drawn.  Returns false after reporting.
 */
bool font_fix(struct job *, struct fontset *);

#endif
