/*
 * Growable byte buffer on malloc, for building strings whose final size is
 * unknown.  buf_finish() copies the result into an arena.
 */
#ifndef BRIEFING_BUF_H
#define BRIEFING_BUF_H

#include <stddef.h>
#include <string.h>

struct arena;

struct buf {
	char *data; /* NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
};

void buf_puts(struct buf *, const char *);
/* The n bytes at p as 2n hex digits, upper case. */
void buf_hex(struct buf *, const unsigned char *p, size_t n);
/* A string literal, its length known at compile time. */
#define BUF_LIT(b, lit) buf_add((b), "" lit, sizeof(lit) - 1)
void buf_printf(struct buf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grows the buffer to hold more bytes after len, and a NUL. */
void buf_grow(struct buf *, size_t more);

/*
 * Inline, as the page content of a long briefing is written through
 * them tens of millions of times, mostly a byte or a few into room
 * already there.
 */

/* Makes room for more bytes after len (for writing into data directly). */
static inline void
buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more + 1 > b->cap)
		buf_grow(b, more);
}

static inline void
buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

static inline void
buf_add(struct buf *b, const char *s, size_t len)
{
	buf_reserve(b, len);
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Copies the contents into the arena, then empties the buffer. */
char *buf_finish(struct buf *, struct arena *);
void buf_reset(struct buf *);
void buf_free(struct buf *);

#endif
