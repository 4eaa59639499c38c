/*
 * One run of the pipeline (run.h), as a sequence of steps over one state:
 *
 *   load      template, fact file, recipients
 *   inputs    every file the output depends on, and their digest
 *   lock      one run at a time per output
 *   check     the model, then its quotes against the archived copies
 *   edition   what changed since the edition recorded beside the output
 *   compose   the document tree
 *   typeset   the fonts, then the pages
 *   write     the edition's state, the PDF (or its copies), the depfile
 *
 * Each step returns false once it has reported why the run stops there.
 */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/path.h"
#include "check/check.h"
#include "compose/compose.h"
#include "doc.h"
#include "edition/edition.h"
#include "emit/emit.h"
#include "inputs/inputs.h"
#include "job.h"
#include "load/load.h"
#include "metrics.h"
#include "model.h"
#include "page.h"
#include "recipients.h"
#include "sign/sign.h"
#include "tmpl.h"
#include "typeset/typeset.h"

enum { T_START, T_LOAD, T_CHECK, T_COMPOSE, T_TYPESET, T_EMIT, T__MAX };

struct run {
	struct job *job;
	const struct run_options *o;
	struct tmpl tmpl;
	struct model model;
	struct recipients recipients;
	struct inputs inputs;
	char digest[INPUTS_DIGEST_LEN + 1]; /* of the inputs, or "" */
	int lock_fd;                        /* the output's lock, or -1 */
	bool tmpl_ok, facts_ok;             /* each loaded without an error */
	struct check_fixes fixes;           /* locators the archives correct */
	struct quote_counts quotes;
	struct facts facts, state_cur, state_base;
	struct facts state_old[EDITION_KEEP]; /* earlier ones it keeps */
	size_t nstate_old;
	const struct facts *history[EDITION_KEEP]; /* what this build's
	                                            * state keeps besides */
	size_t nhistory;
	const struct facts *base; /* the edition changes are measured
	                           * against, or NULL */
	struct changes changes;
	const char *state_path; /* OUT.pdf.state, or NULL */
	struct doc doc;
	struct fontset *fonts;
	struct signer *signer;          /* --sign-key's, or NULL */
	struct page_signer page_signer; /* it, for the emitter */
	struct metrics metrics;
	struct pages pages;
	double t[T__MAX]; /* when each stage ended [s] */
};

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The output is a file (not standard output, not a dump). */
static bool
writes_file(const struct run_options *o)
{
	return o->build && o->output != NULL && strcmp(o->output, "-") != 0 &&
	       o->dump == NULL;
}

/*
 * The output is a device (/dev/null): written in place, with no state
 * file beside it (a device's directory is no place for one) and no
 * copies.
 */
static bool
is_device(const char *path)
{
	struct stat st;
	return path != NULL && stat(path, &st) == 0 &&
	       (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode));
}

static bool
step_load(struct run *r)
{
	struct job *job = r->job;
	const struct run_options *o = r->o;
	r->tmpl_ok = load_template(job, o->tmpl ? o->tmpl : "a4", &r->tmpl);
	r->facts_ok = load_facts(job, o->facts, &r->model);
	bool ok = r->tmpl_ok && r->facts_ok;
	if (o->copies != NULL)
		ok &= load_recipients(job, o->copies, &r->recipients);
	if (!ok)
		return false;
	recipients_name(job->arena, &r->recipients, o->output);
	r->tmpl.duplex = o->duplex;
	if (o->paper != NULL) {
		bool letter = strcmp(o->paper, "letter") == 0;
		r->tmpl.page_width = letter ? 612000 : 595276;
		r->tmpl.page_height = letter ? 792000 : 841890;
	}
	return true;
}

/*
 * Every file the PDF depends on, for -M and watch.  After a failed load,
 * the files it read or set out to read, as far as it got: the ones that
 * watch waits on for the fix.
 */
