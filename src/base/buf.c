/*
 * Growable byte buffer on the heap (mem.h).
 */
#include "buf.h"
#include "arena.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_grow(struct buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1) {
		if (cap > ((size_t)-1) / 2)
			mem_oom();
		cap *= 2;
	}
	b->data = mem_realloc(b->data, cap, 1);
	b->cap = cap;
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_reserve(b, 2 * n);
	char *o = b->data + b->len;
	for (size_t i = 0; i < n; i++) {
		*o++ = hex[p[i] >> 4];
		*o++ = hex[p[i] & 15];
	}
	b->len += 2 * n;
	b->data[b->len] = '\0';
}

char *
buf_finish(struct buf *b, struct arena *a)
{
	char *s = arena_strndup(a, b->len ? b->data : "", b->len);
	buf_reset(b);
	return s;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
