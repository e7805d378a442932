#ifndef KEVLAR_ELF_H
#define KEVLAR_ELF_H

/*
 * ELF64 header validation for exec (kernel/core/elf.c). Pure parsing: no
 * memory is mapped here, so it can be tested on the host.
 */

#include <kevlar/types.h>
#include <uapi/elf.h>

/* Lowest address of the kernel half; user mappings must end below it. */
#define ELF_USER_LIMIT   0x0000800000000000ULL
#define ELF_MAX_PHNUM    64
#define ELF_MAX_INTERP   4096

struct elf_info {
	uint16_t type;           /* ET_EXEC or ET_DYN */
	uint64_t entry;
	uint64_t phoff;
	uint16_t phnum;
	const Elf64_Phdr *phdrs; /* points into buf */
	uint64_t interp_offset, interp_size;   /* 0 if none */
	bool has_interp;
	uint64_t min_vaddr, max_vaddr;  /* page-rounded span of the PT_LOADs */
	bool exec_stack;         /* PT_GNU_STACK with PF_X (no PT_GNU_STACK: false) */
};

/*
 * Validate the ELF file whose first buflen bytes are in buf and whose total
 * size is file_size, for CPU machine (EM_X86_64, EM_AARCH64). The ELF
 * header and the program header table (at an 8-byte aligned offset) must
 * lie inside buf, and buflen <= file_size. buf must be 8-byte aligned.
 * Returns 0 and fills *out, or -ENOEXEC for anything malformed or
 * unsupported (and *out is zeroed).
 */
int elf_parse(const void *buf, size_t buflen, uint64_t file_size,
	      uint16_t machine, struct elf_info *out);

#endif
