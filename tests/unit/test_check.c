/*
 * The checker: dates, references and sourcing rules.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/check/check.h"
#include "../../src/job.h"
#include "../../src/load/load.h"
#include "../../src/model.h"

static void
test_dates_are_calendar_dates(void **state)
{
	(void)state;
	assert_true(check_is_date("2025-03-18"));
	assert_true(check_is_date("2024-02-29"));
	assert_false(check_is_date("2025-02-29"));
	assert_false(check_is_date("2025-13-01"));
	assert_false(check_is_date("2025-3-18"));
	assert_false(check_is_date("18 March 2025"));
}

static void
test_as_of_needs_time_and_zone(void **state)
{
	(void)state;
	assert_true(check_is_datetime("2025-03-19T18:00:00Z"));
	assert_true(check_is_datetime("2025-03-19T18:00Z"));
	assert_true(check_is_datetime("2025-03-19T20:30:00+02:00"));
	assert_false(check_is_datetime("2025-03-19T18:00:00"));
	assert_false(check_is_datetime("2025-03-19 18:00:00Z"));
	assert_false(check_is_datetime("2025-03-19T24:00:00Z"));
	assert_false(check_is_datetime("2025-03-19"));
}

/* Loads and checks text; returns all diagnostics, file names stripped. */
static const char *
run_check(const char *text, bool *ok)
{
	static char out[4096];
	char *buf = NULL;
	size_t len = 0;
	FILE *s = open_memstream(&buf, &len);
	struct arena a = {0};
	struct diag d;
	diag_init(&d, s);
	struct job job = {.arena = &a, .diag = &d, .source_date = -1};
	const char *path = unit_write(2, "c.yaml", text);
	unit_write(3, "s.md", "Summary.\n");
	struct model m;
	*ok = load_facts(&job, path, &m) && check_model(&job, &m);
	diag_flush(&d);
	fclose(s);
	const char *p = buf;
	out[0] = '\0';
	size_t plen = strlen(path) - strlen("c.yaml");
	while (p && *p) {
		const char *hit = strstr(p, path);
		if (hit == NULL) {
			strncat(out, p, sizeof out - strlen(out) - 1);
			break;
		}
		strncat(out, p, (size_t)(hit - p));
		p = hit + plen;
	}
	free(buf);
	diag_free(&d);
	arena_free(&a);
	return out;
}

static const char head[] =
    "briefing:\n"
    "  title: T\n"
    "  as_of: 2025-03-19T18:00:00Z\n"
    "  edition: 1\n"
    "  classification: TEST\n"
    "  prepared_by: Desk\n"
    "  summary: s.md\n"
    "parties:\n"
    "  - {id: ua, name: Ukraine}\n"
    "  - {id: ru, name: Russia}\n"
    "sources:\n"
    "  - {id: s, outlet: null, author: null, title: T, date: null, url: "
    "null}\n";

static void
test_every_problem_in_one_run(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text, "%s%s", head,
	         "breaches:\n"
	         "  - id: b1\n"
	         "    date: 2025-03-32\n"
	         "    alleged_by: ua\n"
	         "    accused: by\n"
	         "    claim: C\n"
	         "    status: maybe\n"
	         "    sources: [s, t]\n");
	bool ok;
	const char *out = run_check(text, &ok);
	assert_false(ok);
	assert_string_equal(
	    out, "c.yaml:15:11: error: \"2025-03-32\" is not a date; write "
	         "YYYY-MM-DD, or use \"date_text\" when the day is not known\n"
	         "c.yaml:17:14: error: unknown party \"by\" (not listed under "
	         "\"parties\")\n"
	         "c.yaml:19:13: error: unknown breach status \"maybe\" (use "
	         "confirmed, disputed, denied or unverified)\n"
	         "c.yaml:20:18: error: unknown source \"t\" (not listed under "
	         "\"sources\")\n");
}

static void
test_duplicate_ids_point_at_the_first(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text, "%s%s", head,
	         "  - {id: s, outlet: null, author: null, title: U, date: "
	         "null, url: null}\n");
	bool ok;
	const char *out = run_check(text, &ok);
	assert_false(ok);
	assert_string_equal(out, "c.yaml:13:10: error: duplicate source id "
	                         "\"s\"\n"
	                         "c.yaml:12:10: note: \"s\" was first defined "
	                         "here\n");
}

static void
test_timeline_needs_a_date_or_date_text(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text, "%s%s", head,
	         "timeline:\n"
	         "  - text: Something happened.\n"
	         "    sources: [s]\n");
	bool ok;
	const char *out = run_check(text, &ok);
	assert_false(ok);
	assert_string_equal(out, "c.yaml:14:5: error: a timeline entry needs "
	                         "\"date\" (YYYY-MM-DD) or \"date_text\"\n");
}

int
run_check_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dates_are_calendar_dates),
	    cmocka_unit_test(test_as_of_needs_time_and_zone),
	    cmocka_unit_test(test_every_problem_in_one_run),
	    cmocka_unit_test(test_duplicate_ids_point_at_the_first),
	    cmocka_unit_test(test_timeline_needs_a_date_or_date_text),
	};
	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
