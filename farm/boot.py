"""Boot a target through `make run` and walk it through the stages of a boot.

The stages, in order, each with its own timeout (TCG on a busy 2-core machine
runs up to 2x slower than the measured medians, REFERENCE 3.3):

  qemu        `make run` has built what it needs and started QEMU
  kernel      the kernel's first console line
  openrc      `OpenRC 0.45.x is starting up Linux`
  login       getty's `kevlar login:` prompt (services reported on the way)
  shell       root logged in with the rootfs password, prompt seen
  uname       `uname -a` answered
  poweroff    `poweroff` ended QEMU
"""

import json
import os
import re
from dataclasses import asdict, dataclass, field

from farm.console import Console, ConsoleError, StageTimeout, strip_ansi
from farm.qemu import ROOT

FIRST_LINE = {
    "kevlar": r"Kevlar \d+\.\d+\.\d+ \((x86_64|arm64)\)",
    "linux": r"Linux version \d+\.\d+",
}
OPENRC_BANNER = r"OpenRC\S*\s+\S*0\.45\.\d+\S*\s+is starting up Linux"
LOGIN_PROMPT = r"kevlar login: "
ROOT_PROMPT = r"root@kevlar:[^\r\n#]*# "
SERVICE_LINE = re.compile(r"^\s*\* (.+?) \.\.\. \[ (ok|!!) \]\s*$", re.M)
# A kernel log line ("[    2.168894] tsc: ...") the console interleaves with
# OpenRC's output, even in the middle of a service's line (seen under load:
# " * Mounting /proc ...[    2.168894] tsc: Refined TSC ..." then " [ ok ]").
KERNEL_LOG_LINE = re.compile(r"\[\s*\d+\.\d{6}\] [^\r\n]*(?:\r?\n)?")


def service_lines(text):
    """(name, "ok" or "!!") of every OpenRC service line in console text,
    with the kernel's own log lines taken out of the way first."""
    return SERVICE_LINE.findall(KERNEL_LOG_LINE.sub("", strip_ansi(text)))


TIMEOUTS = {"qemu": 600, "kernel": 60, "openrc": 120, "login": 240, "shell": 60,
            "uname": 30, "poweroff": 120}


@dataclass
class BootResult:
    target: str
    arch: str
    kernel: str
    stages: dict = field(default_factory=dict)
    services_ok: list = field(default_factory=list)
    services_failed: list = field(default_factory=list)
    result: str = "running"
    failed_stage: str = ""
    reason: str = ""
    log: str = ""

    def summary(self):
        times = "  ".join(f"{k} {v:.1f}s" for k, v in self.stages.items() if k != "qemu")
        tail = f"  FAILED at {self.failed_stage}" if self.result != "pass" else ""
        return f"{self.target:15} {self.result.upper():7} {times}{tail}"

    def save(self, results_dir):
        results_dir.mkdir(parents=True, exist_ok=True)
        path = results_dir / f"{self.target}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n")
        os.replace(tmp, path)


def make_run_argv(target, cmdline="", mem=None, initrd=None):
    argv = ["make", "-s", "--no-print-directory", "-C", str(ROOT), "run",
            f"ARCH={target.arch}", f"KERNEL={target.kernel}", f"CMDLINE={cmdline}"]
    if mem:
        argv.append(f"MEM={mem}")
    if initrd:
        argv.append(f"INITRD={initrd}")
    return argv


def start(target, log_path, **kw):
    """Start `make run` for target; return the console once QEMU has started."""
    console = Console.spawn(make_run_argv(target, **kw), log_path)
    console.expect(r"farm: starting [^\r\n]*\r?\n", TIMEOUTS["qemu"], "qemu")
    console.restart_clock()
    return console


def wait_login(console, kernel, timeouts=TIMEOUTS):
    """From power-on to getty's login prompt: kernel banner, OpenRC, login.
    Returns where the OpenRC banner's text starts in console.text."""
    console.expect(FIRST_LINE[kernel], timeouts["kernel"], "kernel")
    banner_at = len(console.text)
    console.expect(OPENRC_BANNER, timeouts["openrc"], "openrc")
    console.expect(LOGIN_PROMPT, timeouts["login"], "login")
    return banner_at


def login(console, timeouts=TIMEOUTS):
    """Log in as root at getty's prompt; return at the root prompt."""
    # getty may still be settling the line when its prompt appears and drop
    # what arrives meanwhile: type the user name again if no password prompt.
    for attempt in range(3):
        console.sendline("root")
        try:
            console.expect(r"Password: ", 15, "password")
            break
        except StageTimeout:
            if attempt == 2:
                raise
    console.sendline("kevlar")
    console.expect(ROOT_PROMPT, timeouts["shell"], "shell")
    # BusyBox ash asks the terminal where its cursor is after the prompt; an
    # answer that comes after the first command is echoed into its output
    # (seen under load: "^[[1;1RLinux kevlar ..." from `uname -a`).
    console.answer_cursor_query(0.5)


def boot_to_shell(console, result, timeouts=TIMEOUTS):
    """Walk a started console from kernel banner to a root shell."""
    banner_at = wait_login(console, result.kernel, timeouts)
    for name, status in service_lines(console.text[banner_at:]):
        (result.services_ok if status == "ok" else result.services_failed).append(name)
    login(console, timeouts)


def shell(console, command, stage, timeout=30):
    """Run a command at the root prompt and return its output."""
    out, _ = console.run(command, ROOT_PROMPT, timeout, stage)
    return out


def poweroff(console, timeouts=TIMEOUTS):
    """`poweroff`, then wait for the kernel's last line or the console's end.
    Returns QEMU's exit status, or None for a board that has none."""
    console.sendline("poweroff")
    console.wait_power_down(timeouts["poweroff"], "poweroff")
    if console.exit_status() is None:
        # QEMU exits a moment after the kernel's last line; a physical board's
        # console stays open, so this wait is short.
        try:
            console.wait_exit(10, "qemu exit")
        except StageTimeout:
            pass
    return console.exit_status()


def record_failure(result, err):
    if isinstance(err, ConsoleError):
        result.result, result.failed_stage, result.reason = err.kind, err.stage, err.reason
    else:
        result.result, result.reason = "fail", str(err).splitlines()[0] if str(err) else repr(err)
