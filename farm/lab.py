"""The lab network for QEMU boards that boot from the network.

A lab is a network namespace `kvlab-<pid>` holding a bridge, one tap per QEMU
board and dnsmasq as the DHCP + TFTP server (farm/netboot.py writes what it
serves). QEMU runs inside the namespace (`ip netns exec`), so the lab's
addresses never reach the host's network. A lab belongs to one farm process;
the owner file in build/netboot/labs/<ns>/ names that process (pid and start
time), so the next lab that starts removes the namespaces, processes and files
of labs whose owner died (SIGKILL leaves no finally behind).

One lab serves every board of a `farm run`, as one lab network serves a real
lab's boards: the run starts it and names it to its jobs (separate pytest
processes) in FARM_LAB; a job attaches to it (Lab.attach) instead of starting
its own. What the processes share is guarded by a file lock in the lab's
directory: the dnsmasq hosts file (a board's fixed address) and the tap names
(each process numbers its own, under its pid).

Three dnsmasq lines cut iPXE's DHCP from ~16 s to ~0.05 s (REFERENCE §4):
router advertisements on the bridge (iPXE otherwise waits ~13 s for IPv6),
no-ping (~3 s) and iPXE's no-proxyDHCP-wait option 175.176 (~3 s).

Where namespaces are not allowed (not root, a container without CAP_SYS_ADMIN)
the boards fall back to QEMU's user-mode network and its built-in TFTP server,
serving the same files (see farm/netboot.py); `available()` says why.
"""

import atexit
import fcntl
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from farm.errors import InfraError
from farm.lifetime import die_with_parent
from farm.qemu import ROOT

log = logging.getLogger("farm.lab")

LABS = ROOT / "build" / "netboot" / "labs"
PREFIX = "kvlab-"
BRIDGE = "kvbr0"
# A veth pair with one end on the bridge keeps the bridge's carrier up before
# any QEMU attaches, so dnsmasq's router advertisements start at once and taps
# may come and go. (A dummy link would do, but not every kernel has the module.)
KEEPER = "kvkeep0"
KEEPER_PEER = "kvkeep1"
SUBNET = "10.77.0"
SERVER = f"{SUBNET}.1"
BRIDGE_MAC = "52:54:00:4b:00:01"
IPV6 = "fd4b:7700::1/64"
CMD_TIMEOUT = 20
# dnsmasq and Python's http.server start in well under a second, but other
# engineers' QEMUs may hold both cores: margins for a loaded host.
START_TIMEOUT = 30
SIGHUP_TIMEOUT = 15
# The environment variable that names a running lab to the farm's jobs.
ENV = "FARM_LAB"
FALLBACK = ("QEMU boards fall back to QEMU's user-mode network and its TFTP server "
            "(FARM_NET=user selects it explicitly)")


class LabError(InfraError):
    """The lab network could not be set up or failed."""


class LabUnavailable(Exception):
    """Network namespaces cannot be used here: use the user-mode fallback."""


def _run(argv, check=True, timeout=CMD_TIMEOUT):
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LabError(f"lab: `{' '.join(argv)}` did not finish within {timeout} s") from None
    except FileNotFoundError:
        raise LabError(f"lab: {argv[0]} is missing: install iproute2 and dnsmasq-base "
                       f"(make deps)") from None
    if check and p.returncode != 0:
        raise LabError(f"lab: `{' '.join(argv)}` failed: {p.stderr.strip() or p.returncode}")
    return p


def _start_time(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]   # field 22: start time in clock ticks


def available():
    """(True, "") when this process can create a lab, else (False, why)."""
    if os.geteuid() != 0:
        return False, "network namespaces need root (CAP_SYS_ADMIN and CAP_NET_ADMIN)"
    if shutil.which("ip") is None or shutil.which("dnsmasq") is None:
        return False, "ip (iproute2) or dnsmasq (dnsmasq-base) is missing: run make deps"
    if not Path("/proc/self/ns/net").exists():
        return False, "this kernel has no network namespaces"
    probe = f"{PREFIX}probe{os.getpid()}"
    p = _run(["ip", "netns", "add", probe], check=False)
    if p.returncode != 0:
        return False, f"`ip netns add` failed: {p.stderr.strip()}"
    _run(["ip", "netns", "del", probe], check=False)
    return True, ""


def namespaces():
    p = _run(["ip", "netns", "list"], check=False)
    return [line.split()[0] for line in p.stdout.splitlines() if line.startswith(PREFIX)]


