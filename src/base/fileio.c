/*
 * File input and atomic output.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "fileio.h"
#include "arena.h"
#include "diag.h"
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

bool
fileio_open_regular(struct diag *d, const struct loc *at, const char *path,
                    int *fd_out, size_t *size)
{
	struct loc here = at ? *at : (struct loc){path, 0, 0};
	/* Non-blocking, so that a FIFO put where a file should be is
	 * reported below instead of waiting for a writer forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			diag_error(d, here, "cannot open \"%s\": %s", path,
			           strerror(errno));
		else
			diag_report(d, DIAG_SYSTEM, here,
			            "cannot open \"%s\": %s", path,
			            strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_error(d, here, "\"%s\" is not a regular file", path);
		close(fd);
		return false;
	}
	if ((unsigned long long)st.st_size > FILEIO_MAX_INPUT) {
		diag_error(d, here, "\"%s\" is larger than %u bytes", path,
		           FILEIO_MAX_INPUT);
		close(fd);
		return false;
	}
	*fd_out = fd;
	*size = (size_t)st.st_size;
	return true;
}

size_t
fileio_pread(int fd, void *buf, size_t len, size_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r =
		    pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

bool
fileio_read(struct arena *a, struct diag *d, const struct loc *at,
            const char *path, char **data, size_t *len)
{
	struct loc here = at ? *at : (struct loc){path, 0, 0};
	int fd;
	size_t size;
	if (!fileio_open_regular(d, at, path, &fd, &size))
		return false;
	size_t got = 0;
	char *p = arena_alloc(a, size + 1);
	while (got < size) {
		ssize_t r = read(fd, p + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag_report(d, DIAG_SYSTEM, here,
			            "cannot read \"%s\": %s", path,
			            strerror(errno));
			close(fd);
			return false;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	p[got] = '\0';
	*data = p;
	*len = got;
	return true;
}

bool
fileio_scan(const char *path, const char *key, char *after, size_t n)
{
	enum { BLOCK = 1 << 20 };
	size_t klen = strlen(key), keep = klen + n; /* carried to the next */
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || n == 0 || klen == 0)
		return false;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	char *buf = mem_alloc(BLOCK + keep + 1, 1);
	size_t have = 0;
	bool found = false;
	for (;;) {
		size_t got = fread(buf + have, 1, BLOCK, f);
		have += got;
		buf[have] = '\0';
		char *hit = NULL;
		for (char *p = buf;
		     (p = memchr(p, key[0], have - (size_t)(p - buf))) != NULL;
		     p++)
			if ((size_t)(buf + have - p) >= klen &&
			    memcmp(p, key, klen) == 0) {
				hit = p;
				break;
			}
		/* The bytes after a key at the end of the block are in the
		 * next one. */
		if (hit != NULL &&
		    (got == 0 || (size_t)(buf + have - hit) >= keep)) {
			size_t m = (size_t)(buf + have - hit) - klen;
			if (m > n - 1)
				m = n - 1;
			memcpy(after, hit + klen, m);
			after[m] = '\0';
			found = true;
			break;
		}
		if (got == 0)
			break;
		if (hit != NULL) {
			memmove(buf, hit, (size_t)(buf + have - hit));
			have = (size_t)(buf + have - hit);
		} else if (have > keep) {
			memmove(buf, buf + have - keep, keep);
			have = keep;
		}
	}
	free(buf);
	fclose(f);
	return found;
}

/*
 * ".NAME" + suffix in the directory of path (malloc'd; exits 3 when out
 * of memory): hidden companions of an output file.
 */
static char *
beside(const char *path, const char *suffix)
{
	size_t n = strlen(path) + strlen(suffix) + 2;
	char *out = mem_alloc(n, 1);
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	memcpy(out, path, dirlen);
	snprintf(out + dirlen, n - dirlen, ".%s%s", path + dirlen, suffix);
	return out;
}

