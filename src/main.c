/*
 * briefing: the command line.  Parses the options, sets up the job and
 * hands it to the pipeline (run.c), once or, for "watch", each time an
 * input changes.  The only place that knows exit statuses.
 */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "init.h"
#include "inputs/inputs.h"
#include "job.h"
#include "run.h"
#include "watch/watch.h"

#ifndef BRIEFING_SHAREDIR
#define BRIEFING_SHAREDIR "/usr/local/share/briefing"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_INPUT = 1, /* the input has errors */
	EXIT_USAGE = 2, /* the command line is wrong */
	EXIT_SYSTEM = 3 /* I/O or system error */
};

static const char usage_text[] =
    "usage: briefing build FACTS.yaml -o OUT.pdf [--template NAME|PATH]\n"
    "                      [--paper a4|letter] [--duplex] [--copies FILE]\n"
    "                      [--if-changed] [-M DEPFILE] [--since STATE]\n"
    "                      [--since-edition N] [--state-dir DIR]\n"
    "                      [--archive-dir DIR] [--allow-outside]\n"
    "                      [--pdf-standard STD] [-q] [--timings]\n"
    "                      [--sign-key KEY --sign-cert CERT\n"
    "                      [--sign-chain FILE]] [--dump=doc|pages]\n"
    "       briefing watch FACTS.yaml -o OUT.pdf [build options]\n"
    "       briefing check FACTS.yaml [--archive-dir DIR] [--allow-outside]\n"
    "                                 [--verbose] [-q] [--format text|json]\n"
    "                                 [--locator-diff]\n"
    "       briefing init DIR\n"
    "       briefing --help | --version\n";

static const char help_text[] =
    "briefing turns a YAML fact file and its Markdown commentary into a\n"
    "paginated, print-ready PDF briefing in which every statement is\n"
    "footnoted to its source.\n"
    "\n"
    "Commands:\n"
    "  build FACTS.yaml -o OUT.pdf   check the facts and write the PDF\n"
    "  check FACTS.yaml              check the facts; write nothing\n"
    "  watch FACTS.yaml -o OUT.pdf   build, then build again whenever an "
    "input\n"
    "                                is saved; a broken edit keeps the last\n"
    "                                good PDF (stop with Ctrl-C)\n"
    "  init DIR                      write a new briefing to start from in\n"
    "                                DIR: a commented fact file, commentary,\n"
    "                                archive/ and a Makefile; it builds as it\n"
    "                                stands, and nothing that exists is\n"
    "                                overwritten\n"
    "\n";

