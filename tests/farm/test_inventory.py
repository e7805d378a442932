"""Inventory validation: every bad field reported, each naming file, board,
field and what was expected, before any board is touched."""

import pytest

from farm import inventory
from farm.inventory import InventoryError

GOOD = """
boards:
  rpi:
    arch: arm64
    firmware: uboot
    mac: 52:54:00:aa:bb:01
    console: tcp://ser2net.lab:3001
    power:
      on: pdu on 3
      off: pdu off 3
      timeout: 20
  nuc:
    arch: x86_64
    firmware: uefi
    mac: "52:54:00:AA:BB:02"
    console: /dev/ttyUSB0
    baud: 921600
    power: {on: relay 1 on, off: relay 1 off, cycle: relay 1 cycle}
    kernels: [linux]
    tags: [bench-2]
  rfc:
    arch: x86_64
    firmware: bios
    mac: 52:54:00:aa:bb:03
    console: rfc2217://10.0.0.5:7000
    power: {on: "true", off: "true"}
"""


def test_a_complete_inventory_loads_every_console_and_power_kind():
    inv = inventory.parse(GOOD, "lab.yaml")
    rpi, nuc, rfc = inv.boards["rpi"], inv.boards["nuc"], inv.boards["rfc"]
    assert (rpi.console.kind, rpi.console.host, rpi.console.port) == ("tcp", "ser2net.lab", 3001)
    # YAML 1.1 would read `on:` as True and an unquoted MAC as a number.
    assert (rpi.power.on, rpi.power.off, rpi.power.timeout) == ("pdu on 3", "pdu off 3", 20.0)
    assert rpi.mac == "52:54:00:aa:bb:01"
    assert (nuc.console.kind, nuc.console.device, nuc.console.baud) == ("tty", "/dev/ttyUSB0",
                                                                        921600)
    assert nuc.mac == "52:54:00:aa:bb:02" and nuc.kernels == ("linux",)
    assert nuc.power.cycle == "relay 1 cycle" and nuc.tags == ("bench-2",)
    assert rfc.console.kind == "rfc2217"
    assert inv.select(tags=["bench-2"]) == [nuc]


def test_the_default_and_the_simulated_lab_inventories_are_valid():
    assert {b.console.kind for b in inventory.load().boards.values()} == {"qemu"}
    sim = inventory.load(inventory.ROOT / "tests/farm/sim-boards.yaml")
    assert [b.console.kind for b in sim.boards.values()] == ["tcp"]


def problems(text):
    with pytest.raises(InventoryError) as e:
        inventory.parse(text, "lab.yaml")
    return e.value.problems


def test_each_bad_field_gets_one_message_naming_file_board_field_and_expectation():
    msgs = problems("""
boards:
  b1:
    arch: riscv
    firmware: bios
    mac: 52:54:00:00:00
    console: tcp://host-without-port
    power: {on: 3, off: "off"}
  b2:
    arch: arm64
    firmware: bios
    mac: 52:54:00:00:00:02
    console: qemu
    power: {on: a, off: b, timeout: -1, colour: red}
    kernels: [freebsd]
""")
    assert msgs == [
        'lab.yaml: board "b1": field "arch": expected x86_64 or arm64, got \'riscv\'',
        'lab.yaml: board "b1": field "mac": expected six hex bytes like 52:54:00:12:34:56, '
        'got \'52:54:00:00:00\'',
        'lab.yaml: board "b1": field "console": expected qemu, tcp://HOST:PORT, '
        'rfc2217://HOST:PORT or a /dev/tty* path, got \'tcp://host-without-port\'',
        'lab.yaml: board "b1": field "power.on": expected a command string, got 3',
        'lab.yaml: board "b2": field "firmware": expected uefi or uboot for arm64, got \'bios\'',
        'lab.yaml: board "b2": field "power.colour": expected one of cycle, off, on, timeout, '
        'got \'colour\'',
        'lab.yaml: board "b2": field "power.timeout": expected a positive number of seconds, '
        'got -1',
        'lab.yaml: board "b2": field "kernels": expected a list of kevlar, linux, got [\'freebsd\']',
    ]


def test_a_qemu_console_needs_qemu_power_and_macs_are_unique():
    msgs = problems("""
boards:
  a: {arch: x86_64, firmware: bios, mac: "52:54:00:00:00:01", console: qemu, power: {on: x, off: y}}
  b: {arch: x86_64, firmware: bios, mac: "52:54:00:00:00:03", console: qemu, power: qemu}
  c: {arch: x86_64, firmware: bios, mac: "52:54:00:00:00:03", console: qemu, power: qemu}
""")
    assert len(msgs) == 2
    assert 'board "a": field "console": expected qemu together with power: qemu' in msgs[0]
    assert 'board "c": field "mac": expected a MAC no other board has (board b has it)' in msgs[1]


def test_unreadable_or_shapeless_files_say_what_is_wrong(tmp_path):
    with pytest.raises(InventoryError, match=r"cannot read the inventory"):
        inventory.load(tmp_path / "missing.yaml")
    assert problems("boards: [a, b]") == [
        "lab.yaml: expected a top-level mapping `boards:` of board names to their fields"]
    assert problems("boards: {a: [}")[0].startswith("lab.yaml: not valid YAML")


def test_an_unknown_board_name_lists_the_boards():
    inv = inventory.parse(GOOD, "lab.yaml")
    with pytest.raises(inventory.FarmError, match=r"no board named pi5 \(boards: rpi, nuc, rfc\)"):
        inv.select(["pi5"])
