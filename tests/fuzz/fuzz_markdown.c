/*
 * Fuzz target: Markdown commentary with citations, through compose.  The
 * input is the summary and the context of a small briefing
 * (markdown-facts.yaml) whose three sources give citations something to
 * resolve.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>

#include "../../src/check/check.h"
#include "../../src/compose/compose.h"
#include "../../src/doc.h"
#include "../../src/changes.h"
#include "../../src/load/load.h"
#include "../../src/model.h"
#include "../../src/tmpl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;
	struct model m;
	struct tmpl t;
	struct doc d;
	struct changes none = {0};
	fuzz_begin(&r);
	fuzz_write("fuzz.md", data, size);
	char facts[512];
	snprintf(facts, sizeof facts, "%s/markdown-facts.yaml", fuzz_dir());
	/* Whatever the Markdown, the tree keeps its invariants. */
	if (load_template(&r.job, "a4", &t) && load_facts(&r.job, facts, &m) &&
	    check_model(&r.job, &m) &&
	    compose_doc(&r.job, &m, &t, &none, NULL, &d))
		doc_check(&d);
	fuzz_end(&r);
	return 0;
}
