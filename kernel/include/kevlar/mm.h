#ifndef KEVLAR_MM_H
#define KEVLAR_MM_H

/*
 * User address spaces (kernel/mm/vm.c, cow.c, sys_mm.c): a page-table
 * root plus a sorted list of virtual memory areas. Pages of anonymous
 * areas (heap, stack, mmap) are allocated on first touch by the
 * page-fault handler. fork shares every page copy-on-write: both sides
 * map it read-only, and the first write fault copies it (or, when the
 * page's reference count shows nobody else has it, just makes it
 * writable). An area's prot is what the program asked for; the page
 * table may hold less while a page is shared.
 */

#include <kevlar/types.h>
#include <kevlar/list.h>
#include <kevlar/mmu.h>
#include <kevlar/pgtable.h>
#include <kevlar/refcount.h>
#include <kevlar/spinlock.h>
#include <kevlar/wait.h>
#include <arch/layout.h>

#define VMA_ANON        (1u << 0)   /* zero-filled on demand */
#define VMA_STACK       (1u << 1)
#define VMA_HEAP        (1u << 2)
#define VMA_SHARED      (1u << 3)   /* MAP_SHARED: fork shares, never copies */
#define VMA_NORESERVE   (1u << 4)   /* MAP_NORESERVE: commits no memory (overcommit.h) */
/*
 * What mprotect may never add (Linux's VM_MAYWRITE / VM_MAYEXEC missing):
 * a shared mapping of a file whose descriptor was not open for writing
 * may not become writable, a file on a noexec mount not executable.
 */
#define VMA_NOWRITE     (1u << 5)
#define VMA_NOEXEC      (1u << 6)

struct inode;

/*
 * Does an area of these VMA_* flags and MMU_* protection commit memory
 * (kevlar/overcommit.h)? As on Linux: private writable ones and shared
 * anonymous ones, unless MAP_NORESERVE; nothing else can ever hold pages
 * of its own (a file's pages are the file's).
 */
static inline bool vma_commits_memory(unsigned flags, unsigned prot, bool has_file)
{
	if (flags & VMA_NORESERVE)
		return false;
	return (flags & VMA_SHARED) ? !has_file : (prot & MMU_WRITE) != 0;
}

#define USER_STACK_TOP      0x00007ffffffff000UL
#define USER_STACK_SIZE     (8UL << 20)         /* RLIMIT_STACK default */
#define USER_MMAP_TOP       0x00007f0000000000UL
#define USER_MIN_ADDR       0x10000UL           /* vm.mmap_min_addr */

struct vma {
	vaddr_t start, end;         /* page aligned, [start, end) */
	unsigned prot;              /* MMU_READ | MMU_WRITE | MMU_EXEC */
	unsigned flags;             /* VMA_* */
	/*
	 * File mappings (no VMA_ANON): page (va - start) / PAGE_SIZE + pgoff
	 * of file. Private ones map the file's page read-only and copy it on
	 * the first write (mm/cow.c); shared ones map the page itself.
	 */
	struct inode *file;         /* holds a reference (iget) */
	uint64_t pgoff;
	struct list_head link;
};

/*
 * Locking: mm->lock protects vmas, pt, brk, mmap_top and the exec
 * bounds, for every thread sharing the mm and every reader (procfs,
 * futex keys). It is a spin lock: nothing under it sleeps. Order:
 * fs_lock before mm->lock, never the other way; a file-page fault drops
 * mm->lock to read the file under fs_lock, then takes it again and
 * checks that the area is still there (mm/vm.c map_file_page). The
 * functions below that take a struct mm expect mm->lock held, except
 * mm_create, mm_get, mm_put, mm_grab, mm_drop, mm_wait_users, mm_clone,
 * mm_handle_fault, mm_usage and mm_write_u32, which take it themselves.
 */
struct mm {
	spinlock_t lock;
	struct pgtable pt;           /* the page tables (mm/pgtable.c) */
	struct list_head vmas;      /* sorted by address, non-overlapping */
	vaddr_t brk_start, brk;
	vaddr_t mmap_top;           /* next top-down search starts below this */
	/*
	 * Two counts, as Linux's mm_users and mm_count. users: tasks running
	 * in it (threads, a vfork child borrowing it); vfork waits for it to
	 * drop, and it is changed with interrupts off. holds: everything that
	 * keeps the memory itself, the struct with its areas, page tables,
	 * pages and exe: one for all the users together, dropped by the last,
	 * plus one per reader of another task's memory (procfs; mm_grab).
	 * Readers therefore need no rule about when the owner exits: the
	 * teardown happens at the last hold, in whoever drops it (possibly a
	 * procfs reader, a moment after the process is gone).
	 */
	int users;
	refcount_t holds;
	struct wait_queue users_wait;   /* a vfork parent waits for users to drop */
	/* Where exec put the argument and environment strings (/proc/<pid>/cmdline, environ). */
	vaddr_t arg_start, arg_end, env_start, env_end;
	struct dentry *exe;         /* the program file (/proc/<pid>/exe); a reference */
};