def _owner_alive(ns):
    try:
        pid, start = (LABS / ns / "owner").read_text().split()
    except (OSError, ValueError):
        m = re.match(rf"{PREFIX}(\d+)$", ns)
        return bool(m) and _start_time(int(m.group(1))) is not None
    return _start_time(int(pid)) == start


def destroy(ns):
    """Remove a lab: every process in its namespace (ours: dnsmasq and QEMUs),
    the namespace with its links, and its files."""
    for _ in range(3):
        pids = _run(["ip", "netns", "pids", ns], check=False).stdout.split()
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        time.sleep(0.2)
    _run(["ip", "netns", "del", ns], check=False)
    shutil.rmtree(LABS / ns, ignore_errors=True)


def clean_stale():
    """Remove the labs whose farm process is gone; return their names."""
    stale = [ns for ns in namespaces() if not _owner_alive(ns)]
    for ns in stale:
        log.warning("lab: removing stale lab %s (its farm process is gone)", ns)
        destroy(ns)
    if LABS.exists():
        for d in LABS.iterdir():
            # A lab starting in another farm process has its directory before
            # its namespace: keep the directories whose owner lives.
            if d.name.startswith(PREFIX) and d.name not in namespaces() \
                    and not _owner_alive(d.name):
                shutil.rmtree(d, ignore_errors=True)
    return stale