static void
collect_inputs(struct run *r)
{
	const struct run_options *o = r->o;
	inputs_collect(r->job, &r->model, &r->tmpl, &r->inputs);
	size_t nimages;
	const char **images = compose_images(r->job, &r->model, &nimages);
	for (size_t i = 0; i < nimages; i++)
		inputs_add(r->job, &r->inputs, images[i]);
	inputs_add(r->job, &r->inputs, o->facts);
	if (o->copies != NULL)
		inputs_add(r->job, &r->inputs, o->copies);
	if (o->since != NULL)
		inputs_add(r->job, &r->inputs, o->since);
	/* The certificates, which go into the PDF; not the key, of which
	 * nothing may. */
	if (o->sign_cert != NULL)
		inputs_add(r->job, &r->inputs, o->sign_cert);
	if (o->sign_chain != NULL)
		inputs_add(r->job, &r->inputs, o->sign_chain);
}

/* OUT.pdf.state, beside the output or in --state-dir. */
static const char *
state_path(struct arena *a, const struct run_options *o)
{
	if (o->state_dir == NULL)
		return arena_printf(a, "%s.state", o->output);
	const char *base = strrchr(o->output, '/');
	return arena_printf(a, "%s/%s.state", o->state_dir,
	                    base ? base + 1 : o->output);
}

/*
 * The inputs' digest, taken before the lock: of the files as this run
 * read them.  The digest goes into the PDF, where --if-changed finds it.
 */
/* Whether the PDF is to be PDF/A-2b, or tagged PDF/UA-1: both by
 * default. */
static bool
is_pdfa(const struct run_options *o)
{
	return o->pdf_standard == NULL || strstr(o->pdf_standard, "a-2b");
}

static bool
is_ua(const struct run_options *o)
{
	return o->pdf_standard == NULL || strstr(o->pdf_standard, "ua-1");
}

static bool
step_inputs(struct run *r)
{
	const struct run_options *o = r->o;
	/* The state file goes beside a file written in place of the old
	 * one: not beside standard output or a device. */
	if (o->build && o->output != NULL && strcmp(o->output, "-") != 0 &&
	    !is_device(o->output))
		r->state_path = state_path(r->job->arena, o);
	if (!o->build || o->output == NULL)
		return true;
	const char *extra = arena_printf(
	    r->job->arena,
	    "briefing %s|paper=%s|sde=%lld|duplex=%d|copies=%s|pdf=%s%s",
	    BRIEFING_VERSION, o->paper ? o->paper : "",
	    (long long)r->job->source_date, o->duplex,
	    o->copies ? o->copies : "",
	    is_pdfa(o) ? (is_ua(o) ? "ua-1,a-2b" : "a-2b")
	               : (is_ua(o) ? "ua-1" : "none"),
	    o->sign_key != NULL ? "|signed" : "");
	return inputs_digest(r->job, &r->inputs, extra, r->digest);
}

/* A file the run writes, and what it is, for messages. */
struct output {
	const char *what;
	const char *path;
};

/*
 * Every file the run is to write: the PDF, the depfile, the state file
 * and each copy, in outs[] (room for 3 + recipients); returns how many.
 */
static size_t
outputs(const struct run *r, struct output *outs)
{
	const struct run_options *o = r->o;
	struct arena *a = r->job->arena;
	size_t n = 0;
	if (!writes_file(o))
		return 0;
	outs[n++] = (struct output){"-o", o->output};
	if (o->depfile != NULL)
		outs[n++] = (struct output){"-M", o->depfile};
	if (r->state_path != NULL)
		outs[n++] = (struct output){"the state file", r->state_path};
	for (size_t k = 0; k < r->recipients.n; k++)
		outs[n++] = (struct output){arena_printf(a, "copy %zu", k + 1),
		                            r->recipients.items[k].path};
	return n;
}

/* A file of the run by what it names: outputs are [0, n), inputs after. */
struct named {
	struct path_key key;
	size_t idx;
};

static int
cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = path_key_cmp(&x->key, &y->key);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/*
 * The first output (in the order of outs) that names the same file as an
 * input or an earlier output: *out its index and *with the other's (an
 * input's index plus n).  Files are sorted by what they name, so tens of
 * thousands of copies and archived copies take n log n, not n times m.
 */
