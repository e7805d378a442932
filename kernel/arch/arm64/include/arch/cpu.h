#ifndef ARCH_ARM64_CPU_H
#define ARCH_ARM64_CPU_H

/* System-register access and barriers. */

#include <kevlar/types.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" : : : "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" : : : "memory"); }

static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

/* ESR_EL1 exception classes (ARM ARM D13.2.37). */
#define ESR_EC_SHIFT        26
#define ESR_EC_UNKNOWN      0x00
#define ESR_EC_WFX          0x01
#define ESR_EC_FP_ASIMD     0x07
#define ESR_EC_ILL_STATE    0x0e
#define ESR_EC_SVC64        0x15
#define ESR_EC_SYS64        0x18
#define ESR_EC_IABT_LOW     0x20
#define ESR_EC_IABT_CUR     0x21
#define ESR_EC_PC_ALIGN     0x22
#define ESR_EC_DABT_LOW     0x24
#define ESR_EC_DABT_CUR     0x25
#define ESR_EC_SP_ALIGN     0x26
#define ESR_EC_FP_EXC64     0x2c
#define ESR_EC_SERROR       0x2f
#define ESR_EC_BREAKPT_LOW  0x30
#define ESR_EC_SOFTSTP_LOW  0x32
#define ESR_EC_WATCHPT_LOW  0x34
#define ESR_EC_BRK64        0x3c

/*
 * Data/instruction abort ISS: fault status code and write-not-read. A
 * cache maintenance instruction (DC CVAU and friends) that faults reports
 * CM with WnR set, yet writes nothing.
 */
#define ESR_ISS_WNR         (1UL << 6)
#define ESR_ISS_CM          (1UL << 8)
#define ESR_FSC_MASK        0x3f
#define ESR_FSC_TYPE_MASK   0x3c
#define ESR_FSC_TRANSLATION 0x04
#define ESR_FSC_ACCESS      0x08
#define ESR_FSC_PERMISSION  0x0c
#define ESR_FSC_ALIGNMENT   0x21        /* e.g. an exclusive load of an unaligned address */

#endif
