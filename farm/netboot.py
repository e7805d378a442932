"""Network boot: the TFTP tree, per-board boot files, firmware command lines,
and the boot stages from power-on to the kernel, with failures classified.

The TFTP root is build/netboot/tftp:

  boot.ipxe                    every iPXE client: chains boards/<mac>/boot.ipxe
  boot.scr.uimg                every U-Boot: `pxe get` + `pxe boot`
  ipxe.pxe, snponly.efi        for firmware whose own PXE comes first (lab boards)
  grubx64.efi                  GRUB EFI, for kernels EFI firmware cannot start
                               itself (Kevlar, a multiboot image): reads
                               boards/<mac>/grub.cfg
  pxelinux.cfg/01-<mac>        a U-Boot board's menu: its kernel, initrd, append
  boards/<mac>                 -> <mac>.<pid>.<n>/ {kernel, initrd, boot.ipxe[, grub.cfg]}

QEMU boards in a lab use the lab's own tree (farm/lab.py, Lab.tftp_root).

<mac> is lower case with dashes (52-54-00-4b-07-01), as both iPXE's
${mac:hexhyp} and U-Boot's pxelinux lookup spell it. A board's files are
written into a new directory and published by replacing the symlink (and
pxelinux file) with rename(2), so a board never fetches half of a set, and
boards with different kernels boot at once.
"""

import hashlib
import os
import re
import shutil
import struct
import subprocess
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from farm.errors import InfraError, StageTimeout
from farm.qemu import ROOT, resolve_accel

NETBOOT = ROOT / "build" / "netboot"
TFTP_ROOT = NETBOOT / "tftp"
MARK = "kevlar-netboot:"

OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = Path("/usr/share/OVMF/OVMF_VARS_4M.fd")
UBOOT = Path("/usr/lib/u-boot/qemu_arm64/u-boot.bin")
IPXE_FILES = {"ipxe.pxe": Path("/usr/lib/ipxe/ipxe.pxe"),
              "snponly.efi": Path("/usr/lib/ipxe/snponly.efi")}

# The first iPXE script: the board's own script by MAC. iPXE resolves relative
# names against the script's URI, so the same file works from dnsmasq and from
# QEMU's user-mode TFTP server.
BOOT_IPXE = f"""#!ipxe
echo {MARK} iPXE ${{mac}} has ${{ip}}, chaining boards/${{mac:hexhyp}}/boot.ipxe
chain boards/${{mac:hexhyp}}/boot.ipxe || goto failed
:failed
echo {MARK} FAILED: no boot script for ${{mac:hexhyp}} (error ${{errno}})
"""

# U-Boot's stock bootcmd (qemu_arm64) DHCPs and sources boot.scr.uimg.
UBOOT_SCRIPT = f"""echo {MARK} U-Boot script, pxe get for ${{ethaddr}}
if pxe get; then
  pxe boot
  echo {MARK} FAILED: pxe boot returned
else
  echo {MARK} FAILED: pxe get found no pxelinux.cfg for ${{ethaddr}}
fi
"""


# GRUB EFI for UEFI boards whose kernel is not an EFI executable (why GRUB:
# netboot/README.md). One image for every board: chained by iPXE, GRUB takes
# its address, MAC and server from the DHCP answer iPXE hands on (EFI PXE
# base code), and reads the board's own grub.cfg by MAC.
GRUB_DIR = Path("/usr/lib/grub/x86_64-efi")
GRUB_MODULES = ("efinet", "net", "tftp", "http", "multiboot", "multiboot2", "normal",
                "configfile", "echo", "regexp", "test")