static bool
first_clash(const struct run *r, const struct output *outs, size_t n,
            size_t *out, size_t *with)
{
	size_t total = n + r->inputs.n, best = SIZE_MAX;
	struct named *v = mem_alloc(total, sizeof *v);
	for (size_t i = 0; i < total; i++) {
		v[i].idx = i;
		path_key(i < n ? outs[i].path : r->inputs.paths[i - n],
		         &v[i].key);
	}
	qsort(v, total, sizeof *v, cmp_named);
	for (size_t g = 0, end = 0; g < total; g = end) {
		end = g + 1;
		while (end < total && path_key_cmp(&v[g].key, &v[end].key) == 0)
			end++;
		/* Outputs come first in a group, then inputs. */
		if (v[g].idx >= n)
			continue;
		size_t i, other;
		if (v[end - 1].idx >= n) {
			size_t k = g;
			while (v[k].idx < n)
				k++;
			i = v[g].idx;
			other = v[k].idx;
		} else if (end - g >= 2) {
			i = v[g + 1].idx;
			other = v[g].idx;
		} else {
			continue;
		}
		if (i < best) {
			best = i;
			*out = i;
			*with = other;
		}
	}
	for (size_t i = 0; i < total; i++)
		path_key_free(&v[i].key);
	free(v);
	return best != SIZE_MAX;
}

/*
 * No output may be an input or another output: -o FACTS.yaml would turn
 * the fact file into a PDF.  Checked before anything is written; a
 * conflict is a usage error.
 */
static bool
step_outputs(struct run *r, bool *usage)
{
	struct job *job = r->job;
	const struct run_options *o = r->o;
	struct stat st;
	if (writes_file(o) && stat(o->output, &st) == 0 &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
		/* Nothing may read it: the run would wait forever. */
		diag_error(job->diag, (struct loc){0},
		           "-o \"%s\" is a FIFO or socket; write to standard "
		           "output (-o -) and pipe that instead",
		           o->output);
		*usage = true;
		return false;
	}
	if (o->copies != NULL && is_device(o->output)) {
		diag_error(job->diag, (struct loc){0},
		           "--copies writes files beside the output; -o \"%s\" "
		           "is a device",
		           o->output);
		*usage = true;
		return false;
	}
	if (o->state_dir != NULL && is_device(o->output)) {
		diag_error(job->diag, (struct loc){0},
		           "--state-dir keeps the state of a file; -o \"%s\" "
		           "is a device",
		           o->output);
		*usage = true;
		return false;
	}
	if (o->state_dir != NULL && stat(o->state_dir, &st) == 0 &&
	    !S_ISDIR(st.st_mode)) {
		diag_error(job->diag, (struct loc){0},
		           "--state-dir \"%s\" is not a directory",
		           o->state_dir);
		*usage = true;
		return false;
	}
	struct output *outs =
	    arena_array(job->arena, 3 + r->recipients.n, sizeof *outs);
	size_t n = outputs(r, outs), in = 0, out = 0;
	if (first_clash(r, outs, n, &out, &in)) {
		if (in >= n)
			diag_error(job->diag, (struct loc){0},
			           "%s \"%s\" would overwrite \"%s\", an input "
			           "of this briefing; nothing was written",
			           outs[out].what, outs[out].path,
			           r->inputs.paths[in - n]);
		else
			diag_error(job->diag, (struct loc){0},
			           "%s \"%s\" and %s \"%s\" are the same file; "
			           "nothing was written",
			           outs[in].what, outs[in].path, outs[out].what,
			           outs[out].path);
		*usage = true;
		return false;
	}
	return true;
}

/* One run at a time per output: the rest waits, up to 30 seconds. */
static bool
step_lock(struct run *r)
{
	if (!writes_file(r->o))
		return true;
	const char *dir = r->o->state_dir;
	if (dir != NULL && mkdir(dir, 0777) != 0 && errno != EEXIST) {
		diag_system(r->job->diag,
		            "cannot create --state-dir \"%s\": %s", dir,
		            strerror(errno));
		return false;
	}
	r->lock_fd = fileio_lock(r->job->diag, r->o->output, dir, 30,
	                         r->job->interrupted);
	return r->lock_fd >= 0;
}

