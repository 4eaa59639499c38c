/*
 * Fuzz target: a fact file through load and check, quotes included,
 * whatever errors load reports.  The
 * input is the YAML; the sample's Markdown files and the test archive sit
 * beside it, so inputs grown from the sample reach every check.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "../../src/check/check.h"
#include "../../src/load/load.h"
#include "../../src/model.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;
	struct model m;
	fuzz_begin(&r);
	const char *path = fuzz_write("facts.yaml", data, size);
	/* As a run does: what was read is checked even when some of it
	 * failed to load, and the quotes even when the model has errors. */
	load_facts(&r.job, path, &m);
	if (m.read) {
		struct quote_counts q = {0, 0, 0};
		check_model(&r.job, &m);
		struct check_fixes fixes = {0};
		check_quotes(&r.job, &m, &q, &fixes);
		free(fixes.v);
	}
	fuzz_end(&r);
	return 0;
}