class Lab:
    """One namespace, bridge and dnsmasq; taps and DHCP hosts added per board."""

    def __init__(self, tftp_root=None, name=None):
        self.ns = name or f"{PREFIX}{os.getpid()}"
        self.dir = LABS / self.ns
        # Without a root given, the lab serves its own tree, removed with it:
        # two farm processes (two engineers' `make test`) stage the same MACs,
        # and in one shared tree each would replace, or delete, the other's
        # files while its boards fetch them.
        self.tftp_root = Path(tftp_root) if tftp_root else self.dir / "tftp"
        self.dnsmasq = None
        self.dnsmasq_pid = None
        self.http = None
        self.owner = True        # False: attached to another process's lab
        self.taps = set()
        self.lock = threading.Lock()
        self._next_tap = 0

    @classmethod
    def attach(cls, ns):
        """The running lab `ns` of another farm process (the run's), used by
        this one: boards are added to it, and it stays up when this process
        ends (its owner tears it down)."""
        lab = cls(name=ns)
        try:
            lab.tftp_root = Path((lab.dir / "tftp-root").read_text().strip())
            lab.dnsmasq_pid = int((lab.dir / "dnsmasq.pid").read_text())
        except (OSError, ValueError):
            raise LabError(f"lab: {ENV}={ns} names no running lab ({lab.dir} has no "
                           f"dnsmasq.pid/tftp-root): was the farm run that started it killed?") \
                from None
        if ns not in namespaces() or not _owner_alive(ns) or _start_time(lab.dnsmasq_pid) is None:
            raise LabError(f"lab: {ENV}={ns}: that lab is gone (its namespace, owner or dnsmasq "
                           f"has ended); run the jobs from a live `farm run`, or unset {ENV}")
        lab.owner = False
        return lab

    # --- set-up -----------------------------------------------------------

    def start(self):
        clean_stale()
        if self.ns in namespaces():
            destroy(self.ns)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.tftp_root.mkdir(parents=True, exist_ok=True)
        (self.dir / "owner").write_text(f"{os.getpid()} {_start_time(os.getpid())}\n")
        (self.dir / "tftp-root").write_text(f"{self.tftp_root}\n")
        try:
            self._network()
            self._start_dnsmasq()
            self._start_http()
        except BaseException:
            self.close()
            raise
        log.info("lab: %s up (bridge %s %s, dnsmasq pid %d)", self.ns, BRIDGE, SERVER,
                 self.dnsmasq.pid)
        return self

    def _ip(self, *args, check=True):
        return _run(["ip", "-n", self.ns] + list(args), check=check)

    def _network(self):
        _run(["ip", "netns", "add", self.ns])
        self._ip("link", "set", "lo", "up")
        self._ip("link", "add", BRIDGE, "address", BRIDGE_MAC, "type", "bridge",
                 "stp_state", "0", "forward_delay", "0")
        self._ip("link", "add", KEEPER, "type", "veth", "peer", "name", KEEPER_PEER)
        self._ip("link", "set", KEEPER, "master", BRIDGE)
        self._ip("addr", "add", f"{SERVER}/24", "dev", BRIDGE)
        self._ip("-6", "addr", "add", IPV6, "dev", BRIDGE, "nodad")
        self._ip("link", "set", KEEPER, "up")
        self._ip("link", "set", KEEPER_PEER, "up")
        self._ip("link", "set", BRIDGE, "up")

    def config(self):
        """dnsmasq's configuration: DHCP + TFTP only, per-board hosts in a file
        re-read on SIGHUP, boot files by client type (see netboot/README.md)."""
        return "\n".join([
            "port=0",                         # no DNS
            f"interface={BRIDGE}", "bind-interfaces",
            f"dhcp-range={SUBNET}.100,{SUBNET}.199,255.255.255.0,1h",
            f"dhcp-range=::,constructor:{BRIDGE},ra-only",
            "enable-ra", "no-ping", "dhcp-authoritative", "log-dhcp",
            f"dhcp-hostsfile={self.dir / 'hosts'}",
            f"dhcp-leasefile={self.dir / 'leases'}",
            f"log-facility={self.dir / 'dnsmasq.log'}",
            "user=root", "group=root",
            "enable-tftp", f"tftp-root={self.tftp_root}", "tftp-no-fail",
            "dhcp-match=set:ipxe,175", "dhcp-userclass=set:ipxe,iPXE",
            "dhcp-match=set:bios,option:client-arch,0",
            "dhcp-match=set:efi64,option:client-arch,7",
            "dhcp-match=set:efi64,option:client-arch,9",
            "dhcp-match=set:efiarm64,option:client-arch,11",
            "dhcp-vendorclass=set:uboot,U-Boot",
            "dhcp-option=tag:ipxe,encap:175,176,1b",      # iPXE: no proxyDHCP wait
            # iPXE (QEMU's NIC ROM, or chained below) gets the script that
            # chains the board's own; firmware PXE gets iPXE first.
            "dhcp-boot=tag:ipxe,boot.ipxe",
            "dhcp-boot=tag:!ipxe,tag:bios,ipxe.pxe",
            "dhcp-boot=tag:!ipxe,tag:efi64,snponly.efi",
            "dhcp-boot=tag:!ipxe,tag:uboot,boot.scr.uimg",
            ""])

    def _start_dnsmasq(self):
        (self.dir / "hosts").write_text("")
        conf = self.dir / "dnsmasq.conf"
        conf.write_text(self.config())
        logf = open(self.dir / "dnsmasq.out", "w")
        try:
            self.dnsmasq = subprocess.Popen(
                ["ip", "netns", "exec", self.ns, "dnsmasq", "--keep-in-foreground",
                 f"--conf-file={conf}"],
                stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent)
        finally:
            logf.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._log_has("TFTP root is"):
            if self.dnsmasq.poll() is not None or time.monotonic() > deadline:
                out = (self.dir / "dnsmasq.out").read_text(errors="replace").strip()
                raise LabError(f"lab: dnsmasq did not start within {START_TIMEOUT} s: "
                               f"{out or 'no output'}")
            time.sleep(0.05)
        # `ip netns exec` execs dnsmasq: the same pid, which attached
        # processes signal when they add a board.
        self.dnsmasq_pid = self.dnsmasq.pid
        (self.dir / "dnsmasq.pid").write_text(f"{self.dnsmasq_pid}\n")

    def _start_http(self):
        """HTTP for iPXE: TFTP through a tap moves 3-11 MB/s under TCG, iPXE's
        HTTP ~35 MB/s (REFERENCE §4). The per-board script falls back to TFTP."""
        out = self.dir / "http.log"
        with open(out, "w") as logf:
            self.http = subprocess.Popen(
                ["ip", "netns", "exec", self.ns, "/usr/bin/python3", "-u", "-m", "http.server",
                 "80", "--bind", SERVER, "--directory", str(self.tftp_root)],
                stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent)
        deadline = time.monotonic() + START_TIMEOUT
        while "Serving HTTP" not in out.read_text(errors="replace"):
            if self.http.poll() is not None or time.monotonic() > deadline:
                raise LabError(f"lab: the HTTP server did not start within {START_TIMEOUT} s: "
                               f"{out.read_text(errors='replace').strip() or 'no output'}")
            time.sleep(0.05)

    @property
    def http_base(self):
        return f"http://{SERVER}"

    def _log_has(self, text, count=1):
        try:
            return (self.dir / "dnsmasq.log").read_text(errors="replace").count(text) >= count
        except OSError:
            return False

    # --- boards -------------------------------------------------------------

    def _shared_lock(self):
        """A lock over the lab's shared files, across the run's processes."""
        f = open(self.dir / "lock", "a")
        fcntl.flock(f, fcntl.LOCK_EX)
        return f

    def hosts(self):
        """{mac: (name, ip)} of the boards the lab's dnsmasq knows."""
        out = {}
        try:
            lines = (self.dir / "hosts").read_text().splitlines()
        except OSError:
            return out
        for line in lines:
            mac, ip, name = line.split(",", 2)
            out[mac] = (name, ip)
        return out

    def add_host(self, mac, name):
        """Give a board a fixed address (a dhcp-host line); return it."""
        mac = mac.lower()
        with self.lock, self._shared_lock():
            hosts = self.hosts()
            if mac in hosts:
                return hosts[mac][1]
            ip = f"{SUBNET}.{20 + len(hosts)}"
            hosts[mac] = (name, ip)
            tmp = self.dir / f"hosts.{os.getpid()}.tmp"
            tmp.write_text("".join(f"{m},{ip_},{n}\n" for m, (n, ip_) in hosts.items()))
            os.replace(tmp, self.dir / "hosts")
            reads = self.dnsmasq_log().count(f"read {self.dir / 'hosts'}")
            try:
                os.kill(self.dnsmasq_pid, signal.SIGHUP)
            except (ProcessLookupError, TypeError):
                raise LabError(f"lab {self.ns}: its dnsmasq (pid {self.dnsmasq_pid}) is gone: "
                               f"see {self.dir / 'dnsmasq.out'}") from None
            deadline = time.monotonic() + SIGHUP_TIMEOUT
            while not self._log_has(f"read {self.dir / 'hosts'}", reads + 1):
                if time.monotonic() > deadline:
                    raise LabError(f"lab: dnsmasq did not re-read its hosts file within "
                                   f"{SIGHUP_TIMEOUT} s of SIGHUP")
                time.sleep(0.02)
            return ip

    def add_tap(self):
        """A tap on the bridge for one QEMU (which opens it by name)."""
        with self.lock:
            # Unique across the processes sharing the lab (IFNAMSIZ: 15 chars).
            tap = f"kvt{os.getpid()}n{self._next_tap}"
            self._next_tap += 1
            self.taps.add(tap)
        self._ip("tuntap", "add", "dev", tap, "mode", "tap")
        self._ip("link", "set", tap, "master", BRIDGE)
        self._ip("link", "set", tap, "up")
        return tap

    def remove_tap(self, tap):
        with self.lock:
            self.taps.discard(tap)
        self._ip("link", "del", tap, check=False)

    def wrap(self, argv):
        """argv run inside the lab's namespace."""
        return ["ip", "netns", "exec", self.ns] + list(argv)

    def leases(self):
        try:
            return (self.dir / "leases").read_text()
        except OSError:
            return ""

    def dnsmasq_log(self):
        try:
            return (self.dir / "dnsmasq.log").read_text(errors="replace")
        except OSError:
            return ""

    # --- tear-down ------------------------------------------------------------

    def close(self):
        """Stop dnsmasq and everything else in the namespace; remove it. An
        attached process only removes its own taps: the owner removes the lab."""
        if not self.owner:
            for tap in list(self.taps):
                self.remove_tap(tap)
            return
        for d in (self.dnsmasq, self.http):
            if d is not None and d.poll() is None:
                d.terminate()
                try:
                    d.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    d.kill()
                    d.wait(timeout=5)
        self.dnsmasq = self.http = None
        destroy(self.ns)


