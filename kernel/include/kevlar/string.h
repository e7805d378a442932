#ifndef KEVLAR_STRING_H
#define KEVLAR_STRING_H

/*
 * Memory and string helpers (kernel/lib/string.c). Semantics are those of
 * the C library functions of the same names. GCC may emit calls to
 * memcpy/memmove/memset/memcmp on its own even with -ffreestanding, so
 * these four must always exist.
 *
 * Host unit tests use the host C library for the standard names, so only
 * the kernel-specific functions are declared here in that build.
 */

#include <kevlar/types.h>

#ifdef KEVLAR_HOST_TEST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
#endif

/*
 * Copy src into dst (of size bytes), always NUL-terminating when size > 0.
 * Returns strlen(src); a result >= size means the copy was truncated.
 */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parse the whole of s as an unsigned number. base 0 auto-detects
 * "0x"/"0X" (16), leading "0" (8), otherwise 10; base 16 accepts an
 * optional "0x" prefix. One trailing '\n' is allowed (sysfs-style input).
 * Returns 0 and stores *out, or -EINVAL for empty input, junk characters,
 * a bad base, or overflow (*out is untouched on error).
 */
int kstrtoul(const char *s, unsigned base, unsigned long *out);

#endif
