/*
 * Timed waits against the right clock: pthread_cond_timedwait, absolute
 * sleeps on CLOCK_REALTIME across clock_settime (forward: the sleeper
 * wakes at once; back: it keeps sleeping), relative sleeps that setting
 * the clock does not move, absolute MONOTONIC/BOOTTIME/TAI sleeps, the
 * remaining time of an interrupted relative sleep, huge timeouts that only
 * a signal ends (nanosleep, clock_nanosleep, ppoll, poll, select, pselect6,
 * futex, rt_sigtimedwait), and the EINVAL/EOPNOTSUPP cases Linux 6.1
 * gives. Runs as root (clock_settime); the wall clock is put back after
 * every change.
 *
 * Timing on a loaded emulator: "not before the deadline" is checked
 * strictly, "not absurdly late" loosely (seconds).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* linux/futex.h, which musl's headers do not carry. */
#define FUTEX_WAIT              0
#define FUTEX_WAIT_BITSET       9
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_BITSET_MATCH_ANY  0xffffffffu

#define MS      1000000LL               /* ns */
#define SEC     1000000000LL
#define LATE    (15 * SEC)              /* "absurdly late" on a loaded emulator */
#define HUGE_TS { INT64_MAX, 999999999 }

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
	return (struct timespec){ .tv_sec = ns / SEC, .tv_nsec = ns % SEC };
}