/*
 * Writes every part to fd, in order, up to WRITE_BATCH parts a call:
 * libharu hands over a PDF in 4 KB buffers, a write() each otherwise.
 * False with errno set on failure.
 */
#define WRITE_BATCH 64
static bool
write_all(int fd, const struct fileio_part *parts, size_t n)
{
	struct iovec iov[WRITE_BATCH];
	size_t i = 0, off = 0; /* the next byte: parts[i].data + off */
	while (i < n) {
		int k = 0;
		for (size_t j = i; j < n && k < WRITE_BATCH; j++) {
			size_t skip = j == i ? off : 0;
			if (parts[j].len == skip)
				continue;
			iov[k].iov_base =
			    (char *)(uintptr_t)parts[j].data + skip;
			iov[k].iov_len = parts[j].len - skip;
			k++;
		}
		if (k == 0)
			break;
		ssize_t w = writev(fd, iov, k);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return false;
		}
		size_t left = (size_t)w;
		while (i < n && left >= parts[i].len - off) {
			left -= parts[i].len - off;
			i++;
			off = 0;
		}
		off += left;
	}
	return true;
}

/*
 * A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
 * renaming a file over it would replace the device.
 */
static bool
write_special(struct diag *d, const char *path, const struct fileio_part *parts,
              size_t n)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || !write_all(fd, parts, n)) {
		diag_system(d, "cannot write \"%s\": %s", path,
		            strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (close(fd) != 0) {
		diag_system(d, "cannot write \"%s\": %s", path,
		            strerror(errno));
		return false;
	}
	return true;
}

/* The process's umask, which can only be read by setting it. */
static mode_t
process_umask(void)
{
	mode_t m = umask(022);
	umask(m);
	return m;
}

/* Where a link whose target does not exist yet points (malloc). */
static char *
dangling_target(const char *link, size_t size)
{
	char *to = mem_alloc(size + 1, 1);
	ssize_t n = readlink(link, to, size + 1);
	if (n < 0 || (size_t)n > size) {
		free(to);
		return NULL;
	}
	to[n] = '\0';
	const char *slash = strrchr(link, '/');
	if (to[0] == '/' || slash == NULL)
		return to;
	size_t dl = (size_t)(slash - link) + 1;
	char *joined = mem_alloc(dl + (size_t)n + 1, 1);
	memcpy(joined, link, dl);
	memcpy(joined + dl, to, (size_t)n + 1);
	free(to);
	return joined;
}

/*
 * The file a write to path replaces: the target of a link (the link
 * stays), or path itself; malloc'd.
 */
static char *
target_of(const char *path)
{
	struct stat st;
	char *resolved = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		resolved = realpath(path, NULL);
		if (resolved == NULL)
			resolved = dangling_target(path, (size_t)st.st_size);
	}
	if (resolved == NULL) {
		size_t len = strlen(path) + 1;
		resolved = memcpy(mem_alloc(len, 1), path, len);
	}
	return resolved;
}

/* Adds a file to t, its parts copied when it is written only at commit. */
static struct fileio_file *
add_file(struct fileio_txn *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->files = mem_realloc(t->files, t->cap, sizeof *t->files);
	}
	struct fileio_file *f = &t->files[t->n++];
	memset(f, 0, sizeof *f);
	return f;
}

/* What a writer gathers before it writes [bytes]. */
#define WRITER_BUF (256 * 1024)

struct fileio_writer {
	char *target; /* the file replaced (malloc) */
	char *tmp;    /* its temporary file, or NULL for a device */
	int fd;
	mode_t mode;
	char *buf; /* bytes not written yet; a device's: all of them */
	size_t len, cap;
	int err; /* the first write's errno, or 0 */
};

