/* glibc threads: create/join, mutex contention, condition variables, TLS, tids. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
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

/*
 * Signals for the process, not a thread: kill(getpid()) is taken by the one
 * thread that does not block it, and a signal to the process group is taken
 * once, not once per thread (POSIX; Linux).
 */
static volatile sig_atomic_t usr1_count, usr2_count, stop_waiters;
static volatile pid_t usr1_tid, receiver_tid;

static void on_usr(int sig)
{
	if (sig == SIGUSR1) {
		usr1_tid = (pid_t)syscall(SYS_gettid);
		usr1_count++;
	} else {
		usr2_count++;
	}
}

static void *waiter(void *arg)
{
	if (arg) {      /* the receiver: the only thread taking SIGUSR1 */
		sigset_t s;

		sigemptyset(&s);
		sigaddset(&s, SIGUSR1);
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);
		receiver_tid = (pid_t)syscall(SYS_gettid);
	}
	while (!stop_waiters)
		usleep(1000);
	return NULL;
}

static void wait_for(volatile sig_atomic_t *count)
{
	for (int i = 0; i < 5000 && !*count; i++)
		usleep(1000);
	usleep(100000);     /* time for any wrong second delivery */
}

static int process_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr };
	sigset_t s, old;
	pthread_t th[3];
	int fail = 0;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, &old);   /* inherited by the threads below */
	for (long i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, waiter, (void *)(long)(i == 2));
	while (!receiver_tid)
		usleep(1000);
	kill(getpid(), SIGUSR1);
	wait_for(&usr1_count);
	if (usr1_count != 1 || usr1_tid != receiver_tid) {
		printf("FAIL kill(getpid(), SIGUSR1) with one thread not blocking it: taken %d "
		       "times, by tid %d, not the receiver %d\n", (int)usr1_count, (int)usr1_tid,
		       (int)receiver_tid);
		fail = 1;
	}
	setpgid(0, 0);      /* a group of our own: kill(0) must reach no one else */
	kill(0, SIGUSR2);
	wait_for(&usr2_count);
	if (usr2_count != 1) {
		printf("FAIL kill(0, SIGUSR2) to a process of 4 threads taken %d times, not once\n",
		       (int)usr2_count);
		fail = 1;
	}
	stop_waiters = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return !fail;
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
	if (!process_signals())
		fail = 1;
	printf("pthread: %d threads x %d locked increments = %ld, condvar ping-pong done: %s\n",
	       THREADS, ROUNDS, counter, fail ? "FAIL" : "ok");
	return fail;
}
