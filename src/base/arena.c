/*
 * Arena allocator.  Out of memory it exits through mem_oom() (mem.h), so
 * no caller ever checks for NULL.
 */
#include "arena.h"
#include "mem.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	int dirty; /* reused by arena_reset(): clear before handing out */
	_Alignas(16) unsigned char data[];
};

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	if (b == NULL || b->size - b->used < size) {
		size_t want = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		if (want > SIZE_MAX - sizeof *b)
			mem_oom();
		/* calloc: fresh memory from the system is zero already, so
		 * blocks come zeroed without a pass over them. */
		b = calloc(1, sizeof *b + want);
		if (b == NULL)
			mem_oom();
		b->size = want;
		b->used = 0;
		b->dirty = 0;
		a->total += want;
		if (size > ARENA_BLOCK / 4 && a->head != NULL) {
			/* Big allocations get a block of their own behind the
			 * current one, so its free space is not wasted. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += size;
	if (b->dirty)
		memset(p, 0, size);
	return p;
}

void *
arena_array(struct arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		mem_oom();
	return arena_alloc(a, n * size);
}

void *
arena_grow(struct arena *a, void *old, size_t old_n, size_t new_n, size_t size)
{
	if (size != 0 && new_n > SIZE_MAX / size)
		mem_oom();
	/* The array last allocated from the current block grows in place
	 * when the block has room: building one array at a time then costs
	 * no copies and leaves no dead space behind. */
	struct arena_block *b = a->head;
	size_t old_size = (old_n * size + 15) & ~(size_t)15;
	size_t new_size = (new_n * size + 15) & ~(size_t)15;
	if (old != NULL && b != NULL && old_size > 0 && new_size >= old_size &&
	    (unsigned char *)old + old_size == b->data + b->used &&
	    b->size - b->used >= new_size - old_size) {
		if (b->dirty)
			memset(b->data + b->used, 0, new_size - old_size);
		b->used += new_size - old_size;
		return old;
	}
	void *p = arena_alloc(a, new_n * size);
	if (old != NULL && old_n > 0)
		memcpy(p, old, old_n * size);
	return p;
}

void
arena_trim(struct arena *a, void *p, size_t old_n, size_t new_n, size_t size)
{
	struct arena_block *b = a->head;
	size_t old_size = (old_n * size + 15) & ~(size_t)15;
	size_t new_size = (new_n * size + 15) & ~(size_t)15;
	if (p == NULL || b == NULL || new_size == 0 || new_size >= old_size ||
	    (unsigned char *)p + old_size != b->data + b->used)
		return;
	/* What arena_alloc() hands out next must be zero. */
	memset((unsigned char *)p + new_size, 0, old_size - new_size);
	b->used -= old_size - new_size;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/*
 * The conversions the program formats with (%s, %.*s, %c, %d, %u, %zu,
 * %0*zu, %02d and %%), done without stdio: the briefing's text is built from
 * thousands of these and vsnprintf costs most of the time.  With out NULL
 * it only measures.  Returns the length, or -1 for anything else, which
 * the caller hands to vsnprintf.
 */
static long
format_simple(char *out, const char *fmt, va_list ap)
{
	size_t n = 0;
	for (const char *f = fmt; *f != '\0'; f++) {
		if (*f != '%' || f[1] == '%') {
			if (out != NULL)
				out[n] = *f;
			n++;
			f += *f == '%';
			continue;
		}
		f++;
		bool zero = *f == '0';
		f += zero;
		int width = 0, prec = -1;
		if (*f == '*') {
			width = va_arg(ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9' && width < 1000; f++)
			width = width * 10 + (*f - '0');
		if (f[0] == '.' && f[1] == '*') {
			prec = va_arg(ap, int);
			f += 2;
		}
		bool size = *f == 'z';
		f += size;
		char digits[24], *end = digits + sizeof digits, *d = end;
		const char *s;
		size_t len;
		bool neg = false;
		if (*f == 'c' && !size && !zero && prec < 0) {
			*--d = (char)va_arg(ap, int);
			s = d;
			len = 1;
		} else if (*f == 's' && !size && !zero) {
			s = va_arg(ap, const char *);
			if (s == NULL)
				return -1;
			len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
		} else if ((*f == 'd' || *f == 'u') && prec < 0) {
			uintmax_t v;
			if (size && *f == 'u') {
				v = va_arg(ap, size_t);
			} else if (size) {
				return -1;
			} else if (*f == 'u') {
				v = va_arg(ap, unsigned);
			} else {
				int i = va_arg(ap, int);
				neg = i < 0;
				v = neg ? (uintmax_t)0 - (uintmax_t)(intmax_t)i
				        : (uintmax_t)i;
			}
			do
				*--d = (char)('0' + v % 10);
			while ((v /= 10) != 0);
			if (neg) {
				if (zero)
					return -1;
				*--d = '-';
			}
			s = d;
			len = (size_t)(end - d);
		} else {
			return -1;
		}
		if (width < 0)
			return -1;
		for (size_t w = len; w < (size_t)width; w++) {
			if (out != NULL)
				out[n] = zero ? '0' : ' ';
			n++;
		}
		if (out != NULL)
			memcpy(out + n, s, len);
		n += len;
	}
	if (out != NULL)
		out[n] = '\0';
	return n > (size_t)LONG_MAX - 1 ? -1 : (long)n;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	long fast = format_simple(NULL, fmt, ap);
	va_end(ap);
	if (fast >= 0) {
		char *p = arena_alloc(a, (size_t)fast + 1);
		va_start(ap, fmt);
		format_simple(p, fmt, ap);
		va_end(ap);
		return p;
	}
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *keep = NULL;
	for (struct arena_block *b = a->head, *next; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL && b->size == ARENA_BLOCK) {
			keep = b;
			continue;
		}
		free(b);
	}
	a->head = keep;
	a->total = 0;
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
		keep->dirty = 1;
		a->total = keep->size;
	}
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}