/* SIGALRM in ms milliseconds, through setitimer (so ITIMER_REAL is exercised too). */
static void alarm_in_ms(long ms)
{
	struct itimerval it = { .it_value = { ms / 1000, ms % 1000 * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * The wall clock, saved and put back: restore sets it to what it would
 * read had nobody touched it (saved + monotonic time since).
 */
static int64_t saved_real, saved_mono;

static void save_clock(void)
{
	saved_mono = now_ns(CLOCK_MONOTONIC);
	saved_real = now_ns(CLOCK_REALTIME);
}

static int set_real(int64_t ns)
{
	struct timespec ts = ts_of(ns);

	return clock_settime(CLOCK_REALTIME, &ts);
}

static void restore_clock(void)
{
	set_real(saved_real + (now_ns(CLOCK_MONOTONIC) - saved_mono));
}

/* Thread tid's state letter from /proc (R, S, ...), or '?'. */
static char thread_state(pid_t tid)
{
	char path[64], buf[256], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Wait (up to 10 s) until tid sleeps; true if it does. */
static bool wait_asleep(pid_t tid)
{
	for (int i = 0; i < 1000; i++) {
		struct timespec t = { 0, 10 * MS };

		if (thread_state(tid) == 'S')
			return true;
		nanosleep(&t, NULL);
	}
	return false;
}

/* Poll *flag (up to limit ns) until it is set; true if it was. */
static bool wait_flag(volatile int *flag, int64_t limit)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + limit;

	while (now_ns(CLOCK_MONOTONIC) < end) {
		struct timespec t = { 0, 10 * MS };

		if (*flag)
			return true;
		nanosleep(&t, NULL);
	}
	return *flag;
}

/* --- a sleeper thread: one timed wait, its result and when it ended ------- */

enum wait_kind { SLEEP_ABS_REALTIME, SLEEP_REL_REALTIME, FUTEX_ABS_REALTIME };

struct sleeper {
	enum wait_kind kind;
	int64_t arg;                    /* deadline or duration, ns */
	pid_t tid;
	volatile int started, done;
	long ret;                       /* clock_nanosleep's value, or futex's errno */
	int64_t end_mono, end_real;
	uint32_t word;
};

static void *sleeper_main(void *p)
{
	struct sleeper *s = p;
	struct timespec ts = ts_of(s->arg);

	s->tid = (pid_t)syscall(SYS_gettid);
	s->started = 1;
	switch (s->kind) {
	case SLEEP_ABS_REALTIME:
		s->ret = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
		break;
	case SLEEP_REL_REALTIME:
		s->ret = clock_nanosleep(CLOCK_REALTIME, 0, &ts, NULL);
		break;
	case FUTEX_ABS_REALTIME:
		s->ret = syscall(SYS_futex, &s->word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0,
				 &ts, NULL, FUTEX_BITSET_MATCH_ANY) ? errno : 0;
		break;
	}
	s->end_mono = now_ns(CLOCK_MONOTONIC);
	s->end_real = now_ns(CLOCK_REALTIME);
	s->done = 1;
	return NULL;
}

static pthread_t start_sleeper(struct sleeper *s)
{
	pthread_t th;

	pthread_create(&th, NULL, sleeper_main, s);
	while (!s->started)
		sched_yield();
	return th;
}

/* --- the checks ------------------------------------------------------------ */

static void cond_timedwait_times_out_on_time(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;    /* CLOCK_REALTIME */
	int64_t deadline = now_ns(CLOCK_REALTIME) + 300 * MS, start = now_ns(CLOCK_MONOTONIC);
	struct timespec ts = ts_of(deadline);
	int r;

	pthread_mutex_lock(&m);
	do
		r = pthread_cond_timedwait(&c, &m, &ts);
	while (r == 0);         /* spurious wake-ups are allowed */
	pthread_mutex_unlock(&m);
	check(r == ETIMEDOUT, "pthread_cond_timedwait (CLOCK_REALTIME) returns ETIMEDOUT");
	check(now_ns(CLOCK_REALTIME) >= deadline, "pthread_cond_timedwait: not before the deadline");
	check(now_ns(CLOCK_MONOTONIC) - start < LATE, "pthread_cond_timedwait: not absurdly late");
}

static void cond_timedwait_monotonic_condvar(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_condattr_t a;
	pthread_cond_t c;
	int64_t deadline = now_ns(CLOCK_MONOTONIC) + 200 * MS;
	struct timespec ts = ts_of(deadline);
	int r;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&c, &a);
	pthread_mutex_lock(&m);
	do
		r = pthread_cond_timedwait(&c, &m, &ts);
	while (r == 0);
	pthread_mutex_unlock(&m);
	check(r == ETIMEDOUT && now_ns(CLOCK_MONOTONIC) >= deadline &&
	      now_ns(CLOCK_MONOTONIC) - deadline < LATE,
	      "pthread_cond_timedwait (CLOCK_MONOTONIC condvar) times out on time");
}

/* Setting the wall clock past an absolute REALTIME deadline ends the wait at once. */
static void realtime_deadline_follows_clock_forward(enum wait_kind kind, const char *what)
{
	struct sleeper s = { .kind = kind };
	pthread_t th;
	char msg[160];
	int64_t set_at;
	bool woke;

	save_clock();
	s.arg = saved_real + 300 * SEC;         /* far: only the clock change can end it soon */
	th = start_sleeper(&s);
	snprintf(msg, sizeof(msg), "%s: the sleeper sleeps", what);
	check(wait_asleep(s.tid) && !s.done, msg);
	set_at = now_ns(CLOCK_MONOTONIC);
	snprintf(msg, sizeof(msg), "%s: clock_settime forward past the deadline", what);
	check(set_real(now_ns(CLOCK_REALTIME) + 600 * SEC) == 0, msg);
	woke = wait_flag(&s.done, 20 * SEC);
	restore_clock();
	snprintf(msg, sizeof(msg), "%s: the sleeper wakes promptly", what);
	check(woke && s.end_mono - set_at < 20 * SEC, msg);
	if (woke) {
		pthread_join(th, NULL);
		snprintf(msg, sizeof(msg), "%s: it returns timed out, at wall time >= deadline", what);
		check((kind == FUTEX_ABS_REALTIME ? s.ret == ETIMEDOUT : s.ret == 0) &&
		      s.end_real >= s.arg, msg);
	} else {
		printf("   still asleep: ret %ld\n", s.ret);
	}
}

/* Setting it back keeps the sleeper asleep past its deadline's monotonic equivalent. */
static void realtime_deadline_follows_clock_back(void)
{
	struct sleeper s = { .kind = SLEEP_ABS_REALTIME };
	struct timespec t = { 2, 0 };
	pthread_t th;
	bool woke;

	save_clock();
	s.arg = saved_real + 1 * SEC;
	th = start_sleeper(&s);
	check(set_real(saved_real - 3600 * SEC) == 0, "clock_settime back an hour");
	nanosleep(&t, NULL);            /* the deadline's monotonic equivalent passes */
	check(!s.done, "absolute REALTIME sleep: still asleep after the clock went back");
	restore_clock();
	woke = wait_flag(&s.done, 20 * SEC);
	check(woke && s.ret == 0 && s.end_real >= s.arg,
	      "absolute REALTIME sleep: wakes once the clock is put forward again");
	if (woke)
		pthread_join(th, NULL);
}

/* A relative sleep is a duration: setting the clock forward does not shorten it. */
static void relative_sleep_ignores_clock(void)
{
	struct sleeper s = { .kind = SLEEP_REL_REALTIME, .arg = 1500 * MS };
	int64_t start = now_ns(CLOCK_MONOTONIC);
	pthread_t th;

	save_clock();
	th = start_sleeper(&s);
	wait_asleep(s.tid);
	check(set_real(now_ns(CLOCK_REALTIME) + 3600 * SEC) == 0, "clock_settime forward an hour");
	pthread_join(th, NULL);
	restore_clock();
	check(s.ret == 0 && s.end_mono - start >= 1500 * MS && s.end_mono - start < LATE,
	      "relative clock_nanosleep(CLOCK_REALTIME) lasts its duration across clock_settime");
}

static void absolute_sleep_on(clockid_t c, const char *name)
{
	int64_t deadline = now_ns(c) + 200 * MS;
	struct timespec ts = ts_of(deadline);
	char msg[128];
	int r;

	alarm_in_ms(LATE / MS);         /* a backstop: a sleep on the wrong clock fails, not hangs */
	r = clock_nanosleep(c, TIMER_ABSTIME, &ts, NULL);
	alarm_in_ms(0);
	snprintf(msg, sizeof(msg), "clock_nanosleep(%s, TIMER_ABSTIME): 0, not before, not absurdly late",
		 name);
	check(r == 0 && now_ns(c) >= deadline && now_ns(c) - deadline < LATE, msg);
}

static void past_absolute_returns_at_once(void)
{
	struct timespec past = { 1, 0 };
	int64_t start = now_ns(CLOCK_MONOTONIC);

	check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL) == 0 &&
	      clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL) == 0 &&
	      now_ns(CLOCK_MONOTONIC) - start < 2 * SEC,
	      "absolute sleeps until a past time return at once");
}

