/*
 * Writing an output from parts: every byte in order, whatever the parts'
 * sizes and however the system cuts the writes short.
 */
#include "unit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../../src/base/diag.h"
#include "../../src/base/fileio.h"

enum { NPARTS = 300 };

/* NPARTS parts of 0 to 9,000 bytes (some empty), filled with a pattern
 * that shows any byte out of place; returns the total length. */
static size_t
make_parts(struct fileio_part *parts, unsigned char **bufs)
{
	size_t total = 0;
	for (size_t i = 0; i < NPARTS; i++) {
		size_t len = i % 7 == 3 ? 0 : (i * 7919) % 9001;
		bufs[i] = malloc(len + 1);
		assert_non_null(bufs[i]);
		for (size_t k = 0; k < len; k++)
			bufs[i][k] = (unsigned char)((total + k) * 31 % 251);
		parts[i] = (struct fileio_part){bufs[i], len};
		total += len;
	}
	return total;
}

/* The file's bytes (malloc), its length in *len. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *data = malloc(4 << 20);
	assert_non_null(data);
	*len = fread(data, 1, 4 << 20, f);
	fclose(f);
	return data;
}

static void
test_writes_every_part_in_order(void **state)
{
	(void)state;
	struct fileio_part parts[NPARTS];
	unsigned char *bufs[NPARTS];
	size_t total = make_parts(parts, bufs);
	const char *path = unit_write(0, "parts.pdf", "previous");
	struct diag d;
	diag_init(&d, NULL);

	assert_true(fileio_write_parts(&d, path, parts, NPARTS));
	size_t len;
	unsigned char *got = slurp(path, &len);
	assert_int_equal(len, total);
	for (size_t k = 0; k < len; k++)
		if (got[k] != (unsigned char)(k * 31 % 251))
			fail_msg("byte %zu is %u", k, got[k]);
	free(got);
	for (size_t i = 0; i < NPARTS; i++)
		free(bufs[i]);
	diag_free(&d);
}

/*
 * Past a file size limit, write() stops at the limit and then fails with
 * EFBIG: the short write is followed up, the failure reported, and the
 * previous file left as it was.
 */
static void
test_reports_a_write_cut_short_and_keeps_the_old_file(void **state)
{
	(void)state;
	struct fileio_part parts[NPARTS];
	unsigned char *bufs[NPARTS];
	size_t total = make_parts(parts, bufs);
	const char *path = unit_write(0, "limited.pdf", "previous");
	struct diag d;
	diag_init(&d, NULL);
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = total / 3 + 5;
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);

	bool ok = fileio_write_parts(&d, path, parts, NPARTS);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_false(ok);
	assert_true(diag_has_errors(&d));
	assert_non_null(strstr(d.msgs[0].text, strerror(EFBIG)));
	size_t len;
	unsigned char *got = slurp(path, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(got, "previous", 8);
	free(got);
	for (size_t i = 0; i < NPARTS; i++)
		free(bufs[i]);
	diag_free(&d);
}

int
run_fileio_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_writes_every_part_in_order),
	    cmocka_unit_test(
	        test_reports_a_write_cut_short_and_keeps_the_old_file),
	};
	return cmocka_run_group_tests_name("fileio", tests, NULL, NULL);
}
