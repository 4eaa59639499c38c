/*
 * The job: what every stage receives as its first argument.  It holds the
 * document's arena, the diagnostic sink and the options; there is no
 * global state anywhere else.
 */
#ifndef BRIEFING_JOB_H
#define BRIEFING_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"

struct hyphen_load;

struct job {
	struct arena *arena;     /* owns everything that outlives a stage */
	struct diag *diag;       /* where bad input is reported */
	const char *exe_dir;     /* directory of the running binary, for
	                          * finding templates/ and fonts/ */
	const char *data_dir;    /* installed share directory, or NULL */
	int64_t source_date;     /* SOURCE_DATE_EPOCH, or -1 when unset */
	const char *archive_dir; /* --archive-dir, or NULL */
	bool verbose;            /* --verbose */
	bool allow_outside;      /* --allow-outside: files named in the
	                          * fact file may lie outside its directory */
	struct hyphen_load *hyphens; /* patterns read ahead (typeset.h) */
};

#endif
