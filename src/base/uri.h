/*
 * Addresses named in the input: which scheme they use.  Used by check
 * (a source's url) and compose (links in commentary).
 */
#ifndef BRIEFING_URI_H
#define BRIEFING_URI_H

#include <stdbool.h>

/*
 * True if uri starts with prefix, a scheme in lower case and what follows
 * it ("http://", "mailto:"), the scheme's letters in either case: schemes
 * are case-insensitive (RFC 3986, section 3.1), so "HTTP://" is "http://".
 */
bool uri_has_prefix(const char *uri, const char *prefix);

#endif
