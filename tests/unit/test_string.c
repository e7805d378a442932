/*
 * kernel/lib/string.c against the host C library. string.c is linked with
 * its libc names renamed to kv_* (see the Makefile), so both can coexist.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <cmocka.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

void *kv_memcpy(void *dst, const void *src, size_t n);
void *kv_memmove(void *dst, const void *src, size_t n);
void *kv_memset(void *dst, int c, size_t n);
int kv_memcmp(const void *a, const void *b, size_t n);
size_t kv_strlen(const char *s);
size_t kv_strnlen(const char *s, size_t maxlen);
int kv_strcmp(const char *a, const char *b);
int kv_strncmp(const char *a, const char *b, size_t n);
char *kv_strchr(const char *s, int c);
char *kv_strrchr(const char *s, int c);
char *kv_strstr(const char *haystack, const char *needle);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_memcpy_memset_copy_exact_bytes(void **state)
{
	unsigned char a[64], b[64];
	(void)state;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(i * 7);
	memset(b, 0xee, sizeof(b));
	assert_ptr_equal(kv_memcpy(b + 3, a, 40), b + 3);
	assert_memory_equal(b + 3, a, 40);
	assert_int_equal(b[2], 0xee);
	assert_int_equal(b[43], 0xee);

	assert_ptr_equal(kv_memset(b, 0x1ff, 10), b);  /* only the low byte */
	for (int i = 0; i < 10; i++)
		assert_int_equal(b[i], 0xff);
	assert_int_equal(b[10], a[7]);
}

static void test_memmove_handles_overlap_both_ways(void **state)
{
	char k[32], h[32];
	(void)state;

	for (int shift = -8; shift <= 8; shift++) {
		for (int i = 0; i < 32; i++)
			k[i] = h[i] = (char)('a' + i % 26);
		kv_memmove(k + 8 + shift, k + 8, 12);
		memmove(h + 8 + shift, h + 8, 12);
		assert_memory_equal(k, h, sizeof(k));
	}
}

/* Every alignment of source and destination, lengths across word sizes. */
static void test_memcpy_memmove_memset_at_every_alignment(void **state)
{
	unsigned char src[96], k[96], h[96];
	(void)state;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 37 + 11);
	for (size_t so = 0; so < 8; so++) {
		for (size_t doff = 0; doff < 8; doff++) {
			for (size_t n = 0; n <= 40; n++) {
				memset(k, 0x5a, sizeof(k));
				memset(h, 0x5a, sizeof(h));
				kv_memcpy(k + doff, src + so, n);
				memcpy(h + doff, src + so, n);
				assert_memory_equal(k, h, sizeof(k));

				kv_memset(k + doff, (int)(n + so), n);
				memset(h + doff, (int)(n + so), n);
				assert_memory_equal(k, h, sizeof(k));

				/* Overlapping moves, both ways, in one buffer. */
				memcpy(k, src, sizeof(k));
				memcpy(h, src, sizeof(h));
				kv_memmove(k + 16 + doff, k + 16 + so, n + 24);
				memmove(h + 16 + doff, h + 16 + so, n + 24);
				assert_memory_equal(k, h, sizeof(k));
			}
		}
	}
}

static void test_compare_functions_match_libc_sign(void **state)
{
	static const char *const words[] = {
		"", "a", "ab", "abc", "abd", "b", "\xff", "A", "abcdef",
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(words); j++) {
			const char *x = words[i], *y = words[j];
			size_t n = strlen(x) < strlen(y) ? strlen(x) : strlen(y);

			assert_int_equal(sign(kv_strcmp(x, y)), sign(strcmp(x, y)));
			for (size_t k = 0; k < 5; k++)
				assert_int_equal(sign(kv_strncmp(x, y, k)),
						 sign(strncmp(x, y, k)));
			assert_int_equal(sign(kv_memcmp(x, y, n + 1)),
					 sign(memcmp(x, y, n + 1)));
		}
	}
}

static void test_search_functions_match_libc(void **state)
{
	const char *s = "hello, world";
	(void)state;

	assert_int_equal(kv_strlen(s), 12);
	assert_int_equal(kv_strlen(""), 0);
	assert_int_equal(kv_strnlen(s, 5), 5);
	assert_int_equal(kv_strnlen(s, 100), 12);
	assert_ptr_equal(kv_strchr(s, 'o'), strchr(s, 'o'));
	assert_ptr_equal(kv_strchr(s, 'z'), NULL);
	assert_ptr_equal(kv_strchr(s, '\0'), s + 12);
	assert_ptr_equal(kv_strrchr(s, 'o'), strrchr(s, 'o'));
	assert_ptr_equal(kv_strrchr(s, 'z'), NULL);
	assert_ptr_equal(kv_strrchr(s, '\0'), s + 12);
	assert_ptr_equal(kv_strstr(s, "world"), s + 7);
	assert_ptr_equal(kv_strstr(s, "worlds"), NULL);
	assert_ptr_equal(kv_strstr(s, ""), s);
	assert_ptr_equal(kv_strstr("aaab", "aab"), strstr("aaab", "aab"));
}

static void test_strlcpy_truncates_and_returns_source_length(void **state)
{
	char buf[8];
	(void)state;

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(strlcpy(buf, "abc", sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(strlcpy(buf, "0123456789", sizeof(buf)), 10);
	assert_string_equal(buf, "0123456");
	buf[0] = 'q';
	assert_int_equal(strlcpy(buf, "zz", 0), 2);
	assert_int_equal(buf[0], 'q');
	assert_int_equal(strlcpy(buf, "zz", 1), 2);
	assert_string_equal(buf, "");
}

static void test_kstrtoul_accepts_bases_and_rejects_junk(void **state)
{
	unsigned long v = 77;
	(void)state;

	assert_int_equal(kstrtoul("123", 10, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(kstrtoul("0x1F", 0, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(kstrtoul("1f", 16, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(kstrtoul("0X1f", 16, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(kstrtoul("017", 0, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(kstrtoul("0", 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(kstrtoul("+5", 10, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(kstrtoul("42\n", 10, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(kstrtoul("18446744073709551615", 10, &v), 0);
	assert_true(v == ULONG_MAX);

	v = 77;
	assert_int_equal(kstrtoul("", 10, &v), -EINVAL);
	assert_int_equal(kstrtoul("0x", 0, &v), -EINVAL);
	assert_int_equal(kstrtoul("12a", 10, &v), -EINVAL);
	assert_int_equal(kstrtoul("-1", 10, &v), -EINVAL);
	assert_int_equal(kstrtoul(" 1", 10, &v), -EINVAL);
	assert_int_equal(kstrtoul("8", 8, &v), -EINVAL);
	assert_int_equal(kstrtoul("1\n2", 10, &v), -EINVAL);
	assert_int_equal(kstrtoul("18446744073709551616", 10, &v), -EINVAL);
	assert_int_equal(kstrtoul("1", 1, &v), -EINVAL);
	assert_int_equal(v, 77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_memset_copy_exact_bytes),
		cmocka_unit_test(test_memmove_handles_overlap_both_ways),
		cmocka_unit_test(test_memcpy_memmove_memset_at_every_alignment),
		cmocka_unit_test(test_compare_functions_match_libc_sign),
		cmocka_unit_test(test_search_functions_match_libc),
		cmocka_unit_test(test_strlcpy_truncates_and_returns_source_length),
		cmocka_unit_test(test_kstrtoul_accepts_bases_and_rejects_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
