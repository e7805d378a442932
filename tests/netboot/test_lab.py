"""The lab network leaves nothing behind: no namespace, link or process,
after a normal tear-down and after the farm process is killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import time

import pytest

from farm import lab, netboot
from farm.qemu import ROOT

pytestmark = pytest.mark.skipif(not lab.available()[0],
                                reason=f"no lab network here: {lab.available()[1]}")

# A farm process in miniature: a lab with a board's tap and a process inside.
CHILD = """
import subprocess, sys, time
from farm import lab, netboot
l = lab.Lab(netboot.prepare_root()).start()
l.add_host("52:54:00:4b:09:01", "teardown-probe")
l.add_tap()
p = subprocess.Popen(l.wrap(["sleep", "300"]), preexec_fn=lab.die_with_parent)
print(l.ns, l.dnsmasq.pid, p.pid, flush=True)
if sys.argv[1] == "close":
    p.kill(); p.wait()
    l.close()
    print("closed", flush=True)
else:
    time.sleep(300)
"""


def _start(mode):
    proc = subprocess.Popen([sys.executable, "-c", CHILD, mode], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    line = proc.stdout.readline().split()
    assert len(line) == 3, proc.stderr.read() if proc.poll() is not None else line
    return proc, line[0], [int(x) for x in line[1:]]


def _gone(ns, pids):
    assert ns not in lab.namespaces()
    assert not (lab.LABS / ns).exists()
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}"), f"process {pid} of lab {ns} survived"


def test_teardown_leaves_no_namespace_link_or_process():
    proc, ns, pids = _start("close")
    try:
        assert proc.stdout.readline().strip() == "closed"
        proc.wait(timeout=30)
        _gone(ns, pids)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_lab_left_by_sigkill_is_removed_at_the_next_start():
    proc, ns, pids = _start("stay")
    try:
        assert ns in lab.namespaces()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert ns in lab.namespaces(), "the namespace outlives a SIGKILLed farm"
    # Another farm process starting its lab at this moment may clean it first.
    assert ns in lab.clean_stale() or ns not in lab.namespaces(), \
        f"clean_stale() left the lab {ns} of a SIGKILLed farm"
    deadline = time.monotonic() + 5
    while any(os.path.exists(f"/proc/{p}") for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    _gone(ns, pids)


def test_dnsmasq_config_has_the_lab_lines():
    conf = lab.Lab(netboot.TFTP_ROOT, name="kvlab-config").config()
    for line in ("port=0", "enable-ra", "no-ping", "dhcp-option=tag:ipxe,encap:175,176,1b",
                 "dhcp-match=set:bios,option:client-arch,0",
                 "dhcp-match=set:efi64,option:client-arch,7",
                 "dhcp-match=set:efiarm64,option:client-arch,11",
                 "dhcp-userclass=set:ipxe,iPXE", f"tftp-root={netboot.TFTP_ROOT}"):
        assert line in conf.splitlines(), line


def test_uboot_script_image_header():
    import struct
    import zlib
    img = netboot.uimage_script("echo hi\n")
    magic, hcrc = struct.unpack(">II", img[:8])
    assert magic == 0x27051956
    assert zlib.crc32(img[:4] + b"\0\0\0\0" + img[8:64]) == hcrc
    size, dcrc = struct.unpack(">I", img[12:16])[0], struct.unpack(">I", img[24:28])[0]
    assert size == len(img) - 64 and zlib.crc32(img[64:]) == dcrc
    assert img[64:72] == struct.pack(">II", 8, 0) and img[72:].startswith(b"echo hi\n")