static void relative_sleep_remaining(void)
{
	struct timespec req = { 5, 0 }, rem = { -1, -1 };
	int64_t start = now_ns(CLOCK_MONOTONIC), left;
	int r;

	alarms = 0;
	alarm_in_ms(300);
	r = nanosleep(&req, &rem);
	left = (int64_t)rem.tv_sec * SEC + rem.tv_nsec;
	check(r == -1 && errno == EINTR && alarms == 1, "nanosleep interrupted by SIGALRM: EINTR");
	check(now_ns(CLOCK_MONOTONIC) - start >= 250 * MS, "nanosleep: not ended before the signal");
	check(left > 0 && left <= 5 * SEC - 250 * MS && rem.tv_nsec >= 0 && rem.tv_nsec < SEC,
	      "nanosleep: remaining time written (under 5 s less the time slept)");
	printf("   remaining %ld.%09ld\n", (long)rem.tv_sec, (long)rem.tv_nsec);

	rem = (struct timespec){ -1, -1 };
	alarm_in_ms(300);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	left = (int64_t)rem.tv_sec * SEC + rem.tv_nsec;
	check(r == EINTR && left > 0 && left <= 5 * SEC - 250 * MS,
	      "clock_nanosleep relative, interrupted: EINTR and the remaining time");
	rem = (struct timespec){ 7, 7 };
	alarm_in_ms(300);
	req = ts_of(now_ns(CLOCK_MONOTONIC) + 5 * SEC);
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, &rem);
	check(r == EINTR && rem.tv_sec == 7 && rem.tv_nsec == 7,
	      "clock_nanosleep absolute, interrupted: EINTR, remaining left alone");
}

