/*
 * The task workers (task.h): two threads, started with the first two
 * tasks and stopped when the program exits, taking queued tasks in
 * order.
 */
#include "task.h"

#include <pthread.h>
#include <stdlib.h>

#define WORKERS 2

enum { QUEUED = 1, RUNNING, DONE };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER; /* work or stop */
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;   /* a task ended */
static struct task *head, *tail;
static pthread_t worker[WORKERS];
static int nworkers;
static bool stopping;

/* Runs t, already taken from the queue, with mu held on entry and on
 * return. */
static void
run(struct task *t)
{
	t->state = RUNNING;
	pthread_mutex_unlock(&mu);
	t->fn(t->arg);
	pthread_mutex_lock(&mu);
	t->state = DONE;
	pthread_cond_broadcast(&done);
}

static void *
work(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&mu);
	for (;;) {
		while (head == NULL && !stopping)
			pthread_cond_wait(&queued, &mu);
		if (stopping)
			break;
		struct task *t = head;
		head = t->next;
		if (head == NULL)
			tail = NULL;
		run(t);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* At exit: the workers finish what they run and are joined, so that no
 * thread outlives the program's memory (or shows in leak checks). */
static void
stop(void)
{
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&queued);
	int n = nworkers;
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < n; i++)
		if (!pthread_equal(worker[i], pthread_self()))
			pthread_join(worker[i], NULL);
}

void
task_start(struct task *t, void (*fn)(void *), void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->next = NULL;
	pthread_mutex_lock(&mu);
	t->state = QUEUED;
	if (tail != NULL)
		tail->next = t;
	else
		head = t;
	tail = t;
	/* Without a worker (none could be started), task_wait() runs it. */
	if (nworkers < WORKERS && !stopping &&
	    pthread_create(&worker[nworkers], NULL, work, NULL) == 0) {
		if (nworkers++ == 0)
			(void)atexit(stop);
	}
	pthread_cond_signal(&queued);
	pthread_mutex_unlock(&mu);
}

void
task_wait(struct task *t)
{
	pthread_mutex_lock(&mu);
	if (t->state == 0) { /* never started */
		pthread_mutex_unlock(&mu);
		return;
	}
	if (t->state == QUEUED) {
		/* Not taken: out of the queue, and run here. */
		struct task **p = &head, *prev = NULL;
		while (*p != t) {
			prev = *p;
			p = &(*p)->next;
		}
		*p = t->next;
		if (tail == t)
			tail = prev;
		run(t);
	}
	while (t->state != DONE)
		pthread_cond_wait(&done, &mu);
	pthread_mutex_unlock(&mu);
}
