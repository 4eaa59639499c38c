/* Where a path leads; see path.h. */
#define _XOPEN_SOURCE 700
#include "path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mem.h"

/* Where path leads, in out[PATH_MAX], whether or not it exists: its
 * longest existing head resolved (links followed), then the rest of
 * its parts taken as written, "." dropped and ".." going up one. */
static bool
resolve(const char *path, char *out)
{
	char head[PATH_MAX];
	size_t len = strlen(path);
	if (len >= PATH_MAX)
		return false;
	memcpy(head, path, len + 1);
	size_t cut = len;
	for (;;) {
		const char *h = cut == 0 ? (path[0] == '/' ? "/" : ".") : head;
		if (realpath(h, out) != NULL)
			break;
		if (cut == 0)
			return false;
		while (cut > 0 && head[cut - 1] == '/')
			cut--;
		while (cut > 0 && head[cut - 1] != '/')
			cut--;
		head[cut] = '\0';
	}
	size_t n = strlen(out);
	for (const char *p = path + cut; *p != '\0';) {
		size_t part = strcspn(p, "/");
		if (part == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
		} else if (part > 0 && !(part == 1 && p[0] == '.')) {
			if (n + 1 + part >= PATH_MAX)
				return false;
			if (n > 1)
				out[n++] = '/';
			memcpy(out + n, p, part);
			n += part;
		}
		out[n] = '\0';
		p += part + (p[part] == '/');
	}
	return true;
}

bool
path_inside(const char *dir, const char *path)
{
	char d[PATH_MAX], p[PATH_MAX];
	if (!resolve(path, p) || !resolve(dir, d))
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

void
path_key(const char *path, struct path_key *k)
{
	struct stat st;
	char buf[PATH_MAX];
	memset(k, 0, sizeof *k);
	if (stat(path, &st) == 0) {
		k->exists = true;
		k->dev = st.st_dev;
		k->ino = st.st_ino;
		return;
	}
	const char *where = place(path, buf) ? buf : path;
	size_t len = strlen(where) + 1;
	k->place = memcpy(mem_alloc(len, 1), where, len);
}

int
path_key_cmp(const struct path_key *a, const struct path_key *b)
{
	if (a->exists != b->exists)
		return a->exists ? -1 : 1;
	if (!a->exists)
		return strcmp(a->place, b->place);
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

void
path_key_free(struct path_key *k)
{
	free(k->place);
	k->place = NULL;
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
