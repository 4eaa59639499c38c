/* Where a path leads; see path.h. */
#define _XOPEN_SOURCE 700
#include "path.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

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
