/*
 * briefing init: a new briefing's files to start from (init.c).  Used by
 * main.c only.
 */
#ifndef BRIEFING_INIT_H
#define BRIEFING_INIT_H

#include <stdbool.h>

struct arena;
struct diag;

/*
 * Writes into dir (made when missing) a commented fact file that builds
 * as it stands, its commentary, archive/ with the copy of its one
 * source, and a Makefile.  Writes nothing, with an error for each, when
 * any of those files exists.
 */
bool init_briefing(struct arena *, struct diag *, const char *dir);

#endif
