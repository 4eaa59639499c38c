/*
 * The task workers: every task runs once and its results are seen by the
 * waiter, whether a worker or the waiting thread ran it; tasks that wait
 * for other tasks finish even when both workers are busy.
 */
#include "unit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "../../src/base/task.h"

struct count {
	int value;
	atomic_int runs;
	pthread_t ran_on;
};

static void
add(void *arg)
{
	struct count *c = arg;
	c->value += 1000;
	atomic_fetch_add(&c->runs, 1);
	c->ran_on = pthread_self();
}

static void
test_every_task_runs_once_and_its_result_is_seen(void **state)
{
	(void)state;
	enum { N = 50 };
	struct task t[N];
	struct count c[N];
	memset(c, 0, sizeof c);
	for (int i = 0; i < N; i++)
		task_start(&t[i], add, &c[i]);
	for (int i = N - 1; i >= 0; i--) {
		task_wait(&t[i]);
		assert_int_equal(c[i].value, 1000);
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(atomic_load(&c[i].runs), 1);
}

/* Holds a worker until *release is set. */
static void
hold(void *arg)
{
	atomic_int *release = arg;
	struct timespec ms = {0, 1000000};
	while (!atomic_load(release))
		nanosleep(&ms, NULL);
}

static void
test_a_task_no_worker_took_runs_on_the_waiting_thread(void **state)
{
	(void)state;
	atomic_int release = 0;
	struct task busy[2], t;
	struct count c;
	memset(&c, 0, sizeof c);
	task_start(&busy[0], hold, &release);
	task_start(&busy[1], hold, &release);
	/* The two workers take the held tasks first (the queue is in
	 * order), so t is still queued when it is waited for. */
	task_start(&t, add, &c);
	task_wait(&t);
	assert_int_equal(c.value, 1000);
	assert_true(pthread_equal(c.ran_on, pthread_self()));
	atomic_store(&release, 1);
	task_wait(&busy[0]);
	task_wait(&busy[1]);
	assert_int_equal(atomic_load(&c.runs), 1);
}

/* A task that starts two more and waits for them. */
struct nest {
	struct task inner[2];
	struct count c[2];
};

static void
nested(void *arg)
{
	struct nest *n = arg;
	task_start(&n->inner[0], add, &n->c[0]);
	task_start(&n->inner[1], add, &n->c[1]);
	task_wait(&n->inner[1]);
	task_wait(&n->inner[0]);
}

static void
test_tasks_that_wait_for_tasks_do_not_deadlock(void **state)
{
	(void)state;
	enum { N = 6 };
	struct task outer[N];
	struct nest n[N];
	memset(n, 0, sizeof n);
	for (int i = 0; i < N; i++)
		task_start(&outer[i], nested, &n[i]);
	for (int i = 0; i < N; i++) {
		task_wait(&outer[i]);
		assert_int_equal(n[i].c[0].value + n[i].c[1].value, 2000);
	}
}

static void
test_waiting_for_a_task_never_started_returns(void **state)
{
	(void)state;
	struct task t = {0};
	task_wait(&t);
}

int
run_task_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_task_runs_once_and_its_result_is_seen),
	    cmocka_unit_test(
	        test_a_task_no_worker_took_runs_on_the_waiting_thread),
	    cmocka_unit_test(test_tasks_that_wait_for_tasks_do_not_deadlock),
	    cmocka_unit_test(test_waiting_for_a_task_never_started_returns),
	};
	return cmocka_run_group_tests_name("task", tests, NULL, NULL);
}
