#ifndef ARCH_ARM64_PLATFORM_H
#define ARCH_ARM64_PLATFORM_H

/*
 * The devices the arm64 kernel drives, as the device tree describes them
 * (dtb.c fills this before anything else runs). Addresses are physical;
 * interrupt numbers are GIC interrupt IDs (SPI n = 32 + n, PPI n = 16 + n).
 */

#include <kevlar/types.h>

enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

struct platform {
	uint64_t uart_base;
	unsigned uart_irq;
	uint64_t gicd_base;     /* GIC distributor */
	uint64_t gicc_base;     /* GICv2 CPU interface */
	unsigned timer_irq;     /* EL1 virtual timer PPI */
	enum psci_conduit psci;
	uint64_t rtc_base;      /* PL031, 0 when there is none */
};

extern struct platform platform;
extern uint64_t boot_dtb_phys;

/* Parse the DTB into boot_info and platform; false if it is unreadable. */
bool dtb_parse(uint64_t dtb_phys);

/* Physical MMIO address → its virtual address in the direct map. */
static inline uint64_t mmio_virt(uint64_t pa)
{
	return pa + 0xffff800000000000UL;
}

#endif
