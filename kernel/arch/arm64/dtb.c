/*
 * What the arm64 kernel learns from the device tree: memory (/memory
 * nodes minus /memreserve/ and /reserved-memory), the command line and
 * initrd (/chosen), and the devices it drives (PL011 UART, GICv2, timer,
 * PL031 RTC, PSCI). Copied into boot_info and platform so the DTB's memory can be
 * reused. Device "reg" values are taken with the root's cell sizes and no
 * "ranges" translation: true for QEMU virt, whose devices sit at the root.
 */
#include <kevlar/bootinfo.h>
#include <kevlar/fdt.h>
#include <kevlar/page.h>
#include <kevlar/string.h>
#include <arch/platform.h>

/* QEMU virt's values, used when the DTB does not say. */
struct platform platform = {
	.uart_base = 0x09000000,
	.uart_irq = 32 + 1,
	.gicd_base = 0x08000000,
	.gicc_base = 0x08010000,
	.timer_irq = 16 + 11,
	.psci = PSCI_HVC,
};

static int addr_cells = 2, size_cells = 1;

static void add_region(uint64_t base, uint64_t len, uint32_t type)
{
	if (boot_info.nr_mem >= BOOT_MAX_MEM_REGIONS || !len)
		return;
	boot_info.mem[boot_info.nr_mem++] = (struct boot_mem_region){ base, len, type };
}

/* Cut [base, base+len) out of every usable region (splitting as needed). */
static void carve_reserved(uint64_t base, uint64_t len)
{
	uint64_t end = base + len;

	for (int i = 0; i < boot_info.nr_mem; i++) {
		struct boot_mem_region *r = &boot_info.mem[i];
		uint64_t rend = r->base + r->len;

		if (r->type != BOOT_MEM_USABLE || end <= r->base || base >= rend)
			continue;
		if (base > r->base && end < rend)
			add_region(end, rend - end, BOOT_MEM_USABLE);
		if (base > r->base)
			r->len = base - r->base;
		else if (end < rend) {
			r->len = rend - end;
			r->base = end;
		} else {
			r->len = 0;
		}
	}
	add_region(base, len, BOOT_MEM_RESERVED);
}

static void parse_memory(const struct fdt *f)
{
	int depth = 0;

	for (int n = fdt_next_node(f, -1, &depth); n >= 0; n = fdt_next_node(f, n, &depth)) {
		int len, step = 4 * (addr_cells + size_cells);
		const uint8_t *reg;
		const char *type = fdt_prop(f, n, "device_type", NULL);

		if (depth != 1 || !type || strcmp(type, "memory") != 0)
			continue;
		reg = fdt_prop(f, n, "reg", &len);
		for (; reg && len >= step; reg += step, len -= step)
			add_region(fdt_read_cells(reg, addr_cells),
				   fdt_read_cells(reg + 4 * addr_cells, size_cells), BOOT_MEM_USABLE);
	}
}

static void parse_reservations(const struct fdt *f)
{
	const uint8_t *rsv = f->blob + fdt_be32(f->blob + 16);
	int node, depth;

	/* The memory reservation block: (address, size) pairs of 64 bits, ended by 0, 0. */
	for (; (uint64_t)(rsv - f->blob) + 16 <= f->total_size; rsv += 16) {
		uint64_t base = fdt_read_cells(rsv, 2), len = fdt_read_cells(rsv + 8, 2);

		if (!base && !len)
			break;
		carve_reserved(base, len);
	}
	node = fdt_path(f, "/reserved-memory");
	if (node < 0)
		return;
	depth = 1;
	for (int n = fdt_next_node(f, node, &depth); n >= 0 && depth > 1;
	     n = fdt_next_node(f, n, &depth)) {
		int len;
		const uint8_t *reg = fdt_prop(f, n, "reg", &len);

		if (depth == 2 && reg && len >= 4 * (addr_cells + size_cells))
			carve_reserved(fdt_read_cells(reg, addr_cells),
				       fdt_read_cells(reg + 4 * addr_cells, size_cells));
	}
}