/* Whether the PDF at path records the inputs' digest as it is now. */
static bool
records_digest(const struct run *r, const char *path)
{
	char recorded[INPUTS_DIGEST_LEN + 1];
	return path != NULL && inputs_recorded(path, recorded) &&
	       strcmp(recorded, r->digest) == 0;
}

/*
 * --if-changed: true when the output and every copy record the inputs'
 * digest as it is now, so there is nothing to build; the depfile is
 * still written.
 */
static bool
up_to_date(struct run *r, bool *ok)
{
	const struct run_options *o = r->o;
	*ok = true;
	if (!o->build || !o->if_changed || !records_digest(r, o->output))
		return false;
	for (size_t k = 0; k < r->recipients.n; k++)
		if (!records_digest(r, r->recipients.items[k].path))
			return false;
	if (o->depfile != NULL) {
		struct fileio_txn txn = {0};
		*ok = inputs_write_depfile(r->job, &txn, o->depfile, o->output,
		                           &r->inputs) &&
		      fileio_commit(r->job->diag, &txn);
		fileio_abort(&txn);
	}
	if (*ok && !o->quiet)
		fprintf(stderr, "%s is up to date\n", o->output);
	return true;
}

/*
 * After an error in the fact file, what can be checked still is, so that
 * one run reports every mistake: the references, dates and quotes of
 * what loaded (when the file was read at all), and the commentary's
 * citations, which compose would otherwise check.
 */
static void
check_rest(struct run *r)
{
	if (!r->model.read)
		return;
	if (!r->facts_ok) {
		check_model(r->job, &r->model);
		check_quotes(r->job, &r->model, &r->quotes, &r->fixes);
	}
	if (r->tmpl_ok)
		compose_commentary(r->job, &r->model, &r->tmpl);
}

static bool
step_check(struct run *r)
{
	bool ok = check_model(r->job, &r->model);
	ok = check_quotes(r->job, &r->model, &r->quotes, &r->fixes) && ok;
	if (!ok)
		check_rest(r);
	/* PDF/UA: a reader announces a document by its title. */
	const struct str *title = &r->model.meta.title;
	if (ok && r->o->build && is_ua(r->o) &&
	    (title->s == NULL || title->s[strspn(title->s, " \t\n")] == '\0')) {
		diag_error(r->job->diag, title->loc,
		           "a tagged PDF (PDF/UA-1) needs a title; give "
		           "\"title\" one, or build with --pdf-standard a-2b");
		ok = false;
	}
	r->t[T_CHECK] = now();
	return ok;
}

/* Every edition the state file read records: current, base, older;
 * all[] has room for EDITION_KEEP + 2.  Returns how many. */
static size_t
editions_read(struct run *r, const struct facts **all)
{
	size_t n = 0;
	all[n++] = &r->state_cur;
	all[n++] = &r->state_base;
	for (size_t i = 0; i < r->nstate_old; i++)
		all[n++] = &r->state_old[i];
	return n;
}

/* --since-edition N: the changes are measured against edition N, which
 * the state file must record. */
static bool
since_edition(struct run *r, const char *from)
{
	const char *n = r->o->since_edition;
	const struct facts *all[EDITION_KEEP + 2];
	size_t k = editions_read(r, all);
	struct buf b = {0}; /* the editions it records, for the message */
	for (size_t i = 0; i < k; i++) {
		if (all[i]->edition == NULL)
			continue;
		if (strcmp(all[i]->edition, n) == 0 &&
		    edition_cmp(n, r->facts.edition) < 0) {
			r->base = all[i];
			buf_free(&b);
			return true;
		}
		buf_printf(&b, "%s%s", b.len ? ", " : "", all[i]->edition);
	}
	diag_error(r->job->diag, (struct loc){from, 0, 0},
	           "--since-edition %s: no earlier edition %s is recorded "
	           "here (it records %s)",
	           n, n, buf_finish(&b, r->job->arena));
	buf_free(&b);
	return false;
}

