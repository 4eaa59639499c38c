/*
 * Arena allocator: every object that outlives a stage lives in the job's
 * arena and is released at once by arena_free().  Used by every module.
 */
#ifndef BRIEFING_ARENA_H
#define BRIEFING_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block first */
	size_t total;             /* bytes obtained from malloc [bytes] */
};

/* Zero-filled, 16-byte aligned memory; never returns NULL (exits 3). */
void *arena_alloc(struct arena *, size_t size);
/* An array of n elements of size each, overflow-checked, zero-filled. */
void *arena_array(struct arena *, size_t n, size_t size);
/* Grows an array owned by the arena (old contents are copied). */
void *arena_grow(struct arena *, void *old, size_t old_n, size_t new_n,
                 size_t size);
/* Gives back the end of an array of old_n elements, keeping new_n, when
 * it is the last thing allocated (otherwise nothing changes). */
void arena_trim(struct arena *, void *p, size_t old_n, size_t new_n,
                size_t size);
char *arena_strdup(struct arena *, const char *);
char *arena_strndup(struct arena *, const char *, size_t len);
char *arena_printf(struct arena *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Forgets everything allocated but keeps one block for what comes next:
 * for a scratch arena emptied many times over. */
void arena_reset(struct arena *);
/* Releases every block; the arena can be reused afterwards. */
void arena_free(struct arena *);

#endif
