# Kevlar: a Linux-compatible kernel in C and the test farm that proves it.
#
# The two commands (each installs what it needs first):
#   make run     boot a kernel with the Debian rootfs in QEMU, console on stdio
#   make test    unit tests, then boot tests of every built target
#
# Variables for run (and debug):
#   ARCH=x86_64|arm64   KERNEL=kevlar|linux   CMDLINE="..." (appended to console=)
#   MEM=256M            ACCEL=auto|kvm|tcg    (auto: kvm only where it can run a guest)
#   INITRD=path         another initramfs instead of build/ARCH/rootfs.cpio
#
# Other targets:
#   deps       install the Debian packages the project uses (idempotent)
#   kernel     build Kevlar for ARCH            rootfs   build build/ARCH/rootfs.cpio
#   rootfs-full  build/ARCH/rootfs-full.cpio: the rootfs plus stress-ng (for its tests)
#   linux      extract Debian's reference kernel for ARCH
#   unit       host unit tests of kernel code (cmocka)
#   boot-test  only the QEMU boot tests         debug    boot with QEMU's gdb stub waiting
#   test-long  the stress-ng leak check's long runs (a minute per run, ~25 min), then fuzz
#   farm       the boot suite on every board of farm/boards.yaml at once, with a table;
#              KERNEL=kevlar|linux|all (default all), FARM_ARGS="--inventory F --board B ..."
#   farm-test  the farm's own tests (inventory, locks, results, failure classes, sim board)
#   dashboard  build/dashboard/: static per-commit pages from build/results.db (also after farm)
#   dashboard-test  the dashboard from a fixture store: HTML content, headless Chromium
#   fuzz       10^6 random syscalls per arch on Kevlar (half as uid 1000, half as chrooted
#              root) with a hang watchdog; FUZZ_SEED=N to replay (default: the clock)
#   bench      boot time, memory and syscall speed, Kevlar beside Linux (farm/bench.py);
#              BENCH_ARGS="--runs 5 --board qemu-arm64 --kernel kevlar"
#   netboot-test  QEMU boards booted from the network like lab boards (dnsmasq + iPXE
#              BIOS/UEFI + U-Boot in a lab namespace; user-mode TFTP fallback): netboot/README.md
#   clean      remove build/ except the package cache

ARCH    ?= x86_64
KERNEL  ?= kevlar
CMDLINE ?=
MEM     ?= 256M
ACCEL   ?= auto
INITRD  ?=

PYTHON := /usr/bin/python3
B      := build/$(ARCH)

ifeq ($(filter $(ARCH),x86_64 arm64),)
$(error unknown ARCH=$(ARCH): use ARCH=x86_64 or ARCH=arm64)
endif
ifeq ($(filter $(KERNEL),kevlar linux all),)
$(error unknown KERNEL=$(KERNEL): use KERNEL=kevlar or KERNEL=linux (or all, for make farm))
endif
# make farm covers both kernels unless KERNEL is given.
FARM_KERNEL := $(if $(filter file,$(origin KERNEL)),all,$(KERNEL))
FARM_ARGS   ?=
BENCH_ARGS  ?=

# Everything the project uses from Debian 12. arm64 rootfs packages are
# downloaded as pkg:arm64 and extracted, never installed (rootfs/build.py).
DEBIAN_PACKAGES := gcc make binutils gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	libc6-dev-arm64-cross musl-tools cpio gzip file gdb libcmocka-dev linux-libc-dev \
	linux-libc-dev-arm64-cross \
	qemu-system-x86 qemu-system-arm qemu-user-static ovmf u-boot-qemu ipxe ipxe-qemu \
	dnsmasq-base iproute2 python3 python3-pytest python3-pexpect python3-yaml \
	python3-serial python3-jinja2 python3-psycopg2 postgresql chromium chromium-driver \
	grub-efi-amd64-bin grub-common

.PHONY: all run test test-long deps kernel rootfs rootfs-full linux unit boot-deps boot-test farm farm-test netboot-test debug clean help \
	dashboard dashboard-test bench fuzz

