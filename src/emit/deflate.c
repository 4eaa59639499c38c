/*
 * Compression of the PDF's streams.
 *
 * The bulk, page content and font programs, is compressed here with
 * libdeflate, which at level 1 is about twice as fast as zlib and makes
 * smaller streams; each thread has a compressor of its own.
 *
 * The rest is libharu's (CMaps, bookmarks' text and such).  libharu compresses every
 * stream (page content, embedded fonts, CMaps) with zlib's default level,
 * which costs about a third of a build's time.  Level 1 makes files only
 * about 6% larger and compresses several times faster, and libharu has no
 * setting for it, so this definition of zlib's entry point takes the place
 * of zlib's own for the whole program (libharu calls it through the
 * dynamic linker) and asks for DEFLATE_LEVEL.
 */
#include <libdeflate.h>
#include <stdlib.h>
#include <zlib.h>

#include "emit_int.h"

int deflateInit_(z_streamp strm, int level, const char *version,
                 int stream_size);

int
deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
	(void)level;
	return deflateInit2_(strm, DEFLATE_LEVEL, Z_DEFLATED, MAX_WBITS,
	                     8, Z_DEFAULT_STRATEGY, version, stream_size);
}

struct deflater {
	struct libdeflate_compressor *c;
};

struct deflater *
deflater_new(void)
{
	struct deflater *d = malloc(sizeof *d);
	if (d == NULL)
		return NULL;
	d->c = libdeflate_alloc_compressor(DEFLATE_LEVEL);
	if (d->c == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
deflater_free(struct deflater *d)
{
	if (d == NULL)
		return;
	libdeflate_free_compressor(d->c);
	free(d);
}

size_t
deflater_bound(struct deflater *d, size_t n)
{
	return libdeflate_zlib_compress_bound(d->c, n);
}

size_t
deflater_zlib(struct deflater *d, const void *in, size_t n, void *out,
              size_t cap)
{
	return libdeflate_zlib_compress(d->c, in, n, out, cap);
}
