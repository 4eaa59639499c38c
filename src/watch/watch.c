/*
 * "briefing watch" on Linux inotify.  Editors save by writing in place or
 * by renaming a new file over the old one, so the directories holding the
 * inputs are watched and events are matched by file name.
 */
#define _DEFAULT_SOURCE /* inotify, poll */
#include "watch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

const volatile sig_atomic_t *
watch_interrupted(void)
{
	return &stop;
}

static void
free_paths(char **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
	free(p);
}

/* Watches the directory of every input; returns false on failure. */
static bool
watch_dirs(int fd, char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *dir = strdup(paths[i]);
		if (dir == NULL)
			return false;
		char *slash = strrchr(dir, '/');
		if (slash == NULL)
			strcpy(dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		int wd = inotify_add_watch(fd, dir,
		                           IN_CLOSE_WRITE | IN_MOVED_TO |
		                               IN_CREATE | IN_DELETE);
		free(dir);
		if (wd < 0)
			return false;
	}
	return true;
}

/* Whether an input was written or made at or after t (the coarse
 * clock, the one file times come from). */
static bool
changed_since(char **paths, size_t n, const struct timespec *t)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			continue;
		if (st.st_mtim.tv_sec > t->tv_sec ||
		    (st.st_mtim.tv_sec == t->tv_sec &&
		     st.st_mtim.tv_nsec >= t->tv_nsec))
			return true;
	}
	return false;
}

static bool
is_input(const char *name, char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(paths[i], '/');
		base = base ? base + 1 : paths[i];
		if (strcmp(base, name) == 0)
			return true;
	}
	return false;
}

int
watch_loop(watch_build_fn build, void *ctx)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	size_t n = 0;
	struct timespec since;
	clock_gettime(CLOCK_REALTIME_COARSE, &since);
	char **paths = build(ctx, &n);
	while (!stop) {
		int fd = inotify_init1(IN_CLOEXEC);
		if (fd < 0 || !watch_dirs(fd, paths, n)) {
			fprintf(stderr,
			        "briefing: error: cannot watch the "
			        "inputs: %s\n",
			        strerror(errno));
			if (fd >= 0)
				close(fd);
			free_paths(paths, n);
			return 3;
		}
		/* A save while the build ran, before the inputs were
		 * watched, counts as a change too. */
		bool changed = changed_since(paths, n, &since);
		while (!stop) {
			struct pollfd pfd = {fd, POLLIN, 0};
			/* After a change, wait for 200 ms of quiet. */
			int r = poll(&pfd, 1, changed ? 200 : -1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r == 0 && changed)
				break;
			if (r < 0)
				break;
			char buf[4096] __attribute__((
			    aligned(__alignof__(struct inotify_event))));
			ssize_t len = read(fd, buf, sizeof buf);
			for (char *p = buf; len > 0 && p < buf + len;) {
				struct inotify_event *ev = (void *)p;
				if (ev->len > 0 && is_input(ev->name, paths, n))
					changed = true;
				p += sizeof *ev + ev->len;
			}
		}
		close(fd);
		if (stop)
			break;
		free_paths(paths, n);
		clock_gettime(CLOCK_REALTIME_COARSE, &since);
		paths = build(ctx, &n);
	}
	free_paths(paths, n);
	return 0;
}
