/*
 * Large address-space reservations, as Go, the JVM and V8 make them: a
 * 64 GiB PROT_NONE mapping with writable windows, PROT_NONE pages that
 * keep their contents, page-table memory that comes back on munmap
 * (VmPTE in /proc/self/status), fork of a sparse reservation, and the
 * overcommit heuristic of /proc/sys/vm/overcommit_memory = 0 (one
 * committed request larger than RAM fails, a reservation does not).
 * Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define GiB         (1UL << 30)
#define MiB         (1UL << 20)
#define RESERVE     (64 * GiB)
#define WINDOWS     64              /* one 2 MiB window per GiB */
#define WINDOW      (2 * MiB)

static sigjmp_buf fault_jmp;
static volatile int fault_code;     /* si_code of the last SIGSEGV */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_code = si->si_code;
	siglongjmp(fault_jmp, 1);
}

/* Does reading (or writing) *p fault? */
static int faults(volatile char *p, int write)
{
	if (sigsetjmp(fault_jmp, 1))
		return 1;
	if (write)
		*p = 1;
	else
		(void)*p;
	return 0;
}

/* VmPTE of this process in kB, or -1. */
static long vm_pte_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static char *window(char *base, int i)
{
	return base + (unsigned long)i * GiB + GiB / 2;
}

/*
 * The reservation is taken 1 GiB larger and used from a 1 GiB boundary,
 * so each window fills whole last-level tables: Linux frees a table on
 * munmap only when the unmapped range covers all of it.
 */
static void reservation(void)
{
	char *raw = mmap(NULL, RESERVE + GiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *base = (char *)(((uintptr_t)raw + GiB - 1) & ~(GiB - 1));
	long pte0, pte1, pte2, pte3;
	char what[128];
	int ok = 1;

	check(raw != MAP_FAILED, "a 64 GiB PROT_NONE reservation succeeds");
	if (raw == MAP_FAILED)
		return;
	check(faults(base + 5 * GiB, 0) && fault_code == SEGV_ACCERR,
	      "reading the reservation faults with SEGV_ACCERR (an area, no access)");
	pte0 = vm_pte_kb();
	check(pte0 > 0, "VmPTE is reported");

	for (int i = 0; i < WINDOWS && ok; i++) {
		char *w = window(base, i);

		ok = mprotect(w, WINDOW, PROT_READ | PROT_WRITE) == 0;
		for (unsigned long off = 0; ok && off < WINDOW; off += 64 * 1024)
			w[off] = (char)(i + 1);
	}
	check(ok, "64 windows spread over the reservation become writable and take data");
	ok = 1;
	for (int i = 0; i < WINDOWS; i++)
		ok &= window(base, i)[WINDOW - 64 * 1024] == (char)(i + 1);
	check(ok, "each window keeps its own data");
	check(faults(window(base, 3) + WINDOW, 0) && faults(window(base, 3) - 1, 1),
	      "the reservation around a window still faults");
	pte1 = vm_pte_kb();
	snprintf(what, sizeof(what), "the windows' page tables show in VmPTE (%ld -> %ld kB)",
		 pte0, pte1);
	check(pte1 >= pte0 + WINDOWS * 4, what);

	/* PROT_NONE keeps the contents; the access faults meanwhile. */
	check(mprotect(window(base, 1), WINDOW, PROT_NONE) == 0 && faults(window(base, 1), 0),
	      "a written window made PROT_NONE faults on read");
	check(mprotect(window(base, 1), WINDOW, PROT_READ) == 0 && window(base, 1)[0] == 2 &&
	      faults(window(base, 1), 1), "made readable again it has its data and refuses writes");

	/* fork shares the sparse reservation copy-on-write. */
	pid_t pid = fork();
	if (pid == 0) {
		int good = window(base, 7)[0] == 8;

		window(base, 7)[0] = 99;
		_exit(good && window(base, 7)[0] == 99 ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	check(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a forked child sees the windows and writes its own copy");
	check(window(base, 7)[0] == 8, "the parent's window is unchanged by the child's write");

	/* Unmapping holes gives their page tables back. */
	ok = 1;
	for (int i = 0; i < WINDOWS; i++)
		ok &= munmap(window(base, i), WINDOW) == 0;
	pte2 = vm_pte_kb();
	snprintf(what, sizeof(what), "unmapping the windows frees their page tables (%ld -> %ld kB)",
		 pte1, pte2);
	/* Linux 6.1 keeps one window's table here (552 -> 300 kB): ask for half. */
	check(ok && pte2 <= pte1 - WINDOWS / 2 * 4, what);
	check(faults(window(base, 2), 0) && fault_code == SEGV_MAPERR,
	      "an unmapped window faults with SEGV_MAPERR");
	check(munmap(raw, RESERVE + GiB) == 0, "the whole reservation unmaps");
	pte3 = vm_pte_kb();
	snprintf(what, sizeof(what), "after it all is unmapped VmPTE is back where it started "
		 "(%ld kB, then %ld kB)", pte0, pte3);
	check(pte3 <= pte0 + 8, what);
}

static void overcommit(void)
{
	struct sysinfo si;
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
	int mode = -1;
	unsigned long twice;
	char *p;

	check(f && fscanf(f, "%d", &mode) == 1 && mode == 0, "/proc/sys/vm/overcommit_memory is 0");
	if (f)
		fclose(f);
	check(sysinfo(&si) == 0, "sysinfo");
	twice = 2 * (unsigned long)si.totalram * si.mem_unit;

	errno = 0;
	p = mmap(NULL, twice, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(p == MAP_FAILED && errno == ENOMEM, "a private writable mapping of twice RAM is ENOMEM");
	if (p != MAP_FAILED)
		munmap(p, twice);

	p = mmap(NULL, twice, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	check(p != MAP_FAILED, "with MAP_NORESERVE it succeeds");
	if (p != MAP_FAILED) {
		p[twice / 2] = 1;
		check(p[twice / 2] == 1, "and a page of it works");
		munmap(p, twice);
	}

	p = mmap(NULL, twice, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(p != MAP_FAILED, "a PROT_NONE reservation of twice RAM succeeds");
	if (p != MAP_FAILED) {
		CHECK_ERR(mprotect(p, twice, PROT_READ | PROT_WRITE), ENOMEM,
			  "making all of it writable is ENOMEM");
		check(mprotect(p, twice, PROT_READ) == 0, "making all of it readable is fine");
		check(p[twice - 1] == 0, "and it reads zeros");
		check(mprotect(p + MiB, MiB, PROT_READ | PROT_WRITE) == 0, "a 1 MiB piece becomes writable");
		p[MiB + 5] = 7;
		check(p[MiB + 5] == 7, "and holds data");
		munmap(p, twice);
	}
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	reservation();
	overcommit();
	return check_summary("bigreserve");
}
