"""The lab's boards: a YAML inventory read into validated dataclasses.

    boards:
      qemu-x86_64:                    # the board's name, unique in the lab
        arch: x86_64                  # x86_64 | arm64
        firmware: bios                # bios | uefi (x86_64); uefi | uboot (arm64)
        mac: "52:54:00:4b:07:01"      # the MAC the lab's DHCP server knows it by
        console: qemu                 # qemu | tcp://HOST:PORT | rfc2217://HOST:PORT | /dev/tty...
        baud: 115200                  # for a tty console
        power: qemu                   # qemu, or commands:
        #  power: {on: "...", off: "...", cycle: "...", timeout: 30}
        kernels: [kevlar, linux]      # optional: what this board may boot
        tags: [lab-a]                 # optional: for selecting boards
        mem: 256M                     # optional: a QEMU board's memory
        boot: netboot                 # optional: direct (QEMU -kernel, the default) or
                                      # netboot (firmware DHCP + TFTP, farm/boards/netboot.py)

Every bad field is reported, each with the file, the board, the field and what
was expected, before anything is powered on.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from farm.errors import FarmError
from farm.qemu import ARCHES, KERNELS, ROOT

DEFAULT_INVENTORY = ROOT / "farm" / "boards.yaml"
FIRMWARE = {"x86_64": ("bios", "uefi"), "arm64": ("uefi", "uboot")}
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
BOARD_FIELDS = {"arch", "firmware", "mac", "console", "baud", "power", "kernels", "tags", "mem",
                "boot"}
BOOT_MODES = ("direct", "netboot")
POWER_FIELDS = {"on", "off", "cycle", "timeout"}


class _Loader(yaml.SafeLoader):
    """YAML without the 1.1 surprises: `on:`/`off:` stay keys (not booleans)
    and an unquoted MAC stays a string (not a base-60 integer)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"),
                              list("-+0123456789"))


