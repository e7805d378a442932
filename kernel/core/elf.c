/*
 * ELF64 validation for exec. Every field read from the file is treated as
 * hostile: offsets and sizes are checked for overflow before being added,
 * and nothing outside buf is touched. Anything odd is -ENOEXEC, which is
 * also what Linux returns for a file it cannot load.
 */

#include <kevlar/elf.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

static bool is_power_of_two(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* True if [off, off + size) fits in a file of file_size bytes. */
static bool range_in_file(uint64_t off, uint64_t size, uint64_t file_size)
{
	return off <= file_size && size <= file_size - off;
}

static int check_header(const Elf64_Ehdr *eh, size_t buflen, uint64_t file_size,
			uint16_t machine)
{
	uint64_t table_size;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_machine != machine)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum < 1 || eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;

	/*
	 * The table must be in buf and suitably aligned, since callers read it
	 * as an array of structs. Every real linker puts it at offset 64.
	 */
	table_size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff % 8 != 0 ||
	    !range_in_file(eh->e_phoff, table_size, buflen) ||
	    !range_in_file(eh->e_phoff, table_size, file_size))
		return -ENOEXEC;
	return 0;
}

static int check_load(const Elf64_Phdr *ph, uint64_t file_size)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if (!range_in_file(ph->p_offset, ph->p_filesz, file_size))
		return -ENOEXEC;
	if (ph->p_vaddr >= ELF_USER_LIMIT ||
	    ph->p_memsz > ELF_USER_LIMIT - ph->p_vaddr)
		return -ENOEXEC;
	if (ph->p_align > 1 && !is_power_of_two(ph->p_align))
		return -ENOEXEC;
	/* Page-granular mapping needs file offset and address to agree mod a page. */
	if (ph->p_align >= PAGE_SIZE && (ph->p_vaddr - ph->p_offset) % PAGE_SIZE != 0)
		return -ENOEXEC;
	return 0;
}

static int check_interp(const Elf64_Phdr *ph, uint64_t file_size)
{
	/* At least one character plus the NUL, at most a path. */
	if (ph->p_filesz < 2 || ph->p_filesz > ELF_MAX_INTERP)
		return -ENOEXEC;
	if (!range_in_file(ph->p_offset, ph->p_filesz, file_size))
		return -ENOEXEC;
	return 0;
}

int elf_parse(const void *buf, size_t buflen, uint64_t file_size,
	      uint16_t machine, struct elf_info *out)
{
	const Elf64_Ehdr *eh = buf;
	const Elf64_Phdr *phdrs;
	uint64_t lo = UINT64_MAX, hi = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!buf || buflen < sizeof(Elf64_Ehdr) || file_size < buflen)
		return -ENOEXEC;
	ret = check_header(eh, buflen, file_size, machine);
	if (ret)
		return ret;

	phdrs = (const Elf64_Phdr *)((const char *)buf + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		switch (ph->p_type) {
		case PT_LOAD:
			ret = check_load(ph, file_size);
			if (ret)
				goto fail;
			if (ph->p_memsz == 0)
				break;
			if (ph->p_vaddr < lo)
				lo = ph->p_vaddr;
			if (ph->p_vaddr + ph->p_memsz > hi)
				hi = ph->p_vaddr + ph->p_memsz;
			break;
		case PT_INTERP:
			ret = out->has_interp ? -ENOEXEC : check_interp(ph, file_size);
			if (ret)
				goto fail;
			out->has_interp = true;
			out->interp_offset = ph->p_offset;
			out->interp_size = ph->p_filesz;
			break;
		case PT_GNU_STACK:
			out->exec_stack = (ph->p_flags & PF_X) != 0;
			break;
		default:
			break;
		}
	}
	/* No loadable bytes at all: nothing to run. */
	if (hi == 0) {
		ret = -ENOEXEC;
		goto fail;
	}

	out->type = eh->e_type;
	out->entry = eh->e_entry;
	out->phoff = eh->e_phoff;
	out->phnum = eh->e_phnum;
	out->phdrs = phdrs;
	out->min_vaddr = ALIGN_DOWN(lo, (uint64_t)PAGE_SIZE);
	out->max_vaddr = ALIGN_UP(hi, (uint64_t)PAGE_SIZE);
	return 0;

fail:
	memset(out, 0, sizeof(*out));
	return ret;
}
