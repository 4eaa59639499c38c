/*
 * Fuzz target: the images a figure shows, through load_images().  The
 * input is the file's bytes, whatever they are; the seeds are the test
 * images, good and broken (tests/fixtures/images).  A file that loads
 * has pixels within the limits and buffers of the sizes it claims.
 */
#include "fuzz.h"

#include <assert.h>
#include <stdbool.h>

#include "../../src/doc.h"
#include "../../src/image.h"
#include "../../src/load/load.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;
	fuzz_begin(&r);
	/* No extension: the bytes decide, PNG or JPEG. */
	struct image im = {.path = fuzz_write("fuzz-image", data, size),
	                   .loc = {"fuzz.md", 1, 1}};
	struct doc d = {.images = &im, .nimages = 1};
	if (load_images(&r.job, &d)) {
		assert(im.width >= 1 && im.width <= IMAGE_MAX_SIDE);
		assert(im.height >= 1 && im.height <= IMAGE_MAX_SIDE);
		assert((uint64_t)im.width * im.height <= IMAGE_MAX_PIXELS);
		assert(im.channels == 1 || im.channels == 3);
		if (im.kind == IMAGE_PNG) {
			size_t px = (size_t)im.width * im.height;
			assert(im.len == px * (size_t)im.channels);
			/* Every byte is read: a short buffer shows up under
			 * the sanitizers. */
			unsigned sum = 0;
			for (size_t i = 0; i < im.len; i++)
				sum += im.data[i];
			for (size_t i = 0; im.alpha && i < px; i++)
				sum += im.alpha[i];
			(void)sum;
		} else {
			assert(im.kind == IMAGE_JPEG && im.len == size);
		}
	}
	fuzz_end(&r);
	return 0;
}