static const char help_options[] =
    "Options:\n"
    "  -o, --output FILE      where build writes the PDF (\"-\" for standard\n"
    "                         output); the file is replaced only when the\n"
    "                         whole run succeeds\n"
    "  -t, --template NAME    a bundled template (a4, the default; a4-fr, in\n"
    "                         French; or letter) or the path of a template\n"
    "                         .yaml file\n"
    "      --paper SIZE       a4 or letter, overriding the template\n"
    "      --duplex           for two-sided printing: mirrored margins, and\n"
    "                         the core sections start on right-hand pages\n"
    "      --if-changed       do nothing when no input changed since OUT.pdf\n"
    "                         was written (its inputs' digest is in it)\n"
    "      --pdf-standard STD ua-1,a-2b (the default): tagged for screen\n"
    "                         readers (PDF/UA-1) and archival (PDF/A-2b);\n"
    "                         ua-1 or a-2b: one of them; none: a plain PDF\n"
    "      --sign-key KEY     sign the PDF, and each numbered copy, with\n"
    "                         this private key (PEM, not encrypted): a\n"
    "                         PAdES B-B signature that any change to the\n"
    "                         file breaks\n"
    "      --sign-cert CERT   the key's certificate (PEM); certificates\n"
    "                         after it in the file are taken as the chain\n"
    "      --sign-chain FILE  the certificates between the signer's and\n"
    "                         the root (PEM), put in the signature\n"
    "  -M FILE                also write a make dependency file listing\n"
    "                         every input of OUT.pdf\n"
    "      --copies FILE      also write one marked copy per recipient listed\n"
    "                         in FILE (OUT-copy-01-NAME.pdf ...) and add a\n"
    "                         distribution list to OUT.pdf\n"
    "      --since STATE      list the changes since the edition recorded in\n"
    "                         STATE (default: OUT.pdf.state, written by\n"
    "                         the previous build)\n"
    "      --since-edition N  list the changes since edition N, one of the\n"
    "                         earlier editions the state file keeps\n"
    "      --state-dir DIR    keep OUT.pdf.state and the lock in DIR instead\n"
    "                         of beside OUT.pdf (out of a published folder)\n"
    "      --archive-dir DIR  where the archived copies of the sources are\n"
    "                         (default: beside the fact file); every quote\n"
    "                         is checked against its source's copy\n"
    "      --allow-outside    let the fact file name commentary and archived\n"
    "                         copies outside its own directory (or outside\n"
    "                         --archive-dir)\n"
    "      --locator-diff     check: print on standard output a diff of the\n"
    "                         fact file that corrects the paragraph\n"
    "                         locators the archived copies contradict (the\n"
    "                         file itself is not touched)\n"
    "  -v, --verbose          also list the quotes that could not be checked\n"
    "  -q, --quiet            print errors only: no warnings, notes or\n"
    "                         progress (for cron, which mails any output)\n"
    "      --format FORMAT    diagnostics as text (default) or json (a JSON\n"
    "                         array on standard output)\n"
    "      --dump=doc         print the document tree instead of a PDF\n"
    "      --dump=pages       print the positioned pages instead of a PDF\n"
    "      --timings          print the time each stage took and the peak\n"
    "                         memory to stderr\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Diagnostics go to stderr as FILE:LINE:COL: error: MESSAGE.\n"
    "Exit status: 0 success, 1 the input has errors, 2 usage error,\n"
    "3 I/O or system error.\n";

/* The command line, parsed. */
struct options {
	const char *command;     /* "build", "check" or "watch" */
	struct run_options run;  /* what the pipeline needs */
	const char *archive_dir; /* --archive-dir, or NULL */
	bool verbose;            /* --verbose */
	bool allow_outside;      /* --allow-outside */
	bool done;               /* --help or --version answered */
	int64_t source_date;     /* SOURCE_DATE_EPOCH, or -1 when unset */
};

