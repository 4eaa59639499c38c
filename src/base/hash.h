/*
 * Hashes for the program's lookup tables: FNV-1a over bytes, and a
 * multiplicative hash of an address.  Tables have a power of two of slots
 * and are probed linearly.
 */
#ifndef BRIEFING_HASH_H
#define BRIEFING_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASH_FNV_BASIS 0xcbf29ce484222325u

/* h carried on over the n bytes at p (start from HASH_FNV_BASIS). */
static inline uint64_t
hash_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	return h;
}

/*
 * A hash of the n bytes at p, eight at a time: for keys looked up far
 * more often than they are stored (shaped words).
 */
static inline uint64_t
hash_words(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15u);
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9u;
		h ^= h >> 31;
	}
	/* The last bytes one at a time: a memcpy() of a length not known
	 * at compile time is a call. */
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)b[i] << (8 * i);
	h = (h ^ w) * 0x94D049BB133111EBu;
	return h ^ (h >> 29);
}

/* The first slot of string s in a table of mask + 1 slots. */
static inline size_t
hash_slot_str(const char *s, size_t mask)
{
	uint64_t h = HASH_FNV_BASIS;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3u;
	return (size_t)(h ^ (h >> 32)) & mask;
}

/* The first slot of address p in a table of mask + 1 slots. */
static inline size_t
hash_slot_ptr(const void *p, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 32) & mask;
}

#endif
