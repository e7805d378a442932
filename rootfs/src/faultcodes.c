/*
 * faultcodes: the signal, si_code and si_addr a faulting access gets, as
 * Linux gives them. Both arches: a write to a read-only page (SIGSEGV
 * SEGV_ACCERR), a read of an unmapped page (SEGV_MAPERR). x86_64: an
 * access to a non-canonical address (a general-protection fault: SIGSEGV
 * SI_KERNEL, si_addr 0). arm64: an exclusive load of an unaligned address
 * (an alignment fault no page can mend: SIGBUS BUS_ADRALN at the address,
 * once, not a loop), and a cache clean (DC CVAU, what __clear_cache does)
 * of a read-only page not yet touched, which is a read, not a write.
 * Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

static sigjmp_buf jump;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jump, 1);
}

/* Run fn(arg); the signal it got (0: none), with its code and address. */
static int faults(void (*fn)(void *), void *arg)
{
	got_sig = got_code = 0;
	got_addr = NULL;
	if (sigsetjmp(jump, 1) == 0)
		fn(arg);
	return got_sig;
}

static void write_byte(void *p)
{
	*(volatile char *)p = 1;
}

static void read_byte(void *p)
{
	(void)*(volatile char *)p;
}

#if defined(__aarch64__)
static void exclusive_load(void *p)
{
	uint64_t v;

	__asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
	(void)v;
}

static void cache_clean(void *p)
{
	__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
}
#endif

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
	long pg = sysconf(_SC_PAGESIZE);
	char *ro = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ro == MAP_FAILED || hole == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	munmap(hole, pg);

	check(faults(write_byte, ro + 8) == SIGSEGV && got_code == SEGV_ACCERR &&
	      got_addr == ro + 8, "a write to a read-only page: SIGSEGV SEGV_ACCERR at the address");
	check(faults(read_byte, hole + 16) == SIGSEGV && got_code == SEGV_MAPERR &&
	      got_addr == hole + 16, "a read of an unmapped page: SIGSEGV SEGV_MAPERR at the address");
#if defined(__x86_64__)
	check(faults(read_byte, (void *)0x8000000000000000UL) == SIGSEGV && got_code == SI_KERNEL &&
	      got_addr == NULL, "a non-canonical address: SIGSEGV SI_KERNEL, si_addr 0");
#elif defined(__aarch64__)
	{
		uint64_t *words = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				       -1, 0);
		char *odd = (char *)words + 4;

		words[0] = 1;
		check(faults(exclusive_load, odd) == SIGBUS && got_code == BUS_ADRALN &&
		      got_addr == odd, "an unaligned exclusive load: SIGBUS BUS_ADRALN at the address");
		check(faults(exclusive_load, words) == 0, "an aligned one loads");
		check(faults(cache_clean, ro + pg + 64) == 0,
		      "DC CVAU of an untouched read-only page is no write (no signal)");
		check(faults(read_byte, ro + pg + 64) == 0 && ro[pg + 64] == 0, "and the page reads zeros");
	}
#endif
	return check_summary("faultcodes");
}
