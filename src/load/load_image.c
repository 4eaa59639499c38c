/*
 * Load stage: the images figures show.  A PNG is decoded by libpng's
 * simplified API to 8-bit grey or RGB pixels and its alpha channel; a
 * JPEG is checked by libjpeg (its header) and by its end marker, then
 * embedded as it is.  Whatever the file holds, a problem is an error at
 * the place the commentary names the image: a file that is no image, or
 * another kind than its name says, a truncated one, one too large to
 * embed (its header is read before any pixel is), a CMYK JPEG.
 */
#include "load.h"

#include <stddef.h>
#include <stdio.h> /* before jpeglib.h, which needs FILE and size_t */

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/fileio.h"
#include "../doc.h"
#include "../job.h"

static const unsigned char png_magic[8] = {0x89, 'P',  'N',  'G',
                                           '\r', '\n', 0x1A, '\n'};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The resolution a PNG's pHYs chunk records, in dots per inch, or 0. */
static uint32_t
png_dpi(const unsigned char *p, size_t n)
{
	for (size_t at = 8; at + 12 <= n;) {
		uint32_t len = be32(p + at);
		if (len > n - at - 12)
			break;
		const unsigned char *type = p + at + 4;
		if (memcmp(type, "IDAT", 4) == 0)
			break;
		if (memcmp(type, "pHYs", 4) == 0 && len == 9 &&
		    type[12] == 1) /* unit: the metre */
			return (uint32_t)((be32(type + 4) * 254ull + 5000) /
			                  10000);
		at += 12 + (size_t)len;
	}
	return 0;
}

/* Whether a width by height image is small enough to embed; reports it
 * at im->loc if not. */
static bool
size_ok(struct job *job, const struct image *im, uint32_t w, uint32_t h)
{
	if (w == 0 || h == 0) {
		diag_error(job->diag, im->loc, "image \"%s\" has no pixels",
		           im->path);
		return false;
	}
	if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE ||
	    (uint64_t)w * h > IMAGE_MAX_PIXELS) {
		diag_error(job->diag, im->loc,
		           "image \"%s\" is %u × %u pixels: at most %u a side "
		           "and %u million in all are embedded (an A4 page at "
		           "600 dpi is 4,960 × 7,016); scale it down",
		           im->path, w, h, IMAGE_MAX_SIDE,
		           IMAGE_MAX_PIXELS / 1000000);
		return false;
	}
	return true;
}

static bool
read_png(struct job *job, struct image *im, const unsigned char *p, size_t n)
{
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, p, n)) {
		diag_error(job->diag, im->loc,
		           "image \"%s\" is a broken PNG: %s", im->path,
		           pi.message);
		png_image_free(&pi);
		return false;
	}
	if (!size_ok(job, im, pi.width, pi.height)) {
		png_image_free(&pi);
		return false;
	}
	bool alpha = (pi.format & PNG_FORMAT_FLAG_ALPHA) != 0;
	bool color = (pi.format & PNG_FORMAT_FLAG_COLOR) != 0;
	pi.format = color ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB)
	                  : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
	size_t stride = PNG_IMAGE_ROW_STRIDE(pi);
	size_t size = PNG_IMAGE_BUFFER_SIZE(pi, stride);
	unsigned char *px = arena_alloc(job->arena, size);
	if (!png_image_finish_read(&pi, NULL, px, (png_int_32)stride, NULL)) {
		diag_error(job->diag, im->loc,
		           "image \"%s\" is a broken PNG: %s", im->path,
		           pi.message);
		png_image_free(&pi);
		return false;
	}
	im->kind = IMAGE_PNG;
	im->orientation = 1;
	im->width = pi.width;
	im->height = pi.height;
	im->channels = color ? 3 : 1;
	im->dpi = png_dpi(p, n);
	size_t npx = (size_t)pi.width * pi.height;
	if (!alpha) {
		im->data = px;
		im->len = size;
		return true;
	}
	/* The alpha channel apart, the colour packed in place before it. */
	unsigned char *a = arena_alloc(job->arena, npx);
	int ch = im->channels;
	bool opaque = true;
	for (size_t i = 0; i < npx; i++) {
		memmove(px + i * (size_t)ch, px + i * (size_t)(ch + 1),
		        (size_t)ch);
		a[i] = px[i * (size_t)(ch + 1) + (size_t)ch];
		opaque &= a[i] == 0xFF;
	}
	im->data = px;
	im->len = npx * (size_t)ch;
	im->alpha = opaque ? NULL : a;
	return true;
}

static uint32_t
exif_u(const unsigned char *p, int n, bool le)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint32_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

/* The orientation an EXIF block (APP1 data, "Exif\0\0" and a TIFF
 * header) records in its first directory, or 1. */
static int
exif_orientation(const unsigned char *p, size_t n)
{
	if (n < 14 || memcmp(p, "Exif\0\0", 6) != 0)
		return 1;
	const unsigned char *t = p + 6;
	size_t tn = n - 6;
	bool le = t[0] == 'I' && t[1] == 'I';
	if (!le && !(t[0] == 'M' && t[1] == 'M'))
		return 1;
	uint32_t ifd = exif_u(t + 4, 4, le);
	if (ifd > tn - 2)
		return 1;
	uint32_t count = exif_u(t + ifd, 2, le);
	for (uint32_t i = 0; i < count; i++) {
		size_t at = ifd + 2 + 12 * (size_t)i;
		if (at + 12 > tn)
			break;
		if (exif_u(t + at, 2, le) == 0x0112) {
			uint32_t o = exif_u(t + at + 8, 2, le);
			return o >= 1 && o <= 8 ? (int)o : 1;
		}
	}
	return 1;
}