struct fileio_writer *
fileio_stage_open(struct diag *d, const char *path)
{
	struct stat st;
	char *target = target_of(path);
	bool exists = stat(target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		diag_system(d, "cannot write \"%s\": %s", target,
		            strerror(EISDIR));
		free(target);
		return NULL;
	}
	struct fileio_writer *w = mem_zalloc(1, sizeof *w);
	w->target = target;
	w->fd = -1;
	if (exists && !S_ISREG(st.st_mode))
		/* A device or FIFO is written in place at the commit:
		 * renaming a file over it would replace the device. */
		return w;
	/* ".NAME.XXXXXX" beside the target keeps rename() atomic. */
	w->tmp = beside(target, ".XXXXXX");
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		diag_system(d, "cannot create a file beside \"%s\": %s", target,
		            strerror(errno));
		free(w->tmp);
		free(w->target);
		free(w);
		return NULL;
	}
	/* The file replaced keeps its permissions (and its owner, where
	 * the run may give it); a new one gets what the umask leaves. */
	if (exists && fchown(w->fd, st.st_uid, st.st_gid) != 0) {
		/* Only root may give a file away: it becomes the runner's. */
	}
	w->mode = exists ? st.st_mode & 0777 : 0666 & ~process_umask();
	return w;
}

/* Writes what w holds to its file. */
static bool
writer_flush(struct fileio_writer *w)
{
	struct fileio_part part = {w->buf, w->len};
	if (w->err == 0 && w->len > 0 && !write_all(w->fd, &part, 1))
		w->err = errno ? errno : EIO;
	w->len = 0;
	return w->err == 0;
}

bool
fileio_stage_write(struct fileio_writer *w, const void *data, size_t len)
{
	if (w->err != 0)
		return false;
	if (len == 0)
		return true;
	if (w->tmp != NULL && w->len + len > WRITER_BUF && !writer_flush(w))
		return false;
	if (w->tmp != NULL && len >= WRITER_BUF) {
		struct fileio_part part = {data, len};
		if (!write_all(w->fd, &part, 1))
			w->err = errno ? errno : EIO;
		return w->err == 0;
	}
	if (w->len + len > w->cap) {
		size_t ncap = w->cap ? w->cap : 65536;
		while (ncap < w->len + len)
			ncap *= 2;
		w->buf = mem_realloc(w->buf, ncap, 1);
		w->cap = ncap;
	}
	memcpy(w->buf + w->len, data, len);
	w->len += len;
	return true;
}

bool
fileio_stage_close(struct diag *d, struct fileio_txn *t,
                   struct fileio_writer *w, bool ok)
{
	if (w == NULL)
		return false;
	if (w->tmp == NULL) {
		/* A device: its bytes are written at the commit. */
		if (ok) {
			struct fileio_file *f = add_file(t);
			f->path = w->target;
			f->data = w->buf;
			f->len = w->len;
		} else {
			free(w->target);
			free(w->buf);
		}
		free(w);
		return ok;
	}
	bool flushed = ok && writer_flush(w) && fchmod(w->fd, w->mode) == 0 &&
	               fsync(w->fd) == 0;
	int err = w->err ? w->err : errno;
	if (close(w->fd) != 0 && flushed) {
		flushed = false;
		err = errno;
	}
	if (ok && !flushed)
		diag_system(d, "cannot write \"%s\": %s", w->target,
		            strerror(err));
	free(w->buf);
	if (!flushed) {
		unlink(w->tmp);
		free(w->tmp);
		free(w->target);
		free(w);
		return false;
	}
	struct fileio_file *f = add_file(t);
	f->path = w->target;
	f->tmp = w->tmp;
	free(w);
	return true;
}

bool
fileio_stage(struct diag *d, struct fileio_txn *t, const char *path,
             const struct fileio_part *parts, size_t n)
{
	struct fileio_writer *w = fileio_stage_open(d, path);
	if (w == NULL)
		return false;
	bool ok = true;
	for (size_t k = 0; ok && k < n; k++)
		ok = fileio_stage_write(w, parts[k].data, parts[k].len);
	return fileio_stage_close(d, t, w, true);
}

