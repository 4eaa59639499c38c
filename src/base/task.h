/*
 * Work done beside the main thread: the fonts, the hyphenation patterns
 * and the inputs' digest while the fact file loads, the notes while the
 * body is set, the font programs and the edition state while the pages
 * are drawn.  Tasks run on two worker threads that live as long as the
 * program, so a build starts two threads however many tasks it has
 * (starting one costs some 50 us of the main thread's time).
 *
 * A task that no worker has taken yet when task_wait() is called runs
 * on the waiting thread: a task never waits for the workers to be free,
 * so tasks that wait for other tasks cannot deadlock.
 */
#ifndef BRIEFING_TASK_H
#define BRIEFING_TASK_H

#include <stdbool.h>

struct task {
	void (*fn)(void *);
	void *arg;
	struct task *next; /* in the queue */
	int state;         /* 0 until started, then queued, running,
	                    * done (task.c) */
};

/* Queues fn(arg) for a worker; t must stay valid until task_wait(). */
void task_start(struct task *t, void (*fn)(void *), void *arg);
/* Returns once fn(arg) has returned, running it here if no worker had
 * taken it.  Everything fn wrote is then visible to the caller. */
void task_wait(struct task *t);

#endif