/* Each of these must sleep until SIGALRM ends it: not at once, not forever. */
static void huge_timeout(const char *what, long (*wait)(void))
{
	int64_t start = now_ns(CLOCK_MONOTONIC);
	char msg[160];
	long r;

	alarms = 0;
	alarm_in_ms(300);
	errno = 0;
	r = wait();
	snprintf(msg, sizeof(msg), "%s with a huge timeout: EINTR by the signal, not at once", what);
	check(r == -EINTR && alarms == 1 && now_ns(CLOCK_MONOTONIC) - start >= 250 * MS, msg);
	if (r != -EINTR)
		printf("   got %ld, %d alarms, after %lld ms\n", r, (int)alarms,
		       (long long)((now_ns(CLOCK_MONOTONIC) - start) / MS));
	alarm_in_ms(0);
}

/* Results as -errno (or the value), whatever the call's convention. */
static long neg(long r) { return r == -1 ? -errno : r; }

static long huge_nanosleep(void)
{
	struct timespec t = HUGE_TS;
	return neg(nanosleep(&t, &t));
}

static long huge_clock_nanosleep_abs(void)
{
	struct timespec t = HUGE_TS;
	return -clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &t, NULL);
}

static long huge_clock_nanosleep_boottime(void)
{
	struct timespec t = HUGE_TS;
	return -clock_nanosleep(CLOCK_BOOTTIME, 0, &t, NULL);
}

static long huge_ppoll(void)
{
	struct timespec t = HUGE_TS;
	return neg(ppoll(NULL, 0, &t, NULL));
}

static long huge_poll(void)
{
	int p[2];
	long r;

	if (pipe(p))
		return -999;
	r = neg(poll(&(struct pollfd){ .fd = p[0], .events = POLLIN }, 1, INT_MAX));
	close(p[0]);
	close(p[1]);
	return r;
}

static long huge_select(void)
{
	struct timeval tv = { INT64_MAX, 999999 };
	return neg(select(0, NULL, NULL, NULL, &tv));
}

static long huge_pselect(void)
{
	struct timespec t = HUGE_TS;
	return neg(pselect(0, NULL, NULL, NULL, &t, NULL));
}

static uint32_t futex_word;

static long huge_futex_relative(void)
{
	struct timespec t = HUGE_TS;
	return neg(syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, &t, NULL, 0));
}

static long huge_futex_realtime_abs(void)
{
	struct timespec t = HUGE_TS;
	return neg(syscall(SYS_futex, &futex_word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &t,
			   NULL, FUTEX_BITSET_MATCH_ANY));
}

/* The system call itself: musl's sigtimedwait retries on EINTR. */
static long raw_sigtimedwait(const sigset_t *set, const struct timespec *t)
{
	return syscall(SYS_rt_sigtimedwait, set, NULL, t, 8);
}

static long huge_sigtimedwait(void)
{
	struct timespec t = HUGE_TS;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	return neg(raw_sigtimedwait(&set, &t));
}

