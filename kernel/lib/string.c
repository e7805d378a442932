/*
 * The C library's memory and string functions, for the kernel.
 * memcpy, memmove and memset move a machine word at a time where source and
 * destination are equally aligned (pipe, tmpfs and page copies are; the
 * bench showed byte loops costing half of arm64's pipe throughput), bytes
 * elsewhere. Only aligned word accesses: arm64 runs some of this with the
 * MMU off, where memory is Device memory and an unaligned access faults.
 */

#include <kevlar/string.h>
#include <uapi/errno.h>

/*
 * GCC may recognise a byte loop as "this is memset" and replace it with a
 * call to memset, which inside memset itself would recurse forever.
 */
#define NO_LIBCALL_PATTERNS __attribute__((optimize("no-tree-loop-distribute-patterns")))

typedef unsigned long __attribute__((may_alias)) word_t;
#define WORD_MASK (sizeof(word_t) - 1)

/* Bytes until d is word-aligned, when s then is too; else n (bytes only). */
static inline size_t head_bytes(const void *d, const void *s, size_t n)
{
	if (((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK)
		return n;
	size_t head = -(uintptr_t)d & WORD_MASK;
	return head < n ? head : n;
}

NO_LIBCALL_PATTERNS
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	size_t head = head_bytes(d, s, n);

	n -= head;
	while (head--)
		*d++ = *s++;
	for (; n > WORD_MASK; n -= sizeof(word_t), d += sizeof(word_t), s += sizeof(word_t))
		*(word_t *)d = *(const word_t *)s;
	while (n--)
		*d++ = *s++;
}

/* From the end down: for a destination that overlaps the source's tail. */
NO_LIBCALL_PATTERNS
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	size_t tail = n;            /* bytes above the last word boundary of d */

	if (!(((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK) && ((uintptr_t)d & WORD_MASK) < n)
		tail = (uintptr_t)d & WORD_MASK;
	n -= tail;
	while (tail--)
		*--d = *--s;
	for (; n > WORD_MASK; n -= sizeof(word_t)) {
		d -= sizeof(word_t);
		s -= sizeof(word_t);
		*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s < n)
		copy_backward(d, s, n);     /* dst overlaps the tail of src */
	else
		copy_forward(d, s, n);
	return dst;
}

NO_LIBCALL_PATTERNS
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = (unsigned char)c * (~(word_t)0 / 0xff);   /* the byte in every lane */
	size_t head = head_bytes(d, d, n);

	n -= head;
	while (head--)
		*d++ = (unsigned char)c;
	for (; n > WORD_MASK; n -= sizeof(word_t), d += sizeof(word_t))
		*(word_t *)d = pattern;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

/* As in C, the terminating NUL counts as part of the string: c may be 0. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)haystack;
	for (; *haystack; haystack++) {
		if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	}
	return NULL;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

int kstrtoul(const char *s, unsigned base, unsigned long *out)
{
	unsigned long value = 0;
	bool any = false;

	if (*s == '+')
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
		} else if (s[0] == '0') {
			base = 8;
		} else {
			base = 10;
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	if (base < 2 || base > 36)
		return -EINVAL;

	for (; *s && *s != '\n'; s++) {
		unsigned d = (unsigned)digit_value(*s);

		if (d >= base)
			return -EINVAL;
		if (value > (~0UL - d) / base)
			return -EINVAL;
		value = value * base + d;
		any = true;
	}
	if (*s == '\n' && s[1] != '\0')
		return -EINVAL;
	if (!any)
		return -EINVAL;
	*out = value;
	return 0;
}
