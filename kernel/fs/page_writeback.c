/*
 * Dirty pages and writing them back (kevlar/page_cache.h). Each page
 * slot has PAGE_SLOT_* flags; an inode counts its dirty slots, and an
 * inode whose file system writes pages back (pc_ops->write_page) sits on
 * dirty_inodes while it has any, so sync visits only those. tmpfs has no
 * write_page: its dirty bits are bookkeeping, cleared by an fsync, and
 * like Linux's shmem pages they are not "Dirty" in /proc/meminfo.
 *
 * Everything is under fs_lock(). The one caller without it is the last
 * iput of a mapped file from task_exit (file_pages_release), which runs
 * with interrupts off: on one CPU that keeps every other task out too.
 */
#include <kevlar/fs.h>
#include <kevlar/list.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>

/* Inodes with dirty pages and a write_page; guarded by fs_lock. */
static struct list_head dirty_inodes = LIST_HEAD_INIT(dirty_inodes);
/* Their dirty pages, and pages inside write_page now (/proc/meminfo); fs_lock. */
static uint64_t nr_dirty_pages, nr_writeback_pages;

static bool writes_back(const struct inode *ino)
{
	return ino->pc_ops && ino->pc_ops->write_page;
}

/* A zeroed link (kzalloc'd inode) means "not on the list". */
static bool on_dirty_list(const struct inode *ino)
{
	return ino->dirty_link.next != NULL;
}

void page_cache_mark_dirty(struct inode *ino, uint64_t idx)
{
	if (ino->slot_flags[idx] & PAGE_SLOT_DIRTY)
		return;
	ino->slot_flags[idx] |= PAGE_SLOT_DIRTY;
	ino->nr_dirty++;
	if (!writes_back(ino))
		return;
	nr_dirty_pages++;
	if (!on_dirty_list(ino))
		list_add_tail(&ino->dirty_link, &dirty_inodes);
}

static void clear_dirty(struct inode *ino, uint64_t idx)
{
	if (!(ino->slot_flags[idx] & PAGE_SLOT_DIRTY))
		return;
	ino->slot_flags[idx] &= ~PAGE_SLOT_DIRTY;
	ino->nr_dirty--;
	/* On the list means counted: pc_ops may have changed since (tmpfs_set_data). */
	if (on_dirty_list(ino)) {
		nr_dirty_pages--;
		if (ino->nr_dirty == 0) {
			list_del(&ino->dirty_link);
			ino->dirty_link.next = ino->dirty_link.prev = NULL;
		}
	}
}

void page_cache_mark_mapped(struct inode *ino, uint64_t idx)
{
	ino->slot_flags[idx] |= PAGE_SLOT_MAPPED_SHARED;
	page_cache_mark_dirty(ino, idx);
}

void page_cache_forget(struct inode *ino, uint64_t idx)
{
	clear_dirty(ino, idx);
	ino->slot_flags[idx] = 0;
}

/*
 * A page faulted into a writable shared area may still be written
 * through a mapping: it stays dirty while any mapping holds it (more
 * references than the cache's own). The simple correct choice over
 * write-protecting every mapping again, which needs a reverse map.
 */
static bool still_mapped_shared(struct inode *ino, uint64_t idx)
{
	if (!(ino->slot_flags[idx] & PAGE_SLOT_MAPPED_SHARED))
		return false;
	if (page_ref_count(virt_to_phys(ino->pages[idx])) > 1)
		return true;
	ino->slot_flags[idx] &= ~PAGE_SLOT_MAPPED_SHARED;
	return false;
}

int page_cache_writeback(struct inode *ino, uint64_t from, uint64_t to)
{
	int first_err = 0;

	if (from >= to)
		return 0;
	/* Slots and the size are re-read each time round: write_page may sleep one day. */
	for (uint64_t idx = from / PAGE_SIZE; ino->nr_dirty && idx < ino->nr_slots &&
	     idx <= (to - 1) / PAGE_SIZE; idx++) {
		uint64_t start = idx * PAGE_SIZE;
		size_t len;
		int err;

		if (!(ino->slot_flags[idx] & PAGE_SLOT_DIRTY))
			continue;
		if (!still_mapped_shared(ino, idx))
			clear_dirty(ino, idx);
		if (!writes_back(ino) || start >= ino->size)
			continue;
		len = MIN((uint64_t)PAGE_SIZE, ino->size - start);
		nr_writeback_pages++;
		err = ino->pc_ops->write_page(ino, idx, ino->pages[idx], len);
		nr_writeback_pages--;
		if (err && !first_err)
			first_err = err;
		if (err && !ino->wb_err)
			ino->wb_err = err;
	}
	return first_err;
}

int page_cache_take_error(struct inode *ino)
{
	int err = ino->wb_err;

	ino->wb_err = 0;
	return err;
}

int page_cache_fsync(struct inode *ino, uint64_t from, uint64_t to)
{
	page_cache_writeback(ino, from, to);
	return page_cache_take_error(ino);
}

void page_cache_sync_all(struct superblock *sb)
{
	struct inode *ino, *next;

	/*
	 * Writing an inode back can only take that inode off the list. Once
	 * write_page sleeps, this walk must hold a reference to the next one.
	 */
	list_for_each_entry_safe(ino, next, &dirty_inodes, dirty_link)
		if (!sb || inode_sb(ino) == sb)
			page_cache_writeback(ino, 0, UINT64_MAX);
}

uint64_t page_cache_nr_dirty(void)
{
	return nr_dirty_pages;
}

uint64_t page_cache_nr_writeback(void)
{
	return nr_writeback_pages;
}
