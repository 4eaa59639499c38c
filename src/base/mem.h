/*
 * The heap, for what does not live in an arena (buffers that grow and
 * shrink, what a library hands back).  Running out of memory prints
 * "briefing: out of memory" and exits with status 3: the one exit outside
 * main.c, so no caller ever checks for NULL.  Used by every module.
 */
#ifndef BRIEFING_MEM_H
#define BRIEFING_MEM_H

#include <stddef.h>

/* n elements of size bytes each, overflow-checked; never NULL. */
void *mem_alloc(size_t n, size_t size);
/* As mem_alloc(), zero-filled. */
void *mem_zalloc(size_t n, size_t size);
/* p (NULL or from these functions) resized to n elements of size bytes;
 * the contents are kept up to the smaller size.  Never NULL. */
void *mem_realloc(void *p, size_t n, size_t size);
/* Says "briefing: out of memory" and exits 3. */
_Noreturn void mem_oom(void);

#endif
