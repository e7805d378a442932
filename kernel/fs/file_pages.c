/*
 * Regular file contents, page by page. A file is an array of page slots
 * indexed by offset / PAGE_SIZE; a slot is NULL for a hole (reads as
 * zeros) or for a page still only in the initrd ("backing": the archive's
 * bytes, borrowed, never written). The first write or mmap of such a page
 * copies it into a page of its own. These pages are also the page cache
 * for file mmap: a mapping takes its own reference on the page, so a
 * mapped page outlives a truncate (as on Linux, the mapper keeps stale
 * data instead of faulting).
 *
 * Invariant: bytes of a present page beyond the file size are zero, so
 * growing the file (write past the end, ftruncate up) and mapping the
 * partial last page both read zeros there. Callers hold fs_lock().
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/page.h>
#include <kevlar/string.h>
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
	if (ino->pages)
		memcpy(slots, ino->pages, ino->nr_slots * sizeof(void *));
	kfree(ino->pages);
	ino->pages = slots;
	ino->nr_slots = n;
	return 0;
}

void *file_page_lookup(const struct inode *ino, uint64_t idx)
{
	return idx < ino->nr_slots ? ino->pages[idx] : NULL;
}

void *file_page_get(struct inode *ino, uint64_t idx, int *err)
{
	uint64_t off = idx * PAGE_SIZE;
	void *page;

	if ((page = file_page_lookup(ino, idx)))
		return page;
	if ((*err = grow_slots(ino, idx)))
		return NULL;
	if (memory_short() || !(page = page_zalloc(0))) {
		*err = -ENOSPC;
		return NULL;
	}
	if (off < ino->backing_len)
		memcpy(page, ino->backing + off, MIN((uint64_t)PAGE_SIZE, ino->backing_len - off));
	ino->pages[idx] = page;
	ino->nr_pages++;
	return page;
}

/* Where byte pos can be read without allocating: a page, the initrd, or NULL for zeros. */
const char *file_peek(const struct inode *ino, uint64_t pos)
{
	const char *page = file_page_lookup(ino, pos / PAGE_SIZE);

	if (page)
		return page + pos % PAGE_SIZE;
	if (pos < ino->backing_len)
		return ino->backing + pos;
	return NULL;
}

size_t file_read_kernel(const struct inode *ino, uint64_t pos, void *buf, size_t n)
{
	size_t done = 0;

	if (pos >= ino->size)
		return 0;
	n = MIN(n, ino->size - pos);
	while (done < n) {
		uint64_t p = pos + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - p % PAGE_SIZE);
		const char *src = file_peek(ino, p);

		if (src) {
			/* The initrd may end mid-page. */
			if (!file_page_lookup(ino, p / PAGE_SIZE))
				chunk = MIN(chunk, ino->backing_len - p);
			memcpy((char *)buf + done, src, chunk);
		} else {
			memset((char *)buf + done, 0, chunk);
		}
		done += chunk;
	}
	return n;
}

static void drop_page(struct inode *ino, uint64_t idx)
{
	void *page = ino->pages[idx];

	if (page) {
		ino->pages[idx] = NULL;
		ino->nr_pages--;
		page_ref_put(virt_to_phys(page));
	}
}

/* Zero [from, end of its page) of a present page: keeps the invariant above. */
static void zero_tail(struct inode *ino, uint64_t from)
{
	char *page = file_page_lookup(ino, from / PAGE_SIZE);

	if (page && from % PAGE_SIZE)
		memset(page + from % PAGE_SIZE, 0, PAGE_SIZE - from % PAGE_SIZE);
}

void file_pages_resize(struct inode *ino, uint64_t size)
{
	if (size < ino->size) {
		uint64_t first_gone = ALIGN_UP(size, (uint64_t)PAGE_SIZE) / PAGE_SIZE;

		for (uint64_t i = first_gone; i < ino->nr_slots; i++)
			drop_page(ino, i);
		zero_tail(ino, size);
		ino->backing_len = MIN(ino->backing_len, size);
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
	ino->pages = NULL;
	ino->nr_slots = 0;
	ino->backing = NULL;
	ino->backing_len = 0;
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
		done += chunk;
	}
	if (pos + n > ino->size)
		ino->size = pos + n;
	return 0;
}
