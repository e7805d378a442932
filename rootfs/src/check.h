/*
 * The check helpers our test programs share: one "ok <what>" or
 * "FAIL <what>" line per check (tests/expect greps the FAIL lines), and a
 * summary "<program>: N checks, M failures" as the last line.
 */
#ifndef KEVLAR_TEST_CHECK_H
#define KEVLAR_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int checks, failures;

static void check(int cond, const char *what)
{
	checks++;
	if (!cond)
		failures++;
	printf("%s %s\n", cond ? "ok" : "FAIL", what);
	fflush(stdout);
}

/* The call must fail with errno e; otherwise say what it did. */
#define CHECK_ERR(call, e, what) do { errno = 0; long _r = (call); \
	check(_r == -1 && errno == (e), what); \
	if (!(_r == -1 && errno == (e))) printf("   got %ld errno %d (%s)\n", _r, errno, strerror(errno)); \
} while (0)

/* Print the summary line; the exit status for main. */
static int check_summary(const char *program)
{
	printf("%s: %d checks, %d failures\n", program, checks, failures);
	return failures != 0;
}

#endif
