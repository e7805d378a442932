#!/usr/bin/python3
"""Build the Kevlar/Linux test rootfs (an initramfs) from Debian packages.

    build.py --arch x86_64|arm64 --out build/<arch> [--full]

Writes <out>/rootfs.cpio (uncompressed newc), rootfs.cpio.gz and
rootfs.manifest; with --full, rootfs-full.cpio and rootfs-full.manifest:
the same image plus the packages of packages-full.txt (stress-ng). Packages are fetched with `apt-get download` into
build/debs/<debian-arch>/ and extracted, never installed; a .deb that is
already there (same file name, so same version) is not fetched again.

What goes in:
  * the files packages.txt (and with --full packages-full.txt) selects
    from each listed package;
  * every shared library those ELF files need, transitively (DT_NEEDED),
    and their dynamic loader (PT_INTERP) -- found in the packages that the
    needing package depends on, so no library is listed by hand;
  * BusyBox applet links, overlay/ (config and our own services), the device
    nodes of devices.txt, the programs built from src/ (--extra DIR);
  * /etc/ld.so.cache, so glibc does not probe hwcap directories.
The archive is reproducible: sorted names, fixed owners and mtimes.
"""

import argparse
import os
import shutil
import stat
import struct
import subprocess
import sys
from pathlib import Path

from debian import DEB_ARCH, Apt, BuildError, log, run

HERE = Path(__file__).resolve().parent
LIB_DIRS = {
    "x86_64": ["lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64", "lib", "usr/lib"],
    "arm64": ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib", "usr/lib"],
}
CONSOLE = {"x86_64": "ttyS0", "arm64": "ttyAMA0"}
MTIME = 1686355200  # 2023-06-10, Debian 12's release day: any fixed value would do
DOC_PREFIXES = ("usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
                "usr/share/lintian/", "usr/share/bash-completion/", "usr/share/zsh/",
                "usr/share/initramfs-tools/")


# --- ELF facts we need: DT_NEEDED and PT_INTERP ---------------------------

def elf_deps(path):
    """(needed sonames, interpreter path or None) of an ELF64 file, or None if not ELF64."""
    data = path.read_bytes()
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic, interp = [], None, None
    for i in range(phnum):
        p_type, _, p_off, p_vaddr, _, p_filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            loads.append((p_vaddr, p_off, p_filesz))
        elif p_type == 2:
            dynamic = (p_off, p_filesz)
        elif p_type == 3:
            interp = data[p_off:p_off + p_filesz].rstrip(b"\0").decode()
    if dynamic is None:
        return [], interp

    def offset(vaddr):
        for v, o, sz in loads:
            if v <= vaddr < v + sz:
                return vaddr - v + o
        raise BuildError(f"{path}: dynamic string table outside the file")

    needed, strtab = [], None
    off, end = dynamic[0], dynamic[0] + dynamic[1]
    while off + 16 <= end:
        tag, val = struct.unpack_from("<qQ", data, off)
        off += 16
        if tag == 0:
            break
        if tag == 1:
            needed.append(val)
        elif tag == 5:
            strtab = offset(val)
    names = []
    for n in needed:
        s = strtab + n
        names.append(data[s:data.index(b"\0", s)].decode())
    return names, interp


# --- assembling the tree --------------------------------------------------

class Tree:
    """The staging tree plus which package each path came from."""

    def __init__(self, root):
        self.root = root
        self.origin = {}

    def take(self, src_root, rel, pkg):
        """Copy src_root/rel (file, symlink or directory) into the tree."""
        src = src_root / rel
        dst = self.root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            if dst.is_symlink() or dst.exists():
                dst.unlink()
            os.symlink(os.readlink(src), dst)
        elif src.is_dir():
            dst.mkdir(exist_ok=True)
        else:
            shutil.copy2(src, dst)
        self.origin[rel] = pkg


