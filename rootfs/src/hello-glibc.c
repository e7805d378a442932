/* A dynamically linked glibc program (PIE, PT_INTERP): proves exec loads ld.so. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *heap = malloc(100000);

	(void)argc;
	strcpy(heap, "heap");
	printf("hello from glibc: %s pid=%d AT_BASE=%s AT_PAGESZ=%lu %s\n", argv[0], getpid(),
	       getauxval(AT_BASE) ? "set" : "zero", getauxval(AT_PAGESZ), heap);
	free(heap);
	return 0;
}
