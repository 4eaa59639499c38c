/*
 * One run of "build" or "check", from the fact file to the PDF: the
 * pipeline load -> check -> compose -> typeset -> emit, with what a build
 * does around it (the output's lock, the inputs' digest, editions, copies,
 * the dependency file, timings).  Used by main.c only.
 */
#ifndef BRIEFING_RUN_H
#define BRIEFING_RUN_H

#include <stdbool.h>

/* The program's version: --version prints it, and it is part of the
 * inputs' digest, so a new version rebuilds with --if-changed. */
#ifndef BRIEFING_VERSION
#define BRIEFING_VERSION "0.1.0"
#endif

struct job;
struct inputs;

/* What the command line asks of a run. */
struct run_options {
	bool build;                /* build (or watch); false for check */
	const char *facts;         /* the fact file */
	const char *output;        /* -o: a path, "-", or NULL */
	const char *tmpl;          /* --template, or NULL for a4 */
	const char *dump;          /* --dump: "doc", "pages" or NULL */
	const char *paper;         /* --paper: "a4", "letter" or NULL */
	const char *depfile;       /* -M, or NULL */
	const char *since;         /* --since, or NULL */
	const char *since_edition; /* --since-edition N, or NULL */
	const char *copies;        /* --copies, or NULL */
	const char *state_dir;     /* --state-dir, or NULL: beside the output */
	const char *sign_key;      /* --sign-key, or NULL */
	const char *sign_cert;     /* --sign-cert, or NULL */
	const char *sign_chain;    /* --sign-chain, or NULL */
	const char *pdf_standard;  /* --pdf-standard: "none", "ua-1",
	                            * "a-2b", "ua-1,a-2b" ("a-2b,ua-1"), or
	                            * NULL for the default (both) */
	bool timings;              /* --timings */
	bool json;                 /* --format json */
	bool if_changed;           /* --if-changed */
	bool duplex;               /* --duplex */
	bool quiet;                /* -q: errors only */
	bool locator_diff;         /* --locator-diff: check prints the
	                            * corrected locators as a diff */
};

/* How a run ended. */
enum run_status {
	RUN_OK,     /* done; job->diag may hold warnings */
	RUN_FAILED, /* job->diag holds an error or a system error (or,
	             * failing without a word, counts as a system error) */
	RUN_USAGE   /* the options cannot work with these files (an output
	             * that is an input, say): reported, nothing written */
};

/*
 * Runs the pipeline once, stopping after the first stage that reports
 * errors.  Everything it says goes to job->diag, except what a run prints
 * when it succeeds ("OUT.pdf is up to date", check's summary, a dump, the
 * timings).  When inputs is not NULL it receives every file the build
 * read (for "watch"), in job->arena.
 */
enum run_status run_pipeline(struct job *, const struct run_options *,
                             struct inputs *inputs);

#endif