/* The earlier editions this build's state file keeps besides the one its
 * changes are measured against: every one it read but this edition,
 * newest first, EDITION_KEEP at most. */
static void
keep_history(struct run *r)
{
	const struct facts *all[EDITION_KEEP + 2];
	size_t k = editions_read(r, all);
	r->nhistory = 0;
	for (size_t i = 0; i < k; i++) {
		const struct facts *f = all[i];
		if (f->edition == NULL || f == r->base ||
		    strcmp(f->edition, r->facts.edition) == 0 ||
		    (r->base && strcmp(f->edition, r->base->edition) == 0))
			continue;
		bool seen = false;
		for (size_t j = 0; j < r->nhistory && !seen; j++)
			seen = strcmp(r->history[j]->edition, f->edition) == 0;
		if (seen)
			continue;
		/* In order, newest first; the oldest drops off. */
		size_t at = r->nhistory;
		while (at > 0 &&
		       edition_cmp(r->history[at - 1]->edition, f->edition) < 0)
			at--;
		if (at == EDITION_KEEP)
			continue;
		size_t end =
		    r->nhistory < EDITION_KEEP ? r->nhistory : EDITION_KEEP - 1;
		memmove(r->history + at + 1, r->history + at,
		        (end - at) * sizeof *r->history);
		r->history[at] = f;
		if (r->nhistory < EDITION_KEEP)
			r->nhistory++;
	}
}

/*
 * The facts of this edition and the changes since the previous one: the
 * edition recorded in --since, or in the state file beside the output.
 * Regenerating the same edition keeps its base, so the change list stays
 * the same.
 */
static bool
step_edition(struct run *r)
{
	struct job *job = r->job;
	const struct run_options *o = r->o;
	bool found = false;
	if (!o->build)
		return true;
	edition_facts(job, &r->model, &r->facts);
	const char *from = o->since ? o->since : r->state_path;
	if (from != NULL &&
	    !edition_read(job, from, o->since == NULL, &r->state_cur,
	                  &r->state_base, r->state_old, &r->nstate_old, &found))
		return false;
	if (!found && o->since_edition != NULL) {
		diag_error(job->diag, (struct loc){from, 0, 0},
		           "--since-edition %s: no state file records an "
		           "earlier edition (build one first)",
		           o->since_edition);
		return false;
	}
	if (!found)
		return true;
	if (edition_cmp(r->facts.edition, r->state_cur.edition) < 0) {
		diag_error(job->diag, r->model.meta.edition.loc,
		           "edition %s is older than edition %s, which \"%s\" "
		           "records; raise \"edition\" (or pass --since with "
		           "the state file of an earlier edition)",
		           r->facts.edition, r->state_cur.edition, from);
		return false;
	}
	if (strcmp(r->state_cur.edition, r->facts.edition) != 0)
		r->base = &r->state_cur;
	else if (r->state_base.edition != NULL)
		r->base = &r->state_base;
	if (o->since_edition != NULL && !since_edition(r, from))
		return false;
	keep_history(r);
	if (r->base != NULL)
		edition_diff(job, r->base, &r->facts, &r->changes);
	struct loc at = {from, 0, 0};
	if (r->base != NULL && r->base->legacy)
		diag_note(job->diag, at,
		          "written by an earlier version of briefing: the "
		          "changes since edition %s name the facts added, "
		          "removed or with a new status, not what was "
		          "reworded; the next edition's list does",
		          r->base->edition);
	if (r->base == NULL) {
		/* The first edition built again: its edits have no earlier
		 * edition to be listed against. */
		struct changes same;
		edition_diff(job, &r->state_cur, &r->facts, &same);
		if (same.n > 0)
			diag_note(
			    job->diag, at,
			    "edition %s is built again and has no "
			    "earlier edition: %zu fact%s edited since "
			    "its last build %s not listed as changed; "
			    "raise \"edition\" to list %s against "
			    "edition %s",
			    r->facts.edition, same.n, same.n == 1 ? "" : "s",
			    same.n == 1 ? "is" : "are",
			    same.n == 1 ? "it" : "them", r->facts.edition);
	}
	return true;
}