GRUB_EMBED = f"""echo "{MARK} GRUB EFI on $net_default_mac, files from $net_default_server"
set root=(tftp,$net_default_server)
regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 \
    '^(..):(..):(..):(..):(..):(..)$' "$net_default_mac"
configfile /boards/$m1-$m2-$m3-$m4-$m5-$m6/grub.cfg
echo "{MARK} FAILED: GRUB found no /boards/$m1-$m2-$m3-$m4-$m5-$m6/grub.cfg"
"""
MULTIBOOT_MAGICS = (0x1BADB002, 0xE85250D6)   # multiboot 1 and 2 headers


def mac_dashes(mac):
    return mac.lower().replace(":", "-")


def _atomic_write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data if isinstance(data, bytes) else data.encode())
    os.replace(tmp, path)


def uimage_script(text, name="kevlar netboot"):
    """A legacy U-Boot script image (what `mkimage -T script` writes): a 64-byte
    big-endian header, then the image-length list (one length, 0) and the text.
    Written here so the lab needs no u-boot-tools."""
    body = text.encode()
    body += b"\0" * (-len(body) % 4)
    data = struct.pack(">II", len(body), 0) + body
    IH_MAGIC, IH_OS_LINUX, IH_ARCH_ARM64, IH_TYPE_SCRIPT, IH_COMP_NONE = \
        0x27051956, 5, 22, 6, 0

    def header(hcrc):
        return struct.pack(">IIIIIIIBBBB32s", IH_MAGIC, hcrc, int(time.time()), len(data), 0, 0,
                           zlib.crc32(data), IH_OS_LINUX, IH_ARCH_ARM64, IH_TYPE_SCRIPT,
                           IH_COMP_NONE, name.encode()[:31])
    return header(zlib.crc32(header(0))) + data


def prepare_root(root=TFTP_ROOT):
    """The files every board shares; idempotent."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "boards").mkdir(exist_ok=True)
    _atomic_write(root / "boot.ipxe", BOOT_IPXE)
    _atomic_write(root / "boot.scr.uimg", uimage_script(UBOOT_SCRIPT))
    for name, src in IPXE_FILES.items():
        if src.exists() and not (root / name).exists():
            _atomic_write(root / name, src.read_bytes())
    return root


def is_efi_executable(path):
    """A PE image (MZ, then PE at e_lfanew): what EFI firmware can start,
    as Linux's bzImage with its EFI stub is."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head[:2] != b"MZ" or len(head) < 0x40:
        return False
    off = struct.unpack_from("<I", head, 0x3C)[0]
    return head[off:off + 4] == b"PE\0\0" if off + 4 <= len(head) else False


def is_multiboot(path):
    """A multiboot 1 or 2 header in the first 32 KiB, 4- or 8-byte aligned."""
    with open(path, "rb") as f:
        head = f.read(32768)
    for off in range(0, len(head) - 12, 4):
        magic = struct.unpack_from("<I", head, off)[0]
        if magic in MULTIBOOT_MAGICS:
            return True
    return False


def image_kind(path):
    """What a kernel file is, from its magic numbers: 'bzImage', 'efi',
    'multiboot', 'arm64-image', 'uimage', 'fit', or None."""
    with open(path, "rb") as f:
        head = f.read(0x240)
    if len(head) >= 0x206 and head[0x202:0x206] == b"HdrS":
        return "bzImage"            # x86 boot protocol header (a bzImage may also be PE)
    if len(head) >= 0x3C and head[0x38:0x3C] == b"ARM\x64":
        return "arm64-image"        # (may also carry an EFI stub)
    if is_efi_executable(path):
        return "efi"
    if head[:4] == b"\x27\x05\x19\x56":
        return "uimage"
    if head[:4] == b"\xd0\x0d\xfe\xed":
        return "fit"
    if is_multiboot(path):
        return "multiboot"
    return None


# What each firmware's boot loader can start (iPXE would run anything else
# as a PXE program and hang, not say why).
BOOTABLE = {"bios": {"bzImage", "multiboot"}, "uefi": {"bzImage", "efi", "multiboot"},
            "uboot": {"arm64-image", "uimage", "fit"}}


