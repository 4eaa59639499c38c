/*
 * The loader: values keep their places; bad YAML is reported precisely.
 */
#include "unit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/job.h"
#include "../../src/load/load.h"
#include "../../src/load/load_int.h"
#include "../../src/model.h"
#include "../../src/doc.h"
#include "../../src/tmpl.h"

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
	f->job = (struct job){
	    .arena = &f->arena, .diag = &f->diag, .source_date = -1};
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
	snprintf(
	    text, sizeof text, "%s%s", good,
	    "timeline:\n  - {text: Зеленський, date: 2025-03-11, bogus: 1}\n");
	const char *out = load(f, text, &m, &ok);
	assert_false(ok);
	/* Sorted by column; "bogus" follows ten Cyrillic letters. */
	assert_string_equal(out,
	                    "facts.yaml:13:5: error: a timeline entry has "
	                    "no \"sources\"; every statement must name its "
	                    "sources\n"
	                    "facts.yaml:13:42: error: unknown key "
	                    "\"bogus\" in a timeline entry\n");
}

static void
test_lines_count_line_feeds_only(void **state)
{
	struct fixture *f = *state;
	struct model m;
	bool ok;
	char text[2048];
	/* NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR inside quotes are no
	 * line breaks for an editor: the first "bogus" is on line 13, after
	 * them; a CRLF and a lone CR are one line end each, which puts the
	 * second on line 15. */
	snprintf(text, sizeof text, "%s%s", good,
	         "timeline:\n"
	         "  - {text: \"a\xC2\x85"
	         "b\xE2\x80\xA8"
	         "c\xE2\x80\xA9"
	         "d\", "
	         "bogus: 1}\r\n"
	         "  - {text: \"e\xC2\x85"
	         "f\", sources: [s], date_text: x,\r"
	         " bogus: 2}\n");
	const char *out = load(f, text, &m, &ok);
	assert_false(ok);
	assert_string_equal(out,
	                    "facts.yaml:13:5: error: a timeline entry has "
	                    "no \"sources\"; every statement must name its "
	                    "sources\n"
	                    "facts.yaml:13:23: error: unknown key "
	                    "\"bogus\" in a timeline entry\n"
	                    "facts.yaml:13:32: warning: the file has Windows "
	                    "(CRLF) line ends; they are read as line feeds\n"
	                    "facts.yaml:15:2: error: unknown key "
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
	assert_string_equal(
	    out, "facts.yaml:12:1: error: duplicate key \"parties\"\n"
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

/*
 * A large file (a breach log of thousands of items): every item keeps its
 * place, and a problem late in the file is reported where it is.
 */
#define NBIG 12000

struct text {
	char *s;
	size_t len, cap;
};

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char line[512];
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof line);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->len, line, (size_t)n + 1);
	t->len += (size_t)n;
}

/* title, a comment, "list:" and NBIG items of two lines at indent ind;
 * item special (if any) gets the text extra instead of its own. */
static void
big_list(struct text *t, int ind, int special, const char *extra)
{
	add(t, "title: x\n# the list\nlist:\n");
	for (int i = 0; i < NBIG; i++) {
		add(t, "%*s- id: b%d\n", ind, "", i);
		if (i == special)
			add(t, "%*s  text: %s\n", ind, "", extra);
		else
			add(t, "%*s  text: 'item %d'\n", ind, "", i);
	}
}

/* Parses t; returns the messages printed. */
static const char *
parse_big(struct fixture *f, const struct text *t, struct arena *nodes,
          struct ynode **root)
{
	*root = load_yaml_parse(&f->job, nodes, "big.yaml", t->s, t->len);
	diag_flush(&f->diag);
	fflush(f->stream);
	return f->out ? f->out : "";
}

static const struct ynode *
value(const struct ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->nitems; i += 2)
		if (strcmp(map->items[i]->str, key) == 0)
			return map->items[i + 1];
	return NULL;
}

static void
test_a_large_list_keeps_every_item_and_place(void **state)
{
	struct fixture *f = *state;
	for (int ind = 0; ind <= 2; ind += 2) {
		struct text t = {0};
		big_list(&t, ind, -1, NULL);
		add(&t, "after: 1\n");
		assert_true(t.len > 256 * 1024);
		struct arena nodes = {0};
		struct ynode *root;
		assert_string_equal(parse_big(f, &t, &nodes, &root), "");
		assert_non_null(root);
		assert_int_equal(root->type, YNODE_MAP);
		assert_int_equal(root->nitems, 6);
		const struct ynode *list = value(root, "list");
		assert_non_null(list);
		assert_int_equal(list->type, YNODE_SEQ);
		assert_int_equal(list->nitems, NBIG);
		for (int i = 0; i < NBIG; i++) {
			const struct ynode *it = list->items[i];
			char want[32];
			snprintf(want, sizeof want, "b%d", i);
			assert_int_equal(it->type, YNODE_MAP);
			assert_string_equal(value(it, "id")->str, want);
			assert_int_equal(value(it, "id")->loc.line, 4 + 2 * i);
			assert_int_equal(value(it, "id")->loc.col, ind + 7);
			assert_int_equal(value(it, "text")->loc.line,
			                 5 + 2 * i);
		}
		assert_string_equal(root->items[4]->str, "after");
		assert_int_equal(root->items[4]->loc.line, 4 + 2 * NBIG);
		assert_int_equal(root->items[4]->loc.col, 1);
		arena_free(&nodes);
		free(t.s);
	}
}

