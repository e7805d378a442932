#!/usr/bin/python3
"""Extract Debian's Linux kernel for an arch: the reference the farm compares Kevlar with.

    reference_kernel.py --arch x86_64|arm64 --out build/<arch>/linux

Writes <out>/vmlinuz (x86_64: the bzImage) or <out>/Image (arm64: the
uncompressed Image that QEMU -kernel and U-Boot booti load), and <out>/version.
Debian's kernels have the 8250/PL011 serial drivers, devtmpfs and initramfs
support built in, so no modules are needed for the rootfs.
"""

import argparse
import gzip
import os
import sys
from pathlib import Path

from debian import DEB_ARCH, Apt, BuildError, log

META = {"x86_64": "linux-image-amd64", "arm64": "linux-image-arm64"}


def extract(arch, out):
    apt = Apt(DEB_ARCH[arch], out.parent.parent / "debs" / DEB_ARCH[arch])
    # The meta package depends on the versioned image package (first dependency).
    image_pkg = next(d for d in apt.depends(META[arch]) if d.startswith("linux-image-"))
    root = apt.extract(image_pkg)
    apt.save()
    found = sorted((root / "boot").glob("vmlinuz-*"))
    if len(found) != 1:
        raise BuildError(f"{image_pkg}: expected one /boot/vmlinuz-*, found {len(found)}")
    vmlinuz = found[0]
    out.mkdir(parents=True, exist_ok=True)
    if arch == "x86_64":
        data, name = vmlinuz.read_bytes(), "vmlinuz"
    else:
        # booti wants a plain Image; older Debian kernels ship it gzip'ed.
        data, name = vmlinuz.read_bytes(), "Image"
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data[0x38:0x3c] != b"ARM\x64":
            raise BuildError(f"{vmlinuz}: no arm64 Image header after decompression")
    tmp = out / (name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out / name)
    (out / "version").write_text(f"{image_pkg} {apt.show(image_pkg)['Version']}\n")
    log(f"{out / name}: {image_pkg} {apt.show(image_pkg)['Version']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True, choices=sorted(DEB_ARCH))
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args()
    try:
        extract(args.arch, args.out.resolve())
    except BuildError as e:
        print(f"rootfs: error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
