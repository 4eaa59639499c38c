/*
 * Where a path leads: the rule that files named inside a fact file stay
 * in the fact file's directory (README, "Limits").
 */
#ifndef BRIEFING_PATH_H
#define BRIEFING_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * True if path, with symbolic links and ".." resolved, is dir or lies
 * below it.  A path (or a dir) that does not exist is judged by where
 * it would be, so that whether a file outside exists never shows.
 */
bool path_inside(const char *dir, const char *path);

/*
 * What a path names, to find among many: the file (device and inode,
 * links followed) when it exists, else the place it would be (the
 * resolved directory and the name; the path itself when the directory
 * is not there either).  Two paths name the same file when their keys
 * compare equal.
 */
struct path_key {
	bool exists;
	dev_t dev;
	ino_t ino;
	char *place; /* malloc'd when !exists; path_key_free() frees it */
};
void path_key(const char *path, struct path_key *);
int path_key_cmp(const struct path_key *, const struct path_key *);
void path_key_free(struct path_key *);

/* The directory part of file ("." when it has none), in buf of size n. */
const char *path_dir(const char *file, char *buf, size_t n);

#endif
