#ifndef KEVLAR_UACCESS_H
#define KEVLAR_UACCESS_H

/*
 * The only door to user memory. User pointers are hostile: a range that
 * reaches into the kernel half is refused up front and a fault inside the
 * copy becomes -EFAULT through the exception table.
 */

#include <kevlar/types.h>
#include <arch/layout.h>

static inline bool user_range_ok(uint64_t addr, size_t n)
{
	return addr <= USER_SPACE_END && n <= USER_SPACE_END - addr;
}

int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);
int clear_user(void *udst, size_t n);
/* Length of the string copied (NUL included in dst), -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, const char *usrc, size_t n);

#define get_user(var, uptr) copy_from_user(&(var), (uptr), sizeof(var))
#define put_user(val, uptr) ({ __typeof__(*(uptr)) _v = (val); \
	copy_to_user((uptr), &_v, sizeof(_v)); })

/*
 * Between these, a user copy that would need a page fault resolved fails
 * with -EFAULT instead (the fault handler does not page anything in): the
 * caller holds a spin lock, under which demand paging may not sleep. It
 * drops the lock, faults the page in (an ordinary get_user, or
 * fault_in_user_writeable) and tries again. They nest.
 */
void pagefault_disable(void);
void pagefault_enable(void);
/* Make the page at uaddr present and writable, as a write would: 0 or -EFAULT. */
int fault_in_user_writeable(uint64_t uaddr);

#endif
