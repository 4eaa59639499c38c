/*
 * The heap allocator (mem.h): malloc and friends that exit 3 when memory
 * runs out, and the message that says so.
 */
#include "mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void
mem_oom(void)
{
	fputs("briefing: out of memory\n", stderr);
	exit(3);
}

/* n * size in bytes, at least 1 (malloc(0) may give NULL). */
static size_t
bytes(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		mem_oom();
	return n * size > 0 ? n * size : 1;
}

void *
mem_alloc(size_t n, size_t size)
{
	void *p = malloc(bytes(n, size));
	if (p == NULL)
		mem_oom();
	return p;
}

void *
mem_zalloc(size_t n, size_t size)
{
	void *p = calloc(1, bytes(n, size));
	if (p == NULL)
		mem_oom();
	return p;
}

void *
mem_realloc(void *p, size_t n, size_t size)
{
	void *q = realloc(p, bytes(n, size));
	if (q == NULL)
		mem_oom();
	return q;
}
