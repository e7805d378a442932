#ifndef KEVLAR_PAGE_CACHE_H
#define KEVLAR_PAGE_CACHE_H

/*
 * The page cache: regular-file contents in pages (fs/file_pages.c) and
 * their writeback (fs/page_writeback.c). A file's cached pages are its
 * inode's page slots (kevlar/fs.h: pages, slot_flags, nr_slots); a slot
 * that is NULL is not cached. What a missing page holds is the file
 * system's business, told through the operations below, which it hangs
 * on each regular-file inode (inode->pc_ops, per inode like Linux's
 * address_space operations, so one file system can give different files
 * different sources: tmpfs does, see below).
 *
 * Without pc_ops (or without read_page) a missing page is a hole and
 * reads as zeros: that is tmpfs, whose pages are the only copy. tmpfs
 * files unpacked from the initramfs borrow the archive's bytes instead
 * (fs/tmpfs.c: initrd_page_ops): read_page copies them into a page when
 * one must exist (a write, a mapping), and peek lets read(2) and exec
 * copy straight out of the archive without making one.
 *
 * Who calls what:
 * - read(2), exec, sendfile (file_read_kernel, regular_pread): the cached
 *   page, else peek, else read_page into a new cached page, else zeros.
 * - write(2) and file_write_kernel: the page (read_page first unless the
 *   page starts at or past the end of the file), then mark it dirty.
 * - A fault on a file mapping (mm/vm.c map_file_page): the page; in a
 *   MAP_SHARED writable area also marked dirty and "mapped shared" (see
 *   page_cache_mark_mapped below).
 * - truncate (file_pages_resize): pages past the end dropped, dirty or
 *   not, without writing; a cached tail page zeroed past the end and
 *   marked dirty. The file system's own truncate must make read_page
 *   return zeros past the new size afterwards (free or zero the blocks).
 * - fsync, fdatasync, msync(MS_SYNC), sync_file_range: the file's dirty
 *   pages in range through write_page; sync and syncfs: every inode on
 *   the dirty list (only inodes whose ops have write_page are on it);
 *   umount: the instance's inodes before its last mount goes. close(2)
 *   writes nothing, as on Linux.
 * - The last iput (file_pages_release) drops dirty pages unwritten: the
 *   file is gone (unlinked). An inode cache that evicts a still-linked
 *   inode must call page_cache_fsync on it first.
 *
 * Locking: everything here runs with fs_lock() held, and read_page and
 * write_page are called with it held. fs_lock is a sleeping lock, so
 * they may sleep (a block file system waits for its device there),
 * though every other file operation waits behind them. Callers
 * re-read the inode's slots after each call (the slot array may grow or
 * shrink meanwhile), and writeback clears a page's dirty bit before
 * write_page, so a write racing with it marks the page dirty again.
 */

#include <kevlar/types.h>

struct inode;
struct superblock;

struct page_cache_ops {
	/*
	 * Fill page (PAGE_SIZE bytes, already zero) with bytes
	 * [idx * PAGE_SIZE, +PAGE_SIZE) of ino; bytes past the end of the
	 * file stay zero. 0, or -errno (-EIO, -ENOMEM): the page is not
	 * cached and the reader gets the error (read(2): EIO, a fault:
	 * SIGBUS). Never asked for a page that starts at or past the end.
	 * Optional: without it a missing page is a hole.
	 */
	int (*read_page)(struct inode *ino, uint64_t idx, void *page);
	/*
	 * Write page idx of ino back: len bytes are valid (less than
	 * PAGE_SIZE only for the last page; the rest of the page is zero,
	 * so a file system may write a whole block). 0 or -errno; an error
	 * leaves the page clean (its data stays cached, not retried, as on
	 * Linux) and is reported once by the next fsync of the file.
	 * Optional: without it writeback only clears the dirty bits.
	 */
	int (*write_page)(struct inode *ino, uint64_t idx, const void *page, size_t len);
	/*
	 * Bytes of an uncached page readable in place at pos, without
	 * making a page: a pointer and *len (given as the rest of the page;
	 * may be lowered, never to 0), or NULL for zeros over *len bytes.
	 * Optional (tmpfs's initramfs files); with it, reads never call
	 * read_page.
	 */
	const char *(*peek)(struct inode *ino, uint64_t pos, size_t *len);
};

/* slot_flags bits (kevlar/fs.h struct inode). */
#define PAGE_SLOT_DIRTY         (1u << 0)   /* changed since it was last written back */
#define PAGE_SLOT_MAPPED_SHARED (1u << 1)   /* faulted into a writable MAP_SHARED area */

/* Mark page idx (present) dirty: written by write(2), zeroed by truncate. */
void page_cache_mark_dirty(struct inode *ino, uint64_t idx);
/*
 * Page idx (present) was mapped into a writable MAP_SHARED area. PTE
 * dirty bits are not read, so writes through the mapping are invisible:
 * the page is dirty now and stays dirty across writebacks (written again
 * each time) while any mapping still holds it (page reference count
 * above the cache's one). mprotect adding write to a shared file area
 * unmaps its pages (mm/vm.c), so they fault here again.
 */
void page_cache_mark_mapped(struct inode *ino, uint64_t idx);
/* Slot idx lost its page (truncate, release): forget its dirty state. */
void page_cache_forget(struct inode *ino, uint64_t idx);

/*
 * Write the dirty pages of bytes [from, to) through write_page (to past
 * the end: all) and clear their dirty bits. The first error, also kept
 * for the next page_cache_fsync when none is kept yet.
 */
int page_cache_writeback(struct inode *ino, uint64_t from, uint64_t to);
/*
 * fsync, fdatasync, msync(MS_SYNC), sync_file_range: write back the
 * range, then report the error kept since the last report, once: one
 * error per inode, not per open file as Linux's errseq (cheap, and the
 * same for a single opener).
 */
int page_cache_fsync(struct inode *ino, uint64_t from, uint64_t to);
/* The error kept since the last report, once (0 if none): sync_file_range's wait. */
int page_cache_take_error(struct inode *ino);
/* sync: every inode with dirty pages; sb not NULL: only that instance's (syncfs, umount). */
void page_cache_sync_all(struct superblock *sb);

/* For /proc/meminfo: dirty pages of files that are written back, pages being written now. */
uint64_t page_cache_nr_dirty(void);
uint64_t page_cache_nr_writeback(void);

#endif
