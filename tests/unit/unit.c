/*
 * Runs every unit test group.  Exits non-zero if any test failed.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

const char *
unit_write(int slot, const char *name, const char *text)
{
	static char paths[8][128];
	if (dir[0] == '\0') {
		strcpy(dir, "/tmp/briefing-unit-XXXXXX");
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			exit(3);
		}
	}
	snprintf(paths[slot], sizeof paths[slot], "%s/%s", dir, name);
	FILE *f = fopen(paths[slot], "w");
	if (f == NULL) {
		perror(paths[slot]);
		exit(3);
	}
	fputs(text, f);
	fclose(f);
	return paths[slot];
}

int
main(void)
{
	int failed = 0;
	failed += run_arena_tests();
	failed += run_utf8_tests();
	failed += run_diag_tests();
	failed += run_cite_tests();
	failed += run_linebreak_tests();
	failed += run_load_tests();
	failed += run_check_tests();
	failed += run_typeset_tests();
	failed += run_shaping_tests();
	failed += run_hyphen_tests();
	failed += run_lang_tests();
	failed += run_fileio_tests();
	failed += run_srcpos_tests();
	failed += run_path_tests();
	if (dir[0] != '\0') {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return failed != 0;
}
