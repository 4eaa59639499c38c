/*
 * Between the signer (sign.c, in the program) and its OpenSSL half
 * (sign_openssl.c, built as briefing-sign.so and loaded only by a build
 * that signs): OpenSSL binds four thousand symbols when it is loaded, a
 * millisecond that every other run would pay.  The program reads the
 * files and reports; the plugin parses, checks and signs, and says what
 * is wrong through report().
 */
#ifndef BRIEFING_SIGN_PLUGIN_H
#define BRIEFING_SIGN_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The plugin's file name, and the function it exports. */
#define SIGN_PLUGIN_FILE  "briefing-sign.so"
#define SIGN_PLUGIN_ENTRY "briefing_sign_plugin"
/* Raised when the calls below change. */
#define SIGN_PLUGIN_VERSION 1

/* Which file a problem is in. */
enum sign_file { SIGN_KEY, SIGN_CERT, SIGN_CHAIN };

/* The files' bytes, and how problems are said. */
struct sign_input {
	const unsigned char *key, *cert, *chain; /* chain: NULL for none */
	size_t key_len, cert_len, chain_len;
	const char *cert_path; /* for messages */
	int64_t when;          /* the signing time, Unix seconds */
	int64_t now;           /* the time of the run */
	bool from_epoch;       /* when is SOURCE_DATE_EPOCH's */
	void (*report)(void *ctx, enum sign_file, bool warning,
	               const char *message);
	void *ctx;
};

struct sign_plugin {
	int version; /* SIGN_PLUGIN_VERSION */
	/* The signer, or NULL after reporting every problem found. */
	void *(*open)(const struct sign_input *);
	void (*close)(void *);
	/* The most bytes the signature (DER) takes. */
	size_t (*room)(const void *);
	/*
	 * Signs pdf[0..len): at range, the byte range's placeholder of
	 * width characters; at contents, the "<" of the /Contents string
	 * of 2 * room() zeros.  NULL when done, else why not.
	 */
	const char *(*fill)(const void *, unsigned char *pdf, size_t len,
	                    size_t range, size_t width, size_t contents);
};

typedef const struct sign_plugin *sign_plugin_entry(void);

#endif
