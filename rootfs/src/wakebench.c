/*
 * Wake-up latency with many sleepers (make bench): start SLEEPERS threads
 * that each sleep an hour (an armed timer apiece, none due), then time
 * ROUNDS short sleeps of the main thread. A kernel that rechecks every
 * sleeper each tick pays for the idle thousand on every round; one that
 * keeps timers by expiry does not.
 *
 *   wakebench [SLEEPERS [ROUNDS]]     defaults 1000 and 100
 *
 * Prints the guest's own mean per round, and how long a fixed piece of
 * CPU work takes beside the sleepers (what waking them all each tick
 * would steal); make bench times the whole command from the host, as its
 * other workloads.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile int started;

static void *sleeper(void *arg)
{
	struct timespec hour = { 3600, 0 };

	(void)arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	for (;;)
		nanosleep(&hour, NULL);
	return NULL;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int sleepers = argc > 1 ? atoi(argv[1]) : 1000, rounds = argc > 2 ? atoi(argv[2]) : 100;
	struct timespec ms = { 0, 1000000 }, settle = { 0, 100000000 };
	pthread_attr_t attr;
	long long t0;
	sigset_t all;

	/* The sleepers take no signals: the main thread gets them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	t0 = now_ns();
	for (int i = 0; i < sleepers; i++) {
		pthread_t th;

		if (pthread_create(&th, &attr, sleeper, NULL)) {
			printf("wakebench: only %d threads\n", i);
			return 1;
		}
	}
	sigemptyset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	while (started < sleepers)
		sched_yield();
	printf("wakebench: %d sleepers started in %.0f ms\n", sleepers, (now_ns() - t0) / 1e6);
	nanosleep(&settle, NULL);       /* let the last ones reach their sleep */
	t0 = now_ns();
	for (int i = 0; i < rounds; i++)
		nanosleep(&ms, NULL);
	printf("wakebench: %d sleepers, %d rounds of a 1 ms sleep, %.2f ms each\n", sleepers, rounds,
	       (now_ns() - t0) / 1e6 / rounds);
	t0 = now_ns();
	for (volatile long i = 0; i < 20000000; i++)
		;
	printf("wakebench: %d sleepers, 20M-iteration busy loop %.0f ms\n", sleepers,
	       (now_ns() - t0) / 1e6);
	return 0;
}
