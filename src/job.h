/*
 * The job: what every stage receives as its first argument.  It holds the
 * document's arena, the diagnostic sink and the options; a stage keeps
 * everything else in a handle of its own that it frees before it
 * returns.  The program runs on one thread.  Only one thing is global:
 * the flag that watch.c's signal handler sets (a handler can reach
 * nothing else).
 */
#ifndef BRIEFING_JOB_H
#define BRIEFING_JOB_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"

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
	const volatile sig_atomic_t
	    *interrupted;   /* set by Ctrl-C in
	                     * watch: waits give up; or NULL */
	unsigned suggested; /* unknown ids given a "did you mean" so far:
	                     * past job_may_suggest()'s limit, none */
};

/* Whether one more unknown id may be compared with every known one for
 * "did you mean": as many as a run prints (100), so that a file of
 * thousands of unknown ids is not compared with thousands of known. */
static inline bool
job_may_suggest(struct job *job)
{
	return job->suggested++ < 100;
}

#endif
