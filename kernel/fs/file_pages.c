/*
 * Regular file contents, page by page: the page cache (kevlar/page_cache.h).
 * A file is an array of page slots indexed by offset / PAGE_SIZE; a NULL
 * slot is not cached, and the inode's pc_ops say what it holds: bytes to
 * read in (read_page), bytes to read in place (peek: tmpfs's initramfs
 * files), or, without either, a hole that reads as zeros. These pages
 * are also what file mmap maps: a mapping takes its own reference on the
 * page, so a mapped page outlives a truncate (as on Linux, the mapper
 * keeps stale data instead of faulting). Dirty bits and writeback are in
 * fs/page_writeback.c.
 *
 * Invariant: bytes of a present page beyond the file size are zero, so
 * growing the file (write past the end, ftruncate up) and mapping the
 * partial last page both read zeros there. Callers hold fs_lock().
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/string.h>
#include <kevlar/mount.h>
#include <kevlar/tmpfs_limits.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>

/*
 * Leave 1/64 of memory to running programs: a tmpfs filling RAM should
 * say ENOSPC, not starve the page faults of everyone else.
 */
static bool memory_short(void)
{
	return page_nr_free() < page_nr_total() / 64 + 16;
}

static int grow_slots(struct inode *ino, uint64_t idx)
{
	size_t n = ino->nr_slots ? ino->nr_slots : 16;
	uint8_t *flags;
	void **slots;

	if (idx < ino->nr_slots)
		return 0;
	while (n <= idx) {
		if (n > ((size_t)1 << 40) / sizeof(void *))
			return -EFBIG;
		n *= 2;
	}
	if (!(slots = kzalloc(n * sizeof(void *))))
		return -ENOSPC;
	if (!(flags = kzalloc(n))) {
		kfree(slots);
		return -ENOSPC;
	}
	if (ino->pages) {
		memcpy(slots, ino->pages, ino->nr_slots * sizeof(void *));
		memcpy(flags, ino->slot_flags, ino->nr_slots);
	}
	kfree(ino->pages);
	kfree(ino->slot_flags);
	ino->pages = slots;
	ino->slot_flags = flags;
	ino->nr_slots = n;
	return 0;
}

void *file_page_lookup(const struct inode *ino, uint64_t idx)
{
	return idx < ino->nr_slots ? ino->pages[idx] : NULL;
}

/* A page file_page_get took but does not keep. */
static void put_new_page(struct inode *ino, void *page)
{
	page_ref_put(virt_to_phys(page));
	sb_uncharge_page(inode_sb(ino));
}

void *file_page_get(struct inode *ino, uint64_t idx, int *err)
{
	const struct page_cache_ops *ops = ino->pc_ops;
	void *page;

	if ((page = file_page_lookup(ino, idx)))
		return page;
	if ((*err = grow_slots(ino, idx)))
		return NULL;
	/* A tmpfs full to its size= is ENOSPC, as memory running short is. */
	if (memory_short() || !sb_charge_page(inode_sb(ino))) {
		*err = -ENOSPC;
		return NULL;
	}
	if (!(page = page_zalloc(0))) {
		sb_uncharge_page(inode_sb(ino));
		*err = -ENOSPC;
		return NULL;
	}
	/* A page at or past the end holds nothing yet: zeros, no read. */
	if (ops && ops->read_page && idx * PAGE_SIZE < ino->size &&
	    (*err = ops->read_page(ino, idx, page))) {
		put_new_page(ino, page);
		return NULL;
	}
	/* read_page may have let the slots change (it may sleep). */
	if (idx < ino->nr_slots && ino->pages[idx]) {
		put_new_page(ino, page);
		return ino->pages[idx];
	}
	if ((*err = grow_slots(ino, idx))) {
		put_new_page(ino, page);
		return NULL;
	}
	ino->pages[idx] = page;
	ino->nr_pages++;
	return page;
}

