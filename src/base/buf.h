/*
 * Growable byte buffer on malloc, for building strings whose final size is
 * unknown.  buf_finish() copies the result into an arena.
 */
#ifndef BRIEFING_BUF_H
#define BRIEFING_BUF_H

#include <stddef.h>

struct arena;

struct buf {
	char *data; /* NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
};

/* Makes room for more bytes after len (for writing into data directly). */
void buf_reserve(struct buf *, size_t more);
void buf_add(struct buf *, const char *, size_t len);
void buf_puts(struct buf *, const char *);
/* A string literal, its length known at compile time. */
#define BUF_LIT(b, lit) buf_add((b), "" lit, sizeof(lit) - 1)
void buf_putc(struct buf *, char);
void buf_printf(struct buf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies the contents into the arena, then empties the buffer. */
char *buf_finish(struct buf *, struct arena *);
void buf_reset(struct buf *);
void buf_free(struct buf *);

#endif