def select(pkg_root, patterns):
    """Paths (relative) in an extracted package that the packages.txt entry takes."""
    rels = []
    if patterns == ["all"]:
        for p in sorted(pkg_root.rglob("*")):
            rel = str(p.relative_to(pkg_root))
            if rel == ".done" or rel.startswith(DOC_PREFIXES):
                continue
            if p.is_dir() and not p.is_symlink():
                if any(p.iterdir()):
                    continue  # created implicitly by its files
            rels.append(rel)
        return rels
    for pat in patterns:
        hits = sorted(pkg_root.glob(pat.lstrip("/")))
        if not hits:
            raise BuildError(f"packages.txt: pattern {pat} matches nothing in {pkg_root.name}")
        for h in hits:
            if h.is_dir() and not h.is_symlink():
                sub = [x for x in sorted(h.rglob("*")) if not x.is_dir() or x.is_symlink()]
                rels += [str(x.relative_to(pkg_root)) for x in sub] or [str(h.relative_to(pkg_root))]
            else:
                rels.append(str(h.relative_to(pkg_root)))
    return rels


def read_packages(name):
    entries = []
    for lineno, line in enumerate((HERE / name).read_text().splitlines(), 1):
        line = line.split("#")[0].split()
        if not line:
            continue
        if len(line) < 2:
            raise BuildError(f"rootfs/{name}:{lineno}: expected `<package> all|<paths>`")
        entries.append((line[0], line[1:]))
    return entries


def resolve_libraries(apt, tree, arch):
    """Pull in every shared library the tree's ELF files need, transitively."""
    pending = [rel for rel in sorted(tree.origin) if (tree.root / rel).is_file()
               and not (tree.root / rel).is_symlink()]
    seen = set()
    while pending:
        rel = pending.pop()
        if rel in seen:
            continue
        seen.add(rel)
        deps = elf_deps(tree.root / rel)
        if deps is None:
            continue
        needed, interp = deps
        owner = tree.origin[rel]
        wanted = [(soname, False) for soname in needed]
        if interp:
            wanted.append((interp, True))
        for name, is_path in wanted:
            found = find_library(apt, owner, name, is_path, arch, tree)
            if found is None:
                raise BuildError(f"{rel} (from {owner}) needs {name}, which no package "
                                 f"{owner} depends on provides")
            pending.extend(found)


def find_library(apt, owner, name, is_path, arch, tree):
    """Copy the library `name` (a soname, or the loader's absolute path) into the
    tree from owner's dependencies (or owner itself); return the new real files."""
    # lib* packages first: a library is almost always there, and the others
    # (zlib1g ships libz.so.1) are only fetched when no lib* package has it.
    deps = apt.depends(owner)
    candidates = ([owner] + [d for d in deps if d.startswith("lib")]
                  + [d for d in deps if not d.startswith("lib")])
    for pkg in candidates:
        root = apt.extract(pkg)
        rels = [name.lstrip("/")] if is_path else [f"{d}/{name}" for d in LIB_DIRS[arch]]
        for rel in rels:
            if not (root / rel).exists():
                continue
            if rel in tree.origin:
                return []
            added = []
            # Take the symlink chain and the real file at its end.
            while True:
                tree.take(root, rel, pkg)
                p = root / rel
                if not p.is_symlink():
                    added.append(rel)
                    break
                target = os.readlink(p)
                rel = os.path.normpath(target.lstrip("/") if target.startswith("/")
                                       else os.path.join(os.path.dirname(rel), target))
                if rel in tree.origin:
                    break
                if not (root / rel).exists():
                    raise BuildError(f"{pkg}: dangling library link {rel}")
            return added
    return None


def busybox_links(tree, arch):
    """Symlink every BusyBox applet that no package file already provides."""
    bb = tree.root / "bin/busybox"
    cmd = [str(bb), "--list-full"]
    if arch != host_arch():
        cmd = ["qemu-aarch64-static"] + cmd
    applets = run(cmd).stdout.split()
    for rel in applets:
        dst = tree.root / rel
        if dst.exists() or dst.is_symlink():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.symlink("/bin/busybox", dst)
        tree.origin[rel] = "busybox-static"
    return len(applets)


def host_arch():
    return {"x86_64": "x86_64", "aarch64": "arm64"}[os.uname().machine]


