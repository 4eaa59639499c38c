/*
 * Fuzz target: the whole pipeline, fact file to PDF bytes in memory.
 * The input is the fact file, as in fuzz_facts.c; whatever passes the
 * checks is composed, typeset and emitted.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/check/check.h"
#include "../../src/compose/compose.h"
#include "../../src/doc.h"
#include "../../src/changes.h"
#include "../../src/emit/emit.h"
#include "../../src/load/load.h"
#include "../../src/model.h"
#include "../../src/page.h"
#include "../../src/tmpl.h"
#include "../../src/typeset/typeset.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;
	struct model m;
	struct tmpl t;
	struct doc d;
	struct pages p;
	struct changes none = {0};
	struct fontset *fonts = NULL;
	fuzz_begin(&r);
	const char *path = fuzz_write("facts.yaml", data, size);
	if (load_template(&r.job, "a4", &t) && load_facts(&r.job, path, &m) &&
	    check_model(&r.job, &m) &&
	    compose_doc(&r.job, &m, &t, &none, NULL, &d) &&
	    load_images(&r.job, &d) && /* as a run loads them */
	    !diag_has_errors(&r.diag) && emit_fonts_open(&r.job, &t, &fonts)) {
		struct metrics mt = emit_fonts_metrics(fonts);
		if (typeset_doc(&r.job, &d, &t, &mt, &p) &&
		    !diag_has_errors(&r.diag)) {
			unsigned char *pdf = NULL;
			size_t len = 0;
			emit_pdf_bytes(&r.job, fonts, &p, &pdf, &len);
			if (getenv("FUZZ_VERBOSE") != NULL)
				fprintf(stderr, "%zu pages, %zu bytes of PDF\n",
				        p.n, len);
			free(pdf);
		}
		typeset_pages_free(&p);
	}
	emit_fonts_close(fonts);
	fuzz_end(&r);
	return 0;
}