bool
fileio_commit(struct diag *d, struct fileio_txn *t)
{
	bool ok = true;
	for (size_t i = 0; ok && i < t->n; i++) {
		struct fileio_file *f = &t->files[i];
		if (f->tmp == NULL) {
			struct fileio_part part = {f->data, f->len};
			ok = write_special(d, f->path, &part, 1);
			continue;
		}
		if (rename(f->tmp, f->path) != 0) {
			diag_system(d, "cannot write \"%s\": %s", f->path,
			            strerror(errno));
			ok = false;
			continue;
		}
		free(f->tmp);
		f->tmp = NULL;
	}
	fileio_abort(t);
	return ok;
}

void
fileio_abort(struct fileio_txn *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct fileio_file *f = &t->files[i];
		if (f->tmp != NULL)
			unlink(f->tmp);
		free(f->tmp);
		free(f->path);
		free(f->data);
	}
	free(t->files);
	memset(t, 0, sizeof *t);
}

bool
fileio_write_atomic(struct diag *d, const char *path, const void *data,
                    size_t len)
{
	struct fileio_part part = {data, len};
	return fileio_write_parts(d, path, &part, 1);
}

bool
fileio_write_parts(struct diag *d, const char *path,
                   const struct fileio_part *parts, size_t n)
{
	struct fileio_txn t = {0};
	if (!fileio_stage(d, &t, path, parts, n)) {
		fileio_abort(&t);
		return false;
	}
	return fileio_commit(d, &t);
}

int
fileio_lock(struct diag *d, const char *path, const char *lock_dir, int wait_s,
            const volatile sig_atomic_t *stop)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A directory cannot be replaced by a PDF: say so before
		 * leaving a lock file beside it (or, for "DIR/", in it). */
		if (S_ISDIR(st.st_mode)) {
			diag_system(d, "cannot write \"%s\": %s", path,
			            strerror(EISDIR));
			return -1;
		}
		/* A device or FIFO is written in place, not replaced, and
		 * its directory (/dev) is no place for lock files. */
		return FILEIO_NO_LOCK;
	}
	char *lock;
	if (lock_dir != NULL) {
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		size_t n = strlen(lock_dir) + strlen(base) + 8;
		lock = mem_alloc(n, 1);
		snprintf(lock, n, "%s/.%s.lock", lock_dir, base);
	} else {
		lock = beside(path, ".lock");
	}
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 && lock_dir != NULL)
		diag_system(d, "cannot create \"%s\": %s", lock,
		            strerror(errno));
	else if (fd < 0)
		diag_system(d, "cannot create a file beside \"%s\": %s", path,
		            strerror(errno));
	if (fd < 0) {
		free(lock);
		return -1;
	}
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	for (int tries = 0; fcntl(fd, F_SETLK, &fl) != 0; tries++) {
		bool busy = errno == EACCES || errno == EAGAIN;
		if (!busy || tries >= wait_s * 10 || (stop && *stop)) {
			if (busy && stop && *stop)
				diag_system(d,
				            "interrupted while another run was "
				            "writing \"%s\"",
				            path);
			else if (busy)
				diag_system(
				    d,
				    "another run is writing \"%s\"; gave "
				    "up after %d s",
				    path, wait_s);
			else
				diag_system(d, "cannot lock \"%s\": %s", lock,
				            strerror(errno));
			close(fd);
			free(lock);
			return -1;
		}
		/* A signal cuts the sleep short; *stop is then looked at. */
		struct timespec ts = {0, 100000000};
		nanosleep(&ts, NULL);
	}
	free(lock);
	return fd;
}

char *
fileio_relative(struct arena *a, const char *base, const char *rel)
{
	if (rel[0] == '/')
		return arena_strdup(a, rel);
	const char *slash = strrchr(base, '/');
	if (slash == NULL)
		return arena_strdup(a, rel);
	return arena_printf(a, "%.*s/%s", (int)(slash - base), base, rel);
}