def apply_overlay(tree, arch):
    """Copy overlay/ into the tree; @CONSOLE@ in text files becomes the serial tty."""
    src = HERE / "overlay"
    for p in sorted(src.rglob("*")):
        rel = str(p.relative_to(src))
        dst = tree.root / rel
        if p.is_dir() and not p.is_symlink():
            dst.mkdir(parents=True, exist_ok=True)
            continue
        if dst.is_symlink() or dst.exists():
            dst.unlink()
        dst.parent.mkdir(parents=True, exist_ok=True)
        if p.is_symlink():
            os.symlink(os.readlink(p), dst)
        else:
            data = p.read_bytes().replace(b"@CONSOLE@", CONSOLE[arch].encode())
            dst.write_bytes(data)
            os.chmod(dst, p.stat().st_mode & 0o7777)
        tree.origin[rel] = "overlay"


def runlevels(tree):
    """Enable services per runlevels.txt, and drop Debian's dangling nonetwork/local."""
    base = tree.root / "etc/runlevels"
    stale = base / "nonetwork/local"
    if stale.is_symlink():
        stale.unlink()
    for lineno, line in enumerate((HERE / "runlevels.txt").read_text().splitlines(), 1):
        words = line.split("#")[0].split()
        if not words:
            continue
        level, services = words[0].rstrip(":"), words[1:]
        (base / level).mkdir(parents=True, exist_ok=True)
        for svc in services:
            if not (tree.root / "etc/init.d" / svc).exists():
                raise BuildError(f"rootfs/runlevels.txt:{lineno}: no /etc/init.d/{svc} in the rootfs")
            link = base / level / svc
            if not link.is_symlink():
                os.symlink(f"/etc/init.d/{svc}", link)


def ld_so_cache(apt, tree, arch):
    """Generate /etc/ld.so.cache with the target's own ldconfig."""
    (tree.root / "etc").mkdir(exist_ok=True)
    if arch == host_arch():
        run(["/sbin/ldconfig", "-r", str(tree.root)])
    else:
        ldconfig = apt.extract("libc-bin") / "sbin/ldconfig"
        run(["qemu-aarch64-static", str(ldconfig), "-r", str(tree.root)])
    # ldconfig leaves an aux cache behind; the image does not need it.
    aux = tree.root / "var/cache/ldconfig"
    shutil.rmtree(aux, ignore_errors=True)


# --- cpio newc writer -----------------------------------------------------

def read_special(tree):
    """Apply special.txt to the tree; return {path: (mode, uid, gid, rdev)}."""
    meta = {}
    for lineno, line in enumerate((HERE / "special.txt").read_text().splitlines(), 1):
        w = line.split("#")[0].split()
        if not w:
            continue
        where = f"rootfs/special.txt:{lineno}"
        kind = w[0]
        want = {"dir": 5, "mode": 5, "c": 7, "b": 7}.get(kind)
        if want is None or len(w) != want:
            raise BuildError(f"{where}: expected `dir|mode PATH MODE UID GID` "
                             f"or `c|b PATH MODE UID GID MAJOR MINOR`")
        # "/" is the archive's "." entry: it sets the root directory's mode.
        rel = w[1].lstrip("/") or "."
        perm, uid, gid = int(w[2], 8), int(w[3]), int(w[4])
        path = tree.root / rel
        if kind == "dir":
            path.mkdir(parents=True, exist_ok=True)
            meta[rel] = (stat.S_IFDIR | perm, uid, gid, (0, 0))
        elif kind == "mode":
            if not path.exists():
                raise BuildError(f"{where}: {w[1]} is not in the rootfs")
            meta[rel] = (stat.S_IFMT(path.lstat().st_mode) | perm, uid, gid, (0, 0))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            ftype = stat.S_IFCHR if kind == "c" else stat.S_IFBLK
            meta[rel] = (ftype | perm, uid, gid, (int(w[5]), int(w[6])))
    return meta


