"""The one QEMU command line for booting a kernel with the test rootfs.

Used by `make run` (via `python3 -m farm boot`), by tests/boot, and later by the
farm's QEMU boards, so that every boot of a target is the same boot.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHES = ("x86_64", "arm64")
KERNELS = ("kevlar", "linux")
CONSOLE = {"x86_64": "ttyS0", "arm64": "ttyAMA0"}


class BootError(Exception):
    """A boot that cannot start; the message says what to do."""


@dataclass
class Target:
    arch: str
    kernel: str
    build: Path = ROOT / "build"

    def __post_init__(self):
        if self.arch not in ARCHES:
            raise BootError(f"unknown ARCH={self.arch!r}: expected one of {', '.join(ARCHES)}")
        if self.kernel not in KERNELS:
            raise BootError(f"unknown KERNEL={self.kernel!r}: expected one of {', '.join(KERNELS)}")

    @property
    def name(self):
        return f"{self.arch}-{self.kernel}"

    @property
    def image(self):
        b = self.build / self.arch
        if self.kernel == "kevlar":
            return b / "kernel" / "kevlar.img"
        return b / "linux" / ("vmlinuz" if self.arch == "x86_64" else "Image")

    @property
    def initrd(self):
        return self.build / self.arch / "rootfs.cpio"

    def default_cmdline(self):
        console = f"console={CONSOLE[self.arch]}"
        # panic=-1 with -no-reboot makes a Linux panic end QEMU instead of hanging.
        return console if self.kernel == "kevlar" else f"{console} panic=-1"


def kvm_usable(arch):
    """True when /dev/kvm can run an unmodified guest kernel of this arch.

    On these machines /dev/kvm is served by kvm_pvm, which cannot: Debian's
    kernel hangs or dies with an emulation failure (REFERENCE 3.1)."""
    host = {"x86_64": "x86_64", "aarch64": "arm64"}.get(os.uname().machine)
    if host != arch or not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    if Path("/sys/module/kvm_pvm").exists():
        return False
    if arch == "x86_64":
        flags = Path("/proc/cpuinfo").read_text()
        return " vmx" in flags or " svm" in flags
    return True


def resolve_accel(arch, accel):
    if accel in ("", "auto", None):
        return "kvm" if kvm_usable(arch) else "tcg"
    if accel not in ("kvm", "tcg"):
        raise BootError(f"unknown ACCEL={accel!r}: expected kvm, tcg or auto")
    if accel == "kvm" and not kvm_usable(arch):
        raise BootError(f"ACCEL=kvm: /dev/kvm cannot run an unmodified {arch} kernel on this host "
                        f"(missing, not accessible, or PVM); use ACCEL=tcg")
    return accel


@dataclass
class BootSpec:
    target: Target
    cmdline: str = ""
    mem: str = "256M"
    accel: str = "auto"
    gdb: bool = False
    initrd: str = ""
    extra: list = field(default_factory=list)

    def command(self):
        t = self.target
        initrd = Path(self.initrd) if self.initrd else t.initrd
        for path, how in ((t.image, f"make kernel ARCH={t.arch} KERNEL={t.kernel}"),
                          (initrd, f"make rootfs ARCH={t.arch}")):
            if not path.exists():
                raise BootError(f"{path} is missing: build it with `{how}`")
        accel = resolve_accel(t.arch, self.accel)
        cmdline = " ".join(x for x in (t.default_cmdline(), self.cmdline) if x)
        if t.arch == "x86_64":
            cmd = ["qemu-system-x86_64", "-M", "pc", "-cpu", "max" if accel == "tcg" else "host",
                   # Exit statuses for the guest: Kevlar writes its panic code here.
                   "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        else:
            cmd = ["qemu-system-aarch64", "-M", "virt",
                   "-cpu", "cortex-a57" if accel == "tcg" else "host"]
            if t.kernel == "kevlar":
                # Exit statuses for the guest, as isa-debug-exit on x86_64:
                # Kevlar's panic asks for status 3 through Arm semihosting.
                cmd += ["-semihosting-config", "enable=on,target=native"]
                cmdline += " kevlar.semihosting"
        cmd += ["-accel", accel, "-m", self.mem, "-nographic", "-no-reboot",
                # No NIC: QEMU's default one loads an iPXE option ROM (REFERENCE 3.2).
                "-nic", "none",
                "-kernel", str(t.image), "-initrd", str(initrd), "-append", cmdline]
        if self.gdb:
            cmd += ["-s", "-S"]
        return cmd + list(self.extra)
