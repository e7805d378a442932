/*
 * I/O cursors (fs/uio.c) on the host: kernel and user cursors, vectors
 * with empty segments, byte-exact short copies when user memory faults,
 * and the checks readv/writev's import makes on a hostile vector.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/kmalloc.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>

/* ---- user memory: an arena whose bytes from fault_at on fault ---- */
static char user_mem[256];
static char *fault_at = user_mem + sizeof(user_mem);

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }

static bool user_ok(const void *p, size_t n)
{
	const char *c = p;

	return c >= user_mem && c <= fault_at && n <= (size_t)(fault_at - c);
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_ok(udst, n))
		return -EFAULT;
	memcpy(udst, src, n);
	return 0;
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_ok(usrc, n))
		return -EFAULT;
	memcpy(dst, usrc, n);
	return 0;
}

int clear_user(void *udst, size_t n)
{
	if (!user_ok(udst, n))
		return -EFAULT;
	memset(udst, 0, n);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(user_mem, '.', sizeof(user_mem));
	fault_at = user_mem + sizeof(user_mem);
	return 0;
}

static void test_kernel_cursor_copies_and_advances(void **state)
{
	char buf[8] = { 0 }, out[8];
	struct iov_iter it;

	(void)state;
	iov_iter_kernel(&it, buf, sizeof(buf));
	assert_int_equal(copy_to_iter(&it, "abc", 3), 3);
	assert_int_equal(iov_iter_count(&it), 5);
	assert_int_equal(copy_to_iter(&it, "defghijk", 8), 5);      /* only what is left */
	assert_int_equal(iov_iter_count(&it), 0);
	assert_int_equal(copy_to_iter(&it, "x", 1), 0);
	assert_memory_equal(buf, "abcdefgh", 8);
	iov_iter_kernel(&it, buf, sizeof(buf));
	iov_iter_advance(&it, 2);
	assert_int_equal(copy_from_iter(out, &it, sizeof(out)), 6);
	assert_memory_equal(out, "cdefgh", 6);
}

static void test_user_vector_spans_segments_and_skips_empty_ones(void **state)
{
	struct iovec iov[] = {
		{ (uint64_t)user_mem, 3 }, { (uint64_t)(user_mem + 50), 0 },
		{ (uint64_t)(user_mem + 10), 4 }, { (uint64_t)(user_mem + 20), 5 },
	};
	struct iov_iter it;
	char out[16];

	(void)state;
	iov_iter_user_vec(&it, iov, 4, 12);         /* the total may stop early */
	assert_int_equal(copy_to_iter(&it, "0123456789ABCDEF", 16), 12);
	assert_memory_equal(user_mem, "012...", 6);
	assert_memory_equal(user_mem + 10, "3456.", 5);
	assert_memory_equal(user_mem + 20, "789AB.", 6);
	assert_int_equal(user_mem[50], '.');
	iov_iter_user_vec(&it, iov, 4, 12);
	assert_int_equal(copy_from_iter(out, &it, 5), 5);
	assert_int_equal(copy_from_iter(out + 5, &it, 16), 7);
	assert_memory_equal(out, "0123456789AB", 12);
	iov_iter_user_vec(&it, iov, 4, 12);
	assert_int_equal(zero_to_iter(&it, 4), 4);
	assert_memory_equal(user_mem, "\0\0\0.", 4);
	assert_int_equal(user_mem[10], 0);
	assert_int_equal(user_mem[11], '4');
}

static void test_fault_makes_a_short_copy_exact_to_the_byte(void **state)
{
	struct iovec iov[] = { { (uint64_t)user_mem, 4 }, { (uint64_t)(user_mem + 100), 8 } };
	struct iov_iter it;
	char out[12];

	(void)state;
	fault_at = user_mem + 105;
	iov_iter_user_vec(&it, iov, 2, 12);
	assert_int_equal(copy_to_iter(&it, "abcdefghijkl", 12), 9);
	assert_int_equal(iov_iter_count(&it), 3);
	assert_memory_equal(user_mem + 100, "efghi", 5);
	iov_iter_user_vec(&it, iov, 2, 12);
	assert_int_equal(copy_from_iter(out, &it, 12), 9);
	iov_iter_user_vec(&it, iov, 2, 12);
	assert_int_equal(zero_to_iter(&it, 12), 9);
	iov_iter_user(&it, user_mem + 105, 4);
	assert_int_equal(copy_to_iter(&it, "abcd", 4), 0);
	assert_int_equal(iov_iter_count(&it), 4);
}

static void test_import_checks_a_hostile_vector_like_linux(void **state)
{
	struct iovec v[3] = {
		{ (uint64_t)user_mem, 10 }, { (uint64_t)(user_mem + 20), 10 },
		{ (uint64_t)(user_mem + 40), 10 },
	};
	struct iovec *iov;
	struct iov_iter it;

	(void)state;
	/* The vector itself must be in (fake) user memory. */
	memcpy(user_mem + 128, v, sizeof(v));
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), 3, 25, &iov), 0);
	assert_int_equal(iov_iter_count(&it), 25);          /* capped: the third is cut off */
	assert_int_equal(iov[1].iov_len, 10);
	assert_int_equal(iov[2].iov_len, 5);
	kfree(iov);
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), 0, 25, &iov), 0);
	assert_null(iov);
	assert_int_equal(iov_iter_count(&it), 0);
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), UIO_MAXIOV + 1, 25, &iov),
			 -EINVAL);
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), -1, 25, &iov), -EINVAL);
	fault_at = user_mem + 128 + sizeof(v) - 1;          /* the array is not all readable */
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), 3, 25, &iov), -EFAULT);
	fault_at = user_mem + sizeof(user_mem);
	/* A segment reaching the kernel half is EFAULT; a negative length EINVAL, first. */
	v[1].iov_base = USER_SPACE_END - 4;
	memcpy(user_mem + 128, v, sizeof(v));
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), 3, 25, &iov), -EFAULT);
	v[2].iov_len = (uint64_t)-1;
	memcpy(user_mem + 128, v, sizeof(v));
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), 3, 25, &iov), -EINVAL);
	/* Huge lengths are cut to the cap (RW_MAX), later segments to nothing. */
	v[1] = (struct iovec){ (uint64_t)user_mem, 1ull << 40 };
	v[2] = (struct iovec){ (uint64_t)user_mem, 1ull << 40 };
	memcpy(user_mem + 128, v, sizeof(v));
	assert_int_equal(iov_iter_import(&it, (void *)(user_mem + 128), 3, 0x7ffff000, &iov), 0);
	assert_int_equal(iov_iter_count(&it), 0x7ffff000);
	assert_int_equal(iov[1].iov_len, 0x7ffff000 - 10);
	assert_int_equal(iov[2].iov_len, 0);
	kfree(iov);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_kernel_cursor_copies_and_advances, setup),
		cmocka_unit_test_setup(test_user_vector_spans_segments_and_skips_empty_ones, setup),
		cmocka_unit_test_setup(test_fault_makes_a_short_copy_exact_to_the_byte, setup),
		cmocka_unit_test_setup(test_import_checks_a_hostile_vector_like_linux, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
