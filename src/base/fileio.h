/*
 * Reading whole files and writing output atomically.  Failures are
 * reported to the diagnostic sink as system errors.
 */
#ifndef BRIEFING_FILEIO_H
#define BRIEFING_FILEIO_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag;
struct loc;

/* Largest input file accepted [bytes]. */
#define FILEIO_MAX_INPUT (64u * 1024 * 1024)

/*
 * Reads the file at path into the arena (NUL-terminated).  On failure
 * reports at 'at' (the place that named the file, or NULL) and returns
 * false; a missing file, or a directory, FIFO or device where a file
 * should be, is an input error, other failures system errors.  Never
 * waits for a FIFO's writer.
 */
bool fileio_read(struct arena *, struct diag *, const struct loc *at,
                 const char *path, char **data, size_t *len);
/*
 * Opens path for reading after the checks fileio_read() makes (a regular
 * file, not too large), reported the same way; *size is its length.
 */
bool fileio_open_regular(struct diag *, const struct loc *at, const char *path,
                         int *fd, size_t *size);
/*
 * Finds the first key (a NUL-terminated string) in the regular file at
 * path, read in blocks from its start, and copies up to n - 1 bytes
 * after it into after (NUL-terminated).  False when the file cannot be
 * read or has no key.  For entries of a PDF's document information,
 * which is an uncompressed object near its start.
 */
bool fileio_scan(const char *path, const char *key, char *after, size_t n);
/*
 * Reads up to len bytes at offset off of fd into buf; returns how many
 * were read (fewer at the end of the file or on an error).
 */
size_t fileio_pread(int fd, void *buf, size_t len, size_t off);
/*
 * Writes len bytes to path through a temporary file in the same directory,
 * flushed with fsync and renamed over path.  On failure nothing at path
 * changes and the temporary file is removed.
 */
bool fileio_write_atomic(struct diag *, const char *path, const void *data,
                         size_t len);
/* As fileio_write_atomic(), for data in n parts written in order. */
struct fileio_part {
	const void *data;
	size_t len;
};
bool fileio_write_parts(struct diag *, const char *path,
                        const struct fileio_part *parts, size_t n);

/*
 * Files written together, so that either all of them replace what was
 * there or none does.  fileio_stage() writes one to a temporary file
 * beside it and flushes it to disk (a link's target is what is
 * replaced; a device or FIFO is held and written in place at the
 * commit); fileio_commit() renames them over their targets in the order
 * they were staged; fileio_abort() removes the temporary files.  Both
 * leave the transaction empty, to be used again.  False after
 * reporting; a failed stage changes nothing at path.
 */
struct fileio_file {
	char *path; /* the file replaced (malloc) */
	char *tmp;  /* its temporary file, or NULL for a device (malloc) */
	char *data; /* a device's bytes (malloc) */
	size_t len;
};
struct fileio_txn {
	struct fileio_file *files;
	size_t n, cap;
};
bool fileio_stage(struct diag *, struct fileio_txn *, const char *path,
                  const struct fileio_part *parts, size_t n);
/*
 * Staging a file as it is written, without holding it in memory:
 * fileio_stage_open() makes its temporary file (NULL after reporting),
 * fileio_stage_write() adds bytes (false once a write failed; nothing
 * is reported yet), and fileio_stage_close() flushes the file to disk
 * and stages it as fileio_stage() does, or, when ok is false or a
 * write failed, removes it.  It reports a failed write ("cannot write
 * PATH: REASON") only when ok is true: a caller that gives up says why.
 * A device or FIFO's bytes are held until the commit.
 */
struct fileio_writer;
struct fileio_writer *fileio_stage_open(struct diag *, const char *path);
bool fileio_stage_write(struct fileio_writer *, const void *data, size_t len);
bool fileio_stage_close(struct diag *, struct fileio_txn *,
                        struct fileio_writer *, bool ok);
bool fileio_commit(struct diag *, struct fileio_txn *);
void fileio_abort(struct fileio_txn *);
/*
 * Takes the lock that keeps two runs from writing the same output: a
 * POSIX record lock on ".NAME.lock" in lock_dir, or beside path when
 * that is NULL, released when the process ends however it ends.  Waits up to
 * wait_s seconds for another run, or until *stop (when not NULL) is set by a
 * signal handler. Returns the lock's descriptor, FILEIO_NO_LOCK when path is a
 * device or FIFO (written in place, never replaced), or -1 after reporting; a
 * directory at path is reported as unwritable, with no lock file made.
 */
int fileio_lock(struct diag *, const char *path, const char *lock_dir,
                int wait_s, const volatile sig_atomic_t *stop);
#define FILEIO_NO_LOCK INT_MAX

/* Joins dir of 'base' with 'rel' unless rel is absolute; arena string. */
char *fileio_relative(struct arena *, const char *base, const char *rel);

#endif
