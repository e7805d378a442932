#ifndef ARCH_ARM64_TRAP_FRAME_H
#define ARCH_ARM64_TRAP_FRAME_H

/*
 * Registers saved on the kernel stack by every exception entry
 * (vectors.S), lowest address first. Offsets are used by vectors.S
 * (TF_* below); the size keeps sp 16-byte aligned.
 */

#define TF_X0       0
#define TF_SP       (31 * 8)
#define TF_PC       (32 * 8)
#define TF_PSTATE   (33 * 8)
#define TF_KIND     (34 * 8)
#define TF_ORIG_X0  (38 * 8)
#define TF_SIZE     (40 * 8)

/* Which vector entered (kind): what the C handler dispatches on. */
#define TRAP_SYNC   0
#define TRAP_IRQ    1
#define TRAP_FIQ    2
#define TRAP_SERROR 3

#ifndef __ASSEMBLY__
#include <kevlar/types.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp;            /* SP_EL0 for a user frame, the old sp for a kernel one */
	uint64_t pc;            /* ELR_EL1 */
	uint64_t pstate;        /* SPSR_EL1 */
	uint64_t kind;          /* TRAP_* */
	uint64_t esr;           /* ESR_EL1 of a synchronous exception */
	uint64_t far;           /* FAR_EL1 of an abort */
	/* The syscall number while in a syscall (Linux's syscallno), else -1. */
	int64_t syscallno;
	uint64_t orig_x0;       /* x0 at syscall entry: x0 becomes the result */
	uint64_t pad;
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap_frame size");
_Static_assert(__builtin_offsetof(struct trap_frame, pc) == TF_PC, "trap_frame pc");
_Static_assert(__builtin_offsetof(struct trap_frame, syscallno) == TF_KIND + 24, "trap_frame");
_Static_assert(__builtin_offsetof(struct trap_frame, orig_x0) == TF_ORIG_X0, "trap_frame");

#define PSTATE_MODE_MASK    0xf
#define PSTATE_EL0t         0x0
#define PSTATE_EL1h         0x5
#define PSTATE_F            (1UL << 6)
#define PSTATE_I            (1UL << 7)
#define PSTATE_A            (1UL << 8)
#define PSTATE_D            (1UL << 9)

static inline bool trap_from_user(const struct trap_frame *tf)
{
	return (tf->pstate & PSTATE_MODE_MASK) == PSTATE_EL0t;
}

static inline uint64_t trap_frame_ip(const struct trap_frame *tf)
{
	return tf->pc;
}

static inline uint64_t trap_frame_fp(const struct trap_frame *tf)
{
	return tf->x[29];
}
#endif

#endif