static enum exit_status usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static enum exit_status
usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = mem_alloc(n > 0 ? (size_t)n + 1 : 1, 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	/* An argument is quoted as diagnostics quote the input. */
	char *shown = diag_escape(msg);
	fprintf(stderr, "briefing: %s\n", shown);
	free(shown);
	free(msg);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Whether value is one of the two an option takes; usage error if not. */
static bool
one_of(const char *opt, const char *value, const char *a, const char *b,
       enum exit_status *st)
{
	if (strcmp(value, a) == 0 || strcmp(value, b) == 0)
		return true;
	*st = usage("%s takes %s or %s, not \"%s\"", opt, a, b, value);
	return false;
}

/* Whether s is a value --pdf-standard takes. */
static bool
pdf_standard(const char *s, enum exit_status *st)
{
	static const char *const ok[] = {"none", "ua-1", "a-2b", "ua-1,a-2b",
	                                 "a-2b,ua-1"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	*st = usage("--pdf-standard takes none, ua-1, a-2b or ua-1,a-2b, "
	            "not \"%s\"",
	            s);
	return false;
}

/* Takes option c (getopt's code) with its value, if any. */
static enum exit_status
take_option(int c, const char *arg, struct options *o)
{
	static const char *const names[][2] = {
	    {"o", "-o"},           {"t", "--template"}, {"M", "-M"},
	    {"S", "--since"},      {"C", "--copies"},   {"A", "--archive-dir"},
	    {"R", "--state-dir"},  {"K", "--sign-key"}, {"Z", "--sign-cert"},
	    {"H", "--sign-chain"},
	};
	struct run_options *r = &o->run;
	enum exit_status st = EXIT_OK;
	for (size_t i = 0;
	     arg != NULL && *arg == '\0' && i < sizeof names / sizeof names[0];
	     i++)
		if (names[i][0][0] == c)
			return usage("%s names a file; it cannot be empty",
			             names[i][1]);
	switch (c) {
	case 'o':
		r->output = arg;
		break;
	case 't':
		r->tmpl = arg;
		break;
	case 'M':
		r->depfile = arg;
		break;
	case 'S':
		r->since = arg;
		break;
	case 'E':
		if (strspn(arg, "0123456789") != strlen(arg) || arg[0] == '0' ||
		    strlen(arg) > 6)
			return usage("--since-edition takes an edition number "
			             "from 1 to 999999, not \"%s\"",
			             arg);
		r->since_edition = arg;
		break;
	case 'C':
		r->copies = arg;
		break;
	case 'R':
		r->state_dir = arg;
		break;
	case 'K':
		r->sign_key = arg;
		break;
	case 'Z':
		r->sign_cert = arg;
		break;
	case 'H':
		r->sign_chain = arg;
		break;
	case 'A':
		o->archive_dir = arg;
		break;
	case 'T':
		r->timings = true;
		break;
	case 'U':
		o->allow_outside = true;
		break;
	case 'L':
		r->locator_diff = true;
		break;
	case 'I':
		r->if_changed = true;
		break;
	case 'X':
		r->duplex = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'q':
		r->quiet = true;
		break;
	case 'D':
		if (one_of("--dump", arg, "doc", "pages", &st))
			r->dump = arg;
		break;
	case 'P':
		if (one_of("--paper", arg, "a4", "letter", &st))
			r->paper = arg;
		break;
	case 'Y':
		if (pdf_standard(arg, &st))
			r->pdf_standard = arg;
		break;
	case 'F':
		if (one_of("--format", arg, "text", "json", &st))
			r->json = strcmp(arg, "json") == 0;
		break;
	case 'h':
		printf("%s\n%s%s", usage_text, help_text, help_options);
		o->done = true;
		break;
	case 'V':
		printf("briefing %s\n", BRIEFING_VERSION);
		o->done = true;
		break;
	}
	return st;
}

/* The combinations of options and operands that cannot work. */
static enum exit_status
check_args(struct options *o)
{
	const struct run_options *r = &o->run;
	bool to_stdout = r->output != NULL && strcmp(r->output, "-") == 0;
	if (o->command == NULL)
		return usage("%s", "no command given");
	if (strcmp(o->command, "init") == 0)
		return r->facts != NULL
		           ? EXIT_OK
		           : usage("%s", "init needs the directory to write "
		                         "the new briefing in");
	if (strcmp(o->command, "build") != 0 &&
	    strcmp(o->command, "check") != 0 &&
	    strcmp(o->command, "watch") != 0)
		return usage("unknown command \"%s\"", o->command);
	o->run.build = strcmp(o->command, "check") != 0;
	if (strcmp(o->command, "watch") == 0 &&
	    (r->output == NULL || to_stdout))
		return usage("%s", "watch needs -o OUT.pdf");
	if (r->copies != NULL && to_stdout)
		return usage("%s", "--copies writes several files; give -o a "
		                   "file name, not -");
	if (r->facts == NULL)
		return usage("%s", "no fact file given");
	if (strcmp(o->command, "build") == 0 && r->output == NULL &&
	    r->dump == NULL)
		return usage("%s", "build needs -o OUT.pdf (or - for standard "
		                   "output)");
	if (!r->build && r->output != NULL)
		return usage("%s", "check writes nothing; drop -o");
	if (r->locator_diff && (r->build || r->json))
		return usage("%s",
		             "--locator-diff is for check, with diagnostics "
		             "as text (the diff goes to standard output)");
	if ((r->if_changed || r->depfile) && (r->output == NULL || to_stdout))
		return usage("%s", "--if-changed and -M need -o with a file");
	if (r->state_dir && (r->output == NULL || to_stdout))
		return usage("%s", "--state-dir needs -o with a file");
	bool signs = r->sign_key || r->sign_cert || r->sign_chain;
	if (signs && !r->build)
		return usage("%s", "check writes nothing to sign; drop "
		                   "--sign-key, --sign-cert and --sign-chain");
	if (signs && (r->sign_key == NULL || r->sign_cert == NULL))
		return usage("%s", "signing needs both --sign-key KEY and "
		                   "--sign-cert CERT");
	return EXIT_OK;
}

static enum exit_status
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"template", required_argument, NULL, 't'},
	    {"dump", required_argument, NULL, 'D'},
	    {"timings", no_argument, NULL, 'T'},
	    {"archive-dir", required_argument, NULL, 'A'},
	    {"allow-outside", no_argument, NULL, 'U'},
	    {"locator-diff", no_argument, NULL, 'L'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"format", required_argument, NULL, 'F'},
	    {"paper", required_argument, NULL, 'P'},
	    {"if-changed", no_argument, NULL, 'I'},
	    {"since", required_argument, NULL, 'S'},
	    {"since-edition", required_argument, NULL, 'E'},
	    {"state-dir", required_argument, NULL, 'R'},
	    {"copies", required_argument, NULL, 'C'},
	    {"duplex", no_argument, NULL, 'X'},
	    {"pdf-standard", required_argument, NULL, 'Y'},
	    {"sign-key", required_argument, NULL, 'K'},
	    {"sign-cert", required_argument, NULL, 'Z'},
	    {"sign-chain", required_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:t:M:vqhV", longopts, NULL)) !=
	           -1 ||
	       optind < argc) {
		if (c == -1) {
			/* Operands and options may be mixed. */
			const char *arg = argv[optind++];
			if (o->command == NULL)
				o->command = arg;
			else if (o->run.facts == NULL)
				o->run.facts = arg;
			else
				return usage("unexpected argument \"%s\"", arg);
			continue;
		}
		if (c == '?' && optopt != 0 && strchr("otM", optopt) != NULL)
			return usage("option -%c needs a value", optopt);
		if (c == '?')
			return usage("unknown option \"%s\"", argv[optind - 1]);
		enum exit_status st = take_option(c, optarg, o);
		if (st != EXIT_OK || o->done)
			return st;
	}
	return check_args(o);
}

