/*
 * Whether a file named in a fact file stays in the fact file's
 * directory: judged by where the path leads, whether or not the file
 * is there, so the answer never depends on where the directory lies.
 */
#include "unit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/path.h"

/* The temporary directory unit_write() uses, with a file in it. */
static const char *
home(char *buf, size_t n)
{
	return path_dir(unit_write(0, "facts.yaml", "x"), buf, n);
}

static void
test_an_existing_file_below_is_inside(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 16];
	home(dir, sizeof dir);
	unit_write(1, "map.png", "x");
	snprintf(path, sizeof path, "%s/./map.png", dir);
	assert_true(path_inside(dir, path));
	snprintf(path, sizeof path, "%s/../%s/map.png", dir,
	         strrchr(dir, '/') + 1);
	assert_true(path_inside(dir, path));
}

static void
test_a_missing_file_is_judged_by_where_it_would_be(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 64];
	home(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/maps/none.png", dir);
	assert_true(path_inside(dir, path));
	snprintf(path, sizeof path, "%s/maps/../../none.png", dir);
	assert_false(path_inside(dir, path));
	/* Up past the root stays at the root, as the system has it. */
	snprintf(path, sizeof path,
	         "%s/../../../../../../../../../../no-such-dir/x.png", dir);
	assert_false(path_inside(dir, path));
	assert_false(path_inside(dir, "/no-such-dir/x.png"));
	/* A directory that is not there holds what would be in it. */
	snprintf(path, sizeof path, "%s/none/x.png", dir);
	char none[PATH_MAX + 8];
	snprintf(none, sizeof none, "%s/none", dir);
	assert_true(path_inside(none, path));
	assert_false(path_inside(none, unit_write(1, "map.png", "x")));
}

static void
test_a_link_out_of_the_directory_is_outside(void **state)
{
	(void)state;
	char dir[PATH_MAX], link[PATH_MAX + 16], path[PATH_MAX + 64];
	home(dir, sizeof dir);
	snprintf(link, sizeof link, "%s/out", dir);
	unlink(link);
	assert_int_equal(symlink("/", link), 0);
	snprintf(path, sizeof path, "%s/etc/no-such-file", link);
	assert_false(path_inside(dir, path));
	unlink(link);
}

static void
test_relative_paths_resolve_from_the_working_directory(void **state)
{
	(void)state;
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_true(path_inside(".", "no-such-file.png"));
	assert_true(path_inside(".", "a/b/../c.png"));
	if (strcmp(cwd, "/") != 0) /* above "/" is "/" itself */
		assert_false(path_inside(".", "../no-such-file.png"));
}

int
run_path_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_an_existing_file_below_is_inside),
	    cmocka_unit_test(
	        test_a_missing_file_is_judged_by_where_it_would_be),
	    cmocka_unit_test(test_a_link_out_of_the_directory_is_outside),
	    cmocka_unit_test(
	        test_relative_paths_resolve_from_the_working_directory),
	};
	return cmocka_run_group_tests_name("path", tests, NULL, NULL);
}
