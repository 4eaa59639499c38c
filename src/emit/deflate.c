/*
 * Compression of the PDF's streams, all of it done here before libharu
 * sees them: libharu writes the bytes as they are.  libdeflate at level 1
 * is about twice as fast as zlib and makes smaller streams.
 */
#include <libdeflate.h>
#include <stdlib.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "emit_int.h"

struct deflater {
	struct libdeflate_compressor *c;
};

struct deflater *
deflate_new(void)
{
	struct deflater *d = mem_alloc(1, sizeof *d);
	d->c = libdeflate_alloc_compressor(DEFLATE_LEVEL);
	if (d->c == NULL)
		mem_oom();
	return d;
}

void
deflate_free(struct deflater *d)
{
	if (d == NULL)
		return;
	libdeflate_free_compressor(d->c);
	free(d);
}

size_t
deflate_bound(struct deflater *d, size_t n)
{
	return libdeflate_zlib_compress_bound(d->c, n);
}

size_t
deflate_zlib(struct deflater *d, const void *in, size_t n, void *out,
             size_t cap)
{
	return libdeflate_zlib_compress(d->c, in, n, out, cap);
}

bool
deflate_buf(struct deflater *d, const void *in, size_t n, struct buf *out)
{
	size_t cap = deflate_bound(d, n);
	buf_reset(out);
	buf_reserve(out, cap);
	out->len = deflate_zlib(d, in, n, out->data, cap);
	return out->len > 0;
}
