/*
 * memhog MODE: take memory until the kernel's OOM killer ends us. MODE
 * "anon" touches private anonymous memory (malloc'd chunks), "shared"
 * shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS, which Linux keeps
 * as shmem). The expected end is SIGKILL (the shell's status 137); a
 * refused allocation or a cap of 64 GiB ends it with exit status 3 or 4
 * instead, which tests/expect/test_oom.py reports as a failure. Prints
 * its pid first, so the test can match the kernel's "Killed process N".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK   (4UL << 20)
#define CAP     (64UL << 30)

int main(int argc, char **argv)
{
	int shared = argc > 1 && strcmp(argv[1], "shared") == 0;
	unsigned long taken = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (argc != 2 || (!shared && strcmp(argv[1], "anon") != 0)) {
		fprintf(stderr, "usage: memhog anon|shared\n");
		return 2;
	}
	printf("memhog: pid %d\n", (int)getpid());
	fflush(stdout);
	while (taken < CAP) {
		char *p = shared ? mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0) : malloc(CHUNK);

		if (!p || p == MAP_FAILED) {
			printf("memhog: allocation refused after %lu MiB\n", taken >> 20);
			return 3;
		}
		for (unsigned long off = 0; off < CHUNK; off += (unsigned long)page)
			p[off] = 1;     /* a page the kernel must really give */
		taken += CHUNK;
	}
	printf("memhog: %lu MiB taken and still alive\n", taken >> 20);
	return 4;
}