static bool
step_compose(struct run *r)
{
	bool ok = compose_doc(r->job, &r->model, &r->tmpl, &r->changes,
	                      r->o->copies ? &r->recipients : NULL, &r->doc);
	ok = load_images(r->job, &r->doc) && ok;
	r->t[T_COMPOSE] = now();
	return ok && !diag_has_errors(r->job->diag);
}

/* What check prints when all is well. */
static void
check_summary(struct run *r)
{
	size_t nq = r->quotes.verified + r->quotes.unverified;
	if (r->o->json || r->o->quiet)
		return;
	diag_flush(r->job->diag);
	if (nq == 0)
		fprintf(stderr, "%s: ok\n", r->o->facts);
	else
		fprintf(stderr,
		        "%s: ok; %zu of %zu quotes verified against archived "
		        "copies\n",
		        r->o->facts, r->quotes.verified, nq);
}

/* What check says of the fonts: the characters of the text that the
 * faces it is set in lack, as a build would report them. */
static bool
step_glyphs(struct run *r)
{
	struct job *job = r->job;
	if (!emit_fonts_open(job, &r->tmpl, &r->fonts))
		return false;
	r->metrics = emit_fonts_metrics(r->fonts);
	bool ok = typeset_check_glyphs(job, &r->doc, &r->tmpl, &r->metrics);
	return ok && !diag_has_errors(job->diag);
}

/* struct page_signer's fill(): the run's signer signs. */
static bool
fill_signature(void *ctx, unsigned char *pdf, size_t len, size_t range,
               size_t contents)
{
	struct run *r = ctx;
	return sign_fill(r->job, r->signer, pdf, len, range, contents);
}

/*
 * The signer's key and certificates, read and checked as the facts are:
 * a build that cannot sign stops before it typesets.  The signing time
 * is SOURCE_DATE_EPOCH's, or now.
 */
static bool
step_sign(struct run *r)
{
	const struct run_options *o = r->o;
	if (o->sign_key == NULL || o->dump != NULL)
		return true;
	int64_t when = r->job->source_date >= 0 ? r->job->source_date
	                                        : (int64_t)time(NULL);
	r->signer =
	    sign_open(r->job, o->sign_key, o->sign_cert, o->sign_chain, when);
	if (r->signer == NULL)
		return false;
	r->page_signer = (struct page_signer){
	    sign_when(r->signer), sign_room(r->signer), fill_signature, r};
	return true;
}

/* The fonts, read after the lock, then the pages. */
static bool
step_typeset(struct run *r)
{
	struct job *job = r->job;
	if (!emit_fonts_open(job, &r->tmpl, &r->fonts))
		return false;
	emit_fonts_lang(r->fonts, r->doc.lang);
	r->metrics = emit_fonts_metrics(r->fonts);
	bool ok = typeset_doc(job, &r->doc, &r->tmpl, &r->metrics, &r->pages);
	r->t[T_TYPESET] = now();
	if (job->source_date >= 0) {
		/* Reproducible-build convention: the build's own timestamp. */
		r->pages.created = job->source_date;
		r->pages.tz_minutes = 0;
	}
	r->pages.inputs_digest = r->digest[0] ? r->digest : NULL;
	r->pages.edition = r->doc.vars[VAR_EDITION];
	r->pages.pdfa = is_pdfa(r->o);
	r->pages.tagged = is_ua(r->o);
	r->pages.sign = r->signer ? &r->page_signer : NULL;
	return ok && !diag_has_errors(job->diag);
}

/*
 * Stages one marked copy per recipient from the one layout.  Each copy
 * has an arena and a fontset of its own, so memory stays flat however
 * many there are.
 */
