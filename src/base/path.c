/* Where a path leads; see path.h. */
#define _XOPEN_SOURCE 700
#include "path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool
path_inside(const char *dir, const char *path)
{
	char d[PATH_MAX], p[PATH_MAX];
	/* What does not exist cannot be read either; the read that
	 * follows reports it as missing. */
	if (realpath(path, p) == NULL)
		return true;
	if (realpath(dir, d) == NULL)
		return false;
	size_t n = strlen(d);
	if (n == 1) /* "/" holds everything */
		return true;
	return strncmp(p, d, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* Where a path that does not exist would be: its directory resolved,
 * then its name, in out[PATH_MAX]; false when the directory is not
 * there either. */
static bool
place(const char *path, char *out)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	if (realpath(path_dir(path, dir, sizeof dir), real) == NULL)
		return false;
	return snprintf(out, PATH_MAX, "%s/%s", real, name) < PATH_MAX;
}

bool
path_same(const char *a, const char *b)
{
	struct stat sa, sb;
	bool ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
	char pa[PATH_MAX], pb[PATH_MAX];
	if (ha || hb)
		return ha && hb && sa.st_dev == sb.st_dev &&
		       sa.st_ino == sb.st_ino;
	return place(a, pa) && place(b, pb) && strcmp(pa, pb) == 0;
}

const char *
path_dir(const char *file, char *buf, size_t n)
{
	const char *slash = strrchr(file, '/');
	if (slash == NULL)
		return ".";
	size_t len = slash == file ? 1 : (size_t)(slash - file);
	if (len >= n)
		len = n - 1;
	memcpy(buf, file, len);
	buf[len] = '\0';
	return buf;
}