all: kernel rootfs linux

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	need_arm64=0; dpkg --print-foreign-architectures | grep -qx arm64 || need_arm64=1; \
	if [ -z "$$missing" ] && [ $$need_arm64 = 0 ] && apt-cache show libc6:arm64 >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "deps: missing Debian packages:$$missing"; \
		echo "deps: run as root, or: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install$$missing"; \
		exit 1; \
	fi; \
	echo "deps: installing:$${missing:- (none)}; arm64 package lists: $$([ $$need_arm64 = 1 ] && echo adding || echo refreshing)"; \
	dpkg --add-architecture arm64 && \
	apt-get update -q >/dev/null && \
	{ [ -z "$$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null; } || \
	{ echo "deps: apt-get failed: check the network and /etc/apt/sources.list, then run make deps again"; exit 1; }

# --- Kevlar -------------------------------------------------------------------

kernel: deps
	@$(MAKE) --no-print-directory -C kernel ARCH=$(ARCH) BUILD=$(CURDIR)/$(B)/kernel

# --- rootfs -------------------------------------------------------------------

# Our own small programs, built static and installed into the rootfs: with
# musl on x86_64; on arm64 with Debian's cross gcc and glibc (libc6-dev-arm64-cross:
# Debian has no aarch64 musl-gcc).
SRC_PROGRAMS := hello sigtest memfile filemap hello-glibc pthread-glibc procself efault_probe ptyscript unixstream sigfd flocktest cputime scmrights closeblock timewait wakebench bigreserve leakcheck mmbench mmstress lookupbench procreap fuzz memhog fdlimit futexops opath faultcodes
SRC_ROOT     := $(B)/src-root
SRC_BINS     := $(SRC_PROGRAMS:%=$(SRC_ROOT)/usr/lib/kevlar/%)
ifeq ($(ARCH),x86_64)
SRC_CC   := musl-gcc
SRC_CCID := MUSLCC
GLIBC_CC := gcc
else
SRC_CC   := aarch64-linux-gnu-gcc
SRC_CCID := GCC
GLIBC_CC := aarch64-linux-gnu-gcc
endif

$(SRC_ROOT)/usr/lib/kevlar/%: rootfs/src/%.c rootfs/src/check.h
	@mkdir -p $(dir $@)
	@printf "  %-7s %s\n" $(SRC_CCID) $<
	@$(SRC_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# The fuzzer's syscall list: every SYS_name of the C library's <sys/syscall.h>
# for this arch (the numbers stay symbolic; the compiler resolves them).
FUZZ_GEN := $(B)/fuzz-gen
$(FUZZ_GEN)/fuzz_syscalls.h: Makefile
	@mkdir -p $(dir $@)
	@echo '#include <sys/syscall.h>' | $(SRC_CC) -dM -E - | \
		sed -n 's/^#define SYS_\([a-z0-9_]*\) .*/{ SYS_\1, "\1" },/p' | sort > $@

$(SRC_ROOT)/usr/lib/kevlar/fuzz: rootfs/src/fuzz.c $(FUZZ_GEN)/fuzz_syscalls.h
	@mkdir -p $(dir $@)
	@printf "  %-7s %s\n" $(SRC_CCID) $<
	@$(SRC_CC) -static -O2 -Wall -Wextra -Werror -I$(FUZZ_GEN) -o $@ $<

# Programs named *-glibc: dynamically linked with (cross) gcc and glibc; the
# rootfs carries the same glibc (2.36) and its dynamic loader for the arch.
$(SRC_ROOT)/usr/lib/kevlar/%-glibc: rootfs/src/%-glibc.c
	@mkdir -p $(dir $@)
	@echo "  GCC     $<"
	@$(GLIBC_CC) -O2 -pthread -Wall -Wextra -Werror -o $@ $<

ROOTFS_INPUTS := $(shell find rootfs -type f -not -path '*/__pycache__/*' -not -path 'rootfs/src/*')

$(B)/rootfs.cpio: $(ROOTFS_INPUTS) $(SRC_BINS)
	@mkdir -p $(SRC_ROOT)
	@$(PYTHON) rootfs/build.py --arch $(ARCH) --out $(B) --extra $(SRC_ROOT)

rootfs: deps
	@$(MAKE) --no-print-directory $(B)/rootfs.cpio

# The same image plus rootfs/packages-full.txt (stress-ng, 31 MB with its
# libraries): booted only by the tests that need it (test_stressng.py).
$(B)/rootfs-full.cpio: $(ROOTFS_INPUTS) $(SRC_BINS)
	@mkdir -p $(SRC_ROOT)
	@$(PYTHON) rootfs/build.py --arch $(ARCH) --out $(B) --extra $(SRC_ROOT) --full

rootfs-full: deps
	@$(MAKE) --no-print-directory $(B)/rootfs-full.cpio

# --- Linux, the reference -----------------------------------------------------

LINUX_IMAGE := $(B)/linux/$(if $(filter x86_64,$(ARCH)),vmlinuz,Image)

$(LINUX_IMAGE): rootfs/reference_kernel.py rootfs/debian.py
	@$(PYTHON) rootfs/reference_kernel.py --arch $(ARCH) --out $(B)/linux

linux: deps
	@$(MAKE) --no-print-directory $(LINUX_IMAGE)

# --- booting ------------------------------------------------------------------

BOOT_ARGS = --arch $(ARCH) --kernel $(KERNEL) --cmdline '$(subst ','\'',$(CMDLINE))' \
	--mem $(MEM) --accel $(ACCEL) $(if $(INITRD),--initrd $(INITRD))

run: $(if $(filter kevlar,$(KERNEL)),kernel,linux) rootfs
	@$(PYTHON) -m farm boot $(BOOT_ARGS)

debug: $(if $(filter kevlar,$(KERNEL)),kernel,linux) rootfs
	@echo "debug: QEMU waits for gdb; in another terminal:"
	@echo "  gdb $(if $(filter kevlar,$(KERNEL)),$(B)/kernel/kevlar.elf,) -ex 'target remote :1234'"
	@$(PYTHON) -m farm boot $(BOOT_ARGS) --gdb

# --- tests --------------------------------------------------------------------

unit: deps
	@$(MAKE) --no-print-directory -C tests/unit run

# Everything the boot tests boot: Kevlar, the rootfs and Linux for both arches.
boot-deps: deps
	@$(MAKE) --no-print-directory ARCH=x86_64 kernel rootfs rootfs-full linux
	@$(MAKE) --no-print-directory ARCH=arm64 kernel rootfs rootfs-full linux

# The directly booted boards (farm/boards.yaml): the lab-* boards netboot,
# and netboot-test covers them.
boot-test: boot-deps
	@$(PYTHON) -m pytest -p no:cacheprovider tests/boot tests/expect \
		--board qemu-x86_64 --board qemu-arm64

farm-test: boot-deps
	@$(PYTHON) -m pytest -p no:cacheprovider tests/farm

# The dashboard is written even when jobs failed: that is when people look.
farm: boot-deps
	@status=0; $(PYTHON) -m farm run --kernel $(FARM_KERNEL) $(FARM_ARGS) || status=$$?; \
	$(PYTHON) -m dashboards || true; exit $$status

dashboard: deps
	@$(PYTHON) -m dashboards

dashboard-test: deps
	@$(PYTHON) -m pytest -p no:cacheprovider -q tests/dashboards

# Network boot (farm/lab.py, farm/netboot.py): BIOS, UEFI and U-Boot boards, ~5 min.
# Login on every board is checked by test_farm_lab.py, which runs
# test_netboots_to_login through `farm run` on the three boards at once: not
# again one board after another here.
netboot-test: boot-deps
	@$(PYTHON) -m pytest -p no:cacheprovider tests/netboot --inventory tests/netboot/boards.yaml \
		--deselect tests/netboot/test_netboot.py::test_netboots_to_login

test: unit dashboard-test farm-test boot-test netboot-test

# Longer runs than make test has time for: stress-ng's clone, fork and vm
# stressors, each run twice for a minute (fork and vm with two workers), both
# boards x kernels (~25 min); then make fuzz (~10 min).
test-long: boot-deps
	@STRESSNG_LONG=1 $(PYTHON) -m pytest -p no:cacheprovider tests/expect/test_stressng.py \
		--board qemu-x86_64 --board qemu-arm64
	@$(MAKE) --no-print-directory fuzz

# The syscall fuzzer's long run (make test runs 10^4 calls of it): 10^6 calls
# per arch on Kevlar, the seed printed first; a panic, a hang or a kernel
# warning fails it with the seed to replay (tests/expect/test_fuzz.py).
fuzz: boot-deps
	@seed=$${FUZZ_SEED:-$$(date +%s)}; echo "fuzz: seed $$seed"; \
	FUZZ_SEED=$$seed FUZZ_CALLS=$${FUZZ_CALLS:-1000000} $(PYTHON) -m pytest -p no:cacheprovider \
		tests/expect/test_fuzz.py --kernel kevlar --board qemu-x86_64 --board qemu-arm64

# Speed and memory: numbers to read, not pass/fail (build/bench/*.json).
bench: boot-deps
	@$(PYTHON) -m farm bench $(BENCH_ARGS)

clean:
	rm -rf build/x86_64 build/arm64 build/unit build/results
