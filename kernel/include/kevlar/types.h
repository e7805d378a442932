#ifndef KEVLAR_TYPES_H
#define KEVLAR_TYPES_H

/*
 * Basic kernel types and helper macros. Only the compiler's freestanding
 * headers are included, so this works both in the kernel and in host tests.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef uint64_t paddr_t;   /* physical address */
typedef uint64_t vaddr_t;   /* virtual address */

/*
 * Same type as the host libc's ssize_t on LP64, so a host test that also
 * sees <sys/types.h> gets a compatible (allowed) duplicate typedef.
 */
typedef long ssize_t;

#define PAGE_SHIFT      12
#define PAGE_SIZE       4096UL
#define PAGE_MASK       (~(PAGE_SIZE - 1))

/* a must be a power of two */
#define ALIGN_UP(x, a)    (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)  ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)  (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define ARRAY_SIZE(arr)   (sizeof(arr) / sizeof((arr)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define likely(x)    __builtin_expect(!!(x), 1)
#define unlikely(x)  __builtin_expect(!!(x), 0)

#ifndef MIN
#define MIN(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#endif
#ifndef MAX
#define MAX(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#endif

#endif
