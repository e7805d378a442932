# arm64 build settings, included by kernel/Makefile.
#
# -mgeneral-regs-only: FP/SIMD registers belong to user tasks (saved only
# at context switch), so the kernel must never touch them.
# -mcmodel=large is not needed: the kernel lives in the top 2 GiB and adrp
# reaches +-4 GiB. -mstrict-align: early boot code runs with the MMU off,
# where every access is Device memory and unaligned accesses fault.
# -mbranch-protection=none: no PAC/BTI instructions (plain v8.0 target).
# -mno-outline-atomics: __atomic builtins become inline exclusive-load/store
# loops (v8.0 has no LSE), not calls into libgcc helpers we do not link.
CROSS_COMPILE ?= aarch64-linux-gnu-
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align \
	-mbranch-protection=none -mno-outline-atomics -fno-pie
ARCH_LDFLAGS := -m aarch64elf --no-relax
