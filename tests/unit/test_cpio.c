/*
 * newc cpio reader. Archives are built here byte by byte; truncation and
 * corruption tests rely on ASan to prove nothing is read past len (each
 * test copies the archive into an exactly-sized heap buffer).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <kevlar/cpio.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

struct archive {
	char bytes[8192];
	size_t len;
};

static void pad4(struct archive *a)
{
	while (a->len % 4)
		a->bytes[a->len++] = '\0';
}

static void add_entry_magic(struct archive *a, const char *magic, const char *name,
			    uint32_t mode, const void *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	a->len += (size_t)sprintf(a->bytes + a->len,
		"%s%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		magic, 1234u, mode, 0u, 0u, 1u, 1700000000u, size, 8u, 1u,
		4u, 64u, namesize, 0u);
	memcpy(a->bytes + a->len, name, namesize);
	a->len += namesize;
	pad4(a);
	if (size)
		memcpy(a->bytes + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void add_entry(struct archive *a, const char *name, uint32_t mode,
		      const void *data, size_t size)
{
	add_entry_magic(a, "070701", name, mode, data, size);
}

static void add_trailer(struct archive *a)
{
	add_entry(a, "TRAILER!!!", 0, NULL, 0);
}

/* An exact-size heap copy, so ASan flags any read past the end. */
static char *exact_copy(const struct archive *a, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, a->bytes, len);
	return p;
}

struct seen {
	int count;
	char names[8][64];
	char data[8][64];
	size_t sizes[8];
	uint32_t modes[8];
	int stop_at;   /* return 99 at this entry index; -1 never */
};

static int record(const struct cpio_entry *e, void *arg)
{
	struct seen *s = arg;
	int i = s->count++;

	if (i < 8) {
		snprintf(s->names[i], sizeof(s->names[i]), "%s", e->name);
		assert_int_equal(strlen(e->name), e->namelen);
		memcpy(s->data[i], e->data ? e->data : "", e->size < 63 ? e->size : 63);
		s->sizes[i] = e->size;
		s->modes[i] = e->mode;
	}
	return i == s->stop_at ? 99 : 0;
}

static void build_normal(struct archive *a)
{
	a->len = 0;
	add_entry(a, ".", 040755, NULL, 0);
	add_entry(a, "bin", 040755, NULL, 0);
	add_entry(a, "bin/hello", 0100755, "hello world\n", 12);
	add_entry(a, "etc/x", 0100644, "abc", 3);
	add_entry(a, "bin/sh", 0120777, "hello", 5);
	add_trailer(a);
}

static void test_normal_archive_lists_every_entry(void **state)
{
	struct archive a;
	struct seen s = { .stop_at = -1 };
	char *p;
	(void)state;

	build_normal(&a);
	p = exact_copy(&a, a.len);
	assert_true(cpio_looks_valid(p, a.len));
	assert_int_equal(cpio_iterate(p, a.len, record, &s), 0);
	assert_int_equal(s.count, 5);
	assert_string_equal(s.names[0], ".");
	assert_string_equal(s.names[2], "bin/hello");
	assert_string_equal(s.data[2], "hello world\n");
	assert_int_equal(s.sizes[2], 12);
	assert_int_equal(s.modes[2], 0100755);
	assert_string_equal(s.data[3], "abc");
	assert_int_equal(s.modes[4], 0120777);
	free(p);
}

static int check_fields(const struct cpio_entry *e, void *arg)
{
	(void)arg;
	assert_int_equal(e->ino, 1234);
	assert_int_equal(e->nlink, 1);
	assert_int_equal(e->mtime, 1700000000u);
	assert_int_equal(e->devmajor, 8);
	assert_int_equal(e->devminor, 1);
	assert_int_equal(e->rdevmajor, 4);
	assert_int_equal(e->rdevminor, 64);
	assert_int_equal(e->namelen, 4);
	assert_null(e->data);
	return 0;
}

static void test_header_fields_and_crc_magic(void **state)
{
	struct archive a = { .len = 0 };
	(void)state;

	add_entry_magic(&a, "070702", "node", 020620, NULL, 0);
	add_trailer(&a);
	assert_int_equal(cpio_iterate(a.bytes, a.len, check_fields, NULL), 0);
}

static void test_archive_with_only_trailer_is_empty(void **state)
{
	struct archive a = { .len = 0 };
	struct seen s = { .stop_at = -1 };
	char *p;
	(void)state;

	add_trailer(&a);
	p = exact_copy(&a, a.len);
	assert_int_equal(cpio_iterate(p, a.len, record, &s), 0);
	assert_int_equal(s.count, 0);
	free(p);
}

static void test_zero_padding_after_trailer_is_fine(void **state)
{
	struct archive a;
	struct seen s = { .stop_at = -1 };
	(void)state;

	build_normal(&a);
	memset(a.bytes + a.len, 0, 512);
	assert_int_equal(cpio_iterate(a.bytes, a.len + 512, record, &s), 0);
	assert_int_equal(s.count, 5);
}

static void test_callback_return_value_stops_the_walk(void **state)
{
	struct archive a;
	struct seen s = { .stop_at = 1 };
	(void)state;

	build_normal(&a);
	assert_int_equal(cpio_iterate(a.bytes, a.len, record, &s), 99);
	assert_int_equal(s.count, 2);
}