class InventoryError(FarmError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ConsoleSpec:
    kind: str                 # qemu | tcp | rfc2217 | tty
    host: str = ""
    port: int = 0
    device: str = ""
    baud: int = 115200

    def __str__(self):
        return {"qemu": "qemu stdio", "tcp": f"tcp://{self.host}:{self.port}",
                "rfc2217": f"rfc2217://{self.host}:{self.port}",
                "tty": f"{self.device}@{self.baud}"}[self.kind]


@dataclass(frozen=True)
class PowerSpec:
    kind: str                 # qemu | command
    on: str = ""
    off: str = ""
    cycle: str = ""           # empty: off, then on
    timeout: float = 30.0

    def __str__(self):
        return "qemu process" if self.kind == "qemu" else "commands"


@dataclass(frozen=True)
class BoardSpec:
    name: str
    arch: str
    firmware: str
    mac: str
    console: ConsoleSpec
    power: PowerSpec
    kernels: tuple = KERNELS
    tags: tuple = ()
    mem: str = "256M"
    boot: str = "direct"

    def can_boot(self, kernel):
        """Whether a job for this kernel belongs on this board, and if not why."""
        if kernel not in self.kernels:
            return False, f"board {self.name} is not set up for {kernel}"
        return True, ""


@dataclass
class Inventory:
    path: Path
    boards: dict = field(default_factory=dict)

    def select(self, names=(), tags=()):
        """Boards by name (all when none given) and carrying every tag given."""
        unknown = [n for n in names if n not in self.boards]
        if unknown:
            raise FarmError(f"{self.path}: no board named {', '.join(unknown)} "
                            f"(boards: {', '.join(self.boards)})")
        picked = [self.boards[n] for n in names] if names else list(self.boards.values())
        return [b for b in picked if set(tags) <= set(b.tags)]


class _Checker:
    """Collects one message per bad field."""

    def __init__(self, path):
        self.path, self.problems = path, []

    def bad(self, board, fieldname, expected, got):
        self.problems.append(f'{self.path}: board "{board}": field "{fieldname}": '
                             f"expected {expected}, got {got!r}")


def _console(chk, name, raw, baud):
    if raw == "qemu":
        return ConsoleSpec("qemu")
    if isinstance(raw, str) and raw.startswith("/dev/"):
        return ConsoleSpec("tty", device=raw, baud=baud)
    if isinstance(raw, str) and "://" in raw:
        url = urlsplit(raw)
        try:
            port = url.port
        except ValueError:
            port = None
        if url.scheme in ("tcp", "rfc2217") and url.hostname and port:
            return ConsoleSpec(url.scheme, host=url.hostname, port=port)
    chk.bad(name, "console", "qemu, tcp://HOST:PORT, rfc2217://HOST:PORT or a /dev/tty* path",
            raw)
    return None


def _power(chk, name, raw):
    if raw == "qemu":
        return PowerSpec("qemu")
    if not isinstance(raw, dict):
        chk.bad(name, "power", "qemu or a mapping with on, off (and cycle, timeout)", raw)
        return None
    ok = True
    for key in sorted(set(raw) - POWER_FIELDS):
        chk.bad(name, f"power.{key}", f"one of {', '.join(sorted(POWER_FIELDS))}", key)
        ok = False
    for key in ("on", "off"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            chk.bad(name, f"power.{key}", "a command string", raw.get(key))
            ok = False
    if "cycle" in raw and (not isinstance(raw["cycle"], str) or not raw["cycle"].strip()):
        chk.bad(name, "power.cycle", "a command string", raw["cycle"])
        ok = False
    timeout = raw.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        chk.bad(name, "power.timeout", "a positive number of seconds", timeout)
        ok = False
    if not ok:
        return None
    return PowerSpec("command", on=raw["on"], off=raw["off"], cycle=raw.get("cycle", ""),
                     timeout=float(timeout))


def _board(chk, name, raw):
    if not isinstance(name, str) or not NAME.match(name):
        chk.bad(name, "name", "letters, digits, '.', '_' or '-'", name)
        return None
    if not isinstance(raw, dict):
        chk.bad(name, "(board)", "a mapping of fields", raw)
        return None
    start = len(chk.problems)
    for key in sorted(set(raw) - BOARD_FIELDS):
        chk.bad(name, key, f"one of {', '.join(sorted(BOARD_FIELDS))}", key)
    arch = raw.get("arch")
    if arch not in ARCHES:
        chk.bad(name, "arch", " or ".join(ARCHES), arch)
    firmware = raw.get("firmware")
    if arch in ARCHES and firmware not in FIRMWARE[arch]:
        chk.bad(name, "firmware", f"{' or '.join(FIRMWARE[arch])} for {arch}", firmware)
    mac = raw.get("mac")
    if not isinstance(mac, str) or not MAC.match(mac.lower()):
        chk.bad(name, "mac", "six hex bytes like 52:54:00:12:34:56", mac)
    baud = raw.get("baud", 115200)
    if isinstance(baud, bool) or not isinstance(baud, int) or baud <= 0:
        chk.bad(name, "baud", "a positive integer", baud)
    console = _console(chk, name, raw.get("console"), baud)
    power = _power(chk, name, raw.get("power"))
    if console and power and (console.kind == "qemu") != (power.kind == "qemu"):
        chk.bad(name, "console", "qemu together with power: qemu (the QEMU process is both)",
                raw.get("console"))
    kernels = raw.get("kernels", list(KERNELS))
    if not isinstance(kernels, list) or not kernels or any(k not in KERNELS for k in kernels):
        chk.bad(name, "kernels", f"a list of {', '.join(KERNELS)}", kernels)
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or any(not isinstance(t, str) for t in tags):
        chk.bad(name, "tags", "a list of strings", tags)
    mem = raw.get("mem", "256M")
    if not isinstance(mem, str) or not re.match(r"^\d+[MG]$", mem):
        chk.bad(name, "mem", "a size like 256M or 1G", mem)
    boot = raw.get("boot", "direct")
    if boot not in BOOT_MODES:
        chk.bad(name, "boot", " or ".join(BOOT_MODES), boot)
    if len(chk.problems) > start:
        return None
    return BoardSpec(name=name, arch=arch, firmware=firmware, mac=mac.lower(), console=console,
                     power=power, kernels=tuple(kernels), tags=tuple(tags), mem=mem, boot=boot)


def parse(text, path="<inventory>"):
    """Validate an inventory's YAML text; raise InventoryError with every problem."""
    chk = _Checker(path)
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        raise InventoryError([f"{path}: not valid YAML: {e}"]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("boards"), dict) or not doc["boards"]:
        raise InventoryError([f"{path}: expected a top-level mapping `boards:` of board names "
                              f"to their fields"])
    inv = Inventory(Path(path))
    macs = {}
    for name, raw in doc["boards"].items():
        board = _board(chk, name, raw)
        if board is None:
            continue
        if board.mac in macs:
            chk.bad(name, "mac", f"a MAC no other board has (board {macs[board.mac]} has it)",
                    board.mac)
            continue
        macs[board.mac] = name
        inv.boards[name] = board
    if chk.problems:
        raise InventoryError(chk.problems)
    return inv


def load(path=None):
    path = Path(path) if path else DEFAULT_INVENTORY
    try:
        text = path.read_text()
    except OSError as e:
        raise InventoryError([f"{path}: cannot read the inventory: {e.strerror}"]) from None
    return parse(text, path)
