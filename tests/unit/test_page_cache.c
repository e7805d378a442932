/*
 * The page cache (kernel/fs/file_pages.c, fs/page_writeback.c,
 * kevlar/page_cache.h) over a fake file system whose read_page and
 * write_page work on an in-memory "disk" and count their calls: reads
 * through on a miss only, holes, dirty bits set by exactly the pages
 * written, writeback of exactly those (the right length at the end of
 * the file), truncate, read and write errors, pages mapped shared, sync
 * and syncfs, and tmpfs's initramfs files read through the same
 * interface.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/sched.h>
#include <kevlar/uio.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "../../kernel/fs/fs_internal.h"
#include "fs_stubs.h"

/* ---- the kernel services the sources under test use (and fs_stubs.c) ---- */
struct file *file_alloc(const struct file_ops *ops, struct inode *inode, unsigned flags)
{
	struct file *f = calloc(1, sizeof(*f));

	f->ops = ops;
	f->inode = inode;
	f->flags = flags;
	return f;
}

/*
 * Pages: host memory through the kernel's direct-map arithmetic, with
 * reference counts (a mapping's reference keeps a page "mapped").
 */
#define MAX_PAGES 256
static struct { void *page; unsigned refs; } page_table[MAX_PAGES];
static long pages_live;

static unsigned *refs_of(void *page)
{
	for (int i = 0; i < MAX_PAGES; i++)
		if (page_table[i].page == page)
			return &page_table[i].refs;
	fail_msg("not a page of ours: %p", page);
	return NULL;
}

void *page_zalloc(unsigned order)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

	memset(p, 0, PAGE_SIZE << order);
	for (int i = 0; i < MAX_PAGES; i++) {
		if (!page_table[i].page) {
			page_table[i].page = p;
			page_table[i].refs = 1;
			pages_live++;
			return p;
		}
	}
	fail_msg("out of fake pages");
	return NULL;
}
void page_ref_get(paddr_t pa) { (*refs_of(phys_to_virt(pa)))++; }
bool page_ref_put(paddr_t pa)
{
	void *p = phys_to_virt(pa);
	unsigned *refs = refs_of(p);

	assert_true(*refs > 0);
	if (--*refs)
		return false;
	for (int i = 0; i < MAX_PAGES; i++)
		if (page_table[i].page == p)
			page_table[i].page = NULL;
	free(p);
	pages_live--;
	return true;
}
unsigned page_ref_count(paddr_t pa) { return *refs_of(phys_to_virt(pa)); }
uint64_t page_nr_free(void) { return 1 << 20; }
uint64_t page_nr_total(void) { return 1 << 20; }
const char *__asan_default_options(void) { return "detect_leaks=0"; }

/* ---- the fake file system: one "disk" per inode, calls counted ---- */
#define DISK_PAGES 8
static char disk[2][DISK_PAGES * PAGE_SIZE];
static int reads, writes;
static uint64_t read_idx[64], write_idx[64];
static size_t write_len[64];
static int64_t fail_read_idx = -1, fail_write_idx = -1;
static bool fail_write_once;

static char *disk_of(struct inode *ino)
{
	return disk[ino->priv_id];
}

static int fake_read_page(struct inode *ino, uint64_t idx, void *page)
{
	uint64_t off = idx * PAGE_SIZE;

	read_idx[reads++ % 64] = idx;
	assert_true(off < ino->size);   /* never asked past the end */
	if ((int64_t)idx == fail_read_idx)
		return -EIO;
	/* The contract: bytes past the end of the file are zero. */
	memcpy(page, disk_of(ino) + off, MIN((uint64_t)PAGE_SIZE, ino->size - off));
	return 0;
}

static int fake_write_page(struct inode *ino, uint64_t idx, const void *page, size_t len)
{
	write_idx[writes % 64] = idx;
	write_len[writes++ % 64] = len;
	if ((int64_t)idx == fail_write_idx) {
		if (fail_write_once)
			fail_write_idx = -1;
		return -EIO;
	}
	memcpy(disk_of(ino) + idx * PAGE_SIZE, page, len);
	return 0;
}

static const struct page_cache_ops fake_ops = {
	.read_page = fake_read_page,
	.write_page = fake_write_page,
};

static struct superblock sb_a, sb_b;

/* A file of size bytes on disk d (filled with a pattern), nothing cached. */
static struct inode *fake_file(int d, uint64_t size)
{
	struct inode *ino = inode_alloc(S_IFREG | 0644);