const char *file_peek(struct inode *ino, uint64_t pos, size_t *len, int *err)
{
	const struct page_cache_ops *ops = ino->pc_ops;
	size_t off = pos % PAGE_SIZE;
	const char *page = file_page_lookup(ino, pos / PAGE_SIZE);

	*len = PAGE_SIZE - off;
	*err = 0;
	if (page)
		return page + off;
	if (ops && ops->peek)
		return ops->peek(ino, pos, len);
	if (!ops || !ops->read_page)
		return NULL;            /* a hole */
	page = file_page_get(ino, pos / PAGE_SIZE, err);
	/* A reader short of memory is ENOMEM, not a full file system (no reclaim yet). */
	if (*err == -ENOSPC)
		*err = -ENOMEM;
	return page ? page + off : NULL;
}

ssize_t file_pages_read(struct inode *ino, uint64_t pos, struct iov_iter *to)
{
	size_t n = iov_iter_count(to), done = 0;

	if (pos >= ino->size)
		return 0;
	n = MIN(n, ino->size - pos);
	while (done < n) {
		size_t chunk, got;
		int err;
		const char *src = file_peek(ino, pos + done, &chunk, &err);

		/* A read error or fault after some bytes is a short read, as on Linux. */
		if (err)
			return done ? (ssize_t)done : err;
		chunk = MIN(chunk, n - done);
		got = src ? copy_to_iter(to, src, chunk) : zero_to_iter(to, chunk);
		done += got;
		if (got < chunk)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

ssize_t file_read_kernel(struct inode *ino, uint64_t pos, void *buf, size_t n)
{
	struct iov_iter it;

	iov_iter_kernel(&it, buf, n);
	return file_pages_read(ino, pos, &it);
}

static void drop_page(struct inode *ino, uint64_t idx)
{
	void *page = ino->pages[idx];

	if (page) {
		page_cache_forget(ino, idx);
		ino->pages[idx] = NULL;
		ino->nr_pages--;
		page_ref_put(virt_to_phys(page));
		sb_uncharge_page(inode_sb(ino));
	}
}

/*
 * Zero [from, end of its page) of a present page: keeps the invariant
 * above. The page changed, so it is dirty (an uncached tail is the file
 * system's: read_page returns zeros past the end).
 */
static void zero_tail(struct inode *ino, uint64_t from)
{
	char *page = file_page_lookup(ino, from / PAGE_SIZE);

	if (page && from % PAGE_SIZE) {
		memset(page + from % PAGE_SIZE, 0, PAGE_SIZE - from % PAGE_SIZE);
		page_cache_mark_dirty(ino, from / PAGE_SIZE);
	}
}

void file_pages_resize(struct inode *ino, uint64_t size)
{
	if (size < ino->size) {
		uint64_t first_gone = ALIGN_UP(size, (uint64_t)PAGE_SIZE) / PAGE_SIZE;

		for (uint64_t i = first_gone; i < ino->nr_slots; i++)
			drop_page(ino, i);
		zero_tail(ino, size);
	} else {
		/* A shared mapping may have written past the end; the new bytes read as zeros. */
		zero_tail(ino, ino->size);
	}
	ino->size = size;
}

void file_pages_release(struct inode *ino)
{
	for (uint64_t i = 0; i < ino->nr_slots; i++)
		drop_page(ino, i);
	kfree(ino->pages);
	kfree(ino->slot_flags);
	ino->pages = NULL;
	ino->slot_flags = NULL;
	ino->nr_slots = 0;
	ino->size = 0;
}

int file_write_kernel(struct inode *ino, uint64_t pos, const void *buf, size_t n)
{
	size_t done = 0;
	int err = 0;

	if (pos > ino->size)
		zero_tail(ino, ino->size);
	while (done < n) {
		uint64_t p = pos + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - p % PAGE_SIZE);
		char *page = file_page_get(ino, p / PAGE_SIZE, &err);

		if (!page)
			return err;
		memcpy(page + p % PAGE_SIZE, (const char *)buf + done, chunk);
		page_cache_mark_dirty(ino, p / PAGE_SIZE);
		done += chunk;
	}
	if (pos + n > ino->size)
		ino->size = pos + n;
	return 0;
}
