/* Range checks in front of the arch copy routines (arch/<arch>/uaccess.S). */
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

long arch_copy_user(void *dst, const void *src, size_t n);
long arch_strncpy_user(char *dst, const char *src, size_t n);
long arch_clear_user(void *dst, size_t n);

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range_ok((uint64_t)usrc, n))
		return -EFAULT;
	return arch_copy_user(dst, usrc, n);
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range_ok((uint64_t)udst, n))
		return -EFAULT;
	return arch_copy_user(udst, src, n);
}

int clear_user(void *udst, size_t n)
{
	if (!user_range_ok((uint64_t)udst, n))
		return -EFAULT;
	return arch_clear_user(udst, n);
}

long strncpy_from_user(char *dst, const char *usrc, size_t n)
{
	uint64_t addr = (uint64_t)usrc;
	long len;

	if (addr >= USER_SPACE_END || n == 0)
		return -EFAULT;
	/* Never read past the end of user space, even looking for the NUL. */
	if (n > USER_SPACE_END - addr)
		n = USER_SPACE_END - addr;
	len = arch_strncpy_user(dst, usrc, n);
	if (len < 0)
		return len;
	if ((size_t)len == n) {
		dst[n - 1] = '\0';
		return -ENAMETOOLONG;
	}
	return len;
}
