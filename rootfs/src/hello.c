/*
 * The first user program: a static musl binary that checks what the kernel
 * handed it at exec -- argv, envp and the auxiliary vector -- and says so.
 *
 * Output: "hello from musl", one "check ..." line per failed check, and a final
 * "hello: N checks, M failed" line. Exit status 0 only when every check passed.
 * It runs the same on Linux, which is how its expectations are validated.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int checks, failed;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		failed++;
		printf("check failed: %s\n", what);
	}
}

int main(int argc, char **argv, char **envp)
{
#ifdef __GLIBC__
	printf("hello from glibc\n");	/* arm64: Debian has no aarch64 musl-gcc */
#else
	printf("hello from musl\n");
#endif

	check(argc >= 1, "argc >= 1");
	check(argv[argc] == NULL, "argv is NULL-terminated");
	check(argv[0] != NULL && argv[0][0] != '\0', "argv[0] is a non-empty string");
	/* envp follows argv's NULL directly on the initial stack. */
	check(envp == argv + argc + 1, "envp follows argv");
	int envc = 0;
	while (envp[envc])
		envc++;
	check(envc < 4096, "envp is NULL-terminated");

	unsigned long pagesz = getauxval(AT_PAGESZ);
	check(pagesz == 4096 || pagesz == 16384 || pagesz == 65536, "AT_PAGESZ is a page size");
	check(getauxval(AT_PHDR) != 0, "AT_PHDR is set");
	check(getauxval(AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT is sizeof(Elf64_Phdr)");
	check(getauxval(AT_PHNUM) > 0, "AT_PHNUM > 0");
	check(getauxval(AT_ENTRY) != 0, "AT_ENTRY is set");
	check(getauxval(AT_RANDOM) != 0, "AT_RANDOM points at 16 bytes");
	check(getauxval(AT_UID) == (unsigned long)getuid(), "AT_UID matches getuid()");
	check(getauxval(AT_GID) == (unsigned long)getgid(), "AT_GID matches getgid()");
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	check(execfn != NULL && execfn[0] == '/', "AT_EXECFN is the exec'd path");

	/* The heap works (brk or mmap, whichever musl's malloc chooses). */
	char *p = malloc(100000);
	check(p != NULL, "malloc(100000)");
	if (p) {
		memset(p, 0x5a, 100000);
		check(p[99999] == 0x5a, "heap memory is writable");
		free(p);
	}

	printf("hello: argc=%d envc=%d pid=%d execfn=%s\n", argc, envc, (int)getpid(),
	       execfn ? execfn : "(null)");
	printf("hello: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