static bool
write_copies(struct run *r, struct fileio_txn *txn)
{
	struct job *job = r->job;
	for (size_t k = 0; k < r->pages.nmarks; k++) {
		struct arena scratch = {0};
		struct job cj = *job;
		struct fontset *fs = NULL;
		struct pages copy;
		cj.arena = &scratch;
		bool ok = emit_fonts_copy(&cj, r->fonts, &fs);
		if (ok) {
			typeset_copy(&scratch, &r->pages, k, &copy);
			ok = emit_pdf(&cj, fs, &copy, txn,
			              r->recipients.items[k].path);
		}
		emit_fonts_close(fs);
		arena_free(&scratch);
		if (!ok)
			return false;
	}
	return true;
}

/*
 * Whether the PDF at path is a numbered copy this tool wrote: it has a
 * /Copy entry in its document information.
 */
static bool
is_a_copy(const char *path)
{
	char after[2];
	return fileio_scan(path, "/Copy <", after, sizeof after);
}

/* Whether name is a copy's file name beside output: STEM-copy-NN-X.EXT
 * with the output's stem and extension (".pdf" when it has none). */
static bool
is_copy_name(const char *name, const char *stem, size_t stemlen,
             const char *ext)
{
	size_t len = strlen(name), elen = strlen(ext);
	if (len <= stemlen + 6 + elen || strncmp(name, stem, stemlen) != 0 ||
	    strncmp(name + stemlen, "-copy-", 6) != 0 ||
	    strcmp(name + len - elen, ext) != 0)
		return false;
	const char *p = name + stemlen + 6, *end = name + len - elen;
	size_t digits = strspn(p, "0123456789");
	if (digits < 2 || p + digits >= end || p[digits] != '-')
		return false;
	for (p += digits + 1; p < end; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-'))
			return false;
	return true;
}

/*
 * After a new set of copies is in place: the copies of earlier builds
 * for recipients no longer listed are removed, the files beside the
 * output named as its copies are that carry a /Copy entry (nothing
 * else is touched).  Best effort: a file that cannot be removed stays.
 */
static void
remove_stale_copies(const struct run *r)
{
	const char *output = r->o->output;
	const char *slash = strrchr(output, '/');
	const char *base = slash ? slash + 1 : output;
	const char *dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		dot = base + strlen(base);
	const char *ext = *dot ? dot : ".pdf";
	char dir[4096];
	DIR *d = opendir(path_dir(output, dir, sizeof dir));
	if (d == NULL)
		return;
	/* The copies just written, sorted by what they name. */
	size_t n = r->recipients.n;
	struct named *cur = mem_alloc(n + 1, sizeof *cur);
	for (size_t k = 0; k < n; k++) {
		cur[k].idx = 0;
		path_key(r->recipients.items[k].path, &cur[k].key);
	}
	qsort(cur, n, sizeof *cur, cmp_named);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (!is_copy_name(e->d_name, base, (size_t)(dot - base), ext))
			continue;
		const char *path =
		    arena_printf(r->job->arena, "%.*s%s", (int)(base - output),
		                 output, e->d_name);
		struct named it = {.idx = 0};
		path_key(path, &it.key);
		bool current = bsearch(&it, cur, n, sizeof *cur, cmp_named);
		path_key_free(&it.key);
		if (!current && is_a_copy(path))
			(void)unlink(path); /* best effort, see above */
	}
	closedir(d);
	for (size_t k = 0; k < n; k++)
		path_key_free(&cur[k].key);
	free(cur);
}

/*
 * The outputs, as one transaction: the state file, the depfile, each
 * copy and the PDF are written beside their places and flushed, then
 * all put in place, the PDF last; when any cannot be written, none
 * replaces what was there.
 */
