"""Kevlar bring-up on x86_64 and arm64 (issue #3): first user programs, and
bad boots that must end with a clear message rather than a hang.

Each test boots Kevlar straight into one program (rdinit=) and waits for QEMU
to exit (stage timeouts allow for TCG on a busy 2-core machine): a clean
power-off is status 0; after a `KEVLAR PANIC:` QEMU exits with status 3
(x86_64: isa-debug-exit; arm64: Arm semihosting, kevlar.semihosting), which
`make run` reports as its own failure (status 2).
"""

import re
import subprocess

import pytest

from farm import boot
from farm.qemu import Target
from harness import require_built

BANNER = boot.FIRST_LINE["kevlar"]
# Our hello is static musl on x86_64 and static glibc on arm64 (Makefile).
HELLO = r"hello from (musl|glibc)"


@pytest.fixture(params=["x86_64", "arm64"])
def arch(request):
    return request.param


@pytest.fixture
def kevlar(log_path, arch):
    """Boot Kevlar with the given options; yield a function that starts it."""
    target = Target(arch, "kevlar")
    require_built(target)
    consoles = []

    def start(**kw):
        console = boot.start(target, log_path, **kw)
        consoles.append(console)
        console.expect(BANNER, 60, "kernel")
        return console

    yield start
    for c in consoles:
        c.close()


def cpio_of(tmp_path, files):
    """A newc archive of {path: (mode, bytes)}, made with cpio(1)."""
    root = tmp_path / "root"
    for name, (mode, data) in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        p.chmod(mode)
    names = "\n".join(sorted(files)) + "\n"
    out = tmp_path / "initrd.cpio"
    with open(out, "wb") as f:
        subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], input=names.encode(), cwd=root,
                       stdout=f, check=True, timeout=60)
    return out


def test_musl_hello_as_init_checks_its_start_and_init_exit_is_reported(kevlar):
    c = kevlar(cmdline="rdinit=/usr/lib/kevlar/hello")
    c.expect(HELLO, 60, "hello")
    c.expect(r"hello: \d+ checks, 0 failed", 60, "checks")
    c.expect(r"Kevlar: init \(pid 1\) exited with status 0", 60, "init exit")
    assert c.wait_exit(60, "poweroff") == 0


def test_static_glibc_busybox_prints_its_usage(kevlar):
    c = kevlar(cmdline="rdinit=/bin/busybox")
    c.expect(r"BusyBox v1\.35", 60, "usage")
    c.expect(r"Kevlar: init \(pid 1\) exited with status", 60, "init exit")
    assert c.wait_exit(60, "poweroff") == 0


def test_first_user_instruction_time_is_reported(kevlar):
    c = kevlar(cmdline="rdinit=/usr/lib/kevlar/hello")
    m = c.expect(r"first user instruction after (\d+\.\d+) ms", 60, "first user")
    assert float(m.group(1)) > 0
    c.wait_exit(60, "poweroff")


def test_trace_exec_prints_a_numbered_line_per_execve_with_the_resolved_path(kevlar):
    c = kevlar(cmdline="kevlar.trace=exec rdinit=/bin/sh -- -c \"/usr/lib/kevlar/hello x y\"")
    # /bin/sh is a link to BusyBox: the trace names what really runs.
    c.expect(r'exec #1: pid 1 ppid 0 path /bin/busybox argv "/bin/sh" "-c"', 60, "exec of init")
    c.expect(r'exec #2: pid \d+ ppid \d+ path /usr/lib/kevlar/hello argv '
             r'"/usr/lib/kevlar/hello" "x" "y"', 60, "exec of hello")
    assert c.wait_exit(60, "poweroff") == 0


def test_bad_command_line_option_is_reported_and_boot_continues(kevlar):
    c = kevlar(cmdline="kevlar.trace=bogus rdinit=/usr/lib/kevlar/hello")
    c.expect(r"cmdline: [^\r\n]*bogus[^\r\n]*boot continues", 60, "warning")
    c.expect(HELLO, 60, "hello")
    assert c.wait_exit(60, "poweroff") == 0


def test_initrd_that_is_not_cpio_is_reported_then_no_init(kevlar, tmp_path):
    junk = tmp_path / "junk.img"
    junk.write_bytes(b"this is not a cpio archive\n" * 100)
    c = kevlar(initrd=junk)
    c.expect(r"initrd at \S+ \(\d+ bytes\) is not a cpio newc archive", 60, "not cpio")
    c.expect(r"Kevlar: no working init found \(tried [^)]*\)", 60, "no init")
    c.expect(r"KEVLAR PANIC: no init", 60, "panic marker")
    assert c.wait_exit(60, "poweroff") not in (0, None)


def test_missing_init_names_what_was_tried(kevlar, tmp_path):
    initrd = cpio_of(tmp_path, {"etc/hostname": (0o644, b"kevlar\n")})
    c = kevlar(initrd=initrd, cmdline="rdinit=/nonexistent")
    c.expect(r"Kevlar: no working init found \(tried /nonexistent[^)]*/bin/sh\)", 60, "no init")
    c.expect(r"KEVLAR PANIC: no init", 60, "panic marker")
    assert c.wait_exit(60, "poweroff") not in (0, None)


def test_small_memory_boot_reports_map_and_mm_selftest_survives_exhaustion(kevlar, tmp_path,
                                                                          arch):
    hello = (boot.ROOT / f"build/{arch}/src-root/usr/lib/kevlar/hello").read_bytes()
    initrd = cpio_of(tmp_path, {"init": (0o755, hello)})
    c = kevlar(initrd=initrd, mem="16M", cmdline="kevlar.selftest=mm")
    c.expect(r"mem: \[0x[0-9a-f]+-0x[0-9a-f]+\] usable", 60, "memory map")
    c.expect(r"mm: \d+ pages total, \d+ free", 60, "free pages")
    c.expect(r"selftest mm: exhausted after \d+ pages, no panic", 60, "exhaustion")
    c.expect(r"selftest mm: all \d+ pages back, free count restored", 60, "restored")
    c.expect(r"hello: \d+ checks, 0 failed", 60, "hello")
    assert c.wait_exit(60, "poweroff") == 0


def test_openrc_runs_init_sh_once_not_in_a_loop(kevlar):
    # The seed's fork storm: with a wrong /proc/self/exe, init.sh re-ran
    # itself from every applet it started.
    c = kevlar(cmdline="kevlar.trace=exec")
    c.expect(boot.LOGIN_PROMPT, boot.TIMEOUTS["login"], "login")
    execs = re.findall(r"exec #\d+: [^\r\n]*", c.text)
    init_sh = [e for e in execs if '"/lib/rc/sh/init.sh"' in e]
    assert len(init_sh) == 1, "\n".join(init_sh)
    assert len(execs) < 1000, f"{len(execs)} execs before login"
