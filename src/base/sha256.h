/*
 * SHA-256 (FIPS 180-4), for digests of a build's inputs.
 */
#ifndef BRIEFING_SHA256_H
#define BRIEFING_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *);
void sha256_add(struct sha256 *, const void *data, size_t len);
/* As sha256_add(), never with the processor's SHA instructions (tests). */
void sha256_add_portable(struct sha256 *, const void *data, size_t len);
/* Finishes and writes the digest as 64 lower-case hex digits and a NUL. */
void sha256_hex(struct sha256 *, char out[65]);

#endif
