#ifndef KEVLAR_ELF_LOAD_H
#define KEVLAR_ELF_LOAD_H

/* Loading ELF files into an address space for exec (kernel/core/elf_load.c). */

#include <kevlar/elf.h>

struct mm;
struct inode;

/* Read and validate file's headers: *buf (kmalloc, owns info->phdrs) or -ENOEXEC/-ENOMEM. */
int elf_read_header(struct inode *file, void **buf, struct elf_info *info, uint16_t machine);
/* PT_INTERP's path as a kmalloc'd string, or -ENOEXEC. */
int elf_read_interp(struct inode *file, const struct elf_info *info, char **out);
/* Map every PT_LOAD of file at p_vaddr + bias. */
int elf_load_segments(struct mm *mm, struct inode *file, const struct elf_info *info,
		      uint64_t bias);

#endif