class BadImage(InfraError):
    """A boot file the board's firmware cannot start: refused before power-on."""


def check_image(spec, kernel):
    kind = image_kind(kernel)
    if kind not in BOOTABLE[spec.firmware]:
        raise BadImage(f"netboot bad image: {kernel} is {kind or 'no kernel image format known'}"
                       f", which {spec.firmware} firmware cannot boot (board {spec.name} wants "
                       f"{' or '.join(sorted(BOOTABLE[spec.firmware]))})")
    return kind


def grub_efi_image():
    """GRUB EFI built once by grub-mkimage (Debian's grub-efi-amd64-bin),
    rebuilt when its embedded script or module list changes."""
    mkimage = shutil.which("grub-mkimage")
    if mkimage is None or not (GRUB_DIR / "efinet.mod").exists():
        raise InfraError("netboot: GRUB EFI is needed to boot a multiboot kernel on UEFI, and "
                         "grub-mkimage or /usr/lib/grub/x86_64-efi is missing: run `make deps` "
                         "(grub-common, grub-efi-amd64-bin)")
    key = hashlib.sha256((GRUB_EMBED + " ".join(GRUB_MODULES)).encode()).hexdigest()[:16]
    out = NETBOOT / "grub" / f"grubx64-{key}.efi"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    embed = out.with_suffix(f".cfg.{os.getpid()}")
    embed.write_text(GRUB_EMBED)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    try:
        p = subprocess.run([mkimage, "-O", "x86_64-efi", "-d", str(GRUB_DIR), "-o", str(tmp),
                            "-c", str(embed), "-p", "/grub", *GRUB_MODULES],
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise InfraError(f"netboot: grub-mkimage failed: {p.stderr.strip()}")
        os.replace(tmp, out)
    finally:
        embed.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return out


def grub_cfg(spec, image, cmdline, http_base=""):
    """The board's GRUB script: its multiboot kernel and initrd, over HTTP
    when the lab serves it (TFTP otherwise, and if HTTP fails)."""
    d = f"/boards/{mac_dashes(spec.mac)}"
    sources = ([f"(http,{http_base.split('://', 1)[1]})"] if http_base else []) + ["($root)"]
    return f"""# {spec.name}: {image.target.name} through GRUB EFI (written by farm/netboot.py)
echo "{MARK} GRUB loading {image.target.name} for {spec.name}"
# The kernel asks for no video mode and talks to the serial port: keep the
# firmware's, rather than GRUB searching EFI's modes for one (seconds under TCG).
set gfxpayload=keep
for src in {" ".join(sources)}; do
  if multiboot $src{d}/kernel {cmdline}; then
    if module $src{d}/initrd; then
      echo "{MARK} loaded, booting: kernel and initrd from $src"
      boot
    fi
  fi
done
echo "{MARK} FAILED: {image.target.name} for {spec.name}: GRUB could not load {d}/kernel and initrd"
"""


@dataclass
class Staged:
    mac: str
    directory: Path
    sizes: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.sizes.values())


def board_cmdline(image, firmware):
    cmdline = " ".join(x for x in (image.target.default_cmdline(), image.cmdline) if x)
    if firmware == "uefi" and image.target.arch == "x86_64":
        # The EFI stub loads the initrd iPXE exposes under its image name.
        cmdline += " initrd=initrd"
    return cmdline


