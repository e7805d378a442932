/* The IDT: every vector goes to its stub in trap_entry.S. */
#include <kevlar/types.h>
#include <arch/segments.h>
#include <arch/traps.h>

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

#define GATE_INTERRUPT  0x8e    /* present, DPL 0, 64-bit interrupt gate (IF cleared) */
#define TRAP_STUB_SIZE  16      /* .balign 16 per stub in trap_entry.S */

extern char trap_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < 256; v++) {
		uint64_t addr = (uint64_t)trap_stubs + v * TRAP_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_low = addr & 0xffff,
			.selector = GDT_KERNEL_CS,
			.ist = v == VEC_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0,
			.type_attr = GATE_INTERRUPT,
			.offset_mid = (addr >> 16) & 0xffff,
			.offset_high = addr >> 32,
		};
	}
	__asm__ volatile("lidt %0" : : "m"(ptr));
}