static void test_truncation_at_every_offset_is_einval(void **state)
{
	struct archive a;
	(void)state;

	build_normal(&a);
	for (size_t len = 0; len < a.len; len++) {
		struct seen s = { .stop_at = -1 };
		char *p = exact_copy(&a, len);
		int ret = cpio_iterate(p, len, record, &s);

		/* Cutting only the trailer's name padding (3 bytes) still parses. */
		if (ret == 0)
			assert_true(len >= a.len - 3);
		else
			assert_int_equal(ret, -EINVAL);
		free(p);
	}
	assert_int_equal(cpio_iterate(NULL, 0, record, NULL), -EINVAL);
	assert_false(cpio_looks_valid(a.bytes, 5));
	assert_false(cpio_looks_valid(NULL, 0));
}

static void test_bad_magic_is_einval(void **state)
{
	struct archive a;
	(void)state;

	build_normal(&a);
	assert_true(cpio_looks_valid(a.bytes, a.len));
	memcpy(a.bytes, "070707", 6);   /* old binary-ish "odc" format */
	assert_false(cpio_looks_valid(a.bytes, a.len));
	assert_int_equal(cpio_iterate(a.bytes, a.len, record,
				      &(struct seen){ .stop_at = -1 }), -EINVAL);
	/* A bad magic in the middle is caught too. */
	build_normal(&a);
	a.bytes[112] = '8';   /* "070701" of entry 2 (at 112) -> "870701" */
	assert_int_equal(cpio_iterate(a.bytes, a.len, record,
				      &(struct seen){ .stop_at = -1 }), -EINVAL);
}

static void test_non_hex_field_is_einval(void **state)
{
	struct archive a;
	(void)state;

	for (size_t pos = 6; pos < 110; pos++) {
		struct seen s = { .stop_at = -1 };

		build_normal(&a);
		a.bytes[pos] = 'g';
		assert_int_equal(cpio_iterate(a.bytes, a.len, record, &s), -EINVAL);
		assert_int_equal(s.count, 0);
	}
}

/* Overwrite one 8-hex-digit field (index 0..12) of the first header. */
static void set_field(struct archive *a, size_t hdr, int field, uint32_t v)
{
	char tmp[9];

	snprintf(tmp, sizeof(tmp), "%08X", v);
	memcpy(a->bytes + hdr + 6 + 8 * field, tmp, 8);
}

static void test_name_problems_are_einval(void **state)
{
	struct archive a;
	(void)state;

	build_normal(&a);
	a.bytes[110 + 1] = 'x';          /* "." loses its NUL */
	assert_int_equal(cpio_iterate(a.bytes, a.len, record,
				      &(struct seen){ .stop_at = -1 }), -EINVAL);

	build_normal(&a);
	set_field(&a, 0, 11, 0);         /* namesize 0 */
	assert_int_equal(cpio_iterate(a.bytes, a.len, record,
				      &(struct seen){ .stop_at = -1 }), -EINVAL);

	build_normal(&a);
	set_field(&a, 0, 11, 0xffffffff); /* name runs past the end */
	assert_int_equal(cpio_iterate(a.bytes, a.len, record,
				      &(struct seen){ .stop_at = -1 }), -EINVAL);

	a.len = 0;
	add_entry(&a, "ab", 0100644, NULL, 0);
	a.bytes[110] = '\0';             /* NUL inside the name */
	add_trailer(&a);
	assert_int_equal(cpio_iterate(a.bytes, a.len, record,
				      &(struct seen){ .stop_at = -1 }), -EINVAL);
}

static void test_huge_size_field_is_einval(void **state)
{
	struct archive a;
	(void)state;

	static const uint32_t sizes[] = { 0xffffffff, 0x80000000, 0x10000 };
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct seen s = { .stop_at = -1 };
		char *p;

		build_normal(&a);
		set_field(&a, 0, 6, sizes[i]);
		p = exact_copy(&a, a.len);
		assert_int_equal(cpio_iterate(p, a.len, record, &s), -EINVAL);
		assert_int_equal(s.count, 0);
		free(p);
	}
}

static void test_missing_trailer_is_einval(void **state)
{
	struct archive a = { .len = 0 };
	struct seen s = { .stop_at = -1 };
	(void)state;

	add_entry(&a, "file", 0100644, "data", 4);
	assert_int_equal(cpio_iterate(a.bytes, a.len, record, &s), -EINVAL);
	assert_int_equal(s.count, 1);
}

static void test_random_byte_corruption_never_crashes(void **state)
{
	struct archive a;
	(void)state;

	srand(12345);
	for (int round = 0; round < 3000; round++) {
		struct seen s = { .stop_at = -1 };
		char *p;
		int ret;

		build_normal(&a);
		for (int k = 0; k < 3; k++)
			a.bytes[rand() % a.len] = (char)(rand() % 256);
		p = exact_copy(&a, a.len);
		ret = cpio_iterate(p, a.len, record, &s);
		assert_true(ret == 0 || ret == -EINVAL);
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_archive_lists_every_entry),
		cmocka_unit_test(test_header_fields_and_crc_magic),
		cmocka_unit_test(test_archive_with_only_trailer_is_empty),
		cmocka_unit_test(test_zero_padding_after_trailer_is_fine),
		cmocka_unit_test(test_callback_return_value_stops_the_walk),
		cmocka_unit_test(test_truncation_at_every_offset_is_einval),
		cmocka_unit_test(test_bad_magic_is_einval),
		cmocka_unit_test(test_non_hex_field_is_einval),
		cmocka_unit_test(test_name_problems_are_einval),
		cmocka_unit_test(test_huge_size_field_is_einval),
		cmocka_unit_test(test_missing_trailer_is_einval),
		cmocka_unit_test(test_random_byte_corruption_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