def ipxe_script(spec, image, cmdline, http_base="", via_grub=False):
    """The board's iPXE script; with http_base, HTTP first and TFTP if it
    fails. via_grub: chain GRUB EFI, which reads the board's grub.cfg."""
    d = f"/boards/{mac_dashes(spec.mac)}"
    if via_grub:
        return f"""#!ipxe
echo {MARK} loading {image.target.name} for {spec.name} through GRUB EFI
chain /grubx64.efi || goto failed
:failed
echo {MARK} FAILED: {image.target.name} for {spec.name}: GRUB EFI: ${{errno}}
"""
    kernel = f"kernel {d}/kernel {cmdline}"
    initrd = f"initrd --name initrd {d}/initrd"
    if http_base:
        kernel = f"kernel {http_base}{d}/kernel {cmdline} || {kernel}"
        initrd = f"initrd --name initrd {http_base}{d}/initrd || {initrd}"
    return f"""#!ipxe
echo {MARK} loading {image.target.name} for {spec.name}
{kernel} || goto failed
{initrd} || goto failed
echo {MARK} loaded, booting
boot || goto failed
:failed
echo {MARK} FAILED: {image.target.name} for {spec.name}: ${{errno}}
"""


def pxelinux_cfg(spec, image, cmdline):
    d = f"boards/{mac_dashes(spec.mac)}"
    return f"""# {spec.name}: {image.target.name} (written by farm/netboot.py)
default netboot
prompt 0
label netboot
  kernel {d}/kernel
  initrd {d}/initrd
  append {cmdline}
"""


def stage(spec, image, root=TFTP_ROOT, http_base=""):
    """Publish a board's kernel, initrd and boot scripts under its MAC."""
    prepare_root(root)
    boards = root / "boards"
    mac = mac_dashes(spec.mac)
    kernel = Path(image.target.image)
    initrd = Path(image.initrd or image.target.initrd)
    for p in (kernel, initrd):
        if not p.exists():
            raise InfraError(f"netboot: {p} is missing: run `make boot-deps`")
    kind = check_image(spec, kernel)
    via_grub = spec.firmware == "uefi" and kind == "multiboot"
    if via_grub:
        grub = grub_efi_image()
        if not (root / "grubx64.efi").exists() or \
                (root / "grubx64.efi").read_bytes() != grub.read_bytes():
            _atomic_write(root / "grubx64.efi", grub.read_bytes())
    new = boards / f"{mac}.{os.getpid()}.{time.monotonic_ns()}"
    new.mkdir()
    shutil.copyfile(kernel, new / "kernel")
    shutil.copyfile(initrd, new / "initrd")
    if via_grub:
        cmdline = board_cmdline(image, "bios")    # no EFI stub: no initrd= option
        (new / "grub.cfg").write_text(grub_cfg(spec, image, cmdline, http_base))
    else:
        cmdline = board_cmdline(image, spec.firmware)
    (new / "boot.ipxe").write_text(ipxe_script(spec, image, cmdline, http_base, via_grub))
    link = boards / mac
    tmp = boards / f".{mac}.{os.getpid()}.link"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(new.name, tmp)
    old = os.readlink(link) if link.is_symlink() else None
    os.replace(tmp, link)
    _atomic_write(root / "pxelinux.cfg" / f"01-{mac}", pxelinux_cfg(spec, image, cmdline))
    if old and old != new.name:
        shutil.rmtree(boards / old, ignore_errors=True)
    return Staged(mac, new, {"kernel": kernel.stat().st_size, "initrd": initrd.stat().st_size})


def unstage(spec, root=TFTP_ROOT):
    """Remove a board's files (a test of a missing boot file uses this)."""
    mac = mac_dashes(spec.mac)
    link = root / "boards" / mac
    if link.is_symlink():
        target = root / "boards" / os.readlink(link)
        link.unlink()
        shutil.rmtree(target, ignore_errors=True)
    (root / "pxelinux.cfg" / f"01-{mac}").unlink(missing_ok=True)


# --- QEMU ---------------------------------------------------------------------

