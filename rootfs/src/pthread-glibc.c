/* glibc threads: create/join, mutex contention, condition variables, TLS, tids. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS  20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;            /* ping-pong: whose turn, under lock */
static __thread int tls_value;
static pid_t tids[THREADS];

static void *worker(void *arg)
{
	long id = (long)arg;

	tls_value = (int)id + 100;
	tids[id] = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		if (i % 1000 == 0)
			sched_yield();      /* hold the lock across a switch: real contention */
		pthread_mutex_unlock(&lock);
	}
	if (getpid() != (pid_t)syscall(SYS_getpid) || tls_value != (int)id + 100)
		return (void *)1;
	return (void *)(id * 2);
}

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 1)
			pthread_cond_wait(&cond, &lock);
		turn = 0;
		pthread_cond_signal(&cond);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* exec in a process with a second thread: the thread goes, the new program runs. */
static int exec_with_threads(void)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		pthread_create(&t, NULL, sleeper, NULL);
		execl("/bin/true", "true", (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* exit_group from a second thread ends the whole process with its status. */
static void *exiter(void *arg)
{
	(void)arg;
	_exit(5);
}

static int exit_from_thread(void)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		pthread_create(&t, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 5;
}

int main(void)
{
	pthread_t th[THREADS], pong;
	int fail = 0;

	tls_value = 1;
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i) != 0) {
			printf("FAIL pthread_create %ld\n", i);
			return 1;
		}
	for (long i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		if (ret != (void *)(i * 2)) {
			printf("FAIL thread %ld returned %p\n", i, ret);
			fail = 1;
		}
		if (tids[i] == getpid()) {
			printf("FAIL thread %ld has the process's tid\n", i);
			fail = 1;
		}
	}
	if (counter != (long)THREADS * ROUNDS) {
		printf("FAIL counter %ld\n", counter);
		fail = 1;
	}
	if (tls_value != 1) {
		printf("FAIL main's TLS changed\n");
		fail = 1;
	}
	pthread_create(&pong, NULL, ponger, NULL);
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&lock);
		turn = 1;
		pthread_cond_signal(&cond);
		while (turn != 0)
			pthread_cond_wait(&cond, &lock);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(pong, NULL);
	if (!exec_with_threads()) {
		printf("FAIL exec from a threaded process\n");
		fail = 1;
	}
	if (!exit_from_thread()) {
		printf("FAIL _exit in a thread ends the process\n");
		fail = 1;
	}
	printf("pthread: %d threads x %d locked increments = %ld, condvar ping-pong done: %s\n",
	       THREADS, ROUNDS, counter, fail ? "FAIL" : "ok");
	return fail;
}
