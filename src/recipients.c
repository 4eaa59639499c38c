/*
 * Distribution copies (recipients.h): the file each copy is written to.
 */
#include "recipients.h"

#include <string.h>

#include "base/arena.h"

void
recipients_name(struct arena *a, struct recipients *rs, const char *output)
{
	if (output == NULL || strcmp(output, "-") == 0)
		return;
	const char *slash = strrchr(output, '/');
	const char *base = slash ? slash + 1 : output;
	const char *dot = strrchr(base, '.');
	int digits = 2;
	for (size_t n = rs->n; n >= 100; n /= 10)
		digits++;
	if (dot == NULL || dot == base)
		dot = base + strlen(base);
	for (size_t k = 0; k < rs->n; k++)
		rs->items[k].path = arena_printf(
		    a, "%.*s-copy-%0*zu-%s%s", (int)(dot - output), output,
		    digits, k + 1, rs->items[k].file.s, *dot ? dot : ".pdf");
}
