/*
 * The inputs of a build, their digest and a make-style dependency file.
 */
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../base/mem.h"
#include "../job.h"
#include "../model.h"
#include "../tmpl.h"

/* The paths added so far, by hash: a briefing may have an archived copy
 * per source, thousands of them. */
struct seen {
	const char **slot;
	size_t mask;
};

static void
append(struct job *job, struct inputs *in, const char *path)
{
	if (in->n == in->cap) {
		size_t ncap = in->cap ? in->cap * 2 : 16;
		in->paths = arena_grow(job->arena, in->paths, in->n, ncap,
		                       sizeof *in->paths);
		in->cap = ncap;
	}
	in->paths[in->n++] = path;
}

static void
add(struct job *job, struct inputs *in, struct seen *seen, const char *path)
{
	if (path == NULL)
		return;
	size_t k = hash_slot_str(path, seen->mask);
	for (; seen->slot[k] != NULL; k = (k + 1) & seen->mask)
		if (strcmp(seen->slot[k], path) == 0)
			return;
	seen->slot[k] = path;
	append(job, in, path);
}

void
inputs_collect(struct job *job, const struct model *m, const struct tmpl *t,
               struct inputs *in)
{
	memset(in, 0, sizeof *in);
	/* Every path there can be, at most half the table. */
	size_t most =
	    2 + SECTION__MAX + m->ncalls + m->nsources + 2 + FACE__MAX;
	size_t n = 16;
	while (n < 2 * most)
		n *= 2;
	struct seen seen = {arena_array(job->arena, n, sizeof *seen.slot),
	                    n - 1};
	add(job, in, &seen, m->path);
	add(job, in, &seen, m->meta.summary.path);
	for (int s = 0; s < SECTION__MAX; s++)
		add(job, in, &seen, m->meta.commentary[s].path);
	for (size_t i = 0; i < m->ncalls; i++)
		add(job, in, &seen, m->calls[i].commentary.path);
	for (size_t i = 0; i < m->nsources; i++) {
		const struct source *src = &m->sources[i];
		if (src->archive_path != NULL && !src->archive_outside &&
		    access(src->archive_path, R_OK) == 0)
			add(job, in, &seen, src->archive_path);
	}
	add(job, in, &seen, t->path);
	add(job, in, &seen, t->logo);
	for (int f = 0; f < FACE__MAX; f++)
		for (int k = 0; k < TMPL_FONTS_MAX && t->fonts[f][k]; k++)
			add(job, in, &seen, t->fonts[f][k]);
}

void
inputs_add(struct job *job, struct inputs *in, const char *path)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->paths[i], path) == 0)
			return;
	append(job, in, path);
}

/*
 * Each file's contents are hashed with XXH3-128, and XXH3-128 again over
 * extra, the names and those hashes.  The digest only tells whether
 * anything changed since the PDF was written: 128 bits leave no real
 * chance of missing an edit, and XXH3 reads the megabytes of fonts in a
 * tenth of a millisecond.
 */