	for (size_t i = 0; i < sizeof(disk[d]); i++)
		disk[d][i] = (char)('a' + (i * 7 + d) % 26);
	ino->priv_id = d;
	ino->sb = d ? &sb_b : &sb_a;
	ino->pc_ops = &fake_ops;
	ino->size = size;
	return ino;
}

static int setup(void **state)
{
	(void)state;
	memset(&task, 0, sizeof(task));
	tmpfs_init();
	reads = writes = 0;
	fail_read_idx = fail_write_idx = -1;
	fail_write_once = false;
	return 0;
}

static bool dirty(const struct inode *ino, uint64_t idx)
{
	return idx < ino->nr_slots && (ino->slot_flags[idx] & PAGE_SLOT_DIRTY);
}

static void test_a_miss_reads_the_page_once_and_a_hit_reads_nothing(void **state)
{
	struct inode *ino = fake_file(0, 3 * PAGE_SIZE + 100);
	char buf[PAGE_SIZE];
	const char *page;

	(void)state;
	assert_int_equal(file_read_kernel(ino, 10, buf, 20), 20);
	assert_int_equal(reads, 1);
	assert_int_equal(read_idx[0], 0);
	assert_memory_equal(buf, disk[0] + 10, 20);
	assert_int_equal(file_read_kernel(ino, 100, buf, 50), 50);
	assert_int_equal(reads, 1);                 /* cached */
	assert_memory_equal(buf, disk[0] + 100, 50);
	assert_int_equal(ino->nr_pages, 1);
	/* The last page: 100 bytes, then zeros; reads stop at the size. */
	assert_int_equal(file_read_kernel(ino, 3 * PAGE_SIZE, buf, sizeof(buf)), 100);
	assert_int_equal(reads, 2);
	assert_int_equal(read_idx[1], 3);
	page = file_page_lookup(ino, 3);
	assert_non_null(page);
	assert_memory_equal(page, disk[0] + 3 * PAGE_SIZE, 100);
	assert_int_equal(page[100], 0);
	assert_int_equal(page[PAGE_SIZE - 1], 0);
	/* Reading is not writing: nothing dirty. */
	assert_int_equal(ino->nr_dirty, 0);
	assert_int_equal(page_cache_nr_dirty(), 0);
	/* Writing a page that starts at or past the end reads nothing. */
	assert_int_equal(file_write_kernel(ino, 5 * PAGE_SIZE, "x", 1), 0);
	assert_int_equal(reads, 2);
	file_pages_release(ino);
	assert_int_equal(page_cache_nr_dirty(), 0);
}

