/*
 * The loader: values keep their places; bad YAML is reported precisely.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/job.h"
#include "../../src/load/load.h"
#include "../../src/model.h"

struct fixture {
	struct arena arena;
	struct diag diag;
	struct job job;
	char *out;
	size_t outlen;
	FILE *stream;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->stream = open_memstream(&f->out, &f->outlen);
	diag_init(&f->diag, f->stream);
	f->job = (struct job){.arena = &f->arena, .diag = &f->diag,
	                      .source_date = -1};
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	diag_free(&f->diag);
	fclose(f->stream);
	free(f->out);
	arena_free(&f->arena);
	free(f);
	return 0;
}

/* Loads text as a fact file; returns the diagnostics printed. */
static const char *
load(struct fixture *f, const char *text, struct model *m, bool *ok)
{
	const char *path = unit_write(0, "facts.yaml", text);
	unit_write(1, "s.md", "Summary.\n");
	*ok = load_facts(&f->job, path, m);
	diag_flush(&f->diag);
	fflush(f->stream);
	/* Strip the temporary directory from the file names. */
	const char *slash = strrchr(path, '/');
	static char buf[4096];
	buf[0] = '\0';
	const char *p = f->out;
	size_t dirlen = (size_t)(slash - path) + 1;
	while (p && *p) {
		const char *hit = strstr(p, path);
		if (hit == NULL) {
			strncat(buf, p, sizeof buf - strlen(buf) - 1);
			break;
		}
		strncat(buf, p, (size_t)(hit - p));
		p = hit + dirlen;
	}
	return buf;
}

static const char good[] =
    "briefing:\n"
    "  title: “Kyivʼs view” — Зеленський\n"
    "  as_of: 2025-03-19T18:00:00Z\n"
    "  edition: 1\n"
    "  classification: TEST\n"
    "  prepared_by: Desk\n"
    "  summary: s.md\n"
    "parties:\n"
    "  - {id: ua, name: Ukraine}\n"
    "sources:\n"
    "  - {id: s, outlet: null, author: null, title: T, date: null, url: "
    "null}\n";

static void
test_values_keep_line_and_column(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	const char *out = load(f, good, &m, &ok);
	assert_true(ok);
	assert_string_equal(out, "");
	assert_string_equal(m.meta.title.s, "“Kyivʼs view” — Зеленський");
	assert_int_equal(m.meta.title.loc.line, 2);
	assert_int_equal(m.meta.title.loc.col, 10);
	assert_int_equal(m.nsources, 1);
	assert_null(m.sources[0].outlet.s);
	assert_true(m.sources[0].outlet.present);
	assert_int_equal(m.sources[0].id.loc.line, 11);
	assert_int_equal(m.sources[0].id.loc.col, 10);
	assert_string_equal(m.meta.summary.text, "Summary.\n");
}

static void
test_columns_count_characters_not_bytes(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	char text[2048];
	snprintf(text, sizeof text, "%s%s", good,
	         "timeline:\n  - {text: Зеленський, date: 2025-03-11, bogus: 1}\n");
	const char *out = load(f, text, &m, &ok);
	assert_false(ok);
	/* Sorted by column; "bogus" follows ten Cyrillic letters. */
	assert_string_equal(out, "facts.yaml:13:5: error: a timeline entry has "
	                         "no \"sources\"; every statement must name its "
	                         "sources\n"
	                         "facts.yaml:13:42: error: unknown key "
	                         "\"bogus\" in a timeline entry\n");
}

static void
test_duplicate_key_points_at_both(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	char text[2048];
	snprintf(text, sizeof text, "%s%s", good, "parties: []\n");
	const char *out = load(f, text, &m, &ok);
	assert_false(ok);
	assert_string_equal(out,
	                    "facts.yaml:12:1: error: duplicate key \"parties\"\n"
	                    "facts.yaml:8:1: note: \"parties\" was first given "
	                    "here\n");
}

static void
test_aliases_are_refused(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	const char *out = load(f, "a: &x [1, 2]\nb: *x\n", &m, &ok);
	assert_false(ok);
	assert_string_equal(out, "facts.yaml:1:4: error: anchors (\"&x\") are "
	                         "not supported; write the value out\n");
	out = load(f, "b: *x\n", &m, &ok);
	assert_false(ok);
}

static void
test_deep_nesting_is_refused(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	char text[400];
	memset(text, '[', 100);
	text[100] = '\0';
	const char *out = load(f, text, &m, &ok);
	assert_false(ok);
	assert_string_equal(out, "facts.yaml:1:65: error: nesting deeper than "
	                         "64 levels\n");
}

static void
test_syntax_error_has_a_place(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	const char *out = load(f, "briefing:\n  title: A: B\n", &m, &ok);
	assert_false(ok);
	assert_string_equal(out, "facts.yaml:2:11: error: YAML syntax error: "
	                         "mapping values are not allowed in this "
	                         "context\n");
}

static void
test_second_document_is_refused(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	const char *out = load(f, "a: 1\n---\nb: 2\n", &m, &ok);
	assert_false(ok);
	assert_string_equal(out, "facts.yaml:2:1: error: only one YAML "
	                         "document is allowed per file\n");
}

int
run_load_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_values_keep_line_and_column,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_columns_count_characters_not_bytes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_key_points_at_both,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_aliases_are_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_deep_nesting_is_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_syntax_error_has_a_place,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_second_document_is_refused,
	                                    setup, teardown),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
