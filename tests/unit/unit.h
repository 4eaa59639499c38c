/*
 * Unit test groups, one per module; unit.c runs them all.
 */
#ifndef BRIEFING_UNIT_H
#define BRIEFING_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

int run_arena_tests(void);
int run_utf8_tests(void);
int run_diag_tests(void);
int run_load_tests(void);
int run_check_tests(void);
int run_cite_tests(void);
int run_linebreak_tests(void);
int run_typeset_tests(void);
int run_shaping_tests(void);
int run_hyphen_tests(void);
int run_lang_tests(void);
int run_fileio_tests(void);
int run_srcpos_tests(void);
int run_path_tests(void);

/* Writes text to a new file in a temporary directory; returns its path
 * (static storage, valid until the next call with the same slot). */
const char *unit_write(int slot, const char *name, const char *text);

#endif
