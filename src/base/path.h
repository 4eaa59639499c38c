/*
 * Where a path leads: the rule that files named inside a fact file stay
 * in the fact file's directory (README, "Limits").
 */
#ifndef BRIEFING_PATH_H
#define BRIEFING_PATH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True if path, with symbolic links and ".." resolved, is dir or lies
 * below it.  A path that does not exist counts as inside: reading it
 * fails anyway, and that failure is the better message.
 */
bool path_inside(const char *dir, const char *path);

/*
 * True if a and b name the same file: the same file (device and inode,
 * links followed) when both exist, the same place (the resolved
 * directory and the name) when neither does yet.
 */
bool path_same(const char *a, const char *b);

/* The directory part of file ("." when it has none), in buf of size n. */
const char *path_dir(const char *file, char *buf, size_t n);

#endif