static void invalid_timeouts(void)
{
	struct timespec bad_nsec = { 0, 1000000000 }, neg_nsec = { 0, -1 }, neg_sec = { -1, 0 };
	struct timespec ok = { 0, 1 }, huge = HUGE_TS;
	struct timeval neg_tv = { -1, 0 };
	struct itimerval bad_it = { .it_value = { 0, 1000000 } };
	sigset_t set;
	uint32_t w = 0;

	CHECK_ERR(nanosleep(&bad_nsec, NULL), EINVAL, "nanosleep tv_nsec = 1e9: EINVAL");
	CHECK_ERR(nanosleep(&neg_nsec, NULL), EINVAL, "nanosleep tv_nsec < 0: EINVAL");
	CHECK_ERR(nanosleep(&neg_sec, NULL), EINVAL, "nanosleep tv_sec < 0: EINVAL");
	check(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad_nsec, NULL) == EINVAL,
	      "clock_nanosleep tv_nsec = 1e9: EINVAL");
	check(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &neg_sec, NULL) == EINVAL,
	      "clock_nanosleep absolute tv_sec < 0: EINVAL");
	check(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ok, NULL) == EINVAL,
	      "clock_nanosleep(CLOCK_THREAD_CPUTIME_ID): EINVAL (the C library's answer)");
	/* The kernel's own answers, under the C library (Linux 6.1). */
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ok, NULL), EOPNOTSUPP,
		  "raw clock_nanosleep(CLOCK_THREAD_CPUTIME_ID): EOPNOTSUPP");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &ok, NULL), EOPNOTSUPP,
		  "raw clock_nanosleep(CLOCK_MONOTONIC_RAW): EOPNOTSUPP");
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_REALTIME_COARSE, 0, &ok, NULL), EOPNOTSUPP,
		  "raw clock_nanosleep(CLOCK_REALTIME_COARSE): EOPNOTSUPP");
	CHECK_ERR(syscall(SYS_clock_nanosleep, 12, 0, &ok, NULL), EINVAL,
		  "raw clock_nanosleep(clock 12): EINVAL");
	CHECK_ERR(syscall(SYS_clock_nanosleep, -1, 0, &ok, NULL), EINVAL,
		  "raw clock_nanosleep(clock -1): EINVAL");
	CHECK_ERR(ppoll(NULL, 0, &neg_sec, NULL), EINVAL, "ppoll tv_sec < 0: EINVAL");
	CHECK_ERR(ppoll(NULL, 0, &bad_nsec, NULL), EINVAL, "ppoll tv_nsec = 1e9: EINVAL");
	CHECK_ERR(pselect(0, NULL, NULL, NULL, &neg_sec, NULL), EINVAL, "pselect tv_sec < 0: EINVAL");
	CHECK_ERR(select(0, NULL, NULL, NULL, &neg_tv), EINVAL, "select tv_sec < 0: EINVAL");
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_WAIT, 0, &neg_sec, NULL, 0), EINVAL,
		  "futex WAIT tv_sec < 0: EINVAL");
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &bad_nsec, NULL,
			  FUTEX_BITSET_MATCH_ANY), EINVAL, "futex WAIT_BITSET tv_nsec = 1e9: EINVAL");
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &ok, NULL, 0), ENOSYS,
		  "futex WAIT with FUTEX_CLOCK_REALTIME: ENOSYS");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_ERR(raw_sigtimedwait(&set, &neg_sec), EINVAL, "sigtimedwait tv_sec < 0: EINVAL");
	CHECK_ERR(raw_sigtimedwait(&set, &bad_nsec), EINVAL, "sigtimedwait tv_nsec = 1e9: EINVAL");
	CHECK_ERR(setitimer(ITIMER_REAL, &bad_it, NULL), EINVAL, "setitimer tv_usec = 1e6: EINVAL");
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &huge), EINVAL,
		  "clock_settime past what the clock can hold: EINVAL");
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &bad_nsec), EINVAL, "clock_settime tv_nsec = 1e9: EINVAL");
}