def qemu_command(spec, net, vars_file=None, accel="auto"):
    """QEMU for a board that boots from its NIC like a lab board.

    net: ("tap", ifname) inside the lab namespace, or ("user", tftp_root) for
    QEMU's user-mode network and built-in TFTP server."""
    arch, fw = spec.arch, spec.firmware
    accel = resolve_accel(arch, accel)
    mac = spec.mac
    if net[0] == "tap":
        netdev = f"tap,id=n0,ifname={net[1]},script=no,downscript=no"
    else:
        boot = "boot.scr.uimg" if fw == "uboot" else "boot.ipxe"
        netdev = f"user,id=n0,restrict=on,tftp={net[1]},bootfile={boot}"
    if arch == "x86_64":
        cmd = ["qemu-system-x86_64", "-M", "pc", "-cpu", "max" if accel == "tcg" else "host",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        if fw == "uefi":
            cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
                    "-drive", f"if=pflash,format=raw,file={vars_file}"]
        # QEMU's virtio-net ROM is iPXE (BIOS and EFI): the firmware runs it.
        cmd += ["-netdev", netdev, "-device", f"virtio-net-pci,netdev=n0,mac={mac}",
                "-boot", "order=n"]
    else:
        cmd = ["qemu-system-aarch64", "-M", "virt",
               "-cpu", "cortex-a57" if accel == "tcg" else "host", "-bios", str(UBOOT),
               # U-Boot 2023.01 gives every virtio-net-pci the MAC 52:52:52:52:52:52.
               "-netdev", netdev, "-device", f"virtio-net-device,netdev=n0,mac={mac}"]
    return cmd + ["-accel", accel, "-m", spec.mem, "-nographic", "-no-reboot"]


def ovmf_vars(spec, directory=None):
    """A board's own writable copy of OVMF's variable store, fresh each boot;
    in a lab, in the lab's directory: QEMU locks it for writing, so another
    farm process's copy of the same board must be another file."""
    path = (directory or NETBOOT / "vars") / f"{spec.name}.fd"
    _atomic_write(path, OVMF_VARS.read_bytes())
    return path


# --- stages and failures ------------------------------------------------------

# (stage, pattern that reaches it, timeout) per firmware; TCG on a shared
# 2-core machine, so margins are wide (REFERENCE §4: 5-17 s to the kernel).
FIRMWARE_BANNER = {"bios": r"SeaBIOS \(version|iPXE \(http", "uefi": r"BdsDxe|iPXE \(http|UEFI",
                   "uboot": r"U-Boot 20\d\d"}
LEASE = {"bios": r"Configuring \(net\d [0-9a-f:]+\)[ .]*ok",
         "uefi": r"Configuring \(net\d [0-9a-f:]+\)[ .]*ok",
         "uboot": r"DHCP client bound to address"}
LOADER = {"bios": rf"{MARK} loading ", "uefi": rf"{MARK} loading ",
          "uboot": rf"{MARK} U-Boot script"}
# The kernel's first line also proves the boot loader started it: a kernel
# that resets the 16550's FIFOs at start-up (Kevlar does, at once) drops what
# the loader's last echo still had in the transmit FIFO, up to 16 bytes, when
# QEMU could not pass it to a console reader that is slow on a loaded host
# (seen: "kevlar-netboot: loaded, bootin[    0.000000] Kevlar 0.1.0"). A
# lookahead, so the `kernel` stage still finds that line.
KERNEL_STARTED = r"(?=Kevlar \d+\.\d+\.\d+ \((?:x86_64|arm64)\)|Linux version \d+\.\d+)"
LOADED = {"bios": rf"{MARK} loaded, booting|{KERNEL_STARTED}",
          "uefi": rf"{MARK} loaded, booting|{KERNEL_STARTED}",
          "uboot": rf"Starting kernel \.\.\.|{KERNEL_STARTED}"}
STAGE_TIMEOUTS = {"firmware": 60, "dhcp": 90, "loader": 60, "loaded": 120, "kernel": 60}
# What each stage waits for, for failure messages.
STAGE_MEANS = {"firmware": "the firmware's banner (QEMU started, firmware running)",
               "dhcp": "a DHCP lease from the lab's dnsmasq (or QEMU's user network)",
               "loader": "the board's boot script (boot.ipxe / boot.scr.uimg fetched and run)",
               "loaded": "kernel + initrd fetched and the kernel started",
               "kernel": "the kernel's first line after the boot loader started it"}