_shared = None
_shared_lock = threading.Lock()


def shared(tftp_root=None):
    """This process's lab: the one FARM_LAB names (a farm run's), or else
    one of its own, started on first use and removed at exit; with no
    tftp_root it serves its own tree (Lab.tftp_root)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            if os.environ.get(ENV):
                lab = Lab.attach(os.environ[ENV])
            else:
                ok, why = available()
                if not ok:
                    raise LabUnavailable(f"lab network unavailable: {why}; {FALLBACK}")
                lab = Lab(tftp_root).start()
            atexit.register(close_shared)
            _shared = lab
        return _shared


class run_lab:
    """`with run_lab(needed):` one lab for every job a farm run starts: up
    when needed (a netboot board on the lab network), named to the jobs in
    FARM_LAB, torn down at the end of the run."""

    def __init__(self, needed):
        self.needed = needed
        self.lab = None

    def __enter__(self):
        if self.needed and not os.environ.get(ENV):
            self.lab = Lab().start()
            os.environ[ENV] = self.lab.ns
        return self.lab

    def __exit__(self, *exc):
        if self.lab is not None:
            os.environ.pop(ENV, None)
            self.lab.close()


def close_shared():
    global _shared
    with _shared_lock:
        lab, _shared = _shared, None
    if lab is not None:
        lab.close()
