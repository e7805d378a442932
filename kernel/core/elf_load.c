/*
 * Mapping an ELF file's PT_LOAD segments into a new address space, for
 * exec (the program and its interpreter). A segment whose file offset and
 * address agree modulo the page size (every linker output does) becomes
 * a private file mapping: its pages are the file's own until written, so
 * every process running libc shares libc's text. The part of the last
 * file page past p_filesz is zeroed (it is .bss, but the file page holds
 * whatever follows), and the rest of p_memsz is anonymous memory. Other
 * segments are copied into anonymous pages.
 */
#include <kevlar/elf_load.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mm.h>
#include <kevlar/page.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

static unsigned prot_of(uint32_t pflags)
{
	return ((pflags & PF_R) ? MMU_READ : 0) | ((pflags & PF_W) ? MMU_WRITE : 0) |
	       ((pflags & PF_X) ? MMU_EXEC : 0);
}

/*
 * The page at va of mm, present and private to mm, as a kernel pointer.
 * The mm is exec's new one, which no other task sees yet; mm->lock is
 * still taken, for the rules (and never across fs_lock).
 */
static char *private_page(struct mm *mm, vaddr_t va)
{
	struct vma *v;
	paddr_t pa;
	char *page = NULL;

	spin_lock(&mm->lock);
	if (mm_populate(mm, va, va + PAGE_SIZE) || !(v = mm_find_vma(mm, va)) ||
	    !pgtable_query(&mm->pt, va, &pa, NULL))
		goto out;
	if (page_ref_count(pa) > 1 && (cow_break(mm, v, va) || !pgtable_query(&mm->pt, va, &pa, NULL)))
		goto out;
	page = phys_to_virt(pa);
out:
	spin_unlock(&mm->lock);
	return page;
}

/* Add an area to exec's new mm (see private_page). */
static int add_area(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		    struct inode *file, uint64_t pgoff)
{
	int err;

	spin_lock(&mm->lock);
	err = mm_add_file_vma(mm, start, end, prot, flags, file, pgoff);
	spin_unlock(&mm->lock);
	return err;
}

/* Copy file bytes [off, off+len) (or zeros when file is NULL) to va in mm. */
static int fill_user(struct mm *mm, vaddr_t va, struct inode *file, uint64_t off, size_t len)
{
	while (len) {
		size_t pgoff = va & (PAGE_SIZE - 1), chunk = MIN(len, PAGE_SIZE - pgoff);
		char *page = private_page(mm, va - pgoff);

		if (!page)
			return -ENOMEM;
		if (file) {
			ssize_t got;

			fs_lock();
			got = file_read_kernel(file, off, page + pgoff, chunk);
			fs_unlock();
			if (got < 0)
				return (int)got;
			off += chunk;
		} else {
			memset(page + pgoff, 0, chunk);
		}
		va += chunk;
		len -= chunk;
	}
	return 0;
}

static int load_segment(struct mm *mm, struct inode *file, const Elf64_Phdr *ph,
			uint64_t bias, vaddr_t *covered_end)
{
	vaddr_t va = ph->p_vaddr + bias, start = ALIGN_DOWN(va, PAGE_SIZE);
	vaddr_t file_end = va + ph->p_filesz, end = ALIGN_UP(va + ph->p_memsz, PAGE_SIZE);
	vaddr_t anon_start;
	unsigned prot = prot_of(ph->p_flags);
	int err;

	if (ph->p_offset + ph->p_filesz > file->size || ph->p_filesz > ph->p_memsz ||
	    ph->p_offset + ph->p_filesz < ph->p_offset || !user_range_ok_pages(start, end - start))
		return -ENOEXEC;
	if (start >= *covered_end && ph->p_filesz &&
	    (va - ph->p_offset) % PAGE_SIZE == 0) {
		anon_start = ALIGN_UP(file_end, PAGE_SIZE);
		if ((err = add_area(mm, start, anon_start, prot, 0, file,
				    ALIGN_DOWN(ph->p_offset, PAGE_SIZE) / PAGE_SIZE)))
			return err;
		if (ph->p_memsz > ph->p_filesz && file_end < anon_start &&
		    (err = fill_user(mm, file_end, NULL, 0, anon_start - file_end)))
			return err;
		if (anon_start < end && (err = add_area(mm, anon_start, end, prot, VMA_ANON, NULL, 0)))
			return err;
		*covered_end = MAX(*covered_end, end);
		return 0;
	}
	/* Segments sharing a page at their edges: the shared page is reused. */
	anon_start = MAX(start, *covered_end);
	if (anon_start < end && (err = add_area(mm, anon_start, end, prot, VMA_ANON, NULL, 0)))
		return err;
	if (anon_start > start) {
		struct vma *v;

		spin_lock(&mm->lock);
		if ((v = mm_find_vma(mm, start)))
			v->prot |= prot;
		spin_unlock(&mm->lock);
	}
	*covered_end = MAX(*covered_end, end);
	return fill_user(mm, va, file, ph->p_offset, ph->p_filesz);
}

int elf_load_segments(struct mm *mm, struct inode *file, const struct elf_info *info,
		      uint64_t bias)
{
	vaddr_t covered_end = 0;
	int err;

	for (unsigned i = 0; i < info->phnum; i++) {
		const Elf64_Phdr *ph = &info->phdrs[i];

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if ((err = load_segment(mm, file, ph, bias, &covered_end)))
			return err;
	}
	return 0;
}

int elf_read_header(struct inode *file, void **buf, struct elf_info *info, uint16_t machine)
{
	ssize_t n;

	/* The ELF and program headers sit in the first page of every sane file. */
	if (!(*buf = kmalloc(PAGE_SIZE)))
		return -ENOMEM;
	fs_lock();
	n = file_read_kernel(file, 0, *buf, PAGE_SIZE);
	fs_unlock();
	if (n < 0 || elf_parse(*buf, n, file->size, machine, info)) {
		kfree(*buf);
		*buf = NULL;
		return n < 0 ? (int)n : -ENOEXEC;
	}
	return 0;
}

int elf_read_interp(struct inode *file, const struct elf_info *info, char **out)
{
	char *path;
	ssize_t n;

	if (info->interp_size < 2 || info->interp_size > ELF_MAX_INTERP)
		return -ENOEXEC;
	if (!(path = kmalloc(info->interp_size + 1)))
		return -ENOMEM;
	fs_lock();
	n = file_read_kernel(file, info->interp_offset, path, info->interp_size);
	fs_unlock();
	path[info->interp_size] = '\0';
	if (n < 0 || strlen(path) != info->interp_size - 1) {
		kfree(path);
		return n < 0 ? (int)n : -ENOEXEC;
	}
	*out = path;
	return 0;
}
