# x86_64 build settings, included by kernel/Makefile.
#
# -mcmodel=kernel: the kernel is linked in the top 2 GiB
# (0xffffffff80000000), so every symbol fits a sign-extended 32-bit
# immediate. -mno-red-zone: interrupts arrive on the current kernel stack
# and would clobber the 128 bytes below %rsp. -mgeneral-regs-only: the
# kernel never touches SSE/x87 state, which belongs to user tasks.
CROSS_COMPILE ?=
ARCH_CFLAGS := -m64 -march=x86-64 -mcmodel=kernel -mno-red-zone \
	-mgeneral-regs-only -mno-sse -mno-mmx
ARCH_LDFLAGS := -m elf_x86_64
