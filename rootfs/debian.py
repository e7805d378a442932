"""Debian packages for the rootfs and the reference kernels: fetched with
`apt-get download` into a cache and extracted with `dpkg-deb -x`, never installed."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DEB_ARCH = {"x86_64": "amd64", "arm64": "arm64"}


def log(msg):
    print(f"rootfs: {msg}", flush=True)


class BuildError(Exception):
    pass


def run(cmd, **kw):
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600, **kw)
    except subprocess.CalledProcessError as e:
        raise BuildError(f"`{' '.join(cmd)}` failed:\n{e.stderr.strip()}") from None
    except FileNotFoundError:
        raise BuildError(f"`{cmd[0]}` is not installed: run `make deps`") from None


class Apt:
    """apt-get download + dpkg-deb -x with a cache keyed by the .deb's file name."""

    def __init__(self, deb_arch, cache):
        self.deb_arch = deb_arch
        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self.roots = {}      # package -> extracted tree
        # `apt-cache show` takes over a second per call here, so the control
        # fields are remembered until apt's package lists change.
        self.info_file = cache / "control-cache.json"
        self.lists_stamp = str(os.stat("/var/lib/apt/lists").st_mtime_ns)
        self.info = {}       # package -> dict of control fields
        try:
            saved = json.loads(self.info_file.read_text())
            if saved.get("lists") == self.lists_stamp:
                self.info = saved["packages"]
        except (OSError, ValueError, KeyError):
            pass

    def save(self):
        tmp = self.info_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"lists": self.lists_stamp, "packages": self.info}))
        os.replace(tmp, self.info_file)

    def show(self, pkg):
        if pkg in self.info:
            return self.info[pkg]
        fields = None
        for spec in (f"{pkg}:{self.deb_arch}", pkg):
            r = subprocess.run(["apt-cache", "show", "--no-all-versions", spec],
                               capture_output=True, text=True, timeout=120)
            if r.returncode == 0 and r.stdout.strip():
                fields = parse_control(r.stdout)
                if fields.get("Architecture") in (self.deb_arch, "all"):
                    break
                fields = None
        if fields is None:
            raise BuildError(
                f"package {pkg} ({self.deb_arch}) is not known to apt: "
                f"run `make deps` (it adds the arm64 architecture and runs apt-get update)")
        self.info[pkg] = fields
        return fields

    def extract(self, pkg):
        if pkg in self.roots:
            return self.roots[pkg]
        fields = self.show(pkg)
        deb = self.cache / Path(fields["Filename"]).name
        if not deb.exists():
            spec = pkg if fields["Architecture"] == "all" else f"{pkg}:{self.deb_arch}"
            log(f"downloading {spec} {fields['Version']}")
            with tempfile.TemporaryDirectory(dir=self.cache) as tmp:
                r = subprocess.run(["apt-get", "download", f"{spec}={fields['Version']}"],
                                   cwd=tmp, capture_output=True, text=True, timeout=600)
                got = list(Path(tmp).glob("*.deb"))
                if r.returncode != 0 or len(got) != 1:
                    raise BuildError(f"download of {spec} failed: {r.stderr.strip()}\n"
                                     f"check the network/apt sources, then run `make deps`")
                got[0].rename(deb)
        root = self.cache / "x" / deb.stem
        if not (root / ".done").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            run(["dpkg-deb", "-x", str(deb), str(root)])
            (root / ".done").touch()
        self.roots[pkg] = root
        return root

    def depends(self, pkg):
        """Names of the packages pkg depends on (first alternative of each)."""
        out = []
        for field in ("Pre-Depends", "Depends"):
            for dep in filter(None, (d.strip() for d in self.show(pkg).get(field, "").split(","))):
                name = dep.split("|")[0].split("(")[0].split(":")[0].strip()
                out.append(name)
        return out


def parse_control(text):
    fields, key = {}, None
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" and key:
            fields[key] += "\n" + line.strip()
        elif ":" in line:
            key, _, val = line.partition(":")
            fields[key] = val.strip()
    return fields