static uint64_t prop_u64(const struct fdt *f, int node, const char *name, bool *found)
{
	int len;
	const void *p = fdt_prop(f, node, name, &len);

	*found = p && (len == 4 || len == 8);
	return *found ? fdt_read_cells(p, len / 4) : 0;
}

static void parse_chosen(const struct fdt *f)
{
	int node = fdt_path(f, "/chosen"), len;
	const char *args;
	uint64_t start, end;
	bool has_start, has_end;

	if (node < 0)
		return;
	args = fdt_prop(f, node, "bootargs", &len);
	if (args && len > 0)
		strlcpy(boot_info.cmdline, args, MIN((size_t)len + 1, sizeof(boot_info.cmdline)));
	start = prop_u64(f, node, "linux,initrd-start", &has_start);
	end = prop_u64(f, node, "linux,initrd-end", &has_end);
	if (has_start && has_end && end > start) {
		boot_info.initrd_start = start;
		boot_info.initrd_size = end - start;
	}
}

/* First (address, size) of a device's "reg". */
static bool reg_addr(const struct fdt *f, int node, int index, uint64_t *addr)
{
	int len, step = 4 * (addr_cells + size_cells);
	const uint8_t *reg = fdt_prop(f, node, "reg", &len);

	if (!reg || len < step * (index + 1))
		return false;
	*addr = fdt_read_cells(reg + step * index, addr_cells);
	return true;
}

/* GIC interrupt specifier: <type number flags>, type 0 = SPI, 1 = PPI. */
static bool irq_of(const uint8_t *spec, unsigned *intid)
{
	uint32_t type = fdt_be32(spec), num = fdt_be32(spec + 4);

	*intid = (type == 0 ? 32 : 16) + num;
	return true;
}

static void parse_devices(const struct fdt *f)
{
	int node, len;
	const uint8_t *irq;
	const char *method;

	node = fdt_find_compatible(f, -1, "arm,pl011");
	if (node >= 0) {
		reg_addr(f, node, 0, &platform.uart_base);
		irq = fdt_prop(f, node, "interrupts", &len);
		if (irq && len >= 12)
			irq_of(irq, &platform.uart_irq);
	}
	node = fdt_find_compatible(f, -1, "arm,cortex-a15-gic");
	if (node < 0)
		node = fdt_find_compatible(f, -1, "arm,gic-400");
	if (node >= 0) {
		reg_addr(f, node, 0, &platform.gicd_base);
		reg_addr(f, node, 1, &platform.gicc_base);
	}
	node = fdt_find_compatible(f, -1, "arm,armv8-timer");
	if (node >= 0) {
		/* Secure physical, non-secure physical, virtual, hypervisor. */
		irq = fdt_prop(f, node, "interrupts", &len);
		if (irq && len >= 36)
			irq_of(irq + 24, &platform.timer_irq);
	}
	node = fdt_find_compatible(f, -1, "arm,pl031");
	if (node >= 0)
		reg_addr(f, node, 0, &platform.rtc_base);
	node = fdt_path(f, "/psci");
	if (node >= 0 && (method = fdt_prop(f, node, "method", NULL)))
		platform.psci = strcmp(method, "smc") == 0 ? PSCI_SMC : PSCI_HVC;
}

bool dtb_parse(uint64_t dtb_phys)
{
	struct fdt f;
	int root, len;
	const void *p;

	boot_info.loader = "Linux arm64 boot protocol (DTB)";
	if (fdt_open(&f, phys_to_virt(dtb_phys)) != 0)
		return false;
	root = fdt_path(&f, "/");
	if ((p = fdt_prop(&f, root, "#address-cells", &len)) && len == 4)
		addr_cells = fdt_be32(p);
	if ((p = fdt_prop(&f, root, "#size-cells", &len)) && len == 4)
		size_cells = fdt_be32(p);
	parse_memory(&f);
	parse_reservations(&f);
	parse_chosen(&f);
	parse_devices(&f);
	return true;
}