/* The directory holding the running binary, for templates/ and fonts/. */
static const char *
exe_dir(struct arena *a)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return arena_strdup(a, buf);
}

/* The exit status of a run, from how it ended and what it reported. */
static enum exit_status
status_of(const struct diag *d, enum run_status rs)
{
	if (rs == RUN_USAGE)
		return EXIT_USAGE;
	if (d->count[DIAG_SYSTEM] > 0)
		return EXIT_SYSTEM;
	if (d->count[DIAG_ERROR] > 0)
		return EXIT_INPUT;
	return rs == RUN_OK ? EXIT_OK : EXIT_SYSTEM; /* failed without a word */
}

/*
 * SOURCE_DATE_EPOCH, the reproducible-build convention for the creation
 * date: unset or empty is -1; anything but a whole number of seconds from
 * 1970 to the end of 9999 is a usage error, as the convention asks, not a
 * date of 1970 or none.
 */
static enum exit_status
source_date(int64_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	*out = -1;
	if (s == NULL || *s == '\0')
		return EXIT_OK;
	size_t len = strlen(s);
	bool ok = len <= 12 && strspn(s, "0123456789") == len;
	if (ok)
		*out = strtoll(s, NULL, 10);
	if (ok && *out <= 253402300799)
		return EXIT_OK;
	fprintf(stderr,
	        "briefing: error: SOURCE_DATE_EPOCH must be a whole number of "
	        "seconds since 1970-01-01 UTC, up to 253402300799 (the end of "
	        "9999), not \"%.40s%s\"\n",
	        s, len > 40 ? "…" : "");
	return EXIT_USAGE;
}