static bool
step_write(struct run *r)
{
	struct job *job = r->job;
	const struct run_options *o = r->o;
	struct fileio_txn txn = {0};
	bool ok = true;
	if (o->dump != NULL) {
		page_dump(&r->pages, stdout);
		return true;
	}
	if (r->state_path != NULL) {
		struct facts old[EDITION_KEEP];
		for (size_t i = 0; i < r->nhistory; i++)
			old[i] = *r->history[i];
		ok = edition_write(job, &txn, &r->facts, r->base, old,
		                   r->nhistory, r->state_path);
	}
	if (ok && o->depfile != NULL)
		ok = inputs_write_depfile(job, &txn, o->depfile, o->output,
		                          &r->inputs);
	if (ok && o->copies != NULL)
		ok = write_copies(r, &txn);
	if (ok) {
		r->pages.drop_ops = true; /* nothing reads them after */
		ok = emit_pdf(job, r->fonts, &r->pages, &txn, o->output);
	}
	if (!ok) {
		fileio_abort(&txn);
		return false;
	}
	ok = fileio_commit(job->diag, &txn);
	if (ok && o->copies != NULL)
		remove_stale_copies(r);
	return ok;
}

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

static void
print_timings(const struct run *r)
{
	const double *t = r->t;
	long peak = peak_kib();
	fprintf(stderr,
	        "timings: load %.1f ms, check %.1f ms, compose %.1f ms, "
	        "typeset %.1f ms, emit %.1f ms; %zu pages, %zu notes",
	        (t[T_LOAD] - t[T_START]) * 1e3, (t[T_CHECK] - t[T_LOAD]) * 1e3,
	        (t[T_COMPOSE] - t[T_CHECK]) * 1e3,
	        (t[T_TYPESET] - t[T_COMPOSE]) * 1e3,
	        (t[T_EMIT] - t[T_TYPESET]) * 1e3, r->pages.n, r->doc.nnotes);
	if (peak > 0)
		fprintf(stderr, "; peak %.1f MB", (double)peak / 1024);
	fputc('\n', stderr);
}

/* The steps from the document tree on: what check stops before. */
static bool
finish(struct run *r)
{
	const struct run_options *o = r->o;
	if (o->dump != NULL && strcmp(o->dump, "doc") == 0) {
		doc_dump(&r->doc, stdout);
		return true;
	}
	if (!o->build) {
		if (!step_glyphs(r))
			return false;
		check_summary(r);
		return true;
	}
	bool ok = step_typeset(r) && step_write(r);
	typeset_pages_free(&r->pages);
	r->t[T_EMIT] = now();
	if (o->timings && r->t[T_TYPESET] > 0)
		print_timings(r);
	return ok;
}

enum run_status
run_pipeline(struct job *job, const struct run_options *o,
             struct inputs *inputs)
{
	struct run r = {.job = job, .o = o, .lock_fd = -1};
	bool ok, done, usage = false;
	r.t[T_START] = now();
	ok = step_load(&r);
	if (!ok) {
		check_rest(&r);
		/* A key that cannot sign is reported with the facts'
		 * mistakes. */
		step_sign(&r);
	}
	collect_inputs(&r);
	ok = ok && step_inputs(&r);
	r.t[T_LOAD] = now();
	if (inputs != NULL)
		*inputs = r.inputs;
	ok = ok && step_outputs(&r, &usage) && step_lock(&r);
	done = ok && up_to_date(&r, &ok);
	if (ok && !done) {
		/* The key only when there is something to sign: an
		 * up-to-date run of a schedule neither reads it nor loads
		 * OpenSSL.  Its problems come with the facts'. */
		bool signs = step_sign(&r);
		ok = step_check(&r) && signs && step_edition(&r) &&
		     step_compose(&r) && finish(&r);
	}
	emit_fonts_close(r.fonts);
	sign_close(r.signer);
	/* The corrected locators, whatever else was wrong. */
	if (o->locator_diff && r.model.read &&
	    !check_fix_diff(job, o->facts, &r.fixes, stdout))
		ok = false;
	free(r.fixes.v);
	if (r.lock_fd >= 0 && r.lock_fd != FILEIO_NO_LOCK)
		close(r.lock_fd);
	return usage ? RUN_USAGE : ok ? RUN_OK : RUN_FAILED;
}