static void zero_timeouts_return_at_once(void)
{
	struct timespec zero = { 0, 0 };
	struct timeval zero_tv = { 0, 0 };
	int64_t start = now_ns(CLOCK_MONOTONIC);
	sigset_t set;
	uint32_t w = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	check(ppoll(NULL, 0, &zero, NULL) == 0 && select(0, NULL, NULL, NULL, &zero_tv) == 0 &&
	      poll(NULL, 0, 0) == 0, "zero ppoll/select/poll timeouts: 0");
	CHECK_ERR(raw_sigtimedwait(&set, &zero), EAGAIN, "zero sigtimedwait timeout: EAGAIN");
	CHECK_ERR(syscall(SYS_futex, &w, FUTEX_WAIT, 0, &zero, NULL, 0), ETIMEDOUT,
		  "zero futex timeout: ETIMEDOUT");
	check(now_ns(CLOCK_MONOTONIC) - start < 2 * SEC, "zero timeouts do not wait");
}

static void more_clocks(void)
{
	struct timespec ts;

	check(clock_gettime(CLOCK_TAI, &ts) == 0 && clock_getres(CLOCK_TAI, &ts) == 0,
	      "clock_gettime/getres(CLOCK_TAI)");
	absolute_sleep_on(CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	absolute_sleep_on(CLOCK_BOOTTIME, "CLOCK_BOOTTIME");
	absolute_sleep_on(CLOCK_REALTIME, "CLOCK_REALTIME");
	absolute_sleep_on(CLOCK_TAI, "CLOCK_TAI");
	absolute_sleep_on(CLOCK_BOOTTIME_ALARM, "CLOCK_BOOTTIME_ALARM");
	absolute_sleep_on(CLOCK_REALTIME_ALARM, "CLOCK_REALTIME_ALARM");
	/* A CPU time already reached: at once (glibc passes its own id for this clock). */
	ts = (struct timespec){ 0, 1 };
	check(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &ts, NULL) == 0,
	      "clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME) to a passed time: 0");
}

/*
 * A kernel where a wait ignores its signal or timeout would hang us: a
 * child kills us after WATCHDOG_S seconds (its own relative sleep, which
 * no clock_settime here moves), so the failure is reported and the shell
 * gets its prompt back.
 */
#define WATCHDOG_S 90

static pid_t start_watchdog(void)
{
	pid_t parent = getpid(), dog = fork();

	if (dog == 0) {
		struct timespec t = { WATCHDOG_S, 0 };

		while (nanosleep(&t, &t))
			;
		printf("FAIL timewait still running after %d s: killed by its watchdog\n", WATCHDOG_S);
		kill(parent, SIGKILL);
		_exit(1);
	}
	return dog;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };     /* no SA_RESTART */
	pid_t dog;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dog = start_watchdog();
	sigaction(SIGALRM, &sa, NULL);

	cond_timedwait_times_out_on_time();
	cond_timedwait_monotonic_condvar();
	more_clocks();
	past_absolute_returns_at_once();
	relative_sleep_remaining();
	zero_timeouts_return_at_once();
	invalid_timeouts();

	huge_timeout("nanosleep", huge_nanosleep);
	huge_timeout("clock_nanosleep(REALTIME, TIMER_ABSTIME)", huge_clock_nanosleep_abs);
	huge_timeout("clock_nanosleep(BOOTTIME) relative", huge_clock_nanosleep_boottime);
	huge_timeout("ppoll", huge_ppoll);
	huge_timeout("poll INT_MAX ms", huge_poll);
	huge_timeout("select", huge_select);
	huge_timeout("pselect", huge_pselect);
	huge_timeout("futex WAIT", huge_futex_relative);
	huge_timeout("futex WAIT_BITSET|CLOCK_REALTIME", huge_futex_realtime_abs);
	huge_timeout("sigtimedwait", huge_sigtimedwait);

	realtime_deadline_follows_clock_forward(SLEEP_ABS_REALTIME,
						"clock_nanosleep(REALTIME, TIMER_ABSTIME)");
	realtime_deadline_follows_clock_forward(FUTEX_ABS_REALTIME,
						"futex WAIT_BITSET|CLOCK_REALTIME");
	realtime_deadline_follows_clock_back();
	relative_sleep_ignores_clock();

	ret = check_summary("timewait");
	kill(dog, SIGKILL);
	waitpid(dog, NULL, 0);
	return ret;
}
