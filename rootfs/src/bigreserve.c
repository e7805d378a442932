/*
 * Large address-space reservations, as Go, the JVM and V8 make them: a
 * 64 GiB PROT_NONE mapping with writable windows, PROT_NONE pages that
 * keep their contents, page-table memory that comes back on munmap
 * (VmPTE in /proc/self/status), fork of a sparse reservation, and the
 * overcommit heuristic of /proc/sys/vm/overcommit_memory = 0 (one
 * committed request larger than RAM fails, a reservation does not), and
 * RLIMIT_AS, which counts every mapping, reservations too.
 * Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

/* A "Vm...:" field of /proc/self/status in kB (name with its colon), or -1. */
static long status_kb(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(name);
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && sscanf(line + n, " %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static long vm_pte_kb(void)
{
	return status_kb("VmPTE:");
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

static void *map(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* RLIMIT_AS set to what is mapped now plus 65 MiB. */
static void address_space_limit(void)
{
	long vm_kb = status_kb("VmSize:");
	struct rlimit old, lim;
	char *a, *b, *brk0;

	if (vm_kb < 0 || getrlimit(RLIMIT_AS, &old)) {
		check(0, "VmSize and RLIMIT_AS readable");
		return;
	}
	lim = (struct rlimit){ .rlim_cur = vm_kb * 1024UL + 65 * MiB, .rlim_max = old.rlim_max };
	check(setrlimit(RLIMIT_AS, &lim) == 0, "RLIMIT_AS lowered to VmSize + 65 MiB");
	a = map(32 * MiB, PROT_READ | PROT_WRITE);
	check(a != MAP_FAILED, "RLIMIT_AS: a 32 MiB mapping fits");
	errno = 0;
	b = map(40 * MiB, PROT_READ | PROT_WRITE);
	check(b == MAP_FAILED && errno == ENOMEM, "RLIMIT_AS: 40 MiB more is ENOMEM");
	errno = 0;
	b = map(40 * MiB, PROT_NONE);
	check(b == MAP_FAILED && errno == ENOMEM, "RLIMIT_AS: a 40 MiB PROT_NONE reservation counts too");
	if (a != MAP_FAILED) {
		check(mmap(a, 32 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == a,
		      "RLIMIT_AS: MAP_FIXED over the 32 MiB replaces it, which does not count twice");
		errno = 0;
		check(mremap(a, 32 * MiB, 72 * MiB, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM,
		      "RLIMIT_AS: mremap growing it to 72 MiB is ENOMEM");
		check(mremap(a, 32 * MiB, 16 * MiB, 0) == a, "RLIMIT_AS: shrinking it to 16 MiB is fine");
		b = mremap(a, 16 * MiB, 48 * MiB, MREMAP_MAYMOVE);
		check(b != MAP_FAILED, "RLIMIT_AS: growing it again to 48 MiB fits");
		a = b != MAP_FAILED ? b : a;
		brk0 = sbrk(0);
		errno = 0;
		check(sbrk(32 * MiB) == (void *)-1 && errno == ENOMEM && sbrk(0) == brk0,
		      "RLIMIT_AS: brk 32 MiB past the limit fails and the break stays");
		munmap(a, b != MAP_FAILED ? 48 * MiB : 16 * MiB);
	}
	check(setrlimit(RLIMIT_AS, &old) == 0, "RLIMIT_AS restored");
	b = map(72 * MiB, PROT_READ | PROT_WRITE);
	check(b != MAP_FAILED, "without the limit 72 MiB maps");
	if (b != MAP_FAILED)
		munmap(b, 72 * MiB);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	reservation();
	overcommit();
	address_space_limit();
	return check_summary("bigreserve");
}