static void test_without_read_page_a_missing_page_is_a_hole(void **state)
{
	static const struct page_cache_ops write_only = { .write_page = fake_write_page };
	struct inode *ino = fake_file(0, 0);
	char buf[64];

	(void)state;
	ino->pc_ops = &write_only;
	file_pages_resize(ino, 3 * PAGE_SIZE);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(file_read_kernel(ino, PAGE_SIZE - 10, buf, sizeof(buf)), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(ino->nr_pages, 0);         /* holes cost no page */
	assert_int_equal(reads, 0);
	file_pages_release(ino);
}

static void test_a_write_dirties_exactly_the_pages_it_touches(void **state)
{
	struct inode *ino = fake_file(0, 4 * PAGE_SIZE);
	char buf[16];

	(void)state;
	/* Across a page boundary: both pages, nothing else. */
	assert_int_equal(file_write_kernel(ino, PAGE_SIZE - 5, "0123456789", 10), 0);
	assert_true(dirty(ino, 0));
	assert_true(dirty(ino, 1));
	assert_false(dirty(ino, 2));
	assert_false(dirty(ino, 3));
	assert_int_equal(ino->nr_dirty, 2);
	assert_int_equal(page_cache_nr_dirty(), 2);
	assert_int_equal(reads, 2);                 /* partial writes read the pages first */
	assert_int_equal(file_write_kernel(ino, 3 * PAGE_SIZE + 1, "ab", 2), 0);
	assert_int_equal(ino->nr_dirty, 3);
	assert_true(dirty(ino, 3));
	assert_false(dirty(ino, 2));
	/* Reading back sees the write over the disk's bytes. */
	assert_int_equal(file_read_kernel(ino, PAGE_SIZE - 6, buf, 12), 12);
	assert_int_equal(buf[0], disk[0][PAGE_SIZE - 6]);
	assert_memory_equal(buf + 1, "0123456789", 10);
	assert_int_equal(buf[11], disk[0][PAGE_SIZE + 5]);
	file_pages_release(ino);
	assert_int_equal(page_cache_nr_dirty(), 0);
}

static void test_writeback_writes_exactly_the_dirty_pages_and_cleans_them(void **state)
{
	struct inode *ino = fake_file(0, 5 * PAGE_SIZE + 300);
	char expect[PAGE_SIZE];

	(void)state;
	assert_int_equal(file_write_kernel(ino, PAGE_SIZE + 8, "one", 3), 0);
	assert_int_equal(file_write_kernel(ino, 5 * PAGE_SIZE + 290, "last", 4), 0);
	assert_int_equal(file_read_kernel(ino, 3 * PAGE_SIZE, expect, 1), 1);   /* cached, clean */
	assert_int_equal(page_cache_nr_dirty(), 2);
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 2);
	assert_int_equal(write_idx[0], 1);
	assert_int_equal(write_len[0], PAGE_SIZE);
	assert_int_equal(write_idx[1], 5);
	assert_int_equal(write_len[1], 300);        /* the valid bytes at the end */
	assert_memory_equal(disk[0] + PAGE_SIZE + 8, "one", 3);
	assert_memory_equal(disk[0] + 5 * PAGE_SIZE + 290, "last", 4);
	assert_int_equal(ino->nr_dirty, 0);
	assert_false(dirty(ino, 1) || dirty(ino, 5));
	assert_int_equal(page_cache_nr_dirty(), 0);
	assert_int_equal(page_cache_nr_writeback(), 0);
	/* Nothing is dirty any more: a second writeback writes nothing. */
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 2);
	/* A range writes only its own pages. */
	assert_int_equal(file_write_kernel(ino, 0, "A", 1), 0);
	assert_int_equal(file_write_kernel(ino, 3 * PAGE_SIZE, "B", 1), 0);
	assert_int_equal(page_cache_writeback(ino, PAGE_SIZE, 4 * PAGE_SIZE), 0);
	assert_int_equal(writes, 3);
	assert_int_equal(write_idx[2], 3);
	assert_true(dirty(ino, 0));
	assert_int_equal(page_cache_fsync(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 4);
	assert_int_equal(write_idx[3], 0);
	assert_int_equal(disk[0][0], 'A');
	file_pages_release(ino);
}

static void test_truncate_drops_pages_and_their_dirt_and_zeroes_the_tail(void **state)
{
	struct inode *ino = fake_file(0, 0);
	static char data[4 * PAGE_SIZE];
	long before = pages_live;
	char *page;

	(void)state;
	memset(data, 'w', sizeof(data));
	assert_int_equal(file_write_kernel(ino, 0, data, sizeof(data)), 0);
	assert_int_equal(reads, 0);                 /* every page started at the end */
	assert_int_equal(ino->nr_dirty, 4);
	assert_int_equal(page_cache_nr_dirty(), 4);
	file_pages_resize(ino, PAGE_SIZE + 904);
	assert_int_equal(ino->nr_pages, 2);
	assert_int_equal(ino->nr_dirty, 2);
	assert_int_equal(page_cache_nr_dirty(), 2);
	assert_false(dirty(ino, 2) || dirty(ino, 3));
	page = file_page_lookup(ino, 1);
	assert_int_equal(page[903], 'w');
	assert_int_equal(page[904], 0);
	assert_int_equal(page[PAGE_SIZE - 1], 0);
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 2);
	assert_int_equal(write_len[1], 904);
	/* Shrinking into a clean cached page zeroes it again: dirty again. */
	file_pages_resize(ino, PAGE_SIZE + 10);
	assert_true(dirty(ino, 1));
	assert_false(dirty(ino, 0));
	assert_int_equal(page[10], 0);
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 3);
	assert_int_equal(write_len[2], 10);
	file_pages_resize(ino, 0);
	assert_int_equal(ino->nr_pages, 0);
	assert_int_equal(pages_live, before);
	file_pages_release(ino);
}

