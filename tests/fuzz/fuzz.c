/* What the fuzz targets share; see fuzz.h. */
#define _XOPEN_SOURCE 700
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_ROOT
#error "FUZZ_ROOT must name the source tree"
#endif

static char dir[256];
static FILE *devnull;

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "fuzz: %s %s: %s\n", what, path, strerror(errno));
	exit(2);
}

static void
copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	if (in == NULL)
		die("cannot read", from);
	FILE *out = fopen(to, "wb");
	if (out == NULL)
		die("cannot write", to);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0)
		die("cannot write", to);
}

/* Copies every regular file of src whose name ends in ext into dst. */
static void
copy_dir(const char *src, const char *dst, const char *ext)
{
	DIR *d = opendir(src);
	if (d == NULL)
		die("cannot open", src);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), k = strlen(ext);
		if (e->d_name[0] == '.' || n < k ||
		    strcmp(e->d_name + n - k, ext) != 0)
			continue;
		char a[512], b[512];
		snprintf(a, sizeof a, "%s/%s", src, e->d_name);
		snprintf(b, sizeof b, "%s/%s", dst, e->d_name);
		copy(a, b);
	}
	closedir(d);
}

static void
remove_dir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

const char *
fuzz_dir(void)
{
	if (dir[0] != '\0')
		return dir;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/briefing-fuzz.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		die("cannot make", dir);
	atexit(remove_dir);
	copy_dir(FUZZ_ROOT "/data", dir, ".md");
	copy_dir(FUZZ_ROOT "/data", dir, ".yaml");
	copy_dir(FUZZ_ROOT "/tests/fixtures", dir, ".md");
	copy_dir(FUZZ_ROOT "/tests/fuzz", dir, ".yaml");
	char archive[300];
	snprintf(archive, sizeof archive, "%s/archive", dir);
	if (mkdir(archive, 0700) != 0)
		die("cannot make", archive);
	copy_dir(FUZZ_ROOT "/tests/fixtures/archive", archive, "");
	return dir;
}

const char *
fuzz_write(const char *name, const uint8_t *data, size_t len)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		die("cannot write", path);
	if (len > 0)
		fwrite(data, 1, len, f);
	if (fclose(f) != 0)
		die("cannot write", path);
	return path;
}

void
fuzz_begin(struct fuzz_run *r)
{
	/* FUZZ_VERBOSE=1 shows the diagnostics, for triage. */
	if (devnull == NULL && getenv("FUZZ_VERBOSE") != NULL)
		devnull = stderr;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		die("cannot open", "/dev/null");
	memset(r, 0, sizeof *r);
	diag_init(&r->diag, devnull);
	r->job = (struct job){.arena = &r->arena,
	                      .diag = &r->diag,
	                      .exe_dir = FUZZ_ROOT "/build",
	                      .source_date = 0};
}

void
fuzz_end(struct fuzz_run *r)
{
	diag_finish(&r->diag);
	diag_free(&r->diag);
	arena_free(&r->arena);
}

#ifdef FUZZ_REPLAY
/* Runs one saved input; a crash or sanitizer report ends the process. */
static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "fuzz: cannot read %s: %s\n", path,
		        strerror(errno));
		return 1;
	}
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *buf = malloc(cap);
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (nb == NULL)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (buf == NULL) {
		fprintf(stderr, "fuzz: out of memory reading %s\n", path);
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/* Usage: TARGET FILE-OR-DIRECTORY...; prints how many inputs ran. */
int
main(int argc, char **argv)
{
	size_t runs = 0;
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "fuzz: %s: %s\n", argv[i],
			        strerror(errno));
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= replay_file(argv[i]);
			runs++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d != NULL && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char p[1024];
			snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
			bad |= replay_file(p);
			runs++;
		}
		if (d != NULL)
			closedir(d);
	}
	printf("%zu inputs replayed\n", runs);
	return bad;
}
#endif
