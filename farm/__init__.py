"""Kevlar's test farm: boots kernels on QEMU (and later lab) boards and drives their consoles."""
