/*
 * "briefing watch": waits for any of a build's inputs to change and calls
 * back to rebuild, debounced.  Used by main.c only.
 */
#ifndef BRIEFING_WATCH_H
#define BRIEFING_WATCH_H

#include <signal.h>
#include <stddef.h>

/*
 * Rebuilds, then returns the inputs to watch next (malloc'd array of
 * malloc'd paths, *n set); NULL with *n = 0 when the build could not say.
 */
typedef char **(*watch_build_fn)(void *ctx, size_t *n);

/*
 * Calls build once, then again each time a watched file is written,
 * replaced or created, after 200 ms without further changes.  Returns 0
 * when stopped by SIGINT or SIGTERM, 3 when the system refuses to watch.
 */
int watch_loop(watch_build_fn build, void *ctx);
/*
 * The flag SIGINT and SIGTERM set while watch_loop() runs, for a build to
 * stop waiting (for another run's lock) as soon as it is set.
 */
const volatile sig_atomic_t *watch_interrupted(void);

#endif