static void test_a_read_error_is_eio_to_the_reader_and_leaves_no_page(void **state)
{
	struct inode *ino = fake_file(0, 3 * PAGE_SIZE);
	struct dentry d = { .inode = ino };
	struct file *f;
	struct iov_iter it;
	char buf[2 * PAGE_SIZE];
	int err = 0;

	(void)state;
	fail_read_idx = 1;
	assert_int_equal(file_read_kernel(ino, PAGE_SIZE + 5, buf, 10), -EIO);
	assert_null(file_page_lookup(ino, 1));
	assert_int_equal(ino->nr_pages, 0);
	assert_null(file_page_get(ino, 1, &err));
	assert_int_equal(err, -EIO);
	assert_int_equal(ino->nr_pages, 0);
	/* After some bytes, a short count, as Linux. */
	assert_int_equal(file_read_kernel(ino, 0, buf, sizeof(buf)), PAGE_SIZE);
	/* read(2)'s path: EIO; a write into the page cannot read it either. */
	f = file_open_dentry(&d, O_RDWR);
	iov_iter_kernel(&it, buf, 10);
	assert_int_equal(regular_pread(f, &it, PAGE_SIZE), -EIO);
	iov_iter_kernel(&it, buf, 10);
	assert_int_equal(regular_pwrite(f, &it, PAGE_SIZE + 1), -EIO);
	assert_null(file_page_lookup(ino, 1));
	assert_int_equal(ino->nr_dirty, 0);
	/* The device recovers: the page reads through. */
	fail_read_idx = -1;
	iov_iter_kernel(&it, buf, 10);
	assert_int_equal(regular_pread(f, &it, PAGE_SIZE), 10);
	assert_memory_equal(buf, disk[0] + PAGE_SIZE, 10);
	free(f);
	file_pages_release(ino);
}

static void test_a_write_error_is_reported_by_the_next_fsync_once(void **state)
{
	struct inode *ino = fake_file(0, 2 * PAGE_SIZE);
	struct inode *other = fake_file(1, PAGE_SIZE);

	(void)state;
	/* Failing under sync(2): kept for the file's next fsync. */
	fail_write_idx = 0;
	fail_write_once = true;
	assert_int_equal(file_write_kernel(ino, 0, "x", 1), 0);
	assert_int_equal(file_write_kernel(other, 0, "y", 1), 0);
	page_cache_sync_all(NULL);
	assert_int_equal(writes, 2);
	assert_int_equal(page_cache_fsync(other, 0, UINT64_MAX), 0);
	assert_int_equal(page_cache_fsync(ino, 0, UINT64_MAX), -EIO);
	assert_int_equal(page_cache_fsync(ino, 0, UINT64_MAX), 0);
	/* The failed page is clean (not retried, as Linux): nothing more written. */
	assert_int_equal(writes, 2);
	assert_int_equal(page_cache_nr_dirty(), 0);
	/* Failing under fsync itself: that fsync says so, the next does not. */
	fail_write_idx = 1;
	fail_write_once = false;
	assert_int_equal(file_write_kernel(ino, PAGE_SIZE, "z", 1), 0);
	assert_int_equal(page_cache_fsync(ino, 0, UINT64_MAX), -EIO);
	assert_int_equal(page_cache_fsync(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 3);
	file_pages_release(ino);
	file_pages_release(other);
}

static void test_a_page_mapped_shared_stays_dirty_while_mapped(void **state)
{
	struct inode *ino = fake_file(0, 2 * PAGE_SIZE);
	int err = 0;
	char *page = file_page_get(ino, 1, &err);
	paddr_t pa = virt_to_phys(page);

	(void)state;
	assert_non_null(page);
	page_ref_get(pa);                           /* the mapping's reference */
	page_cache_mark_mapped(ino, 1);
	assert_true(dirty(ino, 1));
	page[0] = 'M';                              /* a store through the mapping */
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 1);
	assert_int_equal(disk[0][PAGE_SIZE], 'M');
	assert_true(dirty(ino, 1));                 /* may be written again unseen */
	page[1] = 'N';
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 2);
	assert_int_equal(disk[0][PAGE_SIZE + 1], 'N');
	/* Unmapped: one last writeback, then clean. */
	page_ref_put(pa);
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 3);
	assert_false(dirty(ino, 1));
	assert_int_equal(page_cache_writeback(ino, 0, UINT64_MAX), 0);
	assert_int_equal(writes, 3);
	file_pages_release(ino);
}