static void
test_a_large_list_with_a_key_repeated_after_it(void **state)
{
	struct fixture *f = *state;
	struct text t = {0};
	big_list(&t, 2, -1, NULL);
	add(&t, "title: again\n");
	struct arena nodes = {0};
	struct ynode *root;
	const char *out = parse_big(f, &t, &nodes, &root);
	char want[256];
	snprintf(want, sizeof want,
	         "big.yaml:%d:1: error: duplicate key \"title\"\n"
	         "big.yaml:1:1: note: \"title\" was first given here\n",
	         4 + 2 * NBIG);
	assert_string_equal(out, want);
	arena_free(&nodes);
	free(t.s);
}

static void
test_nesting_late_in_a_large_list_counts_every_level(void **state)
{
	struct fixture *f = *state;
	/* The file's mapping, the list and the item are three levels:
	 * 61 brackets more are the most allowed. */
	for (int deep = 61; deep <= 62; deep++) {
		char extra[200];
		memset(extra, '[', (size_t)deep);
		memset(extra + deep, ']', (size_t)deep);
		extra[2 * deep] = '\0';
		struct text t = {0};
		big_list(&t, 2, NBIG - 10, extra);
		struct arena nodes = {0};
		struct ynode *root;
		const char *out = parse_big(f, &t, &nodes, &root);
		if (deep == 61) {
			assert_string_equal(out, "");
			assert_non_null(root);
		} else {
			char want[128];
			snprintf(
			    want, sizeof want,
			    "big.yaml:%d:%d: error: nesting deeper than 64 "
			    "levels\n",
			    5 + 2 * (NBIG - 10), 11 + 61);
			assert_string_equal(out, want);
			assert_null(root);
		}
		arena_free(&nodes);
		free(t.s);
	}
}

static void
test_errors_late_in_a_large_list_have_their_place(void **state)
{
	struct fixture *f = *state;
	struct text t = {0};
	big_list(&t, 2, NBIG - 3, "*x");
	struct arena nodes = {0};
	struct ynode *root;
	const char *out = parse_big(f, &t, &nodes, &root);
	char want[160];
	snprintf(want, sizeof want,
	         "big.yaml:%d:11: error: aliases (\"*x\") are not supported; "
	         "write the value out\n",
	         5 + 2 * (NBIG - 3));
	assert_string_equal(out, want);
	assert_null(root);
	arena_free(&nodes);
	free(t.s);
	/* A duplicate key is an error that does not stop the parse. */
	fclose(f->stream);
	free(f->out);
	f->out = NULL;
	f->stream = open_memstream(&f->out, &f->outlen);
	f->diag.out = f->stream;
	t = (struct text){0};
	big_list(&t, 2, NBIG - 3, "'x'\n    id: again");
	out = parse_big(f, &t, &nodes, &root);
	snprintf(want, sizeof want,
	         "big.yaml:%d:5: error: duplicate key \"id\"\n"
	         "big.yaml:%d:5: note: \"id\" was first given here\n",
	         6 + 2 * (NBIG - 3), 4 + 2 * (NBIG - 3));
	assert_string_equal(out, want);
	arena_free(&nodes);
	free(t.s);
}

/* Every variable of the document is a placeholder the template's header
 * and footer may hold, as draw.c fills them, and each is named once. */
static void
test_furniture_names_are_the_documents_variables(void **state)
{
	(void)state;
	size_t words = 1;
	for (const char *p = tmpl_furniture_names; *p; p++)
		words += *p == ' ';
	assert_int_equal(words, VAR__MAX + 3); /* section, page, pages */
	for (int v = 0; v < VAR__MAX; v++) {
		const char *name = doc_var_names[v];
		size_t n = strlen(name);
		bool found = false;
		for (const char *w = tmpl_furniture_names; *w && !found;) {
			size_t k = strcspn(w, " ");
			found = k == n && memcmp(w, name, n) == 0;
			w += k + (w[k] == ' ');
		}
		if (!found)
			fail_msg("\"%s\" is not in tmpl_furniture_names", name);
	}
}

int
run_load_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_values_keep_line_and_column,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_columns_count_characters_not_bytes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lines_count_line_feeds_only,
	                                    setup, teardown),
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
	    cmocka_unit_test_setup_teardown(
	        test_a_large_list_keeps_every_item_and_place, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_large_list_with_a_key_repeated_after_it, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_nesting_late_in_a_large_list_counts_every_level, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_errors_late_in_a_large_list_have_their_place, setup,
	        teardown),
	    cmocka_unit_test(test_furniture_names_are_the_documents_variables),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