def write_cpio(root, meta, out):
    """Write root as a newc archive; meta overrides mode/owner or adds device nodes."""
    names = {str(p.relative_to(root)) for p in root.rglob("*")} | set(meta)
    ino = 1
    with open(out, "wb") as f:
        def emit(name, mode, uid=0, gid=0, data=b"", rdev=(0, 0), nlink=1):
            nonlocal ino
            nameb = name.encode() + b"\0"
            hdr = "070701" + "".join(f"{v:08X}" for v in (
                ino, mode, uid, gid, nlink, MTIME, len(data), 0, 0, rdev[0], rdev[1],
                len(nameb), 0))
            ino += 1
            f.write(hdr.encode() + nameb)
            f.write(b"\0" * (-(110 + len(nameb)) % 4))
            f.write(data)
            f.write(b"\0" * (-len(data) % 4))

        for name in sorted(names):
            mode, uid, gid, rdev = meta.get(name, (None, 0, 0, (0, 0)))
            if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)):
                emit(name, mode, uid, gid, rdev=rdev)
                continue
            p = root / name
            st = p.lstat()
            mode = mode if mode is not None else st.st_mode
            if stat.S_ISLNK(st.st_mode):
                emit(name, stat.S_IFLNK | 0o777, uid, gid, os.readlink(p).encode())
            elif stat.S_ISDIR(st.st_mode):
                emit(name, stat.S_IFDIR | (mode & 0o7777), uid, gid, nlink=2)
            else:
                emit(name, stat.S_IFREG | (mode & 0o7777), uid, gid, p.read_bytes())
        ino = 0
        emit("TRAILER!!!", 0)


# --- main -----------------------------------------------------------------

def build(arch, out, extra, full):
    apt = Apt(DEB_ARCH[arch], out.parent / "debs" / DEB_ARCH[arch])
    name = "rootfs-full" if full else "rootfs"
    lists = ["packages.txt"] + (["packages-full.txt"] if full else [])
    staging = out / name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    tree = Tree(staging)

    for pkg, patterns in (e for lst in lists for e in read_packages(lst)):
        root = apt.extract(pkg)
        for rel in select(root, patterns):
            tree.take(root, rel, pkg)
    resolve_libraries(apt, tree, arch)
    n = busybox_links(tree, arch)
    apply_overlay(tree, arch)
    for d in extra:
        for p in sorted(Path(d).rglob("*")):
            if p.is_file():
                rel = str(p.relative_to(d))
                tree.take(Path(d), rel, "src")
    runlevels(tree)
    ld_so_cache(apt, tree, arch)

    apt.save()
    meta = read_special(tree)
    cpio = out / f"{name}.cpio"
    write_cpio(tree.root, meta, out / f"{name}.cpio.tmp")
    os.replace(out / f"{name}.cpio.tmp", cpio)
    if not full:    # nothing boots the full image from the network
        with open(out / "rootfs.cpio.gz.tmp", "wb") as gz:
            subprocess.run(["gzip", "-n", "-9", "-c", str(cpio)], stdout=gz, check=True)
        os.replace(out / "rootfs.cpio.gz.tmp", out / "rootfs.cpio.gz")

    used = sorted(set(tree.origin.values()) - {"overlay", "src"})
    with open(out / f"{name}.manifest", "w") as m:
        m.write(f"# Debian packages in build/{arch}/{name}.cpio (name version architecture)\n")
        for pkg in used:
            i = apt.show(pkg)
            m.write(f"{pkg} {i['Version']} {i['Architecture']}\n")
    size = cpio.stat().st_size
    log(f"{cpio}: {size / 1e6:.1f} MB, {len(tree.origin)} paths, "
        f"{len(used)} packages, {n} busybox applets")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True, choices=sorted(DEB_ARCH))
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--extra", action="append", default=[],
                    help="a directory whose files are added to the rootfs as they are")
    ap.add_argument("--full", action="store_true",
                    help="also packages-full.txt: write rootfs-full.cpio and its manifest")
    args = ap.parse_args()
    try:
        build(args.arch, args.out.resolve(), args.extra, args.full)
    except BuildError as e:
        print(f"rootfs: error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
