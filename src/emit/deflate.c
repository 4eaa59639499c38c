/*
 * Compression level of the PDF's streams.  libharu compresses every
 * stream (page content, embedded fonts, CMaps) with zlib's default level,
 * which costs about a third of a build's time.  Level 1 makes files only
 * about 6% larger and compresses several times faster, and libharu has no
 * setting for it, so this definition of zlib's entry point takes the place
 * of zlib's own for the whole program (libharu calls it through the
 * dynamic linker) and asks for DEFLATE_LEVEL.
 */
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
