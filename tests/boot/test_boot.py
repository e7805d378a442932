"""Boot each built target from its kernel's first line to a root shell and power it off.

The same test runs for Linux (the reference) and Kevlar on the same rootfs.
"""

import re

import pytest

from harness import KEVLAR_OPENRC_XFAIL, RESULTS, all_targets, require_built
from farm import boot


def params():
    out = []
    for t in all_targets():
        marks = [pytest.mark.xfail(reason=KEVLAR_OPENRC_XFAIL, strict=False)] \
            if t.kernel == "kevlar" else []
        out.append(pytest.param(t, id=t.name, marks=marks))
    return out


@pytest.mark.parametrize("target", params())
def test_boots_through_openrc_to_root_shell_and_powers_off(target, log_path, pytestconfig):
    require_built(target)
    result = boot.BootResult(target.name, target.arch, target.kernel, log=str(log_path))
    pytestconfig._kevlar_boot_results.append(result)
    console = boot.start(target, log_path)
    result.stages = console.stages
    try:
        boot.boot_to_shell(console, result)
        assert result.services_ok, "OpenRC reported no service as [ ok ]"
        assert not result.services_failed, f"services failed: {result.services_failed}"

        uname = boot.shell(console, "uname -a", "uname")
        machine = "x86_64" if target.arch == "x86_64" else "aarch64"
        assert re.search(rf"^Linux kevlar \S+ .*{machine}", uname, re.M), \
            f"unexpected `uname -a` output: {uname!r}"

        status = boot.poweroff(console)
        assert status == 0, f"QEMU exited with status {status} after poweroff"
        result.result = "pass"
    except BaseException as e:
        boot.record_failure(result, e)
        raise
    finally:
        console.close()
        result.save(RESULTS)