/* A job for one run, in arena, reporting to d. */
static struct job
new_job(const struct options *o, struct arena *arena, struct diag *d,
        const char *exe)
{
	struct job job = {.arena = arena,
	                  .diag = d,
	                  .data_dir = BRIEFING_SHAREDIR,
	                  .source_date = -1,
	                  .exe_dir = exe,
	                  .archive_dir = o->archive_dir,
	                  .verbose = o->verbose,
	                  .allow_outside = o->allow_outside};
	job.source_date = o->source_date;
	return job;
}

struct watch_ctx {
	const struct options *o;
	const char *exe_dir;
	char **good; /* the inputs of the last good build */
	size_t ngood;
};

/* Appends copies of k paths to the malloc'd list of *n. */
static void
add_paths(char ***paths, size_t *n, const char *const *from, size_t k)
{
	*paths = mem_realloc(*paths, *n + k + 1, sizeof **paths);
	for (size_t i = 0; i < k; i++) {
		size_t len = strlen(from[i]) + 1;
		(*paths)[(*n)++] = memcpy(mem_alloc(len, 1), from[i], len);
	}
}

static void
free_paths(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/*
 * One build for "watch": its own arena and diagnostics, then the files
 * to watch (malloc'd, as watch_loop() frees them).  After a good build,
 * its inputs; after a failed one, those of the last good build and every
 * file the failed one read or set out to read, so that fixing any of
 * them builds again.
 */
static char **
watch_build(void *ctx, size_t *n)
{
	struct watch_ctx *w = ctx;
	struct arena arena = {0};
	struct diag diag;
	diag_init(&diag, stderr);
	diag.quiet = w->o->run.quiet;
	struct job job = new_job(w->o, &arena, &diag, w->exe_dir);
	job.interrupted = watch_interrupted();
	struct inputs in = {0};
	enum run_status rs = run_pipeline(&job, &w->o->run, &in);
	diag_finish(&diag);
	bool good = status_of(&diag, rs) == EXIT_OK;
	if (!w->o->run.quiet)
		fprintf(stderr,
		        good ? "briefing: wrote %s\n"
		             : "briefing: %s kept as it was\n",
		        w->o->run.output);
	/* A file in both lists is watched twice, which is harmless. */
	char **paths = NULL;
	*n = 0;
	if (good) {
		free_paths(w->good, w->ngood);
		w->good = NULL;
		w->ngood = 0;
		add_paths(&w->good, &w->ngood, in.paths, in.n);
	} else {
		add_paths(&paths, n, (const char *const *)w->good, w->ngood);
	}
	add_paths(&paths, n, in.paths, in.n);
	diag_free(&diag);
	arena_free(&arena);
	return paths;
}

int
main(int argc, char **argv)
{
	struct options o = {0};
	/* Past a file size limit (ulimit -f), write() fails with EFBIG and
	 * is reported like a full disk, instead of the signal killing the
	 * run with its temporary file left behind. */
	signal(SIGXFSZ, SIG_IGN);
	enum exit_status st = parse_args(argc, argv, &o);
	if (st == EXIT_OK && !o.done)
		st = source_date(&o.source_date);
	if (st != EXIT_OK || o.done)
		return st;

	struct arena arena = {0};
	struct diag diag;
	diag_init(&diag, o.run.json ? stdout : stderr);
	diag.json = o.run.json;
	diag.quiet = o.run.quiet;
	const char *exe = exe_dir(&arena);
	if (strcmp(o.command, "init") == 0) {
		init_briefing(&arena, &diag, o.run.facts);
		diag_finish(&diag);
		st = status_of(&diag, RUN_OK);
	} else if (strcmp(o.command, "watch") == 0) {
		struct watch_ctx w = {&o, exe, NULL, 0};
		st = (enum exit_status)watch_loop(watch_build, &w);
		free_paths(w.good, w.ngood);
	} else {
		struct job job = new_job(&o, &arena, &diag, exe);
		enum run_status rs = run_pipeline(&job, &o.run, NULL);
		diag_finish(&diag);
		st = status_of(&diag, rs);
	}
	diag_free(&diag);
	arena_free(&arena);
	return (int)st;
}
