/*
 * briefing: the command line.  Parses options and runs the pipeline
 * load -> check -> compose -> typeset -> emit, stopping after the first
 * stage that reports errors.  The only place that knows exit statuses.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "compose/compose.h"
#include "doc.h"
#include "emit/emit.h"
#include "inputs.h"
#include "edition.h"
#include "copies.h"
#include "watch.h"
#include "base/fileio.h"
#include "job.h"
#include "load/load.h"
#include "metrics.h"
#include "model.h"
#include "page.h"
#include "tmpl.h"
#include "typeset/typeset.h"

#ifndef BRIEFING_VERSION
#define BRIEFING_VERSION "0.1.0"
#endif
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
    "                      [--paper a4|letter] [--if-changed] [-M DEPFILE]\n"
    "       briefing watch FACTS.yaml -o OUT.pdf [build options]\n"
    "       briefing check FACTS.yaml [--archive-dir DIR] [--verbose]\n"
    "                                 [--format text|json]\n"
    "       briefing --help | --version\n";

static const char help_text[] =
    "briefing turns a YAML fact file and its Markdown commentary into a\n"
    "paginated, print-ready PDF briefing in which every statement is\n"
    "footnoted to its source.\n"
    "\n"
    "Commands:\n"
    "  build FACTS.yaml -o OUT.pdf   check the facts and write the PDF\n"
    "  check FACTS.yaml              check the facts; write nothing\n"
    "  watch FACTS.yaml -o OUT.pdf   build, then build again whenever an input\n"
    "                                is saved; a broken edit keeps the last\n"
    "                                good PDF (stop with Ctrl-C)\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      where build writes the PDF (\"-\" for standard\n"
    "                         output); the file is replaced only when the\n"
    "                         whole run succeeds\n"
    "  -t, --template NAME    a bundled template (a4, the default, or letter)\n"
    "                         or the path of a template .yaml file\n"
    "      --paper SIZE       a4 or letter, overriding the template\n"
    "      --duplex           for two-sided printing: mirrored margins, and\n"
    "                         the core sections start on right-hand pages\n"
    "      --if-changed       do nothing when no input changed since OUT.pdf\n"
    "                         was written (its inputs' digest is in it)\n"
    "  -M FILE                also write a make dependency file listing\n"
    "                         every input of OUT.pdf\n"
    "      --copies FILE      also write one marked copy per recipient listed\n"
    "                         in FILE (OUT-copy-01-NAME.pdf ...) and add a\n"
    "                         distribution list to OUT.pdf\n"
    "      --since STATE      list the changes since the edition recorded in\n"
    "                         STATE (default: OUT.pdf.state, written by\n"
    "                         the previous build)\n"
    "      --archive-dir DIR  where the archived copies of the sources are\n"
    "                         (default: beside the fact file); every quote\n"
    "                         is checked against its source's copy\n"
    "      --allow-outside    let the fact file name commentary and archived\n"
    "                         copies outside its own directory (or outside\n"
    "                         --archive-dir)\n"
    "  -v, --verbose          also list the quotes that could not be checked\n"
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

struct options {
	const char *command;
	const char *facts;
	const char *output;
	const char *tmpl;
	const char *dump;
	const char *archive_dir;
	const char *paper;
	const char *depfile;
	const char *since;
	const char *copies;
	bool timings;
	bool verbose;
	bool json;
	bool if_changed;
	bool duplex;
	bool allow_outside;
};

static enum exit_status usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static enum exit_status
usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("briefing: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static enum exit_status
parse_args(int argc, char **argv, struct options *o, bool *done)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"template", required_argument, NULL, 't'},
	    {"dump", required_argument, NULL, 'D'},
	    {"timings", no_argument, NULL, 'T'},
	    {"archive-dir", required_argument, NULL, 'A'},
	    {"allow-outside", no_argument, NULL, 'U'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"format", required_argument, NULL, 'F'},
	    {"paper", required_argument, NULL, 'P'},
	    {"if-changed", no_argument, NULL, 'I'},
	    {"since", required_argument, NULL, 'S'},
	    {"copies", required_argument, NULL, 'C'},
	    {"duplex", no_argument, NULL, 'X'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	*done = false;
	while ((c = getopt_long(argc, argv, "+o:t:M:vhV", longopts, NULL)) != -1 ||
	       optind < argc) {
		if (c == -1) {
			/* Operands and options may be mixed. */
			const char *arg = argv[optind++];
			if (o->command == NULL)
				o->command = arg;
			else if (o->facts == NULL)
				o->facts = arg;
			else
				return usage("unexpected argument \"%s\"", arg);
			continue;
		}
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 't':
			o->tmpl = optarg;
			break;
		case 'D':
			if (strcmp(optarg, "doc") != 0 &&
			    strcmp(optarg, "pages") != 0)
				return usage("--dump takes doc or pages, not "
				             "\"%s\"",
				             optarg);
			o->dump = optarg;
			break;
		case 'T':
			o->timings = true;
			break;
		case 'A':
			o->archive_dir = optarg;
			break;
		case 'U':
			o->allow_outside = true;
			break;
		case 'P':
			if (strcmp(optarg, "a4") != 0 &&
			    strcmp(optarg, "letter") != 0)
				return usage("--paper takes a4 or letter, not "
				             "\"%s\"",
				             optarg);
			o->paper = optarg;
			break;
		case 'I':
			o->if_changed = true;
			break;
		case 'S':
			o->since = optarg;
			break;
		case 'C':
			o->copies = optarg;
			break;
		case 'X':
			o->duplex = true;
			break;
		case 'M':
			o->depfile = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'F':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				return usage("--format takes text or json, not "
				             "\"%s\"",
				             optarg);
			o->json = strcmp(optarg, "json") == 0;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputc('\n', stdout);
			fputs(help_text, stdout);
			*done = true;
			return EXIT_OK;
		case 'V':
			printf("briefing %s\n", BRIEFING_VERSION);
			*done = true;
			return EXIT_OK;
		default:
			if (optopt != 0 && strchr("otM", optopt) != NULL) {
				char s[3] = {'-', (char)optopt, '\0'};
				return usage("option %s needs a value", s);
			}
			return usage("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (o->command == NULL)
		return usage("%s", "no command given");
	if (strcmp(o->command, "build") != 0 &&
	    strcmp(o->command, "check") != 0 &&
	    strcmp(o->command, "watch") != 0)
		return usage("unknown command \"%s\"", o->command);
	if (strcmp(o->command, "watch") == 0 &&
	    (o->output == NULL || strcmp(o->output, "-") == 0))
		return usage("%s", "watch needs -o OUT.pdf");
	if (o->copies != NULL && o->output != NULL &&
	    strcmp(o->output, "-") == 0)
		return usage("%s", "--copies writes several files; give -o a "
		                   "file name, not -");
	if (o->facts == NULL)
		return usage("%s", "no fact file given");
	if (strcmp(o->command, "build") == 0 && o->output == NULL &&
	    o->dump == NULL)
		return usage("%s", "build needs -o OUT.pdf (or - for standard "
		                   "output)");
	if (strcmp(o->command, "check") == 0 && o->output != NULL)
		return usage("%s", "check writes nothing; drop -o");
	if ((o->if_changed || o->depfile) &&
	    (o->output == NULL || strcmp(o->output, "-") == 0))
		return usage("%s", "--if-changed and -M need -o with a file");
	return EXIT_OK;
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

static enum exit_status
status_of(const struct diag *d)
{
	if (d->count[DIAG_SYSTEM] > 0)
		return EXIT_SYSTEM;
	if (d->count[DIAG_ERROR] > 0)
		return EXIT_INPUT;
	return EXIT_OK;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
dump_pages(const struct pages *p, FILE *f)
{
	fprintf(f, "pages %zu size %d x %d\n", p->n, p->width, p->height);
	for (size_t i = 0; i < p->n; i++) {
		fprintf(f, "page %zu\n", i + 1);
		for (size_t k = 0; k < p->pages[i].nops; k++) {
			const struct page_op *op = &p->pages[i].ops[k];
			switch (op->type) {
			case PAGE_TEXT:
				fprintf(f, "  text %d %d f%d %d \"%s\"\n", op->x,
				        op->y, op->face, op->size, op->text);
				break;
			case PAGE_RULE:
				fprintf(f, "  rule %d %d %d %d\n", op->x, op->y,
				        op->w, op->h);
				break;
			case PAGE_RECT:
				fprintf(f, "  rect %d %d %d %d\n", op->x, op->y,
				        op->w, op->h);
				break;
			case PAGE_LINK_URI:
				fprintf(f, "  link %d %d %d %d %s\n", op->x,
				        op->y, op->w, op->h, op->uri);
				break;
			case PAGE_LINK_DEST:
				fprintf(f, "  goto %d %d %d %d page %u y %d\n",
				        op->x, op->y, op->w, op->h,
				        op->dest_page + 1, op->dest_y);
				break;
			default:
				break;
			}
		}
	}
	for (size_t i = 0; i < p->noutlines; i++)
		fprintf(f, "outline %d \"%s\" page %u\n", p->outlines[i].level,
		        p->outlines[i].title, p->outlines[i].page + 1);
}

/*
 * Writes one marked copy per recipient from the one layout, then the
 * master with its distribution list.  Each copy has an arena and a
 * fontset of its own, so memory stays flat however many there are.
 */
static bool
emit_copies(struct job *job, struct fontset *fonts, const struct tmpl *t,
            const struct metrics *m, struct pages *master,
            const struct recipients *rs, const char *output)
{
	for (size_t k = 0; k < rs->n; k++) {
		struct arena scratch = {0};
		struct job cj = *job;
		struct fontset *fs = NULL;
		struct pages copy;
		cj.arena = &scratch;
		bool ok = emit_fonts_copy(&cj, fonts, &fs);
		if (ok) {
			copies_mark(&cj, master, t, m, rs, k, &copy);
			ok = emit_pdf(&cj, fs, &copy,
			              copies_file_name(&cj, output, rs, k));
		}
		emit_fonts_close(fs);
		arena_free(&scratch);
		if (!ok)
			return false;
	}
	copies_distribution_page(job, master, t, m, rs, output);
	master->drop_ops = true;
	return emit_pdf(job, fonts, master, output);
}

/*
 * Freeing libharu's document takes about a fifth as long as writing it
 * (200 ms for 3,600 pages).  A run that ends the process leaves that to
 * the system and parks the document here, where leak checkers see it as
 * still reachable rather than lost.
 */
static struct fontset *left_for_exit;

/*
 * The process's largest resident set so far [KiB], or -1: VmHWM, which
 * is this program's own, where getrusage() also counts the memory of
 * the process that started it, up to its exec().
 */
static long
peak_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

/*
 * Runs the pipeline; returns the exit status.  inputs_out is NULL for the
 * one run of build and check, which ends the process; watch passes it.
 * The output's lock, once taken, is left in *lock_fd for the caller, and
 * the work still running on other threads in *pending.
 */
/* The edition state being written while the PDF is drawn. */
struct state_ready {
	struct job *job;
	struct state_write *w;
};

/* emit_pdf_when()'s ready: waits for the state and says if it is on disk. */
static bool
state_ready(void *ctx)
{
	struct state_ready *sr = ctx;
	bool ok = edition_write_wait(sr->job, sr->w);
	sr->w = NULL;
	return ok;
}

/* Work started on other threads that run() waits for if run_locked()
 * stops before it does. */
struct pending {
	struct digest_run *digest;
	struct font_load *fonts;
};

/*
 * fileio_lock()'s waiting: the digest is finished before the wait, so
 * that it is of the files as they were read, and fonts read before it
 * are dropped, to be read after it as they are then.
 */
struct before_wait {
	struct job *job;
	struct pending *pending;
	char *digest; /* [65] */
	bool ok;
};

static void
before_wait(void *ctx)
{
	struct before_wait *dw = ctx;
	if (dw->pending->fonts != NULL) {
		struct fontset *dropped;
		(void)emit_fonts_finish(NULL, dw->pending->fonts, &dropped);
		dw->pending->fonts = NULL;
	}
	if (dw->pending->digest == NULL)
		return;
	dw->ok = inputs_digest_wait(dw->job, dw->pending->digest, dw->digest);
	dw->pending->digest = NULL;
}

static enum exit_status
run_locked(struct job *job, const struct options *o, struct inputs *inputs_out,
           int *lock_fd, struct pending *pending)
{
	struct model model;
	struct tmpl tmpl;
	struct doc doc;
	struct pages pages;
	double t0 = now(), t1, t2, t3, t4, t5;
	bool build = strcmp(o->command, "check") != 0;
	struct recipients recipients = {0};

	bool ok = load_template(job, o->tmpl ? o->tmpl : "a4", &tmpl);
	/* While the fact file loads, the hyphenation patterns are checked
	 * against those built in (and parsed only when they differ) and
	 * the fonts are read, each on a thread.  The fonts are read again
	 * after waiting for the output's lock (see before_wait()); with
	 * --if-changed, only after it, as there may be nothing to build. */
	if (ok && build) {
		job->hyphens = typeset_hyphen_prefetch(&tmpl);
		if (!o->if_changed)
			pending->fonts = emit_fonts_start(job, &tmpl);
	}
	ok &= load_facts(job, o->facts, &model);
	if (o->copies != NULL)
		ok &= load_recipients(job, o->copies, &recipients);
	t1 = now();
	if (!ok)
		return status_of(job->diag);
	tmpl.duplex = o->duplex;
	if (o->paper != NULL) {
		bool letter = strcmp(o->paper, "letter") == 0;
		tmpl.page_width = letter ? 612000 : 595276;
		tmpl.page_height = letter ? 792000 : 841890;
	}

	/* Everything the PDF depends on, for --if-changed and -M. */
	struct inputs inputs;
	char digest[65] = "";
	inputs_collect(job, &model, &tmpl, &inputs);
	if (o->copies != NULL)
		inputs.paths[inputs.n++] = o->copies; /* room: see inputs.c */
	if (inputs_out != NULL)
		*inputs_out = inputs;
	if (build && (o->if_changed || o->output)) {
		const char *extra = arena_printf(
		    job->arena, "briefing %s|paper=%s|sde=%lld|duplex=%d|copies=%s",
		    BRIEFING_VERSION, o->paper ? o->paper : "",
		    (long long)job->source_date, o->duplex,
		    o->copies ? o->copies : "");
		/* Only --if-changed needs the digest now; otherwise the
		 * files are read while the document is set. */
		if (!o->if_changed)
			pending->digest = inputs_digest_start(&inputs, extra);
		else if (!inputs_digest(job, &inputs, extra, digest))
			return status_of(job->diag);
	}
	/* One run at a time per output: the rest waits.  The fact file
	 * and commentary are read before the wait, the fonts after it. */
	struct before_wait dw = {job, pending, digest, true};
	if (build && o->output && strcmp(o->output, "-") != 0 && !o->dump &&
	    (*lock_fd = fileio_lock(job->diag, o->output, 30, before_wait,
	                            &dw)) < 0)
		return status_of(job->diag);
	if (!dw.ok)
		return status_of(job->diag);
	if (build && pending->fonts == NULL)
		pending->fonts = emit_fonts_start(job, &tmpl);
	char recorded[65];
	if (build && o->if_changed && inputs_recorded(o->output, recorded) &&
	    strcmp(recorded, digest) == 0) {
		if (o->depfile &&
		    !inputs_write_depfile(job, o->depfile, o->output, &inputs))
			return status_of(job->diag);
		fprintf(stderr, "%s is up to date\n", o->output);
		return EXIT_OK;
	}
	ok = check_model(job, &model);
	struct quote_counts quotes = {0, 0, 0};
	if (ok)
		ok = check_quotes(job, &model, &quotes);
	t2 = now();
	if (!ok)
		return status_of(job->diag);
	/* Editions: what changed since the previous one. */
	struct facts now_facts, state_cur, state_base, *base = NULL;
	struct changes changes = {0};
	const char *state_path = NULL;
	if (build) {
		edition_facts(job, &model, &now_facts);
		bool found = false;
		if (o->output && strcmp(o->output, "-") != 0)
			state_path = arena_printf(job->arena, "%s.state",
			                          o->output);
		const char *from = o->since ? o->since : state_path;
		if (from != NULL &&
		    !edition_read(job, from, o->since == NULL, &state_cur,
		                  &state_base, &found))
			return status_of(job->diag);
		if (found) {
			/* Regenerating the same edition keeps its base, so
			 * the change list stays the same. */
			base = strcmp(state_cur.edition, now_facts.edition) == 0
			           ? (state_base.edition ? &state_base : NULL)
			           : &state_cur;
			if (base != NULL)
				edition_diff(job, base, &now_facts, &changes);
		}
	}
	ok = compose_doc(job, &model, &tmpl, &changes, &doc);
	t3 = now();
	if (!ok || diag_has_errors(job->diag))
		return status_of(job->diag);
	if (o->dump && strcmp(o->dump, "doc") == 0) {
		doc_dump(&doc, stdout);
		return EXIT_OK;
	}
	if (!build) {
		if (o->json)
			return EXIT_OK;
		diag_flush(job->diag);
		size_t nq = quotes.verified + quotes.unverified;
		if (nq == 0)
			fprintf(stderr, "%s: ok\n", o->facts);
		else
			fprintf(stderr,
			        "%s: ok; %zu of %zu quotes verified against "
			        "archived copies\n",
			        o->facts, quotes.verified, nq);
		return EXIT_OK;
	}

	struct fontset *fonts = NULL;
	ok = emit_fonts_finish(job, pending->fonts, &fonts);
	pending->fonts = NULL;
	if (!ok)
		return status_of(job->diag);
	struct metrics metrics = emit_fonts_metrics(fonts);
	ok = typeset_doc(job, &doc, &tmpl, &metrics, &pages);
	t4 = now();
	if (job->source_date >= 0) {
		/* Reproducible-build convention: the build's own timestamp. */
		pages.created = job->source_date;
		pages.tz_minutes = 0;
	}
	ok = inputs_digest_wait(job, pending->digest, digest) && ok;
	pending->digest = NULL;
	pages.inputs_digest = digest[0] ? digest : NULL;
	pages.edition = doc.vars[VAR_EDITION];
	if (ok && !diag_has_errors(job->diag)) {
		/* The edition state goes first: when it cannot be written
		 * (a full disk), the previous PDF is still untouched.  When
		 * the PDF then fails, the state already names this edition,
		 * and the next build of it keeps the same base. */
		bool plain = !o->dump && o->copies == NULL;
		if (state_path != NULL && plain) {
			/* Written while the PDF is drawn; the PDF is written
			 * only once the state is on disk. */
			struct state_ready sr = {
			    job, edition_write_start(&now_facts, base,
			                             state_path)};
			pages.drop_ops = true; /* nothing reads them after */
			ok = emit_pdf_when(job, fonts, &pages, o->output,
			                   state_ready, &sr);
		} else {
			if (state_path != NULL && !o->dump)
				ok = edition_write(job, &now_facts, base,
				                   state_path);
			if (ok && o->dump)
				dump_pages(&pages, stdout);
			else if (ok && o->copies != NULL)
				ok = emit_copies(job, fonts, &tmpl, &metrics,
				                 &pages, &recipients, o->output);
			else if (ok) {
				pages.drop_ops = true;
				ok = emit_pdf(job, fonts, &pages, o->output);
			}
		}
		if (ok && o->depfile)
			ok = inputs_write_depfile(job, o->depfile, o->output,
			                          &inputs);
	}
	typeset_pages_free(&pages);
	t5 = now();
	if (inputs_out == NULL && left_for_exit == NULL)
		left_for_exit = fonts;
	else
		emit_fonts_close(fonts);
	if (o->timings) {
		long peak = peak_kib();
		fprintf(stderr,
		        "timings: load %.1f ms, check %.1f ms, compose %.1f ms, "
		        "typeset %.1f ms, emit %.1f ms; %zu pages, %zu notes",
		        (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3,
		        (t4 - t3) * 1e3, (t5 - t4) * 1e3, pages.n, doc.nnotes);
		if (peak > 0)
			fprintf(stderr, "; peak %.1f MB", (double)peak / 1024);
		fputc('\n', stderr);
	}
	if (!ok)
		return status_of(job->diag) ? status_of(job->diag) : EXIT_SYSTEM;
	return status_of(job->diag);
}

/* run_locked(), then the output's lock is let go (watch runs many). */
static enum exit_status
run(struct job *job, const struct options *o, struct inputs *inputs_out)
{
	int lock_fd = -1;
	struct pending pending = {NULL, NULL};
	enum exit_status st = run_locked(job, o, inputs_out, &lock_fd, &pending);
	/* Stopped early: the digest and the fonts are moot. */
	char unused[65];
	(void)inputs_digest_wait(NULL, pending.digest, unused);
	struct fontset *fonts;
	(void)emit_fonts_finish(NULL, pending.fonts, &fonts);
	if (lock_fd >= 0 && lock_fd != FILEIO_NO_LOCK)
		close(lock_fd);
	return st;
}

struct watch_ctx {
	const struct options *o;
	const char *exe_dir;
};

/* One build for "watch": its own arena and diagnostics, then its inputs. */
static char **
watch_build(void *ctx, size_t *n)
{
	struct watch_ctx *w = ctx;
	struct arena arena = {0};
	struct diag diag;
	diag_init(&diag, stderr);
	struct job job = {.arena = &arena, .diag = &diag,
	                  .data_dir = BRIEFING_SHAREDIR, .source_date = -1,
	                  .exe_dir = w->exe_dir,
	                  .archive_dir = w->o->archive_dir,
	                  .allow_outside = w->o->allow_outside};
	struct inputs in = {0};
	enum exit_status st = run(&job, w->o, &in);
	typeset_hyphen_abandon(job.hyphens);
	diag_finish(&diag);
	if (st == EXIT_OK)
		fprintf(stderr, "briefing: wrote %s\n", w->o->output);
	else
		fprintf(stderr, "briefing: %s kept as it was\n", w->o->output);
	char **paths = NULL;
	const char *facts[1] = {w->o->facts};
	*n = 0;
	if (in.n == 0) {
		/* Nothing loaded: watch the fact file at least. */
		in.paths = facts;
		in.n = 1;
	}
	paths = calloc(in.n, sizeof *paths);
	for (size_t i = 0; paths != NULL && i < in.n; i++)
		if ((paths[*n] = strdup(in.paths[i])) != NULL)
			(*n)++;
	diag_free(&diag);
	arena_free(&arena);
	return paths;
}

int
main(int argc, char **argv)
{
	struct options o = {0};
	bool done;
	/* Past a file size limit (ulimit -f), write() fails with EFBIG and
	 * is reported like a full disk, instead of the signal killing the
	 * run with its temporary file left behind. */
	signal(SIGXFSZ, SIG_IGN);
	enum exit_status st = parse_args(argc, argv, &o, &done);
	if (st != EXIT_OK || done)
		return st;

	struct arena arena = {0};
	struct diag diag;
	diag_init(&diag, stderr);
	struct job job = {.arena = &arena, .diag = &diag,
	                  .data_dir = BRIEFING_SHAREDIR, .source_date = -1};
	job.exe_dir = exe_dir(&arena);
	job.archive_dir = o.archive_dir;
	job.verbose = o.verbose;
	job.allow_outside = o.allow_outside;
	if (o.json)
		diag_init(&diag, stdout);
	diag.json = o.json;
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde != NULL && *sde != '\0')
		job.source_date = strtoll(sde, NULL, 10);

	if (strcmp(o.command, "watch") == 0) {
		struct watch_ctx w = {&o, job.exe_dir};
		int ws = watch_loop(watch_build, &w);
		diag_free(&diag);
		arena_free(&arena);
		return ws;
	}
	st = run(&job, &o, NULL);
	typeset_hyphen_abandon(job.hyphens);
	diag_finish(&diag);
	diag_free(&diag);
	arena_free(&arena);
	return st;
}