bool
inputs_digest(struct job *job, const struct inputs *in, const char *extra,
              char out[INPUTS_DIGEST_LEN + 1])
{
	XXH3_state_t *all = XXH3_createState(), *x = XXH3_createState();
	if (all == NULL || x == NULL)
		mem_oom();
	bool ok = true;
	(void)XXH3_128bits_reset(all);
	(void)XXH3_128bits_update(all, extra, strlen(extra) + 1);
	for (size_t i = 0; ok && i < in->n; i++) {
		const char *path = in->paths[i];
		/* Contents and file names, not directories: the digest
		 * must not depend on where the build runs from. */
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		(void)XXH3_128bits_update(all, base, strlen(base) + 1);
		/* What is missing, not a regular file or larger than any
		 * input may be is left to the stage that reads it, which
		 * says why; here it only changes the digest, and its
		 * contents are not read (a FIFO would wait, a sparse file
		 * of gigabytes take a minute). */
		struct stat st;
		int fd = -1;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    (uintmax_t)st.st_size > FILEIO_MAX_INPUT ||
		    (fd = open(path, O_RDONLY | O_NONBLOCK)) < 0) {
			(void)XXH3_128bits_update(all, "u", 1);
			continue;
		}
		char buf[65536];
		ssize_t got;
		(void)XXH3_128bits_reset(x);
		while ((got = read(fd, buf, sizeof buf)) > 0 ||
		       (got < 0 && errno == EINTR))
			if (got > 0)
				(void)XXH3_128bits_update(x, buf, (size_t)got);
		close(fd);
		if (got < 0) {
			diag_system(job->diag, "cannot read \"%s\": %s", path,
			            strerror(errno));
			ok = false;
			break;
		}
		XXH128_canonical_t c;
		XXH128_canonicalFromHash(&c, XXH3_128bits_digest(x));
		(void)XXH3_128bits_update(all, "f", 1);
		(void)XXH3_128bits_update(all, c.digest, sizeof c.digest);
	}
	XXH128_canonical_t d;
	XXH128_canonicalFromHash(&d, XXH3_128bits_digest(all));
	for (size_t i = 0; ok && i < sizeof d.digest; i++)
		snprintf(out + 2 * i, 3, "%02x", d.digest[i]);
	XXH3_freeState(x);
	XXH3_freeState(all);
	return ok;
}

bool
inputs_recorded(const char *pdf, char out[INPUTS_DIGEST_LEN + 1])
{
	/* In the document information, which is not compressed. */
	char v[INPUTS_DIGEST_LEN + 2];
	if (!fileio_scan(pdf, "/BriefingInputs (", v, sizeof v) ||
	    strspn(v, "0123456789abcdef") != INPUTS_DIGEST_LEN ||
	    v[INPUTS_DIGEST_LEN] != ')')
		return false;
	memcpy(out, v, INPUTS_DIGEST_LEN);
	out[INPUTS_DIGEST_LEN] = '\0';
	return true;
}

/*
 * A path as GNU make reads it in a rule: a space, '#', ':' and '\\'
 * after a backslash, '$' doubled; '%' after a backslash only where the
 * path is a target (a prerequisite's '%' is literal, a target's would
 * make a pattern rule).
 */
static void
put_path(struct buf *b, const char *p, bool target)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == ':' || *p == '\\' ||
		    (*p == '%' && target))
			buf_putc(b, '\\');
		if (*p == '$')
			buf_putc(b, '$');
		buf_putc(b, *p);
	}
}

/* A path a make rule cannot name: one with a line break or a tab. */
static bool
unnameable(struct job *job, const char *path)
{
	if (strpbrk(path, "\n\r\t") == NULL)
		return false;
	diag_system(job->diag,
	            "cannot name \"%s\" in a make rule: it holds a line break "
	            "or a tab",
	            path);
	return true;
}

bool
inputs_write_depfile(struct job *job, struct fileio_txn *txn,
                     const char *depfile, const char *target,
                     const struct inputs *in)
{
	struct buf b = {0};
	if (unnameable(job, target))
		return false;
	for (size_t i = 0; i < in->n; i++)
		if (unnameable(job, in->paths[i]))
			return false;
	put_path(&b, target, true);
	buf_putc(&b, ':');
	for (size_t i = 0; i < in->n; i++) {
		buf_puts(&b, " \\\n  ");
		put_path(&b, in->paths[i], false);
	}
	buf_putc(&b, '\n');
	/* An empty rule per input, so a deleted input does not stop make. */
	for (size_t i = 0; i < in->n; i++) {
		buf_putc(&b, '\n');
		put_path(&b, in->paths[i], true);
		buf_puts(&b, ":\n");
	}
	struct fileio_part part = {b.data, b.len};
	bool ok = fileio_stage(job->diag, txn, depfile, &part, 1);
	buf_free(&b);
	return ok;
}
