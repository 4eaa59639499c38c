/*
 * Addresses named in the input (uri.h).
 */
#include "uri.h"

bool
uri_has_prefix(const char *uri, const char *prefix)
{
	for (; *prefix != '\0'; uri++, prefix++) {
		char c = *uri;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *prefix)
			return false;
	}
	return true;
}