# What a failed network boot prints, and the failure it is.
FAILURES = [
    (rf"{MARK} FAILED[^\r\n]*", "boot files"),
    (r"No configuration methods succeeded[^\r\n]*", "no DHCP lease"),
    (r"Retry time exceeded|BOOTP broadcast 1\d\b", "no DHCP lease"),
    (r"PXE-E\d\d[^\r\n]*", "PXE firmware"),
    (r"TFTP error[^\r\n]*|TFTP server died[^\r\n]*", "TFTP"),
    (r"Bad Linux ARM64 Image magic[^\r\n]*|Exec format error[^\r\n]*|"
     r"Wrong Ramdisk Image Format[^\r\n]*", "bad image"),
    (r"No bootable device[^\r\n]*", "nothing booted"),
]
_FAILURE = re.compile("|".join(f"(?P<f{i}>{p})" for i, (p, _) in enumerate(FAILURES)))


class NetbootFailure(InfraError):
    """The network boot failed before the kernel ran: the lab's fault (no
    lease, a missing or bad boot file), not the kernel's."""

    def __init__(self, stage, what, line, tail):
        self.stage, self.reason, self.tail = stage, f"netboot {what}: {line}", tail
        super().__init__(f"stage '{stage}': {self.reason}\n--- last console lines ---\n{tail}")


def classify_line(text):
    """(failure kind, the line) for the first netboot failure in text, or None."""
    m = _FAILURE.search(text)
    if not m:
        return None
    i = int(m.lastgroup[1:])
    return FAILURES[i][1], m.group(0).strip()


def wait_loaded(console, firmware, staged=None, timeouts=STAGE_TIMEOUTS):
    """From power-on to the moment the boot loader starts the kernel.

    Stages firmware → dhcp → loader → loaded go into console.stages; a netboot
    failure on the way raises NetbootFailure (infra) at once rather than
    leaving the board to time out in a later stage. Returns the TFTP
    throughput of the kernel + initrd in MB/s when staged is given."""
    stages = [("firmware", FIRMWARE_BANNER[firmware]), ("dhcp", LEASE[firmware]),
              ("loader", LOADER[firmware]), ("loaded", LOADED[firmware])]
    if firmware in ("bios", "uefi"):
        # iPXE fetches any file as a kernel and finds it is none only at
        # `boot`, after the script said "loaded": wait for the kernel's first
        # line (a lookahead: the boot's own `kernel` stage still reads it).
        stages.append(("kernel", KERNEL_STARTED))
    for stage, pattern in stages:
        try:
            m = console.expect(f"(?P<ok>{pattern})|{_FAILURE.pattern}", timeouts[stage], stage)
        except StageTimeout as e:
            done = ", ".join(f"{k} at {v:.1f} s" for k, v in console.stages.items()) or "none"
            why = (f"netboot stage '{stage}' did not arrive within {timeouts[stage]} s: waiting "
                   f"for {STAGE_MEANS[stage]}; stages reached: {done}")
            why += "".join(e.reason.partition("; the console stayed")[1:])
            console.note(why)
            raise type(e)(stage, why, e.tail) from None   # ConsoleSilent stays infra
        if m.group("ok") is None:
            console.stages.pop(stage, None)
            what, line = classify_line(m.group(0))
            console.note(f"netboot failed in stage {stage}: {what}: {line}")
            raise NetbootFailure(stage, what, line, console.tail())
    if staged is None:
        return None
    seconds = console.stages["loaded"] - console.stages["loader"]
    rate = staged.total / 1e6 / seconds if seconds > 0 else 0.0
    console.note(f"netboot: kernel + initrd {staged.total / 1e6:.1f} MB in {seconds:.2f} s "
                 f"({rate:.1f} MB/s)")
    return rate
