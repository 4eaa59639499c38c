/*
 * Signatures: a PAdES baseline B-B signature (ETSI EN 319 142-1) over a
 * PDF, made with OpenSSL's CMS.  The signer's key, certificate and chain
 * are read and checked before anything is typeset; the emitter leaves
 * room for the signature in the file it saves and sign_fill(), which
 * run.c hands it as a struct page_signer, fills it in.  OpenSSL is in
 * the plugin this module loads when a build signs (sign_plugin.h), the
 * only code that includes its headers.
 */
#ifndef BRIEFING_SIGN_H
#define BRIEFING_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct job;

/* A private key with its certificate and chain; opaque. */
struct signer;

/*
 * Reads the PEM private key at key, the PEM certificate at cert and the
 * PEM certificates at chain (NULL for none), and checks them: the key
 * readable without a passphrase, RSA or ECDSA, the certificate's own and
 * allowed to sign, and valid at when (Unix seconds: the signing time)
 * and now.  Reports each problem at the file it is in and returns NULL;
 * the key's bytes are wiped from memory once parsed.
 */
struct signer *sign_open(struct job *, const char *key, const char *cert,
                         const char *chain, int64_t when);
void sign_close(struct signer *);
/* The signing time, Unix seconds. */
int64_t sign_when(const struct signer *);
/* The most bytes the signature (DER) takes: the file keeps twice as
 * many hexadecimal digits for it. */
size_t sign_room(const struct signer *);
/*
 * Signs pdf[0..len), which holds the signature dictionary's placeholders
 * (struct page_signer): at range the /ByteRange's PAGE_SIGN_RANGE_WIDTH
 * characters, at contents the "<" of the /Contents hexadecimal string of
 * 2 * sign_room() zeros.  Writes the byte range (the whole file but that
 * string) and the detached CMS signature over it, then verifies it.
 * Returns false after reporting.
 */
bool sign_fill(struct job *, const struct signer *, unsigned char *pdf,
               size_t len, size_t range, size_t contents);

#endif