static void test_syncfs_writes_its_instance_and_sync_every_dirty_file(void **state)
{
	struct inode *a = fake_file(0, PAGE_SIZE), *b = fake_file(1, PAGE_SIZE);
	struct inode *gone = fake_file(1, PAGE_SIZE);

	(void)state;
	assert_int_equal(file_write_kernel(a, 0, "a", 1), 0);
	assert_int_equal(file_write_kernel(b, 0, "b", 1), 0);
	assert_int_equal(file_write_kernel(gone, 0, "g", 1), 0);
	assert_int_equal(page_cache_nr_dirty(), 3);
	/* A file released dirty (unlinked, last reference) is forgotten unwritten. */
	file_pages_release(gone);
	assert_int_equal(page_cache_nr_dirty(), 2);
	page_cache_sync_all(&sb_b);
	assert_int_equal(writes, 1);
	assert_ptr_equal(b->sb, &sb_b);
	assert_int_equal(disk[1][0], 'b');
	assert_true(dirty(a, 0));
	page_cache_sync_all(NULL);
	assert_int_equal(writes, 2);
	assert_int_equal(disk[0][0], 'a');
	assert_int_equal(page_cache_nr_dirty(), 0);
	page_cache_sync_all(NULL);
	assert_int_equal(writes, 2);
	file_pages_release(a);
	file_pages_release(b);
}

static void test_initrd_files_read_through_the_page_cache_ops(void **state)
{
	struct inode *ino = inode_alloc(S_IFREG | 0644);
	static char archive[2 * PAGE_SIZE + 100];
	static char back[3 * PAGE_SIZE];
	int err = 0;
	char *page;

	(void)state;
	for (size_t i = 0; i < sizeof(archive); i++)
		archive[i] = (char)('A' + i % 23);
	tmpfs_set_borrowed(ino, archive, sizeof(archive));
	assert_non_null(ino->pc_ops);
	assert_non_null(ino->pc_ops->read_page);
	assert_null(ino->pc_ops->write_page);
	/* Read in place (peek): every byte, the archive ending mid-page, no page made. */
	assert_int_equal(file_read_kernel(ino, 0, back, sizeof(back)), sizeof(archive));
	assert_memory_equal(back, archive, sizeof(archive));
	assert_int_equal(file_read_kernel(ino, 2 * PAGE_SIZE + 96, back, 8), 4);
	assert_memory_equal(back, archive + 2 * PAGE_SIZE + 96, 4);
	assert_int_equal(ino->nr_pages, 0);
	/* A page that must exist (a mapping) is read through read_page: bytes, then zeros. */
	page = file_page_get(ino, 2, &err);
	assert_non_null(page);
	assert_memory_equal(page, archive + 2 * PAGE_SIZE, 100);
	assert_int_equal(page[100], 0);
	/* A write: a page of its own, never the archive; dirty only as bookkeeping. */
	assert_int_equal(file_write_kernel(ino, 1, "W", 1), 0);
	assert_int_equal(archive[1], 'B');
	assert_int_equal(file_read_kernel(ino, 0, back, 3), 3);
	assert_memory_equal(back, "AWC", 3);
	assert_int_equal(ino->nr_dirty, 1);
	assert_int_equal(page_cache_nr_dirty(), 0); /* tmpfs pages are not "Dirty" */
	assert_int_equal(page_cache_fsync(ino, 0, UINT64_MAX), 0);
	assert_int_equal(ino->nr_dirty, 0);
	/* Truncate into the archive, grow again: the cut bytes read as zeros. */
	assert_int_equal(tmpfs_truncate(ino, PAGE_SIZE + 50), 0);
	assert_int_equal(tmpfs_truncate(ino, 2 * PAGE_SIZE), 0);
	assert_int_equal(file_read_kernel(ino, PAGE_SIZE + 48, back, 4), 4);
	assert_memory_equal(back, archive + PAGE_SIZE + 48, 2);
	assert_int_equal(back[2] | back[3], 0);
	iput(ino);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_miss_reads_the_page_once_and_a_hit_reads_nothing, setup),
		cmocka_unit_test_setup(test_without_read_page_a_missing_page_is_a_hole, setup),
		cmocka_unit_test_setup(test_a_write_dirties_exactly_the_pages_it_touches, setup),
		cmocka_unit_test_setup(test_writeback_writes_exactly_the_dirty_pages_and_cleans_them, setup),
		cmocka_unit_test_setup(test_truncate_drops_pages_and_their_dirt_and_zeroes_the_tail, setup),
		cmocka_unit_test_setup(test_a_read_error_is_eio_to_the_reader_and_leaves_no_page, setup),
		cmocka_unit_test_setup(test_a_write_error_is_reported_by_the_next_fsync_once, setup),
		cmocka_unit_test_setup(test_a_page_mapped_shared_stays_dirty_while_mapped, setup),
		cmocka_unit_test_setup(test_syncfs_writes_its_instance_and_sync_every_dirty_file, setup),
		cmocka_unit_test_setup(test_initrd_files_read_through_the_page_cache_ops, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
