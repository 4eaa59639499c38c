/*
 * SHA-256 as specified in FIPS 180-4, section 6.2.
 */
#include "sha256.h"

#include <stdio.h>
#include <string.h>

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t
ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void
block(uint32_t *state, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 =
		    ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 =
		    ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		              ((e & f) ^ (~e & g)) + k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		              ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a, state[1] += b, state[2] += c, state[3] += d;
	state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

static void
blocks_portable(uint32_t *state, const unsigned char *p, size_t n)
{
	for (; n > 0; n--, p += 64)
		block(state, p);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

/*
 * The same compression with the x86 SHA extensions, about ten times
 * faster; chosen at run time when the processor has them.  Each step
 * does four rounds on four message words held in one register.
 */
__attribute__((target("sha,sse4.1"))) static void
blocks_shani(uint32_t *state, const unsigned char *p, size_t n)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t = _mm_loadu_si128((const __m128i *)(const void *)state);
	__m128i s1 =
	    _mm_loadu_si128((const __m128i *)(const void *)(state + 4));
	t = _mm_shuffle_epi32(t, 0xB1);         /* C D A B */
	s1 = _mm_shuffle_epi32(s1, 0x1B);       /* E F G H, reversed */
	__m128i s0 = _mm_alignr_epi8(t, s1, 8); /* A B E F */
	s1 = _mm_blend_epi16(s1, t, 0xF0);      /* C D G H */
	for (; n > 0; n--, p += 64) {
		__m128i save0 = s0, save1 = s1, w[4];
		for (int g = 0; g < 16; g++) {
			__m128i x;
			if (g < 4) {
				x = _mm_shuffle_epi8(
				    _mm_loadu_si128((
				        const __m128i *)(const void *)(p +
				                                       16 * g)),
				    bswap);
			} else {
				x = _mm_sha256msg1_epu32(w[g & 3],
				                         w[(g + 1) & 3]);
				x = _mm_add_epi32(
				    x, _mm_alignr_epi8(w[(g + 3) & 3],
				                       w[(g + 2) & 3], 4));
				x = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
			}
			w[g & 3] = x;
			__m128i m = _mm_add_epi32(
			    x, _mm_loadu_si128(
			           (const __m128i *)(const void *)(k + 4 * g)));
			s1 = _mm_sha256rnds2_epu32(s1, s0, m);
			m = _mm_shuffle_epi32(m, 0x0E);
			s0 = _mm_sha256rnds2_epu32(s0, s1, m);
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);   /* F E B A */
	s1 = _mm_shuffle_epi32(s1, 0xB1);  /* D C H G */
	s0 = _mm_blend_epi16(t, s1, 0xF0); /* D C B A */
	s1 = _mm_alignr_epi8(s1, t, 8);    /* H G F E */
	_mm_storeu_si128((__m128i *)(void *)state, s0);
	_mm_storeu_si128((__m128i *)(void *)(state + 4), s1);
}

static void
blocks(uint32_t *state, const unsigned char *p, size_t n)
{
	static int known = -1; /* whether the CPU has them, once asked */
	int have = known;
	if (have < 0) {
		/* CPUID: leaf 7 EBX bit 29 is SHA, leaf 1 ECX bit 19 SSE4.1. */
		unsigned a, b, c, d;
		have = __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
		       (b >> 29 & 1) && __get_cpuid(1, &a, &b, &c, &d) &&
		       (c >> 19 & 1);
		known = have;
	}
	if (have)
		blocks_shani(state, p, n);
	else
		blocks_portable(state, p, n);
}
#else
#define blocks blocks_portable
#endif

/* Exposed for the tests: the portable compression, whatever the CPU. */
void
sha256_add_portable(struct sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	s->len += len;
	for (; len > 0; len--) {
		s->buf[s->nbuf++] = *p++;
		if (s->nbuf == 64) {
			blocks_portable(s->h, s->buf, 1);
			s->nbuf = 0;
		}
	}
}

void
sha256_init(struct sha256 *s)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	                               0xa54ff53a, 0x510e527f, 0x9b05688c,
	                               0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->nbuf = 0;
}

void
sha256_add(struct sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	s->len += len;
	if (s->nbuf > 0) {
		size_t n = 64 - s->nbuf < len ? 64 - s->nbuf : len;
		memcpy(s->buf + s->nbuf, p, n);
		s->nbuf += n;
		p += n;
		len -= n;
		if (s->nbuf < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	blocks(s->h, p, len / 64);
	p += len / 64 * 64;
	len %= 64;
	memcpy(s->buf, p, len);
	s->nbuf = len;
}

void
sha256_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80;
	sha256_add(s, &pad, 1);
	pad = 0;
	while (s->nbuf != 56)
		sha256_add(s, &pad, 1);
	unsigned char lenbuf[8];
	for (int i = 0; i < 8; i++)
		lenbuf[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_add(s, lenbuf, 8);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", (unsigned)s->h[i]);
}