/*
 * What an address space uses, in pages: its areas (VmSize) and the
 * resident pages by kind (their sum is VmRSS): private and anonymous
 * memory, file pages, shared anonymous memory.
 */
struct mm_usage {
	unsigned long size, anon, file, shmem;
};
void mm_usage(struct mm *mm, struct mm_usage *u);

/* The program file (fs/exe_file.c): exec records it, fork copies it, the end drops it. */
struct dentry;
void mm_set_exe(struct mm *mm, const char *path);
void mm_copy_exec_info(struct mm *dst, const struct mm *src);
void mm_put_exe(struct mm *mm);

/* [addr, addr+len) lies inside user space (no wrap-around). */
static inline bool user_range_ok_pages(vaddr_t addr, size_t len)
{
	return addr < USER_SPACE_END && len <= USER_SPACE_END - addr;
}

struct mm *mm_create(void);
/* Another user (a thread, a vfork child). */
void mm_get(struct mm *mm);
/* Drop one user; the last one drops the users' hold. May sleep (teardown takes fs_lock). */
void mm_put(struct mm *mm);
/* Keep mm's memory (not its users) alive: a reader of another task's mm. */
void mm_grab(struct mm *mm);
/* Drop a hold; the last one frees the address space. May sleep, as mm_put. */
void mm_drop(struct mm *mm);
/*
 * t's mm with a hold (mm_drop when done), or NULL for a kernel thread or
 * a zombie. t->mm changes with interrupts off (exec, exit), and so this
 * reads it. Areas and tables still need mm->lock to be read.
 */
struct task;
struct mm *task_mm_grab(struct task *t);
/* vfork: sleep until mm has at most users users again (the child exec'd or exited). */
void mm_wait_users(struct mm *mm, int users);
/* A private copy for fork: 0 and *out, or -ENOMEM. */
int mm_clone(struct mm *src, struct mm **out);

struct vma *mm_find_vma(struct mm *mm, vaddr_t addr);
/* No area overlaps [start, end). */
bool mm_range_is_free(struct mm *mm, vaddr_t start, vaddr_t end);
/* Pages of mm's areas inside [start, end). mm->lock held. */
unsigned long mm_pages_in(struct mm *mm, vaddr_t start, vaddr_t end);
/*
 * RLIMIT_AS, as Linux's may_expand_vm: may mm (the current process's)
 * grow by npages of address space, every area counted (PROT_NONE too)?
 * mm->lock held. Callers that fail say ENOMEM (brk keeps the old break).
 */
bool mm_may_expand(struct mm *mm, unsigned long npages);
/* Areas cover all of [start, end). */
bool mm_range_is_mapped(struct mm *mm, vaddr_t start, vaddr_t end);
/* Pages of [start, end) that making it writable would commit (private, not yet writable). */
uint64_t mm_write_charge(struct mm *mm, vaddr_t start, vaddr_t end);
/* Add an area over [start, end) which must be free; -ENOMEM on failure. */
int mm_add_vma(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags);
/* The same for a file mapping at page offset pgoff of file (the area takes a reference). */
int mm_add_file_vma(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		    struct inode *file, uint64_t pgoff);
/* Move the pages of [old, old+len) to [new, new+len), which must be one free hole (mremap). */
int mm_move_range(struct mm *mm, vaddr_t old, vaddr_t new, size_t len);
/* Remove mappings and areas in [start, end), splitting areas at the edges. */
int mm_unmap_range(struct mm *mm, vaddr_t start, vaddr_t end);
int mm_protect_range(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot);
/* A free, page-aligned range of len bytes below mm->mmap_top, or 0. */
vaddr_t mm_find_free(struct mm *mm, size_t len);
/* Allocate and map every page of [start, end) now (zeroed). */
int mm_populate(struct mm *mm, vaddr_t start, vaddr_t end);

/*
 * Resolve a fault at addr for access (MMU_READ/WRITE/EXEC): 0, -EACCES
 * when an area is there but forbids the access (SEGV_ACCERR), -EFAULT
 * (no area, past the end of a file: SEGV_MAPERR), -EIO (a file page
 * that could not be read: SIGBUS) or -ENOMEM (no page: the OOM killer).
 */
int mm_handle_fault(struct mm *mm, vaddr_t addr, unsigned access);
/* The same with mm->lock held (it may be dropped and retaken on the way). */
int mm_fault_locked(struct mm *mm, vaddr_t addr, unsigned access);
/* Drop the pages of [start, end) but keep the areas (MADV_DONTNEED). */
void mm_zap_range(struct mm *mm, vaddr_t start, vaddr_t end);

/* Copy-on-write (mm/cow.c). */
/* fork: share v's pages of src with dst, read-only where they must be copied on write. */
int cow_share_area(struct mm *src, struct mm *dst, const struct vma *v);
/* A write fault on a present, write-protected page of a writable area. */
int cow_break(struct mm *mm, const struct vma *v, vaddr_t va);
/* Page-table protection for a present page of v: no write while shared. */
unsigned cow_pte_prot(const struct vma *v, paddr_t pa);
/* Write a u32 into mm (which need not be the current one), breaking COW. */
int mm_write_u32(struct mm *mm, vaddr_t va, uint32_t val);

#endif
