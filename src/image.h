/*
 * An image a figure shows: named in the commentary by compose, read and
 * checked by load (load_image.c), embedded once by emit however often it
 * is drawn.
 */
#ifndef BRIEFING_IMAGE_H
#define BRIEFING_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

/* The largest image embedded: a side and the pixels in all.  An A4 page
 * at 600 dpi is 4,960 by 7,016 pixels (35 million). */
#define IMAGE_MAX_SIDE   20000
#define IMAGE_MAX_PIXELS 40000000u

enum image_kind {
	IMAGE_PNG,
	IMAGE_JPEG,
};

struct image {
	const char *path; /* as the file system finds it */
	struct loc loc;   /* where it is first named */
	/* Filled by load_images(): */
	enum image_kind kind;
	uint32_t width, height; /* pixels, as stored */
	int orientation;        /* a JPEG's EXIF orientation: 1 upright, 3
	                         * turned half round, 6 to be turned a
	                         * quarter clockwise, 8 anticlockwise; 2, 4,
	                         * 5, 7 those mirrored */
	uint32_t dpi;           /* its recorded resolution, 0 if none */
	int channels;           /* 1 grey, 3 RGB */
	/* JPEG: the file as it is (the PDF embeds it unchanged).  PNG: its
	 * pixels at 8 bits a channel, rows from the top, and its alpha
	 * channel apart (NULL when it is opaque). */
	const unsigned char *data;
	size_t len;
	const unsigned char *alpha;
};

/* The pixels across and down as the image is shown: turned a quarter
 * (orientations 5 to 8), across and down trade places. */
static inline uint32_t
image_shown_width(const struct image *im)
{
	return im->orientation >= 5 ? im->height : im->width;
}

static inline uint32_t
image_shown_height(const struct image *im)
{
	return im->orientation >= 5 ? im->width : im->height;
}

#endif