/* libjpeg's errors, which would end the process, end the read. */
struct jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
	char msg[JMSG_LENGTH_MAX];
};

static void
jpeg_fail(j_common_ptr cinfo)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
	(*cinfo->err->format_message)(cinfo, e->msg);
	longjmp(e->back, 1);
}

static void
jpeg_quiet(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level;
}

/* Whether a JPEG's data ends with its end-of-image marker (FF D9),
 * before at most a little padding: a cut file does not. */
static bool
jpeg_complete(const unsigned char *p, size_t n)
{
	size_t from = n > 64 ? n - 64 : 0;
	for (size_t i = n; i >= from + 2; i--)
		if (p[i - 2] == 0xFF && p[i - 1] == 0xD9)
			return true;
	return false;
}

static bool
read_jpeg(struct job *job, struct image *im, const unsigned char *p, size_t n)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_err err;
	cinfo.err = jpeg_std_error(&err.mgr);
	err.mgr.error_exit = jpeg_fail;
	err.mgr.emit_message = jpeg_quiet;
	if (setjmp(err.back)) {
		diag_error(job->diag, im->loc,
		           "image \"%s\" is a broken JPEG: %s", im->path,
		           err.msg);
		jpeg_destroy_decompress(&cinfo);
		return false;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, p, (unsigned long)n);
	jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
	jpeg_read_header(&cinfo, TRUE);
	int orientation = 1;
	for (jpeg_saved_marker_ptr m = cinfo.marker_list; m; m = m->next)
		if (m->marker == JPEG_APP0 + 1 && orientation == 1)
			orientation = exif_orientation(m->data, m->data_length);
	uint32_t w = cinfo.image_width, h = cinfo.image_height;
	int comps = cinfo.num_components;
	J_COLOR_SPACE cs = cinfo.jpeg_color_space;
	uint32_t dpi = !cinfo.saw_JFIF_marker    ? 0
	               : cinfo.density_unit == 1 ? cinfo.X_density
	               : cinfo.density_unit == 2
	                   ? (uint32_t)(cinfo.X_density * 254u + 50) / 100
	                   : 0;
	jpeg_destroy_decompress(&cinfo);
	if (!size_ok(job, im, w, h))
		return false;
	if (cs == JCS_CMYK || cs == JCS_YCCK || (comps != 1 && comps != 3)) {
		diag_error(
		    job->diag, im->loc,
		    "image \"%s\" is a CMYK JPEG: the briefing's colours "
		    "are RGB (sRGB), so save it as an RGB or greyscale "
		    "JPEG",
		    im->path);
		return false;
	}
	if (!jpeg_complete(p, n)) {
		diag_error(job->diag, im->loc,
		           "image \"%s\" is a broken JPEG: it is cut short (no "
		           "end-of-image marker)",
		           im->path);
		return false;
	}
	im->kind = IMAGE_JPEG;
	im->width = w;
	im->height = h;
	im->orientation = orientation;
	im->channels = comps;
	im->dpi = dpi;
	im->data = p;
	im->len = n;
	return true;
}

/* What a file's first bytes say it is, for a message. */
static const char *
kind_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (strcmp(dot, ".jpg") == 0 || strcmp(dot, ".jpeg") == 0 ||
	               strcmp(dot, ".JPG") == 0 || strcmp(dot, ".JPEG") == 0)
	           ? "JPEG"
	       : dot && (strcmp(dot, ".png") == 0 || strcmp(dot, ".PNG") == 0)
	           ? "PNG"
	           : NULL;
}

bool
load_images(struct job *job, struct doc *doc)
{
	bool ok = true;
	for (size_t i = 0; i < doc->nimages; i++) {
		struct image *im = &doc->images[i];
		char *data;
		size_t n;
		if (!fileio_read(job->arena, job->diag, &im->loc, im->path,
		                 &data, &n)) {
			ok = false;
			continue;
		}
		const unsigned char *p = (const unsigned char *)data;
		bool png = n >= 8 && memcmp(p, png_magic, 8) == 0;
		bool jpeg =
		    n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF;
		const char *named = kind_of(im->path);
		if (!png && !jpeg) {
			diag_error(job->diag, im->loc,
			           "image \"%s\" is %s: figures take PNG and "
			           "JPEG images",
			           im->path,
			           n == 0  ? "empty"
			           : named ? (strcmp(named, "PNG") == 0
			                          ? "not a PNG (nor a JPEG)"
			                          : "not a JPEG (nor a PNG)")
			                   : "neither a PNG nor a JPEG");
			ok = false;
			continue;
		}
		/* A file that is not what its name says may not be what
		 * the analyst meant to show: they rename it, or fix it. */
		if (named && strcmp(named, png ? "PNG" : "JPEG") != 0) {
			diag_error(job->diag, im->loc,
			           "image \"%s\" is a %s, not the %s its name "
			           "says: give it the name of what it is "
			           "(.%s)",
			           im->path, png ? "PNG" : "JPEG", named,
			           png ? "png" : "jpg");
			ok = false;
			continue;
		}
		ok &= png ? read_png(job, im, p, n) : read_jpeg(job, im, p, n);
	}
	return ok;
}
