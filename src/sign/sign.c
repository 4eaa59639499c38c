/*
 * The signer: reads the key and the certificates, and has the OpenSSL
 * half, briefing-sign.so (sign_plugin.h), check them and sign; it is
 * loaded only by a build that signs.  Problems are reported at their
 * files.
 */
#include "sign.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/mem.h"
#include "../job.h"
#include "../page.h"
#include "sign_plugin.h"

#ifndef BRIEFING_PLUGINDIR
#define BRIEFING_PLUGINDIR "/usr/local/lib/briefing"
#endif

struct signer {
	void *so; /* the plugin, from dlopen() */
	const struct sign_plugin *p;
	void *s; /* its signer */
	int64_t when;
};

/* What report() needs: where to say it, and the files' names. */
struct reporting {
	struct diag *diag;
	const char *path[3]; /* by enum sign_file */
};

static void
report(void *ctx, enum sign_file f, bool warning, const char *message)
{
	const struct reporting *r = ctx;
	struct loc at = {r->path[f], 0, 0};
	if (warning)
		diag_warning(r->diag, at, "%s", message);
	else
		diag_error(r->diag, at, "%s", message);
}

/*
 * The plugin: beside the program (a build tree), in lib/briefing of the
 * installation the program is in, or where make install put it.  NULL
 * after reporting when it is in none of them.
 */
static void *
load(struct job *job, const struct sign_plugin **p)
{
	const char *dirs[] = {
	    job->exe_dir,
	    job->exe_dir
	        ? arena_printf(job->arena, "%s/../lib/briefing", job->exe_dir)
	        : NULL,
	    BRIEFING_PLUGINDIR};
	const char *why = "not found";
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (dirs[i] == NULL)
			continue;
		const char *path = arena_printf(job->arena, "%s/%s", dirs[i],
		                                SIGN_PLUGIN_FILE);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		/* A function from dlsym(), as POSIX says to take it. */
		sign_plugin_entry *entry = NULL;
		if (so != NULL)
			*(void **)&entry = dlsym(so, SIGN_PLUGIN_ENTRY);
		*p = entry ? entry() : NULL;
		if (*p != NULL && (*p)->version == SIGN_PLUGIN_VERSION)
			return so;
		why = so ? "it is of another version of briefing"
		         : arena_printf(job->arena, "%s", dlerror());
		if (so != NULL)
			dlclose(so);
		break;
	}
	diag_system(job->diag,
	            "cannot sign: the signing part of briefing (%s, "
	            "beside the program or in %s): %s",
	            SIGN_PLUGIN_FILE, BRIEFING_PLUGINDIR, why);
	return NULL;
}

struct signer *
sign_open(struct job *job, const char *key, const char *cert, const char *chain,
          int64_t when)
{
	struct sign_input in = {.when = when,
	                        .now = (int64_t)time(NULL),
	                        .from_epoch = job->source_date >= 0,
	                        .cert_path = cert,
	                        .report = report};
	struct reporting r = {job->diag, {key, cert, chain}};
	in.ctx = &r;
	char *k = NULL, *c = NULL, *ch = NULL;
	size_t klen = 0, clen = 0, chlen = 0;
	bool ok = fileio_read(job->arena, job->diag, NULL, key, &k, &klen);
	ok &= fileio_read(job->arena, job->diag, NULL, cert, &c, &clen);
	if (chain != NULL)
		ok &= fileio_read(job->arena, job->diag, NULL, chain, &ch,
		                  &chlen);
	struct stat st;
	if (k != NULL && stat(key, &st) == 0 && (st.st_mode & 077) != 0)
		diag_warning(job->diag, (struct loc){key, 0, 0},
		             "the private key can be read by other users (mode "
		             "%04o): anyone who reads it can sign as the desk; "
		             "chmod 600 it",
		             (unsigned)(st.st_mode & 07777));
	struct signer *s = NULL;
	const struct sign_plugin *p = NULL;
	void *so = ok ? load(job, &p) : NULL;
	if (so != NULL) {
		in.key = (const unsigned char *)k;
		in.key_len = klen;
		in.cert = (const unsigned char *)c;
		in.cert_len = clen;
		in.chain = (const unsigned char *)ch;
		in.chain_len = chlen;
		void *ps = p->open(&in);
		if (ps != NULL) {
			s = mem_zalloc(1, sizeof *s);
			*s = (struct signer){so, p, ps, when};
		} else {
			dlclose(so);
		}
	}
	/* The key's bytes were the plugin's alone, and now no one's. */
	for (volatile char *v = k; v != NULL && v < k + klen; v++)
		*v = 0;
	return s;
}

void
sign_close(struct signer *s)
{
	if (s == NULL)
		return;
	s->p->close(s->s);
	dlclose(s->so);
	free(s);
}

int64_t
sign_when(const struct signer *s)
{
	return s->when;
}

size_t
sign_room(const struct signer *s)
{
	return s->p->room(s->s);
}

bool
sign_fill(struct job *job, const struct signer *s, unsigned char *pdf,
          size_t len, size_t range, size_t contents)
{
	const char *why =
	    s->p->fill(s->s, pdf, len, range, PAGE_SIGN_RANGE_WIDTH, contents);
	if (why != NULL)
		diag_system(job->diag, "cannot sign the PDF: %s", why);
	return why == NULL;
}
