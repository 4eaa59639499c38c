/*
 * Fuzz targets for the briefing pipeline.  Each target file defines
 * LLVMFuzzerTestOneInput(); fuzz.c holds what they share: a scratch
 * directory holding the sample's commentary and the test archive, a fresh
 * job per input, and (built without libFuzzer) a main() that replays
 * saved inputs, so "make test" runs the corpus with the ordinary compiler.
 */
#ifndef BRIEFING_FUZZ_H
#define BRIEFING_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "../../src/base/arena.h"
#include "../../src/base/diag.h"
#include "../../src/job.h"

/* One input's job: arena and diagnostics, diagnostics sent nowhere. */
struct fuzz_run {
	struct arena arena;
	struct diag diag;
	struct job job;
};

/*
 * The scratch directory, made once per process: a copy of the sample's
 * fact file and Markdown files and of tests/fixtures/archive.  Exits on
 * failure, as there is nothing to fuzz without it.
 */
const char *fuzz_dir(void);

/* Writes data to name inside fuzz_dir(); returns the full path. */
const char *fuzz_write(const char *name, const uint8_t *data, size_t len);

void fuzz_begin(struct fuzz_run *);
void fuzz_end(struct fuzz_run *);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
